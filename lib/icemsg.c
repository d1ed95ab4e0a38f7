/* ICE offer/answer payloads sealed between peers: parsing and encoding. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "icemsg.h"
#include "sigmsg_json.h"

/* RFC 8445 section 15.1: ice-char = ALPHA / DIGIT / "+" / "/". */
#define ICEMSG_ICE_CHARS	"ABCDEFGHIJKLMNOPQRSTUVWXYZ" \
	    "abcdefghijklmnopqrstuvwxyz0123456789+/"
#define ICEMSG_V4MAPPED_OFF	12	/* RFC 4291 2.5.5.2: IPv4 bytes */
#define ICEMSG_HEX_CHARS	"0123456789abcdefABCDEF"
#define ICEMSG_TIE_DIGITS	16	/* 64 bits in hex */
/* Longest address text we read, with NUL. */
#define ICEMSG_ADDR_MAX		INET6_ADDRSTRLEN

static int	 icemsg_get_ice(struct sigmsg_ctx *, yajl_val, const char *,
		    const char *, size_t, char *, size_t);
static int	 icemsg_get_addr(struct sigmsg_ctx *, yajl_val, const char *,
		    struct sockaddr_in6 *);
static int	 icemsg_parse_cand(struct sigmsg_ctx *, yajl_val, const char *,
		    struct icemsg_cand *);
static int	 icemsg_parse_cands(struct sigmsg_ctx *, yajl_val, size_t,
		    struct icemsg *);
static int	 icemsg_parse_creds(struct sigmsg_ctx *, yajl_val,
		    struct icemsg *);
static void	 icemsg_gen_cand(struct sigmsg_gen *,
		    const struct icemsg_cand *);

static const char *icemsg_types[] = {
	[ICEMSG_OFFER] = "offer",
	[ICEMSG_ANSWER] = "answer",
	[ICEMSG_CANDIDATE] = "candidate",
	[ICEMSG_GO_IDLE] = "go-idle",
};
#define ICEMSG_NTYPES	(sizeof(icemsg_types) / sizeof(icemsg_types[0]))

static const char *icemsg_cand_types[] = {
	[ICEMSG_HOST] = "host",
	[ICEMSG_SRFLX] = "srflx",
	[ICEMSG_PRFLX] = "prflx",
	[ICEMSG_RELAY] = "relay",
};
#define ICEMSG_NCAND_TYPES \
	(sizeof(icemsg_cand_types) / sizeof(icemsg_cand_types[0]))

/* Member name: min..dstlen - 1 ice-chars. */
static int
icemsg_get_ice(struct sigmsg_ctx *c, yajl_val obj, const char *path,
    const char *name, size_t min, char *dst, size_t dstlen)
{
	char	 fpath[SIGMSG_PATH_MAX];
	size_t	 len;

	if (sigmsg_get_str(c, obj, path, name, 1, SIGMSG_STR_TEXT, dst,
	    dstlen) == -1)
		return -1;
	sigmsg_path(fpath, path, name);
	len = strlen(dst);
	if (len == 0)
		return sigmsg_fail(c, "%s: empty", fpath);
	if (len < min)
		return sigmsg_fail(c, "%s: shorter than %zu characters", fpath,
		    min);
	if (strspn(dst, ICEMSG_ICE_CHARS) != len)
		return sigmsg_fail(c, "%s: invalid character, want A-Z a-z "
		    "0-9 + /", fpath);
	return 0;
}

static int
icemsg_get_addr(struct sigmsg_ctx *c, yajl_val obj, const char *path,
    struct sockaddr_in6 *sin6)
{
	char			 text[ICEMSG_ADDR_MAX], fpath[SIGMSG_PATH_MAX];
	struct sockaddr_in	 sin;
	struct in_addr		 in;

	if (sigmsg_get_str(c, obj, path, "address", 1, SIGMSG_STR_TEXT, text,
	    sizeof(text)) == -1)
		return -1;
	memset(sin6, 0, sizeof(*sin6));
	sin6->sin6_family = AF_INET6;
	sigmsg_path(fpath, path, "address");
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	if (inet_pton(AF_INET, text, &sin.sin_addr) == 1)
		sockaddr_to_v6((struct sockaddr *)&sin, sin6);
	else if (inet_pton(AF_INET6, text, &sin6->sin6_addr) != 1)
		return sigmsg_fail(c, "%s: not an IPv4 or IPv6 address", fpath);
	memcpy(&in, &sin6->sin6_addr.s6_addr[ICEMSG_V4MAPPED_OFF], sizeof(in));
	/* Checks go there: no broadcast to a group, nor to nowhere. */
	if (IN6_IS_ADDR_UNSPECIFIED(&sin6->sin6_addr) ||
	    IN6_IS_ADDR_MULTICAST(&sin6->sin6_addr) ||
	    (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr) &&
	    (in.s_addr == INADDR_ANY || in.s_addr == INADDR_BROADCAST ||
	    IN_MULTICAST(ntohl(in.s_addr)))))
		return sigmsg_fail(c, "%s: not a unicast address", fpath);
	return 0;
}

