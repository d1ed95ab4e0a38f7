/* original parser id follows */
/* yysccsid[] = "@(#)yaccpar	1.9 (Berkeley) 02/21/93" */
/* (use YYMAJOR/YYMINOR for ifdefs dependent on parser version) */

#define YYBYACC 1
#define YYMAJOR 2
#define YYMINOR 0
#define YYPATCH 20221106

#define YYEMPTY        (-1)
#define yyclearin      (yychar = YYEMPTY)
#define yyerrok        (yyerrflag = 0)
#define YYRECOVERING() (yyerrflag != 0)
#define YYENOMEM       (-2)
#define YYEOF          0
#undef YYBTYACC
#define YYBTYACC 0
#define YYDEBUGSTR YYPREFIX "debug"
#define YYPREFIX "yy"

#define YYPURE 0

#line 7 "/work/wt/relaycred/agent/parse.y"
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
#line 164 "/work/wt/relaycred/agent/parse.c"

/* compatibility with bison */
#ifdef YYPARSE_PARAM
/* compatibility with FreeBSD */
# ifdef YYPARSE_PARAM_TYPE
#  define YYPARSE_DECL() yyparse(YYPARSE_PARAM_TYPE YYPARSE_PARAM)
# else
#  define YYPARSE_DECL() yyparse(void *YYPARSE_PARAM)
# endif
#else
# define YYPARSE_DECL() yyparse(void)
#endif

/* Parameters sent to lex. */
#ifdef YYLEX_PARAM
# define YYLEX_DECL() yylex(void *YYLEX_PARAM)
# define YYLEX yylex(YYLEX_PARAM)
#else
# define YYLEX_DECL() yylex(void)
# define YYLEX yylex()
#endif

#if !(defined(yylex) || defined(YYSTATE))
int YYLEX_DECL();
#endif

/* Parameters sent to yyerror. */
#ifndef YYERROR_DECL
#define YYERROR_DECL() yyerror(const char *s)
#endif
#ifndef YYERROR_CALL
#define YYERROR_CALL(msg) yyerror(msg)
#endif

#ifndef YYDESTRUCT_DECL
#define YYDESTRUCT_DECL() yydestruct(const char *msg, int psymb, YYSTYPE *val)
#endif
#ifndef YYDESTRUCT_CALL
#define YYDESTRUCT_CALL(msg, psymb, val) yydestruct(msg, psymb, val)
#endif

extern int YYPARSE_DECL();

#define ACCEPT 257
#define ADDRESS 258
#define ALLOWEDIPS 259
#define ENDPOINT 260
#define EXCLUDE 261
#define INACTIVITY 262
#define INCLUDE 263
#define INTERFACE 264
#define KEEPALIVE 265
#define KEY 266
#define KEYS 267
#define LAZYCONN 268
#define LISTEN 269
#define MTU 270
#define NETLOCK 271
#define PEER 272
#define PEERPORT 273
#define PASSWORD 274
#define PASSWORDFILE 275
#define PORT 276
#define PUBLICKEY 277
#define REALM 278
#define RELAY 279
#define SECRET 280
#define SECRETFILE 281
#define SIGNAL 282
#define USERNAME 283
#define USERSPACE 284
#define WIREGUARD 285
#define ERROR 286
#define STRING 287
#define NUMBER 288
#define YYERRCODE 256
typedef int YYINT;
static const YYINT yylhs[] = {                           -1,
    0,    0,    0,    0,    0,    0,    0,    2,    3,    3,
    1,    1,    4,    4,    4,    4,    4,    4,    4,    4,
    4,    4,    4,    4,    4,    7,    4,    6,    6,    8,
    8,    8,    8,    8,    8,    9,    5,   10,   10,   10,
   10,   11,   11,   11,   11,   12,   12,   13,
};
static const YYINT yylen[] = {                            2,
    0,    2,    3,    3,    3,    3,    3,    2,    3,    3,
    1,    1,    2,    2,    2,    2,    3,    2,    3,    2,
    2,    4,    2,    2,    2,    0,    4,    0,    2,    2,
    2,    2,    2,    2,    2,    0,    6,    0,    2,    3,
    3,    2,    2,    2,    2,    1,    3,    1,
};
static const YYINT yydefred[] = {                         1,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    2,
    0,    0,    0,    0,    7,   21,   15,   25,   11,   12,
   24,    8,   13,   20,   23,    0,   16,   14,   36,   18,
   26,    0,    0,    0,    3,    4,    5,    6,   17,    0,
   28,    0,   19,    9,   10,   38,    0,   22,    0,    0,
    0,    0,    0,    0,    0,   29,    0,    0,    0,    0,
    0,   39,   37,    0,   31,   32,   35,   33,   34,   30,
   41,   48,    0,   46,   44,   45,   42,   40,    0,   47,
};
#if defined(YYDESTRUCT_CALL) || defined(YYSTYPE_TOSTRING)
static const YYINT yystos[] = {                           0,
  290,  256,  257,  258,  261,  262,  263,  264,  267,  268,
  269,  270,  271,  272,  273,  279,  282,  285,  287,   10,
  292,  293,  294,  295,   10,  287,  287,  287,  287,  288,
  291,  287,  287,  287,  287,  276,  288,  287,  287,  288,
  287,  287,  284,   61,   10,   10,   10,   10,  288,  299,
  297,  266,  287,  287,  288,  123,  296,  287,  300,  274,
  275,  278,  280,  281,  283,  298,  256,  259,  260,  265,
  277,   10,  125,  301,  287,  287,  287,  287,  287,  287,
   10,  287,  302,  303,  287,  288,  287,   10,   44,  303,
};
#endif /* YYDESTRUCT_CALL || YYSTYPE_TOSTRING */
static const YYINT yydgoto[] = {                          1,
   31,   21,   22,   23,   24,   57,   51,   66,   50,   59,
   74,   83,   84,
};
static const YYINT yysindex[] = {                         0,
  -10,   -4, -278, -274, -272, -284, -271, -270, -268, -267,
 -262, -266, -264, -263, -261, -259, -258, -254,  -40,    0,
   15,   16,   21,   22,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0, -255,    0,    0,    0,    0,
    0, -232, -252, -276,    0,    0,    0,    0,    0,  -87,
    0, -250,    0,    0,    0,    0, -273,    0,    8, -249,
 -248, -247, -246, -245, -244,    0,   34, -242, -241, -240,
 -238,    0,    0,   37,    0,    0,    0,    0,    0,    0,
    0,    0,    6,    0,    0,    0,    0,    0, -242,    0,
};
static const YYINT yyrindex[] = {                         0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,   41,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,   42,    0,    0,    0,    0,    0,    0,    0,
};
#if YYBTYACC
static const YYINT yycindex[] = {                         0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
};
#endif
static const YYINT yygindex[] = {                         0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,  -36,
};
#define YYTABLESIZE 285
static const YYINT yytable[] = {                         20,
   60,   61,   29,   30,   62,   25,   63,   64,   26,   65,
   54,   55,   27,   36,   28,   32,   33,   72,   34,   35,
   44,   37,   38,   39,   45,   46,   40,   41,   42,   43,
   47,   48,   49,   52,   53,   56,   58,   75,   76,   77,
   78,   79,   80,   81,   82,   85,   88,   86,   87,   89,
   27,   43,   90,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,   73,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    2,    3,    4,    0,    0,
    5,    6,    7,    8,    0,    0,    9,   10,   11,   12,
   13,   14,   15,   67,    0,    0,   68,   69,   16,    0,
    0,   17,   70,    0,   18,    0,   19,    0,    0,    0,
    0,    0,    0,    0,   71,
};
static const YYINT yycheck[] = {                         10,
  274,  275,  287,  288,  278,   10,  280,  281,  287,  283,
  287,  288,  287,  276,  287,  287,  287,   10,  287,  287,
   61,  288,  287,  287,   10,   10,  288,  287,  287,  284,
   10,   10,  288,  266,  287,  123,  287,  287,  287,  287,
  287,  287,  287,   10,  287,  287,   10,  288,  287,   44,
   10,   10,   89,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,  125,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,  256,  257,  258,   -1,   -1,
  261,  262,  263,  264,   -1,   -1,  267,  268,  269,  270,
  271,  272,  273,  256,   -1,   -1,  259,  260,  279,   -1,
   -1,  282,  265,   -1,  285,   -1,  287,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,  277,
};
#if YYBTYACC
static const YYINT yyctable[] = {                        -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,
};
#endif
#define YYFINAL 1
#ifndef YYDEBUG
#define YYDEBUG 0
#endif
#define YYMAXTOKEN 288
#define YYUNDFTOKEN 304
#define YYTRANSLATE(a) ((a) > YYMAXTOKEN ? YYUNDFTOKEN : (a))
#if YYDEBUG
static const char *const yyname[] = {

"$end",0,0,0,0,0,0,0,0,0,"'\\n'",0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
0,0,0,0,0,0,0,0,0,0,"','",0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,"'='",0,0,0,0,0,0,0,0,
0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
0,0,0,0,0,0,0,0,0,0,0,0,0,"'{'",0,"'}'",0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,"error","ACCEPT",
"ADDRESS","ALLOWEDIPS","ENDPOINT","EXCLUDE","INACTIVITY","INCLUDE","INTERFACE",
"KEEPALIVE","KEY","KEYS","LAZYCONN","LISTEN","MTU","NETLOCK","PEER","PEERPORT",
"PASSWORD","PASSWORDFILE","PORT","PUBLICKEY","REALM","RELAY","SECRET",
"SECRETFILE","SIGNAL","USERNAME","USERSPACE","WIREGUARD","ERROR","STRING",
"NUMBER","$accept","grammar","value","include","varset","main","peer",
"relayopts_l","$$1","relayopts","$$2","peeropts_l","peeropts","allowed_l",
"allowed","illegal-symbol",
};
static const char *const yyrule[] = {
"$accept : grammar",
"grammar :",
"grammar : grammar '\\n'",
"grammar : grammar include '\\n'",
"grammar : grammar varset '\\n'",
"grammar : grammar main '\\n'",
"grammar : grammar peer '\\n'",
"grammar : grammar error '\\n'",
"include : INCLUDE STRING",
"varset : STRING '=' STRING",
"varset : STRING '=' NUMBER",
"value : STRING",
"value : NUMBER",
"main : INTERFACE STRING",
"main : NETLOCK STRING",
"main : ADDRESS STRING",
"main : MTU NUMBER",
"main : LISTEN PORT NUMBER",
"main : PEERPORT NUMBER",
"main : WIREGUARD USERSPACE STRING",
"main : KEYS STRING",
"main : ACCEPT STRING",
"main : SIGNAL STRING KEY STRING",
"main : LAZYCONN STRING",
"main : INACTIVITY value",
"main : EXCLUDE STRING",
"$$1 :",
"main : RELAY STRING $$1 relayopts_l",
"relayopts_l :",
"relayopts_l : relayopts_l relayopts",
"relayopts : USERNAME STRING",
"relayopts : PASSWORD STRING",
"relayopts : PASSWORDFILE STRING",
"relayopts : SECRET STRING",
"relayopts : SECRETFILE STRING",
"relayopts : REALM STRING",
"$$2 :",
"peer : PEER STRING $$2 '{' peeropts_l '}'",
"peeropts_l :",
"peeropts_l : peeropts_l '\\n'",
"peeropts_l : peeropts_l peeropts '\\n'",
"peeropts_l : peeropts_l error '\\n'",
"peeropts : PUBLICKEY STRING",
"peeropts : ALLOWEDIPS allowed_l",
"peeropts : ENDPOINT STRING",
"peeropts : KEEPALIVE NUMBER",
"allowed_l : allowed",
"allowed_l : allowed_l ',' allowed",
"allowed : STRING",

};
#endif

