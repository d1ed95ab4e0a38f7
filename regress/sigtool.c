/*
 * sigtool: a scripted agent that the tern-signal tests run.  It connects
 * to the server, runs the Noise handshake with a node key and then the
 * actions named on the command line, each bounded in time; the exit
 * status says how the script ended.
 */
#include <sys/socket.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <sodium.h>

#include "frame.h"
#include "key.h"
#include "nmsign.h"
#include "seal.h"
#include "sigchan.h"
#include "sigmsg.h"

/* Exit statuses: what the script ran into. */
#define SIGTOOL_OK		0	/* every action succeeded */
#define SIGTOOL_OPEN		1	/* wait-close: still open at the end */
#define SIGTOOL_CLOSED		2	/* the server closed the connection */
#define SIGTOOL_TIMEOUT		3	/* an awaited message did not come */
#define SIGTOOL_UNEXPECTED	4	/* another message came, or bad JSON */
#define SIGTOOL_HANDSHAKE	5	/* the Noise handshake failed */
#define SIGTOOL_LOCAL		6	/* usage, key file or socket error */
#define SIGTOOL_CONNECT		7	/* the TCP connection was refused */

#define SIGTOOL_WAIT_DEFAULT	5	/* seconds any single wait may take */
#define SIGTOOL_WAIT_MAX	3600	/* longest wait or stall, seconds */
#define SIGTOOL_COUNT_MAX	10000000 /* messages one action may send */
#define SIGTOOL_READ_CHUNK	65536	/* bytes taken from the socket at once */
/* Unread input we keep while writing: a flood's answers, bounded. */
#define SIGTOOL_IN_MAX		(64 * 1024 * 1024)
#define SIGTOOL_CONNS_MAX	256	/* connections of one "conns" action */
#define SIGTOOL_MS		1000	/* milliseconds per second */
#define SIGTOOL_NS_PER_MS	1000000	/* nanoseconds per millisecond */
#define SIGTOOL_ERRLEN		256	/* error text */
#define SIGTOOL_PAD_MIN		32	/* room for a ping's JSON around pad */
/* A TAI64N timestamp starts with 8 bytes of seconds, big-endian. */
#define SIGTOOL_TS_SEC_LEN	8
/* The pad member bigmsg appends before the closing brace. */
#define SIGTOOL_PAD_HEAD	",\"pad\":\""
#define SIGTOOL_PAD_TAIL	"\"}"

struct sig_conn {
	int			 fd;
	struct sigchan		 ch;
	struct evbuffer		*in;
	struct evbuffer		*out;
	int			 eof;
};

/* What one connection of "conns" has reached. */
enum sig_stage {
	SIG_CONNECTING = 1,
	SIG_HANDSHAKE,
	SIG_WELCOME,		/* hello sent, netmap due */
	SIG_ADMITTED,
	SIG_REFUSED,
};

struct sig_opts {
	const char		*host;
	const char		*port;
	const char		*bindaddr;
	int			 rcvbuf;
	int			 wait;		/* seconds */
	int			 have_key;
	const char		*software;	/* hello's, or NULL */
	uint64_t		 generation;	/* hello as a relay, if not 0 */
	long long		 ago;		/* timestamp this many s back */
	const char		*save;		/* message 1 is written here */
	uint8_t			 priv[KEY_LEN];
	uint8_t			 server[KEY_LEN];
};

static __attribute__((noreturn)) void sig_usage(void);
static long long	 sig_num(const char *, long long, long long);
static int64_t		 sig_now(void);
static void		 sig_readkey(const char *, uint8_t [KEY_LEN]);
static int		 sig_print_pub(uint8_t [KEY_LEN]);
static int		 sig_keygen(const char *);
static int		 sig_pubkey(const char *);
static int		 sig_freeport(void);
static int		 sig_socket(const struct sig_opts *, int *);
static void		 sig_conn_init(struct sig_conn *, int);
static void		 sig_conn_free(struct sig_conn *);
static int		 sig_poll(int, short, int64_t);
static int		 sig_read_some(struct sig_conn *);
static int		 sig_flush(struct sig_conn *, int64_t);
static int		 sig_next(struct sig_conn *, int64_t, struct sigmsg *,
			    char **, size_t *);
static int		 sig_handshake(struct sig_conn *,
			    const struct sig_opts *, const uint8_t [KEY_LEN]);
static int		 sig_send(struct sig_conn *, const struct sigmsg *);
static int		 sig_send_raw(struct sig_conn *, const char *, size_t);
static void		 sig_print(const struct sig_opts *,
			    const struct sigmsg *, const char *, size_t);
static int		 sig_type(const char *);
static int		 sig_signal(struct sig_conn *, const struct sig_opts *,
			    const uint8_t [KEY_LEN], const void *, size_t);
static int		 sig_expect(struct sig_conn *, const struct sig_opts *,
			    int, int64_t);
static int		 sig_recv(struct sig_conn *, const struct sig_opts *,
			    int, long long);
static int		 sig_idle(struct sig_conn *, const struct sig_opts *,
			    int64_t, int);
static int		 sig_ping(struct sig_conn *, const struct sig_opts *,
			    uint32_t);
static int		 sig_flood(struct sig_conn *, long long, uint32_t *);
static int		 sig_bigmsg(struct sig_conn *, long long, long long);
static int		 sig_send_chunked(struct sig_conn *, const char *,
			    size_t, size_t);
