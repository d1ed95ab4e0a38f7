/*
 * server: what each node is told.  Its netmap (itself and the peers it
 * may see) and its relay list with fresh TURN REST credentials and the
 * presence of the relays that register.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "log.h"
#include "server.h"
#include "turn_cred.h"

#define NETMAP_US_PER_S		1000000
#define NETMAP_NS_PER_US	1000

/* Scratch for encoding: one message at a time in this process. */
static struct sigmsg	 netmap_msg;

static int	 netmap_share_group(const struct sigmsg_peer *,
	    const struct sigmsg_peer *);
static int	 netmap_member_cmp(const void *, const void *);
static int	 netmap_idx_cmp(const void *, const void *);
static size_t	 netmap_group_first(const struct srv_conf *, const char *);
static int	 netmap_group_peers(struct srv_conf *,
	    const struct sigmsg_peer *, struct sigmsg_peer **, size_t *);

static int
netmap_share_group(const struct sigmsg_peer *a, const struct sigmsg_peer *b)
{
	size_t	 i, j;

	for (i = 0; i < a->ngroups; i++)
		for (j = 0; j < b->ngroups; j++)
			if (strcmp(a->groups[i], b->groups[j]) == 0)
				return 1;
	return 0;
}

/* Whether a may see b: in its netmap and as a target of signals. */
int
netmap_sees(const struct srv_conf *conf, const struct sigmsg_peer *a,
    const struct sigmsg_peer *b)
{
	if (a == b || memcmp(a->node_key, b->node_key, KEY_LEN) == 0)
		return 0;
	return !conf->c.isolate_groups || netmap_share_group(a, b);
}

static int
netmap_member_cmp(const void *a, const void *b)
{
	const struct group_member	*ma = a, *mb = b;
	int				 r;

	if ((r = strcmp(ma->group, mb->group)) != 0)
		return r;
	return ma->idx < mb->idx ? -1 : ma->idx > mb->idx;
}

static int
netmap_idx_cmp(const void *a, const void *b)
{
	uint32_t	 ia = *(const uint32_t *)a, ib = *(const uint32_t *)b;

	return ia < ib ? -1 : ia > ib;
}

/*
 * With isolated groups, the members of every group sorted by group
 * name: a node's peers are found through its own groups, not by
 * comparing it with every peer of the mesh.
 */
int
netmap_index(struct srv_conf *conf)
{
	crypto_generichash_state	 st;
	size_t				 i, j, n = 0;

	/* Equal digests on a reload: no node's netmap can have changed. */
	crypto_generichash_init(&st, NULL, 0, sizeof(conf->digest));
	crypto_generichash_update(&st, (const uint8_t *)&conf->c.lazy,
	    sizeof(conf->c.lazy));
	crypto_generichash_update(&st, (const uint8_t *)&conf->c.inactivity,
	    sizeof(conf->c.inactivity));
	crypto_generichash_update(&st,
	    (const uint8_t *)&conf->c.isolate_groups,
	    sizeof(conf->c.isolate_groups));
	crypto_generichash_update(&st, (const uint8_t *)conf->peers,
	    conf->npeers * sizeof(*conf->peers));
	crypto_generichash_final(&st, conf->digest, sizeof(conf->digest));

	if (!conf->c.isolate_groups || conf->npeers == 0)
		return 0;
	for (i = 0; i < conf->npeers; i++)
		n += conf->peers[i].ngroups;
	if ((conf->mark = calloc(conf->npeers, sizeof(*conf->mark))) == NULL ||
	    (n > 0 && (conf->members = calloc(n, sizeof(*conf->members))) ==
	    NULL))
		return -1;
	for (i = 0; i < conf->npeers; i++)
		for (j = 0; j < conf->peers[i].ngroups; j++) {
			conf->members[conf->nmembers].group =
			    conf->peers[i].groups[j];
			conf->members[conf->nmembers++].idx = i;
		}
	/* glibc's qsort may call sysinfo(2), which the sandbox forbids. */
	if (heapsort(conf->members, conf->nmembers, sizeof(*conf->members),
	    netmap_member_cmp) == -1)
		return -1;
	return 0;
}

