/* STUN messages (RFC 8489) for ICE and TURN: parsing, checking, building. */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <limits.h>
#include <md5.h>
#include <string.h>

#include <sodium.h>

#include "hmac_sha1.h"
#include "stun.h"

#define STUN_TYPE_RESERVED	0xc000	/* RFC 8489 section 5: top bits 0 */
#define STUN_METHOD_MAX		0x0fff	/* RFC 8489 section 5: 12 bits */
#define STUN_METHOD_LOW		0x000f	/* RFC 8489 section 5: M0-M3 */
#define STUN_METHOD_MID		0x0070	/* RFC 8489 section 5: M4-M6 */
#define STUN_METHOD_HIGH	0x0f80	/* RFC 8489 section 5: M7-M11 */
#define STUN_MSGLEN_MAX		0xffff	/* RFC 8489 section 5: 16 bits */
#define STUN_ALIGN		4	/* RFC 8489 section 14: padding */
#define STUN_OFF_LEN		2	/* RFC 8489 section 5: message length */
#define STUN_OFF_COOKIE		4	/* RFC 8489 section 5: then the tid */
#define STUN_OFF_TID		8	/* RFC 8489 section 5 */
#define STUN_ADDR_HDR_LEN	4	/* RFC 8489 14.1: 0, family, port */
#define STUN_ERROR_HDR_LEN	4	/* RFC 8489 14.8: 0, class, number */
#define STUN_ERROR_CLASS_MIN	3	/* RFC 8489 section 14.8 */
#define STUN_ERROR_CLASS_MAX	6	/* RFC 8489 section 14.8 */
#define STUN_ERROR_CLASS_MASK	0x07	/* RFC 8489 section 14.8 */
#define STUN_ERROR_NUMBER_MAX	99	/* RFC 8489 section 14.8 */
#define STUN_ERROR_CODE_MIN	300	/* RFC 8489 section 14.8 */
#define STUN_ERROR_CODE_MAX	699	/* RFC 8489 section 14.8 */
#define STUN_ERROR_CLASS_DIV	100	/* RFC 8489 14.8: class = hundreds */
#define STUN_U32_LEN		4	/* PRIORITY, LIFETIME and the like */
#define STUN_U64_LEN		8	/* RFC 8445 section 16.1: tie-breaker */
#define STUN_CRC32_POLY		0xedb88320U /* RFC 8489 14.7: ISO 3309 */
#define STUN_CRC32_INIT		0xffffffffU /* ISO 3309: preset to ones */
#define STUN_SEALED_INTEGRITY	1	/* only FINGERPRINT may follow */
#define STUN_SEALED_FINGERPRINT	2	/* nothing may follow */

/* Known attributes and their stun_msg.has bit. */
static const struct {
	uint16_t	 type;
	uint32_t	 bit;
} stun_known[] = {
	{ STUN_ATTR_MAPPED_ADDRESS,		STUN_HAS_MAPPED },
	{ STUN_ATTR_XOR_MAPPED_ADDRESS,		STUN_HAS_XOR_MAPPED },
	{ STUN_ATTR_USERNAME,			STUN_HAS_USERNAME },
	{ STUN_ATTR_MESSAGE_INTEGRITY,		STUN_HAS_INTEGRITY },
	{ STUN_ATTR_MESSAGE_INTEGRITY_SHA256,	STUN_HAS_INTEGRITY256 },
	{ STUN_ATTR_FINGERPRINT,		STUN_HAS_FINGERPRINT },
	{ STUN_ATTR_ERROR_CODE,			STUN_HAS_ERROR },
	{ STUN_ATTR_UNKNOWN_ATTRIBUTES,		STUN_HAS_UNKNOWN_ATTRS },
	{ STUN_ATTR_PRIORITY,			STUN_HAS_PRIORITY },
	{ STUN_ATTR_USE_CANDIDATE,		STUN_HAS_USE_CANDIDATE },
	{ STUN_ATTR_ICE_CONTROLLED,		STUN_HAS_ICE_CONTROLLED },
	{ STUN_ATTR_ICE_CONTROLLING,		STUN_HAS_ICE_CONTROLLING },
	{ STUN_ATTR_SOFTWARE,			STUN_HAS_SOFTWARE },
	{ STUN_ATTR_REALM,			STUN_HAS_REALM },
	{ STUN_ATTR_NONCE,			STUN_HAS_NONCE },
	{ STUN_ATTR_LIFETIME,			STUN_HAS_LIFETIME },
	{ STUN_ATTR_XOR_RELAYED_ADDRESS,	STUN_HAS_XOR_RELAYED },
	{ STUN_ATTR_XOR_PEER_ADDRESS,		STUN_HAS_XOR_PEER },
	{ STUN_ATTR_CHANNEL_NUMBER,		STUN_HAS_CHANNEL },
	{ STUN_ATTR_REQUESTED_TRANSPORT,	STUN_HAS_TRANSPORT },
	{ STUN_ATTR_DATA,			STUN_HAS_DATA },
	{ STUN_ATTR_CHANGE_REQUEST,		STUN_HAS_CHANGE_REQUEST },
	{ STUN_ATTR_REQUESTED_FAMILY,		STUN_HAS_REQ_FAMILY },
	{ STUN_ATTR_ADDITIONAL_FAMILY,		STUN_HAS_ADD_FAMILY },
	{ STUN_ATTR_EVEN_PORT,			STUN_HAS_EVEN_PORT },
	{ STUN_ATTR_RESERVATION_TOKEN,		STUN_HAS_RESERVATION },
	{ STUN_ATTR_DONT_FRAGMENT,		STUN_HAS_DONT_FRAGMENT },
};

