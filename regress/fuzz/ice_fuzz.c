/*
 * libFuzzer target for the STUN the engine takes on its UDP socket
 * (agent/ice_check.c's ice_sess_input, agent/stunc.c's stunc_input behind
 * it): connectivity checks from a peer and answers from relays.  Each
 * input drives one ICE session that has offered, taken a fixed answer
 * and sent its first checks, and one outstanding stunc query to a
 * loopback "relay".  The input is a list of records:
 *
 *	0 raw	 u16 length, bytes, source: any datagram, as it came
 *	1 check	 a Binding request keyed with our password: priority,
 *		 role, tie-breaker, USE-CANDIDATE, the remote ufrag or
 *		 a fuzzed one, extra attributes, source
 *	2 answer an answer to one of our checks (index), keyed with the
 *		 remote password: success with XOR-MAPPED or an error code,
 *		 source
 *	3 relay	 an answer to the stunc query: success or error,
 *		 XOR-MAPPED, FINGERPRINT kept or broken, source
 *	4 time	 u16 milliseconds on: the session's timers run
 *	5 ping	 a ternctl ping on the selected pair (remembered with
 *		 our checks, for answers), or all pings out cancelled
 *
 * A source is one of the remote's candidates, the relay, or a fuzzed
 * address.  Keyed records let the fuzzer past MESSAGE-INTEGRITY, which
 * it could not forge; raw ones cover everything before it.  Not
 * covered: the engine glue (ice_input, sockets), signaling (icemsg_fuzz
 * parses that).
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <event.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "engine.h"
#include "fuzz_input.h"
#include "fuzz_stun.h"
#include "ice.h"
#include "relaymgr.h"
#include "stun.h"
#include "stunc.h"

#define FUZZ_T0		1000000	/* a session's first millisecond */
#define FUZZ_CHECKS	16	/* our checks remembered, newest kept */
#define FUZZ_RECORDS	64	/* per input: keeps runs short */
#define FUZZ_DGRAM_MAX	1500	/* ice.c answers fit one Ethernet MTU */
#define FUZZ_PORT	4000	/* the remote's candidates' port */
#define FUZZ_RUFRAG	"rfrg"
#define FUZZ_RPWD	"remote-password-0123456789"

enum fuzz_op {
	FUZZ_RAW = 0,
	FUZZ_CHECK,
	FUZZ_ANSWER,
	FUZZ_RELAY,
	FUZZ_TIME,
	FUZZ_PING,
	FUZZ_NOPS
};

struct fuzz_check {
	uint8_t			 tid[STUN_TID_LEN];
	struct sockaddr_in6	 to;
};

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* ICE needs the engine only for stunc's socket. */
struct engine	*engine;

static struct ice_env		 env;
static struct peer		 peer;
static struct icemsg		 ours;		/* our last offer or answer */
static struct fuzz_check	 checks[FUZZ_CHECKS];
static size_t			 nchecks;
static int			 relay_fd = -1;
static struct sockaddr_in6	 relay_addr;
static uint8_t			 relay_tid[STUN_TID_LEN];
static int			 relay_pending;
static int			 npongs;

void
peer_path_alt(struct peer *p, const struct sockaddr_in6 *alt, int relayed)
{
}

void
peer_path_fresh(struct peer *p)
{
}

/* The engine's TURN client is not part of these tests. */
void
relaymgr_turn_want(void)
{
}

int
relaymgr_turn_send(const uint8_t *buf, size_t len,
    const struct sockaddr_in6 *to)
{
	return -1;
}

void
relaymgr_turn_permit(const struct sockaddr_in6 *to)
{
}

int
peer_signal_send(struct peer *p, const struct icemsg *m)
{
	ours = *m;
	return 0;
}

void
peer_path_up(struct peer *p, const struct sockaddr_in6 *remote, int relayed)
{
}

void
peer_path_down(struct peer *p)
{
}

void
peer_path_learn(struct peer *p, const struct sockaddr_in6 *from, int relayed)
{
}

/* What ICE sends must be STUN we can read; checks are remembered. */
static int
fuzz_send(const uint8_t *buf, size_t len, const struct sockaddr_in6 *to,
    void *arg)
{
	struct stun_msg	 m;

	if (stun_parse(buf, len, &m) == -1 ||
	    stun_check_fingerprint(&m) == -1)
		abort();
	if (stun_class(m.type) != STUN_REQUEST)
		return 0;
	memcpy(checks[nchecks % FUZZ_CHECKS].tid, m.tid, STUN_TID_LEN);
	checks[nchecks % FUZZ_CHECKS].to = *to;
	nchecks++;
	return 0;
}

/* A pong is timed, on a pair of ours: no relay here. */
static void
fuzz_pong_cb(void *arg, const struct ice_pong *r)
{
	if (arg != &npongs || r->rtt_us == 0 || r->relayed ||
	    r->remote.sin6_family != AF_INET6)
		abort();
	npongs++;
}

