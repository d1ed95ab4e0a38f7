/*
 * WireGuard UAPI: request text, answer parsing, the socket exchange
 * against a fake server, wireguard-go's start and stop, and rtnetlink
 * against a real wireguard-go in a network namespace of our own.
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/param.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>

#include "config.h"
#include "key.h"
#include "log.h"
#include "parent_kroute.h"
#include "ternd.h"
#include "parent_wg_uapi.h"
#include "super.h"

/* parent_wg_uapi.c reads the socket directory from this variable when set. */
#define TEST_DIR_ENV		"TERN_WG_UAPI_DIR"
#define TEST_IFNAME		"ternut0"
#define TEST_REQ_MAX		4096	/* a request the fake server keeps */
#define TEST_CHUNK		7	/* answer written in pieces this big */
#define TEST_CHUNK_US		1000	/* pause between pieces */
#define TEST_SPLIT_US		20000	/* long enough for the reader to wake */
#define TEST_WAIT_MS		5000	/* wireguard-go's socket, generously */
#define TEST_STOP_MS		WG_STOP_MS	/* SIGTERM's grace */
#define TEST_MTU		1380
#define TEST_FD_LEAK		57	/* an fd the child must not inherit */
#define TEST_PEERPORT		51821
#define TEST_PID_MOD		10000000	/* pid_max is at most 2^22 */

/* Keys whose hex forms the expected text spells out. */
#define HEX_A	"000102030405060708090a0b0c0d0e0f" \
		"101112131415161718191a1b1c1d1e1f"
#define HEX_B	"b85996fecc9c7f1fc6d2572a76eda11d" \
		"59bcd20be8e543b15ce4bd85a8e75a33"
#define HEX_C	"58402e695ba1772b1cc9309755f04325" \
		"1ea77fdcf10fbe63989ceb7e19321376"
#define HEX_D	"e84b5a6d2717c1003a13b431570353db" \
		"aca9146cf150c5f8575680feba52027a"
#define HEX_0	"00000000000000000000000000000000" \
		"00000000000000000000000000000000"
/* HEX_B less its last digit, and with a non-hex first digit. */
#define HEX_B63	"b85996fecc9c7f1fc6d2572a76eda11" \
		"d59bcd20be8e543b15ce4bd85a8e75a3"
#define HEX_BZ	"z85996fecc9c7f1fc6d2572a76eda11d" \
		"59bcd20be8e543b15ce4bd85a8e75a33"

/* A get answer as wireguard-go writes it, with two peers. */
static const char get_answer[] =
    "private_key=" HEX_D "\n"
    "listen_port=51820\n"
    "public_key=" HEX_B "\n"
    "preshared_key=" HEX_0 "\n"
    "protocol_version=1\n"
    "endpoint=127.0.1.2:51821\n"
    "last_handshake_time_sec=1700000000\n"
    "last_handshake_time_nsec=123456789\n"
    "tx_bytes=38333\n"
    "rx_bytes=2224\n"
    "persistent_keepalive_interval=25\n"
    "allowed_ip=10.77.0.2/32\n"
    "allowed_ip=fd77::2/128\n"
    "some_future_field=whatever\n"
    "public_key=" HEX_C "\n"
    "preshared_key=" HEX_0 "\n"
    "protocol_version=1\n"
    "last_handshake_time_sec=0\n"
    "last_handshake_time_nsec=0\n"
    "tx_bytes=0\n"
    "rx_bytes=18446744073709551615\n"
    "persistent_keepalive_interval=0\n"
    "allowed_ip=10.77.0.3/32\n"
    "errno=0\n"
    "\n";

struct peers_seen {
	struct wg_peer_stats	 p[4];
	int			 n;
};

enum fake_mode {
	FAKE_ANSWER,		/* write the answer, maybe in pieces */
	FAKE_CLOSE,		/* close without a word */
	FAKE_SILENT,		/* answer nothing until the client leaves */
	FAKE_FLOOD,		/* an answer that never ends */
};

struct fake_server {
	char		 dir[64];
	char		 path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int		 lsock;
	enum fake_mode	 mode;
	const char	*answer;
	size_t		 chunk;
	useconds_t	 pause;		/* between chunks */
	char		 req[TEST_REQ_MAX];
	size_t		 reqlen;
	pthread_t	 thread;
};

static pid_t	 test_wgpid = -1;

static void	 peers_cb(const struct wg_peer_stats *, void *);
static void	 key_fill(uint8_t [KEY_LEN], uint8_t);
static struct tern_prefix mkprefix(const char *, int);
static int	 parse(const char *, size_t, struct peers_seen *,
		    struct wg_device_stats *, const char **);
static int	 parse_str(const char *, const char **);
static void	 fake_start(struct fake_server *, enum fake_mode,
		    const char *, size_t, useconds_t);
static void	*fake_main(void *);
static void	 fake_stop(struct fake_server *);
static void	 tempdir(char *, size_t);
static void	 test_wg_cleanup(void);
static void	 require_wg_env(void);
static void	 test_ifname(char [IFNAMSIZ]);
static int	 file_has(const char *, const char *, const char *);
static int64_t	 now_ms(void);

static void
peers_cb(const struct wg_peer_stats *ps, void *arg)
{
	struct peers_seen	*seen = arg;

	if (seen->n < (int)(sizeof(seen->p) / sizeof(seen->p[0])))
		seen->p[seen->n] = *ps;
	seen->n++;
}

static void
key_fill(uint8_t key[KEY_LEN], uint8_t first)
{
	int	 i;

	for (i = 0; i < KEY_LEN; i++)
		key[i] = first + i;
}

static struct tern_prefix
mkprefix(const char *addr, int plen)
{
	struct tern_prefix	 p;

	memset(&p, 0, sizeof(p));
	p.af = strchr(addr, ':') != NULL ? AF_INET6 : AF_INET;
	p.plen = plen;
	ATF_REQUIRE(inet_pton(p.af, addr, &p.a) == 1);
	return p;
}

static int
parse(const char *buf, size_t len, struct peers_seen *seen,
    struct wg_device_stats *dev, const char **errstr)
{
	memset(seen, 0, sizeof(*seen));
	*errstr = "(not set)";
	return uapi_parse_get(buf, len, dev, peers_cb, seen, errstr);
}

/* Parses a malformed answer: it must fail, with a reason, and no peer. */
static int
parse_str(const char *s, const char **errstr)
{
	struct peers_seen	 seen;
	struct wg_device_stats	 dev;
	int			 rv;

	rv = parse(s, strlen(s), &seen, &dev, errstr);
	ATF_CHECK_EQ_MSG(seen.n, 0, "callback ran for a bad answer: %s", s);
	return rv;
}

static int64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Under /tmp, not the work directory: sun_path holds 108 bytes only.
 * The parent talks only to root's servers in root's directories.
 */
static void
tempdir(char *dir, size_t len)
{
#ifndef TERN_TEST_HOOKS
	atf_tc_skip("built without --enable-test-hooks: no fake UAPI directory");
#endif
	if (geteuid() != 0)
		atf_tc_skip("a UAPI server must run as root");
	ATF_REQUIRE(strlcpy(dir, "/tmp/ternut.XXXXXX", len) < len);
	ATF_REQUIRE(mkdtemp(dir) != NULL);
	ATF_REQUIRE(setenv(TEST_DIR_ENV, dir, 1) == 0);
}

