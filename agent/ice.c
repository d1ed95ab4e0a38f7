/* engine: ICE sessions with peers: host candidates, offer/answer, checks. */
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/tree.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "engine.h"
#include "ice.h"
#include "log.h"
#include "monotime.h"
#include "stun.h"
#include "stunc.h"

#define ICE_TA_MS		50	/* RFC 8445 14.2: pacing of new checks */
#define ICE_RTO_MS		500	/* RFC 8445 14.3: least RTO of a check */
#define ICE_TX_MAX		7	/* RFC 8489 6.2.1: Rc transmissions */
#define ICE_GIVEUP_MS		10000	/* no selected pair after this: fail */
#define ICE_CONSENT_MS		5000	/* RFC 7675 5.1: a check every 5 s */
#define ICE_CONSENT_JITTER	5	/* RFC 7675 5.1: +/- 20%, 1/5 */
#define ICE_CONSENT_LOST_MS	30000	/* RFC 7675 5.1: no answer this long */
#define ICE_RETRY_MIN_MS	1000	/* first wait before a new offer */
#define ICE_RETRY_MAX_MS	30000	/* the wait doubles up to this */
#define ICE_REMOTE_MAX		ICEMSG_CANDS_MAX  /* remote candidates */
#define ICE_PAIRS_MAX		40	/* pairs of one session */
#define ICE_PRFLX_MAX		4	/* our peer-reflexive candidates */
#define ICE_LOCAL_MAX		(TERN_LOCAL_ADDRS_MAX + ICE_SRFLX_MAX + ICE_PRFLX_MAX)
/* RFC 8445 5.3: at least 24 and 128 random bits; 6 bits per ice-char. */
#define ICE_UFRAG_LEN		8
#define ICE_PWD_LEN		24
#define ICE_CHARS_N		64	/* the ice-char alphabet */
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
#define ICE_LPREF_SHIFT		8	/* RFC 8445 5.1.2.1: 2^8 */
#define ICE_PAIR_SHIFT		32	/* RFC 8445 6.1.2.3: 2^32 */
/* RFC 8489 6.1: under the IPv4 reassembly minimum, no fragments. */
#define ICE_STUN_MAX		576
#define ICE_USERNAME_MAX	(2 * ICEMSG_UFRAG_MAX)	/* "a:b", with NUL */
#define ICE_MS_PER_S		1000
#define ICE_US_PER_MS		1000
#define ICE_FOUNDATION_HOST	'H'	/* then the index of the address */
#define ICE_FOUNDATION_PRFLX	'P'	/* then a counter */
#define ICE_FOUNDATION_SRFLX	'S'	/* then the family, 4 or 6 */
#define ICE_V4MAPPED_OFF	12	/* IPv4 bytes in a v4-mapped in6_addr */
#define ICE_V4_LOOPBACK_NET	127	/* RFC 1122 3.2.1.3: 127.0.0.0/8 */
#define ICE_V4_THIS_NET		0	/* RFC 1122 3.2.1.3: 0.0.0.0/8 */

enum ice_state {
	ICE_OFFERED = 1,	/* our offer sent, no remote credentials */
	ICE_CHECKING,		/* checks under way, no pair selected */
	ICE_CONNECTED,		/* a pair is selected */
	ICE_FAILED,		/* gave up; a new offer at s->deadline */
};

/* RFC 8445 6.1.2.6 states of a pair. */
enum ice_pstate {
	ICE_P_FROZEN = 0,
	ICE_P_WAITING,
	ICE_P_INPROGRESS,
	ICE_P_SUCCEEDED,
	ICE_P_FAILED,
};

struct ice_cand {
	struct sockaddr_in6	 addr;		/* v4 as v4-mapped */
	enum cand_type		 type;
	uint32_t		 priority;
	char			 foundation[ICEMSG_FOUNDATION_MAX];
};

struct ice_sess;

struct ice_check {
	RB_ENTRY(ice_check)	 tid_entry;	/* while a request is out */
	struct ice_sess		*sess;
	size_t			 local;		/* index of s->local */
	size_t			 remote;	/* index of s->remote */
	size_t			 valid_local;	/* what the remote saw */
	uint64_t		 prio;
	enum ice_pstate		 state;
	uint8_t			 tid[STUN_TID_LEN];
	int			 ntx;
	uint64_t		 rto;
	uint64_t		 next_tx;
	int			 in_tree;
	int			 queued;	/* in the triggered queue */
	int			 nominated;	/* by the controlling side */
	uint64_t		 sent_us;	/* its last transmission */
};
RB_HEAD(ice_tid_tree, ice_check);

