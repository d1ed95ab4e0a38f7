/*
 * server: an unprivileged process of tern-relay.  Re-executed by the
 * parent, it chroots, becomes the unprivileged user and enters its
 * seccomp sandbox before it reads any input, then takes the bound
 * sockets, the TLS material and the settings from the parent.  It
 * answers Binding requests, serves TURN over UDP (in batches: recvmmsg,
 * sendmmsg), TCP and TLS (relay/stream.c), and relays between clients
 * and peers (relay/turn.c).
 */
#include <sys/socket.h>
#include <sys/syscall.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <errno.h>
#include <event.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <tls.h>

#include "imsgev.h"
#include "log.h"
#include "monotime.h"
#include "proc.h"
#include "relay/relay.h"
#include "relay/rimsg.h"
#include "relay/server.h"
#include "relay/turn.h"
#include "sandbox.h"

#define SERVER_BATCH		64	/* datagrams per recvmmsg/sendmmsg */
/* Batches per wakeup, so one busy socket cannot starve the others. */
#define SERVER_ROUNDS		8
/* Larger than any request; ChannelData up to a 1500-byte MTU and more. */
#define SERVER_DGRAM_MAX	(TURN_CD_HDR_LEN + SERVER_PEER_DGRAM_MAX)
/* Peers' datagrams: WireGuard's stay below 1500, a jumbo frame fits. */
#define SERVER_PEER_DGRAM_MAX	9216
#define SERVER_ANSWER_MAX	1024	/* any TURN answer we build */
#define SERVER_PEER_BATCH	32	/* peer datagrams per recvmmsg */
#define SERVER_TICK_S		1	/* expiry of allocations, streams */
#define SERVER_STATS_S		300	/* a stats line in the log */
#define SERVER_BUSY_US		50	/* datagrams closer: read on a timer */
/* The timer; libevent waits in whole milliseconds, so 1 ms in effect. */
#define SERVER_POLL_US		1000
#define SERVER_GSO_SEGS		64	/* Linux's UDP_MAX_SEGMENTS */
#define SERVER_GSO_BYTES	65000	/* one GSO send: under 64 KiB of IP */
#define SERVER_GSO_SEG_V4	1472	/* 1500 less IPv4 and UDP headers */
#define SERVER_GSO_SEG_V6	1452	/* 1500 less IPv6 and UDP headers */

struct server_sock {
	struct event		 ev;
	struct event		 ev_poll;	/* while busy: a timer */
	uint64_t		 last_us;	/* of the last read */
	int			 polling;
	int			 fd;
	int			 kind;		/* enum relay_sock_kind */
};

/* The read event of one relayed socket. */
struct server_relay {
	struct event		 ev;
	struct turn_alloc	*a;
	int			 fi;
};

static struct relay_rate	 rate;		/* Binding and pre-auth */
static struct relay_rate	 authfail;
static struct relay_imsg_conf	 cur;		/* the limits in use */
static uint8_t			 hkey[RELAY_HASH_KEY_LEN];
static struct server_sock	 socks[3 * RELAY_LISTEN_MAX];
static size_t			 nsocks;
static int			 serving;
static struct imsgev		 iev_parent;
static struct event		 ev_sigterm, ev_sigusr1, ev_tick;
static struct turn_server	 turn;
static struct evbuffer		*tls_cert, *tls_key;
static uint64_t			 ticks;

/* Receive and send buffers of one batch. */
static uint8_t			 in[SERVER_BATCH][SERVER_DGRAM_MAX];
static uint8_t			 out[SERVER_BATCH][SERVER_ANSWER_MAX];
static struct sockaddr_storage	 from[SERVER_BATCH];
static struct iovec		 iov_in[SERVER_BATCH], iov_out[SERVER_BATCH];
static struct mmsghdr		 msg_in[SERVER_BATCH], msg_out[SERVER_BATCH];
static uint8_t			 pin[SERVER_PEER_BATCH][SERVER_PEER_DGRAM_MAX];
static uint8_t			 pout[SERVER_PEER_BATCH]
				    [SERVER_PEER_DGRAM_MAX + TURN_DATA_IND_OVERHEAD];
