/*
 * parent (and, with -S, server): tern-relay's entry point.  The parent
 * parses the command line and the config; "-S" is how it re-executes
 * itself as the server process.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "log.h"
#include "proc.h"
#include "relay/rcontrol.h"
#include "relay/relay.h"
#include "relay/rparent.h"
#include "super.h"

static __attribute__((noreturn)) void usage(void);

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: %s [-dnv] [-c chroot] [-f file] [-u user]\n"
	    "       %s -G keyfile\n"
	    "       %s -s [-f file]\n", getprogname(), getprogname(),
	    getprogname());
	exit(1);
}

int
main(int argc, char *argv[])
{
	struct super_opts	 o;
	struct relay_conf	*conf;
	int			 ch, status = 0;

	memset(&o, 0, sizeof(o));
	o.conffile = RELAY_CONF;
	o.chrootdir = RELAY_CHROOT;
	o.user = RELAY_USER;
	proc_title_init(argc, argv, environ);

	while ((ch = getopt(argc, argv, "c:df:G:nSsu:v")) != -1) {
		if (ch == 's')
			status = 1;
		else if (super_option(&o, ch, optarg) == -1)
			usage();
	}
	if (optind != argc)
		usage();
	if (o.server)
		relay_server_main(o.chrootdir, o.user, o.debug, o.verbose);

	/* Errors before daemonizing go to stderr. */
	log_init(1, o.verbose, LOG_DAEMON);
	log_procinit(getprogname());
	if (o.genkey != NULL)
		super_genkey(o.genkey, key_public);
	if ((conf = relay_parse_config(o.conffile)) == NULL) {
		fprintf(stderr, "%s: configuration failed\n", getprogname());
		exit(1);
	}
	if (status)
		exit(rcontrol_client(conf->control));
	if (o.noaction) {
		relay_print_config(stdout, conf);
		fflush(stdout);
		fprintf(stderr, "configuration OK\n");
		relay_conf_free(conf);
		exit(0);
	}
	rparent_main(&o, conf, argv);
}
