/*
 * engine: the relay list and the relay in use (DESIGN.md "Relay
 * selection").  Bootstrap entries from the parent, the discovered ones
 * from tern-signal (relays.json's until it answers), RTT probes from
 * the probe socket, the server-reflexive address from the picked relay
 * and ternctl netcheck.  Names are looked up by the parent.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <netdb.h>
#include <event.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "addr.h"
#include "engine.h"
#include "hostport.h"
#include "ice.h"
#include "log.h"
#include "relaymgr.h"
#include "relaysel.h"
#include "stunc.h"
#include "turn_cred.h"
#include "turnc.h"
#include "turnstream.h"
#include "monotime.h"

#define RELAYMGR_SRFLX_SEC	25	/* under the 30 s UDP timeout of many NATs */
#define RELAYMGR_RESOLVE_SEC	300	/* a common DNS TTL: look names up again */
#define RELAYMGR_RESOLVE_WAIT_MS 5000	/* a round waits this long for lookups */
/* ternctl netchecks at once: 2 queries per relay each, within STUNC_MAX. */
#define RELAYMGR_NETCHECK_MAX	1
#define RELAYMGR_US_PER_MS	1000	/* microseconds in a millisecond */
#define RELAYMGR_NFAMILIES	2	/* srflx queries: IPv4, then IPv6 */
#define RELAYMGR_REST_TTL	86400	/* REST credentials we make: a day */
#define RELAYMGR_REST_RENEW	3600	/* made again an hour before expiry */
#define RELAYMGR_FAILED_SEC	60	/* a failed relay is not picked again */
#define RELAYMGR_REST_NAME	"ternd"	/* the user part of REST names */

/*
 * How TURN reaches the relay in use: UDP first, then streams the parent
 * connects (issue 12), then another relay.
 */
enum relaymgr_transport {
	RM_UDP = 0,
	RM_TCP,			/* the listed port */
	RM_TLS,			/* port 443, let out where little else is */
	RM_TLS_RFC,		/* port 5349, tern-relay's default */
	RM_NTRANSPORTS,
};

/* TURN credentials of a list entry. */
struct relaymgr_cred {
	char			 addr[RELAYSEL_ADDR_MAX];
	char			 username[TERN_TURN_CRED_MAX];
	char			 password[TERN_TURN_CRED_MAX];
	char			 realm[TERN_TURN_CRED_MAX];
	char			 secret[TERN_TURN_SECRET_MAX];
	int64_t			 made_expiry;	/* of what we made from secret */
	uint64_t		 generation;
};

/* A list entry's addresses: its literal, or the parent's lookup. */
struct relaymgr_addr {
	char			 addr[TERN_HOST_MAX];
	struct sockaddr_in6	 sa[TERN_RELAY_RESOLVED_MAX];
	size_t			 n;
	int			 literal;
	int			 pending;	/* asked the parent */
	time_t			 at;		/* last answer */
	char			 error[CTL_MSG_MAX];
};

/* One probe of an RTT round; its address is stunc's callback arg. */
struct relaymgr_slot {
	int			 waiting;	/* for a lookup or an answer */
	int			 sent;
	struct relaysel_probe	 probe;
};

enum relaymgr_round {
	ROUND_NONE,
	ROUND_PICK,		/* choose again from the probes */
	ROUND_CHECK,		/* keep the pick unless it went silent */
};

struct relaymgr_srflx {
	int			 waiting;
	int			 answered;
	struct sockaddr_in6	 mapped;
};

struct relaymgr_nc_slot {
	struct relaymgr_netcheck *nc;
	int			 waiting;
};

struct relaymgr_netcheck {
	relaymgr_netcheck_cb	 cb;
	void			*arg;
	size_t			 n;
	size_t			 pending;
	int			 picked;	/* index when it started */
	struct ctl_netcheck_relay r[RELAYSEL_LIST_MAX];
	struct sockaddr_in6	 mapped[RELAYSEL_LIST_MAX];
	struct relaymgr_nc_slot	 main[RELAYSEL_LIST_MAX];
	struct relaymgr_nc_slot	 probe[RELAYSEL_LIST_MAX];
	struct event		 ev_done;
	int			 in_use;
};

static struct {
	char			 boot[RELAYSEL_BOOTSTRAP_MAX][RELAYSEL_ADDR_MAX];
	size_t			 nboot;
	char			 nboot_in[RELAYSEL_BOOTSTRAP_MAX][RELAYSEL_ADDR_MAX];
	size_t			 nnboot_in;
	char			 disc[RELAYSEL_DISCOVERED_MAX][RELAYSEL_ADDR_MAX];
	size_t			 ndisc;
	int			 disc_fresh;	/* a relays message since the tick */
	int			 have_signal;	/* tern-signal sent a list */
	char			 saved[RELAYSEL_DISCOVERED_MAX][RELAYSEL_ADDR_MAX];
	size_t			 nsaved;
	int			 have_boot;
	int			 have_cache;
	int			 ready;
	struct relaysel_list	 list;
	struct relaymgr_addr	 addrs[RELAYSEL_LIST_MAX];
	char			 current[RELAYSEL_ADDR_MAX];
	char			 hashpick[RELAYSEL_ADDR_MAX];
	int			 by_rtt;
	enum relaymgr_round	 round;
	struct relaymgr_slot	 slots[RELAYSEL_LIST_MAX];
	struct relaymgr_srflx	 srflx[RELAYMGR_NFAMILIES];
	int			 srflx_forget;	/* no answer: drop the old */
	struct sockaddr_in6	 srflx_last[RELAYMGR_NFAMILIES];
	size_t			 nsrflx_last;
	struct event		 ev_tick;
	struct event		 ev_round;
	struct event		 ev_srflx;
	struct relaymgr_netcheck nc[RELAYMGR_NETCHECK_MAX];
	struct relaymgr_cred	 boot_cred[RELAYSEL_BOOTSTRAP_MAX];
	struct relaymgr_cred	 boot_cred_in[RELAYSEL_BOOTSTRAP_MAX];
	struct relaymgr_cred	 disc_cred[RELAYSEL_DISCOVERED_MAX];
	size_t			 ndisc_cred;
	char			 failed[RELAYSEL_ADDR_MAX];
	time_t			 failed_at;
	struct event		 ev_turn;
	char			 tr_relay[RELAYSEL_ADDR_MAX]; /* tr's relay */
	enum relaymgr_transport	 tr;
	int			 tr_answered;	/* the relay answered over tr */
	struct event		 ev_tr;		/* to the next transport */
} rm;

