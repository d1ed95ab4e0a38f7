/*
 * Unit tests of ternd.conf parsing (agent/parse.y), printing
 * (agent/parent_printconf.c) and of lib/addr.c.  Error messages are compared
 * exactly, as ternd prints them on stderr.
 */
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "addr.h"
#include "key.h"
#include "log.h"
#include "parent.h"
#include "ternd.h"
#include "test_util.h"

#ifndef TOP_SRCDIR
#error "TOP_SRCDIR must name the source tree"
#endif

#define BAD_CONF	"bad.conf"	/* written in the test's work dir */
#define TEXT_MAX	(64 * 1024)	/* a generated configuration */
#define PARSE_MACROS_MAX 1024		/* as in parse.y */
#define PARSE_STRING_MAX 8192		/* as in parse.y */
#define PARSE_MACRO_NAME_MAX 64		/* as in parse.y */
#define RELOAD_TEXTS_MAX 8		/* configurations one reload test has */
#define OTHER_UID	1		/* daemon: owns no file of the test */
#define ROOT_FILE	"/etc/passwd"	/* root's, for a test not run as root */

/* Three distinct WireGuard public keys. */
#define KEY_A	"PxBcPY7QCe8glsQhtPvuE86My7qeIB8pf6VlfQQTePo="
#define KEY_B	"mzKftMNjvGgmSpzkp9LcpIvXgoivdUrU80kEN1XXvZA="
#define KEY_C	"QEpvr03pgiO8G6ZLrqbDyKdvjuesD+8flvkbPgvtxMQ="
/* Ed25519 keys, as tern-signal -k and ternctl lock keygen print them. */
#define KEY_D	"VgTCY7Tt2Tj+wxEkLQQQyruqrXdf54C0f4hQevS5dUg="

#define ADDR	"address 10.77.0.1/24\n"
#define TURN	"relay \"turn.example.net:3478\""	/* a relay line's start */
#define TURN_E	"relay \"turn.example.net:3478\": "	/* its errors' */
#define SIG(hp)	"signal \"" hp "\" key \"" KEY_C "\"\n"
#define E(line, msg)	"ternd: " BAD_CONF ":" #line ": " msg "\n"

static const char *const examples[] = {
	TOP_SRCDIR "/etc/ternd.conf.example",
	TOP_SRCDIR "/regress/configs/minimal.conf",
	TOP_SRCDIR "/regress/configs/ipv6.conf",
	TOP_SRCDIR "/regress/configs/macros.conf",
	TOP_SRCDIR "/regress/configs/relays.conf",
};

