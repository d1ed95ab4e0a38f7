/* End-to-end sealing of signal messages between two node keys. */
#ifndef TERN_SEAL_H
#define TERN_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include "key.h"

#define SEAL_NONCE_LEN	24	/* crypto_box (XSalsa20) nonce */
#define SEAL_MAC_LEN	16	/* crypto_box Poly1305 tag */
#define SEAL_OVERHEAD	(SEAL_NONCE_LEN + SEAL_MAC_LEN)

int	 seal_box(const uint8_t *, size_t, const uint8_t [KEY_LEN],
	    const uint8_t [KEY_LEN], uint8_t *, size_t, size_t *);
int	 seal_open(const uint8_t *, size_t, const uint8_t [KEY_LEN],
	    const uint8_t [KEY_LEN], uint8_t *, size_t, size_t *);

#endif
