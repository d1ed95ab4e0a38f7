/*
 * turn_load: a TURN (RFC 8656) load client for bench/turn.  Each of its
 * clients allocates a relayed address with TURN REST credentials,
 * permits a peer and binds a channel to it, and sends ChannelData at an
 * offered rate for a bounded time; the peer is a sink socket of this
 * process that counts what the server relays.  With -b the sink also
 * sends to every relayed address and the clients count what comes back.
 * The rate (-r) is messages/s in each direction, all clients together;
 * 0, the default, sends flat out.  Prints, for each direction, what was
 * sent and received, the loss and the rate of relayed messages.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <err.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "load.h"
#include "stun.h"
#include "turn_cred.h"

#define LOAD_CLIENTS_MAX 64	/* a bound on -c */
#define LOAD_SIZE_MIN	4	/* the payload starts with the run tag */
/* Ethernet's 1500 less IPv4 (20), UDP (8) and ChannelData's header (4). */
#define LOAD_SIZE_MAX	1468
#define LOAD_SIZE_DEF	100	/* payload bytes without -l */
#define LOAD_SECS_MAX	600	/* a bound on -t */
#define LOAD_SECS_DEF	5	/* seconds of load without -t */
#define LOAD_RATE_MAX	10000000 /* a bound on -r, messages/s */
#define LOAD_WAIT_MS	500	/* relayed data may trail the sending */
#define LOAD_RTO_MS	500	/* RFC 8489 6.2.1: the initial RTO */
#define LOAD_TRIES	3	/* ours: a test network needs no Rc 7 */
/* A 401 gives the nonce, a 438 a fresh one: a third answer is final. */
#define LOAD_AUTH_TRIES	3
#define LOAD_CRED_SECS	3600	/* credentials outlive any run */
#define LOAD_CRED_NAME	"turn_load" /* in the REST username */
#define LOAD_CHANNEL_MIN 0x4000	/* RFC 8656 section 12: the first */
#define LOAD_CHDATA_HDR	4	/* RFC 8656 12.4: number, length */
#define LOAD_SHIFT_RFFU	16	/* RFC 8656 18: channel, 16 bits RFFU */
#define LOAD_SHIFT_PROTO 24	/* RFC 8656 18: protocol, 24 bits RFFU */

struct load_client {
	int			 fd;	/* connected to the server */
	uint16_t		 channel;
	struct sockaddr_storage	 relayed;
	char			 realm[STUN_TEXT_MAX + 1];
	char			 nonce[STUN_TEXT_MAX + 1];
	uint8_t			 key[STUN_LTKEY_LEN];
	uint8_t			 data[LOAD_CHDATA_HDR + LOAD_SIZE_MAX];
};

/* One direction of the relayed traffic and its counts. */
struct load_dir {
	const char	*name;
	size_t		 next;		/* the client whose turn it is */
	uint64_t	 sent;
	uint64_t	 received;
	uint64_t	 in_window;	/* received while sending */
};

static struct load_client	 clients[LOAD_CLIENTS_MAX];
static size_t			 nclients = 1;
static size_t			 size = LOAD_SIZE_DEF;
static struct sockaddr_storage	 server, peer;
static const char		*secret, *want_realm;
static char			 user[TURN_CRED_USER_MAX];
static char			 pass[TURN_CRED_PASS_MAX];
static uint8_t			 run_tag[LOAD_SIZE_MIN];
static uint8_t			 payload[LOAD_SIZE_MAX];	/* sink's */
static uint8_t			 rbuf[LOAD_BATCH][LOAD_DGRAM_MAX];
static struct load_dir		 up = { "client->peer", 0, 0, 0, 0 };
static struct load_dir		 down = { "peer->client", 0, 0, 0, 0 };
static int			 both;		/* -b: peer->client too */
static long long		 rate;		/* -r: 0 is flat out */

static __attribute__((noreturn)) void usage(void);
static long long load_number(const char *, long long, long long);
static int	 load_socket(const struct sockaddr_storage *, int);
static int	 load_transact(struct load_client *, const uint8_t *, size_t,
		    const uint8_t *, uint8_t *, struct stun_msg *);
static int	 load_build(struct load_client *, uint16_t, uint8_t *,
		    size_t *);
static void	 load_challenged(struct load_client *,
		    const struct stun_msg *, const char *);
