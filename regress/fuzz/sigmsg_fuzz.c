/* libFuzzer target: tern-signal JSON messages (lib/sigmsg.c). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sigmsg.h"

#define FUZZ_ERRLEN	256

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * Whatever parses must encode, and what we encode must parse back to the
 * same text: the server and the agent share this code.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sigmsg	 m, back;
	char		 err[FUZZ_ERRLEN], *text, *again;
	size_t		 len, len2;

	if (sigmsg_parse((const char *)data, size, &m, err, sizeof(err)) == -1)
		return 0;
	if ((text = sigmsg_encode(&m, &len)) == NULL)
		abort();
	if (sigmsg_parse(text, len, &back, err, sizeof(err)) == -1)
		abort();
	if ((again = sigmsg_encode(&back, &len2)) == NULL ||
	    len != len2 || memcmp(text, again, len) != 0)
		abort();
	free(again);
	free(text);
	sigmsg_free(&back);
	sigmsg_free(&m);
	return 0;
}
