/*
 * engine: our STUN Binding requests to relays (RFC 8489), from the
 * engine's UDP socket or the probe socket: retransmits, matches the
 * answers, and calls back once per query from its own timer.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <errno.h>
#include <event.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "addr.h"
#include "engine.h"
#include "log.h"
#include "monotime.h"
#include "stunc.h"

/* Ours: a relay list's worth of netcheck rounds on two sockets. */
#define STUNC_MAX		256
#define STUNC_RTO_US		500000	/* RFC 8489 6.2.1: initial RTO */
#define STUNC_TX_MAX		3	/* ours: at 0, 500 ms and 1.5 s */
#define STUNC_TIMEOUT_US	2500000	/* ours: fail 2.5 s after the first */
#define STUNC_REQ_MAX		64	/* header and FINGERPRINT fit */
/* RFC 8489 6.1: answers fit the IPv4 reassembly minimum. */
#define STUNC_RECV_MAX		576
#define STUNC_READ_MAX		16	/* datagrams per probe read event */
#define STUNC_US_PER_S		1000000

enum stunc_qstate {
	STUNC_FREE = 0,
	STUNC_SENT,		/* waiting for an answer */
	STUNC_DONE,		/* answered or given up: callback due */
};

struct stunc_query {
	enum stunc_qstate	 state;
	enum stunc_sock		 sock;
	struct sockaddr_in6	 server;	/* v4 as v4-mapped */
	stunc_cb		 cb;
	void			*arg;
	uint8_t			 tid[STUN_TID_LEN];
	int			 ntx;
	uint64_t		 first_us;
	uint64_t		 last_us;	/* transmission a reply times */
	uint64_t		 next_us;	/* retransmit, give up, call */
	uint64_t		 rto_us;
	int			 ok;
	struct sockaddr_in6	 mapped;
	uint32_t		 rtt_us;
	int			 firing;	/* due in this timer run */
};

static void	 stunc_send(struct stunc_query *, uint64_t);
static void	 stunc_done(struct stunc_query *, int, uint64_t);
static int	 stunc_match(enum stunc_sock, const struct stun_msg *,
		    const struct sockaddr_in6 *);
static void	 stunc_timer(int, short, void *);
static void	 stunc_schedule(void);
static void	 stunc_probe_read(int, short, void *);

static struct stunc_query	 stunc_q[STUNC_MAX];
static size_t			 stunc_n;	/* slots not free */
static struct event		 stunc_ev;
static int			 stunc_ev_set;
static struct event		 stunc_probe_ev;
static int			 stunc_probe_fd = -1;

/* One transmission; a lost one is retransmitted like any other. */
static void
stunc_send(struct stunc_query *q, uint64_t now)
{
	struct stun_builder	 b;
	uint8_t			 buf[STUNC_REQ_MAX];
	int			 fd;

	fd = q->sock == STUNC_PROBE ? stunc_probe_fd :
	    engine != NULL ? engine->netfd : -1;
	q->ntx++;
	q->last_us = now;
	if (q->ntx < STUNC_TX_MAX) {
		q->next_us = now + q->rto_us;
		q->rto_us *= 2;
	} else
		q->next_us = q->first_us + STUNC_TIMEOUT_US;
	if (stun_build_init(&b, buf, sizeof(buf),
	    stun_type(STUN_BINDING, STUN_REQUEST), q->tid) == -1 ||
	    stun_add_fingerprint(&b) == -1)
		fatalx("%s: request does not fit", __func__);
	if (fd != -1 && sendto(fd, buf, stun_build_len(&b), 0,
	    (struct sockaddr *)&q->server, sizeof(q->server)) == -1)
		log_debug("stunc: sendto: %s", strerror(errno));
}

/* The callback is due now, from the timer. */
static void
stunc_done(struct stunc_query *q, int ok, uint64_t now)
{
	q->state = STUNC_DONE;
	q->ok = ok;
	q->next_us = now;
}

int
stunc_query(enum stunc_sock sock, const struct sockaddr_in6 *server,
    stunc_cb cb, void *arg)
{
	struct stunc_query	*q;
	uint64_t		 now = monotime_us();
	size_t			 i;

	if (stunc_n == STUNC_MAX)
		return -1;
	for (i = 0; stunc_q[i].state != STUNC_FREE; i++)
		;
	q = &stunc_q[i];
	memset(q, 0, sizeof(*q));
	stunc_n++;
	q->state = STUNC_SENT;
	q->sock = sock;
	q->server.sin6_family = AF_INET6;
	q->server.sin6_addr = server->sin6_addr;
	q->server.sin6_port = server->sin6_port;
	q->cb = cb;
	q->arg = arg;
	randombytes_buf(q->tid, sizeof(q->tid));
	q->first_us = now;
	q->rto_us = STUNC_RTO_US;
	if (sock == STUNC_PROBE && stunc_probe_fd == -1)
		stunc_done(q, 0, now);
	else
		stunc_send(q, now);
	stunc_schedule();
	return 0;
}

void
stunc_cancel(void *arg)
{
	size_t	 i;

	for (i = 0; i < STUNC_MAX; i++)
		if (stunc_q[i].state != STUNC_FREE && stunc_q[i].arg == arg) {
			stunc_q[i].state = STUNC_FREE;
			stunc_n--;
		}
	stunc_schedule();
}

/*
 * An answer counts only from the server asked, with a query's
 * transaction id and a good FINGERPRINT: anyone may send us STUN.
 */
