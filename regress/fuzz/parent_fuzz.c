/*
 * libFuzzer target for what ternd's parent takes from a compromised
 * engine: a stream of engine-to-parent messages checked as
 * parent_dispatch (agent/parent.c) checks them.  parent_dispatch itself
 * needs the daemon's globals and ends in WireGuard and netlink calls,
 * so the layer under it is driven: exact payload sizes, then
 * pnetmap_static_check and policy_check_peer for a peer,
 * pnetmap_to_peer, pnetmap_check (nmsign_verify, nmsign_lock_verify)
 * and policy_check_peer for a netmap peer, pnetmap_applied after one
 * passes, hostport_parse for a relay to save, and relayconn_valid and
 * relayconn_check for a relay connection.  The config is fixed: one
 * static peer, accept prefixes, a signal key, a lock key and two
 * bootstrap relays.
 *
 * Each record: type (u8, an engine-to-parent type or not), flags (u8),
 * length (u16), payload.  A wrong length or unknown type ends the
 * stream, as engine_violation ends ternd.  Flags on a netmap peer: 1
 * the target signs the entry with the signal key, 2 with the lock key
 * too, so the checks behind the signatures are reached; an unsigned
 * entry exercises verification of arbitrary bytes.  Flags on a relay
 * connection: 4 the resolver is taken to have answered the relay's
 * name with the address asked (forgotten after the record), so that
 * names reach the checks past the lookup.  What passes must be the
 * address asked, at a port of the relay, and for a relay that is not
 * a bootstrap one neither local nor privileged.  Not covered: what
 * the dispatch calls once a message is accepted (peer_apply and the
 * UAPI, relay lookups and the cache file, reloads).
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "fuzz_input.h"
#include "hostport.h"
#include "nmsign.h"
#include "parent.h"
#include "peerport.h"
#include "resolver.h"

#define FUZZ_NOW	1700000000	/* a fixed "now" for expiry */
#define FUZZ_ERRLEN	(PATH_MAX + CTL_MSG_MAX)	/* parent.c's err */
#define FUZZ_PAYLOAD_MAX (2 * sizeof(struct imsg_wg_signed))

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* parent.c's, which is not linked: parent_relayconn.c names it. */
struct parent_env		 penv;

static const char *const	 fuzz_relays[] = {
	"relay.example:3478", "127.0.0.1:3478"
};
static struct ternd_conf	*conf;
static uint8_t			 signal_sk[NMSIGN_SK_LEN];
static uint8_t			 lock_sk[NMSIGN_SK_LEN];

static void
fuzz_prefix(struct tern_prefix *p, const char *text)
{
	const char	*err;

	if (prefix_parse(text, p, &err) == -1)
		abort();
}

/* The config: keys from fixed seeds, one static peer, two accepts. */
static void
fuzz_init(void)
{
	struct peer_conf	*pc;
	uint8_t			 seed[KEY_LEN];
	size_t			 i;

	if (sodium_init() < 0 || (conf = conf_new()) == NULL ||
	    (pc = calloc(1, sizeof(*pc))) == NULL)
		abort();
	memset(seed, 1, sizeof(seed));
	nmsign_keypair(seed, conf->signal_key, signal_sk);
	conf->has_signal = 1;
	memset(seed, 2, sizeof(seed));
	nmsign_keypair(seed, conf->lock_key, lock_sk);
	conf->has_lock = 1;
	fuzz_prefix(&conf->accept[0], "10.77.0.0/16");
	fuzz_prefix(&conf->accept[1], "fd77::/64");
	conf->naccept = 2;
	strlcpy(pc->name, "static", sizeof(pc->name));
	memset(pc->wgkey, 0x5a, KEY_LEN);
	fuzz_prefix(&pc->allowed[0], "10.77.1.0/24");
	pc->nallowed = 1;
	TAILQ_INSERT_TAIL(&conf->peers, pc, entry);
	for (i = 0; i < sizeof(fuzz_relays) / sizeof(fuzz_relays[0]); i++)
		strlcpy(conf->relays.r[conf->relays.n++].boot.addr,
		    fuzz_relays[i], sizeof(conf->relays.r[0].boot.addr));
}

/* An error text is always terminated: it goes to the log. */
static void
fuzz_err_ok(const char *err)
{
	if (memchr(err, '\0', FUZZ_ERRLEN) == NULL)
		abort();
}

static void
fuzz_peer_set(const uint8_t *data)
{
	struct imsg_wg_peer	 wp;
	char			 err[FUZZ_ERRLEN];

	memcpy(&wp, data, sizeof(wp));
	err[0] = '\0';
	if (pnetmap_static_check(conf, &wp, err, sizeof(err)) == -1 ||
	    policy_check_peer(conf, &wp, err, sizeof(err)) == -1)
		fuzz_err_ok(err);
}

