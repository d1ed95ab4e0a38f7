/*
 * server (the first one only): registers this relay with tern-signal,
 * so that agents are handed it while it is up.  The parent reads the
 * relay's key and draws the generation of this start; lib/sigconn.c
 * holds the connection, on sockets the parent opens, and says hello as
 * a relay with that generation.  tern-signal's hello back means the
 * relay is registered.
 */
#include <string.h>

#include <sodium.h>

#include "config.h"
#include "log.h"
#include "sigconn.h"
#include "relay/rimsg.h"
#include "relay/server.h"

static void	 presence_want_socket(struct sigconn *);
static void	 presence_hello(struct sigconn *, struct sigmsg *);
static void	 presence_dispatch(struct sigconn *, const struct sigmsg *);

static const struct sigconn_ops presence_ops = {
	presence_want_socket, presence_hello, presence_dispatch
};

static struct sigconn	 presence;
static uint64_t		 presence_gen;
static int		 presence_started;

void
presence_start(const struct relay_imsg_signal *is)
{
	if (presence_started || is->generation == 0 ||
	    memchr(is->host, '\0', sizeof(is->host)) == NULL ||
	    is->host[0] == '\0')
		fatalx("parent sent a bad signal setting");
	presence_started = 1;
	presence_gen = is->generation;
	sigconn_init(&presence, &presence_ops, NULL);
	sigconn_start(&presence, is->host, is->priv, is->server);
}

/* The parent's answer to IMSG_RELAY_SIGNAL_CONNECT. */
void
presence_socket(int fd, const struct relay_imsg_sigsock *ss)
{
	if (!presence_started)
		fatalx("parent sent a signal socket unasked");
	sigconn_socket(&presence, fd, ss->msg);
}

static void
presence_want_socket(struct sigconn *sc)
{
	server_to_parent(IMSG_RELAY_SIGNAL_CONNECT);
}

static void
presence_hello(struct sigconn *sc, struct sigmsg *m)
{
	m->u.hello.role = SIGMSG_ROLE_RELAY;
	m->u.hello.generation = presence_gen;
	strlcpy(m->u.hello.software, PACKAGE_VERSION,
	    sizeof(m->u.hello.software));
}

/* Besides pings, a relay hears hello and errors; newer messages wait. */
static void
presence_dispatch(struct sigconn *sc, const struct sigmsg *m)
{
	switch (m->type) {
	case SIGMSG_HELLO:
		if (m->u.hello.version != SIGMSG_PROTO)
			log_warnx("signal: server speaks protocol %u, we %u",
			    m->u.hello.version, SIGMSG_PROTO);
		if (sc->state != SIGCONN_UP) {
			sigconn_up(sc);
			log_info("signal: registered with %s, generation "
			    "%016llx", sc->host,
			    (unsigned long long)presence_gen);
		}
		break;
	case SIGMSG_ERROR:
		sigconn_server_error(sc, &m->u.error);
		break;
	default:
		log_debug("signal: ignored a %s message",
		    sigmsg_type_name(m->type));
		break;
	}
}