static int
stunc_match(enum stunc_sock sock, const struct stun_msg *m,
    const struct sockaddr_in6 *from)
{
	struct stunc_query	*q;
	uint64_t		 now;
	size_t			 i;

	if (stunc_n == 0 || stun_method(m->type) != STUN_BINDING ||
	    (stun_class(m->type) != STUN_SUCCESS &&
	    stun_class(m->type) != STUN_ERROR) ||
	    stun_check_fingerprint(m) == -1)
		return 0;
	for (i = 0; i < STUNC_MAX; i++) {
		q = &stunc_q[i];
		if (q->state == STUNC_SENT && q->sock == sock &&
		    memcmp(q->tid, m->tid, sizeof(q->tid)) == 0 &&
		    q->server.sin6_port == from->sin6_port &&
		    memcmp(&q->server.sin6_addr, &from->sin6_addr,
		    sizeof(q->server.sin6_addr)) == 0)
			break;
	}
	if (i == STUNC_MAX)
		return 0;
	now = monotime_us();
	/* Karn: after a retransmission, time from the last transmission. */
	q->rtt_us = now - q->last_us > UINT32_MAX ? UINT32_MAX :
	    (uint32_t)(now - q->last_us);
	/* Elsewhere 0 means no answer. */
	if (q->rtt_us == 0)
		q->rtt_us = 1;
	if (stun_class(m->type) == STUN_SUCCESS &&
	    (m->has & STUN_HAS_XOR_MAPPED) &&
	    (m->xor_mapped.ss_family == AF_INET ||
	    m->xor_mapped.ss_family == AF_INET6)) {
		sockaddr_to_v6((const struct sockaddr *)&m->xor_mapped,
		    &q->mapped);
		q->mapped.sin6_flowinfo = 0;
		q->mapped.sin6_scope_id = 0;
		stunc_done(q, 1, now);
	} else
		/* An error answer or no mapping: asking again won't help. */
		stunc_done(q, 0, now);
	stunc_schedule();
	return 1;
}

int
stunc_input(const struct stun_msg *m, const struct sockaddr_in6 *from)
{
	return stunc_match(STUNC_MAIN, m, from);
}

/*
 * Callbacks may query or cancel: only what was due when the timer
 * fired is handled, one slot at a time, freed before its callback.
 */
static void
stunc_timer(int fd, short ev, void *arg)
{
	struct stunc_query	*q, done;
	uint64_t		 now = monotime_us();
	size_t			 i;

	for (i = 0; i < STUNC_MAX; i++)
		stunc_q[i].firing = stunc_q[i].state != STUNC_FREE &&
		    stunc_q[i].next_us <= now;
	for (i = 0; i < STUNC_MAX; i++) {
		q = &stunc_q[i];
		if (!q->firing || q->state == STUNC_FREE)
			continue;
		q->firing = 0;
		if (q->state == STUNC_SENT && q->ntx < STUNC_TX_MAX) {
			stunc_send(q, now);
			continue;
		}
		done = *q;
		q->state = STUNC_FREE;
		stunc_n--;
		if (done.state == STUNC_SENT)
			done.cb(done.arg, 0, NULL, 0);
		else
			done.cb(done.arg, done.ok, done.ok ? &done.mapped :
			    NULL, done.ok ? done.rtt_us : 0);
	}
	stunc_schedule();
}

static void
stunc_schedule(void)
{
	struct timeval	 tv;
	uint64_t	 now, next = UINT64_MAX;
	size_t		 i;

	if (!stunc_ev_set) {
		evtimer_set(&stunc_ev, stunc_timer, NULL);
		stunc_ev_set = 1;
	}
	evtimer_del(&stunc_ev);
	for (i = 0; i < STUNC_MAX && stunc_n > 0; i++)
		if (stunc_q[i].state != STUNC_FREE &&
		    stunc_q[i].next_us < next)
			next = stunc_q[i].next_us;
	if (next == UINT64_MAX)
		return;
	now = monotime_us();
	next = next > now ? next - now : 0;
	tv.tv_sec = next / STUNC_US_PER_S;
	tv.tv_usec = next % STUNC_US_PER_S;
	evtimer_add(&stunc_ev, &tv);
}

static void
stunc_probe_read(int fd, short ev, void *arg)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in6	 from;
	struct stun_msg		 m;
	uint8_t			 buf[STUNC_RECV_MAX];
	socklen_t		 len;
	ssize_t			 n;
	int			 i;

	for (i = 0; i < STUNC_READ_MAX; i++) {
		len = sizeof(ss);
		if ((n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
		    (struct sockaddr *)&ss, &len)) == -1) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("stunc: recvfrom");
			return;
		}
		if ((ss.ss_family != AF_INET && ss.ss_family != AF_INET6) ||
		    stun_parse(buf, n, &m) == -1)
			continue;
		sockaddr_to_v6((struct sockaddr *)&ss, &from);
		stunc_match(STUNC_PROBE, &m, &from);
	}
}

void
stunc_init(int fd)
{
	if (stunc_probe_fd != -1) {
		event_del(&stunc_probe_ev);
		if (stunc_probe_fd != fd)
			close(stunc_probe_fd);
	}
	stunc_probe_fd = fd;
	if (fd == -1)
		return;
	event_set(&stunc_probe_ev, fd, EV_READ | EV_PERSIST,
	    stunc_probe_read, NULL);
	event_add(&stunc_probe_ev, NULL);
}
