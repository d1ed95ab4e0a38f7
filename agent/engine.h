/* engine: the unprivileged, chrooted, sandboxed process of ternd. */
#ifndef TERND_ENGINE_H
#define TERND_ENGINE_H

#include <sys/queue.h>
#include <sys/tree.h>
#include <netinet/in.h>
#include <event.h>
#include <stdint.h>
#include <time.h>

#include "imsgev.h"
#include "pathsel.h"
#include "seal.h"
#include "ternd.h"

/* WireGuard message type 4 is transport data; 32 bytes is a keepalive. */
#define WG_MSG_TRANSPORT	4
#define WG_KEEPALIVE_LEN	32

struct ice_sess;
struct peer;

/*
 * An address a peer's engine reached us from with an authenticated
 * check (through our relay, for one), whose datagrams are the peer's
 * whatever path is in use.
 */
#define PEER_RX_MAX	4
struct peer_rx {
	RB_ENTRY(peer_rx)	 entry;
	struct sockaddr_in6	 addr;
	struct peer		*p;
	int			 in_tree;
};
RB_HEAD(peer_rx_tree, peer_rx);

struct peer {
	TAILQ_ENTRY(peer)	 entry;
	RB_ENTRY(peer)		 remote_entry;
	RB_ENTRY(peer)		 node_entry;	/* by node key, netmap peers */
	RB_ENTRY(peer)		 wg_entry;	/* by WireGuard key, all peers */
	uint32_t		 nm_gen;	/* netmap_apply's mark */
	struct imsg_peer	 conf;
	struct nm_entry		 nm;		/* netmap peers: as signed */
	enum peer_source	 source;
	enum peer_state		 state;
	time_t			 state_since;
	int			 has_node_key;
	uint8_t			 node_key[KEY_LEN];
	struct ice_sess		*ice;		/* NULL unless connecting/connected */
	struct seal_replay	 sig_rx;	/* its newest signal session */
	/* Connection manager (connmgr.c). */
	TAILQ_ENTRY(peer)	 active_entry;	/* on engine->active if not idle */
	int			 active;
	uint32_t		 perm_why;	/* CM_PERM_*: never idle if not 0 */
	int			 relay_only;	/* the netmap says: no direct path */
	enum wake_reason	 wake_reason;
	time_t			 woken;		/* when it last left Idle */
	time_t			 idle_since;
	size_t			 naddrs;	/* conf.allowed[0..naddrs): overlay */
	char			(*groups)[TERN_NAME_MAX];
	size_t			 ngroups;
	uint8_t			*held;		/* a handshake initiation for later */
	size_t			 held_len;
	uint8_t			*held_data;	/* and the latest other datagram */
	size_t			 held_data_len;
	uint32_t		 idx;		/* peer-port index */
	struct sockaddr_in	 pp;		/* its peer-port address */
	struct sockaddr_in6	 remote;	/* v4 as v4-mapped */
	int			 has_remote;
	int			 via_relay;	/* remote is reached through
						   our relay's allocation */
	int			 path_how;	/* ICE_PATH_* of remote */
	/* A relay path kept beside a direct remote (path selection). */
	RB_ENTRY(peer)		 alt_entry;
	struct sockaddr_in6	 alt;
	int			 has_alt;
	int			 alt_via;	/* alt through our relay */
	int			 alt_how;	/* ICE_PATH_* of alt */
	int			 on_alt;	/* datagrams take alt now */
	struct peer_rx		 rx[PEER_RX_MAX];
	size_t			 rx_next;	/* the slot to take next */
	struct pathsel		 ps;
	uint64_t		 rx_packets;
	uint64_t		 rx_bytes;
	uint64_t		 tx_packets;
	uint64_t		 tx_bytes;
	time_t			 last_activity;
	int64_t			 last_handshake;
};
TAILQ_HEAD(peer_head, peer);
RB_HEAD(peer_remote_tree, peer);
RB_HEAD(peer_alt_tree, peer);
RB_HEAD(peer_node_tree, peer);
RB_HEAD(peer_wg_tree, peer);

struct ctl_conn;

struct engine {
	struct imsg_engine_conf	 conf;
	int			 have_conf;
	struct imsgev		 parent;
	int			 netfd;
	int			 ppfd;
	int			 ctlfd;
	int			 rctlfd;	/* read-only control socket */
	int			 probefd;	/* RTT probes, owned by stunc */
	struct event		 ev_net;
	struct event		 ev_pp;
	struct peer_head	 peers;
	size_t			 npeers;
	struct peer		**byidx;	/* peer-port index -> peer */
	size_t			 byidx_len;
	struct peer_remote_tree	 byremote;
	struct peer_alt_tree	 byalt;		/* relay paths kept beside */
	struct peer_rx_tree	 byrx;		/* addresses checks came from */
	struct pathsel_tally	 relayed;	/* peers moved to the relay */
	struct peer_node_tree	 bynode;	/* netmap peers by node key */
	struct peer_wg_tree	 bywg;		/* engine->peers by WireGuard key */
	size_t			 idx_hint;	/* no free peer port below it */
	TAILQ_HEAD(, peer)	 active;	/* netmap peers not idle */
	uint8_t			 nodepriv[KEY_LEN];
	int			 have_nodekey;
	struct seal_session	 sig_sess;	/* this run, in our signals */
	uint64_t		 sig_counter;	/* the last signal we sealed */
	struct sockaddr_in	 wg_addr;	/* WireGuard's own socket */
	struct peer_head	 pending;	/* static peers being received */
	TAILQ_HEAD(, ctl_conn)	 ctl_conns;
	uint32_t		 ctl_nextid;
	uint64_t		 dropped;	/* datagrams for no known peer */
	time_t			 started;
};

