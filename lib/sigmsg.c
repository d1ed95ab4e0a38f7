/*
 * JSON messages between ternd and tern-signal, parsing and encoding:
 * hello, netmap, relays, signal, error, ping and pong.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include "sigmsg.h"
#include "sigmsg_json.h"

#define SIGMSG_PORT_DIGITS	5	/* "65535" */
#define SIGMSG_PORT_MAX		65535	/* largest port number */
/* Base64 text of the largest box, without the NUL. */
#define SIGMSG_BOX_B64MAX	(sodium_base64_ENCODED_LEN(SIGMSG_BOX_MAX, \
	    sodium_base64_VARIANT_ORIGINAL) - 1)
/* What that much base64 decodes to at most: a little over the cap. */
#define SIGMSG_BOX_DECODE_MAX	(SIGMSG_BOX_B64MAX / 4 * 3)
/* The longer of the flag and feature lists. */
#define SIGMSG_TOKENS_MAX	(SIGMSG_FLAGS_MAX > SIGMSG_FEATURES_MAX ? \
	    SIGMSG_FLAGS_MAX : SIGMSG_FEATURES_MAX)

/* What a host name and a bracketed IPv6 literal may contain. */
#define SIGMSG_HOST_CHARS	SIGMSG_NAME_CHARS
#define SIGMSG_V6_CHARS		SIGMSG_NAME_CHARS ":%"
#define SIGMSG_GEN_CHARS	"0123456789abcdef"
#define SIGMSG_HEX_BITS		4	/* bits of one hex digit */

/* A known word in a list of flags and the bit it sets. */
struct sigmsg_token {
	const char	*name;
	uint32_t	 bit;
};

static int	 sigmsg_get_string(struct sigmsg_ctx *, yajl_val, const char *,
		    const char *, int, char *, const char **);
static int	 sigmsg_get_key(struct sigmsg_ctx *, yajl_val, const char *,
		    const char *, int, uint8_t [KEY_LEN], int *);
static int	 sigmsg_get_names(struct sigmsg_ctx *, yajl_val, const char *,
		    const char *, size_t, char (*)[SIGMSG_NAME_MAX], size_t *);
static int	 sigmsg_get_tokens(struct sigmsg_ctx *, yajl_val, const char *,
		    const char *, size_t, const struct sigmsg_token *, size_t,
		    uint32_t *);
static int	 sigmsg_get_prefixes(struct sigmsg_ctx *, yajl_val,
		    const char *, const char *, size_t, size_t, int,
		    struct tern_prefix *, size_t *);
static int	 sigmsg_get_gen(struct sigmsg_ctx *, yajl_val, const char *,
		    const char *, int, uint64_t *);
static int	 sigmsg_hostport(const char *);
static int	 sigmsg_parse_hello(struct sigmsg_ctx *, yajl_val,
		    struct sigmsg_hello *);
static int	 sigmsg_get_role(struct sigmsg_ctx *, yajl_val, uint32_t *);
static int	 sigmsg_parse_peer(struct sigmsg_ctx *, yajl_val, const char *,
		    struct sigmsg_peer *);
static int	 sigmsg_parse_peer_sig(struct sigmsg_ctx *, yajl_val,
		    const char *, struct sigmsg_peer *);
static int	 sigmsg_get_sig(struct sigmsg_ctx *, yajl_val, const char *,
		    const char *, uint8_t [NMSIGN_SIG_LEN], int *);
static int	 sigmsg_parse_netmap(struct sigmsg_ctx *, yajl_val,
		    struct sigmsg_netmap *);
static int	 sigmsg_parse_relay(struct sigmsg_ctx *, yajl_val, const char *,
		    struct sigmsg_relay *);
static int	 sigmsg_parse_relays(struct sigmsg_ctx *, yajl_val,
		    struct sigmsg_relays *);
static int	 sigmsg_parse_signal(struct sigmsg_ctx *, yajl_val,
		    struct sigmsg_signal *);
static int	 sigmsg_parse_error(struct sigmsg_ctx *, yajl_val,
		    struct sigmsg_error *);
static int	 sigmsg_parse_seq(struct sigmsg_ctx *, yajl_val, const char *,
		    uint32_t *);
static void	 sigmsg_gen_kv_key(struct sigmsg_gen *, const char *,
		    const uint8_t [KEY_LEN]);
static void	 sigmsg_gen_kv_sig(struct sigmsg_gen *, const char *,
		    const uint8_t [NMSIGN_SIG_LEN]);
static void	 sigmsg_gen_kv_gen(struct sigmsg_gen *, const char *,
		    uint64_t);
static void	 sigmsg_gen_names(struct sigmsg_gen *, const char *,
		    const char (*)[SIGMSG_NAME_MAX], size_t);
