/*
 * Unit tests of tern-relay's peer-address policy (relay/peer_policy.c):
 * an address and allow-peer/deny-peer lines in, a verdict and its reason
 * out, for each default class, each IPv6 form that carries IPv4, and
 * the order in which rules decide.
 */
#include <sys/socket.h>
#include <sys/un.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "addr.h"
#include "relay/peer_policy.h"

#define PORT		3478	/* any port but 0 */
#define JUNK		0xa5	/* fills a rule that must not change */
#define DENY		0
#define ALLOW		1
#define CHECK_PORT(rules, port, cases) \
	check((rules), (port), (cases), sizeof(cases) / sizeof((cases)[0]))
#define CHECK(rules, cases)	CHECK_PORT((rules), PORT, (cases))

struct verdict {
	const char	*addr;
	int		 allowed;
	const char	*why;
};

static void	 peer(struct sockaddr_storage *, const char *, uint16_t);
static int	 rule_line(const char *, const char *, const char **);
static size_t	 rules_make(struct relay_peer_rule *, const char *const *);
static void	 check(const char *const *, uint16_t, const struct verdict *,
		    size_t);
static void	 check_parse_error(const char *, const char *);

static const char *const	 no_rules[] = { NULL };

/* A test address literal and a port, as the TURN server gets them. */
static void
peer(struct sockaddr_storage *ss, const char *a, uint16_t port)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, a, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		return;
	}
	ATF_REQUIRE_MSG(inet_pton(AF_INET6, a, &sin6->sin6_addr) == 1,
	    "bad test address %s", a);
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
}

/* 1 if line is "word PREFIX", with *prefix pointing at PREFIX. */
static int
rule_line(const char *line, const char *word, const char **prefix)
{
	size_t	 len = strlen(word);

	if (strncmp(line, word, len) != 0 || line[len] != ' ')
		return 0;
	*prefix = line + len + 1;
	return 1;
}

/* "allow-peer PREFIX" and "deny-peer PREFIX" lines, NULL-terminated. */
static size_t
rules_make(struct relay_peer_rule *r, const char *const *lines)
{
	const char	*errstr, *p;
	size_t		 n;
	int		 allow;

	for (n = 0; lines[n] != NULL; n++) {
		ATF_REQUIRE(n < RELAY_PEER_RULES_MAX);
		if (rule_line(lines[n], "allow-peer", &p))
			allow = 1;
		else if (rule_line(lines[n], "deny-peer", &p))
			allow = 0;
		else
			atf_tc_fail("bad test rule %s", lines[n]);
		ATF_REQUIRE_MSG(relay_peer_rule_parse(p, allow, &r[n],
		    &errstr) == 0, "%s: %s", lines[n], errstr);
	}
	return n;
}

/* Under these lines, each address's verdict and reason are exactly v's. */
static void
check(const char *const *lines, uint16_t port, const struct verdict *v,
    size_t nv)
{
	struct relay_peer_rule	 r[RELAY_PEER_RULES_MAX];
	struct sockaddr_storage	 ss;
	const char		*why;
	size_t			 i, n;
	int			 got;

	n = rules_make(r, lines);
	for (i = 0; i < nv; i++) {
		peer(&ss, v[i].addr, port);
		why = "unset";
		got = relay_peer_allowed(r, n, (struct sockaddr *)&ss, &why);
		ATF_CHECK_EQ_MSG(got, v[i].allowed, "%s port %u: %s, want %s "
		    "(%s)", v[i].addr, port, got ? "allowed" : "denied",
		    v[i].allowed ? "allowed" : "denied", why);
		ATF_CHECK_STREQ_MSG(why, v[i].why, "%s port %u", v[i].addr,
		    port);
	}
}

