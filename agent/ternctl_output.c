/* ctl: ternctl's output back ends, text for people and JSON for tools. */
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

const struct output output_text = { text_head, text_peer, text_tail };
const struct output output_json = { json_head, json_peer, json_tail };

static const char *
text_ago(int64_t when, char *buf, size_t len)
{
	int64_t	 d;

	if (when == 0)
		return "never";
	d = (int64_t)time(NULL) - when;
	if (d < 0)
		d = 0;
	if (d < 120)
		snprintf(buf, len, "%" PRId64 "s ago", d);
	else if (d < 7200)
		snprintf(buf, len, "%" PRId64 "m ago", d / 60);
	else
		snprintf(buf, len, "%" PRId64 "h ago", d / 3600);
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
	printf("peers: %u\n", h->npeers);
}

static void
text_peer(const struct ctl_status_peer *p)
{
	char	 key[KEY_B64LEN], a[ADDR_STRLEN], b1[32], b2[32];

	key_to_b64(p->wgkey, key);
	printf("\npeer %s\n", p->name);
	printf("  state: %s (%s)\n", state_name(p->state),
	    p->source == PEER_SRC_STATIC ? "static" : "netmap");
	printf("  public key: %s\n", key);
	printf("  endpoint: %s\n", p->endpoint.ss_family == 0 ? "none" :
	    sockaddr_str((const struct sockaddr *)&p->endpoint, a, sizeof(a)));
	if (p->local_type != CAND_NONE) {
		char	 l[ADDR_STRLEN];

		printf("  candidate pair: %s %s -> %s %s\n",
		    cand_name(p->local_type),
		    sockaddr_str((const struct sockaddr *)&p->local, l,
		    sizeof(l)), cand_name(p->remote_type),
		    sockaddr_str((const struct sockaddr *)&p->endpoint, a,
		    sizeof(a)));
	}
	printf("  peer port: %s\n",
	    sockaddr_str((const struct sockaddr *)&p->peerport, a, sizeof(a)));
	printf("  rx: %" PRIu64 " packets, %s; tx: %" PRIu64 " packets, %s\n",
	    p->rx_packets, text_bytes(p->rx_bytes, b1, sizeof(b1)),
	    p->tx_packets, text_bytes(p->tx_bytes, b2, sizeof(b2)));
	printf("  last handshake: %s\n",
	    text_ago(p->last_handshake, b1, sizeof(b1)));
	printf("  last activity: %s\n",
	    text_ago(p->last_activity, b1, sizeof(b1)));
}

static void
text_tail(void)
{
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
json_head(const struct ctl_status_hdr *h)
{
	char	 key[KEY_B64LEN];

	if ((gen = yajl_gen_alloc(NULL)) == NULL) {
		fprintf(stderr, "ternctl: out of memory\n");
		exit(1);
	}
	yajl_gen_config(gen, yajl_gen_beautify, 1);
	yajl_gen_map_open(gen);
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

	yajl_gen_map_open(gen);
	json_str("name", p->name);
	json_str("state", state_name(p->state));
	json_str("source", p->source == PEER_SRC_STATIC ? "static" : "netmap");
	key_to_b64(p->wgkey, key);
	json_str("public_key", key);
	json_str("endpoint", p->endpoint.ss_family == 0 ? NULL :
	    sockaddr_str((const struct sockaddr *)&p->endpoint, a, sizeof(a)));
	json_str("peer_port",
	    sockaddr_str((const struct sockaddr *)&p->peerport, a, sizeof(a)));
	json_int("rx_packets", json_u64(p->rx_packets));
	json_int("rx_bytes", json_u64(p->rx_bytes));
	json_int("tx_packets", json_u64(p->tx_packets));
	json_int("tx_bytes", json_u64(p->tx_bytes));
	json_int("last_handshake", p->last_handshake);
	json_int("last_activity", p->last_activity);
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
	yajl_gen_map_close(gen);
}

static void
json_tail(void)
{
	const unsigned char	*buf;
	size_t			 len;

	yajl_gen_array_close(gen);
	yajl_gen_map_close(gen);
	yajl_gen_get_buf(gen, &buf, &len);
	fwrite(buf, 1, len, stdout);
	yajl_gen_free(gen);
}
