/*
 * Unit tests of agent/ice.c: priorities, roles, checklist order, and
 * two sessions A and B in one process that reach each other through a
 * simulated network of queued signals and datagrams.
 */
#include <sys/socket.h>
#include <sys/time.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <event.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "engine.h"
#include "ice.h"
#include "monotime.h"
#include "relaymgr.h"
#include "stun.h"

#define QUEUE_MAX	256	/* datagrams or signals in flight */
#define STEPS_MAX	100000	/* bound on a simulation */
#define T0		1000000	/* the simulation's first millisecond */
#define T1		(T0 + 100000)	/* a later start, past any pacing */
#define PORT_A		1000
#define PORT_B		2000
#define GLUE_MS		5000	/* the real-socket test's budget */
#define CONSENT_MAX_MS	6000	/* RFC 7675: 5 s + 20% */
#define CONSENT_LOST_MS	30000	/* RFC 7675: consent expires */
#define TICK_US		10000	/* it runs B's core every 10 ms */
#define ICE_TEST_STUN_MAX	576	/* ICE's own limit (ice_int.h) */
/* RFC 8445 5.1.2.1 by hand: host v6 and v4 with our local preferences. */
#define PRIO_HOST_V6	2130706431U	/* 126 << 24 | 65535 << 8 | 255 */
#define PRIO_HOST_V4	2122317823U	/* 126 << 24 | 32767 << 8 | 255 */
#define PRIO_PRFLX_V4	1853882367U	/* 110 << 24 | 32767 << 8 | 255 */
#define PRIO_SRFLX_V4	1686110207U	/* 100 << 24 | 32767 << 8 | 255 */

/* ICE needs the engine global only in its glue, which tests bypass. */
struct engine	*engine;

struct dgram {
	struct sockaddr_in6	 from;
	struct sockaddr_in6	 to;
	uint8_t			 buf[1500];
	size_t			 len;
};

struct side {
	struct ice_env		 env;
	struct peer		 peer;		/* this side's view of the other */
	struct side		*other;
	struct sockaddr_in6	 src4;		/* where its datagrams come from */
	struct sockaddr_in6	 src6;
	int			 signal_down;	/* its signaling is cut */
	int			 nsignals;
	struct icemsg		 last_signal;
	int			 up;		/* peer_path_up calls */
	int			 down;		/* peer_path_down calls */
	int			 learned;	/* peer_path_learn calls */
	struct sockaddr_in6	 path;
	int			 nsent;
	int			 glue;		/* the engine's ICE, ice_signal */
	int			 fd;		/* a real socket, or -1 */
	int			 nrequests;
	int			 controlling;	/* in its last request */
	int			 deaf;		/* datagrams to it are lost */
};

static struct dgram	 dgrams[QUEUE_MAX];
static size_t		 ndgrams;
static struct {
	struct side	*to;
	struct icemsg	 m;
} signals[QUEUE_MAX];
static size_t		 nsignals;
static struct side	 A, B;
static int		 nconflicts;	/* 487 answers sent */

static void	 addr(struct sockaddr_in6 *, const char *, uint16_t);
static struct side *side_of(struct peer *);
static int	 net_send(const uint8_t *, size_t, const struct sockaddr_in6 *,
		    void *);
static void	 setup(const char *, const char *, int);
static uint64_t	 run(uint64_t, uint64_t);
static void	 deliver(uint64_t);
static void	 take_dgram(size_t, struct stun_msg *);
static void	 connect_ab(uint64_t, uint64_t);
static int	 udp_socket(uint16_t *);
static void	 glue_read(int, short, void *);
static void	 glue_tick(int, short, void *);
static void	 pong_cb(void *, const struct ice_pong *);
static void	 deliver_one(const struct sockaddr_in6 *, uint64_t);
static size_t	 request(uint8_t *, size_t, const char *, const char *,
		    const char *, uint16_t, uint64_t);

static void
addr(struct sockaddr_in6 *a, const char *text, uint16_t port)
{
	struct in_addr	 in;

	memset(a, 0, sizeof(*a));
	a->sin6_family = AF_INET6;
	a->sin6_port = htons(port);
	if (inet_pton(AF_INET, text, &in) == 1) {
		a->sin6_addr.s6_addr[10] = 0xff;
		a->sin6_addr.s6_addr[11] = 0xff;
		memcpy(&a->sin6_addr.s6_addr[12], &in, sizeof(in));
	} else
		ATF_REQUIRE(inet_pton(AF_INET6, text, &a->sin6_addr) == 1);
}

static struct side *
side_of(struct peer *p)
{
	if (p == &A.peer)
		return &A;
	ATF_REQUIRE(p == &B.peer);
	return &B;
}

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
	struct side	*s = side_of(p);

	s->nsignals++;
	s->last_signal = *m;
	if (s->signal_down)
		return -1;
	ATF_REQUIRE(nsignals < QUEUE_MAX);
	signals[nsignals].to = s->other;
	signals[nsignals].m = *m;
	nsignals++;
	return 0;
}

void
peer_path_up(struct peer *p, const struct sockaddr_in6 *remote, int relayed)
{
	struct side	*s = side_of(p);

	s->up++;
	s->path = *remote;
}

void
peer_path_down(struct peer *p)
{
	side_of(p)->down++;
}

void
peer_path_learn(struct peer *p, const struct sockaddr_in6 *from, int relayed)
{
	side_of(p)->learned++;
}

static int
net_send(const uint8_t *buf, size_t len, const struct sockaddr_in6 *to,
    void *arg)
{
	struct side	*s = arg;
	struct dgram	*d;
	struct stun_msg	 m;

	if (s->fd != -1)
		return sendto(s->fd, buf, len, 0, (const struct sockaddr *)to,
		    sizeof(*to)) == (ssize_t)len ? 0 : -1;
	ATF_REQUIRE(ndgrams < QUEUE_MAX && len <= sizeof(d->buf));
	d = &dgrams[ndgrams++];
	d->from = IN6_IS_ADDR_V4MAPPED(&to->sin6_addr) ? s->src4 : s->src6;
	d->to = *to;
	memcpy(d->buf, buf, len);
	d->len = len;
	ATF_REQUIRE(stun_parse(buf, len, &m) == 0);
	if ((m.has & STUN_HAS_ERROR) && m.error_code == STUN_ERR_ROLE_CONFLICT)
		nconflicts++;
	if (stun_class(m.type) == STUN_REQUEST) {
		s->nrequests++;
		s->controlling = (m.has & STUN_HAS_ICE_CONTROLLING) != 0;
	}
	s->nsent++;
	return 0;
}

/* A and B on 127.0.0.1 and ::1; a_controls: A's node key is larger. */
static void
setup(const char *a4, const char *b4, int a_controls)
{
	struct sockaddr_in6	 host4;
	struct side		*s;
	int			 i;

	ice_stop(&A.peer);
	ice_stop(&B.peer);
	memset(&A, 0, sizeof(A));
	memset(&B, 0, sizeof(B));
	ndgrams = nsignals = 0;
	A.other = &B;
	B.other = &A;
	for (i = 0; i < 2; i++) {
		s = i == 0 ? &A : &B;
		s->env.port = i == 0 ? PORT_A : PORT_B;
		s->env.send = net_send;
		s->env.arg = s;
		addr(&host4, "127.0.0.1", s->env.port);
		addr(&s->src4, i == 0 ? a4 : b4, s->env.port);
		addr(&s->src6, "::1", s->env.port);
		s->env.addrs[0] = s->src6.sin6_addr;
		s->env.addrs[1] = host4.sin6_addr;
		s->env.naddrs = 2;
		memset(s->env.nodepub, (i == 0) == a_controls ? 0xee : 0x11,
		    KEY_LEN);
		strlcpy(s->peer.conf.name, i == 0 ? "b" : "a",
		    sizeof(s->peer.conf.name));
		s->peer.has_node_key = 1;
		s->fd = -1;
	}
	memcpy(A.peer.node_key, B.env.nodepub, KEY_LEN);
	memcpy(B.peer.node_key, A.env.nodepub, KEY_LEN);
}

