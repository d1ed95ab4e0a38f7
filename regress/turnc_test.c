/*
 * Unit tests of the engine's TURN client (agent/turnc.c) against a
 * server scripted here: what the client sends is parsed with
 * stun_parse, the server's answers are built with lib/stun.c, and the
 * clock is passed by hand, so every expected time is exact.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>

#include "addr.h"
#include "stun.h"
#include "turnc.h"

#define MS		1000		/* ms in a second */
#define T0		(1000 * MS)	/* the clock at the start: not 0 */
#define SENT_MAX	1024		/* datagrams one test case sees */
#define ANSWER_MAX	2048		/* a server's answer */
#define STEPS_MAX	10000		/* wakes in one run_to */
#define SERVED_MAX	512		/* requests serve() answers in a case */
#define WHY_MAX		128		/* a failed callback's reason */
#define FORWARD_MS	100		/* the forwarder's datagrams apart */
#define EARLY_MS	100		/* probe_at: silent this much before */
#define SERVER		"192.0.2.1"	/* RFC 5737 */
#define SERVER2		"192.0.2.9"
#define OTHER		"192.0.2.2"
#define SERVER_PORT	3478
#define RELAYED		"203.0.113.5"
#define RELAYED2	"203.0.113.6"
#define RELAYED_PORT	50000
#define MAPPED		"198.51.100.200"
#define MAPPED_PORT	40000
#define PEER_NET	"198.51.100."	/* peer i is .(i + 1) */
#define PEER_PORT	51820
#define USER		"1700086400:node-a"
#define PASS		"c2VjcmV0LXBhc3N3b3Jk"
#define REALM		"tern"
#define NONCE1		"nonce-one"
#define NONCE2		"nonce-two"
#define LIFETIME	600		/* what the server grants */

/* What run_to does at each wake besides turnc_run. */
#define RUN_WANT	0x01		/* turnc_want: keep the allocation */
#define RUN_SERVE	0x02		/* answer what was sent: serve() */
#define RUN_PROBES	0x04		/* answer Refreshes, nothing else sent */
#define RUN_TALK	0x08		/* the server relays a datagram first */

struct sent {
	uint8_t			*buf;
	size_t			 len;
	struct sockaddr_in6	 to;
};

/* A request serve() answered. */
struct served {
	uint16_t		 method;
	uint16_t		 channel;
	uint32_t		 lifetime;
	struct sockaddr_in6	 peer;
	uint64_t		 at;
};

struct answer {
	struct stun_builder	 b;
	uint8_t			 buf[ANSWER_MAX];
};

static struct sent		 sent[SENT_MAX];
static size_t			 nsent, nread;
static int			 send_fails;
static struct served		 served[SERVED_MAX];
static size_t			 nserved;
static int			 nrelayed, nfailed;
static int			 relayed_null;	/* the last relayed was NULL */
static struct sockaddr_in6	 relayed_sa;
static char			 why[WHY_MAX];
static struct turnc_server	 srv;
static uint8_t			 key[STUN_LTKEY_LEN];
static const char		*cur_nonce;
static uint64_t			 now;
/* What turnc_input handed back for TURNC_DATA. */
static struct sockaddr_in6	 in_peer;
static uint8_t			*in_data;
static size_t			 in_dlen;

/* The user name the server's key belongs to (check_keyed). */
static char	 keyuser[TERN_TURN_CRED_MAX];

static int	 test_send(const uint8_t *, size_t, const struct sockaddr_in6 *,
		    void *);
static void	 test_relayed(const struct sockaddr_in6 *, void *);
static void	 test_failed(const char *, void *);
static void	 sa_make(struct sockaddr_in6 *, const char *, uint16_t);
static void	 peer_make(struct sockaddr_in6 *, int, uint16_t);
static int	 sa_eq(const struct sockaddr_in6 *,
		    const struct sockaddr_in6 *);
static int	 ss_is(const struct sockaddr_storage *,
		    const struct sockaddr_in6 *);
static int	 span_is(const struct stun_msg *, const struct stun_span *,
		    const char *);
static void	 setup(const char *);
static struct sent *next_sent_to(const struct sockaddr_in6 *);
static void	 next_msg_to(struct stun_msg *, uint16_t, uint16_t,
		    const struct sockaddr_in6 *);
static void	 next_msg(struct stun_msg *, uint16_t, uint16_t);
static void	 nothing_sent(void);
static void	 check_keyed(const struct stun_msg *, const char *);
static void	 check_unkeyed(const struct stun_msg *);
static enum turnc_input deliver(uint8_t *, size_t, const struct sockaddr_in6 *);
static void	 ans_begin(struct answer *, const struct stun_msg *, uint16_t);
static enum turnc_input ans_end(struct answer *, const uint8_t *);
static void	 challenge(const struct stun_msg *, uint16_t, const char *,
		    const char *);
static void	 refuse(const struct stun_msg *, uint16_t);
static void	 grant_allocate(const struct stun_msg *, const char *,
		    uint32_t);
static void	 grant(const struct stun_msg *, uint32_t);
static void	 challenged(struct stun_msg *);
static void	 allocate(void);
static size_t	 data_ind(uint8_t *, size_t, const struct sockaddr_in6 *,
		    const char *);
static void	 talk(void);
static void	 chandata(uint16_t);
static void	 serve_sent(int);
static void	 serve(void);
static void	 serve_probes(void);
static void	 step(int);
static void	 run_to(uint64_t, int);
static void	 forward_to(const struct sockaddr_in6 *, uint16_t, uint64_t);
static void	 permit_quietly(const struct sockaddr_in6 *, uint64_t, uint64_t,
		    uint64_t);
static size_t	 served_count(uint16_t);
static size_t	 refreshes_at(size_t, uint64_t, uint64_t, size_t);
static void	 refreshes_done(size_t);
static void	 bind_new(const struct sockaddr_in6 *, uint16_t);
static void	 probe_at(uint64_t, int, struct stun_msg *);

static int
test_send(const uint8_t *buf, size_t len, const struct sockaddr_in6 *to,
    void *arg)
{
	struct sent	*s;

	ATF_REQUIRE_MSG(nsent < SENT_MAX, "more than %d datagrams", SENT_MAX);
	ATF_REQUIRE(len > 0);
	s = &sent[nsent++];
	ATF_REQUIRE((s->buf = malloc(len)) != NULL);
	memcpy(s->buf, buf, len);
	s->len = len;
	s->to = *to;
	return send_fails ? -1 : 0;
}

static void
test_relayed(const struct sockaddr_in6 *sa, void *arg)
{
	nrelayed++;
	relayed_null = sa == NULL;
	if (sa != NULL)
		relayed_sa = *sa;
}

static void
test_failed(const char *s, void *arg)
{
	ATF_REQUIRE(s != NULL);
	nfailed++;
	strlcpy(why, s, sizeof(why));
}

/* ip4:port, v4-mapped as the engine keeps addresses. */
static void
sa_make(struct sockaddr_in6 *sa, const char *ip4, uint16_t port)
{
	char	 s[INET6_ADDRSTRLEN];

	memset(sa, 0, sizeof(*sa));
	sa->sin6_family = AF_INET6;
	snprintf(s, sizeof(s), "::ffff:%s", ip4);
	ATF_REQUIRE(inet_pton(AF_INET6, s, &sa->sin6_addr) == 1);
	sa->sin6_port = htons(port);
}

static void
peer_make(struct sockaddr_in6 *sa, int i, uint16_t port)
{
	char	 s[INET_ADDRSTRLEN];

	snprintf(s, sizeof(s), PEER_NET "%d", i + 1);
	sa_make(sa, s, port);
}

static int
sa_eq(const struct sockaddr_in6 *a, const struct sockaddr_in6 *b)
{
	return a->sin6_family == b->sin6_family &&
	    a->sin6_port == b->sin6_port &&
	    memcmp(&a->sin6_addr, &b->sin6_addr, sizeof(a->sin6_addr)) == 0;
}

/* STUN carries IPv4 peers as IPv4. */
static int
ss_is(const struct sockaddr_storage *ss, const struct sockaddr_in6 *want)
{
	struct sockaddr_in6	 v6;

	if (ss->ss_family != AF_INET)
		return 0;
	sockaddr_to_v6((const struct sockaddr *)ss, &v6);
	return v6.sin6_port == want->sin6_port &&
	    memcmp(&v6.sin6_addr, &want->sin6_addr, sizeof(v6.sin6_addr)) == 0;
}

static int
span_is(const struct stun_msg *m, const struct stun_span *sp, const char *s)
{
	return sp->len == strlen(s) && memcmp(m->buf + sp->off, s,
	    sp->len) == 0;
}

/* A fresh client on the scripted server; realm is the configured one. */
static void
setup(const char *realm)
{
	struct turnc_env	 env;
	size_t			 i;

	for (i = 0; i < nsent; i++)
		free(sent[i].buf);
	nsent = nread = nserved = 0;
	nrelayed = nfailed = relayed_null = send_fails = 0;
	why[0] = '\0';
	cur_nonce = NONCE1;
	now = T0;
	memset(&env, 0, sizeof(env));
	env.send = test_send;
	env.relayed = test_relayed;
	env.failed = test_failed;
	turnc_init(&env);
	memset(&srv, 0, sizeof(srv));
	strlcpy(srv.name, SERVER, sizeof(srv.name));
	sa_make(&srv.sa, SERVER, SERVER_PORT);
	strlcpy(srv.username, USER, sizeof(srv.username));
	strlcpy(srv.password, PASS, sizeof(srv.password));
	strlcpy(srv.realm, realm, sizeof(srv.realm));
	srv.generation = 1;
	strlcpy(keyuser, USER, sizeof(keyuser));
	stun_longterm_key(USER, REALM, PASS, key);
	turnc_set_server(&srv, now);
	ATF_REQUIRE_EQ(turnc_state(), TURNC_IDLE);
	ATF_REQUIRE(turnc_is_server(&srv.sa));
}

/* The next datagram the client sent: to to. */
static struct sent *
next_sent_to(const struct sockaddr_in6 *to)
{
	struct sent	*s;

	ATF_REQUIRE_MSG(nread < nsent, "nothing more was sent");
	s = &sent[nread++];
	ATF_REQUIRE_MSG(sa_eq(&s->to, to), "sent elsewhere");
	return s;
}

/* The next datagram, a STUN message of method and class to to. */
static void
next_msg_to(struct stun_msg *m, uint16_t method, uint16_t class,
    const struct sockaddr_in6 *to)
{
	struct sent	*s = next_sent_to(to);

	ATF_REQUIRE_MSG(stun_parse(s->buf, s->len, m) == 0,
	    "not a STUN message");
	ATF_REQUIRE_EQ_MSG(stun_method(m->type), method, "method %#x, not %#x",
	    stun_method(m->type), method);
	ATF_REQUIRE_EQ(stun_class(m->type), class);
	if (class == STUN_REQUEST)
		ATF_REQUIRE(stun_check_fingerprint(m) == 0);
}

static void
next_msg(struct stun_msg *m, uint16_t method, uint16_t class)
{
	next_msg_to(m, method, class, &srv.sa);
}

static void
nothing_sent(void)
{
	ATF_REQUIRE_EQ_MSG(nread, nsent, "%zu datagrams unexpected",
	    nsent - nread);
}

/* RFC 8489 9.2.4: USERNAME, REALM, NONCE and the long-term key's MAC. */
static void
check_keyed(const struct stun_msg *m, const char *nonce)
{
	uint8_t		 bad[STUN_LTKEY_LEN];
	uint32_t	 all = STUN_HAS_USERNAME | STUN_HAS_REALM |
			    STUN_HAS_NONCE | STUN_HAS_INTEGRITY;

	ATF_REQUIRE_EQ(m->has & all, all);
	ATF_REQUIRE(span_is(m, &m->username, keyuser));
	ATF_REQUIRE(span_is(m, &m->realm, REALM));
	ATF_REQUIRE_MSG(span_is(m, &m->nonce, nonce), "not nonce %s", nonce);
	ATF_REQUIRE(stun_check_integrity(m, key, sizeof(key)) == 0);
	stun_longterm_key(keyuser, REALM, "not-" PASS, bad);
	ATF_REQUIRE(stun_check_integrity(m, bad, sizeof(bad)) != 0);
}

