/*
 * The parent's peers (parent_peers.c): peer_apply and peer_remove
 * against a fake WireGuard UAPI server and the kernel's routes of a
 * network namespace of our own, with lo standing in for the interface.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "config.h"
#include "log.h"
#include "parent.h"
#include "parent_kroute.h"
#include "parent_wg_uapi.h"
#include "peerport.h"

#define TEST_DIR_ENV		"TERN_WG_UAPI_DIR"
#define TEST_IFNAME		"ternpt0"
#define TEST_LO			"lo"
#define TEST_REQ_MAX		8192	/* a request with 32 allowed IPs */
#define TEST_PEERPORT		51821
#define TEST_BACKLOG		64

/* A UAPI server that answers every request with success, and counts. */
struct fake_uapi {
	char		 dir[64];
	char		 path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int		 lsock;
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	size_t		 nreq;
	char		 last[TEST_REQ_MAX];
};

static struct ternd_conf	 test_conf;

static void	 fake_uapi_start(struct fake_uapi *);
static void	*fake_uapi_main(void *);
static void	 fake_uapi_stop(struct fake_uapi *);
static size_t	 fake_uapi_count(struct fake_uapi *);
static void	 peers_setup(void);
static void	 log_to(const char *);
static int	 log_has(const char *, const char *);
static int	 route_exists(const struct tern_prefix *);
static void	 peer_make(struct imsg_wg_peer *, uint32_t, uint32_t);

