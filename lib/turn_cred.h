/* TURN REST credentials, as coturn's use-auth-secret checks them. */
#ifndef TERN_TURN_CRED_H
#define TERN_TURN_CRED_H

#include <stddef.h>
#include <stdint.h>

#define TURN_CRED_NAME_MAX	64	/* node name, with NUL */
/* "expiry:nodename": 20 digits of int64, ':', the name. */
#define TURN_CRED_USER_MAX	(20 + 1 + TURN_CRED_NAME_MAX)
/* base64 of a 20-byte HMAC-SHA1, with NUL. */
#define TURN_CRED_PASS_MAX	29

int	 turn_cred_make(const uint8_t *, size_t, int64_t, const char *,
	    char [TURN_CRED_USER_MAX], char [TURN_CRED_PASS_MAX]);
void	 turn_cred_password(const uint8_t *, size_t, const char *, size_t,
	    char [TURN_CRED_PASS_MAX]);

#endif
