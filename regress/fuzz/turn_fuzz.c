/*
 * libFuzzer target for tern-relay's TURN server (relay/turn.c): an input
 * is a list of records, each a client's datagram (UDP, from the client
 * that holds a ready allocation or from another), a stretch of a TCP
 * stream cut by turnframe_len, a request the harness signs with good
 * credentials (so every method is reached past authentication), or a
 * peer's datagram for turn_peer_msg.  A record may move the clock first.
 *
 * Checked: answers fit their buffer (allocated to the byte, so that
 * ASan sees one past it) and parse as an answer to the request; a signed
 * success verifies; what turn_peer_msg builds carries the datagram;
 * frame lengths stay within the bytes; the allocation table stays within
 * lim.allocs, reservations counted.
 *
 * Traffic: the relay is on 127.77.0.1, the only peer address allowed,
 * so datagrams go to its own relayed ports and nowhere else; every
 * socket is closed at the end of each input.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <sodium.h>

#include "addr.h"
#include "log.h"
#include "relay/peer_policy.h"
#include "relay/relay.h"
#include "relay/turn.h"
#include "stun.h"
#include "turn_cred.h"
#include "turnframe.h"

#define FUZZ_RECORDS_MAX	64	/* records per input */
#define FUZZ_REC_HDR		3	/* kind, length (2) */
#define FUZZ_ANSWER_MAX		1024	/* relay/server.c: SERVER_ANSWER_MAX */
#define FUZZ_REQ_MAX		2048	/* a signed request */
#define FUZZ_ALLOCS		3	/* few allocations: few descriptors */
#define FUZZ_PERMS		4
#define FUZZ_CHANS		4
#define FUZZ_PORT_LO		61000	/* above Linux's ephemeral ports */
#define FUZZ_PORT_HI		61063
#define FUZZ_RATE		50	/* unauthenticated answers/s */
#define FUZZ_BURST		8
#define FUZZ_AUTHFAIL		2	/* failed authentications/s */
#define FUZZ_SLOTS		4	/* rate table slots */
#define FUZZ_T0			1700000000	/* wall clock at the start */
#define FUZZ_MS			1000	/* ms per second */
#define FUZZ_CHANNEL		TURN_CHAN_MIN	/* bound by the setup */
#define FUZZ_TYPE_MASK		0x3fff	/* RFC 8489 5: top two bits 0 */
#define FUZZ_ALIGN		4	/* RFC 8489 14: attributes */
#define FUZZ_BYTE_SHIFT		24	/* one-byte values lead their u32 */
#define FUZZ_CHAN_SHIFT		16	/* CHANNEL-NUMBER: first two bytes */
#define FUZZ_STREAM_ID		7
#define REALM			"fuzz"
#define SECRET			"fuzz-secret"
/* REST usernames whose expiry no clock of this target reaches. */
#define USER_A			"9223372036854775807:alice"
#define USER_B			"9223372036854775807:bob"

/* A record's kind: its first byte's low three bits. */
enum fuzz_kind {
	FUZZ_RAW_A,		/* a datagram from the allocation's client */
	FUZZ_RAW_B,		/* from another UDP client */
	FUZZ_STREAM,		/* bytes of the stream client's TCP stream */
	FUZZ_SIGNED_A,		/* [type (2)][attributes], signed here */
	FUZZ_SIGNED_B,
	FUZZ_SIGNED_S,
	FUZZ_PEER,		/* [allocation][source][datagram] */
	FUZZ_FRAME,		/* turnframe_len alone; then the stream ends */
};
#define FUZZ_KIND_MASK		0x07
#define FUZZ_FLAG_OTHER		0x08	/* user B, or another peer source */
#define FUZZ_STEP_SHIFT		4	/* bits 4-6: a clock step */
#define FUZZ_STEP_MASK		0x07
#define FUZZ_FLAG_EXTRA		0x80	/* FINGERPRINT, or a small buffer */

