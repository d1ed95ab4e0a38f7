/*
 * Unit tests: a fake engine for the engine's own code.  The global
 * engine gets an imsg channel to a socket the test reads, so what the
 * engine asks of the parent can be checked.
 */
#include <sys/socket.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>
#include <event.h>
#include <sodium.h>

#include "engine_fixture.h"
#include "parent.h"

static struct engine	 fixture;
static struct imsgbuf	 parent_ibuf;

static void
fixture_dispatch(struct imsgev *iev, struct imsg *imsg)
{
}

static void
fixture_closed(struct imsgev *iev)
{
}

void
fixture_engine(void)
{
	int	 sv[2];

	ATF_REQUIRE(sodium_init() >= 0);
	event_init();
	memset(&fixture, 0, sizeof(fixture));
	engine = &fixture;
	TAILQ_INIT(&engine->peers);
	TAILQ_INIT(&engine->pending);
	TAILQ_INIT(&engine->ctl_conns);
	RB_INIT(&engine->byremote);
	RB_INIT(&engine->bynode);
	RB_INIT(&engine->bywg);
	engine->conf.peerport = TERND_PEERPORT_DEFAULT;
	engine->netfd = engine->ppfd = engine->ctlfd = -1;
	crypto_box_keypair(engine->conf.nodepub, engine->nodepriv);
	seal_session_new(&engine->sig_sess);
	ATF_REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0,
	    sv) == 0);
	imsgev_init(&engine->parent, sv[0], fixture_dispatch, fixture_closed,
	    NULL);
	imsgbuf_init(&parent_ibuf, sv[1]);
	sig_init();
	cm_init();
}

void
fixture_collect(struct fixture_seen *s)
{
	struct imsg		 imsg;
	struct imsg_wg_signed	 ws;
	char			 err[128];

	memset(s, 0, sizeof(*s));
	ATF_REQUIRE(imsgbuf_flush(&engine->parent.ibuf) == 0);
	ATF_REQUIRE(imsgbuf_read(&parent_ibuf) >= 0 || errno == EAGAIN);
	while (imsg_get(&parent_ibuf, &imsg) > 0) {
		if (imsg.hdr.type == IMSG_WG_PEER_SET) {
			ATF_REQUIRE(s->nset < FIXTURE_SEEN_MAX);
			ATF_REQUIRE(imsg_get_data(&imsg, &s->set[s->nset++],
			    sizeof(s->set[0])) == 0);
		} else if (imsg.hdr.type == IMSG_WG_PEER_SIGNED) {
			/* As the parent turns it into a WireGuard peer. */
			ATF_REQUIRE(s->nset < FIXTURE_SEEN_MAX);
			ATF_REQUIRE(imsg_get_data(&imsg, &ws, sizeof(ws)) == 0);
			s->entry[s->nset] = ws.entry;
			ATF_REQUIRE(pnetmap_to_peer(&ws, &s->set[s->nset++],
			    err, sizeof(err)) == 0);
		} else if (imsg.hdr.type == IMSG_WG_PEER_DEL) {
			ATF_REQUIRE(s->ndel < FIXTURE_SEEN_MAX);
			ATF_REQUIRE(imsg_get_data(&imsg, &s->del[s->ndel++],
			    sizeof(s->del[0])) == 0);
		}
		imsg_free(&imsg);
	}
}

/* A netmap peer: keys from id, naddrs host addresses, nallowed /24s. */
void
fixture_peer(struct sigmsg_peer *p, const char *name, uint8_t id,
    size_t naddrs, size_t nallowed)
{
	size_t	 i;

	memset(p, 0, sizeof(*p));
	strlcpy(p->name, name, sizeof(p->name));
	memset(p->node_key, id, KEY_LEN);
	memset(p->wg_key, id + 100, KEY_LEN);
	for (i = 0; i < naddrs; i++) {
		p->addrs[i].af = AF_INET;
		p->addrs[i].plen = 32;
		p->addrs[i].a.v4.s_addr = htonl(0x0a4d0000 | (id << 4) | i);
	}
	p->naddrs = naddrs;
	for (i = 0; i < nallowed; i++) {
		p->allowed[i].af = AF_INET;
		p->allowed[i].plen = 24;
		p->allowed[i].a.v4.s_addr = htonl(0x0a000000 |
		    (id << 16) | (i << 8));
	}
	p->nallowed = nallowed;
}

void
fixture_netmap(struct sigmsg_netmap *nm, size_t n)
{
	memset(nm, 0, sizeof(*nm));
	memcpy(nm->self.node_key, engine->conf.nodepub, KEY_LEN);
	strlcpy(nm->self.name, "self", sizeof(nm->self.name));
	nm->peers = calloc(n ? n : 1, sizeof(*nm->peers));
	ATF_REQUIRE(nm->peers != NULL);
	nm->npeers = n;
}

struct peer *
fixture_find(const char *name)
{
	return peer_by_name(name);
}
