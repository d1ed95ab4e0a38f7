/*
 * Unit tests: the engine applies a network map (agent/engine_netmap.c): peers
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

#include "engine_fixture.h"

ATF_TC_WITHOUT_HEAD(add_change_remove);
ATF_TC_BODY(add_change_remove, tc)
{
	struct sigmsg_netmap	 nm;
	struct fixture_seen	 s;
	struct peer		*b, *c;

	fixture_engine();
	fixture_netmap(&nm, 2);
	fixture_peer(&nm.peers[0], "b", 2, 1, 1);
	fixture_peer(&nm.peers[1], "c", 3, 2, 0);
	netmap_apply(&nm);
	ATF_REQUIRE_EQ(engine->npeers, 2);
	ATF_REQUIRE((b = fixture_find("b")) != NULL && (c = fixture_find("c")) != NULL);
	ATF_REQUIRE_EQ(b->source, PEER_SRC_NETMAP);
	ATF_REQUIRE_EQ(b->state, PEER_CONNECTING);
	ATF_REQUIRE(peer_by_node(nm.peers[1].node_key) == c);
	/* Overlay addresses first, then allowed IPs. */
	ATF_REQUIRE_EQ(b->conf.nallowed, 2);
	ATF_REQUIRE(prefix_cmp(&b->conf.allowed[0], &nm.peers[0].addrs[0]) ==
	    0);
	ATF_REQUIRE(prefix_cmp(&b->conf.allowed[1], &nm.peers[0].allowed[0])
	    == 0);
	fixture_collect(&s);
	ATF_REQUIRE_EQ(s.nset, 2);
	ATF_REQUIRE_EQ(s.ndel, 0);
	ATF_REQUIRE(memcmp(s.set[0].wgkey, nm.peers[0].wg_key, KEY_LEN) == 0);
	ATF_REQUIRE_EQ(s.set[0].nallowed, 2);
	ATF_REQUIRE(s.set[0].endpoint.sin_addr.s_addr == b->pp.sin_addr.s_addr);
	ATF_REQUIRE(b->pp.sin_addr.s_addr != c->pp.sin_addr.s_addr);

	/* The same map again changes nothing. */
	netmap_apply(&nm);
	fixture_collect(&s);
	ATF_REQUIRE_EQ(s.nset + s.ndel, 0);

	/* c leaves, b gains an allowed IP. */
	free(nm.peers);
	fixture_netmap(&nm, 1);
	fixture_peer(&nm.peers[0], "b", 2, 1, 2);
	netmap_apply(&nm);
	ATF_REQUIRE_EQ(engine->npeers, 1);
	ATF_REQUIRE(fixture_find("c") == NULL);
	ATF_REQUIRE(peer_by_node(nm.peers[0].node_key) == fixture_find("b"));
	fixture_collect(&s);
	ATF_REQUIRE_EQ(s.ndel, 1);
	ATF_REQUIRE_EQ(s.nset, 1);
	ATF_REQUIRE_EQ(s.set[0].nallowed, 3);

	/* An empty map removes every netmap peer. */
	free(nm.peers);
	fixture_netmap(&nm, 0);
	netmap_apply(&nm);
	ATF_REQUIRE_EQ(engine->npeers, 0);
	fixture_collect(&s);
	ATF_REQUIRE_EQ(s.ndel, 1);
	free(nm.peers);
}

/* A peer whose node key changed is a new peer, not a change. */
ATF_TC_WITHOUT_HEAD(node_key_change);
ATF_TC_BODY(node_key_change, tc)
{
	struct sigmsg_netmap	 nm;
	struct fixture_seen	 s;

	fixture_engine();
	fixture_netmap(&nm, 1);
	fixture_peer(&nm.peers[0], "b", 2, 1, 0);
	netmap_apply(&nm);
	fixture_collect(&s);
	memset(nm.peers[0].node_key, 9, KEY_LEN);
	netmap_apply(&nm);
	fixture_collect(&s);
	ATF_REQUIRE_EQ(s.ndel, 1);
	ATF_REQUIRE_EQ(s.nset, 1);
	ATF_REQUIRE(peer_by_node(nm.peers[0].node_key) == fixture_find("b"));
	free(nm.peers);
}