struct ice_sess {
	RB_ENTRY(ice_sess)	 ufrag_entry;
	RB_ENTRY(ice_sess)	 due_entry;
	TAILQ_ENTRY(ice_sess)	 ready_entry;
	TAILQ_ENTRY(ice_sess)	 entry;		/* all sessions */
	struct peer		*peer;
	const struct ice_env	*env;
	enum ice_state		 state;
	int			 controlling;
	uint64_t		 tie;
	char			 lufrag[ICE_UFRAG_LEN + 1];
	char			 lpwd[ICE_PWD_LEN + 1];
	int			 has_remote;
	char			 rufrag[ICEMSG_UFRAG_MAX];
	char			 rpwd[ICEMSG_PWD_MAX];
	struct ice_cand		 local[ICE_LOCAL_MAX];
	size_t			 nlocal;
	size_t			 nhost;
	size_t			 nprflx_made;
	struct ice_cand		 remote[ICE_REMOTE_MAX];
	size_t			 nremote;
	struct ice_check	 pairs[ICE_PAIRS_MAX];
	size_t			 npairs;
	size_t			 trig[ICE_PAIRS_MAX];	/* FIFO of pairs */
	size_t			 ntrig;
	int			 has_sel;
	struct ice_cand		 sel_local;
	struct ice_cand		 sel_remote;
	uint64_t		 sel_prio;
	int			 sel_nominated;
	struct sockaddr_in6	 sel_base;	/* the host it is sent from */
	int			 sel_base_known; /* else any host of its family */
	size_t			 sel_pair;	/* its check, for consent */
	uint64_t		 consent_at;	/* its last answer */
	uint64_t		 consent_next;	/* the next consent check */
	uint32_t		 rtt_us;	/* its last round trip */
	int			 capped;	/* a cap was hit and logged */
	uint64_t		 deadline;	/* give up, or send a new offer */
	uint64_t		 backoff;
	uint64_t		 due;
	int			 in_due;
	int			 in_ready;
};
RB_HEAD(ice_ufrag_tree, ice_sess);
RB_HEAD(ice_due_tree, ice_sess);
TAILQ_HEAD(ice_ready_head, ice_sess);

static int	 ice_tid_cmp(struct ice_check *, struct ice_check *);
static int	 ice_ufrag_cmp(struct ice_sess *, struct ice_sess *);
static int	 ice_due_cmp(struct ice_sess *, struct ice_sess *);
static int	 ice_addr_eq(const struct sockaddr_in6 *,
		    const struct sockaddr_in6 *);
static int	 ice_is_v4(const struct sockaddr_in6 *);
static void	 ice_to_sa(const struct sockaddr_in6 *,
		    struct sockaddr_storage *);
static int	 ice_from_sa(const struct sockaddr_storage *,
		    struct sockaddr_in6 *);
static int	 ice_same_foundation(const struct ice_sess *,
		    const struct ice_check *, const struct ice_check *);
static void	 ice_random_chars(char *, size_t);
static void	 ice_sess_creds(struct ice_sess *);
static size_t	 ice_hosts(const struct ice_env *, struct ice_cand *);
static void	 ice_sess_hosts(struct ice_sess *);
static int	 ice_sess_srflx(struct ice_sess *);
static int	 ice_srflx_current(const struct ice_env *,
		    const struct ice_cand *);
static void	 ice_sess_reset_remote(struct ice_sess *);
static void	 ice_sess_free(struct ice_sess *);
static void	 ice_sess_schedule(struct ice_sess *);
static int	 ice_sess_pick(struct ice_sess *, int);
static int	 ice_sess_send_msg(struct ice_sess *, enum icemsg_type);
static struct ice_sess *ice_sess_new(struct peer *, const struct ice_env *);
static void	 ice_sess_restart(struct ice_sess *, uint64_t, int);
static void	 ice_sess_fail(struct ice_sess *, uint64_t);
static void	 ice_sess_timers(struct ice_sess *, uint64_t);
static void	 ice_sess_role(struct ice_sess *, int);
static int	 ice_sess_adopt(struct ice_sess *, const struct icemsg *);
static void	 ice_sess_unqueue(struct ice_sess *);
static int	 ice_sess_remote_ok(const struct ice_sess *,
		    const struct sockaddr_in6 *);
static ssize_t	 ice_sess_add_remote(struct ice_sess *,
		    const struct sockaddr_in6 *, enum cand_type, uint32_t,
		    const char *);
static ssize_t	 ice_sess_pair(struct ice_sess *, size_t);
static void	 ice_sess_trigger(struct ice_sess *, size_t);
static void	 ice_sess_select(struct ice_sess *, struct ice_check *,
		    uint64_t);
static uint64_t	 ice_consent_delay(void);
static void	 ice_sess_consent(struct ice_sess *, uint64_t);
static void	 ice_sess_capped(struct ice_sess *, const char *, int);
static void	 ice_sess_base(struct ice_sess *, const struct ice_check *);
static void	 ice_check_untrack(struct ice_check *);
static int	 ice_check_send(struct ice_check *, uint64_t);
static void	 ice_input_request(const struct stun_msg *,
		    const struct sockaddr_in6 *, uint64_t);
static void	 ice_input_response(const struct stun_msg *,
		    const struct sockaddr_in6 *, uint64_t);
static int	 ice_respond(struct ice_sess *, const struct stun_msg *,
		    const struct sockaddr_in6 *, uint16_t);
static int	 ice_engine_send(const uint8_t *, size_t,
		    const struct sockaddr_in6 *, void *);
static const struct ice_env *ice_engine_env(void);
static void	 ice_timer(int, short, void *);
static void	 ice_schedule(void);

RB_GENERATE_STATIC(ice_tid_tree, ice_check, tid_entry, ice_tid_cmp)
RB_GENERATE_STATIC(ice_ufrag_tree, ice_sess, ufrag_entry, ice_ufrag_cmp)
RB_GENERATE_STATIC(ice_due_tree, ice_sess, due_entry, ice_due_cmp)

_Static_assert((int)ICEMSG_HOST == (int)CAND_HOST &&
    (int)ICEMSG_SRFLX == (int)CAND_SRFLX &&
    (int)ICEMSG_PRFLX == (int)CAND_PRFLX &&
    (int)ICEMSG_RELAY == (int)CAND_RELAY, "candidate types agree");

