/*
 * Token buckets for tern-signal's server and tern-relay's servers:
 * message, handshake, answer and byte rates.  Time is the caller's
 * monotonic milliseconds; nothing here can overflow, whatever the rate.
 */
#include <stdint.h>

#include "tokenbucket.h"

static uint64_t	 tokenbucket_milli(uint64_t);

/* n tokens in thousandths; a rate too large to count is unlimited. */
static uint64_t
tokenbucket_milli(uint64_t n)
{
	return n > UINT64_MAX / TOKENBUCKET_MILLI ? UINT64_MAX :
	    n * TOKENBUCKET_MILLI;
}

/* A full bucket at now_ms: a first request always passes. */
void
tokenbucket_fill(struct tokenbucket *b, uint64_t burst, uint64_t now_ms)
{
	b->milli = tokenbucket_milli(burst);
	b->last_ms = now_ms;
}

/* The level in thousandths at now_ms; rate tokens/s is rate milli/ms. */
uint64_t
tokenbucket_level(const struct tokenbucket *b, uint64_t rate, uint64_t burst,
    uint64_t now_ms)
{
	uint64_t	 cap = tokenbucket_milli(burst), elapsed;

	if (b->milli >= cap)
		return cap;
	if (now_ms <= b->last_ms || rate == 0)
		return b->milli;
	elapsed = now_ms - b->last_ms;
	/* Compared by division: elapsed * rate is computed only if small. */
	if (elapsed > (cap - b->milli) / rate)
		return cap;
	return b->milli + elapsed * rate;
}

/* 1 if n tokens were taken at now_ms, 0 (and nothing taken) if not. */
int
tokenbucket_take(struct tokenbucket *b, uint64_t rate, uint64_t burst,
    uint64_t n, uint64_t now_ms)
{
	uint64_t	 want = tokenbucket_milli(n);

	b->milli = tokenbucket_level(b, rate, burst, now_ms);
	if (now_ms > b->last_ms)
		b->last_ms = now_ms;
	if (b->milli < want)
		return 0;
	b->milli -= want;
	return 1;
}

/* Gives back n tokens just taken, for what was not sent after all. */
void
tokenbucket_give(struct tokenbucket *b, uint64_t n)
{
	uint64_t	 add = tokenbucket_milli(n);

	b->milli = b->milli > UINT64_MAX - add ? UINT64_MAX : b->milli + add;
}
