/*
 * ctl: ternctl lock, the network lock's offline key.  An administrator
 * keeps the key off the servers; its signature over a host's keys and
 * prefixes goes into tern-signal.conf, and hosts whose ternd.conf
 * names the key accept no netmap peer without it.
 */
#include <err.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "addr.h"
#include "key.h"
#include "nmsign.h"
#include "ternctl.h"

static void	 lock_prefixes(const char *, int, struct tern_prefix *,
	    uint32_t *, uint32_t);

/* ternctl lock keygen file: writes the seed, prints the public key. */
int
lock_keygen(const char *path)
{
	uint8_t	 seed[KEY_LEN], pk[NMSIGN_PK_LEN], sk[NMSIGN_SK_LEN];
	char	 b64[KEY_B64LEN], errbuf[PATH_MAX + 128];

	if (access(path, F_OK) == 0)
		errx(1, "%s exists: refusing to overwrite it", path);
	key_generate(seed);
	nmsign_keypair(seed, pk, sk);
	if (key_write_file(path, seed, errbuf, sizeof(errbuf)) == -1)
		errx(1, "%s", errbuf);
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(sk, sizeof(sk));
	key_to_b64(pk, b64);
	printf("network-lock \"%s\"\n", b64);
	return 0;
}

/* A comma-separated list, as tern-signal.conf's address lines check it. */
static void
lock_prefixes(const char *list, int hosts, struct tern_prefix *out,
    uint32_t *n, uint32_t max)
{
	char		*copy, *s, *tok;
	const char	*errstr;
	struct tern_prefix p;

	if ((copy = strdup(list)) == NULL)
		err(1, NULL);
	for (s = copy; (tok = strsep(&s, ",")) != NULL; ) {
		if (*tok == '\0')
			errx(1, "\"%s\": empty entry", list);
		if (*n >= max)
			errx(1, "\"%s\": more than %u entries", list, max);
		if (prefix_parse(tok, &p, &errstr) == -1)
			errx(1, "%s: %s", tok, errstr);
		if (hosts && p.plen != (p.af == AF_INET ? 32 : 128))
			errx(1, "%s: an address is a host address", tok);
		if (!hosts && !prefix_is_network(&p))
			errx(1, "%s: host bits set", tok);
		out[(*n)++] = p;
	}
	free(copy);
}

/*
 * ternctl lock sign file node-key wg-key addresses [allowed-ips]: the
 * lock-signature line of the peer, its lists in tern-signal.conf's
 * order (addresses first, then allowed-ips, each as written).
 */
int
lock_sign(int argc, char *argv[])
{
	struct nm_entry	 e;
	uint8_t		 seed[KEY_LEN], pk[NMSIGN_PK_LEN], sk[NMSIGN_SK_LEN];
	char		 errbuf[PATH_MAX + 128], sig[NMSIGN_SIG_B64LEN];

	if (argc != 4 && argc != 5)
		return -1;
	memset(&e, 0, sizeof(e));
	if (key_from_b64(argv[1], e.node_key) == -1)
		errx(1, "node key %s: not base64 of %d bytes", argv[1],
		    KEY_LEN);
	if (key_from_b64(argv[2], e.wg_key) == -1)
		errx(1, "WireGuard key %s: not base64 of %d bytes", argv[2],
		    KEY_LEN);
	lock_prefixes(argv[3], 1, e.addrs, &e.naddrs, NMSIGN_ADDRS_MAX);
	if (argc == 5)
		lock_prefixes(argv[4], 0, e.allowed, &e.nallowed,
		    NMSIGN_ALLOWED_MAX);
	if (key_read_file(argv[0], seed, errbuf, sizeof(errbuf)) == -1)
		errx(1, "%s", errbuf);
	nmsign_keypair(seed, pk, sk);
	sodium_memzero(seed, sizeof(seed));
	nmsign_lock_sign(&e, sk, e.lock_sig);
	sodium_memzero(sk, sizeof(sk));
	nmsign_sig_to_b64(e.lock_sig, sig);
	printf("lock-signature \"%s\"\n", sig);
	return 0;
}
