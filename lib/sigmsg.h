/* JSON messages between ternd and tern-signal: parsing and encoding. */
#ifndef TERN_SIGMSG_H
#define TERN_SIGMSG_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "key.h"
#include "nmsign.h"

/*
 * Wire format. Each message is one JSON object, at most SIGMSG_MAX bytes,
 * nested at most SIGMSG_DEPTH_MAX levels, with a string member "type".
 * Receivers ignore members they do not know (forward compatibility) but
 * refuse a known member twice, of the wrong JSON type or out of range, a
 * NUL character in any string, and comments. Integers are JSON integers
 * (no fraction, no exponent). Keys are standard base64 with padding of
 * KEY_LEN bytes. A "name" is 1 to SIGMSG_NAME_MAX - 1 characters of
 * [A-Za-z0-9._-]; "text" is UTF-8 without control characters. "?" marks
 * an optional member; absent means empty, false or 0.
 *
 * hello (both ways, first message):
 *	version		integer 1..65535, protocol version (SIGMSG_PROTO)
 *	features?	[name...], at most SIGMSG_FEATURES_MAX; known: "lazy"
 *			(lazy connections); others are ignored
 *	software?	text, at most SIGMSG_SWVERSION_MAX - 1 bytes, the
 *			sender's ternd version ("0.1.0"); the server
 *			passes it on as the peer's netmap version
 *	role?		"agent" (the default) or "relay": who is saying
 *			hello; the server checks it against the key that
 *			authenticated, a node's or a relay's
 *	generation?	gen, the relay's; required with role "relay" and
 *			refused without it
 *
 * netmap (server to agent, on connect and on every change):
 *	self		peer, the receiving node itself
 *	peers		[peer...], at most SIGMSG_PEERS_MAX
 *	features?	{ "lazy_connections"?: boolean, the server's default
 *			  for lazy connections;
 *			  "inactivity_threshold"?: integer seconds,
 *			  SIGMSG_INACTIVITY_MIN..SIGMSG_INACTIVITY_MAX, idle
 *			  time before a lazy peer is torn down; absent means
 *			  the agent's default }
 *   peer:
 *	name		name; the server keeps names and node keys unique
 *	node_key	key, signs and seals signaling (Noise, crypto_box)
 *	wg_key		key, the WireGuard public key
 *	addresses	[prefix...], 1..SIGMSG_ADDRS_MAX overlay addresses,
 *			"10.77.0.2/32" or "fd77::2/128"
 *	allowed_ips?	[prefix...], at most SIGMSG_ALLOWED_MAX networks
 *			(no host bits) routed to the peer besides addresses
 *	groups?		[name...], at most SIGMSG_GROUPS_MAX; peers sharing a
 *			group wake together (high availability)
 *	flags?		[name...], at most SIGMSG_FLAGS_MAX; known:
 *			"lazy-exempt" (always connected), "relay-only"
 *			(never direct); others are ignored
 *	version?	text, at most SIGMSG_SWVERSION_MAX - 1 bytes, the
 *			software of the peer's last hello to the server
 *			since it started; empty if it has not seen one
 *	serial?		integer 1..2^63-1, the map version the entry was
 *			signed in; grows (microseconds since the epoch)
 *	expires?	integer 1..2^63-1, unix time the signature ends
 *	sig?		sig, the server's Ed25519 signature of the entry
 *			(lib/nmsign.c: keys, prefixes, flags, serial,
 *			expires); serial, expires and sig come together
 *	lock_sig?	sig, a network-lock signature of the keys and
 *			prefixes, passed through from tern-signal.conf
 *
 * relays (server to agent):
 *	relays		[relay...], at most SIGMSG_RELAYS_MAX, the full list
 *	connected?	[name...] relay ids now up, at most SIGMSG_RELAYS_MAX
 *	disconnected?	[name...] relay ids now down, same cap
 *   relay:
 *	id		name
 *	address		"host:port" or "[v6]:port", SIGMSG_HOST_MAX - 1 bytes
 *	username?	text, SIGMSG_CRED_MAX - 1 bytes, TURN REST
 *			"expiry:nodename"
 *	password?	text, same cap, base64(HMAC-SHA1(secret, username))
 *	realm?		text, same cap
 *	expires?	integer 0..2^63-1, unix time the credentials expire
 *	generation?	gen, only for a relay that registers with the
 *			server: the one it said hello with.  Another
 *			generation than before means the relay restarted
 *			and every allocation on it is gone
 *
 * signal (agent to server to agent):
 *	from?		key, the sender's node key; set by the server, which
 *			overwrites what an agent sent
 *	to		key, the recipient's node key
 *	box		base64 of 1..SIGMSG_BOX_MAX bytes: a crypto_box
 *			between the node keys that the server cannot open
 *
 * error (either way):
 *	code		name, machine readable ("version", "auth")
 *	message		text, SIGMSG_TEXT_MAX - 1 bytes, for people
 *
 * ping, pong (either way; pong echoes the ping's seq):
 *	seq		integer 0..4294967295
 *
 * A "sig" is standard base64 with padding of NMSIGN_SIG_LEN bytes.
 * A "gen" is SIGMSG_GEN_LEN lowercase hex digits, not all zero: a 64-bit
 * number a relay draws at random when it starts.  It is a string because
 * many JSON parsers keep integers only up to 2^53.
 */

