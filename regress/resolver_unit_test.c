/*
 * Unit tests of ternd's resolver: its seccomp list lets getaddrinfo
 * work, refuses executable memory and kills a process that writes a
 * file, executes or signals; the parent's check of its answers refuses
 * anything but what was asked.
 */
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "parent.h"
#include "resolver.h"
#include "sandbox.h"

#define TEST_PORT	3478

enum action {
	ACT_LOOKUP,
	ACT_READ,
	ACT_WRITE,
	ACT_CREATE,
	ACT_EXECVE,
	ACT_KILL,
	ACT_NETLINK,
	ACT_EXEC_MAP,
};

/* Runs one action in a sandboxed child; returns its wait status. */
static int
run_sandboxed(enum action act, const char *dir)
{
	struct addrinfo	 hints, *res;
	char		 path[256];
	char		*argv[] = { "/bin/true", NULL };
	int		 status, fd;
	pid_t		 pid;

	snprintf(path, sizeof(path), "%s/created", dir);
	ATF_REQUIRE((pid = fork()) != -1);
	if (pid == 0) {
		sandbox_apply(SANDBOX_RESOLVER);
		switch (act) {
		case ACT_LOOKUP:
			memset(&hints, 0, sizeof(hints));
			hints.ai_family = AF_UNSPEC;
			hints.ai_socktype = SOCK_DGRAM;
			if (getaddrinfo("localhost", "3478", &hints, &res) != 0)
				_exit(2);
			freeaddrinfo(res);
			break;
		case ACT_READ:
			if ((fd = open("/etc/hosts", O_RDONLY)) == -1)
				_exit(2);
			close(fd);
			break;
		case ACT_WRITE:
			fd = open("/dev/null", O_WRONLY);
			(void)fd;
			break;
		case ACT_CREATE:
			fd = open(path, O_RDONLY | O_CREAT, 0600);
			(void)fd;
			break;
		case ACT_EXECVE:
			execv(argv[0], argv);
			break;
		case ACT_KILL:
			kill(getppid(), SIGTERM);
			break;
		case ACT_EXEC_MAP:
			/* Refused, not fatal: an NSS module fails to load. */
			if (mmap(NULL, 4096, PROT_READ | PROT_EXEC,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) != MAP_FAILED ||
			    errno != EACCES)
				_exit(3);
			break;
		case ACT_NETLINK:
			/* Refused, not fatal: the sorting does without. */
			if (socket(AF_NETLINK, SOCK_RAW, 0) != -1 ||
			    errno != EACCES)
				_exit(3);
			break;
		}
		_exit(0);
	}
	ATF_REQUIRE(waitpid(pid, &status, 0) == pid);
	return status;
}

static void
expect_ok(enum action act)
{
	int	 status = run_sandboxed(act, ".");

	ATF_REQUIRE_MSG(WIFEXITED(status), "child killed by signal %d",
	    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	ATF_CHECK_EQ(WEXITSTATUS(status), 0);
}

static void
expect_killed(enum action act)
{
	int	 status = run_sandboxed(act, ".");

	ATF_REQUIRE_MSG(WIFSIGNALED(status), "child was not killed, status "
	    "%d", status);
	ATF_CHECK_EQ(WTERMSIG(status), SIGSYS);
}

ATF_TC_WITHOUT_HEAD(lookup_works);
ATF_TC_BODY(lookup_works, tc)
{
	expect_ok(ACT_LOOKUP);
	expect_ok(ACT_READ);
	expect_ok(ACT_NETLINK);
	expect_ok(ACT_EXEC_MAP);
}

ATF_TC_WITHOUT_HEAD(write_kills);
ATF_TC_BODY(write_kills, tc)
{
	expect_killed(ACT_WRITE);
	expect_killed(ACT_CREATE);
	ATF_CHECK(access("created", F_OK) == -1);
}

ATF_TC_WITHOUT_HEAD(exec_and_kill_kill);
ATF_TC_BODY(exec_and_kill_kill, tc)
{
	expect_killed(ACT_EXECVE);
	expect_killed(ACT_KILL);
}

static void
answer_one(struct imsg_dns_answer *a, const char *v6)
{
	memset(a, 0, sizeof(*a));
	a->n = 1;
	a->sa[0].sin6_family = AF_INET6;
	a->sa[0].sin6_port = htons(TEST_PORT);
	ATF_REQUIRE(inet_pton(AF_INET6, v6, &a->sa[0].sin6_addr) == 1);
}

/* A compromised resolver's answers: each one is refused. */
ATF_TC_WITHOUT_HEAD(answer_checked);
ATF_TC_BODY(answer_checked, tc)
{
	struct imsg_dns_answer	 a;

	answer_one(&a, "::ffff:192.0.2.1");
	ATF_CHECK(dns_answer_ok(&a, TEST_PORT));
	memset(&a, 0, sizeof(a));
	a.error = EAI_NONAME;
	ATF_CHECK(dns_answer_ok(&a, TEST_PORT));

	answer_one(&a, "::ffff:192.0.2.1");
	ATF_CHECK(!dns_answer_ok(&a, TEST_PORT + 1));
	a.sa[0].sin6_family = AF_UNIX;
	ATF_CHECK(!dns_answer_ok(&a, TEST_PORT));
	answer_one(&a, "2001:db8::1");
	a.error = EAI_NONAME;
	ATF_CHECK(!dns_answer_ok(&a, TEST_PORT));
	answer_one(&a, "2001:db8::1");
	a.n = DNS_ANSWER_MAX + 1;
	ATF_CHECK(!dns_answer_ok(&a, TEST_PORT));
	a.n = UINT32_MAX;
	ATF_CHECK(!dns_answer_ok(&a, TEST_PORT));
	memset(&a, 0, sizeof(a));
	ATF_CHECK(!dns_answer_ok(&a, TEST_PORT));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, lookup_works);
	ATF_TP_ADD_TC(tp, write_kills);
	ATF_TP_ADD_TC(tp, exec_and_kill_kill);
	ATF_TP_ADD_TC(tp, answer_checked);
	return atf_no_error();
}