static int
icemsg_parse_cand(struct sigmsg_ctx *c, yajl_val obj, const char *path,
    struct icemsg_cand *cand)
{
	char		 fpath[SIGMSG_PATH_MAX];
	yajl_val	 v;
	const char	*type;
	long long	 n;
	size_t		 i;

	if (!YAJL_IS_OBJECT(obj))
		return sigmsg_fail(c, "%s: not an object", path);
	if (icemsg_get_ice(c, obj, path, "foundation", 1, cand->foundation,
	    sizeof(cand->foundation)) == -1 ||
	    sigmsg_get_int(c, obj, path, "priority", 1, 1, ICEMSG_PRIORITY_MAX,
	    &n) == -1)
		return -1;
	cand->priority = n;
	if (sigmsg_member(c, obj, path, "type", 1, &v) == -1)
		return -1;
	type = YAJL_GET_STRING(v);
	for (i = 1; type != NULL && i < ICEMSG_NCAND_TYPES; i++)
		if (strcmp(type, icemsg_cand_types[i]) == 0)
			break;
	if (type == NULL || i == ICEMSG_NCAND_TYPES) {
		sigmsg_path(fpath, path, "type");
		return sigmsg_fail(c, "%s: not host, srflx, prflx or relay",
		    fpath);
	}
	cand->type = i;
	if (icemsg_get_addr(c, obj, path, &cand->addr) == -1 ||
	    sigmsg_get_int(c, obj, path, "port", 1, 1, ICEMSG_PORT_MAX,
	    &n) == -1)
		return -1;
	cand->addr.sin6_port = htons(n);
	return 0;
}

static int
icemsg_parse_cands(struct sigmsg_ctx *c, yajl_val obj, size_t min,
    struct icemsg *m)
{
	char		 path[SIGMSG_PATH_MAX];
	yajl_val	 arr;
	size_t		 i;

	if (sigmsg_get_array(c, obj, "", "candidates", 1, min,
	    ICEMSG_CANDS_MAX, &arr) == -1)
		return -1;
	for (i = 0; i < arr->u.array.len; i++) {
		sigmsg_index(path, "candidates", i);
		if (icemsg_parse_cand(c, arr->u.array.values[i], path,
		    &m->cands[i]) == -1)
			return -1;
	}
	m->ncands = arr->u.array.len;
	return 0;
}

static int
icemsg_parse_creds(struct sigmsg_ctx *c, yajl_val root, struct icemsg *m)
{
	char		 tie[ICEMSG_TIE_DIGITS + 1];
	yajl_val	 v;

	if (icemsg_get_ice(c, root, "", "pwd", ICEMSG_PWD_MIN, m->pwd,
	    sizeof(m->pwd)) == -1 ||
	    sigmsg_member(c, root, "", "tie_breaker", 0, &v) == -1)
		return -1;
	if (v == NULL)
		return 0;
	if (sigmsg_str(c, v, "tie_breaker", SIGMSG_STR_TEXT, tie,
	    sizeof(tie)) == -1 || strlen(tie) != ICEMSG_TIE_DIGITS ||
	    strspn(tie, ICEMSG_HEX_CHARS) != ICEMSG_TIE_DIGITS)
		return sigmsg_fail(c, "tie_breaker: not %d hex digits",
		    ICEMSG_TIE_DIGITS);
	m->tie_breaker = strtoull(tie, NULL, 16);
	m->has_tie_breaker = 1;
	return 0;
}