static const struct bad_conf {
	const char	*name;
	const char	*text;
	const char	*err;
} bad_confs[] = {
	/* lexer and grammar */
	{ "syntax", ADDR "mtu\n", E(2, "syntax error") },
	{ "all errors reported", "mtu 1\nlisten 5\n" ADDR "mtu 2\n",
	    E(1, "mtu 1 out of range (1280-9000)")
	    E(2, "syntax error")
	    E(4, "mtu given twice") },
	{ "no newline at end", ADDR "mtu 2",
	    E(2, "mtu 2 out of range (1280-9000)") },
	{ "continued line", ADDR "mtu \\\n 2\nmtu 3\n",
	    E(3, "mtu 2 out of range (1280-9000)")
	    E(4, "mtu given twice") },
	{ "unterminated quote", ADDR "interface \"tern0\nmtu 1\n",
	    E(2, "unterminated quoted string")
	    E(3, "mtu 1 out of range (1280-9000)") },
	{ "number too large", ADDR "mtu 99999999999999999999\n",
	    E(2, "number 99999999999999999999 is too large") },
	{ "number too small", ADDR "mtu -99999999999999999999\n",
	    E(2, "number -99999999999999999999 is too small") },
	{ "undefined macro", ADDR "accept $nope\n",
	    E(2, "macro \"nope\" not defined") },
	{ "invalid macro name", ADDR "my-net = \"10.0.0.0/8\"\n",
	    E(2, "invalid macro name \"my-net\"") },
	{ "keyword as macro name", ADDR "mtu = 1400\n",
	    E(2, "syntax error") },
	{ "macro in quotes", ADDR "dir = \"/k\"\nkeys \"$dir\"\n",
	    E(3, "keys \"$dir\": path must be absolute") },
	{ "include missing", ADDR "include \"missing.conf\"\n",
	    E(2, "include \"missing.conf\": No such file or directory") },
	{ "include directory", ADDR "include \".\"\n",
	    E(2, "include \".\": not a regular file") },
	{ "include loop", "include \"" BAD_CONF "\"\n",
	    E(1, "include \"" BAD_CONF "\": nested too deeply "
	    "(at most 16 levels)")
	    "ternd: " BAD_CONF ": no interface address configured\n" },
	{ "peer block not closed", ADDR "peer \"a\" {\n"
	    "\tpublic-key \"" KEY_A "\"\n",
	    E(2, "unclosed block opened here") },
	{ "junk after block", ADDR "peer \"a\" {\n"
	    "\tpublic-key \"" KEY_A "\"\n} x\n",
	    E(4, "syntax error") },
	{ "bad line in block", ADDR "peer \"a\" {\n"
	    "\tbogus 1\n\tpublic-key \"" KEY_A "\"\n"
	    "\tpersistent-keepalive 0\n}\n",
	    E(3, "syntax error")
	    E(5, "peer \"a\": persistent-keepalive 0 out of range (1-65535)") },

	/* interface, address and ports */
	{ "interface too long", ADDR "interface abcdefghijklmnop\n",
	    E(2, "interface \"abcdefghijklmnop\": name too long "
	    "(at most 15 characters)") },
	{ "interface bad char", ADDR "interface \"tern/0\"\n",
	    E(2, "interface \"tern/0\": invalid name") },
	{ "interface dotdot", ADDR "interface \"..\"\n",
	    E(2, "interface \"..\": invalid name") },
	{ "interface empty", ADDR "interface \"\"\n",
	    E(2, "interface \"\": invalid name") },
	{ "interface twice", ADDR "interface a\ninterface b\n",
	    E(3, "interface given twice") },
	{ "address invalid", "address 10.77.0.300/24\n" ADDR,
	    E(1, "address \"10.77.0.300/24\": invalid address") },
	{ "address hostname", "address host.example\n" ADDR,
	    E(1, "address \"host.example\": invalid address") },
	{ "address bad length", "address 10.77.0.1/33\n" ADDR,
	    E(1, "address \"10.77.0.1/33\": invalid prefix length") },
	{ "address bad v6 length", "address fd00::1/129\n" ADDR,
	    E(1, "address \"fd00::1/129\": invalid prefix length") },
	{ "address duplicate", ADDR "address 10.77.0.1/16\n",
	    E(2, "duplicate address 10.77.0.1/16") },
	{ "too many addresses", "address 10.77.0.1/24\n"
	    "address 10.77.0.2/24\naddress 10.77.0.3/24\n"
	    "address 10.77.0.4/24\naddress 10.77.0.5/24\n"
	    "address 10.77.0.6/24\naddress 10.77.0.7/24\n"
	    "address 10.77.0.8/24\naddress 10.77.0.9/24\n",
	    E(9, "too many addresses (at most 8)") },
	{ "no address", "mtu 1420\n",
	    "ternd: " BAD_CONF ": no interface address configured\n" },
	{ "mtu too small", ADDR "mtu 1279\n",
	    E(2, "mtu 1279 out of range (1280-9000)") },
	{ "mtu too large", ADDR "mtu 9001\n",
	    E(2, "mtu 9001 out of range (1280-9000)") },
	{ "listen port 0", ADDR "listen port 0\n",
	    E(2, "listen port 0 out of range (1-65535)") },
	{ "listen port too large", ADDR "listen port 65536\n",
	    E(2, "listen port 65536 out of range (1-65535)") },
	{ "listen port twice", ADDR "listen port 1\nlisten port 2\n",
	    E(3, "listen port given twice") },
	{ "peer-port 0", ADDR "peer-port 0\n",
	    E(2, "peer-port 0 out of range (1-65535)") },
	{ "peer-port twice", ADDR "peer-port 1\npeer-port 2\n",
	    E(3, "peer-port given twice") },
	{ "ports equal", ADDR "peer-port 6000\nlisten port 6000\nmtu 1400\n",
	    E(3, "listen port and peer-port are both 6000") },
	{ "port equals default peer-port", ADDR "listen port 51821\n",
	    E(2, "listen port and peer-port are both 51821") },
	{ "wireguard relative", ADDR "wireguard userspace \"wireguard-go\"\n",
	    E(2, "wireguard userspace \"wireguard-go\": path must be "
	    "absolute") },
	{ "wireguard twice", ADDR "wireguard userspace /a\n"
	    "wireguard userspace /b\n",
	    E(3, "wireguard given twice") },
	{ "keys relative", ADDR "keys \"keys\"\n",
	    E(2, "keys \"keys\": path must be absolute") },
	{ "keys twice", ADDR "keys /a\nkeys /b\n", E(3, "keys given twice") },
	{ "tls-ca relative", ADDR "tls-ca \"ca.pem\"\n",
	    E(2, "tls-ca \"ca.pem\": path must be absolute") },
	{ "tls-ca twice", ADDR "tls-ca /a\ntls-ca /b\n",
	    E(3, "tls-ca given twice") },
	{ "accept invalid", ADDR "accept 10.0.0/8\n",
	    E(2, "accept \"10.0.0/8\": invalid address") },
	{ "accept host bits", ADDR "accept 10.77.0.1/24\n",
	    E(2, "accept 10.77.0.1/24 has host bits set "
	    "(network is 10.77.0.0/24)") },
	{ "accept v6 host bits", ADDR "accept fd00::1:0/96\n",
	    E(2, "accept fd00::1:0/96 has host bits set "
	    "(network is fd00::/96)") },

	/* peers */
	{ "peer name invalid", ADDR "peer \"a b\" {\n"
	    "\tpublic-key \"" KEY_A "\"\n}\n",
	    E(2, "peer \"a b\": invalid name") },
	{ "peer name empty", ADDR "peer \"\" {\n"
	    "\tpublic-key \"" KEY_A "\"\n}\n",
	    E(2, "peer \"\": invalid name") },
	{ "peer name too long", ADDR "peer \"abcdefghijklmnopqrstuvwxyz"
	    "abcdefghijklmnopqrstuvwxyzabcdefghijkl\" {\n"
	    "\tpublic-key \"" KEY_A "\"\n}\n",
	    E(2, "peer \"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz"
	    "abcdefghijkl\": name too long (at most 63 characters)") },
	{ "peer duplicate", ADDR "peer a {\n\tpublic-key \"" KEY_A "\"\n}\n"
	    "peer a {\n\tpublic-key \"" KEY_B "\"\n}\n",
	    E(5, "duplicate peer \"a\"") },
	{ "peer without key", ADDR "peer \"a\" {\n"
	    "\tallowed-ips 10.77.0.2/32\n}\n",
	    E(2, "peer \"a\": no public-key") },
	{ "peer empty block", ADDR "peer \"a\" {\n}\n",
	    E(2, "peer \"a\": no public-key") },
	{ "key invalid", ADDR "peer \"a\" {\n\tpublic-key \"abc\"\n}\n",
	    E(3, "peer \"a\": public-key is not base64 of 32 bytes") },
	{ "key twice", ADDR "peer \"a\" {\n\tpublic-key \"" KEY_A "\"\n"
	    "\tpublic-key \"" KEY_B "\"\n}\n",
	    E(4, "peer \"a\": public-key given twice") },
	{ "key duplicate", ADDR "peer \"a\" {\n\tpublic-key \"" KEY_A "\"\n}\n"
	    "peer \"b\" {\n\tpublic-key \"" KEY_A "\"\n}\n",
	    E(6, "peer \"b\": public-key already used by peer \"a\"") },
	{ "allowed-ips invalid", ADDR "peer \"a\" {\n"
	    "\tpublic-key \"" KEY_A "\"\n\tallowed-ips 10.77.0.2/32, x\n}\n",
	    E(4, "peer \"a\": allowed-ips \"x\": invalid address") },
	{ "allowed-ips host bits", ADDR "peer \"a\" {\n"
	    "\tpublic-key \"" KEY_A "\"\n\tallowed-ips 10.77.0.2/24\n}\n",
	    E(4, "peer \"a\": allowed-ips 10.77.0.2/24 has host bits set "
	    "(network is 10.77.0.0/24)") },
	{ "allowed-ips twice", ADDR "peer \"a\" {\n"
	    "\tpublic-key \"" KEY_A "\"\n\tallowed-ips 10.77.0.2/32\n"
	    "\tallowed-ips 10.77.0.2/32\n}\n",
	    E(5, "peer \"a\": allowed-ips 10.77.0.2/32 given twice") },
	{ "allowed-ips of two peers", ADDR
	    "peer \"a\" {\n\tpublic-key \"" KEY_A "\"\n"
	    "\tallowed-ips 10.77.0.2/32\n}\n"
	    "peer \"b\" {\n\tpublic-key \"" KEY_B "\"\n"
	    "\tallowed-ips 10.77.0.3/32, 10.77.0.2/32\n}\n",
	    E(8, "peer \"b\": allowed-ips 10.77.0.2/32 already used by "
	    "peer \"a\"") },
	{ "allowed-ips outside default accept", ADDR
	    "peer \"a\" {\n\tpublic-key \"" KEY_A "\"\n"
	    "\tallowed-ips 10.77.0.2/32, 10.9.0.0/16\n}\n",
	    E(2, "peer \"a\": allowed-ips 10.9.0.0/16 is outside every "
	    "accept prefix") },
	{ "allowed-ips outside accept", ADDR "accept 10.88.0.0/16\n"
	    "peer \"a\" {\n\tpublic-key \"" KEY_A "\"\n"
	    "\tallowed-ips 10.88.1.0/24\n}\n"
	    "peer \"b\" {\n\tpublic-key \"" KEY_B "\"\n"
	    "\tallowed-ips 10.77.0.3/32\n}\n",
	    E(7, "peer \"b\": allowed-ips 10.77.0.3/32 is outside every "
	    "accept prefix") },
	{ "allowed-ips wider than accept", ADDR
	    "peer \"a\" {\n\tpublic-key \"" KEY_A "\"\n"
	    "\tallowed-ips 10.76.0.0/15\n}\n",
	    E(2, "peer \"a\": allowed-ips 10.76.0.0/15 is outside every "
	    "accept prefix") },
	{ "endpoint hostname", ADDR "peer \"a\" {\n"
	    "\tpublic-key \"" KEY_A "\"\n\tendpoint \"vpn.example:51820\"\n}\n",
	    E(4, "peer \"a\": endpoint \"vpn.example:51820\": host must be "
	    "an IP address") },
	{ "endpoint without port", ADDR "peer \"a\" {\n"
	    "\tpublic-key \"" KEY_A "\"\n\tendpoint \"192.0.2.1\"\n}\n",
	    E(4, "peer \"a\": endpoint \"192.0.2.1\": missing port") },
	{ "endpoint port 0", ADDR "peer \"a\" {\n"
	    "\tpublic-key \"" KEY_A "\"\n\tendpoint 192.0.2.1:0\n}\n",
	    E(4, "peer \"a\": endpoint \"192.0.2.1:0\": invalid port") },
	{ "endpoint v6 without brackets", ADDR "peer \"a\" {\n"
	    "\tpublic-key \"" KEY_A "\"\n\tendpoint \"2001:db8::1:51820\"\n}\n",
	    E(4, "peer \"a\": endpoint \"2001:db8::1:51820\": IPv6 address "
	    "must be in brackets") },
	{ "endpoint bad address", ADDR "peer \"a\" {\n"
	    "\tpublic-key \"" KEY_A "\"\n\tendpoint \"192.0.2.256:1\"\n}\n",
	    E(4, "peer \"a\": endpoint \"192.0.2.256:1\": invalid address") },
	{ "endpoint twice", ADDR "peer \"a\" {\n"
	    "\tpublic-key \"" KEY_A "\"\n\tendpoint \"192.0.2.1:1\"\n"
	    "\tendpoint \"192.0.2.1:2\"\n}\n",
	    E(5, "peer \"a\": endpoint given twice") },
	{ "endpoint of two peers", ADDR
	    "peer \"a\" {\n\tpublic-key \"" KEY_A "\"\n"
	    "\tendpoint \"[2001:db8::1]:51820\"\n}\n"
	    "peer \"b\" {\n\tpublic-key \"" KEY_B "\"\n"
	    "\tendpoint [2001:DB8:0::1]:51820\n}\n",
	    E(8, "peer \"b\": endpoint [2001:db8::1]:51820 already used by "
	    "peer \"a\"") },
	{ "keepalive too large", ADDR "peer \"a\" {\n"
	    "\tpublic-key \"" KEY_A "\"\n\tpersistent-keepalive 65536\n}\n",
	    E(4, "peer \"a\": persistent-keepalive 65536 out of range "
	    "(1-65535)") },
	{ "keepalive twice", ADDR "peer \"a\" {\n"
	    "\tpublic-key \"" KEY_A "\"\n\tpersistent-keepalive 1\n"
	    "\tpersistent-keepalive 2\n}\n",
	    E(5, "peer \"a\": persistent-keepalive given twice") },

	/* signal */
	{ "signal twice", ADDR SIG("a.example:7700") SIG("b.example:7700"),
	    E(3, "signal given twice") },
	{ "signal without key", ADDR "signal \"sig.example:7700\"\n",
	    E(2, "syntax error") },
	{ "signal key invalid", ADDR "signal sig.example:7700 key \"abc\"\n",
	    E(2, "signal \"sig.example:7700\": key is not base64 of 32 "
	    "bytes") },
	{ "signal key not Ed25519", ADDR "signal sig.example:7700 key \""
	    KEY_A "\"\n",
	    E(2, "signal \"sig.example:7700\": key is not a tern-signal "
	    "public key (tern-signal -k prints it)") },
	{ "network-lock not a key", ADDR SIG("a.example:7700")
	    "network-lock \"" KEY_A "\"\n",
	    E(3, "network-lock: not a lock key (ternctl lock keygen prints "
	    "it)") },
	{ "network-lock twice", ADDR SIG("a.example:7700")
	    "network-lock \"" KEY_D "\"\nnetwork-lock \"" KEY_D "\"\n",
	    E(4, "network-lock given twice") },
	{ "network-lock without signal", ADDR "network-lock \"" KEY_D "\"\n",
	    "ternd: " BAD_CONF ": network-lock without a signal line: it "
	    "guards the signal server's peers\n" },
	{ "signal without port", ADDR SIG("sig.example"),
	    E(2, "signal \"sig.example\": missing port") },
	{ "signal port 0", ADDR SIG("sig.example:0"),
	    E(2, "signal \"sig.example:0\": invalid port") },
	{ "signal port too large", ADDR SIG("sig.example:65536"),
	    E(2, "signal \"sig.example:65536\": invalid port") },
	{ "signal port not a number", ADDR SIG("sig.example:http"),
	    E(2, "signal \"sig.example:http\": invalid port") },
	{ "signal empty host", ADDR SIG(":7700"),
	    E(2, "signal \":7700\": missing host") },
	{ "signal bad address", ADDR SIG("192.0.2.256:7700"),
	    E(2, "signal \"192.0.2.256:7700\": invalid address") },
	{ "signal v6 without brackets", ADDR SIG("2001:db8::1:7700"),
	    E(2, "signal \"2001:db8::1:7700\": IPv6 address must be in "
	    "brackets") },
	{ "signal v6 without ]", ADDR SIG("[2001:db8::1:7700"),
	    E(2, "signal \"[2001:db8::1:7700\": missing ']'") },
	{ "signal v4 in brackets", ADDR SIG("[192.0.2.1]:7700"),
	    E(2, "signal \"[192.0.2.1]:7700\": invalid IPv6 address") },
	{ "signal bad host name", ADDR SIG("sig_nal.example:7700"),
	    E(2, "signal \"sig_nal.example:7700\": invalid host name") },
	{ "signal host name hyphen", ADDR SIG("-sig.example:7700"),
	    E(2, "signal \"-sig.example:7700\": invalid host name") },
	{ "signal empty label", ADDR SIG("sig..example:7700"),
	    E(2, "signal \"sig..example:7700\": invalid host name") },
	{ "signal label too long", ADDR SIG("abcdefghijklmnopqrstuvwxyzabcdef"
	    "ghijklmnopqrstuvwxyzabcdefghijkl.example:7700"),
	    E(2, "signal \"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz"
	    "abcdefghijkl.example:7700\": invalid host name") },

	/* lazy connections */
	{ "lazy-connections bad", ADDR "lazy-connections on\n",
	    E(2, "lazy-connections \"on\": expected yes or no") },
	{ "lazy-connections uppercase", ADDR "lazy-connections YES\n",
	    E(2, "lazy-connections \"YES\": expected yes or no") },
	{ "lazy-connections number", ADDR "lazy-connections 1\n",
	    E(2, "syntax error") },
	{ "lazy-connections empty", ADDR "lazy-connections\n",
	    E(2, "syntax error") },
	{ "lazy-connections twice", ADDR "lazy-connections yes\n"
	    "lazy-connections yes\n",
	    E(3, "lazy-connections given twice") },
	{ "lazy-connections bad then twice", ADDR "lazy-connections maybe\n"
	    "lazy-connections no\n",
	    E(2, "lazy-connections \"maybe\": expected yes or no")
	    E(3, "lazy-connections given twice") },
	{ "inactivity below minimum", ADDR "inactivity-threshold 30s\n",
	    E(2, "inactivity-threshold \"30s\": below the minimum of 1m") },
	{ "inactivity 59s", ADDR "inactivity-threshold 59s\n",
	    E(2, "inactivity-threshold \"59s\": below the minimum of 1m") },
	{ "inactivity 0 minutes", ADDR "inactivity-threshold 0\n",
	    E(2, "inactivity-threshold \"0\": below the minimum of 1m") },
	{ "inactivity negative", ADDR "inactivity-threshold -5\n",
	    E(2, "inactivity-threshold \"-5\": not a duration (like 90s, "
	    "15m, 1h, 1d, or minutes)") },
	{ "inactivity above maximum", ADDR "inactivity-threshold 8d\n",
	    E(2, "inactivity-threshold \"8d\": above the maximum of 7d") },
	{ "inactivity one past maximum", ADDR
	    "inactivity-threshold 604801s\n",
	    E(2, "inactivity-threshold \"604801s\": above the maximum of 7d") },
	{ "inactivity huge", ADDR "inactivity-threshold 99999999999999999999m\n",
	    E(2, "inactivity-threshold \"99999999999999999999m\": above the "
	    "maximum of 7d") },
	{ "inactivity not a duration", ADDR "inactivity-threshold \"15 m\"\n",
	    E(2, "inactivity-threshold \"15 m\": not a duration (like 90s, "
	    "15m, 1h, 1d, or minutes)") },
	{ "inactivity unit", ADDR "inactivity-threshold 1w\n",
	    E(2, "inactivity-threshold \"1w\": not a duration (like 90s, "
	    "15m, 1h, 1d, or minutes)") },
	{ "inactivity twice", ADDR "inactivity-threshold 15m\n"
	    "inactivity-threshold 20m\n",
	    E(3, "inactivity-threshold given twice") },
	{ "inactivity missing", ADDR "inactivity-threshold\n",
	    E(2, "syntax error") },
	{ "exclude invalid", ADDR "exclude \"a b\"\n",
	    E(2, "exclude \"a b\": invalid name") },
	{ "exclude empty", ADDR "exclude \"\"\n",
	    E(2, "exclude \"\": invalid name") },
	{ "exclude dotdot", ADDR "exclude \"..\"\n",
	    E(2, "exclude \"..\": invalid name") },
	{ "exclude too long", ADDR "exclude \"abcdefghijklmnopqrstuvwxyz"
	    "abcdefghijklmnopqrstuvwxyzabcdefghijkl\"\n",
	    E(2, "exclude \"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz"
	    "abcdefghijkl\": name too long (at most 63 characters)") },
	{ "exclude duplicate", ADDR "exclude a\nexclude b\nexclude \"a\"\n",
	    E(4, "exclude \"a\" given twice") },
	{ "exclude number", ADDR "exclude 5\n", E(2, "syntax error") },
	{ "exclude two names", ADDR "exclude a b\n", E(2, "syntax error") },

	/* relays */
	{ "relay without port", ADDR "relay \"stun.example\"\n",
	    E(2, "relay \"stun.example\": missing port") },
	{ "relay port 0", ADDR "relay \"stun.example:0\"\n",
	    E(2, "relay \"stun.example:0\": invalid port") },
	{ "relay v6 without brackets", ADDR "relay \"2001:db8::1:3478\"\n",
	    E(2, "relay \"2001:db8::1:3478\": IPv6 address must be in "
	    "brackets") },
	{ "relay bad host name", ADDR "relay \"st_un.example:3478\"\n",
	    E(2, "relay \"st_un.example:3478\": invalid host name") },
	{ "relay twice", ADDR "relay \"a.example:3478\"\n"
	    "relay \"A.Example:3478\"\n",
	    E(3, "relay \"A.Example:3478\": same relay as "
	    "\"a.example:3478\"") },
	{ "relay same address", ADDR "relay \"[2001:db8::1]:3478\"\n"
	    "relay \"[2001:DB8:0::1]:3478\"\n",
	    E(3, "relay \"[2001:DB8:0::1]:3478\": same relay as "
	    "\"[2001:db8::1]:3478\"") },
	{ "relay number", ADDR "relay 3478\n", E(2, "syntax error") },
	{ "too many relays", ADDR
	    "relay \"r0.example:3478\"\n"
	    "relay \"r1.example:3478\"\n"
	    "relay \"r2.example:3478\"\n"
	    "relay \"r3.example:3478\"\n"
	    "relay \"r4.example:3478\"\n"
	    "relay \"r5.example:3478\"\n"
	    "relay \"r6.example:3478\"\n"
	    "relay \"r7.example:3478\"\n"
	    "relay \"r8.example:3478\"\n"
	    "relay \"r9.example:3478\"\n"
	    "relay \"r10.example:3478\"\n"
	    "relay \"r11.example:3478\"\n"
	    "relay \"r12.example:3478\"\n"
	    "relay \"r13.example:3478\"\n"
	    "relay \"r14.example:3478\"\n"
	    "relay \"r15.example:3478\"\n"
	    "relay \"r16.example:3478\"\n"
	    ,
	    E(18, "too many relays (at most 16)") },

	/* relay credentials */
	{ "relay username alone", ADDR TURN " username \"u\"\n",
	    E(2, TURN_E "username without password") },
	{ "relay password alone", ADDR TURN " password \"p\"\n",
	    E(2, TURN_E "password without username") },
	{ "relay password-file alone", ADDR TURN " password-file /p\n",
	    E(2, TURN_E "password-file \"/p\": No such file or directory")
	    E(2, TURN_E "password without username") },
	{ "relay secret and long-term", ADDR TURN " secret \"s\" "
	    "username \"u\" password \"p\"\n",
	    E(2, TURN_E "secret and username or password exclude each "
	    "other") },
	{ "relay secret and password", ADDR TURN " password \"p\" "
	    "secret \"s\"\n",
	    E(2, TURN_E "secret and username or password exclude each "
	    "other") },
	{ "relay secret and username", ADDR TURN " username u secret s\n",
	    E(2, TURN_E "secret and username or password exclude each "
	    "other") },
	{ "relay realm alone", ADDR TURN " realm \"example.net\"\n",
	    E(2, TURN_E "realm without credentials") },
	{ "relay empty secret", ADDR TURN " secret \"\"\n",
	    E(2, TURN_E "secret is empty") },
	{ "relay empty username", ADDR TURN " username '' password p\n",
	    E(2, TURN_E "username is empty") },
	{ "relay empty password", ADDR TURN " username u password ''\n",
	    E(2, TURN_E "password is empty") },
	{ "relay empty realm", ADDR TURN " secret s realm \"\"\n",
	    E(2, TURN_E "realm is empty") },
	{ "relay secret with tab", ADDR TURN " secret \"a\tb\"\n",
	    E(2, TURN_E "secret is not printable ASCII") },
	{ "relay password with escape", ADDR TURN " username u "
	    "password \"a\033[0m\"\n",
	    E(2, TURN_E "password is not printable ASCII") },
	{ "relay username not ASCII", ADDR TURN " username \"j\xc3\xb6rg\" "
	    "password p\n",
	    E(2, TURN_E "username is not printable ASCII") },
	{ "relay realm with DEL", ADDR TURN " secret s realm \"a\x7f\"\n",
	    E(2, TURN_E "realm is not printable ASCII") },
	{ "relay secret twice", ADDR TURN " secret a secret b\n",
	    E(2, TURN_E "secret given twice") },
	{ "relay secret and secret-file", ADDR TURN " secret a "
	    "secret-file /s\n",
	    E(2, TURN_E "secret given twice") },
	{ "relay username twice", ADDR TURN " username a password p "
	    "username b\n",
	    E(2, TURN_E "username given twice") },
	{ "relay realm twice", ADDR TURN " secret s realm a realm a\n",
	    E(2, TURN_E "realm given twice") },
	{ "relay password and password-file", ADDR TURN " username u "
	    "password-file /p password p\n",
	    E(2, TURN_E "password-file \"/p\": No such file or directory")
	    E(2, TURN_E "password given twice") },
	{ "relay secret-file relative", ADDR TURN " secret-file \"s.key\"\n",
	    E(2, TURN_E "secret-file \"s.key\": path must be absolute") },
	{ "relay secret-file directory", ADDR TURN " secret-file /\n",
	    E(2, TURN_E "secret-file \"/\": not a regular file") },
	{ "relay password-file device", ADDR TURN " username u "
	    "password-file /dev/zero\n",
	    E(2, TURN_E "password-file \"/dev/zero\": not a regular file") },
	{ "relay secret without value", ADDR TURN " secret\nmtu 1\n",
	    E(2, "syntax error")
	    E(3, "mtu 1 out of range (1280-9000)") },
	{ "relay secret number", ADDR TURN " secret 1234\n",
	    E(2, "syntax error") },
	{ "relay options first", ADDR "relay secret s \"t.example:1\"\n",
	    E(2, "syntax error") },
	{ "relay bad address and credentials", ADDR
	    "relay \"t.example\" username u\n",
	    E(2, "relay \"t.example\": missing port")
	    E(2, "relay \"t.example\": username without password") },
	{ "relay credentials on later lines", ADDR
	    TURN " secret s\n"
	    "relay \"b.example:3478\" username u password p\n"
	    "relay \"c.example:3478\" password p\n"
	    "relay \"turn.example.net:3478\" secret s\n",
	    E(4, "relay \"c.example:3478\": password without username")
	    E(5, TURN_E "same relay as \"turn.example.net:3478\"") },
};