static void
check_unkeyed(const struct stun_msg *m)
{
	ATF_REQUIRE_EQ(m->has & (STUN_HAS_USERNAME | STUN_HAS_NONCE |
	    STUN_HAS_INTEGRITY), 0);
}

static enum turnc_input
deliver(uint8_t *buf, size_t len, const struct sockaddr_in6 *from)
{
	in_data = NULL;
	in_dlen = 0;
	memset(&in_peer, 0, sizeof(in_peer));
	return turnc_input(buf, len, from, now, &in_peer, &in_data, &in_dlen);
}

static void
ans_begin(struct answer *a, const struct stun_msg *req, uint16_t class)
{
	ATF_REQUIRE(stun_build_answer(&a->b, a->buf, sizeof(a->buf),
	    stun_type(stun_method(req->type), class), req) == 0);
}

/* Seals with k (NULL: no MESSAGE-INTEGRITY), then sends from the server. */
static enum turnc_input
ans_end(struct answer *a, const uint8_t *k)
{
	if (k != NULL)
		ATF_REQUIRE(stun_add_integrity(&a->b, k, STUN_LTKEY_LEN) == 0);
	ATF_REQUIRE(stun_add_fingerprint(&a->b) == 0);
	return deliver(a->buf, stun_build_len(&a->b), &srv.sa);
}

/* 401 or 438 as tern-relay sends them: REALM and NONCE, no MAC. */
static void
challenge(const struct stun_msg *req, uint16_t code, const char *realm,
    const char *nonce)
{
	struct answer	 a;

	ans_begin(&a, req, STUN_ERROR);
	ATF_REQUIRE(stun_add_error(&a.b, code, "Challenge") == 0);
	if (realm != NULL)
		ATF_REQUIRE(stun_add_bytes(&a.b, STUN_ATTR_REALM, realm,
		    strlen(realm)) == 0);
	ATF_REQUIRE(stun_add_bytes(&a.b, STUN_ATTR_NONCE, nonce,
	    strlen(nonce)) == 0);
	ATF_REQUIRE_EQ(ans_end(&a, NULL), TURNC_TAKEN);
}

/* An error after authentication: with the MAC. */
static void
refuse(const struct stun_msg *req, uint16_t code)
{
	struct answer	 a;

	ans_begin(&a, req, STUN_ERROR);
	ATF_REQUIRE(stun_add_error(&a.b, code, "Refused") == 0);
	ATF_REQUIRE_EQ(ans_end(&a, key), TURNC_TAKEN);
}

static void
grant_allocate(const struct stun_msg *req, const char *relayed,
    uint32_t lifetime)
{
	struct answer		 a;
	struct sockaddr_in6	 sa;
	struct sockaddr_storage	 ss;

	ans_begin(&a, req, STUN_SUCCESS);
	sa_make(&sa, relayed, RELAYED_PORT);
	sockaddr_from_v6(&sa, &ss);
	ATF_REQUIRE(stun_add_xor_addr(&a.b, STUN_ATTR_XOR_RELAYED_ADDRESS,
	    (struct sockaddr *)&ss) == 0);
	ATF_REQUIRE(stun_add_u32(&a.b, STUN_ATTR_LIFETIME, lifetime) == 0);
	sa_make(&sa, MAPPED, MAPPED_PORT);
	sockaddr_from_v6(&sa, &ss);
	ATF_REQUIRE(stun_add_xor_addr(&a.b, STUN_ATTR_XOR_MAPPED_ADDRESS,
	    (struct sockaddr *)&ss) == 0);
	ATF_REQUIRE_EQ(ans_end(&a, key), TURNC_TAKEN);
}

/* Success to a Refresh (with LIFETIME), CreatePermission, ChannelBind. */
static void
grant(const struct stun_msg *req, uint32_t lifetime)
{
	struct answer	 a;

	ans_begin(&a, req, STUN_SUCCESS);
	if (stun_method(req->type) == STUN_REFRESH)
		ATF_REQUIRE(stun_add_u32(&a.b, STUN_ATTR_LIFETIME,
		    lifetime) == 0);
	ATF_REQUIRE_EQ(ans_end(&a, key), TURNC_TAKEN);
}

/* turnc_want, the Allocate, its 401: *k is the keyed Allocate. */
static void
challenged(struct stun_msg *k)
{
	struct stun_msg	 m;

	turnc_want(now);
	ATF_REQUIRE_EQ(turnc_state(), TURNC_ALLOCATING);
	next_msg(&m, STUN_ALLOCATE, STUN_REQUEST);
	check_unkeyed(&m);
	challenge(&m, STUN_ERR_UNAUTHORIZED, REALM, cur_nonce);
	next_msg(k, STUN_ALLOCATE, STUN_REQUEST);
	check_keyed(k, cur_nonce);
}

/* The same, and the keyed Allocate's success: READY at now. */
static void
allocate(void)
{
	struct stun_msg	 k;

	challenged(&k);
	grant_allocate(&k, RELAYED, LIFETIME);
	ATF_REQUIRE_EQ(turnc_state(), TURNC_READY);
	nothing_sent();
}

/* A Data indication from peer with text as its DATA; its length. */
static size_t
data_ind(uint8_t *buf, size_t size, const struct sockaddr_in6 *peer,
    const char *text)
{
	struct stun_builder	 b;
	struct sockaddr_storage	 ss;
	uint8_t			 tid[STUN_TID_LEN];

	sockaddr_from_v6(peer, &ss);
	memset(tid, 7, sizeof(tid));
	ATF_REQUIRE(stun_build_init(&b, buf, size,
	    stun_type(STUN_DATA, STUN_INDICATION), tid) == 0);
	ATF_REQUIRE(stun_add_xor_addr(&b, STUN_ATTR_XOR_PEER_ADDRESS,
	    (struct sockaddr *)&ss) == 0);
	ATF_REQUIRE(stun_add_bytes(&b, STUN_ATTR_DATA, text,
	    strlen(text)) == 0);
	return stun_build_len(&b);
}

/* The server relays a datagram of peer 0's: it is not silent. */
static void
talk(void)
{
	struct sockaddr_in6	 p;
	uint8_t			 buf[ANSWER_MAX];
	size_t			 len;

	peer_make(&p, 0, PEER_PORT);
	len = data_ind(buf, sizeof(buf), &p, "talk");
	ATF_REQUIRE_EQ(deliver(buf, len, &srv.sa), TURNC_DATA);
}

/* The server relays a peer's datagram on channel ch, bound. */
static void
chandata(uint16_t ch)
{
	uint8_t	 buf[TURNC_CHANDATA_HDR + 4];

	turnc_chandata_hdr(buf, ch, 4);
	memcpy(buf + TURNC_CHANDATA_HDR, "data", 4);
	ATF_REQUIRE_EQ(deliver(buf, sizeof(buf), &srv.sa), TURNC_DATA);
}

/*
 * Answers every request sent since, as a willing server would; with
 * probes_only, a Refresh is all that may have been sent (the questions
 * to a silent server).
 */
static void
serve_sent(int probes_only)
{
	struct stun_msg	 m;
	struct sent	*s;
	struct served	*v;

	while (nread < nsent) {
		s = next_sent_to(&srv.sa);
		/* ChannelData, and the indications: nothing to answer. */
		if (stun_parse(s->buf, s->len, &m) == -1 ||
		    stun_class(m.type) != STUN_REQUEST) {
			ATF_REQUIRE_MSG(!probes_only, "not a request sent");
			continue;
		}
		ATF_REQUIRE(stun_check_fingerprint(&m) == 0);
		check_keyed(&m, cur_nonce);
		ATF_REQUIRE_MSG(!probes_only || (stun_method(m.type) ==
		    STUN_REFRESH && m.lifetime != 0), "method %#x sent, "
		    "only a Refresh was due", stun_method(m.type));
		ATF_REQUIRE(nserved < SERVED_MAX);
		v = &served[nserved++];
		memset(v, 0, sizeof(*v));
		v->method = stun_method(m.type);
		v->at = now;
		v->lifetime = m.lifetime;
		v->channel = m.channel;
		if (m.has & STUN_HAS_XOR_PEER)
			sockaddr_to_v6((struct sockaddr *)&m.xor_peer,
			    &v->peer);
		switch (v->method) {
		case STUN_REFRESH:
			/* LIFETIME 0 lets it go: nobody waits for that. */
			if (m.lifetime != 0)
				grant(&m, m.lifetime);
			break;
		case STUN_CREATE_PERMISSION:
		case STUN_CHANNEL_BIND:
			grant(&m, 0);
			break;
		default:
			atf_tc_fail("serve: unexpected method %#x", v->method);
		}
	}
}

static void
serve(void)
{
	serve_sent(0);
}

static void
serve_probes(void)
{
	serve_sent(1);
}

static size_t
served_count(uint16_t method)
{
	size_t	 i, n = 0;

	for (i = 0; i < nserved; i++)
		n += served[i].method == method;
	return n;
}

/*
 * The served Refreshes from served[from] on: the next n are at first,
 * first + every, ...; the index past the last of them.
 */
static size_t
refreshes_at(size_t from, uint64_t first, uint64_t every, size_t n)
{
	size_t	 i, k = 0;

	for (i = from; i < nserved && k < n; i++) {
		if (served[i].method != STUN_REFRESH)
			continue;
		ATF_CHECK_EQ_MSG(served[i].at, first + k * every,
		    "Refresh %zu at %ju ms, not %ju", k,
		    (uintmax_t)(served[i].at - T0),
		    (uintmax_t)(first + k * every - T0));
		ATF_CHECK_EQ(served[i].lifetime, TURNC_LIFETIME_S);
		k++;
	}
	ATF_REQUIRE_EQ_MSG(k, n, "%zu Refreshes, not %zu", k, n);
	return i;
}

/* No Refresh was served from served[from] on. */
static void
refreshes_done(size_t from)
{
	size_t	 i;

	for (i = from; i < nserved; i++)
		ATF_CHECK_MSG(served[i].method != STUN_REFRESH,
		    "a Refresh more, at %ju ms", (uintmax_t)(served[i].at - T0));
}

/*
 * turnc_channel for a peer the client has no permission for: the
 * CreatePermission and the ChannelBind for number, both granted.
 */
static void
bind_new(const struct sockaddr_in6 *p, uint16_t number)
{
	struct stun_msg	 m;

	ATF_CHECK_EQ(turnc_channel(p, now), 0);
	next_msg(&m, STUN_CREATE_PERMISSION, STUN_REQUEST);
	ATF_CHECK(ss_is(&m.xor_peer, p));
	grant(&m, 0);
	next_msg(&m, STUN_CHANNEL_BIND, STUN_REQUEST);
	check_keyed(&m, cur_nonce);
	ATF_CHECK_EQ(m.channel, number);
	ATF_CHECK(ss_is(&m.xor_peer, p));
	grant(&m, 0);
	nothing_sent();
	ATF_CHECK_EQ(turnc_channel(p, now), number);
}

/*
 * Nothing sent up to at (checked 100 ms and 1 ms before), the client's
 * wake at at, and there a Refresh for the lifetime: *m.
 */
static void
probe_at(uint64_t at, int flags, struct stun_msg *m)
{
	run_to(at - EARLY_MS, flags);
	nothing_sent();
	run_to(at - 1, flags);
	nothing_sent();
	ATF_CHECK_EQ(turnc_next_wake(now), at);
	run_to(at, flags);
	next_msg(m, STUN_REFRESH, STUN_REQUEST);
	check_keyed(m, cur_nonce);
	ATF_REQUIRE(m->has & STUN_HAS_LIFETIME);
	ATF_CHECK_EQ(m->lifetime, TURNC_LIFETIME_S);
	nothing_sent();
}

static void
step(int flags)
{
	if (flags & RUN_TALK)
		talk();
	if (flags & RUN_WANT)
		turnc_want(now);
	turnc_run(now);
	if (flags & RUN_SERVE)
		serve();
	else if (flags & RUN_PROBES)
		serve_probes();
}

