/*
 * Unit tests: the engine's sealed signals (agent/engine_netmap.c,
 * lib/seal.c).  The test plays a hostile tern-signal: it replays,
 * reflects and reorders boxes a peer sealed, and the engine must act
 * only on fresh ones.  A go-idle that is acted on sends the peer Idle.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <atf-c.h>
#include <sodium.h>

#include "engine_fixture.h"
#include "icemsg.h"
#include "test_util.h"

#define GO_IDLE	"{\"type\":\"go-idle\"}"
#define REPLAYS	100	/* far more than one second of log allows */
#define NAP_NS	10000000L	/* 10 ms between clock looks */

static struct sigmsg_netmap	 nm;
static uint8_t			 bpub[KEY_LEN], bpriv[KEY_LEN];

struct box {
	uint8_t		 b[SIGMSG_BOX_MAX];
	size_t		 len;
};

/* Lazy on, and peer b whose node key the test holds; b starts Idle. */
static struct peer *
setup(void)
{
	struct imsg_lazy_conf	 lc;
	struct peer		*b;

	fixture_engine();
	memset(&lc, 0, sizeof(lc));
	lc.lazy = 1;
	lc.lazy_src = LAZY_SRC_CONFIG;
	cm_lazy_conf(&lc);
	crypto_box_keypair(bpub, bpriv);
	fixture_netmap(&nm, 1);
	fixture_peer(&nm.peers[0], "b", 2, 1, 0);
	memcpy(nm.peers[0].node_key, bpub, KEY_LEN);
	netmap_apply(&nm);
	ATF_REQUIRE((b = fixture_find("b")) != NULL);
	ATF_REQUIRE_EQ(b->state, PEER_IDLE);
	return b;
}

/* What b seals to us in session s as its counter-th message. */
static struct box
from_b(const struct seal_session *s, uint64_t counter, const char *text)
{
	struct seal_hdr	 h;
	struct box	 bx;

	memcpy(h.from, bpub, KEY_LEN);
	memcpy(h.to, engine->conf.nodepub, KEY_LEN);
	h.sess = *s;
	h.counter = counter;
	ATF_REQUIRE(seal_sig(&h, (const uint8_t *)text, strlen(text), bpriv,
	    bx.b, sizeof(bx.b), &bx.len) == 0);
	return bx;
}

/* Wakes b, delivers bx as from b: whether b went Idle (obeyed it). */
static int
obeyed(struct peer *b, const struct box *bx)
{
	cm_wake(b, WAKE_MANUAL);
	ATF_REQUIRE_EQ(b->state, PEER_CONNECTING);
	netmap_signal_in(bpub, bx->b, bx->len);
	return b->state == PEER_IDLE;
}

ATF_TC_WITHOUT_HEAD(replayed_go_idle);
ATF_TC_BODY(replayed_go_idle, tc)
{
	struct seal_session	 s;
	struct box		 g;
	struct peer		*b = setup();

	seal_session_new(&s);
	g = from_b(&s, 1, GO_IDLE);
	ATF_CHECK(obeyed(b, &g));
	ATF_CHECK(!obeyed(b, &g));
	ATF_CHECK(obeyed(b, (g = from_b(&s, 2, GO_IDLE), &g)));
	free(nm.peers);
}

ATF_TC_WITHOUT_HEAD(counter_backwards);
ATF_TC_BODY(counter_backwards, tc)
{
	struct seal_session	 s;
	struct box		 g5, g3;
	struct peer		*b = setup();

	seal_session_new(&s);
	g5 = from_b(&s, 5, GO_IDLE);
	g3 = from_b(&s, 3, GO_IDLE);
	ATF_CHECK(obeyed(b, &g5));
	ATF_CHECK(!obeyed(b, &g3));
	ATF_CHECK_EQ(b->sig_rx.counter, 5);
	free(nm.peers);
}

ATF_TC_WITHOUT_HEAD(reflected);
ATF_TC_BODY(reflected, tc)
{
	struct seal_hdr	 h;
	struct box	 bx, pt;
	struct peer	*b = setup();

	/* Our own go-idle to b, handed back to us as if b sent it. */
	memcpy(h.from, engine->conf.nodepub, KEY_LEN);
	memcpy(h.to, bpub, KEY_LEN);
	h.sess = engine->sig_sess;
	h.counter = 1;
	ATF_REQUIRE(seal_sig(&h, (const uint8_t *)GO_IDLE, strlen(GO_IDLE),
	    engine->nodepriv, bx.b, sizeof(bx.b), &bx.len) == 0);
	ATF_CHECK(!obeyed(b, &bx));
	/* The header alone decides: the box opens with our key. */
	ATF_CHECK_EQ(seal_sig_open(bx.b, bx.len, bpub, engine->nodepriv, &h,
	    pt.b, sizeof(pt.b), &pt.len), SEAL_OK);
	ATF_CHECK_EQ(seal_check(&b->sig_rx, &h, bpub, engine->conf.nodepub),
	    SEAL_EREFLECTED);
	ATF_CHECK(!b->sig_rx.seen);
	free(nm.peers);
}

