/*
 * engine: the data path.  WireGuard datagrams move between the peer
 * ports (loopback, one address per peer) and the engine's UDP socket,
 * a batch at a time with recvmmsg/sendmmsg.  Counters and the time of
 * the last data packet are kept per peer here.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/errqueue.h>
#include <errno.h>
#include <string.h>
#include <time.h>

#include "engine.h"
#include "ice.h"
#include "log.h"
#include "monotime.h"
#include "peerport.h"
#include "relaymgr.h"
#include "turnc.h"

#define FWD_BATCH	64	/* datagrams per system call */
#define FWD_ERR_MAX	16	/* ICMP errors read per event */
#define FWD_ERR_PEEK	64	/* bytes of the datagram an error returns */
#define FWD_ICMP_UNREACH	3	/* RFC 792: destination unreachable */
#define FWD_ICMP_PORT		3	/* codes 0-3: net, host, protocol, port */
#define FWD_ICMP_NET_PROHIB	9	/* RFC 1122: network prohibited */
#define FWD_ICMP_HOST_PROHIB	10	/* RFC 1122: host prohibited */
#define FWD_ICMP_ADMIN_PROHIB	13	/* RFC 1812: administratively */
#define FWD_ICMP6_UNREACH	1	/* RFC 4443: destination unreachable */
/* The largest WireGuard datagram: MTU plus 32 bytes of header and tag. */
#define FWD_PKTSIZE	(TERND_MTU_MAX + 2 * WG_KEEPALIVE_LEN)
/* Room in front for a ChannelData header, written in place. */
#define FWD_HEAD	TURNC_CHANDATA_HDR
#define FWD_BUFSIZE	(FWD_HEAD + FWD_PKTSIZE)
#define FWD_PKT(i)	(fwd_buf[i] + FWD_HEAD)

union fwd_cmsg {
	struct cmsghdr	 hdr;
	char		 buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
};

union fwd_addr {
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;
};

static uint8_t		 fwd_buf[FWD_BATCH][FWD_BUFSIZE];
static struct iovec	 fwd_riov[FWD_BATCH];
static struct mmsghdr	 fwd_rmsg[FWD_BATCH];
static union fwd_addr	 fwd_from[FWD_BATCH];
static union fwd_cmsg	 fwd_rcmsg[FWD_BATCH];
static struct iovec	 fwd_siov[FWD_BATCH];
static struct mmsghdr	 fwd_smsg[FWD_BATCH];
static union fwd_cmsg	 fwd_scmsg[FWD_BATCH];

void
fwd_init(void)
{
	int	 i;

	for (i = 0; i < FWD_BATCH; i++) {
		fwd_riov[i].iov_base = FWD_PKT(i);
		fwd_riov[i].iov_len = FWD_PKTSIZE;
	}
}

/* Counts one datagram of a peer; now is fetched once per batch. */
static void
fwd_account(uint64_t *packets, uint64_t *bytes, time_t *last,
    const uint8_t *pkt, size_t len, time_t *now)
{
	(*packets)++;
	*bytes += len;
	if (fwd_is_activity(pkt, len)) {
		if (*now == 0)
			*now = time(NULL);
		*last = *now;
	}
}

/* Activity is a transport data packet longer than a keepalive. */
int
fwd_is_activity(const uint8_t *pkt, size_t len)
{
	return len > WG_KEEPALIVE_LEN && pkt[0] == WG_MSG_TRANSPORT &&
	    pkt[1] == 0 && pkt[2] == 0 && pkt[3] == 0;
}

static int
fwd_recv(int fd, int pktinfo)
{
	int	 i, n;

	for (i = 0; i < FWD_BATCH; i++) {
		memset(&fwd_rmsg[i].msg_hdr, 0, sizeof(fwd_rmsg[i].msg_hdr));
		fwd_rmsg[i].msg_hdr.msg_name = &fwd_from[i];
		fwd_rmsg[i].msg_hdr.msg_namelen = sizeof(fwd_from[i]);
		fwd_rmsg[i].msg_hdr.msg_iov = &fwd_riov[i];
		fwd_rmsg[i].msg_hdr.msg_iovlen = 1;
		if (pktinfo) {
			fwd_rmsg[i].msg_hdr.msg_control = &fwd_rcmsg[i];
			fwd_rmsg[i].msg_hdr.msg_controllen =
			    sizeof(fwd_rcmsg[i]);
		}
	}
	if ((n = recvmmsg(fd, fwd_rmsg, FWD_BATCH, MSG_DONTWAIT, NULL)) ==
	    -1) {
		/* An ICMP error is read from the error queue. */
		if (errno != EAGAIN && errno != EINTR && errno != ECONNREFUSED &&
		    errno != EHOSTUNREACH && errno != ENETUNREACH)
			log_warn("recvmmsg");
		return 0;
	}
	return n;
}

