/*
 * Signed network-map entries: the bytes that are signed, signing and
 * verification.  Used by tern-signal's server (signs), ternd's parent
 * (verifies) and ternctl (signs for the network lock).  Pure functions
 * on fixed-size structs: no network input is parsed here.
 */
#include <string.h>

#include <sodium.h>

#include "nmsign.h"

/* Domain separation: an entry signature is never a lock signature. */
#define NMSIGN_CTX_ENTRY	"tern netmap entry v1"
#define NMSIGN_CTX_LOCK		"tern network lock v1"
#define NMSIGN_PREFIX_BYTES	18	/* family, length, 16 address bytes */
#define NMSIGN_BUF_MAX		(32 + 2 * KEY_LEN + 3 * 8 + 2 + \
	(NMSIGN_ADDRS_MAX + NMSIGN_ALLOWED_MAX) * NMSIGN_PREFIX_BYTES)

struct nmsign_buf {
	uint8_t		 b[NMSIGN_BUF_MAX];
	size_t		 len;
};

static void	 nmsign_put(struct nmsign_buf *, const void *, size_t);
static void	 nmsign_put_u64(struct nmsign_buf *, uint64_t);
static void	 nmsign_put_prefixes(struct nmsign_buf *,
	    const struct tern_prefix *, uint32_t);
static void	 nmsign_bytes(const struct nm_entry *, int,
	    struct nmsign_buf *);

static void
nmsign_put(struct nmsign_buf *nb, const void *p, size_t len)
{
	memcpy(nb->b + nb->len, p, len);
	nb->len += len;
}

static void
nmsign_put_u64(struct nmsign_buf *nb, uint64_t v)
{
	uint8_t	 b[8];
	int	 i;

	for (i = 7; i >= 0; i--, v >>= 8)
		b[i] = v & 0xff;
	nmsign_put(nb, b, sizeof(b));
}

static void
nmsign_put_prefixes(struct nmsign_buf *nb, const struct tern_prefix *p,
    uint32_t n)
{
	uint8_t		 b[NMSIGN_PREFIX_BYTES];
	uint32_t	 i;

	for (i = 0; i < n; i++) {
		memset(b, 0, sizeof(b));
		b[0] = p[i].af == AF_INET ? 4 : 6;
		b[1] = p[i].plen;
		if (p[i].af == AF_INET)
			memcpy(b + 2, &p[i].a.v4, sizeof(p[i].a.v4));
		else
			memcpy(b + 2, &p[i].a.v6, sizeof(p[i].a.v6));
		nmsign_put(nb, b, sizeof(b));
	}
}

/*
 * The signed bytes, fixed layout in network byte order.  The lock form
 * leaves out what changes with every map (serial, expiry, flags): an
 * administrator signs a host's keys and prefixes once, offline.
 */
static void
nmsign_bytes(const struct nm_entry *e, int lock, struct nmsign_buf *nb)
{
	uint8_t	 counts[2];

	nb->len = 0;
	if (lock)
		nmsign_put(nb, NMSIGN_CTX_LOCK, sizeof(NMSIGN_CTX_LOCK) - 1);
	else
		nmsign_put(nb, NMSIGN_CTX_ENTRY, sizeof(NMSIGN_CTX_ENTRY) - 1);
	nmsign_put(nb, e->node_key, KEY_LEN);
	nmsign_put(nb, e->wg_key, KEY_LEN);
	if (!lock) {
		nmsign_put_u64(nb, e->serial);
		nmsign_put_u64(nb, (uint64_t)e->expires);
		nmsign_put_u64(nb, e->flags);
	}
	counts[0] = e->naddrs;
	counts[1] = e->nallowed;
	nmsign_put(nb, counts, sizeof(counts));
	nmsign_put_prefixes(nb, e->addrs, e->naddrs);
	nmsign_put_prefixes(nb, e->allowed, e->nallowed);
}

/* Ed25519 key pair from a 32-byte seed, as the key file holds it. */
void
nmsign_keypair(const uint8_t seed[KEY_LEN], uint8_t pk[NMSIGN_PK_LEN],
    uint8_t sk[NMSIGN_SK_LEN])
{
	crypto_sign_seed_keypair(pk, sk, seed);
}

