/*
 * Parsers of config files (ternd parent, tern-signal): the lexer, file
 * stack, include and macros of the parse.y grammars.  They follow OpenBSD's
 * ntpd and bgpd; errors are reported as FILE:LINE and parsing goes on, so
 * one run shows every mistake.
 */
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <vis.h>

#include "conflex.h"
#include "hostport.h"
#include "key.h"
#include "nmsign.h"
#include "log.h"
#include "regfile.h"

#define PARSE_STRING_MAX	8192	/* one word or quoted string */
#define PARSE_MSG_MAX		1024	/* log.c's line length */
/* strvis(3) writes at most four bytes for one, and a NUL. */
#define PARSE_VIS_MAX		(4 * PARSE_MSG_MAX + 1)
#define PARSE_VIS_FLAGS		(VIS_OCTAL | VIS_CSTYLE | VIS_TAB | VIS_NL)
#define PARSE_INCLUDE_MAX	16	/* include depth; stops a loop */
#define PARSE_MACROS_MAX	1024	/* distinct macro names */
#define PARSE_MACRO_NAME_MAX	64	/* macro name, with NUL */
#define PARSE_UNGET_INIT	16	/* first size of a pushback buffer */

/* Markers around a macro value in the pushback buffer: no nested $. */
#define START_EXPAND		1
#define DONE_EXPAND		2

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

struct sym {
	TAILQ_ENTRY(sym)	 entry;
	char			*name;
	char			*val;
};
TAILQ_HEAD(sym_list, sym);

static void	 conflex_log(const char *, ...)
		    __attribute__((__format__ (printf, 1, 2)));
static void	 conflex_verr(const struct conflex_loc *, const char *,
		    va_list) __attribute__((__format__ (printf, 2, 0)));
static int	 kw_cmp(const void *, const void *);
static int	 lookup(const char *);
static int	 igetc(void);
static int	 lgetc(int);
static void	 lungetc(int);
static int	 findeol(void);
static int	 expand_macro(void);
static struct file *pushfile(const char *, const char **);
static void	 popfile(void);
static const char *macro_get(const char *);

static const struct conflex_grammar *gram;
static struct file_list		 files = TAILQ_HEAD_INITIALIZER(files);
static struct file		*file, *topfile;
static struct sym_list		 syms = TAILQ_HEAD_INITIALIZER(syms);
static size_t			 nsyms;
static int			 tokline;	/* line of the last token */
static int			 errors;
static int			 expanding;
static int			 lexerror;	/* lexer reported it */
static int			 blockdepth;	/* '{' not yet closed */
static struct conflex_loc	 blockloc;	/* the outermost of them */
static int			 lasttok;	/* a character token, or 0 */
static int			 braceadj;	/* what it did to blockdepth */
static int			 recovering;	/* yacc skips to the newline */
static void			(*errfn)(const char *, void *);
static void			*errarg;

/*
 * Names and strings from a config reach the terminal or syslog of whoever
 * reads the error: control characters are written as vis(3) escapes so
 * that a file cannot move the cursor or hide a line.
 */
static void
conflex_log(const char *fmt, ...)
{
	char	 line[PARSE_MSG_MAX], safe[PARSE_VIS_MAX];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	strvis(safe, line, PARSE_VIS_FLAGS);
	log_warnx("%s", safe);
	if (errfn != NULL)
		errfn(safe, errarg);
}

/* A reload hands its errors to whoever asked for it, as well as the log. */
void
conflex_errors_to(void (*fn)(const char *, void *), void *arg)
{
	errfn = fn;
	errarg = arg;
}

static void
conflex_verr(const struct conflex_loc *loc, const char *fmt, va_list ap)
{
	char	 msg[PARSE_MSG_MAX];

	errors++;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (loc->line > 0)
		conflex_log("%s:%d: %s", loc->file, loc->line, msg);
	else
		conflex_log("%s: %s", loc->file, msg);
}

void
conflex_err(const struct conflex_loc *loc, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	conflex_verr(loc, fmt, ap);
	va_end(ap);
}

