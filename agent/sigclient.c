/*
 * engine: the connection to tern-signal.  The parent opens the TCP
 * socket (the sandbox has no connect); lib/sigconn.c runs the Noise
 * handshake with the node key, keeps the connection alive with pings,
 * and reconnects with exponential backoff and jitter.  The netmap says
 * the connection is up; the last one and the tunnels stay while it is
 * down.
 */
#include <sys/socket.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "config.h"
#include "engine.h"
#include "log.h"
#include "relaymgr.h"
#include "sigconn.h"
#include "sigmsg.h"

#define SIG_V4MAPPED_OFF	12	/* IPv4 bytes in a v4-mapped address */
#define SIG_V4_LOOPBACK_NET	127	/* 127/8 */

static struct sigconn	 sig;
static int		 sig_configured;

static void	 sig_want_socket(struct sigconn *);
static void	 sig_hello(struct sigconn *, struct sigmsg *);
static void	 sig_dispatch(struct sigconn *, const struct sigmsg *);
static void	 sig_on_hello(const struct sigmsg_hello *);
static void	 sig_on_error(const struct sigmsg_error *);

static const struct sigconn_ops sig_ops = {
	sig_want_socket, sig_hello, sig_dispatch
};

void
sig_init(void)
{
	sig_configured = engine->conf.has_signal;
	/* The node key comes after the config; connect once both are in. */
	if (sig_configured)
		sigconn_init(&sig, &sig_ops, NULL);
}

/* The node key arrived: the first attempt goes out at once. */
void
sig_start(void)
{
	if (sig_configured)
		sigconn_start(&sig, engine->conf.signal_host, engine->nodepriv,
		    engine->conf.signal_key);
}

static void
sig_want_socket(struct sigconn *sc)
{
	engine_to_parent(IMSG_SIGNAL_CONNECT, 0, NULL, 0);
}

/* The parent's answer to IMSG_SIGNAL_CONNECT. */
void
sig_socket(int fd, const struct imsg_signal_sock *ss)
{
	if (!sig_configured) {
		if (fd != -1)
			close(fd);
		return;
	}
	sigconn_socket(&sig, fd, ss->msg);
}

int
sig_send(const struct sigmsg *m)
{
	if (!sig_configured)
		return -1;
	return sigconn_send(&sig, m);
}

static void
sig_hello(struct sigconn *sc, struct sigmsg *m)
{
	m->u.hello.features = SIGMSG_FEAT_LAZY;
	/* Peers decide by it whether we can go idle. */
	strlcpy(m->u.hello.software, PACKAGE_VERSION,
	    sizeof(m->u.hello.software));
}

static void
sig_on_hello(const struct sigmsg_hello *h)
{
	if (h->version != SIGMSG_PROTO)
		log_warnx("signal: server speaks protocol %u, we %u",
		    h->version, SIGMSG_PROTO);
}

static void
sig_on_error(const struct sigmsg_error *e)
{
	/* About one signal, not the connection: the peer retries later. */
	if (strcmp(e->code, "offline") == 0 ||
	    strcmp(e->code, "unknown-peer") == 0) {
		log_debug("signal: server: %s: %s", e->code, e->message);
		return;
	}
	sigconn_server_error(&sig, e);
}

static void
sig_dispatch(struct sigconn *sc, const struct sigmsg *m)
{
	switch (m->type) {
	case SIGMSG_HELLO:
		sig_on_hello(&m->u.hello);
		break;
	case SIGMSG_NETMAP:
		netmap_apply(&m->u.netmap);
		if (sc->state != SIGCONN_UP) {
			sigconn_up(sc);
			log_info("signal: connected to %s, %zu peers in the "
			    "netmap", sc->host, m->u.netmap.npeers);
			netmap_signal_up();
		}
		break;
	case SIGMSG_RELAYS:
		log_debug("signal: %zu relays", m->u.relays.nrelays);
		relaymgr_discovered(&m->u.relays);
		break;
	case SIGMSG_SIGNAL:
		if (m->u.signal.has_from)
			netmap_signal_in(m->u.signal.from, m->u.signal.box,
			    m->u.signal.boxlen);
		break;
	case SIGMSG_ERROR:
		sig_on_error(&m->u.error);
		break;
	default:
		break;
	}
}

/* For ternctl status. */
void
sig_status(struct ctl_status_hdr *h)
{
	h->sig_state = SIG_NONE;
	if (!sig_configured)
		return;
	switch (sig.state) {
	case SIGCONN_DOWN:
		h->sig_state = SIG_DISCONNECTED;
		break;
	case SIGCONN_CONNECTING:
		h->sig_state = SIG_CONNECTING;
		break;
	case SIGCONN_UP:
		h->sig_state = SIG_CONNECTED;
		break;
	}
	strlcpy(h->sig_server, engine->conf.signal_host,
	    sizeof(h->sig_server));
	h->sig_since = sig.since;
	strlcpy(h->sig_error, sig.error, sizeof(h->sig_error));
}

int
sig_connected(void)
{
	return sig_configured && sig.state == SIGCONN_UP;
}

/*
 * The host's addresses changed.  A connection from an address that is
 * gone would look alive until SIG_DEAD_AFTER while every signal we send
 * is lost: start a new one now.  Loopback and link-local sources are
 * not in the parent's list and are not checked.
 */
void
sig_local_addrs(const struct imsg_local_addrs *la)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in6	 me;
	socklen_t		 sslen = sizeof(ss);
	char			 buf[ADDR_STRLEN];
	uint32_t		 i;

	if (!sig_configured || sig.fd == -1 ||
	    getsockname(sig.fd, (struct sockaddr *)&ss, &sslen) == -1)
		return;
	sockaddr_to_v6((struct sockaddr *)&ss, &me);
	if (IN6_IS_ADDR_LOOPBACK(&me.sin6_addr) ||
	    IN6_IS_ADDR_LINKLOCAL(&me.sin6_addr) ||
	    (IN6_IS_ADDR_V4MAPPED(&me.sin6_addr) &&
	    me.sin6_addr.s6_addr[SIG_V4MAPPED_OFF] == SIG_V4_LOOPBACK_NET))
		return;
	for (i = 0; i < la->n && i < TERN_LOCAL_ADDRS_MAX; i++)
		if (memcmp(&la->addrs[i], &me.sin6_addr,
		    sizeof(me.sin6_addr)) == 0)
			return;
	sockaddr_str((struct sockaddr *)&ss, buf, sizeof(buf));
	/* A fresh start: the old backoff was for another address. */
	sig.backoff_ms = SIGCONN_BACKOFF_MIN_MS;
	sigconn_fail(&sig, "local address %s went away", buf);
}
