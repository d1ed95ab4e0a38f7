/*
 * engine: the control sockets.  The parent created them: the full one
 * (mode 0660, group of the engine's user) answers status, reload, wake,
 * netcheck and ping; the read-only one (mode 0666) answers status and
 * turns down the rest.  A client that sends anything else, or a malformed
 * request, is disconnected; so is one that idles, and one past the
 * limit is told why.
 */
#include <sys/socket.h>
#include <errno.h>
#include <event.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "ice.h"
#include "log.h"
#include "monotime.h"
#include "relaymgr.h"
#include "stunc.h"
#include "turnc.h"

#define CONTROL_CONNS_MAX	16	/* concurrent clients of each socket */
/* Held back for root, so idle clients of the group cannot lock it out. */
#define CONTROL_CONNS_ROOT	1
#define CONTROL_PAUSE_SEC	1	/* accept pause when out of fds */
/*
 * A client that sends no request, or reads none of its answer, for this
 * long is closed: ternctl asks at once and reads as fast as it can.
 */
#define CONTROL_IDLE_SEC	5
/*
 * reload, wake, netcheck and ping make the parent reparse its config
 * or send probes to relays or peers: from the group, a burst of 5,
 * then one every 2 s, which no operator at a shell notices.  Root is
 * not limited.
 */
#define CONTROL_RATE_BURST	5
#define CONTROL_RATE_MS		2000
#define CONTROL_MS_PER_SEC	1000

/* One listening socket: the full one or the read-only one. */
struct ctl_listener {
	struct event		 ev;
	struct event		 ev_pause;
	int			 fd;
	int			 readonly;
	size_t			 nconns;
};

enum ctl_wait {
	CTL_IDLE,
	CTL_WAIT_STATUS,
	CTL_WAIT_RELOAD,
	CTL_WAIT_NETCHECK,
	CTL_WAIT_PING,
};

struct ctl_conn {
	TAILQ_ENTRY(ctl_conn)	 entry;
	struct imsgev		 iev;
	struct ctl_listener	*l;
	uid_t			 uid;
	struct event		 ev_idle;
	uint32_t		 id;
	enum ctl_wait		 wait;
	int			 asked;		/* a request since the last tick */
	size_t			 outq_seen;	/* bytes queued at the last tick */
};

/* Any local user of the socket's group can repeat these at will. */
static struct log_limit	 ll_accept, ll_full;
static struct ctl_listener	 listeners[2];	/* full, read-only */
static int64_t			 rate_tokens = CONTROL_RATE_BURST;
static int64_t			 rate_last_ms;

static void	 control_accept(int, short, void *);
static int	 control_allowed(struct ctl_conn *, uint32_t, char *, size_t);
static void	 control_dispatch(struct imsgev *, struct imsg *);
static void	 control_closed(struct imsgev *);
static void	 control_idle(int, short, void *);
static void	 control_refuse(int, const char *);
static int	 control_peer_uid(int, uid_t *);
static void	 control_netcheck_done(void *, const struct ctl_netcheck_hdr *,
		    const struct ctl_netcheck_relay *, size_t);
static void	 control_ping(struct ctl_conn *, struct imsg *);
static void	 control_ping_done(void *, const struct ctl_pong *, int);

_Static_assert(sizeof(((struct ctl_status_peer *)0)->ps_why) >=
    PATHSEL_WHY_MAX, "a path selection reason fits ternctl's status");

/* Path selection's record of p, for status -d. */
static void
control_pathsel_status(const struct peer *p, struct ctl_status_peer *s)
{
	s->ps_relay = p->on_alt != 0;
	s->ps_pinned = p->relay_only != 0;
	s->ps_alt = p->has_alt != 0;
	s->ps_silent_sends = p->ps.silent_sends;
	s->ps_receipts = p->ps.receipts;
	/* A refusal sets the reason but moves nothing: no last move. */
	s->ps_flip_ago_ms = p->ps.why[0] == '\0' || p->ps.flip_ms == 0 ? -1 :
	    (int64_t)(monotime_ms() - p->ps.flip_ms);
	strlcpy(s->ps_why, p->ps.why, sizeof(s->ps_why));
}