static char	*parse_capture(const char *, struct ternd_conf **);
static void	 check_bad(const char *, const char *, const char *);
static void	 check_conf_equal(const struct ternd_conf *,
		    const struct ternd_conf *);
static void	 check_relay_equal(const struct relay_entry *,
		    const struct relay_entry *);
static void	 check_roundtrip(const char *);
static void	 check_reload(const char *const *, size_t, const char *);
static struct tern_prefix pfx(const char *);
static int	 is_network(const char *);
static int	 contains(const char *, const char *);

/* Runs parse_config with fd 2 sent to a file; returns what it logged. */
static char *
parse_capture(const char *path, struct ternd_conf **confp)
{
	int	 saved;

	saved = test_stderr_begin("ternd");
	*confp = parse_config(path);
	return test_stderr_end(saved);
}

static void
check_bad(const char *name, const char *text, const char *want)
{
	struct ternd_conf	*conf;
	char			*got;

	test_write_file(BAD_CONF, text, strlen(text));
	got = parse_capture(BAD_CONF, &conf);
	ATF_CHECK_MSG(conf == NULL, "%s: parsed", name);
	conf_free(conf);
	ATF_CHECK_STREQ_MSG(want, got, "%s", name);
	free(got);
}

static struct tern_prefix
pfx(const char *s)
{
	struct tern_prefix	 p;
	const char		*errstr;

	ATF_REQUIRE_MSG(prefix_parse(s, &p, &errstr) == 0, "%s", s);
	return p;
}

static int
is_network(const char *s)
{
	struct tern_prefix	 p = pfx(s);

	return prefix_is_network(&p);
}

static int
contains(const char *outer, const char *inner)
{
	struct tern_prefix	 o = pfx(outer), i = pfx(inner);

	return prefix_contains(&o, &i);
}

static void
check_conf_equal(const struct ternd_conf *a, const struct ternd_conf *b)
{
	const struct peer_conf	*pa, *pb;
	const struct exclude_conf *ea, *eb;
	size_t			 i;

	ATF_CHECK_STREQ(a->ifname, b->ifname);
	ATF_CHECK_EQ(a->naddrs, b->naddrs);
	ATF_CHECK(memcmp(a->addrs, b->addrs, sizeof(a->addrs)) == 0);
	ATF_CHECK_EQ(a->mtu, b->mtu);
	ATF_CHECK_EQ(a->port, b->port);
	ATF_CHECK_EQ(a->peerport, b->peerport);
	ATF_CHECK_EQ(a->wg_backend, b->wg_backend);
	ATF_CHECK_STREQ(a->wg_path, b->wg_path);
	ATF_CHECK_STREQ(a->keydir, b->keydir);
	ATF_CHECK_EQ(a->naccept, b->naccept);
	ATF_CHECK(memcmp(a->accept, b->accept, sizeof(a->accept)) == 0);
	ATF_CHECK_EQ(a->npeers, b->npeers);
	for (pa = TAILQ_FIRST(&a->peers), pb = TAILQ_FIRST(&b->peers);
	    pa != NULL && pb != NULL;
	    pa = TAILQ_NEXT(pa, entry), pb = TAILQ_NEXT(pb, entry)) {
		ATF_CHECK_STREQ(pa->name, pb->name);
		ATF_CHECK(memcmp(pa->wgkey, pb->wgkey, KEY_LEN) == 0);
		ATF_CHECK_EQ(pa->nallowed, pb->nallowed);
		ATF_CHECK(memcmp(pa->allowed, pb->allowed,
		    sizeof(pa->allowed)) == 0);
		ATF_CHECK_EQ(pa->has_endpoint, pb->has_endpoint);
		if (pa->has_endpoint && pb->has_endpoint)
			ATF_CHECK(sockaddr_cmp(
			    (const struct sockaddr *)&pa->endpoint,
			    (const struct sockaddr *)&pb->endpoint) == 0);
		ATF_CHECK_EQ(pa->keepalive, pb->keepalive);
	}
	ATF_CHECK(pa == NULL && pb == NULL);
	ATF_CHECK_EQ(a->has_signal, b->has_signal);
	ATF_CHECK_STREQ(a->signal_host, b->signal_host);
	ATF_CHECK(memcmp(a->signal_key, b->signal_key, KEY_LEN) == 0);
	ATF_CHECK_EQ(a->has_lock, b->has_lock);
	ATF_CHECK(memcmp(a->lock_key, b->lock_key, KEY_LEN) == 0);
	ATF_CHECK_EQ(a->lazy, b->lazy);
	ATF_CHECK_EQ(a->inactivity, b->inactivity);
	ATF_CHECK_EQ(a->nexcludes, b->nexcludes);
	for (ea = TAILQ_FIRST(&a->excludes), eb = TAILQ_FIRST(&b->excludes);
	    ea != NULL && eb != NULL;
	    ea = TAILQ_NEXT(ea, entry), eb = TAILQ_NEXT(eb, entry))
		ATF_CHECK_STREQ(ea->name, eb->name);
	ATF_CHECK(ea == NULL && eb == NULL);
	ATF_CHECK_EQ(a->relays.n, b->relays.n);
	for (i = 0; i < a->relays.n && i < b->relays.n; i++)
		check_relay_equal(&a->relays.r[i], &b->relays.r[i]);
}

/*
 * A password or secret from the file itself prints as a mask, which
 * reads back as a value of its own: only its presence must match.
 */
static void
check_relay_equal(const struct relay_entry *a, const struct relay_entry *b)
{
	ATF_CHECK_STREQ(a->boot.addr, b->boot.addr);
	ATF_CHECK_STREQ(a->boot.username, b->boot.username);
	ATF_CHECK_STREQ(a->boot.realm, b->boot.realm);
	ATF_CHECK_STREQ(a->credfile, b->credfile);
	if (a->credfile[0] != '\0') {
		ATF_CHECK_STREQ(a->boot.password, b->boot.password);
		ATF_CHECK_STREQ(a->boot.secret, b->boot.secret);
		return;
	}
	ATF_CHECK_EQ(a->boot.password[0] == '\0', b->boot.password[0] == '\0');
	ATF_CHECK_EQ(a->boot.secret[0] == '\0', b->boot.secret[0] == '\0');
}

/* Parse, print, parse the print, print again: same text, same config. */
static void
check_roundtrip(const char *path)
{
	struct ternd_conf	*c1, *c2;
	char			*err;
	FILE			*f;

	err = parse_capture(path, &c1);
	ATF_REQUIRE_MSG(c1 != NULL, "%s: %s", path, err);
	free(err);
	ATF_REQUIRE((f = fopen("print1.conf", "w")) != NULL);
	print_config(f, c1);
	ATF_REQUIRE_EQ(fclose(f), 0);

	err = parse_capture("print1.conf", &c2);
	ATF_REQUIRE_MSG(c2 != NULL, "%s printed: %s", path, err);
	free(err);
	ATF_REQUIRE((f = fopen("print2.conf", "w")) != NULL);
	print_config(f, c2);
	ATF_REQUIRE_EQ(fclose(f), 0);

	test_same_text("print1.conf", "print2.conf", path);
	check_conf_equal(c1, c2);
	conf_free(c1);
	conf_free(c2);
}

