/*
 * parent: WireGuard's cross-platform userspace API (UAPI), as served by
 * wireguard-go on a unix socket: request text, answer parsing, and the
 * exchange on the socket.  https://www.wireguard.com/xplatform/
 *
 * Requests that set the device carry the WireGuard private key, and so
 * does every get answer: both are wiped with explicit_bzero before they
 * are freed, and a caller of uapi_req_device() must do the same.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "config.h"
#include "monotime.h"
#include "ternd.h"
#include "parent_wg_uapi.h"

_Static_assert(UAPI_PEERS_MAX == TERN_PEERS_MAX,
    "a get= answer holds every peer");

#ifdef TERN_TEST_HOOKS
/*
 * Test builds only (configure --enable-test-hooks): replaces WG_UAPI_DIR
 * when set, so that tests can talk to a fake server in a temporary
 * directory.  secure_getenv() ignores it in a set-id program.
 */
#define UAPI_DIR_ENV		"TERN_WG_UAPI_DIR"
#endif
/* The only owner trusted with the private key: wireguard-go runs as root. */
#define UAPI_OWNER_UID		0

/* Longest line we write: "private_key=" and 64 hex digits and '\n' is 77. */
#define UAPI_LINE_MAX		128
/* Lines of a device request: set, private_key, listen_port, blank. */
#define UAPI_DEVICE_LINES	4
/* Lines of a peer request other than its allowed_ip lines. */
#define UAPI_PEER_LINES		6
/* Lines of a peer removal: set, public_key, remove, blank. */
#define UAPI_REMOVE_LINES	4

#define UAPI_READ_FIRST		4096	/* first answer buffer; it doubles */
#define UAPI_ERRNO_MAX		4095	/* Linux errno values are below 4096 */
#define UAPI_DIGITS_MAX		20	/* decimal digits of UINT64_MAX */
#define UAPI_NSEC_MAX		999999999	/* last_handshake_time_nsec */
#define UAPI_V4_BITS		32	/* longest IPv4 prefix */
#define UAPI_V6_BITS		128	/* longest IPv6 prefix */

#define UAPI_GET_REQUEST	"get=1\n\n"
#define UAPI_ERRNO_KEY		"errno"
#define UAPI_PEER_KEY		"public_key"

enum uapi_kind {
	UAPI_HEXKEY,		/* 64 hex digits */
	UAPI_NUMBER,		/* unsigned decimal up to max */
};

enum uapi_field_id {
	UAPI_F_PRIVATE_KEY,
	UAPI_F_LISTEN_PORT,
	UAPI_F_FWMARK,
	UAPI_F_PRESHARED_KEY,
	UAPI_F_PROTOCOL,
	UAPI_F_HANDSHAKE_SEC,
	UAPI_F_HANDSHAKE_NSEC,
	UAPI_F_RX_BYTES,
	UAPI_F_TX_BYTES,
	UAPI_F_KEEPALIVE,
};

/* The fields of a get answer we check; any other line is skipped. */
static const struct uapi_field {
	const char		*key;
	enum uapi_field_id	 id;
	enum uapi_kind		 kind;
	int			 peer;	/* 1: after public_key, 0: device */
	uint64_t		 max;
} uapi_fields[] = {
	{ "private_key", UAPI_F_PRIVATE_KEY, UAPI_HEXKEY, 0, 0 },
	{ "listen_port", UAPI_F_LISTEN_PORT, UAPI_NUMBER, 0, UINT16_MAX },
	{ "fwmark", UAPI_F_FWMARK, UAPI_NUMBER, 0, UINT32_MAX },
	{ "preshared_key", UAPI_F_PRESHARED_KEY, UAPI_HEXKEY, 1, 0 },
	{ "protocol_version", UAPI_F_PROTOCOL, UAPI_NUMBER, 1, UINT32_MAX },
	{ "last_handshake_time_sec", UAPI_F_HANDSHAKE_SEC, UAPI_NUMBER, 1,
	    INT64_MAX },
	{ "last_handshake_time_nsec", UAPI_F_HANDSHAKE_NSEC, UAPI_NUMBER, 1,
	    UAPI_NSEC_MAX },
	{ "rx_bytes", UAPI_F_RX_BYTES, UAPI_NUMBER, 1, UINT64_MAX },
	{ "tx_bytes", UAPI_F_TX_BYTES, UAPI_NUMBER, 1, UINT64_MAX },
	{ "persistent_keepalive_interval", UAPI_F_KEEPALIVE, UAPI_NUMBER, 1,
	    UINT16_MAX },
};