/* One call per query, with an address only when it succeeded. */
static void
fuzz_relay_cb(void *arg, int ok, const struct sockaddr_in6 *mapped,
    uint32_t rtt_us)
{
	if (ok != (mapped != NULL) || (ok && rtt_us == 0) || !relay_pending)
		abort();
	relay_pending = 0;
}

/* Our loopback socket stands for the engine's and for the relay. */
static void
fuzz_init(void)
{
	socklen_t	 len = sizeof(relay_addr);

	if (sodium_init() < 0)
		abort();
	event_init();
	if ((engine = calloc(1, sizeof(*engine))) == NULL ||
	    (relay_fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK, 0)) == -1)
		abort();
	fuzz_addr(&relay_addr, "::1", 0);
	if (bind(relay_fd, (struct sockaddr *)&relay_addr,
	    sizeof(relay_addr)) == -1 ||
	    getsockname(relay_fd, (struct sockaddr *)&relay_addr, &len) == -1)
		abort();
	engine->netfd = relay_fd;
	stunc_init(-1);
	env.port = 51820;
	env.send = fuzz_send;
	fuzz_addr(&env.srflx[0], "::ffff:203.0.113.7", env.port);
	env.nsrflx = 1;
	fuzz_addr(&relay_addr, "::1", ntohs(relay_addr.sin6_port));
	if (inet_pton(AF_INET6, "::ffff:10.0.0.1", &env.addrs[0]) != 1 ||
	    inet_pton(AF_INET6, "2001:db8::2", &env.addrs[1]) != 1)
		abort();
	env.naddrs = 2;
	memset(env.nodepub, 0x11, KEY_LEN);
	strlcpy(peer.conf.name, "fuzz", sizeof(peer.conf.name));
	peer.has_node_key = 1;
}

/* The remote's answer to our offer: two host candidates. */
static void
fuzz_answer(struct icemsg *m)
{
	memset(m, 0, sizeof(*m));
	m->type = ICEMSG_ANSWER;
	strlcpy(m->ufrag, FUZZ_RUFRAG, sizeof(m->ufrag));
	strlcpy(m->pwd, FUZZ_RPWD, sizeof(m->pwd));
	m->has_tie_breaker = 1;
	m->tie_breaker = 1;
	m->ncands = 2;
	strlcpy(m->cands[0].foundation, "h1", sizeof(m->cands[0].foundation));
	m->cands[0].priority = ice_cand_priority(CAND_HOST, 32767);
	m->cands[0].type = ICEMSG_HOST;
	fuzz_addr(&m->cands[0].addr, "::ffff:192.0.2.1", FUZZ_PORT);
	strlcpy(m->cands[1].foundation, "h2", sizeof(m->cands[1].foundation));
	m->cands[1].priority = ice_cand_priority(CAND_HOST, 65535);
	m->cands[1].type = ICEMSG_HOST;
	fuzz_addr(&m->cands[1].addr, "2001:db8::1", FUZZ_PORT);
}

static void
fuzz_source(struct fuzz_in *in, struct sockaddr_in6 *from)
{
	switch (fuzz_u8(in) % 4) {
	case 0:
		fuzz_addr(from, "::ffff:192.0.2.1", FUZZ_PORT);
		break;
	case 1:
		fuzz_addr(from, "2001:db8::1", FUZZ_PORT);
		break;
	case 2:
		*from = relay_addr;
		break;
	default:
		memset(from, 0, sizeof(*from));
		from->sin6_family = AF_INET6;
		fuzz_take(in, &from->sin6_addr, sizeof(from->sin6_addr));
		from->sin6_port = htons(fuzz_u16(in));
		break;
	}
}

/* An XOR-MAPPED-ADDRESS of either family, from the input. */
static int
fuzz_add_mapped(struct fuzz_in *in, struct stun_builder *b)
{
	struct sockaddr_storage	 ss;

	fuzz_stun_addr(in, &ss);
	return stun_add_xor_addr(b, STUN_ATTR_XOR_MAPPED_ADDRESS,
	    (struct sockaddr *)&ss);
}

/* A request from the remote, keyed with our password. */
static size_t
fuzz_check(struct fuzz_in *in, uint8_t *buf, size_t size)
{
	struct stun_builder	 b;
	uint8_t			 tid[STUN_TID_LEN], flags;
	char			 user[2 * ICEMSG_UFRAG_MAX], theirs[8];

	fuzz_take(in, tid, sizeof(tid));
	flags = fuzz_u8(in);
	if (flags & 1) {
		fuzz_take(in, theirs, sizeof(theirs) - 1);
		theirs[sizeof(theirs) - 1] = '\0';
	} else
		strlcpy(theirs, FUZZ_RUFRAG, sizeof(theirs));
	snprintf(user, sizeof(user), "%s:%s", ours.ufrag, theirs);
	if (stun_build_init(&b, buf, size,
	    stun_type(STUN_BINDING, STUN_REQUEST), tid) == -1 ||
	    stun_add_bytes(&b, STUN_ATTR_USERNAME, user, strlen(user)) == -1 ||
	    ((flags & 2) && stun_add_u32(&b, STUN_ATTR_PRIORITY,
	    fuzz_u32(in)) == -1) ||
	    ((flags & 4) && stun_add_u64(&b, STUN_ATTR_ICE_CONTROLLING,
	    fuzz_u64(in)) == -1) ||
	    ((flags & 8) && stun_add_u64(&b, STUN_ATTR_ICE_CONTROLLED,
	    fuzz_u64(in)) == -1) ||
	    ((flags & 16) && stun_add_bytes(&b, STUN_ATTR_USE_CANDIDATE,
	    NULL, 0) == -1) ||
	    fuzz_stun_extra(in, &b) == -1 ||
	    stun_add_integrity(&b, (const uint8_t *)ours.pwd,
	    strlen(ours.pwd)) == -1 ||
	    stun_add_fingerprint(&b) == -1)
		return 0;
	return stun_build_len(&b);
}

