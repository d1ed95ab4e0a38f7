/*
 * Unit tests of tern-relay's TURN server (relay/turn.c), as a TURN
 * client sees it: requests built with lib/stun.c and signed with
 * lib/turn_cred.c's REST passwords, peers that are UDP sockets on
 * loopback, and a clock the test sets, so that expiry is a clock moved
 * past a lifetime.  Client addresses only name 5-tuples: turn.c hands
 * its answers back and never sends to a client.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>
#include <sodium.h>

#include "addr.h"
#include "relay/peer_policy.h"
#include "relay/relay.h"
#include "relay/turn.h"
#include "stun.h"
#include "turn_cred.h"
#include "turnframe.h"

#define T0_MS		1000000		/* monotonic ms at the start: past 0 */
#define T0		1700000000	/* wall clock at the start, s */
#define MS		1000		/* ms per second */
#define REALM		"tern.test"
#define SECRET		"turn-test-secret"
/* REST usernames that hold for an hour after T0. */
#define ALICE		"1700003600:alice"
#define BOB		"1700003600:bob"
#define RELAY_IP	"127.0.0.1"	/* relay_addr[0] */
#define PORT_LO		50000		/* the relayed ports of the tests */
#define PORT_HI		50999
#define ANSWER_MAX	1024		/* relay/server.c: SERVER_ANSWER_MAX */
#define DGRAM_MAX	2048		/* peer datagrams of the tests */
#define WAIT_MS		2000		/* loopback delivers well within */
#define QUIET_MS	100		/* nothing came by then: it will not */
#define WATCH_MAX	64		/* watch calls that one test makes */
#define DRAIN_MAX	64		/* datagrams that one test sends */
#define NO_ANSWER	(-1)		/* turn_client_msg stayed silent */
#define TRIES		8		/* draws of a random port: 1/256 luck */
#define STREAM_ID	7		/* any stream id */
#define LIFE_LONG	3600		/* s: outlives a test's clock */
/* Attribute and method numbers that lib/stun.c and turn.c do not know. */
#define ATTR_UNKNOWN	0x0031		/* comprehension-required */
#define ATTR_OPTIONAL	0x8050		/* comprehension-optional */
#define METHOD_CONNECT	0x000a		/* RFC 6062: TCP relaying, not ours */
#define FAMILY_BAD	0x03		/* neither STUN_FAMILY_V4 nor _V6 */
#define TRANSPORT_TCP	6		/* RFC 8656 18: IANA's TCP */
#define EVEN_PORT_R	0x80		/* RFC 8656 18: reserve the next port */
#define ADDR_ERROR	0x8001		/* RFC 8656 18.13: ADDRESS-ERROR-CODE */
#define ADDR_ERROR_HDR	4		/* family, reserved, class, number */
#define ERR_CLASS_DIV	100		/* RFC 8489 14.8: class, number */
#define ADDR_HDR	4		/* RFC 8489 14.1: 0, family, port */
#define COOKIE_OFF	4		/* RFC 8489 14.2: XOR from the cookie */
#define XOR_PORT_MASK	(STUN_COOKIE >> 16)	/* RFC 8489 14.2 */
#define CHAN_SHIFT	16		/* CHANNEL-NUMBER: number, then RFFU */
#define BYTE_SHIFT	24		/* one-byte values lead their u32 */
#define ALIGN		4		/* RFC 8656 12.5: stream padding */

struct fix {
	struct turn_server	 srv;
	struct turn_client	 c;		/* a UDP client on listener 0 */
	uint8_t			 req[ANSWER_MAX];
	size_t			 reqlen;
	uint8_t			 key[STUN_LTKEY_LEN];	/* of the request */
	uint8_t			 ans_buf[ANSWER_MAX];
	size_t			 anslen;
	struct stun_msg		 ans;		/* in ans_buf */
	uint32_t		 seq;		/* makes transaction ids */
};

/* A peer: a UDP socket on a loopback address. */
struct peer {
	int			 fd;
	struct sockaddr_storage	 addr;
};

/* What turn.c told the server about a relayed socket. */
struct watch_call {
	struct turn_alloc	*a;
	int			 fi;
	int			 fd;
	int			 on;
};

static void	 test_watch(struct turn_alloc *, int, int);
static void	 fix_init(struct fix *);
static void	 fix_done(struct fix *);
static void	 at(struct fix *, uint64_t);
static const struct sockaddr *ep(struct sockaddr_storage *, const char *);
static const struct sockaddr *hp(struct sockaddr_storage *, const char *,
		    uint16_t);
static void	 client(struct turn_client *, const char *, int);
static void	 allow(struct fix *, const char *, int);
static void	 relay6(struct fix *);
static void	 password(const char *, char [TURN_CRED_PASS_MAX]);
static void	 req_start(struct fix *, struct stun_builder *, uint16_t,
		    uint16_t);
static void	 alloc_start(struct fix *, struct stun_builder *);
static void	 add_u32(struct stun_builder *, uint16_t, uint32_t);
static void	 add_family(struct stun_builder *, uint16_t, uint8_t);
static void	 add_even_port(struct stun_builder *, uint8_t);
static void	 add_token(struct stun_builder *, const uint8_t *);
static void	 add_peer(struct stun_builder *, const struct sockaddr *);
static int	 req_send_as(struct fix *, struct stun_builder *,
		    const struct turn_client *, const char *, const char *,
		    const char *);
static int	 req_send(struct fix *, struct stun_builder *,
		    const struct turn_client *);
static int	 req_again(struct fix *, const struct turn_client *);
static int	 exchange(struct fix *, const struct turn_client *);
static int	 allocate(struct fix *, const struct turn_client *,
		    const char *);
static int	 allocate_life(struct fix *, const struct turn_client *,
		    uint32_t);
static int	 refresh(struct fix *, const struct turn_client *, uint32_t);
static int	 permit(struct fix *, const struct turn_client *,
		    const struct sockaddr *);
static int	 bind_chan(struct fix *, const struct turn_client *, uint16_t,
		    const struct sockaddr *);
static struct turn_alloc *last_alloc(void);
static uint32_t	 answer_lifetime(struct fix *);
static uint16_t	 answer_port(struct fix *);
static void	 peer_open(struct peer *, const char *, uint16_t);
static void	 peer_open_below(struct peer *, const char *, uint16_t);
static void	 peer_close(struct peer *);
static int	 readable(int, int);
static void	 peer_expect(struct peer *, const uint8_t *, size_t,
		    const struct sockaddr_storage *);
static void	 peer_none(struct peer *);
static size_t	 peer_drain(struct peer *, size_t);
static void	 send_ind(struct fix *, const struct turn_client *,
		    const struct sockaddr *, const uint8_t *, size_t);
static void	 chan_data(struct fix *, const struct turn_client *, uint16_t,
		    const uint8_t *, size_t, size_t);
static size_t	 from_peer(struct fix *, struct turn_alloc *, struct peer *,
		    const uint8_t *, size_t, uint8_t *, size_t);
static const uint8_t *attr_find(const uint8_t *, size_t, uint16_t, size_t,
		    size_t *);
static void	 xor_decode(const uint8_t *, const uint8_t *, size_t,
		    struct sockaddr_storage *);
static void	 fd_closed(int);
static void	 rate_table(struct relay_rate *, uint32_t, uint32_t);
static int	 attempt(struct fix *, const char *, const char *);
static int	 take_token(struct fix *, const struct turn_client *,
		    const uint8_t *);
static uint16_t	 reserve(struct fix *, const struct turn_client *,
		    uint8_t [TURN_TOKEN_LEN]);
static int	 port_free(uint16_t);

static struct watch_call	 watch_calls[WATCH_MAX];
static size_t			 nwatch;
/* No send hook: turn.c sends to peers at once, as the tests expect. */
static const struct turn_ops	 test_ops = { test_watch, NULL };
static const uint8_t		 payload[] = "\x00\x01 tern \xff\xfe odd";

/* Called on a socket that is still open, on and off. */
static void
test_watch(struct turn_alloc *a, int fi, int on)
{
	ATF_REQUIRE(nwatch < WATCH_MAX);
	ATF_REQUIRE(fi >= 0 && fi < TURN_FAMILIES);
	ATF_REQUIRE(fcntl(a->fd[fi], F_GETFD) != -1);
	watch_calls[nwatch].a = a;
	watch_calls[nwatch].fi = fi;
	watch_calls[nwatch].fd = a->fd[fi];
	watch_calls[nwatch].on = on;
	nwatch++;
}

/* Loose limits, an IPv4 relay on RELAY_IP, loopback peers allowed. */
static void
fix_init(struct fix *f)
{
	ATF_REQUIRE(sodium_init() != -1);
	memset(f, 0, sizeof(*f));
	nwatch = 0;
	turn_init(&f->srv, &test_ops);
	ATF_REQUIRE(turn_auth_init(&f->srv.auth, REALM,
	    TURN_NONCE_LIFETIME_DEFAULT) == 0);
	ATF_REQUIRE(turn_auth_add_secret(&f->srv.auth, SECRET) == 0);
	f->srv.lim.allocs = RELAY_ALLOCS_USER_DEFAULT;
	f->srv.lim.allocs_user = RELAY_ALLOCS_USER_DEFAULT;
	f->srv.lim.allocs_src = RELAY_ALLOCS_USER_DEFAULT;
	f->srv.lim.perms = RELAY_PERMS_DEFAULT;
	f->srv.lim.chans = RELAY_CHANS_DEFAULT;
	f->srv.lim.nonce_lifetime = TURN_NONCE_LIFETIME_DEFAULT;
	f->srv.lim.authfail_rate = RELAY_AUTHFAIL_RATE_DEFAULT;
	f->srv.lim.port_lo = PORT_LO;
	f->srv.lim.port_hi = PORT_HI;
	f->srv.lim.bps = RELAY_BPS_DEFAULT;
	f->srv.lim.total_bps = RELAY_TOTAL_BPS_DEFAULT;
	hp(&f->srv.relay_addr[0], RELAY_IP, 0);
	allow(f, "127.0.0.0/8", 1);
	client(&f->c, "127.0.0.1:40000", 0);
	at(f, 0);
}

static void
fix_done(struct fix *f)
{
	turn_free_all(&f->srv);
	ATF_CHECK_EQ(f->srv.nallocs, 0);
	ATF_CHECK_EQ(f->srv.nresvs, 0);
	turn_auth_clear(&f->srv.auth);
}

/* The clocks at ms after the start. */
static void
at(struct fix *f, uint64_t ms)
{
	turn_clock(&f->srv, T0_MS + ms, T0 + (time_t)(ms / MS));
}

static const struct sockaddr *
ep(struct sockaddr_storage *ss, const char *s)
{
	const char	*errstr;

	ATF_REQUIRE_MSG(endpoint_parse(s, ss, &errstr) == 0, "%s", s);
	return (const struct sockaddr *)ss;
}

/* host ("127.0.0.1", "[::1]") with any port, 0 included. */
static const struct sockaddr *
hp(struct sockaddr_storage *ss, const char *host, uint16_t port)
{
	char	 text[ADDR_STRLEN];

	snprintf(text, sizeof(text), "%s:1", host);
	ep(ss, text);
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	return (const struct sockaddr *)ss;
}

static void
client(struct turn_client *c, const char *addr, int stream)
{
	memset(c, 0, sizeof(*c));
	c->stream = stream;
	c->via = stream ? STREAM_ID : 0;
	ep(&c->addr, addr);
}

static void
allow(struct fix *f, const char *prefix, int yes)
{
	const char	*errstr;

	ATF_REQUIRE(f->srv.nrules < RELAY_PEER_RULES_MAX);
	ATF_REQUIRE(relay_peer_rule_parse(prefix, yes,
	    &f->srv.rules[f->srv.nrules++], &errstr) == 0);
}

/* An IPv6 relay on ::1 as well, if this host has it. */
static void
relay6(struct fix *f)
{
	struct sockaddr_storage	 ss;
	int			 fd;

	if ((fd = socket(AF_INET6, SOCK_DGRAM, 0)) == -1)
		atf_tc_skip("no IPv6");
	hp(&ss, "[::1]", 0);
	if (bind(fd, (struct sockaddr *)&ss, sizeof(struct sockaddr_in6)) ==
	    -1) {
		close(fd);
		atf_tc_skip("no ::1");
	}
	close(fd);
	f->srv.relay_addr[1] = ss;
	allow(f, "::1/128", 1);
}

static void
password(const char *user, char pass[TURN_CRED_PASS_MAX])
{
	turn_cred_password((const uint8_t *)SECRET, strlen(SECRET), user,
	    strlen(user), pass);
}

/* A message with a transaction id of its own. */
static void
req_start(struct fix *f, struct stun_builder *b, uint16_t method,
    uint16_t class)
{
	uint8_t	 tid[STUN_TID_LEN];

	memset(tid, 0, sizeof(tid));
	f->seq++;
	memcpy(tid, &f->seq, sizeof(f->seq));
	ATF_REQUIRE(stun_build_init(b, f->req, sizeof(f->req),
	    stun_type(method, class), tid) == 0);
}

/* An Allocate of UDP, the one transport there is. */
static void
alloc_start(struct fix *f, struct stun_builder *b)
{
	req_start(f, b, STUN_ALLOCATE, STUN_REQUEST);
	add_u32(b, STUN_ATTR_REQUESTED_TRANSPORT,
	    STUN_TRANSPORT_UDP << BYTE_SHIFT);
}

static void
add_u32(struct stun_builder *b, uint16_t type, uint32_t v)
{
	ATF_REQUIRE(stun_add_u32(b, type, v) == 0);
}

/* REQUESTED- or ADDITIONAL-ADDRESS-FAMILY: family, then RFFU. */
static void
add_family(struct stun_builder *b, uint16_t type, uint8_t family)
{
	add_u32(b, type, (uint32_t)family << BYTE_SHIFT);
}

/* EVEN-PORT: the R bit on top of its one byte. */
static void
add_even_port(struct stun_builder *b, uint8_t r)
{
	ATF_REQUIRE(stun_add_bytes(b, STUN_ATTR_EVEN_PORT, &r, 1) == 0);
}

static void
add_token(struct stun_builder *b, const uint8_t *token)
{
	ATF_REQUIRE(stun_add_bytes(b, STUN_ATTR_RESERVATION_TOKEN, token,
	    TURN_TOKEN_LEN) == 0);
}

static void
add_peer(struct stun_builder *b, const struct sockaddr *sa)
{
	ATF_REQUIRE(stun_add_xor_addr(b, STUN_ATTR_XOR_PEER_ADDRESS, sa) == 0);
}

/*
 * Signed as user with pass (NULL: the right password) and nonce (NULL:
 * a fresh one for the client), or unsigned when user is NULL; then
 * FINGERPRINT.  What exchange says of the answer.
 */
static int
req_send_as(struct fix *f, struct stun_builder *b,
    const struct turn_client *c, const char *user, const char *pass,
    const char *nonce)
{
	char	 right[TURN_CRED_PASS_MAX], fresh[TURN_NONCE_MAX];

	memset(f->key, 0, sizeof(f->key));
	if (user != NULL) {
		if (pass == NULL) {
			password(user, right);
			pass = right;
		}
		if (nonce == NULL) {
			ATF_REQUIRE(turn_nonce_make(&f->srv.auth,
			    (const struct sockaddr *)&c->addr, f->srv.now,
			    fresh, sizeof(fresh)) == TURN_NONCE_MAX - 1);
			nonce = fresh;
		}
		ATF_REQUIRE(stun_add_bytes(b, STUN_ATTR_USERNAME, user,
		    strlen(user)) == 0);
		ATF_REQUIRE(stun_add_bytes(b, STUN_ATTR_REALM, REALM,
		    strlen(REALM)) == 0);
		ATF_REQUIRE(stun_add_bytes(b, STUN_ATTR_NONCE, nonce,
		    strlen(nonce)) == 0);
		stun_longterm_key(user, REALM, pass, f->key);
		ATF_REQUIRE(stun_add_integrity(b, f->key, sizeof(f->key)) == 0);
	}
	ATF_REQUIRE(stun_add_fingerprint(b) == 0);
	f->reqlen = stun_build_len(b);
	return exchange(f, c);
}

static int
req_send(struct fix *f, struct stun_builder *b, const struct turn_client *c)
{
	return req_send_as(f, b, c, ALICE, NULL, NULL);
}

/* The same bytes once more: a retransmission. */
static int
req_again(struct fix *f, const struct turn_client *c)
{
	return exchange(f, c);
}

