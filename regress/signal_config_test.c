/*
 * Unit tests of tern-signal.conf parsing (signal/parse.y), printing
 * (signal/printconf.c), and of lib/duration.c and lib/hostport.c.  Error
 * messages are compared exactly, as tern-signal prints them on stderr.
 */
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "duration.h"
#include "hostport.h"
#include "key.h"
#include "log.h"
#include "signal/signal.h"
#include "test_util.h"

#ifndef TOP_SRCDIR
#error "TOP_SRCDIR must name the source tree"
#endif

#define BAD_CONF	"bad.conf"	/* written in the test's work dir */
#define TEXT_MAX	(64 * 1024)	/* a generated configuration */
#define ERR_MAX		128		/* a duration or size error */

/* Distinct keys. */
#define K1	"ZabZVNtV73s/d2plIzvSyniNKfWPxDC9wX7s95HADsA="
#define K2	"Zc06aXHAa7CYkOJIh2YvwRUNUUeszEg3tpM5Qn8j9/U="
#define K3	"BxYFYev5901XVAC3DSUUmnsLihB6+PmLWLSIY/kMcBI="
#define K4	"p37inxe5JmjSI/x0hh34Lvdupn4sI4v7Why5P/6Oz6E="
#define K5	"Qb6uS0e32czVYa9Rum4bSzZk9SQOMx2f5V5W/h6Prm0="
#define KR	"NO8wfIbOaYE69Ujml2FSSMSobY6Ib3P6aGFrmAr8hUo="	/* ams1's */
/* An Ed25519 public key, as ternctl lock keygen prints it. */
#define KL	"VgTCY7Tt2Tj+wxEkLQQQyruqrXdf54C0f4hQevS5dUg="

/* Two lines: what every config needs. */
#define BASE	"key \"/k\"\nnetwork 10.77.0.0/16\n"
/* Five lines: a complete peer. */
#define PEER(n, nk, wk, a) "peer \"" n "\" {\n\tnode-key \"" nk "\"\n" \
	"\twg-key \"" wk "\"\n\taddress " a "\n}\n"
/* A peer "a" on line 3 whose line 7 is extra, and the block's end. */
#define PEER_A(extra) "peer \"a\" {\n\tnode-key \"" K1 "\"\n" \
	"\twg-key \"" K2 "\"\n\taddress 10.77.0.1/32\n" extra "\n}\n"
/* A relay "r" on line 3 whose line 6 is extra, and the block's end. */
#define RELAY_R(extra) "relay \"r\" {\n\taddress \"turn.example:3478\"\n" \
	"\tsecret \"s\"\n" extra "\n}\n"

#define E(line, msg)	"tern-signal: " BAD_CONF ":" #line ": " msg "\n"
#define F(msg)		"tern-signal: " BAD_CONF ": " msg "\n"

static const char *const examples[] = {
	TOP_SRCDIR "/etc/tern-signal.conf.example",
	TOP_SRCDIR "/regress/configs/signal/macros.conf",
};

