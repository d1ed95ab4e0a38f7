/*
 * Starting a child process: the parent forks and re-executes its own
 * binary, so the child starts with a fresh address space (no secrets or
 * heap layout inherited), with the socketpair on PROC_PARENT_FD.
 */
#include <sys/socket.h>
#include <sys/types.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "proc.h"

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
