/*
 * Unit tests of ternctl's output back ends: the relay, its allocation,
 * each peer's path and round trip in status, netcheck, and ping, in text
 * and JSON, from hand-made engine answers.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>

#include "ternctl.h"
#include "test_util.h"

#define RELAY_PORT		3478		/* tern-relay's default */
#define MAPPED_PORT		51820		/* the engine's default */
#define RELAY_ALLOC_PORT	49152		/* RFC 8656's first relayed port */

/* JSON without the whitespace between tokens, in place. */
static char *
json_compact(char *s)
{
	char	*r, *w;
	int	 in_str = 0, esc = 0;

	for (r = w = s; *r != '\0'; r++) {
		if (in_str) {
			if (esc)
				esc = 0;
			else if (*r == '\\')
				esc = 1;
			else if (*r == '"')
				in_str = 0;
		} else if (*r == '"')
			in_str = 1;
		else if (*r == ' ' || *r == '\n' || *r == '\t')
			continue;
		*w++ = *r;
	}
	*w = '\0';
	return s;
}

static void
set_v4(struct sockaddr_storage *ss, const char *a, uint16_t port)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	ATF_REQUIRE(inet_pton(AF_INET, a, &sin->sin_addr) == 1);
}

/* IPv6, or IPv4 as v4-mapped when a is "::ffff:a.b.c.d". */
static void
set_v6(struct sockaddr_storage *ss, const char *a, uint16_t port)
{
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	ATF_REQUIRE(inet_pton(AF_INET6, a, &sin6->sin6_addr) == 1);
}

/* Runs the netcheck back end over h and r; returns what it printed. */
static char *
netcheck_run(const struct output *out, const struct ctl_netcheck_hdr *h,
    const struct ctl_netcheck_relay *r)
{
	size_t	 i;
	int	 saved;

	saved = test_stdout_begin();
	out->nc_head(h);
	for (i = 0; i < h->nrelays; i++)
		out->nc_relay(h, i, &r[i]);
	out->nc_tail(h);
	return test_stdout_end(saved);
}

/*
 * Five relays: IPv4 in use; a host name; IPv6; IPv4 given v4-mapped
 * that did not answer; one that answered only the probe socket.
 */
#define NC_RELAYS	5
static void
netcheck_fill(struct ctl_netcheck_hdr *h, struct ctl_netcheck_relay *r)
{
	memset(h, 0, sizeof(*h));
	memset(r, 0, NC_RELAYS * sizeof(*r));
	h->nrelays = NC_RELAYS;
	h->picked = 0;
	h->symmetric_v4 = 1;
	h->symmetric_v6 = -1;

	strlcpy(r[0].addr, "203.0.113.1:3478", sizeof(r[0].addr));
	set_v4(&r[0].server, "203.0.113.1", RELAY_PORT);
	set_v4(&r[0].mapped, "198.51.100.7", MAPPED_PORT);
	r[0].rtt_us = 1234;
	r[0].bootstrap = 1;
	r[0].answered = 1;

	strlcpy(r[1].addr, "relay.example.net:3478", sizeof(r[1].addr));
	set_v6(&r[1].server, "::ffff:203.0.113.2", RELAY_PORT);
	set_v6(&r[1].mapped, "::ffff:198.51.100.7", 40000);
	r[1].rtt_us = 20000;
	r[1].answered = 1;

	strlcpy(r[2].addr, "[2001:db8::1]:3478", sizeof(r[2].addr));
	set_v6(&r[2].server, "2001:db8::1", RELAY_PORT);
	set_v6(&r[2].mapped, "2001:db8:1::7", MAPPED_PORT);
	r[2].answered = 1;

	strlcpy(r[3].addr, "203.0.113.3:3478", sizeof(r[3].addr));
	set_v6(&r[3].server, "::ffff:203.0.113.3", RELAY_PORT);
	strlcpy(r[3].error, "no answer", sizeof(r[3].error));

	strlcpy(r[4].addr, "relay2.example.net:3478", sizeof(r[4].addr));
	set_v4(&r[4].server, "203.0.113.4", RELAY_PORT);
	r[4].rtt_us = 999;
	strlcpy(r[4].error, "no answer to the engine's socket",
	    sizeof(r[4].error));
}