/* Hands every queued signal and datagram to its receiver. */
static void
deliver(uint64_t now)
{
	struct dgram	 d;
	size_t		 n = 0;

	while ((nsignals > 0 || ndgrams > 0) && n++ < STEPS_MAX) {
		if (nsignals > 0) {
			struct side	*to = signals[0].to;
			struct icemsg	 m = signals[0].m;

			memmove(signals, signals + 1,
			    --nsignals * sizeof(signals[0]));
			if (to->glue)
				ice_signal(&to->peer, &m);
			else
				ice_sess_signal(&to->peer, &to->env, &m, now);
			continue;
		}
		d = dgrams[0];
		memmove(dgrams, dgrams + 1, --ndgrams * sizeof(dgrams[0]));
		if ((A.deaf && ntohs(d.to.sin6_port) == PORT_A) ||
		    (B.deaf && ntohs(d.to.sin6_port) == PORT_B))
			continue;
		ice_sess_input(d.buf, d.len, &d.from, now);
	}
	ATF_REQUIRE(n < STEPS_MAX);
}

/* Runs the single timer from now until, delivering as it goes. */
static uint64_t
run(uint64_t now, uint64_t until)
{
	uint64_t	 next;
	size_t		 n;

	for (n = 0; n < STEPS_MAX; n++) {
		deliver(now);
		if ((next = ice_next_wake(now)) > until)
			return until;
		now = next;
		ice_run(now);
	}
	atf_tc_fail("simulation did not settle");
}

static void
take_dgram(size_t i, struct stun_msg *m)
{
	ATF_REQUIRE(i < ndgrams);
	ATF_REQUIRE(stun_parse(dgrams[i].buf, dgrams[i].len, m) == 0);
}

/* A offers at t; by until both have called peer_path_up once. */
static void
connect_ab(uint64_t t, uint64_t until)
{
	ATF_REQUIRE(ice_sess_open(&A.peer, &A.env, t) == 0);
	run(t, until);
	ATF_REQUIRE_EQ(A.up, 1);
	ATF_REQUIRE_EQ(B.up, 1);
}

/* A Binding request from "theirs" to "ours", keyed with pwd. */
static size_t
request(uint8_t *buf, size_t len, const char *ours, const char *theirs,
    const char *pwd, uint16_t role, uint64_t tie)
{
	struct stun_builder	 b;
	uint8_t			 tid[STUN_TID_LEN];
	char			 user[2 * ICEMSG_UFRAG_MAX];

	memset(tid, (int)(tie & 0xff) + 7, sizeof(tid));
	snprintf(user, sizeof(user), "%s:%s", ours, theirs);
	ATF_REQUIRE(stun_build_init(&b, buf, len,
	    stun_type(STUN_BINDING, STUN_REQUEST), tid) == 0);
	ATF_REQUIRE(stun_add_bytes(&b, STUN_ATTR_USERNAME, user,
	    strlen(user)) == 0);
	ATF_REQUIRE(stun_add_u32(&b, STUN_ATTR_PRIORITY, 1) == 0);
	ATF_REQUIRE(stun_add_u64(&b, role, tie) == 0);
	ATF_REQUIRE(stun_add_integrity(&b, (const uint8_t *)pwd,
	    strlen(pwd)) == 0);
	ATF_REQUIRE(stun_add_fingerprint(&b) == 0);
	return stun_build_len(&b);
}

ATF_TC_WITHOUT_HEAD(priorities);
ATF_TC_BODY(priorities, tc)
{
	struct in6_addr	 v4, v6;

	ATF_REQUIRE(inet_pton(AF_INET6, "::ffff:10.0.0.1", &v4) == 1);
	ATF_REQUIRE(inet_pton(AF_INET6, "2001:db8::1", &v6) == 1);
	ATF_CHECK_EQ(ice_local_pref(&v6, 0), 65535);
	ATF_CHECK_EQ(ice_local_pref(&v6, 1), 65534);
	ATF_CHECK_EQ(ice_local_pref(&v4, 0), 32767);
	ATF_CHECK_EQ(ice_cand_priority(CAND_HOST, 65535), PRIO_HOST_V6);
	ATF_CHECK_EQ(ice_cand_priority(CAND_HOST, 32767), PRIO_HOST_V4);
	ATF_CHECK_EQ(ice_cand_priority(CAND_PRFLX, 65535), 1862270975U);
	ATF_CHECK_EQ(ice_cand_priority(CAND_PRFLX, 32767), PRIO_PRFLX_V4);
	ATF_CHECK_EQ(ice_cand_priority(CAND_SRFLX, 65534), 1694498559U);
	ATF_CHECK_EQ(ice_cand_priority(CAND_RELAY, 65535), 16777215U);
	/* 2^32 * MIN(G, D) + 2 * MAX(G, D) + (G > D ? 1 : 0) */
	ATF_CHECK(ice_pair_priority(PRIO_HOST_V6, PRIO_HOST_V4) ==
	    9115285645764329471ULL);
	ATF_CHECK(ice_pair_priority(PRIO_HOST_V4, PRIO_HOST_V6) ==
	    9115285645764329470ULL);
	ATF_CHECK(ice_pair_priority(1, 1) == (1ULL << 32) + 2);
}

ATF_TC_WITHOUT_HEAD(is_stun);
ATF_TC_BODY(is_stun, tc)
{
	struct stun_builder	 b;
	uint8_t			 buf[64], tid[STUN_TID_LEN] = { 1 };
	uint8_t			 wg[148] = { 1, 0, 0, 0 };

	ATF_REQUIRE(stun_build_init(&b, buf, sizeof(buf),
	    stun_type(STUN_BINDING, STUN_REQUEST), tid) == 0);
	ATF_REQUIRE(stun_add_fingerprint(&b) == 0);
	ATF_CHECK(ice_is_stun(buf, stun_build_len(&b)));
	ATF_CHECK(!ice_is_stun(buf, stun_build_len(&b) - 1));
	ATF_CHECK(!ice_is_stun(buf, STUN_HDR_LEN - 1));
	buf[0] |= 0x80;
	ATF_CHECK(!ice_is_stun(buf, stun_build_len(&b)));
	ATF_CHECK(!ice_is_stun(wg, sizeof(wg)));
}