static void	 load_request(struct load_client *, uint16_t, const char *,
		    uint8_t *, struct stun_msg *);
static void	 load_setup(struct load_client *, size_t);
static uint64_t	 load_due(const struct load_dir *, long long);
static void	 load_send_up(uint64_t);
static void	 load_send_down(int, uint64_t);
static void	 load_drain(int, const struct load_client *);
static void	 load_drain_all(int);
static long long load_run(int, struct pollfd *, size_t, long long);
static void	 load_print(const struct load_dir *, long long);

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: turn_load [-b] [-c clients] [-l size] "
	    "[-R realm] [-r rate] [-t seconds] -p peer:port -s secret "
	    "server:port\n");
	exit(2);
}

/* The number of an option, within bounds. */
static long long
load_number(const char *s, long long min, long long max)
{
	const char	*errstr;
	long long	 v;

	v = strtonum(s, min, max, &errstr);
	if (errstr != NULL)
		usage();
	return v;
}

/* A UDP socket with a large receive buffer, connected or bound to ss. */
static int
load_socket(const struct sockaddr_storage *ss, int bound)
{
	const struct sockaddr	*sa = (const struct sockaddr *)ss;
	int			 fd;

	if ((fd = socket(ss->ss_family, SOCK_DGRAM, 0)) == -1)
		err(1, "socket");
	load_rcvbuf(fd);
	if (bound && bind(fd, sa, sockaddr_len(sa)) == -1)
		err(1, "bind");
	if (!bound && connect(fd, sa, sockaddr_len(sa)) == -1)
		err(1, "connect");
	return fd;
}

/*
 * Sends the request with transaction id tid until its answer comes,
 * doubling the wait each time (RFC 8489 6.2.1); -1 if none came.
 */
static int
load_transact(struct load_client *c, const uint8_t *req, size_t len,
    const uint8_t *tid, uint8_t *ans, struct stun_msg *m)
{
	struct pollfd	 pfd = { c->fd, POLLIN, 0 };
	long long	 deadline, left;
	ssize_t		 n;
	int		 try;

	for (try = 0; try < LOAD_TRIES; try++) {
		if (send(c->fd, req, len, 0) == -1)
			return -1;
		deadline = load_now() + (LOAD_RTO_MS << try) * LOAD_NS_PER_MS;
		while ((left = deadline - load_now()) > 0) {
			if (poll(&pfd, 1, left / LOAD_NS_PER_MS + 1) <= 0)
				continue;
			/* ICMP port unreachable: no server, say so now. */
			if ((n = recv(c->fd, ans, LOAD_DGRAM_MAX, 0)) == -1)
				return -1;
			if (stun_parse(ans, n, m) == 0 &&
			    memcmp(m->tid, tid, STUN_TID_LEN) == 0 &&
			    stun_class(m->type) != STUN_REQUEST &&
			    stun_class(m->type) != STUN_INDICATION)
				return 0;
		}
	}
	return -1;
}

/* Builds a request of method for c, authenticated once challenged. */
static int
load_build(struct load_client *c, uint16_t method, uint8_t *buf,
    size_t *len)
{
	struct stun_builder	 b;
	uint8_t			 tid[STUN_TID_LEN];
	int			 r = 0;

	arc4random_buf(tid, sizeof(tid));
	if (stun_build_init(&b, buf, LOAD_DGRAM_MAX,
	    stun_type(method, STUN_REQUEST), tid) == -1)
		return -1;
	switch (method) {
	case STUN_ALLOCATE:
		r = stun_add_u32(&b, STUN_ATTR_REQUESTED_TRANSPORT,
		    (uint32_t)STUN_TRANSPORT_UDP << LOAD_SHIFT_PROTO);
		break;
	case STUN_CHANNEL_BIND:
		r = stun_add_u32(&b, STUN_ATTR_CHANNEL_NUMBER,
		    (uint32_t)c->channel << LOAD_SHIFT_RFFU);
		/* FALLTHROUGH */
	case STUN_CREATE_PERMISSION:
		r |= stun_add_xor_addr(&b, STUN_ATTR_XOR_PEER_ADDRESS,
		    (struct sockaddr *)&peer);
		break;
	case STUN_REFRESH:
		/* RFC 8656 7.2: a lifetime of 0 deletes the allocation. */
		r = stun_add_u32(&b, STUN_ATTR_LIFETIME, 0);
		break;
	}
	if (r == 0 && c->nonce[0] != '\0')
		r = stun_add_bytes(&b, STUN_ATTR_USERNAME, user,
		    strlen(user)) |
		    stun_add_bytes(&b, STUN_ATTR_REALM, c->realm,
		    strlen(c->realm)) |
		    stun_add_bytes(&b, STUN_ATTR_NONCE, c->nonce,
		    strlen(c->nonce)) |
		    stun_add_integrity(&b, c->key, sizeof(c->key));
	*len = stun_build_len(&b);
	return r == 0 ? 0 : -1;
}

