/*
 * server: the presence of the relays that register.  A relay with a key
 * in tern-signal.conf connects like an agent, says hello as a relay
 * with its generation, and is up while that connection lasts; nodes are
 * handed only the keyed relays that are up, with their generation, and
 * told on the next tick which came and went.
 */
#include <string.h>

#include "log.h"
#include "server.h"

static void	 presence_changed(void);
static struct relay_node *presence_by_id(struct srv_conf *, const char *);

/* Every node's relay list is stale: sent on the next tick. */
static void
presence_changed(void)
{
	server->presence_seq++;
	server->presence_due = 1;
}

/* At most SIGNAL_RELAYS_MAX relays: a list will do. */
struct relay_node *
presence_find(struct srv_conf *conf, const uint8_t key[KEY_LEN])
{
	size_t	 i;

	for (i = 0; i < conf->nrelays; i++)
		if (conf->relays[i].has_key &&
		    memcmp(conf->relays[i].key, key, KEY_LEN) == 0)
			return &conf->rnodes[i];
	return NULL;
}

static struct relay_node *
presence_by_id(struct srv_conf *conf, const char *id)
{
	size_t	 i;

	for (i = 0; i < conf->nrelays; i++)
		if (strcmp(conf->relays[i].id, id) == 0)
			return &conf->rnodes[i];
	return NULL;
}

/* Whether nodes get the relay: unkeyed ones always, keyed while up. */
int
presence_handed(const struct relay_node *rn)
{
	return !rn->relay->has_key || rn->up;
}

/*
 * A relay's hello: its connection becomes the registered one, replacing
 * an older one without a moment down.  The relay is up; a generation
 * other than the last one means it restarted.
 */
int
presence_hello(struct conn *c, const struct sigmsg_hello *h)
{
	struct relay_node	*rn = c->relay;
	struct conn		*old = rn->conn;
	struct sigmsg		 m;
	char			 name[SERVER_CONN_STRLEN];
	const char		*what;

	if (h->role != SIGMSG_ROLE_RELAY) {
		limit_log(&server->ll_auth, "%s: hello as an agent: closing",
		    conn_name(c, name, sizeof(name)));
		return conn_close_error(c, "protocol", "the key of relay %s "
		    "must say hello as a relay", rn->relay->id);
	}
	rn->conn = c;
	c->state = CONN_RELAY;
	conn_timer_set(c, TIMER_IDLE);
	if (old != NULL && old != c) {
		log_info("relay %s registered again: closing its older "
		    "connection", rn->relay->id);
		conn_close_error(old, "replaced", "a newer connection of this "
		    "relay replaced this one");
	}
	if (!rn->up)
		what = rn->up_seq == 0 ? "up" : rn->generation ==
		    h->generation ? "up again, same generation" :
		    "up again, restarted";
	else if (rn->generation != h->generation)
		what = "restarted";
	else
		what = NULL;
	log_info("%s: registered, generation %016llx, software \"%s\"%s%s",
	    conn_name(c, name, sizeof(name)),
	    (unsigned long long)h->generation, h->software,
	    what != NULL ? ": " : "", what != NULL ? what : "");
	if (what != NULL) {
		presence_changed();
		rn->up = 1;
		rn->generation = h->generation;
		rn->up_seq = server->presence_seq;
	}

	memset(&m.u.hello, 0, sizeof(m.u.hello));
	m.type = SIGMSG_HELLO;
	m.u.hello.version = SIGMSG_PROTO;
	return conn_send(c, &m);
}

/* The registered connection of a relay is gone: the relay is down. */
void
presence_lost(struct conn *c)
{
	struct relay_node	*rn = c->relay;

	if (c->state != CONN_RELAY || rn == NULL || rn->conn != c)
		return;
	rn->conn = NULL;
	rn->up = 0;
	presence_changed();
	rn->down_seq = server->presence_seq;
	log_info("relay %s: down", rn->relay->id);
}

/*
 * A reload keeps the presence, and the last handshake timestamp, of
 * each relay whose id and key stay.
 * One whose key changed or went is down from now on (its connection
 * is closed by presence_reload_conn).
 */
void
presence_keep(struct srv_conf *old, struct srv_conf *nconf)
{
	struct relay_node	*o, *n;
	size_t			 i;

	for (i = 0; i < nconf->nrelays; i++) {
		n = &nconf->rnodes[i];
		if ((o = presence_by_id(old, n->relay->id)) == NULL)
			continue;
		n->up_seq = o->up_seq;
		n->down_seq = o->down_seq;
		n->generation = o->generation;
		if (n->relay->has_key && o->relay->has_key &&
		    memcmp(n->relay->key, o->relay->key, KEY_LEN) == 0) {
			n->up = o->up;
			memcpy(n->hs_ts, o->hs_ts, sizeof(n->hs_ts));
			continue;
		}
		if (o->up && n->relay->has_key) {
			presence_changed();
			n->down_seq = server->presence_seq;
		}
	}
}

/*
 * A relay's connection moves to its relay in the new config, the one
 * with the same id and key; without one it is refused.
 */
void
presence_reload_conn(struct conn *c, struct srv_conf *nconf)
{
	struct relay_node	*n;
	char			 b64[KEY_B64LEN], name[SERVER_CONN_STRLEN];

	if (c->state == CONN_CLOSING) {
		c->relay = NULL;
		return;
	}
	n = presence_find(nconf, c->relay->relay->key);
	if (n == NULL || strcmp(n->relay->id, c->relay->relay->id) != 0) {
		key_to_b64(c->relay->relay->key, b64);
		log_info("%s: removed from the configuration",
		    conn_name(c, name, sizeof(name)));
		/* Not down: presence_keep settled the new relay's state. */
		if (c->relay->conn == c)
			c->relay->conn = NULL;
		if (conn_close_error(c, "auth", "relay key %s was removed "
		    "from the configuration", b64) == 0)
			c->relay = NULL;
		return;
	}
	if (c->relay->conn == c)
		n->conn = c;
	c->relay = n;
}