/* The statement being reduced ends at the current token's line. */
void
conflex_here(struct conflex_loc *loc)
{
	loc->file = file->name;
	loc->line = tokline;
}

const char *
conflex_topfile(void)
{
	return topfile->name;
}

void
conflex_verror(const char *fmt, va_list ap)
{
	struct conflex_loc	 loc;

	if (strcmp(fmt, "syntax error") == 0) {
		/* A refused newline is the one the recovery waits for. */
		if (lasttok != '\n')
			recovering = 1;
		/* A brace the grammar refused opened or closed no block. */
		blockdepth -= braceadj;
		braceadj = 0;
		/* yacc's own message after a lexer error would only repeat it. */
		if (lexerror)
			return;
	}
	conflex_here(&loc);
	conflex_verr(&loc, fmt, ap);
}

void
conflex_error(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	conflex_verror(fmt, ap);
	va_end(ap);
}

static int
kw_cmp(const void *k, const void *e)
{
	return strcmp(k, ((const struct conflex_keyword *)e)->k_name);
}

static int
lookup(const char *s)
{
	const struct conflex_keyword	*p;

	p = bsearch(s, gram->keywords, gram->nkeywords,
	    sizeof(gram->keywords[0]), kw_cmp);
	return p != NULL ? p->k_val : gram->string;
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
	return gram->error;
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
			conflex_error("macro name too long (at most %zu "
			    "characters)", sizeof(name) - 1);
			return findeol();
		}
		name[n++] = c;
	}
	name[n] = '\0';
	lungetc(c);
	if ((val = macro_get(name)) == NULL) {
		conflex_error("macro \"%s\" not defined", name);
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
conflex_lex(struct conflex_value *val)
{
	char		 buf[PARSE_STRING_MAX];
	const char	*errstr;
	char		*p;
	int		 quotec, next, c, token;

	lexerror = 0;
	lasttok = braceadj = 0;
top:
	p = buf;
	while ((c = lgetc(0)) == ' ' || c == '\t')
		;

	val->lineno = tokline = file->lineno;
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
				conflex_error("unterminated quoted string");
				lungetc(c);
				lexerror = 1;
				return gram->error;
			}
			if (c == '\0') {
				conflex_error("NUL character in quoted "
				    "string");
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
				conflex_error("string too long (at most %zu "
				    "characters)", sizeof(buf) - 1);
				return findeol();
			}
			*p++ = c;
		}
		*p = '\0';
		if ((val->v.string = strdup(buf)) == NULL)
			fatal("%s", __func__);
		return gram->string;
	}

	if (c == '-' || isdigit(c)) {
		do {
			*p++ = c;
			if (p >= buf + sizeof(buf)) {
				conflex_error("string too long (at most %zu "
				    "characters)", sizeof(buf) - 1);
				return findeol();
			}
		} while ((c = lgetc(0)) != EOF && isdigit(c));
		lungetc(c);
		if (p == buf + 1 && buf[0] == '-')
			goto nodigits;
		if (c == EOF || allowed_to_end_number(c)) {
			*p = '\0';
			val->v.number = strtonum(buf, LLONG_MIN, LLONG_MAX,
			    &errstr);
			if (errstr != NULL) {
				conflex_error("number %s is %s", buf, errstr);
				return findeol();
			}
			return gram->number;
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
				conflex_error("string too long (at most %zu "
				    "characters)", sizeof(buf) - 1);
				return findeol();
			}
		} while ((c = lgetc(0)) != EOF && allowed_in_string(c));
		lungetc(c);
		*p = '\0';
		if ((token = lookup(buf)) == gram->string &&
		    (val->v.string = strdup(buf)) == NULL)
			fatal("%s", __func__);
		return token;
	}
	if (c == '\n') {
		val->lineno = tokline = file->lineno;
		/* The newline made up at end of file starts no new line. */
		if (!file->eof_reached)
			file->lineno++;
	}
	/*
	 * Kept so a block left open is reported where it began.  After a
	 * syntax error the grammars drop every token up to the newline.
	 */
	lasttok = c;
	if (c == '\n')
		recovering = 0;
	else if (c == '{' && !recovering) {
		if (blockdepth == 0)
			conflex_here(&blockloc);
		braceadj = 1;
	} else if (c == '}' && !recovering && blockdepth > 0)
		braceadj = -1;
	blockdepth += braceadj;
	if (c == EOF) {
		if (blockdepth > 0) {
			conflex_err(&blockloc, "unclosed block opened here");
			blockdepth = 0;
			lexerror = 1;
		}
		return 0;
	}
	return c;
}