static int		 sig_stream(struct sig_conn *, const struct sig_opts *,
			    const uint8_t [KEY_LEN], long long, long long,
			    long long);
static int		 sig_conns(const struct sig_opts *, char **, int);
static void		 sig_need(int, int, int, const char *);
static int		 sig_run(struct sig_conn *, const struct sig_opts *,
			    int, char **);

static __attribute__((noreturn)) void
sig_usage(void)
{
	fprintf(stderr,
	    "usage: sigtool keygen FILE | pubkey FILE | port\n"
	    "       sigtool [-a secs] [-b addr] [-k keyfile -s serverkey] "
	    "[-o file]\n"
	    "               [-R generation] [-r rcvbuf] [-V version] "
	    "[-w secs]\n"
	    "               host port [action ...]\n"
	    "actions: hello | expect TYPE | recv TYPE COUNT | ping | "
	    "flood N |\n"
	    "         send-signal KEY TEXT | stream KEY COUNT RATE BOXLEN |\n"
	    "         bigmsg LEN | chunked LEN CHUNK | garbage LEN | raw FILE |\n"
	    "         stall SECS | idle SECS | wait-close SECS | "
	    "conns KEYFILE...\n");
	exit(SIGTOOL_LOCAL);
}

static long long
sig_num(const char *s, long long min, long long max)
{
	const char	*errstr;
	long long	 n;

	n = strtonum(s, min, max, &errstr);
	if (errstr != NULL)
		errx(SIGTOOL_LOCAL, "number \"%s\" is %s", s, errstr);
	return n;
}

/* Milliseconds of the monotonic clock. */
static int64_t
sig_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * SIGTOOL_MS + ts.tv_nsec / SIGTOOL_NS_PER_MS;
}

static void
sig_readkey(const char *path, uint8_t key[KEY_LEN])
{
	char	 err[SIGTOOL_ERRLEN];

	if (key_read_file(path, key, err, sizeof(err)) == -1)
		errx(SIGTOOL_LOCAL, "%s", err);
}

/* Prints the public half of priv, which is wiped. */
static int
sig_print_pub(uint8_t priv[KEY_LEN])
{
	uint8_t	 pub[KEY_LEN];
	char	 b64[KEY_B64LEN];

	key_public(priv, pub);
	sodium_memzero(priv, KEY_LEN);
	key_to_b64(pub, b64);
	printf("%s\n", b64);
	return SIGTOOL_OK;
}

static int
sig_keygen(const char *path)
{
	uint8_t	 priv[KEY_LEN];
	char	 err[SIGTOOL_ERRLEN];

	key_generate(priv);
	if (key_write_file(path, priv, err, sizeof(err)) == -1)
		errx(SIGTOOL_LOCAL, "%s", err);
	return sig_print_pub(priv);
}

static int
sig_pubkey(const char *path)
{
	uint8_t	 priv[KEY_LEN];

	sig_readkey(path, priv);
	return sig_print_pub(priv);
}

/* A port that is free on the loopback now: the kernel picks it. */
static int
sig_freeport(void)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof(sin);
	int			 fd;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		err(SIGTOOL_LOCAL, "socket");
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1)
		err(SIGTOOL_LOCAL, "bind");
	printf("%u\n", ntohs(sin.sin_port));
	close(fd);
	return SIGTOOL_OK;
}

/*
 * A non-blocking socket with its connect started.  *inprogress is set
 * when the connect has not finished yet; -1 if it failed outright.
 */
static int
sig_socket(const struct sig_opts *o, int *inprogress)
{
	struct addrinfo		 hints, *res;
	struct sockaddr_in	 src;
	int			 fd, gai, on = 1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	if ((gai = getaddrinfo(o->host, o->port, &hints, &res)) != 0)
		errx(SIGTOOL_LOCAL, "%s port %s: %s", o->host, o->port,
		    gai_strerror(gai));
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		err(SIGTOOL_LOCAL, "socket");
	/* Like an agent: each message leaves at once, not batched. */
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) == -1)
		err(SIGTOOL_LOCAL, "TCP_NODELAY");
	if (o->rcvbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &o->rcvbuf,
	    sizeof(o->rcvbuf)) == -1)
		err(SIGTOOL_LOCAL, "SO_RCVBUF");
	if (o->bindaddr != NULL) {
		memset(&src, 0, sizeof(src));
		src.sin_family = AF_INET;
		if (inet_pton(AF_INET, o->bindaddr, &src.sin_addr) != 1)
			errx(SIGTOOL_LOCAL, "bad source address %s",
			    o->bindaddr);
		if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on,
		    sizeof(on)) == -1 ||
		    bind(fd, (struct sockaddr *)&src, sizeof(src)) == -1)
			err(SIGTOOL_LOCAL, "bind %s", o->bindaddr);
	}
	*inprogress = 0;
	if (connect(fd, res->ai_addr, res->ai_addrlen) == -1) {
		if (errno != EINPROGRESS) {
			warn("connect %s port %s", o->host, o->port);
			close(fd);
			freeaddrinfo(res);
			return -1;
		}
		*inprogress = 1;
	}
	freeaddrinfo(res);
	return fd;
}

