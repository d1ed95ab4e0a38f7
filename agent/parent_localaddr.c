/*
 * parent: the host's own unicast addresses, for the engine's ICE host
 * candidates (the sandboxed engine cannot ask the kernel), and a watch
 * on rtnetlink that says when they change.  Loopback, link-local and
 * the tunnel interface's own addresses are left out.
 */
#include <sys/socket.h>
#include <net/if.h>
#include <netinet/in.h>
#include <errno.h>
#include <event.h>
#include <ifaddrs.h>
#include <string.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "addr.h"
#include "log.h"
#include "parent.h"

/* An address change comes as several messages (DAD, routes): let it settle. */
#define LOCALADDR_SETTLE_MS	500
#define LOCALADDR_BUF		8192	/* one read; the contents are not used */
#define LOCALADDR_READS_MAX	64	/* reads per wakeup, so a flood yields */

static void	 localaddr_readable(int, short, void *);
static void	 localaddr_settled(int, short, void *);

static struct event	 localaddr_ev;
static struct event	 localaddr_timer;
static void		(*localaddr_cb)(void);

void
localaddr_list(const char *skip_if, struct imsg_local_addrs *la)
{
	struct ifaddrs		*ifa, *i;
	struct sockaddr_in6	 sin6;

	memset(la, 0, sizeof(*la));
	if (getifaddrs(&ifa) == -1) {
		log_warn("getifaddrs");
		return;
	}
	for (i = ifa; i != NULL && la->n < TERN_LOCAL_ADDRS_MAX;
	    i = i->ifa_next) {
		if (i->ifa_addr == NULL || !(i->ifa_flags & IFF_UP) ||
		    (i->ifa_flags & IFF_LOOPBACK) ||
		    strcmp(i->ifa_name, skip_if) == 0)
			continue;
		if (i->ifa_addr->sa_family != AF_INET &&
		    i->ifa_addr->sa_family != AF_INET6)
			continue;
		sockaddr_to_v6(i->ifa_addr, &sin6);
		if (IN6_IS_ADDR_LINKLOCAL(&sin6.sin6_addr) ||
		    IN6_IS_ADDR_LOOPBACK(&sin6.sin6_addr) ||
		    IN6_IS_ADDR_UNSPECIFIED(&sin6.sin6_addr))
			continue;
		la->addrs[la->n++] = sin6.sin6_addr;
	}
	freeifaddrs(ifa);
}

/*
 * localaddr_watch calls cb once addresses have stopped changing for
 * LOCALADDR_SETTLE_MS.  A lost notification (the socket overran) counts
 * as a change: the list is read again either way.
 */
void
localaddr_watch(void (*cb)(void))
{
	struct sockaddr_nl	 snl;
	int			 fd;

	if ((fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    NETLINK_ROUTE)) == -1)
		fatal("netlink socket for address changes");
	memset(&snl, 0, sizeof(snl));
	snl.nl_family = AF_NETLINK;
	snl.nl_groups = RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR | RTMGRP_LINK;
	if (bind(fd, (struct sockaddr *)&snl, sizeof(snl)) == -1)
		fatal("netlink bind for address changes");
	localaddr_cb = cb;
	event_set(&localaddr_ev, fd, EV_READ | EV_PERSIST, localaddr_readable,
	    NULL);
	evtimer_set(&localaddr_timer, localaddr_settled, NULL);
	if (event_add(&localaddr_ev, NULL) == -1)
		fatal("event_add");
}

static void
localaddr_readable(int fd, short ev, void *arg)
{
	struct timeval	 tv = { 0, LOCALADDR_SETTLE_MS * 1000 };
	uint8_t		 buf[LOCALADDR_BUF];
	ssize_t		 n;
	int		 i;

	(void)ev;
	(void)arg;
	for (i = 0; i < LOCALADDR_READS_MAX; i++) {
		if ((n = recv(fd, buf, sizeof(buf), 0)) == -1) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			if (errno != ENOBUFS)
				log_warn("netlink address notifications");
			break;
		}
		if (n == 0)
			break;
	}
	(void)evtimer_add(&localaddr_timer, &tv);
}

static void
localaddr_settled(int fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	(void)arg;
	localaddr_cb();
}
