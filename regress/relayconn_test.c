/*
 * Attacker tests of the parent's side of TURN over TCP and TLS (agent/
 * parent_relayconn.c, parent_relayca.c), the test playing a compromised
 * engine on the parent's imsg channel: connections to addresses that
 * are no relay's,
 * to a discovered relay's private address or privileged port, or to a
 * port the relay was not listed with are refused, logged and answered
 * without a descriptor, and the target sees no connection; malformed
 * requests stop the engine.  A relay of ternd.conf, or an address the
 * resolver gave for a relay's name, is connected: a non-blocking socket
 * comes back.  Connects that hang time out without holding up the event
 * loop, at most four at a time, and their rate is bounded.  The CA
 * bundle comes in pieces that make up the file, not more often than
 * every 10 s, or with an end that says why there is none.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>
#include <event.h>

#include "log.h"
#include "monotime.h"
#include "parent.h"
#include "resolver.h"

#define LOG_FILE	"parent.log"	/* stderr, in the test's directory */
#define WAIT_MS		8000		/* past the 5 s connect timeout */
#define STEP_US		2000
#define PUBLIC_ADDR	"198.51.100.7"	/* TEST-NET-2: never connected to */

static struct imsgbuf	 eng;		/* the test's end: the engine */
static int		 malformed;	/* relayconn_request said -1 */

/* The parent's dispatch for these messages, as parent.c has it. */
static void
test_dispatch(struct imsgev *iev, struct imsg *imsg)
{
	struct imsg_relay_connect	 rc;

	switch (imsg->hdr.type) {
	case IMSG_RELAY_CONNECT:
		if (imsg_get_data(imsg, &rc, sizeof(rc)) == -1 ||
		    relayconn_request(imsg->hdr.peerid, &rc) == -1)
			malformed++;
		break;
	case IMSG_RELAY_CA_REQ:
		ATF_REQUIRE(imsg_expect_empty(imsg) == 0);
		relayca_send();
		break;
	default:
		atf_tc_fail("unexpected message type %u", imsg->hdr.type);
	}
}

static void
test_closed(struct imsgev *iev)
{
	atf_tc_fail("the parent's channel closed");
}

/* The parent's config and channel; its log goes to LOG_FILE. */
static void
setup(void)
{
	int	 sp[2], fd;

	ATF_REQUIRE((fd = open(LOG_FILE, O_WRONLY | O_CREAT | O_TRUNC,
	    0600)) != -1);
	ATF_REQUIRE(dup2(fd, STDERR_FILENO) != -1);
	close(fd);
	log_init(1, 0, LOG_DAEMON);
	log_procinit("parent");
	event_init();
	ATF_REQUIRE((penv.conf = conf_new()) != NULL);
	ATF_REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0,
	    sp) == 0);
	imsgev_init(&penv.iev_engine, sp[0], test_dispatch, test_closed,
	    NULL);
	imsgbuf_init(&eng, sp[1]);
}

static void
bootstrap(const char *addr)
{
	struct relay_conf	*rc = &penv.conf->relays;

	strlcpy(rc->r[rc->n++].boot.addr, addr, sizeof(rc->r[0].boot.addr));
}

