/*
 * Unit tests: the connection manager (agent/connmgr.c): lazy settings by
 * rank, the states and their reasons, holding the first handshake,
 * inactivity, go-idle, permanent peers and HA groups.
 */
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>
#include <event.h>

#include "engine_fixture.h"
#include "ice.h"

static void
local(int lazy, enum lazy_src ls, uint32_t inact, enum lazy_src is)
{
	struct imsg_lazy_conf	 lc;

	memset(&lc, 0, sizeof(lc));
	lc.lazy = lazy;
	lc.lazy_src = ls;
	lc.inactivity = inact;
	lc.inactivity_src = is;
	cm_lazy_conf(&lc);
}

static void
exclude(const char *name)
{
	struct imsg_exclude	 ex;

	memset(&ex, 0, sizeof(ex));
	strlcpy(ex.name, name, sizeof(ex.name));
	cm_exclude(&ex);
}

static void
hdr(struct ctl_status_hdr *h)
{
	memset(h, 0, sizeof(*h));
	cm_status(h);
}

static struct ctl_status_peer
pstat(struct peer *p)
{
	struct ctl_status_peer	 s;

	memset(&s, 0, sizeof(s));
	cm_peer_status(p, &s);
	return s;
}

/* Netmap of peers b, c, d (and more as the test sets them up). */
static struct sigmsg_netmap	 nm;

static void
apply3(int server_lazy)
{
	fixture_netmap(&nm, 3);
	nm.lazy = server_lazy;
	fixture_peer(&nm.peers[0], "b", 2, 1, 1);
	fixture_peer(&nm.peers[1], "c", 3, 1, 1);
	fixture_peer(&nm.peers[2], "d", 4, 1, 1);
	netmap_apply(&nm);
}

/* A WireGuard handshake initiation: type 1, reserved zero, 148 bytes. */
static void
initiation(uint8_t pkt[148], uint8_t fill)
{
	memset(pkt, fill, 148);
	pkt[0] = 1;
	pkt[1] = pkt[2] = pkt[3] = 0;
}

ATF_TC_WITHOUT_HEAD(precedence);
ATF_TC_BODY(precedence, tc)
{
	struct ctl_status_hdr	 h;

	fixture_engine();
	hdr(&h);
	ATF_CHECK_EQ(h.lazy, 0);
	ATF_CHECK_EQ(h.lazy_src, LAZY_SRC_DEFAULT);
	ATF_CHECK_EQ(h.inactivity, TERN_INACTIVITY_DEFAULT);
	ATF_CHECK_EQ(h.inactivity_src, LAZY_SRC_DEFAULT);
	/* The server decides when nobody local does. */
	cm_server_features(1, 120);
	hdr(&h);
	ATF_CHECK_EQ(h.lazy, 1);
	ATF_CHECK_EQ(h.lazy_src, LAZY_SRC_SERVER);
	ATF_CHECK_EQ(h.inactivity, 120);
	ATF_CHECK_EQ(h.inactivity_src, LAZY_SRC_SERVER);
	/* A local choice wins, each setting on its own. */
	local(0, LAZY_SRC_CONFIG, 0, LAZY_SRC_DEFAULT);
	hdr(&h);
	ATF_CHECK_EQ(h.lazy, 0);
	ATF_CHECK_EQ(h.lazy_src, LAZY_SRC_CONFIG);
	ATF_CHECK_EQ(h.inactivity, 120);
	ATF_CHECK_EQ(h.inactivity_src, LAZY_SRC_SERVER);
	local(-1, LAZY_SRC_DEFAULT, 300, LAZY_SRC_ENV);
	hdr(&h);
	ATF_CHECK_EQ(h.lazy, 1);
	ATF_CHECK_EQ(h.lazy_src, LAZY_SRC_SERVER);
	ATF_CHECK_EQ(h.inactivity, 300);
	ATF_CHECK_EQ(h.inactivity_src, LAZY_SRC_ENV);
	/* A server that changes its mind is followed when nobody else spoke. */
	cm_server_features(0, 0);
	hdr(&h);
	ATF_CHECK_EQ(h.lazy, 0);
	ATF_CHECK_EQ(h.lazy_src, LAZY_SRC_SERVER);
	ATF_CHECK_EQ(h.inactivity, 300);
}

