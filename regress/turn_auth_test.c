/*
 * Unit tests of tern-relay's TURN long-term credentials
 * (relay/turn_auth.c): requests built with lib/stun.c and signed with
 * lib/turn_cred.c's REST passwords, as a TURN client sends them.
 */
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>

#include <atf-c.h>
#include <sodium.h>

#include "addr.h"
#include "relay/turn_auth.h"
#include "stun.h"
#include "turn_cred.h"

#define NOW		1700000000	/* any time after 1970 */
#define HOUR		3600		/* a credential's life */
#define LIFETIME	TURN_NONCE_LIFETIME_DEFAULT
#define BUF_LEN		1024
#define REALM		"tern.example"
#define USER		"1700003600:alpha"	/* NOW + HOUR */
/* RFC 5737 and RFC 3849 documentation addresses. */
#define SRC		"192.0.2.1:40000"
#define SRC_PORT2	"192.0.2.1:40001"
#define SRC_MAPPED	"[::ffff:192.0.2.1]:40000"
#define SRC_OTHER	"192.0.2.2:40000"
#define SRC6		"[2001:db8::1]:40000"
#define SRC6_OTHER	"[2001:db8::2]:40000"
#define NONCE_LEN	(TURN_NONCE_MAX - 1)
/* RFC 8489 9.2: what a nonce offering security features starts with. */
#define NONCE_COOKIE	"obMatJos2"

/* Two secrets, as while one replaces the other; a request from SRC. */
struct fix {
	struct turn_auth	 a;
	struct sockaddr_storage	 src;
	const struct sockaddr	*from;		/* src */
	char			 nonce[TURN_NONCE_MAX];	/* for SRC at NOW */
	uint8_t			 buf[BUF_LEN];
	struct stun_msg		 m;		/* in buf */
};

static const char	*secret1 = "first-secret";
static const char	*secret2 = "second-secret";
static const uint8_t	 tid[STUN_TID_LEN] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12
};

static void	 fix_init(struct fix *);
static const struct sockaddr *ep(struct sockaddr_storage *, const char *);
static void	 start(struct fix *, struct stun_builder *, const char *,
		    const char *, const char *);
static void	 request(struct fix *, const char *, const char *,
		    const char *, const char *);
static enum turn_auth_result check(struct fix *, const struct sockaddr *,
		    time_t);
static enum turn_auth_result attempt(struct fix *, const char *,
		    const char *);
static enum turn_auth_result with_nonce(struct fix *, const char *,
		    const struct sockaddr *, time_t);

static void
fix_init(struct fix *f)
{
	ATF_REQUIRE(sodium_init() != -1);
	ATF_REQUIRE(turn_auth_init(&f->a, REALM, LIFETIME) == 0);
	ATF_REQUIRE(turn_auth_add_secret(&f->a, secret1) == 0);
	ATF_REQUIRE(turn_auth_add_secret(&f->a, secret2) == 0);
	f->from = ep(&f->src, SRC);
	ATF_REQUIRE(turn_nonce_make(&f->a, f->from, NOW, f->nonce,
	    sizeof(f->nonce)) == NONCE_LEN);
}

static const struct sockaddr *
ep(struct sockaddr_storage *ss, const char *s)
{
	const char	*errstr;

	ATF_REQUIRE(endpoint_parse(s, ss, &errstr) == 0);
	return (const struct sockaddr *)ss;
}

/* An Allocate up to its integrity; NULL leaves an attribute out. */
static void
start(struct fix *f, struct stun_builder *b, const char *user,
    const char *realm, const char *nonce)
{
	ATF_REQUIRE(stun_build_init(b, f->buf, sizeof(f->buf),
	    stun_type(STUN_ALLOCATE, STUN_REQUEST), tid) == 0);
	if (user != NULL)
		ATF_REQUIRE(stun_add_bytes(b, STUN_ATTR_USERNAME, user,
		    strlen(user)) == 0);
	if (realm != NULL)
		ATF_REQUIRE(stun_add_bytes(b, STUN_ATTR_REALM, realm,
		    strlen(realm)) == 0);
	if (nonce != NULL)
		ATF_REQUIRE(stun_add_bytes(b, STUN_ATTR_NONCE, nonce,
		    strlen(nonce)) == 0);
}

