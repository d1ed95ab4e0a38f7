/*
 * parent: which peers the engine may configure.  A netmap peer is set
 * only from an entry signed by tern-signal's pinned key (and, with a
 * network lock, by the administrator's key), not expired and not older
 * than the newest one applied for that node; static peers are pinned:
 * the engine can neither change them nor give their prefixes to
 * another key.  Everything here checks fixed-size structs from the
 * engine; nothing parses network input.
 */
#include <sys/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "parent.h"

/*
 * The WireGuard key applied per node key, so a node whose key changed
 * loses its old one.  Bounded: beyond the cap the oldest is forgotten.
 */
#define PNETMAP_SERIALS_MAX	(2 * TERN_PEERS_MAX)

struct pnetmap_serial {
	RB_ENTRY(pnetmap_serial) entry;
	uint8_t			 node_key[KEY_LEN];
	uint8_t			 wg_key[KEY_LEN];
	uint64_t		 serial;
};
RB_HEAD(pnetmap_serial_tree, pnetmap_serial);

static int	 pnetmap_serial_cmp(struct pnetmap_serial *,
	    struct pnetmap_serial *);
RB_GENERATE_STATIC(pnetmap_serial_tree, pnetmap_serial, entry,
    pnetmap_serial_cmp)

static struct pnetmap_serial_tree	 serials = RB_INITIALIZER(&serials);
static size_t				 nserials;
/*
 * The newest serial applied.  tern-signal signs every entry of a map
 * with one serial and the engine pushes entries from its newest map,
 * so an older serial is a replay, of this node or of another one that
 * held the prefix before.
 */
static uint64_t				 serial_max;

static int	 pnetmap_overlap(const struct tern_prefix *,
	    const struct tern_prefix *);
static const struct peer_conf *pnetmap_static_overlap(
	    const struct ternd_conf *, const struct tern_prefix *);
static void	 pnetmap_forget_oldest(void);

static int
pnetmap_serial_cmp(struct pnetmap_serial *a, struct pnetmap_serial *b)
{
	return memcmp(a->node_key, b->node_key, KEY_LEN);
}

static int
pnetmap_overlap(const struct tern_prefix *a, const struct tern_prefix *b)
{
	return prefix_contains(a, b) || prefix_contains(b, a);
}

static const struct peer_conf *
pnetmap_static_overlap(const struct ternd_conf *conf,
    const struct tern_prefix *p)
{
	const struct peer_conf	*pc;
	size_t			 i;

	TAILQ_FOREACH(pc, &conf->peers, entry)
		for (i = 0; i < pc->nallowed; i++)
			if (pnetmap_overlap(&pc->allowed[i], p))
				return pc;
	return NULL;
}

const struct peer_conf *
pnetmap_static_find(const struct ternd_conf *conf,
    const uint8_t wgkey[KEY_LEN])
{
	const struct peer_conf	*pc;

	TAILQ_FOREACH(pc, &conf->peers, entry)
		if (memcmp(pc->wgkey, wgkey, KEY_LEN) == 0)
			return pc;
	return NULL;
}

/* The WireGuard peer an entry stands for: addresses, then allowed IPs. */
int
pnetmap_to_peer(const struct imsg_wg_signed *ws, struct imsg_wg_peer *wp,
    char *err, size_t errlen)
{
	const struct nm_entry	*e = &ws->entry;

	if (!nmsign_entry_ok(e) ||
	    e->naddrs + e->nallowed > TERN_ALLOWED_MAX) {
		snprintf(err, errlen, "malformed entry");
		return -1;
	}
	memset(wp, 0, sizeof(*wp));
	memcpy(wp->wgkey, e->wg_key, KEY_LEN);
	memcpy(wp->allowed, e->addrs, e->naddrs * sizeof(e->addrs[0]));
	memcpy(wp->allowed + e->naddrs, e->allowed,
	    e->nallowed * sizeof(e->allowed[0]));
	wp->nallowed = e->naddrs + e->nallowed;
	wp->keepalive = ws->keepalive;
	wp->endpoint = ws->endpoint;
	return 0;
}

/*
 * A netmap peer from the engine: the signatures, the expiry, the
 * serial, and the static peers' keys and prefixes.  The caller checks
 * accept and the endpoint (policy_check_peer) on the WireGuard peer.
 */