static const struct bad_conf {
	const char	*name;
	const char	*text;
	const char	*err;
} bad_confs[] = {
	/* lexer, grammar and the statements every config needs */
	{ "syntax", BASE "listen\n", E(3, "syntax error") },
	{ "unknown keyword", BASE "bogus 1\n", E(3, "syntax error") },
	{ "all errors reported", BASE "message-rate 0\nlisten\n"
	    "handshake-rate 0\n",
	    E(3, "message-rate 0 out of range (1-100000)")
	    E(4, "syntax error")
	    E(5, "handshake-rate 0 out of range (1-100000)") },
	{ "empty", "", F("no key configured") F("no network configured") },
	{ "no key", "network 10.77.0.0/16\n", F("no key configured") },
	{ "no network", "key \"/k\"\n", F("no network configured") },
	{ "undefined macro", BASE "network $nope\n",
	    E(3, "macro \"nope\" not defined") },
	{ "macro in quotes", "dir = \"/k\"\nkey \"$dir\"\n"
	    "network 10.77.0.0/16\n",
	    E(2, "key \"$dir\": path must be absolute") },
	{ "keyword as macro name", BASE "relay = 1\n", E(3, "syntax error") },
	{ "include missing", BASE "include \"missing.conf\"\n",
	    E(3, "include \"missing.conf\": No such file or directory") },
	{ "unterminated quote", BASE "key \"/k\n",
	    E(3, "unterminated quoted string") },

	/* key, network, listen */
	{ "key relative", "key \"k\"\nnetwork 10.77.0.0/16\n",
	    E(1, "key \"k\": path must be absolute") },
	{ "key twice", BASE "key \"/j\"\n", E(3, "key given twice") },
	{ "network invalid", BASE "network 10.0.0/8\n",
	    E(3, "network \"10.0.0/8\": invalid address") },
	{ "network host bits", BASE "network 10.78.0.1/16\n",
	    E(3, "network 10.78.0.1/16 has host bits set "
	    "(network is 10.78.0.0/16)") },
	{ "network twice", BASE "network 10.77.0.0/16\n",
	    E(3, "network 10.77.0.0/16 given twice") },
	{ "listen bad address", BASE "listen on 10.0.0.300\n",
	    E(3, "listen on \"10.0.0.300\": not an IP address") },
	{ "listen host name", BASE "listen on signal.example\n",
	    E(3, "listen on \"signal.example\": not an IP address") },
	{ "listen prefix", BASE "listen on 10.0.0.1/32\n",
	    E(3, "listen on \"10.0.0.1/32\": not an IP address") },
	{ "listen without on", BASE "listen 10.0.0.1\n",
	    E(3, "syntax error") },
	{ "listen port 0", BASE "listen on * port 0\n",
	    E(3, "listen port 0 out of range (1-65535)") },
	{ "listen port too large", BASE "listen on ::1 port 65536\n",
	    E(3, "listen port 65536 out of range (1-65535)") },
	{ "listen twice", BASE "listen on 127.0.0.1\n"
	    "listen on 127.0.0.1 port 7700\n",
	    E(4, "listen on 127.0.0.1:7700 given twice") },
	{ "listen all and ::", BASE "listen on * port 1\nlisten on :: port 1\n",
	    E(4, "listen on [::]:1 given twice") },

	/* feature flags and limits */
	{ "lazy not yes or no", BASE "lazy-connections maybe\n",
	    E(3, "lazy-connections \"maybe\": expected yes or no") },
	{ "lazy twice", BASE "lazy-connections yes\nlazy-connections no\n",
	    E(4, "lazy-connections given twice") },
	{ "isolate not yes or no", BASE "isolate-groups true\n",
	    E(3, "isolate-groups \"true\": expected yes or no") },
	{ "isolate keyword", BASE "isolate-groups on\n", E(3, "syntax error") },
	{ "isolate number", BASE "isolate-groups 1\n", E(3, "syntax error") },
	{ "isolate twice", BASE "isolate-groups yes\nisolate-groups yes\n",
	    E(4, "isolate-groups given twice") },
	{ "inactivity below minimum", BASE "inactivity-threshold 30s\n",
	    E(3, "inactivity-threshold \"30s\": below the minimum of 1m") },
	{ "inactivity zero", BASE "inactivity-threshold 0\n",
	    E(3, "inactivity-threshold \"0\": below the minimum of 1m") },
	{ "inactivity above maximum", BASE "inactivity-threshold 8d\n",
	    E(3, "inactivity-threshold \"8d\": above the maximum of 7d") },
	{ "inactivity overflow", BASE
	    "inactivity-threshold 99999999999999999999999h\n",
	    E(3, "inactivity-threshold \"99999999999999999999999h\": above "
	    "the maximum of 7d") },
	{ "inactivity bad unit", BASE "inactivity-threshold 15x\n",
	    E(3, "inactivity-threshold \"15x\": not a duration (like 90s, "
	    "15m, 1h, 1d, or minutes)") },
	{ "inactivity fraction", BASE "inactivity-threshold 1.5h\n",
	    E(3, "inactivity-threshold \"1.5h\": not a duration (like 90s, "
	    "15m, 1h, 1d, or minutes)") },
	{ "inactivity negative", BASE "inactivity-threshold -5\n",
	    E(3, "inactivity-threshold \"-5\": not a duration (like 90s, "
	    "15m, 1h, 1d, or minutes)") },
	{ "inactivity twice", BASE "inactivity-threshold 1h\n"
	    "inactivity-threshold 2h\n",
	    E(4, "inactivity-threshold given twice") },
	{ "credential-lifetime below minimum", BASE
	    "credential-lifetime 59s\n",
	    E(3, "credential-lifetime \"59s\": below the minimum of 1m") },
	{ "credential-lifetime above maximum", BASE
	    "credential-lifetime 31d\n",
	    E(3, "credential-lifetime \"31d\": above the maximum of 30d") },
	{ "credential-lifetime twice", BASE "credential-lifetime 1h\n"
	    "credential-lifetime 1h\n",
	    E(4, "credential-lifetime given twice") },
	{ "max-message-size below minimum", BASE "max-message-size 1K\n",
	    E(3, "max-message-size \"1K\": below the minimum of 8K") },
	{ "max-message-size above maximum", BASE "max-message-size 2M\n",
	    E(3, "max-message-size \"2M\": above the maximum of 1M") },
	{ "max-message-size bad unit", BASE "max-message-size 16KB\n",
	    E(3, "max-message-size \"16KB\": not a size (like 16384, 64K, "
	    "16M or 1G)") },
	{ "max-message-size lowercase", BASE "max-message-size 16k\n",
	    E(3, "max-message-size \"16k\": not a size (like 16384, 64K, "
	    "16M or 1G)") },
	{ "max-message-size twice", BASE "max-message-size 16K\n"
	    "max-message-size 16K\n",
	    E(4, "max-message-size given twice") },
	{ "max-queue below minimum", BASE "max-queue 65535\n",
	    E(3, "max-queue \"65535\": below the minimum of 64K") },
	{ "max-queue above maximum", BASE "max-queue 5G\n",
	    E(3, "max-queue \"5G\": above the maximum of 4G") },
	{ "max-queue twice", BASE "max-queue 1M\nmax-queue 1M\n",
	    E(4, "max-queue given twice") },
	{ "message-rate too large", BASE "message-rate 100001\n",
	    E(3, "message-rate 100001 out of range (1-100000)") },
	{ "message-rate word", BASE "message-rate fast\n",
	    E(3, "syntax error") },
	{ "message-rate twice", BASE "message-rate 1\nmessage-rate 1\n",
	    E(4, "message-rate given twice") },
	{ "connections per address 0", BASE
	    "max-connections-per-address 0\n",
	    E(3, "max-connections-per-address 0 out of range (1-65536)") },
	{ "connections per address too large", BASE
	    "max-connections-per-address 65537\n",
	    E(3, "max-connections-per-address 65537 out of range (1-65536)") },
	{ "connections per address twice", BASE
	    "max-connections-per-address 1\nmax-connections-per-address 1\n",
	    E(4, "max-connections-per-address given twice") },
	{ "handshake-rate too large", BASE "handshake-rate 100001\n",
	    E(3, "handshake-rate 100001 out of range (1-100000)") },
	{ "handshake-rate twice", BASE "handshake-rate 1\nhandshake-rate 1\n",
	    E(4, "handshake-rate given twice") },
	{ "max-handshakes zero", BASE "max-handshakes 0\n",
	    E(3, "max-handshakes 0 out of range (1-65536)") },
	{ "max-handshakes too large", BASE "max-handshakes 65537\n",
	    E(3, "max-handshakes 65537 out of range (1-65536)") },
	{ "max-handshakes twice", BASE "max-handshakes 1\nmax-handshakes 1\n",
	    E(4, "max-handshakes given twice") },

	/* peers */
	{ "peer name invalid", BASE PEER("a b", K1, K2, "10.77.0.1/32"),
	    E(3, "peer \"a b\": invalid name") },
	{ "peer name empty", BASE PEER("", K1, K2, "10.77.0.1/32"),
	    E(3, "peer \"\": invalid name") },
	{ "peer name dotdot", BASE PEER("..", K1, K2, "10.77.0.1/32"),
	    E(3, "peer \"..\": invalid name") },
	{ "peer name too long", BASE PEER("abcdefghijklmnopqrstuvwxyz"
	    "abcdefghijklmnopqrstuvwxyzabcdefghijkl", K1, K2, "10.77.0.1/32"),
	    E(3, "peer \"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz"
	    "abcdefghijkl\": name too long (at most 63 characters)") },
	{ "peer duplicate", BASE PEER("a", K1, K2, "10.77.0.1/32")
	    PEER("a", K3, K4, "10.77.0.2/32"),
	    E(8, "duplicate peer \"a\"") },
	{ "peer empty block", BASE "peer \"a\" {\n}\n",
	    E(3, "peer \"a\": no node-key")
	    E(3, "peer \"a\": no wg-key")
	    E(3, "peer \"a\": no address") },
	{ "peer without node-key", BASE "peer \"a\" {\n\twg-key \"" K2 "\"\n"
	    "\taddress 10.77.0.1/32\n}\n",
	    E(3, "peer \"a\": no node-key") },
	{ "lock-signature not base64", BASE PEER_A("\tlock-signature \"abc\""),
	    E(7, "peer \"a\": lock-signature is not base64 of 64 bytes") },
	{ "network-lock not a key", BASE "network-lock \"abc\"\n",
	    E(3, "network-lock: not a lock key (ternctl lock keygen prints "
	    "it)") },
	{ "lock-signature missing", BASE "network-lock \"" KL "\"\n"
	    PEER("a", K1, K2, "10.77.0.1/32"),
	    E(4, "peer \"a\": no lock-signature, and network-lock is set") },
	{ "lock-signature wrong", BASE "network-lock \"" KL "\"\n"
	    "peer \"a\" {\n\tnode-key \"" K1 "\"\n\twg-key \"" K2 "\"\n"
	    "\taddress 10.77.0.1/32\n\tlock-signature \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\"\n}\n",
	    E(4, "peer \"a\": lock-signature does not verify with the "
	    "network-lock key") },
	{ "peer without wg-key", BASE "peer \"a\" {\n\tnode-key \"" K1 "\"\n"
	    "\taddress 10.77.0.1/32\n}\n",
	    E(3, "peer \"a\": no wg-key") },
	{ "peer without address", BASE "peer \"a\" {\n"
	    "\tnode-key \"" K1 "\"\n\twg-key \"" K2 "\"\n}\n",
	    E(3, "peer \"a\": no address") },
	{ "peer block not closed", BASE "peer \"a\" {\n"
	    "\tnode-key \"" K1 "\"\n",
	    E(3, "unclosed block opened here") },
	{ "peer bad line", BASE PEER_A("\tbogus"),
	    E(7, "syntax error") },
	{ "node-key invalid", BASE "peer \"a\" {\n\tnode-key \"abc\"\n"
	    "\twg-key \"" K2 "\"\n\taddress 10.77.0.1/32\n}\n",
	    E(4, "peer \"a\": node-key is not base64 of 32 bytes") },
	{ "node-key twice", BASE PEER_A("\tnode-key \"" K3 "\""),
	    E(7, "peer \"a\": node-key given twice") },
	{ "node-key of two peers", BASE PEER("a", K1, K2, "10.77.0.1/32")
	    PEER("b", K1, K3, "10.77.0.2/32"),
	    E(9, "peer \"b\": node-key already used by peer \"a\"") },
	{ "wg-key invalid", BASE "peer \"a\" {\n\tnode-key \"" K1 "\"\n"
	    "\twg-key \"" K1 "x\"\n\taddress 10.77.0.1/32\n}\n",
	    E(5, "peer \"a\": wg-key is not base64 of 32 bytes") },
	{ "wg-key twice", BASE PEER_A("\twg-key \"" K3 "\""),
	    E(7, "peer \"a\": wg-key given twice") },
	{ "wg-key of two peers", BASE PEER("a", K1, K2, "10.77.0.1/32")
	    PEER("b", K3, K2, "10.77.0.2/32"),
	    E(10, "peer \"b\": wg-key already used by peer \"a\"") },
	{ "address invalid", BASE PEER("a", K1, K2, "10.77.0.300/32"),
	    E(6, "peer \"a\": address \"10.77.0.300/32\": invalid address")
	    E(3, "peer \"a\": no address") },
	{ "address not a host", BASE PEER_A("\taddress 10.77.0.2/24"),
	    E(7, "peer \"a\": address 10.77.0.2/24 is not a host address "
	    "(/32)") },
	{ "address v6 not a host", BASE "network fd77::/64\n"
	    PEER("a", K1, K2, "fd77::1/64"),
	    E(7, "peer \"a\": address fd77::1/64 is not a host address (/128)")
	    E(4, "peer \"a\": no address") },
	{ "address outside networks", BASE PEER_A("\taddress 10.78.0.1/32"),
	    E(3, "peer \"a\": address 10.78.0.1/32 is outside every "
	    "network") },
	{ "address twice", BASE PEER_A("\taddress 10.77.0.1"),
	    E(7, "peer \"a\": address 10.77.0.1/32 given twice") },
	{ "address of two peers", BASE PEER("a", K1, K2, "10.77.0.1/32")
	    PEER("b", K3, K4, "10.77.0.1/32"),
	    E(11, "peer \"b\": address 10.77.0.1/32 already used by "
	    "peer \"a\"")
	    E(8, "peer \"b\": no address") },
	{ "allowed-ips invalid", BASE PEER_A("\tallowed-ips 10.1.0.0/24, x"),
	    E(7, "peer \"a\": allowed-ips \"x\": invalid address") },
	{ "allowed-ips host bits", BASE PEER_A("\tallowed-ips 10.1.0.1/24"),
	    E(7, "peer \"a\": allowed-ips 10.1.0.1/24 has host bits set "
	    "(network is 10.1.0.0/24)") },
	{ "allowed-ips twice", BASE PEER_A("\tallowed-ips 10.1.0.0/24, "
	    "10.1.0.0/24"),
	    E(7, "peer \"a\": allowed-ips 10.1.0.0/24 given twice") },
	{ "group invalid", BASE PEER_A("\tgroup \"a b\""),
	    E(7, "peer \"a\": group \"a b\": invalid name") },
	{ "group too long", BASE PEER_A("\tgroup abcdefghijklmnopqrstuvwxyz"
	    "abcdefghijklmnopqrstuvwxyzabcdefghijkl"),
	    E(7, "peer \"a\": group \"abcdefghijklmnopqrstuvwxyzabcdefghijklmn"
	    "opqrstuvwxyzabcdefghijkl\": name too long (at most 63 "
	    "characters)") },
	{ "group twice", BASE PEER_A("\tgroup g\n\tgroup \"g\""),
	    E(8, "peer \"a\": group \"g\" given twice") },
	{ "lazy-exempt twice", BASE PEER_A("\tlazy-exempt\n\tlazy-exempt"),
	    E(8, "peer \"a\": lazy-exempt given twice") },
	{ "relay-only twice", BASE PEER_A("\trelay-only\n\trelay-only"),
	    E(8, "peer \"a\": relay-only given twice") },
	{ "flag with argument", BASE PEER_A("\trelay-only yes"),
	    E(7, "syntax error") },

	/* relays */
	{ "relay id invalid", BASE "relay \"r/1\" {\n"
	    "\taddress \"turn.example:3478\"\n\tsecret \"s\"\n}\n",
	    E(3, "relay \"r/1\": invalid name") },
	{ "relay duplicate", BASE RELAY_R("") RELAY_R(""),
	    E(8, "duplicate relay \"r\"") },
	{ "relay empty block", BASE "relay \"r\" {\n}\n",
	    E(3, "relay \"r\": no address")
	    E(3, "relay \"r\": no secret") },
	{ "relay without secret", BASE "relay \"r\" {\n"
	    "\taddress \"turn.example:3478\"\n}\n",
	    E(3, "relay \"r\": no secret") },
	{ "relay without port", BASE "relay \"r\" {\n"
	    "\taddress \"turn.example\"\n\tsecret \"s\"\n}\n",
	    E(4, "relay \"r\": address \"turn.example\": missing port") },
	{ "relay bad host name", BASE "relay \"r\" {\n"
	    "\taddress \"turn_1.example:3478\"\n\tsecret \"s\"\n}\n",
	    E(4, "relay \"r\": address \"turn_1.example:3478\": invalid "
	    "host name") },
	{ "relay address twice", BASE RELAY_R("\taddress \"[::1]:3478\""),
	    E(6, "relay \"r\": address given twice") },
	{ "relay secret twice", BASE RELAY_R("\tsecret \"t\""),
	    E(6, "relay \"r\": secret given twice") },
	{ "relay secret empty", BASE "relay \"r\" {\n"
	    "\taddress \"turn.example:3478\"\n\tsecret \"\"\n}\n",
	    E(5, "relay \"r\": empty secret") },
	{ "relay realm with a tab", BASE RELAY_R("\trealm \"a\tb\""),
	    E(6, "relay \"r\": realm must be printable ASCII") },
	{ "relay realm not ASCII", BASE RELAY_R("\trealm \"\xc3\xa9\""),
	    E(6, "relay \"r\": realm must be printable ASCII") },
	{ "relay realm twice", BASE RELAY_R("\trealm a\n\trealm b"),
	    E(7, "relay \"r\": realm given twice") },
	{ "relay key invalid", BASE RELAY_R("\tkey \"" K1 "x\""),
	    E(6, "relay \"r\": key is not base64 of 32 bytes") },
	{ "relay key a path", BASE RELAY_R("\tkey \"/etc/tern/relay.key\""),
	    E(6, "relay \"r\": key is not base64 of 32 bytes") },
	{ "relay key twice", BASE RELAY_R("\tkey \"" K1 "\"\n\tkey \"" K1 "\""),
	    E(7, "relay \"r\": key given twice") },
	{ "relay key without argument", BASE RELAY_R("\tkey"),
	    E(6, "syntax error") },
	{ "relay key of a peer", BASE RELAY_R("\tkey \"" K3 "\"")
	    PEER("a", K3, K2, "10.77.0.1/32"),
	    E(3, "relay \"r\": key already used by peer \"a\"") },
	{ "relay key of another relay", BASE RELAY_R("\tkey \"" K1 "\"")
	    "relay \"s\" {\n\taddress \"t:1\"\n\tsecret s\n"
	    "\tkey \"" K1 "\"\n}\n",
	    E(8, "relay \"s\": key already used by relay \"r\"") },
	{ "relay key equal to a wg-key is no error",
	    BASE RELAY_R("\tkey \"" K2 "\"\n\tsecret x")
	    PEER("a", K1, K2, "10.77.0.1/32"),
	    E(7, "relay \"r\": secret given twice") },
};

