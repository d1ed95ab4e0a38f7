/*
 * engine: the network map from tern-signal.  Its peers are added,
 * changed and removed beside the static ones (the parent checks each
 * against accept); signaling between peers is sealed end to end with
 * crypto_box between node keys, so tern-signal only forwards it.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "engine.h"
#include "ice.h"
#include "icemsg.h"
#include "log.h"
#include "monotime.h"
#include "relaymgr.h"
#include "seal.h"
#include "sigmsg.h"

/* Whether WireGuard can take all of a netmap peer's prefixes. */
static int
netmap_fits(const struct sigmsg_peer *sp)
{
	return sp->naddrs + sp->nallowed <= TERN_ALLOWED_MAX;
}

/* A peer that fits as an engine peer: overlay addresses, allowed IPs. */
static void
netmap_conf(const struct sigmsg_peer *sp, struct imsg_peer *ip)
{
	size_t	 i;

	memset(ip, 0, sizeof(*ip));
	strlcpy(ip->name, sp->name, sizeof(ip->name));
	memcpy(ip->wgkey, sp->wg_key, KEY_LEN);
	for (i = 0; i < sp->naddrs; i++)
		ip->allowed[ip->nallowed++] = sp->addrs[i];
	for (i = 0; i < sp->nallowed; i++)
		ip->allowed[ip->nallowed++] = sp->allowed[i];
}

static void
netmap_add(const struct sigmsg_peer *sp, const struct imsg_peer *ip)
{
	struct peer	*p;

	if (peer_by_node(sp->node_key) != NULL) {
		log_warnx("netmap peer %s: node key used twice: ignored",
		    sp->name);
		return;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL)
		fatal(NULL);
	p->conf = *ip;
	sigmsg_peer_entry(sp, &p->nm);
	p->source = PEER_SRC_NETMAP;
	memcpy(p->node_key, sp->node_key, KEY_LEN);
	if (peer_alloc_idx(p) == -1) {
		log_warnx("netmap peer %s: no free peer port", sp->name);
		free(p);
		return;
	}
	(void)peer_node_insert(p);
	peer_insert(p);
	log_info("peer %s added from the netmap on peer port %s:%u",
	    p->conf.name, inet_ntoa(p->pp.sin_addr), engine->conf.peerport);
	peer_push(p);
	cm_peer_added(p, sp);
}

/*
 * A netmap replaces the previous one whole: its peers that are gone
 * are removed first, so an allowed IP may move between peers.
 */
void
netmap_apply(const struct sigmsg_netmap *nm)
{
	static uint32_t			 gen;
	const struct sigmsg_peer	*sp;
	struct imsg_peer		 ip;
	struct peer			*p, *np;
	size_t				 i;

	if (memcmp(nm->self.node_key, engine->conf.nodepub, KEY_LEN) != 0)
		log_warnx("netmap: the server names another node key as ours");
	/* First: whether new peers start Idle depends on it. */
	cm_server_features(nm->lazy, nm->inactivity);
	/* Mark the peers that stay (by key, so 10,000 peers stay cheap). */
	gen++;
	for (i = 0; i < nm->npeers; i++) {
		sp = &nm->peers[i];
		if ((p = peer_by_wgkey(sp->wg_key)) != NULL &&
		    p->source == PEER_SRC_NETMAP &&
		    memcmp(sp->node_key, p->node_key, KEY_LEN) == 0 &&
		    netmap_fits(sp))
			p->nm_gen = gen;
	}
	TAILQ_FOREACH_SAFE(p, &engine->peers, entry, np) {
		if (p->source != PEER_SRC_NETMAP || p->nm_gen == gen)
			continue;
		log_info("peer %s left the netmap", p->conf.name);
		peer_free(p);
	}
	for (i = 0; i < nm->npeers; i++) {
		sp = &nm->peers[i];
		if (memcmp(sp->node_key, engine->conf.nodepub, KEY_LEN) == 0)
			continue;
		if (!netmap_fits(sp)) {
			log_warnx("netmap peer %s: %zu addresses and allowed "
			    "IPs, more than %d: ignored", sp->name,
			    sp->naddrs + sp->nallowed, TERN_ALLOWED_MAX);
			continue;
		}
		netmap_conf(sp, &ip);
		if ((p = peer_by_wgkey(sp->wg_key)) == NULL) {
			netmap_add(sp, &ip);
			continue;
		}
		if (p->source == PEER_SRC_STATIC) {
			log_debug("netmap peer %s: a static peer has its key",
			    sp->name);
			continue;
		}
		/* The newest signature, for the next push; alone no change. */
		sigmsg_peer_entry(sp, &p->nm);
		if (memcmp(&p->conf, &ip, sizeof(ip)) != 0) {
			p->conf = ip;
			log_info("peer %s changed in the netmap", p->conf.name);
			peer_push(p);
		}
		cm_peer_changed(p, sp);
	}
}