/* Clock steps, ms: around the lifetimes of nonces, permissions, channels. */
static const uint64_t	 fuzz_steps[] = {
	0, 1, 999, TURN_RESV_LIFETIME * FUZZ_MS,
	(TURN_PERM_LIFETIME - 1) * FUZZ_MS, TURN_PERM_LIFETIME * FUZZ_MS,
	TURN_CHAN_LIFETIME * FUZZ_MS, TURN_LIFETIME_MAX * FUZZ_MS,
};

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	 fuzz_init(void);
static void	 fuzz_watch(struct turn_alloc *, int, int);
static void	 fuzz_ep(struct sockaddr_storage *, const char *);
static void	 fuzz_rule(const char *, int);
static void	 fuzz_clock(uint64_t);
static size_t	 fuzz_sign(const struct turn_client *, int, int, uint16_t,
		    const uint8_t *, size_t, uint8_t *, uint8_t *);
static void	 fuzz_answer(const uint8_t *, size_t, const uint8_t *, size_t,
		    const struct turn_client *, const uint8_t *);
static void	 fuzz_client(const struct turn_client *, const uint8_t *,
		    size_t, size_t, const uint8_t *);
static void	 fuzz_signed(const struct turn_client *, uint8_t, uint16_t,
		    const uint8_t *, size_t);
static void	 fuzz_signed_rec(const struct turn_client *, uint8_t,
		    const uint8_t *, size_t);
static void	 fuzz_stream(const uint8_t *, size_t);
static void	 fuzz_frame(const uint8_t *, size_t);
static void	 fuzz_peer(uint8_t, const uint8_t *, size_t);
static void	 fuzz_setup(void);
static void	 fuzz_check_table(void);

static struct turn_server	 srv;
static struct turn_server	 conf;		/* the settings of each input */
static const struct turn_ops	 fuzz_ops = { fuzz_watch, NULL };
static struct turn_alloc	*live[FUZZ_ALLOCS];
static size_t			 nlive;
static struct turn_client	 ca, cb, cs;
static uint64_t			 now_ms;	/* monotonic over inputs */
static time_t			 wall = FUZZ_T0;
static uint32_t			 seq;		/* transaction ids */
static int			 ready;

/* The allocations alive, as the server process would know them. */
static void
fuzz_watch(struct turn_alloc *a, int fi, int on)
{
	size_t	 i;

	if (fi < 0 || fi >= TURN_FAMILIES || fcntl(a->fd[fi], F_GETFD) == -1)
		abort();
	for (i = 0; i < nlive; i++)
		if (live[i] == a)
			break;
	if (on && i == nlive) {
		if (nlive == FUZZ_ALLOCS)
			abort();
		live[nlive++] = a;
	} else if (!on && i < nlive)
		live[i] = live[--nlive];
}

static void
fuzz_ep(struct sockaddr_storage *ss, const char *s)
{
	const char	*errstr;

	if (endpoint_parse(s, ss, &errstr) == -1)
		abort();
}

static void
fuzz_rule(const char *prefix, int allow)
{
	const char	*errstr;

	if (relay_peer_rule_parse(prefix, allow, &conf.rules[conf.nrules++],
	    &errstr) == -1)
		abort();
}

