/* Addresses, prefixes and host:port endpoints: parsing and printing. */
#include <sys/socket.h>
#include <sys/un.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netdb.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"

#define PREFIX_V4_BITS	32	/* bits of an IPv4 address */
#define PREFIX_V6_BITS	128	/* bits of an IPv6 address */
#define PREFIX_PLEN_DIGITS 3	/* "128" */
#define PORT_DIGITS	5	/* "65535" */

static int	 addr_parse(const char *, struct tern_prefix *);
static size_t	 prefix_bits(int);
static const uint8_t *prefix_bytes(const struct tern_prefix *);
static int	 is_dotted_digits(const char *);

/* Strict numeric literal: inet_pton refuses "127.1" and "0x7f.0.0.1". */
static int
addr_parse(const char *s, struct tern_prefix *p)
{
	memset(p, 0, sizeof(*p));
	if (inet_pton(AF_INET, s, &p->a.v4) == 1) {
		p->af = AF_INET;
		p->plen = PREFIX_V4_BITS;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &p->a.v6) == 1) {
		p->af = AF_INET6;
		p->plen = PREFIX_V6_BITS;
		return 0;
	}
	return -1;
}

static size_t
prefix_bits(int af)
{
	return af == AF_INET ? PREFIX_V4_BITS : PREFIX_V6_BITS;
}

static const uint8_t *
prefix_bytes(const struct tern_prefix *p)
{
	if (p->af == AF_INET)
		return (const uint8_t *)&p->a.v4;
	return p->a.v6.s6_addr;
}

int
prefix_parse(const char *s, struct tern_prefix *p, const char **errstr)
{
	char		 buf[INET6_ADDRSTRLEN];
	const char	*slash, *len;
	size_t		 alen, i;
	unsigned int	 plen = 0;

	if ((slash = strchr(s, '/')) != NULL)
		alen = slash - s;
	else
		alen = strlen(s);
	if (alen >= sizeof(buf)) {
		*errstr = "invalid address";
		return -1;
	}
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (addr_parse(buf, p) == -1) {
		*errstr = "invalid address";
		return -1;
	}
	if (slash == NULL)
		return 0;

	/* Digits only: strtonum would take "+24" and " 24". */
	len = slash + 1;
	for (i = 0; len[i] != '\0'; i++) {
		if (!isdigit((unsigned char)len[i]) || i >= PREFIX_PLEN_DIGITS)
			break;
		plen = plen * 10 + (len[i] - '0');
	}
	if (i == 0 || len[i] != '\0' || plen > prefix_bits(p->af)) {
		*errstr = "invalid prefix length";
		return -1;
	}
	p->plen = plen;
	return 0;
}

int
prefix_is_network(const struct tern_prefix *p)
{
	const uint8_t	*b = prefix_bytes(p);
	size_t		 i, nbytes = prefix_bits(p->af) / 8;
	uint8_t		 host;

	for (i = p->plen / 8; i < nbytes; i++) {
		host = 0xff;
		if (i == p->plen / 8U)
			host >>= p->plen % 8;
		if (b[i] & host)
			return 0;
	}
	return 1;
}

