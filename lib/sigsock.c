/*
 * parent (ternd, tern-relay): opens the TCP connection to tern-signal
 * for a sandboxed process, whose sandbox has neither socket() nor
 * connect().  Only the server named in the config can be reached this
 * way.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "hostport.h"
#include "monotime.h"
#include "sigsock.h"

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
	int		 fd, rv;

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
	fd = sigsock_connect_addr(ai->ai_addr, hp, err, errlen);
	freeaddrinfo(res);
	return fd;
}

/* sigsock_connect to an address already looked up; hp names it in err. */
int
sigsock_connect_addr(const struct sockaddr *sa, const char *hp, char *err,
    size_t errlen)
{
	int	 fd, one = 1;

	if ((fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	/* Signaling is small messages whose latency matters. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, sa, sockaddr_len(sa)) == -1 && errno != EINPROGRESS) {
		snprintf(err, errlen, "connect to %s: %s", hp,
		    strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * sigsock_connect to hp, unless the last attempt was less than
 * SIGSOCK_MIN_MS ago; -1 with *error (an errno) and err if not.
 */
int
sigsock_open(struct sigsock_gate *g, const char *hp, int *error, char *err,
    size_t errlen)
{
	int	 fd;

	if (sigsock_gate_pass(g, error, err, errlen) == -1)
		return -1;
	if ((fd = sigsock_connect(hp, g->attempts++, err, errlen)) == -1)
		*error = EHOSTUNREACH;
	return fd;
}

/* 0 if an attempt may go out now, else -1 with *error and err. */
int
sigsock_gate_pass(struct sigsock_gate *g, int *error, char *err,
    size_t errlen)
{
	uint64_t	 now = monotime_ms();

	if (g->last_ms != 0 && now - g->last_ms < SIGSOCK_MIN_MS) {
		*error = EAGAIN;
		strlcpy(err, "connection requests too frequent", errlen);
		return -1;
	}
	g->last_ms = now;
	*error = 0;
	return 0;
}
