/*
 * TURN over a byte stream (RFC 8656 12.5, RFC 8489 6.2.2): TCP or TLS
 * carries STUN messages, which their header delimits, and ChannelData,
 * padded to a multiple of 4 bytes.  Used by tern-relay's streams and
 * ternd's TURN client; parses no message, only where one ends.
 */
#ifndef TERN_TURNFRAME_H
#define TERN_TURNFRAME_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

#include "stun.h"

#define TURNFRAME_CD_HDR	4	/* RFC 8656 12.4: number, length */
#define TURNFRAME_ALIGN		4	/* RFC 8656 12.5: padding on streams */
#define TURNFRAME_LEN_MAX	65535	/* either header's 16-bit length */
/* RFC 8656 12: channel numbers 0x4000-0x4fff, RFC 5766's to 0x7fff. */
#define TURNFRAME_CHAN_MIN	0x4000
#define TURNFRAME_CHAN_MAX	0x7fff
/* The longest frame: a STUN message whose length is the largest
 * multiple of 4; ChannelData padded is 65540. */
#define TURNFRAME_MAX		(STUN_HDR_LEN + \
	    (TURNFRAME_LEN_MAX & ~(TURNFRAME_ALIGN - 1)))
#define TURNFRAME_MIN		STUN_HDR_LEN	/* a cap below cannot work */

/*
 * The input of one stream: bytes as they come, whole messages out.
 * The buffer is cap bytes, the longest frame taken; a longer one, or
 * bytes that start neither STUN nor ChannelData, is an error for good
 * (the stream must close: there is no way to find the next frame).
 */
struct turnframe {
	uint8_t		*buf;
	size_t		 cap;
	size_t		 off;		/* first byte not yet taken */
	size_t		 len;		/* bytes held from off */
	int		 error;		/* 1 once framing failed */
};

/*
 * turnframe_len: the length of the frame at the head of p (padding
 * included), 0 while its header or body is incomplete, -1 if it is
 * neither STUN nor ChannelData.
 */
ssize_t	 turnframe_len(const uint8_t *, size_t);

/* 0, or -1 if cap is outside TURNFRAME_MIN..TURNFRAME_MAX or no memory. */
int	 turnframe_init(struct turnframe *, size_t);
void	 turnframe_free(struct turnframe *);
/*
 * Reading: turnframe_space gives where the next read goes and how much
 * it may take (never 0 once turnframe_next returned 0), turnframe_fill
 * says how many bytes the read put there.  turnframe_space moves held
 * bytes to the front, so messages from turnframe_next are valid only
 * until it is called again.
 */
uint8_t	*turnframe_space(struct turnframe *, size_t *);
void	 turnframe_fill(struct turnframe *, size_t);
/*
 * The next whole message: 1 with *msg and *len (ChannelData without its
 * padding, as a datagram carries it; the caller may change its bytes),
 * 0 if more bytes are needed, -1 if the stream must close (then always
 * -1).
 */
int	 turnframe_next(struct turnframe *, uint8_t **, size_t *);

/*
 * Writes ChannelData for chan with data (which may already sit at
 * buf + TURNFRAME_CD_HDR), zero padding after it; returns the frame's
 * length, or 0 if chan is no channel number or cap is too small.
 */
size_t	 turnframe_chandata(uint8_t *, size_t, uint16_t, const uint8_t *,
	    size_t);

#endif
