/* Unit tests of lib/stun.c and lib/hmac_sha1.c: RFC 5769 and RFC 2202. */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include <atf-c.h>

#include "hmac_sha1.h"
#include "stun.h"

/* RFC 5769 section 2.1: sample request, short-term credentials. */
static const uint8_t rfc5769_request[] = {
	0x00, 0x01, 0x00, 0x58, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86,
	0xfa, 0x87, 0xdf, 0xae, 0x80, 0x22, 0x00, 0x10,
	0x53, 0x54, 0x55, 0x4e, 0x20, 0x74, 0x65, 0x73,
	0x74, 0x20, 0x63, 0x6c, 0x69, 0x65, 0x6e, 0x74,
	0x00, 0x24, 0x00, 0x04, 0x6e, 0x00, 0x01, 0xff,
	0x80, 0x29, 0x00, 0x08, 0x93, 0x2f, 0xf9, 0xb1,
	0x51, 0x26, 0x3b, 0x36, 0x00, 0x06, 0x00, 0x09,
	0x65, 0x76, 0x74, 0x6a, 0x3a, 0x68, 0x36, 0x76,
	0x59, 0x20, 0x20, 0x20, 0x00, 0x08, 0x00, 0x14,
	0x9a, 0xea, 0xa7, 0x0c, 0xbf, 0xd8, 0xcb, 0x56,
	0x78, 0x1e, 0xf2, 0xb5, 0xb2, 0xd3, 0xf2, 0x49,
	0xc1, 0xb5, 0x71, 0xa2, 0x80, 0x28, 0x00, 0x04,
	0xe5, 0x7a, 0x3b, 0xcf,
};

/* RFC 5769 section 2.2: sample IPv4 response. */
static const uint8_t rfc5769_v4[] = {
	0x01, 0x01, 0x00, 0x3c, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86,
	0xfa, 0x87, 0xdf, 0xae, 0x80, 0x22, 0x00, 0x0b,
	0x74, 0x65, 0x73, 0x74, 0x20, 0x76, 0x65, 0x63,
	0x74, 0x6f, 0x72, 0x20, 0x00, 0x20, 0x00, 0x08,
	0x00, 0x01, 0xa1, 0x47, 0xe1, 0x12, 0xa6, 0x43,
	0x00, 0x08, 0x00, 0x14, 0x2b, 0x91, 0xf5, 0x99,
	0xfd, 0x9e, 0x90, 0xc3, 0x8c, 0x74, 0x89, 0xf9,
	0x2a, 0xf9, 0xba, 0x53, 0xf0, 0x6b, 0xe7, 0xd7,
	0x80, 0x28, 0x00, 0x04, 0xc0, 0x7d, 0x4c, 0x96,
};

/* RFC 5769 section 2.3: sample IPv6 response. */
static const uint8_t rfc5769_v6[] = {
	0x01, 0x01, 0x00, 0x48, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86,
	0xfa, 0x87, 0xdf, 0xae, 0x80, 0x22, 0x00, 0x0b,
	0x74, 0x65, 0x73, 0x74, 0x20, 0x76, 0x65, 0x63,
	0x74, 0x6f, 0x72, 0x20, 0x00, 0x20, 0x00, 0x14,
	0x00, 0x02, 0xa1, 0x47, 0x01, 0x13, 0xa9, 0xfa,
	0xa5, 0xd3, 0xf1, 0x79, 0xbc, 0x25, 0xf4, 0xb5,
	0xbe, 0xd2, 0xb9, 0xd9, 0x00, 0x08, 0x00, 0x14,
	0xa3, 0x82, 0x95, 0x4e, 0x4b, 0xe6, 0x7b, 0xf1,
	0x17, 0x84, 0xc9, 0x7c, 0x82, 0x92, 0xc2, 0x75,
	0xbf, 0xe3, 0xed, 0x41, 0x80, 0x28, 0x00, 0x04,
	0xc8, 0xfb, 0x0b, 0x4c,
};

/* RFC 5769 section 2.4: sample request, long-term credentials. */
static const uint8_t rfc5769_longterm[] = {
	0x00, 0x01, 0x00, 0x60, 0x21, 0x12, 0xa4, 0x42,
	0x78, 0xad, 0x34, 0x33, 0xc6, 0xad, 0x72, 0xc0,
	0x29, 0xda, 0x41, 0x2e, 0x00, 0x06, 0x00, 0x12,
	0xe3, 0x83, 0x9e, 0xe3, 0x83, 0x88, 0xe3, 0x83,
	0xaa, 0xe3, 0x83, 0x83, 0xe3, 0x82, 0xaf, 0xe3,
	0x82, 0xb9, 0x00, 0x00, 0x00, 0x15, 0x00, 0x1c,
	0x66, 0x2f, 0x2f, 0x34, 0x39, 0x39, 0x6b, 0x39,
	0x35, 0x34, 0x64, 0x36, 0x4f, 0x4c, 0x33, 0x34,
	0x6f, 0x4c, 0x39, 0x46, 0x53, 0x54, 0x76, 0x79,
	0x36, 0x34, 0x73, 0x41, 0x00, 0x14, 0x00, 0x0b,
	0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x2e,
	0x6f, 0x72, 0x67, 0x00, 0x00, 0x08, 0x00, 0x14,
	0xf6, 0x70, 0x24, 0x65, 0x6d, 0xd6, 0x4a, 0x3e,
	0x02, 0xb8, 0xe0, 0x71, 0x2e, 0x85, 0xc9, 0xa2,
	0x8c, 0xa8, 0x96, 0x66,
};

/* RFC 3489 Binding request: no cookie, CHANGE-REQUEST for IP and port. */
static const uint8_t classic_request[] = {
	0x00, 0x01, 0x00, 0x08, 0x5a, 0x01, 0x02, 0x03,
	0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b,
	0x0c, 0x0d, 0x0e, 0x0f, 0x00, 0x03, 0x00, 0x04,
	0x00, 0x00, 0x00, 0x06,
};

/* RFC 8489 11.2: its 16-byte id echoed, MAPPED-ADDRESS 198.51.100.7:3478. */
static const uint8_t classic_answer[] = {
	0x01, 0x01, 0x00, 0x0c, 0x5a, 0x01, 0x02, 0x03,
	0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b,
	0x0c, 0x0d, 0x0e, 0x0f, 0x00, 0x01, 0x00, 0x08,
	0x00, 0x01, 0x0d, 0x96, 0xc6, 0x33, 0x64, 0x07,
};

