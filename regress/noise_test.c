/*
 * Unit tests of lib/noise.c (Noise IK), lib/frame.c (transport frames)
 * and lib/seal.c (end-to-end sealed signal messages).
 */
#include <stdint.h>
#include <string.h>

#include <atf-c.h>
#include <sodium.h>

#include "frame.h"
#include "key.h"
#include "noise.h"
#include "seal.h"

#define MSG_MAX		256	/* room for any handshake message here */
#define HEX_MAX		512	/* longest hex string in the vector */
#define PROLOGUE	"tern test"
#define FRAMES		3	/* frames sent back to back */

/*
 * Noise_IK_25519_ChaChaPoly_BLAKE2b from the cacophony test vectors
 * (tests/vectors/cacophony.txt in the snow repository): keys, prologue,
 * the two handshake messages, the handshake hash and four transport
 * messages, alternating initiator and responder.
 */
static const char *kat_prologue = "4a6f686e2047616c74";
static const char *kat_init_static =
    "e61ef9919cde45dd5f82166404bd08e38bceb5dfdfded0a34c8df7ed542214d1";
static const char *kat_init_ephemeral =
    "893e28b9dc6ca8d611ab664754b8ceb7bac5117349a4439a6b0569da977c464a";
static const char *kat_resp_static_pub =
    "31e0303fd6418d2f8c0e78b91f22e8caed0fbe48656dcf4767e4834f701b8f62";
static const char *kat_resp_static =
    "4a3acbfdb163dec651dfa3194dece676d437029c62a408b4c5ea9114246e4893";
static const char *kat_resp_ephemeral =
    "bbdb4cdbd309f1a1f2e1456967fe288cadd6f712d65dc7b7793d5e63da6b375b";
static const char *kat_hash =
    "1c8fa891cb414fedba6daa7c6f4ae0a6d98e5f9768cc9cecd27e805614943ee9"
    "c8a1b27fbfb76dc197255c8aa69f6b4285c423840b8bedf45e652ca64f797d81";
static const struct {
	const char	*payload;
	const char	*ciphertext;
} kat_msgs[] = {
	{ "4c756477696720766f6e204d69736573",
	    "ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c7944"
	    "ba83a447b38c83e327ad936929812f624884847b7831e95e197b2f797088efdd"
	    "2f88f1db7e1fb0e99c64419097af91cee64e470f4b6fcd9298ce0b56fe20f86e"
	    "13bf70439c538e3602a7127af71a29cc" },
	{ "4d757272617920526f746862617264",
	    "95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f144808843"
	    "9f069b267a06b3de3ecb1043bcb098e9af91d9c64748d998c7b47890871571" },
	{ "462e20412e20486179656b",
	    "cd54383060e7a28434cca27fb1cc524cfbabeb18181589df219d07" },
	{ "4361726c204d656e676572",
	    "a856d3bf0246bfc476c655009cd1ed677b8dcc5b349ae8ef2a05f2" },
	{ "4a65616e2d426170746973746520536179",
	    "49063084b2c51f098337cb8a13739ac848f907e67cfb2cc8a8b60586467aa02f"
	    "c7" },
	{ "457567656e2042f6686d20766f6e2042617765726b",
	    "8b9709d23b47e4639df7678d7a21741eba4ef1e9c60383001c7435549c20f9d5"
	    "6f30e935d3" },
};

/* Two parties' static keys and the state of a handshake between them. */
struct pair {
	uint8_t		 i_priv[KEY_LEN], i_pub[KEY_LEN];
	uint8_t		 r_priv[KEY_LEN], r_pub[KEY_LEN];
	struct noise_hs	 ini, resp;
	uint8_t		 msg1[MSG_MAX], msg2[MSG_MAX];
	size_t		 len1, len2;
};

static size_t	 unhex(const char *, uint8_t *, size_t);
static void	 pair_init(struct pair *);
static void	 pair_msg1(struct pair *);
static void	 pair_run(struct pair *, struct noise_cs *, struct noise_cs *,
		    struct noise_cs *, struct noise_cs *);
static void	 sessions(struct noise_cs *, struct noise_cs *);
static int	 feed(struct frame_dec *, const uint8_t *, size_t, uint8_t *,
		    size_t *);

static size_t
unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t	 len;

	ATF_REQUIRE(strlen(hex) < HEX_MAX);
	ATF_REQUIRE(sodium_hex2bin(out, cap, hex, strlen(hex), NULL, &len,
	    NULL) == 0);
	return len;
}

static void
pair_init(struct pair *p)
{
	ATF_REQUIRE(sodium_init() != -1);
	memset(p, 0, sizeof(*p));
	key_generate(p->i_priv);
	key_public(p->i_priv, p->i_pub);
	key_generate(p->r_priv);
	key_public(p->r_priv, p->r_pub);
	noise_init_initiator(&p->ini, p->i_priv, p->r_pub,
	    (const uint8_t *)PROLOGUE, strlen(PROLOGUE));
	noise_init_responder(&p->resp, p->r_priv, (const uint8_t *)PROLOGUE,
	    strlen(PROLOGUE));
}

