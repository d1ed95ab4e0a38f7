/*
 * engine: the unprivileged process of ternd.  Re-executed by the parent,
 * it drops privileges before it reads any input, then owns the peer
 * ports, the UDP socket and the control socket, and keeps the peer table.
 */
#include <sys/socket.h>
#include <sys/syscall.h>
#include <arpa/inet.h>
#include <event.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <tls.h>

#include "engine.h"
#include "log.h"
#include "peerport.h"
#include "proc.h"
#include "sandbox.h"
#include "ice.h"
#include "relaymgr.h"
#include "stunc.h"
#include "turnstream.h"

#include <sodium.h>

struct engine	*engine;

static int	 remote_cmp(struct peer *, struct peer *);
RB_GENERATE_STATIC(peer_remote_tree, peer, remote_entry, remote_cmp)
static int	 rx_cmp(struct peer_rx *, struct peer_rx *);
RB_GENERATE_STATIC(peer_rx_tree, peer_rx, entry, rx_cmp)
static int	 alt_cmp(struct peer *, struct peer *);
RB_GENERATE_STATIC(peer_alt_tree, peer, alt_entry, alt_cmp)
static int	 node_cmp(struct peer *, struct peer *);
RB_GENERATE_STATIC(peer_node_tree, peer, node_entry, node_cmp)
static int	 wg_cmp(struct peer *, struct peer *);
RB_GENERATE_STATIC(peer_wg_tree, peer, wg_entry, wg_cmp)

static void	 engine_prepare(void);
static void	 engine_dispatch(struct imsgev *, struct imsg *);
static void	 engine_parent_closed(struct imsgev *);
static void	 engine_sigterm(int, short, void *);
static __attribute__((noreturn)) void engine_stop(void);

/* The order of the address trees: address, then port. */
static int
sin6_cmp(const struct sockaddr_in6 *a, const struct sockaddr_in6 *b)
{
	int	 r;

	if ((r = memcmp(&a->sin6_addr, &b->sin6_addr,
	    sizeof(a->sin6_addr))) != 0)
		return r;
	return (int)ntohs(a->sin6_port) - (int)ntohs(b->sin6_port);
}

static int
remote_cmp(struct peer *a, struct peer *b)
{
	return sin6_cmp(&a->remote, &b->remote);
}

static int
rx_cmp(struct peer_rx *a, struct peer_rx *b)
{
	return sin6_cmp(&a->addr, &b->addr);
}

static int
alt_cmp(struct peer *a, struct peer *b)
{
	return sin6_cmp(&a->alt, &b->alt);
}

static int
node_cmp(struct peer *a, struct peer *b)
{
	return memcmp(a->node_key, b->node_key, KEY_LEN);
}

static int
wg_cmp(struct peer *a, struct peer *b)
{
	return memcmp(a->conf.wgkey, b->conf.wgkey, KEY_LEN);
}

/* Before the chroot and the sandbox: libtls reads its settings. */
static void
engine_prepare(void)
{
	static struct event	 ev_term;

	if (tls_init() == -1)
		fatalx("tls_init failed");
	/*
	 * The parent stops the engine with its channel closed and SIGTERM
	 * at once: both end it the same way, the TURN allocation released
	 * first.  Set before the sandbox, which has no sigaction.
	 */
	signal_set(&ev_term, SIGTERM, engine_sigterm, NULL);
	if (signal_add(&ev_term, NULL) == -1)
		fatal("signal_add");
}

static void
engine_sigterm(int sig, short ev, void *arg)
{
	log_debug("stopped by the parent");
	engine_stop();
}

/* The parent is gone or stops us: nothing is left to serve. */
static __attribute__((noreturn)) void
engine_stop(void)
{
	if (engine != NULL)
		relaymgr_shutdown();
	exit(0);
}

