/*
 * parent: the privileged process of ternd.  It reads the config and the
 * WireGuard private key, runs the WireGuard backend, sets addresses and
 * routes, creates the sockets the engine needs and starts the engine.
 * From the engine it accepts only the messages it validates.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/tree.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "drop.h"
#include "hostport.h"
#include "log.h"
#include "parent_kroute.h"
#include "parent.h"
#include "peerport.h"
#include "proc.h"
#include "parent_relaycache.h"
#include "sigsock.h"
#include "parent_wg_uapi.h"

#define WG_START_TIMEOUT_MS	5000	/* wireguard-go is up in well under 1 s */
#define ENGINE_STOP_TIMEOUT_MS	2000	/* for the engine to exit */
#define CONTROL_BACKLOG		16
#define NET_SOCKBUF		(4 * 1024 * 1024)
#define ENGINE_ARGS_MAX		16
/* The engine asks after each change; the disk sees one write a minute. */
#define RELAY_SAVE_MIN_SEC	60
/* Name lookups for the engine: one per list entry per refresh (60 s). */
#define RELAY_RESOLVE_BUDGET	RELAYSEL_LIST_MAX
#define RELAY_RESOLVE_WINDOW_SEC RELAYSEL_REFRESH_SEC

struct wg_applied {
	RB_ENTRY(wg_applied)	 entry;
	uint8_t			 key[KEY_LEN];
	struct tern_prefix	 allowed[TERN_ALLOWED_MAX];
	uint32_t		 nallowed;
};
RB_HEAD(wg_applied_tree, wg_applied);

static int	 applied_cmp(struct wg_applied *, struct wg_applied *);
RB_GENERATE_STATIC(wg_applied_tree, wg_applied, entry, applied_cmp)

static struct parent_opts	*opts;
static struct ternd_conf	*conf;
static uint8_t			 wgpriv[KEY_LEN];
static uint8_t			 wgpub[KEY_LEN];
static uint8_t			 nodepub[KEY_LEN];
static uint8_t			 nodepriv[KEY_LEN];	/* until sent */
static struct sigsock_gate	 sig_gate;
static pid_t			 engine_pid = -1;
static pid_t			 wg_pid = -1;
static struct imsgev		 iev_engine;
static struct nl_handle		*nl;
static int			 ifindex = -1;
static uint16_t			 wg_port;
static int			 ctl_created;
static int			 tearing_down;
static struct wg_applied_tree	 applied = RB_INITIALIZER(&applied);
static struct event		 ev_sig[PROC_NSIGNALS];
static struct relaycache	 relay_save;	/* IMSG_RELAY_SAVE so far */
static struct relaycache	 relay_saved;	/* the latest whole list */
static struct event		 relay_save_ev;
static time_t			 relay_save_last;

static void	 parent_teardown(void);
static __attribute__((noreturn)) void parent_exit(int);
static void	 parent_dispatch(struct imsgev *, struct imsg *);
static void	 parent_engine_closed(struct imsgev *);
static void	 parent_sig(int, short, void *);
static void	 parent_reload(uint32_t, int);
static void	 parent_send_static(void);
static void	 parent_send_lazy(void);
static void	 parent_send_node_key(void);
static void	 parent_send_local_addrs(void);
static void	 parent_relay_save(int, short, void *);
static void	 parent_signal_connect(void);
static void	 parent_send_relays(void);
static void	 parent_send_cache(void);
static void	 parent_relay_resolve(const struct imsg_relay_addr *);
static void	 child_exited(pid_t, int);

static int
applied_cmp(struct wg_applied *a, struct wg_applied *b)
{
	return memcmp(a->key, b->key, KEY_LEN);
}

static void
read_keys(const char *keydir)
{
	char	 path[PATH_MAX], err[PATH_MAX + 128];

	if (snprintf(path, sizeof(path), "%s/%s", keydir, KEY_FILE_WG) >=
	    (int)sizeof(path))
		fatalx("key directory path too long");
	if (key_read_file(path, wgpriv, err, sizeof(err)) == -1)
		fatalx("%s (create keys with: ternctl keygen %s)", err, keydir);
	key_public(wgpriv, wgpub);
	if (snprintf(path, sizeof(path), "%s/%s", keydir, KEY_FILE_NODE) >=
	    (int)sizeof(path))
		fatalx("key directory path too long");
	if (key_read_file(path, nodepriv, err, sizeof(err)) == -1)
		fatalx("%s (create keys with: ternctl keygen %s)", err, keydir);
	key_public(nodepriv, nodepub);
}

