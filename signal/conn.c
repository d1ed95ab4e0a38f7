/*
 * server: one agent's connection.  Accept, the Noise handshake, the
 * node key check, hello, then the messages of an online node; output is
 * queued in an evbuffer whose length is bounded by max-queue.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "log.h"
#include "monotime.h"
#include "server.h"

/* A frame carries a flags byte before its chunk of the message. */
#define CONN_FLAGS_LEN	1

static void	 conn_read(int, short, void *);
static void	 conn_write_ready(int, short, void *);
static int	 conn_write(struct conn *, const void *, size_t);
static int	 conn_authed(struct conn *);
static int	 conn_message(struct conn *, const uint8_t *, size_t);
static int	 conn_online(struct conn *, const struct sigmsg_hello *);
static int	 conn_signal(struct conn *, struct sigmsg *);
static int	 conn_verror(struct conn *, const char *, const char *,
	    va_list) __attribute__((format(printf, 3, 0)));
static int	 conn_error(struct conn *, const char *, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
static void	 conn_offline(struct conn *);
static void	 conn_drained(struct conn *);
static void	 conn_want_write(struct conn *);
static const char *conn_addr_str(const struct sockaddr_in6 *, char *,
	    size_t);
static void	 conn_limits(struct conn *);
static void	 conn_new(int, const struct sockaddr_in6 *,
	    struct addr_entry *);
static void	 conn_accept_pause(void);
static void	 conn_unauth_drop(struct conn *);
static int	 conn_send_len(struct conn *, const struct sigmsg *, size_t *);
static void	 conn_flush(int *, int (*)(const struct conn *),
	    int (*)(struct conn *));
static int	 conn_netmap_stale(const struct conn *);
static int	 conn_netmap_send(struct conn *);
static int	 conn_relays_stale(const struct conn *);

/* One read and one parsed message at a time in this process. */
static uint8_t		 conn_rbuf[SERVER_READ_MAX];
static struct sigmsg	 conn_in;
static struct sigmsg	 conn_relays;

static const uint64_t conn_timeouts[TIMER_COUNT] = {
	[TIMER_HS] = SERVER_HS_TIMEOUT_MS,
	[TIMER_IDLE] = SERVER_IDLE_TIMEOUT_MS,
	[TIMER_CLOSE] = SERVER_CLOSE_TIMEOUT_MS,
};

static const char *
conn_addr_str(const struct sockaddr_in6 *sin6, char *buf, size_t len)
{
	if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr))
		inet_ntop(AF_INET, &sin6->sin6_addr.s6_addr[12], buf, len);
	else
		inet_ntop(AF_INET6, &sin6->sin6_addr, buf, len);
	return buf;
}

/*
 * "node NAME from ADDR" or "relay ID from ADDR", or the address alone
 * before the first frame: until then the other end has shown only a
 * message 1, which anyone who saw it on the wire can send again.
 */
const char *
conn_name(const struct conn *c, char *buf, size_t len)
{
	char	 addr[INET6_ADDRSTRLEN];

	conn_addr_str(&c->addr, addr, sizeof(addr));
	if (c->unauth)
		snprintf(buf, len, "%s", addr);
	else if (c->node != NULL)
		snprintf(buf, len, "node %s from %s", c->node->peer->name,
		    addr);
	else if (c->relay != NULL)
		snprintf(buf, len, "relay %s from %s", c->relay->relay->id,
		    addr);
	else
		snprintf(buf, len, "%s", addr);
	return buf;
}

/* The frame limit follows from the message limit: refused on its header. */
static void
conn_limits(struct conn *c)
{
	size_t	 msg_max = server->conf->c.msg_max;

	c->ch.msg_max = msg_max;
	c->ch.frame_max = msg_max + FRAME_OVERHEAD + CONN_FLAGS_LEN;
	if (c->ch.frame_max > FRAME_MAX)
		c->ch.frame_max = FRAME_MAX;
}

void
conn_limits_all(void)
{
	struct conn	*c;

	TAILQ_FOREACH(c, &server->conns, entry)
		conn_limits(c);
}