#if YYDEBUG
int      yydebug;
#endif

int      yyerrflag;
int      yychar;
YYSTYPE  yyval;
YYSTYPE  yylval;
int      yynerrs;

#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
YYLTYPE  yyloc; /* position returned by actions */
YYLTYPE  yylloc; /* position from the lexer */
#endif

#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
#ifndef YYLLOC_DEFAULT
#define YYLLOC_DEFAULT(loc, rhs, n) \
do \
{ \
    if (n == 0) \
    { \
        (loc).first_line   = YYRHSLOC(rhs, 0).last_line; \
        (loc).first_column = YYRHSLOC(rhs, 0).last_column; \
        (loc).last_line    = YYRHSLOC(rhs, 0).last_line; \
        (loc).last_column  = YYRHSLOC(rhs, 0).last_column; \
    } \
    else \
    { \
        (loc).first_line   = YYRHSLOC(rhs, 1).first_line; \
        (loc).first_column = YYRHSLOC(rhs, 1).first_column; \
        (loc).last_line    = YYRHSLOC(rhs, n).last_line; \
        (loc).last_column  = YYRHSLOC(rhs, n).last_column; \
    } \
} while (0)
#endif /* YYLLOC_DEFAULT */
#endif /* defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED) */
#if YYBTYACC

#ifndef YYLVQUEUEGROWTH
#define YYLVQUEUEGROWTH 32
#endif
#endif /* YYBTYACC */

/* define the initial stack-sizes */
#ifdef YYSTACKSIZE
#undef YYMAXDEPTH
#define YYMAXDEPTH  YYSTACKSIZE
#else
#ifdef YYMAXDEPTH
#define YYSTACKSIZE YYMAXDEPTH
#else
#define YYSTACKSIZE 10000
#define YYMAXDEPTH  10000
#endif
#endif

#ifndef YYINITSTACKSIZE
#define YYINITSTACKSIZE 200
#endif

typedef struct {
    unsigned stacksize;
    YYINT    *s_base;
    YYINT    *s_mark;
    YYINT    *s_last;
    YYSTYPE  *l_base;
    YYSTYPE  *l_mark;
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
    YYLTYPE  *p_base;
    YYLTYPE  *p_mark;
#endif
} YYSTACKDATA;
#if YYBTYACC

struct YYParseState_s
{
    struct YYParseState_s *save;    /* Previously saved parser state */
    YYSTACKDATA            yystack; /* saved parser stack */
    int                    state;   /* saved parser state */
    int                    errflag; /* saved error recovery status */
    int                    lexeme;  /* saved index of the conflict lexeme in the lexical queue */
    YYINT                  ctry;    /* saved index in yyctable[] for this conflict */
};
typedef struct YYParseState_s YYParseState;
#endif /* YYBTYACC */
/* variables for the parser stack */
static YYSTACKDATA yystack;
#if YYBTYACC

/* Current parser state */
static YYParseState *yyps = 0;

/* yypath != NULL: do the full parse, starting at *yypath parser state. */
static YYParseState *yypath = 0;

/* Base of the lexical value queue */
static YYSTYPE *yylvals = 0;

/* Current position at lexical value queue */
static YYSTYPE *yylvp = 0;

/* End position of lexical value queue */
static YYSTYPE *yylve = 0;

