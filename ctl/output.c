/* ctl: ternctl's output back ends, text for people and JSON for tools. */
#include <sys/socket.h>
#include <netinet/in.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <yajl/yajl_gen.h>

#include "ternctl.h"

static void	 text_head(const struct ctl_status_hdr *);
static void	 text_peer(const struct ctl_status_peer *);
static void	 text_tail(void);
static void	 json_head(const struct ctl_status_hdr *);
static void	 json_peer(const struct ctl_status_peer *);
static void	 json_tail(void);
static void	 text_nc_head(const struct ctl_netcheck_hdr *);
static void	 text_nc_relay(const struct ctl_netcheck_hdr *, size_t,
		    const struct ctl_netcheck_relay *);
static void	 text_nc_tail(const struct ctl_netcheck_hdr *);
static void	 json_nc_head(const struct ctl_netcheck_hdr *);
static void	 json_nc_relay(const struct ctl_netcheck_hdr *, size_t,
		    const struct ctl_netcheck_relay *);
static void	 json_nc_tail(const struct ctl_netcheck_hdr *);
static void	 text_pong(const char *, const struct ctl_pong *);
static void	 text_via(const struct ctl_status_peer *);
static void	 json_via(const struct ctl_status_peer *);
static void	 text_pathsel(const struct ctl_status_peer *);
static void	 json_pathsel(const struct ctl_status_peer *);
static void	 json_pong(const char *, const struct ctl_pong *);

const struct output output_text = { text_head, text_peer, text_tail,
	text_nc_head, text_nc_relay, text_nc_tail, text_pong };
const struct output output_json = { json_head, json_peer, json_tail,
	json_nc_head, json_nc_relay, json_nc_tail, json_pong };

#define US_PER_MS	1000	/* round trips come in microseconds */
#define MS_PER_S	1000	/* ping waits come in milliseconds */
/* Longest "N.N ms" of a uint32_t of microseconds. */
#define RTT_STRLEN	24

/* An address for people (sockaddr_str's form); NULL for none. */
static const char *
addr_text(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	if (ss->ss_family == AF_UNSPEC)
		return NULL;
	return sockaddr_str((const struct sockaddr *)ss, buf, len);
}

/* A round trip in milliseconds, one decimal; "-" when unknown (0). */
static const char *
rtt_text(uint32_t us, char *buf, size_t len)
{
	if (us == 0)
		return "-";
	snprintf(buf, len, "%.1f ms", (double)us / US_PER_MS);
	return buf;
}

/* Any time ternd sends: a difference of two int64_t fits a uint64_t. */
static const char *
text_ago(int64_t when, char *buf, size_t len)
{
	int64_t		 now;
	uint64_t	 d;

	if (when == 0)
		return "never";
	now = time(NULL);
	d = when >= now ? 0 : (uint64_t)now - (uint64_t)when;
	if (d < 120)
		snprintf(buf, len, "%" PRIu64 "s ago", d);
	else if (d < 7200)
		snprintf(buf, len, "%" PRIu64 "m ago", d / 60);
	else
		snprintf(buf, len, "%" PRIu64 "h ago", d / 3600);
	return buf;
}

static const char *
text_bytes(uint64_t n, char *buf, size_t len)
{
	const char	*unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double		 v = n;
	size_t		 i = 0;

	while (v >= 1024 && i < sizeof(unit) / sizeof(unit[0]) - 1) {
		v /= 1024;
		i++;
	}
	if (i == 0)
		snprintf(buf, len, "%" PRIu64 " B", n);
	else
		snprintf(buf, len, "%.1f %s", v, unit[i]);
	return buf;
}

static const char *
state_name(int st)
{
	switch (st) {
	case PEER_IDLE:
		return "idle";
	case PEER_CONNECTING:
		return "connecting";
	case PEER_CONNECTED:
		return "connected";
	}
	return "unknown";
}

static const char *
sig_state_name(int st)
{
	switch (st) {
	case SIG_NONE:
		return "none";
	case SIG_DISCONNECTED:
		return "disconnected";
	case SIG_CONNECTING:
		return "connecting";
	case SIG_CONNECTED:
		return "connected";
	}
	return "unknown";
}

int	 output_detail;
/* The status header, for what peers share: the relay and its allocation. */
static struct ctl_status_hdr	 status_hdr;

