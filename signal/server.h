/* tern-signal server process: connections, nodes, limits, timers. */
#ifndef TERN_SERVER_H
#define TERN_SERVER_H

#include <sys/queue.h>
#include <sys/tree.h>
#include <netinet/in.h>
#include <event.h>
#include <stdint.h>

#include "imsgev.h"
#include "sigchan.h"
#include "sigimsg.h"
#include "sigmsg.h"
#include "tokenbucket.h"

#define SERVER_MS_PER_S		1000	/* milliseconds in a second */
#define SERVER_TICK_MS		1000	/* timeouts are checked this often */
#define SERVER_HS_TIMEOUT_MS	(10 * 1000)	/* handshake and hello */
/* Agents ping every 15 s: four missed pings. */
#define SERVER_IDLE_TIMEOUT_MS	(60 * 1000)
#define SERVER_CLOSE_TIMEOUT_MS	(5 * 1000)	/* to flush a last error */
#define SERVER_READ_MAX		65536	/* bytes read per event */
#define SERVER_ACCEPT_BATCH	64	/* connections accepted per event */
#define SERVER_HASH_LEN		32	/* BLAKE2b-256 of the last netmap */
/* Netmap JSON encoded a tick for version changes: a fraction of a second. */
#define SERVER_FLUSH_BYTES	(32 * 1024 * 1024)
#define SERVER_GEN_STALE	0	/* conn.netmap_gen: a peer it sees changed */
/*
 * A signed entry is good for a day and signed anew after half of it: a
 * host's parent applies no entry past its expiry, which bounds how long
 * an engine can replay the entry of a peer since removed.
 */
#define SERVER_SIG_LIFETIME	(24 * 3600)
/* Handshake-rate table: fixed size, so a flood of addresses is bounded. */
#define SERVER_HSTAB_SIZE	4096
#define SERVER_HSTAB_PROBE	8	/* slots looked at per address */
#define SERVER_LOG_BURST	10	/* lines per second for each limit */
/* "node NAME from ADDR" or "relay ID from ADDR" */
#define SERVER_CONN_STRLEN	(SIGMSG_NAME_MAX + INET6_ADDRSTRLEN + 16)
#define SERVER_ERR_MAX		256	/* why a message or frame was refused */

/* Log lines of one kind, at most SERVER_LOG_BURST a second. */
struct loglimit {
	uint64_t		 sec;
	unsigned int		 lines;
	unsigned int		 dropped;
};

enum conn_state {
	CONN_HANDSHAKE = 1,	/* Noise handshake under way */
	CONN_HELLO,		/* authenticated, hello due */
	CONN_ONLINE,		/* the node's current connection */
	CONN_RELAY,		/* the relay's current registration */
	CONN_CLOSING,		/* flushing a last error, input ignored */
};

enum conn_timer {
	TIMER_NONE = 0,
	TIMER_HS,
	TIMER_IDLE,
	TIMER_CLOSE,
	TIMER_COUNT,
};

struct node;
struct relay_node;
struct addr_entry;

struct conn {
	TAILQ_ENTRY(conn)	 entry;		/* server.conns */
	TAILQ_ENTRY(conn)	 timer_entry;	/* one of server.timers */
	TAILQ_ENTRY(conn)	 relay_entry;	/* server.relay_due, online */
	enum conn_state		 state;
	enum conn_timer		 timer;
	uint64_t		 deadline_ms;
	uint64_t		 relays_ms;	/* when relays were last sent */
	int			 fd;
	int			 in_relay_list;
	int			 unauth;	/* counted in server.nunauth */
	int			 resend_relays;	/* reload: name changed */
	struct event		 ev_read;
	struct event		 ev_write;
	int			 writing;
	struct evbuffer		*in;
	struct evbuffer		*out;
	struct sigchan		 ch;
	struct sockaddr_in6	 addr;		/* v4 as v4-mapped */
	struct addr_entry	*ae;
	struct node		*node;		/* set after the handshake, */
	struct relay_node	*relay;		/* or this for a relay's key */
	struct tokenbucket	 rate;
	uint8_t			 netmap_hash[SERVER_HASH_LEN];
	uint32_t		 netmap_gen;	/* server.netmap_gen when sent */
	uint64_t		 presence_seq;	/* server.presence_seq when sent */
};
TAILQ_HEAD(conn_head, conn);

/*
 * A configured node; peer points into the config's peer array, whose
 * version member is the software of the node's last hello.
 */
struct node {
	RB_ENTRY(node)		 entry;
	struct sigmsg_peer	*peer;
	struct conn		*conn;		/* online connection */
	uint8_t			 hs_ts[SIGCHAN_TS_LEN];	/* last accepted */
};
RB_HEAD(node_tree, node);

/*
 * A configured relay and, if it has a key, its presence: up while it
 * has a registered connection.  The sequence numbers say when it last
 * came up and went down, so that each node can be told what changed
 * since the relay list it got last.
 */
struct relay_node {
	const struct sig_imsg_relay *relay;
	struct conn		*conn;		/* registered connection */
	uint64_t		 generation;	/* of its last hello */
	uint64_t		 up_seq;	/* 0: never up */
	uint64_t		 down_seq;
	int			 up;
	uint8_t			 hs_ts[SIGCHAN_TS_LEN];	/* last accepted */
};

