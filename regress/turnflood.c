/*
 * test tool: a TURN attacker for turn_limits_test.sh.  "flood" sends
 * garbage, unauthenticated Allocates and Allocates with a wrong password
 * from one UDP socket at a fixed rate, and counts the answers to each;
 * "alloc" makes allocations with TURN REST credentials, each from its
 * own socket, and prints how each ended; "hold" opens TCP connections
 * that send part of a frame, or nothing, or half a TLS ClientHello, and
 * prints when the server closed each of them.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <err.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "stun.h"
#include "turn_cred.h"

#define FLOOD_RATE_MAX		100000	/* datagrams a second */
#define FLOOD_SECS_MAX		60	/* a bound on -t */
#define FLOOD_COUNT_MAX		256	/* allocations or connections */
#define FLOOD_GARBAGE_LEN	64	/* bytes of a garbage datagram */
#define FLOOD_DGRAM_MAX		2048	/* any answer */
#define FLOOD_WAIT_MS		1000	/* for one answer, and trailing ones */
#define FLOOD_TRIES		3	/* sends of a request, then no answer */
#define FLOOD_TICK_MS		1	/* pacing of the flood */
#define FLOOD_CRED_LIFE		3600	/* s: REST credentials' expiry */
#define FLOOD_BAD_SECRET	"not-the-secret" /* a wrong password's */
#define FLOOD_NAME		"flood"	/* of the REST username */
#define FLOOD_CODES		700	/* error codes are below */
#define FLOOD_MS_PER_S		1000
#define FLOOD_NS_PER_MS		1000000L
/* A frame of 20 bytes cut short: the server waits for the rest. */
#define FLOOD_PARTIAL_LEN	10
/*
 * The first bytes of a TLS ClientHello (RFC 8446 5.1, 4.1.2): a
 * handshake record of 512 bytes, of which only these ever come.
 */
static const uint8_t	 tls_half[] = {
	0x16, 0x03, 0x01, 0x02, 0x00,	/* handshake, TLS 1.0 record, 512 */
	0x01, 0x00, 0x01, 0xfc,		/* ClientHello, 508 bytes */
	0x03, 0x03,			/* legacy_version TLS 1.2 */
};

/* What the flood sends, in turn; also the first byte of its tids. */
enum flood_kind {
	KIND_GARBAGE,
	KIND_UNAUTH,
	KIND_BADAUTH,
	KIND_OTHER,		/* answers to nothing we sent */
	KIND_COUNT
};

static const char	*kind_names[KIND_COUNT] = {
	"garbage", "unauth", "badauth", "other"
};

struct flood_count {
	unsigned long	 sent;
	unsigned long	 answered;
	unsigned long	 codes[FLOOD_CODES];	/* 0: not an error */
};

static struct sockaddr_storage	 server;
static const char		*local;
static uint8_t			 run_id[3];	/* tid bytes 1-3 of this run */
static struct flood_count	 counts[KIND_COUNT];

static __attribute__((noreturn)) void flood_usage(void);
static long long flood_now_ms(void);
static int	 flood_socket(int);
static void	 flood_tid(uint8_t [STUN_TID_LEN], enum flood_kind);
static size_t	 flood_allocate(uint8_t *, size_t, enum flood_kind,
		    const char *, const char *, const char *, const char *);
static int	 flood_answer(int, uint8_t *, size_t, struct stun_msg *,
		    const uint8_t *);
static int	 flood_challenge(int, char *, size_t, char *, size_t);
static void	 flood_tally(const uint8_t *, size_t);
static int	 flood_run(long, long);
static int	 flood_alloc(long, const char *);
static int	 flood_hold(long, long, const char *);

static __attribute__((noreturn)) void
flood_usage(void)
{
	fprintf(stderr, "usage: turnflood [-l local] [-m mode] [-n count] "
	    "[-r rate] [-s secret] [-t seconds]\n"
	    "                 flood|alloc|hold address port\n");
	exit(2);
}