static void
conn_new(int fd, const struct sockaddr_in6 *sin6, struct addr_entry *ae)
{
	struct conn	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->in = evbuffer_new()) == NULL ||
	    (c->out = evbuffer_new()) == NULL) {
		log_warn("new connection");
		if (c != NULL && c->in != NULL)
			evbuffer_free(c->in);
		free(c);
		limit_addr_put(ae);
		close(fd);
		return;
	}
	c->fd = fd;
	c->addr = *sin6;
	c->ae = ae;
	c->state = CONN_HANDSHAKE;
	c->unauth = 1;
	server->nunauth++;
	sigchan_init_responder(&c->ch, server->priv, FRAME_MAX, 0);
	conn_limits(c);
	event_set(&c->ev_read, fd, EV_READ | EV_PERSIST, conn_read, c);
	event_set(&c->ev_write, fd, EV_WRITE | EV_PERSIST, conn_write_ready,
	    c);
	event_add(&c->ev_read, NULL);
	TAILQ_INSERT_TAIL(&server->conns, c, entry);
	server->nconns++;
	conn_timer_set(c, TIMER_HS);
}

static void
conn_accept_pause(void)
{
	size_t	 i;

	for (i = 0; i < server->nlisten; i++)
		event_del(&server->lev[i]);
	server->accept_paused = 1;
}

void
conn_accept(int lfd, short event, void *arg)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in6	 sin6;
	struct addr_entry	*ae;
	struct srv_conf		*conf = server->conf;
	socklen_t		 len;
	char			 addr[INET6_ADDRSTRLEN];
	int			 fd, i;

	for (i = 0; i < SERVER_ACCEPT_BATCH; i++) {
		len = sizeof(ss);
		if ((fd = accept4(lfd, (struct sockaddr *)&ss, &len,
		    SOCK_NONBLOCK | SOCK_CLOEXEC)) == -1) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			/* Out of descriptors: try again on the next tick. */
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM) {
				limit_log(&server->ll_accept, "accept: %s: "
				    "pausing for a second with %zu "
				    "connections", strerror(errno),
				    server->nconns);
				conn_accept_pause();
				return;
			}
			/* A connection that failed before it was accepted. */
			log_debug("accept: %s", strerror(errno));
			continue;
		}
		sockaddr_to_v6((struct sockaddr *)&ss, &sin6);
		conn_addr_str(&sin6, addr, sizeof(addr));
		/* Checked first: the cheapest, and it bounds all the rest. */
		if (server->nunauth >= conf->c.handshakes) {
			limit_log(&server->ll_unauth, "%s: %zu connections "
			    "have not said hello yet, the limit "
			    "(max-handshakes): closing", addr,
			    server->nunauth);
			close(fd);
			continue;
		}
		if ((ae = limit_addr_get(&sin6, conf->c.conn_per_addr)) ==
		    NULL) {
			limit_log(&server->ll_conns, "%s has %u connections, "
			    "the limit (max-connections-per-address): "
			    "closing", addr, conf->c.conn_per_addr);
			close(fd);
			continue;
		}
		if (limit_hs(&sin6, conf->c.hs_rate, monotime_ms()) == -1) {
			limit_log(&server->ll_hsrate, "%s is over %u "
			    "handshakes a second (handshake-rate): closing "
			    "without an answer", addr, conf->c.hs_rate);
			limit_addr_put(ae);
			close(fd);
			continue;
		}
		conn_new(fd, &sin6, ae);
	}
}

/*
 * Out of max-handshakes' count: a frame came over the channel, so the
 * other end holds the key's private half, or the connection is freed.
 */
static void
conn_unauth_drop(struct conn *c)
{
	if (!c->unauth)
		return;
	c->unauth = 0;
	server->nunauth--;
}

void
conn_timer_set(struct conn *c, enum conn_timer t)
{
	if (c->timer != TIMER_NONE)
		TAILQ_REMOVE(&server->timers[c->timer], c, timer_entry);
	c->timer = t;
	if (t == TIMER_NONE)
		return;
	c->deadline_ms = monotime_ms() + conn_timeouts[t];
	TAILQ_INSERT_TAIL(&server->timers[t], c, timer_entry);
}

/* The node loses its online connection, or the relay goes down. */
static void
conn_offline(struct conn *c)
{
	if (c->state == CONN_ONLINE && c->node != NULL &&
	    c->node->conn == c) {
		c->node->conn = NULL;
		server->nonline--;
	}
	presence_lost(c);
	if (c->in_relay_list) {
		TAILQ_REMOVE(&server->relay_due, c, relay_entry);
		c->in_relay_list = 0;
	}
}

