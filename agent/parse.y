/*
 * ternd parent: reads ternd.conf (also for "ternd -n").  The lexer and
 * file stack follow OpenBSD's ntpd and bgpd; errors are reported as
 * FILE:LINE and parsing goes on, so one run shows every mistake.
 */

%{
#include <sys/queue.h>
#include <sys/stat.h>
#include <sys/tree.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "ternd.h"

#define PARSE_STRING_MAX	8192	/* one word or quoted string */
#define PARSE_MSG_MAX		1024	/* log.c's line length */
#define PARSE_INCLUDE_MAX	16	/* include depth; stops a loop */
#define PARSE_MACROS_MAX	1024	/* distinct macro names */
#define PARSE_MACRO_NAME_MAX	64	/* macro name, with NUL */
#define PARSE_UNGET_INIT	16	/* first size of a pushback buffer */

/* Markers around a macro value in the pushback buffer: no nested $. */
#define START_EXPAND		1
#define DONE_EXPAND		2

/* Statements that may be given once. */
#define SEEN_IFNAME		0x01
#define SEEN_MTU		0x02
#define SEEN_PORT		0x04
#define SEEN_PEERPORT		0x08
#define SEEN_WIREGUARD		0x10
#define SEEN_KEYS		0x20
#define SEEN_ACCEPT		0x40

/* Peer options that may be given once. */
#define PEER_SEEN_KEY		0x01
#define PEER_SEEN_ENDPOINT	0x02
#define PEER_SEEN_KEEPALIVE	0x04

/* Files stay allocated until the end so error locations can name them. */
struct file {
	TAILQ_ENTRY(file)	 entry;
	struct file		*parent;
	FILE			*stream;
	char			*name;
	int			 lineno;
	int			 depth;
	int			 eof_reached;
	int			*ungetbuf;
	size_t			 ungetpos;
	size_t			 ungetsize;
};
TAILQ_HEAD(file_list, file);

struct conf_loc {
	const char		*file;
	int			 line;
};

struct sym {
	TAILQ_ENTRY(sym)	 entry;
	char			*name;
	char			*val;
};
TAILQ_HEAD(sym_list, sym);

/* Parse-time view of a peer: where it was defined, and lookup trees. */
struct peer_rec {
	RB_ENTRY(peer_rec)	 name_node;
	RB_ENTRY(peer_rec)	 key_node;
	RB_ENTRY(peer_rec)	 ep_node;
	TAILQ_ENTRY(peer_rec)	 entry;
	struct peer_conf	*peer;
	struct conf_loc		 loc;
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

struct keywords {
	const char		*k_name;
	int			 k_val;
};

typedef struct {
	union {
		long long	 number;
		char		*string;
	} v;
	int lineno;
} YYSTYPE;
#define YYSTYPE_IS_DECLARED	1

int		 yyparse(void);
int		 yylex(void);
int		 yyerror(const char *, ...)
		    __attribute__((__format__ (printf, 1, 2)));

static void	 conf_verr(const struct conf_loc *, const char *, va_list)
		    __attribute__((__format__ (printf, 2, 0)));
static void	 conf_err(const struct conf_loc *, const char *, ...)
		    __attribute__((__format__ (printf, 2, 3)));
static void	 loc_here(struct conf_loc *);
static int	 kw_cmp(const void *, const void *);
static int	 lookup(const char *);
static int	 igetc(void);
static int	 lgetc(int);
static void	 lungetc(int);
static int	 findeol(void);
static int	 expand_macro(void);
static struct file *pushfile(const char *, const char **);
static void	 popfile(void);
static void	 include_push(const char *);
static int	 macro_set(const char *, const char *);
static const char *macro_get(const char *);
static int	 name_ok(const char *, size_t, const char *);
static int	 path_set(char *, const char *, const char *);
static void	 prefix_network(const struct tern_prefix *,
		    struct tern_prefix *);
static int	 prefix_take(const char *, const char *, const char *,
		    struct tern_prefix *);
static void	 conf_ifname(const char *);
static void	 conf_address(const char *);
static void	 conf_port(long long, uint16_t *, const char *, int);
static void	 conf_accept(const char *);
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

RB_PROTOTYPE(parse_name_tree, peer_rec, name_node, peer_name_cmp)
RB_PROTOTYPE(parse_key_tree, peer_rec, key_node, peer_key_cmp)
RB_PROTOTYPE(parse_ep_tree, peer_rec, ep_node, peer_ep_cmp)
RB_PROTOTYPE(parse_allowed_tree, allowed_rec, node, allowed_cmp)

static struct file_list		 files = TAILQ_HEAD_INITIALIZER(files);
static struct file		*file, *topfile;
static struct sym_list		 syms = TAILQ_HEAD_INITIALIZER(syms);
static size_t			 nsyms;
static struct peer_rec_list	 peer_recs =
    TAILQ_HEAD_INITIALIZER(peer_recs);
static struct parse_name_tree	 peer_names = RB_INITIALIZER(&peer_names);
static struct parse_key_tree	 peer_keys = RB_INITIALIZER(&peer_keys);
static struct parse_ep_tree	 peer_eps = RB_INITIALIZER(&peer_eps);
static struct parse_allowed_tree allowed_ips =
    RB_INITIALIZER(&allowed_ips);
static struct ternd_conf	*conf;
static struct peer_rec		*currec;	/* the open peer block */
static struct conf_loc		 portloc;	/* last port statement */
static int			 seen;		/* SEEN_* */
static int			 errors;
static int			 expanding;
static int			 lexerror;	/* lexer reported it */
%}

%token	ACCEPT ADDRESS ALLOWEDIPS ENDPOINT INCLUDE INTERFACE KEEPALIVE
%token	KEYS LISTEN MTU PEER PEERPORT PORT PUBLICKEY USERSPACE WIREGUARD
%token	ERROR
%token	<v.string>	STRING
%token	<v.number>	NUMBER
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
			include_push($2);
			free($2);
		}
		;

