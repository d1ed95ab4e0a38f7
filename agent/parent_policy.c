/*
 * parent: what the parent accepts from the engine.  A compromised engine
 * may ask for anything; only peers whose allowed IPs lie inside the
 * configured accept prefixes and whose endpoint is a peer port pass.
 */
#include <stdio.h>
#include <string.h>

#include "parent.h"
#include "peerport.h"

int
policy_check_peer(const struct ternd_conf *conf, const struct imsg_wg_peer *p,
    char *err, size_t errlen)
{
	char		 buf[PREFIX_STRLEN];
	uint32_t	 idx, i;
	size_t		 j;

	if (p->nallowed > TERN_ALLOWED_MAX) {
		snprintf(err, errlen, "%u allowed IPs, more than %d",
		    p->nallowed, TERN_ALLOWED_MAX);
		return -1;
	}
	if (peerport_index(&p->endpoint, conf->peerport, &idx) == -1) {
		snprintf(err, errlen, "endpoint is not a peer port");
		return -1;
	}
	for (i = 0; i < p->nallowed; i++) {
		const struct tern_prefix *a = &p->allowed[i];

		if ((a->af != AF_INET || a->plen > 32) &&
		    (a->af != AF_INET6 || a->plen > 128)) {
			snprintf(err, errlen, "malformed allowed IP");
			return -1;
		}
		if (!prefix_is_network(a)) {
			snprintf(err, errlen, "allowed IP %s has host bits set",
			    prefix_str(a, buf, sizeof(buf)));
			return -1;
		}
		for (j = 0; j < conf->naccept; j++)
			if (prefix_contains(&conf->accept[j], a))
				break;
		if (j == conf->naccept) {
			snprintf(err, errlen, "allowed IP %s is outside every "
			    "accept prefix", prefix_str(a, buf, sizeof(buf)));
			return -1;
		}
	}
	return 0;
}

/* What a reload cannot change without restarting the interface. */
int
policy_conf_reloadable(const struct ternd_conf *old,
    const struct ternd_conf *new, char *err, size_t errlen)
{
	const char	*what = NULL;

	if (strcmp(old->ifname, new->ifname) != 0)
		what = "interface";
	else if (old->port != new->port)
		what = "listen port";
	else if (old->peerport != new->peerport)
		what = "peer-port";
	else if (old->wg_backend != new->wg_backend ||
	    strcmp(old->wg_path, new->wg_path) != 0)
		what = "wireguard";
	else if (strcmp(old->keydir, new->keydir) != 0)
		what = "keys";
	else if (old->has_signal != new->has_signal ||
	    strcmp(old->signal_host, new->signal_host) != 0 ||
	    memcmp(old->signal_key, new->signal_key, KEY_LEN) != 0)
		what = "signal";
	else if (old->has_lock != new->has_lock ||
	    memcmp(old->lock_key, new->lock_key, KEY_LEN) != 0)
		what = "network-lock";
	if (what == NULL)
		return 0;
	snprintf(err, errlen, "%s changed: restart ternd to apply it", what);
	return -1;
}
