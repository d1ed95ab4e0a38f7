/*
 * ternd parent: reads ternd.conf (also for "ternd -n").  The lexer, file
 * stack and macros are lib/conflex.c's, shared with tern-signal.conf.
 */

%{
#include <sys/queue.h>
#include <sys/stat.h>
#include <sys/tree.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conflex.h"
#include "hostport.h"
#include "log.h"
#include "parent.h"
#include "regfile.h"
#include "ternd.h"

/* Statements that may be given once. */
#define SEEN_IFNAME		0x01
#define SEEN_MTU		0x02
#define SEEN_PORT		0x04
#define SEEN_PEERPORT		0x08
#define SEEN_WIREGUARD		0x10
#define SEEN_KEYS		0x20
#define SEEN_ACCEPT		0x40
#define SEEN_SIGNAL		0x80
#define SEEN_LAZY		0x100
#define SEEN_INACTIVITY		0x200
#define SEEN_LOCK		0x400
#define SEEN_TLSCA		0x800

/* Options of a relay line, each given once. */
#define RELAY_SEEN_USERNAME	0x01
#define RELAY_SEEN_PASSWORD	0x02	/* password or password-file */
#define RELAY_SEEN_SECRET	0x04	/* secret or secret-file */
#define RELAY_SEEN_REALM	0x08

/* A credential file holds the value and may end in "\n" or "\r\n". */
#define RELAY_CREDFILE_EOL_MAX	2

/* Peer options that may be given once. */
#define PEER_SEEN_KEY		0x01
#define PEER_SEEN_ENDPOINT	0x02
#define PEER_SEEN_KEEPALIVE	0x04

/* Parse-time view of a peer: where it was defined, and lookup trees. */
struct peer_rec {
	RB_ENTRY(peer_rec)	 name_node;
	RB_ENTRY(peer_rec)	 key_node;
	RB_ENTRY(peer_rec)	 ep_node;
	TAILQ_ENTRY(peer_rec)	 entry;
	struct peer_conf	*peer;
	struct conflex_loc	 loc;
	int			 seen;
};
TAILQ_HEAD(peer_rec_list, peer_rec);
RB_HEAD(parse_name_tree, peer_rec);
RB_HEAD(parse_key_tree, peer_rec);
RB_HEAD(parse_ep_tree, peer_rec);

struct allowed_rec {
	RB_ENTRY(allowed_rec)	 node;
	struct tern_prefix	 prefix;
	struct peer_rec		*owner;
};
RB_HEAD(parse_allowed_tree, allowed_rec);

/* Parse-time index of the exclude lines, for duplicates. */
struct exclude_rec {
	RB_ENTRY(exclude_rec)	 node;
	struct exclude_conf	*ex;
};
RB_HEAD(parse_exclude_tree, exclude_rec);

typedef struct conflex_value YYSTYPE;
#define YYSTYPE_IS_DECLARED	1

int		 yyparse(void);
int		 yylex(void);
int		 yyerror(const char *, ...)
		    __attribute__((__format__ (printf, 1, 2)));

static void	 conf_ifname(const char *);
static void	 conf_address(const char *);
static void	 conf_port(long long, uint16_t *, const char *, int);
static void	 conf_accept(const char *);
static void	 conf_signal(const char *, const char *);
static void	 conf_lock(const char *);
static int	 seen_once(int, const char *);
static void	 conf_lazy(const char *);
static void	 conf_inactivity(const char *);
static void	 conf_exclude(const char *);
static void	 relay_begin(const char *);
static void	 relay_end(void);
static int	 relay_seen(int, const char *);
static int	 relay_text_ok(const char *, const char *, size_t, size_t);
static void	 relay_cred(int, const char *, const char *, char *, size_t);
static void	 relay_cred_file(int, const char *, const char *, char *,
		    size_t);
static int	 relay_cred_read(const char *, const char *, char *, size_t,
		    size_t *);
static void	 peer_begin(const char *);
static void	 peer_end(void);
static void	 peer_key(const char *);
static void	 peer_allowed(const char *);
static void	 peer_endpoint(const char *);
static void	 peer_keepalive(long long);
static void	 conf_finish(void);
static void	 parse_reset(void);
static int	 peer_name_cmp(struct peer_rec *, struct peer_rec *);
static int	 peer_key_cmp(struct peer_rec *, struct peer_rec *);
static int	 peer_ep_cmp(struct peer_rec *, struct peer_rec *);
static int	 allowed_cmp(struct allowed_rec *, struct allowed_rec *);
static int	 exclude_cmp(struct exclude_rec *, struct exclude_rec *);

RB_PROTOTYPE(parse_name_tree, peer_rec, name_node, peer_name_cmp)
RB_PROTOTYPE(parse_key_tree, peer_rec, key_node, peer_key_cmp)
RB_PROTOTYPE(parse_ep_tree, peer_rec, ep_node, peer_ep_cmp)
RB_PROTOTYPE(parse_allowed_tree, allowed_rec, node, allowed_cmp)
RB_PROTOTYPE(parse_exclude_tree, exclude_rec, node, exclude_cmp)

static struct peer_rec_list	 peer_recs =
    TAILQ_HEAD_INITIALIZER(peer_recs);
static struct parse_name_tree	 peer_names = RB_INITIALIZER(&peer_names);
static struct parse_key_tree	 peer_keys = RB_INITIALIZER(&peer_keys);
static struct parse_ep_tree	 peer_eps = RB_INITIALIZER(&peer_eps);
static struct parse_allowed_tree allowed_ips =
    RB_INITIALIZER(&allowed_ips);
static struct parse_exclude_tree excludes = RB_INITIALIZER(&excludes);
static struct ternd_conf	*conf;
static struct peer_rec		*currec;	/* the open peer block */
static struct relay_entry	*currelay;	/* the relay line being read */
static struct relay_entry	 relay_refused;	/* its options, if refused */
static const char		*currelay_name;	/* its host:port as written */
static struct conflex_loc	 relayloc;
static int			 relayseen;	/* RELAY_SEEN_* */
static struct conflex_loc	 portloc;	/* last port statement */
static int			 seen;		/* SEEN_* */
%}