static int	 uapi_append(char *, size_t, size_t *, const char *, ...)
		    __attribute__((format(printf, 4, 5)));
static int	 uapi_prefix_ok(const struct tern_prefix *);
static int	 uapi_next_line(const char *, size_t, size_t *, const char **,
		    size_t *);
static int	 uapi_keyeq(const char *, size_t, const char *);
static int	 uapi_number(const char *, size_t, uint64_t, uint64_t *);
static int	 uapi_errno_value(const char *, size_t, int *);
static int	 uapi_hexkey(const char *, size_t, uint8_t [KEY_LEN]);
static const struct uapi_field *uapi_field_find(const char *, size_t);
static int	 uapi_parse_pass(const char *, size_t, struct wg_device_stats *,
		    uapi_peer_cb, void *, const char **);
static int	 uapi_dir_trusted(const char *, const char **);
static int	 uapi_connect(const char *, const char **);
static int	 uapi_exchange(const char *, const char *, char **, size_t *,
		    size_t *, const char **);

/* Appends to buf; -1 if it does not fit (our bounds make that a bug). */
static int
uapi_append(char *buf, size_t size, size_t *off, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(buf + *off, size - *off, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size - *off)
		return -1;
	*off += n;
	return 0;
}

static int
uapi_prefix_ok(const struct tern_prefix *p)
{
	if (p->af == AF_INET)
		return p->plen <= UAPI_V4_BITS;
	if (p->af == AF_INET6)
		return p->plen <= UAPI_V6_BITS;
	return 0;
}

/* The caller must explicit_bzero the result before free: it holds the key. */
char *
uapi_req_device(const uint8_t privkey[KEY_LEN], uint16_t listen_port)
{
	char	 hex[KEY_HEXLEN];
	char	*buf;
	size_t	 size = UAPI_DEVICE_LINES * UAPI_LINE_MAX, off = 0;
	int	 rv;

	/* One buffer, big enough at once: realloc would leave key copies. */
	if ((buf = malloc(size)) == NULL)
		return NULL;
	key_to_hex(privkey, hex);
	rv = uapi_append(buf, size, &off,
	    "set=1\nprivate_key=%s\nlisten_port=%u\n\n", hex,
	    (unsigned int)listen_port);
	explicit_bzero(hex, sizeof(hex));
	if (rv == -1) {
		explicit_bzero(buf, size);
		free(buf);
		errno = EOVERFLOW;
		return NULL;
	}
	return buf;
}

char *
uapi_req_peer_set(const struct wg_peer *peer)
{
	char	 hex[KEY_HEXLEN], addr[INET6_ADDRSTRLEN];
	char	*buf;
	size_t	 i, size, off = 0;

	if (peer->nallowed > TERN_ALLOWED_MAX ||
	    (peer->nallowed > 0 && peer->allowed == NULL)) {
		errno = EINVAL;
		return NULL;
	}
	for (i = 0; i < peer->nallowed; i++) {
		if (!uapi_prefix_ok(&peer->allowed[i])) {
			errno = EINVAL;
			return NULL;
		}
	}
	/* A peer port: IPv4 with a port; the caller checks the policy. */
	if (peer->endpoint != NULL && (peer->endpoint->sin_family != AF_INET ||
	    peer->endpoint->sin_port == 0)) {
		errno = EINVAL;
		return NULL;
	}

	size = (UAPI_PEER_LINES + peer->nallowed) * UAPI_LINE_MAX;
	if ((buf = malloc(size)) == NULL)
		return NULL;
	key_to_hex(peer->pubkey, hex);
	if (uapi_append(buf, size, &off,
	    "set=1\npublic_key=%s\nreplace_allowed_ips=true\n", hex) == -1)
		goto overflow;
	for (i = 0; i < peer->nallowed; i++) {
		if (inet_ntop(peer->allowed[i].af, &peer->allowed[i].a, addr,
		    sizeof(addr)) == NULL)
			goto fail;
		if (uapi_append(buf, size, &off, "allowed_ip=%s/%u\n", addr,
		    (unsigned int)peer->allowed[i].plen) == -1)
			goto overflow;
	}
	if (peer->endpoint != NULL) {
		if (inet_ntop(AF_INET, &peer->endpoint->sin_addr, addr,
		    sizeof(addr)) == NULL)
			goto fail;
		if (uapi_append(buf, size, &off, "endpoint=%s:%u\n", addr,
		    (unsigned int)ntohs(peer->endpoint->sin_port)) == -1)
			goto overflow;
	}
	if (uapi_append(buf, size, &off,
	    "persistent_keepalive_interval=%u\n\n",
	    (unsigned int)peer->keepalive) == -1)
		goto overflow;
	return buf;

 overflow:
	errno = EOVERFLOW;
 fail:
	free(buf);
	return NULL;
}

