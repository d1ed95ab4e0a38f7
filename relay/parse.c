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

#line 8 "/work/wt/integ/relay/parse.y"
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
#line 80 "/work/wt/integ/relay/parse.c"

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

#define ALLOWPEER 257
#define AUTHFAILRATE 258
#define BANDWIDTH 259
#define BURST 260
#define DENYPEER 261
#define INCLUDE 262
#define KEY 263
#define LISTEN 264
#define MAXALLOCS 265
#define MAXALLOCSSRC 266
#define MAXALLOCSUSER 267
#define MAXCHANS 268
#define MAXPERMS 269
#define NONCELIFE 270
#define ON 271
#define PORT 272
#define RATELIMIT 273
#define RATETABLE 274
#define REALM 275
#define RELAYADDR 276
#define RELAYPORTS 277
#define SECRET 278
#define SERVERS 279
#define SIGNAL 280
#define TLS 281
#define TLSCERT 282
#define TLSKEY 283
#define TOTALBANDWIDTH 284
#define ERROR 285
#define STRING 286
#define NUMBER 287
#define CONTROLSOCK 288
#define YYERRCODE 256
typedef int YYINT;
static const YYINT yylhs[] = {                           -1,
    0,    0,    0,    0,    0,    0,    4,    5,    5,    1,
    1,    2,    2,    3,    3,    6,    6,    6,    6,    6,
    6,    6,    6,    6,    6,    6,    6,    6,    6,    6,
    6,    6,    6,    6,    6,    6,    6,    6,    6,    6,
    6,
};
static const YYINT yylen[] = {                            2,
    0,    2,    3,    3,    3,    3,    2,    3,    3,    1,
    1,    0,    2,    0,    2,    4,    6,    4,    2,    2,
    2,    2,    3,    2,    2,    2,    2,    2,    2,    2,
    2,    2,    2,    2,    2,    2,    2,    3,    2,    4,
    2,
};
static const YYINT yydefred[] = {                         1,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    2,    0,    0,
    0,    0,    6,   24,   34,   31,   25,    7,   41,    0,
   26,   28,   27,   30,   29,   33,    0,   39,   36,   22,
    0,   37,   35,    0,   19,   21,   32,    0,   20,    3,
    4,    5,   10,   11,    0,    0,   38,   23,    0,    8,
    9,    0,   18,   16,   15,   40,    0,   17,
};
#if defined(YYDESTRUCT_CALL) || defined(YYSTYPE_TOSTRING)
static const YYINT yystos[] = {                           0,
  290,  256,  257,  258,  259,  261,  262,  263,  264,  265,
  266,  267,  268,  269,  270,  273,  274,  275,  276,  277,
  278,  279,  280,  282,  283,  284,  286,   10,  288,  294,
  295,  296,   10,  286,  287,  287,  286,  286,  286,  271,
  287,  287,  287,  287,  287,  287,  287,  287,  286,  286,
  287,  286,  287,  286,  286,  286,  287,   61,  286,   10,
   10,   10,  286,   42,  291,  260,  293,  287,  263,  286,
  287,  272,  281,  292,  287,  286,  287,  281,
};
#endif /* YYDESTRUCT_CALL || YYSTYPE_TOSTRING */
static const YYINT yydgoto[] = {                          1,
   65,   74,   67,   30,   31,   32,
};
static const YYINT yysindex[] = {                         0,
  -10,   -5, -280, -279, -278, -276, -274, -273, -264, -272,
 -271, -269, -268, -267, -266, -265, -263, -261, -260, -259,
 -257, -256, -254, -253, -252, -251,  -47,    0, -249,    7,
   13,   17,    0,    0,    0,    0,    0,    0,    0,  -41,
    0,    0,    0,    0,    0,    0, -230,    0,    0,    0,
 -248,    0,    0, -228,    0,    0,    0, -283,    0,    0,
    0,    0,    0,    0, -270, -247,    0,    0, -245,    0,
    0, -244,    0,    0,    0,    0, -243,    0,
};
static const YYINT yyrindex[] = {                         0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,   32,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,   34,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,   35,    0,
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
    0,    0,    0,    0,    0,    0,    0,    0,
};
#endif
static const YYINT yygindex[] = {                         0,
    0,    0,    0,    0,    0,    0,
};
#define YYTABLESIZE 278
static const YYINT yytable[] = {                         28,
   64,   72,   70,   71,   33,   34,   40,   35,   36,   37,
   73,   38,   39,   58,   41,   42,   60,   43,   44,   45,
   46,   47,   61,   48,   49,   50,   62,   51,   52,   66,
   53,   54,   55,   56,   69,   57,   59,   78,   68,   75,
   76,   14,   77,   12,   13,    0,    0,    0,    0,    0,
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
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,   63,    2,    3,    4,    5,    0,
    6,    7,    8,    9,   10,   11,   12,   13,   14,   15,
    0,    0,   16,   17,   18,   19,   20,   21,   22,   23,
    0,   24,   25,   26,    0,   27,    0,   29,
};
static const YYINT yycheck[] = {                         10,
   42,  272,  286,  287,   10,  286,  271,  287,  287,  286,
  281,  286,  286,   61,  287,  287,   10,  287,  287,  287,
  287,  287,   10,  287,  286,  286,   10,  287,  286,  260,
  287,  286,  286,  286,  263,  287,  286,  281,  287,  287,
  286,   10,  287,   10,   10,   -1,   -1,   -1,   -1,   -1,
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
   -1,   -1,   -1,   -1,  286,  256,  257,  258,  259,   -1,
  261,  262,  263,  264,  265,  266,  267,  268,  269,  270,
   -1,   -1,  273,  274,  275,  276,  277,  278,  279,  280,
   -1,  282,  283,  284,   -1,  286,   -1,  288,
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
   -1,   -1,   -1,   -1,   -1,   -1,   -1,
};
#endif
#define YYFINAL 1
#ifndef YYDEBUG
#define YYDEBUG 0
#endif
#define YYMAXTOKEN 288
#define YYUNDFTOKEN 297
#define YYTRANSLATE(a) ((a) > YYMAXTOKEN ? YYUNDFTOKEN : (a))
#if YYDEBUG
static const char *const yyname[] = {

"$end",0,0,0,0,0,0,0,0,0,"'\\n'",0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
0,0,0,0,0,0,0,0,"'*'",0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,"'='",0,0,0,0,0,0,0,0,
0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,"error","ALLOWPEER",
"AUTHFAILRATE","BANDWIDTH","BURST","DENYPEER","INCLUDE","KEY","LISTEN",
"MAXALLOCS","MAXALLOCSSRC","MAXALLOCSUSER","MAXCHANS","MAXPERMS","NONCELIFE",
"ON","PORT","RATELIMIT","RATETABLE","REALM","RELAYADDR","RELAYPORTS","SECRET",
"SERVERS","SIGNAL","TLS","TLSCERT","TLSKEY","TOTALBANDWIDTH","ERROR","STRING",
"NUMBER","CONTROLSOCK","$accept","grammar","listenaddr","listenport","burst",
"include","varset","main","illegal-symbol",
};
static const char *const yyrule[] = {
"$accept : grammar",
"grammar :",
"grammar : grammar '\\n'",
"grammar : grammar include '\\n'",
"grammar : grammar varset '\\n'",
"grammar : grammar main '\\n'",
"grammar : grammar error '\\n'",
"include : INCLUDE STRING",
"varset : STRING '=' STRING",
"varset : STRING '=' NUMBER",
"listenaddr : STRING",
"listenaddr : '*'",
"listenport :",
"listenport : PORT NUMBER",
"burst :",
"burst : BURST NUMBER",
"main : LISTEN ON listenaddr listenport",
"main : LISTEN ON listenaddr PORT NUMBER TLS",
"main : LISTEN ON listenaddr TLS",
"main : TLSCERT STRING",
"main : CONTROLSOCK STRING",
"main : TLSKEY STRING",
"main : RELAYADDR STRING",
"main : RELAYPORTS NUMBER NUMBER",
"main : ALLOWPEER STRING",
"main : DENYPEER STRING",
"main : MAXALLOCS NUMBER",
"main : MAXALLOCSUSER NUMBER",
"main : MAXALLOCSSRC NUMBER",
"main : MAXPERMS NUMBER",
"main : MAXCHANS NUMBER",
"main : BANDWIDTH NUMBER",
"main : TOTALBANDWIDTH NUMBER",
"main : NONCELIFE NUMBER",
"main : AUTHFAILRATE NUMBER",
"main : SERVERS NUMBER",
"main : REALM STRING",
"main : SECRET STRING",
"main : RATELIMIT NUMBER burst",
"main : RATETABLE NUMBER",
"main : SIGNAL STRING KEY STRING",
"main : KEY STRING",

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
#line 256 "/work/wt/integ/relay/parse.y"

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
#line 833 "/work/wt/integ/relay/parse.c"

/* Release memory associated with symbol. */
#if ! defined YYDESTRUCT_IS_DECLARED
static void
YYDESTRUCT_DECL()
{
    switch (psymb)
    {
	case 286:
#line 74 "/work/wt/integ/relay/parse.y"
	{ free((*val).v.string); }
#line 845 "/work/wt/integ/relay/parse.c"
	break;
	case 291:
#line 74 "/work/wt/integ/relay/parse.y"
	{ free((*val).v.string); }
#line 850 "/work/wt/integ/relay/parse.c"
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
case 6:
#line 83 "/work/wt/integ/relay/parse.y"
	{ yyerrok; }
#line 1528 "/work/wt/integ/relay/parse.c"
break;
case 7:
#line 86 "/work/wt/integ/relay/parse.y"
	{
			conflex_include(yystack.l_mark[0].v.string);
			free(yystack.l_mark[0].v.string);
		}
#line 1536 "/work/wt/integ/relay/parse.c"
break;
case 8:
#line 92 "/work/wt/integ/relay/parse.y"
	{
			conflex_macro_set(yystack.l_mark[-2].v.string, yystack.l_mark[0].v.string);
			free(yystack.l_mark[-2].v.string);
			free(yystack.l_mark[0].v.string);
		}
#line 1545 "/work/wt/integ/relay/parse.c"
break;
case 9:
#line 97 "/work/wt/integ/relay/parse.y"
	{
			conflex_macro_set_number(yystack.l_mark[-2].v.string, yystack.l_mark[0].v.number);
			free(yystack.l_mark[-2].v.string);
		}
#line 1553 "/work/wt/integ/relay/parse.c"
break;
case 10:
#line 103 "/work/wt/integ/relay/parse.y"
	{ yyval.v.string = yystack.l_mark[0].v.string; }
#line 1558 "/work/wt/integ/relay/parse.c"
break;
case 11:
#line 104 "/work/wt/integ/relay/parse.y"
	{
			if ((yyval.v.string = strdup(CONFLEX_LISTEN_ALL)) == NULL)
				fatal("%s", __func__);
		}
#line 1566 "/work/wt/integ/relay/parse.c"
break;
case 12:
#line 110 "/work/wt/integ/relay/parse.y"
	{ yyval.v.number = RELAY_PORT_DEFAULT; }
#line 1571 "/work/wt/integ/relay/parse.c"
break;
case 13:
#line 111 "/work/wt/integ/relay/parse.y"
	{ yyval.v.number = yystack.l_mark[0].v.number; }
#line 1576 "/work/wt/integ/relay/parse.c"
break;
case 14:
#line 115 "/work/wt/integ/relay/parse.y"
	{ yyval.v.number = -1; }
#line 1581 "/work/wt/integ/relay/parse.c"
break;
case 15:
#line 116 "/work/wt/integ/relay/parse.y"
	{ yyval.v.number = yystack.l_mark[0].v.number; }
#line 1586 "/work/wt/integ/relay/parse.c"
break;
case 16:
#line 119 "/work/wt/integ/relay/parse.y"
	{
			conflex_listen_add(yystack.l_mark[-1].v.string, yystack.l_mark[0].v.number, conf->listen,
			    &conf->nlisten, RELAY_LISTEN_MAX);
			free(yystack.l_mark[-1].v.string);
		}
#line 1595 "/work/wt/integ/relay/parse.c"
break;
case 17:
#line 124 "/work/wt/integ/relay/parse.y"
	{
			conflex_listen_add(yystack.l_mark[-3].v.string, yystack.l_mark[-1].v.number, conf->tls_listen,
			    &conf->ntls, RELAY_LISTEN_MAX);
			free(yystack.l_mark[-3].v.string);
		}
#line 1604 "/work/wt/integ/relay/parse.c"
break;
case 18:
#line 129 "/work/wt/integ/relay/parse.y"
	{
			conflex_listen_add(yystack.l_mark[-1].v.string, RELAY_TLS_PORT_DEFAULT,
			    conf->tls_listen, &conf->ntls, RELAY_LISTEN_MAX);
			free(yystack.l_mark[-1].v.string);
		}
#line 1613 "/work/wt/integ/relay/parse.c"
break;
case 19:
#line 134 "/work/wt/integ/relay/parse.y"
	{
			conf_path("tls-certificate", SEEN_CERT, yystack.l_mark[0].v.string,
			    conf->tls_cert);
			free(yystack.l_mark[0].v.string);
		}
#line 1622 "/work/wt/integ/relay/parse.c"
break;
case 20:
#line 139 "/work/wt/integ/relay/parse.y"
	{
			conf_path("control-socket", SEEN_CONTROL, yystack.l_mark[0].v.string,
			    conf->control);
			free(yystack.l_mark[0].v.string);
		}
#line 1631 "/work/wt/integ/relay/parse.c"
break;
case 21:
#line 144 "/work/wt/integ/relay/parse.y"
	{
			conf_path("tls-key", SEEN_KEY, yystack.l_mark[0].v.string, conf->tls_key);
			free(yystack.l_mark[0].v.string);
		}
#line 1639 "/work/wt/integ/relay/parse.c"
break;
case 22:
#line 148 "/work/wt/integ/relay/parse.y"
	{
			conf_relay_address(yystack.l_mark[0].v.string);
			free(yystack.l_mark[0].v.string);
		}
#line 1647 "/work/wt/integ/relay/parse.c"
break;
case 23:
#line 152 "/work/wt/integ/relay/parse.y"
	{
			if (seen_once(SEEN_PORTS, "relay-ports") == 0) {
				if (yystack.l_mark[-1].v.number < 1024 || yystack.l_mark[0].v.number > 65535 || yystack.l_mark[-1].v.number > yystack.l_mark[0].v.number)
					yyerror("relay-ports %lld %lld: "
					    "expected 1024 <= low <= high "
					    "<= 65535", yystack.l_mark[-1].v.number, yystack.l_mark[0].v.number);
				else {
					conf->lim.port_lo = yystack.l_mark[-1].v.number;
					conf->lim.port_hi = yystack.l_mark[0].v.number;
				}
			}
		}
#line 1663 "/work/wt/integ/relay/parse.c"
break;
case 24:
#line 164 "/work/wt/integ/relay/parse.y"
	{
			conf_peer_rule(yystack.l_mark[0].v.string, 1);
			free(yystack.l_mark[0].v.string);
		}
#line 1671 "/work/wt/integ/relay/parse.c"
break;
case 25:
#line 168 "/work/wt/integ/relay/parse.y"
	{
			conf_peer_rule(yystack.l_mark[0].v.string, 0);
			free(yystack.l_mark[0].v.string);
		}
#line 1679 "/work/wt/integ/relay/parse.c"
break;
case 26:
#line 172 "/work/wt/integ/relay/parse.y"
	{
			if (conf_number("max-allocations", SEEN_ALLOCS, yystack.l_mark[0].v.number, 1,
			    RELAY_ALLOCS_MAX) == 0)
				conf->lim.allocs = yystack.l_mark[0].v.number;
		}
#line 1688 "/work/wt/integ/relay/parse.c"
break;
case 27:
#line 177 "/work/wt/integ/relay/parse.y"
	{
			if (conf_number("max-allocations-per-user",
			    SEEN_ALLOCS_USER, yystack.l_mark[0].v.number, 1, RELAY_ALLOCS_MAX) == 0)
				conf->lim.allocs_user = yystack.l_mark[0].v.number;
		}
#line 1697 "/work/wt/integ/relay/parse.c"
break;
case 28:
#line 182 "/work/wt/integ/relay/parse.y"
	{
			if (conf_number("max-allocations-per-source",
			    SEEN_ALLOCS_SRC, yystack.l_mark[0].v.number, 1, RELAY_ALLOCS_MAX) == 0)
				conf->lim.allocs_src = yystack.l_mark[0].v.number;
		}
#line 1706 "/work/wt/integ/relay/parse.c"
break;
case 29:
#line 187 "/work/wt/integ/relay/parse.y"
	{
			if (conf_number("max-permissions", SEEN_PERMS, yystack.l_mark[0].v.number, 1,
			    RELAY_PERMS_MAX) == 0)
				conf->lim.perms = yystack.l_mark[0].v.number;
		}
#line 1715 "/work/wt/integ/relay/parse.c"
break;
case 30:
#line 192 "/work/wt/integ/relay/parse.y"
	{
			if (conf_number("max-channels", SEEN_CHANS, yystack.l_mark[0].v.number, 1,
			    RELAY_CHANS_MAX) == 0)
				conf->lim.chans = yystack.l_mark[0].v.number;
		}
#line 1724 "/work/wt/integ/relay/parse.c"
break;
case 31:
#line 197 "/work/wt/integ/relay/parse.y"
	{
			if (conf_number("bandwidth", SEEN_BPS, yystack.l_mark[0].v.number,
			    RELAY_BPS_MIN, LLONG_MAX) == 0)
				conf->lim.bps = yystack.l_mark[0].v.number;
		}
#line 1733 "/work/wt/integ/relay/parse.c"
break;
case 32:
#line 202 "/work/wt/integ/relay/parse.y"
	{
			if (conf_number("total-bandwidth", SEEN_TOTAL_BPS, yystack.l_mark[0].v.number,
			    RELAY_BPS_MIN, LLONG_MAX) == 0)
				conf->lim.total_bps = yystack.l_mark[0].v.number;
		}
#line 1742 "/work/wt/integ/relay/parse.c"
break;
case 33:
#line 207 "/work/wt/integ/relay/parse.y"
	{
			if (conf_number("nonce-lifetime", SEEN_NONCE, yystack.l_mark[0].v.number,
			    RELAY_NONCE_LIFETIME_MIN,
			    RELAY_NONCE_LIFETIME_MAX) == 0)
				conf->lim.nonce_lifetime = yystack.l_mark[0].v.number;
		}
#line 1752 "/work/wt/integ/relay/parse.c"
break;
case 34:
#line 213 "/work/wt/integ/relay/parse.y"
	{
			if (conf_number("auth-failure-rate", SEEN_AUTHFAIL, yystack.l_mark[0].v.number,
			    1, RELAY_RATE_MAX) == 0)
				conf->lim.authfail_rate = yystack.l_mark[0].v.number;
		}
#line 1761 "/work/wt/integ/relay/parse.c"
break;
case 35:
#line 218 "/work/wt/integ/relay/parse.y"
	{
			if (conf_number("servers", SEEN_SERVERS, yystack.l_mark[0].v.number, 1,
			    RELAY_SERVERS_MAX) == 0)
				conf->servers = yystack.l_mark[0].v.number;
		}
#line 1770 "/work/wt/integ/relay/parse.c"
break;
case 36:
#line 223 "/work/wt/integ/relay/parse.y"
	{
			conf_text("realm", yystack.l_mark[0].v.string, SEEN_REALM, conf->realm,
			    sizeof(conf->realm));
			free(yystack.l_mark[0].v.string);
		}
#line 1779 "/work/wt/integ/relay/parse.c"
break;
case 37:
#line 228 "/work/wt/integ/relay/parse.y"
	{
			conf_secret(yystack.l_mark[0].v.string);
			explicit_bzero(yystack.l_mark[0].v.string, strlen(yystack.l_mark[0].v.string));
			free(yystack.l_mark[0].v.string);
		}
#line 1788 "/work/wt/integ/relay/parse.c"
break;
case 38:
#line 233 "/work/wt/integ/relay/parse.y"
	{
			if (seen_once(SEEN_RATE, "rate-limit") == 0)
				conf_rate(yystack.l_mark[-1].v.number, yystack.l_mark[0].v.number);
		}
#line 1796 "/work/wt/integ/relay/parse.c"
break;
case 39:
#line 237 "/work/wt/integ/relay/parse.y"
	{
			if (seen_once(SEEN_TABLE, "rate-table-size") == 0)
				conf_table(yystack.l_mark[0].v.number);
		}
#line 1804 "/work/wt/integ/relay/parse.c"
break;
case 40:
#line 241 "/work/wt/integ/relay/parse.y"
	{
			if (seen_once(SEEN_SIGNAL, "signal") == 0)
				(void)conflex_signal(yystack.l_mark[-2].v.string, yystack.l_mark[0].v.string, conf->signal_host,
				    sizeof(conf->signal_host),
				    conf->signal_key);
			free(yystack.l_mark[-2].v.string);
			free(yystack.l_mark[0].v.string);
		}
#line 1816 "/work/wt/integ/relay/parse.c"
break;
case 41:
#line 249 "/work/wt/integ/relay/parse.y"
	{
			conf_path("key", SEEN_SIGKEY, yystack.l_mark[0].v.string, conf->keyfile);
			free(yystack.l_mark[0].v.string);
		}
#line 1824 "/work/wt/integ/relay/parse.c"
break;
#line 1826 "/work/wt/integ/relay/parse.c"
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