/* The larger node key controls; its checks say so and nominate. */
ATF_TC_WITHOUT_HEAD(roles);
ATF_TC_BODY(roles, tc)
{
	struct stun_msg	 m;
	size_t		 i;

	setup("127.0.0.1", "127.0.0.1", 1);
	ATF_REQUIRE(ice_sess_open(&A.peer, &A.env, T0) == 0);
	ATF_REQUIRE_EQ(A.nsignals, 1);
	ATF_CHECK_EQ(A.last_signal.type, ICEMSG_OFFER);
	deliver(T0);
	ATF_REQUIRE_EQ(B.nsignals, 1);
	ATF_CHECK_EQ(B.last_signal.type, ICEMSG_ANSWER);
	deliver(T0);
	/* One check per Ta for all sessions: B's, then A's. */
	ATF_REQUIRE_EQ(ice_next_wake(T0), T0);
	ice_run(T0);
	ATF_REQUIRE_EQ(ndgrams, 1);
	ATF_REQUIRE_EQ(ice_next_wake(T0), T0 + 50);
	ice_run(T0 + 50);
	ATF_REQUIRE_EQ(ndgrams, 2);
	for (i = 0; i < 2; i++) {
		take_dgram(i, &m);
		if (ntohs(dgrams[i].from.sin6_port) == PORT_A) {
			ATF_CHECK(m.has & STUN_HAS_ICE_CONTROLLING);
			ATF_CHECK(m.has & STUN_HAS_USE_CANDIDATE);
		} else {
			ATF_CHECK(m.has & STUN_HAS_ICE_CONTROLLED);
			ATF_CHECK((m.has & STUN_HAS_USE_CANDIDATE) == 0);
		}
	}

	setup("127.0.0.1", "127.0.0.1", 0);
	ATF_REQUIRE(ice_sess_open(&A.peer, &A.env, T1) == 0);
	deliver(T1);
	ice_run(T1);
	ice_run(T1 + 50);
	ATF_REQUIRE_EQ(ndgrams, 2);
	i = ntohs(dgrams[0].from.sin6_port) == PORT_A ? 0 : 1;
	take_dgram(i, &m);
	ATF_CHECK(m.has & STUN_HAS_ICE_CONTROLLED);
	ATF_CHECK((m.has & STUN_HAS_USE_CANDIDATE) == 0);
	ATF_CHECK_EQ(m.priority, ice_cand_priority(CAND_PRFLX, 65535));
	ice_stop(&A.peer);
	ice_stop(&B.peer);
	ATF_CHECK_EQ(ice_next_wake(T0), UINT64_MAX);

	/* No node key, no session: roles could not be told. */
	A.peer.has_node_key = 0;
	ATF_CHECK_EQ(ice_sess_open(&A.peer, &A.env, T0), -1);
}

/* Checks go out in pair priority order, one per Ta, same family only. */
ATF_TC_WITHOUT_HEAD(checklist_order);
ATF_TC_BODY(checklist_order, tc)
{
	struct icemsg	 m;
	struct stun_msg	 sm;
	struct sockaddr_in6 want[3];
	const char	*addrs[] = { "192.0.2.1", "2001:db8::1", "192.0.2.2" };
	uint32_t	 prios[] = { 100, 300, 200 };
	size_t		 i;

	setup("127.0.0.1", "127.0.0.1", 1);
	A.signal_down = 1;
	ATF_REQUIRE(ice_sess_open(&A.peer, &A.env, T0) == 0);
	memset(&m, 0, sizeof(m));
	m.type = ICEMSG_ANSWER;
	strlcpy(m.ufrag, "rmtu", sizeof(m.ufrag));
	strlcpy(m.pwd, "0123456789abcdefghijkl", sizeof(m.pwd));
	for (i = 0; i < 3; i++) {
		m.cands[i].type = ICEMSG_HOST;
		m.cands[i].priority = prios[i];
		strlcpy(m.cands[i].foundation, "f", 2);
		m.cands[i].foundation[0] += i;
		addr(&m.cands[i].addr, addrs[i], 3478);
	}
	m.ncands = 3;
	ice_sess_signal(&A.peer, &A.env, &m, T0);
	/* 300 << 32 pairs with v6; then 200 << 32 and 100 << 32 with v4. */
	addr(&want[0], "2001:db8::1", 3478);
	addr(&want[1], "192.0.2.2", 3478);
	addr(&want[2], "192.0.2.1", 3478);
	for (i = 0; i < 3; i++) {
		ATF_REQUIRE_EQ(ice_next_wake(T0 + 50 * i), T0 + 50 * i);
		ice_run(T0 + 50 * i);
		ATF_REQUIRE_EQ(ndgrams, i + 1);
		ATF_CHECK_MSG(memcmp(&dgrams[i].to.sin6_addr,
		    &want[i].sin6_addr, 16) == 0, "check %zu", i);
		take_dgram(i, &sm);
		ATF_CHECK_EQ(sm.priority, i == 0 ?
		    ice_cand_priority(CAND_PRFLX, 65535) : PRIO_PRFLX_V4);
		/* Ta paces them: nothing new before the next 50 ms. */
		ice_run(T0 + 50 * i + 49);
		ATF_CHECK_EQ(ndgrams, i + 1);
	}
	/* Then retransmits only, after RTO 500 ms. */
	ATF_CHECK_EQ(ice_next_wake(T0 + 101), T0 + 500);
	ice_stop(&A.peer);
}

/*
 * The remote's private host addresses off our networks are checked
 * after its server-reflexive one, though their priority is higher; a
 * private one on our /24 is not.
 */
ATF_TC_WITHOUT_HEAD(private_last);
ATF_TC_BODY(private_last, tc)
{
	struct icemsg	 m;
	const char	*addrs[] = { "192.168.7.9", "10.0.2.30", "203.0.113.5" };
	enum icemsg_cand_type types[] = { ICEMSG_HOST, ICEMSG_HOST,
			    ICEMSG_SRFLX };
	const char	*want[] = { "10.0.2.30", "203.0.113.5", "192.168.7.9" };
	struct sockaddr_in6 w, ours;
	size_t		 i;

	setup("127.0.0.1", "127.0.0.1", 1);
	/* Our IPv4 host address is on 10.0.2.0/24. */
	addr(&ours, "10.0.2.1", PORT_A);
	A.env.addrs[1] = ours.sin6_addr;
	A.signal_down = 1;
	ATF_REQUIRE(ice_sess_open(&A.peer, &A.env, T0) == 0);
	memset(&m, 0, sizeof(m));
	m.type = ICEMSG_ANSWER;
	strlcpy(m.ufrag, "rmtu", sizeof(m.ufrag));
	strlcpy(m.pwd, "0123456789abcdefghijkl", sizeof(m.pwd));
	for (i = 0; i < 3; i++) {
		m.cands[i].type = types[i];
		m.cands[i].priority = ice_cand_priority(
		    (enum cand_type)types[i], 65535 - i);
		strlcpy(m.cands[i].foundation, "f", 2);
		m.cands[i].foundation[0] += i;
		addr(&m.cands[i].addr, addrs[i], 3478);
	}
	m.ncands = 3;
	ice_sess_signal(&A.peer, &A.env, &m, T0);
	for (i = 0; i < 3; i++) {
		ice_run(T0 + 50 * i);
		ATF_REQUIRE_EQ(ndgrams, i + 1);
		addr(&w, want[i], 3478);
		ATF_CHECK_MSG(memcmp(&dgrams[i].to.sin6_addr, &w.sin6_addr,
		    16) == 0, "check %zu is not to %s", i, want[i]);
	}
	ice_stop(&A.peer);
}

