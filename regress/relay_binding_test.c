/*
 * Unit tests of tern-relay's Binding answer (relay/binding.c) and rate
 * table (relay/ratelimit.c): request bytes and a source in, answer bytes
 * or nothing out, checked with lib/stun.c's parser.
 */
#include <sys/socket.h>
#include <sys/un.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include <atf-c.h>

#include "addr.h"
#include "relay/relay.h"
#include "stun.h"

#define ANSWER_V4_LEN	40	/* header 20, XOR-MAPPED-ADDRESS 12, FP 8 */
#define ANSWER_V6_LEN	52	/* header 20, XOR-MAPPED-ADDRESS 24, FP 8 */
#define CLASSIC_MIN_LEN	20	/* RFC 3489 11.1: a header, no attributes */
#define CLASSIC_FLAGS	27	/* the last byte of classic_req */
#define SHARED_SECRET	0x002	/* RFC 3489 section 11.1: a method */
#define BUF_LEN		512
#define TABLE_LEN	(1 << 20)	/* test sources do not collide */

static const uint8_t	 tid[STUN_TID_LEN] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12
};
static const uint8_t	 hkey[RELAY_HASH_KEY_LEN] = { 42 };

/* RFC 3489 Binding request as Debian's stun sends it: no cookie. */
static const uint8_t	 classic_req[] = {
	0x00, 0x01, 0x00, 0x08,				/* Binding, 8 bytes */
	0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,	/* 16-byte id */
	0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
	0x00, 0x03, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00,	/* CHANGE-REQUEST 0 */
};

/* RFC 8489 11.2: the id echoed, MAPPED-ADDRESS 198.51.100.7:54321. */
static const uint8_t	 classic_ans_v4[] = {
	0x01, 0x01, 0x00, 0x0c,				/* success, 12 */
	0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
	0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
	0x00, 0x01, 0x00, 0x08, 0x00, 0x01, 0xd4, 0x31,	/* IPv4, port */
	0xc6, 0x33, 0x64, 0x07,
};

/* MAPPED-ADDRESS [2001:db8::1:2:3]:3479, no FINGERPRINT. */
static const uint8_t	 classic_ans_v6[] = {
	0x01, 0x01, 0x00, 0x18,				/* success, 24 */
	0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
	0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
	0x00, 0x01, 0x00, 0x14, 0x00, 0x02, 0x0d, 0x97,	/* IPv6, port */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x03,
};

static void	 v4(struct sockaddr_in *, const char *, uint16_t);
static void	 v6(struct sockaddr_in6 *, const char *, uint16_t);
static size_t	 request(uint8_t *, uint16_t, int);
static void	 check_answer(const uint8_t *, size_t, const struct sockaddr *,
		    size_t);
static void	 check_none(const char *, const uint8_t *, size_t);
static void	 check_classic(const uint8_t *, size_t, const struct sockaddr *,
		    const uint8_t *, size_t);
static size_t	 classic(uint8_t *, uint16_t, uint8_t);

static void
v4(struct sockaddr_in *sin, const char *a, uint16_t port)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	ATF_REQUIRE(inet_pton(AF_INET, a, &sin->sin_addr) == 1);
}

static void
v6(struct sockaddr_in6 *sin6, const char *a, uint16_t port)
{
	memset(sin6, 0, sizeof(*sin6));
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	ATF_REQUIRE(inet_pton(AF_INET6, a, &sin6->sin6_addr) == 1);
}

/* A message of this type, with a FINGERPRINT if fp; returns its length. */
static size_t
request(uint8_t *buf, uint16_t type, int fp)
{
	struct stun_builder	 b;

	ATF_REQUIRE(stun_build_init(&b, buf, BUF_LEN, type, tid) == 0);
	if (fp)
		ATF_REQUIRE(stun_add_fingerprint(&b) == 0);
	return stun_build_len(&b);
}

