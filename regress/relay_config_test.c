/*
 * Unit tests of tern-relay.conf parsing (relay/parse.y) and printing
 * (relay/printconf.c).  Error messages are compared exactly, as
 * tern-relay prints them on stderr.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <limits.h>
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
/* The check of the whole file, after the last line. */
#define ETLS		"tern-relay: " BAD_CONF ": a tls listener needs " \
	    "tls-certificate and tls-key, and they need a tls listener\n"

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
	{ "too many secrets", "secret a\nsecret b\nsecret c\nsecret d\n"
	    "secret e\n", E(5, "too many secrets (at most 4)") },
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
	{ "relay-ports low too small", "relay-ports 1023 2000\n",
	    E(1, "relay-ports 1023 2000: expected 1024 <= low <= high "
	    "<= 65535") },
	{ "relay-ports high too large", "relay-ports 1024 65536\n",
	    E(1, "relay-ports 1024 65536: expected 1024 <= low <= high "
	    "<= 65535") },
	{ "relay-ports in the wrong order", "relay-ports 50001 50000\n",
	    E(1, "relay-ports 50001 50000: expected 1024 <= low <= high "
	    "<= 65535") },
	{ "relay-ports one number", "relay-ports 50000\n",
	    E(1, "syntax error") },
	{ "relay-ports twice", "relay-ports 50000 50001\n"
	    "relay-ports 50000 50001\n", E(2, "relay-ports given twice") },
	{ "relay-address host name", "relay-address relay.example\n",
	    E(1, "relay-address \"relay.example\": not an IP address") },
	{ "relay-address prefix", "relay-address 192.0.2.1/32\n",
	    E(1, "relay-address \"192.0.2.1/32\": not an IP address") },
	{ "relay-address unspecified", "relay-address 0.0.0.0\n",
	    E(1, "relay-address 0.0.0.0: not a unicast address") },
	{ "relay-address multicast", "relay-address ff02::1\n",
	    E(1, "relay-address ff02::1: not a unicast address") },
	{ "relay-address mapped", "relay-address ::ffff:192.0.2.1\n",
	    E(1, "relay-address ::ffff:192.0.2.1: not a unicast address") },
	{ "relay-address two IPv4", "relay-address 192.0.2.1\n"
	    "relay-address 192.0.2.2\n",
	    E(2, "relay-address: one IPv4 address at most") },
	{ "relay-address two IPv6", "relay-address 2001:db8::1\n"
	    "relay-address 192.0.2.1\nrelay-address 2001:db8::2\n",
	    E(3, "relay-address: one IPv6 address at most") },
	{ "allow-peer host bits", "allow-peer 10.1.2.3/8\n",
	    E(1, "allow-peer \"10.1.2.3/8\": host bits set") },
	{ "deny-peer host bits", "deny-peer 2001:db8::1/32\n",
	    E(1, "deny-peer \"2001:db8::1/32\": host bits set") },
	{ "allow-peer not an address", "allow-peer peer.example\n",
	    E(1, "allow-peer \"peer.example\": invalid address") },
	{ "deny-peer prefix too long", "deny-peer 10.0.0.0/33\n",
	    E(1, "deny-peer \"10.0.0.0/33\": invalid prefix length") },
	{ "tls listener alone", "listen on 127.0.0.1 tls\n", ETLS },
	{ "listen port in relay-ports", "listen on 127.0.0.1 port 50000\n",
	    "tern-relay: " BAD_CONF ": listen port 50000 is inside "
	    "relay-ports 49152-65535\n" },
	{ "tls port in relay-ports", "relay-ports 1024 2000\n"
	    "listen on 127.0.0.1 port 1500 tls\ntls-certificate \"/c\"\n"
	    "tls-key \"/k\"\n",
	    "tern-relay: " BAD_CONF ": listen port 1500 is inside "
	    "relay-ports 1024-2000\n" },
	{ "tls listener without key", "listen on * port 443 tls\n"
	    "tls-certificate \"/etc/tern/relay.crt\"\n", ETLS },
	{ "tls listener without certificate", "listen on ::1 tls\n"
	    "tls-key \"/etc/tern/relay.key\"\n", ETLS },
	{ "tls files without a listener", "listen on 127.0.0.1\n"
	    "tls-certificate \"/etc/tern/relay.crt\"\n"
	    "tls-key \"/etc/tern/relay.key\"\n", ETLS },
	{ "tls listen port 0", "listen on 127.0.0.1 port 0 tls\n",
	    E(1, "listen port 0 out of range (1-65535)") },
	{ "tls listen twice", "listen on 127.0.0.1 tls\n"
	    "listen on 127.0.0.1 port 5349 tls\n"
	    "tls-certificate \"/c\"\ntls-key \"/k\"\n",
	    E(2, "listen on 127.0.0.1:5349 given twice") },
	{ "tls-certificate relative", "tls-certificate \"relay.crt\"\n",
	    E(1, "tls-certificate \"relay.crt\": not an absolute path") },
	{ "tls-key relative", "tls-key \"./relay.key\"\n",
	    E(1, "tls-key \"./relay.key\": not an absolute path") },
	{ "control-socket relative", "control-socket \"relay.sock\"\n",
	    E(1, "control-socket \"relay.sock\": not an absolute path") },
	{ "control-socket twice", "control-socket \"/a\"\n"
	    "control-socket \"/b\"\n",
	    E(2, "control-socket given twice") },
	{ "tls-certificate twice", "listen on 127.0.0.1 tls\ntls-key \"/k\"\n"
	    "tls-certificate \"/a\"\ntls-certificate \"/b\"\n",
	    E(4, "tls-certificate given twice") },
	{ "tls-key twice", "listen on 127.0.0.1 tls\n"
	    "tls-certificate \"/c\"\ntls-key \"/a\"\ntls-key \"/b\"\n",
	    E(4, "tls-key given twice") },
};