/*
 * The engine's UDP socket (and, on port 0 with default buffers, the
 * RTT probe socket): IPv6 with v4-mapped addresses, both families.
 */
static int
net_socket(uint16_t port, int sz)
{
	struct sockaddr_in6	 sin6;
	int			 fd, off = 0;

	if ((fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		fatal("socket");
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)) == -1)
		fatal("IPV6_V6ONLY");
	if (sz != 0) {
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz,
		    sizeof(sz));
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz,
		    sizeof(sz));
	}
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr = in6addr_any;
	sin6.sin6_port = htons(port);
	if (bind(fd, (struct sockaddr *)&sin6, sizeof(sin6)) == -1)
		fatal("bind UDP port %u", port);
	return fd;
}

/* Mode 0660, group of the engine's user: root and that group may talk. */
static int
control_socket(const char *path, gid_t gid)
{
	struct sockaddr_un	 sun;
	char			 dir[PATH_MAX], *slash;
	mode_t			 old;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path))
		fatalx("control socket path too long: %s", path);
	strlcpy(dir, path, sizeof(dir));
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) == -1 && errno != EEXIST)
			fatal("mkdir %s", dir);
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		fatal("socket");
	/* A socket that answers belongs to a running ternd: leave it. */
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		fatalx("control socket %s is in use: is ternd running?", path);
	close(fd);
	if (unlink(path) == -1 && errno != ENOENT)
		fatal("unlink %s", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		fatal("socket");
	old = umask(S_IXUSR | S_IRWXO | S_IXGRP);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		fatal("bind %s", path);
	umask(old);
	ctl_created = 1;
	if (chown(path, 0, gid) == -1 || chmod(path, 0660) == -1)
		fatal("chown/chmod %s", path);
	if (listen(fd, CONTROL_BACKLOG) == -1)
		fatal("listen %s", path);
	return fd;
}

static void
wg_setup(void)
{
	struct wg_device_stats	 dev;
	const char		*errstr;
	char			*req;
	size_t			 i;
	int			 rv;

	if (uapi_alive(conf->ifname)) {
		log_info("using the running WireGuard interface %s",
		    conf->ifname);
	} else {
		if ((wg_pid = wg_userspace_start(conf->wg_path,
		    conf->ifname)) == -1)
			fatal("cannot start %s", conf->wg_path);
		if (wg_userspace_wait(conf->ifname, wg_pid,
		    WG_START_TIMEOUT_MS) == -1) {
			log_warnx("%s did not come up for %s", conf->wg_path,
			    conf->ifname);
			parent_exit(1);
		}
		log_info("started %s for %s (pid %d)", conf->wg_path,
		    conf->ifname, (int)wg_pid);
	}
	if ((req = uapi_req_device(wgpriv, 0)) == NULL)
		fatal("uapi request");
	rv = uapi_set(conf->ifname, req, &errstr);
	sodium_memzero(req, strlen(req));
	free(req);
	if (rv == -1) {
		log_warnx("configuring %s: %s", conf->ifname, errstr);
		parent_exit(1);
	}
	memset(&dev, 0, sizeof(dev));
	if (uapi_get(conf->ifname, &dev, NULL, NULL, &errstr) == -1 ||
	    dev.listen_port == 0) {
		log_warnx("reading %s: %s", conf->ifname,
		    dev.listen_port == 0 ? "no listen port" : errstr);
		parent_exit(1);
	}
	wg_port = dev.listen_port;

	if ((nl = nl_open()) == NULL)
		fatal("netlink");
	if ((ifindex = nl_ifindex(conf->ifname)) == -1) {
		log_warnx("interface %s not found", conf->ifname);
		parent_exit(1);
	}
	for (i = 0; i < conf->naddrs; i++) {
		char	 buf[PREFIX_STRLEN];

		if (nl_addr(nl, ifindex, &conf->addrs[i], 1) == -1) {
			log_warn("address %s on %s",
			    prefix_str(&conf->addrs[i], buf, sizeof(buf)),
			    conf->ifname);
			parent_exit(1);
		}
	}
	if (nl_link_set(nl, ifindex, conf->mtu, 1) == -1) {
		log_warn("mtu %u and up on %s", conf->mtu, conf->ifname);
		parent_exit(1);
	}
}

