/*
 * A sandboxed client's connection to tern-signal (see sigconn.h): the
 * engine of ternd and the first server process of tern-relay.
 */
#include <sys/socket.h>
#include <errno.h>
#include <event.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "log.h"
#include "sigconn.h"

#define SIGCONN_CHUNK		65536	/* bytes per read(2) and write(2) */
#define SIGCONN_OUTQ_MAX	(4 * 1024 * 1024) /* our own output bound */
#define SIGCONN_MS_PER_S	1000
#define SIGCONN_US_PER_MS	1000

static void	 sigconn_set_state(struct sigconn *, enum sigconn_state);
static void	 sigconn_request(struct sigconn *);
static void	 sigconn_close(struct sigconn *);
static uint32_t	 sigconn_next_delay(struct sigconn *);
static void	 sigconn_arm(struct sigconn *, int);
static void	 sigconn_timer(int, short, void *);
static int	 sigconn_flush(struct sigconn *);
static void	 sigconn_writable(int, short, void *);
static void	 sigconn_readable(int, short, void *);
static int	 sigconn_message(struct sigconn *, const uint8_t *, size_t);

static void
sigconn_set_state(struct sigconn *sc, enum sigconn_state st)
{
	if (sc->state != st)
		sc->since = time(NULL);
	sc->state = st;
}

void
sigconn_init(struct sigconn *sc, const struct sigconn_ops *ops, void *arg)
{
	memset(sc, 0, sizeof(*sc));
	sc->ops = ops;
	sc->arg = arg;
	sc->fd = -1;
	evtimer_set(&sc->ev_timer, sigconn_timer, sc);
	if ((sc->in = evbuffer_new()) == NULL ||
	    (sc->out = evbuffer_new()) == NULL)
		fatal("evbuffer");
	sc->backoff_ms = SIGCONN_BACKOFF_MIN_MS;
	sigconn_set_state(sc, SIGCONN_DOWN);
}

/* The server and the keys are known: the first attempt goes out now. */
void
sigconn_start(struct sigconn *sc, const char *host, const uint8_t priv[KEY_LEN],
    const uint8_t server[KEY_LEN])
{
	strlcpy(sc->host, host, sizeof(sc->host));
	memcpy(sc->priv, priv, KEY_LEN);
	memcpy(sc->server, server, KEY_LEN);
	sigconn_request(sc);
}

static void
sigconn_request(struct sigconn *sc)
{
	if (sc->state != SIGCONN_DOWN || sc->fd != -1 || sc->waiting)
		return;
	log_info("signal: connecting to %s", sc->host);
	sc->waiting = 1;
	sc->ops->want_socket(sc);
}

static void
sigconn_close(struct sigconn *sc)
{
	if (sc->fd != -1) {
		event_del(&sc->ev_read);
		event_del(&sc->ev_write);
		close(sc->fd);
		sc->fd = -1;
	}
	evbuffer_drain(sc->in, evbuffer_get_length(sc->in));
	evbuffer_drain(sc->out, evbuffer_get_length(sc->out));
	sigchan_clear(&sc->ch);
}

/* Equal jitter: half the backoff fixed, half random. */
static uint32_t
sigconn_next_delay(struct sigconn *sc)
{
	uint32_t	 d = sc->backoff_ms;

	sc->backoff_ms = sc->backoff_ms >= SIGCONN_BACKOFF_MAX_MS / 2 ?
	    SIGCONN_BACKOFF_MAX_MS : sc->backoff_ms * 2;
	return d / 2 + randombytes_uniform(d / 2 + 1);
}

void
sigconn_fail(struct sigconn *sc, const char *fmt, ...)
{
	struct timeval	 tv;
	va_list		 ap;
	uint32_t	 ms;

	va_start(ap, fmt);
	vsnprintf(sc->error, sizeof(sc->error), fmt, ap);
	va_end(ap);
	sigconn_close(sc);
	sc->server_error = 0;
	sigconn_set_state(sc, SIGCONN_DOWN);
	ms = sigconn_next_delay(sc);
	log_warnx("signal: %s; retrying in %u.%03u s", sc->error,
	    ms / SIGCONN_MS_PER_S, ms % SIGCONN_MS_PER_S);
	tv.tv_sec = ms / SIGCONN_MS_PER_S;
	tv.tv_usec = (ms % SIGCONN_MS_PER_S) * SIGCONN_US_PER_MS;
	evtimer_add(&sc->ev_timer, &tv);
}