static char	*parse_capture(const char *, struct signal_conf **);
static void	 check_bad(const char *, const char *, const char *);
static void	 check_conf_equal(const struct signal_conf *,
		    const struct signal_conf *);
static void	 check_roundtrip(const char *);
static void	 text_add(char *, size_t *, const char *, ...)
		    __attribute__((__format__ (printf, 3, 4)));

/* Runs signal_parse_config with fd 2 sent to a file; returns the log. */
static char *
parse_capture(const char *path, struct signal_conf **confp)
{
	int	 saved;

	saved = test_stderr_begin("tern-signal");
	*confp = signal_parse_config(path);
	return test_stderr_end(saved);
}

static void
check_bad(const char *name, const char *text, const char *want)
{
	struct signal_conf	*conf;
	char			*got;

	test_write_file(BAD_CONF, text, strlen(text));
	got = parse_capture(BAD_CONF, &conf);
	ATF_CHECK_MSG(conf == NULL, "%s: parsed", name);
	signal_conf_free(conf);
	ATF_CHECK_STREQ_MSG(want, got, "%s", name);
	free(got);
}

static void
check_conf_equal(const struct signal_conf *a, const struct signal_conf *b)
{
	const struct signal_peer	*pa, *pb;
	const struct signal_relay	*ra, *rb;
	size_t				 i;

	ATF_CHECK_EQ(a->nlisten, b->nlisten);
	for (i = 0; i < a->nlisten && i < b->nlisten; i++)
		ATF_CHECK(sockaddr_cmp(
		    (const struct sockaddr *)&a->listen[i],
		    (const struct sockaddr *)&b->listen[i]) == 0);
	ATF_CHECK_STREQ(a->keyfile, b->keyfile);
	ATF_CHECK_EQ(a->nnetworks, b->nnetworks);
	ATF_CHECK(memcmp(a->networks, b->networks, sizeof(a->networks)) == 0);
	ATF_CHECK_EQ(a->lazy, b->lazy);
	ATF_CHECK_EQ(a->inactivity, b->inactivity);
	ATF_CHECK_EQ(a->isolate_groups, b->isolate_groups);
	ATF_CHECK_EQ(a->msg_max, b->msg_max);
	ATF_CHECK_EQ(a->queue_max, b->queue_max);
	ATF_CHECK_EQ(a->rate, b->rate);
	ATF_CHECK_EQ(a->conn_per_addr, b->conn_per_addr);
	ATF_CHECK_EQ(a->hs_rate, b->hs_rate);
	ATF_CHECK_EQ(a->handshakes, b->handshakes);
	ATF_CHECK_EQ(a->cred_lifetime, b->cred_lifetime);
	ATF_CHECK_EQ(a->npeers, b->npeers);
	for (pa = TAILQ_FIRST(&a->peers), pb = TAILQ_FIRST(&b->peers);
	    pa != NULL && pb != NULL;
	    pa = TAILQ_NEXT(pa, entry), pb = TAILQ_NEXT(pb, entry))
		ATF_CHECK(memcmp(&pa->p, &pb->p, sizeof(pa->p)) == 0);
	ATF_CHECK(pa == NULL && pb == NULL);
	ATF_CHECK_EQ(a->nrelays, b->nrelays);
	for (ra = TAILQ_FIRST(&a->relays), rb = TAILQ_FIRST(&b->relays);
	    ra != NULL && rb != NULL;
	    ra = TAILQ_NEXT(ra, entry), rb = TAILQ_NEXT(rb, entry)) {
		ATF_CHECK_STREQ(ra->id, rb->id);
		ATF_CHECK_STREQ(ra->address, rb->address);
		ATF_CHECK_STREQ(ra->secret, rb->secret);
		ATF_CHECK_STREQ(ra->realm, rb->realm);
		ATF_CHECK_EQ(ra->has_key, rb->has_key);
		ATF_CHECK(memcmp(ra->key, rb->key, KEY_LEN) == 0);
	}
	ATF_CHECK(ra == NULL && rb == NULL);
}