/*
 * 0 for a success, the error code, or NO_ANSWER.  Any answer must be
 * well-formed for the request: its id and method, FINGERPRINT if the
 * request had it, and MESSAGE-INTEGRITY under the request's key if any
 * (a success always has it).
 */
static int
exchange(struct fix *f, const struct turn_client *c)
{
	struct stun_msg	 req;
	uint16_t	 class;

	ATF_REQUIRE(stun_parse(f->req, f->reqlen, &req) == 0);
	f->anslen = turn_client_msg(&f->srv, c, f->req, f->reqlen, f->ans_buf,
	    sizeof(f->ans_buf));
	ATF_REQUIRE(f->anslen <= sizeof(f->ans_buf));
	if (f->anslen == 0)
		return NO_ANSWER;
	ATF_REQUIRE(stun_parse(f->ans_buf, f->anslen, &f->ans) == 0);
	ATF_REQUIRE(memcmp(f->ans.tid, req.tid, STUN_TID_LEN) == 0);
	ATF_REQUIRE_EQ(stun_method(f->ans.type), stun_method(req.type));
	ATF_REQUIRE_EQ((f->ans.has & STUN_HAS_FINGERPRINT) != 0,
	    (req.has & STUN_HAS_FINGERPRINT) != 0);
	if (f->ans.has & STUN_HAS_FINGERPRINT)
		ATF_REQUIRE(stun_check_fingerprint(&f->ans) == 0);
	if (f->ans.has & STUN_HAS_INTEGRITY)
		ATF_REQUIRE(stun_check_integrity(&f->ans, f->key,
		    sizeof(f->key)) == 0);
	class = stun_class(f->ans.type);
	if (class == STUN_SUCCESS) {
		ATF_REQUIRE(f->ans.has & STUN_HAS_INTEGRITY);
		return 0;
	}
	ATF_REQUIRE_EQ(class, STUN_ERROR);
	ATF_REQUIRE(f->ans.has & STUN_HAS_ERROR);
	return f->ans.error_code;
}

/* A plain UDP Allocate from c as user. */
static int
allocate(struct fix *f, const struct turn_client *c, const char *user)
{
	struct stun_builder	 b;

	alloc_start(f, &b);
	return req_send_as(f, &b, c, user, NULL, NULL);
}

static int
allocate_life(struct fix *f, const struct turn_client *c, uint32_t life)
{
	struct stun_builder	 b;

	alloc_start(f, &b);
	add_u32(&b, STUN_ATTR_LIFETIME, life);
	return req_send(f, &b, c);
}

static int
refresh(struct fix *f, const struct turn_client *c, uint32_t life)
{
	struct stun_builder	 b;

	req_start(f, &b, STUN_REFRESH, STUN_REQUEST);
	add_u32(&b, STUN_ATTR_LIFETIME, life);
	return req_send(f, &b, c);
}

static int
permit(struct fix *f, const struct turn_client *c, const struct sockaddr *peer)
{
	struct stun_builder	 b;

	req_start(f, &b, STUN_CREATE_PERMISSION, STUN_REQUEST);
	add_peer(&b, peer);
	return req_send(f, &b, c);
}

static int
bind_chan(struct fix *f, const struct turn_client *c, uint16_t number,
    const struct sockaddr *peer)
{
	struct stun_builder	 b;

	req_start(f, &b, STUN_CHANNEL_BIND, STUN_REQUEST);
	add_u32(&b, STUN_ATTR_CHANNEL_NUMBER, (uint32_t)number << CHAN_SHIFT);
	add_peer(&b, peer);
	return req_send(f, &b, c);
}

/* The allocation whose socket was watched last. */
static struct turn_alloc *
last_alloc(void)
{
	ATF_REQUIRE(nwatch > 0 && watch_calls[nwatch - 1].on);
	return watch_calls[nwatch - 1].a;
}

static uint32_t
answer_lifetime(struct fix *f)
{
	ATF_REQUIRE(f->ans.has & STUN_HAS_LIFETIME);
	return f->ans.lifetime;
}

/* The port of XOR-RELAYED-ADDRESS, which is on the relay's address. */
static uint16_t
answer_port(struct fix *f)
{
	struct sockaddr_storage	 relay;

	ATF_REQUIRE(f->ans.has & STUN_HAS_XOR_RELAYED);
	ATF_REQUIRE_EQ(f->ans.xor_relayed.ss_family, AF_INET);
	hp(&relay, RELAY_IP, 0);
	ATF_CHECK(memcmp(&((struct sockaddr_in *)&f->ans.xor_relayed)->sin_addr,
	    &((struct sockaddr_in *)&relay)->sin_addr,
	    sizeof(struct in_addr)) == 0);
	return sockaddr_port((struct sockaddr *)&f->ans.xor_relayed);
}

/* Port 0: the kernel picks one. */
static void
peer_open(struct peer *p, const char *host, uint16_t port)
{
	socklen_t	 len = sizeof(p->addr);

	hp(&p->addr, host, port);
	ATF_REQUIRE((p->fd = socket(p->addr.ss_family, SOCK_DGRAM |
	    SOCK_NONBLOCK, 0)) != -1);
	ATF_REQUIRE_MSG(bind(p->fd, (struct sockaddr *)&p->addr,
	    sockaddr_len((struct sockaddr *)&p->addr)) == 0, "%s", host);
	ATF_REQUIRE(getsockname(p->fd, (struct sockaddr *)&p->addr, &len) ==
	    0);
}

/*
 * On the first free port from top down: a peer on the relay's own
 * address must sit on a relayed port, as another client's would.
 */
static void
peer_open_below(struct peer *p, const char *host, uint16_t top)
{
	struct sockaddr_storage	 ss;
	uint16_t		 port;

	for (port = top; port > top - TRIES; port--) {
		hp(&ss, host, port);
		ATF_REQUIRE((p->fd = socket(ss.ss_family, SOCK_DGRAM |
		    SOCK_NONBLOCK, 0)) != -1);
		if (bind(p->fd, (struct sockaddr *)&ss,
		    sockaddr_len((struct sockaddr *)&ss)) == 0) {
			p->addr = ss;
			return;
		}
		close(p->fd);
	}
	atf_tc_fail("no free port on %s", host);
}

static void
peer_close(struct peer *p)
{
	close(p->fd);
	p->fd = -1;
}

static int
readable(int fd, int ms)
{
	struct pollfd	 pfd;

	pfd.fd = fd;
	pfd.events = POLLIN;
	return poll(&pfd, 1, ms) == 1;
}

/* The next datagram is data, byte for byte, from the relayed address. */
static void
peer_expect(struct peer *p, const uint8_t *data, size_t len,
    const struct sockaddr_storage *relayed)
{
	uint8_t			 buf[DGRAM_MAX];
	struct sockaddr_storage	 from;
	socklen_t		 fl = sizeof(from);
	ssize_t			 n;

	ATF_REQUIRE_MSG(readable(p->fd, WAIT_MS), "nothing reached the peer");
	n = recvfrom(p->fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
	    &fl);
	ATF_REQUIRE_EQ(n, (ssize_t)len);
	ATF_CHECK(memcmp(buf, data, len) == 0);
	ATF_CHECK(sockaddr_cmp((struct sockaddr *)&from,
	    (const struct sockaddr *)relayed) == 0);
}

static void
peer_none(struct peer *p)
{
	ATF_CHECK_MSG(!readable(p->fd, QUIET_MS), "a datagram came through");
}

/* How many datagrams of len bytes wait, read up to quiet. */
static size_t
peer_drain(struct peer *p, size_t len)
{
	uint8_t	 buf[DGRAM_MAX];
	size_t	 n = 0;

	while (n < DRAIN_MAX && readable(p->fd, QUIET_MS)) {
		ATF_REQUIRE_EQ(recv(p->fd, buf, sizeof(buf), 0), (ssize_t)len);
		n++;
	}
	return n;
}

/* A Send indication, which never gets an answer. */
static void
send_ind(struct fix *f, const struct turn_client *c,
    const struct sockaddr *peer, const uint8_t *data, size_t len)
{
	struct stun_builder	 b;
	uint8_t			 out[ANSWER_MAX];

	req_start(f, &b, STUN_SEND, STUN_INDICATION);
	add_peer(&b, peer);
	ATF_REQUIRE(stun_add_bytes(&b, STUN_ATTR_DATA, data, len) == 0);
	ATF_REQUIRE(stun_add_fingerprint(&b) == 0);
	ATF_CHECK_EQ(turn_client_msg(&f->srv, c, f->req, stun_build_len(&b),
	    out, sizeof(out)), 0);
}

/* ChannelData with extra bytes after the data, as padding would be. */
static void
chan_data(struct fix *f, const struct turn_client *c, uint16_t number,
    const uint8_t *data, size_t len, size_t extra)
{
	uint8_t	 msg[DGRAM_MAX], out[ANSWER_MAX];

	ATF_REQUIRE(TURN_CD_HDR_LEN + len + extra <= sizeof(msg));
	msg[0] = number >> 8;
	msg[1] = number & 0xff;
	msg[2] = len >> 8;
	msg[3] = len & 0xff;
	memcpy(msg + TURN_CD_HDR_LEN, data, len);
	memset(msg + TURN_CD_HDR_LEN + len, 0, extra);
	ATF_CHECK_EQ(turn_client_msg(&f->srv, c, msg,
	    TURN_CD_HDR_LEN + len + extra, out, sizeof(out)), 0);
}

/*
 * The peer sends to the IPv4 relayed address; what arrives there, with
 * its source, goes to turn_peer_msg as relay/server.c would pass it.
 */
static size_t
from_peer(struct fix *f, struct turn_alloc *a, struct peer *p,
    const uint8_t *data, size_t len, uint8_t *out, size_t cap)
{
	uint8_t			 buf[DGRAM_MAX];
	struct sockaddr_storage	 from;
	socklen_t		 fl = sizeof(from);
	ssize_t			 n;

	ATF_REQUIRE(a->fd[0] != -1);
	ATF_REQUIRE(sendto(p->fd, data, len, 0,
	    (struct sockaddr *)&a->relayed[0],
	    sockaddr_len((struct sockaddr *)&a->relayed[0])) == (ssize_t)len);
	ATF_REQUIRE_MSG(readable(a->fd[0], WAIT_MS),
	    "nothing reached the relayed socket");
	n = recvfrom(a->fd[0], buf, sizeof(buf), 0, (struct sockaddr *)&from,
	    &fl);
	ATF_REQUIRE_EQ(n, (ssize_t)len);
	ATF_REQUIRE(sockaddr_cmp((struct sockaddr *)&from,
	    (struct sockaddr *)&p->addr) == 0);
	return turn_peer_msg(&f->srv, a, (struct sockaddr *)&from, buf,
	    (size_t)n, out, cap);
}

/* The value of the nth attribute of type in msg, NULL if none. */
static const uint8_t *
attr_find(const uint8_t *msg, size_t len, uint16_t type, size_t nth,
    size_t *vlen)
{
	size_t		 off = STUN_HDR_LEN, alen;
	uint16_t	 t;

	while (off + STUN_ATTR_HDR_LEN <= len) {
		t = msg[off] << 8 | msg[off + 1];
		alen = msg[off + 2] << 8 | msg[off + 3];
		if (alen > len - off - STUN_ATTR_HDR_LEN)
			return NULL;
		if (t == type && nth-- == 0) {
			*vlen = alen;
			return msg + off + STUN_ATTR_HDR_LEN;
		}
		off += STUN_ATTR_HDR_LEN + ((alen + ALIGN - 1) &
		    ~(size_t)(ALIGN - 1));
	}
	return NULL;
}

/* An XOR'd address attribute's value: RFC 8489 section 14.2. */
static void
xor_decode(const uint8_t *msg, const uint8_t *v, size_t vlen,
    struct sockaddr_storage *ss)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;
	uint16_t		 port;
	size_t			 i;

	memset(ss, 0, sizeof(*ss));
	port = (v[2] << 8 | v[3]) ^ XOR_PORT_MASK;
	if (v[1] == STUN_FAMILY_V4) {
		ATF_REQUIRE_EQ(vlen, ADDR_HDR + sizeof(struct in_addr));
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		for (i = 0; i < sizeof(struct in_addr); i++)
			((uint8_t *)&sin->sin_addr)[i] = v[ADDR_HDR + i] ^
			    msg[COOKIE_OFF + i];
		return;
	}
	ATF_REQUIRE_EQ(v[1], STUN_FAMILY_V6);
	ATF_REQUIRE_EQ(vlen, ADDR_HDR + sizeof(struct in6_addr));
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	for (i = 0; i < sizeof(struct in6_addr); i++)
		sin6->sin6_addr.s6_addr[i] = v[ADDR_HDR + i] ^
		    msg[COOKIE_OFF + i];
}

/* turn.c closed it: the number names no open file now. */
static void
fd_closed(int fd)
{
	errno = 0;
	ATF_CHECK(fcntl(fd, F_GETFD) == -1 && errno == EBADF);
}

/* RFC 8656 7.1: the first Allocate learns the realm and a nonce. */
ATF_TC_WITHOUT_HEAD(allocate_challenge);
ATF_TC_BODY(allocate_challenge, tc)
{
	struct fix		 f;
	struct stun_builder	 b;
	char			 nonce[TURN_NONCE_MAX];

	fix_init(&f);
	/* Without FINGERPRINT: the answer has none either. */
	alloc_start(&f, &b);
	f.reqlen = stun_build_len(&b);
	ATF_CHECK_EQ(exchange(&f, &f.c), STUN_ERR_UNAUTHORIZED);
	ATF_CHECK((f.ans.has & STUN_HAS_INTEGRITY) == 0);
	ATF_REQUIRE(f.ans.has & STUN_HAS_REALM);
	ATF_CHECK_EQ(f.ans.realm.len, strlen(REALM));
	ATF_CHECK(memcmp(f.ans_buf + f.ans.realm.off, REALM,
	    strlen(REALM)) == 0);
	ATF_REQUIRE(f.ans.has & STUN_HAS_NONCE);
	ATF_REQUIRE_EQ(f.ans.nonce.len, TURN_NONCE_MAX - 1);
	memcpy(nonce, f.ans_buf + f.ans.nonce.off, f.ans.nonce.len);
	nonce[f.ans.nonce.len] = '\0';
	ATF_CHECK_EQ(f.srv.nallocs, 0);
	ATF_CHECK_EQ(nwatch, 0);

	/* The same with FINGERPRINT, then the retry with that nonce. */
	alloc_start(&f, &b);
	ATF_CHECK_EQ(req_send_as(&f, &b, &f.c, NULL, NULL, NULL),
	    STUN_ERR_UNAUTHORIZED);
	ATF_CHECK((f.ans.has & STUN_HAS_INTEGRITY) == 0);
	alloc_start(&f, &b);
	ATF_CHECK_EQ(req_send_as(&f, &b, &f.c, ALICE, NULL, nonce), 0);
	ATF_CHECK(turn_has_alloc(&f.srv, &f.c));
	fix_done(&f);
}

ATF_TC_WITHOUT_HEAD(allocate_success);
ATF_TC_BODY(allocate_success, tc)
{
	struct fix		 f;
	struct sockaddr_storage	 bound;
	socklen_t		 len = sizeof(bound);
	struct turn_alloc	*a;
	uint16_t		 port;

	fix_init(&f);
	ATF_REQUIRE_EQ(allocate(&f, &f.c, ALICE), 0);
	port = answer_port(&f);
	ATF_CHECK(port >= PORT_LO && port <= PORT_HI);
	ATF_CHECK_EQ(answer_lifetime(&f), TURN_LIFETIME_DEFAULT);
	ATF_REQUIRE(f.ans.has & STUN_HAS_XOR_MAPPED);
	ATF_CHECK(sockaddr_cmp((struct sockaddr *)&f.ans.xor_mapped,
	    (struct sockaddr *)&f.c.addr) == 0);
	ATF_CHECK(turn_has_alloc(&f.srv, &f.c));
	ATF_CHECK_EQ(f.srv.nallocs, 1);
	ATF_CHECK_EQ(f.srv.stats.allocs_made, 1);

	/* One socket was watched, bound where the answer says. */
	ATF_REQUIRE_EQ(nwatch, 1);
	ATF_CHECK_EQ(watch_calls[0].on, 1);
	ATF_CHECK_EQ(watch_calls[0].fi, 0);
	a = last_alloc();
	ATF_CHECK_EQ(a->fd[1], -1);
	ATF_REQUIRE(getsockname(a->fd[0], (struct sockaddr *)&bound, &len) ==
	    0);
	ATF_CHECK(sockaddr_cmp((struct sockaddr *)&bound,
	    (struct sockaddr *)&f.ans.xor_relayed) == 0);
	ATF_CHECK_STREQ(a->user, ALICE);
	fix_done(&f);
	ATF_REQUIRE_EQ(nwatch, 2);
	ATF_CHECK_EQ(watch_calls[1].on, 0);
	fd_closed(watch_calls[1].fd);
}

