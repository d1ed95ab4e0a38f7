/* tern-signal: the messages from the parent to the server process. */
#ifndef TERN_SIGIMSG_H
#define TERN_SIGIMSG_H

#include <stdint.h>

#include "imsg.h"
#include "key.h"
#include "signal.h"

/*
 * Parent -> server only; the server sends nothing back.  A config is
 * IMSG_SCONF_START, npeers IMSG_SCONF_PEER, nrelays IMSG_SCONF_RELAY,
 * then IMSG_SCONF_END; the server applies it at the end marker.
 */
enum sig_imsg_type {
	IMSG_SIG_NONE,
	IMSG_SIG_LISTEN,	/* fd: a listening TCP socket, no payload */
	IMSG_SIG_KEY,		/* struct sig_imsg_key */
	IMSG_SCONF_START,	/* struct sig_imsg_conf */
	IMSG_SCONF_PEER,	/* struct sigmsg_peer */
	IMSG_SCONF_RELAY,	/* struct sig_imsg_relay */
	IMSG_SCONF_END,		/* no payload */
};

/* The Noise key and the signing key, both from the key file's seed. */
struct sig_imsg_key {
	uint8_t			 priv[KEY_LEN];
	uint8_t			 sign_sk[NMSIGN_SK_LEN];
};

struct sig_imsg_conf {
	int32_t			 lazy;		/* -1 unset, 0 no, 1 yes */
	uint32_t		 inactivity;
	uint32_t		 isolate_groups;
	uint32_t		 msg_max;
	uint64_t		 queue_max;
	uint32_t		 rate;
	uint32_t		 conn_per_addr;
	uint32_t		 hs_rate;
	uint32_t		 handshakes;
	uint32_t		 cred_lifetime;
	uint32_t		 npeers;
	uint32_t		 nrelays;
};

struct sig_imsg_relay {
	char			 id[SIGMSG_NAME_MAX];
	char			 address[SIGMSG_HOST_MAX];
	char			 secret[SIGNAL_SECRET_MAX];
	char			 realm[SIGMSG_CRED_MAX];
	uint8_t			 key[KEY_LEN];	/* if has_key */
	uint32_t		 has_key;
};

/* The queue must hold a whole config: every peer and relay at once. */
#define SIGNAL_PRIV_OUTQ_MAX	((size_t)SIGNAL_PEERS_MAX * \
	    (IMSG_HEADER_SIZE + sizeof(struct sigmsg_peer)) + \
	    (size_t)SIGNAL_RELAYS_MAX * \
	    (IMSG_HEADER_SIZE + sizeof(struct sig_imsg_relay)) + IMSG_OUTQ_MAX)

#endif
