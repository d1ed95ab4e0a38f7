/*
 * engine: the TURN client of the relay in use (RFC 8656 over UDP).
 *
 * Allocate without credentials, take REALM and NONCE from the 401, and
 * send every later request with the long-term key (RFC 8489 9.2); a
 * 438 brings a new nonce and the request goes again.  Refresh at half
 * the lifetime; permissions every 240 s while wanted (a channel in use
 * wants its peer's); channels every 480 s while used.  Requests are
 * retransmitted from 1 s, x1.5, and given up after 10 s: the server is
 * then failed and the engine picks another.  A server silent for 2 s
 * while a channel carries traffic, 25 s otherwise, is asked with a
 * Refresh, given up after 5 s without an answer.  An allocation nobody
 * used for a minute is released.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "addr.h"
#include "log.h"
#include "stun.h"
#include "turnc.h"

#define TURNC_MSG_MAX		2048	/* our requests and indications */
#define TURNC_MS		1000	/* ms in a second */

enum turnc_kind {
	REQ_ALLOCATE = 1,
	REQ_REFRESH,
	REQ_RELEASE,		/* Refresh with LIFETIME 0 */
	REQ_PERMISSION,
	REQ_CHANNEL,
};

struct turnc_req {
	int			 used;
	enum turnc_kind		 kind;
	uint8_t			 tid[STUN_TID_LEN];
	size_t			 slot;		/* perm or channel index */
	int			 ntx;
	int			 retried;	/* after a 401 or 438 */
	int			 probe;		/* a Refresh asking if alive */
	uint64_t		 first;
	uint64_t		 next;
	uint64_t		 rto;
};

struct turnc_perm {
	int			 used;
	struct in6_addr		 ip;		/* v4-mapped */
	in_port_t		 port;		/* any of the peer's: RFC 8656
						   9 ignores it, a relay may
						   refuse port 0 */
	int			 installed;
	int			 pending;
	uint64_t		 expires;	/* on the server */
	uint64_t		 wanted;	/* last asked for or used */
	uint64_t		 refused;	/* 403: not before this again */
};

struct turnc_chan {
	int			 used;
	struct sockaddr_in6	 peer;
	uint16_t		 number;
	int			 bound;
	int			 pending;
	uint64_t		 expires;	/* refresh due */
	uint64_t		 bound_at;	/* last ChannelBind answered */
	uint64_t		 used_at;
	uint64_t		 refused;	/* not asked again before */
};

static struct {
	struct turnc_env	 env;
	struct turnc_server	 srv;
	int			 have_srv;
	struct turnc_server	 next;		/* newer credentials, kept */
	int			 have_next;
	enum turnc_state	 state;
	char			 realm[STUN_TEXT_MAX + 1];
	char			 nonce[STUN_TEXT_MAX + 1];
	uint8_t			 key[STUN_LTKEY_LEN];
	int			 have_key;
	struct sockaddr_in6	 relayed;
	uint32_t		 lifetime;	/* seconds, as granted */
	uint64_t		 refresh_at;
	uint64_t		 wanted;	/* last turnc_want or use */
	uint64_t		 last_rx;	/* anything from the server */
	uint64_t		 failed_at;	/* when it last failed */
	uint64_t		 last_now;	/* the latest time given us */
	struct turnc_req	 reqs[TURNC_REQS_MAX];
	struct turnc_perm	 perms[TURNC_PERMS_MAX];
	struct turnc_chan	 chans[TURNC_CHANNELS_MAX];
	uint16_t		 next_channel;
	int			 mismatches;	/* 437s to this Allocate */
	uint64_t		 capped_log;
} tc;

static void	 turnc_drop(const char *);
static int	 turnc_request(enum turnc_kind, size_t, uint64_t);
static int	 turnc_transmit(struct turnc_req *);
static void	 turnc_answer(struct turnc_req *, const struct stun_msg *,
		    uint64_t);
static struct turnc_perm *turnc_perm_find(const struct in6_addr *);

void
turnc_init(const struct turnc_env *env)
{
	memset(&tc, 0, sizeof(tc));
	tc.env = *env;
	tc.next_channel = TURNC_CHANNEL_FIRST;
}