/* RFC 8656 7.2: the default unless more is asked, never past the cap. */
ATF_TC_WITHOUT_HEAD(allocate_lifetime);
ATF_TC_BODY(allocate_lifetime, tc)
{
	static const struct {
		uint32_t	 asked;
		uint32_t	 given;
	} t[] = {
		{ 0, TURN_LIFETIME_DEFAULT },
		{ 1, TURN_LIFETIME_DEFAULT },
		{ TURN_LIFETIME_DEFAULT, TURN_LIFETIME_DEFAULT },
		{ TURN_LIFETIME_DEFAULT + 1, TURN_LIFETIME_DEFAULT + 1 },
		{ TURN_LIFETIME_MAX - 1, TURN_LIFETIME_MAX - 1 },
		{ TURN_LIFETIME_MAX, TURN_LIFETIME_MAX },
		{ TURN_LIFETIME_MAX + 1, TURN_LIFETIME_MAX },
		{ UINT32_MAX, TURN_LIFETIME_MAX },
	};
	struct fix		 f;
	struct turn_client	 c;
	char			 addr[ADDR_STRLEN];
	size_t			 i;

	fix_init(&f);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(addr, sizeof(addr), "127.0.0.1:%zu", 41000 + i);
		client(&c, addr, 0);
		ATF_REQUIRE_EQ(allocate_life(&f, &c, t[i].asked), 0);
		ATF_CHECK_EQ_MSG(answer_lifetime(&f), t[i].given, "asked %u",
		    t[i].asked);
		ATF_CHECK_EQ(last_alloc()->expires_ms,
		    T0_MS + (uint64_t)t[i].given * MS);
	}
	fix_done(&f);
}

/* RFC 8656 7.2: a lost answer is asked for again with the same id. */
ATF_TC_WITHOUT_HEAD(allocate_retransmit);
ATF_TC_BODY(allocate_retransmit, tc)
{
	struct fix		 f;
	struct sockaddr_storage	 first;

	fix_init(&f);
	ATF_REQUIRE_EQ(allocate(&f, &f.c, ALICE), 0);
	first = f.ans.xor_relayed;
	at(&f, 10 * MS);
	ATF_REQUIRE_EQ(req_again(&f, &f.c), 0);
	ATF_CHECK(sockaddr_cmp((struct sockaddr *)&f.ans.xor_relayed,
	    (struct sockaddr *)&first) == 0);
	/* The time left, not a new lifetime. */
	ATF_CHECK_EQ(answer_lifetime(&f), TURN_LIFETIME_DEFAULT - 10);
	ATF_CHECK_EQ(f.srv.nallocs, 1);
	ATF_CHECK_EQ(nwatch, 1);
	fix_done(&f);
}

ATF_TC_WITHOUT_HEAD(allocate_mismatch);
ATF_TC_BODY(allocate_mismatch, tc)
{
	struct fix		 f;
	struct turn_client	 other;

	fix_init(&f);
	ATF_REQUIRE_EQ(allocate(&f, &f.c, ALICE), 0);
	ATF_CHECK_EQ(allocate(&f, &f.c, ALICE), STUN_ERR_ALLOCATION_MISMATCH);
	/* Authenticated: the error is signed. */
	ATF_CHECK(f.ans.has & STUN_HAS_INTEGRITY);
	ATF_CHECK_EQ(f.srv.stats.refused[TURN_REF_MISMATCH], 1);
	/* Another port of the same host is another 5-tuple. */
	client(&other, "127.0.0.1:40001", 0);
	ATF_CHECK_EQ(allocate(&f, &other, ALICE), 0);
	/* So is the same address over a stream. */
	client(&other, "127.0.0.1:40000", 1);
	ATF_CHECK_EQ(allocate(&f, &other, ALICE), 0);
	ATF_CHECK_EQ(f.srv.nallocs, 3);
	fix_done(&f);
}

ATF_TC_WITHOUT_HEAD(allocate_transport);
ATF_TC_BODY(allocate_transport, tc)
{
	struct fix		 f;
	struct stun_builder	 b;

	fix_init(&f);
	req_start(&f, &b, STUN_ALLOCATE, STUN_REQUEST);
	ATF_CHECK_EQ(req_send(&f, &b, &f.c), STUN_ERR_BAD_REQUEST);
	req_start(&f, &b, STUN_ALLOCATE, STUN_REQUEST);
	add_u32(&b, STUN_ATTR_REQUESTED_TRANSPORT, TRANSPORT_TCP << BYTE_SHIFT);
	ATF_CHECK_EQ(req_send(&f, &b, &f.c), STUN_ERR_UNSUPPORTED_TRANSPORT);
	ATF_CHECK_EQ(f.srv.nallocs, 0);
	ATF_CHECK_EQ(nwatch, 0);
	fix_done(&f);
}

/* RFC 8656 7.2: REQUESTED-ADDRESS-FAMILY on an IPv4-only relay. */
ATF_TC_WITHOUT_HEAD(allocate_family);
ATF_TC_BODY(allocate_family, tc)
{
	struct fix		 f;
	struct stun_builder	 b;

	fix_init(&f);
	alloc_start(&f, &b);
	add_family(&b, STUN_ATTR_REQUESTED_FAMILY, STUN_FAMILY_V6);
	ATF_CHECK_EQ(req_send(&f, &b, &f.c), STUN_ERR_FAMILY_UNSUPPORTED);
	alloc_start(&f, &b);
	add_family(&b, STUN_ATTR_REQUESTED_FAMILY, FAMILY_BAD);
	ATF_CHECK_EQ(req_send(&f, &b, &f.c), STUN_ERR_FAMILY_UNSUPPORTED);
	ATF_CHECK_EQ(f.srv.nallocs, 0);

	alloc_start(&f, &b);
	add_family(&b, STUN_ATTR_REQUESTED_FAMILY, STUN_FAMILY_V4);
	ATF_CHECK_EQ(req_send(&f, &b, &f.c), 0);
	ATF_CHECK_EQ(f.ans.xor_relayed.ss_family, AF_INET);
	fix_done(&f);
}

/* RFC 8656 7.2: IPv4, and IPv6 refused in ADDRESS-ERROR-CODE. */
ATF_TC_WITHOUT_HEAD(allocate_additional_family);
ATF_TC_BODY(allocate_additional_family, tc)
{
	struct fix		 f;
	struct stun_builder	 b;
	struct turn_client	 c;
	const uint8_t		*v;
	size_t			 vlen;

	fix_init(&f);
	alloc_start(&f, &b);
	add_family(&b, STUN_ATTR_ADDITIONAL_FAMILY, STUN_FAMILY_V6);
	ATF_REQUIRE_EQ(req_send(&f, &b, &f.c), 0);
	ATF_CHECK_EQ(f.ans.xor_relayed.ss_family, AF_INET);
	ATF_CHECK(attr_find(f.ans_buf, f.anslen, STUN_ATTR_XOR_RELAYED_ADDRESS,
	    1, &vlen) == NULL);
	v = attr_find(f.ans_buf, f.anslen, ADDR_ERROR, 0, &vlen);
	ATF_REQUIRE(v != NULL);
	ATF_REQUIRE(vlen > ADDR_ERROR_HDR);
	ATF_CHECK_EQ(v[0], STUN_FAMILY_V6);
	ATF_CHECK_EQ(v[2] * ERR_CLASS_DIV + v[3], STUN_ERR_FAMILY_UNSUPPORTED);
	ATF_CHECK_EQ(last_alloc()->fd[1], -1);

	/* Only IPv6 may be additional. */
	client(&c, "127.0.0.1:40001", 0);
	alloc_start(&f, &b);
	add_family(&b, STUN_ATTR_ADDITIONAL_FAMILY, STUN_FAMILY_V4);
	ATF_CHECK_EQ(req_send(&f, &b, &c), STUN_ERR_BAD_REQUEST);
	/* Both attributes at once: RFC 8656 7.2 says 400. */
	alloc_start(&f, &b);
	add_family(&b, STUN_ATTR_REQUESTED_FAMILY, STUN_FAMILY_V4);
	add_family(&b, STUN_ATTR_ADDITIONAL_FAMILY, STUN_FAMILY_V6);
	ATF_CHECK_EQ(req_send(&f, &b, &c), STUN_ERR_BAD_REQUEST);
	/* EVEN-PORT with two families: 400. */
	alloc_start(&f, &b);
	add_family(&b, STUN_ATTR_ADDITIONAL_FAMILY, STUN_FAMILY_V6);
	add_even_port(&b, 0);
	ATF_CHECK_EQ(req_send(&f, &b, &c), STUN_ERR_BAD_REQUEST);
	ATF_CHECK_EQ(f.srv.nallocs, 1);
	fix_done(&f);
}

/* With an IPv6 relay on ::1: both families, and data on each. */
ATF_TC_WITHOUT_HEAD(allocate_dual_stack);
ATF_TC_BODY(allocate_dual_stack, tc)
{
	struct fix		 f;
	struct stun_builder	 b;
	struct sockaddr_storage	 r4, r6;
	struct turn_client	 c;
	struct turn_alloc	*a;
	struct peer		 p4, p6;
	const uint8_t		*v;
	size_t			 vlen;

	fix_init(&f);
	relay6(&f);
	alloc_start(&f, &b);
	add_family(&b, STUN_ATTR_ADDITIONAL_FAMILY, STUN_FAMILY_V6);
	ATF_REQUIRE_EQ(req_send(&f, &b, &f.c), 0);
	ATF_CHECK(attr_find(f.ans_buf, f.anslen, ADDR_ERROR, 0, &vlen) ==
	    NULL);
	v = attr_find(f.ans_buf, f.anslen, STUN_ATTR_XOR_RELAYED_ADDRESS, 0,
	    &vlen);
	ATF_REQUIRE(v != NULL);
	xor_decode(f.ans_buf, v, vlen, &r4);
	v = attr_find(f.ans_buf, f.anslen, STUN_ATTR_XOR_RELAYED_ADDRESS, 1,
	    &vlen);
	ATF_REQUIRE(v != NULL);
	xor_decode(f.ans_buf, v, vlen, &r6);
	ATF_REQUIRE_EQ(r4.ss_family, AF_INET);
	ATF_REQUIRE_EQ(r6.ss_family, AF_INET6);
	ATF_CHECK(IN6_IS_ADDR_LOOPBACK(
	    &((struct sockaddr_in6 *)&r6)->sin6_addr));
	ATF_CHECK(sockaddr_port((struct sockaddr *)&r6) >= PORT_LO &&
	    sockaddr_port((struct sockaddr *)&r6) <= PORT_HI);
	ATF_REQUIRE_EQ(nwatch, 2);
	a = last_alloc();
	ATF_CHECK(a->fd[0] != -1 && a->fd[1] != -1);

	/* Each family's peer gets data from its own relayed address. */
	peer_open(&p4, "127.0.0.2", 0);
	peer_open_below(&p6, "[::1]", PORT_HI);
	ATF_REQUIRE_EQ(permit(&f, &f.c, (struct sockaddr *)&p4.addr), 0);
	ATF_REQUIRE_EQ(permit(&f, &f.c, (struct sockaddr *)&p6.addr), 0);
	send_ind(&f, &f.c, (struct sockaddr *)&p6.addr, payload,
	    sizeof(payload));
	peer_expect(&p6, payload, sizeof(payload), &r6);
	send_ind(&f, &f.c, (struct sockaddr *)&p4.addr, payload,
	    sizeof(payload));
	peer_expect(&p4, payload, sizeof(payload), &r4);

	/* Only IPv6, and a Refresh that names it. */
	client(&c, "127.0.0.1:40001", 0);
	alloc_start(&f, &b);
	add_family(&b, STUN_ATTR_REQUESTED_FAMILY, STUN_FAMILY_V6);
	ATF_REQUIRE_EQ(req_send(&f, &b, &c), 0);
	ATF_CHECK_EQ(f.ans.xor_relayed.ss_family, AF_INET6);
	a = last_alloc();
	ATF_CHECK(a->fd[0] == -1 && a->fd[1] != -1);
	/* A v4 peer on a v6 allocation: 443. */
	ATF_CHECK_EQ(permit(&f, &c, (struct sockaddr *)&p4.addr),
	    STUN_ERR_FAMILY_MISMATCH);
	req_start(&f, &b, STUN_REFRESH, STUN_REQUEST);
	add_family(&b, STUN_ATTR_REQUESTED_FAMILY, STUN_FAMILY_V6);
	ATF_CHECK_EQ(req_send(&f, &b, &c), 0);
	req_start(&f, &b, STUN_REFRESH, STUN_REQUEST);
	add_family(&b, STUN_ATTR_REQUESTED_FAMILY, STUN_FAMILY_V4);
	ATF_CHECK_EQ(req_send(&f, &b, &c), STUN_ERR_FAMILY_MISMATCH);
	peer_close(&p4);
	peer_close(&p6);
	fix_done(&f);
}

/* RFC 8656 7.2: EVEN-PORT without R asks an even port, nothing held. */
ATF_TC_WITHOUT_HEAD(allocate_even_port);
ATF_TC_BODY(allocate_even_port, tc)
{
	struct fix		 f;
	struct stun_builder	 b;
	struct turn_client	 c;
	char			 addr[ADDR_STRLEN];
	uint16_t		 port;
	int			 i;

	fix_init(&f);
	for (i = 0; i < TRIES; i++) {
		snprintf(addr, sizeof(addr), "127.0.0.1:%d", 41000 + i);
		client(&c, addr, 0);
		alloc_start(&f, &b);
		add_even_port(&b, 0);
		ATF_REQUIRE_EQ(req_send(&f, &b, &c), 0);
		port = answer_port(&f);
		ATF_CHECK_EQ_MSG(port % 2, 0, "port %u", port);
		ATF_CHECK(port >= PORT_LO && port <= PORT_HI);
		ATF_CHECK((f.ans.has & STUN_HAS_RESERVATION) == 0);
	}
	ATF_CHECK_EQ(f.srv.nresvs, 0);
	fix_done(&f);
}

/* An Allocate that takes a reservation by its token. */
static int
take_token(struct fix *f, const struct turn_client *c, const uint8_t *token)
{
	struct stun_builder	 b;

	alloc_start(f, &b);
	add_token(&b, token);
	return req_send(f, &b, c);
}

/* EVEN-PORT R from c: the even port, and the token of port + 1. */
static uint16_t
reserve(struct fix *f, const struct turn_client *c,
    uint8_t token[TURN_TOKEN_LEN])
{
	struct stun_builder	 b;
	uint16_t		 port;

	alloc_start(f, &b);
	add_even_port(&b, EVEN_PORT_R);
	ATF_REQUIRE_EQ(req_send(f, &b, c), 0);
	port = answer_port(f);
	ATF_CHECK_EQ(port % 2, 0);
	ATF_REQUIRE(port >= PORT_LO && port < PORT_HI);
	ATF_REQUIRE(f->ans.has & STUN_HAS_RESERVATION);
	ATF_REQUIRE_EQ(f->ans.token.len, TURN_TOKEN_LEN);
	memcpy(token, f->ans_buf + f->ans.token.off, TURN_TOKEN_LEN);
	return port;
}

/* 1 if the relay's address and port can be bound: nobody holds it. */
static int
port_free(uint16_t port)
{
	struct sockaddr_storage	 ss;
	int			 fd, ok;

	hp(&ss, RELAY_IP, port);
	ATF_REQUIRE((fd = socket(AF_INET, SOCK_DGRAM, 0)) != -1);
	ok = bind(fd, (struct sockaddr *)&ss, sizeof(struct sockaddr_in)) == 0;
	ATF_REQUIRE(ok || errno == EADDRINUSE);
	close(fd);
	return ok;
}

