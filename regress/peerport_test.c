/*
 * Unit tests of the peer-port address mapping, the parent's policy on
 * what the engine may ask for, and the activity rule of the data path.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <string.h>

#include <atf-c.h>

#include "engine.h"
#include "parent.h"
#include "peerport.h"

ATF_TC_WITHOUT_HEAD(mapping);
ATF_TC_BODY(mapping, tc)
{
	struct sockaddr_in	 sin;
	uint32_t		 idx;
	char			 buf[INET_ADDRSTRLEN];

	ATF_REQUIRE(peerport_addr(0, 51821, &sin) == 0);
	inet_ntop(AF_INET, &sin.sin_addr, buf, sizeof(buf));
	ATF_CHECK_STREQ(buf, "127.1.0.1");
	ATF_CHECK_EQ(ntohs(sin.sin_port), 51821);
	ATF_REQUIRE(peerport_addr(255, 51821, &sin) == 0);
	inet_ntop(AF_INET, &sin.sin_addr, buf, sizeof(buf));
	ATF_CHECK_STREQ(buf, "127.1.1.0");
	ATF_REQUIRE(peerport_addr(PEERPORT_COUNT - 1, 51821, &sin) == 0);
	inet_ntop(AF_INET, &sin.sin_addr, buf, sizeof(buf));
	ATF_CHECK_STREQ(buf, "127.255.255.254");
	ATF_CHECK(peerport_addr(PEERPORT_COUNT, 51821, &sin) == -1);
	ATF_CHECK(peerport_addr(0, 0, &sin) == -1);

	/* Every index maps back to itself. */
	for (idx = 0; idx < 70000; idx += 7) {
		uint32_t	 back;

		ATF_REQUIRE(peerport_addr(idx, 4000, &sin) == 0);
		ATF_REQUIRE(peerport_index(&sin, 4000, &back) == 0);
		ATF_REQUIRE_EQ(back, idx);
	}
}

ATF_TC_WITHOUT_HEAD(not_peerports);
ATF_TC_BODY(not_peerports, tc)
{
	struct sockaddr_in	 sin;
	uint32_t		 idx;
	const char		*bad[] = { "127.0.0.1", "127.0.255.255",
	    "127.255.255.255", "10.0.0.1", "128.1.0.1", "0.0.0.0" };
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons(51821);
		ATF_REQUIRE(inet_pton(AF_INET, bad[i], &sin.sin_addr) == 1);
		ATF_CHECK_MSG(peerport_index(&sin, 51821, &idx) == -1,
		    "%s accepted", bad[i]);
	}
	/* Right address, wrong port or family. */
	ATF_REQUIRE(peerport_addr(3, 51821, &sin) == 0);
	ATF_CHECK(peerport_index(&sin, 51822, &idx) == -1);
	sin.sin_family = AF_INET6;
	ATF_CHECK(peerport_index(&sin, 51821, &idx) == -1);
}

static void
policy_conf(struct ternd_conf *c)
{
	const char	*errstr;

	memset(c, 0, sizeof(*c));
	c->peerport = 51821;
	ATF_REQUIRE(prefix_parse("10.77.0.0/24", &c->accept[0], &errstr) == 0);
	ATF_REQUIRE(prefix_parse("fd00:77::/64", &c->accept[1], &errstr) == 0);
	c->naccept = 2;
}

static void
policy_peer(struct imsg_wg_peer *p, const char *a1, const char *a2)
{
	const char	*errstr;

	memset(p, 0, sizeof(*p));
	ATF_REQUIRE(peerport_addr(0, 51821, &p->endpoint) == 0);
	ATF_REQUIRE(prefix_parse(a1, &p->allowed[0], &errstr) == 0);
	p->nallowed = 1;
	if (a2 != NULL) {
		ATF_REQUIRE(prefix_parse(a2, &p->allowed[1], &errstr) == 0);
		p->nallowed = 2;
	}
}