void
control_listen(int fd, int readonly)
{
	struct ctl_listener	*l = &listeners[readonly != 0];

	l->fd = fd;
	l->readonly = readonly != 0;
	event_set(&l->ev, fd, EV_READ | EV_PERSIST, control_accept, l);
	event_add(&l->ev, NULL);
	evtimer_set(&l->ev_pause, control_accept, l);
}

static void
control_accept(int lfd, short event, void *arg)
{
	struct timeval		 tv = { CONTROL_PAUSE_SEC, 0 };
	struct timeval		 idle = { CONTROL_IDLE_SEC, 0 };
	struct ctl_listener	*l = arg;
	struct ctl_conn		*c;
	uid_t			 uid;
	int			 fd;

	if (event & EV_TIMEOUT) {
		event_add(&l->ev, NULL);
		return;
	}
	if ((fd = accept4(l->fd, NULL, NULL,
	    SOCK_NONBLOCK | SOCK_CLOEXEC)) == -1) {
		if (errno == EMFILE || errno == ENFILE) {
			/* Out of fds: stop accepting for a moment. */
			event_del(&l->ev);
			evtimer_add(&l->ev_pause, &tv);
		} else if (errno != EAGAIN && errno != EINTR &&
		    errno != ECONNABORTED)
			log_limit_warn(&ll_accept, "control accept");
		return;
	}
	if (control_peer_uid(fd, &uid) == -1) {
		close(fd);
		return;
	}
	if (l->nconns >= CONTROL_CONNS_MAX || (uid != 0 &&
	    l->nconns >= CONTROL_CONNS_MAX - CONTROL_CONNS_ROOT)) {
		log_limit_warnx(&ll_full, "control: %zu clients%s, refusing "
		    "one of uid %u", l->nconns,
		    l->readonly ? " (read-only)" : "", (unsigned)uid);
		control_refuse(fd, "ternd has too many control clients; "
		    "try again in a few seconds");
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		log_warn("control");
		close(fd);
		return;
	}
	c->id = ++engine->ctl_nextid;
	c->l = l;
	c->uid = uid;
	c->outq_seen = SIZE_MAX;
	TAILQ_INSERT_TAIL(&engine->ctl_conns, c, entry);
	l->nconns++;
	imsgev_init(&c->iev, fd, control_dispatch, control_closed, c);
	imsgbuf_set_outq_max(&c->iev.ibuf, TERND_CTL_OUTQ_MAX);
	evtimer_set(&c->ev_idle, control_idle, c);
	evtimer_add(&c->ev_idle, &idle);
}

static int
control_peer_uid(int fd, uid_t *uid)
{
	struct ucred	 cred;
	socklen_t	 len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1) {
		log_warn("control: SO_PEERCRED");
		return -1;
	}
	*uid = cred.uid;
	return 0;
}

/* Tells a client why before closing, so ternctl can say it. */
static void
control_refuse(int fd, const char *why)
{
	struct imsgbuf		 ibuf;
	struct ctl_result	 res;

	memset(&res, 0, sizeof(res));
	strlcpy(res.msg, why, sizeof(res.msg));
	imsgbuf_init(&ibuf, fd);
	/* One try: a new socket's buffer holds it, or the client is gone. */
	if (imsg_compose(&ibuf, IMSG_CTL_RESULT, 0, 0, -1, &res,
	    sizeof(res)) == 0)
		(void)imsgbuf_write(&ibuf);
	imsgbuf_clear(&ibuf);
	close(fd);
}

/*
 * Every CONTROL_IDLE_SEC: a client that asked nothing, is not waiting
 * for the engine and read none of its queued answer is closed.
 */
