/*
 * parent: the local choices for lazy connections (command line,
 * environment, ternd.conf), their syntax and their precedence.
 */
#include <stdio.h>
#include <string.h>

#include "duration.h"
#include "parent.h"

#define LAZYCONF_REASON_MAX	128	/* duration_parse's reason */

struct lazyconf_word {
	const char	*word;
	int		 lazy;
};

/* The values TERN_LAZY_CONN accepts, in the order the error lists them. */
static const struct lazyconf_word lazyconf_words[] = {
	{ "on",		1 },
	{ "off",	0 },
	{ "1",		1 },
	{ "0",		0 },
	{ "true",	1 },
	{ "false",	0 },
};
#define LAZYCONF_NWORDS	(sizeof(lazyconf_words) / sizeof(lazyconf_words[0]))

static int	 lazyconf_env_lazy(const char *, int *, char *, size_t);

int
lazyconf_duration(const char *what, const char *s, uint32_t *secs, char *err,
    size_t errlen)
{
	char	 reason[LAZYCONF_REASON_MAX];

	if (duration_parse(s, TERN_INACTIVITY_MIN, TERN_INACTIVITY_MAX, secs,
	    reason, sizeof(reason)) == -1) {
		snprintf(err, errlen, "%s \"%s\": %s", what, s, reason);
		return -1;
	}
	return 0;
}

static int
lazyconf_env_lazy(const char *s, int *lazy, char *err, size_t errlen)
{
	size_t	 i;

	for (i = 0; i < LAZYCONF_NWORDS; i++)
		if (strcmp(s, lazyconf_words[i].word) == 0) {
			*lazy = lazyconf_words[i].lazy;
			return 0;
		}
	snprintf(err, errlen, "%s \"%s\": expected on, off, 1, 0, true or "
	    "false", LAZYCONF_ENV_CONN, s);
	return -1;
}

int
lazyconf_env_parse(const char *conn, const char *inactivity,
    struct lazy_choice *c, char *err, size_t errlen)
{
	c->lazy = -1;
	c->inactivity = 0;
	if (conn != NULL && conn[0] != '\0' &&
	    lazyconf_env_lazy(conn, &c->lazy, err, errlen) == -1)
		return -1;
	if (inactivity != NULL && inactivity[0] != '\0' &&
	    lazyconf_duration(LAZYCONF_ENV_INACTIVITY, inactivity,
	    &c->inactivity, err, errlen) == -1)
		return -1;
	return 0;
}

/* Each setting independently: the highest-ranked source that chose wins. */
void
lazyconf_resolve(const struct lazy_choice *flag, const struct lazy_choice *env,
    const struct lazy_choice *cfg, struct imsg_lazy_conf *out)
{
	const struct lazy_choice	*by_rank[] = { flag, env, cfg };
	static const enum lazy_src	 src[] = {
		LAZY_SRC_FLAG, LAZY_SRC_ENV, LAZY_SRC_CONFIG
	};
	size_t				 i;

	memset(out, 0, sizeof(*out));
	out->lazy = -1;
	out->lazy_src = LAZY_SRC_DEFAULT;
	out->inactivity = 0;
	out->inactivity_src = LAZY_SRC_DEFAULT;
	for (i = 0; i < sizeof(src) / sizeof(src[0]); i++) {
		if (out->lazy == -1 && by_rank[i]->lazy != -1) {
			out->lazy = by_rank[i]->lazy;
			out->lazy_src = src[i];
		}
		if (out->inactivity == 0 && by_rank[i]->inactivity != 0) {
			out->inactivity = by_rank[i]->inactivity;
			out->inactivity_src = src[i];
		}
	}
}
