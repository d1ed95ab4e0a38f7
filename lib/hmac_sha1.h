/* HMAC-SHA1 (RFC 2104) over libmd's SHA-1: STUN integrity, TURN REST keys. */
#ifndef TERN_HMAC_SHA1_H
#define TERN_HMAC_SHA1_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>
#include <sha1.h>

#define HMAC_SHA1_LEN	SHA1_DIGEST_LENGTH	/* RFC 2104 section 2: L */

struct hmac_sha1 {
	SHA1_CTX	 inner;
	SHA1_CTX	 outer;
};

void	 hmac_sha1_init(struct hmac_sha1 *, const uint8_t *, size_t);
void	 hmac_sha1_update(struct hmac_sha1 *, const void *, size_t);
void	 hmac_sha1_final(struct hmac_sha1 *, uint8_t [HMAC_SHA1_LEN]);
void	 hmac_sha1(const uint8_t *, size_t, const void *, size_t,
	    uint8_t [HMAC_SHA1_LEN]);

#endif
