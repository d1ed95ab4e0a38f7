/*
 * Unit tests of tern-relay.conf parsing (relay/parse.y) and printing
 * (relay/printconf.c).  Error messages are compared exactly, as
 * tern-relay prints them on stderr.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "addr.h"
#include "relay/relay.h"
#include "test_util.h"

#ifndef TOP_SRCDIR
#error "TOP_SRCDIR must name the source tree"
#endif

#define BAD_CONF	"bad.conf"	/* written in the test's work dir */
#define GOOD_CONF	"good.conf"

#define E(line, msg)	"tern-relay: " BAD_CONF ":" #line ": " msg "\n"

static const struct bad_conf {
	const char	*name;
	const char	*text;
	const char	*err;
} bad_confs[] = {
	{ "syntax", "listen\n", E(1, "syntax error") },
	{ "unknown keyword", "realm \"r\"\nbogus 1\n", E(2, "syntax error") },
	{ "all errors reported", "rate-limit 0\nlisten\nrate-table-size 0\n",
	    E(1, "rate-limit 0 out of range (1-1000000)")
	    E(2, "syntax error")
	    E(3, "rate-table-size 0 out of range (1-4194304)") },
	{ "undefined macro", "listen on $nope\n",
	    E(1, "macro \"nope\" not defined") },
	{ "include missing", "include \"missing.conf\"\n",
	    E(1, "include \"missing.conf\": No such file or directory") },
	{ "unterminated quote", "realm \"r\n",
	    E(1, "unterminated quoted string") },
	{ "listen bad address", "listen on 10.0.0.300\n",
	    E(1, "listen on \"10.0.0.300\": not an IP address") },
	{ "listen host name", "listen on stun.example\n",
	    E(1, "listen on \"stun.example\": not an IP address") },
	{ "listen prefix", "listen on 10.0.0.1/32\n",
	    E(1, "listen on \"10.0.0.1/32\": not an IP address") },
	{ "listen port 0", "listen on * port 0\n",
	    E(1, "listen port 0 out of range (1-65535)") },
	{ "listen port too large", "listen on ::1 port 65536\n",
	    E(1, "listen port 65536 out of range (1-65535)") },
	{ "listen twice", "listen on 127.0.0.1\nlisten on 127.0.0.1 port 3478\n",
	    E(2, "listen on 127.0.0.1:3478 given twice") },
	{ "listen all and ::", "listen on *\nlisten on ::\n",
	    E(2, "listen on [::]:3478 given twice") },
	{ "too many listen", "listen on 127.0.0.1 port 1\n"
	    "listen on 127.0.0.1 port 2\nlisten on 127.0.0.1 port 3\n"
	    "listen on 127.0.0.1 port 4\nlisten on 127.0.0.1 port 5\n"
	    "listen on 127.0.0.1 port 6\nlisten on 127.0.0.1 port 7\n"
	    "listen on 127.0.0.1 port 8\nlisten on 127.0.0.1 port 9\n"
	    "listen on 127.0.0.1 port 10\nlisten on 127.0.0.1 port 11\n"
	    "listen on 127.0.0.1 port 12\nlisten on 127.0.0.1 port 13\n"
	    "listen on 127.0.0.1 port 14\nlisten on 127.0.0.1 port 15\n"
	    "listen on 127.0.0.1 port 16\nlisten on 127.0.0.1 port 17\n",
	    E(17, "too many listen addresses (at most 16)") },
	{ "realm twice", "realm a\nrealm b\n", E(2, "realm given twice") },
	{ "realm empty", "realm \"\"\n", E(1, "empty realm") },
	{ "realm with a tab", "realm \"a\tb\"\n",
	    E(1, "realm must be printable ASCII") },
	{ "realm not ASCII", "realm \"\xc3\xa9\"\n",
	    E(1, "realm must be printable ASCII") },
	{ "realm too long", "realm \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaa\"\n",
	    E(1, "realm too long (at most 127 characters)") },
	{ "secret twice", "secret a\nsecret b\n", E(2, "secret given twice") },
	{ "secret empty", "secret \"\"\n", E(1, "empty secret") },
	{ "rate too large", "rate-limit 1000001\n",
	    E(1, "rate-limit 1000001 out of range (1-1000000)") },
	{ "burst 0", "rate-limit 10 burst 0\n",
	    E(1, "burst 0 out of range (1-2000000)") },
	{ "burst too large", "rate-limit 10 burst 2000001\n",
	    E(1, "burst 2000001 out of range (1-2000000)") },
	{ "burst alone", "burst 10\n", E(1, "syntax error") },
	{ "rate twice", "rate-limit 10\nrate-limit 20\n",
	    E(2, "rate-limit given twice") },
	{ "table too large", "rate-table-size 4194305\n",
	    E(1, "rate-table-size 4194305 out of range (1-4194304)") },
	{ "table twice", "rate-table-size 1\nrate-table-size 2\n",
	    E(2, "rate-table-size given twice") },
};

static char	*parse_capture(const char *, struct relay_conf **);
static void	 check_roundtrip(const char *);

/* Runs relay_parse_config with fd 2 sent to a file; returns the log. */
static char *
parse_capture(const char *path, struct relay_conf **confp)
{
	int	 saved;

	saved = test_stderr_begin("tern-relay");
	*confp = relay_parse_config(path);
	return test_stderr_end(saved);
}

