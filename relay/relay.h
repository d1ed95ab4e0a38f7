/* tern-relay: configuration, the Binding answer and the rate table. */
#ifndef TERN_RELAY_H
#define TERN_RELAY_H

#include <sys/socket.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "key.h"
#include "stun.h"
#include "tokenbucket.h"
#include "relay/peer_policy.h"

#ifndef RELAY_CONF
#define RELAY_CONF		"/etc/tern/tern-relay.conf"
#endif
#ifndef RELAY_USER
#define RELAY_USER		"_tern"
#endif
#ifndef RELAY_CONTROL
#define RELAY_CONTROL		"/var/run/tern-relay/control.sock"
#endif
#ifndef RELAY_CHROOT
#define RELAY_CHROOT		"/var/empty"
#endif

#define RELAY_PORT_DEFAULT	3478	/* RFC 8489 section 6.2.1 */
#define RELAY_LISTEN_MAX	16	/* listen statements */
#define RELAY_REALM_MAX		128	/* RFC 8489 14.9: < 128 characters */
#define RELAY_REALM_DEFAULT	"tern"	/* what tern-signal.conf examples use */
#define RELAY_SECRET_MAX	256	/* shared secret, with NUL */
#define RELAY_SECRETS_MAX	4	/* secrets at once, for rotation */
#define RELAY_TLS_PORT_DEFAULT	5349	/* RFC 8656 section 4: TURN over TLS */
#define RELAY_HOST_MAX		256	/* tern-signal's "host:port", with NUL */

/* Defaults and bounds of the limits; each can be set in tern-relay.conf. */
#define RELAY_RATE_DEFAULT	20	/* answers/s: a few ICE agents per NAT */
#define RELAY_BURST_DEFAULT	40	/* two seconds' worth */
#define RELAY_RATE_MAX		1000000	/* a whole core's worth */
#define RELAY_TABLE_DEFAULT	65536	/* slots: 1 MiB */
#define RELAY_TABLE_MIN		1	/* every source shares one bucket */
#define RELAY_TABLE_MAX		(1 << 22) /* 64 MiB of slots */
#define RELAY_HASH_KEY_LEN	16	/* crypto_shorthash_KEYBYTES (SipHash) */

/* TURN's limits; each can be set in tern-relay.conf. */
#define RELAY_ALLOCS_DEFAULT	4096	/* in all, shared by the processes */
#define RELAY_ALLOCS_USER_DEFAULT 16	/* a host needs one per relay */
#define RELAY_ALLOCS_SRC_DEFAULT 64	/* a NAT full of hosts, or a /64 */
#define RELAY_PERMS_DEFAULT	32	/* peers per allocation */
#define RELAY_CHANS_DEFAULT	32	/* channels per allocation */
#define RELAY_BPS_DEFAULT	(16ULL * 1024 * 1024)	/* 134 Mbit/s a relayed pair */
#define RELAY_TOTAL_BPS_DEFAULT	(1024ULL * 1024 * 1024)	/* in all */
#define RELAY_NONCE_LIFETIME_DEFAULT 600 /* s: outlives a Refresh cycle */
#define RELAY_AUTHFAIL_RATE_DEFAULT 5	/* failed requests/s per source */
#define RELAY_ALLOCS_MAX	262144	/* two descriptors each */
#define RELAY_PERMS_MAX		1024
#define RELAY_CHANS_MAX		4096	/* RFC 8656 12: 0x4000 to 0x4fff */
#define RELAY_BPS_MIN		1024	/* below that no WireGuard packet fits */
#define RELAY_NONCE_LIFETIME_MIN 30	/* s: time for one exchange */
#define RELAY_NONCE_LIFETIME_MAX 86400
#define RELAY_SERVERS_MAX	64	/* server processes */
#define RELAY_PORT_LO_DEFAULT	49152	/* RFC 8656 7.2: the dynamic range */
#define RELAY_PORT_HI_DEFAULT	65535