/* Keyed with what it says; a NULL pass leaves out the integrity. */
static void
request(struct fix *f, const char *user, const char *realm,
    const char *nonce, const char *pass)
{
	struct stun_builder	 b;
	uint8_t			 key[STUN_LTKEY_LEN];

	start(f, &b, user, realm, nonce);
	if (pass != NULL) {
		stun_longterm_key(user != NULL ? user : "",
		    realm != NULL ? realm : "", pass, key);
		ATF_REQUIRE(stun_add_integrity(&b, key, sizeof(key)) == 0);
	}
	ATF_REQUIRE(stun_parse(f->buf, stun_build_len(&b), &f->m) == 0);
}

/* Checks also that a refusal hands back neither key nor username. */
static enum turn_auth_result
check(struct fix *f, const struct sockaddr *from, time_t now)
{
	enum turn_auth_result	 r;
	uint8_t			 key[STUN_LTKEY_LEN];
	char			 user[TURN_AUTH_USER_MAX];

	memset(key, 0xa5, sizeof(key));
	memset(user, 'u', sizeof(user));
	r = turn_auth_check(&f->a, &f->m, from, now, key, user, sizeof(user));
	if (r != TURN_AUTH_OK) {
		ATF_CHECK(sodium_is_zero(key, sizeof(key)));
		ATF_CHECK_STREQ(user, "");
	}
	return r;
}

/* user signed with secret's password, from SRC at NOW. */
static enum turn_auth_result
attempt(struct fix *f, const char *secret, const char *user)
{
	char	 pass[TURN_CRED_PASS_MAX];

	turn_cred_password((const uint8_t *)secret, strlen(secret), user,
	    strlen(user), pass);
	request(f, user, REALM, f->nonce, pass);
	return check(f, f->from, NOW);
}

/* A good credential on this nonce, from this source, at this time. */
static enum turn_auth_result
with_nonce(struct fix *f, const char *nonce, const struct sockaddr *from,
    time_t now)
{
	char	 user[TURN_CRED_USER_MAX], pass[TURN_CRED_PASS_MAX];

	ATF_REQUIRE(turn_cred_make((const uint8_t *)secret1, strlen(secret1),
	    NOW + HOUR, "alpha", user, pass) == 0);
	request(f, user, REALM, nonce, pass);
	return check(f, from, now);
}

ATF_TC_WITHOUT_HEAD(ok_and_rotation);
ATF_TC_BODY(ok_and_rotation, tc)
{
	struct fix	 f;
	const char	*secrets[] = { secret1, secret2 };
	uint8_t		 key[STUN_LTKEY_LEN], want[STUN_LTKEY_LEN];
	char		 user[TURN_CRED_USER_MAX], pass[TURN_CRED_PASS_MAX];
	char		 got[TURN_AUTH_USER_MAX];
	size_t		 i;

	fix_init(&f);
	/* Credentials from the old secret and the new one both work. */
	for (i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++) {
		ATF_REQUIRE(turn_cred_make((const uint8_t *)secrets[i],
		    strlen(secrets[i]), NOW + HOUR, "alpha", user, pass) == 0);
		request(&f, user, REALM, f.nonce, pass);
		ATF_CHECK_EQ(turn_auth_check(&f.a, &f.m, f.from, NOW + 1, key,
		    got, sizeof(got)), TURN_AUTH_OK);
		ATF_CHECK_STREQ(got, USER);
		stun_longterm_key(user, REALM, pass, want);
		ATF_CHECK(memcmp(key, want, sizeof(key)) == 0);
	}

	/* Username exactly as long as the caller can hold. */
	ATF_CHECK_EQ(turn_auth_check(&f.a, &f.m, f.from, NOW, key, got,
	    strlen(user) + 1), TURN_AUTH_OK);
	ATF_CHECK_EQ(turn_auth_check(&f.a, &f.m, f.from, NOW, key, got,
	    strlen(user)), TURN_AUTH_REFUSED);
	ATF_CHECK(sodium_is_zero(key, sizeof(key)));
}