/* The last allocated position at the lexical value queue */
static YYSTYPE *yylvlim = 0;

#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
/* Base of the lexical position queue */
static YYLTYPE *yylpsns = 0;

/* Current position at lexical position queue */
static YYLTYPE *yylpp = 0;

/* End position of lexical position queue */
static YYLTYPE *yylpe = 0;

/* The last allocated position at the lexical position queue */
static YYLTYPE *yylplim = 0;
#endif

/* Current position at lexical token queue */
static YYINT  *yylexp = 0;

static YYINT  *yylexemes = 0;
#endif /* YYBTYACC */
#line 351 "/work/wt/relaycred/agent/parse.y"

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
#line 1430 "/work/wt/relaycred/agent/parse.c"

/* Release memory associated with symbol. */
#if ! defined YYDESTRUCT_IS_DECLARED
static void
YYDESTRUCT_DECL()
{
    switch (psymb)
    {
	case 287:
#line 157 "/work/wt/relaycred/agent/parse.y"
	{ free((*val).v.string); }
#line 1442 "/work/wt/relaycred/agent/parse.c"
	break;
	case 291:
#line 157 "/work/wt/relaycred/agent/parse.y"
	{ free((*val).v.string); }
#line 1447 "/work/wt/relaycred/agent/parse.c"
	break;
    }
}
#define YYDESTRUCT_IS_DECLARED 1
#endif

/* For use in generated program */
#define yydepth (int)(yystack.s_mark - yystack.s_base)
#if YYBTYACC
#define yytrial (yyps->save)
#endif /* YYBTYACC */

#if YYDEBUG
#include <stdio.h>	/* needed for printf */
#endif

#include <stdlib.h>	/* needed for malloc, etc */
#include <string.h>	/* needed for memset */

/* allocate initial stack or double stack size, up to YYMAXDEPTH */
static int yygrowstack(YYSTACKDATA *data)
{
    int i;
    unsigned newsize;
    YYINT *newss;
    YYSTYPE *newvs;
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
    YYLTYPE *newps;
#endif

    if ((newsize = data->stacksize) == 0)
        newsize = YYINITSTACKSIZE;
    else if (newsize >= YYMAXDEPTH)
        return YYENOMEM;
    else if ((newsize *= 2) > YYMAXDEPTH)
        newsize = YYMAXDEPTH;

    i = (int) (data->s_mark - data->s_base);
    newss = (YYINT *)realloc(data->s_base, newsize * sizeof(*newss));
    if (newss == 0)
        return YYENOMEM;

    data->s_base = newss;
    data->s_mark = newss + i;

    newvs = (YYSTYPE *)realloc(data->l_base, newsize * sizeof(*newvs));
    if (newvs == 0)
        return YYENOMEM;

    data->l_base = newvs;
    data->l_mark = newvs + i;

#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
    newps = (YYLTYPE *)realloc(data->p_base, newsize * sizeof(*newps));
    if (newps == 0)
        return YYENOMEM;

    data->p_base = newps;
    data->p_mark = newps + i;
#endif

    data->stacksize = newsize;
    data->s_last = data->s_base + newsize - 1;

#if YYDEBUG
    if (yydebug)
        fprintf(stderr, "%sdebug: stack size increased to %d\n", YYPREFIX, newsize);
#endif
    return 0;
}

#if YYPURE || defined(YY_NO_LEAKS)
static void yyfreestack(YYSTACKDATA *data)
{
    free(data->s_base);
    free(data->l_base);
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
    free(data->p_base);
#endif
    memset(data, 0, sizeof(*data));
}
#else
#define yyfreestack(data) /* nothing */
#endif /* YYPURE || defined(YY_NO_LEAKS) */
#if YYBTYACC

static YYParseState *
yyNewState(unsigned size)
{
    YYParseState *p = (YYParseState *) malloc(sizeof(YYParseState));
    if (p == NULL) return NULL;

    p->yystack.stacksize = size;
    if (size == 0)
    {
        p->yystack.s_base = NULL;
        p->yystack.l_base = NULL;
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
        p->yystack.p_base = NULL;
#endif
        return p;
    }
    p->yystack.s_base    = (YYINT *) malloc(size * sizeof(YYINT));
    if (p->yystack.s_base == NULL) return NULL;
    p->yystack.l_base    = (YYSTYPE *) malloc(size * sizeof(YYSTYPE));
    if (p->yystack.l_base == NULL) return NULL;
    memset(p->yystack.l_base, 0, size * sizeof(YYSTYPE));
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
    p->yystack.p_base    = (YYLTYPE *) malloc(size * sizeof(YYLTYPE));
    if (p->yystack.p_base == NULL) return NULL;
    memset(p->yystack.p_base, 0, size * sizeof(YYLTYPE));
#endif

    return p;
}

static void
yyFreeState(YYParseState *p)
{
    yyfreestack(&p->yystack);
    free(p);
}
#endif /* YYBTYACC */

#define YYABORT  goto yyabort
#define YYREJECT goto yyabort
#define YYACCEPT goto yyaccept
#define YYERROR  goto yyerrlab
#if YYBTYACC
#define YYVALID        do { if (yyps->save)            goto yyvalid; } while(0)
#define YYVALID_NESTED do { if (yyps->save && \
                                yyps->save->save == 0) goto yyvalid; } while(0)
#endif /* YYBTYACC */