static int
turnc_ip_eq(const struct in6_addr *a, const struct in6_addr *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

static int
turnc_sa_eq(const struct sockaddr_in6 *a, const struct sockaddr_in6 *b)
{
	return a->sin6_port == b->sin6_port &&
	    turnc_ip_eq(&a->sin6_addr, &b->sin6_addr);
}

int
turnc_is_server(const struct sockaddr_in6 *from)
{
	return tc.have_srv && turnc_sa_eq(from, &tc.srv.sa);
}

const struct sockaddr_in6 *
turnc_server_sa(void)
{
	return &tc.srv.sa;
}

enum turnc_state
turnc_state(void)
{
	return tc.state;
}

const char *
turnc_server_name(void)
{
	return tc.have_srv ? tc.srv.name : "";
}

int
turnc_same_server(const struct turnc_server *s)
{
	return tc.have_srv && strcmp(s->name, tc.srv.name) == 0 &&
	    turnc_sa_eq(&s->sa, &tc.srv.sa) &&
	    strcmp(s->username, tc.srv.username) == 0 &&
	    strcmp(s->password, tc.srv.password) == 0 &&
	    strcmp(s->realm, tc.srv.realm) == 0 &&
	    s->generation == tc.srv.generation;
}

/* Forgets the allocation and everything on it (the server may keep it). */
static void
turnc_forget(void)
{
	int	 had = tc.state == TURNC_READY;

	memset(tc.reqs, 0, sizeof(tc.reqs));
	memset(tc.perms, 0, sizeof(tc.perms));
	memset(tc.chans, 0, sizeof(tc.chans));
	memset(&tc.relayed, 0, sizeof(tc.relayed));
	tc.next_channel = TURNC_CHANNEL_FIRST;
	tc.mismatches = 0;
	tc.state = TURNC_IDLE;
	tc.have_key = 0;
	tc.nonce[0] = '\0';
	tc.realm[0] = '\0';
	if (had && tc.env.relayed != NULL)
		tc.env.relayed(NULL, tc.env.arg);
}

/* The server failed us: the engine picks another. */
static void
turnc_drop(const char *why)
{
	log_warnx("relay %s: %s", tc.srv.name, why);
	turnc_forget();
	tc.state = TURNC_FAILED;
	tc.failed_at = tc.last_now;
	if (tc.env.failed != NULL)
		tc.env.failed(why, tc.env.arg);
}

/* A TURN REST user name starts with its expiry (unix seconds); else 0. */
static int64_t
turnc_user_expiry(const char *user)
{
	int64_t	 t = 0;

	if (*user < '0' || *user > '9')
		return 0;
	for (; *user >= '0' && *user <= '9'; user++) {
		if (t > (INT64_MAX - 9) / 10)
			return 0;
		t = t * 10 + (*user - '0');
	}
	return *user == ':' ? t : 0;
}

/* The same relay, restarted or not, whatever its credentials. */
static int
turnc_same_place(const struct turnc_server *s)
{
	return tc.have_srv && strcmp(s->name, tc.srv.name) == 0 &&
	    turnc_sa_eq(&s->sa, &tc.srv.sa) &&
	    strcmp(s->realm, tc.srv.realm) == 0 &&
	    s->generation == tc.srv.generation;
}

void
turnc_set_server(const struct turnc_server *s, uint64_t now)
{
	int64_t	 exp;

	if (s != NULL && turnc_same_server(s)) {
		tc.have_next = 0;
		return;
	}
	/*
	 * tern-signal renews REST credentials long before they expire:
	 * the allocation in use keeps the user name it was made with (a
	 * Refresh must carry it) until it nears its end, then is made
	 * again with the newer one (turnc_run).
	 */
	if (s != NULL && tc.state == TURNC_READY && turnc_same_place(s) &&
	    (exp = turnc_user_expiry(tc.srv.username)) != 0 &&
	    exp - time(NULL) > TURNC_CRED_RENEW_S) {
		tc.next = *s;
		tc.have_next = 1;
		return;
	}
	tc.have_next = 0;
	/* A clean end for the old one, best effort: no answer awaited. */
	if (tc.state == TURNC_READY && tc.have_key)
		(void)turnc_request(REQ_RELEASE, 0, now);
	turnc_forget();
	tc.have_srv = s != NULL;
	if (s != NULL) {
		tc.srv = *s;
		if (tc.wanted != 0 && now - tc.wanted <
		    TURNC_IDLE_RELEASE_S * TURNC_MS)
			turnc_want(now);
	} else
		memset(&tc.srv, 0, sizeof(tc.srv));
}

void
turnc_shutdown(uint64_t now)
{
	if (tc.state == TURNC_READY && tc.have_key)
		(void)turnc_request(REQ_RELEASE, 0, now);
}

void
turnc_want(uint64_t now)
{
	tc.wanted = tc.last_now = now;
	if (!tc.have_srv || tc.srv.username[0] == '\0')
		return;
	if (tc.state == TURNC_IDLE || (tc.state == TURNC_FAILED &&
	    now - tc.failed_at >= TURNC_FAILED_RETRY_S * TURNC_MS)) {
		/* A new allocation takes the newest credentials. */
		if (tc.have_next) {
			tc.srv = tc.next;
			tc.have_next = 0;
		}
		tc.state = TURNC_ALLOCATING;
		if (turnc_request(REQ_ALLOCATE, 0, now) == -1)
			turnc_drop("cannot send an Allocate request");
	}
}

int
turnc_relayed(struct sockaddr_in6 *sa)
{
	if (tc.state != TURNC_READY)
		return -1;
	*sa = tc.relayed;
	return 0;
}

/* How long a silent server waits for a Refresh asking if it is there. */
static uint64_t
turnc_probe_ms(uint64_t now)
{
	size_t	 i;

	for (i = 0; i < TURNC_CHANNELS_MAX; i++)
		if (tc.chans[i].used && tc.chans[i].bound &&
		    now - tc.chans[i].used_at < TURNC_PATH_USE_MS)
			return TURNC_PROBE_MS;
	return TURNC_PROBE_IDLE_MS;
}

static void
turnc_refresh_mark_probe(void)
{
	size_t	 i;

	for (i = 0; i < TURNC_REQS_MAX; i++)
		if (tc.reqs[i].used && tc.reqs[i].kind == REQ_REFRESH)
			tc.reqs[i].probe = 1;
}

static int
turnc_refresh_out(void)
{
	size_t	 i;

	for (i = 0; i < TURNC_REQS_MAX; i++)
		if (tc.reqs[i].used && tc.reqs[i].kind == REQ_REFRESH)
			return 1;
	return 0;
}

static struct turnc_req *
turnc_req_new(void)
{
	size_t	 i;

	for (i = 0; i < TURNC_REQS_MAX; i++)
		if (!tc.reqs[i].used)
			return &tc.reqs[i];
	return NULL;
}

static int
turnc_request(enum turnc_kind kind, size_t slot, uint64_t now)
{
	struct turnc_req	*r;

	if ((r = turnc_req_new()) == NULL)
		return -1;
	memset(r, 0, sizeof(*r));
	r->used = 1;
	r->kind = kind;
	r->slot = slot;
	r->first = now;
	r->rto = TURNC_RTO_MS;
	randombytes_buf(r->tid, sizeof(r->tid));
	if (turnc_transmit(r) == -1) {
		r->used = 0;
		return -1;
	}
	r->next = now + r->rto;
	/* Nothing to wait for: the allocation is being let go. */
	if (kind == REQ_RELEASE)
		r->used = 0;
	return 0;
}

static uint16_t
turnc_method(enum turnc_kind kind)
{
	switch (kind) {
	case REQ_ALLOCATE:
		return STUN_ALLOCATE;
	case REQ_REFRESH:
	case REQ_RELEASE:
		return STUN_REFRESH;
	case REQ_PERMISSION:
		return STUN_CREATE_PERMISSION;
	case REQ_CHANNEL:
		return STUN_CHANNEL_BIND;
	}
	return 0;
}

/* STUN carries IPv4 as IPv4. */
static void
turnc_sa(const struct sockaddr_in6 *v6, struct sockaddr_storage *ss)
{
	sockaddr_from_v6(v6, ss);
}

/* Builds r's request as it stands now (credentials, nonce) and sends it. */
static int
turnc_transmit(struct turnc_req *r)
{
	struct stun_builder	 b;
	struct sockaddr_storage	 ss;
	struct sockaddr_in6	 peer;
	uint8_t			 buf[TURNC_MSG_MAX];
	int			 rv = 0;

	if (stun_build_init(&b, buf, sizeof(buf),
	    stun_type(turnc_method(r->kind), STUN_REQUEST), r->tid) == -1)
		return -1;
	switch (r->kind) {
	case REQ_ALLOCATE:
		rv = stun_add_u32(&b, STUN_ATTR_REQUESTED_TRANSPORT,
		    (uint32_t)STUN_TRANSPORT_UDP << 24);
		break;
	case REQ_REFRESH:
		rv = stun_add_u32(&b, STUN_ATTR_LIFETIME, TURNC_LIFETIME_S);
		break;
	case REQ_RELEASE:
		rv = stun_add_u32(&b, STUN_ATTR_LIFETIME, 0);
		break;
	case REQ_PERMISSION:
		memset(&peer, 0, sizeof(peer));
		peer.sin6_family = AF_INET6;
		peer.sin6_addr = tc.perms[r->slot].ip;
		peer.sin6_port = tc.perms[r->slot].port;
		turnc_sa(&peer, &ss);
		rv = stun_add_xor_addr(&b, STUN_ATTR_XOR_PEER_ADDRESS,
		    (struct sockaddr *)&ss);
		break;
	case REQ_CHANNEL:
		turnc_sa(&tc.chans[r->slot].peer, &ss);
		rv = stun_add_u32(&b, STUN_ATTR_CHANNEL_NUMBER,
		    (uint32_t)tc.chans[r->slot].number << 16);
		if (rv == 0)
			rv = stun_add_xor_addr(&b, STUN_ATTR_XOR_PEER_ADDRESS,
			    (struct sockaddr *)&ss);
		break;
	}
	if (rv == -1)
		return -1;
	if (tc.have_key) {
		if (stun_add_bytes(&b, STUN_ATTR_USERNAME, tc.srv.username,
		    strlen(tc.srv.username)) == -1 ||
		    stun_add_bytes(&b, STUN_ATTR_REALM, tc.realm,
		    strlen(tc.realm)) == -1 ||
		    stun_add_bytes(&b, STUN_ATTR_NONCE, tc.nonce,
		    strlen(tc.nonce)) == -1 ||
		    stun_add_integrity(&b, tc.key, sizeof(tc.key)) == -1)
			return -1;
	}
	if (stun_add_fingerprint(&b) == -1)
		return -1;
	return tc.env.send(buf, stun_build_len(&b), &tc.srv.sa, tc.env.arg);
}

static int
turnc_text(const struct stun_msg *m, const struct stun_span *sp, char *out,
    size_t outlen)
{
	if (sp->len == 0 || sp->len >= outlen ||
	    memchr(m->buf + sp->off, '\0', sp->len) != NULL)
		return -1;
	memcpy(out, m->buf + sp->off, sp->len);
	out[sp->len] = '\0';
	return 0;
}

/* 401 or 438: take the realm and nonce and ask again; NULL, or why not. */
static const char *
turnc_challenge(struct turnc_req *r, const struct stun_msg *m, uint64_t now)
{
	char		 realm[sizeof(tc.realm)];
	const char	*refused;
	int		 had = tc.have_key;

	refused = m->error_code == STUN_ERR_UNAUTHORIZED ?
	    "credentials refused (401)" : "nonce refused (438)";
	if ((m->has & STUN_HAS_NONCE) == 0 ||
	    turnc_text(m, &m->nonce, tc.nonce, sizeof(tc.nonce)) == -1)
		return refused;
	if (m->has & STUN_HAS_REALM) {
		if (turnc_text(m, &m->realm, realm, sizeof(realm)) == -1)
			return refused;
		if (tc.srv.realm[0] != '\0' && strcmp(realm, tc.srv.realm) != 0)
			return "realm differs from the configured one";
		strlcpy(tc.realm, realm, sizeof(tc.realm));
	} else if (tc.realm[0] == '\0')
		return refused;
	stun_longterm_key(tc.srv.username, tc.realm, tc.srv.password, tc.key);
	tc.have_key = 1;
	/* A 401 to a request that had the key: the credentials are wrong. */
	if (m->error_code == STUN_ERR_UNAUTHORIZED && had && r->retried)
		return refused;
	if (r->retried >= 2)
		return refused;
	r->retried++;
	randombytes_buf(r->tid, sizeof(r->tid));
	r->ntx = 0;
	r->rto = TURNC_RTO_MS;
	r->first = now;
	r->next = now + r->rto;
	return turnc_transmit(r) == -1 ? "cannot send a request" : NULL;
}

static struct turnc_req *
turnc_req_find(const uint8_t tid[STUN_TID_LEN])
{
	size_t	 i;

	for (i = 0; i < TURNC_REQS_MAX; i++)
		if (tc.reqs[i].used && memcmp(tc.reqs[i].tid, tid,
		    STUN_TID_LEN) == 0)
			return &tc.reqs[i];
	return NULL;
}

static void
turnc_ready(const struct stun_msg *m, uint64_t now)
{
	struct sockaddr_in6	 sa;
	char			 buf[ADDR_STRLEN];

	if ((m->has & STUN_HAS_XOR_RELAYED) == 0 ||
	    sockaddr_to_v6_ip(&m->xor_relayed, &sa) == -1) {
		turnc_drop("Allocate answer without a relayed address");
		return;
	}
	tc.lifetime = (m->has & STUN_HAS_LIFETIME) &&
	    m->lifetime >= TURNC_LIFETIME_MIN_S ?
	    m->lifetime : TURNC_LIFETIME_S;
	tc.refresh_at = now + (uint64_t)tc.lifetime * TURNC_MS / 2;
	tc.relayed = sa;
	tc.mismatches = 0;
	tc.state = TURNC_READY;
	tc.last_rx = now;
	log_info("relay %s: relayed address %s, lifetime %u s", tc.srv.name,
	    sockaddr_str((struct sockaddr *)&sa, buf, sizeof(buf)),
	    tc.lifetime);
	if (tc.env.relayed != NULL)
		tc.env.relayed(&tc.relayed, tc.env.arg);
}

static void
turnc_answer(struct turnc_req *r, const struct stun_msg *m, uint64_t now)
{
	struct turnc_perm	*p;
	struct turnc_chan	*c;
	const char		*fail;
	char			 why[64];
	uint16_t		 code = 0;

	if (stun_class(m->type) == STUN_ERROR)
		code = (m->has & STUN_HAS_ERROR) ? m->error_code :
		    STUN_ERR_SERVER_ERROR;
	/*
	 * RFC 8489 9.2.5: an answer to a request sent with the key is
	 * dropped, and the request goes on, unless the key's
	 * MESSAGE-INTEGRITY is right.  Only 401 and 438, sent before the
	 * server authenticated anything, may go without one.
	 */
	if (tc.have_key && ((m->has & STUN_HAS_INTEGRITY) ?
	    stun_check_integrity(m, tc.key, sizeof(tc.key)) != 0 :
	    code != STUN_ERR_UNAUTHORIZED && code != STUN_ERR_STALE_NONCE))
		return;
	if (code == STUN_ERR_UNAUTHORIZED || code == STUN_ERR_STALE_NONCE) {
		if ((fail = turnc_challenge(r, m, now)) != NULL) {
			r->used = 0;
			turnc_drop(fail);
		}
		return;
	}
	r->used = 0;
	switch (r->kind) {
	case REQ_ALLOCATE:
		if (code == STUN_ERR_ALLOCATION_MISMATCH) {
			/* An allocation of an earlier run holds our 5-tuple. */
			if (tc.mismatches < TURNC_MISMATCH_MAX &&
			    turnc_request(REQ_RELEASE, 0, now) == 0) {
				tc.mismatches++;
				tc.state = TURNC_IDLE;
				turnc_want(now);
				return;
			}
		}
		if (code != 0) {
			snprintf(why, sizeof(why), "Allocate refused (%u)",
			    code);
			turnc_drop(why);
			return;
		}
		turnc_ready(m, now);
		break;
	case REQ_REFRESH:
		if (code == STUN_ERR_ALLOCATION_MISMATCH) {
			/* It forgot us (restarted): allocate again. */
			log_warnx("relay %s: allocation gone (437), "
			    "allocating again", tc.srv.name);
			turnc_forget();
			turnc_want(now);
			return;
		}
		if (code != 0) {
			snprintf(why, sizeof(why), "Refresh refused (%u)", code);
			turnc_drop(why);
			return;
		}
		tc.lifetime = (m->has & STUN_HAS_LIFETIME) &&
	    m->lifetime >= TURNC_LIFETIME_MIN_S ?
		    m->lifetime : TURNC_LIFETIME_S;
		tc.refresh_at = now + (uint64_t)tc.lifetime * TURNC_MS / 2;
		break;
	case REQ_RELEASE:
		break;
	case REQ_PERMISSION:
		p = &tc.perms[r->slot];
		p->pending = 0;
		if (code != 0) {
			p->installed = 0;
			p->refused = now + TURNC_REFUSED_RETRY_S * TURNC_MS;
			return;
		}
		p->installed = 1;
		p->expires = now + TURNC_PERM_S * TURNC_MS;
		break;
	case REQ_CHANNEL:
		c = &tc.chans[r->slot];
		c->pending = 0;
		if (code != 0) {
			/* Send indications carry its datagrams instead. */
			log_warnx("relay %s: ChannelBind refused (%u)",
			    tc.srv.name, code);
			c->bound = 0;
			c->refused = now + TURNC_REFUSED_RETRY_S * TURNC_MS;
			return;
		}
		c->bound = 1;
		c->bound_at = now;
		c->expires = now + TURNC_CHAN_REFRESH_S * TURNC_MS;
		break;
	}
}

static struct turnc_chan *
turnc_chan_by_number(uint16_t n)
{
	size_t	 i;

	for (i = 0; i < TURNC_CHANNELS_MAX; i++)
		if (tc.chans[i].used && tc.chans[i].bound &&
		    tc.chans[i].number == n)
			return &tc.chans[i];
	return NULL;
}

enum turnc_input
turnc_input(uint8_t *buf, size_t len, const struct sockaddr_in6 *from,
    uint64_t now, struct sockaddr_in6 *peer, uint8_t **data, size_t *dlen)
{
	struct stun_msg		 m;
	struct turnc_req	*r;
	struct turnc_perm	*p;
	struct turnc_chan	*c;
	size_t			 n;

	if (!turnc_is_server(from))
		return TURNC_NOT_OURS;
	tc.last_rx = tc.last_now = now;
	/* RFC 8656 12.4: ChannelData starts with 0b01. */
	if (len >= TURNC_CHANDATA_HDR && (buf[0] & 0xc0) == 0x40) {
		n = (size_t)buf[2] << 8 | buf[3];
		if (tc.state != TURNC_READY || n > len - TURNC_CHANDATA_HDR ||
		    (c = turnc_chan_by_number((uint16_t)(buf[0] << 8 |
		    buf[1]))) == NULL)
			return TURNC_TAKEN;
		c->used_at = now;
		/* The peer's datagrams need its permission as ours do. */
		if ((p = turnc_perm_find(&c->peer.sin6_addr)) != NULL)
			p->wanted = now;
		*peer = c->peer;
		*data = buf + TURNC_CHANDATA_HDR;
		*dlen = n;
		return TURNC_DATA;
	}
	if (stun_parse(buf, len, &m) == -1)
		return TURNC_NOT_OURS;
	if (stun_class(m.type) == STUN_INDICATION) {
		if (stun_method(m.type) != STUN_DATA)
			return TURNC_NOT_OURS;
		if (tc.state != TURNC_READY ||
		    (m.has & (STUN_HAS_XOR_PEER | STUN_HAS_DATA)) !=
		    (STUN_HAS_XOR_PEER | STUN_HAS_DATA) ||
		    sockaddr_to_v6_ip(&m.xor_peer, peer) == -1)
			return TURNC_TAKEN;
		*data = buf + m.data.off;
		*dlen = m.data.len;
		return TURNC_DATA;
	}
	if ((stun_class(m.type) != STUN_SUCCESS &&
	    stun_class(m.type) != STUN_ERROR) ||
	    (r = turnc_req_find(m.tid)) == NULL ||
	    stun_method(m.type) != turnc_method(r->kind))
		return TURNC_NOT_OURS;
	turnc_answer(r, &m, now);
	return TURNC_TAKEN;
}

static struct turnc_perm *
turnc_perm_find(const struct in6_addr *ip)
{
	size_t	 i;

	for (i = 0; i < TURNC_PERMS_MAX; i++)
		if (tc.perms[i].used && turnc_ip_eq(&tc.perms[i].ip, ip))
			return &tc.perms[i];
	return NULL;
}

static void
turnc_capped(const char *what, int max, uint64_t now)
{
	if (tc.capped_log != 0 && now - tc.capped_log < 60 * TURNC_MS)
		return;
	tc.capped_log = now;
	log_warnx("relay %s: %d %s in use, no more", tc.srv.name, max, what);
}

void
turnc_permit(const struct sockaddr_in6 *peer, uint64_t now)
{
	struct turnc_perm	*p;
	size_t			 i;

	tc.wanted = now;
	if ((p = turnc_perm_find(&peer->sin6_addr)) == NULL) {
		for (i = 0; i < TURNC_PERMS_MAX; i++)
			if (!tc.perms[i].used)
				break;
		/*
		 * Make room: first from one the relay refused or never
		 * installed, then from one nobody wanted for a
		 * permission's life.
		 */
		if (i == TURNC_PERMS_MAX)
			for (i = 0; i < TURNC_PERMS_MAX; i++)
				if (!tc.perms[i].pending &&
				    !tc.perms[i].installed &&
				    now < tc.perms[i].refused)
					break;
		if (i == TURNC_PERMS_MAX)
			for (i = 0; i < TURNC_PERMS_MAX; i++)
				if (!tc.perms[i].pending && now -
				    tc.perms[i].wanted > TURNC_PERM_S *
				    TURNC_MS)
					break;
		if (i == TURNC_PERMS_MAX) {
			turnc_capped("permissions", TURNC_PERMS_MAX, now);
			return;
		}
		p = &tc.perms[i];
		memset(p, 0, sizeof(*p));
		p->used = 1;
		p->ip = peer->sin6_addr;
		p->port = peer->sin6_port;
	}
	p->wanted = now;
	if (tc.state == TURNC_READY && !p->installed && !p->pending &&
	    now >= p->refused && turnc_request(REQ_PERMISSION, p - tc.perms,
	    now) == 0)
		p->pending = 1;
}

static struct turnc_chan *
turnc_chan_find(const struct sockaddr_in6 *peer)
{
	size_t	 i;

	for (i = 0; i < TURNC_CHANNELS_MAX; i++)
		if (tc.chans[i].used && turnc_sa_eq(&tc.chans[i].peer, peer))
			return &tc.chans[i];
	return NULL;
}

uint16_t
turnc_channel(const struct sockaddr_in6 *peer, uint64_t now)
{
	struct turnc_chan	*c;
	size_t			 i;

	if (tc.state != TURNC_READY)
		return 0;
	/* Its datagrams need the peer's permission: kept while it is used. */
	turnc_permit(peer, now);
	if ((c = turnc_chan_find(peer)) != NULL) {
		c->used_at = now;
		if (c->bound)
			return c->number;
		/* Refused or lapsed: ask again (the number stays its own). */
		if (!c->pending && now >= c->refused &&
		    turnc_request(REQ_CHANNEL, c - tc.chans, now) == 0)
			c->pending = 1;
		return 0;
	}
	for (i = 0; i < TURNC_CHANNELS_MAX; i++)
		if (!tc.chans[i].used)
			break;
	if (i == TURNC_CHANNELS_MAX) {
		turnc_capped("channels", TURNC_CHANNELS_MAX, now);
		return 0;
	}
	c = &tc.chans[i];
	memset(c, 0, sizeof(*c));
	c->used = 1;
	c->peer = *peer;
	c->used_at = now;
	/* Numbers are not reused within an allocation (RFC 8656 12). */
	if (tc.next_channel > TURNC_CHANNEL_LAST) {
		c->used = 0;
		turnc_capped("channel numbers", TURNC_CHANNEL_LAST -
		    TURNC_CHANNEL_FIRST + 1, now);
		return 0;
	}
	c->number = tc.next_channel++;
	if (turnc_request(REQ_CHANNEL, i, now) == -1)
		c->used = 0;
	else
		c->pending = 1;
	return 0;
}

void
turnc_chandata_hdr(uint8_t *hdr, uint16_t channel, size_t len)
{
	hdr[0] = channel >> 8;
	hdr[1] = channel & 0xff;
	hdr[2] = (len >> 8) & 0xff;
	hdr[3] = len & 0xff;
}

int
turnc_send(const uint8_t *data, size_t len, const struct sockaddr_in6 *peer,
    uint64_t now)
{
	struct stun_builder	 b;
	struct sockaddr_storage	 ss;
	uint8_t			 buf[TURNC_MSG_MAX + TERND_MTU_MAX];
	uint8_t			 tid[STUN_TID_LEN];
	struct turnc_chan	*c;
	uint16_t		 ch;

	if (tc.state != TURNC_READY || len > TERND_MTU_MAX + TURNC_MSG_MAX / 2)
		return -1;
	turnc_permit(peer, now);
	/* Checks do not spend channels: only a path in use binds one. */
	if ((c = turnc_chan_find(peer)) != NULL && c->bound) {
		c->used_at = now;
		ch = c->number;
		turnc_chandata_hdr(buf, ch, len);
		memcpy(buf + TURNC_CHANDATA_HDR, data, len);
		return tc.env.send(buf, len + TURNC_CHANDATA_HDR, &tc.srv.sa,
		    tc.env.arg);
	}
	randombytes_buf(tid, sizeof(tid));
	turnc_sa(peer, &ss);
	if (stun_build_init(&b, buf, sizeof(buf),
	    stun_type(STUN_SEND, STUN_INDICATION), tid) == -1 ||
	    stun_add_xor_addr(&b, STUN_ATTR_XOR_PEER_ADDRESS,
	    (struct sockaddr *)&ss) == -1 ||
	    stun_add_bytes(&b, STUN_ATTR_DATA, data, len) == -1)
		return -1;
	return tc.env.send(buf, stun_build_len(&b), &tc.srv.sa, tc.env.arg);
}

void
turnc_run(uint64_t now)
{
	struct turnc_req	*r;
	struct turnc_perm	*p;
	struct turnc_chan	*c;
	uint64_t		 giveup;
	size_t			 i;
	int			 probe;

	tc.last_now = now;
	for (i = 0; i < TURNC_REQS_MAX; i++) {
		r = &tc.reqs[i];
		if (!r->used || now < r->next)
			continue;
		giveup = r->probe ? TURNC_PROBE_GIVEUP_MS : TURNC_GIVEUP_MS;
		if (now - r->first >= giveup) {
			r->used = 0;
			/*
			 * A permission or channel the relay drops silently
			 * is refused for a while, not the relay: its
			 * liveness is Allocate's and Refresh's to tell.
			 */
			if (r->kind == REQ_PERMISSION) {
				tc.perms[r->slot].pending = 0;
				tc.perms[r->slot].refused = now +
				    TURNC_REFUSED_RETRY_S * TURNC_MS;
				continue;
			}
			if (r->kind == REQ_CHANNEL) {
				tc.chans[r->slot].pending = 0;
				tc.chans[r->slot].refused = now +
				    TURNC_REFUSED_RETRY_S * TURNC_MS;
				continue;
			}
			turnc_drop(r->probe ? "silent, and no answer to a "
			    "Refresh in 5 s" : "no answer for 10 s");
			return;
		}
		r->rto = r->rto * TURNC_RTO_NUM / TURNC_RTO_DEN;
		r->next = now + r->rto;
		/* The last wait ends when the request is given up. */
		if (r->next > r->first + giveup)
			r->next = r->first + giveup;
		r->ntx++;
		(void)turnc_transmit(r);
	}
	if (tc.state != TURNC_READY)
		return;
	/* Its user name nears its end: allocate with the newer one. */
	if (tc.have_next && turnc_user_expiry(tc.srv.username) - time(NULL) <=
	    TURNC_CRED_RENEW_S) {
		struct turnc_server	 next = tc.next;

		log_info("relay %s: credentials renewed, allocating again",
		    tc.srv.name);
		turnc_set_server(&next, now);
		return;
	}
	/* Nobody used it for a while: let it go (lazy connections). */
	if (now - tc.wanted >= TURNC_IDLE_RELEASE_S * TURNC_MS) {
		log_info("relay %s: allocation released, unused for %d s",
		    tc.srv.name, TURNC_IDLE_RELEASE_S);
		(void)turnc_request(REQ_RELEASE, 0, now);
		turnc_forget();
		return;
	}
	/*
	 * Due, or the server has been silent a while: a Refresh also
	 * tells whether it is still there (gone: no answer in 5 s to one
	 * sent for the silence, and the engine moves to another relay).
	 */
	if ((now >= tc.refresh_at || now - tc.last_rx >= turnc_probe_ms(now)) &&
	    !turnc_refresh_out()) {
		probe = now < tc.refresh_at;
		tc.refresh_at = now + (uint64_t)tc.lifetime * TURNC_MS / 2;
		tc.last_rx = now;
		if (turnc_request(REQ_REFRESH, 0, now) == 0 && probe)
			turnc_refresh_mark_probe();
	}
	for (i = 0; i < TURNC_PERMS_MAX; i++) {
		p = &tc.perms[i];
		if (!p->used || p->pending)
			continue;
		if (p->installed && now + (TURNC_PERM_S - TURNC_PERM_REFRESH_S) *
		    TURNC_MS < p->expires)
			continue;
		if (now - p->wanted > TURNC_PERM_S * TURNC_MS) {
			if (!p->installed || now >= p->expires)
				p->used = 0;
			continue;
		}
		if ((!p->installed && now < p->refused))
			continue;
		if (turnc_request(REQ_PERMISSION, i, now) == 0)
			p->pending = 1;
	}
	for (i = 0; i < TURNC_CHANNELS_MAX; i++) {
		c = &tc.chans[i];
		if (!c->used || c->pending)
			continue;
		/*
		 * Lapsed: the server keeps the binding to its end, and RFC
		 * 8656 12 forbids binding the peer to another number for 5
		 * minutes more; until then the peer gets its number again.
		 */
		if (!c->bound) {
			if (c->bound_at != 0 && now - c->bound_at >=
			    (TURNC_CHAN_S + TURNC_CHAN_REBIND_S) * TURNC_MS)
				c->used = 0;
			continue;
		}
		if (now < c->expires)
			continue;
		/* Unused since its last refresh: it lapses on the server. */
		if (now - c->used_at > TURNC_CHAN_REFRESH_S * TURNC_MS) {
			c->bound = 0;
			continue;
		}
		c->expires = now + TURNC_CHAN_REFRESH_S * TURNC_MS;
		if (turnc_request(REQ_CHANNEL, i, now) == 0)
			c->pending = 1;
	}
}

uint64_t
turnc_next_wake(uint64_t now)
{
	uint64_t	 w = UINT64_MAX;
	size_t		 i;

	for (i = 0; i < TURNC_REQS_MAX; i++)
		if (tc.reqs[i].used && tc.reqs[i].next < w)
			w = tc.reqs[i].next;
	if (tc.state == TURNC_READY) {
		if (tc.refresh_at < w)
			w = tc.refresh_at;
		if (tc.wanted + TURNC_IDLE_RELEASE_S * TURNC_MS < w)
			w = tc.wanted + TURNC_IDLE_RELEASE_S * TURNC_MS;
		/* A Refresh out already asks: its own wakes are enough. */
		if (!turnc_refresh_out() &&
		    tc.last_rx + turnc_probe_ms(now) < w)
			w = tc.last_rx + turnc_probe_ms(now);
		/* Permissions and channels: checked every few seconds. */
		if (now + 5 * TURNC_MS < w)
			w = now + 5 * TURNC_MS;
	}
	return w;
}

void
turnc_info(struct turnc_info *ti)
{
	size_t	 i;

	memset(ti, 0, sizeof(*ti));
	ti->state = tc.state;
	if (tc.have_srv)
		strlcpy(ti->server, tc.srv.name, sizeof(ti->server));
	ti->relayed = tc.relayed;
	ti->lifetime = tc.lifetime;
	for (i = 0; i < TURNC_PERMS_MAX; i++)
		ti->nperms += tc.perms[i].used && tc.perms[i].installed;
	for (i = 0; i < TURNC_CHANNELS_MAX; i++)
		ti->nchannels += tc.chans[i].used && tc.chans[i].bound;
}