/* The answer goes in pieces of chunk bytes, pause us apart; 0: at once. */
static void
fake_start(struct fake_server *fs, enum fake_mode mode, const char *answer,
    size_t chunk, useconds_t pause)
{
	struct sockaddr_un	 sun;

	memset(fs, 0, sizeof(*fs));
	fs->mode = mode;
	fs->answer = answer;
	fs->chunk = chunk;
	fs->pause = pause;
	tempdir(fs->dir, sizeof(fs->dir));
	ATF_REQUIRE(uapi_sockpath(TEST_IFNAME, fs->path, sizeof(fs->path)) ==
	    0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strlcpy(sun.sun_path, fs->path, sizeof(sun.sun_path));
	ATF_REQUIRE((fs->lsock = socket(AF_UNIX, SOCK_STREAM, 0)) != -1);
	ATF_REQUIRE(bind(fs->lsock, (struct sockaddr *)&sun, sizeof(sun)) == 0);
	ATF_REQUIRE(listen(fs->lsock, 1) == 0);
	ATF_REQUIRE(pthread_create(&fs->thread, NULL, fake_main, fs) == 0);
}

/* One connection: read a request up to its blank line, then act. */
static void *
fake_main(void *arg)
{
	struct fake_server	*fs = arg;
	char			 junk[TEST_REQ_MAX];
	size_t			 off, len, n, sent;
	ssize_t			 r;
	int			 s;

	if ((s = accept(fs->lsock, NULL, NULL)) == -1)
		return NULL;
	while (fs->reqlen < sizeof(fs->req) - 1 &&
	    (fs->reqlen < 2 || memcmp(fs->req + fs->reqlen - 2, "\n\n", 2))) {
		r = read(s, fs->req + fs->reqlen, 1);
		if (r <= 0)
			break;
		fs->reqlen += r;
	}
	switch (fs->mode) {
	case FAKE_ANSWER:
		len = strlen(fs->answer);
		n = fs->chunk > 0 ? fs->chunk : len;
		for (off = 0; off < len; off += n) {
			if (send(s, fs->answer + off, MIN(n, len - off),
			    MSG_NOSIGNAL) == -1)
				break;
			if (fs->chunk > 0)
				usleep(fs->pause);
		}
		break;
	case FAKE_CLOSE:
		break;
	case FAKE_FLOOD:
		/* Lines that parse but never end, past UAPI_RESPONSE_MAX. */
		for (n = 0; n + 4 <= sizeof(junk); n += 4)
			memcpy(junk + n, "x=1\n", 4);
		for (sent = 0; sent <= UAPI_RESPONSE_MAX + sizeof(junk);
		    sent += n)
			if (send(s, junk, n, MSG_NOSIGNAL) == -1)
				break;
		/* FALLTHROUGH */
	case FAKE_SILENT:
		while (read(s, junk, sizeof(junk)) > 0)
			;
		break;
	}
	close(s);
	return NULL;
}

static void
fake_stop(struct fake_server *fs)
{
	ATF_REQUIRE(pthread_join(fs->thread, NULL) == 0);
	close(fs->lsock);
	unlink(fs->path);
	rmdir(fs->dir);
	unsetenv(TEST_DIR_ENV);
}

/* As ternd's parent stops it: SIGTERM, then SIGKILL after WG_STOP_MS. */
static void
test_wg_stop(pid_t pid)
{
	struct super_child	 c = {
		.name = "wireguard-go", .pid = -1, .stop_ms = WG_STOP_MS
	};

	if (pid <= 0)
		return;
	super_add(&c, pid);
	super_stop(&c);
}

static void
test_wg_cleanup(void)
{
	test_wg_stop(test_wgpid);
	test_wgpid = -1;
}

/* Root, a tun device, wireguard-go, and a network namespace of our own. */
static void
require_wg_env(void)
{
	if (geteuid() != 0)
		atf_tc_skip("needs root to create a tun interface");
	if (access("/dev/net/tun", R_OK | W_OK) == -1)
		atf_tc_skip("/dev/net/tun is missing");
	if (access(TERND_WGGO, X_OK) == -1)
		atf_tc_skip(TERND_WGGO " is not installed");
	unsetenv(TEST_DIR_ENV);
	/* atf runs each test case in a process of its own: unshare it. */
	if (unshare(CLONE_NEWNET) == -1)
		atf_tc_skip("unshare(CLONE_NEWNET): %s", strerror(errno));
	log_init(1, 0, 0);
	ATF_REQUIRE(atexit(test_wg_cleanup) == 0);
}

/* "ternut" and our pid: unique on this host, and short enough. */
static void
test_ifname(char ifname[IFNAMSIZ])
{
	int	 n;

	n = snprintf(ifname, IFNAMSIZ, "ternut%u",
	    (unsigned int)getpid() % TEST_PID_MOD);
	ATF_REQUIRE(n > 0 && n < IFNAMSIZ);
}

/* 1 if a line of path holds both a and b. */
static int
file_has(const char *path, const char *a, const char *b)
{
	FILE	*f;
	char	 line[512];
	int	 found = 0;

	ATF_REQUIRE((f = fopen(path, "r")) != NULL);
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = strstr(line, a) != NULL && strstr(line, b) != NULL;
	fclose(f);
	return found;
}

ATF_TC_WITHOUT_HEAD(req_device);
ATF_TC_BODY(req_device, tc)
{
	uint8_t	 key[KEY_LEN];
	char	*req;

	key_fill(key, 0);
	ATF_REQUIRE((req = uapi_req_device(key, 51820)) != NULL);
	ATF_CHECK_STREQ(req, "set=1\nprivate_key=" HEX_A "\n"
	    "listen_port=51820\n\n");
	explicit_bzero(req, strlen(req));
	free(req);

	ATF_REQUIRE((req = uapi_req_device(key, 0)) != NULL);
	ATF_CHECK_STREQ(req, "set=1\nprivate_key=" HEX_A "\n"
	    "listen_port=0\n\n");
	explicit_bzero(req, strlen(req));
	free(req);
}

ATF_TC_WITHOUT_HEAD(req_peer_v4_endpoint);
ATF_TC_BODY(req_peer_v4_endpoint, tc)
{
	struct tern_prefix	 allowed[2];
	struct sockaddr_in	 sin;
	struct wg_peer		 peer;
	char			*req;

	allowed[0] = mkprefix("10.77.0.2", 32);
	allowed[1] = mkprefix("192.168.0.0", 16);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(TEST_PEERPORT);
	ATF_REQUIRE(inet_pton(AF_INET, "127.0.1.2", &sin.sin_addr) == 1);
	memset(&peer, 0, sizeof(peer));
	key_fill(peer.pubkey, 0);
	peer.allowed = allowed;
	peer.nallowed = 2;
	peer.endpoint = &sin;
	peer.keepalive = 25;
	ATF_REQUIRE((req = uapi_req_peer_set(&peer)) != NULL);
	ATF_CHECK_STREQ(req, "set=1\npublic_key=" HEX_A "\n"
	    "replace_allowed_ips=true\n"
	    "allowed_ip=10.77.0.2/32\n"
	    "allowed_ip=192.168.0.0/16\n"
	    "endpoint=127.0.1.2:51821\n"
	    "persistent_keepalive_interval=25\n\n");
	free(req);
}

ATF_TC_WITHOUT_HEAD(req_peer_v6_no_endpoint);
ATF_TC_BODY(req_peer_v6_no_endpoint, tc)
{
	struct tern_prefix	 allowed[3];
	struct wg_peer		 peer;
	char			*req;

	allowed[0] = mkprefix("fd77::2", 128);
	allowed[1] = mkprefix("::", 0);
	allowed[2] = mkprefix("0.0.0.0", 0);
	memset(&peer, 0, sizeof(peer));
	key_fill(peer.pubkey, 0);
	peer.allowed = allowed;
	peer.nallowed = 3;
	ATF_REQUIRE((req = uapi_req_peer_set(&peer)) != NULL);
	ATF_CHECK_STREQ(req, "set=1\npublic_key=" HEX_A "\n"
	    "replace_allowed_ips=true\n"
	    "allowed_ip=fd77::2/128\n"
	    "allowed_ip=::/0\n"
	    "allowed_ip=0.0.0.0/0\n"
	    "persistent_keepalive_interval=0\n\n");
	free(req);

	/* No allowed IPs at all: the peer keeps none. */
	peer.allowed = NULL;
	peer.nallowed = 0;
	ATF_REQUIRE((req = uapi_req_peer_set(&peer)) != NULL);
	ATF_CHECK_STREQ(req, "set=1\npublic_key=" HEX_A "\n"
	    "replace_allowed_ips=true\n"
	    "persistent_keepalive_interval=0\n\n");
	free(req);
}

ATF_TC_WITHOUT_HEAD(req_peer_invalid);
ATF_TC_BODY(req_peer_invalid, tc)
{
	struct tern_prefix	 allowed[TERN_ALLOWED_MAX + 1];
	struct sockaddr_in	 sin;
	struct wg_peer		 peer;
	size_t			 i;

	for (i = 0; i < TERN_ALLOWED_MAX + 1; i++)
		allowed[i] = mkprefix("10.0.0.0", 8);
	memset(&peer, 0, sizeof(peer));
	peer.allowed = allowed;

	peer.nallowed = TERN_ALLOWED_MAX + 1;
	errno = 0;
	ATF_CHECK(uapi_req_peer_set(&peer) == NULL && errno == EINVAL);

	/* The limit itself is fine. */
	peer.nallowed = TERN_ALLOWED_MAX;
	{
		char	*req;

		ATF_CHECK((req = uapi_req_peer_set(&peer)) != NULL);
		free(req);
	}

	peer.nallowed = 1;
	allowed[0].plen = 33;
	ATF_CHECK(uapi_req_peer_set(&peer) == NULL && errno == EINVAL);
	allowed[0] = mkprefix("fd77::", 64);
	allowed[0].plen = 129;
	ATF_CHECK(uapi_req_peer_set(&peer) == NULL && errno == EINVAL);
	allowed[0].af = AF_UNIX;
	allowed[0].plen = 8;
	ATF_CHECK(uapi_req_peer_set(&peer) == NULL && errno == EINVAL);

	peer.nallowed = 2;
	peer.allowed = NULL;
	ATF_CHECK(uapi_req_peer_set(&peer) == NULL && errno == EINVAL);

	/* Endpoints are IPv4 peer ports with a port. */
	peer.nallowed = 0;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET6;
	sin.sin_port = htons(TEST_PEERPORT);
	peer.endpoint = &sin;
	ATF_CHECK(uapi_req_peer_set(&peer) == NULL && errno == EINVAL);
	sin.sin_family = AF_INET;
	sin.sin_port = 0;
	ATF_CHECK(uapi_req_peer_set(&peer) == NULL && errno == EINVAL);
}

ATF_TC_WITHOUT_HEAD(req_peer_remove);
ATF_TC_BODY(req_peer_remove, tc)
{
	uint8_t	 key[KEY_LEN];
	char	*req;

	key_fill(key, 0);
	ATF_REQUIRE((req = uapi_req_peer_remove(key)) != NULL);
	ATF_CHECK_STREQ(req, "set=1\npublic_key=" HEX_A "\nremove=true\n\n");
	free(req);
}

ATF_TC_WITHOUT_HEAD(parse_errno);
ATF_TC_BODY(parse_errno, tc)
{
	const char	*bad[] = {
		"", "\n", "\n\n", "errno=0", "errno=0\n", "errno=\n\n",
		"errno=-\n\n", "errno=abc\n\n", "errno= 0\n\n", "errno=+1\n\n",
		"errno=4096\n\n", "errno=99999999999999999999\n\n",
		"Errno=0\n\n", "errno\n\n", "foo=1\n\n", "errno=0\n\nx",
		"errno=0\n\n\n", "errno=0\nfoo=1\n\n",
	};
	size_t		 i;
	int		 err;

	err = -1;
	ATF_CHECK(uapi_parse_errno("errno=0\n\n", 9, &err) == 0 && err == 0);
	/* wireguard-go negates the errno it reports. */
	ATF_CHECK(uapi_parse_errno("errno=-22\n\n", 11, &err) == 0 &&
	    err == EINVAL);
	ATF_CHECK(uapi_parse_errno("errno=71\n\n", 10, &err) == 0 &&
	    err == EPROTO);
	/* The length bounds the answer, not a NUL. */
	ATF_CHECK(uapi_parse_errno("errno=0\n\nGARBAGE", 9, &err) == 0);
	ATF_CHECK(uapi_parse_errno("errno=0\n\n", 8, &err) == -1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ATF_CHECK_MSG(uapi_parse_errno(bad[i], strlen(bad[i]), &err) ==
		    -1, "accepted \"%s\"", bad[i]);
	ATF_CHECK(uapi_parse_errno("errno=0\n\n", UAPI_RESPONSE_MAX + 1,
	    &err) == -1);
}

ATF_TC_WITHOUT_HEAD(parse_get_two_peers);
ATF_TC_BODY(parse_get_two_peers, tc)
{
	struct peers_seen	 seen;
	struct wg_device_stats	 dev;
	uint8_t			 kb[KEY_LEN], kc[KEY_LEN];
	const char		*errstr;

	ATF_REQUIRE(key_from_hex(HEX_B, kb) == 0);
	ATF_REQUIRE(key_from_hex(HEX_C, kc) == 0);
	ATF_REQUIRE_MSG(parse(get_answer, strlen(get_answer), &seen, &dev,
	    &errstr) == 0, "%s", errstr);
	ATF_CHECK_EQ(dev.listen_port, 51820);
	ATF_CHECK_EQ(dev.has_private_key, 1);
	ATF_REQUIRE_EQ(seen.n, 2);
	ATF_CHECK(memcmp(seen.p[0].pubkey, kb, KEY_LEN) == 0);
	ATF_CHECK_EQ(seen.p[0].last_handshake, 1700000000);
	ATF_CHECK_EQ(seen.p[0].rx_bytes, 2224);
	ATF_CHECK_EQ(seen.p[0].tx_bytes, 38333);
	ATF_CHECK(memcmp(seen.p[1].pubkey, kc, KEY_LEN) == 0);
	ATF_CHECK_EQ(seen.p[1].last_handshake, 0);
	ATF_CHECK_EQ(seen.p[1].rx_bytes, UINT64_MAX);
	ATF_CHECK_EQ(seen.p[1].tx_bytes, 0);

	/* A device with no key, no port and no peers. */
	ATF_REQUIRE(parse("errno=0\n\n", 9, &seen, &dev, &errstr) == 0);
	ATF_CHECK_EQ(dev.listen_port, 0);
	ATF_CHECK_EQ(dev.has_private_key, 0);
	ATF_CHECK_EQ(seen.n, 0);
	ATF_REQUIRE(parse("private_key=" HEX_0 "\nerrno=0\n\n",
	    strlen("private_key=" HEX_0 "\nerrno=0\n\n"), &seen, &dev,
	    &errstr) == 0);
	ATF_CHECK_EQ(dev.has_private_key, 0);
}

ATF_TC_WITHOUT_HEAD(parse_get_errno);
ATF_TC_BODY(parse_get_errno, tc)
{
	struct wg_device_stats	 dev;
	const char		*errstr;

	errno = 0;
	ATF_CHECK(uapi_parse_get("errno=-22\n\n", 11, &dev, NULL, NULL,
	    &errstr) == -1);
	ATF_CHECK(errno == EINVAL);
	ATF_CHECK_STREQ(errstr, "WireGuard answered with an error");
	ATF_CHECK(parse_str("public_key=" HEX_B "\nrx_bytes=1\nerrno=-5\n\n",
	    &errstr) == -1);
	ATF_CHECK(parse_str("errno=x\n\n", &errstr) == -1);
	ATF_CHECK(errstr != NULL);
}

/* Every proper prefix of a good answer is refused, peers or not. */
ATF_TC_WITHOUT_HEAD(parse_get_truncated);
ATF_TC_BODY(parse_get_truncated, tc)
{
	struct peers_seen	 seen;
	struct wg_device_stats	 dev;
	const char		*errstr;
	size_t			 len;

	for (len = 0; len < strlen(get_answer); len++) {
		ATF_CHECK_MSG(parse(get_answer, len, &seen, &dev, &errstr) ==
		    -1, "accepted the first %zu bytes", len);
		ATF_CHECK_EQ(seen.n, 0);
		ATF_CHECK(errstr != NULL);
	}
	ATF_CHECK(parse_str("listen_port=1\n", &errstr) == -1);
	ATF_CHECK_STREQ(errstr, "no errno line");
	ATF_CHECK(parse_str("listen_port=1\nerrno=0", &errstr) == -1);
	ATF_CHECK_STREQ(errstr, "truncated line");
	ATF_CHECK(parse_str("listen_port=1\n\nerrno=0\n\n", &errstr) == -1);
	ATF_CHECK(parse_str("errno=0\n\nlisten_port=1\n", &errstr) == -1);
}

ATF_TC_WITHOUT_HEAD(parse_get_bad_hex);
ATF_TC_BODY(parse_get_bad_hex, tc)
{
	const char	*bad[] = {
		/* a non-hex digit */
		"public_key=" HEX_BZ "\nerrno=0\n\n",
		/* 63 digits */
		"public_key=" HEX_B63 "\nerrno=0\n\n",
		/* 65 digits */
		"public_key=" HEX_B "3\nerrno=0\n\n",
		"public_key=\nerrno=0\n\n",
		"private_key=xyz\nerrno=0\n\n",
		"public_key=" HEX_B "\npreshared_key=00\nerrno=0\n\n",
		/* a good first peer does not save a bad second one */
		"public_key=" HEX_B "\nrx_bytes=1\n"
		    "public_key=" HEX_B "0\nerrno=0\n\n",
	};
	const char	*errstr;
	size_t		 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ATF_CHECK_MSG(parse_str(bad[i], &errstr) == -1,
		    "accepted \"%s\"", bad[i]);
		ATF_CHECK(errstr != NULL);
	}
}

ATF_TC_WITHOUT_HEAD(parse_get_bad_number);
ATF_TC_BODY(parse_get_bad_number, tc)
{
	const char	*bad[] = {
		"public_key=" HEX_B "\nrx_bytes=12a\nerrno=0\n\n",
		"public_key=" HEX_B "\nrx_bytes=\nerrno=0\n\n",
		"public_key=" HEX_B "\nrx_bytes=-1\nerrno=0\n\n",
		"public_key=" HEX_B "\nrx_bytes= 1\nerrno=0\n\n",
		"public_key=" HEX_B "\nrx_bytes=+1\nerrno=0\n\n",
		"public_key=" HEX_B "\n"
		    "rx_bytes=18446744073709551616\nerrno=0\n\n",
		"public_key=" HEX_B "\ntx_bytes=0x10\nerrno=0\n\n",
		"public_key=" HEX_B "\n"
		    "last_handshake_time_sec=9223372036854775808\nerrno=0\n\n",
		"public_key=" HEX_B "\n"
		    "last_handshake_time_nsec=1000000000\nerrno=0\n\n",
		"public_key=" HEX_B "\n"
		    "persistent_keepalive_interval=65536\nerrno=0\n\n",
		"listen_port=65536\nerrno=0\n\n",
		"listen_port=port\nerrno=0\n\n",
		"fwmark=4294967296\nerrno=0\n\n",
	};
	const char	*errstr;
	size_t		 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ATF_CHECK_MSG(parse_str(bad[i], &errstr) == -1,
		    "accepted \"%s\"", bad[i]);
		ATF_CHECK(errstr != NULL);
	}
}