__attribute__((noreturn)) void
engine_main(const char *chrootdir, int debug, int verbose)
{
	static struct engine	 e;

	proc_child_enter("engine", TERND_USER, chrootdir, SANDBOX_ENGINE,
	    engine_prepare, debug, verbose);

	memset(&e, 0, sizeof(e));
	engine = &e;
	e.netfd = e.ppfd = e.ctlfd = e.rctlfd = e.probefd = -1;
	e.started = time(NULL);
	seal_session_new(&e.sig_sess);
	TAILQ_INIT(&e.peers);
	TAILQ_INIT(&e.pending);
	RB_INIT(&e.byremote);
	RB_INIT(&e.byalt);
	RB_INIT(&e.byrx);
	RB_INIT(&e.bynode);
	RB_INIT(&e.bywg);
	TAILQ_INIT(&e.ctl_conns);
	fwd_init();
	ice_init();
	cm_init();
	relaymgr_init();
	imsgev_init(&e.parent, PROC_PARENT_FD, engine_dispatch,
	    engine_parent_closed, NULL);
	imsgbuf_set_outq_max(&e.parent.ibuf, TERND_PRIV_OUTQ_MAX);
	event_dispatch();
	fatalx("event loop ended");
}

int
engine_to_parent(uint32_t type, uint32_t peerid, const void *data,
    size_t len)
{
	if (imsgev_compose(&engine->parent, type, peerid, -1, data, len) ==
	    -1) {
		log_warn("imsg to parent");
		return -1;
	}
	return 0;
}

struct peer *
peer_by_remote(const struct sockaddr_in6 *sin6)
{
	struct peer	 key;

	key.remote = *sin6;
	return RB_FIND(peer_remote_tree, &engine->byremote, &key);
}

struct peer *
peer_by_alt(const struct sockaddr_in6 *sin6)
{
	struct peer	 key;

	key.alt = *sin6;
	return RB_FIND(peer_alt_tree, &engine->byalt, &key);
}

struct peer *
peer_by_rx(const struct sockaddr_in6 *sin6)
{
	struct peer_rx	 key, *r;

	key.addr = *sin6;
	r = RB_FIND(peer_rx_tree, &engine->byrx, &key);
	return r != NULL ? r->p : NULL;
}

/* An authenticated check from sin6: p's datagrams may come from there. */
void
peer_rx_add(struct peer *p, const struct sockaddr_in6 *sin6)
{
	struct peer_rx	 key, *r;

	/* The latest authenticated check wins the address. */
	key.addr = *sin6;
	if ((r = RB_FIND(peer_rx_tree, &engine->byrx, &key)) != NULL) {
		if (r->p == p)
			return;
		RB_REMOVE(peer_rx_tree, &engine->byrx, r);
		r->in_tree = 0;
	}
	r = &p->rx[p->rx_next];
	p->rx_next = (p->rx_next + 1) % PEER_RX_MAX;
	if (r->in_tree)
		RB_REMOVE(peer_rx_tree, &engine->byrx, r);
	r->addr = *sin6;
	r->p = p;
	r->in_tree = RB_INSERT(peer_rx_tree, &engine->byrx, r) == NULL;
}

void
peer_rx_clear(struct peer *p)
{
	size_t	 i;

	for (i = 0; i < PEER_RX_MAX; i++) {
		if (p->rx[i].in_tree)
			RB_REMOVE(peer_rx_tree, &engine->byrx, &p->rx[i]);
		p->rx[i].in_tree = 0;
	}
}

/* The relay path beside p's direct one (NULL: none). */
void
peer_alt_set(struct peer *p, const struct sockaddr_in6 *sin6, int via)
{
	if (p->has_alt)
		RB_REMOVE(peer_alt_tree, &engine->byalt, p);
	p->has_alt = 0;
	if (sin6 == NULL)
		return;
	p->alt = *sin6;
	p->alt_via = via;
	if (RB_INSERT(peer_alt_tree, &engine->byalt, p) != NULL) {
		log_warnx("peer %s: relay path already used by another peer",
		    p->conf.name);
		return;
	}
	p->has_alt = 1;
}