/* Reloads between any two texts: refused with that message, or NULL: not. */
static void
check_reload(const char *const *texts, size_t n, const char *refused)
{
	struct ternd_conf	*confs[RELOAD_TEXTS_MAX];
	char			 msg[CTL_MSG_MAX], *err;
	size_t			 i, j;

	ATF_REQUIRE(n <= RELOAD_TEXTS_MAX);
	for (i = 0; i < n; i++) {
		test_write_file("reload.conf", texts[i], strlen(texts[i]));
		err = parse_capture("reload.conf", &confs[i]);
		ATF_REQUIRE_MSG(confs[i] != NULL, "%s", err);
		free(err);
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			msg[0] = '\0';
			if (i == j || refused == NULL) {
				ATF_CHECK_MSG(policy_conf_reloadable(confs[i],
				    confs[j], msg, sizeof(msg)) == 0,
				    "%zu to %zu: %s", i, j, msg);
				continue;
			}
			ATF_CHECK(policy_conf_reloadable(confs[i], confs[j],
			    msg, sizeof(msg)) == -1);
			ATF_CHECK_STREQ(refused, msg);
		}
	for (i = 0; i < n; i++)
		conf_free(confs[i]);
}

ATF_TC_WITHOUT_HEAD(prefix_parse_ok);
ATF_TC_BODY(prefix_parse_ok, tc)
{
	struct tern_prefix	 p;
	const char		*errstr;
	char			 buf[PREFIX_STRLEN];

	ATF_REQUIRE(prefix_parse("10.0.0.0/24", &p, &errstr) == 0);
	ATF_CHECK_EQ(p.af, AF_INET);
	ATF_CHECK_EQ(p.plen, 24);
	ATF_CHECK_EQ(ntohl(p.a.v4.s_addr), 0x0a000000U);
	ATF_CHECK_STREQ("10.0.0.0/24", prefix_str(&p, buf, sizeof(buf)));

	ATF_REQUIRE(prefix_parse("fd00::/64", &p, &errstr) == 0);
	ATF_CHECK_EQ(p.af, AF_INET6);
	ATF_CHECK_EQ(p.plen, 64);
	ATF_CHECK_STREQ("fd00::/64", prefix_str(&p, buf, sizeof(buf)));

	ATF_REQUIRE(prefix_parse("192.0.2.7", &p, &errstr) == 0);
	ATF_CHECK_EQ(p.plen, 32);
	ATF_CHECK_STREQ("192.0.2.7/32", prefix_str(&p, buf, sizeof(buf)));
	ATF_REQUIRE(prefix_parse("2001:DB8::1", &p, &errstr) == 0);
	ATF_CHECK_EQ(p.plen, 128);
	ATF_CHECK_STREQ("2001:db8::1/128", prefix_str(&p, buf, sizeof(buf)));
	ATF_REQUIRE(prefix_parse("0.0.0.0/0", &p, &errstr) == 0);
	ATF_CHECK_EQ(p.plen, 0);
	ATF_REQUIRE(prefix_parse("::/0", &p, &errstr) == 0);
	ATF_CHECK_EQ(p.af, AF_INET6);
}

ATF_TC_WITHOUT_HEAD(prefix_parse_bad);
ATF_TC_BODY(prefix_parse_bad, tc)
{
	static const struct {
		const char	*in;
		const char	*err;
	} bad[] = {
		{ "", "invalid address" },
		{ "/24", "invalid address" },
		{ "10.0.0/24", "invalid address" },
		{ "127.1", "invalid address" },
		{ "10.0.0.256/8", "invalid address" },
		{ "host.example/24", "invalid address" },
		{ "fd00:::1/64", "invalid address" },
		{ "10.0.0.0/", "invalid prefix length" },
		{ "10.0.0.0/33", "invalid prefix length" },
		{ "10.0.0.0/+8", "invalid prefix length" },
		{ "10.0.0.0/ 8", "invalid prefix length" },
		{ "10.0.0.0/0008", "invalid prefix length" },
		{ "10.0.0.0/8x", "invalid prefix length" },
		{ "fd00::/129", "invalid prefix length" },
		{ "fd00::/-1", "invalid prefix length" },
	};
	struct tern_prefix	 p;
	const char		*errstr;
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errstr = NULL;
		ATF_CHECK_MSG(prefix_parse(bad[i].in, &p, &errstr) == -1,
		    "\"%s\" parsed", bad[i].in);
		ATF_CHECK_STREQ_MSG(bad[i].err, errstr, "\"%s\"", bad[i].in);
	}
}

ATF_TC_WITHOUT_HEAD(prefix_ops);
ATF_TC_BODY(prefix_ops, tc)
{
	struct tern_prefix	 a, b;

	ATF_CHECK(is_network("10.0.0.0/8"));
	ATF_CHECK(!is_network("10.0.0.1/8"));
	ATF_CHECK(is_network("10.128.0.0/9"));
	ATF_CHECK(!is_network("10.64.0.0/9"));
	ATF_CHECK(is_network("0.0.0.0/0"));
	ATF_CHECK(!is_network("1.0.0.0/0"));
	ATF_CHECK(is_network("10.1.2.3/32"));
	ATF_CHECK(is_network("fd00::/64"));
	ATF_CHECK(!is_network("fd00::1/64"));
	ATF_CHECK(!is_network("fd00:0:0:1::/63"));
	ATF_CHECK(is_network("fd00::1/128"));

	ATF_CHECK(contains("10.77.0.0/24", "10.77.0.2/32"));
	ATF_CHECK(contains("10.77.0.0/24", "10.77.0.128/25"));
	ATF_CHECK(contains("10.77.0.0/24", "10.77.0.0/24"));
	ATF_CHECK(!contains("10.77.0.0/24", "10.77.1.0/32"));
	ATF_CHECK(!contains("10.77.0.0/24", "10.77.0.0/23"));
	ATF_CHECK(!contains("10.77.0.0/24", "::ffff:10.77.0.2"));
	ATF_CHECK(contains("10.64.0.0/10", "10.127.255.255"));
	ATF_CHECK(!contains("10.64.0.0/10", "10.128.0.0"));
	ATF_CHECK(contains("0.0.0.0/0", "203.0.113.9"));
	ATF_CHECK(contains("fd00::/8", "fdff::1"));
	ATF_CHECK(!contains("fd00::/8", "fe00::1"));
	ATF_CHECK(!contains("fd00::/8", "10.0.0.0/8"));
	ATF_CHECK(contains("::/0", "2001:db8::1"));

	a = pfx("10.0.0.0/8");
	b = pfx("10.0.0.0/8");
	ATF_CHECK_EQ(prefix_cmp(&a, &b), 0);
	b = pfx("10.0.0.0/16");
	ATF_CHECK_EQ(prefix_cmp(&a, &b), -1);
	ATF_CHECK_EQ(prefix_cmp(&b, &a), 1);
	b = pfx("9.0.0.0/8");
	ATF_CHECK_EQ(prefix_cmp(&a, &b), 1);
	b = pfx("::/0");
	ATF_CHECK_EQ(prefix_cmp(&a, &b), AF_INET < AF_INET6 ? -1 : 1);
}

ATF_TC_WITHOUT_HEAD(endpoint_ok);
ATF_TC_BODY(endpoint_ok, tc)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	const char		*errstr;
	char			 buf[ADDR_STRLEN];

	ATF_REQUIRE(endpoint_parse("192.0.2.1:51820", &ss, &errstr) == 0);
	ATF_CHECK_EQ(ss.ss_family, AF_INET);
	ATF_CHECK_EQ(ntohs(sin->sin_port), 51820);
	ATF_CHECK_EQ(ntohl(sin->sin_addr.s_addr), 0xc0000201U);
	ATF_CHECK_STREQ("192.0.2.1:51820",
	    sockaddr_str((struct sockaddr *)&ss, buf, sizeof(buf)));
	ATF_CHECK_EQ(sockaddr_len((struct sockaddr *)&ss),
	    sizeof(struct sockaddr_in));

	ATF_REQUIRE(endpoint_parse("[2001:DB8::1]:1", &ss, &errstr) == 0);
	ATF_CHECK_EQ(ss.ss_family, AF_INET6);
	ATF_CHECK_EQ(ntohs(sin6->sin6_port), 1);
	ATF_CHECK_STREQ("[2001:db8::1]:1",
	    sockaddr_str((struct sockaddr *)&ss, buf, sizeof(buf)));
	ATF_CHECK_EQ(sockaddr_len((struct sockaddr *)&ss),
	    sizeof(struct sockaddr_in6));

	ATF_REQUIRE(endpoint_parse("[::ffff:192.0.2.1]:65535", &ss,
	    &errstr) == 0);
	ATF_CHECK_EQ(ss.ss_family, AF_INET6);
	ATF_CHECK_EQ(ntohs(sin6->sin6_port), 65535);
}

ATF_TC_WITHOUT_HEAD(endpoint_bad);
ATF_TC_BODY(endpoint_bad, tc)
{
	static const struct {
		const char	*in;
		const char	*err;
	} bad[] = {
		{ "vpn.example:51820", "host must be an IP address" },
		{ "localhost:1", "host must be an IP address" },
		{ "192.0.2.1", "missing port" },
		{ "[2001:db8::1]", "missing port" },
		{ "[2001:db8::1]51820", "missing port" },
		{ "[2001:db8::1:51820", "missing ']'" },
		{ "2001:db8::1:51820", "IPv6 address must be in brackets" },
		{ "192.0.2.1:", "invalid port" },
		{ "192.0.2.1:0", "invalid port" },
		{ "192.0.2.1:65536", "invalid port" },
		{ "192.0.2.1:123456", "invalid port" },
		{ "192.0.2.1:+80", "invalid port" },
		{ "192.0.2.1:http", "invalid port" },
		{ "192.0.2.256:1", "invalid address" },
		{ "127.1:1", "invalid address" },
		{ ":1", "invalid address" },
		{ "[]:1", "invalid address" },
		{ "[192.0.2.1]:1", "invalid address" },
		{ "[vpn.example]:1", "invalid address" },
		{ "[2001:0db8:0000:0000:0000:0000:0000:0000:0000:0000:0001]"
		    ":51820", "too long" },
	};
	struct sockaddr_storage	 ss;
	const char		*errstr;
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errstr = NULL;
		ATF_CHECK_MSG(endpoint_parse(bad[i].in, &ss, &errstr) == -1,
		    "\"%s\" parsed", bad[i].in);
		ATF_CHECK_STREQ_MSG(bad[i].err, errstr, "\"%s\"", bad[i].in);
	}
}

ATF_TC_WITHOUT_HEAD(sockaddr_ops);
ATF_TC_BODY(sockaddr_ops, tc)
{
	struct sockaddr_storage	 a, b;
	struct sockaddr_in6	 v6;
	struct sockaddr		 unspec;
	const char		*errstr;
	char			 buf[ADDR_STRLEN];

	ATF_REQUIRE(endpoint_parse("192.0.2.1:5", &a, &errstr) == 0);
	ATF_REQUIRE(endpoint_parse("192.0.2.1:5", &b, &errstr) == 0);
	ATF_CHECK_EQ(sockaddr_cmp((struct sockaddr *)&a,
	    (struct sockaddr *)&b), 0);
	ATF_REQUIRE(endpoint_parse("192.0.2.1:6", &b, &errstr) == 0);
	ATF_CHECK_EQ(sockaddr_cmp((struct sockaddr *)&a,
	    (struct sockaddr *)&b), -1);
	ATF_REQUIRE(endpoint_parse("192.0.2.0:6", &b, &errstr) == 0);
	ATF_CHECK_EQ(sockaddr_cmp((struct sockaddr *)&a,
	    (struct sockaddr *)&b), 1);
	/* Port numbers compare as numbers, not as network-order bytes. */
	ATF_REQUIRE(endpoint_parse("192.0.2.1:256", &b, &errstr) == 0);
	ATF_CHECK_EQ(sockaddr_cmp((struct sockaddr *)&a,
	    (struct sockaddr *)&b), -1);
	ATF_REQUIRE(endpoint_parse("[::ffff:192.0.2.1]:5", &b, &errstr) == 0);
	ATF_CHECK(sockaddr_cmp((struct sockaddr *)&a,
	    (struct sockaddr *)&b) != 0);

	sockaddr_to_v6((struct sockaddr *)&a, &v6);
	ATF_CHECK_EQ(v6.sin6_family, AF_INET6);
	ATF_CHECK(IN6_IS_ADDR_V4MAPPED(&v6.sin6_addr));
	ATF_CHECK_EQ(sockaddr_cmp((struct sockaddr *)&v6,
	    (struct sockaddr *)&b), 0);
	/* A v4-mapped address is written as the IPv4 address it is. */
	ATF_CHECK_STREQ("192.0.2.1:5",
	    sockaddr_str((struct sockaddr *)&v6, buf, sizeof(buf)));

	ATF_REQUIRE(endpoint_parse("[2001:db8::9]:7", &a, &errstr) == 0);
	sockaddr_to_v6((struct sockaddr *)&a, &v6);
	ATF_CHECK_EQ(sockaddr_cmp((struct sockaddr *)&v6,
	    (struct sockaddr *)&a), 0);

	memset(&unspec, 0, sizeof(unspec));
	ATF_CHECK_EQ(sockaddr_len(&unspec), 0);
	ATF_CHECK_STREQ("unknown", sockaddr_str(&unspec, buf, sizeof(buf)));
}