ATF_TC_WITHOUT_HEAD(parse_get_malformed);
ATF_TC_BODY(parse_get_malformed, tc)
{
	const char	*errstr;

	ATF_CHECK(parse_str("listen_port\nerrno=0\n\n", &errstr) == -1);
	ATF_CHECK_STREQ(errstr, "line without '='");
	ATF_CHECK(parse_str("public_key=" HEX_B "\nprotocol_version 1\n"
	    "errno=0\n\n", &errstr) == -1);
	ATF_CHECK_STREQ(errstr, "line without '='");
	/* Peer fields belong after public_key, device fields before. */
	ATF_CHECK(parse_str("rx_bytes=1\nerrno=0\n\n", &errstr) == -1);
	ATF_CHECK(parse_str("public_key=" HEX_B "\nlisten_port=1\n"
	    "errno=0\n\n", &errstr) == -1);
	/* Unknown lines are skipped, even odd ones. */
	ATF_CHECK(parse_str("=\nx=\n=y\nerrno=0\n\n", &errstr) == 0);
	/* A NUL would cut the answer short for a C string reader. */
	ATF_CHECK(uapi_parse_get("listen_port=1\0\nerrno=0\n\n", 24,
	    &(struct wg_device_stats){ 0 }, NULL, NULL, &errstr) == -1);
	ATF_CHECK_STREQ(errstr, "NUL in answer");
}