/*
 * Runs the client as the engine does, at each of its wakes, up to and
 * at target.  A wake that does not move on fails the test.
 */
static void
run_to(uint64_t target, int flags)
{
	uint64_t	 w;
	int		 i;

	ATF_REQUIRE(target >= now);
	for (i = 0; i < STEPS_MAX; i++) {
		if ((w = turnc_next_wake(now)) > target)
			break;
		if (w > now)
			now = w;
		step(flags);
	}
	ATF_REQUIRE_MSG(i < STEPS_MAX, "turnc_next_wake does not move on");
	now = target;
	step(flags);
}

/*
 * Runs the client up to target; with p, the forwarder sends to p on its
 * channel ch every FORWARD_MS meanwhile, as a path in use does.
 */
static void
forward_to(const struct sockaddr_in6 *p, uint16_t ch, uint64_t target)
{
	while (p != NULL && now < target) {
		ATF_CHECK_EQ(turnc_channel(p, now), ch);
		run_to(now + FORWARD_MS < target ? now + FORWARD_MS : target,
		    0);
	}
	if (p == NULL)
		run_to(target, 0);
}

/*
 * p wanted, turnc_run, in [from, to) each every ms, the client run at its
 * wakes in between: nothing is sent but the Refreshes a silent server
 * gets, answered.
 */
static void
permit_quietly(const struct sockaddr_in6 *p, uint64_t from, uint64_t to,
    uint64_t every)
{
	uint64_t	 t;

	for (t = from; t < to; t += every) {
		run_to(t, RUN_PROBES);
		turnc_permit(p, now);
		step(RUN_PROBES);
	}
}

ATF_TC_WITHOUT_HEAD(allocate_challenge);
ATF_TC_BODY(allocate_challenge, tc)
{
	struct stun_msg		 m, k;
	struct sockaddr_in6	 sa, want;
	struct turnc_info	 ti;
	struct answer		 a;

	setup("");
	ATF_CHECK(turnc_relayed(&sa) == -1);
	turnc_want(now);
	next_msg(&m, STUN_ALLOCATE, STUN_REQUEST);
	check_unkeyed(&m);
	ATF_REQUIRE(m.has & STUN_HAS_TRANSPORT);
	ATF_CHECK_EQ(m.transport, STUN_TRANSPORT_UDP);
	nothing_sent();
	challenge(&m, STUN_ERR_UNAUTHORIZED, REALM, NONCE1);
	next_msg(&k, STUN_ALLOCATE, STUN_REQUEST);
	/* A new transaction (RFC 8489 9.2.5), with the key. */
	ATF_CHECK(memcmp(k.tid, m.tid, STUN_TID_LEN) != 0);
	check_keyed(&k, NONCE1);
	ATF_CHECK_EQ(k.transport, STUN_TRANSPORT_UDP);
	nothing_sent();
	ATF_CHECK_EQ(turnc_state(), TURNC_ALLOCATING);
	ATF_CHECK_EQ(nrelayed, 0);

	grant_allocate(&k, RELAYED, LIFETIME);
	ATF_CHECK_EQ(turnc_state(), TURNC_READY);
	sa_make(&want, RELAYED, RELAYED_PORT);
	ATF_REQUIRE(turnc_relayed(&sa) == 0);
	ATF_CHECK(sa_eq(&sa, &want));
	ATF_CHECK_EQ(nrelayed, 1);
	ATF_CHECK(!relayed_null && sa_eq(&relayed_sa, &want));
	turnc_info(&ti);
	ATF_CHECK_EQ(ti.state, TURNC_READY);
	ATF_CHECK_EQ(ti.lifetime, LIFETIME);
	ATF_CHECK_STREQ(ti.server, SERVER);
	ATF_CHECK(sa_eq(&ti.relayed, &want));

	/* The same answer again is no longer ours; nothing fires twice. */
	ans_begin(&a, &k, STUN_SUCCESS);
	ATF_CHECK_EQ(ans_end(&a, key), TURNC_NOT_OURS);
	ATF_CHECK_EQ(nrelayed, 1);
	turnc_want(now);
	nothing_sent();
	ATF_CHECK_EQ(nfailed, 0);
}

ATF_TC_WITHOUT_HEAD(allocate_realm);
ATF_TC_BODY(allocate_realm, tc)
{
	struct stun_msg	 m, k;

	/* The configured realm is the server's: taken. */
	setup(REALM);
	allocate();
	ATF_CHECK_EQ(nrelayed, 1);

	/* Another realm: refused, nothing more sent. */
	setup(REALM);
	turnc_want(now);
	next_msg(&m, STUN_ALLOCATE, STUN_REQUEST);
	challenge(&m, STUN_ERR_UNAUTHORIZED, "elsewhere", NONCE1);
	ATF_CHECK_EQ(nfailed, 1);
	ATF_CHECK_MATCH("realm", why);
	ATF_CHECK_EQ(turnc_state(), TURNC_FAILED);
	ATF_CHECK_EQ(nrelayed, 0);
	nothing_sent();
	run_to(now + 20 * MS, 0);
	nothing_sent();

	/* Nor through a 438 to the keyed request. */
	setup(REALM);
	challenged(&k);
	challenge(&k, STUN_ERR_STALE_NONCE, "elsewhere", NONCE2);
	ATF_CHECK_EQ(nfailed, 1);
	ATF_CHECK_MATCH("realm", why);
	nothing_sent();
}

ATF_TC_WITHOUT_HEAD(wrong_credentials);
ATF_TC_BODY(wrong_credentials, tc)
{
	struct stun_msg	 k;

	setup("");
	challenged(&k);
	challenge(&k, STUN_ERR_UNAUTHORIZED, REALM, NONCE1);
	ATF_CHECK_EQ(nfailed, 1);
	ATF_CHECK_STREQ(why, "credentials refused (401)");
	ATF_CHECK_EQ(turnc_state(), TURNC_FAILED);
	ATF_CHECK_EQ(nrelayed, 0);
	nothing_sent();
	run_to(now + 20 * MS, 0);
	nothing_sent();
	ATF_CHECK_EQ(nfailed, 1);
}

/* RFC 8489 6.2.1 as DESIGN.md sets it: 1 s, x1.5, given up at 10 s. */
ATF_TC_WITHOUT_HEAD(retransmit);
ATF_TC_BODY(retransmit, tc)
{
	static const uint64_t	 at[] = { 1000, 2500, 4750, 8125 };
	struct stun_msg		 m, r;
	uint64_t		 t0;
	size_t			 i;

	setup("");
	t0 = now;
	turnc_want(now);
	next_msg(&m, STUN_ALLOCATE, STUN_REQUEST);
	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		ATF_CHECK_EQ(turnc_next_wake(now), t0 + at[i]);
		now = t0 + at[i] - 1;
		turnc_run(now);
		nothing_sent();
		now = t0 + at[i];
		turnc_run(now);
		next_msg(&r, STUN_ALLOCATE, STUN_REQUEST);
		ATF_CHECK(memcmp(r.tid, m.tid, STUN_TID_LEN) == 0);
		nothing_sent();
	}
	ATF_CHECK_EQ(turnc_next_wake(now), t0 + TURNC_GIVEUP_MS);
	now = t0 + TURNC_GIVEUP_MS - 1;
	turnc_run(now);
	nothing_sent();
	ATF_CHECK_EQ(nfailed, 0);
	ATF_CHECK_EQ(turnc_state(), TURNC_ALLOCATING);
	now = t0 + TURNC_GIVEUP_MS;
	turnc_run(now);
	ATF_CHECK_EQ(nfailed, 1);
	ATF_CHECK_STREQ(why, "no answer for 10 s");
	ATF_CHECK_EQ(turnc_state(), TURNC_FAILED);
	nothing_sent();
	ATF_CHECK_EQ(turnc_next_wake(now), UINT64_MAX);
}

/*
 * A keyed Refresh nobody answers: the same schedule, then the relayed
 * address is gone and the server failed.  The server relays a datagram
 * at each wake until then: never silent, it gets no other Refresh.
 */
ATF_TC_WITHOUT_HEAD(refresh_no_answer);
ATF_TC_BODY(refresh_no_answer, tc)
{
	static const uint64_t	 at[] = { 1000, 2500, 4750, 8125 };
	struct stun_msg		 m, r;
	uint64_t		 t0;
	size_t			 i;

	setup("");
	allocate();
	run_to(now + LIFETIME / 2 * MS - 1, RUN_WANT | RUN_TALK);
	nothing_sent();
	run_to(now + 1, RUN_WANT | RUN_TALK);
	t0 = now;
	next_msg(&m, STUN_REFRESH, STUN_REQUEST);
	check_keyed(&m, NONCE1);
	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		now = t0 + at[i];
		turnc_want(now);
		turnc_run(now);
		next_msg(&r, STUN_REFRESH, STUN_REQUEST);
		ATF_CHECK(memcmp(r.tid, m.tid, STUN_TID_LEN) == 0);
		check_keyed(&r, NONCE1);
	}
	now = t0 + TURNC_GIVEUP_MS - 1;
	turnc_run(now);
	ATF_CHECK_EQ(nfailed, 0);
	now = t0 + TURNC_GIVEUP_MS;
	turnc_run(now);
	ATF_CHECK_EQ(nfailed, 1);
	ATF_CHECK_STREQ(why, "no answer for 10 s");
	ATF_CHECK_EQ(nrelayed, 2);
	ATF_CHECK(relayed_null);
	nothing_sent();
}

ATF_TC_WITHOUT_HEAD(refresh_stale_nonce);
ATF_TC_BODY(refresh_stale_nonce, tc)
{
	struct stun_msg	 m, k;
	struct answer	 a;
	uint64_t	 t0;

	setup("");
	allocate();
	t0 = now;
	/*
	 * LIFETIME 600: the Refresh at 300 s, not before.  The server
	 * relays a datagram at each wake: never silent, never asked.
	 */
	run_to(t0 + (LIFETIME / 2) * MS - 1, RUN_WANT | RUN_TALK);
	nothing_sent();
	run_to(t0 + (LIFETIME / 2) * MS, RUN_WANT | RUN_TALK);
	next_msg(&m, STUN_REFRESH, STUN_REQUEST);
	check_keyed(&m, NONCE1);
	ATF_REQUIRE(m.has & STUN_HAS_LIFETIME);
	ATF_CHECK_EQ(m.lifetime, TURNC_LIFETIME_S);
	nothing_sent();

	challenge(&m, STUN_ERR_STALE_NONCE, REALM, NONCE2);
	next_msg(&k, STUN_REFRESH, STUN_REQUEST);
	ATF_CHECK(memcmp(k.tid, m.tid, STUN_TID_LEN) != 0);
	check_keyed(&k, NONCE2);
	nothing_sent();
	ATF_CHECK_EQ(nfailed, 0);
	/* The old transaction is over. */
	ans_begin(&a, &m, STUN_SUCCESS);
	ATF_CHECK_EQ(ans_end(&a, key), TURNC_NOT_OURS);
	now += 20;
	grant(&k, LIFETIME);
	ATF_CHECK_EQ(turnc_state(), TURNC_READY);
	ATF_CHECK_EQ(nrelayed, 1);

	/* From the answer on; granted 200 s then: the next 100 s on. */
	t0 = now;
	cur_nonce = NONCE2;
	run_to(t0 + (LIFETIME / 2) * MS - 1, RUN_WANT | RUN_TALK);
	nothing_sent();
	run_to(t0 + (LIFETIME / 2) * MS, RUN_WANT | RUN_TALK);
	next_msg(&m, STUN_REFRESH, STUN_REQUEST);
	check_keyed(&m, NONCE2);
	grant(&m, 200);
	t0 = now;
	run_to(t0 + 100 * MS - 1, RUN_WANT | RUN_TALK);
	nothing_sent();
	run_to(t0 + 100 * MS, RUN_WANT | RUN_TALK);
	next_msg(&m, STUN_REFRESH, STUN_REQUEST);
	check_keyed(&m, NONCE2);
	ATF_CHECK_EQ(nfailed, 0);
}