static void
control_idle(int fd, short event, void *arg)
{
	struct timeval	 idle = { CONTROL_IDLE_SEC, 0 };
	struct ctl_conn	*c = arg;
	size_t		 q = c->iev.ibuf.outq_len;

	if (c->asked || c->wait != CTL_IDLE || (q > 0 && q < c->outq_seen)) {
		c->asked = 0;
		c->outq_seen = q;
		evtimer_add(&c->ev_idle, &idle);
		return;
	}
	log_debug("control: client %u idle for %d s, closing", c->id,
	    CONTROL_IDLE_SEC);
	control_closed(&c->iev);
}

static struct ctl_conn *
control_find(uint32_t id)
{
	struct ctl_conn	*c;

	TAILQ_FOREACH(c, &engine->ctl_conns, entry)
		if (c->id == id)
			return c;
	return NULL;
}

static void
control_dispatch(struct imsgev *iev, struct imsg *imsg)
{
	struct ctl_conn	*c = iev->arg;
	struct ctl_wake	 w;
	struct ctl_result res;

	c->asked = 1;
	/* One request at a time; wake and ping carry data, none an fd. */
	if (c->wait != CTL_IDLE || imsg_expect_fd_types(imsg, NULL, 0) == -1 ||
	    (imsg->hdr.type != IMSG_CTL_WAKE &&
	    imsg->hdr.type != IMSG_CTL_PING &&
	    imsg_expect_empty(imsg) == -1)) {
		imsgev_shutdown(iev);
		return;
	}
	memset(&res, 0, sizeof(res));
	if (control_allowed(c, imsg->hdr.type, res.msg, sizeof(res.msg)) ==
	    -1) {
		(void)imsgev_compose(iev, IMSG_CTL_RESULT, 0, -1, &res,
		    sizeof(res));
		return;
	}
	switch (imsg->hdr.type) {
	case IMSG_CTL_WAKE:
		if (imsg_get_data(imsg, &w, sizeof(w)) == -1 ||
		    memchr(w.name, '\0', sizeof(w.name)) == NULL) {
			imsgev_shutdown(iev);
			return;
		}
		res.ok = cm_wake_name(w.name, res.msg, sizeof(res.msg)) == 0;
		(void)imsgev_compose(iev, IMSG_CTL_RESULT, 0, -1, &res,
		    sizeof(res));
		break;
	case IMSG_CTL_STATUS:
		c->wait = CTL_WAIT_STATUS;
		engine_to_parent(IMSG_WG_STATS_REQ, c->id, NULL, 0);
		break;
	case IMSG_CTL_RELOAD:
		c->wait = CTL_WAIT_RELOAD;
		engine_to_parent(IMSG_RELOAD_REQ, c->id, NULL, 0);
		break;
	case IMSG_CTL_NETCHECK:
		if (relaymgr_netcheck(control_netcheck_done, c) == 0) {
			c->wait = CTL_WAIT_NETCHECK;
			break;
		}
		strlcpy(res.msg, "too many netchecks under way, try again",
		    sizeof(res.msg));
		(void)imsgev_compose(iev, IMSG_CTL_RESULT, 0, -1, &res,
		    sizeof(res));
		break;
	case IMSG_CTL_PING:
		control_ping(c, imsg);
		break;
	default:
		log_debug("control: unknown request %u", imsg->hdr.type);
		imsgev_shutdown(iev);
	}
}

/*
 * The read-only socket answers status alone; on the full one, what
 * costs the parent or the network is rate-limited for all but root.
 * -1 and why if the request is turned down.
 */
static int
control_allowed(struct ctl_conn *c, uint32_t type, char *why, size_t len)
{
	int64_t	 now, n;

	if (type == IMSG_CTL_STATUS)
		return 0;
	if (type != IMSG_CTL_RELOAD && type != IMSG_CTL_WAKE &&
	    type != IMSG_CTL_NETCHECK && type != IMSG_CTL_PING)
		return 0;	/* unknown: the dispatcher disconnects it */
	if (c->l->readonly) {
		strlcpy(why, "the read-only control socket answers status "
		    "only", len);
		return -1;
	}
	if (c->uid == 0)
		return 0;
	now = (int64_t)monotime_ms();
	if ((n = (now - rate_last_ms) / CONTROL_RATE_MS) > 0) {
		rate_tokens += n;
		if (rate_tokens > CONTROL_RATE_BURST)
			rate_tokens = CONTROL_RATE_BURST;
		rate_last_ms += n * CONTROL_RATE_MS;
	}
	if (rate_tokens == CONTROL_RATE_BURST)
		rate_last_ms = now;
	if (rate_tokens == 0) {
		snprintf(why, len, "too many requests: at most %d at once, "
		    "then one every %d s", CONTROL_RATE_BURST,
		    CONTROL_RATE_MS / CONTROL_MS_PER_SEC);
		return -1;
	}
	rate_tokens--;
	return 0;
}

