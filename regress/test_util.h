/* Helpers of the unit tests: files and captured stderr and stdout. */
#ifndef TERN_TEST_UTIL_H
#define TERN_TEST_UTIL_H

#include <stddef.h>

#define TEST_CAPTURE_MAX	(1024 * 1024)	/* more than any test logs */

void	 test_write_file(const char *, const char *, size_t);
char	*test_read_file(const char *);
int	 test_stderr_begin(const char *);
char	*test_stderr_end(int);
int	 test_stdout_begin(void);
char	*test_stdout_end(int);
void	 test_same_text(const char *, const char *, const char *);

#endif
