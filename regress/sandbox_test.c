/*
 * Unit tests of the engine's seccomp allow-list: what the engine needs
 * works, anything else kills the process with SIGSYS.
 */
#include <sys/socket.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>

#include "engine.h"

enum action {
	ACT_ALLOWED,
	ACT_OPEN,
	ACT_INET_SOCKET,
	ACT_EXECVE,
	ACT_UNIX_SOCKET,
};

/* Runs one action in a sandboxed child; returns its wait status. */
static int
run_sandboxed(enum action act)
{
	struct timespec	 ts;
	char		*argv[] = { "/bin/true", NULL };
	int		 p[2], status, fd;
	pid_t		 pid;

	ATF_REQUIRE(pipe(p) == 0);
	ATF_REQUIRE((pid = fork()) != -1);
	if (pid == 0) {
		engine_sandbox();
		switch (act) {
		case ACT_ALLOWED:
			clock_gettime(CLOCK_MONOTONIC, &ts);
			if (write(p[1], "x", 1) != 1 || getpid() <= 0)
				_exit(2);
			free(malloc(1 << 20));
			break;
		case ACT_OPEN:
			fd = open("/etc/hostname", O_RDONLY);
			(void)fd;
			break;
		case ACT_INET_SOCKET:
			fd = socket(AF_INET, SOCK_DGRAM, 0);
			(void)fd;
			break;
		case ACT_EXECVE:
			execv(argv[0], argv);
			break;
		case ACT_UNIX_SOCKET:
			/* syslog's reconnect fails cleanly: no kill, no socket. */
			if (socket(AF_UNIX, SOCK_DGRAM, 0) != -1 ||
			    errno != EACCES)
				_exit(3);
			break;
		}
		_exit(0);
	}
	close(p[1]);
	ATF_REQUIRE(waitpid(pid, &status, 0) == pid);
	close(p[0]);
	return status;
}

static void
expect_killed(enum action act)
{
	int	 status = run_sandboxed(act);

	ATF_REQUIRE_MSG(WIFSIGNALED(status), "child was not killed, status "
	    "%d", status);
	ATF_CHECK_EQ(WTERMSIG(status), SIGSYS);
}

ATF_TC_WITHOUT_HEAD(allowed);
ATF_TC_BODY(allowed, tc)
{
	int	 status = run_sandboxed(ACT_ALLOWED);

	ATF_REQUIRE_MSG(WIFEXITED(status), "killed by signal %d",
	    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	ATF_CHECK_EQ(WEXITSTATUS(status), 0);
	status = run_sandboxed(ACT_UNIX_SOCKET);
	ATF_REQUIRE(WIFEXITED(status));
	ATF_CHECK_EQ(WEXITSTATUS(status), 0);
}

ATF_TC_WITHOUT_HEAD(open_kills);
ATF_TC_BODY(open_kills, tc)
{
	expect_killed(ACT_OPEN);
}

ATF_TC_WITHOUT_HEAD(inet_socket_kills);
ATF_TC_BODY(inet_socket_kills, tc)
{
	expect_killed(ACT_INET_SOCKET);
}

ATF_TC_WITHOUT_HEAD(execve_kills);
ATF_TC_BODY(execve_kills, tc)
{
	expect_killed(ACT_EXECVE);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, allowed);
	ATF_TP_ADD_TC(tp, open_kills);
	ATF_TP_ADD_TC(tp, inet_socket_kills);
	ATF_TP_ADD_TC(tp, execve_kills);
	return atf_no_error();
}