/* A and B, fed each other's offer and datagrams, both select a pair. */
ATF_TC_WITHOUT_HEAD(two_sessions);
ATF_TC_BODY(two_sessions, tc)
{
	struct sockaddr_in6	 l, r, want;
	enum cand_type		 lt, rt;

	setup("127.0.0.1", "127.0.0.1", 1);
	connect_ab(T0, T0 + 1000);
	/* Both have IPv6: ::1 ranks first. */
	addr(&want, "::1", PORT_B);
	ATF_CHECK(memcmp(&A.path, &want, sizeof(want)) == 0);
	ATF_REQUIRE(ice_pair(&A.peer, &l, &lt, &r, &rt) == 0);
	ATF_CHECK_EQ(lt, CAND_HOST);
	ATF_CHECK_EQ(rt, CAND_HOST);
	ATF_CHECK_EQ(ntohs(l.sin6_port), PORT_A);
	ATF_CHECK_EQ(ntohs(r.sin6_port), PORT_B);
	ATF_REQUIRE(ice_pair(&B.peer, &l, &lt, &r, &rt) == 0);
	ATF_CHECK_EQ(ntohs(r.sin6_port), PORT_A);
	ATF_CHECK_EQ(ntohs(B.path.sin6_port), PORT_A);
	ATF_CHECK_EQ(A.down + B.down, 0);
	/* The first request each side answered came before its selection. */
	ATF_CHECK(A.learned + B.learned >= 1);
	/* Selected on both sides: only consent checks, 4 to 6 s apart. */
	run(T0 + 1000, T0 + 60000);
	ATF_CHECK_EQ(A.up, 1);
	ATF_CHECK_EQ(A.down, 0);
	ATF_CHECK(ice_next_wake(T0 + 60000) > T0 + 60000);
	ATF_CHECK(ice_next_wake(T0 + 60000) <= T0 + 60000 + CONSENT_MAX_MS);
	ATF_CHECK(ice_rtt(&A.peer) > 0);
	ice_stop(&A.peer);
	ATF_CHECK_EQ(A.down, 1);
	ATF_CHECK(ice_pair(&A.peer, &l, &lt, &r, &rt) == -1);
	ice_stop(&B.peer);
}

/* B sees A from an address A did not offer: peer-reflexive both ways. */
ATF_TC_WITHOUT_HEAD(peer_reflexive);
ATF_TC_BODY(peer_reflexive, tc)
{
	struct sockaddr_in6	 l, r, want;
	enum cand_type		 lt, rt;

	setup("127.0.0.2", "127.0.0.1", 1);
	/* IPv4 only, so the v4 pair is the one. */
	A.env.naddrs = B.env.naddrs = 1;
	A.env.addrs[0] = B.env.addrs[0] = B.src4.sin6_addr;
	connect_ab(T0, T0 + 3000);
	ATF_REQUIRE(ice_pair(&A.peer, &l, &lt, &r, &rt) == 0);
	addr(&want, "127.0.0.2", PORT_A);
	ATF_CHECK_EQ(lt, CAND_PRFLX);
	ATF_CHECK(memcmp(&l.sin6_addr, &want.sin6_addr, 16) == 0);
	ATF_CHECK_EQ(rt, CAND_HOST);
	ATF_REQUIRE(ice_pair(&B.peer, &l, &lt, &r, &rt) == 0);
	ATF_CHECK_EQ(rt, CAND_PRFLX);
	ATF_CHECK(memcmp(&r, &want, sizeof(want)) == 0);
	ATF_CHECK(memcmp(&B.path, &want, sizeof(want)) == 0);
	ice_stop(&A.peer);
	ice_stop(&B.peer);
}

/*
 * A behind a NAT that maps it to 192.0.2.2, as its relay reported: the
 * offer carries the server-reflexive candidate, and both name it.
 */
ATF_TC_WITHOUT_HEAD(server_reflexive);
ATF_TC_BODY(server_reflexive, tc)
{
	struct sockaddr_in6	 l, r, want;
	enum cand_type		 lt, rt;
	size_t			 i, nsrflx = 0;

	setup("192.0.2.2", "127.0.0.1", 1);
	A.env.naddrs = B.env.naddrs = 1;
	A.env.addrs[0] = B.env.addrs[0] = B.src4.sin6_addr;
	addr(&want, "192.0.2.2", PORT_A);
	A.env.srflx[0] = want;
	A.env.nsrflx = 1;
	ATF_REQUIRE(ice_sess_open(&A.peer, &A.env, T0) == 0);
	ATF_REQUIRE_EQ(nsignals, 1);
	ATF_REQUIRE_EQ(signals[0].m.type, ICEMSG_OFFER);
	ATF_REQUIRE_EQ(signals[0].m.ncands, 2);
	for (i = 0; i < signals[0].m.ncands; i++) {
		if (signals[0].m.cands[i].type != ICEMSG_SRFLX)
			continue;
		nsrflx++;
		ATF_CHECK_EQ(signals[0].m.cands[i].priority, PRIO_SRFLX_V4);
		ATF_CHECK(memcmp(&signals[0].m.cands[i].addr, &want,
		    sizeof(want)) == 0);
	}
	ATF_CHECK_EQ(nsrflx, 1);
	run(T0, T0 + 3000);
	ATF_REQUIRE_EQ(A.up, 1);
	ATF_REQUIRE_EQ(B.up, 1);
	ATF_REQUIRE(ice_pair(&A.peer, &l, &lt, &r, &rt) == 0);
	ATF_CHECK_EQ(lt, CAND_SRFLX);
	ATF_CHECK(memcmp(&l, &want, sizeof(want)) == 0);
	ATF_REQUIRE(ice_pair(&B.peer, &l, &lt, &r, &rt) == 0);
	ATF_CHECK_EQ(rt, CAND_SRFLX);
	ATF_CHECK(memcmp(&B.path, &want, sizeof(want)) == 0);
	ice_stop(&A.peer);
	ice_stop(&B.peer);
}

/* 20 remote candidates at most: trickled ones beyond get no check. */
ATF_TC_WITHOUT_HEAD(caps);
ATF_TC_BODY(caps, tc)
{
	struct icemsg	 m;
	char		 text[INET6_ADDRSTRLEN];
	size_t		 i, j, seen = 0, beyond = 0;
	struct sockaddr_in6 dst[QUEUE_MAX];

	setup("127.0.0.1", "127.0.0.1", 1);
	memset(&m, 0, sizeof(m));
	m.type = ICEMSG_OFFER;
	strlcpy(m.ufrag, "remoteufrag", sizeof(m.ufrag));
	strlcpy(m.pwd, "remotepasswordremotepassword", sizeof(m.pwd));
	for (i = 0; i < ICEMSG_CANDS_MAX; i++) {
		snprintf(text, sizeof(text), "10.0.1.%zu", i + 1);
		addr(&m.cands[i].addr, text, 3000);
		m.cands[i].type = ICEMSG_HOST;
		m.cands[i].priority = 1000 + i;
		snprintf(m.cands[i].foundation, sizeof(m.cands[i].foundation),
		    "f%zu", i);
	}
	m.ncands = ICEMSG_CANDS_MAX;
	ice_sess_signal(&A.peer, &A.env, &m, T0);
	m.type = ICEMSG_CANDIDATE;
	m.pwd[0] = '\0';
	for (i = 0; i < 5; i++) {
		snprintf(text, sizeof(text), "10.0.2.%zu", i + 1);
		addr(&m.cands[i].addr, text, 3000);
	}
	m.ncands = 5;
	ice_sess_signal(&A.peer, &A.env, &m, T0);
	/* Nobody answers; collect where A's checks went for 3 s. */
	for (i = 0; i < 60; i++) {
		ice_run(T0 + i * 50);
		for (j = 0; j < ndgrams && seen < QUEUE_MAX; j++)
			dst[seen++] = dgrams[j].to;
		ndgrams = nsignals = 0;
	}
	ATF_REQUIRE(seen > 0);
	for (j = 0; j < seen; j++)
		if (dst[j].sin6_addr.s6_addr[14] == 2)
			beyond++;
	ATF_CHECK_EQ(beyond, 0);
	ice_stop(&A.peer);
}

