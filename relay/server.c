/*
 * server: the unprivileged process of tern-relay.  Re-executed by the
 * parent, it chroots, becomes the unprivileged user and enters its
 * seccomp sandbox before it reads any input, then takes the bound UDP
 * sockets and the limits from the parent and answers Binding requests
 * in batches (recvmmsg, sendmmsg), each source within its rate.
 */
#include <sys/socket.h>
#include <sys/syscall.h>
#include <errno.h>
#include <event.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <seccomp.h>
#include <sodium.h>

#include "drop.h"
#include "imsgev.h"
#include "log.h"
#include "proc.h"
#include "relay/relay.h"
#include "relay/rimsg.h"
#include "sandbox.h"

#define SERVER_BATCH		64	/* datagrams per recvmmsg/sendmmsg */
/* Batches per wakeup, so one busy socket cannot starve the others. */
#define SERVER_ROUNDS		8
/* Larger than any Binding request; a longer datagram is truncated. */
#define SERVER_DGRAM_MAX	2048
#define SERVER_MS_PER_S		1000
#define SERVER_NS_PER_MS	1000000

struct server_sock {
	struct event		 ev;
	int			 fd;
};

static struct relay_rate	 rate;
static struct relay_imsg_conf	 cur;		/* the limits in use */
static uint8_t			 hkey[RELAY_HASH_KEY_LEN];
static struct server_sock	 socks[RELAY_LISTEN_MAX];
static size_t			 nsocks;
static int			 serving;
static struct imsgev		 iev_parent;
static struct event		 ev_sigterm;

/* Receive and send buffers of one batch. */
static uint8_t			 in[SERVER_BATCH][SERVER_DGRAM_MAX];
static uint8_t			 out[SERVER_BATCH][RELAY_ANSWER_MAX];
static struct sockaddr_storage	 from[SERVER_BATCH];
static struct iovec		 iov_in[SERVER_BATCH], iov_out[SERVER_BATCH];
static struct mmsghdr		 msg_in[SERVER_BATCH], msg_out[SERVER_BATCH];

static void	 server_sig(int, short, void *);
static void	 server_dispatch(struct imsgev *, struct imsg *);
static void	 server_parent_closed(struct imsgev *);
static void	 server_conf(const struct relay_imsg_conf *);
static void	 server_read(int, short, void *);
static int	 server_batch(int);
static uint64_t	 server_now_ms(void);

/* Beyond sandbox.c's base list: the batched datagram calls alone. */
static const struct sandbox_rule server_syscalls[] = {
	{ SCMP_SYS(recvmmsg), SANDBOX_ANY, 0 },
	{ SCMP_SYS(sendmmsg), SANDBOX_ANY, 0 },
};

static uint64_t
server_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * SERVER_MS_PER_S +
	    (uint64_t)ts.tv_nsec / SERVER_NS_PER_MS;
}

static void
server_sig(int sig, short event, void *arg)
{
	log_info("signal %d: shutting down", sig);
	exit(0);
}

/* New limits: a new table, every bucket full; the same ones: no change. */
static void
server_conf(const struct relay_imsg_conf *ic)
{
	size_t	 i;

	if (ic->rate < 1 || ic->rate > RELAY_RATE_MAX || ic->burst < 1 ||
	    ic->burst > 2 * RELAY_RATE_MAX ||
	    ic->table_size < RELAY_TABLE_MIN ||
	    ic->table_size > RELAY_TABLE_MAX)
		fatalx("parent sent limits out of range");
	if (serving && memcmp(ic, &cur, sizeof(cur)) == 0)
		return;
	if (serving)
		relay_rate_free(&rate);
	if (relay_rate_init(&rate, ic->table_size, ic->rate, ic->burst,
	    hkey) == -1)
		fatal("rate table of %u slots", ic->table_size);
	cur = *ic;
	log_info("%u answers/s per source, burst %u, %u slots", cur.rate,
	    cur.burst, cur.table_size);
	if (serving)
		return;
	serving = 1;
	for (i = 0; i < nsocks; i++) {
		event_set(&socks[i].ev, socks[i].fd, EV_READ | EV_PERSIST,
		    server_read, NULL);
		event_add(&socks[i].ev, NULL);
	}
	log_info("answering STUN Binding requests on %zu sockets", nsocks);
}