/* Numeric statements given once: their bounds, tried in and out of range. */
static const struct number_stmt {
	const char	*name;
	long long	 lo;
	long long	 hi;		/* LLONG_MAX: no number lies above */
} number_stmts[] = {
	{ "max-allocations",		1,	262144 },
	{ "max-allocations-per-user",	1,	262144 },
	{ "max-allocations-per-source",	1,	262144 },
	{ "max-permissions",		1,	1024 },
	{ "max-channels",		1,	4096 },
	{ "bandwidth",			1024,	LLONG_MAX },
	{ "total-bandwidth",		1024,	LLONG_MAX },
	{ "nonce-lifetime",		30,	86400 },
	{ "auth-failure-rate",		1,	1000000 },
	{ "servers",			1,	64 },
};

/* Lines that parse, and the line the print has for each. */
static const struct printed_conf {
	const char	*text;
	const char	*printed;
} printed_confs[] = {
	{ "relay-ports 1024 65535\n", "relay-ports 1024 65535\n" },
	{ "relay-ports 50000 50000\n", "relay-ports 50000 50000\n" },
	{ "allow-peer 10.1.2.3\n", "allow-peer 10.1.2.3/32\n" },
	{ "deny-peer 2001:DB8::/32\n", "deny-peer 2001:db8::/32\n" },
	{ "allow-peer 0.0.0.0/0\n", "allow-peer 0.0.0.0/0\n" },
	{ "relay-address 2001:DB8:0::1\n", "relay-address 2001:db8::1\n" },
	{ "listen on 127.0.0.1 port 443 tls\ntls-key \"/k\"\n"
	    "tls-certificate \"/c\"\n",
	    "listen on 127.0.0.1 port 443 tls\ntls-certificate \"/c\"\n"
	    "tls-key \"/k\"\n" },
	{ "listen on ::1 tls\ntls-key \"/k\"\ntls-certificate \"/c\"\n",
	    "listen on ::1 port 5349 tls\n" },
	{ "secret a\nsecret b\nsecret c\nsecret d\n",
	    "secret \"a\"\nsecret \"b\"\nsecret \"c\"\nsecret \"d\"\n" },
};

