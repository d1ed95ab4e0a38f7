/* ternd: configuration and the messages between parent, engine and ternctl. */
#ifndef TERND_H
#define TERND_H

#include <sys/queue.h>
#include <sys/socket.h>
#include <net/if.h>
#include <netinet/in.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>

#include "addr.h"
#include "imsg.h"
#include "key.h"
#include "nmsign.h"
#include "relaysel.h"

#ifndef TERND_CONF
#define TERND_CONF		"/etc/tern/ternd.conf"
#endif
#ifndef TERND_KEYDIR
#define TERND_KEYDIR		"/etc/tern/keys"
#endif
#ifndef TERND_RUNDIR
#define TERND_RUNDIR		"/var/run/tern"
#endif
#define TERND_SOCKET		TERND_RUNDIR "/ternd.sock"
#define TERND_RSOCKET		TERND_RUNDIR "/ternd.rsock"	/* read-only */
#ifndef TERND_STATEDIR
#define TERND_STATEDIR		"/var/lib/tern"
#endif
#ifndef TERND_CHROOT
#define TERND_CHROOT		"/var/empty"
#endif
#ifndef TERND_USER
#define TERND_USER		"_tern"
#endif
/* The system's CA bundle on Debian, Ubuntu, Arch and Alpine. */
#ifndef TERND_TLS_CA
#define TERND_TLS_CA		"/etc/ssl/certs/ca-certificates.crt"
#endif
#ifndef TERND_WGGO
#define TERND_WGGO		"/usr/bin/wireguard-go"
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
#define TERN_EXCLUDE_MAX	TERN_PEERS_MAX	/* exclude lines */

/* Lazy connections (DESIGN.md "Connection manager"). */
#define TERN_INACTIVITY_DEFAULT	(15 * 60)	/* seconds, issue 4 */
#define TERN_INACTIVITY_MIN	60		/* DESIGN.md: 1 min */
#define TERN_INACTIVITY_MAX	(7 * 24 * 3600)	/* = SIGMSG_INACTIVITY_MAX */
/* The first ternd version whose engine goes idle and wakes (lazy). */
#define TERN_LAZY_MIN_VERSION	"0.1.0"

/* Who decided lazy connections or the inactivity threshold, by rank. */
enum lazy_src {
	LAZY_SRC_DEFAULT = 0,	/* nobody: off, 15 min */
	LAZY_SRC_SERVER,	/* the netmap's feature flags */
	LAZY_SRC_CONFIG,	/* ternd.conf */
	LAZY_SRC_ENV,		/* TERN_LAZY_CONN, TERN_LAZY_INACTIVITY */
	LAZY_SRC_FLAG,		/* --lazy, --no-lazy, --inactivity */
};

struct exclude_conf {
	TAILQ_ENTRY(exclude_conf) entry;
	char			 name[TERN_NAME_MAX];
};
TAILQ_HEAD(exclude_head, exclude_conf);

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

/*
 * A relay line of ternd.conf, as IMSG_RELAY_BOOTSTRAP carries it: its
 * "host:port" as written and the TURN credentials it names, all
 * NUL-terminated, "" when not given: a long-term username and password,
 * or a REST shared secret (coturn's use-auth-secret) from which the
 * engine makes its own.  realm "" takes the server's.
 */
#define TERN_TURN_CRED_MAX	128	/* username, password, realm */
#define TERN_TURN_SECRET_MAX	256	/* shared secret */
struct imsg_relay_boot {
	char			 addr[TERN_HOST_MAX];
	char			 username[TERN_TURN_CRED_MAX];
	char			 password[TERN_TURN_CRED_MAX];
	char			 secret[TERN_TURN_SECRET_MAX];
	char			 realm[TERN_TURN_CRED_MAX];
};

struct relay_entry {
	struct imsg_relay_boot	 boot;
	char			 credfile[PATH_MAX];	/* password-file or
							   secret-file, "" */
};

/* Bootstrap relays, in ternd.conf's order. */
struct relay_conf {
	struct relay_entry	 r[RELAYSEL_BOOTSTRAP_MAX];
	size_t			 n;
};

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
	char			 tls_ca[PATH_MAX];	/* relays over TLS */
	struct tern_prefix	 accept[TERN_ACCEPT_MAX];
	size_t			 naccept;
	struct peer_conf_head	 peers;
	size_t			 npeers;
	int			 has_signal;
	char			 signal_host[TERN_HOST_MAX];	/* "host:port" */
	uint8_t			 signal_key[KEY_LEN];	/* server's Ed25519 key */
	int			 has_lock;
	uint8_t			 lock_key[KEY_LEN];	/* network lock, Ed25519 */
	int			 lazy;		/* -1 unset, 0 no, 1 yes */
	uint32_t		 inactivity;	/* seconds, 0 unset */
	struct exclude_head	 excludes;	/* peers never lazy */
	size_t			 nexcludes;
	struct relay_conf	 relays;	/* bootstrap relays, in order */
};