char *
uapi_req_peer_remove(const uint8_t pubkey[KEY_LEN])
{
	char	 hex[KEY_HEXLEN];
	char	*buf;
	size_t	 size = UAPI_REMOVE_LINES * UAPI_LINE_MAX, off = 0;

	if ((buf = malloc(size)) == NULL)
		return NULL;
	key_to_hex(pubkey, hex);
	if (uapi_append(buf, size, &off,
	    "set=1\npublic_key=%s\nremove=true\n\n", hex) == -1) {
		free(buf);
		errno = EOVERFLOW;
		return NULL;
	}
	return buf;
}

/*
 * The next line of buf from *off, without its '\n'.  Returns 1 and the
 * line, 0 at the end of buf, -1 if the last line lacks its '\n'.
 */
static int
uapi_next_line(const char *buf, size_t len, size_t *off, const char **line,
    size_t *linelen)
{
	const char	*nl;

	if (*off >= len)
		return 0;
	if ((nl = memchr(buf + *off, '\n', len - *off)) == NULL)
		return -1;
	*line = buf + *off;
	*linelen = nl - *line;
	*off += *linelen + 1;
	return 1;
}

static int
uapi_keyeq(const char *key, size_t klen, const char *want)
{
	return strlen(want) == klen && memcmp(key, want, klen) == 0;
}

/* Unsigned decimal, digits only (no sign, no blanks), at most max. */
static int
uapi_number(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t	 n = 0, d;
	size_t		 i;

	if (len == 0 || len > UAPI_DIGITS_MAX)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		d = s[i] - '0';
		if (n > (max - d) / 10)
			return -1;
		n = n * 10 + d;
	}
	*out = n;
	return 0;
}

/* wireguard-go writes a failure negated ("errno=-22"); we return 22. */
static int
uapi_errno_value(const char *s, size_t len, int *err)
{
	uint64_t	 n;

	if (len > 0 && s[0] == '-') {
		s++;
		len--;
	}
	if (uapi_number(s, len, UAPI_ERRNO_MAX, &n) == -1)
		return -1;
	*err = (int)n;
	return 0;
}

static int
uapi_hexkey(const char *s, size_t len, uint8_t key[KEY_LEN])
{
	char	 hex[KEY_HEXLEN];
	int	 rv;

	if (len != KEY_HEXLEN - 1)
		return -1;
	memcpy(hex, s, len);
	hex[len] = '\0';
	rv = key_from_hex(hex, key);
	explicit_bzero(hex, sizeof(hex));
	return rv == 0 ? 0 : -1;
}

static const struct uapi_field *
uapi_field_find(const char *key, size_t klen)
{
	size_t	 i;

	for (i = 0; i < sizeof(uapi_fields) / sizeof(uapi_fields[0]); i++)
		if (uapi_keyeq(key, klen, uapi_fields[i].key))
			return &uapi_fields[i];
	return NULL;
}

/* A well-formed set answer is exactly "errno=N\n\n"; *err gets N >= 0. */
int
uapi_parse_errno(const char *buf, size_t len, int *err)
{
	const char	*line, *eq;
	size_t		 off = 0, linelen;

	if (len > UAPI_RESPONSE_MAX)
		return -1;
	if (uapi_next_line(buf, len, &off, &line, &linelen) != 1)
		return -1;
	if ((eq = memchr(line, '=', linelen)) == NULL ||
	    !uapi_keyeq(line, eq - line, UAPI_ERRNO_KEY))
		return -1;
	if (uapi_errno_value(eq + 1, linelen - (eq + 1 - line), err) == -1)
		return -1;
	/* The blank line that ends the answer, then nothing. */
	return len - off == 1 && buf[off] == '\n' ? 0 : -1;
}

