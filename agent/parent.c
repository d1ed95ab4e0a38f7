/*
 * parent: the privileged process of ternd; this file starts and stops
 * it.  It reads the keys, starts the WireGuard backend and the engine,
 * runs the event loop, dispatches the engine's messages (accepting only
 * those it validates) and removes what it set up.  privsep/super.c
 * watches its children and takes its signals.  The other
 * agent/parent_*.c files each do one job for it.
 */
#include <errno.h>
#include <event.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "drop.h"
#include "hostport.h"
#include "log.h"
#include "parent_kroute.h"
#include "parent.h"
#include "parent_wg_uapi.h"
#include "peerport.h"
#include "proc.h"
#include "super.h"

#define WG_START_TIMEOUT_MS	5000	/* wireguard-go is up in well under 1 s */
#define ENGINE_STOP_TIMEOUT_MS	2000	/* for the engine to exit */
#define NET_SOCKBUF		(4 * 1024 * 1024)
#define CHILD_ARGS_MAX		16	/* a child's command line */

struct parent_env		 penv = { .ifindex = -1 };
static uint8_t			 wgpriv[KEY_LEN];
static uint8_t			 wgpub[KEY_LEN];
static uint8_t			 nodepub[KEY_LEN];
static uint8_t			 nodepriv[KEY_LEN];	/* until sent */
static int			 wg_ours;	/* we started wireguard-go */
static uint16_t			 wg_port;

static void	 parent_teardown(void);
static void	 parent_sighup(void);
static void	 parent_dispatch(struct imsgev *, struct imsg *);
static void	 parent_engine_closed(struct imsgev *);
static void	 parent_send_node_key(void);
static void	 wg_exited(struct super_child *, pid_t, int);

static struct super_child	 engine = {
	.name = "engine", .pid = -1, .iev = &penv.iev_engine,
	.stop_ms = ENGINE_STOP_TIMEOUT_MS
};
static struct super_child	 wg = {
	.name = "wireguard-go", .pid = -1, .stop_ms = WG_STOP_MS,
	.exited = wg_exited
};

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

/* A UAPI socket left by a killed wireguard-go, if no one answers on it. */
static void
wg_unlink_stale(const char *ifname)
{
	char	 path[PATH_MAX];

	if (uapi_sockpath(ifname, path, sizeof(path)) == -1)
		return;
	switch (parent_unlink_stale(path)) {
	case -1:
		if (errno != EADDRINUSE)
			log_warn("UAPI socket %s", path);
		break;
	case 1:
		log_info("removed the stale UAPI socket %s", path);
		break;
	}
}

static void
wg_setup(void)
{
	const struct ternd_conf	*conf = penv.conf;
	const char		*errstr;
	char			*req;
	size_t			 i;
	pid_t			 pid;
	int			 rv;

	if (uapi_alive(conf->ifname)) {
		log_info("using the running WireGuard interface %s",
		    conf->ifname);
	} else {
		wg_unlink_stale(conf->ifname);
		wg_ours = 1;
		if ((pid = wg_userspace_start(conf->wg_path,
		    conf->ifname)) == -1)
			fatal("cannot start %s", conf->wg_path);
		super_add(&wg, pid);
		if (wg_userspace_wait(conf->ifname, wg.pid,
		    WG_START_TIMEOUT_MS) == -1) {
			log_warnx("%s did not come up for %s", conf->wg_path,
			    conf->ifname);
			super_exit(1);
		}
		log_info("started %s for %s (pid %d)", conf->wg_path,
		    conf->ifname, (int)wg.pid);
	}
	if ((req = uapi_req_device(wgpriv, 0)) == NULL)
		fatal("uapi request");
	rv = uapi_set(conf->ifname, req, &errstr);
	sodium_memzero(req, strlen(req));
	free(req);
	if (rv == -1) {
		log_warnx("configuring %s: %s", conf->ifname, errstr);
		super_exit(1);
	}

	if ((penv.nl = nl_open()) == NULL)
		fatal("netlink");
	if ((penv.ifindex = nl_ifindex(conf->ifname)) == -1) {
		log_warnx("interface %s not found", conf->ifname);
		super_exit(1);
	}
	for (i = 0; i < conf->naddrs; i++) {
		char	 buf[PREFIX_STRLEN];

		if (nl_addr(penv.nl, penv.ifindex, &conf->addrs[i], 1) == -1) {
			log_warn("address %s on %s",
			    prefix_str(&conf->addrs[i], buf, sizeof(buf)),
			    conf->ifname);
			super_exit(1);
		}
	}
	if (nl_link_set(penv.nl, penv.ifindex, conf->mtu, 1) == -1) {
		log_warn("mtu %u and up on %s", conf->mtu, conf->ifname);
		super_exit(1);
	}
	if (wg_listen_port(conf->ifname, WG_START_TIMEOUT_MS, &wg_port,
	    &errstr) == -1) {
		log_warnx("reading %s: %s", conf->ifname, errstr);
		super_exit(1);
	}
}

