/*
 * server: the unprivileged process of tern-signal.  Re-executed by the
 * parent, it drops privileges and enters its sandbox before it reads
 * any input, then takes the listening sockets, the server key and the
 * config from the parent and serves the agents.
 */
#include <sys/socket.h>
#include <sys/syscall.h>
#include <event.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "log.h"
#include "monotime.h"
#include "proc.h"
#include "sandbox.h"
#include "server.h"

/* Prefix lengths of full addresses. */
#define SERVER_V4_BITS	32
#define SERVER_V6_BITS	128

struct server	*server;

static int	 node_cmp(struct node *, struct node *);
RB_GENERATE_STATIC(node_tree, node, entry, node_cmp)

static void	 server_dispatch(struct imsgev *, struct imsg *);
static void	 server_parent_closed(struct imsgev *);
static void	 server_tick(int, short, void *);
static void	 srv_conf_free(struct srv_conf *);
static int	 str_ok(const char *, size_t, int);
static int	 prefixes_ok(const struct tern_prefix *, size_t);
static void	 server_conf_start(const struct sig_imsg_conf *);
static void	 server_conf_peer(const struct sigmsg_peer *);
static void	 server_conf_relay(const struct sig_imsg_relay *);
static void	 server_conf_end(void);
static void	 server_reload(struct srv_conf *, struct srv_conf *);
static void	 server_listen(void);

static int
node_cmp(struct node *a, struct node *b)
{
	return memcmp(a->peer->node_key, b->peer->node_key, KEY_LEN);
}

struct node *
server_node_find(struct srv_conf *conf, const uint8_t key[KEY_LEN])
{
	struct sigmsg_peer	 p;
	struct node		 n;

	memcpy(p.node_key, key, KEY_LEN);
	n.peer = &p;
	return RB_FIND(node_tree, &conf->bykey, &n);
}

__attribute__((noreturn)) void
server_main(const char *chrootdir, const char *user, int debug, int verbose)
{
	static struct server	 s;
	struct timeval		 tv = { SERVER_TICK_MS / SERVER_MS_PER_S, 0 };
	int			 t;

	proc_child_enter("server", user, chrootdir, SANDBOX_SIGNAL, NULL,
	    debug, verbose);

	server = &s;
	TAILQ_INIT(&s.conns);
	for (t = 0; t < TIMER_COUNT; t++)
		TAILQ_INIT(&s.timers[t]);
	TAILQ_INIT(&s.relay_due);
	RB_INIT(&s.addrs);
	s.netmap_gen = SERVER_GEN_STALE + 1;
	randombytes_buf(s.hstab_key, sizeof(s.hstab_key));
	imsgev_init(&s.parent, PROC_PARENT_FD, server_dispatch,
	    server_parent_closed, NULL);
	imsgbuf_set_outq_max(&s.parent.ibuf, SIGNAL_PRIV_OUTQ_MAX);
	event_set(&s.ev_tick, -1, EV_PERSIST, server_tick, NULL);
	event_add(&s.ev_tick, &tv);
	event_dispatch();
	fatalx("event loop ended");
}

static void
srv_conf_free(struct srv_conf *conf)
{
	if (conf == NULL)
		return;
	free(conf->peers);
	free(conf->nodes);
	if (conf->relays != NULL)
		sodium_memzero(conf->relays,
		    conf->c.nrelays * sizeof(conf->relays[0]));
	free(conf->relays);
	free(conf->rnodes);
	free(conf->members);
	free(conf->mark);
	free(conf);
}

static int
str_ok(const char *s, size_t len, int empty_ok)
{
	return memchr(s, '\0', len) != NULL && (empty_ok || s[0] != '\0');
}

static void
server_conf_start(const struct sig_imsg_conf *ic)
{
	struct srv_conf	*conf;

	if (server->pending != NULL || ic->msg_max == 0 ||
	    ic->msg_max > SIGMSG_MAX || ic->queue_max == 0 || ic->rate == 0 ||
	    ic->rate > UINT32_MAX / 2 || ic->hs_rate == 0 ||
	    ic->conn_per_addr == 0 || ic->handshakes == 0 ||
	    ic->cred_lifetime == 0 ||
	    ic->lazy < -1 || ic->lazy > 1 ||
	    (ic->inactivity != 0 && (ic->inactivity < SIGMSG_INACTIVITY_MIN ||
	    ic->inactivity > SIGMSG_INACTIVITY_MAX)) ||
	    ic->npeers > SIGNAL_PEERS_MAX || ic->nrelays > SIGNAL_RELAYS_MAX)
		fatalx("parent sent a bad config");
	if ((conf = calloc(1, sizeof(*conf))) == NULL ||
	    (ic->npeers > 0 &&
	    ((conf->peers = calloc(ic->npeers, sizeof(*conf->peers))) == NULL ||
	    (conf->nodes = calloc(ic->npeers, sizeof(*conf->nodes))) ==
	    NULL)) ||
	    (ic->nrelays > 0 && ((conf->relays = calloc(ic->nrelays,
	    sizeof(*conf->relays))) == NULL ||
	    (conf->rnodes = calloc(ic->nrelays, sizeof(*conf->rnodes))) ==
	    NULL)))
		fatal("config");
	conf->c = *ic;
	RB_INIT(&conf->bykey);
	server->pending = conf;
}

