/* Unit tests of lib/tokenbucket.c: refill, burst, give back, large rates. */
#include <stdint.h>

#include <atf-c.h>

#include "tokenbucket.h"

ATF_TC_WITHOUT_HEAD(burst_then_rate);
ATF_TC_BODY(burst_then_rate, tc)
{
	struct tokenbucket	 b;
	int			 i;

	/* 10 a second, 5 at once. */
	tokenbucket_fill(&b, 5, 1000);
	for (i = 0; i < 5; i++)
		ATF_CHECK(tokenbucket_take(&b, 10, 5, 1, 1000));
	ATF_CHECK(!tokenbucket_take(&b, 10, 5, 1, 1000));
	/* One token takes 100 ms. */
	ATF_CHECK(!tokenbucket_take(&b, 10, 5, 1, 1099));
	ATF_CHECK(tokenbucket_take(&b, 10, 5, 1, 1100));
	ATF_CHECK(!tokenbucket_take(&b, 10, 5, 1, 1100));
	/* A long pause refills no more than the burst. */
	for (i = 0; i < 5; i++)
		ATF_CHECK(tokenbucket_take(&b, 10, 5, 1, 100000));
	ATF_CHECK(!tokenbucket_take(&b, 10, 5, 1, 100000));
	/* A clock that seems to go back refills nothing. */
	ATF_CHECK(!tokenbucket_take(&b, 10, 5, 1, 50000));
}

ATF_TC_WITHOUT_HEAD(slow_rate);
ATF_TC_BODY(slow_rate, tc)
{
	struct tokenbucket	 b;

	/* One a second: thousandths add up over single milliseconds. */
	tokenbucket_fill(&b, 1, 0);
	ATF_CHECK(tokenbucket_take(&b, 1, 1, 1, 0));
	ATF_CHECK(!tokenbucket_take(&b, 1, 1, 1, 500));
	ATF_CHECK_EQ(tokenbucket_level(&b, 1, 1, 999), 999);
	ATF_CHECK(!tokenbucket_take(&b, 1, 1, 1, 999));
	ATF_CHECK(tokenbucket_take(&b, 1, 1, 1, 1000));
}

ATF_TC_WITHOUT_HEAD(bytes_and_give);
ATF_TC_BODY(bytes_and_give, tc)
{
	struct tokenbucket	 b = { 0, 0 };

	/* An all-zero bucket is full on first use after time 0. */
	ATF_CHECK(tokenbucket_take(&b, 1500, 1500, 1000, 5000));
	ATF_CHECK(!tokenbucket_take(&b, 1500, 1500, 1000, 5000));
	/* A refusal takes nothing: 500 are left. */
	ATF_CHECK(tokenbucket_take(&b, 1500, 1500, 500, 5000));
	ATF_CHECK(!tokenbucket_take(&b, 1500, 1500, 1, 5000));
	tokenbucket_give(&b, 500);
	ATF_CHECK(tokenbucket_take(&b, 1500, 1500, 500, 5000));
}

ATF_TC_WITHOUT_HEAD(huge_rate);
ATF_TC_BODY(huge_rate, tc)
{
	struct tokenbucket	 b = { 0, 0 };

	/* Rates beyond what thousandths can count do not wrap around. */
	ATF_CHECK(tokenbucket_take(&b, INT64_MAX, INT64_MAX, 65535,
	    UINT64_MAX / 2));
	ATF_CHECK(tokenbucket_take(&b, INT64_MAX, INT64_MAX, 65535,
	    UINT64_MAX / 2 + 1));
	ATF_CHECK_EQ(tokenbucket_level(&b, UINT64_MAX, UINT64_MAX,
	    UINT64_MAX), UINT64_MAX);
	b.milli = 0;
	b.last_ms = 0;
	ATF_CHECK_EQ(tokenbucket_level(&b, UINT64_MAX / 2, 1000000, 3),
	    1000000ULL * TOKENBUCKET_MILLI);
	/* A rate of zero never refills. */
	ATF_CHECK_EQ(tokenbucket_level(&b, 0, 10, 1000000), 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, burst_then_rate);
	ATF_TP_ADD_TC(tp, slow_rate);
	ATF_TP_ADD_TC(tp, bytes_and_give);
	ATF_TP_ADD_TC(tp, huge_rate);
	return atf_no_error();
}
