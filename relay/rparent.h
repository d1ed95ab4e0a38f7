/* tern-relay parent process: privileged, holds the config and sockets. */
#ifndef TERN_RPARENT_H
#define TERN_RPARENT_H

#include "relay/relay.h"
#include "super.h"

__attribute__((noreturn)) void rparent_main(struct super_opts *,
	    struct relay_conf *, char **);

#endif
