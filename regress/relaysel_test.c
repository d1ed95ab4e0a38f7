/* Unit tests of relay list selection: merge, filter, pick, RTT, refresh. */
#include <arpa/inet.h>
#include <atf-c.h>
#include <stdio.h>
#include <string.h>

#include "relaysel.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* Node keys 0x00..0x1f and all 0xff; their FNV-1a sums, by hand. */
static uint8_t	 key_seq[32];
static uint8_t	 key_ff[32];
#define KEY_SEQ_FNV	0x0913ad65U	/* mod 3 = 2, mod 5 = 2, mod 7 = 0 */
#define KEY_FF_FNV	0x5b517625U	/* mod 3 = 0, mod 5 = 2 */

static void
keys_init(void)
{
	size_t	 i;

	for (i = 0; i < sizeof(key_seq); i++)
		key_seq[i] = i;
	memset(key_ff, 0xff, sizeof(key_ff));
}

static void
check_list(const struct relaysel_list *l, const char **want, size_t n)
{
	size_t	 i;

	ATF_REQUIRE_EQ_MSG(l->n, n, "%zu entries, want %zu", l->n, n);
	for (i = 0; i < n; i++)
		ATF_CHECK_STREQ_MSG(l->addrs[i], want[i], "entry %zu", i);
}

ATF_TC_WITHOUT_HEAD(merge_order);
ATF_TC_BODY(merge_order, tc)
{
	static const char	 boot[][RELAYSEL_ADDR_MAX] = {
		"relay1.example.net:3478", "198.51.100.7:3478",
		"relay1.example.net:3478",
	};
	static const char	 disc[][RELAYSEL_ADDR_MAX] = {
		"203.0.113.9:3478", "RELAY1.example.net:3478",
		"198.51.100.7:3479", "[2001:db8::1]:3478",
		"[2001:DB8:0::1]:3478", "203.0.113.9:3478",
		"relay2.example.net:3478",
	};
	static const char	*want[] = {
		"relay1.example.net:3478", "198.51.100.7:3478",
		"203.0.113.9:3478", "198.51.100.7:3479",
		"[2001:db8::1]:3478", "relay2.example.net:3478",
	};
	static const char	*want_disc[] = {
		"203.0.113.9:3478", "RELAY1.example.net:3478",
		"198.51.100.7:3479", "[2001:db8::1]:3478",
		"relay2.example.net:3478",
	};
	struct relaysel_list	 l;

	/* Names compare without case, literals by address, ports exactly. */
	ATF_CHECK_EQ(relaysel_merge(boot, NITEMS(boot), disc, NITEMS(disc),
	    &l), 0);
	check_list(&l, want, NITEMS(want));
	ATF_CHECK_EQ(relaysel_find(&l, "[2001:db8:0:0::1]:3478"), 4);
	ATF_CHECK_EQ(relaysel_find(&l, "relay2.example.net:3479"),
	    RELAYSEL_NONE);

	/* Nothing at all, and only discovered entries. */
	ATF_CHECK_EQ(relaysel_merge(NULL, 0, NULL, 0, &l), 0);
	ATF_CHECK_EQ(l.n, 0);
	ATF_CHECK_EQ(relaysel_merge(NULL, 0, disc, NITEMS(disc), &l), 0);
	check_list(&l, want_disc, NITEMS(want_disc));
}