ATF_TC_WITHOUT_HEAD(netcheck_text);
ATF_TC_BODY(netcheck_text, tc)
{
	struct ctl_netcheck_hdr		 h;
	struct ctl_netcheck_relay	 r[NC_RELAYS];
	char				*s;

	netcheck_fill(&h, r);
	s = netcheck_run(&output_text, &h, r);
	ATF_CHECK_STREQ(s,
	    "relay 203.0.113.1:3478 (in use): public 198.51.100.7:51820, "
	    "rtt 1.2 ms\n"
	    "relay relay.example.net:3478 (203.0.113.2:3478): "
	    "public 198.51.100.7:40000, rtt 20.0 ms\n"
	    "relay [2001:db8::1]:3478: public [2001:db8:1::7]:51820, rtt -\n"
	    "relay 203.0.113.3:3478: no answer\n"
	    "relay relay2.example.net:3478 (203.0.113.4:3478): "
	    "no answer to the engine's socket, rtt 1.0 ms\n"
	    "NAT (IPv4): symmetric (mapping varies by destination)\n"
	    "NAT (IPv6): unknown (needs answers from two relays)\n");
	free(s);

	/* The relay in use named by address too; no error text at all. */
	h.picked = 1;
	h.symmetric_v4 = 0;
	h.symmetric_v6 = 0;
	r[3].error[0] = '\0';
	s = netcheck_run(&output_text, &h, r);
	ATF_CHECK(strstr(s, "relay relay.example.net:3478 "
	    "(203.0.113.2:3478, in use): public") != NULL);
	ATF_CHECK(strstr(s, "relay 203.0.113.1:3478: public") != NULL);
	ATF_CHECK(strstr(s, "relay 203.0.113.3:3478: no answer\n") != NULL);
	ATF_CHECK(strstr(s, "NAT (IPv4): endpoint-independent mapping\n"
	    "NAT (IPv6): endpoint-independent mapping\n") != NULL);
	free(s);
}

ATF_TC_WITHOUT_HEAD(netcheck_json);
ATF_TC_BODY(netcheck_json, tc)
{
	struct ctl_netcheck_hdr		 h;
	struct ctl_netcheck_relay	 r[NC_RELAYS];
	char				*s;

	netcheck_fill(&h, r);
	r[3].server.ss_family = AF_UNSPEC;
	strlcpy(r[3].error, "not resolved yet", sizeof(r[3].error));
	s = json_compact(netcheck_run(&output_json, &h, r));
	ATF_CHECK_STREQ(s, "{\"relays\":["
	    "{\"address\":\"203.0.113.1:3478\",\"server\":\"203.0.113.1:3478\","
	    "\"public\":\"198.51.100.7:51820\",\"rtt_ms\":1.234,"
	    "\"bootstrap\":true,\"in_use\":true,\"error\":null},"
	    "{\"address\":\"relay.example.net:3478\","
	    "\"server\":\"203.0.113.2:3478\","
	    "\"public\":\"198.51.100.7:40000\",\"rtt_ms\":20.000,"
	    "\"bootstrap\":false,\"in_use\":false,\"error\":null},"
	    "{\"address\":\"[2001:db8::1]:3478\","
	    "\"server\":\"[2001:db8::1]:3478\","
	    "\"public\":\"[2001:db8:1::7]:51820\",\"rtt_ms\":null,"
	    "\"bootstrap\":false,\"in_use\":false,\"error\":null},"
	    "{\"address\":\"203.0.113.3:3478\",\"server\":null,"
	    "\"public\":null,\"rtt_ms\":null,"
	    "\"bootstrap\":false,\"in_use\":false,"
	    "\"error\":\"not resolved yet\"},"
	    "{\"address\":\"relay2.example.net:3478\","
	    "\"server\":\"203.0.113.4:3478\","
	    "\"public\":null,\"rtt_ms\":0.999,"
	    "\"bootstrap\":false,\"in_use\":false,"
	    "\"error\":\"no answer to the engine's socket\"}],"
	    "\"symmetric_v4\":true,\"symmetric_v6\":null}");
	free(s);
}