/* Parse, print, parse the print, print again: same text, same config. */
static void
check_roundtrip(const char *path)
{
	struct signal_conf	*c1, *c2;
	char			*err;
	FILE			*f;

	err = parse_capture(path, &c1);
	ATF_REQUIRE_MSG(c1 != NULL, "%s: %s", path, err);
	free(err);
	ATF_REQUIRE((f = fopen("print1.conf", "w")) != NULL);
	signal_print_config(f, c1);
	ATF_REQUIRE_EQ(fclose(f), 0);

	err = parse_capture("print1.conf", &c2);
	ATF_REQUIRE_MSG(c2 != NULL, "%s printed: %s", path, err);
	free(err);
	ATF_REQUIRE((f = fopen("print2.conf", "w")) != NULL);
	signal_print_config(f, c2);
	ATF_REQUIRE_EQ(fclose(f), 0);

	test_same_text("print1.conf", "print2.conf", path);
	check_conf_equal(c1, c2);
	signal_conf_free(c1);
	signal_conf_free(c2);
}

/* Appends to text, which has TEXT_MAX bytes and *len used. */
static void
text_add(char *text, size_t *len, const char *fmt, ...)
{
	va_list	 ap;
	int	 w;

	va_start(ap, fmt);
	w = vsnprintf(text + *len, TEXT_MAX - *len, fmt, ap);
	va_end(ap);
	ATF_REQUIRE(w >= 0 && (size_t)w < TEXT_MAX - *len);
	*len += w;
}

