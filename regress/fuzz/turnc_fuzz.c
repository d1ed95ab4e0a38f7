/*
 * libFuzzer target for what the engine's TURN client (agent/turnc.c)
 * takes from its relay: datagrams from the server's address to
 * turnc_input, in a state the input's first byte picks: READY (after a
 * scripted allocation, with a permission and channel 0x4000 bound to
 * the first peer) or ALLOCATING (the first Allocate, or the keyed one
 * after the 401, outstanding).  Then a list of records:
 *
 *	0 raw	   u16 length, bytes: any datagram from the server
 *	1 answer   an answer to one of the requests sent (index): class,
 *		   error code, XOR-RELAYED-ADDRESS, LIFETIME, REALM, NONCE,
 *		   extra attributes, MESSAGE-INTEGRITY with the key the
 *		   request used, another key or none
 *	2 chandata u16 number, u16 length field, u16 length, bytes
 *	3 data	   a Data indication: XOR-PEER-ADDRESS, DATA
 *	4 time	   u16 milliseconds or seconds on, turnc_want (the
 *		   engine still using the relay) or not, turnc_run
 *	5 use	   what the engine calls: turnc_want, turnc_permit,
 *		   turnc_channel, turnc_send, turnc_set_server, a send
 *		   that fails
 *	6 other	   u16 length, bytes from another address
 *
 * Datagrams are copied to buffers of their exact size, so that ASan sees
 * a read past one; transaction ids come from a generator reset for each
 * input, so that runs repeat.  Checked: what the client sends is
 * ChannelData with its own length or STUN that parses, requests with a
 * right FINGERPRINT and, once keyed, the MAC of the key their REALM
 * names; TURNC_DATA points inside the datagram; nothing from another
 * address is taken; the relayed address is there exactly when READY;
 * channels are in RFC 8656's range; caps hold; after turnc_run the next
 * wake is later.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "addr.h"
#include "fuzz_input.h"
#include "fuzz_stun.h"
#include "stun.h"
#include "turnc.h"

#define FUZZ_T0		1000000	/* the first millisecond */
#define FUZZ_RECORDS	64	/* per input: keeps runs short */
#define FUZZ_REQS	16	/* requests remembered, newest kept */
#define FUZZ_DGRAM_MAX	4096	/* a datagram of a record */
#define FUZZ_ANSWER_MAX	4096	/* what the setup answers */
#define FUZZ_TEXT_MAX	1024	/* REALM, NONCE: past STUN_TEXT_MAX */
#define FUZZ_PEERS	4	/* fixed peers; one more from the input */
#define FUZZ_MS		1000	/* ms in a second */
#define FUZZ_ERR_MAX	700	/* ERROR-CODE: RFC 8489 14.8, 300 to 699 */
#define FUZZ_LIFETIME	600	/* the setup's grant: RFC 8656 default */
#define FUZZ_SERVER	"::ffff:192.0.2.1"
#define FUZZ_OTHER	"::ffff:192.0.2.2"
#define FUZZ_PORT	3478
#define FUZZ_USER	"1700086400:fuzz"
#define FUZZ_PASS	"fuzz-password"
#define FUZZ_REALM	"fuzz"
#define FUZZ_NONCE	"fuzz-nonce"
#define FUZZ_RNG_SEED	0x9e3779b97f4a7c15ULL	/* any but 0 */

enum fuzz_op {
	FUZZ_RAW = 0,
	FUZZ_ANSWER,
	FUZZ_CHANDATA,
	FUZZ_DATA,
	FUZZ_TIME,
	FUZZ_USE,
	FUZZ_OTHER_SRC,
	FUZZ_NOPS
};

/* The first byte. */
#define FUZZ_MODE_READY		0x01
#define FUZZ_MODE_KEYED		0x02	/* ALLOCATING past the 401 */
#define FUZZ_MODE_REALM		0x04	/* the realm configured */

/* A time record's flags. */
#define FUZZ_TIME_S		0x01	/* seconds, else milliseconds */
#define FUZZ_TIME_WANT		0x02

