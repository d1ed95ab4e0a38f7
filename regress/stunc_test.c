/*
 * Unit tests of agent/stunc.c on loopback sockets: the engine's socket,
 * the probe socket, and small STUN responders built from lib/stun.c
 * that answer, stay silent, or answer wrongly.
 */
#include <sys/socket.h>
#include <sys/time.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <event.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>
#include <sodium.h>

#include "engine.h"
#include "stun.h"
#include "stunc.h"

#define CAP		256	/* stunc.c's STUNC_MAX */
#define TX_MAX		3	/* stunc.c: at 0, 500 ms and 1.5 s */
#define FAIL_MS		2500	/* stunc.c: given up 2.5 s after the first */
#define SLACK_MS	300	/* scheduling on a loaded test host */
#define BUDGET_MS	4000	/* any one wait of a test */
#define RESPONDERS_MAX	4
#define RECORDS_MAX	(CAP + 8)
#define REQS_MAX	16	/* requests one responder remembers */
#define ERR_BAD		400	/* RFC 8489 14.8: Bad Request */

/* stunc sends from the engine's socket; nothing else of it is used. */
struct engine	*engine;

enum mode {
	ANSWER,
	SILENT,
	WRONG_SOURCE,
	WRONG_TID,
	BAD_FINGERPRINT,
	SECOND_ONLY,		/* answers the second transmission */
	ERROR_ANSWER,
};

struct responder {
	int			 fd;
	int			 other_fd;	/* for WRONG_SOURCE */
	struct sockaddr_in6	 addr;
	enum mode		 mode;
	struct event		 ev;
	size_t			 nreq;
	uint64_t		 req_ms[REQS_MAX];
	uint8_t			 tid[REQS_MAX][STUN_TID_LEN];
};

struct record {
	int			 id;
	int			 ok;
	struct sockaddr_in6	 mapped;
	uint32_t		 rtt_us;
	uint64_t		 at_ms;
	int			 inside;	/* called from inside stunc_query */
};

static struct responder	 resp[RESPONDERS_MAX];
static size_t		 nresp;
static struct record	 records[RECORDS_MAX];
static size_t		 nrecords;
static int		 inside_query;
static int		 main_fd = -1, probe_fd = -1;
static struct event	 main_ev;
static int		 ids[RECORDS_MAX];

static uint64_t	 now_ms(void);
static int	 udp_socket(const char *, struct sockaddr_in6 *);
static void	 setup(int);
static struct responder *responder(const char *, enum mode);
static void	 responder_read(int, short, void *);
static void	 main_read(int, short, void *);
static void	 record_cb(void *, int, const struct sockaddr_in6 *, uint32_t);
static int	 query(enum stunc_sock, const struct sockaddr_in6 *, int *);
static void	 tick_cb(int, short, void *);
static void	 wait_records(size_t, uint64_t);

static uint64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A socket on host (or dual-stack "::" when host is NULL). */
static int
udp_socket(const char *host, struct sockaddr_in6 *sa)
{
	struct sockaddr_in6	 sin6;
	socklen_t		 len = sizeof(sin6);
	int			 fd, off = 0;

	ATF_REQUIRE((fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK,
	    0)) != -1);
	ATF_REQUIRE(setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off,
	    sizeof(off)) == 0);
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	if (host != NULL)
		ATF_REQUIRE(inet_pton(AF_INET6, host, &sin6.sin6_addr) == 1);
	ATF_REQUIRE(bind(fd, (struct sockaddr *)&sin6, sizeof(sin6)) == 0);
	ATF_REQUIRE(getsockname(fd, (struct sockaddr *)&sin6, &len) == 0);
	if (sa != NULL)
		*sa = sin6;
	return fd;
}

/* The engine's socket (read here as forward.c would) and the probe's. */
static void
setup(int with_probe)
{
	ATF_REQUIRE(sodium_init() >= 0);
	event_init();
	ATF_REQUIRE((engine = calloc(1, sizeof(*engine))) != NULL);
	engine->netfd = main_fd = udp_socket(NULL, NULL);
	event_set(&main_ev, main_fd, EV_READ | EV_PERSIST, main_read, NULL);
	event_add(&main_ev, NULL);
	if (with_probe) {
		probe_fd = udp_socket(NULL, NULL);
		stunc_init(probe_fd);
	} else
		stunc_init(-1);
}

