/*
 * tern-relay server (unprivileged): TURN (RFC 8656).  Allocations are
 * kept per client (listener or stream, and address); each owns one
 * relayed UDP socket per family, its permissions and channels.  Every
 * table is capped by a limit from the config, and every answer to a
 * client that has not authenticated is rate-limited per source, so
 * that a forged source cannot turn the relay into a reflector.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/tree.h>
#include <netinet/in.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "addr.h"
#include "log.h"
#include "relay/turn.h"
#include "sandbox.h"

#define TURN_MS_PER_S		1000
#define TURN_PORT_TRIES		64	/* random ports before a 508 */
#define TURN_CHAN_MASK		0xc000	/* RFC 8656 12.4: top bits 01 */
#define TURN_CHAN_BITS		0x4000
#define TURN_ALIGN		4	/* RFC 8656 12.5: padding on streams */
#define TURN_ADDR_ERR_HDR	4	/* RFC 8656 18.13: family, 0, class, number */
#define TURN_ATTR_ADDRESS_ERROR	0x8001	/* RFC 8656 section 18 */
#define TURN_LOG_INTERVAL_MS	1000	/* refusals logged once a second */

static const struct {
	uint16_t	 code;
	const char	*reason;
} turn_reasons[] = {
	/* RFC 8489 section 14.8, RFC 8656 section 19. */
	{ STUN_ERR_BAD_REQUEST,		"Bad Request" },
	{ STUN_ERR_UNAUTHORIZED,	"Unauthorized" },
	{ STUN_ERR_FORBIDDEN,		"Forbidden" },
	{ STUN_ERR_UNKNOWN_ATTRIBUTE,	"Unknown Attribute" },
	{ STUN_ERR_ALLOCATION_MISMATCH,	"Allocation Mismatch" },
	{ STUN_ERR_STALE_NONCE,		"Stale Nonce" },
	{ STUN_ERR_FAMILY_UNSUPPORTED,	"Address Family not Supported" },
	{ STUN_ERR_WRONG_CREDENTIALS,	"Wrong Credentials" },
	{ STUN_ERR_UNSUPPORTED_TRANSPORT, "Unsupported Transport Protocol" },
	{ STUN_ERR_FAMILY_MISMATCH,	"Peer Address Family Mismatch" },
	{ STUN_ERR_ALLOCATION_QUOTA,	"Allocation Quota Reached" },
	{ STUN_ERR_SERVER_ERROR,	"Server Error" },
	{ STUN_ERR_INSUFFICIENT_CAPACITY, "Insufficient Capacity" },
};

static const char *turn_refusal_names[TURN_REF_COUNT] = {
	"auth", "peer", "quota", "capacity", "mismatch", "bad", "bandwidth",
	"no-permission",
};

/* One request on its way through the checks. */
struct turn_req {
	struct turn_server	*srv;
	const struct turn_client *client;
	struct stun_msg		 m;
	struct turn_alloc	*a;
	uint8_t			 key[STUN_LTKEY_LEN];
	char			 user[STUN_USERNAME_MAX + 1];
	int			 authed;
	uint8_t			*out;
	size_t			 cap;
};

static int	 turn_cmp(struct turn_alloc *, struct turn_alloc *);
RB_PROTOTYPE_STATIC(turn_tree, turn_alloc, entry, turn_cmp)

static const char *turn_reason(uint16_t);
static struct turn_alloc *turn_find(struct turn_server *,
		    const struct turn_client *);
static void	 turn_free(struct turn_server *, struct turn_alloc *);
static int	 turn_same_ip(const struct sockaddr_storage *,
		    const struct sockaddr_storage *);
static struct turn_perm *turn_perm_find(struct turn_alloc *,
		    const struct sockaddr_storage *, uint64_t);
static struct turn_chan *turn_chan_by_number(struct turn_alloc *, uint16_t,
		    uint64_t);
static struct turn_chan *turn_chan_by_peer(struct turn_alloc *,
		    const struct sockaddr_storage *, uint64_t);
static int	 turn_budget(struct turn_server *, struct turn_alloc *, size_t);
static int	 turn_perm_add(struct turn_server *, struct turn_alloc *,
		    const struct sockaddr_storage *);
static size_t	 turn_error(struct turn_req *, uint16_t);
static size_t	 turn_success(struct turn_req *, struct stun_builder *);
static int	 turn_answer_init(struct turn_req *, struct stun_builder *,
		    uint16_t);
static int	 turn_unauth_ok(struct turn_req *);
static size_t	 turn_request(struct turn_req *);
static size_t	 turn_allocate(struct turn_req *);
static size_t	 turn_allocate_answer(struct turn_req *, int,
		    const uint8_t *);
static int	 turn_families(struct turn_req *, int [TURN_FAMILIES], int *);
static int	 turn_alloc_sockets(struct turn_req *, struct turn_alloc *,
		    const int [TURN_FAMILIES], struct turn_resv **, int *);
static size_t	 turn_refresh(struct turn_req *);
static size_t	 turn_permission(struct turn_req *);
static size_t	 turn_channel_bind(struct turn_req *);
static int	 turn_own_service(struct turn_server *, int,
		    const struct sockaddr_storage *);
static int	 turn_peer_check(struct turn_req *,
		    const struct sockaddr_storage *, uint16_t *);
static void	 turn_send(struct turn_server *, struct turn_alloc *,
		    const struct sockaddr_storage *, const uint8_t *, size_t);
static void	 turn_indication(struct turn_server *,
		    const struct turn_client *, const struct stun_msg *);
static void	 turn_channel_data(struct turn_server *,
		    const struct turn_client *, const uint8_t *, size_t);
static int	 turn_relay_bind(struct turn_server *, int, uint16_t, int,
		    struct sockaddr_storage *);
static int	 turn_relay_open(struct turn_server *, int, int, int,
		    struct sockaddr_storage *, int *, struct sockaddr_storage *);
static int	 turn_resv_take(struct turn_server *, const uint8_t *,
		    struct sockaddr_storage *, int *);
static void	 turn_resv_expire(struct turn_server *, int);
static int	 turn_same_user(const char *, const char *);
static int	 turn_quota(struct turn_req *);

