/*
 * tern-relay parent: prints a configuration as tern-relay.conf text that
 * parse.y reads back to the same configuration ("tern-relay -n").
 * Every setting with a default is written out.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>

#include "addr.h"
#include "conflex.h"
#include "relay/relay.h"

static void	 print_text(FILE *, const char *, const char *);

static void
print_text(FILE *f, const char *what, const char *s)
{
	fprintf(f, "%s ", what);
	conflex_print_quoted(f, s);
	fputc('\n', f);
}

void
relay_print_config(FILE *f, const struct relay_conf *conf)
{
	char	 buf[INET6_ADDRSTRLEN], b64[KEY_B64LEN];
	size_t	 i;

	for (i = 0; i < conf->nlisten; i++)
		conflex_print_listen(f, &conf->listen[i], "");
	for (i = 0; i < conf->ntls; i++)
		conflex_print_listen(f, &conf->tls_listen[i], " tls");
	if (conf->tls_cert[0] != '\0')
		print_text(f, "tls-certificate", conf->tls_cert);
	if (conf->tls_key[0] != '\0')
		print_text(f, "tls-key", conf->tls_key);
	print_text(f, "realm", conf->realm);
	for (i = 0; i < conf->nsecrets; i++)
		print_text(f, "secret", conf->secrets[i]);
	fprintf(f, "rate-limit %u burst %u\n", conf->rate, conf->burst);
	fprintf(f, "rate-table-size %u\n", conf->table_size);
	if (conf->relay_addr[0].ss_family == AF_INET)
		fprintf(f, "relay-address %s\n", inet_ntop(AF_INET,
		    &((const struct sockaddr_in *)&conf->relay_addr[0])->sin_addr,
		    buf, sizeof(buf)));
	if (conf->relay_addr[1].ss_family == AF_INET6)
		fprintf(f, "relay-address %s\n", inet_ntop(AF_INET6,
		    &((const struct sockaddr_in6 *)
		    &conf->relay_addr[1])->sin6_addr, buf, sizeof(buf)));
	fprintf(f, "relay-ports %u %u\n", conf->lim.port_lo, conf->lim.port_hi);
	for (i = 0; i < conf->nrules; i++)
		relay_peer_rule_print(f, &conf->rules[i]);
	fprintf(f, "max-allocations %u\n", conf->lim.allocs);
	fprintf(f, "max-allocations-per-user %u\n", conf->lim.allocs_user);
	fprintf(f, "max-allocations-per-source %u\n", conf->lim.allocs_src);
	fprintf(f, "max-permissions %u\n", conf->lim.perms);
	fprintf(f, "max-channels %u\n", conf->lim.chans);
	fprintf(f, "bandwidth %llu\n", (unsigned long long)conf->lim.bps);
	fprintf(f, "total-bandwidth %llu\n",
	    (unsigned long long)conf->lim.total_bps);
	fprintf(f, "nonce-lifetime %u\n", conf->lim.nonce_lifetime);
	fprintf(f, "auth-failure-rate %u\n", conf->lim.authfail_rate);
	if (conf->servers != 0)
		fprintf(f, "servers %u\n", conf->servers);
	print_text(f, "control-socket", conf->control);
	if (conf->signal_host[0] != '\0') {
		fprintf(f, "signal ");
		conflex_print_quoted(f, conf->signal_host);
		key_to_b64(conf->signal_key, b64);
		fprintf(f, " key \"%s\"\n", b64);
		print_text(f, "key", conf->keyfile);
	}
}