ATF_TC_WITHOUT_HEAD(conf_defaults);
ATF_TC_BODY(conf_defaults, tc)
{
	struct signal_conf	*conf;

	ATF_REQUIRE((conf = signal_conf_new()) != NULL);
	ATF_CHECK_EQ(conf->nlisten, 0);
	ATF_CHECK_STREQ("", conf->keyfile);
	ATF_CHECK_EQ(conf->nnetworks, 0);
	ATF_CHECK_EQ(conf->lazy, -1);
	ATF_CHECK_EQ(conf->inactivity, 0);
	ATF_CHECK_EQ(conf->isolate_groups, 0);
	ATF_CHECK_EQ(conf->msg_max, SIGNAL_MSG_MAX_DEFAULT);
	ATF_CHECK_EQ(conf->queue_max, SIGNAL_QUEUE_MAX_DEFAULT);
	ATF_CHECK_EQ(conf->rate, SIGNAL_RATE_DEFAULT);
	ATF_CHECK_EQ(conf->conn_per_addr, SIGNAL_CONN_PER_ADDR_DEFAULT);
	ATF_CHECK_EQ(conf->hs_rate, SIGNAL_HS_RATE_DEFAULT);
	ATF_CHECK_EQ(conf->handshakes, SIGNAL_HANDSHAKES_DEFAULT);
	ATF_CHECK_EQ(conf->cred_lifetime, SIGNAL_CRED_LIFETIME_DEFAULT);
	ATF_CHECK(TAILQ_EMPTY(&conf->peers));
	ATF_CHECK(TAILQ_EMPTY(&conf->relays));
	signal_conf_free(conf);
	signal_conf_free(NULL);
}

ATF_TC_WITHOUT_HEAD(examples_parse);
ATF_TC_BODY(examples_parse, tc)
{
	struct signal_conf	*conf;
	char			*err;
	size_t			 i;

	for (i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
		err = parse_capture(examples[i], &conf);
		ATF_CHECK_MSG(conf != NULL, "%s failed", examples[i]);
		ATF_CHECK_STREQ_MSG("", err, "%s", examples[i]);
		signal_conf_free(conf);
		free(err);
	}
}

/* The example: "*" is every v4 and v6 address. */
ATF_TC_WITHOUT_HEAD(example_fields);
ATF_TC_BODY(example_fields, tc)
{
	struct signal_conf		*conf;
	const struct signal_peer	*p;
	const struct signal_relay	*r;
	const struct sockaddr_in	*sin;
	const struct sockaddr_in6	*sin6;
	struct tern_prefix		 pfx;
	const char			*errstr;
	uint8_t				 key[KEY_LEN];
	char				*err;

	err = parse_capture(examples[0], &conf);
	ATF_REQUIRE_MSG(conf != NULL, "%s", err);
	free(err);
	ATF_REQUIRE_EQ(conf->nlisten, 2);
	sin = (const struct sockaddr_in *)&conf->listen[0];
	ATF_CHECK_EQ(sin->sin_family, AF_INET);
	ATF_CHECK_EQ(sin->sin_addr.s_addr, htonl(INADDR_ANY));
	ATF_CHECK_EQ(ntohs(sin->sin_port), SIGNAL_PORT_DEFAULT);
	sin6 = (const struct sockaddr_in6 *)&conf->listen[1];
	ATF_CHECK_EQ(sin6->sin6_family, AF_INET6);
	ATF_CHECK(IN6_IS_ADDR_UNSPECIFIED(&sin6->sin6_addr));
	ATF_CHECK_EQ(ntohs(sin6->sin6_port), SIGNAL_PORT_DEFAULT);
	ATF_CHECK_STREQ("/etc/tern/signal.key", conf->keyfile);
	ATF_REQUIRE_EQ(conf->nnetworks, 2);
	ATF_REQUIRE(prefix_parse("fd77::/64", &pfx, &errstr) == 0);
	ATF_CHECK(prefix_cmp(&conf->networks[1], &pfx) == 0);
	ATF_CHECK_EQ(conf->lazy, 1);
	ATF_CHECK_EQ(conf->inactivity, 15 * 60);
	ATF_CHECK_EQ(conf->isolate_groups, 0);
	ATF_CHECK_EQ(conf->msg_max, 16 * 1024);
	ATF_CHECK_EQ(conf->queue_max, 64 * 1024 * 1024);
	ATF_CHECK_EQ(conf->cred_lifetime, 24 * 3600);
	ATF_REQUIRE_EQ(conf->nrelays, 2);
	r = TAILQ_FIRST(&conf->relays);
	ATF_CHECK_STREQ("fra1", r->id);
	ATF_CHECK_STREQ("turn.example.net:3478", r->address);
	ATF_CHECK_STREQ("change this shared secret", r->secret);
	ATF_CHECK_STREQ("example.net", r->realm);
	ATF_CHECK_EQ(r->has_key, 0);
	r = TAILQ_NEXT(r, entry);
	ATF_CHECK_STREQ("ams1", r->id);
	ATF_CHECK_EQ(r->has_key, 1);
	ATF_REQUIRE(key_from_b64(KR, key) == 0);
	ATF_CHECK(memcmp(r->key, key, KEY_LEN) == 0);
	ATF_REQUIRE_EQ(conf->npeers, 4);
	p = TAILQ_FIRST(&conf->peers);
	ATF_CHECK_STREQ("alpha", p->p.name);
	ATF_REQUIRE(key_from_b64(K1, key) == 0);
	ATF_CHECK(memcmp(p->p.node_key, key, KEY_LEN) == 0);
	ATF_REQUIRE(key_from_b64(K2, key) == 0);
	ATF_CHECK(memcmp(p->p.wg_key, key, KEY_LEN) == 0);
	ATF_CHECK_EQ(p->p.naddrs, 2);
	ATF_CHECK_EQ(p->p.flags, 0);
	p = TAILQ_NEXT(p, entry);
	ATF_CHECK_STREQ("beta", p->p.name);
	ATF_CHECK_EQ(p->p.nallowed, 1);
	ATF_REQUIRE_EQ(p->p.ngroups, 1);
	ATF_CHECK_STREQ("office", p->p.groups[0]);
	ATF_CHECK_EQ(p->p.flags, SIGMSG_PEER_LAZY_EXEMPT);
	p = TAILQ_NEXT(TAILQ_NEXT(p, entry), entry);
	ATF_CHECK_STREQ("delta", p->p.name);
	ATF_CHECK_EQ(p->p.flags, SIGMSG_PEER_RELAY_ONLY);
	signal_conf_free(conf);
}

