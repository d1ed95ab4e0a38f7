/*
 * tern-relay server (unprivileged): whether TURN may exchange datagrams
 * with a peer address, asked for each CreatePermission, ChannelBind and
 * Send.  The parent's config parser reads and prints the rules here.
 *
 * A TURN client chooses its peer, so without this check the relay would
 * carry a stranger's datagrams into its own host and networks: loopback
 * services, private networks, the cloud metadata address.  Those classes
 * are denied by default and the operator opens what the site needs, the
 * most specific prefix deciding.  The unspecified address, multicast and
 * the limited broadcast stay closed whatever the rules say.
 *
 * An IPv6 address that carries an IPv4 one (mapped, compatible, NAT64,
 * 6to4, Teredo) may be delivered to that IPv4 host, by the kernel or a
 * translator on the way, so the IPv4 host is judged too: coturn's
 * loopback check was passed by 0.0.0.0 and :: (CVE-2020-26262), then by
 * ::ffff:127.0.0.1.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "relay/peer_policy.h"

#define PEER_V4_BITS		32	/* an IPv4 host */
#define PEER_V6_BITS		128	/* an IPv6 host */
#define PEER_EMBED_MAX		RELAY_PEER_EMBED_MAX
/* Where an IPv4 address sits in an IPv6 one, and how it is written. */
#define PEER_TAIL_OFF		12	/* last 32 bits: RFC 4291, RFC 6052 */
#define PEER_6TO4_OFF		2	/* bits 16-47: RFC 3056 section 2 */
#define PEER_TEREDO_SRV_OFF	4	/* bits 32-63: RFC 4380 section 4 */
#define PEER_TEREDO_FLIP	0xff	/* client bits inverted: RFC 4380 4 */

/* Prefixes as bytes: an IPv4 address fills the union's first four. */
#define PEER_V4(b0, b1, b2, b3, len)	{ .af = AF_INET, .plen = (len), \
	    .a.v6.s6_addr = { (b0), (b1), (b2), (b3) } }
#define PEER_V6(len, ...)		{ .af = AF_INET6, .plen = (len), \
	    .a.v6.s6_addr = { __VA_ARGS__ } }

/* A class of addresses the relay does not reach unless told to. */
struct relay_peer_class {
	struct tern_prefix	 prefix;
	const char		*name;
	int			 never;		/* no rule can allow it */
};

/* An IPv6 form that carries an IPv4 address. */
struct relay_peer_embed {
	struct tern_prefix	 prefix;
	size_t			 off;	/* first byte of the IPv4 address */
	uint8_t			 flip;	/* XORed into each of its bytes */
};

static const struct relay_peer_class relay_peer_classes[] = {
	/* The relay has no business with these, whatever the rules say. */
	{ PEER_V4(0, 0, 0, 0, 32), "unspecified", 1 },	/* RFC 1122 3.2.1.3 */
	{ PEER_V4(224, 0, 0, 0, 4), "multicast", 1 },	/* RFC 5771 */
	{ PEER_V4(255, 255, 255, 255, 32), "broadcast", 1 }, /* RFC 919 7 */
	/* ::/128, RFC 4291 2.5.2 */
	{ PEER_V6(128, 0), "unspecified", 1 },
	/* ff00::/8, RFC 4291 2.7 */
	{ PEER_V6(8, 0xff), "multicast", 1 },

	{ PEER_V4(0, 0, 0, 0, 8), "this network", 0 },	/* RFC 1122 3.2.1.3 */
	{ PEER_V4(10, 0, 0, 0, 8), "private", 0 },	/* RFC 1918 */
	{ PEER_V4(172, 16, 0, 0, 12), "private", 0 },	/* RFC 1918 */
	{ PEER_V4(192, 168, 0, 0, 16), "private", 0 },	/* RFC 1918 */
	{ PEER_V4(100, 64, 0, 0, 10), "CGNAT", 0 },	/* RFC 6598 */
	{ PEER_V4(127, 0, 0, 0, 8), "loopback", 0 },	/* RFC 1122 3.2.1.3 */
	/* Holds the clouds' metadata service, 169.254.169.254. */
	{ PEER_V4(169, 254, 0, 0, 16), "link-local", 0 }, /* RFC 3927 */
	{ PEER_V4(192, 0, 0, 0, 24), "IETF protocol", 0 }, /* RFC 6890 */
	{ PEER_V4(198, 18, 0, 0, 15), "benchmarking", 0 }, /* RFC 2544 */
	{ PEER_V4(240, 0, 0, 0, 4), "reserved", 0 },	/* RFC 1112 4 */
	/* ::1/128, RFC 4291 2.5.3 */
	{ PEER_V6(128, [15] = 1), "loopback", 0 },
	/* fe80::/10, RFC 4291 2.5.6 */
	{ PEER_V6(10, 0xfe, 0x80), "link-local", 0 },
	/* fc00::/7, RFC 4193 */
	{ PEER_V6(7, 0xfc), "unique-local", 0 },
	/* fec0::/10, deprecated: RFC 3879 */
	{ PEER_V6(10, 0xfe, 0xc0), "site-local", 0 },
	/* 100::/64, RFC 6666 */
	{ PEER_V6(64, 0x01, 0x00), "discard", 0 },
};
#define PEER_NCLASSES	(sizeof(relay_peer_classes) / \
	    sizeof(relay_peer_classes[0]))

