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

#line 7 "/work/wt/integ/signal/parse.y"
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
#line 159 "/work/wt/integ/signal/parse.c"

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

#define ADDRESS 257
#define ALLOWEDIPS 258
#define CREDLIFETIME 259
#define GROUP 260
#define HSRATE 261
#define INACTIVITY 262
#define INCLUDE 263
#define ISOLATEGROUPS 264
#define KEY 265
#define LAZYCONN 266
#define LAZYEXEMPT 267
#define LISTEN 268
#define LOCKSIG 269
#define MAXCONN 270
#define MAXHANDSHAKES 271
#define MAXMSG 272
#define MAXQUEUE 273
#define MSGRATE 274
#define NETLOCK 275
#define NETWORK 276
#define NODEKEY 277
#define ON 278
#define PEER 279
#define PORT 280
#define REALM 281
#define RELAY 282
#define RELAYONLY 283
#define SECRET 284
#define WGKEY 285
#define ERROR 286
#define STRING 287
#define NUMBER 288
#define YYERRCODE 256
typedef int YYINT;
static const YYINT yylhs[] = {                           -1,
    0,    0,    0,    0,    0,    0,    0,    0,    4,    5,
    5,    1,    1,    2,    2,    3,    3,    6,    6,    6,
    6,    6,    6,    6,    6,    6,    6,    6,    6,    6,
    6,    9,    7,   10,   10,   10,   10,   11,   11,   11,
   11,   11,   11,   11,   11,   12,   12,   13,   14,    8,
   15,   15,   15,   15,   16,   16,   16,   16,
};
static const YYINT yylen[] = {                            2,
    0,    2,    3,    3,    3,    3,    3,    3,    2,    3,
    3,    1,    1,    1,    1,    0,    2,    4,    2,    2,
    2,    2,    2,    2,    2,    2,    2,    2,    2,    2,
    2,    0,    6,    0,    2,    3,    3,    2,    2,    2,
    2,    2,    1,    1,    2,    1,    3,    1,    0,    6,
    0,    2,    3,    3,    2,    2,    2,    2,
};
static const YYINT yydefred[] = {                         1,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    2,    0,    0,    0,    0,    0,    8,   12,   13,   31,
   29,   23,    9,   24,   19,   22,    0,   28,   30,   25,
   26,   27,   21,   20,   32,   49,    0,    3,    4,    5,
    6,    7,   14,   15,    0,    0,    0,   10,   11,    0,
   18,   34,   51,   17,    0,    0,    0,    0,    0,    0,
   43,    0,    0,   44,    0,   35,   33,    0,    0,    0,
    0,    0,    0,   52,   50,    0,   37,   40,   48,    0,
   46,   42,   45,   38,   39,   36,   54,   55,   58,   57,
   56,   53,    0,   47,
};
#if defined(YYDESTRUCT_CALL) || defined(YYSTYPE_TOSTRING)
static const YYINT yystos[] = {                           0,
  290,  256,  259,  261,  262,  263,  264,  265,  266,  268,
  270,  271,  272,  273,  274,  275,  276,  279,  282,  287,
   10,  294,  295,  296,  297,  298,   10,  287,  288,  291,
  288,  291,  287,  287,  287,  287,  278,  288,  288,  291,
  291,  288,  287,  287,  287,  287,   61,   10,   10,   10,
   10,   10,  287,   42,  292,  299,  304,  287,  288,  280,
  293,  123,  123,  288,  300,  305,  256,  257,  258,  260,
  267,  269,  277,  283,  285,   10,  125,  301,  256,  257,
  265,  281,  284,   10,  125,  306,   10,  287,  287,  302,
  303,  287,  287,  287,  287,   10,   10,  287,  287,  287,
  287,   10,   44,  303,
};
#endif /* YYDESTRUCT_CALL || YYSTYPE_TOSTRING */
static const YYINT yydgoto[] = {                          1,
   30,   55,   61,   22,   23,   24,   25,   26,   56,   65,
   78,   90,   91,   57,   66,   86,
};
static const YYINT yysindex[] = {                         0,
  -10,   -3, -284, -280, -284, -276, -275, -274, -273, -263,
 -272, -271, -284, -284, -270, -268, -267, -266, -265,  -38,
    0,   14,   15,   16,   17,   19,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,  -40,    0,    0,    0,
    0,    0,    0,    0,    0,    0, -282,    0,    0,    0,
    0,    0,    0,    0, -250,  -92,  -91,    0,    0, -254,
    0,    0,    0,    0,   18,   23,   25, -251, -249, -248,
    0, -247, -246,    0, -245,    0,    0,   27,   33, -243,
 -242, -241, -240,    0,    0,   38,    0,    0,    0,    5,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0, -249,    0,
};
static const YYINT yyrindex[] = {                         0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,   40,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,   41,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,
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
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,
};
#endif
static const YYINT yygindex[] = {                         0,
   -4,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,  -51,    0,    0,    0,
};
#define YYTABLESIZE 307
static const YYINT yytable[] = {                         21,
   32,   54,   28,   29,   58,   59,   27,   31,   40,   41,
   33,   34,   35,   36,   37,   38,   39,   42,   43,   44,
   45,   46,   47,   48,   49,   50,   51,   76,   52,   60,
   62,   63,   84,   64,   87,   88,   96,   89,   92,   93,
   94,   95,   97,   98,   99,  100,  101,  102,  103,   16,
   41,  104,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,   77,    0,    0,    0,    0,   85,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    2,   53,    0,    3,    0,
    4,    5,    6,    7,    8,    9,    0,   10,    0,   11,
   12,   13,   14,   15,   16,   17,    0,    0,   18,    0,
    0,   19,    0,   67,   68,   69,   20,   70,   79,   80,
    0,    0,    0,    0,   71,    0,   72,   81,    0,    0,
    0,    0,    0,    0,   73,    0,    0,    0,    0,    0,
   74,    0,   75,   82,    0,    0,   83,
};
static const YYINT yycheck[] = {                         10,
    5,   42,  287,  288,  287,  288,   10,  288,   13,   14,
  287,  287,  287,  287,  278,  288,  288,  288,  287,  287,
  287,  287,   61,   10,   10,   10,   10,   10,   10,  280,
  123,  123,   10,  288,   10,  287,   10,  287,  287,  287,
  287,  287,   10,  287,  287,  287,  287,   10,   44,   10,
   10,  103,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,  125,   -1,   -1,   -1,   -1,  125,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,  256,  287,   -1,  259,   -1,
  261,  262,  263,  264,  265,  266,   -1,  268,   -1,  270,
  271,  272,  273,  274,  275,  276,   -1,   -1,  279,   -1,
   -1,  282,   -1,  256,  257,  258,  287,  260,  256,  257,
   -1,   -1,   -1,   -1,  267,   -1,  269,  265,   -1,   -1,
   -1,   -1,   -1,   -1,  277,   -1,   -1,   -1,   -1,   -1,
  283,   -1,  285,  281,   -1,   -1,  284,
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
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,   -1,
   -1,   -1,   -1,   -1,   -1,   -1,
};
#endif
#define YYFINAL 1
#ifndef YYDEBUG
#define YYDEBUG 0
#endif
#define YYMAXTOKEN 288
#define YYUNDFTOKEN 307
#define YYTRANSLATE(a) ((a) > YYMAXTOKEN ? YYUNDFTOKEN : (a))
#if YYDEBUG
static const char *const yyname[] = {

"$end",0,0,0,0,0,0,0,0,0,"'\\n'",0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
0,0,0,0,0,0,0,0,"'*'",0,"','",0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,"'='",0,0,0,0,0,0,
0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,"'{'",0,"'}'",0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,"error",
"ADDRESS","ALLOWEDIPS","CREDLIFETIME","GROUP","HSRATE","INACTIVITY","INCLUDE",
"ISOLATEGROUPS","KEY","LAZYCONN","LAZYEXEMPT","LISTEN","LOCKSIG","MAXCONN",
"MAXHANDSHAKES","MAXMSG","MAXQUEUE","MSGRATE","NETLOCK","NETWORK","NODEKEY",
"ON","PEER","PORT","REALM","RELAY","RELAYONLY","SECRET","WGKEY","ERROR",
"STRING","NUMBER","$accept","grammar","value","listenaddr","listenport",
"include","varset","main","peer","relay","$$1","peeropts_l","peeropts",
"allowed_l","allowed","$$2","relayopts_l","relayopts","illegal-symbol",
};
static const char *const yyrule[] = {
"$accept : grammar",
"grammar :",
"grammar : grammar '\\n'",
"grammar : grammar include '\\n'",
"grammar : grammar varset '\\n'",
"grammar : grammar main '\\n'",
"grammar : grammar peer '\\n'",
"grammar : grammar relay '\\n'",
"grammar : grammar error '\\n'",
"include : INCLUDE STRING",
"varset : STRING '=' STRING",
"varset : STRING '=' NUMBER",
"value : STRING",
"value : NUMBER",
"listenaddr : STRING",
"listenaddr : '*'",
"listenport :",
"listenport : PORT NUMBER",
"main : LISTEN ON listenaddr listenport",
"main : KEY STRING",
"main : NETWORK STRING",
"main : NETLOCK STRING",
"main : LAZYCONN STRING",
"main : INACTIVITY value",
"main : ISOLATEGROUPS STRING",
"main : MAXMSG value",
"main : MAXQUEUE value",
"main : MSGRATE NUMBER",
"main : MAXCONN NUMBER",
"main : HSRATE NUMBER",
"main : MAXHANDSHAKES NUMBER",
"main : CREDLIFETIME value",
"$$1 :",
"peer : PEER STRING $$1 '{' peeropts_l '}'",
"peeropts_l :",
"peeropts_l : peeropts_l '\\n'",
"peeropts_l : peeropts_l peeropts '\\n'",
"peeropts_l : peeropts_l error '\\n'",
"peeropts : NODEKEY STRING",
"peeropts : WGKEY STRING",
"peeropts : ADDRESS STRING",
"peeropts : ALLOWEDIPS allowed_l",
"peeropts : GROUP STRING",
"peeropts : LAZYEXEMPT",
"peeropts : RELAYONLY",
"peeropts : LOCKSIG STRING",
"allowed_l : allowed",
"allowed_l : allowed_l ',' allowed",
"allowed : STRING",
"$$2 :",
"relay : RELAY STRING $$2 '{' relayopts_l '}'",
"relayopts_l :",
"relayopts_l : relayopts_l '\\n'",
"relayopts_l : relayopts_l relayopts '\\n'",
"relayopts_l : relayopts_l error '\\n'",
"relayopts : ADDRESS STRING",
"relayopts : SECRET STRING",
"relayopts : REALM STRING",
"relayopts : KEY STRING",

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
#line 399 "/work/wt/integ/signal/parse.y"

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
#line 1327 "/work/wt/integ/signal/parse.c"

/* Release memory associated with symbol. */
#if ! defined YYDESTRUCT_IS_DECLARED
static void
YYDESTRUCT_DECL()
{
    switch (psymb)
    {
	case 287:
#line 153 "/work/wt/integ/signal/parse.y"
	{ free((*val).v.string); }
#line 1339 "/work/wt/integ/signal/parse.c"
	break;
	case 291:
#line 153 "/work/wt/integ/signal/parse.y"
	{ free((*val).v.string); }
#line 1344 "/work/wt/integ/signal/parse.c"
	break;
	case 292:
#line 153 "/work/wt/integ/signal/parse.y"
	{ free((*val).v.string); }
#line 1349 "/work/wt/integ/signal/parse.c"
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
case 8:
#line 164 "/work/wt/integ/signal/parse.y"
	{ yyerrok; }
#line 2027 "/work/wt/integ/signal/parse.c"
break;
case 9:
#line 167 "/work/wt/integ/signal/parse.y"
	{
			conflex_include(yystack.l_mark[0].v.string);
			free(yystack.l_mark[0].v.string);
		}
#line 2035 "/work/wt/integ/signal/parse.c"
break;
case 10:
#line 173 "/work/wt/integ/signal/parse.y"
	{
			conflex_macro_set(yystack.l_mark[-2].v.string, yystack.l_mark[0].v.string);
			free(yystack.l_mark[-2].v.string);
			free(yystack.l_mark[0].v.string);
		}
#line 2044 "/work/wt/integ/signal/parse.c"
break;
case 11:
#line 178 "/work/wt/integ/signal/parse.y"
	{
			conflex_macro_set_number(yystack.l_mark[-2].v.string, yystack.l_mark[0].v.number);
			free(yystack.l_mark[-2].v.string);
		}
#line 2052 "/work/wt/integ/signal/parse.c"
break;
case 12:
#line 185 "/work/wt/integ/signal/parse.y"
	{ yyval.v.string = yystack.l_mark[0].v.string; }
#line 2057 "/work/wt/integ/signal/parse.c"
break;
case 13:
#line 186 "/work/wt/integ/signal/parse.y"
	{
			if (asprintf(&yyval.v.string, "%lld", yystack.l_mark[0].v.number) == -1)
				fatal("%s", __func__);
		}
#line 2065 "/work/wt/integ/signal/parse.c"
break;
case 14:
#line 192 "/work/wt/integ/signal/parse.y"
	{ yyval.v.string = yystack.l_mark[0].v.string; }
#line 2070 "/work/wt/integ/signal/parse.c"
break;
case 15:
#line 193 "/work/wt/integ/signal/parse.y"
	{
			if ((yyval.v.string = strdup(CONFLEX_LISTEN_ALL)) == NULL)
				fatal("%s", __func__);
		}
#line 2078 "/work/wt/integ/signal/parse.c"
break;
case 16:
#line 199 "/work/wt/integ/signal/parse.y"
	{ yyval.v.number = SIGNAL_PORT_DEFAULT; }
#line 2083 "/work/wt/integ/signal/parse.c"
break;
case 17:
#line 200 "/work/wt/integ/signal/parse.y"
	{ yyval.v.number = yystack.l_mark[0].v.number; }
#line 2088 "/work/wt/integ/signal/parse.c"
break;
case 18:
#line 203 "/work/wt/integ/signal/parse.y"
	{
			conf_listen(yystack.l_mark[-1].v.string, yystack.l_mark[0].v.number);
			free(yystack.l_mark[-1].v.string);
		}
#line 2096 "/work/wt/integ/signal/parse.c"
break;
case 19:
#line 207 "/work/wt/integ/signal/parse.y"
	{
			conf_key(yystack.l_mark[0].v.string);
			free(yystack.l_mark[0].v.string);
		}
#line 2104 "/work/wt/integ/signal/parse.c"
break;
case 20:
#line 211 "/work/wt/integ/signal/parse.y"
	{
			conf_network(yystack.l_mark[0].v.string);
			free(yystack.l_mark[0].v.string);
		}
#line 2112 "/work/wt/integ/signal/parse.c"
break;
case 21:
#line 215 "/work/wt/integ/signal/parse.y"
	{
			if (seen_once(SEEN_LOCK, "network-lock") == -1)
				;
			else if (key_from_b64(yystack.l_mark[0].v.string, conf->lock_key) == -1 ||
			    !nmsign_pk_ok(conf->lock_key))
				yyerror("network-lock: not a lock key "
				    "(ternctl lock keygen prints it)");
			else
				conf->has_lock = 1;
			free(yystack.l_mark[0].v.string);
		}
#line 2127 "/work/wt/integ/signal/parse.c"
break;
case 22:
#line 226 "/work/wt/integ/signal/parse.y"
	{
			int	 v;

			if (seen_once(SEEN_LAZY, "lazy-connections") == 0 &&
			    (v = yesno("lazy-connections", yystack.l_mark[0].v.string)) != -1)
				conf->lazy = v;
			free(yystack.l_mark[0].v.string);
		}
#line 2139 "/work/wt/integ/signal/parse.c"
break;
case 23:
#line 234 "/work/wt/integ/signal/parse.y"
	{
			if (seen_once(SEEN_INACTIVITY,
			    "inactivity-threshold") == 0)
				conf_duration("inactivity-threshold", yystack.l_mark[0].v.string,
				    SIGMSG_INACTIVITY_MIN,
				    SIGMSG_INACTIVITY_MAX, &conf->inactivity);
			free(yystack.l_mark[0].v.string);
		}
#line 2151 "/work/wt/integ/signal/parse.c"
break;
case 24:
#line 242 "/work/wt/integ/signal/parse.y"
	{
			int	 v;

			if (seen_once(SEEN_ISOLATE, "isolate-groups") == 0 &&
			    (v = yesno("isolate-groups", yystack.l_mark[0].v.string)) != -1)
				conf->isolate_groups = v;
			free(yystack.l_mark[0].v.string);
		}
#line 2163 "/work/wt/integ/signal/parse.c"
break;
case 25:
#line 250 "/work/wt/integ/signal/parse.y"
	{
			uint64_t	 v;

			if (seen_once(SEEN_MSGMAX, "max-message-size") == 0) {
				v = conf->msg_max;
				conf_size("max-message-size", yystack.l_mark[0].v.string,
				    SIGNAL_MSG_MAX_MIN, SIGNAL_MSG_MAX_MAX, &v);
				conf->msg_max = v;
			}
			free(yystack.l_mark[0].v.string);
		}
#line 2178 "/work/wt/integ/signal/parse.c"
break;
case 26:
#line 261 "/work/wt/integ/signal/parse.y"
	{
			if (seen_once(SEEN_QUEUE, "max-queue") == 0)
				conf_size("max-queue", yystack.l_mark[0].v.string,
				    SIGNAL_QUEUE_MAX_MIN, SIGNAL_QUEUE_MAX_MAX,
				    &conf->queue_max);
			free(yystack.l_mark[0].v.string);
		}
#line 2189 "/work/wt/integ/signal/parse.c"
break;
case 27:
#line 268 "/work/wt/integ/signal/parse.y"
	{
			if (seen_once(SEEN_RATE, "message-rate") == 0)
				conf_uint("message-rate", yystack.l_mark[0].v.number,
				    SIGNAL_RATE_MAX, &conf->rate);
		}
#line 2198 "/work/wt/integ/signal/parse.c"
break;
case 28:
#line 273 "/work/wt/integ/signal/parse.y"
	{
			if (seen_once(SEEN_CONNS,
			    "max-connections-per-address") == 0)
				conf_uint("max-connections-per-address", yystack.l_mark[0].v.number,
				    SIGNAL_CONN_PER_ADDR_MAX,
				    &conf->conn_per_addr);
		}
#line 2209 "/work/wt/integ/signal/parse.c"
break;
case 29:
#line 280 "/work/wt/integ/signal/parse.y"
	{
			if (seen_once(SEEN_HSRATE, "handshake-rate") == 0)
				conf_uint("handshake-rate", yystack.l_mark[0].v.number,
				    SIGNAL_HS_RATE_MAX, &conf->hs_rate);
		}
#line 2218 "/work/wt/integ/signal/parse.c"
break;
case 30:
#line 285 "/work/wt/integ/signal/parse.y"
	{
			if (seen_once(SEEN_HANDSHAKES, "max-handshakes") == 0)
				conf_uint("max-handshakes", yystack.l_mark[0].v.number,
				    SIGNAL_HANDSHAKES_MAX, &conf->handshakes);
		}
#line 2227 "/work/wt/integ/signal/parse.c"
break;
case 31:
#line 290 "/work/wt/integ/signal/parse.y"
	{
			if (seen_once(SEEN_CREDLIFE,
			    "credential-lifetime") == 0)
				conf_duration("credential-lifetime", yystack.l_mark[0].v.string,
				    SIGNAL_CRED_LIFETIME_MIN,
				    SIGNAL_CRED_LIFETIME_MAX,
				    &conf->cred_lifetime);
			free(yystack.l_mark[0].v.string);
		}
#line 2240 "/work/wt/integ/signal/parse.c"
break;
case 32:
#line 301 "/work/wt/integ/signal/parse.y"
	{
			peer_begin(yystack.l_mark[0].v.string);
		}
#line 2247 "/work/wt/integ/signal/parse.c"
break;
case 33:
#line 303 "/work/wt/integ/signal/parse.y"
	{
			peer_end();
			free(yystack.l_mark[-4].v.string);
		}
#line 2255 "/work/wt/integ/signal/parse.c"
break;
case 37:
#line 312 "/work/wt/integ/signal/parse.y"
	{ yyerrok; }
#line 2260 "/work/wt/integ/signal/parse.c"
break;
case 38:
#line 315 "/work/wt/integ/signal/parse.y"
	{
			if (currec != NULL)
				peer_key("node-key", yystack.l_mark[0].v.string, PEER_SEEN_NODEKEY,
				    currec->p->node_key);
			free(yystack.l_mark[0].v.string);
		}
#line 2270 "/work/wt/integ/signal/parse.c"
break;
case 39:
#line 321 "/work/wt/integ/signal/parse.y"
	{
			if (currec != NULL)
				peer_key("wg-key", yystack.l_mark[0].v.string, PEER_SEEN_WGKEY,
				    currec->p->wg_key);
			free(yystack.l_mark[0].v.string);
		}
#line 2280 "/work/wt/integ/signal/parse.c"
break;
case 40:
#line 327 "/work/wt/integ/signal/parse.y"
	{
			peer_address(yystack.l_mark[0].v.string);
			free(yystack.l_mark[0].v.string);
		}
#line 2288 "/work/wt/integ/signal/parse.c"
break;
case 42:
#line 332 "/work/wt/integ/signal/parse.y"
	{
			peer_group(yystack.l_mark[0].v.string);
			free(yystack.l_mark[0].v.string);
		}
#line 2296 "/work/wt/integ/signal/parse.c"
break;
case 43:
#line 336 "/work/wt/integ/signal/parse.y"
	{
			peer_flag("lazy-exempt", PEER_SEEN_LAZYEXEMPT,
			    SIGMSG_PEER_LAZY_EXEMPT);
		}
#line 2304 "/work/wt/integ/signal/parse.c"
break;
case 44:
#line 340 "/work/wt/integ/signal/parse.y"
	{
			peer_flag("relay-only", PEER_SEEN_RELAYONLY,
			    SIGMSG_PEER_RELAY_ONLY);
		}
#line 2312 "/work/wt/integ/signal/parse.c"
break;
case 45:
#line 344 "/work/wt/integ/signal/parse.y"
	{
			peer_lock_sig(yystack.l_mark[0].v.string);
			free(yystack.l_mark[0].v.string);
		}
#line 2320 "/work/wt/integ/signal/parse.c"
break;
case 48:
#line 354 "/work/wt/integ/signal/parse.y"
	{
			peer_allowed(yystack.l_mark[0].v.string);
			free(yystack.l_mark[0].v.string);
		}
#line 2328 "/work/wt/integ/signal/parse.c"
break;
case 49:
#line 360 "/work/wt/integ/signal/parse.y"
	{
			relay_begin(yystack.l_mark[0].v.string);
		}
#line 2335 "/work/wt/integ/signal/parse.c"
break;
case 50:
#line 362 "/work/wt/integ/signal/parse.y"
	{
			relay_end();
			free(yystack.l_mark[-4].v.string);
		}
#line 2343 "/work/wt/integ/signal/parse.c"
break;
case 54:
#line 371 "/work/wt/integ/signal/parse.y"
	{ yyerrok; }
#line 2348 "/work/wt/integ/signal/parse.c"
break;
case 55:
#line 374 "/work/wt/integ/signal/parse.y"
	{
			relay_address(yystack.l_mark[0].v.string);
			free(yystack.l_mark[0].v.string);
		}
#line 2356 "/work/wt/integ/signal/parse.c"
break;
case 56:
#line 378 "/work/wt/integ/signal/parse.y"
	{
			if (currelay != NULL)
				relay_text("secret", yystack.l_mark[0].v.string, RELAY_SEEN_SECRET,
				    currelay->relay->secret,
				    sizeof(currelay->relay->secret));
			free(yystack.l_mark[0].v.string);
		}
#line 2367 "/work/wt/integ/signal/parse.c"
break;
case 57:
#line 385 "/work/wt/integ/signal/parse.y"
	{
			if (currelay != NULL)
				relay_text("realm", yystack.l_mark[0].v.string, RELAY_SEEN_REALM,
				    currelay->relay->realm,
				    sizeof(currelay->relay->realm));
			free(yystack.l_mark[0].v.string);
		}
#line 2378 "/work/wt/integ/signal/parse.c"
break;
case 58:
#line 392 "/work/wt/integ/signal/parse.y"
	{
			relay_key(yystack.l_mark[0].v.string);
			free(yystack.l_mark[0].v.string);
		}
#line 2386 "/work/wt/integ/signal/parse.c"
break;
#line 2388 "/work/wt/integ/signal/parse.c"
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
