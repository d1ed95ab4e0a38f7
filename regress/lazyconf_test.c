/*
 * Unit tests of agent/parent_lazyconf.c: TERN_LAZY_CONN and
 * TERN_LAZY_INACTIVITY with their exact messages, and the precedence of
 * flag, environment and ternd.conf.
 */
#include <stdio.h>
#include <string.h>

#include <atf-c.h>

#include "parent.h"
#include "ternd.h"

#define NOPE		(-1)	/* lazy_choice.lazy: no choice */
#define FLAG_SECS	60	/* distinct thresholds, one per source */
#define ENV_SECS	120
#define CFG_SECS	180
#define NLAZY		3	/* no choice, off, on */
#define NSECS		2	/* no choice, a threshold */
#define NSOURCES	3	/* flag, environment, ternd.conf */
#define NCOMBOS		((NLAZY * NSECS) * (NLAZY * NSECS) * (NLAZY * NSECS))

struct env_case {
	const char	*conn;
	const char	*inactivity;
	int		 lazy;
	uint32_t	 secs;
};

struct env_bad {
	const char	*conn;
	const char	*inactivity;
	const char	*err;
};

static void	 check_env_good(const struct env_case *);
static void	 check_env_bad(const struct env_bad *);
static void	 check_resolve(const struct lazy_choice *,
		    const struct lazy_choice *, const struct lazy_choice *,
		    int, enum lazy_src, uint32_t, enum lazy_src);

static void
check_env_good(const struct env_case *t)
{
	struct lazy_choice	 c;
	char			 err[LAZYCONF_ERR_MAX] = "";

	c.lazy = 2;
	c.inactivity = 1;
	ATF_CHECK_MSG(lazyconf_env_parse(t->conn, t->inactivity, &c, err,
	    sizeof(err)) == 0, "%s/%s: %s", t->conn ? t->conn : "(unset)",
	    t->inactivity ? t->inactivity : "(unset)", err);
	ATF_CHECK_EQ_MSG(c.lazy, t->lazy, "%s", t->conn ? t->conn : "(unset)");
	ATF_CHECK_EQ_MSG(c.inactivity, t->secs, "%s",
	    t->inactivity ? t->inactivity : "(unset)");
}

static void
check_env_bad(const struct env_bad *t)
{
	struct lazy_choice	 c;
	char			 err[LAZYCONF_ERR_MAX] = "";

	ATF_CHECK_MSG(lazyconf_env_parse(t->conn, t->inactivity, &c, err,
	    sizeof(err)) == -1, "%s", t->err);
	ATF_CHECK_STREQ(t->err, err);
}

static void
check_resolve(const struct lazy_choice *flag, const struct lazy_choice *env,
    const struct lazy_choice *cfg, int lazy, enum lazy_src lazy_src,
    uint32_t secs, enum lazy_src secs_src)
{
	struct imsg_lazy_conf	 lc;

	memset(&lc, 0xa5, sizeof(lc));
	lazyconf_resolve(flag, env, cfg, &lc);
	ATF_CHECK_EQ_MSG(lc.lazy, lazy, "flag %d env %d cfg %d", flag->lazy,
	    env->lazy, cfg->lazy);
	ATF_CHECK_EQ_MSG(lc.lazy_src, (uint32_t)lazy_src,
	    "flag %d env %d cfg %d", flag->lazy, env->lazy, cfg->lazy);
	ATF_CHECK_EQ_MSG(lc.inactivity, secs, "flag %u env %u cfg %u",
	    flag->inactivity, env->inactivity, cfg->inactivity);
	ATF_CHECK_EQ_MSG(lc.inactivity_src, (uint32_t)secs_src,
	    "flag %u env %u cfg %u", flag->inactivity, env->inactivity,
	    cfg->inactivity);
}

ATF_TC_WITHOUT_HEAD(env_conn_good);
ATF_TC_BODY(env_conn_good, tc)
{
	static const struct env_case good[] = {
		{ NULL, NULL, NOPE, 0 },
		{ "", NULL, NOPE, 0 },
		{ "on", NULL, 1, 0 },
		{ "off", NULL, 0, 0 },
		{ "1", NULL, 1, 0 },
		{ "0", NULL, 0, 0 },
		{ "true", NULL, 1, 0 },
		{ "false", NULL, 0, 0 },
	};
	size_t	 i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		check_env_good(&good[i]);
}

