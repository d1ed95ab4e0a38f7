/* Config parsers (ternd, tern-signal): durations ("15m") and sizes ("64K"). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "duration.h"

#define SECS_MINUTE	60
#define SECS_HOUR	3600
#define SECS_DAY	86400
#define SIZE_K		1024ULL
#define SIZE_M		(1024ULL * 1024)
#define SIZE_G		(1024ULL * 1024 * 1024)

struct unit {
	char		 suffix;	/* '\0': the unit of a bare number */
	uint64_t	 mult;
};

struct unit_table {
	const struct unit	*units;		/* largest first */
	size_t			 nunits;
	uint64_t		 bare;		/* multiplier without suffix */
	const char		*bad;		/* message for a bad value */
};

static const struct unit duration_units[] = {
	{ 'd', SECS_DAY },
	{ 'h', SECS_HOUR },
	{ 'm', SECS_MINUTE },
	{ 's', 1 },
};
static const struct unit_table durations = {
	duration_units, sizeof(duration_units) / sizeof(duration_units[0]),
	SECS_MINUTE, "not a duration (like 90s, 15m, 1h, 1d, or minutes)"
};

static const struct unit size_units[] = {
	{ 'G', SIZE_G },
	{ 'M', SIZE_M },
	{ 'K', SIZE_K },
	{ '\0', 1 },
};
static const struct unit_table sizes = {
	size_units, sizeof(size_units) / sizeof(size_units[0]),
	1, "not a size (like 16384, 64K, 16M or 1G)"
};

static int	 unit_parse(const struct unit_table *, const char *, uint64_t,
		    uint64_t, uint64_t *, char *, size_t);
static const char *unit_str(const struct unit_table *, uint64_t, char *,
		    size_t);

static int
unit_parse(const struct unit_table *t, const char *s, uint64_t min,
    uint64_t max, uint64_t *out, char *err, size_t errlen)
{
	char		 bound[DURATION_STRLEN];
	const char	*p;
	uint64_t	 v = 0, mult = t->bare;
	size_t		 i;
	int		 d, huge = 0;

	/* huge: the value does not fit in a uint64_t, so it is too large. */
	for (p = s; *p >= '0' && *p <= '9'; p++) {
		d = *p - '0';
		if (v > UINT64_MAX / 10 ||
		    (v == UINT64_MAX / 10 && d > (int)(UINT64_MAX % 10)))
			huge = 1;
		else if (!huge)
			v = v * 10 + d;
	}
	if (p == s)
		goto bad;
	if (*p != '\0') {
		for (i = 0; i < t->nunits; i++)
			if (t->units[i].suffix != '\0' &&
			    *p == t->units[i].suffix)
				break;
		if (i == t->nunits || p[1] != '\0')
			goto bad;
		mult = t->units[i].mult;
	}
	if (v > UINT64_MAX / mult)
		huge = 1;
	else
		v *= mult;
	if (!huge && v < min) {
		snprintf(err, errlen, "below the minimum of %s",
		    unit_str(t, min, bound, sizeof(bound)));
		return -1;
	}
	if (huge || v > max) {
		snprintf(err, errlen, "above the maximum of %s",
		    unit_str(t, max, bound, sizeof(bound)));
		return -1;
	}
	*out = v;
	return 0;

bad:
	snprintf(err, errlen, "%s", t->bad);
	return -1;
}

static const char *
unit_str(const struct unit_table *t, uint64_t v, char *buf, size_t len)
{
	size_t	 i;

	for (i = 0; i < t->nunits - 1; i++)
		if (v != 0 && v % t->units[i].mult == 0)
			break;
	if (t->units[i].suffix != '\0')
		snprintf(buf, len, "%llu%c",
		    (unsigned long long)(v / t->units[i].mult),
		    t->units[i].suffix);
	else
		snprintf(buf, len, "%llu", (unsigned long long)v);
	return buf;
}

int
duration_parse(const char *s, uint32_t min, uint32_t max, uint32_t *secs,
    char *err, size_t errlen)
{
	uint64_t	 v;

	if (unit_parse(&durations, s, min, max, &v, err, errlen) == -1)
		return -1;
	*secs = v;
	return 0;
}

const char *
duration_str(uint32_t secs, char *buf, size_t len)
{
	return unit_str(&durations, secs, buf, len);
}

int
size_parse(const char *s, uint64_t min, uint64_t max, uint64_t *bytes,
    char *err, size_t errlen)
{
	return unit_parse(&sizes, s, min, max, bytes, err, errlen);
}

const char *
size_str(uint64_t bytes, char *buf, size_t len)
{
	return unit_str(&sizes, bytes, buf, len);
}
