/* Opening the files a program reads at start or reload: configs, keys. */
#ifndef TERN_REGFILE_H
#define TERN_REGFILE_H

#include <sys/stat.h>

/*
 * Opens path to read, close-on-exec, if it is a regular file; flags may
 * add O_NOFOLLOW.  A FIFO, device or directory is refused without
 * blocking.  Returns the descriptor, in blocking mode, with its stat in
 * *st, or -1 with *errstr saying why (errno is kept).
 */
int	 regfile_open(const char *, int, struct stat *, const char **);

#endif
