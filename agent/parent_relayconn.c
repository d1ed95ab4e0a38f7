/*
 * parent: TCP connections to relays for the engine, whose sandbox has
 * no connect(), so that it can speak TURN over TCP or TLS when UDP to
 * the relay does not work (issue 12).  The connect is non-blocking and
 * answered from the event loop, with the socket or why not.
 *
 * Security: the engine must not make root's parent a way to open TCP
 * connections anywhere.  A request names a relay as listed and an
 * address; the parent connects only to an address it knows for that
 * name: a literal name's own address, or one the resolver gave the
 * parent for that name when the engine asked (IMSG_RELAY_RESOLVE,
 * which has its own budget).  A relay that is not a bootstrap relay of
 * ternd.conf is held to the engine's rule for discovered relays: no
 * private, loopback, link-local or unspecified address, and no port
 * below 1024 but 443.  The port is the listed one, or for TLS one of
 * the two TLS ports.  The parent connects to its own copy of the
 * address, refuses anything else with a log line, and bounds the
 * connects under way and their rate.  What remains is what the engine
 * could already do: the relay list comes from tern-signal through the
 * engine, so a compromised engine may name any public host as a relay.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <errno.h>
#include <event.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hostport.h"
#include "log.h"
#include "monotime.h"
#include "parent.h"
#include "resolver.h"
#include "sigsock.h"
#include "tokenbucket.h"

/* A relay that has not answered a SYN in 5 s is not worth waiting for. */
#define RELAYCONN_TIMEOUT_SEC	5
/* Connects under way: both TLS ports of two addresses of one relay. */
#define RELAYCONN_PENDING_MAX	4
/* New connects: a relay's addresses and ports at once, then 1 a second. */
#define RELAYCONN_BURST		8
#define RELAYCONN_RATE		1
/* Names whose addresses are kept: every name of the engine's list. */
#define RELAYCONN_KNOWN_MAX	RELAYSEL_LIST_MAX

struct relayconn_known {
	char			 addr[TERN_HOST_MAX];	/* "" free */
	uint32_t		 n;
	struct sockaddr_in6	 sa[TERN_RELAY_RESOLVED_MAX];
	uint64_t		 serial;		/* learned, for reuse */
};

struct relayconn_pending {
	int			 used;
	int			 fd;
	uint32_t		 peerid;
	struct imsg_relay_connect req;
	struct event		 ev;
};

static struct relayconn_known	 known[RELAYCONN_KNOWN_MAX];
static uint64_t			 known_serial;
static struct relayconn_pending	 pending[RELAYCONN_PENDING_MAX];
static struct tokenbucket	 rate;
static struct log_limit		 refused_log;

static int	 relayconn_port_ok(const struct imsg_relay_connect *,
		    uint16_t, int, char *, size_t);
static void	 relayconn_answer(uint32_t, const struct imsg_relay_connect *,
		    int, int, const char *);
static void	 relayconn_done(int, short, void *);

/*
 * A lookup the resolver answered for the engine: the addresses are
 * those the name may be connected to.  A failed lookup keeps the last
 * ones, as the engine does, but for a name that is gone.
 */
void
relayconn_learn(const char *name, const struct imsg_dns_answer *a)
{
	struct relayconn_known	*k = NULL, *oldest = &known[0];
	size_t			 i;

	for (i = 0; i < RELAYCONN_KNOWN_MAX && k == NULL; i++) {
		if (strcmp(known[i].addr, name) == 0)
			k = &known[i];
		else if (known[i].serial < oldest->serial)
			oldest = &known[i];
	}
	if (a->error != 0) {
		if (k != NULL && a->error == EAI_NONAME)
			memset(k, 0, sizeof(*k));
		return;
	}
	if (k == NULL)
		k = oldest;
	memset(k, 0, sizeof(*k));
	strlcpy(k->addr, name, sizeof(k->addr));
	k->n = a->n;
	memcpy(k->sa, a->sa, a->n * sizeof(k->sa[0]));
	k->serial = ++known_serial;
}

static int
relayconn_port_ok(const struct imsg_relay_connect *req, uint16_t listed,
    int bootstrap, char *err, size_t errlen)
{
	uint16_t	 port = ntohs(req->sa.sin6_port);

	if (port != listed && (req->transport != RELAY_TRANSPORT_TLS ||
	    (port != TERN_TURN_TLS_PORT && port != TERN_TURN_TLS_PORT_RFC))) {
		snprintf(err, errlen, "port %u is not one of relay %s", port,
		    req->addr);
		return -1;
	}
	if (!bootstrap && port < IPPORT_RESERVED && port != TERN_TURN_TLS_PORT) {
		snprintf(err, errlen, "port %u of relay %s is below 1024, "
		    "which only a relay of ternd.conf may use", port,
		    req->addr);
		return -1;
	}
	return 0;
}

/*
 * 0 if the engine may have req, with the address to connect to in *to;
 * -1 with why in err.  req was checked well-formed.
 */
