/* Unit tests of relays.json: encoding, strict parsing, atomic file I/O. */
#include <sys/stat.h>

#include <atf-c.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "relaycache.h"
#include "parent_relaycache.h"

#define ERRLEN	256
#define FIFO_HANG_SEC	10	/* far longer than refusing a FIFO takes */

ATF_TC_WITHOUT_HEAD(round_trip);
ATF_TC_BODY(round_trip, tc)
{
	struct relaycache	 rc, back;
	char			 err[ERRLEN];
	char			*json;
	size_t			 len, i;

	memset(&rc, 0, sizeof(rc));
	strlcpy(rc.addrs[0], "relay.example.net:3478", sizeof(rc.addrs[0]));
	strlcpy(rc.addrs[1], "[2001:db8::1]:3478", sizeof(rc.addrs[1]));
	strlcpy(rc.addrs[2], "203.0.113.5:3479", sizeof(rc.addrs[2]));
	rc.naddrs = 3;
	rc.saved_at = 1796000000;
	ATF_REQUIRE((json = relaycache_encode(&rc, &len)) != NULL);
	ATF_CHECK_STREQ(json, "{\"addrs\":[\"relay.example.net:3478\","
	    "\"[2001:db8::1]:3478\",\"203.0.113.5:3479\"],"
	    "\"saved_at\":1796000000}");
	ATF_CHECK_EQ(len, strlen(json));
	ATF_REQUIRE_MSG(relaycache_parse(json, len, &back, err,
	    sizeof(err)) == 0, "%s", err);
	free(json);
	ATF_CHECK_EQ(back.naddrs, 3);
	ATF_CHECK_EQ(back.saved_at, 1796000000);
	for (i = 0; i < 3; i++)
		ATF_CHECK_STREQ(back.addrs[i], rc.addrs[i]);

	/* The full list of the longest names fits the size cap. */
	for (i = 0; i < RELAYCACHE_ADDRS_MAX; i++) {
		memset(rc.addrs[i], 'a', SIGMSG_HOST_MAX - 1);
		rc.addrs[i][SIGMSG_HOST_MAX - 1] = '\0';
	}
	rc.naddrs = RELAYCACHE_ADDRS_MAX;
	ATF_REQUIRE((json = relaycache_encode(&rc, &len)) != NULL);
	ATF_CHECK(len <= RELAYCACHE_MAX);
	free(json);

	/* An empty list is a list. */
	rc.naddrs = 0;
	ATF_REQUIRE((json = relaycache_encode(&rc, &len)) != NULL);
	ATF_CHECK_STREQ(json, "{\"addrs\":[],\"saved_at\":1796000000}");
	ATF_CHECK_EQ(relaycache_parse(json, len, &back, err, sizeof(err)), 0);
	ATF_CHECK_EQ(back.naddrs, 0);
	free(json);

	/* What we cannot write we refuse to write. */
	rc.naddrs = RELAYCACHE_ADDRS_MAX + 1;
	ATF_CHECK(relaycache_encode(&rc, &len) == NULL);
	rc.naddrs = 0;
	rc.saved_at = -1;
	ATF_CHECK(relaycache_encode(&rc, &len) == NULL);
}