ATF_TC_WITHOUT_HEAD(static_peer_wins);
ATF_TC_BODY(static_peer_wins, tc)
{
	struct sigmsg_netmap	 nm;
	struct fixture_seen	 s;
	struct peer		*st;

	fixture_engine();
	ATF_REQUIRE((st = calloc(1, sizeof(*st))) != NULL);
	strlcpy(st->conf.name, "static-b", sizeof(st->conf.name));
	memset(st->conf.wgkey, 2 + 100, KEY_LEN);
	st->source = PEER_SRC_STATIC;
	ATF_REQUIRE(peer_alloc_idx(st) == 0);
	peer_insert(st);

	fixture_netmap(&nm, 2);
	fixture_peer(&nm.peers[0], "b", 2, 1, 0);
	fixture_peer(&nm.peers[1], "c", 3, 1, 0);
	netmap_apply(&nm);
	ATF_REQUIRE_EQ(engine->npeers, 2);
	ATF_REQUIRE(fixture_find("b") == NULL);
	ATF_REQUIRE(fixture_find("static-b") == st);
	fixture_collect(&s);
	ATF_REQUIRE_EQ(s.nset, 1);
	ATF_REQUIRE(memcmp(s.set[0].wgkey, nm.peers[1].wg_key, KEY_LEN) == 0);
	/* A map without it leaves the static peer alone. */
	free(nm.peers);
	fixture_netmap(&nm, 0);
	netmap_apply(&nm);
	ATF_REQUIRE(fixture_find("static-b") == st);
	fixture_collect(&s);
	ATF_REQUIRE_EQ(s.ndel, 1);
	free(nm.peers);
}

/* More addresses and allowed IPs than WireGuard gets: the peer is left out. */
ATF_TC_WITHOUT_HEAD(too_many_allowed);
ATF_TC_BODY(too_many_allowed, tc)
{
	struct sigmsg_netmap	 nm;
	struct fixture_seen	 s;

	fixture_engine();
	fixture_netmap(&nm, 2);
	fixture_peer(&nm.peers[0], "big", 2, SIGMSG_ADDRS_MAX,
	    TERN_ALLOWED_MAX - SIGMSG_ADDRS_MAX + 1);
	fixture_peer(&nm.peers[1], "full", 3, SIGMSG_ADDRS_MAX,
	    TERN_ALLOWED_MAX - SIGMSG_ADDRS_MAX);
	netmap_apply(&nm);
	ATF_REQUIRE(fixture_find("big") == NULL);
	ATF_REQUIRE(fixture_find("full") != NULL);
	ATF_REQUIRE_EQ(fixture_find("full")->conf.nallowed, TERN_ALLOWED_MAX);
	fixture_collect(&s);
	ATF_REQUIRE_EQ(s.nset, 1);
	free(nm.peers);
}

/* Our own entry among the peers, and a node key used twice, are skipped. */
ATF_TC_WITHOUT_HEAD(self_and_duplicates);
ATF_TC_BODY(self_and_duplicates, tc)
{
	struct sigmsg_netmap	 nm;

	fixture_engine();
	fixture_netmap(&nm, 3);
	fixture_peer(&nm.peers[0], "me", 2, 1, 0);
	memcpy(nm.peers[0].node_key, engine->conf.nodepub, KEY_LEN);
	fixture_peer(&nm.peers[1], "b", 3, 1, 0);
	fixture_peer(&nm.peers[2], "b2", 4, 1, 0);
	memset(nm.peers[2].node_key, 3, KEY_LEN);
	netmap_apply(&nm);
	ATF_REQUIRE_EQ(engine->npeers, 1);
	ATF_REQUIRE(fixture_find("b") != NULL);
	free(nm.peers);
}

/* The engine hands the parent the entry exactly as the server signed it. */
ATF_TC_WITHOUT_HEAD(signature_passed_through);
ATF_TC_BODY(signature_passed_through, tc)
{
	struct sigmsg_netmap	 nm;
	struct fixture_seen	 s;
	struct nm_entry		 e;
	uint8_t			 seed[KEY_LEN], pk[NMSIGN_PK_LEN];
	uint8_t			 sk[NMSIGN_SK_LEN];

	fixture_engine();
	fixture_netmap(&nm, 1);
	fixture_peer(&nm.peers[0], "b", 2, 1, 1);
	randombytes_buf(seed, sizeof(seed));
	nmsign_keypair(seed, pk, sk);
	nm.peers[0].serial = 7;
	nm.peers[0].expires = 2000000000;
	sigmsg_peer_entry(&nm.peers[0], &e);
	nmsign_sign(&e, sk);
	memcpy(nm.peers[0].sig, e.sig, sizeof(e.sig));
	nm.peers[0].has_sig = 1;
	netmap_apply(&nm);
	fixture_collect(&s);
	ATF_REQUIRE_EQ(s.nset, 1);
	ATF_CHECK_EQ(s.entry[0].serial, 7);
	ATF_CHECK_EQ(nmsign_verify(&s.entry[0], pk), 0);
	free(nm.peers);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, signature_passed_through);
	ATF_TP_ADD_TC(tp, add_change_remove);
	ATF_TP_ADD_TC(tp, node_key_change);
	ATF_TP_ADD_TC(tp, static_peer_wins);
	ATF_TP_ADD_TC(tp, too_many_allowed);
	ATF_TP_ADD_TC(tp, self_and_duplicates);
	return atf_no_error();
}