static const char ice_chars[ICE_CHARS_N + 1] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static struct ice_tid_tree	 ice_tids = RB_INITIALIZER(&ice_tids);
static struct ice_ufrag_tree	 ice_ufrags = RB_INITIALIZER(&ice_ufrags);
static struct ice_due_tree	 ice_dues = RB_INITIALIZER(&ice_dues);
static struct ice_ready_head	 ice_ready = TAILQ_HEAD_INITIALIZER(ice_ready);
static struct ice_ready_head	 ice_all = TAILQ_HEAD_INITIALIZER(ice_all);
static uint64_t			 ice_next_check;	/* Ta pacing */
static uint64_t			 ice_ndropped;
static struct ice_env		 ice_env;		/* the engine's */
static struct event		 ice_ev;
static int			 ice_ev_set;

static int
ice_tid_cmp(struct ice_check *a, struct ice_check *b)
{
	return memcmp(a->tid, b->tid, STUN_TID_LEN);
}

static int
ice_ufrag_cmp(struct ice_sess *a, struct ice_sess *b)
{
	return strcmp(a->lufrag, b->lufrag);
}

static int
ice_due_cmp(struct ice_sess *a, struct ice_sess *b)
{
	if (a->due != b->due)
		return a->due < b->due ? -1 : 1;
	return a < b ? -1 : a > b;
}

static int
ice_addr_eq(const struct sockaddr_in6 *a, const struct sockaddr_in6 *b)
{
	return a->sin6_port == b->sin6_port &&
	    memcmp(&a->sin6_addr, &b->sin6_addr, sizeof(a->sin6_addr)) == 0;
}

static int
ice_is_v4(const struct sockaddr_in6 *a)
{
	return IN6_IS_ADDR_V4MAPPED(&a->sin6_addr);
}

/* STUN carries IPv4 as IPv4: unmap for XOR-MAPPED-ADDRESS. */
static void
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

static int
ice_from_sa(const struct sockaddr_storage *ss, struct sockaddr_in6 *a)
{
	if (ss->ss_family != AF_INET && ss->ss_family != AF_INET6)
		return -1;
	sockaddr_to_v6((const struct sockaddr *)ss, a);
	a->sin6_flowinfo = 0;
	a->sin6_scope_id = 0;
	return 0;
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

/* RFC 8445 6.1.2.6: a pair's foundation is its candidates' together. */
static int
ice_same_foundation(const struct ice_sess *s, const struct ice_check *a,
    const struct ice_check *b)
{
	return strcmp(s->local[a->local].foundation,
	    s->local[b->local].foundation) == 0 &&
	    strcmp(s->remote[a->remote].foundation,
	    s->remote[b->remote].foundation) == 0;
}

static void
ice_random_chars(char *buf, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		buf[i] = ice_chars[randombytes_uniform(ICE_CHARS_N)];
	buf[n] = '\0';
}

/* New local credentials, unique among our sessions for the ufrag lookup. */
static void
ice_sess_creds(struct ice_sess *s)
{
	if (s->lufrag[0] != '\0')
		RB_REMOVE(ice_ufrag_tree, &ice_ufrags, s);
	do
		ice_random_chars(s->lufrag, ICE_UFRAG_LEN);
	while (RB_INSERT(ice_ufrag_tree, &ice_ufrags, s) != NULL);
	ice_random_chars(s->lpwd, ICE_PWD_LEN);
	randombytes_buf(&s->tie, sizeof(s->tie));
}

/* Host candidates: the addresses we can send from, on the engine's port. */
static size_t
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

static void
ice_sess_hosts(struct ice_sess *s)
{
	s->nlocal = s->nhost = ice_hosts(s->env, s->local);
	(void)ice_sess_srflx(s);
}

/* Is c one of the server-reflexive addresses the relay reports now? */
static int
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
static int
ice_sess_srflx(struct ice_sess *s)
{
	const struct ice_env	*env = s->env;
	struct ice_cand		*c;
	size_t			 i, j;
	int			 v4, added = 0;

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
		c = &s->local[j];
		memset(c, 0, sizeof(*c));
		c->addr = env->srflx[i];
		c->type = CAND_SRFLX;
		v4 = ice_is_v4(&c->addr);
		c->priority = ice_cand_priority(CAND_SRFLX,
		    v4 ? ICE_LPREF_V4 : ICE_LPREF_V6);
		snprintf(c->foundation, sizeof(c->foundation), "%c%c",
		    ICE_FOUNDATION_SRFLX, v4 ? '4' : '6');
		added++;
	}
	return added;
}

static void
ice_check_untrack(struct ice_check *k)
{
	if (k->in_tree) {
		RB_REMOVE(ice_tid_tree, &ice_tids, k);
		k->in_tree = 0;
	}
}

/* ICE restart on the remote side: its candidates and our pairs go. */
static void
ice_sess_reset_remote(struct ice_sess *s)
{
	size_t	 i;

	for (i = 0; i < s->npairs; i++)
		ice_check_untrack(&s->pairs[i]);
	s->npairs = s->nremote = s->ntrig = 0;
	s->nlocal = s->nhost;
	(void)ice_sess_srflx(s);
	s->has_remote = 0;
	s->rufrag[0] = s->rpwd[0] = '\0';
	s->sel_nominated = 0;
	s->sel_prio = 0;
}

