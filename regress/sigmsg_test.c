/* Unit tests of lib/sigmsg.c: round trips, malformed input, limits. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>
#include <sodium.h>

#include "sigmsg.h"

#define ERRLEN		256
/* A key of 32 zero bytes, and one of 32 0xff bytes. */
#define K0		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
#define K1		"//////////////////////////////////////////8="
#define PEER(name)	"{\"name\":\"" name "\",\"node_key\":\"" K0 "\"," \
			    "\"wg_key\":\"" K1 "\"," \
			    "\"addresses\":[\"10.77.0.2/32\"]}"
#define NETMAP(peers)	"{\"type\":\"netmap\",\"self\":" PEER("me") \
			    ",\"peers\":[" peers "]}"
/* Bytes of one generated peer, index included. */
#define GEN_PEER_MAX	192

static void	 fill_peer(struct sigmsg_peer *, const char *, uint8_t);
static void	 round_trip(const struct sigmsg *, struct sigmsg *);
static char	*gen_signal(size_t, size_t *);
static char	*gen_netmap(size_t, size_t *);
static void	 check_error(const char *, size_t, const char *);

static void
fill_peer(struct sigmsg_peer *p, const char *name, uint8_t seed)
{
	char		 buf[PREFIX_STRLEN];
	const char	*errstr;
	size_t		 i;

	strlcpy(p->name, name, sizeof(p->name));
	memset(p->node_key, seed, KEY_LEN);
	memset(p->wg_key, seed + 1, KEY_LEN);
	ATF_REQUIRE(prefix_parse("10.77.0.2/32", &p->addrs[0], &errstr) == 0);
	ATF_REQUIRE(prefix_parse("fd77::2/128", &p->addrs[1], &errstr) == 0);
	p->naddrs = 2;
	for (i = 0; i < SIGMSG_ALLOWED_MAX; i++) {
		snprintf(buf, sizeof(buf), "192.168.%zu.0/24", i);
		ATF_REQUIRE(prefix_parse(buf, &p->allowed[i], &errstr) == 0);
	}
	p->nallowed = SIGMSG_ALLOWED_MAX;
	strlcpy(p->groups[0], "ha.db-1", sizeof(p->groups[0]));
	strlcpy(p->groups[1], "Office_2", sizeof(p->groups[1]));
	p->ngroups = 2;
	p->flags = SIGMSG_PEER_LAZY_EXEMPT | SIGMSG_PEER_RELAY_ONLY;
	strlcpy(p->version, "ternd 0.1 (\"beta\") \xc3\xa9",
	    sizeof(p->version));
}

/* m encodes, parses back into out equal to m, and encodes the same. */
static void
round_trip(const struct sigmsg *m, struct sigmsg *out)
{
	char	 err[ERRLEN], *text, *again;
	size_t	 len, len2;

	ATF_REQUIRE((text = sigmsg_encode(m, &len)) != NULL);
	ATF_REQUIRE_EQ(strlen(text), len);
	ATF_REQUIRE_MSG(sigmsg_parse(text, len, out, err, sizeof(err)) == 0,
	    "%s: %s", text, err);
	ATF_REQUIRE_EQ(out->type, m->type);
	ATF_REQUIRE((again = sigmsg_encode(out, &len2)) != NULL);
	ATF_CHECK_STREQ(text, again);
	free(text);
	free(again);
}

ATF_TC_WITHOUT_HEAD(round_trip_hello);
ATF_TC_BODY(round_trip_hello, tc)
{
	struct sigmsg	 m, out;

	memset(&m, 0, sizeof(m));
	m.type = SIGMSG_HELLO;
	m.u.hello.version = SIGMSG_PROTO;
	m.u.hello.features = SIGMSG_FEAT_LAZY;
	round_trip(&m, &out);
	ATF_CHECK(memcmp(&m, &out, sizeof(m)) == 0);
	sigmsg_free(&out);

	/* The longest software version there is room for. */
	memset(m.u.hello.software, '9', sizeof(m.u.hello.software) - 1);
	round_trip(&m, &out);
	ATF_CHECK(memcmp(&m, &out, sizeof(m)) == 0);
	sigmsg_free(&out);

	memset(m.u.hello.software, 0, sizeof(m.u.hello.software));
	strlcpy(m.u.hello.software, "0.1.0", sizeof(m.u.hello.software));
	round_trip(&m, &out);
	ATF_CHECK_STREQ(out.u.hello.software, "0.1.0");
	ATF_CHECK(memcmp(&m, &out, sizeof(m)) == 0);
	sigmsg_free(&out);
}