static struct file *
pushfile(const char *name, const char **errstr)
{
	struct file	*nfile;
	struct stat	 st;
	int		 fd;

	if ((nfile = calloc(1, sizeof(*nfile))) == NULL ||
	    (nfile->name = strdup(name)) == NULL ||
	    (nfile->ungetbuf = calloc(PARSE_UNGET_INIT,
	    sizeof(*nfile->ungetbuf))) == NULL)
		fatal("%s", __func__);
	nfile->ungetsize = PARSE_UNGET_INIT;
	/* A symlinked config is fine; a FIFO would block a reload. */
	if ((fd = regfile_open(name, 0, &st, errstr)) == -1)
		goto fail;
	if ((nfile->stream = fdopen(fd, "r")) == NULL) {
		*errstr = strerror(errno);
		close(fd);
		goto fail;
	}
	nfile->parent = file;
	nfile->depth = file != NULL ? file->depth + 1 : 0;
	/* An included file begins with the newline its include pushes. */
	nfile->lineno = file != NULL ? 0 : 1;
	TAILQ_INSERT_TAIL(&files, nfile, entry);
	return nfile;

fail:
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

int
conflex_open(const char *name, const struct conflex_grammar *g)
{
	const char	*errstr;

	errors = 0;
	gram = g;
	if ((file = pushfile(name, &errstr)) == NULL) {
		conflex_log("%s: %s", name, errstr);
		return -1;
	}
	topfile = file;
	return 0;
}

/* Frees every file and macro; also readies the next parse. */
int
conflex_close(void)
{
	struct file	*f;
	struct sym	*sym;

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
	file = topfile = NULL;
	gram = NULL;
	nsyms = 0;
	tokline = 0;
	expanding = 0;
	lexerror = 0;
	blockdepth = 0;
	lasttok = braceadj = 0;
	recovering = 0;
	return errors;
}

/* A relative include is found next to the file that includes it. */
void
conflex_include(const char *name)
{
	char		 path[PATH_MAX];
	const char	*slash, *errstr;
	struct file	*nfile;
	int		 n;

	if (file->depth >= PARSE_INCLUDE_MAX) {
		conflex_error("include \"%s\": nested too deeply (at most %d "
		    "levels)", name, PARSE_INCLUDE_MAX);
		return;
	}
	if (name[0] != '/' && (slash = strrchr(file->name, '/')) != NULL)
		n = snprintf(path, sizeof(path), "%.*s/%s",
		    (int)(slash - file->name), file->name, name);
	else
		n = snprintf(path, sizeof(path), "%s", name);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		conflex_error("include: path too long (at most %zu "
		    "characters)", sizeof(path) - 1);
		return;
	}
	if ((nfile = pushfile(path, &errstr)) == NULL) {
		conflex_error("include \"%s\": %s", path, errstr);
		return;
	}
	file = nfile;
	lungetc('\n');
}

