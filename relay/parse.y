/*
 * tern-relay parent: reads tern-relay.conf, also for "tern-relay -n".
 * The lexer, file stack and macros are lib/conflex.c's, as for
 * tern-signal.conf.
 */

%{
#include <sys/socket.h>
#include <netinet/in.h>

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conflex.h"
#include "log.h"
#include "relay/relay.h"

/* Statements that may be given once. */
#define SEEN_REALM		0x0001
#define SEEN_RATE		0x0004
#define SEEN_TABLE		0x0008
#define SEEN_CERT		0x0010
#define SEEN_KEY		0x0020
#define SEEN_PORTS		0x0040
#define SEEN_ALLOCS		0x0080
#define SEEN_ALLOCS_USER	0x0100
#define SEEN_ALLOCS_SRC		0x0200
#define SEEN_PERMS		0x0400
#define SEEN_CHANS		0x0800
#define SEEN_BPS		0x1000
#define SEEN_TOTAL_BPS		0x2000
#define SEEN_NONCE		0x4000
#define SEEN_AUTHFAIL		0x8000
#define SEEN_SERVERS		0x10000
#define SEEN_CONTROL		0x80000
#define SEEN_SIGNAL		0x20000
#define SEEN_SIGKEY		0x40000

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
static int	 conf_number(const char *, int, long long, long long,
		    long long);
static void	 conf_relay_address(const char *);
static void	 conf_peer_rule(const char *, int);
static void	 conf_secret(const char *);
static void	 conf_path(const char *, int, const char *, char *);

static struct relay_conf	*conf;
static int			 seen;		/* SEEN_* */
%}

