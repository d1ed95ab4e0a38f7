/*
 * tern-relay server (unprivileged): the answer to one STUN Binding
 * request (RFC 8489), a pure function of the datagram and its source.
 *
 * Anything else gets no answer at all, so that tern-relay cannot be
 * used to reflect or amplify traffic towards a forged source: a
 * datagram that is not a well-formed STUN message, not a Binding
 * request, whose FINGERPRINT does not match, or that carries a
 * comprehension-required attribute we do not know (a 420 answer would
 * be sent to whoever the source claims to be).  A CHANGE-REQUEST for
 * another address or port gets none either: we have one, and an answer
 * from it would pass for one from the other in the client's NAT test.
 *
 * The answer holds only XOR-MAPPED-ADDRESS and FINGERPRINT; to an RFC
 * 3489 request, without the magic cookie, only MAPPED-ADDRESS (RFC 8489
 * section 11.2).  Either is at most RELAY_GROWTH_MAX bytes more than
 * the smallest request.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>

#include "relay/relay.h"
#include "stun.h"

/* Returns the answer's length in out, or 0 for no answer. */
size_t
relay_binding_answer(const uint8_t *req, size_t len,
    const struct sockaddr *from, uint8_t *out, size_t cap)
{
	struct stun_msg		 m;
	struct stun_builder	 b;

	if (from->sa_family != AF_INET && from->sa_family != AF_INET6)
		return 0;
	if (stun_parse_classic(req, len, &m) == -1)
		return 0;
	if (stun_class(m.type) != STUN_REQUEST ||
	    stun_method(m.type) != STUN_BINDING)
		return 0;
	if (m.nunknown > 0)
		return 0;
	if ((m.has & STUN_HAS_FINGERPRINT) && stun_check_fingerprint(&m) == -1)
		return 0;
	if (m.change_flags & (STUN_CHANGE_IP | STUN_CHANGE_PORT))
		return 0;
	if (stun_build_answer(&b, out, cap, stun_type(STUN_BINDING,
	    STUN_SUCCESS), &m) == -1)
		return 0;
	/* RFC 8489 section 7: FINGERPRINT is unknown to RFC 3489 clients. */
	if (m.classic) {
		if (stun_add_addr(&b, STUN_ATTR_MAPPED_ADDRESS, from) == -1)
			return 0;
	} else if (stun_add_xor_addr(&b, STUN_ATTR_XOR_MAPPED_ADDRESS,
	    from) == -1 || stun_add_fingerprint(&b) == -1)
		return 0;
	return stun_build_len(&b);
}