static void
sig_conn_init(struct sig_conn *c, int fd)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	if ((c->in = evbuffer_new()) == NULL ||
	    (c->out = evbuffer_new()) == NULL)
		err(SIGTOOL_LOCAL, "evbuffer_new");
}

static void
sig_conn_free(struct sig_conn *c)
{
	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
	if (c->in != NULL)
		evbuffer_free(c->in);
	if (c->out != NULL)
		evbuffer_free(c->out);
	c->in = c->out = NULL;
	sigchan_clear(&c->ch);
}

/* 1 when fd is ready for events before the deadline, 0 if not. */
static int
sig_poll(int fd, short events, int64_t deadline)
{
	struct pollfd	 pfd;
	int64_t		 left;
	int		 n;

	for (;;) {
		left = deadline - sig_now();
		if (left < 0)
			left = 0;
		pfd.fd = fd;
		pfd.events = events;
		pfd.revents = 0;
		n = poll(&pfd, 1, (int)left);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			err(SIGTOOL_LOCAL, "poll");
		return n > 0;
	}
}

/* Takes what the socket holds: 1 if bytes came, 0 if none, -1 at EOF. */
static int
sig_read_some(struct sig_conn *c)
{
	int	 n;

	n = evbuffer_read(c->in, c->fd, SIGTOOL_READ_CHUNK);
	if (n > 0)
		return 1;
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return 0;
	c->eof = 1;
	return -1;
}

/*
 * Writes all of out before the deadline.  What the server sends meanwhile
 * is kept, so a server that waits for us to read cannot wedge us.
 */
static int
sig_flush(struct sig_conn *c, int64_t deadline)
{
	struct pollfd	 pfd;
	int64_t		 left;
	short		 events;

	while (evbuffer_get_length(c->out) > 0) {
		if ((left = deadline - sig_now()) <= 0)
			return SIGTOOL_TIMEOUT;
		events = POLLOUT;
		if (!c->eof && evbuffer_get_length(c->in) < SIGTOOL_IN_MAX)
			events |= POLLIN;
		pfd.fd = c->fd;
		pfd.events = events;
		pfd.revents = 0;
		if (poll(&pfd, 1, (int)left) == -1) {
			if (errno == EINTR)
				continue;
			err(SIGTOOL_LOCAL, "poll");
		}
		if (pfd.revents & POLLIN)
			sig_read_some(c);
		if (pfd.revents & (POLLOUT | POLLERR | POLLHUP)) {
			if (evbuffer_write(c->out, c->fd) == -1 &&
			    errno != EAGAIN && errno != EINTR)
				return SIGTOOL_CLOSED;
		}
	}
	return SIGTOOL_OK;
}

/*
 * The next message before the deadline, parsed into m (sigmsg_free after)
 * with its JSON text, which stays valid until the next call.
 */
static int
sig_next(struct sig_conn *c, int64_t deadline, struct sigmsg *m,
    char **text, size_t *len)
{
	char		 perr[SIGTOOL_ERRLEN];
	const uint8_t	*msg;
	size_t		 mlen;
	int		 rv;

	for (;;) {
		rv = sigchan_read(&c->ch, c->in, &msg, &mlen, perr,
		    sizeof(perr));
		if (rv == -1) {
			warnx("channel: %s", perr);
			return SIGTOOL_UNEXPECTED;
		}
		if (rv == 1) {
			if (sigmsg_parse((const char *)msg, mlen, m, perr,
			    sizeof(perr)) == -1) {
				warnx("message: %s", perr);
				return SIGTOOL_UNEXPECTED;
			}
			*text = (char *)msg;
			*len = mlen;
			return SIGTOOL_OK;
		}
		if (rv == 2)
			continue;
		if (c->eof)
			return SIGTOOL_CLOSED;
		if (!sig_poll(c->fd, POLLIN, deadline))
			return SIGTOOL_TIMEOUT;
		sig_read_some(c);
	}
}

/*
 * Starts the handshake on c; out holds message 1 when this returns.
 * With -a its timestamp is set back; with -o it is also saved, for an
 * attacker's replay.
 */
static int
sig_handshake(struct sig_conn *c, const struct sig_opts *o,
    const uint8_t priv[KEY_LEN])
{
	uint8_t		 ts[SIGCHAN_TS_LEN];
	uint64_t	 sec = 0;
	size_t		 i;
	FILE		*f;

	sigchan_now(ts);
	for (i = 0; i < SIGTOOL_TS_SEC_LEN; i++)
		sec = sec << 8 | ts[i];
	sec -= o->ago;
	for (i = 0; i < SIGTOOL_TS_SEC_LEN; i++)
		ts[i] = sec >> (8 * (SIGTOOL_TS_SEC_LEN - 1 - i));
	if (sigchan_init_initiator(&c->ch, priv, o->server, ts, FRAME_MAX,
	    SIGMSG_MAX, c->out) == -1) {
		warnx("handshake setup failed");
		return SIGTOOL_LOCAL;
	}
	if (o->save != NULL) {
		if ((f = fopen(o->save, "w")) == NULL)
			err(SIGTOOL_LOCAL, "%s", o->save);
		if (fwrite(evbuffer_pullup(c->out, -1), 1,
		    evbuffer_get_length(c->out), f) !=
		    evbuffer_get_length(c->out) || fclose(f) == EOF)
			err(SIGTOOL_LOCAL, "%s", o->save);
	}
	return SIGTOOL_OK;
}