static void
pair_msg1(struct pair *p)
{
	ATF_REQUIRE(noise_write_msg(&p->ini, NULL, 0, p->msg1,
	    sizeof(p->msg1), &p->len1) == 0);
	ATF_REQUIRE_EQ(p->len1, NOISE_MSG1_OVERHEAD);
}

/* A whole handshake with empty payloads; returns both ends' ciphers. */
static void
pair_run(struct pair *p, struct noise_cs *isend, struct noise_cs *irecv,
    struct noise_cs *rsend, struct noise_cs *rrecv)
{
	uint8_t	 pl[MSG_MAX];
	size_t	 plen;

	pair_msg1(p);
	ATF_REQUIRE(noise_read_msg(&p->resp, p->msg1, p->len1, pl,
	    sizeof(pl), &plen) == 0);
	ATF_REQUIRE(noise_write_msg(&p->resp, NULL, 0, p->msg2,
	    sizeof(p->msg2), &p->len2) == 0);
	ATF_REQUIRE(noise_read_msg(&p->ini, p->msg2, p->len2, pl,
	    sizeof(pl), &plen) == 0);
	ATF_REQUIRE(noise_split(&p->ini, isend, irecv) == 0);
	ATF_REQUIRE(noise_split(&p->resp, rsend, rrecv) == 0);
}

/* One direction of a fresh session: the sender's and receiver's cipher. */
static void
sessions(struct noise_cs *send, struct noise_cs *recv)
{
	struct pair	 p;
	struct noise_cs	 back_send, back_recv;

	pair_init(&p);
	pair_run(&p, send, &back_recv, &back_send, recv);
	noise_hs_clear(&p.ini);
	noise_hs_clear(&p.resp);
}

/* Feeds all of buf; returns the decoder's last answer. */
static int
feed(struct frame_dec *dec, const uint8_t *buf, size_t len, uint8_t *pt,
    size_t *ptlen)
{
	int	 rv;

	do {
		rv = frame_dec_next(dec, &buf, &len, pt, FRAME_PAYLOAD_MAX,
		    ptlen);
	} while (rv == 1 && len > 0);
	return rv;
}

ATF_TC_WITHOUT_HEAD(handshake);
ATF_TC_BODY(handshake, tc)
{
	struct pair	 p;
	struct noise_cs	 isend, irecv, rsend, rrecv;
	uint8_t		 pl[MSG_MAX], ct[MSG_MAX], pt[MSG_MAX];
	const uint8_t	 hello[] = "hello", welcome[] = "welcome";
	size_t		 plen;

	pair_init(&p);
	ATF_CHECK(noise_remote_static(&p.resp) == NULL);
	ATF_CHECK(memcmp(noise_remote_static(&p.ini), p.r_pub, KEY_LEN) == 0);

	ATF_REQUIRE(noise_write_msg(&p.ini, hello, sizeof(hello), p.msg1,
	    sizeof(p.msg1), &p.len1) == 0);
	ATF_CHECK_EQ(p.len1, NOISE_MSG1_OVERHEAD + sizeof(hello));
	ATF_REQUIRE(noise_read_msg(&p.resp, p.msg1, p.len1, pl, sizeof(pl),
	    &plen) == 0);
	ATF_CHECK_EQ(plen, sizeof(hello));
	ATF_CHECK(memcmp(pl, hello, plen) == 0);
	/* The server learns who calls, to check against its config. */
	ATF_REQUIRE(noise_remote_static(&p.resp) != NULL);
	ATF_CHECK(memcmp(noise_remote_static(&p.resp), p.i_pub, KEY_LEN) == 0);
	ATF_CHECK(!noise_complete(&p.resp));

	ATF_REQUIRE(noise_write_msg(&p.resp, welcome, sizeof(welcome), p.msg2,
	    sizeof(p.msg2), &p.len2) == 0);
	ATF_CHECK_EQ(p.len2, NOISE_MSG2_OVERHEAD + sizeof(welcome));
	ATF_REQUIRE(noise_read_msg(&p.ini, p.msg2, p.len2, pl, sizeof(pl),
	    &plen) == 0);
	ATF_CHECK_EQ(plen, sizeof(welcome));
	ATF_CHECK(memcmp(pl, welcome, plen) == 0);
	ATF_CHECK(noise_complete(&p.ini));
	ATF_CHECK(noise_complete(&p.resp));
	ATF_CHECK(memcmp(noise_handshake_hash(&p.ini),
	    noise_handshake_hash(&p.resp), NOISE_HASH_LEN) == 0);

	ATF_REQUIRE(noise_split(&p.ini, &isend, &irecv) == 0);
	ATF_REQUIRE(noise_split(&p.resp, &rsend, &rrecv) == 0);
	/* Split once; the secrets are gone but the peer's key remains. */
	ATF_CHECK(noise_split(&p.ini, &isend, &irecv) == -1);
	ATF_CHECK(memcmp(noise_remote_static(&p.resp), p.i_pub, KEY_LEN) == 0);
	ATF_CHECK(sodium_is_zero(p.ini.s, KEY_LEN));
	ATF_CHECK(sodium_is_zero(p.resp.e, KEY_LEN));
	ATF_CHECK(memcmp(isend.k, irecv.k, NOISE_KEY_LEN) != 0);

	ATF_REQUIRE(noise_encrypt(&isend, NULL, 0, hello, sizeof(hello),
	    ct) == 0);
	ATF_REQUIRE(noise_decrypt(&rrecv, NULL, 0, ct,
	    sizeof(hello) + NOISE_TAG_LEN, pt) == 0);
	ATF_CHECK(memcmp(pt, hello, sizeof(hello)) == 0);
	ATF_REQUIRE(noise_encrypt(&rsend, hello, sizeof(hello), welcome,
	    sizeof(welcome), ct) == 0);
	ATF_CHECK(noise_decrypt(&irecv, NULL, 0, ct,
	    sizeof(welcome) + NOISE_TAG_LEN, pt) == -1);
	ATF_REQUIRE(noise_decrypt(&irecv, hello, sizeof(hello), ct,
	    sizeof(welcome) + NOISE_TAG_LEN, pt) == 0);
	ATF_CHECK(memcmp(pt, welcome, sizeof(welcome)) == 0);
	/* A key only works in its own direction. */
	ATF_REQUIRE(noise_encrypt(&isend, NULL, 0, hello, sizeof(hello),
	    ct) == 0);
	ATF_CHECK(noise_decrypt(&irecv, NULL, 0, ct,
	    sizeof(hello) + NOISE_TAG_LEN, pt) == -1);

	noise_cs_clear(&isend);
	ATF_CHECK(sodium_is_zero((uint8_t *)&isend, sizeof(isend)));
	/* A cleared cipher refuses instead of passing plaintext through. */
	ATF_CHECK(noise_encrypt(&isend, NULL, 0, hello, sizeof(hello),
	    ct) == -1);
	noise_hs_clear(&p.ini);
	ATF_CHECK(noise_remote_static(&p.ini) == NULL);
}