/* A TCP listener on 127.0.0.1 with backlog; its port in *port. */
static int
listener(int backlog, uint16_t *port)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof(sin);
	int			 fd;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ATF_REQUIRE((fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK,
	    0)) != -1);
	ATF_REQUIRE(bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0);
	ATF_REQUIRE(listen(fd, backlog) == 0);
	ATF_REQUIRE(getsockname(fd, (struct sockaddr *)&sin, &len) == 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

static void
v6(const char *a, uint16_t port, struct sockaddr_in6 *sa)
{
	char	 buf[INET6_ADDRSTRLEN + 8];

	memset(sa, 0, sizeof(*sa));
	sa->sin6_family = AF_INET6;
	sa->sin6_port = htons(port);
	if (strchr(a, ':') == NULL) {
		snprintf(buf, sizeof(buf), "::ffff:%s", a);
		a = buf;
	}
	ATF_REQUIRE(inet_pton(AF_INET6, a, &sa->sin6_addr) == 1);
}

static void
req(struct imsg_relay_connect *rc, const char *relay, const char *a,
    uint16_t port, uint32_t transport)
{
	memset(rc, 0, sizeof(*rc));
	strlcpy(rc->addr, relay, sizeof(rc->addr));
	v6(a, port, &rc->sa);
	rc->transport = transport;
}

static void
send_req(uint32_t id, const struct imsg_relay_connect *rc)
{
	ATF_REQUIRE(imsg_compose(&eng, IMSG_RELAY_CONNECT, id, 0, -1, rc,
	    sizeof(*rc)) == 0);
	ATF_REQUIRE(imsgbuf_flush(&eng) == 0);
}

/* Runs the parent's loop until the engine has a message: 1, or 0. */
static int
next_imsg(struct imsg *imsg, int wait_ms)
{
	uint64_t	 end = monotime_ms() + wait_ms;
	ssize_t		 n;

	do {
		event_loop(EVLOOP_ONCE | EVLOOP_NONBLOCK);
		if ((n = imsg_get(&eng, imsg)) > 0)
			return 1;
		ATF_REQUIRE(n == 0);
		n = imsgbuf_read(&eng);
		ATF_REQUIRE(n != 0);
		ATF_REQUIRE(n > 0 || errno == EAGAIN);
		usleep(STEP_US);
	} while (monotime_ms() < end);
	return 0;
}

/* The next answer to a connection request: 1, or 0 if none came. */
static int
answer(struct imsg_relay_conn *ans, uint32_t *id, int *fd, int wait_ms)
{
	struct imsg	 imsg;

	if (!next_imsg(&imsg, wait_ms))
		return 0;
	ATF_REQUIRE_EQ(imsg.hdr.type, IMSG_RELAY_CONN);
	ATF_REQUIRE(imsg_get_data(&imsg, ans, sizeof(*ans)) == 0);
	*id = imsg.hdr.peerid;
	*fd = imsg.fd;
	imsg.fd = -1;
	imsg_free(&imsg);
	return 1;
}

/* rc sent as id is refused: EPERM, no descriptor, why in the log. */
static void
expect_refused(uint32_t id, const struct imsg_relay_connect *rc,
    const char *why)
{
	struct imsg_relay_conn	 ans;
	uint32_t		 got;
	int			 fd;

	send_req(id, rc);
	ATF_REQUIRE_MSG(answer(&ans, &got, &fd, WAIT_MS), "no answer to %u",
	    id);
	ATF_CHECK_EQ(got, id);
	ATF_CHECK_EQ_MSG(fd, -1, "request %u got a descriptor", id);
	ATF_CHECK_EQ(ans.error, EPERM);
	ATF_CHECK(memcmp(&ans.req, rc, sizeof(*rc)) == 0);
	ATF_CHECK_MSG(strstr(ans.msg, why) != NULL, "request %u: \"%s\"",
	    id, ans.msg);
	if (fd != -1)
		close(fd);
}

/* No connection reached the listener. */
static void
no_connection(int lfd)
{
	int	 c;

	usleep(50 * 1000);
	c = accept(lfd, NULL, NULL);
	ATF_CHECK_MSG(c == -1 && errno == EAGAIN, "the target was connected");
	if (c != -1)
		close(c);
}

static void
learn(const char *name, int error, const char *a, uint16_t port)
{
	struct imsg_dns_answer	 ans;

	memset(&ans, 0, sizeof(ans));
	ans.error = error;
	if (a != NULL) {
		v6(a, port, &ans.sa[0]);
		ans.n = 1;
	}
	relayconn_learn(name, &ans);
}

ATF_TC_WITHOUT_HEAD(forged);
ATF_TC_BODY(forged, tc)
{
	struct imsg_relay_connect	 rc;
	char				 name[TERN_HOST_MAX], lit[TERN_HOST_MAX];
	char				 line[512];
	FILE				*f;
	uint16_t			 port;
	int				 lfd, logged = 0;

	setup();
	lfd = listener(4, &port);
	snprintf(name, sizeof(name), "relay.example:%u", port);
	snprintf(lit, sizeof(lit), "127.0.0.1:%u", port);

	/* A name the parent never resolved. */
	req(&rc, name, "127.0.0.1", port, RELAY_TRANSPORT_TCP);
	expect_refused(1, &rc, "(never resolved)");
	/* A name resolved elsewhere: the listener is not its address. */
	learn(name, 0, PUBLIC_ADDR, port);
	expect_refused(2, &rc, "is not an address of relay");
	/* A literal relay, another address. */
	req(&rc, "203.0.113.1:3478", "127.0.0.1", 3478, RELAY_TRANSPORT_TLS);
	expect_refused(3, &rc, "is not an address of relay");
	/* A discovered relay on loopback: only ternd.conf may say so. */
	req(&rc, lit, "127.0.0.1", port, RELAY_TRANSPORT_TCP);
	expect_refused(4, &rc, "private, loopback");
	learn(name, 0, "127.0.0.1", port);
	req(&rc, name, "127.0.0.1", port, RELAY_TRANSPORT_TCP);
	expect_refused(5, &rc, "private, loopback");
	/* A name that is gone takes its addresses with it. */
	bootstrap(name);
	learn(name, EAI_AGAIN, NULL, 0);
	learn(name, EAI_NONAME, NULL, 0);
	expect_refused(6, &rc, "(never resolved)");
	no_connection(lfd);

	f = fopen(LOG_FILE, "r");
	ATF_REQUIRE(f != NULL);
	while (fgets(line, sizeof(line), f) != NULL)
		if (strstr(line, "parent: refused the engine a relay "
		    "connection: ") != NULL)
			logged++;
	fclose(f);
	/* One line a second: the first of the burst at least. */
	ATF_CHECK_MSG(logged >= 1, "no refusal in the log");
	close(lfd);
}

ATF_TC_WITHOUT_HEAD(ports);
ATF_TC_BODY(ports, tc)
{
	struct imsg_relay_connect	 rc;
	struct sockaddr_in6		 to;
	char				 err[CTL_MSG_MAX];

	ATF_REQUIRE((penv.conf = conf_new()) != NULL);
	learn("relay.example:3478", 0, PUBLIC_ADDR, 3478);
	/* TCP: the listed port alone.  TLS: it, 443 or 5349. */
	req(&rc, "relay.example:3478", PUBLIC_ADDR, 3478, RELAY_TRANSPORT_TCP);
	ATF_CHECK_EQ(relayconn_check(penv.conf, &rc, &to, err, sizeof(err)),
	    0);
	ATF_CHECK_EQ(ntohs(to.sin6_port), 3478);
	rc.sa.sin6_port = htons(TERN_TURN_TLS_PORT);
	ATF_CHECK_EQ(relayconn_check(penv.conf, &rc, &to, err, sizeof(err)),
	    -1);
	rc.transport = RELAY_TRANSPORT_TLS;
	ATF_CHECK_EQ(relayconn_check(penv.conf, &rc, &to, err, sizeof(err)),
	    0);
	ATF_CHECK_EQ(ntohs(to.sin6_port), TERN_TURN_TLS_PORT);
	rc.sa.sin6_port = htons(TERN_TURN_TLS_PORT_RFC);
	ATF_CHECK_EQ(relayconn_check(penv.conf, &rc, &to, err, sizeof(err)),
	    0);
	rc.sa.sin6_port = htons(22);
	ATF_CHECK_EQ(relayconn_check(penv.conf, &rc, &to, err, sizeof(err)),
	    -1);
	ATF_CHECK(strstr(err, "port 22 is not one of relay") != NULL);
	/* A discovered relay listed on a privileged port: refused. */
	req(&rc, "198.51.100.9:25", "198.51.100.9", 25, RELAY_TRANSPORT_TCP);
	ATF_CHECK_EQ(relayconn_check(penv.conf, &rc, &to, err, sizeof(err)),
	    -1);
	ATF_CHECK(strstr(err, "below 1024") != NULL);
	req(&rc, "198.51.100.9:443", "198.51.100.9", 443, RELAY_TRANSPORT_TCP);
	ATF_CHECK_EQ(relayconn_check(penv.conf, &rc, &to, err, sizeof(err)),
	    0);
	/* The same relay in ternd.conf: the operator's choice. */
	bootstrap("198.51.100.9:25");
	req(&rc, "198.51.100.9:25", "198.51.100.9", 25, RELAY_TRANSPORT_TCP);
	ATF_CHECK_EQ(relayconn_check(penv.conf, &rc, &to, err, sizeof(err)),
	    0);
	/* IPv6 literals, and a resolved name's second address. */
	req(&rc, "[2001:db8::1]:3478", "2001:db8::1", 3478,
	    RELAY_TRANSPORT_TCP);
	ATF_CHECK_EQ(relayconn_check(penv.conf, &rc, &to, err, sizeof(err)),
	    0);
	req(&rc, "[2001:db8::1]:3478", "2001:db8::2", 3478,
	    RELAY_TRANSPORT_TCP);
	ATF_CHECK_EQ(relayconn_check(penv.conf, &rc, &to, err, sizeof(err)),
	    -1);
	{
		struct imsg_dns_answer	 a;

		memset(&a, 0, sizeof(a));
		a.n = 2;
		v6(PUBLIC_ADDR, 3478, &a.sa[0]);
		v6("2001:db8::5", 3478, &a.sa[1]);
		relayconn_learn("relay.example:3478", &a);
	}
	req(&rc, "relay.example:3478", "2001:db8::5", 3478,
	    RELAY_TRANSPORT_TCP);
	ATF_CHECK_EQ(relayconn_check(penv.conf, &rc, &to, err, sizeof(err)),
	    0);
}

/* Names beyond the table push out the one learned first. */
ATF_TC_WITHOUT_HEAD(known_bounded);
ATF_TC_BODY(known_bounded, tc)
{
	struct imsg_relay_connect	 rc;
	struct sockaddr_in6		 to;
	char				 err[CTL_MSG_MAX], name[TERN_HOST_MAX];
	int				 i;

	ATF_REQUIRE((penv.conf = conf_new()) != NULL);
	for (i = 0; i <= RELAYSEL_LIST_MAX; i++) {
		snprintf(name, sizeof(name), "r%d.example:3478", i);
		learn(name, 0, PUBLIC_ADDR, 3478);
	}
	for (i = 0; i <= RELAYSEL_LIST_MAX; i++) {
		snprintf(name, sizeof(name), "r%d.example:3478", i);
		req(&rc, name, PUBLIC_ADDR, 3478, RELAY_TRANSPORT_TCP);
		ATF_CHECK_EQ_MSG(relayconn_check(penv.conf, &rc, &to, err,
		    sizeof(err)), i == 0 ? -1 : 0, "name %d", i);
	}
}

ATF_TC_WITHOUT_HEAD(malformed_stops);
ATF_TC_BODY(malformed_stops, tc)
{
	struct imsg_relay_connect	 rc;
	struct imsg_relay_conn		 ans;
	uint32_t			 id;
	int				 fd, i;

	setup();
	bootstrap("198.51.100.7:3478");
	for (i = 0; i < 5; i++) {
		req(&rc, "198.51.100.7:3478", PUBLIC_ADDR, 3478,
		    RELAY_TRANSPORT_TCP);
		switch (i) {
		case 0:
			memset(rc.addr, 'a', sizeof(rc.addr));
			break;
		case 1:
			rc.transport = 0;
			break;
		case 2:
			rc.transport = RELAY_TRANSPORT_TLS + 1;
			break;
		case 3:
			rc.sa.sin6_family = AF_INET;
			break;
		case 4:
			rc.pad = 1;
			break;
		}
		send_req(i + 1, &rc);
		ATF_CHECK_MSG(!answer(&ans, &id, &fd, 100),
		    "malformed request %d was answered", i);
		ATF_CHECK_EQ(malformed, i + 1);
	}
	/* A short payload too. */
	ATF_REQUIRE(imsg_compose(&eng, IMSG_RELAY_CONNECT, 9, 0, -1, &rc,
	    sizeof(rc) - 1) == 0);
	ATF_REQUIRE(imsgbuf_flush(&eng) == 0);
	ATF_CHECK(!answer(&ans, &id, &fd, 100));
	ATF_CHECK_EQ(malformed, 6);
}

ATF_TC_WITHOUT_HEAD(connects);
ATF_TC_BODY(connects, tc)
{
	struct imsg_relay_connect	 rc;
	struct imsg_relay_conn		 ans;
	struct sockaddr_in		 peer;
	socklen_t			 len = sizeof(peer);
	char				 lit[TERN_HOST_MAX], name[TERN_HOST_MAX];
	uint32_t			 id;
	uint16_t			 port;
	int				 lfd, fd, c;

	setup();
	lfd = listener(4, &port);
	snprintf(lit, sizeof(lit), "127.0.0.1:%u", port);
	snprintf(name, sizeof(name), "relay.test:%u", port);
	bootstrap(lit);
	bootstrap(name);
	learn(name, 0, "127.0.0.1", port);

	req(&rc, lit, "127.0.0.1", port, RELAY_TRANSPORT_TCP);
	send_req(7, &rc);
	ATF_REQUIRE(answer(&ans, &id, &fd, WAIT_MS));
	ATF_CHECK_EQ(id, 7);
	ATF_CHECK_EQ_MSG(ans.error, 0, "%s", ans.msg);
	ATF_REQUIRE(fd != -1);
	ATF_CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK);
	ATF_REQUIRE(getpeername(fd, (struct sockaddr *)&peer, &len) == 0);
	ATF_CHECK_EQ(ntohs(peer.sin_port), port);
	usleep(50 * 1000);
	ATF_CHECK((c = accept(lfd, NULL, NULL)) != -1);
	close(c);
	close(fd);

	/* By name: the address the resolver gave; TLS on the listed port. */
	req(&rc, name, "127.0.0.1", port, RELAY_TRANSPORT_TLS);
	send_req(8, &rc);
	ATF_REQUIRE(answer(&ans, &id, &fd, WAIT_MS));
	ATF_CHECK_EQ_MSG(ans.error, 0, "%s", ans.msg);
	ATF_CHECK(fd != -1);
	close(fd);

	/* A refused connect is an answer with the error. */
	close(lfd);
	send_req(9, &rc);
	ATF_REQUIRE(answer(&ans, &id, &fd, WAIT_MS));
	ATF_CHECK_EQ(ans.error, ECONNREFUSED);
	ATF_CHECK_EQ(fd, -1);
}