static const char *
src_name(int src)
{
	switch (src) {
	case LAZY_SRC_DEFAULT:
		return "default";
	case LAZY_SRC_SERVER:
		return "server";
	case LAZY_SRC_CONFIG:
		return "config";
	case LAZY_SRC_ENV:
		return "environment";
	case LAZY_SRC_FLAG:
		return "flag";
	}
	return "unknown";
}

static const char *
wake_name(int w)
{
	switch (w) {
	case WAKE_LOCAL:
		return "local traffic";
	case WAKE_REMOTE:
		return "remote";
	case WAKE_MANUAL:
		return "manual";
	case WAKE_PERMANENT:
		return "permanent";
	case WAKE_GROUP:
		return "group";
	}
	return "none";
}

/* Why a peer never goes idle, as one word list. */
static const char *
perm_names(uint32_t why, char *buf, size_t len)
{
	buf[0] = '\0';
	if (why & CM_PERM_LAZY_OFF)
		strlcat(buf, ",lazy-off", len);
	if (why & CM_PERM_EXCLUDED)
		strlcat(buf, ",excluded", len);
	if (why & CM_PERM_EXEMPT)
		strlcat(buf, ",lazy-exempt", len);
	if (why & CM_PERM_OLD)
		strlcat(buf, ",old-version", len);
	return buf[0] == ',' ? buf + 1 : buf;
}

/* A pair with a relayed side goes through a TURN relay; NULL: no pair. */
static const char *
path_name(const struct ctl_status_peer *p)
{
	if (p->local_type == CAND_NONE)
		return NULL;
	if (p->local_type == CAND_RELAY || p->remote_type == CAND_RELAY)
		return "relay";
	return "direct";
}

static const char *
turn_state_name(uint32_t st)
{
	switch (st) {
	case CTL_TURN_NONE:
		return "none";
	case CTL_TURN_ALLOCATING:
		return "allocating";
	case CTL_TURN_READY:
		return "ready";
	case CTL_TURN_FAILED:
		return "failed";
	}
	return "unknown";
}

static const char *
turn_transport_name(uint32_t t)
{
	switch (t) {
	case CTL_TURN_UDP:
		return "udp";
	case CTL_TURN_TCP:
		return "tcp";
	case CTL_TURN_TLS:
		return "tls";
	}
	return "unknown";
}

static const char *
plural(uint32_t n)
{
	return n == 1 ? "" : "s";
}

static const char *
cand_name(int t)
{
	switch (t) {
	case CAND_HOST:
		return "host";
	case CAND_SRFLX:
		return "srflx";
	case CAND_PRFLX:
		return "prflx";
	case CAND_RELAY:
		return "relay";
	}
	return "none";
}

/*
 * "  allocation: STATE[ over tcp|tls], relayed address A,
 * N permissions, N channels"
 */
static void
text_turn(const struct ctl_status_hdr *h)
{
	char	 a[ADDR_STRLEN];

	printf("  allocation: %s", turn_state_name(h->turn_state));
	/* UDP goes without saying: it is tried first. */
	if (h->turn_transport != CTL_TURN_UDP)
		printf(" over %s", turn_transport_name(h->turn_transport));
	if (h->turn_relayed.ss_family != AF_UNSPEC)
		printf(", relayed address %s",
		    addr_text(&h->turn_relayed, a, sizeof(a)));
	if (h->turn_state == CTL_TURN_READY)
		printf(", %u permission%s, %u channel%s", h->turn_perms,
		    plural(h->turn_perms), h->turn_channels,
		    plural(h->turn_channels));
	printf("\n");
}

