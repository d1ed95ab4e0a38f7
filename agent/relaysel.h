/* engine: which STUN/relay server an agent uses (DESIGN.md "Relay selection"). */
#ifndef TERN_RELAYSEL_H
#define TERN_RELAYSEL_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "sigmsg.h"

#define RELAYSEL_ADDR_MAX	SIGMSG_HOST_MAX	/* "host:port" with NUL */
#define RELAYSEL_BOOTSTRAP_MAX	16	/* relay lines taken from ternd.conf */
#define RELAYSEL_DISCOVERED_MAX	SIGMSG_RELAYS_MAX /* one relays message */
#define RELAYSEL_LIST_MAX	(RELAYSEL_BOOTSTRAP_MAX + RELAYSEL_DISCOVERED_MAX)
#define RELAYSEL_NONE		(-1)	/* no relay: the list is empty */
#define RELAYSEL_RTT_FACTOR	2	/* DESIGN.md: "more than 2x slower" */
#define RELAYSEL_RTT_FLOOR_US	5000	/* and 5 ms: above probe jitter */
#define RELAYSEL_REFRESH_SEC	60	/* DESIGN.md: refresh every 60 s */
#define RELAYSEL_FIRST_DELAY_MS	10000	/* DESIGN.md: first refresh in [0, 10 s) */
#define RELAYSEL_FNV_OFFSET	0x811c9dc5U	/* FNV-1a 32-bit offset basis */
#define RELAYSEL_FNV_PRIME	0x01000193U	/* FNV 32-bit prime, 2^24 + 403 */

struct relaysel_list {
	char		 addrs[RELAYSEL_LIST_MAX][RELAYSEL_ADDR_MAX];
	size_t		 n;
};

/* One RTT probe (a STUN Binding from an ephemeral socket) per entry. */
struct relaysel_probe {
	int		 answered;
	uint32_t	 rtt_us;	/* microseconds, if answered */
};

enum relaysel_refresh {
	RELAYSEL_KEEP_LIST,	/* discovery failed: change nothing */
	RELAYSEL_KEEP_PICK,	/* take the new list, keep the relay in use */
	RELAYSEL_SWAP,		/* take the new list and pick again */
};

/*
 * relaysel_merge fills out with the bootstrap entries (at most
 * RELAYSEL_BOOTSTRAP_MAX, verbatim) then the discovered ones (at most
 * RELAYSEL_DISCOVERED_MAX) that are valid "host:port", not a private,
 * loopback, link-local or unspecified literal, and not already listed.
 * It returns how many discovered entries it dropped for being invalid
 * or such a literal.
 */
size_t	 relaysel_merge(const char (*)[RELAYSEL_ADDR_MAX], size_t,
	    const char (*)[RELAYSEL_ADDR_MAX], size_t, struct relaysel_list *);
int	 relaysel_local_literal(const char *);
int	 relaysel_local_sa(const struct sockaddr_in6 *);
int	 relaysel_same(const char *, const char *);
int	 relaysel_find(const struct relaysel_list *, const char *);
uint32_t relaysel_fnv32a(const uint8_t *, size_t);
int	 relaysel_pick(size_t, const uint8_t *, size_t);
int	 relaysel_rtt_override(int, const struct relaysel_probe *, size_t);
enum relaysel_refresh relaysel_refresh_decision(int,
	    const struct relaysel_list *, const char *, const char *,
	    const uint8_t *, size_t);
uint32_t relaysel_first_delay_ms(uint32_t);

#endif
