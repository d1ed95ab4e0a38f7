/*
 * Unit tests of the engine's relay manager (agent/relaymgr.c), driven
 * in-process: loopback STUN responders answer the probe socket, the
 * test plays the parent on the engine's imsg channel.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <event.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>
#include <sodium.h>

#include "addr.h"
#include "engine.h"
#include "relaymgr.h"
#include "relaysel.h"
#include "sigmsg.h"
#include "stun.h"
#include "stunc.h"
#include "turnframe.h"
#include "turnstream.h"

#define WAIT_MS		15000	/* stunc gives up on a silent relay sooner */
#define STEP_MS		20	/* one event loop turn at most */
#define CANCEL_WAIT_MS	2000	/* loopback answers come in well under this */
#define RESP_MAX	4	/* responders in one test */
#define BUF_MAX		1500

struct responder {
	int		 fd;
	uint16_t	 port;
	int		 silent;
	unsigned int	 answered;
	struct event	 ev;
};

static struct engine	 test_engine;
static struct imsgbuf	 parent_ibuf;
static struct responder	 resp[RESP_MAX];
static size_t		 nresp;
static unsigned int	 nsaved, nsave_end;
/* The engine's relay connection requests, and CA bundle requests. */
static struct imsg_relay_connect last_connect;
static uint32_t		 last_connect_id;
static unsigned int	 nconnect, nca_req, want_connects;
static int		 stream_fd;

static void	 setup(void);
static uint16_t	 responder(int);
static void	 responder_read(int, short, void *);
static void	 run_until(int (*)(void), int);
static void	 drain_parent(void);
static int	 picked(void);

static void
nodispatch(struct imsgev *iev, struct imsg *imsg)
{
}

static void
noclosed(struct imsgev *iev)
{
}

static void
tick_cb(int fd, short ev, void *arg)
{
}

static void
setup(void)
{
	int	 sv[2], probe;
	struct sockaddr_in6	 sin6;
	int	 off = 0;

	ATF_REQUIRE(sodium_init() >= 0);
	event_init();
	memset(&test_engine, 0, sizeof(test_engine));
	engine = &test_engine;
	TAILQ_INIT(&engine->peers);
	engine->netfd = engine->ppfd = engine->ctlfd = engine->probefd = -1;
	engine->have_conf = 1;
	randombytes_buf(engine->conf.nodepub, KEY_LEN);
	ATF_REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0,
	    sv) == 0);
	imsgev_init(&engine->parent, sv[0], nodispatch, noclosed, NULL);
	imsgbuf_init(&parent_ibuf, sv[1]);
	ATF_REQUIRE((probe = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK,
	    0)) != -1);
	ATF_REQUIRE(setsockopt(probe, IPPROTO_IPV6, IPV6_V6ONLY, &off,
	    sizeof(off)) == 0);
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	ATF_REQUIRE(bind(probe, (struct sockaddr *)&sin6, sizeof(sin6)) == 0);
	engine->probefd = probe;
	stunc_init(probe);
	relaymgr_init();
	nresp = 0;
	nsaved = nsave_end = 0;
	nconnect = nca_req = want_connects = 0;
}

/* A Binding responder on 127.0.0.1; a silent one never answers. */
static uint16_t
responder(int silent)
{
	struct responder	*r = &resp[nresp++];
	struct sockaddr_in	 sin;
	socklen_t		 sl = sizeof(sin);

	memset(r, 0, sizeof(*r));
	r->silent = silent;
	ATF_REQUIRE((r->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK,
	    0)) != -1);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ATF_REQUIRE(bind(r->fd, (struct sockaddr *)&sin, sizeof(sin)) == 0);
	ATF_REQUIRE(getsockname(r->fd, (struct sockaddr *)&sin, &sl) == 0);
	r->port = ntohs(sin.sin_port);
	event_set(&r->ev, r->fd, EV_READ | EV_PERSIST, responder_read, r);
	event_add(&r->ev, NULL);
	return r->port;
}

static void
responder_read(int fd, short ev, void *arg)
{
	struct responder	*r = arg;
	struct sockaddr_storage	 from;
	socklen_t		 sl = sizeof(from);
	struct stun_msg		 m;
	struct stun_builder	 b;
	uint8_t			 buf[BUF_MAX], out[BUF_MAX];
	ssize_t			 n;

	if ((n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
	    &sl)) <= 0)
		return;
	if (r->silent || stun_parse(buf, n, &m) == -1 ||
	    m.type != stun_type(STUN_BINDING, STUN_REQUEST))
		return;
	if (stun_build_init(&b, out, sizeof(out), stun_type(STUN_BINDING,
	    STUN_SUCCESS), m.tid) == -1 ||
	    stun_add_xor_addr(&b, STUN_ATTR_XOR_MAPPED_ADDRESS,
	    (struct sockaddr *)&from) == -1 ||
	    stun_add_fingerprint(&b) == -1)
		return;
	if (sendto(fd, out, stun_build_len(&b), 0, (struct sockaddr *)&from,
	    sl) > 0)
		r->answered++;
}

