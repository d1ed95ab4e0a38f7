/*
 * Unit tests of TURN REST credentials.  The expected passwords were
 * computed with Python's hmac module, an implementation independent of
 * ours: base64(HMAC-SHA1(secret, "expiry:name")).
 */
#include <string.h>

#include <atf-c.h>
#include <sodium.h>

#include "turn_cred.h"

ATF_TC_WITHOUT_HEAD(known_answers);
ATF_TC_BODY(known_answers, tc)
{
	char	 user[TURN_CRED_USER_MAX], pass[TURN_CRED_PASS_MAX];
	uint8_t	 longsecret[100];
	const char *s = "north-relay-secret";

	ATF_REQUIRE(sodium_init() != -1);
	ATF_REQUIRE(turn_cred_make((const uint8_t *)s, strlen(s), 1700003600,
	    "alpha", user, pass) == 0);
	ATF_CHECK_STREQ(user, "1700003600:alpha");
	ATF_CHECK_STREQ(pass, "/BMmwwHaSGR0Ws4+7fJWu/RkIs0=");

	/* A secret longer than SHA-1's block is hashed first (RFC 2104). */
	memset(longsecret, 'x', sizeof(longsecret));
	ATF_REQUIRE(turn_cred_make(longsecret, sizeof(longsecret), 4102444800,
	    "node.with-dash_1", user, pass) == 0);
	ATF_CHECK_STREQ(user, "4102444800:node.with-dash_1");
	ATF_CHECK_STREQ(pass, "uuK0BvDYZWqs8bmjx4lxE8uJp1M=");
}

ATF_TC_WITHOUT_HEAD(refused);
ATF_TC_BODY(refused, tc)
{
	char	 user[TURN_CRED_USER_MAX], pass[TURN_CRED_PASS_MAX];
	char	 name[TURN_CRED_NAME_MAX + 1];
	const uint8_t s[] = "k";

	ATF_CHECK(turn_cred_make(s, 1, -1, "alpha", user, pass) == -1);
	ATF_CHECK(turn_cred_make(s, 1, 1, "", user, pass) == -1);
	/* A ':' would make the username ambiguous to the relay. */
	ATF_CHECK(turn_cred_make(s, 1, 1, "a:b", user, pass) == -1);
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	ATF_CHECK(turn_cred_make(s, 1, 1, name, user, pass) == -1);
	name[TURN_CRED_NAME_MAX - 1] = '\0';
	ATF_CHECK(turn_cred_make(s, 1, INT64_MAX, name, user, pass) == 0);
	ATF_CHECK_EQ(strlen(user), 19 + 1 + TURN_CRED_NAME_MAX - 1);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, known_answers);
	ATF_TP_ADD_TC(tp, refused);
	return atf_no_error();
}