varset		: STRING '=' STRING		{
			macro_set($1, $3);
			free($1);
			free($3);
		}
		| STRING '=' NUMBER		{
			char	 num[sizeof("-9223372036854775808")];

			snprintf(num, sizeof(num), "%lld", $3);
			macro_set($1, num);
			free($1);
		}
		;

main		: INTERFACE STRING		{
			conf_ifname($2);
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
			else if (path_set(conf->wg_path, $3,
			    "wireguard userspace") == 0)
				conf->wg_backend = WG_BACKEND_USERSPACE;
			seen |= SEEN_WIREGUARD;
			free($3);
		}
		| KEYS STRING			{
			if (seen & SEEN_KEYS)
				yyerror("keys given twice");
			else
				path_set(conf->keydir, $2, "keys");
			seen |= SEEN_KEYS;
			free($2);
		}
		| ACCEPT STRING			{
			conf_accept($2);
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

static void
conf_verr(const struct conf_loc *loc, const char *fmt, va_list ap)
{
	char	 msg[PARSE_MSG_MAX];

	errors++;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (loc->line > 0)
		log_warnx("%s:%d: %s", loc->file, loc->line, msg);
	else
		log_warnx("%s: %s", loc->file, msg);
}

static void
conf_err(const struct conf_loc *loc, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	conf_verr(loc, fmt, ap);
	va_end(ap);
}

/* The statement being reduced ends at the current token's line. */
static void
loc_here(struct conf_loc *loc)
{
	loc->file = file->name;
	loc->line = yylval.lineno;
}

int
yyerror(const char *fmt, ...)
{
	struct conf_loc	 loc;
	va_list		 ap;

	/* yacc's own message after a lexer error would only repeat it. */
	if (lexerror && strcmp(fmt, "syntax error") == 0)
		return 0;
	loc_here(&loc);
	va_start(ap, fmt);
	conf_verr(&loc, fmt, ap);
	va_end(ap);
	return 0;
}

static int
kw_cmp(const void *k, const void *e)
{
	return strcmp(k, ((const struct keywords *)e)->k_name);
}

static int
lookup(const char *s)
{
	/* Sorted by strcmp for bsearch. */
	static const struct keywords keywords[] = {
		{ "accept",			ACCEPT },
		{ "address",			ADDRESS },
		{ "allowed-ips",		ALLOWEDIPS },
		{ "endpoint",			ENDPOINT },
		{ "include",			INCLUDE },
		{ "interface",			INTERFACE },
		{ "keys",			KEYS },
		{ "listen",			LISTEN },
		{ "mtu",			MTU },
		{ "peer",			PEER },
		{ "peer-port",			PEERPORT },
		{ "persistent-keepalive",	KEEPALIVE },
		{ "port",			PORT },
		{ "public-key",			PUBLICKEY },
		{ "userspace",			USERSPACE },
		{ "wireguard",			WIREGUARD },
	};
	const struct keywords	*p;

	p = bsearch(s, keywords, sizeof(keywords) / sizeof(keywords[0]),
	    sizeof(keywords[0]), kw_cmp);
	return p != NULL ? p->k_val : STRING;
}

static int
igetc(void)
{
	int	 c;

	for (;;) {
		if (file->ungetpos > 0)
			c = file->ungetbuf[--file->ungetpos];
		else
			c = getc(file->stream);
		if (c == START_EXPAND)
			expanding = 1;
		else if (c == DONE_EXPAND)
			expanding = 0;
		else
			return c;
	}
}

static int
lgetc(int quotec)
{
	int	 c, next;

	if (quotec)
		return igetc();

	/* Backslash-newline continues the line. */
	while ((c = igetc()) == '\\') {
		next = igetc();
		if (next != '\n') {
			lungetc(next);
			break;
		}
		file->lineno++;
	}

	if (c == EOF) {
		/* A last line without newline still ends its statement. */
		if (!file->eof_reached) {
			file->eof_reached = 1;
			return '\n';
		}
		while (c == EOF) {
			if (file == topfile)
				return EOF;
			popfile();
			c = igetc();
		}
	}
	return c;
}

static void
lungetc(int c)
{
	int	*p;

	if (c == EOF)
		return;
	if (file->ungetpos >= file->ungetsize) {
		if ((p = reallocarray(file->ungetbuf, file->ungetsize, 2 *
		    sizeof(*p))) == NULL)
			fatal("%s", __func__);
		file->ungetbuf = p;
		file->ungetsize *= 2;
	}
	file->ungetbuf[file->ungetpos++] = c;
}

/* Skips the rest of a bad line; the newline ends the erroneous statement. */
static int
findeol(void)
{
	int	 c;

	while ((c = lgetc(0)) != '\n' && c != EOF)
		;
	lungetc(c);
	lexerror = 1;
	return ERROR;
}

static int
expand_macro(void)
{
	char		 name[PARSE_MACRO_NAME_MAX];
	const char	*val;
	size_t		 n = 0, i;
	int		 c;

	for (;;) {
		c = lgetc('$');
		if (c == EOF || !(isalnum(c) || c == '_'))
			break;
		if (n + 1 >= sizeof(name)) {
			yyerror("macro name too long (at most %zu characters)",
			    sizeof(name) - 1);
			return findeol();
		}
		name[n++] = c;
	}
	name[n] = '\0';
	lungetc(c);
	if ((val = macro_get(name)) == NULL) {
		yyerror("macro \"%s\" not defined", name);
		return findeol();
	}
	lungetc(DONE_EXPAND);
	for (i = strlen(val); i > 0; i--)
		lungetc((unsigned char)val[i - 1]);
	lungetc(START_EXPAND);
	return 0;
}

#define allowed_to_end_number(x) \
	(isspace(x) || (x) == ',' || (x) == '}' || (x) == '=' || (x) == '#')

/* Unlike bgpd, prefixes, paths and [v6]:port endpoints are single words. */
#define allowed_in_string(x) \
	(isalnum(x) || (ispunct(x) && (x) != '(' && (x) != ')' && \
	(x) != '{' && (x) != '}' && (x) != '<' && (x) != '>' && \
	(x) != '!' && (x) != '=' && (x) != '#' && (x) != ',' && \
	(x) != '"' && (x) != '\''))

int
yylex(void)
{
	char		 buf[PARSE_STRING_MAX];
	const char	*errstr;
	char		*p;
	int		 quotec, next, c, token;

	lexerror = 0;
top:
	p = buf;
	while ((c = lgetc(0)) == ' ' || c == '\t')
		;

	yylval.lineno = file->lineno;
	if (c == '#')
		while ((c = lgetc(0)) != '\n' && c != EOF)
			;
	if (c == '$' && !expanding) {
		if ((c = expand_macro()) != 0)
			return c;
		goto top;
	}

	switch (c) {
	case '\'':
	case '"':
		quotec = c;
		for (;;) {
			c = lgetc(quotec);
			if (c == EOF || c == '\n') {
				yyerror("unterminated quoted string");
				lungetc(c);
				lexerror = 1;
				return ERROR;
			}
			if (c == '\0') {
				yyerror("NUL character in quoted string");
				return findeol();
			}
			if (c == '\\') {
				next = lgetc(quotec);
				if (next == quotec || next == '\\' ||
				    next == ' ' || next == '\t')
					c = next;
				else if (next == '\n') {
					file->lineno++;
					continue;
				} else
					lungetc(next);
			} else if (c == quotec)
				break;
			if (p + 1 >= buf + sizeof(buf)) {
				yyerror("string too long (at most %zu "
				    "characters)", sizeof(buf) - 1);
				return findeol();
			}
			*p++ = c;
		}
		*p = '\0';
		if ((yylval.v.string = strdup(buf)) == NULL)
			fatal("%s", __func__);
		return STRING;
	}

	if (c == '-' || isdigit(c)) {
		do {
			*p++ = c;
			if (p >= buf + sizeof(buf)) {
				yyerror("string too long (at most %zu "
				    "characters)", sizeof(buf) - 1);
				return findeol();
			}
		} while ((c = lgetc(0)) != EOF && isdigit(c));
		lungetc(c);
		if (p == buf + 1 && buf[0] == '-')
			goto nodigits;
		if (c == EOF || allowed_to_end_number(c)) {
			*p = '\0';
			yylval.v.number = strtonum(buf, LLONG_MIN, LLONG_MAX,
			    &errstr);
			if (errstr != NULL) {
				yyerror("number %s is %s", buf, errstr);
				return findeol();
			}
			return NUMBER;
		}
nodigits:
		while (p > buf + 1)
			lungetc((unsigned char)*--p);
		c = (unsigned char)*--p;
		if (c == '-')
			return c;
	}

	if (isalnum(c) || c == ':' || c == '_' || c == '/' || c == '[') {
		do {
			if (c == '$' && !expanding) {
				if ((c = expand_macro()) != 0)
					return c;
				continue;
			}
			*p++ = c;
			if (p >= buf + sizeof(buf)) {
				yyerror("string too long (at most %zu "
				    "characters)", sizeof(buf) - 1);
				return findeol();
			}
		} while ((c = lgetc(0)) != EOF && allowed_in_string(c));
		lungetc(c);
		*p = '\0';
		if ((token = lookup(buf)) == STRING &&
		    (yylval.v.string = strdup(buf)) == NULL)
			fatal("%s", __func__);
		return token;
	}
	if (c == '\n') {
		yylval.lineno = file->lineno;
		/* The newline made up at end of file starts no new line. */
		if (!file->eof_reached)
			file->lineno++;
	}
	if (c == EOF)
		return 0;
	return c;
}

static struct file *
pushfile(const char *name, const char **errstr)
{
	struct file	*nfile;
	struct stat	 st;

	if ((nfile = calloc(1, sizeof(*nfile))) == NULL ||
	    (nfile->name = strdup(name)) == NULL ||
	    (nfile->ungetbuf = calloc(PARSE_UNGET_INIT,
	    sizeof(*nfile->ungetbuf))) == NULL)
		fatal("%s", __func__);
	nfile->ungetsize = PARSE_UNGET_INIT;
	if ((nfile->stream = fopen(name, "r")) == NULL ||
	    fstat(fileno(nfile->stream), &st) == -1) {
		*errstr = strerror(errno);
		goto fail;
	}
	/* A directory opens fine and reads as empty: refuse it. */
	if (!S_ISREG(st.st_mode)) {
		*errstr = "not a regular file";
		goto fail;
	}
	nfile->parent = file;
	nfile->depth = file != NULL ? file->depth + 1 : 0;
	/* An included file begins with the newline its include pushes. */
	nfile->lineno = file != NULL ? 0 : 1;
	TAILQ_INSERT_TAIL(&files, nfile, entry);
	return nfile;

fail:
	if (nfile->stream != NULL)
		fclose(nfile->stream);
	free(nfile->ungetbuf);
	free(nfile->name);
	free(nfile);
	return NULL;
}

static void
popfile(void)
{
	fclose(file->stream);
	file->stream = NULL;
	file = file->parent;
}

/* A relative include is found next to the file that includes it. */
static void
include_push(const char *name)
{
	char		 path[PATH_MAX];
	const char	*slash, *errstr;
	struct file	*nfile;
	int		 n;

	if (file->depth >= PARSE_INCLUDE_MAX) {
		yyerror("include \"%s\": nested too deeply (at most %d levels)",
		    name, PARSE_INCLUDE_MAX);
		return;
	}
	if (name[0] != '/' && (slash = strrchr(file->name, '/')) != NULL)
		n = snprintf(path, sizeof(path), "%.*s/%s",
		    (int)(slash - file->name), file->name, name);
	else
		n = snprintf(path, sizeof(path), "%s", name);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		yyerror("include: path too long (at most %zu characters)",
		    sizeof(path) - 1);
		return;
	}
	if ((nfile = pushfile(path, &errstr)) == NULL) {
		yyerror("include \"%s\": %s", path, errstr);
		return;
	}
	file = nfile;
	lungetc('\n');
}

