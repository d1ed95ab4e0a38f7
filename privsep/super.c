/*
 * parent (all three daemons): supervision of the children.  The table
 * holds the children a parent started; SIGCHLD reaps them, and the exit
 * of any one stops the parent: the program's teardown, then the other
 * children closed and stopped side by side.  SIGTERM and SIGINT stop it
 * too; SIGHUP runs the program's reload.
 *
 * tern-signal's and tern-relay's parents also take their server
 * processes from here (tern-signal has one, tern-relay one per core).
 * The parent exits non-zero when a server dies or sends anything but
 * the message types the caller accepts (tern-relay's request for a
 * connection to tern-signal from its first server, and every server's
 * counts), or attaches a descriptor to one: a server talks to no one
 * but the network.  The steps both parents take before that are here
 * too: the common flags, -G, the checks before binding and the
 * listening sockets.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <event.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <syslog.h>
#include <stdio.h>
#include <unistd.h>

#include <sodium.h>

#include "addr.h"
#include "drop.h"
#include "key.h"
#include "log.h"
#include "proc.h"
#include "super.h"

/* The signals a parent takes: SIGTERM, SIGINT, SIGHUP, SIGCHLD. */
#define SUPER_NSIGNALS	4
#define SUPER_STOP_MS	2000	/* for a server process to exit */

static TAILQ_HEAD(, super_child) children =
    TAILQ_HEAD_INITIALIZER(children);
static int		 stopping;
static void		(*reload_cb)(void);
static void		(*teardown_cb)(void);
static struct event	 ev_sig[SUPER_NSIGNALS];

struct super_server {
	struct super_child	 child;
	struct imsgev		 iev;
};

static struct super_server	 servers[SUPER_SERVERS_MAX];
static size_t			 nservers;
/* Message types a server may send, each checked by its callback. */
static struct {
	uint32_t	 type;
	int		 first_only;
	void		(*cb)(size_t, struct imsg *);
} accepts[SUPER_ACCEPT_MAX];
static size_t		 naccepts;

static void	 super_sig(int, short, void *);
static void	 super_reap(void);
static void	 super_gone(struct super_child *, int);
static void	 super_dispatch(struct imsgev *, struct imsg *);
static void	 super_server_closed(struct imsgev *);

/*
 * After event_init: the signal events.  SIGPIPE is ignored: a write to
 * a closed channel returns EPIPE instead.
 */
void
super_init(void (*reload)(void), void (*teardown)(void))
{
	static const int	 sigs[SUPER_NSIGNALS] = {
		SIGTERM, SIGINT, SIGHUP, SIGCHLD
	};
	size_t			 i;

	reload_cb = reload;
	teardown_cb = teardown;
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < SUPER_NSIGNALS; i++) {
		signal_set(&ev_sig[i], sigs[i], super_sig, NULL);
		signal_add(&ev_sig[i], NULL);
	}
}

/* A child the caller started: from now on its exit stops the parent. */
void
super_add(struct super_child *c, pid_t pid)
{
	if (pid <= 0)
		fatalx("%s: %s has no pid", __func__, c->name);
	c->pid = pid;
	TAILQ_INSERT_TAIL(&children, c, entry);
}

/*
 * Stops one child, which leaves the table: its channel closed (that
 * alone makes a child exit; SIGTERM hurries it), SIGTERM, and SIGKILL
 * after stop_ms.  One that is not running is left alone.
 */
void
super_stop(struct super_child *c)
{
	if (c->pid <= 0)
		return;
	if (c->iev != NULL && !c->iev->dead)
		imsgev_clear(c->iev);
	proc_stop(c->name, c->pid, c->stop_ms);
	TAILQ_REMOVE(&children, c, entry);
	c->pid = -1;
}

/*
 * A child's channel closed ("lost what"), usually before SIGCHLD: it
 * is reaped to log the cause, then the parent stops.  Nothing to do
 * when the parent closed it, stopping.
 */
void
super_lost(struct super_child *c, const char *what)
{
	int	 status;

	if (stopping)
		return;
	log_warnx("lost %s", what);
	if (c->pid > 0 && proc_reap(c->pid, c->stop_ms, &status) == 0)
		super_gone(c, status);
	super_exit(1);
}

/*
 * Once: the program's teardown, which stops the children it must stop
 * in its own order, then the children left, all asked to stop first so
 * that they stop side by side.
 */
void
super_teardown(void)
{
	struct super_child	*c;

	if (stopping)
		return;
	stopping = 1;
	if (teardown_cb != NULL)
		teardown_cb();
	TAILQ_FOREACH(c, &children, entry)
		if (c->iev != NULL && !c->iev->dead)
			imsgev_clear(c->iev);
	TAILQ_FOREACH(c, &children, entry)
		(void)kill(c->pid, SIGTERM);
	while ((c = TAILQ_FIRST(&children)) != NULL) {
		proc_stop(c->name, c->pid, c->stop_ms);
		TAILQ_REMOVE(&children, c, entry);
		c->pid = -1;
	}
}

void
super_exit(int code)
{
	super_teardown();
	log_info("exiting%s", code ? " after an error" : "");
	exit(code);
}

static void
super_sig(int sig, short event, void *arg)
{
	switch (sig) {
	case SIGTERM:
	case SIGINT:
		log_info("signal %d: shutting down", sig);
		super_exit(0);
	case SIGHUP:
		reload_cb();
		break;
	case SIGCHLD:
		super_reap();
		break;
	}
}

/*
 * Every child that exited is logged before the parent stops.  A pid
 * not in the table is not watched: it is reaped, so no zombie stays.
 */