static void	 relaymgr_turn_update(void);
static void	 relaymgr_turn_schedule(void);

static void	 relaymgr_reevaluate(int);
static void	 relaymgr_tick(int, short, void *);
static void	 relaymgr_round_start(enum relaymgr_round);
static void	 relaymgr_round_timeout(int, short, void *);
static void	 relaymgr_round_send(size_t);
static void	 relaymgr_round_check(void);
static void	 relaymgr_probe_cb(void *, int, const struct sockaddr_in6 *,
		    uint32_t);
static void	 relaymgr_srflx_start(int);
static void	 relaymgr_srflx_timer(int, short, void *);
static void	 relaymgr_srflx_cb(void *, int, const struct sockaddr_in6 *,
		    uint32_t);
static void	 relaymgr_set_current(int, int, const struct relaysel_probe *);
static void	 relaymgr_adopt(const struct relaysel_list *);
static void	 relaymgr_resolve(struct relaymgr_addr *);
static void	 relaymgr_nc_cb(void *, int, const struct sockaddr_in6 *,
		    uint32_t);
static void	 relaymgr_nc_done(int, short, void *);
static void	 relaymgr_nc_finish(struct relaymgr_netcheck *);
static void	 relaymgr_arm(struct event *, uint32_t);
static int	 relaymgr_first_answered(int, const struct relaysel_probe *, int);
static int	 relaymgr_is_boot(const char *);
static void	 relaymgr_turn_init(void);
static void	 relaymgr_transport_set(const char *, enum relaymgr_transport);
static void	 relaymgr_transport_failed(void);

void
relaymgr_init(void)
{
	memset(&rm, 0, sizeof(rm));
	evtimer_set(&rm.ev_tick, relaymgr_tick, NULL);
	evtimer_set(&rm.ev_round, relaymgr_round_timeout, NULL);
	evtimer_set(&rm.ev_srflx, relaymgr_srflx_timer, NULL);
	relaymgr_turn_init();
}

static void
relaymgr_arm(struct event *ev, uint32_t ms)
{
	struct timeval	 tv;

	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * RELAYMGR_US_PER_MS;
	evtimer_add(ev, &tv);
}

void
relaymgr_bootstrap_add(const struct imsg_relay_boot *rb)
{
	struct relaymgr_cred	*c;

	if (rm.nnboot_in >= RELAYSEL_BOOTSTRAP_MAX)
		fatalx("parent sent too many bootstrap relays");
	c = &rm.boot_cred_in[rm.nnboot_in];
	memset(c, 0, sizeof(*c));
	strlcpy(c->addr, rb->addr, sizeof(c->addr));
	strlcpy(c->username, rb->username, sizeof(c->username));
	strlcpy(c->password, rb->password, sizeof(c->password));
	strlcpy(c->realm, rb->realm, sizeof(c->realm));
	strlcpy(c->secret, rb->secret, sizeof(c->secret));
	strlcpy(rm.nboot_in[rm.nnboot_in++], rb->addr, RELAYSEL_ADDR_MAX);
}

/* At start and after each reload: the list may have changed. */
void
relaymgr_bootstrap_end(void)
{
	memcpy(rm.boot, rm.nboot_in, sizeof(rm.boot));
	memcpy(rm.boot_cred, rm.boot_cred_in, sizeof(rm.boot_cred));
	sodium_memzero(rm.boot_cred_in, sizeof(rm.boot_cred_in));
	rm.nboot = rm.nnboot_in;
	rm.nnboot_in = 0;
	memset(rm.nboot_in, 0, sizeof(rm.nboot_in));
	rm.have_boot = 1;
	relaymgr_reevaluate(1);
	/* Credentials of the relay in use may have changed on reload. */
	relaymgr_turn_update();
}

void
relaymgr_cached_add(const char *addr)
{
	if (rm.have_cache || rm.ndisc >= RELAYSEL_DISCOVERED_MAX)
		fatalx("parent sent too many cached relays");
	/* tern-signal's list, should it come first, wins. */
	if (rm.have_signal)
		return;
	strlcpy(rm.disc[rm.ndisc++], addr, RELAYSEL_ADDR_MAX);
}

void
relaymgr_cached_end(int64_t saved_at)
{
	if (rm.have_cache)
		fatalx("parent sent the relay cache twice");
	rm.have_cache = 1;
	if (!rm.have_signal) {
		memcpy(rm.saved, rm.disc, sizeof(rm.saved));
		rm.nsaved = rm.ndisc;
	}
	if (saved_at != 0)
		log_info("relay: %zu relays from the cache of %lld", rm.ndisc,
		    (long long)saved_at);
	relaymgr_reevaluate(1);
}