static void
text_head(const struct ctl_status_hdr *h)
{
	char	 key[KEY_B64LEN];

	printf("interface: %s\n", h->ifname);
	key_to_b64(h->wgpub, key);
	printf("wireguard public key: %s\n", key);
	key_to_b64(h->nodepub, key);
	printf("node public key: %s\n", key);
	printf("listen port: %u, peer port: %u\n", h->port, h->peerport);
	if (h->sig_state == SIG_NONE)
		printf("signal: none\n");
	else {
		char	 b[32];

		printf("signal: %s, %s, since %s\n",
		    sig_state_name(h->sig_state), h->sig_server,
		    text_ago(h->sig_since, b, sizeof(b)));
		if (h->sig_error[0] != '\0')
			printf("  last error: %s\n", h->sig_error);
	}
	status_hdr = *h;
	if (h->relay[0] == '\0')
		printf("relay: none\n");
	else {
		printf("relay: %s (%s)\n", h->relay,
		    h->relay_by_rtt ? "fastest" : "hash pick");
		text_turn(h);
	}
	printf("lazy connections: %s (%s), inactivity threshold %us (%s)\n",
	    h->lazy ? "on" : "off", src_name(h->lazy_src), h->inactivity,
	    src_name(h->inactivity_src));
	printf("peers: %u\n", h->npeers);
}

static void
text_peer(const struct ctl_status_peer *p)
{
	char	 key[KEY_B64LEN], a[ADDR_STRLEN], b1[32], b2[64];

	key_to_b64(p->wgkey, key);
	printf("\npeer %s\n", p->name);
	printf("  state: %s (%s)\n", state_name(p->state),
	    p->source == PEER_SRC_STATIC ? "static" : "netmap");
	printf("  public key: %s\n", key);
	printf("  endpoint: %s\n", p->endpoint.ss_family == 0 ? "none" :
	    sockaddr_str((const struct sockaddr *)&p->endpoint, a, sizeof(a)));
	if (p->local_type != CAND_NONE) {
		char	 l[ADDR_STRLEN];

		printf("  path: %s, candidate pair: %s %s -> %s %s\n",
		    path_name(p), cand_name(p->local_type),
		    sockaddr_str((const struct sockaddr *)&p->local, l,
		    sizeof(l)), cand_name(p->remote_type),
		    sockaddr_str((const struct sockaddr *)&p->endpoint, a,
		    sizeof(a)));
		if (output_detail)
			printf("  rtt: %s\n", rtt_text(p->rtt_us, b1,
			    sizeof(b1)));
	}
	if (output_detail && p->source != PEER_SRC_STATIC)
		text_pathsel(p);
	printf("  peer port: %s\n",
	    sockaddr_str((const struct sockaddr *)&p->peerport, a, sizeof(a)));
	printf("  rx: %" PRIu64 " packets, %s; tx: %" PRIu64 " packets, %s\n",
	    p->rx_packets, text_bytes(p->rx_bytes, b1, sizeof(b1)),
	    p->tx_packets, text_bytes(p->tx_bytes, b2, sizeof(b2)));
	printf("  last handshake: %s\n",
	    text_ago(p->last_handshake, b1, sizeof(b1)));
	printf("  last activity: %s\n",
	    text_ago(p->last_activity, b1, sizeof(b1)));
	if (!output_detail)
		return;
	if (p->state == PEER_IDLE)
		printf("  idle since: %s\n",
		    text_ago(p->idle_since, b1, sizeof(b1)));
	else if (p->idle_in >= 0)
		printf("  goes idle in: %" PRId64 "s\n", p->idle_in);
	else
		printf("  goes idle: never%s%s\n", p->perm_why ? ", " : "",
		    perm_names(p->perm_why, b2, sizeof(b2)));
	if (p->state != PEER_IDLE)
		printf("  woken by: %s\n", wake_name(p->wake_reason));
	printf("  last state change: %s\n",
	    text_ago(p->state_since, b1, sizeof(b1)));
	text_via(p);
}

/*
 * How datagrams reach peer name, after "via": "relay R" through our
 * relay R, "NAME's relay A" to the peer's relayed address A (its
 * relay), or "direct A".
 */
static void
via_text(const char *name, int ours, int theirs, const char *relay,
    const struct sockaddr_storage *remote)
{
	char	 a[ADDR_STRLEN];

	if (ours)
		printf("relay %s", relay[0] != '\0' ? relay : "-");
	else
		printf("%s%s %s", theirs ? name : "direct",
		    theirs ? "'s relay" : "", sockaddr_str((const struct
		    sockaddr *)remote, a, sizeof(a)));
}

