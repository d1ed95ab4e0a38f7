/*
 * Signed network-map entries: what ternd's parent accepts from an
 * engine that sends what it likes (pnetmap_check), and the signatures
 * themselves (lib/nmsign.c).
 */
#include <sys/socket.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <atf-c.h>
#include <sodium.h>

#include "nmsign.h"
#include "parent.h"

#define T_NOW		1800000000	/* a fixed "now" */
#define T_SERIAL	1000

struct signer {
	uint8_t	 pk[NMSIGN_PK_LEN];
	uint8_t	 sk[NMSIGN_SK_LEN];
};

static struct signer	 server_key, other_key, lock_key;

static void
signer_new(struct signer *s)
{
	uint8_t	 seed[KEY_LEN];

	randombytes_buf(seed, sizeof(seed));
	nmsign_keypair(seed, s->pk, s->sk);
}

static void
setup(void)
{
	ATF_REQUIRE(sodium_init() != -1);
	signer_new(&server_key);
	signer_new(&other_key);
	signer_new(&lock_key);
}

static void
prefix(const char *s, struct tern_prefix *p)
{
	const char	*errstr;

	ATF_REQUIRE_MSG(prefix_parse(s, p, &errstr) == 0, "%s", s);
}

/* A config as a host would write it: accept 10.77/16, one static peer. */
static struct ternd_conf *
conf_make(int lock)
{
	struct ternd_conf	*c;
	struct peer_conf	*pc;

	ATF_REQUIRE((c = conf_new()) != NULL);
	c->has_signal = 1;
	memcpy(c->signal_key, server_key.pk, KEY_LEN);
	if (lock) {
		c->has_lock = 1;
		memcpy(c->lock_key, lock_key.pk, KEY_LEN);
	}
	prefix("10.77.0.0/16", &c->accept[c->naccept++]);
	ATF_REQUIRE((pc = calloc(1, sizeof(*pc))) != NULL);
	strlcpy(pc->name, "gateway", sizeof(pc->name));
	memset(pc->wgkey, 0x47, KEY_LEN);
	prefix("10.77.9.0/24", &pc->allowed[pc->nallowed++]);
	TAILQ_INSERT_TAIL(&c->peers, pc, entry);
	c->npeers = 1;
	return c;
}

/* Peer "b" as the server signs it: 10.77.0.2/32. */
static void
entry_make(struct imsg_wg_signed *ws, const struct signer *by,
    uint64_t serial, const char *addr)
{
	memset(ws, 0, sizeof(*ws));
	memset(ws->entry.node_key, 0xb0, KEY_LEN);
	memset(ws->entry.wg_key, 0xb1, KEY_LEN);
	prefix(addr, &ws->entry.addrs[ws->entry.naddrs++]);
	ws->entry.serial = serial;
	ws->entry.expires = T_NOW + 3600;
	nmsign_sign(&ws->entry, by->sk);
}

static void
check_refused(const struct ternd_conf *c, const struct imsg_wg_signed *ws,
    const char *why)
{
	char	 err[256];

	err[0] = '\0';
	ATF_CHECK_EQ(pnetmap_check(c, ws, T_NOW, err, sizeof(err)), -1);
	ATF_CHECK_MSG(strstr(err, why) != NULL, "\"%s\" lacks \"%s\"", err,
	    why);
}

ATF_TC_WITHOUT_HEAD(signed_ok);
ATF_TC_BODY(signed_ok, tc)
{
	struct ternd_conf	*c;
	struct imsg_wg_signed	 ws;
	struct imsg_wg_peer	 wp;
	char			 err[256];

	setup();
	c = conf_make(0);
	entry_make(&ws, &server_key, T_SERIAL, "10.77.0.2/32");
	ATF_CHECK_EQ(pnetmap_check(c, &ws, T_NOW, err, sizeof(err)), 0);
	ATF_REQUIRE_EQ(pnetmap_to_peer(&ws, &wp, err, sizeof(err)), 0);
	ATF_CHECK_EQ(wp.nallowed, 1);
	ATF_CHECK(memcmp(wp.wgkey, ws.entry.wg_key, KEY_LEN) == 0);
	conf_free(c);
}

