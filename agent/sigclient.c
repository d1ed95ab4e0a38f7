/*
 * engine: the connection to tern-signal.  The parent opens the TCP
 * socket (the sandbox has no connect); the engine runs the Noise
 * handshake with the node key, keeps the connection alive with pings,
 * and reconnects with exponential backoff and jitter.  The last netmap
 * and the tunnels stay while it is down.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "addr.h"
#include "config.h"
#include "engine.h"
#include "log.h"
#include "relaymgr.h"
#include "sigchan.h"
#include "sigmsg.h"

#define SIG_BACKOFF_MIN_MS	1000	/* first retry after about 1 s */
#define SIG_BACKOFF_MAX_MS	30000	/* issue 3: capped at 30 s */
#define SIG_CONNECT_TIMEOUT	10	/* seconds for TCP and handshake */
#define SIG_PING_INTERVAL	15	/* tern-signal closes after 60 s idle */
#define SIG_DEAD_AFTER		45	/* three pings unanswered */
#define SIG_READ_CHUNK		65536	/* bytes per read(2) */
#define SIG_V4MAPPED_OFF	12	/* IPv4 bytes in a v4-mapped address */
#define SIG_V4_LOOPBACK_NET	127	/* 127/8 */
#define SIG_OUTQ_MAX		(4 * 1024 * 1024) /* our own output bound */

struct sigclient {
	enum sig_state		 state;
	int			 fd;
	struct event		 ev_read;
	struct event		 ev_write;
	struct event		 ev_timer;
	struct evbuffer		*in;
	struct evbuffer		*out;
	struct sigchan		 ch;
	uint32_t		 backoff_ms;
	time_t			 since;
	time_t			 deadline;	/* connect/handshake deadline */
	time_t			 last_rx;
	time_t			 last_ping;
	uint32_t		 ping_seq;
	char			 error[CTL_MSG_MAX];
	int			 server_error;	/* error holds the server's */
};

static struct sigclient	 sig;

static void	 sig_fail(const char *, ...)
		    __attribute__((__format__ (printf, 1, 2)));
static void	 sig_arm(int);
static void	 sig_timer(int, short, void *);
static void	 sig_readable(int, short, void *);
static void	 sig_writable(int, short, void *);

static void
sig_set_state(enum sig_state st)
{
	if (sig.state != st)
		sig.since = time(NULL);
	sig.state = st;
}

void
sig_init(void)
{
	memset(&sig, 0, sizeof(sig));
	sig.fd = -1;
	evtimer_set(&sig.ev_timer, sig_timer, NULL);
	if (!engine->conf.has_signal) {
		sig.state = SIG_NONE;
		return;
	}
	if ((sig.in = evbuffer_new()) == NULL ||
	    (sig.out = evbuffer_new()) == NULL)
		fatal("evbuffer");
	sig.backoff_ms = SIG_BACKOFF_MIN_MS;
	sig_set_state(SIG_DISCONNECTED);
	/* The node key comes after the config; connect once both are in. */
}

/* The node key arrived: the first attempt goes out at once. */
void
sig_start(void)
{
	if (sig.state != SIG_DISCONNECTED || sig.fd != -1)
		return;
	log_info("signal: connecting to %s", engine->conf.signal_host);
	engine_to_parent(IMSG_SIGNAL_CONNECT, 0, NULL, 0);
}

static void
sig_close(void)
{
	if (sig.fd != -1) {
		event_del(&sig.ev_read);
		event_del(&sig.ev_write);
		close(sig.fd);
		sig.fd = -1;
	}
	evbuffer_drain(sig.in, evbuffer_get_length(sig.in));
	evbuffer_drain(sig.out, evbuffer_get_length(sig.out));
	sigchan_clear(&sig.ch);
}

/* The handshake is done: messages can go out. */
static int
sig_open(void)
{
	return sig.ch.state == SIGCHAN_OPEN;
}

