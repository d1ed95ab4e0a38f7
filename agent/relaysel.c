/*
 * engine: relay list selection, pure functions of their inputs.  The
 * list is the bootstrap relays then the discovered ones; each agent
 * picks by a hash of its node key, so load spreads over the relays
 * without coordination, unless RTT probes show a much faster one.
 */
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "hostport.h"
#include "relaysel.h"

/*
 * Literals a relay list from tern-signal must not send us to: a server
 * there is not reachable from other sites, and a hostile server could
 * point agents at services on their own host or LAN.  ULA (fc00::/7) is
 * IPv6's private range (RFC 4193) and is dropped like RFC 1918.
 */
static const char *relaysel_local_nets[] = {
	"0.0.0.0/8",		/* RFC 1122 3.2.1.3: "this network" */
	"10.0.0.0/8",		/* RFC 1918 */
	"127.0.0.0/8",		/* RFC 1122: loopback */
	"169.254.0.0/16",	/* RFC 3927: link-local */
	"172.16.0.0/12",	/* RFC 1918 */
	"192.168.0.0/16",	/* RFC 1918 */
	"::/128",		/* RFC 4291 2.5.2: unspecified */
	"::1/128",		/* RFC 4291 2.5.3: loopback */
	"fc00::/7",		/* RFC 4193: unique local */
	"fe80::/10",		/* RFC 4291 2.5.6: link-local */
};
#define RELAYSEL_NLOCAL	(sizeof(relaysel_local_nets) / \
	    sizeof(relaysel_local_nets[0]))
#define RELAYSEL_V4MAPPED_OFF	12	/* RFC 4291 2.5.5.2: ::ffff:a.b.c.d */
#define RELAYSEL_V4_BITS	32	/* an IPv4 host */
#define RELAYSEL_V6_BITS	128	/* an IPv6 host */

static int	 relaysel_add(struct relaysel_list *, const char *);
static int	 relaysel_local_addr(const struct tern_prefix *);

/*
 * 1 if a is in one of relaysel_local_nets: the one rule for literals in
 * a relay list and for the addresses a relay name resolves to.
 */
static int
relaysel_local_addr(const struct tern_prefix *addr)
{
	struct tern_prefix	 a = *addr, net;
	const char		*errstr;
	size_t			 i;

	/* A v4-mapped address reaches the IPv4 host it embeds. */
	if (a.af == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&a.a.v6)) {
		memcpy(&a.a.v4, &addr->a.v6.s6_addr[RELAYSEL_V4MAPPED_OFF],
		    sizeof(a.a.v4));
		a.af = AF_INET;
		a.plen = RELAYSEL_V4_BITS;
	}
	for (i = 0; i < RELAYSEL_NLOCAL; i++) {
		if (prefix_parse(relaysel_local_nets[i], &net, &errstr) == 0 &&
		    prefix_contains(&net, &a))
			return 1;
	}
	return 0;
}

/* 1 if host is an IP literal in one of relaysel_local_nets. */
int
relaysel_local_literal(const char *host)
{
	struct tern_prefix	 a;
	const char		*errstr;

	if (prefix_parse(host, &a, &errstr) == -1 || strchr(host, '/'))
		return 0;
	return relaysel_local_addr(&a);
}

/* 1 if a resolved address (v4 as v4-mapped) is in relaysel_local_nets. */
int
relaysel_local_sa(const struct sockaddr_in6 *sa)
{
	struct tern_prefix	 a;

	memset(&a, 0, sizeof(a));
	a.af = AF_INET6;
	a.plen = RELAYSEL_V6_BITS;
	a.a.v6 = sa->sin6_addr;
	return relaysel_local_addr(&a);
}

/* The same server: same port, and the same address or name (any case). */
int
relaysel_same(const char *a, const char *b)
{
	char			 ha[HOSTPORT_HOST_MAX], hb[HOSTPORT_HOST_MAX];
	struct tern_prefix	 pa, pb;
	const char		*errstr;
	uint16_t		 porta, portb;

	if (hostport_parse(a, ha, &porta, &errstr) == -1 ||
	    hostport_parse(b, hb, &portb, &errstr) == -1)
		return strcmp(a, b) == 0;
	if (porta != portb)
		return 0;
	if (prefix_parse(ha, &pa, &errstr) == 0 &&
	    prefix_parse(hb, &pb, &errstr) == 0)
		return prefix_cmp(&pa, &pb) == 0;
	return strcasecmp(ha, hb) == 0;
}

/* The index of addr in l, or RELAYSEL_NONE. */
int
relaysel_find(const struct relaysel_list *l, const char *addr)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		if (relaysel_same(l->addrs[i], addr))
			return i;
	return RELAYSEL_NONE;
}