static void
server_dispatch(struct imsgev *iev, struct imsg *imsg)
{
	struct relay_imsg_conf	 ic;

	switch (imsg->hdr.type) {
	case IMSG_RELAY_SOCKET:
		if (imsg->fd == -1 || serving || nsocks >= RELAY_LISTEN_MAX ||
		    imsg_expect_empty(imsg) == -1)
			fatalx("parent sent a bad socket");
		socks[nsocks++].fd = imsg->fd;
		imsg->fd = -1;
		break;
	case IMSG_RELAY_CONF:
		if (imsg_get_data(imsg, &ic, sizeof(ic)) == -1)
			fatalx("parent sent a bad config");
		server_conf(&ic);
		break;
	default:
		fatalx("parent sent unknown message type %u", imsg->hdr.type);
	}
}

/* Without the parent there is no one to stop or reload us. */
static void
server_parent_closed(struct imsgev *iev)
{
	fatalx("lost the parent process");
}

/* One batch: the number of datagrams read, 0 when the socket is dry. */
static int
server_batch(int fd)
{
	uint64_t	 now;
	size_t		 alen;
	int		 i, n, nout = 0, sent;

	for (i = 0; i < SERVER_BATCH; i++) {
		iov_in[i].iov_base = in[i];
		iov_in[i].iov_len = sizeof(in[i]);
		memset(&msg_in[i].msg_hdr, 0, sizeof(msg_in[i].msg_hdr));
		msg_in[i].msg_hdr.msg_name = &from[i];
		msg_in[i].msg_hdr.msg_namelen = sizeof(from[i]);
		msg_in[i].msg_hdr.msg_iov = &iov_in[i];
		msg_in[i].msg_hdr.msg_iovlen = 1;
	}
	if ((n = recvmmsg(fd, msg_in, SERVER_BATCH, MSG_DONTWAIT,
	    NULL)) == -1) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			log_warn("recvmmsg");
		return 0;
	}
	now = server_now_ms();
	for (i = 0; i < n; i++) {
		if (msg_in[i].msg_hdr.msg_flags & MSG_TRUNC)
			continue;
		if ((alen = relay_binding_answer(in[i], msg_in[i].msg_len,
		    (struct sockaddr *)&from[i], out[nout],
		    sizeof(out[nout]))) == 0)
			continue;
		if (!relay_rate_allow(&rate, (struct sockaddr *)&from[i], now))
			continue;
		iov_out[nout].iov_base = out[nout];
		iov_out[nout].iov_len = alen;
		memset(&msg_out[nout].msg_hdr, 0,
		    sizeof(msg_out[nout].msg_hdr));
		msg_out[nout].msg_hdr.msg_name = &from[i];
		msg_out[nout].msg_hdr.msg_namelen = msg_in[i].msg_hdr.msg_namelen;
		msg_out[nout].msg_hdr.msg_iov = &iov_out[nout];
		msg_out[nout].msg_hdr.msg_iovlen = 1;
		nout++;
	}
	/* A full send buffer drops the rest, as the network would. */
	for (i = 0; i < nout; i += sent) {
		if ((sent = sendmmsg(fd, msg_out + i, nout - i,
		    MSG_DONTWAIT)) <= 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR)
				log_debug("sendmmsg: %s", strerror(errno));
			break;
		}
	}
	return n;
}

static void
server_read(int fd, short event, void *arg)
{
	int	 round;

	for (round = 0; round < SERVER_ROUNDS; round++)
		if (server_batch(fd) < SERVER_BATCH)
			break;
}

__attribute__((noreturn)) void
relay_server_main(const char *chrootdir, const char *user, int debug,
    int verbose)
{
	struct passwd	*pw;

	log_init(debug, verbose, LOG_DAEMON);
	log_procinit("server");
	proc_title("server");
	/* The parent handles SIGHUP and SIGINT for both of us. */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	/* Opened first: libsodium's randomness and libevent's epoll fd. */
	if (sodium_init() == -1)
		fatalx("libsodium");
	event_init();
	signal_set(&ev_sigterm, SIGTERM, server_sig, NULL);
	signal_add(&ev_sigterm, NULL);

	pw = drop_getpw(user);
	drop_privileges(pw, chrootdir);
	sandbox_apply(server_syscalls,
	    sizeof(server_syscalls) / sizeof(server_syscalls[0]));

	randombytes_buf(hkey, sizeof(hkey));
	imsgev_init(&iev_parent, PROC_PARENT_FD, server_dispatch,
	    server_parent_closed, NULL);
	event_dispatch();
	fatalx("event loop ended");
}