/* parse.y */
struct ternd_conf	*parse_config(const char *);
void			 conf_free(struct ternd_conf *);
struct ternd_conf	*conf_new(void);
struct peer_conf	*conf_peer_find(struct ternd_conf *, const char *);
int			 conf_relay_add(struct relay_conf *, const char *,
			    const char *, char *, size_t);
int			 conf_relay_list(struct relay_conf *, const char *,
			    char *, size_t);

/* parent_printconf.c */
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
	IMSG_SOCKET_CONTROL_RO,	/* fd: listening read-only control socket */
	IMSG_ENGINE_CONF,	/* struct imsg_engine_conf */
	IMSG_STATIC_PEER,	/* struct imsg_peer */
	IMSG_STATIC_END,	/* no payload: the static peer list is complete */
	IMSG_WG_STATS_PEER,	/* struct imsg_wg_stats */
	IMSG_WG_STATS_END,	/* no payload */
	IMSG_RELOAD_ERROR,	/* struct ctl_error: one line, before the result */
	IMSG_RELOAD_RESULT,	/* struct ctl_result */
	IMSG_NODE_KEY,		/* struct imsg_node_key */
	IMSG_LOCAL_ADDRS,	/* struct imsg_local_addrs */
	IMSG_SOCKET_SIGNAL,	/* fd: TCP connecting to tern-signal, or -1;
				   struct imsg_signal_sock */
	IMSG_EXCLUDE,		/* struct imsg_exclude, before IMSG_LAZY_CONF */
	IMSG_LAZY_CONF,		/* struct imsg_lazy_conf: ends the exclude list;
				   at start and after every reload */
	IMSG_SOCKET_PROBE,	/* fd: ephemeral UDP socket for relay RTT probes */
	IMSG_RELAY_BOOTSTRAP,	/* struct imsg_relay_boot (above), ternd.conf
				   order */
	IMSG_RELAY_BOOTSTRAP_END, /* no payload; at start and after reload */
	IMSG_RELAY_CACHED,	/* struct imsg_relay_addr, from relays.json */
	IMSG_RELAY_CACHED_END,	/* struct imsg_relay_cache_end */
	IMSG_RELAY_RESOLVED,	/* struct imsg_relay_resolved */
	IMSG_RELAY_CONN,	/* fd: TCP connected to a relay, or -1;
				   struct imsg_relay_conn, peerid as asked */
	IMSG_RELAY_CA,		/* struct imsg_relay_ca: a piece of the CA
				   bundle, in order */
	IMSG_RELAY_CA_END,	/* struct imsg_relay_ca_end: the bundle is
				   whole, or why there is none */
	/* engine -> parent */
	IMSG_WG_PEER_SET,	/* struct imsg_wg_peer */
	IMSG_WG_PEER_DEL,	/* struct imsg_wg_peer_del */
	IMSG_WG_PEER_SIGNED,	/* struct imsg_wg_signed: a netmap peer */
	IMSG_WG_STATS_REQ,	/* no payload */
	IMSG_RELOAD_REQ,	/* no payload */
	IMSG_SIGNAL_CONNECT,	/* no payload: open a TCP socket to tern-signal */
	IMSG_RELAY_RESOLVE,	/* struct imsg_relay_addr: a host name to look up */
	IMSG_RELAY_SAVE,	/* struct imsg_relay_addr, the list to cache */
	IMSG_RELAY_SAVE_END,	/* no payload: write relays.json */
	IMSG_STATIC_APPLIED,	/* no payload: an IMSG_STATIC_END is taken */
	IMSG_RELAY_CONNECT,	/* struct imsg_relay_connect; peerid: the
				   engine's id of the request */
	IMSG_RELAY_CA_REQ,	/* no payload: send the CA bundle for TLS */
	/* ternctl -> engine */
	IMSG_CTL_STATUS,	/* no payload */
	IMSG_CTL_RELOAD,	/* no payload */
	IMSG_CTL_WAKE,		/* struct ctl_wake */
	IMSG_CTL_NETCHECK,	/* no payload */
	IMSG_CTL_PING,		/* struct ctl_ping */
	/* engine -> ternctl */
	IMSG_CTL_NETCHECK_HDR,	/* struct ctl_netcheck_hdr */
	IMSG_CTL_NETCHECK_RELAY, /* struct ctl_netcheck_relay, then IMSG_CTL_END */
	IMSG_CTL_STATUS_HDR,	/* struct ctl_status_hdr */
	IMSG_CTL_STATUS_PEER,	/* struct ctl_status_peer */
	IMSG_CTL_PONG,		/* struct ctl_pong, then IMSG_CTL_END after
				   the last */
	IMSG_CTL_END,		/* no payload */
	IMSG_CTL_RELOAD_ERROR,	/* struct ctl_error, before IMSG_CTL_RESULT */
	IMSG_CTL_RESULT,	/* struct ctl_result */
};