/* RFC 5769 sections 2.1 to 2.3. */
static const char *rfc5769_password = "VOkJxbRl1RmTxUk/WvJxBt";
static const uint8_t rfc5769_tid[STUN_TID_LEN] = {
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86,
	0xfa, 0x87, 0xdf, 0xae,
};
/* RFC 5769 section 2.4: "マトリックス" in UTF-8. */
static const char *rfc5769_lt_user =
    "\xe3\x83\x9e\xe3\x83\x88\xe3\x83\xaa\xe3\x83\x83\xe3\x82\xaf\xe3\x82\xb9";
#define RFC5769_MAPPED_PORT	32853
/* Where RFC 5769 2.2 pads SOFTWARE "test vector" with a space. */
#define RFC5769_V4_SOFTWARE_PAD	35
#define SPACE			0x20

#define TEST_BUF		2048

static int	 span_eq(const struct stun_msg *, const struct stun_span *,
		    const void *, size_t);
static int	 span_streq(const struct stun_msg *, const struct stun_span *,
		    const char *);
static const uint8_t *pwkey(void);
static size_t	 pwlen(void);
static void	 start(struct stun_builder *, uint8_t *, size_t);
static int	 parse_b(const struct stun_builder *, struct stun_msg *);
static void	 v4(struct sockaddr_in *, const char *, uint16_t);
static void	 v6(struct sockaddr_in6 *, const char *, uint16_t);

static int
span_eq(const struct stun_msg *m, const struct stun_span *s, const void *p,
    size_t len)
{
	return s->len == len && memcmp(m->buf + s->off, p, len) == 0;
}

static int
span_streq(const struct stun_msg *m, const struct stun_span *s,
    const char *str)
{
	return span_eq(m, s, str, strlen(str));
}

static const uint8_t *
pwkey(void)
{
	return (const uint8_t *)rfc5769_password;
}

static size_t
pwlen(void)
{
	return strlen(rfc5769_password);
}

static void
start(struct stun_builder *b, uint8_t *buf, size_t cap)
{
	ATF_REQUIRE(stun_build_init(b, buf, cap,
	    stun_type(STUN_BINDING, STUN_REQUEST), rfc5769_tid) == 0);
}

static int
parse_b(const struct stun_builder *b, struct stun_msg *m)
{
	return stun_parse(b->buf, stun_build_len(b), m);
}

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

ATF_TC_WITHOUT_HEAD(hmac_sha1_rfc2202);
ATF_TC_BODY(hmac_sha1_rfc2202, tc)
{
	/* RFC 2202 section 3, test cases 1 to 7. */
	static const struct {
		uint8_t		 keybyte;	/* 0: key is 0x01, 0x02, ... */
		size_t		 keylen;
		const char	*key;
		uint8_t		 databyte;
		size_t		 datalen;
		const char	*data;
		uint8_t		 mac[HMAC_SHA1_LEN];
	} v[] = {
		{ 0x0b, 20, NULL, 0, 0, "Hi There",
		  { 0xb6, 0x17, 0x31, 0x86, 0x55, 0x05, 0x72, 0x64,
		    0xe2, 0x8b, 0xc0, 0xb6, 0xfb, 0x37, 0x8c, 0x8e,
		    0xf1, 0x46, 0xbe, 0x00 } },
		{ 0, 0, "Jefe", 0, 0, "what do ya want for nothing?",
		  { 0xef, 0xfc, 0xdf, 0x6a, 0xe5, 0xeb, 0x2f, 0xa2,
		    0xd2, 0x74, 0x16, 0xd5, 0xf1, 0x84, 0xdf, 0x9c,
		    0x25, 0x9a, 0x7c, 0x79 } },
		{ 0xaa, 20, NULL, 0xdd, 50, NULL,
		  { 0x12, 0x5d, 0x73, 0x42, 0xb9, 0xac, 0x11, 0xcd,
		    0x91, 0xa3, 0x9a, 0xf4, 0x8a, 0xa1, 0x7b, 0x4f,
		    0x63, 0xf1, 0x75, 0xd3 } },
		{ 0, 25, NULL, 0xcd, 50, NULL,
		  { 0x4c, 0x90, 0x07, 0xf4, 0x02, 0x62, 0x50, 0xc6,
		    0xbc, 0x84, 0x14, 0xf9, 0xbf, 0x50, 0xc8, 0x6c,
		    0x2d, 0x72, 0x35, 0xda } },
		{ 0x0c, 20, NULL, 0, 0, "Test With Truncation",
		  { 0x4c, 0x1a, 0x03, 0x42, 0x4b, 0x55, 0xe0, 0x7f,
		    0xe7, 0xf2, 0x7b, 0xe1, 0xd5, 0x8b, 0xb9, 0x32,
		    0x4a, 0x9a, 0x5a, 0x04 } },
		{ 0xaa, 80, NULL, 0, 0,
		  "Test Using Larger Than Block-Size Key - Hash Key First",
		  { 0xaa, 0x4a, 0xe5, 0xe1, 0x52, 0x72, 0xd0, 0x0e,
		    0x95, 0x70, 0x56, 0x37, 0xce, 0x8a, 0x3b, 0x55,
		    0xed, 0x40, 0x21, 0x12 } },
		{ 0xaa, 80, NULL, 0, 0,
		  "Test Using Larger Than Block-Size Key and Larger "
		  "Than One Block-Size Data",
		  { 0xe8, 0xe9, 0x9d, 0x0f, 0x45, 0x23, 0x7d, 0x78,
		    0x6d, 0x6b, 0xba, 0xa7, 0x96, 0x5c, 0x78, 0x08,
		    0xbb, 0xff, 0x1a, 0x91 } },
	};
	struct hmac_sha1	 h;
	const uint8_t		*d;
	uint8_t			 key[80], data[50], mac[HMAC_SHA1_LEN];
	size_t			 i, j, keylen, datalen;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		if (v[i].key != NULL) {
			keylen = strlen(v[i].key);
			memcpy(key, v[i].key, keylen);
		} else {
			keylen = v[i].keylen;
			for (j = 0; j < keylen; j++)
				key[j] = v[i].keybyte ? v[i].keybyte : j + 1;
		}
		if (v[i].data != NULL) {
			d = (const uint8_t *)v[i].data;
			datalen = strlen(v[i].data);
		} else {
			d = data;
			datalen = v[i].datalen;
			memset(data, v[i].databyte, datalen);
		}
		hmac_sha1(key, keylen, d, datalen, mac);
		ATF_CHECK_MSG(memcmp(mac, v[i].mac, sizeof(mac)) == 0,
		    "RFC 2202 test case %zu", i + 1);

		/* The same, fed a byte at a time. */
		hmac_sha1_init(&h, key, keylen);
		for (j = 0; j < datalen; j++)
			hmac_sha1_update(&h, d + j, 1);
		hmac_sha1_final(&h, mac);
		ATF_CHECK_MSG(memcmp(mac, v[i].mac, sizeof(mac)) == 0,
		    "RFC 2202 test case %zu, streamed", i + 1);
	}
}