/* RFC 8656 7.2: EVEN-PORT R holds port + 1 for the token's holder. */
ATF_TC_WITHOUT_HEAD(allocate_reservation);
ATF_TC_BODY(allocate_reservation, tc)
{
	struct fix		 f;
	struct stun_builder	 b;
	struct turn_client	 c2, c3;
	uint8_t			 token[TURN_TOKEN_LEN], other[TURN_TOKEN_LEN];
	uint16_t		 port;

	fix_init(&f);
	client(&c2, "127.0.0.2:40000", 0);
	client(&c3, "127.0.0.3:40000", 0);
	port = reserve(&f, &f.c, token);
	ATF_CHECK_EQ(f.srv.nresvs, 1);
	ATF_CHECK_EQ(f.srv.nallocs, 1);

	ATF_CHECK(!port_free(port + 1));

	/* A token nobody holds: 508. */
	memcpy(other, token, sizeof(other));
	other[0] ^= 1;
	ATF_CHECK_EQ(take_token(&f, &c2, other),
	    STUN_ERR_INSUFFICIENT_CAPACITY);
	/* The holder, on another 5-tuple, gets port + 1. */
	ATF_REQUIRE_EQ(take_token(&f, &c2, token), 0);
	ATF_CHECK_EQ(answer_port(&f), port + 1);
	ATF_CHECK_EQ(answer_lifetime(&f), TURN_LIFETIME_DEFAULT);
	ATF_CHECK_EQ(f.srv.nresvs, 0);
	ATF_CHECK_EQ(f.srv.nallocs, 2);
	ATF_CHECK(last_alloc()->fd[0] != -1);
	/* Once. */
	ATF_CHECK_EQ(take_token(&f, &c3, token),
	    STUN_ERR_INSUFFICIENT_CAPACITY);

	/* A token goes with no family and no EVEN-PORT: 400. */
	alloc_start(&f, &b);
	add_token(&b, token);
	add_even_port(&b, 0);
	ATF_CHECK_EQ(req_send(&f, &b, &c3), STUN_ERR_BAD_REQUEST);
	alloc_start(&f, &b);
	add_token(&b, token);
	add_family(&b, STUN_ATTR_REQUESTED_FAMILY, STUN_FAMILY_V4);
	ATF_CHECK_EQ(req_send(&f, &b, &c3), STUN_ERR_BAD_REQUEST);
	ATF_CHECK_EQ(f.srv.nallocs, 2);
	fix_done(&f);
}

/* RFC 8656 7.2: an unclaimed reservation goes after 30 s, port freed. */
ATF_TC_WITHOUT_HEAD(reservation_expiry);
ATF_TC_BODY(reservation_expiry, tc)
{
	struct fix		 f;
	struct turn_client	 c2;
	uint8_t			 token[TURN_TOKEN_LEN];
	uint16_t		 port;

	fix_init(&f);
	client(&c2, "127.0.0.2:40000", 0);
	port = reserve(&f, &f.c, token);

	at(&f, TURN_RESV_LIFETIME * MS - 1);
	turn_expire(&f.srv);
	ATF_CHECK_EQ(f.srv.nresvs, 1);
	at(&f, TURN_RESV_LIFETIME * MS);
	turn_expire(&f.srv);
	ATF_CHECK_EQ(f.srv.nresvs, 0);
	ATF_CHECK_EQ(take_token(&f, &c2, token),
	    STUN_ERR_INSUFFICIENT_CAPACITY);
	ATF_CHECK(port_free(port + 1));
	fix_done(&f);
}

/* RFC 8489 9.2.4: a nonce older than its lifetime gets 438, a new one. */
ATF_TC_WITHOUT_HEAD(auth_stale_nonce);
ATF_TC_BODY(auth_stale_nonce, tc)
{
	struct fix		 f;
	struct stun_builder	 b;
	struct turn_client	 c2;
	char			 nonce[TURN_NONCE_MAX], fresh[TURN_NONCE_MAX];

	fix_init(&f);
	client(&c2, "127.0.0.1:40001", 0);
	ATF_REQUIRE(turn_nonce_make(&f.srv.auth, (struct sockaddr *)&f.c.addr,
	    f.srv.now, nonce, sizeof(nonce)) == TURN_NONCE_MAX - 1);
	/* One second short of its lifetime it holds, on any port. */
	at(&f, (TURN_NONCE_LIFETIME_DEFAULT - 1) * MS);
	alloc_start(&f, &b);
	ATF_CHECK_EQ(req_send_as(&f, &b, &c2, ALICE, NULL, nonce), 0);

	at(&f, TURN_NONCE_LIFETIME_DEFAULT * MS);
	alloc_start(&f, &b);
	ATF_REQUIRE_EQ(req_send_as(&f, &b, &f.c, ALICE, NULL, nonce),
	    STUN_ERR_STALE_NONCE);
	ATF_CHECK((f.ans.has & STUN_HAS_INTEGRITY) == 0);
	ATF_REQUIRE(f.ans.has & STUN_HAS_REALM);
	ATF_REQUIRE(f.ans.has & STUN_HAS_NONCE);
	ATF_REQUIRE_EQ(f.ans.nonce.len, TURN_NONCE_MAX - 1);
	memcpy(fresh, f.ans_buf + f.ans.nonce.off, f.ans.nonce.len);
	fresh[f.ans.nonce.len] = '\0';
	ATF_CHECK(strcmp(fresh, nonce) != 0);
	ATF_CHECK(!turn_has_alloc(&f.srv, &f.c));

	alloc_start(&f, &b);
	ATF_CHECK_EQ(req_send_as(&f, &b, &f.c, ALICE, NULL, fresh), 0);
	fix_done(&f);
}

ATF_TC_WITHOUT_HEAD(auth_wrong_password);
ATF_TC_BODY(auth_wrong_password, tc)
{
	struct fix		 f;
	struct stun_builder	 b;
	char			 pass[TURN_CRED_PASS_MAX];

	fix_init(&f);
	alloc_start(&f, &b);
	ATF_CHECK_EQ(req_send_as(&f, &b, &f.c, ALICE, "not-the-password",
	    NULL), STUN_ERR_UNAUTHORIZED);
	ATF_CHECK((f.ans.has & STUN_HAS_INTEGRITY) == 0);
	ATF_CHECK(f.ans.has & STUN_HAS_NONCE);
	ATF_CHECK_EQ(f.srv.stats.refused[TURN_REF_AUTH], 1);
	/* Bob's password under Alice's name. */
	password(BOB, pass);
	alloc_start(&f, &b);
	ATF_CHECK_EQ(req_send_as(&f, &b, &f.c, ALICE, pass, NULL),
	    STUN_ERR_UNAUTHORIZED);
	/* An expired username. */
	alloc_start(&f, &b);
	ATF_CHECK_EQ(req_send_as(&f, &b, &f.c, "1699999999:alice", NULL,
	    NULL), STUN_ERR_UNAUTHORIZED);
	ATF_CHECK_EQ(f.srv.nallocs, 0);
	ATF_CHECK_EQ(nwatch, 0);
	fix_done(&f);
}

/* RFC 8489 9.2.4: MESSAGE-INTEGRITY without USERNAME, REALM, NONCE. */
ATF_TC_WITHOUT_HEAD(auth_incomplete);
ATF_TC_BODY(auth_incomplete, tc)
{
	struct fix		 f;
	struct stun_builder	 b;

	fix_init(&f);
	alloc_start(&f, &b);
	ATF_REQUIRE(stun_add_bytes(&b, STUN_ATTR_USERNAME, ALICE,
	    strlen(ALICE)) == 0);
	ATF_REQUIRE(stun_add_integrity(&b, f.key, sizeof(f.key)) == 0);
	ATF_REQUIRE(stun_add_fingerprint(&b) == 0);
	f.reqlen = stun_build_len(&b);
	ATF_CHECK_EQ(exchange(&f, &f.c), STUN_ERR_BAD_REQUEST);
	ATF_CHECK((f.ans.has & STUN_HAS_INTEGRITY) == 0);
	ATF_CHECK_EQ(f.srv.nallocs, 0);
	fix_done(&f);
}

/* RFC 8656 section 5: an allocation answers to its user alone. */
ATF_TC_WITHOUT_HEAD(auth_other_user);
ATF_TC_BODY(auth_other_user, tc)
{
	struct fix		 f;
	struct stun_builder	 b;
	struct peer		 p;

	fix_init(&f);
	peer_open(&p, "127.0.0.2", 0);
	ATF_REQUIRE_EQ(allocate(&f, &f.c, ALICE), 0);
	ATF_CHECK_EQ(allocate(&f, &f.c, BOB), STUN_ERR_WRONG_CREDENTIALS);
	/* Signed with Bob's key, which he proved. */
	ATF_CHECK(f.ans.has & STUN_HAS_INTEGRITY);
	req_start(&f, &b, STUN_REFRESH, STUN_REQUEST);
	add_u32(&b, STUN_ATTR_LIFETIME, 0);
	ATF_CHECK_EQ(req_send_as(&f, &b, &f.c, BOB, NULL, NULL),
	    STUN_ERR_WRONG_CREDENTIALS);
	req_start(&f, &b, STUN_CREATE_PERMISSION, STUN_REQUEST);
	add_peer(&b, (struct sockaddr *)&p.addr);
	ATF_CHECK_EQ(req_send_as(&f, &b, &f.c, BOB, NULL, NULL),
	    STUN_ERR_WRONG_CREDENTIALS);
	ATF_CHECK_EQ(f.srv.stats.refused[TURN_REF_AUTH], 3);
	ATF_CHECK(turn_has_alloc(&f.srv, &f.c));
	ATF_CHECK_EQ(last_alloc()->nperms, 0);
	ATF_CHECK_EQ(refresh(&f, &f.c, TURN_LIFETIME_DEFAULT), 0);
	peer_close(&p);
	fix_done(&f);
}

/* RFC 8489 7.3.1: 420 names the attribute; optional ones are ignored. */
ATF_TC_WITHOUT_HEAD(unknown_attribute);
ATF_TC_BODY(unknown_attribute, tc)
{
	struct fix		 f;
	struct stun_builder	 b;
	const uint8_t		*v;

	fix_init(&f);
	alloc_start(&f, &b);
	add_u32(&b, ATTR_UNKNOWN, 0);
	ATF_CHECK_EQ(req_send(&f, &b, &f.c), STUN_ERR_UNKNOWN_ATTRIBUTE);
	ATF_REQUIRE(f.ans.has & STUN_HAS_UNKNOWN_ATTRS);
	ATF_REQUIRE_EQ(f.ans.unknown_attrs.len, sizeof(uint16_t));
	v = f.ans_buf + f.ans.unknown_attrs.off;
	ATF_CHECK_EQ(v[0] << 8 | v[1], ATTR_UNKNOWN);
	ATF_CHECK_EQ(f.srv.nallocs, 0);

	alloc_start(&f, &b);
	add_u32(&b, ATTR_OPTIONAL, 0);
	ATF_CHECK_EQ(req_send(&f, &b, &f.c), 0);
	fix_done(&f);
}

/* A method TURN does not have gets 400; other classes get nothing. */
ATF_TC_WITHOUT_HEAD(unknown_method);
ATF_TC_BODY(unknown_method, tc)
{
	struct fix		 f;
	struct stun_builder	 b;

	fix_init(&f);
	req_start(&f, &b, METHOD_CONNECT, STUN_REQUEST);
	ATF_CHECK_EQ(req_send(&f, &b, &f.c), STUN_ERR_BAD_REQUEST);
	/* Unsigned too: it is refused before credentials. */
	req_start(&f, &b, METHOD_CONNECT, STUN_REQUEST);
	ATF_CHECK_EQ(req_send_as(&f, &b, &f.c, NULL, NULL, NULL),
	    STUN_ERR_BAD_REQUEST);
	/* Binding is relay/binding.c's. */
	req_start(&f, &b, STUN_BINDING, STUN_REQUEST);
	ATF_CHECK_EQ(req_send(&f, &b, &f.c), STUN_ERR_BAD_REQUEST);
	/* Answers and unknown indications from a client are dropped. */
	req_start(&f, &b, STUN_ALLOCATE, STUN_SUCCESS);
	ATF_CHECK_EQ(req_send(&f, &b, &f.c), NO_ANSWER);
	req_start(&f, &b, STUN_ALLOCATE, STUN_ERROR);
	ATF_CHECK_EQ(req_send(&f, &b, &f.c), NO_ANSWER);
	req_start(&f, &b, STUN_DATA, STUN_INDICATION);
	ATF_CHECK_EQ(req_send(&f, &b, &f.c), NO_ANSWER);
	ATF_CHECK_EQ(f.srv.nallocs, 0);
	fix_done(&f);
}

/* A bad FINGERPRINT or a broken message gets no answer at all. */
ATF_TC_WITHOUT_HEAD(malformed);
ATF_TC_BODY(malformed, tc)
{
	struct fix		 f;
	struct stun_builder	 b;

	fix_init(&f);
	alloc_start(&f, &b);
	ATF_REQUIRE(stun_add_fingerprint(&b) == 0);
	f.reqlen = stun_build_len(&b);
	f.req[f.reqlen - 1] ^= 1;
	ATF_CHECK_EQ(exchange(&f, &f.c), NO_ANSWER);
	f.req[f.reqlen - 1] ^= 1;
	ATF_CHECK_EQ(exchange(&f, &f.c), STUN_ERR_UNAUTHORIZED);
	/* One byte short. */
	ATF_CHECK_EQ(turn_client_msg(&f.srv, &f.c, f.req, f.reqlen - 1,
	    f.ans_buf, sizeof(f.ans_buf)), 0);
	ATF_CHECK_EQ(turn_client_msg(&f.srv, &f.c, f.req, 0, f.ans_buf,
	    sizeof(f.ans_buf)), 0);
	/* An answer that does not fit is not sent half-built. */
	ATF_CHECK_EQ(turn_client_msg(&f.srv, &f.c, f.req, f.reqlen,
	    f.ans_buf, STUN_HDR_LEN + 8), 0);
	fix_done(&f);
}

/* RFC 8656 section 8. */
ATF_TC_WITHOUT_HEAD(refresh_extends);
ATF_TC_BODY(refresh_extends, tc)
{
	struct fix		 f;
	struct stun_builder	 b;

	fix_init(&f);
	ATF_REQUIRE_EQ(allocate(&f, &f.c, ALICE), 0);
	at(&f, 500 * MS);
	ATF_REQUIRE_EQ(refresh(&f, &f.c, 1200), 0);
	ATF_CHECK_EQ(answer_lifetime(&f), 1200);
	at(&f, (500 + 1200) * MS - 1);
	turn_expire(&f.srv);
	ATF_CHECK(turn_has_alloc(&f.srv, &f.c));
	/* Without LIFETIME: the default; too much: the cap. */
	req_start(&f, &b, STUN_REFRESH, STUN_REQUEST);
	ATF_REQUIRE_EQ(req_send(&f, &b, &f.c), 0);
	ATF_CHECK_EQ(answer_lifetime(&f), TURN_LIFETIME_DEFAULT);
	ATF_CHECK_EQ(last_alloc()->expires_ms, T0_MS + (500 + 1200) * MS - 1 +
	    TURN_LIFETIME_DEFAULT * MS);
	ATF_REQUIRE_EQ(refresh(&f, &f.c, TURN_LIFETIME_MAX + 1), 0);
	ATF_CHECK_EQ(answer_lifetime(&f), TURN_LIFETIME_MAX);
	ATF_REQUIRE_EQ(refresh(&f, &f.c, UINT32_MAX), 0);
	ATF_CHECK_EQ(answer_lifetime(&f), TURN_LIFETIME_MAX);
	fix_done(&f);
}

/* RFC 8656 8.2: less than the default, but not 0, is the default. */
ATF_TC_WITHOUT_HEAD(refresh_short_lifetime);
ATF_TC_BODY(refresh_short_lifetime, tc)
{
	struct fix	 f;

	fix_init(&f);
	ATF_REQUIRE_EQ(allocate(&f, &f.c, ALICE), 0);
	at(&f, 100 * MS);
	ATF_REQUIRE_EQ(refresh(&f, &f.c, 1), 0);
	ATF_CHECK_EQ(answer_lifetime(&f), TURN_LIFETIME_DEFAULT);
	ATF_REQUIRE_EQ(refresh(&f, &f.c, TURN_LIFETIME_DEFAULT - 1), 0);
	ATF_CHECK_EQ(answer_lifetime(&f), TURN_LIFETIME_DEFAULT);
	ATF_REQUIRE_EQ(refresh(&f, &f.c, TURN_LIFETIME_DEFAULT + 1), 0);
	ATF_CHECK_EQ(answer_lifetime(&f), TURN_LIFETIME_DEFAULT + 1);
	ATF_REQUIRE_EQ(refresh(&f, &f.c, 1), 0);
	at(&f, (100 + TURN_LIFETIME_DEFAULT) * MS - 1);
	turn_expire(&f.srv);
	ATF_CHECK(turn_has_alloc(&f.srv, &f.c));
	fix_done(&f);
}

