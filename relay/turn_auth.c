/*
 * tern-relay server (unprivileged): TURN's long-term credentials (RFC
 * 8656 section 5, RFC 8489 section 9.2) as TURN REST usernames, the kind
 * tern-signal hands out and coturn's use-auth-secret checks: "EXPIRY" or
 * "EXPIRY:NAME", password base64(HMAC-SHA1(secret, username)).
 *
 * Nonces are stateless, so a flood of requests allocates nothing: a nonce
 * is its issue time, a random salt and a MAC over both and the source
 * address under a key made at start.  It holds for nonce_lifetime seconds
 * and for the address it was sent to, whatever the port.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "addr.h"
#include "relay/relay.h"
#include "relay/turn_auth.h"
#include "stun.h"
#include "turn_cred.h"

#define TURN_NONCE_TIME_LEN	8	/* ours: issue time, big-endian */
#define TURN_NONCE_SALT_LEN	4	/* ours: see turn_nonce_make */
#define TURN_NONCE_BODY_LEN	(TURN_NONCE_TIME_LEN + TURN_NONCE_SALT_LEN)
/*
 * Ours: 96 bits of MAC.  A nonce only proves that its sender received
 * our challenge; a short one keeps the unauthenticated 401 small.
 */
#define TURN_NONCE_MAC_LEN	12
#define TURN_NONCE_RAW_LEN	(TURN_NONCE_BODY_LEN + TURN_NONCE_MAC_LEN)
/* The MAC covers the body and an IPv6 address; IPv4 is v4-mapped. */
#define TURN_NONCE_INPUT_LEN	(TURN_NONCE_BODY_LEN + \
	    sizeof(struct in6_addr))
/* No quotes or backslashes, as RFC 8489 14.10's qdtext wants. */
#define TURN_NONCE_B64		sodium_base64_VARIANT_URLSAFE_NO_PADDING
#define TURN_NONCE_CHARS_LIMIT	128	/* RFC 8489 14.10: fewer than 128 */
#define TURN_EXPIRY_BASE	10	/* TURN REST: decimal Unix seconds */

_Static_assert(TURN_AUTH_NONCE_KEY_LEN == crypto_auth_KEYBYTES,
    "the nonce key is a crypto_auth key");
_Static_assert(TURN_NONCE_MAX ==
    sodium_base64_ENCODED_LEN(TURN_NONCE_RAW_LEN, TURN_NONCE_B64),
    "TURN_NONCE_MAX holds a nonce's text");
_Static_assert(TURN_NONCE_MAX - 1 < TURN_NONCE_CHARS_LIMIT,
    "a nonce fits STUN's NONCE");
_Static_assert(TURN_AUTH_REALM_MAX == RELAY_REALM_MAX &&
    TURN_AUTH_SECRET_MAX == RELAY_SECRET_MAX,
    "what tern-relay.conf accepts fits");

static void	 turn_put64(uint8_t *, uint64_t);
static uint64_t	 turn_get64(const uint8_t *);
static int	 turn_nonce_input(const uint8_t *, const struct sockaddr *,
		    uint8_t [TURN_NONCE_INPUT_LEN]);
static int	 turn_nonce_check(const struct turn_auth *,
		    const struct stun_msg *, const struct sockaddr *, time_t);
static int	 turn_auth_realm_ok(const struct turn_auth *,
		    const struct stun_msg *);
static int	 turn_auth_match(const struct turn_auth *,
		    const struct stun_msg *, const char *,
		    uint8_t [STUN_LTKEY_LEN]);

static void
turn_put64(uint8_t *p, uint64_t v)
{
	size_t	 i;

	for (i = TURN_NONCE_TIME_LEN; i > 0; i--) {
		p[i - 1] = v & UINT8_MAX;
		v >>= CHAR_BIT;
	}
}

static uint64_t
turn_get64(const uint8_t *p)
{
	uint64_t	 v = 0;
	size_t		 i;

	for (i = 0; i < TURN_NONCE_TIME_LEN; i++)
		v = v << CHAR_BIT | p[i];
	return v;
}

/* realm: what REALM must say; lifetime: of a nonce, in seconds. */
int
turn_auth_init(struct turn_auth *a, const char *realm, uint32_t lifetime)
{
	memset(a, 0, sizeof(*a));
	if (realm[0] == '\0' || strlen(realm) >= sizeof(a->realm) ||
	    lifetime == 0)
		return -1;
	strlcpy(a->realm, realm, sizeof(a->realm));
	a->nonce_lifetime = lifetime;
	/* A restart makes every nonce stale: clients just retry (438). */
	randombytes_buf(a->nonce_key, sizeof(a->nonce_key));
	return 0;
}