static struct sockaddr_storage	 pfrom[SERVER_PEER_BATCH];
static struct iovec		 piov_in[SERVER_PEER_BATCH];
static struct iovec		 piov_out[SERVER_PEER_BATCH];
static struct mmsghdr		 pmsg_in[SERVER_PEER_BATCH];
static struct mmsghdr		 pmsg_out[SERVER_PEER_BATCH];

static void	 server_sig(int, short, void *);
static void	 server_dispatch(struct imsgev *, struct imsg *);
static void	 server_parent_closed(struct imsgev *);
static void	 server_conf(const struct relay_imsg_conf *);
static void	 server_start(void);
static void	 server_read(int, short, void *);
static int	 server_batch(struct server_sock *, uint32_t);
static void	 server_relay_read(int, short, void *);
static void	 server_watch(struct turn_alloc *, int, int);
static void	 server_queue(int, const struct sockaddr *, const uint8_t *,
		    size_t);
static int	 server_gso_run(int, int);
static void	 server_gso_flush(int, int, int);
static void	 server_tick(int, short, void *);
static void	 server_push_stats(void);
static void	 server_flush(int, struct mmsghdr *, int);
static void	 server_pem(struct evbuffer **, struct imsg *);
static void	 server_open(void);

static const struct turn_ops server_ops = { server_watch, server_queue };

/* Datagrams to peers, sent once per batch: sendmmsg per relayed socket. */
static struct mmsghdr		 qmsg[SERVER_BATCH];
static struct iovec		 qiov[SERVER_BATCH];
static struct sockaddr_storage	 qaddr[SERVER_BATCH];
static int			 qfd[SERVER_BATCH];
static int			 nq;
/* The same, as GSO sends: a message per run of equal datagrams. */
static struct mmsghdr		 gmsg[SERVER_BATCH];
static int			 gfirst[SERVER_BATCH];
static union {
	char			 buf[CMSG_SPACE(sizeof(uint16_t))];
	struct cmsghdr		 align;
}				 gctl[SERVER_BATCH];
static int			 gso_ok = 1;

/* The clocks TURN reads, once per wakeup. */
void
server_clock(void)
{
	turn_clock(&turn, monotime_ms(), time(NULL));
}

struct turn_server *
server_turn(void)
{
	return &turn;
}

struct relay_rate *
server_rate(void)
{
	return &rate;
}

static void
server_sig(int sig, short event, void *arg)
{
	if (sig == SIGUSR1) {
		server_log_stats();
		return;
	}
	log_info("signal %d: shutting down", sig);
	exit(0);
}

/*
 * New limits: new tables, every bucket full; the same ones: no change.
 * Credentials and peer rules apply to the next request; allocations,
 * permissions and channels already made keep working.
 */