ATF_TC_WITHOUT_HEAD(refused);
ATF_TC_BODY(refused, tc)
{
	struct fix	 f;

	fix_init(&f);
	ATF_CHECK_EQ(attempt(&f, "other-secret", USER), TURN_AUTH_REFUSED);

	/* No secret at all: nothing matches. */
	ATF_REQUIRE(turn_auth_init(&f.a, REALM, LIFETIME) == 0);
	ATF_REQUIRE(turn_nonce_make(&f.a, f.from, NOW, f.nonce,
	    sizeof(f.nonce)) == NONCE_LEN);
	ATF_CHECK_EQ(attempt(&f, secret1, USER), TURN_AUTH_REFUSED);
}

/* now >= expiry is too late. */
ATF_TC_WITHOUT_HEAD(expired_user);
ATF_TC_BODY(expired_user, tc)
{
	struct fix	 f;

	fix_init(&f);
	ATF_CHECK_EQ(attempt(&f, secret1, "1700000001:alpha"), TURN_AUTH_OK);
	ATF_CHECK_EQ(attempt(&f, secret1, "1700000000:alpha"),
	    TURN_AUTH_REFUSED);
	ATF_CHECK_EQ(attempt(&f, secret1, "1699999999:alpha"),
	    TURN_AUTH_REFUSED);
	ATF_CHECK_EQ(attempt(&f, secret1, "0"), TURN_AUTH_REFUSED);
}

/* coturn takes a timestamp alone; a name alone is no REST username. */
ATF_TC_WITHOUT_HEAD(user_without_colon);
ATF_TC_BODY(user_without_colon, tc)
{
	struct fix	 f;

	fix_init(&f);
	ATF_CHECK_EQ(attempt(&f, secret1, "1700003600"), TURN_AUTH_OK);
	ATF_CHECK_EQ(attempt(&f, secret2, "1700003600"), TURN_AUTH_OK);
	ATF_CHECK_EQ(attempt(&f, secret1, "alpha"), TURN_AUTH_REFUSED);
}

/* Signed with a good secret, so only the username's form refuses them. */
ATF_TC_WITHOUT_HEAD(malformed_expiry);
ATF_TC_BODY(malformed_expiry, tc)
{
	static const char *bad[] = {
		"12a:x", "-5:x", "", "+1700003600:x", " 1700003600:x",
		"1700003600 :x", "0x65a4bd10:x", ":x", ":", "1700003600:",
		"1700003600:a\tb", "1700003600:a\x7f",
		"9223372036854775808:x",	/* INT64_MAX + 1 */
		"99999999999999999999:x",
		"00000000000000000000009223372036854775808",
	};
	struct fix	 f;
	int64_t		 e;
	size_t		 i;

	fix_init(&f);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ATF_CHECK_EQ_MSG(attempt(&f, secret1, bad[i]),
		    TURN_AUTH_REFUSED, "\"%s\"", bad[i]);
		ATF_CHECK_EQ_MSG(turn_auth_user_expiry(bad[i], strlen(bad[i]),
		    &e), -1, "\"%s\"", bad[i]);
	}

	/* The largest int64 never expires; leading zeros are digits. */
	ATF_CHECK_EQ(attempt(&f, secret1, "9223372036854775807:x"),
	    TURN_AUTH_OK);
	ATF_CHECK_EQ(turn_auth_user_expiry("9223372036854775807:x", 21, &e),
	    0);
	ATF_CHECK_EQ(e, INT64_MAX);
	ATF_CHECK_EQ(turn_auth_user_expiry("001700003600:a:b", 16, &e), 0);
	ATF_CHECK_EQ(e, 1700003600);
	ATF_CHECK_EQ(turn_auth_user_expiry("1700003600", 10, &e), 0);
	ATF_CHECK_EQ(e, 1700003600);
	/* The length counts, not a NUL. */
	ATF_CHECK_EQ(turn_auth_user_expiry("17\0:x", 5, &e), -1);
	ATF_CHECK_EQ(turn_auth_user_expiry("17:x\0", 5, &e), -1);
	ATF_CHECK_EQ(turn_auth_user_expiry("1799", 2, &e), 0);
	ATF_CHECK_EQ(e, 17);
}