/*
 * A server that forgot the allocation: allocate again, from the 401.
 * It relays a datagram at each wake: the Refresh is the one due at 300 s.
 */
ATF_TC_WITHOUT_HEAD(refresh_mismatch);
ATF_TC_BODY(refresh_mismatch, tc)
{
	struct stun_msg		 m, a, k;
	struct sockaddr_in6	 sa, want;

	setup("");
	allocate();
	run_to(now + (LIFETIME / 2) * MS - 1, RUN_WANT | RUN_TALK);
	nothing_sent();
	run_to(now + 1, RUN_WANT | RUN_TALK);
	next_msg(&m, STUN_REFRESH, STUN_REQUEST);
	refuse(&m, STUN_ERR_ALLOCATION_MISMATCH);
	ATF_CHECK_EQ(nrelayed, 2);
	ATF_CHECK(relayed_null);
	ATF_CHECK(turnc_relayed(&sa) == -1);
	ATF_CHECK_EQ(turnc_state(), TURNC_ALLOCATING);
	next_msg(&a, STUN_ALLOCATE, STUN_REQUEST);
	check_unkeyed(&a);
	nothing_sent();
	cur_nonce = NONCE2;
	challenge(&a, STUN_ERR_UNAUTHORIZED, REALM, NONCE2);
	next_msg(&k, STUN_ALLOCATE, STUN_REQUEST);
	check_keyed(&k, NONCE2);
	grant_allocate(&k, RELAYED2, LIFETIME);
	sa_make(&want, RELAYED2, RELAYED_PORT);
	ATF_CHECK_EQ(nrelayed, 3);
	ATF_CHECK(!relayed_null && sa_eq(&relayed_sa, &want));
	ATF_REQUIRE(turnc_relayed(&sa) == 0);
	ATF_CHECK(sa_eq(&sa, &want));
	ATF_CHECK_EQ(nfailed, 0);
}

/* An allocation of an earlier run holds the 5-tuple: let it go first. */
ATF_TC_WITHOUT_HEAD(allocate_mismatch);
ATF_TC_BODY(allocate_mismatch, tc)
{
	struct stun_msg	 k, rel, a;
	int		 i;

	setup("");
	challenged(&k);
	refuse(&k, STUN_ERR_ALLOCATION_MISMATCH);
	next_msg(&rel, STUN_REFRESH, STUN_REQUEST);
	check_keyed(&rel, NONCE1);
	ATF_REQUIRE(rel.has & STUN_HAS_LIFETIME);
	ATF_CHECK_EQ(rel.lifetime, 0);
	next_msg(&a, STUN_ALLOCATE, STUN_REQUEST);
	check_keyed(&a, NONCE1);
	ATF_CHECK(memcmp(a.tid, k.tid, STUN_TID_LEN) != 0);
	nothing_sent();
	ATF_CHECK_EQ(turnc_state(), TURNC_ALLOCATING);
	ATF_CHECK_EQ(nfailed, 0);
	grant_allocate(&a, RELAYED, LIFETIME);
	ATF_CHECK_EQ(turnc_state(), TURNC_READY);
	ATF_CHECK_EQ(nrelayed, 1);

	/* A server that says 437 to every Allocate is given up. */
	setup("");
	challenged(&a);
	for (i = 0; i < TURNC_MISMATCH_MAX; i++) {
		refuse(&a, STUN_ERR_ALLOCATION_MISMATCH);
		next_msg(&rel, STUN_REFRESH, STUN_REQUEST);
		ATF_CHECK_EQ(rel.lifetime, 0);
		next_msg(&a, STUN_ALLOCATE, STUN_REQUEST);
		ATF_CHECK_EQ(nfailed, 0);
	}
	refuse(&a, STUN_ERR_ALLOCATION_MISMATCH);
	ATF_CHECK_EQ(nfailed, 1);
	ATF_CHECK_STREQ(why, "Allocate refused (437)");
	ATF_CHECK_EQ(turnc_state(), TURNC_FAILED);
	nothing_sent();
}

ATF_TC_WITHOUT_HEAD(bad_integrity);
ATF_TC_BODY(bad_integrity, tc)
{
	struct stun_msg		 m, k, r;
	struct answer		 a;
	struct sockaddr_in6	 sa;
	struct sockaddr_storage	 ss;
	uint8_t			 bad[STUN_LTKEY_LEN];

	setup("");
	challenged(&k);
	stun_longterm_key(USER, REALM, "not-" PASS, bad);
	sa_make(&sa, RELAYED, RELAYED_PORT);
	sockaddr_from_v6(&sa, &ss);

	/* A success with another key's MAC, and one without a MAC. */
	ans_begin(&a, &k, STUN_SUCCESS);
	ATF_REQUIRE(stun_add_xor_addr(&a.b, STUN_ATTR_XOR_RELAYED_ADDRESS,
	    (struct sockaddr *)&ss) == 0);
	ans_end(&a, bad);
	ATF_CHECK_EQ(turnc_state(), TURNC_ALLOCATING);
	ans_begin(&a, &k, STUN_SUCCESS);
	ATF_REQUIRE(stun_add_xor_addr(&a.b, STUN_ATTR_XOR_RELAYED_ADDRESS,
	    (struct sockaddr *)&ss) == 0);
	ans_end(&a, NULL);
	ATF_CHECK_EQ(turnc_state(), TURNC_ALLOCATING);
	/* Errors with a bad MAC: no release, no failure. */
	ans_begin(&a, &k, STUN_ERROR);
	ATF_REQUIRE(stun_add_error(&a.b, STUN_ERR_ALLOCATION_MISMATCH,
	    "x") == 0);
	ans_end(&a, bad);
	ans_begin(&a, &k, STUN_ERROR);
	ATF_REQUIRE(stun_add_error(&a.b, STUN_ERR_FORBIDDEN, "x") == 0);
	ans_end(&a, bad);
	/* A 401 claiming a MAC must have it right too. */
	ans_begin(&a, &k, STUN_ERROR);
	ATF_REQUIRE(stun_add_error(&a.b, STUN_ERR_UNAUTHORIZED, "x") == 0);
	ATF_REQUIRE(stun_add_bytes(&a.b, STUN_ATTR_NONCE, NONCE2,
	    strlen(NONCE2)) == 0);
	ans_end(&a, bad);
	nothing_sent();
	ATF_CHECK_EQ(nrelayed, 0);
	ATF_CHECK_EQ(nfailed, 0);
	ATF_CHECK_EQ(turnc_state(), TURNC_ALLOCATING);

	/* Still outstanding: sent again at 1 s, then answered. */
	now += TURNC_RTO_MS;
	turnc_run(now);
	next_msg(&r, STUN_ALLOCATE, STUN_REQUEST);
	ATF_CHECK(memcmp(r.tid, k.tid, STUN_TID_LEN) == 0);
	check_keyed(&r, NONCE1);
	grant_allocate(&k, RELAYED, LIFETIME);
	ATF_CHECK_EQ(turnc_state(), TURNC_READY);
	ATF_CHECK_EQ(nrelayed, 1);

	/* An answer to nothing we asked. */
	m = k;
	m.tid[0] ^= 0xff;
	ans_begin(&a, &m, STUN_SUCCESS);
	ATF_CHECK_EQ(ans_end(&a, key), TURNC_NOT_OURS);
}

ATF_TC_WITHOUT_HEAD(permit);
ATF_TC_BODY(permit, tc)
{
	struct stun_msg		 m;
	struct sockaddr_in6	 p, p2;
	struct turnc_info	 ti;
	uint64_t		 t0;

	setup("");
	peer_make(&p, 0, PEER_PORT);
	peer_make(&p2, 0, PEER_PORT + 1);
	/* Wanted before the allocation: asked for once it is there. */
	turnc_permit(&p, now);
	challenged(&m);
	grant_allocate(&m, RELAYED, LIFETIME);
	nothing_sent();
	turnc_run(now);
	next_msg(&m, STUN_CREATE_PERMISSION, STUN_REQUEST);
	check_keyed(&m, NONCE1);
	ATF_REQUIRE(m.has & STUN_HAS_XOR_PEER);
	ATF_CHECK_EQ(m.npeers, 1);
	/* The peer's own port: a relay may refuse port 0. */
	ATF_CHECK(ss_is(&m.xor_peer, &p));
	/* One per IP: not again while asked, nor for another port. */
	turnc_permit(&p, now);
	turnc_permit(&p2, now);
	nothing_sent();
	grant(&m, 0);
	t0 = now;
	turnc_permit(&p2, now);
	turnc_run(now);
	nothing_sent();
	turnc_info(&ti);
	ATF_CHECK_EQ(ti.nperms, 1);

	/*
	 * Wanted: refreshed at 240 s, not before.  Meanwhile the silent
	 * server is asked every 25 s from the answer at 0 s, up to 225 s.
	 */
	permit_quietly(&p, t0 + 30 * MS, t0 + TURNC_PERM_REFRESH_S * MS,
	    30 * MS);
	run_to(t0 + TURNC_PERM_REFRESH_S * MS - 1, RUN_PROBES);
	refreshes_done(refreshes_at(0, t0 + TURNC_PROBE_IDLE_MS,
	    TURNC_PROBE_IDLE_MS, 9));
	now = t0 + TURNC_PERM_REFRESH_S * MS;
	turnc_run(now);
	next_msg(&m, STUN_CREATE_PERMISSION, STUN_REQUEST);
	check_keyed(&m, NONCE1);
	ATF_CHECK(ss_is(&m.xor_peer, &p));
	nothing_sent();
	grant(&m, 0);
	turnc_run(now);
	nothing_sent();
	ATF_CHECK_EQ(nfailed, 0);
}

/* A permission nobody wanted for its lifetime is not refreshed. */
ATF_TC_WITHOUT_HEAD(permit_unwanted);
ATF_TC_BODY(permit_unwanted, tc)
{
	struct stun_msg		 m;
	struct sockaddr_in6	 p;
	struct turnc_info	 ti;
	uint64_t		 t0;

	setup("");
	allocate();
	peer_make(&p, 0, PEER_PORT);
	t0 = now;
	turnc_permit(&p, now);
	next_msg(&m, STUN_CREATE_PERMISSION, STUN_REQUEST);
	grant(&m, 0);
	/* Wanted 240 s ago, within a permission's life: refreshed. */
	run_to(t0 + TURNC_PERM_REFRESH_S * MS, RUN_WANT | RUN_SERVE);
	ATF_CHECK_EQ(served_count(STUN_CREATE_PERMISSION), 1);
	ATF_CHECK_EQ(served[nserved - 1].at, t0 + TURNC_PERM_REFRESH_S * MS);
	/* Then 480 s: not, and it lapses at 540 s. */
	run_to(t0 + 2 * TURNC_PERM_REFRESH_S * MS, RUN_WANT | RUN_SERVE);
	ATF_CHECK_EQ(served_count(STUN_CREATE_PERMISSION), 1);
	/*
	 * The allocation is kept by the Refreshes to a silent server,
	 * every 25 s from an answer: 25 s to 225 s, and 265 s to 465 s
	 * from the CreatePermission's at 240 s.
	 */
	refreshes_done(refreshes_at(refreshes_at(0, t0 + TURNC_PROBE_IDLE_MS,
	    TURNC_PROBE_IDLE_MS, 9), t0 + TURNC_PERM_REFRESH_S * MS +
	    TURNC_PROBE_IDLE_MS, TURNC_PROBE_IDLE_MS, 9));
	turnc_info(&ti);
	ATF_CHECK_EQ(ti.nperms, 1);
	run_to(t0 + (TURNC_PERM_REFRESH_S + TURNC_PERM_S) * MS - 1,
	    RUN_WANT | RUN_SERVE);
	turnc_info(&ti);
	ATF_CHECK_EQ(ti.nperms, 1);
	run_to(t0 + (TURNC_PERM_REFRESH_S + TURNC_PERM_S) * MS,
	    RUN_WANT | RUN_SERVE);
	turnc_info(&ti);
	ATF_CHECK_EQ(ti.nperms, 0);
	ATF_CHECK_EQ(served_count(STUN_CREATE_PERMISSION), 1);
	/* Forgotten: asked for afresh. */
	turnc_permit(&p, now);
	next_msg(&m, STUN_CREATE_PERMISSION, STUN_REQUEST);
	ATF_CHECK(ss_is(&m.xor_peer, &p));
	ATF_CHECK_EQ(nfailed, 0);
}

