/*
 * libFuzzer target for a config parser (the lexer in lib/conflex.c and
 * one grammar), built once per program: CONF_HEADER, CONF_PARSE and
 * CONF_FREE name ternd's (agent/parse.y), tern-signal's
 * (signal/parse.y) or tern-relay's (relay/parse.y).  The parsers read
 * files: each input is written to one file of this process in $TMPDIR
 * (default /tmp; run.sh picks a tmpfs, where rewriting is cheap),
 * removed at exit.  A config that parses is freed, so leaks show.
 * "include" may name any regular file; the parsers refuse others.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include CONF_HEADER

/* Real configs are a few KiB; larger inputs only slow the runs. */
#define FUZZ_CONF_MAX	65536

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	 path[PATH_MAX];
static int	 fd = -1;

static void	 fuzz_cleanup(void);
static void	 fuzz_init(void);

static void
fuzz_cleanup(void)
{
	unlink(path);
}

/* Parse errors go to stderr (run.sh closes it), not to syslog. */
static void
fuzz_init(void)
{
	const char	*dir;

	if ((dir = getenv("TMPDIR")) == NULL || *dir == '\0')
		dir = "/tmp";
	if (snprintf(path, sizeof(path), "%s/tern-conf-fuzz.XXXXXX", dir) >=
	    (int)sizeof(path) || (fd = mkstemp(path)) == -1)
		abort();
	atexit(fuzz_cleanup);
	log_init(1, 0, 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > FUZZ_CONF_MAX)
		return 0;
	if (fd == -1)
		fuzz_init();
	if (ftruncate(fd, 0) == -1 ||
	    pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	CONF_FREE(CONF_PARSE(path));
	return 0;
}
