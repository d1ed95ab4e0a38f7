/*
 * parent: the privileged process of tern-signal.  It reads the config
 * and the server's private key, binds the listening sockets and starts
 * the server process, which it feeds over imsg; it re-reads the config
 * on SIGHUP, which a chrooted process could not.  It reads nothing from
 * the network and nothing from the server.
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <errno.h>
#include <event.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "conflex.h"
#include "imsgev.h"
#include "log.h"
#include "super.h"
#include "sigimsg.h"
#include "sparent.h"

/* Room for 10,000 agents and more: one descriptor each. */
#define SPARENT_NOFILE		65536
#define SPARENT_BACKLOG		4096	/* reconnect storms after a restart */

_Static_assert(IMSG_HEADER_SIZE + sizeof(struct sigmsg_peer) <= IMSG_MAX_SIZE,
    "a peer must fit in one imsg");
_Static_assert(IMSG_HEADER_SIZE + sizeof(struct sig_imsg_relay) <=
    IMSG_MAX_SIZE, "a relay must fit in one imsg");

static struct super_opts	*opts;
static struct signal_conf	*conf;

static int	 sparent_bind(const struct sockaddr_storage *, int);
static void	 sparent_send_key(const uint8_t [KEY_LEN]);
static void	 sparent_send_conf(void);
static void	 sparent_reload(void);

int
sparent_read_key(const struct signal_conf *c, uint8_t priv[KEY_LEN])
{
	char	 err[PATH_MAX + 128];

	if (key_read_file(c->keyfile, priv, err, sizeof(err)) == -1) {
		log_warnx("server key: %s (create it with: tern-signal -G %s)",
		    err, c->keyfile);
		return -1;
	}
	return 0;
}

static int
sparent_bind(const struct sockaddr_storage *ss, int v6only)
{
	char	 buf[ADDR_STRLEN];
	int	 fd, on = 1;

	fd = super_socket(ss, SOCK_STREAM, v6only);
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1)
		fatal("SO_REUSEADDR");
	/* Accepted sockets inherit it: signaling is small messages. */
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) == -1)
		fatal("TCP_NODELAY");
	super_bind(fd, ss);
	if (listen(fd, SPARENT_BACKLOG) == -1)
		fatal("listen %s", sockaddr_str((const struct sockaddr *)ss,
		    buf, sizeof(buf)));
	log_info("listening on %s", sockaddr_str((const struct sockaddr *)ss,
	    buf, sizeof(buf)));
	return fd;
}

static void
sparent_send_key(const uint8_t seed[KEY_LEN])
{
	struct sig_imsg_key	 k;
	uint8_t			 pk[NMSIGN_PK_LEN];

	nmsign_keypair(seed, pk, k.sign_sk);
	if (nmsign_noise_private(k.sign_sk, k.priv) == -1)
		fatalx("server key: no X25519 form");
	super_compose(IMSG_SIG_KEY, -1, &k, sizeof(k));
	sodium_memzero(&k, sizeof(k));
}

/* The config, one peer and one relay per message, then the end marker. */
static void
sparent_send_conf(void)
{
	struct sig_imsg_conf	 ic;
	struct sig_imsg_relay	 ir;
	struct signal_peer	*p;
	struct signal_relay	*r;

	memset(&ic, 0, sizeof(ic));
	ic.lazy = conf->lazy;
	ic.inactivity = conf->inactivity;
	ic.isolate_groups = conf->isolate_groups;
	ic.msg_max = conf->msg_max;
	ic.queue_max = conf->queue_max;
	ic.rate = conf->rate;
	ic.conn_per_addr = conf->conn_per_addr;
	ic.hs_rate = conf->hs_rate;
	ic.handshakes = conf->handshakes;
	ic.cred_lifetime = conf->cred_lifetime;
	ic.npeers = conf->npeers;
	ic.nrelays = conf->nrelays;
	super_compose(IMSG_SCONF_START, -1, &ic, sizeof(ic));
	TAILQ_FOREACH(p, &conf->peers, entry)
		super_compose(IMSG_SCONF_PEER, -1, &p->p, sizeof(p->p));
	TAILQ_FOREACH(r, &conf->relays, entry) {
		memset(&ir, 0, sizeof(ir));
		strlcpy(ir.id, r->id, sizeof(ir.id));
		strlcpy(ir.address, r->address, sizeof(ir.address));
		strlcpy(ir.secret, r->secret, sizeof(ir.secret));
		strlcpy(ir.realm, r->realm, sizeof(ir.realm));
		memcpy(ir.key, r->key, KEY_LEN);
		ir.has_key = r->has_key;
		super_compose(IMSG_SCONF_RELAY, -1, &ir, sizeof(ir));
		sodium_memzero(&ir, sizeof(ir));
	}
	super_compose(IMSG_SCONF_END, -1, NULL, 0);
}

