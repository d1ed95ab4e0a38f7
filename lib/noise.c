/*
 * Noise_IK_25519_ChaChaPoly_BLAKE2b (Noise revision 34) on libsodium:
 * the agent authenticates tern-signal and itself in one round trip.
 */
#include <string.h>

#include <sodium.h>

#include "noise.h"

#define NOISE_PROTOCOL	"Noise_IK_25519_ChaChaPoly_BLAKE2b"
#define NOISE_BLOCK_LEN	128	/* BLAKE2b BLOCKLEN, for HMAC (RFC 2104) */
#define NOISE_IPAD	0x36	/* RFC 2104 inner pad byte */
#define NOISE_OPAD	0x5c	/* RFC 2104 outer pad byte */
#define NOISE_NONCE_LEN	12	/* ChaCha20-Poly1305 IETF nonce */
#define NOISE_NONCE_ZERO 4	/* its first 32 bits are zero, spec 12.3 */
#define NOISE_NONCE_MAX	UINT64_MAX	/* reserved, never used, spec 5.1 */

/* Where a handshake stands. */
#define NOISE_ST_FAILED	0	/* aborted or cleared: nothing goes on */
#define NOISE_ST_MSG1	1	/* message 1 to write or read */
#define NOISE_ST_MSG2	2	/* message 2 to write or read */
#define NOISE_ST_DONE	3	/* ready to split */
#define NOISE_ST_SPLIT	4	/* keys handed out, secrets gone */

_Static_assert(NOISE_KEY_LEN == crypto_scalarmult_BYTES, "DHLEN");
_Static_assert(NOISE_KEY_LEN == crypto_aead_chacha20poly1305_ietf_KEYBYTES,
    "cipher key");
_Static_assert(NOISE_TAG_LEN == crypto_aead_chacha20poly1305_ietf_ABYTES,
    "tag");
_Static_assert(NOISE_NONCE_LEN == crypto_aead_chacha20poly1305_ietf_NPUBBYTES,
    "nonce");
_Static_assert(NOISE_NONCE_ZERO + sizeof(uint64_t) == NOISE_NONCE_LEN,
    "nonce layout");
_Static_assert(NOISE_HASH_LEN <= crypto_generichash_BYTES_MAX, "HASHLEN");
_Static_assert(sizeof(NOISE_PROTOCOL) - 1 <= NOISE_HASH_LEN, "name");

static void	 noise_hash(uint8_t [NOISE_HASH_LEN], const uint8_t *, size_t,
		    const uint8_t *, size_t);
static void	 noise_hmac(uint8_t [NOISE_HASH_LEN],
		    const uint8_t [NOISE_HASH_LEN], const uint8_t *, size_t,
		    const uint8_t *, size_t);
static void	 noise_hkdf(const uint8_t [NOISE_HASH_LEN], const uint8_t *,
		    size_t, uint8_t [NOISE_HASH_LEN], uint8_t [NOISE_HASH_LEN]);
static void	 noise_nonce(uint8_t [NOISE_NONCE_LEN], uint64_t);
static void	 noise_init(struct noise_hs *, const uint8_t [NOISE_KEY_LEN],
		    const uint8_t *, const uint8_t *, size_t);
static void	 noise_mix_hash(struct noise_hs *, const uint8_t *, size_t);
static int	 noise_mix_dh(struct noise_hs *, const uint8_t [NOISE_KEY_LEN],
		    const uint8_t [NOISE_KEY_LEN]);
static int	 noise_encrypt_hash(struct noise_hs *, const uint8_t *, size_t,
		    uint8_t *);
static int	 noise_decrypt_hash(struct noise_hs *, const uint8_t *, size_t,
		    uint8_t *);
static int	 noise_fail(struct noise_hs *);

/* HASH(a || b) with BLAKE2b-512. */
static void
noise_hash(uint8_t out[NOISE_HASH_LEN], const uint8_t *a, size_t alen,
    const uint8_t *b, size_t blen)
{
	crypto_generichash_state	 st;

	crypto_generichash_init(&st, NULL, 0, NOISE_HASH_LEN);
	crypto_generichash_update(&st, a, alen);
	crypto_generichash_update(&st, b, blen);
	crypto_generichash_final(&st, out, NOISE_HASH_LEN);
	sodium_memzero(&st, sizeof(st));
}