struct peer *
peer_by_node(const uint8_t key[KEY_LEN])
{
	struct peer	 k;

	memcpy(k.node_key, key, KEY_LEN);
	return RB_FIND(peer_node_tree, &engine->bynode, &k);
}

int
peer_node_insert(struct peer *p)
{
	if (RB_INSERT(peer_node_tree, &engine->bynode, p) != NULL)
		return -1;
	p->has_node_key = 1;
	return 0;
}

struct peer *
peer_by_idx(uint32_t idx)
{
	if (idx >= engine->byidx_len)
		return NULL;
	return engine->byidx[idx];
}

/* The lowest free peer-port index, growing the table as needed. */
int
peer_alloc_idx(struct peer *p)
{
	struct peer	**n;
	size_t		 i, len;

	for (i = engine->idx_hint; i < engine->byidx_len; i++)
		if (engine->byidx[i] == NULL)
			break;
	if (i == engine->byidx_len) {
		if (i >= PEERPORT_COUNT)
			return -1;
		len = engine->byidx_len ? engine->byidx_len * 2 : 64;
		if ((n = reallocarray(engine->byidx, len, sizeof(*n))) == NULL)
			return -1;
		memset(n + engine->byidx_len, 0,
		    (len - engine->byidx_len) * sizeof(*n));
		engine->byidx = n;
		engine->byidx_len = len;
	}
	if (peerport_addr(i, engine->conf.peerport, &p->pp) == -1)
		return -1;
	engine->byidx[i] = p;
	engine->idx_hint = i + 1;
	p->idx = i;
	return 0;
}

/* Where p's WireGuard datagrams go, and whose datagrams are p's. */
int
peer_remote_set(struct peer *p, const struct sockaddr_in6 *sin6)
{
	peer_remote_clear(p);
	p->remote = *sin6;
	if (RB_INSERT(peer_remote_tree, &engine->byremote, p) != NULL) {
		log_warnx("peer %s: endpoint already used by another peer",
		    p->conf.name);
		return -1;
	}
	p->has_remote = 1;
	return 0;
}

void
peer_remote_clear(struct peer *p)
{
	if (p->has_remote)
		RB_REMOVE(peer_remote_tree, &engine->byremote, p);
	p->has_remote = 0;
	p->via_relay = 0;
	p->path_how = 0;
}

void
peer_set_state(struct peer *p, enum peer_state st, const char *why)
{
	static const char *names[] = { "Idle", "Connecting", "Connected" };

	if (p->state == st)
		return;
	log_info("peer %s: %s -> %s (%s)", p->conf.name, names[p->state],
	    names[st], why);
	p->state = st;
	p->state_since = time(NULL);
}

static void
peer_set_remote(struct peer *p)
{
	struct sockaddr_in6	 sin6;

	peer_remote_clear(p);
	if (!p->conf.has_endpoint) {
		peer_set_state(p, PEER_IDLE, "no endpoint");
		return;
	}
	sockaddr_to_v6((struct sockaddr *)&p->conf.endpoint, &sin6);
	if (peer_remote_set(p, &sin6) == 0)
		peer_set_state(p, PEER_CONNECTED, "static endpoint");
}

void
peer_push(struct peer *p)
{
	struct imsg_wg_peer	 wp;
	struct imsg_wg_signed	 ws;

	/* The parent builds a netmap peer from the entry it verifies. */
	if (p->source == PEER_SRC_NETMAP) {
		memset(&ws, 0, sizeof(ws));
		ws.entry = p->nm;
		ws.keepalive = p->conf.keepalive;
		ws.endpoint = p->pp;
		engine_to_parent(IMSG_WG_PEER_SIGNED, 0, &ws, sizeof(ws));
		return;
	}
	memset(&wp, 0, sizeof(wp));
	memcpy(wp.wgkey, p->conf.wgkey, KEY_LEN);
	memcpy(wp.allowed, p->conf.allowed, sizeof(wp.allowed));
	wp.nallowed = p->conf.nallowed;
	wp.keepalive = p->conf.keepalive;
	wp.endpoint = p->pp;
	engine_to_parent(IMSG_WG_PEER_SET, 0, &wp, sizeof(wp));
}

