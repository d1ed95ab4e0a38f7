/* ICE offer/answer payloads that peers seal inside signal messages. */
#ifndef TERN_ICEMSG_H
#define TERN_ICEMSG_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "seal.h"
#include "sigmsg.h"

/*
 * Wire format: one JSON object, at most ICEMSG_MAX bytes, as strict as
 * sigmsg.h's (unknown members ignored, known ones checked). An "ice-char"
 * string is of A-Z a-z 0-9 + / (RFC 8445 section 15.1).
 *
 * offer, answer (the session's credentials and all its candidates):
 *	ufrag		ice-char, ICEMSG_UFRAG_MIN..ICEMSG_UFRAG_MAX - 1
 *	pwd		ice-char, ICEMSG_PWD_MIN..ICEMSG_PWD_MAX - 1
 *	candidates	[candidate...], at most ICEMSG_CANDS_MAX
 *	tie_breaker?	16 hex digits, the sender's 64-bit tie-breaker
 * candidate (more candidates of the session of that ufrag):
 *	ufrag		as above
 *	candidates	as above, at least one
 * go-idle (the sender tears down its path to us): no members
 *   candidate:
 *	foundation	ice-char, 1..ICEMSG_FOUNDATION_MAX - 1
 *	priority	integer 1..4294967295
 *	type		"host", "srflx", "prflx" or "relay"
 *	address		IPv4 or IPv6 literal
 *	port		integer 1..65535
 */

/* What a sealed payload may hold inside a signal box. */
#define ICEMSG_MAX		(SIGMSG_BOX_MAX - SEAL_OVERHEAD - SEAL_HDR_LEN)
#define ICEMSG_CANDS_MAX	20	/* ours: host, srflx, relay of a few */
#define ICEMSG_UFRAG_MIN	4	/* RFC 8445 section 5.3 */
#define ICEMSG_UFRAG_MAX	257	/* RFC 8839 ice-ufrag 4*256, with NUL */
#define ICEMSG_PWD_MIN		22	/* RFC 8445 section 5.3 */
#define ICEMSG_PWD_MAX		257	/* RFC 8839 ice-pwd 22*256, with NUL */
#define ICEMSG_FOUNDATION_MAX	33	/* RFC 8445 5.1.1.3: 1*32, with NUL */
#define ICEMSG_PRIORITY_MAX	4294967295LL	/* RFC 8445 5.1.2: 32 bits */
#define ICEMSG_PORT_MAX		65535	/* a UDP port is 16 bits */

enum icemsg_type {
	ICEMSG_OFFER = 1,
	ICEMSG_ANSWER,
	ICEMSG_CANDIDATE,
	ICEMSG_GO_IDLE,
};

/* Candidate types as the wire and the engine (enum cand_type) name them. */
enum icemsg_cand_type {
	ICEMSG_HOST = 1,
	ICEMSG_SRFLX,
	ICEMSG_PRFLX,
	ICEMSG_RELAY,
};

struct icemsg_cand {
	char			 foundation[ICEMSG_FOUNDATION_MAX];
	uint32_t		 priority;
	enum icemsg_cand_type	 type;
	struct sockaddr_in6	 addr;		/* v4 as v4-mapped */
};

struct icemsg {
	enum icemsg_type	 type;
	char			 ufrag[ICEMSG_UFRAG_MAX];
	char			 pwd[ICEMSG_PWD_MAX];
	int			 has_tie_breaker;
	uint64_t		 tie_breaker;
	struct icemsg_cand	 cands[ICEMSG_CANDS_MAX];
	size_t			 ncands;
};

/*
 * icemsg_parse fills out and returns 0, or writes why into err and
 * returns -1. icemsg_encode returns a malloc'ed NUL-terminated JSON text
 * of *len bytes, or NULL if out of memory or m is not valid (a field
 * icemsg_parse would refuse).
 */
int	 icemsg_parse(const char *, size_t, struct icemsg *, char *, size_t);
char	*icemsg_encode(const struct icemsg *, size_t *);
const char *icemsg_type_name(enum icemsg_type);
const char *icemsg_cand_type_name(enum icemsg_cand_type);

#endif