ATF_TC_WITHOUT_HEAD(conf_defaults);
ATF_TC_BODY(conf_defaults, tc)
{
	struct ternd_conf	*conf;

	ATF_REQUIRE((conf = conf_new()) != NULL);
	ATF_CHECK_STREQ(TERND_IFNAME_DEFAULT, conf->ifname);
	ATF_CHECK_EQ(conf->mtu, TERND_MTU_DEFAULT);
	ATF_CHECK_EQ(conf->port, TERND_PORT_DEFAULT);
	ATF_CHECK_EQ(conf->peerport, TERND_PEERPORT_DEFAULT);
	ATF_CHECK_EQ(conf->wg_backend, WG_BACKEND_USERSPACE);
	ATF_CHECK_STREQ(TERND_WGGO, conf->wg_path);
	ATF_CHECK_STREQ(TERND_KEYDIR, conf->keydir);
	ATF_CHECK_EQ(conf->naddrs, 0);
	ATF_CHECK_EQ(conf->naccept, 0);
	ATF_CHECK(TAILQ_EMPTY(&conf->peers));
	ATF_CHECK(conf_peer_find(conf, "beta") == NULL);
	ATF_CHECK_EQ(conf->lazy, -1);
	ATF_CHECK_EQ(conf->inactivity, 0);
	ATF_CHECK(TAILQ_EMPTY(&conf->excludes));
	ATF_CHECK_EQ(conf->nexcludes, 0);
	conf_free(conf);
	conf_free(NULL);
}

ATF_TC_WITHOUT_HEAD(examples_parse);
ATF_TC_BODY(examples_parse, tc)
{
	struct ternd_conf	*conf;
	char			*err;
	size_t			 i;

	for (i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
		err = parse_capture(examples[i], &conf);
		ATF_CHECK_MSG(conf != NULL, "%s failed", examples[i]);
		ATF_CHECK_STREQ_MSG("", err, "%s", examples[i]);
		conf_free(conf);
		free(err);
	}
}

ATF_TC_WITHOUT_HEAD(example_fields);
ATF_TC_BODY(example_fields, tc)
{
	struct ternd_conf	*conf;
	struct peer_conf	*p;
	struct tern_prefix	 want;
	uint8_t			 key[KEY_LEN];
	char			*err, buf[ADDR_STRLEN];

	err = parse_capture(examples[0], &conf);
	ATF_REQUIRE_MSG(conf != NULL, "%s", err);
	free(err);
	ATF_CHECK_STREQ("tern0", conf->ifname);
	ATF_REQUIRE_EQ(conf->naddrs, 2);
	want = pfx("10.77.0.1/24");
	ATF_CHECK_EQ(prefix_cmp(&conf->addrs[0], &want), 0);
	want = pfx("fd77::1/64");
	ATF_CHECK_EQ(prefix_cmp(&conf->addrs[1], &want), 0);
	ATF_CHECK_EQ(conf->mtu, 1420);
	ATF_CHECK_EQ(conf->port, 51820);
	ATF_CHECK_EQ(conf->peerport, 51821);
	ATF_CHECK_STREQ("/usr/bin/wireguard-go", conf->wg_path);
	ATF_CHECK_STREQ("/etc/tern/keys", conf->keydir);
	ATF_CHECK_STREQ("/etc/ssl/certs/ca-certificates.crt", conf->tls_ca);
	ATF_REQUIRE_EQ(conf->naccept, 3);
	want = pfx("10.77.0.0/24");
	ATF_CHECK_EQ(prefix_cmp(&conf->accept[0], &want), 0);
	want = pfx("10.88.0.0/16");
	ATF_CHECK_EQ(prefix_cmp(&conf->accept[2], &want), 0);
	ATF_REQUIRE_EQ(conf->npeers, 2);

	ATF_REQUIRE((p = conf_peer_find(conf, "beta")) != NULL);
	ATF_CHECK(p == TAILQ_FIRST(&conf->peers));
	ATF_REQUIRE(key_from_b64(KEY_A, key) == 0);
	ATF_CHECK(memcmp(key, p->wgkey, KEY_LEN) == 0);
	ATF_REQUIRE_EQ(p->nallowed, 3);
	want = pfx("10.88.0.0/16");
	ATF_CHECK_EQ(prefix_cmp(&p->allowed[2], &want), 0);
	ATF_CHECK(p->has_endpoint);
	ATF_CHECK_STREQ("192.0.2.2:51820", p->endpoint_str);
	ATF_CHECK_STREQ("192.0.2.2:51820", sockaddr_str(
	    (struct sockaddr *)&p->endpoint, buf, sizeof(buf)));
	ATF_CHECK_EQ(p->keepalive, 0);

	ATF_REQUIRE((p = conf_peer_find(conf, "gamma")) != NULL);
	ATF_CHECK(!p->has_endpoint);
	ATF_CHECK_EQ(p->keepalive, 25);
	ATF_CHECK_EQ(p->nallowed, 2);
	ATF_CHECK(conf_peer_find(conf, "delta") == NULL);
	conf_free(conf);
}

ATF_TC_WITHOUT_HEAD(minimal_defaults);
ATF_TC_BODY(minimal_defaults, tc)
{
	struct ternd_conf	*conf;
	struct tern_prefix	 want;
	char			*err;

	err = parse_capture(examples[1], &conf);
	ATF_REQUIRE_MSG(conf != NULL, "%s", err);
	free(err);
	ATF_CHECK_STREQ(TERND_IFNAME_DEFAULT, conf->ifname);
	ATF_CHECK_EQ(conf->mtu, TERND_MTU_DEFAULT);
	ATF_CHECK_EQ(conf->port, TERND_PORT_DEFAULT);
	ATF_CHECK_EQ(conf->peerport, TERND_PEERPORT_DEFAULT);
	ATF_CHECK_STREQ(TERND_WGGO, conf->wg_path);
	ATF_CHECK_STREQ(TERND_KEYDIR, conf->keydir);
	ATF_CHECK_EQ(conf->npeers, 0);
	/* No accept line: the address's network is accepted. */
	ATF_REQUIRE_EQ(conf->naccept, 1);
	want = pfx("10.77.0.0/24");
	ATF_CHECK_EQ(prefix_cmp(&conf->accept[0], &want), 0);
	conf_free(conf);
}

ATF_TC_WITHOUT_HEAD(default_accept);
ATF_TC_BODY(default_accept, tc)
{
	static const char text[] =
	    "address 10.1.2.3/16\naddress 10.1.9.9/16\n"
	    "address fd00:1::5/64\naddress 192.0.2.1/32\n"
	    "peer p {\n\tpublic-key \"" KEY_A "\"\n"
	    "\tallowed-ips 10.1.200.0/24, fd00:1::/64, 192.0.2.1/32\n}\n";
	struct ternd_conf	*conf;
	struct tern_prefix	 want;
	char			*err;

	test_write_file(BAD_CONF, text, strlen(text));
	err = parse_capture(BAD_CONF, &conf);
	ATF_REQUIRE_MSG(conf != NULL, "%s", err);
	free(err);
	/* Two addresses of one network give one accept prefix. */
	ATF_REQUIRE_EQ(conf->naccept, 3);
	want = pfx("10.1.0.0/16");
	ATF_CHECK_EQ(prefix_cmp(&conf->accept[0], &want), 0);
	want = pfx("fd00:1::/64");
	ATF_CHECK_EQ(prefix_cmp(&conf->accept[1], &want), 0);
	want = pfx("192.0.2.1/32");
	ATF_CHECK_EQ(prefix_cmp(&conf->accept[2], &want), 0);
	conf_free(conf);
}

ATF_TC_WITHOUT_HEAD(macros_include);
ATF_TC_BODY(macros_include, tc)
{
	struct ternd_conf	*conf;
	struct peer_conf	*p;
	struct tern_prefix	 want;
	char			*err;

	err = parse_capture(examples[3], &conf);
	ATF_REQUIRE_MSG(conf != NULL, "%s", err);
	free(err);
	ATF_CHECK_STREQ("wg.tern_1-a", conf->ifname);
	ATF_CHECK_EQ(conf->mtu, 1400);
	ATF_CHECK_STREQ("/usr/local/bin/wireguard-go", conf->wg_path);
	ATF_CHECK_STREQ("/var/lib/tern", conf->keydir);
	ATF_REQUIRE_EQ(conf->naccept, 2);
	want = pfx("fd99::/48");
	ATF_CHECK_EQ(prefix_cmp(&conf->accept[1], &want), 0);
	/* Peers of the included file come in file order. */
	ATF_REQUIRE_EQ(conf->npeers, 3);
	p = TAILQ_FIRST(&conf->peers);
	ATF_CHECK_STREQ("delta", p->name);
	ATF_CHECK(p->has_endpoint);
	ATF_CHECK_STREQ("198.51.100.7:51820", p->endpoint_str);
	p = TAILQ_NEXT(p, entry);
	ATF_CHECK_STREQ("epsilon", p->name);
	ATF_REQUIRE_EQ(p->nallowed, 1);
	ATF_CHECK_EQ(prefix_cmp(&p->allowed[0], &want), 0);
	p = TAILQ_NEXT(p, entry);
	ATF_CHECK_STREQ("after-include", p->name);
	ATF_CHECK_EQ(p->nallowed, 2);
	conf_free(conf);
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
	struct ternd_conf	*conf;
	char			*err;

	err = parse_capture("missing.conf", &conf);
	ATF_CHECK(conf == NULL);
	ATF_CHECK_STREQ("ternd: missing.conf: No such file or directory\n",
	    err);
	free(err);
	err = parse_capture(".", &conf);
	ATF_CHECK(conf == NULL);
	ATF_CHECK_STREQ("ternd: .: not a regular file\n", err);
	free(err);
}

ATF_TC_WITHOUT_HEAD(include_errors);
ATF_TC_BODY(include_errors, tc)
{
	static const char inc[] =
	    "peer \"b\" {\n\tpublic-key \"" KEY_B "\"\n"
	    "\tallowed-ips 10.9.0.0/16\n\tpersistent-keepalive 0\n}\n";

	ATF_REQUIRE(mkdir("sub", 0700) == 0);
	test_write_file("sub/peers.inc", inc, strlen(inc));
	/* Errors name the included file; the main file's lines go on. */
	check_bad("include", ADDR "include \"sub/peers.inc\"\nmtu 1\n",
	    "ternd: sub/peers.inc:4: peer \"b\": persistent-keepalive 0 out "
	    "of range (1-65535)\n"
	    E(3, "mtu 1 out of range (1280-9000)")
	    "ternd: sub/peers.inc:1: peer \"b\": allowed-ips 10.9.0.0/16 is "
	    "outside every accept prefix\n");

	/* A relative include is found next to the including file. */
	test_write_file("sub/main.conf", ADDR "include \"peers.inc\"\n",
	    strlen(ADDR "include \"peers.inc\"\n"));
	check_bad("nested", ADDR "include \"sub/main.conf\"\n",
	    "ternd: sub/main.conf:1: duplicate address 10.77.0.1/24\n"
	    "ternd: sub/peers.inc:4: peer \"b\": persistent-keepalive 0 out "
	    "of range (1-65535)\n"
	    "ternd: sub/peers.inc:1: peer \"b\": allowed-ips 10.9.0.0/16 is "
	    "outside every accept prefix\n");
}

