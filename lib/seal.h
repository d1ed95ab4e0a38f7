/* End-to-end sealing of signal messages between two node keys. */
#ifndef TERN_SEAL_H
#define TERN_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include "key.h"

#define SEAL_NONCE_LEN	24	/* crypto_box (XSalsa20) nonce */
#define SEAL_MAC_LEN	16	/* crypto_box Poly1305 tag */
#define SEAL_OVERHEAD	(SEAL_NONCE_LEN + SEAL_MAC_LEN)

/*
 * Inside the box, before the payload, a sealed signal says who sealed
 * it for whom, in which run of the sender, and its place in that run:
 *	format		1 byte, SEAL_FORMAT (format 1, before it, was the
 *			bare JSON payload: its first byte is '{')
 *	from, to	KEY_LEN bytes each, node keys
 *	session		8 bytes: microseconds since the epoch when the
 *			sender's engine started, then 8 random bytes
 *	counter		8 bytes, strictly increasing over the session
 * Numbers are big-endian.
 */
#define SEAL_FORMAT	2
#define SEAL_U64_LEN	8
#define SEAL_HDR_LEN	(1 + 2 * KEY_LEN + 4 * SEAL_U64_LEN)

struct seal_session {
	uint64_t	 time;		/* microseconds since the epoch */
	uint64_t	 rand;
};

struct seal_hdr {
	uint8_t			 from[KEY_LEN];
	uint8_t			 to[KEY_LEN];
	struct seal_session	 sess;
	uint64_t		 counter;
};

/* What a receiver remembers of one sender: its newest session. */
struct seal_replay {
	int			 seen;
	struct seal_session	 sess;
	uint64_t		 counter;	/* the last one accepted */
};

/* seal_sig_open's and seal_check's verdicts. */
enum seal_verdict {
	SEAL_OK = 0,
	SEAL_EOPEN,		/* forged, cut or not for us */
	SEAL_EFORMAT,		/* opens, but another format */
	SEAL_EREFLECTED,	/* our own message sent back to us */
	SEAL_ENOTFOR,		/* sealed for another node */
	SEAL_ESENDER,		/* from another node than the server says */
	SEAL_EOLDSESSION,	/* a session older than the newest seen */
	SEAL_EREPLAY,		/* counter not above the last accepted */
};

int	 seal_box(const uint8_t *, size_t, const uint8_t [KEY_LEN],
	    const uint8_t [KEY_LEN], uint8_t *, size_t, size_t *);
int	 seal_open(const uint8_t *, size_t, const uint8_t [KEY_LEN],
	    const uint8_t [KEY_LEN], uint8_t *, size_t, size_t *);
void	 seal_session_new(struct seal_session *);
int	 seal_sig(const struct seal_hdr *, const uint8_t *, size_t,
	    const uint8_t [KEY_LEN], uint8_t *, size_t, size_t *);
enum seal_verdict seal_sig_open(const uint8_t *, size_t,
	    const uint8_t [KEY_LEN], const uint8_t [KEY_LEN],
	    struct seal_hdr *, uint8_t *, size_t, size_t *);
enum seal_verdict seal_check(struct seal_replay *, const struct seal_hdr *,
	    const uint8_t [KEY_LEN], const uint8_t [KEY_LEN]);
const char *seal_verdict_text(enum seal_verdict);

#endif
