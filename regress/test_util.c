/*
 * Helpers of the config unit tests (config_test, signal_config_test):
 * writing and reading files in the test's work dir, and what a parser
 * logs on stderr, captured for exact comparison.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "log.h"
#include "test_util.h"

#define TEST_STDERR_FILE	"stderr.out"	/* in the test's work dir */
#define TEST_STDOUT_FILE	"stdout.out"

static int	 test_fd_begin(int, const char *);
static char	*test_fd_end(int, int, const char *);

void
test_write_file(const char *path, const char *text, size_t len)
{
	FILE	*f;

	ATF_REQUIRE((f = fopen(path, "w")) != NULL);
	ATF_REQUIRE_EQ(fwrite(text, 1, len, f), len);
	ATF_REQUIRE_EQ(fclose(f), 0);
}

/* The whole file, NUL-terminated, in a buffer the caller frees. */
char *
test_read_file(const char *path)
{
	char	*buf;
	FILE	*f;
	size_t	 n;

	ATF_REQUIRE((buf = malloc(TEST_CAPTURE_MAX)) != NULL);
	ATF_REQUIRE((f = fopen(path, "r")) != NULL);
	n = fread(buf, 1, TEST_CAPTURE_MAX - 1, f);
	ATF_REQUIRE(n < TEST_CAPTURE_MAX - 1);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Sends fd to file; returns a copy of the old fd to restore it with. */
static int
test_fd_begin(int which, const char *file)
{
	int	 fd, saved;

	ATF_REQUIRE((saved = dup(which)) != -1);
	ATF_REQUIRE((fd = open(file, O_WRONLY | O_CREAT | O_TRUNC,
	    0600)) != -1);
	ATF_REQUIRE(dup2(fd, which) != -1);
	close(fd);
	return saved;
}

/* Puts fd back; returns what was written to file meanwhile. */
static char *
test_fd_end(int which, int saved, const char *file)
{
	ATF_REQUIRE(dup2(saved, which) != -1);
	close(saved);
	return test_read_file(file);
}

/* Logs to stderr as procname, and fd 2 to a file; returns the old fd 2. */
int
test_stderr_begin(const char *procname)
{
	log_init(1, 0, 0);
	log_procinit(procname);
	return test_fd_begin(STDERR_FILENO, TEST_STDERR_FILE);
}

/* Puts fd 2 back; returns what was logged since test_stderr_begin. */
char *
test_stderr_end(int saved)
{
	return test_fd_end(STDERR_FILENO, saved, TEST_STDERR_FILE);
}

/* Sends fd 1 to a file; returns the old fd 1. */
int
test_stdout_begin(void)
{
	ATF_REQUIRE(fflush(stdout) == 0);
	return test_fd_begin(STDOUT_FILENO, TEST_STDOUT_FILE);
}

/* Puts fd 1 back; returns what was printed since test_stdout_begin. */
char *
test_stdout_end(int saved)
{
	ATF_REQUIRE(fflush(stdout) == 0);
	return test_fd_end(STDOUT_FILENO, saved, TEST_STDOUT_FILE);
}

/* Checks that files a and b hold the same text; what names the case. */
void
test_same_text(const char *a, const char *b, const char *what)
{
	char	*ta, *tb;

	ta = test_read_file(a);
	tb = test_read_file(b);
	ATF_CHECK_STREQ_MSG(ta, tb, "%s", what);
	free(ta);
	free(tb);
}