__attribute__((noreturn)) void
sparent_main(struct super_opts *o, struct signal_conf *c, char **argv)
{
	struct sockaddr_storage	 ss[SIGNAL_LISTEN_MAX];
	uint8_t			 priv[KEY_LEN];
	int			 fds[SIGNAL_LISTEN_MAX], v4 = 0, v6only;
	size_t			 i, n;
	rlim_t			 nofile;

	opts = o;
	conf = c;
	super_prepare(opts);
	if (sparent_read_key(conf, priv) == -1)
		exit(1);
	if ((nofile = super_nofile(SPARENT_NOFILE)) < SPARENT_NOFILE)
		log_warnx("only %llu file descriptors: as many agents at most",
		    (unsigned long long)nofile);
	n = conflex_listen_list(conf->listen, conf->nlisten,
	    SIGNAL_PORT_DEFAULT, ss);
	for (i = 0; i < n; i++)
		if (ss[i].ss_family == AF_INET)
			v4 = 1;
	/* With both families, each v6 socket leaves IPv4 to its own. */
	v6only = v4;
	for (i = 0; i < n; i++)
		fds[i] = sparent_bind(&ss[i], v6only);

	super_start(argv[0], opts, sparent_reload, 1);
	imsgbuf_set_outq_max(&super_iev()->ibuf, SIGNAL_PRIV_OUTQ_MAX);
	for (i = 0; i < n; i++)
		super_compose(IMSG_SIG_LISTEN, fds[i], NULL, 0);
	sparent_send_key(priv);
	sodium_memzero(priv, sizeof(priv));
	sparent_send_conf();
	log_info("started: %zu nodes, %zu relays, server pid %d",
	    conf->npeers, conf->nrelays, (int)super_pid());
	event_dispatch();
	super_exit(1);
}

/* A config that does not parse, or whose key is unreadable, is refused. */
static void
sparent_reload(void)
{
	struct signal_conf	*nconf;
	uint8_t			 priv[KEY_LEN];

	log_info("reloading %s", opts->conffile);
	/* The output queue holds one whole config, not two. */
	if (imsgbuf_queued(&super_iev()->ibuf)) {
		log_warnx("reload refused: the server process is still "
		    "reading the previous configuration");
		return;
	}
	if ((nconf = signal_parse_config(opts->conffile)) == NULL) {
		log_warnx("reload refused: %s has errors; the running "
		    "configuration stays", opts->conffile);
		return;
	}
	if (sparent_read_key(nconf, priv) == -1) {
		log_warnx("reload refused: the running configuration stays");
		signal_conf_free(nconf);
		return;
	}
	if (conflex_listen_changed(conf->listen, conf->nlisten,
	    nconf->listen, nconf->nlisten))
		log_warnx("the listen addresses changed: they take effect "
		    "when tern-signal is restarted");
	signal_conf_free(conf);
	conf = nconf;
	sparent_send_key(priv);
	sodium_memzero(priv, sizeof(priv));
	sparent_send_conf();
	log_info("sent the new configuration: %zu nodes, %zu relays",
	    conf->npeers, conf->nrelays);
}