static void	 sigmsg_gen_tokens(struct sigmsg_gen *, const char *,
		    const struct sigmsg_token *, size_t, uint32_t);
static void	 sigmsg_gen_prefixes(struct sigmsg_gen *, const char *,
		    const struct tern_prefix *, size_t);
static void	 sigmsg_gen_peer(struct sigmsg_gen *,
		    const struct sigmsg_peer *);
static void	 sigmsg_gen_netmap(struct sigmsg_gen *,
		    const struct sigmsg_netmap *);
static void	 sigmsg_gen_relays(struct sigmsg_gen *,
		    const struct sigmsg_relays *);
static void	 sigmsg_gen_signal(struct sigmsg_gen *,
		    const struct sigmsg_signal *);

static const char *sigmsg_types[] = {
	[SIGMSG_HELLO] = "hello",
	[SIGMSG_NETMAP] = "netmap",
	[SIGMSG_RELAYS] = "relays",
	[SIGMSG_SIGNAL] = "signal",
	[SIGMSG_ERROR] = "error",
	[SIGMSG_PING] = "ping",
	[SIGMSG_PONG] = "pong",
};
#define SIGMSG_NTYPES	(sizeof(sigmsg_types) / sizeof(sigmsg_types[0]))

static const struct sigmsg_token sigmsg_features[] = {
	{ "lazy",		SIGMSG_FEAT_LAZY },
};
#define SIGMSG_NFEATURES (sizeof(sigmsg_features) / sizeof(sigmsg_features[0]))

static const struct sigmsg_token sigmsg_flags[] = {
	{ "lazy-exempt",	SIGMSG_PEER_LAZY_EXEMPT },
	{ "relay-only",		SIGMSG_PEER_RELAY_ONLY },
};
#define SIGMSG_NFLAGS	(sizeof(sigmsg_flags) / sizeof(sigmsg_flags[0]))

/* Member name, a string, in *s (NULL if absent); its path in fpath. */
static int
sigmsg_get_string(struct sigmsg_ctx *c, yajl_val obj, const char *path,
    const char *name, int required, char *fpath, const char **s)
{
	yajl_val	 v;

	*s = NULL;
	if (sigmsg_member(c, obj, path, name, required, &v) == -1)
		return -1;
	if (v == NULL)
		return 0;
	sigmsg_path(fpath, path, name);
	if ((*s = YAJL_GET_STRING(v)) == NULL)
		return sigmsg_fail(c, "%s: not a string", fpath);
	return 0;
}

static int
sigmsg_get_key(struct sigmsg_ctx *c, yajl_val obj, const char *path,
    const char *name, int required, uint8_t key[KEY_LEN], int *present)
{
	char		 fpath[SIGMSG_PATH_MAX];
	const char	*s;

	if (sigmsg_get_string(c, obj, path, name, required, fpath, &s) == -1)
		return -1;
	*present = s != NULL;
	if (s == NULL)
		return 0;
	if (key_from_b64(s, key) == -1)
		return sigmsg_fail(c, "%s: not a base64 key of %d bytes", fpath,
		    KEY_LEN);
	return 0;
}

static int
sigmsg_get_names(struct sigmsg_ctx *c, yajl_val obj, const char *path,
    const char *name, size_t max, char (*dst)[SIGMSG_NAME_MAX], size_t *n)
{
	char		 apath[SIGMSG_PATH_MAX], epath[SIGMSG_PATH_MAX];
	yajl_val	 arr;
	size_t		 i;

	if (sigmsg_get_array(c, obj, path, name, 0, 0, max, &arr) == -1)
		return -1;
	if (arr == NULL)
		return 0;
	sigmsg_path(apath, path, name);
	for (i = 0; i < arr->u.array.len; i++) {
		sigmsg_index(epath, apath, i);
		if (sigmsg_str(c, arr->u.array.values[i], epath,
		    SIGMSG_STR_NAME, dst[i], SIGMSG_NAME_MAX) == -1)
			return -1;
	}
	*n = arr->u.array.len;
	return 0;
}

/* Known words set their bits; unknown ones are a newer peer's business. */
static int
sigmsg_get_tokens(struct sigmsg_ctx *c, yajl_val obj, const char *path,
    const char *name, size_t max, const struct sigmsg_token *tokens,
    size_t ntokens, uint32_t *bits)
{
	char		 words[SIGMSG_TOKENS_MAX][SIGMSG_NAME_MAX];
	size_t		 i, j, n = 0;

	if (sigmsg_get_names(c, obj, path, name, max, words, &n) == -1)
		return -1;
	for (i = 0; i < n; i++)
		for (j = 0; j < ntokens; j++)
			if (strcmp(words[i], tokens[j].name) == 0)
				*bits |= tokens[j].bit;
	return 0;
}

