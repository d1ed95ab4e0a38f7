/*
 * seccomp allow-lists built with libseccomp.  The default action kills
 * the whole process, so a compromised engine or signal server cannot
 * probe the kernel: one forbidden call and it is gone, and its parent
 * tears down.  Runs in the sandboxed child of ternd and of tern-signal.
 */
#include <sys/socket.h>
#include <errno.h>
#include <string.h>

#include <seccomp.h>

#include "log.h"
#include "sandbox.h"

static void	 sandbox_add(scmp_filter_ctx, const struct sandbox_rule *,
		    size_t);

/*
 * What every sandboxed libevent process needs: I/O on the descriptors
 * it was given, the event loop, memory, time, randomness and exit.
 * Opening files, exec, ptrace and the rest kill it.  syslog(3)
 * reconnects with socket() and connect() after syslogd restarts: those
 * fail with EACCES rather than kill, and the message is lost.  Allowing
 * them would let the process reach abstract unix sockets on the host.
 */
static const struct sandbox_rule sandbox_base[] = {
	{ SCMP_SYS(read), SANDBOX_ANY, 0 },
	{ SCMP_SYS(write), SANDBOX_ANY, 0 },
	{ SCMP_SYS(readv), SANDBOX_ANY, 0 },
	{ SCMP_SYS(writev), SANDBOX_ANY, 0 },
	{ SCMP_SYS(recvmsg), SANDBOX_ANY, 0 },
	{ SCMP_SYS(sendmsg), SANDBOX_ANY, 0 },
	{ SCMP_SYS(sendto), SANDBOX_ANY, 0 },
	{ SCMP_SYS(accept4), SANDBOX_ANY, 0 },
	{ SCMP_SYS(close), SANDBOX_ANY, 0 },
	{ SCMP_SYS(fcntl), SANDBOX_ANY, 0 },
	{ SCMP_SYS(epoll_wait), SANDBOX_ANY, 0 },
	{ SCMP_SYS(epoll_pwait), SANDBOX_ANY, 0 },
	{ SCMP_SYS(epoll_ctl), SANDBOX_ANY, 0 },
	{ SCMP_SYS(poll), SANDBOX_ANY, 0 },
	{ SCMP_SYS(clock_gettime), SANDBOX_ANY, 0 },
	{ SCMP_SYS(gettimeofday), SANDBOX_ANY, 0 },
	{ SCMP_SYS(getpid), SANDBOX_ANY, 0 },
	{ SCMP_SYS(getrandom), SANDBOX_ANY, 0 },
	{ SCMP_SYS(brk), SANDBOX_ANY, 0 },
	{ SCMP_SYS(mmap), SANDBOX_ANY, 0 },
	{ SCMP_SYS(munmap), SANDBOX_ANY, 0 },
	{ SCMP_SYS(mremap), SANDBOX_ANY, 0 },
	{ SCMP_SYS(madvise), SANDBOX_ANY, 0 },
	{ SCMP_SYS(futex), SANDBOX_ANY, 0 },
	{ SCMP_SYS(rt_sigreturn), SANDBOX_ANY, 0 },
	{ SCMP_SYS(rt_sigprocmask), SANDBOX_ANY, 0 },
	{ SCMP_SYS(restart_syscall), SANDBOX_ANY, 0 },
	/* Harmless, and the sanitizer runtimes of the test build need it. */
	{ SCMP_SYS(sigaltstack), SANDBOX_ANY, 0 },
	{ SCMP_SYS(nanosleep), SANDBOX_ANY, 0 },
	{ SCMP_SYS(clock_nanosleep), SANDBOX_ANY, 0 },
	{ SCMP_SYS(newfstatat), SANDBOX_ANY, 0 },
	{ SCMP_SYS(fstat), SANDBOX_ANY, 0 },
	{ SCMP_SYS(exit), SANDBOX_ANY, 0 },
	{ SCMP_SYS(exit_group), SANDBOX_ANY, 0 },
	{ SCMP_SYS(socket), AF_UNIX, EACCES },
	{ SCMP_SYS(connect), SANDBOX_ANY, EACCES },
};

static void
sandbox_add(scmp_filter_ctx ctx, const struct sandbox_rule *rules, size_t n)
{
	size_t		 i;
	int		 rc;

	for (i = 0; i < n; i++) {
		uint32_t	 act = rules[i].err ?
		    SCMP_ACT_ERRNO(rules[i].err) : SCMP_ACT_ALLOW;

		if (rules[i].arg0 == SANDBOX_ANY)
			rc = seccomp_rule_add(ctx, act, rules[i].nr, 0);
		else
			rc = seccomp_rule_add(ctx, act, rules[i].nr, 1,
			    SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)rules[i].arg0));
		if (rc < 0) {
			errno = -rc;
			fatal("seccomp_rule_add %d", rules[i].nr);
		}
	}
}

/* Allows the base list and the caller's extra rules; the rest kill. */
void
sandbox_apply(const struct sandbox_rule *extra, size_t n)
{
	sandbox_apply_calls(extra, n, NULL, 0);
}

void
sandbox_apply_calls(const struct sandbox_rule *extra, size_t n,
    const struct sandbox_call *calls, size_t ncalls)
{
	scmp_filter_ctx	 ctx;
	size_t		 i;
	int		 rc;

	if ((ctx = seccomp_init(SCMP_ACT_KILL_PROCESS)) == NULL)
		fatalx("seccomp_init failed");
	sandbox_add(ctx, sandbox_base,
	    sizeof(sandbox_base) / sizeof(sandbox_base[0]));
	sandbox_add(ctx, extra, n);
	for (i = 0; i < ncalls; i++)
		if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, calls[i].nr, 3,
		    SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)calls[i].arg0),
		    SCMP_A1(SCMP_CMP_EQ, (scmp_datum_t)calls[i].arg1),
		    SCMP_A2(SCMP_CMP_EQ, (scmp_datum_t)calls[i].arg2))) < 0) {
			errno = -rc;
			fatal("seccomp_rule_add %d", calls[i].nr);
		}
	if ((rc = seccomp_load(ctx)) < 0) {
		errno = -rc;
		fatal("seccomp_load");
	}
	seccomp_release(ctx);
}