void
relaymgr_discovered(const struct sigmsg_relays *r)
{
	struct relaysel_list	 filtered;
	char			 in[RELAYSEL_DISCOVERED_MAX][RELAYSEL_ADDR_MAX];
	size_t			 i, n, dropped;

	n = r->nrelays < RELAYSEL_DISCOVERED_MAX ? r->nrelays :
	    RELAYSEL_DISCOVERED_MAX;
	memset(in, 0, sizeof(in));
	sodium_memzero(rm.disc_cred, sizeof(rm.disc_cred));
	for (i = 0; i < n; i++) {
		struct relaymgr_cred	*c = &rm.disc_cred[i];

		strlcpy(in[i], r->relays[i].address, RELAYSEL_ADDR_MAX);
		strlcpy(c->addr, r->relays[i].address, sizeof(c->addr));
		strlcpy(c->username, r->relays[i].username,
		    sizeof(c->username));
		strlcpy(c->password, r->relays[i].password,
		    sizeof(c->password));
		strlcpy(c->realm, r->relays[i].realm, sizeof(c->realm));
		c->generation = r->relays[i].generation;
	}
	rm.ndisc_cred = n;
	if ((dropped = relaysel_merge(NULL, 0, (const char (*)[
	    RELAYSEL_ADDR_MAX])in, n, &filtered)) > 0)
		log_warnx("relay: dropped %zu of tern-signal's relays: local "
		    "or invalid addresses", dropped);
	memset(rm.disc, 0, sizeof(rm.disc));
	for (i = 0; i < filtered.n; i++)
		strlcpy(rm.disc[i], filtered.addrs[i], RELAYSEL_ADDR_MAX);
	rm.ndisc = filtered.n;
	rm.have_signal = 1;
	rm.disc_fresh = 1;
	/*
	 * No relay yet (a start with no bootstrap relay): take the first
	 * list at once.  The relay in use went away: pick again now.
	 * Otherwise the list is taken at the next tick.
	 */
	if (rm.ready && rm.current[0] == '\0' && filtered.n > 0)
		relaymgr_reevaluate(0);
	else if (rm.ready && rm.current[0] != '\0' &&
	    relaysel_find(&rm.list, rm.current) != RELAYSEL_NONE &&
	    relaysel_find(&filtered, rm.current) == RELAYSEL_NONE &&
	    !relaymgr_is_boot(rm.current)) {
		log_info("relay: %s left tern-signal's list", rm.current);
		relaymgr_reevaluate(0);
	} else
		relaymgr_turn_update();

	/* relays.json is written only when the list changed. */
	if (rm.nsaved == rm.ndisc &&
	    memcmp(rm.saved, rm.disc, sizeof(rm.saved)) == 0)
		return;
	memcpy(rm.saved, rm.disc, sizeof(rm.saved));
	rm.nsaved = rm.ndisc;
	for (i = 0; i < rm.ndisc; i++) {
		struct imsg_relay_addr	 ra;

		memset(&ra, 0, sizeof(ra));
		strlcpy(ra.addr, rm.disc[i], sizeof(ra.addr));
		engine_to_parent(IMSG_RELAY_SAVE, 0, &ra, sizeof(ra));
	}
	engine_to_parent(IMSG_RELAY_SAVE_END, 0, NULL, 0);
}

/*
 * The list may have changed: local says a bootstrap or cache change
 * (always taken), else only a fresh list from tern-signal is.
 */
static void
relaymgr_reevaluate(int local)
{
	struct relaysel_list	 nl;
	enum relaysel_refresh	 d;
	int			 first = 0;

	if (!rm.have_boot || !rm.have_cache)
		return;
	if (!rm.ready) {
		rm.ready = first = 1;
		relaymgr_arm(&rm.ev_tick,
		    relaysel_first_delay_ms(randombytes_random()));
	}
	relaysel_merge((const char (*)[RELAYSEL_ADDR_MAX])rm.boot, rm.nboot,
	    (const char (*)[RELAYSEL_ADDR_MAX])rm.disc, rm.ndisc, &nl);
	d = relaysel_refresh_decision(local || rm.disc_fresh, &nl, rm.current,
	    rm.hashpick, engine->conf.nodepub, KEY_LEN);
	rm.disc_fresh = 0;
	if (d != RELAYSEL_KEEP_LIST)
		relaymgr_adopt(&nl);
	if (first)
		log_info("relay: %zu relays in the list", rm.list.n);
	relaymgr_round_start(d == RELAYSEL_SWAP || rm.current[0] == '\0' ?
	    ROUND_PICK : ROUND_CHECK);
}

static void
relaymgr_tick(int fd, short ev, void *arg)
{
	relaymgr_arm(&rm.ev_tick, RELAYSEL_REFRESH_SEC * 1000);
	relaymgr_reevaluate(0);
}

/* The new list; addresses already known are kept. */
static void
relaymgr_adopt(const struct relaysel_list *nl)
{
	static struct relaymgr_addr	 na[RELAYSEL_LIST_MAX];
	struct tern_prefix		 pfx;
	char				 host[HOSTPORT_HOST_MAX];
	const char			*errstr;
	uint16_t			 port;
	size_t				 i, j;

	memset(na, 0, sizeof(na));
	for (i = 0; i < nl->n; i++) {
		for (j = 0; j < rm.list.n; j++)
			if (strcmp(rm.addrs[j].addr, nl->addrs[i]) == 0)
				break;
		if (j < rm.list.n) {
			na[i] = rm.addrs[j];
			continue;
		}
		strlcpy(na[i].addr, nl->addrs[i], sizeof(na[i].addr));
		if (hostport_parse(nl->addrs[i], host, &port, &errstr) == -1) {
			strlcpy(na[i].error, errstr, sizeof(na[i].error));
			continue;
		}
		/* Literals need no lookup: the sandbox has no resolver. */
		if (prefix_parse(host, &pfx, &errstr) == 0 &&
		    strchr(host, '/') == NULL) {
			struct sockaddr_storage	 ss;

			memset(&ss, 0, sizeof(ss));
			if (pfx.af == AF_INET) {
				struct sockaddr_in *sin = (void *)&ss;

				sin->sin_family = AF_INET;
				sin->sin_addr = pfx.a.v4;
				sin->sin_port = htons(port);
			} else {
				struct sockaddr_in6 *sin6 = (void *)&ss;

				sin6->sin6_family = AF_INET6;
				sin6->sin6_addr = pfx.a.v6;
				sin6->sin6_port = htons(port);
			}
			sockaddr_to_v6((struct sockaddr *)&ss, &na[i].sa[0]);
			na[i].n = 1;
			na[i].literal = 1;
		}
	}
	memcpy(rm.addrs, na, sizeof(rm.addrs));
	rm.list = *nl;
}

