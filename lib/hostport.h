/* "host:port" in config files: an IP literal or a DNS name, and a port. */
#ifndef TERN_HOSTPORT_H
#define TERN_HOSTPORT_H

#include <stddef.h>
#include <stdint.h>

#define HOSTPORT_HOST_MAX	254	/* RFC 1035's 253-character name, NUL */

/*
 * hostport_parse splits "host:port", "[v6]:port" or "name:port" into host
 * (without brackets, HOSTPORT_HOST_MAX bytes) and port, and returns 0, or
 * sets *errstr and returns -1.  Names are checked, not resolved.
 */
int	 hostport_parse(const char *, char *, uint16_t *, const char **);

#endif
