/* Logging for every tern process: syslog, or stderr in the foreground. */
#ifndef TERN_LOG_H
#define TERN_LOG_H

#include <stdarg.h>
#include <stdint.h>

/*
 * One call site's limit, a static zeroed struct: at most one line a
 * second, and the next line that passes says how many were dropped.
 */
struct log_limit {
	uint64_t	 next;		/* monotonic second the next may log */
	unsigned int	 dropped;
};

void	log_init(int foreground, int verbose, int facility);
void	log_procinit(const char *procname);
void	log_setverbose(int verbose);
int	log_getverbose(void);
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	vlog(int, const char *, va_list) __attribute__((format(printf, 2, 0)));
void	log_limit_warn(struct log_limit *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	log_limit_warnx(struct log_limit *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
__attribute__((noreturn)) void fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2)));

#endif