/* Asks the parent for a name's addresses, unless asked or fresh. */
static void
relaymgr_resolve(struct relaymgr_addr *a)
{
	struct imsg_relay_addr	 ra;
	time_t			 now = time(NULL);

	if (a->literal || a->pending || a->addr[0] == '\0')
		return;
	if (a->at != 0 && now - a->at < (a->n > 0 ? RELAYMGR_RESOLVE_SEC :
	    RELAYSEL_REFRESH_SEC))
		return;
	memset(&ra, 0, sizeof(ra));
	strlcpy(ra.addr, a->addr, sizeof(ra.addr));
	if (engine_to_parent(IMSG_RELAY_RESOLVE, 0, &ra, sizeof(ra)) == 0)
		a->pending = 1;
}

/*
 * A discovered name is held to the rule of discovered literals, so
 * tern-signal cannot send agents to their own host or LAN through DNS;
 * bootstrap names, like bootstrap literals, are taken as configured.
 */
static void
relaymgr_resolved_addrs(struct relaymgr_addr *a,
    const struct imsg_relay_resolved *rr, int bootstrap)
{
	size_t	 i;

	a->error[0] = '\0';
	a->n = 0;
	for (i = 0; i < rr->n; i++) {
		if (!bootstrap && relaysel_local_sa(&rr->sa[i]))
			continue;
		a->sa[a->n++] = rr->sa[i];
	}
	if (a->n == 0 && rr->n > 0) {
		strlcpy(a->error, "resolves only to private, loopback, "
		    "link-local or unspecified addresses", sizeof(a->error));
		log_warnx("relay: %s: %s", a->addr, a->error);
	}
}

void
relaymgr_resolved(const struct imsg_relay_resolved *rr)
{
	struct relaymgr_addr	*a = NULL;
	struct sockaddr_in6	 old[TERN_RELAY_RESOLVED_MAX];
	size_t			 i, nold;
	int			 changed = 0;

	for (i = 0; i < rm.list.n; i++)
		if (strcmp(rm.addrs[i].addr, rr->addr) == 0) {
			a = &rm.addrs[i];
			break;
		}
	if (a == NULL)
		return;
	a->pending = 0;
	a->at = time(NULL);
	nold = a->n;
	memcpy(old, a->sa, sizeof(old));
	if (rr->error != 0) {
		strlcpy(a->error, rr->msg, sizeof(a->error));
		log_warnx("relay: %s: %s", a->addr, a->error);
		/* Only a name that is gone loses its addresses, not a hiccup. */
		if (rr->error == EAI_NONAME)
			a->n = 0;
	} else {
		relaymgr_resolved_addrs(a, rr, i < rm.nboot);
		changed = a->n != nold ||
		    memcmp(a->sa, old, a->n * sizeof(old[0])) != 0;
	}
	/* The relay in use moved: ask its new address for our mapping. */
	if (changed && strcmp(a->addr, rm.current) == 0) {
		relaymgr_srflx_start(1);
		relaymgr_turn_update();
	}
	if (rm.round != ROUND_NONE && rm.slots[i].waiting && !rm.slots[i].sent) {
		if (a->n > 0)
			relaymgr_round_send(i);
		else
			rm.slots[i].waiting = 0;
		relaymgr_round_check();
	}
}

/* An RTT probe of every entry; relaymgr_round_check decides. */
static void
relaymgr_round_start(enum relaymgr_round kind)
{
	size_t	 i;

	for (i = 0; i < RELAYSEL_LIST_MAX; i++)
		stunc_cancel(&rm.slots[i]);
	memset(rm.slots, 0, sizeof(rm.slots));
	rm.round = kind;
	for (i = 0; i < rm.list.n; i++) {
		rm.slots[i].waiting = 1;
		relaymgr_resolve(&rm.addrs[i]);
		if (rm.addrs[i].pending)
			continue;
		if (rm.addrs[i].n > 0)
			relaymgr_round_send(i);
		else
			rm.slots[i].waiting = 0;
	}
	relaymgr_arm(&rm.ev_round, RELAYMGR_RESOLVE_WAIT_MS);
	relaymgr_round_check();
}

static void
relaymgr_round_send(size_t i)
{
	rm.slots[i].sent = 1;
	if (stunc_query(STUNC_PROBE, &rm.addrs[i].sa[0], relaymgr_probe_cb,
	    &rm.slots[i]) == -1)
		rm.slots[i].waiting = 0;
}

/* Lookups still out count as silent relays. */
static void
relaymgr_round_timeout(int fd, short ev, void *arg)
{
	size_t	 i;

	for (i = 0; i < rm.list.n; i++)
		if (rm.slots[i].waiting && !rm.slots[i].sent)
			rm.slots[i].waiting = 0;
	relaymgr_round_check();
}

static void
relaymgr_probe_cb(void *arg, int ok, const struct sockaddr_in6 *mapped,
    uint32_t rtt_us)
{
	struct relaymgr_slot	*s = arg;

	s->waiting = 0;
	s->probe.answered = ok;
	s->probe.rtt_us = ok ? rtt_us : 0;
	relaymgr_round_check();
}

