/*
 * engine: our own STUN Binding requests to relays, from the engine's
 * UDP socket (server-reflexive address, netcheck) or from the probe
 * socket (RTT of each relay).  Retransmits, matches answers by
 * transaction id, and reports each query once.
 */
#ifndef TERND_STUNC_H
#define TERND_STUNC_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "stun.h"

enum stunc_sock {
	STUNC_MAIN = 0,		/* the engine's socket: what peers see */
	STUNC_PROBE,		/* the parent's ephemeral probe socket */
};

/*
 * ok 1: mapped is the XOR-MAPPED-ADDRESS (v4 as v4-mapped) and rtt_us
 * the round trip of the transmission answered; ok 0: no answer in time.
 */
typedef void	(*stunc_cb)(void *, int, const struct sockaddr_in6 *,
		    uint32_t);

/*
 * stunc_init takes the probe socket (-1: none, STUNC_PROBE queries
 * fail).  stunc_query sends a Binding request to server (v4-mapped for
 * IPv4) and calls cb(arg, ...) exactly once, later, never from inside
 * stunc_query; it returns -1 if too many queries are out.
 * stunc_cancel drops every query of arg without calling back.
 * stunc_input takes a STUN message that came to the engine's socket:
 * 1 if it answered one of our queries, 0 if it is not ours.
 */
void	 stunc_init(int);
int	 stunc_query(enum stunc_sock, const struct sockaddr_in6 *, stunc_cb,
	    void *);
void	 stunc_cancel(void *);
int	 stunc_input(const struct stun_msg *, const struct sockaddr_in6 *);

#endif