/*
 * A listener whose queue is full drops SYNs: connects hang.  Four wait,
 * the fifth is answered at once, and all four time out in about 5 s.
 */
ATF_TC(hanging);
ATF_TC_HEAD(hanging, tc)
{
	atf_tc_set_md_var(tc, "timeout", "30");
}
ATF_TC_BODY(hanging, tc)
{
	struct imsg_relay_connect	 rc;
	struct imsg_relay_conn		 ans;
	struct sockaddr_in		 sin;
	char				 lit[TERN_HOST_MAX];
	uint64_t			 start;
	uint32_t			 id;
	uint16_t			 port;
	int				 lfd, filler, fd, i;

	setup();
	lfd = listener(0, &port);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(port);
	ATF_REQUIRE((filler = socket(AF_INET, SOCK_STREAM, 0)) != -1);
	ATF_REQUIRE(connect(filler, (struct sockaddr *)&sin,
	    sizeof(sin)) == 0);
	snprintf(lit, sizeof(lit), "127.0.0.1:%u", port);
	bootstrap(lit);
	req(&rc, lit, "127.0.0.1", port, RELAY_TRANSPORT_TCP);

	start = monotime_ms();
	for (i = 1; i <= 5; i++)
		send_req(i, &rc);
	ATF_REQUIRE(answer(&ans, &id, &fd, 1000));
	ATF_CHECK_EQ(id, 5);
	ATF_CHECK_EQ(ans.error, EAGAIN);
	ATF_CHECK(strstr(ans.msg, "under way") != NULL);
	ATF_CHECK(monotime_ms() - start < 1000);
	for (i = 1; i <= 4; i++) {
		ATF_REQUIRE_MSG(answer(&ans, &id, &fd, WAIT_MS),
		    "connect %d never ended", i);
		ATF_CHECK_EQ_MSG(ans.error, ETIMEDOUT, "%d: %s", i, ans.msg);
		ATF_CHECK_EQ(fd, -1);
	}
	ATF_CHECK(monotime_ms() - start >= 4900);
	close(filler);
	close(lfd);
}