/* An answer's flags. */
#define FUZZ_ANS_ERROR		0x01
#define FUZZ_ANS_RELAYED	0x02
#define FUZZ_ANS_LIFETIME	0x04
#define FUZZ_ANS_REALM		0x08
#define FUZZ_ANS_NONCE		0x10
#define FUZZ_ANS_TEXT		0x20	/* REALM and NONCE from the input */
#define FUZZ_ANS_KEY		0x40	/* the request's key, else another */
#define FUZZ_ANS_NOMAC		0x80

struct fuzz_req {
	uint16_t	 method;
	uint8_t		 tid[STUN_TID_LEN];
	uint8_t		 key[STUN_LTKEY_LEN];	/* zero if sent without */
};

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const uint16_t	 fuzz_codes[] = {
	STUN_ERR_UNAUTHORIZED, STUN_ERR_STALE_NONCE,
	STUN_ERR_ALLOCATION_MISMATCH, STUN_ERR_FORBIDDEN,
	STUN_ERR_BAD_REQUEST, STUN_ERR_WRONG_CREDENTIALS,
	STUN_ERR_ALLOCATION_QUOTA, STUN_ERR_INSUFFICIENT_CAPACITY,
	STUN_ERR_SERVER_ERROR,
};

static struct turnc_server	 srv;
static struct sockaddr_in6	 other;
static struct sockaddr_in6	 peers[FUZZ_PEERS];
static struct fuzz_req		 reqs[FUZZ_REQS];
static size_t			 nreqs;
static int			 send_fails;
static uint64_t			 now;
static volatile uint8_t		 sink;		/* what TURNC_DATA read */
static uint64_t			 rng;

/* xorshift64 behind randombytes_buf: ids the fuzzer can learn. */
static uint32_t
fuzz_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 32);
}

static void
fuzz_random_buf(void * const buf, const size_t n)
{
	uint8_t	*p = buf;
	size_t	 i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)fuzz_random();
}

static const char *
fuzz_random_name(void)
{
	return "fuzz";
}

static struct randombytes_implementation fuzz_rng_impl = {
	.implementation_name = fuzz_random_name,
	.random = fuzz_random,
	.buf = fuzz_random_buf,
};

/* RFC 8656 12.4: the number in range, the length what follows. */
static void
fuzz_check_chandata(const uint8_t *buf, size_t len)
{
	uint16_t	 ch;

	if (len < TURNC_CHANDATA_HDR)
		abort();
	ch = (uint16_t)(buf[0] << 8 | buf[1]);
	if (ch < TURNC_CHANNEL_FIRST || ch > TURNC_CHANNEL_LAST ||
	    (size_t)(buf[2] << 8 | buf[3]) != len - TURNC_CHANDATA_HDR)
		abort();
}

/* A request sent with the key must carry the MAC of the key it names. */
static void
fuzz_check_keyed(const struct stun_msg *m, uint8_t key[STUN_LTKEY_LEN])
{
	char	 realm[STUN_TEXT_MAX + 1];

	memset(key, 0, STUN_LTKEY_LEN);
	if ((m->has & STUN_HAS_INTEGRITY) == 0)
		return;
	if ((m->has & (STUN_HAS_USERNAME | STUN_HAS_REALM |
	    STUN_HAS_NONCE)) != (STUN_HAS_USERNAME | STUN_HAS_REALM |
	    STUN_HAS_NONCE) || m->realm.len >= sizeof(realm) ||
	    m->username.len != strlen(FUZZ_USER) ||
	    memcmp(m->buf + m->username.off, FUZZ_USER, m->username.len) != 0)
		abort();
	memcpy(realm, m->buf + m->realm.off, m->realm.len);
	realm[m->realm.len] = '\0';
	if (srv.realm[0] != '\0' && strcmp(realm, srv.realm) != 0)
		abort();
	stun_longterm_key(FUZZ_USER, realm, FUZZ_PASS, key);
	if (stun_check_integrity(m, key, STUN_LTKEY_LEN) != 0)
		abort();
}

