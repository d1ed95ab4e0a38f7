/*
 * engine: the ICE checklist and its checks: pairs, Ta pacing,
 * triggered checks, STUN Binding requests and answers.
 */
#include <sys/socket.h>
#include <sys/tree.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "addr.h"
#include "engine.h"
#include "ice.h"
#include "ice_int.h"
#include "log.h"
#include "monotime.h"
#include "stun.h"
#include "stunc.h"

#define ICE_RTO_MS		500	/* RFC 8445 14.3: least RTO of a check */
#define ICE_V4_OFF		12	/* IPv4 bytes in a v4-mapped address */
#define ICE_V4_NET24		3	/* bytes of a /24 */
#define ICE_V6_NET64		8	/* bytes of a /64 */
#define ICE_PAIR_SHIFT		32	/* RFC 8445 6.1.2.3: 2^32 */
#define ICE_USERNAME_MAX	(2 * ICEMSG_UFRAG_MAX)	/* "a:b", with NUL */
#define ICE_FOUNDATION_PRFLX	'P'	/* then a counter */

static int	 ice_tid_cmp(struct ice_check *, struct ice_check *);
static void	 ice_sess_trigger(struct ice_sess *, size_t);
static void	 ice_sess_base(struct ice_sess *, const struct ice_check *);
void		 ice_sess_select(struct ice_sess *, struct ice_check *,
		    uint64_t);
static int	 ice_pair_far(const struct ice_sess *,
		    const struct ice_check *);
static int	 ice_from_remote_relay(const struct ice_sess *,
		    const struct sockaddr_in6 *);
static int	 ice_respond(struct ice_sess *, int, const struct stun_msg *,
		    const struct sockaddr_in6 *, uint16_t);
static void	 ice_input_request(const struct stun_msg *, int,
		    const struct sockaddr_in6 *, uint64_t);
static void	 ice_input_response(const struct stun_msg *, int,
		    const struct sockaddr_in6 *, uint64_t);

RB_GENERATE_STATIC(ice_tid_tree, ice_check, tid_entry, ice_tid_cmp)

static struct ice_tid_tree	 ice_tids = RB_INITIALIZER(&ice_tids);
static uint64_t			 ice_ndropped;

static int
ice_tid_cmp(struct ice_check *a, struct ice_check *b)
{
	return memcmp(a->tid, b->tid, STUN_TID_LEN);
}

/* g: the controlling side's candidate, d: the controlled side's. */
uint64_t
ice_pair_priority(uint32_t g, uint32_t d)
{
	uint64_t	 lo = g < d ? g : d, hi = g > d ? g : d;

	return (lo << ICE_PAIR_SHIFT) + 2 * hi + (g > d ? 1 : 0);
}

uint64_t
ice_dropped(void)
{
	return ice_ndropped;
}

void
ice_check_untrack(struct ice_check *k)
{
	if (k->in_tree) {
		RB_REMOVE(ice_tid_tree, &ice_tids, k);
		k->in_tree = 0;
	}
}

/*
 * The next pair to check: a triggered one, else the best Waiting one,
 * else the best Frozen one whose foundation is idle (RFC 8445 6.1.4.2).
 * take: dequeue it and make it Waiting; else only say whether there is.
 */
