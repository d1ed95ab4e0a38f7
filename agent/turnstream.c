/*
 * engine: TURN over TCP or TLS to the relay in use (issue 12).
 *
 * The parent connects and passes a non-blocking socket (IMSG_RELAY_CONN
 * answers IMSG_RELAY_CONNECT, matched by peerid).  For TLS the CA
 * bundle is asked for (IMSG_RELAY_CA_REQ) when first needed and kept;
 * asked again if it could not be had, or after an hour, so that a
 * renewed bundle is taken.  The relay's name is verified and sent as
 * SNI.
 * Everything is non-blocking and driven by libevent: the read event is
 * always on, the write event while output waits or TLS wants to write.
 * Output is a bounded queue: a datagram that does not fit is dropped,
 * never waited for.  Any error, and the relay closing, ends the stream;
 * the relay manager hears of it from a timer, never from inside a call.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <errno.h>
#include <event.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <tls.h>

#include "engine.h"
#include "log.h"
#include "turnframe.h"
#include "turnstream.h"

enum ts_state {
	TS_NONE = 0,
	TS_CONNECTING,		/* asked the parent */
	TS_CA,			/* connected, waiting for the CA bundle */
	TS_HANDSHAKE,		/* TLS handshake under way */
	TS_UP,
};

enum ts_ca {
	CA_NONE = 0,
	CA_ASKED,
	CA_HAVE,
};

static struct {
	struct turnstream_env	 env;
	enum ts_state		 state;
	uint32_t		 id;		/* of the request out or taken */
	struct imsg_relay_connect req;
	char			 tls_name[TERN_HOST_MAX]; /* "" plain TCP */
	int			 fd;
	struct tls		*tls;
	struct event		 ev_read;
	struct event		 ev_write;
	int			 write_on;
	struct event		 ev_down;
	char			 why[TERN_HOST_MAX + CTL_MSG_MAX];
	struct turnframe	 in;
	uint8_t			*out;
	size_t			 out_off;
	size_t			 out_len;
	uint64_t		 dropped;
	uint64_t		 gen;		/* a new stream, or closed */
	/* The CA bundle, from the parent. */
	enum ts_ca		 ca;
	uint8_t			*ca_buf;
	size_t			 ca_len;
	time_t			 ca_at;		/* when asked for */
	struct tls_config	*cfg;
} ts;

static void	 ts_step(int, short, void *);
static void	 ts_fail(const char *, ...)
		    __attribute__((__format__ (printf, 1, 2)));
static void	 ts_down(int, short, void *);
static void	 ts_start_tls(void);
static int	 ts_ca_ask(void);

void
turnstream_init(const struct turnstream_env *env)
{
	memset(&ts, 0, sizeof(ts));
	ts.env = *env;
	ts.fd = -1;
	evtimer_set(&ts.ev_down, ts_down, NULL);
	if ((ts.out = malloc(TURNSTREAM_OUTQ_MAX)) == NULL ||
	    turnframe_init(&ts.in, TURNFRAME_MAX) == -1)
		fatal("%s", __func__);
}

/* Closes the stream, if any; a pending answer is ignored when it comes. */
void
turnstream_close(void)
{
	if (ts.write_on)
		event_del(&ts.ev_write);
	if (ts.fd != -1) {
		event_del(&ts.ev_read);
		if (ts.tls != NULL && ts.state == TS_UP)
			(void)tls_close(ts.tls);
		close(ts.fd);
	}
	if (ts.tls != NULL)
		tls_free(ts.tls);
	if (ts.dropped > 0)
		log_warnx("relay %s: %llu datagrams dropped, the stream was "
		    "slow", ts.req.addr, (unsigned long long)ts.dropped);
	ts.dropped = 0;
	ts.tls = NULL;
	ts.fd = -1;
	ts.write_on = 0;
	ts.state = TS_NONE;
	ts.out_off = ts.out_len = 0;
	ts.in.off = ts.in.len = 0;
	ts.in.error = 0;
	ts.gen++;
	evtimer_del(&ts.ev_down);
}