int
YYPARSE_DECL()
{
    int yym, yyn, yystate, yyresult;
#if YYBTYACC
    int yynewerrflag;
    YYParseState *yyerrctx = NULL;
#endif /* YYBTYACC */
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
    YYLTYPE  yyerror_loc_range[3]; /* position of error start/end (0 unused) */
#endif
#if YYDEBUG
    const char *yys;

    if ((yys = getenv("YYDEBUG")) != 0)
    {
        yyn = *yys;
        if (yyn >= '0' && yyn <= '9')
            yydebug = yyn - '0';
    }
    if (yydebug)
        fprintf(stderr, "%sdebug[<# of symbols on state stack>]\n", YYPREFIX);
#endif
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
    memset(yyerror_loc_range, 0, sizeof(yyerror_loc_range));
#endif

#if YYBTYACC
    yyps = yyNewState(0); if (yyps == 0) goto yyenomem;
    yyps->save = 0;
#endif /* YYBTYACC */
    yym = 0;
    /* yyn is set below */
    yynerrs = 0;
    yyerrflag = 0;
    yychar = YYEMPTY;
    yystate = 0;

#if YYPURE
    memset(&yystack, 0, sizeof(yystack));
#endif

    if (yystack.s_base == NULL && yygrowstack(&yystack) == YYENOMEM) goto yyoverflow;
    yystack.s_mark = yystack.s_base;
    yystack.l_mark = yystack.l_base;
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
    yystack.p_mark = yystack.p_base;
#endif
    yystate = 0;
    *yystack.s_mark = 0;

yyloop:
    if ((yyn = yydefred[yystate]) != 0) goto yyreduce;
    if (yychar < 0)
    {
#if YYBTYACC
        do {
        if (yylvp < yylve)
        {
            /* we're currently re-reading tokens */
            yylval = *yylvp++;
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
            yylloc = *yylpp++;
#endif
            yychar = *yylexp++;
            break;
        }
        if (yyps->save)
        {
            /* in trial mode; save scanner results for future parse attempts */
            if (yylvp == yylvlim)
            {   /* Enlarge lexical value queue */
                size_t p = (size_t) (yylvp - yylvals);
                size_t s = (size_t) (yylvlim - yylvals);

                s += YYLVQUEUEGROWTH;
                if ((yylexemes = (YYINT *)realloc(yylexemes, s * sizeof(YYINT))) == NULL) goto yyenomem;
                if ((yylvals   = (YYSTYPE *)realloc(yylvals, s * sizeof(YYSTYPE))) == NULL) goto yyenomem;
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
                if ((yylpsns   = (YYLTYPE *)realloc(yylpsns, s * sizeof(YYLTYPE))) == NULL) goto yyenomem;
#endif
                yylvp   = yylve = yylvals + p;
                yylvlim = yylvals + s;
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
                yylpp   = yylpe = yylpsns + p;
                yylplim = yylpsns + s;
#endif
                yylexp  = yylexemes + p;
            }
            *yylexp = (YYINT) YYLEX;
            *yylvp++ = yylval;
            yylve++;
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
            *yylpp++ = yylloc;
            yylpe++;
#endif
            yychar = *yylexp++;
            break;
        }
        /* normal operation, no conflict encountered */
#endif /* YYBTYACC */
        yychar = YYLEX;
#if YYBTYACC
        } while (0);
#endif /* YYBTYACC */
        if (yychar < 0) yychar = YYEOF;
#if YYDEBUG
        if (yydebug)
        {
            if ((yys = yyname[YYTRANSLATE(yychar)]) == NULL) yys = yyname[YYUNDFTOKEN];
            fprintf(stderr, "%s[%d]: state %d, reading token %d (%s)",
                            YYDEBUGSTR, yydepth, yystate, yychar, yys);
#ifdef YYSTYPE_TOSTRING
#if YYBTYACC
            if (!yytrial)
#endif /* YYBTYACC */
                fprintf(stderr, " <%s>", YYSTYPE_TOSTRING(yychar, yylval));
#endif
            fputc('\n', stderr);
        }
#endif
    }
#if YYBTYACC

    /* Do we have a conflict? */
    if (((yyn = yycindex[yystate]) != 0) && (yyn += yychar) >= 0 &&
        yyn <= YYTABLESIZE && yycheck[yyn] == (YYINT) yychar)
    {
        YYINT ctry;

        if (yypath)
        {
            YYParseState *save;
#if YYDEBUG
            if (yydebug)
                fprintf(stderr, "%s[%d]: CONFLICT in state %d: following successful trial parse\n",
                                YYDEBUGSTR, yydepth, yystate);
#endif
            /* Switch to the next conflict context */
            save = yypath;
            yypath = save->save;
            save->save = NULL;
            ctry = save->ctry;
            if (save->state != yystate) YYABORT;
            yyFreeState(save);

        }
        else
        {

            /* Unresolved conflict - start/continue trial parse */
            YYParseState *save;
#if YYDEBUG
            if (yydebug)
            {
                fprintf(stderr, "%s[%d]: CONFLICT in state %d. ", YYDEBUGSTR, yydepth, yystate);
                if (yyps->save)
                    fputs("ALREADY in conflict, continuing trial parse.\n", stderr);
                else
                    fputs("Starting trial parse.\n", stderr);
            }
#endif
            save                  = yyNewState((unsigned)(yystack.s_mark - yystack.s_base + 1));
            if (save == NULL) goto yyenomem;
            save->save            = yyps->save;
            save->state           = yystate;
            save->errflag         = yyerrflag;
            save->yystack.s_mark  = save->yystack.s_base + (yystack.s_mark - yystack.s_base);
            memcpy (save->yystack.s_base, yystack.s_base, (size_t) (yystack.s_mark - yystack.s_base + 1) * sizeof(YYINT));
            save->yystack.l_mark  = save->yystack.l_base + (yystack.l_mark - yystack.l_base);
            memcpy (save->yystack.l_base, yystack.l_base, (size_t) (yystack.l_mark - yystack.l_base + 1) * sizeof(YYSTYPE));
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
            save->yystack.p_mark  = save->yystack.p_base + (yystack.p_mark - yystack.p_base);
            memcpy (save->yystack.p_base, yystack.p_base, (size_t) (yystack.p_mark - yystack.p_base + 1) * sizeof(YYLTYPE));
#endif
            ctry                  = yytable[yyn];
            if (yyctable[ctry] == -1)
            {
#if YYDEBUG
                if (yydebug && yychar >= YYEOF)
                    fprintf(stderr, "%s[%d]: backtracking 1 token\n", YYDEBUGSTR, yydepth);
#endif
                ctry++;
            }
            save->ctry = ctry;
            if (yyps->save == NULL)
            {
                /* If this is a first conflict in the stack, start saving lexemes */
                if (!yylexemes)
                {
                    yylexemes = (YYINT *) malloc((YYLVQUEUEGROWTH) * sizeof(YYINT));
                    if (yylexemes == NULL) goto yyenomem;
                    yylvals   = (YYSTYPE *) malloc((YYLVQUEUEGROWTH) * sizeof(YYSTYPE));
                    if (yylvals == NULL) goto yyenomem;
                    yylvlim   = yylvals + YYLVQUEUEGROWTH;
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
                    yylpsns   = (YYLTYPE *) malloc((YYLVQUEUEGROWTH) * sizeof(YYLTYPE));
                    if (yylpsns == NULL) goto yyenomem;
                    yylplim   = yylpsns + YYLVQUEUEGROWTH;
#endif
                }
                if (yylvp == yylve)
                {
                    yylvp  = yylve = yylvals;
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
                    yylpp  = yylpe = yylpsns;
#endif
                    yylexp = yylexemes;
                    if (yychar >= YYEOF)
                    {
                        *yylve++ = yylval;
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
                        *yylpe++ = yylloc;
#endif
                        *yylexp  = (YYINT) yychar;
                        yychar   = YYEMPTY;
                    }
                }
            }
            if (yychar >= YYEOF)
            {
                yylvp--;
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
                yylpp--;
#endif
                yylexp--;
                yychar = YYEMPTY;
            }
            save->lexeme = (int) (yylvp - yylvals);
            yyps->save   = save;
        }
        if (yytable[yyn] == ctry)
        {
#if YYDEBUG
            if (yydebug)
                fprintf(stderr, "%s[%d]: state %d, shifting to state %d\n",
                                YYDEBUGSTR, yydepth, yystate, yyctable[ctry]);
#endif
            if (yychar < 0)
            {
                yylvp++;
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
                yylpp++;
#endif
                yylexp++;
            }
            if (yystack.s_mark >= yystack.s_last && yygrowstack(&yystack) == YYENOMEM)
                goto yyoverflow;
            yystate = yyctable[ctry];
            *++yystack.s_mark = (YYINT) yystate;
            *++yystack.l_mark = yylval;
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
            *++yystack.p_mark = yylloc;
#endif
            yychar  = YYEMPTY;
            if (yyerrflag > 0) --yyerrflag;
            goto yyloop;
        }
        else
        {
            yyn = yyctable[ctry];
            goto yyreduce;
        }
    } /* End of code dealing with conflicts */
#endif /* YYBTYACC */
    if (((yyn = yysindex[yystate]) != 0) && (yyn += yychar) >= 0 &&
            yyn <= YYTABLESIZE && yycheck[yyn] == (YYINT) yychar)
    {
#if YYDEBUG
        if (yydebug)
            fprintf(stderr, "%s[%d]: state %d, shifting to state %d\n",
                            YYDEBUGSTR, yydepth, yystate, yytable[yyn]);
#endif
        if (yystack.s_mark >= yystack.s_last && yygrowstack(&yystack) == YYENOMEM) goto yyoverflow;
        yystate = yytable[yyn];
        *++yystack.s_mark = yytable[yyn];
        *++yystack.l_mark = yylval;
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
        *++yystack.p_mark = yylloc;
#endif
        yychar = YYEMPTY;
        if (yyerrflag > 0)  --yyerrflag;
        goto yyloop;
    }
    if (((yyn = yyrindex[yystate]) != 0) && (yyn += yychar) >= 0 &&
            yyn <= YYTABLESIZE && yycheck[yyn] == (YYINT) yychar)
    {
        yyn = yytable[yyn];
        goto yyreduce;
    }
    if (yyerrflag != 0) goto yyinrecovery;
#if YYBTYACC

    yynewerrflag = 1;
    goto yyerrhandler;
    goto yyerrlab; /* redundant goto avoids 'unused label' warning */

yyerrlab:
    /* explicit YYERROR from an action -- pop the rhs of the rule reduced
     * before looking for error recovery */
    yystack.s_mark -= yym;
    yystate = *yystack.s_mark;
    yystack.l_mark -= yym;
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
    yystack.p_mark -= yym;
#endif

    yynewerrflag = 0;
yyerrhandler:
    while (yyps->save)
    {
        int ctry;
        YYParseState *save = yyps->save;
#if YYDEBUG
        if (yydebug)
            fprintf(stderr, "%s[%d]: ERROR in state %d, CONFLICT BACKTRACKING to state %d, %d tokens\n",
                            YYDEBUGSTR, yydepth, yystate, yyps->save->state,
                    (int)(yylvp - yylvals - yyps->save->lexeme));
#endif
        /* Memorize most forward-looking error state in case it's really an error. */
        if (yyerrctx == NULL || yyerrctx->lexeme < yylvp - yylvals)
        {
            /* Free old saved error context state */
            if (yyerrctx) yyFreeState(yyerrctx);
            /* Create and fill out new saved error context state */
            yyerrctx                 = yyNewState((unsigned)(yystack.s_mark - yystack.s_base + 1));
            if (yyerrctx == NULL) goto yyenomem;
            yyerrctx->save           = yyps->save;
            yyerrctx->state          = yystate;
            yyerrctx->errflag        = yyerrflag;
            yyerrctx->yystack.s_mark = yyerrctx->yystack.s_base + (yystack.s_mark - yystack.s_base);
            memcpy (yyerrctx->yystack.s_base, yystack.s_base, (size_t) (yystack.s_mark - yystack.s_base + 1) * sizeof(YYINT));
            yyerrctx->yystack.l_mark = yyerrctx->yystack.l_base + (yystack.l_mark - yystack.l_base);
            memcpy (yyerrctx->yystack.l_base, yystack.l_base, (size_t) (yystack.l_mark - yystack.l_base + 1) * sizeof(YYSTYPE));
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
            yyerrctx->yystack.p_mark = yyerrctx->yystack.p_base + (yystack.p_mark - yystack.p_base);
            memcpy (yyerrctx->yystack.p_base, yystack.p_base, (size_t) (yystack.p_mark - yystack.p_base + 1) * sizeof(YYLTYPE));
#endif
            yyerrctx->lexeme         = (int) (yylvp - yylvals);
        }
        yylvp          = yylvals   + save->lexeme;
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
        yylpp          = yylpsns   + save->lexeme;
#endif
        yylexp         = yylexemes + save->lexeme;
        yychar         = YYEMPTY;
        yystack.s_mark = yystack.s_base + (save->yystack.s_mark - save->yystack.s_base);
        memcpy (yystack.s_base, save->yystack.s_base, (size_t) (yystack.s_mark - yystack.s_base + 1) * sizeof(YYINT));
        yystack.l_mark = yystack.l_base + (save->yystack.l_mark - save->yystack.l_base);
        memcpy (yystack.l_base, save->yystack.l_base, (size_t) (yystack.l_mark - yystack.l_base + 1) * sizeof(YYSTYPE));
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
        yystack.p_mark = yystack.p_base + (save->yystack.p_mark - save->yystack.p_base);
        memcpy (yystack.p_base, save->yystack.p_base, (size_t) (yystack.p_mark - yystack.p_base + 1) * sizeof(YYLTYPE));
#endif
        ctry           = ++save->ctry;
        yystate        = save->state;
        /* We tried shift, try reduce now */
        if ((yyn = yyctable[ctry]) >= 0) goto yyreduce;
        yyps->save     = save->save;
        save->save     = NULL;
        yyFreeState(save);

        /* Nothing left on the stack -- error */
        if (!yyps->save)
        {
#if YYDEBUG
            if (yydebug)
                fprintf(stderr, "%sdebug[%d,trial]: trial parse FAILED, entering ERROR mode\n",
                                YYPREFIX, yydepth);
#endif
            /* Restore state as it was in the most forward-advanced error */
            yylvp          = yylvals   + yyerrctx->lexeme;
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
            yylpp          = yylpsns   + yyerrctx->lexeme;
#endif
            yylexp         = yylexemes + yyerrctx->lexeme;
            yychar         = yylexp[-1];
            yylval         = yylvp[-1];
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
            yylloc         = yylpp[-1];
#endif
            yystack.s_mark = yystack.s_base + (yyerrctx->yystack.s_mark - yyerrctx->yystack.s_base);
            memcpy (yystack.s_base, yyerrctx->yystack.s_base, (size_t) (yystack.s_mark - yystack.s_base + 1) * sizeof(YYINT));
            yystack.l_mark = yystack.l_base + (yyerrctx->yystack.l_mark - yyerrctx->yystack.l_base);
            memcpy (yystack.l_base, yyerrctx->yystack.l_base, (size_t) (yystack.l_mark - yystack.l_base + 1) * sizeof(YYSTYPE));
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
            yystack.p_mark = yystack.p_base + (yyerrctx->yystack.p_mark - yyerrctx->yystack.p_base);
            memcpy (yystack.p_base, yyerrctx->yystack.p_base, (size_t) (yystack.p_mark - yystack.p_base + 1) * sizeof(YYLTYPE));
#endif
            yystate        = yyerrctx->state;
            yyFreeState(yyerrctx);
            yyerrctx       = NULL;
        }
        yynewerrflag = 1;
    }
    if (yynewerrflag == 0) goto yyinrecovery;
#endif /* YYBTYACC */

    YYERROR_CALL("syntax error");
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
    yyerror_loc_range[1] = yylloc; /* lookahead position is error start position */
#endif

#if !YYBTYACC
    goto yyerrlab; /* redundant goto avoids 'unused label' warning */
yyerrlab:
#endif
    ++yynerrs;

yyinrecovery:
    if (yyerrflag < 3)
    {
        yyerrflag = 3;
        for (;;)
        {
            if (((yyn = yysindex[*yystack.s_mark]) != 0) && (yyn += YYERRCODE) >= 0 &&
                    yyn <= YYTABLESIZE && yycheck[yyn] == (YYINT) YYERRCODE)
            {
#if YYDEBUG
                if (yydebug)
                    fprintf(stderr, "%s[%d]: state %d, error recovery shifting to state %d\n",
                                    YYDEBUGSTR, yydepth, *yystack.s_mark, yytable[yyn]);
#endif
                if (yystack.s_mark >= yystack.s_last && yygrowstack(&yystack) == YYENOMEM) goto yyoverflow;
                yystate = yytable[yyn];
                *++yystack.s_mark = yytable[yyn];
                *++yystack.l_mark = yylval;
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
                /* lookahead position is error end position */
                yyerror_loc_range[2] = yylloc;
                YYLLOC_DEFAULT(yyloc, yyerror_loc_range, 2); /* position of error span */
                *++yystack.p_mark = yyloc;
#endif
                goto yyloop;
            }
            else
            {
#if YYDEBUG
                if (yydebug)
                    fprintf(stderr, "%s[%d]: error recovery discarding state %d\n",
                                    YYDEBUGSTR, yydepth, *yystack.s_mark);
#endif
                if (yystack.s_mark <= yystack.s_base) goto yyabort;
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
                /* the current TOS position is the error start position */
                yyerror_loc_range[1] = *yystack.p_mark;
#endif
#if defined(YYDESTRUCT_CALL)
#if YYBTYACC
                if (!yytrial)
#endif /* YYBTYACC */
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
                    YYDESTRUCT_CALL("error: discarding state",
                                    yystos[*yystack.s_mark], yystack.l_mark, yystack.p_mark);
#else
                    YYDESTRUCT_CALL("error: discarding state",
                                    yystos[*yystack.s_mark], yystack.l_mark);
#endif /* defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED) */
#endif /* defined(YYDESTRUCT_CALL) */
                --yystack.s_mark;
                --yystack.l_mark;
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
                --yystack.p_mark;
#endif
            }
        }
    }
    else
    {
        if (yychar == YYEOF) goto yyabort;
#if YYDEBUG
        if (yydebug)
        {
            if ((yys = yyname[YYTRANSLATE(yychar)]) == NULL) yys = yyname[YYUNDFTOKEN];
            fprintf(stderr, "%s[%d]: state %d, error recovery discarding token %d (%s)\n",
                            YYDEBUGSTR, yydepth, yystate, yychar, yys);
        }
#endif
#if defined(YYDESTRUCT_CALL)
#if YYBTYACC
        if (!yytrial)
#endif /* YYBTYACC */
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
            YYDESTRUCT_CALL("error: discarding token", yychar, &yylval, &yylloc);
#else
            YYDESTRUCT_CALL("error: discarding token", yychar, &yylval);
#endif /* defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED) */
#endif /* defined(YYDESTRUCT_CALL) */
        yychar = YYEMPTY;
        goto yyloop;
    }

yyreduce:
    yym = yylen[yyn];
#if YYDEBUG
    if (yydebug)
    {
        fprintf(stderr, "%s[%d]: state %d, reducing by rule %d (%s)",
                        YYDEBUGSTR, yydepth, yystate, yyn, yyrule[yyn]);
#ifdef YYSTYPE_TOSTRING
#if YYBTYACC
        if (!yytrial)
#endif /* YYBTYACC */
            if (yym > 0)
            {
                int i;
                fputc('<', stderr);
                for (i = yym; i > 0; i--)
                {
                    if (i != yym) fputs(", ", stderr);
                    fputs(YYSTYPE_TOSTRING(yystos[yystack.s_mark[1-i]],
                                           yystack.l_mark[1-i]), stderr);
                }
                fputc('>', stderr);
            }
#endif
        fputc('\n', stderr);
    }
#endif
    if (yym > 0)
        yyval = yystack.l_mark[1-yym];
    else
        memset(&yyval, 0, sizeof yyval);
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)

    /* Perform position reduction */
    memset(&yyloc, 0, sizeof(yyloc));