ATF_TC_WITHOUT_HEAD(v4_classes);
ATF_TC_BODY(v4_classes, tc)
{
	static const struct verdict	 v[] = {
		{ "0.0.0.0", DENY, "unspecified" },
		{ "0.0.0.1", DENY, "this network" },
		{ "0.255.255.255", DENY, "this network" },
		{ "1.0.0.0", ALLOW, "global" },
		{ "9.255.255.255", ALLOW, "global" },
		{ "10.0.0.0", DENY, "private" },
		{ "10.255.255.255", DENY, "private" },
		{ "11.0.0.0", ALLOW, "global" },
		{ "172.15.255.255", ALLOW, "global" },
		{ "172.16.0.0", DENY, "private" },
		{ "172.31.255.255", DENY, "private" },
		{ "172.32.0.0", ALLOW, "global" },
		{ "192.168.0.1", DENY, "private" },
		{ "192.169.0.1", ALLOW, "global" },
		{ "100.63.255.255", ALLOW, "global" },
		{ "100.64.0.0", DENY, "CGNAT" },
		{ "100.127.255.255", DENY, "CGNAT" },
		{ "100.128.0.0", ALLOW, "global" },
		{ "127.0.0.1", DENY, "loopback" },
		{ "127.255.255.254", DENY, "loopback" },
		{ "169.254.169.254", DENY, "link-local" },
		{ "169.254.0.1", DENY, "link-local" },
		{ "169.255.0.1", ALLOW, "global" },
		{ "192.0.0.9", DENY, "IETF protocol" },
		{ "192.0.1.1", ALLOW, "global" },
		{ "198.17.255.255", ALLOW, "global" },
		{ "198.18.0.1", DENY, "benchmarking" },
		{ "198.19.255.255", DENY, "benchmarking" },
		{ "198.20.0.0", ALLOW, "global" },
		{ "223.255.255.255", ALLOW, "global" },
		{ "224.0.0.1", DENY, "multicast" },
		{ "239.255.255.250", DENY, "multicast" },
		{ "240.0.0.1", DENY, "reserved" },
		{ "255.255.255.254", DENY, "reserved" },
		{ "255.255.255.255", DENY, "broadcast" },
		{ "8.8.8.8", ALLOW, "global" },
		{ "192.0.2.1", ALLOW, "global" },
	};

	CHECK(no_rules, v);
}

ATF_TC_WITHOUT_HEAD(v6_classes);
ATF_TC_BODY(v6_classes, tc)
{
	static const struct verdict	 v[] = {
		{ "::", DENY, "unspecified" },
		{ "::1", DENY, "loopback" },
		{ "fe80::1", DENY, "link-local" },
		{ "febf:ffff::1", DENY, "link-local" },
		{ "fc00::1", DENY, "unique-local" },
		{ "fdff:ffff::1", DENY, "unique-local" },
		{ "fbff::1", ALLOW, "global" },
		{ "fec0::1", DENY, "site-local" },
		{ "feff::1", DENY, "site-local" },
		{ "ff00::1", DENY, "multicast" },
		{ "ff02::1", DENY, "multicast" },
		{ "ff0e::1:3", DENY, "multicast" },
		{ "100::", DENY, "discard" },
		{ "100::ffff:ffff:ffff:ffff", DENY, "discard" },
		{ "100:0:0:1::", ALLOW, "global" },
		{ "2001:db8::1", ALLOW, "global" },
		{ "2606:4700:4700::1111", ALLOW, "global" },
	};

	CHECK(no_rules, v);
}

/* Each IPv6 form that carries IPv4, with a denied and an allowed host. */
ATF_TC_WITHOUT_HEAD(v6_embedded);
ATF_TC_BODY(v6_embedded, tc)
{
	static const struct verdict	 v[] = {
		/* ::ffff:0:0/96, mapped */
		{ "::ffff:127.0.0.1", DENY, "loopback" },
		{ "::ffff:10.1.2.3", DENY, "private" },
		{ "::ffff:0.0.0.0", DENY, "unspecified" },
		{ "::ffff:8.8.8.8", ALLOW, "global" },
		/* ::/96, compatible; :: and ::1 are IPv6's own */
		{ "::10.1.2.3", DENY, "private" },
		{ "::0.0.0.2", DENY, "this network" },
		{ "::8.8.8.8", ALLOW, "global" },
		/* 64:ff9b::/96, NAT64 */
		{ "64:ff9b::169.254.169.254", DENY, "link-local" },
		{ "64:ff9b::7f00:1", DENY, "loopback" },
		{ "64:ff9b::8.8.8.8", ALLOW, "global" },
		/* 2002::/16, 6to4: bits 16-47 */
		{ "2002:7f00:1::1", DENY, "loopback" },
		{ "2002:a9fe:a9fe::1", DENY, "link-local" },
		{ "2002:808:808::1", ALLOW, "global" },
		{ "2003:7f00:1::1", ALLOW, "global" },
		/* 2001::/32, Teredo: server 8.8.8.8, client ~1.2.3.4 */
		{ "2001:0:808:808::fefd:fcfb", ALLOW, "global" },
		/* server 10.0.0.1 */
		{ "2001:0:a00:1::fefd:fcfb", DENY, "private" },
		/* client ~127.0.0.1 */
		{ "2001:0:808:808::80ff:fffe", DENY, "loopback" },
		/* client ~63.87.254.254, not the raw 192.168.1.1 */
		{ "2001:0:808:808::c0a8:101", ALLOW, "global" },
		/* near Teredo, not it */
		{ "2001:1:a00:1::fefd:fcfb", ALLOW, "global" },
	};

	CHECK(no_rules, v);
}

