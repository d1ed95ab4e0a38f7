/* parent: the privileged process of ternd. */
#ifndef TERND_PARENT_H
#define TERND_PARENT_H

#include <sys/tree.h>
#include <sys/types.h>

#include "addr.h"
#include "imsgev.h"
#include "ternd.h"

#define LAZYCONF_ENV_CONN	"TERN_LAZY_CONN"
#define LAZYCONF_ENV_INACTIVITY	"TERN_LAZY_INACTIVITY"
#define LAZYCONF_ERR_MAX	192	/* a setting, its value and why not */

/* One source's choice for lazy connections. */
struct lazy_choice {
	int		 lazy;		/* -1 no choice, 0 off, 1 on */
	uint32_t	 inactivity;	/* seconds, 0 no choice */
};

struct parent_opts {
	const char	*conffile;
	const char	*keydir;	/* NULL: from the config */
	const char	*sockpath;
	const char	*rsockpath;	/* read-only control socket */
	const char	*statedir;
	const char	*chrootdir;
	int		 debug;
	int		 verbose;
	struct lazy_choice	 lazy_flag;	/* the command line */
	struct lazy_choice	 lazy_env;	/* the environment */
	int		 has_relay_flag;	/* --relay replaces the file's */
	struct relay_conf	 relay_flag;
};

struct nl_handle;

/* What the parent's files share; parent.c owns it. */
struct parent_env {
	struct parent_opts	*opts;
	struct ternd_conf	*conf;
	struct imsgev		 iev_engine;
	struct nl_handle	*nl;		/* rtnetlink, parent_kroute.c */
	int			 ifindex;	/* of conf->ifname */
};
extern struct parent_env	 penv;

/* parent_policy.c */
int	 policy_check_peer(const struct ternd_conf *, const struct imsg_wg_peer *,
	    char *, size_t);
int	 policy_conf_reloadable(const struct ternd_conf *,
	    const struct ternd_conf *, char *, size_t);

/* parent_localaddr.c */
void	 localaddr_list(const char *, struct imsg_local_addrs *);
void	 localaddr_watch(void (*)(void));

/*
 * parent_lazyconf.c: errors name the setting and value; unset or empty:
 * no choice.
 */
int	 lazyconf_duration(const char *, const char *, uint32_t *, char *,
	    size_t);
int	 lazyconf_env_parse(const char *, const char *, struct lazy_choice *,
	    char *, size_t);
void	 lazyconf_resolve(const struct lazy_choice *,
	    const struct lazy_choice *, const struct lazy_choice *,
	    struct imsg_lazy_conf *);

/* parent_netmap.c */
int	 pnetmap_to_peer(const struct imsg_wg_signed *, struct imsg_wg_peer *,
	    char *, size_t);
int	 pnetmap_check(const struct ternd_conf *, const struct imsg_wg_signed *,
	    time_t, char *, size_t);
int	 pnetmap_applied(const struct nm_entry *, uint8_t [KEY_LEN]);
int	 pnetmap_static_conflict(const struct ternd_conf *,
	    const uint8_t [KEY_LEN], const struct tern_prefix *, uint32_t,
	    char *, size_t);
int	 pnetmap_static_check(const struct ternd_conf *,
	    const struct imsg_wg_peer *, char *, size_t);
const struct peer_conf *pnetmap_static_find(const struct ternd_conf *,
	    const uint8_t [KEY_LEN]);

/* parent.c */
__attribute__((noreturn)) void parent_main(struct parent_opts *,
	    struct ternd_conf *, int, char **);
void	 parent_send_local_addrs(void);
pid_t	 parent_start_child(char *, const char *, int *);

/* parent_resolver.c: cb gets the name asked, the answer, why it failed. */
struct imsg_dns_answer;
typedef void (*dns_cb)(const char *, const struct imsg_dns_answer *,
	    const char *);
void	 dns_start(char *);
void	 dns_stop(void);
void	 dns_lookup(const char *, const char *, uint16_t, dns_cb);
int	 dns_answer_ok(const struct imsg_dns_answer *, uint16_t);

/* parent_sockets.c */
int	 parent_net_socket(uint16_t, int);
int	 parent_unlink_stale(const char *);
void	 parent_control_sockets(gid_t);
void	 parent_control_send(void);
void	 parent_control_unlink(void);
void	 parent_signal_connect(void);

/* parent_peers.c */
#define PARENT_PEERS_MAX	TERN_PEERS_MAX	/* the largest mesh */
/* An IPv4 and an IPv6 address for every peer of the largest mesh. */
#define PARENT_ROUTES_MAX	(2 * PARENT_PEERS_MAX)

int	 prefix_in(const struct tern_prefix *, const struct tern_prefix *,
	    size_t);
int	 peer_apply(const struct imsg_wg_peer *, int);
int	 peer_is_netmap(const uint8_t [KEY_LEN]);
void	 peer_remove(const uint8_t [KEY_LEN], int);
void	 peer_remove_all(int);
void	 peer_stats(uint32_t);
void	 peer_recheck(const struct ternd_conf *);
void	 peer_backend_gone(const char *);

/* parent_reload.c */
void	 parent_reload(uint32_t, int);
void	 parent_send_static(void);
int	 parent_static_applied(void);
void	 parent_send_lazy(void);

/* parent_relay.c */
void	 parent_relay_init(void);
void	 parent_relay_resolve(const struct imsg_relay_addr *);
int	 parent_relay_add(const char *);
void	 parent_relay_save_end(void);
void	 parent_send_relays(void);
void	 parent_send_cache(void);

/* parent_relayconn.c: TCP to relays for the engine, checked. */
void	 relayconn_learn(const char *, const struct imsg_dns_answer *);
int	 relayconn_valid(const struct imsg_relay_connect *);
int	 relayconn_check(const struct ternd_conf *,
	    const struct imsg_relay_connect *, struct sockaddr_in6 *, char *,
	    size_t);
int	 relayconn_request(uint32_t, const struct imsg_relay_connect *);

/* parent_relayca.c: the CA bundle for relays over TLS, on request. */
void	 relayca_send(void);

#endif