/* HMAC-BLAKE2b (RFC 2104) of a || b; Noise keys are HASHLEN bytes. */
static void
noise_hmac(uint8_t out[NOISE_HASH_LEN], const uint8_t key[NOISE_HASH_LEN],
    const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	crypto_generichash_state	 st;
	uint8_t				 pad[NOISE_BLOCK_LEN];
	uint8_t				 inner[NOISE_HASH_LEN];
	size_t				 i;

	memset(pad, NOISE_IPAD, sizeof(pad));
	for (i = 0; i < NOISE_HASH_LEN; i++)
		pad[i] ^= key[i];
	crypto_generichash_init(&st, NULL, 0, NOISE_HASH_LEN);
	crypto_generichash_update(&st, pad, sizeof(pad));
	crypto_generichash_update(&st, a, alen);
	crypto_generichash_update(&st, b, blen);
	crypto_generichash_final(&st, inner, sizeof(inner));

	memset(pad, NOISE_OPAD, sizeof(pad));
	for (i = 0; i < NOISE_HASH_LEN; i++)
		pad[i] ^= key[i];
	noise_hash(out, pad, sizeof(pad), inner, sizeof(inner));

	sodium_memzero(&st, sizeof(st));
	sodium_memzero(pad, sizeof(pad));
	sodium_memzero(inner, sizeof(inner));
}

/* HKDF(chaining_key, input_key_material, 2), spec 4.3. */
static void
noise_hkdf(const uint8_t ck[NOISE_HASH_LEN], const uint8_t *ikm, size_t len,
    uint8_t out1[NOISE_HASH_LEN], uint8_t out2[NOISE_HASH_LEN])
{
	uint8_t		 temp[NOISE_HASH_LEN];
	const uint8_t	 one = 0x01, two = 0x02;

	noise_hmac(temp, ck, ikm, len, NULL, 0);
	noise_hmac(out1, temp, &one, sizeof(one), NULL, 0);
	noise_hmac(out2, temp, out1, NOISE_HASH_LEN, &two, sizeof(two));
	sodium_memzero(temp, sizeof(temp));
}

/* 32 zero bits, then the counter little-endian, spec 12.3. */
static void
noise_nonce(uint8_t nonce[NOISE_NONCE_LEN], uint64_t n)
{
	size_t	 i;

	memset(nonce, 0, NOISE_NONCE_ZERO);
	for (i = 0; i < sizeof(n); i++)
		nonce[NOISE_NONCE_ZERO + i] = (n >> (8 * i)) & 0xff;
}

/*
 * EncryptWithAd, spec 5.1: out holds len + NOISE_TAG_LEN bytes.  IK
 * encrypts nothing before its first DH, so a state without a key (one
 * cleared, say) refuses rather than pass plaintext through.
 */
int
noise_encrypt(struct noise_cs *cs, const uint8_t *ad, size_t adlen,
    const uint8_t *pt, size_t len, uint8_t *out)
{
	uint8_t	 nonce[NOISE_NONCE_LEN];

	if (!cs->has_key || cs->n == NOISE_NONCE_MAX)
		return -1;
	noise_nonce(nonce, cs->n);
	crypto_aead_chacha20poly1305_ietf_encrypt(out, NULL, pt, len, ad,
	    adlen, NULL, nonce, cs->k);
	cs->n++;
	return 0;
}

/* DecryptWithAd: a failure leaves the counter alone, spec 5.1. */
int
noise_decrypt(struct noise_cs *cs, const uint8_t *ad, size_t adlen,
    const uint8_t *ct, size_t len, uint8_t *out)
{
	uint8_t	 nonce[NOISE_NONCE_LEN];

	if (!cs->has_key || len < NOISE_TAG_LEN || cs->n == NOISE_NONCE_MAX)
		return -1;
	noise_nonce(nonce, cs->n);
	if (crypto_aead_chacha20poly1305_ietf_decrypt(out, NULL, NULL, ct, len,
	    ad, adlen, nonce, cs->k) != 0)
		return -1;
	cs->n++;
	return 0;
}

void
noise_cs_clear(struct noise_cs *cs)
{
	sodium_memzero(cs, sizeof(*cs));
}

/* InitializeSymmetric, the prologue and the pre-message "<- s". */
static void
noise_init(struct noise_hs *hs, const uint8_t s[NOISE_KEY_LEN],
    const uint8_t *rs, const uint8_t *prologue, size_t len)
{
	memset(hs, 0, sizeof(*hs));
	hs->initiator = rs != NULL;
	hs->state = NOISE_ST_MSG1;
	memcpy(hs->s, s, NOISE_KEY_LEN);
	crypto_scalarmult_base(hs->s_pub, hs->s);
	crypto_box_keypair(hs->e_pub, hs->e);
	if (hs->initiator)
		memcpy(hs->rs, rs, NOISE_KEY_LEN);

	/* The name fits in HASHLEN, so it is padded rather than hashed. */
	memcpy(hs->h, NOISE_PROTOCOL, sizeof(NOISE_PROTOCOL) - 1);
	memcpy(hs->ck, hs->h, NOISE_HASH_LEN);
	noise_mix_hash(hs, prologue, len);
	noise_mix_hash(hs, hs->initiator ? hs->rs : hs->s_pub, NOISE_KEY_LEN);
}