ATF_TC_WITHOUT_HEAD(netcheck_empty);
ATF_TC_BODY(netcheck_empty, tc)
{
	struct ctl_netcheck_hdr	 h;
	char			*s;

	memset(&h, 0, sizeof(h));
	h.picked = -1;
	h.symmetric_v4 = -1;
	h.symmetric_v6 = -1;
	s = netcheck_run(&output_text, &h, NULL);
	ATF_CHECK_STREQ(s, "relays: none\n"
	    "NAT (IPv4): unknown (needs answers from two relays)\n"
	    "NAT (IPv6): unknown (needs answers from two relays)\n");
	free(s);
	h.symmetric_v6 = 0;
	s = json_compact(netcheck_run(&output_json, &h, NULL));
	ATF_CHECK_STREQ(s, "{\"relays\":[],\"symmetric_v4\":null,"
	    "\"symmetric_v6\":false}");
	free(s);
}

/* Runs the status back end over h and one peer p; returns the output. */
static char *
status_run(const struct output *out, const struct ctl_status_hdr *h,
    const struct ctl_status_peer *p)
{
	int	 saved;

	saved = test_stdout_begin();
	out->head(h);
	out->peer(p);
	out->tail();
	return test_stdout_end(saved);
}

/* A connected peer with a pair: srflx v4-mapped -> host. */
static void
status_fill(struct ctl_status_hdr *h, struct ctl_status_peer *p)
{
	memset(h, 0, sizeof(*h));
	strlcpy(h->ifname, "tern0", sizeof(h->ifname));
	h->sig_state = SIG_NONE;
	h->npeers = 1;
	memset(p, 0, sizeof(*p));
	strlcpy(p->name, "beta", sizeof(p->name));
	p->state = PEER_CONNECTED;
	p->idle_in = -1;
	set_v4(&p->endpoint, "192.0.2.9", MAPPED_PORT);
	set_v4(&p->local, "198.51.100.7", MAPPED_PORT);
	p->local_type = CAND_SRFLX;
	p->remote_type = CAND_HOST;
	p->peerport.sin_family = AF_INET;
	p->peerport.sin_port = htons(TERND_PEERPORT_DEFAULT);
	ATF_REQUIRE(inet_pton(AF_INET, "127.0.0.2",
	    &p->peerport.sin_addr) == 1);
}

ATF_TC_WITHOUT_HEAD(status_text);
ATF_TC_BODY(status_text, tc)
{
	struct ctl_status_hdr	 h;
	struct ctl_status_peer	 p;
	char			*s;

	status_fill(&h, &p);
	output_detail = 0;
	s = status_run(&output_text, &h, &p);
	ATF_CHECK(strstr(s, "\nrelay: none\n") != NULL);
	ATF_CHECK(strstr(s, "\n  path: direct, candidate pair: srflx "
	    "198.51.100.7:51820 -> host 192.0.2.9:51820\n  peer port: ") != NULL);
	ATF_CHECK(strstr(s, "rtt") == NULL);
	free(s);

	strlcpy(h.relay, "203.0.113.1:3478", sizeof(h.relay));
	p.rtt_us = 1250;
	output_detail = 1;
	s = status_run(&output_text, &h, &p);
	ATF_CHECK(strstr(s, "\nrelay: 203.0.113.1:3478 (hash pick)\n") != NULL);
	ATF_CHECK(strstr(s, "\n  path: direct, candidate pair: srflx "
	    "198.51.100.7:51820 -> host 192.0.2.9:51820\n  rtt: 1.2 ms\n"
	    "  peer port: ") != NULL);
	free(s);

	strlcpy(h.relay, "[2001:db8::1]:3478", sizeof(h.relay));
	h.relay_by_rtt = 1;
	p.rtt_us = 0;
	s = status_run(&output_text, &h, &p);
	ATF_CHECK(strstr(s, "\nrelay: [2001:db8::1]:3478 (fastest)\n") != NULL);
	ATF_CHECK(strstr(s, "\n  rtt: -\n") != NULL);
	free(s);

	/* No pair, no path and no round trip. */
	p.local_type = CAND_NONE;
	s = status_run(&output_text, &h, &p);
	ATF_CHECK(strstr(s, "rtt") == NULL);
	ATF_CHECK(strstr(s, "path") == NULL);
	free(s);
	output_detail = 0;
}