static void
sigconn_arm(struct sigconn *sc, int secs)
{
	struct timeval	 tv = { secs, 0 };

	evtimer_add(&sc->ev_timer, &tv);
}

static void
sigconn_timer(int fd, short event, void *arg)
{
	struct sigconn	*sc = arg;
	struct sigmsg	 m;
	time_t		 now = time(NULL);

	switch (sc->state) {
	case SIGCONN_DOWN:
		sigconn_request(sc);
		return;
	case SIGCONN_CONNECTING:
		if (now >= sc->deadline) {
			sigconn_fail(sc, "no answer from %s within %d s",
			    sc->host, SIGCONN_CONNECT_TIMEOUT);
			return;
		}
		break;
	case SIGCONN_UP:
		if (now - sc->last_rx >= SIGCONN_DEAD_AFTER) {
			sigconn_fail(sc, "nothing from the server for %lld s",
			    (long long)(now - sc->last_rx));
			return;
		}
		if (now - sc->last_ping >= SIGCONN_PING_INTERVAL) {
			memset(&m, 0, sizeof(m));
			m.type = SIGMSG_PING;
			m.u.seq = ++sc->ping_seq;
			sc->last_ping = now;
			if (sigconn_send(sc, &m) == -1)
				return;
		}
		break;
	}
	sigconn_arm(sc, 1);
}

/* The parent's answer: a socket whose connect is under way, or why not. */
void
sigconn_socket(struct sigconn *sc, int fd, const char *err)
{
	if (sc->state != SIGCONN_DOWN || sc->fd != -1 || !sc->waiting) {
		if (fd != -1)
			close(fd);
		return;
	}
	sc->waiting = 0;
	if (fd == -1) {
		sigconn_fail(sc, "%s", err);
		return;
	}
	sc->fd = fd;
	sigconn_set_state(sc, SIGCONN_CONNECTING);
	sc->deadline = time(NULL) + SIGCONN_CONNECT_TIMEOUT;
	event_set(&sc->ev_read, fd, EV_READ | EV_PERSIST, sigconn_readable,
	    sc);
	event_set(&sc->ev_write, fd, EV_WRITE, sigconn_writable, sc);
	event_add(&sc->ev_write, NULL);
	sigconn_arm(sc, 1);
}

static int
sigconn_flush(struct sigconn *sc)
{
	size_t		 len;
	ssize_t		 n;
	unsigned char	*p;

	while ((len = evbuffer_get_length(sc->out)) > 0) {
		if (len > SIGCONN_CHUNK)
			len = SIGCONN_CHUNK;
		p = evbuffer_pullup(sc->out, len);
		if ((n = write(sc->fd, p, len)) == -1) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			sigconn_fail(sc, "write to %s: %s", sc->host,
			    strerror(errno));
			return -1;
		}
		evbuffer_drain(sc->out, n);
	}
	if (evbuffer_get_length(sc->out) > 0)
		event_add(&sc->ev_write, NULL);
	return 0;
}

/* -1 if the handshake is not done or the connection failed. */
int
sigconn_send(struct sigconn *sc, const struct sigmsg *m)
{
	char	*json;
	size_t	 len;
	int	 rv;

	if (sc->ch.state != SIGCHAN_OPEN)
		return -1;
	if ((json = sigmsg_encode(m, &len)) == NULL) {
		log_warnx("signal: cannot encode a %s message",
		    sigmsg_type_name(m->type));
		return -1;
	}
	if (evbuffer_get_length(sc->out) + len > SIGCONN_OUTQ_MAX) {
		free(json);
		sigconn_fail(sc, "output queue to %s full", sc->host);
		return -1;
	}
	rv = sigchan_write(&sc->ch, json, len, sc->out);
	free(json);
	if (rv == -1) {
		sigconn_fail(sc, "channel to %s failed", sc->host);
		return -1;
	}
	return sigconn_flush(sc);
}