static void
ice_sess_free(struct ice_sess *s)
{
	ice_sess_reset_remote(s);
	if (s->lufrag[0] != '\0')
		RB_REMOVE(ice_ufrag_tree, &ice_ufrags, s);
	if (s->in_due)
		RB_REMOVE(ice_due_tree, &ice_dues, s);
	if (s->in_ready)
		TAILQ_REMOVE(&ice_ready, s, ready_entry);
	TAILQ_REMOVE(&ice_all, s, entry);
	s->peer->ice = NULL;
	sodium_memzero(s, sizeof(*s));
	free(s);
}

/*
 * The next pair to check: a triggered one, else the best Waiting one,
 * else the best Frozen one whose foundation is idle (RFC 8445 6.1.4.2).
 * take: dequeue it and make it Waiting; else only say whether there is.
 */
static int
ice_sess_pick(struct ice_sess *s, int take)
{
	struct ice_check	*k, *o;
	ssize_t			 best = -1, waiting;
	size_t			 i, j;
	int			 busy;

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
	if (s->state != ICE_CHECKING)
		return -1;
	for (i = 0; i < s->npairs; i++) {
		k = &s->pairs[i];
		if (k->state == ICE_P_WAITING &&
		    (best == -1 || k->prio > s->pairs[best].prio))
			best = i;
	}
	waiting = best;
	for (i = 0; i < s->npairs && waiting == -1; i++) {
		k = &s->pairs[i];
		if (k->state != ICE_P_FROZEN)
			continue;
		busy = 0;
		for (j = 0; j < s->npairs && !busy; j++) {
			o = &s->pairs[j];
			busy = (o->state == ICE_P_WAITING ||
			    o->state == ICE_P_INPROGRESS) &&
			    ice_same_foundation(s, o, k);
		}
		if (!busy && (best == -1 || k->prio > s->pairs[best].prio))
			best = i;
	}
	if (best != -1 && take)
		s->pairs[best].state = ICE_P_WAITING;
	return best;
}

/* Files s under its next deadline and in the Ta queue if it has checks. */
static void
ice_sess_schedule(struct ice_sess *s)
{
	struct ice_check	*k;
	uint64_t		 due = UINT64_MAX;
	size_t			 i;

	if (s->in_due) {
		RB_REMOVE(ice_due_tree, &ice_dues, s);
		s->in_due = 0;
	}
	if (s->state != ICE_CONNECTED)
		due = s->deadline;
	else if (s->has_sel)
		due = s->consent_next;
	if (s->has_sel && s->consent_at + ICE_CONSENT_LOST_MS < due)
		due = s->consent_at + ICE_CONSENT_LOST_MS;
	for (i = 0; i < s->npairs; i++) {
		k = &s->pairs[i];
		if (k->state == ICE_P_INPROGRESS && k->next_tx < due)
			due = k->next_tx;
	}
	if (due != UINT64_MAX) {
		s->due = due;
		RB_INSERT(ice_due_tree, &ice_dues, s);
		s->in_due = 1;
	}
	if (ice_sess_pick(s, 0) != -1) {
		if (!s->in_ready) {
			TAILQ_INSERT_TAIL(&ice_ready, s, ready_entry);
			s->in_ready = 1;
		}
	} else if (s->in_ready) {
		TAILQ_REMOVE(&ice_ready, s, ready_entry);
		s->in_ready = 0;
	}
}

/*
 * Our credentials with the host and current server-reflexive
 * candidates, to p through tern-signal; a candidate message (trickle)
 * carries the server-reflexive ones only.
 */
static int
ice_sess_send_msg(struct ice_sess *s, enum icemsg_type type)
{
	struct icemsg		 m;
	const struct ice_cand	*c;
	size_t			 i, n = 0;

	memset(&m, 0, sizeof(m));
	m.type = type;
	strlcpy(m.ufrag, s->lufrag, sizeof(m.ufrag));
	if (type != ICEMSG_CANDIDATE) {
		strlcpy(m.pwd, s->lpwd, sizeof(m.pwd));
		m.has_tie_breaker = 1;
		m.tie_breaker = s->tie;
	}
	for (i = 0; i < s->nlocal && n < ICEMSG_CANDS_MAX; i++) {
		c = &s->local[i];
		if (c->type == CAND_PRFLX ||
		    (c->type == CAND_HOST && type == ICEMSG_CANDIDATE) ||
		    (c->type == CAND_SRFLX && !ice_srflx_current(s->env, c)))
			continue;
		m.cands[n].type = (enum icemsg_cand_type)c->type;
		m.cands[n].priority = c->priority;
		m.cands[n].addr = c->addr;
		strlcpy(m.cands[n].foundation, c->foundation,
		    sizeof(m.cands[n].foundation));
		n++;
	}
	m.ncands = n;
	if (type == ICEMSG_CANDIDATE && n == 0)
		return 0;
	return peer_signal_send(s->peer, &m);
}

/* A new generation: new credentials, candidates, 10 s, and an offer. */
static void
ice_sess_restart(struct ice_sess *s, uint64_t now, int offer)
{
	ice_sess_reset_remote(s);
	ice_sess_creds(s);
	ice_sess_hosts(s);
	s->state = ICE_OFFERED;
	s->deadline = now + ICE_GIVEUP_MS;
	if (offer && ice_sess_send_msg(s, ICEMSG_OFFER) == -1)
		log_debug("ice %s: offer not sent", s->peer->conf.name);
}

