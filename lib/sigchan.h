/*
 * The channel between ternd and tern-signal over one TCP stream: a Noise
 * IK handshake, then messages of any size cut into transport frames.
 * No I/O here: bytes come in and go out through libevent evbuffers, so
 * the server, the agent and the load client share one implementation.
 */
#ifndef TERN_SIGCHAN_H
#define TERN_SIGCHAN_H

#include <stddef.h>
#include <stdint.h>

#include <event2/buffer.h>

#include "frame.h"
#include "key.h"
#include "noise.h"

/*
 * Wire format.
 *
 * Handshake: each Noise message is sent as a 2-byte big-endian length,
 * then the message; the prologue is SIGCHAN_PROLOGUE and both payloads
 * are empty.  The initiator (ternd) sends message 1, the responder
 * (tern-signal) answers with message 2.
 *
 * Then transport frames (frame.h): 2-byte length, ciphertext.  The
 * plaintext of each frame is one flags byte, then a chunk of a message;
 * a message is the chunks of consecutive frames up to and including one
 * whose flags are SIGCHAN_LAST.  Other flag bits are refused.
 */
#define SIGCHAN_PROLOGUE	"tern-signal/1"
#define SIGCHAN_MORE		0x00	/* more chunks of this message follow */
#define SIGCHAN_LAST		0x01	/* the last chunk of a message */
#define SIGCHAN_CHUNK_MAX	(FRAME_PAYLOAD_MAX - 1)
/* The longest a handshake message can be: message 1 with no payload. */
#define SIGCHAN_HS_MAX		NOISE_MSG1_OVERHEAD

enum sigchan_state {
	SIGCHAN_HS_WAIT = 1,	/* initiator: message 2 due; responder: 1 */
	SIGCHAN_OPEN,		/* transport */
	SIGCHAN_FAILED,		/* out of step for good: close it */
};

struct sigchan {
	enum sigchan_state	 state;
	int			 initiator;
	struct noise_hs		 hs;
	struct noise_cs		 tx;
	struct noise_cs		 rx;
	uint8_t			 rs[KEY_LEN];	/* the remote's static key */
	size_t			 frame_max;	/* largest frame accepted */
	size_t			 msg_max;	/* largest message accepted */
	uint8_t			*msg;		/* message being reassembled */
	size_t			 msglen;
	size_t			 msgcap;
	int			 delivered;	/* msg was handed out */
};

/*
 * Limits are for input: frame_max counts the whole frame with its
 * header (at most FRAME_MAX), msg_max the reassembled message.
 * sigchan_init_initiator writes message 1 to out.
 */
int	 sigchan_init_initiator(struct sigchan *, const uint8_t [KEY_LEN],
	    const uint8_t [KEY_LEN], size_t, size_t, struct evbuffer *);
void	 sigchan_init_responder(struct sigchan *, const uint8_t [KEY_LEN],
	    size_t, size_t);
void	 sigchan_clear(struct sigchan *);

/*
 * Takes what it can from in.  Returns 1 with *msg, *len set when a whole
 * message is ready (valid until the next call; call again for more), 2
 * when the handshake just completed (responder: message 2 is in out;
 * the remote key is in rs), 0 when more input is needed, -1 with err
 * set on a protocol error, after which the channel is SIGCHAN_FAILED.
 */
int	 sigchan_read(struct sigchan *, struct evbuffer *, struct evbuffer *,
	    const uint8_t **, size_t *, char *, size_t);

/* Appends msg, cut into frames, to out.  -1 if not open or on error. */
int	 sigchan_write(struct sigchan *, const void *, size_t,
	    struct evbuffer *);

#endif