static void
server_conf(const struct relay_imsg_conf *ic)
{
	struct turn_auth	*au = &turn.auth;
	size_t			 i;

	if (ic->rate < 1 || ic->rate > RELAY_RATE_MAX || ic->burst < 1 ||
	    ic->burst > 2 * RELAY_RATE_MAX ||
	    ic->table_size < RELAY_TABLE_MIN ||
	    ic->table_size > RELAY_TABLE_MAX ||
	    ic->nsecrets > RELAY_SECRETS_MAX ||
	    ic->nrules > RELAY_PEER_RULES_MAX ||
	    ic->lim.port_lo == 0 || ic->lim.port_lo > ic->lim.port_hi ||
	    ic->lim.authfail_rate < 1 ||
	    ic->lim.authfail_rate > RELAY_RATE_MAX ||
	    memchr(ic->realm, '\0', sizeof(ic->realm)) == NULL)
		fatalx("parent sent limits out of range");
	for (i = 0; i < ic->nsecrets; i++)
		if (memchr(ic->secrets[i], '\0', sizeof(ic->secrets[i])) ==
		    NULL)
			fatalx("parent sent a bad secret");
	if (!serving || ic->rate != cur.rate || ic->burst != cur.burst ||
	    ic->table_size != cur.table_size ||
	    ic->lim.authfail_rate != cur.lim.authfail_rate) {
		if (serving) {
			relay_rate_free(&rate);
			relay_rate_free(&authfail);
		}
		if (relay_rate_init(&rate, ic->table_size, ic->rate,
		    ic->burst, hkey) == -1 ||
		    relay_rate_init(&authfail, ic->table_size,
		    ic->lim.authfail_rate, ic->lim.authfail_rate, hkey) == -1)
			fatal("rate tables of %u slots", ic->table_size);
		log_info("%u answers/s per source, burst %u, %u slots",
		    ic->rate, ic->burst, ic->table_size);
	}
	cur = *ic;
	turn.lim = ic->lim;
	memcpy(turn.relay_addr, ic->relay_addr, sizeof(turn.relay_addr));
	memcpy(turn.rules, ic->rules, sizeof(turn.rules));
	turn.nrules = ic->nrules;
	turn.unauth = &rate;
	turn.authfail = &authfail;
	sodium_memzero(au->secrets, sizeof(au->secrets));
	for (i = 0; i < ic->nsecrets; i++)
		strlcpy(au->secrets[i], ic->secrets[i],
		    sizeof(au->secrets[i]));
	au->nsecrets = ic->nsecrets;
	strlcpy(au->realm, ic->realm, sizeof(au->realm));
	au->nonce_lifetime = ic->lim.nonce_lifetime;
	sodium_memzero(&cur.secrets, sizeof(cur.secrets));
	if (!serving)
		server_start();
}

static void
server_start(void)
{
	struct timeval	 tv = { SERVER_TICK_S, 0 };
	size_t		 i;

	serving = 1;
	if (tls_cert != NULL || tls_key != NULL) {
		if (tls_cert == NULL || tls_key == NULL)
			fatalx("parent sent half of the TLS material");
		if (stream_tls_setup(tls_cert, tls_key) == -1)
			fatalx("TLS setup failed");
		evbuffer_free(tls_cert);
		evbuffer_free(tls_key);
		tls_cert = tls_key = NULL;
	}
	for (i = 0; i < nsocks; i++) {
		if (socks[i].kind != RELAY_SOCK_UDP) {
			stream_listen(socks[i].fd,
			    socks[i].kind == RELAY_SOCK_TLS);
			continue;
		}
		event_set(&socks[i].ev, socks[i].fd, EV_READ | EV_PERSIST,
		    server_read, &socks[i]);
		evtimer_set(&socks[i].ev_poll, server_read, &socks[i]);
		event_add(&socks[i].ev, NULL);
	}
	evtimer_set(&ev_tick, server_tick, NULL);
	evtimer_add(&ev_tick, &tv);
	log_info("answering STUN Binding and TURN requests on %zu sockets, "
	    "%zu secrets", nsocks, turn.auth.nsecrets);
}

/* Pieces of a PEM file, bounded; the last piece has come at CONF. */
static void
server_pem(struct evbuffer **b, struct imsg *imsg)
{
	size_t	 len = imsg_datalen(imsg);

	if (serving || len == 0 || len > RELAY_TLS_CHUNK)
		fatalx("parent sent a bad TLS piece");
	if (*b == NULL && (*b = evbuffer_new()) == NULL)
		fatal("%s", __func__);
	if (evbuffer_get_length(*b) + len > RELAY_TLS_FILE_MAX ||
	    evbuffer_add(*b, imsg->data, len) == -1)
		fatalx("parent sent too much TLS material");
}

