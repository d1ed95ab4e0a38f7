/*
 * parent: the privileged process of tern-relay.  It reads the config,
 * binds the listening sockets, reads the TLS certificate and key, and
 * starts the server process, which it hands the sockets, the TLS
 * material and the settings over imsg; it re-reads the config on
 * SIGHUP, which a chrooted process could not.  With a signal statement
 * it reads the relay's private key, draws the generation of this start,
 * hands both to server 0, and opens the connections to tern-signal that
 * server 0 asks for: the one message it takes from a server.  It reads
 * nothing from the network.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <linux/filter.h>
#include <event.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "addr.h"
#include "conflex.h"
#include "log.h"
#include "nmsign.h"
#include "regfile.h"
#include "sigsock.h"
#include "super.h"
#include "relay/rcontrol.h"
#include "relay/rimsg.h"
#include "relay/rparent.h"

/* Room for bursts between two wakeups of the server's event loop. */
#define RPARENT_RCVBUF		(4 * 1024 * 1024)
#define RPARENT_BACKLOG		128	/* pending TCP and TLS connections */
#define RPARENT_NOFILE_SLACK	256	/* listeners, epoll, the imsg pipe */

static struct super_opts	*opts;
static struct relay_conf	*conf;
static struct sockaddr_storage	 relay_addr[2];	/* in use */
static struct event		 ev_usr1;
/* What server 0 registers with, from the config at start. */
static struct relay_imsg_signal	 rsig;
static char			 sig_keyfile[PATH_MAX];
static struct sigsock_gate	 sig_gate;

static int	 rparent_bind(const struct sockaddr_storage *, int, size_t);
static void	 rparent_steer(int, int, size_t);
static void	 rparent_send_file(uint32_t, const char *);
static void	 rparent_send_conf(void);
static void	 rparent_reload(void);
static void	 rparent_usr1(int, short, void *);
static void	 rparent_nofile(void);
static void	 rparent_relay_addrs(void);
static int	 rparent_usable(const struct sockaddr *);
static void	 rparent_signal_prepare(void);
static void	 rparent_signal_connect(size_t, struct imsg *);
static int	 rparent_signal_changed(const struct relay_conf *);

/*
 * With several servers each binds its own socket of a SO_REUSEPORT
 * group; the kernel picks one per datagram or connection by this
 * program: a hash of the source address (an IPv6 source by its /64),
 * so that a client's requests, its allocations and its quotas all
 * land on one process.  Without the program the kernel hashes the
 * whole 4-tuple, which still keeps a 5-tuple on one process.
 */
static void
rparent_steer(int fd, int af, size_t n)
{
	struct sock_filter	 v4[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_NET_OFF + 12),
		BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, n),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	struct sock_filter	 v6[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_NET_OFF + 8),
		BPF_STMT(BPF_MISC | BPF_TAX, 0),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_NET_OFF + 12),
		BPF_STMT(BPF_ALU | BPF_XOR | BPF_X, 0),
		BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, n),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	struct sock_fprog	 prog;

	if (af == AF_INET) {
		prog.filter = v4;
		prog.len = sizeof(v4) / sizeof(v4[0]);
	} else {
		prog.filter = v6;
		prog.len = sizeof(v6) / sizeof(v6[0]);
	}
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, &prog,
	    sizeof(prog)) == -1)
		log_warn("SO_ATTACH_REUSEPORT_CBPF: servers are picked by "
		    "the kernel's hash");
}

/* Each v6 socket leaves IPv4 to its own socket: no mapped addresses. */
static int
rparent_bind(const struct sockaddr_storage *ss, int kind, size_t nservers)
{
	int			 fd, on = 1, rcvbuf = RPARENT_RCVBUF;

	fd = super_socket(ss, kind == RELAY_SOCK_UDP ? SOCK_DGRAM :
	    SOCK_STREAM, 1);
	if (nservers > 1 && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on,
	    sizeof(on)) == -1)
		fatal("SO_REUSEPORT");
	/* As root past net.core.rmem_max; else best effort, capped by it. */
	if (kind == RELAY_SOCK_UDP && setsockopt(fd, SOL_SOCKET,
	    SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) == -1)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		    sizeof(rcvbuf));
	else if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on,
	    sizeof(on)) == -1)
		fatal("SO_REUSEADDR");
	super_bind(fd, ss);
	if (kind != RELAY_SOCK_UDP && listen(fd, RPARENT_BACKLOG) == -1)
		fatal("listen");
	return fd;
}

