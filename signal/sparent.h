/* tern-signal parent process: privileged, holds the config and sockets. */
#ifndef TERN_SPARENT_H
#define TERN_SPARENT_H

#include "signal.h"

struct sparent_opts {
	const char	*conffile;
	const char	*chrootdir;
	const char	*user;
	int		 debug;
	int		 verbose;
};

__attribute__((noreturn)) void sparent_main(struct sparent_opts *,
	    struct signal_conf *, char **);
int	 sparent_read_key(const struct signal_conf *, uint8_t [KEY_LEN]);

#endif
