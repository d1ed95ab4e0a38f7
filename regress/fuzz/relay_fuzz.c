/*
 * libFuzzer target for tern-relay's request handling (relay/binding.c
 * over lib/stun.c): any datagram, from an IPv4 and an IPv6 source.  An
 * answer must be a valid Binding success for that source, with a
 * matching FINGERPRINT, or for an RFC 3489 request its MAPPED-ADDRESS
 * and whole id; never one to a change request, never larger than the
 * bound, never a crash.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "relay/relay.h"
#include "stun.h"

#define FUZZ_PORT	3478	/* any port: it is mirrored back */
#define FUZZ_ID_OFF	4	/* RFC 3489 11.1: the id follows the length */

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	 fuzz_one(const uint8_t *, size_t, const struct sockaddr *);
static int	 fuzz_classic_ok(const uint8_t *, const uint8_t *, size_t,
		    const struct sockaddr *);

/* With the cookie put in, a classic answer parses as an RFC 8489 one. */
static int
fuzz_classic_ok(const uint8_t *req, const uint8_t *out, size_t n,
    const struct sockaddr *from)
{
	uint8_t		 copy[RELAY_ANSWER_MAX];
	struct stun_msg	 ans;
	uint32_t	 cookie = htonl(STUN_COOKIE);

	if (n > sizeof(copy) || memcmp(out + FUZZ_ID_OFF, req + FUZZ_ID_OFF,
	    STUN_CLASSIC_TID_LEN) != 0)
		return 0;
	memcpy(copy, out, n);
	memcpy(copy + FUZZ_ID_OFF, &cookie, sizeof(cookie));
	return stun_parse(copy, n, &ans) == 0 &&
	    ans.type == stun_type(STUN_BINDING, STUN_SUCCESS) &&
	    ans.has == STUN_HAS_MAPPED &&
	    ans.mapped.ss_family == from->sa_family;
}

static void
fuzz_one(const uint8_t *data, size_t size, const struct sockaddr *from)
{
	uint8_t		 out[RELAY_ANSWER_MAX];
	struct stun_msg	 req, ans;
	size_t		 n;

	if ((n = relay_binding_answer(data, size, from, out,
	    sizeof(out))) == 0)
		return;
	if (n > size + RELAY_GROWTH_MAX)
		abort();
	/* Only a well-formed Binding request may be answered. */
	if (stun_parse_classic(data, size, &req) == -1 ||
	    req.type != stun_type(STUN_BINDING, STUN_REQUEST) ||
	    (req.change_flags & (STUN_CHANGE_IP | STUN_CHANGE_PORT)))
		abort();
	if (req.classic) {
		if (!fuzz_classic_ok(data, out, n, from))
			abort();
		return;
	}
	if (stun_parse(out, n, &ans) == -1 ||
	    ans.type != stun_type(STUN_BINDING, STUN_SUCCESS) ||
	    memcmp(ans.tid, req.tid, STUN_TID_LEN) != 0 ||
	    ans.has != (STUN_HAS_XOR_MAPPED | STUN_HAS_FINGERPRINT) ||
	    stun_check_fingerprint(&ans) == -1 ||
	    ans.xor_mapped.ss_family != from->sa_family)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(FUZZ_PORT);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fuzz_one(data, size, (struct sockaddr *)&sin);
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_port = htons(FUZZ_PORT);
	sin6.sin6_addr = in6addr_loopback;
	fuzz_one(data, size, (struct sockaddr *)&sin6);
	return 0;
}