int
icemsg_parse(const char *json, size_t len, struct icemsg *out, char *err,
    size_t errlen)
{
	struct sigmsg_ctx	 c = { err, errlen };
	yajl_val		 root;
	size_t			 kind = 0;
	int			 rv = -1;

	memset(out, 0, sizeof(*out));
	if (sigmsg_root(&c, json, len, ICEMSG_MAX, icemsg_types,
	    ICEMSG_NTYPES, &root, &kind) == -1)
		goto done;
	out->type = kind;
	switch (out->type) {
	case ICEMSG_OFFER:
	case ICEMSG_ANSWER:
		rv = icemsg_get_ice(&c, root, "", "ufrag", ICEMSG_UFRAG_MIN,
		    out->ufrag, sizeof(out->ufrag)) == -1 ||
		    icemsg_parse_creds(&c, root, out) == -1 ||
		    icemsg_parse_cands(&c, root, 0, out) == -1 ? -1 : 0;
		break;
	case ICEMSG_CANDIDATE:
		rv = icemsg_get_ice(&c, root, "", "ufrag", ICEMSG_UFRAG_MIN,
		    out->ufrag, sizeof(out->ufrag)) == -1 ||
		    icemsg_parse_cands(&c, root, 1, out) == -1 ? -1 : 0;
		break;
	case ICEMSG_GO_IDLE:
		rv = 0;
		break;
	}
 done:
	if (root != NULL)
		yajl_tree_free(root);
	if (rv == -1)
		memset(out, 0, sizeof(*out));
	return rv;
}

const char *
icemsg_type_name(enum icemsg_type type)
{
	if (type == 0 || (size_t)type >= ICEMSG_NTYPES)
		return NULL;
	return icemsg_types[type];
}

const char *
icemsg_cand_type_name(enum icemsg_cand_type type)
{
	if (type == 0 || (size_t)type >= ICEMSG_NCAND_TYPES)
		return NULL;
	return icemsg_cand_types[type];
}

static void
icemsg_gen_cand(struct sigmsg_gen *gen, const struct icemsg_cand *cand)
{
	char			 text[INET6_ADDRSTRLEN];
	const char		*type;
	const uint8_t		*a = cand->addr.sin6_addr.s6_addr;

	if ((type = icemsg_cand_type_name(cand->type)) == NULL) {
		gen->failed = 1;
		return;
	}
	if (IN6_IS_ADDR_V4MAPPED(&cand->addr.sin6_addr))
		inet_ntop(AF_INET, a + ICEMSG_V4MAPPED_OFF, text, sizeof(text));
	else
		inet_ntop(AF_INET6, a, text, sizeof(text));
	sigmsg_gen_status(gen, yajl_gen_map_open(gen->g));
	sigmsg_gen_kv_str(gen, "foundation", cand->foundation);
	sigmsg_gen_kv_int(gen, "priority", cand->priority);
	sigmsg_gen_kv_str(gen, "type", type);
	sigmsg_gen_kv_str(gen, "address", text);
	sigmsg_gen_kv_int(gen, "port", ntohs(cand->addr.sin6_port));
	sigmsg_gen_status(gen, yajl_gen_map_close(gen->g));
}

/* Checked by parsing it back: what we send is what a receiver accepts. */
char *
icemsg_encode(const struct icemsg *m, size_t *len)
{
	struct sigmsg_gen	 gen;
	struct icemsg		*check;
	char			 tie[ICEMSG_TIE_DIGITS + 1], err[1];
	const char		*type;
	char			*out;
	size_t			 i;

	if ((type = icemsg_type_name(m->type)) == NULL ||
	    m->ncands > ICEMSG_CANDS_MAX)
		return NULL;
	if (sigmsg_gen_open(&gen, type) == -1)
		return NULL;
	if (m->type != ICEMSG_GO_IDLE)
		sigmsg_gen_kv_str(&gen, "ufrag", m->ufrag);
	if (m->type == ICEMSG_OFFER || m->type == ICEMSG_ANSWER) {
		sigmsg_gen_kv_str(&gen, "pwd", m->pwd);
		if (m->has_tie_breaker) {
			snprintf(tie, sizeof(tie), "%016" PRIx64,
			    m->tie_breaker);
			sigmsg_gen_kv_str(&gen, "tie_breaker", tie);
		}
	}
	if (m->type != ICEMSG_GO_IDLE) {
		sigmsg_gen_str(&gen, "candidates");
		sigmsg_gen_status(&gen, yajl_gen_array_open(gen.g));
		for (i = 0; i < m->ncands; i++)
			icemsg_gen_cand(&gen, &m->cands[i]);
		sigmsg_gen_status(&gen, yajl_gen_array_close(gen.g));
	}
	if ((out = sigmsg_gen_close(&gen, len)) == NULL)
		return NULL;
	if ((check = malloc(sizeof(*check))) == NULL ||
	    icemsg_parse(out, *len, check, err, sizeof(err)) == -1) {
		free(out);
		out = NULL;
	}
	free(check);
	return out;
}
