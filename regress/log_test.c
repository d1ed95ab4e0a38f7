/* Unit tests of lib/log.c: the per-call-site limit of repeated lines. */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include <atf-c.h>

#include "log.h"
#include "test_util.h"

#define LOG_TEST_LINES		100	/* far more than one second allows */
#define LOG_TEST_NAP_NS		10000000L	/* 10 ms between clock looks */

/* Sleeps until the monotonic clock reaches second sec. */
static void
log_test_wait(time_t sec)
{
	struct timespec	 now, nap = { 0, LOG_TEST_NAP_NS };

	for (;;) {
		ATF_REQUIRE(clock_gettime(CLOCK_MONOTONIC, &now) == 0);
		if (now.tv_sec >= sec)
			return;
		nanosleep(&nap, NULL);
	}
}

/* A fresh second, so a burst of lines falls inside one. */
static void
log_test_new_second(void)
{
	struct timespec	 now;

	ATF_REQUIRE(clock_gettime(CLOCK_MONOTONIC, &now) == 0);
	log_test_wait(now.tv_sec + 1);
}

ATF_TC_WITHOUT_HEAD(one_per_second);
ATF_TC_BODY(one_per_second, tc)
{
	static struct log_limit	 ll;
	char			*got;
	int			 saved, i;

	saved = test_stderr_begin("t");
	log_test_new_second();
	for (i = 0; i < LOG_TEST_LINES; i++)
		log_limit_warnx(&ll, "garbage from client %d", i);
	log_test_wait(ll.next);
	log_limit_warnx(&ll, "garbage from client %d", i);
	got = test_stderr_end(saved);
	ATF_CHECK_STREQ(got, "t: garbage from client 0\n"
	    "t: 99 more lines like the next were not logged\n"
	    "t: garbage from client 100\n");
	free(got);
}

/* Each call site has its own limit; log_limit_warn adds errno's text. */
ATF_TC_WITHOUT_HEAD(per_call_site);
ATF_TC_BODY(per_call_site, tc)
{
	static struct log_limit	 a, b;
	char			*got;
	int			 saved, i;

	saved = test_stderr_begin("t");
	log_test_new_second();
	for (i = 0; i < LOG_TEST_LINES; i++) {
		errno = ERANGE;
		log_limit_warn(&a, "imsg_get");
		log_limit_warnx(&b, "too many clients");
	}
	got = test_stderr_end(saved);
	ATF_CHECK_STREQ(got, "t: imsg_get: Numerical result out of range\n"
	    "t: too many clients\n");
	free(got);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, one_per_second);
	ATF_TP_ADD_TC(tp, per_call_site);
	return atf_no_error();
}