static long long
flood_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * FLOOD_MS_PER_S +
	    ts.tv_nsec / FLOOD_NS_PER_MS;
}

/* A socket of type from -l (any port), connected to the server. */
static int
flood_socket(int type)
{
	struct sockaddr_storage	 ss;
	const char		*errstr;
	char			 buf[ADDR_STRLEN];
	int			 fd;

	if ((fd = socket(server.ss_family, type, 0)) == -1)
		err(1, "socket");
	if (local != NULL) {
		/* Any port: endpoint_parse takes 1 to 65535, bind 0. */
		snprintf(buf, sizeof(buf), server.ss_family == AF_INET6 ?
		    "[%s]:1" : "%s:1", local);
		if (endpoint_parse(buf, &ss, &errstr) == -1)
			errx(2, "%s: %s", local, errstr);
		if (ss.ss_family == AF_INET)
			((struct sockaddr_in *)&ss)->sin_port = 0;
		else
			((struct sockaddr_in6 *)&ss)->sin6_port = 0;
		if (bind(fd, (struct sockaddr *)&ss,
		    sockaddr_len((struct sockaddr *)&ss)) == -1)
			err(1, "bind %s", local);
	}
	if (connect(fd, (struct sockaddr *)&server,
	    sockaddr_len((struct sockaddr *)&server)) == -1)
		err(1, "connect");
	return fd;
}

static void
flood_tid(uint8_t tid[STUN_TID_LEN], enum flood_kind kind)
{
	arc4random_buf(tid, STUN_TID_LEN);
	tid[0] = kind;
	memcpy(tid + 1, run_id, sizeof(run_id));
}

/* An Allocate for UDP; with user, realm, nonce and pass, authenticated. */
static size_t
flood_allocate(uint8_t *buf, size_t cap, enum flood_kind kind,
    const char *user, const char *realm, const char *nonce, const char *pass)
{
	struct stun_builder	 b;
	uint8_t			 tid[STUN_TID_LEN], key[STUN_LTKEY_LEN];

	flood_tid(tid, kind);
	if (stun_build_init(&b, buf, cap, stun_type(STUN_ALLOCATE,
	    STUN_REQUEST), tid) == -1 || stun_add_u32(&b,
	    STUN_ATTR_REQUESTED_TRANSPORT, STUN_TRANSPORT_UDP << 24) == -1)
		errx(1, "cannot build an Allocate");
	if (user != NULL) {
		stun_longterm_key(user, realm, pass, key);
		if (stun_add_bytes(&b, STUN_ATTR_USERNAME, user,
		    strlen(user)) == -1 || stun_add_bytes(&b,
		    STUN_ATTR_REALM, realm, strlen(realm)) == -1 ||
		    stun_add_bytes(&b, STUN_ATTR_NONCE, nonce,
		    strlen(nonce)) == -1 ||
		    stun_add_integrity(&b, key, sizeof(key)) == -1)
			errx(1, "cannot build an Allocate");
	}
	if (stun_add_fingerprint(&b) == -1)
		errx(1, "cannot build an Allocate");
	return stun_build_len(&b);
}

/* The answer to the request in req, within FLOOD_WAIT_MS; -1 if none. */
static int
flood_answer(int fd, uint8_t *buf, size_t cap, struct stun_msg *m,
    const uint8_t *req)
{
	struct pollfd	 pfd = { fd, POLLIN, 0 };
	long long	 end = flood_now_ms() + FLOOD_WAIT_MS;
	ssize_t		 n;

	while (flood_now_ms() < end) {
		if (poll(&pfd, 1, end - flood_now_ms()) <= 0)
			continue;
		if ((n = recv(fd, buf, cap, 0)) == -1)
			continue;
		if (stun_parse(buf, n, m) == 0 &&
		    memcmp(m->tid, req + STUN_HDR_LEN - STUN_TID_LEN,
		    STUN_TID_LEN) == 0)
			return 0;
	}
	return -1;
}

