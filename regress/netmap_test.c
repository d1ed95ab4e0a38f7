/*
 * Unit tests: the engine applies a network map (agent/netmap.c): peers
 * are added, changed and removed, and each change reaches the parent
 * as the imsg it would configure WireGuard with.
 */
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

#include <atf-c.h>
#include <event.h>
#include <sodium.h>

#include "engine.h"
#include "sigmsg.h"

static struct engine	 test_engine;
static int		 parent_fd = -1;
static struct imsgbuf	 parent_ibuf;

static void
dummy_dispatch(struct imsgev *iev, struct imsg *imsg)
{
}

static void
dummy_closed(struct imsgev *iev)
{
}

static void
setup(void)
{
	int	 sv[2];

	ATF_REQUIRE(sodium_init() >= 0);
	event_init();
	memset(&test_engine, 0, sizeof(test_engine));
	engine = &test_engine;
	TAILQ_INIT(&engine->peers);
	TAILQ_INIT(&engine->pending);
	RB_INIT(&engine->byremote);
	RB_INIT(&engine->bynode);
	engine->conf.peerport = TERND_PEERPORT_DEFAULT;
	engine->netfd = engine->ppfd = engine->ctlfd = -1;
	randombytes_buf(engine->conf.nodepub, KEY_LEN);
	ATF_REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) == 0);
	imsgev_init(&engine->parent, sv[0], dummy_dispatch, dummy_closed,
	    NULL);
	imsgbuf_init(&parent_ibuf, sv[1]);
	parent_fd = sv[1];
	sig_init();
}

/* What the engine asked of the parent since the last call. */
struct seen {
	int			 nset, ndel;
	struct imsg_wg_peer	 set[8];
	struct imsg_wg_peer_del	 del[8];
};

static void
collect(struct seen *s)
{
	struct imsg	 imsg;
	ssize_t		 n;

	memset(s, 0, sizeof(*s));
	ATF_REQUIRE(imsgbuf_flush(&engine->parent.ibuf) == 0);
	ATF_REQUIRE(imsgbuf_read(&parent_ibuf) >= 0 || errno == EAGAIN);
	while ((n = imsg_get(&parent_ibuf, &imsg)) > 0) {
		if (imsg.hdr.type == IMSG_WG_PEER_SET) {
			ATF_REQUIRE(s->nset < 8);
			ATF_REQUIRE(imsg_get_data(&imsg, &s->set[s->nset++],
			    sizeof(s->set[0])) == 0);
		} else if (imsg.hdr.type == IMSG_WG_PEER_DEL) {
			ATF_REQUIRE(s->ndel < 8);
			ATF_REQUIRE(imsg_get_data(&imsg, &s->del[s->ndel++],
			    sizeof(s->del[0])) == 0);
		}
		imsg_free(&imsg);
	}
}

static void
mkpeer(struct sigmsg_peer *p, const char *name, uint8_t id, size_t naddrs,
    size_t nallowed)
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

static void
mknetmap(struct sigmsg_netmap *nm, size_t n)
{
	memset(nm, 0, sizeof(*nm));
	memcpy(nm->self.node_key, engine->conf.nodepub, KEY_LEN);
	strlcpy(nm->self.name, "self", sizeof(nm->self.name));
	nm->peers = calloc(n ? n : 1, sizeof(*nm->peers));
	ATF_REQUIRE(nm->peers != NULL);
	nm->npeers = n;
}

static struct peer *
find(const char *name)
{
	struct peer	*p;

	TAILQ_FOREACH(p, &engine->peers, entry)
		if (strcmp(p->conf.name, name) == 0)
			return p;
	return NULL;
}

ATF_TC_WITHOUT_HEAD(add_change_remove);
ATF_TC_BODY(add_change_remove, tc)
{
	struct sigmsg_netmap	 nm;
	struct seen		 s;
	struct peer		*b, *c;

	setup();
	mknetmap(&nm, 2);
	mkpeer(&nm.peers[0], "b", 2, 1, 1);
	mkpeer(&nm.peers[1], "c", 3, 2, 0);
	netmap_apply(&nm);
	ATF_REQUIRE_EQ(engine->npeers, 2);
	ATF_REQUIRE((b = find("b")) != NULL && (c = find("c")) != NULL);
	ATF_REQUIRE_EQ(b->source, PEER_SRC_NETMAP);
	ATF_REQUIRE_EQ(b->state, PEER_CONNECTING);
	ATF_REQUIRE(peer_by_node(nm.peers[1].node_key) == c);
	/* Overlay addresses first, then allowed IPs. */
	ATF_REQUIRE_EQ(b->conf.nallowed, 2);
	ATF_REQUIRE(prefix_cmp(&b->conf.allowed[0], &nm.peers[0].addrs[0]) ==
	    0);
	ATF_REQUIRE(prefix_cmp(&b->conf.allowed[1], &nm.peers[0].allowed[0])
	    == 0);
	collect(&s);
	ATF_REQUIRE_EQ(s.nset, 2);
	ATF_REQUIRE_EQ(s.ndel, 0);
	ATF_REQUIRE(memcmp(s.set[0].wgkey, nm.peers[0].wg_key, KEY_LEN) == 0);
	ATF_REQUIRE_EQ(s.set[0].nallowed, 2);
	ATF_REQUIRE(s.set[0].endpoint.sin_addr.s_addr == b->pp.sin_addr.s_addr);
	ATF_REQUIRE(b->pp.sin_addr.s_addr != c->pp.sin_addr.s_addr);

	/* The same map again changes nothing. */
	netmap_apply(&nm);
	collect(&s);
	ATF_REQUIRE_EQ(s.nset + s.ndel, 0);

	/* c leaves, b gains an allowed IP. */
	free(nm.peers);
	mknetmap(&nm, 1);
	mkpeer(&nm.peers[0], "b", 2, 1, 2);
	netmap_apply(&nm);
	ATF_REQUIRE_EQ(engine->npeers, 1);
	ATF_REQUIRE(find("c") == NULL);
	ATF_REQUIRE(peer_by_node(nm.peers[0].node_key) == find("b"));
	collect(&s);
	ATF_REQUIRE_EQ(s.ndel, 1);
	ATF_REQUIRE_EQ(s.nset, 1);
	ATF_REQUIRE_EQ(s.set[0].nallowed, 3);

	/* An empty map removes every netmap peer. */
	free(nm.peers);
	mknetmap(&nm, 0);
	netmap_apply(&nm);
	ATF_REQUIRE_EQ(engine->npeers, 0);
	collect(&s);
	ATF_REQUIRE_EQ(s.ndel, 1);
	free(nm.peers);
}

