/*
 * Unit tests of the seccomp allow-lists of ternd's engine, tern-signal's
 * server and tern-relay's server, as a compromised process would try
 * them: what the process needs works, executable memory and any call
 * outside its own list (even one another process may make) kill it with
 * SIGSYS.
 */
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>

#include "sandbox.h"

#define MAP_LEN		4096	/* one page on every Linux we run on */
/* The first members of enum sandbox_proc; resolver_unit_test has its own. */
#define NPROCS		3

enum action {
	ACT_RUNTIME,
	ACT_UNIX_SOCKET,
	ACT_OPEN,
	ACT_INET_SOCKET,
	ACT_EXECVE,
	ACT_MMAP_EXEC,
	ACT_MMAP_RWX,
	ACT_MPROTECT_EXEC,
	ACT_RECVMMSG,
	ACT_ACCEPT4,
	ACT_BIND,
	ACT_GETSOCKNAME,
	ACT_SHUTDOWN,
	ACT_WRITEV,
};

static const char *const proc_name[NPROCS] = {
	"engine", "signal", "relay"
};

/* Socket calls on a bad descriptor: EBADF if allowed, SIGSYS if not. */
static int
try_socket_call(enum action act)
{
	struct sockaddr_storage	 ss;
	struct mmsghdr		 m;
	struct iovec		 iov = { "x", 1 };
	socklen_t		 len = sizeof(ss);

	switch (act) {
	case ACT_RECVMMSG:
		return recvmmsg(-1, &m, 1, MSG_DONTWAIT, NULL);
	case ACT_ACCEPT4:
		return accept4(-1, NULL, NULL, SOCK_CLOEXEC);
	case ACT_BIND:
		ss.ss_family = AF_INET;
		return bind(-1, (struct sockaddr *)&ss, len);
	case ACT_GETSOCKNAME:
		return getsockname(-1, (struct sockaddr *)&ss, &len);
	case ACT_SHUTDOWN:
		return shutdown(-1, SHUT_WR);
	case ACT_WRITEV:
		return (int)writev(-1, &iov, 1);
	default:
		return 0;
	}
}