/* Member name, min..max prefixes; network: no host bits may be set. */
static int
sigmsg_get_prefixes(struct sigmsg_ctx *c, yajl_val obj, const char *path,
    const char *name, size_t min, size_t max, int network,
    struct tern_prefix *dst, size_t *n)
{
	char		 apath[SIGMSG_PATH_MAX], epath[SIGMSG_PATH_MAX];
	yajl_val	 arr;
	const char	*s, *errstr;
	size_t		 i;

	if (sigmsg_get_array(c, obj, path, name, min > 0, min, max, &arr) == -1)
		return -1;
	if (arr == NULL)
		return 0;
	sigmsg_path(apath, path, name);
	for (i = 0; i < arr->u.array.len; i++) {
		sigmsg_index(epath, apath, i);
		if ((s = YAJL_GET_STRING(arr->u.array.values[i])) == NULL)
			return sigmsg_fail(c, "%s: not a string", epath);
		if (prefix_parse(s, &dst[i], &errstr) == -1)
			return sigmsg_fail(c, "%s: %s", epath, errstr);
		if (network && !prefix_is_network(&dst[i]))
			return sigmsg_fail(c, "%s: host bits set", epath);
	}
	*n = arr->u.array.len;
	return 0;
}

/* Member name, a generation (sigmsg.h) in *gen; left alone if absent. */
static int
sigmsg_get_gen(struct sigmsg_ctx *c, yajl_val obj, const char *path,
    const char *name, int required, uint64_t *gen)
{
	char		 fpath[SIGMSG_PATH_MAX];
	const char	*s;
	uint64_t	 g = 0;
	size_t		 i;

	if (sigmsg_get_string(c, obj, path, name, required, fpath, &s) == -1)
		return -1;
	if (s == NULL)
		return 0;
	if (strlen(s) != SIGMSG_GEN_LEN ||
	    strspn(s, SIGMSG_GEN_CHARS) != SIGMSG_GEN_LEN)
		return sigmsg_fail(c, "%s: not %d lowercase hex digits", fpath,
		    SIGMSG_GEN_LEN);
	for (i = 0; i < SIGMSG_GEN_LEN; i++)
		g = g << SIGMSG_HEX_BITS |
		    (uint64_t)(strchr(SIGMSG_GEN_CHARS, s[i]) - SIGMSG_GEN_CHARS);
	/* Zero stands for "none" in struct sigmsg. */
	if (g == 0)
		return sigmsg_fail(c, "%s: zero", fpath);
	*gen = g;
	return 0;
}

/* "host:port" or "[v6]:port"; the relay module resolves it. */
static int
sigmsg_hostport(const char *s)
{
	const char	*colon, *p;
	size_t		 hostlen;
	unsigned int	 port = 0;

	if ((colon = strrchr(s, ':')) == NULL)
		return -1;
	for (p = colon + 1; *p != '\0'; p++) {
		if (!isdigit((unsigned char)*p) ||
		    p - colon > SIGMSG_PORT_DIGITS)
			return -1;
		port = port * 10 + (*p - '0');
	}
	if (p == colon + 1 || port == 0 || port > SIGMSG_PORT_MAX)
		return -1;
	hostlen = colon - s;
	if (s[0] == '[') {
		if (hostlen < 3 || colon[-1] != ']')
			return -1;
		return strspn(s + 1, SIGMSG_V6_CHARS) == hostlen - 2 ? 0 : -1;
	}
	if (hostlen == 0)
		return -1;
	return strspn(s, SIGMSG_HOST_CHARS) == hostlen ? 0 : -1;
}

static int
sigmsg_parse_hello(struct sigmsg_ctx *c, yajl_val obj,
    struct sigmsg_hello *h)
{
	long long	 version;

	if (sigmsg_get_int(c, obj, "hello", "version", 1, 1, SIGMSG_PROTO_MAX,
	    &version) == -1)
		return -1;
	h->version = version;
	if (sigmsg_get_tokens(c, obj, "hello", "features",
	    SIGMSG_FEATURES_MAX, sigmsg_features, SIGMSG_NFEATURES,
	    &h->features) == -1)
		return -1;
	if (sigmsg_get_str(c, obj, "hello", "software", 0, SIGMSG_STR_TEXT,
	    h->software, sizeof(h->software)) == -1 ||
	    sigmsg_get_role(c, obj, &h->role) == -1 ||
	    sigmsg_get_gen(c, obj, "hello", "generation",
	    h->role == SIGMSG_ROLE_RELAY, &h->generation) == -1)
		return -1;
	if (h->role != SIGMSG_ROLE_RELAY && h->generation != 0)
		return sigmsg_fail(c, "hello.generation: only a relay has one");
	return 0;
}