ATF_TC_WITHOUT_HEAD(nul_in_string);
ATF_TC_BODY(nul_in_string, tc)
{
	static const char text[] = ADDR "interface \"te\0rn\"\nmtu 1\n";
	struct ternd_conf	*conf;
	char			*err;

	test_write_file(BAD_CONF, text, sizeof(text) - 1);
	err = parse_capture(BAD_CONF, &conf);
	ATF_CHECK(conf == NULL);
	ATF_CHECK_STREQ(E(2, "NUL character in quoted string")
	    E(3, "mtu 1 out of range (1280-9000)"), err);
	free(err);
}

/* Each limit, and one past it. */
ATF_TC_WITHOUT_HEAD(limits);
ATF_TC_BODY(limits, tc)
{
	struct ternd_conf	*conf;
	uint8_t			 key[KEY_LEN];
	char			 b64[KEY_B64LEN];
	char			*text, *want, *p, *end, *word, *err;
	size_t			 i, len = TEXT_MAX;
	FILE			*f;

	ATF_REQUIRE((text = malloc(len)) != NULL);
	ATF_REQUIRE((want = malloc(TEST_CAPTURE_MAX)) != NULL);
	ATF_REQUIRE((word = malloc(PARSE_STRING_MAX + 1)) != NULL);
	end = text + len;

	/* accept */
	p = text + snprintf(text, len, ADDR);
	for (i = 0; i <= TERN_ACCEPT_MAX; i++)
		p += snprintf(p, end - p, "accept 10.%zu.0.0/16\n", i);
	snprintf(want, TEST_CAPTURE_MAX,
	    "ternd: %s:%d: too many accept prefixes "
	    "(at most %d)\n", BAD_CONF, TERN_ACCEPT_MAX + 2, TERN_ACCEPT_MAX);
	check_bad("accept", text, want);

	/* allowed-ips, all on one line */
	p = text + snprintf(text, len, ADDR "accept 10.0.0.0/8\n"
	    "peer \"a\" {\n\tpublic-key \"" KEY_A "\"\n"
	    "\tallowed-ips 10.0.0.0/32");
	for (i = 1; i <= TERN_ALLOWED_MAX; i++)
		p += snprintf(p, end - p, ", 10.0.0.%zu/32", i);
	snprintf(p, end - p, "\n}\n");
	snprintf(want, TEST_CAPTURE_MAX, "ternd: %s:5: peer \"a\": too many "
	    "allowed-ips (at most %d)\n", BAD_CONF, TERN_ALLOWED_MAX);
	check_bad("allowed-ips", text, want);

	/* macros: redefining one does not count */
	p = text + snprintf(text, len, ADDR "m0 = \"x\"\n");
	for (i = 0; i <= PARSE_MACROS_MAX; i++)
		p += snprintf(p, end - p, "m%zu = \"x\"\n", i);
	snprintf(want, TEST_CAPTURE_MAX, "ternd: %s:%d: too many macros "
	    "(at most %d)\n", BAD_CONF, PARSE_MACROS_MAX + 3,
	    PARSE_MACROS_MAX);
	check_bad("macros", text, want);

	/* macro names, defined and used */
	memset(word, 'm', PARSE_MACRO_NAME_MAX);
	word[PARSE_MACRO_NAME_MAX] = '\0';
	snprintf(text, len, ADDR "%s = \"x\"\nmtu $%s\n", word, word);
	snprintf(want, TEST_CAPTURE_MAX,
	    "ternd: %s:2: macro name too long (at most %d characters)\n"
	    "ternd: %s:3: macro name too long (at most %d characters)\n",
	    BAD_CONF, PARSE_MACRO_NAME_MAX - 1,
	    BAD_CONF, PARSE_MACRO_NAME_MAX - 1);
	check_bad("macro name", text, want);
	word[PARSE_MACRO_NAME_MAX - 1] = '\0';
	snprintf(text, len, ADDR "%s = \"1400\"\nmtu $%s\nmtu 1\n", word,
	    word);
	snprintf(want, TEST_CAPTURE_MAX, "ternd: %s:4: mtu given twice\n",
	    BAD_CONF);
	check_bad("longest macro name", text, want);

	/* strings, quoted and not */
	memset(word, 'a', PARSE_STRING_MAX);
	word[PARSE_STRING_MAX] = '\0';
	snprintf(text, len, ADDR "keys \"/%s\"\nkeys /%s\nmtu 1\n", word,
	    word);
	snprintf(want, TEST_CAPTURE_MAX,
	    "ternd: %s:2: string too long (at most %d characters)\n"
	    "ternd: %s:3: string too long (at most %d characters)\n"
	    "ternd: %s:4: mtu 1 out of range (1280-9000)\n",
	    BAD_CONF, PARSE_STRING_MAX - 1, BAD_CONF, PARSE_STRING_MAX - 1,
	    BAD_CONF);
	check_bad("string", text, want);

	/* paths */
	word[PATH_MAX] = '\0';
	snprintf(text, len, ADDR "keys \"/%s\"\nwireguard userspace /%s\n"
	    "include \"%s\"\n", word, word, word);
	snprintf(want, TEST_CAPTURE_MAX,
	    "ternd: %s:2: keys: path too long (at most %d characters)\n"
	    "ternd: %s:3: wireguard userspace: path too long "
	    "(at most %d characters)\n"
	    "ternd: %s:4: include: path too long (at most %d characters)\n",
	    BAD_CONF, PATH_MAX - 1, BAD_CONF, PATH_MAX - 1, BAD_CONF,
	    PATH_MAX - 1);
	check_bad("path", text, want);

	/* peers: one more than the limit, written straight to the file */
	ATF_REQUIRE((f = fopen(BAD_CONF, "w")) != NULL);
	fprintf(f, "%s", ADDR);
	for (i = 0; i <= TERN_PEERS_MAX; i++) {
		memset(key, 0, sizeof(key));
		memcpy(key, &i, sizeof(i));
		key_to_b64(key, b64);
		fprintf(f, "peer \"p%zu\" {\n\tpublic-key \"%s\"\n}\n", i, b64);
	}
	ATF_REQUIRE_EQ(fclose(f), 0);
	err = parse_capture(BAD_CONF, &conf);
	ATF_CHECK(conf == NULL);
	snprintf(want, TEST_CAPTURE_MAX, "ternd: %s:%d: too many peers "
	    "(at most %d)\n", BAD_CONF, 2 + 3 * TERN_PEERS_MAX, TERN_PEERS_MAX);
	ATF_CHECK_STREQ(want, err);
	free(err);

	/* exclude lines: the limit parses, one more does not */
	ATF_REQUIRE((f = fopen(BAD_CONF, "w")) != NULL);
	fprintf(f, "%s", ADDR);
	for (i = 0; i < TERN_EXCLUDE_MAX; i++)
		fprintf(f, "exclude \"p%zu\"\n", i);
	ATF_REQUIRE_EQ(fclose(f), 0);
	err = parse_capture(BAD_CONF, &conf);
	ATF_CHECK_STREQ("", err);
	ATF_REQUIRE(conf != NULL);
	ATF_CHECK_EQ(conf->nexcludes, TERN_EXCLUDE_MAX);
	conf_free(conf);
	free(err);
	ATF_REQUIRE((f = fopen(BAD_CONF, "a")) != NULL);
	fprintf(f, "exclude \"p0\"\nexclude \"one-more\"\n");
	ATF_REQUIRE_EQ(fclose(f), 0);
	err = parse_capture(BAD_CONF, &conf);
	ATF_CHECK(conf == NULL);
	snprintf(want, TEST_CAPTURE_MAX, "ternd: %s:%d: exclude \"p0\" given "
	    "twice\nternd: %s:%d: too many exclude lines (at most %d)\n",
	    BAD_CONF, 2 + TERN_EXCLUDE_MAX, BAD_CONF, 3 + TERN_EXCLUDE_MAX,
	    TERN_EXCLUDE_MAX);
	ATF_CHECK_STREQ(want, err);
	free(err);
	free(word);
	free(want);
	free(text);
}

/* Relay lines are kept verbatim, in order, and print back the same. */
ATF_TC_WITHOUT_HEAD(relay_ok);
ATF_TC_BODY(relay_ok, tc)
{
	static const char text[] = ADDR
	    "relay \"stun2.example:3478\"\n"
	    "relay \"192.0.2.7:3478\"\n"
	    "relay \"[2001:DB8::7]:3478\"\n"
	    "relay Stun1.Example:5349\n";
	static const char *const want[] = { "stun2.example:3478",
	    "192.0.2.7:3478", "[2001:DB8::7]:3478", "Stun1.Example:5349" };
	struct ternd_conf	*conf;
	char			*err;
	size_t			 i;

	test_write_file("relay.conf", text, strlen(text));
	err = parse_capture("relay.conf", &conf);
	ATF_CHECK_STREQ("", err);
	free(err);
	ATF_REQUIRE(conf != NULL);
	ATF_REQUIRE_EQ(conf->relays.n, 4);
	for (i = 0; i < 4; i++)
		ATF_CHECK_STREQ(want[i], conf->relays.r[i].boot.addr);
	conf_free(conf);
	check_roundtrip("relay.conf");
}

/* --relay: the same checks, messages naming the flag. */
ATF_TC_WITHOUT_HEAD(relay_flag);
ATF_TC_BODY(relay_flag, tc)
{
	static const struct {
		const char	*list;
		const char	*err;
	} bad[] = {
		{ "a.example:1,b.example", "--relay \"b.example\": missing "
		    "port" },
		{ "a.example:1,,b.example:1", "--relay \"a.example:1,,"
		    "b.example:1\": empty entry" },
		{ "a.example:1,", "--relay \"a.example:1,\": empty entry" },
		{ "a.example:1,A.EXAMPLE:1", "--relay \"A.EXAMPLE:1\": same "
		    "relay as \"a.example:1\"" },
		{ "[2001:db8::1:1", "--relay \"[2001:db8::1:1\": missing "
		    "']'" },
		{ "a:1,b:1,c:1,d:1,e:1,f:1,g:1,h:1,i:1,j:1,k:1,l:1,m:1,n:1,"
		    "o:1,p:1,q:1", "too many relays (at most 16)" },
	};
	struct relay_conf	 rc;
	char			 err[CTL_MSG_MAX + TERN_HOST_MAX];
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&rc, 0, sizeof(rc));
		err[0] = '\0';
		ATF_CHECK_MSG(conf_relay_list(&rc, bad[i].list, err,
		    sizeof(err)) == -1, "%s parsed", bad[i].list);
		ATF_CHECK_STREQ(bad[i].err, err);
	}
	memset(&rc, 0, sizeof(rc));
	ATF_REQUIRE(conf_relay_list(&rc, "[2001:db8::1]:3478,s.example:1",
	    err, sizeof(err)) == 0);
	ATF_REQUIRE(conf_relay_list(&rc, "192.0.2.1:3478", err,
	    sizeof(err)) == 0);
	ATF_REQUIRE(conf_relay_list(&rc, "", err, sizeof(err)) == 0);
	ATF_REQUIRE_EQ(rc.n, 3);
	ATF_CHECK_STREQ("[2001:db8::1]:3478", rc.r[0].boot.addr);
	ATF_CHECK_STREQ("s.example:1", rc.r[1].boot.addr);
	ATF_CHECK_STREQ("192.0.2.1:3478", rc.r[2].boot.addr);
}

/*
 * Each form of TURN credentials on a relay line; "ternd -n" prints the
 * line with the password or secret masked, and never the value.
 */