ATF_TC_WITHOUT_HEAD(message_type);
ATF_TC_BODY(message_type, tc)
{
	static const uint16_t methods[] = { STUN_BINDING, STUN_ALLOCATE,
	    STUN_REFRESH, STUN_SEND, STUN_DATA, STUN_CREATE_PERMISSION,
	    STUN_CHANNEL_BIND, 0x0fff };
	static const uint16_t classes[] = { STUN_REQUEST, STUN_INDICATION,
	    STUN_SUCCESS, STUN_ERROR };
	size_t	 i, j;
	uint16_t t;

	/* RFC 8489 section 5 and RFC 8656: well-known wire values. */
	ATF_CHECK_EQ(stun_type(STUN_BINDING, STUN_REQUEST), 0x0001);
	ATF_CHECK_EQ(stun_type(STUN_BINDING, STUN_INDICATION), 0x0011);
	ATF_CHECK_EQ(stun_type(STUN_BINDING, STUN_SUCCESS), 0x0101);
	ATF_CHECK_EQ(stun_type(STUN_BINDING, STUN_ERROR), 0x0111);
	ATF_CHECK_EQ(stun_type(STUN_ALLOCATE, STUN_SUCCESS), 0x0103);
	ATF_CHECK_EQ(stun_type(STUN_SEND, STUN_INDICATION), 0x0016);
	ATF_CHECK_EQ(stun_type(STUN_DATA, STUN_INDICATION), 0x0017);
	ATF_CHECK_EQ(stun_type(STUN_CHANNEL_BIND, STUN_ERROR), 0x0119);
	ATF_CHECK_EQ(stun_type(0x0fff, STUN_ERROR), 0x3fff);

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		for (j = 0; j < sizeof(classes) / sizeof(classes[0]); j++) {
			t = stun_type(methods[i], classes[j]);
			ATF_CHECK_EQ(stun_method(t), methods[i]);
			ATF_CHECK_EQ(stun_class(t), classes[j]);
		}
}

ATF_TC_WITHOUT_HEAD(rfc5769_sample_request);
ATF_TC_BODY(rfc5769_sample_request, tc)
{
	struct stun_msg	 m;

	ATF_REQUIRE(stun_parse(rfc5769_request, sizeof(rfc5769_request),
	    &m) == 0);
	ATF_CHECK_EQ(m.type, stun_type(STUN_BINDING, STUN_REQUEST));
	ATF_CHECK(memcmp(m.tid, rfc5769_tid, STUN_TID_LEN) == 0);
	ATF_CHECK(span_streq(&m, &m.software, "STUN test client"));
	ATF_CHECK(span_streq(&m, &m.username, "evtj:h6vY"));
	ATF_CHECK(m.has & STUN_HAS_PRIORITY);
	ATF_CHECK_EQ(m.priority, 0x6e0001ff);
	ATF_CHECK(m.has & STUN_HAS_ICE_CONTROLLED);
	ATF_CHECK_EQ(m.ice_controlled, 0x932ff9b151263b36ULL);
	ATF_CHECK((m.has & STUN_HAS_ICE_CONTROLLING) == 0);
	ATF_CHECK_EQ(m.nunknown, 0);
	ATF_CHECK(stun_check_integrity(&m, pwkey(), pwlen()) == 0);
	ATF_CHECK(stun_check_fingerprint(&m) == 0);
	ATF_CHECK(stun_check_integrity(&m, (const uint8_t *)"wrong", 5) == -1);
}

ATF_TC_WITHOUT_HEAD(rfc5769_ipv4_response);
ATF_TC_BODY(rfc5769_ipv4_response, tc)
{
	struct stun_msg		 m;
	struct sockaddr_in	*sin;

	ATF_REQUIRE(stun_parse(rfc5769_v4, sizeof(rfc5769_v4), &m) == 0);
	ATF_CHECK_EQ(m.type, stun_type(STUN_BINDING, STUN_SUCCESS));
	ATF_CHECK(span_streq(&m, &m.software, "test vector"));
	ATF_REQUIRE(m.has & STUN_HAS_XOR_MAPPED);
	sin = (struct sockaddr_in *)&m.xor_mapped;
	ATF_CHECK_EQ(sin->sin_family, AF_INET);
	ATF_CHECK_EQ(ntohs(sin->sin_port), RFC5769_MAPPED_PORT);
	ATF_CHECK_EQ(ntohl(sin->sin_addr.s_addr), 0xc0000201);	/* 192.0.2.1 */
	ATF_CHECK(stun_check_integrity(&m, pwkey(), pwlen()) == 0);
	ATF_CHECK(stun_check_fingerprint(&m) == 0);
}

ATF_TC_WITHOUT_HEAD(rfc5769_ipv6_response);
ATF_TC_BODY(rfc5769_ipv6_response, tc)
{
	struct stun_msg		 m;
	struct sockaddr_in6	*sin6, want;

	ATF_REQUIRE(stun_parse(rfc5769_v6, sizeof(rfc5769_v6), &m) == 0);
	ATF_CHECK_EQ(m.type, stun_type(STUN_BINDING, STUN_SUCCESS));
	ATF_REQUIRE(m.has & STUN_HAS_XOR_MAPPED);
	sin6 = (struct sockaddr_in6 *)&m.xor_mapped;
	v6(&want, "2001:db8:1234:5678:11:2233:4455:6677",
	    RFC5769_MAPPED_PORT);
	ATF_CHECK_EQ(sin6->sin6_family, AF_INET6);
	ATF_CHECK_EQ(sin6->sin6_port, want.sin6_port);
	ATF_CHECK(memcmp(&sin6->sin6_addr, &want.sin6_addr,
	    sizeof(want.sin6_addr)) == 0);
	ATF_CHECK(stun_check_integrity(&m, pwkey(), pwlen()) == 0);
	ATF_CHECK(stun_check_fingerprint(&m) == 0);
}

