/* seccomp allow-lists, one per sandboxed process: any other call kills it. */
#ifndef TERN_SANDBOX_H
#define TERN_SANDBOX_H

#include <sys/socket.h>

/* What tern-relay's relayed sockets are, and all socket() may make there. */
#define SANDBOX_RELAY_SOCK_TYPE	(SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC)

/* The sandboxed processes; each has its own list in sandbox.c. */
enum sandbox_proc {
	SANDBOX_ENGINE,		/* ternd's engine */
	SANDBOX_SIGNAL,		/* tern-signal's server process */
	SANDBOX_RELAY,		/* tern-relay's server processes */
	SANDBOX_RESOLVER,	/* ternd's resolver */
};

void	 sandbox_apply(enum sandbox_proc);

#endif