ATF_TC_WITHOUT_HEAD(known_answer);
ATF_TC_BODY(known_answer, tc)
{
	struct noise_hs	 ini, resp;
	struct noise_cs	 isend, irecv, rsend, rrecv, *enc, *dec;
	uint8_t		 prologue[MSG_MAX], is[KEY_LEN], ie[KEY_LEN];
	uint8_t		 rs[KEY_LEN], rs_pub[KEY_LEN], re[KEY_LEN];
	uint8_t		 hash[NOISE_HASH_LEN], pl[MSG_MAX], want[MSG_MAX];
	uint8_t		 out[MSG_MAX], back[MSG_MAX], is_pub[KEY_LEN];
	size_t		 prologue_len, pl_len, want_len, out_len, back_len, i;

	ATF_REQUIRE(sodium_init() != -1);
	prologue_len = unhex(kat_prologue, prologue, sizeof(prologue));
	unhex(kat_init_static, is, sizeof(is));
	unhex(kat_init_ephemeral, ie, sizeof(ie));
	unhex(kat_resp_static, rs, sizeof(rs));
	unhex(kat_resp_static_pub, rs_pub, sizeof(rs_pub));
	unhex(kat_resp_ephemeral, re, sizeof(re));
	unhex(kat_hash, hash, sizeof(hash));
	key_public(is, is_pub);

	noise_init_initiator(&ini, is, rs_pub, prologue, prologue_len);
	noise_set_ephemeral(&ini, ie);
	noise_init_responder(&resp, rs, prologue, prologue_len);
	noise_set_ephemeral(&resp, re);

	pl_len = unhex(kat_msgs[0].payload, pl, sizeof(pl));
	want_len = unhex(kat_msgs[0].ciphertext, want, sizeof(want));
	ATF_REQUIRE(noise_write_msg(&ini, pl, pl_len, out, sizeof(out),
	    &out_len) == 0);
	ATF_REQUIRE_EQ(out_len, want_len);
	ATF_CHECK(memcmp(out, want, want_len) == 0);
	ATF_REQUIRE(noise_read_msg(&resp, out, out_len, back, sizeof(back),
	    &back_len) == 0);
	ATF_REQUIRE_EQ(back_len, pl_len);
	ATF_CHECK(memcmp(back, pl, pl_len) == 0);
	ATF_CHECK(memcmp(noise_remote_static(&resp), is_pub, KEY_LEN) == 0);

	pl_len = unhex(kat_msgs[1].payload, pl, sizeof(pl));
	want_len = unhex(kat_msgs[1].ciphertext, want, sizeof(want));
	ATF_REQUIRE(noise_write_msg(&resp, pl, pl_len, out, sizeof(out),
	    &out_len) == 0);
	ATF_REQUIRE_EQ(out_len, want_len);
	ATF_CHECK(memcmp(out, want, want_len) == 0);
	ATF_REQUIRE(noise_read_msg(&ini, out, out_len, back, sizeof(back),
	    &back_len) == 0);
	ATF_REQUIRE_EQ(back_len, pl_len);
	ATF_CHECK(memcmp(back, pl, pl_len) == 0);

	ATF_CHECK(memcmp(noise_handshake_hash(&ini), hash, sizeof(hash)) == 0);
	ATF_CHECK(memcmp(noise_handshake_hash(&resp), hash, sizeof(hash)) == 0);
	ATF_REQUIRE(noise_split(&ini, &isend, &irecv) == 0);
	ATF_REQUIRE(noise_split(&resp, &rsend, &rrecv) == 0);

	for (i = 2; i < sizeof(kat_msgs) / sizeof(kat_msgs[0]); i++) {
		enc = i % 2 == 0 ? &isend : &rsend;
		dec = i % 2 == 0 ? &rrecv : &irecv;
		pl_len = unhex(kat_msgs[i].payload, pl, sizeof(pl));
		want_len = unhex(kat_msgs[i].ciphertext, want, sizeof(want));
		ATF_REQUIRE_EQ(want_len, pl_len + NOISE_TAG_LEN);
		ATF_REQUIRE(noise_encrypt(enc, NULL, 0, pl, pl_len, out) == 0);
		ATF_CHECK_MSG(memcmp(out, want, want_len) == 0, "message %zu",
		    i);
		ATF_REQUIRE(noise_decrypt(dec, NULL, 0, out, want_len,
		    back) == 0);
		ATF_CHECK(memcmp(back, pl, pl_len) == 0);
	}
}

