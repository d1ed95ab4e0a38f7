/*
 * The agent <-> tern-signal channel (ternd engine, tern-signal server,
 * tests): Noise IK handshake, then messages cut into transport frames.
 * The caller moves the bytes; limits on input are checked here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "sigchan.h"

/* TAI64 label of 1970-01-01 00:00:10 TAI, which is 00:00:00 UTC. */
#define SIGCHAN_TAI64_EPOCH	0x400000000000000aULL
#define SIGCHAN_TS_SEC_LEN	8	/* TAI64 seconds, then nanoseconds */

static int	 sigchan_open(struct sigchan *, char *, size_t);
static int	 sigchan_hs_write(struct sigchan *, const uint8_t *, size_t,
		    struct evbuffer *);

/* Scratch for one frame; the channel is used from one thread. */
static uint8_t	 sigchan_pt[FRAME_PAYLOAD_MAX];
static uint8_t	 sigchan_ct[FRAME_MAX];

static int
sigchan_fail(struct sigchan *c, char *err, size_t errlen, const char *what)
{
	c->state = SIGCHAN_FAILED;
	if (err != NULL)
		snprintf(err, errlen, "%s", what);
	return -1;
}

static void
sigchan_init(struct sigchan *c, size_t frame_max, size_t msg_max)
{
	memset(c, 0, sizeof(*c));
	c->state = SIGCHAN_HS_WAIT;
	c->frame_max = frame_max > FRAME_MAX ? FRAME_MAX : frame_max;
	c->msg_max = msg_max;
}

/* The wall clock as TAI64N: later times compare greater with memcmp. */
void
sigchan_now(uint8_t ts[SIGCHAN_TS_LEN])
{
	struct timespec	 now;
	uint64_t	 sec;
	uint32_t	 ns;
	size_t		 i;

	clock_gettime(CLOCK_REALTIME, &now);
	sec = SIGCHAN_TAI64_EPOCH + (uint64_t)now.tv_sec;
	ns = (uint32_t)now.tv_nsec;
	for (i = 0; i < SIGCHAN_TS_SEC_LEN; i++)
		ts[i] = sec >> (8 * (SIGCHAN_TS_SEC_LEN - 1 - i));
	for (i = 0; i < SIGCHAN_TS_LEN - SIGCHAN_TS_SEC_LEN; i++)
		ts[SIGCHAN_TS_SEC_LEN + i] = ns >> (8 *
		    (SIGCHAN_TS_LEN - SIGCHAN_TS_SEC_LEN - 1 - i));
}

/* 1 if timestamp a is strictly later than b. */
int
sigchan_ts_newer(const uint8_t a[SIGCHAN_TS_LEN],
    const uint8_t b[SIGCHAN_TS_LEN])
{
	return memcmp(a, b, SIGCHAN_TS_LEN) > 0;
}

/* Our handshake message with its payload and 2-byte length, to out. */
static int
sigchan_hs_write(struct sigchan *c, const uint8_t *payload, size_t plen,
    struct evbuffer *out)
{
	uint8_t	 buf[FRAME_HDR_LEN + SIGCHAN_HS_MAX];
	size_t	 len;

	if (noise_write_msg(&c->hs, payload, plen, buf + FRAME_HDR_LEN,
	    sizeof(buf) - FRAME_HDR_LEN, &len) == -1)
		return sigchan_fail(c, NULL, 0, NULL);
	buf[0] = len >> 8;
	buf[1] = len & 0xff;
	if (evbuffer_add(out, buf, FRAME_HDR_LEN + len) == -1)
		return sigchan_fail(c, NULL, 0, NULL);
	return 0;
}

int
sigchan_init_initiator(struct sigchan *c, const uint8_t s[KEY_LEN],
    const uint8_t server[KEY_LEN], const uint8_t ts[SIGCHAN_TS_LEN],
    size_t frame_max, size_t msg_max, struct evbuffer *out)
{
	sigchan_init(c, frame_max, msg_max);
	c->initiator = 1;
	memcpy(c->rs, server, KEY_LEN);
	noise_init_initiator(&c->hs, s, server,
	    (const uint8_t *)SIGCHAN_PROLOGUE, sizeof(SIGCHAN_PROLOGUE) - 1);
	memcpy(c->ts, ts, SIGCHAN_TS_LEN);
	return sigchan_hs_write(c, ts, SIGCHAN_TS_LEN, out);
}