ATF_TC_WITHOUT_HEAD(round_trip_relay_hello);
ATF_TC_BODY(round_trip_relay_hello, tc)
{
	struct sigmsg	 m, out;
	const uint64_t	 gens[] = { 1, 0x0123456789abcdefULL, UINT64_MAX };
	const char	*agent;
	char		*text, err[ERRLEN];
	size_t		 i, len;

	memset(&m, 0, sizeof(m));
	m.type = SIGMSG_HELLO;
	m.u.hello.version = SIGMSG_PROTO;
	m.u.hello.role = SIGMSG_ROLE_RELAY;
	for (i = 0; i < sizeof(gens) / sizeof(gens[0]); i++) {
		m.u.hello.generation = gens[i];
		round_trip(&m, &out);
		ATF_CHECK_EQ(out.u.hello.role, SIGMSG_ROLE_RELAY);
		ATF_CHECK_EQ(out.u.hello.generation, gens[i]);
		ATF_CHECK(memcmp(&m, &out, sizeof(m)) == 0);
		sigmsg_free(&out);
	}
	/* The exact text: 16 digits, leading zeros kept. */
	m.u.hello.generation = 0x0123456789abcdefULL;
	ATF_REQUIRE((text = sigmsg_encode(&m, &len)) != NULL);
	ATF_CHECK_STREQ(text, "{\"type\":\"hello\",\"version\":1,"
	    "\"features\":[],\"role\":\"relay\","
	    "\"generation\":\"0123456789abcdef\"}");
	free(text);

	/* An agent's hello says neither. */
	m.u.hello.role = SIGMSG_ROLE_AGENT;
	m.u.hello.generation = 0;
	ATF_REQUIRE((text = sigmsg_encode(&m, &len)) != NULL);
	ATF_CHECK_STREQ(text, "{\"type\":\"hello\",\"version\":1,"
	    "\"features\":[]}");
	free(text);
	agent = "{\"type\":\"hello\",\"version\":1,\"role\":\"agent\"}";
	ATF_REQUIRE_MSG(sigmsg_parse(agent, strlen(agent), &out, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_CHECK_EQ(out.u.hello.role, SIGMSG_ROLE_AGENT);
	sigmsg_free(&out);
}

ATF_TC_WITHOUT_HEAD(round_trip_netmap);
ATF_TC_BODY(round_trip_netmap, tc)
{
	struct sigmsg		 m, out;
	struct sigmsg_peer	 peers[3];
	char			 name[SIGMSG_NAME_MAX];
	const char		*errstr;
	size_t			 i;

	memset(&m, 0, sizeof(m));
	memset(peers, 0, sizeof(peers));
	m.type = SIGMSG_NETMAP;
	fill_peer(&m.u.netmap.self, "me", 1);
	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "peer-%zu.example", i);
		fill_peer(&peers[i], name, 10 + i);
	}
	/* The least a peer can be. */
	memset(&peers[2], 0, sizeof(peers[2]));
	strlcpy(peers[2].name, "x", sizeof(peers[2].name));
	ATF_REQUIRE(prefix_parse("fd77::3", &peers[2].addrs[0], &errstr) == 0);
	peers[2].naddrs = 1;
	m.u.netmap.peers = peers;
	m.u.netmap.npeers = 3;
	m.u.netmap.lazy = 1;
	m.u.netmap.inactivity = 900;
	round_trip(&m, &out);
	ATF_CHECK(memcmp(&m.u.netmap.self, &out.u.netmap.self,
	    sizeof(m.u.netmap.self)) == 0);
	ATF_REQUIRE_EQ(out.u.netmap.npeers, 3);
	ATF_CHECK(memcmp(peers, out.u.netmap.peers, sizeof(peers)) == 0);
	ATF_CHECK_EQ(out.u.netmap.lazy, 1);
	ATF_CHECK_EQ(out.u.netmap.inactivity, 900);
	sigmsg_free(&out);
	ATF_CHECK_EQ(out.type, 0);

	/* No peers, no features: lazy off, threshold left to the agent. */
	m.u.netmap.npeers = 0;
	m.u.netmap.lazy = 0;
	m.u.netmap.inactivity = 0;
	round_trip(&m, &out);
	ATF_CHECK_EQ(out.u.netmap.npeers, 0);
	ATF_CHECK(out.u.netmap.peers == NULL);
	ATF_CHECK_EQ(out.u.netmap.lazy, 0);
	ATF_CHECK_EQ(out.u.netmap.inactivity, 0);
	sigmsg_free(&out);
}