int
turnstream_open(const char *relay, const struct sockaddr_in6 *sa,
    const char *tls_name)
{
	turnstream_close();
	memset(&ts.req, 0, sizeof(ts.req));
	strlcpy(ts.req.addr, relay, sizeof(ts.req.addr));
	ts.req.sa = *sa;
	ts.req.transport = tls_name != NULL ? RELAY_TRANSPORT_TLS :
	    RELAY_TRANSPORT_TCP;
	strlcpy(ts.tls_name, tls_name != NULL ? tls_name : "",
	    sizeof(ts.tls_name));
	/* 0 is no request: peerid 0 from the parent is refused. */
	if (++ts.id == 0)
		ts.id = 1;
	if (engine_to_parent(IMSG_RELAY_CONNECT, ts.id, &ts.req,
	    sizeof(ts.req)) == -1)
		return -1;
	ts.state = TS_CONNECTING;
	/* The CA is asked for while the connect is under way. */
	if (tls_name != NULL && (ts.ca == CA_NONE || (ts.ca == CA_HAVE &&
	    time(NULL) - ts.ca_at >= TURNSTREAM_CA_SEC)))
		(void)ts_ca_ask();
	return 0;
}

/* Forgets the bundle held and asks the parent: 0, or -1. */
static int
ts_ca_ask(void)
{
	if (ts.cfg != NULL)
		tls_config_free(ts.cfg);
	ts.cfg = NULL;
	free(ts.ca_buf);
	ts.ca_buf = NULL;
	ts.ca_len = 0;
	ts.ca = CA_NONE;
	if (engine_to_parent(IMSG_RELAY_CA_REQ, 0, NULL, 0) == -1)
		return -1;
	ts.ca = CA_ASKED;
	ts.ca_at = time(NULL);
	return 0;
}

uint32_t
turnstream_last_id(void)
{
	return ts.id;
}

int
turnstream_up(void)
{
	return ts.state == TS_UP;
}

/* The stream failed: closed now, the relay manager told from a timer. */
static void
ts_fail(const char *fmt, ...)
{
	struct timeval	 now = { 0, 0 };
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(ts.why, sizeof(ts.why), fmt, ap);
	va_end(ap);
	turnstream_close();
	evtimer_add(&ts.ev_down, &now);
}

static void
ts_down(int fd, short ev, void *arg)
{
	ts.env.down(ts.why);
}

static void
ts_is_up(void)
{
	ts.state = TS_UP;
	ts.env.up();
}

void
turnstream_conn(uint32_t id, const struct imsg_relay_conn *rc, int fd)
{
	if (id != ts.id || ts.state != TS_CONNECTING) {
		/* Asked for a stream since closed: not wanted any more. */
		if (fd != -1)
			close(fd);
		return;
	}
	if (memcmp(&rc->req, &ts.req, sizeof(ts.req)) != 0)
		fatalx("parent answered another relay connection");
	if (rc->error != 0) {
		ts_fail("%s", rc->msg[0] != '\0' ? rc->msg :
		    strerror(rc->error));
		return;
	}
	ts.fd = fd;
	event_set(&ts.ev_read, ts.fd, EV_READ | EV_PERSIST, ts_step, NULL);
	event_set(&ts.ev_write, ts.fd, EV_WRITE | EV_PERSIST, ts_step, NULL);
	event_add(&ts.ev_read, NULL);
	if (ts.tls_name[0] == '\0') {
		ts_is_up();
		return;
	}
	ts.state = TS_CA;
	ts_start_tls();
}