RB_GENERATE_STATIC(turn_tree, turn_alloc, entry, turn_cmp)

static int
turn_cmp(struct turn_alloc *a, struct turn_alloc *b)
{
	if (a->client.stream != b->client.stream)
		return a->client.stream < b->client.stream ? -1 : 1;
	if (a->client.via != b->client.via)
		return a->client.via < b->client.via ? -1 : 1;
	return sockaddr_cmp((struct sockaddr *)&a->client.addr,
	    (struct sockaddr *)&b->client.addr);
}

static const char *
turn_reason(uint16_t code)
{
	size_t	 i;

	for (i = 0; i < sizeof(turn_reasons) / sizeof(turn_reasons[0]); i++)
		if (turn_reasons[i].code == code)
			return turn_reasons[i].reason;
	return "Error";
}

const char *
turn_refusal_name(enum turn_refusal r)
{
	return r < TURN_REF_COUNT ? turn_refusal_names[r] : "?";
}

int
turn_family_index(int af)
{
	switch (af) {
	case AF_INET:
		return 0;
	case AF_INET6:
		return 1;
	default:
		return -1;
	}
}

void
turn_init(struct turn_server *srv, const struct turn_ops *ops)
{
	size_t	 i;

	memset(srv, 0, sizeof(*srv));
	RB_INIT(&srv->allocs);
	TAILQ_INIT(&srv->resvs);
	srv->ops = ops;
	for (i = 0; i < TURN_FAMILIES; i++)
		srv->relay_addr[i].ss_family = AF_UNSPEC;
}

void
turn_clock(struct turn_server *srv, uint64_t now_ms, time_t now)
{
	srv->now_ms = now_ms;
	srv->now = now;
}

int
turn_has_alloc(struct turn_server *srv, const struct turn_client *c)
{
	return turn_find(srv, c) != NULL;
}

int
turn_is_channel_data(const uint8_t *p, size_t len)
{
	return len >= TURN_CD_HDR_LEN &&
	    ((p[0] << 8 | p[1]) & TURN_CHAN_MASK) == TURN_CHAN_BITS;
}

static struct turn_alloc *
turn_find(struct turn_server *srv, const struct turn_client *c)
{
	struct turn_alloc	 key;

	key.client = *c;
	return RB_FIND(turn_tree, &srv->allocs, &key);
}

static void
turn_free(struct turn_server *srv, struct turn_alloc *a)
{
	size_t	 i;

	RB_REMOVE(turn_tree, &srv->allocs, a);
	srv->nallocs--;
	for (i = 0; i < TURN_FAMILIES; i++) {
		if (a->fd[i] == -1)
			continue;
		if (srv->ops != NULL && srv->ops->watch != NULL)
			srv->ops->watch(a, (int)i, 0);
		close(a->fd[i]);
	}
	free(a->perms);
	free(a->chans);
	sodium_memzero(a->key, sizeof(a->key));
	free(a);
}

void
turn_free_all(struct turn_server *srv)
{
	struct turn_alloc	*a, *next;

	RB_FOREACH_SAFE(a, turn_tree, &srv->allocs, next)
		turn_free(srv, a);
	turn_resv_expire(srv, 1);
}

void
turn_stream_closed(struct turn_server *srv, const struct turn_client *c)
{
	struct turn_alloc	*a;

	if ((a = turn_find(srv, c)) != NULL)
		turn_free(srv, a);
}

/* Permissions are per IP address: RFC 8656 section 9, ports do not count. */
static int
turn_same_ip(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return 0;
	if (a->ss_family == AF_INET)
		return memcmp(&((const struct sockaddr_in *)a)->sin_addr,
		    &((const struct sockaddr_in *)b)->sin_addr,
		    sizeof(struct in_addr)) == 0;
	return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
	    &((const struct sockaddr_in6 *)b)->sin6_addr,
	    sizeof(struct in6_addr)) == 0;
}

static struct turn_perm *
turn_perm_find(struct turn_alloc *a, const struct sockaddr_storage *peer,
    uint64_t now_ms)
{
	size_t	 i;

	for (i = 0; i < a->nperms; i++)
		if (a->perms[i].expires_ms > now_ms &&
		    turn_same_ip(&a->perms[i].peer, peer))
			return &a->perms[i];
	return NULL;
}

static struct turn_chan *
turn_chan_by_number(struct turn_alloc *a, uint16_t number, uint64_t now_ms)
{
	size_t	 i;

	for (i = 0; i < a->nchans; i++)
		if (a->chans[i].number == number &&
		    a->chans[i].expires_ms > now_ms)
			return &a->chans[i];
	return NULL;
}

static struct turn_chan *
turn_chan_by_peer(struct turn_alloc *a, const struct sockaddr_storage *peer,
    uint64_t now_ms)
{
	size_t	 i;

	for (i = 0; i < a->nchans; i++)
		if (a->chans[i].expires_ms > now_ms &&
		    sockaddr_cmp((const struct sockaddr *)&a->chans[i].peer,
		    (const struct sockaddr *)peer) == 0)
			return &a->chans[i];
	return NULL;
}

/* Installs or refreshes; -1 when the allocation holds its limit. */
static int
turn_perm_add(struct turn_server *srv, struct turn_alloc *a,
    const struct sockaddr_storage *peer)
{
	struct turn_perm	*p = NULL, *np;
	size_t			 i, n;

	/* An expired one not yet swept is taken again, not doubled. */
	for (i = 0; i < a->nperms && p == NULL; i++)
		if (turn_same_ip(&a->perms[i].peer, peer))
			p = &a->perms[i];
	if (p == NULL) {
		if (a->nperms >= srv->lim.perms)
			return -1;
		n = a->nperms + 1;
		if ((np = reallocarray(a->perms, n, sizeof(*np))) == NULL)
			return -1;
		a->perms = np;
		p = &a->perms[a->nperms++];
		p->peer = *peer;
	}
	p->expires_ms = srv->now_ms + TURN_PERM_LIFETIME * TURN_MS_PER_S;
	return 0;
}