/* A PEM file, read as root before the server ever sees the network. */
static void
rparent_send_file(uint32_t type, const char *path)
{
	struct stat	 st;
	const char	*errstr;
	char		*buf;
	size_t		 off, n;
	ssize_t		 r;
	int		 fd;

	if ((fd = regfile_open(path, 0, &st, &errstr)) == -1)
		fatalx("%s: %s", path, errstr);
	if (st.st_size <= 0 || st.st_size > RELAY_TLS_FILE_MAX)
		fatalx("%s: size is not 1 to %d bytes", path,
		    RELAY_TLS_FILE_MAX);
	if ((buf = malloc(st.st_size)) == NULL)
		fatal("%s", __func__);
	for (off = 0; off < (size_t)st.st_size; off += r)
		if ((r = read(fd, buf + off, st.st_size - off)) <= 0)
			fatal("%s: read", path);
	close(fd);
	for (off = 0; off < (size_t)st.st_size; off += n) {
		n = st.st_size - off;
		if (n > RELAY_TLS_CHUNK)
			n = RELAY_TLS_CHUNK;
		super_compose(type, -1, buf + off, n);
	}
	explicit_bzero(buf, st.st_size);
	free(buf);
}

/* An address peers can be sent from: no loopback, no link-local. */
static int
rparent_usable(const struct sockaddr *sa)
{
	const struct sockaddr_in6	*sin6 = (const struct sockaddr_in6 *)sa;
	const struct sockaddr_in	*sin = (const struct sockaddr_in *)sa;

	if (sa->sa_family == AF_INET)
		return (ntohl(sin->sin_addr.s_addr) >> 24) != IN_LOOPBACKNET &&
		    sin->sin_addr.s_addr != htonl(INADDR_ANY) &&
		    (ntohl(sin->sin_addr.s_addr) & 0xffff0000) != 0xa9fe0000;
	if (sa->sa_family == AF_INET6)
		return !IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr) &&
		    !IN6_IS_ADDR_UNSPECIFIED(&sin6->sin6_addr) &&
		    !IN6_IS_ADDR_LINKLOCAL(&sin6->sin6_addr) &&
		    !IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr);
	return 0;
}

/*
 * Relayed sockets bind the configured relay-address of each family;
 * without one, a specific listen address of that family, else the
 * host's first usable address.  A family with none is not relayed.
 */
static void
rparent_relay_addrs(void)
{
	struct ifaddrs	*ifa, *i;
	char		 buf[ADDR_STRLEN];
	size_t		 k, fi;
	int		 af;

	for (fi = 0; fi < 2; fi++) {
		af = fi == 0 ? AF_INET : AF_INET6;
		relay_addr[fi] = conf->relay_addr[fi];
		for (k = 0; relay_addr[fi].ss_family == AF_UNSPEC &&
		    k < conf->nlisten; k++)
			if (conf->listen[k].ss_family == af &&
			    rparent_usable((struct sockaddr *)&conf->listen[k]))
				relay_addr[fi] = conf->listen[k];
		if (relay_addr[fi].ss_family == AF_UNSPEC &&
		    getifaddrs(&ifa) == 0) {
			for (i = ifa; i != NULL; i = i->ifa_next)
				if (i->ifa_addr != NULL &&
				    i->ifa_addr->sa_family == af &&
				    rparent_usable(i->ifa_addr)) {
					memcpy(&relay_addr[fi], i->ifa_addr,
					    sockaddr_len(i->ifa_addr));
					break;
				}
			freeifaddrs(ifa);
		}
		if (relay_addr[fi].ss_family == AF_UNSPEC) {
			log_info("no %s relay address: TURN relays no %s",
			    af == AF_INET ? "IPv4" : "IPv6",
			    af == AF_INET ? "IPv4" : "IPv6");
			continue;
		}
		if (af == AF_INET)
			((struct sockaddr_in *)&relay_addr[fi])->sin_port = 0;
		else
			((struct sockaddr_in6 *)&relay_addr[fi])->sin6_port = 0;
		log_info("relayed addresses on %s, ports %u-%u",
		    sockaddr_str((struct sockaddr *)&relay_addr[fi], buf,
		    sizeof(buf)), conf->lim.port_lo, conf->lim.port_hi);
	}
}

/* The secrets go to the servers: they check every TURN request. */
static void
rparent_send_conf(void)
{
	struct relay_imsg_conf	*ic;
	size_t			 i, n = super_nservers();

	if ((ic = calloc(1, sizeof(*ic))) == NULL)
		fatal("%s", __func__);
	ic->rate = conf->rate;
	ic->burst = conf->burst;
	ic->table_size = conf->table_size;
	strlcpy(ic->realm, conf->realm, sizeof(ic->realm));
	ic->nsecrets = conf->nsecrets;
	memcpy(ic->secrets, conf->secrets, sizeof(ic->secrets));
	memcpy(ic->relay_addr, relay_addr, sizeof(ic->relay_addr));
	ic->nrules = conf->nrules;
	memcpy(ic->rules, conf->rules, sizeof(ic->rules));
	ic->lim = conf->lim;
	/* The totals are shared out: each process counts its own. */
	ic->lim.allocs = (conf->lim.allocs + n - 1) / n;
	ic->lim.total_bps = conf->lim.total_bps / n;
	if (ic->lim.total_bps < RELAY_BPS_MIN)
		ic->lim.total_bps = RELAY_BPS_MIN;
	ic->nservers = n;
	for (i = 0; i < n; i++) {
		ic->index = i;
		super_compose_to(i, IMSG_RELAY_CONF, -1, ic, sizeof(*ic));
	}
	explicit_bzero(ic, sizeof(*ic));
	free(ic);
}