#define CTL_MSG_MAX		256
struct ctl_result {
	int32_t			 ok;
	char			 msg[CTL_MSG_MAX];
};

/*
 * A refused reload sends ternctl the first errors of the file, each a
 * "file:line: message"; the log has them all.  A screenful is enough
 * to find the first mistake.
 */
#define CTL_RELOAD_ERRORS_MAX	20
struct ctl_error {
	char			 msg[CTL_MSG_MAX];
};

/* Peer states of the connection manager (DESIGN.md). */
enum peer_state {
	PEER_IDLE = 0,		/* no path */
	PEER_CONNECTING,	/* signaling or ICE under way */
	PEER_CONNECTED,		/* a path carries traffic */
};

/* Why a peer is kept out of Idle (status, DESIGN.md "Connection manager"). */
#define CM_PERM_LAZY_OFF	0x01	/* lazy connections are off */
#define CM_PERM_EXCLUDED	0x02	/* exclude in ternd.conf */
#define CM_PERM_EXEMPT		0x04	/* lazy-exempt in the netmap */
#define CM_PERM_OLD		0x08	/* its ternd cannot go idle */

/* Why a peer left Idle. */
enum wake_reason {
	WAKE_NONE = 0,
	WAKE_LOCAL,		/* WireGuard sent it a datagram */
	WAKE_REMOTE,		/* it signaled us */
	WAKE_MANUAL,		/* ternctl wake */
	WAKE_PERMANENT,		/* it never goes idle */
	WAKE_GROUP,		/* a peer of its HA group woke */
};

/* Where a peer comes from. */
enum peer_source {
	PEER_SRC_STATIC = 0,	/* ternd.conf */
	PEER_SRC_NETMAP,	/* tern-signal's network map */
};

/* ICE candidate types, RFC 8445 5.1.1. */
enum cand_type {
	CAND_NONE = 0,
	CAND_HOST,
	CAND_SRFLX,
	CAND_PRFLX,
	CAND_RELAY,
};

/* The engine's connection to tern-signal. */
enum sig_state {
	SIG_NONE = 0,		/* no signal server configured */
	SIG_DISCONNECTED,	/* waiting to retry */
	SIG_CONNECTING,		/* TCP connect or Noise handshake */
	SIG_CONNECTED,		/* handshake done, netmap received */
};

struct imsg_engine_conf {
	char			 ifname[IFNAMSIZ];
	uint8_t			 wgpub[KEY_LEN];
	uint8_t			 nodepub[KEY_LEN];
	uint16_t		 port;
	uint16_t		 peerport;
	uint16_t		 wg_port;	/* WireGuard's own UDP port */
	uint16_t		 has_signal;
	char			 signal_host[TERN_HOST_MAX];
	uint8_t			 signal_key[KEY_LEN];
};

/* The node key: it authenticates to tern-signal and seals signaling. */
struct imsg_node_key {
	uint8_t			 priv[KEY_LEN];
};

/* Local unicast addresses for ICE host candidates, v4 as v4-mapped. */
#define TERN_LOCAL_ADDRS_MAX	16
struct imsg_local_addrs {
	uint32_t		 n;
	uint32_t		 pad;
	struct in6_addr		 addrs[TERN_LOCAL_ADDRS_MAX];
};

/* The local choices; the engine adds the server's (lower rank). */
struct imsg_lazy_conf {
	int32_t			 lazy;		/* -1 no local choice, 0, 1 */
	uint32_t		 lazy_src;	/* enum lazy_src of it */
	uint32_t		 inactivity;	/* seconds, 0 no local choice */
	uint32_t		 inactivity_src;
};

struct imsg_exclude {
	char			 name[TERN_NAME_MAX];
};

struct ctl_wake {
	char			 name[TERN_NAME_MAX];
};

/*
 * ternctl ping: count pings one after the other, or with count 0 until
 * the first answer.  Each ping sent gets its ctl_pong, and so does a
 * wait for a path that ran out (it ends the ping).
 */