static void
fuzz_init(void)
{
	struct sockaddr_storage	 ss;
	int			 fd;

	if (sodium_init() == -1)
		abort();
	log_init(1, 0, LOG_DAEMON);
	turn_init(&conf, &fuzz_ops);
	if (turn_auth_init(&conf.auth, REALM, TURN_NONCE_LIFETIME_DEFAULT) ==
	    -1 || turn_auth_add_secret(&conf.auth, SECRET) == -1)
		abort();
	conf.lim.allocs = FUZZ_ALLOCS;
	conf.lim.allocs_user = FUZZ_ALLOCS;
	conf.lim.allocs_src = FUZZ_ALLOCS;
	conf.lim.perms = FUZZ_PERMS;
	conf.lim.chans = FUZZ_CHANS;
	conf.lim.nonce_lifetime = TURN_NONCE_LIFETIME_DEFAULT;
	conf.lim.authfail_rate = FUZZ_AUTHFAIL;
	conf.lim.port_lo = FUZZ_PORT_LO;
	conf.lim.port_hi = FUZZ_PORT_HI;
	conf.lim.bps = RELAY_BPS_DEFAULT;
	conf.lim.total_bps = RELAY_TOTAL_BPS_DEFAULT;
	fuzz_ep(&conf.relay_addr[0], "127.77.0.1:1");
	((struct sockaddr_in *)&conf.relay_addr[0])->sin_port = 0;
	/* IPv6 relayed sockets on ::1, if there is one; no IPv6 peer. */
	fuzz_ep(&ss, "[::1]:1");
	((struct sockaddr_in6 *)&ss)->sin6_port = 0;
	if ((fd = socket(AF_INET6, SOCK_DGRAM, 0)) != -1) {
		if (bind(fd, (struct sockaddr *)&ss,
		    sizeof(struct sockaddr_in6)) == 0)
			conf.relay_addr[1] = ss;
		close(fd);
	}
	/* Nothing but the relay's own address: datagrams stay here. */
	fuzz_rule("0.0.0.0/0", 0);
	fuzz_rule("::/0", 0);
	fuzz_rule("127.77.0.1/32", 1);
	fuzz_ep(&ca.addr, "127.77.0.2:40000");
	fuzz_ep(&cb.addr, "127.77.0.3:40000");
	fuzz_ep(&cs.addr, "127.77.0.2:40000");
	cs.stream = 1;
	cs.via = FUZZ_STREAM_ID;
	now_ms = FUZZ_MS;
	ready = 1;
}

static void
fuzz_clock(uint64_t step)
{
	now_ms += step;
	wall += step / FUZZ_MS;
	turn_clock(&srv, now_ms, wall);
	turn_expire(&srv);
}

/*
 * A request of type with the raw attributes, then USERNAME, REALM, a
 * fresh NONCE, MESSAGE-INTEGRITY and maybe FINGERPRINT: its length, 0
 * if it does not fit.  The key goes to key.
 */
static size_t
fuzz_sign(const struct turn_client *c, int user_b, int fp, uint16_t type,
    const uint8_t *p, size_t len, uint8_t *req, uint8_t *key)
{
	struct stun_builder	 b;
	const char		*user = user_b ? USER_B : USER_A;
	char			 pass[TURN_CRED_PASS_MAX];
	char			 nonce[TURN_NONCE_MAX];
	uint8_t			 tid[STUN_TID_LEN];
	size_t			 n;

	len -= len % FUZZ_ALIGN;
	memset(tid, 0, sizeof(tid));
	seq++;
	memcpy(tid, &seq, sizeof(seq));
	if (stun_build_init(&b, req, FUZZ_REQ_MAX, type, tid) == -1 ||
	    len > FUZZ_REQ_MAX / 2)
		return 0;
	/* The builder appends after len: the raw attributes go first. */
	memcpy(req + b.len, p, len);
	b.len += len;
	if ((n = turn_nonce_make(&srv.auth, (const struct sockaddr *)&c->addr,
	    srv.now, nonce, sizeof(nonce))) == 0)
		abort();
	turn_cred_password((const uint8_t *)SECRET, strlen(SECRET), user,
	    strlen(user), pass);
	stun_longterm_key(user, REALM, pass, key);
	if (stun_add_bytes(&b, STUN_ATTR_USERNAME, user, strlen(user)) == -1 ||
	    stun_add_bytes(&b, STUN_ATTR_REALM, REALM, strlen(REALM)) == -1 ||
	    stun_add_bytes(&b, STUN_ATTR_NONCE, nonce, n) == -1 ||
	    stun_add_integrity(&b, key, STUN_LTKEY_LEN) == -1 ||
	    (fp && stun_add_fingerprint(&b) == -1))
		abort();
	return stun_build_len(&b);
}

/*
 * An answer to req must be one: same id and method, a success or an
 * error, FINGERPRINT as the request; with a key, a success verifies.
 */