/* What the engine asked of the parent: counts the saves. */
static void
drain_parent(void)
{
	struct imsg	 imsg;

	ATF_REQUIRE(imsgbuf_flush(&engine->parent.ibuf) == 0);
	if (imsgbuf_read(&parent_ibuf) == -1)
		ATF_REQUIRE(errno == EAGAIN);
	while (imsg_get(&parent_ibuf, &imsg) > 0) {
		if (imsg.hdr.type == IMSG_RELAY_CONNECT) {
			ATF_REQUIRE(imsg_get_data(&imsg, &last_connect,
			    sizeof(last_connect)) == 0);
			last_connect_id = imsg.hdr.peerid;
			nconnect++;
		} else if (imsg.hdr.type == IMSG_RELAY_CA_REQ)
			nca_req++;
		else if (imsg.hdr.type == IMSG_RELAY_SAVE)
			nsaved++;
		else if (imsg.hdr.type == IMSG_RELAY_SAVE_END)
			nsave_end++;
		imsg_free(&imsg);
	}
}

static void
run_until(int (*done)(void), int ms)
{
	struct timeval	 tv = { 0, STEP_MS * 1000 };
	struct event	 tick;
	int		 i;

	evtimer_set(&tick, tick_cb, NULL);
	for (i = 0; i < ms / STEP_MS && !done(); i++) {
		evtimer_add(&tick, &tv);
		event_loop(EVLOOP_ONCE);
	}
	evtimer_del(&tick);
	drain_parent();
}

static int
picked(void)
{
	return relaymgr_current(NULL)[0] != '\0';
}

static void
start(const char *const *boot, size_t nboot, const char *const *cached,
    size_t ncached)
{
	struct imsg_relay_boot	 rb;
	size_t			 i;

	for (i = 0; i < nboot; i++) {
		memset(&rb, 0, sizeof(rb));
		strlcpy(rb.addr, boot[i], sizeof(rb.addr));
		relaymgr_bootstrap_add(&rb);
	}
	relaymgr_bootstrap_end();
	for (i = 0; i < ncached; i++)
		relaymgr_cached_add(cached[i]);
	relaymgr_cached_end(ncached > 0 ? 1764633600 : 0);
}

ATF_TC_WITHOUT_HEAD(pick_one);
ATF_TC_BODY(pick_one, tc)
{
	char		 a[TERN_HOST_MAX];
	const char	*boot[1] = { a };
	int		 by_rtt = -1;

	setup();
	snprintf(a, sizeof(a), "127.0.0.1:%u", responder(0));
	start(boot, 1, NULL, 0);
	run_until(picked, WAIT_MS);
	ATF_CHECK_STREQ(a, relaymgr_current(&by_rtt));
	ATF_CHECK_EQ(by_rtt, 0);
	ATF_CHECK(resp[0].answered >= 1);
}

/* Whatever the hash says, a silent relay loses to one that answers. */
ATF_TC_WITHOUT_HEAD(pick_silent_overridden);
ATF_TC_BODY(pick_silent_overridden, tc)
{
	char		 a[TERN_HOST_MAX], b[TERN_HOST_MAX];
	const char	*boot[2] = { a, b };

	setup();
	snprintf(a, sizeof(a), "127.0.0.1:%u", responder(1));
	snprintf(b, sizeof(b), "127.0.0.1:%u", responder(0));
	start(boot, 2, NULL, 0);
	run_until(picked, WAIT_MS);
	ATF_CHECK_STREQ(b, relaymgr_current(NULL));
}

/* Two that answer: the hash of the node key decides. */
ATF_TC_WITHOUT_HEAD(pick_two_hash);
ATF_TC_BODY(pick_two_hash, tc)
{
	char		 a[TERN_HOST_MAX], b[TERN_HOST_MAX];
	const char	*boot[2] = { a, b };
	int		 by_rtt;

	setup();
	snprintf(a, sizeof(a), "127.0.0.1:%u", responder(0));
	snprintf(b, sizeof(b), "127.0.0.1:%u", responder(0));
	start(boot, 2, NULL, 0);
	run_until(picked, WAIT_MS);
	relaymgr_current(&by_rtt);
	/* Loopback RTTs may differ by more than 2x: only the no-RTT case is fixed. */
	if (!by_rtt)
		ATF_CHECK_STREQ(boot[relaysel_pick(2, engine->conf.nodepub,
		    KEY_LEN)], relaymgr_current(NULL));
	ATF_CHECK(resp[0].answered >= 1 && resp[1].answered >= 1);
}