/* A child: this binary again, with its mode flag, the chroot, -d, -v. */
pid_t
parent_start_child(char *argv0, const char *mode, int *fd)
{
	const struct parent_opts	*opts = penv.opts;
	char	 exe[PATH_MAX], *args[CHILD_ARGS_MAX];
	int	 n = 0, v;

	if (proc_self_exe(exe, sizeof(exe)) == -1)
		fatal("/proc/self/exe");
	args[n++] = argv0;
	args[n++] = (char *)mode;
	args[n++] = "-c";
	args[n++] = (char *)opts->chrootdir;
	if (opts->debug)
		args[n++] = "-d";
	for (v = 0; v < opts->verbose && n < CHILD_ARGS_MAX - 1; v++)
		args[n++] = "-v";
	args[n] = NULL;
	return proc_start(exe, args, fd);
}

static void
start_engine(int argc, char **argv)
{
	pid_t	 pid;
	int	 fd;

	if ((pid = parent_start_child(argv[0], "-E", &fd)) == -1)
		fatal("starting the engine");
	imsgev_init(&penv.iev_engine, fd, parent_dispatch, parent_engine_closed,
	    NULL);
	imsgbuf_set_outq_max(&penv.iev_engine.ibuf, TERND_PRIV_OUTQ_MAX);
	super_add(&engine, pid);
}

void
parent_main(struct parent_opts *opts, struct ternd_conf *conf, int argc,
    char **argv)
{
	struct imsg_engine_conf	 ec;
	struct passwd		*pw;
	char			 err[PATH_MAX + 128];
	int			 netfd, ppfd;

	penv.opts = opts;
	penv.conf = conf;
	log_procinit("parent");
	pw = drop_getpw(TERND_USER);
	if (drop_check_chroot(opts->chrootdir, err, sizeof(err)) == -1)
		fatalx("%s", err);
	read_keys(opts->keydir ? opts->keydir : conf->keydir);

	if (!opts->debug && daemon(0, 0) == -1)
		fatal("daemon");
	event_init();
	super_init(parent_sighup, parent_teardown);
	/* fatal() exits too: whatever was set up so far is removed. */
	atexit(super_teardown);

	/* First: a running ternd on this socket is left alone. */
	parent_control_sockets(pw->pw_gid);
	/* Bound before wireguard-go picks its random port, which could collide. */
	netfd = parent_net_socket(conf->port, NET_SOCKBUF);
	if ((ppfd = peerport_socket(conf->peerport)) == -1)
		fatal("peer-port socket on port %u", conf->peerport);
	wg_setup();

	dns_start(argv[0]);
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
	/* The engine's Noise handshake uses the pinned key's X25519 form. */
	if (conf->has_signal &&
	    nmsign_noise_public(conf->signal_key, ec.signal_key) == -1)
		fatalx("signal key: not a tern-signal public key");
	imsgev_compose(&penv.iev_engine, IMSG_SOCKET_NET, 0, netfd, NULL, 0);
	imsgev_compose(&penv.iev_engine, IMSG_SOCKET_PEERPORT, 0, ppfd, NULL,
	    0);
	parent_control_send();
	imsgev_compose(&penv.iev_engine, IMSG_ENGINE_CONF, 0, -1, &ec,
	    sizeof(ec));
	parent_send_node_key();
	parent_send_local_addrs();
	localaddr_watch(parent_send_local_addrs);
	parent_relay_init();
	parent_send_static();
	parent_send_lazy();
	parent_send_relays();
	if (imsgev_compose(&penv.iev_engine, IMSG_SOCKET_PROBE, 0,
	    parent_net_socket(0, 0), NULL, 0) == -1)
		fatal("imsg to engine");
	parent_send_cache();
	log_info("started: interface %s, engine pid %d", conf->ifname,
	    (int)engine.pid);

	event_dispatch();
	super_exit(1);
}