static int
fuzz_send(const uint8_t *buf, size_t len, const struct sockaddr_in6 *to,
    void *arg)
{
	struct stun_msg	 m;
	struct fuzz_req	*r;

	if (memcmp(to, &srv.sa, sizeof(*to)) != 0)
		abort();
	if (len >= 1 && (buf[0] & 0xc0) == 0x40) {
		fuzz_check_chandata(buf, len);
		return send_fails ? -1 : 0;
	}
	if (stun_parse(buf, len, &m) == -1)
		abort();
	switch (stun_class(m.type)) {
	case STUN_INDICATION:
		if (stun_method(m.type) != STUN_SEND ||
		    (m.has & (STUN_HAS_XOR_PEER | STUN_HAS_DATA)) !=
		    (STUN_HAS_XOR_PEER | STUN_HAS_DATA))
			abort();
		break;
	case STUN_REQUEST:
		if (stun_check_fingerprint(&m) == -1)
			abort();
		r = &reqs[nreqs++ % FUZZ_REQS];
		r->method = stun_method(m.type);
		memcpy(r->tid, m.tid, sizeof(r->tid));
		fuzz_check_keyed(&m, r->key);
		break;
	default:
		abort();
	}
	return send_fails ? -1 : 0;
}

static void
fuzz_relayed(const struct sockaddr_in6 *sa, void *arg)
{
	if ((sa != NULL) != (turnc_state() == TURNC_READY))
		abort();
}

static void
fuzz_failed(const char *why, void *arg)
{
	if (why == NULL || why[0] == '\0' || turnc_state() != TURNC_FAILED)
		abort();
}

static void
fuzz_init(void)
{
	char	 ip[INET6_ADDRSTRLEN];
	int	 i;

	if (randombytes_set_implementation(&fuzz_rng_impl) != 0 ||
	    sodium_init() < 0)
		abort();
	fuzz_addr(&other, FUZZ_OTHER, FUZZ_PORT);
	for (i = 0; i < FUZZ_PEERS; i++) {
		snprintf(ip, sizeof(ip), "::ffff:198.51.100.%d", i + 1);
		fuzz_addr(&peers[i], ip, 51820 + i % 2);
	}
}

static int
fuzz_add_text(struct fuzz_in *in, struct stun_builder *b, uint16_t type,
    const char *fixed, int from_input)
{
	uint8_t		 v[FUZZ_TEXT_MAX];
	size_t		 len;

	if (!from_input)
		return stun_add_bytes(b, type, fixed, strlen(fixed));
	len = fuzz_u16(in) % sizeof(v);
	fuzz_take(in, v, len);
	return stun_add_bytes(b, type, v, len);
}

/* An answer to one of the requests sent, as a server would build it. */
static size_t
fuzz_answer(struct fuzz_in *in, uint8_t *buf, size_t size)
{
	struct stun_builder	 b;
	struct sockaddr_storage	 ss;
	struct fuzz_req		*r;
	uint8_t			 key[STUN_LTKEY_LEN];
	uint8_t			 flags;
	uint16_t		 code;
	size_t			 n;

	if (nreqs == 0)
		return 0;
	n = nreqs < FUZZ_REQS ? nreqs : FUZZ_REQS;
	r = &reqs[fuzz_u8(in) % n];
	flags = fuzz_u8(in);
	if (stun_build_init(&b, buf, size, stun_type(r->method,
	    (flags & FUZZ_ANS_ERROR) ? STUN_ERROR : STUN_SUCCESS),
	    r->tid) == -1)
		return 0;
	if (flags & FUZZ_ANS_ERROR) {
		code = fuzz_u8(in);
		code = code < sizeof(fuzz_codes) / sizeof(fuzz_codes[0]) ?
		    fuzz_codes[code] : fuzz_u16(in) % FUZZ_ERR_MAX;
		if (stun_add_error(&b, code, "fuzz") == -1)
			return 0;
	}
	if (flags & FUZZ_ANS_RELAYED) {
		fuzz_stun_addr(in, &ss);
		if (stun_add_xor_addr(&b, STUN_ATTR_XOR_RELAYED_ADDRESS,
		    (struct sockaddr *)&ss) == -1)
			return 0;
	}
	if (((flags & FUZZ_ANS_LIFETIME) && stun_add_u32(&b,
	    STUN_ATTR_LIFETIME, fuzz_u32(in)) == -1) ||
	    ((flags & FUZZ_ANS_REALM) && fuzz_add_text(in, &b,
	    STUN_ATTR_REALM, FUZZ_REALM, flags & FUZZ_ANS_TEXT) == -1) ||
	    ((flags & FUZZ_ANS_NONCE) && fuzz_add_text(in, &b,
	    STUN_ATTR_NONCE, FUZZ_NONCE, flags & FUZZ_ANS_TEXT) == -1) ||
	    fuzz_stun_extra(in, &b) == -1)
		return 0;
	if ((flags & FUZZ_ANS_NOMAC) == 0) {
		if (flags & FUZZ_ANS_KEY)
			memcpy(key, r->key, sizeof(key));
		else
			stun_longterm_key(FUZZ_USER, FUZZ_REALM, "not-"
			    FUZZ_PASS, key);
		if (stun_add_integrity(&b, key, sizeof(key)) == -1)
			return 0;
	}
	if (stun_add_fingerprint(&b) == -1)
		return 0;
	return stun_build_len(&b);
}

