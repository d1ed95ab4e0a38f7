/* ternd: configuration and the messages between parent, engine and ternctl. */
#ifndef TERND_H
#define TERND_H

#include <sys/queue.h>
#include <sys/socket.h>
#include <net/if.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>

#include "addr.h"
#include "imsg.h"
#include "key.h"

#ifndef TERND_CONF
#define TERND_CONF		"/etc/tern/ternd.conf"
/*
 * Output queues are bounded, but must hold a whole peer table: between
 * parent and engine (static peers, peer updates) and for one ternctl
 * status, each for TERN_PEERS_MAX peers.
 */
#define TERND_PRIV_OUTQ_MAX	((size_t)TERN_PEERS_MAX * \
	    (IMSG_HEADER_SIZE + sizeof(struct imsg_peer)) + IMSG_OUTQ_MAX)
#define TERND_CTL_OUTQ_MAX	((size_t)TERN_PEERS_MAX * \
	    (IMSG_HEADER_SIZE + sizeof(struct ctl_status_peer)) + IMSG_OUTQ_MAX)

#endif
#ifndef TERND_KEYDIR
#define TERND_KEYDIR		"/etc/tern/keys"
/*
 * Output queues are bounded, but must hold a whole peer table: between
 * parent and engine (static peers, peer updates) and for one ternctl
 * status, each for TERN_PEERS_MAX peers.
 */
#define TERND_PRIV_OUTQ_MAX	((size_t)TERN_PEERS_MAX * \
	    (IMSG_HEADER_SIZE + sizeof(struct imsg_peer)) + IMSG_OUTQ_MAX)
#define TERND_CTL_OUTQ_MAX	((size_t)TERN_PEERS_MAX * \
	    (IMSG_HEADER_SIZE + sizeof(struct ctl_status_peer)) + IMSG_OUTQ_MAX)

#endif
#ifndef TERND_RUNDIR
#define TERND_RUNDIR		"/var/run/tern"
/*
 * Output queues are bounded, but must hold a whole peer table: between
 * parent and engine (static peers, peer updates) and for one ternctl
 * status, each for TERN_PEERS_MAX peers.
 */
#define TERND_PRIV_OUTQ_MAX	((size_t)TERN_PEERS_MAX * \
	    (IMSG_HEADER_SIZE + sizeof(struct imsg_peer)) + IMSG_OUTQ_MAX)
#define TERND_CTL_OUTQ_MAX	((size_t)TERN_PEERS_MAX * \
	    (IMSG_HEADER_SIZE + sizeof(struct ctl_status_peer)) + IMSG_OUTQ_MAX)

#endif
#define TERND_SOCKET		TERND_RUNDIR "/ternd.sock"
#ifndef TERND_STATEDIR
#define TERND_STATEDIR		"/var/lib/tern"
/*
 * Output queues are bounded, but must hold a whole peer table: between
 * parent and engine (static peers, peer updates) and for one ternctl
 * status, each for TERN_PEERS_MAX peers.
 */
#define TERND_PRIV_OUTQ_MAX	((size_t)TERN_PEERS_MAX * \
	    (IMSG_HEADER_SIZE + sizeof(struct imsg_peer)) + IMSG_OUTQ_MAX)
#define TERND_CTL_OUTQ_MAX	((size_t)TERN_PEERS_MAX * \
	    (IMSG_HEADER_SIZE + sizeof(struct ctl_status_peer)) + IMSG_OUTQ_MAX)

#endif
#ifndef TERND_CHROOT
#define TERND_CHROOT		"/var/empty"
/*
 * Output queues are bounded, but must hold a whole peer table: between
 * parent and engine (static peers, peer updates) and for one ternctl
 * status, each for TERN_PEERS_MAX peers.
 */
#define TERND_PRIV_OUTQ_MAX	((size_t)TERN_PEERS_MAX * \
	    (IMSG_HEADER_SIZE + sizeof(struct imsg_peer)) + IMSG_OUTQ_MAX)
#define TERND_CTL_OUTQ_MAX	((size_t)TERN_PEERS_MAX * \
	    (IMSG_HEADER_SIZE + sizeof(struct ctl_status_peer)) + IMSG_OUTQ_MAX)

#endif
#ifndef TERND_USER
#define TERND_USER		"_tern"
/*
 * Output queues are bounded, but must hold a whole peer table: between
 * parent and engine (static peers, peer updates) and for one ternctl
 * status, each for TERN_PEERS_MAX peers.
 */
