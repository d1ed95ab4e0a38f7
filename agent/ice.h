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

/* Called once when the engine starts, and when local addresses change. */
void	 ice_init(void);
void	 ice_set_local(const struct imsg_local_addrs *);

/*
 * ice_start opens a session for p (p->ice), sends our offer through
 * peer_signal_send and checks as soon as the remote's credentials are
 * known; the controlling side is the one with the larger node key.
 * ice_stop releases everything of p's session.  ice_signal takes an
 * offer, answer or candidate that came from p, and opens a session if
 * p has none.
 */
int	 ice_start(struct peer *);
void	 ice_stop(struct peer *);
void	 ice_signal(struct peer *, const struct icemsg *);

/* A datagram on the engine's UDP socket: STUN (ours) or WireGuard? */
int	 ice_is_stun(const uint8_t *, size_t);
void	 ice_input(const uint8_t *, size_t, const struct sockaddr_in6 *);

/* The pair in use: 0 and the addresses and types, or -1 if none. */
int	 ice_pair(const struct peer *, struct sockaddr_in6 *,
	    enum cand_type *, struct sockaddr_in6 *, enum cand_type *);

/*
 * What the rest of the engine provides to ICE (agent/peer.c):
 * peer_signal_send seals m to p's node key and sends it through
 * tern-signal (-1 if there is no connection); peer_path_up makes
 * the selected remote address p's path (state Connected);
 * peer_path_down drops it (ICE failed or the session stopped).
 */
int	 peer_signal_send(struct peer *, const struct icemsg *);
void	 peer_path_up(struct peer *, const struct sockaddr_in6 *);
void	 peer_path_down(struct peer *);

#endif