static void
start_engine(int argc, char **argv)
{
	char	 exe[PATH_MAX], *args[ENGINE_ARGS_MAX];
	int	 fd, n = 0, v;

	if (proc_self_exe(exe, sizeof(exe)) == -1)
		fatal("/proc/self/exe");
	args[n++] = argv[0];
	args[n++] = "-E";
	args[n++] = "-c";
	args[n++] = (char *)opts->chrootdir;
	if (opts->debug)
		args[n++] = "-d";
	for (v = 0; v < opts->verbose && n < ENGINE_ARGS_MAX - 1; v++)
		args[n++] = "-v";
	args[n] = NULL;
	if ((engine_pid = proc_start(exe, args, &fd)) == -1)
		fatal("starting the engine");
	imsgev_init(&iev_engine, fd, parent_dispatch, parent_engine_closed,
	    NULL);
	imsgbuf_set_outq_max(&iev_engine.ibuf, TERND_PRIV_OUTQ_MAX);
}

void
parent_main(struct parent_opts *o, struct ternd_conf *c, int argc, char **argv)
{
	struct imsg_engine_conf	 ec;
	struct passwd		*pw;
	char			 err[PATH_MAX + 128];
	int			 netfd, ppfd, ctlfd;

	opts = o;
	conf = c;
	log_procinit("parent");
	pw = drop_getpw(TERND_USER);
	if (drop_check_chroot(opts->chrootdir, err, sizeof(err)) == -1)
		fatalx("%s", err);
	read_keys(opts->keydir ? opts->keydir : conf->keydir);

	if (!opts->debug && daemon(0, 0) == -1)
		fatal("daemon");
	/* fatal() exits too: whatever was set up so far is removed. */
	atexit(parent_teardown);
	event_init();
	proc_signals(ev_sig, parent_sig);

	/* First: a running ternd on this socket is left alone. */
	ctlfd = control_socket(opts->sockpath, pw->pw_gid);
	/* Bound before wireguard-go picks its random port, which could collide. */
	netfd = net_socket(conf->port, NET_SOCKBUF);
	if ((ppfd = peerport_socket(conf->peerport)) == -1)
		fatal("peer-port socket on port %u", conf->peerport);
	wg_setup();

	start_engine(argc, argv);
	memset(&ec, 0, sizeof(ec));
	strlcpy(ec.ifname, conf->ifname, sizeof(ec.ifname));
	memcpy(ec.wgpub, wgpub, KEY_LEN);
	memcpy(ec.nodepub, nodepub, KEY_LEN);
	ec.port = conf->port;
	ec.peerport = conf->peerport;
	ec.wg_port = wg_port;
	ec.has_signal = conf->has_signal;
	strlcpy(ec.signal_host, conf->signal_host, sizeof(ec.signal_host));
	memcpy(ec.signal_key, conf->signal_key, KEY_LEN);
	imsgev_compose(&iev_engine, IMSG_SOCKET_NET, 0, netfd, NULL, 0);
	imsgev_compose(&iev_engine, IMSG_SOCKET_PEERPORT, 0, ppfd, NULL, 0);
	imsgev_compose(&iev_engine, IMSG_SOCKET_CONTROL, 0, ctlfd, NULL, 0);
	imsgev_compose(&iev_engine, IMSG_ENGINE_CONF, 0, -1, &ec, sizeof(ec));
	parent_send_node_key();
	parent_send_local_addrs();
	localaddr_watch(parent_send_local_addrs);
	evtimer_set(&relay_save_ev, parent_relay_save, NULL);
	parent_send_static();
	parent_send_lazy();
	parent_send_relays();
	if (imsgev_compose(&iev_engine, IMSG_SOCKET_PROBE, 0, net_socket(0, 0),
	    NULL, 0) == -1)
		fatal("imsg to engine");
	parent_send_cache();
	log_info("started: interface %s, engine pid %d", conf->ifname,
	    (int)engine_pid);

	event_dispatch();
	parent_exit(1);
}

/* The engine holds the node key; the parent keeps no copy. */
static void
parent_send_node_key(void)
{
	struct imsg_node_key	 nk;

	memcpy(nk.priv, nodepriv, KEY_LEN);
	if (imsgev_compose(&iev_engine, IMSG_NODE_KEY, 0, -1, &nk,
	    sizeof(nk)) == -1)
		fatal("imsg to engine");
	sodium_memzero(&nk, sizeof(nk));
	sodium_memzero(nodepriv, sizeof(nodepriv));
}

static void
parent_relay_save(int fd, short ev, void *arg)
{
	char	 err[PATH_MAX + 128];

	(void)fd;
	(void)ev;
	(void)arg;
	relay_save_last = time(NULL);
	relay_saved.saved_at = relay_save_last;
	if (relaycache_store(opts->statedir, &relay_saved, err,
	    sizeof(err)) == -1)
		log_warnx("saving the relay list: %s", err);
	else
		log_debug("saved %zu relays to %s", relay_saved.naddrs,
		    RELAYCACHE_FILE);
}

