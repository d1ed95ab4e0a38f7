/* Unit tests of path selection: each limit crossed, pins, the relayed cap. */
#include <atf-c.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pathsel.h"

#define T0	1000		/* the last receipt, in the tests below */

/* n sends on the direct path at time now. */
static void
send_n(struct pathsel *ps, uint64_t now, int n)
{
	int	 i;

	for (i = 0; i < n; i++)
		pathsel_sent_direct(ps, now);
}

/* A peer that got one authenticated receipt at T0. */
static void
start(struct pathsel *ps)
{
	pathsel_init(ps, 0);
	pathsel_recv_direct(ps, T0, 1);
}

/* A peer moved to the relay by silence, in t. */
static void
to_relay(struct pathsel *ps, struct pathsel_tally *t)
{
	start(ps);
	send_n(ps, T0 + PATHSEL_SILENT_MS + 1, PATHSEL_SILENT_SENDS);
	ATF_REQUIRE_EQ(pathsel_update(ps, t, T0 + PATHSEL_SILENT_MS + 1),
	    PATHSEL_TO_RELAY);
}

/* An update at now flips the peer as want says, for why. */
static void
check_flip(struct pathsel *ps, struct pathsel_tally *t, uint64_t now,
    enum pathsel_flip want, const char *why, size_t relayed)
{
	ATF_CHECK_EQ(pathsel_update(ps, t, now), want);
	ATF_CHECK_STREQ(ps->why, why);
	ATF_CHECK_EQ(ps->relay, want == PATHSEL_TO_RELAY);
	ATF_CHECK_EQ(ps->flip_ms, now);
	ATF_CHECK_EQ(t->relayed, relayed);
}

ATF_TC_WITHOUT_HEAD(silent_time);
ATF_TC_BODY(silent_time, tc)
{
	struct pathsel_tally	 t = { 0 };
	struct pathsel		 ps;

	ATF_CHECK_EQ(PATHSEL_SILENT_MS, 8000);
	ATF_CHECK_EQ(PATHSEL_SILENT_SENDS, 3);
	start(&ps);
	/* 7.9 s, and exactly 8 s, are not more than 8 s. */
	send_n(&ps, T0 + 7900, 5);
	ATF_CHECK_EQ(pathsel_update(&ps, &t, T0 + 7900), PATHSEL_SAME);
	send_n(&ps, T0 + 8000, 5);
	ATF_CHECK_EQ(pathsel_update(&ps, &t, T0 + 8000), PATHSEL_SAME);
	ATF_CHECK_EQ(ps.silent_sends, 0);
	ATF_CHECK_EQ(ps.relay, 0);
	/* 8.1 s: the third such send flips. */
	send_n(&ps, T0 + 8100, 2);
	ATF_CHECK_EQ(pathsel_update(&ps, &t, T0 + 8100), PATHSEL_SAME);
	send_n(&ps, T0 + 8100, 1);
	check_flip(&ps, &t, T0 + 8150, PATHSEL_TO_RELAY,
	    "silent 8.1 s, 3 sends", 1);
	/* Reported once. */
	ATF_CHECK_EQ(pathsel_update(&ps, &t, T0 + 8200), PATHSEL_SAME);
	ATF_CHECK_EQ(t.relayed, 1);

	/* No receipt at all: silence counts from the start. */
	pathsel_init(&ps, 5000);
	t.relayed = 0;
	send_n(&ps, 5000 + 8200, 4);
	ATF_CHECK_EQ(pathsel_update(&ps, &t, 5000 + 8200), PATHSEL_TO_RELAY);
	ATF_CHECK_STREQ(ps.why, "silent 8.2 s, 4 sends");

	/* A clock before the last receipt is not silence. */
	start(&ps);
	send_n(&ps, 0, 5);
	ATF_CHECK_EQ(ps.silent_sends, 0);
}