/* Once the bundle is there: a client on the socket, then the handshake. */
static void
ts_start_tls(void)
{
	if (ts.state != TS_CA)
		return;
	/* Asking failed, or the last answer was no bundle. */
	if (ts.ca == CA_NONE && ts_ca_ask() == -1) {
		ts_fail("cannot ask for the CA bundle");
		return;
	}
	if (ts.ca != CA_HAVE)
		return;
	if ((ts.tls = tls_client()) == NULL) {
		ts_fail("tls_client failed");
		return;
	}
	if (tls_configure(ts.tls, ts.cfg) == -1 ||
	    tls_connect_socket(ts.tls, ts.fd, ts.tls_name) == -1) {
		ts_fail("TLS: %s", tls_error(ts.tls));
		return;
	}
	ts.state = TS_HANDSHAKE;
	ts_step(ts.fd, EV_WRITE, NULL);
}

void
turnstream_ca(const struct imsg_relay_ca *p)
{
	uint8_t		*n;

	if (ts.ca != CA_ASKED || p->len == 0 || p->len > TERN_CA_PIECE ||
	    ts.ca_len + p->len > TERN_CA_MAX)
		fatalx("parent sent a bad piece of CA bundle");
	if ((n = realloc(ts.ca_buf, ts.ca_len + p->len)) == NULL)
		fatal("%s", __func__);
	ts.ca_buf = n;
	memcpy(ts.ca_buf + ts.ca_len, p->data, p->len);
	ts.ca_len += p->len;
}

void
turnstream_ca_end(const struct imsg_relay_ca_end *e)
{
	if (ts.ca != CA_ASKED || (e->error == 0 && (e->len != ts.ca_len ||
	    e->len == 0)) || (e->error != 0 && ts.ca_len != 0))
		fatalx("parent sent a bad end of CA bundle");
	if (e->error != 0) {
		ts.ca = CA_NONE;
		if (ts.state == TS_CA || (ts.state == TS_CONNECTING &&
		    ts.tls_name[0] != '\0'))
			ts_fail("no CA bundle: %s", e->msg);
		return;
	}
	/* The CA before tls_configure: never libtls's default file. */
	if ((ts.cfg = tls_config_new()) == NULL)
		fatalx("tls_config_new failed");
	if (tls_config_set_ca_mem(ts.cfg, ts.ca_buf, ts.ca_len) == -1) {
		log_warnx("relay CA bundle: %s", tls_config_error(ts.cfg));
		tls_config_free(ts.cfg);
		ts.cfg = NULL;
		ts.ca = CA_NONE;
		if (ts.state == TS_CA)
			ts_fail("the CA bundle is not usable");
		return;
	}
	ts.ca = CA_HAVE;
	log_debug("relay CA bundle: %zu bytes", ts.ca_len);
	ts_start_tls();
}

/* Waits for what TLS or the socket wants: write, or (always) read. */
static void
ts_want_write(int on)
{
	if (on && !ts.write_on)
		event_add(&ts.ev_write, NULL);
	else if (!on && ts.write_on)
		event_del(&ts.ev_write);
	ts.write_on = on;
}

/* 1 to go on, 0 to wait (the wait set), -1 failed (the stream is gone). */
static int
ts_io_result(ssize_t r, const char *what, int writing, int *want_write)
{
	if (r >= 0)
		return 1;
	if (ts.tls != NULL) {
		if (r == TLS_WANT_POLLOUT) {
			*want_write = 1;
			return 0;
		}
		if (r == TLS_WANT_POLLIN)
			return 0;
		ts_fail("TLS %s: %s", what, tls_error(ts.tls));
		return -1;
	}
	if (errno == EAGAIN || errno == EINTR) {
		*want_write |= writing;
		return 0;
	}
	ts_fail("%s: %s", what, strerror(errno));
	return -1;
}

static ssize_t
ts_write(const uint8_t *buf, size_t len)
{
	if (ts.tls != NULL)
		return tls_write(ts.tls, buf, len);
	return write(ts.fd, buf, len);	/* SIGPIPE is ignored */
}