ATF_TC_WITHOUT_HEAD(round_trip_relays);
ATF_TC_BODY(round_trip_relays, tc)
{
	struct sigmsg		 m, out;
	struct sigmsg_relay	*r;
	size_t			 i;

	memset(&m, 0, sizeof(m));
	m.type = SIGMSG_RELAYS;
	for (i = 0; i < SIGMSG_RELAYS_MAX; i++) {
		r = &m.u.relays.relays[i];
		snprintf(r->id, sizeof(r->id), "relay%zu", i);
		snprintf(r->address, sizeof(r->address), i % 2 ?
		    "relay%zu.example.net:3478" : "[2001:db8::%zu]:3478", i);
		snprintf(r->username, sizeof(r->username),
		    "1700000000:node%zu", i);
		strlcpy(r->password, "c2VjcmV0L2htYWMrc2hhMT0=",
		    sizeof(r->password));
		strlcpy(r->realm, "tern.example", sizeof(r->realm));
		r->expires = INT64_MAX - i;
	}
	m.u.relays.nrelays = SIGMSG_RELAYS_MAX;
	strlcpy(m.u.relays.connected[0], "relay1", SIGMSG_NAME_MAX);
	strlcpy(m.u.relays.connected[1], "relay2", SIGMSG_NAME_MAX);
	m.u.relays.nconnected = 2;
	strlcpy(m.u.relays.disconnected[0], "relay3", SIGMSG_NAME_MAX);
	m.u.relays.ndisconnected = 1;
	round_trip(&m, &out);
	ATF_CHECK(memcmp(&m, &out, sizeof(m)) == 0);
	sigmsg_free(&out);

	/* Registered relays carry their generation, others none. */
	for (i = 0; i < SIGMSG_RELAYS_MAX; i += 2)
		m.u.relays.relays[i].generation = UINT64_MAX - i;
	round_trip(&m, &out);
	ATF_CHECK(memcmp(&m, &out, sizeof(m)) == 0);
	ATF_CHECK_EQ(out.u.relays.relays[0].generation, UINT64_MAX);
	ATF_CHECK_EQ(out.u.relays.relays[1].generation, 0);
	sigmsg_free(&out);
}

ATF_TC_WITHOUT_HEAD(round_trip_signal);
ATF_TC_BODY(round_trip_signal, tc)
{
	struct sigmsg	 m, out;

	memset(&m, 0, sizeof(m));
	m.type = SIGMSG_SIGNAL;
	memset(m.u.signal.to, 0x42, KEY_LEN);
	randombytes_buf(m.u.signal.box, SIGMSG_BOX_MAX);
	m.u.signal.boxlen = SIGMSG_BOX_MAX;
	round_trip(&m, &out);
	ATF_CHECK(memcmp(&m, &out, sizeof(m)) == 0);
	ATF_CHECK_EQ(out.u.signal.has_from, 0);
	sigmsg_free(&out);

	/* As the server forwards it. */
	m.u.signal.has_from = 1;
	memset(m.u.signal.from, 0x17, KEY_LEN);
	m.u.signal.boxlen = 1;
	round_trip(&m, &out);
	ATF_CHECK_EQ(out.u.signal.has_from, 1);
	ATF_CHECK(memcmp(out.u.signal.from, m.u.signal.from, KEY_LEN) == 0);
	ATF_CHECK(memcmp(out.u.signal.to, m.u.signal.to, KEY_LEN) == 0);
	ATF_CHECK_EQ(out.u.signal.boxlen, 1);
	ATF_CHECK_EQ(out.u.signal.box[0], m.u.signal.box[0]);
	sigmsg_free(&out);
}

ATF_TC_WITHOUT_HEAD(round_trip_error_ping);
ATF_TC_BODY(round_trip_error_ping, tc)
{
	struct sigmsg	 m, out;

	memset(&m, 0, sizeof(m));
	m.type = SIGMSG_ERROR;
	strlcpy(m.u.error.code, "version", sizeof(m.u.error.code));
	strlcpy(m.u.error.message, "protocol version 2 is not supported, "
	    "\"1\" is", sizeof(m.u.error.message));
	round_trip(&m, &out);
	ATF_CHECK(memcmp(&m, &out, sizeof(m)) == 0);
	sigmsg_free(&out);

	memset(&m, 0, sizeof(m));
	m.type = SIGMSG_PING;
	m.u.seq = SIGMSG_SEQ_MAX;
	round_trip(&m, &out);
	ATF_CHECK_EQ(out.u.seq, SIGMSG_SEQ_MAX);
	sigmsg_free(&out);
	m.type = SIGMSG_PONG;
	m.u.seq = 0;
	round_trip(&m, &out);
	ATF_CHECK_EQ(out.u.seq, 0);
	sigmsg_free(&out);
}