static int
sig_send(struct sig_conn *c, const struct sigmsg *m)
{
	char	*text;
	size_t	 len;
	int	 rv;

	if ((text = sigmsg_encode(m, &len)) == NULL)
		errx(SIGTOOL_LOCAL, "sigmsg_encode failed");
	rv = sig_send_raw(c, text, len);
	free(text);
	return rv;
}

/* Queues one message without writing it out. */
static int
sig_send_raw(struct sig_conn *c, const char *text, size_t len)
{
	if (sigchan_write(&c->ch, text, len, c->out) == -1) {
		warnx("sigchan_write failed");
		return SIGTOOL_LOCAL;
	}
	return SIGTOOL_OK;
}

/* One received message on stdout; a signal's box also opened. */
static void
sig_print(const struct sig_opts *o, const struct sigmsg *m,
    const char *text, size_t len)
{
	uint8_t		 pt[SIGMSG_BOX_MAX];
	size_t		 ptlen;

	fwrite(text, 1, len, stdout);
	putchar('\n');
	if (m->type == SIGMSG_SIGNAL && m->u.signal.has_from && o->have_key) {
		if (seal_open(m->u.signal.box, m->u.signal.boxlen,
		    m->u.signal.from, o->priv, pt, sizeof(pt), &ptlen) == 0)
			printf("opened: %.*s\n", (int)ptlen, (char *)pt);
		else
			printf("opened: (box does not open)\n");
	}
	fflush(stdout);
}

static int
sig_type(const char *name)
{
	int	 t;

	for (t = SIGMSG_HELLO; t <= SIGMSG_PONG; t++)
		if (strcmp(sigmsg_type_name(t), name) == 0)
			return t;
	errx(SIGTOOL_LOCAL, "unknown message type %s", name);
}

/* Seals pt to the node key and queues it as a signal. */
static int
sig_signal(struct sig_conn *c, const struct sig_opts *o,
    const uint8_t to[KEY_LEN], const void *pt, size_t len)
{
	struct sigmsg	 m;

	memset(&m, 0, sizeof(m));
	m.type = SIGMSG_SIGNAL;
	memcpy(m.u.signal.to, to, KEY_LEN);
	if (seal_box(pt, len, to, o->priv, m.u.signal.box,
	    sizeof(m.u.signal.box), &m.u.signal.boxlen) == -1)
		errx(SIGTOOL_LOCAL, "text too long to seal");
	return sig_send(c, &m);
}

/* The next message must be of this type. */
static int
sig_expect(struct sig_conn *c, const struct sig_opts *o, int type,
    int64_t deadline)
{
	struct sigmsg	 m;
	char		*text;
	size_t		 len;
	int		 rv;

	if ((rv = sig_next(c, deadline, &m, &text, &len)) != SIGTOOL_OK) {
		warnx("expect %s: %s", sigmsg_type_name(type),
		    rv == SIGTOOL_TIMEOUT ? "timed out" :
		    rv == SIGTOOL_CLOSED ? "connection closed" : "failed");
		return rv;
	}
	sig_print(o, &m, text, len);
	rv = m.type == (enum sigmsg_type)type ? SIGTOOL_OK : SIGTOOL_UNEXPECTED;
	if (rv != SIGTOOL_OK)
		warnx("expected %s, got %s", sigmsg_type_name(type),
		    sigmsg_type_name(m.type));
	sigmsg_free(&m);
	return rv;
}

/* count messages of this type within the wait; others are skipped. */
static int
sig_recv(struct sig_conn *c, const struct sig_opts *o, int type,
    long long count)
{
	struct sigmsg	 m;
	char		*text;
	size_t		 len;
	long long	 got = 0, other = 0;
	int64_t		 deadline;
	int		 rv = SIGTOOL_OK;

	deadline = sig_now() + (int64_t)o->wait * SIGTOOL_MS;
	while (got < count) {
		if ((rv = sig_next(c, deadline, &m, &text, &len)) !=
		    SIGTOOL_OK)
			break;
		if (m.type == (enum sigmsg_type)type)
			got++;
		else
			other++;
		sigmsg_free(&m);
	}
	printf("recv %s %lld other %lld\n", sigmsg_type_name(type), got, other);
	fflush(stdout);
	return rv;
}

/* Prints what comes for secs; closing is an error unless closing_ok. */
static int
sig_idle(struct sig_conn *c, const struct sig_opts *o, int64_t deadline,
    int closing_ok)
{
	struct sigmsg	 m;
	char		*text;
	size_t		 len;
	int		 rv;

	for (;;) {
		rv = sig_next(c, deadline, &m, &text, &len);
		if (rv != SIGTOOL_OK)
			break;
		sig_print(o, &m, text, len);
		sigmsg_free(&m);
	}
	if (rv == SIGTOOL_CLOSED && closing_ok)
		return SIGTOOL_OK;
	if (rv == SIGTOOL_TIMEOUT)
		return closing_ok ? SIGTOOL_OPEN : SIGTOOL_OK;
	return rv;
}