static int
prefixes_ok(const struct tern_prefix *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (!(p[i].af == AF_INET && p[i].plen <= SERVER_V4_BITS) &&
		    !(p[i].af == AF_INET6 && p[i].plen <= SERVER_V6_BITS))
			return 0;
	return 1;
}

static void
server_conf_peer(const struct sigmsg_peer *p)
{
	struct srv_conf	*conf = server->pending;
	struct node	*n;
	size_t		 i;

	if (conf == NULL || conf->npeers >= conf->c.npeers ||
	    !str_ok(p->name, sizeof(p->name), 0) ||
	    p->naddrs == 0 || p->naddrs > SIGMSG_ADDRS_MAX ||
	    p->nallowed > SIGMSG_ALLOWED_MAX ||
	    p->ngroups > SIGMSG_GROUPS_MAX ||
	    !str_ok(p->version, sizeof(p->version), 1) ||
	    !prefixes_ok(p->addrs, p->naddrs) ||
	    !prefixes_ok(p->allowed, p->nallowed))
		fatalx("parent sent a bad peer");
	for (i = 0; i < p->ngroups; i++)
		if (!str_ok(p->groups[i], sizeof(p->groups[i]), 0))
			fatalx("parent sent a bad peer group");
	conf->peers[conf->npeers] = *p;
	n = &conf->nodes[conf->npeers];
	n->peer = &conf->peers[conf->npeers];
	if (RB_INSERT(node_tree, &conf->bykey, n) != NULL)
		fatalx("parent sent node %s twice", p->name);
	conf->npeers++;
}

static void
server_conf_relay(const struct sig_imsg_relay *r)
{
	struct srv_conf	*conf = server->pending;

	if (conf == NULL || conf->nrelays >= conf->c.nrelays ||
	    !str_ok(r->id, sizeof(r->id), 0) ||
	    !str_ok(r->address, sizeof(r->address), 0) ||
	    !str_ok(r->secret, sizeof(r->secret), 0) ||
	    !str_ok(r->realm, sizeof(r->realm), 1) || r->has_key > 1 ||
	    (r->has_key && (server_node_find(conf, r->key) != NULL ||
	    presence_find(conf, r->key) != NULL)))
		fatalx("parent sent a bad relay");
	conf->relays[conf->nrelays] = *r;
	conf->rnodes[conf->nrelays].relay = &conf->relays[conf->nrelays];
	conf->nrelays++;
}

static void
server_listen(void)
{
	size_t	 i;

	for (i = 0; i < server->nlisten; i++) {
		event_set(&server->lev[i], server->lfd[i], EV_READ | EV_PERSIST,
		    conn_accept, NULL);
		event_add(&server->lev[i], NULL);
	}
	server->listening = 1;
	server->accept_paused = 0;
}

/*
 * A reload: connections move to their node in the new config or, if
 * it is gone, are refused; then each online node gets a new netmap if
 * its own changed, and new relays if they changed.
 */
static void
server_reload(struct srv_conf *old, struct srv_conf *nconf)
{
	struct conn	*c, *next;
	struct node	*n;
	char		 b64[KEY_B64LEN], name[SERVER_CONN_STRLEN];
	int		 relays_changed, netmaps_same, removed = 0, netmaps = 0;
	int		 rv;

	netmap_versions_keep(old, nconf);
	presence_keep(old, nconf);
	relays_changed = !relays_equal(old, nconf);
	netmaps_same = memcmp(old->digest, nconf->digest,
	    sizeof(nconf->digest)) == 0;
	TAILQ_FOREACH_SAFE(c, &server->conns, entry, next) {
		c->resend_relays = 0;
		if (c->relay != NULL) {
			presence_reload_conn(c, nconf);
			continue;
		}
		if (c->node == NULL)
			continue;
		if (c->state == CONN_CLOSING) {
			c->node = NULL;
			continue;
		}
		if ((n = server_node_find(nconf, c->node->peer->node_key)) ==
		    NULL) {
			key_to_b64(c->node->peer->node_key, b64);
			log_info("%s: removed from the configuration",
			    conn_name(c, name, sizeof(name)));
			removed++;
			if (conn_close_error(c, "auth", "node key %s was "
			    "removed from the configuration", b64) == 0)
				c->node = NULL;
			continue;
		}
		c->resend_relays = strcmp(n->peer->name, c->node->peer->name);
		if (c->node->conn == c)
			n->conn = c;
		c->node = n;
	}
	server->conf = nconf;
	srv_conf_free(old);
	conn_limits_all();
	TAILQ_FOREACH_SAFE(c, &server->conns, entry, next) {
		if (c->state != CONN_ONLINE)
			continue;
		if (!netmaps_same && (rv = conn_send_netmap(c, 0)) != 0) {
			if (rv == -1)
				continue;
			netmaps++;
		}
		if (relays_changed || c->resend_relays)
			(void)conn_send_relays(c);
	}
	log_info("configuration reloaded: %zu nodes, %zu relays%s; %d online "
	    "nodes got a new netmap, %d were removed", nconf->npeers,
	    nconf->nrelays, relays_changed ? " (relays changed)" : "",
	    netmaps, removed);
}

