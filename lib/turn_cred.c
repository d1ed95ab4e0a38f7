/*
 * TURN REST credentials (draft-uberti-behave-turn-rest, coturn's
 * use-auth-secret): username "expiry:nodename", password
 * base64(HMAC-SHA1(secret, username)).  tern-signal hands them out, so a
 * relay that only knows the shared secret can check them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "hmac_sha1.h"
#include "turn_cred.h"

int
turn_cred_make(const uint8_t *secret, size_t secretlen, int64_t expiry,
    const char *name, char user[TURN_CRED_USER_MAX],
    char pass[TURN_CRED_PASS_MAX])
{
	int	 n;

	if (expiry < 0 || strlen(name) == 0 ||
	    strlen(name) >= TURN_CRED_NAME_MAX || strchr(name, ':') != NULL)
		return -1;
	n = snprintf(user, TURN_CRED_USER_MAX, "%" PRId64 ":%s", expiry, name);
	if (n < 0 || n >= TURN_CRED_USER_MAX)
		return -1;
	turn_cred_password(secret, secretlen, user, (size_t)n, pass);
	return 0;
}

/* The relay checks a username as received, so it cannot re-format it. */
void
turn_cred_password(const uint8_t *secret, size_t secretlen, const char *user,
    size_t userlen, char pass[TURN_CRED_PASS_MAX])
{
	uint8_t	 mac[HMAC_SHA1_LEN];

	hmac_sha1(secret, secretlen, user, userlen, mac);
	sodium_bin2base64(pass, TURN_CRED_PASS_MAX, mac, sizeof(mac),
	    sodium_base64_VARIANT_ORIGINAL);
	sodium_memzero(mac, sizeof(mac));
}