ATF_TC_WITHOUT_HEAD(relay_creds_ok);
ATF_TC_BODY(relay_creds_ok, tc)
{
	static const struct {
		const char	*text;
		const char	*username, *password, *secret, *realm;
		const char	*printed;
	} good[] = {
		{ TURN " secret \"Rest-Secret/1\"\n",
		    "", "", "Rest-Secret/1", "",
		    TURN " secret \"********\"\n" },
		{ TURN " username \"alice\" password \"pass word\"\n",
		    "alice", "pass word", "", "",
		    TURN " username \"alice\" password \"********\"\n" },
		{ TURN " secret S realm \"example.net\"\n",
		    "", "", "S", "example.net",
		    TURN " secret \"********\" realm \"example.net\"\n" },
		{ TURN " realm r password \"p\\\"q\" username u\n",
		    "u", "p\"q", "", "r",
		    TURN " username \"u\" password \"********\" realm \"r\"\n" },
		{ "s = \"from-a-macro\"\n" TURN " secret $s\n",
		    "", "", "from-a-macro", "",
		    TURN " secret \"********\"\n" },
		{ TURN " \\\n\tusername u \\\n\tpassword Cont-PW\n",
		    "u", "Cont-PW", "", "",
		    TURN " username \"u\" password \"********\"\n" },
		{ TURN "\n", "", "", "", "", TURN "\n" },
	};
	struct ternd_conf	*conf;
	const struct imsg_relay_boot *b;
	char			*err, *text, *printed;
	size_t			 i;
	FILE			*f;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ATF_REQUIRE(asprintf(&text, "%s%s", ADDR, good[i].text) != -1);
		test_write_file("creds.conf", text, strlen(text));
		err = parse_capture("creds.conf", &conf);
		ATF_CHECK_STREQ_MSG("", err, "%s", good[i].text);
		free(err);
		free(text);
		if (conf == NULL)
			continue;
		ATF_REQUIRE_EQ(conf->relays.n, 1);
		b = &conf->relays.r[0].boot;
		ATF_CHECK_STREQ("turn.example.net:3478", b->addr);
		ATF_CHECK_STREQ(good[i].username, b->username);
		ATF_CHECK_STREQ(good[i].password, b->password);
		ATF_CHECK_STREQ(good[i].secret, b->secret);
		ATF_CHECK_STREQ(good[i].realm, b->realm);
		ATF_CHECK_STREQ("", conf->relays.r[0].credfile);

		ATF_REQUIRE((f = fopen("print.conf", "w")) != NULL);
		print_config(f, conf);
		ATF_REQUIRE_EQ(fclose(f), 0);
		printed = test_read_file("print.conf");
		ATF_CHECK_MSG(strstr(printed, good[i].printed) != NULL,
		    "%s", printed);
		if (b->password[0] != '\0')
			ATF_CHECK_MSG(strstr(printed, b->password) == NULL,
			    "password printed: %s", printed);
		if (b->secret[0] != '\0')
			ATF_CHECK_MSG(strstr(printed, b->secret) == NULL,
			    "secret printed: %s", printed);
		free(printed);
		conf_free(conf);
		check_roundtrip("creds.conf");
	}
}

/* Each value at its limit, and one character more. */
ATF_TC_WITHOUT_HEAD(relay_creds_limits);
ATF_TC_BODY(relay_creds_limits, tc)
{
	static const struct {
		const char	*before;	/* the line up to the value */
		const char	*after;		/* and after it */
		size_t		 max;		/* with NUL */
		const char	*what;
	} field[] = {
		{ " username ", " password p", TERN_TURN_CRED_MAX, "username" },
		{ " username u password ", "", TERN_TURN_CRED_MAX, "password" },
		{ " secret ", "", TERN_TURN_SECRET_MAX, "secret" },
		{ " secret s realm ", "", TERN_TURN_CRED_MAX, "realm" },
	};
	struct ternd_conf	*conf;
	char			 value[TERN_TURN_SECRET_MAX + 1];
	char			*err, *text, *want;
	size_t			 i;

	for (i = 0; i < sizeof(field) / sizeof(field[0]); i++) {
		memset(value, 'v', field[i].max - 1);
		value[field[i].max - 1] = '\0';
		ATF_REQUIRE(asprintf(&text, ADDR TURN "%s\"%s\"%s\n",
		    field[i].before, value, field[i].after) != -1);
		test_write_file("limit.conf", text, strlen(text));
		free(text);
		err = parse_capture("limit.conf", &conf);
		ATF_CHECK_STREQ_MSG("", err, "%s", field[i].what);
		free(err);
		ATF_CHECK_MSG(conf != NULL, "%s at its limit", field[i].what);
		conf_free(conf);

		value[field[i].max - 1] = 'v';
		value[field[i].max] = '\0';
		ATF_REQUIRE(asprintf(&want, ADDR TURN "%s\"%s\"%s\n",
		    field[i].before, value, field[i].after) != -1);
		ATF_REQUIRE(asprintf(&text, E(2, TURN_E "%s is too long "
		    "(at most %zu characters)"), field[i].what,
		    field[i].max - 1) != -1);
		check_bad(field[i].what, want, text);
		free(text);
		free(want);
	}
}

/*
 * password-file and secret-file: the value is the file's first line,
 * from a file of ours that group and others can neither read nor write.
 */
ATF_TC_WITHOUT_HEAD(relay_cred_files);
ATF_TC_BODY(relay_cred_files, tc)
{
	static const struct {
		const char	*content;
		size_t		 len;
		const char	*value;	/* NULL: refused with why */
		const char	*why;
	} files[] = {
		{ "s3cret\n", 7, "s3cret", NULL },
		{ "s3cret\r\n", 8, "s3cret", NULL },
		{ "s3cret", 6, "s3cret", NULL },
		{ " spaced out ", 12, " spaced out ", NULL },
		{ "", 0, NULL, "is empty" },
		{ "\n", 1, NULL, "is empty" },
		{ "\r\n", 2, NULL, "is empty" },
		{ "two\nlines\n", 10, NULL, "is not printable ASCII" },
		{ "s3cret\n\n", 8, NULL, "is not printable ASCII" },
		{ "nul\0inside\n", 11, NULL, "is not printable ASCII" },
		{ "tab\tinside", 10, NULL, "is not printable ASCII" },
	};
	struct ternd_conf	*conf;
	char			 dir[PATH_MAX], path[PATH_MAX + 16];
	char			 big[TERN_TURN_SECRET_MAX + 4];
	char			*err, *text, *want;
	size_t			 i;

	ATF_REQUIRE(getcwd(dir, sizeof(dir)) != NULL);
	snprintf(path, sizeof(path), "%s/turn.secret", dir);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		test_write_file("turn.secret", files[i].content, files[i].len);
		ATF_REQUIRE(chmod("turn.secret", 0600) == 0);
		ATF_REQUIRE(asprintf(&text, ADDR TURN " secret-file \"%s\"\n",
		    path) != -1);
		if (files[i].value == NULL) {
			ATF_REQUIRE(asprintf(&want, E(2, TURN_E "secret-file "
			    "\"%s\" %s"), path, files[i].why) != -1);
			check_bad(files[i].content, text, want);
			free(want);
			free(text);
			continue;
		}
		test_write_file("file.conf", text, strlen(text));
		free(text);
		err = parse_capture("file.conf", &conf);
		ATF_CHECK_STREQ_MSG("", err, "%zu", i);
		free(err);
		if (conf == NULL)
			continue;
		ATF_CHECK_STREQ(files[i].value, conf->relays.r[0].boot.secret);
		ATF_CHECK_STREQ(path, conf->relays.r[0].credfile);
		conf_free(conf);
		/* The file's name is printed, and read again. */
		check_roundtrip("file.conf");
	}

	/* A password-file, read-only for its owner, with a realm. */
	test_write_file("turn.pass", "pa55\n", 5);
	ATF_REQUIRE(chmod("turn.pass", 0400) == 0);
	ATF_REQUIRE(asprintf(&text, ADDR TURN " username alice password-file "
	    "\"%s/turn.pass\" realm r\n", dir) != -1);
	test_write_file("file.conf", text, strlen(text));
	free(text);
	err = parse_capture("file.conf", &conf);
	ATF_CHECK_STREQ("", err);
	free(err);
	ATF_REQUIRE(conf != NULL);
	ATF_CHECK_STREQ("alice", conf->relays.r[0].boot.username);
	ATF_CHECK_STREQ("pa55", conf->relays.r[0].boot.password);
	ATF_CHECK_STREQ("r", conf->relays.r[0].boot.realm);
	conf_free(conf);
	check_roundtrip("file.conf");

	/* Longest value with its line end, and one character more. */
	memset(big, 'x', sizeof(big));
	memcpy(big + TERN_TURN_SECRET_MAX - 1, "\r\n", 2);
	test_write_file("turn.secret", big, TERN_TURN_SECRET_MAX + 1);
	ATF_REQUIRE(asprintf(&text, ADDR TURN " secret-file \"%s\"\n",
	    path) != -1);
	test_write_file("file.conf", text, strlen(text));
	err = parse_capture("file.conf", &conf);
	ATF_CHECK_STREQ("", err);
	free(err);
	ATF_REQUIRE(conf != NULL);
	ATF_CHECK_EQ(strlen(conf->relays.r[0].boot.secret),
	    TERN_TURN_SECRET_MAX - 1);
	conf_free(conf);
	memcpy(big + TERN_TURN_SECRET_MAX - 1, "x\n", 2);
	test_write_file("turn.secret", big, TERN_TURN_SECRET_MAX + 1);
	ATF_REQUIRE(asprintf(&want, E(2, TURN_E "secret-file \"%s\" is too "
	    "long (at most %d characters)"), path,
	    TERN_TURN_SECRET_MAX - 1) != -1);
	check_bad("secret-file too long", text, want);
	free(want);
	test_write_file("turn.secret", big, sizeof(big));
	ATF_REQUIRE(asprintf(&want, E(2, TURN_E "secret-file \"%s\" is too "
	    "long (at most %d characters)"), path,
	    TERN_TURN_SECRET_MAX - 1) != -1);
	check_bad("secret-file much too long", text, want);
	free(want);
	free(text);
}

/* A credential file that others may read or change is refused. */
ATF_TC_WITHOUT_HEAD(relay_cred_file_perms);
ATF_TC_BODY(relay_cred_file_perms, tc)
{
	static const mode_t	 open_modes[] = { 0640, 0604, 0620, 0602, 0610,
	    0644, 0666 };
	char			 dir[PATH_MAX], path[PATH_MAX + 16];
	char			 long_path[PATH_MAX + 1];
	char			*text, *want;
	const char		*other;
	size_t			 i;

	ATF_REQUIRE(getcwd(dir, sizeof(dir)) != NULL);
	snprintf(path, sizeof(path), "%s/turn.secret", dir);
	test_write_file("turn.secret", "s\n", 2);
	ATF_REQUIRE(asprintf(&text, ADDR TURN " secret-file \"%s\"\n",
	    path) != -1);
	for (i = 0; i < sizeof(open_modes) / sizeof(open_modes[0]); i++) {
		ATF_REQUIRE(chmod("turn.secret", open_modes[i]) == 0);
		ATF_REQUIRE(asprintf(&want, E(2, TURN_E "secret-file \"%s\": "
		    "mode %04o is too open, want 0600"), path,
		    (unsigned int)open_modes[i]) != -1);
		check_bad("open mode", text, want);
		free(want);
	}
	free(text);

	/* A symbolic link is not followed. */
	ATF_REQUIRE(chmod("turn.secret", 0600) == 0);
	ATF_REQUIRE(symlink(path, "link.secret") == 0);
	ATF_REQUIRE(asprintf(&text, ADDR TURN " secret-file \"%s/link.secret\"\n",
	    dir) != -1);
	ATF_REQUIRE(asprintf(&want, E(2, TURN_E "secret-file \"%s/link.secret\": "
	    "%s"), dir, strerror(ELOOP)) != -1);
	check_bad("symlink", text, want);
	free(want);
	free(text);

	/* Owned by another user: ours made theirs, or a file of root's. */
	if (geteuid() == 0) {
		ATF_REQUIRE(chown("turn.secret", OTHER_UID, -1) == 0);
		other = path;
	} else
		other = ROOT_FILE;
	ATF_REQUIRE(asprintf(&text, ADDR TURN " secret-file \"%s\"\n",
	    other) != -1);
	ATF_REQUIRE(asprintf(&want, E(2, TURN_E "secret-file \"%s\": owned "
	    "by uid %u, want uid %u"), other,
	    geteuid() == 0 ? OTHER_UID : 0, (unsigned int)geteuid()) != -1);
	check_bad("owner", text, want);
	free(want);
	free(text);

	/* A path of PATH_MAX characters. */
	memset(long_path, 'p', PATH_MAX);
	long_path[0] = '/';
	long_path[PATH_MAX] = '\0';
	ATF_REQUIRE(asprintf(&text, ADDR TURN " secret-file \"%s\"\n",
	    long_path) != -1);
	ATF_REQUIRE(asprintf(&want, E(2, TURN_E "secret-file: path too long "
	    "(at most %d characters)"), PATH_MAX - 1) != -1);
	check_bad("long path", text, want);
	free(want);
	free(text);
}

/* Relays and their credentials may change on reload. */
ATF_TC_WITHOUT_HEAD(relay_reload);
ATF_TC_BODY(relay_reload, tc)
{
	static const char *const texts[] = {
		ADDR,
		ADDR TURN "\n",
		ADDR TURN " secret a\n",
		ADDR TURN " secret b realm r\n",
		ADDR TURN " username u password p\n",
		ADDR "relay \"b.example:3478\" username u password p\n",
	};

	check_reload(texts, sizeof(texts) / sizeof(texts[0]), NULL);
}