#define SIGMSG_PROTO		1	/* protocol version we speak */
#define SIGMSG_PROTO_MAX	65535	/* largest version a hello may carry */
/* A netmap of SIGMSG_PEERS_MAX peers of about 512 bytes of JSON each. */
#define SIGMSG_MAX		(32 * 1024 * 1024)
#define SIGMSG_DEPTH_MAX	8	/* a netmap needs 4 */
#define SIGMSG_PEERS_MAX	65536	/* equals TERN_PEERS_MAX */
#define SIGMSG_NAME_MAX		64	/* with NUL; equals TERN_NAME_MAX */
#define SIGMSG_ADDRS_MAX	8	/* equals TERN_ADDRS_MAX */
#define SIGMSG_ALLOWED_MAX	32	/* equals TERN_ALLOWED_MAX */
#define SIGMSG_GROUPS_MAX	32	/* groups of one peer */
#define SIGMSG_FLAGS_MAX	16	/* flags of one peer, known or not */
#define SIGMSG_FEATURES_MAX	16	/* features in a hello, known or not */
#define SIGMSG_SWVERSION_MAX	64	/* software version text, with NUL */
#define SIGMSG_RELAYS_MAX	64	/* relays in one relays message */
#define SIGMSG_HOST_MAX		256	/* with NUL; equals TERN_HOST_MAX */
#define SIGMSG_CRED_MAX		128	/* TURN username, password, realm */
#define SIGMSG_BOX_MAX		4096	/* sealed signal, decoded bytes */
#define SIGMSG_TEXT_MAX		256	/* error message, with NUL */
/* Inactivity threshold bounds: DESIGN.md's minimum, and one week. */
#define SIGMSG_INACTIVITY_MIN	60
#define SIGMSG_INACTIVITY_MAX	(7 * 24 * 3600)
#define SIGMSG_SEQ_MAX		UINT32_MAX
#define SIGMSG_GEN_LEN		16	/* hex digits of a 64-bit generation */

/* hello roles */
#define SIGMSG_ROLE_AGENT	0
#define SIGMSG_ROLE_RELAY	1

/* hello features */
#define SIGMSG_FEAT_LAZY	0x01

/* peer flags */
#define SIGMSG_PEER_LAZY_EXEMPT	0x01
#define SIGMSG_PEER_RELAY_ONLY	0x02

enum sigmsg_type {
	SIGMSG_HELLO = 1,
	SIGMSG_NETMAP,
	SIGMSG_RELAYS,
	SIGMSG_SIGNAL,
	SIGMSG_ERROR,
	SIGMSG_PING,
	SIGMSG_PONG,
};

