/*
 * engine: ICE candidates: host and server-reflexive gathering,
 * priorities, foundations, and the remote's candidates.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "engine.h"
#include "ice.h"
#include "ice_int.h"
#include "log.h"

/* RFC 8445 5.1.2.2: recommended type preferences. */
#define ICE_TPREF_HOST		126
#define ICE_TPREF_PRFLX		110
#define ICE_TPREF_SRFLX		100
#define ICE_TPREF_RELAY		0
/* RFC 8421 4: IPv6 ahead of IPv4; within a family, the order given. */
#define ICE_LPREF_V6		65535
#define ICE_LPREF_V4		32767
#define ICE_COMPONENT		1	/* RFC 8445 5.1.2.1: one component */
#define ICE_COMPONENT_BASE	256	/* RFC 8445 5.1.2.1: 256 - id */
#define ICE_TPREF_SHIFT		24	/* RFC 8445 5.1.2.1: 2^24 */
#define ICE_FOUNDATION_HOST	'H'	/* then the index of the address */
#define ICE_FOUNDATION_SRFLX	'S'	/* then the family, 4 or 6 */
#define ICE_FOUNDATION_RELAY	'R'	/* then the family, 4 or 6 */
#define ICE_V4MAPPED_OFF	12	/* IPv4 bytes in a v4-mapped in6_addr */
#define ICE_V4_LOOPBACK_NET	127	/* RFC 1122 3.2.1.3: 127.0.0.0/8 */
#define ICE_V4_THIS_NET		0	/* RFC 1122 3.2.1.3: 0.0.0.0/8 */

static int	 ice_sess_remote_ok(const struct ice_sess *,
		    const struct sockaddr_in6 *);
static int	 ice_sess_relayed(struct ice_sess *);
static void	 ice_cand_server(struct ice_cand *, const struct sockaddr_in6 *,
		    enum cand_type, char);
static void	 ice_sess_relay_pair(struct ice_sess *, size_t);

_Static_assert((int)ICEMSG_HOST == (int)CAND_HOST &&
    (int)ICEMSG_SRFLX == (int)CAND_SRFLX &&
    (int)ICEMSG_PRFLX == (int)CAND_PRFLX &&
    (int)ICEMSG_RELAY == (int)CAND_RELAY, "candidate types agree");

int
ice_addr_eq(const struct sockaddr_in6 *a, const struct sockaddr_in6 *b)
{
	return a->sin6_port == b->sin6_port &&
	    memcmp(&a->sin6_addr, &b->sin6_addr, sizeof(a->sin6_addr)) == 0;
}

int
ice_is_v4(const struct sockaddr_in6 *a)
{
	return IN6_IS_ADDR_V4MAPPED(&a->sin6_addr);
}

/* STUN carries IPv4 as IPv4: unmap for XOR-MAPPED-ADDRESS. */
void
ice_to_sa(const struct sockaddr_in6 *a, struct sockaddr_storage *ss)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (ice_is_v4(a)) {
		sin->sin_family = AF_INET;
		sin->sin_port = a->sin6_port;
		memcpy(&sin->sin_addr, &a->sin6_addr.s6_addr[ICE_V4MAPPED_OFF],
		    sizeof(sin->sin_addr));
	} else {
		memcpy(ss, a, sizeof(*a));
		((struct sockaddr_in6 *)ss)->sin6_scope_id = 0;
		((struct sockaddr_in6 *)ss)->sin6_flowinfo = 0;
	}
}

int
ice_from_sa(const struct sockaddr_storage *ss, struct sockaddr_in6 *a)
{
	return sockaddr_to_v6_ip(ss, a);
}

uint32_t
ice_cand_priority(enum cand_type type, uint16_t lpref)
{
	uint32_t	 tpref;

	switch (type) {
	case CAND_HOST:
		tpref = ICE_TPREF_HOST;
		break;
	case CAND_PRFLX:
		tpref = ICE_TPREF_PRFLX;
		break;
	case CAND_SRFLX:
		tpref = ICE_TPREF_SRFLX;
		break;
	default:
		tpref = ICE_TPREF_RELAY;
		break;
	}
	return tpref << ICE_TPREF_SHIFT | (uint32_t)lpref << ICE_LPREF_SHIFT |
	    (ICE_COMPONENT_BASE - ICE_COMPONENT);
}

/* index: how many addresses of the same family come before this one. */
uint16_t
ice_local_pref(const struct in6_addr *a, size_t index)
{
	return (IN6_IS_ADDR_V4MAPPED(a) ? ICE_LPREF_V4 : ICE_LPREF_V6) - index;
}

/* RFC 8445 6.1.2.6: a pair's foundation is its candidates' together. */
int
ice_same_foundation(const struct ice_sess *s, const struct ice_check *a,
    const struct ice_check *b)
{
	return strcmp(s->local[a->local].foundation,
	    s->local[b->local].foundation) == 0 &&
	    strcmp(s->remote[a->remote].foundation,
	    s->remote[b->remote].foundation) == 0;
}