/* A ping, then its pong within the wait; other messages are skipped. */
static int
sig_ping(struct sig_conn *c, const struct sig_opts *o, uint32_t seq)
{
	struct sigmsg	 m;
	char		*text;
	size_t		 len;
	int64_t		 deadline;
	int		 rv;

	deadline = sig_now() + (int64_t)o->wait * SIGTOOL_MS;
	memset(&m, 0, sizeof(m));
	m.type = SIGMSG_PING;
	m.u.seq = seq;
	if ((rv = sig_send(c, &m)) != SIGTOOL_OK ||
	    (rv = sig_flush(c, deadline)) != SIGTOOL_OK)
		return rv;
	for (;;) {
		if ((rv = sig_next(c, deadline, &m, &text, &len)) !=
		    SIGTOOL_OK) {
			warnx("ping %u: %s", seq, rv == SIGTOOL_TIMEOUT ?
			    "no pong" : "connection lost");
			return rv;
		}
		if (m.type == SIGMSG_PONG && m.u.seq == seq) {
			sig_print(o, &m, text, len);
			sigmsg_free(&m);
			return SIGTOOL_OK;
		}
		sigmsg_free(&m);
	}
}

/* n pings in one burst; their pongs are left for later actions. */
static int
sig_flood(struct sig_conn *c, long long n, uint32_t *seq)
{
	struct sigmsg	 m;
	long long	 i;
	int		 rv;

	memset(&m, 0, sizeof(m));
	m.type = SIGMSG_PING;
	for (i = 0; i < n; i++) {
		m.u.seq = (*seq)++;
		if ((rv = sig_send(c, &m)) != SIGTOOL_OK)
			return rv;
	}
	return SIGTOOL_OK;
}

/*
 * A ping padded with an unknown member to exactly n bytes of JSON, in
 * chunks of at most chunk bytes (0: as sigchan cuts it).
 */
static int
sig_bigmsg(struct sig_conn *c, long long n, long long chunk)
{
	struct sigmsg	 m;
	char		*ping, *big;
	size_t		 len, fill;
	int		 rv;

	memset(&m, 0, sizeof(m));
	m.type = SIGMSG_PING;
	if ((ping = sigmsg_encode(&m, &len)) == NULL)
		errx(SIGTOOL_LOCAL, "sigmsg_encode failed");
	if ((size_t)n < len + strlen(SIGTOOL_PAD_HEAD) +
	    strlen(SIGTOOL_PAD_TAIL) - 1)
		errx(SIGTOOL_LOCAL, "bigmsg: at least %d bytes",
		    SIGTOOL_PAD_MIN);
	if ((big = malloc(n)) == NULL)
		err(SIGTOOL_LOCAL, "malloc");
	/* Drop the closing brace; the tail brings it back. */
	len--;
	memcpy(big, ping, len);
	memcpy(big + len, SIGTOOL_PAD_HEAD, strlen(SIGTOOL_PAD_HEAD));
	len += strlen(SIGTOOL_PAD_HEAD);
	fill = n - len - strlen(SIGTOOL_PAD_TAIL);
	memset(big + len, 'x', fill);
	len += fill;
	memcpy(big + len, SIGTOOL_PAD_TAIL, strlen(SIGTOOL_PAD_TAIL));
	if (chunk == 0)
		rv = sig_send_raw(c, big, n);
	else
		rv = sig_send_chunked(c, big, n, chunk);
	free(big);
	free(ping);
	return rv;
}

/*
 * sigchan_write's framing, with message chunks of at most chunk bytes:
 * many small frames that only add up to a large message.
 */
static int
sig_send_chunked(struct sig_conn *c, const char *msg, size_t len,
    size_t chunk)
{
	static uint8_t	 pt[FRAME_PAYLOAD_MAX], ct[FRAME_MAX];
	size_t		 n, flen;

	do {
		n = len > chunk ? chunk : len;
		pt[0] = n == len ? SIGCHAN_LAST : SIGCHAN_MORE;
		memcpy(pt + 1, msg, n);
		if (frame_encode(&c->ch.tx, pt, n + 1, ct, sizeof(ct),
		    &flen) == -1 || evbuffer_add(c->out, ct, flen) == -1) {
			warnx("frame_encode failed");
			return SIGTOOL_LOCAL;
		}
		msg += n;
		len -= n;
	} while (len > 0);
	return SIGTOOL_OK;
}

/*
 * count signals with boxes of size bytes at rate per second, reading
 * what comes meanwhile so that this sender is never slow; rate 0 queues
 * them all and writes them in one go, a burst.
 */
static int
sig_stream(struct sig_conn *c, const struct sig_opts *o,
    const uint8_t to[KEY_LEN], long long count, long long rate,
    long long size)
{
	struct sigmsg	 m;
	uint8_t		 pt[SIGMSG_BOX_MAX];
	char		*text;
	size_t		 len;
	long long	 i, errors = 0;
	int64_t		 start, due, deadline;
	int		 rv;

	memset(pt, 'x', sizeof(pt));
	start = sig_now();
	for (i = 0; i < count; i++) {
		if ((rv = sig_signal(c, o, to, pt, size - SEAL_OVERHEAD)) !=
		    SIGTOOL_OK)
			return rv;
		if (rate == 0)
			continue;
		if ((rv = sig_flush(c, sig_now() + (int64_t)o->wait *
		    SIGTOOL_MS)) != SIGTOOL_OK)
			return rv;
		due = start + (i + 1) * SIGTOOL_MS / rate;
		/* Drain what came in, waiting out the gap to the next one. */
		for (;;) {
			deadline = due > sig_now() ? due : sig_now();
			rv = sig_next(c, deadline, &m, &text, &len);
			if (rv == SIGTOOL_TIMEOUT)
				break;
			if (rv != SIGTOOL_OK)
				return rv;
			if (m.type == SIGMSG_ERROR)
				errors++;
			sigmsg_free(&m);
		}
	}
	if (rate == 0)
		printf("stream burst %lld\n", count);
	else
		printf("stream sent %lld errors %lld\n", count, errors);
	fflush(stdout);
	return SIGTOOL_OK;
}