/*
 * One pinned key serves the Noise handshake and the signatures: the
 * X25519 key is the birational image of the Ed25519 one (RFC 7748 4.1),
 * so it follows from the pinned key and cannot be chosen apart from it.
 */
int
nmsign_noise_public(const uint8_t pk[NMSIGN_PK_LEN], uint8_t x[KEY_LEN])
{
	if (!nmsign_pk_ok(pk))
		return -1;
	return crypto_sign_ed25519_pk_to_curve25519(x, pk) == 0 ? 0 : -1;
}

int
nmsign_noise_private(const uint8_t sk[NMSIGN_SK_LEN], uint8_t x[KEY_LEN])
{
	return crypto_sign_ed25519_sk_to_curve25519(x, sk) == 0 ? 0 : -1;
}

/* A point of the main subgroup, not of small order: a usable key. */
int
nmsign_pk_ok(const uint8_t pk[NMSIGN_PK_LEN])
{
	return crypto_core_ed25519_is_valid_point(pk) == 1;
}

int
nmsign_entry_ok(const struct nm_entry *e)
{
	uint32_t	 i;

	if (e->naddrs > NMSIGN_ADDRS_MAX || e->nallowed > NMSIGN_ALLOWED_MAX)
		return 0;
	for (i = 0; i < e->naddrs + e->nallowed; i++) {
		const struct tern_prefix *p = i < e->naddrs ? &e->addrs[i] :
		    &e->allowed[i - e->naddrs];

		if ((p->af != AF_INET || p->plen > 32) &&
		    (p->af != AF_INET6 || p->plen > 128))
			return 0;
	}
	return 1;
}

void
nmsign_sign(struct nm_entry *e, const uint8_t sk[NMSIGN_SK_LEN])
{
	struct nmsign_buf	 nb;

	nmsign_bytes(e, 0, &nb);
	crypto_sign_detached(e->sig, NULL, nb.b, nb.len, sk);
}

int
nmsign_verify(const struct nm_entry *e, const uint8_t pk[NMSIGN_PK_LEN])
{
	struct nmsign_buf	 nb;

	if (!nmsign_entry_ok(e))
		return -1;
	nmsign_bytes(e, 0, &nb);
	return crypto_sign_verify_detached(e->sig, nb.b, nb.len, pk) == 0 ?
	    0 : -1;
}

void
nmsign_lock_sign(const struct nm_entry *e, const uint8_t sk[NMSIGN_SK_LEN],
    uint8_t sig[NMSIGN_SIG_LEN])
{
	struct nmsign_buf	 nb;

	nmsign_bytes(e, 1, &nb);
	crypto_sign_detached(sig, NULL, nb.b, nb.len, sk);
}

int
nmsign_lock_verify(const struct nm_entry *e, const uint8_t pk[NMSIGN_PK_LEN])
{
	struct nmsign_buf	 nb;

	if (!e->has_lock || !nmsign_entry_ok(e))
		return -1;
	nmsign_bytes(e, 1, &nb);
	return crypto_sign_verify_detached(e->lock_sig, nb.b, nb.len, pk) ==
	    0 ? 0 : -1;
}

int
nmsign_sig_from_b64(const char *s, uint8_t sig[NMSIGN_SIG_LEN])
{
	size_t	 len;

	if (strlen(s) != NMSIGN_SIG_B64LEN - 1 ||
	    sodium_base642bin(sig, NMSIGN_SIG_LEN, s, strlen(s), NULL, &len,
	    NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    len != NMSIGN_SIG_LEN)
		return -1;
	return 0;
}

void
nmsign_sig_to_b64(const uint8_t sig[NMSIGN_SIG_LEN],
    char out[NMSIGN_SIG_B64LEN])
{
	sodium_bin2base64(out, NMSIGN_SIG_B64LEN, sig, NMSIGN_SIG_LEN,
	    sodium_base64_VARIANT_ORIGINAL);
}
