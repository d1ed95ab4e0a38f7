/*
 * tern-signal parent: reads tern-signal.conf (also for "tern-signal -n").
 * The lexer, file stack and macros are lib/conflex.c's, as for ternd.conf.
 */

%{
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/tree.h>
#include <netinet/in.h>

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conflex.h"
#include "duration.h"
#include "hostport.h"
#include "log.h"
#include "signal/signal.h"

#define ERR_MAX			128	/* a duration or size error */

/* Statements that may be given once. */
#define SEEN_KEY		0x001
#define SEEN_LAZY		0x002
#define SEEN_INACTIVITY		0x004
#define SEEN_ISOLATE		0x008
#define SEEN_MSGMAX		0x010
#define SEEN_QUEUE		0x020
#define SEEN_RATE		0x040
#define SEEN_CONNS		0x080
#define SEEN_HSRATE		0x100
#define SEEN_CREDLIFE		0x200
#define SEEN_HANDSHAKES		0x400
#define SEEN_LOCK		0x800

/* Peer options that may be given once. */
#define PEER_SEEN_NODEKEY	0x01
#define PEER_SEEN_WGKEY		0x02
#define PEER_SEEN_LAZYEXEMPT	0x04
#define PEER_SEEN_RELAYONLY	0x08
#define PEER_SEEN_LOCKSIG	0x10

/* Relay options that may be given once. */
#define RELAY_SEEN_ADDRESS	0x01
#define RELAY_SEEN_SECRET	0x02
#define RELAY_SEEN_REALM	0x04
#define RELAY_SEEN_KEY		0x08

/* Parse-time view of a peer: where it was defined, and lookup trees. */
struct peer_rec {
	RB_ENTRY(peer_rec)	 name_node;
	RB_ENTRY(peer_rec)	 nodekey_node;
	RB_ENTRY(peer_rec)	 wgkey_node;
	TAILQ_ENTRY(peer_rec)	 entry;
	struct sigmsg_peer	*p;
	struct conflex_loc	 loc;
	int			 seen;
};
TAILQ_HEAD(peer_rec_list, peer_rec);
RB_HEAD(parse_name_tree, peer_rec);
RB_HEAD(parse_nodekey_tree, peer_rec);
RB_HEAD(parse_wgkey_tree, peer_rec);

struct addr_rec {
	RB_ENTRY(addr_rec)	 node;
	struct tern_prefix	 prefix;
	struct peer_rec		*owner;
};
RB_HEAD(parse_addr_tree, addr_rec);

struct relay_rec {
	TAILQ_ENTRY(relay_rec)	 entry;
	struct signal_relay	*relay;
	struct conflex_loc	 loc;
	int			 seen;
};
TAILQ_HEAD(relay_rec_list, relay_rec);

typedef struct conflex_value YYSTYPE;
#define YYSTYPE_IS_DECLARED	1

int		 yyparse(void);
int		 yylex(void);
int		 yyerror(const char *, ...)
		    __attribute__((__format__ (printf, 1, 2)));

static int	 seen_once(int, const char *);
static void	 conf_listen(const char *, long long);
static void	 conf_key(const char *);
static void	 conf_network(const char *);
static int	 yesno(const char *, const char *);
static void	 conf_duration(const char *, const char *, uint32_t, uint32_t,
		    uint32_t *);
static void	 conf_size(const char *, const char *, uint64_t, uint64_t,
		    uint64_t *);
static void	 conf_uint(const char *, long long, uint32_t, uint32_t *);
static void	 peer_begin(const char *);
static void	 peer_end(void);
static void	 peer_key(const char *, const char *, int, uint8_t *);
static void	 peer_address(const char *);
static void	 peer_allowed(const char *);
static void	 peer_group(const char *);
static void	 peer_flag(const char *, int, uint32_t);
static void	 peer_lock_sig(const char *);
static void	 peer_lock_check(struct peer_rec *);
static void	 relay_begin(const char *);
static void	 relay_end(void);
static void	 relay_address(const char *);
static void	 relay_text(const char *, const char *, int, char *, size_t);
static void	 relay_key(const char *);
static void	 relay_keys_check(void);
static void	 conf_finish(void);
static void	 parse_reset(void);
static int	 peer_name_cmp(struct peer_rec *, struct peer_rec *);
static int	 peer_nodekey_cmp(struct peer_rec *, struct peer_rec *);
static int	 peer_wgkey_cmp(struct peer_rec *, struct peer_rec *);
static int	 addr_cmp(struct addr_rec *, struct addr_rec *);

RB_PROTOTYPE(parse_name_tree, peer_rec, name_node, peer_name_cmp)
RB_PROTOTYPE(parse_nodekey_tree, peer_rec, nodekey_node, peer_nodekey_cmp)
RB_PROTOTYPE(parse_wgkey_tree, peer_rec, wgkey_node, peer_wgkey_cmp)
RB_PROTOTYPE(parse_addr_tree, addr_rec, node, addr_cmp)

static struct peer_rec_list	 peer_recs =
    TAILQ_HEAD_INITIALIZER(peer_recs);
static struct relay_rec_list	 relay_recs =
    TAILQ_HEAD_INITIALIZER(relay_recs);
static struct parse_name_tree	 peer_names = RB_INITIALIZER(&peer_names);
static struct parse_nodekey_tree peer_nodekeys =
    RB_INITIALIZER(&peer_nodekeys);
static struct parse_wgkey_tree	 peer_wgkeys = RB_INITIALIZER(&peer_wgkeys);
static struct parse_addr_tree	 peer_addrs = RB_INITIALIZER(&peer_addrs);
static struct signal_conf	*conf;
static struct peer_rec		*currec;	/* the open peer block */
static struct relay_rec		*currelay;	/* the open relay block */
static int			 seen;		/* SEEN_* */
%}

