/*
 * tern-relay: the entry point.  As root it reads the config and binds
 * the UDP sockets, then relay_serve (server.c) drops privileges in the
 * same process before it reads any datagram.  One process: the STUN
 * part holds no secret a separate parent would have to keep, and a
 * chrooted process cannot re-read the config, so SIGHUP is refused.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "addr.h"
#include "conflex.h"
#include "drop.h"
#include "log.h"
#include "relay/relay.h"

/* Room for bursts between two wakeups of the event loop. */
#define RELAY_RCVBUF		(4 * 1024 * 1024)

static __attribute__((noreturn)) void usage(void);
static int	 relay_bind(const struct sockaddr_storage *);

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: %s [-dnv] [-c chroot] [-f file] [-u user]\n",
	    getprogname());
	exit(1);
}

/* Each v6 socket leaves IPv4 to its own socket: no mapped addresses. */
static int
relay_bind(const struct sockaddr_storage *ss)
{
	char	 buf[ADDR_STRLEN];
	int	 fd, on = 1, rcvbuf = RELAY_RCVBUF;

	if ((fd = socket(ss->ss_family, SOCK_DGRAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1)
		fatal("socket");
	if (ss->ss_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof(on)) == -1)
		fatal("IPV6_V6ONLY");
	/* Best effort: the kernel caps it at net.core.rmem_max. */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (bind(fd, (const struct sockaddr *)ss,
	    sockaddr_len((const struct sockaddr *)ss)) == -1)
		fatal("bind %s", sockaddr_str((const struct sockaddr *)ss, buf,
		    sizeof(buf)));
	log_info("listening on %s", sockaddr_str((const struct sockaddr *)ss,
	    buf, sizeof(buf)));
	return fd;
}

int
main(int argc, char *argv[])
{
	struct sockaddr_storage	 ss[RELAY_LISTEN_MAX];
	struct relay_conf	*conf;
	const char		*conffile = RELAY_CONF;
	const char		*chrootdir = RELAY_CHROOT, *user = RELAY_USER;
	char			 err[512];
	int			 fds[RELAY_LISTEN_MAX];
	int			 ch, debug = 0, verbose = 0, noaction = 0;
	size_t			 i, n;

	while ((ch = getopt(argc, argv, "c:df:nu:v")) != -1) {
		switch (ch) {
		case 'c':
			chrootdir = optarg;
			break;
		case 'd':
			debug = 1;
			break;
		case 'f':
			conffile = optarg;
			break;
		case 'n':
			noaction = 1;
			break;
		case 'u':
			user = optarg;
			break;
		case 'v':
			verbose++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	/* Errors before daemonizing go to stderr. */
	log_init(1, verbose, LOG_DAEMON);
	log_procinit(getprogname());
	if ((conf = relay_parse_config(conffile)) == NULL) {
		fprintf(stderr, "%s: configuration failed\n", getprogname());
		exit(1);
	}
	if (noaction) {
		relay_print_config(stdout, conf);
		fflush(stdout);
		fprintf(stderr, "configuration OK\n");
		relay_conf_free(conf);
		exit(0);
	}
	if (geteuid() != 0)
		fatalx("need root privileges");
	(void)drop_getpw(user);
	if (drop_check_chroot(chrootdir, err, sizeof(err)) == -1)
		fatalx("%s", err);
	n = conflex_listen_list(conf->listen, conf->nlisten,
	    RELAY_PORT_DEFAULT, ss);
	for (i = 0; i < n; i++)
		fds[i] = relay_bind(&ss[i]);
	/* The secret is for TURN, not yet served: it stays out of memory. */
	explicit_bzero(conf->secret, sizeof(conf->secret));

	if (!debug && daemon(0, 0) == -1)
		fatal("daemon");
	log_init(debug, verbose, LOG_DAEMON);
	relay_serve(conf, fds, n, chrootdir, user);
}