/* Eight at once, then one a second. */
ATF_TC_WITHOUT_HEAD(rate);
ATF_TC_BODY(rate, tc)
{
	struct imsg_relay_connect	 rc;
	struct imsg_relay_conn		 ans;
	char				 lit[TERN_HOST_MAX];
	uint32_t			 id;
	uint16_t			 port;
	int				 lfd, fd, c, i, ok = 0, limited = 0;

	setup();
	lfd = listener(16, &port);
	snprintf(lit, sizeof(lit), "127.0.0.1:%u", port);
	bootstrap(lit);
	req(&rc, lit, "127.0.0.1", port, RELAY_TRANSPORT_TCP);
	for (i = 1; i <= 9; i++) {
		send_req(i, &rc);
		ATF_REQUIRE(answer(&ans, &id, &fd, WAIT_MS));
		if (ans.error == 0)
			ok++;
		else if (ans.error == EAGAIN &&
		    strstr(ans.msg, "too often") != NULL)
			limited++;
		if (fd != -1)
			close(fd);
		while ((c = accept(lfd, NULL, NULL)) != -1)
			close(c);
	}
	ATF_CHECK_EQ(ok, 8);
	ATF_CHECK_EQ(limited, 1);
	close(lfd);
}

/*
 * Asks for the CA bundle; returns the end, with the pieces put together
 * in buf (at most len bytes) and their total in *got.
 */