/* The status back end's output for h and p holds want (JSON compacted). */
static void
status_has(const struct output *out, const struct ctl_status_hdr *h,
    const struct ctl_status_peer *p, const char *want)
{
	char	*s;

	s = status_run(out, h, p);
	if (out == &output_json)
		json_compact(s);
	ATF_CHECK_MSG(strstr(s, want) != NULL, "no \"%s\" in %s", want, s);
	free(s);
}

/* Either side of the pair relayed makes the path "relay". */
ATF_TC_WITHOUT_HEAD(status_text_relay);
ATF_TC_BODY(status_text_relay, tc)
{
	struct ctl_status_hdr	 h;
	struct ctl_status_peer	 p;

	status_fill(&h, &p);
	output_detail = 0;
	set_v4(&p.local, "203.0.113.1", RELAY_ALLOC_PORT);
	p.local_type = CAND_RELAY;
	status_has(&output_text, &h, &p, "\n  path: relay, candidate pair: "
	    "relay 203.0.113.1:49152 -> host 192.0.2.9:51820\n");

	set_v4(&p.local, "198.51.100.7", MAPPED_PORT);
	p.local_type = CAND_HOST;
	set_v4(&p.endpoint, "203.0.113.2", RELAY_ALLOC_PORT);
	p.remote_type = CAND_RELAY;
	status_has(&output_text, &h, &p, "\n  path: relay, candidate pair: "
	    "host 198.51.100.7:51820 -> relay 203.0.113.2:49152\n");
}

/* Path selection's record: never moved, then moved with its reason. */
ATF_TC_WITHOUT_HEAD(status_pathsel);
ATF_TC_BODY(status_pathsel, tc)
{
	struct ctl_status_hdr	 h;
	struct ctl_status_peer	 p;
	char			*s;

	status_fill(&h, &p);
	p.source = PEER_SRC_NETMAP;
	p.ps_flip_ago_ms = -1;
	p.ps_alt = 1;
	p.ps_silent_sends = 2;
	output_detail = 1;
	status_has(&output_text, &h, &p, "\n  path selection: direct, relay "
	    "path beside, 2 silent sends, 0 direct answers\n");
	s = json_compact(status_run(&output_json, &h, &p));
	ATF_CHECK(strstr(s, "\"path_selection\":{\"moved_to_relay\":false,"
	    "\"pinned\":false,\"relay_path_beside\":true,\"silent_sends\":2,"
	    "\"direct_answers\":0,\"last_move_ms_ago\":-1,\"last_move\":null}")
	    != NULL);
	free(s);

	p.ps_relay = 1;
	p.ps_flip_ago_ms = 12500;
	strlcpy(p.ps_why, "silent 8.2 s, 3 sends\033[2J", sizeof(p.ps_why));
	/* The engine's text is cleaned as ternctl cleans every answer. */
	output_clean_peer(&p);
	status_has(&output_text, &h, &p, "\n  path selection: moved to the "
	    "relay, relay path beside, 2 silent sends, 0 direct answers; last "
	    "move 12s ago (silent 8.2 s, 3 sends?[2J)\n");
	s = json_compact(status_run(&output_json, &h, &p));
	ATF_CHECK(strstr(s, "\"moved_to_relay\":true,") != NULL);
	ATF_CHECK(strstr(s, "\"last_move_ms_ago\":12500,\"last_move\":"
	    "\"silent 8.2 s, 3 sends?[2J\"}") != NULL);
	free(s);
	output_detail = 0;
}

