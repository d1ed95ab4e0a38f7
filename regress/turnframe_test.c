/*
 * Unit tests of lib/turnframe.c, TURN over a byte stream: a stream cut
 * at every byte, or read a byte at a time, yields the same messages;
 * two in one read; ChannelData's padding dropped on input and written
 * on output; frames longer than the cap and bytes that are neither STUN
 * nor ChannelData end the stream at once, for good.
 */
#include <stdint.h>
#include <string.h>

#include <atf-c.h>

#include "turnframe.h"

#define STREAM_MAX	256	/* the test stream below */
#define MSGS_MAX	8
#define SMALL_CAP	100	/* a cap the oversize cases cross */

struct msg {
	uint8_t		 b[STREAM_MAX];
	size_t		 len;		/* as a datagram carries it */
};

/* Appends a STUN message with body bytes of attributes. */
static size_t
put_stun(uint8_t *p, uint16_t type, size_t body, uint8_t fill)
{
	memset(p, fill, STUN_HDR_LEN + body);
	p[0] = type >> 8;
	p[1] = type & 0xff;
	p[2] = body >> 8;
	p[3] = body & 0xff;
	p[4] = STUN_COOKIE >> 24;
	p[5] = (STUN_COOKIE >> 16) & 0xff;
	p[6] = (STUN_COOKIE >> 8) & 0xff;
	p[7] = STUN_COOKIE & 0xff;
	return STUN_HDR_LEN + body;
}

/*
 * The stream: a Binding request with no attribute, ChannelData of 5
 * bytes (3 of padding), an Allocate answer of 12 bytes of attributes,
 * empty ChannelData and ChannelData of 8 bytes (no padding).
 */
static size_t
make_stream(uint8_t *s, struct msg *m, size_t *nm)
{
	static const size_t	 cdlen[] = { 5, 0, 8 };
	size_t			 off = 0, i, k = 0, n;

	m[k].len = put_stun(s + off, 0x0001, 0, 0);
	memcpy(m[k].b, s + off, m[k].len);
	off += m[k++].len;
	for (i = 0; i < 3; i++) {
		if (i == 1) {
			m[k].len = put_stun(s + off, 0x0103, 12, 0x5a);
			memcpy(m[k].b, s + off, m[k].len);
			off += m[k++].len;
		}
		memset(m[k].b + TURNFRAME_CD_HDR, 'a' + i, cdlen[i]);
		n = turnframe_chandata(s + off, STREAM_MAX - off,
		    TURNFRAME_CHAN_MIN + i, m[k].b + TURNFRAME_CD_HDR,
		    cdlen[i]);
		ATF_REQUIRE(n > 0);
		memcpy(m[k].b, s + off, TURNFRAME_CD_HDR);
		m[k].len = TURNFRAME_CD_HDR + cdlen[i];
		off += n;
		k++;
	}
	*nm = k;
	return off;
}

/* Feeds s[0..len) in reads of at most chunk bytes (cut first at cut). */
static void
run(const uint8_t *s, size_t len, size_t cut, size_t chunk,
    const struct msg *m, size_t nm)
{
	struct turnframe	 tf;
	uint8_t			*p;
	uint8_t			*dst;
	size_t			 off = 0, got = 0, avail, n, plen;
	int			 r;

	ATF_REQUIRE(turnframe_init(&tf, TURNFRAME_MAX) == 0);
	while (off < len) {
		dst = turnframe_space(&tf, &avail);
		ATF_REQUIRE_MSG(avail > 0, "no room at %zu", off);
		n = off < cut ? cut - off : chunk;
		if (n > len - off)
			n = len - off;
		if (n > avail)
			n = avail;
		memcpy(dst, s + off, n);
		turnframe_fill(&tf, n);
		off += n;
		while ((r = turnframe_next(&tf, &p, &plen)) == 1) {
			ATF_REQUIRE_MSG(got < nm, "cut %zu: extra message",
			    cut);
			ATF_CHECK_EQ_MSG(plen, m[got].len, "cut %zu, message "
			    "%zu", cut, got);
			ATF_CHECK_MSG(memcmp(p, m[got].b, m[got].len) == 0,
			    "cut %zu, message %zu", cut, got);
			got++;
		}
		ATF_REQUIRE_EQ_MSG(r, 0, "cut %zu: framing failed", cut);
	}
	ATF_CHECK_EQ_MSG(got, nm, "cut %zu", cut);
	turnframe_free(&tf);
}

ATF_TC_WITHOUT_HEAD(every_split);
ATF_TC_BODY(every_split, tc)
{
	uint8_t		 s[STREAM_MAX];
	struct msg	 m[MSGS_MAX];
	size_t		 len, nm, cut;

	len = make_stream(s, m, &nm);
	ATF_REQUIRE_EQ(nm, 5);
	/* 20 + 12 + 32 + 4 + 12: ChannelData of 5 bytes is padded to 12. */
	ATF_REQUIRE_EQ(len, 80);
	for (cut = 0; cut <= len; cut++)
		run(s, len, cut, len, m, nm);
	/* A byte at a time, and every message in one read. */
	run(s, len, 0, 1, m, nm);
	run(s, len, len, len, m, nm);
}

