/* tern-relay: which peer addresses TURN may relay to and from. */
#ifndef TERN_RELAY_PEER_POLICY_H
#define TERN_RELAY_PEER_POLICY_H

#include <sys/socket.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>

#include "addr.h"

#define RELAY_PEER_RULES_MAX	64	/* allow-peer/deny-peer lines */

/* One allow-peer or deny-peer line of tern-relay.conf. */
struct relay_peer_rule {
	struct tern_prefix	 prefix;
	int			 allow;		/* 1 allow-peer, 0 deny-peer */
};

/* Teredo carries two: its server's and its client's. */
#define RELAY_PEER_EMBED_MAX	2
size_t	 relay_peer_embedded(const struct sockaddr_in6 *,
	    struct in_addr [RELAY_PEER_EMBED_MAX]);
int	 relay_peer_allowed(const struct relay_peer_rule *, size_t,
	    const struct sockaddr *, const char **);
int	 relay_peer_rule_parse(const char *, int, struct relay_peer_rule *,
	    const char **);
void	 relay_peer_rule_print(FILE *, const struct relay_peer_rule *);

#endif
