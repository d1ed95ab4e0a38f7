/* HMAC-SHA1 (RFC 2104) over libmd's SHA-1: STUN integrity, TURN REST keys. */
#include <string.h>

#include "hmac_sha1.h"

#define HMAC_SHA1_BLOCK	SHA1_BLOCK_LENGTH	/* RFC 2104 section 2: B */
#define HMAC_IPAD	0x36			/* RFC 2104 section 2 */
#define HMAC_OPAD	0x5c			/* RFC 2104 section 2 */

void
hmac_sha1_init(struct hmac_sha1 *h, const uint8_t *key, size_t keylen)
{
	uint8_t		 k[HMAC_SHA1_BLOCK], pad[HMAC_SHA1_BLOCK];
	SHA1_CTX	 kctx;
	size_t		 i;

	memset(k, 0, sizeof(k));
	/* RFC 2104 section 3: a key longer than B is first hashed. */
	if (keylen > HMAC_SHA1_BLOCK) {
		SHA1Init(&kctx);
		SHA1Update(&kctx, key, keylen);
		SHA1Final(k, &kctx);
	} else if (keylen > 0)
		memcpy(k, key, keylen);

	for (i = 0; i < sizeof(pad); i++)
		pad[i] = k[i] ^ HMAC_IPAD;
	SHA1Init(&h->inner);
	SHA1Update(&h->inner, pad, sizeof(pad));
	for (i = 0; i < sizeof(pad); i++)
		pad[i] = k[i] ^ HMAC_OPAD;
	SHA1Init(&h->outer);
	SHA1Update(&h->outer, pad, sizeof(pad));

	explicit_bzero(k, sizeof(k));
	explicit_bzero(pad, sizeof(pad));
	explicit_bzero(&kctx, sizeof(kctx));
}

void
hmac_sha1_update(struct hmac_sha1 *h, const void *data, size_t len)
{
	SHA1Update(&h->inner, data, len);
}

void
hmac_sha1_final(struct hmac_sha1 *h, uint8_t mac[HMAC_SHA1_LEN])
{
	uint8_t	 ihash[SHA1_DIGEST_LENGTH];

	SHA1Final(ihash, &h->inner);
	SHA1Update(&h->outer, ihash, sizeof(ihash));
	SHA1Final(mac, &h->outer);
	explicit_bzero(ihash, sizeof(ihash));
	explicit_bzero(h, sizeof(*h));
}

void
hmac_sha1(const uint8_t *key, size_t keylen, const void *data, size_t len,
    uint8_t mac[HMAC_SHA1_LEN])
{
	struct hmac_sha1	 h;

	hmac_sha1_init(&h, key, keylen);
	hmac_sha1_update(&h, data, len);
	hmac_sha1_final(&h, mac);
}
