/*
 * TURN over a byte stream (RFC 8656 12.5): where each STUN message or
 * ChannelData frame ends, a bounded input buffer that yields them one
 * at a time, and ChannelData written with its padding.
 */
#include <stdlib.h>
#include <string.h>

#include "turnframe.h"

#define TURNFRAME_STUN_MASK	0xc0	/* RFC 8489 5: top bits 00 */
#define TURNFRAME_CD_MASK	0xc0	/* RFC 8656 12.4: top bits 01 */
#define TURNFRAME_CD_BITS	0x40

static size_t	 turnframe_roundup(size_t);
static ssize_t	 turnframe_need(const uint8_t *, size_t);

static size_t
turnframe_roundup(size_t n)
{
	return (n + TURNFRAME_ALIGN - 1) & ~(size_t)(TURNFRAME_ALIGN - 1);
}

/*
 * The whole length of the frame whose header starts p: 0 while the
 * header is incomplete, -1 if it is neither.  A STUN message's length
 * counts whole attributes, a multiple of 4 (RFC 8489 5); ChannelData's
 * counts its data alone (RFC 8656 12.4).
 */
static ssize_t
turnframe_need(const uint8_t *p, size_t len)
{
	size_t	 body;

	if (len < TURNFRAME_CD_HDR)
		return 0;
	body = (size_t)p[2] << 8 | p[3];
	if ((p[0] & TURNFRAME_CD_MASK) == TURNFRAME_CD_BITS)
		return turnframe_roundup(TURNFRAME_CD_HDR + body);
	if ((p[0] & TURNFRAME_STUN_MASK) == 0 && body % TURNFRAME_ALIGN == 0)
		return STUN_HDR_LEN + body;
	return -1;
}

ssize_t
turnframe_len(const uint8_t *p, size_t len)
{
	ssize_t	 n = turnframe_need(p, len);

	return n > 0 && (size_t)n > len ? 0 : n;
}

int
turnframe_init(struct turnframe *tf, size_t cap)
{
	memset(tf, 0, sizeof(*tf));
	if (cap < TURNFRAME_MIN || cap > TURNFRAME_MAX ||
	    (tf->buf = malloc(cap)) == NULL)
		return -1;
	tf->cap = cap;
	return 0;
}

void
turnframe_free(struct turnframe *tf)
{
	free(tf->buf);
	memset(tf, 0, sizeof(*tf));
}

uint8_t *
turnframe_space(struct turnframe *tf, size_t *avail)
{
	if (tf->off > 0) {
		memmove(tf->buf, tf->buf + tf->off, tf->len);
		tf->off = 0;
	}
	*avail = tf->cap - tf->len;
	return tf->buf + tf->len;
}

void
turnframe_fill(struct turnframe *tf, size_t n)
{
	/* A read never returns more than it was given room for. */
	if (n > tf->cap - tf->off - tf->len)
		n = tf->cap - tf->off - tf->len;
	tf->len += n;
}

int
turnframe_next(struct turnframe *tf, uint8_t **msg, size_t *len)
{
	uint8_t		*p = tf->buf + tf->off;
	ssize_t		 n;

	if (tf->error)
		return -1;
	/* The declared length is judged now, not once cap bytes are held. */
	if ((n = turnframe_need(p, tf->len)) == -1 || (size_t)n > tf->cap) {
		tf->error = 1;
		return -1;
	}
	if (n == 0 || (size_t)n > tf->len)
		return 0;
	*msg = p;
	*len = n;
	/* As a datagram carries it: no padding after ChannelData. */
	if ((p[0] & TURNFRAME_CD_MASK) == TURNFRAME_CD_BITS)
		*len = TURNFRAME_CD_HDR + ((size_t)p[2] << 8 | p[3]);
	tf->off += n;
	tf->len -= n;
	if (tf->len == 0)
		tf->off = 0;
	return 1;
}

size_t
turnframe_chandata(uint8_t *buf, size_t cap, uint16_t chan,
    const uint8_t *data, size_t len)
{
	size_t	 n;

	if (chan < TURNFRAME_CHAN_MIN || chan > TURNFRAME_CHAN_MAX ||
	    len > TURNFRAME_LEN_MAX)
		return 0;
	n = turnframe_roundup(TURNFRAME_CD_HDR + len);
	if (n > cap)
		return 0;
	if (data != buf + TURNFRAME_CD_HDR)
		memmove(buf + TURNFRAME_CD_HDR, data, len);
	buf[0] = chan >> 8;
	buf[1] = chan & 0xff;
	buf[2] = len >> 8;
	buf[3] = len & 0xff;
	memset(buf + TURNFRAME_CD_HDR + len, 0, n - TURNFRAME_CD_HDR - len);
	return n;
}