/* "  via: PATH", and our relayed address when it is our relay. */
static void
text_via(const struct ctl_status_peer *p)
{
	char	 a[ADDR_STRLEN];

	if (p->endpoint.ss_family == AF_UNSPEC)
		return;
	printf("  via: ");
	via_text(p->name, p->via_relay, p->remote_type == CAND_RELAY,
	    status_hdr.relay, &p->endpoint);
	if (p->via_relay && status_hdr.turn_relayed.ss_family != AF_UNSPEC)
		printf(", relayed address %s",
		    addr_text(&status_hdr.turn_relayed, a, sizeof(a)));
	printf("\n");
}

static void
text_tail(void)
{
}

/* Whole seconds, rounded, of a wait in milliseconds. */
static uint32_t
wait_sec(uint32_t ms)
{
	return ms / MS_PER_S + (ms % MS_PER_S >= MS_PER_S / 2);
}

/*
 * "pong from P via PATH in N.N ms" (via_text), "no reply from P in
 * N s"; at once, for ping's reader.
 */
static void
text_pong(const char *name, const struct ctl_pong *pong)
{
	switch (pong->status) {
	case CTL_PONG_REPLY:
		printf("pong from %s via ", name);
		via_text(name, pong->via_relay, pong->remote_relayed,
		    pong->relay, &pong->remote);
		printf(" in %.1f ms\n", (double)pong->rtt_us / US_PER_MS);
		break;
	case CTL_PONG_LOST:
		printf("no reply from %s in %u s\n", name,
		    wait_sec(pong->waited_ms));
		break;
	default:
		printf("no reply from %s in %u s (no path)\n", name,
		    wait_sec(pong->waited_ms));
		break;
	}
	fflush(stdout);
}

static yajl_gen	 gen;

static void
json_str(const char *k, const char *v)
{
	yajl_gen_string(gen, (const unsigned char *)k, strlen(k));
	if (v == NULL)
		yajl_gen_null(gen);
	else
		yajl_gen_string(gen, (const unsigned char *)v, strlen(v));
}

static void
json_int(const char *k, long long v)
{
	yajl_gen_string(gen, (const unsigned char *)k, strlen(k));
	yajl_gen_integer(gen, v);
}

static void
json_bool(const char *k, int v)
{
	yajl_gen_string(gen, (const unsigned char *)k, strlen(k));
	yajl_gen_bool(gen, v != 0);
}

/* Milliseconds, exact to the microsecond; null when unknown (0). */
static void
json_rtt(const char *k, uint32_t us)
{
	char	 n[RTT_STRLEN];
	int	 len;

	yajl_gen_string(gen, (const unsigned char *)k, strlen(k));
	if (us == 0) {
		yajl_gen_null(gen);
		return;
	}
	len = snprintf(n, sizeof(n), "%u.%03u", us / US_PER_MS,
	    us % US_PER_MS);
	yajl_gen_number(gen, n, len);
}

/*
 * One JSON document on stdout: json_open, its members, json_close;
 * indented, or on one line (JSON lines) if not beautify.
 */
static void
json_open(int beautify)
{
	if ((gen = yajl_gen_alloc(NULL)) == NULL) {
		fprintf(stderr, "ternctl: out of memory\n");
		exit(1);
	}
	yajl_gen_config(gen, yajl_gen_beautify, beautify);
	yajl_gen_map_open(gen);
}

static void
json_close(void)
{
	const unsigned char	*buf;
	size_t			 len;

	yajl_gen_map_close(gen);
	yajl_gen_get_buf(gen, &buf, &len);
	fwrite(buf, 1, len, stdout);
	yajl_gen_free(gen);
}

/* "allocation": the TURN allocation on the relay in use. */
static void
json_turn(const struct ctl_status_hdr *h)
{
	char	 a[ADDR_STRLEN];

	yajl_gen_string(gen, (const unsigned char *)"allocation", 10);
	yajl_gen_map_open(gen);
	json_str("state", turn_state_name(h->turn_state));
	json_str("transport", turn_transport_name(h->turn_transport));
	json_str("relayed_address", addr_text(&h->turn_relayed, a,
	    sizeof(a)));
	json_int("permissions", h->turn_perms);
	json_int("channels", h->turn_channels);
	yajl_gen_map_close(gen);
}