/* An answer with tid: success with a mapping, or an error code. */
static size_t
fuzz_answer_to(struct fuzz_in *in, const uint8_t *tid, const char *pwd,
    uint8_t *buf, size_t size)
{
	struct stun_builder	 b;
	uint8_t			 flags = fuzz_u8(in);

	if (stun_build_init(&b, buf, size, stun_type(STUN_BINDING,
	    (flags & 1) ? STUN_ERROR : STUN_SUCCESS), tid) == -1 ||
	    ((flags & 1) && stun_add_error(&b, fuzz_u16(in) % 700,
	    "fuzz") == -1) ||
	    ((flags & 2) && fuzz_add_mapped(in, &b) == -1) ||
	    fuzz_stun_extra(in, &b) == -1 ||
	    (pwd != NULL && stun_add_integrity(&b, (const uint8_t *)pwd,
	    strlen(pwd)) == -1) ||
	    stun_add_fingerprint(&b) == -1)
		return 0;
	/* A broken FINGERPRINT: the answer must be dropped. */
	if (flags & 4)
		buf[stun_build_len(&b) - 1] ^= 1;
	return stun_build_len(&b);
}

/* Our stunc request to the "relay" came back to us: its id. */
static void
fuzz_relay_query(void)
{
	uint8_t		 buf[FUZZ_DGRAM_MAX];
	struct stun_msg	 m;
	ssize_t		 n;

	relay_pending = 0;
	if (stunc_query(STUNC_MAIN, &relay_addr, fuzz_relay_cb,
	    &relay_pending) == -1)
		abort();
	relay_pending = 1;
	if ((n = recv(relay_fd, buf, sizeof(buf), 0)) == -1 ||
	    stun_parse(buf, n, &m) == -1)
		abort();
	memcpy(relay_tid, m.tid, sizeof(relay_tid));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in		 in;
	struct icemsg		 answer;
	struct sockaddr_in6	 from;
	uint8_t			 buf[FUZZ_DGRAM_MAX];
	uint64_t		 now = FUZZ_T0;
	size_t			 len, i;
	uint16_t		 n;

	if (relay_fd == -1)
		fuzz_init();
	fuzz_in_init(&in, data, size);
	nchecks = 0;
	if (ice_sess_open(&peer, &env, now) == -1)
		abort();
	fuzz_answer(&answer);
	ice_sess_signal(&peer, &env, &answer, now);
	ice_run(now);
	fuzz_relay_query();
	for (i = 0; i < FUZZ_RECORDS && in.left > 0; i++) {
		len = 0;
		switch (fuzz_u8(&in) % FUZZ_NOPS) {
		case FUZZ_RAW:
			n = fuzz_u16(&in) % sizeof(buf);
			fuzz_take(&in, buf, n);
			len = n;
			break;
		case FUZZ_CHECK:
			len = fuzz_check(&in, buf, sizeof(buf));
			break;
		case FUZZ_ANSWER:
			if (nchecks == 0)
				continue;
			n = fuzz_u8(&in) % (nchecks < FUZZ_CHECKS ? nchecks :
			    FUZZ_CHECKS);
			len = fuzz_answer_to(&in, checks[n].tid, FUZZ_RPWD,
			    buf, sizeof(buf));
			break;
		case FUZZ_RELAY:
			len = fuzz_answer_to(&in, relay_tid, NULL, buf,
			    sizeof(buf));
			break;
		case FUZZ_TIME:
			now += fuzz_u16(&in);
			ice_run(now);
			continue;
		case FUZZ_PING:
			if (fuzz_u8(&in) & 1)
				ice_ping_cancel(&npongs);
			else
				(void)ice_ping(&peer, fuzz_pong_cb, &npongs);
			continue;
		}
		fuzz_source(&in, &from);
		ice_sess_input(buf, len, &from, now);
	}
	/* An answered query calls back now, from the timer. */
	event_loop(EVLOOP_NONBLOCK);
	stunc_cancel(&relay_pending);
	ice_ping_cancel(&npongs);
	ice_stop(&peer);
	return 0;
}