static void
fuzz_peer_signed(const uint8_t *data, uint8_t flags)
{
	struct imsg_wg_signed	 ws;
	uint8_t			 oldkey[KEY_LEN];
	struct imsg_wg_peer	 wp;
	char			 err[FUZZ_ERRLEN];

	memcpy(&ws, data, sizeof(ws));
	/* tern-signal signs only entries it could have built. */
	if ((flags & 1) && nmsign_entry_ok(&ws.entry))
		nmsign_sign(&ws.entry, signal_sk);
	if ((flags & 2) && nmsign_entry_ok(&ws.entry)) {
		nmsign_lock_sign(&ws.entry, lock_sk, ws.entry.lock_sig);
		ws.entry.has_lock = 1;
		if (flags & 1)
			nmsign_sign(&ws.entry, signal_sk);
	}
	err[0] = '\0';
	if (pnetmap_to_peer(&ws, &wp, err, sizeof(err)) == -1 ||
	    pnetmap_check(conf, &ws, FUZZ_NOW, err, sizeof(err)) == -1 ||
	    policy_check_peer(conf, &wp, err, sizeof(err)) == -1) {
		fuzz_err_ok(err);
		return;
	}
	/* What passes was signed by both keys and is a network of accept. */
	if (nmsign_verify(&ws.entry, conf->signal_key) == -1 ||
	    nmsign_lock_verify(&ws.entry, conf->lock_key) == -1 ||
	    wp.nallowed != ws.entry.naddrs + ws.entry.nallowed)
		abort();
	(void)pnetmap_applied(&ws.entry, oldkey);
}

/* -1 if the request is malformed. */
static int
fuzz_relay_connect(const uint8_t *data, uint8_t flags)
{
	struct imsg_relay_connect	 rc;
	struct imsg_dns_answer		 a;
	struct sockaddr_in6		 to;
	char				 err[CTL_MSG_MAX], host[HOSTPORT_HOST_MAX];
	const char			*errstr;
	uint16_t			 port, listed;
	size_t				 i;
	int				 bootstrap = 0, rv;

	memcpy(&rc, data, sizeof(rc));
	if (relayconn_valid(&rc) == -1)
		return -1;
	memset(&a, 0, sizeof(a));
	a.n = 1;
	a.sa[0] = rc.sa;
	if (flags & 4)
		relayconn_learn(rc.addr, &a);
	err[0] = '\0';
	rv = relayconn_check(conf, &rc, &to, err, sizeof(err));
	if (flags & 4) {
		a.error = EAI_NONAME;
		a.n = 0;
		relayconn_learn(rc.addr, &a);
	}
	if (rv == -1) {
		if (memchr(err, '\0', sizeof(err)) == NULL || err[0] == '\0')
			abort();
		return 0;
	}
	for (i = 0; i < conf->relays.n; i++)
		if (strcmp(conf->relays.r[i].boot.addr, rc.addr) == 0)
			bootstrap = 1;
	port = ntohs(to.sin6_port);
	if (hostport_parse(rc.addr, host, &listed, &errstr) == -1 ||
	    to.sin6_family != AF_INET6 ||
	    !IN6_ARE_ADDR_EQUAL(&to.sin6_addr, &rc.sa.sin6_addr) ||
	    to.sin6_port != rc.sa.sin6_port ||
	    (port != listed && (rc.transport != RELAY_TRANSPORT_TLS ||
	    (port != TERN_TURN_TLS_PORT && port != TERN_TURN_TLS_PORT_RFC))))
		abort();
	if (!bootstrap && (relaysel_local_sa(&to) ||
	    (port < IPPORT_RESERVED && port != TERN_TURN_TLS_PORT)))
		abort();
	return 0;
}

/* 0 to go on, -1 where parent_dispatch would stop ternd. */
static int
fuzz_one(uint8_t type, uint8_t flags, const uint8_t *data, size_t len)
{
	struct imsg_relay_addr	 ra;
	const char		*errstr;
	char			 host[HOSTPORT_HOST_MAX];
	uint16_t		 port;

	switch (type) {
	case IMSG_WG_PEER_SET:
		if (len != sizeof(struct imsg_wg_peer))
			return -1;
		fuzz_peer_set(data);
		return 0;
	case IMSG_WG_PEER_SIGNED:
		if (len != sizeof(struct imsg_wg_signed))
			return -1;
		fuzz_peer_signed(data, flags);
		return 0;
	case IMSG_WG_PEER_DEL:
		return len == sizeof(struct imsg_wg_peer_del) ? 0 : -1;
	case IMSG_RELAY_CONNECT:
		if (len != sizeof(struct imsg_relay_connect))
			return -1;
		return fuzz_relay_connect(data, flags);
	case IMSG_RELAY_RESOLVE:
	case IMSG_RELAY_SAVE:
		if (len != sizeof(ra))
			return -1;
		memcpy(&ra, data, sizeof(ra));
		if (memchr(ra.addr, '\0', sizeof(ra.addr)) == NULL)
			return -1;
		if (type == IMSG_RELAY_SAVE &&
		    hostport_parse(ra.addr, host, &port, &errstr) == -1)
			return -1;
		return 0;
	case IMSG_WG_STATS_REQ:
	case IMSG_RELOAD_REQ:
	case IMSG_SIGNAL_CONNECT:
	case IMSG_RELAY_SAVE_END:
	case IMSG_STATIC_APPLIED:
	case IMSG_RELAY_CA_REQ:
		return len == 0 ? 0 : -1;
	default:
		return -1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t	 payload[FUZZ_PAYLOAD_MAX];
	struct fuzz_in	 in;
	uint8_t		 type, flags;
	uint16_t	 len;

	if (conf == NULL)
		fuzz_init();
	fuzz_in_init(&in, data, size);
	while (in.left > 0) {
		type = fuzz_u8(&in);
		flags = fuzz_u8(&in);
		len = fuzz_u16(&in);
		if (len > sizeof(payload) ||
		    fuzz_take(&in, payload, len) == -1 ||
		    fuzz_one(type, flags, payload, len) == -1)
			break;
	}
	return 0;
}