/* Only a change is sent: the engine restarts ICE where it matters. */
static void
parent_send_local_addrs(void)
{
	struct imsg_local_addrs	 la;
	static struct imsg_local_addrs	 sent;
	static int		 have_sent;

	localaddr_list(conf->ifname, &la);
	if (have_sent && memcmp(&la, &sent, sizeof(la)) == 0)
		return;
	if (have_sent)
		log_info("local addresses changed: %u now", la.n);
	sent = la;
	have_sent = 1;
	if (imsgev_compose(&iev_engine, IMSG_LOCAL_ADDRS, 0, -1, &la,
	    sizeof(la)) == -1)
		fatal("imsg to engine");
}

/* Only the configured server; the answer carries an fd or why not. */
static void
parent_signal_connect(void)
{
	struct imsg_signal_sock	 ss;
	int			 fd = -1, error;

	memset(&ss, 0, sizeof(ss));
	if (!conf->has_signal) {
		ss.error = EINVAL;
		strlcpy(ss.msg, "no signal server configured", sizeof(ss.msg));
	} else {
		fd = sigsock_open(&sig_gate, conf->signal_host, &error,
		    ss.msg, sizeof(ss.msg));
		ss.error = error;
	}
	/* Addresses may have changed since the last connection. */
	parent_send_local_addrs();
	if (imsgev_compose(&iev_engine, IMSG_SOCKET_SIGNAL, 0, fd, &ss,
	    sizeof(ss)) == -1)
		fatal("imsg to engine");
}

static void
parent_send_static(void)
{
	struct peer_conf	*pc;
	struct imsg_peer	 ip;

	TAILQ_FOREACH(pc, &conf->peers, entry) {
		memset(&ip, 0, sizeof(ip));
		strlcpy(ip.name, pc->name, sizeof(ip.name));
		memcpy(ip.wgkey, pc->wgkey, KEY_LEN);
		memcpy(ip.allowed, pc->allowed,
		    pc->nallowed * sizeof(pc->allowed[0]));
		ip.nallowed = pc->nallowed;
		ip.has_endpoint = pc->has_endpoint;
		ip.endpoint = pc->endpoint;
		ip.keepalive = pc->keepalive;
		if (imsgev_compose(&iev_engine, IMSG_STATIC_PEER, 0, -1, &ip,
		    sizeof(ip)) == -1)
			fatal("imsg to engine");
	}
	if (imsgev_compose(&iev_engine, IMSG_STATIC_END, 0, -1, NULL, 0) == -1)
		fatal("imsg to engine");
}

/* The exclude list, then the local lazy choices, which end it. */
static void
parent_send_lazy(void)
{
	struct exclude_conf	*ex;
	struct imsg_exclude	 ie;
	struct imsg_lazy_conf	 lc;
	struct lazy_choice	 cfg;

	TAILQ_FOREACH(ex, &conf->excludes, entry) {
		memset(&ie, 0, sizeof(ie));
		strlcpy(ie.name, ex->name, sizeof(ie.name));
		if (imsgev_compose(&iev_engine, IMSG_EXCLUDE, 0, -1, &ie,
		    sizeof(ie)) == -1)
			fatal("imsg to engine");
	}
	cfg.lazy = conf->lazy;
	cfg.inactivity = conf->inactivity;
	lazyconf_resolve(&opts->lazy_flag, &opts->lazy_env, &cfg, &lc);
	if (imsgev_compose(&iev_engine, IMSG_LAZY_CONF, 0, -1, &lc,
	    sizeof(lc)) == -1)
		fatal("imsg to engine");
}

/* The bootstrap list; the engine merges it with the discovered one. */
static void
parent_send_relays(void)
{
	struct imsg_relay_addr	 ra;
	size_t			 i;

	for (i = 0; i < conf->relays.n; i++) {
		memset(&ra, 0, sizeof(ra));
		strlcpy(ra.addr, conf->relays.addrs[i], sizeof(ra.addr));
		if (imsgev_compose(&iev_engine, IMSG_RELAY_BOOTSTRAP, 0, -1,
		    &ra, sizeof(ra)) == -1)
			fatal("imsg to engine");
	}
	if (imsgev_compose(&iev_engine, IMSG_RELAY_BOOTSTRAP_END, 0, -1, NULL,
	    0) == -1)
		fatal("imsg to engine");
}

