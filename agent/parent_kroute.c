/*
 * parent: interface addresses, MTU, link state and routes over rtnetlink
 * (libmnl).  Every request asks for an ack and waits for it; a failure
 * returns -1 with the kernel's errno.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "parent_kroute.h"

/* libmnl's MNL_SOCKET_BUFFER_SIZE is not a constant: its ceiling, 8 KiB. */
#define NL_BUFSIZE	8192
#define NL_REQSIZE	256	/* a request: headers and two addresses */
#define NL_V4_BITS	32
#define NL_V6_BITS	128

struct nl_handle {
	struct mnl_socket	*sock;
	uint32_t		 portid;
	uint32_t		 seq;
};

static int	 nl_prefix_ok(const struct tern_prefix *);
static size_t	 nl_addrlen(const struct tern_prefix *);
static void	 nl_network(const struct tern_prefix *, struct tern_prefix *);
static int	 nl_talk(struct nl_handle *, struct nlmsghdr *);

struct nl_handle *
nl_open(void)
{
	struct nl_handle	*h;
	int			 on = 1, saved_errno;

	if ((h = calloc(1, sizeof(*h))) == NULL)
		return NULL;
	if ((h->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC)) == NULL)
		goto fail;
	if (mnl_socket_bind(h->sock, 0, MNL_SOCKET_AUTOPID) == -1)
		goto fail;
	/* Acks without a copy of our request; kernels before 4.3 lack it. */
	(void)mnl_socket_setsockopt(h->sock, NETLINK_CAP_ACK, &on, sizeof(on));
	h->portid = mnl_socket_get_portid(h->sock);
	/* Any start will do; answers are matched on it and our portid. */
	h->seq = (uint32_t)time(NULL);
	return h;

 fail:
	saved_errno = errno;
	nl_close(h);
	errno = saved_errno;
	return NULL;
}

void
nl_close(struct nl_handle *h)
{
	if (h == NULL)
		return;
	if (h->sock != NULL)
		mnl_socket_close(h->sock);
	free(h);
}

int
nl_ifindex(const char *ifname)
{
	unsigned int	 idx;

	if ((idx = if_nametoindex(ifname)) == 0 || idx > INT32_MAX)
		return -1;
	return (int)idx;
}

static int
nl_prefix_ok(const struct tern_prefix *p)
{
	if (p->af == AF_INET)
		return p->plen <= NL_V4_BITS;
	if (p->af == AF_INET6)
		return p->plen <= NL_V6_BITS;
	return 0;
}

static size_t
nl_addrlen(const struct tern_prefix *p)
{
	return p->af == AF_INET ? sizeof(struct in_addr) :
	    sizeof(struct in6_addr);
}

/* The kernel refuses an IPv4 route with host bits set: clear them. */
static void
nl_network(const struct tern_prefix *p, struct tern_prefix *net)
{
	uint8_t		*b;
	size_t		 i, len = nl_addrlen(p);

	*net = *p;
	b = (uint8_t *)&net->a;
	for (i = 0; i < len; i++) {
		if (i * NBBY >= p->plen)
			b[i] = 0;
		else if ((i + 1) * NBBY > p->plen)
			b[i] &= (uint8_t)(UINT8_MAX <<
			    (NBBY - (p->plen - i * NBBY)));
	}
}

/*
 * Sends one request with NLM_F_ACK and reads until its ack.  Anything
 * not from the kernel, or with another sequence number, is skipped.
 */