ATF_TC_WITHOUT_HEAD(rfc5769_longterm);
ATF_TC_BODY(rfc5769_longterm, tc)
{
	struct stun_msg	 m;
	uint8_t		 key[STUN_LTKEY_LEN];

	ATF_REQUIRE(stun_parse(rfc5769_longterm, sizeof(rfc5769_longterm),
	    &m) == 0);
	ATF_CHECK(span_streq(&m, &m.username, rfc5769_lt_user));
	ATF_CHECK(span_streq(&m, &m.realm, "example.org"));
	ATF_CHECK(span_streq(&m, &m.nonce, "f//499k954d6OL34oL9FSTvy64sA"));
	ATF_CHECK((m.has & STUN_HAS_FINGERPRINT) == 0);
	ATF_CHECK(stun_check_fingerprint(&m) == -1);

	/* RFC 5769 2.4: "The<U+00AD>M<U+00AA>tr<U+2168>" after SASLprep. */
	stun_longterm_key(rfc5769_lt_user, "example.org", "TheMatrIX", key);
	ATF_CHECK(stun_check_integrity(&m, key, sizeof(key)) == 0);
	stun_longterm_key(rfc5769_lt_user, "example.org", "thematrix", key);
	ATF_CHECK(stun_check_integrity(&m, key, sizeof(key)) == -1);
}

ATF_TC_WITHOUT_HEAD(build_rfc5769_ipv4_response);
ATF_TC_BODY(build_rfc5769_ipv4_response, tc)
{
	struct stun_builder	 b;
	struct sockaddr_in	 sin;
	uint8_t			 buf[TEST_BUF];

	ATF_REQUIRE(stun_build_init(&b, buf, sizeof(buf),
	    stun_type(STUN_BINDING, STUN_SUCCESS), rfc5769_tid) == 0);
	ATF_REQUIRE(stun_add_bytes(&b, STUN_ATTR_SOFTWARE, "test vector",
	    strlen("test vector")) == 0);
	/* Padding is any value (RFC 8489 section 14): copy the RFC's space. */
	buf[RFC5769_V4_SOFTWARE_PAD] = SPACE;
	v4(&sin, "192.0.2.1", RFC5769_MAPPED_PORT);
	ATF_REQUIRE(stun_add_xor_addr(&b, STUN_ATTR_XOR_MAPPED_ADDRESS,
	    (struct sockaddr *)&sin) == 0);
	ATF_REQUIRE(stun_add_integrity(&b, pwkey(), pwlen()) == 0);
	ATF_REQUIRE(stun_add_fingerprint(&b) == 0);
	ATF_REQUIRE_EQ(stun_build_len(&b), sizeof(rfc5769_v4));
	ATF_CHECK(memcmp(buf, rfc5769_v4, sizeof(rfc5769_v4)) == 0);
}

ATF_TC_WITHOUT_HEAD(tampered);
ATF_TC_BODY(tampered, tc)
{
	struct stun_msg	 m;
	uint8_t		 buf[sizeof(rfc5769_request)];
	size_t		 i, mi_end;

	ATF_REQUIRE(stun_parse(rfc5769_request, sizeof(rfc5769_request),
	    &m) == 0);
	mi_end = m.integrity.off + m.integrity.len;
	/* Every bit the MAC covers, and the MAC itself. */
	for (i = 0; i < mi_end * 8; i++) {
		memcpy(buf, rfc5769_request, sizeof(buf));
		buf[i / 8] ^= 1 << (i % 8);
		if (stun_parse(buf, sizeof(buf), &m) == -1)
			continue;
		ATF_CHECK_MSG(stun_check_integrity(&m, pwkey(), pwlen()) == -1,
		    "bit %zu", i);
		ATF_CHECK_MSG(stun_check_fingerprint(&m) == -1, "bit %zu", i);
	}
	/* A wrong FINGERPRINT leaves the MAC good. */
	memcpy(buf, rfc5769_request, sizeof(buf));
	buf[sizeof(buf) - 1] ^= 1;
	ATF_REQUIRE(stun_parse(buf, sizeof(buf), &m) == 0);
	ATF_CHECK(stun_check_integrity(&m, pwkey(), pwlen()) == 0);
	ATF_CHECK(stun_check_fingerprint(&m) == -1);
}

ATF_TC_WITHOUT_HEAD(malformed_header);
ATF_TC_BODY(malformed_header, tc)
{
	struct stun_msg	 m;
	uint8_t		 buf[sizeof(rfc5769_request) + 4];

	/* Truncated header. */
	ATF_CHECK(stun_parse(rfc5769_request, STUN_HDR_LEN - 1, &m) == -1);
	ATF_CHECK(stun_parse(rfc5769_request, 0, &m) == -1);

	/* Top two bits of the type set. */
	memcpy(buf, rfc5769_request, sizeof(rfc5769_request));
	buf[0] |= 0x40;
	ATF_CHECK(stun_parse(buf, sizeof(rfc5769_request), &m) == -1);

	/* Bad cookie. */
	memcpy(buf, rfc5769_request, sizeof(rfc5769_request));
	buf[4] ^= 0x01;
	ATF_CHECK(stun_parse(buf, sizeof(rfc5769_request), &m) == -1);

	/* Length not the datagram's: shorter, longer. */
	ATF_CHECK(stun_parse(rfc5769_request, sizeof(rfc5769_request) - 4,
	    &m) == -1);
	memcpy(buf, rfc5769_request, sizeof(rfc5769_request));
	memset(buf + sizeof(rfc5769_request), 0, 4);
	ATF_CHECK(stun_parse(buf, sizeof(buf), &m) == -1);

	/* Length not a multiple of 4, though it matches the datagram. */
	memcpy(buf, rfc5769_request, sizeof(rfc5769_request));
	buf[3] -= 1;
	ATF_CHECK(stun_parse(buf, sizeof(rfc5769_request) - 1, &m) == -1);

	/* A header alone is a valid message. */
	memcpy(buf, rfc5769_request, STUN_HDR_LEN);
	buf[2] = buf[3] = 0;
	ATF_CHECK(stun_parse(buf, STUN_HDR_LEN, &m) == 0);
	ATF_CHECK_EQ(m.has, 0);
}