static void
super_reap(void)
{
	struct super_child	*c;
	pid_t			 pid;
	int			 status, died = 0;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		TAILQ_FOREACH(c, &children, entry)
			if (c->pid == pid)
				break;
		if (c == NULL)
			continue;
		super_gone(c, status);
		died = 1;
	}
	if (died)
		super_exit(1);
}

/* c exited with status and has been reaped. */
static void
super_gone(struct super_child *c, int status)
{
	pid_t	 pid = c->pid;

	proc_log_exit(c->name, pid, status);
	TAILQ_REMOVE(&children, c, entry);
	c->pid = -1;
	if (c->exited != NULL)
		c->exited(c, pid, status);
}

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
	case 'G':
		o->genkey = arg;
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

/*
 * -G: a new private key in path, never over an existing file; the public
 * key, printed, goes into the other side's config.
 */
__attribute__((noreturn)) void
super_genkey(const char *path, void (*pubfn)(const uint8_t [KEY_LEN],
    uint8_t [KEY_LEN]))
{
	uint8_t	 priv[KEY_LEN], pub[KEY_LEN];
	char	 b64[KEY_B64LEN], err[PATH_MAX + 128];

	if (sodium_init() == -1)
		fatalx("libsodium");
	key_generate(priv);
	pubfn(priv, pub);
	if (key_write_file(path, priv, err, sizeof(err)) == -1) {
		sodium_memzero(priv, sizeof(priv));
		fatalx("%s", err);
	}
	sodium_memzero(priv, sizeof(priv));
	key_to_b64(pub, b64);
	printf("%s\n", b64);
	exit(0);
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

/*
 * Raises the descriptor limit towards want (the hard limit too, as
 * root) and returns what it is now; servers inherit it.
 */
rlim_t
super_nofile(rlim_t want)
{
	struct rlimit	 rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		fatal("getrlimit");
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want) {
		rl.rlim_cur = rl.rlim_max = want;
		if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
			return want;
		if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
			fatal("getrlimit");
	}
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
		fatal("setrlimit");
	return rl.rlim_cur;
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
super_start(char *argv0, const struct super_opts *o, void (*reload)(void),
    size_t n)
{
	struct super_server	*sv;
	size_t			 i;
	pid_t			 pid;
	int			 fd;

	if (n < 1 || n > SUPER_SERVERS_MAX)
		fatalx("%zu server processes: 1 to %d", n, SUPER_SERVERS_MAX);
	if (!o->debug && daemon(0, 0) == -1)
		fatal("daemon");
	event_init();
	super_init(reload, NULL);
	for (i = 0; i < n; i++) {
		sv = &servers[i];
		if ((pid = proc_start_server(argv0, o->chrootdir, o->user,
		    o->debug, o->verbose, &fd)) == -1)
			fatal("starting a server process");
		imsgev_init(&sv->iev, fd, super_dispatch, super_server_closed,
		    sv);
		sv->child.name = "server";
		sv->child.iev = &sv->iev;
		sv->child.stop_ms = SUPER_STOP_MS;
		super_add(&sv->child, pid);
		nservers++;
	}
}

/*
 * The servers (with first_only, the first server alone) may send
 * messages of this type, which cb handles and checks; any other
 * message is still fatal.
 */
void
super_accept(uint32_t type, int first_only,
    void (*cb)(size_t, struct imsg *))
{
	if (naccepts >= SUPER_ACCEPT_MAX)
		fatalx("%s: too many message types", __func__);
	accepts[naccepts].type = type;
	accepts[naccepts].first_only = first_only;
	accepts[naccepts++].cb = cb;
}

struct imsgev *
super_iev(void)
{
	return &servers[0].iev;
}

pid_t
super_pid(void)
{
	return servers[0].child.pid;
}

/* Sends sig to every server process. */
void
super_kill(int sig)
{
	size_t	 i;

	for (i = 0; i < nservers; i++)
		if (servers[i].child.pid > 0)
			kill(servers[i].child.pid, sig);
}

size_t
super_nservers(void)
{
	return nservers;
}

/* To one server process; a descriptor goes to one process only. */
void
super_compose_to(size_t i, uint32_t type, int fd, const void *data,
    size_t len)
{
	if (i >= nservers ||
	    imsgev_compose(&servers[i].iev, type, 0, fd, data, len) == -1)
		fatal("imsg to the server");
}

/* To every server process. */
void
super_compose(uint32_t type, int fd, const void *data, size_t len)
{
	size_t	 i;

	if (fd != -1 && nservers > 1)
		fatalx("%s: a descriptor for %zu processes", __func__,
		    nservers);
	for (i = 0; i < nservers; i++)
		super_compose_to(i, type, fd, data, len);
}

static void
super_dispatch(struct imsgev *iev, struct imsg *imsg)
{
	struct super_server	*sv = iev->arg;
	size_t			 i, idx = sv - servers;

	/* A server sends no descriptor: it has none the parent wants. */
	if (imsg_expect_fd_types(imsg, NULL, 0) == -1) {
		log_warnx("server %zu sent a descriptor with message type "
		    "%u: stopping", idx, imsg->hdr.type);
		super_exit(1);
	}
	for (i = 0; i < naccepts; i++)
		if (imsg->hdr.type == accepts[i].type &&
		    (!accepts[i].first_only || idx == 0)) {
			accepts[i].cb(idx, imsg);
			return;
		}
	log_warnx("server %zu sent message type %u: stopping",
	    (size_t)(sv - servers), imsg->hdr.type);
	super_exit(1);
}

/* The channel usually closes before SIGCHLD. */
static void
super_server_closed(struct imsgev *iev)
{
	struct super_server	*sv = iev->arg;

	super_lost(&sv->child, "a server process");
}