/*
 * One more connection per key file from the same source, all at once:
 * each sends hello and counts as admitted when its netmap comes within
 * the wait.  All stay open until the count is printed.
 */
static int
sig_conns(const struct sig_opts *o, char **files, int n)
{
	struct sig_conn	 c[SIGTOOL_CONNS_MAX];
	enum sig_stage	 st[SIGTOOL_CONNS_MAX];
	struct pollfd	 pfd[SIGTOOL_CONNS_MAX];
	struct sigmsg	 m;
	uint8_t		 priv[KEY_LEN];
	char		*text;
	size_t		 len;
	int64_t		 deadline;
	long long	 admitted = 0, refused = 0;
	int		 i, fd, inprog, pending, rv, soerr;
	socklen_t	 sl;

	if (n < 1 || n > SIGTOOL_CONNS_MAX)
		errx(SIGTOOL_LOCAL, "conns: 1 to %d key files",
		    SIGTOOL_CONNS_MAX);
	deadline = sig_now() + (int64_t)o->wait * SIGTOOL_MS;
	for (i = 0; i < n; i++) {
		sig_readkey(files[i], priv);
		if ((fd = sig_socket(o, &inprog)) == -1) {
			sig_conn_init(&c[i], -1);
			st[i] = SIG_REFUSED;
			continue;
		}
		sig_conn_init(&c[i], fd);
		if (sig_handshake(&c[i], o, priv) != SIGTOOL_OK)
			exit(SIGTOOL_LOCAL);
		st[i] = inprog ? SIG_CONNECTING : SIG_HANDSHAKE;
	}
	sodium_memzero(priv, sizeof(priv));
	for (;;) {
		pending = 0;
		for (i = 0; i < n; i++) {
			pfd[i].fd = -1;
			pfd[i].events = 0;
			pfd[i].revents = 0;
			if (st[i] == SIG_ADMITTED || st[i] == SIG_REFUSED)
				continue;
			pending++;
			pfd[i].fd = c[i].fd;
			pfd[i].events = POLLIN;
			if (st[i] == SIG_CONNECTING ||
			    evbuffer_get_length(c[i].out) > 0)
				pfd[i].events |= POLLOUT;
		}
		if (pending == 0 || sig_now() >= deadline)
			break;
		if (poll(pfd, n, (int)(deadline - sig_now())) == -1) {
			if (errno == EINTR)
				continue;
			err(SIGTOOL_LOCAL, "poll");
		}
		for (i = 0; i < n; i++) {
			if (pfd[i].revents == 0)
				continue;
			if (st[i] == SIG_CONNECTING) {
				sl = sizeof(soerr);
				if (getsockopt(c[i].fd, SOL_SOCKET, SO_ERROR,
				    &soerr, &sl) == -1 || soerr != 0) {
					st[i] = SIG_REFUSED;
					continue;
				}
				st[i] = SIG_HANDSHAKE;
			}
			if ((pfd[i].revents & POLLOUT) &&
			    evbuffer_write(c[i].out, c[i].fd) == -1 &&
			    errno != EAGAIN) {
				st[i] = SIG_REFUSED;
				continue;
			}
			if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
				sig_read_some(&c[i]);
			while (st[i] == SIG_HANDSHAKE ||
			    st[i] == SIG_WELCOME) {
				if (st[i] == SIG_HANDSHAKE &&
				    c[i].ch.state == SIGCHAN_OPEN) {
					memset(&m, 0, sizeof(m));
					m.type = SIGMSG_HELLO;
					m.u.hello.version = SIGMSG_PROTO;
					sig_send(&c[i], &m);
					st[i] = SIG_WELCOME;
				}
				/* Never blocks: the deadline is now. */
				rv = sig_next(&c[i], 0, &m, &text, &len);
				if (rv == SIGTOOL_TIMEOUT &&
				    st[i] == SIG_HANDSHAKE &&
				    c[i].ch.state == SIGCHAN_OPEN)
					continue;
				if (rv == SIGTOOL_TIMEOUT)
					break;
				if (rv != SIGTOOL_OK) {
					st[i] = SIG_REFUSED;
					break;
				}
				if (m.type == SIGMSG_NETMAP)
					st[i] = SIG_ADMITTED;
				else if (m.type == SIGMSG_ERROR)
					st[i] = SIG_REFUSED;
				sigmsg_free(&m);
			}
		}
	}
	for (i = 0; i < n; i++) {
		if (st[i] == SIG_ADMITTED)
			admitted++;
		else
			refused++;
	}
	printf("conns admitted %lld refused %lld\n", admitted, refused);
	fflush(stdout);
	for (i = 0; i < n; i++)
		sig_conn_free(&c[i]);
	return SIGTOOL_OK;
}

