/* STUN messages (RFC 8489) for ICE and TURN: parsing, checking, building. */
#ifndef TERN_STUN_H
#define TERN_STUN_H

#include <sys/socket.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#define STUN_HDR_LEN		20		/* RFC 8489 section 5 */
#define STUN_ATTR_HDR_LEN	4		/* RFC 8489 section 14 */
#define STUN_TID_LEN		12		/* RFC 8489 section 5 */
#define STUN_CLASSIC_TID_LEN	16		/* RFC 3489 section 11.1 */
#define STUN_COOKIE		0x2112a442U	/* RFC 8489 section 5 */
#define STUN_MI_LEN		20		/* RFC 8489 section 14.5 */
#define STUN_MI256_MIN		16		/* RFC 8489 section 14.6 */
#define STUN_MI256_MAX		32		/* RFC 8489 section 14.6 */
#define STUN_FP_LEN		4		/* RFC 8489 section 14.7 */
#define STUN_FP_XOR		0x5354554eU	/* RFC 8489 section 14.7 */
#define STUN_USERNAME_MAX	513		/* RFC 5389 section 15.3 */
#define STUN_TEXT_MAX		763		/* RFC 8489 14.8-14.10, 14.14 */
#define STUN_LTKEY_LEN		16		/* RFC 8489 9.2.2: MD5 */
#define STUN_TRANSPORT_UDP	17		/* RFC 8656 18: IANA's UDP */
#define STUN_FAMILY_V4		0x01		/* RFC 8489 section 14.1 */
#define STUN_FAMILY_V6		0x02		/* RFC 8489 section 14.1 */
/* Ours: CreatePermission may carry several peers; more is an attack. */
#define STUN_PEERS_MAX		8
/* Ours: ICE and TURN messages carry about a dozen; more is an attack. */
#define STUN_ATTRS_MAX		32
/* Ours: a 420 answer names the first few unknown attributes. */
#define STUN_UNKNOWN_MAX	8

/* CHANGE-REQUEST flags: RFC 5780 section 7.2, RFC 3489 11.2.4. */
#define STUN_CHANGE_IP		0x04
#define STUN_CHANGE_PORT	0x02

/* Classes, already in their type bits (RFC 8489 section 5). */
#define STUN_CLASS_MASK		0x0110
#define STUN_REQUEST		0x0000
#define STUN_INDICATION		0x0010
#define STUN_SUCCESS		0x0100
#define STUN_ERROR		0x0110

/* Error codes: RFC 8489 section 14.8, RFC 8445 7.3.1.1, RFC 8656. */
#define STUN_ERR_BAD_REQUEST		400
#define STUN_ERR_UNAUTHORIZED		401
#define STUN_ERR_FORBIDDEN		403
#define STUN_ERR_UNKNOWN_ATTRIBUTE	420
#define STUN_ERR_TRY_ALTERNATE		300
#define STUN_ERR_ALLOCATION_MISMATCH	437
#define STUN_ERR_STALE_NONCE		438
#define STUN_ERR_FAMILY_UNSUPPORTED	440
#define STUN_ERR_FAMILY_MISMATCH	443
#define STUN_ERR_WRONG_CREDENTIALS	441
#define STUN_ERR_UNSUPPORTED_TRANSPORT	442
#define STUN_ERR_ALLOCATION_QUOTA	486
#define STUN_ERR_ROLE_CONFLICT		487
#define STUN_ERR_SERVER_ERROR		500
#define STUN_ERR_INSUFFICIENT_CAPACITY	508

/* Methods: RFC 8489 section 18.2, then TURN's (RFC 8656). */
#define STUN_BINDING		0x001
#define STUN_ALLOCATE		0x003
#define STUN_REFRESH		0x004
#define STUN_SEND		0x006
#define STUN_DATA		0x007
#define STUN_CREATE_PERMISSION	0x008
#define STUN_CHANNEL_BIND	0x009

