/* Unit tests of lib/addr.c's sources: what a per-source limit counts. */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <string.h>

#include <atf-c.h>

#include "addr.h"

static const struct sockaddr *
ep(struct sockaddr_storage *ss, const char *s)
{
	const char	*errstr;

	ATF_REQUIRE_MSG(endpoint_parse(s, ss, &errstr) == 0, "%s", s);
	return (const struct sockaddr *)ss;
}

/* The source of s, printed as an IPv6 address. */
static const char *
source(const char *s, char *buf, size_t len)
{
	struct sockaddr_storage	 ss;
	struct in6_addr		 src;

	sockaddr_source(ep(&ss, s), &src);
	ATF_REQUIRE(inet_ntop(AF_INET6, &src, buf, len) != NULL);
	return buf;
}

ATF_TC_WITHOUT_HEAD(source_prefix);
ATF_TC_BODY(source_prefix, tc)
{
	char	 buf[INET6_ADDRSTRLEN];

	ATF_CHECK_STREQ(source("[2001:db8:1:2:3:4:5:6]:1", buf, sizeof(buf)),
	    "2001:db8:1:2::");
	ATF_CHECK_STREQ(source("[::1]:1", buf, sizeof(buf)), "::");
	/* IPv4, plain or v4-mapped, keeps all of its 32 bits. */
	ATF_CHECK_STREQ(source("192.0.2.7:1", buf, sizeof(buf)),
	    "::ffff:192.0.2.7");
	ATF_CHECK_STREQ(source("[::ffff:192.0.2.7]:1", buf, sizeof(buf)),
	    "::ffff:192.0.2.7");
}

ATF_TC_WITHOUT_HEAD(same_source);
ATF_TC_BODY(same_source, tc)
{
	struct sockaddr_storage	 a, b;

	ATF_CHECK(sockaddr_same_source(ep(&a, "[2001:db8::1]:1"),
	    ep(&b, "[2001:db8::ffff:2]:2")));
	ATF_CHECK(!sockaddr_same_source(ep(&a, "[2001:db8::1]:1"),
	    ep(&b, "[2001:db8:0:1::1]:1")));
	ATF_CHECK(sockaddr_same_source(ep(&a, "127.0.0.1:1"),
	    ep(&b, "127.0.0.1:2")));
	ATF_CHECK(!sockaddr_same_source(ep(&a, "127.0.0.1:1"),
	    ep(&b, "127.0.0.2:1")));
	/* One IPv4 host, whichever socket family it came in on. */
	ATF_CHECK(sockaddr_same_source(ep(&a, "127.0.0.1:1"),
	    ep(&b, "[::ffff:127.0.0.1]:1")));
	/* Two IPv4 addresses never share a /64 of v4-mapped space. */
	ATF_CHECK(!sockaddr_same_source(ep(&a, "[::ffff:127.0.0.1]:1"),
	    ep(&b, "[::ffff:10.0.0.1]:1")));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, source_prefix);
	ATF_TP_ADD_TC(tp, same_source);
	return atf_no_error();
}
