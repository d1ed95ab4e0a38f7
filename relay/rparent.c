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
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "conflex.h"
#include "log.h"
#include "super.h"
#include "relay/rimsg.h"
#include "relay/rparent.h"

/* Room for bursts between two wakeups of the server's event loop. */
#define RPARENT_RCVBUF		(4 * 1024 * 1024)

static struct super_opts	*opts;
static struct relay_conf	*conf;

static int	 rparent_bind(const struct sockaddr_storage *);
static void	 rparent_send_conf(void);
static void	 rparent_reload(void);

/* Each v6 socket leaves IPv4 to its own socket: no mapped addresses. */
static int
rparent_bind(const struct sockaddr_storage *ss)
{
	char	 buf[ADDR_STRLEN];
	int	 fd, rcvbuf = RPARENT_RCVBUF;

	fd = super_socket(ss, SOCK_DGRAM, 1);
	/* Best effort: the kernel caps it at net.core.rmem_max. */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	super_bind(fd, ss);
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
rparent_main(struct super_opts *o, struct relay_conf *c, char **argv)
{
	struct sockaddr_storage	 ss[RELAY_LISTEN_MAX];
	int			 fds[RELAY_LISTEN_MAX];
	size_t			 i, n;

	opts = o;
	conf = c;
	super_prepare(opts);
	n = conflex_listen_list(conf->listen, conf->nlisten,
	    RELAY_PORT_DEFAULT, ss);
	for (i = 0; i < n; i++)
		fds[i] = rparent_bind(&ss[i]);

	super_start(argv[0], opts, rparent_reload);
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