ATF_TC_WITHOUT_HEAD(status_json);
ATF_TC_BODY(status_json, tc)
{
	struct ctl_status_hdr	 h;
	struct ctl_status_peer	 p;
	char			*s;

	status_fill(&h, &p);
	s = json_compact(status_run(&output_json, &h, &p));
	ATF_CHECK(strstr(s, "\"relay\":null,\"relay_by_rtt\":false,"
	    "\"peer_count\":1,") != NULL);
	ATF_CHECK(strstr(s, "\"permanent\":null,\"path\":\"direct\","
	    "\"pair\":{\"local\":\"198.51.100.7:51820\",") != NULL);
	ATF_CHECK(strstr(s, "\"remote_type\":\"host\"},\"rtt_ms\":null,")
	    != NULL);
	free(s);

	strlcpy(h.relay, "relay.example.net:3478", sizeof(h.relay));
	h.relay_by_rtt = 1;
	p.rtt_us = 12345;
	s = json_compact(status_run(&output_json, &h, &p));
	ATF_CHECK(strstr(s, "\"relay\":\"relay.example.net:3478\","
	    "\"relay_by_rtt\":true,") != NULL);
	ATF_CHECK(strstr(s, "\"rtt_ms\":12.345,") != NULL);
	/* The fields tests already parse are still there. */
	ATF_CHECK(strstr(s, "\"name\":\"beta\",\"state\":\"connected\","
	    "\"source\":\"static\",") != NULL);
	ATF_CHECK(strstr(s, "\"signal\":{\"state\":\"none\",") != NULL);
	free(s);
}

/* "path": "relay" with a relayed side, null without a pair. */
ATF_TC_WITHOUT_HEAD(status_json_path);
ATF_TC_BODY(status_json_path, tc)
{
	struct ctl_status_hdr	 h;
	struct ctl_status_peer	 p;

	status_fill(&h, &p);
	p.local_type = CAND_RELAY;
	status_has(&output_json, &h, &p, "\"path\":\"relay\",\"pair\":{"
	    "\"local\":\"198.51.100.7:51820\",\"local_type\":\"relay\",");

	p.local_type = CAND_PRFLX;
	p.remote_type = CAND_RELAY;
	status_has(&output_json, &h, &p, "\"path\":\"relay\",\"pair\":{");

	p.remote_type = CAND_PRFLX;
	status_has(&output_json, &h, &p, "\"path\":\"direct\",\"pair\":{");

	p.state = PEER_CONNECTING;
	p.local_type = CAND_NONE;
	p.remote_type = CAND_NONE;
	status_has(&output_json, &h, &p, "\"path\":null,\"pair\":null,");
}

/* A time long before the epoch, from a broken ternd: hours, no wrap. */
ATF_TC_WITHOUT_HEAD(status_ago_far);
ATF_TC_BODY(status_ago_far, tc)
{
	struct ctl_status_hdr	 h;
	struct ctl_status_peer	 p;
	char			*s, want[64];

	status_fill(&h, &p);
	p.last_handshake = INT64_MIN;
	p.last_activity = INT64_MAX;
	output_detail = 0;
	s = status_run(&output_text, &h, &p);
	snprintf(want, sizeof(want), "  last handshake: %lluh ago\n",
	    (unsigned long long)(((uint64_t)time(NULL) -
	    (uint64_t)INT64_MIN) / 3600));
	ATF_CHECK_MSG(strstr(s, want) != NULL, "%s", s);
	ATF_CHECK(strstr(s, "  last activity: 0s ago\n") != NULL);
	free(s);
}

