/* Addresses, prefixes and host:port endpoints: parsing and printing. */
#ifndef TERN_ADDR_H
#define TERN_ADDR_H

#include <sys/socket.h>
#include <netinet/in.h>
#include <stdint.h>

/* Longest text form of an address with port: "[v6%scope]:65535". */
#define ADDR_STRLEN	(INET6_ADDRSTRLEN + 16)
/* Longest text form of a prefix: "v6/128". */
#define PREFIX_STRLEN	(INET6_ADDRSTRLEN + 5)
/* A host or site holds an IPv6 /64 (RFC 7421): limits count it as one. */
#define ADDR_SOURCE_V6_BYTES	8

struct tern_prefix {
	uint8_t		 af;		/* AF_INET or AF_INET6 */
	uint8_t		 plen;
	uint8_t		 pad[2];
	union {
		struct in_addr	 v4;
		struct in6_addr	 v6;
	} a;
};

int	 prefix_parse(const char *, struct tern_prefix *, const char **);
int	 prefix_is_network(const struct tern_prefix *);
int	 prefix_contains(const struct tern_prefix *, const struct tern_prefix *);
int	 prefix_cmp(const struct tern_prefix *, const struct tern_prefix *);
const char *prefix_str(const struct tern_prefix *, char *, size_t);

int	 endpoint_parse(const char *, struct sockaddr_storage *, const char **);
int	 endpoint_split(const char *, const char **, size_t *, const char **,
	    const char **);
int	 endpoint_port_parse(const char *, uint16_t *);
const char *sockaddr_str(const struct sockaddr *, char *, size_t);
int	 sockaddr_cmp(const struct sockaddr *, const struct sockaddr *);
void	 sockaddr_to_v6(const struct sockaddr *, struct sockaddr_in6 *);
int	 sockaddr_to_v6_ip(const struct sockaddr_storage *,
	    struct sockaddr_in6 *);
void	 sockaddr_from_v6(const struct sockaddr_in6 *,
	    struct sockaddr_storage *);
void	 sockaddr_source(const struct sockaddr *, struct in6_addr *);
int	 sockaddr_same_source(const struct sockaddr *, const struct sockaddr *);
socklen_t sockaddr_len(const struct sockaddr *);
uint16_t sockaddr_port(const struct sockaddr *);

struct sockaddr_un;
int	 sockaddr_un_set(struct sockaddr_un *, const char *);
int	 unix_connect(const char *);

#endif