void
conn_free(struct conn *c, const char *why)
{
	char	 name[SERVER_CONN_STRLEN];

	if (why != NULL) {
		if (!c->unauth)
			log_info("%s: %s", conn_name(c, name, sizeof(name)),
			    why);
		else
			log_debug("%s: %s", conn_name(c, name, sizeof(name)),
			    why);
	}
	conn_offline(c);
	conn_unauth_drop(c);
	conn_timer_set(c, TIMER_NONE);
	TAILQ_REMOVE(&server->conns, c, entry);
	server->nconns--;
	event_del(&c->ev_read);
	event_del(&c->ev_write);
	close(c->fd);
	evbuffer_free(c->in);
	evbuffer_free(c->out);
	sigchan_clear(&c->ch);
	limit_addr_put(c->ae);
	free(c);
}

/*
 * Sends an error and closes once it is written.  The socket is shut
 * for writing, then input is read and dropped until the peer closes:
 * closing with unread input would reset the connection and could lose
 * the error.  -1 if the connection is gone already.
 */
static int
conn_verror(struct conn *c, const char *code, const char *fmt, va_list ap)
{
	struct sigmsg	 m;

	memset(&m.u.error, 0, sizeof(m.u.error));
	m.type = SIGMSG_ERROR;
	strlcpy(m.u.error.code, code, sizeof(m.u.error.code));
	vsnprintf(m.u.error.message, sizeof(m.u.error.message), fmt, ap);
	return conn_send(c, &m);
}

/* An error that does not end the connection. */
static int
conn_error(struct conn *c, const char *code, const char *fmt, ...)
{
	va_list	 ap;
	int	 rv;

	va_start(ap, fmt);
	rv = conn_verror(c, code, fmt, ap);
	va_end(ap);
	return rv;
}

/*
 * Sends an error and closes once it is written.  The socket is shut
 * for writing, then input is read and dropped until the peer closes:
 * closing with unread input would reset the connection and could lose
 * the error.  -1 if the connection is gone already.
 */
int
conn_close_error(struct conn *c, const char *code, const char *fmt, ...)
{
	va_list	 ap;
	int	 rv;

	if (c->state == CONN_CLOSING)
		return 0;
	va_start(ap, fmt);
	rv = conn_verror(c, code, fmt, ap);
	va_end(ap);
	if (rv == -1)
		return -1;
	conn_offline(c);
	c->state = CONN_CLOSING;
	conn_timer_set(c, TIMER_CLOSE);
	if (evbuffer_get_length(c->out) == 0)
		conn_drained(c);
	return 0;
}

/* Output that drained: a closing connection is shut for writing. */
static void
conn_drained(struct conn *c)
{
	if (c->writing) {
		event_del(&c->ev_write);
		c->writing = 0;
	}
	if (c->state == CONN_CLOSING)
		(void)shutdown(c->fd, SHUT_WR);
}

/*
 * Written at once when nothing waits, which saves the two epoll_ctl
 * calls of a write event per message; a write error shows again, and
 * is handled, in the write event.
 */
static void
conn_want_write(struct conn *c)
{
	if (c->writing || evbuffer_get_length(c->out) == 0)
		return;
	(void)evbuffer_write(c->out, c->fd);
	if (evbuffer_get_length(c->out) == 0) {
		conn_drained(c);
		return;
	}
	event_add(&c->ev_write, NULL);
	c->writing = 1;
}

/* A reader that falls behind by more than max-queue is disconnected. */
static int
conn_write(struct conn *c, const void *data, size_t len)
{
	char		 name[SERVER_CONN_STRLEN];
	uint64_t	 max = server->conf->c.queue_max;
	size_t		 queued;

	if (sigchan_write(&c->ch, data, len, c->out) == -1) {
		conn_free(c, "cannot queue a message");
		return -1;
	}
	/* What the socket takes at once is not queued here. */
	conn_want_write(c);
	if ((queued = evbuffer_get_length(c->out)) > max) {
		limit_log(&server->ll_queue, "%s: %zu bytes queued, over "
		    "max-queue %llu: disconnecting a slow reader",
		    conn_name(c, name, sizeof(name)), queued,
		    (unsigned long long)max);
		conn_free(c, NULL);
		return -1;
	}
	return 0;
}

int
conn_send(struct conn *c, const struct sigmsg *m)
{
	size_t	 len;

	return conn_send_len(c, m, &len);
}