ATF_TC_WITHOUT_HEAD(missing_integrity);
ATF_TC_BODY(missing_integrity, tc)
{
	struct fix	 f;

	fix_init(&f);
	request(&f, NULL, NULL, NULL, NULL);
	ATF_CHECK_EQ(check(&f, f.from, NOW), TURN_AUTH_CHALLENGE);
	request(&f, USER, REALM, f.nonce, NULL);
	ATF_CHECK_EQ(check(&f, f.from, NOW), TURN_AUTH_CHALLENGE);
}

/* RFC 8489 9.2.4: integrity without what it is keyed with is a 400. */
ATF_TC_WITHOUT_HEAD(integrity_without_attrs);
ATF_TC_BODY(integrity_without_attrs, tc)
{
	struct fix	 f;

	fix_init(&f);
	request(&f, USER, REALM, NULL, "p");
	ATF_CHECK_EQ(check(&f, f.from, NOW), TURN_AUTH_BAD_REQUEST);
	request(&f, USER, NULL, f.nonce, "p");
	ATF_CHECK_EQ(check(&f, f.from, NOW), TURN_AUTH_BAD_REQUEST);
	request(&f, NULL, REALM, f.nonce, "p");
	ATF_CHECK_EQ(check(&f, f.from, NOW), TURN_AUTH_BAD_REQUEST);
}

ATF_TC_WITHOUT_HEAD(stale_nonce);
ATF_TC_BODY(stale_nonce, tc)
{
	struct fix	 f;

	fix_init(&f);
	ATF_CHECK_EQ(with_nonce(&f, f.nonce, f.from, NOW), TURN_AUTH_OK);
	ATF_CHECK_EQ(with_nonce(&f, f.nonce, f.from, NOW + LIFETIME - 1),
	    TURN_AUTH_OK);
	ATF_CHECK_EQ(with_nonce(&f, f.nonce, f.from, NOW + LIFETIME),
	    TURN_AUTH_STALE_NONCE);
	/* Issued after now: the clock went back. */
	ATF_CHECK_EQ(with_nonce(&f, f.nonce, f.from, NOW - 1),
	    TURN_AUTH_STALE_NONCE);
}

/* The nonce is checked before the credential: 438, then 401 on retry. */
ATF_TC_WITHOUT_HEAD(nonce_checked_first);
ATF_TC_BODY(nonce_checked_first, tc)
{
	struct fix	 f;

	fix_init(&f);
	request(&f, "1600000000:alpha", "other.example", f.nonce, "bad");
	ATF_CHECK_EQ(check(&f, f.from, NOW + LIFETIME),
	    TURN_AUTH_STALE_NONCE);
	ATF_CHECK_EQ(check(&f, f.from, NOW), TURN_AUTH_REFUSED);
}