static void
ice_sess_fail(struct ice_sess *s, uint64_t now)
{
	size_t	 i;

	log_debug("ice %s: no pair after %d s, retrying in %llu ms",
	    s->peer->conf.name, ICE_GIVEUP_MS / ICE_MS_PER_S,
	    (unsigned long long)s->backoff);
	for (i = 0; i < s->npairs; i++)
		ice_check_untrack(&s->pairs[i]);
	s->state = ICE_FAILED;
	s->deadline = now + s->backoff;
	s->backoff = s->backoff * 2 > ICE_RETRY_MAX_MS ? ICE_RETRY_MAX_MS :
	    s->backoff * 2;
	ice_sess_unqueue(s);
	s->has_sel = 0;
	ice_sess_schedule(s);
	peer_path_down(s->peer);
}

/* RFC 7675 5.1: a check on the pair in use, as a new transaction. */
static void
ice_sess_consent(struct ice_sess *s, uint64_t now)
{
	struct ice_check	*k;

	s->consent_next = now + ice_consent_delay();
	if (s->sel_pair >= s->npairs)
		return;
	k = &s->pairs[s->sel_pair];
	if (!ice_addr_eq(&s->remote[k->remote].addr, &s->sel_remote.addr))
		return;
	/* A fresh transaction each time: backoff must not outlast consent. */
	ice_check_untrack(k);
	k->ntx = 0;
	if (ice_check_send(k, now) == -1) {
		ice_check_untrack(k);
		k->state = ICE_P_FAILED;
	}
}

/* What is due at now: retransmits, giving up, a new offer. */
static void
ice_sess_timers(struct ice_sess *s, uint64_t now)
{
	struct ice_check	*k;
	size_t			 i;

	if (s->state != ICE_CONNECTED && s->deadline <= now) {
		if (s->state == ICE_FAILED) {
			ice_sess_restart(s, now, 1);
			ice_sess_schedule(s);
		} else
			ice_sess_fail(s, now);
		return;
	}
	/* Also while a restart looks for a new pair, the old one must live. */
	if (s->has_sel && now - s->consent_at >= ICE_CONSENT_LOST_MS) {
		log_info("peer %s: consent lost: no answer on the path "
		    "for %d s", s->peer->conf.name,
		    ICE_CONSENT_LOST_MS / ICE_MS_PER_S);
		if (s->state == ICE_CONNECTED) {
			ice_sess_fail(s, now);
			return;
		}
		s->has_sel = 0;
		peer_path_down(s->peer);
	}
	if (s->state == ICE_CONNECTED && s->has_sel && s->consent_next <= now)
		ice_sess_consent(s, now);
	for (i = 0; i < s->npairs; i++) {
		k = &s->pairs[i];
		if (k->state != ICE_P_INPROGRESS || k->next_tx > now)
			continue;
		if (k->ntx >= ICE_TX_MAX) {
			ice_check_untrack(k);
			k->state = ICE_P_FAILED;
			continue;
		}
		k->rto *= 2;
		if (ice_check_send(k, now) == -1) {
			ice_check_untrack(k);
			k->state = ICE_P_FAILED;
		}
	}
	ice_sess_schedule(s);
}

/* Pair priorities follow the role (RFC 8445 6.1.2.3). */
static void
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

/* The pair of remote candidate r, made if missing (-1 if none fits). */
static ssize_t
ice_sess_pair(struct ice_sess *s, size_t r)
{
	struct ice_check	*k;
	ssize_t			 best = -1;
	size_t			 i;

	for (i = 0; i < s->npairs; i++)
		if (s->pairs[i].remote == r)
			return i;
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
	if (s->npairs == ICE_PAIRS_MAX) {
		ice_sess_capped(s, "pairs", ICE_PAIRS_MAX);
		return -1;
	}
	k = &s->pairs[s->npairs];
	memset(k, 0, sizeof(*k));
	k->sess = s;
	k->local = k->valid_local = best;
	k->remote = r;
	k->state = ICE_P_FROZEN;
	s->npairs++;
	ice_sess_role(s, s->controlling);
	return s->npairs - 1;
}

/* Candidate flooding is logged once per session, not per datagram. */
static void
ice_sess_capped(struct ice_sess *s, const char *what, int max)
{
	if (s->capped)
		return;
	s->capped = 1;
	log_warnx("peer %s: more than %d %s, the rest dropped",
	    s->peer->conf.name, max, what);
}

/* Remote candidate a, added or updated (-1 if the cap is reached). */
static ssize_t
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
	ice_sess_pair(s, i);
	ice_sess_role(s, s->controlling);
	return i;
}

/*
 * Remote credentials and candidates of an offer, answer or candidate;
 * 1 if they are a new generation of the remote (ICE restart).  What
 * checks taught us before the first credentials stays.
 */
static int
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

/* The triggered queue empties: no pair waits in it. */
static void
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

/* RFC 7675 5.1: randomised so that sessions do not beat in step. */
static uint64_t
ice_consent_delay(void)
{
	uint32_t	 j = ICE_CONSENT_MS / ICE_CONSENT_JITTER;

	return ICE_CONSENT_MS - j + randombytes_uniform(2 * j + 1);
}

/*
 * The address the pair is sent from: the host candidate the remote saw,
 * or, behind a NAT, unknown (the kernel picks among our hosts).
 */
static void
ice_sess_base(struct ice_sess *s, const struct ice_check *k)
{
	s->sel_base_known = s->local[k->valid_local].type == CAND_HOST;
	s->sel_base = s->local[s->sel_base_known ? k->valid_local :
	    k->local].addr;
}