/* conn_send, and *len bytes of JSON it took. */
static int
conn_send_len(struct conn *c, const struct sigmsg *m, size_t *len)
{
	char	*json;
	int	 rv;

	if ((json = sigmsg_encode(m, len)) == NULL) {
		conn_free(c, "cannot encode a message");
		return -1;
	}
	rv = conn_write(c, json, *len);
	/* Relay passwords and signal boxes do not linger in the heap. */
	sodium_memzero(json, *len);
	free(json);
	return rv;
}

/* -1 if the connection is gone, 0 if unchanged (and not forced), 1 sent. */
int
conn_send_netmap(struct conn *c, int force)
{
	uint8_t	 hash[SERVER_HASH_LEN];
	char	*json;
	size_t	 len;
	int	 rv = 1;

	if ((json = netmap_encode(server->conf, c->node, &len)) == NULL) {
		conn_free(c, "no netmap");
		return -1;
	}
	server->flush_bytes += len;
	c->netmap_gen = server->netmap_gen;
	crypto_generichash(hash, sizeof(hash), (const uint8_t *)json, len,
	    NULL, 0);
	if (!force && memcmp(hash, c->netmap_hash, sizeof(hash)) == 0)
		rv = 0;
	else if (conn_write(c, json, len) == -1)
		rv = -1;
	else
		memcpy(c->netmap_hash, hash, sizeof(hash));
	free(json);
	return rv;
}

/* The relays handed out now, and which came and went since the last. */
int
conn_send_relays(struct conn *c)
{
	struct srv_conf	*conf = server->conf;
	size_t		 len = 0;
	int		 rv;

	conn_relays.type = SIGMSG_RELAYS;
	relays_fill(conf, c->node->peer, time(NULL), c->presence_seq,
	    &conn_relays.u.relays);
	c->presence_seq = server->presence_seq;
	rv = conn_send_len(c, &conn_relays, &len);
	server->flush_bytes += len;
	sodium_memzero(&conn_relays.u.relays, sizeof(conn_relays.u.relays));
	if (rv == -1)
		return -1;
	c->relays_ms = monotime_ms();
	if (c->in_relay_list)
		TAILQ_REMOVE(&server->relay_due, c, relay_entry);
	c->in_relay_list = conf->nrelays > 0;
	if (c->in_relay_list)
		TAILQ_INSERT_TAIL(&server->relay_due, c, relay_entry);
	return 0;
}

/*
 * Messages gone stale, sent on the tick: changes that come together
 * cost one message each.  Past SERVER_FLUSH_BYTES of JSON the rest
 * wait for the next tick; the connections served move to the back of
 * the list so that the others come first then.
 */
static void
conn_flush(int *due, int (*stale)(const struct conn *),
    int (*send)(struct conn *))
{
	struct conn	*c, *next;
	uint64_t	 start = server->flush_bytes;
	size_t		 n;

	if (!*due)
		return;
	*due = 0;
	for (c = TAILQ_FIRST(&server->conns), n = server->nconns;
	    c != NULL && n > 0; c = next, n--) {
		next = TAILQ_NEXT(c, entry);
		if (c->state != CONN_ONLINE || !stale(c))
			continue;
		if (server->flush_bytes - start >= SERVER_FLUSH_BYTES) {
			*due = 1;
			break;
		}
		TAILQ_REMOVE(&server->conns, c, entry);
		TAILQ_INSERT_TAIL(&server->conns, c, entry);
		(void)send(c);
	}
}

/* A version change: netmap_version. */
static int
conn_netmap_stale(const struct conn *c)
{
	return c->netmap_gen != server->netmap_gen;
}

static int
conn_netmap_send(struct conn *c)
{
	return conn_send_netmap(c, 0);
}

/* A relay came or went: presence.c. */
static int
conn_relays_stale(const struct conn *c)
{
	return c->presence_seq != server->presence_seq;
}

void
conn_flush_netmaps(void)
{
	conn_flush(&server->netmap_due, conn_netmap_stale, conn_netmap_send);
}

void
conn_flush_relays(void)
{
	conn_flush(&server->presence_due, conn_relays_stale,
	    conn_send_relays);
}

