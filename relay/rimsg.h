/* tern-relay: the messages from the parent to the server processes. */
#ifndef TERN_RIMSG_H
#define TERN_RIMSG_H

#include <sys/socket.h>
#include <stdint.h>

#include "imsg.h"
#include "relay/relay.h"

/*
 * Parent -> server.  The sockets come first, then the TLS material if
 * any, then a config; each reload sends a config again.  With a signal
 * statement, server 0 then gets IMSG_RELAY_SIGNAL, and is the only one
 * that may send a message: IMSG_RELAY_SIGNAL_CONNECT, each answered
 * with IMSG_RELAY_SIGNAL_SOCKET.
 */
enum relay_imsg_type {
	IMSG_RELAY_NONE,
	IMSG_RELAY_SOCKET,	/* fd: a bound socket; struct relay_imsg_sock */
	IMSG_RELAY_TLS_CERT,	/* a piece of the certificate chain (PEM) */
	IMSG_RELAY_TLS_KEY,	/* a piece of the private key (PEM) */
	IMSG_RELAY_CONF,	/* struct relay_imsg_conf */
	IMSG_RELAY_SIGNAL,	/* struct relay_imsg_signal, to server 0 */
	IMSG_RELAY_SIGNAL_CONNECT, /* server 0 asks: no payload */
	IMSG_RELAY_SIGNAL_SOCKET, /* fd or none; struct relay_imsg_sigsock */
	IMSG_RELAY_STATS,	/* every server: struct relay_imsg_stats */
};

/* What a listening socket carries. */
enum relay_sock_kind {
	RELAY_SOCK_UDP,
	RELAY_SOCK_TCP,
	RELAY_SOCK_TLS,
};

struct relay_imsg_sock {
	uint32_t		 kind;		/* enum relay_sock_kind */
};

/* A PEM file in pieces that fit an imsg. */
#define RELAY_TLS_CHUNK		8192
#define RELAY_TLS_FILE_MAX	(256 * 1024)	/* a long chain, with room */

/* A server's counts, sent every RELAY_STATS_PUSH_S for the status. */
#define RELAY_STATS_PUSH_S	1
#define RELAY_REFUSALS		8	/* enum turn_refusal's count */
struct relay_imsg_stats {
	uint64_t		 allocs;
	uint64_t		 allocs_made;
	uint64_t		 streams;
	uint64_t		 relayed_msgs;
	uint64_t		 relayed_bytes;
	uint64_t		 refused[RELAY_REFUSALS];
};

/* What the server uses of the config: limits, credentials, peer rules. */
struct relay_imsg_conf {
	uint32_t		 rate;
	uint32_t		 burst;
	uint32_t		 table_size;
	uint32_t		 nsecrets;
	uint32_t		 nrules;
	uint32_t		 index;		/* of this server process */
	uint32_t		 nservers;
	char			 realm[RELAY_REALM_MAX];
	char			 secrets[RELAY_SECRETS_MAX][RELAY_SECRET_MAX];
	struct sockaddr_storage	 relay_addr[2];
	struct relay_peer_rule	 rules[RELAY_PEER_RULES_MAX];
	struct relay_limits	 lim;		/* of this process */
};

/* What server 0 registers with, and as whom. */
struct relay_imsg_signal {
	char			 host[RELAY_HOST_MAX];	/* tern-signal's */
	uint8_t			 server[KEY_LEN];	/* its public key */
	uint8_t			 priv[KEY_LEN];		/* the relay's */
	uint64_t		 generation;	/* drawn at this start, not 0 */
};

#define RELAY_SIGSOCK_MSG_MAX	256	/* why there is no socket */

struct relay_imsg_sigsock {
	int32_t			 error;		/* errno; 0 with an fd */
	char			 msg[RELAY_SIGSOCK_MSG_MAX];
};

#endif
