/* Noise_IK_25519_ChaChaPoly_BLAKE2b handshake and transport ciphers. */
#ifndef TERN_NOISE_H
#define TERN_NOISE_H

#include <stddef.h>
#include <stdint.h>

#define NOISE_KEY_LEN	32	/* X25519 DHLEN and ChaChaPoly key, spec 12 */
#define NOISE_HASH_LEN	64	/* BLAKE2b-512 HASHLEN, spec 12.8 */
#define NOISE_TAG_LEN	16	/* Poly1305 authentication tag */
#define NOISE_MSG_MAX	65535	/* largest Noise message, spec 3 */

/* "-> e, es, s, ss": e, encrypted s and its tag, then the payload's tag. */
#define NOISE_MSG1_OVERHEAD	(2 * NOISE_KEY_LEN + 2 * NOISE_TAG_LEN)
/* "<- e, ee, se": e, then the payload's tag. */
#define NOISE_MSG2_OVERHEAD	(NOISE_KEY_LEN + NOISE_TAG_LEN)

/* A CipherState: a key and the nonce counter that must never repeat. */
struct noise_cs {
	uint8_t		 k[NOISE_KEY_LEN];
	uint64_t	 n;
	int		 has_key;
};

/* A HandshakeState with its SymmetricState. */
struct noise_hs {
	struct noise_cs	 cs;
	uint8_t		 ck[NOISE_HASH_LEN];
	uint8_t		 h[NOISE_HASH_LEN];
	uint8_t		 s[NOISE_KEY_LEN];	/* local static, private */
	uint8_t		 s_pub[NOISE_KEY_LEN];
	uint8_t		 e[NOISE_KEY_LEN];	/* local ephemeral, private */
	uint8_t		 e_pub[NOISE_KEY_LEN];
	uint8_t		 rs[NOISE_KEY_LEN];	/* remote static */
	uint8_t		 re[NOISE_KEY_LEN];	/* remote ephemeral */
	int		 initiator;
	int		 state;
};

void	 noise_init_initiator(struct noise_hs *, const uint8_t [NOISE_KEY_LEN],
	    const uint8_t [NOISE_KEY_LEN], const uint8_t *, size_t);
void	 noise_init_responder(struct noise_hs *, const uint8_t [NOISE_KEY_LEN],
	    const uint8_t *, size_t);
void	 noise_set_ephemeral(struct noise_hs *, const uint8_t [NOISE_KEY_LEN]);
int	 noise_write_msg(struct noise_hs *, const uint8_t *, size_t, uint8_t *,
	    size_t, size_t *);
int	 noise_read_msg(struct noise_hs *, const uint8_t *, size_t, uint8_t *,
	    size_t, size_t *);
int	 noise_complete(const struct noise_hs *);
const uint8_t	*noise_remote_static(const struct noise_hs *);
const uint8_t	*noise_handshake_hash(const struct noise_hs *);
int	 noise_split(struct noise_hs *, struct noise_cs *, struct noise_cs *);
void	 noise_hs_clear(struct noise_hs *);
int	 noise_encrypt(struct noise_cs *, const uint8_t *, size_t,
	    const uint8_t *, size_t, uint8_t *);
int	 noise_decrypt(struct noise_cs *, const uint8_t *, size_t,
	    const uint8_t *, size_t, uint8_t *);
void	 noise_cs_clear(struct noise_cs *);

#endif