/* A nonce holds for the address it was sent to, on any port. */
ATF_TC_WITHOUT_HEAD(nonce_other_source);
ATF_TC_BODY(nonce_other_source, tc)
{
	struct fix		 f;
	struct sockaddr_storage	 other;

	fix_init(&f);
	ATF_CHECK_EQ(with_nonce(&f, f.nonce, ep(&other, SRC_OTHER), NOW),
	    TURN_AUTH_STALE_NONCE);
	ATF_CHECK_EQ(with_nonce(&f, f.nonce, ep(&other, SRC_PORT2), NOW),
	    TURN_AUTH_OK);
	ATF_CHECK_EQ(with_nonce(&f, f.nonce, ep(&other, SRC_MAPPED), NOW),
	    TURN_AUTH_OK);

	f.from = ep(&f.src, SRC6);
	ATF_REQUIRE(turn_nonce_make(&f.a, f.from, NOW, f.nonce,
	    sizeof(f.nonce)) == NONCE_LEN);
	ATF_CHECK_EQ(with_nonce(&f, f.nonce, f.from, NOW), TURN_AUTH_OK);
	ATF_CHECK_EQ(with_nonce(&f, f.nonce, ep(&other, SRC6_OTHER), NOW),
	    TURN_AUTH_STALE_NONCE);
}

ATF_TC_WITHOUT_HEAD(nonce_tampered);
ATF_TC_BODY(nonce_tampered, tc)
{
	/* In the issue time, the salt, the MAC, and its last character. */
	static const size_t	 at[] = { 0, 12, 30, NONCE_LEN - 1 };
	struct fix		 f;
	struct turn_auth	 before;
	char			 bad[TURN_NONCE_MAX + 1];
	size_t			 i;

	fix_init(&f);
	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		strlcpy(bad, f.nonce, sizeof(bad));
		bad[at[i]] = bad[at[i]] == 'A' ? 'B' : 'A';
		ATF_CHECK_EQ_MSG(with_nonce(&f, bad, f.from, NOW),
		    TURN_AUTH_STALE_NONCE, "at %zu", at[i]);
	}

	strlcpy(bad, f.nonce, sizeof(bad));
	bad[NONCE_LEN - 1] = '\0';
	ATF_CHECK_EQ(with_nonce(&f, bad, f.from, NOW), TURN_AUTH_STALE_NONCE);
	strlcpy(bad, f.nonce, sizeof(bad));
	strlcat(bad, "A", sizeof(bad));
	ATF_CHECK_EQ(with_nonce(&f, bad, f.from, NOW), TURN_AUTH_STALE_NONCE);
	strlcpy(bad, f.nonce, sizeof(bad));
	bad[20] = '+';		/* standard base64, not the URL-safe kind */
	ATF_CHECK_EQ(with_nonce(&f, bad, f.from, NOW), TURN_AUTH_STALE_NONCE);
	ATF_CHECK_EQ(with_nonce(&f, "", f.from, NOW), TURN_AUTH_STALE_NONCE);

	/* A nonce of the process before a restart: another key. */
	before = f.a;
	ATF_REQUIRE(turn_auth_init(&f.a, REALM, LIFETIME) == 0);
	ATF_REQUIRE(turn_auth_add_secret(&f.a, secret1) == 0);
	ATF_CHECK_EQ(with_nonce(&f, f.nonce, f.from, NOW),
	    TURN_AUTH_STALE_NONCE);
	f.a = before;
	ATF_CHECK_EQ(with_nonce(&f, f.nonce, f.from, NOW), TURN_AUTH_OK);
}

ATF_TC_WITHOUT_HEAD(nonce_text);
ATF_TC_BODY(nonce_text, tc)
{
	static const time_t	 when[] = { 0, NOW, INT64_MAX };
	struct fix		 f;
	struct sockaddr_un	 sun;
	char			 n[TURN_NONCE_MAX];
	size_t			 i, j;

	fix_init(&f);
	for (i = 0; i < sizeof(when) / sizeof(when[0]); i++) {
		ATF_REQUIRE(turn_nonce_make(&f.a, f.from, when[i], n,
		    sizeof(n)) == NONCE_LEN);
		ATF_CHECK_EQ(strlen(n), NONCE_LEN);
		/* RFC 8489 14.10: qdtext, fewer than 128 characters. */
		for (j = 0; j < NONCE_LEN; j++)
			ATF_CHECK_MSG(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "abcdefghijklmnopqrstuvwxyz0123456789-_", n[j]) !=
			    NULL, "%s", n);
		ATF_CHECK(strncmp(n, NONCE_COOKIE, strlen(NONCE_COOKIE)) != 0);
		ATF_CHECK(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef", n[0]) !=
		    NULL);
	}

	/* RFC 8489 9.2.4: no two sources (ports) get one nonce. */
	ATF_REQUIRE(turn_nonce_make(&f.a, f.from, NOW, n, sizeof(n)) ==
	    NONCE_LEN);
	ATF_CHECK(strcmp(n, f.nonce) != 0);

	ATF_CHECK_EQ(turn_nonce_make(&f.a, f.from, NOW, n, NONCE_LEN), 0);
	ATF_CHECK_EQ(turn_nonce_make(&f.a, f.from, -1, n, sizeof(n)), 0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	ATF_CHECK_EQ(turn_nonce_make(&f.a, (struct sockaddr *)&sun, NOW, n,
	    sizeof(n)), 0);
}