static void
fuzz_answer(const uint8_t *req, size_t reqlen, const uint8_t *out, size_t n,
    const struct turn_client *c, const uint8_t *key)
{
	struct stun_msg	 m, a;
	uint16_t	 class;

	if (stun_parse(req, reqlen, &m) == -1 ||
	    stun_class(m.type) != STUN_REQUEST ||
	    stun_parse(out, n, &a) == -1 ||
	    memcmp(a.tid, m.tid, STUN_TID_LEN) != 0 ||
	    stun_method(a.type) != stun_method(m.type))
		abort();
	class = stun_class(a.type);
	if (class != STUN_SUCCESS && class != STUN_ERROR)
		abort();
	if (class == STUN_ERROR && (a.has & STUN_HAS_ERROR) == 0)
		abort();
	if (((a.has & STUN_HAS_FINGERPRINT) != 0) !=
	    ((m.has & STUN_HAS_FINGERPRINT) != 0) ||
	    ((a.has & STUN_HAS_FINGERPRINT) && stun_check_fingerprint(&a) ==
	    -1))
		abort();
	if (class != STUN_SUCCESS)
		return;
	if (key != NULL && stun_check_integrity(&a, key, STUN_LTKEY_LEN) == -1)
		abort();
	if (stun_method(a.type) == STUN_ALLOCATE &&
	    ((a.has & STUN_HAS_XOR_RELAYED) == 0 ||
	    (a.has & STUN_HAS_LIFETIME) == 0 ||
	    a.lifetime > TURN_LIFETIME_MAX ||
	    sockaddr_port((struct sockaddr *)&a.xor_relayed) < FUZZ_PORT_LO ||
	    sockaddr_port((struct sockaddr *)&a.xor_relayed) > FUZZ_PORT_HI ||
	    sockaddr_cmp((struct sockaddr *)&a.xor_mapped,
	    (const struct sockaddr *)&c->addr) != 0))
		abort();
}

/* One message to turn_client_msg, answered into exactly cap bytes. */
static void
fuzz_client(const struct turn_client *c, const uint8_t *p, size_t len,
    size_t cap, const uint8_t *key)
{
	uint8_t	*out;
	size_t	 n;

	if ((out = malloc(cap > 0 ? cap : 1)) == NULL)
		abort();
	n = turn_client_msg(&srv, c, p, len, out, cap);
	if (n > cap)
		abort();
	if (n > 0)
		fuzz_answer(p, len, out, n, c, key);
	free(out);
}

static void
fuzz_signed(const struct turn_client *c, uint8_t kind, uint16_t type,
    const uint8_t *p, size_t len)
{
	uint8_t	 req[FUZZ_REQ_MAX], key[STUN_LTKEY_LEN];
	size_t	 n;

	if ((n = fuzz_sign(c, (kind & FUZZ_FLAG_OTHER) != 0,
	    (kind & FUZZ_FLAG_EXTRA) != 0, type, p, len, req, key)) > 0)
		fuzz_client(c, req, n, FUZZ_ANSWER_MAX, key);
}

/* A record's request: [type (2)][attributes]. */
static void
fuzz_signed_rec(const struct turn_client *c, uint8_t kind, const uint8_t *p,
    size_t len)
{
	uint16_t	 type;

	if (len < sizeof(type))
		return;
	type = (p[0] << 8 | p[1]) & FUZZ_TYPE_MASK;
	fuzz_signed(c, kind, type, p + sizeof(type), len - sizeof(type));
}

/* As relay/stream.c reads a stream: whole frames, in order. */
static void
fuzz_stream(const uint8_t *p, size_t len)
{
	ssize_t	 n;

	while ((n = turnframe_len(p, len)) > 0) {
		if ((size_t)n > len || (size_t)n < TURN_CD_HDR_LEN)
			abort();
		fuzz_client(&cs, p, n, FUZZ_ANSWER_MAX, NULL);
		p += n;
		len -= n;
	}
}