/* A 401 or 438: keeps its nonce, and the key for its realm. */
static void
load_challenged(struct load_client *c, const struct stun_msg *m,
    const char *what)
{
	if ((m->has & (STUN_HAS_REALM | STUN_HAS_NONCE)) !=
	    (STUN_HAS_REALM | STUN_HAS_NONCE) || m->nonce.len == 0)
		errx(1, "%s: error %u without REALM and NONCE", what,
		    m->error_code);
	memcpy(c->realm, m->buf + m->realm.off, m->realm.len);
	c->realm[m->realm.len] = '\0';
	memcpy(c->nonce, m->buf + m->nonce.off, m->nonce.len);
	c->nonce[m->nonce.len] = '\0';
	if (want_realm != NULL && strcmp(c->realm, want_realm) != 0)
		errx(1, "%s: realm \"%s\", not \"%s\"", what, c->realm,
		    want_realm);
	stun_longterm_key(user, c->realm, pass, c->key);
}

/*
 * A request of method for client c, answered with success and a valid
 * MESSAGE-INTEGRITY: its answer in m, which points into ans.  Exits on
 * an error answer or none: the load needs every client.
 */
static void
load_request(struct load_client *c, uint16_t method, const char *name,
    uint8_t *ans, struct stun_msg *m)
{
	uint8_t		 req[LOAD_DGRAM_MAX];
	char		 what[64];
	size_t		 len;
	int		 try;

	(void)snprintf(what, sizeof(what), "client %zu: %s",
	    (size_t)(c - clients), name);
	for (try = 0; try < LOAD_AUTH_TRIES; try++) {
		if (load_build(c, method, req, &len) == -1)
			errx(1, "%s: cannot build the request", what);
		/* The tid is at bytes 8 to 19 (RFC 8489 section 5). */
		if (load_transact(c, req, len, req + STUN_HDR_LEN -
		    STUN_TID_LEN, ans, m) == -1)
			errx(1, "%s: no answer", what);
		if (stun_class(m->type) == STUN_SUCCESS)
			break;
		/* A 401 to a request with credentials refuses them. */
		if (m->error_code != STUN_ERR_STALE_NONCE &&
		    (m->error_code != STUN_ERR_UNAUTHORIZED ||
		    c->nonce[0] != '\0'))
			errx(1, "%s: error %u %.*s", what, m->error_code,
			    (int)m->reason.len, m->buf + m->reason.off);
		load_challenged(c, m, what);
	}
	if (stun_class(m->type) != STUN_SUCCESS)
		errx(1, "%s: still challenged after %d tries", what, try);
	if (stun_check_integrity(m, c->key, sizeof(c->key)) == -1)
		errx(1, "%s: the answer fails MESSAGE-INTEGRITY", what);
}

/* Allocates, permits the peer, binds channel i to it, builds the data. */
static void
load_setup(struct load_client *c, size_t i)
{
	struct stun_msg	 m;
	uint8_t		 ans[LOAD_DGRAM_MAX];

	c->fd = load_socket(&server, 0);
	c->channel = LOAD_CHANNEL_MIN + i;
	load_request(c, STUN_ALLOCATE, "Allocate", ans, &m);
	if ((m.has & STUN_HAS_XOR_RELAYED) == 0)
		errx(1, "client %zu: no XOR-RELAYED-ADDRESS", i);
	c->relayed = m.xor_relayed;
	load_request(c, STUN_CREATE_PERMISSION, "CreatePermission",
	    ans, &m);
	load_request(c, STUN_CHANNEL_BIND, "ChannelBind", ans, &m);
	c->data[0] = c->channel >> 8;
	c->data[1] = c->channel & 0xff;
	c->data[2] = size >> 8;
	c->data[3] = size & 0xff;
	memcpy(c->data + LOAD_CHDATA_HDR, payload, size);
}