static size_t
fuzz_chandata(struct fuzz_in *in, uint8_t *buf, size_t size)
{
	uint16_t	 number = fuzz_u16(in), field = fuzz_u16(in);
	size_t		 n = fuzz_u16(in) % (size - TURNC_CHANDATA_HDR);

	/* Mostly the numbers the client binds. */
	if ((number & 0x8000) == 0)
		number = TURNC_CHANNEL_FIRST + number % TURNC_CHANNELS_MAX;
	turnc_chandata_hdr(buf, number, field);
	fuzz_take(in, buf + TURNC_CHANDATA_HDR, n);
	return TURNC_CHANDATA_HDR + n;
}

static size_t
fuzz_data(struct fuzz_in *in, uint8_t *buf, size_t size)
{
	struct stun_builder	 b;
	struct sockaddr_storage	 ss;
	uint8_t			 tid[STUN_TID_LEN], v[FUZZ_DGRAM_MAX / 2];
	size_t			 n;

	fuzz_take(in, tid, sizeof(tid));
	fuzz_stun_addr(in, &ss);
	n = fuzz_u16(in) % sizeof(v);
	fuzz_take(in, v, n);
	if (stun_build_init(&b, buf, size, stun_type(STUN_DATA,
	    STUN_INDICATION), tid) == -1 ||
	    stun_add_xor_addr(&b, STUN_ATTR_XOR_PEER_ADDRESS,
	    (struct sockaddr *)&ss) == -1 ||
	    stun_add_bytes(&b, STUN_ATTR_DATA, v, n) == -1 ||
	    fuzz_stun_extra(in, &b) == -1)
		return 0;
	return stun_build_len(&b);
}

static void
fuzz_state(void)
{
	struct turnc_info	 ti;
	struct sockaddr_in6	 sa;

	if ((turnc_relayed(&sa) == 0) != (turnc_state() == TURNC_READY))
		abort();
	turnc_info(&ti);
	if (ti.nperms > TURNC_PERMS_MAX || ti.nchannels > TURNC_CHANNELS_MAX)
		abort();
}

static void
fuzz_run(void)
{
	turnc_run(now);
	if (turnc_next_wake(now) <= now)
		abort();
}

/* A datagram from from, in a buffer of its size. */
static void
fuzz_input(const uint8_t *dgram, size_t len, const struct sockaddr_in6 *from)
{
	struct sockaddr_in6	 peer;
	enum turnc_input	 r;
	uint8_t			*buf, *data = NULL, sum = 0;
	size_t			 dlen = 0, i;

	if ((buf = malloc(len > 0 ? len : 1)) == NULL)
		abort();
	memcpy(buf, dgram, len);
	r = turnc_input(buf, len, from, now, &peer, &data, &dlen);
	if (from != &srv.sa && r != TURNC_NOT_OURS)
		abort();
	if (r == TURNC_DATA) {
		if (data < buf || dlen > len || data > buf + len - dlen ||
		    peer.sin6_family != AF_INET6)
			abort();
		for (i = 0; i < dlen; i++)
			sum += data[i];
		sink = sum;
	}
	free(buf);
	fuzz_state();
}