/* The attack of the review: another key given a victim's prefix. */
ATF_TC_WITHOUT_HEAD(unsigned_or_forged);
ATF_TC_BODY(unsigned_or_forged, tc)
{
	struct ternd_conf	*c;
	struct imsg_wg_signed	 ws;

	setup();
	c = conf_make(0);
	entry_make(&ws, &server_key, T_SERIAL, "10.77.0.2/32");
	memset(ws.entry.sig, 0, sizeof(ws.entry.sig));
	check_refused(c, &ws, "not signed");
	/* Signed, then the WireGuard key swapped for the attacker's. */
	entry_make(&ws, &server_key, T_SERIAL, "10.77.0.2/32");
	memset(ws.entry.wg_key, 0xee, KEY_LEN);
	check_refused(c, &ws, "not signed");
	/* A prefix added after signing. */
	entry_make(&ws, &server_key, T_SERIAL, "10.77.0.2/32");
	prefix("10.77.0.3/32", &ws.entry.allowed[ws.entry.nallowed++]);
	check_refused(c, &ws, "not signed");
	/* The serial or expiry moved. */
	entry_make(&ws, &server_key, T_SERIAL, "10.77.0.2/32");
	ws.entry.expires += 86400;
	check_refused(c, &ws, "not signed");
	/* Signed by a server with another key. */
	entry_make(&ws, &other_key, T_SERIAL, "10.77.0.2/32");
	check_refused(c, &ws, "not signed");
	/* Counts beyond the arrays never reach the signature check. */
	entry_make(&ws, &server_key, T_SERIAL, "10.77.0.2/32");
	ws.entry.naddrs = 1000;
	check_refused(c, &ws, "not signed");
	conf_free(c);
}

ATF_TC_WITHOUT_HEAD(replay_and_expiry);
ATF_TC_BODY(replay_and_expiry, tc)
{
	struct ternd_conf	*c;
	struct imsg_wg_signed	 ws, old;
	uint8_t			 oldkey[KEY_LEN];
	char			 err[256];

	setup();
	c = conf_make(0);
	entry_make(&old, &server_key, T_SERIAL, "10.77.0.2/32");
	entry_make(&ws, &server_key, T_SERIAL + 1, "10.77.0.5/32");
	ATF_REQUIRE_EQ(pnetmap_check(c, &ws, T_NOW, err, sizeof(err)), 0);
	ATF_CHECK_EQ(pnetmap_applied(&ws.entry, oldkey), 0);
	/* The old assignment, validly signed once, comes back: no. */
	check_refused(c, &old, "older than");
	/* The same entry again is fine (a repeated push). */
	ATF_CHECK_EQ(pnetmap_check(c, &ws, T_NOW, err, sizeof(err)), 0);
	/* Expired: refused even though the signature holds. */
	entry_make(&ws, &server_key, T_SERIAL + 2, "10.77.0.5/32");
	ws.entry.expires = T_NOW - 10;
	nmsign_sign(&ws.entry, server_key.sk);
	check_refused(c, &ws, "expired");
	/* Signed long before the epoch: the age is exact, not wrapped. */
	ws.entry.expires = INT64_MIN;
	nmsign_sign(&ws.entry, server_key.sk);
	snprintf(err, sizeof(err), "signature expired %llu s ago",
	    (unsigned long long)T_NOW + (1ULL << 63));
	check_refused(c, &ws, err);
	conf_free(c);
}

/*
 * Another node's older entry that held a prefix since moved is refused
 * too; a node whose key changed has its old key named for removal.
 */
ATF_TC_WITHOUT_HEAD(replay_other_node);
ATF_TC_BODY(replay_other_node, tc)
{
	struct ternd_conf	*c;
	struct imsg_wg_signed	 a_old, b_new, rot;
	uint8_t			 oldkey[KEY_LEN], k[KEY_LEN];
	char			 err[256];

	setup();
	c = conf_make(0);
	/* Node a held .7 in map 100; map 200 moved it to node b. */
	entry_make(&a_old, &server_key, 100, "10.77.0.7/32");
	memset(a_old.entry.node_key, 0xa0, KEY_LEN);
	memset(a_old.entry.wg_key, 0xa1, KEY_LEN);
	nmsign_sign(&a_old.entry, server_key.sk);
	entry_make(&b_new, &server_key, 200, "10.77.0.7/32");
	memset(b_new.entry.node_key, 0xc0, KEY_LEN);
	memset(b_new.entry.wg_key, 0xc1, KEY_LEN);
	nmsign_sign(&b_new.entry, server_key.sk);
	ATF_REQUIRE_EQ(pnetmap_check(c, &b_new, T_NOW, err, sizeof(err)), 0);
	ATF_CHECK_EQ(pnetmap_applied(&b_new.entry, oldkey), 0);
	check_refused(c, &a_old, "serial 100 is older than 200");
	/* Node b's next map carries a new WireGuard key: the old one goes. */
	rot = b_new;
	rot.entry.serial = 300;
	memset(rot.entry.wg_key, 0xc2, KEY_LEN);
	nmsign_sign(&rot.entry, server_key.sk);
	ATF_REQUIRE_EQ(pnetmap_check(c, &rot, T_NOW, err, sizeof(err)), 0);
	ATF_CHECK_EQ(pnetmap_applied(&rot.entry, oldkey), 1);
	memset(k, 0xc1, KEY_LEN);
	ATF_CHECK(memcmp(oldkey, k, KEY_LEN) == 0);
	conf_free(c);
}

