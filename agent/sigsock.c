/*
 * parent: opens the TCP connection to tern-signal for the engine,
 * whose sandbox has neither socket() nor connect().  Only the server
 * named in ternd.conf can be reached this way.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hostport.h"
#include "parent.h"

/*
 * A non-blocking socket whose connect is under way, or -1 and err.
 * With several addresses for the name, successive attempts rotate.
 */
int
sigsock_connect(const char *hp, unsigned int attempt, char *err,
    size_t errlen)
{
	struct addrinfo	 hints, *res, *ai;
	char		 host[HOSTPORT_HOST_MAX], port[8];
	const char	*errstr;
	unsigned int	 n = 0, pick;
	uint16_t	 portnum;
	int		 fd, rv, one = 1;

	if (hostport_parse(hp, host, &portnum, &errstr) == -1) {
		snprintf(err, errlen, "signal server %s: %s", hp, errstr);
		return -1;
	}
	snprintf(port, sizeof(port), "%u", portnum);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	if ((rv = getaddrinfo(host, port, &hints, &res)) != 0) {
		snprintf(err, errlen, "resolving %s: %s", host,
		    gai_strerror(rv));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next)
		n++;
	pick = attempt % n;
	for (ai = res; pick > 0; ai = ai->ai_next)
		pick--;
	if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol)) == -1) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		freeaddrinfo(res);
		return -1;
	}
	/* Signaling is small messages whose latency matters. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == -1 &&
	    errno != EINPROGRESS) {
		snprintf(err, errlen, "connect to %s: %s", hp,
		    strerror(errno));
		close(fd);
		freeaddrinfo(res);
		return -1;
	}
	freeaddrinfo(res);
	return fd;
}
