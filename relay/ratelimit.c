/*
 * tern-relay server (unprivileged): answers per second per source, in a
 * table of token buckets whose size is fixed when it is made.  Sources are
 * hashed with a secret key (SipHash), so a remote cannot choose
 * addresses that land in one victim's slot; sources that collide share
 * a bucket, and nothing is ever allocated per source.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "relay/relay.h"

/* One IPv6 site or host holds a /64: its addresses share a bucket. */
#define RATE_V6_PREFIX_BYTES	8

_Static_assert(RELAY_HASH_KEY_LEN == crypto_shorthash_KEYBYTES,
    "the rate table key is a SipHash key");

static size_t	 relay_rate_slot(const struct relay_rate *,
		    const struct sockaddr *);

int
relay_rate_init(struct relay_rate *r, size_t nslots, uint32_t rate,
    uint32_t burst, const uint8_t key[RELAY_HASH_KEY_LEN])
{
	size_t	 i;

	memset(r, 0, sizeof(*r));
	if (nslots == 0 || (r->slots = calloc(nslots,
	    sizeof(*r->slots))) == NULL)
		return -1;
	r->nslots = nslots;
	r->rate = rate;
	r->burst = burst;
	memcpy(r->key, key, sizeof(r->key));
	/* Full buckets: a first request is always answered. */
	for (i = 0; i < nslots; i++)
		tokenbucket_fill(&r->slots[i], r->burst, 0);
	return 0;
}

void
relay_rate_free(struct relay_rate *r)
{
	free(r->slots);
	sodium_memzero(r, sizeof(*r));
}

static size_t
relay_rate_slot(const struct relay_rate *r, const struct sockaddr *sa)
{
	uint8_t		 in[1 + RATE_V6_PREFIX_BYTES], h[crypto_shorthash_BYTES];
	uint64_t	 v;
	size_t		 n;

	in[0] = sa->sa_family;
	if (sa->sa_family == AF_INET) {
		n = sizeof(struct in_addr);
		memcpy(in + 1, &((const struct sockaddr_in *)sa)->sin_addr, n);
	} else {
		n = RATE_V6_PREFIX_BYTES;
		memcpy(in + 1,
		    ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr, n);
	}
	crypto_shorthash(h, in, 1 + n, r->key);
	memcpy(&v, h, sizeof(v));
	return v % r->nslots;
}

/* 1 if the source may have one more answer at now_ms (monotonic). */
int
relay_rate_allow(struct relay_rate *r, const struct sockaddr *sa,
    uint64_t now_ms)
{
	return tokenbucket_take(&r->slots[relay_rate_slot(r, sa)], r->rate,
	    r->burst, 1, now_ms);
}

/* 1 if two addresses are one source: an IPv4 address or an IPv6 /64. */
int
relay_same_source(const struct sockaddr *a, const struct sockaddr *b)
{
	if (a->sa_family != b->sa_family)
		return 0;
	if (a->sa_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		    ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	return memcmp(((const struct sockaddr_in6 *)a)->sin6_addr.s6_addr,
	    ((const struct sockaddr_in6 *)b)->sin6_addr.s6_addr,
	    RATE_V6_PREFIX_BYTES) == 0;
}