static void
conn_read(int fd, short event, void *arg)
{
	struct conn	*c = arg;
	const uint8_t	*msg;
	size_t		 len;
	ssize_t		 n;
	char		 err[SERVER_ERR_MAX], name[SERVER_CONN_STRLEN];
	int		 rv;

	if ((n = read(fd, conn_rbuf, sizeof(conn_rbuf))) == -1) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		conn_free(c, strerror(errno));
		return;
	}
	if (n == 0) {
		conn_free(c, c->state == CONN_CLOSING ? NULL :
		    "connection closed");
		return;
	}
	if (c->state == CONN_CLOSING)
		return;
	if (evbuffer_add(c->in, conn_rbuf, n) == -1) {
		conn_free(c, "out of memory");
		return;
	}
	/* Each turn consumes input; it ends when a frame is incomplete. */
	for (;;) {
		rv = sigchan_read(&c->ch, c->in, &msg, &len, err,
		    sizeof(err));
		if (rv == 0)
			break;
		if (rv == -1) {
			if (c->node == NULL && c->relay == NULL) {
				conn_free(c, err);
				return;
			}
			limit_log(&server->ll_chan, "%s: %s: closing",
			    conn_name(c, name, sizeof(name)), err);
			conn_free(c, NULL);
			return;
		}
		rv = rv == 2 ? conn_authed(c) : conn_message(c, msg, len);
		if (rv == -1)
			return;
		if (c->state == CONN_CLOSING)
			break;
	}
	conn_want_write(c);
}

static void
conn_write_ready(int fd, short event, void *arg)
{
	struct conn	*c = arg;

	if (evbuffer_write(c->out, fd) == -1 && errno != EAGAIN &&
	    errno != EINTR) {
		conn_free(c, strerror(errno));
		return;
	}
	if (evbuffer_get_length(c->out) == 0)
		conn_drained(c);
}

/*
 * Message 1 is read.  Before message 2 is written, its key must be a
 * node's or a relay's in the config and its timestamp later than the
 * last one accepted for that key.  A refusal closes without an answer:
 * an unknown key or a message 1 sent again costs no more work.
 */
static int
conn_authed(struct conn *c)
{
	char		 b64[KEY_B64LEN], addr[INET6_ADDRSTRLEN];
	uint8_t		*last;

	conn_addr_str(&c->addr, addr, sizeof(addr));
	if ((c->node = server_node_find(server->conf, c->ch.rs)) != NULL)
		last = c->node->hs_ts;
	else if ((c->relay = presence_find(server->conf, c->ch.rs)) != NULL)
		last = c->relay->hs_ts;
	else {
		key_to_b64(c->ch.rs, b64);
		limit_log(&server->ll_auth, "refused unknown node key %s "
		    "from %s: closing without an answer", b64, addr);
		conn_free(c, NULL);
		return -1;
	}
	if (!sigchan_ts_newer(c->ch.ts, last)) {
		limit_log(&server->ll_auth, "%s: handshake no newer than "
		    "the last one of its key, replayed or from a clock set "
		    "back: closing without an answer", addr);
		conn_free(c, NULL);
		return -1;
	}
	memcpy(last, c->ch.ts, SIGCHAN_TS_LEN);
	if (sigchan_accept(&c->ch, c->out) == -1) {
		conn_free(c, "cannot answer the handshake");
		return -1;
	}
	c->state = CONN_HELLO;
	tokenbucket_fill(&c->rate, 2 * server->conf->c.rate, monotime_ms());
	return 0;
}