static uint16_t	 stun_get16(const uint8_t *);
static uint32_t	 stun_get32(const uint8_t *);
static uint64_t	 stun_get64(const uint8_t *);
static void	 stun_put16(uint8_t *, uint16_t);
static void	 stun_put32(uint8_t *, uint32_t);
static size_t	 stun_pad(size_t);
static uint32_t	 stun_crc32(const uint8_t *, size_t);
static uint32_t	 stun_known_bit(uint16_t);
static int	 stun_ignored(const struct stun_msg *, uint16_t);
static int	 stun_parse_msg(const uint8_t *, size_t, struct stun_msg *,
		    int);
static int	 stun_parse_attr(struct stun_msg *, uint16_t, size_t, size_t);
static int	 stun_parse_addr(const struct stun_msg *, const uint8_t *,
		    size_t, int, struct sockaddr_storage *);
static int	 stun_parse_error(struct stun_msg *, size_t, size_t);
static void	 stun_span_set(struct stun_span *, size_t, size_t);
static uint8_t	*stun_put_attr(struct stun_builder *, uint16_t, size_t);
static int	 stun_put_addr(struct stun_builder *, uint16_t,
		    const struct sockaddr *, int);

static uint16_t
stun_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
stun_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static uint64_t
stun_get64(const uint8_t *p)
{
	return (uint64_t)stun_get32(p) << 32 | stun_get32(p + 4);
}

static void
stun_put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void
stun_put32(uint8_t *p, uint32_t v)
{
	stun_put16(p, v >> 16);
	stun_put16(p + 2, v & 0xffff);
}

static size_t
stun_pad(size_t len)
{
	return (len + STUN_ALIGN - 1) & ~(size_t)(STUN_ALIGN - 1);
}

/* Bitwise: a check covers a hundred bytes, a table is not worth it. */
static uint32_t
stun_crc32(const uint8_t *p, size_t len)
{
	uint32_t	 crc = STUN_CRC32_INIT;
	size_t		 i;
	int		 bit;

	for (i = 0; i < len; i++) {
		crc ^= p[i];
		for (bit = 0; bit < CHAR_BIT; bit++)
			crc = (crc >> 1) ^ (STUN_CRC32_POLY & -(crc & 1));
	}
	return ~crc;
}

uint16_t
stun_type(uint16_t method, uint16_t class)
{
	method &= STUN_METHOD_MAX;
	return (method & STUN_METHOD_LOW) | (method & STUN_METHOD_MID) << 1 |
	    (method & STUN_METHOD_HIGH) << 2 | (class & STUN_CLASS_MASK);
}

uint16_t
stun_method(uint16_t type)
{
	return (type & STUN_METHOD_LOW) | (type >> 1 & STUN_METHOD_MID) |
	    (type >> 2 & STUN_METHOD_HIGH);
}

