/* Unit tests of lib/icemsg.c: round trips, malformed input, the size cap. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "icemsg.h"

#define ERRLEN		256
#define UFRAG		"abcd"
#define PWD		"0123456789abcdefghij+/"	/* 22 ice-chars */
#define HOST(addr)	"{\"foundation\":\"H0\",\"priority\":2130706431," \
			    "\"type\":\"host\",\"address\":\"" addr "\"," \
			    "\"port\":51820}"
#define OFFER(cands)	"{\"type\":\"offer\",\"ufrag\":\"" UFRAG "\"," \
			    "\"pwd\":\"" PWD "\",\"candidates\":[" cands "]}"

static void	 fill(struct icemsg *, enum icemsg_type, size_t, int);
static void	 round_trip(const struct icemsg *);
static void	 check_error(const char *, const char *);

/* n candidates, each at its longest if big. */
static void
fill(struct icemsg *m, enum icemsg_type type, size_t n, int big)
{
	static const enum icemsg_cand_type types[] = { ICEMSG_HOST,
	    ICEMSG_SRFLX, ICEMSG_PRFLX, ICEMSG_RELAY };
	size_t	 i;

	memset(m, 0, sizeof(*m));
	m->type = type;
	memset(m->ufrag, 'u', big ? ICEMSG_UFRAG_MAX - 1 : ICEMSG_UFRAG_MIN);
	memset(m->pwd, '/', big ? ICEMSG_PWD_MAX - 1 : ICEMSG_PWD_MIN);
	m->has_tie_breaker = 1;
	m->tie_breaker = 0xfedcba9876543210ULL;
	m->ncands = n;
	for (i = 0; i < n; i++) {
		memset(m->cands[i].foundation, '+',
		    big ? ICEMSG_FOUNDATION_MAX - 1 : 1 + i % 3);
		m->cands[i].priority = big ? 4294967295U : 1 + i;
		m->cands[i].type = types[i % 4];
		m->cands[i].addr.sin6_family = AF_INET6;
		m->cands[i].addr.sin6_port = htons(big ? 65535 : 1000 + i);
		if (i % 2 == 0 || big) {
			/* Longest IPv6 text inet_ntop writes: 39 bytes. */
			memset(&m->cands[i].addr.sin6_addr, 0xfe, 16);
		} else {
			ATF_REQUIRE(inet_pton(AF_INET6, "::ffff:192.0.2.1",
			    &m->cands[i].addr.sin6_addr) == 1);
		}
	}
}

static void
round_trip(const struct icemsg *m)
{
	struct icemsg	 out;
	char		 err[ERRLEN], *text;
	size_t		 len, i;

	ATF_REQUIRE((text = icemsg_encode(m, &len)) != NULL);
	ATF_CHECK(len <= ICEMSG_MAX);
	ATF_REQUIRE_MSG(icemsg_parse(text, len, &out, err, sizeof(err)) == 0,
	    "%s: %s", err, text);
	ATF_CHECK_EQ(out.type, m->type);
	if (m->type != ICEMSG_GO_IDLE)
		ATF_CHECK_STREQ(out.ufrag, m->ufrag);
	if (m->type == ICEMSG_OFFER || m->type == ICEMSG_ANSWER) {
		ATF_CHECK_STREQ(out.pwd, m->pwd);
		ATF_CHECK_EQ(out.has_tie_breaker, 1);
		ATF_CHECK(out.tie_breaker == m->tie_breaker);
	}
	ATF_REQUIRE_EQ(out.ncands, m->type == ICEMSG_GO_IDLE ? 0 : m->ncands);
	for (i = 0; i < out.ncands; i++) {
		ATF_CHECK_STREQ(out.cands[i].foundation,
		    m->cands[i].foundation);
		ATF_CHECK_EQ(out.cands[i].priority, m->cands[i].priority);
		ATF_CHECK_EQ(out.cands[i].type, m->cands[i].type);
		ATF_CHECK_EQ(out.cands[i].addr.sin6_port,
		    m->cands[i].addr.sin6_port);
		ATF_CHECK(memcmp(&out.cands[i].addr.sin6_addr,
		    &m->cands[i].addr.sin6_addr, 16) == 0);
	}
	free(text);
}

static void
check_error(const char *text, const char *want)
{
	struct icemsg	 m;
	char		 err[ERRLEN];

	ATF_CHECK_EQ_MSG(icemsg_parse(text, strlen(text), &m, err,
	    sizeof(err)), -1, "accepted: %s", text);
	ATF_CHECK_STREQ_MSG(err, want, "for %s", text);
}