static struct responder *
responder(const char *host, enum mode mode)
{
	struct responder	*r;

	ATF_REQUIRE(nresp < RESPONDERS_MAX);
	r = &resp[nresp++];
	memset(r, 0, sizeof(*r));
	r->fd = udp_socket(host, &r->addr);
	r->other_fd = udp_socket(host, NULL);
	r->mode = mode;
	event_set(&r->ev, r->fd, EV_READ | EV_PERSIST, responder_read, r);
	event_add(&r->ev, NULL);
	return r;
}

/* RFC 8489 Binding: XOR-MAPPED-ADDRESS of the source and FINGERPRINT. */
static void
responder_read(int fd, short ev, void *arg)
{
	struct responder	*r = arg;
	struct sockaddr_storage	 from;
	struct stun_builder	 b;
	struct stun_msg		 m;
	struct sockaddr_in6	*f6 = (struct sockaddr_in6 *)&from;
	struct sockaddr_in	 sin;
	socklen_t		 flen = sizeof(from);
	uint8_t			 buf[512], out[512], tid[STUN_TID_LEN];
	ssize_t			 n;
	size_t			 len;
	int			 sfd = r->fd;

	if ((n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
	    &flen)) <= 0)
		return;
	ATF_REQUIRE(stun_parse(buf, n, &m) == 0);
	ATF_REQUIRE_EQ(m.type, stun_type(STUN_BINDING, STUN_REQUEST));
	ATF_REQUIRE(stun_check_fingerprint(&m) == 0);
	if (r->nreq < REQS_MAX) {
		r->req_ms[r->nreq] = now_ms();
		memcpy(r->tid[r->nreq], m.tid, STUN_TID_LEN);
	}
	r->nreq++;
	memcpy(tid, m.tid, sizeof(tid));
	switch (r->mode) {
	case SILENT:
		return;
	case SECOND_ONLY:
		if (r->nreq != 2)
			return;
		break;
	case WRONG_SOURCE:
		sfd = r->other_fd;
		break;
	case WRONG_TID:
		tid[0] ^= 1;
		break;
	default:
		break;
	}
	ATF_REQUIRE(stun_build_init(&b, out, sizeof(out),
	    stun_type(STUN_BINDING, r->mode == ERROR_ANSWER ? STUN_ERROR :
	    STUN_SUCCESS), tid) == 0);
	if (r->mode == ERROR_ANSWER)
		ATF_REQUIRE(stun_add_error(&b, ERR_BAD, "Bad Request") == 0);
	else {
		/* STUN puts IPv4 as IPv4 on the wire. */
		if (IN6_IS_ADDR_V4MAPPED(&f6->sin6_addr)) {
			memset(&sin, 0, sizeof(sin));
			sin.sin_family = AF_INET;
			sin.sin_port = f6->sin6_port;
			memcpy(&sin.sin_addr, &f6->sin6_addr.s6_addr[12], 4);
			ATF_REQUIRE(stun_add_xor_addr(&b,
			    STUN_ATTR_XOR_MAPPED_ADDRESS,
			    (struct sockaddr *)&sin) == 0);
		} else
			ATF_REQUIRE(stun_add_xor_addr(&b,
			    STUN_ATTR_XOR_MAPPED_ADDRESS,
			    (struct sockaddr *)f6) == 0);
	}
	ATF_REQUIRE(stun_add_fingerprint(&b) == 0);
	len = stun_build_len(&b);
	if (r->mode == BAD_FINGERPRINT)
		out[len - 1] ^= 1;
	ATF_REQUIRE(sendto(sfd, out, len, 0, (struct sockaddr *)&from,
	    flen) == (ssize_t)len);
}

/* What forward.c and ICE do with STUN that is not a check of ours. */
static void
main_read(int fd, short ev, void *arg)
{
	struct sockaddr_in6	 from;
	struct stun_msg		 m;
	socklen_t		 len = sizeof(from);
	uint8_t			 buf[1500];
	ssize_t			 n;

	if ((n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
	    &len)) <= 0 || stun_parse(buf, n, &m) == -1)
		return;
	(void)stunc_input(&m, &from);
}