ATF_TC_WITHOUT_HEAD(permit_forbidden);
ATF_TC_BODY(permit_forbidden, tc)
{
	struct stun_msg		 m;
	struct sockaddr_in6	 p;
	struct turnc_info	 ti;
	uint64_t		 t0;

	setup("");
	allocate();
	peer_make(&p, 0, PEER_PORT);
	turnc_permit(&p, now);
	next_msg(&m, STUN_CREATE_PERMISSION, STUN_REQUEST);
	refuse(&m, STUN_ERR_FORBIDDEN);
	t0 = now;
	turnc_info(&ti);
	ATF_CHECK_EQ(ti.nperms, 0);
	permit_quietly(&p, t0, t0 + TURNC_REFUSED_RETRY_S * MS, 10 * MS);
	permit_quietly(&p, t0 + TURNC_REFUSED_RETRY_S * MS - 1,
	    t0 + TURNC_REFUSED_RETRY_S * MS, 1);
	/* The 403 was the last heard: the silent server asked at 25, 50 s. */
	refreshes_done(refreshes_at(0, t0 + TURNC_PROBE_IDLE_MS,
	    TURNC_PROBE_IDLE_MS, 2));
	/* Still wanted: asked again by turnc_run itself. */
	now = t0 + TURNC_REFUSED_RETRY_S * MS;
	turnc_run(now);
	next_msg(&m, STUN_CREATE_PERMISSION, STUN_REQUEST);
	ATF_CHECK(ss_is(&m.xor_peer, &p));
	turnc_permit(&p, now);
	nothing_sent();
	grant(&m, 0);
	turnc_info(&ti);
	ATF_CHECK_EQ(ti.nperms, 1);
	ATF_CHECK_EQ(nfailed, 0);
	ATF_CHECK_EQ(turnc_state(), TURNC_READY);
}

ATF_TC_WITHOUT_HEAD(permit_cap);
ATF_TC_BODY(permit_cap, tc)
{
	struct stun_msg		 m;
	struct sockaddr_in6	 p[TURNC_PERMS_MAX + 1];
	struct turnc_info	 ti;
	uint64_t		 t0;
	size_t			 before;
	int			 i, t;

	setup("");
	allocate();
	t0 = now;
	for (i = 0; i <= TURNC_PERMS_MAX; i++)
		peer_make(&p[i], i, PEER_PORT);
	for (i = 0; i < TURNC_PERMS_MAX; i++) {
		turnc_permit(&p[i], now);
		next_msg(&m, STUN_CREATE_PERMISSION, STUN_REQUEST);
		ATF_CHECK(ss_is(&m.xor_peer, &p[i]));
		grant(&m, 0);
	}
	turnc_info(&ti);
	ATF_CHECK_EQ(ti.nperms, TURNC_PERMS_MAX);
	turnc_permit(&p[TURNC_PERMS_MAX], now);
	nothing_sent();

	/* All but the first wanted; it is fresh until 300 s have passed. */
	for (t = 30; t <= TURNC_PERM_S; t += 30) {
		now = t0 + t * MS;
		for (i = 1; i < TURNC_PERMS_MAX; i++)
			turnc_permit(&p[i], now);
		turnc_run(now);
		serve();
		before = nsent;
		turnc_permit(&p[TURNC_PERMS_MAX], now);
		ATF_CHECK_EQ_MSG(nsent, before, "capped at %d s", t);
	}
	ATF_CHECK_EQ(served_count(STUN_CREATE_PERMISSION), TURNC_PERMS_MAX);
	now = t0 + TURNC_PERM_S * MS + 1;
	turnc_permit(&p[TURNC_PERMS_MAX], now);
	next_msg(&m, STUN_CREATE_PERMISSION, STUN_REQUEST);
	ATF_CHECK(ss_is(&m.xor_peer, &p[TURNC_PERMS_MAX]));
	grant(&m, 0);
	turnc_info(&ti);
	ATF_CHECK_EQ(ti.nperms, TURNC_PERMS_MAX);
	/* Its place is taken: the first is now the one too many. */
	turnc_permit(&p[0], now);
	nothing_sent();
	ATF_CHECK_EQ(nfailed, 0);
}

ATF_TC_WITHOUT_HEAD(channel);
ATF_TC_BODY(channel, tc)
{
	struct stun_msg		 m, pm;
	struct sockaddr_in6	 p, other;
	struct turnc_info	 ti;
	uint8_t			 cd[] = { 0x40, 0x00, 0x00, 0x05,
				    'h', 'e', 'l', 'l', 'o', 0, 0, 0 };
	uint8_t			 hdr[TURNC_CHANDATA_HDR];

	setup("");
	peer_make(&p, 0, PEER_PORT);
	/* No allocation, no channel. */
	ATF_CHECK_EQ(turnc_channel(&p, now), 0);
	nothing_sent();
	allocate();
	ATF_CHECK_EQ(turnc_channel(&p, now), 0);
	/* Its datagrams need the peer's permission too. */
	next_msg(&pm, STUN_CREATE_PERMISSION, STUN_REQUEST);
	ATF_CHECK(ss_is(&pm.xor_peer, &p));
	next_msg(&m, STUN_CHANNEL_BIND, STUN_REQUEST);
	check_keyed(&m, NONCE1);
	ATF_REQUIRE(m.has & STUN_HAS_CHANNEL);
	ATF_CHECK_EQ(m.channel, TURNC_CHANNEL_FIRST);
	ATF_REQUIRE(m.has & STUN_HAS_XOR_PEER);
	ATF_CHECK(ss_is(&m.xor_peer, &p));
	/* Asked: not again while pending. */
	ATF_CHECK_EQ(turnc_channel(&p, now), 0);
	nothing_sent();
	/* ChannelData on a number not bound yet is dropped. */
	ATF_CHECK_EQ(deliver(cd, 9, &srv.sa), TURNC_TAKEN);
	grant(&pm, 0);
	grant(&m, 0);
	ATF_CHECK_EQ(turnc_channel(&p, now), TURNC_CHANNEL_FIRST);
	nothing_sent();
	turnc_info(&ti);
	ATF_CHECK_EQ(ti.nchannels, 1);
	ATF_CHECK_EQ(ti.nperms, 1);

	ATF_CHECK_EQ(deliver(cd, 9, &srv.sa), TURNC_DATA);
	ATF_CHECK(sa_eq(&in_peer, &p));
	ATF_CHECK(in_data == cd + TURNC_CHANDATA_HDR);
	ATF_CHECK_EQ(in_dlen, 5);
	/* Padded (as over TCP): the length says where it ends. */
	ATF_CHECK_EQ(deliver(cd, sizeof(cd), &srv.sa), TURNC_DATA);
	ATF_CHECK_EQ(in_dlen, 5);
	/* A length past the datagram. */
	ATF_CHECK_EQ(deliver(cd, 8, &srv.sa), TURNC_TAKEN);
	cd[3] = 0xff;
	ATF_CHECK_EQ(deliver(cd, sizeof(cd), &srv.sa), TURNC_TAKEN);
	cd[3] = 5;
	/* A number not ours. */
	cd[1] = 0x01;
	ATF_CHECK_EQ(deliver(cd, 9, &srv.sa), TURNC_TAKEN);
	cd[0] = 0x4f;
	cd[1] = 0xff;
	ATF_CHECK_EQ(deliver(cd, 9, &srv.sa), TURNC_TAKEN);
	cd[0] = 0x40;
	cd[1] = 0x00;
	/* From elsewhere. */
	sa_make(&other, OTHER, SERVER_PORT);
	ATF_CHECK_EQ(deliver(cd, 9, &other), TURNC_NOT_OURS);
	other = srv.sa;
	other.sin6_port = htons(SERVER_PORT + 1);
	ATF_CHECK_EQ(deliver(cd, 9, &other), TURNC_NOT_OURS);
	ATF_CHECK_EQ(deliver(cd, 9, &srv.sa), TURNC_DATA);

	turnc_chandata_hdr(hdr, TURNC_CHANNEL_FIRST, 0x123);
	ATF_CHECK(hdr[0] == 0x40 && hdr[1] == 0x00 && hdr[2] == 0x01 &&
	    hdr[3] == 0x23);
	nothing_sent();
	ATF_CHECK_EQ(nfailed, 0);
}

/* Refused: Send indications, and asked again a minute on. */
ATF_TC_WITHOUT_HEAD(channel_refused);
ATF_TC_BODY(channel_refused, tc)
{
	struct stun_msg		 m;
	struct sockaddr_in6	 p;
	uint64_t		 t0;
	int			 t;

	setup("");
	allocate();
	peer_make(&p, 0, PEER_PORT);
	ATF_CHECK_EQ(turnc_channel(&p, now), 0);
	next_msg(&m, STUN_CREATE_PERMISSION, STUN_REQUEST);
	grant(&m, 0);
	next_msg(&m, STUN_CHANNEL_BIND, STUN_REQUEST);
	refuse(&m, STUN_ERR_BAD_REQUEST);
	t0 = now;
	ATF_CHECK_EQ(nfailed, 0);
	ATF_CHECK_EQ(turnc_state(), TURNC_READY);
	for (t = 0; t < TURNC_REFUSED_RETRY_S; t += 10) {
		now = t0 + t * MS;
		ATF_CHECK_EQ(turnc_channel(&p, now), 0);
		turnc_run(now);
		serve();
	}
	ATF_CHECK_EQ(served_count(STUN_CHANNEL_BIND), 0);
	/* The permission asked with the channel is there already. */
	ATF_REQUIRE(turnc_send((const uint8_t *)"x", 1, &p, now) == 0);
	next_msg(&m, STUN_SEND, STUN_INDICATION);
	now = t0 + TURNC_REFUSED_RETRY_S * MS - 1;
	ATF_CHECK_EQ(turnc_channel(&p, now), 0);
	nothing_sent();
	/* Its number is its own: the same one again. */
	now = t0 + TURNC_REFUSED_RETRY_S * MS;
	ATF_CHECK_EQ(turnc_channel(&p, now), 0);
	next_msg(&m, STUN_CHANNEL_BIND, STUN_REQUEST);
	ATF_CHECK_EQ(m.channel, TURNC_CHANNEL_FIRST);
	ATF_CHECK(ss_is(&m.xor_peer, &p));
	grant(&m, 0);
	ATF_CHECK_EQ(turnc_channel(&p, now), TURNC_CHANNEL_FIRST);
}

