/*
 * parent: the WireGuard peers the engine asked for and the parent
 * accepted, set over UAPI with a route for each allowed IP, and their
 * counters for the engine.  Only routes the parent added are ever
 * removed: a prefix that already has a route is left to its owner.
 */
#include <sys/tree.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "parent_kroute.h"
#include "parent.h"
#include "parent_wg_uapi.h"

struct wg_applied {
	RB_ENTRY(wg_applied)	 entry;
	uint8_t			 key[KEY_LEN];
	struct tern_prefix	 allowed[TERN_ALLOWED_MAX];
	uint32_t		 nallowed;
	struct sockaddr_in	 endpoint;	/* for policy_check_peer */
	int			 from_netmap;	/* a signed entry, not static */
};
RB_HEAD(wg_applied_tree, wg_applied);

/* A route this parent added, and so may remove. */
struct route_owned {
	RB_ENTRY(route_owned)	 entry;
	struct tern_prefix	 prefix;
};
RB_HEAD(route_owned_tree, route_owned);

struct stats_arg {
	uint32_t	 peerid;
};

static int	 applied_cmp(struct wg_applied *, struct wg_applied *);
static int	 owned_cmp(struct route_owned *, struct route_owned *);
RB_GENERATE_STATIC(wg_applied_tree, wg_applied, entry, applied_cmp)
RB_GENERATE_STATIC(route_owned_tree, route_owned, entry, owned_cmp)

static struct wg_applied_tree	 applied = RB_INITIALIZER(&applied);
static struct route_owned_tree	 owned = RB_INITIALIZER(&owned);
static size_t			 npeers, nroutes;
static int			 wg_gone;	/* the back end is dead */

static int
applied_cmp(struct wg_applied *a, struct wg_applied *b)
{
	return memcmp(a->key, b->key, KEY_LEN);
}

static int
owned_cmp(struct route_owned *a, struct route_owned *b)
{
	return prefix_cmp(&a->prefix, &b->prefix);
}

int
prefix_in(const struct tern_prefix *p, const struct tern_prefix *set,
    size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (prefix_cmp(p, &set[i]) == 0)
			return 1;
	return 0;
}

/*
 * A prefix that moves between peers in one reload may be set on its new
 * peer before its old peer is updated: its route stays while any peer
 * other than a still lists it, or its traffic would leave in the clear.
 */
static int
route_shared(const struct wg_applied *a, const struct tern_prefix *p)
{
	struct wg_applied	*o;

	RB_FOREACH(o, wg_applied_tree, &applied)
		if (o != a && prefix_in(p, o->allowed, o->nallowed))
			return 1;
	return 0;
}

static struct route_owned *
route_find(const struct tern_prefix *p)
{
	struct route_owned	 key;

	key.prefix = *p;
	return RB_FIND(route_owned_tree, &owned, &key);
}

/*
 * A route to p unless it is ours already.  One that exists is someone
 * else's (the LAN's, an administrator's): it stays as it is, is not
 * recorded as ours, and the peer keeps p as a WireGuard allowed IP.
 * warn: p is new to its peer, so the refusal is logged once.
 */
static void
route_claim(const struct tern_prefix *p, int warn)
{
	struct route_owned	*r;
	char			 buf[PREFIX_STRLEN];

	if (route_find(p) != NULL)
		return;
	if (nl_route(penv.nl, penv.ifindex, p, 1) == -1) {
		if (errno == EEXIST && warn)
			log_warnx("route %s exists and is not ternd's: left "
			    "as it is", prefix_str(p, buf, sizeof(buf)));
		else if (errno != EEXIST)
			log_warn("adding route %s",
			    prefix_str(p, buf, sizeof(buf)));
		return;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL)
		fatal(NULL);
	r->prefix = *p;
	RB_INSERT(route_owned_tree, &owned, r);
	nroutes++;
}

/* Removes p's route only if this parent added it. */
static void
route_release(const struct tern_prefix *p)
{
	struct route_owned	*r;
	char			 buf[PREFIX_STRLEN];

	if ((r = route_find(p)) == NULL)
		return;
	if (nl_route(penv.nl, penv.ifindex, p, 0) == -1 &&
	    errno != ESRCH && errno != ENOENT && errno != ENODEV)
		log_warn("removing route %s", prefix_str(p, buf, sizeof(buf)));
	RB_REMOVE(route_owned_tree, &owned, r);
	free(r);
	nroutes--;
}