/* 1 if the allocation's and the server's budgets both take len bytes. */
static int
turn_budget(struct turn_server *srv, struct turn_alloc *a, size_t len)
{
	/* Each bucket holds one second of its rate. */
	if (!tokenbucket_take(&a->bucket, srv->lim.bps, srv->lim.bps, len,
	    srv->now_ms))
		goto refused;
	if (tokenbucket_take(&srv->total, srv->lim.total_bps,
	    srv->lim.total_bps, len, srv->now_ms))
		return 1;
	/* Not sent: the allocation gets back what it was charged. */
	tokenbucket_give(&a->bucket, len);
 refused:
	srv->stats.refused[TURN_REF_BANDWIDTH]++;
	return 0;
}

/*
 * Refusals of one kind are counted always and logged once a second,
 * each kind on its own clock: a flood of wrong passwords does not hide
 * that the server is full.
 */
void
turn_refused(struct turn_server *srv, enum turn_refusal why,
    const struct sockaddr_storage *from, const char *what)
{
	static uint64_t	 last_ms[TURN_REF_COUNT];
	static uint64_t	 quiet[TURN_REF_COUNT];
	char		 buf[ADDR_STRLEN];

	srv->stats.refused[why]++;
	if (last_ms[why] != 0 &&
	    srv->now_ms - last_ms[why] < TURN_LOG_INTERVAL_MS) {
		quiet[why]++;
		return;
	}
	log_info("refused %s from %s: %s%s", turn_refusal_name(why),
	    sockaddr_str((const struct sockaddr *)from, buf, sizeof(buf)),
	    what, quiet[why] ? " (and earlier refusals not logged)" : "");
	last_ms[why] = srv->now_ms;
	quiet[why] = 0;
}

/* Answers before authentication share the Binding answers' budget. */
static int
turn_unauth_ok(struct turn_req *r)
{
	if (r->srv->unauth == NULL)
		return 1;
	return relay_rate_allow(r->srv->unauth,
	    (const struct sockaddr *)&r->client->addr, r->srv->now_ms);
}

static int
turn_answer_init(struct turn_req *r, struct stun_builder *b, uint16_t class)
{
	return stun_build_init(b, r->out, r->cap,
	    stun_type(stun_method(r->m.type), class), r->m.tid);
}

/* MESSAGE-INTEGRITY once authenticated, FINGERPRINT if the client used it. */
static size_t
turn_success(struct turn_req *r, struct stun_builder *b)
{
	if (r->authed && stun_add_integrity(b, r->key, sizeof(r->key)) == -1)
		return 0;
	if ((r->m.has & STUN_HAS_FINGERPRINT) && stun_add_fingerprint(b) == -1)
		return 0;
	return stun_build_len(b);
}

static size_t
turn_error(struct turn_req *r, uint16_t code)
{
	struct stun_builder	 b;
	char			 nonce[TURN_NONCE_MAX];
	const char		*realm = r->srv->auth.realm;
	size_t			 n;

	if (turn_answer_init(r, &b, STUN_ERROR) == -1 ||
	    stun_add_error(&b, code, turn_reason(code)) == -1)
		return 0;
	if (code == STUN_ERR_UNAUTHORIZED || code == STUN_ERR_STALE_NONCE) {
		n = turn_nonce_make(&r->srv->auth,
		    (const struct sockaddr *)&r->client->addr, r->srv->now,
		    nonce, sizeof(nonce));
		if (n == 0 || stun_add_bytes(&b, STUN_ATTR_REALM, realm,
		    strlen(realm)) == -1 ||
		    stun_add_bytes(&b, STUN_ATTR_NONCE, nonce, n) == -1)
			return 0;
	}
	if (code == STUN_ERR_UNKNOWN_ATTRIBUTE &&
	    stun_add_unknown(&b, r->m.unknown, r->m.nunknown) == -1)
		return 0;
	return turn_success(r, &b);
}

/* A UDP socket on the relay address and port; -1 and errno. */
static int
turn_relay_bind(struct turn_server *srv, int fi, uint16_t port, int dontfrag,
    struct sockaddr_storage *ss)
{
	int	 fd, e, on = 1, pmtu = IP_PMTUDISC_DO;

	*ss = srv->relay_addr[fi];
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	/* The sandbox allows socket() with this type and no other. */
	if ((fd = socket(ss->ss_family, SANDBOX_RELAY_SOCK_TYPE, 0)) == -1)
		return -1;
	if (ss->ss_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof(on)) == -1)
		goto fail;
	/* RFC 8656 7.2: DONT-FRAGMENT asks for DF on the relayed datagrams. */
	if (dontfrag && ss->ss_family == AF_INET && setsockopt(fd, IPPROTO_IP,
	    IP_MTU_DISCOVER, &pmtu, sizeof(pmtu)) == -1)
		goto fail;
	if (bind(fd, (struct sockaddr *)ss,
	    sockaddr_len((struct sockaddr *)ss)) == 0)
		return fd;
 fail:
	e = errno;
	close(fd);
	errno = e;
	return -1;
}

/*
 * A socket on a random port of the range (even if asked); with pair,
 * an even port whose odd neighbour is bound too, into *pair.
 */
static int
turn_relay_open(struct turn_server *srv, int fi, int even, int dontfrag,
    struct sockaddr_storage *ss, int *pair, struct sockaddr_storage *pss)
{
	uint32_t	 span;
	uint16_t	 port;
	int		 fd, i;

	span = (uint32_t)srv->lim.port_hi - srv->lim.port_lo + 1;
	for (i = 0; i < TURN_PORT_TRIES; i++) {
		port = srv->lim.port_lo + randombytes_uniform(span);
		if ((even || pair != NULL) && (port & 1)) {
			if (port == srv->lim.port_lo)
				continue;
			port--;
		}
		if (pair != NULL && port == srv->lim.port_hi)
			continue;
		if ((fd = turn_relay_bind(srv, fi, port, dontfrag, ss)) == -1) {
			if (errno != EADDRINUSE)
				return -1;
			continue;
		}
		if (pair == NULL)
			return fd;
		if ((*pair = turn_relay_bind(srv, fi, port + 1, dontfrag,
		    pss)) != -1)
			return fd;
		close(fd);
		if (errno != EADDRINUSE)
			return -1;
	}
	errno = EADDRINUSE;
	return -1;
}