/* Comprehension-required attributes: RFC 8489 18.3, 8445 16.1, 8656 18. */
#define STUN_ATTR_MAPPED_ADDRESS	0x0001
#define STUN_ATTR_CHANGE_REQUEST	0x0003	/* RFC 5780 7.2, RFC 3489 */
#define STUN_ATTR_USERNAME		0x0006
#define STUN_ATTR_MESSAGE_INTEGRITY	0x0008
#define STUN_ATTR_ERROR_CODE		0x0009
#define STUN_ATTR_UNKNOWN_ATTRIBUTES	0x000a
#define STUN_ATTR_CHANNEL_NUMBER	0x000c
#define STUN_ATTR_LIFETIME		0x000d
#define STUN_ATTR_XOR_PEER_ADDRESS	0x0012
#define STUN_ATTR_DATA			0x0013
#define STUN_ATTR_REALM			0x0014
#define STUN_ATTR_NONCE			0x0015
#define STUN_ATTR_XOR_RELAYED_ADDRESS	0x0016
#define STUN_ATTR_REQUESTED_FAMILY	0x0017
#define STUN_ATTR_EVEN_PORT		0x0018
#define STUN_ATTR_REQUESTED_TRANSPORT	0x0019
#define STUN_ATTR_DONT_FRAGMENT		0x001a
#define STUN_ATTR_RESERVATION_TOKEN	0x0022
#define STUN_ATTR_MESSAGE_INTEGRITY_SHA256 0x001c
#define STUN_ATTR_XOR_MAPPED_ADDRESS	0x0020
#define STUN_ATTR_PRIORITY		0x0024
#define STUN_ATTR_USE_CANDIDATE		0x0025
/* Comprehension-optional: 0x8000 and up (RFC 8489 section 14). */
#define STUN_ATTR_OPTIONAL		0x8000
#define STUN_ATTR_ADDITIONAL_FAMILY	0x8000	/* RFC 8656 section 18 */
#define STUN_ATTR_SOFTWARE		0x8022
#define STUN_ATTR_FINGERPRINT		0x8028
#define STUN_ATTR_ICE_CONTROLLED	0x8029
#define STUN_ATTR_ICE_CONTROLLING	0x802a

/* Which known attributes a parsed message holds (stun_msg.has). */
#define STUN_HAS_MAPPED		0x00000001
#define STUN_HAS_XOR_MAPPED	0x00000002
#define STUN_HAS_USERNAME	0x00000004
#define STUN_HAS_INTEGRITY	0x00000008
#define STUN_HAS_INTEGRITY256	0x00000010
#define STUN_HAS_FINGERPRINT	0x00000020
#define STUN_HAS_ERROR		0x00000040
#define STUN_HAS_UNKNOWN_ATTRS	0x00000080
#define STUN_HAS_PRIORITY	0x00000100
#define STUN_HAS_USE_CANDIDATE	0x00000200
#define STUN_HAS_ICE_CONTROLLED	0x00000400
#define STUN_HAS_ICE_CONTROLLING 0x00000800
#define STUN_HAS_SOFTWARE	0x00001000
#define STUN_HAS_REALM		0x00002000
#define STUN_HAS_NONCE		0x00004000
#define STUN_HAS_LIFETIME	0x00008000
#define STUN_HAS_XOR_RELAYED	0x00010000
#define STUN_HAS_XOR_PEER	0x00020000
#define STUN_HAS_CHANNEL	0x00040000
#define STUN_HAS_TRANSPORT	0x00080000
#define STUN_HAS_DATA		0x00100000
#define STUN_HAS_CHANGE_REQUEST	0x00200000
#define STUN_HAS_REQ_FAMILY	0x00400000
#define STUN_HAS_ADD_FAMILY	0x00800000
#define STUN_HAS_EVEN_PORT	0x01000000
#define STUN_HAS_RESERVATION	0x02000000
#define STUN_HAS_DONT_FRAGMENT	0x04000000

/* A value inside the parsed datagram: offset from its first byte. */
struct stun_span {
	size_t		 off;
	size_t		 len;
};