/* relays.json, parsed here; the engine gets checked entries only. */
static void
parent_send_cache(void)
{
	struct imsg_relay_addr		 ra;
	struct imsg_relay_cache_end	 ce;
	static struct relaycache	 rc;
	char				 err[PATH_MAX + CTL_MSG_MAX];
	size_t				 i;

	memset(&ce, 0, sizeof(ce));
	switch (relaycache_load(opts->statedir, &rc, err, sizeof(err))) {
	case 0:
		for (i = 0; i < rc.naddrs; i++) {
			memset(&ra, 0, sizeof(ra));
			strlcpy(ra.addr, rc.addrs[i], sizeof(ra.addr));
			if (imsgev_compose(&iev_engine, IMSG_RELAY_CACHED, 0,
			    -1, &ra, sizeof(ra)) == -1)
				fatal("imsg to engine");
		}
		ce.saved_at = rc.saved_at;
		break;
	case -1:
		log_warnx("%s, ignored", err);
		break;
	}
	if (imsgev_compose(&iev_engine, IMSG_RELAY_CACHED_END, 0, -1, &ce,
	    sizeof(ce)) == -1)
		fatal("imsg to engine");
}

/*
 * A relay's name, "host:port", looked up for the engine, which has no
 * resolver in its chroot.  A fixed budget per window keeps a
 * compromised engine from making us resolve without bound.
 */
static void
parent_relay_resolve(const struct imsg_relay_addr *ra)
{
	static struct imsg_relay_resolved	 rr;
	static time_t				 window;
	static unsigned int			 used;
	struct addrinfo				 hints, *res, *ai;
	char					 host[HOSTPORT_HOST_MAX];
	char					 port[sizeof("65535")];
	const char				*errstr;
	uint16_t				 p;
	time_t					 now = time(NULL);
	int					 rv;

	memset(&rr, 0, sizeof(rr));
	strlcpy(rr.addr, ra->addr, sizeof(rr.addr));
	if (hostport_parse(ra->addr, host, &p, &errstr) == -1) {
		log_warnx("engine asked to resolve \"%s\": %s", ra->addr,
		    errstr);
		parent_exit(1);
	}
	if (now - window >= RELAY_RESOLVE_WINDOW_SEC) {
		window = now;
		used = 0;
	}
	if (used >= RELAY_RESOLVE_BUDGET) {
		rr.error = EAI_AGAIN;
		strlcpy(rr.msg, "too many lookups, try later", sizeof(rr.msg));
		goto done;
	}
	used++;
	snprintf(port, sizeof(port), "%u", p);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICSERV;
	if ((rv = getaddrinfo(host, port, &hints, &res)) != 0) {
		rr.error = rv;
		strlcpy(rr.msg, gai_strerror(rv), sizeof(rr.msg));
		goto done;
	}
	for (ai = res; ai != NULL && rr.n < TERN_RELAY_RESOLVED_MAX;
	    ai = ai->ai_next)
		if (ai->ai_family == AF_INET || ai->ai_family == AF_INET6)
			sockaddr_to_v6(ai->ai_addr, &rr.sa[rr.n++]);
	freeaddrinfo(res);
	if (rr.n == 0) {
		rr.error = EAI_NODATA;
		strlcpy(rr.msg, gai_strerror(EAI_NODATA), sizeof(rr.msg));
	}
 done:
	if (imsgev_compose(&iev_engine, IMSG_RELAY_RESOLVED, 0, -1, &rr,
	    sizeof(rr)) == -1)
		fatal("imsg to engine");
}

static int
prefix_in(const struct tern_prefix *p, const struct tern_prefix *set,
    size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (prefix_cmp(p, &set[i]) == 0)
			return 1;
	return 0;
}

/*
 * A prefix that moves between peers in one reload may be set on its new
 * peer before its old peer is updated: its route stays while any peer
 * other than a still lists it, or its traffic would leave in the clear.
 */
static int
route_shared(const struct wg_applied *a, const struct tern_prefix *p)
{
	struct wg_applied	*o;

	RB_FOREACH(o, wg_applied_tree, &applied)
		if (o != a && prefix_in(p, o->allowed, o->nallowed))
			return 1;
	return 0;
}

static void
route_change(const struct tern_prefix *p, int add)
{
	char	 buf[PREFIX_STRLEN];

	if (nl_route(nl, ifindex, p, add) == -1 &&
	    (add || (errno != ESRCH && errno != ENOENT)))
		log_warn("%s route %s", add ? "adding" : "removing",
		    prefix_str(p, buf, sizeof(buf)));
}

