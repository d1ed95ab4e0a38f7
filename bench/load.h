/* What the load clients of bench/ share: a clock, sockets, batches. */
#ifndef TERN_BENCH_LOAD_H
#define TERN_BENCH_LOAD_H

#include <sys/socket.h>
#include <stdint.h>

#define LOAD_BATCH	64	/* datagrams per sendmmsg/recvmmsg */
#define LOAD_DGRAM_MAX	2048	/* an answer or a relayed datagram */
#define LOAD_NS_PER_S	1000000000LL
#define LOAD_NS_PER_MS	1000000LL
/* Datagrams arrive while we send: room so that they are not dropped. */
#define LOAD_RCVBUF	(8 * 1024 * 1024)

long long load_now(void);
void	 load_rcvbuf(int);
int	 load_recv(int, uint8_t [LOAD_BATCH][LOAD_DGRAM_MAX],
	    struct mmsghdr [LOAD_BATCH]);

#endif