ATF_TC_WITHOUT_HEAD(parse_get_oversize);
ATF_TC_BODY(parse_get_oversize, tc)
{
	struct peers_seen	 seen;
	struct wg_device_stats	 dev;
	const char		*errstr;
	char			*buf;
	size_t			 len, n;

	/* Valid lines and a valid end, one byte too many in all. */
	len = UAPI_RESPONSE_MAX + 1;
	ATF_REQUIRE((buf = malloc(len)) != NULL);
	memset(buf, '\n', len);
	for (n = 0; n + 4 <= len - 9; n += 4)
		memcpy(buf + n, "x=1\n", 4);
	memcpy(buf + len - 9, "errno=0\n\n", 9);
	ATF_CHECK(parse(buf, len, &seen, &dev, &errstr) == -1);
	ATF_CHECK_STREQ(errstr, "answer too long");
	free(buf);
}

ATF_TC_WITHOUT_HEAD(sockpath);
ATF_TC_BODY(sockpath, tc)
{
	char	 path[PATH_MAX], tiny[16];

	unsetenv(TEST_DIR_ENV);
	ATF_REQUIRE(uapi_sockpath("tern0", path, sizeof(path)) == 0);
	ATF_CHECK_STREQ(path, WG_UAPI_DIR "/tern0.sock");
	ATF_REQUIRE(setenv(TEST_DIR_ENV, "/tmp/x", 1) == 0);
	ATF_REQUIRE(uapi_sockpath("tern0", path, sizeof(path)) == 0);
#ifdef TERN_TEST_HOOKS
	ATF_CHECK_STREQ(path, "/tmp/x/tern0.sock");
#else
	/* What "make install" ships ignores the variable. */
	ATF_CHECK_STREQ(path, WG_UAPI_DIR "/tern0.sock");
#endif
	ATF_REQUIRE(setenv(TEST_DIR_ENV, "", 1) == 0);
	ATF_REQUIRE(uapi_sockpath("tern0", path, sizeof(path)) == 0);
	ATF_CHECK_STREQ(path, WG_UAPI_DIR "/tern0.sock");
	unsetenv(TEST_DIR_ENV);

	ATF_CHECK(uapi_sockpath("", path, sizeof(path)) == -1);
	ATF_CHECK(uapi_sockpath("a/b", path, sizeof(path)) == -1);
	ATF_CHECK(uapi_sockpath(".", path, sizeof(path)) == -1);
	ATF_CHECK(uapi_sockpath("..", path, sizeof(path)) == -1);
	ATF_CHECK(uapi_sockpath("0123456789abcdef", path, sizeof(path)) == -1);
	ATF_CHECK(uapi_sockpath("0123456789abcde", path, sizeof(path)) == 0);
	errno = 0;
	ATF_CHECK(uapi_sockpath("tern0", tiny, sizeof(tiny)) == -1 &&
	    errno == ENAMETOOLONG);
}

