/* What the load clients of bench/ share: a clock, sockets, batches. */
#include <sys/socket.h>
#include <string.h>
#include <time.h>

#include "load.h"

/* CLOCK_MONOTONIC in nanoseconds. */
long long
load_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * LOAD_NS_PER_S + ts.tv_nsec;
}

/* As root past net.core.rmem_max; else as much as it allows. */
void
load_rcvbuf(int fd)
{
	int	 rcvbuf = LOAD_RCVBUF;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
	    sizeof(rcvbuf)) == -1)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		    sizeof(rcvbuf));
}

/* What has arrived on fd, without waiting: how many, into bufs. */
int
load_recv(int fd, uint8_t bufs[LOAD_BATCH][LOAD_DGRAM_MAX],
    struct mmsghdr msgs[LOAD_BATCH])
{
	struct iovec	 iov[LOAD_BATCH];
	int		 i;

	memset(msgs, 0, LOAD_BATCH * sizeof(*msgs));
	for (i = 0; i < LOAD_BATCH; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = LOAD_DGRAM_MAX;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	return recvmmsg(fd, msgs, LOAD_BATCH, MSG_DONTWAIT, NULL);
}