/* text fails to parse with exactly the error want. */
static void
check_error(const char *text, size_t len, const char *want)
{
	struct sigmsg	 m;
	char		 err[ERRLEN] = "";

	memset(&m, 0xa5, sizeof(m));
	ATF_CHECK_MSG(sigmsg_parse(text, len, &m, err, sizeof(err)) == -1,
	    "accepted: %.200s", text);
	ATF_CHECK_STREQ_MSG(err, want, "input: %.200s", text);
	/* A failed parse leaves nothing to free. */
	ATF_CHECK_EQ(m.type, 0);
}

static const struct {
	const char	*text;
	const char	*err;
} malformed[] = {
	/* Not a message at all. */
	{ "", "not JSON: parse error: premature EOF" },
	{ "not json", "not JSON: lexical error: invalid string in json text." },
	{ "{\"type\":\"ping\",\"seq\":1",
	    "not JSON: parse error: premature EOF" },
	{ "{\"type\":\"ping\",\"seq\":1} x",
	    "not JSON: parse error: trailing garbage" },
	{ "{\"type\":\"ping\",/*x*/\"seq\":1}",
	    "not JSON: comment at offset 15" },
	{ "{\"type\":\"ping\\u0000\",\"seq\":1}",
	    "string with a NUL character at offset 13" },
	{ "{\"type\":\"ping\",\"x\":[[[[[[[[]]]]]]]],\"seq\":1}",
	    "nesting too deep: more than 8 levels" },
	{ "[1]", "message: not a JSON object" },

	/* The type. */
	{ "{\"seq\":1}", "missing field: type" },
	{ "{\"type\":7}", "type: not a string" },
	{ "{\"type\":\"x\"}", "type: unknown message type \"x\"" },
	{ "{\"type\":\"a\\\"b\\n\"}", "type: unknown message type \"a?b?\"" },
	{ "{\"type\":\"0123456789012345678901234567890123456789\"}",
	    "type: unknown message type "
	    "\"01234567890123456789012345678901...\"" },
	{ "{\"type\":\"ping\",\"type\":\"ping\",\"seq\":1}",
	    "type: duplicate field" },

	/* Integers. */
	{ "{\"type\":\"ping\"}", "missing field: ping.seq" },
	{ "{\"type\":\"ping\",\"seq\":-1}",
	    "ping.seq: not an integer in 0..4294967295" },
	{ "{\"type\":\"pong\",\"seq\":4294967296}",
	    "pong.seq: not an integer in 0..4294967295" },
	{ "{\"type\":\"ping\",\"seq\":\"1\"}",
	    "ping.seq: not an integer in 0..4294967295" },
	{ "{\"type\":\"ping\",\"seq\":1.5}",
	    "ping.seq: not an integer in 0..4294967295" },
	{ "{\"type\":\"ping\",\"seq\":1e3}",
	    "ping.seq: not an integer in 0..4294967295" },
	{ "{\"type\":\"ping\",\"seq\":99999999999999999999}",
	    "ping.seq: not an integer in 0..4294967295" },
	{ "{\"type\":\"hello\",\"version\":0}",
	    "hello.version: not an integer in 1..65535" },
	{ "{\"type\":\"hello\",\"version\":1,\"features\":\"lazy\"}",
	    "hello.features: not an array" },
	{ "{\"type\":\"hello\",\"version\":1,\"features\":[true]}",
	    "hello.features[0]: not a string" },
	{ "{\"type\":\"hello\",\"version\":1,\"software\":10}",
	    "hello.software: not a string" },
	{ "{\"type\":\"hello\",\"version\":1,\"software\":null}",
	    "hello.software: not a string" },
	{ "{\"type\":\"hello\",\"version\":1,\"software\":\"0.1.0\","
	    "\"software\":\"0.1.0\"}",
	    "hello.software: duplicate field" },
	{ "{\"type\":\"hello\",\"version\":1,\"software\":\"0.1\\n\"}",
	    "hello.software: control character" },
	{ "{\"type\":\"hello\",\"version\":1,\"software\":\""
	    "0123456789012345678901234567890123456789012345678901234567890123"
	    "\"}",
	    "hello.software: longer than 63 bytes" },
	{ "{\"type\":\"hello\",\"version\":1,\"role\":\"server\"}",
	    "hello.role: unknown role \"server\"" },
	{ "{\"type\":\"hello\",\"version\":1,\"role\":1}",
	    "hello.role: not a string" },
	{ "{\"type\":\"hello\",\"version\":1,\"role\":\"\"}",
	    "hello.role: empty" },
	{ "{\"type\":\"hello\",\"version\":1,\"role\":\"relay\"}",
	    "missing field: hello.generation" },
	{ "{\"type\":\"hello\",\"version\":1,"
	    "\"generation\":\"0123456789abcdef\"}",
	    "hello.generation: only a relay has one" },
	{ "{\"type\":\"hello\",\"version\":1,\"role\":\"agent\","
	    "\"generation\":\"0123456789abcdef\"}",
	    "hello.generation: only a relay has one" },
	{ "{\"type\":\"hello\",\"version\":1,\"role\":\"relay\","
	    "\"generation\":\"0123456789ABCDEF\"}",
	    "hello.generation: not 16 lowercase hex digits" },
	{ "{\"type\":\"hello\",\"version\":1,\"role\":\"relay\","
	    "\"generation\":\"123456789abcdef\"}",
	    "hello.generation: not 16 lowercase hex digits" },
	{ "{\"type\":\"hello\",\"version\":1,\"role\":\"relay\","
	    "\"generation\":\"00123456789abcdef\"}",
	    "hello.generation: not 16 lowercase hex digits" },
	{ "{\"type\":\"hello\",\"version\":1,\"role\":\"relay\","
	    "\"generation\":\"0x23456789abcdef\"}",
	    "hello.generation: not 16 lowercase hex digits" },
	{ "{\"type\":\"hello\",\"version\":1,\"role\":\"relay\","
	    "\"generation\":\" 123456789abcdef\"}",
	    "hello.generation: not 16 lowercase hex digits" },
	{ "{\"type\":\"hello\",\"version\":1,\"role\":\"relay\","
	    "\"generation\":\"0000000000000000\"}",
	    "hello.generation: zero" },
	{ "{\"type\":\"hello\",\"version\":1,\"role\":\"relay\","
	    "\"generation\":81985529216486895}",
	    "hello.generation: not a string" },
	{ "{\"type\":\"hello\",\"version\":1,\"role\":\"relay\","
	    "\"generation\":\"0123456789abcdef\","
	    "\"generation\":\"0123456789abcdef\"}",
	    "hello.generation: duplicate field" },

	/* signal */
	{ "{\"type\":\"signal\",\"box\":\"AA==\"}",
	    "missing field: signal.to" },
	{ "{\"type\":\"signal\",\"to\":\"" K0 "\"}",
	    "missing field: signal.box" },
	{ "{\"type\":\"signal\",\"to\":\"AAAA\",\"box\":\"AA==\"}",
	    "signal.to: not a base64 key of 32 bytes" },
	{ "{\"type\":\"signal\",\"from\":null,\"to\":\"" K0 "\","
	    "\"box\":\"AA==\"}",
	    "signal.from: not a string" },
	{ "{\"type\":\"signal\",\"to\":\"" K0 "\",\"box\":\"\"}",
	    "signal.box: empty" },
	{ "{\"type\":\"signal\",\"to\":\"" K0 "\",\"box\":\"AA!=\"}",
	    "signal.box: not base64" },
	{ "{\"type\":\"signal\",\"to\":\"" K0 "\",\"box\":[]}",
	    "signal.box: not a string" },

	/* error */
	{ "{\"type\":\"error\",\"code\":\"auth\"}",
	    "missing field: error.message" },
	{ "{\"type\":\"error\",\"code\":\"bad code\",\"message\":\"\"}",
	    "error.code: invalid character, want A-Z a-z 0-9 . _ -" },
	{ "{\"type\":\"error\",\"code\":\"\",\"message\":\"\"}",
	    "error.code: empty" },
	{ "{\"type\":\"error\",\"code\":\"a\",\"message\":\"two\\nlines\"}",
	    "error.message: control character" },
	{ "{\"type\":\"error\",\"code\":\"0123456789012345678901234567890123456"
	    "789012345678901234567890123\",\"message\":\"\"}",
	    "error.code: longer than 63 bytes" },

	/* netmap */
	{ "{\"type\":\"netmap\",\"peers\":[]}", "missing field: netmap.self" },
	{ "{\"type\":\"netmap\",\"self\":[],\"peers\":[]}",
	    "netmap.self: not an object" },
	{ "{\"type\":\"netmap\",\"self\":" PEER("me") "}",
	    "missing field: netmap.peers" },
	{ "{\"type\":\"netmap\",\"self\":" PEER("me") ",\"peers\":{}}",
	    "netmap.peers: not an array" },
	{ NETMAP(PEER("a") "," PEER("b") "," PEER("c") ",{\"name\":\"d\","
	    "\"node_key\":\"" K0 "\",\"wg_key\":\"" K0 "x\"}"),
	    "netmap.peers[3].wg_key: not a base64 key of 32 bytes" },
	{ NETMAP(PEER("a b")),
	    "netmap.peers[0].name: invalid character, want A-Z a-z 0-9 . _ -" },
	{ NETMAP(PEER("caf\xc3\xa9")),
	    "netmap.peers[0].name: invalid character, want A-Z a-z 0-9 . _ -" },
	{ NETMAP(PEER("")), "netmap.peers[0].name: empty" },
	{ NETMAP(PEER("0123456789012345678901234567890123456789012345678901"
	    "234567890123")), "netmap.peers[0].name: longer than 63 bytes" },
	{ NETMAP("{\"name\":\"a\",\"node_key\":\"" K0 "\",\"wg_key\":\"" K0
	    "\"}"), "missing field: netmap.peers[0].addresses" },
	{ NETMAP("{\"name\":\"a\",\"node_key\":\"" K0 "\",\"wg_key\":\"" K0
	    "\",\"addresses\":[]}"),
	    "netmap.peers[0].addresses: 0 entries, at least 1" },
	{ NETMAP("{\"name\":\"a\",\"node_key\":\"" K0 "\",\"wg_key\":\"" K0
	    "\",\"addresses\":[\"10.0.0.300/32\"]}"),
	    "netmap.peers[0].addresses[0]: invalid address" },
	{ NETMAP("{\"name\":\"a\",\"node_key\":\"" K0 "\",\"wg_key\":\"" K0
	    "\",\"addresses\":[\"10.0.0.1/32\",\"fd00::1/129\"]}"),
	    "netmap.peers[0].addresses[1]: invalid prefix length" },
	{ NETMAP("{\"name\":\"a\",\"node_key\":\"" K0 "\",\"wg_key\":\"" K0
	    "\",\"addresses\":[\"10.0.0.1\"],"
	    "\"allowed_ips\":[\"10.1.0.1/24\"]}"),
	    "netmap.peers[0].allowed_ips[0]: host bits set" },
	{ NETMAP("{\"name\":\"a\",\"node_key\":\"" K0 "\",\"wg_key\":\"" K0
	    "\",\"addresses\":[\"10.0.0.1\"],\"groups\":[\"g\",\"g\",\"g\","
	    "\"g\","
	    "\"g\",\"g\",\"g\",\"g\",\"g\",\"g\",\"g\",\"g\",\"g\",\"g\",\"g\","
	    "\"g\",\"g\",\"g\",\"g\",\"g\",\"g\",\"g\",\"g\",\"g\",\"g\",\"g\","
	    "\"g\",\"g\",\"g\",\"g\",\"g\",\"g\",\"g\"]}"),
	    "netmap.peers[0].groups: more than 32 entries" },
	{ NETMAP("{\"name\":\"a\",\"node_key\":\"" K0 "\",\"wg_key\":\"" K0
	    "\",\"addresses\":[\"10.0.0.1\"],\"flags\":[\"relay-only\",1]}"),
	    "netmap.peers[0].flags[1]: not a string" },
	{ NETMAP("{\"name\":\"a\",\"node_key\":\"" K0 "\",\"wg_key\":\"" K0
	    "\",\"addresses\":[\"10.0.0.1\"],\"version\":false}"),
	    "netmap.peers[0].version: not a string" },
	{ "{\"type\":\"netmap\",\"self\":" PEER("me") ",\"peers\":[],"
	    "\"features\":true}", "netmap.features: not an object" },
	{ "{\"type\":\"netmap\",\"self\":" PEER("me") ",\"peers\":[],"
	    "\"features\":{\"lazy_connections\":\"yes\"}}",
	    "netmap.features.lazy_connections: not a boolean" },
	{ "{\"type\":\"netmap\",\"self\":" PEER("me") ",\"peers\":[],"
	    "\"features\":{\"inactivity_threshold\":59}}",
	    "netmap.features.inactivity_threshold: not an integer in "
	    "60..604800" },

	/* relays */
	{ "{\"type\":\"relays\"}", "missing field: relays.relays" },
	{ "{\"type\":\"relays\",\"relays\":[{\"id\":\"r\"}]}",
	    "missing field: relays.relays[0].address" },
	{ "{\"type\":\"relays\",\"relays\":[{\"id\":\"r\",\"address\":"
	    "\"relay.example\"}]}", "relays.relays[0].address: not host:port" },
	{ "{\"type\":\"relays\",\"relays\":[{\"id\":\"r\",\"address\":"
	    "\"relay.example:0\"}]}",
	    "relays.relays[0].address: not host:port" },
	{ "{\"type\":\"relays\",\"relays\":[{\"id\":\"r\",\"address\":"
	    "\"2001:db8::1:3478\"}]}",
	    "relays.relays[0].address: not host:port" },
	{ "{\"type\":\"relays\",\"relays\":[{\"id\":\"r\",\"address\":"
	    "\"a:3478\",\"expires\":-1}]}",
	    "relays.relays[0].expires: not an integer in "
	    "0..9223372036854775807" },
	{ "{\"type\":\"relays\",\"relays\":[],\"connected\":[\"\"]}",
	    "relays.connected[0]: empty" },
	{ "{\"type\":\"relays\",\"relays\":[],\"disconnected\":[\"a b\"]}",
	    "relays.disconnected[0]: invalid character, want A-Z a-z 0-9 . _ -" },
	{ "{\"type\":\"relays\",\"relays\":[{\"id\":\"r\",\"address\":"
	    "\"a:3478\",\"generation\":\"fffffffffffffffg\"}]}",
	    "relays.relays[0].generation: not 16 lowercase hex digits" },
	{ "{\"type\":\"relays\",\"relays\":[{\"id\":\"r\",\"address\":"
	    "\"a:3478\",\"generation\":\"0000000000000000\"}]}",
	    "relays.relays[0].generation: zero" },
	{ "{\"type\":\"relays\",\"relays\":[{\"id\":\"r\",\"address\":"
	    "\"a:3478\",\"generation\":null}]}",
	    "relays.relays[0].generation: not a string" },
};

