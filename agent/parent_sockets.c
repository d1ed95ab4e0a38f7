/*
 * parent: the sockets the engine needs and cannot open in its sandbox:
 * the UDP socket, the RTT probe socket, the control socket and the TCP
 * connection to tern-signal, once the resolver has its address.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <errno.h>
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

static int			 ctl_created;
static struct sigsock_gate	 sig_gate;

/*
 * The engine's UDP socket (and, on port 0 with default buffers, the
 * RTT probe socket): IPv6 with v4-mapped addresses, both families.
 */
int
parent_net_socket(uint16_t port, int sz)
{
	struct sockaddr_in6	 sin6;
	int			 fd, off = 0;

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
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
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

/* Mode 0660, group of the engine's user: root and that group may talk. */
int
parent_control_socket(const char *path, gid_t gid)
{
	struct sockaddr_un	 sun;
	char			 dir[PATH_MAX], *slash;
	mode_t			 old;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path))
		fatalx("control socket path too long: %s", path);
	strlcpy(dir, path, sizeof(dir));
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) == -1 && errno != EEXIST)
			fatal("mkdir %s", dir);
	}
	/* A socket that answers belongs to a running ternd: leave it. */
	switch (parent_unlink_stale(path)) {
	case -1:
		if (errno == EADDRINUSE)
			fatalx("control socket %s is in use: is ternd "
			    "running?", path);
		fatal("control socket %s", path);
	case 1:
		log_info("removed the stale control socket %s", path);
		break;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		fatal("socket");
	old = umask(S_IXUSR | S_IRWXO | S_IXGRP);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		fatal("bind %s", path);
	umask(old);
	ctl_created = 1;
	if (chown(path, 0, gid) == -1 || chmod(path, 0660) == -1)
		fatal("chown/chmod %s", path);
	if (listen(fd, CONTROL_BACKLOG) == -1)
		fatal("listen %s", path);
	return fd;
}

/* Only a socket this ternd bound is removed. */
void
parent_control_unlink(const char *path)
{
	if (ctl_created && unlink(path) == -1 && errno != ENOENT)
		log_warn("unlink %s", path);
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