ATF_TC_WITHOUT_HEAD(two_in_one_read);
ATF_TC_BODY(two_in_one_read, tc)
{
	struct turnframe	 tf;
	uint8_t			*p;
	uint8_t			*dst, data[3] = { 1, 2, 3 };
	size_t			 avail, n, len;

	ATF_REQUIRE(turnframe_init(&tf, TURNFRAME_MAX) == 0);
	dst = turnframe_space(&tf, &avail);
	ATF_REQUIRE_EQ(avail, TURNFRAME_MAX);
	n = turnframe_chandata(dst, avail, 0x4001, data, sizeof(data));
	ATF_REQUIRE_EQ(n, 8);
	n += put_stun(dst + n, 0x0101, 4, 7);
	/* And the first two bytes of a third. */
	dst[n] = 0x40;
	dst[n + 1] = 0x02;
	turnframe_fill(&tf, n + 2);
	ATF_REQUIRE_EQ(turnframe_next(&tf, &p, &len), 1);
	ATF_CHECK_EQ(len, TURNFRAME_CD_HDR + sizeof(data));
	ATF_CHECK(memcmp(p + TURNFRAME_CD_HDR, data, sizeof(data)) == 0);
	ATF_REQUIRE_EQ(turnframe_next(&tf, &p, &len), 1);
	ATF_CHECK_EQ(len, STUN_HDR_LEN + 4);
	ATF_CHECK_EQ(p[1], 0x01);
	ATF_CHECK_EQ(turnframe_next(&tf, &p, &len), 0);
	/* The partial frame moved to the front; the rest of the room is free. */
	dst = turnframe_space(&tf, &avail);
	ATF_CHECK_EQ(avail, TURNFRAME_MAX - 2);
	ATF_CHECK_EQ(dst[-2], 0x40);
	ATF_CHECK_EQ(dst[-1], 0x02);
	turnframe_free(&tf);
}

ATF_TC_WITHOUT_HEAD(padding);
ATF_TC_BODY(padding, tc)
{
	uint8_t		 buf[32], data[16];
	size_t		 len, n, i;

	memset(data, 0xee, sizeof(data));
	for (len = 0; len <= 9; len++) {
		memset(buf, 0xff, sizeof(buf));
		n = turnframe_chandata(buf, sizeof(buf), TURNFRAME_CHAN_MAX,
		    data, len);
		ATF_CHECK_EQ_MSG(n, (TURNFRAME_CD_HDR + len + 3) / 4 * 4,
		    "len %zu", len);
		ATF_CHECK_EQ(buf[0], 0x7f);
		ATF_CHECK_EQ(buf[1], 0xff);
		ATF_CHECK_EQ(buf[3], len);
		/* Zeros in the padding, nothing written past it. */
		for (i = TURNFRAME_CD_HDR + len; i < n; i++)
			ATF_CHECK_EQ_MSG(buf[i], 0, "len %zu, byte %zu", len,
			    i);
		ATF_CHECK_EQ(buf[n], 0xff);
		ATF_CHECK_EQ(turnframe_len(buf, n), (ssize_t)n);
		ATF_CHECK_EQ(turnframe_len(buf, n - 1), 0);
	}
	/* In place: the data already after the header. */
	memcpy(buf + TURNFRAME_CD_HDR, "hello", 5);
	ATF_CHECK_EQ(turnframe_chandata(buf, sizeof(buf), 0x4abc,
	    buf + TURNFRAME_CD_HDR, 5), 12);
	ATF_CHECK(memcmp(buf + TURNFRAME_CD_HDR, "hello\0\0\0", 8) == 0);
	/* Room for the data but not its padding; no channel numbers. */
	ATF_CHECK_EQ(turnframe_chandata(buf, 11, 0x4000, data, 5), 0);
	ATF_CHECK_EQ(turnframe_chandata(buf, 12, 0x4000, data, 5), 12);
	ATF_CHECK_EQ(turnframe_chandata(buf, sizeof(buf), 0x3fff, data, 1), 0);
	ATF_CHECK_EQ(turnframe_chandata(buf, sizeof(buf), 0x8000, data, 1), 0);
}

/* Bytes fed at once to a fresh buffer of cap: what turnframe_next says. */
static int
feed(size_t cap, const uint8_t *s, size_t len)
{
	struct turnframe	 tf;
	uint8_t			*p;
	uint8_t			*dst;
	size_t			 avail, plen;
	int			 r;

	ATF_REQUIRE(turnframe_init(&tf, cap) == 0);
	dst = turnframe_space(&tf, &avail);
	ATF_REQUIRE(len <= avail);
	memcpy(dst, s, len);
	turnframe_fill(&tf, len);
	r = turnframe_next(&tf, &p, &plen);
	/* An error stays. */
	if (r == -1)
		ATF_CHECK_EQ(turnframe_next(&tf, &p, &plen), -1);
	turnframe_free(&tf);
	return r;
}