#define STMT_MAX	256	/* one statement or its error, as text */
#define RULES_TEXT_MAX	((RELAY_PEER_RULES_MAX + 1) * 32) /* 32: a rule line */

static char	*parse_capture(const char *, struct relay_conf **);
static char	*print_capture(const struct relay_conf *);
static void	 check_roundtrip(const char *);
static void	 check_bad(const char *, const char *, const char *);
static void	 check_printed(const char *, const char *);
static char	*peer_rules(size_t);

/* Runs relay_parse_config with fd 2 sent to a file; returns the log. */
static char *
parse_capture(const char *path, struct relay_conf **confp)
{
	int	 saved;

	saved = test_stderr_begin("tern-relay");
	*confp = relay_parse_config(path);
	return test_stderr_end(saved);
}

/* What relay_print_config writes ("tern-relay -n"). */
static char *
print_capture(const struct relay_conf *conf)
{
	FILE	*f;

	ATF_REQUIRE((f = fopen("print.conf", "w")) != NULL);
	relay_print_config(f, conf);
	ATF_REQUIRE_EQ(fclose(f), 0);
	return test_read_file("print.conf");
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
	ATF_CHECK_MSG(memcmp(c1, c2, sizeof(*c1)) == 0,
	    "%s: the print parses to another config", path);
	relay_conf_free(c1);
	relay_conf_free(c2);
}

/* text is refused, with exactly err on stderr. */
static void
check_bad(const char *name, const char *text, const char *err)
{
	struct relay_conf	*conf;
	char			*got;

	test_write_file(BAD_CONF, text, strlen(text));
	got = parse_capture(BAD_CONF, &conf);
	ATF_CHECK_MSG(conf == NULL, "%s: parsed", name);
	relay_conf_free(conf);
	ATF_CHECK_STREQ_MSG(err, got, "%s", name);
	free(got);
}

/* text parses, its print holds want, and the print reads back the same. */
static void
check_printed(const char *text, const char *want)
{
	struct relay_conf	*conf;
	char			*err, *printed;

	test_write_file(GOOD_CONF, text, strlen(text));
	err = parse_capture(GOOD_CONF, &conf);
	ATF_REQUIRE_MSG(conf != NULL, "%s: %s", text, err);
	ATF_CHECK_STREQ_MSG("", err, "%s", text);
	free(err);
	printed = print_capture(conf);
	relay_conf_free(conf);
	ATF_CHECK_MSG(strstr(printed, want) != NULL, "%s: no \"%s\" in:\n%s",
	    text, want, printed);
	free(printed);
	check_roundtrip(GOOD_CONF);
}

/* n allow-peer and deny-peer lines, one prefix each. */
static char *
peer_rules(size_t n)
{
	char	*text;
	size_t	 i, off = 0;
	int	 len;

	ATF_REQUIRE((text = malloc(RULES_TEXT_MAX)) != NULL);
	text[0] = '\0';
	for (i = 0; i < n; i++) {
		len = snprintf(text + off, RULES_TEXT_MAX - off,
		    "%s 10.%zu.0.0/16\n", i % 2 ? "deny-peer" : "allow-peer",
		    i);
		ATF_REQUIRE(len > 0 && (size_t)len < RULES_TEXT_MAX - off);
		off += len;
	}
	return text;
}