/* Corrupt caches and what the warning says. */
static const struct {
	const char	*json;
	const char	*err;
} corrupt[] = {
	{ "", "not JSON: parse error: premature EOF" },
	{ "{\"addrs\":[\"a.example:3478\"],\"saved_at\":1",
	    "not JSON: parse error: premature EOF" },
	{ "[]", "relays.json: not a JSON object" },
	{ "{}", "missing field: addrs" },
	{ "{\"saved_at\":1}", "missing field: addrs" },
	{ "{\"addrs\":[]}", "missing field: saved_at" },
	{ "{\"addrs\":{},\"saved_at\":1}", "addrs: not an array" },
	{ "{\"addrs\":[],\"addrs\":[],\"saved_at\":1}",
	    "addrs: duplicate field" },
	{ "{\"addrs\":[],\"saved_at\":-1}",
	    "saved_at: not an integer in 0..9223372036854775807" },
	{ "{\"addrs\":[],\"saved_at\":1.5}",
	    "saved_at: not an integer in 0..9223372036854775807" },
	{ "{\"addrs\":[],\"saved_at\":\"1\"}",
	    "saved_at: not an integer in 0..9223372036854775807" },
	{ "{\"addrs\":[1],\"saved_at\":1}", "addrs[0]: not a string" },
	{ "{\"addrs\":[\"a.example:3478\",\"b.example\"],\"saved_at\":1}",
	    "addrs[1]: missing port" },
	{ "{\"addrs\":[\"bad_name:3478\"],\"saved_at\":1}",
	    "addrs[0]: invalid host name" },
	{ "{\"addrs\":[\"a:\\u0001:3478\"],\"saved_at\":1}",
	    "addrs[0]: control character" },
	{ "{\"addrs\":[\"a\\u0000:3478\"],\"saved_at\":1}",
	    "string with a NUL character at offset 12" },
	{ "{\"addrs\":[],\"saved_at\":1,\"x\":2}", "unknown field \"x\"" },
	{ "{\"addrs\":[],\"saved_at\":1,\"\\n\":2}", "unknown field \"?\"" },
	{ "{\"addrs\":[],\"saved_at\":1}/**/", "not JSON: comment at offset 25" },
	{ "[[[[[[[[[]]]]]]]]]", "nesting too deep: more than 8 levels" },
};

ATF_TC_WITHOUT_HEAD(corrupt_inputs);
ATF_TC_BODY(corrupt_inputs, tc)
{
	struct relaycache	 rc;
	char			 err[ERRLEN];
	size_t			 i;

	for (i = 0; i < sizeof(corrupt) / sizeof(corrupt[0]); i++) {
		memset(err, 0, sizeof(err));
		ATF_CHECK_EQ_MSG(relaycache_parse(corrupt[i].json,
		    strlen(corrupt[i].json), &rc, err, sizeof(err)), -1,
		    "%s accepted", corrupt[i].json);
		ATF_CHECK_STREQ_MSG(err, corrupt[i].err, "%s", corrupt[i].json);
		ATF_CHECK_EQ(rc.naddrs, 0);
	}
}

ATF_TC_WITHOUT_HEAD(caps);
ATF_TC_BODY(caps, tc)
{
	struct relaycache	 rc;
	char			 err[ERRLEN], want[ERRLEN];
	char			*json;
	size_t			 i, len = 0;

	/* One entry past the count. */
	json = malloc(RELAYCACHE_MAX);
	ATF_REQUIRE(json != NULL);
	len += snprintf(json + len, RELAYCACHE_MAX - len, "{\"addrs\":[");
	for (i = 0; i <= RELAYCACHE_ADDRS_MAX; i++)
		len += snprintf(json + len, RELAYCACHE_MAX - len,
		    "%s\"r%zu.example:3478\"", i ? "," : "", i);
	len += snprintf(json + len, RELAYCACHE_MAX - len, "],\"saved_at\":1}");
	ATF_CHECK_EQ(relaycache_parse(json, len, &rc, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "addrs: more than %d entries",
	    RELAYCACHE_ADDRS_MAX);
	ATF_CHECK_STREQ(err, want);
	free(json);

	/* One byte past the size, before any parsing. */
	json = malloc(RELAYCACHE_MAX + 1);
	ATF_REQUIRE(json != NULL);
	memset(json, ' ', RELAYCACHE_MAX + 1);
	ATF_CHECK_EQ(relaycache_parse(json, RELAYCACHE_MAX + 1, &rc, err,
	    sizeof(err)), -1);
	snprintf(want, sizeof(want), "relays.json too large: %d bytes, at "
	    "most %d", RELAYCACHE_MAX + 1, RELAYCACHE_MAX);
	ATF_CHECK_STREQ(err, want);
	free(json);
}

/* The directory holds exactly relays.json. */
static void
check_only_cache(const char *dir)
{
	struct dirent	*de;
	DIR		*d;
	int		 n = 0;

	ATF_REQUIRE((d = opendir(dir)) != NULL);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		ATF_CHECK_STREQ(de->d_name, RELAYCACHE_FILE);
		n++;
	}
	closedir(d);
	ATF_CHECK_EQ(n, 1);
}

