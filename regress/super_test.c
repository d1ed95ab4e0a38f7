/*
 * privsep/super.c's supervision.  Each case forks a supervisor that
 * keeps children of its own in the table and writes what its callbacks
 * and the children saw to a pipe.  The test process is a subreaper: a
 * child the supervisor left unreaped comes back to it.
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <atf-c.h>

#include "log.h"
#include "super.h"

#define TEST_CHILDREN_MAX	3	/* in the table of one supervisor */
#define TEST_RECS_MAX		32	/* a case writes about ten */
#define TEST_EXIT_STATUS	7	/* a child's exit, to recognise */
#define TEST_LOST_STATUS	5	/* the child that closes its channel */
#define TEST_UNKNOWN_STATUS	3	/* the child not in the table */
#define TEST_STOP_MS		1000	/* a child's grace after SIGTERM */
#define TEST_TICK_MS		20	/* the supervisor's timer */
#define TEST_STOP_TICKS		10	/* after super_stop, time for SIGCHLD */
#define TEST_SUPER_TICKS	250	/* 5 s: a supervisor stuck gives up */
#define TEST_TIMEOUT_EXIT	99	/* and exits with this */
#define TEST_CHILD_SEC		10	/* a child no one stops dies anyway */
#define TEST_LINGER_MS		200	/* from closing the channel to exit */
#define TEST_WAIT_MS		10000	/* for the supervisor to exit */
#define TEST_US_PER_MS		1000
#define TEST_DIED		1	/* the parent's exit when a child died */
#define TEST_SIGTERM		0	/* its exit on SIGTERM */

/* What the supervisor and its children write to the pipe. */
enum rec_kind {
	REC_CHILD = 'C',	/* a child in the table: status is its index */
	REC_UNKNOWN = 'U',	/* a child not in the table */
	REC_EXITED = 'X',	/* its exit callback: pid and status */
	REC_STILL = 'S',	/* the callback found the pid not yet -1 */
	REC_TERM = 'T',		/* a child got SIGTERM */
	REC_TEARDOWN = 'D',	/* the program's teardown */
	REC_RELOAD = 'H',	/* the reload callback */
	REC_LOST = 'L',		/* a child's channel closed */
};

struct rec {
	int	 kind;
	pid_t	 pid;
	int	 status;
};

enum scenario {
	SC_EXIT,		/* a child exits */
	SC_UNKNOWN,		/* a child not in the table exits */
	SC_FATAL,		/* one of three exits */
	SC_STOP,		/* the program stops a child */
	SC_LOST,		/* a child closes its channel, then exits */
	SC_HUP,			/* SIGHUP */
};

enum child_mode {
	CHILD_EXIT,		/* exits at once */
	CHILD_WAIT,		/* waits for SIGTERM */
	CHILD_LOST,		/* closes its channel, then exits */
};

struct result {
	struct rec	 recs[TEST_RECS_MAX];
	size_t		 n;
};

/* The supervisor's state. */
static int			 recfd = -1;
static enum scenario		 scen;
static struct super_child	 kids[TEST_CHILDREN_MAX];
static struct imsgev		 kid_iev;
static pid_t			 unknown = -1;
static int			 ticks;
static struct event		 ev_tick;

/* Async-signal-safe: a child's SIGTERM handler writes too. */
static void
rec_put(int kind, pid_t pid, int status)
{
	struct rec	 r;

	memset(&r, 0, sizeof(r));
	r.kind = kind;
	r.pid = pid;
	r.status = status;
	(void)write(recfd, &r, sizeof(r));
}

static void
child_term(int sig)
{
	rec_put(REC_TERM, getpid(), 0);
	_exit(0);
}