/* The engine holds the node key; the parent keeps no copy. */
static void
parent_send_node_key(void)
{
	struct imsg_node_key	 nk;

	memcpy(nk.priv, nodepriv, KEY_LEN);
	if (imsgev_compose(&penv.iev_engine, IMSG_NODE_KEY, 0, -1, &nk,
	    sizeof(nk)) == -1)
		fatal("imsg to engine");
	sodium_memzero(&nk, sizeof(nk));
	sodium_memzero(nodepriv, sizeof(nodepriv));
}

/* Only a change is sent: the engine restarts ICE where it matters. */
void
parent_send_local_addrs(void)
{
	struct imsg_local_addrs	 la;
	static struct imsg_local_addrs	 sent;
	static int		 have_sent;

	localaddr_list(penv.conf->ifname, &la);
	if (have_sent && memcmp(&la, &sent, sizeof(la)) == 0)
		return;
	if (have_sent)
		log_info("local addresses changed: %u now", la.n);
	sent = la;
	have_sent = 1;
	if (imsgev_compose(&penv.iev_engine, IMSG_LOCAL_ADDRS, 0, -1, &la,
	    sizeof(la)) == -1)
		fatal("imsg to engine");
}

static __attribute__((noreturn)) void
engine_violation(const struct imsg *imsg, const char *what)
{
	log_warnx("engine sent %s (type %u, %zu bytes): stopping", what,
	    imsg->hdr.type, imsg_datalen(imsg));
	super_exit(1);
}