static void
json_head(const struct ctl_status_hdr *h)
{
	char	 key[KEY_B64LEN];

	status_hdr = *h;
	json_open(1);
	json_str("interface", h->ifname);
	key_to_b64(h->wgpub, key);
	json_str("public_key", key);
	key_to_b64(h->nodepub, key);
	json_str("node_key", key);
	json_int("listen_port", h->port);
	json_int("peer_port", h->peerport);
	json_int("started", h->started);
	yajl_gen_string(gen, (const unsigned char *)"signal", 6);
	yajl_gen_map_open(gen);
	json_str("state", sig_state_name(h->sig_state));
	json_str("server", h->sig_state == SIG_NONE ? NULL : h->sig_server);
	json_int("since", h->sig_since);
	json_str("last_error", h->sig_error[0] == '\0' ? NULL : h->sig_error);
	yajl_gen_map_close(gen);
	yajl_gen_string(gen, (const unsigned char *)"lazy", 4);
	yajl_gen_map_open(gen);
	yajl_gen_string(gen, (const unsigned char *)"on", 2);
	yajl_gen_bool(gen, h->lazy);
	json_str("decided_by", src_name(h->lazy_src));
	json_int("inactivity_threshold", h->inactivity);
	json_str("inactivity_decided_by", src_name(h->inactivity_src));
	yajl_gen_map_close(gen);
	json_turn(h);
	json_str("relay", h->relay[0] == '\0' ? NULL : h->relay);
	json_bool("relay_by_rtt", h->relay_by_rtt);
	json_int("peer_count", h->npeers);
	yajl_gen_string(gen, (const unsigned char *)"peers", 5);
	yajl_gen_array_open(gen);
}

/* Counters above 2^63 cannot occur in practice; they are clamped. */
static long long
json_u64(uint64_t v)
{
	return v > INT64_MAX ? INT64_MAX : (long long)v;
}

static void
json_peer(const struct ctl_status_peer *p)
{
	char	 key[KEY_B64LEN], a[ADDR_STRLEN];
	char	 pb[64];

	yajl_gen_map_open(gen);
	json_str("name", p->name);
	json_str("state", state_name(p->state));
	json_str("source", p->source == PEER_SRC_STATIC ? "static" : "netmap");
	key_to_b64(p->wgkey, key);
	json_str("public_key", key);
	json_str("endpoint", p->endpoint.ss_family == 0 ? NULL :
	    sockaddr_str((const struct sockaddr *)&p->endpoint, a, sizeof(a)));
	json_via(p);
	json_str("peer_port",
	    sockaddr_str((const struct sockaddr *)&p->peerport, a, sizeof(a)));
	json_int("rx_packets", json_u64(p->rx_packets));
	json_int("rx_bytes", json_u64(p->rx_bytes));
	json_int("tx_packets", json_u64(p->tx_packets));
	json_int("tx_bytes", json_u64(p->tx_bytes));
	json_int("last_handshake", p->last_handshake);
	json_int("last_activity", p->last_activity);
	json_int("state_since", p->state_since);
	json_int("idle_since", p->idle_since);
	json_int("idle_in", p->idle_in);
	json_str("woken_by", p->state == PEER_IDLE ? NULL :
	    wake_name(p->wake_reason));
	json_str("permanent", p->perm_why == 0 ? NULL :
	    perm_names(p->perm_why, pb, sizeof(pb)));
	json_str("path", path_name(p));
	yajl_gen_string(gen, (const unsigned char *)"pair", 4);
	if (p->local_type == CAND_NONE)
		yajl_gen_null(gen);
	else {
		yajl_gen_map_open(gen);
		json_str("local", sockaddr_str((const struct sockaddr *)
		    &p->local, a, sizeof(a)));
		json_str("local_type", cand_name(p->local_type));
		json_str("remote", sockaddr_str((const struct sockaddr *)
		    &p->endpoint, a, sizeof(a)));
		json_str("remote_type", cand_name(p->remote_type));
		yajl_gen_map_close(gen);
	}
	json_rtt("rtt_ms", p->rtt_us);
	json_pathsel(p);
	yajl_gen_map_close(gen);
}

/*
 * Path selection: "path selection: direct, relay path beside, 0 silent
 * sends, 2 direct answers; last move 12s ago: direct -> relay (silent
 * 8.2 s, 3 sends)".
 */