static int
macro_set(const char *name, const char *val)
{
	struct sym	*sym;
	size_t		 i;

	if (strlen(name) >= PARSE_MACRO_NAME_MAX) {
		yyerror("macro name too long (at most %d characters)",
		    PARSE_MACRO_NAME_MAX - 1);
		return -1;
	}
	for (i = 0; name[i] != '\0'; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '_') {
			yyerror("invalid macro name \"%s\"", name);
			return -1;
		}
	TAILQ_FOREACH(sym, &syms, entry)
		if (strcmp(sym->name, name) == 0)
			break;
	if (sym == NULL) {
		if (nsyms >= PARSE_MACROS_MAX) {
			yyerror("too many macros (at most %d)",
			    PARSE_MACROS_MAX);
			return -1;
		}
		if ((sym = calloc(1, sizeof(*sym))) == NULL ||
		    (sym->name = strdup(name)) == NULL)
			fatal("%s", __func__);
		TAILQ_INSERT_TAIL(&syms, sym, entry);
		nsyms++;
	}
	free(sym->val);
	if ((sym->val = strdup(val)) == NULL)
		fatal("%s", __func__);
	return 0;
}

static const char *
macro_get(const char *name)
{
	struct sym	*sym;

	TAILQ_FOREACH(sym, &syms, entry)
		if (strcmp(sym->name, name) == 0)
			return sym->val;
	return NULL;
}