static void
relaymgr_round_check(void)
{
	struct relaysel_probe	 probes[RELAYSEL_LIST_MAX];
	enum relaymgr_round	 kind = rm.round;
	size_t			 i;
	int			 hash, want, cur;

	if (kind == ROUND_NONE)
		return;
	for (i = 0; i < rm.list.n; i++) {
		if (rm.slots[i].waiting)
			return;
		probes[i] = rm.slots[i].probe;
	}
	evtimer_del(&rm.ev_round);
	rm.round = ROUND_NONE;
	hash = relaysel_pick(rm.list.n, engine->conf.nodepub, KEY_LEN);
	/* A relay that just failed us counts as silent for a while. */
	if (rm.failed[0] != '\0' && time(NULL) - rm.failed_at <
	    RELAYMGR_FAILED_SEC) {
		if ((cur = relaysel_find(&rm.list, rm.failed)) !=
		    RELAYSEL_NONE)
			probes[cur].answered = 0;
	}
	want = relaysel_rtt_override(hash, probes, rm.list.n);
	if (want != RELAYSEL_NONE && !probes[want].answered)
		want = relaymgr_first_answered(hash, probes, want);
	if (kind == ROUND_PICK) {
		strlcpy(rm.hashpick, hash == RELAYSEL_NONE ? "" :
		    rm.list.addrs[hash], sizeof(rm.hashpick));
		relaymgr_set_current(want, want != hash, probes);
		return;
	}
	/* Keep the relay in use, and its allocations, unless it went silent. */
	cur = relaysel_find(&rm.list, rm.current);
	if (cur == RELAYSEL_NONE || (!probes[cur].answered && want != cur &&
	    probes[want].answered))
		relaymgr_set_current(want, want != hash, probes);
}

static void
relaymgr_set_current(int idx, int by_rtt, const struct relaysel_probe *probes)
{
	if (idx == RELAYSEL_NONE) {
		if (rm.current[0] != '\0')
			log_info("relay: none");
		rm.current[0] = '\0';
		rm.by_rtt = 0;
		evtimer_del(&rm.ev_srflx);
		relaymgr_srflx_start(1);
		relaymgr_turn_update();
		return;
	}
	if (strcmp(rm.current, rm.list.addrs[idx]) == 0) {
		rm.by_rtt = by_rtt;
		return;
	}
	strlcpy(rm.current, rm.list.addrs[idx], sizeof(rm.current));
	rm.by_rtt = by_rtt;
	if (probes[idx].answered)
		log_info("relay: using %s (%s, RTT %u.%03u ms)", rm.current,
		    by_rtt ? "fastest" : "hash",
		    probes[idx].rtt_us / RELAYMGR_US_PER_MS,
		    probes[idx].rtt_us % RELAYMGR_US_PER_MS);
	else
		log_info("relay: using %s (%s, no answer)", rm.current,
		    by_rtt ? "fastest" : "hash");
	relaymgr_srflx_start(1);
	relaymgr_turn_update();
}

const char *
relaymgr_current(int *by_rtt)
{
	if (by_rtt != NULL)
		*by_rtt = rm.by_rtt;
	return rm.current;
}

void
relaymgr_local_changed(void)
{
	relaymgr_srflx_start(1);
}

static void
relaymgr_srflx_timer(int fd, short ev, void *arg)
{
	relaymgr_srflx_start(0);
}

/*
 * Our mapping as the picked relay sees the engine's socket, one query
 * per family; forget drops the old mapping if nothing answers.
 */
static void
relaymgr_srflx_start(int forget)
{
	struct relaymgr_addr	*a = NULL;
	size_t			 i, f;
	int			 cur;

	for (f = 0; f < RELAYMGR_NFAMILIES; f++)
		stunc_cancel(&rm.srflx[f]);
	memset(rm.srflx, 0, sizeof(rm.srflx));
	rm.srflx_forget = forget;
	if ((cur = relaysel_find(&rm.list, rm.current)) == RELAYSEL_NONE) {
		if (forget && rm.nsrflx_last > 0) {
			rm.nsrflx_last = 0;
			ice_set_srflx(NULL, 0);
		}
		return;
	}
	relaymgr_arm(&rm.ev_srflx, RELAYMGR_SRFLX_SEC * 1000);
	a = &rm.addrs[cur];
	relaymgr_resolve(a);
	for (f = 0; f < RELAYMGR_NFAMILIES; f++)
		for (i = 0; i < a->n; i++) {
			if ((IN6_IS_ADDR_V4MAPPED(&a->sa[i].sin6_addr) ? 0 : 1)
			    != f)
				continue;
			rm.srflx[f].waiting = 1;
			if (stunc_query(STUNC_MAIN, &a->sa[i],
			    relaymgr_srflx_cb, &rm.srflx[f]) == -1)
				rm.srflx[f].waiting = 0;
			break;
		}
}

static void
relaymgr_srflx_cb(void *arg, int ok, const struct sockaddr_in6 *mapped,
    uint32_t rtt_us)
{
	struct relaymgr_srflx	*s = arg;
	struct sockaddr_in6	 out[RELAYMGR_NFAMILIES];
	size_t			 f, n = 0;

	s->waiting = 0;
	s->answered = ok;
	if (ok)
		s->mapped = *mapped;
	for (f = 0; f < RELAYMGR_NFAMILIES; f++) {
		if (rm.srflx[f].waiting)
			return;
		if (rm.srflx[f].answered)
			out[n++] = rm.srflx[f].mapped;
	}
	if (n == 0 && !rm.srflx_forget)
		return;
	if (n == rm.nsrflx_last &&
	    memcmp(out, rm.srflx_last, n * sizeof(out[0])) == 0)
		return;
	memcpy(rm.srflx_last, out, n * sizeof(out[0]));
	rm.nsrflx_last = n;
	ice_set_srflx(n > 0 ? out : NULL, n);
}

/* A v4-mapped address as AF_INET, for ternctl to print. */
static void
relaymgr_storage(const struct sockaddr_in6 *sin6, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	sockaddr_from_v6(sin6, ss);
}