/* A frame's length follows from its header, and stays within len. */
static void
fuzz_frame(const uint8_t *p, size_t len)
{
	ssize_t	 n = turnframe_len(p, len);
	size_t	 body;

	if (n < -1 || (n > 0 && (size_t)n > len))
		abort();
	if (n <= 0)
		return;
	body = p[2] << 8 | p[3];
	if (turn_is_channel_data(p, len) ? (size_t)n % FUZZ_ALIGN != 0 ||
	    (size_t)n < TURN_CD_HDR_LEN + body ||
	    (size_t)n >= TURN_CD_HDR_LEN + body + FUZZ_ALIGN :
	    (size_t)n != STUN_HDR_LEN + body)
		abort();
}

/*
 * [allocation][source][datagram]: to one of the live allocations from
 * its channel's peer, the relay's other ports, a host without a
 * permission, or an IPv6 one.  What comes back carries the datagram.
 */
static void
fuzz_peer(uint8_t kind, const uint8_t *p, size_t len)
{
	static const char *from_text[] = {
		"127.77.0.1:61001", "127.77.0.9:61001", "[::1]:61001",
	};
	struct sockaddr_storage	 from;
	struct turn_alloc	*a;
	struct stun_msg		 m;
	uint8_t			*out, sel;
	size_t			 n, cap, src;

	if (nlive == 0 || len < 2)
		return;
	a = live[p[0] % nlive];
	sel = p[1];
	src = sel % (1 + sizeof(from_text) / sizeof(from_text[0]));
	p += 2;
	len -= 2;
	if (len > TURN_DATA_MAX)
		len = TURN_DATA_MAX;
	if (src == 0 && a->nchans > 0)
		from = a->chans[0].peer;
	else
		fuzz_ep(&from, from_text[src > 0 ? src - 1 : 0]);
	/* A buffer short of what the datagram needs, or room enough. */
	cap = (kind & FUZZ_FLAG_EXTRA) ? len + sel % TURN_DATA_IND_OVERHEAD :
	    TURN_DATA_MAX + TURN_DATA_IND_OVERHEAD;
	if ((out = malloc(cap > 0 ? cap : 1)) == NULL)
		abort();
	n = turn_peer_msg(&srv, a, (struct sockaddr *)&from, p, len, out, cap);
	if (n > cap)
		abort();
	if (n == 0) {
		free(out);
		return;
	}
	if (turn_is_channel_data(out, n)) {
		if ((size_t)(out[2] << 8 | out[3]) != len ||
		    memcmp(out + TURN_CD_HDR_LEN, p, len) != 0 ||
		    n < TURN_CD_HDR_LEN + len ||
		    (!a->client.stream && n != TURN_CD_HDR_LEN + len) ||
		    (a->client.stream && n % FUZZ_ALIGN != 0))
			abort();
	} else if (stun_parse(out, n, &m) == -1 ||
	    m.type != stun_type(STUN_DATA, STUN_INDICATION) ||
	    sockaddr_cmp((struct sockaddr *)&m.xor_peer,
	    (struct sockaddr *)&from) != 0 || m.data.len != len ||
	    memcmp(out + m.data.off, p, len) != 0)
		abort();
	free(out);
}

/* Client A's allocation, a permission and a channel to its own port. */
static void
fuzz_setup(void)
{
	uint8_t			 body[FUZZ_ANSWER_MAX];
	struct stun_builder	 b;
	struct turn_alloc	*a;
	uint8_t			 tid[STUN_TID_LEN];
	size_t			 n;

	memset(tid, 0, sizeof(tid));
	/* The builder lays out attributes; fuzz_sign adds the header. */
	if (stun_build_init(&b, body, sizeof(body), 0, tid) == -1 ||
	    stun_add_u32(&b, STUN_ATTR_REQUESTED_TRANSPORT,
	    STUN_TRANSPORT_UDP << FUZZ_BYTE_SHIFT) == -1 ||
	    (conf.relay_addr[1].ss_family == AF_INET6 &&
	    stun_add_u32(&b, STUN_ATTR_ADDITIONAL_FAMILY,
	    STUN_FAMILY_V6 << FUZZ_BYTE_SHIFT) == -1))
		abort();
	n = stun_build_len(&b);
	fuzz_signed(&ca, 0, stun_type(STUN_ALLOCATE, STUN_REQUEST),
	    body + STUN_HDR_LEN, n - STUN_HDR_LEN);
	if (nlive == 0)
		return;
	a = live[0];
	if (stun_build_init(&b, body, sizeof(body), 0, tid) == -1 ||
	    stun_add_u32(&b, STUN_ATTR_CHANNEL_NUMBER,
	    FUZZ_CHANNEL << FUZZ_CHAN_SHIFT) == -1 ||
	    stun_add_xor_addr(&b, STUN_ATTR_XOR_PEER_ADDRESS,
	    (struct sockaddr *)&a->relayed[0]) == -1)
		abort();
	n = stun_build_len(&b);
	fuzz_signed(&ca, 0, stun_type(STUN_CHANNEL_BIND, STUN_REQUEST),
	    body + STUN_HDR_LEN, n - STUN_HDR_LEN);
}