%token	ACCEPT ADDRESS ALLOWEDIPS ENDPOINT EXCLUDE INACTIVITY INCLUDE
%token	INTERFACE KEEPALIVE KEY KEYS LAZYCONN LISTEN MTU NETLOCK PEER PEERPORT
%token	PASSWORD PASSWORDFILE PORT
%token	PUBLICKEY REALM RELAY SECRET SECRETFILE SIGNAL TLSCA USERNAME USERSPACE
%token	WIREGUARD
%token	ERROR
%token	<v.string>	STRING
%token	<v.number>	NUMBER
%type	<v.string>	value
%destructor	{ free($$); } <v.string>
%%

/* An error skips to the end of its line; yyerrok reports the next one too. */
grammar		: /* empty */
		| grammar '\n'
		| grammar include '\n'
		| grammar varset '\n'
		| grammar main '\n'
		| grammar peer '\n'
		| grammar error '\n'		{ yyerrok; }
		;

include		: INCLUDE STRING		{
			conflex_include($2);
			free($2);
		}
		;

varset		: STRING '=' STRING		{
			conflex_macro_set($1, $3);
			free($1);
			free($3);
		}
		| STRING '=' NUMBER		{
			conflex_macro_set_number($1, $3);
			free($1);
		}
		;

/* Durations: a bare number or a word with a unit. */
value		: STRING			{ $$ = $1; }
		| NUMBER			{
			if (asprintf(&$$, "%lld", $1) == -1)
				fatal("%s", __func__);
		}
		;

main		: INTERFACE STRING		{
			conf_ifname($2);
			free($2);
		}
		| NETLOCK STRING		{
			conf_lock($2);
			free($2);
		}
		| ADDRESS STRING		{
			conf_address($2);
			free($2);
		}
		| MTU NUMBER			{
			if (seen & SEEN_MTU)
				yyerror("mtu given twice");
			else if ($2 < TERND_MTU_MIN || $2 > TERND_MTU_MAX)
				yyerror("mtu %lld out of range (%d-%d)", $2,
				    TERND_MTU_MIN, TERND_MTU_MAX);
			else
				conf->mtu = $2;
			seen |= SEEN_MTU;
		}
		| LISTEN PORT NUMBER		{
			conf_port($3, &conf->port, "listen port", SEEN_PORT);
		}
		| PEERPORT NUMBER		{
			conf_port($2, &conf->peerport, "peer-port",
			    SEEN_PEERPORT);
		}
		| WIREGUARD USERSPACE STRING	{
			if (seen & SEEN_WIREGUARD)
				yyerror("wireguard given twice");
			else if (conflex_path_set(conf->wg_path, $3,
			    "wireguard userspace") == 0)
				conf->wg_backend = WG_BACKEND_USERSPACE;
			seen |= SEEN_WIREGUARD;
			free($3);
		}
		| KEYS STRING			{
			if (seen & SEEN_KEYS)
				yyerror("keys given twice");
			else
				conflex_path_set(conf->keydir, $2, "keys");
			seen |= SEEN_KEYS;
			free($2);
		}
		| TLSCA STRING			{
			if (seen & SEEN_TLSCA)
				yyerror("tls-ca given twice");
			else
				conflex_path_set(conf->tls_ca, $2, "tls-ca");
			seen |= SEEN_TLSCA;
			free($2);
		}
		| ACCEPT STRING			{
			conf_accept($2);
			free($2);
		}
		| SIGNAL STRING KEY STRING	{
			conf_signal($2, $4);
			free($2);
			free($4);
		}
		| LAZYCONN STRING		{
			conf_lazy($2);
			free($2);
		}
		| INACTIVITY value		{
			conf_inactivity($2);
			free($2);
		}
		| EXCLUDE STRING		{
			conf_exclude($2);
			free($2);
		}
		| RELAY STRING			{
			relay_begin($2);
		} relayopts_l			{
			relay_end();
			free($2);
		}
		;

