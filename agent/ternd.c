/*
 * parent (and, with -E, engine): ternd's entry point.  The parent parses
 * the command line and the config; "-E" is how it re-executes itself
 * as the engine.
 */
#include <sys/stat.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "engine.h"
#include "log.h"
#include "parent.h"
#include "proc.h"
#include "ternd.h"

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: %s [-dnv] [-c chroot] [-f file] [-k keydir] "
	    "[-S statedir] [-s socket]\n", getprogname());
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
	int			 ch, engine_mode = 0, noaction = 0;

	memset(&o, 0, sizeof(o));
	o.conffile = TERND_CONF;
	o.sockpath = TERND_SOCKET;
	o.statedir = TERND_STATEDIR;
	o.chrootdir = TERND_CHROOT;
	proc_title_init(argc, argv, environ);

	while ((ch = getopt(argc, argv, "c:dEf:k:nS:s:v")) != -1) {
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
		case 'S':
			o.statedir = optarg;
			break;
		case 's':
			o.sockpath = optarg;
			break;
		case 'v':
			o.verbose++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (engine_mode)
		engine_main(o.chrootdir, o.debug, o.verbose);

	/* Errors before daemonizing go to stderr. */
	log_init(1, o.verbose, LOG_DAEMON);
	log_procinit(getprogname());
	if ((conf = parse_config(o.conffile)) == NULL) {
		fprintf(stderr, "%s: configuration failed\n", getprogname());
		exit(1);
	}
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
