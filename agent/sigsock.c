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

#include "parent.h"

/* "host:port" or "[v6]:port" into its parts. */
static int
sigsock_split(const char *hp, char *host, size_t hlen, char *port,
    size_t plen)
{
	const char	*colon, *end;

	if (hp[0] == '[') {
		if ((end = strchr(hp, ']')) == NULL || end[1] != ':')
			return -1;
		if ((size_t)(end - hp - 1) >= hlen)
			return -1;
		memcpy(host, hp + 1, end - hp - 1);
		host[end - hp - 1] = '\0';
		colon = end + 1;
	} else {
		if ((colon = strrchr(hp, ':')) == NULL ||
		    (size_t)(colon - hp) >= hlen)
			return -1;
		memcpy(host, hp, colon - hp);
		host[colon - hp] = '\0';
	}
	if (strlcpy(port, colon + 1, plen) >= plen || port[0] == '\0')
		return -1;
	return 0;
}

/*
 * A non-blocking socket whose connect is under way, or -1 and err.
 * With several addresses for the name, successive attempts rotate.
 */
int
sigsock_connect(const char *hp, unsigned int attempt, char *err,
    size_t errlen)
{
	struct addrinfo	 hints, *res, *ai;
	char		 host[TERN_HOST_MAX], port[16];
	unsigned int	 n = 0, pick;
	int		 fd, rv, one = 1;

	if (sigsock_split(hp, host, sizeof(host), port, sizeof(port)) == -1) {
		snprintf(err, errlen, "bad signal server address %s", hp);
		return -1;
	}
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
