/*
 * engine: the connection manager (lazy connections).  A netmap peer is
 * Idle until traffic, its signaling or ternctl wakes it, Connecting
 * while ICE runs and Connected once a path carries traffic; without
 * activity for the inactivity threshold it goes back to Idle and its
 * ICE state is released.  One periodic check walks only the peers that
 * are not idle, so idle peers cost no timer and no descriptor.
 */
#include <sys/socket.h>
#include <sys/tree.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"
#include "ice.h"
#include "icemsg.h"
#include "log.h"
#include "sigmsg.h"
#include "swversion.h"

#define CM_TICK_SEC		1	/* the one periodic check */
/* WireGuard's handshake initiation: type 1, 148 bytes (whitepaper 5.4.2). */
#define WG_MSG_INITIATION	1
#define WG_INITIATION_LEN	148

struct cm_name {
	RB_ENTRY(cm_name)	 entry;
	char			 name[TERN_NAME_MAX];
};
RB_HEAD(cm_name_tree, cm_name);

static int	 cm_name_cmp(struct cm_name *, struct cm_name *);
RB_GENERATE_STATIC(cm_name_tree, cm_name, entry, cm_name_cmp)

static struct {
	struct imsg_lazy_conf	 local;
	int			 server_lazy;	/* -1 no netmap yet */
	uint32_t		 server_inactivity;
	int			 lazy;
	enum lazy_src		 lazy_src;
	uint32_t		 inactivity;
	enum lazy_src		 inactivity_src;
	struct cm_name_tree	 excludes;
	struct cm_name_tree	 pending;	/* excludes being received */
	struct event		 ev_tick;
} cm;

static const char *cm_reasons[] = {
	"none", "local traffic", "remote", "manual", "permanent", "group"
};

static void	 cm_tick(int, short, void *);
static void	 cm_update_all(void);

static int
cm_name_cmp(struct cm_name *a, struct cm_name *b)
{
	return strcmp(a->name, b->name);
}

static void
cm_names_free(struct cm_name_tree *t)
{
	struct cm_name	*n, *nn;

	RB_FOREACH_SAFE(n, cm_name_tree, t, nn) {
		RB_REMOVE(cm_name_tree, t, n);
		free(n);
	}
}

void
cm_init(void)
{
	struct timeval	 tv = { CM_TICK_SEC, 0 };

	memset(&cm, 0, sizeof(cm));
	RB_INIT(&cm.excludes);
	RB_INIT(&cm.pending);
	cm.local.lazy = -1;
	cm.server_lazy = -1;
	cm.inactivity = TERN_INACTIVITY_DEFAULT;
	TAILQ_INIT(&engine->active);
	evtimer_set(&cm.ev_tick, cm_tick, NULL);
	evtimer_add(&cm.ev_tick, &tv);
}

/*
 * The rank of each source decides: flag, environment, ternd.conf, the
 * server; nobody at all means off and 15 minutes.
 */
static void
cm_resolve(void)
{
	int	 was = cm.lazy;

	if (cm.local.lazy != -1) {
		cm.lazy = cm.local.lazy;
		cm.lazy_src = cm.local.lazy_src;
	} else if (cm.server_lazy != -1) {
		cm.lazy = cm.server_lazy;
		cm.lazy_src = LAZY_SRC_SERVER;
	} else {
		cm.lazy = 0;
		cm.lazy_src = LAZY_SRC_DEFAULT;
	}
	if (cm.local.inactivity != 0) {
		cm.inactivity = cm.local.inactivity;
		cm.inactivity_src = cm.local.inactivity_src;
	} else if (cm.server_inactivity != 0) {
		cm.inactivity = cm.server_inactivity;
		cm.inactivity_src = LAZY_SRC_SERVER;
	} else {
		cm.inactivity = TERN_INACTIVITY_DEFAULT;
		cm.inactivity_src = LAZY_SRC_DEFAULT;
	}
	if (was != cm.lazy)
		log_info("lazy connections %s", cm.lazy ? "on" : "off");
	cm_update_all();
}