/* XOR-MAPPED-ADDRESS of an IPv6 address: RFC 8489 section 14.2. */
#define RELAY_XMA_V6_LEN	(STUN_ATTR_HDR_LEN + 20)
/*
 * The most an answer adds to its request: the address and FINGERPRINT.
 * An RFC 3489 answer's MAPPED-ADDRESS is as long, with no FINGERPRINT.
 */
#define RELAY_GROWTH_MAX	(RELAY_XMA_V6_LEN + STUN_ATTR_HDR_LEN + \
	    STUN_FP_LEN)
/* An answer: header, XOR-MAPPED-ADDRESS and FINGERPRINT, nothing else. */
#define RELAY_ANSWER_MAX	(STUN_HDR_LEN + RELAY_GROWTH_MAX)

/* What a server process enforces of TURN. */
struct relay_limits {
	uint32_t		 allocs;	/* of one process */
	uint32_t		 allocs_user;
	uint32_t		 allocs_src;	/* per IPv4 address or IPv6 /64 */
	uint32_t		 perms;		/* per allocation */
	uint32_t		 chans;		/* per allocation */
	uint32_t		 nonce_lifetime; /* s */
	uint32_t		 authfail_rate;	/* failures/s per source */
	uint16_t		 port_lo;	/* relayed ports */
	uint16_t		 port_hi;
	uint64_t		 bps;		/* bytes/s per allocation */
	uint64_t		 total_bps;	/* bytes/s of one process */
};

struct relay_conf {
	struct sockaddr_storage	 listen[RELAY_LISTEN_MAX]; /* with the port */
	size_t			 nlisten;	/* 0: all addresses, port 3478 */
	struct sockaddr_storage	 tls_listen[RELAY_LISTEN_MAX];
	size_t			 ntls;
	char			 tls_cert[PATH_MAX];
	char			 tls_key[PATH_MAX];
	char			 realm[RELAY_REALM_MAX];
	char			 secrets[RELAY_SECRETS_MAX][RELAY_SECRET_MAX];
	size_t			 nsecrets;
	uint32_t		 rate;		/* answers/s per source */
	uint32_t		 burst;		/* answers at once per source */
	uint32_t		 table_size;	/* rate table slots */
	/* Where relayed sockets bind, one per family; AF_UNSPEC: none. */
	struct sockaddr_storage	 relay_addr[2];
	struct relay_peer_rule	 rules[RELAY_PEER_RULES_MAX];
	size_t			 nrules;
	struct relay_limits	 lim;		/* allocs and bps: in all */
	uint32_t		 servers;	/* processes; 0: one per core */
	char			 control[PATH_MAX];	/* control socket */
	/* tern-signal to register with; "" for none. */
	char			 signal_host[RELAY_HOST_MAX];
	uint8_t			 signal_key[KEY_LEN];	/* its public key */
	char			 keyfile[PATH_MAX];	/* ours, private */
};

/* Fixed at start: sources that hash alike share a slot. */
struct relay_rate {
	struct tokenbucket	*slots;
	size_t			 nslots;
	uint64_t		 rate;
	uint64_t		 burst;
	uint8_t			 key[RELAY_HASH_KEY_LEN];
};

/* relay/parse.y */
struct relay_conf	*relay_parse_config(const char *);
struct relay_conf	*relay_conf_new(void);
void			 relay_conf_free(struct relay_conf *);

/* relay/printconf.c */
void	 relay_print_config(FILE *, const struct relay_conf *);

/* relay/binding.c */
size_t	 relay_binding_answer(const uint8_t *, size_t, const struct sockaddr *,
	    uint8_t *, size_t);

/* relay/ratelimit.c */
int	 relay_rate_init(struct relay_rate *, size_t, uint32_t, uint32_t,
	    const uint8_t [RELAY_HASH_KEY_LEN]);
void	 relay_rate_free(struct relay_rate *);
int	 relay_rate_allow(struct relay_rate *, const struct sockaddr *,
	    uint64_t);

/* relay/server.c */
__attribute__((noreturn)) void relay_server_main(const char *,
	    const char *, int, int);

#endif
