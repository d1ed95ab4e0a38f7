/*
 * parent: the relays for the engine, which has neither a resolver nor a
 * file system: the bootstrap list of ternd.conf, relays.json read and
 * saved, and relay names looked up by the resolver.
 */
#include <sys/socket.h>
#include <errno.h>
#include <event.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hostport.h"
#include "log.h"
#include "monotime.h"
#include "parent.h"
#include "parent_relaycache.h"
#include "resolver.h"
#include "super.h"

/* The engine asks after each change; the disk sees one write a minute. */
#define RELAY_SAVE_MIN_SEC	60
/* Name lookups for the engine: one per list entry per refresh (60 s). */
#define RELAY_RESOLVE_BUDGET	RELAYSEL_LIST_MAX
#define RELAY_RESOLVE_WINDOW_SEC RELAYSEL_REFRESH_SEC
#define RELAY_MS_PER_S		1000

static void	 parent_relay_save(int, short, void *);

static struct relaycache	 relay_save;	/* IMSG_RELAY_SAVE so far */
static struct relaycache	 relay_saved;	/* the latest whole list */
static struct event		 relay_save_ev;
static time_t			 relay_save_last;

void
parent_relay_init(void)
{
	evtimer_set(&relay_save_ev, parent_relay_save, NULL);
}

static void
parent_relay_save(int fd, short ev, void *arg)
{
	char	 err[PATH_MAX + 128];

	(void)fd;
	(void)ev;
	(void)arg;
	relay_save_last = time(NULL);
	relay_saved.saved_at = relay_save_last;
	if (relaycache_store(penv.opts->statedir, &relay_saved, err,
	    sizeof(err)) == -1)
		log_warnx("saving the relay list: %s", err);
	else
		log_debug("saved %zu relays to %s", relay_saved.naddrs,
		    RELAYCACHE_FILE);
}

/* One entry of the list the engine is saving: -1 if it is too long. */
int
parent_relay_add(const char *addr)
{
	if (relay_save.naddrs >= RELAYCACHE_ADDRS_MAX)
		return -1;
	strlcpy(relay_save.addrs[relay_save.naddrs++], addr,
	    sizeof(relay_save.addrs[0]));
	return 0;
}

void
parent_relay_save_end(void)
{
	relay_saved = relay_save;
	memset(&relay_save, 0, sizeof(relay_save));
	/* Two fsyncs each: at most one write per RELAY_SAVE_MIN_SEC. */
	if (!evtimer_pending(&relay_save_ev, NULL)) {
		struct timeval	 tv = { 0, 0 };

		if (relay_save_last != 0 &&
		    time(NULL) - relay_save_last < RELAY_SAVE_MIN_SEC)
			tv.tv_sec = RELAY_SAVE_MIN_SEC;
		evtimer_add(&relay_save_ev, &tv);
	}
}

/*
 * The bootstrap list with its TURN credentials, which the engine needs
 * to allocate on these relays; it merges the list with the discovered
 * one.  Sent again after each reload, so new credentials are taken.
 */
void
parent_send_relays(void)
{
	size_t	 i;

	for (i = 0; i < penv.conf->relays.n; i++)
		if (imsgev_compose(&penv.iev_engine, IMSG_RELAY_BOOTSTRAP, 0,
		    -1, &penv.conf->relays.r[i].boot,
		    sizeof(penv.conf->relays.r[i].boot)) == -1)
			fatal("imsg to engine");
	if (imsgev_compose(&penv.iev_engine, IMSG_RELAY_BOOTSTRAP_END, 0, -1,
	    NULL, 0) == -1)
		fatal("imsg to engine");
}

/* relays.json, parsed here; the engine gets checked entries only. */
void
parent_send_cache(void)
{
	struct imsg_relay_addr		 ra;
	struct imsg_relay_cache_end	 ce;
	static struct relaycache	 rc;
	char				 err[PATH_MAX + CTL_MSG_MAX];
	size_t				 i;

	memset(&ce, 0, sizeof(ce));
	switch (relaycache_load(penv.opts->statedir, &rc, err, sizeof(err))) {
	case 0:
		for (i = 0; i < rc.naddrs; i++) {
			memset(&ra, 0, sizeof(ra));
			strlcpy(ra.addr, rc.addrs[i], sizeof(ra.addr));
			if (imsgev_compose(&penv.iev_engine, IMSG_RELAY_CACHED,
			    0, -1, &ra, sizeof(ra)) == -1)
				fatal("imsg to engine");
		}
		ce.saved_at = rc.saved_at;
		break;
	case -1:
		log_warnx("%s, ignored", err);
		break;
	}
	if (imsgev_compose(&penv.iev_engine, IMSG_RELAY_CACHED_END, 0, -1, &ce,
	    sizeof(ce)) == -1)
		fatal("imsg to engine");
}

static void
parent_relay_answer(const char *addr, const struct imsg_dns_answer *a,
    const char *msg)
{
	static struct imsg_relay_resolved	 rr;

	/* What the engine learns here it may connect to (TCP, TLS). */
	relayconn_learn(addr, a);
	memset(&rr, 0, sizeof(rr));
	strlcpy(rr.addr, addr, sizeof(rr.addr));
	rr.error = a->error;
	rr.n = a->n;
	memcpy(rr.sa, a->sa, a->n * sizeof(rr.sa[0]));
	strlcpy(rr.msg, msg, sizeof(rr.msg));
	if (imsgev_compose(&penv.iev_engine, IMSG_RELAY_RESOLVED, 0, -1, &rr,
	    sizeof(rr)) == -1)
		fatal("imsg to engine");
}

/*
 * A relay's name, "host:port", looked up for the engine, which has no
 * resolver in its chroot.  A fixed budget per window keeps a
 * compromised engine from making us resolve without bound.
 */
void
parent_relay_resolve(const struct imsg_relay_addr *ra)
{
	static uint64_t		 window;
	static unsigned int	 used;
	struct imsg_dns_answer	 a;
	char			 host[HOSTPORT_HOST_MAX];
	const char		*errstr;
	uint16_t		 port;
	uint64_t		 now = monotime_ms() / RELAY_MS_PER_S;

	/* The engine's text is not echoed: it may hold control bytes. */
	if (hostport_parse(ra->addr, host, &port, &errstr) == -1) {
		log_warnx("engine asked to resolve a bad relay name: %s",
		    errstr);
		super_exit(1);
	}
	/* A monotonic clock: a clock set back does not stall the window. */
	if (window == 0 || now - window >= RELAY_RESOLVE_WINDOW_SEC) {
		window = now;
		used = 0;
	}
	if (used >= RELAY_RESOLVE_BUDGET) {
		memset(&a, 0, sizeof(a));
		a.error = EAI_AGAIN;
		parent_relay_answer(ra->addr, &a,
		    "too many lookups, try later");
		return;
	}
	used++;
	dns_lookup(ra->addr, host, port, parent_relay_answer);
}