void
peer_free(struct peer *p)
{
	struct imsg_wg_peer_del	 wd;

	memcpy(wd.wgkey, p->conf.wgkey, KEY_LEN);
	engine_to_parent(IMSG_WG_PEER_DEL, 0, &wd, sizeof(wd));
	ice_stop(p);
	cm_peer_freed(p);
	if (p->has_node_key)
		RB_REMOVE(peer_node_tree, &engine->bynode, p);
	peer_remote_clear(p);
	peer_alt_set(p, NULL, 0);
	peer_rx_clear(p);
	pathsel_release(&p->ps, &engine->relayed);
	engine->byidx[p->idx] = NULL;
	if (p->idx < engine->idx_hint)
		engine->idx_hint = p->idx;
	RB_REMOVE(peer_wg_tree, &engine->bywg, p);
	TAILQ_REMOVE(&engine->peers, p, entry);
	engine->npeers--;
	log_info("peer %s removed", p->conf.name);
	free(p);
}

struct peer *
peer_by_wgkey(const uint8_t key[KEY_LEN])
{
	struct peer	 k;

	memcpy(k.conf.wgkey, key, KEY_LEN);
	return RB_FIND(peer_wg_tree, &engine->bywg, &k);
}

/* A linear search: only ternctl asks by name. */
struct peer *
peer_by_name(const char *name)
{
	struct peer	*p;

	TAILQ_FOREACH(p, &engine->peers, entry)
		if (strcmp(p->conf.name, name) == 0)
			return p;
	return NULL;
}

/* Callers made sure no peer has its WireGuard key. */
void
peer_insert(struct peer *p)
{
	TAILQ_INSERT_TAIL(&engine->peers, p, entry);
	RB_INSERT(peer_wg_tree, &engine->bywg, p);
	engine->npeers++;
}

struct peer *
peer_find_key(struct peer_head *head, const uint8_t key[KEY_LEN])
{
	struct peer	*p;

	TAILQ_FOREACH(p, head, entry)
		if (memcmp(p->conf.wgkey, key, KEY_LEN) == 0)
			return p;
	return NULL;
}

/*
 * A complete static peer list arrived: peers that left are removed,
 * new ones get a peer port, changed ones are pushed again.  Removals go
 * first so that an endpoint or allowed IP can move between peers.
 */
static void
engine_static_end(void)
{
	struct peer	*p, *np, *old;
	int		 changed;

	TAILQ_FOREACH_SAFE(old, &engine->peers, entry, np)
		if (old->source == PEER_SRC_STATIC &&
		    peer_find_key(&engine->pending, old->conf.wgkey) == NULL)
			peer_free(old);
	TAILQ_FOREACH(old, &engine->peers, entry)
		if (old->source == PEER_SRC_STATIC)
			peer_remote_clear(old);
	while ((p = TAILQ_FIRST(&engine->pending)) != NULL) {
		TAILQ_REMOVE(&engine->pending, p, entry);
		if ((old = peer_by_wgkey(p->conf.wgkey)) != NULL) {
			/* A static peer takes over one the netmap gave. */
			if (old->source != PEER_SRC_STATIC) {
				log_info("peer %s: static config replaces the "
				    "netmap's", p->conf.name);
				peer_free(old);
				goto add;
			}
			changed = memcmp(&old->conf, &p->conf,
			    sizeof(old->conf)) != 0;
			old->conf = p->conf;
			free(p);
			peer_set_remote(old);
			if (changed) {
				log_info("peer %s changed", old->conf.name);
				peer_push(old);
			}
			continue;
		}
 add:
		if (peer_alloc_idx(p) == -1) {
			log_warnx("peer %s: no free peer port", p->conf.name);
			free(p);
			continue;
		}
		peer_insert(p);
		peer_set_remote(p);
		log_info("peer %s added on peer port %s:%u", p->conf.name,
		    inet_ntoa(p->pp.sin_addr), engine->conf.peerport);
		peer_push(p);
	}
}

