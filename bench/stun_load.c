/*
 * stun_load: a STUN Binding load client for bench/stun and
 * regress/relay_test.  It sends Binding requests from one UDP socket as
 * fast as it can (or a given count), counts the valid answers to its own
 * transaction IDs (a FINGERPRINT, if any, must match: other servers may
 * leave it out), and prints how many came back and how fast.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "load.h"
#include "stun.h"

#define LOAD_SECS_MAX	600	/* a bound on -t */
#define LOAD_COUNT_MAX	100000000 /* a bound on -n */
#define LOAD_WAIT_MS	500	/* answers may trail the last request */

static uint8_t			 reqs[LOAD_BATCH][STUN_HDR_LEN];
static uint8_t			 ans[LOAD_BATCH][LOAD_DGRAM_MAX];
static uint8_t			 run_id[4];	/* first tid bytes of this run */

static __attribute__((noreturn)) void usage(void);
static int	 parse_addr(const char *, uint16_t, struct sockaddr_storage *);
static void	 build(uint8_t *, uint64_t);
static size_t	 drain(int);

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: stun_load [-l local] [-n count] [-t seconds] "
	    "[-w ms] address port\n");
	exit(2);
}

static int
parse_addr(const char *s, uint16_t port, struct sockaddr_storage *ss)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		return 0;
	}
	if (inet_pton(AF_INET6, s, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		return 0;
	}
	return -1;
}

/* A 20-byte Binding request whose tid is the run id and a counter. */
static void
build(uint8_t *buf, uint64_t seq)
{
	struct stun_builder	 b;
	uint8_t			 tid[STUN_TID_LEN];

	memcpy(tid, run_id, sizeof(run_id));
	memcpy(tid + sizeof(run_id), &seq, sizeof(seq));
	if (stun_build_init(&b, buf, STUN_HDR_LEN, stun_type(STUN_BINDING,
	    STUN_REQUEST), tid) == -1) {
		fprintf(stderr, "stun_load: cannot build a request\n");
		exit(1);
	}
}

/* Reads what has arrived; returns how many are answers to this run. */
static size_t
drain(int fd)
{
	struct mmsghdr	 msgs[LOAD_BATCH];
	struct stun_msg	 m;
	size_t		 good = 0;
	int		 i, n;

	for (;;) {
		if ((n = load_recv(fd, ans, msgs)) <= 0)
			return good;
		for (i = 0; i < n; i++)
			if (stun_parse(ans[i], msgs[i].msg_len, &m) == 0 &&
			    m.type == stun_type(STUN_BINDING, STUN_SUCCESS) &&
			    memcmp(m.tid, run_id, sizeof(run_id)) == 0 &&
			    (m.has & STUN_HAS_XOR_MAPPED) &&
			    (!(m.has & STUN_HAS_FINGERPRINT) ||
			    stun_check_fingerprint(&m) == 0))
				good++;
	}
}

int
main(int argc, char *argv[])
{
	struct sockaddr_storage	 dst, src;
	struct mmsghdr		 msgs[LOAD_BATCH];
	struct iovec		 iov[LOAD_BATCH];
	const char		*local = NULL, *errstr;
	long long		 start, stop, end, secs = 0, count = 0;
	long long		 wait_ms = LOAD_WAIT_MS;
	uint64_t		 seq = 0;
	size_t			 answered = 0, in_window = 0;
	int			 ch, fd, i, n, batch;

	while ((ch = getopt(argc, argv, "l:n:t:w:")) != -1) {
		switch (ch) {
		case 'l':
			local = optarg;
			break;
		case 'n':
			count = strtonum(optarg, 1, LOAD_COUNT_MAX, &errstr);
			if (errstr != NULL)
				usage();
			break;
		case 't':
			secs = strtonum(optarg, 1, LOAD_SECS_MAX, &errstr);
			if (errstr != NULL)
				usage();
			break;
		case 'w':
			wait_ms = strtonum(optarg, 0, LOAD_SECS_MAX * 1000LL,
			    &errstr);
			if (errstr != NULL)
				usage();
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 2 || (count == 0) == (secs == 0))
		usage();
	n = strtonum(argv[optind + 1], 1, UINT16_MAX, &errstr);
	if (errstr != NULL || parse_addr(argv[optind], n, &dst) == -1)
		usage();
	if ((fd = socket(dst.ss_family, SOCK_DGRAM, 0)) == -1) {
		perror("socket");
		return 1;
	}
	load_rcvbuf(fd);
	if (local != NULL) {
		if (parse_addr(local, 0, &src) == -1 ||
		    src.ss_family != dst.ss_family)
			usage();
		if (bind(fd, (struct sockaddr *)&src,
		    sockaddr_len((struct sockaddr *)&src)) == -1) {
			perror("bind");
			return 1;
		}
	}
	if (connect(fd, (struct sockaddr *)&dst,
	    sockaddr_len((struct sockaddr *)&dst)) == -1) {
		perror("connect");
		return 1;
	}
	arc4random_buf(run_id, sizeof(run_id));

	start = load_now();
	stop = secs ? start + secs * LOAD_NS_PER_S : 0;
	for (;;) {
		if (count && seq >= (uint64_t)count)
			break;
		if (stop && load_now() >= stop)
			break;
		batch = LOAD_BATCH;
		if (count && (uint64_t)count - seq < (uint64_t)batch)
			batch = count - seq;
		memset(msgs, 0, sizeof(msgs));
		for (i = 0; i < batch; i++) {
			build(reqs[i], seq + i);
			iov[i].iov_base = reqs[i];
			iov[i].iov_len = STUN_HDR_LEN;
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
		}
		if ((n = sendmmsg(fd, msgs, batch, MSG_DONTWAIT)) > 0)
			seq += n;
		else if (errno != EAGAIN && errno != EWOULDBLOCK &&
		    errno != ECONNREFUSED && errno != ENOBUFS) {
			perror("sendmmsg");
			return 1;
		}
		answered += drain(fd);
	}
	end = load_now();
	in_window = answered;
	while (load_now() < end + wait_ms * LOAD_NS_PER_MS) {
		answered += drain(fd);
		usleep(1000);
	}
	printf("sent %llu answered %zu seconds %.3f answers/s %.0f\n",
	    (unsigned long long)seq, answered,
	    (double)(end - start) / LOAD_NS_PER_S,
	    (double)in_window * LOAD_NS_PER_S / (double)(end - start));
	return 0;
}