void
noise_init_initiator(struct noise_hs *hs, const uint8_t s[NOISE_KEY_LEN],
    const uint8_t rs[NOISE_KEY_LEN], const uint8_t *prologue, size_t len)
{
	noise_init(hs, s, rs, prologue, len);
}

void
noise_init_responder(struct noise_hs *hs, const uint8_t s[NOISE_KEY_LEN],
    const uint8_t *prologue, size_t len)
{
	noise_init(hs, s, NULL, prologue, len);
}

/* Known-answer tests need a fixed ephemeral key instead of a random one. */
void
noise_set_ephemeral(struct noise_hs *hs, const uint8_t e[NOISE_KEY_LEN])
{
	memcpy(hs->e, e, NOISE_KEY_LEN);
	crypto_scalarmult_base(hs->e_pub, hs->e);
}

static void
noise_mix_hash(struct noise_hs *hs, const uint8_t *data, size_t len)
{
	noise_hash(hs->h, hs->h, NOISE_HASH_LEN, data, len);
}

/* MixKey(DH(priv, pub)); an all-zero result means a low-order point. */
static int
noise_mix_dh(struct noise_hs *hs, const uint8_t priv[NOISE_KEY_LEN],
    const uint8_t pub[NOISE_KEY_LEN])
{
	uint8_t	 dh[NOISE_KEY_LEN], k[NOISE_HASH_LEN];

	if (crypto_scalarmult(dh, priv, pub) != 0) {
		sodium_memzero(dh, sizeof(dh));
		return -1;
	}
	noise_hkdf(hs->ck, dh, sizeof(dh), hs->ck, k);
	memcpy(hs->cs.k, k, NOISE_KEY_LEN);
	hs->cs.n = 0;
	hs->cs.has_key = 1;
	sodium_memzero(dh, sizeof(dh));
	sodium_memzero(k, sizeof(k));
	return 0;
}

/* EncryptAndHash: out holds len + NOISE_TAG_LEN bytes. */
static int
noise_encrypt_hash(struct noise_hs *hs, const uint8_t *pt, size_t len,
    uint8_t *out)
{
	if (noise_encrypt(&hs->cs, hs->h, NOISE_HASH_LEN, pt, len, out) != 0)
		return -1;
	noise_mix_hash(hs, out, len + NOISE_TAG_LEN);
	return 0;
}

/* DecryptAndHash: hashes the ciphertext, so out must not overlap it. */
static int
noise_decrypt_hash(struct noise_hs *hs, const uint8_t *ct, size_t len,
    uint8_t *out)
{
	if (noise_decrypt(&hs->cs, hs->h, NOISE_HASH_LEN, ct, len, out) != 0)
		return -1;
	noise_mix_hash(hs, ct, len);
	return 0;
}

/* Spec 5.3: a failed handshake is aborted, never resumed. */
static int
noise_fail(struct noise_hs *hs)
{
	noise_hs_clear(hs);
	return -1;
}

/*
 * The initiator writes message 1 "-> e, es, s, ss", the responder
 * message 2 "<- e, ee, se"; each ends with the encrypted payload.
 */
int
noise_write_msg(struct noise_hs *hs, const uint8_t *payload, size_t plen,
    uint8_t *out, size_t outcap, size_t *outlen)
{
	size_t	 need, off = 0;

	if (hs->state != (hs->initiator ? NOISE_ST_MSG1 : NOISE_ST_MSG2))
		return -1;
	need = hs->initiator ? NOISE_MSG1_OVERHEAD : NOISE_MSG2_OVERHEAD;
	if (plen > NOISE_MSG_MAX - need || outcap < need + plen)
		return -1;

	memcpy(out, hs->e_pub, NOISE_KEY_LEN);
	noise_mix_hash(hs, hs->e_pub, NOISE_KEY_LEN);
	off += NOISE_KEY_LEN;
	if (hs->initiator) {
		if (noise_mix_dh(hs, hs->e, hs->rs) != 0 ||
		    noise_encrypt_hash(hs, hs->s_pub, NOISE_KEY_LEN,
		    out + off) != 0)
			return noise_fail(hs);
		off += NOISE_KEY_LEN + NOISE_TAG_LEN;
		if (noise_mix_dh(hs, hs->s, hs->rs) != 0)
			return noise_fail(hs);
	} else {
		if (noise_mix_dh(hs, hs->e, hs->re) != 0 ||
		    noise_mix_dh(hs, hs->e, hs->rs) != 0)
			return noise_fail(hs);
	}
	if (noise_encrypt_hash(hs, payload, plen, out + off) != 0)
		return noise_fail(hs);
	*outlen = off + plen + NOISE_TAG_LEN;
	hs->state = hs->initiator ? NOISE_ST_MSG2 : NOISE_ST_DONE;
	return 0;
}

