/*
 * parent: the sockets the engine needs and cannot open in its sandbox:
 * the UDP socket, the RTT probe socket, the control sockets and the TCP
 * connection to tern-signal, once the resolver has its address.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hostport.h"
#include "log.h"
#include "parent.h"
#include "resolver.h"
#include "sigsock.h"

#define CONTROL_BACKLOG		16
#define CONTROL_MODE		0660	/* root and the engine's group */
#define CONTROL_RO_MODE		0666	/* everyone: status only */

static int			 ctl_fd = -1, rctl_fd = -1;
static int			 ctl_created, rctl_created;
static struct sigsock_gate	 sig_gate;

static int	 parent_unix_listen(const char *, gid_t, mode_t, int *);

/*
 * The engine's UDP socket (and, on port 0 with default buffers, the
 * RTT probe socket): IPv6 with v4-mapped addresses, both families.
 */
int
parent_net_socket(uint16_t port, int sz)
{
	struct sockaddr_in6	 sin6;
	int			 fd, off = 0, on = 1;

	if ((fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		fatal("socket");
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)) == -1)
		fatal("IPV6_V6ONLY");
	if (sz != 0) {
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz,
		    sizeof(sz));
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz,
		    sizeof(sz));
		/*
		 * ICMP errors for the datagrams it sends, queued for the
		 * engine (path selection counts unreachable direct paths).
		 */
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &on,
		    sizeof(on)) == -1 || setsockopt(fd, IPPROTO_IP,
		    IP_RECVERR, &on, sizeof(on)) == -1)
			log_warn("IP_RECVERR");
	}
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr = in6addr_any;
	sin6.sin6_port = htons(port);
	if (bind(fd, (struct sockaddr *)&sin6, sizeof(sin6)) == -1)
		fatal("bind UDP port %u", port);
	return fd;
}

/*
 * Removes the unix socket at path if its server is gone: connect() is
 * refused, as after the server was killed.  1 if it was removed, 0 if
 * nothing was there; -1 if it answers (EADDRINUSE), is not a socket
 * (ENOTSOCK) or cannot be checked.
 */
int
parent_unlink_stale(const char *path)
{
	struct sockaddr_un	 sun;
	struct stat		 st;
	int			 fd, rv, saved_errno;

	if (lstat(path, &st) == -1)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		errno = ENOTSOCK;
		return -1;
	}
	if (sockaddr_un_set(&sun, path) == -1)
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		return -1;
	rv = connect(fd, (struct sockaddr *)&sun, sizeof(sun));
	saved_errno = errno;
	close(fd);
	/* EAGAIN: a full backlog, so someone listens. */
	if (rv == 0 || saved_errno == EAGAIN) {
		errno = EADDRINUSE;
		return -1;
	}
	if (saved_errno != ECONNREFUSED) {
		errno = saved_errno;
		return -1;
	}
	if (unlink(path) == -1)
		return errno == ENOENT ? 0 : -1;
	return 1;
}

/*
 * The control sockets: the full one, mode 0660 in the group of the
 * engine's user, and the read-only one, mode 0666.  A running ternd
 * that answers on either is left alone: the new one refuses to start.
 */
void
parent_control_sockets(gid_t gid)
{
	ctl_fd = parent_unix_listen(penv.opts->sockpath, gid,
	    CONTROL_MODE, &ctl_created);
	rctl_fd = parent_unix_listen(penv.opts->rsockpath, 0,
	    CONTROL_RO_MODE, &rctl_created);
}

void
parent_control_send(void)
{
	if (imsgev_compose(&penv.iev_engine, IMSG_SOCKET_CONTROL, 0, ctl_fd,
	    NULL, 0) == -1 || imsgev_compose(&penv.iev_engine,
	    IMSG_SOCKET_CONTROL_RO, 0, rctl_fd, NULL, 0) == -1)
		fatal("imsg to engine");
	ctl_fd = rctl_fd = -1;
}

/*
 * Security: the parent is root, so whatever the socket's path names
 * when it changes the owner is what changes hands.  The directory must
 * be root's and writable by root alone (a sticky directory is not
 * enough: its users may plant names before ternd binds); the socket
 * is bound in it through a descriptor of the directory that was
 * checked, takes its mode from the umask at bind, and its owner is set
 * without following a symlink.  Only a socket is ever removed.
 */