/* Signals blocked across fork: no handler of the supervisor runs in it. */
static pid_t
spawn(enum child_mode mode, int status, int fd)
{
	sigset_t	 all, old;
	pid_t		 pid;
	int		 s;

	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	if ((pid = fork()) == -1)
		_exit(TEST_TIMEOUT_EXIT);
	if (pid == 0) {
		for (s = 1; s < NSIG; s++)
			signal(s, SIG_DFL);
		signal(SIGTERM, child_term);
		alarm(TEST_CHILD_SEC);
		sigprocmask(SIG_SETMASK, &old, NULL);
		switch (mode) {
		case CHILD_EXIT:
			_exit(status);
		case CHILD_LOST:
			close(fd);
			usleep(TEST_LINGER_MS * TEST_US_PER_MS);
			_exit(status);
		case CHILD_WAIT:
			for (;;)
				pause();
		}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return pid;
}

static void
on_exited(struct super_child *c, pid_t pid, int status)
{
	rec_put(c->pid == -1 ? REC_EXITED : REC_STILL, pid, status);
}

static void
on_teardown(void)
{
	rec_put(REC_TEARDOWN, getpid(), 0);
}

static void
on_reload(void)
{
	rec_put(REC_RELOAD, getpid(), 0);
	raise(SIGTERM);
}

static void
on_msg(struct imsgev *iev, struct imsg *imsg)
{
}

static void
on_closed(struct imsgev *iev)
{
	rec_put(REC_LOST, kids[0].pid, 0);
	super_lost(&kids[0], "the test child");
}

static void
add(size_t i, pid_t pid, struct imsgev *iev)
{
	kids[i].name = "test child";
	kids[i].pid = -1;
	kids[i].iev = iev;
	kids[i].stop_ms = TEST_STOP_MS;
	kids[i].exited = on_exited;
	rec_put(REC_CHILD, pid, (int)i);
	super_add(&kids[i], pid);
}

static void
tick(int fd, short ev, void *arg)
{
	struct timeval	 tv = { 0, TEST_TICK_MS * TEST_US_PER_MS };

	if (++ticks > TEST_SUPER_TICKS)
		_exit(TEST_TIMEOUT_EXIT);
	switch (scen) {
	case SC_UNKNOWN:
		/* Gone once reaped: a zombie still takes signal 0. */
		if (kill(unknown, 0) == -1 && errno == ESRCH)
			raise(SIGTERM);
		break;
	case SC_STOP:
		if (ticks == 1)
			super_stop(&kids[0]);
		else if (ticks == 1 + TEST_STOP_TICKS)
			raise(SIGTERM);
		break;
	case SC_HUP:
		if (ticks == 1)
			raise(SIGHUP);
		break;
	default:
		break;
	}
	evtimer_add(&ev_tick, &tv);
}

static __attribute__((noreturn)) void
supervise(int fd, enum scenario sc)
{
	struct timeval	 tv = { 0, TEST_TICK_MS * TEST_US_PER_MS };
	pid_t		 pid;
	int		 sv[2];

	recfd = fd;
	scen = sc;
	log_init(1, 0, LOG_DAEMON);
	event_init();
	super_init(on_reload, on_teardown);
	switch (sc) {
	case SC_EXIT:
		add(0, spawn(CHILD_EXIT, TEST_EXIT_STATUS, -1), NULL);
		break;
	case SC_UNKNOWN:
		add(0, spawn(CHILD_WAIT, 0, -1), NULL);
		unknown = spawn(CHILD_EXIT, TEST_UNKNOWN_STATUS, -1);
		rec_put(REC_UNKNOWN, unknown, 0);
		break;
	case SC_FATAL:
		add(0, spawn(CHILD_WAIT, 0, -1), NULL);
		add(1, spawn(CHILD_WAIT, 0, -1), NULL);
		add(2, spawn(CHILD_EXIT, TEST_EXIT_STATUS, -1), NULL);
		break;
	case SC_STOP:
		add(0, spawn(CHILD_WAIT, 0, -1), NULL);
		add(1, spawn(CHILD_WAIT, 0, -1), NULL);
		break;
	case SC_LOST:
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0,
		    sv) == -1)
			_exit(TEST_TIMEOUT_EXIT);
		pid = spawn(CHILD_LOST, TEST_LOST_STATUS, sv[1]);
		close(sv[1]);
		imsgev_init(&kid_iev, sv[0], on_msg, on_closed, NULL);
		add(0, pid, &kid_iev);
		break;
	case SC_HUP:
		add(0, spawn(CHILD_WAIT, 0, -1), NULL);
		break;
	}
	evtimer_set(&ev_tick, tick, NULL);
	evtimer_add(&ev_tick, &tv);
	event_dispatch();
	_exit(TEST_TIMEOUT_EXIT);
}

/*
 * Runs a supervisor to its end, which must be exit code, with every
 * child reaped; r gets what was written.
 */