/* Unlike flags, a role must be known: it says what the sender is. */
static int
sigmsg_get_role(struct sigmsg_ctx *c, yajl_val obj, uint32_t *role)
{
	char	 name[SIGMSG_NAME_MAX];

	name[0] = '\0';
	if (sigmsg_get_str(c, obj, "hello", "role", 0, SIGMSG_STR_NAME, name,
	    sizeof(name)) == -1)
		return -1;
	if (name[0] == '\0' || strcmp(name, "agent") == 0)
		*role = SIGMSG_ROLE_AGENT;
	else if (strcmp(name, "relay") == 0)
		*role = SIGMSG_ROLE_RELAY;
	else
		return sigmsg_fail(c, "hello.role: unknown role \"%s\"", name);
	return 0;
}

static int
sigmsg_parse_peer(struct sigmsg_ctx *c, yajl_val obj, const char *path,
    struct sigmsg_peer *p)
{
	int	 present;

	if (!YAJL_IS_OBJECT(obj))
		return sigmsg_fail(c, "%s: not an object", path);
	if (sigmsg_get_str(c, obj, path, "name", 1, SIGMSG_STR_NAME,
	    p->name, sizeof(p->name)) == -1 ||
	    sigmsg_get_key(c, obj, path, "node_key", 1, p->node_key,
	    &present) == -1 ||
	    sigmsg_get_key(c, obj, path, "wg_key", 1, p->wg_key,
	    &present) == -1 ||
	    sigmsg_get_prefixes(c, obj, path, "addresses", 1,
	    SIGMSG_ADDRS_MAX, 0, p->addrs, &p->naddrs) == -1 ||
	    sigmsg_get_prefixes(c, obj, path, "allowed_ips", 0,
	    SIGMSG_ALLOWED_MAX, 1, p->allowed, &p->nallowed) == -1 ||
	    sigmsg_get_names(c, obj, path, "groups", SIGMSG_GROUPS_MAX,
	    p->groups, &p->ngroups) == -1 ||
	    sigmsg_get_tokens(c, obj, path, "flags", SIGMSG_FLAGS_MAX,
	    sigmsg_flags, SIGMSG_NFLAGS, &p->flags) == -1)
		return -1;
	if (sigmsg_get_str(c, obj, path, "version", 0, SIGMSG_STR_TEXT,
	    p->version, sizeof(p->version)) == -1)
		return -1;
	return sigmsg_parse_peer_sig(c, obj, path, p);
}

/* The signature members: all three or none; the lock one alone. */
static int
sigmsg_parse_peer_sig(struct sigmsg_ctx *c, yajl_val obj, const char *path,
    struct sigmsg_peer *p)
{
	long long	 serial = 0, expires = 0;
	int		 has_sig, has_lock;

	if (sigmsg_get_int(c, obj, path, "serial", 0, 1, INT64_MAX,
	    &serial) == -1 ||
	    sigmsg_get_int(c, obj, path, "expires", 0, 1, INT64_MAX,
	    &expires) == -1 ||
	    sigmsg_get_sig(c, obj, path, "sig", p->sig, &has_sig) == -1 ||
	    sigmsg_get_sig(c, obj, path, "lock_sig", p->lock_sig,
	    &has_lock) == -1)
		return -1;
	if ((serial != 0) != has_sig || (expires != 0) != has_sig)
		return sigmsg_fail(c, "%s: serial, expires and sig must come "
		    "together", path);
	p->has_sig = has_sig;
	p->has_lock = has_lock;
	p->serial = serial;
	p->expires = expires;
	return 0;
}

static int
sigmsg_get_sig(struct sigmsg_ctx *c, yajl_val obj, const char *path,
    const char *name, uint8_t sig[NMSIGN_SIG_LEN], int *present)
{
	char		 fpath[SIGMSG_PATH_MAX];
	const char	*s;

	if (sigmsg_get_string(c, obj, path, name, 0, fpath, &s) == -1)
		return -1;
	*present = s != NULL;
	if (s == NULL)
		return 0;
	if (nmsign_sig_from_b64(s, sig) == -1)
		return sigmsg_fail(c, "%s: not a base64 signature of %d bytes",
		    fpath, NMSIGN_SIG_LEN);
	return 0;
}

static int
sigmsg_parse_netmap(struct sigmsg_ctx *c, yajl_val obj,
    struct sigmsg_netmap *nm)
{
	char		 path[SIGMSG_PATH_MAX];
	yajl_val	 v, arr;
	long long	 inactivity = 0;
	size_t		 i;