/*
 * The responder reads message 1 and learns the initiator's static key;
 * the initiator reads message 2.  Any failure aborts the handshake.
 */
int
noise_read_msg(struct noise_hs *hs, const uint8_t *in, size_t inlen,
    uint8_t *payload, size_t cap, size_t *plen)
{
	size_t	 need, off = 0;

	if (hs->state != (hs->initiator ? NOISE_ST_MSG2 : NOISE_ST_MSG1))
		return -1;
	need = hs->initiator ? NOISE_MSG2_OVERHEAD : NOISE_MSG1_OVERHEAD;
	if (inlen < need || inlen > NOISE_MSG_MAX)
		return noise_fail(hs);
	/* The caller's mistake, not the peer's: the handshake may go on. */
	if (cap < inlen - need)
		return -1;

	memcpy(hs->re, in, NOISE_KEY_LEN);
	noise_mix_hash(hs, hs->re, NOISE_KEY_LEN);
	off += NOISE_KEY_LEN;
	if (!hs->initiator) {
		if (noise_mix_dh(hs, hs->s, hs->re) != 0 ||
		    noise_decrypt_hash(hs, in + off,
		    NOISE_KEY_LEN + NOISE_TAG_LEN, hs->rs) != 0)
			return noise_fail(hs);
		off += NOISE_KEY_LEN + NOISE_TAG_LEN;
		if (noise_mix_dh(hs, hs->s, hs->rs) != 0)
			return noise_fail(hs);
	} else {
		if (noise_mix_dh(hs, hs->e, hs->re) != 0 ||
		    noise_mix_dh(hs, hs->s, hs->re) != 0)
			return noise_fail(hs);
	}
	if (noise_decrypt_hash(hs, in + off, inlen - off, payload) != 0)
		return noise_fail(hs);
	*plen = inlen - off - NOISE_TAG_LEN;
	hs->state = hs->initiator ? NOISE_ST_DONE : NOISE_ST_MSG2;
	return 0;
}

int
noise_complete(const struct noise_hs *hs)
{
	return hs->state == NOISE_ST_DONE;
}

/* The responder knows the initiator only once message 1 is read. */
const uint8_t *
noise_remote_static(const struct noise_hs *hs)
{
	if (hs->state == NOISE_ST_FAILED ||
	    (!hs->initiator && hs->state == NOISE_ST_MSG1))
		return NULL;
	return hs->rs;
}

/* Channel binding, spec 11.2; final only once the handshake is done. */
const uint8_t *
noise_handshake_hash(const struct noise_hs *hs)
{
	if (hs->state != NOISE_ST_DONE && hs->state != NOISE_ST_SPLIT)
		return NULL;
	return hs->h;
}

/*
 * Split, spec 5.2: the initiator sends with the first key and receives
 * with the second.  The handshake's secrets are erased; the remote
 * static key and the handshake hash stay for the caller to check.
 */
int
noise_split(struct noise_hs *hs, struct noise_cs *send, struct noise_cs *recv)
{
	uint8_t	 k1[NOISE_HASH_LEN], k2[NOISE_HASH_LEN];

	if (hs->state != NOISE_ST_DONE)
		return -1;
	noise_hkdf(hs->ck, NULL, 0, k1, k2);
	memset(send, 0, sizeof(*send));
	memset(recv, 0, sizeof(*recv));
	memcpy(send->k, hs->initiator ? k1 : k2, NOISE_KEY_LEN);
	memcpy(recv->k, hs->initiator ? k2 : k1, NOISE_KEY_LEN);
	send->has_key = recv->has_key = 1;
	sodium_memzero(k1, sizeof(k1));
	sodium_memzero(k2, sizeof(k2));

	noise_cs_clear(&hs->cs);
	sodium_memzero(hs->ck, sizeof(hs->ck));
	sodium_memzero(hs->s, sizeof(hs->s));
	sodium_memzero(hs->e, sizeof(hs->e));
	hs->state = NOISE_ST_SPLIT;
	return 0;
}

/* A cleared handshake is in NOISE_ST_FAILED and refuses every call. */
void
noise_hs_clear(struct noise_hs *hs)
{
	sodium_memzero(hs, sizeof(*hs));
}