#define CTL_PING_COUNT_MAX	3600	/* an hour at one a second */
struct ctl_ping {
	char			 name[TERN_NAME_MAX];
	uint32_t		 count;
	uint32_t		 pad;
};

enum ctl_pong_status {
	CTL_PONG_REPLY = 1,	/* answered in rtt_us */
	CTL_PONG_LOST,		/* no answer within waited_ms */
	CTL_PONG_NO_PATH,	/* no path to ping on within waited_ms */
};

struct ctl_pong {
	uint32_t		 status;	/* enum ctl_pong_status */
	uint32_t		 seq;		/* 1 for the first ping */
	uint32_t		 rtt_us;
	uint32_t		 waited_ms;
	uint32_t		 via_relay;	/* through our relay */
	uint32_t		 remote_relayed; /* remote is the peer's
						   relayed address */
	struct sockaddr_storage	 remote;	/* the pair's remote candidate */
	char			 relay[TERN_HOST_MAX];	/* if via_relay */
};

struct imsg_signal_sock {
	int32_t			 error;		/* errno; 0 with an fd */
	char			 msg[CTL_MSG_MAX];
};

/* One relay list entry, "host:port" or "[v6]:port", NUL-terminated. */
struct imsg_relay_addr {
	char			 addr[TERN_HOST_MAX];
};

struct imsg_relay_cache_end {
	int64_t			 saved_at;	/* unix seconds; 0: no usable cache */
};

/* The parent's answer to IMSG_RELAY_RESOLVE: up to 4 addresses. */
#define TERN_RELAY_RESOLVED_MAX	4
struct imsg_relay_resolved {
	char			 addr[TERN_HOST_MAX];	/* as asked */
	int32_t			 error;		/* 0, or why: an EAI_* code */
	uint32_t		 n;
	struct sockaddr_in6	 sa[TERN_RELAY_RESOLVED_MAX]; /* v4-mapped */
	char			 msg[CTL_MSG_MAX];	/* gai_strerror text */
};

/*
 * TURN over TCP or TLS, when UDP to the relay does not work (RFC 8656
 * 3.1): the engine names the relay as listed and one of its addresses,
 * with the port to connect to; the parent checks them (ternd(8)) and
 * answers with a connected, non-blocking TCP socket, or why not.  TCP
 * goes to the listed port, TLS to it or to one of the two TLS ports.
 */
enum relay_transport {
	RELAY_TRANSPORT_TCP = 1,
	RELAY_TRANSPORT_TLS,
};
#define TERN_TURN_TLS_PORT	443	/* what networks that let out only
					   HTTPS let out */
#define TERN_TURN_TLS_PORT_RFC	5349	/* RFC 8656 4, tern-relay's default */

struct imsg_relay_connect {
	char			 addr[TERN_HOST_MAX];	/* as listed, NUL */
	struct sockaddr_in6	 sa;	/* v4-mapped; the port to connect to */
	uint32_t		 transport;	/* enum relay_transport */
	uint32_t		 pad;		/* 0 */
};

struct imsg_relay_conn {
	struct imsg_relay_connect req;		/* the request, as sent */
	int32_t			 error;		/* errno; 0 with an fd */
	uint32_t		 pad;
	char			 msg[CTL_MSG_MAX];	/* why not, or "" */
};

/* The CA bundle that verifies relays over TLS, in pieces. */
#define TERN_CA_PIECE		8192
#define TERN_CA_MAX		(1024 * 1024)	/* a system bundle is ~200 KiB */
struct imsg_relay_ca {
	uint32_t		 len;		/* 1..TERN_CA_PIECE */
	uint32_t		 pad;
	uint8_t			 data[TERN_CA_PIECE];
};