relayopts_l	: /* empty */
		| relayopts_l relayopts
		;

relayopts	: USERNAME STRING		{
			relay_cred(RELAY_SEEN_USERNAME, "username", $2,
			    currelay->boot.username,
			    sizeof(currelay->boot.username));
			free($2);
		}
		| PASSWORD STRING		{
			relay_cred(RELAY_SEEN_PASSWORD, "password", $2,
			    currelay->boot.password,
			    sizeof(currelay->boot.password));
			free($2);
		}
		| PASSWORDFILE STRING		{
			relay_cred_file(RELAY_SEEN_PASSWORD, "password", $2,
			    currelay->boot.password,
			    sizeof(currelay->boot.password));
			free($2);
		}
		| SECRET STRING			{
			relay_cred(RELAY_SEEN_SECRET, "secret", $2,
			    currelay->boot.secret,
			    sizeof(currelay->boot.secret));
			free($2);
		}
		| SECRETFILE STRING		{
			relay_cred_file(RELAY_SEEN_SECRET, "secret", $2,
			    currelay->boot.secret,
			    sizeof(currelay->boot.secret));
			free($2);
		}
		| REALM STRING			{
			relay_cred(RELAY_SEEN_REALM, "realm", $2,
			    currelay->boot.realm,
			    sizeof(currelay->boot.realm));
			free($2);
		}
		;

peer		: PEER STRING			{
			peer_begin($2);
		} '{' peeropts_l '}'		{
			peer_end();
			free($2);
		}
		;

peeropts_l	: /* empty */
		| peeropts_l '\n'
		| peeropts_l peeropts '\n'
		| peeropts_l error '\n'	{ yyerrok; }
		;

peeropts	: PUBLICKEY STRING		{
			peer_key($2);
			free($2);
		}
		| ALLOWEDIPS allowed_l
		| ENDPOINT STRING		{
			peer_endpoint($2);
			free($2);
		}
		| KEEPALIVE NUMBER		{
			peer_keepalive($2);
		}
		;

allowed_l	: allowed
		| allowed_l ',' allowed
		;

allowed		: STRING			{
			peer_allowed($1);
			free($1);
		}
		;

%%

static const struct conflex_keyword keywords[] = {
	/* Sorted by strcmp for bsearch. */
	{ "accept",			ACCEPT },
	{ "address",			ADDRESS },
	{ "allowed-ips",		ALLOWEDIPS },
	{ "endpoint",			ENDPOINT },
	{ "exclude",			EXCLUDE },
	{ "inactivity-threshold",	INACTIVITY },
	{ "include",			INCLUDE },
	{ "interface",			INTERFACE },
	{ "key",			KEY },
	{ "keys",			KEYS },
	{ "lazy-connections",		LAZYCONN },
	{ "listen",			LISTEN },
	{ "mtu",			MTU },
	{ "network-lock",		NETLOCK },
	{ "password",			PASSWORD },
	{ "password-file",		PASSWORDFILE },
	{ "peer",			PEER },
	{ "peer-port",			PEERPORT },
	{ "persistent-keepalive",	KEEPALIVE },
	{ "port",			PORT },
	{ "public-key",			PUBLICKEY },
	{ "realm",			REALM },
	{ "relay",			RELAY },
	{ "secret",			SECRET },
	{ "secret-file",		SECRETFILE },
	{ "signal",			SIGNAL },
	{ "tls-ca",			TLSCA },
	{ "username",			USERNAME },
	{ "userspace",			USERSPACE },
	{ "wireguard",			WIREGUARD },
};

static const struct conflex_grammar grammar = {
	keywords, sizeof(keywords) / sizeof(keywords[0]), STRING, NUMBER, ERROR
};

int
yyerror(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	conflex_verror(fmt, ap);
	va_end(ap);
	return 0;
}

int
yylex(void)
{
	return conflex_lex(&yylval);
}

static void
conf_ifname(const char *name)
{
	if (seen & SEEN_IFNAME)
		yyerror("interface given twice");
	else if (conflex_name_ok(name, sizeof(conf->ifname), "interface") == 0)
		strlcpy(conf->ifname, name, sizeof(conf->ifname));
	seen |= SEEN_IFNAME;
}