#if YYBTYACC
    if (!yytrial)
#endif /* YYBTYACC */
    {
        YYLLOC_DEFAULT(yyloc, &yystack.p_mark[-yym], yym);
        /* just in case YYERROR is invoked within the action, save
           the start of the rhs as the error start position */
        yyerror_loc_range[1] = yystack.p_mark[1-yym];
    }
#endif

    switch (yyn)
    {
case 7:
#line 167 "/work/wt/relaycred/agent/parse.y"
	{ yyerrok; }
#line 2125 "/work/wt/relaycred/agent/parse.c"
break;
case 8:
#line 170 "/work/wt/relaycred/agent/parse.y"
	{
			conflex_include(yystack.l_mark[0].v.string);
			free(yystack.l_mark[0].v.string);
		}
#line 2133 "/work/wt/relaycred/agent/parse.c"
break;
case 9:
#line 176 "/work/wt/relaycred/agent/parse.y"
	{
			conflex_macro_set(yystack.l_mark[-2].v.string, yystack.l_mark[0].v.string);
			free(yystack.l_mark[-2].v.string);
			free(yystack.l_mark[0].v.string);
		}
#line 2142 "/work/wt/relaycred/agent/parse.c"
break;
case 10:
#line 181 "/work/wt/relaycred/agent/parse.y"
	{
			conflex_macro_set_number(yystack.l_mark[-2].v.string, yystack.l_mark[0].v.number);
			free(yystack.l_mark[-2].v.string);
		}
#line 2150 "/work/wt/relaycred/agent/parse.c"
break;
case 11:
#line 188 "/work/wt/relaycred/agent/parse.y"
	{ yyval.v.string = yystack.l_mark[0].v.string; }
#line 2155 "/work/wt/relaycred/agent/parse.c"
break;
case 12:
#line 189 "/work/wt/relaycred/agent/parse.y"
	{
			if (asprintf(&yyval.v.string, "%lld", yystack.l_mark[0].v.number) == -1)
				fatal("%s", __func__);
		}
#line 2163 "/work/wt/relaycred/agent/parse.c"
break;
case 13:
#line 195 "/work/wt/relaycred/agent/parse.y"
	{
			conf_ifname(yystack.l_mark[0].v.string);
			free(yystack.l_mark[0].v.string);
		}
#line 2171 "/work/wt/relaycred/agent/parse.c"
break;
case 14:
#line 199 "/work/wt/relaycred/agent/parse.y"
	{
			conf_lock(yystack.l_mark[0].v.string);
			free(yystack.l_mark[0].v.string);
		}
#line 2179 "/work/wt/relaycred/agent/parse.c"
break;
case 15:
#line 203 "/work/wt/relaycred/agent/parse.y"
	{
			conf_address(yystack.l_mark[0].v.string);
			free(yystack.l_mark[0].v.string);
		}
#line 2187 "/work/wt/relaycred/agent/parse.c"
break;
case 16:
#line 207 "/work/wt/relaycred/agent/parse.y"
	{
			if (seen & SEEN_MTU)
				yyerror("mtu given twice");
			else if (yystack.l_mark[0].v.number < TERND_MTU_MIN || yystack.l_mark[0].v.number > TERND_MTU_MAX)
				yyerror("mtu %lld out of range (%d-%d)", yystack.l_mark[0].v.number,
				    TERND_MTU_MIN, TERND_MTU_MAX);
			else
				conf->mtu = yystack.l_mark[0].v.number;
			seen |= SEEN_MTU;
		}
#line 2201 "/work/wt/relaycred/agent/parse.c"
break;
case 17:
#line 217 "/work/wt/relaycred/agent/parse.y"
	{
			conf_port(yystack.l_mark[0].v.number, &conf->port, "listen port", SEEN_PORT);
		}
#line 2208 "/work/wt/relaycred/agent/parse.c"
break;
case 18:
#line 220 "/work/wt/relaycred/agent/parse.y"
	{
			conf_port(yystack.l_mark[0].v.number, &conf->peerport, "peer-port",
			    SEEN_PEERPORT);
		}
#line 2216 "/work/wt/relaycred/agent/parse.c"
break;
case 19:
#line 224 "/work/wt/relaycred/agent/parse.y"
	{
			if (seen & SEEN_WIREGUARD)
				yyerror("wireguard given twice");
			else if (conflex_path_set(conf->wg_path, yystack.l_mark[0].v.string,
			    "wireguard userspace") == 0)
				conf->wg_backend = WG_BACKEND_USERSPACE;
			seen |= SEEN_WIREGUARD;
			free(yystack.l_mark[0].v.string);
		}
#line 2229 "/work/wt/relaycred/agent/parse.c"
break;
case 20:
#line 233 "/work/wt/relaycred/agent/parse.y"
	{
			if (seen & SEEN_KEYS)
				yyerror("keys given twice");
			else
				conflex_path_set(conf->keydir, yystack.l_mark[0].v.string, "keys");
			seen |= SEEN_KEYS;
			free(yystack.l_mark[0].v.string);
		}
#line 2241 "/work/wt/relaycred/agent/parse.c"
break;
case 21:
#line 241 "/work/wt/relaycred/agent/parse.y"
	{
			conf_accept(yystack.l_mark[0].v.string);
			free(yystack.l_mark[0].v.string);
		}
#line 2249 "/work/wt/relaycred/agent/parse.c"
break;
case 22:
#line 245 "/work/wt/relaycred/agent/parse.y"
	{
			conf_signal(yystack.l_mark[-2].v.string, yystack.l_mark[0].v.string);
			free(yystack.l_mark[-2].v.string);
			free(yystack.l_mark[0].v.string);
		}
#line 2258 "/work/wt/relaycred/agent/parse.c"
break;
case 23:
#line 250 "/work/wt/relaycred/agent/parse.y"
	{
			conf_lazy(yystack.l_mark[0].v.string);
			free(yystack.l_mark[0].v.string);
		}
#line 2266 "/work/wt/relaycred/agent/parse.c"
break;
case 24:
#line 254 "/work/wt/relaycred/agent/parse.y"
	{
			conf_inactivity(yystack.l_mark[0].v.string);
			free(yystack.l_mark[0].v.string);
		}
#line 2274 "/work/wt/relaycred/agent/parse.c"
break;
case 25:
#line 258 "/work/wt/relaycred/agent/parse.y"
	{
			conf_exclude(yystack.l_mark[0].v.string);
			free(yystack.l_mark[0].v.string);
		}
#line 2282 "/work/wt/relaycred/agent/parse.c"
break;
case 26:
#line 262 "/work/wt/relaycred/agent/parse.y"
	{
			relay_begin(yystack.l_mark[0].v.string);
		}
#line 2289 "/work/wt/relaycred/agent/parse.c"
break;
case 27:
#line 264 "/work/wt/relaycred/agent/parse.y"
	{
			relay_end();
			free(yystack.l_mark[-2].v.string);
		}
#line 2297 "/work/wt/relaycred/agent/parse.c"
break;
case 30:
#line 274 "/work/wt/relaycred/agent/parse.y"
	{
			relay_cred(RELAY_SEEN_USERNAME, "username", yystack.l_mark[0].v.string,
			    currelay->boot.username,
			    sizeof(currelay->boot.username));
			free(yystack.l_mark[0].v.string);
		}
#line 2307 "/work/wt/relaycred/agent/parse.c"
break;
case 31:
#line 280 "/work/wt/relaycred/agent/parse.y"
	{
			relay_cred(RELAY_SEEN_PASSWORD, "password", yystack.l_mark[0].v.string,
			    currelay->boot.password,
			    sizeof(currelay->boot.password));
			free(yystack.l_mark[0].v.string);
		}
#line 2317 "/work/wt/relaycred/agent/parse.c"
break;
case 32:
#line 286 "/work/wt/relaycred/agent/parse.y"
	{
			relay_cred_file(RELAY_SEEN_PASSWORD, "password", yystack.l_mark[0].v.string,
			    currelay->boot.password,
			    sizeof(currelay->boot.password));
			free(yystack.l_mark[0].v.string);
		}
#line 2327 "/work/wt/relaycred/agent/parse.c"
break;
case 33:
#line 292 "/work/wt/relaycred/agent/parse.y"
	{
			relay_cred(RELAY_SEEN_SECRET, "secret", yystack.l_mark[0].v.string,
			    currelay->boot.secret,
			    sizeof(currelay->boot.secret));
			free(yystack.l_mark[0].v.string);
		}
#line 2337 "/work/wt/relaycred/agent/parse.c"
break;
case 34:
#line 298 "/work/wt/relaycred/agent/parse.y"
	{
			relay_cred_file(RELAY_SEEN_SECRET, "secret", yystack.l_mark[0].v.string,
			    currelay->boot.secret,
			    sizeof(currelay->boot.secret));
			free(yystack.l_mark[0].v.string);
		}
#line 2347 "/work/wt/relaycred/agent/parse.c"
break;
case 35:
#line 304 "/work/wt/relaycred/agent/parse.y"
	{
			relay_cred(RELAY_SEEN_REALM, "realm", yystack.l_mark[0].v.string,
			    currelay->boot.realm,
			    sizeof(currelay->boot.realm));
			free(yystack.l_mark[0].v.string);
		}
#line 2357 "/work/wt/relaycred/agent/parse.c"
break;
case 36:
#line 312 "/work/wt/relaycred/agent/parse.y"
	{
			peer_begin(yystack.l_mark[0].v.string);
		}
#line 2364 "/work/wt/relaycred/agent/parse.c"
break;
case 37:
#line 314 "/work/wt/relaycred/agent/parse.y"
	{
			peer_end();
			free(yystack.l_mark[-4].v.string);
		}
#line 2372 "/work/wt/relaycred/agent/parse.c"
break;
case 41:
#line 323 "/work/wt/relaycred/agent/parse.y"
	{ yyerrok; }
#line 2377 "/work/wt/relaycred/agent/parse.c"
break;
case 42:
#line 326 "/work/wt/relaycred/agent/parse.y"
	{
			peer_key(yystack.l_mark[0].v.string);
			free(yystack.l_mark[0].v.string);
		}
#line 2385 "/work/wt/relaycred/agent/parse.c"
break;
case 44:
#line 331 "/work/wt/relaycred/agent/parse.y"
	{
			peer_endpoint(yystack.l_mark[0].v.string);
			free(yystack.l_mark[0].v.string);
		}
#line 2393 "/work/wt/relaycred/agent/parse.c"
break;
case 45:
#line 335 "/work/wt/relaycred/agent/parse.y"
	{
			peer_keepalive(yystack.l_mark[0].v.number);
		}
#line 2400 "/work/wt/relaycred/agent/parse.c"
break;
case 48:
#line 344 "/work/wt/relaycred/agent/parse.y"
	{
			peer_allowed(yystack.l_mark[0].v.string);
			free(yystack.l_mark[0].v.string);
		}
#line 2408 "/work/wt/relaycred/agent/parse.c"
break;
#line 2410 "/work/wt/relaycred/agent/parse.c"
    default:
        break;
    }
    yystack.s_mark -= yym;
    yystate = *yystack.s_mark;
    yystack.l_mark -= yym;
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
    yystack.p_mark -= yym;