ATF_TC_WITHOUT_HEAD(idle_hold_wake_connect);
ATF_TC_BODY(idle_hold_wake_connect, tc)
{
	struct sockaddr_in6	 ra;
	struct peer		*b;
	uint8_t			 pkt[148], ka[32];

	fixture_engine();
	apply3(1);
	ATF_REQUIRE((b = fixture_find("b")) != NULL);
	ATF_CHECK_EQ(b->state, PEER_IDLE);
	ATF_CHECK(!b->active);
	ATF_CHECK(b->ice == NULL);
	ATF_CHECK(TAILQ_EMPTY(&engine->active));
	ATF_CHECK(pstat(b).idle_since > 0);
	ATF_CHECK_EQ(pstat(b).idle_in, -1);

	/* Any datagram wakes and is kept, an initiation on its own. */
	memset(ka, 0, sizeof(ka));
	ka[0] = 4;
	cm_hold(b, ka, sizeof(ka));
	ATF_CHECK_EQ(b->state, PEER_CONNECTING);
	ATF_CHECK_EQ(b->wake_reason, WAKE_LOCAL);
	ATF_CHECK(b->held == NULL);
	ATF_CHECK_EQ(b->held_data_len, sizeof(ka));
	initiation(pkt, 0xaa);
	cm_hold(b, pkt, sizeof(pkt));
	initiation(pkt, 0xbb);
	cm_hold(b, pkt, sizeof(pkt));
	ATF_REQUIRE(b->held != NULL);
	ATF_CHECK_EQ(b->held_len, 148);
	ATF_CHECK(memcmp(b->held, pkt, 148) == 0);
	ATF_CHECK(b->active);
	ATF_CHECK(pstat(b).idle_in > 0);
	ATF_CHECK_EQ(pstat(b).idle_since, 0);

	/* A path: Connected, and the held initiation is gone (sent). */
	memset(&ra, 0, sizeof(ra));
	ra.sin6_family = AF_INET6;
	ra.sin6_port = htons(51820);
	ra.sin6_addr.s6_addr[15] = 2;
	peer_path_up(b, &ra, 0);
	ATF_CHECK_EQ(b->state, PEER_CONNECTED);
	ATF_CHECK(b->held == NULL);
	ATF_CHECK(b->held_data == NULL);
	ATF_CHECK(peer_by_remote(&ra) == b);
	/* The others were not touched. */
	ATF_CHECK_EQ(fixture_find("c")->state, PEER_IDLE);
	free(nm.peers);
}

ATF_TC_WITHOUT_HEAD(inactivity);
ATF_TC_BODY(inactivity, tc)
{
	struct peer	*b, *c;
	time_t		 now = time(NULL);
	int		 i;

	fixture_engine();
	local(1, LAZY_SRC_FLAG, 60, LAZY_SRC_FLAG);
	apply3(0);
	b = fixture_find("b");
	c = fixture_find("c");
	cm_wake(b, WAKE_MANUAL);
	cm_wake(c, WAKE_MANUAL);
	ATF_CHECK_EQ(b->state, PEER_CONNECTING);
	ATF_CHECK_EQ(b->wake_reason, WAKE_MANUAL);
	/* Activity counts from the later of the wake and the last packet. */
	b->woken = now - 100;
	b->last_activity = now - 61;
	c->woken = now - 100;
	c->last_activity = now - 20;
	ATF_CHECK_EQ(pstat(b).idle_in, 0);
	ATF_CHECK(pstat(c).idle_in >= 39 && pstat(c).idle_in <= 40);
	/* The one periodic check runs within a second: wait up to 3 s. */
	for (i = 0; i < 60 && b->state != PEER_IDLE; i++) {
		event_loop(EVLOOP_ONCE | EVLOOP_NONBLOCK);
		usleep(50 * 1000);
	}
	ATF_CHECK_EQ(b->state, PEER_IDLE);
	ATF_CHECK(!b->active);
	ATF_CHECK(b->idle_since >= now);
	ATF_CHECK_EQ(b->wake_reason, WAKE_NONE);
	ATF_CHECK_EQ(c->state, PEER_CONNECTING);
	ATF_CHECK(c->active);
	free(nm.peers);
}