/* The answer is a Binding success with our tid, address and FINGERPRINT. */
static void
check_answer(const uint8_t *req, size_t len, const struct sockaddr *from,
    size_t want_len)
{
	uint8_t		 out[BUF_LEN];
	struct stun_msg	 m;
	size_t		 n;

	n = relay_binding_answer(req, len, from, out, sizeof(out));
	ATF_REQUIRE_EQ(n, want_len);
	ATF_CHECK(n <= len + RELAY_GROWTH_MAX);
	ATF_CHECK(n <= RELAY_ANSWER_MAX);
	ATF_REQUIRE(stun_parse(out, n, &m) == 0);
	ATF_CHECK_EQ(m.type, stun_type(STUN_BINDING, STUN_SUCCESS));
	ATF_CHECK(memcmp(m.tid, tid, sizeof(tid)) == 0);
	ATF_CHECK_EQ(m.has, STUN_HAS_XOR_MAPPED | STUN_HAS_FINGERPRINT);
	ATF_CHECK(sockaddr_cmp((struct sockaddr *)&m.xor_mapped, from) == 0);
	ATF_CHECK(stun_check_fingerprint(&m) == 0);
}

static void
check_none(const char *what, const uint8_t *req, size_t len)
{
	struct sockaddr_in	 sin;
	uint8_t			 out[BUF_LEN];

	v4(&sin, "192.0.2.1", 4000);
	ATF_CHECK_EQ_MSG(relay_binding_answer(req, len,
	    (struct sockaddr *)&sin, out, sizeof(out)), 0, "%s answered", what);
}

/* The answer to a classic request, byte for byte, within the bound. */
static void
check_classic(const uint8_t *req, size_t len, const struct sockaddr *from,
    const uint8_t *want, size_t want_len)
{
	uint8_t		 out[BUF_LEN];
	size_t		 n;

	n = relay_binding_answer(req, len, from, out, sizeof(out));
	ATF_REQUIRE_EQ(n, want_len);
	ATF_CHECK(memcmp(out, want, n) == 0);
	ATF_CHECK(n <= len + RELAY_GROWTH_MAX);
	ATF_CHECK(n <= RELAY_ANSWER_MAX);
}

/* classic_req of this type and CHANGE-REQUEST flags; returns its length. */
static size_t
classic(uint8_t *buf, uint16_t type, uint8_t flags)
{
	memcpy(buf, classic_req, sizeof(classic_req));
	buf[0] = type >> 8;
	buf[1] = type & 0xff;
	buf[CLASSIC_FLAGS] = flags;
	return sizeof(classic_req);
}

ATF_TC_WITHOUT_HEAD(answer_v4);
ATF_TC_BODY(answer_v4, tc)
{
	struct sockaddr_in	 sin;
	uint8_t			 req[BUF_LEN];
	size_t			 len;

	v4(&sin, "198.51.100.7", 54321);
	len = request(req, stun_type(STUN_BINDING, STUN_REQUEST), 0);
	ATF_CHECK_EQ(len, STUN_HDR_LEN);
	check_answer(req, len, (struct sockaddr *)&sin, ANSWER_V4_LEN);
	len = request(req, stun_type(STUN_BINDING, STUN_REQUEST), 1);
	check_answer(req, len, (struct sockaddr *)&sin, ANSWER_V4_LEN);
}

ATF_TC_WITHOUT_HEAD(answer_v6);
ATF_TC_BODY(answer_v6, tc)
{
	struct sockaddr_in6	 sin6;
	uint8_t			 req[BUF_LEN];
	size_t			 len;

	v6(&sin6, "2001:db8::1:2:3", 3479);
	len = request(req, stun_type(STUN_BINDING, STUN_REQUEST), 0);
	check_answer(req, len, (struct sockaddr *)&sin6, ANSWER_V6_LEN);
	len = request(req, stun_type(STUN_BINDING, STUN_REQUEST), 1);
	check_answer(req, len, (struct sockaddr *)&sin6, ANSWER_V6_LEN);
}

/* Known attributes of a request are ignored; the answer stays the same. */
ATF_TC_WITHOUT_HEAD(answer_ignores_attributes);
ATF_TC_BODY(answer_ignores_attributes, tc)
{
	struct stun_builder	 b;
	struct sockaddr_in	 sin;
	uint8_t			 req[BUF_LEN];

	v4(&sin, "203.0.113.9", 1);
	ATF_REQUIRE(stun_build_init(&b, req, sizeof(req),
	    stun_type(STUN_BINDING, STUN_REQUEST), tid) == 0);
	ATF_REQUIRE(stun_add_bytes(&b, STUN_ATTR_SOFTWARE, "client", 6) == 0);
	ATF_REQUIRE(stun_add_bytes(&b, 0x8055, "x", 1) == 0);
	ATF_REQUIRE(stun_add_fingerprint(&b) == 0);
	check_answer(req, stun_build_len(&b), (struct sockaddr *)&sin,
	    ANSWER_V4_LEN);
}