static const struct relay_peer_embed relay_peer_embeds[] = {
	/* ::ffff:0:0/96, IPv4-mapped: RFC 4291 2.5.5.2 */
	{ PEER_V6(96, [10] = 0xff, [11] = 0xff), PEER_TAIL_OFF, 0 },
	/* ::/96, IPv4-compatible: RFC 4291 2.5.5.1 */
	{ PEER_V6(96, 0), PEER_TAIL_OFF, 0 },
	/* 64:ff9b::/96, NAT64 well-known prefix: RFC 6052 2.1 */
	{ PEER_V6(96, 0x00, 0x64, 0xff, 0x9b), PEER_TAIL_OFF, 0 },
	/* 2002::/16, 6to4: RFC 3056 section 2 */
	{ PEER_V6(16, 0x20, 0x02), PEER_6TO4_OFF, 0 },
	/* 2001::/32, Teredo: the server, then the client */
	{ PEER_V6(32, 0x20, 0x01), PEER_TEREDO_SRV_OFF, 0 },
	{ PEER_V6(32, 0x20, 0x01), PEER_TAIL_OFF, PEER_TEREDO_FLIP },
};
#define PEER_NEMBEDS	(sizeof(relay_peer_embeds) / \
	    sizeof(relay_peer_embeds[0]))

static const char	*relay_peer_rule_word(int);
static size_t		 relay_peer_unwrap(const struct tern_prefix *,
			    struct tern_prefix *);
static int		 relay_peer_judge(const struct relay_peer_rule *,
			    size_t, const struct tern_prefix *, const char **);

static const char *
relay_peer_rule_word(int allow)
{
	return allow ? "allow-peer" : "deny-peer";
}

/* The IPv4 hosts that the IPv6 host v6 carries, in v4; returns how many. */
static size_t
relay_peer_unwrap(const struct tern_prefix *v6, struct tern_prefix *v4)
{
	const struct relay_peer_embed	*e;
	uint8_t				*b;
	size_t				 i, j, n = 0;

	/* ::/96 less :: and ::1, IPv6's own: RFC 4291 2.5.5.1 */
	if (IN6_IS_ADDR_UNSPECIFIED(&v6->a.v6) ||
	    IN6_IS_ADDR_LOOPBACK(&v6->a.v6))
		return 0;
	for (i = 0; i < PEER_NEMBEDS && n < PEER_EMBED_MAX; i++) {
		e = &relay_peer_embeds[i];
		if (!prefix_contains(&e->prefix, v6))
			continue;
		memset(&v4[n], 0, sizeof(v4[n]));
		v4[n].af = AF_INET;
		v4[n].plen = PEER_V4_BITS;
		b = (uint8_t *)&v4[n].a.v4;
		for (j = 0; j < sizeof(v4[n].a.v4); j++)
			b[j] = v6->a.v6.s6_addr[e->off + j] ^ e->flip;
		n++;
	}
	return n;
}

/* The IPv4 addresses an IPv6 address carries (NAT64, 6to4, Teredo...). */
size_t
relay_peer_embedded(const struct sockaddr_in6 *sin6,
    struct in_addr v4[RELAY_PEER_EMBED_MAX])
{
	struct tern_prefix	 host, inner[PEER_EMBED_MAX];
	size_t			 i, n;

