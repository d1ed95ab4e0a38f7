/*
 * ternd parent: prints a configuration as ternd.conf text that parse.y
 * reads back to the same configuration ("ternd -n").  Every setting is
 * written out, defaults included, but for the lazy ones: their absence
 * leaves the choice to the environment or the server.  A relay's
 * password or secret is never printed: the file it came from is, or a
 * mask in its place.
 */
#include <sys/queue.h>
#include <sys/socket.h>
#include <stdio.h>

#include "conflex.h"
#include "duration.h"
#include "ternd.h"

/* Stands for a password or secret given in the file itself. */
#define PRINTCONF_MASK	"********"

static void	 print_peer(FILE *, const struct peer_conf *);
static void	 print_relay(FILE *, const struct relay_entry *);
static void	 print_hidden(FILE *, const char *, const char *);

static void
print_peer(FILE *f, const struct peer_conf *p)
{
	char	 b64[KEY_B64LEN], buf[ADDR_STRLEN];
	size_t	 i;

	fprintf(f, "\npeer ");
	conflex_print_quoted(f, p->name);
	fprintf(f, " {\n");
	key_to_b64(p->wgkey, b64);
	fprintf(f, "\tpublic-key \"%s\"\n", b64);
	for (i = 0; i < p->nallowed; i++)
		fprintf(f, "%s%s", i == 0 ? "\tallowed-ips " : ", ",
		    prefix_str(&p->allowed[i], buf, sizeof(buf)));
	if (p->nallowed > 0)
		fputc('\n', f);
	if (p->has_endpoint)
		fprintf(f, "\tendpoint \"%s\"\n", sockaddr_str(
		    (const struct sockaddr *)&p->endpoint, buf, sizeof(buf)));
	if (p->keepalive != 0)
		fprintf(f, "\tpersistent-keepalive %u\n", p->keepalive);
	fprintf(f, "}\n");
}

static void
print_relay(FILE *f, const struct relay_entry *r)
{
	const struct imsg_relay_boot	*b = &r->boot;

	fprintf(f, "relay ");
	conflex_print_quoted(f, b->addr);
	if (b->username[0] != '\0') {
		fprintf(f, " username ");
		conflex_print_quoted(f, b->username);
	}
	if (b->password[0] != '\0')
		print_hidden(f, "password", r->credfile);
	if (b->secret[0] != '\0')
		print_hidden(f, "secret", r->credfile);
	if (b->realm[0] != '\0') {
		fprintf(f, " realm ");
		conflex_print_quoted(f, b->realm);
	}
	fputc('\n', f);
}

static void
print_hidden(FILE *f, const char *what, const char *credfile)
{
	if (credfile[0] != '\0') {
		fprintf(f, " %s-file ", what);
		conflex_print_quoted(f, credfile);
	} else
		fprintf(f, " %s \"%s\"", what, PRINTCONF_MASK);
}

void
print_config(FILE *f, const struct ternd_conf *conf)
{
	char			 buf[PREFIX_STRLEN], b64[KEY_B64LEN];
	char			 dur[DURATION_STRLEN];
	const struct peer_conf	*p;
	const struct exclude_conf *ex;
	size_t			 i;

	fprintf(f, "interface ");
	conflex_print_quoted(f, conf->ifname);
	fputc('\n', f);
	for (i = 0; i < conf->naddrs; i++)
		fprintf(f, "address %s\n",
		    prefix_str(&conf->addrs[i], buf, sizeof(buf)));
	fprintf(f, "mtu %u\n", conf->mtu);
	fprintf(f, "listen port %u\n", conf->port);
	fprintf(f, "peer-port %u\n", conf->peerport);
	switch (conf->wg_backend) {
	case WG_BACKEND_USERSPACE:
		fprintf(f, "wireguard userspace ");
		conflex_print_quoted(f, conf->wg_path);
		fputc('\n', f);
		break;
	}
	fprintf(f, "keys ");
	conflex_print_quoted(f, conf->keydir);
	fputc('\n', f);
	fprintf(f, "tls-ca ");
	conflex_print_quoted(f, conf->tls_ca);
	fputc('\n', f);
	for (i = 0; i < conf->naccept; i++)
		fprintf(f, "accept %s\n",
		    prefix_str(&conf->accept[i], buf, sizeof(buf)));
	if (conf->has_signal) {
		key_to_b64(conf->signal_key, b64);
		fprintf(f, "signal ");
		conflex_print_quoted(f, conf->signal_host);
		fprintf(f, " key \"%s\"\n", b64);
	}
	if (conf->has_lock) {
		key_to_b64(conf->lock_key, b64);
		fprintf(f, "network-lock \"%s\"\n", b64);
	}
	for (i = 0; i < conf->relays.n; i++)
		print_relay(f, &conf->relays.r[i]);
	if (conf->lazy != -1)
		fprintf(f, "lazy-connections %s\n", conf->lazy ? "yes" : "no");
	if (conf->inactivity != 0)
		fprintf(f, "inactivity-threshold %s\n",
		    duration_str(conf->inactivity, dur, sizeof(dur)));
	TAILQ_FOREACH(ex, &conf->excludes, entry) {
		fprintf(f, "exclude ");
		conflex_print_quoted(f, ex->name);
		fputc('\n', f);
	}
	TAILQ_FOREACH(p, &conf->peers, entry)
		print_peer(f, p);
}