/* One peer in one group; the config keeps them sorted by group name. */
struct group_member {
	const char		*group;
	uint32_t		 idx;		/* into peers */
};

/* The running config, as the parent sent it. */
struct srv_conf {
	struct sig_imsg_conf	 c;
	struct sigmsg_peer	*peers;		/* c.npeers */
	struct node		*nodes;		/* parallel to peers */
	struct node_tree	 bykey;
	size_t			 npeers;	/* received so far */
	struct sig_imsg_relay	*relays;	/* c.nrelays */
	struct relay_node	*rnodes;	/* parallel to relays */
	size_t			 nrelays;
	struct group_member	*members;	/* isolate-groups only */
	size_t			 nmembers;
	uint32_t		*mark;		/* per peer: seen in pass */
	uint32_t		 pass;
	uint8_t			 digest[SERVER_HASH_LEN]; /* all netmap input */
	int64_t			 signed_at;	/* unix seconds */
};

/* Connections from one source: an IPv4 address or an IPv6 /64. */
struct addr_entry {
	RB_ENTRY(addr_entry)	 entry;
	struct in6_addr		 addr;		/* sockaddr_source */
	uint32_t		 count;
};
RB_HEAD(addr_tree, addr_entry);

struct hs_slot {
	struct in6_addr		 addr;		/* sockaddr_source */
	int			 used;
	struct tokenbucket	 b;
};

struct server {
	struct imsgev		 parent;
	uint8_t			 priv[KEY_LEN];
	uint8_t			 sign_sk[NMSIGN_SK_LEN];
	uint64_t		 serial;	/* of the last signing */
	int			 have_key;
	struct srv_conf		*conf;
	struct srv_conf		*pending;	/* being received */
	int			 lfd[SIGNAL_LISTEN_MAX];
	struct event		 lev[SIGNAL_LISTEN_MAX];
	size_t			 nlisten;
	int			 listening;
	int			 accept_paused;
	struct event		 ev_tick;
	struct conn_head	 conns;
	size_t			 nconns;
	size_t			 nonline;
	size_t			 nunauth;	/* hello not done yet */
	struct conn_head	 timers[TIMER_COUNT];
	struct conn_head	 relay_due;
	struct addr_tree	 addrs;
	struct hs_slot		 hstab[SERVER_HSTAB_SIZE];
	uint8_t			 hstab_key[16];	/* hash key of the table */
	struct loglimit		 ll_chan, ll_queue, ll_rate, ll_conns,
				 ll_hsrate, ll_auth, ll_accept, ll_unauth;
	uint32_t		 netmap_gen;	/* bumped: every netmap is stale */
	int			 netmap_due;	/* some netmap is stale */
	uint64_t		 presence_seq;	/* bumped: a relay came or went */
	int			 presence_due;	/* some relay list is stale */
	uint64_t		 flush_bytes;	/* stale netmaps and lists sent */
};

extern struct server	*server;

/* server.c */
__attribute__((noreturn)) void server_main(const char *, const char *, int,
	    int);
struct node	*server_node_find(struct srv_conf *, const uint8_t [KEY_LEN]);

/* conn.c */
void	 conn_accept(int, short, void *);
void	 conn_timer_set(struct conn *, enum conn_timer);
void	 conn_limits_all(void);
void	 conn_free(struct conn *, const char *);
int	 conn_close_error(struct conn *, const char *, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
int	 conn_send(struct conn *, const struct sigmsg *);
int	 conn_send_netmap(struct conn *, int);
int	 conn_send_relays(struct conn *);
void	 conn_flush_netmaps(void);
void	 conn_flush_relays(void);
const char *conn_name(const struct conn *, char *, size_t);

/* netmap.c */
int	 netmap_index(struct srv_conf *);
char	*netmap_encode(struct srv_conf *, struct node *, size_t *);
void	 netmap_sign(struct srv_conf *, const struct srv_conf *);
void	 netmap_resign(struct srv_conf *);
int	 netmap_sees(const struct srv_conf *, const struct sigmsg_peer *,
	    const struct sigmsg_peer *);
int	 netmap_version(struct srv_conf *, struct node *, const char *);
void	 netmap_versions_keep(struct srv_conf *, struct srv_conf *);
void	 relays_fill(const struct srv_conf *, const struct sigmsg_peer *,
	    int64_t, uint64_t, struct sigmsg_relays *);
int	 relays_equal(const struct srv_conf *, const struct srv_conf *);

/* presence.c */
struct relay_node *presence_find(struct srv_conf *, const uint8_t [KEY_LEN]);
int	 presence_hello(struct conn *, const struct sigmsg_hello *);
void	 presence_lost(struct conn *);
int	 presence_handed(const struct relay_node *);
void	 presence_keep(struct srv_conf *, struct srv_conf *);
void	 presence_reload_conn(struct conn *, struct srv_conf *);

/* limit.c */
int	 limit_hs(const struct sockaddr_in6 *, uint32_t, uint64_t);
struct addr_entry *limit_addr_get(const struct sockaddr_in6 *, uint32_t);
void	 limit_addr_put(struct addr_entry *);
void	 limit_log(struct loglimit *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
