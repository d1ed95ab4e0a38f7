/* Logging for every tern process: syslog, or stderr in the foreground. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "monotime.h"

static int	 log_foreground;
static int	 log_verbose;
static const char *log_procname = "tern";

void
log_init(int foreground, int verbose, int facility)
{
	log_foreground = foreground;
	log_verbose = verbose;
	/* LOG_NDELAY: the syslog socket is opened now, before any chroot. */
	if (!foreground)
		openlog(getprogname(), LOG_PID | LOG_NDELAY, facility);
	tzset();
}

void
log_procinit(const char *procname)
{
	if (procname != NULL)
		log_procname = procname;
}

void
log_setverbose(int verbose)
{
	log_verbose = verbose;
}

int
log_getverbose(void)
{
	return log_verbose;
}

/*
 * One write(2) per line keeps the lines of parent and engine whole, and
 * stays inside the engine's sandbox (dprintf would lseek).  The message
 * is passed as an argument, never as a format.
 */
static void
log_line(int pri, const char *msg)
{
	char	 out[1200];
	int	 n;

	if (!log_foreground) {
		syslog(pri, "%s: %s", log_procname, msg);
		return;
	}
	n = snprintf(out, sizeof(out), "%s: %s\n", log_procname, msg);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(out)) {
		n = sizeof(out) - 1;
		out[n - 1] = '\n';
	}
	(void)write(STDERR_FILENO, out, n);
}

void
vlog(int pri, const char *fmt, va_list ap)
{
	char	 line[1024];
	int	 saved_errno = errno;

	vsnprintf(line, sizeof(line), fmt, ap);
	log_line(pri, line);
	errno = saved_errno;
}

static void
log_errno(int pri, const char *fmt, va_list ap)
{
	char	 buf[1024];
	int	 saved_errno = errno;

	if (fmt == NULL) {
		snprintf(buf, sizeof(buf), "%s", strerror(saved_errno));
	} else {
		vsnprintf(buf, sizeof(buf), fmt, ap);
		if (strlcat(buf, ": ", sizeof(buf)) < sizeof(buf))
			strlcat(buf, strerror(saved_errno), sizeof(buf));
	}
	log_line(pri, buf);
	errno = saved_errno;
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_errno(LOG_ERR, fmt, ap);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	if (log_verbose < 1)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

/* 0 if this line must be dropped; else it may log, after the count. */
static int
log_limit_pass(struct log_limit *ll)
{
	uint64_t	 sec = monotime_ms() / MONOTIME_MS_PER_S;
	int		 saved_errno = errno;

	if (sec < ll->next) {
		ll->dropped++;
		return 0;
	}
	if (ll->dropped > 0)
		log_warnx("%u more lines like the next were not logged",
		    ll->dropped);
	ll->next = sec + 1;
	ll->dropped = 0;
	errno = saved_errno;
	return 1;
}

void
log_limit_warn(struct log_limit *ll, const char *fmt, ...)
{
	va_list	 ap;

	if (!log_limit_pass(ll))
		return;
	va_start(ap, fmt);
	log_errno(LOG_ERR, fmt, ap);
	va_end(ap);
}

void
log_limit_warnx(struct log_limit *ll, const char *fmt, ...)
{
	va_list	 ap;

	if (!log_limit_pass(ll))
		return;
	va_start(ap, fmt);
	vlog(LOG_ERR, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_errno(LOG_CRIT, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap);
	va_end(ap);
	exit(1);
}