static void
engine_static_peer(const struct imsg_peer *ip)
{
	struct peer	*p;

	if (ip->nallowed > TERN_ALLOWED_MAX ||
	    memchr(ip->name, '\0', sizeof(ip->name)) == NULL)
		fatalx("malformed static peer from the parent");
	if ((p = calloc(1, sizeof(*p))) == NULL)
		fatal(NULL);
	p->conf = *ip;
	TAILQ_INSERT_TAIL(&engine->pending, p, entry);
}

static void
engine_wg_stats(const struct imsg_wg_stats *st)
{
	struct peer	*p;

	if ((p = peer_by_wgkey(st->wgkey)) != NULL)
		p->last_handshake = st->last_handshake;
}

/* The parent's messages that carry a descriptor (or -1 for a failure). */
static const uint32_t engine_fd_types[] = {
	IMSG_SOCKET_NET, IMSG_SOCKET_PEERPORT, IMSG_SOCKET_CONTROL,
	IMSG_SOCKET_CONTROL_RO,
	IMSG_SOCKET_PROBE, IMSG_SOCKET_SIGNAL, IMSG_RELAY_CONN,
};

static int
engine_take_fd(struct imsg *imsg, int *fdp, const char *what)
{
	if (imsg->fd == -1 || *fdp != -1 || imsg_expect_empty(imsg) == -1)
		fatalx("parent sent a bad %s socket", what);
	*fdp = imsg->fd;
	imsg->fd = -1;
	return *fdp;
}

