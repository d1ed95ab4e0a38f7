/* resolver: ternd's process for name lookups, and its messages. */
#ifndef TERND_RESOLVER_H
#define TERND_RESOLVER_H

#include <netinet/in.h>
#include <stdint.h>

#include "hostport.h"
#include "imsgev.h"
#include "ternd.h"

/* On the parent's socketpair with the resolver; peerid is the lookup's id. */
enum resolver_imsg {
	IMSG_DNS_QUERY = 1,	/* parent -> resolver: struct imsg_dns_query */
	IMSG_DNS_ANSWER,	/* resolver -> parent: struct imsg_dns_answer */
};

struct imsg_dns_query {
	char			 host[HOSTPORT_HOST_MAX];	/* with NUL */
	uint16_t		 port;
	uint32_t		 pad;
	int64_t			 deadline;	/* CLOCK_MONOTONIC seconds: the
						   parent gives up after it */
};

/* As many addresses as the engine takes for a relay. */
#define DNS_ANSWER_MAX		TERN_RELAY_RESOLVED_MAX
struct imsg_dns_answer {
	int32_t			 error;		/* 0, or getaddrinfo's EAI_* */
	uint32_t		 n;		/* 0 with an error, else > 0 */
	struct sockaddr_in6	 sa[DNS_ANSWER_MAX];	/* v4-mapped; the port
							   asked */
};

__attribute__((noreturn)) void	 resolver_main(int, int);

#endif