/* The first member of group, or nmembers. */
static size_t
netmap_group_first(const struct srv_conf *conf, const char *group)
{
	size_t	 lo = 0, hi = conf->nmembers, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(conf->members[mid].group, group) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The peers that share a group with self, in config order. */
static int
netmap_group_peers(struct srv_conf *conf, const struct sigmsg_peer *self,
    struct sigmsg_peer **out, size_t *np)
{
	uint32_t		*idx, self_idx = self - conf->peers;
	size_t			 g, m, max = 0, n = 0;

	*out = NULL;
	*np = 0;
	for (g = 0; g < self->ngroups; g++)
		for (m = netmap_group_first(conf, self->groups[g]);
		    m < conf->nmembers &&
		    strcmp(conf->members[m].group, self->groups[g]) == 0; m++)
			max++;
	if (max == 0)
		return 0;
	if ((idx = calloc(max, sizeof(*idx))) == NULL)
		return -1;
	/* A new pass number marks nobody seen; on wrap the marks reset. */
	if (++conf->pass == 0) {
		memset(conf->mark, 0, conf->npeers * sizeof(*conf->mark));
		conf->pass = 1;
	}
	conf->mark[self_idx] = conf->pass;
	for (g = 0; g < self->ngroups; g++)
		for (m = netmap_group_first(conf, self->groups[g]);
		    m < conf->nmembers &&
		    strcmp(conf->members[m].group, self->groups[g]) == 0; m++)
			if (conf->mark[conf->members[m].idx] != conf->pass) {
				conf->mark[conf->members[m].idx] = conf->pass;
				idx[n++] = conf->members[m].idx;
			}
	if (n > 0 && (heapsort(idx, n, sizeof(*idx), netmap_idx_cmp) == -1 ||
	    (*out = calloc(n, sizeof(**out))) == NULL)) {
		free(idx);
		return -1;
	}
	for (m = 0; m < n; m++)
		(*out)[m] = conf->peers[idx[m]];
	*np = n;
	free(idx);
	return 0;
}

/*
 * Stores the software of node's last hello; 1 if it changed.  The nodes
 * that see it get a new netmap on the next tick: with isolated groups
 * its group members' connections are marked stale, otherwise every
 * connection is, by a new generation.
 */
int
netmap_version(struct srv_conf *conf, struct node *node,
    const char *software)
{
	struct sigmsg_peer	*self = node->peer;
	struct node		*n;
	size_t			 g, m;

	if (strcmp(self->version, software) == 0)
		return 0;
	strlcpy(self->version, software, sizeof(self->version));
	server->netmap_due = 1;
	if (!conf->c.isolate_groups) {
		if (++server->netmap_gen == SERVER_GEN_STALE)
			server->netmap_gen++;
		return 1;
	}
	for (g = 0; g < self->ngroups; g++)
		for (m = netmap_group_first(conf, self->groups[g]);
		    m < conf->nmembers &&
		    strcmp(conf->members[m].group, self->groups[g]) == 0; m++) {
			n = &conf->nodes[conf->members[m].idx];
			if (n != node && n->conn != NULL)
				n->conn->netmap_gen = SERVER_GEN_STALE;
		}
	return 1;
}

/*
 * A reload keeps what hellos told of the nodes still configured, and
 * the last handshake timestamp of each node key, so that no reload opens
 * a window for a replay.  The parent's peers carry no version: the
 * digests, taken of the config as it came, stay comparable.
 */
void
netmap_versions_keep(struct srv_conf *old, struct srv_conf *nconf)
{
	struct node	*n;
	size_t		 i;

	for (i = 0; i < nconf->npeers; i++)
		if ((n = server_node_find(old, nconf->peers[i].node_key)) !=
		    NULL) {
			memcpy(nconf->peers[i].version, n->peer->version,
			    sizeof(nconf->peers[i].version));
			memcpy(nconf->nodes[i].hs_ts, n->hs_ts,
			    sizeof(n->hs_ts));
		}
}

/*
 * Without isolated groups a node sees every other peer: its own entry
 * is swapped to the front of the peer array for the time of encoding,
 * so the peers after it are passed without a copy of them all.
 */
char *
netmap_encode(struct srv_conf *conf, struct node *node, size_t *len)
{
	struct sigmsg_netmap	*nm = &netmap_msg.u.netmap;
	struct sigmsg_peer	*copy = NULL, *self = node->peer;
	struct sigmsg_peer	 tmp;
	size_t			 n, idx;
	char			*json;

	memset(nm, 0, sizeof(*nm));
	netmap_msg.type = SIGMSG_NETMAP;
	nm->self = *self;
	nm->lazy = conf->c.lazy == 1;
	nm->inactivity = conf->c.inactivity;
	if (!conf->c.isolate_groups) {
		idx = self - conf->peers;
		tmp = conf->peers[0];
		conf->peers[0] = conf->peers[idx];
		conf->peers[idx] = tmp;
		nm->peers = conf->peers + 1;
		nm->npeers = conf->npeers - 1;
		json = sigmsg_encode(&netmap_msg, len);
		tmp = conf->peers[0];
		conf->peers[0] = conf->peers[idx];
		conf->peers[idx] = tmp;
	} else {
		if (netmap_group_peers(conf, self, &copy, &n) == -1) {
			log_warn("netmap");
			return NULL;
		}
		nm->peers = copy;
		nm->npeers = n;
		json = sigmsg_encode(&netmap_msg, len);
		free(copy);
	}
	memset(nm, 0, sizeof(*nm));
	if (json == NULL)
		log_warnx("netmap of %s: cannot encode", self->name);
	return json;
}

/*
 * Signs every peer entry for a new map version: once per version, not
 * per recipient, so a change costs one signature per peer.  An
 * unchanged config keeps the signatures of the old one.  The serial is
 * the wall clock in microseconds: it keeps growing over restarts.
 */
void
netmap_sign(struct srv_conf *conf, const struct srv_conf *old)
{
	struct sigmsg_peer	*p;
	struct nm_entry		 e;
	struct timespec		 ts;
	uint64_t		 serial;
	size_t			 i;

	if (old != NULL && old->npeers == conf->npeers &&
	    memcmp(old->digest, conf->digest,
	    sizeof(conf->digest)) == 0) {
		for (i = 0; i < conf->npeers; i++) {
			p = &conf->peers[i];
			p->has_sig = old->peers[i].has_sig;
			p->serial = old->peers[i].serial;
			p->expires = old->peers[i].expires;
			memcpy(p->sig, old->peers[i].sig, sizeof(p->sig));
		}
		conf->signed_at = old->signed_at;
		return;
	}
	if (clock_gettime(CLOCK_REALTIME, &ts) == -1)
		fatal("clock_gettime");
	serial = (uint64_t)ts.tv_sec * NETMAP_US_PER_S +
	    (uint64_t)ts.tv_nsec / NETMAP_NS_PER_US;
	if (serial <= server->serial)
		serial = server->serial + 1;
	server->serial = serial;
	conf->signed_at = ts.tv_sec;
	for (i = 0; i < conf->npeers; i++) {
		p = &conf->peers[i];
		p->serial = serial;
		p->expires = ts.tv_sec + SERVER_SIG_LIFETIME;
		sigmsg_peer_entry(p, &e);
		nmsign_sign(&e, server->sign_sk);
		memcpy(p->sig, e.sig, sizeof(p->sig));
		p->has_sig = 1;
	}
}

/* Half a lifetime after signing: sign anew and send every netmap. */
void
netmap_resign(struct srv_conf *conf)
{
	if (time(NULL) < conf->signed_at + SERVER_SIG_LIFETIME / 2)
		return;
	netmap_sign(conf, NULL);
	log_info("netmap entries signed anew (serial %llu)",
	    (unsigned long long)server->serial);
	server->netmap_due = 1;
	if (++server->netmap_gen == SERVER_GEN_STALE)
		server->netmap_gen++;
}

/*
 * The relays handed out, with credentials for node self, and the ids of
 * keyed relays that came up or went down after server.presence_seq was
 * since: a relay up then and down now was seen up, so it is gone.
 */
void
relays_fill(const struct srv_conf *conf, const struct sigmsg_peer *self,
    int64_t now, uint64_t since, struct sigmsg_relays *out)
{
	const struct sig_imsg_relay	*r;
	const struct relay_node		*rn;
	struct sigmsg_relay		*o;
	char				 user[TURN_CRED_USER_MAX];
	char				 pass[TURN_CRED_PASS_MAX];
	int64_t				 expiry = now + conf->c.cred_lifetime;
	size_t				 i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < conf->nrelays; i++) {
		r = &conf->relays[i];
		rn = &conf->rnodes[i];
		if (rn->up && rn->up_seq > since)
			strlcpy(out->connected[out->nconnected++], r->id,
			    sizeof(out->connected[0]));
		else if (!rn->up && r->has_key && rn->down_seq > since &&
		    rn->up_seq != 0 && rn->up_seq <= since)
			strlcpy(out->disconnected[out->ndisconnected++], r->id,
			    sizeof(out->disconnected[0]));
		if (!presence_handed(rn))
			continue;
		o = &out->relays[out->nrelays];
		if (turn_cred_make((const uint8_t *)r->secret,
		    strlen(r->secret), expiry, self->name, user, pass) == -1) {
			log_warnx("relay %s: no credentials for node %s",
			    r->id, self->name);
			continue;
		}
		strlcpy(o->id, r->id, sizeof(o->id));
		strlcpy(o->address, r->address, sizeof(o->address));
		strlcpy(o->realm, r->realm, sizeof(o->realm));
		strlcpy(o->username, user, sizeof(o->username));
		strlcpy(o->password, pass, sizeof(o->password));
		o->expires = expiry;
		if (rn->up)
			o->generation = rn->generation;
		out->nrelays++;
	}
}

int
relays_equal(const struct srv_conf *a, const struct srv_conf *b)
{
	const struct sig_imsg_relay	*ra, *rb;
	size_t				 i;

	if (a->c.cred_lifetime != b->c.cred_lifetime ||
	    a->nrelays != b->nrelays)
		return 0;
	for (i = 0; i < a->nrelays; i++) {
		ra = &a->relays[i];
		rb = &b->relays[i];
		if (strcmp(ra->id, rb->id) != 0 ||
		    strcmp(ra->address, rb->address) != 0 ||
		    strcmp(ra->secret, rb->secret) != 0 ||
		    strcmp(ra->realm, rb->realm) != 0 ||
		    ra->has_key != rb->has_key ||
		    memcmp(ra->key, rb->key, KEY_LEN) != 0)
			return 0;
	}
	return 1;
}