int
pnetmap_check(const struct ternd_conf *conf, const struct imsg_wg_signed *ws,
    time_t now, char *err, size_t errlen)
{
	const struct nm_entry	*e = &ws->entry;
	struct tern_prefix	 all[NMSIGN_ADDRS_MAX + NMSIGN_ALLOWED_MAX];

	if (!conf->has_signal) {
		snprintf(err, errlen, "no signal server is configured");
		return -1;
	}
	if (nmsign_verify(e, conf->signal_key) == -1) {
		snprintf(err, errlen, "not signed by the signal server's key");
		return -1;
	}
	if (conf->has_lock && nmsign_lock_verify(e, conf->lock_key) == -1) {
		snprintf(err, errlen, "%s", e->has_lock ?
		    "network-lock signature does not verify" :
		    "no network-lock signature");
		return -1;
	}
	if (e->expires <= now) {
		/* Any signed time: the difference fits only unsigned. */
		snprintf(err, errlen, "signature expired %llu s ago",
		    (unsigned long long)now - (unsigned long long)e->expires);
		return -1;
	}
	if (e->serial < serial_max) {
		snprintf(err, errlen, "serial %llu is older than %llu, "
		    "applied before", (unsigned long long)e->serial,
		    (unsigned long long)serial_max);
		return -1;
	}
	memcpy(all, e->addrs, e->naddrs * sizeof(e->addrs[0]));
	memcpy(all + e->naddrs, e->allowed, e->nallowed * sizeof(e->allowed[0]));
	return pnetmap_static_conflict(conf, e->wg_key, all,
	    e->naddrs + e->nallowed, err, errlen);
}

/* A static peer's key, or a prefix overlapping one of its prefixes. */
int
pnetmap_static_conflict(const struct ternd_conf *conf,
    const uint8_t wgkey[KEY_LEN], const struct tern_prefix *p, uint32_t n,
    char *err, size_t errlen)
{
	const struct peer_conf	*pc;
	char			 buf[PREFIX_STRLEN];
	uint32_t		 i;

	if ((pc = pnetmap_static_find(conf, wgkey)) != NULL) {
		snprintf(err, errlen, "WireGuard key of static peer %s",
		    pc->name);
		return -1;
	}
	for (i = 0; i < n; i++)
		if ((pc = pnetmap_static_overlap(conf, &p[i])) != NULL) {
			snprintf(err, errlen, "%s overlaps static peer %s",
			    prefix_str(&p[i], buf, sizeof(buf)), pc->name);
			return -1;
		}
	return 0;
}

static void
pnetmap_forget_oldest(void)
{
	struct pnetmap_serial	*s, *oldest = NULL;

	RB_FOREACH(s, pnetmap_serial_tree, &serials)
		if (oldest == NULL || s->serial < oldest->serial)
			oldest = s;
	RB_REMOVE(pnetmap_serial_tree, &serials, oldest);
	free(oldest);
	nserials--;
}

/*
 * Remembers an applied entry's serial and its node's key; 1 and the old
 * key in old if the node had another one, which the caller removes.
 */
int
pnetmap_applied(const struct nm_entry *e, uint8_t old[KEY_LEN])
{
	struct pnetmap_serial	 key, *s;
	int			 moved = 0;

	if (e->serial > serial_max)
		serial_max = e->serial;
	memcpy(key.node_key, e->node_key, KEY_LEN);
	if ((s = RB_FIND(pnetmap_serial_tree, &serials, &key)) == NULL) {
		if (nserials >= PNETMAP_SERIALS_MAX)
			pnetmap_forget_oldest();
		if ((s = calloc(1, sizeof(*s))) == NULL)
			fatal(NULL);
		memcpy(s->node_key, e->node_key, KEY_LEN);
		RB_INSERT(pnetmap_serial_tree, &serials, s);
		nserials++;
	} else if (memcmp(s->wg_key, e->wg_key, KEY_LEN) != 0) {
		memcpy(old, s->wg_key, KEY_LEN);
		moved = 1;
	}
	memcpy(s->wg_key, e->wg_key, KEY_LEN);
	if (e->serial > s->serial)
		s->serial = e->serial;
	return moved;
}

/* A static peer from the engine: exactly as ternd.conf has it. */
int
pnetmap_static_check(const struct ternd_conf *conf,
    const struct imsg_wg_peer *wp, char *err, size_t errlen)
{
	const struct peer_conf	*pc;

	if ((pc = pnetmap_static_find(conf, wp->wgkey)) == NULL) {
		snprintf(err, errlen, "not a static peer: netmap peers "
		    "need a signed entry");
		return -1;
	}
	if (wp->nallowed != pc->nallowed ||
	    memcmp(wp->allowed, pc->allowed,
	    pc->nallowed * sizeof(pc->allowed[0])) != 0) {
		snprintf(err, errlen, "allowed IPs differ from static peer "
		    "%s in the config", pc->name);
		return -1;
	}
	return 0;
}