ATF_TC_WITHOUT_HEAD(malformed);
ATF_TC_BODY(malformed, tc)
{
	size_t	 i;

	for (i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++)
		check_error(malformed[i].text, strlen(malformed[i].text),
		    malformed[i].err);

	/* A NUL byte cuts nothing short. */
	check_error("{\"type\":\"ping\",\"seq\":1}\0{", 25,
	    "not JSON: NUL byte at offset 23");
}

ATF_TC_WITHOUT_HEAD(oversize);
ATF_TC_BODY(oversize, tc)
{
	char	*text, want[ERRLEN];

	ATF_REQUIRE((text = malloc(SIGMSG_MAX + 1)) != NULL);
	memset(text, ' ', SIGMSG_MAX + 1);
	snprintf(want, sizeof(want), "message too large: %d bytes, at most %d",
	    SIGMSG_MAX + 1, SIGMSG_MAX);
	check_error(text, SIGMSG_MAX + 1, want);
	free(text);
}

ATF_TC_WITHOUT_HEAD(box_size);
ATF_TC_BODY(box_size, tc)
{
	struct sigmsg	 m;
	char		 err[ERRLEN], *text;
	size_t		 len;

	text = gen_signal(SIGMSG_BOX_MAX, &len);
	ATF_REQUIRE_MSG(sigmsg_parse(text, len, &m, err, sizeof(err)) == 0,
	    "%s", err);
	ATF_CHECK_EQ(m.u.signal.boxlen, SIGMSG_BOX_MAX);
	sigmsg_free(&m);
	free(text);

	/* Base64 as long as the largest box's, but decoding longer. */
	text = gen_signal(SIGMSG_BOX_MAX + 1, &len);
	check_error(text, len, "signal.box: larger than 4096 bytes");
	free(text);
	/* Refused on its length alone. */
	text = gen_signal(SIGMSG_BOX_MAX * 2, &len);
	check_error(text, len, "signal.box: larger than 4096 bytes");
	free(text);
}

