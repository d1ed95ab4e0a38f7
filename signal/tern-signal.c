/*
 * parent (and, with -S, server): tern-signal's entry point.  The parent
 * parses the command line and the config; "-S" is how it re-executes
 * itself as the server process.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <sodium.h>

#include "log.h"
#include "proc.h"
#include "server.h"
#include "sparent.h"

static __attribute__((noreturn)) void usage(void);
static __attribute__((noreturn)) void pubkey(const struct signal_conf *);

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: %s [-dknv] [-c chroot] [-f file] [-u user]\n"
	    "       %s -G keyfile\n", getprogname(), getprogname());
	exit(1);
}

/*
 * The key agents pin: the Ed25519 public key of the file's seed, which
 * checks the server's signatures and gives its Noise key (nmsign.c).
 */
static void
signal_public(const uint8_t seed[KEY_LEN], uint8_t pub[KEY_LEN])
{
	uint8_t	 sk[NMSIGN_SK_LEN];

	nmsign_keypair(seed, pub, sk);
	sodium_memzero(sk, sizeof(sk));
}

/* -k: the public key agents pin in ternd.conf. */
static __attribute__((noreturn)) void
pubkey(const struct signal_conf *conf)
{
	uint8_t	 priv[KEY_LEN], pub[KEY_LEN];
	char	 b64[KEY_B64LEN];

	if (sparent_read_key(conf, priv) == -1)
		exit(1);
	signal_public(priv, pub);
	sodium_memzero(priv, sizeof(priv));
	key_to_b64(pub, b64);
	printf("%s\n", b64);
	exit(0);
}

int
main(int argc, char *argv[])
{
	struct super_opts	 o;
	struct signal_conf	*conf;
	int			 ch, showkey = 0;

	memset(&o, 0, sizeof(o));
	o.conffile = SIGNAL_CONF;
	o.chrootdir = SIGNAL_CHROOT;
	o.user = SIGNAL_USER;
	proc_title_init(argc, argv, environ);

	while ((ch = getopt(argc, argv, "c:df:G:knSu:v")) != -1) {
		switch (ch) {
		case 'k':
			showkey = 1;
			break;
		default:
			if (super_option(&o, ch, optarg) == -1)
				usage();
		}
	}
	if (optind != argc)
		usage();
	if (o.server)
		server_main(o.chrootdir, o.user, o.debug, o.verbose);

	/* Errors before daemonizing go to stderr. */
	log_init(1, o.verbose, LOG_DAEMON);
	log_procinit(getprogname());
	if (o.genkey != NULL)
		super_genkey(o.genkey, signal_public);
	if ((conf = signal_parse_config(o.conffile)) == NULL) {
		fprintf(stderr, "%s: configuration failed\n", getprogname());
		exit(1);
	}
	if (o.noaction) {
		signal_print_config(stdout, conf);
		fflush(stdout);
		fprintf(stderr, "configuration OK\n");
		signal_conf_free(conf);
		exit(0);
	}
	if (showkey)
		pubkey(conf);
	sparent_main(&o, conf, argv);
}
