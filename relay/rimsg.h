/* tern-relay: the messages from the parent to the server process. */
#ifndef TERN_RIMSG_H
#define TERN_RIMSG_H

#include <stdint.h>

#include "imsg.h"

/*
 * Parent -> server only; the server sends nothing back.  The sockets
 * come first, then a config; each reload sends a config again.
 */
enum relay_imsg_type {
	IMSG_RELAY_NONE,
	IMSG_RELAY_SOCKET,	/* fd: a bound UDP socket, no payload */
	IMSG_RELAY_CONF,	/* struct relay_imsg_conf */
};

/* The limits: what the server uses of the config. */
struct relay_imsg_conf {
	uint32_t		 rate;
	uint32_t		 burst;
	uint32_t		 table_size;
};

#endif