/* A signal message carrying a box of boxlen zero bytes. */
static char *
gen_signal(size_t boxlen, size_t *len)
{
	uint8_t	*box;
	char	*b64, *text;
	size_t	 b64len, size;

	ATF_REQUIRE((box = calloc(1, boxlen)) != NULL);
	b64len = sodium_base64_ENCODED_LEN(boxlen,
	    sodium_base64_VARIANT_ORIGINAL);
	ATF_REQUIRE((b64 = malloc(b64len)) != NULL);
	sodium_bin2base64(b64, b64len, box, boxlen,
	    sodium_base64_VARIANT_ORIGINAL);
	size = b64len + ERRLEN;
	ATF_REQUIRE((text = malloc(size)) != NULL);
	*len = snprintf(text, size, "{\"type\":\"signal\",\"to\":\"" K0 "\","
	    "\"box\":\"%s\"}", b64);
	ATF_REQUIRE(*len < size);
	free(b64);
	free(box);
	return text;
}

/* A netmap of n small peers, as short as they come. */
static char *
gen_netmap(size_t n, size_t *len)
{
	char	*text;
	size_t	 i, off, size;

	size = n * GEN_PEER_MAX + 1024;
	ATF_REQUIRE((text = malloc(size)) != NULL);
	off = snprintf(text, size, "{\"type\":\"netmap\",\"self\":%s,"
	    "\"peers\":[", PEER("me"));
	for (i = 0; i < n; i++)
		off += snprintf(text + off, size - off, "%s{\"name\":\"%zx\","
		    "\"node_key\":\"" K0 "\",\"wg_key\":\"" K1 "\","
		    "\"addresses\":[\"10.%zu.%zu.%zu\"]}", i ? "," : "", i,
		    (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff);
	off += snprintf(text + off, size - off, "]}");
	ATF_REQUIRE(off < size);
	*len = off;
	return text;
}

ATF_TC_WITHOUT_HEAD(peers_max);
ATF_TC_BODY(peers_max, tc)
{
	struct sigmsg		 m;
	struct sigmsg_peer	*last;
	char			*text, err[ERRLEN];
	size_t			 len;

	text = gen_netmap(SIGMSG_PEERS_MAX, &len);
	ATF_REQUIRE_MSG(len <= SIGMSG_MAX, "%zu bytes", len);
	ATF_REQUIRE_MSG(sigmsg_parse(text, len, &m, err, sizeof(err)) == 0,
	    "%s", err);
	ATF_CHECK_EQ(m.u.netmap.npeers, SIGMSG_PEERS_MAX);
	last = &m.u.netmap.peers[SIGMSG_PEERS_MAX - 1];
	ATF_CHECK_STREQ(last->name, "ffff");
	/* 10.0.255.255 */
	ATF_CHECK_EQ(last->addrs[0].a.v4.s_addr, htonl(0x0a00ffff));
	sigmsg_free(&m);
	free(text);

	text = gen_netmap(SIGMSG_PEERS_MAX + 1, &len);
	ATF_REQUIRE(len <= SIGMSG_MAX);
	check_error(text, len, "netmap.peers: more than 65536 entries");
	free(text);
}

ATF_TC_WITHOUT_HEAD(unknown_fields);
ATF_TC_BODY(unknown_fields, tc)
{
	struct sigmsg	 m;
	char		 err[ERRLEN];
	const char	*text;

	/* Newer servers add members, flags and features: all ignored. */
	text = "{\"z\":{\"a\":[1,2,{}]},\"type\":\"netmap\",\"self\":{"
	    "\"name\":\"me\",\"node_key\":\"" K0 "\",\"wg_key\":\"" K1 "\","
	    "\"addresses\":[\"10.77.0.1/32\"],"
	    "\"flags\":[\"relay-only\",\"quantum\"],\"colour\":\"blue\"},"
	    "\"peers\":[],\"features\":{\"lazy_connections\":true,"
	    "\"teleport\":[[[[]]]]},\"future\":null}";
	ATF_REQUIRE_MSG(sigmsg_parse(text, strlen(text), &m, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_CHECK_EQ(m.type, SIGMSG_NETMAP);
	ATF_CHECK_STREQ(m.u.netmap.self.name, "me");
	ATF_CHECK_EQ(m.u.netmap.self.flags, SIGMSG_PEER_RELAY_ONLY);
	ATF_CHECK_EQ(m.u.netmap.lazy, 1);
	sigmsg_free(&m);

	text = "{\"type\":\"hello\",\"version\":2,\"features\":[\"lazy\","
	    "\"warp\"],\"os\":\"linux\"}";
	ATF_REQUIRE(sigmsg_parse(text, strlen(text), &m, err,
	    sizeof(err)) == 0);
	ATF_CHECK_EQ(m.u.hello.version, 2);
	ATF_CHECK_EQ(m.u.hello.features, SIGMSG_FEAT_LAZY);
	ATF_CHECK_STREQ(m.u.hello.software, "");
	sigmsg_free(&m);

	/* An escaped backslash before "u0000" is no NUL. */
	text = "{\"type\":\"error\",\"code\":\"x\",\"message\":\"a\\\\u0000\"}";
	ATF_REQUIRE_MSG(sigmsg_parse(text, strlen(text), &m, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_CHECK_STREQ(m.u.error.message, "a\\u0000");
	sigmsg_free(&m);

	/* Nesting up to the limit is fine. */
	text = "{\"type\":\"ping\",\"x\":[[[[[[[]]]]]]],\"seq\":7}";
	ATF_REQUIRE_MSG(sigmsg_parse(text, strlen(text), &m, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_CHECK_EQ(m.u.seq, 7);
	sigmsg_free(&m);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, round_trip_hello);
	ATF_TP_ADD_TC(tp, round_trip_relay_hello);
	ATF_TP_ADD_TC(tp, round_trip_netmap);
	ATF_TP_ADD_TC(tp, round_trip_relays);
	ATF_TP_ADD_TC(tp, round_trip_signal);
	ATF_TP_ADD_TC(tp, round_trip_error_ping);
	ATF_TP_ADD_TC(tp, malformed);
	ATF_TP_ADD_TC(tp, oversize);
	ATF_TP_ADD_TC(tp, box_size);
	ATF_TP_ADD_TC(tp, peers_max);
	ATF_TP_ADD_TC(tp, unknown_fields);
	return atf_no_error();
}
