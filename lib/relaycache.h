/* relays.json: the engine's last relay list from tern-signal, for cold starts. */
#ifndef TERN_RELAYCACHE_H
#define TERN_RELAYCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "sigmsg.h"

/*
 * Format: one JSON object, at most RELAYCACHE_MAX bytes, with exactly
 *	addrs		["host:port"...], at most RELAYCACHE_ADDRS_MAX, each
 *			checked as hostport_parse checks ternd.conf's
 *	saved_at	integer 0..2^63-1, unix time it was written
 */
#define RELAYCACHE_FILE		"relays.json"
#define RELAYCACHE_ADDRS_MAX	SIGMSG_RELAYS_MAX  /* one relays message */
/* 64 entries of 255 bytes, quotes and commas, and room for the rest. */
#define RELAYCACHE_MAX		(32 * 1024)

struct relaycache {
	char		 addrs[RELAYCACHE_ADDRS_MAX][SIGMSG_HOST_MAX];
	size_t		 naddrs;
	int64_t		 saved_at;
};

/*
 * relaycache_parse fills out and returns 0, or writes why into err and
 * returns -1.  relaycache_encode returns a malloc'ed NUL-terminated text
 * of *len bytes, or NULL if out of memory or rc is out of bounds.
 */
int	 relaycache_parse(const char *, size_t, struct relaycache *, char *,
	    size_t);
char	*relaycache_encode(const struct relaycache *, size_t *);

#endif