static void
peer_apply(const struct imsg_wg_peer *p)
{
	struct wg_applied	*a, key;
	struct wg_peer		 wp;
	const char		*errstr;
	char			*req, b64[KEY_B64LEN];
	uint32_t		 i;

	key_to_b64(p->wgkey, b64);
	memset(&wp, 0, sizeof(wp));
	memcpy(wp.pubkey, p->wgkey, KEY_LEN);
	wp.allowed = p->allowed;
	wp.nallowed = p->nallowed;
	wp.endpoint = &p->endpoint;
	wp.keepalive = p->keepalive;
	if ((req = uapi_req_peer_set(&wp)) == NULL)
		fatal("uapi request");
	if (uapi_set(conf->ifname, req, &errstr) == -1) {
		log_warnx("setting peer %s: %s", b64, errstr);
		free(req);
		return;
	}
	free(req);

	memcpy(key.key, p->wgkey, KEY_LEN);
	if ((a = RB_FIND(wg_applied_tree, &applied, &key)) == NULL) {
		if ((a = calloc(1, sizeof(*a))) == NULL)
			fatal(NULL);
		memcpy(a->key, p->wgkey, KEY_LEN);
		RB_INSERT(wg_applied_tree, &applied, a);
	}
	for (i = 0; i < a->nallowed; i++)
		if (!prefix_in(&a->allowed[i], p->allowed, p->nallowed) &&
		    !route_shared(a, &a->allowed[i]))
			route_change(&a->allowed[i], 0);
	for (i = 0; i < p->nallowed; i++)
		route_change(&p->allowed[i], 1);
	memcpy(a->allowed, p->allowed, p->nallowed * sizeof(p->allowed[0]));
	a->nallowed = p->nallowed;
	log_debug("peer %s set, %u allowed IPs", b64, p->nallowed);
}

static void
peer_remove(const uint8_t wgkey[KEY_LEN], int uapi)
{
	struct wg_applied	*a, key;
	const char		*errstr;
	char			*req, b64[KEY_B64LEN];
	uint32_t		 i;

	key_to_b64(wgkey, b64);
	memcpy(key.key, wgkey, KEY_LEN);
	if ((a = RB_FIND(wg_applied_tree, &applied, &key)) == NULL) {
		log_warnx("engine removes unknown peer %s", b64);
		return;
	}
	for (i = 0; i < a->nallowed; i++)
		if (!route_shared(a, &a->allowed[i]))
			route_change(&a->allowed[i], 0);
	if (uapi) {
		if ((req = uapi_req_peer_remove(wgkey)) == NULL)
			fatal("uapi request");
		if (uapi_set(conf->ifname, req, &errstr) == -1)
			log_warnx("removing peer %s: %s", b64, errstr);
		free(req);
	}
	RB_REMOVE(wg_applied_tree, &applied, a);
	free(a);
	log_debug("peer %s removed", b64);
}

struct stats_arg {
	uint32_t	 peerid;
};

static void
stats_peer(const struct wg_peer_stats *s, void *arg)
{
	struct stats_arg	*sa = arg;
	struct imsg_wg_stats	 st;
	struct wg_applied	 key;

	memcpy(key.key, s->pubkey, KEY_LEN);
	if (RB_FIND(wg_applied_tree, &applied, &key) == NULL)
		return;
	memset(&st, 0, sizeof(st));
	memcpy(st.wgkey, s->pubkey, KEY_LEN);
	st.last_handshake = s->last_handshake;
	st.rx_bytes = s->rx_bytes;
	st.tx_bytes = s->tx_bytes;
	imsgev_compose(&iev_engine, IMSG_WG_STATS_PEER, sa->peerid, -1, &st,
	    sizeof(st));
}

static __attribute__((noreturn)) void
engine_violation(const struct imsg *imsg, const char *what)
{
	log_warnx("engine sent %s (type %u, %zu bytes): stopping", what,
	    imsg->hdr.type, imsg_datalen(imsg));
	parent_exit(1);
}