/* Appends addr unless it is listed: 1 if added, 0 if a duplicate. */
static int
relaysel_add(struct relaysel_list *l, const char *addr)
{
	if (relaysel_find(l, addr) != RELAYSEL_NONE)
		return 0;
	strlcpy(l->addrs[l->n++], addr, RELAYSEL_ADDR_MAX);
	return 1;
}

size_t
relaysel_merge(const char (*boot)[RELAYSEL_ADDR_MAX], size_t nboot,
    const char (*disc)[RELAYSEL_ADDR_MAX], size_t ndisc,
    struct relaysel_list *out)
{
	char		 host[HOSTPORT_HOST_MAX];
	const char	*errstr;
	uint16_t	 port;
	size_t		 i, dropped = 0;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < nboot && i < RELAYSEL_BOOTSTRAP_MAX; i++)
		relaysel_add(out, boot[i]);
	for (i = 0; i < ndisc && i < RELAYSEL_DISCOVERED_MAX; i++) {
		if (memchr(disc[i], '\0', RELAYSEL_ADDR_MAX) == NULL ||
		    hostport_parse(disc[i], host, &port, &errstr) == -1 ||
		    relaysel_local_literal(host)) {
			dropped++;
			continue;
		}
		relaysel_add(out, disc[i]);
	}
	return dropped;
}

/* FNV-1a, 32 bits (draft-eastlake-fnv): xor the byte, then multiply. */
uint32_t
relaysel_fnv32a(const uint8_t *p, size_t len)
{
	uint32_t	 h = RELAYSEL_FNV_OFFSET;
	size_t		 i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= RELAYSEL_FNV_PRIME;
	}
	return h;
}

/* The hash pick among n entries for this node key, or RELAYSEL_NONE. */
int
relaysel_pick(size_t n, const uint8_t *key, size_t keylen)
{
	if (n == 0)
		return RELAYSEL_NONE;
	return relaysel_fnv32a(key, keylen) % n;
}

/*
 * The entry to use given the hash pick and one probe per entry: the
 * fastest responder if the pick did not answer, or is both more than
 * RELAYSEL_RTT_FACTOR times and RELAYSEL_RTT_FLOOR_US slower; the pick
 * if nobody answered.  Without the floor, sub-millisecond jitter on a
 * fast network overrode the hash and piled agents on one relay; one
 * probe on Wi-Fi or a busy host jitters by a few ms, and a few ms more
 * on a tunnel's path do not pay for losing the spread (Firezone keeps
 * any relay within 1.5x of the best).
 */
int
relaysel_rtt_override(int pick, const struct relaysel_probe *probes,
    size_t n)
{
	size_t	 i, fastest = n;

	if (pick < 0 || (size_t)pick >= n)
		return pick;
	for (i = 0; i < n; i++)
		if (probes[i].answered && (fastest == n ||
		    probes[i].rtt_us < probes[fastest].rtt_us))
			fastest = i;
	if (fastest == n)
		return pick;
	if (!probes[pick].answered)
		return fastest;
	if ((uint64_t)probes[pick].rtt_us >
	    (uint64_t)RELAYSEL_RTT_FACTOR * probes[fastest].rtt_us &&
	    probes[pick].rtt_us - probes[fastest].rtt_us >=
	    RELAYSEL_RTT_FLOOR_US)
		return fastest;
	return pick;
}

/*
 * After a refresh: discovered says whether tern-signal answered, nl is
 * the merged new list, inuse the relay in use and oldhash the previous
 * hash pick ("" for none).  Keeping the pick otherwise keeps an RTT
 * override and the allocations on it.
 */
enum relaysel_refresh
relaysel_refresh_decision(int discovered, const struct relaysel_list *nl,
    const char *inuse, const char *oldhash, const uint8_t *key,
    size_t keylen)
{
	int	 pick;

	if (!discovered)
		return RELAYSEL_KEEP_LIST;
	pick = relaysel_pick(nl->n, key, keylen);
	if (*inuse != '\0' && relaysel_find(nl, inuse) == RELAYSEL_NONE)
		return RELAYSEL_SWAP;
	if (pick == RELAYSEL_NONE)
		return *oldhash == '\0' ? RELAYSEL_KEEP_PICK : RELAYSEL_SWAP;
	if (*oldhash == '\0' || !relaysel_same(nl->addrs[pick], oldhash))
		return RELAYSEL_SWAP;
	return RELAYSEL_KEEP_PICK;
}

/* Milliseconds before the first refresh, from a uniform random number. */
uint32_t
relaysel_first_delay_ms(uint32_t rnd)
{
	return rnd % RELAYSEL_FIRST_DELAY_MS;
}
