/* parent: relays.json in ternd's state directory, read and written whole. */
#ifndef TERN_RELAYCACHE_FILE_H
#define TERN_RELAYCACHE_FILE_H

#include <stddef.h>

#define RELAYCACHE_TMP		"relays.json.tmp"	/* renamed into place */
#define RELAYCACHE_MODE		0600	/* only ternd reads its state */

/*
 * relaycache_write replaces statedir/relays.json with len bytes so that
 * a crash leaves the old file or the new one, never a mix.  It returns
 * 0, or -1 with why in err.  relaycache_read returns 0 and a malloc'ed
 * *buf of *len bytes, 1 if there is no file, or -1 with why in err.
 * Neither looks at the bytes; relaycache_parse does, in the engine.
 */
int	 relaycache_write(const char *, const char *, size_t, char *, size_t);
int	 relaycache_read(const char *, char **, size_t *, char *, size_t);

#endif