/* Macros, a relative include, quoting, continuation; no defaults left. */
ATF_TC_WITHOUT_HEAD(macros_include);
ATF_TC_BODY(macros_include, tc)
{
	struct signal_conf		*conf;
	const struct signal_peer	*p;
	const struct signal_relay	*r;
	const struct sockaddr_in	*sin;
	char				*err;

	err = parse_capture(examples[1], &conf);
	ATF_REQUIRE_MSG(conf != NULL, "%s", err);
	ATF_CHECK_STREQ("", err);
	free(err);
	ATF_REQUIRE_EQ(conf->nlisten, 3);
	sin = (const struct sockaddr_in *)&conf->listen[0];
	ATF_CHECK_EQ(ntohs(sin->sin_port), 7801);
	sin = (const struct sockaddr_in *)&conf->listen[2];
	ATF_CHECK_EQ(ntohs(sin->sin_port), SIGNAL_PORT_DEFAULT);
	ATF_CHECK_STREQ("/var/lib/tern/signal.key", conf->keyfile);
	ATF_CHECK_EQ(conf->lazy, 0);
	ATF_CHECK_EQ(conf->inactivity, 90);
	ATF_CHECK_EQ(conf->isolate_groups, 1);
	ATF_CHECK_EQ(conf->msg_max, 65536);
	ATF_CHECK_EQ(conf->queue_max, 1024 * 1024 * 1024);
	ATF_CHECK_EQ(conf->rate, 50);
	ATF_CHECK_EQ(conf->conn_per_addr, 4);
	ATF_CHECK_EQ(conf->hs_rate, 5);
	ATF_CHECK_EQ(conf->handshakes, 7);
	ATF_CHECK_EQ(conf->cred_lifetime, 120);
	ATF_REQUIRE_EQ(conf->nrelays, 2);
	r = TAILQ_FIRST(&conf->relays);
	ATF_CHECK_STREQ("a \"quoted\" \\ secret", r->secret);
	ATF_CHECK_STREQ("", r->realm);
	r = TAILQ_NEXT(r, entry);
	ATF_CHECK_STREQ("turn.example.net:3478", r->address);
	ATF_REQUIRE_EQ(conf->npeers, 3);
	p = TAILQ_FIRST(&conf->peers);
	ATF_CHECK_STREQ("one", p->p.name);
	ATF_CHECK_EQ(p->p.naddrs, 2);
	ATF_CHECK_EQ(p->p.flags, SIGMSG_PEER_RELAY_ONLY);
	p = TAILQ_NEXT(p, entry);
	ATF_CHECK_STREQ("two", p->p.name);
	ATF_CHECK_EQ(p->p.flags, SIGMSG_PEER_LAZY_EXEMPT);
	p = TAILQ_NEXT(p, entry);
	ATF_CHECK_STREQ("after-include", p->p.name);
	ATF_CHECK_EQ(p->p.nallowed, 2);
	ATF_REQUIRE_EQ(p->p.ngroups, 2);
	ATF_CHECK_STREQ("ha", p->p.groups[0]);
	ATF_CHECK_STREQ("all", p->p.groups[1]);
	signal_conf_free(conf);
}

ATF_TC_WITHOUT_HEAD(bad_configs);
ATF_TC_BODY(bad_configs, tc)
{
	size_t	 i;

	for (i = 0; i < sizeof(bad_confs) / sizeof(bad_confs[0]); i++)
		check_bad(bad_confs[i].name, bad_confs[i].text,
		    bad_confs[i].err);
}

ATF_TC_WITHOUT_HEAD(missing_file);
ATF_TC_BODY(missing_file, tc)
{
	struct signal_conf	*conf;
	char			*err;

	err = parse_capture("nonexistent.conf", &conf);
	ATF_CHECK(conf == NULL);
	ATF_CHECK_STREQ("tern-signal: nonexistent.conf: No such file or "
	    "directory\n", err);
	free(err);
}

/* Every count has a cap, and one more than the cap is refused. */
ATF_TC_WITHOUT_HEAD(limits);
ATF_TC_BODY(limits, tc)
{
	char	 text[TEXT_MAX], want[2 * SIGNAL_SECRET_MAX];
	char	*t;
	size_t	 len, i;

	len = 0;
	text_add(text, &len, "%s", BASE);
	for (i = 0; i < SIGNAL_NETWORKS_MAX; i++)
		text_add(text, &len, "network 10.%zu.0.0/16\n", i);
	check_bad("too many networks", text,
	    E(18, "too many networks (at most 16)"));

	len = 0;
	text_add(text, &len, "%s", BASE);
	for (i = 0; i <= SIGNAL_LISTEN_MAX; i++)
		text_add(text, &len, "listen on 127.0.0.1 port %zu\n", i + 1);
	check_bad("too many listen", text,
	    E(19, "too many listen addresses (at most 16)"));

	len = 0;
	text_add(text, &len, "%s", BASE);
	for (i = 0; i <= SIGNAL_RELAYS_MAX; i++)
		text_add(text, &len, "relay \"r%zu\" {\n\taddress \"t:1\"\n"
		    "\tsecret \"s\"\n}\n", i);
	check_bad("too many relays", text,
	    E(259, "too many relays (at most 64)"));

	len = 0;
	text_add(text, &len, "%speer \"a\" {\n\tnode-key \"%s\"\n"
	    "\twg-key \"%s\"\n", BASE, K1, K2);
	for (i = 0; i <= SIGMSG_ADDRS_MAX; i++)
		text_add(text, &len, "\taddress 10.77.0.%zu/32\n", i);
	text_add(text, &len, "}\n");
	check_bad("too many addresses", text,
	    E(14, "peer \"a\": too many addresses (at most 8)"));

	len = 0;
	text_add(text, &len, "%s", BASE PEER_A(""));
	len -= strlen("\n}\n");
	for (i = 0; i <= SIGMSG_ALLOWED_MAX; i++)
		text_add(text, &len, "\tallowed-ips 10.1.%zu.0/24\n", i);
	text_add(text, &len, "}\n");
	check_bad("too many allowed-ips", text,
	    E(39, "peer \"a\": too many allowed-ips (at most 32)"));

	len = 0;
	text_add(text, &len, "%s", BASE PEER_A(""));
	len -= strlen("\n}\n");
	for (i = 0; i <= SIGMSG_GROUPS_MAX; i++)
		text_add(text, &len, "\tgroup g%zu\n", i);
	text_add(text, &len, "}\n");
	check_bad("too many groups", text,
	    E(39, "peer \"a\": too many groups (at most 32)"));

	/* The longest secret and realm fit; one more character does not. */
	memset(want, 'x', sizeof(want));
	want[SIGNAL_SECRET_MAX] = '\0';
	ATF_REQUIRE(asprintf(&t, "%srelay r {\n\taddress \"t:1\"\n"
	    "\tsecret \"%s\"\n}\n", BASE, want) != -1);
	check_bad("secret too long", t,
	    E(5, "relay \"r\": secret too long (at most 255 characters)"));
	free(t);
	want[SIGMSG_CRED_MAX] = '\0';
	ATF_REQUIRE(asprintf(&t, "%srelay r {\n\taddress \"t:1\"\n"
	    "\tsecret s\n\trealm \"%s\"\n}\n", BASE, want) != -1);
	check_bad("realm too long", t,
	    E(6, "relay \"r\": realm too long (at most 127 characters)"));
	free(t);
	want[SIGNAL_SECRET_MAX - 1] = 'x';
	want[SIGMSG_CRED_MAX - 1] = '\0';
	ATF_REQUIRE(asprintf(&t, "%srelay r {\n\taddress \"t:1\"\n"
	    "\tsecret \"%s\"\n\trealm \"%s\"\n}\n", BASE,
	    want, want) != -1);
	test_write_file("long.conf", t, strlen(t));
	check_roundtrip("long.conf");
	free(t);
}