ATF_TC_WITHOUT_HEAD(no_answer_malformed);
ATF_TC_BODY(no_answer_malformed, tc)
{
	uint8_t		 req[BUF_LEN], ok[BUF_LEN];
	size_t		 len;

	len = request(ok, stun_type(STUN_BINDING, STUN_REQUEST), 1);
	check_none("empty", ok, 0);
	check_none("short header", ok, STUN_HDR_LEN - 1);
	check_none("truncated", ok, len - 4);

	memcpy(req, ok, len);
	req[3] += 4;
	check_none("length too large", req, len);
	memcpy(req, ok, len);
	req[3] -= 1;
	check_none("length not a multiple of 4", req, len - 1);
	memcpy(req, ok, len);
	req[4] ^= 0x01;
	check_none("cookie changed under FINGERPRINT", req, len);
	memcpy(req, ok, len);
	req[0] |= 0xc0;
	check_none("reserved type bits", req, len);
	memcpy(req, ok, len);
	req[STUN_HDR_LEN + 3] = 8;
	check_none("attribute overruns", req, len);
	memcpy(req, ok, len);
	req[len - 1] ^= 0xff;
	check_none("bad fingerprint", req, len);
	memcpy(req, ok, len);
	req[8] ^= 0xff;
	check_none("fingerprint of other bytes", req, len);
}

ATF_TC_WITHOUT_HEAD(no_answer_attributes);
ATF_TC_BODY(no_answer_attributes, tc)
{
	struct stun_builder	 b;
	uint8_t			 req[BUF_LEN], zero[4] = { 0 };

	/* RFC 3489 RESPONSE-ADDRESS: comprehension-required, unknown to us. */
	ATF_REQUIRE(stun_build_init(&b, req, sizeof(req),
	    stun_type(STUN_BINDING, STUN_REQUEST), tid) == 0);
	ATF_REQUIRE(stun_add_bytes(&b, 0x0002, zero, sizeof(zero)) == 0);
	check_none("unknown required attribute", req, stun_build_len(&b));

	/* An attribute after FINGERPRINT. */
	ATF_REQUIRE(stun_build_init(&b, req, sizeof(req),
	    stun_type(STUN_BINDING, STUN_REQUEST), tid) == 0);
	ATF_REQUIRE(stun_add_fingerprint(&b) == 0);
	memcpy(req + stun_build_len(&b), "\x80\x22\x00\x00", 4);
	req[3] += 4;
	check_none("attribute after fingerprint", req, stun_build_len(&b) + 4);
}

ATF_TC_WITHOUT_HEAD(no_answer_not_request);
ATF_TC_BODY(no_answer_not_request, tc)
{
	struct sockaddr_un	 sun;
	uint8_t			 req[BUF_LEN], out[BUF_LEN];
	size_t			 len;

	len = request(req, stun_type(STUN_BINDING, STUN_INDICATION), 1);
	check_none("indication", req, len);
	len = request(req, stun_type(STUN_BINDING, STUN_SUCCESS), 1);
	check_none("success answer", req, len);
	len = request(req, stun_type(STUN_BINDING, STUN_ERROR), 1);
	check_none("error answer", req, len);
	len = request(req, stun_type(STUN_ALLOCATE, STUN_REQUEST), 1);
	check_none("allocate", req, len);
	len = request(req, stun_type(STUN_REFRESH, STUN_REQUEST), 0);
	check_none("refresh", req, len);

	/* Not a datagram from the network: no address to map. */
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	len = request(req, stun_type(STUN_BINDING, STUN_REQUEST), 0);
	ATF_CHECK_EQ(relay_binding_answer(req, len, (struct sockaddr *)&sun,
	    out, sizeof(out)), 0);
}

