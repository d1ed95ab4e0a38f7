/* Config parsers (ternd, tern-signal): "host:port" of servers and relays. */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdint.h>
#include <string.h>

#include "addr.h"
#include "hostport.h"

#define HOSTPORT_LABEL_MAX	63	/* RFC 1035 2.3.4 */

static int	 hostport_name_ok(const char *);

/* RFC 1123 2.1 host names: letters, digits and inner hyphens per label. */
static int
hostport_name_ok(const char *s)
{
	size_t	 len;

	for (;;) {
		len = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz0123456789-");
		if (len == 0 || len > HOSTPORT_LABEL_MAX || s[0] == '-' ||
		    s[len - 1] == '-')
			return -1;
		if (s[len] == '\0')
			return 0;
		if (s[len] != '.')
			return -1;
		s += len + 1;
	}
}

int
hostport_parse(const char *s, char *host, uint16_t *port, const char **errstr)
{
	struct in6_addr	 a6;
	struct in_addr	 a4;
	const char	*h, *port_s;
	size_t		 hlen;
	int		 bracket = s[0] == '[';

	if (endpoint_split(s, &h, &hlen, &port_s, errstr) == -1)
		return -1;
	if (hlen == 0) {
		*errstr = "missing host";
		return -1;
	}
	if (hlen >= HOSTPORT_HOST_MAX) {
		*errstr = "host name too long";
		return -1;
	}
	memcpy(host, h, hlen);
	host[hlen] = '\0';

	if (bracket) {
		if (inet_pton(AF_INET6, host, &a6) != 1) {
			*errstr = "invalid IPv6 address";
			return -1;
		}
	} else if (strspn(host, "0123456789.") == hlen) {
		if (inet_pton(AF_INET, host, &a4) != 1) {
			*errstr = "invalid address";
			return -1;
		}
	} else if (hostport_name_ok(host) == -1) {
		*errstr = "invalid host name";
		return -1;
	}
	if (endpoint_port_parse(port_s, port) == -1) {
		*errstr = "invalid port";
		return -1;
	}
	return 0;
}
