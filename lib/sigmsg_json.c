/*
 * Strict JSON for tern's messages, in every process that reads or
 * writes one: checks before yajl parses, typed members that refuse
 * what they do not expect, and a generator that fails as a whole.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sigmsg.h"
#include "sigmsg_json.h"

#define SIGMSG_YAJL_ERRLEN	256	/* yajl's error text */
#define SIGMSG_INDEX_MAX	24	/* "[18446744073709551615]" */
#define SIGMSG_NUL_ESCAPE	"\\u0000"	/* JSON escape of NUL */

static int	 sigmsg_scan(struct sigmsg_ctx *, const char *, size_t);

int
sigmsg_fail(struct sigmsg_ctx *c, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * Checks before yajl sees the text. yajl_tree_free recurses, so nesting
 * is bounded here; yajl_tree cuts its strings at a NUL, so a NUL would
 * make "pass\u0000word" read as "pass"; and yajl_tree accepts comments,
 * which would hide brackets from this count.
 */
static int
sigmsg_scan(struct sigmsg_ctx *c, const char *s, size_t len)
{
	const char	*nul;
	size_t		 i, depth = 0;
	int		 instr = 0;

	if ((nul = memchr(s, '\0', len)) != NULL)
		return sigmsg_fail(c, "not JSON: NUL byte at offset %zu",
		    (size_t)(nul - s));
	for (i = 0; i < len; i++) {
		if (instr) {
			if (s[i] == '"')
				instr = 0;
			else if (s[i] == '\\') {
				if (len - i >= sizeof(SIGMSG_NUL_ESCAPE) - 1 &&
				    memcmp(s + i, SIGMSG_NUL_ESCAPE,
				    sizeof(SIGMSG_NUL_ESCAPE) - 1) == 0)
					return sigmsg_fail(c, "string with a "
					    "NUL character at offset %zu", i);
				i++;
			}
			continue;
		}
		switch (s[i]) {
		case '"':
			instr = 1;
			break;
		case '[':
		case '{':
			if (++depth > SIGMSG_DEPTH_MAX)
				return sigmsg_fail(c, "nesting too deep: more "
				    "than %d levels", SIGMSG_DEPTH_MAX);
			break;
		case ']':
		case '}':
			if (depth > 0)
				depth--;
			break;
		case '/':
			return sigmsg_fail(c, "not JSON: comment at offset %zu",
			    i);
		}
	}
	return 0;
}

/* The path of member name of the object at path ("" at the top). */
void
sigmsg_path(char *buf, const char *path, const char *name)
{
	strlcpy(buf, path, SIGMSG_PATH_MAX);
	if (*path != '\0')
		strlcat(buf, ".", SIGMSG_PATH_MAX);
	strlcat(buf, name, SIGMSG_PATH_MAX);
}

/* The path of entry i of the array at path. */
void
sigmsg_index(char *buf, const char *path, size_t i)
{
	char	 index[SIGMSG_INDEX_MAX];

	snprintf(index, sizeof(index), "[%zu]", i);
	strlcpy(buf, path, SIGMSG_PATH_MAX);
	strlcat(buf, index, SIGMSG_PATH_MAX);
}

/* Untrusted text made safe to echo in an error: printable, bounded. */
void
sigmsg_quote(char *buf, size_t len, const char *s)
{
	size_t	 i;

	for (i = 0; s[i] != '\0' && i < SIGMSG_QUOTE_MAX && i + 1 < len; i++)
		buf[i] = isprint((unsigned char)s[i]) && s[i] != '"' &&
		    s[i] != '\\' ? s[i] : '?';
	buf[i] = '\0';
	if (s[i] != '\0')
		strlcat(buf, "...", len);
}

/* Member name of obj in *v, NULL if absent; refuses it twice. */
int
sigmsg_member(struct sigmsg_ctx *c, yajl_val obj, const char *path,
    const char *name, int required, yajl_val *v)
{
	char	 fpath[SIGMSG_PATH_MAX];
	size_t	 i;

	*v = NULL;
	for (i = 0; i < obj->u.object.len; i++) {
		if (strcmp(obj->u.object.keys[i], name) != 0)
			continue;
		if (*v != NULL) {
			sigmsg_path(fpath, path, name);
			return sigmsg_fail(c, "%s: duplicate field", fpath);
		}
		*v = obj->u.object.values[i];
	}
	if (*v == NULL && required) {
		sigmsg_path(fpath, path, name);
		return sigmsg_fail(c, "missing field: %s", fpath);
	}
	return 0;
}

int
sigmsg_str(struct sigmsg_ctx *c, yajl_val v, const char *path, int kind,
    char *dst, size_t dstlen)
{
	const char	*s;
	size_t		 len, i;

	if ((s = YAJL_GET_STRING(v)) == NULL)
		return sigmsg_fail(c, "%s: not a string", path);
	len = strlen(s);
	if (len >= dstlen)
		return sigmsg_fail(c, "%s: longer than %zu bytes", path,
		    dstlen - 1);
	if (kind == SIGMSG_STR_NAME) {
		if (len == 0)
			return sigmsg_fail(c, "%s: empty", path);
		if (strspn(s, SIGMSG_NAME_CHARS) != len)
			return sigmsg_fail(c, "%s: invalid character, want "
			    "A-Z a-z 0-9 . _ -", path);
	} else {
		for (i = 0; i < len; i++)
			if (iscntrl((unsigned char)s[i]))
				return sigmsg_fail(c, "%s: control character",
				    path);
	}
	memcpy(dst, s, len + 1);
	return 0;
}

int
sigmsg_get_str(struct sigmsg_ctx *c, yajl_val obj, const char *path,
    const char *name, int required, int kind, char *dst, size_t dstlen)
{
	char		 fpath[SIGMSG_PATH_MAX];
	yajl_val	 v;

	if (sigmsg_member(c, obj, path, name, required, &v) == -1)
		return -1;
	if (v == NULL)
		return 0;
	sigmsg_path(fpath, path, name);
	return sigmsg_str(c, v, fpath, kind, dst, dstlen);
}

int
sigmsg_get_int(struct sigmsg_ctx *c, yajl_val obj, const char *path,
    const char *name, int required, long long lo, long long hi,
    long long *out)
{
	char		 fpath[SIGMSG_PATH_MAX];
	yajl_val	 v;

	if (sigmsg_member(c, obj, path, name, required, &v) == -1)
		return -1;
	if (v == NULL)
		return 0;
	/* yajl marks fractions, exponents and beyond-int64 as not integers. */
	if (!YAJL_IS_INTEGER(v) || v->u.number.i < lo || v->u.number.i > hi) {
		sigmsg_path(fpath, path, name);
		return sigmsg_fail(c, "%s: not an integer in %lld..%lld",
		    fpath, lo, hi);
	}
	*out = v->u.number.i;
	return 0;
}

/* Member name, an array of min..max values, in *arr (NULL if absent). */
int
sigmsg_get_array(struct sigmsg_ctx *c, yajl_val obj, const char *path,
    const char *name, int required, size_t min, size_t max, yajl_val *arr)
{
	char	 fpath[SIGMSG_PATH_MAX];

	if (sigmsg_member(c, obj, path, name, required, arr) == -1)
		return -1;
	if (*arr == NULL)
		return 0;
	sigmsg_path(fpath, path, name);
	if (!YAJL_IS_ARRAY(*arr))
		return sigmsg_fail(c, "%s: not an array", fpath);
	if ((*arr)->u.array.len < min)
		return sigmsg_fail(c, "%s: %zu entries, at least %zu", fpath,
		    (*arr)->u.array.len, min);
	if ((*arr)->u.array.len > max)
		return sigmsg_fail(c, "%s: more than %zu entries", fpath, max);
	return 0;
}

/*
 * Checks the text and parses it into *root, a JSON object of at most
 * max bytes; what names the text in errors.  *root, if not NULL after,
 * is the caller's to free.
 */
int
sigmsg_object(struct sigmsg_ctx *c, const char *what, const char *json,
    size_t len, size_t max, yajl_val *root)
{
	char		 ebuf[SIGMSG_YAJL_ERRLEN];
	char		*buf;

	*root = NULL;
	if (len > max)
		return sigmsg_fail(c, "%s too large: %zu bytes, at most %zu",
		    what, len, max);
	if (sigmsg_scan(c, json, len) == -1)
		return -1;
	/* yajl_tree_parse wants a C string. */
	if ((buf = malloc(len + 1)) == NULL)
		return sigmsg_fail(c, "%s: %s", what, strerror(errno));
	memcpy(buf, json, len);
	buf[len] = '\0';
	*root = yajl_tree_parse(buf, ebuf, sizeof(ebuf));
	free(buf);
	if (*root == NULL) {
		/* yajl adds lines that point into the text; keep the first. */
		ebuf[strcspn(ebuf, "\n")] = '\0';
		return sigmsg_fail(c, "not JSON: %s", ebuf);
	}
	if (!YAJL_IS_OBJECT(*root))
		return sigmsg_fail(c, "%s: not a JSON object", what);
	return 0;
}

/*
 * Checks the text and parses it into *root, a JSON object of max bytes
 * whose member "type" is names[*kind] (1..n-1).  *root, if not NULL
 * after, is the caller's to free.
 */
int
sigmsg_root(struct sigmsg_ctx *c, const char *json, size_t len, size_t max,
    const char **names, size_t n, yajl_val *root, size_t *kind)
{
	char		 quoted[SIGMSG_QUOTE_MAX + sizeof("...")];
	yajl_val	 v;
	const char	*type;
	size_t		 i;

	if (sigmsg_object(c, "message", json, len, max, root) == -1)
		return -1;
	if (sigmsg_member(c, *root, "", "type", 1, &v) == -1)
		return -1;
	if ((type = YAJL_GET_STRING(v)) == NULL)
		return sigmsg_fail(c, "type: not a string");
	for (i = 1; i < n; i++)
		if (strcmp(type, names[i]) == 0)
			break;
	if (i == n) {
		sigmsg_quote(quoted, sizeof(quoted), type);
		return sigmsg_fail(c, "type: unknown message type \"%s\"",
		    quoted);
	}
	*kind = i;
	return 0;
}

void
sigmsg_gen_status(struct sigmsg_gen *gen, yajl_gen_status st)
{
	if (st != yajl_gen_status_ok)
		gen->failed = 1;
}

void
sigmsg_gen_str(struct sigmsg_gen *gen, const char *s)
{
	sigmsg_gen_status(gen, yajl_gen_string(gen->g,
	    (const unsigned char *)s, strlen(s)));
}

void
sigmsg_gen_kv_str(struct sigmsg_gen *gen, const char *key, const char *s)
{
	sigmsg_gen_str(gen, key);
	sigmsg_gen_str(gen, s);
}

void
sigmsg_gen_kv_int(struct sigmsg_gen *gen, const char *key, long long n)
{
	sigmsg_gen_str(gen, key);
	sigmsg_gen_status(gen, yajl_gen_integer(gen->g, n));
}

/* Starts a JSON object. */
int
sigmsg_gen_begin(struct sigmsg_gen *gen)
{
	gen->failed = 0;
	if ((gen->g = yajl_gen_alloc(NULL)) == NULL)
		return -1;
	/* What we send must be what a receiver's yajl accepts. */
	yajl_gen_config(gen->g, yajl_gen_validate_utf8, 1);
	sigmsg_gen_status(gen, yajl_gen_map_open(gen->g));
	return 0;
}

/* Starts the object of a message of this type. */
int
sigmsg_gen_open(struct sigmsg_gen *gen, const char *type)
{
	if (sigmsg_gen_begin(gen) == -1)
		return -1;
	sigmsg_gen_kv_str(gen, "type", type);
	return 0;
}

/* Ends it: a malloc'ed NUL-terminated text of *len bytes, or NULL. */
char *
sigmsg_gen_close(struct sigmsg_gen *gen, size_t *len)
{
	const unsigned char	*text;
	char			*out = NULL;
	size_t			 textlen;

	sigmsg_gen_status(gen, yajl_gen_map_close(gen->g));
	if (!gen->failed &&
	    yajl_gen_get_buf(gen->g, &text, &textlen) == yajl_gen_status_ok &&
	    (out = malloc(textlen + 1)) != NULL) {
		memcpy(out, text, textlen);
		out[textlen] = '\0';
		*len = textlen;
	}
	yajl_gen_free(gen->g);
	return out;
}
