/* Peer ports: one 127.x.y.z address per peer on a shared loopback socket. */
#ifndef TERN_PEERPORT_H
#define TERN_PEERPORT_H

#include <netinet/in.h>
#include <stdint.h>

/*
 * Peer i is 127.1.0.1 + i.  127.0.0.0/16 stays free for other loopback
 * users (127.0.0.1, 127.0.1.1 of Debian's /etc/hosts); 127.255.255.255
 * is never used.
 */
#define PEERPORT_FIRST	0x7f010001U	/* 127.1.0.1 */
#define PEERPORT_LAST	0x7ffffffeU	/* 127.255.255.254 */
#define PEERPORT_COUNT	(PEERPORT_LAST - PEERPORT_FIRST + 1)

int	 peerport_addr(uint32_t, uint16_t, struct sockaddr_in *);
int	 peerport_index(const struct sockaddr_in *, uint16_t, uint32_t *);
int	 peerport_socket(uint16_t);

#endif