ATF_TC_WITHOUT_HEAD(merge_filter);
ATF_TC_BODY(merge_filter, tc)
{
	static const char	 boot[][RELAYSEL_ADDR_MAX] = {
		"10.1.2.3:3478", "[::1]:3478", "127.0.0.1:3478",
	};
	static const char	 disc[][RELAYSEL_ADDR_MAX] = {
		"10.0.0.1:3478", "10.255.255.255:3478",
		"172.16.0.1:3478", "172.31.255.254:3478",
		"192.168.1.1:3478", "127.0.0.1:3479", "127.255.0.1:3478",
		"169.254.1.1:3478", "0.0.0.0:3478", "0.1.2.3:3478",
		"[::1]:3478", "[fe80::1]:3478", "[febf::1]:3478", "[::]:3478",
		"[fc00::1]:3478", "[fd12:3456::1]:3478",
		"[::ffff:10.0.0.1]:3478", "[::ffff:192.168.0.1]:3478",
		/* invalid: the server sent what ternd.conf would refuse */
		"no-port", "[2001:db8::1]", "bad_name:3478", "1.2.3:3478",
		"203.0.113.1:0",
		/* kept: just outside each range, and names */
		"9.255.255.255:3478", "11.0.0.0:3478", "172.15.255.255:3478",
		"172.32.0.0:3478", "192.167.255.255:3478",
		"192.169.0.0:3478", "128.0.0.1:3478", "169.253.255.255:3478",
		"169.255.0.0:3478", "1.0.0.0:3478", "[::2]:3478",
		"[fec0::1]:3478", "[fe00::1]:3478", "[fbff::1]:3478",
		"[fe00::]:3478", "[::ffff:198.51.100.1]:3478",
		"localhost:3478", "10.example.net:3478",
	};
	static const char	*want[] = {
		"10.1.2.3:3478", "[::1]:3478", "127.0.0.1:3478",
		"9.255.255.255:3478", "11.0.0.0:3478", "172.15.255.255:3478",
		"172.32.0.0:3478", "192.167.255.255:3478",
		"192.169.0.0:3478", "128.0.0.1:3478", "169.253.255.255:3478",
		"169.255.0.0:3478", "1.0.0.0:3478", "[::2]:3478",
		"[fec0::1]:3478", "[fe00::1]:3478", "[fbff::1]:3478",
		"[fe00::]:3478", "[::ffff:198.51.100.1]:3478",
		"localhost:3478", "10.example.net:3478",
	};
	struct relaysel_list	 l;

	/* Bootstrap entries are the operator's: kept as written. */
	ATF_CHECK_EQ(relaysel_merge(boot, NITEMS(boot), disc, NITEMS(disc),
	    &l), 23);
	check_list(&l, want, NITEMS(want));
}

/* An address as the parent resolves it: v4 as v4-mapped. */
static void
resolved(const char *text, struct sockaddr_in6 *sa)
{
	struct in_addr	 in;

	memset(sa, 0, sizeof(*sa));
	sa->sin6_family = AF_INET6;
	if (inet_pton(AF_INET, text, &in) == 1) {
		sa->sin6_addr.s6_addr[10] = sa->sin6_addr.s6_addr[11] = 0xff;
		memcpy(&sa->sin6_addr.s6_addr[12], &in, sizeof(in));
	} else
		ATF_REQUIRE(inet_pton(AF_INET6, text, &sa->sin6_addr) == 1);
}

/* A name's addresses meet the rule of literals, entry by entry. */
ATF_TC_WITHOUT_HEAD(resolved_filter);
ATF_TC_BODY(resolved_filter, tc)
{
	static const char	*local[] = {
		"10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.254",
		"192.168.1.1", "127.0.0.1", "127.255.0.1", "169.254.1.1",
		"0.0.0.0", "0.1.2.3", "::1", "fe80::1", "febf::1", "::",
		"fc00::1", "fd12:3456::1", "::ffff:10.0.0.1",
		"::ffff:192.168.0.1", "::ffff:127.0.0.1",
	};
	static const char	*global[] = {
		"9.255.255.255", "11.0.0.0", "172.15.255.255", "172.32.0.0",
		"192.167.255.255", "192.169.0.0", "128.0.0.1",
		"169.253.255.255", "169.255.0.0", "1.0.0.0", "::2", "fec0::1",
		"fe00::1", "fbff::1", "::ffff:198.51.100.1", "2001:db8::1",
	};
	struct sockaddr_in6	 sa;
	size_t			 i;

	for (i = 0; i < NITEMS(local); i++) {
		resolved(local[i], &sa);
		ATF_CHECK_MSG(relaysel_local_sa(&sa), "%s", local[i]);
		ATF_CHECK_MSG(relaysel_local_literal(local[i]), "%s", local[i]);
	}
	for (i = 0; i < NITEMS(global); i++) {
		resolved(global[i], &sa);
		ATF_CHECK_MSG(!relaysel_local_sa(&sa), "%s", global[i]);
		ATF_CHECK_MSG(!relaysel_local_literal(global[i]), "%s",
		    global[i]);
	}
}