/* Before tern-signal answers, the cached list is the discovered one. */
ATF_TC_WITHOUT_HEAD(cache_before_discovery);
ATF_TC_BODY(cache_before_discovery, tc)
{
	struct imsg_relay_resolved	 rr;
	char				 a[TERN_HOST_MAX];
	const char			*cached[1] = { a };
	struct sockaddr_in		 sin;

	setup();
	/*
	 * A name whose address is loopback: dropped from a discovered list
	 * (resolved_local_dropped), so it is picked without an answer.
	 */
	snprintf(a, sizeof(a), "localhost:%u", responder(0));
	start(NULL, 0, cached, 1);
	memset(&rr, 0, sizeof(rr));
	strlcpy(rr.addr, a, sizeof(rr.addr));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(resp[0].port);
	sockaddr_to_v6((struct sockaddr *)&sin, &rr.sa[0]);
	rr.n = 1;
	relaymgr_resolved(&rr);
	run_until(picked, WAIT_MS);
	ATF_CHECK_STREQ(a, relaymgr_current(NULL));
	ATF_CHECK_EQ(nsaved, 0);
}

/* The parent's answer for name, one address: 127.0.0.1:port. */
static void
resolve_loopback(const char *name, uint16_t port)
{
	struct imsg_relay_resolved	 rr;
	struct sockaddr_in		 sin;

	memset(&rr, 0, sizeof(rr));
	strlcpy(rr.addr, name, sizeof(rr.addr));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(port);
	sockaddr_to_v6((struct sockaddr *)&sin, &rr.sa[0]);
	rr.n = 1;
	relaymgr_resolved(&rr);
}

static int				 nc_calls;
static struct ctl_netcheck_hdr		 nc_hdr;
static struct ctl_netcheck_relay	 nc_relays[RESP_MAX];

static void	 netcheck_cb(void *, const struct ctl_netcheck_hdr *,
		    const struct ctl_netcheck_relay *, size_t);
static int	 netcheck_done(void);

/*
 * A discovered name that resolves to loopback gets no query: tern-signal
 * could otherwise aim agents at this host through DNS.  A bootstrap name
 * with the same answer is the operator's and is used.
 */
ATF_TC_WITHOUT_HEAD(resolved_local_dropped);
ATF_TC_BODY(resolved_local_dropped, tc)
{
	char		 b[TERN_HOST_MAX], d[TERN_HOST_MAX];
	const char	*boot[1] = { b }, *cached[1] = { d };
	int		 cookie;

	setup();
	snprintf(b, sizeof(b), "localhost:%u", responder(0));
	snprintf(d, sizeof(d), "relay.example:%u", responder(0));
	start(boot, 1, cached, 1);
	resolve_loopback(b, resp[0].port);
	resolve_loopback(d, resp[1].port);
	run_until(picked, WAIT_MS);
	nc_calls = 0;
	ATF_REQUIRE(relaymgr_netcheck(netcheck_cb, &cookie) == 0);
	run_until(netcheck_done, WAIT_MS);
	ATF_REQUIRE_EQ(nc_calls, 1);
	ATF_REQUIRE_EQ(nc_hdr.nrelays, 2);
	ATF_CHECK_STREQ(b, nc_relays[0].addr);
	ATF_CHECK(nc_relays[0].bootstrap);
	ATF_CHECK(nc_relays[0].rtt_us > 0);
	ATF_CHECK(resp[0].answered >= 1);
	ATF_CHECK_STREQ(d, nc_relays[1].addr);
	ATF_CHECK(!nc_relays[1].bootstrap);
	ATF_CHECK_STREQ("resolves only to private, loopback, link-local or "
	    "unspecified addresses", nc_relays[1].error);
	ATF_CHECK_EQ(resp[1].answered, 0);
}