/* Interface and peer names: [A-Za-z0-9._-], not empty, not "." or "..". */
static int
name_ok(const char *s, size_t max, const char *what)
{
	size_t	 len = strlen(s);

	if (len >= max) {
		yyerror("%s \"%s\": name too long (at most %zu characters)",
		    what, s, max - 1);
		return -1;
	}
	if (len == 0 || strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789._-") != len ||
	    strcmp(s, ".") == 0 || strcmp(s, "..") == 0) {
		yyerror("%s \"%s\": invalid name", what, s);
		return -1;
	}
	return 0;
}

static int
path_set(char *dst, const char *path, const char *what)
{
	if (path[0] != '/') {
		yyerror("%s \"%s\": path must be absolute", what, path);
		return -1;
	}
	if (strlen(path) >= PATH_MAX) {
		yyerror("%s: path too long (at most %d characters)", what,
		    PATH_MAX - 1);
		return -1;
	}
	strlcpy(dst, path, PATH_MAX);
	return 0;
}

/* The network of an address: p with its host bits cleared. */
static void
prefix_network(const struct tern_prefix *p, struct tern_prefix *net)
{
	uint8_t	*b = (uint8_t *)&net->a;
	size_t	 i;

	*net = *p;
	for (i = net->plen; i < sizeof(net->a) * 8; i++)
		b[i / 8] &= ~(0x80 >> (i % 8));
}