/* A relay in use with a ready allocation; beta goes through it. */
static void
turn_fill(struct ctl_status_hdr *h, struct ctl_status_peer *p)
{
	status_fill(h, p);
	strlcpy(h->relay, "203.0.113.20:3478", sizeof(h->relay));
	h->turn_state = CTL_TURN_READY;
	set_v4(&h->turn_relayed, "203.0.113.20", RELAY_ALLOC_PORT);
	h->turn_perms = 2;
	h->turn_channels = 1;
	p->via_relay = 1;
}

ATF_TC_WITHOUT_HEAD(status_turn_text);
ATF_TC_BODY(status_turn_text, tc)
{
	struct ctl_status_hdr	 h;
	struct ctl_status_peer	 p;
	char			*s;

	turn_fill(&h, &p);
	output_detail = 1;
	s = status_run(&output_text, &h, &p);
	ATF_CHECK_MSG(strstr(s, "\nrelay: 203.0.113.20:3478 (hash pick)\n"
	    "  allocation: ready, relayed address 203.0.113.20:49152, "
	    "2 permissions, 1 channel\nlazy connections: ") != NULL, "%s", s);
	ATF_CHECK_MSG(strstr(s, "\n  via: relay 203.0.113.20:3478, "
	    "relayed address 203.0.113.20:49152\n") != NULL, "%s", s);
	free(s);

	/* Direct: the remote's address; without -d, no via line. */
	p.via_relay = 0;
	h.turn_perms = 1;
	h.turn_channels = 0;
	s = status_run(&output_text, &h, &p);
	ATF_CHECK(strstr(s, ", 1 permission, 0 channels\n") != NULL);
	ATF_CHECK_MSG(strstr(s, "\n  via: direct 192.0.2.9:51820\n") != NULL,
	    "%s", s);
	free(s);
	/* To the peer's relayed address: through its relay. */
	p.remote_type = CAND_RELAY;
	s = status_run(&output_text, &h, &p);
	ATF_CHECK_MSG(strstr(s, "\n  via: beta's relay 192.0.2.9:51820\n") !=
	    NULL, "%s", s);
	free(s);
	p.remote_type = CAND_HOST;
	output_detail = 0;
	s = status_run(&output_text, &h, &p);
	ATF_CHECK(strstr(s, "via:") == NULL);
	free(s);

	/* Not ready: no address, no counts. */
	h.turn_state = CTL_TURN_ALLOCATING;
	memset(&h.turn_relayed, 0, sizeof(h.turn_relayed));
	s = status_run(&output_text, &h, &p);
	ATF_CHECK(strstr(s, "\n  allocation: allocating\n") != NULL);
	free(s);
	h.turn_state = CTL_TURN_FAILED;
	s = status_run(&output_text, &h, &p);
	ATF_CHECK(strstr(s, "\n  allocation: failed\n") != NULL);
	free(s);
	/* Over a stream, which is said; UDP is not. */
	h.turn_transport = CTL_TURN_TLS;
	s = status_run(&output_text, &h, &p);
	ATF_CHECK_MSG(strstr(s, "\n  allocation: failed over tls\n") != NULL,
	    "%s", s);
	free(s);
	h.turn_transport = CTL_TURN_UDP;
	h.turn_state = CTL_TURN_NONE;
	s = status_run(&output_text, &h, &p);
	ATF_CHECK(strstr(s, "\n  allocation: none\n") != NULL);
	free(s);
	/* No relay: no allocation line; a peer without a path, no via. */
	h.relay[0] = '\0';
	memset(&p.endpoint, 0, sizeof(p.endpoint));
	output_detail = 1;
	s = status_run(&output_text, &h, &p);
	ATF_CHECK(strstr(s, "\nrelay: none\nlazy connections: ") != NULL);
	ATF_CHECK(strstr(s, "allocation") == NULL);
	ATF_CHECK(strstr(s, "via:") == NULL);
	free(s);
	output_detail = 0;
}