void
cm_exclude(const struct imsg_exclude *ex)
{
	struct cm_name	*n;

	if ((n = calloc(1, sizeof(*n))) == NULL)
		fatal(NULL);
	strlcpy(n->name, ex->name, sizeof(n->name));
	if (RB_INSERT(cm_name_tree, &cm.pending, n) != NULL)
		free(n);
}

/* The exclude list is complete: it replaces the old one. */
void
cm_lazy_conf(const struct imsg_lazy_conf *lc)
{
	cm_names_free(&cm.excludes);
	cm.excludes = cm.pending;
	RB_INIT(&cm.pending);
	cm.local = *lc;
	cm_resolve();
}

void
cm_server_features(int lazy, uint32_t inactivity)
{
	if (cm.server_lazy == lazy && cm.server_inactivity == inactivity)
		return;
	cm.server_lazy = lazy;
	cm.server_inactivity = inactivity;
	cm_resolve();
}

static int
cm_excluded(const char *name)
{
	struct cm_name	 k;

	strlcpy(k.name, name, sizeof(k.name));
	return RB_FIND(cm_name_tree, &cm.excludes, &k) != NULL;
}

static void
cm_activate(struct peer *p)
{
	if (p->active)
		return;
	TAILQ_INSERT_TAIL(&engine->active, p, active_entry);
	p->active = 1;
}

static void
cm_deactivate(struct peer *p)
{
	if (!p->active)
		return;
	TAILQ_REMOVE(&engine->active, p, active_entry);
	p->active = 0;
}

static void
cm_drop_held(struct peer *p)
{
	free(p->held);
	p->held = NULL;
	p->held_len = 0;
	free(p->held_data);
	p->held_data = NULL;
	p->held_data_len = 0;
}

/* Keeps a copy of pkt in *buf, reusing it; -1 if out of memory. */
static int
cm_keep(uint8_t **buf, size_t *buflen, const uint8_t *pkt, size_t len)
{
	uint8_t	*n;

	if ((n = realloc(*buf, len)) == NULL)
		return -1;
	memcpy(n, pkt, len);
	*buf = n;
	*buflen = len;
	return 0;
}

/* Two peers of one HA group: a group in common and a routed prefix. */
static int
cm_same_ha(const struct peer *a, const struct peer *b)
{
	size_t	 i, j, g = 0;

	for (i = 0; i < a->ngroups && !g; i++)
		for (j = 0; j < b->ngroups; j++)
			if (strcmp(a->groups[i], b->groups[j]) == 0) {
				g = 1;
				break;
			}
	if (!g)
		return 0;
	for (i = a->naddrs; i < a->conf.nallowed; i++)
		for (j = b->naddrs; j < b->conf.nallowed; j++)
			if (prefix_cmp(&a->conf.allowed[i],
			    &b->conf.allowed[j]) == 0)
				return 1;
	return 0;
}

static void
cm_wake_one(struct peer *p, enum wake_reason why, int start)
{
	if (p->state != PEER_IDLE)
		return;
	p->wake_reason = why;
	p->woken = time(NULL);
	p->idle_since = 0;
	cm_activate(p);
	peer_set_state(p, PEER_CONNECTING, cm_reasons[why]);
	/* A remote's own offer opens the session (ice_signal). */
	if (start && sig_connected())
		(void)ice_start(p);
}

void
cm_wake(struct peer *p, enum wake_reason why)
{
	struct peer	*q;

	if (p->source != PEER_SRC_NETMAP || p->state != PEER_IDLE)
		return;
	cm_wake_one(p, why, why != WAKE_REMOTE);
	if (p->ngroups == 0 || why == WAKE_REMOTE || why == WAKE_PERMANENT)
		return;
	TAILQ_FOREACH(q, &engine->peers, entry)
		if (q != p && q->source == PEER_SRC_NETMAP &&
		    q->state == PEER_IDLE && cm_same_ha(p, q))
			cm_wake_one(q, WAKE_GROUP, 1);
}