	if (sigmsg_member(c, obj, "netmap", "self", 1, &v) == -1 ||
	    sigmsg_parse_peer(c, v, "netmap.self", &nm->self) == -1)
		return -1;
	if (sigmsg_get_array(c, obj, "netmap", "peers", 1, 0,
	    SIGMSG_PEERS_MAX, &arr) == -1)
		return -1;
	if (arr->u.array.len > 0) {
		if ((nm->peers = calloc(arr->u.array.len,
		    sizeof(*nm->peers))) == NULL)
			return sigmsg_fail(c, "netmap.peers: %s",
			    strerror(errno));
		nm->npeers = arr->u.array.len;
	}
	for (i = 0; i < nm->npeers; i++) {
		sigmsg_index(path, "netmap.peers", i);
		if (sigmsg_parse_peer(c, arr->u.array.values[i], path,
		    &nm->peers[i]) == -1)
			return -1;
	}

	if (sigmsg_member(c, obj, "netmap", "features", 0, &v) == -1)
		return -1;
	if (v == NULL)
		return 0;
	if (!YAJL_IS_OBJECT(v))
		return sigmsg_fail(c, "netmap.features: not an object");
	if (sigmsg_member(c, v, "netmap.features", "lazy_connections", 0,
	    &arr) == -1)
		return -1;
	if (arr != NULL) {
		if (!YAJL_IS_TRUE(arr) && !YAJL_IS_FALSE(arr))
			return sigmsg_fail(c, "netmap.features."
			    "lazy_connections: not a boolean");
		nm->lazy = YAJL_IS_TRUE(arr);
	}
	if (sigmsg_get_int(c, v, "netmap.features", "inactivity_threshold", 0,
	    SIGMSG_INACTIVITY_MIN, SIGMSG_INACTIVITY_MAX, &inactivity) == -1)
		return -1;
	nm->inactivity = inactivity;
	return 0;
}

static int
sigmsg_parse_relay(struct sigmsg_ctx *c, yajl_val obj, const char *path,
    struct sigmsg_relay *r)
{
	long long	 expires = 0;

	if (!YAJL_IS_OBJECT(obj))
		return sigmsg_fail(c, "%s: not an object", path);
	if (sigmsg_get_str(c, obj, path, "id", 1, SIGMSG_STR_NAME, r->id,
	    sizeof(r->id)) == -1 ||
	    sigmsg_get_str(c, obj, path, "address", 1, SIGMSG_STR_TEXT,
	    r->address, sizeof(r->address)) == -1)
		return -1;
	if (sigmsg_hostport(r->address) == -1)
		return sigmsg_fail(c, "%s.address: not host:port", path);
	if (sigmsg_get_str(c, obj, path, "username", 0, SIGMSG_STR_TEXT,
	    r->username, sizeof(r->username)) == -1 ||
	    sigmsg_get_str(c, obj, path, "password", 0, SIGMSG_STR_TEXT,
	    r->password, sizeof(r->password)) == -1 ||
	    sigmsg_get_str(c, obj, path, "realm", 0, SIGMSG_STR_TEXT,
	    r->realm, sizeof(r->realm)) == -1 ||
	    sigmsg_get_int(c, obj, path, "expires", 0, 0, INT64_MAX,
	    &expires) == -1 ||
	    sigmsg_get_gen(c, obj, path, "generation", 0,
	    &r->generation) == -1)
		return -1;
	r->expires = expires;
	return 0;
}

static int
sigmsg_parse_relays(struct sigmsg_ctx *c, yajl_val obj,
    struct sigmsg_relays *rl)
{
	char		 path[SIGMSG_PATH_MAX];
	yajl_val	 arr;
	size_t		 i;

	if (sigmsg_get_array(c, obj, "relays", "relays", 1, 0,
	    SIGMSG_RELAYS_MAX, &arr) == -1)
		return -1;
	for (i = 0; i < arr->u.array.len; i++) {
		sigmsg_index(path, "relays.relays", i);
		if (sigmsg_parse_relay(c, arr->u.array.values[i], path,
		    &rl->relays[i]) == -1)
			return -1;
	}
	rl->nrelays = arr->u.array.len;
	if (sigmsg_get_names(c, obj, "relays", "connected",
	    SIGMSG_RELAYS_MAX, rl->connected, &rl->nconnected) == -1)
		return -1;
	return sigmsg_get_names(c, obj, "relays", "disconnected",
	    SIGMSG_RELAYS_MAX, rl->disconnected, &rl->ndisconnected);
}

static int
sigmsg_parse_signal(struct sigmsg_ctx *c, yajl_val obj,
    struct sigmsg_signal *sg)
{
	uint8_t		 box[SIGMSG_BOX_DECODE_MAX];
	yajl_val	 v;
	const char	*s;
	size_t		 len, boxlen;
	int		 present;