/* RFC 8656 8: LIFETIME 0 deletes, and the socket is closed. */
ATF_TC_WITHOUT_HEAD(refresh_delete);
ATF_TC_BODY(refresh_delete, tc)
{
	struct fix	 f;
	int		 fd;

	fix_init(&f);
	ATF_REQUIRE_EQ(allocate(&f, &f.c, ALICE), 0);
	fd = last_alloc()->fd[0];
	ATF_REQUIRE_EQ(refresh(&f, &f.c, 0), 0);
	ATF_CHECK_EQ(answer_lifetime(&f), 0);
	ATF_CHECK(!turn_has_alloc(&f.srv, &f.c));
	ATF_CHECK_EQ(f.srv.nallocs, 0);
	ATF_REQUIRE_EQ(nwatch, 2);
	ATF_CHECK(!watch_calls[1].on && watch_calls[1].fd == fd);
	fd_closed(fd);
	ATF_CHECK_EQ(refresh(&f, &f.c, 0), STUN_ERR_ALLOCATION_MISMATCH);
	/* The 5-tuple is free again. */
	ATF_CHECK_EQ(allocate(&f, &f.c, ALICE), 0);
	fix_done(&f);
}

ATF_TC_WITHOUT_HEAD(refresh_no_alloc);
ATF_TC_BODY(refresh_no_alloc, tc)
{
	struct fix	 f;

	fix_init(&f);
	ATF_CHECK_EQ(refresh(&f, &f.c, TURN_LIFETIME_DEFAULT),
	    STUN_ERR_ALLOCATION_MISMATCH);
	ATF_CHECK(f.ans.has & STUN_HAS_INTEGRITY);
	ATF_CHECK_EQ(f.srv.stats.refused[TURN_REF_MISMATCH], 1);
	fix_done(&f);
}

/* RFC 8656 8: REQUESTED-ADDRESS-FAMILY of a family not allocated: 443. */
ATF_TC_WITHOUT_HEAD(refresh_family_mismatch);
ATF_TC_BODY(refresh_family_mismatch, tc)
{
	struct fix		 f;
	struct stun_builder	 b;

	fix_init(&f);
	ATF_REQUIRE_EQ(allocate(&f, &f.c, ALICE), 0);
	req_start(&f, &b, STUN_REFRESH, STUN_REQUEST);
	add_family(&b, STUN_ATTR_REQUESTED_FAMILY, STUN_FAMILY_V6);
	ATF_CHECK_EQ(req_send(&f, &b, &f.c), STUN_ERR_FAMILY_MISMATCH);
	req_start(&f, &b, STUN_REFRESH, STUN_REQUEST);
	add_family(&b, STUN_ATTR_REQUESTED_FAMILY, FAMILY_BAD);
	add_u32(&b, STUN_ATTR_LIFETIME, 0);
	ATF_CHECK_EQ(req_send(&f, &b, &f.c), STUN_ERR_FAMILY_MISMATCH);
	ATF_CHECK(turn_has_alloc(&f.srv, &f.c));
	req_start(&f, &b, STUN_REFRESH, STUN_REQUEST);
	add_family(&b, STUN_ATTR_REQUESTED_FAMILY, STUN_FAMILY_V4);
	ATF_CHECK_EQ(req_send(&f, &b, &f.c), 0);
	fix_done(&f);
}

/* RFC 8656 9: one or several peers, each reached once permitted. */
ATF_TC_WITHOUT_HEAD(permission_peers);
ATF_TC_BODY(permission_peers, tc)
{
	struct fix		 f;
	struct stun_builder	 b;
	struct peer		 p[3];
	struct turn_alloc	*a;
	size_t			 i;

	fix_init(&f);
	peer_open(&p[0], "127.0.0.2", 0);
	peer_open(&p[1], "127.0.0.3", 0);
	peer_open(&p[2], "127.0.0.4", 0);
	ATF_REQUIRE_EQ(allocate(&f, &f.c, ALICE), 0);
	a = last_alloc();
	ATF_CHECK_EQ(permit(&f, &f.c, (struct sockaddr *)&p[0].addr), 0);
	ATF_CHECK_EQ(a->nperms, 1);
	ATF_CHECK_EQ(a->perms[0].expires_ms, T0_MS + TURN_PERM_LIFETIME * MS);
	req_start(&f, &b, STUN_CREATE_PERMISSION, STUN_REQUEST);
	for (i = 0; i < 3; i++)
		add_peer(&b, (struct sockaddr *)&p[i].addr);
	ATF_CHECK_EQ(req_send(&f, &b, &f.c), 0);
	/* The first was refreshed, not doubled. */
	ATF_CHECK_EQ(a->nperms, 3);
	for (i = 0; i < 3; i++) {
		send_ind(&f, &f.c, (struct sockaddr *)&p[i].addr, payload,
		    sizeof(payload));
		peer_expect(&p[i], payload, sizeof(payload), &a->relayed[0]);
	}
	/* Without XOR-PEER-ADDRESS: 400. */
	req_start(&f, &b, STUN_CREATE_PERMISSION, STUN_REQUEST);
	ATF_CHECK_EQ(req_send(&f, &b, &f.c), STUN_ERR_BAD_REQUEST);
	for (i = 0; i < 3; i++)
		peer_close(&p[i]);
	fix_done(&f);
}

/* relay/peer_policy.c's classes, and a refused list installs nothing. */
ATF_TC_WITHOUT_HEAD(permission_denied);
ATF_TC_BODY(permission_denied, tc)
{
	static const char *denied[] = {
		"10.1.2.3:5000",		/* private */
		"172.16.0.1:5000",		/* private */
		"192.168.1.1:5000",		/* private */
		"100.64.0.1:5000",		/* CGNAT */
		"169.254.169.254:80",		/* cloud metadata */
		"0.0.0.0:5000",			/* unspecified */
		"224.0.0.1:5000",		/* multicast */
		"255.255.255.255:5000",		/* broadcast */
		"240.0.0.1:5000",		/* reserved */
		"127.0.0.66:5000",		/* deny-peer */
	};
	struct fix		 f;
	struct stun_builder	 b;
	struct sockaddr_storage	 ss;
	struct peer		 p;
	size_t			 i;

	fix_init(&f);
	allow(&f, "127.0.0.66/32", 0);
	peer_open(&p, "127.0.0.2", 0);
	ATF_REQUIRE_EQ(allocate(&f, &f.c, ALICE), 0);
	for (i = 0; i < sizeof(denied) / sizeof(denied[0]); i++)
		ATF_CHECK_EQ_MSG(permit(&f, &f.c, ep(&ss, denied[i])),
		    STUN_ERR_FORBIDDEN, "%s", denied[i]);
	ATF_CHECK_EQ(permit(&f, &f.c, hp(&ss, "127.0.0.9", 0)),
	    STUN_ERR_FORBIDDEN);
	ATF_CHECK_EQ(f.srv.stats.refused[TURN_REF_PEER], i + 1);
	/* No IPv6 relayed address: any IPv6 peer is the wrong family. */
	ATF_CHECK_EQ(permit(&f, &f.c, ep(&ss, "[fe80::1]:5000")),
	    STUN_ERR_FAMILY_MISMATCH);
	ATF_CHECK_EQ(permit(&f, &f.c, ep(&ss, "[::ffff:127.0.0.2]:5000")),
	    STUN_ERR_FAMILY_MISMATCH);
	/* A documentation address passes as global: nothing is sent. */
	ATF_CHECK_EQ(permit(&f, &f.c, ep(&ss, "203.0.113.7:5000")), 0);
	ATF_CHECK_EQ(last_alloc()->nperms, 1);

	/* All or nothing: the good peer before a bad one is not installed. */
	req_start(&f, &b, STUN_CREATE_PERMISSION, STUN_REQUEST);
	add_peer(&b, (struct sockaddr *)&p.addr);
	add_peer(&b, ep(&ss, "10.0.0.1:5000"));
	ATF_CHECK_EQ(req_send(&f, &b, &f.c), STUN_ERR_FORBIDDEN);
	ATF_CHECK_EQ(last_alloc()->nperms, 1);
	send_ind(&f, &f.c, (struct sockaddr *)&p.addr, payload,
	    sizeof(payload));
	peer_none(&p);

	/* Loopback without the allow-peer rule. */
	f.srv.nrules = 0;
	ATF_CHECK_EQ(permit(&f, &f.c, (struct sockaddr *)&p.addr),
	    STUN_ERR_FORBIDDEN);
	ATF_CHECK_EQ(last_alloc()->nperms, 1);
	peer_close(&p);
	fix_done(&f);
}

/* The IPv6 classes, and IPv4 hosts inside IPv6 addresses. */
ATF_TC_WITHOUT_HEAD(permission_denied_v6);
ATF_TC_BODY(permission_denied_v6, tc)
{
	static const char *denied[] = {
		"[fe80::1]:5000",		/* link-local */
		"[fc00::1]:5000",		/* unique-local */
		"[::]:5000",			/* unspecified */
		"[ff02::1]:5000",		/* multicast */
		"[::ffff:10.0.0.1]:5000",	/* mapped private */
		"[::ffff:127.0.0.1]:5000",	/* mapped loopback */
		"[64:ff9b::a9fe:a9fe]:80",	/* NAT64 of the metadata */
		"[2002:a00:1::1]:5000",		/* 6to4 of 10.0.0.1 */
	};
	struct fix		 f;
	struct stun_builder	 b;
	struct sockaddr_storage	 ss;
	size_t			 i;

	fix_init(&f);
	relay6(&f);
	/* Only ::1 allowed: the IPv4 loopback is closed again. */
	f.srv.nrules = 0;
	allow(&f, "::1/128", 1);
	alloc_start(&f, &b);
	add_family(&b, STUN_ATTR_REQUESTED_FAMILY, STUN_FAMILY_V6);
	ATF_REQUIRE_EQ(req_send(&f, &b, &f.c), 0);
	for (i = 0; i < sizeof(denied) / sizeof(denied[0]); i++)
		ATF_CHECK_EQ_MSG(permit(&f, &f.c, ep(&ss, denied[i])),
		    STUN_ERR_FORBIDDEN, "%s", denied[i]);
	ATF_CHECK_EQ(permit(&f, &f.c, ep(&ss, "[2001:db8::1]:5000")), 0);
	/* ::1 is the relay's own: on a relayed port only. */
	ATF_CHECK_EQ(permit(&f, &f.c, hp(&ss, "[::1]", PORT_LO - 1)),
	    STUN_ERR_FORBIDDEN);
	ATF_CHECK_EQ(permit(&f, &f.c, hp(&ss, "[::1]", PORT_LO)), 0);
	ATF_CHECK_EQ(last_alloc()->nperms, 2);
	fix_done(&f);
}

/* The relay's own address: only its relayed ports, edges included. */
ATF_TC_WITHOUT_HEAD(permission_own_address);
ATF_TC_BODY(permission_own_address, tc)
{
	struct fix		 f;
	struct sockaddr_storage	 ss;

	fix_init(&f);
	ATF_REQUIRE_EQ(allocate(&f, &f.c, ALICE), 0);
	ATF_CHECK_EQ(permit(&f, &f.c, hp(&ss, RELAY_IP, PORT_LO - 1)),
	    STUN_ERR_FORBIDDEN);
	ATF_CHECK_EQ(permit(&f, &f.c, hp(&ss, RELAY_IP, PORT_HI + 1)),
	    STUN_ERR_FORBIDDEN);
	ATF_CHECK_EQ(bind_chan(&f, &f.c, TURN_CHAN_MIN,
	    (struct sockaddr *)&ss), STUN_ERR_FORBIDDEN);
	ATF_CHECK_EQ(last_alloc()->nperms, 0);
	ATF_CHECK_EQ(permit(&f, &f.c, hp(&ss, RELAY_IP, PORT_LO)), 0);
	ATF_CHECK_EQ(permit(&f, &f.c, hp(&ss, RELAY_IP, PORT_HI)), 0);
	ATF_CHECK_EQ(bind_chan(&f, &f.c, TURN_CHAN_MIN,
	    (struct sockaddr *)&ss), 0);
	ATF_CHECK_EQ(last_alloc()->nperms, 1);
	fix_done(&f);
}

/* lim.perms: at the limit passes, one more is 508 and installs nothing. */
ATF_TC_WITHOUT_HEAD(permission_limit);
ATF_TC_BODY(permission_limit, tc)
{
	struct fix		 f;
	struct stun_builder	 b;
	struct sockaddr_storage	 s1, s2, s3, s4;
	struct peer		 p4;
	struct turn_alloc	*a;

	fix_init(&f);
	f.srv.lim.perms = 3;
	ep(&s1, "127.0.0.2:5000");
	ep(&s2, "127.0.0.3:5000");
	ep(&s3, "127.0.0.4:5000");
	peer_open(&p4, "127.0.0.5", 0);
	s4 = p4.addr;
	ATF_REQUIRE_EQ(allocate(&f, &f.c, ALICE), 0);
	a = last_alloc();
	req_start(&f, &b, STUN_CREATE_PERMISSION, STUN_REQUEST);
	add_peer(&b, (struct sockaddr *)&s1);
	add_peer(&b, (struct sockaddr *)&s2);
	ATF_REQUIRE_EQ(req_send(&f, &b, &f.c), 0);
	ATF_CHECK_EQ(a->nperms, 2);
	/* Two new ones where one fits: neither. */
	req_start(&f, &b, STUN_CREATE_PERMISSION, STUN_REQUEST);
	add_peer(&b, (struct sockaddr *)&s3);
	add_peer(&b, (struct sockaddr *)&s4);
	ATF_CHECK_EQ(req_send(&f, &b, &f.c), STUN_ERR_INSUFFICIENT_CAPACITY);
	ATF_CHECK_EQ(a->nperms, 2);
	ATF_CHECK_EQ(f.srv.stats.refused[TURN_REF_CAPACITY], 1);
	send_ind(&f, &f.c, (struct sockaddr *)&s4, payload, sizeof(payload));
	peer_none(&p4);
	/* One new one and a refresh: fits. */
	req_start(&f, &b, STUN_CREATE_PERMISSION, STUN_REQUEST);
	add_peer(&b, (struct sockaddr *)&s1);
	add_peer(&b, (struct sockaddr *)&s4);
	ATF_CHECK_EQ(req_send(&f, &b, &f.c), 0);
	ATF_CHECK_EQ(a->nperms, 3);
	send_ind(&f, &f.c, (struct sockaddr *)&s4, payload, sizeof(payload));
	peer_expect(&p4, payload, sizeof(payload), &a->relayed[0]);
	/* Full: a new one is 508, refreshing one still works. */
	ATF_CHECK_EQ(permit(&f, &f.c, (struct sockaddr *)&s3),
	    STUN_ERR_INSUFFICIENT_CAPACITY);
	ATF_CHECK_EQ(permit(&f, &f.c, (struct sockaddr *)&s2), 0);
	ATF_CHECK_EQ(a->nperms, 3);
	peer_close(&p4);
	fix_done(&f);
}

/* One address at two ports in one request is one permission. */
ATF_TC_WITHOUT_HEAD(permission_same_address);
ATF_TC_BODY(permission_same_address, tc)
{
	struct fix		 f;
	struct stun_builder	 b;
	struct sockaddr_storage	 ss;
	struct turn_alloc	*a;

	fix_init(&f);
	f.srv.lim.perms = 2;
	ATF_REQUIRE_EQ(allocate(&f, &f.c, ALICE), 0);
	a = last_alloc();
	ATF_REQUIRE_EQ(permit(&f, &f.c, ep(&ss, "127.0.0.2:5000")), 0);
	req_start(&f, &b, STUN_CREATE_PERMISSION, STUN_REQUEST);
	add_peer(&b, ep(&ss, "127.0.0.3:5000"));
	add_peer(&b, ep(&ss, "127.0.0.3:6000"));
	ATF_CHECK_EQ(req_send(&f, &b, &f.c), 0);
	ATF_CHECK_EQ(a->nperms, 2);
	fix_done(&f);
}

ATF_TC_WITHOUT_HEAD(permission_no_alloc);
ATF_TC_BODY(permission_no_alloc, tc)
{
	struct fix		 f;
	struct sockaddr_storage	 ss;

	fix_init(&f);
	ATF_CHECK_EQ(permit(&f, &f.c, ep(&ss, "127.0.0.2:5000")),
	    STUN_ERR_ALLOCATION_MISMATCH);
	ATF_CHECK_EQ(bind_chan(&f, &f.c, TURN_CHAN_MIN, ep(&ss,
	    "127.0.0.2:5000")), STUN_ERR_ALLOCATION_MISMATCH);
	ATF_CHECK_EQ(f.srv.stats.refused[TURN_REF_MISMATCH], 2);
	fix_done(&f);
}