static void
conf_address(const char *s)
{
	char			 a[PREFIX_STRLEN];
	const char		*errstr;
	struct tern_prefix	 p, q;
	size_t			 i;

	if (prefix_parse(s, &p, &errstr) == -1) {
		yyerror("address \"%s\": %s", s, errstr);
		return;
	}
	/* The same address with another length is still the same address. */
	for (i = 0; i < conf->naddrs; i++) {
		q = conf->addrs[i];
		q.plen = p.plen;
		if (prefix_cmp(&p, &q) == 0) {
			yyerror("duplicate address %s",
			    prefix_str(&p, a, sizeof(a)));
			return;
		}
	}
	if (conf->naddrs >= TERN_ADDRS_MAX) {
		yyerror("too many addresses (at most %d)", TERN_ADDRS_MAX);
		return;
	}
	conf->addrs[conf->naddrs++] = p;
}

static void
conf_port(long long v, uint16_t *port, const char *what, int flag)
{
	if (seen & flag)
		yyerror("%s given twice", what);
	else if (v < 1 || v > UINT16_MAX)
		yyerror("%s %lld out of range (1-%d)", what, v, UINT16_MAX);
	else {
		*port = v;
		conflex_here(&portloc);
	}
	seen |= flag;
}

static void
conf_accept(const char *s)
{
	struct tern_prefix	 p;

	seen |= SEEN_ACCEPT;
	if (conflex_prefix_take(s, "", "accept", &p) == -1)
		return;
	if (conf->naccept >= TERN_ACCEPT_MAX) {
		yyerror("too many accept prefixes (at most %d)",
		    TERN_ACCEPT_MAX);
		return;
	}
	conf->accept[conf->naccept++] = p;
}

/* The server is resolved when ternd connects; here its text is checked. */
static void
conf_signal(const char *hostport, const char *key)
{
	if (seen & SEEN_SIGNAL) {
		yyerror("signal given twice");
		return;
	}
	seen |= SEEN_SIGNAL;
	if (conflex_signal(hostport, key, conf->signal_host,
	    sizeof(conf->signal_host), conf->signal_key) == 0)
		conf->has_signal = 1;
}

/* The administrator's key: netmap peers must carry its signature too. */
static void
conf_lock(const char *b64)
{
	if (seen_once(SEEN_LOCK, "network-lock") == -1)
		return;
	if (key_from_b64(b64, conf->lock_key) == -1 ||
	    !nmsign_pk_ok(conf->lock_key)) {
		yyerror("network-lock: not a lock key (ternctl lock keygen "
		    "prints it)");
		return;
	}
	conf->has_lock = 1;
}

static int
seen_once(int flag, const char *what)
{
	if (seen & flag) {
		yyerror("%s given twice", what);
		return -1;
	}
	seen |= flag;
	return 0;
}

static void
conf_lazy(const char *s)
{
	if (seen_once(SEEN_LAZY, "lazy-connections") == -1)
		return;
	if (strcmp(s, "yes") == 0)
		conf->lazy = 1;
	else if (strcmp(s, "no") == 0)
		conf->lazy = 0;
	else
		yyerror("lazy-connections \"%s\": expected yes or no", s);
}

static void
conf_inactivity(const char *s)
{
	char	 err[LAZYCONF_ERR_MAX];

	if (seen_once(SEEN_INACTIVITY, "inactivity-threshold") == -1)
		return;
	if (lazyconf_duration("inactivity-threshold", s, &conf->inactivity,
	    err, sizeof(err)) == -1)
		yyerror("%s", err);
}

/* Names may be of netmap peers: they are checked only for syntax. */
static void
conf_exclude(const char *name)
{
	struct exclude_conf	 key;
	struct exclude_rec	 find, *rec;

	if (conflex_name_ok(name, TERN_NAME_MAX, "exclude") == -1)
		return;
	strlcpy(key.name, name, sizeof(key.name));
	find.ex = &key;
	if (RB_FIND(parse_exclude_tree, &excludes, &find) != NULL) {
		yyerror("exclude \"%s\" given twice", name);
		return;
	}
	if (conf->nexcludes >= TERN_EXCLUDE_MAX) {
		yyerror("too many exclude lines (at most %d)",
		    TERN_EXCLUDE_MAX);
		return;
	}
	if ((rec = calloc(1, sizeof(*rec))) == NULL ||
	    (rec->ex = calloc(1, sizeof(*rec->ex))) == NULL)
		fatal("%s", __func__);
	strlcpy(rec->ex->name, name, sizeof(rec->ex->name));
	RB_INSERT(parse_exclude_tree, &excludes, rec);
	TAILQ_INSERT_TAIL(&conf->excludes, rec->ex, entry);
	conf->nexcludes++;
}

/* A relay line: its address now, its credentials as they come. */
static void
relay_begin(const char *hostport)
{
	char	 err[CTL_MSG_MAX + TERN_HOST_MAX];

	conflex_here(&relayloc);
	currelay_name = hostport;
	relayseen = 0;
	explicit_bzero(&relay_refused, sizeof(relay_refused));
	if (conf_relay_add(&conf->relays, "relay", hostport, err,
	    sizeof(err)) == -1) {
		yyerror("%s", err);
		currelay = &relay_refused;
	} else
		currelay = &conf->relays.r[conf->relays.n - 1];
}