	if (sigmsg_get_key(c, obj, "signal", "from", 0, sg->from,
	    &sg->has_from) == -1 ||
	    sigmsg_get_key(c, obj, "signal", "to", 1, sg->to, &present) == -1 ||
	    sigmsg_member(c, obj, "signal", "box", 1, &v) == -1)
		return -1;
	if ((s = YAJL_GET_STRING(v)) == NULL)
		return sigmsg_fail(c, "signal.box: not a string");
	if (*s == '\0')
		return sigmsg_fail(c, "signal.box: empty");
	len = strlen(s);
	if (len > SIGMSG_BOX_B64MAX)
		return sigmsg_fail(c, "signal.box: larger than %d bytes",
		    SIGMSG_BOX_MAX);
	/* libsodium reports a full buffer like bad base64: decode roomier. */
	if (sodium_base642bin(box, sizeof(box), s, len, NULL, &boxlen, NULL,
	    sodium_base64_VARIANT_ORIGINAL) != 0)
		return sigmsg_fail(c, "signal.box: not base64");
	if (boxlen > SIGMSG_BOX_MAX)
		return sigmsg_fail(c, "signal.box: larger than %d bytes",
		    SIGMSG_BOX_MAX);
	memcpy(sg->box, box, boxlen);
	sg->boxlen = boxlen;
	return 0;
}

static int
sigmsg_parse_error(struct sigmsg_ctx *c, yajl_val obj,
    struct sigmsg_error *e)
{
	if (sigmsg_get_str(c, obj, "error", "code", 1, SIGMSG_STR_NAME,
	    e->code, sizeof(e->code)) == -1)
		return -1;
	return sigmsg_get_str(c, obj, "error", "message", 1, SIGMSG_STR_TEXT,
	    e->message, sizeof(e->message));
}

static int
sigmsg_parse_seq(struct sigmsg_ctx *c, yajl_val obj, const char *path,
    uint32_t *seq)
{
	long long	 v;

	if (sigmsg_get_int(c, obj, path, "seq", 1, 0, SIGMSG_SEQ_MAX,
	    &v) == -1)
		return -1;
	*seq = v;
	return 0;
}

int
sigmsg_parse(const char *json, size_t len, struct sigmsg *out, char *err,
    size_t errlen)
{
	struct sigmsg_ctx	 c = { err, errlen };
	yajl_val		 root;
	size_t			 kind = 0;
	int			 rv = -1;

	memset(out, 0, sizeof(*out));
	if (sigmsg_root(&c, json, len, SIGMSG_MAX, sigmsg_types,
	    SIGMSG_NTYPES, &root, &kind) == -1)
		goto done;
	out->type = kind;

	switch (out->type) {
	case SIGMSG_HELLO:
		rv = sigmsg_parse_hello(&c, root, &out->u.hello);
		break;
	case SIGMSG_NETMAP:
		rv = sigmsg_parse_netmap(&c, root, &out->u.netmap);
		break;
	case SIGMSG_RELAYS:
		rv = sigmsg_parse_relays(&c, root, &out->u.relays);
		break;
	case SIGMSG_SIGNAL:
		rv = sigmsg_parse_signal(&c, root, &out->u.signal);
		break;
	case SIGMSG_ERROR:
		rv = sigmsg_parse_error(&c, root, &out->u.error);
		break;
	case SIGMSG_PING:
	case SIGMSG_PONG:
		rv = sigmsg_parse_seq(&c, root, sigmsg_types[out->type],
		    &out->u.seq);
		break;
	}
 done:
	if (root != NULL)
		yajl_tree_free(root);
	if (rv == -1)
		sigmsg_free(out);
	return rv;
}

void
sigmsg_free(struct sigmsg *m)
{
	if (m->type == SIGMSG_NETMAP)
		free(m->u.netmap.peers);
	/* Relay passwords and signal boxes do not linger. */
	sodium_memzero(m, sizeof(*m));
}

const char *
sigmsg_type_name(enum sigmsg_type type)
{
	if (type == 0 || (size_t)type >= SIGMSG_NTYPES)
		return NULL;
	return sigmsg_types[type];
}

static void
sigmsg_gen_kv_key(struct sigmsg_gen *gen, const char *key,
    const uint8_t k[KEY_LEN])
{
	char	 b64[KEY_B64LEN];

	key_to_b64(k, b64);
	sigmsg_gen_kv_str(gen, key, b64);
}