/* RFC 8656 10.2: Send reaches a permitted peer, any port, byte-exact. */
ATF_TC_WITHOUT_HEAD(send_indication);
ATF_TC_BODY(send_indication, tc)
{
	struct fix		 f;
	struct stun_builder	 b;
	struct peer		 p, q;
	struct turn_alloc	*a;
	uint8_t			 out[ANSWER_MAX];

	fix_init(&f);
	peer_open(&p, "127.0.0.2", 0);
	peer_open(&q, "127.0.0.2", 0);
	ATF_REQUIRE_EQ(allocate(&f, &f.c, ALICE), 0);
	a = last_alloc();
	send_ind(&f, &f.c, (struct sockaddr *)&p.addr, payload,
	    sizeof(payload));
	ATF_CHECK_EQ(f.srv.stats.refused[TURN_REF_NOPERM], 1);
	peer_none(&p);
	ATF_REQUIRE_EQ(permit(&f, &f.c, (struct sockaddr *)&p.addr), 0);
	send_ind(&f, &f.c, (struct sockaddr *)&p.addr, payload,
	    sizeof(payload));
	peer_expect(&p, payload, sizeof(payload), &a->relayed[0]);
	/* A permission is for the address, whatever the port. */
	send_ind(&f, &f.c, (struct sockaddr *)&q.addr, payload, 3);
	peer_expect(&q, payload, 3, &a->relayed[0]);
	/* An empty datagram is still one. */
	send_ind(&f, &f.c, (struct sockaddr *)&p.addr, payload, 0);
	peer_expect(&p, payload, 0, &a->relayed[0]);
	ATF_CHECK_EQ(f.srv.stats.relayed_msgs, 3);
	ATF_CHECK_EQ(a->rx_bytes, sizeof(payload) + 3);

	/* Dropped: no DATA, an unknown attribute, another client. */
	req_start(&f, &b, STUN_SEND, STUN_INDICATION);
	add_peer(&b, (struct sockaddr *)&p.addr);
	ATF_CHECK_EQ(turn_client_msg(&f.srv, &f.c, f.req, stun_build_len(&b),
	    out, sizeof(out)), 0);
	req_start(&f, &b, STUN_SEND, STUN_INDICATION);
	add_peer(&b, (struct sockaddr *)&p.addr);
	ATF_REQUIRE(stun_add_bytes(&b, STUN_ATTR_DATA, payload, 1) == 0);
	add_u32(&b, ATTR_UNKNOWN, 0);
	ATF_CHECK_EQ(turn_client_msg(&f.srv, &f.c, f.req, stun_build_len(&b),
	    out, sizeof(out)), 0);
	client(&f.c, "127.0.0.1:40001", 0);
	send_ind(&f, &f.c, (struct sockaddr *)&p.addr, payload, 1);
	peer_none(&p);
	ATF_CHECK_EQ(f.srv.stats.relayed_msgs, 3);
	peer_close(&p);
	peer_close(&q);
	fix_done(&f);
}

/*
 * A permission is for an address, ports aside; on the relay's own
 * address the ports outside the relayed range are closed all the same,
 * as a CreatePermission for one of them is.
 */
ATF_TC_WITHOUT_HEAD(send_own_address);
ATF_TC_BODY(send_own_address, tc)
{
	struct fix		 f;
	struct peer		 svc, other;
	struct turn_alloc	*a;

	fix_init(&f);
	/* A service of this host below the relayed ports, and a peer on them. */
	peer_open_below(&svc, RELAY_IP, PORT_LO - 1);
	peer_open_below(&other, RELAY_IP, PORT_HI);
	ATF_REQUIRE_EQ(allocate(&f, &f.c, ALICE), 0);
	a = last_alloc();
	ATF_REQUIRE_EQ(permit(&f, &f.c, (struct sockaddr *)&other.addr), 0);
	send_ind(&f, &f.c, (struct sockaddr *)&other.addr, payload,
	    sizeof(payload));
	peer_expect(&other, payload, sizeof(payload), &a->relayed[0]);
	send_ind(&f, &f.c, (struct sockaddr *)&svc.addr, payload,
	    sizeof(payload));
	peer_none(&svc);
	ATF_CHECK_EQ(f.srv.stats.refused[TURN_REF_PEER], 1);
	ATF_CHECK_EQ(f.srv.stats.relayed_msgs, 1);
	peer_close(&svc);
	peer_close(&other);
	fix_done(&f);
}

/* RFC 8656 11: the numbers, and a binding is one number to one peer. */
ATF_TC_WITHOUT_HEAD(channel_bind_numbers);
ATF_TC_BODY(channel_bind_numbers, tc)
{
	struct fix		 f;
	struct stun_builder	 b;
	struct sockaddr_storage	 s1, s2, s3, ss;
	struct turn_alloc	*a;

	fix_init(&f);
	ep(&s1, "127.0.0.2:5000");
	ep(&s2, "127.0.0.2:5001");
	ep(&s3, "127.0.0.3:5000");
	ATF_REQUIRE_EQ(allocate(&f, &f.c, ALICE), 0);
	a = last_alloc();
	ATF_CHECK_EQ(bind_chan(&f, &f.c, TURN_CHAN_MIN - 1,
	    (struct sockaddr *)&s1), STUN_ERR_BAD_REQUEST);
	ATF_CHECK_EQ(bind_chan(&f, &f.c, TURN_CHAN_MAX + 1,
	    (struct sockaddr *)&s1), STUN_ERR_BAD_REQUEST);
	ATF_CHECK_EQ(a->nchans, 0);
	ATF_CHECK_EQ(a->nperms, 0);
	ATF_CHECK_EQ(bind_chan(&f, &f.c, TURN_CHAN_MIN,
	    (struct sockaddr *)&s1), 0);
	/* Another port of one address is another peer. */
	ATF_CHECK_EQ(bind_chan(&f, &f.c, TURN_CHAN_MAX,
	    (struct sockaddr *)&s2), 0);
	ATF_CHECK_EQ(a->nchans, 2);
	/* The binding also permits the peer's address. */
	ATF_CHECK_EQ(a->nperms, 1);
	/* A bound number to another peer, a bound peer to another number. */
	ATF_CHECK_EQ(bind_chan(&f, &f.c, TURN_CHAN_MIN,
	    (struct sockaddr *)&s3), STUN_ERR_BAD_REQUEST);
	ATF_CHECK_EQ(bind_chan(&f, &f.c, TURN_CHAN_MIN + 1,
	    (struct sockaddr *)&s1), STUN_ERR_BAD_REQUEST);
	ATF_CHECK_EQ(bind_chan(&f, &f.c, TURN_CHAN_MIN,
	    (struct sockaddr *)&s2), STUN_ERR_BAD_REQUEST);
	/* The same pair again refreshes it. */
	at(&f, 100 * MS);
	ATF_CHECK_EQ(bind_chan(&f, &f.c, TURN_CHAN_MIN,
	    (struct sockaddr *)&s1), 0);
	ATF_CHECK_EQ(a->nchans, 2);
	ATF_CHECK_EQ(a->chans[0].expires_ms, T0_MS + (100 +
	    TURN_CHAN_LIFETIME) * MS);
	/* Denied and wrong-family peers. */
	ATF_CHECK_EQ(bind_chan(&f, &f.c, TURN_CHAN_MIN + 2, ep(&ss,
	    "10.0.0.1:5000")), STUN_ERR_FORBIDDEN);
	ATF_CHECK_EQ(bind_chan(&f, &f.c, TURN_CHAN_MIN + 2, ep(&ss,
	    "[2001:db8::1]:5000")), STUN_ERR_FAMILY_MISMATCH);
	/* No number, no peer, two peers: 400. */
	req_start(&f, &b, STUN_CHANNEL_BIND, STUN_REQUEST);
	add_peer(&b, (struct sockaddr *)&s3);
	ATF_CHECK_EQ(req_send(&f, &b, &f.c), STUN_ERR_BAD_REQUEST);
	req_start(&f, &b, STUN_CHANNEL_BIND, STUN_REQUEST);
	add_u32(&b, STUN_ATTR_CHANNEL_NUMBER, (TURN_CHAN_MIN + 2) <<
	    CHAN_SHIFT);
	ATF_CHECK_EQ(req_send(&f, &b, &f.c), STUN_ERR_BAD_REQUEST);
	req_start(&f, &b, STUN_CHANNEL_BIND, STUN_REQUEST);
	add_u32(&b, STUN_ATTR_CHANNEL_NUMBER, (TURN_CHAN_MIN + 2) <<
	    CHAN_SHIFT);
	add_peer(&b, (struct sockaddr *)&s3);
	add_peer(&b, (struct sockaddr *)&s3);
	ATF_CHECK_EQ(req_send(&f, &b, &f.c), STUN_ERR_BAD_REQUEST);
	ATF_CHECK_EQ(a->nchans, 2);
	fix_done(&f);
}

/* lim.chans, and a binding that needs a permission beyond lim.perms. */
ATF_TC_WITHOUT_HEAD(channel_bind_limit);
ATF_TC_BODY(channel_bind_limit, tc)
{
	struct fix		 f;
	struct sockaddr_storage	 s1, s2, s3, s4;
	struct turn_alloc	*a;

	fix_init(&f);
	f.srv.lim.chans = 2;
	f.srv.lim.perms = 2;
	ep(&s1, "127.0.0.2:5000");
	ep(&s2, "127.0.0.2:5001");
	ep(&s3, "127.0.0.3:5000");
	ep(&s4, "127.0.0.4:5000");
	ATF_REQUIRE_EQ(allocate(&f, &f.c, ALICE), 0);
	a = last_alloc();
	ATF_CHECK_EQ(bind_chan(&f, &f.c, TURN_CHAN_MIN,
	    (struct sockaddr *)&s1), 0);
	ATF_CHECK_EQ(bind_chan(&f, &f.c, TURN_CHAN_MIN + 1,
	    (struct sockaddr *)&s2), 0);
	ATF_CHECK_EQ(bind_chan(&f, &f.c, TURN_CHAN_MIN + 2,
	    (struct sockaddr *)&s3), STUN_ERR_INSUFFICIENT_CAPACITY);
	ATF_CHECK_EQ(a->nchans, 2);
	ATF_CHECK_EQ(a->nperms, 1);
	/* Full, a refresh still works. */
	ATF_CHECK_EQ(bind_chan(&f, &f.c, TURN_CHAN_MIN + 1,
	    (struct sockaddr *)&s2), 0);

	/* Room for a channel but not for its peer's permission. */
	f.srv.lim.chans = 3;
	ATF_REQUIRE_EQ(permit(&f, &f.c, (struct sockaddr *)&s3), 0);
	ATF_CHECK_EQ(a->nperms, 2);
	ATF_CHECK_EQ(bind_chan(&f, &f.c, TURN_CHAN_MIN + 2,
	    (struct sockaddr *)&s4), STUN_ERR_INSUFFICIENT_CAPACITY);
	ATF_CHECK_EQ(a->nchans, 2);
	ATF_CHECK_EQ(a->nperms, 2);
	/* A permitted peer binds. */
	ATF_CHECK_EQ(bind_chan(&f, &f.c, TURN_CHAN_MIN + 2,
	    (struct sockaddr *)&s3), 0);
	ATF_CHECK_EQ(a->nchans, 3);
	fix_done(&f);
}

/* RFC 8656 12.4: ChannelData reaches the bound peer; others dropped. */
ATF_TC_WITHOUT_HEAD(channel_data);
ATF_TC_BODY(channel_data, tc)
{
	struct fix		 f;
	struct peer		 p;
	struct turn_alloc	*a;
	uint8_t			 bad[TURN_CD_HDR_LEN + 2];

	fix_init(&f);
	peer_open(&p, "127.0.0.2", 0);
	ATF_REQUIRE_EQ(allocate(&f, &f.c, ALICE), 0);
	a = last_alloc();
	ATF_REQUIRE_EQ(bind_chan(&f, &f.c, TURN_CHAN_MAX,
	    (struct sockaddr *)&p.addr), 0);
	chan_data(&f, &f.c, TURN_CHAN_MAX, payload, sizeof(payload), 0);
	peer_expect(&p, payload, sizeof(payload), &a->relayed[0]);
	/* Padded (optional over UDP): the padding stays here. */
	chan_data(&f, &f.c, TURN_CHAN_MAX, payload, 5, 3);
	peer_expect(&p, payload, 5, &a->relayed[0]);
	chan_data(&f, &f.c, TURN_CHAN_MAX, payload, 0, 0);
	peer_expect(&p, payload, 0, &a->relayed[0]);

	/* An unbound number, another client, a length past the end. */
	chan_data(&f, &f.c, TURN_CHAN_MIN, payload, 4, 0);
	ATF_CHECK_EQ(f.srv.stats.refused[TURN_REF_NOPERM], 1);
	bad[0] = TURN_CHAN_MAX >> 8;
	bad[1] = TURN_CHAN_MAX & 0xff;
	bad[2] = 0;
	bad[3] = sizeof(bad) - TURN_CD_HDR_LEN + 1;
	ATF_CHECK_EQ(turn_client_msg(&f.srv, &f.c, bad, sizeof(bad),
	    f.ans_buf, sizeof(f.ans_buf)), 0);
	client(&f.c, "127.0.0.1:40001", 0);
	chan_data(&f, &f.c, TURN_CHAN_MAX, payload, 4, 0);
	peer_none(&p);
	ATF_CHECK_EQ(f.srv.stats.relayed_msgs, 3);
	peer_close(&p);
	fix_done(&f);
}

/* RFC 8656 10.3, 12.5: what a peer sends, as the client receives it. */
ATF_TC_WITHOUT_HEAD(peer_to_client);
ATF_TC_BODY(peer_to_client, tc)
{
	struct fix		 f;
	struct peer		 p, q;
	struct turn_alloc	*a;
	struct stun_msg		 m;
	uint8_t			 out[DGRAM_MAX];
	size_t			 n;

	fix_init(&f);
	peer_open(&p, "127.0.0.2", 0);
	peer_open(&q, "127.0.0.3", 0);
	ATF_REQUIRE_EQ(allocate(&f, &f.c, ALICE), 0);
	a = last_alloc();
	/* No permission: dropped. */
	ATF_CHECK_EQ(from_peer(&f, a, &p, payload, sizeof(payload), out,
	    sizeof(out)), 0);
	ATF_CHECK_EQ(f.srv.stats.refused[TURN_REF_NOPERM], 1);

	/* A permission: a Data indication. */
	ATF_REQUIRE_EQ(permit(&f, &f.c, (struct sockaddr *)&p.addr), 0);
	n = from_peer(&f, a, &p, payload, sizeof(payload), out, sizeof(out));
	ATF_REQUIRE(n > 0);
	ATF_REQUIRE(stun_parse(out, n, &m) == 0);
	ATF_CHECK_EQ(m.type, stun_type(STUN_DATA, STUN_INDICATION));
	ATF_REQUIRE(m.has & STUN_HAS_XOR_PEER);
	ATF_CHECK(sockaddr_cmp((struct sockaddr *)&m.xor_peer,
	    (struct sockaddr *)&p.addr) == 0);
	ATF_REQUIRE(m.has & STUN_HAS_DATA);
	ATF_REQUIRE_EQ(m.data.len, sizeof(payload));
	ATF_CHECK(memcmp(out + m.data.off, payload, sizeof(payload)) == 0);
	ATF_CHECK_EQ(a->tx_bytes, sizeof(payload));
	/* Too small a buffer: nothing half-built. */
	ATF_CHECK_EQ(from_peer(&f, a, &p, payload, sizeof(payload), out,
	    STUN_HDR_LEN + sizeof(payload)), 0);

	/* A channel: ChannelData, unpadded on UDP. */
	ATF_REQUIRE_EQ(bind_chan(&f, &f.c, TURN_CHAN_MIN + 5,
	    (struct sockaddr *)&p.addr), 0);
	n = from_peer(&f, a, &p, payload, 5, out, sizeof(out));
	ATF_REQUIRE_EQ(n, TURN_CD_HDR_LEN + 5);
	ATF_CHECK_EQ(out[0] << 8 | out[1], TURN_CHAN_MIN + 5);
	ATF_CHECK_EQ(out[2] << 8 | out[3], 5);
	ATF_CHECK(memcmp(out + TURN_CD_HDR_LEN, payload, 5) == 0);
	ATF_CHECK_EQ(from_peer(&f, a, &p, payload, 5, out,
	    TURN_CD_HDR_LEN + 4), 0);

	/* q's address has no permission, though p's channel is bound. */
	ATF_CHECK_EQ(from_peer(&f, a, &q, payload, 5, out, sizeof(out)), 0);
	ATF_CHECK_EQ(f.srv.stats.refused[TURN_REF_NOPERM], 2);
	peer_close(&p);
	peer_close(&q);
	fix_done(&f);
}