/* The realm and nonce of a 401 to an unauthenticated Allocate. */
static int
flood_challenge(int fd, char *realm, size_t rlen, char *nonce, size_t nlen)
{
	uint8_t		 req[FLOOD_DGRAM_MAX], ans[FLOOD_DGRAM_MAX];
	struct stun_msg	 m;
	size_t		 len;
	int		 i;

	len = flood_allocate(req, sizeof(req), KIND_UNAUTH, NULL, NULL, NULL,
	    NULL);
	for (i = 0; i < FLOOD_TRIES; i++) {
		if (send(fd, req, len, 0) == -1)
			err(1, "send");
		if (flood_answer(fd, ans, sizeof(ans), &m, req) == -1)
			continue;
		if (m.error_code != STUN_ERR_UNAUTHORIZED ||
		    (m.has & (STUN_HAS_REALM | STUN_HAS_NONCE)) !=
		    (STUN_HAS_REALM | STUN_HAS_NONCE) ||
		    m.realm.len >= rlen || m.nonce.len >= nlen) {
			warnx("the challenge is not a 401 with a realm and "
			    "a nonce (error %u)", m.error_code);
			return -1;
		}
		memcpy(realm, m.buf + m.realm.off, m.realm.len);
		realm[m.realm.len] = '\0';
		memcpy(nonce, m.buf + m.nonce.off, m.nonce.len);
		nonce[m.nonce.len] = '\0';
		return 0;
	}
	warnx("no answer to an unauthenticated Allocate");
	return -1;
}

/* An answer of the flood, counted by the kind its tid names. */
static void
flood_tally(const uint8_t *buf, size_t len)
{
	struct stun_msg		 m;
	struct flood_count	*c = &counts[KIND_OTHER];

	if (stun_parse(buf, len, &m) == -1) {
		c->answered++;
		c->codes[0]++;
		return;
	}
	if (m.tid[0] < KIND_OTHER &&
	    memcmp(m.tid + 1, run_id, sizeof(run_id)) == 0)
		c = &counts[m.tid[0]];
	c->answered++;
	if (stun_class(m.type) == STUN_ERROR && m.error_code < FLOOD_CODES)
		c->codes[m.error_code]++;
	else
		c->codes[0]++;
}

static int
flood_run(long rate, long secs)
{
	char			 realm[STUN_TEXT_MAX + 1];
	char			 nonce[STUN_TEXT_MAX + 1];
	char			 user[TURN_CRED_USER_MAX];
	char			 pass[TURN_CRED_PASS_MAX];
	uint8_t			 buf[FLOOD_DGRAM_MAX];
	struct pollfd		 pfd;
	long long		 start, end, due;
	unsigned long		 seq = 0, total_sent = 0, total_answered = 0;
	size_t			 len;
	ssize_t			 n;
	enum flood_kind		 k;
	int			 fd, i;

	fd = flood_socket(SOCK_DGRAM);
	pfd.fd = fd;
	pfd.events = POLLIN;
	/* A real nonce, so that the wrong password is what is refused. */
	if (flood_challenge(fd, realm, sizeof(realm), nonce,
	    sizeof(nonce)) == -1)
		return 1;
	/* A username that has not expired, a password of another secret. */
	if (turn_cred_make((const uint8_t *)FLOOD_BAD_SECRET,
	    strlen(FLOOD_BAD_SECRET), time(NULL) + FLOOD_CRED_LIFE, FLOOD_NAME,
	    user, pass) == -1)
		errx(1, "cannot make a username");
	start = flood_now_ms();
	end = start + secs * FLOOD_MS_PER_S;
	while (flood_now_ms() < end) {
		due = (flood_now_ms() - start) * rate / FLOOD_MS_PER_S;
		for (; seq < (unsigned long)due; seq++) {
			k = seq % KIND_OTHER;
			if (k == KIND_GARBAGE) {
				len = FLOOD_GARBAGE_LEN;
				arc4random_buf(buf, len);
			} else
				len = flood_allocate(buf, sizeof(buf), k,
				    k == KIND_BADAUTH ? user : NULL, realm,
				    nonce, pass);
			if (send(fd, buf, len, MSG_DONTWAIT) == -1 &&
			    errno != EAGAIN && errno != ENOBUFS &&
			    errno != ECONNREFUSED)
				err(1, "send");
			counts[k].sent++;
		}
		if (poll(&pfd, 1, FLOOD_TICK_MS) <= 0)
			continue;
		while ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
			flood_tally(buf, n);
	}
	/* Answers still on their way. */
	end = flood_now_ms() + FLOOD_WAIT_MS;
	while (flood_now_ms() < end)
		if (poll(&pfd, 1, FLOOD_TICK_MS) > 0)
			while ((n = recv(fd, buf, sizeof(buf),
			    MSG_DONTWAIT)) > 0)
				flood_tally(buf, n);
	for (k = 0; k < KIND_COUNT; k++) {
		printf("%s sent %lu answered %lu", kind_names[k],
		    counts[k].sent, counts[k].answered);
		if (counts[k].codes[0] > 0)
			printf(" ok %lu", counts[k].codes[0]);
		for (i = 1; i < FLOOD_CODES; i++)
			if (counts[k].codes[i] > 0)
				printf(" %d %lu", i, counts[k].codes[i]);
		printf("\n");
		total_sent += counts[k].sent;
		total_answered += counts[k].answered;
	}
	printf("total sent %lu answered %lu\n", total_sent, total_answered);
	return 0;
}

