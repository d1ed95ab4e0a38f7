/* parent: WireGuard configuration through the userspace API (UAPI) socket. */
#ifndef TERN_PARENT_WG_UAPI_H
#define TERN_PARENT_WG_UAPI_H

#include <sys/types.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "key.h"

#define UAPI_PEERS_MAX		65536	/* equals TERN_PEERS_MAX */
/* A peer's get= lines with a few allowed IPs; one allowed IP is ~340. */
#define UAPI_PEER_ANSWER	512
/* A get= answer we accept: every peer of the largest mesh. */
#define UAPI_RESPONSE_MAX	((size_t)UAPI_PEERS_MAX * UAPI_PEER_ANSWER)
#define UAPI_TIMEOUT_MS		5000

/* A peer as the parent sets it: the endpoint is always a peer port. */
struct wg_peer {
	uint8_t			 pubkey[KEY_LEN];
	const struct tern_prefix *allowed;
	size_t			 nallowed;
	const struct sockaddr_in *endpoint;	/* NULL: leave unset */
	uint16_t		 keepalive;
};

struct wg_peer_stats {
	uint8_t			 pubkey[KEY_LEN];
	int64_t			 last_handshake;	/* unix seconds, 0 = never */
	uint64_t		 rx_bytes;
	uint64_t		 tx_bytes;
};

struct wg_device_stats {
	uint16_t		 listen_port;
	int			 has_private_key;
};

/* Request text; each returns a malloc'ed NUL-terminated string or NULL. */
char	*uapi_req_device(const uint8_t [KEY_LEN], uint16_t);
char	*uapi_req_peer_set(const struct wg_peer *);
char	*uapi_req_peer_remove(const uint8_t [KEY_LEN]);

/* Answers. */
int	 uapi_parse_errno(const char *, size_t, int *);
typedef void (*uapi_peer_cb)(const struct wg_peer_stats *, void *);
int	 uapi_parse_get(const char *, size_t, struct wg_device_stats *,
	    uapi_peer_cb, void *, const char **);

/* Talking to the socket: path from the interface name. */
int	 uapi_sockpath(const char *, char *, size_t);
int	 uapi_set(const char *, const char *, const char **);
int	 uapi_get(const char *, struct wg_device_stats *, uapi_peer_cb, void *,
	    const char **);
int	 uapi_alive(const char *);

/* parent_wg_userspace.c: wireguard-go for one interface. */
#define WG_STOP_MS	3000	/* grace after SIGTERM, then SIGKILL */
pid_t	 wg_userspace_start(const char *, const char *);
int	 wg_userspace_wait(const char *, pid_t, int);
int	 wg_listen_port(const char *, int, uint16_t *, const char **);

#endif
