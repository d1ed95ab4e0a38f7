/*
 * Starting and stopping a child process, in the privileged parent: it
 * forks and re-executes its own binary, so the child starts with a fresh
 * address space (no secrets or heap layout inherited), with the
 * socketpair on PROC_PARENT_FD; it reaps the child and logs why it died.
 * proc_child_enter alone runs in the child, from root until it has
 * dropped.
 */
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <sodium.h>

#include "drop.h"
#include "log.h"
#include "proc.h"
#include "sandbox.h"

#define PROC_POLL_MS	10	/* checks while waiting for a child to exit */
#define PROC_US_PER_MS	1000
#define PROC_ARGS_MAX	16	/* a server process's command line */

/* The path of the running binary, read before any chroot. */
int
proc_self_exe(char *buf, size_t len)
{
	ssize_t	 n;

	if ((n = readlink("/proc/self/exe", buf, len - 1)) == -1)
		return -1;
	if ((size_t)n >= len - 1) {
		errno = ENAMETOOLONG;
		return -1;
	}
	buf[n] = '\0';
	return 0;
}

/*
 * Forks and executes path with argv; returns the child's pid and puts
 * the parent's end of a new socketpair in *fd (non-blocking, cloexec).
 */
pid_t
proc_start(const char *path, char *const argv[], int *fd)
{
	sigset_t all, old;
	int	 sp[2];
	pid_t	 pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0, sp) == -1)
		return -1;
	/* No signal handler of the parent may run in the child. */
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	switch ((pid = fork())) {
	case -1:
		sigprocmask(SIG_SETMASK, &old, NULL);
		close(sp[0]);
		close(sp[1]);
		return -1;
	case 0:
		for (int s = 1; s < NSIG; s++)
			signal(s, SIG_DFL);
		sigprocmask(SIG_SETMASK, &old, NULL);
		close(sp[0]);
		/* dup2 clears close-on-exec on the new descriptor. */
		if (sp[1] != PROC_PARENT_FD) {
			if (dup2(sp[1], PROC_PARENT_FD) == -1)
				_exit(127);
		} else if (fcntl(sp[1], F_SETFD, 0) == -1)
			_exit(127);
		closefrom(PROC_PARENT_FD + 1);
		execv(path, argv);
		_exit(127);
	default:
		sigprocmask(SIG_SETMASK, &old, NULL);
		close(sp[1]);
		*fd = sp[0];
		return pid;
	}
}

/*
 * The server process of tern-signal and tern-relay: this binary again,
 * with -S and the chroot, user, -d and -v it must use.
 */
pid_t
proc_start_server(char *argv0, const char *chrootdir, const char *user,
    int debug, int verbose, int *fd)
{
	char	 exe[PATH_MAX], *args[PROC_ARGS_MAX];
	int	 n = 0, v;

	if (proc_self_exe(exe, sizeof(exe)) == -1)
		return -1;
	args[n++] = argv0;
	args[n++] = "-S";
	args[n++] = "-c";
	args[n++] = (char *)chrootdir;
	args[n++] = "-u";
	args[n++] = (char *)user;
	if (debug)
		args[n++] = "-d";
	for (v = 0; v < verbose && n < PROC_ARGS_MAX - 1; v++)
		args[n++] = "-v";
	args[n] = NULL;
	return proc_start(exe, args, fd);
}

void
proc_title_init(int argc, char **argv, char **envp)
{
	setproctitle_init(argc, argv, envp);
}

void
proc_title(const char *title)
{
	setproctitle("%s", title);
}

/*
 * Waits up to ms for pid to exit: 0 with its wait status, 1 if it was
 * reaped already, -1 if it runs.
 */
int
proc_reap(pid_t pid, int ms, int *status)
{
	int	 waited;
	pid_t	 r;

	for (waited = 0; waited < ms; waited += PROC_POLL_MS) {
		if ((r = waitpid(pid, status, WNOHANG)) == pid)
			return 0;
		if (r == -1 && errno == ECHILD)
			return 1;
		usleep(PROC_POLL_MS * PROC_US_PER_MS);
	}
	return -1;
}

/* SIGTERM, up to ms to exit, then SIGKILL; the child is reaped. */
void
proc_stop(const char *who, pid_t pid, int ms)
{
	int	 status;

	if (kill(pid, SIGTERM) == -1 && errno != ESRCH) {
		log_warn("%s (pid %ld): kill", who, (long)pid);
		return;
	}
	if (proc_reap(pid, ms, &status) != -1)
		return;
	log_warnx("%s (pid %ld) ignored SIGTERM for %d ms, killing it", who,
	    (long)pid, ms);
	(void)kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
}

/* A seccomp kill shows as SIGSYS: say so, it is the sandbox at work. */
void
proc_log_exit(const char *who, pid_t pid, int status)
{
	if (WIFSIGNALED(status))
		log_warnx("%s (pid %d) killed by signal %d%s", who, (int)pid,
		    WTERMSIG(status), WTERMSIG(status) == SIGSYS ?
		    " (forbidden system call)" : "");
	else
		log_warnx("%s (pid %d) exited with status %d", who, (int)pid,
		    WEXITSTATUS(status));
}

/*
 * A child's start-up, in the one order every child keeps: open what it
 * needs (libsodium's randomness, libevent's epoll fd, then what prepare
 * adds), chroot and drop to user, then enter the sandbox sp.  Without
 * chrootdir the child keeps the host's root, as ternd's resolver must
 * to read resolv.conf.
 */
void
proc_child_enter(const char *name, const char *user, const char *chrootdir,
    enum sandbox_proc sp, void (*prepare)(void), int debug, int verbose)
{
	struct passwd	*pw;

	log_init(debug, verbose, LOG_DAEMON);
	log_procinit(name);
	proc_title(name);

	/* The parent handles SIGHUP and SIGINT for both of us. */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);

	if (sodium_init() == -1)
		fatalx("libsodium");
	event_init();
	if (prepare != NULL)
		prepare();
	pw = drop_getpw(user);
	if (chrootdir != NULL)
		drop_privileges(pw, chrootdir);
	else
		drop_user(pw);
	sandbox_apply(sp);
}