/* How many messages of d are due after elapsed ns (flat out: a round). */
static uint64_t
load_due(const struct load_dir *d, long long elapsed)
{
	if (rate == 0)
		return d->sent + LOAD_BATCH * nclients;
	return (uint64_t)rate * elapsed / LOAD_NS_PER_S;
}

/* A batch from each client in turn until what is due has gone. */
static void
load_send_up(uint64_t due)
{
	struct mmsghdr		 msgs[LOAD_BATCH];
	struct iovec		 iov;
	struct load_client	*c;
	size_t			 i, k, batch;
	int			 n;

	memset(msgs, 0, sizeof(msgs));
	iov.iov_len = LOAD_CHDATA_HDR + size;
	for (i = 0; i < LOAD_BATCH; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	for (k = 0; k < nclients && up.sent < due; k++) {
		c = &clients[up.next];
		up.next = (up.next + 1) % nclients;
		iov.iov_base = c->data;
		batch = due - up.sent < LOAD_BATCH ? due - up.sent : LOAD_BATCH;
		if ((n = sendmmsg(c->fd, msgs, batch, MSG_DONTWAIT)) > 0)
			up.sent += n;
		else if (errno != EAGAIN && errno != ENOBUFS &&
		    errno != ECONNREFUSED)
			err(1, "sendmmsg");
	}
}

/* From the sink to the relayed addresses in turn, a batch at a time. */
static void
load_send_down(int sink, uint64_t due)
{
	struct mmsghdr		 msgs[LOAD_BATCH];
	struct iovec		 iov = { payload, size };
	struct load_client	*c;
	size_t			 i, k, batch;
	int			 n;

	for (k = 0; k < nclients && down.sent < due; k++) {
		batch = due - down.sent < LOAD_BATCH ?
		    due - down.sent : LOAD_BATCH;
		memset(msgs, 0, sizeof(msgs));
		for (i = 0; i < batch; i++) {
			c = &clients[(down.next + i) % nclients];
			msgs[i].msg_hdr.msg_name = &c->relayed;
			msgs[i].msg_hdr.msg_namelen =
			    sockaddr_len((struct sockaddr *)&c->relayed);
			msgs[i].msg_hdr.msg_iov = &iov;
			msgs[i].msg_hdr.msg_iovlen = 1;
		}
		if ((n = sendmmsg(sink, msgs, batch, MSG_DONTWAIT)) > 0) {
			down.sent += n;
			down.next = (down.next + n) % nclients;
		} else if (errno != EAGAIN && errno != ENOBUFS)
			err(1, "sendmmsg");
	}
}

/*
 * Counts what has arrived on fd: relayed payloads of this run on the
 * sink (c NULL), ChannelData on c's channel on a client's socket.
 */
static void
load_drain(int fd, const struct load_client *c)
{
	struct mmsghdr	 msgs[LOAD_BATCH];
	struct load_dir	*d = c == NULL ? &up : &down;
	const uint8_t	*p;
	size_t		 hdr = c == NULL ? 0 : LOAD_CHDATA_HDR;
	int		 i, n;

	for (;;) {
		if ((n = load_recv(fd, rbuf, msgs)) <= 0)
			return;
		for (i = 0; i < n; i++) {
			p = rbuf[i];
			/* RFC 8656 12.5: over UDP, padding may follow. */
			if (msgs[i].msg_len < hdr + size ||
			    (c == NULL && msgs[i].msg_len != size))
				continue;
			if (c != NULL && memcmp(p, c->data, hdr) != 0)
				continue;
			if (memcmp(p + hdr, run_tag, sizeof(run_tag)) == 0)
				d->received++;
		}
	}
}

/* Whatever has arrived on the sink, and on the clients with -b. */
static void
load_drain_all(int sink)
{
	size_t	 i;

	load_drain(sink, NULL);
	for (i = 0; both && i < nclients; i++)
		load_drain(clients[i].fd, &clients[i]);
}

/*
 * Sends for secs seconds, receiving all along, then waits for what may
 * trail: the length of the sending window in ns.
 */
static long long
load_run(int sink, struct pollfd *pfds, size_t npfds, long long secs)
{
	struct timespec	 ts;
	long long	 start, stop, end, now, wait;

	start = load_now();
	stop = start + secs * LOAD_NS_PER_S;
	while ((now = load_now()) < stop) {
		load_send_up(load_due(&up, now - start));
		if (both)
			load_send_down(sink, load_due(&down, now - start));
		/* Until the next message is due, or at once when flat out. */
		wait = 0;
		if (rate != 0) {
			wait = start + (long long)((up.sent + 1) *
			    LOAD_NS_PER_S / rate) - load_now();
			if (wait < 0)
				wait = 0;
		}
		ts.tv_sec = wait / LOAD_NS_PER_S;
		ts.tv_nsec = wait % LOAD_NS_PER_S;
		if (ppoll(pfds, npfds, &ts, NULL) == -1 && errno != EINTR)
			err(1, "ppoll");
		load_drain_all(sink);
	}
	end = load_now();
	up.in_window = up.received;
	down.in_window = down.received;
	while (load_now() < end + LOAD_WAIT_MS * LOAD_NS_PER_MS &&
	    poll(pfds, npfds, LOAD_WAIT_MS) > 0)
		load_drain_all(sink);
	return end - start;
}

static void
load_print(const struct load_dir *d, long long window)
{
	double		 secs = (double)window / LOAD_NS_PER_S;
	uint64_t	 lost;

	lost = d->received < d->sent ? d->sent - d->received : 0;
	printf("%s sent %llu received %llu loss %.2f%% seconds %.3f "
	    "sent/s %.0f received/s %.0f\n", d->name,
	    (unsigned long long)d->sent, (unsigned long long)d->received,
	    d->sent ? 100.0 * (double)lost / (double)d->sent : 0.0, secs,
	    (double)d->sent / secs, (double)d->in_window / secs);
}

int
main(int argc, char *argv[])
{
	struct pollfd		 pfds[1 + LOAD_CLIENTS_MAX];
	struct stun_msg		 m;
	uint8_t			 ans[LOAD_DGRAM_MAX];
	const char		*errstr, *peer_s = NULL;
	long long		 window, secs = LOAD_SECS_DEF;
	size_t			 i, npfds;
	int			 ch, sink;

	while ((ch = getopt(argc, argv, "bc:l:p:R:r:s:t:")) != -1) {
		switch (ch) {
		case 'b':
			both = 1;
			break;
		case 'c':
			nclients = load_number(optarg, 1, LOAD_CLIENTS_MAX);
			break;
		case 'l':
			size = load_number(optarg, LOAD_SIZE_MIN,
			    LOAD_SIZE_MAX);
			break;
		case 'p':
			peer_s = optarg;
			break;
		case 'R':
			want_realm = optarg;
			break;
		case 'r':
			rate = load_number(optarg, 0, LOAD_RATE_MAX);
			break;
		case 's':
			secret = optarg;
			break;
		case 't':
			secs = load_number(optarg, 1, LOAD_SECS_MAX);
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 1 || secret == NULL || peer_s == NULL)
		usage();
	if (endpoint_parse(argv[optind], &server, &errstr) == -1)
		errx(2, "%s: %s", argv[optind], errstr);
	if (endpoint_parse(peer_s, &peer, &errstr) == -1)
		errx(2, "%s: %s", peer_s, errstr);
	if (turn_cred_make((const uint8_t *)secret, strlen(secret),
	    time(NULL) + LOAD_CRED_SECS, LOAD_CRED_NAME, user, pass) == -1)
		errx(1, "cannot make the credentials");
	arc4random_buf(run_tag, sizeof(run_tag));
	memcpy(payload, run_tag, sizeof(run_tag));

	sink = load_socket(&peer, 1);
	for (i = 0; i < nclients; i++)
		load_setup(&clients[i], i);
	pfds[0].fd = sink;
	pfds[0].events = POLLIN;
	npfds = 1;
	for (i = 0; both && i < nclients; i++) {
		pfds[npfds].fd = clients[i].fd;
		pfds[npfds++].events = POLLIN;
	}
	window = load_run(sink, pfds, npfds, secs);
	for (i = 0; i < nclients; i++)
		load_request(&clients[i], STUN_REFRESH, "Refresh", ans, &m);
	load_print(&up, window);
	if (both)
		load_print(&down, window);
	return 0;
}