ATF_TC_WITHOUT_HEAD(set_fake_server);
ATF_TC_BODY(set_fake_server, tc)
{
	struct fake_server	 fs;
	const char		*errstr = NULL;
	uint8_t			 key[KEY_LEN];
	char			*req;

	key_fill(key, 0);
	ATF_REQUIRE((req = uapi_req_device(key, 0)) != NULL);
	fake_start(&fs, FAKE_ANSWER, "errno=0\n\n", 0, 0);
	ATF_CHECK_MSG(uapi_set(TEST_IFNAME, req, &errstr) == 0, "%s", errstr);
	fake_stop(&fs);
	fs.req[fs.reqlen] = '\0';
	ATF_CHECK_STREQ(fs.req, req);
	explicit_bzero(req, strlen(req));
	free(req);
}

ATF_TC_WITHOUT_HEAD(set_fake_refused);
ATF_TC_BODY(set_fake_refused, tc)
{
	struct fake_server	 fs;
	const char		*errstr = NULL;

	fake_start(&fs, FAKE_ANSWER, "errno=-22\n\n", 0, 0);
	errno = 0;
	ATF_CHECK(uapi_set(TEST_IFNAME, "set=1\nbogus=1\n\n", &errstr) == -1);
	ATF_CHECK_EQ(errno, EINVAL);
	ATF_CHECK(errstr != NULL);
	fake_stop(&fs);

	fake_start(&fs, FAKE_ANSWER, "errno=zero\n\n", 0, 0);
	ATF_CHECK(uapi_set(TEST_IFNAME, "set=1\n\n", &errstr) == -1);
	ATF_CHECK_EQ(errno, EPROTO);
	fake_stop(&fs);

	fake_start(&fs, FAKE_ANSWER, "errno=0\n\nerrno=0\n\n", 0, 0);
	ATF_CHECK(uapi_set(TEST_IFNAME, "set=1\n\n", &errstr) == -1);
	fake_stop(&fs);

	fake_start(&fs, FAKE_CLOSE, NULL, 0, 0);
	ATF_CHECK(uapi_set(TEST_IFNAME, "set=1\n\n", &errstr) == -1);
	ATF_CHECK(errstr != NULL);
	fake_stop(&fs);
}

ATF_TC_WITHOUT_HEAD(get_fake_server);
ATF_TC_BODY(get_fake_server, tc)
{
	struct fake_server	 fs;
	struct peers_seen	 seen;
	struct wg_device_stats	 dev;
	const char		*errstr = NULL;

	/* In pieces, so the reader must join them and find the end. */
	fake_start(&fs, FAKE_ANSWER, get_answer, TEST_CHUNK, TEST_CHUNK_US);
	memset(&seen, 0, sizeof(seen));
	ATF_CHECK_MSG(uapi_get(TEST_IFNAME, &dev, peers_cb, &seen, &errstr) ==
	    0, "%s", errstr);
	fake_stop(&fs);
	fs.req[fs.reqlen] = '\0';
	ATF_CHECK_STREQ(fs.req, "get=1\n\n");
	ATF_CHECK_EQ(dev.listen_port, 51820);
	ATF_CHECK_EQ(seen.n, 2);
	ATF_CHECK_EQ(seen.p[0].tx_bytes, 38333);

	/* The final '\n' alone: the end of the answer spans two reads. */
	fake_start(&fs, FAKE_ANSWER, get_answer, strlen(get_answer) - 1,
	    TEST_SPLIT_US);
	memset(&seen, 0, sizeof(seen));
	ATF_CHECK_MSG(uapi_get(TEST_IFNAME, &dev, peers_cb, &seen, &errstr) ==
	    0, "%s", errstr);
	fake_stop(&fs);
	ATF_CHECK_EQ(seen.n, 2);

	fake_start(&fs, FAKE_ANSWER, "listen_port=1\nerrno=-5\n\n", 0, 0);
	memset(&seen, 0, sizeof(seen));
	ATF_CHECK(uapi_get(TEST_IFNAME, &dev, peers_cb, &seen, &errstr) == -1);
	ATF_CHECK_EQ(errno, EIO);
	fake_stop(&fs);

	fake_start(&fs, FAKE_CLOSE, NULL, 0, 0);
	ATF_CHECK(uapi_get(TEST_IFNAME, &dev, peers_cb, &seen, &errstr) == -1);
	fake_stop(&fs);
	ATF_CHECK_EQ(seen.n, 0);
}

ATF_TC_WITHOUT_HEAD(get_fake_oversize);
ATF_TC_BODY(get_fake_oversize, tc)
{
	struct fake_server	 fs;
	struct wg_device_stats	 dev;
	const char		*errstr = NULL;

	fake_start(&fs, FAKE_FLOOD, NULL, 0, 0);
	errno = 0;
	ATF_CHECK(uapi_get(TEST_IFNAME, &dev, NULL, NULL, &errstr) == -1);
	ATF_CHECK_EQ(errno, EMSGSIZE);
	ATF_CHECK_STREQ(errstr, "answer too long");
	fake_stop(&fs);
}

ATF_TC(set_fake_timeout);
ATF_TC_HEAD(set_fake_timeout, tc)
{
	atf_tc_set_md_var(tc, "descr", "a server that never answers costs "
	    "UAPI_TIMEOUT_MS, no more");
	atf_tc_set_md_var(tc, "timeout", "30");
}
ATF_TC_BODY(set_fake_timeout, tc)
{
	struct fake_server	 fs;
	const char		*errstr = NULL;
	int64_t			 t;

	fake_start(&fs, FAKE_SILENT, NULL, 0, 0);
	t = now_ms();
	errno = 0;
	ATF_CHECK(uapi_set(TEST_IFNAME, "set=1\n\n", &errstr) == -1);
	t = now_ms() - t;
	ATF_CHECK_EQ(errno, ETIMEDOUT);
	ATF_CHECK_MSG(t >= UAPI_TIMEOUT_MS && t < UAPI_TIMEOUT_MS + 1000,
	    "took %lld ms", (long long)t);
	fake_stop(&fs);
}

/*
 * The attacker: a UAPI server listening as nobody.  It binds as root in
 * the trusted directory, then drops to nobody before listen(), whose
 * credentials SO_PEERCRED reports, and tells how many bytes it got.
 */