/* k carries traffic now: the first to succeed, or a nominated one. */
static void
ice_sess_select(struct ice_sess *s, struct ice_check *k, uint64_t now)
{
	char	 buf[ADDR_STRLEN];

	if (s->has_sel && ice_addr_eq(&s->sel_remote.addr,
	    &s->remote[k->remote].addr) && ice_addr_eq(&s->sel_local.addr,
	    &s->local[k->valid_local].addr)) {
		s->sel_nominated |= k->nominated;
		s->sel_pair = k - s->pairs;
		ice_sess_base(s, k);
		s->state = ICE_CONNECTED;
		return;
	}
	s->has_sel = 1;
	s->sel_local = s->local[k->valid_local];
	ice_sess_base(s, k);
	s->sel_pair = k - s->pairs;
	s->consent_at = now;
	s->consent_next = now + ice_consent_delay();
	s->sel_remote = s->remote[k->remote];
	s->sel_prio = k->prio;
	s->sel_nominated = k->nominated;
	s->state = ICE_CONNECTED;
	s->backoff = ICE_RETRY_MIN_MS;
	log_debug("ice %s: path to %s", s->peer->conf.name,
	    sockaddr_str((struct sockaddr *)&s->sel_remote.addr, buf,
	    sizeof(buf)));
	peer_path_up(s->peer, &s->sel_remote.addr);
}

/* A Binding request for k (again, with the same transaction, if ntx). */
static int
ice_check_send(struct ice_check *k, uint64_t now)
{
	struct ice_sess		*s = k->sess;
	struct stun_builder	 b;
	uint8_t			 buf[ICE_STUN_MAX];
	char			 user[ICE_USERNAME_MAX];
	uint32_t		 prflx;

	if (k->ntx == 0) {
		ice_check_untrack(k);
		do
			randombytes_buf(k->tid, sizeof(k->tid));
		while (RB_INSERT(ice_tid_tree, &ice_tids, k) != NULL);
		k->in_tree = 1;
		k->rto = ICE_RTO_MS;
	}
	snprintf(user, sizeof(user), "%s:%s", s->rufrag, s->lufrag);
	/* RFC 8445 7.1.1: PRIORITY is what a peer-reflexive candidate gets. */
	prflx = ice_cand_priority(CAND_PRFLX,
	    (uint16_t)(s->local[k->local].priority >> ICE_LPREF_SHIFT));
	if (stun_build_init(&b, buf, sizeof(buf),
	    stun_type(STUN_BINDING, STUN_REQUEST), k->tid) == -1 ||
	    stun_add_bytes(&b, STUN_ATTR_USERNAME, user, strlen(user)) == -1 ||
	    stun_add_u32(&b, STUN_ATTR_PRIORITY, prflx) == -1 ||
	    stun_add_u64(&b, s->controlling ? STUN_ATTR_ICE_CONTROLLING :
	    STUN_ATTR_ICE_CONTROLLED, s->tie) == -1 ||
	    (s->controlling &&
	    stun_add_bytes(&b, STUN_ATTR_USE_CANDIDATE, NULL, 0) == -1) ||
	    stun_add_integrity(&b, (const uint8_t *)s->rpwd,
	    strlen(s->rpwd)) == -1 ||
	    stun_add_fingerprint(&b) == -1)
		return -1;
	if (s->controlling)
		k->nominated = 1;
	k->state = ICE_P_INPROGRESS;
	k->ntx++;
	k->next_tx = now + k->rto;
	k->sent_us = monotime_us();
	return s->env->send(buf, stun_build_len(&b),
	    &s->remote[k->remote].addr, s->env->arg);
}