/* Refreshed at 480 s while used; let go when unused since. */
ATF_TC_WITHOUT_HEAD(channel_refresh);
ATF_TC_BODY(channel_refresh, tc)
{
	struct stun_msg		 m;
	struct sockaddr_in6	 p, p2;
	struct turnc_info	 ti;
	struct served		*v;
	uint64_t		 t0;
	int			 t;

	setup("");
	allocate();
	peer_make(&p, 0, PEER_PORT);
	peer_make(&p2, 1, PEER_PORT);
	bind_new(&p, TURNC_CHANNEL_FIRST);
	t0 = now;
	for (t = 60; t <= 420; t += 60) {
		run_to(t0 + t * MS, RUN_WANT | RUN_SERVE);
		ATF_CHECK_EQ(turnc_channel(&p, now), TURNC_CHANNEL_FIRST);
	}
	run_to(t0 + TURNC_CHAN_REFRESH_S * MS - 1, RUN_WANT | RUN_SERVE);
	ATF_CHECK_EQ(served_count(STUN_CHANNEL_BIND), 0);
	run_to(t0 + TURNC_CHAN_REFRESH_S * MS, RUN_WANT | RUN_SERVE);
	ATF_REQUIRE_EQ(served_count(STUN_CHANNEL_BIND), 1);
	v = &served[nserved - 1];
	ATF_CHECK_EQ(v->method, STUN_CHANNEL_BIND);
	ATF_CHECK_EQ(v->channel, TURNC_CHANNEL_FIRST);
	ATF_CHECK(sa_eq(&v->peer, &p));
	ATF_CHECK_EQ(v->at, t0 + TURNC_CHAN_REFRESH_S * MS);

	/* Last used at 420 s: not refreshed at 960 s, lapsed. */
	run_to(t0 + 2 * TURNC_CHAN_REFRESH_S * MS - 1, RUN_WANT | RUN_SERVE);
	turnc_info(&ti);
	ATF_CHECK_EQ(ti.nchannels, 1);
	run_to(t0 + 2 * TURNC_CHAN_REFRESH_S * MS, RUN_WANT | RUN_SERVE);
	turnc_info(&ti);
	ATF_CHECK_EQ(ti.nchannels, 0);
	ATF_CHECK_EQ(served_count(STUN_CHANNEL_BIND), 1);
	/* The server holds it to 1080 s: the peer gets its number again. */
	ATF_CHECK_EQ(turnc_channel(&p, now), 0);
	next_msg(&m, STUN_CHANNEL_BIND, STUN_REQUEST);
	ATF_CHECK_EQ(m.channel, TURNC_CHANNEL_FIRST);
	ATF_CHECK(ss_is(&m.xor_peer, &p));
	nothing_sent();
	/* Numbers are not reused within an allocation (RFC 8656 12). */
	ATF_CHECK_EQ(turnc_channel(&p2, now), 0);
	next_msg(&m, STUN_CREATE_PERMISSION, STUN_REQUEST);
	next_msg(&m, STUN_CHANNEL_BIND, STUN_REQUEST);
	ATF_CHECK_EQ(m.channel, TURNC_CHANNEL_FIRST + 1);
	ATF_CHECK_EQ(nfailed, 0);
}

/*
 * A channel the forwarder sends on keeps its peer's permission wanted,
 * and so do the peer's datagrams on it: refreshed at 240 and 480 s.
 */
ATF_TC_WITHOUT_HEAD(channel_permission);
ATF_TC_BODY(channel_permission, tc)
{
	struct stun_msg		 m;
	struct sockaddr_in6	 p;
	struct turnc_info	 ti;
	struct served		*v;
	uint64_t		 t0;
	size_t			 i, n;
	int			 t, in;

	for (in = 0; in < 2; in++) {
		setup("");
		allocate();
		peer_make(&p, 0, PEER_PORT);
		/* As the engine starts: a Send indication, then a channel. */
		ATF_REQUIRE(turnc_send((const uint8_t *)"x", 1, &p, now) == 0);
		next_msg(&m, STUN_CREATE_PERMISSION, STUN_REQUEST);
		grant(&m, 0);
		next_msg(&m, STUN_SEND, STUN_INDICATION);
		ATF_CHECK_EQ(turnc_channel(&p, now), 0);
		next_msg(&m, STUN_CHANNEL_BIND, STUN_REQUEST);
		grant(&m, 0);
		nothing_sent();
		t0 = now;
		for (t = 10; t <= 2 * TURNC_PERM_S; t += 10) {
			run_to(t0 + t * MS, RUN_WANT | RUN_SERVE);
			if (in)
				chandata(TURNC_CHANNEL_FIRST);
			else
				ATF_CHECK_EQ(turnc_channel(&p, now),
				    TURNC_CHANNEL_FIRST);
		}
		for (i = n = 0; i < nserved; i++) {
			v = &served[i];
			if (v->method != STUN_CREATE_PERMISSION)
				continue;
			ATF_CHECK_EQ_MSG(v->at, t0 + (n + 1) *
			    TURNC_PERM_REFRESH_S * MS, "in %d", in);
			ATF_CHECK(sa_eq(&v->peer, &p));
			n++;
		}
		ATF_CHECK_EQ_MSG(n, 2, "in %d: %zu refreshes", in, n);
		turnc_info(&ti);
		ATF_CHECK_EQ_MSG(ti.nperms, 1, "in %d", in);
		ATF_CHECK_EQ(ti.nchannels, 1);
		ATF_CHECK_EQ(nfailed, 0);
	}
}

/*
 * A channel unused since its refresh at 480 s lapses at 960 s; the
 * server keeps it to 1080 s, and RFC 8656 12 bars binding its peer to
 * another number for 300 s more: until 1380 s the peer gets its number
 * back, from then on a new one.
 */
ATF_TC_WITHOUT_HEAD(channel_lapse);
ATF_TC_BODY(channel_lapse, tc)
{
	struct stun_msg		 m;
	struct sockaddr_in6	 p, p2;
	struct turnc_info	 ti;
	uint64_t		 t0, back;
	uint16_t		 want;
	int			 late;

	peer_make(&p, 0, PEER_PORT);
	peer_make(&p2, 1, PEER_PORT);
	for (late = 0; late < 2; late++) {
		setup("");
		allocate();
		bind_new(&p, TURNC_CHANNEL_FIRST);
		t0 = now;
		/* Used at 0 s, the time of its binding: refreshed. */
		run_to(t0 + TURNC_CHAN_REFRESH_S * MS, RUN_WANT | RUN_SERVE);
		ATF_REQUIRE_EQ(served_count(STUN_CHANNEL_BIND), 1);
		ATF_CHECK_EQ(served[nserved - 1].at,
		    t0 + TURNC_CHAN_REFRESH_S * MS);
		/* Unused since: lapsed (to the ms, channel_refresh checks). */
		run_to(t0 + 2 * TURNC_CHAN_REFRESH_S * MS, RUN_WANT | RUN_SERVE);
		turnc_info(&ti);
		ATF_CHECK_EQ(ti.nchannels, 0);
		ATF_CHECK_EQ(served_count(STUN_CHANNEL_BIND), 1);
		/* Meanwhile another peer takes the next number. */
		bind_new(&p2, TURNC_CHANNEL_FIRST + 1);
		back = t0 + (TURNC_CHAN_REFRESH_S + TURNC_CHAN_S +
		    TURNC_CHAN_REBIND_S) * MS - (late ? 0 : 1);
		run_to(back, RUN_WANT | RUN_SERVE);
		/* Its permission lapsed at 540 s: asked again with it. */
		ATF_CHECK_EQ(turnc_channel(&p, now), 0);
		next_msg(&m, STUN_CREATE_PERMISSION, STUN_REQUEST);
		ATF_CHECK(ss_is(&m.xor_peer, &p));
		grant(&m, 0);
		next_msg(&m, STUN_CHANNEL_BIND, STUN_REQUEST);
		ATF_CHECK(ss_is(&m.xor_peer, &p));
		want = late ? TURNC_CHANNEL_FIRST + 2 : TURNC_CHANNEL_FIRST;
		ATF_CHECK_EQ_MSG(m.channel, want, "back at %ju ms",
		    (uintmax_t)(back - t0));
		grant(&m, 0);
		nothing_sent();
		ATF_CHECK_EQ(turnc_channel(&p, now), want);
		ATF_CHECK_EQ(nfailed, 0);
	}
}

ATF_TC_WITHOUT_HEAD(channel_cap);
ATF_TC_BODY(channel_cap, tc)
{
	struct stun_msg		 m;
	struct sockaddr_in6	 p;
	struct turnc_info	 ti;
	int			 i;

	setup("");
	allocate();
	/* Two ports per IP: one permission for both. */
	for (i = 0; i < TURNC_CHANNELS_MAX; i++) {
		peer_make(&p, i / 2, PEER_PORT + i % 2);
		if (i % 2 == 0) {
			bind_new(&p, TURNC_CHANNEL_FIRST + i);
			continue;
		}
		ATF_CHECK_EQ(turnc_channel(&p, now), 0);
		next_msg(&m, STUN_CHANNEL_BIND, STUN_REQUEST);
		ATF_CHECK_EQ(m.channel, TURNC_CHANNEL_FIRST + i);
		ATF_CHECK(ss_is(&m.xor_peer, &p));
		grant(&m, 0);
		ATF_CHECK_EQ(turnc_channel(&p, now), TURNC_CHANNEL_FIRST + i);
	}
	turnc_info(&ti);
	ATF_CHECK_EQ(ti.nchannels, TURNC_CHANNELS_MAX);
	ATF_CHECK_EQ(ti.nperms, TURNC_CHANNELS_MAX / 2);
	/* No channel: its Send indications need the permission still. */
	peer_make(&p, TURNC_CHANNELS_MAX, PEER_PORT);
	ATF_CHECK_EQ(turnc_channel(&p, now), 0);
	next_msg(&m, STUN_CREATE_PERMISSION, STUN_REQUEST);
	ATF_CHECK(ss_is(&m.xor_peer, &p));
	grant(&m, 0);
	nothing_sent();
	ATF_CHECK_EQ(turnc_channel(&p, now), 0);
	nothing_sent();
	peer_make(&p, 0, PEER_PORT + 1);
	ATF_CHECK_EQ(turnc_channel(&p, now), TURNC_CHANNEL_FIRST + 1);
	nothing_sent();
}

ATF_TC_WITHOUT_HEAD(send);
ATF_TC_BODY(send, tc)
{
	struct stun_msg		 m, s;
	struct sockaddr_in6	 p;
	struct sent		*d;
	static const uint8_t	 ping[] = { 'p', 'i', 'n', 'g' };

	setup("");
	peer_make(&p, 0, PEER_PORT);
	ATF_CHECK(turnc_send(ping, sizeof(ping), &p, now) == -1);
	nothing_sent();
	allocate();
	ATF_REQUIRE(turnc_send(ping, sizeof(ping), &p, now) == 0);
	next_msg(&m, STUN_CREATE_PERMISSION, STUN_REQUEST);
	ATF_CHECK(ss_is(&m.xor_peer, &p));
	next_msg(&s, STUN_SEND, STUN_INDICATION);
	ATF_REQUIRE(s.has & STUN_HAS_XOR_PEER);
	ATF_CHECK(ss_is(&s.xor_peer, &p));
	ATF_REQUIRE(s.has & STUN_HAS_DATA);
	ATF_CHECK(span_is(&s, &s.data, "ping"));
	ATF_CHECK_EQ(s.has & STUN_HAS_INTEGRITY, 0);
	nothing_sent();
	grant(&m, 0);
	ATF_REQUIRE(turnc_send(ping, sizeof(ping), &p, now) == 0);
	next_msg(&s, STUN_SEND, STUN_INDICATION);
	nothing_sent();

	ATF_CHECK_EQ(turnc_channel(&p, now), 0);
	next_msg(&m, STUN_CHANNEL_BIND, STUN_REQUEST);
	/* Pending: still an indication. */
	ATF_REQUIRE(turnc_send(ping, sizeof(ping), &p, now) == 0);
	next_msg(&s, STUN_SEND, STUN_INDICATION);
	grant(&m, 0);
	ATF_REQUIRE(turnc_send(ping, sizeof(ping), &p, now) == 0);
	d = next_sent_to(&srv.sa);
	ATF_REQUIRE_EQ(d->len, TURNC_CHANDATA_HDR + sizeof(ping));
	ATF_CHECK(d->buf[0] == 0x40 && d->buf[1] == 0x00 && d->buf[2] == 0 &&
	    d->buf[3] == sizeof(ping));
	ATF_CHECK(memcmp(d->buf + TURNC_CHANDATA_HDR, ping,
	    sizeof(ping)) == 0);
	nothing_sent();
}

