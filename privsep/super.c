/*
 * parent (tern-signal, tern-relay): supervises the one server process.
 * It starts it, takes SIGHUP to the caller's reload, stops both on
 * SIGTERM or SIGINT, and exits non-zero when the server dies or sends
 * anything: the server talks to no one but the network.
 */
#include <sys/types.h>
#include <sys/wait.h>
#include <event.h>
#include <signal.h>
#include <stdlib.h>

#include "log.h"
#include "proc.h"
#include "super.h"

#define SUPER_STOP_MS	2000	/* for the server process to exit */

static pid_t		 server_pid = -1;
static struct imsgev	 iev_server;
static int		 stopping;
static void		(*reload_cb)(void);
static struct event	 ev_sigterm, ev_sigint, ev_sighup, ev_sigchld;

static void	 super_dispatch(struct imsgev *, struct imsg *);
static void	 super_server_closed(struct imsgev *);
static void	 super_child_exited(int);
static void	 super_sig(int, short, void *);
static void	 super_stop_server(void);

void
super_start(char *argv0, const char *chrootdir, const char *user, int debug,
    int verbose, void (*reload)(void))
{
	int	 fd;

	reload_cb = reload;
	signal(SIGPIPE, SIG_IGN);
	signal_set(&ev_sigterm, SIGTERM, super_sig, NULL);
	signal_set(&ev_sigint, SIGINT, super_sig, NULL);
	signal_set(&ev_sighup, SIGHUP, super_sig, NULL);
	signal_set(&ev_sigchld, SIGCHLD, super_sig, NULL);
	signal_add(&ev_sigterm, NULL);
	signal_add(&ev_sigint, NULL);
	signal_add(&ev_sighup, NULL);
	signal_add(&ev_sigchld, NULL);
	if ((server_pid = proc_start_server(argv0, chrootdir, user, debug,
	    verbose, &fd)) == -1)
		fatal("starting the server process");
	imsgev_init(&iev_server, fd, super_dispatch, super_server_closed,
	    NULL);
}

struct imsgev *
super_iev(void)
{
	return &iev_server;
}

pid_t
super_pid(void)
{
	return server_pid;
}

void
super_compose(uint32_t type, int fd, const void *data, size_t len)
{
	if (imsgev_compose(&iev_server, type, 0, fd, data, len) == -1)
		fatal("imsg to the server");
}

static void
super_dispatch(struct imsgev *iev, struct imsg *imsg)
{
	log_warnx("server sent message type %u: stopping", imsg->hdr.type);
	super_exit(1);
}

static void
super_child_exited(int status)
{
	proc_log_exit("server", server_pid, status);
	server_pid = -1;
}

/* The channel usually closes before SIGCHLD: reap to log the cause. */
static void
super_server_closed(struct imsgev *iev)
{
	int	 status;

	if (stopping)
		return;
	log_warnx("lost the server process");
	if (proc_reap(server_pid, SUPER_STOP_MS, &status) == 0)
		super_child_exited(status);
	super_exit(1);
}

static void
super_sig(int sig, short event, void *arg)
{
	int	 status;

	switch (sig) {
	case SIGTERM:
	case SIGINT:
		log_info("signal %d: shutting down", sig);
		super_exit(0);
	case SIGHUP:
		reload_cb();
		break;
	case SIGCHLD:
		if (server_pid != -1 &&
		    waitpid(server_pid, &status, WNOHANG) == server_pid) {
			super_child_exited(status);
			super_exit(1);
		}
		break;
	}
}

static void
super_stop_server(void)
{
	if (server_pid == -1)
		return;
	stopping = 1;
	if (!iev_server.dead)
		imsgev_clear(&iev_server);
	proc_stop(server_pid, SUPER_STOP_MS);
	server_pid = -1;
}

void
super_exit(int code)
{
	super_stop_server();
	log_info("exiting%s", code ? " after an error" : "");
	exit(code);
}