int
relaymgr_netcheck(relaymgr_netcheck_cb cb, void *arg)
{
	struct relaymgr_netcheck	*nc = NULL;
	struct relaymgr_addr		*a;
	size_t				 i;

	for (i = 0; i < RELAYMGR_NETCHECK_MAX; i++)
		if (!rm.nc[i].in_use) {
			nc = &rm.nc[i];
			break;
		}
	if (nc == NULL)
		return -1;
	memset(nc, 0, sizeof(*nc));
	nc->in_use = 1;
	nc->cb = cb;
	nc->arg = arg;
	nc->n = rm.list.n;
	nc->picked = rm.current[0] == '\0' ? -1 :
	    relaysel_find(&rm.list, rm.current);
	evtimer_set(&nc->ev_done, relaymgr_nc_done, nc);
	for (i = 0; i < nc->n; i++) {
		a = &rm.addrs[i];
		strlcpy(nc->r[i].addr, rm.list.addrs[i], sizeof(nc->r[i].addr));
		/* ternd.conf refuses duplicates: bootstrap entries lead. */
		nc->r[i].bootstrap = i < rm.nboot;
		nc->main[i].nc = nc->probe[i].nc = nc;
		if (a->n == 0) {
			relaymgr_resolve(a);
			strlcpy(nc->r[i].error, a->error[0] != '\0' ? a->error :
			    "not resolved yet", sizeof(nc->r[i].error));
			continue;
		}
		relaymgr_storage(&a->sa[0], &nc->r[i].server);
		if (stunc_query(STUNC_MAIN, &a->sa[0], relaymgr_nc_cb,
		    &nc->main[i]) == 0) {
			nc->main[i].waiting = 1;
			nc->pending++;
		}
		if (stunc_query(STUNC_PROBE, &a->sa[0], relaymgr_nc_cb,
		    &nc->probe[i]) == 0) {
			nc->probe[i].waiting = 1;
			nc->pending++;
		}
		if (!nc->main[i].waiting)
			strlcpy(nc->r[i].error, "too many STUN queries out",
			    sizeof(nc->r[i].error));
	}
	/* Never from inside this function: a zero timer reports. */
	if (nc->pending == 0)
		relaymgr_arm(&nc->ev_done, 0);
	return 0;
}

static void
relaymgr_nc_cb(void *arg, int ok, const struct sockaddr_in6 *mapped,
    uint32_t rtt_us)
{
	struct relaymgr_nc_slot		*s = arg;
	struct relaymgr_netcheck	*nc = s->nc;
	size_t				 i;

	s->waiting = 0;
	if (s >= nc->main && s < nc->main + RELAYSEL_LIST_MAX) {
		i = s - nc->main;
		if (ok) {
			nc->r[i].answered = 1;
			nc->mapped[i] = *mapped;
			relaymgr_storage(mapped, &nc->r[i].mapped);
		}
	} else {
		i = s - nc->probe;
		if (ok)
			nc->r[i].rtt_us = rtt_us > 0 ? rtt_us : 1;
	}
	if (!nc->main[i].waiting && !nc->probe[i].waiting &&
	    !nc->r[i].answered && nc->r[i].error[0] == '\0')
		strlcpy(nc->r[i].error, nc->r[i].rtt_us != 0 ?
		    "no answer to the engine's socket" : "no answer",
		    sizeof(nc->r[i].error));
	if (--nc->pending == 0)
		relaymgr_nc_finish(nc);
}

static void
relaymgr_nc_done(int fd, short ev, void *arg)
{
	relaymgr_nc_finish(arg);
}

/*
 * Symmetric NAT: two relays of one family saw different mappings of
 * the engine's socket.
 */
static int
relaymgr_symmetric(const struct relaymgr_netcheck *nc, int v4)
{
	const struct sockaddr_in6	*first = NULL;
	size_t				 i, answered = 0;
	struct sockaddr_in6		 srv;

	for (i = 0; i < nc->n; i++) {
		if (!nc->r[i].answered)
			continue;
		sockaddr_to_v6((const struct sockaddr *)&nc->r[i].server,
		    &srv);
		if ((IN6_IS_ADDR_V4MAPPED(&srv.sin6_addr) != 0) != v4)
			continue;
		answered++;
		if (first == NULL)
			first = &nc->mapped[i];
		else if (memcmp(&first->sin6_addr, &nc->mapped[i].sin6_addr,
		    sizeof(first->sin6_addr)) != 0 ||
		    first->sin6_port != nc->mapped[i].sin6_port)
			return 1;
	}
	return answered >= 2 ? 0 : -1;
}

static void
relaymgr_nc_finish(struct relaymgr_netcheck *nc)
{
	struct ctl_netcheck_hdr	 h;

	memset(&h, 0, sizeof(h));
	h.nrelays = nc->n;
	h.picked = nc->picked;
	h.symmetric_v4 = relaymgr_symmetric(nc, 1);
	h.symmetric_v6 = relaymgr_symmetric(nc, 0);
	nc->in_use = 0;
	nc->cb(nc->arg, &h, nc->r, nc->n);
}

void
relaymgr_netcheck_cancel(void *arg)
{
	size_t	 i, j;

	for (i = 0; i < RELAYMGR_NETCHECK_MAX; i++) {
		if (!rm.nc[i].in_use || rm.nc[i].arg != arg)
			continue;
		for (j = 0; j < rm.nc[i].n; j++) {
			stunc_cancel(&rm.nc[i].main[j]);
			stunc_cancel(&rm.nc[i].probe[j]);
		}
		evtimer_del(&rm.nc[i].ev_done);
		rm.nc[i].in_use = 0;
	}
}

/* From start, the first entry that answered (in list order, wrapping). */
static int
relaymgr_first_answered(int start, const struct relaysel_probe *probes,
    int dflt)
{
	size_t	 i, j;

	if (start < 0 || rm.list.n == 0)
		return dflt;
	for (i = 0; i < rm.list.n; i++) {
		j = ((size_t)start + i) % rm.list.n;
		if (probes[j].answered)
			return (int)j;
	}
	return dflt;
}

static int
relaymgr_is_boot(const char *addr)
{
	size_t	 i;

	for (i = 0; i < rm.nboot; i++)
		if (strcmp(rm.boot[i], addr) == 0)
			return 1;
	return 0;
}