static struct imsg_relay_ca_end
ca_request(uint8_t *buf, size_t len, size_t *got)
{
	static struct imsg_relay_ca	 piece;
	struct imsg_relay_ca_end	 end;
	struct imsg			 imsg;

	*got = 0;
	ATF_REQUIRE(imsg_compose(&eng, IMSG_RELAY_CA_REQ, 0, 0, -1, NULL,
	    0) == 0);
	ATF_REQUIRE(imsgbuf_flush(&eng) == 0);
	for (;;) {
		ATF_REQUIRE_MSG(next_imsg(&imsg, WAIT_MS), "no CA answer");
		ATF_REQUIRE_EQ(imsg.fd, -1);
		if (imsg.hdr.type == IMSG_RELAY_CA_END)
			break;
		ATF_REQUIRE_EQ(imsg.hdr.type, IMSG_RELAY_CA);
		ATF_REQUIRE(imsg_get_data(&imsg, &piece, sizeof(piece)) == 0);
		ATF_REQUIRE(piece.len >= 1 && piece.len <= TERN_CA_PIECE);
		ATF_REQUIRE(*got + piece.len <= len);
		memcpy(buf + *got, piece.data, piece.len);
		*got += piece.len;
		imsg_free(&imsg);
	}
	ATF_REQUIRE(imsg_get_data(&imsg, &end, sizeof(end)) == 0);
	imsg_free(&imsg);
	return end;
}