/*
 * One pass over a get answer.  uapi_parse_get() runs it without a
 * callback to check the whole answer, then with one: a caller never
 * sees peers of an answer that turns out to be malformed.
 */
static int
uapi_parse_pass(const char *buf, size_t len, struct wg_device_stats *dev,
    uapi_peer_cb cb, void *arg, const char **errstr)
{
	struct wg_peer_stats	 ps;
	const struct uapi_field	*f;
	const char		*line, *eq, *val;
	uint8_t			 key[KEY_LEN];
	uint64_t		 n;
	size_t			 off = 0, linelen, klen, vlen;
	int			 r, err, inpeer = 0;

	memset(dev, 0, sizeof(*dev));
	memset(&ps, 0, sizeof(ps));
	while ((r = uapi_next_line(buf, len, &off, &line, &linelen)) == 1) {
		if (linelen == 0) {
			*errstr = "blank line before errno";
			return -1;
		}
		if ((eq = memchr(line, '=', linelen)) == NULL) {
			*errstr = "line without '='";
			return -1;
		}
		klen = eq - line;
		val = eq + 1;
		vlen = linelen - klen - 1;

		if (uapi_keyeq(line, klen, UAPI_ERRNO_KEY)) {
			if (uapi_errno_value(val, vlen, &err) == -1) {
				*errstr = "bad errno value";
				return -1;
			}
			if (err != 0) {
				*errstr = "WireGuard answered with an error";
				errno = err;
				return -1;
			}
			if (len - off != 1 || buf[off] != '\n') {
				*errstr = "no blank line after errno";
				return -1;
			}
			if (inpeer && cb != NULL)
				cb(&ps, arg);
			return 0;
		}
		if (uapi_keyeq(line, klen, UAPI_PEER_KEY)) {
			if (inpeer && cb != NULL)
				cb(&ps, arg);
			memset(&ps, 0, sizeof(ps));
			if (uapi_hexkey(val, vlen, ps.pubkey) == -1) {
				*errstr = "bad public_key";
				return -1;
			}
			inpeer = 1;
			continue;
		}
		if ((f = uapi_field_find(line, klen)) == NULL)
			continue;	/* a newer WireGuard's field */
		if (f->peer != inpeer) {
			*errstr = f->peer ? "peer field before public_key" :
			    "device field after public_key";
			return -1;
		}
		if (f->kind == UAPI_HEXKEY) {
			r = uapi_hexkey(val, vlen, key);
			if (r == 0 && f->id == UAPI_F_PRIVATE_KEY)
				dev->has_private_key = !sodium_is_zero(key,
				    sizeof(key));
			explicit_bzero(key, sizeof(key));
			if (r == -1) {
				*errstr = "bad hex key";
				return -1;
			}
			continue;
		}
		if (uapi_number(val, vlen, f->max, &n) == -1) {
			*errstr = "bad number";
			return -1;
		}
		switch (f->id) {
		case UAPI_F_LISTEN_PORT:
			dev->listen_port = (uint16_t)n;
			break;
		case UAPI_F_HANDSHAKE_SEC:
			ps.last_handshake = (int64_t)n;
			break;
		case UAPI_F_RX_BYTES:
			ps.rx_bytes = n;
			break;
		case UAPI_F_TX_BYTES:
			ps.tx_bytes = n;
			break;
		default:
			break;
		}
	}
	*errstr = r == -1 ? "truncated line" : "no errno line";
	return -1;
}

/*
 * 0 and the device's stats, cb called once per peer, if the whole answer
 * is well-formed; else -1 and *errstr (and errno for an errno=N answer).
 */
int
uapi_parse_get(const char *buf, size_t len, struct wg_device_stats *dev,
    uapi_peer_cb cb, void *arg, const char **errstr)
{
	if (len > UAPI_RESPONSE_MAX) {
		*errstr = "answer too long";
		return -1;
	}
	/* Lines are spans of buf; a NUL would hide the rest from a reader. */
	if (memchr(buf, '\0', len) != NULL) {
		*errstr = "NUL in answer";
		return -1;
	}
	if (uapi_parse_pass(buf, len, dev, NULL, NULL, errstr) == -1)
		return -1;
	return uapi_parse_pass(buf, len, dev, cb, arg, errstr);
}