/* The credentials of a list entry: ternd.conf's first, then tern-signal's. */
static struct relaymgr_cred *
relaymgr_cred_for(const char *addr)
{
	size_t	 i;

	for (i = 0; i < rm.nboot; i++)
		if (strcmp(rm.boot_cred[i].addr, addr) == 0)
			return &rm.boot_cred[i];
	for (i = 0; i < rm.ndisc_cred; i++)
		if (relaysel_same(rm.disc_cred[i].addr, addr))
			return &rm.disc_cred[i];
	return NULL;
}

/*
 * The TURN server of the relay in use, if it has an address and
 * credentials; a shared secret from ternd.conf makes REST credentials
 * that last a day and are made again an hour before they expire.
 */
static int
relaymgr_turn_server(struct turnc_server *srv)
{
	struct relaymgr_cred	*c;
	char			 user[TURN_CRED_USER_MAX];
	char			 pass[TURN_CRED_PASS_MAX];
	time_t			 now = time(NULL);
	int			 cur;

	memset(srv, 0, sizeof(*srv));
	if ((cur = relaysel_find(&rm.list, rm.current)) == RELAYSEL_NONE ||
	    rm.addrs[cur].n == 0 || (c = relaymgr_cred_for(rm.current)) ==
	    NULL)
		return -1;
	if (c->secret[0] != '\0') {
		if (c->made_expiry - now < RELAYMGR_REST_RENEW) {
			c->made_expiry = now + RELAYMGR_REST_TTL;
			if (turn_cred_make((const uint8_t *)c->secret,
			    strlen(c->secret), c->made_expiry,
			    RELAYMGR_REST_NAME, user, pass) == -1)
				return -1;
			strlcpy(c->username, user, sizeof(c->username));
			strlcpy(c->password, pass, sizeof(c->password));
			sodium_memzero(pass, sizeof(pass));
		}
	}
	if (c->username[0] == '\0')
		return -1;
	strlcpy(srv->name, rm.current, sizeof(srv->name));
	srv->sa = rm.addrs[cur].sa[0];
	strlcpy(srv->username, c->username, sizeof(srv->username));
	strlcpy(srv->password, c->password, sizeof(srv->password));
	strlcpy(srv->realm, c->realm, sizeof(srv->realm));
	srv->generation = c->generation;
	return 0;
}

/*
 * The relay in use, its address or its credentials may have changed.
 * Another relay starts on UDP; over a stream, the TURN client has the
 * server once the stream is up.
 */
static void
relaymgr_turn_update(void)
{
	struct turnc_server	 srv;
	int			 have;

	have = relaymgr_turn_server(&srv) == 0;
	if (!have || strcmp(rm.tr_relay, srv.name) != 0)
		relaymgr_transport_set(have ? srv.name : "", RM_UDP);
	if (have && (rm.tr == RM_UDP || turnstream_up()))
		turnc_set_server(&srv, monotime_ms());
	else
		turnc_set_server(NULL, monotime_ms());
	sodium_memzero(&srv, sizeof(srv));
	relaymgr_turn_schedule();
}

static const char *
relaymgr_transport_name(enum relaymgr_transport t)
{
	switch (t) {
	case RM_UDP:
		return "udp";
	case RM_TCP:
		return "tcp";
	case RM_TLS:
	case RM_TLS_RFC:
		return "tls";
	case RM_NTRANSPORTS:
		break;
	}
	return "none";
}

/* Whose transport this is, and which; a stream of another is closed. */
static void
relaymgr_transport_set(const char *relay, enum relaymgr_transport t)
{
	evtimer_del(&rm.ev_tr);
	if (rm.tr != RM_UDP || t != RM_UDP)
		turnstream_close();
	strlcpy(rm.tr_relay, relay, sizeof(rm.tr_relay));
	rm.tr = t;
	rm.tr_answered = 0;
}

/*
 * The relay in use failed us: pick another that answers.  Should it
 * be picked again, its transports are tried from UDP.
 */
static void
relaymgr_relay_failed(void)
{
	strlcpy(rm.failed, rm.current, sizeof(rm.failed));
	rm.failed_at = time(NULL);
	relaymgr_transport_set(rm.current, RM_UDP);
	if (rm.ready && rm.round == ROUND_NONE)
		relaymgr_round_start(ROUND_PICK);
	/* A stream's end left the TURN client without the server. */
	relaymgr_turn_update();
}

/*
 * TURN got nowhere over the transport in use: a relay that never
 * answered over it gets the next transport (from a timer: the TURN
 * client may be calling), one that did, or that has none left, fails.
 */
static void
relaymgr_transport_failed(void)
{
	if (!rm.tr_answered && rm.tr + 1 < RM_NTRANSPORTS &&
	    rm.current[0] != '\0' && strcmp(rm.tr_relay, rm.current) == 0) {
		relaymgr_arm(&rm.ev_tr, 0);
		return;
	}
	relaymgr_relay_failed();
}

/* The next transport to the relay in use: a stream from the parent. */
static void
relaymgr_transport_next(int fd, short ev, void *arg)
{
	struct sockaddr_in6	 sa;
	char			 host[HOSTPORT_HOST_MAX];
	const char		*errstr;
	uint16_t		 port;
	int			 cur;

	turnc_set_server(NULL, monotime_ms());
	relaymgr_turn_schedule();
	relaymgr_transport_set(rm.current, rm.tr + 1);
	if ((cur = relaysel_find(&rm.list, rm.current)) == RELAYSEL_NONE ||
	    rm.addrs[cur].n == 0 ||
	    hostport_parse(rm.current, host, &port, &errstr) == -1) {
		relaymgr_relay_failed();
		return;
	}
	sa = rm.addrs[cur].sa[0];
	if (rm.tr == RM_TLS)
		sa.sin6_port = htons(TERN_TURN_TLS_PORT);
	else if (rm.tr == RM_TLS_RFC)
		sa.sin6_port = htons(TERN_TURN_TLS_PORT_RFC);
	log_info("relay %s: trying TURN over %s to port %u", rm.current,
	    relaymgr_transport_name(rm.tr), ntohs(sa.sin6_port));
	/* TLS verifies the name as listed: a literal, its address. */
	if (turnstream_open(rm.current, &sa, rm.tr == RM_TCP ? NULL :
	    host) == -1)
		relaymgr_transport_failed();
}