/* Operator rules of each family judge the carried IPv4 and the IPv6. */
ATF_TC_WITHOUT_HEAD(v6_embedded_rules);
ATF_TC_BODY(v6_embedded_rules, tc)
{
	static const char *const	 open10[] = {
		"allow-peer 10.0.0.0/8", NULL
	};
	static const struct verdict	 v_open10[] = {
		{ "::ffff:10.1.2.3", ALLOW, "allow-peer" },
		{ "::10.1.2.3", ALLOW, "allow-peer" },
		{ "64:ff9b::10.1.2.3", ALLOW, "allow-peer" },
		{ "2002:a01:203::1", ALLOW, "allow-peer" },
		{ "2001:0:a00:1::fefd:fcfb", ALLOW, "global" },
		{ "2001:0:a00:1::f5fe:fdfc", ALLOW, "allow-peer" },
		{ "::ffff:172.16.0.1", DENY, "private" },
	};
	static const char *const	 close8[] = {
		"deny-peer 8.8.8.0/24", NULL
	};
	static const struct verdict	 v_close8[] = {
		{ "::ffff:8.8.8.8", DENY, "deny-peer" },
		{ "2002:808:808::1", DENY, "deny-peer" },
		{ "2001:0:808:808::fefd:fcfb", DENY, "deny-peer" },
		{ "::ffff:8.8.4.4", ALLOW, "global" },
	};
	static const char *const	 close6to4[] = {
		"deny-peer 2002::/16", NULL
	};
	static const struct verdict	 v_close6to4[] = {
		{ "2002:808:808::1", DENY, "deny-peer" },
		{ "::ffff:8.8.8.8", ALLOW, "global" },
	};
	/* An IPv6 rule does not open an IPv4 class, nor an IPv4 rule ::1. */
	static const char *const	 wrong_family[] = {
		"allow-peer ::ffff:0:0/96", "allow-peer 127.0.0.0/8", NULL
	};
	static const struct verdict	 v_wrong_family[] = {
		{ "::ffff:10.1.2.3", DENY, "private" },
		{ "::ffff:127.0.0.1", ALLOW, "allow-peer" },
		{ "::1", DENY, "loopback" },
	};
	static const char *const	 open_v6_loopback[] = {
		"allow-peer ::1", NULL
	};
	static const struct verdict	 v_open_v6_loopback[] = {
		{ "::1", ALLOW, "allow-peer" },
		{ "::0.0.0.2", DENY, "this network" },
	};

	CHECK(open10, v_open10);
	CHECK(close8, v_close8);
	CHECK(close6to4, v_close6to4);
	CHECK(wrong_family, v_wrong_family);
	CHECK(open_v6_loopback, v_open_v6_loopback);
}