/* Same keys and ephemerals give the same bytes: nothing else leaks in. */
ATF_TC_WITHOUT_HEAD(deterministic);
ATF_TC_BODY(deterministic, tc)
{
	struct pair	 p, q;
	uint8_t		 e[KEY_LEN];

	pair_init(&p);
	key_generate(e);
	q = p;
	noise_set_ephemeral(&p.ini, e);
	noise_set_ephemeral(&q.ini, e);
	pair_msg1(&p);
	pair_msg1(&q);
	ATF_CHECK(memcmp(p.msg1, q.msg1, p.len1) == 0);
	/* A fresh random ephemeral changes everything. */
	noise_init_initiator(&q.ini, q.i_priv, q.r_pub,
	    (const uint8_t *)PROLOGUE, strlen(PROLOGUE));
	pair_msg1(&q);
	ATF_CHECK(memcmp(p.msg1, q.msg1, NOISE_KEY_LEN) != 0);
}

/*
 * IK: an initiator that pinned the wrong server key encrypts its static
 * key under "es" with that key, so the real server fails on message 1.
 */
ATF_TC_WITHOUT_HEAD(wrong_server_key);
ATF_TC_BODY(wrong_server_key, tc)
{
	struct pair	 p;
	uint8_t		 other_priv[KEY_LEN], other_pub[KEY_LEN], pl[MSG_MAX];
	size_t		 plen;

	pair_init(&p);
	key_generate(other_priv);
	key_public(other_priv, other_pub);
	noise_init_initiator(&p.ini, p.i_priv, other_pub,
	    (const uint8_t *)PROLOGUE, strlen(PROLOGUE));
	pair_msg1(&p);
	ATF_CHECK(noise_read_msg(&p.resp, p.msg1, p.len1, pl, sizeof(pl),
	    &plen) == -1);
	ATF_CHECK(noise_remote_static(&p.resp) == NULL);
	/* Aborted for good: it writes no message 2. */
	ATF_CHECK(noise_write_msg(&p.resp, NULL, 0, p.msg2, sizeof(p.msg2),
	    &p.len2) == -1);
}

ATF_TC_WITHOUT_HEAD(wrong_prologue);
ATF_TC_BODY(wrong_prologue, tc)
{
	struct pair	 p;
	uint8_t		 pl[MSG_MAX];
	size_t		 plen;

	pair_init(&p);
	noise_init_responder(&p.resp, p.r_priv, (const uint8_t *)"other",
	    strlen("other"));
	pair_msg1(&p);
	ATF_CHECK(noise_read_msg(&p.resp, p.msg1, p.len1, pl, sizeof(pl),
	    &plen) == -1);
}

/* Every byte of message 1 is authenticated. */
ATF_TC_WITHOUT_HEAD(tampered_msg1);
ATF_TC_BODY(tampered_msg1, tc)
{
	struct pair	 p;
	uint8_t		 bad[MSG_MAX], pl[MSG_MAX];
	size_t		 plen, i;

	pair_init(&p);
	pair_msg1(&p);
	for (i = 0; i < p.len1; i++) {
		memcpy(bad, p.msg1, p.len1);
		bad[i] ^= 0x01;
		noise_init_responder(&p.resp, p.r_priv,
		    (const uint8_t *)PROLOGUE, strlen(PROLOGUE));
		ATF_CHECK_MSG(noise_read_msg(&p.resp, bad, p.len1, pl,
		    sizeof(pl), &plen) == -1, "byte %zu", i);
	}
	noise_init_responder(&p.resp, p.r_priv, (const uint8_t *)PROLOGUE,
	    strlen(PROLOGUE));
	ATF_CHECK(noise_read_msg(&p.resp, p.msg1, p.len1 - 1, pl, sizeof(pl),
	    &plen) == -1);
	noise_init_responder(&p.resp, p.r_priv, (const uint8_t *)PROLOGUE,
	    strlen(PROLOGUE));
	ATF_CHECK(noise_read_msg(&p.resp, p.msg1, p.len1, pl, sizeof(pl),
	    &plen) == 0);
}