ATF_TC_WITHOUT_HEAD(merge_caps);
ATF_TC_BODY(merge_caps, tc)
{
	static char		 boot[RELAYSEL_BOOTSTRAP_MAX + 2]
				    [RELAYSEL_ADDR_MAX];
	static char		 disc[RELAYSEL_DISCOVERED_MAX + 2]
				    [RELAYSEL_ADDR_MAX];
	struct relaysel_list	 l;
	size_t			 i;

	for (i = 0; i < NITEMS(boot); i++)
		snprintf(boot[i], sizeof(boot[i]), "b%zu.example.net:3478", i);
	for (i = 0; i < NITEMS(disc); i++)
		snprintf(disc[i], sizeof(disc[i]), "d%zu.example.net:3478", i);
	/* One entry without its NUL: dropped, not read past. */
	memset(disc[1], 'a', sizeof(disc[1]));
	ATF_CHECK_EQ(relaysel_merge((const char (*)[RELAYSEL_ADDR_MAX])boot,
	    NITEMS(boot), (const char (*)[RELAYSEL_ADDR_MAX])disc,
	    NITEMS(disc), &l), 1);
	ATF_REQUIRE_EQ(l.n, RELAYSEL_LIST_MAX - 1);
	ATF_CHECK_STREQ(l.addrs[RELAYSEL_BOOTSTRAP_MAX - 1],
	    "b15.example.net:3478");
	ATF_CHECK_STREQ(l.addrs[RELAYSEL_BOOTSTRAP_MAX], "d0.example.net:3478");
	ATF_CHECK_STREQ(l.addrs[RELAYSEL_BOOTSTRAP_MAX + 1],
	    "d2.example.net:3478");
	ATF_CHECK_STREQ(l.addrs[l.n - 1], "d63.example.net:3478");
}

ATF_TC_WITHOUT_HEAD(fnv32a_vectors);
ATF_TC_BODY(fnv32a_vectors, tc)
{
	/* From the FNV reference test suite (isthe.com/chongo/tech/comp/fnv). */
	ATF_CHECK_EQ(relaysel_fnv32a((const uint8_t *)"", 0), 0x811c9dc5U);
	ATF_CHECK_EQ(relaysel_fnv32a((const uint8_t *)"a", 1), 0xe40c292cU);
	ATF_CHECK_EQ(relaysel_fnv32a((const uint8_t *)"b", 1), 0xe70c2de5U);
	ATF_CHECK_EQ(relaysel_fnv32a((const uint8_t *)"foo", 3), 0xa9f37ed7U);
	ATF_CHECK_EQ(relaysel_fnv32a((const uint8_t *)"foobar", 6),
	    0xbf9cf968U);
	keys_init();
	ATF_CHECK_EQ(relaysel_fnv32a(key_seq, sizeof(key_seq)), KEY_SEQ_FNV);
	ATF_CHECK_EQ(relaysel_fnv32a(key_ff, sizeof(key_ff)), KEY_FF_FNV);
}

ATF_TC_WITHOUT_HEAD(pick);
ATF_TC_BODY(pick, tc)
{
	keys_init();
	ATF_CHECK_EQ(relaysel_pick(0, key_seq, sizeof(key_seq)),
	    RELAYSEL_NONE);
	ATF_CHECK_EQ(relaysel_pick(1, key_seq, sizeof(key_seq)), 0);
	ATF_CHECK_EQ(relaysel_pick(1, key_ff, sizeof(key_ff)), 0);
	ATF_CHECK_EQ(relaysel_pick(3, key_seq, sizeof(key_seq)), 2);
	ATF_CHECK_EQ(relaysel_pick(3, key_ff, sizeof(key_ff)), 0);
	ATF_CHECK_EQ(relaysel_pick(5, key_seq, sizeof(key_seq)), 2);
	ATF_CHECK_EQ(relaysel_pick(5, key_ff, sizeof(key_ff)), 2);
	ATF_CHECK_EQ(relaysel_pick(7, key_seq, sizeof(key_seq)), 0);
	ATF_CHECK_EQ(relaysel_pick(RELAYSEL_LIST_MAX, key_seq,
	    sizeof(key_seq)), KEY_SEQ_FNV % RELAYSEL_LIST_MAX);
}