/* count allocations, each from a socket of its own, kept to the end. */
static int
flood_alloc(long count, const char *secret)
{
	char		 realm[STUN_TEXT_MAX + 1], nonce[STUN_TEXT_MAX + 1];
	char		 user[TURN_CRED_USER_MAX], pass[TURN_CRED_PASS_MAX];
	char		 addr[ADDR_STRLEN];
	uint8_t		 req[FLOOD_DGRAM_MAX], ans[FLOOD_DGRAM_MAX];
	struct stun_msg	 m;
	size_t		 len;
	long		 i;
	int		*fds, t, got;

	if (secret == NULL)
		flood_usage();
	if (turn_cred_make((const uint8_t *)secret, strlen(secret),
	    time(NULL) + FLOOD_CRED_LIFE, FLOOD_NAME, user, pass) == -1)
		errx(1, "cannot make a username");
	if ((fds = calloc(count, sizeof(*fds))) == NULL)
		err(1, NULL);
	for (i = 0; i < count; i++) {
		fds[i] = flood_socket(SOCK_DGRAM);
		if (flood_challenge(fds[i], realm, sizeof(realm), nonce,
		    sizeof(nonce)) == -1) {
			printf("alloc %ld no challenge\n", i + 1);
			continue;
		}
		len = flood_allocate(req, sizeof(req), KIND_UNAUTH, user,
		    realm, nonce, pass);
		for (t = got = 0; t < FLOOD_TRIES && !got; t++) {
			if (send(fds[i], req, len, 0) == -1)
				err(1, "send");
			got = flood_answer(fds[i], ans, sizeof(ans), &m,
			    req) == 0;
		}
		if (!got)
			printf("alloc %ld no answer\n", i + 1);
		else if (stun_class(m.type) == STUN_SUCCESS &&
		    (m.has & STUN_HAS_XOR_RELAYED))
			printf("alloc %ld ok %s\n", i + 1, sockaddr_str(
			    (struct sockaddr *)&m.xor_relayed, addr,
			    sizeof(addr)));
		else
			printf("alloc %ld error %u\n", i + 1, m.error_code);
	}
	for (i = 0; i < count; i++)
		close(fds[i]);
	free(fds);
	return 0;
}

/*
 * count TCP connections that each send what mode says and wait; each
 * line says when the server closed it (ms after it was opened) or that
 * it was still open after secs.
 */