ATF_TC_WITHOUT_HEAD(status_turn_json);
ATF_TC_BODY(status_turn_json, tc)
{
	struct ctl_status_hdr	 h;
	struct ctl_status_peer	 p;
	char			*s;

	turn_fill(&h, &p);
	s = json_compact(status_run(&output_json, &h, &p));
	ATF_CHECK_MSG(strstr(s, "\"allocation\":"
	    "{\"state\":\"ready\",\"transport\":\"udp\","
	    "\"relayed_address\":\"203.0.113.20:49152\","
	    "\"permissions\":2,\"channels\":1},\"relay\":\"203.0.113.20:3478\","
	    "\"relay_by_rtt\":false,") != NULL, "%s", s);
	ATF_CHECK_MSG(strstr(s, "\"endpoint\":\"192.0.2.9:51820\","
	    "\"via_relay\":true,\"relay\":\"203.0.113.20:3478\","
	    "\"relayed_address\":\"203.0.113.20:49152\",\"peer_port\":")
	    != NULL, "%s", s);
	free(s);

	p.via_relay = 0;
	h.turn_state = CTL_TURN_NONE;
	memset(&h.turn_relayed, 0, sizeof(h.turn_relayed));
	h.turn_perms = h.turn_channels = 0;
	h.turn_transport = CTL_TURN_TCP;
	s = json_compact(status_run(&output_json, &h, &p));
	ATF_CHECK_MSG(strstr(s, "\"allocation\":{\"state\":\"none\","
	    "\"transport\":\"tcp\",\"relayed_address\":null,\"permissions\":0,\"channels\":0}")
	    != NULL, "%s", s);
	ATF_CHECK_MSG(strstr(s, "\"via_relay\":false,\"relay\":null,"
	    "\"relayed_address\":null,\"peer_port\":") != NULL, "%s", s);
	free(s);
}

/* Runs the ping back end over n pongs of peer beta. */
static char *
ping_run(const struct output *out, const struct ctl_pong *pong, size_t n)
{
	size_t	 i;
	int	 saved;

	saved = test_stdout_begin();
	for (i = 0; i < n; i++)
		out->pong("beta", &pong[i]);
	return test_stdout_end(saved);
}

/* Via our relay, direct, lost, no path, and via the peer's relay. */
#define PONGS	5
static void
ping_fill(struct ctl_pong *pong)
{
	memset(pong, 0, PONGS * sizeof(*pong));
	pong[0].status = CTL_PONG_REPLY;
	pong[0].seq = 1;
	pong[0].rtt_us = 12100;
	pong[0].via_relay = 1;
	set_v4(&pong[0].remote, "198.51.100.2", RELAY_ALLOC_PORT);
	strlcpy(pong[0].relay, "203.0.113.20:3478", sizeof(pong[0].relay));
	pong[1].status = CTL_PONG_REPLY;
	pong[1].seq = 2;
	pong[1].rtt_us = 1249;
	set_v6(&pong[1].remote, "::ffff:198.51.100.2", MAPPED_PORT);
	pong[2].status = CTL_PONG_LOST;
	pong[2].seq = 3;
	pong[2].waited_ms = 2000;
	pong[3].status = CTL_PONG_NO_PATH;
	pong[3].seq = 3;
	pong[3].waited_ms = 10499;
	pong[4].status = CTL_PONG_REPLY;
	pong[4].seq = 4;
	pong[4].rtt_us = 4049;
	pong[4].remote_relayed = 1;
	set_v4(&pong[4].remote, "203.0.113.30", RELAY_ALLOC_PORT);
}

