/*
 * engine: the TURN client (RFC 8656) of the relay in use.  One
 * allocation at a time, over UDP from the engine's socket; permissions
 * and channels per remote address; ChannelData for WireGuard datagrams
 * and ICE checks, Send indications until a channel is bound.
 *
 * The core is driven with explicit inputs (times in milliseconds of
 * monotime_ms) so that tests run it against a server they script.
 */
#ifndef TERND_TURNC_H
#define TERND_TURNC_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "ternd.h"

#define TURNC_PERMS_MAX		32	/* tern-relay's default per allocation */
#define TURNC_CHANNELS_MAX	32	/* likewise */
#define TURNC_CHANNEL_FIRST	0x4000	/* RFC 8656 12 */
#define TURNC_CHANNEL_LAST	0x4fff
#define TURNC_CHANDATA_HDR	4	/* RFC 8656 12.4: number and length */
#define TURNC_LIFETIME_S	600	/* RFC 8656 default; refreshed at half */
#define TURNC_LIFETIME_MIN_S	60	/* a shorter one granted: the default */
#define TURNC_FAILED_RETRY_S	10	/* a failed relay asked again after */
#define TURNC_PERM_S		300	/* RFC 8656 9: permission lifetime */
#define TURNC_PERM_REFRESH_S	240	/* a minute before it expires */
#define TURNC_CHAN_S		600	/* RFC 8656 12: a channel's life */
#define TURNC_CHAN_REFRESH_S	480	/* two minutes before it ends */
#define TURNC_CHAN_REBIND_S	300	/* RFC 8656 12: after it ended, no
					   other number for its peer */
#define TURNC_RTO_MS		1000	/* DESIGN.md: retries from 1 s */
#define TURNC_RTO_NUM		3	/* x1.5 each time */
#define TURNC_RTO_DEN		2
#define TURNC_GIVEUP_MS		10000	/* about 10 s, aligned with ICE */
#define TURNC_IDLE_RELEASE_S	60	/* unused allocation released */
#define TURNC_CRED_RENEW_S	300	/* REST user name this near its end:
					   allocate with the newer one */
#define TURNC_PROBE_MS		2000	/* a path in use, silent: Refresh */
#define TURNC_PROBE_IDLE_MS	25000	/* likewise, no path in use */
#define TURNC_PROBE_GIVEUP_MS	5000	/* that Refresh unanswered: gone */
#define TURNC_PATH_USE_MS	10000	/* a channel used this recently */
#define TURNC_REFUSED_RETRY_S	60	/* a refused permission asked again */
#define TURNC_MISMATCH_MAX	2	/* 437s to an Allocate let go first */
#define TURNC_REQS_MAX		(TURNC_PERMS_MAX + TURNC_CHANNELS_MAX + 4)

enum turnc_state {
	TURNC_IDLE = 0,		/* no allocation, none wanted */
	TURNC_ALLOCATING,	/* Allocate under way */
	TURNC_READY,		/* relayed address known */
	TURNC_FAILED,		/* gave up on this server */
};

/* The relay in use and how to authenticate to it. */
struct turnc_server {
	char			 name[TERN_HOST_MAX];	/* as listed */
	struct sockaddr_in6	 sa;			/* v4-mapped */
	char			 username[TERN_TURN_CRED_MAX];
	char			 password[TERN_TURN_CRED_MAX];
	char			 realm[TERN_TURN_CRED_MAX];	/* "" any */
	uint64_t		 generation;
};

/*
 * What the engine provides: send a datagram to the server; relayed
 * says the relayed address changed (NULL: none any more); failed says
 * the server gave up on us or stopped answering, with why.
 */
struct turnc_env {
	int	(*send)(const uint8_t *, size_t, const struct sockaddr_in6 *,
		    void *);
	void	(*relayed)(const struct sockaddr_in6 *, void *);
	void	(*failed)(const char *, void *);
	void	*arg;
};

enum turnc_input {
	TURNC_NOT_OURS = 0,	/* not from the server, or not ours */
	TURNC_TAKEN,		/* an answer of ours, handled */
	TURNC_DATA,		/* a datagram from a peer: *peer, *data */
};

void	 turnc_init(const struct turnc_env *);
/* A new server (NULL: none): any allocation on the old one is dropped. */
void	 turnc_set_server(const struct turnc_server *, uint64_t);
/* Whether srv names the server in use with the same credentials. */
int	 turnc_same_server(const struct turnc_server *);
enum turnc_state turnc_state(void);
const char *turnc_server_name(void);
int	 turnc_is_server(const struct sockaddr_in6 *);
const struct sockaddr_in6 *turnc_server_sa(void);

/* A relayed candidate is needed: allocate unless one is there. */
void	 turnc_want(uint64_t);
int	 turnc_relayed(struct sockaddr_in6 *);

/*
 * A datagram from the server's address.  TURNC_DATA points *data into
 * buf, past the ChannelData header or at the DATA attribute.
 */
enum turnc_input turnc_input(uint8_t *, size_t, const struct sockaddr_in6 *,
	    uint64_t, struct sockaddr_in6 *, uint8_t **, size_t *);

/* Permission for a remote's address (its IP; port ignored). */
void	 turnc_permit(const struct sockaddr_in6 *, uint64_t);
/*
 * The channel bound to peer (0 if none yet: one is asked for).  A
 * caller that sends buf with TURNC_CHANDATA_HDR bytes of headroom
 * writes the header with turnc_chandata_hdr.
 */
uint16_t turnc_channel(const struct sockaddr_in6 *, uint64_t);
void	 turnc_chandata_hdr(uint8_t *, uint16_t, size_t);
/* Sends data to peer through the relay: ChannelData or Send indication. */
int	 turnc_send(const uint8_t *, size_t, const struct sockaddr_in6 *,
	    uint64_t);

void	 turnc_run(uint64_t);
/* The engine stops: the allocation is released (best effort, no wait). */
void	 turnc_shutdown(uint64_t);
uint64_t turnc_next_wake(uint64_t);

/* For ternctl status: server, relayed address, channels bound. */
struct turnc_info {
	enum turnc_state	 state;
	char			 server[TERN_HOST_MAX];
	struct sockaddr_in6	 relayed;
	size_t			 nperms;
	size_t			 nchannels;
	uint32_t		 lifetime;
};
void	 turnc_info(struct turnc_info *);

#endif
