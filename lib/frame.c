/*
 * Transport framing between the agent and tern-signal: a 2-byte
 * big-endian length, then the Noise ciphertext of the payload.
 */
#include <string.h>

#include "frame.h"
#include "noise.h"

_Static_assert(FRAME_CT_MAX <= NOISE_MSG_MAX, "a frame is one Noise message");

/* Encrypts pt into out as one whole frame. */
int
frame_encode(struct noise_cs *cs, const uint8_t *pt, size_t len,
    uint8_t *out, size_t outcap, size_t *outlen)
{
	size_t	 ctlen;

	if (len > FRAME_PAYLOAD_MAX || outcap < len + FRAME_OVERHEAD)
		return -1;
	ctlen = len + NOISE_TAG_LEN;
	if (noise_encrypt(cs, NULL, 0, pt, len, out + FRAME_HDR_LEN) != 0)
		return -1;
	out[0] = ctlen >> 8;
	out[1] = ctlen & 0xff;
	*outlen = ctlen + FRAME_HDR_LEN;
	return 0;
}

/* The ciphertext length a frame header announces, checked. */
int
frame_ctlen(const uint8_t hdr[FRAME_HDR_LEN], size_t *ctlen)
{
	*ctlen = (size_t)hdr[0] << 8 | hdr[1];
	if (*ctlen > FRAME_CT_MAX || *ctlen < NOISE_TAG_LEN)
		return -1;
	return 0;
}

/* Decrypts the ciphertext of one whole frame. */
int
frame_open(struct noise_cs *cs, const uint8_t *ct, size_t ctlen,
    uint8_t *pt, size_t ptcap, size_t *ptlen)
{
	if (ctlen < NOISE_TAG_LEN || ptcap < ctlen - NOISE_TAG_LEN ||
	    noise_decrypt(cs, NULL, 0, ct, ctlen, pt) != 0)
		return -1;
	*ptlen = ctlen - NOISE_TAG_LEN;
	return 0;
}

void
frame_dec_init(struct frame_dec *dec, struct noise_cs *cs)
{
	memset(dec, 0, sizeof(*dec));
	dec->cs = cs;
	dec->need = FRAME_HDR_LEN;
}

/*
 * Takes bytes from *in up to the end of the next frame and advances it.
 * Returns 1 with the frame's plaintext in pt, 0 when all input is used
 * and the frame is incomplete, -1 on a frame too long or too short or
 * that fails to decrypt.  The nonce is implicit, so a replayed,
 * reordered or dropped frame fails too.  After -1 the stream is out of
 * step for good and every later call fails: drop the connection.
 */
int
frame_dec_next(struct frame_dec *dec, const uint8_t **in, size_t *inlen,
    uint8_t *pt, size_t ptcap, size_t *ptlen)
{
	size_t	 n, ctlen;

	if (dec->failed)
		return -1;
	for (;;) {
		n = dec->need - dec->len;
		if (n > *inlen)
			n = *inlen;
		memcpy(dec->buf + dec->len, *in, n);
		dec->len += n;
		*in += n;
		*inlen -= n;
		if (dec->len < dec->need)
			return 0;
		if (dec->need != FRAME_HDR_LEN)
			break;
		/* The length is checked before any of the body is kept. */
		if (frame_ctlen(dec->buf, &ctlen) == -1) {
			dec->failed = 1;
			return -1;
		}
		dec->need = FRAME_HDR_LEN + ctlen;
	}

	if (frame_open(dec->cs, dec->buf + FRAME_HDR_LEN,
	    dec->need - FRAME_HDR_LEN, pt, ptcap, ptlen) == -1) {
		dec->failed = 1;
		return -1;
	}
	dec->len = 0;
	dec->need = FRAME_HDR_LEN;
	return 1;
}
