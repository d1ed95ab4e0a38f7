/*
 * tern-relay parent: prints a configuration as tern-relay.conf text that
 * parse.y reads back to the same configuration ("tern-relay -n").
 * Every setting with a default is written out.
 */
#include <sys/socket.h>

#include <stdio.h>

#include "conflex.h"
#include "relay/relay.h"

void
relay_print_config(FILE *f, const struct relay_conf *conf)
{
	size_t	 i;

	for (i = 0; i < conf->nlisten; i++)
		conflex_print_listen(f, &conf->listen[i]);
	if (conf->realm[0] != '\0') {
		fprintf(f, "realm ");
		conflex_print_quoted(f, conf->realm);
		fputc('\n', f);
	}
	if (conf->secret[0] != '\0') {
		fprintf(f, "secret ");
		conflex_print_quoted(f, conf->secret);
		fputc('\n', f);
	}
	fprintf(f, "rate-limit %u burst %u\n", conf->rate, conf->burst);
	fprintf(f, "rate-table-size %u\n", conf->table_size);
}