%token	ADDRESS ALLOWEDIPS CREDLIFETIME GROUP HSRATE INACTIVITY INCLUDE
%token	ISOLATEGROUPS KEY LAZYCONN LAZYEXEMPT LISTEN LOCKSIG MAXCONN
%token	MAXHANDSHAKES MAXMSG MAXQUEUE
%token	MSGRATE NETLOCK NETWORK NODEKEY ON PEER PORT REALM RELAY RELAYONLY SECRET
%token	WGKEY
%token	ERROR
%token	<v.string>	STRING
%token	<v.number>	NUMBER
%type	<v.string>	value listenaddr
%type	<v.number>	listenport
%destructor	{ free($$); } <v.string>
%%

/* An error skips to the end of its line; yyerrok reports the next one too. */
grammar		: /* empty */
		| grammar '\n'
		| grammar include '\n'
		| grammar varset '\n'
		| grammar main '\n'
		| grammar peer '\n'
		| grammar relay '\n'
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

/* Durations and sizes: a bare number or a word with a unit. */
value		: STRING			{ $$ = $1; }
		| NUMBER			{
			if (asprintf(&$$, "%lld", $1) == -1)
				fatal("%s", __func__);
		}
		;

listenaddr	: STRING			{ $$ = $1; }
		| '*'				{
			if (($$ = strdup(CONFLEX_LISTEN_ALL)) == NULL)
				fatal("%s", __func__);
		}
		;

listenport	: /* empty */			{ $$ = SIGNAL_PORT_DEFAULT; }
		| PORT NUMBER			{ $$ = $2; }
		;