/* relays.json is written for a new list, not for the same one again. */
ATF_TC_WITHOUT_HEAD(save_on_change);
ATF_TC_BODY(save_on_change, tc)
{
	static struct sigmsg_relays	 r;
	const char			*cached[1] = { "relay1.example:3478" };

	setup();
	start(NULL, 0, cached, 1);
	memset(&r, 0, sizeof(r));
	strlcpy(r.relays[0].address, "relay1.example:3478",
	    sizeof(r.relays[0].address));
	r.nrelays = 1;
	relaymgr_discovered(&r);
	drain_parent();
	ATF_CHECK_EQ(nsave_end, 0);
	strlcpy(r.relays[1].address, "10.1.2.3:3478",
	    sizeof(r.relays[1].address));
	strlcpy(r.relays[2].address, "relay2.example:3478",
	    sizeof(r.relays[2].address));
	r.nrelays = 3;
	relaymgr_discovered(&r);
	drain_parent();
	ATF_CHECK_EQ(nsave_end, 1);
	ATF_CHECK_EQ(nsaved, 2);
	relaymgr_discovered(&r);
	drain_parent();
	ATF_CHECK_EQ(nsave_end, 1);
}

static void
netcheck_cb(void *arg, const struct ctl_netcheck_hdr *h,
    const struct ctl_netcheck_relay *r, size_t n)
{
	nc_calls++;
	nc_hdr = *h;
	ATF_REQUIRE(n <= RESP_MAX);
	memcpy(nc_relays, r, n * sizeof(r[0]));
}

static int
netcheck_done(void)
{
	return nc_calls > 0;
}

/*
 * One callback, never from inside the call; the probe socket's RTT per
 * relay.  The engine's socket is not set up here: no mapping, so
 * symmetric NAT is unknown.
 */
ATF_TC_WITHOUT_HEAD(netcheck);
ATF_TC_BODY(netcheck, tc)
{
	char		 a[TERN_HOST_MAX], b[TERN_HOST_MAX];
	const char	*boot[2] = { a, b };
	int		 cookie;

	setup();
	snprintf(a, sizeof(a), "127.0.0.1:%u", responder(0));
	snprintf(b, sizeof(b), "127.0.0.1:%u", responder(0));
	start(boot, 2, NULL, 0);
	run_until(picked, WAIT_MS);
	nc_calls = 0;
	ATF_REQUIRE(relaymgr_netcheck(netcheck_cb, &cookie) == 0);
	ATF_CHECK_EQ(nc_calls, 0);
	run_until(netcheck_done, WAIT_MS);
	ATF_REQUIRE_EQ(nc_calls, 1);
	ATF_CHECK_EQ(nc_hdr.nrelays, 2);
	ATF_CHECK_STREQ(boot[nc_hdr.picked], relaymgr_current(NULL));
	ATF_CHECK_EQ(nc_hdr.symmetric_v4, -1);
	ATF_CHECK_EQ(nc_hdr.symmetric_v6, -1);
	ATF_CHECK_STREQ(a, nc_relays[0].addr);
	ATF_CHECK_STREQ(b, nc_relays[1].addr);
	ATF_CHECK(nc_relays[0].rtt_us > 0 && nc_relays[1].rtt_us > 0);
	ATF_CHECK(nc_relays[0].bootstrap && nc_relays[1].bootstrap);
	ATF_CHECK_EQ(nc_relays[0].server.ss_family, AF_INET);

	/* A cancelled netcheck never calls back. */
	nc_calls = 0;
	ATF_REQUIRE(relaymgr_netcheck(netcheck_cb, &cookie) == 0);
	relaymgr_netcheck_cancel(&cookie);
	run_until(netcheck_done, CANCEL_WAIT_MS);
	ATF_CHECK_EQ(nc_calls, 0);
}

static int
connects_reached(void)
{
	drain_parent();
	return nconnect >= want_connects;
}

static int
stream_readable(void)
{
	struct pollfd	 pfd = { stream_fd, POLLIN, 0 };

	return poll(&pfd, 1, 0) == 1;
}

/* The parent's answer to the last request: fd, or refused. */
static void
answer_connect(int fd)
{
	struct imsg_relay_conn	 rc;

	memset(&rc, 0, sizeof(rc));
	rc.req = last_connect;
	if (fd == -1) {
		rc.error = ECONNREFUSED;
		strlcpy(rc.msg, "refused", sizeof(rc.msg));
	}
	turnstream_conn(last_connect_id, &rc, fd);
}

/*
 * TURN that gets nowhere over UDP (here: no engine socket to send from)
 * goes over TCP to the listed port, on a socket from the parent, with
 * ChannelData padded; a stream the relay closes unanswered moves to TLS
 * on port 443 (the CA bundle is asked for), then 5349; when those are
 * refused too the relay failed, and its next try starts over UDP.
 */