static ssize_t
ts_read(uint8_t *buf, size_t len)
{
	if (ts.tls != NULL)
		return tls_read(ts.tls, buf, len);
	return read(ts.fd, buf, len);
}

/* The queue out: 1 once empty, 0 waiting, -1 failed. */
static int
ts_flush(int *want_write)
{
	ssize_t	 r;
	int	 rv;

	while (ts.out_len > 0) {
		r = ts_write(ts.out + ts.out_off, ts.out_len);
		if ((rv = ts_io_result(r, "write", 1, want_write)) <= 0)
			return rv;
		ts.out_off += r;
		ts.out_len -= r;
	}
	ts.out_off = 0;
	return 1;
}

/* Whole messages in, to the relay manager: 0, or -1 if the stream ended. */
static int
ts_input(int *want_write)
{
	uint64_t	 gen = ts.gen;
	uint8_t		*p, *msg;
	size_t		 space, len;
	ssize_t		 r;
	int		 i, rv;

	for (i = 0; i < TURNSTREAM_READS_MAX; i++) {
		p = turnframe_space(&ts.in, &space);
		r = ts_read(p, space);
		if ((rv = ts_io_result(r, "read", 0, want_write)) <= 0)
			return rv;
		if (r == 0) {
			ts_fail("the relay closed the connection");
			return -1;
		}
		turnframe_fill(&ts.in, r);
		while ((rv = turnframe_next(&ts.in, &msg, &len)) == 1) {
			ts.env.input(msg, len);
			if (ts.gen != gen)
				return -1;
		}
		if (rv == -1) {
			ts_fail("the relay sent no TURN framing");
			return -1;
		}
	}
	/* More may be there, even inside TLS: another turn of the loop. */
	event_active(&ts.ev_read, EV_READ, 1);
	return 0;
}

static void
ts_step(int fd, short ev, void *arg)
{
	uint64_t	 gen = ts.gen;
	ssize_t		 r;
	int		 want_write = 0;

	if (ts.state == TS_HANDSHAKE) {
		if ((r = tls_handshake(ts.tls)) != 0) {
			if (ts_io_result(r, "handshake", 0, &want_write) == 0)
				ts_want_write(want_write);
			return;
		}
		ts_is_up();
		if (ts.gen != gen)
			return;
	}
	if (ts.state != TS_UP)
		return;
	if (ts_flush(&want_write) == -1 || ts_input(&want_write) == -1)
		return;
	/* What the input made the TURN client say goes out now. */
	if (ts.out_len > 0 && !want_write && ts_flush(&want_write) == -1)
		return;
	ts_want_write(want_write || ts.out_len > 0);
}

int
turnstream_send(const uint8_t *buf, size_t len)
{
	size_t	 flen = len;
	int	 want_write = 0;

	if (ts.state != TS_UP)
		return -1;
	/* RFC 8656 12.5: ChannelData is padded on a stream. */
	if (len >= TURNFRAME_CD_HDR && (buf[0] & 0xc0) == 0x40)
		flen = (len + TURNFRAME_ALIGN - 1) & ~(size_t)(TURNFRAME_ALIGN -
		    1);
	if (flen > TURNSTREAM_OUTQ_MAX - ts.out_len) {
		ts.dropped++;
		return -1;
	}
	if (ts.out_off + ts.out_len + flen > TURNSTREAM_OUTQ_MAX) {
		memmove(ts.out, ts.out + ts.out_off, ts.out_len);
		ts.out_off = 0;
	}
	memcpy(ts.out + ts.out_off + ts.out_len, buf, len);
	memset(ts.out + ts.out_off + ts.out_len + len, 0, flen - len);
	ts.out_len += flen;
	/* Written at once if the stream takes it; else when it can. */
	if (!ts.write_on) {
		if (ts_flush(&want_write) == -1)
			return 0;	/* queued; the stream's end is reported */
		ts_want_write(want_write || ts.out_len > 0);
	}
	return 0;
}