ATF_TC_WITHOUT_HEAD(oversize);
ATF_TC_BODY(oversize, tc)
{
	static uint8_t	 s[TURNFRAME_MAX];
	size_t		 n;

	/* The header alone condemns a frame the cap cannot hold. */
	n = put_stun(s, 0x0001, SMALL_CAP - STUN_HDR_LEN + 4, 0);
	ATF_CHECK_EQ(feed(SMALL_CAP, s, TURNFRAME_CD_HDR), -1);
	ATF_CHECK_EQ(feed(SMALL_CAP, s, SMALL_CAP), -1);
	/* Exactly the cap is taken. */
	n = put_stun(s, 0x0001, SMALL_CAP - STUN_HDR_LEN, 0);
	ATF_CHECK_EQ(feed(SMALL_CAP, s, TURNFRAME_CD_HDR), 0);
	ATF_CHECK_EQ(feed(SMALL_CAP, s, n), 1);
	/* ChannelData counts its padding: 4 + 93 takes 100, 4 + 97 104. */
	ATF_REQUIRE(turnframe_chandata(s, sizeof(s), 0x4000, s + 200, 93) ==
	    SMALL_CAP);
	ATF_CHECK_EQ(feed(SMALL_CAP, s, SMALL_CAP), 1);
	s[3] = 97;
	ATF_CHECK_EQ(feed(SMALL_CAP, s, TURNFRAME_CD_HDR), -1);
	/* At the largest cap, the largest frames of both kinds pass. */
	n = put_stun(s, 0x0017, TURNFRAME_MAX - STUN_HDR_LEN, 0);
	ATF_CHECK_EQ(n, TURNFRAME_MAX);
	ATF_CHECK_EQ(feed(TURNFRAME_MAX, s, n), 1);
	n = turnframe_chandata(s, sizeof(s), 0x4000, s + 8, TURNFRAME_LEN_MAX);
	ATF_CHECK_EQ(n, TURNFRAME_CD_HDR + TURNFRAME_LEN_MAX + 1);
	ATF_CHECK_EQ(feed(TURNFRAME_MAX, s, n), 1);
	ATF_CHECK_EQ(turnframe_chandata(s, sizeof(s), 0x4000, s,
	    TURNFRAME_LEN_MAX + 1), 0);
	/* Caps outside the range are refused. */
	{
		struct turnframe	 tf;

		ATF_CHECK_EQ(turnframe_init(&tf, TURNFRAME_MIN - 1), -1);
		ATF_CHECK_EQ(turnframe_init(&tf, TURNFRAME_MAX + 1), -1);
	}
}

ATF_TC_WITHOUT_HEAD(garbage);
ATF_TC_BODY(garbage, tc)
{
	uint8_t	 s[STUN_HDR_LEN + 8];

	put_stun(s, 0x0001, 8, 0);
	ATF_CHECK_EQ(feed(TURNFRAME_MAX, s, sizeof(s)), 1);
	/* Top bits 10 and 11: neither STUN nor ChannelData. */
	s[0] = 0x80;
	ATF_CHECK_EQ(feed(TURNFRAME_MAX, s, TURNFRAME_CD_HDR), -1);
	s[0] = 0xc0;
	ATF_CHECK_EQ(feed(TURNFRAME_MAX, s, sizeof(s)), -1);
	/* STUN whose length is no multiple of 4. */
	s[0] = 0;
	s[3] = 7;
	ATF_CHECK_EQ(feed(TURNFRAME_MAX, s, sizeof(s)), -1);
	/* Fewer than 4 bytes: not judged yet. */
	s[0] = 0xff;
	ATF_CHECK_EQ(feed(TURNFRAME_MAX, s, TURNFRAME_CD_HDR - 1), 0);
	/* Garbage after a good frame: the frame, then the end. */
	{
		struct turnframe	 tf;
		uint8_t			*p;
		uint8_t			*dst;
		size_t			 avail, len;

		ATF_REQUIRE(turnframe_init(&tf, TURNFRAME_MAX) == 0);
		dst = turnframe_space(&tf, &avail);
		put_stun(dst, 0x0001, 0, 0);
		memset(dst + STUN_HDR_LEN, 0xff, 4);
		turnframe_fill(&tf, STUN_HDR_LEN + 4);
		ATF_CHECK_EQ(turnframe_next(&tf, &p, &len), 1);
		ATF_CHECK_EQ(turnframe_next(&tf, &p, &len), -1);
		turnframe_free(&tf);
	}
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, every_split);
	ATF_TP_ADD_TC(tp, two_in_one_read);
	ATF_TP_ADD_TC(tp, padding);
	ATF_TP_ADD_TC(tp, oversize);
	ATF_TP_ADD_TC(tp, garbage);
	return atf_no_error();
}
