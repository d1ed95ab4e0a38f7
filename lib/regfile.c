/*
 * Every tern program (as root in the parents): opens a config, include,
 * key, PEM or cache file so that one naming a FIFO or device is refused
 * instead of blocking the process for ever.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "regfile.h"

#define REGFILE_NOT_REGULAR	"not a regular file"

int
regfile_open(const char *path, int flags, struct stat *st,
    const char **errstr)
{
	int	 fd, fl, saved;

	/* Opening a device can have effects of its own: look first. */
	if (stat(path, st) == 0 && !S_ISREG(st->st_mode))
		goto notreg;
	/* O_NONBLOCK: a FIFO swapped in after stat opens without a writer. */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | flags)) == -1)
		goto fail;
	if (fstat(fd, st) == -1)
		goto fail;
	if (!S_ISREG(st->st_mode)) {
		close(fd);
		goto notreg;
	}
	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == -1)
		goto fail;
	return fd;

fail:
	saved = errno;
	if (fd != -1)
		close(fd);
	*errstr = strerror(saved);
	errno = saved;
	return -1;

notreg:
	*errstr = REGFILE_NOT_REGULAR;
	errno = EINVAL;
	return -1;
}