/* The action at i needs k operands after it. */
static void
sig_need(int argc, int i, int k, const char *action)
{
	if (argc - i - 1 < k)
		errx(SIGTOOL_LOCAL, "%s takes %d operands", action, k);
}

static int
sig_run(struct sig_conn *c, const struct sig_opts *o, int argc, char **argv)
{
	struct sigmsg	 m;
	uint8_t		 to[KEY_LEN];
	uint32_t	 seq = 1;
	int64_t		 wait;
	int		 i, n, rv = SIGTOOL_OK;

	wait = (int64_t)o->wait * SIGTOOL_MS;
	for (i = 0; i < argc && rv == SIGTOOL_OK; i++) {
		const char	*a = argv[i];

		if (strcmp(a, "hello") == 0) {
			memset(&m, 0, sizeof(m));
			m.type = SIGMSG_HELLO;
			m.u.hello.version = SIGMSG_PROTO;
			if (o->software != NULL)
				strlcpy(m.u.hello.software, o->software,
				    sizeof(m.u.hello.software));
			if (o->generation != 0) {
				m.u.hello.role = SIGMSG_ROLE_RELAY;
				m.u.hello.generation = o->generation;
			}
			rv = sig_send(c, &m);
		} else if (strcmp(a, "expect") == 0) {
			sig_need(argc, i, 1, a);
			rv = sig_expect(c, o, sig_type(argv[++i]),
			    sig_now() + wait);
		} else if (strcmp(a, "recv") == 0) {
			sig_need(argc, i, 2, a);
			n = sig_type(argv[i + 1]);
			rv = sig_recv(c, o, n, sig_num(argv[i + 2], 1,
			    SIGTOOL_COUNT_MAX));
			i += 2;
		} else if (strcmp(a, "send-signal") == 0) {
			sig_need(argc, i, 2, a);
			if (key_from_b64(argv[i + 1], to) == -1)
				errx(SIGTOOL_LOCAL, "bad key %s", argv[i + 1]);
			rv = sig_signal(c, o, to, argv[i + 2],
			    strlen(argv[i + 2]));
			i += 2;
		} else if (strcmp(a, "stream") == 0) {
			sig_need(argc, i, 4, a);
			if (key_from_b64(argv[i + 1], to) == -1)
				errx(SIGTOOL_LOCAL, "bad key %s", argv[i + 1]);
			rv = sig_stream(c, o, to,
			    sig_num(argv[i + 2], 1, SIGTOOL_COUNT_MAX),
			    sig_num(argv[i + 3], 0, SIGTOOL_COUNT_MAX),
			    sig_num(argv[i + 4], SEAL_OVERHEAD,
			    SIGMSG_BOX_MAX));
			i += 4;
		} else if (strcmp(a, "ping") == 0) {
			rv = sig_ping(c, o, seq++);
		} else if (strcmp(a, "flood") == 0) {
			sig_need(argc, i, 1, a);
			rv = sig_flood(c, sig_num(argv[++i], 1,
			    SIGTOOL_COUNT_MAX), &seq);
		} else if (strcmp(a, "garbage") == 0) {
			uint8_t	*junk;
			size_t	 len;

			sig_need(argc, i, 1, a);
			len = sig_num(argv[++i], 1, SIGTOOL_IN_MAX);
			if ((junk = malloc(len)) == NULL)
				err(SIGTOOL_LOCAL, "malloc");
			randombytes_buf(junk, len);
			if (evbuffer_add(c->out, junk, len) == -1)
				errx(SIGTOOL_LOCAL, "evbuffer_add");
			free(junk);
		} else if (strcmp(a, "raw") == 0) {
			uint8_t	 buf[SIGTOOL_READ_CHUNK];
			size_t	 len;
			FILE	*f;

			sig_need(argc, i, 1, a);
			if ((f = fopen(argv[++i], "r")) == NULL)
				err(SIGTOOL_LOCAL, "%s", argv[i]);
			len = fread(buf, 1, sizeof(buf), f);
			fclose(f);
			if (evbuffer_add(c->out, buf, len) == -1)
				errx(SIGTOOL_LOCAL, "evbuffer_add");
		} else if (strcmp(a, "bigmsg") == 0) {
			sig_need(argc, i, 1, a);
			rv = sig_bigmsg(c, sig_num(argv[++i], SIGTOOL_PAD_MIN,
			    SIGMSG_MAX), 0);
		} else if (strcmp(a, "chunked") == 0) {
			sig_need(argc, i, 2, a);
			rv = sig_bigmsg(c, sig_num(argv[i + 1], SIGTOOL_PAD_MIN,
			    SIGMSG_MAX), sig_num(argv[i + 2], 1,
			    SIGCHAN_CHUNK_MAX));
			i += 2;
		} else if (strcmp(a, "stall") == 0) {
			sig_need(argc, i, 1, a);
			sleep(sig_num(argv[++i], 0, SIGTOOL_WAIT_MAX));
		} else if (strcmp(a, "idle") == 0) {
			sig_need(argc, i, 1, a);
			rv = sig_idle(c, o, sig_now() + sig_num(argv[++i], 0,
			    SIGTOOL_WAIT_MAX) * SIGTOOL_MS, 0);
		} else if (strcmp(a, "wait-close") == 0) {
			sig_need(argc, i, 1, a);
			rv = sig_idle(c, o, sig_now() + sig_num(argv[++i], 0,
			    SIGTOOL_WAIT_MAX) * SIGTOOL_MS, 1);
			if (rv == SIGTOOL_OK && i + 1 < argc)
				errx(SIGTOOL_LOCAL, "wait-close must be last");
			return rv;
		} else if (strcmp(a, "conns") == 0) {
			/* The key files are the rest of the arguments. */
			return sig_conns(o, argv + i + 1, argc - i - 1);
		} else
			errx(SIGTOOL_LOCAL, "unknown action %s", a);
		if (rv == SIGTOOL_OK)
			rv = sig_flush(c, sig_now() + wait);
	}
	return rv;
}