ATF_TC_WITHOUT_HEAD(env_conn_bad);
ATF_TC_BODY(env_conn_bad, tc)
{
	static const struct env_bad bad[] = {
		{ "banana", NULL, "TERN_LAZY_CONN \"banana\": expected on, off, "
		    "1, 0, true or false" },
		{ "ON", NULL, "TERN_LAZY_CONN \"ON\": expected on, off, 1, 0, "
		    "true or false" },
		{ "yes", NULL, "TERN_LAZY_CONN \"yes\": expected on, off, 1, 0, "
		    "true or false" },
		{ " on", NULL, "TERN_LAZY_CONN \" on\": expected on, off, 1, 0, "
		    "true or false" },
		{ "on ", NULL, "TERN_LAZY_CONN \"on \": expected on, off, 1, 0, "
		    "true or false" },
		{ "2", NULL, "TERN_LAZY_CONN \"2\": expected on, off, 1, 0, "
		    "true or false" },
		{ "01", NULL, "TERN_LAZY_CONN \"01\": expected on, off, 1, 0, "
		    "true or false" },
		/* The first bad variable is the one reported. */
		{ "no", "30s", "TERN_LAZY_CONN \"no\": expected on, off, 1, 0, "
		    "true or false" },
	};
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		check_env_bad(&bad[i]);
}

ATF_TC_WITHOUT_HEAD(env_inactivity_good);
ATF_TC_BODY(env_inactivity_good, tc)
{
	static const struct env_case good[] = {
		{ NULL, "", NOPE, 0 },
		{ NULL, "90s", NOPE, 90 },
		{ NULL, "15m", NOPE, 15 * 60 },
		{ NULL, "1h", NOPE, 3600 },
		{ NULL, "15", NOPE, 15 * 60 },
		{ NULL, "60s", NOPE, TERN_INACTIVITY_MIN },
		{ NULL, "1", NOPE, TERN_INACTIVITY_MIN },
		{ NULL, "7d", NOPE, TERN_INACTIVITY_MAX },
		{ NULL, "604800s", NOPE, TERN_INACTIVITY_MAX },
		{ "off", "2h", 0, 2 * 3600 },
		{ "", "2h", NOPE, 2 * 3600 },
	};
	size_t	 i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		check_env_good(&good[i]);
}

ATF_TC_WITHOUT_HEAD(env_inactivity_bad);
ATF_TC_BODY(env_inactivity_bad, tc)
{
	static const struct env_bad bad[] = {
		{ NULL, "30s", "TERN_LAZY_INACTIVITY \"30s\": below the minimum "
		    "of 1m" },
		{ NULL, "59s", "TERN_LAZY_INACTIVITY \"59s\": below the minimum "
		    "of 1m" },
		{ NULL, "0", "TERN_LAZY_INACTIVITY \"0\": below the minimum "
		    "of 1m" },
		{ NULL, "604801s", "TERN_LAZY_INACTIVITY \"604801s\": above the "
		    "maximum of 7d" },
		{ NULL, "8d", "TERN_LAZY_INACTIVITY \"8d\": above the maximum "
		    "of 7d" },
		{ NULL, "99999999999999999999999m", "TERN_LAZY_INACTIVITY "
		    "\"99999999999999999999999m\": above the maximum of 7d" },
		{ NULL, "banana", "TERN_LAZY_INACTIVITY \"banana\": not a "
		    "duration (like 90s, 15m, 1h, 1d, or minutes)" },
		{ NULL, "15 m", "TERN_LAZY_INACTIVITY \"15 m\": not a duration "
		    "(like 90s, 15m, 1h, 1d, or minutes)" },
		{ NULL, "-5m", "TERN_LAZY_INACTIVITY \"-5m\": not a duration "
		    "(like 90s, 15m, 1h, 1d, or minutes)" },
		{ NULL, "1M", "TERN_LAZY_INACTIVITY \"1M\": not a duration "
		    "(like 90s, 15m, 1h, 1d, or minutes)" },
		{ NULL, "m", "TERN_LAZY_INACTIVITY \"m\": not a duration "
		    "(like 90s, 15m, 1h, 1d, or minutes)" },
		{ "on", "5s", "TERN_LAZY_INACTIVITY \"5s\": below the minimum "
		    "of 1m" },
	};
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		check_env_bad(&bad[i]);
}

