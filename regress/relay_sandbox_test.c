/*
 * Unit tests of tern-relay's server allow-list, as a compromised server
 * would try it: relayed UDP sockets work, every other socket (other
 * types, protocols, families) and listen(2) kill the process with
 * SIGSYS, and connect(2) fails.  regress/sandbox_test tries the rest.
 */
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "sandbox.h"

#define RELAY_TYPE	SANDBOX_RELAY_SOCK_TYPE

enum action {
	ACT_RELAYED,		/* what turn.c does */
	ACT_TCP,
	ACT_UDP_PLAIN,		/* UDP without turn.c's flags */
	ACT_UDPLITE,		/* turn.c's type, another protocol */
	ACT_PING,
	ACT_RAW,
	ACT_PACKET,
	ACT_LISTEN,
	ACT_CONNECT,
};

/* Runs one action in a sandboxed child; returns its wait status. */
static int
run_sandboxed(enum action act)
{
	struct sockaddr_in	 sin;
	int			 status, fd;
	pid_t			 pid;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ATF_REQUIRE((pid = fork()) != -1);
	if (pid == 0) {
		sandbox_apply(SANDBOX_RELAY);
		switch (act) {
		case ACT_RELAYED:
			if ((fd = socket(AF_INET, RELAY_TYPE, 0)) == -1 ||
			    bind(fd, (struct sockaddr *)&sin,
			    sizeof(sin)) == -1 ||
			    socket(AF_INET6, RELAY_TYPE, 0) == -1)
				_exit(2);
			break;
		case ACT_TCP:
			(void)socket(AF_INET, SOCK_STREAM, 0);
			break;
		case ACT_UDP_PLAIN:
			(void)socket(AF_INET, SOCK_DGRAM, 0);
			break;
		case ACT_UDPLITE:
			(void)socket(AF_INET, RELAY_TYPE, IPPROTO_UDPLITE);
			break;
		case ACT_PING:
			(void)socket(AF_INET, RELAY_TYPE, IPPROTO_ICMP);
			break;
		case ACT_RAW:
			(void)socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK |
			    SOCK_CLOEXEC, IPPROTO_UDP);
			break;
		case ACT_PACKET:
			(void)socket(AF_PACKET, RELAY_TYPE, 0);
			break;
		case ACT_LISTEN:
			if ((fd = socket(AF_INET, RELAY_TYPE, 0)) == -1)
				_exit(2);
			(void)listen(fd, 1);
			break;
		case ACT_CONNECT:
			/* Refused, not killed: syslog(3) tries it. */
			if ((fd = socket(AF_INET, RELAY_TYPE, 0)) == -1)
				_exit(2);
			sin.sin_port = htons(9);
			if (connect(fd, (struct sockaddr *)&sin,
			    sizeof(sin)) != -1 || errno != EACCES)
				_exit(3);
			break;
		}
		_exit(0);
	}
	ATF_REQUIRE(waitpid(pid, &status, 0) == pid);
	return status;
}

static void
expect_killed(enum action act)
{
	int	 status = run_sandboxed(act);

	ATF_REQUIRE_MSG(WIFSIGNALED(status), "action %d: not killed, status "
	    "%d", act, status);
	ATF_CHECK_EQ(WTERMSIG(status), SIGSYS);
}

static void
expect_exit0(enum action act)
{
	int	 status = run_sandboxed(act);

	ATF_REQUIRE_MSG(WIFEXITED(status), "action %d: killed by %d", act,
	    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	ATF_CHECK_EQ(WEXITSTATUS(status), 0);
}

ATF_TC_WITHOUT_HEAD(relayed_sockets);
ATF_TC_BODY(relayed_sockets, tc)
{
	expect_exit0(ACT_RELAYED);
	expect_exit0(ACT_CONNECT);
}

ATF_TC_WITHOUT_HEAD(other_sockets);
ATF_TC_BODY(other_sockets, tc)
{
	expect_killed(ACT_TCP);
	expect_killed(ACT_UDP_PLAIN);
	expect_killed(ACT_UDPLITE);
	expect_killed(ACT_PING);
	expect_killed(ACT_RAW);
	expect_killed(ACT_PACKET);
	expect_killed(ACT_LISTEN);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, relayed_sockets);
	ATF_TP_ADD_TC(tp, other_sockets);
	return atf_no_error();
}