/* Once the back end is known dead, it is told nothing more. */
void
peer_backend_gone(const char *why)
{
	if (wg_gone)
		return;
	wg_gone = 1;
	log_warnx("WireGuard back end of %s is gone (%s): no more changes "
	    "to its peers", penv.conf->ifname, why);
}

/* After a failed UAPI exchange: 1 if no one answers on the socket. */
static int
peer_backend_refused(void)
{
	if (errno != ECONNREFUSED && errno != ENOENT)
		return 0;
	peer_backend_gone("its UAPI socket refuses connections");
	return 1;
}

/*
 * A request to the back end; what failed is logged as "what peer b64",
 * except when the back end is gone: a refused connection says so.
 */
static int
peer_uapi_set(const char *req, const char *what, const char *b64)
{
	const char	*errstr;

	if (wg_gone)
		return -1;
	if (uapi_set(penv.conf->ifname, req, &errstr) == 0)
		return 0;
	if (!peer_backend_refused())
		log_warnx("%s peer %s: %s", what, b64, errstr);
	return -1;
}

int
peer_apply(const struct imsg_wg_peer *p, int from_netmap)
{
	struct wg_applied	*a, key;
	struct wg_peer		 wp;
	char			*req, b64[KEY_B64LEN];
	uint32_t		 i, nnew;

	key_to_b64(p->wgkey, b64);
	memcpy(key.key, p->wgkey, KEY_LEN);
	a = RB_FIND(wg_applied_tree, &applied, &key);
	if (a == NULL && npeers >= PARENT_PEERS_MAX) {
		log_warnx("refused peer %s: %d peers are set already", b64,
		    PARENT_PEERS_MAX);
		return -1;
	}
	/* At most this many new routes: some may exist or repeat. */
	for (i = 0, nnew = 0; i < p->nallowed; i++)
		if (route_find(&p->allowed[i]) == NULL)
			nnew++;
	if (nroutes + nnew > PARENT_ROUTES_MAX) {
		log_warnx("refused peer %s: its %u routes would pass the "
		    "limit of %d", b64, nnew, PARENT_ROUTES_MAX);
		return -1;
	}
	memset(&wp, 0, sizeof(wp));
	memcpy(wp.pubkey, p->wgkey, KEY_LEN);
	wp.allowed = p->allowed;
	wp.nallowed = p->nallowed;
	wp.endpoint = &p->endpoint;
	wp.keepalive = p->keepalive;
	if ((req = uapi_req_peer_set(&wp)) == NULL)
		fatal("uapi request");
	if (peer_uapi_set(req, "setting", b64) == -1) {
		free(req);
		return -1;
	}
	free(req);

	if (a == NULL) {
		if ((a = calloc(1, sizeof(*a))) == NULL)
			fatal(NULL);
		memcpy(a->key, p->wgkey, KEY_LEN);
		RB_INSERT(wg_applied_tree, &applied, a);
		npeers++;
	}
	for (i = 0; i < a->nallowed; i++)
		if (!prefix_in(&a->allowed[i], p->allowed, p->nallowed) &&
		    !route_shared(a, &a->allowed[i]))
			route_release(&a->allowed[i]);
	for (i = 0; i < p->nallowed; i++)
		route_claim(&p->allowed[i], !prefix_in(&p->allowed[i],
		    a->allowed, a->nallowed));
	memcpy(a->allowed, p->allowed, p->nallowed * sizeof(p->allowed[0]));
	a->nallowed = p->nallowed;
	a->endpoint = p->endpoint;
	a->from_netmap = from_netmap;
	log_debug("peer %s set, %u allowed IPs", b64, p->nallowed);
	return 0;
}

/* Whether key is set from a signed entry (a static one is not). */
int
peer_is_netmap(const uint8_t wgkey[KEY_LEN])
{
	struct wg_applied	*a, key;

	memcpy(key.key, wgkey, KEY_LEN);
	return (a = RB_FIND(wg_applied_tree, &applied, &key)) != NULL &&
	    a->from_netmap;
}

