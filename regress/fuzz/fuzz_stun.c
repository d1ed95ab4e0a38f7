/* libFuzzer targets: addresses, and STUN attributes from the input. */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_stun.h"

#define FUZZ_EXTRA_N	3	/* 0 to 2 extra attributes */
#define FUZZ_EXTRA_MAX	64	/* bytes of one */

void
fuzz_addr(struct sockaddr_in6 *a, const char *text, uint16_t port)
{
	memset(a, 0, sizeof(*a));
	a->sin6_family = AF_INET6;
	a->sin6_port = htons(port);
	if (inet_pton(AF_INET6, text, &a->sin6_addr) != 1)
		abort();
}

void
fuzz_stun_addr(struct fuzz_in *in, struct sockaddr_storage *ss)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (fuzz_u8(in) & 1) {
		sin6->sin6_family = AF_INET6;
		fuzz_take(in, &sin6->sin6_addr, sizeof(sin6->sin6_addr));
		sin6->sin6_port = htons(fuzz_u16(in));
	} else {
		sin->sin_family = AF_INET;
		fuzz_take(in, &sin->sin_addr, sizeof(sin->sin_addr));
		sin->sin_port = htons(fuzz_u16(in));
	}
}

int
fuzz_stun_extra(struct fuzz_in *in, struct stun_builder *b)
{
	uint8_t		 v[FUZZ_EXTRA_MAX];
	uint8_t		 n, i, len;
	uint16_t	 type;

	n = fuzz_u8(in) % FUZZ_EXTRA_N;
	for (i = 0; i < n; i++) {
		type = fuzz_u16(in);
		len = fuzz_u8(in) % sizeof(v);
		fuzz_take(in, v, len);
		if (stun_add_bytes(b, type, v, len) == -1)
			return -1;
	}
	return 0;
}