/* Within lim.allocs with the reservations, and as many as watched. */
static void
fuzz_check_table(void)
{
	if (srv.nallocs + srv.nresvs > srv.lim.allocs || srv.nallocs != nlive)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct relay_rate	 unauth, authfail;
	uint8_t			 hkey[RELAY_HASH_KEY_LEN], kind;
	size_t			 len, cap, i;

	if (!ready)
		fuzz_init();
	turn_init(&srv, &fuzz_ops);
	srv.lim = conf.lim;
	srv.auth = conf.auth;
	memcpy(srv.rules, conf.rules, sizeof(srv.rules));
	srv.nrules = conf.nrules;
	memcpy(srv.relay_addr, conf.relay_addr, sizeof(srv.relay_addr));
	turn_clock(&srv, now_ms, wall);
	memset(hkey, 0, sizeof(hkey));
	if (relay_rate_init(&unauth, FUZZ_SLOTS, FUZZ_RATE, FUZZ_BURST,
	    hkey) == -1 || relay_rate_init(&authfail, FUZZ_SLOTS,
	    FUZZ_AUTHFAIL, FUZZ_AUTHFAIL, hkey) == -1)
		abort();
	srv.unauth = &unauth;
	srv.authfail = &authfail;
	fuzz_setup();
	fuzz_check_table();

	for (i = 0; i < FUZZ_RECORDS_MAX && size >= FUZZ_REC_HDR; i++) {
		kind = data[0];
		len = (size_t)data[1] << 8 | data[2];
		cap = (kind & FUZZ_FLAG_EXTRA) ? data[2] : FUZZ_ANSWER_MAX;
		data += FUZZ_REC_HDR;
		size -= FUZZ_REC_HDR;
		if (len > size)
			len = size;
		fuzz_clock(fuzz_steps[kind >> FUZZ_STEP_SHIFT &
		    FUZZ_STEP_MASK]);
		switch (kind & FUZZ_KIND_MASK) {
		case FUZZ_RAW_A:
			fuzz_client(&ca, data, len, cap, NULL);
			break;
		case FUZZ_RAW_B:
			fuzz_client(&cb, data, len, cap, NULL);
			break;
		case FUZZ_STREAM:
			fuzz_stream(data, len);
			break;
		case FUZZ_SIGNED_A:
			fuzz_signed_rec(&ca, kind, data, len);
			break;
		case FUZZ_SIGNED_B:
			fuzz_signed_rec(&cb, kind, data, len);
			break;
		case FUZZ_SIGNED_S:
			fuzz_signed_rec(&cs, kind, data, len);
			break;
		case FUZZ_PEER:
			fuzz_peer(kind, data, len);
			break;
		default:
			fuzz_frame(data, len);
			turn_stream_closed(&srv, &cs);
			break;
		}
		fuzz_check_table();
		data += len;
		size -= len;
	}

	turn_free_all(&srv);
	if (srv.nallocs != 0 || srv.nresvs != 0 || nlive != 0)
		abort();
	relay_rate_free(&unauth);
	relay_rate_free(&authfail);
	return 0;
}