ATF_TC_WITHOUT_HEAD(turn_stream_fallback);
ATF_TC_BODY(turn_stream_fallback, tc)
{
	static const uint8_t	 cd[] = { 0x40, 0x00, 0x00, 0x05, 1, 2, 3, 4,
				    5 };
	struct imsg_relay_boot	 rb;
	struct stun_msg		 m;
	uint8_t			 buf[BUF_MAX];
	char			 a[TERN_HOST_MAX];
	ssize_t			 n;
	int			 sv[2];

	setup();
	snprintf(a, sizeof(a), "127.0.0.1:%u", responder(0));
	memset(&rb, 0, sizeof(rb));
	strlcpy(rb.addr, a, sizeof(rb.addr));
	strlcpy(rb.username, "user", sizeof(rb.username));
	strlcpy(rb.password, "pass", sizeof(rb.password));
	relaymgr_bootstrap_add(&rb);
	relaymgr_bootstrap_end();
	relaymgr_cached_end(0);
	run_until(picked, WAIT_MS);
	ATF_REQUIRE_STREQ(a, relaymgr_current(NULL));
	ATF_CHECK(!relaymgr_turn_stream());

	relaymgr_turn_want();
	want_connects = 1;
	run_until(connects_reached, WAIT_MS);
	ATF_REQUIRE_EQ(nconnect, 1);
	ATF_CHECK_STREQ(last_connect.addr, a);
	ATF_CHECK_EQ(last_connect.transport, RELAY_TRANSPORT_TCP);
	ATF_CHECK_EQ(ntohs(last_connect.sa.sin6_port), resp[0].port);
	ATF_CHECK_EQ(nca_req, 0);
	ATF_CHECK(relaymgr_turn_stream());
	ATF_CHECK(!turnstream_up());

	ATF_REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0,
	    sv) == 0);
	answer_connect(sv[0]);
	ATF_CHECK(turnstream_up());
	ATF_CHECK_EQ(relaymgr_turn_transport(), CTL_TURN_TCP);
	stream_fd = sv[1];
	run_until(stream_readable, WAIT_MS);
	ATF_REQUIRE((n = read(sv[1], buf, sizeof(buf))) > 0);
	ATF_REQUIRE_EQ(turnframe_len(buf, n), n);
	ATF_REQUIRE(stun_parse(buf, n, &m) == 0);
	ATF_CHECK_EQ(m.type, stun_type(STUN_ALLOCATE, STUN_REQUEST));
	ATF_REQUIRE(turnstream_send(cd, sizeof(cd)) == 0);
	ATF_REQUIRE_EQ(read(sv[1], buf, sizeof(buf)), 12);
	ATF_CHECK(memcmp(buf, cd, sizeof(cd)) == 0 && buf[9] == 0 &&
	    buf[10] == 0 && buf[11] == 0);

	close(sv[1]);
	want_connects = 2;
	run_until(connects_reached, WAIT_MS);
	ATF_REQUIRE_EQ(nconnect, 2);
	ATF_CHECK_EQ(last_connect.transport, RELAY_TRANSPORT_TLS);
	ATF_CHECK_EQ(ntohs(last_connect.sa.sin6_port), TERN_TURN_TLS_PORT);
	ATF_CHECK_EQ(nca_req, 1);
	ATF_CHECK_EQ(relaymgr_turn_transport(), CTL_TURN_TLS);

	answer_connect(-1);
	want_connects = 3;
	run_until(connects_reached, WAIT_MS);
	ATF_REQUIRE_EQ(nconnect, 3);
	ATF_CHECK_EQ(last_connect.transport, RELAY_TRANSPORT_TLS);
	ATF_CHECK_EQ(ntohs(last_connect.sa.sin6_port),
	    TERN_TURN_TLS_PORT_RFC);

	/* UDP again, which cannot send here: TCP once more. */
	answer_connect(-1);
	want_connects = 4;
	run_until(connects_reached, WAIT_MS);
	ATF_REQUIRE_EQ(nconnect, 4);
	ATF_CHECK_EQ(last_connect.transport, RELAY_TRANSPORT_TCP);
	ATF_CHECK_EQ(ntohs(last_connect.sa.sin6_port), resp[0].port);
	/* The stream it was given is closed with it. */
	ATF_CHECK(!turnstream_up());
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, pick_one);
	ATF_TP_ADD_TC(tp, pick_silent_overridden);
	ATF_TP_ADD_TC(tp, pick_two_hash);
	ATF_TP_ADD_TC(tp, cache_before_discovery);
	ATF_TP_ADD_TC(tp, resolved_local_dropped);
	ATF_TP_ADD_TC(tp, save_on_change);
	ATF_TP_ADD_TC(tp, netcheck);
	ATF_TP_ADD_TC(tp, turn_stream_fallback);
	return atf_no_error();
}