/* Every byte of message 2 is authenticated. */
ATF_TC_WITHOUT_HEAD(tampered_msg2);
ATF_TC_BODY(tampered_msg2, tc)
{
	struct pair	 p;
	struct noise_hs	 saved;
	uint8_t		 bad[MSG_MAX], pl[MSG_MAX];
	size_t		 plen, i;

	pair_init(&p);
	pair_msg1(&p);
	saved = p.ini;
	ATF_REQUIRE(noise_read_msg(&p.resp, p.msg1, p.len1, pl, sizeof(pl),
	    &plen) == 0);
	ATF_REQUIRE(noise_write_msg(&p.resp, NULL, 0, p.msg2, sizeof(p.msg2),
	    &p.len2) == 0);
	for (i = 0; i < p.len2; i++) {
		memcpy(bad, p.msg2, p.len2);
		bad[i] ^= 0x80;
		p.ini = saved;
		ATF_CHECK_MSG(noise_read_msg(&p.ini, bad, p.len2, pl,
		    sizeof(pl), &plen) == -1, "byte %zu", i);
		ATF_CHECK(!noise_complete(&p.ini));
	}
	p.ini = saved;
	ATF_CHECK(noise_read_msg(&p.ini, p.msg2, p.len2 - 1, pl, sizeof(pl),
	    &plen) == -1);
	p.ini = saved;
	ATF_CHECK(noise_read_msg(&p.ini, p.msg2, p.len2, pl, sizeof(pl),
	    &plen) == 0);
	ATF_CHECK(noise_complete(&p.ini));
}

/* An all-zero ephemeral is a low-order point: DH gives zero, refused. */
ATF_TC_WITHOUT_HEAD(low_order_key);
ATF_TC_BODY(low_order_key, tc)
{
	struct pair	 p;
	uint8_t		 pl[MSG_MAX];
	size_t		 plen;

	pair_init(&p);
	pair_msg1(&p);
	memset(p.msg1, 0, NOISE_KEY_LEN);
	ATF_CHECK(noise_read_msg(&p.resp, p.msg1, p.len1, pl, sizeof(pl),
	    &plen) == -1);

	pair_init(&p);
	memset(p.r_pub, 0, KEY_LEN);
	noise_init_initiator(&p.ini, p.i_priv, p.r_pub,
	    (const uint8_t *)PROLOGUE, strlen(PROLOGUE));
	ATF_CHECK(noise_write_msg(&p.ini, NULL, 0, p.msg1, sizeof(p.msg1),
	    &p.len1) == -1);
}

/* Each side writes and reads only in its turn. */
ATF_TC_WITHOUT_HEAD(out_of_turn);
ATF_TC_BODY(out_of_turn, tc)
{
	struct pair	 p;
	struct noise_cs	 a, b;
	uint8_t		 pl[MSG_MAX];
	size_t		 plen;

	pair_init(&p);
	ATF_CHECK(noise_write_msg(&p.resp, NULL, 0, p.msg2, sizeof(p.msg2),
	    &p.len2) == -1);
	ATF_CHECK(noise_read_msg(&p.ini, p.msg2, NOISE_MSG2_OVERHEAD, pl,
	    sizeof(pl), &plen) == -1);
	ATF_CHECK(noise_split(&p.ini, &a, &b) == -1);
	ATF_CHECK(noise_handshake_hash(&p.ini) == NULL);

	pair_init(&p);
	/* Too small an output buffer is refused and changes nothing. */
	ATF_CHECK(noise_write_msg(&p.ini, NULL, 0, p.msg1,
	    NOISE_MSG1_OVERHEAD - 1, &p.len1) == -1);
	pair_msg1(&p);
	ATF_CHECK(noise_write_msg(&p.ini, NULL, 0, p.msg1, sizeof(p.msg1),
	    &p.len1) == -1);
	ATF_REQUIRE(noise_read_msg(&p.resp, p.msg1, p.len1, pl, sizeof(pl),
	    &plen) == 0);
	ATF_CHECK(noise_read_msg(&p.resp, p.msg1, p.len1, pl, sizeof(pl),
	    &plen) == -1);
}

/* The counter stops before 2^64-1, which the spec reserves. */
ATF_TC_WITHOUT_HEAD(nonce_limit);
ATF_TC_BODY(nonce_limit, tc)
{
	struct noise_cs	 send, recv;
	uint8_t		 ct[MSG_MAX], pt[MSG_MAX];
	const uint8_t	 msg[] = "last";

	sessions(&send, &recv);
	send.n = recv.n = UINT64_MAX - 1;
	ATF_REQUIRE(noise_encrypt(&send, NULL, 0, msg, sizeof(msg), ct) == 0);
	ATF_REQUIRE(noise_decrypt(&recv, NULL, 0, ct,
	    sizeof(msg) + NOISE_TAG_LEN, pt) == 0);
	ATF_CHECK_EQ(send.n, UINT64_MAX);
	ATF_CHECK(noise_encrypt(&send, NULL, 0, msg, sizeof(msg), ct) == -1);
	ATF_CHECK(noise_decrypt(&recv, NULL, 0, ct,
	    sizeof(msg) + NOISE_TAG_LEN, pt) == -1);
	ATF_CHECK_EQ(send.n, UINT64_MAX);
}

