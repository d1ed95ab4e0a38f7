/*
 * nmforge: writes the payload of an IMSG_WG_PEER_SIGNED message, as a
 * compromised engine could send it, for the attacker tests to inject
 * into a running engine with gdb.  Signed with any key file given (the
 * real server's, another one, or none), with any serial and expiry.
 *
 * usage: nmforge [-P] [-k keyfile] [-l lockkeyfile] [-s serial] [-e secs]
 *	  [-i peer-port index] -n node-key -w wg-key -a prefix [-a ...]
 * -P writes a plain IMSG_WG_PEER_SET payload instead: no entry at all.
 */
#include <sys/socket.h>
#include <err.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "nmsign.h"
#include "peerport.h"
#include "ternd.h"

#define NMFORGE_US_PER_S	1000000

static void
nmforge_key(const char *path, uint8_t sk[NMSIGN_SK_LEN])
{
	uint8_t	 seed[KEY_LEN], pk[NMSIGN_PK_LEN];
	char	 errbuf[PATH_MAX + 128];

	if (key_read_file(path, seed, errbuf, sizeof(errbuf)) == -1)
		errx(1, "%s", errbuf);
	nmsign_keypair(seed, pk, sk);
}

int
main(int argc, char *argv[])
{
	struct imsg_wg_signed	 ws;
	struct imsg_wg_peer	 wp;
	struct nm_entry		*e = &ws.entry;
	uint8_t			 sk[NMSIGN_SK_LEN];
	const char		*keyfile = NULL, *lockfile = NULL, *errstr;
	long long		 expires = 3600, idx = 200;
	int			 ch, plain = 0;

	if (sodium_init() == -1)
		errx(1, "sodium_init");
	memset(&ws, 0, sizeof(ws));
	/* Newer than any map tern-signal signed before this second. */
	e->serial = ((uint64_t)time(NULL) + 1) * NMFORGE_US_PER_S;
	while ((ch = getopt(argc, argv, "a:e:i:k:l:n:Ps:w:")) != -1) {
		switch (ch) {
		case 'a':
			if (e->naddrs >= NMSIGN_ADDRS_MAX ||
			    prefix_parse(optarg, &e->addrs[e->naddrs++],
			    &errstr) == -1)
				errx(1, "bad prefix %s", optarg);
			break;
		case 'e':
			expires = strtonum(optarg, -86400, 86400, &errstr);
			if (errstr != NULL)
				errx(1, "expiry %s: %s", optarg, errstr);
			break;
		case 'i':
			idx = strtonum(optarg, 0, PEERPORT_COUNT - 1, &errstr);
			if (errstr != NULL)
				errx(1, "index %s: %s", optarg, errstr);
			break;
		case 'k':
			keyfile = optarg;
			break;
		case 'P':
			plain = 1;
			break;
		case 'l':
			lockfile = optarg;
			break;
		case 'n':
			if (key_from_b64(optarg, e->node_key) == -1)
				errx(1, "bad node key %s", optarg);
			break;
		case 's':
			e->serial = strtonum(optarg, 1, LLONG_MAX, &errstr);
			if (errstr != NULL)
				errx(1, "serial %s: %s", optarg, errstr);
			break;
		case 'w':
			if (key_from_b64(optarg, e->wg_key) == -1)
				errx(1, "bad WireGuard key %s", optarg);
			break;
		default:
			errx(1, "usage: nmforge [-k keyfile] [-l lockkeyfile] "
			    "[-s serial] [-e secs] [-i index] -n node-key "
			    "-w wg-key -a prefix ...");
		}
	}
	e->expires = time(NULL) + expires;
	if (lockfile != NULL) {
		nmforge_key(lockfile, sk);
		nmsign_lock_sign(e, sk, e->lock_sig);
		e->has_lock = 1;
	}
	if (keyfile != NULL) {
		nmforge_key(keyfile, sk);
		nmsign_sign(e, sk);
	}
	if (peerport_addr(idx, TERND_PEERPORT_DEFAULT, &ws.endpoint) == -1)
		errx(1, "no peer port %lld", idx);
	if (plain) {
		memset(&wp, 0, sizeof(wp));
		memcpy(wp.wgkey, e->wg_key, KEY_LEN);
		memcpy(wp.allowed, e->addrs, e->naddrs * sizeof(e->addrs[0]));
		wp.nallowed = e->naddrs;
		wp.endpoint = ws.endpoint;
		if (fwrite(&wp, sizeof(wp), 1, stdout) != 1)
			err(1, "stdout");
	} else if (fwrite(&ws, sizeof(ws), 1, stdout) != 1)
		err(1, "stdout");
	return 0;
}