/* Runs one action in a child under one list; returns its wait status. */
static int
run_sandboxed(enum sandbox_proc proc, enum action act)
{
	struct timespec	 ts;
	char		*argv[] = { "/bin/true", NULL };
	void		*p;
	int		 status;
	pid_t		 pid;

	ATF_REQUIRE((pid = fork()) != -1);
	if (pid != 0) {
		ATF_REQUIRE(waitpid(pid, &status, 0) == pid);
		return status;
	}
	sandbox_apply(proc);
	switch (act) {
	case ACT_RUNTIME:
		clock_gettime(CLOCK_MONOTONIC, &ts);
		if (getpid() <= 0)
			_exit(2);
		free(malloc(1 << 20));
		/* Memory that is not executable may be mapped and moved. */
		if ((p = mmap(NULL, MAP_LEN, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)) == MAP_FAILED ||
		    (p = mremap(p, MAP_LEN, 2 * MAP_LEN, MREMAP_MAYMOVE)) ==
		    MAP_FAILED || munmap(p, 2 * MAP_LEN) == -1 ||
		    mmap(NULL, MAP_LEN, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0) == MAP_FAILED)
			_exit(3);
		break;
	case ACT_UNIX_SOCKET:
		/* syslog's reconnect fails cleanly: no kill, no socket. */
		if (socket(AF_UNIX, SOCK_DGRAM, 0) != -1 || errno != EACCES)
			_exit(3);
		break;
	case ACT_OPEN:
		(void)open("/etc/hostname", O_RDONLY);
		break;
	case ACT_INET_SOCKET:
		(void)socket(AF_INET, SOCK_DGRAM, 0);
		break;
	case ACT_EXECVE:
		execv(argv[0], argv);
		break;
	case ACT_MMAP_EXEC:
		(void)mmap(NULL, MAP_LEN, PROT_READ | PROT_EXEC,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		break;
	case ACT_MMAP_RWX:
		(void)mmap(NULL, MAP_LEN, PROT_READ | PROT_WRITE | PROT_EXEC,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		break;
	case ACT_MPROTECT_EXEC:
		if ((p = mmap(NULL, MAP_LEN, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)) == MAP_FAILED)
			_exit(2);
		(void)mprotect(p, MAP_LEN, PROT_READ | PROT_EXEC);
		break;
	default:
		if (try_socket_call(act) != -1 || errno != EBADF)
			_exit(3);
		break;
	}
	_exit(0);
}

static void
expect_killed(enum sandbox_proc proc, enum action act)
{
	int	 status = run_sandboxed(proc, act);

	ATF_REQUIRE_MSG(WIFSIGNALED(status), "%s, action %d: not killed, "
	    "status %d", proc_name[proc], act, status);
	ATF_CHECK_EQ_MSG(WTERMSIG(status), SIGSYS, "%s, action %d",
	    proc_name[proc], act);
}

static void
expect_exit0(enum sandbox_proc proc, enum action act)
{
	int	 status = run_sandboxed(proc, act);

	ATF_REQUIRE_MSG(WIFEXITED(status), "%s, action %d: killed by %d",
	    proc_name[proc], act, WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	ATF_CHECK_EQ_MSG(WEXITSTATUS(status), 0, "%s, action %d",
	    proc_name[proc], act);
}

ATF_TC_WITHOUT_HEAD(runtime);
ATF_TC_BODY(runtime, tc)
{
	int	 proc;

	for (proc = 0; proc < NPROCS; proc++) {
		expect_exit0(proc, ACT_RUNTIME);
		expect_exit0(proc, ACT_UNIX_SOCKET);
	}
}

ATF_TC_WITHOUT_HEAD(files_sockets_exec);
ATF_TC_BODY(files_sockets_exec, tc)
{
	int	 proc;

	for (proc = 0; proc < NPROCS; proc++) {
		expect_killed(proc, ACT_OPEN);
		expect_killed(proc, ACT_INET_SOCKET);
		expect_killed(proc, ACT_EXECVE);
	}
}

ATF_TC_WITHOUT_HEAD(exec_memory);
ATF_TC_BODY(exec_memory, tc)
{
	int	 proc;

	for (proc = 0; proc < NPROCS; proc++) {
		expect_killed(proc, ACT_MMAP_EXEC);
		expect_killed(proc, ACT_MMAP_RWX);
		expect_killed(proc, ACT_MPROTECT_EXEC);
	}
}

/* Each process has its own list: another's calls kill it. */
ATF_TC_WITHOUT_HEAD(own_lists);
ATF_TC_BODY(own_lists, tc)
{
	static const struct {
		enum action	 act;
		int		 allowed[NPROCS];	/* engine, signal, relay */
	} calls[] = {
		{ ACT_ACCEPT4,		{ 1, 1, 1 } },
		{ ACT_RECVMMSG,		{ 1, 0, 1 } },
		{ ACT_BIND,		{ 0, 0, 1 } },
		{ ACT_GETSOCKNAME,	{ 1, 0, 0 } },
		{ ACT_SHUTDOWN,		{ 0, 1, 1 } },
		{ ACT_WRITEV,		{ 0, 1, 0 } },
	};
	size_t	 i;
	int	 proc;

	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		for (proc = 0; proc < NPROCS; proc++) {
			if (calls[i].allowed[proc])
				expect_exit0(proc, calls[i].act);
			else
				expect_killed(proc, calls[i].act);
		}
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, runtime);
	ATF_TP_ADD_TC(tp, files_sockets_exec);
	ATF_TP_ADD_TC(tp, exec_memory);
	ATF_TP_ADD_TC(tp, own_lists);
	return atf_no_error();
}