/* The socket a RESERVATION-TOKEN holds, taken out of the table. */
static int
turn_resv_take(struct turn_server *srv, const uint8_t *token,
    struct sockaddr_storage *ss, int *fi)
{
	struct turn_resv	*rv;
	int			 fd;

	TAILQ_FOREACH(rv, &srv->resvs, entry)
		if (rv->expires_ms > srv->now_ms &&
		    sodium_memcmp(rv->token, token, TURN_TOKEN_LEN) == 0)
			break;
	if (rv == NULL)
		return -1;
	fd = rv->fd;
	*ss = rv->addr;
	*fi = rv->fi;
	TAILQ_REMOVE(&srv->resvs, rv, entry);
	srv->nresvs--;
	free(rv);
	return fd;
}

static void
turn_resv_expire(struct turn_server *srv, int all)
{
	struct turn_resv	*rv, *next;

	TAILQ_FOREACH_SAFE(rv, &srv->resvs, entry, next)
		if (all || rv->expires_ms <= srv->now_ms) {
			close(rv->fd);
			TAILQ_REMOVE(&srv->resvs, rv, entry);
			srv->nresvs--;
			free(rv);
		}
}

/*
 * One user whatever the expiry: tern-signal hands a node a new
 * "EXPIRY:NAME" at each connection, and the quota is the node's.
 */
static int
turn_same_user(const char *a, const char *b)
{
	const char	*na = strchr(a, ':'), *nb = strchr(b, ':');

	return strcmp(na != NULL ? na + 1 : a, nb != NULL ? nb + 1 : b) == 0;
}

/* 0 if the client may hold one more allocation, else the error code. */
static int
turn_quota(struct turn_req *r)
{
	struct turn_server	*srv = r->srv;
	struct turn_alloc	*a;
	struct turn_client	 src;
	uint32_t		 user = 0, source = 0, places = 1;

	/* A reservation's place passes to its taker; R holds a second. */
	if (r->m.has & STUN_HAS_RESERVATION)
		places = 0;
	else if ((r->m.has & STUN_HAS_EVEN_PORT) && r->m.even_port)
		places = 2;
	if (srv->nallocs + srv->nresvs + places > srv->lim.allocs)
		return STUN_ERR_INSUFFICIENT_CAPACITY;
	src = *r->client;
	RB_FOREACH(a, turn_tree, &srv->allocs) {
		if (turn_same_user(a->user, r->user))
			user++;
		if (sockaddr_same_source((struct sockaddr *)&a->client.addr,
		    (struct sockaddr *)&src.addr))
			source++;
	}
	if (user >= srv->lim.allocs_user || source >= srv->lim.allocs_src)
		return STUN_ERR_ALLOCATION_QUOTA;
	return 0;
}

static size_t
turn_allocate_answer(struct turn_req *r, int v6_refused, const uint8_t *token)
{
	struct stun_builder	 b;
	struct turn_alloc	*a = r->a;
	uint8_t			 ae[TURN_ADDR_ERR_HDR + 32];
	const char		*reason;
	size_t			 i, rlen;

	if (turn_answer_init(r, &b, STUN_SUCCESS) == -1)
		return 0;
	for (i = 0; i < TURN_FAMILIES; i++)
		if (a->fd[i] != -1 && stun_add_xor_addr(&b,
		    STUN_ATTR_XOR_RELAYED_ADDRESS,
		    (struct sockaddr *)&a->relayed[i]) == -1)
			return 0;
	if (v6_refused) {
		/* RFC 8656 18.13: the family that could not be allocated. */
		reason = turn_reason(STUN_ERR_FAMILY_UNSUPPORTED);
		rlen = strlen(reason);
		memset(ae, 0, sizeof(ae));
		ae[0] = STUN_FAMILY_V6;
		ae[2] = STUN_ERR_FAMILY_UNSUPPORTED / 100;
		ae[3] = STUN_ERR_FAMILY_UNSUPPORTED % 100;
		memcpy(ae + TURN_ADDR_ERR_HDR, reason, rlen);
		if (stun_add_bytes(&b, TURN_ATTR_ADDRESS_ERROR, ae,
		    TURN_ADDR_ERR_HDR + rlen) == -1)
			return 0;
	}
	if (token != NULL && stun_add_bytes(&b, STUN_ATTR_RESERVATION_TOKEN,
	    token, TURN_TOKEN_LEN) == -1)
		return 0;
	if (stun_add_u32(&b, STUN_ATTR_LIFETIME, (uint32_t)((a->expires_ms -
	    r->srv->now_ms) / TURN_MS_PER_S)) == -1 ||
	    stun_add_xor_addr(&b, STUN_ATTR_XOR_MAPPED_ADDRESS,
	    (const struct sockaddr *)&r->client->addr) == -1)
		return 0;
	return turn_success(r, &b);
}

/* Which families to relay: RFC 8656 7.2; 0, or the error to answer. */
static int
turn_families(struct turn_req *r, int fam[TURN_FAMILIES], int *v6_refused)
{
	struct stun_msg	*m = &r->m;
	int		 i;

	if ((m->has & STUN_HAS_REQ_FAMILY) && (m->has & STUN_HAS_ADD_FAMILY))
		return STUN_ERR_BAD_REQUEST;
	if (m->has & STUN_HAS_ADD_FAMILY) {
		if (m->add_family != STUN_FAMILY_V6)
			return STUN_ERR_BAD_REQUEST;
		fam[0] = 1;
		if (r->srv->relay_addr[1].ss_family == AF_INET6)
			fam[1] = 1;
		else
			*v6_refused = 1;
	} else if (m->has & STUN_HAS_REQ_FAMILY) {
		if (m->req_family == STUN_FAMILY_V4)
			fam[0] = 1;
		else if (m->req_family == STUN_FAMILY_V6)
			fam[1] = 1;
		else
			return STUN_ERR_FAMILY_UNSUPPORTED;
	} else
		fam[0] = 1;	/* IPv4 unless asked */
	for (i = 0; i < TURN_FAMILIES; i++)
		if (fam[i] && r->srv->relay_addr[i].ss_family == AF_UNSPEC)
			return STUN_ERR_FAMILY_UNSUPPORTED;
	return 0;
}