/* One realm: a request naming another is refused, however keyed. */
ATF_TC_WITHOUT_HEAD(realm_mismatch);
ATF_TC_BODY(realm_mismatch, tc)
{
	static const char	*realms[] = {
		"other.example", "tern.exampl", "tern.example.",
		"TERN.EXAMPLE",
	};
	struct fix		 f;
	struct stun_builder	 b;
	uint8_t			 key[STUN_LTKEY_LEN];
	char			 user[TURN_CRED_USER_MAX];
	char			 pass[TURN_CRED_PASS_MAX];
	size_t			 i;

	fix_init(&f);
	ATF_REQUIRE(turn_cred_make((const uint8_t *)secret1, strlen(secret1),
	    NOW + HOUR, "alpha", user, pass) == 0);
	for (i = 0; i < sizeof(realms) / sizeof(realms[0]); i++) {
		request(&f, user, realms[i], f.nonce, pass);
		ATF_CHECK_EQ_MSG(check(&f, f.from, NOW), TURN_AUTH_REFUSED,
		    "%s", realms[i]);
	}

	/* Keyed with our realm, but naming another. */
	start(&f, &b, user, realms[0], f.nonce);
	stun_longterm_key(user, REALM, pass, key);
	ATF_REQUIRE(stun_add_integrity(&b, key, sizeof(key)) == 0);
	ATF_REQUIRE(stun_parse(f.buf, stun_build_len(&b), &f.m) == 0);
	ATF_CHECK_EQ(check(&f, f.from, NOW), TURN_AUTH_REFUSED);
}

/* lib/stun.c checks SHA-1 integrity; SHA-256 alone is refused. */
ATF_TC_WITHOUT_HEAD(integrity_sha256_only);
ATF_TC_BODY(integrity_sha256_only, tc)
{
	struct fix		 f;
	struct stun_builder	 b;
	uint8_t			 mac[STUN_MI256_MAX];

	fix_init(&f);
	memset(mac, 0, sizeof(mac));
	start(&f, &b, USER, REALM, f.nonce);
	ATF_REQUIRE(stun_add_bytes(&b, STUN_ATTR_MESSAGE_INTEGRITY_SHA256, mac,
	    sizeof(mac)) == 0);
	ATF_REQUIRE(stun_parse(f.buf, stun_build_len(&b), &f.m) == 0);
	ATF_CHECK_EQ(check(&f, f.from, NOW), TURN_AUTH_REFUSED);
}

/*
 * One REST credential worked by hand, independently of our code:
 *   pass=$(printf '1700003600:alpha' |
 *       openssl dgst -sha1 -hmac north-relay-secret -binary | openssl base64)
 *   printf '1700003600:alpha:tern.example:%s' "$pass" | openssl dgst -md5
 * and the same with Python's hmac, hashlib and base64 modules.
 */
