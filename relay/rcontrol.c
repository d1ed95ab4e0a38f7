/*
 * parent: the operator's view of tern-relay.  The parent keeps the
 * latest counts each server process sends (checked for size, nothing
 * else to check: they are numbers) and writes them, summed and per
 * process, to whoever connects to the control socket, a Unix socket
 * of mode 0600.  It reads nothing from a connection: it writes and
 * closes.  "tern-relay -s" is the client.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <errno.h>
#include <event.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "log.h"
#include "relay/rcontrol.h"
#include "relay/rimsg.h"
#include "relay/turn.h"

#define RCONTROL_BACKLOG	8
#define RCONTROL_OUT_MAX	8192	/* the status of 64 servers fits */
#define RCONTROL_READ_MAX	8192	/* what the client reads at a time */

static struct relay_imsg_stats	 stats[RELAY_SERVERS_MAX];
static size_t			 nstats;
static struct event		 ev_accept;
static char			 sock_path[PATH_MAX];
static ino_t			 sock_ino;

static void	 rcontrol_accept(int, short, void *);
static size_t	 rcontrol_format(char *, size_t);
static void	 rcontrol_unlink(void);

void
rcontrol_stats(size_t idx, struct imsg *imsg)
{
	if (idx >= RELAY_SERVERS_MAX || imsg_get_data(imsg, &stats[idx],
	    sizeof(stats[idx])) == -1) {
		log_warnx("server %zu sent bad counts: stopping", idx);
		super_exit(1);
	}
	if (idx >= nstats)
		nstats = idx + 1;
}

/* A stale socket of an earlier run is replaced, as ntpd's is. */
void
rcontrol_listen(const char *path)
{
	struct sockaddr_un	 sun;
	struct stat		 st;
	mode_t			 old;
	char			 dir[PATH_MAX], *slash;
	int			 fd;

	if (sockaddr_un_set(&sun, path) == -1)
		fatal("control socket %s", path);
	/* Its directory, such as /var/run/tern-relay, made if missing. */
	strlcpy(dir, path, sizeof(dir));
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, S_IRWXU | S_IRGRP | S_IXGRP | S_IROTH |
		    S_IXOTH) == -1 && errno != EEXIST)
			fatal("mkdir %s", dir);
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		fatal("control socket");
	if (unlink(path) == -1 && errno != ENOENT)
		fatal("unlink %s", path);
	old = umask(S_IXUSR | S_IRWXG | S_IRWXO);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		fatal("bind %s", path);
	umask(old);
	if (chmod(path, S_IRUSR | S_IWUSR) == -1 || stat(path, &st) == -1)
		fatal("chmod %s", path);
	strlcpy(sock_path, path, sizeof(sock_path));
	sock_ino = st.st_ino;
	atexit(rcontrol_unlink);
	if (listen(fd, RCONTROL_BACKLOG) == -1)
		fatal("listen %s", path);
	event_set(&ev_accept, fd, EV_READ | EV_PERSIST, rcontrol_accept, NULL);
	event_add(&ev_accept, NULL);
	log_info("control socket %s", path);
}

/* Ours only: another relay may have taken the path since. */
static void
rcontrol_unlink(void)
{
	struct stat	 st;

	if (stat(sock_path, &st) == 0 && st.st_ino == sock_ino)
		(void)unlink(sock_path);
}

static size_t
rcontrol_format(char *buf, size_t cap)
{
	struct relay_imsg_stats	 sum;
	size_t			 i, k, off = 0;
	int			 n;

	memset(&sum, 0, sizeof(sum));
	for (i = 0; i < nstats; i++) {
		sum.allocs += stats[i].allocs;
		sum.allocs_made += stats[i].allocs_made;
		sum.streams += stats[i].streams;
		sum.relayed_msgs += stats[i].relayed_msgs;
		sum.relayed_bytes += stats[i].relayed_bytes;
		for (k = 0; k < RELAY_REFUSALS; k++)
			sum.refused[k] += stats[i].refused[k];
	}
#define RCONTROL_PUT(...) do {						\
	n = snprintf(buf + off, cap - off, __VA_ARGS__);		\
	if (n < 0 || (size_t)n >= cap - off)				\
		return off;						\
	off += n;							\
} while (0)
	RCONTROL_PUT("servers %zu\n", super_nservers());
	RCONTROL_PUT("allocations %llu\nallocations-made %llu\n"
	    "streams %llu\nrelayed-messages %llu\nrelayed-bytes %llu\n",
	    (unsigned long long)sum.allocs,
	    (unsigned long long)sum.allocs_made,
	    (unsigned long long)sum.streams,
	    (unsigned long long)sum.relayed_msgs,
	    (unsigned long long)sum.relayed_bytes);
	for (k = 0; k < RELAY_REFUSALS; k++)
		RCONTROL_PUT("refused-%s %llu\n", turn_refusal_name(k),
		    (unsigned long long)sum.refused[k]);
	for (i = 0; i < nstats; i++)
		RCONTROL_PUT("server %zu allocations %llu streams %llu "
		    "relayed-messages %llu\n", i,
		    (unsigned long long)stats[i].allocs,
		    (unsigned long long)stats[i].streams,
		    (unsigned long long)stats[i].relayed_msgs);
#undef RCONTROL_PUT
	return off;
}

static void
rcontrol_accept(int lfd, short event, void *arg)
{
	char	 buf[RCONTROL_OUT_MAX];
	size_t	 len;
	int	 fd;

	if ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) == -1) {
		if (errno != EAGAIN && errno != EINTR &&
		    errno != ECONNABORTED)
			log_warn("control accept");
		return;
	}
	/* Blocking, and smaller than a socket buffer: one write. */
	len = rcontrol_format(buf, sizeof(buf));
	if (write(fd, buf, len) != (ssize_t)len)
		log_warn("control write");
	close(fd);
}

/* tern-relay -s: prints what the control socket says. */
int
rcontrol_client(const char *path)
{
	struct sockaddr_un	 sun;
	char			 buf[RCONTROL_READ_MAX];
	ssize_t			 n;
	int			 fd;

	if (sockaddr_un_set(&sun, path) == -1 ||
	    (fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		fprintf(stderr, "%s: %s: %s\n", getprogname(), path,
		    strerror(errno));
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (fwrite(buf, 1, n, stdout) != (size_t)n)
			return 1;
	close(fd);
	return n == 0 ? 0 : 1;
}