ATF_TC_WITHOUT_HEAD(restarted_peer);
ATF_TC_BODY(restarted_peer, tc)
{
	struct seal_session	 old, s;
	struct box		 g;
	struct peer		*b = setup();

	seal_session_new(&old);
	ATF_CHECK(obeyed(b, (g = from_b(&old, 40, GO_IDLE), &g)));
	/* b restarts: a later session, its counter starts again. */
	s = old;
	s.time++;
	randombytes_buf(&s.rand, sizeof(s.rand));
	ATF_CHECK(obeyed(b, (g = from_b(&s, 1, GO_IDLE), &g)));
	/* The server replays the run before, with a higher counter. */
	ATF_CHECK(!obeyed(b, (g = from_b(&old, 41, GO_IDLE), &g)));
	/* Another session with the same start time is not the same run. */
	s.rand++;
	ATF_CHECK(!obeyed(b, (g = from_b(&s, 2, GO_IDLE), &g)));
	s.rand--;
	ATF_CHECK(obeyed(b, (g = from_b(&s, 2, GO_IDLE), &g)));
	free(nm.peers);
}

ATF_TC_WITHOUT_HEAD(not_for_us);
ATF_TC_BODY(not_for_us, tc)
{
	struct seal_replay	 r;
	struct seal_hdr		 h;
	uint8_t			 self[KEY_LEN], other[KEY_LEN];

	memset(&r, 0, sizeof(r));
	randombytes_buf(self, KEY_LEN);
	randombytes_buf(other, KEY_LEN);
	memcpy(h.from, bpub, KEY_LEN);
	memcpy(h.to, other, KEY_LEN);
	seal_session_new(&h.sess);
	h.counter = 1;
	ATF_CHECK_EQ(seal_check(&r, &h, bpub, self), SEAL_ENOTFOR);
	/* For us, but the server says another node sent it. */
	memcpy(h.to, self, KEY_LEN);
	ATF_CHECK_EQ(seal_check(&r, &h, other, self), SEAL_ESENDER);
	ATF_CHECK(!r.seen);
	ATF_CHECK_EQ(seal_check(&r, &h, bpub, self), SEAL_OK);
	ATF_CHECK(r.seen);
}

ATF_TC_WITHOUT_HEAD(old_format);
ATF_TC_BODY(old_format, tc)
{
	struct box	 bx;
	struct peer	*b = setup();

	/* Format 1: the bare JSON payload, as an older ternd seals it. */
	ATF_REQUIRE(seal_box((const uint8_t *)GO_IDLE, strlen(GO_IDLE),
	    engine->conf.nodepub, bpriv, bx.b, sizeof(bx.b), &bx.len) == 0);
	ATF_CHECK(!obeyed(b, &bx));
	free(nm.peers);
}

/* Sleeps until the next second of the monotonic clock. */
static void
next_second(void)
{
	struct timespec	 now, nap = { 0, NAP_NS };
	time_t		 until;

	ATF_REQUIRE(clock_gettime(CLOCK_MONOTONIC, &now) == 0);
	until = now.tv_sec + 1;
	while (clock_gettime(CLOCK_MONOTONIC, &now) == 0 && now.tv_sec < until)
		nanosleep(&nap, NULL);
}

/*
 * A server that replays a box as fast as it can gets one log line in
 * the first second, and the count of the others with the next line.
 */
ATF_TC_WITHOUT_HEAD(bad_boxes_rate_limited);
ATF_TC_BODY(bad_boxes_rate_limited, tc)
{
	struct seal_session	 s;
	struct box		 g;
	struct peer		*b = setup();
	char			*got;
	int			 saved, i;

	seal_session_new(&s);
	g = from_b(&s, 1, GO_IDLE);
	netmap_signal_in(bpub, g.b, g.len);
	saved = test_stderr_begin("t");
	/* All replays inside one second of the monotonic clock. */
	next_second();
	for (i = 0; i < REPLAYS; i++)
		netmap_signal_in(bpub, g.b, g.len);
	next_second();
	netmap_signal_in(bpub, g.b, g.len);
	got = test_stderr_end(saved);
	ATF_CHECK_STREQ(got,
	    "t: peer b: a signal that was replayed or reordered: refused\n"
	    "t: 99 more lines like the next were not logged\n"
	    "t: peer b: a signal that was replayed or reordered: refused\n");
	free(got);
	ATF_CHECK_EQ(b->sig_rx.counter, 1);
	free(nm.peers);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, replayed_go_idle);
	ATF_TP_ADD_TC(tp, counter_backwards);
	ATF_TP_ADD_TC(tp, reflected);
	ATF_TP_ADD_TC(tp, restarted_peer);
	ATF_TP_ADD_TC(tp, not_for_us);
	ATF_TP_ADD_TC(tp, old_format);
	ATF_TP_ADD_TC(tp, bad_boxes_rate_limited);
	return atf_no_error();
}
