/*
 * A token bucket: rate tokens a second, at most burst at once.  Shared
 * by tern-signal's server and tern-relay's server processes.
 */
#ifndef TERN_TOKENBUCKET_H
#define TERN_TOKENBUCKET_H

#include <stdint.h>

/* Levels count thousandths, so a slow rate still refills each millisecond. */
#define TOKENBUCKET_MILLI	1000

/* An all-zero bucket is empty and fills on its first use after time 0. */
struct tokenbucket {
	uint64_t	 milli;		/* thousandths of a token */
	uint64_t	 last_ms;	/* monotonic time of the last refill */
};

void	 tokenbucket_fill(struct tokenbucket *, uint64_t, uint64_t);
uint64_t tokenbucket_level(const struct tokenbucket *, uint64_t, uint64_t,
	    uint64_t);
int	 tokenbucket_take(struct tokenbucket *, uint64_t, uint64_t, uint64_t,
	    uint64_t);
void	 tokenbucket_give(struct tokenbucket *, uint64_t);

#endif