#endif
    yym = yylhs[yyn];
    if (yystate == 0 && yym == 0)
    {
#if YYDEBUG
        if (yydebug)
        {
            fprintf(stderr, "%s[%d]: after reduction, ", YYDEBUGSTR, yydepth);
#ifdef YYSTYPE_TOSTRING
#if YYBTYACC
            if (!yytrial)
#endif /* YYBTYACC */
                fprintf(stderr, "result is <%s>, ", YYSTYPE_TOSTRING(yystos[YYFINAL], yyval));
#endif
            fprintf(stderr, "shifting from state 0 to final state %d\n", YYFINAL);
        }
#endif
        yystate = YYFINAL;
        *++yystack.s_mark = YYFINAL;
        *++yystack.l_mark = yyval;
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
        *++yystack.p_mark = yyloc;
#endif
        if (yychar < 0)
        {
#if YYBTYACC
            do {
            if (yylvp < yylve)
            {
                /* we're currently re-reading tokens */
                yylval = *yylvp++;
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
                yylloc = *yylpp++;
#endif
                yychar = *yylexp++;
                break;
            }
            if (yyps->save)
            {
                /* in trial mode; save scanner results for future parse attempts */
                if (yylvp == yylvlim)
                {   /* Enlarge lexical value queue */
                    size_t p = (size_t) (yylvp - yylvals);
                    size_t s = (size_t) (yylvlim - yylvals);

                    s += YYLVQUEUEGROWTH;
                    if ((yylexemes = (YYINT *)realloc(yylexemes, s * sizeof(YYINT))) == NULL)
                        goto yyenomem;
                    if ((yylvals   = (YYSTYPE *)realloc(yylvals, s * sizeof(YYSTYPE))) == NULL)
                        goto yyenomem;
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
                    if ((yylpsns   = (YYLTYPE *)realloc(yylpsns, s * sizeof(YYLTYPE))) == NULL)
                        goto yyenomem;
#endif
                    yylvp   = yylve = yylvals + p;
                    yylvlim = yylvals + s;
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
                    yylpp   = yylpe = yylpsns + p;
                    yylplim = yylpsns + s;
#endif
                    yylexp  = yylexemes + p;
                }
                *yylexp = (YYINT) YYLEX;
                *yylvp++ = yylval;
                yylve++;
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
                *yylpp++ = yylloc;
                yylpe++;
#endif
                yychar = *yylexp++;
                break;
            }
            /* normal operation, no conflict encountered */
#endif /* YYBTYACC */
            yychar = YYLEX;
#if YYBTYACC
            } while (0);
#endif /* YYBTYACC */
            if (yychar < 0) yychar = YYEOF;
#if YYDEBUG
            if (yydebug)
            {
                if ((yys = yyname[YYTRANSLATE(yychar)]) == NULL) yys = yyname[YYUNDFTOKEN];
                fprintf(stderr, "%s[%d]: state %d, reading token %d (%s)\n",
                                YYDEBUGSTR, yydepth, YYFINAL, yychar, yys);
            }
#endif
        }
        if (yychar == YYEOF) goto yyaccept;
        goto yyloop;
    }
    if (((yyn = yygindex[yym]) != 0) && (yyn += yystate) >= 0 &&
            yyn <= YYTABLESIZE && yycheck[yyn] == (YYINT) yystate)
        yystate = yytable[yyn];
    else
        yystate = yydgoto[yym];