#define TERND_PRIV_OUTQ_MAX	((size_t)TERN_PEERS_MAX * \
	    (IMSG_HEADER_SIZE + sizeof(struct imsg_peer)) + IMSG_OUTQ_MAX)
#define TERND_CTL_OUTQ_MAX	((size_t)TERN_PEERS_MAX * \
	    (IMSG_HEADER_SIZE + sizeof(struct ctl_status_peer)) + IMSG_OUTQ_MAX)

#endif
#ifndef TERND_WGGO
#define TERND_WGGO		"/usr/bin/wireguard-go"
/*
 * Output queues are bounded, but must hold a whole peer table: between
 * parent and engine (static peers, peer updates) and for one ternctl
 * status, each for TERN_PEERS_MAX peers.
 */
#define TERND_PRIV_OUTQ_MAX	((size_t)TERN_PEERS_MAX * \
	    (IMSG_HEADER_SIZE + sizeof(struct imsg_peer)) + IMSG_OUTQ_MAX)
#define TERND_CTL_OUTQ_MAX	((size_t)TERN_PEERS_MAX * \
	    (IMSG_HEADER_SIZE + sizeof(struct ctl_status_peer)) + IMSG_OUTQ_MAX)

#endif

/* wireguard-go puts every UAPI socket in this one directory. */
#define WG_UAPI_DIR		"/var/run/wireguard"

#define TERND_IFNAME_DEFAULT	"tern0"
#define TERND_MTU_DEFAULT	1420	/* WireGuard's default over IPv6 paths */
#define TERND_MTU_MIN		1280	/* IPv6 minimum link MTU */
#define TERND_MTU_MAX		9000
#define TERND_PORT_DEFAULT	51820	/* WireGuard's customary port */
#define TERND_PEERPORT_DEFAULT	51821	/* peer ports on 127.0.0.0/8 */

#define TERN_NAME_MAX		64	/* peer name, with NUL */
#define TERN_ADDRS_MAX		8	/* overlay addresses of the interface */
#define TERN_ACCEPT_MAX		64	/* accept prefixes */
#define TERN_ALLOWED_MAX	32	/* allowed IPs of one peer */
#define TERN_HOST_MAX		256	/* endpoint text as written */
#define TERN_PEERS_MAX		65536	/* static peers in one config */

enum wg_backend {
	WG_BACKEND_USERSPACE = 1,
};

struct peer_conf {
	TAILQ_ENTRY(peer_conf)	 entry;
	char			 name[TERN_NAME_MAX];
	uint8_t			 wgkey[KEY_LEN];
	struct tern_prefix	 allowed[TERN_ALLOWED_MAX];
	size_t			 nallowed;
	int			 has_endpoint;
	char			 endpoint_str[TERN_HOST_MAX];
	struct sockaddr_storage	 endpoint;
	uint16_t		 keepalive;	/* seconds, 0 = off */
};
TAILQ_HEAD(peer_conf_head, peer_conf);

struct ternd_conf {
	char			 ifname[IFNAMSIZ];
	struct tern_prefix	 addrs[TERN_ADDRS_MAX];
	size_t			 naddrs;
	uint16_t		 mtu;
	uint16_t		 port;		/* engine's UDP port */
	uint16_t		 peerport;	/* peer ports' UDP port */
	enum wg_backend		 wg_backend;
	char			 wg_path[PATH_MAX];
	char			 keydir[PATH_MAX];
	struct tern_prefix	 accept[TERN_ACCEPT_MAX];
	size_t			 naccept;
	struct peer_conf_head	 peers;
	size_t			 npeers;
};

/* parse.y */
struct ternd_conf	*parse_config(const char *);
void			 conf_free(struct ternd_conf *);
struct ternd_conf	*conf_new(void);
struct peer_conf	*conf_peer_find(struct ternd_conf *, const char *);

/* printconf.c */
void	 print_config(FILE *, const struct ternd_conf *);

/*
 * Messages.  Parent <-> engine over the socketpair; engine <-> ternctl
 * over the control socket.  Every payload is one fixed-size struct.
 */
