/*
 * engine: ICE sessions with peers: credentials, offer/answer, timers
 * and giving up, local address changes, and the engine's glue.
 */
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/tree.h>
#include <netinet/in.h>
#include <errno.h>
#include <event.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "addr.h"
#include "engine.h"
#include "ice.h"
#include "ice_int.h"
#include "log.h"
#include "monotime.h"
#include "relaymgr.h"

#define ICE_TA_MS		50	/* RFC 8445 14.2: pacing of new checks */
#define ICE_TX_MAX		7	/* RFC 8489 6.2.1: Rc transmissions */
#define ICE_GIVEUP_MS		10000	/* no selected pair after this: fail */
#define ICE_CONSENT_LOST_MS	30000	/* RFC 7675 5.1: no answer this long */
#define ICE_UPGRADE_MS		15000	/* on a relay: retry direct pairs */
#define ICE_RETRY_MAX_MS	30000	/* the wait doubles up to this */
#define ICE_CHARS_N		64	/* the ice-char alphabet */
#define ICE_MS_PER_S		1000
#define ICE_US_PER_MS		1000

static int	 ice_ufrag_cmp(struct ice_sess *, struct ice_sess *);
static int	 ice_due_cmp(struct ice_sess *, struct ice_sess *);
static void	 ice_random_chars(char *, size_t);
static void	 ice_sess_creds(struct ice_sess *);
static void	 ice_sess_free(struct ice_sess *);
static int	 ice_sess_send_msg(struct ice_sess *, enum icemsg_type);
static void	 ice_sess_restart(struct ice_sess *, uint64_t, int);
static void	 ice_sess_fail(struct ice_sess *, uint64_t);
static void	 ice_sess_timers(struct ice_sess *, uint64_t);
static struct ice_sess *ice_sess_new(struct peer *, const struct ice_env *);
static int	 ice_engine_send(const uint8_t *, size_t,
		    const struct sockaddr_in6 *, void *);
static const struct ice_env *ice_engine_env(void);
static void	 ice_timer(int, short, void *);
static void	 ice_schedule(void);

RB_GENERATE(ice_ufrag_tree, ice_sess, ufrag_entry, ice_ufrag_cmp)
RB_GENERATE_STATIC(ice_due_tree, ice_sess, due_entry, ice_due_cmp)

static const char ice_chars[ICE_CHARS_N + 1] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

struct ice_ufrag_tree	 ice_ufrags = RB_INITIALIZER(&ice_ufrags);
static struct ice_due_tree	 ice_dues = RB_INITIALIZER(&ice_dues);
static struct ice_ready_head	 ice_ready = TAILQ_HEAD_INITIALIZER(ice_ready);
static struct ice_ready_head	 ice_all = TAILQ_HEAD_INITIALIZER(ice_all);
static uint64_t			 ice_next_check;	/* Ta pacing */
static struct ice_env		 ice_env;		/* the engine's */
static struct event		 ice_ev;
static int			 ice_ev_set;

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

/* ICE restart on the remote side: its candidates and our pairs go. */
void
ice_sess_reset_remote(struct ice_sess *s)
{
	size_t	 i;

	ice_sess_alt_drop(s);
	for (i = 0; i < s->npairs; i++)
		ice_check_untrack(&s->pairs[i]);
	s->npairs = s->nremote = s->ntrig = 0;
	s->relay_checked = 0;
	/* Its pair is gone; the selection stays until a new one. */
	s->sel_pair = ICE_PAIRS_MAX;
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

/* Files s under its next deadline and in the Ta queue if it has checks. */
void
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
	if (s->has_alt && s->alt_consent_next < due)
		due = s->alt_consent_next;
	if (s->upgrade_at != 0 && s->upgrade_at < due)
		due = s->upgrade_at;
	if (s->has_alt && s->alt_consent_at + ICE_CONSENT_LOST_MS < due)
		due = s->alt_consent_at + ICE_CONSENT_LOST_MS;
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
		    (c->type == CAND_SRFLX && !ice_srflx_current(s->env, c)) ||
		    (c->type == CAND_RELAY && !ice_relayed_current(s->env, c)))
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
	ice_sess_alt_drop(s);
	s->has_sel = 0;
	ice_sess_schedule(s);
	peer_path_down(s->peer);
}

