/*
 * Signal messages (offer, answer, candidate, go-idle) are sealed with
 * crypto_box between the two agents' node keys, so tern-signal relays
 * them without reading ICE credentials or candidates.
 */
#include <string.h>

#include <sodium.h>

#include "key.h"
#include "seal.h"

_Static_assert(SEAL_NONCE_LEN == crypto_box_NONCEBYTES, "nonce");
_Static_assert(SEAL_MAC_LEN == crypto_box_MACBYTES, "MAC");
_Static_assert(KEY_LEN == crypto_box_PUBLICKEYBYTES, "public key");
_Static_assert(KEY_LEN == crypto_box_SECRETKEYBYTES, "secret key");

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