ATF_TC_WITHOUT_HEAD(file_atomic);
ATF_TC_BODY(file_atomic, tc)
{
	static const char	 one[] = "{\"addrs\":[],\"saved_at\":1}";
	static const char	 two[] = "{\"addrs\":[\"a.example:1\"],"
				    "\"saved_at\":2}";
	struct stat		 st;
	char			 err[ERRLEN];
	char			*buf;
	size_t			 len;
	int			 fd;

	ATF_REQUIRE(mkdir("state", 0700) == 0);
	ATF_REQUIRE_MSG(relaycache_write("state", one, strlen(one), err,
	    sizeof(err)) == 0, "%s", err);
	check_only_cache("state");
	ATF_REQUIRE_EQ_MSG(relaycache_read("state", &buf, &len, err,
	    sizeof(err)), 0, "%s", err);
	ATF_CHECK_EQ(len, strlen(one));
	ATF_CHECK(memcmp(buf, one, len) == 0);
	free(buf);
	ATF_REQUIRE(stat("state/relays.json", &st) == 0);
	ATF_CHECK_EQ(st.st_mode & 0777, RELAYCACHE_MODE);

	/* A leftover temporary file of a crash is overwritten, not kept. */
	ATF_REQUIRE((fd = open("state/" RELAYCACHE_TMP,
	    O_WRONLY | O_CREAT, 0600)) != -1);
	ATF_REQUIRE(write(fd, "garbage-garbage-garbage-garbage-garbage", 39) ==
	    39);
	close(fd);
	ATF_REQUIRE_MSG(relaycache_write("state", two, strlen(two), err,
	    sizeof(err)) == 0, "%s", err);
	check_only_cache("state");
	ATF_REQUIRE_EQ(relaycache_read("state", &buf, &len, err,
	    sizeof(err)), 0);
	ATF_CHECK_EQ(len, strlen(two));
	ATF_CHECK(memcmp(buf, two, len) == 0);
	free(buf);

	/* Too large to write: nothing changes. */
	buf = calloc(1, RELAYCACHE_MAX + 1);
	ATF_REQUIRE(buf != NULL);
	ATF_CHECK_EQ(relaycache_write("state", buf, RELAYCACHE_MAX + 1, err,
	    sizeof(err)), -1);
	free(buf);
	ATF_CHECK_STREQ(err, "relays.json: 32769 bytes, at most 32768");
	check_only_cache("state");
}