static void
relaymgr_stream_up(void)
{
	relaymgr_turn_update();
}

static void
relaymgr_stream_down(const char *why)
{
	log_warnx("relay %s: TURN over %s: %s", rm.tr_relay,
	    relaymgr_transport_name(rm.tr), why);
	turnc_set_server(NULL, monotime_ms());
	relaymgr_transport_failed();
	relaymgr_turn_schedule();
}

/* A message from the relay over the stream. */
static void
relaymgr_stream_input(uint8_t *buf, size_t len)
{
	struct sockaddr_in6	 peer;
	uint8_t			*data;
	size_t			 dlen;

	rm.tr_answered = 1;
	switch (turnc_input(buf, len, turnc_server_sa(), monotime_ms(), &peer,
	    &data, &dlen)) {
	case TURNC_DATA:
		fwd_relayed_input(data, dlen, &peer);
		break;
	case TURNC_NOT_OURS:
		engine->dropped++;
		break;
	case TURNC_TAKEN:
		break;
	}
	relaymgr_turn_schedule();
}

int
relaymgr_turn_stream(void)
{
	return rm.tr != RM_UDP;
}

uint32_t
relaymgr_turn_transport(void)
{
	switch (rm.tr) {
	case RM_TCP:
		return CTL_TURN_TCP;
	case RM_TLS:
	case RM_TLS_RFC:
		return CTL_TURN_TLS;
	default:
		return CTL_TURN_UDP;
	}
}

/* STUN as is; on a stream, ChannelData padded (turnstream_send). */
static int
relaymgr_turn_net_send(const uint8_t *buf, size_t len,
    const struct sockaddr_in6 *to, void *arg)
{
	if (rm.tr != RM_UDP)
		return turnstream_send(buf, len);
	if (engine == NULL || sendto(engine->netfd, buf, len, 0,
	    (const struct sockaddr *)to, sizeof(*to)) == -1)
		return -1;
	return 0;
}

static void
relaymgr_turn_relayed(const struct sockaddr_in6 *sa, void *arg)
{
	if (sa != NULL)
		log_info("relay %s: TURN over %s", rm.tr_relay,
		    relaymgr_transport_name(rm.tr));
	ice_set_relayed(sa);
}

static void
relaymgr_turn_failed(const char *why, void *arg)
{
	ice_set_relayed(NULL);
	relaymgr_transport_failed();
}

static void
relaymgr_turn_timer(int fd, short ev, void *arg)
{
	turnc_run(monotime_ms());
	relaymgr_turn_schedule();
}

static void
relaymgr_turn_schedule(void)
{
	uint64_t	 now = monotime_ms(), next;

	evtimer_del(&rm.ev_turn);
	if ((next = turnc_next_wake(now)) == UINT64_MAX)
		return;
	relaymgr_arm(&rm.ev_turn, next > now ? (uint32_t)(next - now) : 0);
}

static void
relaymgr_turn_init(void)
{
	struct turnc_env	 env;
	struct turnstream_env	 senv;

	memset(&env, 0, sizeof(env));
	env.send = relaymgr_turn_net_send;
	env.relayed = relaymgr_turn_relayed;
	env.failed = relaymgr_turn_failed;
	turnc_init(&env);
	evtimer_set(&rm.ev_turn, relaymgr_turn_timer, NULL);
	memset(&senv, 0, sizeof(senv));
	senv.up = relaymgr_stream_up;
	senv.down = relaymgr_stream_down;
	senv.input = relaymgr_stream_input;
	turnstream_init(&senv);
	evtimer_set(&rm.ev_tr, relaymgr_transport_next, NULL);
}

void
relaymgr_turn_want(void)
{
	turnc_want(monotime_ms());
	relaymgr_turn_schedule();
}

int
relaymgr_turn_send(const uint8_t *buf, size_t len,
    const struct sockaddr_in6 *to)
{
	int	 rv;

	/* Private and loopback addresses are not reached through a relay. */
	if (relaysel_local_sa(to))
		return -1;
	rv = turnc_send(buf, len, to, monotime_ms());
	relaymgr_turn_schedule();
	return rv;
}

void
relaymgr_turn_permit(const struct sockaddr_in6 *to)
{
	/* Private and loopback addresses are not reached through a relay. */
	if (relaysel_local_sa(to))
		return;
	turnc_permit(to, monotime_ms());
	relaymgr_turn_schedule();
}

enum turnc_input
relaymgr_turn_input(uint8_t *buf, size_t len, const struct sockaddr_in6 *from,
    struct sockaddr_in6 *peer, uint8_t **data, size_t *dlen)
{
	enum turnc_input	 r;

	/* Over a stream, what comes over UDP is not the TURN client's. */
	if (rm.tr != RM_UDP || !turnc_is_server(from))
		return TURNC_NOT_OURS;
	r = turnc_input(buf, len, from, monotime_ms(), peer, data, dlen);
	if (r != TURNC_NOT_OURS)
		rm.tr_answered = 1;
	if (r == TURNC_TAKEN)
		relaymgr_turn_schedule();
	return r;
}

/*
 * Without this a restarted ternd finds its old allocation on the relay
 * for its lifetime: an Allocate from the same address and port is
 * refused, and each restart takes one of the user's allocations.
 */
void
relaymgr_shutdown(void)
{
	turnc_shutdown(monotime_ms());
}