ATF_TC_WITHOUT_HEAD(remote_go_idle);
ATF_TC_BODY(remote_go_idle, tc)
{
	struct peer	*b, *c;

	fixture_engine();
	local(1, LAZY_SRC_CONFIG, 0, LAZY_SRC_DEFAULT);
	exclude("c");
	local(1, LAZY_SRC_CONFIG, 0, LAZY_SRC_DEFAULT);
	apply3(0);
	b = fixture_find("b");
	c = fixture_find("c");
	/* A remote's signal wakes without starting our own ICE session. */
	cm_wake(b, WAKE_REMOTE);
	ATF_CHECK_EQ(b->state, PEER_CONNECTING);
	ATF_CHECK_EQ(b->wake_reason, WAKE_REMOTE);
	cm_remote_idle(b);
	ATF_CHECK_EQ(b->state, PEER_IDLE);
	/* An excluded peer ignores the remote's go-idle. */
	ATF_CHECK_EQ(c->state, PEER_CONNECTING);
	ATF_CHECK_EQ(c->wake_reason, WAKE_PERMANENT);
	cm_remote_idle(c);
	ATF_CHECK_EQ(c->state, PEER_CONNECTING);
	free(nm.peers);
}

ATF_TC_WITHOUT_HEAD(permanent_peers);
ATF_TC_BODY(permanent_peers, tc)
{
	struct ctl_status_peer	 s;

	fixture_engine();
	local(1, LAZY_SRC_FLAG, 0, LAZY_SRC_DEFAULT);
	exclude("b");
	local(1, LAZY_SRC_FLAG, 0, LAZY_SRC_DEFAULT);
	fixture_netmap(&nm, 5);
	fixture_peer(&nm.peers[0], "b", 2, 1, 0);
	fixture_peer(&nm.peers[1], "c", 3, 1, 0);
	nm.peers[1].flags = SIGMSG_PEER_LAZY_EXEMPT;
	fixture_peer(&nm.peers[2], "d", 4, 1, 0);
	strlcpy(nm.peers[2].version, "0.0.9", sizeof(nm.peers[2].version));
	fixture_peer(&nm.peers[3], "e", 5, 1, 0);
	strlcpy(nm.peers[3].version, TERN_LAZY_MIN_VERSION,
	    sizeof(nm.peers[3].version));
	fixture_peer(&nm.peers[4], "f", 6, 1, 0);
	netmap_apply(&nm);
	s = pstat(fixture_find("b"));
	ATF_CHECK_EQ(s.perm_why, CM_PERM_EXCLUDED);
	ATF_CHECK_EQ(s.wake_reason, WAKE_PERMANENT);
	ATF_CHECK_EQ(s.idle_in, -1);
	ATF_CHECK_EQ(pstat(fixture_find("c")).perm_why, CM_PERM_EXEMPT);
	ATF_CHECK_EQ(pstat(fixture_find("d")).perm_why, CM_PERM_OLD);
	ATF_CHECK_EQ(fixture_find("d")->state, PEER_CONNECTING);
	/* A new enough peer, and one never seen online, may idle. */
	ATF_CHECK_EQ(fixture_find("e")->state, PEER_IDLE);
	ATF_CHECK_EQ(fixture_find("f")->state, PEER_IDLE);
	/* A new exclude list applies to the peers already there. */
	exclude("f");
	local(1, LAZY_SRC_FLAG, 0, LAZY_SRC_DEFAULT);
	ATF_CHECK_EQ(fixture_find("f")->state, PEER_CONNECTING);
	ATF_CHECK_EQ(pstat(fixture_find("b")).perm_why, 0);
	free(nm.peers);
}