ATF_TC_WITHOUT_HEAD(silent_sends);
ATF_TC_BODY(silent_sends, tc)
{
	struct pathsel_tally	 t = { 0 };
	struct pathsel		 ps;
	uint64_t		 now = T0 + 20000;

	/* Long silence, but 2 sends do not flip. */
	start(&ps);
	send_n(&ps, now, 2);
	ATF_CHECK_EQ(pathsel_update(&ps, &t, now), PATHSEL_SAME);
	ATF_CHECK_EQ(ps.relay, 0);
	/* A receipt resets the count and the silence. */
	pathsel_recv_direct(&ps, now, 1);
	ATF_CHECK_EQ(ps.silent_sends, 0);
	send_n(&ps, now + 1, 3);
	ATF_CHECK_EQ(pathsel_update(&ps, &t, now + 1), PATHSEL_SAME);
	send_n(&ps, now + PATHSEL_SILENT_MS + 1, 2);
	ATF_CHECK_EQ(pathsel_update(&ps, &t, now + PATHSEL_SILENT_MS + 1),
	    PATHSEL_SAME);
	send_n(&ps, now + PATHSEL_SILENT_MS + 1, 1);
	ATF_CHECK_EQ(pathsel_update(&ps, &t, now + PATHSEL_SILENT_MS + 1),
	    PATHSEL_TO_RELAY);
	ATF_CHECK_STREQ(ps.why, "silent 8.0 s, 3 sends");
}

ATF_TC_WITHOUT_HEAD(unauthenticated);
ATF_TC_BODY(unauthenticated, tc)
{
	struct pathsel_tally	 t = { 0 };
	struct pathsel		 ps;
	uint64_t		 now = T0 + 9000;
	int			 i;

	/* A forged datagram neither resets the silence nor the count. */
	start(&ps);
	send_n(&ps, now, 2);
	pathsel_recv_direct(&ps, now, 0);
	ATF_CHECK_EQ(ps.last_recv_ms, T0);
	ATF_CHECK_EQ(ps.silent_sends, 2);
	send_n(&ps, now, 1);
	ATF_CHECK_EQ(pathsel_update(&ps, &t, now), PATHSEL_TO_RELAY);
	/* ... nor takes a peer off the relay. */
	for (i = 0; i < PATHSEL_RECEIPTS * 2; i++)
		pathsel_recv_direct(&ps, now + i, 0);
	ATF_CHECK_EQ(pathsel_update(&ps, &t, now + i), PATHSEL_SAME);
	ATF_CHECK_EQ(ps.relay, 1);
	ATF_CHECK_EQ(ps.receipts, 0);
}

ATF_TC_WITHOUT_HEAD(icmp_unreach);
ATF_TC_BODY(icmp_unreach, tc)
{
	struct pathsel_tally	 t = { 0 };
	struct pathsel		 ps;

	ATF_CHECK_EQ(PATHSEL_UNREACH_MAX, 3);
	start(&ps);
	pathsel_icmp_unreach(&ps);
	pathsel_icmp_unreach(&ps);
	ATF_CHECK_EQ(pathsel_update(&ps, &t, T0 + 1), PATHSEL_SAME);
	/* A receipt between them: not in a row. */
	pathsel_recv_direct(&ps, T0 + 2, 1);
	ATF_CHECK_EQ(ps.unreach, 0);
	pathsel_icmp_unreach(&ps);
	pathsel_icmp_unreach(&ps);
	ATF_CHECK_EQ(pathsel_update(&ps, &t, T0 + 3), PATHSEL_SAME);
	pathsel_icmp_unreach(&ps);
	check_flip(&ps, &t, T0 + 4, PATHSEL_TO_RELAY, "3 ICMP unreachable", 1);

	/* A counter stops at its top, and the longest reasons fit. */
	start(&ps);
	t.relayed = 0;
	ps.unreach = UINT32_MAX - 1;
	pathsel_icmp_unreach(&ps);
	pathsel_icmp_unreach(&ps);
	ATF_CHECK_EQ(ps.unreach, UINT32_MAX);
	ATF_CHECK_EQ(pathsel_update(&ps, &t, T0), PATHSEL_TO_RELAY);
	ATF_CHECK_STREQ(ps.why, "4294967295 ICMP unreachable");
	pathsel_init(&ps, 0);
	t.relayed = 0;
	ps.silent_sends = UINT32_MAX - 1;
	send_n(&ps, UINT64_MAX, 2);
	ATF_CHECK_EQ(ps.silent_sends, UINT32_MAX);
	ATF_CHECK_EQ(pathsel_update(&ps, &t, UINT64_MAX), PATHSEL_TO_RELAY);
	/* 2^64 - 1 ms is 18446744073709551.615 s. */
	ATF_CHECK_STREQ(ps.why,
	    "silent 18446744073709551.6 s, 4294967295 sends");
	ATF_CHECK_EQ(strlen(ps.why) + 1, 47);
}