#if YYDEBUG
    if (yydebug)
    {
        fprintf(stderr, "%s[%d]: after reduction, ", YYDEBUGSTR, yydepth);
#ifdef YYSTYPE_TOSTRING
#if YYBTYACC
        if (!yytrial)
#endif /* YYBTYACC */
            fprintf(stderr, "result is <%s>, ", YYSTYPE_TOSTRING(yystos[yystate], yyval));
#endif
        fprintf(stderr, "shifting from state %d to state %d\n", *yystack.s_mark, yystate);
    }
#endif
    if (yystack.s_mark >= yystack.s_last && yygrowstack(&yystack) == YYENOMEM) goto yyoverflow;
    *++yystack.s_mark = (YYINT) yystate;
    *++yystack.l_mark = yyval;
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
    *++yystack.p_mark = yyloc;
#endif
    goto yyloop;
#if YYBTYACC

    /* Reduction declares that this path is valid. Set yypath and do a full parse */
yyvalid:
    if (yypath) YYABORT;
    while (yyps->save)
    {
        YYParseState *save = yyps->save;
        yyps->save = save->save;
        save->save = yypath;
        yypath = save;
    }
#if YYDEBUG
    if (yydebug)
        fprintf(stderr, "%s[%d]: state %d, CONFLICT trial successful, backtracking to state %d, %d tokens\n",
                        YYDEBUGSTR, yydepth, yystate, yypath->state, (int)(yylvp - yylvals - yypath->lexeme));