static void
sigmsg_gen_kv_sig(struct sigmsg_gen *gen, const char *key,
    const uint8_t sig[NMSIGN_SIG_LEN])
{
	char	 b64[NMSIGN_SIG_B64LEN];

	nmsign_sig_to_b64(sig, b64);
	sigmsg_gen_kv_str(gen, key, b64);
}

static void
sigmsg_gen_kv_gen(struct sigmsg_gen *gen, const char *key, uint64_t g)
{
	char	 hex[SIGMSG_GEN_LEN + 1];

	snprintf(hex, sizeof(hex), "%0*llx", SIGMSG_GEN_LEN,
	    (unsigned long long)g);
	sigmsg_gen_kv_str(gen, key, hex);
}

static void
sigmsg_gen_names(struct sigmsg_gen *gen, const char *key,
    const char (*names)[SIGMSG_NAME_MAX], size_t n)
{
	size_t	 i;

	sigmsg_gen_str(gen, key);
	sigmsg_gen_status(gen, yajl_gen_array_open(gen->g));
	for (i = 0; i < n; i++)
		sigmsg_gen_str(gen, names[i]);
	sigmsg_gen_status(gen, yajl_gen_array_close(gen->g));
}

static void
sigmsg_gen_tokens(struct sigmsg_gen *gen, const char *key,
    const struct sigmsg_token *tokens, size_t ntokens, uint32_t bits)
{
	size_t	 i;

	sigmsg_gen_str(gen, key);
	sigmsg_gen_status(gen, yajl_gen_array_open(gen->g));
	for (i = 0; i < ntokens; i++)
		if (bits & tokens[i].bit)
			sigmsg_gen_str(gen, tokens[i].name);
	sigmsg_gen_status(gen, yajl_gen_array_close(gen->g));
}

static void
sigmsg_gen_prefixes(struct sigmsg_gen *gen, const char *key,
    const struct tern_prefix *p, size_t n)
{
	char	 buf[PREFIX_STRLEN];
	size_t	 i;

	sigmsg_gen_str(gen, key);
	sigmsg_gen_status(gen, yajl_gen_array_open(gen->g));
	for (i = 0; i < n; i++)
		sigmsg_gen_str(gen, prefix_str(&p[i], buf, sizeof(buf)));
	sigmsg_gen_status(gen, yajl_gen_array_close(gen->g));
}

static void
sigmsg_gen_peer(struct sigmsg_gen *gen, const struct sigmsg_peer *p)
{
	sigmsg_gen_status(gen, yajl_gen_map_open(gen->g));
	sigmsg_gen_kv_str(gen, "name", p->name);
	sigmsg_gen_kv_key(gen, "node_key", p->node_key);
	sigmsg_gen_kv_key(gen, "wg_key", p->wg_key);
	sigmsg_gen_prefixes(gen, "addresses", p->addrs, p->naddrs);
	sigmsg_gen_prefixes(gen, "allowed_ips", p->allowed, p->nallowed);
	sigmsg_gen_names(gen, "groups", p->groups, p->ngroups);
	sigmsg_gen_tokens(gen, "flags", sigmsg_flags, SIGMSG_NFLAGS,
	    p->flags);
	sigmsg_gen_kv_str(gen, "version", p->version);
	if (p->has_sig) {
		sigmsg_gen_kv_int(gen, "serial", p->serial);
		sigmsg_gen_kv_int(gen, "expires", p->expires);
		sigmsg_gen_kv_sig(gen, "sig", p->sig);
	}
	if (p->has_lock)
		sigmsg_gen_kv_sig(gen, "lock_sig", p->lock_sig);
	sigmsg_gen_status(gen, yajl_gen_map_close(gen->g));
}

static void
sigmsg_gen_netmap(struct sigmsg_gen *gen, const struct sigmsg_netmap *nm)
{
	size_t	 i;

	sigmsg_gen_str(gen, "self");
	sigmsg_gen_peer(gen, &nm->self);
	sigmsg_gen_str(gen, "peers");
	sigmsg_gen_status(gen, yajl_gen_array_open(gen->g));
	for (i = 0; i < nm->npeers; i++)
		sigmsg_gen_peer(gen, &nm->peers[i]);
	sigmsg_gen_status(gen, yajl_gen_array_close(gen->g));
	sigmsg_gen_str(gen, "features");
	sigmsg_gen_status(gen, yajl_gen_map_open(gen->g));
	sigmsg_gen_str(gen, "lazy_connections");
	sigmsg_gen_status(gen, yajl_gen_bool(gen->g, nm->lazy));
	if (nm->inactivity != 0)
		sigmsg_gen_kv_int(gen, "inactivity_threshold", nm->inactivity);
	sigmsg_gen_status(gen, yajl_gen_map_close(gen->g));
}