/* What is due at now: retransmits, giving up, a new offer. */
static void
ice_sess_timers(struct ice_sess *s, uint64_t now)
{
	struct ice_check	*k;
	size_t			 i;
	int			 relay;

	if (s->state != ICE_CONNECTED && s->deadline <= now) {
		if (s->state == ICE_FAILED) {
			ice_sess_restart(s, now, 1);
			ice_sess_schedule(s);
		} else
			ice_sess_fail(s, now);
		return;
	}
	if (s->has_alt && now - s->alt_consent_at >= ICE_CONSENT_LOST_MS) {
		log_info("peer %s: consent lost on the relay path kept "
		    "beside", s->peer->conf.name);
		ice_sess_alt_drop(s);
	}
	/* Also while a restart looks for a new pair, the old one must live. */
	if (s->has_sel && now - s->consent_at >= ICE_CONSENT_LOST_MS) {
		log_info("peer %s: consent lost: no answer on the path "
		    "for %d s", s->peer->conf.name,
		    ICE_CONSENT_LOST_MS / ICE_MS_PER_S);
		/* The relay path beside it takes over. */
		if (s->state == ICE_CONNECTED && s->has_alt &&
		    s->alt_pair < s->npairs) {
			k = &s->pairs[s->alt_pair];
			ice_sess_alt_drop(s);
			ice_sess_select(s, k, now);
			s->consent_at = now;
			ice_sess_schedule(s);
			return;
		}
		if (s->state == ICE_CONNECTED) {
			ice_sess_fail(s, now);
			return;
		}
		s->has_sel = 0;
		peer_path_down(s->peer);
	}
	if (s->state == ICE_CONNECTED && s->has_sel && s->consent_next <= now)
		ice_sess_consent(s, now);
	if (s->state == ICE_CONNECTED && s->has_alt &&
	    s->alt_consent_next <= now)
		ice_sess_alt_consent(s, now);
	/*
	 * On a relay path, the direct pairs are checked again now and
	 * then; on a direct path without a relay path beside it, the
	 * relay pairs.
	 */
	if (s->state == ICE_CONNECTED && s->has_sel &&
	    (ice_sel_via_relay(s) || !s->has_alt)) {
		relay = !ice_sel_via_relay(s);
		if (s->upgrade_at == 0)
			s->upgrade_at = now + ICE_UPGRADE_MS;
		else if (s->upgrade_at <= now) {
			s->upgrade_at = now + ICE_UPGRADE_MS;
			for (i = 0; i < s->npairs; i++) {
				k = &s->pairs[i];
				if (k->state != ICE_P_FAILED ||
				    ice_pair_via_relay(s, k) != relay)
					continue;
				k->state = ICE_P_WAITING;
				k->ntx = 0;
			}
		}
	} else
		s->upgrade_at = 0;
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

/*
 * Our relayed address changed or went (the relay failed, restarted or
 * another was picked): a path through the old allocation is dead, so
 * its session starts again at once, and a relay path kept beside a
 * direct one is dropped; a new address is trickled as server-reflexive
 * ones are.
 */
void
ice_relayed_changed(const struct ice_env *env, uint64_t now)
{
	struct ice_sess	*s;

	TAILQ_FOREACH(s, &ice_all, entry) {
		if (s->env != env)
			continue;
		if (s->has_alt && s->alt_relayed &&
		    !ice_relayed_current(env, &s->local[
		    s->pairs[s->alt_pair].valid_local]))
			ice_sess_alt_drop(s);
		if (s->has_sel && s->sel_relayed &&
		    !ice_relayed_current(env, &s->sel_local)) {
			log_info("peer %s: relay allocation gone, "
			    "connecting again", s->peer->conf.name);
			s->has_sel = 0;
			peer_path_down(s->peer);
			ice_sess_restart(s, now, 1);
			ice_sess_schedule(s);
		}
	}
	if (env->has_relayed)
		ice_srflx_changed(env);
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
	/* Path selection moved the datagrams to the relay path beside. */
	if (p->on_alt && s->has_alt && s->alt_pair < s->npairs) {
		*local = s->local[s->pairs[s->alt_pair].valid_local].addr;
		*ltype = s->local[s->pairs[s->alt_pair].valid_local].type;
		*remote = s->alt_remote.addr;
		*rtype = s->alt_remote.type;
		return 0;
	}
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

static int
ice_engine_send_relay(const uint8_t *buf, size_t len,
    const struct sockaddr_in6 *to, void *arg)
{
	return relaymgr_turn_send(buf, len, to);
}

static void
ice_engine_permit(const struct sockaddr_in6 *to, void *arg)
{
	relaymgr_turn_permit(to);
}

static const struct ice_env *
ice_engine_env(void)
{
	memcpy(ice_env.nodepub, engine->conf.nodepub, KEY_LEN);
	ice_env.port = engine->conf.port;
	ice_env.send = ice_engine_send;
	ice_env.send_relay = ice_engine_send_relay;
	ice_env.permit = ice_engine_permit;
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

/* Our relayed address: sessions pair it and trickle it. */
void
ice_set_relayed(const struct sockaddr_in6 *sa)
{
	char	 buf[ADDR_STRLEN];

	if (sa == NULL) {
		ice_env.has_relayed = 0;
		memset(&ice_env.relayed, 0, sizeof(ice_env.relayed));
	} else {
		ice_env.relayed = *sa;
		ice_env.has_relayed = 1;
		log_info("ice: relayed address %s",
		    sockaddr_str((const struct sockaddr *)sa, buf, sizeof(buf)));
	}
	if (engine != NULL && engine->have_conf) {
		ice_relayed_changed(ice_engine_env(), monotime_ms());
		ice_schedule();
	}
}

int
ice_start(struct peer *p)
{
	int	 rv;

	/* Every session may need the relay: allocate if not yet done. */
	relaymgr_turn_want();
	rv = ice_sess_open(p, ice_engine_env(), monotime_ms());
	ice_schedule();
	return rv;
}

void
ice_signal(struct peer *p, const struct icemsg *m)
{
	relaymgr_turn_want();
	ice_sess_signal(p, ice_engine_env(), m, monotime_ms());
	ice_schedule();
}

void
ice_input(const uint8_t *buf, size_t len, const struct sockaddr_in6 *from)
{
	ice_sess_input(buf, len, from, monotime_ms());
	ice_schedule();
}

void
ice_input_relayed(const uint8_t *buf, size_t len,
    const struct sockaddr_in6 *from)
{
	ice_sess_input_relayed(buf, len, from, monotime_ms());
	ice_schedule();
}