ATF_TC_WITHOUT_HEAD(known_answer);
ATF_TC_BODY(known_answer, tc)
{
	static const uint8_t	 want[STUN_LTKEY_LEN] = {
		0xc1, 0x44, 0x07, 0x8c, 0x3a, 0xdc, 0xa5, 0xd7,
		0x62, 0x17, 0xd1, 0x35, 0xfa, 0xac, 0x90, 0xf3,
	};
	struct fix		 f;
	uint8_t			 key[STUN_LTKEY_LEN];
	char			 got[TURN_AUTH_USER_MAX];

	fix_init(&f);
	ATF_REQUIRE(turn_auth_add_secret(&f.a, "north-relay-secret") == 0);
	request(&f, USER, REALM, f.nonce, "/BMmwwHaSGR0Ws4+7fJWu/RkIs0=");
	ATF_CHECK_EQ(turn_auth_check(&f.a, &f.m, f.from, NOW, key, got,
	    sizeof(got)), TURN_AUTH_OK);
	ATF_CHECK(memcmp(key, want, sizeof(want)) == 0);
	ATF_CHECK_STREQ(got, USER);
}

ATF_TC_WITHOUT_HEAD(setup_limits);
ATF_TC_BODY(setup_limits, tc)
{
	struct turn_auth	 a;
	char			 s[TURN_AUTH_SECRET_MAX + 1];
	char			 r[TURN_AUTH_REALM_MAX + 1];

	ATF_REQUIRE(sodium_init() != -1);
	memset(r, 'r', sizeof(r) - 1);
	r[sizeof(r) - 1] = '\0';
	ATF_CHECK_EQ(turn_auth_init(&a, r, LIFETIME), -1);
	r[TURN_AUTH_REALM_MAX - 1] = '\0';
	ATF_CHECK_EQ(turn_auth_init(&a, r, LIFETIME), 0);
	ATF_CHECK_EQ(turn_auth_init(&a, "", LIFETIME), -1);
	ATF_CHECK_EQ(turn_auth_init(&a, REALM, 0), -1);

	ATF_REQUIRE(turn_auth_init(&a, REALM, LIFETIME) == 0);
	ATF_CHECK(!sodium_is_zero(a.nonce_key, sizeof(a.nonce_key)));
	memset(s, 's', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	ATF_CHECK_EQ(turn_auth_add_secret(&a, s), -1);
	ATF_CHECK_EQ(turn_auth_add_secret(&a, ""), -1);
	s[TURN_AUTH_SECRET_MAX - 1] = '\0';
	ATF_CHECK_EQ(turn_auth_add_secret(&a, s), 0);
	ATF_CHECK_EQ(turn_auth_add_secret(&a, "2"), 0);
	ATF_CHECK_EQ(turn_auth_add_secret(&a, "3"), 0);
	ATF_CHECK_EQ(turn_auth_add_secret(&a, "4"), 0);
	ATF_CHECK_EQ(turn_auth_add_secret(&a, "5"), -1);
	ATF_CHECK_EQ(a.nsecrets, TURN_AUTH_SECRETS_MAX);

	turn_auth_clear(&a);
	ATF_CHECK(sodium_is_zero((const uint8_t *)&a, sizeof(a)));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, ok_and_rotation);
	ATF_TP_ADD_TC(tp, refused);
	ATF_TP_ADD_TC(tp, expired_user);
	ATF_TP_ADD_TC(tp, user_without_colon);
	ATF_TP_ADD_TC(tp, malformed_expiry);
	ATF_TP_ADD_TC(tp, missing_integrity);
	ATF_TP_ADD_TC(tp, integrity_without_attrs);
	ATF_TP_ADD_TC(tp, stale_nonce);
	ATF_TP_ADD_TC(tp, nonce_checked_first);
	ATF_TP_ADD_TC(tp, nonce_other_source);
	ATF_TP_ADD_TC(tp, nonce_tampered);
	ATF_TP_ADD_TC(tp, nonce_text);
	ATF_TP_ADD_TC(tp, realm_mismatch);
	ATF_TP_ADD_TC(tp, integrity_sha256_only);
	ATF_TP_ADD_TC(tp, known_answer);
	ATF_TP_ADD_TC(tp, setup_limits);
	return atf_no_error();
}
