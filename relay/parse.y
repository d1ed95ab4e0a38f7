/*
 * tern-relay parent: reads tern-relay.conf, also for "tern-relay -n".
 * The lexer, file stack and macros are lib/conflex.c's, as for
 * tern-signal.conf.
 */

%{
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conflex.h"
#include "log.h"
#include "relay/relay.h"

/* Statements that may be given once. */
#define SEEN_REALM		0x01
#define SEEN_SECRET		0x02
#define SEEN_RATE		0x04
#define SEEN_TABLE		0x08

typedef struct conflex_value YYSTYPE;
#define YYSTYPE_IS_DECLARED	1

int		 yyparse(void);
int		 yylex(void);
int		 yyerror(const char *, ...)
		    __attribute__((__format__ (printf, 1, 2)));

static int	 seen_once(int, const char *);
static void	 conf_text(const char *, const char *, int, char *, size_t);
static void	 conf_rate(long long, long long);
static void	 conf_table(long long);

static struct relay_conf	*conf;
static int			 seen;		/* SEEN_* */
%}

%token	BURST INCLUDE LISTEN ON PORT RATELIMIT RATETABLE REALM SECRET
%token	ERROR
%token	<v.string>	STRING
%token	<v.number>	NUMBER
%type	<v.string>	listenaddr
%type	<v.number>	listenport burst
%destructor	{ free($$); } <v.string>
%%

/* An error skips to the end of its line; yyerrok reports the next one too. */
grammar		: /* empty */
		| grammar '\n'
		| grammar include '\n'
		| grammar varset '\n'
		| grammar main '\n'
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

listenaddr	: STRING			{ $$ = $1; }
		| '*'				{
			if (($$ = strdup(CONFLEX_LISTEN_ALL)) == NULL)
				fatal("%s", __func__);
		}
		;

listenport	: /* empty */			{ $$ = RELAY_PORT_DEFAULT; }
		| PORT NUMBER			{ $$ = $2; }
		;

/* -1: twice the rate. */
burst		: /* empty */			{ $$ = -1; }
		| BURST NUMBER			{ $$ = $2; }
		;

main		: LISTEN ON listenaddr listenport {
			conflex_listen_add($3, $4, conf->listen,
			    &conf->nlisten, RELAY_LISTEN_MAX);
			free($3);
		}
		| REALM STRING			{
			conf_text("realm", $2, SEEN_REALM, conf->realm,
			    sizeof(conf->realm));
			free($2);
		}
		| SECRET STRING			{
			conf_text("secret", $2, SEEN_SECRET, conf->secret,
			    sizeof(conf->secret));
			explicit_bzero($2, strlen($2));
			free($2);
		}
		| RATELIMIT NUMBER burst	{
			if (seen_once(SEEN_RATE, "rate-limit") == 0)
				conf_rate($2, $3);
		}
		| RATETABLE NUMBER		{
			if (seen_once(SEEN_TABLE, "rate-table-size") == 0)
				conf_table($2);
		}
		;

%%

static const struct conflex_keyword keywords[] = {
	/* Sorted by strcmp for bsearch. */
	{ "burst",			BURST },
	{ "include",			INCLUDE },
	{ "listen",			LISTEN },
	{ "on",				ON },
	{ "port",			PORT },
	{ "rate-limit",			RATELIMIT },
	{ "rate-table-size",		RATETABLE },
	{ "realm",			REALM },
	{ "secret",			SECRET },
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

/* Marks a once-only statement seen; -1 (and an error) the second time. */
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

/* Realm and secret: printable ASCII, as STUN text and printed configs. */
static void
conf_text(const char *what, const char *s, int flag, char *dst, size_t len)
{
	size_t	 i;

	if (seen_once(flag, what) == -1)
		return;
	if (s[0] == '\0') {
		yyerror("empty %s", what);
		return;
	}
	if (strlen(s) >= len) {
		yyerror("%s too long (at most %zu characters)", what, len - 1);
		return;
	}
	for (i = 0; s[i] != '\0'; i++)
		if (s[i] < ' ' || s[i] > '~') {
			yyerror("%s must be printable ASCII", what);
			return;
		}
	strlcpy(dst, s, len);
}

static void
conf_rate(long long rate, long long burst)
{
	if (rate < 1 || rate > RELAY_RATE_MAX) {
		yyerror("rate-limit %lld out of range (1-%d)", rate,
		    RELAY_RATE_MAX);
		return;
	}
	if (burst == -1)
		burst = 2 * rate;
	else if (burst < 1 || burst > 2LL * RELAY_RATE_MAX) {
		yyerror("burst %lld out of range (1-%d)", burst,
		    2 * RELAY_RATE_MAX);
		return;
	}
	conf->rate = rate;
	conf->burst = burst;
}

static void
conf_table(long long n)
{
	if (n < RELAY_TABLE_MIN || n > RELAY_TABLE_MAX)
		yyerror("rate-table-size %lld out of range (%d-%d)", n,
		    RELAY_TABLE_MIN, RELAY_TABLE_MAX);
	else
		conf->table_size = n;
}

struct relay_conf *
relay_parse_config(const char *filename)
{
	struct relay_conf	*xconf;
	int			 errors;

	if ((conf = relay_conf_new()) == NULL) {
		log_warn("%s", __func__);
		return NULL;
	}
	if (conflex_open(filename, &grammar) == -1) {
		relay_conf_free(conf);
		conf = NULL;
		return NULL;
	}
	yyparse();
	seen = 0;
	errors = conflex_close();

	xconf = conf;
	conf = NULL;
	if (errors) {
		relay_conf_free(xconf);
		return NULL;
	}
	return xconf;
}

struct relay_conf *
relay_conf_new(void)
{
	struct relay_conf	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->rate = RELAY_RATE_DEFAULT;
	c->burst = RELAY_BURST_DEFAULT;
	c->table_size = RELAY_TABLE_DEFAULT;
	return c;
}

void
relay_conf_free(struct relay_conf *c)
{
	if (c == NULL)
		return;
	explicit_bzero(c->secret, sizeof(c->secret));
	free(c);
}
