/*
 * parent: the host's own unicast addresses, for the engine's ICE host
 * candidates (the sandboxed engine cannot ask the kernel).  Loopback,
 * link-local and the tunnel interface's own addresses are left out.
 */
#include <sys/socket.h>
#include <net/if.h>
#include <netinet/in.h>
#include <ifaddrs.h>
#include <string.h>

#include "addr.h"
#include "log.h"
#include "parent.h"

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