enum imsg_type {
	IMSG_NONE,
	/* parent -> engine */
	IMSG_SOCKET_NET,	/* fd: engine's UDP socket, no payload */
	IMSG_SOCKET_PEERPORT,	/* fd: loopback peer-port socket */
	IMSG_SOCKET_CONTROL,	/* fd: listening control socket */
	IMSG_ENGINE_CONF,	/* struct imsg_engine_conf */
	IMSG_STATIC_PEER,	/* struct imsg_peer */
	IMSG_STATIC_END,	/* no payload: the static peer list is complete */
	IMSG_WG_STATS_PEER,	/* struct imsg_wg_stats */
	IMSG_WG_STATS_END,	/* no payload */
	IMSG_RELOAD_RESULT,	/* struct ctl_result */
	/* engine -> parent */
	IMSG_WG_PEER_SET,	/* struct imsg_wg_peer */
	IMSG_WG_PEER_DEL,	/* struct imsg_wg_peer_del */
	IMSG_WG_STATS_REQ,	/* no payload */
	IMSG_RELOAD_REQ,	/* no payload */
	/* ternctl -> engine */
	IMSG_CTL_STATUS,	/* no payload */
	IMSG_CTL_RELOAD,	/* no payload */
	/* engine -> ternctl */
	IMSG_CTL_STATUS_HDR,	/* struct ctl_status_hdr */
	IMSG_CTL_STATUS_PEER,	/* struct ctl_status_peer */
	IMSG_CTL_END,		/* no payload */
	IMSG_CTL_RESULT,	/* struct ctl_result */
};

struct imsg_engine_conf {
	char			 ifname[IFNAMSIZ];
	uint8_t			 wgpub[KEY_LEN];
	uint8_t			 nodepub[KEY_LEN];
	uint16_t		 port;
	uint16_t		 peerport;
	uint16_t		 wg_port;	/* WireGuard's own UDP port */
	uint16_t		 pad;
};

struct imsg_peer {
	char			 name[TERN_NAME_MAX];
	uint8_t			 wgkey[KEY_LEN];
	struct tern_prefix	 allowed[TERN_ALLOWED_MAX];
	uint32_t		 nallowed;
	uint32_t		 has_endpoint;
	struct sockaddr_storage	 endpoint;
	uint16_t		 keepalive;
	uint16_t		 pad[3];
};

struct imsg_wg_peer {
	uint8_t			 wgkey[KEY_LEN];
	struct tern_prefix	 allowed[TERN_ALLOWED_MAX];
	uint32_t		 nallowed;
	uint16_t		 keepalive;
	uint16_t		 pad;
	struct sockaddr_in	 endpoint;	/* a peer-port address */
};

struct imsg_wg_peer_del {
	uint8_t			 wgkey[KEY_LEN];
};

struct imsg_wg_stats {
	uint8_t			 wgkey[KEY_LEN];
	int64_t			 last_handshake;	/* unix seconds, 0 = never */
	uint64_t		 rx_bytes;
	uint64_t		 tx_bytes;
};

#define CTL_MSG_MAX		256
struct ctl_result {
	int32_t			 ok;
	char			 msg[CTL_MSG_MAX];
};

struct ctl_status_hdr {
	char			 ifname[IFNAMSIZ];
	uint8_t			 wgpub[KEY_LEN];
	uint8_t			 nodepub[KEY_LEN];
	uint16_t		 port;
	uint16_t		 peerport;
	uint32_t		 npeers;
	int64_t			 started;	/* unix seconds */
};

struct ctl_status_peer {
	char			 name[TERN_NAME_MAX];
	uint8_t			 wgkey[KEY_LEN];
	struct sockaddr_storage	 endpoint;	/* remote; ss_family 0 if none */
	struct sockaddr_in	 peerport;
	uint64_t		 rx_packets;
	uint64_t		 rx_bytes;
	uint64_t		 tx_packets;
	uint64_t		 tx_bytes;
	int64_t			 last_handshake;	/* unix seconds, 0 = never */
	int64_t			 last_activity;		/* unix seconds, 0 = never */
};

/*
 * Output queues are bounded, but must hold a whole peer table: between
 * parent and engine (static peers, peer updates) and for one ternctl
 * status, each for TERN_PEERS_MAX peers.
 */
#define TERND_PRIV_OUTQ_MAX	((size_t)TERN_PEERS_MAX * \
	    (IMSG_HEADER_SIZE + sizeof(struct imsg_peer)) + IMSG_OUTQ_MAX)
#define TERND_CTL_OUTQ_MAX	((size_t)TERN_PEERS_MAX * \
	    (IMSG_HEADER_SIZE + sizeof(struct ctl_status_peer)) + IMSG_OUTQ_MAX)

#endif