static void
parent_dispatch(struct imsgev *iev, struct imsg *imsg)
{
	struct imsg_wg_peer	 wp;
	struct imsg_wg_peer_del	 wd;
	struct imsg_wg_signed	 ws;
	uint8_t			 oldkey[KEY_LEN];
	struct imsg_relay_addr	 ra;
	struct imsg_relay_connect rc;
	const char		*errstr;
	char			 err[PATH_MAX + CTL_MSG_MAX], b64[KEY_B64LEN];
	char			 host[HOSTPORT_HOST_MAX];
	uint16_t		 port;

	if (imsg_expect_fd_types(imsg, NULL, 0) == -1)
		engine_violation(imsg, "a file descriptor");
	switch (imsg->hdr.type) {
	case IMSG_WG_PEER_SET:
		if (imsg_get_data(imsg, &wp, sizeof(wp)) == -1)
			engine_violation(imsg, "a malformed peer");
		if (pnetmap_static_check(penv.conf, &wp, err,
		    sizeof(err)) == -1 ||
		    policy_check_peer(penv.conf, &wp, err, sizeof(err)) == -1) {
			key_to_b64(wp.wgkey, b64);
			log_warnx("refused peer %s from the engine: %s", b64,
			    err);
			break;
		}
		(void)peer_apply(&wp, 0);
		break;
	case IMSG_WG_PEER_SIGNED:
		if (imsg_get_data(imsg, &ws, sizeof(ws)) == -1)
			engine_violation(imsg, "a malformed netmap peer");
		if (pnetmap_to_peer(&ws, &wp, err, sizeof(err)) == -1 ||
		    pnetmap_check(penv.conf, &ws, time(NULL), err,
		    sizeof(err)) == -1 ||
		    policy_check_peer(penv.conf, &wp, err, sizeof(err)) == -1) {
			key_to_b64(ws.entry.wg_key, b64);
			log_warnx("refused netmap peer %s from the engine: %s",
			    b64, err);
			break;
		}
		if (peer_apply(&wp, 1) == -1)
			break;
		/* Verified and set: nothing older applies after it. */
		if (pnetmap_applied(&ws.entry, oldkey) &&
		    peer_is_netmap(oldkey)) {
			key_to_b64(oldkey, b64);
			log_info("netmap peer %s replaced by its node's new "
			    "key", b64);
			peer_remove(oldkey, 1);
		}
		break;
	case IMSG_WG_PEER_DEL:
		if (imsg_get_data(imsg, &wd, sizeof(wd)) == -1)
			engine_violation(imsg, "a malformed peer removal");
		peer_remove(wd.wgkey, 1);
		break;
	case IMSG_WG_STATS_REQ:
		if (imsg_expect_empty(imsg) == -1)
			engine_violation(imsg, "a malformed stats request");
		peer_stats(imsg->hdr.peerid);
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
		if (parent_relay_add(ra.addr) == -1)
			engine_violation(imsg, "too many relays to save");
		break;
	case IMSG_RELAY_CONNECT:
		if (imsg_get_data(imsg, &rc, sizeof(rc)) == -1 ||
		    relayconn_request(imsg->hdr.peerid, &rc) == -1)
			engine_violation(imsg, "a malformed relay connection");
		break;
	case IMSG_RELAY_CA_REQ:
		if (imsg_expect_empty(imsg) == -1)
			engine_violation(imsg, "a malformed CA request");
		relayca_send();
		break;
	case IMSG_STATIC_APPLIED:
		if (imsg_expect_empty(imsg) == -1 ||
		    parent_static_applied() == -1)
			engine_violation(imsg, "an unasked end of static peers");
		break;
	case IMSG_RELAY_SAVE_END:
		if (imsg_expect_empty(imsg) == -1)
			engine_violation(imsg, "a malformed end of relays");
		parent_relay_save_end();
		break;
	default:
		engine_violation(imsg, "an unknown message");
	}
}

/* The channel usually closes before SIGCHLD. */
static void
parent_engine_closed(struct imsgev *iev)
{
	super_lost(&engine, "the engine");
}

/* ternd stops; until then the dead back end is told nothing more. */
static void
wg_exited(struct super_child *c, pid_t pid, int status)
{
	peer_backend_gone("wireguard-go exited");
}

/* SIGHUP: a reload no one waits to hear about. */
static void
parent_sighup(void)
{
	parent_reload(0, 0);
}

/*
 * Removes what this ternd created: routes, peers, addresses, sockets.
 * super_teardown runs it once, before it stops the children left.
 */
static void
parent_teardown(void)
{
	const struct ternd_conf	*conf = penv.conf;
	size_t			 i;

	super_stop(&engine);
	dns_stop();
	if (penv.nl != NULL && penv.ifindex != -1) {
		peer_remove_all(wg.pid == -1);
		if (wg.pid == -1)
			for (i = 0; i < conf->naddrs; i++)
				(void)nl_addr(penv.nl, penv.ifindex,
				    &conf->addrs[i], 0);
	}
	/*
	 * Stopping wireguard-go removes its interface; should one outlive
	 * it, it is deleted here.  An interface we found running is not ours.
	 */
	if (wg.pid != -1) {
		super_stop(&wg);
		if (penv.nl != NULL && nl_ifindex(conf->ifname) != -1 &&
		    nl_link_del(penv.nl, nl_ifindex(conf->ifname)) == -1 &&
		    errno != ENODEV)
			log_warn("deleting interface %s", conf->ifname);
	}
	/* Ours, killed before it could remove its own socket. */
	if (wg_ours)
		wg_unlink_stale(conf->ifname);
	parent_control_unlink();
	if (penv.nl != NULL)
		nl_close(penv.nl);
	penv.nl = NULL;
	sodium_memzero(wgpriv, sizeof(wgpriv));
	sodium_memzero(nodepriv, sizeof(nodepriv));
}
