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
 * then the message; the prologue is SIGCHAN_PROLOGUE.  The initiator
 * (ternd, tern-relay) sends message 1, whose payload is a TAI64N
 * timestamp of its wall clock; the responder (tern-signal) refuses one
 * not newer than the last it accepted for that key, so that a message 1
 * sniffed and sent again gets no answer, then answers with message 2,
 * whose payload is empty.
 *
 * Then transport frames (frame.h): 2-byte length, ciphertext.  The
 * plaintext of each frame is one flags byte, then a chunk of a message;
 * a message is the chunks of consecutive frames up to and including one
 * whose flags are SIGCHAN_LAST.  Other flag bits are refused.
 */
/* 2: message 1 carries a timestamp; 1 (no payload) is refused. */
#define SIGCHAN_PROLOGUE	"tern-signal/2"
/* TAI64N: 8 bytes of TAI64 seconds, 4 of nanoseconds, big-endian. */
#define SIGCHAN_TS_LEN		12
#define SIGCHAN_MORE		0x00	/* more chunks of this message follow */
#define SIGCHAN_LAST		0x01	/* the last chunk of a message */
#define SIGCHAN_CHUNK_MAX	(FRAME_PAYLOAD_MAX - 1)
/* The longest a handshake message can be: message 1 with its timestamp. */
#define SIGCHAN_HS_MAX		(NOISE_MSG1_OVERHEAD + SIGCHAN_TS_LEN)

enum sigchan_state {
	SIGCHAN_HS_WAIT = 1,	/* initiator: message 2 due; responder: 1 */
	SIGCHAN_HS_READ,	/* responder: 1 read, sigchan_accept due */
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
	uint8_t			 ts[SIGCHAN_TS_LEN]; /* message 1's */
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
 * sigchan_init_initiator writes message 1, with the timestamp ts (from
 * sigchan_now), to out.  The responder's sigchan_accept writes message 2
 * once the caller has checked the key and timestamp of message 1.
 */
int	 sigchan_init_initiator(struct sigchan *, const uint8_t [KEY_LEN],
	    const uint8_t [KEY_LEN], const uint8_t [SIGCHAN_TS_LEN], size_t,
	    size_t, struct evbuffer *);
void	 sigchan_init_responder(struct sigchan *, const uint8_t [KEY_LEN],
	    size_t, size_t);
int	 sigchan_accept(struct sigchan *, struct evbuffer *);
void	 sigchan_clear(struct sigchan *);
void	 sigchan_now(uint8_t [SIGCHAN_TS_LEN]);
int	 sigchan_ts_newer(const uint8_t [SIGCHAN_TS_LEN],
	    const uint8_t [SIGCHAN_TS_LEN]);

/*
 * Takes what it can from in.  Returns 1 with *msg, *len set when a whole
 * message is ready (valid until the next call; call again for more), 2
 * when the handshake just completed (initiator) or message 1 was read
 * (responder: the remote key is in rs, its timestamp in ts, and nothing
 * is written before sigchan_accept), 0 when more input is needed, -1
 * with err set on a protocol error, after which the channel is
 * SIGCHAN_FAILED.
 */
int	 sigchan_read(struct sigchan *, struct evbuffer *, const uint8_t **,
	    size_t *, char *, size_t);

/* Appends msg, cut into frames, to out.  -1 if not open or on error. */
int	 sigchan_write(struct sigchan *, const void *, size_t,
	    struct evbuffer *);

#endif
