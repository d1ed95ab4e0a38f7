/* Durations ("90s", "15m", "1h", "2d", minutes) and sizes ("64K") in configs. */
#ifndef TERN_DURATION_H
#define TERN_DURATION_H

#include <stddef.h>
#include <stdint.h>

#define DURATION_STRLEN	24	/* "18446744073709551615" with a suffix, NUL */

/*
 * duration_parse stores the seconds s stands for in *secs and returns 0,
 * or writes why not into err (without s itself) and returns -1.  A number
 * without a unit is minutes.  size_parse does the same for bytes, with
 * the suffixes K, M and G (powers of 1024).  The _str functions write the
 * value in the largest unit that divides it, which the parsers read back.
 */
int		 duration_parse(const char *, uint32_t, uint32_t, uint32_t *,
		    char *, size_t);
const char	*duration_str(uint32_t, char *, size_t);
int		 size_parse(const char *, uint64_t, uint64_t, uint64_t *,
		    char *, size_t);
const char	*size_str(uint64_t, char *, size_t);

#endif