ATF_TC_WITHOUT_HEAD(roundtrip);
ATF_TC_BODY(roundtrip, tc)
{
	static const char minimal[] = BASE;
	static const char odd[] = "key \"/etc/te\\\"rn\\\\signal key\"\n"
	    "network 10.77.0.0/16\nlisten on fd00::1 port 1\n"
	    "listen on 0.0.0.0 port 65535\n"
	    "lazy-connections no\ninactivity-threshold 10080\n"
	    "max-message-size 1048575\nmax-queue 4G\n"
	    "credential-lifetime 3601s\n"
	    "relay \"include\" {\n\tsecret '\\'$x#'\n"
	    "\taddress \"[::1]:1\"\n\trealm \"{}\"\n}\n"
	    "relay \"key\" {\n\tkey \"" K3 "\"\n\taddress \"k:1\"\n"
	    "\tsecret \"key\"\n}\n"
	    PEER("peer", K1, K2, "10.77.255.255");
	struct signal_conf	*conf;
	char			*err;
	size_t			 i;

	for (i = 0; i < sizeof(examples) / sizeof(examples[0]); i++)
		check_roundtrip(examples[i]);

	test_write_file("minimal.conf", minimal, strlen(minimal));
	check_roundtrip("minimal.conf");

	/* Quotes, keywords and lexer characters survive printing. */
	test_write_file("odd.conf", odd, strlen(odd));
	err = parse_capture("odd.conf", &conf);
	ATF_REQUIRE_MSG(conf != NULL, "%s", err);
	free(err);
	ATF_CHECK_STREQ("/etc/te\"rn\\signal key", conf->keyfile);
	ATF_CHECK_EQ(conf->inactivity, 7 * 24 * 3600);
	ATF_CHECK_EQ(conf->msg_max, 1048575);
	ATF_CHECK_EQ(conf->queue_max, 4ULL * 1024 * 1024 * 1024);
	ATF_CHECK_EQ(conf->cred_lifetime, 3601);
	ATF_CHECK_STREQ("'$x#", TAILQ_FIRST(&conf->relays)->secret);
	ATF_CHECK_EQ(TAILQ_FIRST(&conf->relays)->has_key, 0);
	ATF_CHECK_EQ(TAILQ_LAST(&conf->relays, signal_relay_head)->has_key,
	    1);
	ATF_CHECK_STREQ("key", TAILQ_LAST(&conf->relays,
	    signal_relay_head)->secret);
	signal_conf_free(conf);
	check_roundtrip("odd.conf");
}

ATF_TC_WITHOUT_HEAD(duration_ok);
ATF_TC_BODY(duration_ok, tc)
{
	static const struct {
		const char	*s;
		uint32_t	 secs;
	} good[] = {
		{ "90s", 90 }, { "15m", 900 }, { "1h", 3600 }, { "2d", 172800 },
		{ "15", 900 }, { "0s", 0 }, { "0", 0 }, { "007m", 420 },
		{ "4294967295s", UINT32_MAX }, { "71582788m", 4294967280U },
	};
	static const struct {
		uint32_t	 secs;
		const char	*s;
	} strs[] = {
		{ 0, "0s" }, { 59, "59s" }, { 60, "1m" }, { 90, "90s" },
		{ 3600, "1h" }, { 5400, "90m" }, { 86400, "1d" },
		{ 604800, "7d" }, { 90000, "25h" },
		{ UINT32_MAX, "4294967295s" },
	};
	char		 err[ERR_MAX], buf[DURATION_STRLEN];
	uint32_t	 v;
	size_t		 i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		v = 1;
		ATF_CHECK_MSG(duration_parse(good[i].s, 0, UINT32_MAX, &v, err,
		    sizeof(err)) == 0, "%s", good[i].s);
		ATF_CHECK_EQ_MSG(v, good[i].secs, "%s", good[i].s);
	}
	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		ATF_CHECK_STREQ(strs[i].s, duration_str(strs[i].secs, buf,
		    sizeof(buf)));
		ATF_CHECK(duration_parse(buf, 0, UINT32_MAX, &v, err,
		    sizeof(err)) == 0 && v == strs[i].secs);
	}
	/* The bounds themselves are allowed. */
	ATF_CHECK(duration_parse("1m", 60, 120, &v, err, sizeof(err)) == 0);
	ATF_CHECK(duration_parse("2m", 60, 120, &v, err, sizeof(err)) == 0);
}

ATF_TC_WITHOUT_HEAD(duration_bad);
ATF_TC_BODY(duration_bad, tc)
{
	static const char *const malformed[] = {
		"", "m", "15 m", " 15m", "15mm", "-1", "+1", "1.5h", "15M",
		"1w", "0x10", "1h30m", "15m ",
	};
	char		 err[ERR_MAX];
	uint32_t	 v = 7;
	size_t		 i;

	for (i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		ATF_CHECK_MSG(duration_parse(malformed[i], 0, UINT32_MAX, &v,
		    err, sizeof(err)) == -1, "\"%s\"", malformed[i]);
		ATF_CHECK_STREQ_MSG("not a duration (like 90s, 15m, 1h, 1d, "
		    "or minutes)", err, "\"%s\"", malformed[i]);
	}
	ATF_CHECK_EQ(v, 7);
	ATF_CHECK(duration_parse("59s", 60, 3600, &v, err, sizeof(err)) == -1);
	ATF_CHECK_STREQ("below the minimum of 1m", err);
	ATF_CHECK(duration_parse("3601s", 60, 3600, &v, err,
	    sizeof(err)) == -1);
	ATF_CHECK_STREQ("above the maximum of 1h", err);
	ATF_CHECK(duration_parse("4294967296s", 0, UINT32_MAX, &v, err,
	    sizeof(err)) == -1);
	ATF_CHECK_STREQ("above the maximum of 4294967295s", err);
	ATF_CHECK(duration_parse("99999999999999999999999999d", 0, UINT32_MAX,
	    &v, err, sizeof(err)) == -1);
	ATF_CHECK_STREQ("above the maximum of 4294967295s", err);
	ATF_CHECK(duration_parse("49711d", 0, UINT32_MAX, &v, err,
	    sizeof(err)) == -1);
	ATF_CHECK_EQ(v, 7);
}