int
ice_sess_pick(struct ice_sess *s, int take)
{
	struct ice_check	*k, *o;
	ssize_t			 best = -1, waiting;
	size_t			 i, j;
	int			 busy, only, far;

	if (!s->has_remote)
		return -1;
	if (s->ntrig > 0) {
		i = s->trig[0];
		if (take) {
			memmove(s->trig, s->trig + 1,
			    --s->ntrig * sizeof(s->trig[0]));
			s->pairs[i].queued = 0;
		}
		return i;
	}
	/*
	 * Once connected the checks go on for what is missing: on a relay
	 * path, a direct pair may succeed; on a direct one, a relay path
	 * to keep beside it.
	 */
	only = -1;
	if (s->state == ICE_CONNECTED && s->has_sel) {
		if (ice_sel_via_relay(s))
			only = 0;
		else if (!s->has_alt)
			only = 1;
	}
	if (s->state != ICE_CHECKING && only == -1)
		return -1;
	/*
	 * One relay pair goes first, as soon as there is one: a path that
	 * works through the relay is up at once (behind symmetric NATs,
	 * after one check rather than a Ta for every direct pair that
	 * cannot succeed), and a direct pair that succeeds later replaces
	 * it by priority.
	 */
	if (only != 0 && !s->relay_checked) {
		for (i = 0; i < s->npairs; i++) {
			k = &s->pairs[i];
			if ((k->state == ICE_P_WAITING ||
			    k->state == ICE_P_FROZEN) &&
			    ice_pair_via_relay(s, k) &&
			    (best == -1 || k->prio > s->pairs[best].prio))
				best = i;
		}
		if (best != -1) {
			if (take) {
				s->relay_checked = 1;
				s->pairs[best].state = ICE_P_WAITING;
			}
			return best;
		}
	}
	/*
	 * The remote's private host addresses off our networks are
	 * checked last: behind its NAT they reach nothing from here, and
	 * checking them first delays the server-reflexive pairs.
	 */
	for (far = 0; far <= 1 && best == -1; far++)
		for (i = 0; i < s->npairs; i++) {
			k = &s->pairs[i];
			if ((only != -1 && ice_pair_via_relay(s, k) != only) ||
			    ice_pair_far(s, k) != far)
				continue;
			if (k->state == ICE_P_WAITING &&
			    (best == -1 || k->prio > s->pairs[best].prio))
				best = i;
		}
	waiting = best;
	for (i = 0; i < s->npairs && waiting == -1; i++) {
		k = &s->pairs[i];
		if (k->state != ICE_P_FROZEN ||
		    (only != -1 && ice_pair_via_relay(s, k) != only))
			continue;
		busy = 0;
		for (j = 0; j < s->npairs && !busy; j++) {
			o = &s->pairs[j];
			busy = (o->state == ICE_P_WAITING ||
			    o->state == ICE_P_INPROGRESS) &&
			    ice_same_foundation(s, o, k);
		}
		if (!busy && (best == -1 || ice_pair_far(s, &s->pairs[best]) >
		    ice_pair_far(s, k) || (ice_pair_far(s, &s->pairs[best]) ==
		    ice_pair_far(s, k) && k->prio > s->pairs[best].prio)))
			best = i;
	}
	if (best != -1 && take)
		s->pairs[best].state = ICE_P_WAITING;
	return best;
}

/* Pair priorities follow the role (RFC 8445 6.1.2.3). */
void
ice_sess_role(struct ice_sess *s, int controlling)
{
	struct ice_check	*k;
	uint32_t		 l, r;
	size_t			 i;

	s->controlling = controlling;
	for (i = 0; i < s->npairs; i++) {
		k = &s->pairs[i];
		l = s->local[k->local].priority;
		r = s->remote[k->remote].priority;
		k->prio = controlling ? ice_pair_priority(l, r) :
		    ice_pair_priority(r, l);
	}
}

/*
 * The pair of remote candidate r, made if missing (-1 if none fits):
 * from our hosts, or, if relayed, from our relayed candidate.
 */