/*
 * A remote may not point our checks at this host or at nobody: its
 * loopback and unspecified candidates get none, unless a loopback one
 * is a host candidate of ours (both ends on this host, as in setup).
 */
ATF_TC_WITHOUT_HEAD(remote_loopback);
ATF_TC_BODY(remote_loopback, tc)
{
	const char	*bad[] = { "127.0.0.1", "127.0.0.53", "::1", "::",
	    "0.0.0.0", "0.1.2.3" };
	struct icemsg	 m;
	struct sockaddr_in6 good, own;
	size_t		 i, j, ngood = 0, nown = 0, nbad = 0;

	setup("127.0.0.1", "127.0.0.1", 1);
	/* As in ternd: the parent lists no loopback address. */
	addr(&own, "192.0.2.7", PORT_A);
	A.env.addrs[0] = own.sin6_addr;
	A.env.naddrs = 1;
	memset(&m, 0, sizeof(m));
	m.type = ICEMSG_OFFER;
	strlcpy(m.ufrag, "remoteufrag", sizeof(m.ufrag));
	strlcpy(m.pwd, "remotepasswordremotepassword", sizeof(m.pwd));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		addr(&m.cands[i].addr, bad[i], 3000);
		m.cands[i].type = ICEMSG_HOST;
		m.cands[i].priority = 2000 + i;
		snprintf(m.cands[i].foundation, sizeof(m.cands[i].foundation),
		    "f%zu", i);
	}
	addr(&good, "192.0.2.9", 3000);
	m.cands[i].addr = good;
	m.cands[i].type = ICEMSG_HOST;
	m.cands[i].priority = 1000;
	strlcpy(m.cands[i].foundation, "g", sizeof(m.cands[i].foundation));
	m.ncands = i + 1;
	ice_sess_signal(&A.peer, &A.env, &m, T0);
	for (i = 0; i < 40; i++) {
		ice_run(T0 + i * 50);
		for (j = 0; j < ndgrams; j++) {
			if (memcmp(&dgrams[j].to, &good, sizeof(good)) == 0)
				ngood++;
			else
				nbad++;
		}
		ndgrams = nsignals = 0;
	}
	ATF_CHECK(ngood > 0);
	ATF_CHECK_EQ(nbad, 0);
	ice_stop(&A.peer);

	/* Our own loopback host candidate: both ends are this host. */
	setup("127.0.0.1", "127.0.0.1", 1);
	addr(&own, "127.0.0.1", 3000);
	m.cands[0].addr = own;
	m.ncands = 1;
	ice_sess_signal(&A.peer, &A.env, &m, T0);
	for (i = 0; i < 20; i++) {
		ice_run(T0 + i * 50);
		for (j = 0; j < ndgrams; j++)
			if (memcmp(&dgrams[j].to, &own, sizeof(own)) == 0)
				nown++;
		ndgrams = nsignals = 0;
	}
	ATF_CHECK(nown > 0);
	ice_stop(&A.peer);
}

/* RFC 7675: a path whose checks go unanswered for 30 s is dropped. */
ATF_TC_WITHOUT_HEAD(consent);
ATF_TC_BODY(consent, tc)
{
	uint64_t	 t;

	setup("127.0.0.1", "127.0.0.1", 1);
	connect_ab(T0, T0 + 1000);
	/* Answered consent checks keep it for a minute. */
	run(T0 + 1000, T0 + 61000);
	ATF_CHECK_EQ(A.down + B.down, 0);
	ATF_CHECK(A.nrequests >= 10);
	/* B goes away: A gives up 30 s after its last answer, not before. */
	B.deaf = 1;
	t = run(T0 + 61000, T0 + 61000 + CONSENT_LOST_MS - CONSENT_MAX_MS - 1);
	ATF_CHECK_EQ(A.down, 0);
	run(t, T0 + 61000 + CONSENT_LOST_MS + 1);
	ATF_CHECK_EQ(A.down, 1);
	ATF_CHECK(ice_rtt(&A.peer) == 0);
	ice_stop(&A.peer);
	ice_stop(&B.peer);
}

/* A mapping learned after the offer is trickled, once, to the session. */
ATF_TC_WITHOUT_HEAD(trickle);
ATF_TC_BODY(trickle, tc)
{
	struct sockaddr_in6	 want;

	setup("127.0.0.2", "127.0.0.1", 1);
	A.signal_down = 1;
	ATF_REQUIRE(ice_sess_open(&A.peer, &A.env, T0) == 0);
	ATF_REQUIRE_EQ(A.nsignals, 1);
	ATF_CHECK_EQ(A.last_signal.type, ICEMSG_OFFER);
	addr(&want, "127.0.0.2", PORT_A);
	A.env.srflx[0] = want;
	A.env.nsrflx = 1;
	ice_srflx_changed(&A.env);
	ATF_REQUIRE_EQ(A.nsignals, 2);
	ATF_CHECK_EQ(A.last_signal.type, ICEMSG_CANDIDATE);
	ATF_REQUIRE_EQ(A.last_signal.ncands, 1);
	ATF_CHECK_EQ(A.last_signal.cands[0].type, ICEMSG_SRFLX);
	ATF_CHECK_EQ(A.last_signal.cands[0].priority, PRIO_SRFLX_V4);
	ATF_CHECK(memcmp(&A.last_signal.cands[0].addr, &want,
	    sizeof(want)) == 0);
	/* The same mapping again is not news. */
	ice_srflx_changed(&A.env);
	ATF_CHECK_EQ(A.nsignals, 2);
	ice_stop(&A.peer);
}