ATF_TC_WITHOUT_HEAD(round_trip_kinds);
ATF_TC_BODY(round_trip_kinds, tc)
{
	struct icemsg	 m;

	fill(&m, ICEMSG_OFFER, 3, 0);
	round_trip(&m);
	fill(&m, ICEMSG_ANSWER, 4, 0);
	round_trip(&m);
	fill(&m, ICEMSG_ANSWER, 0, 0);
	round_trip(&m);
	fill(&m, ICEMSG_CANDIDATE, 1, 0);
	round_trip(&m);
	fill(&m, ICEMSG_GO_IDLE, 0, 0);
	round_trip(&m);
}

ATF_TC_WITHOUT_HEAD(parse_text);
ATF_TC_BODY(parse_text, tc)
{
	struct icemsg	 m;
	char		 err[ERRLEN];
	const char	*text = OFFER(HOST("192.0.2.7") "," HOST("2001:db8::1"));
	uint8_t		 v4mapped[16] = { [10] = 0xff, [11] = 0xff,
	    [12] = 192, [13] = 0, [14] = 2, [15] = 7 };

	ATF_REQUIRE_MSG(icemsg_parse(text, strlen(text), &m, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_CHECK_EQ(m.type, ICEMSG_OFFER);
	ATF_CHECK_STREQ(m.ufrag, UFRAG);
	ATF_CHECK_STREQ(m.pwd, PWD);
	ATF_CHECK_EQ(m.has_tie_breaker, 0);
	ATF_REQUIRE_EQ(m.ncands, 2);
	ATF_CHECK_EQ(m.cands[0].priority, 2130706431U);
	ATF_CHECK_EQ(m.cands[0].type, ICEMSG_HOST);
	ATF_CHECK_EQ(ntohs(m.cands[0].addr.sin6_port), 51820);
	ATF_CHECK(memcmp(&m.cands[0].addr.sin6_addr, v4mapped, 16) == 0);
	ATF_CHECK_EQ(m.cands[1].addr.sin6_addr.s6_addr[0], 0x20);

	text = "{\"type\":\"go-idle\"}";
	ATF_REQUIRE(icemsg_parse(text, strlen(text), &m, err,
	    sizeof(err)) == 0);
	ATF_CHECK_EQ(m.type, ICEMSG_GO_IDLE);

	/* Unknown members are a newer peer's, and ignored. */
	text = "{\"type\":\"candidate\",\"ufrag\":\"" UFRAG "\",\"x\":[1],"
	    "\"candidates\":[{\"foundation\":\"a\",\"priority\":1,"
	    "\"type\":\"relay\",\"address\":\"10.0.0.1\",\"port\":1,"
	    "\"related\":\"y\"}]}";
	ATF_REQUIRE_MSG(icemsg_parse(text, strlen(text), &m, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_CHECK_EQ(m.cands[0].type, ICEMSG_RELAY);
}

static const struct {
	const char	*text;
	const char	*err;
} malformed[] = {
	{ "[]", "message: not a JSON object" },
	{ "{\"type\":\"hello\"}", "type: unknown message type \"hello\"" },
	{ "{\"type\":\"offer\",\"pwd\":\"" PWD "\",\"candidates\":[]}",
	    "missing field: ufrag" },
	{ "{\"type\":\"offer\",\"ufrag\":\"abc\",\"pwd\":\"" PWD "\","
	    "\"candidates\":[]}", "ufrag: shorter than 4 characters" },
	{ "{\"type\":\"offer\",\"ufrag\":\"ab-d\",\"pwd\":\"" PWD "\","
	    "\"candidates\":[]}",
	    "ufrag: invalid character, want A-Z a-z 0-9 + /" },
	{ "{\"type\":\"offer\",\"ufrag\":\"" UFRAG "\",\"ufrag\":\"" UFRAG
	    "\",\"pwd\":\"" PWD "\",\"candidates\":[]}",
	    "ufrag: duplicate field" },
	{ "{\"type\":\"answer\",\"ufrag\":\"" UFRAG "\","
	    "\"candidates\":[]}", "missing field: pwd" },
	{ "{\"type\":\"answer\",\"ufrag\":\"" UFRAG "\",\"pwd\":\"short\","
	    "\"candidates\":[]}", "pwd: shorter than 22 characters" },
	{ "{\"type\":\"answer\",\"ufrag\":\"" UFRAG "\",\"pwd\":7,"
	    "\"candidates\":[]}", "pwd: not a string" },
	{ "{\"type\":\"offer\",\"ufrag\":\"" UFRAG "\",\"pwd\":\"" PWD "\"}",
	    "missing field: candidates" },
	{ "{\"type\":\"offer\",\"ufrag\":\"" UFRAG "\",\"pwd\":\"" PWD "\","
	    "\"candidates\":{}}", "candidates: not an array" },
	{ "{\"type\":\"candidate\",\"ufrag\":\"" UFRAG "\","
	    "\"candidates\":[]}", "candidates: 0 entries, at least 1" },
	{ "{\"type\":\"offer\",\"ufrag\":\"" UFRAG "\",\"pwd\":\"" PWD "\","
	    "\"candidates\":[],\"tie_breaker\":\"12\"}",
	    "tie_breaker: not 16 hex digits" },
	{ "{\"type\":\"offer\",\"ufrag\":\"" UFRAG "\",\"pwd\":\"" PWD "\","
	    "\"candidates\":[],\"tie_breaker\":\"0123456789abcdeg\"}",
	    "tie_breaker: not 16 hex digits" },
	{ OFFER("7"), "candidates[0]: not an object" },
	{ OFFER("{\"priority\":1,\"type\":\"host\",\"address\":\"10.0.0.1\","
	    "\"port\":1}"), "missing field: candidates[0].foundation" },
	{ OFFER(HOST("10.0.0.1") ",{\"foundation\":\"\",\"priority\":1,"
	    "\"type\":\"host\",\"address\":\"10.0.0.1\",\"port\":1}"),
	    "candidates[1].foundation: empty" },
	{ OFFER("{\"foundation\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\","
	    "\"priority\":1,\"type\":\"host\",\"address\":\"10.0.0.1\","
	    "\"port\":1}"), "candidates[0].foundation: longer than 32 bytes" },
	{ OFFER("{\"foundation\":\"a\",\"priority\":0,\"type\":\"host\","
	    "\"address\":\"10.0.0.1\",\"port\":1}"),
	    "candidates[0].priority: not an integer in 1..4294967295" },
	{ OFFER("{\"foundation\":\"a\",\"priority\":4294967296,"
	    "\"type\":\"host\",\"address\":\"10.0.0.1\",\"port\":1}"),
	    "candidates[0].priority: not an integer in 1..4294967295" },
	{ OFFER("{\"foundation\":\"a\",\"priority\":1.5,\"type\":\"host\","
	    "\"address\":\"10.0.0.1\",\"port\":1}"),
	    "candidates[0].priority: not an integer in 1..4294967295" },
	{ OFFER("{\"foundation\":\"a\",\"priority\":1,\"type\":\"turn\","
	    "\"address\":\"10.0.0.1\",\"port\":1}"),
	    "candidates[0].type: not host, srflx, prflx or relay" },
	{ OFFER("{\"foundation\":\"a\",\"priority\":1,\"address\":"
	    "\"10.0.0.1\",\"port\":1}"), "missing field: candidates[0].type" },
	{ OFFER("{\"foundation\":\"a\",\"priority\":1,\"type\":\"host\","
	    "\"address\":\"example.org\",\"port\":1}"),
	    "candidates[0].address: not an IPv4 or IPv6 address" },
	{ OFFER("{\"foundation\":\"a\",\"priority\":1,\"type\":\"host\","
	    "\"address\":\"fe80::1%eth0\",\"port\":1}"),
	    "candidates[0].address: not an IPv4 or IPv6 address" },
	{ OFFER(HOST("0.0.0.0")),
	    "candidates[0].address: not a unicast address" },
	{ OFFER(HOST("224.0.0.1")),
	    "candidates[0].address: not a unicast address" },
	{ OFFER(HOST("255.255.255.255")),
	    "candidates[0].address: not a unicast address" },
	{ OFFER(HOST("::")), "candidates[0].address: not a unicast address" },
	{ OFFER(HOST("ff02::1")),
	    "candidates[0].address: not a unicast address" },
	{ OFFER("{\"foundation\":\"a\",\"priority\":1,\"type\":\"host\","
	    "\"address\":\"10.0.0.1\",\"port\":0}"),
	    "candidates[0].port: not an integer in 1..65535" },
	{ OFFER("{\"foundation\":\"a\",\"priority\":1,\"type\":\"host\","
	    "\"address\":\"10.0.0.1\",\"port\":65536}"),
	    "candidates[0].port: not an integer in 1..65535" },
	{ "{\"type\":\"go-idle\"} x", "not JSON: parse error: trailing garbage" },
	{ "{\"type\":\"go-idle\" /* c */}", "not JSON: comment at offset 18" },
	{ "{\"type\":\"offer\",\"ufrag\":\"ab\\u0000cd\"}",
	    "string with a NUL character at offset 27" },
};

ATF_TC_WITHOUT_HEAD(malformed);
ATF_TC_BODY(malformed, tc)
{
	size_t	 i;

	for (i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++)
		check_error(malformed[i].text, malformed[i].err);
}

/* 20 candidates at their longest fit a signal box; 21 are refused. */
ATF_TC_WITHOUT_HEAD(cands_max);
ATF_TC_BODY(cands_max, tc)
{
	struct icemsg	 m;
	char		 err[ERRLEN], *text, *big, want[ERRLEN];
	size_t		 len, i;
	int		 n;

	fill(&m, ICEMSG_OFFER, ICEMSG_CANDS_MAX, 1);
	round_trip(&m);
	ATF_REQUIRE((text = icemsg_encode(&m, &len)) != NULL);
	ATF_CHECK_MSG(len + SEAL_OVERHEAD <= SIGMSG_BOX_MAX, "%zu bytes", len);
	free(text);

	m.ncands = ICEMSG_CANDS_MAX + 1;
	ATF_CHECK(icemsg_encode(&m, &len) == NULL);

	/* 21 small candidates as text: the parser counts them. */
	ATF_REQUIRE((big = malloc(ICEMSG_MAX)) != NULL);
	n = snprintf(big, ICEMSG_MAX, "{\"type\":\"offer\",\"ufrag\":\"" UFRAG
	    "\",\"pwd\":\"" PWD "\",\"candidates\":[");
	for (i = 0; i <= ICEMSG_CANDS_MAX; i++)
		n += snprintf(big + n, ICEMSG_MAX - n, "%s" HOST("10.0.0.1"),
		    i ? "," : "");
	n += snprintf(big + n, ICEMSG_MAX - n, "]}");
	ATF_REQUIRE(n < ICEMSG_MAX);
	ATF_CHECK_EQ(icemsg_parse(big, n, &m, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "candidates: more than %d entries",
	    ICEMSG_CANDS_MAX);
	ATF_CHECK_STREQ(err, want);
	free(big);
}

ATF_TC_WITHOUT_HEAD(oversize);
ATF_TC_BODY(oversize, tc)
{
	struct icemsg	 m;
	char		*text, err[ERRLEN], want[ERRLEN];

	ATF_REQUIRE((text = malloc(ICEMSG_MAX + 1)) != NULL);
	memset(text, ' ', ICEMSG_MAX + 1);
	ATF_CHECK_EQ(icemsg_parse(text, ICEMSG_MAX + 1, &m, err, sizeof(err)),
	    -1);
	snprintf(want, sizeof(want), "message too large: %d bytes, at most %d",
	    ICEMSG_MAX + 1, ICEMSG_MAX);
	ATF_CHECK_STREQ(err, want);
	free(text);
}

/* What would not parse is not sent. */
ATF_TC_WITHOUT_HEAD(encode_refuses);
ATF_TC_BODY(encode_refuses, tc)
{
	struct icemsg	 m;
	size_t		 len;

	fill(&m, ICEMSG_OFFER, 1, 0);
	strlcpy(m.ufrag, "a:b!", sizeof(m.ufrag));
	ATF_CHECK(icemsg_encode(&m, &len) == NULL);
	fill(&m, ICEMSG_OFFER, 1, 0);
	m.pwd[3] = '\0';
	ATF_CHECK(icemsg_encode(&m, &len) == NULL);
	fill(&m, ICEMSG_OFFER, 1, 0);
	m.cands[0].type = 0;
	ATF_CHECK(icemsg_encode(&m, &len) == NULL);
	fill(&m, ICEMSG_OFFER, 1, 0);
	m.cands[0].addr.sin6_port = 0;
	ATF_CHECK(icemsg_encode(&m, &len) == NULL);
	m.type = 0;
	ATF_CHECK(icemsg_encode(&m, &len) == NULL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, round_trip_kinds);
	ATF_TP_ADD_TC(tp, parse_text);
	ATF_TP_ADD_TC(tp, malformed);
	ATF_TP_ADD_TC(tp, cands_max);
	ATF_TP_ADD_TC(tp, oversize);
	ATF_TP_ADD_TC(tp, encode_refuses);
	return atf_no_error();
}
