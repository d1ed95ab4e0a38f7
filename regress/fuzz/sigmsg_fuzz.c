/*
 * libFuzzer target: tern-signal JSON messages (lib/sigmsg.c), and a
 * netmap's peers as the signed entries the engine passes to ternd's
 * parent (lib/nmsign.c: the entry check and both verifications).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nmsign.h"
#include "sigmsg.h"

#define FUZZ_ERRLEN	256

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	 fuzz_entry(const struct sigmsg_peer *);

/*
 * Whatever parses is a well-formed entry, and no key of ours signed
 * it: verification must fail, not crash.  The key is a valid point.
 */
static void
fuzz_entry(const struct sigmsg_peer *p)
{
	static uint8_t	 pk[NMSIGN_PK_LEN], sk[NMSIGN_SK_LEN];
	uint8_t		 seed[KEY_LEN];
	struct nm_entry	 e;

	if (!nmsign_pk_ok(pk)) {
		memset(seed, 1, sizeof(seed));
		nmsign_keypair(seed, pk, sk);
	}
	sigmsg_peer_entry(p, &e);
	if (!nmsign_entry_ok(&e) || nmsign_verify(&e, pk) == 0 ||
	    nmsign_lock_verify(&e, pk) == 0)
		abort();
}

/*
 * Whatever parses must encode, and what we encode must parse back to the
 * same text: the server and the agent share this code.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sigmsg	 m, back;
	char		 err[FUZZ_ERRLEN], *text, *again;
	size_t		 len, len2, i;

	if (sigmsg_parse((const char *)data, size, &m, err, sizeof(err)) == -1)
		return 0;
	if (m.type == SIGMSG_NETMAP) {
		fuzz_entry(&m.u.netmap.self);
		for (i = 0; i < m.u.netmap.npeers; i++)
			fuzz_entry(&m.u.netmap.peers[i]);
	}
	if ((text = sigmsg_encode(&m, &len)) == NULL)
		abort();
	if (sigmsg_parse(text, len, &back, err, sizeof(err)) == -1)
		abort();
	if ((again = sigmsg_encode(&back, &len2)) == NULL ||
	    len != len2 || memcmp(text, again, len) != 0)
		abort();
	free(again);
	free(text);
	sigmsg_free(&back);
	sigmsg_free(&m);
	return 0;
}