static void
sigconn_writable(int fd, short event, void *arg)
{
	struct sigconn	*sc = arg;
	socklen_t	 sl = sizeof(int);
	uint8_t		 ts[SIGCHAN_TS_LEN];
	int		 err = 0;

	/* No handshake under way yet: the TCP connect just finished. */
	if (sc->state == SIGCONN_CONNECTING && sc->ch.state != SIGCHAN_OPEN &&
	    sc->ch.state != SIGCHAN_HS_WAIT) {
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &sl) == -1)
			err = errno;
		if (err != 0) {
			sigconn_fail(sc, "connect to %s: %s", sc->host,
			    strerror(err));
			return;
		}
		/* The timestamp tells tern-signal this is no replay. */
		sigchan_now(ts);
		if (sigchan_init_initiator(&sc->ch, sc->priv, sc->server, ts,
		    FRAME_MAX, SIGMSG_MAX, sc->out) == -1) {
			sigconn_fail(sc, "handshake could not start");
			return;
		}
		event_add(&sc->ev_read, NULL);
	}
	(void)sigconn_flush(sc);
}

/* What the caller waited for came: the connection is up. */
void
sigconn_up(struct sigconn *sc)
{
	sigconn_set_state(sc, SIGCONN_UP);
	sc->backoff_ms = SIGCONN_BACKOFF_MIN_MS;
	sc->error[0] = '\0';
	sc->server_error = 0;
}

/* An error about the connection: the reason if the server then closes. */
void
sigconn_server_error(struct sigconn *sc, const struct sigmsg_error *e)
{
	/* A long message is cut: it is for people. */
	if (snprintf(sc->error, sizeof(sc->error), "server: %s: %s", e->code,
	    e->message) < 0)
		sc->error[0] = '\0';
	sc->server_error = 1;
	log_warnx("signal: %s", sc->error);
}

/* -1 if the connection failed. */
static int
sigconn_message(struct sigconn *sc, const uint8_t *buf, size_t len)
{
	struct sigmsg	 m, r;
	enum sigmsg_type type;
	char		 err[SIGCONN_ERR_MAX];

	if (sigmsg_parse((const char *)buf, len, &m, err, sizeof(err)) ==
	    -1) {
		sigconn_fail(sc, "bad message from the server: %s", err);
		return -1;
	}
	switch (m.type) {
	case SIGMSG_PING:
		memset(&r, 0, sizeof(r));
		r.type = SIGMSG_PONG;
		r.u.seq = m.u.seq;
		(void)sigconn_send(sc, &r);
		break;
	case SIGMSG_PONG:
		break;
	default:
		sc->ops->dispatch(sc, &m);
		break;
	}
	type = m.type;
	sigmsg_free(&m);
	/*
	 * A large netmap's text, parse tree and peer array are freed now;
	 * glibc keeps such memory in the heap unless asked to give it back.
	 */
	if (type == SIGMSG_NETMAP)
		malloc_trim(0);
	/* A handler may have failed the connection. */
	return sc->fd == -1 ? -1 : 0;
}

static void
sigconn_readable(int fd, short event, void *arg)
{
	static uint8_t	 buf[SIGCONN_CHUNK];
	struct sigconn	*sc = arg;
	struct sigmsg	 m;
	const uint8_t	*msg;
	char		 err[SIGCONN_ERR_MAX], why[SIGCONN_ERR_MAX];
	size_t		 len;
	ssize_t		 n;
	int		 r;

	if ((n = read(fd, buf, sizeof(buf))) == -1) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		sigconn_fail(sc, "read from %s: %s", sc->host,
		    strerror(errno));
		return;
	}
	if (n == 0) {
		/* What the server said before closing is the better reason. */
		if (sc->server_error) {
			strlcpy(why, sc->error, sizeof(why));
			sigconn_fail(sc, "%s", why);
		} else if (sc->ch.state == SIGCHAN_HS_WAIT)
			sigconn_fail(sc, "%s closed the connection without "
			    "answering the handshake: our key unknown to it, "
			    "our clock behind, or another protocol version",
			    sc->host);
		else
			sigconn_fail(sc, "%s closed the connection",
			    sc->host);
		return;
	}
	if (evbuffer_add(sc->in, buf, n) == -1) {
		sigconn_fail(sc, "out of memory");
		return;
	}
	sc->last_rx = time(NULL);
	while ((r = sigchan_read(&sc->ch, sc->in, &msg, &len, err,
	    sizeof(err))) > 0) {
		if (r == 2) {
			memset(&m, 0, sizeof(m));
			m.type = SIGMSG_HELLO;
			m.u.hello.version = SIGMSG_PROTO;
			sc->ops->hello(sc, &m);
			if (sigconn_send(sc, &m) == -1)
				return;
			continue;
		}
		if (sigconn_message(sc, msg, len) == -1)
			return;
	}
	if (r == -1)
		sigconn_fail(sc, "%s", err);
}