static void
fuzz_use(struct fuzz_in *in)
{
	struct turnc_server	 s;
	struct sockaddr_in6	 p;
	uint8_t			 v[FUZZ_DGRAM_MAX / 2];
	uint16_t		 ch;
	uint8_t			 what = fuzz_u8(in), k = fuzz_u8(in);
	size_t			 n;

	if (k < FUZZ_PEERS)
		p = peers[k];
	else {
		memset(&p, 0, sizeof(p));
		p.sin6_family = AF_INET6;
		fuzz_take(in, &p.sin6_addr, sizeof(p.sin6_addr));
		p.sin6_port = htons(fuzz_u16(in));
	}
	switch (what % 8) {
	case 0:
		turnc_want(now);
		break;
	case 1:
		turnc_permit(&p, now);
		break;
	case 2:
		ch = turnc_channel(&p, now);
		if (ch != 0 && (ch < TURNC_CHANNEL_FIRST ||
		    ch > TURNC_CHANNEL_LAST))
			abort();
		break;
	case 3:
		n = fuzz_u16(in) % sizeof(v);
		fuzz_take(in, v, n);
		if (turnc_send(v, n, &p, now) == 0 &&
		    turnc_state() != TURNC_READY)
			abort();
		break;
	case 4:
		/* The same server: nothing may change. */
		s = srv;
		turnc_set_server(&s, now);
		break;
	case 5:
		/* The relay restarted: a new generation. */
		srv.generation++;
		turnc_set_server(&srv, now);
		break;
	case 6:
		turnc_set_server(NULL, now);
		if (turnc_state() != TURNC_IDLE || turnc_is_server(&srv.sa))
			abort();
		turnc_set_server(&srv, now);
		break;
	default:
		send_fails = !send_fails;
		break;
	}
	fuzz_state();
}

/* The 401 to the first Allocate, as tern-relay sends it. */
static void
fuzz_challenge(void)
{
	struct stun_builder	 b;
	uint8_t			 buf[FUZZ_ANSWER_MAX];
	struct fuzz_req		*r = &reqs[(nreqs - 1) % FUZZ_REQS];

	if (nreqs == 0 || r->method != STUN_ALLOCATE ||
	    stun_build_init(&b, buf, sizeof(buf), stun_type(STUN_ALLOCATE,
	    STUN_ERROR), r->tid) == -1 ||
	    stun_add_error(&b, STUN_ERR_UNAUTHORIZED, "Unauthorized") == -1 ||
	    stun_add_bytes(&b, STUN_ATTR_REALM, FUZZ_REALM,
	    strlen(FUZZ_REALM)) == -1 ||
	    stun_add_bytes(&b, STUN_ATTR_NONCE, FUZZ_NONCE,
	    strlen(FUZZ_NONCE)) == -1 ||
	    stun_add_fingerprint(&b) == -1)
		abort();
	fuzz_input(buf, stun_build_len(&b), &srv.sa);
}

/* Success to the newest request, keyed, with a relayed address. */
static void
fuzz_grant(uint16_t method)
{
	struct stun_builder	 b;
	struct sockaddr_in6	 sa;
	struct sockaddr_storage	 ss;
	uint8_t			 buf[FUZZ_ANSWER_MAX];
	struct fuzz_req		*r = &reqs[(nreqs - 1) % FUZZ_REQS];

	fuzz_addr(&sa, "::ffff:203.0.113.5", 50000);
	sockaddr_from_v6(&sa, &ss);
	if (nreqs == 0 || r->method != method ||
	    stun_build_init(&b, buf, sizeof(buf), stun_type(method,
	    STUN_SUCCESS), r->tid) == -1 ||
	    (method == STUN_ALLOCATE && (stun_add_xor_addr(&b,
	    STUN_ATTR_XOR_RELAYED_ADDRESS, (struct sockaddr *)&ss) == -1 ||
	    stun_add_u32(&b, STUN_ATTR_LIFETIME, FUZZ_LIFETIME) == -1)) ||
	    stun_add_integrity(&b, r->key, sizeof(r->key)) == -1 ||
	    stun_add_fingerprint(&b) == -1)
		abort();
	fuzz_input(buf, stun_build_len(&b), &srv.sa);
}

