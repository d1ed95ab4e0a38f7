/* tern-signal: configuration and shared definitions. */
#ifndef TERN_SIGNAL_H
#define TERN_SIGNAL_H

#include <sys/queue.h>
#include <sys/socket.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>

#include "addr.h"
#include "key.h"
#include "sigmsg.h"

#ifndef SIGNAL_CONF
#define SIGNAL_CONF		"/etc/tern/tern-signal.conf"
#endif
#ifndef SIGNAL_USER
#define SIGNAL_USER		"_tern"
#endif
#ifndef SIGNAL_CHROOT
#define SIGNAL_CHROOT		"/var/empty"
#endif

#define SIGNAL_PORT_DEFAULT	7700
#define SIGNAL_LISTEN_MAX	16	/* listen statements */
#define SIGNAL_NETWORKS_MAX	16	/* network prefixes */
#define SIGNAL_PEERS_MAX	SIGMSG_PEERS_MAX
#define SIGNAL_RELAYS_MAX	SIGMSG_RELAYS_MAX
#define SIGNAL_SECRET_MAX	256	/* relay shared secret, with NUL */

/* Defaults of the limits; each can be set in tern-signal.conf. */
#define SIGNAL_MSG_MAX_DEFAULT		16384	/* bytes an agent may send */
#define SIGNAL_QUEUE_MAX_DEFAULT	(64 * 1024 * 1024) /* per connection */
#define SIGNAL_RATE_DEFAULT		100	/* messages/s per node */
#define SIGNAL_CONN_PER_ADDR_DEFAULT	16	/* per source address */
#define SIGNAL_HS_RATE_DEFAULT		20	/* handshakes/s per address */
/* Handshakes under way at once; each lasts a round trip or two. */
#define SIGNAL_HANDSHAKES_DEFAULT	1024
#define SIGNAL_CRED_LIFETIME_DEFAULT	(24 * 3600) /* TURN credentials */
#define SIGNAL_INACTIVITY_DEFAULT	(15 * 60)

/* Bounds of the limits in tern-signal.conf. */
#define SIGNAL_MSG_MAX_MIN	8192	/* a signal with a SIGMSG_BOX_MAX box */
#define SIGNAL_MSG_MAX_MAX	(1024 * 1024)	/* agents send small messages */
#define SIGNAL_QUEUE_MAX_MIN	(64 * 1024)	/* netmaps of a small mesh */
#define SIGNAL_QUEUE_MAX_MAX	(4ULL * 1024 * 1024 * 1024) /* 4 GiB */
#define SIGNAL_RATE_MAX		100000	/* messages/s per node */
#define SIGNAL_CONN_PER_ADDR_MAX SIGNAL_PEERS_MAX /* a mesh behind one NAT */
#define SIGNAL_HS_RATE_MAX	100000	/* handshakes/s per address */
#define SIGNAL_HANDSHAKES_MAX	65536	/* the parent's open-file limit */
#define SIGNAL_CRED_LIFETIME_MIN 60	/* a minute, as SIGMSG_INACTIVITY_MIN */
#define SIGNAL_CRED_LIFETIME_MAX (30 * 24 * 3600) /* a month */

struct signal_peer {
	TAILQ_ENTRY(signal_peer) entry;
	/* name, node_key, wg_key, addrs, allowed, groups, flags */
	struct sigmsg_peer	 p;
};
TAILQ_HEAD(signal_peer_head, signal_peer);

struct signal_relay {
	TAILQ_ENTRY(signal_relay) entry;
	char			 id[SIGMSG_NAME_MAX];
	char			 address[SIGMSG_HOST_MAX];	/* host:port */
	char			 secret[SIGNAL_SECRET_MAX];
	char			 realm[SIGMSG_CRED_MAX];
	/* With a key the relay registers, and is handed out while up. */
	uint8_t			 key[KEY_LEN];
	int			 has_key;
};
TAILQ_HEAD(signal_relay_head, signal_relay);

struct signal_conf {
	struct sockaddr_storage	 listen[SIGNAL_LISTEN_MAX]; /* with the port */
	size_t			 nlisten;	/* 0: all addresses, default port */
	char			 keyfile[PATH_MAX];
	struct tern_prefix	 networks[SIGNAL_NETWORKS_MAX];
	size_t			 nnetworks;
	int			 lazy;		/* -1 unset, 0 no, 1 yes */
	uint32_t		 inactivity;	/* seconds; 0 unset */
	int			 isolate_groups;/* see only peers of our groups */
	uint32_t		 msg_max;
	uint64_t		 queue_max;
	uint32_t		 rate;
	uint32_t		 conn_per_addr;
	uint32_t		 hs_rate;
	uint32_t		 handshakes;	/* unauthenticated at once */
	uint32_t		 cred_lifetime;	/* seconds */
	int			 has_lock;
	uint8_t			 lock_key[KEY_LEN];	/* network lock */
	struct signal_peer_head	 peers;
	size_t			 npeers;
	struct signal_relay_head relays;
	size_t			 nrelays;
};

/* signal/parse.y */
struct signal_conf	*signal_parse_config(const char *);
struct signal_conf	*signal_conf_new(void);
void			 signal_conf_free(struct signal_conf *);

/* signal/printconf.c */
void	 signal_print_config(FILE *, const struct signal_conf *);

#endif
