/*
 * Signal messages (offer, answer, candidate, go-idle) are sealed with
 * crypto_box between the two agents' node keys, so tern-signal relays
 * them without reading ICE credentials or candidates.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "key.h"
#include "seal.h"

_Static_assert(SEAL_NONCE_LEN == crypto_box_NONCEBYTES, "nonce");
_Static_assert(SEAL_MAC_LEN == crypto_box_MACBYTES, "MAC");
_Static_assert(KEY_LEN == crypto_box_PUBLICKEYBYTES, "public key");
_Static_assert(KEY_LEN == crypto_box_SECRETKEYBYTES, "secret key");

#define SEAL_US_PER_S	1000000
#define SEAL_NS_PER_US	1000

static const char *seal_verdicts[] = {
	[SEAL_OK] = "accepted",
	[SEAL_EOPEN] = "does not open",
	[SEAL_EFORMAT] = "in another format (an older ternd?)",
	[SEAL_EREFLECTED] = "is our own, sent back to us",
	[SEAL_ENOTFOR] = "was sealed for another node",
	[SEAL_ESENDER] = "names another sender than the server",
	[SEAL_EOLDSESSION] = "is from an older session of the sender",
	[SEAL_EREPLAY] = "was replayed or reordered",
};

/*
 * Seals pt from our private key to the peer's public key: a random
 * nonce, then the box.  Random 24-byte nonces never collide in practice.
 */
int
seal_box(const uint8_t *pt, size_t len, const uint8_t peer[KEY_LEN],
    const uint8_t priv[KEY_LEN], uint8_t *out, size_t outcap, size_t *outlen)
{
	if (outcap < SEAL_OVERHEAD || len > outcap - SEAL_OVERHEAD)
		return -1;
	randombytes_buf(out, SEAL_NONCE_LEN);
	if (crypto_box_easy(out + SEAL_NONCE_LEN, pt, len, out, peer,
	    priv) != 0)
		return -1;
	*outlen = len + SEAL_OVERHEAD;
	return 0;
}

/* Opens what the peer sealed to us; forged or cut input is refused. */
int
seal_open(const uint8_t *in, size_t len, const uint8_t peer[KEY_LEN],
    const uint8_t priv[KEY_LEN], uint8_t *out, size_t outcap, size_t *outlen)
{
	if (len < SEAL_OVERHEAD || outcap < len - SEAL_OVERHEAD)
		return -1;
	if (crypto_box_open_easy(out, in + SEAL_NONCE_LEN,
	    len - SEAL_NONCE_LEN, in, peer, priv) != 0)
		return -1;
	*outlen = len - SEAL_OVERHEAD;
	return 0;
}

/* A new run of this engine: its start time and 64 random bits. */
void
seal_session_new(struct seal_session *s)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	s->time = (uint64_t)ts.tv_sec * SEAL_US_PER_S +
	    ts.tv_nsec / SEAL_NS_PER_US;
	randombytes_buf(&s->rand, sizeof(s->rand));
}

static uint8_t *
seal_put64(uint8_t *p, uint64_t v)
{
	int	 i;

	for (i = SEAL_U64_LEN - 1; i >= 0; i--, v >>= 8)
		p[i] = v & 0xff;
	return p + SEAL_U64_LEN;
}

static const uint8_t *
seal_get64(const uint8_t *p, uint64_t *v)
{
	int	 i;

	*v = 0;
	for (i = 0; i < SEAL_U64_LEN; i++)
		*v = *v << 8 | p[i];
	return p + SEAL_U64_LEN;
}

/* Seals h and the payload pt from priv to h->to. */
int
seal_sig(const struct seal_hdr *h, const uint8_t *pt, size_t len,
    const uint8_t priv[KEY_LEN], uint8_t *out, size_t outcap, size_t *outlen)
{
	uint8_t	*buf, *p;
	int	 rv;

	/* Bounds len before SEAL_HDR_LEN + len; seal_box checks the rest. */
	if (len > outcap || (buf = malloc(SEAL_HDR_LEN + len)) == NULL)
		return -1;
	p = buf;
	*p++ = SEAL_FORMAT;
	memcpy(p, h->from, KEY_LEN);
	memcpy(p + KEY_LEN, h->to, KEY_LEN);
	p = seal_put64(p + 2 * KEY_LEN, h->sess.time);
	p = seal_put64(p, h->sess.rand);
	p = seal_put64(p, h->counter);
	if (len > 0)
		memcpy(p, pt, len);
	rv = seal_box(buf, SEAL_HDR_LEN + len, h->to, priv, out, outcap,
	    outlen);
	sodium_memzero(buf, SEAL_HDR_LEN + len);
	free(buf);
	return rv;
}

/*
 * Opens a signal that from says it sealed to us: the header into h, the
 * payload into out.  Who it is from and for is seal_check's to judge.
 */
enum seal_verdict
seal_sig_open(const uint8_t *in, size_t len, const uint8_t from[KEY_LEN],
    const uint8_t priv[KEY_LEN], struct seal_hdr *h, uint8_t *out,
    size_t outcap, size_t *outlen)
{
	const uint8_t	*p;
	size_t		 ptlen;

	if (seal_open(in, len, from, priv, out, outcap, &ptlen) == -1)
		return SEAL_EOPEN;
	if (ptlen < SEAL_HDR_LEN || out[0] != SEAL_FORMAT)
		return SEAL_EFORMAT;
	p = out + 1;
	memcpy(h->from, p, KEY_LEN);
	memcpy(h->to, p + KEY_LEN, KEY_LEN);
	p = seal_get64(p + 2 * KEY_LEN, &h->sess.time);
	p = seal_get64(p, &h->sess.rand);
	p = seal_get64(p, &h->counter);
	*outlen = ptlen - SEAL_HDR_LEN;
	memmove(out, p, *outlen);
	return SEAL_OK;
}

/*
 * Whether an opened signal is fresh and ours; r remembers the sender.
 *
 * A box between two node keys opens with either private key, so the
 * server could hand a node its own message back: from and to say who
 * sealed it for whom.  The server could also replay an old message: a
 * sender's counter only grows within a session, and a new session (the
 * sender restarted) must have started later than the newest one seen.
 * So a replayed older session is refused while a restart is accepted at
 * once; the price is that a sender whose clock stepped back across a
 * restart is refused until its clock passes its previous start.  r is
 * not kept across our own restart (nor when the sender leaves the
 * netmap): what the server kept of the sender's current session may
 * then be replayed to us once, in order, until the sender speaks again.
 */
enum seal_verdict
seal_check(struct seal_replay *r, const struct seal_hdr *h,
    const uint8_t from[KEY_LEN], const uint8_t self[KEY_LEN])
{
	if (memcmp(h->from, self, KEY_LEN) == 0)
		return SEAL_EREFLECTED;
	if (memcmp(h->to, self, KEY_LEN) != 0)
		return SEAL_ENOTFOR;
	if (memcmp(h->from, from, KEY_LEN) != 0)
		return SEAL_ESENDER;
	if (r->seen && h->sess.time == r->sess.time &&
	    h->sess.rand == r->sess.rand) {
		if (h->counter <= r->counter)
			return SEAL_EREPLAY;
	} else if (r->seen && h->sess.time <= r->sess.time)
		return SEAL_EOLDSESSION;
	r->seen = 1;
	r->sess = h->sess;
	r->counter = h->counter;
	return SEAL_OK;
}

const char *
seal_verdict_text(enum seal_verdict v)
{
	if ((size_t)v >= sizeof(seal_verdicts) / sizeof(seal_verdicts[0]))
		return "unknown";
	return seal_verdicts[v];
}