static void
server_dispatch(struct imsgev *iev, struct imsg *imsg)
{
	struct relay_imsg_conf	*ic;
	struct relay_imsg_sock	 is;
	struct relay_imsg_signal isig;
	struct relay_imsg_sigsock iss;
	static const uint32_t	 fd_types[] = {
		IMSG_RELAY_SOCKET, IMSG_RELAY_SIGNAL_SOCKET,
	};

	if (imsg_expect_fd_types(imsg, fd_types,
	    sizeof(fd_types) / sizeof(fd_types[0])) == -1)
		fatalx("parent sent a descriptor with message type %u",
		    imsg->hdr.type);
	switch (imsg->hdr.type) {
	case IMSG_RELAY_SOCKET:
		if (imsg->fd == -1 || serving ||
		    nsocks >= sizeof(socks) / sizeof(socks[0]) ||
		    imsg_get_data(imsg, &is, sizeof(is)) == -1 ||
		    is.kind > RELAY_SOCK_TLS)
			fatalx("parent sent a bad socket");
		socks[nsocks].kind = is.kind;
		socks[nsocks++].fd = imsg->fd;
		imsg->fd = -1;
		break;
	case IMSG_RELAY_TLS_CERT:
		server_pem(&tls_cert, imsg);
		break;
	case IMSG_RELAY_TLS_KEY:
		server_pem(&tls_key, imsg);
		break;
	case IMSG_RELAY_CONF:
		if ((ic = malloc(sizeof(*ic))) == NULL)
			fatal("%s", __func__);
		if (imsg_get_data(imsg, ic, sizeof(*ic)) == -1)
			fatalx("parent sent a bad config");
		server_conf(ic);
		sodium_memzero(ic, sizeof(*ic));
		free(ic);
		break;
	case IMSG_RELAY_SIGNAL:
		if (!serving || cur.index != 0 ||
		    imsg_get_data(imsg, &isig, sizeof(isig)) == -1)
			fatalx("parent sent a bad signal setting");
		presence_start(&isig);
		sodium_memzero(&isig, sizeof(isig));
		break;
	case IMSG_RELAY_SIGNAL_SOCKET:
		if (imsg_get_data(imsg, &iss, sizeof(iss)) == -1 ||
		    memchr(iss.msg, '\0', sizeof(iss.msg)) == NULL ||
		    (imsg->fd == -1) == (iss.error == 0))
			fatalx("parent sent a bad signal socket");
		presence_socket(imsg->fd, &iss);
		imsg->fd = -1;
		break;
	default:
		fatalx("parent sent unknown message type %u", imsg->hdr.type);
	}
}

/* The one message a server sends: server 0's, from presence.c. */
void
server_to_parent(uint32_t type)
{
	if (imsgev_compose(&iev_parent, type, 0, -1, NULL, 0) == -1)
		fatal("imsg to the parent");
}

_Static_assert(RELAY_REFUSALS == TURN_REF_COUNT,
    "the parent gets every kind of refusal");

/* The counts the parent shows on its control socket. */
static void
server_push_stats(void)
{
	struct relay_imsg_stats	 st;
	size_t			 i;

	memset(&st, 0, sizeof(st));
	st.allocs = turn.nallocs;
	st.allocs_made = turn.stats.allocs_made;
	st.streams = stream_count();
	st.relayed_msgs = turn.stats.relayed_msgs;
	st.relayed_bytes = turn.stats.relayed_bytes;
	for (i = 0; i < TURN_REF_COUNT; i++)
		st.refused[i] = turn.stats.refused[i];
	if (imsgev_compose(&iev_parent, IMSG_RELAY_STATS, 0, -1, &st,
	    sizeof(st)) == -1)
		fatal("imsg to the parent");
}

/* Without the parent there is no one to stop or reload us. */
static void
server_parent_closed(struct imsgev *iev)
{
	fatalx("lost the parent process");
}

/* A full send buffer drops the rest, as the network would. */
static void
server_flush(int fd, struct mmsghdr *msgs, int n)
{
	int	 i, sent;

	for (i = 0; i < n; i += sent) {
		if ((sent = sendmmsg(fd, msgs + i, n - i, MSG_DONTWAIT)) <= 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR)
				log_debug("sendmmsg: %s", strerror(errno));
			break;
		}
	}
}

static void
server_msg_set(struct mmsghdr *m, struct iovec *iov, void *buf, size_t len,
    struct sockaddr_storage *name, socklen_t namelen)
{
	iov->iov_base = buf;
	iov->iov_len = len;
	memset(&m->msg_hdr, 0, sizeof(m->msg_hdr));
	m->msg_hdr.msg_name = name;
	m->msg_hdr.msg_namelen = namelen;
	m->msg_hdr.msg_iov = iov;
	m->msg_hdr.msg_iovlen = 1;
}