static void
text_pathsel(const struct ctl_status_peer *p)
{
	printf("  path selection: %s, %s, %u silent sends, %u direct "
	    "answers", p->ps_pinned ? "relay only" : p->ps_relay ?
	    "moved to the relay" : "direct",
	    p->ps_alt ? "relay path beside" : "no relay path beside",
	    p->ps_silent_sends, p->ps_receipts);
	if (p->ps_flip_ago_ms >= 0)
		printf("; last move %" PRId64 "s ago (%s)",
		    p->ps_flip_ago_ms / 1000, p->ps_why);
	printf("\n");
}

static void
json_pathsel(const struct ctl_status_peer *p)
{
	yajl_gen_string(gen, (const unsigned char *)"path_selection", 14);
	yajl_gen_map_open(gen);
	json_bool("moved_to_relay", p->ps_relay);
	json_bool("pinned", p->ps_pinned);
	json_bool("relay_path_beside", p->ps_alt);
	json_int("silent_sends", p->ps_silent_sends);
	json_int("direct_answers", p->ps_receipts);
	json_int("last_move_ms_ago", p->ps_flip_ago_ms < 0 ? -1 :
	    p->ps_flip_ago_ms);
	json_str("last_move", p->ps_flip_ago_ms < 0 ? NULL : p->ps_why);
	yajl_gen_map_close(gen);
}

/* Whether datagrams go through our relay, which, and from where. */
static void
json_via(const struct ctl_status_peer *p)
{
	char	 a[ADDR_STRLEN];
	int	 relayed = p->via_relay && p->endpoint.ss_family != AF_UNSPEC;

	json_bool("via_relay", relayed);
	json_str("relay", relayed && status_hdr.relay[0] != '\0' ?
	    status_hdr.relay : NULL);
	json_str("relayed_address", relayed ?
	    addr_text(&status_hdr.turn_relayed, a, sizeof(a)) : NULL);
}

static void
json_tail(void)
{
	yajl_gen_array_close(gen);
	json_close();
}

/* The engine's verdict on one family: 1 symmetric, 0 not, else unknown. */
static const char *
nat_text(int32_t sym)
{
	switch (sym) {
	case 0:
		return "endpoint-independent mapping";
	case 1:
		return "symmetric (mapping varies by destination)";
	}
	return "unknown (needs answers from two relays)";
}

static void
text_nc_head(const struct ctl_netcheck_hdr *h)
{
	if (h->nrelays == 0)
		printf("relays: none\n");
}

/*
 * "relay ADDR (SERVER, in use): public MAPPED, rtt N.N ms", SERVER only
 * when it reads otherwise than ADDR (a host name), or the error.
 */
static void
text_nc_relay(const struct ctl_netcheck_hdr *h, size_t i,
    const struct ctl_netcheck_relay *r)
{
	char		 a[ADDR_STRLEN], rt[RTT_STRLEN];
	const char	*srv, *use;

	use = h->picked >= 0 && (size_t)h->picked == i ? "in use" : NULL;
	srv = addr_text(&r->server, a, sizeof(a));
	if (srv != NULL && strcmp(srv, r->addr) == 0)
		srv = NULL;
	printf("relay %s", r->addr);
	if (srv != NULL || use != NULL)
		printf(" (%s%s%s)", srv != NULL ? srv : "",
		    srv != NULL && use != NULL ? ", " : "",
		    use != NULL ? use : "");
	if (r->answered && r->mapped.ss_family != AF_UNSPEC)
		printf(": public %s, rtt %s\n", addr_text(&r->mapped, a,
		    sizeof(a)), rtt_text(r->rtt_us, rt, sizeof(rt)));
	else if (r->rtt_us != 0)
		printf(": %s, rtt %s\n", r->error[0] != '\0' ? r->error :
		    "no answer", rtt_text(r->rtt_us, rt, sizeof(rt)));
	else
		printf(": %s\n", r->error[0] != '\0' ? r->error :
		    "no answer");
}

static void
text_nc_tail(const struct ctl_netcheck_hdr *h)
{
	printf("NAT (IPv4): %s\n", nat_text(h->symmetric_v4));
	printf("NAT (IPv6): %s\n", nat_text(h->symmetric_v6));
}