static int
nl_talk(struct nl_handle *h, struct nlmsghdr *req)
{
	char			 buf[NL_BUFSIZE]
				    __attribute__((aligned(NLMSG_ALIGNTO)));
	struct sockaddr_nl	 from;
	struct iovec		 iov;
	struct msghdr		 msg;
	const struct nlmsghdr	*nlh;
	const struct nlmsgerr	*e;
	ssize_t			 n;
	int			 left, fd = mnl_socket_get_fd(h->sock);

	req->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	req->nlmsg_seq = ++h->seq;
	if (mnl_socket_sendto(h->sock, req, req->nlmsg_len) == -1)
		return -1;
	for (;;) {
		iov.iov_base = buf;
		iov.iov_len = sizeof(buf);
		memset(&msg, 0, sizeof(msg));
		msg.msg_name = &from;
		msg.msg_namelen = sizeof(from);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		if ((n = recvmsg(fd, &msg, 0)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (msg.msg_flags & MSG_TRUNC) {
			errno = EMSGSIZE;
			return -1;
		}
		if (msg.msg_namelen != sizeof(from) || from.nl_pid != 0)
			continue;
		left = (int)n;
		for (nlh = (const struct nlmsghdr *)buf;
		    mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
			if (nlh->nlmsg_seq != req->nlmsg_seq ||
			    nlh->nlmsg_pid != h->portid ||
			    nlh->nlmsg_type != NLMSG_ERROR)
				continue;
			if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
				errno = EBADMSG;
				return -1;
			}
			e = mnl_nlmsg_get_payload(nlh);
			if (e->error == 0)
				return 0;
			errno = -e->error;
			return -1;
		}
	}
}

/* p is the interface's own address with its prefix length: 10.77.0.1/24. */
int
nl_addr(struct nl_handle *h, int ifindex, const struct tern_prefix *p,
    int add)
{
	char			 buf[NL_REQSIZE]
				    __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nlmsghdr		*nlh;
	struct ifaddrmsg	*ifa;

	if (ifindex <= 0 || !nl_prefix_ok(p)) {
		errno = EINVAL;
		return -1;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
	nlh->nlmsg_flags = add ? NLM_F_CREATE | NLM_F_REPLACE : 0;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = p->af;
	ifa->ifa_prefixlen = p->plen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (uint32_t)ifindex;
	/* Both, equal: a local address, not a point-to-point peer. */
	mnl_attr_put(nlh, IFA_LOCAL, nl_addrlen(p), &p->a);
	mnl_attr_put(nlh, IFA_ADDRESS, nl_addrlen(p), &p->a);
	return nl_talk(h, nlh);
}

/* mtu 0 leaves the MTU as it is; up sets or clears IFF_UP. */
int
nl_link_set(struct nl_handle *h, int ifindex, int mtu, int up)
{
	char			 buf[NL_REQSIZE]
				    __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nlmsghdr		*nlh;
	struct ifinfomsg	*ifi;

	if (ifindex <= 0 || mtu < 0) {
		errno = EINVAL;
		return -1;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ifi->ifi_flags = up ? IFF_UP : 0;
	ifi->ifi_change = IFF_UP;
	if (mtu > 0)
		mnl_attr_put_u32(nlh, IFLA_MTU, (uint32_t)mtu);
	return nl_talk(h, nlh);
}

/*
 * A route to p through the interface alone (no gateway).  Adding never
 * replaces a route to the same prefix (EEXIST): the LAN's or an
 * administrator's stays theirs.  Deletion matches protocol and scope
 * too, and the caller deletes only the routes it added.
 */
int
nl_route(struct nl_handle *h, int ifindex, const struct tern_prefix *p,
    int add)
{
	char			 buf[NL_REQSIZE]
				    __attribute__((aligned(NLMSG_ALIGNTO)));
	struct tern_prefix	 net;
	struct nlmsghdr		*nlh;
	struct rtmsg		*rtm;

	if (ifindex <= 0 || !nl_prefix_ok(p)) {
		errno = EINVAL;
		return -1;
	}
	nl_network(p, &net);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = add ? RTM_NEWROUTE : RTM_DELROUTE;
	nlh->nlmsg_flags = add ? NLM_F_CREATE | NLM_F_EXCL : 0;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = net.af;
	rtm->rtm_dst_len = net.plen;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_scope = RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put(nlh, RTA_DST, nl_addrlen(&net), &net.a);
	mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)ifindex);
	return nl_talk(h, nlh);
}

int
nl_link_del(struct nl_handle *h, int ifindex)
{
	char			 buf[NL_REQSIZE]
				    __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nlmsghdr		*nlh;
	struct ifinfomsg	*ifi;

	if (ifindex <= 0) {
		errno = EINVAL;
		return -1;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_DELLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return nl_talk(h, nlh);
}