/* The longest prefix decides, whatever the order of the lines. */
ATF_TC_WITHOUT_HEAD(longest_prefix);
ATF_TC_BODY(longest_prefix, tc)
{
	static const char *const	 nested[] = {
		"allow-peer 10.0.0.0/8", "deny-peer 10.1.0.0/16",
		"allow-peer 10.1.2.0/24", NULL
	};
	static const char *const	 nested_reversed[] = {
		"allow-peer 10.1.2.0/24", "deny-peer 10.1.0.0/16",
		"allow-peer 10.0.0.0/8", NULL
	};
	static const struct verdict	 v_nested[] = {
		{ "10.9.9.9", ALLOW, "allow-peer" },
		{ "10.1.9.9", DENY, "deny-peer" },
		{ "10.1.2.3", ALLOW, "allow-peer" },
		{ "172.16.0.1", DENY, "private" },
		{ "8.8.8.8", ALLOW, "global" },
	};
	/* A default class longer than a rule still decides. */
	static const char *const	 everything[] = {
		"allow-peer 0.0.0.0/0", "allow-peer ::/0",
		"allow-peer 169.0.0.0/8", "allow-peer 169.254.0.0/17", NULL
	};
	static const struct verdict	 v_everything[] = {
		{ "8.8.8.8", ALLOW, "allow-peer" },
		{ "10.1.2.3", DENY, "private" },
		{ "127.0.0.1", DENY, "loopback" },
		{ "169.1.1.1", ALLOW, "allow-peer" },
		{ "169.254.1.1", ALLOW, "allow-peer" },
		{ "169.254.169.254", DENY, "link-local" },
		{ "fd00::1", DENY, "unique-local" },
		{ "2001:db8::1", ALLOW, "allow-peer" },
	};
	static const char *const	 holes[] = {
		"deny-peer 8.8.0.0/16", "deny-peer 2001:db8::/32",
		"allow-peer 8.8.8.8", "deny-peer 0.0.0.0/0",
		"allow-peer 127.0.0.0/8", NULL
	};
	static const struct verdict	 v_holes[] = {
		{ "8.8.4.4", DENY, "deny-peer" },
		{ "8.8.8.8", ALLOW, "allow-peer" },
		{ "1.1.1.1", DENY, "deny-peer" },
		{ "127.0.0.1", ALLOW, "allow-peer" },
		{ "10.1.2.3", DENY, "private" },
		{ "2001:db8::1", DENY, "deny-peer" },
		{ "2001:db9::1", ALLOW, "global" },
	};

	CHECK(nested, v_nested);
	CHECK(nested_reversed, v_nested);
	CHECK(everything, v_everything);
	CHECK(holes, v_holes);
}

/* Equal lengths: a rule beats the default, a later line an earlier. */
ATF_TC_WITHOUT_HEAD(equal_length);
ATF_TC_BODY(equal_length, tc)
{
	static const char *const	 defaults[] = {
		"allow-peer 127.0.0.0/8", "allow-peer fc00::/7",
		"allow-peer 169.254.0.0/16", "allow-peer 0.0.0.0/8",
		"allow-peer 240.0.0.0/4", NULL
	};
	static const struct verdict	 v_defaults[] = {
		{ "127.0.0.1", ALLOW, "allow-peer" },
		{ "fd12:3456::1", ALLOW, "allow-peer" },
		{ "169.254.169.254", ALLOW, "allow-peer" },
		{ "0.1.2.3", ALLOW, "allow-peer" },
		{ "255.255.255.254", ALLOW, "allow-peer" },
		{ "10.0.0.1", DENY, "private" },
	};
	static const char *const	 allow_then_deny[] = {
		"allow-peer 10.0.0.0/8", "deny-peer 10.0.0.0/8",
		"deny-peer 8.8.8.0/24", "allow-peer 8.8.8.0/24", NULL
	};
	static const struct verdict	 v_allow_then_deny[] = {
		{ "10.1.2.3", DENY, "deny-peer" },
		{ "8.8.8.8", ALLOW, "allow-peer" },
	};
	static const char *const	 deny_then_allow[] = {
		"deny-peer 10.0.0.0/8", "allow-peer 10.0.0.0/8",
		"allow-peer 8.8.8.0/24", "deny-peer 8.8.8.0/24", NULL
	};
	static const struct verdict	 v_deny_then_allow[] = {
		{ "10.1.2.3", ALLOW, "allow-peer" },
		{ "8.8.8.8", DENY, "deny-peer" },
	};

	CHECK(defaults, v_defaults);
	CHECK(allow_then_deny, v_allow_then_deny);
	CHECK(deny_then_allow, v_deny_then_allow);
}

