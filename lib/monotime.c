/*
 * CLOCK_MONOTONIC in milliseconds and microseconds, for every process
 * of ternd, tern-signal and tern-relay, parents and children alike.
 */
#include <stdint.h>
#include <time.h>

#include "monotime.h"

/* Round trips and the busy-listener check need microseconds. */
uint64_t
monotime_us(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * MONOTIME_US_PER_S +
	    (uint64_t)ts.tv_nsec / MONOTIME_NS_PER_US;
}

uint64_t
monotime_ms(void)
{
	return monotime_us() / MONOTIME_US_PER_MS;
}