ATF_TC_WITHOUT_HEAD(defaults);
ATF_TC_BODY(defaults, tc)
{
	struct relay_conf	*conf;
	char			*err, *printed;

	test_write_file(GOOD_CONF, "", 0);
	err = parse_capture(GOOD_CONF, &conf);
	ATF_REQUIRE_MSG(conf != NULL, "%s", err);
	ATF_CHECK_STREQ("", err);
	free(err);
	ATF_CHECK_EQ(conf->nlisten, 0);
	ATF_CHECK_EQ(conf->ntls, 0);
	ATF_CHECK_STREQ("", conf->tls_cert);
	ATF_CHECK_STREQ("", conf->tls_key);
	ATF_CHECK_STREQ(RELAY_REALM_DEFAULT, conf->realm);
	ATF_CHECK_EQ(conf->nsecrets, 0);
	ATF_CHECK_EQ(conf->rate, RELAY_RATE_DEFAULT);
	ATF_CHECK_EQ(conf->burst, RELAY_BURST_DEFAULT);
	ATF_CHECK_EQ(conf->table_size, RELAY_TABLE_DEFAULT);
	ATF_CHECK_EQ(conf->relay_addr[0].ss_family, AF_UNSPEC);
	ATF_CHECK_EQ(conf->relay_addr[1].ss_family, AF_UNSPEC);
	ATF_CHECK_EQ(conf->nrules, 0);
	ATF_CHECK_EQ(conf->lim.port_lo, RELAY_PORT_LO_DEFAULT);
	ATF_CHECK_EQ(conf->lim.port_hi, RELAY_PORT_HI_DEFAULT);
	ATF_CHECK_EQ(conf->lim.allocs, RELAY_ALLOCS_DEFAULT);
	ATF_CHECK_EQ(conf->lim.allocs_user, RELAY_ALLOCS_USER_DEFAULT);
	ATF_CHECK_EQ(conf->lim.allocs_src, RELAY_ALLOCS_SRC_DEFAULT);
	ATF_CHECK_EQ(conf->lim.perms, RELAY_PERMS_DEFAULT);
	ATF_CHECK_EQ(conf->lim.chans, RELAY_CHANS_DEFAULT);
	ATF_CHECK_EQ(conf->lim.bps, RELAY_BPS_DEFAULT);
	ATF_CHECK_EQ(conf->lim.total_bps, RELAY_TOTAL_BPS_DEFAULT);
	ATF_CHECK_EQ(conf->lim.nonce_lifetime, RELAY_NONCE_LIFETIME_DEFAULT);
	ATF_CHECK_EQ(conf->lim.authfail_rate, RELAY_AUTHFAIL_RATE_DEFAULT);
	/* 0: one server process per core, counted at start. */
	ATF_CHECK_EQ(conf->servers, 0);
	ATF_CHECK_STREQ(conf->control, RELAY_CONTROL);

	/* What an operator reads of the defaults, in the documented units. */
	printed = print_capture(conf);
	ATF_CHECK_STREQ("realm \"tern\"\n"
	    "rate-limit 20 burst 40\n"
	    "rate-table-size 65536\n"
	    "relay-ports 49152 65535\n"
	    "max-allocations 4096\n"
	    "max-allocations-per-user 16\n"
	    "max-allocations-per-source 64\n"
	    "max-permissions 32\n"
	    "max-channels 32\n"
	    "bandwidth 16777216\n"
	    "total-bandwidth 1073741824\n"
	    "nonce-lifetime 600\n"
	    "auth-failure-rate 5\n"
	    "control-socket \"/var/run/tern-relay/control.sock\"\n", printed);
	free(printed);
	relay_conf_free(conf);
}