main		: LISTEN ON listenaddr listenport {
			conf_listen($3, $4);
			free($3);
		}
		| KEY STRING			{
			conf_key($2);
			free($2);
		}
		| NETWORK STRING		{
			conf_network($2);
			free($2);
		}
		| NETLOCK STRING		{
			if (seen_once(SEEN_LOCK, "network-lock") == -1)
				;
			else if (key_from_b64($2, conf->lock_key) == -1 ||
			    !nmsign_pk_ok(conf->lock_key))
				yyerror("network-lock: not a lock key "
				    "(ternctl lock keygen prints it)");
			else
				conf->has_lock = 1;
			free($2);
		}
		| LAZYCONN STRING		{
			int	 v;

			if (seen_once(SEEN_LAZY, "lazy-connections") == 0 &&
			    (v = yesno("lazy-connections", $2)) != -1)
				conf->lazy = v;
			free($2);
		}
		| INACTIVITY value		{
			if (seen_once(SEEN_INACTIVITY,
			    "inactivity-threshold") == 0)
				conf_duration("inactivity-threshold", $2,
				    SIGMSG_INACTIVITY_MIN,
				    SIGMSG_INACTIVITY_MAX, &conf->inactivity);
			free($2);
		}
		| ISOLATEGROUPS STRING		{
			int	 v;

			if (seen_once(SEEN_ISOLATE, "isolate-groups") == 0 &&
			    (v = yesno("isolate-groups", $2)) != -1)
				conf->isolate_groups = v;
			free($2);
		}
		| MAXMSG value			{
			uint64_t	 v;

			if (seen_once(SEEN_MSGMAX, "max-message-size") == 0) {
				v = conf->msg_max;
				conf_size("max-message-size", $2,
				    SIGNAL_MSG_MAX_MIN, SIGNAL_MSG_MAX_MAX, &v);
				conf->msg_max = v;
			}
			free($2);
		}
		| MAXQUEUE value		{
			if (seen_once(SEEN_QUEUE, "max-queue") == 0)
				conf_size("max-queue", $2,
				    SIGNAL_QUEUE_MAX_MIN, SIGNAL_QUEUE_MAX_MAX,
				    &conf->queue_max);
			free($2);
		}
		| MSGRATE NUMBER		{
			if (seen_once(SEEN_RATE, "message-rate") == 0)
				conf_uint("message-rate", $2,
				    SIGNAL_RATE_MAX, &conf->rate);
		}
		| MAXCONN NUMBER		{
			if (seen_once(SEEN_CONNS,
			    "max-connections-per-address") == 0)
				conf_uint("max-connections-per-address", $2,
				    SIGNAL_CONN_PER_ADDR_MAX,
				    &conf->conn_per_addr);
		}
		| HSRATE NUMBER			{
			if (seen_once(SEEN_HSRATE, "handshake-rate") == 0)
				conf_uint("handshake-rate", $2,
				    SIGNAL_HS_RATE_MAX, &conf->hs_rate);
		}
		| MAXHANDSHAKES NUMBER		{
			if (seen_once(SEEN_HANDSHAKES, "max-handshakes") == 0)
				conf_uint("max-handshakes", $2,
				    SIGNAL_HANDSHAKES_MAX, &conf->handshakes);
		}
		| CREDLIFETIME value		{
			if (seen_once(SEEN_CREDLIFE,
			    "credential-lifetime") == 0)
				conf_duration("credential-lifetime", $2,
				    SIGNAL_CRED_LIFETIME_MIN,
				    SIGNAL_CRED_LIFETIME_MAX,
				    &conf->cred_lifetime);
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

peeropts	: NODEKEY STRING		{
			if (currec != NULL)
				peer_key("node-key", $2, PEER_SEEN_NODEKEY,
				    currec->p->node_key);
			free($2);
		}
		| WGKEY STRING			{
			if (currec != NULL)
				peer_key("wg-key", $2, PEER_SEEN_WGKEY,
				    currec->p->wg_key);
			free($2);
		}
		| ADDRESS STRING		{
			peer_address($2);
			free($2);
		}
		| ALLOWEDIPS allowed_l
		| GROUP STRING			{
			peer_group($2);
			free($2);
		}
		| LAZYEXEMPT			{
			peer_flag("lazy-exempt", PEER_SEEN_LAZYEXEMPT,
			    SIGMSG_PEER_LAZY_EXEMPT);
		}
		| RELAYONLY			{
			peer_flag("relay-only", PEER_SEEN_RELAYONLY,
			    SIGMSG_PEER_RELAY_ONLY);
		}
		| LOCKSIG STRING		{
			peer_lock_sig($2);
			free($2);
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

relay		: RELAY STRING			{
			relay_begin($2);
		} '{' relayopts_l '}'		{
			relay_end();
			free($2);
		}
		;

relayopts_l	: /* empty */
		| relayopts_l '\n'
		| relayopts_l relayopts '\n'
		| relayopts_l error '\n'	{ yyerrok; }
		;

relayopts	: ADDRESS STRING		{
			relay_address($2);
			free($2);
		}
		| SECRET STRING			{
			if (currelay != NULL)
				relay_text("secret", $2, RELAY_SEEN_SECRET,
				    currelay->relay->secret,
				    sizeof(currelay->relay->secret));
			free($2);
		}
		| REALM STRING			{
			if (currelay != NULL)
				relay_text("realm", $2, RELAY_SEEN_REALM,
				    currelay->relay->realm,
				    sizeof(currelay->relay->realm));
			free($2);
		}
		| KEY STRING			{
			relay_key($2);
			free($2);
		}
		;

%%

static const struct conflex_keyword keywords[] = {
	/* Sorted by strcmp for bsearch. */
	{ "address",			ADDRESS },
	{ "allowed-ips",		ALLOWEDIPS },
	{ "credential-lifetime",	CREDLIFETIME },
	{ "group",			GROUP },
	{ "handshake-rate",		HSRATE },
	{ "inactivity-threshold",	INACTIVITY },
	{ "include",			INCLUDE },
	{ "isolate-groups",		ISOLATEGROUPS },
	{ "key",			KEY },
	{ "lazy-connections",		LAZYCONN },
	{ "lazy-exempt",		LAZYEXEMPT },
	{ "listen",			LISTEN },
	{ "lock-signature",		LOCKSIG },
	{ "max-connections-per-address", MAXCONN },
	{ "max-handshakes",		MAXHANDSHAKES },
	{ "max-message-size",		MAXMSG },
	{ "max-queue",			MAXQUEUE },
	{ "message-rate",		MSGRATE },
	{ "network",			NETWORK },
	{ "network-lock",		NETLOCK },
	{ "node-key",			NODEKEY },
	{ "on",				ON },
	{ "peer",			PEER },
	{ "port",			PORT },
	{ "realm",			REALM },
	{ "relay",			RELAY },
	{ "relay-only",			RELAYONLY },
	{ "secret",			SECRET },
	{ "wg-key",			WGKEY },
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

static void
conf_listen(const char *s, long long port)
{
	conflex_listen_add(s, port, conf->listen, &conf->nlisten,
	    SIGNAL_LISTEN_MAX);
}

static void
conf_key(const char *path)
{
	if (seen_once(SEEN_KEY, "key") == 0)
		conflex_path_set(conf->keyfile, path, "key");
}

static void
conf_network(const char *s)
{
	char			 a[PREFIX_STRLEN];
	struct tern_prefix	 p;
	size_t			 i;

	if (conflex_prefix_take(s, "", "network", &p) == -1)
		return;
	for (i = 0; i < conf->nnetworks; i++)
		if (prefix_cmp(&conf->networks[i], &p) == 0) {
			yyerror("network %s given twice",
			    prefix_str(&p, a, sizeof(a)));
			return;
		}
	if (conf->nnetworks >= SIGNAL_NETWORKS_MAX) {
		yyerror("too many networks (at most %d)", SIGNAL_NETWORKS_MAX);
		return;
	}
	conf->networks[conf->nnetworks++] = p;
}

static int
yesno(const char *what, const char *s)
{
	if (strcmp(s, "yes") == 0)
		return 1;
	if (strcmp(s, "no") == 0)
		return 0;
	yyerror("%s \"%s\": expected yes or no", what, s);
	return -1;
}

static void
conf_duration(const char *what, const char *s, uint32_t min, uint32_t max,
    uint32_t *secs)
{
	char	 err[ERR_MAX];

	if (duration_parse(s, min, max, secs, err, sizeof(err)) == -1)
		yyerror("%s \"%s\": %s", what, s, err);
}

static void
conf_size(const char *what, const char *s, uint64_t min, uint64_t max,
    uint64_t *bytes)
{
	char	 err[ERR_MAX];

	if (size_parse(s, min, max, bytes, err, sizeof(err)) == -1)
		yyerror("%s \"%s\": %s", what, s, err);
}

static void
conf_uint(const char *what, long long v, uint32_t max, uint32_t *dst)
{
	if (v < 1 || v > max)
		yyerror("%s %lld out of range (1-%u)", what, v, max);
	else
		*dst = v;
}

static void
peer_begin(const char *name)
{
	struct signal_peer	*peer;
	struct peer_rec		*rec;

	currec = NULL;
	if (conf->npeers >= SIGNAL_PEERS_MAX) {
		yyerror("too many peers (at most %d)", SIGNAL_PEERS_MAX);
		return;
	}
	if ((rec = calloc(1, sizeof(*rec))) == NULL ||
	    (peer = calloc(1, sizeof(*peer))) == NULL)
		fatal("%s", __func__);
	rec->p = &peer->p;
	conflex_here(&rec->loc);
	strlcpy(peer->p.name, name, sizeof(peer->p.name));
	TAILQ_INSERT_TAIL(&conf->peers, peer, entry);
	conf->npeers++;
	TAILQ_INSERT_TAIL(&peer_recs, rec, entry);
	currec = rec;

	if (conflex_name_ok(name, SIGMSG_NAME_MAX, "peer") == -1)
		return;
	if (RB_INSERT(parse_name_tree, &peer_names, rec) != NULL)
		yyerror("duplicate peer \"%s\"", name);
}

static void
peer_end(void)
{
	if (currec == NULL)
		return;
	if (!(currec->seen & PEER_SEEN_NODEKEY))
		conflex_err(&currec->loc, "peer \"%s\": no node-key",
		    currec->p->name);
	if (!(currec->seen & PEER_SEEN_WGKEY))
		conflex_err(&currec->loc, "peer \"%s\": no wg-key",
		    currec->p->name);
	if (currec->p->naddrs == 0)
		conflex_err(&currec->loc, "peer \"%s\": no address",
		    currec->p->name);
	currec = NULL;
}

/* node-key and wg-key: each names one peer only. */
static void
peer_key(const char *what, const char *s, int flag, uint8_t *key)
{
	struct peer_rec	*dup;

	if (currec->seen & flag) {
		yyerror("peer \"%s\": %s given twice", currec->p->name, what);
		return;
	}
	currec->seen |= flag;
	if (key_from_b64(s, key) == -1) {
		yyerror("peer \"%s\": %s is not base64 of %d bytes",
		    currec->p->name, what, KEY_LEN);
		return;
	}
	if (flag == PEER_SEEN_NODEKEY)
		dup = RB_INSERT(parse_nodekey_tree, &peer_nodekeys, currec);
	else
		dup = RB_INSERT(parse_wgkey_tree, &peer_wgkeys, currec);
	if (dup != NULL)
		yyerror("peer \"%s\": %s already used by peer \"%s\"",
		    currec->p->name, what, dup->p->name);
}

static void
peer_address(const char *s)
{
	char			 a[PREFIX_STRLEN];
	const char		*errstr;
	struct sigmsg_peer	*p;
	struct addr_rec		*ar, *dup;
	struct tern_prefix	 pfx;
	int			 hostlen;

	if (currec == NULL)
		return;
	p = currec->p;
	if (prefix_parse(s, &pfx, &errstr) == -1) {
		yyerror("peer \"%s\": address \"%s\": %s", p->name, s, errstr);
		return;
	}
	hostlen = pfx.af == AF_INET ? 32 : 128;
	if (pfx.plen != hostlen) {
		yyerror("peer \"%s\": address %s is not a host address (/%d)",
		    p->name, prefix_str(&pfx, a, sizeof(a)), hostlen);
		return;
	}
	if (p->naddrs >= SIGMSG_ADDRS_MAX) {
		yyerror("peer \"%s\": too many addresses (at most %d)",
		    p->name, SIGMSG_ADDRS_MAX);
		return;
	}
	if ((ar = calloc(1, sizeof(*ar))) == NULL)
		fatal("%s", __func__);
	ar->prefix = pfx;
	ar->owner = currec;
	if ((dup = RB_INSERT(parse_addr_tree, &peer_addrs, ar)) != NULL) {
		if (dup->owner == currec)
			yyerror("peer \"%s\": address %s given twice",
			    p->name, prefix_str(&pfx, a, sizeof(a)));
		else
			yyerror("peer \"%s\": address %s already used by "
			    "peer \"%s\"", p->name,
			    prefix_str(&pfx, a, sizeof(a)),
			    dup->owner->p->name);
		free(ar);
		return;
	}
	p->addrs[p->naddrs++] = pfx;
}

/* Peers of one high-availability group may route the same network. */
static void
peer_allowed(const char *s)
{
	char			 a[PREFIX_STRLEN];
	char			 who[sizeof("peer \"\": ") + SIGMSG_NAME_MAX];
	struct sigmsg_peer	*p;
	struct tern_prefix	 pfx;
	size_t			 i;

	if (currec == NULL)
		return;
	p = currec->p;
	snprintf(who, sizeof(who), "peer \"%s\": ", p->name);
	if (conflex_prefix_take(s, who, "allowed-ips", &pfx) == -1)
		return;
	for (i = 0; i < p->nallowed; i++)
		if (prefix_cmp(&p->allowed[i], &pfx) == 0) {
			yyerror("peer \"%s\": allowed-ips %s given twice",
			    p->name, prefix_str(&pfx, a, sizeof(a)));
			return;
		}
	if (p->nallowed >= SIGMSG_ALLOWED_MAX) {
		yyerror("peer \"%s\": too many allowed-ips (at most %d)",
		    p->name, SIGMSG_ALLOWED_MAX);
		return;
	}
	p->allowed[p->nallowed++] = pfx;
}

static void
peer_group(const char *name)
{
	char			 who[sizeof("peer \"\": group") +
				    SIGMSG_NAME_MAX];
	struct sigmsg_peer	*p;
	size_t			 i;

	if (currec == NULL)
		return;
	p = currec->p;
	snprintf(who, sizeof(who), "peer \"%s\": group", p->name);
	if (conflex_name_ok(name, SIGMSG_NAME_MAX, who) == -1)
		return;
	for (i = 0; i < p->ngroups; i++)
		if (strcmp(p->groups[i], name) == 0) {
			yyerror("peer \"%s\": group \"%s\" given twice",
			    p->name, name);
			return;
		}
	if (p->ngroups >= SIGMSG_GROUPS_MAX) {
		yyerror("peer \"%s\": too many groups (at most %d)", p->name,
		    SIGMSG_GROUPS_MAX);
		return;
	}
	strlcpy(p->groups[p->ngroups++], name, sizeof(p->groups[0]));
}

static void
peer_flag(const char *what, int flag, uint32_t bit)
{
	if (currec == NULL)
		return;
	if (currec->seen & flag)
		yyerror("peer \"%s\": %s given twice", currec->p->name, what);
	currec->seen |= flag;
	currec->p->flags |= bit;
}

/*
 * Hosts check lock signatures; with the lock key here too a wrong or
 * missing one is found when the config is loaded, not on every host.
 */
static void
peer_lock_check(struct peer_rec *rec)
{
	struct nm_entry	 e;

	if (!conf->has_lock)
		return;
	sigmsg_peer_entry(rec->p, &e);
	if (!rec->p->has_lock)
		conflex_err(&rec->loc, "peer \"%s\": no lock-signature, and "
		    "network-lock is set", rec->p->name);
	else if (nmsign_lock_verify(&e, conf->lock_key) == -1)
		conflex_err(&rec->loc, "peer \"%s\": lock-signature does not "
		    "verify with the network-lock key", rec->p->name);
}

/* Ternd's parent checks it against its own network-lock key too. */
static void
peer_lock_sig(const char *s)
{
	if (currec == NULL)
		return;
	if (currec->seen & PEER_SEEN_LOCKSIG)
		yyerror("peer \"%s\": lock-signature given twice",
		    currec->p->name);
	else if (nmsign_sig_from_b64(s, currec->p->lock_sig) == -1)
		yyerror("peer \"%s\": lock-signature is not base64 of %d "
		    "bytes", currec->p->name, NMSIGN_SIG_LEN);
	currec->seen |= PEER_SEEN_LOCKSIG;
	currec->p->has_lock = 1;
}

static void
relay_begin(const char *id)
{
	struct relay_rec	*rec, *r;

	currelay = NULL;
	if (conf->nrelays >= SIGNAL_RELAYS_MAX) {
		yyerror("too many relays (at most %d)", SIGNAL_RELAYS_MAX);
		return;
	}
	if ((rec = calloc(1, sizeof(*rec))) == NULL ||
	    (rec->relay = calloc(1, sizeof(*rec->relay))) == NULL)
		fatal("%s", __func__);
	conflex_here(&rec->loc);
	strlcpy(rec->relay->id, id, sizeof(rec->relay->id));
	TAILQ_INSERT_TAIL(&conf->relays, rec->relay, entry);
	conf->nrelays++;
	currelay = rec;

	/* At most SIGNAL_RELAYS_MAX of them: a list will do. */
	if (conflex_name_ok(id, SIGMSG_NAME_MAX, "relay") == 0)
		TAILQ_FOREACH(r, &relay_recs, entry)
			if (strcmp(r->relay->id, id) == 0) {
				yyerror("duplicate relay \"%s\"", id);
				break;
			}
	TAILQ_INSERT_TAIL(&relay_recs, rec, entry);
}

static void
relay_end(void)
{
	if (currelay == NULL)
		return;
	if (!(currelay->seen & RELAY_SEEN_ADDRESS))
		conflex_err(&currelay->loc, "relay \"%s\": no address",
		    currelay->relay->id);
	if (!(currelay->seen & RELAY_SEEN_SECRET))
		conflex_err(&currelay->loc, "relay \"%s\": no secret",
		    currelay->relay->id);
	currelay = NULL;
}

/* Agents resolve the relay's name themselves; here its text is checked. */
static void
relay_address(const char *s)
{
	char			 host[HOSTPORT_HOST_MAX];
	const char		*errstr;
	struct signal_relay	*r;
	uint16_t		 port;

	if (currelay == NULL)
		return;
	r = currelay->relay;
	if (currelay->seen & RELAY_SEEN_ADDRESS) {
		yyerror("relay \"%s\": address given twice", r->id);
		return;
	}
	currelay->seen |= RELAY_SEEN_ADDRESS;
	if (strlen(s) >= sizeof(r->address)) {
		yyerror("relay \"%s\": address too long (at most %zu "
		    "characters)", r->id, sizeof(r->address) - 1);
		return;
	}
	if (hostport_parse(s, host, &port, &errstr) == -1) {
		yyerror("relay \"%s\": address \"%s\": %s", r->id, s, errstr);
		return;
	}
	strlcpy(r->address, s, sizeof(r->address));
}

/* Secret and realm: printable ASCII, as JSON and printed configs carry. */
static void
relay_text(const char *what, const char *s, int flag, char *dst, size_t len)
{
	const char	*id = currelay->relay->id;
	size_t		 i;

	if (currelay->seen & flag) {
		yyerror("relay \"%s\": %s given twice", id, what);
		return;
	}
	currelay->seen |= flag;
	if (s[0] == '\0') {
		yyerror("relay \"%s\": empty %s", id, what);
		return;
	}
	if (strlen(s) >= len) {
		yyerror("relay \"%s\": %s too long (at most %zu characters)",
		    id, what, len - 1);
		return;
	}
	for (i = 0; s[i] != '\0'; i++)
		if (s[i] < ' ' || s[i] > '~') {
			yyerror("relay \"%s\": %s must be printable ASCII",
			    id, what);
			return;
		}
	strlcpy(dst, s, len);
}

/* The public key a registering relay authenticates with. */
static void
relay_key(const char *s)
{
	struct signal_relay	*r;

	if (currelay == NULL)
		return;
	r = currelay->relay;
	if (currelay->seen & RELAY_SEEN_KEY) {
		yyerror("relay \"%s\": key given twice", r->id);
		return;
	}
	currelay->seen |= RELAY_SEEN_KEY;
	if (key_from_b64(s, r->key) == -1) {
		yyerror("relay \"%s\": key is not base64 of %d bytes", r->id,
		    KEY_LEN);
		return;
	}
	r->has_key = 1;
}

/*
 * A key names one relay or one node: the server tells them apart by
 * the key that authenticated.  Peers may come after the relays, so
 * this waits for the whole file.
 */
static void
relay_keys_check(void)
{
	struct relay_rec	*rec, *o;
	struct peer_rec		 find, *dup;
	struct sigmsg_peer	 p;

	TAILQ_FOREACH(rec, &relay_recs, entry) {
		if (!rec->relay->has_key)
			continue;
		memcpy(p.node_key, rec->relay->key, KEY_LEN);
		find.p = &p;
		if ((dup = RB_FIND(parse_nodekey_tree, &peer_nodekeys,
		    &find)) != NULL)
			conflex_err(&rec->loc, "relay \"%s\": key already used "
			    "by peer \"%s\"", rec->relay->id, dup->p->name);
		for (o = TAILQ_FIRST(&relay_recs); o != rec;
		    o = TAILQ_NEXT(o, entry))
			if (o->relay->has_key && memcmp(o->relay->key,
			    rec->relay->key, KEY_LEN) == 0) {
				conflex_err(&rec->loc, "relay \"%s\": key "
				    "already used by relay \"%s\"",
				    rec->relay->id, o->relay->id);
				break;
			}
	}
}

/* Checks that need the whole file. */
static void
conf_finish(void)
{
	char			 a[PREFIX_STRLEN];
	struct conflex_loc	 top = { conflex_topfile(), 0 };
	struct peer_rec		*rec;
	size_t			 i, j;

	if (!(seen & SEEN_KEY))
		conflex_err(&top, "no key configured");
	if (conf->nnetworks == 0)
		conflex_err(&top, "no network configured");
	relay_keys_check();
	TAILQ_FOREACH(rec, &peer_recs, entry) {
		peer_lock_check(rec);
		for (i = 0; i < rec->p->naddrs; i++) {
			for (j = 0; j < conf->nnetworks; j++)
				if (prefix_contains(&conf->networks[j],
				    &rec->p->addrs[i]))
					break;
			if (j == conf->nnetworks && conf->nnetworks > 0)
				conflex_err(&rec->loc, "peer \"%s\": address "
				    "%s is outside every network", rec->p->name,
				    prefix_str(&rec->p->addrs[i], a,
				    sizeof(a)));
		}
	}
}

/* Frees the parse-time records; also readies the next parse. */
static void
parse_reset(void)
{
	struct peer_rec		*rec;
	struct relay_rec	*rr;
	struct addr_rec		*ar;

	while ((ar = RB_MIN(parse_addr_tree, &peer_addrs)) != NULL) {
		RB_REMOVE(parse_addr_tree, &peer_addrs, ar);
		free(ar);
	}
	while ((rec = TAILQ_FIRST(&peer_recs)) != NULL) {
		TAILQ_REMOVE(&peer_recs, rec, entry);
		free(rec);
	}
	while ((rr = TAILQ_FIRST(&relay_recs)) != NULL) {
		TAILQ_REMOVE(&relay_recs, rr, entry);
		free(rr);
	}
	RB_INIT(&peer_names);
	RB_INIT(&peer_nodekeys);
	RB_INIT(&peer_wgkeys);
	currec = NULL;
	currelay = NULL;
	seen = 0;
}

struct signal_conf *
signal_parse_config(const char *filename)
{
	struct signal_conf	*xconf;
	int			 errors;

	if ((conf = signal_conf_new()) == NULL) {
		log_warn("%s", __func__);
		return NULL;
	}
	if (conflex_open(filename, &grammar) == -1) {
		signal_conf_free(conf);
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
		signal_conf_free(xconf);
		return NULL;
	}
	return xconf;
}

struct signal_conf *
signal_conf_new(void)
{
	struct signal_conf	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->lazy = -1;
	c->msg_max = SIGNAL_MSG_MAX_DEFAULT;
	c->queue_max = SIGNAL_QUEUE_MAX_DEFAULT;
	c->rate = SIGNAL_RATE_DEFAULT;
	c->conn_per_addr = SIGNAL_CONN_PER_ADDR_DEFAULT;
	c->hs_rate = SIGNAL_HS_RATE_DEFAULT;
	c->handshakes = SIGNAL_HANDSHAKES_DEFAULT;
	c->cred_lifetime = SIGNAL_CRED_LIFETIME_DEFAULT;
	TAILQ_INIT(&c->peers);
	TAILQ_INIT(&c->relays);
	return c;
}

void
signal_conf_free(struct signal_conf *c)
{
	struct signal_peer	*p;
	struct signal_relay	*r;

	if (c == NULL)
		return;
	while ((p = TAILQ_FIRST(&c->peers)) != NULL) {
		TAILQ_REMOVE(&c->peers, p, entry);
		free(p);
	}
	while ((r = TAILQ_FIRST(&c->relays)) != NULL) {
		TAILQ_REMOVE(&c->relays, r, entry);
		explicit_bzero(r->secret, sizeof(r->secret));
		free(r);
	}
	free(c);
}

static int
peer_name_cmp(struct peer_rec *a, struct peer_rec *b)
{
	return strcmp(a->p->name, b->p->name);
}

static int
peer_nodekey_cmp(struct peer_rec *a, struct peer_rec *b)
{
	return memcmp(a->p->node_key, b->p->node_key, KEY_LEN);
}

static int
peer_wgkey_cmp(struct peer_rec *a, struct peer_rec *b)
{
	return memcmp(a->p->wg_key, b->p->wg_key, KEY_LEN);
}

static int
addr_cmp(struct addr_rec *a, struct addr_rec *b)
{
	return prefix_cmp(&a->prefix, &b->prefix);
}

RB_GENERATE(parse_name_tree, peer_rec, name_node, peer_name_cmp)
RB_GENERATE(parse_nodekey_tree, peer_rec, nodekey_node, peer_nodekey_cmp)
RB_GENERATE(parse_wgkey_tree, peer_rec, wgkey_node, peer_wgkey_cmp)
RB_GENERATE(parse_addr_tree, addr_rec, node, addr_cmp)