/* Checks that need the whole line. */
static void
relay_end(void)
{
	int	 lt = relayseen & (RELAY_SEEN_USERNAME | RELAY_SEEN_PASSWORD);

	if ((relayseen & RELAY_SEEN_SECRET) && lt != 0)
		conflex_err(&relayloc, "relay \"%s\": secret and username or "
		    "password exclude each other", currelay_name);
	else if (lt == RELAY_SEEN_USERNAME)
		conflex_err(&relayloc, "relay \"%s\": username without "
		    "password", currelay_name);
	else if (lt == RELAY_SEEN_PASSWORD)
		conflex_err(&relayloc, "relay \"%s\": password without "
		    "username", currelay_name);
	else if (relayseen == RELAY_SEEN_REALM)
		conflex_err(&relayloc, "relay \"%s\": realm without "
		    "credentials", currelay_name);
	explicit_bzero(&relay_refused, sizeof(relay_refused));
	currelay = NULL;
	currelay_name = NULL;
}

static int
relay_seen(int flag, const char *what)
{
	if (relayseen & flag) {
		yyerror("relay \"%s\": %s given twice", currelay_name, what);
		return -1;
	}
	relayseen |= flag;
	return 0;
}

/*
 * Credentials and realm, n bytes of s: printable ASCII, which the
 * OpaqueString profile of the long-term key (RFC 8489 section 9.2.2)
 * leaves as it is and "ternd -n" prints.  No message shows the value.
 */
static int
relay_text_ok(const char *what, const char *s, size_t n, size_t len)
{
	size_t	 i;

	if (n == 0) {
		yyerror("relay \"%s\": %s is empty", currelay_name, what);
		return -1;
	}
	if (n >= len) {
		yyerror("relay \"%s\": %s is too long (at most %zu "
		    "characters)", currelay_name, what, len - 1);
		return -1;
	}
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < ' ' || (unsigned char)s[i] > '~') {
			yyerror("relay \"%s\": %s is not printable ASCII",
			    currelay_name, what);
			return -1;
		}
	return 0;
}

static void
relay_cred(int flag, const char *what, const char *s, char *dst, size_t len)
{
	if (relay_seen(flag, what) == 0 &&
	    relay_text_ok(what, s, strlen(s), len) == 0)
		strlcpy(dst, s, len);
}

/* password-file, secret-file: the value from a file only root reads. */
static void
relay_cred_file(int flag, const char *what, const char *path, char *dst,
    size_t len)
{
	char	 label[sizeof("password-file \"\"") + PATH_MAX];
	char	 buf[TERN_TURN_SECRET_MAX + RELAY_CREDFILE_EOL_MAX];
	size_t	 n;

	if (relay_seen(flag, what) == -1)
		return;
	if (path[0] != '/') {
		yyerror("relay \"%s\": %s-file \"%s\": path must be absolute",
		    currelay_name, what, path);
		return;
	}
	if (strlcpy(currelay->credfile, path, sizeof(currelay->credfile)) >=
	    sizeof(currelay->credfile)) {
		yyerror("relay \"%s\": %s-file: path too long (at most %zu "
		    "characters)", currelay_name, what,
		    sizeof(currelay->credfile) - 1);
		return;
	}
	snprintf(label, sizeof(label), "%s-file \"%s\"", what, path);
	/* The longest value, then its line end; buf holds one byte more. */
	if (relay_cred_read(label, path, buf,
	    len - 1 + RELAY_CREDFILE_EOL_MAX, &n) == 0 &&
	    relay_text_ok(label, buf, n, len) == 0) {
		memcpy(dst, buf, n);
		dst[n] = '\0';
	}
	explicit_bzero(buf, sizeof(buf));
}

/*
 * Reads at most max bytes of path into buf without its line end, their
 * number to *np; one more byte makes the value too long for the caller.
 * The file must be ours (root's) and closed to group and others, as
 * ssh demands of its keys: anyone else could read or change the secret.
 */
static int
relay_cred_read(const char *label, const char *path, char *buf, size_t max,
    size_t *np)
{
	struct stat	 st;
	const char	*errstr;
	ssize_t		 r;
	size_t		 n = 0;
	int		 fd;

	if ((fd = regfile_open(path, O_NOFOLLOW, &st, &errstr)) == -1) {
		yyerror("relay \"%s\": %s: %s", currelay_name, label, errstr);
		return -1;
	}
	if (st.st_uid != geteuid()) {
		yyerror("relay \"%s\": %s: owned by uid %u, want uid %u",
		    currelay_name, label, (unsigned int)st.st_uid,
		    (unsigned int)geteuid());
		close(fd);
		return -1;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		yyerror("relay \"%s\": %s: mode %04o is too open, want 0600",
		    currelay_name, label, (unsigned int)(st.st_mode & 07777));
		close(fd);
		return -1;
	}
	while (n <= max && (r = read(fd, buf + n, max + 1 - n)) != 0) {
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			yyerror("relay \"%s\": %s: %s", currelay_name, label,
			    strerror(errno));
			close(fd);
			return -1;
		}
		n += r;
	}
	close(fd);
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	*np = n;
	return 0;
}