ssize_t
ice_sess_pair(struct ice_sess *s, size_t r, int relayed)
{
	struct ice_check	*k;
	ssize_t			 best = -1;
	size_t			 i;

	for (i = 0; i < s->npairs; i++)
		if (s->pairs[i].remote == r && s->pairs[i].relayed == relayed)
			return i;
	/* A relay-only peer (netmap flag) gets pairs through a relay only. */
	if (!relayed && s->peer->relay_only &&
	    s->remote[r].type != CAND_RELAY)
		return -1;
	if (relayed) {
		for (i = 0; i < s->nlocal; i++)
			if (s->local[i].type == CAND_RELAY &&
			    ice_relayed_current(s->env, &s->local[i]) &&
			    ice_is_v4(&s->local[i].addr) ==
			    ice_is_v4(&s->remote[r].addr))
				best = i;
		if (best == -1)
			return -1;
		goto make;
	}
	/*
	 * One socket bound to the wildcard sends every check, and the
	 * kernel picks its source address: pairs of one remote candidate
	 * with several host candidates would be the same datagram.  So a
	 * remote candidate pairs with our best host candidate of its
	 * family, and the response's XOR-MAPPED-ADDRESS says which of our
	 * candidates the remote saw.
	 */
	for (i = 0; i < s->nhost; i++)
		if (ice_is_v4(&s->local[i].addr) ==
		    ice_is_v4(&s->remote[r].addr) &&
		    (best == -1 ||
		    s->local[i].priority > s->local[best].priority))
			best = i;
	if (best == -1)
		return -1;
 make:
	if (s->npairs == ICE_PAIRS_MAX) {
		ice_sess_capped(s, "pairs", ICE_PAIRS_MAX);
		return -1;
	}
	k = &s->pairs[s->npairs];
	memset(k, 0, sizeof(*k));
	k->sess = s;
	k->local = k->valid_local = best;
	k->remote = r;
	k->relayed = relayed;
	k->state = ICE_P_FROZEN;
	s->npairs++;
	ice_sess_role(s, s->controlling);
	return s->npairs - 1;
}

/* The triggered queue empties: no pair waits in it. */
void
ice_sess_unqueue(struct ice_sess *s)
{
	size_t	 i;

	for (i = 0; i < s->ntrig; i++)
		s->pairs[s->trig[i]].queued = 0;
	s->ntrig = 0;
}

static void
ice_sess_trigger(struct ice_sess *s, size_t i)
{
	struct ice_check	*k = &s->pairs[i];

	if (k->queued || k->state == ICE_P_INPROGRESS ||
	    k->state == ICE_P_SUCCEEDED)
		return;
	k->state = ICE_P_WAITING;
	k->queued = 1;
	s->trig[s->ntrig++] = i;
}

/*
 * The address the pair is sent from: the host candidate the remote saw,
 * or, behind a NAT, unknown (the kernel picks among our hosts).
 */
static void
ice_sess_base(struct ice_sess *s, const struct ice_check *k)
{
	s->sel_base_known = !k->relayed &&
	    s->local[k->valid_local].type == CAND_HOST;
	s->sel_base = s->local[s->sel_base_known ? k->valid_local :
	    k->local].addr;
}

/* RFC 1918, RFC 6598 shared space, RFC 4193 unique local. */
static int
ice_private(const struct in6_addr *a)
{
	const uint8_t	*b = a->s6_addr;

	if (IN6_IS_ADDR_V4MAPPED(a)) {
		b += ICE_V4_OFF;
		return b[0] == 10 || (b[0] == 172 && (b[1] & 0xf0) == 16) ||
		    (b[0] == 192 && b[1] == 168) ||
		    (b[0] == 100 && (b[1] & 0xc0) == 64);
	}
	return (b[0] & 0xfe) == 0xfc;
}

/*
 * A pair to a private host address of the remote with none of our host
 * addresses in its /24 (IPv4) or /64 (IPv6): likely behind its NAT.
 */
static int
ice_pair_far(const struct ice_sess *s, const struct ice_check *k)
{
	const struct in6_addr	*r = &s->remote[k->remote].addr.sin6_addr;
	size_t			 i, n;

	if (k->relayed || s->remote[k->remote].type != CAND_HOST ||
	    !ice_private(r))
		return 0;
	n = IN6_IS_ADDR_V4MAPPED(r) ? ICE_V4_OFF + ICE_V4_NET24 :
	    ICE_V6_NET64;
	for (i = 0; i < s->nhost; i++)
		if (memcmp(s->local[i].addr.sin6_addr.s6_addr, r->s6_addr,
		    n) == 0)
			return 0;
	return 1;
}