/* Equal jitter: half the backoff fixed, half random. */
static uint32_t
sig_next_delay(void)
{
	uint32_t	 d = sig.backoff_ms;

	sig.backoff_ms = sig.backoff_ms >= SIG_BACKOFF_MAX_MS / 2 ?
	    SIG_BACKOFF_MAX_MS : sig.backoff_ms * 2;
	return d / 2 + randombytes_uniform(d / 2 + 1);
}

static void
sig_fail(const char *fmt, ...)
{
	struct timeval	 tv;
	va_list		 ap;
	uint32_t	 ms;

	va_start(ap, fmt);
	vsnprintf(sig.error, sizeof(sig.error), fmt, ap);
	va_end(ap);
	sig_close();
	sig.server_error = 0;
	sig_set_state(SIG_DISCONNECTED);
	ms = sig_next_delay();
	log_warnx("signal: %s; retrying in %u.%03u s", sig.error, ms / 1000,
	    ms % 1000);
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(&sig.ev_timer, &tv);
}

static void
sig_timer(int fd, short event, void *arg)
{
	time_t	 now = time(NULL);

	switch (sig.state) {
	case SIG_NONE:
		return;
	case SIG_DISCONNECTED:
		sig_start();
		return;
	case SIG_CONNECTING:
		if (now >= sig.deadline) {
			sig_fail("no answer from %s within %d s",
			    engine->conf.signal_host, SIG_CONNECT_TIMEOUT);
			return;
		}
		break;
	case SIG_CONNECTED:
		if (now - sig.last_rx >= SIG_DEAD_AFTER) {
			sig_fail("nothing from the server for %lld s",
			    (long long)(now - sig.last_rx));
			return;
		}
		if (now - sig.last_ping >= SIG_PING_INTERVAL) {
			struct sigmsg	 m;

			memset(&m, 0, sizeof(m));
			m.type = SIGMSG_PING;
			m.u.seq = ++sig.ping_seq;
			sig.last_ping = now;
			if (sig_send(&m) == -1)
				return;
		}
		break;
	}
	sig_arm(1);
}

static void
sig_arm(int secs)
{
	struct timeval	 tv = { secs, 0 };

	evtimer_add(&sig.ev_timer, &tv);
}

/* The parent's answer to IMSG_SIGNAL_CONNECT. */
void
sig_socket(int fd, const struct imsg_signal_sock *ss)
{
	if (sig.state != SIG_DISCONNECTED || sig.fd != -1) {
		if (fd != -1)
			close(fd);
		return;
	}
	if (fd == -1) {
		sig_fail("%s", ss->msg);
		return;
	}
	sig.fd = fd;
	sig_set_state(SIG_CONNECTING);
	sig.deadline = time(NULL) + SIG_CONNECT_TIMEOUT;
	event_set(&sig.ev_read, fd, EV_READ | EV_PERSIST, sig_readable, NULL);
	event_set(&sig.ev_write, fd, EV_WRITE, sig_writable, NULL);
	event_add(&sig.ev_write, NULL);
	sig_arm(1);
}

static int
sig_flush(void)
{
	size_t		 len;
	ssize_t		 n;
	unsigned char	*p;

	while ((len = evbuffer_get_length(sig.out)) > 0) {
		if (len > SIG_READ_CHUNK)
			len = SIG_READ_CHUNK;
		p = evbuffer_pullup(sig.out, len);
		if ((n = write(sig.fd, p, len)) == -1) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			sig_fail("write to %s: %s", engine->conf.signal_host,
			    strerror(errno));
			return -1;
		}
		evbuffer_drain(sig.out, n);
	}
	if (evbuffer_get_length(sig.out) > 0)
		event_add(&sig.ev_write, NULL);
	return 0;
}