static void
json_nc_head(const struct ctl_netcheck_hdr *h)
{
	json_open(1);
	yajl_gen_string(gen, (const unsigned char *)"relays", 6);
	yajl_gen_array_open(gen);
}

static void
json_nc_relay(const struct ctl_netcheck_hdr *h, size_t i,
    const struct ctl_netcheck_relay *r)
{
	char	 a[ADDR_STRLEN];

	yajl_gen_map_open(gen);
	json_str("address", r->addr);
	json_str("server", addr_text(&r->server, a, sizeof(a)));
	json_str("public", r->answered ? addr_text(&r->mapped, a, sizeof(a)) :
	    NULL);
	json_rtt("rtt_ms", r->rtt_us);
	json_bool("bootstrap", r->bootstrap);
	json_bool("in_use", h->picked >= 0 && (size_t)h->picked == i);
	json_str("error", r->error[0] == '\0' ? NULL : r->error);
	yajl_gen_map_close(gen);
}

static void
json_sym(const char *k, int32_t sym)
{
	yajl_gen_string(gen, (const unsigned char *)k, strlen(k));
	if (sym == 0 || sym == 1)
		yajl_gen_bool(gen, sym);
	else
		yajl_gen_null(gen);
}

static void
json_nc_tail(const struct ctl_netcheck_hdr *h)
{
	yajl_gen_array_close(gen);
	json_sym("symmetric_v4", h->symmetric_v4);
	json_sym("symmetric_v6", h->symmetric_v6);
	json_close();
}

/*
 * One line per ping: "result" is "pong", "no_reply" or "no_path";
 * "path" is "relay" through our relay or the peer's.
 */
static void
json_pong(const char *name, const struct ctl_pong *pong)
{
	char	 a[ADDR_STRLEN];
	int	 ok = pong->status == CTL_PONG_REPLY;

	json_open(0);
	json_str("peer", name);
	json_int("seq", pong->seq);
	json_str("result", ok ? "pong" : pong->status == CTL_PONG_LOST ?
	    "no_reply" : "no_path");
	json_str("path", !ok ? NULL : pong->via_relay ||
	    pong->remote_relayed ? "relay" : "direct");
	json_str("relay", ok && pong->via_relay ? pong->relay : NULL);
	json_str("remote", ok ? addr_text(&pong->remote, a, sizeof(a)) :
	    NULL);
	yajl_gen_string(gen, (const unsigned char *)"remote_relayed", 14);
	if (ok)
		yajl_gen_bool(gen, pong->remote_relayed);
	else
		yajl_gen_null(gen);
	json_rtt("rtt_ms", ok ? pong->rtt_us : 0);
	yajl_gen_string(gen, (const unsigned char *)"waited_ms", 9);
	if (ok)
		yajl_gen_null(gen);
	else
		yajl_gen_integer(gen, pong->waited_ms);
	json_close();
	putchar('\n');
	fflush(stdout);
}

/* Text from ternd reaches a root terminal: no control characters. */
void
output_clean(char *s, size_t len)
{
	size_t	 i;

	s[len - 1] = '\0';
	for (i = 0; s[i] != '\0'; i++)
		if (!isprint((unsigned char)s[i]))
			s[i] = '?';
}

void
output_clean_hdr(struct ctl_status_hdr *h)
{
	output_clean(h->ifname, sizeof(h->ifname));
	output_clean(h->sig_server, sizeof(h->sig_server));
	output_clean(h->sig_error, sizeof(h->sig_error));
	output_clean(h->relay, sizeof(h->relay));
}

void
output_clean_peer(struct ctl_status_peer *p)
{
	output_clean(p->name, sizeof(p->name));
	output_clean(p->ps_why, sizeof(p->ps_why));
}

void
output_clean_relay(struct ctl_netcheck_relay *r)
{
	output_clean(r->addr, sizeof(r->addr));
	output_clean(r->error, sizeof(r->error));
}

int
output_nc_hdr_ok(const struct ctl_netcheck_hdr *h)
{
	return h->picked >= -1 &&
	    (h->picked < 0 || (uint32_t)h->picked < h->nrelays);
}

int
output_pong_ok(const struct ctl_pong *pong)
{
	return pong->status == CTL_PONG_REPLY ||
	    pong->status == CTL_PONG_LOST || pong->status == CTL_PONG_NO_PATH;
}
