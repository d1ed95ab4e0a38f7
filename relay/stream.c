/*
 * server (unprivileged): TURN over TCP and over TLS (RFC 8656 3.1,
 * framing of section 12.5), for networks where only TCP, or only
 * TCP/443, gets out.  A stream carries one client; its allocation ends
 * with it.  What a remote can make us hold is bounded: streams in all
 * and per source, input to one frame, output queue, time to finish the
 * TLS handshake, and time without an allocation, counted from the
 * accept or the allocation's end whatever the stream sends.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/queue.h>
#include <sys/tree.h>
#include <errno.h>
#include <event.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tls.h>

#include "addr.h"
#include "log.h"
#include "relay/server.h"
#include "turnframe.h"

/* A whole frame: STUN header and 64 KiB, or ChannelData padded. */
#define STREAM_IN_MAX		(STUN_HDR_LEN + 65535 + TURN_CD_HDR_LEN)
#define STREAM_OUT_MAX		(1024 * 1024)	/* queued to a slow reader */
#define STREAM_READ_MAX		16384		/* one read */
#define STREAM_HANDSHAKE_MS	10000		/* TLS handshake done by */
#define STREAM_IDLE_MS		30000		/* without an allocation */
#define STREAM_ANSWER_MAX	1024		/* any TURN answer we build */

struct stream {
	RB_ENTRY(stream)	 entry;
	struct turn_client	 client;	/* via: the stream's id */
	int			 fd;
	struct tls		*tls;		/* NULL: plain TCP */
	int			 handshaken;
	struct event		 ev_read;
	struct event		 ev_write;
	struct event		 ev_close;	/* a deferred close */
	int			 dead;
	struct evbuffer		*in;
	struct evbuffer		*out;
	uint64_t		 since_ms;
	uint64_t		 alloc_ms;	/* last seen with an allocation */
};
RB_HEAD(stream_tree, stream);

struct stream_listener {
	SLIST_ENTRY(stream_listener) entry;
	struct event		 ev;
	int			 tls;
};
SLIST_HEAD(stream_listeners, stream_listener);

static struct stream_tree	 streams = RB_INITIALIZER(&streams);
static struct stream_listeners	 listeners = SLIST_HEAD_INITIALIZER(listeners);
static int			 accept_paused;
static size_t			 nstreams;
static uint32_t			 next_id = 1;
static struct tls		*tls_ctx;
static struct tls_config	*tls_cfg;
static uint8_t			 rbuf[STREAM_READ_MAX];

static int	 stream_cmp(struct stream *, struct stream *);
RB_PROTOTYPE_STATIC(stream_tree, stream, entry, stream_cmp)

static void	 stream_accept(int, short, void *);
static void	 stream_accept_pause(int);
static void	 stream_close(struct stream *, const char *);
static void	 stream_readable(int, short, void *);
static void	 stream_writable(int, short, void *);
static int	 stream_flush(struct stream *);
static int	 stream_frames(struct stream *);
static int	 stream_handshake(struct stream *);
static int	 stream_tls_want(struct stream *, ssize_t);
static void	 stream_close_later(int, short, void *);

RB_GENERATE_STATIC(stream_tree, stream, entry, stream_cmp)

static int
stream_cmp(struct stream *a, struct stream *b)
{
	return a->client.via < b->client.via ? -1 :
	    a->client.via > b->client.via;
}

void
stream_init(void)
{
	RB_INIT(&streams);
}

size_t
stream_count(void)
{
	return nstreams;
}

/* Certificate and key from the parent's memory: no file is opened. */
int
stream_tls_setup(struct evbuffer *cert, struct evbuffer *key)
{
	size_t	 clen = evbuffer_get_length(cert);
	size_t	 klen = evbuffer_get_length(key);
	int	 rv = -1;

	if ((tls_cfg = tls_config_new()) == NULL ||
	    (tls_ctx = tls_server()) == NULL) {
		log_warnx("TLS: out of memory");
		return -1;
	}
	if (tls_config_set_keypair_mem(tls_cfg, evbuffer_pullup(cert, clen),
	    clen, evbuffer_pullup(key, klen), klen) == -1)
		log_warnx("TLS certificate or key: %s",
		    tls_config_error(tls_cfg));
	else if (tls_configure(tls_ctx, tls_cfg) == -1)
		log_warnx("TLS: %s", tls_error(tls_ctx));
	else
		rv = 0;
	explicit_bzero(evbuffer_pullup(key, klen), klen);
	tls_config_clear_keys(tls_cfg);
	return rv;
}

void
stream_listen(int fd, int tls)
{
	struct stream_listener	*l;

	if (tls && tls_ctx == NULL)
		fatalx("a TLS listener without a certificate");
	if ((l = calloc(1, sizeof(*l))) == NULL)
		fatal("%s", __func__);
	l->tls = tls;
	event_set(&l->ev, fd, EV_READ | EV_PERSIST, stream_accept, l);
	event_add(&l->ev, NULL);
	SLIST_INSERT_HEAD(&listeners, l, entry);
}

