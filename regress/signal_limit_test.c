/*
 * Unit tests of signal/limit.c: connections and handshakes are counted
 * per source, and every address of one IPv6 /64 is one source.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>

#include <atf-c.h>
#include <sodium.h>

#include "addr.h"
#include "server.h"

struct server	*server;
static struct server	 test_server;
static uint64_t		 test_now_ms = 1000;

static void
setup(void)
{
	ATF_REQUIRE(sodium_init() != -1);
	memset(&test_server, 0, sizeof(test_server));
	RB_INIT(&test_server.addrs);
	randombytes_buf(test_server.hstab_key, sizeof(test_server.hstab_key));
	server = &test_server;
}

static const struct sockaddr_in6 *
v6(struct sockaddr_in6 *sin6, const char *s)
{
	struct sockaddr_storage	 ss;
	const char		*errstr;

	ATF_REQUIRE_MSG(endpoint_parse(s, &ss, &errstr) == 0, "%s", s);
	sockaddr_to_v6((struct sockaddr *)&ss, sin6);
	return sin6;
}

ATF_TC_WITHOUT_HEAD(conns_per_prefix);
ATF_TC_BODY(conns_per_prefix, tc)
{
	struct sockaddr_in6	 a;
	struct addr_entry	*e1, *e2, *e3, *e4;

	setup();
	/* Two connections for each source. */
	ATF_REQUIRE((e1 = limit_addr_get(v6(&a, "[2001:db8::1]:1"), 2)) !=
	    NULL);
	ATF_REQUIRE((e2 = limit_addr_get(v6(&a, "[2001:db8::ffff:2]:1"), 2)) !=
	    NULL);
	ATF_CHECK(e1 == e2);
	/* A third address of the same /64 is over the limit. */
	ATF_CHECK(limit_addr_get(v6(&a, "[2001:db8::3]:1"), 2) == NULL);
	/* The next /64 is another source. */
	ATF_REQUIRE((e3 = limit_addr_get(v6(&a, "[2001:db8:0:1::1]:1"), 2)) !=
	    NULL);
	ATF_CHECK(e3 != e1);
	/* IPv4 addresses, v4-mapped here, count one by one. */
	ATF_REQUIRE((e4 = limit_addr_get(v6(&a, "192.0.2.1:1"), 1)) != NULL);
	ATF_CHECK(limit_addr_get(v6(&a, "192.0.2.1:2"), 1) == NULL);
	ATF_CHECK(limit_addr_get(v6(&a, "192.0.2.2:1"), 1) != NULL);
	limit_addr_put(e1);
	ATF_CHECK(limit_addr_get(v6(&a, "[2001:db8::4]:1"), 2) != NULL);
}

ATF_TC_WITHOUT_HEAD(handshakes_per_prefix);
ATF_TC_BODY(handshakes_per_prefix, tc)
{
	struct sockaddr_in6	 a;

	setup();
	/* Two a second: the /64's addresses draw on one bucket. */
	ATF_CHECK_EQ(limit_hs(v6(&a, "[2001:db8::1]:1"), 2, test_now_ms), 0);
	ATF_CHECK_EQ(limit_hs(v6(&a, "[2001:db8::2]:1"), 2, test_now_ms), 0);
	ATF_CHECK_EQ(limit_hs(v6(&a, "[2001:db8::3]:1"), 2, test_now_ms), -1);
	ATF_CHECK_EQ(limit_hs(v6(&a, "[2001:db8:0:1::3]:1"), 2, test_now_ms),
	    0);
	/* Half a second later one more. */
	ATF_CHECK_EQ(limit_hs(v6(&a, "[2001:db8::4]:1"), 2, test_now_ms + 500),
	    0);
	ATF_CHECK_EQ(limit_hs(v6(&a, "[2001:db8::5]:1"), 2, test_now_ms + 500),
	    -1);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, conns_per_prefix);
	ATF_TP_ADD_TC(tp, handshakes_per_prefix);
	return atf_no_error();
}