/* Back to Idle: ICE state released, the remote told unless it told us. */
static void
cm_idle(struct peer *p, const char *why, int tell)
{
	struct icemsg	 m;

	if (p->state == PEER_IDLE)
		return;
	if (tell) {
		memset(&m, 0, sizeof(m));
		m.type = ICEMSG_GO_IDLE;
		(void)peer_signal_send(p, &m);
	}
	/* Idle first, so that stopping ICE does not make it Connecting. */
	peer_set_state(p, PEER_IDLE, why);
	ice_stop(p);
	peer_remote_clear(p);
	peer_rx_clear(p);
	cm_drop_held(p);
	cm_deactivate(p);
	p->wake_reason = WAKE_NONE;
	p->idle_since = time(NULL);
}

/* Whether p may go idle, and why not. */
static uint32_t
cm_perm_why(const struct peer *p, const struct sigmsg_peer *sp)
{
	uint32_t	 why = 0;

	if (!cm.lazy)
		why |= CM_PERM_LAZY_OFF;
	if (cm_excluded(p->conf.name))
		why |= CM_PERM_EXCLUDED;
	if (sp != NULL) {
		if (sp->flags & SIGMSG_PEER_LAZY_EXEMPT)
			why |= CM_PERM_EXEMPT;
		/* Never seen online: its version is unknown, not old. */
		if (sp->version[0] != '\0' &&
		    swversion_cmp(sp->version, TERN_LAZY_MIN_VERSION) < 0)
			why |= CM_PERM_OLD;
	} else
		why |= p->perm_why & (CM_PERM_EXEMPT | CM_PERM_OLD);
	return why;
}

static void
cm_update(struct peer *p, const struct sigmsg_peer *sp)
{
	p->perm_why = cm_perm_why(p, sp);
	if (p->perm_why != 0 && p->state != PEER_IDLE)
		p->wake_reason = WAKE_PERMANENT;
	else if (p->perm_why != 0)
		cm_wake(p, WAKE_PERMANENT);
	else if (p->wake_reason == WAKE_PERMANENT)
		p->wake_reason = WAKE_NONE;	/* now idles on inactivity */
}

/* Lazy switched, or the exclude list changed: every netmap peer again. */
static void
cm_update_all(void)
{
	struct peer	*p;

	TAILQ_FOREACH(p, &engine->peers, entry)
		if (p->source == PEER_SRC_NETMAP)
			cm_update(p, NULL);
}

static void
cm_set_groups(struct peer *p, const struct sigmsg_peer *sp)
{
	size_t	 i;

	free(p->groups);
	p->groups = NULL;
	p->ngroups = 0;
	p->naddrs = sp->naddrs;
	if (sp->ngroups == 0)
		return;
	if ((p->groups = calloc(sp->ngroups, sizeof(*p->groups))) == NULL)
		fatal(NULL);
	for (i = 0; i < sp->ngroups; i++)
		strlcpy(p->groups[i], sp->groups[i], sizeof(p->groups[i]));
	p->ngroups = sp->ngroups;
}

void
cm_peer_added(struct peer *p, const struct sigmsg_peer *sp)
{
	cm_set_groups(p, sp);
	p->relay_only = (sp->flags & SIGMSG_PEER_RELAY_ONLY) != 0;
	p->idle_since = time(NULL);
	p->state = PEER_IDLE;
	p->state_since = p->idle_since;
	cm_update(p, sp);
	if (p->perm_why == 0)
		log_info("peer %s: Idle until traffic needs it", p->conf.name);
}

void
cm_peer_changed(struct peer *p, const struct sigmsg_peer *sp)
{
	cm_set_groups(p, sp);
	/* Taken by the next ICE session: a restart or a new connection. */
	p->relay_only = (sp->flags & SIGMSG_PEER_RELAY_ONLY) != 0;
	cm_update(p, sp);
}

void
cm_peer_freed(struct peer *p)
{
	cm_deactivate(p);
	cm_drop_held(p);
	free(p->groups);
	p->groups = NULL;
}

/* The remote went idle for us: we follow unless we keep the peer. */
void
cm_remote_idle(struct peer *p)
{
	if (p->perm_why != 0 || p->state == PEER_IDLE)
		return;
	cm_idle(p, "the remote went idle", 0);
}