/*
 * Out of descriptors or memory, accept fails and leaves the connection
 * pending, so the listener stays readable: the listeners rest until the
 * next tick, or the loop would spin and log without end.
 */
static void
stream_accept_pause(int error)
{
	struct stream_listener	*l;

	log_warnx("accept: %s: not accepting for a second, %zu streams",
	    strerror(error), nstreams);
	SLIST_FOREACH(l, &listeners, entry)
		event_del(&l->ev);
	accept_paused = 1;
}

static void
stream_accept(int lfd, short event, void *arg)
{
	struct stream_listener	*l = arg;
	struct turn_server	*turn = server_turn();
	struct sockaddr_storage	 ss;
	struct stream		*s, *t;
	socklen_t		 len = sizeof(ss);
	size_t			 same = 0;
	int			 fd;

	if ((fd = accept4(lfd, (struct sockaddr *)&ss, &len,
	    SOCK_NONBLOCK | SOCK_CLOEXEC)) == -1) {
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
		    errno == ENOMEM)
			stream_accept_pause(errno);
		else if (errno != EAGAIN && errno != EINTR &&
		    errno != ECONNABORTED)
			log_warn("accept");
		return;
	}
	server_clock();
	RB_FOREACH(t, stream_tree, &streams)
		if (sockaddr_same_source((struct sockaddr *)&t->client.addr,
		    (struct sockaddr *)&ss))
			same++;
	if (nstreams >= turn->lim.allocs || same >= turn->lim.allocs_src) {
		turn_refused(turn, TURN_REF_CAPACITY, &ss,
		    same >= turn->lim.allocs_src ?
		    "TCP or TLS connections of the source" :
		    "TCP and TLS connections of the server");
		close(fd);
		return;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->in = evbuffer_new()) == NULL ||
	    (s->out = evbuffer_new()) == NULL)
		fatal("%s", __func__);
	s->fd = fd;
	s->client.stream = 1;
	s->client.via = next_id++;
	memcpy(&s->client.addr, &ss, sizeof(ss));
	s->since_ms = s->alloc_ms = turn->now_ms;
	if (l->tls && tls_accept_socket(tls_ctx, &s->tls, fd) == -1) {
		log_warnx("tls_accept_socket: %s", tls_error(tls_ctx));
		evbuffer_free(s->in);
		evbuffer_free(s->out);
		close(fd);
		free(s);
		return;
	}
	s->handshaken = !l->tls;
	RB_INSERT(stream_tree, &streams, s);
	nstreams++;
	event_set(&s->ev_read, fd, EV_READ | EV_PERSIST, stream_readable, s);
	event_set(&s->ev_write, fd, EV_WRITE, stream_writable, s);
	evtimer_set(&s->ev_close, stream_close_later, s);
	event_add(&s->ev_read, NULL);
}

static void
stream_close(struct stream *s, const char *why)
{
	char	 buf[ADDR_STRLEN];

	log_debug("stream from %s closed: %s", sockaddr_str(
	    (struct sockaddr *)&s->client.addr, buf, sizeof(buf)), why);
	turn_stream_closed(server_turn(), &s->client);
	event_del(&s->ev_read);
	event_del(&s->ev_write);
	event_del(&s->ev_close);
	if (s->tls != NULL) {
		/* Best effort: a close_notify if the socket takes it now. */
		(void)tls_close(s->tls);
		tls_free(s->tls);
	}
	close(s->fd);
	evbuffer_free(s->in);
	evbuffer_free(s->out);
	RB_REMOVE(stream_tree, &streams, s);
	nstreams--;
	free(s);
}

/* TLS wants the other direction: wait for it.  -1 for a real error. */
static int
stream_tls_want(struct stream *s, ssize_t r)
{
	if (r == TLS_WANT_POLLOUT) {
		event_add(&s->ev_write, NULL);
		return 0;
	}
	if (r == TLS_WANT_POLLIN)
		return 0;
	return -1;
}

static int
stream_handshake(struct stream *s)
{
	int	 r;

	if ((r = tls_handshake(s->tls)) == 0) {
		s->handshaken = 1;
		return 0;
	}
	if (stream_tls_want(s, r) == 0)
		return 0;
	return -1;
}

/* 0, or -1 when the stream must close. */
static int
stream_flush(struct stream *s)
{
	size_t	 len;
	ssize_t	 r;

	while ((len = evbuffer_get_length(s->out)) > 0) {
		if (s->tls != NULL)
			r = tls_write(s->tls, evbuffer_pullup(s->out, len), len);
		else
			r = write(s->fd, evbuffer_pullup(s->out, len), len);
		if (r > 0) {
			evbuffer_drain(s->out, r);
			continue;
		}
		if (s->tls != NULL)
			return stream_tls_want(s, r);
		if (r == -1 && (errno == EAGAIN || errno == EINTR)) {
			event_add(&s->ev_write, NULL);
			return 0;
		}
		return -1;
	}
	return 0;
}