int
main(int argc, char *argv[])
{
	struct sig_opts	 o;
	struct sig_conn	 c;
	uint8_t		 pin[KEY_LEN];
	int		 ch, fd, inprog, rv;

	if (sodium_init() == -1)
		errx(SIGTOOL_LOCAL, "sodium_init failed");
	/* A server that closes on us shows as EPIPE, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	if (argc == 3 && strcmp(argv[1], "keygen") == 0)
		return sig_keygen(argv[2]);
	if (argc == 3 && strcmp(argv[1], "pubkey") == 0)
		return sig_pubkey(argv[2]);
	if (argc == 2 && strcmp(argv[1], "port") == 0)
		return sig_freeport();

	memset(&o, 0, sizeof(o));
	o.wait = SIGTOOL_WAIT_DEFAULT;
	while ((ch = getopt(argc, argv, "a:b:k:o:R:r:s:V:w:")) != -1) {
		switch (ch) {
		case 'a':
			o.ago = sig_num(optarg, 0, SIGTOOL_WAIT_MAX);
			break;
		case 'o':
			o.save = optarg;
			break;
		case 'b':
			o.bindaddr = optarg;
			break;
		case 'k':
			sig_readkey(optarg, o.priv);
			o.have_key = 1;
			break;
		case 'R':
			o.generation = strtoull(optarg, NULL, 16);
			if (o.generation == 0)
				errx(SIGTOOL_LOCAL, "bad generation %s",
				    optarg);
			break;
		case 'r':
			o.rcvbuf = sig_num(optarg, 1, INT_MAX);
			break;
		case 's':
			/* The pinned key, as tern-signal -k prints it. */
			if (key_from_b64(optarg, pin) == -1 ||
			    nmsign_noise_public(pin, o.server) == -1)
				errx(SIGTOOL_LOCAL, "bad server key %s", optarg);
			break;
		case 'V':
			if (strlen(optarg) >= SIGMSG_SWVERSION_MAX)
				errx(SIGTOOL_LOCAL, "version longer than %d "
				    "bytes", SIGMSG_SWVERSION_MAX - 1);
			o.software = optarg;
			break;
		case 'w':
			o.wait = sig_num(optarg, 1, SIGTOOL_WAIT_MAX);
			break;
		default:
			sig_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2)
		sig_usage();
	if (o.have_key && sodium_is_zero(o.server, sizeof(o.server)))
		errx(SIGTOOL_LOCAL, "-k needs the server's key (-s)");
	o.host = argv[0];
	o.port = argv[1];
	argc -= 2;
	argv += 2;

	/* conns opens its own connections: no main one. */
	if (argc > 0 && strcmp(argv[0], "conns") == 0)
		return sig_conns(&o, argv + 1, argc - 1);

	if ((fd = sig_socket(&o, &inprog)) == -1)
		return SIGTOOL_CONNECT;
	if (inprog) {
		int		 soerr = 0;
		socklen_t	 sl = sizeof(soerr);

		if (!sig_poll(fd, POLLOUT, sig_now() + (int64_t)o.wait *
		    SIGTOOL_MS)) {
			warnx("connect timed out");
			return SIGTOOL_CONNECT;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == -1 ||
		    soerr != 0) {
			warnx("connect %s port %s: %s", o.host, o.port,
			    strerror(soerr));
			return SIGTOOL_CONNECT;
		}
	}
	sig_conn_init(&c, fd);
	if (o.have_key) {
		int64_t	 deadline;
		char	 perr[SIGTOOL_ERRLEN];

		deadline = sig_now() + (int64_t)o.wait * SIGTOOL_MS;

		if ((rv = sig_handshake(&c, &o, o.priv)) != SIGTOOL_OK)
			return rv;
		if ((rv = sig_flush(&c, deadline)) != SIGTOOL_OK)
			return rv;
		while (c.ch.state == SIGCHAN_HS_WAIT) {
			const uint8_t	*msg;
			size_t		 mlen;

			rv = sigchan_read(&c.ch, c.in, &msg, &mlen,
			    perr, sizeof(perr));
			if (rv == -1) {
				warnx("handshake: %s", perr);
				return SIGTOOL_HANDSHAKE;
			}
			if (rv != 0)
				continue;
			if (c.eof || !sig_poll(fd, POLLIN, deadline)) {
				warnx("handshake: %s", c.eof ?
				    "connection closed" : "timed out");
				return SIGTOOL_HANDSHAKE;
			}
			sig_read_some(&c);
		}
	}
	rv = sig_run(&c, &o, argc, argv);
	sig_conn_free(&c);
	return rv;
}