static void
parent_dispatch(struct imsgev *iev, struct imsg *imsg)
{
	struct imsg_wg_peer	 wp;
	struct imsg_wg_peer_del	 wd;
	struct wg_device_stats	 dev;
	struct stats_arg	 sa;
	struct imsg_relay_addr	 ra;
	const char		*errstr;
	char			 err[PATH_MAX + CTL_MSG_MAX], b64[KEY_B64LEN];
	char			 host[HOSTPORT_HOST_MAX];
	uint16_t		 port;

	switch (imsg->hdr.type) {
	case IMSG_WG_PEER_SET:
		if (imsg_get_data(imsg, &wp, sizeof(wp)) == -1)
			engine_violation(imsg, "a malformed peer");
		if (policy_check_peer(conf, &wp, err, sizeof(err)) == -1) {
			key_to_b64(wp.wgkey, b64);
			log_warnx("refused peer %s from the engine: %s", b64,
			    err);
			break;
		}
		peer_apply(&wp);
		break;
	case IMSG_WG_PEER_DEL:
		if (imsg_get_data(imsg, &wd, sizeof(wd)) == -1)
			engine_violation(imsg, "a malformed peer removal");
		peer_remove(wd.wgkey, 1);
		break;
	case IMSG_WG_STATS_REQ:
		if (imsg_expect_empty(imsg) == -1)
			engine_violation(imsg, "a malformed stats request");
		sa.peerid = imsg->hdr.peerid;
		memset(&dev, 0, sizeof(dev));
		if (uapi_get(conf->ifname, &dev, stats_peer, &sa,
		    &errstr) == -1)
			log_warnx("reading %s: %s", conf->ifname, errstr);
		imsgev_compose(iev, IMSG_WG_STATS_END, imsg->hdr.peerid, -1,
		    NULL, 0);
		break;
	case IMSG_RELOAD_REQ:
		if (imsg_expect_empty(imsg) == -1)
			engine_violation(imsg, "a malformed reload request");
		parent_reload(imsg->hdr.peerid, 1);
		break;
	case IMSG_SIGNAL_CONNECT:
		if (imsg_expect_empty(imsg) == -1)
			engine_violation(imsg, "a malformed connect request");
		parent_signal_connect();
		break;
	case IMSG_RELAY_RESOLVE:
		if (imsg_get_data(imsg, &ra, sizeof(ra)) == -1 ||
		    memchr(ra.addr, '\0', sizeof(ra.addr)) == NULL)
			engine_violation(imsg, "a malformed relay lookup");
		parent_relay_resolve(&ra);
		break;
	case IMSG_RELAY_SAVE:
		if (imsg_get_data(imsg, &ra, sizeof(ra)) == -1 ||
		    memchr(ra.addr, '\0', sizeof(ra.addr)) == NULL ||
		    hostport_parse(ra.addr, host, &port, &errstr) == -1)
			engine_violation(imsg, "a malformed relay to save");
		if (relay_save.naddrs >= RELAYCACHE_ADDRS_MAX)
			engine_violation(imsg, "too many relays to save");
		strlcpy(relay_save.addrs[relay_save.naddrs++], ra.addr,
		    sizeof(relay_save.addrs[0]));
		break;
	case IMSG_RELAY_SAVE_END:
		if (imsg_expect_empty(imsg) == -1)
			engine_violation(imsg, "a malformed end of relays");
		relay_saved = relay_save;
		memset(&relay_save, 0, sizeof(relay_save));
		/* Two fsyncs each: at most one write per RELAY_SAVE_MIN_SEC. */
		if (!evtimer_pending(&relay_save_ev, NULL)) {
			struct timeval	 tv = { 0, 0 };

			if (relay_save_last != 0 &&
			    time(NULL) - relay_save_last < RELAY_SAVE_MIN_SEC)
				tv.tv_sec = RELAY_SAVE_MIN_SEC;
			evtimer_add(&relay_save_ev, &tv);
		}
		break;
	default:
		engine_violation(imsg, "an unknown message");
	}
}