static void
run(enum scenario sc, int code, struct result *r)
{
	struct rec	*rec;
	pid_t		 pid, w;
	size_t		 i;
	int		 p[2], waited, status, leftover = 0;

	memset(r, 0, sizeof(*r));
	ATF_REQUIRE(prctl(PR_SET_CHILD_SUBREAPER, 1) == 0);
	ATF_REQUIRE(pipe2(p, O_CLOEXEC) == 0);
	fflush(stdout);
	fflush(stderr);
	ATF_REQUIRE((pid = fork()) != -1);
	if (pid == 0) {
		close(p[0]);
		supervise(p[1], sc);
	}
	close(p[1]);
	for (waited = 0; (w = waitpid(pid, &status, WNOHANG)) == 0 &&
	    waited < TEST_WAIT_MS; waited += TEST_TICK_MS)
		usleep(TEST_TICK_MS * TEST_US_PER_MS);
	if (w != pid) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		atf_tc_fail("the supervisor ran for %d ms", TEST_WAIT_MS);
	}
	ATF_REQUIRE(fcntl(p[0], F_SETFL, O_NONBLOCK) == 0);
	while (r->n < TEST_RECS_MAX && read(p[0], &r->recs[r->n],
	    sizeof(r->recs[0])) == sizeof(r->recs[0]))
		r->n++;
	close(p[0]);
	/* Alive or a zombie here: the supervisor did not reap it. */
	for (i = 0; i < r->n; i++) {
		rec = &r->recs[i];
		if ((rec->kind != REC_CHILD && rec->kind != REC_UNKNOWN) ||
		    kill(rec->pid, 0) == -1)
			continue;
		leftover++;
		kill(rec->pid, SIGKILL);
		waitpid(rec->pid, NULL, 0);
	}
	ATF_CHECK_MSG(leftover == 0 && waitpid(-1, NULL, WNOHANG) == -1 &&
	    errno == ECHILD, "a child outlived the supervisor");
	ATF_CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == code,
	    "supervisor status %#x, not exit %d", status, code);
}

static size_t
count(const struct result *r, int kind, pid_t pid)
{
	size_t	 i, n = 0;

	for (i = 0; i < r->n; i++)
		if (r->recs[i].kind == kind &&
		    (pid == -1 || r->recs[i].pid == pid))
			n++;
	return n;
}

/* The first record of kind (for pid), or r->n. */
static size_t
find(const struct result *r, int kind, pid_t pid)
{
	size_t	 i;

	for (i = 0; i < r->n; i++)
		if (r->recs[i].kind == kind &&
		    (pid == -1 || r->recs[i].pid == pid))
			break;
	return i;
}

static pid_t
child_pid(const struct result *r, int idx)
{
	size_t	 i;

	for (i = 0; i < r->n; i++)
		if (r->recs[i].kind == REC_CHILD && r->recs[i].status == idx)
			return r->recs[i].pid;
	atf_tc_fail("no child %d", idx);
}

static int
exited_with(int status, int code)
{
	return WIFEXITED(status) && WEXITSTATUS(status) == code;
}

ATF_TC_WITHOUT_HEAD(exit_callback);
ATF_TC_BODY(exit_callback, tc)
{
	struct result	 r;
	pid_t		 a;
	size_t		 i;

	run(SC_EXIT, TEST_DIED, &r);
	a = child_pid(&r, 0);
	ATF_CHECK_EQ(count(&r, REC_EXITED, -1), 1);
	ATF_CHECK_EQ(count(&r, REC_STILL, -1), 0);
	ATF_REQUIRE((i = find(&r, REC_EXITED, a)) < r.n);
	ATF_CHECK_MSG(exited_with(r.recs[i].status, TEST_EXIT_STATUS),
	    "callback got status %#x", r.recs[i].status);
	ATF_CHECK_EQ(count(&r, REC_TEARDOWN, -1), 1);
}