static void
sigmsg_gen_relays(struct sigmsg_gen *gen, const struct sigmsg_relays *rl)
{
	const struct sigmsg_relay	*r;
	size_t				 i;

	sigmsg_gen_str(gen, "relays");
	sigmsg_gen_status(gen, yajl_gen_array_open(gen->g));
	for (i = 0; i < rl->nrelays; i++) {
		r = &rl->relays[i];
		sigmsg_gen_status(gen, yajl_gen_map_open(gen->g));
		sigmsg_gen_kv_str(gen, "id", r->id);
		sigmsg_gen_kv_str(gen, "address", r->address);
		sigmsg_gen_kv_str(gen, "username", r->username);
		sigmsg_gen_kv_str(gen, "password", r->password);
		sigmsg_gen_kv_str(gen, "realm", r->realm);
		sigmsg_gen_kv_int(gen, "expires", r->expires);
		if (r->generation != 0)
			sigmsg_gen_kv_gen(gen, "generation", r->generation);
		sigmsg_gen_status(gen, yajl_gen_map_close(gen->g));
	}
	sigmsg_gen_status(gen, yajl_gen_array_close(gen->g));
	sigmsg_gen_names(gen, "connected", rl->connected, rl->nconnected);
	sigmsg_gen_names(gen, "disconnected", rl->disconnected,
	    rl->ndisconnected);
}

static void
sigmsg_gen_signal(struct sigmsg_gen *gen, const struct sigmsg_signal *sg)
{
	char	 b64[SIGMSG_BOX_B64MAX + 1];

	if (sg->has_from)
		sigmsg_gen_kv_key(gen, "from", sg->from);
	sigmsg_gen_kv_key(gen, "to", sg->to);
	sodium_bin2base64(b64, sizeof(b64), sg->box, sg->boxlen,
	    sodium_base64_VARIANT_ORIGINAL);
	sigmsg_gen_kv_str(gen, "box", b64);
}

char *
sigmsg_encode(const struct sigmsg *m, size_t *len)
{
	struct sigmsg_gen	 gen;
	const char		*type;

	if ((type = sigmsg_type_name(m->type)) == NULL)
		return NULL;
	if (sigmsg_gen_open(&gen, type) == -1)
		return NULL;
	switch (m->type) {
	case SIGMSG_HELLO:
		sigmsg_gen_kv_int(&gen, "version", m->u.hello.version);
		sigmsg_gen_tokens(&gen, "features", sigmsg_features,
		    SIGMSG_NFEATURES, m->u.hello.features);
		if (m->u.hello.software[0] != '\0')
			sigmsg_gen_kv_str(&gen, "software",
			    m->u.hello.software);
		/* An agent's hello stays as it was before relays had one. */
		if (m->u.hello.role == SIGMSG_ROLE_RELAY)
			sigmsg_gen_kv_str(&gen, "role", "relay");
		if (m->u.hello.generation != 0)
			sigmsg_gen_kv_gen(&gen, "generation",
			    m->u.hello.generation);
		break;
	case SIGMSG_NETMAP:
		sigmsg_gen_netmap(&gen, &m->u.netmap);
		break;
	case SIGMSG_RELAYS:
		sigmsg_gen_relays(&gen, &m->u.relays);
		break;
	case SIGMSG_SIGNAL:
		sigmsg_gen_signal(&gen, &m->u.signal);
		break;
	case SIGMSG_ERROR:
		sigmsg_gen_kv_str(&gen, "code", m->u.error.code);
		sigmsg_gen_kv_str(&gen, "message", m->u.error.message);
		break;
	case SIGMSG_PING:
	case SIGMSG_PONG:
		sigmsg_gen_kv_int(&gen, "seq", m->u.seq);
		break;
	}
	return sigmsg_gen_close(&gen, len);
}

/* A netmap peer as the signed entry that carries it to ternd's parent. */
void
sigmsg_peer_entry(const struct sigmsg_peer *p, struct nm_entry *e)
{
	memset(e, 0, sizeof(*e));
	memcpy(e->node_key, p->node_key, KEY_LEN);
	memcpy(e->wg_key, p->wg_key, KEY_LEN);
	memcpy(e->addrs, p->addrs, p->naddrs * sizeof(p->addrs[0]));
	e->naddrs = p->naddrs;
	memcpy(e->allowed, p->allowed, p->nallowed * sizeof(p->allowed[0]));
	e->nallowed = p->nallowed;
	e->flags = p->flags;
	e->serial = p->serial;
	e->expires = p->expires;
	memcpy(e->sig, p->sig, sizeof(e->sig));
	e->has_lock = p->has_lock;
	memcpy(e->lock_sig, p->lock_sig, sizeof(e->lock_sig));
}