/* Two relayed sockets per allocation at most, and a stream each. */
static void
rparent_nofile(void)
{
	rlim_t	 want, got;

	want = (rlim_t)conf->lim.allocs * 3 + RPARENT_NOFILE_SLACK;
	if ((got = super_nofile(want)) < want)
		log_warnx("only %llu file descriptors for %u allocations: "
		    "fewer allocations will fit", (unsigned long long)got,
		    conf->lim.allocs);
}

/*
 * Before the servers start: the relay's private key, read as root, and
 * the generation of this start, which tells tern-signal and the agents
 * that allocations made before it are gone.  A start is a process
 * start: when a server process dies, the parent exits.
 */
static void
rparent_signal_prepare(void)
{
	char	 err[PATH_MAX + 128];

	if (conf->signal_host[0] == '\0')
		return;
	if (sodium_init() == -1)
		fatalx("libsodium");
	if (key_read_file(conf->keyfile, rsig.priv, err, sizeof(err)) == -1)
		fatalx("relay key: %s (create it with: tern-relay -G %s)", err,
		    conf->keyfile);
	strlcpy(rsig.host, conf->signal_host, sizeof(rsig.host));
	/* The pinned key is checked when parsed: it has a Noise form. */
	if (nmsign_noise_public(conf->signal_key, rsig.server) == -1)
		fatalx("signal key: not a tern-signal public key");
	strlcpy(sig_keyfile, conf->keyfile, sizeof(sig_keyfile));
	do
		randombytes_buf(&rsig.generation, sizeof(rsig.generation));
	while (rsig.generation == 0);
}

/*
 * Server 0's request: a connection to the server of the config at
 * start, no other, and no more often than sigsock_open allows.
 */
static void
rparent_signal_connect(size_t idx, struct imsg *imsg)
{
	struct relay_imsg_sigsock	 ss;
	int				 fd, error;

	if (rsig.host[0] == '\0' || imsg_expect_empty(imsg) == -1) {
		log_warnx("server 0 sent a bad connection request: stopping");
		super_exit(1);
	}
	memset(&ss, 0, sizeof(ss));
	fd = sigsock_open(&sig_gate, rsig.host, &error, ss.msg,
	    sizeof(ss.msg));
	ss.error = error;
	super_compose_to(0, IMSG_RELAY_SIGNAL_SOCKET, fd, &ss, sizeof(ss));
}

static int
rparent_signal_changed(const struct relay_conf *n)
{
	uint8_t	 server[KEY_LEN];

	if (n->signal_host[0] != '\0' &&
	    nmsign_noise_public(n->signal_key, server) == -1)
		return 1;
	return strcmp(rsig.host, n->signal_host) != 0 ||
	    (rsig.host[0] != '\0' && (memcmp(rsig.server, server,
	    KEY_LEN) != 0 || strcmp(sig_keyfile, n->keyfile) != 0));
}

/* servers, or one per core. */
static size_t
rparent_nservers(void)
{
	long	 n;

	if (conf->servers != 0)
		return conf->servers;
	if ((n = sysconf(_SC_NPROCESSORS_ONLN)) < 1)
		return 1;
	return n > RELAY_SERVERS_MAX ? RELAY_SERVERS_MAX : (size_t)n;
}

