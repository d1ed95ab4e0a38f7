/*
 * parent (ternd, tern-relay): the TCP connection to tern-signal that a
 * sandboxed process asks for, since its sandbox has neither socket()
 * nor connect().  Only the server named in the config can be reached
 * this way, and not in a loop.
 */
#ifndef TERN_SIGSOCK_H
#define TERN_SIGSOCK_H

#include <stddef.h>
#include <stdint.h>

/*
 * Below the shortest retry of sigconn.c (half of 1 s): only a loop is
 * refused, which a compromised sandbox could ask for.
 */
#define SIGSOCK_MIN_MS		250

struct sigsock_gate {
	uint64_t		 last_ms;	/* monotime_ms of the last attempt */
	unsigned int		 attempts;	/* rotates the addresses */
};

struct sockaddr;

int	 sigsock_connect(const char *, unsigned int, char *, size_t);
int	 sigsock_connect_addr(const struct sockaddr *, const char *, char *,
	    size_t);
int	 sigsock_open(struct sigsock_gate *, const char *, int *, char *,
	    size_t);
int	 sigsock_gate_pass(struct sigsock_gate *, int *, char *, size_t);

#endif
