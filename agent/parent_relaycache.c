/*
 * parent: stores relays.json for the engine, which cannot open files.
 * The file is written to a temporary name, synced and renamed, and the
 * directory synced, so a crash or full disk never leaves half a list.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "relaycache.h"
#include "parent_relaycache.h"
#include "regfile.h"

#define RELAYCACHE_WHY_MAX	256	/* relaycache_parse's reason */

static int	 relaycache_writeall(int, const char *, size_t);

static int
relaycache_writeall(int fd, const char *buf, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		/* No progress on a regular file: the disk is full. */
		if (n == 0) {
			errno = ENOSPC;
			return -1;
		}
		buf += n;
		len -= n;
	}
	return 0;
}

int
relaycache_write(const char *statedir, const char *buf, size_t len,
    char *err, size_t errlen)
{
	const char	*what = "open";
	int		 dfd, fd = -1, saved;

	if (len > RELAYCACHE_MAX) {
		snprintf(err, errlen, "%s: %zu bytes, at most %d",
		    RELAYCACHE_FILE, len, RELAYCACHE_MAX);
		return -1;
	}
	if ((dfd = open(statedir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "%s: %s", statedir, strerror(errno));
		return -1;
	}
	if ((fd = openat(dfd, RELAYCACHE_TMP, O_WRONLY | O_CREAT | O_TRUNC |
	    O_NOFOLLOW | O_CLOEXEC, RELAYCACHE_MODE)) == -1)
		goto fail;
	what = "write";
	if (relaycache_writeall(fd, buf, len) == -1)
		goto fail;
	what = "fsync";
	if (fsync(fd) == -1)
		goto fail;
	what = "close";
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	what = "rename";
	if (renameat(dfd, RELAYCACHE_TMP, dfd, RELAYCACHE_FILE) == -1)
		goto fail;
	/* The rename itself must reach the disk. */
	what = "fsync directory";
	if (fsync(dfd) == -1)
		goto fail;
	close(dfd);
	return 0;
 fail:
	saved = errno;
	if (fd != -1)
		close(fd);
	unlinkat(dfd, RELAYCACHE_TMP, 0);
	close(dfd);
	snprintf(err, errlen, "%s/%s: %s: %s", statedir, RELAYCACHE_TMP, what,
	    strerror(saved));
	return -1;
}

int
relaycache_read(const char *statedir, char **buf, size_t *len, char *err,
    size_t errlen)
{
	struct stat	 st;
	char		 path[PATH_MAX];
	char		*b = NULL;
	const char	*errstr;
	ssize_t		 n;
	size_t		 have = 0;
	int		 fd, saved;

	*buf = NULL;
	*len = 0;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", statedir,
	    RELAYCACHE_FILE) >= sizeof(path)) {
		snprintf(err, errlen, "%s: path too long", statedir);
		return -1;
	}
	if ((fd = regfile_open(path, O_NOFOLLOW, &st, &errstr)) == -1) {
		if (errno == ENOENT)
			return 1;
		snprintf(err, errlen, "%s: %s", path, errstr);
		return -1;
	}
	/* One byte more than the cap tells a file that grew past it. */
	if ((b = malloc(RELAYCACHE_MAX + 1)) == NULL)
		goto fail;
	while (have <= RELAYCACHE_MAX) {
		if ((n = read(fd, b + have, RELAYCACHE_MAX + 1 - have)) == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (n == 0)
			break;
		have += n;
	}
	close(fd);
	if (have > RELAYCACHE_MAX) {
		free(b);
		snprintf(err, errlen, "%s: larger than %d bytes", path,
		    RELAYCACHE_MAX);
		return -1;
	}
	*buf = b;
	*len = have;
	return 0;
 fail:
	saved = errno;
	free(b);
	close(fd);
	snprintf(err, errlen, "%s: %s", path, strerror(saved));
	return -1;
}

int
relaycache_load(const char *statedir, struct relaycache *rc, char *err,
    size_t errlen)
{
	char	*buf, why[RELAYCACHE_WHY_MAX];
	size_t	 len;
	int	 rv;

	memset(rc, 0, sizeof(*rc));
	if ((rv = relaycache_read(statedir, &buf, &len, err, errlen)) != 0)
		return rv;
	rv = relaycache_parse(buf, len, rc, why, sizeof(why));
	free(buf);
	if (rv == -1) {
		memset(rc, 0, sizeof(*rc));
		snprintf(err, errlen, "%s: %s", RELAYCACHE_FILE, why);
		return -1;
	}
	return 0;
}

int
relaycache_store(const char *statedir, const struct relaycache *rc,
    char *err, size_t errlen)
{
	char	*buf;
	size_t	 len;
	int	 rv;

	if ((buf = relaycache_encode(rc, &len)) == NULL) {
		snprintf(err, errlen, "%s: cannot encode %zu entries",
		    RELAYCACHE_FILE, rc->naddrs);
		return -1;
	}
	rv = relaycache_write(statedir, buf, len, err, errlen);
	free(buf);
	return rv;
}
