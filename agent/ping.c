/*
 * engine: ternctl ping.  Wakes the peer as ternctl wake does, waits
 * for its path, pings it there with ice_ping, one ping at a time, and
 * reports each answer or timeout to the control client.
 */
#include <sys/queue.h>
#include <sys/socket.h>
#include <event.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "ice.h"
#include "log.h"
#include "monotime.h"
#include "relaymgr.h"

#define PING_INTERVAL_MS	1000	/* from one ping to the next, as ping(8) */
#define PING_WAIT_MS		2000	/* an answer later than this is lost */
/* A woken peer's path: ICE gives up on a session after 10 s too. */
#define PING_PATH_MS		10000
#define PING_POLL_MS		100	/* looks for the path this often */
#define PING_MS_PER_S		1000
#define PING_US_PER_MS		1000

struct ping {
	TAILQ_ENTRY(ping)	 entry;
	char			 name[TERN_NAME_MAX];
	uint32_t		 count;		/* 0: until the first answer */
	uint32_t		 seq;		/* pings sent */
	int			 out;		/* the last one waits for its answer */
	uint64_t		 sent_ms;
	uint64_t		 start_ms;
	uint64_t		 nopath_ms;	/* no path since, 0 if one */
	struct event		 ev;
	ping_cb			 cb;
	void			*arg;
};

static TAILQ_HEAD(, ping)	 pings = TAILQ_HEAD_INITIALIZER(pings);

static void	 ping_tick(int, short, void *);
static void	 ping_answer(void *, const struct ice_pong *);

static void
ping_after(struct ping *pg, uint64_t ms)
{
	struct timeval	 tv;

	tv.tv_sec = ms / PING_MS_PER_S;
	tv.tv_usec = ms % PING_MS_PER_S * PING_US_PER_MS;
	evtimer_add(&pg->ev, &tv);
}

static void
ping_free(struct ping *pg)
{
	evtimer_del(&pg->ev);
	ice_ping_cancel(pg);
	TAILQ_REMOVE(&pings, pg, entry);
	free(pg);
}

/*
 * Tells the client; the last report frees pg first.  The client may
 * go away inside cb and cancel pg: callers touch pg no more.
 */
static void
ping_report(struct ping *pg, struct ctl_pong *pong, int last)
{
	ping_cb	 cb = pg->cb;
	void	*arg = pg->arg;

	pong->seq = pg->seq;
	if (last)
		ping_free(pg);
	cb(arg, pong, last);
}

/* A wait that ran out: for the ping out, or for a path. */
static void
ping_timeout(struct ping *pg, enum ctl_pong_status st, uint64_t waited,
    int last)
{
	struct ctl_pong	 pong;

	memset(&pong, 0, sizeof(pong));
	pong.status = st;
	pong.waited_ms = waited > UINT32_MAX ? UINT32_MAX : (uint32_t)waited;
	ping_report(pg, &pong, last);
}

int
ping_start(const char *name, uint32_t count, ping_cb cb, void *arg,
    char *why, size_t len)
{
	struct ping	*pg;
	struct peer	*p;

	if ((p = peer_by_name(name)) == NULL) {
		snprintf(why, len, "no peer named %s", name);
		return -1;
	}
	if (p->source != PEER_SRC_NETMAP) {
		snprintf(why, len, "peer %s is static: it has no ICE session "
		    "to ping", name);
		return -1;
	}
	if ((pg = calloc(1, sizeof(*pg))) == NULL) {
		log_warn("ping");
		snprintf(why, len, "out of memory");
		return -1;
	}
	strlcpy(pg->name, name, sizeof(pg->name));
	pg->count = count;
	pg->cb = cb;
	pg->arg = arg;
	pg->start_ms = monotime_ms();
	TAILQ_INSERT_TAIL(&pings, pg, entry);
	evtimer_set(&pg->ev, ping_tick, pg);
	cm_wake(p, WAKE_MANUAL);
	/* The first ping goes from the event loop: cb never runs in here. */
	ping_after(pg, 0);
	return 0;
}

void
ping_cancel(void *arg)
{
	struct ping	*pg;

	TAILQ_FOREACH(pg, &pings, entry)
		if (pg->arg == arg) {
			ping_free(pg);
			return;
		}
}

/* The next ping is due, or the one out or the wait for a path timed out. */
static void
ping_tick(int fd, short ev, void *arg)
{
	struct ping	*pg = arg;
	struct peer	*p;
	uint64_t	 now = monotime_ms(), left;

	if (pg->out) {
		ice_ping_cancel(pg);
		pg->out = 0;
		/* Until the first answer, only the end counts. */
		if (pg->count != 0) {
			if (pg->seq < pg->count)
				ping_after(pg, 0);
			ping_timeout(pg, CTL_PONG_LOST, PING_WAIT_MS,
			    pg->seq >= pg->count);
			return;
		}
	}
	if (pg->count == 0 && now - pg->start_ms >= PING_PATH_MS) {
		ping_timeout(pg, pg->seq > 0 ? CTL_PONG_LOST :
		    CTL_PONG_NO_PATH, now - pg->start_ms, 1);
		return;
	}
	if ((p = peer_by_name(pg->name)) == NULL ||
	    ice_ping(p, ping_answer, pg) == -1) {
		if (pg->nopath_ms == 0)
			pg->nopath_ms = now;
		else if (now - pg->nopath_ms >= PING_PATH_MS) {
			ping_timeout(pg, CTL_PONG_NO_PATH, now - pg->nopath_ms,
			    1);
			return;
		}
		ping_after(pg, PING_POLL_MS);
		return;
	}
	pg->nopath_ms = 0;
	pg->out = 1;
	pg->seq++;
	pg->sent_ms = now;
	left = PING_WAIT_MS;
	if (pg->count == 0 && pg->start_ms + PING_PATH_MS - now < left)
		left = pg->start_ms + PING_PATH_MS - now;
	ping_after(pg, left);
}

static void
ping_answer(void *arg, const struct ice_pong *r)
{
	struct ping	*pg = arg;
	struct ctl_pong	 pong;
	uint64_t	 now = monotime_ms(), next;
	int		 last;

	evtimer_del(&pg->ev);
	pg->out = 0;
	memset(&pong, 0, sizeof(pong));
	pong.status = CTL_PONG_REPLY;
	pong.rtt_us = r->rtt_us;
	pong.via_relay = r->relayed != 0;
	pong.remote_relayed = r->remote_relayed != 0;
	sockaddr_from_v6(&r->remote, &pong.remote);
	if (r->relayed)
		strlcpy(pong.relay, relaymgr_current(NULL),
		    sizeof(pong.relay));
	last = pg->count == 0 || pg->seq >= pg->count;
	if (!last) {
		next = pg->sent_ms + PING_INTERVAL_MS;
		ping_after(pg, next > now ? next - now : 0);
	}
	ping_report(pg, &pong, last);
}