extern struct engine	*engine;

/* engine.c */
__attribute__((noreturn)) void engine_main(const char *, int, int);
struct peer	*peer_by_remote(const struct sockaddr_in6 *);
struct peer	*peer_by_alt(const struct sockaddr_in6 *);
struct peer	*peer_by_rx(const struct sockaddr_in6 *);
void		 peer_rx_add(struct peer *, const struct sockaddr_in6 *);
void		 peer_rx_clear(struct peer *);
void		 peer_alt_set(struct peer *, const struct sockaddr_in6 *, int);
struct peer	*peer_by_idx(uint32_t);
struct peer	*peer_by_node(const uint8_t [KEY_LEN]);
int		 peer_node_insert(struct peer *);
struct peer	*peer_find_key(struct peer_head *, const uint8_t [KEY_LEN]);
struct peer	*peer_by_wgkey(const uint8_t [KEY_LEN]);
struct peer	*peer_by_name(const char *);
void		 peer_insert(struct peer *);
int		 peer_alloc_idx(struct peer *);
int		 peer_remote_set(struct peer *, const struct sockaddr_in6 *);
void		 peer_remote_clear(struct peer *);
void		 peer_set_state(struct peer *, enum peer_state, const char *);
void		 peer_push(struct peer *);
void		 peer_free(struct peer *);
int		 engine_to_parent(uint32_t, uint32_t, const void *, size_t);

/* sigclient.c */
struct sigmsg;
void	 sig_init(void);
void	 sig_start(void);
void	 sig_socket(int, const struct imsg_signal_sock *);
int	 sig_send(const struct sigmsg *);
int	 sig_connected(void);
void	 sig_status(struct ctl_status_hdr *);
void	 sig_local_addrs(const struct imsg_local_addrs *);

/* connmgr.c */
struct sigmsg_peer;
void	 cm_init(void);
void	 cm_exclude(const struct imsg_exclude *);
void	 cm_lazy_conf(const struct imsg_lazy_conf *);
void	 cm_server_features(int, uint32_t);
void	 cm_peer_added(struct peer *, const struct sigmsg_peer *);
void	 cm_peer_changed(struct peer *, const struct sigmsg_peer *);
void	 cm_peer_freed(struct peer *);
void	 cm_wake(struct peer *, enum wake_reason);
void	 cm_remote_idle(struct peer *);
void	 cm_hold(struct peer *, const uint8_t *, size_t);
void	 cm_path_up(struct peer *);
int	 cm_wake_name(const char *, char *, size_t);
void	 cm_status(struct ctl_status_hdr *);
void	 cm_peer_status(const struct peer *, struct ctl_status_peer *);

/* engine_netmap.c */
struct sigmsg_netmap;
void	 netmap_apply(const struct sigmsg_netmap *);
void	 netmap_signal_up(void);
void	 netmap_signal_in(const uint8_t [KEY_LEN], const uint8_t *, size_t);
void	 peer_path_decide(struct peer *, uint64_t);

/* forward.c */
void	 fwd_init(void);
void	 fwd_net_read(int, short, void *);
void	 fwd_pp_read(int, short, void *);
int	 fwd_is_activity(const uint8_t *, size_t);
int	 fwd_send_peer(struct peer *, const uint8_t *, size_t);
void	 fwd_relayed_input(uint8_t *, size_t, const struct sockaddr_in6 *);

/*
 * ping.c: ternctl ping.  ping_start wakes the named peer and pings it
 * over its path, count times or (0) until the first answer, calling
 * cb(arg, pong, last) for each ping and for a wait for a path that ran
 * out, never from inside ping_start; last is set once, for the final
 * report, after which the ping is gone.  -1 and why if it cannot start.
 * ping_cancel forgets arg's (its client went away), also from inside cb.
 */
typedef void	(*ping_cb)(void *, const struct ctl_pong *, int);
int	 ping_start(const char *, uint32_t, ping_cb, void *, char *, size_t);
void	 ping_cancel(void *);

/* control.c */
void	 control_listen(int, int);
void	 control_stats_done(uint32_t);
void	 control_reload_error(uint32_t, const struct ctl_error *);
void	 control_reload_done(uint32_t, const struct ctl_result *);

#endif
