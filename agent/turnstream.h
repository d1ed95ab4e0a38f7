/*
 * engine: TURN over a byte stream to the relay in use (RFC 8656 3.1),
 * TCP or TLS, when UDP to it does not work.  The parent connects (the
 * sandbox has no connect) and passes the socket; TLS runs over it with
 * libtls, verified against the CA bundle the parent sends.  One stream
 * at a time; the TURN client's messages go out through a bounded queue
 * and whole frames come in (lib/turnframe.h).
 */
#ifndef TERND_TURNSTREAM_H
#define TERND_TURNSTREAM_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "ternd.h"

/* Output held for a slow stream; datagrams beyond it are dropped. */
#define TURNSTREAM_OUTQ_MAX	(256 * 1024)
/* The CA bundle is asked for again after an hour: it may be renewed. */
#define TURNSTREAM_CA_SEC	3600
/* Reads per event: a busy stream does not starve the others. */
#define TURNSTREAM_READS_MAX	64

/*
 * What the relay manager provides: up says the stream carries TURN
 * now; down that it closed or failed, with why (never from inside a
 * turnstream_* call); input is one whole message from the relay, which
 * the callee may change.
 */
struct turnstream_env {
	void	(*up)(void);
	void	(*down)(const char *);
	void	(*input)(uint8_t *, size_t);
};

void	 turnstream_init(const struct turnstream_env *);
/*
 * A stream to relay (as listed) at sa, its port the one to connect to;
 * tls_name is the name TLS verifies, NULL for plain TCP.  Any earlier
 * stream is closed.  0, or -1 if the parent cannot be asked.
 */
int	 turnstream_open(const char *, const struct sockaddr_in6 *,
	    const char *);
void	 turnstream_close(void);
/* Whether a stream is up (connected, and TLS done). */
int	 turnstream_up(void);
/*
 * One TURN message to the relay: STUN as is, ChannelData padded to 4
 * bytes.  0 if queued; -1 if the stream is not up or the queue is full
 * (the message is dropped, and the drops logged when the stream ends).
 */
int	 turnstream_send(const uint8_t *, size_t);

/* The parent's messages (engine.c checked their form). */
void	 turnstream_conn(uint32_t, const struct imsg_relay_conn *, int);
void	 turnstream_ca(const struct imsg_relay_ca *);
void	 turnstream_ca_end(const struct imsg_relay_ca_end *);
/* The highest id of IMSG_RELAY_CONNECT asked so far. */
uint32_t turnstream_last_id(void);

#endif