/*
 * The datagrams point into the receive buffers and name relayed sockets
 * by descriptor: both stay valid only until the next request is
 * handled (a Refresh may close a socket, an Allocate reuse its number),
 * so the queue is flushed before every request and after every batch.
 */
static void
server_queue(int fd, const struct sockaddr *sa, const uint8_t *p, size_t len)
{
	if (nq == SERVER_BATCH)
		server_peer_flush();
	memcpy(&qaddr[nq], sa, sockaddr_len(sa));
	qfd[nq] = fd;
	server_msg_set(&qmsg[nq], &qiov[nq], (void *)p, len, &qaddr[nq],
	    sockaddr_len(sa));
	nq++;
}

/*
 * Datagrams of one size to one peer go out as one UDP GSO send (the
 * kernel cuts them apart: UDP_SEGMENT), the rest as they are.
 * A kernel without GSO refuses the first such send: from then on
 * every datagram goes alone.
 */
static int
server_gso_run(int k, int j)
{
	size_t	 len = qiov[k].iov_len, total = len;
	int	 m;

	/* Runs of datagrams that fit a 1500-byte path unfragmented. */
	if (!gso_ok || len > (qaddr[k].ss_family == AF_INET ?
	    SERVER_GSO_SEG_V4 : SERVER_GSO_SEG_V6))
		return k + 1;
	for (m = k + 1; m < j && m - k < SERVER_GSO_SEGS &&
	    qiov[m].iov_len == len && total + len <= SERVER_GSO_BYTES &&
	    sockaddr_cmp((struct sockaddr *)&qaddr[m],
	    (struct sockaddr *)&qaddr[k]) == 0; m++)
		total += len;
	return m;
}

static void
server_gso_flush(int fd, int i, int j)
{
	struct cmsghdr	*cm;
	int		 k, m, n = 0, sent;

	for (k = i; k < j; k = m) {
		m = server_gso_run(k, j);
		gmsg[n].msg_hdr = qmsg[k].msg_hdr;
		gmsg[n].msg_hdr.msg_iov = &qiov[k];
		gmsg[n].msg_hdr.msg_iovlen = m - k;
		gmsg[n].msg_hdr.msg_control = NULL;
		gmsg[n].msg_hdr.msg_controllen = 0;
		if (m - k > 1) {
			gmsg[n].msg_hdr.msg_control = gctl[n].buf;
			gmsg[n].msg_hdr.msg_controllen = sizeof(gctl[n].buf);
			cm = CMSG_FIRSTHDR(&gmsg[n].msg_hdr);
			cm->cmsg_level = SOL_UDP;
			cm->cmsg_type = UDP_SEGMENT;
			cm->cmsg_len = CMSG_LEN(sizeof(uint16_t));
			*(uint16_t *)CMSG_DATA(cm) = qiov[k].iov_len;
		}
		gfirst[n++] = k;
	}
	for (k = 0; k < n; k += sent) {
		if ((sent = sendmmsg(fd, gmsg + k, n - k, MSG_DONTWAIT)) > 0)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			break;
		/* This message failed: the rest still go. */
		sent = 1;
		if (gmsg[k].msg_hdr.msg_controllen == 0) {
			log_debug("sendmmsg: %s", strerror(errno));
			continue;
		}
		if (errno == EIO || errno == ENOPROTOOPT ||
		    errno == EOPNOTSUPP) {
			log_info("no UDP GSO here (%s): datagrams go one by "
			    "one", strerror(errno));
			gso_ok = 0;
		}
		/* Refused as a run (a path MTU, say): one by one, then. */
		server_flush(fd, qmsg + gfirst[k], gmsg[k].msg_hdr.msg_iovlen);
	}
}

void
server_peer_flush(void)
{
	int	 i, j;

	for (i = 0; i < nq; i = j) {
		for (j = i + 1; j < nq && qfd[j] == qfd[i]; j++)
			;
		server_gso_flush(qfd[i], i, j);
	}
	nq = 0;
}

