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

#include "addr.h"
#include "relay/relay.h"


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

/* The addresses of one source (an IPv6 /64) share a bucket. */
static size_t
relay_rate_slot(const struct relay_rate *r, const struct sockaddr *sa)
{
	struct in6_addr	 src;
	uint8_t		 h[crypto_shorthash_BYTES];
	uint64_t	 v;

	sockaddr_source(sa, &src);
	crypto_shorthash(h, (const uint8_t *)&src, sizeof(src), r->key);
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