/* Host candidates: the addresses we can send from, on the engine's port. */
size_t
ice_hosts(const struct ice_env *env, struct ice_cand *out)
{
	struct ice_cand		*c;
	const struct in6_addr	*a;
	size_t			 i, j, n = 0, nv4 = 0, nv6 = 0;

	for (i = 0; i < env->naddrs && i < TERN_LOCAL_ADDRS_MAX; i++) {
		a = &env->addrs[i];
		/* Without a scope a link-local address reaches nobody. */
		if (IN6_IS_ADDR_UNSPECIFIED(a) || IN6_IS_ADDR_MULTICAST(a) ||
		    IN6_IS_ADDR_LINKLOCAL(a))
			continue;
		for (j = 0; j < n; j++)
			if (memcmp(&out[j].addr.sin6_addr, a, sizeof(*a)) == 0)
				break;
		if (j < n)
			continue;
		c = &out[n++];
		memset(c, 0, sizeof(*c));
		c->addr.sin6_family = AF_INET6;
		c->addr.sin6_addr = *a;
		c->addr.sin6_port = htons(env->port);
		c->type = CAND_HOST;
		c->priority = ice_cand_priority(CAND_HOST,
		    ice_local_pref(a, IN6_IS_ADDR_V4MAPPED(a) ? nv4++ : nv6++));
		snprintf(c->foundation, sizeof(c->foundation), "%c%zu",
		    ICE_FOUNDATION_HOST, i);
	}
	return n;
}

void
ice_sess_hosts(struct ice_sess *s)
{
	s->nlocal = s->nhost = ice_hosts(s->env, s->local);
	(void)ice_sess_srflx(s);
}

/* Is c one of the server-reflexive addresses the relay reports now? */
int
ice_srflx_current(const struct ice_env *env, const struct ice_cand *c)
{
	size_t	 i;

	for (i = 0; i < env->nsrflx && i < ICE_SRFLX_MAX; i++)
		if (ice_addr_eq(&env->srflx[i], &c->addr))
			return 1;
	return 0;
}

/*
 * Adds env's server-reflexive candidates after the hosts; a learned
 * peer-reflexive one of the same address becomes one.  They are not
 * paired (RFC 8445 6.1.2.4: their base is a host candidate) but name
 * the local side of a pair whose check came back with that mapping.
 * Returns how many are new.
 */
int
ice_sess_srflx(struct ice_sess *s)
{
	const struct ice_env	*env = s->env;
	size_t			 i, j;
	int			 added = 0;

	for (i = 0; i < env->nsrflx && i < ICE_SRFLX_MAX; i++) {
		for (j = 0; j < s->nlocal; j++)
			if (ice_addr_eq(&s->local[j].addr, &env->srflx[i]))
				break;
		if (j < s->nlocal && s->local[j].type != CAND_PRFLX)
			continue;
		if (j == s->nlocal) {
			if (s->nlocal == ICE_LOCAL_MAX)
				continue;
			s->nlocal++;
		}
		ice_cand_server(&s->local[j], &env->srflx[i], CAND_SRFLX,
		    ICE_FOUNDATION_SRFLX);
		added++;
	}
	if (env->has_relayed)
		added += ice_sess_relayed(s);
	return added;
}

/*
 * A candidate a server gave us (server-reflexive or relayed): one per
 * family, its foundation the type letter and the family.
 */
static void
ice_cand_server(struct ice_cand *c, const struct sockaddr_in6 *a,
    enum cand_type type, char letter)
{
	int	 v4 = ice_is_v4(a);

	memset(c, 0, sizeof(*c));
	c->addr = *a;
	c->type = type;
	c->priority = ice_cand_priority(type, v4 ? ICE_LPREF_V4 : ICE_LPREF_V6);
	snprintf(c->foundation, sizeof(c->foundation), "%c%c", letter,
	    v4 ? '4' : '6');
}

/* Is c the relayed address of our allocation now? */
int
ice_relayed_current(const struct ice_env *env, const struct ice_cand *c)
{
	return env->has_relayed && ice_addr_eq(&env->relayed, &c->addr);
}

/* Pairs remote candidate r with our relayed one, if we have it. */
static void
ice_sess_relay_pair(struct ice_sess *s, size_t r)
{
	size_t	 i;

	for (i = 0; i < s->nlocal; i++)
		if (s->local[i].type == CAND_RELAY &&
		    ice_relayed_current(s->env, &s->local[i]) &&
		    ice_is_v4(&s->local[i].addr) ==
		    ice_is_v4(&s->remote[r].addr))
			break;
	if (i == s->nlocal)
		return;
	if (s->env->permit != NULL)
		s->env->permit(&s->remote[r].addr, s->env->arg);
	(void)ice_sess_pair(s, r, 1);
}