void
conflex_macro_set(const char *name, const char *val)
{
	struct sym	*sym;
	size_t		 i;

	if (strlen(name) >= PARSE_MACRO_NAME_MAX) {
		conflex_error("macro name too long (at most %d characters)",
		    PARSE_MACRO_NAME_MAX - 1);
		return;
	}
	for (i = 0; name[i] != '\0'; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '_') {
			conflex_error("invalid macro name \"%s\"", name);
			return;
		}
	TAILQ_FOREACH(sym, &syms, entry)
		if (strcmp(sym->name, name) == 0)
			break;
	if (sym == NULL) {
		if (nsyms >= PARSE_MACROS_MAX) {
			conflex_error("too many macros (at most %d)",
			    PARSE_MACROS_MAX);
			return;
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
}

void
conflex_macro_set_number(const char *name, long long v)
{
	char	 num[sizeof("-9223372036854775808")];

	snprintf(num, sizeof(num), "%lld", v);
	conflex_macro_set(name, num);
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

/* The lexer reads \" and \\ inside a quoted string as " and \. */
void
conflex_print_quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* Interface, peer and group names: [A-Za-z0-9._-], not "." or "..". */
int
conflex_name_ok(const char *s, size_t max, const char *what)
{
	size_t	 len = strlen(s);

	if (len >= max) {
		conflex_error("%s \"%s\": name too long (at most %zu "
		    "characters)", what, s, max - 1);
		return -1;
	}
	if (len == 0 || strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789._-") != len ||
	    strcmp(s, ".") == 0 || strcmp(s, "..") == 0) {
		conflex_error("%s \"%s\": invalid name", what, s);
		return -1;
	}
	return 0;
}

/* dst has PATH_MAX bytes. */
int
conflex_path_set(char *dst, const char *path, const char *what)
{
	if (path[0] != '/') {
		conflex_error("%s \"%s\": path must be absolute", what, path);
		return -1;
	}
	if (strlen(path) >= PATH_MAX) {
		conflex_error("%s: path too long (at most %d characters)",
		    what, PATH_MAX - 1);
		return -1;
	}
	strlcpy(dst, path, PATH_MAX);
	return 0;
}

/*
 * "signal HOST:PORT key KEY" of ternd.conf and tern-relay.conf: the
 * server is resolved when it is used; here its text is checked.  The
 * text goes to dst, of dstlen bytes, the key (KEY_LEN bytes) to key.
 */
int
conflex_signal(const char *hostport, const char *b64, char *dst,
    size_t dstlen, uint8_t *key)
{
	char		 host[HOSTPORT_HOST_MAX];
	const char	*errstr;
	uint16_t	 port;

	if (strlen(hostport) >= dstlen) {
		conflex_error("signal: host:port too long (at most %zu "
		    "characters)", dstlen - 1);
		return -1;
	}
	if (hostport_parse(hostport, host, &port, &errstr) == -1) {
		conflex_error("signal \"%s\": %s", hostport, errstr);
		return -1;
	}
	if (key_from_b64(b64, key) == -1) {
		conflex_error("signal \"%s\": key is not base64 of %d bytes",
		    hostport, KEY_LEN);
		return -1;
	}
	if (!nmsign_pk_ok(key)) {
		conflex_error("signal \"%s\": key is not a tern-signal public "
		    "key (tern-signal -k prints it)", hostport);
		return -1;
	}
	strlcpy(dst, hostport, dstlen);
	return 0;
}

/* The network of an address: p with its host bits cleared. */
void
conflex_prefix_network(const struct tern_prefix *p, struct tern_prefix *net)
{
	uint8_t	*b = (uint8_t *)&net->a;
	size_t	 i;

	*net = *p;
	for (i = net->plen; i < sizeof(net->a) * 8; i++)
		b[i / 8] &= ~(0x80 >> (i % 8));
}

/* A prefix that must be a network address; messages start with who. */
int
conflex_prefix_take(const char *s, const char *who, const char *what,
    struct tern_prefix *p)
{
	char			 a[PREFIX_STRLEN], net[PREFIX_STRLEN];
	const char		*errstr;
	struct tern_prefix	 n;

	if (prefix_parse(s, p, &errstr) == -1) {
		conflex_error("%s%s \"%s\": %s", who, what, s, errstr);
		return -1;
	}
	if (!prefix_is_network(p)) {
		conflex_prefix_network(p, &n);
		conflex_error("%s%s %s has host bits set (network is %s)", who,
		    what, prefix_str(p, a, sizeof(a)), prefix_str(&n, net,
		    sizeof(net)));
		return -1;
	}
	return 0;
}

/* Reports a bad or repeated address and goes on with the next one. */
void
conflex_listen_add(const char *s, long long port, struct sockaddr_storage *list,
    size_t *n, size_t max)
{
	char			 a[ADDR_STRLEN];
	struct sockaddr_storage	 ss[2];
	struct sockaddr_in	*sin;
	struct sockaddr_in6	*sin6;
	struct tern_prefix	 p;
	const char		*errstr;
	size_t			 nss = 0, i, j;

	if (port < 1 || port > UINT16_MAX) {
		conflex_error("listen port %lld out of range (1-%d)", port,
		    UINT16_MAX);
		return;
	}
	memset(ss, 0, sizeof(ss));
	if (strcmp(s, CONFLEX_LISTEN_ALL) == 0) {
		sin = (struct sockaddr_in *)&ss[nss++];
		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_ANY);
		sin6 = (struct sockaddr_in6 *)&ss[nss++];
		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = in6addr_any;
	} else if (strchr(s, '/') != NULL ||
	    prefix_parse(s, &p, &errstr) == -1) {
		conflex_error("listen on \"%s\": not an IP address", s);
		return;
	} else if (p.af == AF_INET) {
		sin = (struct sockaddr_in *)&ss[nss++];
		sin->sin_family = AF_INET;
		sin->sin_addr = p.a.v4;
	} else {
		sin6 = (struct sockaddr_in6 *)&ss[nss++];
		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = p.a.v6;
	}
	for (i = 0; i < nss; i++) {
		if (ss[i].ss_family == AF_INET)
			((struct sockaddr_in *)&ss[i])->sin_port = htons(port);
		else
			((struct sockaddr_in6 *)&ss[i])->sin6_port =
			    htons(port);
		for (j = 0; j < *n; j++)
			if (sockaddr_cmp((struct sockaddr *)&ss[i],
			    (struct sockaddr *)&list[j]) == 0)
				break;
		if (j < *n) {
			conflex_error("listen on %s given twice", sockaddr_str(
			    (struct sockaddr *)&ss[i], a, sizeof(a)));
			continue;
		}
		if (*n >= max) {
			conflex_error("too many listen addresses (at most %zu)",
			    max);
			return;
		}
		list[(*n)++] = ss[i];
	}
}

/* The address bare, so that the lexer reads it back as one word. */
void
conflex_print_listen(FILE *f, const struct sockaddr_storage *ss,
    const char *suffix)
{
	char				 a[INET6_ADDRSTRLEN];
	const struct sockaddr_in	*sin;
	const struct sockaddr_in6	*sin6;

	if (ss->ss_family == AF_INET) {
		sin = (const struct sockaddr_in *)ss;
		inet_ntop(AF_INET, &sin->sin_addr, a, sizeof(a));
		fprintf(f, "listen on %s port %u%s\n", a, ntohs(sin->sin_port),
		    suffix);
	} else {
		sin6 = (const struct sockaddr_in6 *)ss;
		inet_ntop(AF_INET6, &sin6->sin6_addr, a, sizeof(a));
		fprintf(f, "listen on %s port %u%s\n", a,
		    ntohs(sin6->sin6_port), suffix);
	}
}

/* out has room for n addresses and at least two. */
size_t
conflex_listen_list(const struct sockaddr_storage *list, size_t n,
    uint16_t port, struct sockaddr_storage *out)
{
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&out[0];
	struct sockaddr_in	*sin = (struct sockaddr_in *)&out[1];
	size_t			 i;

	if (n > 0) {
		for (i = 0; i < n; i++)
			out[i] = list[i];
		return n;
	}
	memset(out, 0, 2 * sizeof(*out));
	sin6->sin6_family = AF_INET6;
	sin6->sin6_addr = in6addr_any;
	sin6->sin6_port = htons(port);
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_ANY);
	sin->sin_port = htons(port);
	return 2;
}

int
conflex_listen_changed(const struct sockaddr_storage *a, size_t na,
    const struct sockaddr_storage *b, size_t nb)
{
	size_t	 i;

	if (na != nb)
		return 1;
	for (i = 0; i < na; i++)
		if (sockaddr_cmp((const struct sockaddr *)&a[i],
		    (const struct sockaddr *)&b[i]) != 0)
			return 1;
	return 0;
}