ATF_TC_WITHOUT_HEAD(malformed_attributes);
ATF_TC_BODY(malformed_attributes, tc)
{
	struct stun_builder	 b;
	struct stun_msg		 m;
	uint8_t			 buf[TEST_BUF], val[STUN_USERNAME_MAX + 1];
	/* XOR-MAPPED-ADDRESS values: family 3; IPv4 family, IPv6 length. */
	static const uint8_t	 badfam[8] = { 0, 3, 0xa1, 0x47, 1, 2, 3, 4 };
	static const uint8_t	 badlen[20] = { 0, 1, 0xa1, 0x47 };
	/* ERROR-CODE values: class 7; number 100. */
	static const uint8_t	 badclass[4] = { 0, 0, 7, 0 };
	static const uint8_t	 badnumber[4] = { 0, 0, 4, 100 };

	/* Attribute running past the end. */
	memcpy(buf, rfc5769_request, sizeof(rfc5769_request));
	buf[sizeof(rfc5769_request) - 5] = 8;	/* FINGERPRINT length */
	ATF_CHECK(stun_parse(buf, sizeof(rfc5769_request), &m) == -1);
	/* Odd length whose padding runs past the end. */
	start(&b, buf, sizeof(buf));
	ATF_REQUIRE(stun_add_bytes(&b, STUN_ATTR_DATA, "abcd", 4) == 0);
	buf[STUN_HDR_LEN + 3] = 5;
	ATF_CHECK(parse_b(&b, &m) == -1);
	buf[STUN_HDR_LEN + 3] = 3;
	ATF_CHECK(parse_b(&b, &m) == 0);
	ATF_CHECK(span_streq(&m, &m.data, "abc"));

	/* Bad address family, bad address length. */
	start(&b, buf, sizeof(buf));
	ATF_REQUIRE(stun_add_bytes(&b, STUN_ATTR_XOR_MAPPED_ADDRESS, badfam,
	    sizeof(badfam)) == 0);
	ATF_CHECK(parse_b(&b, &m) == -1);
	start(&b, buf, sizeof(buf));
	ATF_REQUIRE(stun_add_bytes(&b, STUN_ATTR_XOR_MAPPED_ADDRESS, badlen,
	    sizeof(badlen)) == 0);
	ATF_CHECK(parse_b(&b, &m) == -1);

	/* USERNAME: 513 bytes is the limit. */
	memset(val, 'u', sizeof(val));
	start(&b, buf, sizeof(buf));
	ATF_REQUIRE(stun_add_bytes(&b, STUN_ATTR_USERNAME, val,
	    STUN_USERNAME_MAX) == 0);
	ATF_CHECK(parse_b(&b, &m) == 0);
	ATF_CHECK_EQ(m.username.len, STUN_USERNAME_MAX);
	start(&b, buf, sizeof(buf));
	ATF_REQUIRE(stun_add_bytes(&b, STUN_ATTR_USERNAME, val,
	    STUN_USERNAME_MAX + 1) == 0);
	ATF_CHECK(parse_b(&b, &m) == -1);

	/* Fixed sizes. */
	start(&b, buf, sizeof(buf));
	ATF_REQUIRE(stun_add_bytes(&b, STUN_ATTR_MESSAGE_INTEGRITY, val,
	    STUN_MI_LEN - 1) == 0);
	ATF_CHECK(parse_b(&b, &m) == -1);
	start(&b, buf, sizeof(buf));
	ATF_REQUIRE(stun_add_bytes(&b, STUN_ATTR_PRIORITY, val, 8) == 0);
	ATF_CHECK(parse_b(&b, &m) == -1);
	start(&b, buf, sizeof(buf));
	ATF_REQUIRE(stun_add_bytes(&b, STUN_ATTR_USE_CANDIDATE, val, 4) == 0);
	ATF_CHECK(parse_b(&b, &m) == -1);
	start(&b, buf, sizeof(buf));
	ATF_REQUIRE(stun_add_bytes(&b, STUN_ATTR_ICE_CONTROLLING, val, 4) ==
	    0);
	ATF_CHECK(parse_b(&b, &m) == -1);

	/* ERROR-CODE out of range. */
	start(&b, buf, sizeof(buf));
	ATF_REQUIRE(stun_add_bytes(&b, STUN_ATTR_ERROR_CODE, badclass,
	    sizeof(badclass)) == 0);
	ATF_CHECK(parse_b(&b, &m) == -1);
	start(&b, buf, sizeof(buf));
	ATF_REQUIRE(stun_add_bytes(&b, STUN_ATTR_ERROR_CODE, badnumber,
	    sizeof(badnumber)) == 0);
	ATF_CHECK(parse_b(&b, &m) == -1);
}

ATF_TC_WITHOUT_HEAD(fingerprint_last);
ATF_TC_BODY(fingerprint_last, tc)
{
	struct stun_msg	 m;
	uint8_t		 buf[sizeof(rfc5769_request) + STUN_ATTR_HDR_LEN];

	/* USE-CANDIDATE, empty, appended after FINGERPRINT. */
	memcpy(buf, rfc5769_request, sizeof(rfc5769_request));
	buf[3] += STUN_ATTR_HDR_LEN;
	buf[sizeof(rfc5769_request)] = STUN_ATTR_USE_CANDIDATE >> 8;
	buf[sizeof(rfc5769_request) + 1] = STUN_ATTR_USE_CANDIDATE & 0xff;
	buf[sizeof(rfc5769_request) + 2] = 0;
	buf[sizeof(rfc5769_request) + 3] = 0;
	ATF_CHECK(stun_parse(buf, sizeof(buf), &m) == -1);
}

ATF_TC_WITHOUT_HEAD(after_integrity_ignored);
ATF_TC_BODY(after_integrity_ignored, tc)
{
	struct stun_builder	 b;
	struct stun_msg		 m;
	uint8_t			 buf[TEST_BUF];
	size_t			 len;
	/* PRIORITY 1 and an unknown comprehension-required 0x7fff. */
	static const uint8_t	 tail[] = {
		0x00, 0x24, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01,
		0x7f, 0xff, 0x00, 0x00,
	};

	start(&b, buf, sizeof(buf));
	ATF_REQUIRE(stun_add_bytes(&b, STUN_ATTR_USERNAME, "a:b", 3) == 0);
	ATF_REQUIRE(stun_add_integrity(&b, pwkey(), pwlen()) == 0);
	/* The builder refuses them. */
	ATF_CHECK(stun_add_u32(&b, STUN_ATTR_PRIORITY, 1) == -1);
	ATF_CHECK(stun_add_integrity(&b, pwkey(), pwlen()) == -1);
	len = stun_build_len(&b);
	memcpy(buf + len, tail, sizeof(tail));
	len += sizeof(tail);
	buf[2] = (len - STUN_HDR_LEN) >> 8;
	buf[3] = (len - STUN_HDR_LEN) & 0xff;

	ATF_REQUIRE(stun_parse(buf, len, &m) == 0);
	ATF_CHECK((m.has & STUN_HAS_PRIORITY) == 0);
	ATF_CHECK_EQ(m.nunknown, 0);
	ATF_CHECK(stun_check_integrity(&m, pwkey(), pwlen()) == 0);
}