/* The relayed sockets of a new allocation; 0, or the error to answer. */
static int
turn_alloc_sockets(struct turn_req *r, struct turn_alloc *a,
    const int fam[TURN_FAMILIES], struct turn_resv **resv, int *err)
{
	struct turn_server	*srv = r->srv;
	struct stun_msg		*m = &r->m;
	struct turn_resv	*rv = NULL;
	int			 i, fi, dontfrag, even, *pair = NULL;

	dontfrag = (m->has & STUN_HAS_DONT_FRAGMENT) != 0;
	even = (m->has & STUN_HAS_EVEN_PORT) != 0;
	if (m->has & STUN_HAS_RESERVATION) {
		if ((a->fd[0] = turn_resv_take(srv, m->buf + m->token.off,
		    &a->relayed[0], &fi)) == -1)
			return STUN_ERR_INSUFFICIENT_CAPACITY;
		if (fi != 0) {
			a->fd[1] = a->fd[0];
			a->relayed[1] = a->relayed[0];
			a->fd[0] = -1;
		}
		return 0;
	}
	if (even && m->even_port) {
		if ((rv = calloc(1, sizeof(*rv))) == NULL)
			return STUN_ERR_SERVER_ERROR;
		pair = &rv->fd;
	}
	for (i = 0; i < TURN_FAMILIES; i++) {
		if (!fam[i])
			continue;
		if ((a->fd[i] = turn_relay_open(srv, i, even, dontfrag,
		    &a->relayed[i], pair, rv != NULL ? &rv->addr : NULL)) ==
		    -1) {
			*err = errno;
			free(rv);
			return STUN_ERR_INSUFFICIENT_CAPACITY;
		}
		if (rv != NULL) {
			rv->fi = i;
			pair = NULL;
		}
	}
	if (rv != NULL) {
		randombytes_buf(rv->token, sizeof(rv->token));
		rv->expires_ms = srv->now_ms + TURN_RESV_LIFETIME *
		    TURN_MS_PER_S;
		TAILQ_INSERT_TAIL(&srv->resvs, rv, entry);
		srv->nresvs++;
		*resv = rv;
	}
	return 0;
}

/* RFC 8656 section 7.2. */
static size_t
turn_allocate(struct turn_req *r)
{
	struct turn_server	*srv = r->srv;
	struct stun_msg		*m = &r->m;
	struct turn_alloc	*a;
	struct turn_resv	*rv = NULL;
	uint64_t		 life;
	char			 why[128];
	int			 fam[TURN_FAMILIES] = { 0, 0 };
	int			 code, v6_refused = 0, i, err;

	if (r->a != NULL) {
		/* A retransmission gets the same answer; RFC 8656 7.2. */
		if (memcmp(r->a->tid, m->tid, STUN_TID_LEN) == 0)
			return turn_allocate_answer(r, 0, NULL);
		srv->stats.refused[TURN_REF_MISMATCH]++;
		return turn_error(r, STUN_ERR_ALLOCATION_MISMATCH);
	}
	if ((m->has & STUN_HAS_TRANSPORT) == 0)
		return turn_error(r, STUN_ERR_BAD_REQUEST);
	if (m->transport != STUN_TRANSPORT_UDP)
		return turn_error(r, STUN_ERR_UNSUPPORTED_TRANSPORT);
	if ((m->has & STUN_HAS_RESERVATION) &&
	    (m->has & (STUN_HAS_EVEN_PORT | STUN_HAS_REQ_FAMILY |
	    STUN_HAS_ADD_FAMILY)))
		return turn_error(r, STUN_ERR_BAD_REQUEST);
	if ((m->has & STUN_HAS_EVEN_PORT) && (m->has & STUN_HAS_ADD_FAMILY))
		return turn_error(r, STUN_ERR_BAD_REQUEST);
	if ((m->has & STUN_HAS_RESERVATION) == 0 &&
	    (code = turn_families(r, fam, &v6_refused)) != 0) {
		srv->stats.refused[TURN_REF_BAD]++;
		return turn_error(r, code);
	}
	if ((code = turn_quota(r)) != 0) {
		turn_refused(srv, code == STUN_ERR_ALLOCATION_QUOTA ?
		    TURN_REF_QUOTA : TURN_REF_CAPACITY, &r->client->addr,
		    code == STUN_ERR_ALLOCATION_QUOTA ?
		    "allocation quota of the user or source" :
		    "allocation limit of the server");
		return turn_error(r, code);
	}

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return turn_error(r, STUN_ERR_SERVER_ERROR);
	a->client = *r->client;
	for (i = 0; i < TURN_FAMILIES; i++)
		a->fd[i] = -1;
	err = 0;
	if ((code = turn_alloc_sockets(r, a, fam, &rv, &err)) != 0) {
		for (i = 0; i < TURN_FAMILIES; i++)
			if (a->fd[i] != -1)
				close(a->fd[i]);
		free(a);
		snprintf(why, sizeof(why), "no relayed socket (%s)",
		    err != 0 ? strerror(err) : "no such reservation");
		turn_refused(srv, TURN_REF_CAPACITY, &r->client->addr, why);
		return turn_error(r, code);
	}
	life = TURN_LIFETIME_DEFAULT;
	if ((m->has & STUN_HAS_LIFETIME) && m->lifetime > life)
		life = m->lifetime > TURN_LIFETIME_MAX ? TURN_LIFETIME_MAX :
		    m->lifetime;
	a->expires_ms = srv->now_ms + life * TURN_MS_PER_S;
	memcpy(a->tid, m->tid, STUN_TID_LEN);
	strlcpy(a->user, r->user, sizeof(a->user));
	memcpy(a->key, r->key, sizeof(a->key));
	tokenbucket_fill(&a->bucket, srv->lim.bps, srv->now_ms);
	RB_INSERT(turn_tree, &srv->allocs, a);
	srv->nallocs++;
	srv->stats.allocs_made++;
	for (i = 0; i < TURN_FAMILIES; i++)
		if (a->fd[i] != -1 && srv->ops != NULL &&
		    srv->ops->watch != NULL)
			srv->ops->watch(a, i, 1);
	r->a = a;
	return turn_allocate_answer(r, v6_refused,
	    rv != NULL ? rv->token : NULL);
}