static void
server_conf_end(void)
{
	struct srv_conf	*nconf = server->pending, *old = server->conf;

	if (nconf == NULL || nconf->npeers != nconf->c.npeers ||
	    nconf->nrelays != nconf->c.nrelays || !server->have_key)
		fatalx("parent sent an incomplete config");
	if (netmap_index(nconf) == -1)
		fatal("config");
	netmap_sign(nconf, old);
	server->pending = NULL;
	if (old == NULL) {
		server->conf = nconf;
		server_listen();
		log_info("serving %zu nodes, %zu relays on %zu sockets",
		    nconf->npeers, nconf->nrelays, server->nlisten);
		return;
	}
	server_reload(old, nconf);
}

static void
server_dispatch(struct imsgev *iev, struct imsg *imsg)
{
	struct sig_imsg_conf	 ic;
	struct sig_imsg_relay	 r;
	struct sig_imsg_key	 k;
	static struct sigmsg_peer p;
	static const uint32_t	 fd_types[] = { IMSG_SIG_LISTEN };

	if (imsg_expect_fd_types(imsg, fd_types,
	    sizeof(fd_types) / sizeof(fd_types[0])) == -1)
		fatalx("parent sent a descriptor with message type %u",
		    imsg->hdr.type);
	switch (imsg->hdr.type) {
	case IMSG_SIG_LISTEN:
		if (imsg->fd == -1 || server->listening ||
		    server->nlisten >= SIGNAL_LISTEN_MAX ||
		    imsg_expect_empty(imsg) == -1)
			fatalx("parent sent a bad listening socket");
		server->lfd[server->nlisten++] = imsg->fd;
		imsg->fd = -1;
		break;
	case IMSG_SIG_KEY:
		if (imsg_get_data(imsg, &k, sizeof(k)) == -1)
			fatalx("parent sent a bad server key");
		memcpy(server->priv, k.priv, KEY_LEN);
		memcpy(server->sign_sk, k.sign_sk, sizeof(server->sign_sk));
		sodium_memzero(&k, sizeof(k));
		server->have_key = 1;
		break;
	case IMSG_SCONF_START:
		if (imsg_get_data(imsg, &ic, sizeof(ic)) == -1)
			fatalx("parent sent a bad config");
		server_conf_start(&ic);
		break;
	case IMSG_SCONF_PEER:
		if (imsg_get_data(imsg, &p, sizeof(p)) == -1)
			fatalx("parent sent a bad peer");
		server_conf_peer(&p);
		break;
	case IMSG_SCONF_RELAY:
		if (imsg_get_data(imsg, &r, sizeof(r)) == -1)
			fatalx("parent sent a bad relay");
		server_conf_relay(&r);
		sodium_memzero(&r, sizeof(r));
		break;
	case IMSG_SCONF_END:
		if (imsg_expect_empty(imsg) == -1)
			fatalx("parent sent a bad end of config");
		server_conf_end();
		break;
	default:
		fatalx("parent sent unknown message type %u", imsg->hdr.type);
	}
}

static void
server_parent_closed(struct imsgev *iev)
{
	/* The parent is gone: nothing is left to serve. */
	log_debug("parent closed the channel");
	exit(0);
}

static const char *const server_timer_why[TIMER_COUNT] = {
	[TIMER_HS] = "no handshake and hello within 10 s",
	[TIMER_IDLE] = "no message for 60 s: idle",
	[TIMER_CLOSE] = NULL,
};

/*
 * One timer for the whole server.  Each timeout list is in deadline
 * order (one duration per list), so only expired entries are looked at;
 * the relay list is in order of when relays were last sent.
 */
static void
server_tick(int fd, short event, void *arg)
{
	struct conn	*c;
	uint64_t	 now = monotime_ms(), half;
	size_t		 n;
	int		 t;

	if (server->listening && server->accept_paused)
		server_listen();
	for (t = TIMER_HS; t < TIMER_COUNT; t++)
		while ((c = TAILQ_FIRST(&server->timers[t])) != NULL &&
		    c->deadline_ms <= now)
			conn_free(c, server_timer_why[t]);
	if (server->conf == NULL)
		return;
	netmap_resign(server->conf);
	conn_flush_netmaps();
	/* Renewed at half their lifetime; a list sent since counts. */
	half = (uint64_t)server->conf->c.cred_lifetime * SERVER_MS_PER_S / 2;
	for (n = server->nonline; n > 0; n--) {
		if ((c = TAILQ_FIRST(&server->relay_due)) == NULL ||
		    c->relays_ms + half > now)
			break;
		log_debug("renewing the relay credentials of node %s",
		    c->node->peer->name);
		(void)conn_send_relays(c);
	}
	/* After the renewals, which carry what presence changed. */
	conn_flush_relays();
}