ATF_TC_WITHOUT_HEAD(attribute_count);
ATF_TC_BODY(attribute_count, tc)
{
	struct stun_builder	 b;
	struct stun_msg		 m;
	uint8_t			 buf[TEST_BUF];
	int			 i;

	start(&b, buf, sizeof(buf));
	for (i = 0; i < STUN_ATTRS_MAX; i++)
		ATF_REQUIRE(stun_add_bytes(&b, STUN_ATTR_USE_CANDIDATE, NULL,
		    0) == 0);
	ATF_CHECK(parse_b(&b, &m) == 0);
	ATF_CHECK(m.has & STUN_HAS_USE_CANDIDATE);
	ATF_REQUIRE(stun_add_bytes(&b, STUN_ATTR_USE_CANDIDATE, NULL, 0) == 0);
	ATF_CHECK(parse_b(&b, &m) == -1);
}

ATF_TC_WITHOUT_HEAD(unknown_attributes);
ATF_TC_BODY(unknown_attributes, tc)
{
	struct stun_builder	 b;
	struct stun_msg		 m;
	uint8_t			 buf[TEST_BUF], resp[TEST_BUF];
	/* Comprehension-required and unassigned (RFC 8489 section 18.3). */
	static const uint16_t	 unassigned = 0x0031;
	/* RFC 8489 ALTERNATE-SERVER: comprehension-optional, skipped. */
	static const uint16_t	 alternate_server = 0x8023;
	static const uint8_t	 want[] = { 0x00, 0x31 };

	start(&b, buf, sizeof(buf));
	ATF_REQUIRE(stun_add_u32(&b, alternate_server, 0) == 0);
	ATF_REQUIRE(stun_add_u32(&b, unassigned, 0) == 0);
	ATF_REQUIRE(parse_b(&b, &m) == 0);
	ATF_REQUIRE_EQ(m.nunknown, 1);
	ATF_CHECK_EQ(m.unknown[0], unassigned);

	/* The 420 answer. */
	ATF_REQUIRE(stun_build_init(&b, resp, sizeof(resp),
	    stun_type(STUN_BINDING, STUN_ERROR), m.tid) == 0);
	ATF_REQUIRE(stun_add_error(&b, STUN_ERR_UNKNOWN_ATTRIBUTE,
	    "Unknown Attribute") == 0);
	ATF_REQUIRE(stun_add_unknown(&b, m.unknown, m.nunknown) == 0);
	ATF_REQUIRE(parse_b(&b, &m) == 0);
	ATF_CHECK_EQ(stun_class(m.type), STUN_ERROR);
	ATF_CHECK_EQ(m.error_code, STUN_ERR_UNKNOWN_ATTRIBUTE);
	ATF_CHECK(span_streq(&m, &m.reason, "Unknown Attribute"));
	ATF_CHECK(span_eq(&m, &m.unknown_attrs, want, sizeof(want)));
}

ATF_TC_WITHOUT_HEAD(round_trip);
ATF_TC_BODY(round_trip, tc)
{
	struct stun_builder	 b;
	struct stun_msg		 m;
	struct sockaddr_in	 mapped, peer, *sin;
	struct sockaddr_in6	 relayed, *sin6;
	uint8_t			 buf[TEST_BUF], key[STUN_LTKEY_LEN];
	/* MAPPED-ADDRESS 198.51.100.7:3478, written raw: no XOR. */
	static const uint8_t	 plain[8] = { 0, 1, 0x0d, 0x96,
	    198, 51, 100, 7 };
	static const uint8_t	 payload[] = { 1, 0, 0, 0, 0xaa, 0xbb, 0xcc };
	/* RFC 8656: channel numbers start at 0x4000. */
	static const uint16_t	 channel = 0x4001;

	v4(&mapped, "203.0.113.9", 51820);
	v4(&peer, "192.0.2.77", 1);
	v6(&relayed, "2001:db8::1", 65535);
	stun_longterm_key("1700000000:node1", "tern", "secret", key);

	ATF_REQUIRE(stun_build_init(&b, buf, sizeof(buf),
	    stun_type(STUN_ALLOCATE, STUN_SUCCESS), rfc5769_tid) == 0);
	ATF_REQUIRE(stun_add_bytes(&b, STUN_ATTR_MAPPED_ADDRESS, plain,
	    sizeof(plain)) == 0);
	ATF_REQUIRE(stun_add_xor_addr(&b, STUN_ATTR_XOR_MAPPED_ADDRESS,
	    (struct sockaddr *)&mapped) == 0);
	ATF_REQUIRE(stun_add_xor_addr(&b, STUN_ATTR_XOR_RELAYED_ADDRESS,
	    (struct sockaddr *)&relayed) == 0);
	ATF_REQUIRE(stun_add_xor_addr(&b, STUN_ATTR_XOR_PEER_ADDRESS,
	    (struct sockaddr *)&peer) == 0);
	ATF_REQUIRE(stun_add_bytes(&b, STUN_ATTR_USERNAME,
	    "1700000000:node1", strlen("1700000000:node1")) == 0);
	ATF_REQUIRE(stun_add_bytes(&b, STUN_ATTR_REALM, "tern", 4) == 0);
	ATF_REQUIRE(stun_add_bytes(&b, STUN_ATTR_NONCE, "n0nce", 5) == 0);
	ATF_REQUIRE(stun_add_bytes(&b, STUN_ATTR_SOFTWARE, "tern", 4) == 0);
	ATF_REQUIRE(stun_add_error(&b, STUN_ERR_STALE_NONCE, "Stale Nonce") ==
	    0);
	ATF_REQUIRE(stun_add_u32(&b, STUN_ATTR_PRIORITY, 0x7e0000ff) == 0);
	ATF_REQUIRE(stun_add_bytes(&b, STUN_ATTR_USE_CANDIDATE, NULL, 0) ==
	    0);
	ATF_REQUIRE(stun_add_u64(&b, STUN_ATTR_ICE_CONTROLLING,
	    0x0102030405060708ULL) == 0);
	ATF_REQUIRE(stun_add_u64(&b, STUN_ATTR_ICE_CONTROLLED,
	    0xf1f2f3f4f5f6f7f8ULL) == 0);
	ATF_REQUIRE(stun_add_u32(&b, STUN_ATTR_LIFETIME, 600) == 0);
	ATF_REQUIRE(stun_add_u32(&b, STUN_ATTR_CHANNEL_NUMBER,
	    (uint32_t)channel << 16) == 0);
	ATF_REQUIRE(stun_add_u32(&b, STUN_ATTR_REQUESTED_TRANSPORT,
	    (uint32_t)STUN_TRANSPORT_UDP << 24) == 0);
	ATF_REQUIRE(stun_add_bytes(&b, STUN_ATTR_DATA, payload,
	    sizeof(payload)) == 0);
	ATF_REQUIRE(stun_add_integrity(&b, key, sizeof(key)) == 0);
	ATF_REQUIRE(stun_add_fingerprint(&b) == 0);
	ATF_CHECK_EQ(stun_build_len(&b) % 4, 0);

	ATF_REQUIRE(parse_b(&b, &m) == 0);
	ATF_CHECK_EQ(stun_method(m.type), STUN_ALLOCATE);
	ATF_CHECK_EQ(stun_class(m.type), STUN_SUCCESS);
	ATF_CHECK(memcmp(m.tid, rfc5769_tid, STUN_TID_LEN) == 0);
	ATF_CHECK_EQ(m.nunknown, 0);

	sin = (struct sockaddr_in *)&m.mapped;
	ATF_CHECK_EQ(sin->sin_family, AF_INET);
	ATF_CHECK_EQ(ntohs(sin->sin_port), 3478);
	ATF_CHECK(memcmp(&sin->sin_addr, plain + 4, 4) == 0);
	sin = (struct sockaddr_in *)&m.xor_mapped;
	ATF_CHECK_EQ(sin->sin_family, AF_INET);
	ATF_CHECK_EQ(sin->sin_port, mapped.sin_port);
	ATF_CHECK_EQ(sin->sin_addr.s_addr, mapped.sin_addr.s_addr);
	sin = (struct sockaddr_in *)&m.xor_peer;
	ATF_CHECK_EQ(sin->sin_port, peer.sin_port);
	ATF_CHECK_EQ(sin->sin_addr.s_addr, peer.sin_addr.s_addr);
	sin6 = (struct sockaddr_in6 *)&m.xor_relayed;
	ATF_CHECK_EQ(sin6->sin6_family, AF_INET6);
	ATF_CHECK_EQ(sin6->sin6_port, relayed.sin6_port);
	ATF_CHECK(memcmp(&sin6->sin6_addr, &relayed.sin6_addr,
	    sizeof(relayed.sin6_addr)) == 0);

	ATF_CHECK(span_streq(&m, &m.username, "1700000000:node1"));
	ATF_CHECK(span_streq(&m, &m.realm, "tern"));
	ATF_CHECK(span_streq(&m, &m.nonce, "n0nce"));
	ATF_CHECK(span_streq(&m, &m.software, "tern"));
	ATF_CHECK_EQ(m.error_code, STUN_ERR_STALE_NONCE);
	ATF_CHECK(span_streq(&m, &m.reason, "Stale Nonce"));
	ATF_CHECK_EQ(m.priority, 0x7e0000ff);
	ATF_CHECK(m.has & STUN_HAS_USE_CANDIDATE);
	ATF_CHECK_EQ(m.ice_controlling, 0x0102030405060708ULL);
	ATF_CHECK_EQ(m.ice_controlled, 0xf1f2f3f4f5f6f7f8ULL);
	ATF_CHECK_EQ(m.lifetime, 600);
	ATF_CHECK_EQ(m.channel, channel);
	ATF_CHECK_EQ(m.transport, STUN_TRANSPORT_UDP);
	ATF_CHECK(span_eq(&m, &m.data, payload, sizeof(payload)));
	ATF_CHECK(stun_check_integrity(&m, key, sizeof(key)) == 0);
	ATF_CHECK(stun_check_fingerprint(&m) == 0);
}