/*
 * Appends one bootstrap relay, without credentials, checked as the
 * signal server is; what names the setting in errors ("relay",
 * "--relay").
 */
int
conf_relay_add(struct relay_conf *rc, const char *what, const char *hostport,
    char *err, size_t errlen)
{
	char		 host[HOSTPORT_HOST_MAX];
	const char	*errstr;
	uint16_t	 port;
	size_t		 i;

	if (strlen(hostport) >= sizeof(rc->r[0].boot.addr)) {
		snprintf(err, errlen, "%s: host:port too long (at most %zu "
		    "characters)", what, sizeof(rc->r[0].boot.addr) - 1);
		return -1;
	}
	if (hostport_parse(hostport, host, &port, &errstr) == -1) {
		snprintf(err, errlen, "%s \"%s\": %s", what, hostport, errstr);
		return -1;
	}
	for (i = 0; i < rc->n; i++)
		if (relaysel_same(rc->r[i].boot.addr, hostport)) {
			snprintf(err, errlen, "%s \"%s\": same relay as \"%s\"",
			    what, hostport, rc->r[i].boot.addr);
			return -1;
		}
	if (rc->n >= RELAYSEL_BOOTSTRAP_MAX) {
		snprintf(err, errlen, "too many relays (at most %d)",
		    RELAYSEL_BOOTSTRAP_MAX);
		return -1;
	}
	memset(&rc->r[rc->n], 0, sizeof(rc->r[0]));
	strlcpy(rc->r[rc->n++].boot.addr, hostport,
	    sizeof(rc->r[0].boot.addr));
	return 0;
}

/* --relay's comma-separated list, appended to rc; "" adds none. */
int
conf_relay_list(struct relay_conf *rc, const char *list, char *err,
    size_t errlen)
{
	char		*copy, *p, *item;
	int		 rv = 0;

	if (*list == '\0')
		return 0;
	if ((copy = strdup(list)) == NULL)
		fatal("%s", __func__);
	p = copy;
	while ((item = strsep(&p, ",")) != NULL) {
		if (*item == '\0') {
			snprintf(err, errlen, "--relay \"%s\": empty entry",
			    list);
			rv = -1;
			break;
		}
		if ((rv = conf_relay_add(rc, "--relay", item, err,
		    errlen)) == -1)
			break;
	}
	free(copy);
	return rv;
}

static void
peer_begin(const char *name)
{
	struct peer_rec	*rec;

	currec = NULL;
	if (conf->npeers >= TERN_PEERS_MAX) {
		yyerror("too many peers (at most %d)", TERN_PEERS_MAX);
		return;
	}
	if ((rec = calloc(1, sizeof(*rec))) == NULL ||
	    (rec->peer = calloc(1, sizeof(*rec->peer))) == NULL)
		fatal("%s", __func__);
	conflex_here(&rec->loc);
	strlcpy(rec->peer->name, name, sizeof(rec->peer->name));
	TAILQ_INSERT_TAIL(&conf->peers, rec->peer, entry);
	conf->npeers++;
	TAILQ_INSERT_TAIL(&peer_recs, rec, entry);
	currec = rec;

	if (conflex_name_ok(name, TERN_NAME_MAX, "peer") == -1)
		return;
	if (RB_INSERT(parse_name_tree, &peer_names, rec) != NULL)
		yyerror("duplicate peer \"%s\"", name);
}

static void
peer_end(void)
{
	if (currec != NULL && !(currec->seen & PEER_SEEN_KEY))
		conflex_err(&currec->loc, "peer \"%s\": no public-key",
		    currec->peer->name);
	currec = NULL;
}

static void
peer_key(const char *s)
{
	struct peer_rec	*dup;

	if (currec == NULL)
		return;
	if (currec->seen & PEER_SEEN_KEY) {
		yyerror("peer \"%s\": public-key given twice",
		    currec->peer->name);
		return;
	}
	currec->seen |= PEER_SEEN_KEY;
	if (key_from_b64(s, currec->peer->wgkey) == -1) {
		yyerror("peer \"%s\": public-key is not base64 of %d bytes",
		    currec->peer->name, KEY_LEN);
		return;
	}
	if ((dup = RB_INSERT(parse_key_tree, &peer_keys, currec)) != NULL)
		yyerror("peer \"%s\": public-key already used by peer \"%s\"",
		    currec->peer->name, dup->peer->name);
}