int
sig_send(const struct sigmsg *m)
{
	char	*json;
	size_t	 len;
	int	 rv;

	if (!sig_open())
		return -1;
	if ((json = sigmsg_encode(m, &len)) == NULL) {
		log_warnx("signal: cannot encode a %s message",
		    sigmsg_type_name(m->type));
		return -1;
	}
	if (evbuffer_get_length(sig.out) + len > SIG_OUTQ_MAX) {
		free(json);
		sig_fail("output queue to %s full", engine->conf.signal_host);
		return -1;
	}
	rv = sigchan_write(&sig.ch, json, len, sig.out);
	free(json);
	if (rv == -1) {
		sig_fail("channel to %s failed", engine->conf.signal_host);
		return -1;
	}
	return sig_flush();
}

static void
sig_writable(int fd, short event, void *arg)
{
	socklen_t	 sl = sizeof(int);
	int		 err = 0;

	/* No handshake under way yet: the TCP connect just finished. */
	if (sig.state == SIG_CONNECTING && !sig_open() &&
	    sig.ch.state != SIGCHAN_HS_WAIT) {
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &sl) == -1)
			err = errno;
		if (err != 0) {
			sig_fail("connect to %s: %s", engine->conf.signal_host,
			    strerror(err));
			return;
		}
		if (sigchan_init_initiator(&sig.ch, engine->nodepriv,
		    engine->conf.signal_key, FRAME_MAX, SIGMSG_MAX,
		    sig.out) == -1) {
			sig_fail("handshake could not start");
			return;
		}
		event_add(&sig.ev_read, NULL);
	}
	(void)sig_flush();
}

static void
sig_on_hello(const struct sigmsg_hello *h)
{
	if (h->version != SIGMSG_PROTO)
		log_warnx("signal: server speaks protocol %u, we %u",
		    h->version, SIGMSG_PROTO);
}

static void
sig_on_error(const struct sigmsg_error *e)
{
	/* About one signal, not the connection: the peer retries later. */
	if (strcmp(e->code, "offline") == 0 ||
	    strcmp(e->code, "unknown-peer") == 0) {
		log_debug("signal: server: %s: %s", e->code, e->message);
		return;
	}
	/* A long message is cut: it is for people. */
	if (snprintf(sig.error, sizeof(sig.error), "server: %s: %s", e->code,
	    e->message) < 0)
		sig.error[0] = '\0';
	sig.server_error = 1;
	log_warnx("signal: %s", sig.error);
}

