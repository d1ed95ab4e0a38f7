/*
 * libFuzzer target for the frame decoder: the input picks payloads, how
 * the stream is split and one byte to corrupt.  Untouched streams must
 * decode to the payloads; a corrupted one must fail, never crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"

#define FUZZ_FRAMES_MAX	8	/* frames per input */
#define FUZZ_NO_FLIP	0xffff	/* flip position meaning "leave intact" */

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static uint8_t		 wire[FUZZ_FRAMES_MAX * FRAME_MAX];
static uint8_t		 pt[FRAME_PAYLOAD_MAX];
static struct frame_dec	 dec;

static void
fuzz_cs(struct noise_cs *cs)
{
	memset(cs, 0, sizeof(*cs));
	memset(cs->k, 0x42, sizeof(cs->k));
	cs->has_key = 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct noise_cs	 tx, rx;
	const uint8_t	*in, *payload[FUZZ_FRAMES_MAX];
	size_t		 plen[FUZZ_FRAMES_MAX], wlen = 0, n, i, each, chunk;
	size_t		 inlen, got, out, flip;
	int		 r, decoded = 0;

	if (size < 4)
		return 0;
	n = 1 + data[0] % FUZZ_FRAMES_MAX;
	chunk = 1 + data[1];
	flip = (size_t)data[2] << 8 | data[3];
	data += 4;
	size -= 4;
	each = size / n;
	fuzz_cs(&tx);
	fuzz_cs(&rx);
	for (i = 0; i < n; i++) {
		payload[i] = data + i * each;
		plen[i] = i == n - 1 ? size - i * each : each;
		if (plen[i] > FRAME_PAYLOAD_MAX)
			plen[i] = FRAME_PAYLOAD_MAX;
		if (frame_encode(&tx, payload[i], plen[i], wire + wlen,
		    sizeof(wire) - wlen, &out) != 0)
			abort();
		wlen += out;
	}
	if (flip != FUZZ_NO_FLIP && flip < wlen)
		wire[flip] ^= 0x01;

	frame_dec_init(&dec, &rx);
	for (in = wire, inlen = 0; in < wire + wlen || inlen > 0;) {
		if (inlen == 0) {
			inlen = chunk;
			if (inlen > (size_t)(wire + wlen - in))
				inlen = wire + wlen - in;
		}
		r = frame_dec_next(&dec, &in, &inlen, pt, sizeof(pt), &got);
		if (r == -1)
			break;
		if (r == 0)
			continue;
		if (decoded >= (int)n || got != plen[decoded] ||
		    memcmp(pt, payload[decoded], got) != 0)
			abort();
		decoded++;
	}
	/* Intact streams decode whole; a flipped bit is always caught. */
	if (flip == FUZZ_NO_FLIP || flip >= wlen) {
		if (decoded != (int)n)
			abort();
	} else if (decoded == (int)n)
		abort();
	return 0;
}