struct imsg_relay_ca_end {
	int32_t			 error;		/* errno; 0: the pieces are it */
	uint32_t		 len;		/* bytes in all pieces */
	char			 msg[CTL_MSG_MAX];	/* why not, or "" */
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

/* A netmap peer: WireGuard is set from the verified entry alone. */
struct imsg_wg_signed {
	struct nm_entry		 entry;
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


struct ctl_status_hdr {
	char			 ifname[IFNAMSIZ];
	uint8_t			 wgpub[KEY_LEN];
	uint8_t			 nodepub[KEY_LEN];
	uint16_t		 port;
	uint16_t		 peerport;
	uint32_t		 npeers;
	int64_t			 started;	/* unix seconds */
	int32_t			 sig_state;	/* enum sig_state */
	uint32_t		 pad;
	char			 sig_server[TERN_HOST_MAX];
	int64_t			 sig_since;	/* unix seconds of the last change */
	char			 sig_error[CTL_MSG_MAX];
	int32_t			 lazy;		/* on or off now */
	uint32_t		 lazy_src;	/* enum lazy_src */
	uint32_t		 inactivity;	/* seconds */
	uint32_t		 inactivity_src;
	char			 relay[TERN_HOST_MAX];	/* in use, "" none */
	uint32_t		 relay_by_rtt;	/* RTT overrode the hash pick */
	uint32_t		 pad3;
	/* The TURN allocation on the relay in use. */
	uint32_t		 turn_state;	/* enum ctl_turn_state */
	uint32_t		 turn_perms;	/* permissions installed */
	uint32_t		 turn_channels;	/* channels bound */
	uint32_t		 turn_transport; /* enum ctl_turn_transport */
	struct sockaddr_storage	 turn_relayed;	/* family 0 if none */
};

/* The TURN client's state (agent/turnc.h), as ternctl shows it. */
enum ctl_turn_state {
	CTL_TURN_NONE = 0,	/* no allocation, none wanted */
	CTL_TURN_ALLOCATING,
	CTL_TURN_READY,
	CTL_TURN_FAILED,
};

/* How TURN reaches the relay in use (issue 12). */
enum ctl_turn_transport {
	CTL_TURN_UDP = 0,
	CTL_TURN_TCP,
	CTL_TURN_TLS,
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
	uint8_t			 state;		/* enum peer_state */
	uint8_t			 source;	/* enum peer_source */
	uint8_t			 local_type;	/* enum cand_type of the pair */
	uint8_t			 remote_type;
	uint32_t		 perm_why;	/* CM_PERM_*, 0 if it may go idle */
	struct sockaddr_storage	 local;		/* pair's local candidate */
	int64_t			 state_since;	/* last state change */
	int64_t			 idle_since;	/* 0 unless idle */
	int64_t			 idle_in;	/* seconds to idle, -1 never */
	uint32_t		 wake_reason;	/* enum wake_reason */
	uint32_t		 rtt_us;	/* pair's last round trip, 0 unknown */
	uint8_t			 via_relay;	/* datagrams go through our
						   relay's allocation */
	/* Path selection (DESIGN.md), for status -d. */
	uint8_t			 ps_relay;	/* moved to the relay path */
	uint8_t			 ps_pinned;	/* relay-only: never direct */
	uint8_t			 ps_alt;	/* a relay path kept beside */
	uint8_t			 pad[4];
	uint32_t		 ps_silent_sends; /* direct sends unanswered */
	uint32_t		 ps_receipts;	/* direct answers in a row */
	int64_t			 ps_flip_ago_ms; /* last move; -1 never */
	char			 ps_why[64];	/* its reason, NUL-terminated */
};

/* ternctl netcheck: what each relay of the list sees of us. */
struct ctl_netcheck_hdr {
	uint32_t		 nrelays;	/* ctl_netcheck_relay that follow */
	int32_t			 picked;	/* index of the relay in use, -1 */
	/* 1 mapping varies by destination, 0 it does not, -1 unknown
	   (fewer than two relays of one family answered) */
	int32_t			 symmetric_v4;
	int32_t			 symmetric_v6;
};

struct ctl_netcheck_relay {
	char			 addr[TERN_HOST_MAX];	/* as listed */
	struct sockaddr_storage	 server;	/* probed; family 0 if none */
	struct sockaddr_storage	 mapped;	/* public address seen from
						   the engine's UDP socket;
						   family 0 if no answer */
	uint32_t		 rtt_us;	/* probe socket; 0 no answer */
	uint8_t			 bootstrap;	/* from ternd.conf */
	uint8_t			 answered;
	uint8_t			 pad[2];
	char			 error[CTL_MSG_MAX];	/* why not, or "" */
};

/*
 * Output queues are bounded, but must hold a whole peer table: between
 * parent and engine (static peers, peer updates) and for one ternctl
 * status, each for TERN_PEERS_MAX peers.
 */
#define TERND_PRIV_OUTQ_MAX	((size_t)TERN_PEERS_MAX * \
	    (IMSG_HEADER_SIZE + sizeof(struct imsg_peer)) + \
	    (size_t)TERN_EXCLUDE_MAX * \
	    (IMSG_HEADER_SIZE + sizeof(struct imsg_exclude)) + IMSG_OUTQ_MAX)
#define TERND_CTL_OUTQ_MAX	((size_t)TERN_PEERS_MAX * \
	    (IMSG_HEADER_SIZE + sizeof(struct ctl_status_peer)) + IMSG_OUTQ_MAX)

#endif