/* Checked in the order added: the one most credentials use goes first. */
int
turn_auth_add_secret(struct turn_auth *a, const char *secret)
{
	if (a->nsecrets >= TURN_AUTH_SECRETS_MAX || secret[0] == '\0' ||
	    strlen(secret) >= TURN_AUTH_SECRET_MAX)
		return -1;
	strlcpy(a->secrets[a->nsecrets++], secret, TURN_AUTH_SECRET_MAX);
	return 0;
}

void
turn_auth_clear(struct turn_auth *a)
{
	sodium_memzero(a, sizeof(*a));
}

/*
 * RFC 8489 9.2.4 with one change of order: the nonce is checked before
 * the username and integrity (as RFC 5389 10.2.2 did), not after.  Its
 * MAC is one hash and proves that the source received our challenge, so
 * a flood from forged sources costs no key derivation per secret; the
 * answers differ only for a request that is wrong in both ways, which
 * gets 438, then 401 on its retry.
 *
 * Any nonce that fails its check gets 438, not 401: "no longer valid"
 * covers one made before a restart (a new key) or sent to an address
 * the client has since left, and a client that sees 401 after
 * authenticating gives up (RFC 8489 9.2.5) where 438 makes it retry.  A
 * forged nonce wins its sender only a fresh one, as a challenge does.
 */
enum turn_auth_result
turn_auth_check(const struct turn_auth *a, const struct stun_msg *m,
    const struct sockaddr *from, time_t now, uint8_t key[STUN_LTKEY_LEN],
    char *user, size_t usercap)
{
	const uint32_t	 needed = STUN_HAS_USERNAME | STUN_HAS_REALM |
	    STUN_HAS_NONCE;
	char		 name[TURN_AUTH_USER_MAX];
	size_t		 len = m->username.len;
	int64_t		 expiry;

	sodium_memzero(key, STUN_LTKEY_LEN);
	if (usercap > 0)
		user[0] = '\0';
	if ((m->has & (STUN_HAS_INTEGRITY | STUN_HAS_INTEGRITY256)) == 0)
		return TURN_AUTH_CHALLENGE;
	if ((m->has & needed) != needed)
		return TURN_AUTH_BAD_REQUEST;
	if (turn_nonce_check(a, m, from, now) == -1)
		return TURN_AUTH_STALE_NONCE;
	/* One realm: a user of another has no password here. */
	if (!turn_auth_realm_ok(a, m))
		return TURN_AUTH_REFUSED;
	if (len >= sizeof(name) || len >= usercap)
		return TURN_AUTH_REFUSED;
	memcpy(name, m->buf + m->username.off, len);
	name[len] = '\0';
	if (turn_auth_user_expiry(name, len, &expiry) == -1 ||
	    (int64_t)now >= expiry)
		return TURN_AUTH_REFUSED;
	/* SHA-256 alone is not checked: we offer no PASSWORD-ALGORITHMS. */
	if ((m->has & STUN_HAS_INTEGRITY) == 0)
		return TURN_AUTH_REFUSED;
	if (turn_auth_match(a, m, name, key) == -1)
		return TURN_AUTH_REFUSED;
	strlcpy(user, name, usercap);
	return TURN_AUTH_OK;
}

/* "EXPIRY" or "EXPIRY:NAME": decimal seconds, then a name fit for logs. */
int
turn_auth_user_expiry(const char *user, size_t len, int64_t *expiry)
{
	int64_t	 v = 0;
	size_t	 i;
	int	 digit;

	for (i = 0; i < len && user[i] != ':'; i++) {
		if (user[i] < '0' || user[i] > '9')
			return -1;
		digit = user[i] - '0';
		if (v > (INT64_MAX - digit) / TURN_EXPIRY_BASE)
			return -1;
		v = v * TURN_EXPIRY_BASE + digit;
	}
	if (i == 0)
		return -1;
	/* A ':' promises a name. */
	if (i < len && ++i == len)
		return -1;
	for (; i < len; i++)
		if (iscntrl((unsigned char)user[i]))
			return -1;
	*expiry = v;
	return 0;
}