ATF_TC_WITHOUT_HEAD(data_indication);
ATF_TC_BODY(data_indication, tc)
{
	struct stun_builder	 b;
	struct sockaddr_in6	 p, other;
	struct sockaddr_storage	 ss;
	uint8_t			 buf[ANSWER_MAX];
	uint8_t			 tid[STUN_TID_LEN];
	size_t			 len;

	setup("");
	peer_make(&p, 3, PEER_PORT);
	sockaddr_from_v6(&p, &ss);
	memset(tid, 7, sizeof(tid));
	len = data_ind(buf, sizeof(buf), &p, "pong");
	/* No allocation: not delivered. */
	ATF_CHECK_EQ(deliver(buf, len, &srv.sa), TURNC_TAKEN);
	allocate();
	ATF_CHECK_EQ(deliver(buf, len, &srv.sa), TURNC_DATA);
	ATF_CHECK(sa_eq(&in_peer, &p));
	ATF_REQUIRE_EQ(in_dlen, 4);
	ATF_CHECK(memcmp(in_data, "pong", 4) == 0);
	ATF_CHECK(in_data > buf && in_data + in_dlen <= buf + len);
	sa_make(&other, OTHER, SERVER_PORT);
	ATF_CHECK_EQ(deliver(buf, len, &other), TURNC_NOT_OURS);

	/* Without DATA: taken, not delivered. */
	ATF_REQUIRE(stun_build_init(&b, buf, sizeof(buf),
	    stun_type(STUN_DATA, STUN_INDICATION), tid) == 0);
	ATF_REQUIRE(stun_add_xor_addr(&b, STUN_ATTR_XOR_PEER_ADDRESS,
	    (struct sockaddr *)&ss) == 0);
	ATF_CHECK_EQ(deliver(buf, stun_build_len(&b), &srv.sa), TURNC_TAKEN);
	/* Not a Data indication, not an answer: not ours. */
	ATF_REQUIRE(stun_build_init(&b, buf, sizeof(buf),
	    stun_type(STUN_SEND, STUN_INDICATION), tid) == 0);
	ATF_REQUIRE(stun_add_bytes(&b, STUN_ATTR_DATA, "pong", 4) == 0);
	ATF_CHECK_EQ(deliver(buf, stun_build_len(&b), &srv.sa),
	    TURNC_NOT_OURS);
	ATF_REQUIRE(stun_build_init(&b, buf, sizeof(buf),
	    stun_type(STUN_BINDING, STUN_REQUEST), tid) == 0);
	ATF_CHECK_EQ(deliver(buf, stun_build_len(&b), &srv.sa),
	    TURNC_NOT_OURS);
	memset(buf, 0, sizeof(buf));
	ATF_CHECK_EQ(deliver(buf, 3, &srv.sa), TURNC_NOT_OURS);
	nothing_sent();
	ATF_CHECK_EQ(turnc_state(), TURNC_READY);
}

ATF_TC_WITHOUT_HEAD(idle_release);
ATF_TC_BODY(idle_release, tc)
{
	struct stun_msg		 m;
	struct sockaddr_in6	 p, sa;
	uint64_t		 t0;
	size_t			 i;
	int			 use;

	setup("");
	allocate();
	t0 = now;
	/* The Refreshes to the silent server at 25 and 50 s are no use. */
	run_to(t0 + TURNC_IDLE_RELEASE_S * MS - 1, RUN_PROBES);
	refreshes_done(refreshes_at(0, t0 + TURNC_PROBE_IDLE_MS,
	    TURNC_PROBE_IDLE_MS, 2));
	ATF_CHECK_EQ(turnc_state(), TURNC_READY);
	ATF_CHECK_EQ(turnc_next_wake(now), t0 + TURNC_IDLE_RELEASE_S * MS);
	now = t0 + TURNC_IDLE_RELEASE_S * MS;
	turnc_run(now);
	next_msg(&m, STUN_REFRESH, STUN_REQUEST);
	check_keyed(&m, NONCE1);
	ATF_REQUIRE(m.has & STUN_HAS_LIFETIME);
	ATF_CHECK_EQ(m.lifetime, 0);
	nothing_sent();
	ATF_CHECK_EQ(nrelayed, 2);
	ATF_CHECK(relayed_null);
	ATF_CHECK_EQ(turnc_state(), TURNC_IDLE);
	ATF_CHECK(turnc_relayed(&sa) == -1);
	ATF_CHECK_EQ(turnc_next_wake(now), UINT64_MAX);
	ATF_CHECK_EQ(nfailed, 0);

	/*
	 * Each use at 59 s keeps it to 119 s.  The silent server is asked
	 * at 25 and 50 s, then 25 s after the last answer: the Refresh's
	 * at 50 s, the CreatePermission's at 59 s; while the channel bound
	 * at 59 s was used in the last 10 s, 2 s after it.
	 */
	peer_make(&p, 0, PEER_PORT);
	for (use = 0; use < 4; use++) {
		setup("");
		allocate();
		t0 = now;
		run_to(t0 + (TURNC_IDLE_RELEASE_S - 1) * MS, RUN_PROBES);
		switch (use) {
		case 0:
			turnc_want(now);
			break;
		case 1:
			turnc_permit(&p, now);
			break;
		case 2:
			ATF_CHECK_EQ(turnc_channel(&p, now), 0);
			break;
		default:
			ATF_CHECK(turnc_send((const uint8_t *)"x", 1, &p,
			    now) == 0);
			break;
		}
		serve();
		run_to(t0 + (2 * TURNC_IDLE_RELEASE_S - 1) * MS - 1,
		    RUN_SERVE);
		ATF_CHECK_EQ_MSG(turnc_state(), TURNC_READY, "use %d", use);
		ATF_CHECK_EQ(nrelayed, 1);
		i = refreshes_at(0, t0 + TURNC_PROBE_IDLE_MS,
		    TURNC_PROBE_IDLE_MS, 2);
		switch (use) {
		case 0:
			i = refreshes_at(i, t0 + 75 * MS, TURNC_PROBE_IDLE_MS,
			    2);
			break;
		case 2:
			i = refreshes_at(i, t0 + 61 * MS, TURNC_PROBE_MS, 4);
			i = refreshes_at(i, t0 + 92 * MS, TURNC_PROBE_IDLE_MS,
			    2);
			break;
		default:
			i = refreshes_at(i, t0 + 84 * MS, TURNC_PROBE_IDLE_MS,
			    2);
			break;
		}
		refreshes_done(i);
		run_to(t0 + (2 * TURNC_IDLE_RELEASE_S - 1) * MS, 0);
		ATF_CHECK_EQ_MSG(turnc_state(), TURNC_IDLE, "use %d", use);
		next_msg(&m, STUN_REFRESH, STUN_REQUEST);
		ATF_CHECK_EQ(m.lifetime, 0);
		ATF_CHECK_EQ(nrelayed, 2);
		ATF_CHECK(relayed_null);
		ATF_CHECK_EQ(nfailed, 0);
	}
}

/* No channel in use: a server silent 25 s is asked, not at 24.9 s. */
ATF_TC_WITHOUT_HEAD(probe_idle);
ATF_TC_BODY(probe_idle, tc)
{
	struct stun_msg	 m;
	uint64_t	 t0;

	setup("");
	allocate();
	t0 = now;
	probe_at(t0 + TURNC_PROBE_IDLE_MS, RUN_WANT, &m);
	/* Answered at 25.5 s: the next 25 s after the answer. */
	run_to(t0 + TURNC_PROBE_IDLE_MS + 500, RUN_WANT);
	nothing_sent();
	grant(&m, LIFETIME);
	probe_at(t0 + 2 * TURNC_PROBE_IDLE_MS + 500, RUN_WANT, &m);
	ATF_CHECK_EQ(nfailed, 0);
	ATF_CHECK_EQ(turnc_state(), TURNC_READY);
}

/*
 * A bound channel used in the last 10 s: a server silent 2 s is asked.
 * Used at 0 s only: asked at 2, 4, 6, 8 s; from 10 s on, 25 s apply.
 */
ATF_TC_WITHOUT_HEAD(probe_path);
ATF_TC_BODY(probe_path, tc)
{
	struct stun_msg		 m;
	struct sockaddr_in6	 p;
	uint64_t		 t0, t1;
	size_t			 i;

	setup("");
	allocate();
	peer_make(&p, 0, PEER_PORT);
	bind_new(&p, TURNC_CHANNEL_FIRST);
	t0 = now;
	probe_at(t0 + TURNC_PROBE_MS, RUN_WANT, &m);
	grant(&m, LIFETIME);
	t1 = t0 + 4 * TURNC_PROBE_MS + TURNC_PROBE_IDLE_MS;
	run_to(t1 - 1, RUN_WANT | RUN_PROBES);
	i = refreshes_at(0, t0 + 2 * TURNC_PROBE_MS, TURNC_PROBE_MS, 3);
	refreshes_done(i);
	ATF_CHECK_EQ(turnc_next_wake(now), t1);
	run_to(t1, RUN_WANT | RUN_PROBES);
	refreshes_done(refreshes_at(i, t1, 0, 1));
	ATF_CHECK_EQ(nfailed, 0);
}

/*
 * An unanswered Refresh to a silent server: sent again at 1, 2.5 and
 * 4.75 s, the server failed at 5 s (not at 4.9 s), whether it was asked
 * after 25 s of silence or after 2 s with a channel in use.
 */
ATF_TC_WITHOUT_HEAD(probe_giveup);
ATF_TC_BODY(probe_giveup, tc)
{
	static const uint64_t	 at[] = { 1000, 2500, 4750 };
	struct stun_msg		 m, r;
	struct sockaddr_in6	 p;
	const struct sockaddr_in6 *fp;
	uint64_t		 t0;
	size_t			 i;
	int			 path;

	peer_make(&p, 0, PEER_PORT);
	for (path = 0; path < 2; path++) {
		setup("");
		allocate();
		fp = NULL;
		if (path) {
			bind_new(&p, TURNC_CHANNEL_FIRST);
			fp = &p;
		}
		forward_to(fp, TURNC_CHANNEL_FIRST, now + (path ?
		    TURNC_PROBE_MS : TURNC_PROBE_IDLE_MS));
		t0 = now;
		next_msg(&m, STUN_REFRESH, STUN_REQUEST);
		nothing_sent();
		for (i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
			ATF_CHECK_EQ_MSG(turnc_next_wake(now), t0 + at[i],
			    "path %d, %zu", path, i);
			forward_to(fp, TURNC_CHANNEL_FIRST, t0 + at[i]);
			next_msg(&r, STUN_REFRESH, STUN_REQUEST);
			ATF_CHECK(memcmp(r.tid, m.tid, STUN_TID_LEN) == 0);
			nothing_sent();
		}
		ATF_CHECK_EQ(turnc_next_wake(now), t0 + TURNC_PROBE_GIVEUP_MS);
		forward_to(fp, TURNC_CHANNEL_FIRST,
		    t0 + TURNC_PROBE_GIVEUP_MS - 100);
		ATF_CHECK_EQ_MSG(nfailed, 0, "path %d", path);
		ATF_CHECK_EQ(turnc_state(), TURNC_READY);
		forward_to(fp, TURNC_CHANNEL_FIRST, t0 + TURNC_PROBE_GIVEUP_MS);
		ATF_CHECK_EQ_MSG(nfailed, 1, "path %d", path);
		ATF_CHECK_STREQ(why, "silent, and no answer to a Refresh in 5 s");
		ATF_CHECK_EQ(turnc_state(), TURNC_FAILED);
		ATF_CHECK_EQ(nrelayed, 2);
		ATF_CHECK(relayed_null);
		nothing_sent();
	}
}

/* Whatever the server sends is heard: silent from it on. */
ATF_TC_WITHOUT_HEAD(probe_heard);
ATF_TC_BODY(probe_heard, tc)
{
	struct stun_msg		 m;
	struct sockaddr_in6	 p, p2;
	uint64_t		 t0;

	setup("");
	allocate();
	t0 = now;
	peer_make(&p, 0, PEER_PORT);
	peer_make(&p2, 1, PEER_PORT);
	/* An answer: the CreatePermission's at 20.5 s. */
	run_to(t0 + 20 * MS, RUN_WANT);
	turnc_permit(&p, now);
	next_msg(&m, STUN_CREATE_PERMISSION, STUN_REQUEST);
	run_to(t0 + 20 * MS + 500, RUN_WANT);
	nothing_sent();
	grant(&m, 0);
	probe_at(t0 + 45 * MS + 500, RUN_WANT, &m);
	grant(&m, LIFETIME);
	/* A peer's datagram in a Data indication, at 60 s. */
	run_to(t0 + 60 * MS, RUN_WANT);
	talk();
	probe_at(t0 + 85 * MS, RUN_WANT, &m);
	grant(&m, LIFETIME);
	/* ChannelData on a channel in use, 1.5 s after its binding. */
	bind_new(&p2, TURNC_CHANNEL_FIRST);
	run_to(t0 + 86 * MS + 500, RUN_WANT);
	nothing_sent();
	chandata(TURNC_CHANNEL_FIRST);
	probe_at(t0 + 88 * MS + 500, RUN_WANT, &m);
	ATF_CHECK_EQ(nfailed, 0);
}