/* A prefix that must be a network address; messages start with who. */
static int
prefix_take(const char *s, const char *who, const char *what,
    struct tern_prefix *p)
{
	char			 a[PREFIX_STRLEN], net[PREFIX_STRLEN];
	const char		*errstr;
	struct tern_prefix	 n;

	if (prefix_parse(s, p, &errstr) == -1) {
		yyerror("%s%s \"%s\": %s", who, what, s, errstr);
		return -1;
	}
	if (!prefix_is_network(p)) {
		prefix_network(p, &n);
		yyerror("%s%s %s has host bits set (network is %s)", who, what,
		    prefix_str(p, a, sizeof(a)), prefix_str(&n, net,
		    sizeof(net)));
		return -1;
	}
	return 0;
}

static void
conf_ifname(const char *name)
{
	if (seen & SEEN_IFNAME)
		yyerror("interface given twice");
	else if (name_ok(name, sizeof(conf->ifname), "interface") == 0)
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
		loc_here(&portloc);
	}
	seen |= flag;
}

static void
conf_accept(const char *s)
{
	struct tern_prefix	 p;

	seen |= SEEN_ACCEPT;
	if (prefix_take(s, "", "accept", &p) == -1)
		return;
	if (conf->naccept >= TERN_ACCEPT_MAX) {
		yyerror("too many accept prefixes (at most %d)",
		    TERN_ACCEPT_MAX);
		return;
	}
	conf->accept[conf->naccept++] = p;
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
	loc_here(&rec->loc);
	strlcpy(rec->peer->name, name, sizeof(rec->peer->name));
	TAILQ_INSERT_TAIL(&conf->peers, rec->peer, entry);
	conf->npeers++;
	TAILQ_INSERT_TAIL(&peer_recs, rec, entry);
	currec = rec;

	if (name_ok(name, TERN_NAME_MAX, "peer") == -1)
		return;
	if (RB_INSERT(parse_name_tree, &peer_names, rec) != NULL)
		yyerror("duplicate peer \"%s\"", name);
}

