/* tern-relay: TURN long-term credentials and stateless nonces. */
#ifndef TERN_TURN_AUTH_H
#define TERN_TURN_AUTH_H

#include <sys/socket.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "stun.h"

#define TURN_AUTH_SECRETS_MAX	4	/* secrets at once, for rotation */
#define TURN_AUTH_SECRET_MAX	256	/* with NUL */
#define TURN_AUTH_REALM_MAX	128	/* RFC 8489 14.9: < 128 characters */
#define TURN_AUTH_USER_MAX	(STUN_USERNAME_MAX + 1)	/* with NUL */
#define TURN_AUTH_NONCE_KEY_LEN	32	/* crypto_auth_KEYBYTES */
/* base64 of issue time 8, salt 4 and MAC 12 bytes, with NUL. */
#define TURN_NONCE_MAX		33
/* RFC 8656 3.2: an allocation's default lifetime, coturn's stale-nonce. */
#define TURN_NONCE_LIFETIME_DEFAULT	600

struct turn_auth {
	char		 secrets[TURN_AUTH_SECRETS_MAX][TURN_AUTH_SECRET_MAX];
	size_t		 nsecrets;
	char		 realm[TURN_AUTH_REALM_MAX];
	uint8_t		 nonce_key[TURN_AUTH_NONCE_KEY_LEN]; /* per process */
	uint32_t	 nonce_lifetime;	/* seconds */
};

/* What to answer: RFC 8489 section 9.2.4. */
enum turn_auth_result {
	TURN_AUTH_OK,		/* key and username filled in */
	TURN_AUTH_CHALLENGE,	/* no MESSAGE-INTEGRITY: 401, REALM, NONCE */
	TURN_AUTH_BAD_REQUEST,	/* MI without USERNAME, REALM or NONCE: 400 */
	TURN_AUTH_STALE_NONCE,	/* 438 with REALM and a fresh NONCE */
	TURN_AUTH_REFUSED,	/* bad integrity, realm or username: 401 */
};

int	 turn_auth_init(struct turn_auth *, const char *, uint32_t);
int	 turn_auth_add_secret(struct turn_auth *, const char *);
void	 turn_auth_clear(struct turn_auth *);
/* A username longer than its buffer is refused: use TURN_AUTH_USER_MAX. */
enum turn_auth_result turn_auth_check(const struct turn_auth *,
	    const struct stun_msg *, const struct sockaddr *, time_t,
	    uint8_t [STUN_LTKEY_LEN], char *, size_t);
int	 turn_auth_user_expiry(const char *, size_t, int64_t *);
/* A fresh nonce for the source at now: its length, 0 if it does not fit. */
size_t	 turn_nonce_make(const struct turn_auth *, const struct sockaddr *,
	    time_t, char *, size_t);

#endif
