/*
 * parent (and, with -E, engine; with -R, resolver): ternd's entry point.
 * The parent parses the command line and the config; "-E" and "-R" are
 * how it re-executes itself as the engine and the resolver.
 */
#include <sys/stat.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "engine.h"
#include "log.h"
#include "parent.h"
#include "proc.h"
#include "resolver.h"
#include "ternd.h"

/* Long options only: their codes lie past every short option's char. */
enum {
	OPT_LAZY = UCHAR_MAX + 1,
	OPT_NO_LAZY,
	OPT_INACTIVITY,
	OPT_RELAY,
};

static const struct option longopts[] = {
	{ "lazy",	no_argument,		NULL,	OPT_LAZY },
	{ "no-lazy",	no_argument,		NULL,	OPT_NO_LAZY },
	{ "inactivity",	required_argument,	NULL,	OPT_INACTIVITY },
	{ "relay",	required_argument,	NULL,	OPT_RELAY },
	{ NULL,		0,			NULL,	0 },
};

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: %s [-dnv] [-c chroot] [-f file] [-k keydir] "
	    "[-r rsocket]\n\t[-S statedir] [-s socket] "
	    "[--lazy | --no-lazy] [--inactivity duration]\n"
	    "\t[--relay host:port,...]\n",
	    getprogname());
	exit(1);
}

static void
check_statedir(const char *dir)
{
	struct stat	 st;

	if (stat(dir, &st) == -1)
		fatal("state directory %s", dir);
	if (!S_ISDIR(st.st_mode))
		fatalx("state directory %s: not a directory", dir);
	if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)))
		fatalx("state directory %s: must be owned by root and "
		    "writable by root only", dir);
}

int
main(int argc, char *argv[])
{
	struct parent_opts	 o;
	struct ternd_conf	*conf;
	char			 err[CTL_MSG_MAX + TERN_HOST_MAX];
	int			 ch, engine_mode = 0, resolver_mode = 0;
	int			 noaction = 0;
	int			 lazy = 0, nolazy = 0;

	memset(&o, 0, sizeof(o));
	o.conffile = TERND_CONF;
	o.sockpath = TERND_SOCKET;
	o.rsockpath = TERND_RSOCKET;
	o.statedir = TERND_STATEDIR;
	o.chrootdir = TERND_CHROOT;
	o.lazy_flag.lazy = -1;
	proc_title_init(argc, argv, environ);

	while ((ch = getopt_long(argc, argv, "c:dEf:k:nRr:S:s:v", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			o.chrootdir = optarg;
			break;
		case 'd':
			o.debug = 1;
			break;
		case 'E':
			engine_mode = 1;
			break;
		case 'f':
			o.conffile = optarg;
			break;
		case 'k':
			o.keydir = optarg;
			break;
		case 'n':
			noaction = 1;
			break;
		case 'r':
			o.rsockpath = optarg;
			break;
		case 'R':
			resolver_mode = 1;
			break;
		case 'S':
			o.statedir = optarg;
			break;
		case 's':
			o.sockpath = optarg;
			break;
		case 'v':
			o.verbose++;
			break;
		case OPT_LAZY:
			lazy = 1;
			break;
		case OPT_NO_LAZY:
			nolazy = 1;
			break;
		case OPT_INACTIVITY:
			if (lazyconf_duration("--inactivity", optarg,
			    &o.lazy_flag.inactivity, err, sizeof(err)) == -1)
				errx(1, "%s", err);
			break;
		case OPT_RELAY:
			o.has_relay_flag = 1;
			if (conf_relay_list(&o.relay_flag, optarg, err,
			    sizeof(err)) == -1)
				errx(1, "%s", err);
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (lazy && nolazy) {
		warnx("--lazy and --no-lazy exclude each other");
		usage();
	}
	if (lazy || nolazy)
		o.lazy_flag.lazy = lazy;
	if (engine_mode)
		engine_main(o.chrootdir, o.debug, o.verbose);
	if (resolver_mode)
		resolver_main(o.debug, o.verbose);

	if (lazyconf_env_parse(getenv(LAZYCONF_ENV_CONN),
	    getenv(LAZYCONF_ENV_INACTIVITY), &o.lazy_env, err,
	    sizeof(err)) == -1)
		errx(1, "%s", err);

	/* Errors before daemonizing go to stderr. */
	log_init(1, o.verbose, LOG_DAEMON);
	log_procinit(getprogname());
	if ((conf = parse_config(o.conffile)) == NULL) {
		fprintf(stderr, "%s: configuration failed\n", getprogname());
		exit(1);
	}
	if (o.has_relay_flag)
		conf->relays = o.relay_flag;
	if (noaction) {
		print_config(stdout, conf);
		fflush(stdout);
		fprintf(stderr, "configuration OK\n");
		conf_free(conf);
		exit(0);
	}
	if (geteuid() != 0)
		fatalx("need root privileges");
	check_statedir(o.statedir);
	log_init(o.debug, o.verbose, LOG_DAEMON);
	parent_main(&o, conf, argc, argv);
}