int
uapi_sockpath(const char *ifname, char *buf, size_t len)
{
	const char	*dir;
	size_t		 n;
	int		 rv;

	/* The name becomes a path component: no separators, no dot names. */
	n = strnlen(ifname, IFNAMSIZ);
	if (n == 0 || n >= IFNAMSIZ || strchr(ifname, '/') != NULL ||
	    strcmp(ifname, ".") == 0 || strcmp(ifname, "..") == 0) {
		errno = EINVAL;
		return -1;
	}
#ifdef TERN_TEST_HOOKS
	if ((dir = secure_getenv(UAPI_DIR_ENV)) == NULL || *dir == '\0')
		dir = WG_UAPI_DIR;
#else
	dir = WG_UAPI_DIR;
#endif
	rv = snprintf(buf, len, "%s/%s.sock", dir, ifname);
	if (rv < 0 || (size_t)rv >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/*
 * Only root may make a socket there: the directory is root's and no one
 * else may write to it.
 */
static int
uapi_dir_trusted(const char *path, const char **errstr)
{
	struct stat	 st;
	char		 dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char		*slash;

	strlcpy(dir, path, sizeof(dir));
	if ((slash = strrchr(dir, '/')) == NULL || slash == dir) {
		*errstr = "the UAPI socket is not in a directory of its own";
		errno = EPERM;
		return -1;
	}
	*slash = '\0';
	if (stat(dir, &st) == -1) {
		*errstr = "cannot stat the UAPI directory";
		return -1;
	}
	if (!S_ISDIR(st.st_mode) || st.st_uid != UAPI_OWNER_UID ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		*errstr = "the UAPI directory is not root's, or others may "
		    "write to it";
		errno = EPERM;
		return -1;
	}
	return 0;
}

/*
 * A non-blocking connection: a wedged wireguard-go cannot hang us.  The
 * private key goes only to a server running as root (SO_PEERCRED: the
 * credentials of the process that listens), in a directory only root
 * may write to; anything else could be another user's socket.
 */
static int
uapi_connect(const char *ifname, const char **errstr)
{
	struct sockaddr_un	 sun;
	struct ucred		 uc;
	socklen_t		 uclen = sizeof(uc);
	int			 s, saved_errno;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (uapi_sockpath(ifname, sun.sun_path, sizeof(sun.sun_path)) == -1) {
		*errstr = "bad interface name for a UAPI socket";
		return -1;
	}
	if (uapi_dir_trusted(sun.sun_path, errstr) == -1)
		return -1;
	if ((s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1) {
		*errstr = "socket";
		return -1;
	}
	/* A unix socket connects at once or fails (EAGAIN: backlog full). */
	if (connect(s, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		*errstr = "cannot connect to the UAPI socket";
		goto fail;
	}
	if (getsockopt(s, SOL_SOCKET, SO_PEERCRED, &uc, &uclen) == -1) {
		*errstr = "SO_PEERCRED on the UAPI socket";
		goto fail;
	}
	if (uclen != sizeof(uc) || uc.uid != UAPI_OWNER_UID) {
		*errstr = "the UAPI socket's server is not root";
		errno = EPERM;
		goto fail;
	}
	return s;

 fail:
	saved_errno = errno;
	close(s);
	errno = saved_errno;
	return -1;
}

/*
 * Sends req and reads the answer up to its ending blank line, all within
 * UAPI_TIMEOUT_MS.  wireguard-go keeps the connection open for further
 * requests, so the blank line, not EOF, ends an answer.  On success
 * *ans is a malloc'ed buffer of *cap bytes holding *anslen bytes.
 */
static int
uapi_exchange(const char *ifname, const char *req, char **ans,
    size_t *anslen, size_t *cap, const char **errstr)
{
	struct pollfd	 pfd;
	char		*buf = NULL, *nbuf, *end;
	size_t		 reqlen, sent = 0, len = 0, size = 0, nsize, from;
	ssize_t		 n;
	int64_t		 deadline, left;
	int		 s, rv, saved_errno;

	deadline = (int64_t)monotime_ms() + UAPI_TIMEOUT_MS;
	if ((s = uapi_connect(ifname, errstr)) == -1)
		return -1;
	pfd.fd = s;
	reqlen = strlen(req);
	for (;;) {
		if ((left = deadline - (int64_t)monotime_ms()) <= 0) {
			*errstr = "UAPI socket timed out";
			errno = ETIMEDOUT;
			goto fail;
		}
		pfd.events = sent < reqlen ? POLLOUT : POLLIN;
		if ((rv = poll(&pfd, 1, (int)left)) == -1) {
			if (errno == EINTR)
				continue;
			*errstr = "poll";
			goto fail;
		}
		if (rv == 0)
			continue;	/* the deadline check above ends it */
		if (sent < reqlen) {
			/* MSG_NOSIGNAL: a closed peer is EPIPE, not SIGPIPE. */
			n = send(s, req + sent, reqlen - sent, MSG_NOSIGNAL);
			if (n == -1) {
				if (errno == EINTR || errno == EAGAIN)
					continue;
				*errstr = "write to the UAPI socket";
				goto fail;
			}
			sent += n;
			continue;
		}
		if (len == size) {
			if (size >= UAPI_RESPONSE_MAX) {
				*errstr = "answer too long";
				errno = EMSGSIZE;
				goto fail;
			}
			nsize = size == 0 ? UAPI_READ_FIRST : size * 2;
			if (nsize > UAPI_RESPONSE_MAX)
				nsize = UAPI_RESPONSE_MAX;
			/* Not realloc: the old buffer may hold the key. */
			if ((nbuf = malloc(nsize)) == NULL) {
				*errstr = "malloc";
				goto fail;
			}
			if (buf != NULL) {
				memcpy(nbuf, buf, len);
				explicit_bzero(buf, size);
				free(buf);
			}
			buf = nbuf;
			size = nsize;
		}
		n = recv(s, buf + len, size - len, 0);
		if (n == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			*errstr = "read from the UAPI socket";
			goto fail;
		}
		if (n == 0) {
			*errstr = "UAPI socket closed before the answer ended";
			errno = ECONNRESET;
			goto fail;
		}
		/* The "\n\n" may straddle the previous read. */
		from = len > 0 ? len - 1 : 0;
		len += n;
		if ((end = memmem(buf + from, len - from, "\n\n", 2)) != NULL) {
			if ((size_t)(end + 2 - buf) != len) {
				*errstr = "data after the answer";
				errno = EPROTO;
				goto fail;
			}
			break;
		}
	}
	close(s);
	*ans = buf;
	*anslen = len;
	*cap = size;
	return 0;

 fail:
	saved_errno = errno;
	close(s);
	if (buf != NULL) {
		explicit_bzero(buf, size);
		free(buf);
	}
	errno = saved_errno;
	return -1;
}

/* 0 if WireGuard applied the request; -1 with errno and *errstr if not. */
int
uapi_set(const char *ifname, const char *request, const char **errstr)
{
	char	*ans;
	size_t	 len, cap;
	int	 err, rv;

	if (uapi_exchange(ifname, request, &ans, &len, &cap, errstr) == -1)
		return -1;
	rv = uapi_parse_errno(ans, len, &err);
	free(ans);
	if (rv == -1) {
		*errstr = "malformed UAPI answer";
		errno = EPROTO;
		return -1;
	}
	if (err != 0) {
		*errstr = "WireGuard refused the request";
		errno = err;
		return -1;
	}
	return 0;
}

int
uapi_get(const char *ifname, struct wg_device_stats *dev, uapi_peer_cb cb,
    void *arg, const char **errstr)
{
	char	*ans;
	size_t	 len, cap;
	int	 rv, saved_errno;

	if (uapi_exchange(ifname, UAPI_GET_REQUEST, &ans, &len, &cap,
	    errstr) == -1)
		return -1;
	rv = uapi_parse_get(ans, len, dev, cb, arg, errstr);
	saved_errno = errno;
	/* The answer starts with our private key. */
	explicit_bzero(ans, cap);
	free(ans);
	errno = saved_errno;
	return rv;
}

int
uapi_alive(const char *ifname)
{
	const char	*errstr;
	int		 s;

	if ((s = uapi_connect(ifname, &errstr)) == -1)
		return 0;
	close(s);
	return 1;
}