static void
fwd_queue(int n, void *buf, size_t len, void *to, socklen_t tolen,
    const struct in_addr *src)
{
	struct msghdr	*m = &fwd_smsg[n].msg_hdr;
	struct cmsghdr	*cm;
	struct in_pktinfo pi;

	memset(m, 0, sizeof(*m));
	fwd_siov[n].iov_base = buf;
	fwd_siov[n].iov_len = len;
	m->msg_name = to;
	m->msg_namelen = tolen;
	m->msg_iov = &fwd_siov[n];
	m->msg_iovlen = 1;
	if (src == NULL)
		return;
	/* Sent from the peer's own peer-port address. */
	memset(&fwd_scmsg[n], 0, sizeof(fwd_scmsg[n]));
	m->msg_control = &fwd_scmsg[n];
	m->msg_controllen = sizeof(fwd_scmsg[n]);
	cm = CMSG_FIRSTHDR(m);
	cm->cmsg_level = IPPROTO_IP;
	cm->cmsg_type = IP_PKTINFO;
	cm->cmsg_len = CMSG_LEN(sizeof(pi));
	memset(&pi, 0, sizeof(pi));
	pi.ipi_spec_dst = *src;
	memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
}

/* Sends what was queued; a datagram the kernel will not take is dropped. */
static void
fwd_send(int fd, int n)
{
	int	 off = 0, r;

	while (off < n) {
		r = sendmmsg(fd, fwd_smsg + off, n - off, MSG_DONTWAIT);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == ENOBUFS) {
				engine->dropped += n - off;
				return;
			}
			/* e.g. ECONNREFUSED from an ICMP error: skip one. */
			log_debug("sendmmsg: %s", strerror(errno));
			engine->dropped++;
			off++;
			continue;
		}
		off += r;
	}
}

/*
 * One datagram from the network, through our relay or not: ICE's STUN
 * (it shares the socket with WireGuard's datagrams) goes to ICE, a
 * peer's is queued in slot *out for WireGuard, from its peer port.
 */
static void
fwd_from_net(uint8_t *pkt, size_t len, const struct sockaddr_in6 *from,
    int relayed, int *out, time_t *now)
{
	struct peer	*p;

	if (ice_is_stun(pkt, len)) {
		if (relayed)
			ice_input_relayed(pkt, len, from);
		else
			ice_input(pkt, len, from);
		return;
	}
	if ((p = peer_by_remote(from)) == NULL &&
	    (p = peer_by_alt(from)) == NULL &&
	    (p = peer_by_rx(from)) == NULL) {
		engine->dropped++;
		return;
	}
	fwd_account(&p->rx_packets, &p->rx_bytes, &p->last_activity,
	    pkt, len, now);
	fwd_queue((*out)++, pkt, len, &engine->wg_addr,
	    sizeof(engine->wg_addr), &p->pp.sin_addr);
}

/* A datagram from peer through our relay over a stream (relaymgr.c). */
void
fwd_relayed_input(uint8_t *pkt, size_t len, const struct sockaddr_in6 *peer)
{
	time_t	 now = 0;
	int	 out = 0;

	fwd_from_net(pkt, len, peer, 1, &out, &now);
	if (out > 0)
		fwd_send(engine->ppfd, out);
}

/*
 * Destination unreachable: network, host, protocol or port, or
 * prohibited (RFC 792, 1122, 1812; RFC 4443 3.1).  Not "fragmentation
 * needed" (IPv4 code 4) nor IPv6's packet too big (another type): a
 * path MTU is no reason to leave the path.
 */
