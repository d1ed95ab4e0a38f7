/* Unit tests: the agent <-> tern-signal channel (lib/sigchan.c). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <atf-c.h>
#include <event2/buffer.h>
#include <sodium.h>

#include "sigchan.h"

struct pair {
	uint8_t		 cpriv[KEY_LEN], cpub[KEY_LEN];
	uint8_t		 spriv[KEY_LEN], spub[KEY_LEN];
	struct sigchan	 cli, srv;
	struct evbuffer	*c2s, *s2c;
};

static void
pair_keys(struct pair *p)
{
	ATF_REQUIRE(sodium_init() >= 0);
	memset(p, 0, sizeof(*p));
	crypto_box_keypair(p->cpub, p->cpriv);
	crypto_box_keypair(p->spub, p->spriv);
	p->c2s = evbuffer_new();
	p->s2c = evbuffer_new();
	ATF_REQUIRE(p->c2s != NULL && p->s2c != NULL);
}

/* A complete handshake: both ends open, the server knows the client. */
static void
pair_open(struct pair *p, size_t frame_max, size_t msg_max)
{
	uint8_t		 ts[SIGCHAN_TS_LEN];
	const uint8_t	*m;
	size_t		 len;
	char		 err[128];

	pair_keys(p);
	sigchan_now(ts);
	ATF_REQUIRE(sigchan_init_initiator(&p->cli, p->cpriv, p->spub, ts,
	    FRAME_MAX, 1 << 24, p->c2s) == 0);
	sigchan_init_responder(&p->srv, p->spriv, frame_max, msg_max);
	ATF_REQUIRE_EQ(sigchan_read(&p->srv, p->c2s, &m, &len, err,
	    sizeof(err)), 2);
	ATF_REQUIRE(memcmp(p->srv.rs, p->cpub, KEY_LEN) == 0);
	ATF_REQUIRE(memcmp(p->srv.ts, ts, SIGCHAN_TS_LEN) == 0);
	/* Nothing goes back before the server accepts message 1. */
	ATF_REQUIRE_EQ(evbuffer_get_length(p->s2c), 0);
	ATF_REQUIRE_EQ(sigchan_accept(&p->srv, p->s2c), 0);
	ATF_REQUIRE_EQ(sigchan_read(&p->cli, p->s2c, &m, &len, err,
	    sizeof(err)), 2);
	ATF_REQUIRE_EQ(p->cli.state, SIGCHAN_OPEN);
	ATF_REQUIRE_EQ(p->srv.state, SIGCHAN_OPEN);
}

static void
pair_free(struct pair *p)
{
	sigchan_clear(&p->cli);
	sigchan_clear(&p->srv);
	evbuffer_free(p->c2s);
	evbuffer_free(p->s2c);
}

ATF_TC_WITHOUT_HEAD(roundtrip_both_ways);
ATF_TC_BODY(roundtrip_both_ways, tc)
{
	struct pair	 p;
	const uint8_t	*m;
	size_t		 len;
	char		 err[128];

	pair_open(&p, FRAME_MAX, 1 << 20);
	ATF_REQUIRE(sigchan_write(&p.cli, "{\"type\":\"ping\"}", 15,
	    p.c2s) == 0);
	ATF_REQUIRE_EQ(sigchan_read(&p.srv, p.c2s, &m, &len, err,
	    sizeof(err)), 1);
	ATF_REQUIRE_EQ(len, 15);
	ATF_REQUIRE(memcmp(m, "{\"type\":\"ping\"}", 15) == 0);
	ATF_REQUIRE(sigchan_write(&p.srv, "pong", 4, p.s2c) == 0);
	ATF_REQUIRE(sigchan_write(&p.srv, "", 0, p.s2c) == 0);
	ATF_REQUIRE_EQ(sigchan_read(&p.cli, p.s2c, &m, &len, err,
	    sizeof(err)), 1);
	ATF_REQUIRE(len == 4 && memcmp(m, "pong", 4) == 0);
	ATF_REQUIRE_EQ(sigchan_read(&p.cli, p.s2c, &m, &len, err,
	    sizeof(err)), 1);
	ATF_REQUIRE_EQ(len, 0);
	ATF_REQUIRE_EQ(sigchan_read(&p.cli, p.s2c, &m, &len, err,
	    sizeof(err)), 0);
	pair_free(&p);
}

