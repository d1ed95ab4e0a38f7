/*
 * tern-signal parent: prints a configuration as tern-signal.conf text that
 * parse.y reads back to the same configuration ("tern-signal -n").  Every
 * setting with a default is written out; unset feature flags are not.
 */
#include <sys/queue.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>

#include "conflex.h"
#include "duration.h"
#include "signal/signal.h"

static void	 print_relay(FILE *, const struct signal_relay *);
static void	 print_peer(FILE *, const struct sigmsg_peer *);

static void
print_relay(FILE *f, const struct signal_relay *r)
{
	char	 b64[KEY_B64LEN];

	fprintf(f, "\nrelay ");
	conflex_print_quoted(f, r->id);
	fprintf(f, " {\n\taddress ");
	conflex_print_quoted(f, r->address);
	fprintf(f, "\n\tsecret ");
	conflex_print_quoted(f, r->secret);
	fputc('\n', f);
	if (r->realm[0] != '\0') {
		fprintf(f, "\trealm ");
		conflex_print_quoted(f, r->realm);
		fputc('\n', f);
	}
	if (r->has_key) {
		key_to_b64(r->key, b64);
		fprintf(f, "\tkey \"%s\"\n", b64);
	}
	fprintf(f, "}\n");
}

static void
print_peer(FILE *f, const struct sigmsg_peer *p)
{
	char	 b64[KEY_B64LEN], buf[PREFIX_STRLEN], sig[NMSIGN_SIG_B64LEN];
	size_t	 i;

	fprintf(f, "\npeer ");
	conflex_print_quoted(f, p->name);
	fprintf(f, " {\n");
	key_to_b64(p->node_key, b64);
	fprintf(f, "\tnode-key \"%s\"\n", b64);
	key_to_b64(p->wg_key, b64);
	fprintf(f, "\twg-key \"%s\"\n", b64);
	for (i = 0; i < p->naddrs; i++)
		fprintf(f, "\taddress %s\n",
		    prefix_str(&p->addrs[i], buf, sizeof(buf)));
	for (i = 0; i < p->nallowed; i++)
		fprintf(f, "\tallowed-ips %s\n",
		    prefix_str(&p->allowed[i], buf, sizeof(buf)));
	for (i = 0; i < p->ngroups; i++) {
		fprintf(f, "\tgroup ");
		conflex_print_quoted(f, p->groups[i]);
		fputc('\n', f);
	}
	if (p->flags & SIGMSG_PEER_LAZY_EXEMPT)
		fprintf(f, "\tlazy-exempt\n");
	if (p->flags & SIGMSG_PEER_RELAY_ONLY)
		fprintf(f, "\trelay-only\n");
	if (p->has_lock) {
		nmsign_sig_to_b64(p->lock_sig, sig);
		fprintf(f, "\tlock-signature \"%s\"\n", sig);
	}
	fprintf(f, "}\n");
}

void
signal_print_config(FILE *f, const struct signal_conf *conf)
{
	char				 buf[DURATION_STRLEN];
	char				 pfx[PREFIX_STRLEN], b64[KEY_B64LEN];
	const struct signal_relay	*r;
	const struct signal_peer	*p;
	size_t				 i;

	for (i = 0; i < conf->nlisten; i++)
		conflex_print_listen(f, &conf->listen[i], "");
	fprintf(f, "key ");
	conflex_print_quoted(f, conf->keyfile);
	fputc('\n', f);
	for (i = 0; i < conf->nnetworks; i++)
		fprintf(f, "network %s\n",
		    prefix_str(&conf->networks[i], pfx, sizeof(pfx)));
	if (conf->has_lock) {
		key_to_b64(conf->lock_key, b64);
		fprintf(f, "network-lock \"%s\"\n", b64);
	}
	if (conf->lazy != -1)
		fprintf(f, "lazy-connections %s\n", conf->lazy ? "yes" : "no");
	if (conf->inactivity != 0)
		fprintf(f, "inactivity-threshold %s\n",
		    duration_str(conf->inactivity, buf, sizeof(buf)));
	fprintf(f, "isolate-groups %s\n", conf->isolate_groups ? "yes" : "no");
	fprintf(f, "max-message-size %s\n",
	    size_str(conf->msg_max, buf, sizeof(buf)));
	fprintf(f, "max-queue %s\n", size_str(conf->queue_max, buf,
	    sizeof(buf)));
	fprintf(f, "message-rate %u\n", conf->rate);
	fprintf(f, "max-connections-per-address %u\n", conf->conn_per_addr);
	fprintf(f, "handshake-rate %u\n", conf->hs_rate);
	fprintf(f, "max-handshakes %u\n", conf->handshakes);
	fprintf(f, "credential-lifetime %s\n",
	    duration_str(conf->cred_lifetime, buf, sizeof(buf)));
	TAILQ_FOREACH(r, &conf->relays, entry)
		print_relay(f, r);
	TAILQ_FOREACH(p, &conf->peers, entry)
		print_peer(f, &p->p);
}