static void
turnc_info_check_lifetime(uint32_t want)
{
	struct turnc_info	 ti;

	turnc_info(&ti);
	ATF_CHECK_EQ(ti.lifetime, want);
}

/* A REST user name expiring secs from now; the server's key is its. */
static void
rest_user(struct turnc_server *s, int64_t secs)
{
	snprintf(s->username, sizeof(s->username), "%lld:node-a",
	    (long long)(time(NULL) + secs));
	strlcpy(keyuser, s->username, sizeof(keyuser));
	stun_longterm_key(s->username, REALM, PASS, key);
}

/*
 * tern-signal's renewed credentials: the allocation keeps its user
 * name while it has more than TURNC_CRED_RENEW_S left, and is made
 * again with the newer one from then on.
 */
ATF_TC_WITHOUT_HEAD(renew_credentials);
ATF_TC_BODY(renew_credentials, tc)
{
	struct turnc_server	 s2;
	struct stun_msg		 m;
	char			 kept[sizeof(srv.username)];

	/* An hour left: the newer credentials wait. */
	setup("");
	rest_user(&srv, 3600);
	turnc_set_server(&srv, now);
	allocate();
	strlcpy(kept, srv.username, sizeof(kept));
	s2 = srv;
	rest_user(&s2, 7200);
	strlcpy(keyuser, kept, sizeof(keyuser));
	stun_longterm_key(kept, REALM, PASS, key);
	turnc_set_server(&s2, now);
	nothing_sent();
	ATF_CHECK_EQ(turnc_state(), TURNC_READY);
	ATF_CHECK_EQ(nrelayed, 1);
	turnc_run(now);
	nothing_sent();

	/* A generation change still allocates again at once. */
	s2.generation++;
	turnc_set_server(&s2, now);
	next_msg(&m, STUN_REFRESH, STUN_REQUEST);
	ATF_CHECK_EQ(m.lifetime, 0);
	next_msg(&m, STUN_ALLOCATE, STUN_REQUEST);
	ATF_CHECK(relayed_null);

	/* Less than the margin left: allocated again with the newer. */
	setup("");
	rest_user(&srv, TURNC_CRED_RENEW_S - 1);
	turnc_set_server(&srv, now);
	allocate();
	s2 = srv;
	rest_user(&s2, 7200);
	turnc_set_server(&s2, now);
	next_msg(&m, STUN_REFRESH, STUN_REQUEST);
	ATF_CHECK_EQ(m.lifetime, 0);
	next_msg(&m, STUN_ALLOCATE, STUN_REQUEST);
	nothing_sent();

	/* Kept at the margin plus 2 s; 3 s later turnc_run takes it. */
	setup("");
	rest_user(&srv, TURNC_CRED_RENEW_S + 2);
	turnc_set_server(&srv, now);
	allocate();
	s2 = srv;
	rest_user(&s2, 7200);
	turnc_set_server(&s2, now);
	nothing_sent();
	sleep(3);
	turnc_run(now);
	next_msg(&m, STUN_REFRESH, STUN_REQUEST);
	ATF_CHECK_EQ(m.lifetime, 0);
	next_msg(&m, STUN_ALLOCATE, STUN_REQUEST);
	ATF_CHECK(turnc_same_server(&s2));
}

/* The engine stops: a keyed Refresh with LIFETIME 0 releases it. */
ATF_TC_WITHOUT_HEAD(shutdown);
ATF_TC_BODY(shutdown, tc)
{
	struct stun_msg	 m;

	setup("");
	allocate();
	turnc_shutdown(now);
	next_msg(&m, STUN_REFRESH, STUN_REQUEST);
	check_keyed(&m, NONCE1);
	ATF_CHECK((m.has & STUN_HAS_LIFETIME) && m.lifetime == 0);
	nothing_sent();

	/* Nothing allocated: nothing sent. */
	setup("");
	turnc_shutdown(now);
	nothing_sent();
}

/*
 * Hostile or broken relays: a failed one is not asked again for
 * TURNC_FAILED_RETRY_S whatever wants it; a CreatePermission dropped
 * in silence fails the permission, not the relay; a LIFETIME under
 * TURNC_LIFETIME_MIN_S is taken as the default.
 */
ATF_TC_WITHOUT_HEAD(hostile_relay);
ATF_TC_BODY(hostile_relay, tc)
{
	struct stun_msg		 m, k;
	struct sockaddr_in6	 p;
	uint64_t		 t0;

	setup("");
	turnc_want(now);
	next_msg(&m, STUN_ALLOCATE, STUN_REQUEST);
	refuse(&m, STUN_ERR_ALLOCATION_QUOTA);
	ATF_CHECK_EQ(turnc_state(), TURNC_FAILED);
	t0 = now;
	now = t0 + TURNC_FAILED_RETRY_S * MS - 1;
	turnc_want(now);
	nothing_sent();
	now = t0 + TURNC_FAILED_RETRY_S * MS;
	turnc_want(now);
	next_msg(&m, STUN_ALLOCATE, STUN_REQUEST);

	/* A permission the relay never answers. */
	setup("");
	allocate();
	peer_make(&p, 0, PEER_PORT);
	turnc_permit(&p, now);
	next_msg(&m, STUN_CREATE_PERMISSION, STUN_REQUEST);
	run_to(now + TURNC_GIVEUP_MS, 0);
	ATF_CHECK_EQ(nfailed, 0);
	ATF_CHECK_EQ(turnc_state(), TURNC_READY);

	/* LIFETIME 1: refreshed at 300 s as with 600, not every 500 ms. */
	setup("");
	challenged(&k);
	grant_allocate(&k, RELAYED, 1);
	ATF_REQUIRE_EQ(turnc_state(), TURNC_READY);
	turnc_info_check_lifetime(TURNC_LIFETIME_S);
}

ATF_TC_WITHOUT_HEAD(set_server);
ATF_TC_BODY(set_server, tc)
{
	struct turnc_server	 s2;
	struct stun_msg		 m;
	struct sockaddr_in6	 old;

	/* The same server: nothing happens. */
	setup("");
	allocate();
	s2 = srv;
	ATF_CHECK(turnc_same_server(&s2));
	turnc_set_server(&s2, now);
	nothing_sent();
	ATF_CHECK_EQ(turnc_state(), TURNC_READY);
	ATF_CHECK_EQ(nrelayed, 1);

	/* A new generation: released, forgotten, allocated again. */
	s2.generation++;
	ATF_CHECK(!turnc_same_server(&s2));
	turnc_set_server(&s2, now);
	next_msg(&m, STUN_REFRESH, STUN_REQUEST);
	check_keyed(&m, NONCE1);
	ATF_CHECK_EQ(m.lifetime, 0);
	ATF_CHECK_EQ(nrelayed, 2);
	ATF_CHECK(relayed_null);
	next_msg(&m, STUN_ALLOCATE, STUN_REQUEST);
	check_unkeyed(&m);
	nothing_sent();
	ATF_CHECK_EQ(turnc_state(), TURNC_ALLOCATING);

	/* Other credentials: the same. */
	setup("");
	allocate();
	s2 = srv;
	strlcpy(s2.password, "another-password", sizeof(s2.password));
	ATF_CHECK(!turnc_same_server(&s2));
	turnc_set_server(&s2, now);
	next_msg(&m, STUN_REFRESH, STUN_REQUEST);
	ATF_CHECK_EQ(m.lifetime, 0);
	ATF_CHECK_EQ(nrelayed, 2);
	ATF_CHECK(relayed_null);
	next_msg(&m, STUN_ALLOCATE, STUN_REQUEST);
	nothing_sent();

	/* Another address: the release to the old, the Allocate to it. */
	setup("");
	allocate();
	s2 = srv;
	old = srv.sa;
	sa_make(&s2.sa, SERVER2, SERVER_PORT);
	turnc_set_server(&s2, now);
	next_msg_to(&m, STUN_REFRESH, STUN_REQUEST, &old);
	ATF_CHECK_EQ(m.lifetime, 0);
	next_msg_to(&m, STUN_ALLOCATE, STUN_REQUEST, &s2.sa);
	nothing_sent();
	ATF_CHECK(turnc_is_server(&s2.sa));
	ATF_CHECK(!turnc_is_server(&old));

	/* Not wanted for a minute: released, not allocated again. */
	setup("");
	allocate();
	s2 = srv;
	s2.generation++;
	now += TURNC_IDLE_RELEASE_S * MS;
	turnc_set_server(&s2, now);
	next_msg(&m, STUN_REFRESH, STUN_REQUEST);
	ATF_CHECK_EQ(m.lifetime, 0);
	nothing_sent();
	ATF_CHECK_EQ(nrelayed, 2);
	ATF_CHECK(relayed_null);
	ATF_CHECK_EQ(turnc_state(), TURNC_IDLE);

	/* No server: released, nothing is ours any more. */
	setup("");
	allocate();
	old = srv.sa;
	turnc_set_server(NULL, now);
	next_msg_to(&m, STUN_REFRESH, STUN_REQUEST, &old);
	nothing_sent();
	ATF_CHECK_EQ(nrelayed, 2);
	ATF_CHECK(!turnc_is_server(&old));
	ATF_CHECK_STREQ(turnc_server_name(), "");
	turnc_want(now);
	nothing_sent();
	ATF_CHECK_EQ(nfailed, 0);

	/* A server without credentials: no allocation. */
	setup("");
	s2 = srv;
	s2.username[0] = '\0';
	turnc_set_server(&s2, now);
	turnc_want(now);
	nothing_sent();
	ATF_CHECK_EQ(turnc_state(), TURNC_IDLE);
}

ATF_TC_WITHOUT_HEAD(send_error);
ATF_TC_BODY(send_error, tc)
{
	setup("");
	send_fails = 1;
	turnc_want(now);
	ATF_CHECK_EQ(nfailed, 1);
	ATF_CHECK_STREQ(why, "cannot send an Allocate request");
	ATF_CHECK_EQ(turnc_state(), TURNC_FAILED);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, allocate_challenge);
	ATF_TP_ADD_TC(tp, allocate_realm);
	ATF_TP_ADD_TC(tp, wrong_credentials);
	ATF_TP_ADD_TC(tp, retransmit);
	ATF_TP_ADD_TC(tp, refresh_no_answer);
	ATF_TP_ADD_TC(tp, refresh_stale_nonce);
	ATF_TP_ADD_TC(tp, refresh_mismatch);
	ATF_TP_ADD_TC(tp, allocate_mismatch);
	ATF_TP_ADD_TC(tp, bad_integrity);
	ATF_TP_ADD_TC(tp, permit);
	ATF_TP_ADD_TC(tp, permit_unwanted);
	ATF_TP_ADD_TC(tp, permit_forbidden);
	ATF_TP_ADD_TC(tp, permit_cap);
	ATF_TP_ADD_TC(tp, channel);
	ATF_TP_ADD_TC(tp, channel_refused);
	ATF_TP_ADD_TC(tp, channel_refresh);
	ATF_TP_ADD_TC(tp, channel_permission);
	ATF_TP_ADD_TC(tp, channel_lapse);
	ATF_TP_ADD_TC(tp, channel_cap);
	ATF_TP_ADD_TC(tp, send);
	ATF_TP_ADD_TC(tp, data_indication);
	ATF_TP_ADD_TC(tp, idle_release);
	ATF_TP_ADD_TC(tp, probe_idle);
	ATF_TP_ADD_TC(tp, probe_path);
	ATF_TP_ADD_TC(tp, probe_giveup);
	ATF_TP_ADD_TC(tp, probe_heard);
	ATF_TP_ADD_TC(tp, set_server);
	ATF_TP_ADD_TC(tp, hostile_relay);
	ATF_TP_ADD_TC(tp, shutdown);
	ATF_TP_ADD_TC(tp, renew_credentials);
	ATF_TP_ADD_TC(tp, send_error);
	return atf_no_error();
}