/* A tampered MESSAGE-INTEGRITY, a wrong ufrag or pwd: dropped, counted. */
ATF_TC_WITHOUT_HEAD(unauthenticated);
ATF_TC_BODY(unauthenticated, tc)
{
	struct stun_builder	 b;
	struct stun_msg		 m;
	struct icemsg		 answer;
	uint8_t			 buf[512];
	uint64_t		 dropped;
	size_t			 i, len;
	int			 wrong;

	setup("127.0.0.1", "127.0.0.1", 1);
	ATF_REQUIRE(ice_sess_open(&A.peer, &A.env, T0) == 0);
	deliver(T0);
	answer = B.last_signal;
	ice_run(T0);
	ice_run(T0 + 50);
	/* A's first check, its MESSAGE-INTEGRITY flipped, reaches B. */
	ATF_REQUIRE_EQ(ndgrams, 2);
	if (ntohs(dgrams[0].from.sin6_port) != PORT_A)
		dgrams[0] = dgrams[1];
	ndgrams = 1;
	take_dgram(0, &m);
	ATF_REQUIRE(m.has & STUN_HAS_INTEGRITY);
	dropped = ice_dropped();
	dgrams[0].buf[m.integrity.off] ^= 1;
	/* The fingerprint would give it away first: recompute it. */
	ATF_REQUIRE(stun_build_init(&b, buf, sizeof(buf), m.type, m.tid) == 0);
	b.len = m.fingerprint.off - STUN_ATTR_HDR_LEN;
	memcpy(buf, dgrams[0].buf, b.len);
	ATF_REQUIRE(stun_add_fingerprint(&b) == 0);
	memcpy(dgrams[0].buf, buf, stun_build_len(&b));
	i = B.nsent;
	ice_sess_input(dgrams[0].buf, dgrams[0].len, &dgrams[0].from, T0);
	ATF_CHECK_EQ(B.nsent, i);
	ATF_CHECK_EQ(ice_dropped(), dropped + 1);

	/* Requests to B: a ufrag B does not have, then a wrong pwd. */
	for (wrong = 0; wrong < 2; wrong++) {
		len = request(buf, sizeof(buf), wrong == 0 ? "nobody" :
		    answer.ufrag, A.last_signal.ufrag, wrong == 0 ?
		    answer.pwd : "0123456789012345678901",
		    STUN_ATTR_ICE_CONTROLLING, 1);
		i = B.nsent;
		ice_sess_input(buf, len, &A.src4, T0);
		ATF_CHECK_EQ(B.nsent, i);
		ATF_CHECK_EQ(ice_dropped(), dropped + 2 + wrong);
	}

	/* The same request with B's credentials is answered. */
	len = request(buf, sizeof(buf), answer.ufrag, A.last_signal.ufrag,
	    answer.pwd, STUN_ATTR_ICE_CONTROLLING, 1);
	i = B.nsent;
	ice_sess_input(buf, len, &A.src4, T0);
	ATF_CHECK_EQ(B.nsent, i + 1);

	/* Garbage and a response nobody asked for. */
	memset(buf, 0, sizeof(buf));
	ice_sess_input(buf, sizeof(buf), &A.src4, T0);
	ATF_CHECK_EQ(ice_dropped(), dropped + 4);

	/* Despite all that, A and B still connect, on the same pair. */
	run(T0, T0 + 2000);
	ATF_CHECK(A.up >= 1);
	ATF_CHECK(B.up >= 1);
	ATF_CHECK_EQ(IN6_IS_ADDR_V4MAPPED(&A.path.sin6_addr),
	    IN6_IS_ADDR_V4MAPPED(&B.path.sin6_addr));
	ice_stop(&A.peer);
	ice_stop(&B.peer);
}

/* No answer: give up at 10 s, offer again after 1 s, 2 s, 4 s. */
ATF_TC_WITHOUT_HEAD(timeout);
ATF_TC_BODY(timeout, tc)
{
	char		 ufrag[ICEMSG_UFRAG_MAX];
	uint64_t	 t = T0, wait = 1000;
	int		 i;

	setup("127.0.0.1", "127.0.0.1", 1);
	A.signal_down = 1;
	ATF_REQUIRE(ice_sess_open(&A.peer, &A.env, T0) == 0);
	ATF_REQUIRE_EQ(A.nsignals, 1);
	for (i = 0; i < 3; i++) {
		strlcpy(ufrag, A.last_signal.ufrag, sizeof(ufrag));
		ATF_CHECK_EQ(ice_next_wake(t), t + 10000);
		ice_run(t + 9999);
		ATF_CHECK_EQ(A.down, i);
		ice_run(t + 10000);
		ATF_CHECK_EQ(A.down, i + 1);
		ATF_CHECK_EQ(A.nsignals, i + 1);
		ATF_CHECK_EQ(ice_next_wake(t + 10000), t + 10000 + wait);
		t += 10000 + wait;
		ice_run(t);
		ATF_REQUIRE_EQ(A.nsignals, i + 2);
		ATF_CHECK_EQ(A.last_signal.type, ICEMSG_OFFER);
		ATF_CHECK(strcmp(ufrag, A.last_signal.ufrag) != 0);
		wait *= 2;
	}
	ATF_CHECK_EQ(A.up, 0);

	/* The backoff stops at 30 s. */
	for (i = 0; i < 4; i++) {
		ice_run(t + 10000);
		t = ice_next_wake(t + 10000);
		ice_run(t);
	}
	ATF_CHECK_EQ(A.nsignals, 8);
	ice_run(t + 10000);
	ATF_CHECK_EQ(ice_next_wake(t + 10000), t + 10000 + 30000);

	/* Once B answers, the next round connects. */
	A.signal_down = 0;
	B.signal_down = 0;
	t = run(t + 10000, t + 10000 + 30000 + 5000);
	ATF_CHECK_EQ(A.up, 1);
	ATF_CHECK_EQ(B.up, 1);
	ice_stop(&A.peer);
	ice_stop(&B.peer);
}

/* Both think they control: the tie-breakers (and 487) sort it out. */
ATF_TC_WITHOUT_HEAD(role_conflict);
ATF_TC_BODY(role_conflict, tc)
{
	struct stun_msg	 m;
	uint8_t		 buf[512];
	size_t		 len;

	setup("127.0.0.1", "127.0.0.1", 1);
	memset(A.peer.node_key, 0, KEY_LEN);
	memset(B.peer.node_key, 0, KEY_LEN);
	ATF_REQUIRE(ice_sess_open(&A.peer, &A.env, T0) == 0);
	deliver(T0);

	/* RFC 8445 7.3.1.1: B, controlling, has the larger tie-breaker. */
	len = request(buf, sizeof(buf), B.last_signal.ufrag,
	    A.last_signal.ufrag, B.last_signal.pwd, STUN_ATTR_ICE_CONTROLLING,
	    0);
	ice_sess_input(buf, len, &A.src4, T0);
	ATF_CHECK_EQ(nconflicts, 1);
	/* A controlled request is no conflict, whatever its tie-breaker. */
	len = request(buf, sizeof(buf), B.last_signal.ufrag,
	    A.last_signal.ufrag, B.last_signal.pwd, STUN_ATTR_ICE_CONTROLLED,
	    0);
	ice_sess_input(buf, len, &A.src4, T0);
	ATF_CHECK_EQ(nconflicts, 1);
	ATF_REQUIRE(ndgrams > 0);
	take_dgram(ndgrams - 1, &m);
	ATF_CHECK_EQ(stun_class(m.type), STUN_SUCCESS);
	/* The largest: B gives way and answers. */
	len = request(buf, sizeof(buf), B.last_signal.ufrag,
	    A.last_signal.ufrag, B.last_signal.pwd, STUN_ATTR_ICE_CONTROLLING,
	    UINT64_MAX);
	ice_sess_input(buf, len, &A.src4, T0);
	ATF_CHECK_EQ(nconflicts, 1);
	take_dgram(ndgrams - 1, &m);
	ATF_CHECK_EQ(stun_class(m.type), STUN_SUCCESS);
	ndgrams = 0;
	ice_run(T0);
	ice_run(T0 + 50);
	ATF_REQUIRE(B.nrequests > 0);
	ATF_CHECK_EQ(B.controlling, 0);

	/* From both controlling, A and B end on one pair, one in control. */
	setup("127.0.0.1", "127.0.0.1", 1);
	memset(A.peer.node_key, 0, KEY_LEN);
	memset(B.peer.node_key, 0, KEY_LEN);
	ATF_REQUIRE(ice_sess_open(&A.peer, &A.env, T1) == 0);
	run(T1, T1 + 3000);
	ATF_CHECK_EQ(A.controlling + B.controlling, 1);
	ATF_CHECK(A.up >= 1);
	ATF_CHECK(B.up >= 1);
	ATF_CHECK_EQ(IN6_IS_ADDR_V4MAPPED(&A.path.sin6_addr),
	    IN6_IS_ADDR_V4MAPPED(&B.path.sin6_addr));
	ATF_CHECK_EQ(A.down + B.down, 0);
	ice_stop(&A.peer);
	ice_stop(&B.peer);
}

