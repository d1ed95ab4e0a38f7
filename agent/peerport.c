/*
 * Peer ports: one 127.x.y.z address per peer on a shared loopback socket.
 * The address mapping is used by the engine (forwarding) and the parent
 * (it accepts only peer-port endpoints); peerport_socket() is the
 * parent's, which creates the socket and passes it to the engine.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "peerport.h"

/* Socket buffers sized for bursts of WireGuard datagrams. */
#define PEERPORT_SOCKBUF	(4 * 1024 * 1024)

int
peerport_addr(uint32_t idx, uint16_t port, struct sockaddr_in *sin)
{
	if (idx >= PEERPORT_COUNT || port == 0)
		return -1;
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(PEERPORT_FIRST + idx);
	sin->sin_port = htons(port);
	return 0;
}

/* Returns 0 and the peer index if sin is a peer port on port. */
int
peerport_index(const struct sockaddr_in *sin, uint16_t port, uint32_t *idx)
{
	uint32_t	 a;

	if (sin->sin_family != AF_INET || ntohs(sin->sin_port) != port ||
	    port == 0)
		return -1;
	a = ntohl(sin->sin_addr.s_addr);
	if (a < PEERPORT_FIRST || a > PEERPORT_LAST)
		return -1;
	*idx = a - PEERPORT_FIRST;
	return 0;
}

/*
 * One socket for every peer: bound to 0.0.0.0:port on the loopback
 * device only, so it receives for all of 127.0.0.0/8 and nothing from
 * the network; IP_PKTINFO tells which peer port a datagram was sent to.
 */
int
peerport_socket(uint16_t port)
{
	struct sockaddr_in	 sin;
	int			 fd, on = 1, sz = PEERPORT_SOCKBUF;

	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3) == -1 ||
	    setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on)) == -1)
		goto fail;
	/* Larger buffers are a help, not a requirement. */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_ANY);
	sin.sin_port = htons(port);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		goto fail;
	return fd;
 fail:
	{
		int	 saved = errno;

		close(fd);
		errno = saved;
	}
	return -1;
}