/* No rule opens the unspecified address, multicast or the broadcast. */
ATF_TC_WITHOUT_HEAD(never_allowed);
ATF_TC_BODY(never_allowed, tc)
{
	static const char *const	 all[] = {
		"allow-peer 0.0.0.0/0", "allow-peer ::/0",
		"allow-peer 0.0.0.0/8", "allow-peer 0.0.0.0/32",
		"allow-peer 224.0.0.0/4", "allow-peer 224.0.0.1",
		"allow-peer 240.0.0.0/4", "allow-peer 255.255.255.255",
		"allow-peer ::", "allow-peer ff00::/8", "allow-peer ff02::1",
		NULL
	};
	static const struct verdict	 v[] = {
		{ "0.0.0.0", DENY, "unspecified" },
		{ "224.0.0.1", DENY, "multicast" },
		{ "239.255.255.250", DENY, "multicast" },
		{ "255.255.255.255", DENY, "broadcast" },
		{ "::", DENY, "unspecified" },
		{ "ff02::1", DENY, "multicast" },
		{ "ff05::1:3", DENY, "multicast" },
		{ "::ffff:0.0.0.0", DENY, "unspecified" },
		{ "::ffff:224.0.0.251", DENY, "multicast" },
		{ "64:ff9b::255.255.255.255", DENY, "broadcast" },
		{ "2002:e000:fb::1", DENY, "multicast" },
		/* Teredo client ~0.0.0.0 is the broadcast */
		{ "2001:0:808:808::", DENY, "broadcast" },
		/* next to them, the operator decides */
		{ "0.1.2.3", ALLOW, "allow-peer" },
		{ "255.255.255.254", ALLOW, "allow-peer" },
		{ "8.8.8.8", ALLOW, "allow-peer" },
		{ "2001:db8::1", ALLOW, "allow-peer" },
	};

	CHECK(all, v);
}

/* Port 0 is no peer, whatever the rules say; ports 1 to 65535 are. */
ATF_TC_WITHOUT_HEAD(port_zero);
ATF_TC_BODY(port_zero, tc)
{
	static const char *const	 all[] = {
		"allow-peer 0.0.0.0/0", "allow-peer ::/0",
		"allow-peer 10.0.0.0/8", NULL
	};
	static const struct verdict	 v_zero[] = {
		{ "8.8.8.8", DENY, "port 0" },
		{ "10.1.2.3", DENY, "port 0" },
		{ "2001:db8::1", DENY, "port 0" },
		{ "::ffff:8.8.8.8", DENY, "port 0" },
	};
	static const struct verdict	 v_any[] = {
		{ "8.8.8.8", ALLOW, "allow-peer" },
		{ "2001:db8::1", ALLOW, "allow-peer" },
	};

	CHECK_PORT(all, 0, v_zero);
	CHECK_PORT(all, 1, v_any);
	CHECK_PORT(all, UINT16_MAX, v_any);
}

ATF_TC_WITHOUT_HEAD(not_ip);
ATF_TC_BODY(not_ip, tc)
{
	struct sockaddr_un	 sun;
	const char		*why = "unset";

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	ATF_CHECK_EQ(relay_peer_allowed(NULL, 0, (struct sockaddr *)&sun,
	    &why), 0);
	ATF_CHECK_STREQ(why, "not IP");
}

ATF_TC_WITHOUT_HEAD(rule_parse);
ATF_TC_BODY(rule_parse, tc)
{
	static const struct {
		const char	*text;
		int		 allow;
		const char	*prefix;	/* as prefix_str prints it */
		int		 want_allow;
	} ok[] = {
		{ "10.0.0.0/8", 1, "10.0.0.0/8", 1 },
		{ "10.1.2.3", 0, "10.1.2.3/32", 0 },
		{ "10.1.2.3/32", 7, "10.1.2.3/32", 1 },
		{ "0.0.0.0/0", 1, "0.0.0.0/0", 1 },
		{ "2001:db8::1", 1, "2001:db8::1/128", 1 },
		{ "2001:DB8::/32", 0, "2001:db8::/32", 0 },
		{ "::/0", 1, "::/0", 1 },
	};
	struct relay_peer_rule	 r;
	char			 buf[PREFIX_STRLEN];
	const char		*errstr;
	size_t			 i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		ATF_REQUIRE_MSG(relay_peer_rule_parse(ok[i].text, ok[i].allow,
		    &r, &errstr) == 0, "%s: %s", ok[i].text, errstr);
		ATF_CHECK_STREQ(prefix_str(&r.prefix, buf, sizeof(buf)),
		    ok[i].prefix);
		ATF_CHECK_EQ_MSG(r.allow, ok[i].want_allow, "%s",
		    ok[i].text);
	}
}

