/* parent: relays.json in ternd's state directory, read and written whole. */
#ifndef TERN_PARENT_RELAYCACHE_H
#define TERN_PARENT_RELAYCACHE_H

#include <stddef.h>

#include "relaycache.h"

#define RELAYCACHE_TMP		"relays.json.tmp"	/* renamed into place */
#define RELAYCACHE_MODE		0600	/* only ternd reads its state */

/*
 * relaycache_write replaces statedir/relays.json with len bytes so that
 * a crash leaves the old file or the new one, never a mix.  It returns
 * 0, or -1 with why in err.  relaycache_read returns 0 and a malloc'ed
 * *buf of *len bytes, 1 if there is no file, or -1 with why in err.
 * Neither looks at the bytes.
 */
int	 relaycache_write(const char *, const char *, size_t, char *, size_t);
int	 relaycache_read(const char *, char **, size_t *, char *, size_t);

/*
 * The parent parses the file before the engine sees a byte of it:
 * relaycache_load returns 0 with rc filled, 1 if there is no file, or
 * -1 with why in err (a corrupt file: "relays.json: why").
 * relaycache_store encodes rc and writes it: 0, or -1 with why in err.
 */
int	 relaycache_load(const char *, struct relaycache *, char *, size_t);
int	 relaycache_store(const char *, const struct relaycache *, char *,
	    size_t);

#endif
