/*
 * parent (tern-signal, tern-relay): supervises the one server process.
 * It starts it, takes SIGHUP to the caller's reload, stops both on
 * SIGTERM or SIGINT, and exits non-zero when the server dies or sends
 * anything: the server talks to no one but the network.  The steps
 * both parents take before that are here too: the common flags, the
 * checks before binding and the listening sockets.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <event.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <syslog.h>
#include <unistd.h>

#include "addr.h"
#include "drop.h"
#include "log.h"
#include "proc.h"
#include "super.h"

#define SUPER_STOP_MS	2000	/* for the server process to exit */

static pid_t		 server_pid = -1;
static struct imsgev	 iev_server;
static int		 stopping;
static void		(*reload_cb)(void);
static struct event	 ev_sig[PROC_NSIGNALS];

static void	 super_dispatch(struct imsgev *, struct imsg *);
static void	 super_server_closed(struct imsgev *);
static void	 super_child_exited(int);
static void	 super_sig(int, short, void *);
static void	 super_stop_server(void);

/* The flags both daemons take: 0 when ch is one of them. */
int
super_option(struct super_opts *o, int ch, char *arg)
{
	switch (ch) {
	case 'c':
		o->chrootdir = arg;
		break;
	case 'd':
		o->debug = 1;
		break;
	case 'f':
		o->conffile = arg;
		break;
	case 'n':
		o->noaction = 1;
		break;
	case 'S':
		o->server = 1;
		break;
	case 'u':
		o->user = arg;
		break;
	case 'v':
		o->verbose++;
		break;
	default:
		return -1;
	}
	return 0;
}

/* Before binding: the server's user and chroot must exist, or no start. */
void
super_prepare(const struct super_opts *o)
{
	char	 err[PATH_MAX + 128];

	if (geteuid() != 0)
		fatalx("need root privileges");
	log_init(o->debug, o->verbose, LOG_DAEMON);
	log_procinit("parent");
	(void)drop_getpw(o->user);
	if (drop_check_chroot(o->chrootdir, err, sizeof(err)) == -1)
		fatalx("%s", err);
}

/* A listening socket: the caller sets its own options, then binds. */
int
super_socket(const struct sockaddr_storage *ss, int type, int v6only)
{
	int	 fd;

	if ((fd = socket(ss->ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		fatal("socket");
	if (ss->ss_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &v6only, sizeof(v6only)) == -1)
		fatal("IPV6_V6ONLY");
	return fd;
}

void
super_bind(int fd, const struct sockaddr_storage *ss)
{
	char	 buf[ADDR_STRLEN];

	if (bind(fd, (const struct sockaddr *)ss,
	    sockaddr_len((const struct sockaddr *)ss)) == -1)
		fatal("bind %s", sockaddr_str((const struct sockaddr *)ss, buf,
		    sizeof(buf)));
}

void
super_start(char *argv0, const struct super_opts *o, void (*reload)(void))
{
	int	 fd;

	if (!o->debug && daemon(0, 0) == -1)
		fatal("daemon");
	event_init();
	reload_cb = reload;
	proc_signals(ev_sig, super_sig);
	if ((server_pid = proc_start_server(argv0, o->chrootdir, o->user,
	    o->debug, o->verbose, &fd)) == -1)
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