ATF_TC_WITHOUT_HEAD(classic_parse);
ATF_TC_BODY(classic_parse, tc)
{
	struct stun_msg		 m;
	struct sockaddr_in	*sin;
	uint8_t			 buf[TEST_BUF];
	size_t			 i;
	/* Binding success and indication, Allocate request. */
	static const uint16_t	 refused[] = { 0x0101, 0x0011, 0x0003 };
	/* A classic header, then XOR-MAPPED-ADDRESS 192.0.2.1:1. */
	static const uint8_t	 addr_attr[] = {
		0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0x00, 0x01,
		0xc0, 0x00, 0x02, 0x01,
	};

	/* Callers that did not ask for RFC 3489 refuse it, as before. */
	ATF_CHECK(stun_parse(classic_request, sizeof(classic_request),
	    &m) == -1);

	ATF_REQUIRE(stun_parse_classic(classic_request,
	    sizeof(classic_request), &m) == 0);
	ATF_CHECK(m.classic);
	ATF_CHECK_EQ(m.type, stun_type(STUN_BINDING, STUN_REQUEST));
	ATF_CHECK(memcmp(m.tid, classic_request + STUN_HDR_LEN - STUN_TID_LEN,
	    STUN_TID_LEN) == 0);
	ATF_CHECK_EQ(m.has, STUN_HAS_CHANGE_REQUEST);
	ATF_CHECK_EQ(m.change_flags, STUN_CHANGE_IP | STUN_CHANGE_PORT);

	/* With the cookie, a message is parsed as stun_parse does. */
	ATF_REQUIRE(stun_parse_classic(rfc5769_request,
	    sizeof(rfc5769_request), &m) == 0);
	ATF_CHECK(!m.classic);
	ATF_CHECK(stun_check_integrity(&m, pwkey(), pwlen()) == 0);

	/* Only a Binding request may be classic. */
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		memcpy(buf, classic_request, sizeof(classic_request));
		buf[0] = refused[i] >> 8;
		buf[1] = refused[i] & 0xff;
		ATF_CHECK_MSG(stun_parse_classic(buf, sizeof(classic_request),
		    &m) == -1, "type 0x%04x", refused[i]);
	}

	/* No cookie to XOR with; a plain MAPPED-ADDRESS is fine. */
	memcpy(buf, classic_request, STUN_HDR_LEN);
	buf[3] = sizeof(addr_attr);
	memcpy(buf + STUN_HDR_LEN, addr_attr, sizeof(addr_attr));
	ATF_CHECK(stun_parse_classic(buf, STUN_HDR_LEN + sizeof(addr_attr),
	    &m) == -1);
	buf[STUN_HDR_LEN + 1] = STUN_ATTR_MAPPED_ADDRESS;
	ATF_REQUIRE(stun_parse_classic(buf, STUN_HDR_LEN + sizeof(addr_attr),
	    &m) == 0);
	sin = (struct sockaddr_in *)&m.mapped;
	ATF_CHECK_EQ(sin->sin_family, AF_INET);
	ATF_CHECK_EQ(ntohs(sin->sin_port), 1);
	ATF_CHECK_EQ(ntohl(sin->sin_addr.s_addr), 0xc0000201);
}

