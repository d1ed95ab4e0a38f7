/*
 * Signed network-map entries.  tern-signal signs each peer entry it
 * hands out with an Ed25519 key; ternd's parent configures WireGuard
 * only from entries whose signature it verifies with the pinned key,
 * and, with a network lock, that also carry an administrator's
 * signature over the peer's keys and prefixes.
 */
#ifndef TERN_NMSIGN_H
#define TERN_NMSIGN_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "key.h"

#define NMSIGN_PK_LEN		32	/* Ed25519 public key */
#define NMSIGN_SK_LEN		64	/* Ed25519 secret key (seed, public) */
#define NMSIGN_SIG_LEN		64	/* Ed25519 signature */
#define NMSIGN_SIG_B64LEN	89	/* 88 base64 characters and NUL */
#define NMSIGN_ADDRS_MAX	8	/* equals SIGMSG_ADDRS_MAX */
#define NMSIGN_ALLOWED_MAX	32	/* equals SIGMSG_ALLOWED_MAX */

/* A peer entry as signed; fixed size, so it travels in one imsg. */
struct nm_entry {
	uint8_t			 node_key[KEY_LEN];
	uint8_t			 wg_key[KEY_LEN];
	struct tern_prefix	 addrs[NMSIGN_ADDRS_MAX];
	uint32_t		 naddrs;
	struct tern_prefix	 allowed[NMSIGN_ALLOWED_MAX];
	uint32_t		 nallowed;
	uint32_t		 flags;		/* SIGMSG_PEER_* */
	uint32_t		 has_lock;	/* lock_sig is set */
	uint64_t		 serial;	/* map version, grows */
	int64_t			 expires;	/* unix seconds */
	uint8_t			 sig[NMSIGN_SIG_LEN];
	uint8_t			 lock_sig[NMSIGN_SIG_LEN];
};

void	 nmsign_keypair(const uint8_t [KEY_LEN], uint8_t [NMSIGN_PK_LEN],
	    uint8_t [NMSIGN_SK_LEN]);
int	 nmsign_noise_public(const uint8_t [NMSIGN_PK_LEN], uint8_t [KEY_LEN]);
int	 nmsign_noise_private(const uint8_t [NMSIGN_SK_LEN],
	    uint8_t [KEY_LEN]);
int	 nmsign_pk_ok(const uint8_t [NMSIGN_PK_LEN]);
int	 nmsign_entry_ok(const struct nm_entry *);
void	 nmsign_sign(struct nm_entry *, const uint8_t [NMSIGN_SK_LEN]);
int	 nmsign_verify(const struct nm_entry *,
	    const uint8_t [NMSIGN_PK_LEN]);
void	 nmsign_lock_sign(const struct nm_entry *,
	    const uint8_t [NMSIGN_SK_LEN], uint8_t [NMSIGN_SIG_LEN]);
int	 nmsign_lock_verify(const struct nm_entry *,
	    const uint8_t [NMSIGN_PK_LEN]);
int	 nmsign_sig_from_b64(const char *, uint8_t [NMSIGN_SIG_LEN]);
void	 nmsign_sig_to_b64(const uint8_t [NMSIGN_SIG_LEN],
	    char [NMSIGN_SIG_B64LEN]);

#endif
