/* Length-prefixed Noise transport frames over a TCP stream. */
#ifndef TERN_FRAME_H
#define TERN_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "noise.h"

#define FRAME_HDR_LEN	2	/* big-endian length of the ciphertext */
#define FRAME_MAX	65535	/* largest frame on the wire, header included */
#define FRAME_CT_MAX	(FRAME_MAX - FRAME_HDR_LEN)
#define FRAME_OVERHEAD	(FRAME_HDR_LEN + NOISE_TAG_LEN)
#define FRAME_PAYLOAD_MAX (FRAME_MAX - FRAME_OVERHEAD)

/* Reassembles one frame at a time from stream input of any split. */
struct frame_dec {
	struct noise_cs	*cs;
	uint8_t		 buf[FRAME_MAX];
	size_t		 len;		/* bytes of the current frame held */
	size_t		 need;		/* its size, once the header is in */
	int		 failed;
};

int	 frame_encode(struct noise_cs *, const uint8_t *, size_t, uint8_t *,
	    size_t, size_t *);
int	 frame_ctlen(const uint8_t [FRAME_HDR_LEN], size_t *);
int	 frame_open(struct noise_cs *, const uint8_t *, size_t, uint8_t *,
	    size_t, size_t *);
void	 frame_dec_init(struct frame_dec *, struct noise_cs *);
int	 frame_dec_next(struct frame_dec *, const uint8_t **, size_t *,
	    uint8_t *, size_t, size_t *);

#endif