uint16_t
stun_class(uint16_t type)
{
	return type & STUN_CLASS_MASK;
}

static uint32_t
stun_known_bit(uint16_t type)
{
	size_t	 i;

	for (i = 0; i < sizeof(stun_known) / sizeof(stun_known[0]); i++)
		if (stun_known[i].type == type)
			return stun_known[i].bit;
	return 0;
}

/* RFC 8489 section 9: after the integrity attributes only these count. */
static int
stun_ignored(const struct stun_msg *m, uint16_t type)
{
	if (type == STUN_ATTR_FINGERPRINT)
		return 0;
	if (m->has & STUN_HAS_INTEGRITY256)
		return 1;
	if (m->has & STUN_HAS_INTEGRITY)
		return type != STUN_ATTR_MESSAGE_INTEGRITY_SHA256;
	return 0;
}

static void
stun_span_set(struct stun_span *s, size_t off, size_t len)
{
	s->off = off;
	s->len = len;
}

int
stun_parse(const uint8_t *buf, size_t len, struct stun_msg *m)
{
	return stun_parse_msg(buf, len, m, 0);
}

int
stun_parse_classic(const uint8_t *buf, size_t len, struct stun_msg *m)
{
	return stun_parse_msg(buf, len, m, 1);
}

static int
stun_parse_msg(const uint8_t *buf, size_t len, struct stun_msg *m,
    int classic_ok)
{
	size_t		 off, alen, padded, nattrs = 0;
	uint16_t	 atype;

	memset(m, 0, sizeof(*m));
	if (len < STUN_HDR_LEN)
		return -1;
	m->buf = buf;
	m->len = len;
	m->type = stun_get16(buf);
	if (m->type & STUN_TYPE_RESERVED)
		return -1;
	/* The length excludes the header and is a multiple of 4. */
	if (stun_get16(buf + STUN_OFF_LEN) != len - STUN_HDR_LEN ||
	    (len - STUN_HDR_LEN) % STUN_ALIGN != 0)
		return -1;
	if (stun_get32(buf + STUN_OFF_COOKIE) != STUN_COOKIE) {
		/* RFC 8489 section 11.2: only a Binding request may lack it. */
		if (!classic_ok ||
		    m->type != stun_type(STUN_BINDING, STUN_REQUEST))
			return -1;
		m->classic = 1;
	}
	memcpy(m->tid, buf + STUN_OFF_TID, STUN_TID_LEN);

	/* off and len are multiples of 4: an attribute header always fits. */
	for (off = STUN_HDR_LEN; off < len;
	    off += STUN_ATTR_HDR_LEN + padded) {
		if (++nattrs > STUN_ATTRS_MAX)
			return -1;
		/* RFC 8489 section 14.7: FINGERPRINT is the last attribute. */
		if (m->has & STUN_HAS_FINGERPRINT)
			return -1;
		atype = stun_get16(buf + off);
		alen = stun_get16(buf + off + 2);
		padded = stun_pad(alen);
		if (padded > len - off - STUN_ATTR_HDR_LEN)
			return -1;
		if (stun_parse_attr(m, atype, off + STUN_ATTR_HDR_LEN,
		    alen) == -1)
			return -1;
	}
	return 0;
}