/* The command line's --inactivity uses the same syntax and bounds. */
ATF_TC_WITHOUT_HEAD(duration_what);
ATF_TC_BODY(duration_what, tc)
{
	char		 err[LAZYCONF_ERR_MAX];
	uint32_t	 secs = 0;

	ATF_CHECK(lazyconf_duration("--inactivity", "90s", &secs, err,
	    sizeof(err)) == 0);
	ATF_CHECK_EQ(secs, 90);
	ATF_CHECK(lazyconf_duration("--inactivity", "30s", &secs, err,
	    sizeof(err)) == -1);
	ATF_CHECK_STREQ("--inactivity \"30s\": below the minimum of 1m", err);
	ATF_CHECK_EQ(secs, 90);
	ATF_CHECK(lazyconf_duration("inactivity-threshold", "2w", &secs, err,
	    sizeof(err)) == -1);
	ATF_CHECK_STREQ("inactivity-threshold \"2w\": not a duration (like "
	    "90s, 15m, 1h, 1d, or minutes)", err);
}

/* Hand-picked rows: each setting is decided on its own. */
ATF_TC_WITHOUT_HEAD(resolve_examples);
ATF_TC_BODY(resolve_examples, tc)
{
	static const struct lazy_choice none = { NOPE, 0 };
	static const struct lazy_choice flag_on = { 1, 0 };
	static const struct lazy_choice env_off_2m = { 0, 2 * 60 };
	static const struct lazy_choice cfg_on_1h = { 1, 3600 };
	static const struct lazy_choice flag_90s = { NOPE, 90 };

	check_resolve(&none, &none, &none, NOPE, LAZY_SRC_DEFAULT, 0,
	    LAZY_SRC_DEFAULT);
	check_resolve(&none, &none, &cfg_on_1h, 1, LAZY_SRC_CONFIG, 3600,
	    LAZY_SRC_CONFIG);
	check_resolve(&none, &env_off_2m, &cfg_on_1h, 0, LAZY_SRC_ENV, 120,
	    LAZY_SRC_ENV);
	check_resolve(&flag_on, &env_off_2m, &cfg_on_1h, 1, LAZY_SRC_FLAG,
	    120, LAZY_SRC_ENV);
	check_resolve(&flag_90s, &none, &cfg_on_1h, 1, LAZY_SRC_CONFIG, 90,
	    LAZY_SRC_FLAG);
	check_resolve(&flag_on, &none, &none, 1, LAZY_SRC_FLAG, 0,
	    LAZY_SRC_DEFAULT);
	check_resolve(&none, &env_off_2m, &none, 0, LAZY_SRC_ENV, 120,
	    LAZY_SRC_ENV);
}

/* Every combination of no choice, off, on and threshold or not, per source. */
ATF_TC_WITHOUT_HEAD(resolve_all);
ATF_TC_BODY(resolve_all, tc)
{
	static const int		 lazyv[NLAZY] = { NOPE, 0, 1 };
	static const uint32_t		 secsv[NSOURCES] = {
		FLAG_SECS, ENV_SECS, CFG_SECS
	};
	static const enum lazy_src	 rank[NSOURCES] = {
		LAZY_SRC_FLAG, LAZY_SRC_ENV, LAZY_SRC_CONFIG
	};
	struct lazy_choice		 c[NSOURCES];
	enum lazy_src			 lsrc, ssrc;
	uint32_t			 secs;
	size_t				 k, v, i;
	int				 lazy;

	for (k = 0; k < NCOMBOS; k++) {
		lazy = NOPE;
		lsrc = LAZY_SRC_DEFAULT;
		secs = 0;
		ssrc = LAZY_SRC_DEFAULT;
		/* k's digits, in bases NLAZY and NSECS, are the choices. */
		for (v = k, i = 0; i < NSOURCES; i++) {
			c[i].lazy = lazyv[v % NLAZY];
			v /= NLAZY;
			c[i].inactivity = v % NSECS ? secsv[i] : 0;
			v /= NSECS;
			/* The highest rank that chose wins. */
			if (c[i].lazy != NOPE && rank[i] > lsrc) {
				lazy = c[i].lazy;
				lsrc = rank[i];
			}
			if (c[i].inactivity != 0 && rank[i] > ssrc) {
				secs = c[i].inactivity;
				ssrc = rank[i];
			}
		}
		check_resolve(&c[0], &c[1], &c[2], lazy, lsrc, secs, ssrc);
	}
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, env_conn_good);
	ATF_TP_ADD_TC(tp, env_conn_bad);
	ATF_TP_ADD_TC(tp, env_inactivity_good);
	ATF_TP_ADD_TC(tp, env_inactivity_bad);
	ATF_TP_ADD_TC(tp, duration_what);
	ATF_TP_ADD_TC(tp, resolve_examples);
	ATF_TP_ADD_TC(tp, resolve_all);
	return atf_no_error();
}