static void
record_cb(void *arg, int ok, const struct sockaddr_in6 *mapped,
    uint32_t rtt_us)
{
	struct record	*r;

	ATF_REQUIRE(nrecords < RECORDS_MAX);
	r = &records[nrecords++];
	memset(r, 0, sizeof(*r));
	r->id = *(int *)arg;
	r->ok = ok;
	if (ok) {
		ATF_REQUIRE(mapped != NULL);
		r->mapped = *mapped;
	}
	r->rtt_us = rtt_us;
	r->at_ms = now_ms();
	r->inside = inside_query;
}

static int
query(enum stunc_sock sock, const struct sockaddr_in6 *to, int *id)
{
	int	 rv;

	inside_query = 1;
	rv = stunc_query(sock, to, record_cb, id);
	inside_query = 0;
	return rv;
}

/* Wakes the loop so that wait_records sees the time. */
static void
tick_cb(int fd, short ev, void *arg)
{
}

/* Runs the loop until n callbacks came, or until ms passed. */
static void
wait_records(size_t n, uint64_t ms)
{
	struct timeval	 tv = { 0, 10000 };
	struct event	 tick;
	uint64_t	 until = now_ms() + (ms < BUDGET_MS ? ms : BUDGET_MS);

	evtimer_set(&tick, tick_cb, NULL);
	while (nrecords < n && now_ms() < until) {
		evtimer_add(&tick, &tv);
		event_loop(EVLOOP_ONCE);
	}
	evtimer_del(&tick);
}

/* The answer gives the mapped address of the socket that asked. */
ATF_TC(answer);
ATF_TC_HEAD(answer, tc)
{
	atf_tc_set_md_var(tc, "timeout", "10");
}
ATF_TC_BODY(answer, tc)
{
	struct responder	*r4, *r6;
	struct record		*rec;
	struct sockaddr_in6	 mine;
	socklen_t		 len = sizeof(mine);
	int			 id[3] = { 0, 1, 2 };
	size_t			 i;

	setup(1);
	r4 = responder("::ffff:127.0.0.1", ANSWER);
	r6 = responder("::1", ANSWER);
	ATF_REQUIRE(query(STUNC_MAIN, &r4->addr, &id[0]) == 0);
	ATF_REQUIRE(query(STUNC_MAIN, &r6->addr, &id[1]) == 0);
	ATF_REQUIRE(query(STUNC_PROBE, &r4->addr, &id[2]) == 0);
	ATF_CHECK_EQ(nrecords, 0);
	wait_records(3, 1000);
	ATF_REQUIRE_EQ(nrecords, 3);
	for (i = 0; i < 3; i++) {
		rec = &records[i];
		ATF_CHECK_EQ(rec->ok, 1);
		ATF_CHECK_EQ(rec->inside, 0);
		/* Loopback answers in well under the first RTO. */
		ATF_CHECK(rec->rtt_us > 0 && rec->rtt_us < 500000);
		ATF_REQUIRE(getsockname(rec->id == 2 ? probe_fd : main_fd,
		    (struct sockaddr *)&mine, &len) == 0);
		ATF_CHECK_EQ(rec->mapped.sin6_family, AF_INET6);
		ATF_CHECK_EQ(rec->mapped.sin6_port, mine.sin6_port);
		ATF_CHECK_EQ(IN6_IS_ADDR_V4MAPPED(&rec->mapped.sin6_addr),
		    rec->id != 1);
		ATF_CHECK(rec->id != 1 ||
		    IN6_IS_ADDR_LOOPBACK(&rec->mapped.sin6_addr));
	}
	/* One request each, none retransmitted. */
	ATF_CHECK_EQ(r4->nreq, 2);
	ATF_CHECK_EQ(r6->nreq, 1);
	/* Fresh 96-bit transaction ids. */
	ATF_CHECK(memcmp(r4->tid[0], r4->tid[1], STUN_TID_LEN) != 0);
}