/* Is from one of the remote's relayed candidates? */
static int
ice_from_remote_relay(const struct ice_sess *s, const struct sockaddr_in6 *from)
{
	size_t	 i;

	for (i = 0; i < s->nremote; i++)
		if (s->remote[i].type == CAND_RELAY &&
		    ice_addr_eq(&s->remote[i].addr, from))
			return 1;
	return 0;
}

/* Does k's traffic pass a relay (ours, or the remote's)? */
int
ice_pair_via_relay(const struct ice_sess *s, const struct ice_check *k)
{
	return k->relayed || s->remote[k->remote].type == CAND_RELAY;
}

/* ICE_PATH_*: how k's datagrams go. */
static int
ice_pair_how(const struct ice_sess *s, const struct ice_check *k)
{
	if (k->relayed)
		return ICE_PATH_OUR_RELAY;
	if (s->remote[k->remote].type == CAND_RELAY)
		return ICE_PATH_THEIR_RELAY;
	return ICE_PATH_DIRECT;
}

/* Does the path in use pass a relay?  From the selection, not its pair. */
int
ice_sel_via_relay(const struct ice_sess *s)
{
	return s->has_sel && (s->sel_relayed ||
	    s->sel_remote.type == CAND_RELAY);
}

/* k, a relay path that succeeded, kept beside the direct path in use. */
static void
ice_sess_alt(struct ice_sess *s, struct ice_check *k, uint64_t now)
{
	if (s->has_alt && s->alt_pair == (size_t)(k - s->pairs))
		return;
	if (s->has_alt && k->prio <= s->alt_prio)
		return;
	s->has_alt = 1;
	s->alt_pair = k - s->pairs;
	s->alt_remote = s->remote[k->remote];
	s->alt_relayed = k->relayed;
	s->alt_prio = k->prio;
	s->alt_consent_at = now;
	s->alt_consent_next = now + ice_consent_delay();
	peer_path_alt(s->peer, &s->alt_remote.addr, ice_pair_how(s, k));
}

/* k carries traffic now: the first to succeed, or a nominated one. */
void
ice_sess_select(struct ice_sess *s, struct ice_check *k, uint64_t now)
{
	char	 buf[ADDR_STRLEN];
	size_t	 old = s->sel_pair;
	int	 had = s->has_sel;

	if (s->has_sel && s->sel_relayed == k->relayed &&
	    ice_addr_eq(&s->sel_remote.addr,
	    &s->remote[k->remote].addr) && ice_addr_eq(&s->sel_local.addr,
	    &s->local[k->valid_local].addr)) {
		s->sel_nominated |= k->nominated;
		s->sel_pair = k - s->pairs;
		ice_sess_base(s, k);
		s->state = ICE_CONNECTED;
		return;
	}
	/* Up from a relay to a direct path: the relay path stays beside. */
	if (ice_pair_via_relay(s, k))
		ice_sess_alt_drop(s);
	else if (had && old < s->npairs &&
	    ice_pair_via_relay(s, &s->pairs[old]) && s->pairs[old].valid &&
	    s->pairs[old].state != ICE_P_FAILED)
		ice_sess_alt(s, &s->pairs[old], now);
	s->has_sel = 1;
	s->sel_local = s->local[k->valid_local];
	ice_sess_base(s, k);
	s->sel_pair = k - s->pairs;
	s->consent_at = now;
	s->consent_next = now + ice_consent_delay();
	s->sel_remote = s->remote[k->remote];
	s->sel_prio = k->prio;
	s->sel_nominated = k->nominated;
	s->sel_relayed = k->relayed;
	s->state = ICE_CONNECTED;
	s->backoff = ICE_RETRY_MIN_MS;
	log_debug("ice %s: path to %s%s", s->peer->conf.name,
	    sockaddr_str((struct sockaddr *)&s->sel_remote.addr, buf,
	    sizeof(buf)), k->relayed ? " through our relay" : "");
	peer_path_up(s->peer, &s->sel_remote.addr, ice_pair_how(s, k));
}