ATF_TC_WITHOUT_HEAD(frame_roundtrip);
ATF_TC_BODY(frame_roundtrip, tc)
{
	static struct frame_dec	 dec;
	static uint8_t		 wire[FRAMES * FRAME_MAX];
	static uint8_t		 pt[FRAME_PAYLOAD_MAX], big[FRAME_PAYLOAD_MAX];
	struct noise_cs		 send, recv;
	const uint8_t		*in;
	size_t			 len, off = 0, ptlen;

	sessions(&send, &recv);
	frame_dec_init(&dec, &recv);
	randombytes_buf(big, sizeof(big));
	ATF_REQUIRE(frame_encode(&send, (const uint8_t *)"{}", 2, wire,
	    sizeof(wire), &len) == 0);
	ATF_CHECK_EQ(len, 2 + FRAME_OVERHEAD);
	ATF_CHECK_EQ(wire[0], 0);
	ATF_CHECK_EQ(wire[1], 2 + NOISE_TAG_LEN);
	off += len;
	ATF_REQUIRE(frame_encode(&send, NULL, 0, wire + off,
	    sizeof(wire) - off, &len) == 0);
	off += len;
	ATF_REQUIRE(frame_encode(&send, big, sizeof(big), wire + off,
	    sizeof(wire) - off, &len) == 0);
	ATF_CHECK_EQ(len, FRAME_MAX);
	off += len;
	ATF_CHECK(frame_encode(&send, big, sizeof(big) + 1, wire,
	    sizeof(wire), &len) == -1);
	ATF_CHECK(frame_encode(&send, big, 1, wire, FRAME_OVERHEAD, &len) ==
	    -1);

	/* Three frames in one read come out one at a time. */
	in = wire;
	len = off;
	ATF_REQUIRE(frame_dec_next(&dec, &in, &len, pt, sizeof(pt),
	    &ptlen) == 1);
	ATF_CHECK_EQ(ptlen, 2);
	ATF_CHECK(memcmp(pt, "{}", 2) == 0);
	ATF_REQUIRE(frame_dec_next(&dec, &in, &len, pt, sizeof(pt),
	    &ptlen) == 1);
	ATF_CHECK_EQ(ptlen, 0);
	ATF_REQUIRE(frame_dec_next(&dec, &in, &len, pt, sizeof(pt),
	    &ptlen) == 1);
	ATF_CHECK_EQ(ptlen, sizeof(big));
	ATF_CHECK(memcmp(pt, big, sizeof(big)) == 0);
	ATF_CHECK_EQ(len, 0);
	ATF_CHECK(frame_dec_next(&dec, &in, &len, pt, sizeof(pt),
	    &ptlen) == 0);
}

ATF_TC_WITHOUT_HEAD(frame_byte_at_a_time);
ATF_TC_BODY(frame_byte_at_a_time, tc)
{
	static struct frame_dec	 dec;
	static uint8_t		 pt[FRAME_PAYLOAD_MAX];
	struct noise_cs		 send, recv;
	uint8_t			 wire[FRAMES * MSG_MAX];
	const uint8_t		 msg[] = "{\"type\":\"ping\"}";
	const uint8_t		*in;
	size_t			 len, off = 0, ptlen, i, one, got = 0;
	int			 rv;

	sessions(&send, &recv);
	frame_dec_init(&dec, &recv);
	for (i = 0; i < FRAMES; i++) {
		ATF_REQUIRE(frame_encode(&send, msg, sizeof(msg), wire + off,
		    sizeof(wire) - off, &len) == 0);
		off += len;
	}
	for (i = 0; i < off; i++) {
		in = wire + i;
		one = 1;
		rv = frame_dec_next(&dec, &in, &one, pt, sizeof(pt), &ptlen);
		ATF_REQUIRE(rv != -1);
		ATF_CHECK_EQ(one, 0);
		if (rv == 1) {
			ATF_CHECK_EQ(ptlen, sizeof(msg));
			ATF_CHECK(memcmp(pt, msg, sizeof(msg)) == 0);
			got++;
		}
	}
	ATF_CHECK_EQ(got, FRAMES);
}

