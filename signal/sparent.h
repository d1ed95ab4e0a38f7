/* tern-signal parent process: privileged, holds the config and sockets. */
#ifndef TERN_SPARENT_H
#define TERN_SPARENT_H

#include "signal.h"
#include "super.h"

__attribute__((noreturn)) void sparent_main(struct super_opts *,
	    struct signal_conf *, char **);
int	 sparent_read_key(const struct signal_conf *, uint8_t [KEY_LEN]);

#endif