ATF_TC_WITHOUT_HEAD(unknown_pid);
ATF_TC_BODY(unknown_pid, tc)
{
	struct result	 r;
	pid_t		 a;

	/* It goes on until SIGTERM, which the child in the table gets. */
	run(SC_UNKNOWN, TEST_SIGTERM, &r);
	a = child_pid(&r, 0);
	ATF_CHECK_EQ(count(&r, REC_UNKNOWN, -1), 1);
	ATF_CHECK_EQ(count(&r, REC_EXITED, -1), 0);
	ATF_CHECK_EQ(count(&r, REC_TERM, a), 1);
	ATF_CHECK_EQ(count(&r, REC_TEARDOWN, -1), 1);
}

ATF_TC_WITHOUT_HEAD(fatal_stops_others);
ATF_TC_BODY(fatal_stops_others, tc)
{
	struct result	 r;
	pid_t		 a, b, c;
	size_t		 i, d;

	run(SC_FATAL, TEST_DIED, &r);
	a = child_pid(&r, 0);
	b = child_pid(&r, 1);
	c = child_pid(&r, 2);
	ATF_CHECK_EQ(count(&r, REC_EXITED, -1), 1);
	ATF_REQUIRE((i = find(&r, REC_EXITED, c)) < r.n);
	ATF_CHECK(exited_with(r.recs[i].status, TEST_EXIT_STATUS));
	/* The program's teardown first, then the others get SIGTERM. */
	ATF_REQUIRE((d = find(&r, REC_TEARDOWN, -1)) < r.n);
	ATF_CHECK_EQ(count(&r, REC_TEARDOWN, -1), 1);
	ATF_CHECK_EQ(count(&r, REC_TERM, a), 1);
	ATF_CHECK_EQ(count(&r, REC_TERM, b), 1);
	ATF_CHECK(find(&r, REC_TERM, a) > d);
	ATF_CHECK(find(&r, REC_TERM, b) > d);
}

ATF_TC_WITHOUT_HEAD(stop_not_fatal);
ATF_TC_BODY(stop_not_fatal, tc)
{
	struct result	 r;
	pid_t		 a, b;
	size_t		 d;

	/* A child the program stops has not died: the parent goes on. */
	run(SC_STOP, TEST_SIGTERM, &r);
	a = child_pid(&r, 0);
	b = child_pid(&r, 1);
	ATF_CHECK_EQ(count(&r, REC_EXITED, -1), 0);
	ATF_REQUIRE((d = find(&r, REC_TEARDOWN, -1)) < r.n);
	ATF_CHECK_EQ(count(&r, REC_TERM, a), 1);
	ATF_CHECK(find(&r, REC_TERM, a) < d);
	ATF_CHECK_EQ(count(&r, REC_TERM, b), 1);
	ATF_CHECK(find(&r, REC_TERM, b) > d);
}

ATF_TC_WITHOUT_HEAD(lost_channel);
ATF_TC_BODY(lost_channel, tc)
{
	struct result	 r;
	pid_t		 a;
	size_t		 i, l;

	run(SC_LOST, TEST_DIED, &r);
	a = child_pid(&r, 0);
	/* Reaped after its channel closed, to log why: once. */
	ATF_REQUIRE((l = find(&r, REC_LOST, a)) < r.n);
	ATF_CHECK_EQ(count(&r, REC_EXITED, -1), 1);
	ATF_REQUIRE((i = find(&r, REC_EXITED, a)) < r.n);
	ATF_CHECK(i > l);
	ATF_CHECK_MSG(exited_with(r.recs[i].status, TEST_LOST_STATUS),
	    "callback got status %#x", r.recs[i].status);
}

ATF_TC_WITHOUT_HEAD(sighup_reload);
ATF_TC_BODY(sighup_reload, tc)
{
	struct result	 r;
	pid_t		 a;

	run(SC_HUP, TEST_SIGTERM, &r);
	a = child_pid(&r, 0);
	ATF_CHECK_EQ(count(&r, REC_RELOAD, -1), 1);
	ATF_CHECK(find(&r, REC_RELOAD, -1) < find(&r, REC_TEARDOWN, -1));
	ATF_CHECK_EQ(count(&r, REC_TERM, a), 1);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, exit_callback);
	ATF_TP_ADD_TC(tp, unknown_pid);
	ATF_TP_ADD_TC(tp, fatal_stops_others);
	ATF_TP_ADD_TC(tp, stop_not_fatal);
	ATF_TP_ADD_TC(tp, lost_channel);
	ATF_TP_ADD_TC(tp, sighup_reload);
	return atf_no_error();
}