ATF_TC_WITHOUT_HEAD(policy);
ATF_TC_BODY(policy, tc)
{
	struct ternd_conf	 c;
	struct imsg_wg_peer	 p;
	char			 err[256];

	policy_conf(&c);
	policy_peer(&p, "10.77.0.2/32", "fd00:77::2/128");
	ATF_CHECK(policy_check_peer(&c, &p, err, sizeof(err)) == 0);
	policy_peer(&p, "10.77.0.0/24", NULL);
	ATF_CHECK(policy_check_peer(&c, &p, err, sizeof(err)) == 0);

	policy_peer(&p, "10.77.0.2/32", "0.0.0.0/0");
	ATF_CHECK(policy_check_peer(&c, &p, err, sizeof(err)) == -1);
	ATF_CHECK_STREQ(err, "allowed IP 0.0.0.0/0 is outside every accept "
	    "prefix");
	policy_peer(&p, "10.77.0.0/23", NULL);
	ATF_CHECK(policy_check_peer(&c, &p, err, sizeof(err)) == -1);
	ATF_CHECK_STREQ(err, "allowed IP 10.77.0.0/23 is outside every accept "
	    "prefix");

	/* Endpoints must be peer ports: no real address, no other port. */
	policy_peer(&p, "10.77.0.2/32", NULL);
	p.endpoint.sin_addr.s_addr = htonl(0xc0000201);
	ATF_CHECK(policy_check_peer(&c, &p, err, sizeof(err)) == -1);
	ATF_CHECK_STREQ(err, "endpoint is not a peer port");
	policy_peer(&p, "10.77.0.2/32", NULL);
	p.endpoint.sin_port = htons(53);
	ATF_CHECK(policy_check_peer(&c, &p, err, sizeof(err)) == -1);

	policy_peer(&p, "10.77.0.2/32", NULL);
	p.nallowed = TERN_ALLOWED_MAX + 1;
	ATF_CHECK(policy_check_peer(&c, &p, err, sizeof(err)) == -1);

	policy_peer(&p, "10.77.0.2/32", NULL);
	p.allowed[0].plen = 33;
	ATF_CHECK(policy_check_peer(&c, &p, err, sizeof(err)) == -1);
	ATF_CHECK_STREQ(err, "malformed allowed IP");

	policy_peer(&p, "10.77.0.2/32", NULL);
	p.allowed[0].plen = 24;
	ATF_CHECK(policy_check_peer(&c, &p, err, sizeof(err)) == -1);
	ATF_CHECK_STREQ(err, "allowed IP 10.77.0.2/24 has host bits set");
}

ATF_TC_WITHOUT_HEAD(reloadable);
ATF_TC_BODY(reloadable, tc)
{
	struct ternd_conf	 a, b;
	char			 err[256];

	policy_conf(&a);
	strlcpy(a.ifname, "tern0", sizeof(a.ifname));
	a.port = 51820;
	b = a;
	b.mtu = 1300;
	b.naccept = 1;
	ATF_CHECK(policy_conf_reloadable(&a, &b, err, sizeof(err)) == 0);
	strlcpy(b.ifname, "tern1", sizeof(b.ifname));
	ATF_CHECK(policy_conf_reloadable(&a, &b, err, sizeof(err)) == -1);
	ATF_CHECK_STREQ(err, "interface changed: restart ternd to apply it");
	b = a;
	b.port = 1;
	ATF_CHECK(policy_conf_reloadable(&a, &b, err, sizeof(err)) == -1);
	ATF_CHECK_STREQ(err, "listen port changed: restart ternd to apply it");
}

ATF_TC_WITHOUT_HEAD(activity);
ATF_TC_BODY(activity, tc)
{
	uint8_t	 pkt[128];

	memset(pkt, 0, sizeof(pkt));
	pkt[0] = WG_MSG_TRANSPORT;
	/* A keepalive is exactly 32 bytes of transport message. */
	ATF_CHECK(!fwd_is_activity(pkt, WG_KEEPALIVE_LEN));
	ATF_CHECK(fwd_is_activity(pkt, WG_KEEPALIVE_LEN + 1));
	ATF_CHECK(fwd_is_activity(pkt, sizeof(pkt)));
	/* Handshake initiation (1), response (2), cookie (3) are not data. */
	pkt[0] = 1;
	ATF_CHECK(!fwd_is_activity(pkt, 148));
	pkt[0] = 2;
	ATF_CHECK(!fwd_is_activity(pkt, 92));
	pkt[0] = 3;
	ATF_CHECK(!fwd_is_activity(pkt, 64));
	pkt[0] = WG_MSG_TRANSPORT;
	pkt[1] = 1;
	ATF_CHECK(!fwd_is_activity(pkt, sizeof(pkt)));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, mapping);
	ATF_TP_ADD_TC(tp, not_peerports);
	ATF_TP_ADD_TC(tp, policy);
	ATF_TP_ADD_TC(tp, reloadable);
	ATF_TP_ADD_TC(tp, activity);
	return atf_no_error();
}