/* Any flipped bit fails, and the stream stays failed. */
ATF_TC_WITHOUT_HEAD(frame_tampered);
ATF_TC_BODY(frame_tampered, tc)
{
	static struct frame_dec	 dec;
	static uint8_t		 pt[FRAME_PAYLOAD_MAX];
	struct noise_cs		 send, recv, saved;
	uint8_t			 wire[MSG_MAX], bad[MSG_MAX], next[MSG_MAX];
	size_t			 len, nlen, ptlen, i;

	sessions(&send, &recv);
	saved = recv;
	ATF_REQUIRE(frame_encode(&send, (const uint8_t *)"hello", 5, wire,
	    sizeof(wire), &len) == 0);
	ATF_REQUIRE(frame_encode(&send, (const uint8_t *)"world", 5, next,
	    sizeof(next), &nlen) == 0);
	for (i = FRAME_HDR_LEN; i < len; i++) {
		memcpy(bad, wire, len);
		bad[i] ^= 0x04;
		recv = saved;
		frame_dec_init(&dec, &recv);
		ATF_CHECK_MSG(feed(&dec, bad, len, pt, &ptlen) == -1,
		    "byte %zu", i);
		ATF_CHECK(feed(&dec, wire, len, pt, &ptlen) == -1);
	}
	recv = saved;
	frame_dec_init(&dec, &recv);
	ATF_CHECK(feed(&dec, wire, len, pt, &ptlen) == 1);
	ATF_CHECK(feed(&dec, next, nlen, pt, &ptlen) == 1);
	ATF_CHECK(memcmp(pt, "world", 5) == 0);
}

/* The nonce is implicit: a frame seen twice or early fails. */
ATF_TC_WITHOUT_HEAD(frame_replay_reorder);
ATF_TC_BODY(frame_replay_reorder, tc)
{
	static struct frame_dec	 dec;
	static uint8_t		 pt[FRAME_PAYLOAD_MAX];
	struct noise_cs		 send, recv, saved;
	uint8_t			 a[MSG_MAX], b[MSG_MAX];
	size_t			 alen, blen, ptlen;

	sessions(&send, &recv);
	saved = recv;
	ATF_REQUIRE(frame_encode(&send, (const uint8_t *)"first", 5, a,
	    sizeof(a), &alen) == 0);
	ATF_REQUIRE(frame_encode(&send, (const uint8_t *)"second", 6, b,
	    sizeof(b), &blen) == 0);

	frame_dec_init(&dec, &recv);
	ATF_REQUIRE(feed(&dec, a, alen, pt, &ptlen) == 1);
	ATF_CHECK(feed(&dec, a, alen, pt, &ptlen) == -1);

	/* Reordered, or the first one dropped: the second fails. */
	recv = saved;
	frame_dec_init(&dec, &recv);
	ATF_CHECK(feed(&dec, b, blen, pt, &ptlen) == -1);
	ATF_CHECK(feed(&dec, a, alen, pt, &ptlen) == -1);

	recv = saved;
	frame_dec_init(&dec, &recv);
	ATF_REQUIRE(feed(&dec, a, alen, pt, &ptlen) == 1);
	ATF_REQUIRE(feed(&dec, b, blen, pt, &ptlen) == 1);
	ATF_CHECK(memcmp(pt, "second", 6) == 0);
}

ATF_TC_WITHOUT_HEAD(frame_truncated);
ATF_TC_BODY(frame_truncated, tc)
{
	static struct frame_dec	 dec;
	static uint8_t		 pt[FRAME_PAYLOAD_MAX];
	struct noise_cs		 send, recv, saved;
	uint8_t			 wire[MSG_MAX], bad[MSG_MAX];
	size_t			 len, ptlen;

	sessions(&send, &recv);
	saved = recv;
	ATF_REQUIRE(frame_encode(&send, (const uint8_t *)"hello", 5, wire,
	    sizeof(wire), &len) == 0);

	/* A cut frame is held back until its last byte comes. */
	frame_dec_init(&dec, &recv);
	ATF_CHECK(feed(&dec, wire, len - 1, pt, &ptlen) == 0);
	ATF_CHECK(feed(&dec, wire + len - 1, 1, pt, &ptlen) == 1);
	ATF_CHECK(memcmp(pt, "hello", 5) == 0);

	/* A length that cuts the ciphertext short fails to decrypt. */
	memcpy(bad, wire, len);
	bad[1]--;
	recv = saved;
	frame_dec_init(&dec, &recv);
	ATF_CHECK(feed(&dec, bad, len - 1, pt, &ptlen) == -1);

	/* Shorter than a tag cannot be a frame. */
	bad[0] = 0;
	bad[1] = NOISE_TAG_LEN - 1;
	recv = saved;
	frame_dec_init(&dec, &recv);
	ATF_CHECK(feed(&dec, bad, FRAME_HDR_LEN, pt, &ptlen) == -1);
}

/* A length over the limit fails on the header, before any body is kept. */
ATF_TC_WITHOUT_HEAD(frame_oversized);
ATF_TC_BODY(frame_oversized, tc)
{
	static struct frame_dec	 dec;
	static uint8_t		 pt[FRAME_PAYLOAD_MAX];
	static uint8_t		 wire[2 * FRAME_MAX];
	struct noise_cs		 send, recv;
	const uint8_t		*in;
	size_t			 len, ptlen;

	sessions(&send, &recv);
	frame_dec_init(&dec, &recv);
	wire[0] = (FRAME_CT_MAX + 1) >> 8;
	wire[1] = (FRAME_CT_MAX + 1) & 0xff;
	in = wire;
	len = sizeof(wire);
	ATF_CHECK(frame_dec_next(&dec, &in, &len, pt, sizeof(pt),
	    &ptlen) == -1);
	ATF_CHECK_EQ(len, sizeof(wire) - FRAME_HDR_LEN);
	ATF_CHECK_EQ(dec.len, FRAME_HDR_LEN);

	frame_dec_init(&dec, &recv);
	wire[0] = wire[1] = 0xff;
	in = wire;
	len = sizeof(wire);
	ATF_CHECK(frame_dec_next(&dec, &in, &len, pt, sizeof(pt),
	    &ptlen) == -1);
	ATF_CHECK_EQ(len, sizeof(wire) - FRAME_HDR_LEN);
}