ATF_TC_WITHOUT_HEAD(receipts_clear);
ATF_TC_BODY(receipts_clear, tc)
{
	struct pathsel_tally	 t = { 0 };
	struct pathsel		 ps;
	uint64_t		 now = 100000;

	ATF_CHECK_EQ(PATHSEL_RECEIPTS, 3);
	to_relay(&ps, &t);
	/* 2 receipts do not clear. */
	pathsel_recv_direct(&ps, now, 1);
	pathsel_recv_direct(&ps, now + 1, 1);
	ATF_CHECK_EQ(pathsel_update(&ps, &t, now + 1), PATHSEL_SAME);
	/* An ICMP error breaks the run ... */
	pathsel_icmp_unreach(&ps);
	pathsel_recv_direct(&ps, now + 2, 1);
	pathsel_recv_direct(&ps, now + 3, 1);
	ATF_CHECK_EQ(pathsel_update(&ps, &t, now + 3), PATHSEL_SAME);
	/* ... and so does a send that finds the path silent. */
	pathsel_sent_direct(&ps, now + 3 + PATHSEL_SILENT_MS + 1);
	ATF_CHECK_EQ(ps.receipts, 0);
	pathsel_recv_direct(&ps, now + 20000, 1);
	pathsel_recv_direct(&ps, now + 20001, 1);
	ATF_CHECK_EQ(pathsel_update(&ps, &t, now + 20001), PATHSEL_SAME);
	/* A send on a live path does not. */
	pathsel_sent_direct(&ps, now + 20002);
	pathsel_recv_direct(&ps, now + 20003, 1);
	check_flip(&ps, &t, now + 20003, PATHSEL_TO_DIRECT,
	    "3 direct receipts", 0);
	/* Back on direct, with no evidence against the path. */
	ATF_CHECK_EQ(ps.receipts, 0);
	ATF_CHECK_EQ(ps.silent_sends, 0);
	ATF_CHECK_EQ(ps.unreach, 0);
	ATF_CHECK_EQ(pathsel_update(&ps, &t, now + 20004), PATHSEL_SAME);

	/* Receipts from before the flip do not count after it. */
	start(&ps);
	pathsel_recv_direct(&ps, T0 + 1, 1);
	pathsel_recv_direct(&ps, T0 + 2, 1);
	ATF_CHECK_EQ(ps.receipts, PATHSEL_RECEIPTS);
	ATF_CHECK_EQ(pathsel_pin(&ps, PATHSEL_PIN_SYMMETRIC), 0);
	ATF_CHECK_EQ(pathsel_update(&ps, &t, T0 + 3), PATHSEL_TO_RELAY);
	ATF_CHECK_EQ(pathsel_unpin(&ps, PATHSEL_PIN_SYMMETRIC), 0);
	pathsel_recv_direct(&ps, T0 + 4, 1);
	ATF_CHECK_EQ(pathsel_update(&ps, &t, T0 + 4), PATHSEL_SAME);
	ATF_CHECK_EQ(ps.relay, 1);
}

ATF_TC_WITHOUT_HEAD(pinned);
ATF_TC_BODY(pinned, tc)
{
	struct pathsel_tally	 t = { 0 };
	struct pathsel		 ps;
	int			 i;

	/* Pinned: on the relay at once, and receipts do not clear it. */
	start(&ps);
	ATF_CHECK_EQ(pathsel_pin(&ps, PATHSEL_PIN_RELAY_ONLY), 0);
	check_flip(&ps, &t, T0, PATHSEL_TO_RELAY, "relay-only in the netmap",
	    1);
	ATF_CHECK_EQ(pathsel_pin(&ps, PATHSEL_PIN_SYMMETRIC), 0);
	for (i = 0; i < PATHSEL_RECEIPTS * 2; i++)
		pathsel_recv_direct(&ps, T0 + i, 1);
	ATF_CHECK_EQ(pathsel_update(&ps, &t, T0 + i), PATHSEL_SAME);
	/* One pin of two gone: still pinned. */
	ATF_CHECK_EQ(pathsel_unpin(&ps, PATHSEL_PIN_RELAY_ONLY), 0);
	ATF_CHECK_EQ(pathsel_update(&ps, &t, T0 + i), PATHSEL_SAME);
	ATF_CHECK_EQ(ps.relay, 1);
	/* Unpinned: the receipts already seen clear it. */
	ATF_CHECK_EQ(pathsel_unpin(&ps, PATHSEL_PIN_SYMMETRIC), 0);
	check_flip(&ps, &t, T0 + i, PATHSEL_TO_DIRECT, "6 direct receipts", 0);

	start(&ps);
	ATF_CHECK_EQ(pathsel_pin(&ps, PATHSEL_PIN_SYMMETRIC), 0);
	check_flip(&ps, &t, T0, PATHSEL_TO_RELAY, "symmetric NAT on both sides",
	    1);

	/* Unknown or no pin bits are refused and change nothing. */
	ATF_CHECK_EQ(pathsel_pin(&ps, 0), -1);
	ATF_CHECK_EQ(pathsel_pin(&ps, PATHSEL_PIN_ALL + 1), -1);
	ATF_CHECK_EQ(pathsel_pin(&ps, PATHSEL_PIN_RELAY_ONLY | 0x80), -1);
	ATF_CHECK_EQ(pathsel_unpin(&ps, 0x80), -1);
	ATF_CHECK_EQ(pathsel_unpin(&ps, 0), -1);
	ATF_CHECK_EQ(ps.pinned, PATHSEL_PIN_SYMMETRIC);
}