static void
fake_uapi_start(struct fake_uapi *fu)
{
	struct sockaddr_un	 sun;

#ifndef TERN_TEST_HOOKS
	atf_tc_skip("built without --enable-test-hooks: no fake UAPI directory");
#endif
	memset(fu, 0, sizeof(*fu));
	ATF_REQUIRE(strlcpy(fu->dir, "/tmp/ternpt.XXXXXX", sizeof(fu->dir)) <
	    sizeof(fu->dir));
	ATF_REQUIRE(mkdtemp(fu->dir) != NULL);
	ATF_REQUIRE(setenv(TEST_DIR_ENV, fu->dir, 1) == 0);
	ATF_REQUIRE(uapi_sockpath(TEST_IFNAME, fu->path, sizeof(fu->path)) ==
	    0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strlcpy(sun.sun_path, fu->path, sizeof(sun.sun_path));
	ATF_REQUIRE((fu->lsock = socket(AF_UNIX, SOCK_STREAM, 0)) != -1);
	ATF_REQUIRE(bind(fu->lsock, (struct sockaddr *)&sun, sizeof(sun)) ==
	    0);
	ATF_REQUIRE(listen(fu->lsock, TEST_BACKLOG) == 0);
	ATF_REQUIRE(pthread_mutex_init(&fu->lock, NULL) == 0);
	ATF_REQUIRE(pthread_create(&fu->thread, NULL, fake_uapi_main, fu) ==
	    0);
}

/* Each connection: one request up to its blank line, then errno=0. */
static void *
fake_uapi_main(void *arg)
{
	struct fake_uapi	*fu = arg;
	char			 req[TEST_REQ_MAX];
	size_t			 len;
	ssize_t			 n;
	int			 s;

	while ((s = accept(fu->lsock, NULL, NULL)) != -1) {
		len = 0;
		while (len < sizeof(req) - 1 &&
		    (len < 2 || memcmp(req + len - 2, "\n\n", 2) != 0)) {
			if ((n = read(s, req + len, sizeof(req) - 1 - len)) <=
			    0)
				break;
			len += n;
		}
		req[len] = '\0';
		pthread_mutex_lock(&fu->lock);
		fu->nreq++;
		memcpy(fu->last, req, len + 1);
		pthread_mutex_unlock(&fu->lock);
		(void)send(s, "errno=0\n\n", 9, MSG_NOSIGNAL);
		close(s);
	}
	return NULL;
}

static void
fake_uapi_stop(struct fake_uapi *fu)
{
	shutdown(fu->lsock, SHUT_RDWR);
	ATF_REQUIRE(pthread_join(fu->thread, NULL) == 0);
	close(fu->lsock);
	unlink(fu->path);
	rmdir(fu->dir);
	unsetenv(TEST_DIR_ENV);
}

static size_t
fake_uapi_count(struct fake_uapi *fu)
{
	size_t	 n;

	pthread_mutex_lock(&fu->lock);
	n = fu->nreq;
	pthread_mutex_unlock(&fu->lock);
	return n;
}

/* Root, a network namespace of our own, lo up as the interface. */
static void
peers_setup(void)
{
	if (geteuid() != 0)
		atf_tc_skip("needs root for a network namespace");
	if (unshare(CLONE_NEWNET) == -1)
		atf_tc_skip("unshare(CLONE_NEWNET): %s", strerror(errno));
	log_to("log");
	memset(&test_conf, 0, sizeof(test_conf));
	strlcpy(test_conf.ifname, TEST_IFNAME, sizeof(test_conf.ifname));
	penv.conf = &test_conf;
	ATF_REQUIRE((penv.nl = nl_open()) != NULL);
	ATF_REQUIRE((penv.ifindex = nl_ifindex(TEST_LO)) > 0);
	ATF_REQUIRE(nl_link_set(penv.nl, penv.ifindex, 0, 1) == 0);
}

/* The parent's log, into a file the test reads. */
static void
log_to(const char *path)
{
	int	 fd;

	ATF_REQUIRE((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) !=
	    -1);
	ATF_REQUIRE(dup2(fd, STDERR_FILENO) == STDERR_FILENO);
	close(fd);
	log_init(1, 0, 0);
}

static int
log_has(const char *path, const char *what)
{
	char	 buf[65536];
	ssize_t	 n;
	int	 fd;

	ATF_REQUIRE((fd = open(path, O_RDONLY)) != -1);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ATF_REQUIRE(n >= 0);
	buf[n] = '\0';
	return strstr(buf, what) != NULL;
}

/* Asks the kernel: a new route to p would clash with one that exists. */
static int
route_exists(const struct tern_prefix *p)
{
	if (nl_route(penv.nl, penv.ifindex, p, 1) == -1) {
		ATF_REQUIRE_EQ(errno, EEXIST);
		return 1;
	}
	ATF_REQUIRE(nl_route(penv.nl, penv.ifindex, p, 0) == 0);
	return 0;
}

/* Peer number n, with nallowed /32s in 10.0.0.0/8 of its own. */
static void
peer_make(struct imsg_wg_peer *p, uint32_t n, uint32_t nallowed)
{
	uint32_t	 i, a;

	memset(p, 0, sizeof(*p));
	memcpy(p->wgkey, &n, sizeof(n));
	p->wgkey[KEY_LEN - 1] = 1;
	p->nallowed = nallowed;
	for (i = 0; i < nallowed; i++) {
		a = (10U << 24) | (n * TERN_ALLOWED_MAX + i);
		p->allowed[i].af = AF_INET;
		p->allowed[i].plen = 32;
		p->allowed[i].a.v4.s_addr = htonl(a);
	}
	p->endpoint.sin_family = AF_INET;
	p->endpoint.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	p->endpoint.sin_port = htons(TEST_PEERPORT);
}

ATF_TC(peers_max);
ATF_TC_HEAD(peers_max, tc)
{
	atf_tc_set_md_var(tc, "descr", "no more than PARENT_PEERS_MAX peers "
	    "are set; one more is refused and logged");
	atf_tc_set_md_var(tc, "require.user", "root");
	atf_tc_set_md_var(tc, "timeout", "600");
}
ATF_TC_BODY(peers_max, tc)
{
	struct fake_uapi	 fu;
	struct imsg_wg_peer	 p;
	size_t			 nreq;
	uint32_t		 n;

	peers_setup();
	fake_uapi_start(&fu);
	for (n = 0; n < PARENT_PEERS_MAX; n++) {
		peer_make(&p, n, 1);
		(void)peer_apply(&p, 0);
	}
	ATF_REQUIRE_EQ(fake_uapi_count(&fu), PARENT_PEERS_MAX);
	ATF_CHECK(route_exists(&p.allowed[0]));

	/* One more: WireGuard hears nothing of it, no route. */
	peer_make(&p, PARENT_PEERS_MAX, 1);
	(void)peer_apply(&p, 0);
	ATF_CHECK_EQ(fake_uapi_count(&fu), PARENT_PEERS_MAX);
	ATF_CHECK(!route_exists(&p.allowed[0]));
	ATF_CHECK(log_has("log", "peers are set already"));

	/* A peer already set may still change; one removed frees a place. */
	peer_make(&p, 0, 2);
	(void)peer_apply(&p, 0);
	ATF_CHECK_EQ(fake_uapi_count(&fu), PARENT_PEERS_MAX + 1);
	ATF_CHECK(route_exists(&p.allowed[1]));
	peer_remove(p.wgkey, 1);
	nreq = fake_uapi_count(&fu);
	peer_make(&p, PARENT_PEERS_MAX, 1);
	(void)peer_apply(&p, 0);
	ATF_CHECK_EQ(fake_uapi_count(&fu), nreq + 1);
	ATF_CHECK(route_exists(&p.allowed[0]));
	fake_uapi_stop(&fu);
}

ATF_TC(routes_max);
ATF_TC_HEAD(routes_max, tc)
{
	atf_tc_set_md_var(tc, "descr", "no more than PARENT_ROUTES_MAX routes; "
	    "a peer that would pass it is refused and logged");
	atf_tc_set_md_var(tc, "require.user", "root");
	atf_tc_set_md_var(tc, "timeout", "600");
}
ATF_TC_BODY(routes_max, tc)
{
	struct fake_uapi	 fu;
	struct imsg_wg_peer	 p;
	uint32_t		 n, npeers;

	peers_setup();
	fake_uapi_start(&fu);
	npeers = PARENT_ROUTES_MAX / TERN_ALLOWED_MAX;
	for (n = 0; n < npeers; n++) {
		peer_make(&p, n, TERN_ALLOWED_MAX);
		(void)peer_apply(&p, 0);
	}
	ATF_REQUIRE_EQ(fake_uapi_count(&fu), npeers);
	ATF_CHECK(route_exists(&p.allowed[TERN_ALLOWED_MAX - 1]));

	peer_make(&p, npeers, 1);
	(void)peer_apply(&p, 0);
	ATF_CHECK_EQ(fake_uapi_count(&fu), npeers);
	ATF_CHECK(!route_exists(&p.allowed[0]));
	ATF_CHECK(log_has("log", "would pass the limit"));
	fake_uapi_stop(&fu);
}

/* A dead back end: one log line, then nothing more is sent to it. */
ATF_TC(backend_gone);
ATF_TC_HEAD(backend_gone, tc)
{
	atf_tc_set_md_var(tc, "descr", "a UAPI socket that refuses "
	    "connections is logged once, not once per peer");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(backend_gone, tc)
{
	struct fake_uapi	 fu;
	struct imsg_wg_peer	 p;
	uint32_t		 n;
	char			 buf[4096];
	ssize_t			 len;
	int			 fd, lines = 0;
	const char		*at;

	peers_setup();
	fake_uapi_start(&fu);
	peer_make(&p, 0, 1);
	(void)peer_apply(&p, 0);
	ATF_REQUIRE_EQ(fake_uapi_count(&fu), 1);
	/* The server dies; its socket file stays, connect() is refused. */
	shutdown(fu.lsock, SHUT_RDWR);
	ATF_REQUIRE(pthread_join(fu.thread, NULL) == 0);
	close(fu.lsock);
	for (n = 1; n < 4; n++) {
		peer_make(&p, n, 1);
		(void)peer_apply(&p, 0);
	}
	peer_remove_all(1);
	unlink(fu.path);
	rmdir(fu.dir);

	ATF_REQUIRE((fd = open("log", O_RDONLY)) != -1);
	ATF_REQUIRE((len = read(fd, buf, sizeof(buf) - 1)) >= 0);
	close(fd);
	buf[len] = '\0';
	for (at = buf; (at = strstr(at, "is gone")) != NULL; at++)
		lines++;
	ATF_CHECK_EQ_MSG(lines, 1, "%s", buf);
	ATF_CHECK_MSG(strstr(buf, "setting peer") == NULL, "%s", buf);
	ATF_CHECK_MSG(strstr(buf, "removing peer") == NULL, "%s", buf);
	/* The first peer's route was ours: it went with the peer. */
	peer_make(&p, 0, 1);
	ATF_CHECK(!route_exists(&p.allowed[0]));
}

/* A static peer of conf with one prefix; its key from id. */
static void
static_add(struct ternd_conf *conf, uint8_t id, const char *prefix)
{
	struct peer_conf	*pc;
	const char		*errstr;

	ATF_REQUIRE((pc = calloc(1, sizeof(*pc))) != NULL);
	snprintf(pc->name, sizeof(pc->name), "s%u", id);
	memset(pc->wgkey, id, KEY_LEN);
	ATF_REQUIRE(prefix_parse(prefix, &pc->allowed[pc->nallowed++],
	    &errstr) == 0);
	TAILQ_INSERT_TAIL(&conf->peers, pc, entry);
	conf->npeers++;
}

/* The WireGuard peer that static peer pc (or a netmap one) stands for. */
static void
peer_of(struct imsg_wg_peer *p, uint8_t id, const char *prefix,
    uint32_t idx)
{
	const char	*errstr;

	memset(p, 0, sizeof(*p));
	memset(p->wgkey, id, KEY_LEN);
	ATF_REQUIRE(prefix_parse(prefix, &p->allowed[p->nallowed++],
	    &errstr) == 0);
	ATF_REQUIRE(peerport_addr(idx, TEST_PEERPORT, &p->endpoint) == 0);
}

ATF_TC(reload_recheck);
ATF_TC_HEAD(reload_recheck, tc)
{
	atf_tc_set_md_var(tc, "descr", "after a reload, a static peer no "
	    "longer configured goes, and a netmap peer overlapping a new "
	    "static peer goes; the others stay");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(reload_recheck, tc)
{
	struct fake_uapi	 fu;
	struct ternd_conf	*c1, *c2;
	struct imsg_wg_peer	 s, t, n, m;
	const char		*errstr;

	peers_setup();
	fake_uapi_start(&fu);
	ATF_REQUIRE((c1 = conf_new()) != NULL && (c2 = conf_new()) != NULL);
	strlcpy(c1->ifname, TEST_IFNAME, sizeof(c1->ifname));
	strlcpy(c2->ifname, TEST_IFNAME, sizeof(c2->ifname));
	c1->peerport = c2->peerport = TEST_PEERPORT;
	ATF_REQUIRE(prefix_parse("10.0.0.0/8", &c1->accept[c1->naccept++],
	    &errstr) == 0);
	c2->accept[c2->naccept++] = c1->accept[0];
	static_add(c1, 0x51, "10.0.9.0/24");
	static_add(c1, 0x54, "10.0.7.0/24");
	/* The new config drops s1, keeps s4, and adds s2 over n's prefix. */
	static_add(c2, 0x52, "10.0.8.0/24");
	static_add(c2, 0x54, "10.0.7.0/24");
	penv.conf = c1;

	peer_of(&s, 0x51, "10.0.9.0/24", 1);
	peer_of(&t, 0x54, "10.0.7.0/24", 2);
	peer_of(&n, 0x4e, "10.0.8.5/32", 3);
	peer_of(&m, 0x4d, "10.0.6.5/32", 4);
	ATF_REQUIRE_EQ(peer_apply(&s, 0), 0);
	ATF_REQUIRE_EQ(peer_apply(&t, 0), 0);
	ATF_REQUIRE_EQ(peer_apply(&n, 1), 0);
	ATF_REQUIRE_EQ(peer_apply(&m, 1), 0);
	ATF_REQUIRE(route_exists(&s.allowed[0]) && route_exists(&n.allowed[0]));

	penv.conf = c2;
	peer_recheck(c2);
	ATF_CHECK(log_has("log", "not a static peer"));
	ATF_CHECK(log_has("log", "10.0.8.5/32 overlaps static peer s82"));
	ATF_CHECK(!route_exists(&s.allowed[0]));
	ATF_CHECK(!route_exists(&n.allowed[0]));
	ATF_CHECK(route_exists(&t.allowed[0]));
	ATF_CHECK(route_exists(&m.allowed[0]));
	ATF_CHECK(peer_is_netmap(m.wgkey));
	ATF_CHECK(!peer_is_netmap(n.wgkey));
	fake_uapi_stop(&fu);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, reload_recheck);
	ATF_TP_ADD_TC(tp, peers_max);
	ATF_TP_ADD_TC(tp, routes_max);
	ATF_TP_ADD_TC(tp, backend_gone);
	return atf_no_error();
}