ATF_TC_WITHOUT_HEAD(static_pinned);
ATF_TC_BODY(static_pinned, tc)
{
	struct ternd_conf	*c;
	struct imsg_wg_signed	 ws;
	struct imsg_wg_peer	 wp;
	char			 err[256];

	setup();
	c = conf_make(0);
	/* Even the server cannot give a static peer's prefix away. */
	entry_make(&ws, &server_key, T_SERIAL, "10.77.9.5/32");
	check_refused(c, &ws, "overlaps static peer gateway");
	entry_make(&ws, &server_key, T_SERIAL, "10.77.0.0/16");
	check_refused(c, &ws, "overlaps static peer gateway");
	/* Nor take the static peer's key. */
	entry_make(&ws, &server_key, T_SERIAL, "10.77.0.2/32");
	memset(ws.entry.wg_key, 0x47, KEY_LEN);
	nmsign_sign(&ws.entry, server_key.sk);
	check_refused(c, &ws, "static peer gateway");

	/* The engine's plain peer message: only the static peer as is. */
	memset(&wp, 0, sizeof(wp));
	memset(wp.wgkey, 0x47, KEY_LEN);
	prefix("10.77.9.0/24", &wp.allowed[wp.nallowed++]);
	ATF_CHECK_EQ(pnetmap_static_check(c, &wp, err, sizeof(err)), 0);
	prefix("10.77.0.2/32", &wp.allowed[wp.nallowed++]);
	ATF_CHECK_EQ(pnetmap_static_check(c, &wp, err, sizeof(err)), -1);
	ATF_CHECK(strstr(err, "differ") != NULL);
	memset(wp.wgkey, 0xee, KEY_LEN);
	wp.nallowed = 1;
	ATF_CHECK_EQ(pnetmap_static_check(c, &wp, err, sizeof(err)), -1);
	ATF_CHECK(strstr(err, "not a static peer") != NULL);
	conf_free(c);
}

ATF_TC_WITHOUT_HEAD(network_lock);
ATF_TC_BODY(network_lock, tc)
{
	struct ternd_conf	*c;
	struct imsg_wg_signed	 ws;
	char			 err[256];

	setup();
	c = conf_make(1);
	/* Server-signed but not lock-signed: a compromised server's peer. */
	entry_make(&ws, &server_key, T_SERIAL, "10.77.0.2/32");
	check_refused(c, &ws, "no network-lock signature");
	/* Lock-signed for another prefix, then moved by the server. */
	nmsign_lock_sign(&ws.entry, lock_key.sk, ws.entry.lock_sig);
	ws.entry.has_lock = 1;
	ws.entry.addrs[0].a.v4.s_addr ^= htonl(1);
	nmsign_sign(&ws.entry, server_key.sk);
	check_refused(c, &ws, "does not verify");
	/* Lock-signed by the wrong key. */
	entry_make(&ws, &server_key, T_SERIAL, "10.77.0.2/32");
	nmsign_lock_sign(&ws.entry, other_key.sk, ws.entry.lock_sig);
	ws.entry.has_lock = 1;
	check_refused(c, &ws, "does not verify");
	/* Both: accepted.  The lock form leaves serial and expiry out. */
	nmsign_lock_sign(&ws.entry, lock_key.sk, ws.entry.lock_sig);
	ws.entry.serial++;
	nmsign_sign(&ws.entry, server_key.sk);
	ATF_CHECK_EQ(pnetmap_check(c, &ws, T_NOW, err, sizeof(err)), 0);
	conf_free(c);
}

/* The pinned key gives the Noise key the server's seed gives. */
ATF_TC_WITHOUT_HEAD(one_pinned_key);
ATF_TC_BODY(one_pinned_key, tc)
{
	uint8_t	 seed[KEY_LEN], pk[NMSIGN_PK_LEN], sk[NMSIGN_SK_LEN];
	uint8_t	 xpriv[KEY_LEN], xpub[KEY_LEN], xpin[KEY_LEN];

	setup();
	randombytes_buf(seed, sizeof(seed));
	nmsign_keypair(seed, pk, sk);
	ATF_REQUIRE_EQ(nmsign_noise_private(sk, xpriv), 0);
	key_public(xpriv, xpub);
	ATF_REQUIRE_EQ(nmsign_noise_public(pk, xpin), 0);
	ATF_CHECK(memcmp(xpub, xpin, KEY_LEN) == 0);
	/* A small-order point is no key. */
	memset(pk, 0, sizeof(pk));
	ATF_CHECK(!nmsign_pk_ok(pk));
	ATF_CHECK_EQ(nmsign_noise_public(pk, xpin), -1);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, signed_ok);
	ATF_TP_ADD_TC(tp, unsigned_or_forged);
	ATF_TP_ADD_TC(tp, replay_and_expiry);
	ATF_TP_ADD_TC(tp, replay_other_node);
	ATF_TP_ADD_TC(tp, static_pinned);
	ATF_TP_ADD_TC(tp, network_lock);
	ATF_TP_ADD_TC(tp, one_pinned_key);
	return atf_no_error();
}