ATF_TC_WITHOUT_HEAD(relayed_cap);
ATF_TC_BODY(relayed_cap, tc)
{
	struct pathsel_tally	 t = { 0 };
	struct pathsel		*ps, last;
	size_t			 i;

	ATF_CHECK_EQ(PATHSEL_RELAYED_MAX, 4096);
	ATF_REQUIRE((ps = calloc(PATHSEL_RELAYED_MAX, sizeof(*ps))) != NULL);
	for (i = 0; i < PATHSEL_RELAYED_MAX; i++) {
		pathsel_init(&ps[i], 0);
		ATF_REQUIRE_EQ(pathsel_pin(&ps[i], PATHSEL_PIN_RELAY_ONLY), 0);
		ATF_REQUIRE_EQ_MSG(pathsel_update(&ps[i], &t, 0),
		    PATHSEL_TO_RELAY, "peer %zu", i + 1);
	}
	ATF_CHECK_EQ(t.relayed, PATHSEL_RELAYED_MAX);

	/* The 4097th is refused, once, and stays direct. */
	start(&last);
	pathsel_icmp_unreach(&last);
	pathsel_icmp_unreach(&last);
	pathsel_icmp_unreach(&last);
	ATF_CHECK_EQ(pathsel_update(&last, &t, T0), PATHSEL_REFUSED);
	ATF_CHECK_STREQ(last.why, "3 ICMP unreachable");
	ATF_CHECK_EQ(last.relay, 0);
	ATF_CHECK_EQ(pathsel_update(&last, &t, T0), PATHSEL_SAME);
	ATF_CHECK_EQ(t.relayed, PATHSEL_RELAYED_MAX);
	/* It recovered, then failed again: refused and said again. */
	pathsel_recv_direct(&last, T0 + 1, 1);
	ATF_CHECK_EQ(pathsel_update(&last, &t, T0 + 1), PATHSEL_SAME);
	pathsel_icmp_unreach(&last);
	pathsel_icmp_unreach(&last);
	pathsel_icmp_unreach(&last);
	ATF_CHECK_EQ(pathsel_update(&last, &t, T0 + 2), PATHSEL_REFUSED);

	/* A slot freed: the next update takes it. */
	pathsel_release(&ps[0], &t);
	ATF_CHECK_EQ(ps[0].relay, 0);
	ATF_CHECK_EQ(t.relayed, PATHSEL_RELAYED_MAX - 1);
	ATF_CHECK_EQ(pathsel_update(&last, &t, T0 + 3), PATHSEL_TO_RELAY);
	ATF_CHECK_EQ(t.relayed, PATHSEL_RELAYED_MAX);
	ATF_CHECK_EQ(last.refused, 0);
	/* A released direct peer gives back nothing. */
	pathsel_release(&ps[0], &t);
	ATF_CHECK_EQ(t.relayed, PATHSEL_RELAYED_MAX);
	for (i = 1; i < PATHSEL_RELAYED_MAX; i++)
		pathsel_release(&ps[i], &t);
	pathsel_release(&last, &t);
	ATF_CHECK_EQ(t.relayed, 0);
	free(ps);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, silent_time);
	ATF_TP_ADD_TC(tp, silent_sends);
	ATF_TP_ADD_TC(tp, unauthenticated);
	ATF_TP_ADD_TC(tp, icmp_unreach);
	ATF_TP_ADD_TC(tp, receipts_clear);
	ATF_TP_ADD_TC(tp, pinned);
	ATF_TP_ADD_TC(tp, relayed_cap);
	return atf_no_error();
}