/* A refused line leaves the rule as it was, with a short reason. */
static void
check_parse_error(const char *text, const char *want)
{
	struct relay_peer_rule	 r, before;
	const char		*errstr = "unset";

	memset(&r, JUNK, sizeof(r));
	memcpy(&before, &r, sizeof(before));
	ATF_CHECK_EQ_MSG(relay_peer_rule_parse(text, 1, &r, &errstr), -1,
	    "\"%s\" parsed", text);
	ATF_CHECK_STREQ_MSG(errstr, want, "\"%s\"", text);
	ATF_CHECK_MSG(memcmp(&r, &before, sizeof(r)) == 0,
	    "\"%s\" changed the rule", text);
}

ATF_TC_WITHOUT_HEAD(rule_parse_errors);
ATF_TC_BODY(rule_parse_errors, tc)
{
	check_parse_error("10.0.0.1/8", "host bits set");
	check_parse_error("10.64.0.0/9", "host bits set");
	check_parse_error("0.0.0.1/0", "host bits set");
	check_parse_error("fe80::1/10", "host bits set");
	check_parse_error("2001:db8::1/64", "host bits set");
	check_parse_error("10.0.0.0/33", "invalid prefix length");
	check_parse_error("::/129", "invalid prefix length");
	check_parse_error("10.0.0.0/", "invalid prefix length");
	check_parse_error("10.0.0.0/+8", "invalid prefix length");
	check_parse_error("10.0.0.0/8 ", "invalid prefix length");
	check_parse_error("10.0.0.0/8/8", "invalid prefix length");
	check_parse_error("", "invalid address");
	check_parse_error("example.com", "invalid address");
	check_parse_error("127.1", "invalid address");
	check_parse_error("[::1]", "invalid address");
	check_parse_error("10.0.0.0 /8", "invalid address");
}

/* Printed lines are what the config reads, and read back the same. */
ATF_TC_WITHOUT_HEAD(rule_print);
ATF_TC_BODY(rule_print, tc)
{
	static const char *const	 lines[] = {
		"allow-peer 10.0.0.0/8", "deny-peer 2001:db8::/32",
		"allow-peer 10.1.2.3", NULL
	};
	static const char		 want[] = "allow-peer 10.0.0.0/8\n"
	    "deny-peer 2001:db8::/32\n" "allow-peer 10.1.2.3/32\n";
	struct relay_peer_rule		 r[RELAY_PEER_RULES_MAX];
	struct relay_peer_rule		 again[RELAY_PEER_RULES_MAX];
	const char			*reread[RELAY_PEER_RULES_MAX + 1];
	char				*text, *line;
	size_t				 i, n, len;
	FILE				*f;

	n = rules_make(r, lines);
	ATF_REQUIRE((f = open_memstream(&text, &len)) != NULL);
	for (i = 0; i < n; i++)
		relay_peer_rule_print(f, &r[i]);
	ATF_REQUIRE(fclose(f) == 0);
	ATF_CHECK_STREQ(text, want);

	for (i = 0, line = strtok(text, "\n"); line != NULL;
	    line = strtok(NULL, "\n"))
		reread[i++] = line;
	reread[i] = NULL;
	ATF_REQUIRE_EQ(rules_make(again, reread), n);
	for (i = 0; i < n; i++) {
		ATF_CHECK(prefix_cmp(&again[i].prefix, &r[i].prefix) == 0);
		ATF_CHECK_EQ(again[i].allow, r[i].allow);
	}
	free(text);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, v4_classes);
	ATF_TP_ADD_TC(tp, v6_classes);
	ATF_TP_ADD_TC(tp, v6_embedded);
	ATF_TP_ADD_TC(tp, v6_embedded_rules);
	ATF_TP_ADD_TC(tp, longest_prefix);
	ATF_TP_ADD_TC(tp, equal_length);
	ATF_TP_ADD_TC(tp, never_allowed);
	ATF_TP_ADD_TC(tp, port_zero);
	ATF_TP_ADD_TC(tp, not_ip);
	ATF_TP_ADD_TC(tp, rule_parse);
	ATF_TP_ADD_TC(tp, rule_parse_errors);
	ATF_TP_ADD_TC(tp, rule_print);
	return atf_no_error();
}
