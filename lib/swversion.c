/* ternd engine: which of two dotted software versions is newer. */
#include <string.h>

#include "swversion.h"

#define SWVERSION_DIGITS	"0123456789"
#define SWVERSION_SEP		'.'	/* between components */

/* One component: its text, its length, whether it is all digits. */
struct swversion_comp {
	const char	*s;
	size_t		 len;
	int		 numeric;
};

static const char	*swversion_next(const char *, int *,
			    struct swversion_comp *);
static int		 swversion_comp_cmp(const struct swversion_comp *,
			    const struct swversion_comp *);

/* The component at s, or "0" once the version has ended (*done). */
static const char *
swversion_next(const char *s, int *done, struct swversion_comp *c)
{
	if (*done) {
		c->s = "0";
		c->len = 1;
		c->numeric = 1;
		return s;
	}
	c->s = s;
	c->len = strcspn(s, ".");
	c->numeric = c->len > 0 && strspn(s, SWVERSION_DIGITS) >= c->len;
	s += c->len;
	if (*s == SWVERSION_SEP)
		s++;
	else
		*done = 1;
	return s;
}

static int
swversion_comp_cmp(const struct swversion_comp *a,
    const struct swversion_comp *b)
{
	const char	*as = a->s, *bs = b->s;
	size_t		 alen = a->len, blen = b->len;
	int		 r;

	if (a->numeric != b->numeric)
		return a->numeric ? 1 : -1;
	if (a->numeric) {
		/* Without leading zeros the longer number is the larger. */
		for (; alen > 1 && *as == '0'; alen--)
			as++;
		for (; blen > 1 && *bs == '0'; blen--)
			bs++;
		if (alen != blen)
			return alen < blen ? -1 : 1;
	}
	if ((r = memcmp(as, bs, alen < blen ? alen : blen)) != 0)
		return r < 0 ? -1 : 1;
	return alen < blen ? -1 : alen > blen;
}

int
swversion_cmp(const char *a, const char *b)
{
	struct swversion_comp	 ca, cb;
	int			 adone = 0, bdone = 0, r;

	/* Each turn consumes a component of one version at least. */
	while (!adone || !bdone) {
		a = swversion_next(a, &adone, &ca);
		b = swversion_next(b, &bdone, &cb);
		if ((r = swversion_comp_cmp(&ca, &cb)) != 0)
			return r;
	}
	return 0;
}