/* Room for the answer is checked, never overrun. */
ATF_TC_WITHOUT_HEAD(answer_room);
ATF_TC_BODY(answer_room, tc)
{
	struct sockaddr_in6	 sin6;
	uint8_t			 req[BUF_LEN], out[BUF_LEN];
	size_t			 len;

	v6(&sin6, "2001:db8::1", 1);
	len = request(req, stun_type(STUN_BINDING, STUN_REQUEST), 0);
	memset(out, 0xee, sizeof(out));
	ATF_CHECK_EQ(relay_binding_answer(req, len, (struct sockaddr *)&sin6,
	    out, ANSWER_V6_LEN - 1), 0);
	ATF_CHECK_EQ(out[ANSWER_V6_LEN - 1], 0xee);
	ATF_CHECK_EQ(relay_binding_answer(req, len, (struct sockaddr *)&sin6,
	    out, RELAY_ANSWER_MAX), ANSWER_V6_LEN);
	ATF_CHECK_EQ(RELAY_ANSWER_MAX, ANSWER_V6_LEN);
}

/* RFC 3489 clients: 16-byte id echoed, MAPPED-ADDRESS, no FINGERPRINT. */
ATF_TC_WITHOUT_HEAD(classic_answer);
ATF_TC_BODY(classic_answer, tc)
{
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;
	uint8_t			 bare[CLASSIC_MIN_LEN];

	v4(&sin, "198.51.100.7", 54321);
	v6(&sin6, "2001:db8::1:2:3", 3479);
	/* The smallest classic request: the header alone. */
	memcpy(bare, classic_req, sizeof(bare));
	bare[3] = 0;

	check_classic(classic_req, sizeof(classic_req),
	    (struct sockaddr *)&sin, classic_ans_v4, sizeof(classic_ans_v4));
	check_classic(bare, sizeof(bare), (struct sockaddr *)&sin,
	    classic_ans_v4, sizeof(classic_ans_v4));
	check_classic(classic_req, sizeof(classic_req),
	    (struct sockaddr *)&sin6, classic_ans_v6, sizeof(classic_ans_v6));
	/* The most an answer grows: IPv6, to the smallest request. */
	check_classic(bare, sizeof(bare), (struct sockaddr *)&sin6,
	    classic_ans_v6, sizeof(classic_ans_v6));
}

/* Room for the classic answer is checked too. */
ATF_TC_WITHOUT_HEAD(classic_room);
ATF_TC_BODY(classic_room, tc)
{
	struct sockaddr_in6	 sin6;
	uint8_t			 out[BUF_LEN];

	v6(&sin6, "2001:db8::1:2:3", 3479);
	memset(out, 0xee, sizeof(out));
	ATF_CHECK_EQ(relay_binding_answer(classic_req, sizeof(classic_req),
	    (struct sockaddr *)&sin6, out, sizeof(classic_ans_v6) - 1), 0);
	ATF_CHECK_EQ(out[sizeof(classic_ans_v6) - 1], 0xee);
	ATF_CHECK(sizeof(classic_ans_v6) <= RELAY_ANSWER_MAX);
	ATF_CHECK(sizeof(classic_ans_v6) - CLASSIC_MIN_LEN <= RELAY_GROWTH_MAX);
}

/* One address: a change of IP or port is not answered, classic or not. */
ATF_TC_WITHOUT_HEAD(change_request);
ATF_TC_BODY(change_request, tc)
{
	struct stun_builder	 b;
	struct sockaddr_in	 sin;
	uint8_t			 req[BUF_LEN];
	uint16_t		 binding;
	static const uint8_t	 refused[] = {
		STUN_CHANGE_IP, STUN_CHANGE_PORT,
		STUN_CHANGE_IP | STUN_CHANGE_PORT,
	};
	size_t			 i;

	v4(&sin, "198.51.100.7", 54321);
	binding = stun_type(STUN_BINDING, STUN_REQUEST);
	check_classic(req, classic(req, binding, 0), (struct sockaddr *)&sin,
	    classic_ans_v4, sizeof(classic_ans_v4));
	ATF_REQUIRE(stun_build_init(&b, req, sizeof(req), binding, tid) == 0);
	ATF_REQUIRE(stun_add_u32(&b, STUN_ATTR_CHANGE_REQUEST, 0) == 0);
	ATF_REQUIRE(stun_add_fingerprint(&b) == 0);
	check_answer(req, stun_build_len(&b), (struct sockaddr *)&sin,
	    ANSWER_V4_LEN);

	for (i = 0; i < sizeof(refused); i++) {
		check_none("classic change", req,
		    classic(req, binding, refused[i]));
		ATF_REQUIRE(stun_build_init(&b, req, sizeof(req), binding,
		    tid) == 0);
		ATF_REQUIRE(stun_add_u32(&b, STUN_ATTR_CHANGE_REQUEST,
		    refused[i]) == 0);
		check_none("change", req, stun_build_len(&b));
	}
}