	memset(&host, 0, sizeof(host));
	host.af = AF_INET6;
	host.plen = PEER_V6_BITS;
	host.a.v6 = sin6->sin6_addr;
	n = relay_peer_unwrap(&host, inner);
	for (i = 0; i < n; i++)
		v4[i] = inner[i].a.v4;
	return n;
}

/*
 * The verdict on one host: the longest prefix that holds it decides,
 * among the default classes and the rules together; a rule beats a
 * class as long, and a later rule an earlier one.
 */
static int
relay_peer_judge(const struct relay_peer_rule *rules, size_t nrules,
    const struct tern_prefix *host, const char **why)
{
	const struct relay_peer_class	*c;
	size_t				 i;
	int				 best = -1, allow = 1;

	*why = "global";
	for (i = 0; i < PEER_NCLASSES; i++) {
		c = &relay_peer_classes[i];
		if (!prefix_contains(&c->prefix, host))
			continue;
		if (c->never) {
			*why = c->name;
			return 0;
		}
		if (c->prefix.plen > best) {
			best = c->prefix.plen;
			allow = 0;
			*why = c->name;
		}
	}
	for (i = 0; i < nrules; i++) {
		if (!prefix_contains(&rules[i].prefix, host) ||
		    rules[i].prefix.plen < best)
			continue;
		best = rules[i].prefix.plen;
		allow = rules[i].allow != 0;
		*why = relay_peer_rule_word(allow);
	}
	return allow;
}

/*
 * 1 if the relay may exchange datagrams with sa, 0 if not; *why names
 * what decided: a class, "allow-peer" or "deny-peer".  An IPv6 address
 * with IPv4 ones inside is denied if any of them is denied.
 */
int
relay_peer_allowed(const struct relay_peer_rule *rules, size_t nrules,
    const struct sockaddr *sa, const char **why)
{
	const struct sockaddr_in	*sin = (const struct sockaddr_in *)sa;
	const struct sockaddr_in6	*sin6 = (const struct sockaddr_in6 *)sa;
	struct tern_prefix		 host, inner[PEER_EMBED_MAX];
	const char			*w;
	size_t				 i, ninner = 0;
	in_port_t			 port;

	memset(&host, 0, sizeof(host));
	switch (sa->sa_family) {
	case AF_INET:
		host.af = AF_INET;
		host.plen = PEER_V4_BITS;
		host.a.v4 = sin->sin_addr;
		port = sin->sin_port;
		break;
	case AF_INET6:
		host.af = AF_INET6;
		host.plen = PEER_V6_BITS;
		host.a.v6 = sin6->sin6_addr;
		port = sin6->sin6_port;
		ninner = relay_peer_unwrap(&host, inner);
		break;
	default:
		*why = "not IP";
		return 0;
	}
	if (port == 0) {
		*why = "port 0";
		return 0;
	}
	for (i = 0; i < ninner; i++)
		if (!relay_peer_judge(rules, nrules, &inner[i], why))
			return 0;
	if (!relay_peer_judge(rules, nrules, &host, &w)) {
		*why = w;
		return 0;
	}
	/* The IPv4 host that the datagram reaches names the verdict. */
	if (ninner == 0)
		*why = w;
	return 1;
}

/* "PREFIX" of an allow-peer (allow 1) or deny-peer line, in *rule. */
int
relay_peer_rule_parse(const char *text, int allow,
    struct relay_peer_rule *rule, const char **errstr)
{
	struct tern_prefix	 p;

	if (prefix_parse(text, &p, errstr) == -1)
		return -1;
	/* "10.1.2.3/8" means a host or a network: the operator says which. */
	if (!prefix_is_network(&p)) {
		*errstr = "host bits set";
		return -1;
	}
	memset(rule, 0, sizeof(*rule));
	rule->prefix = p;
	rule->allow = allow != 0;
	return 0;
}

void
relay_peer_rule_print(FILE *f, const struct relay_peer_rule *rule)
{
	char	 buf[PREFIX_STRLEN];

	fprintf(f, "%s %s\n", relay_peer_rule_word(rule->allow),
	    prefix_str(&rule->prefix, buf, sizeof(buf)));
}