static int
flood_hold(long count, long secs, const char *mode)
{
	struct stun_builder	 b;
	struct pollfd		*pfds;
	long long		*opened, end;
	uint8_t			 frame[STUN_HDR_LEN], buf[FLOOD_DGRAM_MAX];
	uint8_t			 tid[STUN_TID_LEN];
	const uint8_t		*p = NULL;
	size_t			 plen = 0;
	ssize_t			 n;
	long			 i, open;
	int			 fd, one = 1;

	if (strcmp(mode, "stun") == 0) {
		flood_tid(tid, KIND_OTHER);
		if (stun_build_init(&b, frame, sizeof(frame),
		    stun_type(STUN_BINDING, STUN_REQUEST), tid) == -1)
			errx(1, "cannot build a Binding");
		p = frame;
		plen = FLOOD_PARTIAL_LEN;
	} else if (strcmp(mode, "tls") == 0) {
		p = tls_half;
		plen = sizeof(tls_half);
	} else if (strcmp(mode, "none") != 0)
		flood_usage();
	if ((pfds = calloc(count, sizeof(*pfds))) == NULL ||
	    (opened = calloc(count, sizeof(*opened))) == NULL)
		err(1, NULL);
	for (i = 0; i < count; i++) {
		fd = flood_socket(SOCK_STREAM);
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
		    sizeof(one));
		opened[i] = flood_now_ms();
		if (plen > 0 && send(fd, p, plen, MSG_NOSIGNAL) == -1)
			warn("send on connection %ld", i + 1);
		pfds[i].fd = fd;
		pfds[i].events = POLLIN;
	}
	end = flood_now_ms() + secs * FLOOD_MS_PER_S;
	for (open = count; open > 0 && flood_now_ms() < end; ) {
		if (poll(pfds, count, end - flood_now_ms()) <= 0)
			continue;
		for (i = 0; i < count; i++) {
			if (pfds[i].fd == -1 || pfds[i].revents == 0)
				continue;
			/* A TLS alert may come before the end. */
			n = recv(pfds[i].fd, buf, sizeof(buf), MSG_DONTWAIT);
			if (n > 0 || (n == -1 && errno == EAGAIN))
				continue;
			printf("conn %ld closed %lld\n", i + 1,
			    flood_now_ms() - opened[i]);
			close(pfds[i].fd);
			pfds[i].fd = -1;
			open--;
		}
	}
	for (i = 0; i < count; i++)
		if (pfds[i].fd != -1) {
			printf("conn %ld open\n", i + 1);
			close(pfds[i].fd);
		}
	free(pfds);
	free(opened);
	return 0;
}

int
main(int argc, char *argv[])
{
	const char	*errstr, *mode = "stun", *secret = NULL;
	char		 buf[ADDR_STRLEN];
	long		 count = 1, rate = 1000, secs = 1;
	int		 ch;

	while ((ch = getopt(argc, argv, "l:m:n:r:s:t:")) != -1) {
		switch (ch) {
		case 'l':
			local = optarg;
			break;
		case 'm':
			mode = optarg;
			break;
		case 'n':
			count = strtonum(optarg, 1, FLOOD_COUNT_MAX, &errstr);
			if (errstr != NULL)
				flood_usage();
			break;
		case 'r':
			rate = strtonum(optarg, 1, FLOOD_RATE_MAX, &errstr);
			if (errstr != NULL)
				flood_usage();
			break;
		case 's':
			secret = optarg;
			break;
		case 't':
			secs = strtonum(optarg, 1, FLOOD_SECS_MAX, &errstr);
			if (errstr != NULL)
				flood_usage();
			break;
		default:
			flood_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 3)
		flood_usage();
	snprintf(buf, sizeof(buf), strchr(argv[1], ':') != NULL ? "[%s]:%s" :
	    "%s:%s", argv[1], argv[2]);
	if (endpoint_parse(buf, &server, &errstr) == -1)
		errx(2, "%s: %s", buf, errstr);
	arc4random_buf(run_id, sizeof(run_id));
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(argv[0], "flood") == 0)
		return flood_run(rate, secs);
	if (strcmp(argv[0], "alloc") == 0)
		return flood_alloc(count, secret);
	if (strcmp(argv[0], "hold") == 0)
		return flood_hold(count, secs, mode);
	flood_usage();
}