struct sigmsg_hello {
	uint32_t		 version;
	uint32_t		 features;	/* SIGMSG_FEAT_* */
	char			 software[SIGMSG_SWVERSION_MAX];
	uint32_t		 role;		/* SIGMSG_ROLE_* */
	uint64_t		 generation;	/* a relay's; 0 if not sent */
};

struct sigmsg_peer {
	char			 name[SIGMSG_NAME_MAX];
	uint8_t			 node_key[KEY_LEN];
	uint8_t			 wg_key[KEY_LEN];
	struct tern_prefix	 addrs[SIGMSG_ADDRS_MAX];
	size_t			 naddrs;
	struct tern_prefix	 allowed[SIGMSG_ALLOWED_MAX];
	size_t			 nallowed;
	char			 groups[SIGMSG_GROUPS_MAX][SIGMSG_NAME_MAX];
	size_t			 ngroups;
	uint32_t		 flags;		/* SIGMSG_PEER_* */
	char			 version[SIGMSG_SWVERSION_MAX];
	int			 has_sig;
	int			 has_lock;
	uint64_t		 serial;
	int64_t			 expires;
	uint8_t			 sig[NMSIGN_SIG_LEN];
	uint8_t			 lock_sig[NMSIGN_SIG_LEN];
};

struct sigmsg_netmap {
	struct sigmsg_peer	 self;
	struct sigmsg_peer	*peers;		/* malloc'ed, npeers of them */
	size_t			 npeers;
	int			 lazy;
	uint32_t		 inactivity;	/* seconds; 0 if not sent */
};

struct sigmsg_relay {
	char			 id[SIGMSG_NAME_MAX];
	char			 address[SIGMSG_HOST_MAX];
	char			 username[SIGMSG_CRED_MAX];
	char			 password[SIGMSG_CRED_MAX];
	char			 realm[SIGMSG_CRED_MAX];
	int64_t			 expires;	/* unix time; 0 if not sent */
	uint64_t		 generation;	/* 0 if not sent */
};

struct sigmsg_relays {
	struct sigmsg_relay	 relays[SIGMSG_RELAYS_MAX];
	size_t			 nrelays;
	char			 connected[SIGMSG_RELAYS_MAX][SIGMSG_NAME_MAX];
	size_t			 nconnected;
	char			 disconnected[SIGMSG_RELAYS_MAX]
				    [SIGMSG_NAME_MAX];
	size_t			 ndisconnected;
};

struct sigmsg_signal {
	int			 has_from;
	uint8_t			 from[KEY_LEN];
	uint8_t			 to[KEY_LEN];
	uint8_t			 box[SIGMSG_BOX_MAX];
	size_t			 boxlen;
};

struct sigmsg_error {
	char			 code[SIGMSG_NAME_MAX];
	char			 message[SIGMSG_TEXT_MAX];
};

struct sigmsg {
	enum sigmsg_type	 type;
	union {
		struct sigmsg_hello	 hello;
		struct sigmsg_netmap	 netmap;
		struct sigmsg_relays	 relays;
		struct sigmsg_signal	 signal;
		struct sigmsg_error	 error;
		uint32_t		 seq;	/* ping, pong */
	} u;
};

/*
 * sigmsg_parse fills out (which needs sigmsg_free after) and returns 0, or
 * writes why into err, leaves out empty and returns -1.
 * sigmsg_encode returns a malloc'ed NUL-terminated JSON text of *len
 * bytes, or NULL if out of memory or a string is not valid UTF-8; the
 * counts in m must be within the caps above.
 */
int	 sigmsg_parse(const char *, size_t, struct sigmsg *, char *, size_t);
void	 sigmsg_free(struct sigmsg *);
char	*sigmsg_encode(const struct sigmsg *, size_t *);
const char *sigmsg_type_name(enum sigmsg_type);

void	 sigmsg_peer_entry(const struct sigmsg_peer *, struct nm_entry *);

#endif