/* One batch: the number of datagrams read, 0 when the socket is dry. */
static int
server_batch(struct server_sock *s, uint32_t via)
{
	struct turn_client	 c;
	size_t			 alen;
	int			 i, n, nout = 0;

	for (i = 0; i < SERVER_BATCH; i++)
		server_msg_set(&msg_in[i], &iov_in[i], in[i], sizeof(in[i]),
		    &from[i], sizeof(from[i]));
	if ((n = recvmmsg(s->fd, msg_in, SERVER_BATCH, MSG_DONTWAIT,
	    NULL)) == -1) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			log_warn("recvmmsg");
		return 0;
	}
	server_clock();
	memset(&c, 0, sizeof(c));
	c.via = via;
	for (i = 0; i < n; i++) {
		if (msg_in[i].msg_hdr.msg_flags & MSG_TRUNC)
			continue;
		if (turn_is_channel_data(in[i], msg_in[i].msg_len)) {
			memcpy(&c.addr, &from[i], sizeof(c.addr));
			(void)turn_client_msg(&turn, &c, in[i],
			    msg_in[i].msg_len, NULL, 0);
			continue;
		}
		server_peer_flush();
		if ((alen = relay_binding_answer(in[i], msg_in[i].msg_len,
		    (struct sockaddr *)&from[i], out[nout],
		    sizeof(out[nout]))) != 0) {
			if (!relay_rate_allow(&rate,
			    (struct sockaddr *)&from[i], turn.now_ms))
				continue;
		} else {
			memcpy(&c.addr, &from[i], sizeof(c.addr));
			if ((alen = turn_client_msg(&turn, &c, in[i],
			    msg_in[i].msg_len, out[nout],
			    sizeof(out[nout]))) == 0)
				continue;
		}
		server_msg_set(&msg_out[nout], &iov_out[nout], out[nout], alen,
		    &from[i], msg_in[i].msg_hdr.msg_namelen);
		nout++;
	}
	server_peer_flush();
	server_flush(s->fd, msg_out, nout);
	return n;
}

/*
 * A busy listener is read on a timer rather than per datagram, as a
 * NIC moderates its interrupts: datagrams closer together than
 * SERVER_BUSY_US switch it to a read every SERVER_POLL_US, which wakes
 * the process once for many (the parent made its receive buffer large
 * enough to hold them); a read that finds nothing switches back.  It
 * delays a datagram by a millisecond at most, and only while busy.
 */
static void
server_read(int fd, short event, void *arg)
{
	struct server_sock	*s = arg;
	struct timeval		 tv = { 0, SERVER_POLL_US };
	uint64_t		 now_us;
	int			 round, n = 0, total = 0;

	for (round = 0; round < SERVER_ROUNDS; round++) {
		total += n = server_batch(s, (uint32_t)(s - socks));
		if (n < SERVER_BATCH)
			break;
	}
	now_us = monotime_us();
	if (s->polling && total == 0) {
		s->polling = 0;
		event_add(&s->ev, NULL);
		return;
	}
	if (!s->polling && total > 0 && now_us - s->last_us < SERVER_BUSY_US) {
		s->polling = 1;
		event_del(&s->ev);
	}
	s->last_us = now_us;
	/* Every round full: more is waiting, read it at once. */
	if (n == SERVER_BATCH)
		tv.tv_usec = 0;
	if (s->polling)
		evtimer_add(&s->ev_poll, &tv);
}