static int
conn_message(struct conn *c, const uint8_t *msg, size_t len)
{
	struct srv_conf	*conf = server->conf;
	char		 err[SERVER_ERR_MAX], name[SERVER_CONN_STRLEN];
	int		 rv = 0;

	/* No replay of message 1 can open a frame: this is the key's owner. */
	if (c->state == CONN_HELLO)
		conn_unauth_drop(c);
	if (!tokenbucket_take(&c->rate, conf->c.rate, 2 * conf->c.rate, 1,
	    monotime_ms())) {
		limit_log(&server->ll_rate, "%s: over %u messages a second "
		    "(message-rate): closing", conn_name(c, name, sizeof(name)),
		    conf->c.rate);
		return conn_close_error(c, "rate", "more than %u messages "
		    "a second", conf->c.rate);
	}
	if (sigmsg_parse((const char *)msg, len, &conn_in, err,
	    sizeof(err)) == -1) {
		limit_log(&server->ll_chan, "%s: %s: closing",
		    conn_name(c, name, sizeof(name)), err);
		return conn_close_error(c, "malformed", "%s", err);
	}
	if (c->state == CONN_HELLO) {
		if (conn_in.type != SIGMSG_HELLO)
			rv = conn_close_error(c, "protocol", "the first "
			    "message must be hello, not %s",
			    sigmsg_type_name(conn_in.type));
		else if (conn_in.u.hello.version != SIGMSG_PROTO)
			rv = conn_close_error(c, "version", "protocol version "
			    "%u is not supported; this server speaks %d",
			    conn_in.u.hello.version, SIGMSG_PROTO);
		else if (c->relay != NULL)
			rv = presence_hello(c, &conn_in.u.hello);
		else if (conn_in.u.hello.role != SIGMSG_ROLE_AGENT) {
			limit_log(&server->ll_auth, "%s: hello as a relay: "
			    "closing", conn_name(c, name, sizeof(name)));
			rv = conn_close_error(c, "protocol", "the key of node "
			    "%s must say hello as an agent",
			    c->node->peer->name);
		}
		else
			rv = conn_online(c, &conn_in.u.hello);
		sigmsg_free(&conn_in);
		return rv;
	}
	conn_timer_set(c, TIMER_IDLE);
	switch (conn_in.type) {
	case SIGMSG_PING:
		conn_in.type = SIGMSG_PONG;
		rv = conn_send(c, &conn_in);
		break;
	case SIGMSG_SIGNAL:
		/* A relay only registers: it has no peers to signal. */
		if (c->relay == NULL) {
			rv = conn_signal(c, &conn_in);
			break;
		}
		/* FALLTHROUGH */
	default:
		rv = conn_close_error(c, "protocol", "%s is not a message %s "
		    "sends here", sigmsg_type_name(conn_in.type),
		    c->relay != NULL ? "a relay" : "an agent");
		break;
	}
	sigmsg_free(&conn_in);
	return rv;
}

/* Hello, then the netmap, then the relays; this connection wins. */
static int
conn_online(struct conn *c, const struct sigmsg_hello *h)
{
	struct node	*node = c->node;
	struct sigmsg	 m;
	char		 name[SERVER_CONN_STRLEN], addr[INET6_ADDRSTRLEN];
	int		 changed;

	if (node->conn != NULL && node->conn != c) {
		log_info("node %s reconnected from %s: closing its older "
		    "connection", node->peer->name,
		    conn_addr_str(&c->addr, addr, sizeof(addr)));
		conn_close_error(node->conn, "replaced", "a newer connection "
		    "of this node replaced this one");
	}
	node->conn = c;
	c->state = CONN_ONLINE;
	server->nonline++;
	/* Its first relay list is news of no relay coming or going. */
	c->presence_seq = server->presence_seq;
	conn_timer_set(c, TIMER_IDLE);
	changed = netmap_version(server->conf, node, h->software);
	log_info("%s: online, software \"%s\"%s",
	    conn_name(c, name, sizeof(name)), h->software,
	    changed ? " (changed)" : "");

	memset(&m.u.hello, 0, sizeof(m.u.hello));
	m.type = SIGMSG_HELLO;
	m.u.hello.version = SIGMSG_PROTO;
	m.u.hello.features = SIGMSG_FEAT_LAZY;
	if (conn_send(c, &m) == -1 || conn_send_netmap(c, 1) == -1 ||
	    conn_send_relays(c) == -1)
		return -1;
	return 0;
}

/* The server cannot open the box: it sets from and forwards. */
static int
conn_signal(struct conn *c, struct sigmsg *m)
{
	struct sigmsg_signal	*sg = &m->u.signal;
	struct srv_conf		*conf = server->conf;
	struct node		*to;
	char			 b64[KEY_B64LEN];

	to = server_node_find(conf, sg->to);
	if (to == NULL || !netmap_sees(conf, c->node->peer, to->peer)) {
		key_to_b64(sg->to, b64);
		return conn_error(c, "unknown-peer", "no peer %s in your "
		    "netmap", b64);
	}
	if (to->conn == NULL) {
		key_to_b64(sg->to, b64);
		return conn_error(c, "offline", "peer %s (%s) is offline", b64,
		    to->peer->name);
	}
	sg->has_from = 1;
	memcpy(sg->from, c->node->peer->node_key, KEY_LEN);
	/* A slow recipient is disconnected; the sender carries on. */
	(void)conn_send(to->conn, m);
	return 0;
}