static void
engine_dispatch(struct imsgev *iev, struct imsg *imsg)
{
	struct imsg_peer	 ip;
	struct imsg_wg_stats	 st;
	struct ctl_result	 res;
	struct ctl_error	 rerr;
	struct imsg_node_key	 nk;
	struct imsg_signal_sock	 ss;
	struct imsg_exclude	 ex;
	struct imsg_lazy_conf	 lc;
	struct imsg_relay_addr	 ra;
	struct imsg_relay_boot	 rb;
	struct imsg_relay_cache_end ce;
	struct imsg_relay_ca_end cae;
	static struct imsg_relay_conn rc;
	static struct imsg_relay_ca ca;
	static struct imsg_relay_resolved rr;
	static struct imsg_local_addrs la;

	if (imsg_expect_fd_types(imsg, engine_fd_types,
	    sizeof(engine_fd_types) / sizeof(engine_fd_types[0])) == -1)
		fatalx("parent sent a descriptor with message type %u",
		    imsg->hdr.type);
	switch (imsg->hdr.type) {
	case IMSG_SOCKET_NET:
		engine_take_fd(imsg, &engine->netfd, "network");
		event_set(&engine->ev_net, engine->netfd, EV_READ | EV_PERSIST,
		    fwd_net_read, NULL);
		event_add(&engine->ev_net, NULL);
		break;
	case IMSG_SOCKET_PEERPORT:
		engine_take_fd(imsg, &engine->ppfd, "peer-port");
		event_set(&engine->ev_pp, engine->ppfd, EV_READ | EV_PERSIST,
		    fwd_pp_read, NULL);
		event_add(&engine->ev_pp, NULL);
		break;
	case IMSG_SOCKET_CONTROL:
		control_listen(engine_take_fd(imsg, &engine->ctlfd,
		    "control"), 0);
		break;
	case IMSG_SOCKET_CONTROL_RO:
		control_listen(engine_take_fd(imsg, &engine->rctlfd,
		    "read-only control"), 1);
		break;
	case IMSG_ENGINE_CONF:
		if (engine->have_conf || imsg_get_data(imsg, &engine->conf,
		    sizeof(engine->conf)) == -1)
			fatalx("parent sent a bad engine config");
		engine->conf.ifname[sizeof(engine->conf.ifname) - 1] = '\0';
		engine->have_conf = 1;
		memset(&engine->wg_addr, 0, sizeof(engine->wg_addr));
		engine->wg_addr.sin_family = AF_INET;
		engine->wg_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		engine->wg_addr.sin_port = htons(engine->conf.wg_port);
		engine->conf.signal_host[sizeof(engine->conf.signal_host) - 1] =
		    '\0';
		sig_init();
		break;
	case IMSG_NODE_KEY:
		if (!engine->have_conf || engine->have_nodekey ||
		    imsg_get_data(imsg, &nk, sizeof(nk)) == -1)
			fatalx("parent sent a bad node key");
		memcpy(engine->nodepriv, nk.priv, KEY_LEN);
		sodium_memzero(&nk, sizeof(nk));
		engine->have_nodekey = 1;
		sig_start();
		break;
	case IMSG_LOCAL_ADDRS:
		if (imsg_get_data(imsg, &la, sizeof(la)) == -1 ||
		    la.n > TERN_LOCAL_ADDRS_MAX)
			fatalx("parent sent bad local addresses");
		sig_local_addrs(&la);
		ice_set_local(&la);
		/* The parent sends only a change. */
		relaymgr_local_changed();
		break;
	case IMSG_SOCKET_PROBE:
		stunc_init(engine_take_fd(imsg, &engine->probefd, "probe"));
		break;
	case IMSG_RELAY_BOOTSTRAP:
		if (!engine->have_conf ||
		    imsg_get_data(imsg, &rb, sizeof(rb)) == -1 ||
		    memchr(rb.addr, '\0', sizeof(rb.addr)) == NULL ||
		    memchr(rb.username, '\0', sizeof(rb.username)) == NULL ||
		    memchr(rb.password, '\0', sizeof(rb.password)) == NULL ||
		    memchr(rb.secret, '\0', sizeof(rb.secret)) == NULL ||
		    memchr(rb.realm, '\0', sizeof(rb.realm)) == NULL)
			fatalx("parent sent a bad relay");
		relaymgr_bootstrap_add(&rb);
		break;
	case IMSG_RELAY_CACHED:
		if (!engine->have_conf ||
		    imsg_get_data(imsg, &ra, sizeof(ra)) == -1 ||
		    memchr(ra.addr, '\0', sizeof(ra.addr)) == NULL)
			fatalx("parent sent a bad relay");
		relaymgr_cached_add(ra.addr);
		break;
	case IMSG_RELAY_BOOTSTRAP_END:
		if (!engine->have_conf || imsg_expect_empty(imsg) == -1)
			fatalx("parent sent a bad end of relays");
		relaymgr_bootstrap_end();
		break;
	case IMSG_RELAY_CACHED_END:
		if (!engine->have_conf ||
		    imsg_get_data(imsg, &ce, sizeof(ce)) == -1 ||
		    ce.saved_at < 0)
			fatalx("parent sent a bad end of cached relays");
		relaymgr_cached_end(ce.saved_at);
		break;
	case IMSG_RELAY_RESOLVED:
		if (imsg_get_data(imsg, &rr, sizeof(rr)) == -1 ||
		    memchr(rr.addr, '\0', sizeof(rr.addr)) == NULL ||
		    rr.n > TERN_RELAY_RESOLVED_MAX)
			fatalx("parent sent a bad relay lookup");
		rr.msg[sizeof(rr.msg) - 1] = '\0';
		relaymgr_resolved(&rr);
		break;
	case IMSG_RELAY_CONN:
		/* A socket if and only if no error; an id we asked with. */
		if (imsg_get_data(imsg, &rc, sizeof(rc)) == -1 ||
		    (rc.error == 0) != (imsg->fd != -1) || rc.error < 0 ||
		    rc.pad != 0 || imsg->hdr.peerid == 0 ||
		    imsg->hdr.peerid > turnstream_last_id() ||
		    memchr(rc.req.addr, '\0', sizeof(rc.req.addr)) == NULL ||
		    memchr(rc.msg, '\0', sizeof(rc.msg)) == NULL)
			fatalx("parent sent a bad relay connection");
		turnstream_conn(imsg->hdr.peerid, &rc, imsg->fd);
		imsg->fd = -1;
		break;
	case IMSG_RELAY_CA:
		if (imsg_get_data(imsg, &ca, sizeof(ca)) == -1 || ca.pad != 0)
			fatalx("parent sent a bad piece of CA bundle");
		turnstream_ca(&ca);
		break;
	case IMSG_RELAY_CA_END:
		if (imsg_get_data(imsg, &cae, sizeof(cae)) == -1 ||
		    cae.error < 0 ||
		    memchr(cae.msg, '\0', sizeof(cae.msg)) == NULL)
			fatalx("parent sent a bad end of CA bundle");
		turnstream_ca_end(&cae);
		break;
	case IMSG_EXCLUDE:
		if (imsg_get_data(imsg, &ex, sizeof(ex)) == -1 ||
		    memchr(ex.name, '\0', sizeof(ex.name)) == NULL)
			fatalx("parent sent a bad exclude");
		cm_exclude(&ex);
		break;
	case IMSG_LAZY_CONF:
		if (imsg_get_data(imsg, &lc, sizeof(lc)) == -1 ||
		    lc.lazy < -1 || lc.lazy > 1 || lc.lazy_src > LAZY_SRC_FLAG ||
		    lc.inactivity_src > LAZY_SRC_FLAG || (lc.inactivity != 0 &&
		    (lc.inactivity < TERN_INACTIVITY_MIN ||
		    lc.inactivity > TERN_INACTIVITY_MAX)))
			fatalx("parent sent bad lazy settings");
		cm_lazy_conf(&lc);
		break;
	case IMSG_SOCKET_SIGNAL:
		if (!engine->have_nodekey ||
		    imsg_get_data(imsg, &ss, sizeof(ss)) == -1)
			fatalx("parent sent a bad signal socket");
		ss.msg[sizeof(ss.msg) - 1] = '\0';
		sig_socket(imsg->fd, &ss);
		imsg->fd = -1;
		break;
	case IMSG_STATIC_PEER:
		if (!engine->have_conf ||
		    imsg_get_data(imsg, &ip, sizeof(ip)) == -1)
			fatalx("parent sent a bad static peer");
		engine_static_peer(&ip);
		break;
	case IMSG_STATIC_END:
		if (!engine->have_conf || imsg_expect_empty(imsg) == -1)
			fatalx("parent sent a bad end of static peers");
		engine_static_end();
		/* Its peers are queued before: the parent may reload again. */
		engine_to_parent(IMSG_STATIC_APPLIED, 0, NULL, 0);
		break;
	case IMSG_WG_STATS_PEER:
		if (imsg_get_data(imsg, &st, sizeof(st)) == -1)
			fatalx("parent sent bad peer statistics");
		engine_wg_stats(&st);
		break;
	case IMSG_WG_STATS_END:
		if (imsg_expect_empty(imsg) == -1)
			fatalx("parent sent a bad end of statistics");
		control_stats_done(imsg->hdr.peerid);
		break;
	case IMSG_RELOAD_ERROR:
		if (imsg_get_data(imsg, &rerr, sizeof(rerr)) == -1)
			fatalx("parent sent a bad reload error");
		rerr.msg[sizeof(rerr.msg) - 1] = '\0';
		control_reload_error(imsg->hdr.peerid, &rerr);
		break;
	case IMSG_RELOAD_RESULT:
		if (imsg_get_data(imsg, &res, sizeof(res)) == -1)
			fatalx("parent sent a bad reload result");
		res.msg[sizeof(res.msg) - 1] = '\0';
		control_reload_done(imsg->hdr.peerid, &res);
		break;
	default:
		fatalx("parent sent unknown message type %u", imsg->hdr.type);
	}
}

static void
engine_parent_closed(struct imsgev *iev)
{
	log_debug("parent closed the channel");
	engine_stop();
}