/* RFC 8656 12.5: over a stream ChannelData is padded to 4 bytes. */
ATF_TC_WITHOUT_HEAD(peer_to_stream_client);
ATF_TC_BODY(peer_to_stream_client, tc)
{
	struct fix		 f;
	struct turn_client	 s;
	struct peer		 p;
	struct turn_alloc	*a;
	uint8_t			 out[DGRAM_MAX];
	size_t			 n, len, i;

	fix_init(&f);
	client(&s, "127.0.0.1:40000", 1);
	peer_open(&p, "127.0.0.2", 0);
	ATF_REQUIRE_EQ(allocate(&f, &s, ALICE), 0);
	a = last_alloc();
	ATF_CHECK_EQ(a->client.stream, 1);
	ATF_CHECK(!turn_has_alloc(&f.srv, &f.c));
	ATF_REQUIRE_EQ(bind_chan(&f, &s, TURN_CHAN_MIN,
	    (struct sockaddr *)&p.addr), 0);
	for (len = 4; len <= 8; len++) {
		memset(out, 0xee, sizeof(out));
		n = from_peer(&f, a, &p, payload, len, out, sizeof(out));
		ATF_CHECK_EQ(n, (TURN_CD_HDR_LEN + len + ALIGN - 1) /
		    ALIGN * ALIGN);
		ATF_CHECK_EQ(out[2] << 8 | out[3], len);
		ATF_CHECK(memcmp(out + TURN_CD_HDR_LEN, payload, len) == 0);
		for (i = TURN_CD_HDR_LEN + len; i < n; i++)
			ATF_CHECK_EQ(out[i], 0);
	}
	/* Stream ChannelData comes padded; the padding is not relayed. */
	chan_data(&f, &s, TURN_CHAN_MIN, payload, 5, 3);
	peer_expect(&p, payload, 5, &a->relayed[0]);
	peer_close(&p);
	fix_done(&f);
}

/* RFC 8656 9: a permission lasts 300 s unless refreshed. */
ATF_TC_WITHOUT_HEAD(expire_permission);
ATF_TC_BODY(expire_permission, tc)
{
	struct fix		 f;
	struct peer		 p;
	struct turn_alloc	*a;
	uint8_t			 out[DGRAM_MAX];

	fix_init(&f);
	peer_open(&p, "127.0.0.2", 0);
	ATF_REQUIRE_EQ(allocate_life(&f, &f.c, LIFE_LONG), 0);
	a = last_alloc();
	ATF_REQUIRE_EQ(permit(&f, &f.c, (struct sockaddr *)&p.addr), 0);
	at(&f, TURN_PERM_LIFETIME * MS - 1);
	send_ind(&f, &f.c, (struct sockaddr *)&p.addr, payload, 2);
	peer_expect(&p, payload, 2, &a->relayed[0]);
	ATF_CHECK(from_peer(&f, a, &p, payload, 2, out, sizeof(out)) > 0);
	turn_expire(&f.srv);
	ATF_CHECK_EQ(a->nperms, 1);

	at(&f, TURN_PERM_LIFETIME * MS);
	send_ind(&f, &f.c, (struct sockaddr *)&p.addr, payload, 2);
	peer_none(&p);
	ATF_CHECK_EQ(from_peer(&f, a, &p, payload, 2, out, sizeof(out)), 0);
	turn_expire(&f.srv);
	ATF_CHECK_EQ(a->nperms, 0);
	ATF_CHECK(turn_has_alloc(&f.srv, &f.c));

	/* A refresh before the end starts 300 s over. */
	ATF_REQUIRE_EQ(permit(&f, &f.c, (struct sockaddr *)&p.addr), 0);
	at(&f, (TURN_PERM_LIFETIME + 200) * MS);
	ATF_REQUIRE_EQ(permit(&f, &f.c, (struct sockaddr *)&p.addr), 0);
	at(&f, (TURN_PERM_LIFETIME + 200 + TURN_PERM_LIFETIME) * MS - 1);
	turn_expire(&f.srv);
	ATF_CHECK_EQ(a->nperms, 1);
	send_ind(&f, &f.c, (struct sockaddr *)&p.addr, payload, 2);
	peer_expect(&p, payload, 2, &a->relayed[0]);
	peer_close(&p);
	fix_done(&f);
}

/* RFC 8656 12: a channel lasts 600 s, its permission refreshed apart. */
ATF_TC_WITHOUT_HEAD(expire_channel);
ATF_TC_BODY(expire_channel, tc)
{
	struct fix		 f;
	struct peer		 p;
	struct turn_alloc	*a;
	struct stun_msg		 m;
	uint8_t			 out[DGRAM_MAX];
	size_t			 n;

	fix_init(&f);
	peer_open(&p, "127.0.0.2", 0);
	ATF_REQUIRE_EQ(allocate_life(&f, &f.c, LIFE_LONG), 0);
	a = last_alloc();
	ATF_REQUIRE_EQ(bind_chan(&f, &f.c, TURN_CHAN_MIN,
	    (struct sockaddr *)&p.addr), 0);
	at(&f, 290 * MS);
	ATF_REQUIRE_EQ(permit(&f, &f.c, (struct sockaddr *)&p.addr), 0);
	at(&f, 580 * MS);
	ATF_REQUIRE_EQ(permit(&f, &f.c, (struct sockaddr *)&p.addr), 0);

	at(&f, TURN_CHAN_LIFETIME * MS - 1);
	chan_data(&f, &f.c, TURN_CHAN_MIN, payload, 3, 0);
	peer_expect(&p, payload, 3, &a->relayed[0]);
	n = from_peer(&f, a, &p, payload, 3, out, sizeof(out));
	ATF_CHECK_EQ(n, TURN_CD_HDR_LEN + 3);
	turn_expire(&f.srv);
	ATF_CHECK_EQ(a->nchans, 1);

	at(&f, TURN_CHAN_LIFETIME * MS);
	chan_data(&f, &f.c, TURN_CHAN_MIN, payload, 3, 0);
	peer_none(&p);
	/* The permission still holds: Data indications again. */
	n = from_peer(&f, a, &p, payload, 3, out, sizeof(out));
	ATF_REQUIRE(n > 0);
	ATF_REQUIRE(stun_parse(out, n, &m) == 0);
	ATF_CHECK_EQ(m.type, stun_type(STUN_DATA, STUN_INDICATION));
	turn_expire(&f.srv);
	ATF_CHECK_EQ(a->nchans, 0);
	ATF_CHECK_EQ(a->nperms, 1);
	peer_close(&p);
	fix_done(&f);
}

/* At the end of its lifetime the allocation goes, and its socket. */
ATF_TC_WITHOUT_HEAD(expire_allocation);
ATF_TC_BODY(expire_allocation, tc)
{
	struct fix		 f;
	struct turn_client	 c2;
	int			 fd, fd2;

	fix_init(&f);
	client(&c2, "127.0.0.1:40001", 0);
	ATF_REQUIRE_EQ(allocate(&f, &f.c, ALICE), 0);
	fd = last_alloc()->fd[0];
	ATF_REQUIRE_EQ(allocate_life(&f, &c2, 1200), 0);
	fd2 = last_alloc()->fd[0];
	at(&f, TURN_LIFETIME_DEFAULT * MS - 1);
	turn_expire(&f.srv);
	ATF_CHECK(turn_has_alloc(&f.srv, &f.c));
	ATF_CHECK_EQ(nwatch, 2);

	at(&f, TURN_LIFETIME_DEFAULT * MS);
	turn_expire(&f.srv);
	ATF_CHECK(!turn_has_alloc(&f.srv, &f.c));
	ATF_CHECK(turn_has_alloc(&f.srv, &c2));
	ATF_REQUIRE_EQ(nwatch, 3);
	ATF_CHECK(!watch_calls[2].on && watch_calls[2].fd == fd);
	fd_closed(fd);
	ATF_CHECK_EQ(refresh(&f, &f.c, TURN_LIFETIME_DEFAULT),
	    STUN_ERR_ALLOCATION_MISMATCH);

	at(&f, 1200 * MS);
	turn_expire(&f.srv);
	ATF_CHECK(!turn_has_alloc(&f.srv, &c2));
	ATF_REQUIRE_EQ(nwatch, 4);
	ATF_CHECK(!watch_calls[3].on && watch_calls[3].fd == fd2);
	fd_closed(fd2);
	ATF_CHECK_EQ(f.srv.nallocs, 0);
	fix_done(&f);
}

/* A stream's end takes its allocation; others stay. */
ATF_TC_WITHOUT_HEAD(stream_closed);
ATF_TC_BODY(stream_closed, tc)
{
	struct fix		 f;
	struct turn_client	 s;
	int			 fd;

	fix_init(&f);
	client(&s, "127.0.0.1:40000", 1);
	ATF_REQUIRE_EQ(allocate(&f, &f.c, ALICE), 0);
	ATF_REQUIRE_EQ(allocate(&f, &s, ALICE), 0);
	fd = last_alloc()->fd[0];
	turn_stream_closed(&f.srv, &s);
	ATF_CHECK(!turn_has_alloc(&f.srv, &s));
	ATF_CHECK(turn_has_alloc(&f.srv, &f.c));
	fd_closed(fd);
	turn_stream_closed(&f.srv, &s);
	ATF_CHECK_EQ(f.srv.nallocs, 1);
	fix_done(&f);
}

/* lim.allocs, reservations included. */
ATF_TC_WITHOUT_HEAD(quota_allocations);
ATF_TC_BODY(quota_allocations, tc)
{
	struct fix		 f;
	struct turn_client	 c[4];
	uint8_t			 token[TURN_TOKEN_LEN];

	fix_init(&f);
	f.srv.lim.allocs = 3;
	client(&c[0], "127.0.0.1:41000", 0);
	client(&c[1], "127.0.0.2:41000", 0);
	client(&c[2], "127.0.0.3:41000", 0);
	client(&c[3], "127.0.0.4:41000", 0);
	ATF_CHECK_EQ(allocate(&f, &c[0], ALICE), 0);
	ATF_CHECK_EQ(allocate(&f, &c[1], ALICE), 0);
	ATF_CHECK_EQ(allocate(&f, &c[2], ALICE), 0);
	ATF_CHECK_EQ(allocate(&f, &c[3], BOB),
	    STUN_ERR_INSUFFICIENT_CAPACITY);
	ATF_CHECK(f.ans.has & STUN_HAS_INTEGRITY);
	ATF_CHECK_EQ(f.srv.stats.refused[TURN_REF_CAPACITY], 1);
	ATF_CHECK_EQ(f.srv.nallocs, 3);
	ATF_CHECK_EQ(refresh(&f, &c[0], 0), 0);
	ATF_CHECK_EQ(allocate(&f, &c[3], BOB), 0);

	/* A reservation holds a place too. */
	ATF_CHECK_EQ(refresh(&f, &c[1], 0), 0);
	ATF_CHECK_EQ(refresh(&f, &c[2], 0), 0);
	reserve(&f, &c[0], token);
	ATF_CHECK_EQ(f.srv.nallocs + f.srv.nresvs, 3);
	ATF_CHECK_EQ(allocate(&f, &c[1], BOB),
	    STUN_ERR_INSUFFICIENT_CAPACITY);
	fix_done(&f);
}

/*
 * A reservation holds the place of the allocation that will take it:
 * EVEN-PORT R needs two places, and taking a token needs none more.
 */
ATF_TC_WITHOUT_HEAD(reservation_capacity);
ATF_TC_BODY(reservation_capacity, tc)
{
	struct fix		 f;
	struct stun_builder	 b;
	struct turn_client	 c2;
	uint8_t			 token[TURN_TOKEN_LEN];
	uint16_t		 port;

	fix_init(&f);
	f.srv.lim.allocs = 2;
	client(&c2, "127.0.0.2:40000", 0);
	ATF_REQUIRE_EQ(allocate(&f, &f.c, ALICE), 0);
	alloc_start(&f, &b);
	add_even_port(&b, EVEN_PORT_R);
	ATF_CHECK_EQ(req_send(&f, &b, &c2), STUN_ERR_INSUFFICIENT_CAPACITY);
	ATF_CHECK(f.srv.nallocs + f.srv.nresvs <= f.srv.lim.allocs);
	/* Without R it fits. */
	alloc_start(&f, &b);
	add_even_port(&b, 0);
	ATF_CHECK_EQ(req_send(&f, &b, &c2), 0);
	fix_done(&f);

	fix_init(&f);
	f.srv.lim.allocs = 2;
	client(&c2, "127.0.0.2:40000", 0);
	port = reserve(&f, &f.c, token);
	ATF_CHECK_EQ(take_token(&f, &c2, token), 0);
	ATF_CHECK_EQ(answer_port(&f), port + 1);
	ATF_CHECK_EQ(f.srv.nallocs, 2);
	fix_done(&f);
}

/*
 * Four clients, a limit of two: the first two fit, the third is refused
 * with 486, the fourth (another user or source) fits, and so does the
 * third once the first is gone.  The IPv6 client addresses only name
 * 5-tuples: turn.c answers through the caller and sends them nothing.
 */
static const struct quota_case {
	int		 per_user;	/* lim.allocs_user, else allocs_src */
	const char	*addr[4];
	int		 stream[4];
	const char	*user[4];
} quota_cases[] = {
	/* Per username, whatever the source. */
	{ 1, { "127.0.0.1:41000", "127.0.0.2:41000", "127.0.0.3:41000",
	    "127.0.0.4:41000" }, { 0, 0, 0, 0 }, { ALICE, ALICE, ALICE, BOB } },
	/* Per user name, whatever the expiry of its credentials. */
	{ 1, { "127.0.0.1:41000", "127.0.0.2:41000", "127.0.0.3:41000",
	    "127.0.0.4:41000" }, { 0, 0, 0, 0 }, { ALICE, "1700003601:alice",
	    "1700003602:alice", BOB } },
	/* Per IPv4 address, whatever the port, stream or user. */
	{ 0, { "127.0.0.7:41000", "127.0.0.7:41001", "127.0.0.7:41002",
	    "127.0.0.8:41000" }, { 0, 1, 0, 0 }, { ALICE, BOB, BOB, BOB } },
	/* Per IPv6 /64. */
	{ 0, { "[2001:db8::1]:41000", "[2001:db8::2]:41000",
	    "[2001:db8::3]:41000", "[2001:db8:0:1::1]:41000" }, { 0, 0, 0, 0 },
	    { ALICE, ALICE, ALICE, ALICE } },
};

ATF_TC_WITHOUT_HEAD(quota_user_source);
ATF_TC_BODY(quota_user_source, tc)
{
	const struct quota_case	*q;
	struct fix		 f;
	struct stun_builder	 b;
	struct turn_client	 c[4];
	size_t			 i, j;

	for (i = 0; i < sizeof(quota_cases) / sizeof(quota_cases[0]); i++) {
		q = &quota_cases[i];
		fix_init(&f);
		if (q->per_user)
			f.srv.lim.allocs_user = 2;
		else
			f.srv.lim.allocs_src = 2;
		for (j = 0; j < 4; j++)
			client(&c[j], q->addr[j], q->stream[j]);
		ATF_CHECK_EQ(allocate(&f, &c[0], q->user[0]), 0);
		ATF_CHECK(sockaddr_cmp((struct sockaddr *)&f.ans.xor_mapped,
		    (struct sockaddr *)&c[0].addr) == 0);
		ATF_CHECK_EQ(allocate(&f, &c[1], q->user[1]), 0);
		ATF_CHECK_EQ_MSG(allocate(&f, &c[2], q->user[2]),
		    STUN_ERR_ALLOCATION_QUOTA, "%s", q->addr[2]);
		ATF_CHECK(f.ans.has & STUN_HAS_INTEGRITY);
		ATF_CHECK_EQ(f.srv.stats.refused[TURN_REF_QUOTA], 1);
		ATF_CHECK_EQ(allocate(&f, &c[3], q->user[3]), 0);
		req_start(&f, &b, STUN_REFRESH, STUN_REQUEST);
		add_u32(&b, STUN_ATTR_LIFETIME, 0);
		ATF_CHECK_EQ(req_send_as(&f, &b, &c[0], q->user[0], NULL,
		    NULL), 0);
		ATF_CHECK_EQ(allocate(&f, &c[2], q->user[2]), 0);
		ATF_CHECK_EQ(f.srv.nallocs, 3);
		fix_done(&f);
	}
}

