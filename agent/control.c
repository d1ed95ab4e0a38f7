/*
 * engine: the control socket.  The parent created it (mode 0660, group
 * of the engine's user); the engine accepts ternctl connections on it
 * and answers status, reload, wake and netcheck requests.  A client
 * that sends anything else, or a malformed request, is disconnected.
 */
#include <sys/socket.h>
#include <errno.h>
#include <event.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "ice.h"
#include "log.h"
#include "relaymgr.h"

#define CONTROL_CONNS_MAX	16	/* concurrent ternctl connections */
#define CONTROL_PAUSE_SEC	1	/* accept pause when out of fds */

enum ctl_wait {
	CTL_IDLE,
	CTL_WAIT_STATUS,
	CTL_WAIT_RELOAD,
	CTL_WAIT_NETCHECK,
};

struct ctl_conn {
	TAILQ_ENTRY(ctl_conn)	 entry;
	struct imsgev		 iev;
	uint32_t		 id;
	enum ctl_wait		 wait;
};

/* Any local user of the socket's group can repeat these at will. */
static struct log_limit	 ll_accept, ll_full;

static void	 control_accept(int, short, void *);
static void	 control_dispatch(struct imsgev *, struct imsg *);
static void	 control_closed(struct imsgev *);
static void	 control_netcheck_done(void *, const struct ctl_netcheck_hdr *,
		    const struct ctl_netcheck_relay *, size_t);

void
control_listen(int fd)
{
	event_set(&engine->ev_ctl, fd, EV_READ | EV_PERSIST, control_accept,
	    NULL);
	event_add(&engine->ev_ctl, NULL);
	evtimer_set(&engine->ev_ctl_pause, control_accept, NULL);
}

static void
control_accept(int lfd, short event, void *arg)
{
	struct timeval	 tv = { CONTROL_PAUSE_SEC, 0 };
	struct ctl_conn	*c;
	int		 fd;

	if (event & EV_TIMEOUT) {
		event_add(&engine->ev_ctl, NULL);
		return;
	}
	if ((fd = accept4(engine->ctlfd, NULL, NULL,
	    SOCK_NONBLOCK | SOCK_CLOEXEC)) == -1) {
		if (errno == EMFILE || errno == ENFILE) {
			/* Out of fds: stop accepting for a moment. */
			event_del(&engine->ev_ctl);
			evtimer_add(&engine->ev_ctl_pause, &tv);
		} else if (errno != EAGAIN && errno != EINTR &&
		    errno != ECONNABORTED)
			log_limit_warn(&ll_accept, "control accept");
		return;
	}
	if (engine->nctl_conns >= CONTROL_CONNS_MAX) {
		log_limit_warnx(&ll_full, "control: more than %d clients, "
		    "refusing one", CONTROL_CONNS_MAX);
		close(fd);
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		log_warn("control");
		close(fd);
		return;
	}
	c->id = ++engine->ctl_nextid;
	TAILQ_INSERT_TAIL(&engine->ctl_conns, c, entry);
	engine->nctl_conns++;
	imsgev_init(&c->iev, fd, control_dispatch, control_closed, c);
	imsgbuf_set_outq_max(&c->iev.ibuf, TERND_CTL_OUTQ_MAX);
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

	/* One request at a time; only wake carries a payload; none an fd. */
	if (c->wait != CTL_IDLE || imsg_expect_fd_types(imsg, NULL, 0) == -1 ||
	    (imsg->hdr.type != IMSG_CTL_WAKE &&
	    imsg_expect_empty(imsg) == -1)) {
		imsgev_shutdown(iev);
		return;
	}
	switch (imsg->hdr.type) {
	case IMSG_CTL_WAKE:
		if (imsg_get_data(imsg, &w, sizeof(w)) == -1 ||
		    memchr(w.name, '\0', sizeof(w.name)) == NULL) {
			imsgev_shutdown(iev);
			return;
		}
		memset(&res, 0, sizeof(res));
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
		memset(&res, 0, sizeof(res));
		strlcpy(res.msg, "too many netchecks under way, try again",
		    sizeof(res.msg));
		(void)imsgev_compose(iev, IMSG_CTL_RESULT, 0, -1, &res,
		    sizeof(res));
		break;
	default:
		log_debug("control: unknown request %u", imsg->hdr.type);
		imsgev_shutdown(iev);
	}
}

static void
control_closed(struct imsgev *iev)
{
	struct ctl_conn	*c = iev->arg;

	if (c->wait == CTL_WAIT_NETCHECK)
		relaymgr_netcheck_cancel(c);
	imsgev_clear(iev);
	TAILQ_REMOVE(&engine->ctl_conns, c, entry);
	engine->nctl_conns--;
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
	if (control_send(c, IMSG_CTL_STATUS_HDR, &h, sizeof(h)) == -1)
		return;
	TAILQ_FOREACH(p, &engine->peers, entry) {
		memset(&s, 0, sizeof(s));
		strlcpy(s.name, p->conf.name, sizeof(s.name));
		memcpy(s.wgkey, p->conf.wgkey, KEY_LEN);
		if (p->has_remote)
			sockaddr_from_v6(&p->remote, &s.endpoint);
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