/* Silence: three transmissions at 0, 500 ms, 1.5 s; ok 0 at 2.5 s. */
ATF_TC(no_answer);
ATF_TC_HEAD(no_answer, tc)
{
	atf_tc_set_md_var(tc, "timeout", "10");
}
ATF_TC_BODY(no_answer, tc)
{
	struct responder	*r;
	uint64_t		 t0;
	int			 id = 7;

	setup(1);
	r = responder("::ffff:127.0.0.1", SILENT);
	t0 = now_ms();
	ATF_REQUIRE(query(STUNC_PROBE, &r->addr, &id) == 0);
	wait_records(1, FAIL_MS - SLACK_MS);
	ATF_CHECK_EQ(nrecords, 0);
	wait_records(1, 2 * SLACK_MS);
	ATF_REQUIRE_EQ(nrecords, 1);
	ATF_CHECK_EQ(records[0].ok, 0);
	ATF_CHECK_EQ(records[0].rtt_us, 0);
	ATF_CHECK_EQ(records[0].inside, 0);
	ATF_CHECK(records[0].at_ms - t0 >= FAIL_MS);
	ATF_CHECK(records[0].at_ms - t0 < FAIL_MS + SLACK_MS);
	ATF_REQUIRE_EQ(r->nreq, TX_MAX);
	ATF_CHECK(r->req_ms[1] - r->req_ms[0] >= 500);
	ATF_CHECK(r->req_ms[1] - r->req_ms[0] < 500 + SLACK_MS);
	ATF_CHECK(r->req_ms[2] - r->req_ms[1] >= 1000);
	ATF_CHECK(r->req_ms[2] - r->req_ms[1] < 1000 + SLACK_MS);
	/* Retransmissions repeat the transaction. */
	ATF_CHECK(memcmp(r->tid[0], r->tid[2], STUN_TID_LEN) == 0);
}

/* Answers from elsewhere, for another tid, or with a bad fingerprint. */
ATF_TC(ignored);
ATF_TC_HEAD(ignored, tc)
{
	atf_tc_set_md_var(tc, "timeout", "10");
}
ATF_TC_BODY(ignored, tc)
{
	struct responder	*r[3];
	int			 id[3] = { 0, 1, 2 };
	size_t			 i;

	setup(1);
	r[0] = responder("::ffff:127.0.0.1", WRONG_SOURCE);
	r[1] = responder("::1", WRONG_TID);
	r[2] = responder("::ffff:127.0.0.1", BAD_FINGERPRINT);
	ATF_REQUIRE(query(STUNC_MAIN, &r[0]->addr, &id[0]) == 0);
	ATF_REQUIRE(query(STUNC_MAIN, &r[1]->addr, &id[1]) == 0);
	ATF_REQUIRE(query(STUNC_PROBE, &r[2]->addr, &id[2]) == 0);
	wait_records(3, FAIL_MS + SLACK_MS);
	ATF_REQUIRE_EQ(nrecords, 3);
	for (i = 0; i < 3; i++) {
		ATF_CHECK_EQ(records[i].ok, 0);
		/* Each was answered, wrongly, three times. */
		ATF_CHECK_EQ(r[i]->nreq, TX_MAX);
	}
}

/* Karn: the round trip of an answered retransmission is its own. */
ATF_TC(retransmit_rtt);
ATF_TC_HEAD(retransmit_rtt, tc)
{
	atf_tc_set_md_var(tc, "timeout", "10");
}
ATF_TC_BODY(retransmit_rtt, tc)
{
	struct responder	*r;
	uint64_t		 t0;
	int			 id = 3;

	setup(0);
	r = responder("::1", SECOND_ONLY);
	t0 = now_ms();
	ATF_REQUIRE(query(STUNC_MAIN, &r->addr, &id) == 0);
	wait_records(1, 1000);
	ATF_REQUIRE_EQ(nrecords, 1);
	ATF_CHECK_EQ(records[0].ok, 1);
	ATF_CHECK(records[0].at_ms - t0 >= 500);
	ATF_CHECK(records[0].rtt_us > 0 && records[0].rtt_us < 100000);
	ATF_CHECK_EQ(r->nreq, 2);
}