/* RFC 8656 section 8.2. */
static size_t
turn_refresh(struct turn_req *r)
{
	struct stun_builder	 b;
	struct stun_msg		*m = &r->m;
	struct turn_alloc	*a = r->a;
	uint64_t		 life;
	int			 fi;

	if (a == NULL) {
		r->srv->stats.refused[TURN_REF_MISMATCH]++;
		return turn_error(r, STUN_ERR_ALLOCATION_MISMATCH);
	}
	if (m->has & STUN_HAS_REQ_FAMILY) {
		fi = m->req_family == STUN_FAMILY_V4 ? 0 :
		    m->req_family == STUN_FAMILY_V6 ? 1 : -1;
		if (fi == -1 || a->fd[fi] == -1)
			return turn_error(r, STUN_ERR_FAMILY_MISMATCH);
	}
	/* 0 deletes; less than the default is the default, as in 7.2. */
	life = TURN_LIFETIME_DEFAULT;
	if ((m->has & STUN_HAS_LIFETIME) && m->lifetime == 0)
		life = 0;
	else if ((m->has & STUN_HAS_LIFETIME) && m->lifetime > life)
		life = m->lifetime > TURN_LIFETIME_MAX ? TURN_LIFETIME_MAX :
		    m->lifetime;
	if (turn_answer_init(r, &b, STUN_SUCCESS) == -1 ||
	    stun_add_u32(&b, STUN_ATTR_LIFETIME, (uint32_t)life) == -1)
		return 0;
	if (life == 0) {
		turn_free(r->srv, a);
		r->a = NULL;
	} else
		a->expires_ms = r->srv->now_ms + life * TURN_MS_PER_S;
	return turn_success(r, &b);
}

/*
 * 1 if peer is our own address off the relayed ports.  Our address
 * passes only on a relayed port, so that two clients of this relay
 * meet; any other port may be a service of this host listening on
 * every address.  A permission is for an address whatever the port
 * (RFC 8656 section 9), so this is asked of each datagram too.
 */
static int
turn_own_service(struct turn_server *srv, int fi,
    const struct sockaddr_storage *peer)
{
	const struct sockaddr_in	*own4 =
	    (const struct sockaddr_in *)&srv->relay_addr[0];
	struct in_addr			 v4[RELAY_PEER_EMBED_MAX];
	uint16_t			 port;
	size_t				 i, n;
	int				 own;

	port = sockaddr_port((const struct sockaddr *)peer);
	/* Port 0 is no peer: the permission check saw the address only. */
	if (port == 0)
		return 1;
	own = turn_same_ip(peer, &srv->relay_addr[fi]);
	/* Our IPv4 address inside IPv6 reaches us through a NAT64 or 6to4. */
	if (!own && peer->ss_family == AF_INET6 &&
	    own4->sin_family == AF_INET) {
		n = relay_peer_embedded((const struct sockaddr_in6 *)peer, v4);
		for (i = 0; i < n; i++)
			if (v4[i].s_addr == own4->sin_addr.s_addr)
				own = 1;
	}
	return own && (port < srv->lim.port_lo || port > srv->lim.port_hi);
}

/* 0 if the relay may talk to peer, else the error code to answer. */
static int
turn_peer_check(struct turn_req *r, const struct sockaddr_storage *peer,
    uint16_t *code)
{
	struct turn_server	*srv = r->srv;
	const char		*why;
	int			 fi;

	fi = turn_family_index(peer->ss_family);
	if (fi == -1 || r->a->fd[fi] == -1) {
		*code = STUN_ERR_FAMILY_MISMATCH;
		return -1;
	}
	if (!relay_peer_allowed(srv->rules, srv->nrules,
	    (const struct sockaddr *)peer, &why) ||
	    turn_own_service(srv, fi, peer)) {
		turn_refused(srv, TURN_REF_PEER, &r->client->addr,
		    "peer address denied");
		*code = STUN_ERR_FORBIDDEN;
		return -1;
	}
	return 0;
}

/* RFC 8656 section 9: all the peers are installed, or none. */
static size_t
turn_permission(struct turn_req *r)
{
	struct stun_builder	 b;
	struct stun_msg		*m = &r->m;
	size_t			 i, j, fresh = 0;
	uint16_t		 code;

	if (r->a == NULL) {
		r->srv->stats.refused[TURN_REF_MISMATCH]++;
		return turn_error(r, STUN_ERR_ALLOCATION_MISMATCH);
	}
	if (m->npeers == 0)
		return turn_error(r, STUN_ERR_BAD_REQUEST);
	for (i = 0; i < m->npeers; i++) {
		if (turn_peer_check(r, &m->xor_peers[i], &code) == -1)
			return turn_error(r, code);
		/* One address named at two ports is one permission. */
		for (j = 0; j < i; j++)
			if (turn_same_ip(&m->xor_peers[j], &m->xor_peers[i]))
				break;
		if (j == i && turn_perm_find(r->a, &m->xor_peers[i],
		    r->srv->now_ms) == NULL)
			fresh++;
	}
	if (r->a->nperms + fresh > r->srv->lim.perms) {
		turn_refused(r->srv, TURN_REF_CAPACITY, &r->client->addr,
		    "permission limit of the allocation");
		return turn_error(r, STUN_ERR_INSUFFICIENT_CAPACITY);
	}
	for (i = 0; i < m->npeers; i++)
		if (turn_perm_add(r->srv, r->a, &m->xor_peers[i]) == -1)
			return turn_error(r, STUN_ERR_SERVER_ERROR);
	if (turn_answer_init(r, &b, STUN_SUCCESS) == -1)
		return 0;
	return turn_success(r, &b);
}