/* A file of len bytes of a pattern; its absolute path in penv.conf. */
static void
ca_file(const char *name, size_t len, uint8_t *want)
{
	char	 cwd[PATH_MAX];
	size_t	 i;
	int	 fd;

	for (i = 0; i < len; i++)
		want[i] = 'A' + i % 61;
	ATF_REQUIRE((fd = open(name, O_WRONLY | O_CREAT | O_TRUNC,
	    0600)) != -1);
	ATF_REQUIRE(write(fd, want, len) == (ssize_t)len);
	close(fd);
	ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	ATF_REQUIRE((size_t)snprintf(penv.conf->tls_ca,
	    sizeof(penv.conf->tls_ca), "%s/%s", cwd, name) <
	    sizeof(penv.conf->tls_ca));
}

ATF_TC_WITHOUT_HEAD(ca_bundle);
ATF_TC_BODY(ca_bundle, tc)
{
	static uint8_t			 want[TERN_CA_MAX + 1], got[TERN_CA_MAX];
	struct imsg_relay_ca_end	 end;
	size_t				 n;

	setup();
	/* Three pieces and a bit. */
	ca_file("ca.pem", 3 * TERN_CA_PIECE + 17, want);
	end = ca_request(got, sizeof(got), &n);
	ATF_CHECK_EQ_MSG(end.error, 0, "%s", end.msg);
	ATF_CHECK_EQ(end.len, 3 * TERN_CA_PIECE + 17);
	ATF_REQUIRE_EQ(n, 3 * TERN_CA_PIECE + 17);
	ATF_CHECK(memcmp(got, want, n) == 0);
	/* Again at once: refused, nothing read. */
	end = ca_request(got, sizeof(got), &n);
	ATF_CHECK_EQ(end.error, EAGAIN);
	ATF_CHECK_EQ(n, 0);
}