static int
stun_parse_attr(struct stun_msg *m, uint16_t type, size_t off, size_t len)
{
	const uint8_t	*v = m->buf + off;
	uint32_t	 bit;

	if (stun_ignored(m, type))
		return 0;
	if ((bit = stun_known_bit(type)) == 0) {
		if (type < STUN_ATTR_OPTIONAL &&
		    m->nunknown < STUN_UNKNOWN_MAX)
			m->unknown[m->nunknown++] = type;
		return 0;
	}
	/* RFC 8656 7.2: CreatePermission may name several peers. */
	if (type == STUN_ATTR_XOR_PEER_ADDRESS) {
		if (m->npeers >= STUN_PEERS_MAX || stun_parse_addr(m, v, len, 1,
		    &m->xor_peers[m->npeers]) == -1)
			return -1;
		if (m->npeers++ == 0)
			m->xor_peer = m->xor_peers[0];
		m->has |= bit;
		return 0;
	}
	/* RFC 8489 section 14: only the first of duplicates is processed. */
	if (m->has & bit)
		return 0;

	switch (type) {
	case STUN_ATTR_MAPPED_ADDRESS:
		if (stun_parse_addr(m, v, len, 0, &m->mapped) == -1)
			return -1;
		break;
	case STUN_ATTR_XOR_MAPPED_ADDRESS:
		if (stun_parse_addr(m, v, len, 1, &m->xor_mapped) == -1)
			return -1;
		break;
	case STUN_ATTR_XOR_RELAYED_ADDRESS:
		if (stun_parse_addr(m, v, len, 1, &m->xor_relayed) == -1)
			return -1;
		break;
	case STUN_ATTR_USERNAME:
		if (len > STUN_USERNAME_MAX)
			return -1;
		stun_span_set(&m->username, off, len);
		break;
	case STUN_ATTR_MESSAGE_INTEGRITY:
		if (len != STUN_MI_LEN)
			return -1;
		stun_span_set(&m->integrity, off, len);
		break;
	case STUN_ATTR_MESSAGE_INTEGRITY_SHA256:
		if (len < STUN_MI256_MIN || len > STUN_MI256_MAX ||
		    len % STUN_ALIGN != 0)
			return -1;
		stun_span_set(&m->integrity256, off, len);
		break;
	case STUN_ATTR_FINGERPRINT:
		if (len != STUN_FP_LEN)
			return -1;
		stun_span_set(&m->fingerprint, off, len);
		break;
	case STUN_ATTR_ERROR_CODE:
		if (stun_parse_error(m, off, len) == -1)
			return -1;
		break;
	case STUN_ATTR_UNKNOWN_ATTRIBUTES:
		/* RFC 8489 section 14.13: a list of 16-bit types. */
		if (len % sizeof(uint16_t) != 0)
			return -1;
		stun_span_set(&m->unknown_attrs, off, len);
		break;
	case STUN_ATTR_PRIORITY:
		if (len != STUN_U32_LEN)
			return -1;
		m->priority = stun_get32(v);
		break;
	case STUN_ATTR_LIFETIME:
		if (len != STUN_U32_LEN)
			return -1;
		m->lifetime = stun_get32(v);
		break;
	case STUN_ATTR_USE_CANDIDATE:
		if (len != 0)
			return -1;
		break;
	case STUN_ATTR_ICE_CONTROLLED:
		if (len != STUN_U64_LEN)
			return -1;
		m->ice_controlled = stun_get64(v);
		break;
	case STUN_ATTR_ICE_CONTROLLING:
		if (len != STUN_U64_LEN)
			return -1;
		m->ice_controlling = stun_get64(v);
		break;
	case STUN_ATTR_SOFTWARE:
		if (len > STUN_TEXT_MAX)
			return -1;
		stun_span_set(&m->software, off, len);
		break;
	case STUN_ATTR_REALM:
		if (len > STUN_TEXT_MAX)
			return -1;
		stun_span_set(&m->realm, off, len);
		break;
	case STUN_ATTR_NONCE:
		if (len > STUN_TEXT_MAX)
			return -1;
		stun_span_set(&m->nonce, off, len);
		break;
	case STUN_ATTR_CHANNEL_NUMBER:
		/* RFC 8656 section 18: number, then 16 bits RFFU. */
		if (len != STUN_U32_LEN)
			return -1;
		m->channel = stun_get16(v);
		break;
	case STUN_ATTR_REQUESTED_TRANSPORT:
		/* RFC 8656 section 18: protocol, then 24 bits RFFU. */
		if (len != STUN_U32_LEN)
			return -1;
		m->transport = v[0];
		break;
	case STUN_ATTR_DATA:
		stun_span_set(&m->data, off, len);
		break;
	case STUN_ATTR_CHANGE_REQUEST:
		if (len != STUN_U32_LEN)
			return -1;
		m->change_flags = stun_get32(v);
		break;
	case STUN_ATTR_REQUESTED_FAMILY:
		/* RFC 8656 section 18: family, then 24 bits RFFU. */
		if (len != STUN_U32_LEN)
			return -1;
		m->req_family = v[0];
		break;
	case STUN_ATTR_ADDITIONAL_FAMILY:
		if (len != STUN_U32_LEN)
			return -1;
		m->add_family = v[0];
		break;
	case STUN_ATTR_EVEN_PORT:
		/* RFC 8656 section 18: one byte, the R bit on top. */
		if (len != 1)
			return -1;
		m->even_port = v[0] & 0x80;
		break;
	case STUN_ATTR_RESERVATION_TOKEN:
		if (len != STUN_U64_LEN)
			return -1;
		stun_span_set(&m->token, off, len);
		break;
	case STUN_ATTR_DONT_FRAGMENT:
		if (len != 0)
			return -1;
		break;
	}
	m->has |= bit;
	return 0;
}