ATF_TC_WITHOUT_HEAD(ping_text);
ATF_TC_BODY(ping_text, tc)
{
	struct ctl_pong	 pong[PONGS];
	char		*s;

	ping_fill(pong);
	s = ping_run(&output_text, pong, PONGS);
	ATF_CHECK_STREQ(s,
	    "pong from beta via relay 203.0.113.20:3478 in 12.1 ms\n"
	    "pong from beta via direct 198.51.100.2:51820 in 1.2 ms\n"
	    "no reply from beta in 2 s\n"
	    "no reply from beta in 10 s (no path)\n"
	    "pong from beta via beta's relay 203.0.113.30:49152 in 4.0 ms\n");
	free(s);
}

ATF_TC_WITHOUT_HEAD(ping_json);
ATF_TC_BODY(ping_json, tc)
{
	struct ctl_pong	 pong[PONGS];
	char		*s;

	ping_fill(pong);
	/* JSON lines: compact already, one object a line. */
	s = ping_run(&output_json, pong, PONGS);
	ATF_CHECK_STREQ(s,
	    "{\"peer\":\"beta\",\"seq\":1,\"result\":\"pong\","
	    "\"path\":\"relay\",\"relay\":\"203.0.113.20:3478\","
	    "\"remote\":\"198.51.100.2:49152\",\"remote_relayed\":false,"
	    "\"rtt_ms\":12.100,\"waited_ms\":null}\n"
	    "{\"peer\":\"beta\",\"seq\":2,\"result\":\"pong\","
	    "\"path\":\"direct\",\"relay\":null,"
	    "\"remote\":\"198.51.100.2:51820\",\"remote_relayed\":false,"
	    "\"rtt_ms\":1.249,\"waited_ms\":null}\n"
	    "{\"peer\":\"beta\",\"seq\":3,\"result\":\"no_reply\","
	    "\"path\":null,\"relay\":null,\"remote\":null,"
	    "\"remote_relayed\":null,\"rtt_ms\":null,\"waited_ms\":2000}\n"
	    "{\"peer\":\"beta\",\"seq\":3,\"result\":\"no_path\","
	    "\"path\":null,\"relay\":null,\"remote\":null,"
	    "\"remote_relayed\":null,\"rtt_ms\":null,\"waited_ms\":10499}\n"
	    "{\"peer\":\"beta\",\"seq\":4,\"result\":\"pong\","
	    "\"path\":\"relay\",\"relay\":null,"
	    "\"remote\":\"203.0.113.30:49152\",\"remote_relayed\":true,"
	    "\"rtt_ms\":4.049,\"waited_ms\":null}\n");
	free(s);
}

/* What ternctl checks of a pong before it shows it. */
ATF_TC_WITHOUT_HEAD(ping_checked);
ATF_TC_BODY(ping_checked, tc)
{
	struct ctl_pong	 pong[PONGS];
	size_t		 i;

	ping_fill(pong);
	for (i = 0; i < PONGS; i++)
		ATF_CHECK(output_pong_ok(&pong[i]));
	pong[0].status = 0;
	ATF_CHECK(!output_pong_ok(&pong[0]));
	pong[0].status = CTL_PONG_NO_PATH + 1;
	ATF_CHECK(!output_pong_ok(&pong[0]));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, netcheck_text);
	ATF_TP_ADD_TC(tp, netcheck_json);
	ATF_TP_ADD_TC(tp, netcheck_empty);
	ATF_TP_ADD_TC(tp, status_text);
	ATF_TP_ADD_TC(tp, status_text_relay);
	ATF_TP_ADD_TC(tp, status_json);
	ATF_TP_ADD_TC(tp, status_pathsel);
	ATF_TP_ADD_TC(tp, status_json_path);
	ATF_TP_ADD_TC(tp, status_ago_far);
	ATF_TP_ADD_TC(tp, status_turn_text);
	ATF_TP_ADD_TC(tp, status_turn_json);
	ATF_TP_ADD_TC(tp, ping_text);
	ATF_TP_ADD_TC(tp, ping_json);
	ATF_TP_ADD_TC(tp, ping_checked);
	return 0;
}