/* A peer whose node key changed is a new peer, not a change. */
ATF_TC_WITHOUT_HEAD(node_key_change);
ATF_TC_BODY(node_key_change, tc)
{
	struct sigmsg_netmap	 nm;
	struct seen		 s;

	setup();
	mknetmap(&nm, 1);
	mkpeer(&nm.peers[0], "b", 2, 1, 0);
	netmap_apply(&nm);
	collect(&s);
	memset(nm.peers[0].node_key, 9, KEY_LEN);
	netmap_apply(&nm);
	collect(&s);
	ATF_REQUIRE_EQ(s.ndel, 1);
	ATF_REQUIRE_EQ(s.nset, 1);
	ATF_REQUIRE(peer_by_node(nm.peers[0].node_key) == find("b"));
	free(nm.peers);
}

ATF_TC_WITHOUT_HEAD(static_peer_wins);
ATF_TC_BODY(static_peer_wins, tc)
{
	struct sigmsg_netmap	 nm;
	struct seen		 s;
	struct peer		*st;

	setup();
	ATF_REQUIRE((st = calloc(1, sizeof(*st))) != NULL);
	strlcpy(st->conf.name, "static-b", sizeof(st->conf.name));
	memset(st->conf.wgkey, 2 + 100, KEY_LEN);
	st->source = PEER_SRC_STATIC;
	ATF_REQUIRE(peer_alloc_idx(st) == 0);
	TAILQ_INSERT_TAIL(&engine->peers, st, entry);
	engine->npeers++;

	mknetmap(&nm, 2);
	mkpeer(&nm.peers[0], "b", 2, 1, 0);
	mkpeer(&nm.peers[1], "c", 3, 1, 0);
	netmap_apply(&nm);
	ATF_REQUIRE_EQ(engine->npeers, 2);
	ATF_REQUIRE(find("b") == NULL);
	ATF_REQUIRE(find("static-b") == st);
	collect(&s);
	ATF_REQUIRE_EQ(s.nset, 1);
	ATF_REQUIRE(memcmp(s.set[0].wgkey, nm.peers[1].wg_key, KEY_LEN) == 0);
	/* A map without it leaves the static peer alone. */
	free(nm.peers);
	mknetmap(&nm, 0);
	netmap_apply(&nm);
	ATF_REQUIRE(find("static-b") == st);
	collect(&s);
	ATF_REQUIRE_EQ(s.ndel, 1);
	free(nm.peers);
}

/* More addresses and allowed IPs than WireGuard gets: the peer is left out. */
ATF_TC_WITHOUT_HEAD(too_many_allowed);
ATF_TC_BODY(too_many_allowed, tc)
{
	struct sigmsg_netmap	 nm;
	struct seen		 s;

	setup();
	mknetmap(&nm, 2);
	mkpeer(&nm.peers[0], "big", 2, SIGMSG_ADDRS_MAX,
	    TERN_ALLOWED_MAX - SIGMSG_ADDRS_MAX + 1);
	mkpeer(&nm.peers[1], "full", 3, SIGMSG_ADDRS_MAX,
	    TERN_ALLOWED_MAX - SIGMSG_ADDRS_MAX);
	netmap_apply(&nm);
	ATF_REQUIRE(find("big") == NULL);
	ATF_REQUIRE(find("full") != NULL);
	ATF_REQUIRE_EQ(find("full")->conf.nallowed, TERN_ALLOWED_MAX);
	collect(&s);
	ATF_REQUIRE_EQ(s.nset, 1);
	free(nm.peers);
}

/* Our own entry among the peers, and a node key used twice, are skipped. */
ATF_TC_WITHOUT_HEAD(self_and_duplicates);
ATF_TC_BODY(self_and_duplicates, tc)
{
	struct sigmsg_netmap	 nm;

	setup();
	mknetmap(&nm, 3);
	mkpeer(&nm.peers[0], "me", 2, 1, 0);
	memcpy(nm.peers[0].node_key, engine->conf.nodepub, KEY_LEN);
	mkpeer(&nm.peers[1], "b", 3, 1, 0);
	mkpeer(&nm.peers[2], "b2", 4, 1, 0);
	memset(nm.peers[2].node_key, 3, KEY_LEN);
	netmap_apply(&nm);
	ATF_REQUIRE_EQ(engine->npeers, 1);
	ATF_REQUIRE(find("b") != NULL);
	free(nm.peers);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, add_change_remove);
	ATF_TP_ADD_TC(tp, node_key_change);
	ATF_TP_ADD_TC(tp, static_peer_wins);
	ATF_TP_ADD_TC(tp, too_many_allowed);
	ATF_TP_ADD_TC(tp, self_and_duplicates);
	return atf_no_error();
}