void
sigchan_init_responder(struct sigchan *c, const uint8_t s[KEY_LEN],
    size_t frame_max, size_t msg_max)
{
	sigchan_init(c, frame_max, msg_max);
	noise_init_responder(&c->hs, s, (const uint8_t *)SIGCHAN_PROLOGUE,
	    sizeof(SIGCHAN_PROLOGUE) - 1);
}

void
sigchan_clear(struct sigchan *c)
{
	free(c->msg);
	sodium_memzero(c, sizeof(*c));
	c->state = SIGCHAN_FAILED;
}

/* The handshake is done: transport keys, the handshake's secrets gone. */
static int
sigchan_open(struct sigchan *c, char *err, size_t errlen)
{
	if (noise_split(&c->hs, &c->tx, &c->rx) == -1)
		return sigchan_fail(c, err, errlen, "handshake failed");
	noise_hs_clear(&c->hs);
	c->state = SIGCHAN_OPEN;
	return 2;
}

/*
 * Message 1 (responder) or 2 (initiator), with its 2-byte length.  The
 * responder writes nothing yet: its caller checks the key and the
 * timestamp first, so a message 1 it refuses costs one DH less and
 * gets no answer.
 */
static int
sigchan_handshake(struct sigchan *c, struct evbuffer *in, char *err,
    size_t errlen)
{
	uint8_t	 hdr[FRAME_HDR_LEN], buf[FRAME_HDR_LEN + SIGCHAN_HS_MAX];
	uint8_t	 payload[SIGCHAN_TS_LEN];
	size_t	 len, want, plen;

	if (evbuffer_copyout(in, hdr, sizeof(hdr)) != (ssize_t)sizeof(hdr))
		return 0;
	/* Payloads of fixed size: the lengths are exact. */
	want = c->initiator ? NOISE_MSG2_OVERHEAD :
	    NOISE_MSG1_OVERHEAD + SIGCHAN_TS_LEN;
	len = (size_t)hdr[0] << 8 | hdr[1];
	if (len != want)
		return sigchan_fail(c, err, errlen, c->initiator ?
		    "handshake message of the wrong length" :
		    "handshake message of the wrong length: not protocol "
		    "tern-signal/2");
	if (evbuffer_get_length(in) < FRAME_HDR_LEN + len)
		return 0;
	if (evbuffer_remove(in, buf, FRAME_HDR_LEN + len) !=
	    (int)(FRAME_HDR_LEN + len))
		return sigchan_fail(c, err, errlen, "reading the handshake");
	if (noise_read_msg(&c->hs, buf + FRAME_HDR_LEN, len, payload,
	    sizeof(payload), &plen) == -1)
		return sigchan_fail(c, err, errlen, c->initiator ?
		    "handshake failed: wrong server key?" :
		    "handshake failed");
	if (c->initiator)
		return sigchan_open(c, err, errlen);
	memcpy(c->rs, noise_remote_static(&c->hs), KEY_LEN);
	memcpy(c->ts, payload, SIGCHAN_TS_LEN);
	c->state = SIGCHAN_HS_READ;
	return 2;
}

/* The responder answers a message 1 it accepts with message 2. */
int
sigchan_accept(struct sigchan *c, struct evbuffer *out)
{
	if (c->state != SIGCHAN_HS_READ ||
	    sigchan_hs_write(c, NULL, 0, out) == -1)
		return sigchan_fail(c, NULL, 0, NULL);
	return sigchan_open(c, NULL, 0) == 2 ? 0 : -1;
}

/* Appends a chunk to the message being reassembled, within msg_max. */
static int
sigchan_append(struct sigchan *c, const uint8_t *p, size_t len)
{
	uint8_t	*n;
	size_t	 cap;

	if (len > c->msg_max - c->msglen)
		return -1;
	if (len == 0)
		return 0;
	if (c->msglen + len > c->msgcap) {
		cap = c->msgcap ? c->msgcap : 1024;
		while (cap < c->msglen + len)
			cap *= 2;
		if (cap > c->msg_max)
			cap = c->msg_max;
		if ((n = realloc(c->msg, cap)) == NULL)
			return -1;
		c->msg = n;
		c->msgcap = cap;
	}
	memcpy(c->msg + c->msglen, p, len);
	c->msglen += len;
	return 0;
}

