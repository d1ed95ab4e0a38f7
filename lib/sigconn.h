/*
 * A sandboxed client's connection to tern-signal: ternd's engine and
 * tern-relay's first server process.  Their parent opens the TCP socket
 * (a sandbox has no connect); this runs the Noise handshake, keeps the
 * connection alive with pings, notices a silent server, and retries with
 * exponential backoff and jitter.  Messages go to the caller.
 */
#ifndef TERN_SIGCONN_H
#define TERN_SIGCONN_H

#include <event.h>
#include <stdint.h>
#include <time.h>

#include "key.h"
#include "sigchan.h"
#include "sigmsg.h"

#define SIGCONN_BACKOFF_MIN_MS	1000	/* first retry after about 1 s */
#define SIGCONN_BACKOFF_MAX_MS	30000	/* issue 3: capped at 30 s */
#define SIGCONN_CONNECT_TIMEOUT	10	/* seconds for TCP and handshake */
#define SIGCONN_PING_INTERVAL	15	/* tern-signal closes after 60 s idle */
#define SIGCONN_DEAD_AFTER	45	/* three pings unanswered */
#define SIGCONN_ERR_MAX		256	/* why the last attempt failed */

enum sigconn_state {
	SIGCONN_DOWN = 1,	/* waiting to retry, or for a socket */
	SIGCONN_CONNECTING,	/* TCP connect, handshake, until sigconn_up */
	SIGCONN_UP,		/* the caller heard what it waited for */
};

struct sigconn;

struct sigconn_ops {
	/* Ask the parent for a socket; the answer goes to sigconn_socket. */
	void	(*want_socket)(struct sigconn *);
	/* The handshake is done: fill in the hello to send. */
	void	(*hello)(struct sigconn *, struct sigmsg *);
	/* A message other than ping and pong; it may fail the connection. */
	void	(*dispatch)(struct sigconn *, const struct sigmsg *);
};

struct sigconn {
	const struct sigconn_ops *ops;
	void			*arg;		/* the caller's */
	enum sigconn_state	 state;
	int			 fd;
	int			 waiting;	/* for the parent's socket */
	struct event		 ev_read;
	struct event		 ev_write;
	struct event		 ev_timer;
	struct evbuffer		*in;
	struct evbuffer		*out;
	struct sigchan		 ch;
	char			 host[SIGMSG_HOST_MAX];
	uint8_t			 priv[KEY_LEN];
	uint8_t			 server[KEY_LEN];
	uint32_t		 backoff_ms;
	time_t			 since;		/* of the last state change */
	time_t			 deadline;	/* of connect and handshake */
	time_t			 last_rx;
	time_t			 last_ping;
	uint32_t		 ping_seq;
	char			 error[SIGCONN_ERR_MAX];
	int			 server_error;	/* error holds the server's */
};

void	 sigconn_init(struct sigconn *, const struct sigconn_ops *, void *);
void	 sigconn_start(struct sigconn *, const char *, const uint8_t [KEY_LEN],
	    const uint8_t [KEY_LEN]);
void	 sigconn_socket(struct sigconn *, int, const char *);
int	 sigconn_send(struct sigconn *, const struct sigmsg *);
void	 sigconn_up(struct sigconn *);
void	 sigconn_fail(struct sigconn *, const char *, ...)
	    __attribute__((__format__ (printf, 2, 3)));
void	 sigconn_server_error(struct sigconn *, const struct sigmsg_error *);

#endif
