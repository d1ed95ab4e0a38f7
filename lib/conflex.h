/* Config files: the lexer, includes and macros the parse.y grammars share. */
#ifndef TERN_CONFLEX_H
#define TERN_CONFLEX_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "addr.h"

#define CONFLEX_LISTEN_ALL	"*"	/* listen on every v4 and v6 address */

struct conflex_keyword {
	const char	*k_name;
	int		 k_val;
};

/* What a grammar gives the lexer: keywords sorted by strcmp, token codes. */
struct conflex_grammar {
	const struct conflex_keyword	*keywords;
	size_t				 nkeywords;
	int				 string;	/* STRING */
	int				 number;	/* NUMBER */
	int				 error;		/* ERROR */
};

/* The grammars' YYSTYPE. */
struct conflex_value {
	union {
		long long	 number;
		char		*string;
	} v;
	int		 lineno;
};

struct conflex_loc {
	const char	*file;
	int		 line;		/* 0: the file as a whole */
};

/*
 * One file is parsed at a time: conflex_open opens the top file (logging
 * why not and returning -1), conflex_close frees every file and macro and
 * returns the number of errors reported in between.
 */
int		 conflex_open(const char *, const struct conflex_grammar *);
int		 conflex_close(void);
int		 conflex_lex(struct conflex_value *);
const char	*conflex_topfile(void);
void		 conflex_here(struct conflex_loc *);
void		 conflex_err(const struct conflex_loc *, const char *, ...)
		    __attribute__((__format__ (printf, 2, 3)));
void		 conflex_verror(const char *, va_list)
		    __attribute__((__format__ (printf, 1, 0)));
void		 conflex_error(const char *, ...)
		    __attribute__((__format__ (printf, 1, 2)));
/* Also hand each error, "file:line: message", to fn until reset to NULL. */
void		 conflex_errors_to(void (*)(const char *, void *), void *);

/* Writes s so that the lexer reads it back as one STRING. */
void		 conflex_print_quoted(FILE *, const char *);

/* Actions of the rules every grammar has: include and macro definitions. */
void		 conflex_include(const char *);
void		 conflex_macro_set(const char *, const char *);
void		 conflex_macro_set_number(const char *, long long);

/* Checks the grammars share; they report at the current token, -1 if bad. */
int		 conflex_name_ok(const char *, size_t, const char *);
int		 conflex_path_set(char *, const char *, const char *);
int		 conflex_signal(const char *, const char *, char *, size_t,
		    uint8_t *);
void		 conflex_prefix_network(const struct tern_prefix *,
		    struct tern_prefix *);
int		 conflex_prefix_take(const char *, const char *, const char *,
		    struct tern_prefix *);

/* "listen on ADDRESS|* port N" into a list of at most max addresses. */
void		 conflex_listen_add(const char *, long long,
		    struct sockaddr_storage *, size_t *, size_t);
/* Prints a listen line, with suffix (such as " tls") before the newline. */
void		 conflex_print_listen(FILE *, const struct sockaddr_storage *,
		    const char *);
/* The addresses to bind: the list, or without one every address on port. */
size_t		 conflex_listen_list(const struct sockaddr_storage *, size_t,
		    uint16_t, struct sockaddr_storage *);
/* 1 if two listen lists differ, as a reload that needs a restart. */
int		 conflex_listen_changed(const struct sockaddr_storage *, size_t,
		    const struct sockaddr_storage *, size_t);

#endif