/*
 * The relayed candidate (RFC 8445 5.1.1.2; type preference 0): added
 * once, then paired with every remote candidate known.  1 if it is new.
 */
static int
ice_sess_relayed(struct ice_sess *s)
{
	const struct ice_env	*env = s->env;
	size_t			 j, r;

	for (j = 0; j < s->nlocal; j++)
		if (s->local[j].type == CAND_RELAY &&
		    ice_relayed_current(env, &s->local[j]))
			return 0;
	if (s->nlocal == ICE_LOCAL_MAX)
		return 0;
	ice_cand_server(&s->local[s->nlocal++], &env->relayed, CAND_RELAY,
	    ICE_FOUNDATION_RELAY);
	for (r = 0; r < s->nremote; r++)
		ice_sess_relay_pair(s, r);
	return 1;
}

/* Candidate flooding is logged once per session, not per datagram. */
void
ice_sess_capped(struct ice_sess *s, const char *what, int max)
{
	if (s->capped)
		return;
	s->capped = 1;
	log_warnx("peer %s: more than %d %s, the rest dropped",
	    s->peer->conf.name, max, what);
}

/* Remote candidate a, added or updated (-1 if the cap is reached). */
ssize_t
ice_sess_add_remote(struct ice_sess *s, const struct sockaddr_in6 *a,
    enum cand_type type, uint32_t prio, const char *foundation)
{
	struct ice_cand	*c;
	size_t		 i;

	for (i = 0; i < s->nremote; i++)
		if (ice_addr_eq(&s->remote[i].addr, a))
			break;
	if (i == s->nremote) {
		if (s->nremote == ICE_REMOTE_MAX) {
			ice_sess_capped(s, "remote candidates",
			    ICE_REMOTE_MAX);
			return -1;
		}
		s->nremote++;
	} else if (type == CAND_PRFLX)
		return i;
	/* RFC 8445 7.3.1.3: a signaled candidate replaces a learned one. */
	c = &s->remote[i];
	memset(c, 0, sizeof(*c));
	c->addr.sin6_family = AF_INET6;
	c->addr.sin6_addr = a->sin6_addr;
	c->addr.sin6_port = a->sin6_port;
	c->type = type;
	c->priority = prio;
	strlcpy(c->foundation, foundation, sizeof(c->foundation));
	ice_sess_pair(s, i, 0);
	ice_sess_relay_pair(s, i);
	ice_sess_role(s, s->controlling);
	return i;
}

/*
 * Remote credentials and candidates of an offer, answer or candidate;
 * 1 if they are a new generation of the remote (ICE restart).  What
 * checks taught us before the first credentials stays.
 */
int
ice_sess_adopt(struct ice_sess *s, const struct icemsg *m)
{
	const struct icemsg_cand	*c;
	size_t				 i;
	int				 restart = 0;

	if (m->type != ICEMSG_CANDIDATE &&
	    (!s->has_remote || strcmp(m->ufrag, s->rufrag) != 0)) {
		if (s->has_remote) {
			ice_sess_reset_remote(s);
			restart = 1;
		}
		strlcpy(s->rufrag, m->ufrag, sizeof(s->rufrag));
		strlcpy(s->rpwd, m->pwd, sizeof(s->rpwd));
		s->has_remote = 1;
	}
	for (i = 0; i < m->ncands; i++) {
		c = &m->cands[i];
		if (!ice_sess_remote_ok(s, &c->addr)) {
			log_debug("peer %s: a loopback or unspecified "
			    "candidate dropped", s->peer->conf.name);
			continue;
		}
		ice_sess_add_remote(s, &c->addr, (enum cand_type)c->type,
		    c->priority, c->foundation);
	}
	return restart;
}

/*
 * Whether a signaled candidate may get checks.  An unspecified address
 * reaches nobody, and a loopback one would point our checks at services
 * of this host: the remote may name one only when it is one of our own
 * host candidates, that is both ends run here (the parent never lists
 * loopback addresses, so in ternd it never is).
 */
static int
ice_sess_remote_ok(const struct ice_sess *s, const struct sockaddr_in6 *a)
{
	const struct in6_addr	*in = &a->sin6_addr;
	size_t			 i;

	if (IN6_IS_ADDR_UNSPECIFIED(in) || (IN6_IS_ADDR_V4MAPPED(in) &&
	    in->s6_addr[ICE_V4MAPPED_OFF] == ICE_V4_THIS_NET))
		return 0;
	if (!IN6_IS_ADDR_LOOPBACK(in) && !(IN6_IS_ADDR_V4MAPPED(in) &&
	    in->s6_addr[ICE_V4MAPPED_OFF] == ICE_V4_LOOPBACK_NET))
		return 1;
	for (i = 0; i < s->nhost; i++)
		if (memcmp(&s->local[i].addr.sin6_addr, in, sizeof(*in)) == 0)
			return 1;
	return 0;
}