/* A new remote ufrag is an ICE restart: checks start again. */
ATF_TC_WITHOUT_HEAD(restart);
ATF_TC_BODY(restart, tc)
{
	setup("127.0.0.1", "127.0.0.1", 1);
	connect_ab(T0, T0 + 1000);
	/* B loses its session and starts over; A follows. */
	ice_stop(&B.peer);
	ATF_CHECK_EQ(B.down, 1);
	ATF_REQUIRE(ice_sess_open(&B.peer, &B.env, T0 + 1000) == 0);
	run(T0 + 1000, T0 + 3000);
	ATF_CHECK_EQ(B.up, 2);
	ATF_CHECK_EQ(A.down, 0);
	/* Still the one path: no needless peer_path_up. */
	ATF_CHECK_EQ(A.up, 1);
	/* go-idle from B closes A's side. */
	memset(&signals[0].m, 0, sizeof(signals[0].m));
	signals[0].m.type = ICEMSG_GO_IDLE;
	signals[0].to = &A;
	nsignals = 1;
	deliver(T0 + 3000);
	ATF_CHECK(A.peer.ice == NULL);
	ATF_CHECK_EQ(A.down, 1);
	ice_stop(&B.peer);
}

/* A loses its IPv6 address: a new generation moves both to IPv4. */
ATF_TC_WITHOUT_HEAD(local_change);
ATF_TC_BODY(local_change, tc)
{
	struct sockaddr_in6	 want;
	int			 nsignals_b;

	setup("127.0.0.1", "127.0.0.1", 1);
	connect_ab(T0, T0 + 1000);
	ATF_REQUIRE(!IN6_IS_ADDR_V4MAPPED(&A.path.sin6_addr));
	nsignals_b = B.nsignals;
	ice_local_changed(&B.env, T0 + 1000);
	ATF_CHECK_EQ(B.nsignals, nsignals_b);

	A.env.addrs[0] = A.env.addrs[1];
	A.env.naddrs = 1;
	ice_local_changed(&A.env, T0 + 1000);
	ATF_CHECK_EQ(A.last_signal.type, ICEMSG_OFFER);
	ATF_CHECK_EQ(A.last_signal.ncands, 1);
	run(T0 + 1000, T0 + 3000);
	addr(&want, "127.0.0.1", PORT_B);
	ATF_CHECK_EQ(A.up, 2);
	ATF_CHECK(memcmp(&A.path, &want, sizeof(want)) == 0);
	ATF_CHECK_EQ(B.up, 2);
	ATF_CHECK(IN6_IS_ADDR_V4MAPPED(&B.path.sin6_addr));
	/* A's path was sent from ::1, which it lost: dropped at once. */
	ATF_CHECK_EQ(A.down, 1);
	ATF_CHECK_EQ(B.down, 0);
	ice_stop(&A.peer);
	ice_stop(&B.peer);
}

/* A dual-stack UDP socket on a free port, like the engine's. */
static int		 npongs;
static struct ice_pong	 last_pong;

static void
pong_cb(void *arg, const struct ice_pong *r)
{
	ATF_CHECK(arg == &npongs);
	npongs++;
	last_pong = *r;
}

/* Hands the first queued datagram to its receiver, from "from". */
static void
deliver_one(const struct sockaddr_in6 *from, uint64_t now)
{
	struct dgram	 d;

	ATF_REQUIRE(ndgrams > 0);
	d = dgrams[0];
	memmove(dgrams, dgrams + 1, --ndgrams * sizeof(dgrams[0]));
	ice_sess_input(d.buf, d.len, from != NULL ? from : &d.from, now);
}

/*
 * ternctl ping: a Binding request on the selected pair that does not
 * nominate, answered by B as a consent check and timed; only the
 * answer from the pair pinged, once, is a pong.
 */
ATF_TC_WITHOUT_HEAD(ping);
ATF_TC_BODY(ping, tc)
{
	struct stun_msg		 m;
	struct stun_builder	 b;
	struct dgram		 answer;
	struct sockaddr_in6	 other;
	struct sockaddr_storage	 ss;
	uint8_t			 buf[ICE_TEST_STUN_MAX];
	uint64_t		 dropped;
	int			 i, n;

	setup("127.0.0.1", "127.0.0.1", 1);
	/* No session yet: nothing to ping on. */
	ATF_CHECK(ice_ping(&A.peer, pong_cb, &npongs) == -1);
	connect_ab(T0, T0 + 1000);
	run(T0 + 1000, T0 + 2000);
	ATF_REQUIRE_EQ(ndgrams, 0);
	npongs = 0;
	n = A.nrequests;
	ATF_REQUIRE(ice_ping(&A.peer, pong_cb, &npongs) == 0);
	ATF_REQUIRE_EQ(ndgrams, 1);
	ATF_CHECK_EQ(A.nrequests, n + 1);
	take_dgram(0, &m);
	ATF_CHECK(stun_class(m.type) == STUN_REQUEST);
	ATF_CHECK((m.has & STUN_HAS_USE_CANDIDATE) == 0);
	ATF_CHECK((m.has & STUN_HAS_ICE_CONTROLLING) != 0);
	ATF_CHECK(memcmp(&dgrams[0].to, &A.path, sizeof(A.path)) == 0);
	deliver_one(NULL, T0 + 2000);
	ATF_REQUIRE_EQ(ndgrams, 1);
	answer = dgrams[0];
	/* From another port of B: not the pair pinged, no pong. */
	other = answer.from;
	other.sin6_port = htons(PORT_B + 1);
	dropped = ice_dropped();
	deliver_one(&other, T0 + 2000);
	ATF_CHECK_EQ(npongs, 0);
	ATF_CHECK_EQ(ice_dropped(), dropped + 1);
	ice_sess_input(answer.buf, answer.len, &answer.from, T0 + 2000);
	ATF_CHECK_EQ(npongs, 1);
	ATF_CHECK(last_pong.rtt_us > 0);
	ATF_CHECK(!last_pong.relayed);
	ATF_CHECK(memcmp(&last_pong.remote, &A.path, sizeof(A.path)) == 0);
	/* The same answer again is no second pong. */
	ice_sess_input(answer.buf, answer.len, &answer.from, T0 + 2000);
	ATF_CHECK_EQ(npongs, 1);
	ATF_CHECK_EQ(ice_dropped(), dropped + 2);
	/* An answer keyed with another password is no pong either. */
	ATF_REQUIRE(ice_ping(&A.peer, pong_cb, &npongs) == 0);
	take_dgram(0, &m);
	ATF_REQUIRE(stun_build_init(&b, buf, sizeof(buf),
	    stun_type(STUN_BINDING, STUN_SUCCESS), m.tid) == 0);
	sockaddr_from_v6(&A.src4, &ss);
	ATF_REQUIRE(stun_add_xor_addr(&b, STUN_ATTR_XOR_MAPPED_ADDRESS,
	    (struct sockaddr *)&ss) == 0);
	ATF_REQUIRE(stun_add_integrity(&b, (const uint8_t *)"not B's",
	    7) == 0);
	ATF_REQUIRE(stun_add_fingerprint(&b) == 0);
	ice_sess_input(buf, stun_build_len(&b), &answer.from, T0 + 2000);
	ATF_CHECK_EQ(npongs, 1);
	ATF_CHECK_EQ(ice_dropped(), dropped + 3);
	deliver(T0 + 2000);
	ATF_CHECK_EQ(npongs, 2);
	/* Pings out are capped; cancelled, they free their places. */
	for (i = 0; i < ICE_PINGS_MAX; i++)
		ATF_REQUIRE(ice_ping(&A.peer, pong_cb, &npongs) == 0);
	ATF_CHECK(ice_ping(&A.peer, pong_cb, &npongs) == -1);
	ice_ping_cancel(&npongs);
	deliver(T0 + 2000);
	ATF_CHECK_EQ(npongs, 2);
	ATF_CHECK(ice_ping(&A.peer, pong_cb, &npongs) == 0);
	deliver(T0 + 2000);
	ATF_CHECK_EQ(npongs, 3);
	/* Pings change nothing of the session. */
	ATF_CHECK_EQ(A.up + B.up, 2);
	ATF_CHECK_EQ(A.down + B.down, 0);
	ice_stop(&A.peer);
	ATF_CHECK(ice_ping(&A.peer, pong_cb, &npongs) == -1);
	ice_stop(&B.peer);
}

