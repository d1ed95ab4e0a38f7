/* tern-relay server: TURN allocations (RFC 8656) and their limits. */
#ifndef TERN_TURN_H
#define TERN_TURN_H

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/queue.h>
#include <sys/tree.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "stun.h"
#include "relay/peer_policy.h"
#include "relay/relay.h"
#include "relay/turn_auth.h"

#define TURN_LIFETIME_DEFAULT	600	/* s, RFC 8656 section 3.2 */
#define TURN_LIFETIME_MAX	3600	/* s, RFC 8656 section 3.2 */
#define TURN_PERM_LIFETIME	300	/* s, RFC 8656 section 9 */
#define TURN_CHAN_LIFETIME	600	/* s, RFC 8656 section 12 */
#define TURN_CHAN_MIN		0x4000	/* RFC 8656 section 12 */
/* RFC 8656 12 ends at 0x4fff; RFC 5766 11, which coturn's clients
 * follow, at 0x7fff, and the two bits still tell ChannelData apart. */
#define TURN_CHAN_MAX		0x7fff
#define TURN_CD_HDR_LEN		4	/* ChannelData: number, length */
#define TURN_PORT_MIN		49152	/* RFC 8656 section 7.2: dynamic */
#define TURN_PORT_MAX		65535
/* Largest datagram relayed: a UDP payload. */
#define TURN_DATA_MAX		65507
/* Data indication around a datagram: XOR-PEER-ADDRESS (v6) and DATA. */
#define TURN_DATA_IND_OVERHEAD	(STUN_HDR_LEN + STUN_ATTR_HDR_LEN + 20 + \
	    STUN_ATTR_HDR_LEN + 3)
#define TURN_FAMILIES		2	/* one relayed address per family */
#define TURN_TOKEN_LEN		8	/* RFC 8656 18.9: RESERVATION-TOKEN */
#define TURN_RESV_LIFETIME	30	/* s, RFC 8656 section 7.2 */

/* How a client reaches us: a UDP listener and its address, or a stream. */
struct turn_client {
	uint32_t		 via;		/* listener index or stream id */
	int			 stream;	/* 1: TCP or TLS */
	struct sockaddr_storage	 addr;
};

struct turn_perm {
	struct sockaddr_storage	 peer;		/* port ignored */
	uint64_t		 expires_ms;
};

struct turn_chan {
	struct sockaddr_storage	 peer;
	uint64_t		 expires_ms;
	uint16_t		 number;
};

struct turn_alloc {
	RB_ENTRY(turn_alloc)	 entry;
	struct turn_client	 client;
	int			 fd[TURN_FAMILIES];	/* -1: none */
	struct sockaddr_storage	 relayed[TURN_FAMILIES];
	uint64_t		 expires_ms;
	uint8_t			 tid[STUN_TID_LEN];	/* of the Allocate */
	char			 user[STUN_USERNAME_MAX + 1];
	uint8_t			 key[STUN_LTKEY_LEN];
	struct turn_perm	*perms;
	size_t			 nperms;
	struct turn_chan	*chans;
	size_t			 nchans;
	struct tokenbucket	 bucket;	/* bytes */
	uint64_t		 rx_bytes;	/* from the client */
	uint64_t		 tx_bytes;	/* to the client */
	void			*ev[TURN_FAMILIES];	/* the server's */
};
RB_HEAD(turn_tree, turn_alloc);

/* The odd port after an EVEN-PORT allocation, held for a later one. */
struct turn_resv {
	TAILQ_ENTRY(turn_resv)	 entry;
	uint8_t			 token[TURN_TOKEN_LEN];
	int			 fd;
	int			 fi;
	struct sockaddr_storage	 addr;
	uint64_t		 expires_ms;
};
TAILQ_HEAD(turn_resvs, turn_resv);

/* Why requests were refused, for the operator's view. */
enum turn_refusal {
	TURN_REF_AUTH,		/* 401, 438, 441 */
	TURN_REF_PEER,		/* 403: peer address policy */
	TURN_REF_QUOTA,		/* 486 */
	TURN_REF_CAPACITY,	/* 508 */
	TURN_REF_MISMATCH,	/* 437 */
	TURN_REF_BAD,		/* 400, 420, 440, 442, 443 */
	TURN_REF_BANDWIDTH,	/* datagrams dropped over a bandwidth limit */
	TURN_REF_NOPERM,	/* datagrams without a permission */
	TURN_REF_COUNT
};

struct turn_stats {
	uint64_t		 allocs_made;
	uint64_t		 relayed_msgs;
	uint64_t		 relayed_bytes;
	uint64_t		 refused[TURN_REF_COUNT];
};

/* What the server process gives the TURN code to do its I/O with. */
struct turn_ops {
	/* A relayed socket was made (on) or is about to close (off). */
	void	(*watch)(struct turn_alloc *, int, int);
	/* Queues a datagram to a peer; NULL: sent at once with sendto. */
	void	(*send)(int, const struct sockaddr *, const uint8_t *, size_t);
};

struct turn_server {
	struct turn_tree	 allocs;
	size_t			 nallocs;
	struct turn_resvs	 resvs;
	size_t			 nresvs;	/* count as allocations */
	struct relay_limits	 lim;
	struct turn_auth	 auth;
	struct relay_peer_rule	 rules[RELAY_PEER_RULES_MAX];
	size_t			 nrules;
	/* Where relayed sockets bind; AF_UNSPEC: that family is not served. */
	struct sockaddr_storage	 relay_addr[TURN_FAMILIES];
	struct tokenbucket	 total;		/* bytes */
	struct turn_stats	 stats;
	struct relay_rate	*unauth;	/* answers before authentication */
	struct relay_rate	*authfail;	/* failed authentications */
	const struct turn_ops	*ops;
	uint64_t		 now_ms;	/* monotonic */
	time_t			 now;		/* wall clock, for credentials */
};

void	 turn_init(struct turn_server *, const struct turn_ops *);
void	 turn_clock(struct turn_server *, uint64_t, time_t);
int	 turn_has_alloc(struct turn_server *, const struct turn_client *);
/* 1 if a datagram or stream frame starts as ChannelData. */
int	 turn_is_channel_data(const uint8_t *, size_t);
/* A client's message (not Binding): the answer's length, 0 for none. */
size_t	 turn_client_msg(struct turn_server *, const struct turn_client *,
	    const uint8_t *, size_t, uint8_t *, size_t);
/* A peer's datagram on a relayed socket: what to send to the client. */
size_t	 turn_peer_msg(struct turn_server *, struct turn_alloc *,
	    const struct sockaddr *, const uint8_t *, size_t, uint8_t *,
	    size_t);
/* Drops expired allocations, permissions and channels. */
void	 turn_expire(struct turn_server *);
/* A stream closed: its allocation goes. */
void	 turn_stream_closed(struct turn_server *, const struct turn_client *);
void	 turn_free_all(struct turn_server *);
/* 1 when the family index names a relayed address, for the receive path. */
int	 turn_family_index(int);
const char *turn_refusal_name(enum turn_refusal);
/* Counts a refusal and logs it, each kind at most once a second. */
void	 turn_refused(struct turn_server *, enum turn_refusal,
	    const struct sockaddr_storage *, const char *);

#endif