/* Datagrams from peers, to one allocation's client. */
static void
server_relay_read(int fd, short event, void *arg)
{
	struct server_relay	*sr = arg;
	struct turn_alloc	*a = sr->a;
	struct turn_client	*c = &a->client;
	size_t			 len;
	int			 i, n, nout = 0;

	for (i = 0; i < SERVER_PEER_BATCH; i++)
		server_msg_set(&pmsg_in[i], &piov_in[i], pin[i], sizeof(pin[i]),
		    &pfrom[i], sizeof(pfrom[i]));
	if ((n = recvmmsg(fd, pmsg_in, SERVER_PEER_BATCH, MSG_DONTWAIT,
	    NULL)) <= 0)
		return;
	server_clock();
	for (i = 0; i < n; i++) {
		if (pmsg_in[i].msg_hdr.msg_flags & MSG_TRUNC)
			continue;
		if ((len = turn_peer_msg(&turn, a,
		    (struct sockaddr *)&pfrom[i], pin[i], pmsg_in[i].msg_len,
		    pout[nout], sizeof(pout[nout]))) == 0)
			continue;
		if (c->stream) {
			stream_send(c, pout[nout], len);
			continue;
		}
		server_msg_set(&pmsg_out[nout], &piov_out[nout], pout[nout],
		    len, &c->addr,
		    sockaddr_len((struct sockaddr *)&c->addr));
		nout++;
	}
	if (nout > 0 && c->via < nsocks)
		server_flush(socks[c->via].fd, pmsg_out, nout);
}

static void
server_watch(struct turn_alloc *a, int fi, int on)
{
	struct server_relay	*sr;

	if (!on) {
		if ((sr = a->ev[fi]) != NULL) {
			event_del(&sr->ev);
			free(sr);
			a->ev[fi] = NULL;
		}
		return;
	}
	if ((sr = calloc(1, sizeof(*sr))) == NULL)
		fatal("%s", __func__);
	sr->a = a;
	sr->fi = fi;
	event_set(&sr->ev, a->fd[fi], EV_READ | EV_PERSIST, server_relay_read,
	    sr);
	event_add(&sr->ev, NULL);
	a->ev[fi] = sr;
}

static void
server_tick(int fd, short event, void *arg)
{
	struct timeval		 tv = { SERVER_TICK_S, 0 };

	server_clock();
	turn_expire(&turn);
	stream_tick(turn.now_ms);
	if (++ticks % (SERVER_STATS_S / SERVER_TICK_S) == 0)
		server_log_stats();
	if (ticks % (RELAY_STATS_PUSH_S / SERVER_TICK_S) == 0)
		server_push_stats();
	evtimer_add(&ev_tick, &tv);
}

/* What an operator asks of a relay: how busy, and what it refused. */
void
server_log_stats(void)
{
	struct turn_stats	*st = &turn.stats;
	char			 buf[512];
	size_t			 i, off;
	int			 n;

	off = 0;
	buf[0] = '\0';
	for (i = 0; i < TURN_REF_COUNT; i++) {
		n = snprintf(buf + off, sizeof(buf) - off, " %s %llu",
		    turn_refusal_name(i), (unsigned long long)st->refused[i]);
		if (n < 0 || (size_t)n >= sizeof(buf) - off)
			break;
		off += n;
	}
	log_info("stats: server %u: %zu allocations (%llu made), %zu streams, "
	    "relayed %llu messages, %llu bytes; refused:%s", cur.index,
	    turn.nallocs,
	    (unsigned long long)st->allocs_made, stream_count(),
	    (unsigned long long)st->relayed_msgs,
	    (unsigned long long)st->relayed_bytes, buf);
}

/* Before the drop: the TLS library's configuration files, our signals. */
static void
server_open(void)
{
	if (tls_init() == -1)
		fatalx("tls_init");
	signal_set(&ev_sigterm, SIGTERM, server_sig, NULL);
	signal_add(&ev_sigterm, NULL);
	signal_set(&ev_sigusr1, SIGUSR1, server_sig, NULL);
	signal_add(&ev_sigusr1, NULL);
	turn_init(&turn, &server_ops);
	randombytes_buf(turn.auth.nonce_key, sizeof(turn.auth.nonce_key));
	stream_init();
}

__attribute__((noreturn)) void
relay_server_main(const char *chrootdir, const char *user, int debug,
    int verbose)
{
	proc_child_enter("server", user, chrootdir, SANDBOX_RELAY,
	    server_open, debug, verbose);
	randombytes_buf(hkey, sizeof(hkey));
	imsgev_init(&iev_parent, PROC_PARENT_FD, server_dispatch,
	    server_parent_closed, NULL);
	event_dispatch();
	fatalx("event loop ended");
}
