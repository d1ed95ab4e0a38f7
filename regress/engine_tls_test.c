/*
 * Unit tests: a TLS client (libtls) runs inside the engine's seccomp
 * allow-list, as ternd's TURN client over TLS will.  As in ternd, the
 * connected TCP socket comes from outside the sandbox, and tls_init()
 * and the event loop are set up before it; the CA bundle arrives after
 * it, as bytes (the parent's IMSG_RELAY_CA).  The client verifies the
 * server against that bundle and the relay's name, and exchanges a
 * message on a non-blocking socket driven by libevent.  A name the
 * certificate does not carry fails the handshake, not the sandbox.
 */
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <atf-c.h>
#include <event.h>
#include <tls.h>

#include "log.h"
#include "sandbox.h"

#define CERT		"cert.pem"
#define KEY		"key.pem"
#define CERT_NAME	"relay.test"
#define PEM_MAX		8192		/* one EC certificate */
#define WAIT_MS		10000		/* for the client's connection */
#define MSG		"ping"		/* client to server, echoed */

/* The client's exit codes. */
enum client_exit {
	CLIENT_OK = 0,
	CLIENT_SETUP = 2,		/* tls_config, tls_client */
	CLIENT_HANDSHAKE,		/* handshake refused */
	CLIENT_IO,			/* write or read */
	CLIENT_ECHO,			/* another answer */
};

struct client {
	struct tls	*tls;
	struct event	 ev;
	int		 fd;
	int		 handshaken;
	int		 sent;
	char		 buf[sizeof(MSG)];
	size_t		 got;
};

static void	 client_step(int, short, void *);

/* Waits for what TLS wants, or exits with code on a real error. */
static void
client_want(struct client *c, ssize_t r, int code)
{
	if (r == TLS_WANT_POLLIN)
		event_set(&c->ev, c->fd, EV_READ, client_step, c);
	else if (r == TLS_WANT_POLLOUT)
		event_set(&c->ev, c->fd, EV_WRITE, client_step, c);
	else
		_exit(code);
	event_add(&c->ev, NULL);
}

static void
client_step(int fd, short ev, void *arg)
{
	struct client	*c = arg;
	ssize_t		 r;

	if (!c->handshaken) {
		if ((r = tls_handshake(c->tls)) != 0) {
			client_want(c, r, CLIENT_HANDSHAKE);
			return;
		}
		c->handshaken = 1;
	}
	if (!c->sent) {
		if ((r = tls_write(c->tls, MSG, strlen(MSG))) < 0) {
			client_want(c, r, CLIENT_IO);
			return;
		}
		c->sent = 1;
	}
	while (c->got < strlen(MSG)) {
		if ((r = tls_read(c->tls, c->buf + c->got,
		    strlen(MSG) - c->got)) < 0) {
			client_want(c, r, CLIENT_IO);
			return;
		}
		if (r == 0)
			_exit(CLIENT_IO);
		c->got += r;
	}
	if (memcmp(c->buf, MSG, strlen(MSG)) != 0)
		_exit(CLIENT_ECHO);
	(void)tls_close(c->tls);
	_exit(CLIENT_OK);
}

/* The engine's side: sandboxed, the CA in memory, fd connected. */
static void
client(int fd, const uint8_t *ca, size_t calen, const char *name)
{
	struct tls_config	*cfg;
	struct client		 c;

	/* As ternd: log_init reads the time zone before the chroot. */
	log_init(1, 0, LOG_DAEMON);
	if (tls_init() == -1)
		_exit(CLIENT_SETUP);
	event_init();
	sandbox_apply(SANDBOX_ENGINE);
	memset(&c, 0, sizeof(c));
	c.fd = fd;
	if ((cfg = tls_config_new()) == NULL ||
	    tls_config_set_ca_mem(cfg, ca, calen) == -1 ||
	    (c.tls = tls_client()) == NULL ||
	    tls_configure(c.tls, cfg) == -1 ||
	    tls_connect_socket(c.tls, fd, name) == -1)
		_exit(CLIENT_SETUP);
	tls_config_free(cfg);
	client_step(fd, EV_WRITE, &c);
	event_dispatch();
	_exit(CLIENT_IO);
}

static size_t
read_file(const char *path, uint8_t *buf, size_t len)
{
	ssize_t	 n;
	int	 fd;

	ATF_REQUIRE((fd = open(path, O_RDONLY)) != -1);
	ATF_REQUIRE((n = read(fd, buf, len)) > 0 && (size_t)n < len);
	close(fd);
	return n;
}