/* Only a Binding request may be classic. */
ATF_TC_WITHOUT_HEAD(classic_not_binding);
ATF_TC_BODY(classic_not_binding, tc)
{
	uint8_t			 req[BUF_LEN];
	size_t			 i;
	static const struct {
		const char	*what;
		uint16_t	 method;
		uint16_t	 class;
	} types[] = {
		{ "classic success", STUN_BINDING, STUN_SUCCESS },
		{ "classic error", STUN_BINDING, STUN_ERROR },
		{ "classic indication", STUN_BINDING, STUN_INDICATION },
		{ "classic shared secret", SHARED_SECRET, STUN_REQUEST },
		{ "classic allocate", STUN_ALLOCATE, STUN_REQUEST },
		{ "classic refresh", STUN_REFRESH, STUN_REQUEST },
	};

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		check_none(types[i].what, req, classic(req,
		    stun_type(types[i].method, types[i].class), 0));
}

ATF_TC_WITHOUT_HEAD(classic_malformed);
ATF_TC_BODY(classic_malformed, tc)
{
	uint8_t		 req[BUF_LEN];
	size_t		 len = sizeof(classic_req);
	uint16_t	 binding;

	binding = stun_type(STUN_BINDING, STUN_REQUEST);
	check_none("classic short header", classic_req, CLASSIC_MIN_LEN - 1);
	check_none("classic truncated", classic_req, len - 4);

	classic(req, binding, 0);
	memset(req + len, 0, 4);
	check_none("classic trailing garbage", req, len + 4);
	req[3] += 4;
	check_none("classic length too large", req, len);
	classic(req, binding, 0);
	req[3] -= 1;
	check_none("classic length not a multiple of 4", req, len - 1);
	classic(req, binding, 0);
	req[STUN_HDR_LEN + 3] = 8;
	check_none("classic attribute overruns", req, len);
	/* RFC 3489 RESPONSE-ADDRESS: answers sent elsewhere; unknown. */
	classic(req, binding, 0);
	req[STUN_HDR_LEN + 1] = 0x02;
	check_none("classic RESPONSE-ADDRESS", req, len);
	classic(req, binding, 0);
	req[0] |= 0xc0;
	check_none("classic reserved type bits", req, len);
}

ATF_TC_WITHOUT_HEAD(rate_limit);
ATF_TC_BODY(rate_limit, tc)
{
	struct relay_rate	 r;
	struct sockaddr_in	 a, b;
	int			 i;

	v4(&a, "192.0.2.1", 1000);
	v4(&b, "192.0.2.2", 1000);
	ATF_REQUIRE(relay_rate_init(&r, TABLE_LEN, 10, 5, hkey) == 0);
	for (i = 0; i < 5; i++)
		ATF_CHECK(relay_rate_allow(&r, (struct sockaddr *)&a, 1000));
	ATF_CHECK(!relay_rate_allow(&r, (struct sockaddr *)&a, 1000));
	/* Another port of the same address shares the bucket. */
	a.sin_port = htons(2000);
	ATF_CHECK(!relay_rate_allow(&r, (struct sockaddr *)&a, 1000));
	/* Other sources are unaffected. */
	for (i = 0; i < 5; i++)
		ATF_CHECK(relay_rate_allow(&r, (struct sockaddr *)&b, 1000));
	/* 10/s: one more answer after 100 ms, not before. */
	ATF_CHECK(!relay_rate_allow(&r, (struct sockaddr *)&a, 1099));
	ATF_CHECK(relay_rate_allow(&r, (struct sockaddr *)&a, 1100));
	ATF_CHECK(!relay_rate_allow(&r, (struct sockaddr *)&a, 1100));
	/* A long pause refills up to the burst only. */
	for (i = 0; i < 5; i++)
		ATF_CHECK(relay_rate_allow(&r, (struct sockaddr *)&a, 100000));
	ATF_CHECK(!relay_rate_allow(&r, (struct sockaddr *)&a, 100000));
	/* A clock that goes back adds nothing. */
	ATF_CHECK(!relay_rate_allow(&r, (struct sockaddr *)&a, 50000));
	relay_rate_free(&r);
}