static void
control_closed(struct imsgev *iev)
{
	struct ctl_conn	*c = iev->arg;

	if (c->wait == CTL_WAIT_NETCHECK)
		relaymgr_netcheck_cancel(c);
	else if (c->wait == CTL_WAIT_PING)
		ping_cancel(c);
	evtimer_del(&c->ev_idle);
	imsgev_clear(iev);
	TAILQ_REMOVE(&engine->ctl_conns, c, entry);
	c->l->nconns--;
	free(c);
}

/*
 * A client whose output queue overflowed is dropped, not buffered.
 * Called outside the client's own handler, so it may be freed here.
 */
static int
control_send(struct ctl_conn *c, uint32_t type, const void *data, size_t len)
{
	if (imsgev_compose(&c->iev, type, 0, -1, data, len) == -1) {
		log_debug("control: dropping client %u", c->id);
		control_closed(&c->iev);
		return -1;
	}
	return 0;
}

/* The TURN client's allocation on the relay in use, for the header. */
static void
control_turn_status(struct ctl_status_hdr *h)
{
	struct turnc_info	 ti;

	turnc_info(&ti);
	switch (ti.state) {
	case TURNC_ALLOCATING:
		h->turn_state = CTL_TURN_ALLOCATING;
		break;
	case TURNC_READY:
		h->turn_state = CTL_TURN_READY;
		sockaddr_from_v6(&ti.relayed, &h->turn_relayed);
		break;
	case TURNC_FAILED:
		h->turn_state = CTL_TURN_FAILED;
		break;
	default:
		h->turn_state = CTL_TURN_NONE;
		break;
	}
	h->turn_transport = relaymgr_turn_transport();
	h->turn_perms = ti.nperms;
	h->turn_channels = ti.nchannels;
}

void
control_stats_done(uint32_t id)
{
	struct ctl_status_hdr	 h;
	struct ctl_status_peer	 s;
	struct ctl_conn		*c;
	struct peer		*p;
	struct sockaddr_in6	 local, remote;
	enum cand_type		 lt, rt;
	int			 by_rtt;

	if ((c = control_find(id)) == NULL || c->wait != CTL_WAIT_STATUS)
		return;
	c->wait = CTL_IDLE;
	memset(&h, 0, sizeof(h));
	strlcpy(h.ifname, engine->conf.ifname, sizeof(h.ifname));
	memcpy(h.wgpub, engine->conf.wgpub, KEY_LEN);
	memcpy(h.nodepub, engine->conf.nodepub, KEY_LEN);
	h.port = engine->conf.port;
	h.peerport = engine->conf.peerport;
	h.npeers = engine->npeers;
	h.started = engine->started;
	sig_status(&h);
	cm_status(&h);
	strlcpy(h.relay, relaymgr_current(&by_rtt), sizeof(h.relay));
	h.relay_by_rtt = by_rtt != 0;
	control_turn_status(&h);
	if (control_send(c, IMSG_CTL_STATUS_HDR, &h, sizeof(h)) == -1)
		return;
	TAILQ_FOREACH(p, &engine->peers, entry) {
		memset(&s, 0, sizeof(s));
		strlcpy(s.name, p->conf.name, sizeof(s.name));
		memcpy(s.wgkey, p->conf.wgkey, KEY_LEN);
		/* Where datagrams go: the relay path beside, if moved. */
		if (p->on_alt && p->has_alt) {
			sockaddr_from_v6(&p->alt, &s.endpoint);
			s.via_relay = p->alt_via != 0;
		} else if (p->has_remote) {
			sockaddr_from_v6(&p->remote, &s.endpoint);
			s.via_relay = p->via_relay != 0;
		}
		control_pathsel_status(p, &s);
		s.state = p->state;
		s.source = p->source;
		cm_peer_status(p, &s);
		if (ice_pair(p, &local, &lt, &remote, &rt) == 0) {
			sockaddr_from_v6(&local, &s.local);
			s.local_type = lt;
			s.remote_type = rt;
			s.rtt_us = ice_rtt(p);
		}
		s.peerport = p->pp;
		s.rx_packets = p->rx_packets;
		s.rx_bytes = p->rx_bytes;
		s.tx_packets = p->tx_packets;
		s.tx_bytes = p->tx_bytes;
		s.last_handshake = p->last_handshake;
		s.last_activity = p->last_activity;
		if (control_send(c, IMSG_CTL_STATUS_PEER, &s, sizeof(s)) == -1)
			return;
	}
	(void)control_send(c, IMSG_CTL_END, NULL, 0);
}