/*
 * The server: a self-signed certificate for CERT_NAME; one connection,
 * whose message it echoes.  Returns the client's wait status.
 */
static int
run(const char *name)
{
	static uint8_t		 ca[PEM_MAX];
	struct sockaddr_in	 sin;
	struct pollfd		 pfd;
	struct tls_config	*cfg;
	struct tls		*srv, *conn = NULL;
	socklen_t		 len = sizeof(sin);
	char			 buf[sizeof(MSG)];
	size_t			 calen;
	ssize_t			 n;
	pid_t			 pid;
	int			 lfd, cfd, afd, status;

	ATF_REQUIRE(system("openssl req -x509 -newkey ec -pkeyopt "
	    "ec_paramgen_curve:prime256v1 -nodes -keyout " KEY " -out "
	    CERT " -days 1 -subj /CN=" CERT_NAME " -addext "
	    "subjectAltName=DNS:" CERT_NAME " 2>/dev/null") == 0);
	calen = read_file(CERT, ca, sizeof(ca));

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ATF_REQUIRE((lfd = socket(AF_INET, SOCK_STREAM, 0)) != -1);
	ATF_REQUIRE(bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) == 0);
	ATF_REQUIRE(listen(lfd, 1) == 0);
	ATF_REQUIRE(getsockname(lfd, (struct sockaddr *)&sin, &len) == 0);
	/* As the parent hands it over: non-blocking, connect under way. */
	ATF_REQUIRE((cfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK,
	    0)) != -1);
	ATF_REQUIRE(connect(cfd, (struct sockaddr *)&sin, sizeof(sin)) == 0 ||
	    errno == EINPROGRESS);
	ATF_REQUIRE((pid = fork()) != -1);
	if (pid == 0) {
		close(lfd);
		client(cfd, ca, calen, name);
	}
	close(cfd);

	ATF_REQUIRE((cfg = tls_config_new()) != NULL);
	ATF_REQUIRE(tls_config_set_keypair_file(cfg, CERT, KEY) == 0);
	ATF_REQUIRE((srv = tls_server()) != NULL);
	ATF_REQUIRE(tls_configure(srv, cfg) == 0);
	pfd.fd = lfd;
	pfd.events = POLLIN;
	ATF_REQUIRE_MSG(poll(&pfd, 1, WAIT_MS) == 1, "no connection");
	ATF_REQUIRE((afd = accept(lfd, NULL, NULL)) != -1);
	ATF_REQUIRE(tls_accept_socket(srv, &conn, afd) == 0);
	/* Blocking: the client's failure closes the socket and ends this. */
	if (tls_handshake(conn) == 0 &&
	    (n = tls_read(conn, buf, sizeof(buf))) > 0)
		(void)tls_write(conn, buf, n);
	ATF_REQUIRE(waitpid(pid, &status, 0) == pid);
	tls_free(conn);
	tls_free(srv);
	tls_config_free(cfg);
	close(afd);
	close(lfd);
	return status;
}

ATF_TC(tls_client_in_sandbox);
ATF_TC_HEAD(tls_client_in_sandbox, tc)
{
	atf_tc_set_md_var(tc, "require.progs", "openssl");
}
ATF_TC_BODY(tls_client_in_sandbox, tc)
{
	int	 status = run(CERT_NAME);

	ATF_REQUIRE_MSG(!WIFSIGNALED(status), "client killed by signal %d "
	    "(SIGSYS: a call outside the engine's list)", WTERMSIG(status));
	ATF_CHECK_EQ_MSG(WEXITSTATUS(status), CLIENT_OK, "client exit %d",
	    WEXITSTATUS(status));
}

ATF_TC(tls_wrong_name);
ATF_TC_HEAD(tls_wrong_name, tc)
{
	atf_tc_set_md_var(tc, "require.progs", "openssl");
}
ATF_TC_BODY(tls_wrong_name, tc)
{
	int	 status = run("other.test");

	ATF_REQUIRE_MSG(!WIFSIGNALED(status), "client killed by signal %d",
	    WTERMSIG(status));
	ATF_CHECK_EQ(WEXITSTATUS(status), CLIENT_HANDSHAKE);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, tls_client_in_sandbox);
	ATF_TP_ADD_TC(tp, tls_wrong_name);
	return atf_no_error();
}