ATF_TC_WITHOUT_HEAD(ca_largest);
ATF_TC_BODY(ca_largest, tc)
{
	static uint8_t			 want[TERN_CA_MAX + 1], got[TERN_CA_MAX];
	struct imsg_relay_ca_end	 end;
	size_t				 n;

	setup();
	ca_file("ca.pem", TERN_CA_MAX, want);
	end = ca_request(got, sizeof(got), &n);
	ATF_CHECK_EQ_MSG(end.error, 0, "%s", end.msg);
	ATF_REQUIRE_EQ(n, TERN_CA_MAX);
	ATF_CHECK(memcmp(got, want, n) == 0);
}

ATF_TC_WITHOUT_HEAD(ca_too_big);
ATF_TC_BODY(ca_too_big, tc)
{
	static uint8_t			 want[TERN_CA_MAX + 1], got[TERN_CA_MAX];
	struct imsg_relay_ca_end	 end;
	size_t				 n;

	setup();
	ca_file("ca.pem", TERN_CA_MAX + 1, want);
	end = ca_request(got, sizeof(got), &n);
	ATF_CHECK_EQ(end.error, EFBIG);
	ATF_CHECK_EQ(n, 0);
	ATF_CHECK(strstr(end.msg, "size is not 1 to") != NULL);
}

ATF_TC_WITHOUT_HEAD(ca_missing);
ATF_TC_BODY(ca_missing, tc)
{
	static uint8_t			 got[TERN_CA_MAX];
	struct imsg_relay_ca_end	 end;
	size_t				 n;

	setup();
	strlcpy(penv.conf->tls_ca, "/nonexistent/ca.pem",
	    sizeof(penv.conf->tls_ca));
	end = ca_request(got, sizeof(got), &n);
	ATF_CHECK_EQ(end.error, ENOENT);
	ATF_CHECK_EQ(n, 0);
	ATF_CHECK_MSG(strstr(end.msg, "tls-ca /nonexistent/ca.pem: ") != NULL,
	    "%s", end.msg);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, forged);
	ATF_TP_ADD_TC(tp, ports);
	ATF_TP_ADD_TC(tp, known_bounded);
	ATF_TP_ADD_TC(tp, malformed_stops);
	ATF_TP_ADD_TC(tp, connects);
	ATF_TP_ADD_TC(tp, hanging);
	ATF_TP_ADD_TC(tp, rate);
	ATF_TP_ADD_TC(tp, ca_bundle);
	ATF_TP_ADD_TC(tp, ca_largest);
	ATF_TP_ADD_TC(tp, ca_too_big);
	ATF_TP_ADD_TC(tp, ca_missing);
	return atf_no_error();
}