int
prefix_contains(const struct tern_prefix *outer,
    const struct tern_prefix *inner)
{
	const uint8_t	*o = prefix_bytes(outer);
	const uint8_t	*in = prefix_bytes(inner);
	size_t		 full = outer->plen / 8, rest = outer->plen % 8;
	uint8_t		 mask;

	if (outer->af != inner->af || inner->plen < outer->plen)
		return 0;
	if (memcmp(o, in, full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (uint8_t)(0xff << (8 - rest));
	return (o[full] & mask) == (in[full] & mask);
}

/* Orders by family, then address, then prefix length. */
int
prefix_cmp(const struct tern_prefix *a, const struct tern_prefix *b)
{
	int	 rv;

	if (a->af != b->af)
		return a->af < b->af ? -1 : 1;
	if ((rv = memcmp(prefix_bytes(a), prefix_bytes(b),
	    prefix_bits(a->af) / 8)) != 0)
		return rv < 0 ? -1 : 1;
	if (a->plen != b->plen)
		return a->plen < b->plen ? -1 : 1;
	return 0;
}

const char *
prefix_str(const struct tern_prefix *p, char *buf, size_t len)
{
	char	 a[INET6_ADDRSTRLEN];

	if ((p->af != AF_INET && p->af != AF_INET6) ||
	    inet_ntop(p->af, prefix_bytes(p), a, sizeof(a)) == NULL)
		strlcpy(a, "unknown", sizeof(a));
	snprintf(buf, len, "%s/%u", a, p->plen);
	return buf;
}

/* 1 to 65535 in at most PORT_DIGITS decimal digits, no sign. */
int
endpoint_port_parse(const char *s, uint16_t *port)
{
	unsigned int	 v = 0;
	size_t		 i;

	for (i = 0; s[i] != '\0'; i++) {
		if (!isdigit((unsigned char)s[i]) || i >= PORT_DIGITS)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (i == 0 || v == 0 || v > UINT16_MAX)
		return -1;
	*port = v;
	return 0;
}

static int
is_dotted_digits(const char *s)
{
	return strspn(s, "0123456789.") == strlen(s);
}

/*
 * Splits "host:port" or "[host]:port": *host (brackets left out) and
 * *hlen, and *port, what follows the ':'.  Hosts are not checked here.
 */
int
endpoint_split(const char *s, const char **host, size_t *hlen,
    const char **port, const char **errstr)
{
	const char	*end;

	/* end: the ':' before the port. */
	if (s[0] == '[') {
		if ((end = strchr(s, ']')) == NULL) {
			*errstr = "missing ']'";
			return -1;
		}
		*host = s + 1;
		*hlen = end - s - 1;
		if (*++end != ':') {
			*errstr = "missing port";
			return -1;
		}
	} else {
		if ((end = strrchr(s, ':')) == NULL) {
			*errstr = "missing port";
			return -1;
		}
		if (memchr(s, ':', end - s) != NULL) {
			*errstr = "IPv6 address must be in brackets";
			return -1;
		}
		*host = s;
		*hlen = end - s;
	}
	*port = end + 1;
	return 0;
}

int
endpoint_parse(const char *s, struct sockaddr_storage *ss,
    const char **errstr)
{
	char			 host[ADDR_STRLEN];
	const char		*h, *port_s;
	struct tern_prefix	 p;
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;
	uint16_t		 port;
	size_t			 hlen;

	if (strlen(s) >= sizeof(host)) {
		*errstr = "too long";
		return -1;
	}
	if (endpoint_split(s, &h, &hlen, &port_s, errstr) == -1)
		return -1;
	memcpy(host, h, hlen);
	host[hlen] = '\0';

	if (addr_parse(host, &p) == -1 || (s[0] == '[' && p.af != AF_INET6)) {
		if (hlen == 0 || s[0] == '[' || is_dotted_digits(host))
			*errstr = "invalid address";
		else
			*errstr = "host must be an IP address";
		return -1;
	}
	if (endpoint_port_parse(port_s, &port) == -1) {
		*errstr = "invalid port";
		return -1;
	}

	memset(ss, 0, sizeof(*ss));
	if (p.af == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_addr = p.a.v4;
		sin->sin_port = htons(port);
	} else {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = p.a.v6;
		sin6->sin6_port = htons(port);
	}
	return 0;
}

/*
 * "a.b.c.d:port" or "[v6]:port".  A v4-mapped address is written as the
 * IPv4 address it is, so logs and ternctl name an endpoint one way.
 */
const char *
sockaddr_str(const struct sockaddr *sa, char *buf, size_t len)
{
	struct sockaddr_storage	 plain;
	char			 host[NI_MAXHOST], serv[NI_MAXSERV];

	if (sa->sa_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(
	    &((const struct sockaddr_in6 *)sa)->sin6_addr)) {
		sockaddr_from_v6((const struct sockaddr_in6 *)sa, &plain);
		sa = (const struct sockaddr *)&plain;
	}
	if (sockaddr_len(sa) == 0 || getnameinfo(sa, sockaddr_len(sa),
	    host, sizeof(host), serv, sizeof(serv),
	    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		strlcpy(buf, "unknown", len);
		return buf;
	}
	if (sa->sa_family == AF_INET6)
		snprintf(buf, len, "[%s]:%s", host, serv);
	else
		snprintf(buf, len, "%s:%s", host, serv);
	return buf;
}

/* Orders by family, address, port, then IPv6 scope. */
int
sockaddr_cmp(const struct sockaddr *a, const struct sockaddr *b)
{
	const struct sockaddr_in	*a4, *b4;
	const struct sockaddr_in6	*a6, *b6;
	int				 rv;

	if (a->sa_family != b->sa_family)
		return a->sa_family < b->sa_family ? -1 : 1;
	switch (a->sa_family) {
	case AF_INET:
		a4 = (const struct sockaddr_in *)a;
		b4 = (const struct sockaddr_in *)b;
		if ((rv = memcmp(&a4->sin_addr, &b4->sin_addr,
		    sizeof(a4->sin_addr))) != 0)
			return rv < 0 ? -1 : 1;
		if (a4->sin_port != b4->sin_port)
			return ntohs(a4->sin_port) < ntohs(b4->sin_port) ?
			    -1 : 1;
		return 0;
	case AF_INET6:
		a6 = (const struct sockaddr_in6 *)a;
		b6 = (const struct sockaddr_in6 *)b;
		if ((rv = memcmp(&a6->sin6_addr, &b6->sin6_addr,
		    sizeof(a6->sin6_addr))) != 0)
			return rv < 0 ? -1 : 1;
		if (a6->sin6_port != b6->sin6_port)
			return ntohs(a6->sin6_port) < ntohs(b6->sin6_port) ?
			    -1 : 1;
		if (a6->sin6_scope_id != b6->sin6_scope_id)
			return a6->sin6_scope_id < b6->sin6_scope_id ? -1 : 1;
		return 0;
	default:
		return 0;
	}
}

/* One dual-stack socket serves both families through v4-mapped addresses. */
void
sockaddr_to_v6(const struct sockaddr *sa, struct sockaddr_in6 *sin6)
{
	const struct sockaddr_in	*sin = (const struct sockaddr_in *)sa;

	if (sa->sa_family == AF_INET6) {
		memcpy(sin6, sa, sizeof(*sin6));
		return;
	}
	memset(sin6, 0, sizeof(*sin6));
	if (sa->sa_family != AF_INET)
		return;
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = sin->sin_port;
	/* ::ffff:a.b.c.d, RFC 4291 section 2.5.5.2 */
	sin6->sin6_addr.s6_addr[10] = 0xff;
	sin6->sin6_addr.s6_addr[11] = 0xff;
	memcpy(&sin6->sin6_addr.s6_addr[12], &sin->sin_addr,
	    sizeof(sin->sin_addr));
}


/*
 * An address taken from a message (STUN's): IPv4 or IPv6 only, as
 * v4-mapped IPv6 with no flow label or scope; -1 for anything else.
 */
int
sockaddr_to_v6_ip(const struct sockaddr_storage *ss, struct sockaddr_in6 *sin6)
{
	if (ss->ss_family != AF_INET && ss->ss_family != AF_INET6)
		return -1;
	sockaddr_to_v6((const struct sockaddr *)ss, sin6);
	sin6->sin6_flowinfo = 0;
	sin6->sin6_scope_id = 0;
	return 0;
}

/*
 * The source a per-source limit counts: an IPv4 address, plain or
 * v4-mapped, or the /64 of an IPv6 one, with the host bits zero.  A
 * limit per IPv6 address would let one host take it 2^64 times.
 */
void
sockaddr_source(const struct sockaddr *sa, struct in6_addr *src)
{
	struct sockaddr_in6	 sin6;

	sockaddr_to_v6(sa, &sin6);
	*src = sin6.sin6_addr;
	if (!IN6_IS_ADDR_V4MAPPED(src))
		memset(&src->s6_addr[ADDR_SOURCE_V6_BYTES], 0,
		    sizeof(*src) - ADDR_SOURCE_V6_BYTES);
}

/* 1 if two addresses are one source for the limits. */
int
sockaddr_same_source(const struct sockaddr *a, const struct sockaddr *b)
{
	struct in6_addr	 sa, sb;

	sockaddr_source(a, &sa);
	sockaddr_source(b, &sb);
	return memcmp(&sa, &sb, sizeof(sa)) == 0;
}

/* The reverse, for people: a v4-mapped address is shown as IPv4. */
void
sockaddr_from_v6(const struct sockaddr_in6 *sin6, struct sockaddr_storage *ss)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (!IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
		memcpy(ss, sin6, sizeof(*sin6));
		return;
	}
	sin->sin_family = AF_INET;
	sin->sin_port = sin6->sin6_port;
	memcpy(&sin->sin_addr, &sin6->sin6_addr.s6_addr[12],
	    sizeof(sin->sin_addr));
}

socklen_t
sockaddr_len(const struct sockaddr *sa)
{
	switch (sa->sa_family) {
	case AF_INET:
		return sizeof(struct sockaddr_in);
	case AF_INET6:
		return sizeof(struct sockaddr_in6);
	default:
		return 0;
	}
}

/* The port in host order, 0 for a family without one. */
uint16_t
sockaddr_port(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)sa)->sin_port);
	if (sa->sa_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
	return 0;
}

/* A unix socket's address; -1 (ENAMETOOLONG) if the path does not fit. */
int
sockaddr_un_set(struct sockaddr_un *sun, const char *path)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlcpy(sun->sun_path, path, sizeof(sun->sun_path)) >=
	    sizeof(sun->sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* A blocking stream connection to a unix socket, or -1 and errno. */
int
unix_connect(const char *path)
{
	struct sockaddr_un	 sun;
	int			 fd, saved;

	if (sockaddr_un_set(&sun, path) == -1)
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}