#endif
    if (yyerrctx)
    {
        yyFreeState(yyerrctx);
        yyerrctx = NULL;
    }
    yylvp          = yylvals + yypath->lexeme;
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
    yylpp          = yylpsns + yypath->lexeme;
#endif
    yylexp         = yylexemes + yypath->lexeme;
    yychar         = YYEMPTY;
    yystack.s_mark = yystack.s_base + (yypath->yystack.s_mark - yypath->yystack.s_base);
    memcpy (yystack.s_base, yypath->yystack.s_base, (size_t) (yystack.s_mark - yystack.s_base + 1) * sizeof(YYINT));
    yystack.l_mark = yystack.l_base + (yypath->yystack.l_mark - yypath->yystack.l_base);
    memcpy (yystack.l_base, yypath->yystack.l_base, (size_t) (yystack.l_mark - yystack.l_base + 1) * sizeof(YYSTYPE));
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
    yystack.p_mark = yystack.p_base + (yypath->yystack.p_mark - yypath->yystack.p_base);
    memcpy (yystack.p_base, yypath->yystack.p_base, (size_t) (yystack.p_mark - yystack.p_base + 1) * sizeof(YYLTYPE));
#endif
    yystate        = yypath->state;
    goto yyloop;
#endif /* YYBTYACC */

yyoverflow:
    YYERROR_CALL("yacc stack overflow");
#if YYBTYACC
    goto yyabort_nomem;
yyenomem:
    YYERROR_CALL("memory exhausted");
yyabort_nomem:
#endif /* YYBTYACC */
    yyresult = 2;
    goto yyreturn;

yyabort:
    yyresult = 1;
    goto yyreturn;

yyaccept:
#if YYBTYACC
    if (yyps->save) goto yyvalid;
#endif /* YYBTYACC */
    yyresult = 0;

yyreturn:
#if defined(YYDESTRUCT_CALL)
    if (yychar != YYEOF && yychar != YYEMPTY)
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
        YYDESTRUCT_CALL("cleanup: discarding token", yychar, &yylval, &yylloc);
#else
        YYDESTRUCT_CALL("cleanup: discarding token", yychar, &yylval);
#endif /* defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED) */

    {
        YYSTYPE *pv;
#if defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED)
        YYLTYPE *pp;

        for (pv = yystack.l_base, pp = yystack.p_base; pv <= yystack.l_mark; ++pv, ++pp)
             YYDESTRUCT_CALL("cleanup: discarding state",
                             yystos[*(yystack.s_base + (pv - yystack.l_base))], pv, pp);
#else
        for (pv = yystack.l_base; pv <= yystack.l_mark; ++pv)
             YYDESTRUCT_CALL("cleanup: discarding state",
                             yystos[*(yystack.s_base + (pv - yystack.l_base))], pv);
#endif /* defined(YYLTYPE) || defined(YYLTYPE_IS_DECLARED) */
    }
#endif /* defined(YYDESTRUCT_CALL) */

#if YYBTYACC
    if (yyerrctx)
    {
        yyFreeState(yyerrctx);
        yyerrctx = NULL;
    }
    while (yyps)
    {
        YYParseState *save = yyps;
        yyps = save->save;
        save->save = NULL;
        yyFreeState(save);
    }
    while (yypath)
    {
        YYParseState *save = yypath;
        yypath = save->save;
        save->save = NULL;
        yyFreeState(save);
    }
#endif /* YYBTYACC */
    yyfreestack(&yystack);
    return (yyresult);
}