ATF_TC_WITHOUT_HEAD(file_errors);
ATF_TC_BODY(file_errors, tc)
{
	char	 err[ERRLEN];
	char	*buf = NULL;
	size_t	 len = 1;
	int	 fd;

	ATF_REQUIRE(mkdir("state", 0700) == 0);
	/* No cache yet: not an error, and nothing allocated. */
	ATF_CHECK_EQ(relaycache_read("state", &buf, &len, err, sizeof(err)),
	    1);
	ATF_CHECK(buf == NULL);
	ATF_CHECK_EQ(len, 0);
	/* No state directory. */
	ATF_CHECK_EQ(relaycache_write("nodir", "{}", 2, err, sizeof(err)),
	    -1);
	ATF_CHECK_STREQ(err, "nodir: No such file or directory");
	/* A file grown past the cap is refused whole. */
	ATF_REQUIRE((fd = open("state/relays.json", O_WRONLY | O_CREAT,
	    0600)) != -1);
	ATF_REQUIRE(ftruncate(fd, RELAYCACHE_MAX + 1) == 0);
	close(fd);
	ATF_CHECK_EQ(relaycache_read("state", &buf, &len, err, sizeof(err)),
	    -1);
	ATF_CHECK_STREQ(err, "state/relays.json: larger than 32768 bytes");
	ATF_CHECK(buf == NULL);
	/* Exactly the cap is read. */
	ATF_REQUIRE(truncate("state/relays.json", RELAYCACHE_MAX) == 0);
	ATF_CHECK_EQ(relaycache_read("state", &buf, &len, err, sizeof(err)),
	    0);
	ATF_CHECK_EQ(len, RELAYCACHE_MAX);
	free(buf);
	/* A symbolic link is not followed, a directory not read. */
	ATF_REQUIRE(unlink("state/relays.json") == 0);
	ATF_REQUIRE(symlink("/etc/passwd", "state/relays.json") == 0);
	ATF_CHECK_EQ(relaycache_read("state", &buf, &len, err, sizeof(err)),
	    -1);
	ATF_CHECK_STREQ(err, "state/relays.json: Too many levels of symbolic "
	    "links");
	ATF_REQUIRE(unlink("state/relays.json") == 0);
	ATF_REQUIRE(mkdir("state/relays.json", 0700) == 0);
	ATF_CHECK_EQ(relaycache_read("state", &buf, &len, err, sizeof(err)),
	    -1);
	ATF_CHECK_STREQ(err, "state/relays.json: not a regular file");
	/* A FIFO is refused at once; the alarm fails a read that blocks. */
	ATF_REQUIRE(rmdir("state/relays.json") == 0);
	ATF_REQUIRE(mkfifo("state/relays.json", 0600) == 0);
	alarm(FIFO_HANG_SEC);
	ATF_CHECK_EQ(relaycache_read("state", &buf, &len, err, sizeof(err)),
	    -1);
	alarm(0);
	ATF_CHECK_STREQ(err, "state/relays.json: not a regular file");
}

/* What the parent does with relays.json: store, load, refuse a corrupt one. */
ATF_TC_WITHOUT_HEAD(parent_load_store);
ATF_TC_BODY(parent_load_store, tc)
{
	static struct relaycache	 rc, got;
	static const char		 bad[] = "{\"addrs\":[\"x\"],\"saved_at\":1}";
	char				 err[ERRLEN];
	int				 fd;

	ATF_REQUIRE(mkdir("state", 0700) == 0);
	ATF_CHECK_EQ(relaycache_load("state", &got, err, sizeof(err)), 1);
	ATF_CHECK_EQ(got.naddrs, 0);
	memset(&rc, 0, sizeof(rc));
	strlcpy(rc.addrs[0], "stun.example:3478", sizeof(rc.addrs[0]));
	strlcpy(rc.addrs[1], "[2001:db8::1]:3478", sizeof(rc.addrs[1]));
	rc.naddrs = 2;
	rc.saved_at = 1764633600;
	ATF_REQUIRE_MSG(relaycache_store("state", &rc, err, sizeof(err)) == 0,
	    "%s", err);
	ATF_REQUIRE_MSG(relaycache_load("state", &got, err, sizeof(err)) == 0,
	    "%s", err);
	ATF_CHECK_EQ(got.naddrs, 2);
	ATF_CHECK_STREQ(got.addrs[0], "stun.example:3478");
	ATF_CHECK_STREQ(got.addrs[1], "[2001:db8::1]:3478");
	ATF_CHECK_EQ(got.saved_at, 1764633600);

	ATF_REQUIRE((fd = open("state/" RELAYCACHE_FILE, O_WRONLY | O_TRUNC)) !=
	    -1);
	ATF_REQUIRE(write(fd, bad, strlen(bad)) == (ssize_t)strlen(bad));
	ATF_REQUIRE(close(fd) == 0);
	ATF_CHECK_EQ(relaycache_load("state", &got, err, sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "relays.json: addrs[0]: missing port");
	ATF_CHECK_EQ(got.naddrs, 0);
	ATF_CHECK_EQ(got.saved_at, 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, round_trip);
	ATF_TP_ADD_TC(tp, corrupt_inputs);
	ATF_TP_ADD_TC(tp, caps);
	ATF_TP_ADD_TC(tp, file_atomic);
	ATF_TP_ADD_TC(tp, file_errors);
	ATF_TP_ADD_TC(tp, parent_load_store);
	return atf_no_error();
}