int
relayconn_check(const struct ternd_conf *conf,
    const struct imsg_relay_connect *req, struct sockaddr_in6 *to,
    char *err, size_t errlen)
{
	struct sockaddr_storage	 ss;
	const struct relayconn_known *k = NULL;
	char			 host[HOSTPORT_HOST_MAX], buf[ADDR_STRLEN];
	const char		*errstr;
	uint16_t		 listed;
	size_t			 i;
	int			 bootstrap = 0, literal;

	if (hostport_parse(req->addr, host, &listed, &errstr) == -1) {
		snprintf(err, errlen, "relay: %s", errstr);
		return -1;
	}
	for (i = 0; i < conf->relays.n; i++)
		if (strcmp(conf->relays.r[i].boot.addr, req->addr) == 0)
			bootstrap = 1;
	memset(to, 0, sizeof(*to));
	if ((literal = endpoint_parse(req->addr, &ss, &errstr) == 0))
		sockaddr_to_v6((struct sockaddr *)&ss, to);
	else {
		for (i = 0; i < RELAYCONN_KNOWN_MAX && k == NULL; i++)
			if (strcmp(known[i].addr, req->addr) == 0)
				k = &known[i];
		for (i = 0; k != NULL && i < k->n; i++)
			if (IN6_ARE_ADDR_EQUAL(&k->sa[i].sin6_addr,
			    &req->sa.sin6_addr)) {
				*to = k->sa[i];
				break;
			}
	}
	sockaddr_str((const struct sockaddr *)&req->sa, buf, sizeof(buf));
	if (to->sin6_family != AF_INET6 ||
	    !IN6_ARE_ADDR_EQUAL(&to->sin6_addr, &req->sa.sin6_addr)) {
		snprintf(err, errlen, "%s is not an address of relay %s%s",
		    buf, req->addr, !literal && k == NULL ?
		    " (never resolved)" : "");
		return -1;
	}
	if (!bootstrap && relaysel_local_sa(to)) {
		snprintf(err, errlen, "%s of relay %s is private, loopback, "
		    "link-local or unspecified, which only a relay of "
		    "ternd.conf may be", buf, req->addr);
		return -1;
	}
	if (relayconn_port_ok(req, listed, bootstrap, err, errlen) == -1)
		return -1;
	to->sin6_port = req->sa.sin6_port;
	return 0;
}

/* A request the engine could have meant: 0, or -1 (it is stopped). */
int
relayconn_valid(const struct imsg_relay_connect *req)
{
	if (memchr(req->addr, '\0', sizeof(req->addr)) == NULL ||
	    (req->transport != RELAY_TRANSPORT_TCP &&
	    req->transport != RELAY_TRANSPORT_TLS) || req->pad != 0 ||
	    req->sa.sin6_family != AF_INET6)
		return -1;
	return 0;
}

/*
 * The engine's request: -1 if it is malformed (the engine is stopped),
 * else 0 and an answer now or when the connect ends.
 */
int
relayconn_request(uint32_t peerid, const struct imsg_relay_connect *req)
{
	struct relayconn_pending *p = NULL;
	struct sockaddr_storage	 ss;
	struct sockaddr_in6	 to;
	struct timeval		 tv = { RELAYCONN_TIMEOUT_SEC, 0 };
	char			 err[TERN_HOST_MAX + CTL_MSG_MAX];
	size_t			 i;

	if (relayconn_valid(req) == -1)
		return -1;
	if (relayconn_check(penv.conf, req, &to, err, sizeof(err)) == -1) {
		/* One line a second: the engine cannot flood the log. */
		log_limit_warnx(&refused_log, "refused the engine a relay "
		    "connection: %s", err);
		relayconn_answer(peerid, req, -1, EPERM, err);
		return 0;
	}
	for (i = 0; i < RELAYCONN_PENDING_MAX && p == NULL; i++)
		if (!pending[i].used)
			p = &pending[i];
	if (p == NULL || !tokenbucket_take(&rate, RELAYCONN_RATE,
	    RELAYCONN_BURST, 1, monotime_ms())) {
		relayconn_answer(peerid, req, -1, EAGAIN, p == NULL ?
		    "too many relay connections under way" :
		    "relay connections asked too often");
		return 0;
	}
	sockaddr_from_v6(&to, &ss);
	if ((p->fd = sigsock_connect_addr((struct sockaddr *)&ss, req->addr,
	    err, sizeof(err))) == -1) {
		relayconn_answer(peerid, req, -1, EHOSTUNREACH, err);
		return 0;
	}
	p->used = 1;
	p->peerid = peerid;
	p->req = *req;
	event_set(&p->ev, p->fd, EV_WRITE, relayconn_done, p);
	event_add(&p->ev, &tv);
	return 0;
}

/* Writable: connected or failed; or no answer in time. */
static void
relayconn_done(int fd, short ev, void *arg)
{
	struct relayconn_pending *p = arg;
	char			 err[TERN_HOST_MAX + CTL_MSG_MAX];
	socklen_t		 len = sizeof(int);
	int			 error = 0;

	if (ev & EV_TIMEOUT)
		error = ETIMEDOUT;
	else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) == -1)
		error = errno;
	if (error != 0) {
		snprintf(err, sizeof(err), "connect to %s: %s", p->req.addr,
		    strerror(error));
		close(fd);
		fd = -1;
	} else
		err[0] = '\0';
	p->used = 0;
	relayconn_answer(p->peerid, &p->req, fd, error, err);
}

static void
relayconn_answer(uint32_t peerid, const struct imsg_relay_connect *req,
    int fd, int error, const char *msg)
{
	struct imsg_relay_conn	 rc;

	memset(&rc, 0, sizeof(rc));
	rc.req = *req;
	rc.error = error;
	strlcpy(rc.msg, msg, sizeof(rc.msg));
	if (imsgev_compose(&penv.iev_engine, IMSG_RELAY_CONN, peerid, fd, &rc,
	    sizeof(rc)) == -1)
		fatal("imsg to engine");
}