/* Points into the caller's buffer, which must outlive it. */
struct stun_msg {
	const uint8_t		*buf;
	size_t			 len;
	uint16_t		 type;
	uint8_t			 tid[STUN_TID_LEN];
	int			 classic;	/* RFC 3489: id in bytes 4-19 */
	uint32_t		 has;		/* STUN_HAS_* */

	struct sockaddr_storage	 mapped;
	struct sockaddr_storage	 xor_mapped;
	struct sockaddr_storage	 xor_relayed;
	struct sockaddr_storage	 xor_peer;	/* the first of xor_peers */
	struct sockaddr_storage	 xor_peers[STUN_PEERS_MAX];
	size_t			 npeers;
	struct stun_span	 username;
	struct stun_span	 realm;
	struct stun_span	 nonce;
	struct stun_span	 software;
	struct stun_span	 data;
	struct stun_span	 token;		/* RESERVATION-TOKEN */
	struct stun_span	 reason;	/* of ERROR-CODE */
	struct stun_span	 unknown_attrs;	/* of a 420 answer */
	struct stun_span	 integrity;
	struct stun_span	 integrity256;
	struct stun_span	 fingerprint;
	uint32_t		 priority;
	uint32_t		 lifetime;
	uint64_t		 ice_controlled;
	uint64_t		 ice_controlling;
	uint16_t		 error_code;	/* 300 to 699 */
	uint16_t		 channel;
	uint8_t			 transport;
	uint8_t			 req_family;	/* STUN_FAMILY_*, as sent */
	uint8_t			 add_family;	/* STUN_FAMILY_*, as sent */
	uint8_t			 even_port;	/* the R bit: 0x80 */
	uint32_t		 change_flags;	/* of CHANGE-REQUEST */

	/* Unknown comprehension-required attributes, for a 420 answer. */
	uint16_t		 unknown[STUN_UNKNOWN_MAX];
	size_t			 nunknown;
};

struct stun_builder {
	uint8_t		*buf;
	size_t		 cap;
	size_t		 len;
	int		 sealed;	/* integrity or fingerprint added */
	int		 classic;	/* RFC 3489: no cookie to XOR with */
};

uint16_t stun_type(uint16_t, uint16_t);
uint16_t stun_method(uint16_t);
uint16_t stun_class(uint16_t);

int	 stun_parse(const uint8_t *, size_t, struct stun_msg *);
/* Also takes an RFC 3489 Binding request, without the cookie. */
int	 stun_parse_classic(const uint8_t *, size_t, struct stun_msg *);
int	 stun_check_fingerprint(const struct stun_msg *);
int	 stun_check_integrity(const struct stun_msg *, const uint8_t *, size_t);
/* SASLprep is not applied: callers pass ASCII or already prepared text. */
void	 stun_longterm_key(const char *, const char *, const char *,
	    uint8_t [STUN_LTKEY_LEN]);

int	 stun_build_init(struct stun_builder *, uint8_t *, size_t, uint16_t,
	    const uint8_t [STUN_TID_LEN]);
int	 stun_build_answer(struct stun_builder *, uint8_t *, size_t, uint16_t,
	    const struct stun_msg *);
int	 stun_add_bytes(struct stun_builder *, uint16_t, const void *, size_t);
int	 stun_add_u32(struct stun_builder *, uint16_t, uint32_t);
int	 stun_add_u64(struct stun_builder *, uint16_t, uint64_t);
int	 stun_add_addr(struct stun_builder *, uint16_t,
	    const struct sockaddr *);
int	 stun_add_xor_addr(struct stun_builder *, uint16_t,
	    const struct sockaddr *);
int	 stun_add_error(struct stun_builder *, uint16_t, const char *);
int	 stun_add_unknown(struct stun_builder *, const uint16_t *, size_t);
int	 stun_add_integrity(struct stun_builder *, const uint8_t *, size_t);
int	 stun_add_fingerprint(struct stun_builder *);
size_t	 stun_build_len(const struct stun_builder *);

#endif
