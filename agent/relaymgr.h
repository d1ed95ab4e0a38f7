/*
 * engine: the relay list (ternd.conf's bootstrap entries, then those
 * tern-signal announces, or relays.json before it answers), the pick
 * (DESIGN.md "Relay selection"), RTT probes, the server-reflexive
 * address from the picked relay, and ternctl netcheck.
 */
#ifndef TERND_RELAYMGR_H
#define TERND_RELAYMGR_H

#include <stddef.h>
#include <stdint.h>

#include "sigmsg.h"
#include "ternd.h"
#include "turnc.h"

/* Once, when the engine starts. */
void	 relaymgr_init(void);

/*
 * The parent's messages: the bootstrap list (again after each reload),
 * the cached list at start, and answers to name lookups.
 */
void	 relaymgr_bootstrap_add(const struct imsg_relay_boot *);
void	 relaymgr_bootstrap_end(void);
void	 relaymgr_cached_add(const char *);
void	 relaymgr_cached_end(int64_t);
void	 relaymgr_resolved(const struct imsg_relay_resolved *);
/* tern-signal's relays message. */
void	 relaymgr_discovered(const struct sigmsg_relays *);
/* Local addresses changed: ask the picked relay for our mapping again. */
void	 relaymgr_local_changed(void);

/*
 * The TURN client of the relay in use: a session wants a relayed
 * candidate; ICE sends a check through it, or asks for a remote's
 * permission; a datagram from the relay's address is given to it first.
 */
void	 relaymgr_turn_want(void);
/* The engine stops: the TURN allocation is released. */
void	 relaymgr_shutdown(void);
int	 relaymgr_turn_send(const uint8_t *, size_t,
	    const struct sockaddr_in6 *);
void	 relaymgr_turn_permit(const struct sockaddr_in6 *);
enum turnc_input relaymgr_turn_input(uint8_t *, size_t,
	    const struct sockaddr_in6 *, struct sockaddr_in6 *, uint8_t **,
	    size_t *);
/*
 * Whether TURN goes over a stream (TCP or TLS) rather than the engine's
 * UDP socket, so that ChannelData is not written in place; and which
 * transport, as enum ctl_turn_transport.
 */
int	 relaymgr_turn_stream(void);
uint32_t relaymgr_turn_transport(void);

/* The relay in use ("" if none) and whether RTT overrode the hash pick. */
const char *relaymgr_current(int *);

/*
 * relaymgr_netcheck probes every relay of the list from both sockets
 * and calls cb(arg, hdr, relays, n) once, at most a few seconds later,
 * never from inside relaymgr_netcheck; -1 if it cannot start one.
 * relaymgr_netcheck_cancel forgets arg's (its ternctl went away).
 */
typedef void	(*relaymgr_netcheck_cb)(void *, const struct ctl_netcheck_hdr *,
		    const struct ctl_netcheck_relay *, size_t);
int	 relaymgr_netcheck(relaymgr_netcheck_cb, void *);
void	 relaymgr_netcheck_cancel(void *);

#endif
