/*
 * parent: relays.json, the relay list cache, parsed and encoded.  Only
 * ternd's parent calls it (agent/parent_relaycache.c); the engine gets
 * checked entries over imsg.  The text is checked here as strictly as
 * a message from the network, since anything may have written the file.
 */
#include <stdint.h>
#include <string.h>

#include "hostport.h"
#include "relaycache.h"
#include "sigmsg_json.h"

static const char *relaycache_fields[] = { "addrs", "saved_at" };
#define RELAYCACHE_NFIELDS	(sizeof(relaycache_fields) / \
	    sizeof(relaycache_fields[0]))

static int	 relaycache_known(struct sigmsg_ctx *, yajl_val);

/* We wrote the file: a member we do not know means it is not ours. */
static int
relaycache_known(struct sigmsg_ctx *c, yajl_val obj)
{
	char	 quoted[SIGMSG_QUOTE_MAX + sizeof("...")];
	size_t	 i, j;

	for (i = 0; i < obj->u.object.len; i++) {
		for (j = 0; j < RELAYCACHE_NFIELDS; j++)
			if (strcmp(obj->u.object.keys[i],
			    relaycache_fields[j]) == 0)
				break;
		if (j == RELAYCACHE_NFIELDS) {
			sigmsg_quote(quoted, sizeof(quoted),
			    obj->u.object.keys[i]);
			return sigmsg_fail(c, "unknown field \"%s\"", quoted);
		}
	}
	return 0;
}

int
relaycache_parse(const char *json, size_t len, struct relaycache *out,
    char *err, size_t errlen)
{
	struct sigmsg_ctx	 c = { err, errlen };
	char			 path[SIGMSG_PATH_MAX];
	char			 host[HOSTPORT_HOST_MAX];
	yajl_val		 root, arr;
	const char		*errstr;
	long long		 saved = 0;
	uint16_t		 port;
	size_t			 i;
	int			 rv = -1;

	memset(out, 0, sizeof(*out));
	if (sigmsg_object(&c, RELAYCACHE_FILE, json, len, RELAYCACHE_MAX,
	    &root) == -1)
		goto done;
	if (relaycache_known(&c, root) == -1 ||
	    sigmsg_get_array(&c, root, "", "addrs", 1, 0,
	    RELAYCACHE_ADDRS_MAX, &arr) == -1 ||
	    sigmsg_get_int(&c, root, "", "saved_at", 1, 0, INT64_MAX,
	    &saved) == -1)
		goto done;
	for (i = 0; i < arr->u.array.len; i++) {
		sigmsg_index(path, "addrs", i);
		if (sigmsg_str(&c, arr->u.array.values[i], path,
		    SIGMSG_STR_TEXT, out->addrs[i], sizeof(out->addrs[i])) == -1)
			goto done;
		if (hostport_parse(out->addrs[i], host, &port, &errstr) == -1) {
			sigmsg_fail(&c, "%s: %s", path, errstr);
			goto done;
		}
	}
	out->naddrs = arr->u.array.len;
	out->saved_at = saved;
	rv = 0;
 done:
	if (root != NULL)
		yajl_tree_free(root);
	if (rv == -1)
		memset(out, 0, sizeof(*out));
	return rv;
}

char *
relaycache_encode(const struct relaycache *rc, size_t *len)
{
	struct sigmsg_gen	 gen;
	size_t			 i;

	if (rc->naddrs > RELAYCACHE_ADDRS_MAX || rc->saved_at < 0)
		return NULL;
	if (sigmsg_gen_begin(&gen) == -1)
		return NULL;
	sigmsg_gen_str(&gen, "addrs");
	sigmsg_gen_status(&gen, yajl_gen_array_open(gen.g));
	for (i = 0; i < rc->naddrs; i++)
		sigmsg_gen_str(&gen, rc->addrs[i]);
	sigmsg_gen_status(&gen, yajl_gen_array_close(gen.g));
	sigmsg_gen_kv_int(&gen, "saved_at", rc->saved_at);
	return sigmsg_gen_close(&gen, len);
}