/* A flood: over 10 s at 100/s, answers stay within rate x time + burst. */
ATF_TC_WITHOUT_HEAD(rate_flood);
ATF_TC_BODY(rate_flood, tc)
{
	struct relay_rate	 r;
	struct sockaddr_in	 a;
	uint64_t		 t;
	int			 i, n = 0;

	v4(&a, "192.0.2.1", 1000);
	ATF_REQUIRE(relay_rate_init(&r, TABLE_LEN, 100, 200, hkey) == 0);
	for (t = 1; t <= 10000; t++)
		for (i = 0; i < 10; i++)
			n += relay_rate_allow(&r, (struct sockaddr *)&a, t);
	ATF_CHECK_MSG(n == 100 * 10 + 200 - 1 || n == 100 * 10 + 200,
	    "%d answers", n);
	relay_rate_free(&r);
}

/* One slot: every source shares it. */
ATF_TC_WITHOUT_HEAD(rate_collision);
ATF_TC_BODY(rate_collision, tc)
{
	struct relay_rate	 r;
	struct sockaddr_in	 a;
	struct sockaddr_in6	 b;

	v4(&a, "192.0.2.1", 1000);
	v6(&b, "2001:db8::1", 1000);
	ATF_REQUIRE(relay_rate_init(&r, 1, 1, 2, hkey) == 0);
	ATF_CHECK(relay_rate_allow(&r, (struct sockaddr *)&a, 1));
	ATF_CHECK(relay_rate_allow(&r, (struct sockaddr *)&b, 1));
	ATF_CHECK(!relay_rate_allow(&r, (struct sockaddr *)&a, 1));
	ATF_CHECK(!relay_rate_allow(&r, (struct sockaddr *)&b, 1));
	relay_rate_free(&r);
	ATF_CHECK(relay_rate_init(&r, 0, 1, 2, hkey) == -1);
}

/* IPv6 sources count by /64. */
ATF_TC_WITHOUT_HEAD(rate_v6_prefix);
ATF_TC_BODY(rate_v6_prefix, tc)
{
	struct relay_rate	 r;
	struct sockaddr_in6	 a, b, c;

	v6(&a, "2001:db8:0:1::1", 1);
	v6(&b, "2001:db8:0:1:ffff::2", 1);
	v6(&c, "2001:db8:0:2::1", 1);
	ATF_REQUIRE(relay_rate_init(&r, TABLE_LEN, 1, 1, hkey) == 0);
	ATF_CHECK(relay_rate_allow(&r, (struct sockaddr *)&a, 1));
	ATF_CHECK(!relay_rate_allow(&r, (struct sockaddr *)&b, 1));
	ATF_CHECK(relay_rate_allow(&r, (struct sockaddr *)&c, 1));
	relay_rate_free(&r);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, answer_v4);
	ATF_TP_ADD_TC(tp, answer_v6);
	ATF_TP_ADD_TC(tp, answer_ignores_attributes);
	ATF_TP_ADD_TC(tp, no_answer_malformed);
	ATF_TP_ADD_TC(tp, no_answer_attributes);
	ATF_TP_ADD_TC(tp, no_answer_not_request);
	ATF_TP_ADD_TC(tp, answer_room);
	ATF_TP_ADD_TC(tp, classic_answer);
	ATF_TP_ADD_TC(tp, classic_room);
	ATF_TP_ADD_TC(tp, change_request);
	ATF_TP_ADD_TC(tp, classic_not_binding);
	ATF_TP_ADD_TC(tp, classic_malformed);
	ATF_TP_ADD_TC(tp, rate_limit);
	ATF_TP_ADD_TC(tp, rate_flood);
	ATF_TP_ADD_TC(tp, rate_collision);
	ATF_TP_ADD_TC(tp, rate_v6_prefix);
	return atf_no_error();
}