static void
peer_allowed(const char *s)
{
	char			 a[PREFIX_STRLEN];
	char			 who[sizeof("peer \"\": ") + TERN_NAME_MAX];
	struct peer_conf	*peer;
	struct allowed_rec	*ar, *dup;
	struct tern_prefix	 p;

	if (currec == NULL)
		return;
	peer = currec->peer;
	snprintf(who, sizeof(who), "peer \"%s\": ", peer->name);
	if (conflex_prefix_take(s, who, "allowed-ips", &p) == -1)
		return;
	if (peer->nallowed >= TERN_ALLOWED_MAX) {
		yyerror("peer \"%s\": too many allowed-ips (at most %d)",
		    peer->name, TERN_ALLOWED_MAX);
		return;
	}
	if ((ar = calloc(1, sizeof(*ar))) == NULL)
		fatal("%s", __func__);
	ar->prefix = p;
	ar->owner = currec;
	/* WireGuard gives an allowed IP to one peer only: the last one. */
	if ((dup = RB_INSERT(parse_allowed_tree, &allowed_ips, ar)) != NULL) {
		if (dup->owner == currec)
			yyerror("peer \"%s\": allowed-ips %s given twice",
			    peer->name, prefix_str(&p, a, sizeof(a)));
		else
			yyerror("peer \"%s\": allowed-ips %s already used by "
			    "peer \"%s\"", peer->name,
			    prefix_str(&p, a, sizeof(a)),
			    dup->owner->peer->name);
		free(ar);
		return;
	}
	peer->allowed[peer->nallowed++] = p;
}

static void
peer_endpoint(const char *s)
{
	char			 a[ADDR_STRLEN];
	const char		*errstr;
	struct peer_conf	*peer;
	struct peer_rec		*dup;

	if (currec == NULL)
		return;
	peer = currec->peer;
	if (currec->seen & PEER_SEEN_ENDPOINT) {
		yyerror("peer \"%s\": endpoint given twice", peer->name);
		return;
	}
	currec->seen |= PEER_SEEN_ENDPOINT;
	if (endpoint_parse(s, &peer->endpoint, &errstr) == -1) {
		yyerror("peer \"%s\": endpoint \"%s\": %s", peer->name, s,
		    errstr);
		return;
	}
	if ((dup = RB_INSERT(parse_ep_tree, &peer_eps, currec)) != NULL) {
		yyerror("peer \"%s\": endpoint %s already used by peer \"%s\"",
		    peer->name, sockaddr_str((struct sockaddr *)&peer->endpoint,
		    a, sizeof(a)), dup->peer->name);
		return;
	}
	peer->has_endpoint = 1;
	strlcpy(peer->endpoint_str, s, sizeof(peer->endpoint_str));
}

static void
peer_keepalive(long long v)
{
	if (currec == NULL)
		return;
	if (currec->seen & PEER_SEEN_KEEPALIVE)
		yyerror("peer \"%s\": persistent-keepalive given twice",
		    currec->peer->name);
	else if (v < 1 || v > UINT16_MAX)
		yyerror("peer \"%s\": persistent-keepalive %lld out of range "
		    "(1-%d)", currec->peer->name, v, UINT16_MAX);
	else
		currec->peer->keepalive = v;
	currec->seen |= PEER_SEEN_KEEPALIVE;
}

/* Checks that need the whole file. */
static void
conf_finish(void)
{
	char			 a[PREFIX_STRLEN];
	struct conflex_loc	 top = { conflex_topfile(), 0 };
	struct peer_rec		*rec;
	struct peer_conf	*peer;
	struct tern_prefix	 net;
	size_t			 i, j;

	if (conf->naddrs == 0)
		conflex_err(&top, "no interface address configured");
	if (conf->port == conf->peerport)
		conflex_err(portloc.file != NULL ? &portloc : &top,
		    "listen port and peer-port are both %u", conf->port);
	if (conf->has_lock && !conf->has_signal)
		conflex_err(&top, "network-lock without a signal line: it "
		    "guards the signal server's peers");

	/* Without accept lines a peer may route only inside our networks. */
	if (!(seen & SEEN_ACCEPT)) {
		for (i = 0; i < conf->naddrs; i++) {
			conflex_prefix_network(&conf->addrs[i], &net);
			for (j = 0; j < conf->naccept; j++)
				if (prefix_cmp(&conf->accept[j], &net) == 0)
					break;
			if (j == conf->naccept)
				conf->accept[conf->naccept++] = net;
		}
	}

	TAILQ_FOREACH(rec, &peer_recs, entry) {
		peer = rec->peer;
		for (i = 0; i < peer->nallowed; i++) {
			for (j = 0; j < conf->naccept; j++)
				if (prefix_contains(&conf->accept[j],
				    &peer->allowed[i]))
					break;
			if (j < conf->naccept)
				continue;
			conflex_err(&rec->loc, "peer \"%s\": allowed-ips %s is "
			    "outside every accept prefix", peer->name,
			    prefix_str(&peer->allowed[i], a, sizeof(a)));
		}
	}
}