ATF_TC_WITHOUT_HEAD(rtt_override);
ATF_TC_BODY(rtt_override, tc)
{
	struct relaysel_probe	 p[3];

	/* Exactly 2x is not more than 2x: the pick stays. */
	memset(p, 0, sizeof(p));
	p[0] = (struct relaysel_probe){ 1, 20000 };
	p[1] = (struct relaysel_probe){ 1, 10000 };
	p[2] = (struct relaysel_probe){ 1, 15000 };
	ATF_CHECK_EQ(relaysel_rtt_override(0, p, 3), 0);
	p[0].rtt_us = 20001;
	ATF_CHECK_EQ(relaysel_rtt_override(0, p, 3), 1);
	/* The pick is the fastest, or close enough. */
	ATF_CHECK_EQ(relaysel_rtt_override(1, p, 3), 1);
	ATF_CHECK_EQ(relaysel_rtt_override(2, p, 3), 2);

	/* The pick did not answer: the fastest of the others. */
	p[0] = (struct relaysel_probe){ 1, 30000 };
	p[1] = (struct relaysel_probe){ 0, 0 };
	p[2] = (struct relaysel_probe){ 1, 25000 };
	ATF_CHECK_EQ(relaysel_rtt_override(1, p, 3), 2);
	/* A silent entry's rtt is not a time. */
	ATF_CHECK_EQ(relaysel_rtt_override(0, p, 3), 0);
	/* Equal times: the first. */
	p[2].rtt_us = 30000;
	ATF_CHECK_EQ(relaysel_rtt_override(1, p, 3), 0);

	/* Nobody answered: the hash pick. */
	memset(p, 0, sizeof(p));
	ATF_CHECK_EQ(relaysel_rtt_override(2, p, 3), 2);
	/* No list, and a huge time cannot overflow the product. */
	ATF_CHECK_EQ(relaysel_rtt_override(RELAYSEL_NONE, p, 0),
	    RELAYSEL_NONE);
	p[0] = (struct relaysel_probe){ 1, UINT32_MAX };
	p[1] = (struct relaysel_probe){ 1, UINT32_MAX / 2 + 1 };
	ATF_CHECK_EQ(relaysel_rtt_override(0, p, 2), 0);
	p[1].rtt_us = UINT32_MAX / 2;
	ATF_CHECK_EQ(relaysel_rtt_override(0, p, 2), 1);
}

ATF_TC_WITHOUT_HEAD(rtt_floor);
ATF_TC_BODY(rtt_floor, tc)
{
	struct relaysel_probe	 p[2];

	ATF_CHECK_EQ(RELAYSEL_RTT_FLOOR_US, 5000);
	/* 6x slower but 4.999 ms: jitter on a fast network, the pick stays. */
	p[0] = (struct relaysel_probe){ 1, 5999 };
	p[1] = (struct relaysel_probe){ 1, 1000 };
	ATF_CHECK_EQ(relaysel_rtt_override(0, p, 2), 0);
	/* 5 ms slower: the fastest. */
	p[0].rtt_us = 6000;
	ATF_CHECK_EQ(relaysel_rtt_override(0, p, 2), 1);
	/* Sub-millisecond times, as on a LAN: no override at all. */
	p[0] = (struct relaysel_probe){ 1, 900 };
	p[1] = (struct relaysel_probe){ 1, 100 };
	ATF_CHECK_EQ(relaysel_rtt_override(0, p, 2), 0);
	/* The floor does not replace the factor: 5 ms but not 2x. */
	p[0] = (struct relaysel_probe){ 1, 10000 };
	p[1] = (struct relaysel_probe){ 1, 5000 };
	ATF_CHECK_EQ(relaysel_rtt_override(0, p, 2), 0);
	p[0].rtt_us = 10001;
	ATF_CHECK_EQ(relaysel_rtt_override(0, p, 2), 1);
	/* A silent pick is overridden whatever the others' times. */
	p[0] = (struct relaysel_probe){ 0, 0 };
	p[1] = (struct relaysel_probe){ 1, 100 };
	ATF_CHECK_EQ(relaysel_rtt_override(0, p, 2), 1);
	/* A faster pick is never overridden. */
	p[0] = (struct relaysel_probe){ 1, 100 };
	p[1] = (struct relaysel_probe){ 1, 90000 };
	ATF_CHECK_EQ(relaysel_rtt_override(0, p, 2), 0);
}

static void
list_of(struct relaysel_list *l, const char **addrs, size_t n)
{
	size_t	 i;

	memset(l, 0, sizeof(*l));
	for (i = 0; i < n; i++)
		strlcpy(l->addrs[i], addrs[i], sizeof(l->addrs[i]));
	l->n = n;
}