/* A fresh client in the state mode asks for. */
static void
fuzz_setup(uint8_t mode)
{
	struct turnc_env	 env;

	memset(&env, 0, sizeof(env));
	env.send = fuzz_send;
	env.relayed = fuzz_relayed;
	env.failed = fuzz_failed;
	turnc_init(&env);
	nreqs = 0;
	send_fails = 0;
	now = FUZZ_T0;
	rng = FUZZ_RNG_SEED;
	memset(&srv, 0, sizeof(srv));
	strlcpy(srv.name, "fuzz-relay", sizeof(srv.name));
	fuzz_addr(&srv.sa, FUZZ_SERVER, FUZZ_PORT);
	strlcpy(srv.username, FUZZ_USER, sizeof(srv.username));
	strlcpy(srv.password, FUZZ_PASS, sizeof(srv.password));
	if (mode & FUZZ_MODE_REALM)
		strlcpy(srv.realm, FUZZ_REALM, sizeof(srv.realm));
	srv.generation = 1;
	turnc_set_server(&srv, now);
	turnc_want(now);
	if ((mode & (FUZZ_MODE_READY | FUZZ_MODE_KEYED)) == 0)
		return;
	fuzz_challenge();
	if ((mode & FUZZ_MODE_READY) == 0)
		return;
	fuzz_grant(STUN_ALLOCATE);
	turnc_permit(&peers[0], now);
	fuzz_grant(STUN_CREATE_PERMISSION);
	if (turnc_channel(&peers[0], now) != 0)
		abort();
	fuzz_grant(STUN_CHANNEL_BIND);
	if (turnc_state() != TURNC_READY ||
	    turnc_channel(&peers[0], now) != TURNC_CHANNEL_FIRST)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int		 inited;
	struct fuzz_in		 in;
	uint8_t			 buf[FUZZ_DGRAM_MAX];
	size_t			 len, i;
	uint16_t		 t;

	if (!inited) {
		fuzz_init();
		inited = 1;
	}
	fuzz_in_init(&in, data, size);
	fuzz_setup(fuzz_u8(&in));
	for (i = 0; i < FUZZ_RECORDS && in.left > 0; i++) {
		switch (fuzz_u8(&in) % FUZZ_NOPS) {
		case FUZZ_RAW:
			len = fuzz_u16(&in) % sizeof(buf);
			fuzz_take(&in, buf, len);
			fuzz_input(buf, len, &srv.sa);
			break;
		case FUZZ_OTHER_SRC:
			len = fuzz_u16(&in) % sizeof(buf);
			fuzz_take(&in, buf, len);
			fuzz_input(buf, len, &other);
			break;
		case FUZZ_ANSWER:
			if ((len = fuzz_answer(&in, buf, sizeof(buf))) > 0)
				fuzz_input(buf, len, &srv.sa);
			break;
		case FUZZ_CHANDATA:
			len = fuzz_chandata(&in, buf, sizeof(buf));
			fuzz_input(buf, len, &srv.sa);
			break;
		case FUZZ_DATA:
			if ((len = fuzz_data(&in, buf, sizeof(buf))) > 0)
				fuzz_input(buf, len, &srv.sa);
			break;
		case FUZZ_TIME:
			t = fuzz_u8(&in);
			now += (uint64_t)fuzz_u16(&in) *
			    (t & FUZZ_TIME_S ? FUZZ_MS : 1);
			if (t & FUZZ_TIME_WANT)
				turnc_want(now);
			fuzz_run();
			break;
		default:
			fuzz_use(&in);
			break;
		}
	}
	return 0;
}