/* RFC 8489 14.1, 14.2: XOR with the cookie and transaction id, bytes 4-19. */
static int
stun_parse_addr(const struct stun_msg *m, const uint8_t *v, size_t len,
    int xored, struct sockaddr_storage *ss)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;
	const uint8_t		*mask = m->buf + STUN_OFF_COOKIE;
	uint8_t			*a;
	size_t			 alen, i;
	uint16_t		 port;

	/* RFC 3489 has no cookie to XOR with. */
	if (len < STUN_ADDR_HDR_LEN || (xored && m->classic))
		return -1;
	memset(ss, 0, sizeof(*ss));
	port = stun_get16(v + 2);
	if (xored)
		port ^= stun_get16(mask);
	switch (v[1]) {
	case STUN_FAMILY_V4:
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		a = (uint8_t *)&sin->sin_addr;
		alen = sizeof(sin->sin_addr);
		break;
	case STUN_FAMILY_V6:
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		a = sin6->sin6_addr.s6_addr;
		alen = sizeof(sin6->sin6_addr);
		break;
	default:
		return -1;
	}
	if (len != STUN_ADDR_HDR_LEN + alen)
		return -1;
	for (i = 0; i < alen; i++)
		a[i] = v[STUN_ADDR_HDR_LEN + i] ^ (xored ? mask[i] : 0);
	return 0;
}

static int
stun_parse_error(struct stun_msg *m, size_t off, size_t len)
{
	const uint8_t	*v = m->buf + off;
	unsigned int	 class, number;

	if (len < STUN_ERROR_HDR_LEN ||
	    len - STUN_ERROR_HDR_LEN > STUN_TEXT_MAX)
		return -1;
	class = v[2] & STUN_ERROR_CLASS_MASK;
	number = v[3];
	if (class < STUN_ERROR_CLASS_MIN || class > STUN_ERROR_CLASS_MAX ||
	    number > STUN_ERROR_NUMBER_MAX)
		return -1;
	m->error_code = class * STUN_ERROR_CLASS_DIV + number;
	stun_span_set(&m->reason, off + STUN_ERROR_HDR_LEN,
	    len - STUN_ERROR_HDR_LEN);
	return 0;
}

/* The header length already ends with FINGERPRINT, which parse made last. */
int
stun_check_fingerprint(const struct stun_msg *m)
{
	uint32_t	 crc;

	if ((m->has & STUN_HAS_FINGERPRINT) == 0)
		return -1;
	crc = stun_crc32(m->buf, m->fingerprint.off - STUN_ATTR_HDR_LEN);
	return (crc ^ STUN_FP_XOR) == stun_get32(m->buf + m->fingerprint.off) ?
	    0 : -1;
}

int
stun_check_integrity(const struct stun_msg *m, const uint8_t *key,
    size_t keylen)
{
	struct hmac_sha1	 h;
	uint8_t			 hdr[STUN_HDR_LEN], mac[HMAC_SHA1_LEN];
	size_t			 start;

	if ((m->has & STUN_HAS_INTEGRITY) == 0)
		return -1;
	start = m->integrity.off - STUN_ATTR_HDR_LEN;
	/* RFC 8489 section 14.5: the length as if MESSAGE-INTEGRITY ended. */
	memcpy(hdr, m->buf, sizeof(hdr));
	stun_put16(hdr + STUN_OFF_LEN,
	    m->integrity.off + STUN_MI_LEN - STUN_HDR_LEN);
	hmac_sha1_init(&h, key, keylen);
	hmac_sha1_update(&h, hdr, sizeof(hdr));
	hmac_sha1_update(&h, m->buf + STUN_HDR_LEN, start - STUN_HDR_LEN);
	hmac_sha1_final(&h, mac);
	return sodium_memcmp(mac, m->buf + m->integrity.off, STUN_MI_LEN);
}