ATF_TC_WITHOUT_HEAD(refresh_decision);
ATF_TC_BODY(refresh_decision, tc)
{
	static const char	*four[] = {
		"a.example.net:3478", "b.example.net:3478",
		"c.example.net:3478", "d.example.net:3478",
	};
	static const char	*two[] = {
		"a.example.net:3478", "c.example.net:3478",
	};
	struct relaysel_list	 l;
	const size_t		 klen = sizeof(key_seq);

	/* key_seq picks c of a b c (mod 3 = 2), b of four, c of two. */
	keys_init();
	list_of(&l, four, 3);
	ATF_CHECK_EQ(relaysel_refresh_decision(0, &l, four[0], four[2],
	    key_seq, klen), RELAYSEL_KEEP_LIST);
	/* Same hash pick, in use: keep. */
	ATF_CHECK_EQ(relaysel_refresh_decision(1, &l, four[2], four[2],
	    key_seq, klen), RELAYSEL_KEEP_PICK);
	/* An RTT override in use that is still listed survives. */
	ATF_CHECK_EQ(relaysel_refresh_decision(1, &l, four[0], four[2],
	    key_seq, klen), RELAYSEL_KEEP_PICK);
	/* d joined: the hash pick moved to b, though a is still listed. */
	list_of(&l, four, 4);
	ATF_CHECK_EQ(relaysel_refresh_decision(1, &l, four[0], four[2],
	    key_seq, klen), RELAYSEL_SWAP);
	/* b, in use, left; the hash pick is c as before. */
	list_of(&l, two, 2);
	ATF_CHECK_EQ(relaysel_refresh_decision(1, &l, four[1], two[1],
	    key_seq, klen), RELAYSEL_SWAP);
	/* The new pick is the old one, written in another case. */
	ATF_CHECK_EQ(relaysel_refresh_decision(1, &l, two[1],
	    "C.EXAMPLE.NET:3478", key_seq, klen), RELAYSEL_KEEP_PICK);
	/* From no relay to some, and from some to none. */
	ATF_CHECK_EQ(relaysel_refresh_decision(1, &l, "", "", key_seq, klen),
	    RELAYSEL_SWAP);
	list_of(&l, NULL, 0);
	ATF_CHECK_EQ(relaysel_refresh_decision(1, &l, two[1], two[1],
	    key_seq, klen), RELAYSEL_SWAP);
	ATF_CHECK_EQ(relaysel_refresh_decision(1, &l, "", "", key_seq, klen),
	    RELAYSEL_KEEP_PICK);
	ATF_CHECK_EQ(relaysel_refresh_decision(0, &l, two[1], two[1],
	    key_seq, klen), RELAYSEL_KEEP_LIST);
}

ATF_TC_WITHOUT_HEAD(first_delay);
ATF_TC_BODY(first_delay, tc)
{
	ATF_CHECK_EQ(relaysel_first_delay_ms(0), 0);
	ATF_CHECK_EQ(relaysel_first_delay_ms(9999), 9999);
	ATF_CHECK_EQ(relaysel_first_delay_ms(10000), 0);
	ATF_CHECK_EQ(relaysel_first_delay_ms(12345), 2345);
	/* 4294967295 = 429496 * 10000 + 7295 */
	ATF_CHECK_EQ(relaysel_first_delay_ms(UINT32_MAX), 7295);
	ATF_CHECK(relaysel_first_delay_ms(UINT32_MAX - 7296) <
	    RELAYSEL_FIRST_DELAY_MS);
	ATF_CHECK_EQ(RELAYSEL_REFRESH_SEC, 60);
	ATF_CHECK_EQ(RELAYSEL_RTT_FACTOR, 2);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, merge_order);
	ATF_TP_ADD_TC(tp, merge_filter);
	ATF_TP_ADD_TC(tp, merge_caps);
	ATF_TP_ADD_TC(tp, resolved_filter);
	ATF_TP_ADD_TC(tp, fnv32a_vectors);
	ATF_TP_ADD_TC(tp, pick);
	ATF_TP_ADD_TC(tp, rtt_override);
	ATF_TP_ADD_TC(tp, rtt_floor);
	ATF_TP_ADD_TC(tp, refresh_decision);
	ATF_TP_ADD_TC(tp, first_delay);
	return atf_no_error();
}