ATF_TC_WITHOUT_HEAD(seal);
ATF_TC_BODY(seal, tc)
{
	uint8_t		 a_priv[KEY_LEN], a_pub[KEY_LEN];
	uint8_t		 b_priv[KEY_LEN], b_pub[KEY_LEN];
	uint8_t		 c_priv[KEY_LEN], c_pub[KEY_LEN];
	uint8_t		 box[MSG_MAX], box2[MSG_MAX], out[MSG_MAX];
	const uint8_t	 msg[] = "{\"kind\":\"offer\",\"ufrag\":\"x\"}";
	size_t		 len, len2, outlen, i;

	ATF_REQUIRE(sodium_init() != -1);
	key_generate(a_priv);
	key_public(a_priv, a_pub);
	key_generate(b_priv);
	key_public(b_priv, b_pub);
	key_generate(c_priv);
	key_public(c_priv, c_pub);

	ATF_REQUIRE(seal_box(msg, sizeof(msg), b_pub, a_priv, box,
	    sizeof(box), &len) == 0);
	ATF_CHECK_EQ(len, sizeof(msg) + SEAL_OVERHEAD);
	ATF_REQUIRE(seal_open(box, len, a_pub, b_priv, out, sizeof(out),
	    &outlen) == 0);
	ATF_CHECK_EQ(outlen, sizeof(msg));
	ATF_CHECK(memcmp(out, msg, sizeof(msg)) == 0);
	/* A random nonce each time. */
	ATF_REQUIRE(seal_box(msg, sizeof(msg), b_pub, a_priv, box2,
	    sizeof(box2), &len2) == 0);
	ATF_CHECK(memcmp(box, box2, SEAL_NONCE_LEN) != 0);
	ATF_REQUIRE(seal_box(NULL, 0, b_pub, a_priv, box2, SEAL_OVERHEAD,
	    &len2) == 0);
	ATF_REQUIRE(seal_open(box2, len2, a_pub, b_priv, out, 0,
	    &outlen) == 0);
	ATF_CHECK_EQ(outlen, 0);
	ATF_CHECK(seal_box(msg, sizeof(msg), b_pub, a_priv, box2,
	    sizeof(msg) + SEAL_OVERHEAD - 1, &len2) == -1);
	ATF_CHECK(seal_open(box, len, a_pub, b_priv, out, sizeof(msg) - 1,
	    &outlen) == -1);

	/* Wrong keys: a third node, or the claimed sender is not a. */
	ATF_CHECK(seal_open(box, len, a_pub, c_priv, out, sizeof(out),
	    &outlen) == -1);
	ATF_CHECK(seal_open(box, len, c_pub, b_priv, out, sizeof(out),
	    &outlen) == -1);

	for (i = 0; i < len; i++) {
		box[i] ^= 0x10;
		ATF_CHECK_MSG(seal_open(box, len, a_pub, b_priv, out,
		    sizeof(out), &outlen) == -1, "byte %zu", i);
		box[i] ^= 0x10;
	}
	for (i = 0; i < SEAL_OVERHEAD; i++)
		ATF_CHECK(seal_open(box, i, a_pub, b_priv, out, sizeof(out),
		    &outlen) == -1);
	ATF_CHECK(seal_open(box, len - 1, a_pub, b_priv, out, sizeof(out),
	    &outlen) == -1);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, handshake);
	ATF_TP_ADD_TC(tp, known_answer);
	ATF_TP_ADD_TC(tp, deterministic);
	ATF_TP_ADD_TC(tp, wrong_server_key);
	ATF_TP_ADD_TC(tp, wrong_prologue);
	ATF_TP_ADD_TC(tp, tampered_msg1);
	ATF_TP_ADD_TC(tp, tampered_msg2);
	ATF_TP_ADD_TC(tp, low_order_key);
	ATF_TP_ADD_TC(tp, out_of_turn);
	ATF_TP_ADD_TC(tp, nonce_limit);
	ATF_TP_ADD_TC(tp, frame_roundtrip);
	ATF_TP_ADD_TC(tp, frame_byte_at_a_time);
	ATF_TP_ADD_TC(tp, frame_tampered);
	ATF_TP_ADD_TC(tp, frame_replay_reorder);
	ATF_TP_ADD_TC(tp, frame_truncated);
	ATF_TP_ADD_TC(tp, frame_oversized);
	ATF_TP_ADD_TC(tp, seal);
	return atf_no_error();
}