static struct ice_sess *
ice_sess_new(struct peer *p, const struct ice_env *env)
{
	struct ice_sess	*s;

	if (!p->has_node_key || (s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->peer = p;
	s->env = env;
	s->backoff = ICE_RETRY_MIN_MS;
	s->controlling = memcmp(env->nodepub, p->node_key, KEY_LEN) > 0;
	p->ice = s;
	TAILQ_INSERT_TAIL(&ice_all, s, entry);
	return s;
}

int
ice_sess_open(struct peer *p, const struct ice_env *env, uint64_t now)
{
	struct ice_sess	*s;

	if (p->ice != NULL)
		return 0;
	if ((s = ice_sess_new(p, env)) == NULL)
		return -1;
	ice_sess_restart(s, now, 1);
	ice_sess_schedule(s);
	return 0;
}

void
ice_stop(struct peer *p)
{
	struct ice_sess	*s;

	if ((s = p->ice) == NULL)
		return;
	if (s->has_sel)
		peer_path_down(p);
	ice_sess_free(s);
}

void
ice_sess_signal(struct peer *p, const struct ice_env *env,
    const struct icemsg *m, uint64_t now)
{
	struct ice_sess	*s;

	if (m->type == ICEMSG_GO_IDLE) {
		ice_stop(p);
		return;
	}
	/* An offer is answered; an answer to no session wants our offer. */
	if ((s = p->ice) == NULL) {
		if (m->type == ICEMSG_CANDIDATE ||
		    (s = ice_sess_new(p, env)) == NULL)
			return;
		ice_sess_restart(s, now, m->type == ICEMSG_ANSWER);
	}
	if (m->type == ICEMSG_CANDIDATE &&
	    (!s->has_remote || strcmp(m->ufrag, s->rufrag) != 0))
		return;
	if (ice_sess_adopt(s, m) || s->state == ICE_FAILED) {
		s->deadline = now + ICE_GIVEUP_MS;
		s->state = ICE_CHECKING;
	} else if (s->state == ICE_OFFERED)
		s->state = ICE_CHECKING;
	if (m->type == ICEMSG_OFFER &&
	    ice_sess_send_msg(s, ICEMSG_ANSWER) == -1)
		log_debug("ice %s: answer not sent", p->conf.name);
	ice_sess_schedule(s);
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
ice_respond(struct ice_sess *s, const struct stun_msg *m,
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
	return s->env->send(buf, stun_build_len(&b), from, s->env->arg);
}

static void
ice_input_request(const struct stun_msg *m, const struct sockaddr_in6 *from,
    uint64_t now)
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

	/* RFC 8445 7.3.1.1: the larger tie-breaker keeps its role. */
	theirs_controlling = (m->has & STUN_HAS_ICE_CONTROLLING) != 0;
	if (s->controlling && theirs_controlling) {
		if (s->tie >= m->ice_controlling) {
			ice_respond(s, m, from, STUN_ERR_ROLE_CONFLICT);
			return;
		}
		ice_sess_role(s, 0);
	} else if (!s->controlling && !theirs_controlling) {
		if (s->tie >= m->ice_controlled)
			ice_sess_role(s, 1);
		else {
			ice_respond(s, m, from, STUN_ERR_ROLE_CONFLICT);
			return;
		}
	}
	if (ice_respond(s, m, from, 0) == -1)
		log_debug("ice %s: response not sent", s->peer->conf.name);
	/*
	 * The remote reached us with our credentials.  Until a pair is
	 * selected its WireGuard datagrams from there are taken too: it
	 * may send a handshake as soon as its own check succeeded, while
	 * ours back to it is still under way.
	 */
	if (!s->has_sel)
		peer_path_learn(s->peer, from);

	/* RFC 8445 7.3.1.3 and 7.3.1.4: learn the source, check it back. */
	if (s->state == ICE_FAILED) {
		ice_sess_schedule(s);
		return;
	}
	snprintf(f, sizeof(f), "%c%zu", ICE_FOUNDATION_PRFLX,
	    ++s->nprflx_made);
	r = ice_sess_add_remote(s, from, CAND_PRFLX, m->priority, f);
	if (r == -1 || (i = ice_sess_pair(s, r)) == -1) {
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
	}
	ice_sess_trigger(s, i);
	ice_sess_schedule(s);
	return;
 drop:
	ice_ndropped++;
}

static void
ice_input_response(const struct stun_msg *m, const struct sockaddr_in6 *from,
    uint64_t now)
{
	struct ice_check	 key, *k;
	struct ice_sess		*s;
	struct ice_cand		*c;
	struct sockaddr_in6	 mapped;
	size_t			 i;

	memcpy(key.tid, m->tid, sizeof(key.tid));
	if ((k = RB_FIND(ice_tid_tree, &ice_tids, &key)) == NULL) {
		/* Not a check of ours: maybe a relay answering stunc. */
		if (stunc_input(m, from))
			return;
		goto drop;
	}
	s = k->sess;
	if (stun_check_integrity(m, (const uint8_t *)s->rpwd,
	    strlen(s->rpwd)) != 0)
		goto drop;
	ice_check_untrack(k);
	/* RFC 8445 7.2.5.2.1: an answer from elsewhere fails the pair. */
	if (!ice_addr_eq(from, &s->remote[k->remote].addr)) {
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
	/* RFC 7675: an answer on the pair in use renews consent. */
	if (s->has_sel && ice_addr_eq(from, &s->sel_remote.addr)) {
		s->consent_at = now;
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
	ice_sess_schedule(s);
	return;
 drop:
	ice_ndropped++;
}

/* Malformed and unauthenticated datagrams are dropped and counted. */
void
ice_sess_input(const uint8_t *buf, size_t len,
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
		ice_input_request(&m, from, now);
		break;
	case STUN_SUCCESS:
	case STUN_ERROR:
		ice_input_response(&m, from, now);
		break;
	default:
		ice_ndropped++;
		break;
	}
}

void
ice_run(uint64_t now)
{
	struct ice_sess	*s;
	struct ice_check *k;
	ssize_t		 i;

	while ((s = RB_MIN(ice_due_tree, &ice_dues)) != NULL && s->due <= now)
		ice_sess_timers(s, now);
	if (now < ice_next_check || (s = TAILQ_FIRST(&ice_ready)) == NULL)
		return;
	TAILQ_REMOVE(&ice_ready, s, ready_entry);
	s->in_ready = 0;
	if ((i = ice_sess_pick(s, 1)) != -1) {
		k = &s->pairs[i];
		k->ntx = 0;
		if (ice_check_send(k, now) == -1) {
			ice_check_untrack(k);
			k->state = ICE_P_FAILED;
		}
		ice_next_check = now + ICE_TA_MS;
	}
	ice_sess_schedule(s);
}

/*
 * The addresses of env changed: its sessions whose host candidates
 * differ start a new generation; a selected path stays until the new
 * one is chosen or the 10 s run out.
 */
void
ice_local_changed(const struct ice_env *env, uint64_t now)
{
	struct ice_cand	 hosts[TERN_LOCAL_ADDRS_MAX];
	struct ice_sess	*s;
	size_t		 n, i;

	n = ice_hosts(env, hosts);
	TAILQ_FOREACH(s, &ice_all, entry) {
		if (s->env != env)
			continue;
		for (i = 0; i < n && n == s->nhost; i++)
			if (!ice_addr_eq(&hosts[i].addr, &s->local[i].addr))
				break;
		if (n == s->nhost && i == n)
			continue;
		/* A path sent from an address we no longer have is dead. */
		for (i = 0; s->has_sel && i < n; i++)
			if (s->sel_base_known ?
			    ice_addr_eq(&hosts[i].addr, &s->sel_base) :
			    ice_is_v4(&hosts[i].addr) == ice_is_v4(&s->sel_base))
				break;
		if (s->has_sel && i == n) {
			s->has_sel = 0;
			peer_path_down(s->peer);
		}
		ice_sess_restart(s, now, 1);
		ice_sess_schedule(s);
	}
}

/* New server-reflexive addresses: trickled to every session under way. */
void
ice_srflx_changed(const struct ice_env *env)
{
	struct ice_sess	*s;

	TAILQ_FOREACH(s, &ice_all, entry) {
		if (s->env != env || ice_sess_srflx(s) == 0 ||
		    s->state == ICE_FAILED)
			continue;
		if (ice_sess_send_msg(s, ICEMSG_CANDIDATE) == -1)
			log_debug("ice %s: candidates not sent",
			    s->peer->conf.name);
	}
}

uint64_t
ice_next_wake(uint64_t now)
{
	struct ice_sess	*s;
	uint64_t	 next = UINT64_MAX;

	if ((s = RB_MIN(ice_due_tree, &ice_dues)) != NULL)
		next = s->due;
	if (!TAILQ_EMPTY(&ice_ready)) {
		if (ice_next_check < next)
			next = ice_next_check;
	}
	return next < now ? now : next;
}

uint32_t
ice_rtt(const struct peer *p)
{
	const struct ice_sess	*s = p->ice;

	return s != NULL && s->has_sel ? s->rtt_us : 0;
}

int
ice_pair(const struct peer *p, struct sockaddr_in6 *local,
    enum cand_type *ltype, struct sockaddr_in6 *remote,
    enum cand_type *rtype)
{
	const struct ice_sess	*s = p->ice;

	if (s == NULL || !s->has_sel)
		return -1;
	*local = s->sel_local.addr;
	*ltype = s->sel_local.type;
	*remote = s->sel_remote.addr;
	*rtype = s->sel_remote.type;
	return 0;
}

/* The engine's side of the core: its socket, key, port and timer. */
static int
ice_engine_send(const uint8_t *buf, size_t len,
    const struct sockaddr_in6 *to, void *arg)
{
	if (sendto(engine->netfd, buf, len, 0, (const struct sockaddr *)to,
	    sizeof(*to)) == -1) {
		log_debug("ice: sendto: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static const struct ice_env *
ice_engine_env(void)
{
	memcpy(ice_env.nodepub, engine->conf.nodepub, KEY_LEN);
	ice_env.port = engine->conf.port;
	ice_env.send = ice_engine_send;
	return &ice_env;
}

static void
ice_timer(int fd, short ev, void *arg)
{
	ice_run(monotime_ms());
	ice_schedule();
}

static void
ice_schedule(void)
{
	struct timeval	 tv;
	uint64_t	 now = monotime_ms(), next;

	if (!ice_ev_set)
		return;
	next = ice_next_wake(now);
	evtimer_del(&ice_ev);
	if (next == UINT64_MAX)
		return;
	tv.tv_sec = (next - now) / ICE_MS_PER_S;
	tv.tv_usec = (next - now) % ICE_MS_PER_S * ICE_US_PER_MS;
	evtimer_add(&ice_ev, &tv);
}

void
ice_init(void)
{
	if (!ice_ev_set) {
		evtimer_set(&ice_ev, ice_timer, NULL);
		ice_ev_set = 1;
	}
}

void
ice_set_local(const struct imsg_local_addrs *la)
{
	size_t	 n = la->n > TERN_LOCAL_ADDRS_MAX ? TERN_LOCAL_ADDRS_MAX :
	    la->n;

	memcpy(ice_env.addrs, la->addrs, n * sizeof(la->addrs[0]));
	ice_env.naddrs = n;
	if (engine != NULL && engine->have_conf) {
		ice_local_changed(ice_engine_env(), monotime_ms());
		ice_schedule();
	}
}

void
ice_set_srflx(const struct sockaddr_in6 *addrs, size_t n)
{
	size_t	 i;

	char	 buf[ADDR_STRLEN];

	for (i = 0; i < n && i < ICE_SRFLX_MAX; i++) {
		ice_env.srflx[i] = addrs[i];
		log_info("ice: public address %s (server-reflexive)",
		    sockaddr_str((const struct sockaddr *)&addrs[i], buf,
		    sizeof(buf)));
	}
	ice_env.nsrflx = i;
	ice_srflx_changed(&ice_env);
}

int
ice_start(struct peer *p)
{
	int	 rv;

	rv = ice_sess_open(p, ice_engine_env(), monotime_ms());
	ice_schedule();
	return rv;
}

void
ice_signal(struct peer *p, const struct icemsg *m)
{
	ice_sess_signal(p, ice_engine_env(), m, monotime_ms());
	ice_schedule();
}

void
ice_input(const uint8_t *buf, size_t len, const struct sockaddr_in6 *from)
{
	ice_sess_input(buf, len, from, monotime_ms());
	ice_schedule();
}