static void
parent_reload(uint32_t peerid, int reply)
{
	struct ctl_result	 res;
	struct ternd_conf	*nconf;
	char			 buf[PREFIX_STRLEN];
	size_t			 i;

	memset(&res, 0, sizeof(res));
	log_info("reloading %s", opts->conffile);
	if ((nconf = parse_config(opts->conffile)) == NULL) {
		snprintf(res.msg, sizeof(res.msg), "%s has errors (see the "
		    "log); the running configuration stays", opts->conffile);
		goto done;
	}
	if (policy_conf_reloadable(conf, nconf, res.msg,
	    sizeof(res.msg)) == -1) {
		conf_free(nconf);
		goto done;
	}
	for (i = 0; i < conf->naddrs; i++)
		if (!prefix_in(&conf->addrs[i], nconf->addrs, nconf->naddrs) &&
		    nl_addr(nl, ifindex, &conf->addrs[i], 0) == -1)
			log_warn("removing address %s",
			    prefix_str(&conf->addrs[i], buf, sizeof(buf)));
	for (i = 0; i < nconf->naddrs; i++)
		if (!prefix_in(&nconf->addrs[i], conf->addrs, conf->naddrs) &&
		    nl_addr(nl, ifindex, &nconf->addrs[i], 1) == -1)
			log_warn("adding address %s",
			    prefix_str(&nconf->addrs[i], buf, sizeof(buf)));
	if (nconf->mtu != conf->mtu &&
	    nl_link_set(nl, ifindex, nconf->mtu, 1) == -1)
		log_warn("mtu %u", nconf->mtu);
	conf_free(conf);
	conf = nconf;
	if (opts->has_relay_flag)
		conf->relays = opts->relay_flag;
	parent_send_static();
	parent_send_lazy();
	parent_send_relays();
	res.ok = 1;
	snprintf(res.msg, sizeof(res.msg), "configuration reloaded: %zu "
	    "static peers", conf->npeers);
 done:
	if (res.ok)
		log_info("%s", res.msg);
	else
		log_warnx("reload refused: %s", res.msg);
	if (reply)
		imsgev_compose(&iev_engine, IMSG_RELOAD_RESULT, peerid, -1,
		    &res, sizeof(res));
}

/* The channel usually closes before SIGCHLD: reap to log the cause. */
static void
parent_engine_closed(struct imsgev *iev)
{
	int	 status;

	if (tearing_down)
		return;
	log_warnx("lost the engine");
	if (proc_reap(engine_pid, ENGINE_STOP_TIMEOUT_MS, &status) == 0)
		child_exited(engine_pid, status);
	parent_exit(1);
}

static void
child_exited(pid_t pid, int status)
{
	proc_log_exit(pid == engine_pid ? "engine" : "wireguard-go", pid,
	    status);
	if (pid == engine_pid)
		engine_pid = -1;
	else
		wg_pid = -1;
}

static void
parent_sig(int sig, short event, void *arg)
{
	pid_t	 pid;
	int	 status, died = 0;

	switch (sig) {
	case SIGTERM:
	case SIGINT:
		log_info("signal %d: shutting down", sig);
		parent_exit(0);
	case SIGHUP:
		parent_reload(0, 0);
		break;
	case SIGCHLD:
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			if (pid != engine_pid && pid != wg_pid)
				continue;
			child_exited(pid, status);
			died = 1;
		}
		if (died && !tearing_down)
			parent_exit(1);
		break;
	}
}

static void
engine_stop(void)
{
	if (engine_pid == -1)
		return;
	/* Closing the channel alone makes the engine exit; SIGTERM hurries. */
	if (!iev_engine.dead)
		imsgev_clear(&iev_engine);
	proc_stop(engine_pid, ENGINE_STOP_TIMEOUT_MS);
	engine_pid = -1;
}

/* Removes what this ternd created: routes, peers, addresses, sockets. */
static void
parent_teardown(void)
{
	struct wg_applied	*a, *next;
	size_t			 i;

	if (tearing_down)
		return;
	tearing_down = 1;
	engine_stop();
	if (nl != NULL && ifindex != -1) {
		RB_FOREACH_SAFE(a, wg_applied_tree, &applied, next)
			peer_remove(a->key, wg_pid == -1);
		if (wg_pid == -1)
			for (i = 0; i < conf->naddrs; i++)
				(void)nl_addr(nl, ifindex, &conf->addrs[i], 0);
	}
	/*
	 * Stopping wireguard-go removes its interface; should one outlive
	 * it, it is deleted here.  An interface we found running is not ours.
	 */
	if (wg_pid != -1) {
		wg_userspace_stop(wg_pid);
		wg_pid = -1;
		if (nl != NULL && nl_ifindex(conf->ifname) != -1 &&
		    nl_link_del(nl, nl_ifindex(conf->ifname)) == -1 &&
		    errno != ENODEV)
			log_warn("deleting interface %s", conf->ifname);
	}
	if (ctl_created && unlink(opts->sockpath) == -1 && errno != ENOENT)
		log_warn("unlink %s", opts->sockpath);
	if (nl != NULL)
		nl_close(nl);
	nl = NULL;
	sodium_memzero(wgpriv, sizeof(wgpriv));
	sodium_memzero(nodepriv, sizeof(nodepriv));
}

static void
parent_exit(int code)
{
	parent_teardown();
	log_info("exiting%s", code ? " after an error" : "");
	exit(code);
}
