/* tern-relay: configuration, the Binding answer and the rate table. */
#ifndef TERN_RELAY_H
#define TERN_RELAY_H

#include <sys/socket.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "stun.h"

#ifndef RELAY_CONF
#define RELAY_CONF		"/etc/tern/tern-relay.conf"
#endif
#ifndef RELAY_USER
#define RELAY_USER		"_tern"
#endif
#ifndef RELAY_CHROOT
#define RELAY_CHROOT		"/var/empty"
#endif

#define RELAY_PORT_DEFAULT	3478	/* RFC 8489 section 6.2.1 */
#define RELAY_LISTEN_MAX	16	/* listen statements */
#define RELAY_REALM_MAX		128	/* RFC 8489 14.9: < 128 characters */
#define RELAY_SECRET_MAX	256	/* shared secret, with NUL */

/* Defaults and bounds of the limits; each can be set in tern-relay.conf. */
#define RELAY_RATE_DEFAULT	20	/* answers/s: a few ICE agents per NAT */
#define RELAY_BURST_DEFAULT	40	/* two seconds' worth */
#define RELAY_RATE_MAX		1000000	/* a whole core's worth */
#define RELAY_TABLE_DEFAULT	65536	/* slots: 1 MiB */
#define RELAY_TABLE_MIN		1	/* every source shares one bucket */
#define RELAY_TABLE_MAX		(1 << 22) /* 64 MiB of slots */
#define RELAY_HASH_KEY_LEN	16	/* crypto_shorthash_KEYBYTES (SipHash) */

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

struct relay_conf {
	struct sockaddr_storage	 listen[RELAY_LISTEN_MAX]; /* with the port */
	size_t			 nlisten;	/* 0: all addresses, port 3478 */
	char			 realm[RELAY_REALM_MAX];
	char			 secret[RELAY_SECRET_MAX];
	uint32_t		 rate;		/* answers/s per source */
	uint32_t		 burst;		/* answers at once per source */
	uint32_t		 table_size;	/* rate table slots */
};

/* One token bucket; tokens are thousandths of an answer. */
struct relay_slot {
	uint64_t		 last_ms;
	uint64_t		 mtokens;
};

/* Fixed at start: sources that hash alike share a slot. */
struct relay_rate {
	struct relay_slot	*slots;
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