ATF_TC_WITHOUT_HEAD(good);
ATF_TC_BODY(good, tc)
{
	static const char	 text[] = "p = 3479\n"
	    "listen on 127.0.0.1 port $p\nlisten on *\n"
	    "listen on 127.0.0.1 tls\nlisten on ::1 port 443 tls\n"
	    "tls-certificate \"/etc/tern/relay.crt\"\n"
	    "tls-key \"/etc/tern/relay.key\"\n"
	    "realm \"tern.example\"\nsecret \"a \\\"quoted\\\" secret\"\n"
	    "secret next\n"
	    "rate-limit 5\nrate-table-size 1\n"
	    "relay-address 192.0.2.1\nrelay-address 2001:db8::1\n"
	    "relay-ports 50000 50999\n"
	    "allow-peer 10.0.0.0/8\ndeny-peer 10.1.0.0/16\n"
	    "allow-peer fd00::/8\n"
	    "max-allocations 100\nmax-allocations-per-user 2\n"
	    "max-allocations-per-source 3\nmax-permissions 4\n"
	    "max-channels 5\nbandwidth 100000\ntotal-bandwidth 2000000\n"
	    "nonce-lifetime 60\nauth-failure-rate 7\nservers 2\n"
	    "control-socket \"/run/relay.sock\"\n";
	const struct sockaddr_in	*sin;
	const struct sockaddr_in6	*sin6;
	struct relay_conf		*conf;
	char				 buf[PREFIX_STRLEN];
	char				*err;

	test_write_file(GOOD_CONF, text, strlen(text));
	err = parse_capture(GOOD_CONF, &conf);
	ATF_REQUIRE_MSG(conf != NULL, "%s", err);
	ATF_CHECK_STREQ("", err);
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
	ATF_REQUIRE_EQ(conf->ntls, 2);
	sin = (const struct sockaddr_in *)&conf->tls_listen[0];
	ATF_CHECK_EQ(sin->sin_family, AF_INET);
	ATF_CHECK_EQ(ntohs(sin->sin_port), RELAY_TLS_PORT_DEFAULT);
	ATF_CHECK_EQ(sin->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	sin6 = (const struct sockaddr_in6 *)&conf->tls_listen[1];
	ATF_CHECK_EQ(sin6->sin6_family, AF_INET6);
	ATF_CHECK_EQ(ntohs(sin6->sin6_port), 443);
	ATF_CHECK(IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr));
	ATF_CHECK_STREQ("/etc/tern/relay.crt", conf->tls_cert);
	ATF_CHECK_STREQ("/etc/tern/relay.key", conf->tls_key);
	ATF_CHECK_STREQ("tern.example", conf->realm);
	ATF_REQUIRE_EQ(conf->nsecrets, 2);
	ATF_CHECK_STREQ("a \"quoted\" secret", conf->secrets[0]);
	ATF_CHECK_STREQ("next", conf->secrets[1]);
	ATF_CHECK_EQ(conf->rate, 5);
	ATF_CHECK_EQ(conf->burst, 10);
	ATF_CHECK_EQ(conf->table_size, 1);
	sin = (const struct sockaddr_in *)&conf->relay_addr[0];
	ATF_CHECK_EQ(sin->sin_family, AF_INET);
	ATF_CHECK_EQ(sin->sin_addr.s_addr, htonl(0xc0000201));
	ATF_CHECK_EQ(sin->sin_port, 0);
	sin6 = (const struct sockaddr_in6 *)&conf->relay_addr[1];
	ATF_CHECK_EQ(sin6->sin6_family, AF_INET6);
	ATF_CHECK_EQ(sin6->sin6_addr.s6_addr[0], 0x20);
	ATF_CHECK_EQ(sin6->sin6_addr.s6_addr[15], 0x01);
	ATF_CHECK_EQ(conf->lim.port_lo, 50000);
	ATF_CHECK_EQ(conf->lim.port_hi, 50999);
	ATF_REQUIRE_EQ(conf->nrules, 3);
	ATF_CHECK_EQ(conf->rules[0].allow, 1);
	ATF_CHECK_STREQ("10.0.0.0/8",
	    prefix_str(&conf->rules[0].prefix, buf, sizeof(buf)));
	ATF_CHECK_EQ(conf->rules[1].allow, 0);
	ATF_CHECK_STREQ("10.1.0.0/16",
	    prefix_str(&conf->rules[1].prefix, buf, sizeof(buf)));
	ATF_CHECK_EQ(conf->rules[2].allow, 1);
	ATF_CHECK_STREQ("fd00::/8",
	    prefix_str(&conf->rules[2].prefix, buf, sizeof(buf)));
	ATF_CHECK_EQ(conf->lim.allocs, 100);
	ATF_CHECK_EQ(conf->lim.allocs_user, 2);
	ATF_CHECK_EQ(conf->lim.allocs_src, 3);
	ATF_CHECK_EQ(conf->lim.perms, 4);
	ATF_CHECK_EQ(conf->lim.chans, 5);
	ATF_CHECK_EQ(conf->lim.bps, 100000);
	ATF_CHECK_EQ(conf->lim.total_bps, 2000000);
	ATF_CHECK_EQ(conf->lim.nonce_lifetime, 60);
	ATF_CHECK_EQ(conf->lim.authfail_rate, 7);
	ATF_CHECK_EQ(conf->servers, 2);
	ATF_CHECK_STREQ(conf->control, "/run/relay.sock");
	relay_conf_free(conf);

	check_roundtrip(GOOD_CONF);
}

