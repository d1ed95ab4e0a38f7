/* Strict JSON helpers of sigmsg.c, icemsg.c and relaycache.c. */
#ifndef TERN_SIGMSG_JSON_H
#define TERN_SIGMSG_JSON_H

#include <stddef.h>

#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

/* Longest path of a field: "netmap.peers[65535].allowed_ips[31]". */
#define SIGMSG_PATH_MAX		64
#define SIGMSG_QUOTE_MAX	32	/* characters of a bad name we echo */

/* What a name may contain. */
#define SIGMSG_NAME_CHARS	"ABCDEFGHIJKLMNOPQRSTUVWXYZ" \
	    "abcdefghijklmnopqrstuvwxyz0123456789._-"

/* How sigmsg_get_str checks a string. */
#define SIGMSG_STR_NAME		0	/* not empty, SIGMSG_NAME_CHARS only */
#define SIGMSG_STR_TEXT		1	/* no control characters */

struct sigmsg_ctx {
	char		*err;
	size_t		 errlen;
};

struct sigmsg_gen {
	yajl_gen	 g;
	int		 failed;
};

int	 sigmsg_fail(struct sigmsg_ctx *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	 sigmsg_object(struct sigmsg_ctx *, const char *, const char *,
	    size_t, size_t, yajl_val *);
int	 sigmsg_root(struct sigmsg_ctx *, const char *, size_t, size_t,
	    const char **, size_t, yajl_val *, size_t *);
void	 sigmsg_quote(char *, size_t, const char *);
void	 sigmsg_path(char *, const char *, const char *);
void	 sigmsg_index(char *, const char *, size_t);
int	 sigmsg_member(struct sigmsg_ctx *, yajl_val, const char *,
	    const char *, int, yajl_val *);
int	 sigmsg_str(struct sigmsg_ctx *, yajl_val, const char *, int,
	    char *, size_t);
int	 sigmsg_get_str(struct sigmsg_ctx *, yajl_val, const char *,
	    const char *, int, int, char *, size_t);
int	 sigmsg_get_int(struct sigmsg_ctx *, yajl_val, const char *,
	    const char *, int, long long, long long, long long *);
int	 sigmsg_get_array(struct sigmsg_ctx *, yajl_val, const char *,
	    const char *, int, size_t, size_t, yajl_val *);
int	 sigmsg_gen_begin(struct sigmsg_gen *);
int	 sigmsg_gen_open(struct sigmsg_gen *, const char *);
char	*sigmsg_gen_close(struct sigmsg_gen *, size_t *);
void	 sigmsg_gen_status(struct sigmsg_gen *, yajl_gen_status);
void	 sigmsg_gen_str(struct sigmsg_gen *, const char *);
void	 sigmsg_gen_kv_str(struct sigmsg_gen *, const char *, const char *);
void	 sigmsg_gen_kv_int(struct sigmsg_gen *, const char *, long long);

#endif
