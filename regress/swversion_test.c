/* Unit tests of swversion_cmp: the order of dotted software versions. */
#include <atf-c.h>

#include "swversion.h"

/* Two versions and how the first compares with the second. */
struct swversion_case {
	const char	*a;
	const char	*b;
	int		 want;
};

static const struct swversion_case swversion_cases[] = {
	{ "0.1.0", "0.1.0", 0 },
	{ "0.1.0", "0.1.10", -1 },
	{ "0.1.9", "0.1.10", -1 },
	{ "0.2", "0.1.10", 1 },
	{ "1.0.0", "0.99.99", 1 },
	/* A missing component is 0. */
	{ "1.2", "1.2.0", 0 },
	{ "1", "1.0.0.0", 0 },
	{ "1.2", "1.2.1", -1 },
	{ "0.1.0", "0.1", 0 },
	/* Leading zeros and numbers past any integer type. */
	{ "0.01", "0.1", 0 },
	{ "0.010", "0.9", 1 },
	{ "1.18446744073709551616", "1.18446744073709551615", 1 },
	{ "1.99999999999999999999999", "1.100000000000000000000000", -1 },
	/* Text is less than any number, and ordered byte by byte. */
	{ "1.0.0-rc1", "1.0.0", -1 },
	{ "1.0.rc1", "1.0.0", -1 },
	{ "1.x", "1", -1 },
	{ "1.a", "1.b", -1 },
	{ "1.ab", "1.a", 1 },
	{ "dev", "0", -1 },
	{ "dev", "dev", 0 },
	/* Empty is text: unknown is older than every release. */
	{ "", "0.1.0", -1 },
	{ "", "0", -1 },
	{ "", "", 0 },
	{ "1..2", "1.0.2", -1 },
	{ "1.", "1", -1 },
};

ATF_TC_WITHOUT_HEAD(order);
ATF_TC_BODY(order, tc)
{
	const struct swversion_case	*t;
	size_t				 i;

	for (i = 0; i < sizeof(swversion_cases) / sizeof(swversion_cases[0]);
	    i++) {
		t = &swversion_cases[i];
		ATF_CHECK_EQ_MSG(swversion_cmp(t->a, t->b), t->want,
		    "\"%s\" vs \"%s\": want %d", t->a, t->b, t->want);
		/* Swapped, the answer turns round. */
		ATF_CHECK_EQ_MSG(swversion_cmp(t->b, t->a), -t->want,
		    "\"%s\" vs \"%s\": want %d", t->b, t->a, -t->want);
	}
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, order);
	return atf_no_error();
}