%token	ALLOWPEER AUTHFAILRATE BANDWIDTH BURST DENYPEER INCLUDE KEY LISTEN
%token	MAXALLOCS MAXALLOCSSRC MAXALLOCSUSER MAXCHANS MAXPERMS NONCELIFE ON
%token	PORT RATELIMIT RATETABLE REALM RELAYADDR RELAYPORTS SECRET SERVERS
%token	CONTROLSOCK SIGNAL TLS TLSCERT TLSKEY TOTALBANDWIDTH
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
		| LISTEN ON listenaddr PORT NUMBER TLS {
			conflex_listen_add($3, $5, conf->tls_listen,
			    &conf->ntls, RELAY_LISTEN_MAX);
			free($3);
		}
		| LISTEN ON listenaddr TLS {
			conflex_listen_add($3, RELAY_TLS_PORT_DEFAULT,
			    conf->tls_listen, &conf->ntls, RELAY_LISTEN_MAX);
			free($3);
		}
		| TLSCERT STRING		{
			conf_path("tls-certificate", SEEN_CERT, $2,
			    conf->tls_cert);
			free($2);
		}
		| CONTROLSOCK STRING		{
			conf_path("control-socket", SEEN_CONTROL, $2,
			    conf->control);
			free($2);
		}
		| TLSKEY STRING			{
			conf_path("tls-key", SEEN_KEY, $2, conf->tls_key);
			free($2);
		}
		| RELAYADDR STRING		{
			conf_relay_address($2);
			free($2);
		}
		| RELAYPORTS NUMBER NUMBER	{
			if (seen_once(SEEN_PORTS, "relay-ports") == 0) {
				if ($2 < 1024 || $3 > 65535 || $2 > $3)
					yyerror("relay-ports %lld %lld: "
					    "expected 1024 <= low <= high "
					    "<= 65535", $2, $3);
				else {
					conf->lim.port_lo = $2;
					conf->lim.port_hi = $3;
				}
			}
		}
		| ALLOWPEER STRING		{
			conf_peer_rule($2, 1);
			free($2);
		}
		| DENYPEER STRING		{
			conf_peer_rule($2, 0);
			free($2);
		}
		| MAXALLOCS NUMBER		{
			if (conf_number("max-allocations", SEEN_ALLOCS, $2, 1,
			    RELAY_ALLOCS_MAX) == 0)
				conf->lim.allocs = $2;
		}
		| MAXALLOCSUSER NUMBER		{
			if (conf_number("max-allocations-per-user",
			    SEEN_ALLOCS_USER, $2, 1, RELAY_ALLOCS_MAX) == 0)
				conf->lim.allocs_user = $2;
		}
		| MAXALLOCSSRC NUMBER		{
			if (conf_number("max-allocations-per-source",
			    SEEN_ALLOCS_SRC, $2, 1, RELAY_ALLOCS_MAX) == 0)
				conf->lim.allocs_src = $2;
		}
		| MAXPERMS NUMBER		{
			if (conf_number("max-permissions", SEEN_PERMS, $2, 1,
			    RELAY_PERMS_MAX) == 0)
				conf->lim.perms = $2;
		}
		| MAXCHANS NUMBER		{
			if (conf_number("max-channels", SEEN_CHANS, $2, 1,
			    RELAY_CHANS_MAX) == 0)
				conf->lim.chans = $2;
		}
		| BANDWIDTH NUMBER		{
			if (conf_number("bandwidth", SEEN_BPS, $2,
			    RELAY_BPS_MIN, LLONG_MAX) == 0)
				conf->lim.bps = $2;
		}
		| TOTALBANDWIDTH NUMBER		{
			if (conf_number("total-bandwidth", SEEN_TOTAL_BPS, $2,
			    RELAY_BPS_MIN, LLONG_MAX) == 0)
				conf->lim.total_bps = $2;
		}
		| NONCELIFE NUMBER		{
			if (conf_number("nonce-lifetime", SEEN_NONCE, $2,
			    RELAY_NONCE_LIFETIME_MIN,
			    RELAY_NONCE_LIFETIME_MAX) == 0)
				conf->lim.nonce_lifetime = $2;
		}
		| AUTHFAILRATE NUMBER		{
			if (conf_number("auth-failure-rate", SEEN_AUTHFAIL, $2,
			    1, RELAY_RATE_MAX) == 0)
				conf->lim.authfail_rate = $2;
		}
		| SERVERS NUMBER		{
			if (conf_number("servers", SEEN_SERVERS, $2, 1,
			    RELAY_SERVERS_MAX) == 0)
				conf->servers = $2;
		}
		| REALM STRING			{
			conf_text("realm", $2, SEEN_REALM, conf->realm,
			    sizeof(conf->realm));
			free($2);
		}
		| SECRET STRING			{
			conf_secret($2);
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
		| SIGNAL STRING KEY STRING	{
			if (seen_once(SEEN_SIGNAL, "signal") == 0)
				(void)conflex_signal($2, $4, conf->signal_host,
				    sizeof(conf->signal_host),
				    conf->signal_key);
			free($2);
			free($4);
		}
		| KEY STRING			{
			conf_path("key", SEEN_SIGKEY, $2, conf->keyfile);
			free($2);
		}
		;

%%

static const struct conflex_keyword keywords[] = {
	/* Sorted by strcmp for bsearch. */
	{ "allow-peer",			ALLOWPEER },
	{ "auth-failure-rate",		AUTHFAILRATE },
	{ "bandwidth",			BANDWIDTH },
	{ "burst",			BURST },
	{ "control-socket",		CONTROLSOCK },
	{ "deny-peer",			DENYPEER },
	{ "include",			INCLUDE },
	{ "key",			KEY },
	{ "listen",			LISTEN },
	{ "max-allocations",		MAXALLOCS },
	{ "max-allocations-per-source",	MAXALLOCSSRC },
	{ "max-allocations-per-user",	MAXALLOCSUSER },
	{ "max-channels",		MAXCHANS },
	{ "max-permissions",		MAXPERMS },
	{ "nonce-lifetime",		NONCELIFE },
	{ "on",				ON },
	{ "port",			PORT },
	{ "rate-limit",			RATELIMIT },
	{ "rate-table-size",		RATETABLE },
	{ "realm",			REALM },
	{ "relay-address",		RELAYADDR },
	{ "relay-ports",		RELAYPORTS },
	{ "secret",			SECRET },
	{ "servers",			SERVERS },
	{ "signal",			SIGNAL },
	{ "tls",			TLS },
	{ "tls-certificate",		TLSCERT },
	{ "tls-key",			TLSKEY },
	{ "total-bandwidth",		TOTALBANDWIDTH },
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

	if (flag != 0 && seen_once(flag, what) == -1)
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

/* Several secrets at once: the new one is added before the old goes. */
static void
conf_secret(const char *s)
{
	if (conf->nsecrets >= RELAY_SECRETS_MAX) {
		yyerror("too many secrets (at most %d)", RELAY_SECRETS_MAX);
		return;
	}
	conf_text("secret", s, 0, conf->secrets[conf->nsecrets],
	    sizeof(conf->secrets[0]));
	if (conf->secrets[conf->nsecrets][0] != '\0')
		conf->nsecrets++;
}

static void
conf_path(const char *what, int flag, const char *s, char *dst)
{
	if (seen_once(flag, what) == -1)
		return;
	if (s[0] != '/') {
		yyerror("%s \"%s\": not an absolute path", what, s);
		return;
	}
	if (strlcpy(dst, s, PATH_MAX) >= PATH_MAX)
		yyerror("%s: path too long", what);
}

/* 0 if the number is in range and the statement new, else -1 and why. */
static int
conf_number(const char *what, int flag, long long n, long long lo,
    long long hi)
{
	if (seen_once(flag, what) == -1)
		return -1;
	if (n < lo || n > hi) {
		yyerror("%s %lld out of range (%lld-%lld)", what, n, lo, hi);
		return -1;
	}
	return 0;
}

/* One address per family: the relayed sockets bind it, peers see it. */
static void
conf_relay_address(const char *s)
{
	struct tern_prefix	 p;
	struct sockaddr_storage	*ss;
	const char		*errstr;

	if (strchr(s, '/') != NULL || prefix_parse(s, &p, &errstr) == -1) {
		yyerror("relay-address \"%s\": not an IP address", s);
		return;
	}
	/* Peers and clients are told this address: it must be one. */
	if ((p.af == AF_INET && (p.a.v4.s_addr == htonl(INADDR_ANY) ||
	    IN_MULTICAST(ntohl(p.a.v4.s_addr)) ||
	    p.a.v4.s_addr == htonl(INADDR_BROADCAST))) ||
	    (p.af == AF_INET6 && (IN6_IS_ADDR_UNSPECIFIED(&p.a.v6) ||
	    IN6_IS_ADDR_MULTICAST(&p.a.v6) ||
	    IN6_IS_ADDR_V4MAPPED(&p.a.v6)))) {
		yyerror("relay-address %s: not a unicast address", s);
		return;
	}
	ss = &conf->relay_addr[p.af == AF_INET ? 0 : 1];
	if (ss->ss_family != AF_UNSPEC) {
		yyerror("relay-address: one %s address at most",
		    p.af == AF_INET ? "IPv4" : "IPv6");
		return;
	}
	memset(ss, 0, sizeof(*ss));
	if (p.af == AF_INET) {
		ss->ss_family = AF_INET;
		((struct sockaddr_in *)ss)->sin_addr = p.a.v4;
	} else {
		ss->ss_family = AF_INET6;
		((struct sockaddr_in6 *)ss)->sin6_addr = p.a.v6;
	}
}

static void
conf_peer_rule(const char *s, int allow)
{
	const char	*errstr;

	if (conf->nrules >= RELAY_PEER_RULES_MAX) {
		yyerror("too many allow-peer and deny-peer lines (at most %d)",
		    RELAY_PEER_RULES_MAX);
		return;
	}
	if (relay_peer_rule_parse(s, allow, &conf->rules[conf->nrules],
	    &errstr) == -1) {
		yyerror("%s \"%s\": %s", allow ? "allow-peer" : "deny-peer",
		    s, errstr);
		return;
	}
	conf->nrules++;
}

struct relay_conf *
relay_parse_config(const char *filename)
{
	struct relay_conf	*xconf;
	size_t			 i;
	uint16_t		 port;
	int			 errors, sig;

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
	/* Given, if not valid: a bad one has its own error already. */
	sig = seen & (SEEN_SIGNAL | SEEN_SIGKEY);
	seen = 0;
	errors = conflex_close();
	if (sig != 0 && sig != (SEEN_SIGNAL | SEEN_SIGKEY)) {
		log_warnx("%s: signal needs key, and key needs signal",
		    filename);
		errors++;
	}
	if ((conf->ntls > 0 || conf->tls_cert[0] != '\0' ||
	    conf->tls_key[0] != '\0') && (conf->ntls == 0 ||
	    conf->tls_cert[0] == '\0' || conf->tls_key[0] == '\0')) {
		log_warnx("%s: a tls listener needs tls-certificate and "
		    "tls-key, and they need a tls listener", filename);
		errors++;
	}
	for (i = 0; i < conf->nlisten + conf->ntls; i++) {
		port = sockaddr_port((struct sockaddr *)(i < conf->nlisten ?
		    &conf->listen[i] : &conf->tls_listen[i - conf->nlisten]));
		/* A relayed socket could be made to send to our listener. */
		if (port >= conf->lim.port_lo && port <= conf->lim.port_hi) {
			log_warnx("%s: listen port %u is inside relay-ports "
			    "%u-%u", filename, port, conf->lim.port_lo,
			    conf->lim.port_hi);
			errors++;
			break;
		}
	}
	if (conf->realm[0] == '\0')
		strlcpy(conf->realm, RELAY_REALM_DEFAULT, sizeof(conf->realm));

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
	strlcpy(c->control, RELAY_CONTROL, sizeof(c->control));
	c->lim.allocs = RELAY_ALLOCS_DEFAULT;
	c->lim.allocs_user = RELAY_ALLOCS_USER_DEFAULT;
	c->lim.allocs_src = RELAY_ALLOCS_SRC_DEFAULT;
	c->lim.perms = RELAY_PERMS_DEFAULT;
	c->lim.chans = RELAY_CHANS_DEFAULT;
	c->lim.nonce_lifetime = RELAY_NONCE_LIFETIME_DEFAULT;
	c->lim.authfail_rate = RELAY_AUTHFAIL_RATE_DEFAULT;
	c->lim.port_lo = RELAY_PORT_LO_DEFAULT;
	c->lim.port_hi = RELAY_PORT_HI_DEFAULT;
	c->lim.bps = RELAY_BPS_DEFAULT;
	c->lim.total_bps = RELAY_TOTAL_BPS_DEFAULT;
	return c;
}

void
relay_conf_free(struct relay_conf *c)
{
	if (c == NULL)
		return;
	explicit_bzero(c->secrets, sizeof(c->secrets));
	free(c);
}