static int
parent_unix_listen(const char *path, gid_t gid, mode_t mode, int *created)
{
	struct sockaddr_un	 sun;
	struct stat		 st;
	char			 dir[PATH_MAX], *name;
	const char		*dirpath;
	mode_t			 old;
	int			 dfd, cwd, fd;

	if (strlcpy(dir, path, sizeof(dir)) >= sizeof(dir) ||
	    sockaddr_un_set(&sun, path) == -1)
		fatalx("control socket path too long: %s", path);
	if ((name = strrchr(dir, '/')) == NULL) {
		dirpath = ".";
		name = dir;
	} else {
		*name++ = '\0';
		dirpath = dir[0] == '\0' ? "/" : dir;
	}
	if (*name == '\0')
		fatalx("control socket %s: no file name", path);
	if (mkdir(dirpath, 0755) == -1 && errno != EEXIST)
		fatal("mkdir %s", dirpath);
	if ((dfd = open(dirpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    fstat(dfd, &st) == -1)
		fatal("control socket directory %s", dirpath);
	if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)))
		fatalx("control socket directory %s: must be owned by root "
		    "and writable by root only", dirpath);
	/* Bind in the directory checked, whatever its path names now. */
	if ((cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    fchdir(dfd) == -1)
		fatal("chdir %s", dirpath);
	if (sockaddr_un_set(&sun, name) == -1)
		fatalx("control socket path too long: %s", path);
	/* A socket that answers belongs to a running ternd: leave it. */
	switch (parent_unlink_stale(name)) {
	case -1:
		if (errno == EADDRINUSE)
			fatalx("control socket %s is in use: is ternd "
			    "running?", path);
		if (errno == ENOTSOCK)
			fatalx("%s exists and is not a socket", path);
		fatal("control socket %s", path);
	case 1:
		log_info("removed the stale control socket %s", path);
		break;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		fatal("socket");
	old = umask(~mode & ACCESSPERMS);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		fatal("bind %s", path);
	umask(old);
	*created = 1;
	if (fchownat(dfd, name, 0, gid, AT_SYMLINK_NOFOLLOW) == -1)
		fatal("chown %s", path);
	if (fchdir(cwd) == -1)
		fatal("chdir back");
	close(cwd);
	close(dfd);
	if (listen(fd, CONTROL_BACKLOG) == -1)
		fatal("listen %s", path);
	return fd;
}

/* Only a socket this ternd bound is removed. */
void
parent_control_unlink(void)
{
	if (ctl_created && unlink(penv.opts->sockpath) == -1 &&
	    errno != ENOENT)
		log_warn("unlink %s", penv.opts->sockpath);
	if (rctl_created && unlink(penv.opts->rsockpath) == -1 &&
	    errno != ENOENT)
		log_warn("unlink %s", penv.opts->rsockpath);
}

static void
parent_signal_answer(int fd, const struct imsg_signal_sock *ss)
{
	/* Addresses may have changed since the last connection. */
	parent_send_local_addrs();
	if (imsgev_compose(&penv.iev_engine, IMSG_SOCKET_SIGNAL, 0, fd, ss,
	    sizeof(*ss)) == -1)
		fatal("imsg to engine");
}

/* Successive attempts rotate through the server's addresses. */
static void
parent_signal_resolved(const char *hp, const struct imsg_dns_answer *a,
    const char *msg)
{
	struct imsg_signal_sock	 ss;
	struct sockaddr_storage	 sa;
	int			 fd = -1;

	memset(&ss, 0, sizeof(ss));
	if (a->error != 0) {
		ss.error = EHOSTUNREACH;
		snprintf(ss.msg, sizeof(ss.msg), "resolving the server: %s",
		    msg);
	} else {
		sockaddr_from_v6(&a->sa[sig_gate.attempts++ % a->n], &sa);
		if ((fd = sigsock_connect_addr((struct sockaddr *)&sa, hp,
		    ss.msg, sizeof(ss.msg))) == -1)
			ss.error = EHOSTUNREACH;
	}
	parent_signal_answer(fd, &ss);
}

/* Only the configured server; the answer carries an fd or why not. */
void
parent_signal_connect(void)
{
	struct imsg_signal_sock	 ss;
	char			 host[HOSTPORT_HOST_MAX];
	const char		*errstr;
	uint16_t		 port;
	int			 error;

	memset(&ss, 0, sizeof(ss));
	if (!penv.conf->has_signal) {
		ss.error = EINVAL;
		strlcpy(ss.msg, "no signal server configured", sizeof(ss.msg));
		parent_signal_answer(-1, &ss);
		return;
	}
	if (sigsock_gate_pass(&sig_gate, &error, ss.msg, sizeof(ss.msg)) ==
	    -1) {
		ss.error = error;
		parent_signal_answer(-1, &ss);
		return;
	}
	/* The config parser checked it. */
	if (hostport_parse(penv.conf->signal_host, host, &port, &errstr) == -1)
		fatalx("signal server %s: %s", penv.conf->signal_host, errstr);
	/* The resolver answers later; the engine waits for it. */
	dns_lookup(penv.conf->signal_host, host, port, parent_signal_resolved);
}