void
control_reload_error(uint32_t id, const struct ctl_error *e)
{
	struct ctl_conn	*c;

	if ((c = control_find(id)) == NULL || c->wait != CTL_WAIT_RELOAD)
		return;
	(void)control_send(c, IMSG_CTL_RELOAD_ERROR, e, sizeof(*e));
}

void
control_reload_done(uint32_t id, const struct ctl_result *res)
{
	struct ctl_conn	*c;

	if ((c = control_find(id)) == NULL || c->wait != CTL_WAIT_RELOAD)
		return;
	c->wait = CTL_IDLE;
	(void)control_send(c, IMSG_CTL_RESULT, res, sizeof(*res));
}

/* relaymgr's netcheck finished: the header, each relay, the end. */
static void
control_netcheck_done(void *arg, const struct ctl_netcheck_hdr *hdr,
    const struct ctl_netcheck_relay *r, size_t n)
{
	struct ctl_conn		*c = arg;
	struct ctl_netcheck_hdr	 h;
	size_t			 i;

	if (c->wait != CTL_WAIT_NETCHECK)
		return;
	c->wait = CTL_IDLE;
	h = *hdr;
	h.nrelays = n;
	if (control_send(c, IMSG_CTL_NETCHECK_HDR, &h, sizeof(h)) == -1)
		return;
	for (i = 0; i < n; i++)
		if (control_send(c, IMSG_CTL_NETCHECK_RELAY, &r[i],
		    sizeof(r[i])) == -1)
			return;
	(void)control_send(c, IMSG_CTL_END, NULL, 0);
}

static void
control_ping(struct ctl_conn *c, struct imsg *imsg)
{
	struct ctl_ping		 pr;
	struct ctl_result	 res;

	if (imsg_get_data(imsg, &pr, sizeof(pr)) == -1 ||
	    memchr(pr.name, '\0', sizeof(pr.name)) == NULL ||
	    pr.count > CTL_PING_COUNT_MAX) {
		imsgev_shutdown(&c->iev);
		return;
	}
	memset(&res, 0, sizeof(res));
	if (ping_start(pr.name, pr.count, control_ping_done, c, res.msg,
	    sizeof(res.msg)) == 0) {
		c->wait = CTL_WAIT_PING;
		return;
	}
	(void)imsgev_compose(&c->iev, IMSG_CTL_RESULT, 0, -1, &res,
	    sizeof(res));
}

/* Each ping's answer or timeout; the end after the last. */
static void
control_ping_done(void *arg, const struct ctl_pong *pong, int last)
{
	struct ctl_conn	*c = arg;

	if (last)
		c->wait = CTL_IDLE;
	if (control_send(c, IMSG_CTL_PONG, pong, sizeof(*pong)) == -1)
		return;
	if (last)
		(void)control_send(c, IMSG_CTL_END, NULL, 0);
}
