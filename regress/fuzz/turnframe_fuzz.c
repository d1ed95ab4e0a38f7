/*
 * libFuzzer target for lib/turnframe.c, TURN over a byte stream.  The
 * input is a header (the buffer's cap, a read size, a channel number)
 * and the stream's bytes.  The stream is read in pieces of the read
 * size through struct turnframe and walked whole with turnframe_len;
 * both must find the same messages and fail at the same place, and no
 * message may be longer than the cap or reach past the bytes held.
 * Each message is then written again as ChannelData, which must frame
 * as one padded frame that yields the same data.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "turnframe.h"


int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static uint8_t	 out[TURNFRAME_MAX + TURNFRAME_CD_HDR + TURNFRAME_ALIGN];

/* A message as ChannelData: one frame, padded, the same data. */
static void
fuzz_rewrap(const uint8_t *msg, size_t len, uint16_t chan)
{
	struct turnframe	 tf;
	uint8_t			*p;
	uint8_t			*dst;
	size_t			 n, avail, plen;

	if (len > TURNFRAME_LEN_MAX)
		abort();
	n = turnframe_chandata(out, sizeof(out), chan, msg, len);
	if (chan < TURNFRAME_CHAN_MIN || chan > TURNFRAME_CHAN_MAX) {
		if (n != 0)
			abort();
		return;
	}
	if (n == 0 || n % TURNFRAME_ALIGN != 0 || n < TURNFRAME_CD_HDR + len ||
	    n >= TURNFRAME_CD_HDR + len + TURNFRAME_ALIGN ||
	    turnframe_len(out, n) != (ssize_t)n ||
	    (n > TURNFRAME_CD_HDR && turnframe_len(out, n - 1) != 0))
		abort();
	if (turnframe_init(&tf, TURNFRAME_MAX) == -1)
		abort();
	dst = turnframe_space(&tf, &avail);
	if (avail < n)
		abort();
	memcpy(dst, out, n);
	turnframe_fill(&tf, n);
	if (turnframe_next(&tf, &p, &plen) != 1 ||
	    plen != TURNFRAME_CD_HDR + len ||
	    memcmp(p + TURNFRAME_CD_HDR, msg, len) != 0 ||
	    turnframe_next(&tf, &p, &plen) != 0)
		abort();
	turnframe_free(&tf);
}

/*
 * The oracle, from the RFCs rather than the code: the whole length of
 * the frame at p, 0 without a header, -1 for neither kind.
 */
static ssize_t
fuzz_need(const uint8_t *p, size_t len)
{
	size_t	 body;

	if (len < TURNFRAME_CD_HDR)
		return 0;
	body = (size_t)p[2] << 8 | p[3];
	if (p[0] >= 0x40 && p[0] <= 0x7f)
		return (TURNFRAME_CD_HDR + body + 3) / 4 * 4;
	if (p[0] <= 0x3f && body % 4 == 0)
		return STUN_HDR_LEN + body;
	return -1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in		 in;
	struct turnframe	 tf;
	const uint8_t		*s;
	uint8_t			*p;
	uint8_t			*dst;
	size_t			 cap, chunk, len, off = 0, ref = 0, avail, n;
	size_t			 plen;
	ssize_t			 need;
	uint16_t		 chan;
	int			 r = 0, failed = 0;

	fuzz_in_init(&in, data, size);
	cap = TURNFRAME_MIN + fuzz_u16(&in) % (TURNFRAME_MAX -
	    TURNFRAME_MIN + 1);
	chunk = 1 + fuzz_u16(&in);
	/* 0 and 128 up are no channel numbers. */
	chan = TURNFRAME_CHAN_MIN - 1 + fuzz_u8(&in) * 0x81;
	s = in.p;
	len = in.left;
	if (turnframe_init(&tf, cap) == -1)
		abort();
	while (off < len && !failed) {
		dst = turnframe_space(&tf, &avail);
		if (avail == 0 || avail > cap)
			abort();
		n = len - off < chunk ? len - off : chunk;
		if (n > avail)
			n = avail;
		memcpy(dst, s + off, n);
		turnframe_fill(&tf, n);
		off += n;
		while ((r = turnframe_next(&tf, &p, &plen)) == 1) {
			/* The frame the whole stream has here, within the buffer. */
			need = fuzz_need(s + ref, len - ref);
			if (need <= 0 || (size_t)need > cap ||
			    (size_t)need > off - ref ||
			    turnframe_len(s + ref, len - ref) != need ||
			    plen != (s[ref] >= 0x40 ? TURNFRAME_CD_HDR +
			    ((size_t)s[ref + 2] << 8 | s[ref + 3]) :
			    (size_t)need) ||
			    p < tf.buf || p + need > tf.buf + tf.cap ||
			    memcmp(p, s + ref, plen) != 0)
				abort();
			ref += need;
			fuzz_rewrap(p, plen > TURNFRAME_LEN_MAX ?
			    TURNFRAME_LEN_MAX : plen, chan);
		}
		failed = r == -1;
	}
	/* The stream's next frame: garbage or too long, or incomplete. */
	need = fuzz_need(s + ref, len - ref);
	if (failed) {
		if (need != -1 && (need == 0 || (size_t)need <= cap))
			abort();
		if (turnframe_next(&tf, &p, &plen) != -1)
			abort();
	} else if (need == -1 || (size_t)need > cap ||
	    (need > 0 && (size_t)need <= len - ref))
		abort();
	turnframe_free(&tf);
	return 0;
}