/* Signaling is (back) up: offers sent while it was down were lost. */
void
netmap_signal_up(void)
{
	struct peer	*p;

	TAILQ_FOREACH(p, &engine->peers, entry) {
		if (p->source != PEER_SRC_NETMAP || p->state != PEER_CONNECTING)
			continue;
		ice_stop(p);
		(void)ice_start(p);
	}
}

void
netmap_signal_in(const uint8_t from[KEY_LEN], const uint8_t *box,
    size_t boxlen)
{
	static struct icemsg	 m;
	/* The server or a peer can send these at will: a line a second. */
	static struct log_limit	 ll_box, ll_parse;
	struct seal_hdr		 h;
	uint8_t			 pt[SIGMSG_BOX_MAX];
	struct peer		*p;
	size_t			 ptlen;
	enum seal_verdict	 v;
	char			 err[256];

	if ((p = peer_by_node(from)) == NULL) {
		log_debug("signal from a node not in the netmap");
		return;
	}
	if ((v = seal_sig_open(box, boxlen, from, engine->nodepriv, &h, pt,
	    sizeof(pt), &ptlen)) == SEAL_OK)
		v = seal_check(&p->sig_rx, &h, from, engine->conf.nodepub);
	if (v != SEAL_OK) {
		log_limit_warnx(&ll_box, "peer %s: a signal that %s: refused",
		    p->conf.name, seal_verdict_text(v));
		return;
	}
	if (icemsg_parse((const char *)pt, ptlen, &m, err, sizeof(err)) ==
	    -1) {
		log_limit_warnx(&ll_parse, "peer %s: bad signal: %s",
		    p->conf.name, err);
		return;
	}
	log_debug("peer %s: %s received", p->conf.name,
	    icemsg_type_name(m.type));
	if (m.type == ICEMSG_GO_IDLE) {
		cm_remote_idle(p);
		return;
	}
	/* Its signaling wakes an idle peer; its offer opens the session. */
	cm_wake(p, WAKE_REMOTE);
	ice_signal(p, &m);
}

int
peer_signal_send(struct peer *p, const struct icemsg *m)
{
	static struct sigmsg	 s;
	struct seal_hdr		 h;
	char			*json;
	size_t			 len;
	int			 rv;

	if (!sig_connected() || !p->has_node_key)
		return -1;
	if ((json = icemsg_encode(m, &len)) == NULL) {
		log_warnx("peer %s: cannot encode a %s", p->conf.name,
		    icemsg_type_name(m->type));
		return -1;
	}
	memset(&s, 0, sizeof(s));
	s.type = SIGMSG_SIGNAL;
	memcpy(s.u.signal.to, p->node_key, KEY_LEN);
	memcpy(h.from, engine->conf.nodepub, KEY_LEN);
	memcpy(h.to, p->node_key, KEY_LEN);
	h.sess = engine->sig_sess;
	/* One counter for all peers: it outlives a peer leaving the netmap. */
	h.counter = ++engine->sig_counter;
	rv = seal_sig(&h, (const uint8_t *)json, len, engine->nodepriv,
	    s.u.signal.box, sizeof(s.u.signal.box), &s.u.signal.boxlen);
	free(json);
	if (rv == -1) {
		log_warnx("peer %s: %s too large to seal", p->conf.name,
		    icemsg_type_name(m->type));
		return -1;
	}
	log_debug("peer %s: %s sent", p->conf.name, icemsg_type_name(m->type));
	return sig_send(&s);
}