/*
 * Returns the text's length, or 0.  The salt gives each challenge its own
 * nonce, as RFC 8489 9.2.4 wants for different ports of one address.  A
 * time after 1970 puts a 0 bit first, so the text starts with one of
 * A-Z, a-f and never with RFC 8489 9.2's nonce cookie "obMatJos2": we
 * offer none of its security features.
 */
size_t
turn_nonce_make(const struct turn_auth *a, const struct sockaddr *from,
    time_t now, char *out, size_t cap)
{
	uint8_t	 raw[TURN_NONCE_RAW_LEN], in[TURN_NONCE_INPUT_LEN];
	uint8_t	 mac[crypto_auth_BYTES];

	if (now < 0 || cap < TURN_NONCE_MAX)
		return 0;
	turn_put64(raw, (uint64_t)now);
	randombytes_buf(raw + TURN_NONCE_TIME_LEN, TURN_NONCE_SALT_LEN);
	if (turn_nonce_input(raw, from, in) == -1)
		return 0;
	crypto_auth(mac, in, sizeof(in), a->nonce_key);
	memcpy(raw + TURN_NONCE_BODY_LEN, mac, TURN_NONCE_MAC_LEN);
	sodium_bin2base64(out, cap, raw, sizeof(raw), TURN_NONCE_B64);
	return TURN_NONCE_MAX - 1;
}

/* The port is left out: a NAT may move it between two requests. */
static int
turn_nonce_input(const uint8_t *body, const struct sockaddr *from,
    uint8_t in[TURN_NONCE_INPUT_LEN])
{
	struct sockaddr_in6	 sin6;

	if (from->sa_family != AF_INET && from->sa_family != AF_INET6)
		return -1;
	/* One host, whether it reached a v4 or a dual-stack v6 socket. */
	sockaddr_to_v6(from, &sin6);
	memcpy(in, body, TURN_NONCE_BODY_LEN);
	memcpy(in + TURN_NONCE_BODY_LEN, &sin6.sin6_addr,
	    sizeof(sin6.sin6_addr));
	return 0;
}

/* 0 if the NONCE is one we gave from's address and has not expired. */
static int
turn_nonce_check(const struct turn_auth *a, const struct stun_msg *m,
    const struct sockaddr *from, time_t now)
{
	uint8_t		 raw[TURN_NONCE_RAW_LEN], in[TURN_NONCE_INPUT_LEN];
	uint8_t		 mac[crypto_auth_BYTES];
	const char	*text = (const char *)m->buf + m->nonce.off;
	size_t		 rawlen;
	uint64_t	 issued;

	if (m->nonce.len != TURN_NONCE_MAX - 1 ||
	    sodium_base642bin(raw, sizeof(raw), text, m->nonce.len, NULL,
	    &rawlen, NULL, TURN_NONCE_B64) == -1 || rawlen != sizeof(raw))
		return -1;
	if (turn_nonce_input(raw, from, in) == -1)
		return -1;
	crypto_auth(mac, in, sizeof(in), a->nonce_key);
	if (sodium_memcmp(mac, raw + TURN_NONCE_BODY_LEN,
	    TURN_NONCE_MAC_LEN) != 0)
		return -1;
	/* One from the future: the clock went back, so a fresh one. */
	issued = turn_get64(raw);
	if (now < 0 || issued > (uint64_t)now ||
	    (uint64_t)now - issued >= a->nonce_lifetime)
		return -1;
	return 0;
}

static int
turn_auth_realm_ok(const struct turn_auth *a, const struct stun_msg *m)
{
	return m->realm.len == strlen(a->realm) &&
	    memcmp(m->buf + m->realm.off, a->realm, m->realm.len) == 0;
}

/* The first secret whose key checks out wins; the others' are wiped. */
static int
turn_auth_match(const struct turn_auth *a, const struct stun_msg *m,
    const char *user, uint8_t key[STUN_LTKEY_LEN])
{
	char	 pass[TURN_CRED_PASS_MAX];
	size_t	 i;

	for (i = 0; i < a->nsecrets && i < TURN_AUTH_SECRETS_MAX; i++) {
		turn_cred_password((const uint8_t *)a->secrets[i],
		    strlen(a->secrets[i]), user, strlen(user), pass);
		stun_longterm_key(user, a->realm, pass, key);
		sodium_memzero(pass, sizeof(pass));
		if (stun_check_integrity(m, key, STUN_LTKEY_LEN) == 0)
			return 0;
		sodium_memzero(key, STUN_LTKEY_LEN);
	}
	return -1;
}