ATF_TC_WITHOUT_HEAD(classic_build);
ATF_TC_BODY(classic_build, tc)
{
	struct stun_builder	 b;
	struct stun_msg		 req, m;
	struct sockaddr_in	 sin;
	uint8_t			 buf[TEST_BUF], want[STUN_HDR_LEN];
	uint16_t		 success;

	v4(&sin, "198.51.100.7", 3478);
	success = stun_type(STUN_BINDING, STUN_SUCCESS);
	ATF_REQUIRE(stun_parse_classic(classic_request,
	    sizeof(classic_request), &req) == 0);
	ATF_REQUIRE(stun_build_answer(&b, buf, sizeof(buf), success,
	    &req) == 0);
	ATF_CHECK(stun_add_xor_addr(&b, STUN_ATTR_XOR_MAPPED_ADDRESS,
	    (struct sockaddr *)&sin) == -1);
	ATF_REQUIRE(stun_add_addr(&b, STUN_ATTR_MAPPED_ADDRESS,
	    (struct sockaddr *)&sin) == 0);
	ATF_REQUIRE_EQ(stun_build_len(&b), sizeof(classic_answer));
	ATF_CHECK(memcmp(buf, classic_answer, sizeof(classic_answer)) == 0);

	/* To a request with the cookie, stun_build_init's header. */
	ATF_REQUIRE(stun_parse(rfc5769_request, sizeof(rfc5769_request),
	    &req) == 0);
	ATF_REQUIRE(stun_build_init(&b, want, sizeof(want), success,
	    rfc5769_tid) == 0);
	ATF_REQUIRE(stun_build_answer(&b, buf, sizeof(buf), success,
	    &req) == 0);
	ATF_CHECK(memcmp(buf, want, sizeof(want)) == 0);
	ATF_REQUIRE(stun_add_addr(&b, STUN_ATTR_MAPPED_ADDRESS,
	    (struct sockaddr *)&sin) == 0);
	ATF_REQUIRE(stun_add_xor_addr(&b, STUN_ATTR_XOR_MAPPED_ADDRESS,
	    (struct sockaddr *)&sin) == 0);
	ATF_REQUIRE(parse_b(&b, &m) == 0);
	ATF_CHECK_EQ(m.has, STUN_HAS_MAPPED | STUN_HAS_XOR_MAPPED);
	ATF_CHECK(memcmp(&m.mapped, &m.xor_mapped, sizeof(m.mapped)) == 0);
}

ATF_TC_WITHOUT_HEAD(builder_limits);
ATF_TC_BODY(builder_limits, tc)
{
	struct stun_builder	 b;
	struct sockaddr_in	 sin;
	struct sockaddr		 sa;
	uint8_t			 buf[STUN_HDR_LEN + 8];
	char			 reason[STUN_TEXT_MAX + 2];

	ATF_CHECK(stun_build_init(&b, buf, STUN_HDR_LEN - 1,
	    stun_type(STUN_BINDING, STUN_REQUEST), rfc5769_tid) == -1);
	ATF_CHECK(stun_build_init(&b, buf, sizeof(buf), 0xc001,
	    rfc5769_tid) == -1);

	/* Overflow leaves the message as it was. */
	start(&b, buf, sizeof(buf));
	ATF_CHECK(stun_add_bytes(&b, STUN_ATTR_DATA, "12345", 5) == -1);
	ATF_CHECK_EQ(stun_build_len(&b), STUN_HDR_LEN);
	ATF_CHECK_EQ(buf[3], 0);
	ATF_CHECK(stun_add_bytes(&b, STUN_ATTR_DATA, "1234", 4) == 0);
	ATF_CHECK(stun_add_bytes(&b, STUN_ATTR_USE_CANDIDATE, NULL, 0) == -1);
	ATF_CHECK(stun_add_fingerprint(&b) == -1);
	ATF_CHECK_EQ(stun_build_len(&b), sizeof(buf));

	/* Nothing after FINGERPRINT. */
	start(&b, buf, sizeof(buf));
	ATF_REQUIRE(stun_add_fingerprint(&b) == 0);
	ATF_CHECK(stun_add_bytes(&b, STUN_ATTR_USE_CANDIDATE, NULL, 0) == -1);
	ATF_CHECK(stun_add_fingerprint(&b) == -1);

	/* Bad family, error code, reason. */
	start(&b, buf, sizeof(buf));
	memset(&sa, 0, sizeof(sa));
	sa.sa_family = AF_UNIX;
	ATF_CHECK(stun_add_xor_addr(&b, STUN_ATTR_XOR_PEER_ADDRESS, &sa) ==
	    -1);
	v4(&sin, "192.0.2.1", 1);
	ATF_CHECK(stun_add_xor_addr(&b, STUN_ATTR_XOR_PEER_ADDRESS,
	    (struct sockaddr *)&sin) == -1);	/* 12 bytes do not fit */
	ATF_CHECK(stun_add_error(&b, 299, "") == -1);
	ATF_CHECK(stun_add_error(&b, 700, "") == -1);
	memset(reason, 'r', sizeof(reason) - 1);
	reason[sizeof(reason) - 1] = '\0';
	ATF_CHECK(stun_add_error(&b, STUN_ERR_BAD_REQUEST, reason) == -1);
	ATF_CHECK_EQ(stun_build_len(&b), STUN_HDR_LEN);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, hmac_sha1_rfc2202);
	ATF_TP_ADD_TC(tp, message_type);
	ATF_TP_ADD_TC(tp, rfc5769_sample_request);
	ATF_TP_ADD_TC(tp, rfc5769_ipv4_response);
	ATF_TP_ADD_TC(tp, rfc5769_ipv6_response);
	ATF_TP_ADD_TC(tp, rfc5769_longterm);
	ATF_TP_ADD_TC(tp, build_rfc5769_ipv4_response);
	ATF_TP_ADD_TC(tp, tampered);
	ATF_TP_ADD_TC(tp, malformed_header);
	ATF_TP_ADD_TC(tp, malformed_attributes);
	ATF_TP_ADD_TC(tp, fingerprint_last);
	ATF_TP_ADD_TC(tp, after_integrity_ignored);
	ATF_TP_ADD_TC(tp, attribute_count);
	ATF_TP_ADD_TC(tp, unknown_attributes);
	ATF_TP_ADD_TC(tp, round_trip);
	ATF_TP_ADD_TC(tp, classic_parse);
	ATF_TP_ADD_TC(tp, classic_build);
	ATF_TP_ADD_TC(tp, builder_limits);
	return atf_no_error();
}
