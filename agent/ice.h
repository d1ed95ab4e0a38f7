/*
 * engine: ICE (RFC 8445 subset) between this engine and each peer's.
 * Candidates, offer/answer through tern-signal, connectivity checks
 * with STUN Binding requests on the engine's one UDP socket.
 */
#ifndef TERND_ICE_H
#define TERND_ICE_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "icemsg.h"
#include "ternd.h"

struct peer;
struct ice_sess;

#define ICE_SRFLX_MAX		2	/* one per address family */

/* Called once when the engine starts, and when local addresses change. */
void	 ice_init(void);
void	 ice_set_local(const struct imsg_local_addrs *);

/*
 * ice_start opens a session for p (p->ice), sends our offer through
 * peer_signal_send and checks as soon as the remote's credentials are
 * known; the controlling side is the one with the larger node key.
 * ice_stop releases everything of p's session.  ice_signal takes an
 * offer, answer or candidate that came from p, and opens a session if
 * p has none (answering an offer, offering after a stray answer; a
 * stray candidate is dropped); go-idle from p is ice_stop.  A session
 * that selects no pair in 10 s calls peer_path_down and offers again
 * after 1 s, doubling up to 30 s.
 */
int	 ice_start(struct peer *);
void	 ice_stop(struct peer *);
void	 ice_signal(struct peer *, const struct icemsg *);

/* A datagram on the engine's UDP socket: STUN (ours) or WireGuard? */
int	 ice_is_stun(const uint8_t *, size_t);
void	 ice_input(const uint8_t *, size_t, const struct sockaddr_in6 *);
void	 ice_input_relayed(const uint8_t *, size_t,
	    const struct sockaddr_in6 *);

/* Our relayed address (NULL: none); trickled to the sessions. */
void	 ice_set_relayed(const struct sockaddr_in6 *);

/* The pair in use: 0 and the addresses and types, or -1 if none. */
int	 ice_pair(const struct peer *, struct sockaddr_in6 *,
	    enum cand_type *, struct sockaddr_in6 *, enum cand_type *);
/* The last measured round trip of the pair in use, microseconds; 0 none. */
uint32_t ice_rtt(const struct peer *);

/*
 * ternctl ping: ice_ping sends a Binding request on p's selected pair
 * (through our relay if the pair is relayed), authenticated with the
 * session's credentials, so the remote engine answers it as it answers
 * consent checks; -1 if p has no selected pair or ICE_PINGS_MAX are
 * out.  cb(arg, pong) runs once, from inside ice_input, when the
 * authenticated answer comes from the pair pinged.  An unanswered ping
 * stays out until ice_ping_cancel(arg), which the caller's timeout
 * calls, as it must before arg goes away.
 */
#define ICE_PINGS_MAX		16	/* one per ternctl client, control.c */
struct ice_pong {
	uint32_t		 rtt_us;
	int			 relayed;	/* through our relay */
	int			 remote_relayed; /* to the remote's relayed
						   address: through its relay */
	struct sockaddr_in6	 remote;	/* the pair's remote candidate */
};
typedef void	(*ice_ping_cb)(void *, const struct ice_pong *);
int	 ice_ping(struct peer *, ice_ping_cb, void *);
void	 ice_ping_cancel(void *);

/*
 * Our server-reflexive addresses (v4-mapped for IPv4), at most one per
 * family, as the picked relay saw the engine's socket; n 0 forgets them.
 * New ones go into later offers and are trickled to open sessions.
 */
void	 ice_set_srflx(const struct sockaddr_in6 *, size_t);

/*
 * The core below the engine glue, driven with explicit inputs so that
 * tests run two sessions in one process.  An ice_env is one agent's
 * side: node key, port, local addresses and how to send a datagram.
 * Times are milliseconds of monotime_ms.  ice_run sends
 * what is due at now; ice_next_wake says when it wants to run again
 * (UINT64_MAX: nothing to do).
 */
struct ice_env {
	uint8_t			 nodepub[KEY_LEN];
	uint16_t		 port;
	struct in6_addr		 addrs[TERN_LOCAL_ADDRS_MAX];	/* v4-mapped */
	size_t			 naddrs;
	struct sockaddr_in6	 srflx[ICE_SRFLX_MAX];	/* v4-mapped */
	size_t			 nsrflx;
	struct sockaddr_in6	 relayed;	/* our TURN allocation's */
	int			 has_relayed;
	int			(*send)(const uint8_t *, size_t,
				    const struct sockaddr_in6 *, void *);
	/* Through the relay, from the relayed address; may be NULL. */
	int			(*send_relay)(const uint8_t *, size_t,
				    const struct sockaddr_in6 *, void *);
	/* A remote candidate may send to our relayed address. */
	void			(*permit)(const struct sockaddr_in6 *, void *);
	void			*arg;
};

int	 ice_sess_open(struct peer *, const struct ice_env *, uint64_t);
void	 ice_sess_signal(struct peer *, const struct ice_env *,
	    const struct icemsg *, uint64_t);
void	 ice_sess_input(const uint8_t *, size_t, const struct sockaddr_in6 *,
	    uint64_t);
/* A datagram that came through our relay (Data or ChannelData). */
void	 ice_sess_input_relayed(const uint8_t *, size_t,
	    const struct sockaddr_in6 *, uint64_t);
void	 ice_local_changed(const struct ice_env *, uint64_t);
void	 ice_srflx_changed(const struct ice_env *);
void	 ice_relayed_changed(const struct ice_env *, uint64_t);
void	 ice_run(uint64_t);
uint64_t ice_next_wake(uint64_t);
uint64_t ice_dropped(void);

/* RFC 8445 5.1.2.1 and 6.1.2.3, and our local preference (RFC 8421). */
uint32_t ice_cand_priority(enum cand_type, uint16_t);
uint16_t ice_local_pref(const struct in6_addr *, size_t);
uint64_t ice_pair_priority(uint32_t, uint32_t);

/*
 * What the rest of the engine provides to ICE (agent/peer.c):
 * peer_signal_send seals m to p's node key and sends it through
 * tern-signal (-1 if there is no connection); peer_path_up makes
 * the selected remote address p's path (state Connected), through our
 * relay if its last argument says so;
 * peer_path_down drops it (ICE failed or the session stopped);
 * peer_path_learn takes datagrams from an address that reached us
 * with our credentials while no pair is selected yet.  ICE
 * calls them from inside its own functions: they must not call
 * ice_start, ice_stop or ice_signal.
 */
int	 peer_signal_send(struct peer *, const struct icemsg *);
/* How a path's datagrams go: the last argument of peer_path_up/alt. */
#define ICE_PATH_DIRECT		0	/* straight to the remote */
#define ICE_PATH_OUR_RELAY	1	/* through our relay's allocation */
#define ICE_PATH_THEIR_RELAY	2	/* to the remote's relayed address */
void	 peer_path_up(struct peer *, const struct sockaddr_in6 *, int);
void	 peer_path_down(struct peer *);
void	 peer_path_learn(struct peer *, const struct sockaddr_in6 *, int);
/*
 * peer_path_alt gives the relay path kept beside a direct one (NULL:
 * none any more); peer_path_fresh says an authenticated answer came
 * on the direct path in use.
 */
void	 peer_path_alt(struct peer *, const struct sockaddr_in6 *, int);
void	 peer_path_fresh(struct peer *);

#endif
