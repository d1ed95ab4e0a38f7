/* Config parsers (ternd, tern-signal): "host:port" of servers and relays. */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hostport.h"

#define HOSTPORT_LABEL_MAX	63	/* RFC 1035 2.3.4 */
#define HOSTPORT_PORT_DIGITS	5	/* "65535" */

static int	 hostport_name_ok(const char *);
static int	 hostport_port(const char *, uint16_t *);

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

static int
hostport_port(const char *s, uint16_t *port)
{
	const char	*errstr;
	size_t		 len = strlen(s);

	if (len == 0 || len > HOSTPORT_PORT_DIGITS ||
	    strspn(s, "0123456789") != len)
		return -1;
	*port = strtonum(s, 1, UINT16_MAX, &errstr);
	return errstr == NULL ? 0 : -1;
}

int
hostport_parse(const char *s, char *host, uint16_t *port, const char **errstr)
{
	struct in6_addr	 a6;
	struct in_addr	 a4;
	const char	*end;
	size_t		 hlen;
	int		 bracket = s[0] == '[';

	/* end: the ':' before the port. */
	if (bracket) {
		if ((end = strchr(s, ']')) == NULL) {
			*errstr = "missing ']'";
			return -1;
		}
		hlen = end - s - 1;
		s++;
		if (*++end != ':') {
			*errstr = "missing port";
			return -1;
		}
	} else {
		if ((end = strrchr(s, ':')) == NULL) {
			*errstr = "missing port";
			return -1;
		}
		if (memchr(s, ':', end - s) != NULL) {
			*errstr = "IPv6 address must be in brackets";
			return -1;
		}
		hlen = end - s;
	}
	if (hlen == 0) {
		*errstr = "missing host";
		return -1;
	}
	if (hlen >= HOSTPORT_HOST_MAX) {
		*errstr = "host name too long";
		return -1;
	}
	memcpy(host, s, hlen);
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
	if (hostport_port(end + 1, port) == -1) {
		*errstr = "invalid port";
		return -1;
	}
	return 0;
}