/* RFC 8656 section 11.2. */
static size_t
turn_channel_bind(struct turn_req *r)
{
	struct stun_builder	 b;
	struct stun_msg		*m = &r->m;
	struct turn_alloc	*a = r->a;
	struct turn_chan	*ch, *byp, *nc;
	uint16_t		 code;

	if (a == NULL) {
		r->srv->stats.refused[TURN_REF_MISMATCH]++;
		return turn_error(r, STUN_ERR_ALLOCATION_MISMATCH);
	}
	if ((m->has & STUN_HAS_CHANNEL) == 0 || m->npeers != 1 ||
	    m->channel < TURN_CHAN_MIN || m->channel > TURN_CHAN_MAX)
		return turn_error(r, STUN_ERR_BAD_REQUEST);
	if (turn_peer_check(r, &m->xor_peer, &code) == -1)
		return turn_error(r, code);
	ch = turn_chan_by_number(a, m->channel, r->srv->now_ms);
	byp = turn_chan_by_peer(a, &m->xor_peer, r->srv->now_ms);
	/* A number keeps its peer and a peer its number while bound. */
	if (ch != byp)
		return turn_error(r, STUN_ERR_BAD_REQUEST);
	if (ch == NULL) {
		if (a->nchans >= r->srv->lim.chans) {
			turn_refused(r->srv, TURN_REF_CAPACITY,
			    &r->client->addr,
			    "channel limit of the allocation");
			return turn_error(r, STUN_ERR_INSUFFICIENT_CAPACITY);
		}
		if ((nc = reallocarray(a->chans, a->nchans + 1,
		    sizeof(*nc))) == NULL)
			return turn_error(r, STUN_ERR_SERVER_ERROR);
		a->chans = nc;
		ch = &a->chans[a->nchans];
		memset(ch, 0, sizeof(*ch));
		ch->number = m->channel;
		ch->peer = m->xor_peer;
	}
	if (turn_perm_find(a, &m->xor_peer, r->srv->now_ms) == NULL &&
	    a->nperms >= r->srv->lim.perms) {
		turn_refused(r->srv, TURN_REF_CAPACITY, &r->client->addr,
		    "permission limit of the allocation");
		return turn_error(r, STUN_ERR_INSUFFICIENT_CAPACITY);
	}
	if (turn_perm_add(r->srv, a, &m->xor_peer) == -1)
		return turn_error(r, STUN_ERR_SERVER_ERROR);
	if (ch == &a->chans[a->nchans])
		a->nchans++;
	ch->expires_ms = r->srv->now_ms + TURN_CHAN_LIFETIME * TURN_MS_PER_S;
	if (turn_answer_init(r, &b, STUN_SUCCESS) == -1)
		return 0;
	return turn_success(r, &b);
}

/* Checks in RFC 8489 order: attributes, credentials, then the method. */
static size_t
turn_request(struct turn_req *r)
{
	struct turn_server	*srv = r->srv;
	struct stun_msg		*m = &r->m;
	uint16_t		 method = stun_method(m->type);

	if (method != STUN_ALLOCATE && method != STUN_REFRESH &&
	    method != STUN_CREATE_PERMISSION && method != STUN_CHANNEL_BIND) {
		srv->stats.refused[TURN_REF_BAD]++;
		return turn_unauth_ok(r) ?
		    turn_error(r, STUN_ERR_BAD_REQUEST) : 0;
	}
	if (m->nunknown > 0) {
		srv->stats.refused[TURN_REF_BAD]++;
		return turn_unauth_ok(r) ?
		    turn_error(r, STUN_ERR_UNKNOWN_ATTRIBUTE) : 0;
	}
	switch (turn_auth_check(&srv->auth, m,
	    (const struct sockaddr *)&r->client->addr, srv->now, r->key,
	    r->user, sizeof(r->user))) {
	case TURN_AUTH_OK:
		break;
	case TURN_AUTH_CHALLENGE:
		return turn_unauth_ok(r) ?
		    turn_error(r, STUN_ERR_UNAUTHORIZED) : 0;
	case TURN_AUTH_BAD_REQUEST:
		srv->stats.refused[TURN_REF_BAD]++;
		return turn_unauth_ok(r) ?
		    turn_error(r, STUN_ERR_BAD_REQUEST) : 0;
	case TURN_AUTH_STALE_NONCE:
		return turn_unauth_ok(r) ?
		    turn_error(r, STUN_ERR_STALE_NONCE) : 0;
	case TURN_AUTH_REFUSED:
	default:
		turn_refused(srv, TURN_REF_AUTH, &r->client->addr,
		    "wrong or expired credentials");
		if (srv->authfail != NULL && !relay_rate_allow(srv->authfail,
		    (const struct sockaddr *)&r->client->addr, srv->now_ms))
			return 0;
		return turn_unauth_ok(r) ?
		    turn_error(r, STUN_ERR_UNAUTHORIZED) : 0;
	}
	r->authed = 1;
	r->a = turn_find(srv, r->client);
	/* RFC 8656 section 5: the allocation's user, and no other. */
	if (r->a != NULL && strcmp(r->a->user, r->user) != 0) {
		turn_refused(srv, TURN_REF_AUTH, &r->client->addr,
		    "another user's allocation");
		return turn_error(r, STUN_ERR_WRONG_CREDENTIALS);
	}
	switch (method) {
	case STUN_ALLOCATE:
		return turn_allocate(r);
	case STUN_REFRESH:
		return turn_refresh(r);
	case STUN_CREATE_PERMISSION:
		return turn_permission(r);
	default:
		return turn_channel_bind(r);
	}
}

/* To a peer over the relayed socket of its family, within the budgets. */
static void
turn_send(struct turn_server *srv, struct turn_alloc *a,
    const struct sockaddr_storage *peer, const uint8_t *data, size_t len)
{
	int	 fi = turn_family_index(peer->ss_family);

	if (fi == -1 || a->fd[fi] == -1)
		return;
	if (turn_own_service(srv, fi, peer)) {
		turn_refused(srv, TURN_REF_PEER, &a->client.addr,
		    "our own address off the relayed ports");
		return;
	}
	if (!turn_budget(srv, a, len))
		return;
	/* A full send buffer drops the datagram, as the network would. */
	if (srv->ops != NULL && srv->ops->send != NULL)
		srv->ops->send(a->fd[fi], (const struct sockaddr *)peer, data,
		    len);
	else if (sendto(a->fd[fi], data, len, MSG_DONTWAIT,
	    (const struct sockaddr *)peer,
	    sockaddr_len((const struct sockaddr *)peer)) == -1)
		return;
	a->rx_bytes += len;
	srv->stats.relayed_msgs++;
	srv->stats.relayed_bytes += len;
}