static int
fwd_unreachable(const struct sock_extended_err *ee)
{
	if (ee->ee_origin == SO_EE_ORIGIN_ICMP)
		return ee->ee_type == FWD_ICMP_UNREACH &&
		    (ee->ee_code <= FWD_ICMP_PORT || ee->ee_code ==
		    FWD_ICMP_NET_PROHIB || ee->ee_code == FWD_ICMP_HOST_PROHIB ||
		    ee->ee_code == FWD_ICMP_ADMIN_PROHIB);
	if (ee->ee_origin == SO_EE_ORIGIN_ICMP6)
		return ee->ee_type == FWD_ICMP6_UNREACH;
	return 0;
}

/*
 * ICMP errors queued on the engine's socket (IP_RECVERR): an
 * unreachable for a peer's direct path counts for path selection.
 * Drained every time, or the socket would stay readable.
 */
static void
fwd_net_errors(int fd)
{
	struct sock_extended_err	 ee;
	struct sockaddr_in6		 to;
	struct msghdr			 m;
	struct cmsghdr			*cm;
	struct iovec			 iov;
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(sizeof(ee) +
				    sizeof(struct sockaddr_in6))];
	}				 cbuf;
	struct peer			*p;
	uint8_t				 b[FWD_ERR_PEEK];
	int				 i, unreach;

	for (i = 0; i < FWD_ERR_MAX; i++) {
		memset(&m, 0, sizeof(m));
		memset(&to, 0, sizeof(to));
		iov.iov_base = b;
		iov.iov_len = sizeof(b);
		m.msg_name = &to;
		m.msg_namelen = sizeof(to);
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_control = &cbuf;
		m.msg_controllen = sizeof(cbuf);
		if (recvmsg(fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) == -1)
			return;
		unreach = 0;
		for (cm = CMSG_FIRSTHDR(&m); cm != NULL;
		    cm = CMSG_NXTHDR(&m, cm)) {
			if (!((cm->cmsg_level == IPPROTO_IPV6 &&
			    cm->cmsg_type == IPV6_RECVERR) ||
			    (cm->cmsg_level == IPPROTO_IP &&
			    cm->cmsg_type == IP_RECVERR)) ||
			    cm->cmsg_len < CMSG_LEN(sizeof(ee)))
				continue;
			memcpy(&ee, CMSG_DATA(cm), sizeof(ee));
			unreach = fwd_unreachable(&ee);
		}
		if (!unreach || to.sin6_family != AF_INET6 ||
		    (p = peer_by_remote(&to)) == NULL || !p->has_alt ||
		    p->on_alt || p->path_how != ICE_PATH_DIRECT)
			continue;
		pathsel_icmp_unreach(&p->ps);
		peer_path_decide(p, monotime_ms());
	}
}

/* From the network to WireGuard. */
void
fwd_net_read(int fd, short event, void *arg)
{
	struct sockaddr_in6	 rpeer;
	const struct sockaddr_in6 *from;
	time_t			 now = 0;
	uint8_t			*pkt;
	size_t			 len;
	int			 i, n, out = 0, relayed;

	fwd_net_errors(fd);
	n = fwd_recv(fd, 0);
	for (i = 0; i < n; i++) {
		pkt = FWD_PKT(i);
		len = fwd_rmsg[i].msg_len;
		from = &fwd_from[i].sin6;
		if ((fwd_rmsg[i].msg_hdr.msg_flags & MSG_TRUNC) ||
		    from->sin6_family != AF_INET6) {
			engine->dropped++;
			continue;
		}
		/* Our relay: its answers, and what peers sent through it. */
		relayed = 0;
		switch (relaymgr_turn_input(pkt, len, from, &rpeer, &pkt,
		    &len)) {
		case TURNC_TAKEN:
			continue;
		case TURNC_DATA:
			from = &rpeer;
			relayed = 1;
			break;
		case TURNC_NOT_OURS:
			break;
		}
		fwd_from_net(pkt, len, from, relayed, &out, &now);
	}
	if (out > 0)
		fwd_send(engine->ppfd, out);
}