ATF_TC_WITHOUT_HEAD(size_units);
ATF_TC_BODY(size_units, tc)
{
	static const struct {
		const char	*s;
		uint64_t	 bytes;
		const char	*str;
	} good[] = {
		{ "0", 0, "0" }, { "16384", 16384, "16K" },
		{ "64K", 65536, "64K" }, { "16M", 16777216, "16M" },
		{ "1G", 1073741824, "1G" }, { "2048M", 2147483648ULL, "2G" },
		{ "17179869183G", 17179869183ULL * 1073741824, "17179869183G" },
	};
	static const char *const malformed[] = {
		"", "K", "1k", "1KB", "1 K", "-1", "1.5M", "1T",
	};
	char		 err[ERR_MAX], buf[DURATION_STRLEN];
	uint64_t	 v;
	size_t		 i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ATF_CHECK_MSG(size_parse(good[i].s, 0, UINT64_MAX, &v, err,
		    sizeof(err)) == 0, "%s", good[i].s);
		ATF_CHECK_EQ_MSG(v, good[i].bytes, "%s", good[i].s);
		ATF_CHECK_STREQ(good[i].str, size_str(v, buf, sizeof(buf)));
	}
	for (i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		ATF_CHECK(size_parse(malformed[i], 0, UINT64_MAX, &v, err,
		    sizeof(err)) == -1);
		ATF_CHECK_STREQ("not a size (like 16384, 64K, 16M or 1G)", err);
	}
	ATF_CHECK_STREQ("1000", size_str(1000, buf, sizeof(buf)));
	ATF_CHECK_STREQ("1025K", size_str(1025 * 1024, buf, sizeof(buf)));
	ATF_CHECK_STREQ("18446744073709551615", size_str(UINT64_MAX, buf,
	    sizeof(buf)));
	/* 2^64 overflows; it is above every maximum. */
	ATF_CHECK(size_parse("17179869184G", 0, UINT64_MAX, &v, err,
	    sizeof(err)) == -1);
	ATF_CHECK_STREQ("above the maximum of 18446744073709551615", err);
	ATF_CHECK(size_parse("99999999999999999999", 0, UINT64_MAX, &v, err,
	    sizeof(err)) == -1);
	ATF_CHECK_STREQ("above the maximum of 18446744073709551615", err);
	ATF_CHECK(size_parse("18446744073709551615", 0, UINT64_MAX, &v, err,
	    sizeof(err)) == 0 && v == UINT64_MAX);
	ATF_CHECK(size_parse("1023", 1024, 2048, &v, err, sizeof(err)) == -1);
	ATF_CHECK_STREQ("below the minimum of 1K", err);
}

ATF_TC_WITHOUT_HEAD(hostport);
ATF_TC_BODY(hostport, tc)
{
	static const struct {
		const char	*s;
		const char	*host;
		uint16_t	 port;
	} good[] = {
		{ "sig.example:7700", "sig.example", 7700 },
		{ "192.0.2.1:1", "192.0.2.1", 1 },
		{ "[2001:db8::1]:65535", "2001:db8::1", 65535 },
		{ "[::ffff:192.0.2.1]:80", "::ffff:192.0.2.1", 80 },
		{ "a:00080", "a", 80 },
		{ "xn--bcher-kva.example:1", "xn--bcher-kva.example", 1 },
		{ "1a.2b:3", "1a.2b", 3 },
	};
	static const struct {
		const char	*s;
		const char	*err;
	} bad[] = {
		{ "", "missing port" },
		{ "sig.example", "missing port" },
		{ "sig.example:", "invalid port" },
		{ "sig.example:0", "invalid port" },
		{ "sig.example:65536", "invalid port" },
		{ "sig.example:100000", "invalid port" },
		{ "sig.example:+1", "invalid port" },
		{ "sig.example:1 ", "invalid port" },
		{ ":1", "missing host" },
		{ "[]:1", "missing host" },
		{ "[::1", "missing ']'" },
		{ "[::1]", "missing port" },
		{ "[::1]x:1", "missing port" },
		{ "[sig.example]:1", "invalid IPv6 address" },
		{ "::1:1", "IPv6 address must be in brackets" },
		{ "192.0.2.256:1", "invalid address" },
		{ "1.2.3:1", "invalid address" },
		{ "sig.example.:1", "invalid host name" },
		{ ".sig.example:1", "invalid host name" },
		{ "sig-.example:1", "invalid host name" },
		{ "s ig:1", "invalid host name" },
		{ "sig/x:1", "invalid host name" },
	};
	char		 host[HOSTPORT_HOST_MAX], name[HOSTPORT_HOST_MAX + 8];
	const char	*errstr;
	uint16_t	 port;
	size_t		 i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ATF_CHECK_MSG(hostport_parse(good[i].s, host, &port,
		    &errstr) == 0, "%s", good[i].s);
		ATF_CHECK_STREQ(good[i].host, host);
		ATF_CHECK_EQ(good[i].port, port);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errstr = NULL;
		ATF_CHECK_MSG(hostport_parse(bad[i].s, host, &port,
		    &errstr) == -1, "%s", bad[i].s);
		ATF_CHECK_STREQ_MSG(bad[i].err, errstr, "%s", bad[i].s);
	}

	/* 253 characters of labels of 63 fit; 254 do not. */
	memset(name, 'a', sizeof(name));
	name[63] = name[127] = name[191] = '.';
	strlcpy(name + 253, ":1", sizeof(name) - 253);
	ATF_CHECK(hostport_parse(name, host, &port, &errstr) == 0);
	memset(name, 'a', sizeof(name));
	name[63] = name[127] = name[191] = '.';
	strlcpy(name + 254, ":1", sizeof(name) - 254);
	ATF_CHECK(hostport_parse(name, host, &port, &errstr) == -1);
	ATF_CHECK_STREQ("host name too long", errstr);
	memset(name, 'a', 64);
	strlcpy(name + 64, ":1", sizeof(name) - 64);
	ATF_CHECK(hostport_parse(name, host, &port, &errstr) == -1);
	ATF_CHECK_STREQ("invalid host name", errstr);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, conf_defaults);
	ATF_TP_ADD_TC(tp, examples_parse);
	ATF_TP_ADD_TC(tp, example_fields);
	ATF_TP_ADD_TC(tp, macros_include);
	ATF_TP_ADD_TC(tp, bad_configs);
	ATF_TP_ADD_TC(tp, missing_file);
	ATF_TP_ADD_TC(tp, limits);
	ATF_TP_ADD_TC(tp, roundtrip);
	ATF_TP_ADD_TC(tp, duration_ok);
	ATF_TP_ADD_TC(tp, duration_bad);
	ATF_TP_ADD_TC(tp, size_units);
	ATF_TP_ADD_TC(tp, hostport);
	return atf_no_error();
}