/* lim.bps per allocation, both ways: a one-second bucket of bytes. */
ATF_TC_WITHOUT_HEAD(bandwidth_allocation);
ATF_TC_BODY(bandwidth_allocation, tc)
{
	struct fix		 f;
	struct peer		 p;
	struct turn_alloc	*a;
	uint8_t			 data[100], out[DGRAM_MAX];
	size_t			 i, left;

	fix_init(&f);
	f.srv.lim.bps = RELAY_BPS_MIN;
	memset(data, 'b', sizeof(data));
	peer_open(&p, "127.0.0.2", 0);
	ATF_REQUIRE_EQ(allocate(&f, &f.c, ALICE), 0);
	a = last_alloc();
	ATF_REQUIRE_EQ(permit(&f, &f.c, (struct sockaddr *)&p.addr), 0);
	/* 10 of 100 bytes fit 1024; the 11th does not. */
	for (i = 0; i < RELAY_BPS_MIN / sizeof(data) + 1; i++)
		send_ind(&f, &f.c, (struct sockaddr *)&p.addr, data,
		    sizeof(data));
	ATF_CHECK_EQ(peer_drain(&p, sizeof(data)), RELAY_BPS_MIN /
	    sizeof(data));
	ATF_CHECK_EQ(f.srv.stats.refused[TURN_REF_BANDWIDTH], 1);
	/* What is left fits exactly, one byte more does not. */
	left = RELAY_BPS_MIN % sizeof(data);
	send_ind(&f, &f.c, (struct sockaddr *)&p.addr, data, left + 1);
	send_ind(&f, &f.c, (struct sockaddr *)&p.addr, data, left);
	peer_expect(&p, data, left, &a->relayed[0]);
	peer_none(&p);
	/* The peer's way draws from the same bucket. */
	ATF_CHECK_EQ(from_peer(&f, a, &p, data, 1, out, sizeof(out)), 0);
	ATF_CHECK_EQ(f.srv.stats.refused[TURN_REF_BANDWIDTH], 3);

	/* 100 ms refill a tenth. */
	at(&f, 100);
	ATF_CHECK(from_peer(&f, a, &p, data, sizeof(data), out,
	    sizeof(out)) > 0);
	ATF_CHECK_EQ(from_peer(&f, a, &p, data, sizeof(data), out,
	    sizeof(out)), 0);
	/* A second refills it all, and no more than that. */
	at(&f, 10 * MS);
	for (i = 0; i < RELAY_BPS_MIN / sizeof(data) + 1; i++)
		send_ind(&f, &f.c, (struct sockaddr *)&p.addr, data,
		    sizeof(data));
	ATF_CHECK_EQ(peer_drain(&p, sizeof(data)), RELAY_BPS_MIN /
	    sizeof(data));
	peer_close(&p);
	fix_done(&f);
}

/* lim.total_bps: all allocations of the process together. */
ATF_TC_WITHOUT_HEAD(bandwidth_total);
ATF_TC_BODY(bandwidth_total, tc)
{
	struct fix		 f;
	struct turn_client	 c2;
	struct peer		 p;
	struct turn_alloc	*a1, *a2;
	uint8_t			 data[600];

	fix_init(&f);
	f.srv.lim.total_bps = RELAY_BPS_MIN;
	memset(data, 't', sizeof(data));
	client(&c2, "127.0.0.1:40001", 0);
	peer_open(&p, "127.0.0.2", 0);
	ATF_REQUIRE_EQ(allocate(&f, &f.c, ALICE), 0);
	a1 = last_alloc();
	ATF_REQUIRE_EQ(permit(&f, &f.c, (struct sockaddr *)&p.addr), 0);
	ATF_REQUIRE_EQ(allocate(&f, &c2, ALICE), 0);
	a2 = last_alloc();
	ATF_REQUIRE_EQ(permit(&f, &c2, (struct sockaddr *)&p.addr), 0);
	send_ind(&f, &f.c, (struct sockaddr *)&p.addr, data, sizeof(data));
	peer_expect(&p, data, sizeof(data), &a1->relayed[0]);
	/* The other allocation's bucket is full, the process's is not. */
	send_ind(&f, &c2, (struct sockaddr *)&p.addr, data, sizeof(data));
	peer_none(&p);
	send_ind(&f, &c2, (struct sockaddr *)&p.addr, data,
	    RELAY_BPS_MIN - sizeof(data));
	peer_expect(&p, data, RELAY_BPS_MIN - sizeof(data), &a2->relayed[0]);
	send_ind(&f, &f.c, (struct sockaddr *)&p.addr, data, 1);
	peer_none(&p);
	ATF_CHECK_EQ(f.srv.stats.refused[TURN_REF_BANDWIDTH], 2);
	peer_close(&p);
	fix_done(&f);
}

/* A rate table of one slot, which every source shares. */
static void
rate_table(struct relay_rate *r, uint32_t rate, uint32_t burst)
{
	uint8_t	 key[RELAY_HASH_KEY_LEN];

	randombytes_buf(key, sizeof(key));
	ATF_REQUIRE(relay_rate_init(r, 1, rate, burst, key) == 0);
}

/* An Allocate, bare, from the fixture's client as user with pass. */
static int
attempt(struct fix *f, const char *user, const char *pass)
{
	struct stun_builder	 b;

	req_start(f, &b, STUN_ALLOCATE, STUN_REQUEST);
	return req_send_as(f, &b, &f->c, user, pass, NULL);
}

/* An unauthenticated answer costs a token of the `unauth` table. */
ATF_TC_WITHOUT_HEAD(rate_unauth);
ATF_TC_BODY(rate_unauth, tc)
{
	struct fix		 f;
	struct stun_builder	 b;
	struct relay_rate	 rate;
	int			 i;

	fix_init(&f);
	rate_table(&rate, 1, 3);
	f.srv.unauth = &rate;
	for (i = 0; i < 3; i++)
		ATF_CHECK_EQ(attempt(&f, NULL, NULL), STUN_ERR_UNAUTHORIZED);
	ATF_CHECK_EQ(attempt(&f, NULL, NULL), NO_ANSWER);
	/* Every answer before credentials shares the budget. */
	req_start(&f, &b, METHOD_CONNECT, STUN_REQUEST);
	ATF_CHECK_EQ(req_send(&f, &b, &f.c), NO_ANSWER);
	req_start(&f, &b, STUN_ALLOCATE, STUN_REQUEST);
	add_u32(&b, ATTR_UNKNOWN, 0);
	ATF_CHECK_EQ(req_send(&f, &b, &f.c), NO_ANSWER);
	ATF_CHECK_EQ(attempt(&f, ALICE, "wrong"), NO_ANSWER);
	/* An authenticated request is answered regardless. */
	ATF_CHECK_EQ(allocate(&f, &f.c, ALICE), 0);
	/* One second brings one answer back. */
	at(&f, MS);
	ATF_CHECK_EQ(attempt(&f, NULL, NULL), STUN_ERR_UNAUTHORIZED);
	ATF_CHECK_EQ(attempt(&f, NULL, NULL), NO_ANSWER);
	relay_rate_free(&rate);
	fix_done(&f);
}

/* Failed authentications beyond the `authfail` table get silence. */
ATF_TC_WITHOUT_HEAD(rate_authfail);
ATF_TC_BODY(rate_authfail, tc)
{
	struct fix		 f;
	struct relay_rate	 rate;

	fix_init(&f);
	rate_table(&rate, 2, 2);
	f.srv.authfail = &rate;
	ATF_CHECK_EQ(attempt(&f, ALICE, "wrong"), STUN_ERR_UNAUTHORIZED);
	ATF_CHECK_EQ(attempt(&f, ALICE, "wrong"), STUN_ERR_UNAUTHORIZED);
	ATF_CHECK_EQ(attempt(&f, ALICE, "wrong"), NO_ANSWER);
	ATF_CHECK_EQ(f.srv.stats.refused[TURN_REF_AUTH], 3);
	/* Challenges and good credentials do not draw on it. */
	ATF_CHECK_EQ(attempt(&f, NULL, NULL), STUN_ERR_UNAUTHORIZED);
	ATF_CHECK_EQ(allocate(&f, &f.c, ALICE), 0);
	/* Half a second: one token of two per second. */
	at(&f, MS / 2);
	ATF_CHECK_EQ(attempt(&f, BOB, "wrong"), STUN_ERR_UNAUTHORIZED);
	ATF_CHECK_EQ(attempt(&f, BOB, "wrong"), NO_ANSWER);
	relay_rate_free(&rate);
	fix_done(&f);
}

/* RFC 8656 12.5: what a stream's next frame is. */
ATF_TC_WITHOUT_HEAD(frame_len);
ATF_TC_BODY(frame_len, tc)
{
	struct fix		 f;
	struct stun_builder	 b;
	uint8_t			 buf[64];
	size_t			 n;

	fix_init(&f);
	req_start(&f, &b, STUN_REFRESH, STUN_REQUEST);
	add_u32(&b, STUN_ATTR_LIFETIME, 0);
	n = stun_build_len(&b);
	ATF_REQUIRE(n + TURN_CD_HDR_LEN <= sizeof(f.req));
	ATF_CHECK_EQ(turnframe_len(f.req, n), (ssize_t)n);
	/* The next frame's bytes do not count. */
	ATF_CHECK_EQ(turnframe_len(f.req, n + TURN_CD_HDR_LEN), (ssize_t)n);
	ATF_CHECK_EQ(turnframe_len(f.req, n - 1), 0);
	ATF_CHECK_EQ(turnframe_len(f.req, STUN_HDR_LEN), 0);
	ATF_CHECK_EQ(turnframe_len(f.req, TURN_CD_HDR_LEN - 1), 0);
	ATF_CHECK_EQ(turnframe_len(f.req, 0), 0);
	/* A STUN length that is not a multiple of 4. */
	f.req[3] |= 1;
	ATF_CHECK_EQ(turnframe_len(f.req, n), -1);

	/* ChannelData, padded: 5 bytes take 12, 8 take 12, 0 take 4. */
	memset(buf, 0, sizeof(buf));
	buf[0] = TURN_CHAN_MIN >> 8;
	buf[3] = 5;
	ATF_CHECK_EQ(turnframe_len(buf, sizeof(buf)), 12);
	ATF_CHECK_EQ(turnframe_len(buf, 12), 12);
	ATF_CHECK_EQ(turnframe_len(buf, 11), 0);
	ATF_CHECK_EQ(turnframe_len(buf, 9), 0);
	ATF_CHECK(turn_is_channel_data(buf, 4));
	buf[3] = 8;
	ATF_CHECK_EQ(turnframe_len(buf, sizeof(buf)), 12);
	buf[3] = 0;
	ATF_CHECK_EQ(turnframe_len(buf, TURN_CD_HDR_LEN), TURN_CD_HDR_LEN);
	buf[0] = TURN_CHAN_MAX >> 8;
	buf[1] = TURN_CHAN_MAX & 0xff;
	buf[2] = 0xff;
	buf[3] = 0xff;
	ATF_CHECK_EQ(turnframe_len(buf, sizeof(buf)), 0);
	/* The first two bits: 00 STUN, 01 ChannelData, 10 and 11 neither. */
	buf[2] = 0;
	buf[3] = 4;
	buf[0] = 0x80;
	ATF_CHECK_EQ(turnframe_len(buf, sizeof(buf)), -1);
	ATF_CHECK(!turn_is_channel_data(buf, sizeof(buf)));
	buf[0] = 0xc0;
	ATF_CHECK_EQ(turnframe_len(buf, sizeof(buf)), -1);
	/* Not even a header: not yet judged. */
	ATF_CHECK_EQ(turnframe_len(buf, 3), 0);
	ATF_CHECK(!turn_is_channel_data(buf, 3));
	fix_done(&f);
}

/* turn_free_all leaves no socket, reservations included. */
ATF_TC_WITHOUT_HEAD(free_all);
ATF_TC_BODY(free_all, tc)
{
	struct fix		 f;
	struct turn_client	 c2;
	uint8_t			 token[TURN_TOKEN_LEN];
	int			 fd1, fd2, fd3;

	fix_init(&f);
	client(&c2, "127.0.0.1:40001", 0);
	ATF_REQUIRE_EQ(allocate(&f, &f.c, ALICE), 0);
	fd1 = last_alloc()->fd[0];
	reserve(&f, &c2, token);
	fd2 = last_alloc()->fd[0];
	ATF_REQUIRE(!TAILQ_EMPTY(&f.srv.resvs));
	fd3 = TAILQ_FIRST(&f.srv.resvs)->fd;
	fix_done(&f);
	fd_closed(fd1);
	fd_closed(fd2);
	fd_closed(fd3);
	ATF_CHECK(TAILQ_EMPTY(&f.srv.resvs));
	ATF_CHECK_EQ(nwatch, 4);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, allocate_challenge);
	ATF_TP_ADD_TC(tp, allocate_success);
	ATF_TP_ADD_TC(tp, allocate_lifetime);
	ATF_TP_ADD_TC(tp, allocate_retransmit);
	ATF_TP_ADD_TC(tp, allocate_mismatch);
	ATF_TP_ADD_TC(tp, allocate_transport);
	ATF_TP_ADD_TC(tp, allocate_family);
	ATF_TP_ADD_TC(tp, allocate_additional_family);
	ATF_TP_ADD_TC(tp, allocate_dual_stack);
	ATF_TP_ADD_TC(tp, allocate_even_port);
	ATF_TP_ADD_TC(tp, allocate_reservation);
	ATF_TP_ADD_TC(tp, reservation_expiry);
	ATF_TP_ADD_TC(tp, auth_stale_nonce);
	ATF_TP_ADD_TC(tp, auth_wrong_password);
	ATF_TP_ADD_TC(tp, auth_incomplete);
	ATF_TP_ADD_TC(tp, auth_other_user);
	ATF_TP_ADD_TC(tp, unknown_attribute);
	ATF_TP_ADD_TC(tp, unknown_method);
	ATF_TP_ADD_TC(tp, malformed);
	ATF_TP_ADD_TC(tp, refresh_extends);
	ATF_TP_ADD_TC(tp, refresh_short_lifetime);
	ATF_TP_ADD_TC(tp, refresh_delete);
	ATF_TP_ADD_TC(tp, refresh_no_alloc);
	ATF_TP_ADD_TC(tp, refresh_family_mismatch);
	ATF_TP_ADD_TC(tp, permission_peers);
	ATF_TP_ADD_TC(tp, permission_denied);
	ATF_TP_ADD_TC(tp, permission_denied_v6);
	ATF_TP_ADD_TC(tp, permission_own_address);
	ATF_TP_ADD_TC(tp, permission_limit);
	ATF_TP_ADD_TC(tp, permission_same_address);
	ATF_TP_ADD_TC(tp, permission_no_alloc);
	ATF_TP_ADD_TC(tp, send_indication);
	ATF_TP_ADD_TC(tp, send_own_address);
	ATF_TP_ADD_TC(tp, channel_bind_numbers);
	ATF_TP_ADD_TC(tp, channel_bind_limit);
	ATF_TP_ADD_TC(tp, channel_data);
	ATF_TP_ADD_TC(tp, peer_to_client);
	ATF_TP_ADD_TC(tp, peer_to_stream_client);
	ATF_TP_ADD_TC(tp, expire_permission);
	ATF_TP_ADD_TC(tp, expire_channel);
	ATF_TP_ADD_TC(tp, expire_allocation);
	ATF_TP_ADD_TC(tp, stream_closed);
	ATF_TP_ADD_TC(tp, quota_allocations);
	ATF_TP_ADD_TC(tp, reservation_capacity);
	ATF_TP_ADD_TC(tp, quota_user_source);
	ATF_TP_ADD_TC(tp, bandwidth_allocation);
	ATF_TP_ADD_TC(tp, bandwidth_total);
	ATF_TP_ADD_TC(tp, rate_unauth);
	ATF_TP_ADD_TC(tp, rate_authfail);
	ATF_TP_ADD_TC(tp, frame_len);
	ATF_TP_ADD_TC(tp, free_all);
	return atf_no_error();
}
