/*
 * test tool: what a NAT does to a UDP flow.  "serve" answers each
 * datagram with the address and port it came from (a STUN Binding in
 * miniature); "probe" sends from one socket to several servers and
 * prints what each saw, one line per server.  Used by topo_test.sh.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <err.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"

#define UDPMAP_TRIES		5	/* sends per server before giving up */
#define UDPMAP_WAIT_MS		400	/* wait for each answer */
#define UDPMAP_SERVE_MAX	600	/* seconds a server may be asked to run */
#define UDPMAP_BUF		512	/* a probe or an answer */
#define UDPMAP_PROBE		"probe"	/* what a probe says: servers ignore it */
#define UDPMAP_POLL_MS		1000	/* how often a server looks at the clock */

static void	 udpmap_usage(void) __attribute__((noreturn));
static int	 udpmap_socket(const char *);
static int	 udpmap_serve(int, long);
static int	 udpmap_probe(int, const char *);

static void
udpmap_usage(void)
{
	fprintf(stderr, "usage: udpmap serve host:port seconds\n"
	    "       udpmap probe host:port server:port...\n");
	exit(2);
}

/* A UDP socket bound to host:port. */
static int
udpmap_socket(const char *local)
{
	struct sockaddr_storage	 ss;
	const char		*errstr;
	int			 s, one = 1;

	if (endpoint_parse(local, &ss, &errstr) == -1)
		errx(2, "%s: %s", local, errstr);
	if ((s = socket(ss.ss_family, SOCK_DGRAM, 0)) == -1)
		err(1, "socket");
	if (setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1)
		err(1, "SO_REUSEADDR");
	/* "[::]:port" and "0.0.0.0:port" are two servers, not one. */
	if (ss.ss_family == AF_INET6 && setsockopt(s, IPPROTO_IPV6,
	    IPV6_V6ONLY, &one, sizeof(one)) == -1)
		err(1, "IPV6_V6ONLY");
	if (bind(s, (struct sockaddr *)&ss, sockaddr_len((struct sockaddr *)
	    &ss)) == -1)
		err(1, "bind %s", local);
	return s;
}

static int
udpmap_serve(int s, long seconds)
{
	struct sockaddr_storage	 from;
	struct pollfd		 pfd = { s, POLLIN, 0 };
	char			 buf[UDPMAP_BUF], text[ADDR_STRLEN];
	socklen_t		 fromlen;
	time_t			 end = time(NULL) + seconds;
	ssize_t			 n;

	while (time(NULL) < end) {
		if (poll(&pfd, 1, UDPMAP_POLL_MS) <= 0)
			continue;
		fromlen = sizeof(from);
		n = recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from,
		    &fromlen);
		if (n == -1)
			continue;
		sockaddr_str((struct sockaddr *)&from, text, sizeof(text));
		sendto(s, text, strlen(text), 0, (struct sockaddr *)&from,
		    fromlen);
	}
	return 0;
}

/* Prints what server saw of our socket; -1 if it never answered. */
static int
udpmap_probe(int s, const char *server)
{
	struct sockaddr_storage	 ss, from;
	struct pollfd		 pfd = { s, POLLIN, 0 };
	char			 buf[UDPMAP_BUF];
	const char		*errstr;
	socklen_t		 fromlen;
	ssize_t			 n;
	int			 i;

	if (endpoint_parse(server, &ss, &errstr) == -1)
		errx(2, "%s: %s", server, errstr);
	for (i = 0; i < UDPMAP_TRIES; i++) {
		if (sendto(s, UDPMAP_PROBE, sizeof(UDPMAP_PROBE) - 1, 0,
		    (struct sockaddr *)&ss, sockaddr_len((struct sockaddr *)
		    &ss)) == -1)
			err(1, "sendto %s", server);
		if (poll(&pfd, 1, UDPMAP_WAIT_MS) <= 0)
			continue;
		fromlen = sizeof(from);
		if ((n = recvfrom(s, buf, sizeof(buf) - 1, 0,
		    (struct sockaddr *)&from, &fromlen)) <= 0)
			continue;
		/* A late answer of an earlier server is not this one's. */
		if (sockaddr_cmp((struct sockaddr *)&from,
		    (struct sockaddr *)&ss) != 0)
			continue;
		buf[n] = '\0';
		printf("%s\n", buf);
		return 0;
	}
	warnx("%s: no answer", server);
	return -1;
}

int
main(int argc, char *argv[])
{
	const char	*errstr;
	long		 seconds;
	int		 s, i, rv = 0;

	if (argc < 4)
		udpmap_usage();
	s = udpmap_socket(argv[2]);
	if (strcmp(argv[1], "serve") == 0 && argc == 4) {
		seconds = strtonum(argv[3], 1, UDPMAP_SERVE_MAX, &errstr);
		if (errstr != NULL)
			errx(2, "seconds %s: %s", argv[3], errstr);
		return udpmap_serve(s, seconds);
	}
	if (strcmp(argv[1], "probe") != 0)
		udpmap_usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 3; i < argc; i++)
		if (udpmap_probe(s, argv[i]) == -1)
			rv = 1;
	return rv;
}