static int
fwd_pp_dst(struct msghdr *m, struct in_addr *dst)
{
	struct cmsghdr		*cm;
	struct in_pktinfo	 pi;

	for (cm = CMSG_FIRSTHDR(m); cm != NULL; cm = CMSG_NXTHDR(m, cm)) {
		if (cm->cmsg_level == IPPROTO_IP &&
		    cm->cmsg_type == IP_PKTINFO) {
			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			*dst = pi.ipi_addr;
			return 0;
		}
	}
	return -1;
}

/*
 * Where p's next datagram goes: the relay path beside a direct one if
 * path selection says so, else the path in use.  1 if through our
 * relay's allocation.  A datagram for the direct path counts as a send
 * on it for path selection.
 */
static int
fwd_target(struct peer *p, uint64_t now_ms, struct sockaddr_in6 **to)
{
	if (p->on_alt && p->has_alt) {
		*to = &p->alt;
		return p->alt_via;
	}
	if (p->has_alt) {
		pathsel_sent_direct(&p->ps, now_ms);
		peer_path_decide(p, now_ms);
		if (p->on_alt) {
			*to = &p->alt;
			return p->alt_via;
		}
	}
	*to = &p->remote;
	return p->via_relay;
}

/* One datagram to p on its path, outside a batch (held ones). */
int
fwd_send_peer(struct peer *p, const uint8_t *pkt, size_t len)
{
	struct sockaddr_in6	*to;

	if (!p->has_remote)
		return -1;
	if (fwd_target(p, monotime_ms(), &to))
		return relaymgr_turn_send(pkt, len, to);
	if (sendto(engine->netfd, pkt, len, MSG_DONTWAIT,
	    (struct sockaddr *)to, sizeof(*to)) == -1) {
		log_debug("peer %s: sendto: %s", p->conf.name,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* From WireGuard to the network. */
void
fwd_pp_read(int fd, short event, void *arg)
{
	struct sockaddr_in	 dst;
	struct sockaddr_in6	*to;
	struct peer		*p;
	time_t			 now = 0;
	uint64_t		 now_ms = 0;
	uint32_t		 idx;
	uint16_t		 ch;
	size_t			 len;
	int			 i, n, out = 0, via;

	n = fwd_recv(fd, 1);
	memset(&dst, 0, sizeof(dst));
	dst.sin_family = AF_INET;
	dst.sin_port = htons(engine->conf.peerport);
	for (i = 0; i < n; i++) {
		len = fwd_rmsg[i].msg_len;
		/* Only WireGuard's own socket may send through a peer port. */
		if ((fwd_rmsg[i].msg_hdr.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) ||
		    fwd_from[i].sin.sin_family != AF_INET ||
		    fwd_from[i].sin.sin_port != engine->wg_addr.sin_port ||
		    fwd_pp_dst(&fwd_rmsg[i].msg_hdr, &dst.sin_addr) == -1 ||
		    peerport_index(&dst, engine->conf.peerport, &idx) == -1 ||
		    (p = peer_by_idx(idx)) == NULL) {
			engine->dropped++;
			continue;
		}
		/* No path yet: it may wake the peer (lazy connections). */
		if (!p->has_remote) {
			cm_hold(p, FWD_PKT(i), len);
			engine->dropped++;
			continue;
		}
		fwd_account(&p->tx_packets, &p->tx_bytes, &p->last_activity,
		    FWD_PKT(i), len, &now);
		if (now_ms == 0)
			now_ms = monotime_ms();
		via = fwd_target(p, now_ms, &to);
		if (!via) {
			fwd_queue(out++, FWD_PKT(i), len, to, sizeof(*to),
			    NULL);
			continue;
		}
		/*
		 * Relayed: ChannelData in place over UDP; a Send indication,
		 * or anything over a stream, through the TURN client.
		 */
		if (relaymgr_turn_stream() ||
		    (ch = turnc_channel(to, now_ms)) == 0) {
			if (relaymgr_turn_send(FWD_PKT(i), len, to) == -1)
				engine->dropped++;
			continue;
		}
		turnc_chandata_hdr(fwd_buf[i], ch, len);
		fwd_queue(out++, fwd_buf[i], len + FWD_HEAD,
		    (void *)turnc_server_sa(), sizeof(struct sockaddr_in6),
		    NULL);
	}
	if (out > 0)
		fwd_send(engine->netfd, out);
}