static int
sig_dispatch(const uint8_t *buf, size_t len)
{
	struct sigmsg	 m, r;
	enum sigmsg_type type;
	char		 err[256];

	if (sigmsg_parse((const char *)buf, len, &m, err, sizeof(err)) ==
	    -1) {
		sig_fail("bad message from the server: %s", err);
		return -1;
	}
	switch (m.type) {
	case SIGMSG_HELLO:
		sig_on_hello(&m.u.hello);
		break;
	case SIGMSG_NETMAP:
		netmap_apply(&m.u.netmap);
		if (sig.state != SIG_CONNECTED) {
			sig_set_state(SIG_CONNECTED);
			sig.backoff_ms = SIG_BACKOFF_MIN_MS;
			sig.error[0] = '\0';
			sig.server_error = 0;
			log_info("signal: connected to %s, %zu peers in the "
			    "netmap", engine->conf.signal_host,
			    m.u.netmap.npeers);
			netmap_signal_up();
		}
		break;
	case SIGMSG_RELAYS:
		log_debug("signal: %zu relays", m.u.relays.nrelays);
		relaymgr_discovered(&m.u.relays);
		break;
	case SIGMSG_SIGNAL:
		if (m.u.signal.has_from)
			netmap_signal_in(m.u.signal.from, m.u.signal.box,
			    m.u.signal.boxlen);
		break;
	case SIGMSG_ERROR:
		sig_on_error(&m.u.error);
		break;
	case SIGMSG_PING:
		memset(&r, 0, sizeof(r));
		r.type = SIGMSG_PONG;
		r.u.seq = m.u.seq;
		(void)sig_send(&r);
		break;
	case SIGMSG_PONG:
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
	return 0;
}

static void
sig_readable(int fd, short event, void *arg)
{
	static uint8_t	 buf[SIG_READ_CHUNK];
	struct sigmsg	 m;
	const uint8_t	*msg;
	size_t		 len;
	ssize_t		 n;
	char		 err[256];
	int		 r;

	if ((n = read(fd, buf, sizeof(buf))) == -1) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		sig_fail("read from %s: %s", engine->conf.signal_host,
		    strerror(errno));
		return;
	}
	if (n == 0) {
		/* What the server said before closing is the better reason. */
		if (sig.server_error) {
			char	 why[CTL_MSG_MAX];

			strlcpy(why, sig.error, sizeof(why));
			sig_fail("%s", why);
		} else
			sig_fail("%s closed the connection",
			    engine->conf.signal_host);
		return;
	}
	if (evbuffer_add(sig.in, buf, n) == -1) {
		sig_fail("out of memory");
		return;
	}
	sig.last_rx = time(NULL);
	while ((r = sigchan_read(&sig.ch, sig.in, sig.out, &msg, &len, err,
	    sizeof(err))) > 0) {
		if (r == 2) {
			memset(&m, 0, sizeof(m));
			m.type = SIGMSG_HELLO;
			m.u.hello.version = SIGMSG_PROTO;
			m.u.hello.features = SIGMSG_FEAT_LAZY;
			/* Peers decide by it whether we can go idle. */
			strlcpy(m.u.hello.software, PACKAGE_VERSION,
			    sizeof(m.u.hello.software));
			if (sig_send(&m) == -1)
				return;
			continue;
		}
		if (sig_dispatch(msg, len) == -1)
			return;
		/* A handler may have failed the connection. */
		if (sig.fd == -1)
			return;
	}
	if (r == -1)
		sig_fail("%s", err);
}

/* For ternctl status. */
void
sig_status(struct ctl_status_hdr *h)
{
	h->sig_state = sig.state;
	if (sig.state != SIG_NONE)
		strlcpy(h->sig_server, engine->conf.signal_host,
		    sizeof(h->sig_server));
	h->sig_since = sig.since;
	strlcpy(h->sig_error, sig.error, sizeof(h->sig_error));
}

int
sig_connected(void)
{
	return sig.state == SIG_CONNECTED;
}

/*
 * The host's addresses changed.  A connection from an address that is
 * gone would look alive until SIG_DEAD_AFTER while every signal we send
 * is lost: start a new one now.  Loopback and link-local sources are
 * not in the parent's list and are not checked.
 */
void
sig_local_addrs(const struct imsg_local_addrs *la)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in6	 me;
	socklen_t		 sslen = sizeof(ss);
	char			 buf[INET6_ADDRSTRLEN];
	uint32_t		 i;

	if (sig.fd == -1 ||
	    getsockname(sig.fd, (struct sockaddr *)&ss, &sslen) == -1)
		return;
	sockaddr_to_v6((struct sockaddr *)&ss, &me);
	if (IN6_IS_ADDR_LOOPBACK(&me.sin6_addr) ||
	    IN6_IS_ADDR_LINKLOCAL(&me.sin6_addr) ||
	    (IN6_IS_ADDR_V4MAPPED(&me.sin6_addr) &&
	    me.sin6_addr.s6_addr[SIG_V4MAPPED_OFF] == SIG_V4_LOOPBACK_NET))
		return;
	for (i = 0; i < la->n && i < TERN_LOCAL_ADDRS_MAX; i++)
		if (memcmp(&la->addrs[i], &me.sin6_addr,
		    sizeof(me.sin6_addr)) == 0)
			return;
	if (inet_ntop(AF_INET6, &me.sin6_addr, buf, sizeof(buf)) == NULL)
		strlcpy(buf, "?", sizeof(buf));
	/* A fresh start: the old backoff was for another address. */
	sig.backoff_ms = SIG_BACKOFF_MIN_MS;
	sig_fail("local address %s went away", buf);
}