/*
 * A Binding request of s from its candidate local as transaction tid,
 * nominating if we control and nominate says so: its length, or -1.
 */
ssize_t
ice_request_build(const struct ice_sess *s, size_t local, const uint8_t *tid,
    int nominate, uint8_t *buf, size_t len)
{
	struct stun_builder	 b;
	char			 user[ICE_USERNAME_MAX];
	uint32_t		 prflx;

	snprintf(user, sizeof(user), "%s:%s", s->rufrag, s->lufrag);
	/* RFC 8445 7.1.1: PRIORITY is what a peer-reflexive candidate gets. */
	prflx = ice_cand_priority(CAND_PRFLX,
	    (uint16_t)(s->local[local].priority >> ICE_LPREF_SHIFT));
	if (stun_build_init(&b, buf, len,
	    stun_type(STUN_BINDING, STUN_REQUEST), tid) == -1 ||
	    stun_add_bytes(&b, STUN_ATTR_USERNAME, user, strlen(user)) == -1 ||
	    stun_add_u32(&b, STUN_ATTR_PRIORITY, prflx) == -1 ||
	    stun_add_u64(&b, s->controlling ? STUN_ATTR_ICE_CONTROLLING :
	    STUN_ATTR_ICE_CONTROLLED, s->tie) == -1 ||
	    (nominate && s->controlling &&
	    stun_add_bytes(&b, STUN_ATTR_USE_CANDIDATE, NULL, 0) == -1) ||
	    stun_add_integrity(&b, (const uint8_t *)s->rpwd,
	    strlen(s->rpwd)) == -1 ||
	    stun_add_fingerprint(&b) == -1)
		return -1;
	return stun_build_len(&b);
}

/* A Binding request for k (again, with the same transaction, if ntx). */
int
ice_check_send(struct ice_check *k, uint64_t now)
{
	struct ice_sess		*s = k->sess;
	uint8_t			 buf[ICE_STUN_MAX];
	ssize_t			 len;

	if (k->ntx == 0) {
		ice_check_untrack(k);
		do
			randombytes_buf(k->tid, sizeof(k->tid));
		while (RB_INSERT(ice_tid_tree, &ice_tids, k) != NULL);
		k->in_tree = 1;
		k->rto = ICE_RTO_MS;
	}
	if ((len = ice_request_build(s, k->local, k->tid, 1, buf,
	    sizeof(buf))) == -1)
		return -1;
	if (s->controlling)
		k->nominated = 1;
	k->state = ICE_P_INPROGRESS;
	k->ntx++;
	k->next_tx = now + k->rto;
	k->sent_us = monotime_us();
	return ice_sess_send(s, k->relayed, buf, len,
	    &s->remote[k->remote].addr);
}

/* Sends from our socket, or through the relay from the relayed address. */
int
ice_sess_send(struct ice_sess *s, int relayed, const uint8_t *buf,
    size_t len, const struct sockaddr_in6 *to)
{
	if (!relayed)
		return s->env->send(buf, len, to, s->env->arg);
	if (s->env->send_relay == NULL)
		return -1;
	return s->env->send_relay(buf, len, to, s->env->arg);
}

int
ice_is_stun(const uint8_t *buf, size_t len)
{
	uint32_t	 cookie;

	if (len < STUN_HDR_LEN || (buf[0] & 0xc0) != 0)
		return 0;
	memcpy(&cookie, buf + 4, sizeof(cookie));
	return ntohl(cookie) == STUN_COOKIE &&
	    (size_t)(buf[2] << 8 | buf[3]) == len - STUN_HDR_LEN;
}