void
peer_path_up(struct peer *p, const struct sockaddr_in6 *remote, int how)
{
	char	 a[ADDR_STRLEN];
	int	 was = p->state == PEER_CONNECTED && p->has_remote ?
		    (p->on_alt || p->path_how != ICE_PATH_DIRECT) : -1;
	int	 relayed = how != ICE_PATH_DIRECT;

	if (peer_remote_set(p, remote) == -1)
		return;
	p->via_relay = how == ICE_PATH_OUR_RELAY;
	p->path_how = how;
	/* A new path in use: its own record, on it and not beside it. */
	p->on_alt = 0;
	pathsel_release(&p->ps, &engine->relayed);
	pathsel_init(&p->ps, monotime_ms());
	sockaddr_str((const struct sockaddr *)remote, a, sizeof(a));
	if (was != -1 && was != relayed)
		log_info("peer %s: %s -> %s (ICE selected %s)", p->conf.name,
		    was ? "relay" : "direct", relayed ? "relay" : "direct", a);
	if (how == ICE_PATH_OUR_RELAY)
		log_info("peer %s: relayed path to %s through %s",
		    p->conf.name, a, relaymgr_current(NULL));
	else if (how == ICE_PATH_THEIR_RELAY)
		log_info("peer %s: relayed path to its relay address %s",
		    p->conf.name, a);
	else
		log_info("peer %s: direct path to %s", p->conf.name, a);
	peer_set_state(p, PEER_CONNECTED, "ICE selected a pair");
	cm_path_up(p);
}

/* Not a path yet: the state stays, and a selected pair replaces it. */
void
peer_path_learn(struct peer *p, const struct sockaddr_in6 *from, int relayed)
{
	if (p->state == PEER_IDLE)
		return;
	peer_rx_add(p, from);
	if (p->has_remote)
		return;
	if (peer_remote_set(p, from) == 0) {
		p->via_relay = relayed;
		p->path_how = relayed ? ICE_PATH_OUR_RELAY : ICE_PATH_DIRECT;
	}
}

/*
 * The relay path ICE keeps beside a direct one.  Losing it while the
 * datagrams take it sends them back to the direct path.
 */
void
peer_path_alt(struct peer *p, const struct sockaddr_in6 *alt, int how)
{
	char	 a[ADDR_STRLEN];

	peer_alt_set(p, alt, how == ICE_PATH_OUR_RELAY);
	p->alt_how = how;
	if (p->has_alt) {
		log_debug("peer %s: relay path %s kept beside", p->conf.name,
		    sockaddr_str((const struct sockaddr *)alt, a, sizeof(a)));
		return;
	}
	if (p->on_alt) {
		p->on_alt = 0;
		pathsel_release(&p->ps, &engine->relayed);
		pathsel_init(&p->ps, monotime_ms());
		log_info("peer %s: relay -> direct (relay path lost)",
		    p->conf.name);
	}
}

/*
 * Path selection (DESIGN.md): the rules of agent/pathsel.c move the
 * datagrams between the direct path and the relay path beside it.
 */
void
peer_path_decide(struct peer *p, uint64_t now)
{
	switch (pathsel_update(&p->ps, &engine->relayed, now)) {
	case PATHSEL_SAME:
		break;
	case PATHSEL_TO_RELAY:
		p->on_alt = 1;
		log_info("peer %s: direct -> relay (%s)", p->conf.name,
		    p->ps.why);
		break;
	case PATHSEL_TO_DIRECT:
		p->on_alt = 0;
		log_info("peer %s: relay -> direct (%s)", p->conf.name,
		    p->ps.why);
		break;
	case PATHSEL_REFUSED:
		log_warnx("peer %s: stays direct: %s", p->conf.name,
		    p->ps.why);
		break;
	}
}

/* An authenticated answer on the direct path in use. */
void
peer_path_fresh(struct peer *p)
{
	uint64_t	 now = monotime_ms();

	pathsel_recv_direct(&p->ps, now, 1);
	if (p->has_alt)
		peer_path_decide(p, now);
}

void
peer_path_down(struct peer *p)
{
	peer_remote_clear(p);
	peer_rx_clear(p);
	p->on_alt = 0;
	pathsel_release(&p->ps, &engine->relayed);
	/* Going idle stops ICE too: it stays Idle. */
	if (p->state != PEER_IDLE)
		peer_set_state(p, PEER_CONNECTING, "no path");
}
