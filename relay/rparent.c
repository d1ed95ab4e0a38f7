/*
 * parent: the privileged process of tern-relay.  It reads the config,
 * binds the UDP sockets and starts the server process, which it hands
 * the sockets and the limits over imsg; it re-reads the config on
 * SIGHUP, which a chrooted process could not.  It reads nothing from
 * the network and nothing from the server.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <event.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "conflex.h"
#include "drop.h"
#include "log.h"
#include "super.h"
#include "relay/rimsg.h"
#include "relay/rparent.h"

/* Room for bursts between two wakeups of the server's event loop. */
#define RPARENT_RCVBUF		(4 * 1024 * 1024)

static struct rparent_opts	*opts;
static struct relay_conf	*conf;

static int	 rparent_bind(const struct sockaddr_storage *);
static void	 rparent_send_conf(void);
static void	 rparent_reload(void);

/* Each v6 socket leaves IPv4 to its own socket: no mapped addresses. */
static int
rparent_bind(const struct sockaddr_storage *ss)
{
	char	 buf[ADDR_STRLEN];
	int	 fd, on = 1, rcvbuf = RPARENT_RCVBUF;

	if ((fd = socket(ss->ss_family, SOCK_DGRAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1)
		fatal("socket");
	if (ss->ss_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof(on)) == -1)
		fatal("IPV6_V6ONLY");
	/* Best effort: the kernel caps it at net.core.rmem_max. */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (bind(fd, (const struct sockaddr *)ss,
	    sockaddr_len((const struct sockaddr *)ss)) == -1)
		fatal("bind %s", sockaddr_str((const struct sockaddr *)ss, buf,
		    sizeof(buf)));
	log_info("listening on %s", sockaddr_str((const struct sockaddr *)ss,
	    buf, sizeof(buf)));
	return fd;
}

/* The secret stays here: the STUN server has no use for it. */
static void
rparent_send_conf(void)
{
	struct relay_imsg_conf	 ic;

	memset(&ic, 0, sizeof(ic));
	ic.rate = conf->rate;
	ic.burst = conf->burst;
	ic.table_size = conf->table_size;
	super_compose(IMSG_RELAY_CONF, -1, &ic, sizeof(ic));
}

__attribute__((noreturn)) void
rparent_main(struct rparent_opts *o, struct relay_conf *c, char **argv)
{
	struct sockaddr_storage	 ss[RELAY_LISTEN_MAX];
	char			 err[PATH_MAX + 128];
	int			 fds[RELAY_LISTEN_MAX];
	size_t			 i, n;

	opts = o;
	conf = c;
	log_procinit("parent");
	(void)drop_getpw(opts->user);
	if (drop_check_chroot(opts->chrootdir, err, sizeof(err)) == -1)
		fatalx("%s", err);
	n = conflex_listen_list(conf->listen, conf->nlisten,
	    RELAY_PORT_DEFAULT, ss);
	for (i = 0; i < n; i++)
		fds[i] = rparent_bind(&ss[i]);

	if (!opts->debug && daemon(0, 0) == -1)
		fatal("daemon");
	event_init();
	super_start(argv[0], opts->chrootdir, opts->user, opts->debug,
	    opts->verbose, rparent_reload);
	for (i = 0; i < n; i++)
		super_compose(IMSG_RELAY_SOCKET, fds[i], NULL, 0);
	rparent_send_conf();
	log_info("started: %zu sockets, server pid %d", n, (int)super_pid());
	event_dispatch();
	super_exit(1);
}

/* A config that does not parse is refused: the running one stays. */
static void
rparent_reload(void)
{
	struct relay_conf	*nconf;

	log_info("reloading %s", opts->conffile);
	if ((nconf = relay_parse_config(opts->conffile)) == NULL) {
		log_warnx("reload refused: %s has errors; the running "
		    "configuration stays", opts->conffile);
		return;
	}
	if (conflex_listen_changed(conf->listen, conf->nlisten,
	    nconf->listen, nconf->nlisten))
		log_warnx("the listen addresses changed: they take effect "
		    "when tern-relay is restarted");
	relay_conf_free(conf);
	conf = nconf;
	rparent_send_conf();
	log_info("sent the new configuration: %u/s, burst %u, %u slots",
	    conf->rate, conf->burst, conf->table_size);
}