/* The server may be an IPv4 or IPv6 literal or a DNS name. */
ATF_TC_WITHOUT_HEAD(signal_ok);
ATF_TC_BODY(signal_ok, tc)
{
	static const struct {
		const char	*text;
		const char	*host;
	} good[] = {
		{ SIG("sig.example:7700"), "sig.example:7700" },
		{ SIG("192.0.2.1:1"), "192.0.2.1:1" },
		{ SIG("[2001:db8::1]:65535"), "[2001:db8::1]:65535" },
		{ SIG("localhost:7700"), "localhost:7700" },
		{ "signal x-1.Example.ORG:7700 key \"" KEY_C "\"\n",
		    "x-1.Example.ORG:7700" },
		{ "s = \"sig.example:7700\"\nsignal $s key \"" KEY_C "\"\n",
		    "sig.example:7700" },
		{ SIG("sig.example:7700") "network-lock \"" KEY_D "\"\n",
		    "sig.example:7700" },
	};
	struct ternd_conf	*conf;
	uint8_t			 key[KEY_LEN];
	char			 host[TERN_HOST_MAX + 1];
	char			*err, *text;
	size_t			 i;

	ATF_REQUIRE(key_from_b64(KEY_C, key) == 0);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ATF_REQUIRE(asprintf(&text, "%s%s", ADDR, good[i].text) != -1);
		test_write_file("signal.conf", text, strlen(text));
		err = parse_capture("signal.conf", &conf);
		ATF_CHECK_STREQ_MSG("", err, "%s", good[i].text);
		if (conf != NULL) {
			ATF_CHECK_EQ(conf->has_signal, 1);
			ATF_CHECK_STREQ(good[i].host, conf->signal_host);
			ATF_CHECK(memcmp(conf->signal_key, key, KEY_LEN) == 0);
			ATF_CHECK_EQ(conf->has_lock,
			    strstr(good[i].text, "network-lock") != NULL);
			conf_free(conf);
			check_roundtrip("signal.conf");
		}
		free(err);
		free(text);
	}

	test_write_file("signal.conf", ADDR, strlen(ADDR));
	err = parse_capture("signal.conf", &conf);
	ATF_REQUIRE(conf != NULL);
	ATF_CHECK_EQ(conf->has_signal, 0);
	conf_free(conf);
	free(err);

	/* One character more than signal_host holds. */
	memset(host, 'a', sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	memcpy(host + sizeof(host) - 3, ":1", 2);
	ATF_REQUIRE(asprintf(&text, "%ssignal %s key \"%s\"\n", ADDR, host,
	    KEY_C) != -1);
	check_bad("signal too long", text,
	    E(2, "signal: host:port too long (at most 255 characters)"));
	free(text);
}

/* Changing the signal server or its key needs a restart. */
ATF_TC_WITHOUT_HEAD(signal_reload);
ATF_TC_BODY(signal_reload, tc)
{
	static const char *const texts[] = {
		ADDR,
		ADDR SIG("sig.example:7700"),
		ADDR SIG("sig.example:7701"),
		ADDR "signal sig.example:7700 key \"" KEY_D "\"\n",
	};

	check_reload(texts, sizeof(texts) / sizeof(texts[0]),
	    "signal changed: restart ternd to apply it");
}

ATF_TC_WITHOUT_HEAD(lock_reload);
ATF_TC_BODY(lock_reload, tc)
{
	static const char *const texts[] = {
		ADDR SIG("sig.example:7700"),
		ADDR SIG("sig.example:7700") "network-lock \"" KEY_D "\"\n",
		ADDR SIG("sig.example:7700") "network-lock \"" KEY_C "\"\n",
	};

	check_reload(texts, sizeof(texts) / sizeof(texts[0]),
	    "network-lock changed: restart ternd to apply it");
}

/* Every form of the lazy settings, read, printed and read back. */
ATF_TC_WITHOUT_HEAD(lazy_ok);
ATF_TC_BODY(lazy_ok, tc)
{
	static const struct {
		const char	*text;
		int		 lazy;
		uint32_t	 secs;
		const char	*printed;	/* NULL: nothing printed */
	} good[] = {
		{ "", -1, 0, NULL },
		{ "lazy-connections yes\n", 1, 0, "lazy-connections yes\n" },
		{ "lazy-connections no\n", 0, 0, "lazy-connections no\n" },
		{ "lazy-connections \"yes\"\n", 1, 0, "lazy-connections yes\n" },
		{ "l = \"no\"\nlazy-connections $l\n", 0, 0,
		    "lazy-connections no\n" },
		{ "inactivity-threshold 90s\n", -1, 90,
		    "inactivity-threshold 90s\n" },
		{ "inactivity-threshold 15m\n", -1, 15 * 60,
		    "inactivity-threshold 15m\n" },
		{ "inactivity-threshold 1h\n", -1, 3600,
		    "inactivity-threshold 1h\n" },
		{ "inactivity-threshold 15\n", -1, 15 * 60,
		    "inactivity-threshold 15m\n" },
		{ "inactivity-threshold 1\n", -1, TERN_INACTIVITY_MIN,
		    "inactivity-threshold 1m\n" },
		{ "inactivity-threshold 60s\n", -1, TERN_INACTIVITY_MIN,
		    "inactivity-threshold 1m\n" },
		{ "inactivity-threshold 7d\n", -1, TERN_INACTIVITY_MAX,
		    "inactivity-threshold 7d\n" },
		{ "inactivity-threshold 120m\n", -1, 7200,
		    "inactivity-threshold 2h\n" },
		{ "inactivity-threshold \"61s\"\n", -1, 61,
		    "inactivity-threshold 61s\n" },
		{ "t = 20\ninactivity-threshold $t\n", -1, 20 * 60,
		    "inactivity-threshold 20m\n" },
		{ "inactivity-threshold 1m\nlazy-connections yes\n", 1, 60,
		    "lazy-connections yes\ninactivity-threshold 1m\n" },
	};
	struct ternd_conf	*conf;
	char			*err, *text, *printed;
	size_t			 i;
	FILE			*f;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ATF_REQUIRE(asprintf(&text, "%s%s", ADDR, good[i].text) != -1);
		test_write_file("lazy.conf", text, strlen(text));
		err = parse_capture("lazy.conf", &conf);
		ATF_CHECK_STREQ_MSG("", err, "%s", good[i].text);
		free(err);
		free(text);
		if (conf == NULL)
			continue;
		ATF_CHECK_EQ_MSG(conf->lazy, good[i].lazy, "%s", good[i].text);
		ATF_CHECK_EQ_MSG(conf->inactivity, good[i].secs, "%s",
		    good[i].text);
		ATF_REQUIRE((f = fopen("print.conf", "w")) != NULL);
		print_config(f, conf);
		ATF_REQUIRE_EQ(fclose(f), 0);
		printed = test_read_file("print.conf");
		if (good[i].printed != NULL)
			ATF_CHECK_MSG(strstr(printed, good[i].printed) != NULL,
			    "%s printed as %s", good[i].text, printed);
		else
			ATF_CHECK_MSG(strstr(printed, "lazy-connections") ==
			    NULL && strstr(printed, "inactivity") == NULL,
			    "printed %s", printed);
		free(printed);
		conf_free(conf);
		check_roundtrip("lazy.conf");
	}
}

/* exclude lines keep their order; the names need not be static peers. */
ATF_TC_WITHOUT_HEAD(exclude_ok);
ATF_TC_BODY(exclude_ok, tc)
{
	static const char text[] = ADDR
	    "exclude \"db-1\"\n"
	    "peer \"db-1\" {\n\tpublic-key \"" KEY_A "\"\n}\n"
	    "exclude web.2\n"
	    "n = \"A_b-c\"\nexclude $n\n";
	static const char *const names[] = { "db-1", "web.2", "A_b-c" };
	static const char printed_excl[] =
	    "exclude \"db-1\"\nexclude \"web.2\"\nexclude \"A_b-c\"\n";
	struct ternd_conf	*conf;
	struct exclude_conf	*ex;
	char			*err, *printed;
	size_t			 i = 0;
	FILE			*f;

	test_write_file("exclude.conf", text, strlen(text));
	err = parse_capture("exclude.conf", &conf);
	ATF_REQUIRE_MSG(conf != NULL, "%s", err);
	ATF_CHECK_STREQ("", err);
	free(err);
	ATF_CHECK_EQ(conf->nexcludes, 3);
	TAILQ_FOREACH(ex, &conf->excludes, entry) {
		ATF_REQUIRE(i < sizeof(names) / sizeof(names[0]));
		ATF_CHECK_STREQ(names[i], ex->name);
		i++;
	}
	ATF_CHECK_EQ(i, 3);
	ATF_REQUIRE((f = fopen("print.conf", "w")) != NULL);
	print_config(f, conf);
	ATF_REQUIRE_EQ(fclose(f), 0);
	printed = test_read_file("print.conf");
	ATF_CHECK_MSG(strstr(printed, printed_excl) != NULL, "%s", printed);
	free(printed);
	conf_free(conf);
	check_roundtrip("exclude.conf");
}

/* The lazy settings may change on reload. */
ATF_TC_WITHOUT_HEAD(lazy_reload);
ATF_TC_BODY(lazy_reload, tc)
{
	static const char *const texts[] = {
		ADDR,
		ADDR "lazy-connections yes\n",
		ADDR "lazy-connections no\n",
		ADDR "inactivity-threshold 5m\n",
		ADDR "exclude a\nexclude b\n",
		ADDR "lazy-connections yes\ninactivity-threshold 1h\n"
		    "exclude b\n",
	};

	check_reload(texts, sizeof(texts) / sizeof(texts[0]), NULL);
}

ATF_TC_WITHOUT_HEAD(roundtrip);
ATF_TC_BODY(roundtrip, tc)
{
	static const char odd[] = ADDR
	    "keys \"/etc/te\\\"rn\\\\keys\\\\\"\n"
	    "wireguard userspace '/opt/wg go/wireguard-go'\n"
	    "tls-ca \"/etc/tern/relay ca.pem\"\n"
	    "peer \"x\" {\n\tpublic-key \"" KEY_C "\"\n}\n";
	struct ternd_conf	*conf;
	char			*err;
	size_t			 i;

	for (i = 0; i < sizeof(examples) / sizeof(examples[0]); i++)
		check_roundtrip(examples[i]);

	/* Quotes, backslashes and blanks in paths survive printing. */
	test_write_file("odd.conf", odd, strlen(odd));
	err = parse_capture("odd.conf", &conf);
	ATF_REQUIRE_MSG(conf != NULL, "%s", err);
	free(err);
	ATF_CHECK_STREQ("/etc/te\"rn\\keys\\", conf->keydir);
	ATF_CHECK_STREQ("/opt/wg go/wireguard-go", conf->wg_path);
	ATF_CHECK_STREQ("/etc/tern/relay ca.pem", conf->tls_ca);
	conf_free(conf);
	check_roundtrip("odd.conf");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, prefix_parse_ok);
	ATF_TP_ADD_TC(tp, prefix_parse_bad);
	ATF_TP_ADD_TC(tp, prefix_ops);
	ATF_TP_ADD_TC(tp, endpoint_ok);
	ATF_TP_ADD_TC(tp, endpoint_bad);
	ATF_TP_ADD_TC(tp, sockaddr_ops);
	ATF_TP_ADD_TC(tp, conf_defaults);
	ATF_TP_ADD_TC(tp, examples_parse);
	ATF_TP_ADD_TC(tp, example_fields);
	ATF_TP_ADD_TC(tp, minimal_defaults);
	ATF_TP_ADD_TC(tp, default_accept);
	ATF_TP_ADD_TC(tp, macros_include);
	ATF_TP_ADD_TC(tp, bad_configs);
	ATF_TP_ADD_TC(tp, missing_file);
	ATF_TP_ADD_TC(tp, include_errors);
	ATF_TP_ADD_TC(tp, nul_in_string);
	ATF_TP_ADD_TC(tp, limits);
	ATF_TP_ADD_TC(tp, signal_ok);
	ATF_TP_ADD_TC(tp, relay_ok);
	ATF_TP_ADD_TC(tp, relay_flag);
	ATF_TP_ADD_TC(tp, relay_creds_ok);
	ATF_TP_ADD_TC(tp, relay_creds_limits);
	ATF_TP_ADD_TC(tp, relay_cred_files);
	ATF_TP_ADD_TC(tp, relay_cred_file_perms);
	ATF_TP_ADD_TC(tp, relay_reload);
	ATF_TP_ADD_TC(tp, signal_reload);
	ATF_TP_ADD_TC(tp, lock_reload);
	ATF_TP_ADD_TC(tp, lazy_ok);
	ATF_TP_ADD_TC(tp, exclude_ok);
	ATF_TP_ADD_TC(tp, lazy_reload);
	ATF_TP_ADD_TC(tp, roundtrip);
	return atf_no_error();
}