int
sigchan_read(struct sigchan *c, struct evbuffer *in, const uint8_t **msg,
    size_t *msglen, char *err, size_t errlen)
{
	uint8_t	 hdr[FRAME_HDR_LEN];
	size_t	 ctlen, ptlen;
	char	 what[128];

	if (c->state == SIGCHAN_FAILED)
		return sigchan_fail(c, err, errlen, "channel failed");
	if (c->state == SIGCHAN_HS_WAIT)
		return sigchan_handshake(c, in, err, errlen);
	/* Nothing is read before the caller answers message 1. */
	if (c->state == SIGCHAN_HS_READ)
		return 0;
	/* The last message was handed out: its buffer goes. */
	if (c->delivered) {
		free(c->msg);
		c->msg = NULL;
		c->msglen = c->msgcap = 0;
		c->delivered = 0;
	}
	for (;;) {
		if (evbuffer_copyout(in, hdr, sizeof(hdr)) !=
		    (ssize_t)sizeof(hdr))
			return 0;
		if (frame_ctlen(hdr, &ctlen) == -1)
			return sigchan_fail(c, err, errlen, "malformed frame");
		/* Refused on its header, before any of the body is kept. */
		if (FRAME_HDR_LEN + ctlen > c->frame_max) {
			snprintf(what, sizeof(what), "frame of %zu bytes "
			    "exceeds the limit of %zu", FRAME_HDR_LEN + ctlen,
			    c->frame_max);
			return sigchan_fail(c, err, errlen, what);
		}
		if (evbuffer_get_length(in) < FRAME_HDR_LEN + ctlen)
			return 0;
		if (evbuffer_remove(in, sigchan_ct, FRAME_HDR_LEN + ctlen) !=
		    (int)(FRAME_HDR_LEN + ctlen))
			return sigchan_fail(c, err, errlen, "reading a frame");
		if (frame_open(&c->rx, sigchan_ct + FRAME_HDR_LEN, ctlen,
		    sigchan_pt, sizeof(sigchan_pt), &ptlen) == -1)
			return sigchan_fail(c, err, errlen,
			    "frame failed to decrypt");
		if (ptlen < 1 || (sigchan_pt[0] & ~SIGCHAN_LAST) != 0)
			return sigchan_fail(c, err, errlen,
			    "malformed frame flags");
		if (sigchan_append(c, sigchan_pt + 1, ptlen - 1) == -1) {
			snprintf(what, sizeof(what), "message exceeds the "
			    "limit of %zu bytes", c->msg_max);
			return sigchan_fail(c, err, errlen, what);
		}
		if (sigchan_pt[0] == SIGCHAN_LAST) {
			/* An empty message still needs a valid pointer. */
			*msg = c->msg != NULL ? c->msg : sigchan_pt;
			*msglen = c->msglen;
			c->delivered = 1;
			return 1;
		}
	}
}

int
sigchan_write(struct sigchan *c, const void *msg, size_t len,
    struct evbuffer *out)
{
	const uint8_t	*p = msg;
	size_t		 n, flen;

	if (c->state != SIGCHAN_OPEN)
		return -1;
	do {
		n = len > SIGCHAN_CHUNK_MAX ? SIGCHAN_CHUNK_MAX : len;
		sigchan_pt[0] = n == len ? SIGCHAN_LAST : SIGCHAN_MORE;
		if (n > 0)
			memcpy(sigchan_pt + 1, p, n);
		if (frame_encode(&c->tx, sigchan_pt, n + 1, sigchan_ct,
		    sizeof(sigchan_ct), &flen) == -1 ||
		    evbuffer_add(out, sigchan_ct, flen) == -1) {
			c->state = SIGCHAN_FAILED;
			return -1;
		}
		p += n;
		len -= n;
	} while (len > 0);
	return 0;
}
