/*
 * parent: the configuration the engine is given, at start and again on
 * reload (SIGHUP or "ternctl reload"): addresses and MTU follow the new
 * ternd.conf, peers and lazy choices are sent anew, and peers already
 * set are checked against the new accept prefixes.
 */
#include <stdio.h>
#include <string.h>

#include "conflex.h"
#include "log.h"
#include "monotime.h"
#include "parent_kroute.h"
#include "parent.h"

/* Static peer lists sent that the engine has not taken yet. */
/*
 * A reload waits while the engine applies the previous static list, but
 * not for ever: an engine that never confirms cannot hold back a reload
 * (and its re-check of the peers set) past this.
 */
#define RELOAD_APPLY_WAIT_MS	10000

static int	 static_unapplied;
static uint64_t	 static_sent_ms;

/* The errors of a reload ternctl asked for: to whom, how many so far. */
struct reload_errors {
	uint32_t		 peerid;
	size_t			 n;
};

static void	 parent_reload_error(const char *, void *);

void
parent_send_static(void)
{
	struct peer_conf	*pc;
	struct imsg_peer	 ip;

	TAILQ_FOREACH(pc, &penv.conf->peers, entry) {
		memset(&ip, 0, sizeof(ip));
		strlcpy(ip.name, pc->name, sizeof(ip.name));
		memcpy(ip.wgkey, pc->wgkey, KEY_LEN);
		memcpy(ip.allowed, pc->allowed,
		    pc->nallowed * sizeof(pc->allowed[0]));
		ip.nallowed = pc->nallowed;
		ip.has_endpoint = pc->has_endpoint;
		ip.endpoint = pc->endpoint;
		ip.keepalive = pc->keepalive;
		if (imsgev_compose(&penv.iev_engine, IMSG_STATIC_PEER, 0, -1,
		    &ip, sizeof(ip)) == -1)
			fatal("imsg to engine");
	}
	if (imsgev_compose(&penv.iev_engine, IMSG_STATIC_END, 0, -1, NULL,
	    0) == -1)
		fatal("imsg to engine");
	static_unapplied++;
	static_sent_ms = monotime_ms();
}

/* The engine took a static list; -1 if none was waiting. */
int
parent_static_applied(void)
{
	if (static_unapplied == 0)
		return -1;
	static_unapplied--;
	return 0;
}

/* The exclude list, then the local lazy choices, which end it. */
void
parent_send_lazy(void)
{
	struct exclude_conf	*ex;
	struct imsg_exclude	 ie;
	struct imsg_lazy_conf	 lc;
	struct lazy_choice	 cfg;

	TAILQ_FOREACH(ex, &penv.conf->excludes, entry) {
		memset(&ie, 0, sizeof(ie));
		strlcpy(ie.name, ex->name, sizeof(ie.name));
		if (imsgev_compose(&penv.iev_engine, IMSG_EXCLUDE, 0, -1, &ie,
		    sizeof(ie)) == -1)
			fatal("imsg to engine");
	}
	cfg.lazy = penv.conf->lazy;
	cfg.inactivity = penv.conf->inactivity;
	lazyconf_resolve(&penv.opts->lazy_flag, &penv.opts->lazy_env, &cfg,
	    &lc);
	if (imsgev_compose(&penv.iev_engine, IMSG_LAZY_CONF, 0, -1, &lc,
	    sizeof(lc)) == -1)
		fatal("imsg to engine");
}

void
parent_reload(uint32_t peerid, int reply)
{
	struct ctl_result	 res;
	struct reload_errors	 errs = { peerid, 0 };
	struct ternd_conf	*conf = penv.conf, *nconf;
	struct parent_opts	*opts = penv.opts;
	char			 buf[PREFIX_STRLEN];
	size_t			 i;

	memset(&res, 0, sizeof(res));
	log_info("reloading %s", opts->conffile);
	if (static_unapplied > 0) {
		if (monotime_ms() - static_sent_ms < RELOAD_APPLY_WAIT_MS) {
			snprintf(res.msg, sizeof(res.msg), "the previous "
			    "configuration is still being applied: try again");
			goto done;
		}
		log_warnx("the engine has not confirmed the previous "
		    "configuration in %d s: reloading anyway",
		    RELOAD_APPLY_WAIT_MS / 1000);
	}
	if (reply)
		conflex_errors_to(parent_reload_error, &errs);
	nconf = parse_config(opts->conffile);
	conflex_errors_to(NULL, NULL);
	if (nconf == NULL) {
		snprintf(res.msg, sizeof(res.msg), "%s has errors (%zu, all in "
		    "the log); the running configuration stays",
		    opts->conffile, errs.n);
		goto done;
	}
	if (policy_conf_reloadable(conf, nconf, res.msg,
	    sizeof(res.msg)) == -1) {
		conf_free(nconf);
		goto done;
	}
	for (i = 0; i < conf->naddrs; i++)
		if (!prefix_in(&conf->addrs[i], nconf->addrs, nconf->naddrs) &&
		    nl_addr(penv.nl, penv.ifindex, &conf->addrs[i], 0) == -1)
			log_warn("removing address %s",
			    prefix_str(&conf->addrs[i], buf, sizeof(buf)));
	for (i = 0; i < nconf->naddrs; i++)
		if (!prefix_in(&nconf->addrs[i], conf->addrs, conf->naddrs) &&
		    nl_addr(penv.nl, penv.ifindex, &nconf->addrs[i], 1) == -1)
			log_warn("adding address %s",
			    prefix_str(&nconf->addrs[i], buf, sizeof(buf)));
	if (nconf->mtu != conf->mtu &&
	    nl_link_set(penv.nl, penv.ifindex, nconf->mtu, 1) == -1)
		log_warn("mtu %u", nconf->mtu);
	conf_free(conf);
	penv.conf = nconf;
	if (opts->has_relay_flag)
		penv.conf->relays = opts->relay_flag;
	peer_recheck(penv.conf);
	parent_send_static();
	parent_send_lazy();
	parent_send_relays();
	res.ok = 1;
	snprintf(res.msg, sizeof(res.msg), "configuration reloaded: %zu "
	    "static peers", penv.conf->npeers);
 done:
	if (res.ok)
		log_info("%s", res.msg);
	else
		log_warnx("reload refused: %s", res.msg);
	if (reply)
		imsgev_compose(&penv.iev_engine, IMSG_RELOAD_RESULT, peerid, -1,
		    &res, sizeof(res));
}

/* One parse error for ternctl; past the first few, only the log has them. */
static void
parent_reload_error(const char *line, void *arg)
{
	struct reload_errors	*errs = arg;
	struct ctl_error	 e;

	if (errs->n++ >= CTL_RELOAD_ERRORS_MAX)
		return;
	memset(&e, 0, sizeof(e));
	strlcpy(e.msg, line, sizeof(e.msg));
	if (imsgev_compose(&penv.iev_engine, IMSG_RELOAD_ERROR, errs->peerid,
	    -1, &e, sizeof(e)) == -1)
		fatal("imsg to engine");
}