/* Frees the parse-time records; also readies the next parse. */
static void
parse_reset(void)
{
	struct peer_rec		*rec;
	struct allowed_rec	*ar;
	struct exclude_rec	*er;

	while ((ar = RB_MIN(parse_allowed_tree, &allowed_ips)) != NULL) {
		RB_REMOVE(parse_allowed_tree, &allowed_ips, ar);
		free(ar);
	}
	while ((er = RB_MIN(parse_exclude_tree, &excludes)) != NULL) {
		RB_REMOVE(parse_exclude_tree, &excludes, er);
		free(er);
	}
	while ((rec = TAILQ_FIRST(&peer_recs)) != NULL) {
		TAILQ_REMOVE(&peer_recs, rec, entry);
		free(rec);
	}
	RB_INIT(&peer_names);
	RB_INIT(&peer_keys);
	RB_INIT(&peer_eps);
	currec = NULL;
	/* A syntax error skips relay_end. */
	explicit_bzero(&relay_refused, sizeof(relay_refused));
	currelay = NULL;
	currelay_name = NULL;
	memset(&portloc, 0, sizeof(portloc));
	seen = 0;
}

struct ternd_conf *
parse_config(const char *filename)
{
	struct ternd_conf	*xconf;
	int			 errors;

	if ((conf = conf_new()) == NULL) {
		log_warn("%s", __func__);
		return NULL;
	}
	if (conflex_open(filename, &grammar) == -1) {
		conf_free(conf);
		conf = NULL;
		return NULL;
	}

	yyparse();
	conf_finish();
	parse_reset();
	errors = conflex_close();

	xconf = conf;
	conf = NULL;
	if (errors) {
		conf_free(xconf);
		return NULL;
	}
	return xconf;
}

struct ternd_conf *
conf_new(void)
{
	struct ternd_conf	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	strlcpy(c->ifname, TERND_IFNAME_DEFAULT, sizeof(c->ifname));
	c->mtu = TERND_MTU_DEFAULT;
	c->port = TERND_PORT_DEFAULT;
	c->peerport = TERND_PEERPORT_DEFAULT;
	c->wg_backend = WG_BACKEND_USERSPACE;
	strlcpy(c->wg_path, TERND_WGGO, sizeof(c->wg_path));
	strlcpy(c->keydir, TERND_KEYDIR, sizeof(c->keydir));
	strlcpy(c->tls_ca, TERND_TLS_CA, sizeof(c->tls_ca));
	TAILQ_INIT(&c->peers);
	c->lazy = -1;
	c->inactivity = 0;
	TAILQ_INIT(&c->excludes);
	return c;
}

void
conf_free(struct ternd_conf *c)
{
	struct peer_conf	*p;
	struct exclude_conf	*ex;

	if (c == NULL)
		return;
	while ((p = TAILQ_FIRST(&c->peers)) != NULL) {
		TAILQ_REMOVE(&c->peers, p, entry);
		free(p);
	}
	while ((ex = TAILQ_FIRST(&c->excludes)) != NULL) {
		TAILQ_REMOVE(&c->excludes, ex, entry);
		free(ex);
	}
	explicit_bzero(&c->relays, sizeof(c->relays));
	free(c);
}

struct peer_conf *
conf_peer_find(struct ternd_conf *c, const char *name)
{
	struct peer_conf	*p;

	TAILQ_FOREACH(p, &c->peers, entry)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

static int
peer_name_cmp(struct peer_rec *a, struct peer_rec *b)
{
	return strcmp(a->peer->name, b->peer->name);
}

static int
peer_key_cmp(struct peer_rec *a, struct peer_rec *b)
{
	return memcmp(a->peer->wgkey, b->peer->wgkey, KEY_LEN);
}

static int
peer_ep_cmp(struct peer_rec *a, struct peer_rec *b)
{
	return sockaddr_cmp((struct sockaddr *)&a->peer->endpoint,
	    (struct sockaddr *)&b->peer->endpoint);
}

static int
allowed_cmp(struct allowed_rec *a, struct allowed_rec *b)
{
	return prefix_cmp(&a->prefix, &b->prefix);
}

static int
exclude_cmp(struct exclude_rec *a, struct exclude_rec *b)
{
	return strcmp(a->ex->name, b->ex->name);
}

RB_GENERATE(parse_name_tree, peer_rec, name_node, peer_name_cmp)
RB_GENERATE(parse_key_tree, peer_rec, key_node, peer_key_cmp)
RB_GENERATE(parse_ep_tree, peer_rec, ep_node, peer_ep_cmp)
RB_GENERATE(parse_allowed_tree, allowed_rec, node, allowed_cmp)
RB_GENERATE(parse_exclude_tree, exclude_rec, node, exclude_cmp)