/* RFC 8489 section 9.2.2: MD5(username ":" realm ":" password). */
void
stun_longterm_key(const char *user, const char *realm, const char *pass,
    uint8_t key[STUN_LTKEY_LEN])
{
	MD5_CTX	 ctx;

	MD5Init(&ctx);
	MD5Update(&ctx, (const uint8_t *)user, strlen(user));
	MD5Update(&ctx, (const uint8_t *)":", 1);
	MD5Update(&ctx, (const uint8_t *)realm, strlen(realm));
	MD5Update(&ctx, (const uint8_t *)":", 1);
	MD5Update(&ctx, (const uint8_t *)pass, strlen(pass));
	MD5Final(key, &ctx);
	explicit_bzero(&ctx, sizeof(ctx));
}

int
stun_build_init(struct stun_builder *b, uint8_t *buf, size_t cap,
    uint16_t type, const uint8_t tid[STUN_TID_LEN])
{
	memset(b, 0, sizeof(*b));
	if (cap < STUN_HDR_LEN || (type & STUN_TYPE_RESERVED))
		return -1;
	b->buf = buf;
	b->cap = cap;
	b->len = STUN_HDR_LEN;
	stun_put16(buf, type);
	stun_put16(buf + STUN_OFF_LEN, 0);
	stun_put32(buf + STUN_OFF_COOKIE, STUN_COOKIE);
	memcpy(buf + STUN_OFF_TID, tid, STUN_TID_LEN);
	return 0;
}

/* RFC 8489 section 11.2: an RFC 3489 request's whole id is echoed. */
int
stun_build_answer(struct stun_builder *b, uint8_t *buf, size_t cap,
    uint16_t type, const struct stun_msg *req)
{
	if (stun_build_init(b, buf, cap, type, req->tid) == -1)
		return -1;
	if (req->classic) {
		memcpy(buf + STUN_OFF_COOKIE, req->buf + STUN_OFF_COOKIE,
		    STUN_CLASSIC_TID_LEN);
		b->classic = 1;
	}
	return 0;
}

/* Appends a zero-padded attribute and returns where its value goes. */
static uint8_t *
stun_put_attr(struct stun_builder *b, uint16_t type, size_t len)
{
	uint8_t	*p;
	size_t	 padded = stun_pad(len);

	if (b->sealed == STUN_SEALED_FINGERPRINT ||
	    (b->sealed == STUN_SEALED_INTEGRITY &&
	    type != STUN_ATTR_FINGERPRINT))
		return NULL;
	if (len > STUN_MSGLEN_MAX ||
	    b->cap - b->len < STUN_ATTR_HDR_LEN + padded ||
	    b->len - STUN_HDR_LEN + STUN_ATTR_HDR_LEN + padded >
	    STUN_MSGLEN_MAX)
		return NULL;
	p = b->buf + b->len;
	stun_put16(p, type);
	stun_put16(p + 2, len);
	memset(p + STUN_ATTR_HDR_LEN, 0, padded);
	b->len += STUN_ATTR_HDR_LEN + padded;
	stun_put16(b->buf + STUN_OFF_LEN, b->len - STUN_HDR_LEN);
	return p + STUN_ATTR_HDR_LEN;
}

int
stun_add_bytes(struct stun_builder *b, uint16_t type, const void *data,
    size_t len)
{
	uint8_t	*v;

	if ((v = stun_put_attr(b, type, len)) == NULL)
		return -1;
	if (len > 0)
		memcpy(v, data, len);
	return 0;
}

int
stun_add_u32(struct stun_builder *b, uint16_t type, uint32_t val)
{
	uint8_t	*v;

	if ((v = stun_put_attr(b, type, STUN_U32_LEN)) == NULL)
		return -1;
	stun_put32(v, val);
	return 0;
}

int
stun_add_u64(struct stun_builder *b, uint16_t type, uint64_t val)
{
	uint8_t	*v;

	if ((v = stun_put_attr(b, type, STUN_U64_LEN)) == NULL)
		return -1;
	stun_put32(v, val >> 32);
	stun_put32(v + 4, val & 0xffffffffU);
	return 0;
}

int
stun_add_addr(struct stun_builder *b, uint16_t type,
    const struct sockaddr *sa)
{
	return stun_put_addr(b, type, sa, 0);
}