/* Every whole frame in the input; -1 when the stream must close. */
static int
stream_frames(struct stream *s)
{
	struct turn_server	*turn = server_turn();
	uint8_t			 answer[STREAM_ANSWER_MAX];
	uint8_t			*p;
	size_t			 len, alen;
	ssize_t			 n;

	while ((len = evbuffer_get_length(s->in)) > 0) {
		p = evbuffer_pullup(s->in, len);
		if ((n = turnframe_len(p, len)) == -1)
			return -1;
		if (n == 0)
			break;
		if ((alen = relay_binding_answer(p, n,
		    (struct sockaddr *)&s->client.addr, answer,
		    sizeof(answer))) == 0)
			alen = turn_client_msg(turn, &s->client, p, n, answer,
			    sizeof(answer));
		/* The queue points into the input: send before draining it. */
		server_peer_flush();
		evbuffer_drain(s->in, n);
		if (alen > 0 && evbuffer_get_length(s->out) + alen <=
		    STREAM_OUT_MAX && evbuffer_add(s->out, answer, alen) == -1)
			return -1;
	}
	return stream_flush(s);
}

static void
stream_readable(int fd, short event, void *arg)
{
	struct stream	*s = arg;
	ssize_t		 r;

	server_clock();
	if (!s->handshaken) {
		if (stream_handshake(s) == -1) {
			stream_close(s, "TLS handshake failed");
			return;
		}
		if (!s->handshaken)
			return;
	}
	for (;;) {
		if (s->tls != NULL)
			r = tls_read(s->tls, rbuf, sizeof(rbuf));
		else
			r = read(fd, rbuf, sizeof(rbuf));
		if (r == 0) {
			stream_close(s, "closed by the client");
			return;
		}
		if (r < 0) {
			if (s->tls != NULL ? stream_tls_want(s, r) == 0 :
			    (errno == EAGAIN || errno == EINTR))
				break;
			stream_close(s, "read error");
			return;
		}
		if (evbuffer_get_length(s->in) + r > STREAM_IN_MAX ||
		    evbuffer_add(s->in, rbuf, r) == -1) {
			stream_close(s, "frame too long");
			return;
		}
		if (stream_frames(s) == -1) {
			stream_close(s, "not TURN framing");
			return;
		}
	}
	/* A TLS write that wanted to read first goes on now. */
	if (evbuffer_get_length(s->out) > 0 && stream_flush(s) == -1)
		stream_close(s, "write error");
}

static void
stream_writable(int fd, short event, void *arg)
{
	struct stream	*s = arg;

	server_clock();
	if (!s->handshaken) {
		if (stream_handshake(s) == -1)
			stream_close(s, "TLS handshake failed");
		return;
	}
	if (stream_flush(s) == -1)
		stream_close(s, "write error");
}

static void
stream_close_later(int fd, short event, void *arg)
{
	stream_close(arg, "write error");
}

/*
 * A peer's datagram for a stream client; dropped if the queue is full.
 * The caller holds the allocation: a failed stream closes after it.
 */
void
stream_send(const struct turn_client *c, const uint8_t *p, size_t len)
{
	struct timeval	 now = { 0, 0 };
	struct stream	 key, *s;

	key.client.via = c->via;
	if ((s = RB_FIND(stream_tree, &streams, &key)) == NULL ||
	    !s->handshaken || s->dead)
		return;
	if (evbuffer_get_length(s->out) + len > STREAM_OUT_MAX) {
		server_turn()->stats.refused[TURN_REF_BANDWIDTH]++;
		return;
	}
	if (evbuffer_add(s->out, p, len) == -1 || stream_flush(s) == -1) {
		s->dead = 1;
		event_del(&s->ev_read);
		event_del(&s->ev_write);
		evtimer_add(&s->ev_close, &now);
	}
}

void
stream_tick(uint64_t now_ms)
{
	struct turn_server	*turn = server_turn();
	struct stream_listener	*l;
	struct stream		*s, *next;

	if (accept_paused) {
		SLIST_FOREACH(l, &listeners, entry)
			event_add(&l->ev, NULL);
		accept_paused = 0;
	}
	RB_FOREACH_SAFE(s, stream_tree, &streams, next) {
		if (!s->handshaken &&
		    now_ms - s->since_ms > STREAM_HANDSHAKE_MS) {
			stream_close(s, "TLS handshake timed out");
			continue;
		}
		/* Frames do not count: unauthenticated ones are free. */
		if (turn_has_alloc(turn, &s->client))
			s->alloc_ms = now_ms;
		else if (now_ms - s->alloc_ms > STREAM_IDLE_MS)
			stream_close(s, "idle without an allocation");
	}
}
