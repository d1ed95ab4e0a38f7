/* Unit tests of lib/key.c: encodings, key files and their permissions. */
#include <sys/stat.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>
#include <sodium.h>

#include "key.h"

#define FIFO_HANG_SEC	10	/* far longer than refusing a FIFO takes */

/* RFC 7748 section 6.1: Alice's private and public key. */
static const char *rfc7748_priv =
    "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
static const char *rfc7748_pub =
    "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";

ATF_TC_WITHOUT_HEAD(public_key);
ATF_TC_BODY(public_key, tc)
{
	uint8_t	 priv[KEY_LEN], pub[KEY_LEN];
	char	 hex[KEY_HEXLEN];

	ATF_REQUIRE(sodium_init() != -1);
	ATF_REQUIRE(key_from_hex(rfc7748_priv, priv) == 0);
	key_public(priv, pub);
	key_to_hex(pub, hex);
	ATF_CHECK_STREQ(hex, rfc7748_pub);
}

ATF_TC_WITHOUT_HEAD(encodings);
ATF_TC_BODY(encodings, tc)
{
	uint8_t	 k[KEY_LEN], back[KEY_LEN];
	char	 b64[KEY_B64LEN], hex[KEY_HEXLEN];

	ATF_REQUIRE(sodium_init() != -1);
	key_generate(k);
	/* WireGuard's clamping. */
	ATF_CHECK_EQ(k[0] & 7, 0);
	ATF_CHECK_EQ(k[31] & 0xc0, 0x40);
	key_to_b64(k, b64);
	ATF_CHECK_EQ(strlen(b64), 44);
	ATF_REQUIRE(key_from_b64(b64, back) == 0);
	ATF_CHECK(memcmp(k, back, KEY_LEN) == 0);
	key_to_hex(k, hex);
	ATF_REQUIRE(key_from_hex(hex, back) == 0);
	ATF_CHECK(memcmp(k, back, KEY_LEN) == 0);

	ATF_CHECK(key_from_b64("", back) == -1);
	ATF_CHECK(key_from_b64("AAAA", back) == -1);
	b64[10] = '*';
	ATF_CHECK(key_from_b64(b64, back) == -1);
	ATF_CHECK(key_from_hex("zz", back) == -1);
	hex[0] = 'g';
	ATF_CHECK(key_from_hex(hex, back) == -1);
}

ATF_TC_WITHOUT_HEAD(files);
ATF_TC_BODY(files, tc)
{
	uint8_t		 k[KEY_LEN], back[KEY_LEN];
	char		 err[256];
	struct stat	 st;

	ATF_REQUIRE(sodium_init() != -1);
	key_generate(k);
	ATF_REQUIRE_MSG(key_write_file("k", k, err, sizeof(err)) == 0, "%s",
	    err);
	ATF_REQUIRE(stat("k", &st) == 0);
	ATF_CHECK_EQ(st.st_mode & 07777, 0600);
	ATF_REQUIRE(key_read_file("k", back, err, sizeof(err)) == 0);
	ATF_CHECK(memcmp(k, back, KEY_LEN) == 0);

	/* Never overwritten. */
	ATF_CHECK(key_write_file("k", k, err, sizeof(err)) == -1);
	ATF_CHECK_STREQ(err, "k: File exists");

	/* A key others can read is refused. */
	ATF_REQUIRE(chmod("k", 0640) == 0);
	ATF_CHECK(key_read_file("k", back, err, sizeof(err)) == -1);
	ATF_CHECK_STREQ(err, "k: mode 0640 is too open, want 0600");

	ATF_REQUIRE(close(open("bad", O_WRONLY | O_CREAT, 0600)) == 0);
	ATF_CHECK(key_read_file("bad", back, err, sizeof(err)) == -1);
	ATF_CHECK_STREQ(err, "bad: not a base64 key of 32 bytes");
	ATF_CHECK(key_read_file("missing", back, err, sizeof(err)) == -1);
	ATF_CHECK_STREQ(err, "missing: No such file or directory");
}

/* A FIFO, device or directory is refused at once; the alarm fails a hang. */
ATF_TC_WITHOUT_HEAD(not_regular);
ATF_TC_BODY(not_regular, tc)
{
	const char	*paths[] = { "fifo", "dir", "/dev/null", "/dev/zero" };
	uint8_t		 back[KEY_LEN];
	char		 err[256], want[256];
	size_t		 i;

	ATF_REQUIRE(mkfifo("fifo", 0600) == 0);
	ATF_REQUIRE(mkdir("dir", 0700) == 0);
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		alarm(FIFO_HANG_SEC);
		ATF_CHECK(key_read_file(paths[i], back, err, sizeof(err)) ==
		    -1);
		alarm(0);
		snprintf(want, sizeof(want), "%s: not a regular file",
		    paths[i]);
		ATF_CHECK_STREQ(err, want);
	}
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, public_key);
	ATF_TP_ADD_TC(tp, encodings);
	ATF_TP_ADD_TC(tp, files);
	ATF_TP_ADD_TC(tp, not_regular);
	return atf_no_error();
}