int
stun_add_xor_addr(struct stun_builder *b, uint16_t type,
    const struct sockaddr *sa)
{
	/* RFC 3489 has no cookie to XOR with. */
	if (b->classic)
		return -1;
	return stun_put_addr(b, type, sa, 1);
}

/* RFC 8489 14.1 plain, or 14.2 XOR'd with the cookie and tid, bytes 4-19. */
static int
stun_put_addr(struct stun_builder *b, uint16_t type,
    const struct sockaddr *sa, int xored)
{
	const struct sockaddr_in	*sin = (const struct sockaddr_in *)sa;
	const struct sockaddr_in6	*sin6 = (const struct sockaddr_in6 *)sa;
	const uint8_t			*a, *mask = b->buf + STUN_OFF_COOKIE;
	uint8_t				*v;
	size_t				 alen, i;
	uint16_t			 port;
	uint8_t				 family;

	switch (sa->sa_family) {
	case AF_INET:
		family = STUN_FAMILY_V4;
		port = ntohs(sin->sin_port);
		a = (const uint8_t *)&sin->sin_addr;
		alen = sizeof(sin->sin_addr);
		break;
	case AF_INET6:
		family = STUN_FAMILY_V6;
		port = ntohs(sin6->sin6_port);
		a = sin6->sin6_addr.s6_addr;
		alen = sizeof(sin6->sin6_addr);
		break;
	default:
		return -1;
	}
	if ((v = stun_put_attr(b, type, STUN_ADDR_HDR_LEN + alen)) == NULL)
		return -1;
	v[1] = family;
	if (xored)
		port ^= stun_get16(mask);
	stun_put16(v + 2, port);
	for (i = 0; i < alen; i++)
		v[STUN_ADDR_HDR_LEN + i] = a[i] ^ (xored ? mask[i] : 0);
	return 0;
}

int
stun_add_error(struct stun_builder *b, uint16_t code, const char *reason)
{
	uint8_t	*v;
	size_t	 rlen = strlen(reason);

	if (code < STUN_ERROR_CODE_MIN || code > STUN_ERROR_CODE_MAX ||
	    rlen > STUN_TEXT_MAX)
		return -1;
	if ((v = stun_put_attr(b, STUN_ATTR_ERROR_CODE,
	    STUN_ERROR_HDR_LEN + rlen)) == NULL)
		return -1;
	v[2] = code / STUN_ERROR_CLASS_DIV;
	v[3] = code % STUN_ERROR_CLASS_DIV;
	memcpy(v + STUN_ERROR_HDR_LEN, reason, rlen);
	return 0;
}

int
stun_add_unknown(struct stun_builder *b, const uint16_t *types, size_t n)
{
	uint8_t	*v;
	size_t	 i;

	if (n > STUN_MSGLEN_MAX / sizeof(uint16_t) ||
	    (v = stun_put_attr(b, STUN_ATTR_UNKNOWN_ATTRIBUTES,
	    n * sizeof(uint16_t))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		stun_put16(v + i * sizeof(uint16_t), types[i]);
	return 0;
}

/* stun_put_attr has set the length to end after MESSAGE-INTEGRITY. */
int
stun_add_integrity(struct stun_builder *b, const uint8_t *key, size_t keylen)
{
	uint8_t	*v;

	if ((v = stun_put_attr(b, STUN_ATTR_MESSAGE_INTEGRITY,
	    STUN_MI_LEN)) == NULL)
		return -1;
	hmac_sha1(key, keylen, b->buf, v - STUN_ATTR_HDR_LEN - b->buf, v);
	b->sealed = STUN_SEALED_INTEGRITY;
	return 0;
}

int
stun_add_fingerprint(struct stun_builder *b)
{
	uint8_t	*v;

	if ((v = stun_put_attr(b, STUN_ATTR_FINGERPRINT, STUN_FP_LEN)) == NULL)
		return -1;
	stun_put32(v, stun_crc32(b->buf, v - STUN_ATTR_HDR_LEN - b->buf) ^
	    STUN_FP_XOR);
	b->sealed = STUN_SEALED_FINGERPRINT;
	return 0;
}

size_t
stun_build_len(const struct stun_builder *b)
{
	return b->len;
}
