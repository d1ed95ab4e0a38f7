/* tern-relay parent process: privileged, holds the config and sockets. */
#ifndef TERN_RPARENT_H
#define TERN_RPARENT_H

#include "relay/relay.h"

struct rparent_opts {
	const char	*conffile;
	const char	*chrootdir;
	const char	*user;
	int		 debug;
	int		 verbose;
};

__attribute__((noreturn)) void rparent_main(struct rparent_opts *,
	    struct relay_conf *, char **);

#endif