static int
udp_socket(uint16_t *port)
{
	struct sockaddr_in6	 sin6;
	socklen_t		 len = sizeof(sin6);
	int			 fd, off = 0;

	ATF_REQUIRE((fd = socket(AF_INET6, SOCK_DGRAM, 0)) != -1);
	ATF_REQUIRE(setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off,
	    sizeof(off)) == 0);
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	ATF_REQUIRE(bind(fd, (struct sockaddr *)&sin6, sizeof(sin6)) == 0);
	ATF_REQUIRE(getsockname(fd, (struct sockaddr *)&sin6, &len) == 0);
	*port = ntohs(sin6.sin6_port);
	return fd;
}

/* What forward.c will do: STUN on a socket goes to ICE. */
static void
glue_read(int fd, short ev, void *arg)
{
	struct side		*s = arg;
	struct sockaddr_in6	 from;
	socklen_t		 len = sizeof(from);
	uint8_t			 buf[1500];
	ssize_t			 n;

	if ((n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
	    &len)) <= 0 || !ice_is_stun(buf, n))
		return;
	if (s->glue)
		ice_input(buf, n, &from);
	else
		ice_sess_input(buf, n, &from, monotime_ms());
}

/* B's core has no timer of its own here: run it, and the signals. */
static void
glue_tick(int fd, short ev, void *arg)
{
	struct event	*tick = arg;
	struct timeval	 tv = { 0, TICK_US };

	deliver(monotime_ms());
	ice_run(monotime_ms());
	if (A.up == 0 || B.up == 0)
		evtimer_add(tick, &tv);
}

/* The engine's glue on a real socket, against a core session on another. */
ATF_TC(engine_glue);
ATF_TC_HEAD(engine_glue, tc)
{
	atf_tc_set_md_var(tc, "timeout", "20");
}
ATF_TC_BODY(engine_glue, tc)
{
	struct imsg_local_addrs	 la;
	struct event		 ev_a, ev_b, tick;
	struct timeval		 tv = { 0, TICK_US };
	struct sockaddr_in6	 l, r, want;
	enum cand_type		 lt, rt;
	uint16_t		 port_a, port_b;
	uint64_t		 until;

	setup("127.0.0.1", "127.0.0.1", 1);
	event_init();
	ATF_REQUIRE((engine = calloc(1, sizeof(*engine))) != NULL);
	engine->netfd = A.fd = udp_socket(&port_a);
	B.fd = udp_socket(&port_b);
	engine->conf.port = port_a;
	memcpy(engine->conf.nodepub, A.env.nodepub, KEY_LEN);
	engine->have_conf = 1;
	A.glue = 1;
	B.env.port = port_b;
	B.env.naddrs = 1;
	B.env.addrs[0] = B.src4.sin6_addr;
	memset(&la, 0, sizeof(la));
	la.n = 1;
	la.addrs[0] = B.src4.sin6_addr;
	ice_init();
	ice_set_local(&la);

	event_set(&ev_a, A.fd, EV_READ | EV_PERSIST, glue_read, &A);
	event_set(&ev_b, B.fd, EV_READ | EV_PERSIST, glue_read, &B);
	event_add(&ev_a, NULL);
	event_add(&ev_b, NULL);
	evtimer_set(&tick, glue_tick, &tick);
	evtimer_add(&tick, &tv);
	ATF_REQUIRE(ice_start(&A.peer) == 0);
	/* The tick wakes the loop every 10 ms: the budget bounds it. */
	until = monotime_ms() + GLUE_MS;
	while ((A.up == 0 || B.up == 0) && monotime_ms() < until &&
	    event_loop(EVLOOP_ONCE) == 0)
		;
	ATF_REQUIRE_EQ(A.up, 1);
	ATF_REQUIRE_EQ(B.up, 1);
	addr(&want, "127.0.0.1", port_b);
	ATF_CHECK(memcmp(&A.path, &want, sizeof(want)) == 0);
	ATF_REQUIRE(ice_pair(&A.peer, &l, &lt, &r, &rt) == 0);
	ATF_CHECK_EQ(lt, CAND_HOST);
	ATF_CHECK_EQ(ntohs(l.sin6_port), port_a);
	ATF_CHECK_EQ(ntohs(B.path.sin6_port), port_a);
	ice_stop(&A.peer);
	ice_stop(&B.peer);
	event_del(&ev_a);
	event_del(&ev_b);
	close(A.fd);
	close(B.fd);
	free(engine);
	engine = NULL;
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, priorities);
	ATF_TP_ADD_TC(tp, is_stun);
	ATF_TP_ADD_TC(tp, roles);
	ATF_TP_ADD_TC(tp, checklist_order);
	ATF_TP_ADD_TC(tp, private_last);
	ATF_TP_ADD_TC(tp, two_sessions);
	ATF_TP_ADD_TC(tp, peer_reflexive);
	ATF_TP_ADD_TC(tp, server_reflexive);
	ATF_TP_ADD_TC(tp, trickle);
	ATF_TP_ADD_TC(tp, consent);
	ATF_TP_ADD_TC(tp, caps);
	ATF_TP_ADD_TC(tp, remote_loopback);
	ATF_TP_ADD_TC(tp, unauthenticated);
	ATF_TP_ADD_TC(tp, timeout);
	ATF_TP_ADD_TC(tp, role_conflict);
	ATF_TP_ADD_TC(tp, restart);
	ATF_TP_ADD_TC(tp, local_change);
	ATF_TP_ADD_TC(tp, ping);
	ATF_TP_ADD_TC(tp, engine_glue);
	return atf_no_error();
}