ATF_TC_WITHOUT_HEAD(lazy_flip);
ATF_TC_BODY(lazy_flip, tc)
{
	struct peer	*p;

	fixture_engine();
	apply3(1);
	TAILQ_FOREACH(p, &engine->peers, entry)
		ATF_CHECK_EQ(p->state, PEER_IDLE);
	/* Off: every peer at once, kept. */
	cm_server_features(0, 0);
	TAILQ_FOREACH(p, &engine->peers, entry) {
		ATF_CHECK_EQ(p->state, PEER_CONNECTING);
		ATF_CHECK_EQ(p->wake_reason, WAKE_PERMANENT);
		ATF_CHECK_EQ(pstat(p).perm_why, CM_PERM_LAZY_OFF);
		ATF_CHECK_EQ(pstat(p).idle_in, -1);
	}
	/* On: they stay up but count down to idle. */
	cm_server_features(1, 0);
	TAILQ_FOREACH(p, &engine->peers, entry) {
		ATF_CHECK_EQ(p->state, PEER_CONNECTING);
		ATF_CHECK_EQ(pstat(p).perm_why, 0);
		ATF_CHECK(pstat(p).idle_in > 0);
	}
	free(nm.peers);
}

ATF_TC_WITHOUT_HEAD(ha_group_wakes_together);
ATF_TC_BODY(ha_group_wakes_together, tc)
{
	fixture_engine();
	fixture_netmap(&nm, 4);
	nm.lazy = 1;
	fixture_peer(&nm.peers[0], "b", 2, 1, 1);
	fixture_peer(&nm.peers[1], "c", 3, 1, 1);
	/* c routes b's prefix too, as an HA pair does. */
	nm.peers[1].allowed[0] = nm.peers[0].allowed[0];
	fixture_peer(&nm.peers[2], "d", 4, 1, 1);
	fixture_peer(&nm.peers[3], "e", 5, 1, 1);
	nm.peers[3].allowed[0] = nm.peers[0].allowed[0];
	strlcpy(nm.peers[0].groups[0], "db", SIGMSG_NAME_MAX);
	strlcpy(nm.peers[1].groups[0], "db", SIGMSG_NAME_MAX);
	strlcpy(nm.peers[2].groups[0], "db", SIGMSG_NAME_MAX);
	nm.peers[0].ngroups = nm.peers[1].ngroups = nm.peers[2].ngroups = 1;
	netmap_apply(&nm);
	cm_wake(fixture_find("b"), WAKE_LOCAL);
	ATF_CHECK_EQ(fixture_find("b")->wake_reason, WAKE_LOCAL);
	ATF_CHECK_EQ(fixture_find("c")->state, PEER_CONNECTING);
	ATF_CHECK_EQ(fixture_find("c")->wake_reason, WAKE_GROUP);
	/* Same group, other routes; same routes, no group: they sleep. */
	ATF_CHECK_EQ(fixture_find("d")->state, PEER_IDLE);
	ATF_CHECK_EQ(fixture_find("e")->state, PEER_IDLE);
	free(nm.peers);
}

ATF_TC_WITHOUT_HEAD(manual_wake);
ATF_TC_BODY(manual_wake, tc)
{
	char	 msg[CTL_MSG_MAX];

	fixture_engine();
	apply3(1);
	ATF_CHECK_EQ(cm_wake_name("c", msg, sizeof(msg)), 0);
	ATF_CHECK_STREQ(msg, "peer c woken");
	ATF_CHECK_EQ(fixture_find("c")->wake_reason, WAKE_MANUAL);
	ATF_CHECK_EQ(cm_wake_name("c", msg, sizeof(msg)), 0);
	ATF_CHECK_STREQ(msg, "peer c is already connecting");
	ATF_CHECK_EQ(cm_wake_name("zz", msg, sizeof(msg)), -1);
	ATF_CHECK_STREQ(msg, "no peer named zz");
	free(nm.peers);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, precedence);
	ATF_TP_ADD_TC(tp, idle_hold_wake_connect);
	ATF_TP_ADD_TC(tp, inactivity);
	ATF_TP_ADD_TC(tp, remote_go_idle);
	ATF_TP_ADD_TC(tp, permanent_peers);
	ATF_TP_ADD_TC(tp, lazy_flip);
	ATF_TP_ADD_TC(tp, ha_group_wakes_together);
	ATF_TP_ADD_TC(tp, manual_wake);
	return atf_no_error();
}
