/*
 * The one monotonic clock of every tern process: timeouts, pacing,
 * rate limits and round trips are measured on it, never on the wall.
 */
#ifndef TERN_MONOTIME_H
#define TERN_MONOTIME_H

#include <stdint.h>

#define MONOTIME_MS_PER_S	1000		/* milliseconds in a second */
#define MONOTIME_US_PER_S	1000000		/* microseconds in a second */
#define MONOTIME_US_PER_MS	1000		/* microseconds in a millisecond */
#define MONOTIME_NS_PER_US	1000		/* nanoseconds in a microsecond */

uint64_t	 monotime_ms(void);
uint64_t	 monotime_us(void);

#endif
