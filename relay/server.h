/* tern-relay server process: what its files share. */
#ifndef TERN_RELAY_SERVER_H
#define TERN_RELAY_SERVER_H

#include <event.h>
#include <stddef.h>
#include <stdint.h>

#include "relay/relay.h"
#include "relay/rimsg.h"
#include "relay/turn.h"

/* relay/server.c */
void		 server_clock(void);
struct turn_server *server_turn(void);
struct relay_rate *server_rate(void);
void		 server_log_stats(void);
void		 server_peer_flush(void);
void		 server_to_parent(uint32_t);

/* relay/stream.c: TURN over TCP and TLS (RFC 8656 section 3.1). */
void		 stream_init(void);
int		 stream_tls_setup(struct evbuffer *, struct evbuffer *);
void		 stream_listen(int, int);
void		 stream_send(const struct turn_client *, const uint8_t *,
		    size_t);
void		 stream_tick(uint64_t);
size_t		 stream_count(void);

/* relay/presence.c: server 0's registration with tern-signal. */
void		 presence_start(const struct relay_imsg_signal *);
void		 presence_socket(int, const struct relay_imsg_sigsock *);

#endif