/* A success or 487 answer to m, from our credentials. */
static int
ice_respond(struct ice_sess *s, int relayed, const struct stun_msg *m,
    const struct sockaddr_in6 *from, uint16_t error)
{
	struct stun_builder	 b;
	struct sockaddr_storage	 ss;
	uint8_t			 buf[ICE_STUN_MAX];

	ice_to_sa(from, &ss);
	if (stun_build_init(&b, buf, sizeof(buf), stun_type(STUN_BINDING,
	    error ? STUN_ERROR : STUN_SUCCESS), m->tid) == -1 ||
	    (error && stun_add_error(&b, error, "Role Conflict") == -1) ||
	    (!error && stun_add_xor_addr(&b, STUN_ATTR_XOR_MAPPED_ADDRESS,
	    (struct sockaddr *)&ss) == -1) ||
	    stun_add_integrity(&b, (const uint8_t *)s->lpwd,
	    strlen(s->lpwd)) == -1 ||
	    stun_add_fingerprint(&b) == -1)
		return -1;
	return ice_sess_send(s, relayed, buf, stun_build_len(&b), from);
}

static void
ice_input_request(const struct stun_msg *m, int relayed,
    const struct sockaddr_in6 *from, uint64_t now)
{
	struct ice_sess		 key, *s;
	struct ice_check	*k;
	char			 user[STUN_USERNAME_MAX + 1], *colon;
	char			 f[ICEMSG_FOUNDATION_MAX];
	ssize_t			 r, i;
	int			 theirs_controlling;

	if ((m->has & STUN_HAS_USERNAME) == 0 ||
	    (m->has & STUN_HAS_PRIORITY) == 0 ||
	    !(m->has & STUN_HAS_ICE_CONTROLLING) ==
	    !(m->has & STUN_HAS_ICE_CONTROLLED))
		goto drop;
	memcpy(user, m->buf + m->username.off, m->username.len);
	user[m->username.len] = '\0';
	if ((colon = strchr(user, ':')) == NULL ||
	    (size_t)(colon - user) >= sizeof(key.lufrag))
		goto drop;
	*colon = '\0';
	strlcpy(key.lufrag, user, sizeof(key.lufrag));
	if ((s = RB_FIND(ice_ufrag_tree, &ice_ufrags, &key)) == NULL ||
	    stun_check_integrity(m, (const uint8_t *)s->lpwd,
	    strlen(s->lpwd)) != 0)
		goto drop;
	/* Authenticated, but from an older generation of the remote. */
	if (s->has_remote && strcmp(colon + 1, s->rufrag) != 0)
		goto drop;
	/* A relay-only peer is answered through a relay only. */
	if (!relayed && s->peer->relay_only && !ice_from_remote_relay(s, from))
		goto drop;

	/* RFC 8445 7.3.1.1: the larger tie-breaker keeps its role. */
	theirs_controlling = (m->has & STUN_HAS_ICE_CONTROLLING) != 0;
	if (s->controlling && theirs_controlling) {
		if (s->tie >= m->ice_controlling) {
			ice_respond(s, relayed, m, from, STUN_ERR_ROLE_CONFLICT);
			return;
		}
		ice_sess_role(s, 0);
	} else if (!s->controlling && !theirs_controlling) {
		if (s->tie >= m->ice_controlled)
			ice_sess_role(s, 1);
		else {
			ice_respond(s, relayed, m, from, STUN_ERR_ROLE_CONFLICT);
			return;
		}
	}
	if (ice_respond(s, relayed, m, from, 0) == -1)
		log_debug("ice %s: response not sent", s->peer->conf.name);
	/*
	 * The remote reached us with our credentials: its WireGuard
	 * datagrams from there are taken too.  Until a pair is selected
	 * it may send a handshake as soon as its own check succeeded,
	 * while ours back to it is still under way; and the pair it uses
	 * need not be ours (it sends to our relayed address, we to its).
	 */
	peer_path_learn(s->peer, from, relayed);

	/* RFC 8445 7.3.1.3 and 7.3.1.4: learn the source, check it back. */
	if (s->state == ICE_FAILED) {
		ice_sess_schedule(s);
		return;
	}
	snprintf(f, sizeof(f), "%c%zu", ICE_FOUNDATION_PRFLX,
	    ++s->nprflx_made);
	r = ice_sess_add_remote(s, from, CAND_PRFLX, m->priority, f);
	if (r == -1 || (i = ice_sess_pair(s, r, relayed)) == -1) {
		ice_sess_schedule(s);
		return;
	}
	k = &s->pairs[i];
	if (!s->controlling && (m->has & STUN_HAS_USE_CANDIDATE)) {
		k->nominated = 1;
		/* RFC 8445 7.3.1.5: a valid pair nominated is selected. */
		if (k->state == ICE_P_SUCCEEDED &&
		    (!s->sel_nominated || k->prio > s->sel_prio))
			ice_sess_select(s, k, now);
		/*
		 * Not valid yet: its check goes now, not behind the pacing,
		 * so that this side is connected one round trip after the
		 * controlling side, not a queue of checks later.  One in
		 * progress is replaced (RFC 8445 7.3.1.4): its datagram was
		 * likely dropped before the remote's NAT opened, and its
		 * retransmission may be 500 ms away.
		 */
		else if (k->state != ICE_P_SUCCEEDED && !s->has_sel) {
			ice_check_untrack(k);
			k->ntx = 0;
			if (ice_check_send(k, now) == -1) {
				ice_check_untrack(k);
				k->state = ICE_P_FAILED;
			}
			ice_sess_schedule(s);
			return;
		}
	}
	ice_sess_trigger(s, i);
	ice_sess_schedule(s);
	return;
 drop:
	ice_ndropped++;
}