/* RFC 8656 section 10.2: Send indications get no answer, ever. */
static void
turn_indication(struct turn_server *srv, const struct turn_client *c,
    const struct stun_msg *m)
{
	struct turn_alloc	*a;

	if (stun_method(m->type) != STUN_SEND || m->nunknown > 0 ||
	    (m->has & STUN_HAS_DATA) == 0 || m->npeers != 1)
		return;
	if ((a = turn_find(srv, c)) == NULL)
		return;
	if (turn_perm_find(a, &m->xor_peer, srv->now_ms) == NULL) {
		srv->stats.refused[TURN_REF_NOPERM]++;
		return;
	}
	turn_send(srv, a, &m->xor_peer, m->buf + m->data.off, m->data.len);
}

/* RFC 8656 section 12.4; over UDP the padding may be absent. */
static void
turn_channel_data(struct turn_server *srv, const struct turn_client *c,
    const uint8_t *p, size_t len)
{
	struct turn_alloc	*a;
	struct turn_chan	*ch;
	uint16_t		 number, dlen;

	number = p[0] << 8 | p[1];
	dlen = p[2] << 8 | p[3];
	if (dlen > len - TURN_CD_HDR_LEN || number > TURN_CHAN_MAX)
		return;
	if ((a = turn_find(srv, c)) == NULL)
		return;
	if ((ch = turn_chan_by_number(a, number, srv->now_ms)) == NULL) {
		srv->stats.refused[TURN_REF_NOPERM]++;
		return;
	}
	turn_send(srv, a, &ch->peer, p + TURN_CD_HDR_LEN, dlen);
}

size_t
turn_client_msg(struct turn_server *srv, const struct turn_client *c,
    const uint8_t *p, size_t len, uint8_t *out, size_t cap)
{
	struct turn_req	 r;

	if (turn_is_channel_data(p, len)) {
		turn_channel_data(srv, c, p, len);
		return 0;
	}
	memset(&r, 0, sizeof(r));
	if (stun_parse(p, len, &r.m) == -1)
		return 0;
	if ((r.m.has & STUN_HAS_FINGERPRINT) &&
	    stun_check_fingerprint(&r.m) == -1)
		return 0;
	switch (stun_class(r.m.type)) {
	case STUN_INDICATION:
		turn_indication(srv, c, &r.m);
		return 0;
	case STUN_REQUEST:
		break;
	default:
		return 0;
	}
	r.srv = srv;
	r.client = c;
	r.out = out;
	r.cap = cap;
	len = turn_request(&r);
	sodium_memzero(r.key, sizeof(r.key));
	return len;
}

/* RFC 8656 section 10.3 and 12.5: a channel if bound, else Data. */
size_t
turn_peer_msg(struct turn_server *srv, struct turn_alloc *a,
    const struct sockaddr *from, const uint8_t *data, size_t len,
    uint8_t *out, size_t cap)
{
	static uint64_t		 seq;
	struct sockaddr_storage	 peer;
	struct stun_builder	 b;
	struct turn_chan	*ch;
	uint8_t			 tid[STUN_TID_LEN];
	size_t			 n;

	memset(&peer, 0, sizeof(peer));
	memcpy(&peer, from, sockaddr_len(from));
	if (turn_perm_find(a, &peer, srv->now_ms) == NULL) {
		srv->stats.refused[TURN_REF_NOPERM]++;
		return 0;
	}
	if (!turn_budget(srv, a, len))
		return 0;
	if ((ch = turn_chan_by_peer(a, &peer, srv->now_ms)) != NULL) {
		n = TURN_CD_HDR_LEN + len;
		if (a->client.stream)
			n = (n + TURN_ALIGN - 1) & ~(size_t)(TURN_ALIGN - 1);
		if (n > cap)
			return 0;
		out[0] = ch->number >> 8;
		out[1] = ch->number & 0xff;
		out[2] = len >> 8;
		out[3] = len & 0xff;
		memcpy(out + TURN_CD_HDR_LEN, data, len);
		memset(out + TURN_CD_HDR_LEN + len, 0,
		    n - TURN_CD_HDR_LEN - len);
	} else {
		/* Indications need unique ids, not unpredictable ones. */
		seq++;
		memset(tid, 0, sizeof(tid));
		memcpy(tid, &seq, sizeof(seq));
		if (stun_build_init(&b, out, cap, stun_type(STUN_DATA,
		    STUN_INDICATION), tid) == -1 ||
		    stun_add_xor_addr(&b, STUN_ATTR_XOR_PEER_ADDRESS, from) ==
		    -1 || stun_add_bytes(&b, STUN_ATTR_DATA, data, len) == -1)
			return 0;
		n = stun_build_len(&b);
	}
	a->tx_bytes += len;
	srv->stats.relayed_msgs++;
	srv->stats.relayed_bytes += len;
	return n;
}

void
turn_expire(struct turn_server *srv)
{
	struct turn_alloc	*a, *next;
	size_t			 i, j;

	turn_resv_expire(srv, 0);
	RB_FOREACH_SAFE(a, turn_tree, &srv->allocs, next) {
		if (a->expires_ms <= srv->now_ms) {
			turn_free(srv, a);
			continue;
		}
		for (i = j = 0; i < a->nperms; i++)
			if (a->perms[i].expires_ms > srv->now_ms)
				a->perms[j++] = a->perms[i];
		a->nperms = j;
		for (i = j = 0; i < a->nchans; i++)
			if (a->chans[i].expires_ms > srv->now_ms)
				a->chans[j++] = a->chans[i];
		a->nchans = j;
	}
}