ATF_TC_WITHOUT_HEAD(printed);
ATF_TC_BODY(printed, tc)
{
	size_t	 i;

	for (i = 0; i < sizeof(printed_confs) / sizeof(printed_confs[0]); i++)
		check_printed(printed_confs[i].text, printed_confs[i].printed);
}

ATF_TC_WITHOUT_HEAD(bad);
ATF_TC_BODY(bad, tc)
{
	size_t	 i;

	for (i = 0; i < sizeof(bad_confs) / sizeof(bad_confs[0]); i++)
		check_bad(bad_confs[i].name, bad_confs[i].text,
		    bad_confs[i].err);
}

/* Each bound parses and prints; one past it is refused, and so is twice. */
ATF_TC_WITHOUT_HEAD(numbers);
ATF_TC_BODY(numbers, tc)
{
	const struct number_stmt	*s;
	char				 text[STMT_MAX], err[STMT_MAX];
	size_t				 i;

	for (i = 0; i < sizeof(number_stmts) / sizeof(number_stmts[0]); i++) {
		s = &number_stmts[i];
		snprintf(text, sizeof(text), "%s %lld\n", s->name, s->lo);
		check_printed(text, text);
		snprintf(text, sizeof(text), "%s %lld\n", s->name, s->hi);
		check_printed(text, text);
		snprintf(text, sizeof(text), "%s %lld\n", s->name, s->lo - 1);
		snprintf(err, sizeof(err), "tern-relay: " BAD_CONF ":1: %s "
		    "%lld out of range (%lld-%lld)\n", s->name, s->lo - 1,
		    s->lo, s->hi);
		check_bad(text, text, err);
		if (s->hi < LLONG_MAX) {
			snprintf(text, sizeof(text), "%s %lld\n", s->name,
			    s->hi + 1);
			snprintf(err, sizeof(err), "tern-relay: " BAD_CONF
			    ":1: %s %lld out of range (%lld-%lld)\n", s->name,
			    s->hi + 1, s->lo, s->hi);
			check_bad(text, text, err);
		}
		snprintf(text, sizeof(text), "%s %lld\n%s %lld\n", s->name,
		    s->lo, s->name, s->lo);
		snprintf(err, sizeof(err), "tern-relay: " BAD_CONF ":2: %s "
		    "given twice\n", s->name);
		check_bad(text, text, err);
	}
}

/* As many peer rules as fit, and one more. */
ATF_TC_WITHOUT_HEAD(peer_rules_max);
ATF_TC_BODY(peer_rules_max, tc)
{
	struct relay_conf	*conf;
	char			*text, *err, exp[STMT_MAX];

	text = peer_rules(RELAY_PEER_RULES_MAX);
	test_write_file(GOOD_CONF, text, strlen(text));
	free(text);
	err = parse_capture(GOOD_CONF, &conf);
	ATF_REQUIRE_MSG(conf != NULL, "%s", err);
	free(err);
	ATF_CHECK_EQ(conf->nrules, 64);
	relay_conf_free(conf);
	check_roundtrip(GOOD_CONF);

	text = peer_rules(RELAY_PEER_RULES_MAX + 1);
	snprintf(exp, sizeof(exp), "tern-relay: " BAD_CONF ":%d: too many "
	    "allow-peer and deny-peer lines (at most 64)\n",
	    RELAY_PEER_RULES_MAX + 1);
	check_bad("65 rules", text, exp);
	free(text);
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
	ATF_TP_ADD_TC(tp, printed);
	ATF_TP_ADD_TC(tp, bad);
	ATF_TP_ADD_TC(tp, numbers);
	ATF_TP_ADD_TC(tp, peer_rules_max);
	ATF_TP_ADD_TC(tp, roundtrip);
	return atf_no_error();
}