static void
peer_end(void)
{
	if (currec != NULL && !(currec->seen & PEER_SEEN_KEY))
		conf_err(&currec->loc, "peer \"%s\": no public-key",
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
	if (prefix_take(s, who, "allowed-ips", &p) == -1)
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
	struct conf_loc		 top = { topfile->name, 0 };
	struct peer_rec		*rec;
	struct peer_conf	*peer;
	struct tern_prefix	 net;
	size_t			 i, j;

	if (conf->naddrs == 0)
		conf_err(&top, "no interface address configured");
	if (conf->port == conf->peerport)
		conf_err(portloc.file != NULL ? &portloc : &top,
		    "listen port and peer-port are both %u", conf->port);

	/* Without accept lines a peer may route only inside our networks. */
	if (!(seen & SEEN_ACCEPT)) {
		for (i = 0; i < conf->naddrs; i++) {
			prefix_network(&conf->addrs[i], &net);
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
			conf_err(&rec->loc, "peer \"%s\": allowed-ips %s is "
			    "outside every accept prefix", peer->name,
			    prefix_str(&peer->allowed[i], a, sizeof(a)));
		}
	}
}

/* Frees everything but the configuration; also readies the next parse. */
static void
parse_reset(void)
{
	struct file		*f;
	struct sym		*sym;
	struct peer_rec		*rec;
	struct allowed_rec	*ar;

	while ((f = TAILQ_FIRST(&files)) != NULL) {
		TAILQ_REMOVE(&files, f, entry);
		if (f->stream != NULL)
			fclose(f->stream);
		free(f->ungetbuf);
		free(f->name);
		free(f);
	}
	while ((sym = TAILQ_FIRST(&syms)) != NULL) {
		TAILQ_REMOVE(&syms, sym, entry);
		free(sym->name);
		free(sym->val);
		free(sym);
	}
	while ((ar = RB_MIN(parse_allowed_tree, &allowed_ips)) != NULL) {
		RB_REMOVE(parse_allowed_tree, &allowed_ips, ar);
		free(ar);
	}
	while ((rec = TAILQ_FIRST(&peer_recs)) != NULL) {
		TAILQ_REMOVE(&peer_recs, rec, entry);
		free(rec);
	}
	RB_INIT(&peer_names);
	RB_INIT(&peer_keys);
	RB_INIT(&peer_eps);
	file = topfile = NULL;
	currec = NULL;
	memset(&portloc, 0, sizeof(portloc));
	nsyms = 0;
	seen = 0;
	expanding = 0;
	lexerror = 0;
}

struct ternd_conf *
parse_config(const char *filename)
{
	struct ternd_conf	*xconf;
	const char		*errstr;

	if ((conf = conf_new()) == NULL) {
		log_warn("%s", __func__);
		return NULL;
	}
	errors = 0;
	if ((file = pushfile(filename, &errstr)) == NULL) {
		log_warnx("%s: %s", filename, errstr);
		conf_free(conf);
		conf = NULL;
		return NULL;
	}
	topfile = file;

	yyparse();
	conf_finish();
	parse_reset();

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
	TAILQ_INIT(&c->peers);
	return c;
}

void
conf_free(struct ternd_conf *c)
{
	struct peer_conf	*p;

	if (c == NULL)
		return;
	while ((p = TAILQ_FIRST(&c->peers)) != NULL) {
		TAILQ_REMOVE(&c->peers, p, entry);
		free(p);
	}
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

RB_GENERATE(parse_name_tree, peer_rec, name_node, peer_name_cmp)
RB_GENERATE(parse_key_tree, peer_rec, key_node, peer_key_cmp)
RB_GENERATE(parse_ep_tree, peer_rec, ep_node, peer_ep_cmp)
RB_GENERATE(parse_allowed_tree, allowed_rec, node, allowed_cmp)