/* An error answer ends the query at once: asking again won't help. */
ATF_TC(error_answer);
ATF_TC_HEAD(error_answer, tc)
{
	atf_tc_set_md_var(tc, "timeout", "10");
}
ATF_TC_BODY(error_answer, tc)
{
	struct responder	*r;
	int			 id = 4;

	setup(0);
	r = responder("::ffff:127.0.0.1", ERROR_ANSWER);
	ATF_REQUIRE(query(STUNC_MAIN, &r->addr, &id) == 0);
	wait_records(1, 400);
	ATF_REQUIRE_EQ(nrecords, 1);
	ATF_CHECK_EQ(records[0].ok, 0);
	ATF_CHECK_EQ(r->nreq, 1);
}

/* At most 256 queries out; cancelled ones never call back. */
ATF_TC(cap_cancel);
ATF_TC_HEAD(cap_cancel, tc)
{
	atf_tc_set_md_var(tc, "timeout", "10");
}
ATF_TC_BODY(cap_cancel, tc)
{
	struct responder	*r;
	size_t			 i, n;

	setup(1);
	r = responder("::ffff:127.0.0.1", SILENT);
	ids[0] = 0;
	ids[1] = 1;
	for (n = 0; n < RECORDS_MAX; n++)
		if (query(n % 2 ? STUNC_MAIN : STUNC_PROBE, &r->addr,
		    &ids[n % 2]) == -1)
			break;
	ATF_CHECK_EQ(n, CAP);
	ATF_CHECK_EQ(query(STUNC_MAIN, &r->addr, &ids[0]), -1);
	/* Cancelling frees room; the other arg's queries stay. */
	stunc_cancel(&ids[0]);
	ATF_REQUIRE(query(STUNC_MAIN, &r->addr, &ids[2]) == 0);
	stunc_cancel(&ids[2]);
	wait_records(CAP / 2, FAIL_MS + SLACK_MS);
	ATF_REQUIRE_EQ(nrecords, CAP / 2);
	for (i = 0; i < nrecords; i++) {
		ATF_CHECK_EQ(records[i].id, 1);
		ATF_CHECK_EQ(records[i].ok, 0);
	}
	/* And nothing more comes. */
	wait_records(CAP / 2 + 1, SLACK_MS);
	ATF_CHECK_EQ(nrecords, CAP / 2);
}

/* No probe socket: the query fails, later, never inside stunc_query. */
ATF_TC(not_synchronous);
ATF_TC_HEAD(not_synchronous, tc)
{
	atf_tc_set_md_var(tc, "timeout", "10");
}
ATF_TC_BODY(not_synchronous, tc)
{
	struct responder	*r;
	struct stun_builder	 b;
	struct stun_msg		 m;
	uint8_t			 buf[64], tid[STUN_TID_LEN] = { 9 };
	int			 id = 5;

	setup(0);
	r = responder("::ffff:127.0.0.1", ANSWER);
	ATF_REQUIRE(query(STUNC_PROBE, &r->addr, &id) == 0);
	ATF_CHECK_EQ(nrecords, 0);
	wait_records(1, 200);
	ATF_REQUIRE_EQ(nrecords, 1);
	ATF_CHECK_EQ(records[0].ok, 0);
	ATF_CHECK_EQ(records[0].inside, 0);
	ATF_CHECK_EQ(r->nreq, 0);

	/* A response nobody asked for is not ours. */
	ATF_REQUIRE(stun_build_init(&b, buf, sizeof(buf),
	    stun_type(STUN_BINDING, STUN_SUCCESS), tid) == 0);
	ATF_REQUIRE(stun_add_fingerprint(&b) == 0);
	ATF_REQUIRE(stun_parse(buf, stun_build_len(&b), &m) == 0);
	ATF_CHECK_EQ(stunc_input(&m, &r->addr), 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, answer);
	ATF_TP_ADD_TC(tp, no_answer);
	ATF_TP_ADD_TC(tp, ignored);
	ATF_TP_ADD_TC(tp, retransmit_rtt);
	ATF_TP_ADD_TC(tp, error_answer);
	ATF_TP_ADD_TC(tp, cap_cancel);
	ATF_TP_ADD_TC(tp, not_synchronous);
	return atf_no_error();
}
