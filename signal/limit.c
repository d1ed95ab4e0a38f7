/*
 * server: the limits that protect tern-signal from its clients.  The
 * handshake rate per source in a table of token buckets, the count
 * of connections per source (an IPv4 address or an IPv6 /64), and log
 * lines that a flood cannot multiply.
 */
#include <sys/tree.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <sodium.h>

#include "log.h"
#include "monotime.h"
#include "server.h"

static int	 addr_cmp(struct addr_entry *, struct addr_entry *);
RB_GENERATE_STATIC(addr_tree, addr_entry, entry, addr_cmp)


static int
addr_cmp(struct addr_entry *a, struct addr_entry *b)
{
	return memcmp(&a->addr, &b->addr, sizeof(a->addr));
}

/*
 * One bucket per address in a fixed table.  An address that finds no
 * slot of its own takes a free one, a full one (the same as none) or,
 * when all are busy, the fullest: a flood of addresses can only hand
 * out fresh buckets, never grow the table.
 */
int
limit_hs(const struct sockaddr_in6 *sin6, uint32_t rate, uint64_t now_ms)
{
	struct hs_slot	*s, *best = NULL;
	struct in6_addr	 src;
	uint64_t	 h, level, best_level = 0;
	uint8_t		 out[crypto_shorthash_BYTES];
	size_t		 i, idx;

	sockaddr_source((const struct sockaddr *)sin6, &src);
	crypto_shorthash(out, (const uint8_t *)&src, sizeof(src),
	    server->hstab_key);
	memcpy(&h, out, sizeof(h));
	idx = h % SERVER_HSTAB_SIZE;
	for (i = 0; i < SERVER_HSTAB_PROBE; i++) {
		s = &server->hstab[(idx + i) % SERVER_HSTAB_SIZE];
		if (s->used && memcmp(&s->addr, &src, sizeof(s->addr)) == 0)
			return tokenbucket_take(&s->b, rate, rate, 1,
			    now_ms) ? 0 : -1;
		level = s->used ? tokenbucket_level(&s->b, rate, rate,
		    now_ms) :
		    UINT64_MAX;
		if (best == NULL || level > best_level) {
			best = s;
			best_level = level;
		}
	}
	best->used = 1;
	best->addr = src;
	tokenbucket_fill(&best->b, rate, now_ms);
	return tokenbucket_take(&best->b, rate, rate, 1, now_ms) ? 0 : -1;
}

/* NULL when the address has max connections already (or no memory). */
struct addr_entry *
limit_addr_get(const struct sockaddr_in6 *sin6, uint32_t max)
{
	struct addr_entry	 key, *ae;

	sockaddr_source((const struct sockaddr *)sin6, &key.addr);
	if ((ae = RB_FIND(addr_tree, &server->addrs, &key)) != NULL) {
		if (ae->count >= max)
			return NULL;
		ae->count++;
		return ae;
	}
	if (max == 0)
		return NULL;
	if ((ae = calloc(1, sizeof(*ae))) == NULL) {
		log_warn("connection table");
		return NULL;
	}
	ae->addr = key.addr;
	ae->count = 1;
	RB_INSERT(addr_tree, &server->addrs, ae);
	return ae;
}

void
limit_addr_put(struct addr_entry *ae)
{
	if (--ae->count > 0)
		return;
	RB_REMOVE(addr_tree, &server->addrs, ae);
	free(ae);
}

void
limit_log(struct loglimit *ll, const char *fmt, ...)
{
	va_list		 ap;
	uint64_t	 sec = monotime_ms() / SERVER_MS_PER_S;

	if (sec != ll->sec) {
		if (ll->dropped > 0)
			log_warnx("%u more lines like the next were not "
			    "logged in the last second", ll->dropped);
		ll->sec = sec;
		ll->lines = 0;
		ll->dropped = 0;
	}
	if (ll->lines >= SERVER_LOG_BURST) {
		ll->dropped++;
		return;
	}
	ll->lines++;
	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap);
	va_end(ap);
}