ATF_TC(set_not_root);
ATF_TC_HEAD(set_not_root, tc)
{
	atf_tc_set_md_var(tc, "descr", "a UAPI server not running as root "
	    "gets no private key");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(set_not_root, tc)
{
	struct sockaddr_un	 sun;
	struct passwd		*pw;
	char			 dir[64], path[sizeof(sun.sun_path)], buf[256];
	const char		*errstr = NULL;
	uint8_t			 key[KEY_LEN];
	char			*req;
	ssize_t			 n, got = 0;
	pid_t			 pid;
	int			 ready[2], result[2], ls, s, status;

	if ((pw = getpwnam("nobody")) == NULL)
		atf_tc_skip("no user nobody");
	tempdir(dir, sizeof(dir));
	ATF_REQUIRE(uapi_sockpath(TEST_IFNAME, path, sizeof(path)) == 0);
	ATF_REQUIRE(pipe(ready) == 0 && pipe(result) == 0);
	ATF_REQUIRE((pid = fork()) != -1);
	if (pid == 0) {
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
		if ((ls = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
		    bind(ls, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
		    setgroups(0, NULL) == -1 ||
		    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) == -1 ||
		    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1 ||
		    listen(ls, 1) == -1)
			_exit(1);
		(void)write(ready[1], "r", 1);
		if ((s = accept(ls, NULL, NULL)) == -1)
			_exit(1);
		while ((n = read(s, buf, sizeof(buf))) > 0)
			got += n;
		(void)write(result[1], &got, sizeof(got));
		_exit(0);
	}
	close(ready[1]);
	close(result[1]);
	ATF_REQUIRE(read(ready[0], buf, 1) == 1);

	key_fill(key, 0);
	ATF_REQUIRE((req = uapi_req_device(key, 0)) != NULL);
	errno = 0;
	ATF_CHECK(uapi_set(TEST_IFNAME, req, &errstr) == -1);
	ATF_CHECK_EQ(errno, EPERM);
	ATF_CHECK_STREQ(errstr, "the UAPI socket's server is not root");
	ATF_CHECK_EQ(uapi_alive(TEST_IFNAME), 0);
	explicit_bzero(req, strlen(req));
	free(req);

	ATF_REQUIRE(read(result[0], &got, sizeof(got)) == sizeof(got));
	ATF_CHECK_EQ_MSG(got, 0, "the server read %zd bytes", got);
	ATF_REQUIRE(waitpid(pid, &status, 0) == pid);
	ATF_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	unlink(path);
	rmdir(dir);
	unsetenv(TEST_DIR_ENV);
}

/* A root server, but in a directory another user could write to. */
ATF_TC(set_untrusted_dir);
ATF_TC_HEAD(set_untrusted_dir, tc)
{
	atf_tc_set_md_var(tc, "descr", "no UAPI request to a socket in a "
	    "directory not root's or writable by others");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(set_untrusted_dir, tc)
{
	struct fake_server	 fs;
	struct passwd		*pw;
	const char		*errstr = NULL;
	int			 i;

	if ((pw = getpwnam("nobody")) == NULL)
		atf_tc_skip("no user nobody");
	for (i = 0; i < 3; i++) {
		fake_start(&fs, FAKE_ANSWER, "errno=0\n\n", 0, 0);
		if (i == 0)
			ATF_REQUIRE(chmod(fs.dir, 0777) == 0);
		else if (i == 1)
			ATF_REQUIRE(chmod(fs.dir, 0720) == 0);
		else
			ATF_REQUIRE(chown(fs.dir, pw->pw_uid, 0) == 0);
		errno = 0;
		ATF_CHECK(uapi_set(TEST_IFNAME, "set=1\n\n", &errstr) == -1);
		ATF_CHECK_EQ(errno, EPERM);
		ATF_CHECK_EQ(uapi_alive(TEST_IFNAME), 0);
		/* Unblocks the server's accept: nothing was sent before. */
		ATF_REQUIRE(chown(fs.dir, 0, 0) == 0 &&
		    chmod(fs.dir, 0700) == 0);
		ATF_CHECK(uapi_alive(TEST_IFNAME) == 1);
		fake_stop(&fs);
		ATF_CHECK_EQ(fs.reqlen, 0);
	}
}

ATF_TC_WITHOUT_HEAD(alive);
ATF_TC_BODY(alive, tc)
{
	struct fake_server	 fs;
	char			 dir[64];
	const char		*errstr;

	tempdir(dir, sizeof(dir));
	ATF_CHECK_EQ(uapi_alive(TEST_IFNAME), 0);
	errno = 0;
	ATF_CHECK(uapi_set(TEST_IFNAME, "set=1\n\n", &errstr) == -1);
	ATF_CHECK_EQ(errno, ENOENT);
	ATF_CHECK_EQ(uapi_alive("a/b"), 0);
	rmdir(dir);

	fake_start(&fs, FAKE_CLOSE, NULL, 0, 0);
	ATF_CHECK_EQ(uapi_alive(TEST_IFNAME), 1);
	fake_stop(&fs);
}

/* A child that exits at once, or cannot be run, is seen and reaped. */
ATF_TC_WITHOUT_HEAD(userspace_exit_early);
ATF_TC_BODY(userspace_exit_early, tc)
{
	char	 dir[64];
	pid_t	 pid;
	int64_t	 t;

	log_init(1, 0, 0);
	tempdir(dir, sizeof(dir));
	ATF_REQUIRE((pid = wg_userspace_start("/bin/false", TEST_IFNAME)) > 0);
	t = now_ms();
	ATF_CHECK(wg_userspace_wait(TEST_IFNAME, pid, TEST_WAIT_MS) == -1);
	ATF_CHECK(now_ms() - t < TEST_WAIT_MS);
	ATF_CHECK(waitpid(pid, NULL, WNOHANG) == -1 && errno == ECHILD);

	ATF_REQUIRE((pid = wg_userspace_start("/nonexistent/wireguard-go",
	    TEST_IFNAME)) > 0);
	ATF_CHECK(wg_userspace_wait(TEST_IFNAME, pid, TEST_WAIT_MS) == -1);
	ATF_CHECK(waitpid(pid, NULL, WNOHANG) == -1 && errno == ECHILD);

	/* A name wireguard-go would take for an option, and bad lengths. */
	ATF_CHECK(wg_userspace_start("/bin/true", "-h") == -1);
	ATF_CHECK(wg_userspace_start("/bin/true", "") == -1);
	ATF_CHECK(wg_userspace_start("/bin/true", "0123456789abcdef") == -1);
	rmdir(dir);
}

/*
 * The child's arguments, environment and descriptors, seen by a shell
 * script standing in for wireguard-go; it ignores SIGTERM, so stopping
 * it takes the SIGKILL path.
 */
ATF_TC(userspace_child);
ATF_TC_HEAD(userspace_child, tc)
{
	atf_tc_set_md_var(tc, "descr", "wg_userspace_start's child: argv, "
	    "environment, fds; the SIGKILL that stops it");
	atf_tc_set_md_var(tc, "timeout", "30");
}
ATF_TC_BODY(userspace_child, tc)
{
	struct fake_server	 fs;
	char			 script[PATH_MAX], out[PATH_MAX];
	char			 buf[1024];
	FILE			*f;
	pid_t			 pid;
	int64_t			 t;
	ssize_t			 n;
	int			 fd;

	log_init(1, 0, 0);
	/* The fake server stands in for the socket the script would make. */
	fake_start(&fs, FAKE_CLOSE, NULL, 0, 0);
	snprintf(script, sizeof(script), "%s/fake-wg", fs.dir);
	snprintf(out, sizeof(out), "%s/out", fs.dir);
	ATF_REQUIRE((f = fopen(script, "w")) != NULL);
	fprintf(f, "#!/bin/sh\n"
	    "trap '' TERM\n"
	    "{\n"
	    "echo \"args $#:$1:$2\"\n"
	    "env | sort\n"
	    "echo \"stdin $(readlink /proc/$$/fd/0)\"\n"
	    "[ -e /dev/fd/%d ] && echo leaked\n"
	    "} > %s\n"
	    "exec sleep 30\n", TEST_FD_LEAK, out);
	fclose(f);
	ATF_REQUIRE(chmod(script, 0700) == 0);

	ATF_REQUIRE((fd = open("/dev/null", O_RDONLY)) != -1);
	ATF_REQUIRE(dup2(fd, TEST_FD_LEAK) == TEST_FD_LEAK);
	close(fd);
	/* The socket already answers: another instance owns the name. */
	ATF_CHECK(wg_userspace_start(script, TEST_IFNAME) == -1);
	/* fake_stop leaves the directory: it holds the script. */
	fake_stop(&fs);
	ATF_REQUIRE(setenv(TEST_DIR_ENV, fs.dir, 1) == 0);

	ATF_REQUIRE(atexit(test_wg_cleanup) == 0);
	ATF_REQUIRE((pid = wg_userspace_start(script, TEST_IFNAME)) > 0);
	close(TEST_FD_LEAK);
	test_wgpid = pid;
	/* No socket will come: the wait times out with the child alive. */
	ATF_CHECK(wg_userspace_wait(TEST_IFNAME, pid, 500) == -1);
	ATF_CHECK(kill(pid, 0) == 0);

	t = now_ms();
	test_wg_stop(pid);
	test_wgpid = -1;
	t = now_ms() - t;
	ATF_CHECK_MSG(t >= TEST_STOP_MS, "stopped after %lld ms",
	    (long long)t);
	ATF_CHECK(kill(pid, 0) == -1 && errno == ESRCH);

	ATF_REQUIRE((fd = open(out, O_RDONLY)) != -1);
	ATF_REQUIRE((n = read(fd, buf, sizeof(buf) - 1)) > 0);
	close(fd);
	buf[n] = '\0';
	ATF_CHECK_MSG(strstr(buf, "args 2:-f:" TEST_IFNAME "\n") != NULL,
	    "%s", buf);
	ATF_CHECK(strstr(buf,
	    "WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1\n") != NULL);
	ATF_CHECK(strstr(buf, "LOG_LEVEL=error\n") != NULL);
	ATF_CHECK(strstr(buf, "WG_PROCESS_FOREGROUND=1\n") != NULL);
	ATF_CHECK_MSG(strstr(buf, TEST_DIR_ENV) == NULL,
	    "the parent's environment leaked: %s", buf);
	ATF_CHECK_MSG(strstr(buf, "stdin /dev/null\n") != NULL, "%s", buf);
	ATF_CHECK_MSG(strstr(buf, "leaked") == NULL, "fd %d leaked",
	    TEST_FD_LEAK);
	unlink(out);
	unlink(script);
	rmdir(fs.dir);
	unsetenv(TEST_DIR_ENV);
}

ATF_TC(wireguard_go);
ATF_TC_HEAD(wireguard_go, tc)
{
	atf_tc_set_md_var(tc, "descr", "wireguard-go in a network namespace: "
	    "UAPI set and get, rtnetlink address, MTU, link and routes");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(wireguard_go, tc)
{
	struct nl_handle	*h;
	struct wg_device_stats	 dev;
	struct peers_seen	 seen;
	struct wg_peer		 peer;
	struct tern_prefix	 a4, a6, r4, r6, allowed[2];
	struct sockaddr_in	 sin, *sa;
	struct ifreq		 ifr;
	char			 ifname[IFNAMSIZ], path[PATH_MAX];
	uint8_t			 priv[KEY_LEN], peerpriv[KEY_LEN];
	const char		*errstr = NULL;
	char			*req;
	int64_t			 t;
	int			 idx, s;

	require_wg_env();
	test_ifname(ifname);

	t = now_ms();
	ATF_REQUIRE((test_wgpid = wg_userspace_start(TERND_WGGO, ifname)) > 0);
	ATF_REQUIRE(wg_userspace_wait(ifname, test_wgpid, TEST_WAIT_MS) == 0);
	printf("UAPI socket answered after %lld ms\n",
	    (long long)(now_ms() - t));
	ATF_REQUIRE((idx = nl_ifindex(ifname)) > 0);

	/* Before any set: no key, and no port yet. */
	ATF_REQUIRE_MSG(uapi_get(ifname, &dev, NULL, NULL, &errstr) == 0,
	    "%s", errstr);
	ATF_CHECK_EQ(dev.has_private_key, 0);
	printf("listen_port before set: %u\n", dev.listen_port);

	key_generate(priv);
	ATF_REQUIRE((req = uapi_req_device(priv, 0)) != NULL);
	ATF_CHECK_MSG(uapi_set(ifname, req, &errstr) == 0, "%s: %s", errstr,
	    strerror(errno));
	explicit_bzero(req, strlen(req));
	free(req);
	ATF_REQUIRE(uapi_get(ifname, &dev, NULL, NULL, &errstr) == 0);
	ATF_CHECK_EQ(dev.has_private_key, 1);
	printf("listen_port after listen_port=0, link down: %u\n",
	    dev.listen_port);

	key_generate(peerpriv);
	memset(&peer, 0, sizeof(peer));
	key_public(peerpriv, peer.pubkey);
	allowed[0] = mkprefix("10.77.0.2", 32);
	allowed[1] = mkprefix("fd77::2", 128);
	peer.allowed = allowed;
	peer.nallowed = 2;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(TEST_PEERPORT);
	ATF_REQUIRE(inet_pton(AF_INET, "127.0.1.2", &sin.sin_addr) == 1);
	peer.endpoint = &sin;
	ATF_REQUIRE((req = uapi_req_peer_set(&peer)) != NULL);
	ATF_CHECK_MSG(uapi_set(ifname, req, &errstr) == 0, "%s", errstr);
	free(req);
	/* wireguard-go refuses what it cannot parse, with its errno. */
	ATF_CHECK(uapi_set(ifname, "set=1\nlisten_port=x\n\n", &errstr) == -1);
	ATF_CHECK_EQ(errno, EINVAL);

	/* Interface address, MTU, up, routes. */
	ATF_REQUIRE((h = nl_open()) != NULL);
	a4 = mkprefix("10.77.0.1", 24);
	a6 = mkprefix("fd77::1", 64);
	r4 = mkprefix("10.78.0.0", 16);
	r6 = mkprefix("fd78::", 64);
	ATF_CHECK_MSG(nl_addr(h, idx, &a4, 1) == 0, "%s", strerror(errno));
	ATF_CHECK_MSG(nl_addr(h, idx, &a6, 1) == 0, "%s", strerror(errno));
	ATF_CHECK_MSG(nl_addr(h, idx, &a4, 1) == 0, "replace: %s",
	    strerror(errno));
	ATF_CHECK_MSG(nl_link_set(h, idx, TEST_MTU, 1) == 0, "%s",
	    strerror(errno));
	ATF_CHECK_MSG(nl_route(h, idx, &r4, 1) == 0, "%s", strerror(errno));
	ATF_CHECK_MSG(nl_route(h, idx, &r6, 1) == 0, "%s", strerror(errno));
	/* A route that exists is never replaced: it may not be ours. */
	errno = 0;
	ATF_CHECK_MSG(nl_route(h, idx, &r4, 1) == -1 && errno == EEXIST,
	    "second add: %s", strerror(errno));
	errno = 0;
	ATF_CHECK_MSG(nl_route(h, idx, &r6, 1) == -1 && errno == EEXIST,
	    "second v6 add: %s", strerror(errno));
	/* Host bits in a route prefix are cleared, not refused. */
	r4 = mkprefix("10.79.1.2", 16);
	ATF_CHECK_MSG(nl_route(h, idx, &r4, 1) == 0, "%s", strerror(errno));
	ATF_CHECK(file_has("/proc/net/route", ifname, "\t00004F0A\t"));
	ATF_CHECK(nl_route(h, idx, &r4, 0) == 0);
	r4 = mkprefix("10.78.0.0", 16);
	/* The kernel's errno comes back. */
	ATF_CHECK(nl_addr(h, idx + 1000, &a4, 1) == -1 && errno == ENODEV);

	ATF_REQUIRE((s = socket(AF_INET, SOCK_DGRAM, 0)) != -1);
	memset(&ifr, 0, sizeof(ifr));
	strlcpy(ifr.ifr_name, ifname, sizeof(ifr.ifr_name));
	ATF_REQUIRE(ioctl(s, SIOCGIFMTU, &ifr) == 0);
	ATF_CHECK_EQ(ifr.ifr_mtu, TEST_MTU);
	ATF_REQUIRE(ioctl(s, SIOCGIFFLAGS, &ifr) == 0);
	ATF_CHECK(ifr.ifr_flags & IFF_UP);
	ATF_REQUIRE(ioctl(s, SIOCGIFADDR, &ifr) == 0);
	sa = (struct sockaddr_in *)&ifr.ifr_addr;
	ATF_CHECK_EQ(sa->sin_addr.s_addr, a4.a.v4.s_addr);
	ATF_REQUIRE(ioctl(s, SIOCGIFNETMASK, &ifr) == 0);
	ATF_CHECK_EQ(sa->sin_addr.s_addr, htonl(0xffffff00));
	ATF_CHECK(file_has("/proc/net/if_inet6", ifname,
	    "fd770000000000000000000000000001"));
	ATF_CHECK(file_has("/proc/net/route", ifname, "\t00004E0A\t"));
	ATF_CHECK(file_has("/proc/net/ipv6_route", ifname,
	    "fd780000000000000000000000000000 40"));

	/* Up, the device reports the port it bound and our peer. */
	memset(&seen, 0, sizeof(seen));
	ATF_REQUIRE_MSG(uapi_get(ifname, &dev, peers_cb, &seen, &errstr) == 0,
	    "%s", errstr);
	printf("listen_port after link up: %u\n", dev.listen_port);
	ATF_CHECK(dev.listen_port != 0);
	ATF_CHECK_EQ(dev.has_private_key, 1);
	ATF_REQUIRE_EQ(seen.n, 1);
	ATF_CHECK(memcmp(seen.p[0].pubkey, peer.pubkey, KEY_LEN) == 0);
	ATF_CHECK_EQ(seen.p[0].last_handshake, 0);

	/* Deletion, and deleting again: the caller can tell "absent". */
	ATF_CHECK(nl_route(h, idx, &r4, 0) == 0);
	ATF_CHECK(!file_has("/proc/net/route", ifname, "\t00004E0A\t"));
	errno = 0;
	ATF_CHECK(nl_route(h, idx, &r4, 0) == -1);
	printf("route deleted twice: %s\n", strerror(errno));
	ATF_CHECK_EQ(errno, ESRCH);
	ATF_CHECK(nl_route(h, idx, &r6, 0) == 0);
	errno = 0;
	ATF_CHECK(nl_route(h, idx, &r6, 0) == -1);
	printf("v6 route deleted twice: %s\n", strerror(errno));
	ATF_CHECK_EQ(errno, ESRCH);
	ATF_CHECK(nl_addr(h, idx, &a4, 0) == 0);
	errno = 0;
	ATF_CHECK(nl_addr(h, idx, &a4, 0) == -1);
	printf("address deleted twice: %s\n", strerror(errno));
	ATF_CHECK_EQ(errno, EADDRNOTAVAIL);
	ATF_CHECK(nl_addr(h, idx, &a6, 0) == 0);
	ATF_CHECK(!file_has("/proc/net/if_inet6", ifname,
	    "fd770000000000000000000000000001"));
	errno = 0;
	ATF_CHECK(nl_addr(h, idx, &a6, 0) == -1);
	printf("v6 address deleted twice: %s\n", strerror(errno));
	ATF_CHECK(nl_link_set(h, idx, 0, 0) == 0);
	ATF_REQUIRE(ioctl(s, SIOCGIFFLAGS, &ifr) == 0);
	ATF_CHECK(!(ifr.ifr_flags & IFF_UP));
	ATF_REQUIRE(ioctl(s, SIOCGIFMTU, &ifr) == 0);
	ATF_CHECK_EQ(ifr.ifr_mtu, TEST_MTU);
	close(s);
	nl_close(h);

	ATF_REQUIRE((req = uapi_req_peer_remove(peer.pubkey)) != NULL);
	ATF_CHECK(uapi_set(ifname, req, &errstr) == 0);
	free(req);
	memset(&seen, 0, sizeof(seen));
	ATF_REQUIRE(uapi_get(ifname, &dev, peers_cb, &seen, &errstr) == 0);
	ATF_CHECK_EQ(seen.n, 0);
	explicit_bzero(priv, sizeof(priv));

	/* SIGTERM takes the interface and the socket with it. */
	t = now_ms();
	test_wg_stop(test_wgpid);
	printf("stopped after %lld ms\n", (long long)(now_ms() - t));
	test_wgpid = -1;
	ATF_CHECK_EQ(nl_ifindex(ifname), -1);
	ATF_CHECK_EQ(uapi_alive(ifname), 0);
	ATF_REQUIRE(uapi_sockpath(ifname, path, sizeof(path)) == 0);
	ATF_CHECK_MSG(access(path, F_OK) == -1, "%s is left behind", path);
}

ATF_TC(wireguard_go_link_del);
ATF_TC_HEAD(wireguard_go_link_del, tc)
{
	atf_tc_set_md_var(tc, "descr", "nl_link_del removes wireguard-go's "
	    "interface, and wireguard-go exits");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(wireguard_go_link_del, tc)
{
	struct nl_handle	*h;
	char			 ifname[IFNAMSIZ];
	pid_t			 r = 0;
	int64_t			 t;
	int			 idx, status;

	require_wg_env();
	test_ifname(ifname);
	ATF_REQUIRE((test_wgpid = wg_userspace_start(TERND_WGGO, ifname)) > 0);
	ATF_REQUIRE(wg_userspace_wait(ifname, test_wgpid, TEST_WAIT_MS) == 0);
	ATF_REQUIRE((idx = nl_ifindex(ifname)) > 0);
	ATF_REQUIRE((h = nl_open()) != NULL);
	ATF_CHECK_MSG(nl_link_del(h, idx) == 0, "%s", strerror(errno));
	ATF_CHECK_EQ(nl_ifindex(ifname), -1);
	errno = 0;
	ATF_CHECK(nl_link_del(h, idx) == -1 && errno == ENODEV);
	nl_close(h);

	/* wireguard-go notices that its tun device went away. */
	t = now_ms();
	while (now_ms() - t < TEST_STOP_MS &&
	    (r = waitpid(test_wgpid, &status, WNOHANG)) == 0)
		usleep(TEST_CHUNK_US * 10);
	ATF_CHECK_MSG(r == test_wgpid, "wireguard-go still runs %d ms after "
	    "its interface was deleted", TEST_STOP_MS);
	if (r == test_wgpid) {
		printf("wireguard-go exited %lld ms after the link deletion, "
		    "status %d\n", (long long)(now_ms() - t),
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		test_wgpid = -1;
	}
	ATF_CHECK_EQ(uapi_alive(ifname), 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, req_device);
	ATF_TP_ADD_TC(tp, req_peer_v4_endpoint);
	ATF_TP_ADD_TC(tp, req_peer_v6_no_endpoint);
	ATF_TP_ADD_TC(tp, req_peer_invalid);
	ATF_TP_ADD_TC(tp, req_peer_remove);
	ATF_TP_ADD_TC(tp, parse_errno);
	ATF_TP_ADD_TC(tp, parse_get_two_peers);
	ATF_TP_ADD_TC(tp, parse_get_errno);
	ATF_TP_ADD_TC(tp, parse_get_truncated);
	ATF_TP_ADD_TC(tp, parse_get_bad_hex);
	ATF_TP_ADD_TC(tp, parse_get_bad_number);
	ATF_TP_ADD_TC(tp, parse_get_malformed);
	ATF_TP_ADD_TC(tp, parse_get_oversize);
	ATF_TP_ADD_TC(tp, sockpath);
	ATF_TP_ADD_TC(tp, set_fake_server);
	ATF_TP_ADD_TC(tp, set_fake_refused);
	ATF_TP_ADD_TC(tp, set_fake_timeout);
	ATF_TP_ADD_TC(tp, get_fake_server);
	ATF_TP_ADD_TC(tp, get_fake_oversize);
	ATF_TP_ADD_TC(tp, alive);
	ATF_TP_ADD_TC(tp, set_not_root);
	ATF_TP_ADD_TC(tp, set_untrusted_dir);
	ATF_TP_ADD_TC(tp, userspace_exit_early);
	ATF_TP_ADD_TC(tp, userspace_child);
	ATF_TP_ADD_TC(tp, wireguard_go);
	ATF_TP_ADD_TC(tp, wireguard_go_link_del);
	return atf_no_error();
}