__attribute__((noreturn)) void
rparent_main(struct super_opts *o, struct relay_conf *c, char **argv)
{
	struct sockaddr_storage	 ss[RELAY_LISTEN_MAX];
	struct relay_imsg_sock	*is;
	char			 buf[ADDR_STRLEN];
	int			*fds, *kinds;
	size_t			 i, k, n, ns, nfd = 0, per;

	opts = o;
	conf = c;
	super_prepare(opts);
	rparent_signal_prepare();
	rparent_relay_addrs();
	ns = rparent_nservers();
	rparent_nofile();
	n = conflex_listen_list(conf->listen, conf->nlisten,
	    RELAY_PORT_DEFAULT, ss);
	/* Per server: UDP and TCP on each listen address, TLS on its own. */
	per = 2 * n + conf->ntls;
	if ((fds = calloc(per * ns, sizeof(*fds))) == NULL ||
	    (kinds = calloc(per, sizeof(*kinds))) == NULL ||
	    (is = calloc(1, sizeof(*is))) == NULL)
		fatal("%s", __func__);
	for (i = 0; i < ns; i++) {
		for (k = 0; k < n; k++) {
			kinds[2 * k] = RELAY_SOCK_UDP;
			kinds[2 * k + 1] = RELAY_SOCK_TCP;
			fds[nfd++] = rparent_bind(&ss[k], RELAY_SOCK_UDP, ns);
			fds[nfd++] = rparent_bind(&ss[k], RELAY_SOCK_TCP, ns);
		}
		for (k = 0; k < conf->ntls; k++) {
			kinds[2 * n + k] = RELAY_SOCK_TLS;
			fds[nfd++] = rparent_bind(&conf->tls_listen[k],
			    RELAY_SOCK_TLS, ns);
		}
	}
	/* A group's program goes on one of its sockets: the first. */
	for (k = 0; ns > 1 && k < per; k++)
		rparent_steer(fds[k], k < 2 * n ? ss[k / 2].ss_family :
		    conf->tls_listen[k - 2 * n].ss_family, ns);
	for (k = 0; k < n; k++)
		log_info("listening on %s (udp, tcp)", sockaddr_str(
		    (struct sockaddr *)&ss[k], buf, sizeof(buf)));
	for (k = 0; k < conf->ntls; k++)
		log_info("listening on %s (tls)", sockaddr_str(
		    (struct sockaddr *)&conf->tls_listen[k], buf, sizeof(buf)));

	super_start(argv[0], opts, rparent_reload, ns);
	signal_set(&ev_usr1, SIGUSR1, rparent_usr1, NULL);
	signal_add(&ev_usr1, NULL);
	for (i = 0; i < nfd; i++) {
		memset(is, 0, sizeof(*is));
		is->kind = kinds[i % per];
		super_compose_to(i / per, IMSG_RELAY_SOCKET, fds[i], is,
		    sizeof(*is));
	}
	if (conf->ntls > 0) {
		rparent_send_file(IMSG_RELAY_TLS_CERT, conf->tls_cert);
		rparent_send_file(IMSG_RELAY_TLS_KEY, conf->tls_key);
	}
	rparent_send_conf();
	super_accept(IMSG_RELAY_STATS, 0, rcontrol_stats);
	rcontrol_listen(conf->control);
	if (rsig.host[0] != '\0') {
		super_accept(IMSG_RELAY_SIGNAL_CONNECT, 1,
		    rparent_signal_connect);
		super_compose_to(0, IMSG_RELAY_SIGNAL, -1, &rsig, sizeof(rsig));
		/* Server 0 holds it now; the parent needs only the host. */
		sodium_memzero(rsig.priv, sizeof(rsig.priv));
		log_info("registering with tern-signal at %s, generation "
		    "%016llx", rsig.host, (unsigned long long)rsig.generation);
	}
	free(fds);
	free(kinds);
	free(is);
	log_info("started: %zu server processes, %zu sockets each", ns, per);
	event_dispatch();
	super_exit(1);
}

/* The operator's view: every server logs its statistics now. */
static void
rparent_usr1(int sig, short event, void *arg)
{
	super_kill(SIGUSR1);
}

/* A config that does not parse is refused: the running one stays. */
static void
rparent_reload(void)
{
	struct relay_conf	*nconf;

	log_info("reloading %s", opts->conffile);
	if ((nconf = relay_parse_config(opts->conffile)) == NULL) {
		log_warnx("reload refused: %s has errors; the running "
		    "configuration stays", opts->conffile);
		return;
	}
	if (conflex_listen_changed(conf->listen, conf->nlisten,
	    nconf->listen, nconf->nlisten) ||
	    conflex_listen_changed(conf->tls_listen, conf->ntls,
	    nconf->tls_listen, nconf->ntls) ||
	    strcmp(conf->tls_cert, nconf->tls_cert) != 0 ||
	    strcmp(conf->tls_key, nconf->tls_key) != 0 ||
	    strcmp(conf->control, nconf->control) != 0)
		log_warnx("the listen addresses, TLS files or control socket "
		    "changed: they take effect when tern-relay is restarted");
	if (rparent_signal_changed(nconf))
		log_warnx("signal or key changed: it takes effect when "
		    "tern-relay is restarted");
	relay_conf_free(conf);
	conf = nconf;
	rparent_relay_addrs();
	rparent_send_conf();
	log_info("sent the new configuration: %u/s, burst %u, %u slots, "
	    "%zu secrets, %zu peer rules", conf->rate, conf->burst,
	    conf->table_size, conf->nsecrets, conf->nrules);
}