/* Parse, print, parse the print, print again: same text, same config. */
static void
check_roundtrip(const char *path)
{
	struct relay_conf	*c1, *c2;
	char			*err;
	FILE			*f;

	err = parse_capture(path, &c1);
	ATF_REQUIRE_MSG(c1 != NULL, "%s: %s", path, err);
	free(err);
	ATF_REQUIRE((f = fopen("print1.conf", "w")) != NULL);
	relay_print_config(f, c1);
	ATF_REQUIRE_EQ(fclose(f), 0);
	err = parse_capture("print1.conf", &c2);
	ATF_REQUIRE_MSG(c2 != NULL, "%s printed: %s", path, err);
	free(err);
	ATF_REQUIRE((f = fopen("print2.conf", "w")) != NULL);
	relay_print_config(f, c2);
	ATF_REQUIRE_EQ(fclose(f), 0);
	test_same_text("print1.conf", "print2.conf", path);
	ATF_CHECK(memcmp(c1, c2, sizeof(*c1)) == 0);
	relay_conf_free(c1);
	relay_conf_free(c2);
}

ATF_TC_WITHOUT_HEAD(defaults);
ATF_TC_BODY(defaults, tc)
{
	struct relay_conf	*conf;
	char			*err;

	test_write_file(GOOD_CONF, "", 0);
	err = parse_capture(GOOD_CONF, &conf);
	ATF_REQUIRE_MSG(conf != NULL, "%s", err);
	ATF_CHECK_STREQ("", err);
	free(err);
	ATF_CHECK_EQ(conf->nlisten, 0);
	ATF_CHECK_STREQ("", conf->realm);
	ATF_CHECK_STREQ("", conf->secrets[0]);
	ATF_CHECK_EQ(conf->rate, RELAY_RATE_DEFAULT);
	ATF_CHECK_EQ(conf->burst, RELAY_BURST_DEFAULT);
	ATF_CHECK_EQ(conf->table_size, RELAY_TABLE_DEFAULT);
	relay_conf_free(conf);
}

ATF_TC_WITHOUT_HEAD(good);
ATF_TC_BODY(good, tc)
{
	static const char	 text[] = "p = 3479\n"
	    "listen on 127.0.0.1 port $p\nlisten on *\n"
	    "realm \"tern.example\"\nsecret \"a \\\"quoted\\\" secret\"\n"
	    "rate-limit 5\nrate-table-size 1\n";
	const struct sockaddr_in	*sin;
	const struct sockaddr_in6	*sin6;
	struct relay_conf		*conf;
	char				*err;

	test_write_file(GOOD_CONF, text, strlen(text));
	err = parse_capture(GOOD_CONF, &conf);
	ATF_REQUIRE_MSG(conf != NULL, "%s", err);
	free(err);
	ATF_REQUIRE_EQ(conf->nlisten, 3);
	sin = (const struct sockaddr_in *)&conf->listen[0];
	ATF_CHECK_EQ(sin->sin_family, AF_INET);
	ATF_CHECK_EQ(ntohs(sin->sin_port), 3479);
	ATF_CHECK_EQ(sin->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	sin = (const struct sockaddr_in *)&conf->listen[1];
	ATF_CHECK_EQ(sin->sin_family, AF_INET);
	ATF_CHECK_EQ(ntohs(sin->sin_port), RELAY_PORT_DEFAULT);
	ATF_CHECK_EQ(sin->sin_addr.s_addr, htonl(INADDR_ANY));
	sin6 = (const struct sockaddr_in6 *)&conf->listen[2];
	ATF_CHECK_EQ(sin6->sin6_family, AF_INET6);
	ATF_CHECK_EQ(ntohs(sin6->sin6_port), RELAY_PORT_DEFAULT);
	ATF_CHECK(IN6_IS_ADDR_UNSPECIFIED(&sin6->sin6_addr));
	ATF_CHECK_STREQ("tern.example", conf->realm);
	ATF_CHECK_STREQ("a \"quoted\" secret", conf->secrets[0]);
	ATF_CHECK_EQ(conf->rate, 5);
	ATF_CHECK_EQ(conf->burst, 10);
	ATF_CHECK_EQ(conf->table_size, 1);
	relay_conf_free(conf);

	check_roundtrip(GOOD_CONF);
}

ATF_TC_WITHOUT_HEAD(bad);
ATF_TC_BODY(bad, tc)
{
	struct relay_conf	*conf;
	char			*got;
	size_t			 i;

	for (i = 0; i < sizeof(bad_confs) / sizeof(bad_confs[0]); i++) {
		test_write_file(BAD_CONF, bad_confs[i].text,
		    strlen(bad_confs[i].text));
		got = parse_capture(BAD_CONF, &conf);
		ATF_CHECK_MSG(conf == NULL, "%s: parsed", bad_confs[i].name);
		relay_conf_free(conf);
		ATF_CHECK_STREQ_MSG(bad_confs[i].err, got, "%s",
		    bad_confs[i].name);
		free(got);
	}
}

ATF_TC_WITHOUT_HEAD(roundtrip);
ATF_TC_BODY(roundtrip, tc)
{
	check_roundtrip(TOP_SRCDIR "/etc/tern-relay.conf.example");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, defaults);
	ATF_TP_ADD_TC(tp, good);
	ATF_TP_ADD_TC(tp, bad);
	ATF_TP_ADD_TC(tp, roundtrip);
	return atf_no_error();
}
