/*
 * engine: direct or relay, per peer.  A direct path that stays silent
 * while we send, or that draws ICMP unreachable errors, loses to the
 * relay; a few authenticated receipts win it back, unless the peer is
 * pinned to the relay.  Pure functions of the events and times given.
 */
#include <stdio.h>
#include <string.h>

#include "pathsel.h"

#define PATHSEL_MS_PER_SEC	1000	/* the reason prints seconds */
#define PATHSEL_MS_PER_TENTH	100	/* ... to a tenth */

static void	 pathsel_inc(uint32_t *);
static int	 pathsel_silent(const struct pathsel *, uint64_t);
static int	 pathsel_want_relay(struct pathsel *, uint64_t);
static void	 pathsel_restart(struct pathsel *);

/* Counters stop at their top rather than wrap back to "no evidence". */
static void
pathsel_inc(uint32_t *c)
{
	if (*c < UINT32_MAX)
		(*c)++;
}

/* 1 if the last direct receipt is more than PATHSEL_SILENT_MS old. */
static int
pathsel_silent(const struct pathsel *ps, uint64_t now)
{
	return now > ps->last_recv_ms &&
	    now - ps->last_recv_ms > PATHSEL_SILENT_MS;
}

void
pathsel_init(struct pathsel *ps, uint64_t now)
{
	memset(ps, 0, sizeof(*ps));
	ps->last_recv_ms = now;
}

void
pathsel_release(struct pathsel *ps, struct pathsel_tally *t)
{
	if (ps->relay && t->relayed > 0)
		t->relayed--;
	ps->relay = 0;
	ps->refused = 0;
	pathsel_restart(ps);
}

/* Each path starts with no evidence against it or for it. */
static void
pathsel_restart(struct pathsel *ps)
{
	ps->silent_sends = 0;
	ps->unreach = 0;
	ps->receipts = 0;
}

/* A send that finds the path silent counts; one that does not resets. */
void
pathsel_sent_direct(struct pathsel *ps, uint64_t now)
{
	if (pathsel_silent(ps, now)) {
		pathsel_inc(&ps->silent_sends);
		ps->receipts = 0;
	} else
		ps->silent_sends = 0;
}

/*
 * Only an authenticated datagram counts: anyone who can spoof the
 * peer's address could otherwise hold us on a dead direct path, or
 * pull a peer off a working relay onto one that drops its traffic.
 */
void
pathsel_recv_direct(struct pathsel *ps, uint64_t now, int authenticated)
{
	if (!authenticated)
		return;
	if (now > ps->last_recv_ms)
		ps->last_recv_ms = now;
	ps->silent_sends = 0;
	ps->unreach = 0;
	pathsel_inc(&ps->receipts);
}

/* The caller checked the error is about this peer's direct address. */
void
pathsel_icmp_unreach(struct pathsel *ps)
{
	pathsel_inc(&ps->unreach);
	ps->receipts = 0;
}

int
pathsel_pin(struct pathsel *ps, unsigned int why)
{
	if (why == 0 || (why & ~PATHSEL_PIN_ALL) != 0)
		return -1;
	ps->pinned |= why;
	return 0;
}

int
pathsel_unpin(struct pathsel *ps, unsigned int why)
{
	if (why == 0 || (why & ~PATHSEL_PIN_ALL) != 0)
		return -1;
	ps->pinned &= ~why;
	return 0;
}

/* 1 and ps->why filled if a peer on the direct path should leave it. */
static int
pathsel_want_relay(struct pathsel *ps, uint64_t now)
{
	uint64_t	 silent;

	if (ps->pinned & PATHSEL_PIN_RELAY_ONLY)
		strlcpy(ps->why, "relay-only in the netmap", sizeof(ps->why));
	else if (ps->pinned & PATHSEL_PIN_SYMMETRIC)
		strlcpy(ps->why, "symmetric NAT on both sides",
		    sizeof(ps->why));
	else if (ps->unreach >= PATHSEL_UNREACH_MAX)
		snprintf(ps->why, sizeof(ps->why), "%u ICMP unreachable",
		    ps->unreach);
	else if (ps->silent_sends >= PATHSEL_SILENT_SENDS &&
	    pathsel_silent(ps, now)) {
		silent = now - ps->last_recv_ms;
		snprintf(ps->why, sizeof(ps->why),
		    "silent %llu.%llu s, %u sends",
		    (unsigned long long)(silent / PATHSEL_MS_PER_SEC),
		    (unsigned long long)(silent % PATHSEL_MS_PER_SEC /
		    PATHSEL_MS_PER_TENTH), ps->silent_sends);
	} else
		return 0;
	return 1;
}

enum pathsel_flip
pathsel_update(struct pathsel *ps, struct pathsel_tally *t, uint64_t now)
{
	if (ps->relay) {
		if (ps->pinned || ps->receipts < PATHSEL_RECEIPTS)
			return PATHSEL_SAME;
		snprintf(ps->why, sizeof(ps->why), "%u direct receipts",
		    ps->receipts);
		if (t->relayed > 0)
			t->relayed--;
		ps->relay = 0;
		ps->flip_ms = now;
		pathsel_restart(ps);
		return PATHSEL_TO_DIRECT;
	}
	if (!pathsel_want_relay(ps, now)) {
		ps->refused = 0;
		return PATHSEL_SAME;
	}
	if (t->relayed >= PATHSEL_RELAYED_MAX) {
		if (ps->refused)
			return PATHSEL_SAME;
		ps->refused = 1;
		return PATHSEL_REFUSED;
	}
	t->relayed++;
	ps->relay = 1;
	ps->refused = 0;
	ps->flip_ms = now;
	pathsel_restart(ps);
	return PATHSEL_TO_RELAY;
}