/* A message of many frames, fed a byte at a time, arrives whole. */
ATF_TC_WITHOUT_HEAD(large_message_split_input);
ATF_TC_BODY(large_message_split_input, tc)
{
	struct pair	 p;
	struct evbuffer	*slow;
	const uint8_t	*m;
	uint8_t		*big, b;
	size_t		 len, i, n = 3 * SIGCHAN_CHUNK_MAX + 17, frames;
	char		 err[128];
	int		 r = 0;

	pair_open(&p, FRAME_MAX, 1 << 20);
	ATF_REQUIRE((big = malloc(n)) != NULL);
	for (i = 0; i < n; i++)
		big[i] = i * 7;
	ATF_REQUIRE(sigchan_write(&p.srv, big, n, p.s2c) == 0);
	frames = (n + SIGCHAN_CHUNK_MAX - 1) / SIGCHAN_CHUNK_MAX;
	ATF_REQUIRE_EQ(evbuffer_get_length(p.s2c), n + frames *
	    (FRAME_OVERHEAD + 1));
	ATF_REQUIRE((slow = evbuffer_new()) != NULL);
	while (evbuffer_remove(p.s2c, &b, 1) == 1) {
		evbuffer_add(slow, &b, 1);
		r = sigchan_read(&p.cli, slow, &m, &len, err,
		    sizeof(err));
		ATF_REQUIRE(r >= 0);
		if (r == 1)
			break;
	}
	ATF_REQUIRE_EQ(r, 1);
	ATF_REQUIRE_EQ(len, n);
	ATF_REQUIRE(memcmp(m, big, n) == 0);
	evbuffer_free(slow);
	free(big);
	pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(wrong_server_key);
ATF_TC_BODY(wrong_server_key, tc)
{
	struct pair	 p;
	uint8_t		 other[KEY_LEN], otherpriv[KEY_LEN];
	uint8_t		 ts[SIGCHAN_TS_LEN];
	const uint8_t	*m;
	size_t		 len;
	char		 err[128];

	pair_keys(&p);
	crypto_box_keypair(other, otherpriv);
	sigchan_now(ts);
	ATF_REQUIRE(sigchan_init_initiator(&p.cli, p.cpriv, other, ts,
	    FRAME_MAX, 1 << 20, p.c2s) == 0);
	sigchan_init_responder(&p.srv, p.spriv, FRAME_MAX, 1 << 20);
	ATF_REQUIRE_EQ(sigchan_read(&p.srv, p.c2s, &m, &len, err,
	    sizeof(err)), -1);
	ATF_REQUIRE_STREQ(err, "handshake failed");
	ATF_REQUIRE_EQ(p.srv.state, SIGCHAN_FAILED);
	ATF_REQUIRE_EQ(evbuffer_get_length(p.s2c), 0);
	pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(handshake_wrong_length);
ATF_TC_BODY(handshake_wrong_length, tc)
{
	struct pair	 p;
	const uint8_t	*m;
	uint8_t		 junk[2 + NOISE_MSG1_OVERHEAD + 1];
	size_t		 len;
	char		 err[128];

	pair_keys(&p);
	memset(junk, 0, sizeof(junk));
	junk[1] = NOISE_MSG1_OVERHEAD + 1;
	evbuffer_add(p.c2s, junk, sizeof(junk));
	sigchan_init_responder(&p.srv, p.spriv, FRAME_MAX, 1 << 20);
	ATF_REQUIRE_EQ(sigchan_read(&p.srv, p.c2s, &m, &len, err,
	    sizeof(err)), -1);
	ATF_REQUIRE_STREQ(err, "handshake message of the wrong length: not "
	    "protocol tern-signal/2");
	pair_free(&p);
}

/* A client of protocol 1 sent message 1 with no payload: refused. */
ATF_TC_WITHOUT_HEAD(handshake_protocol_1);
ATF_TC_BODY(handshake_protocol_1, tc)
{
	struct pair	 p;
	struct noise_hs	 hs;
	const uint8_t	*m;
	uint8_t		 buf[2 + NOISE_MSG1_OVERHEAD];
	size_t		 len;
	char		 err[128];

	pair_keys(&p);
	noise_init_initiator(&hs, p.cpriv, p.spub,
	    (const uint8_t *)"tern-signal/1", strlen("tern-signal/1"));
	ATF_REQUIRE(noise_write_msg(&hs, NULL, 0, buf + 2, sizeof(buf) - 2,
	    &len) == 0);
	buf[0] = len >> 8;
	buf[1] = len & 0xff;
	evbuffer_add(p.c2s, buf, 2 + len);
	sigchan_init_responder(&p.srv, p.spriv, FRAME_MAX, 1 << 20);
	ATF_REQUIRE_EQ(sigchan_read(&p.srv, p.c2s, &m, &len, err,
	    sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "handshake message of the wrong length: not "
	    "protocol tern-signal/2");
	ATF_CHECK_EQ(evbuffer_get_length(p.s2c), 0);
	noise_hs_clear(&hs);
	pair_free(&p);
}

/* Timestamps: later is greater, in the byte order they travel in. */
ATF_TC_WITHOUT_HEAD(timestamps);
ATF_TC_BODY(timestamps, tc)
{
	uint8_t		 a[SIGCHAN_TS_LEN], b[SIGCHAN_TS_LEN];
	struct timespec	 pause = { 0, 2000000 };

	sigchan_now(a);
	nanosleep(&pause, NULL);
	sigchan_now(b);
	ATF_CHECK(sigchan_ts_newer(b, a));
	ATF_CHECK(!sigchan_ts_newer(a, b));
	ATF_CHECK(!sigchan_ts_newer(a, a));
	/* A second more, fewer nanoseconds: still newer. */
	memcpy(b, a, sizeof(b));
	b[7]++;
	memset(b + 8, 0, 4);
	a[11] |= 1;
	ATF_CHECK(sigchan_ts_newer(b, a));
	/* Seconds since 1970 in TAI64: the label's top bits are 0x40. */
	ATF_CHECK_EQ(a[0], 0x40);
}

/* The responder writes no message 2 until it accepts message 1. */
ATF_TC_WITHOUT_HEAD(accept_only_after_read);
ATF_TC_BODY(accept_only_after_read, tc)
{
	struct pair	 p;

	pair_keys(&p);
	sigchan_init_responder(&p.srv, p.spriv, FRAME_MAX, 1 << 20);
	ATF_CHECK_EQ(sigchan_accept(&p.srv, p.s2c), -1);
	ATF_CHECK_EQ(evbuffer_get_length(p.s2c), 0);
	pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(tampered_frame);
ATF_TC_BODY(tampered_frame, tc)
{
	struct pair	 p;
	const uint8_t	*m;
	unsigned char	*b;
	size_t		 len;
	char		 err[128];

	pair_open(&p, FRAME_MAX, 1 << 20);
	ATF_REQUIRE(sigchan_write(&p.cli, "hello", 5, p.c2s) == 0);
	b = evbuffer_pullup(p.c2s, -1);
	b[FRAME_HDR_LEN + 2] ^= 0x40;
	ATF_REQUIRE_EQ(sigchan_read(&p.srv, p.c2s, &m, &len, err,
	    sizeof(err)), -1);
	ATF_REQUIRE_STREQ(err, "frame failed to decrypt");
	/* Out of step for good. */
	ATF_REQUIRE(sigchan_write(&p.cli, "again", 5, p.c2s) == 0);
	ATF_REQUIRE_EQ(sigchan_read(&p.srv, p.c2s, &m, &len, err,
	    sizeof(err)), -1);
	pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(replayed_frame);
ATF_TC_BODY(replayed_frame, tc)
{
	struct pair	 p;
	const uint8_t	*m;
	uint8_t		 copy[256];
	size_t		 len, flen;
	char		 err[128];

	pair_open(&p, FRAME_MAX, 1 << 20);
	ATF_REQUIRE(sigchan_write(&p.cli, "hello", 5, p.c2s) == 0);
	flen = evbuffer_get_length(p.c2s);
	ATF_REQUIRE(flen < sizeof(copy));
	evbuffer_copyout(p.c2s, copy, flen);
	ATF_REQUIRE_EQ(sigchan_read(&p.srv, p.c2s, &m, &len, err,
	    sizeof(err)), 1);
	evbuffer_add(p.c2s, copy, flen);
	ATF_REQUIRE_EQ(sigchan_read(&p.srv, p.c2s, &m, &len, err,
	    sizeof(err)), -1);
	ATF_REQUIRE_STREQ(err, "frame failed to decrypt");
	pair_free(&p);
}

/* A truncated frame is only incomplete: nothing is delivered. */
ATF_TC_WITHOUT_HEAD(truncated_frame);
ATF_TC_BODY(truncated_frame, tc)
{
	struct pair	 p;
	struct evbuffer	*part;
	const uint8_t	*m;
	size_t		 len;
	char		 err[128];

	pair_open(&p, FRAME_MAX, 1 << 20);
	ATF_REQUIRE(sigchan_write(&p.cli, "hello", 5, p.c2s) == 0);
	ATF_REQUIRE((part = evbuffer_new()) != NULL);
	evbuffer_remove_buffer(p.c2s, part, evbuffer_get_length(p.c2s) - 1);
	ATF_REQUIRE_EQ(sigchan_read(&p.srv, part, &m, &len, err,
	    sizeof(err)), 0);
	ATF_REQUIRE_EQ(p.srv.state, SIGCHAN_OPEN);
	evbuffer_free(part);
	pair_free(&p);
}

/* The frame limit is checked on the header, before the body arrives. */
ATF_TC_WITHOUT_HEAD(frame_over_limit);
ATF_TC_BODY(frame_over_limit, tc)
{
	struct pair	 p;
	struct evbuffer	*hdr;
	const uint8_t	*m;
	uint8_t		 buf[2048];
	size_t		 len;
	char		 err[128];

	pair_open(&p, 1024, 1 << 20);
	memset(buf, 'x', sizeof(buf));
	ATF_REQUIRE(sigchan_write(&p.cli, buf, sizeof(buf), p.c2s) == 0);
	ATF_REQUIRE((hdr = evbuffer_new()) != NULL);
	evbuffer_remove_buffer(p.c2s, hdr, FRAME_HDR_LEN);
	ATF_REQUIRE_EQ(sigchan_read(&p.srv, hdr, &m, &len, err,
	    sizeof(err)), -1);
	ATF_REQUIRE_STREQ(err, "frame of 2067 bytes exceeds the limit of 1024");
	evbuffer_free(hdr);
	pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(message_over_limit);
ATF_TC_BODY(message_over_limit, tc)
{
	struct pair	 p;
	const uint8_t	*m;
	uint8_t		*buf;
	size_t		 len, n = SIGCHAN_CHUNK_MAX + 10;
	char		 err[128];

	pair_open(&p, FRAME_MAX, SIGCHAN_CHUNK_MAX);
	ATF_REQUIRE((buf = calloc(1, n)) != NULL);
	ATF_REQUIRE(sigchan_write(&p.cli, buf, SIGCHAN_CHUNK_MAX, p.c2s) == 0);
	ATF_REQUIRE_EQ(sigchan_read(&p.srv, p.c2s, &m, &len, err,
	    sizeof(err)), 1);
	ATF_REQUIRE_EQ(len, SIGCHAN_CHUNK_MAX);
	ATF_REQUIRE(sigchan_write(&p.cli, buf, n, p.c2s) == 0);
	ATF_REQUIRE_EQ(sigchan_read(&p.srv, p.c2s, &m, &len, err,
	    sizeof(err)), -1);
	ATF_REQUIRE_STREQ(err, "message exceeds the limit of 65516 bytes");
	free(buf);
	pair_free(&p);
}

/* A frame whose flags byte is unknown, or that has none, is refused. */
ATF_TC_WITHOUT_HEAD(bad_flags);
ATF_TC_BODY(bad_flags, tc)
{
	struct pair	 p;
	const uint8_t	*m;
	uint8_t		 pt[4] = { 0x03, 'a', 'b', 'c' }, out[64];
	size_t		 len, flen;
	char		 err[128];

	pair_open(&p, FRAME_MAX, 1 << 20);
	ATF_REQUIRE(frame_encode(&p.cli.tx, pt, sizeof(pt), out, sizeof(out),
	    &flen) == 0);
	evbuffer_add(p.c2s, out, flen);
	ATF_REQUIRE_EQ(sigchan_read(&p.srv, p.c2s, &m, &len, err,
	    sizeof(err)), -1);
	ATF_REQUIRE_STREQ(err, "malformed frame flags");
	pair_free(&p);

	pair_open(&p, FRAME_MAX, 1 << 20);
	ATF_REQUIRE(frame_encode(&p.cli.tx, pt, 0, out, sizeof(out),
	    &flen) == 0);
	evbuffer_add(p.c2s, out, flen);
	ATF_REQUIRE_EQ(sigchan_read(&p.srv, p.c2s, &m, &len, err,
	    sizeof(err)), -1);
	ATF_REQUIRE_STREQ(err, "malformed frame flags");
	pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(write_before_open);
ATF_TC_BODY(write_before_open, tc)
{
	struct pair	 p;

	pair_keys(&p);
	sigchan_init_responder(&p.srv, p.spriv, FRAME_MAX, 1 << 20);
	ATF_REQUIRE_EQ(sigchan_write(&p.srv, "x", 1, p.s2c), -1);
	ATF_REQUIRE_EQ(evbuffer_get_length(p.s2c), 0);
	pair_free(&p);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, roundtrip_both_ways);
	ATF_TP_ADD_TC(tp, large_message_split_input);
	ATF_TP_ADD_TC(tp, wrong_server_key);
	ATF_TP_ADD_TC(tp, handshake_wrong_length);
	ATF_TP_ADD_TC(tp, handshake_protocol_1);
	ATF_TP_ADD_TC(tp, timestamps);
	ATF_TP_ADD_TC(tp, accept_only_after_read);
	ATF_TP_ADD_TC(tp, tampered_frame);
	ATF_TP_ADD_TC(tp, replayed_frame);
	ATF_TP_ADD_TC(tp, truncated_frame);
	ATF_TP_ADD_TC(tp, frame_over_limit);
	ATF_TP_ADD_TC(tp, message_over_limit);
	ATF_TP_ADD_TC(tp, bad_flags);
	ATF_TP_ADD_TC(tp, write_before_open);
	return atf_no_error();
}