/*
 * WireGuard sent a datagram to a peer without a path.  The latest
 * handshake initiation, and the latest other datagram (a packet on a
 * session that outlived the path), are kept and sent once ICE has a
 * path, so the first packet neither waits for WireGuard's 5 s retry
 * nor is lost.
 */
void
cm_hold(struct peer *p, const uint8_t *pkt, size_t len)
{
	int	 rv;

	if (p->source != PEER_SRC_NETMAP)
		return;
	if (len == WG_INITIATION_LEN && pkt[0] == WG_MSG_INITIATION &&
	    pkt[1] == 0 && pkt[2] == 0 && pkt[3] == 0)
		rv = cm_keep(&p->held, &p->held_len, pkt, len);
	else
		rv = cm_keep(&p->held_data, &p->held_data_len, pkt, len);
	if (rv == -1)
		log_warn("peer %s: holding a datagram", p->conf.name);
	cm_wake(p, WAKE_LOCAL);
}

static void
cm_send_held(struct peer *p, const uint8_t *pkt, size_t len)
{
	if (pkt == NULL)
		return;
	/* On the path in use: through the relay if it is relayed. */
	if (fwd_send_peer(p, pkt, len) == -1) {
		log_debug("peer %s: held datagram not sent", p->conf.name);
		return;
	}
	p->tx_packets++;
	p->tx_bytes += len;
}

/* A path exists: what was held goes out on it, the handshake first. */
void
cm_path_up(struct peer *p)
{
	if (!p->has_remote)
		return;
	cm_send_held(p, p->held, p->held_len);
	cm_send_held(p, p->held_data, p->held_data_len);
	cm_drop_held(p);
}

int
cm_wake_name(const char *name, char *msg, size_t len)
{
	struct peer	*p;

	if ((p = peer_by_name(name)) == NULL) {
		snprintf(msg, len, "no peer named %s", name);
		return -1;
	}
	if (p->source != PEER_SRC_NETMAP) {
		snprintf(msg, len, "peer %s is static: it has no idle state",
		    name);
		return -1;
	}
	if (p->state != PEER_IDLE) {
		snprintf(msg, len, "peer %s is already %s", name,
		    p->state == PEER_CONNECTED ? "connected" : "connecting");
		return 0;
	}
	cm_wake(p, WAKE_MANUAL);
	snprintf(msg, len, "peer %s woken", name);
	return 0;
}

/* Seconds of inactivity p has left, or -1 if it never goes idle. */
static int64_t
cm_idle_in(const struct peer *p, time_t now)
{
	time_t	 since;

	if (p->perm_why != 0 || p->state == PEER_IDLE ||
	    p->source != PEER_SRC_NETMAP)
		return -1;
	since = p->last_activity > p->woken ? p->last_activity : p->woken;
	if (now - since >= (time_t)cm.inactivity)
		return 0;
	return (time_t)cm.inactivity - (now - since);
}

static void
cm_tick(int fd, short event, void *arg)
{
	struct timeval	 tv = { CM_TICK_SEC, 0 };
	struct peer	*p, *np;
	time_t		 now = time(NULL);

	TAILQ_FOREACH_SAFE(p, &engine->active, active_entry, np)
		if (cm_idle_in(p, now) == 0)
			cm_idle(p, "inactivity", 1);
	evtimer_add(&cm.ev_tick, &tv);
}

void
cm_status(struct ctl_status_hdr *h)
{
	h->lazy = cm.lazy;
	h->lazy_src = cm.lazy_src;
	h->inactivity = cm.inactivity;
	h->inactivity_src = cm.inactivity_src;
}

void
cm_peer_status(const struct peer *p, struct ctl_status_peer *s)
{
	s->state_since = p->state_since;
	s->idle_since = p->state == PEER_IDLE ? p->idle_since : 0;
	s->idle_in = cm_idle_in(p, time(NULL));
	s->wake_reason = p->wake_reason;
	s->perm_why = p->source == PEER_SRC_NETMAP ? p->perm_why : 0;
}