static void
ice_input_response(const struct stun_msg *m, int relayed,
    const struct sockaddr_in6 *from, uint64_t now)
{
	struct ice_check	 key, *k;
	struct ice_sess		*s;
	struct ice_cand		*c;
	struct sockaddr_in6	 mapped;
	size_t			 i;

	memcpy(key.tid, m->tid, sizeof(key.tid));
	if ((k = RB_FIND(ice_tid_tree, &ice_tids, &key)) == NULL) {
		/* Not a check of ours: ternctl ping's, or a relay's to stunc. */
		if (ice_ping_input(m, relayed, from) ||
		    (!relayed && stunc_input(m, from)))
			return;
		goto drop;
	}
	s = k->sess;
	if (stun_check_integrity(m, (const uint8_t *)s->rpwd,
	    strlen(s->rpwd)) != 0)
		goto drop;
	ice_check_untrack(k);
	/* RFC 8445 7.2.5.2.1: an answer from elsewhere fails the pair. */
	if (!ice_addr_eq(from, &s->remote[k->remote].addr) ||
	    relayed != k->relayed) {
		k->state = ICE_P_FAILED;
		ice_sess_schedule(s);
		return;
	}
	if (stun_class(m->type) == STUN_ERROR) {
		/* RFC 8445 7.2.5.1: take the other role and check again. */
		if ((m->has & STUN_HAS_ERROR) &&
		    m->error_code == STUN_ERR_ROLE_CONFLICT) {
			ice_sess_role(s, !s->controlling);
			k->state = ICE_P_WAITING;
			k->ntx = 0;
			ice_sess_trigger(s, k - s->pairs);
		} else
			k->state = ICE_P_FAILED;
		ice_sess_schedule(s);
		return;
	}
	if ((m->has & STUN_HAS_XOR_MAPPED) == 0 ||
	    ice_from_sa(&m->xor_mapped, &mapped) == -1) {
		k->state = ICE_P_FAILED;
		ice_sess_schedule(s);
		return;
	}
	/* RFC 8445 7.2.5.3.1: which of our candidates the remote saw. */
	for (i = 0; i < s->nlocal; i++)
		if (ice_addr_eq(&s->local[i].addr, &mapped))
			break;
	if (i == s->nlocal && s->nlocal < ICE_LOCAL_MAX) {
		c = &s->local[s->nlocal++];
		memset(c, 0, sizeof(*c));
		c->addr = mapped;
		c->type = CAND_PRFLX;
		c->priority = ice_cand_priority(CAND_PRFLX,
		    (uint16_t)(s->local[k->local].priority >> ICE_LPREF_SHIFT));
		snprintf(c->foundation, sizeof(c->foundation), "%c%zu",
		    ICE_FOUNDATION_PRFLX, i);
	}
	k->valid_local = i < s->nlocal ? i : k->local;
	k->state = ICE_P_SUCCEEDED;
	k->valid = 1;
	/* RFC 7675: an answer on the pair in use renews consent. */
	if (s->has_alt && ice_addr_eq(from, &s->alt_remote.addr) &&
	    relayed == s->alt_relayed)
		s->alt_consent_at = now;
	if (s->has_sel && ice_addr_eq(from, &s->sel_remote.addr) &&
	    relayed == s->sel_relayed) {
		s->consent_at = now;
		if (!ice_sel_via_relay(s))
			peer_path_fresh(s->peer);
		/* Karn: a retransmitted check's answer times nothing. */
		if (k->ntx == 1)
			s->rtt_us = (uint32_t)(monotime_us() - k->sent_us) + 1;
	}
	/* RFC 8445 7.2.5.3.3: its foundation's Frozen pairs may go. */
	for (i = 0; i < s->npairs; i++)
		if (s->pairs[i].state == ICE_P_FROZEN &&
		    ice_same_foundation(s, &s->pairs[i], k))
			s->pairs[i].state = ICE_P_WAITING;
	/*
	 * RFC 5245 8.1.1.2 for aggressive nomination: both sides end on
	 * the best nominated valid pair, every check of ours nominating
	 * if we control.
	 */
	if (!s->has_sel || s->state != ICE_CONNECTED ||
	    (k->nominated && (!s->sel_nominated || k->prio > s->sel_prio)))
		ice_sess_select(s, k, now);
	else if (ice_pair_via_relay(s, k) && s->sel_pair != (size_t)(k -
	    s->pairs) && !ice_sel_via_relay(s))
		ice_sess_alt(s, k, now);
	ice_sess_schedule(s);
	return;
 drop:
	ice_ndropped++;
}

/* Malformed and unauthenticated datagrams are dropped and counted. */
static void
ice_sess_input_via(const uint8_t *buf, size_t len, int relayed,
    const struct sockaddr_in6 *from, uint64_t now)
{
	struct stun_msg	 m;

	if (stun_parse(buf, len, &m) == -1 ||
	    stun_method(m.type) != STUN_BINDING ||
	    stun_check_fingerprint(&m) == -1 || m.nunknown > 0) {
		ice_ndropped++;
		return;
	}
	switch (stun_class(m.type)) {
	case STUN_REQUEST:
		ice_input_request(&m, relayed, from, now);
		break;
	case STUN_SUCCESS:
	case STUN_ERROR:
		ice_input_response(&m, relayed, from, now);
		break;
	default:
		ice_ndropped++;
		break;
	}
}

void
ice_sess_input(const uint8_t *buf, size_t len,
    const struct sockaddr_in6 *from, uint64_t now)
{
	ice_sess_input_via(buf, len, 0, from, now);
}

void
ice_sess_input_relayed(const uint8_t *buf, size_t len,
    const struct sockaddr_in6 *from, uint64_t now)
{
	ice_sess_input_via(buf, len, 1, from, now);
}