void
peer_remove(const uint8_t wgkey[KEY_LEN], int uapi)
{
	struct wg_applied	*a, key;
	char			*req, b64[KEY_B64LEN];
	uint32_t		 i;

	key_to_b64(wgkey, b64);
	memcpy(key.key, wgkey, KEY_LEN);
	if ((a = RB_FIND(wg_applied_tree, &applied, &key)) == NULL) {
		log_warnx("engine removes unknown peer %s", b64);
		return;
	}
	for (i = 0; i < a->nallowed; i++)
		if (!route_shared(a, &a->allowed[i]))
			route_release(&a->allowed[i]);
	if (uapi && !wg_gone) {
		if ((req = uapi_req_peer_remove(wgkey)) == NULL)
			fatal("uapi request");
		(void)peer_uapi_set(req, "removing", b64);
		free(req);
	}
	RB_REMOVE(wg_applied_tree, &applied, a);
	free(a);
	npeers--;
	log_debug("peer %s removed", b64);
}

/* At exit: every peer this ternd set, and its routes. */
void
peer_remove_all(int uapi)
{
	struct wg_applied	*a, *next;

	RB_FOREACH_SAFE(a, wg_applied_tree, &applied, next)
		peer_remove(a->key, uapi);
}

/*
 * After a reload: a peer set before that the new configuration refuses
 * goes.  A static peer must be in it as it is now; a netmap peer may
 * not have a static peer's key or overlap its prefixes.
 */
void
peer_recheck(const struct ternd_conf *conf)
{
	struct wg_applied	*a, *next;
	struct imsg_wg_peer	 p;
	char			 err[CTL_MSG_MAX], b64[KEY_B64LEN];
	int			 rv;

	RB_FOREACH_SAFE(a, wg_applied_tree, &applied, next) {
		memset(&p, 0, sizeof(p));
		memcpy(p.wgkey, a->key, KEY_LEN);
		memcpy(p.allowed, a->allowed,
		    a->nallowed * sizeof(a->allowed[0]));
		p.nallowed = a->nallowed;
		p.endpoint = a->endpoint;
		if (a->from_netmap)
			rv = pnetmap_static_conflict(conf, a->key, a->allowed,
			    a->nallowed, err, sizeof(err));
		else
			rv = pnetmap_static_check(conf, &p, err, sizeof(err));
		if (rv == 0 &&
		    policy_check_peer(conf, &p, err, sizeof(err)) == 0)
			continue;
		key_to_b64(a->key, b64);
		log_warnx("removing peer %s, refused by the new "
		    "configuration: %s", b64, err);
		peer_remove(a->key, 1);
	}
}

static void
stats_peer(const struct wg_peer_stats *s, void *arg)
{
	struct stats_arg	*sa = arg;
	struct imsg_wg_stats	 st;
	struct wg_applied	 key;

	memcpy(key.key, s->pubkey, KEY_LEN);
	if (RB_FIND(wg_applied_tree, &applied, &key) == NULL)
		return;
	memset(&st, 0, sizeof(st));
	memcpy(st.wgkey, s->pubkey, KEY_LEN);
	st.last_handshake = s->last_handshake;
	st.rx_bytes = s->rx_bytes;
	st.tx_bytes = s->tx_bytes;
	imsgev_compose(&penv.iev_engine, IMSG_WG_STATS_PEER, sa->peerid, -1,
	    &st, sizeof(st));
}

/* The counters of our peers only, then an end the engine waits for. */
void
peer_stats(uint32_t peerid)
{
	struct wg_device_stats	 dev;
	struct stats_arg	 sa;
	const char		*errstr;

	sa.peerid = peerid;
	memset(&dev, 0, sizeof(dev));
	if (!wg_gone && uapi_get(penv.conf->ifname, &dev, stats_peer, &sa,
	    &errstr) == -1 && !peer_backend_refused())
		log_warnx("reading %s: %s", penv.conf->ifname, errstr);
	imsgev_compose(&penv.iev_engine, IMSG_WG_STATS_END, peerid, -1, NULL,
	    0);
}
