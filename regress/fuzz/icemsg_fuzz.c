/* libFuzzer target: ICE payloads that peers seal to us (lib/icemsg.c). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "icemsg.h"

#define FUZZ_ERRLEN	256

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* A peer's box opens to anything it chose: what parses must round-trip. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct icemsg	 m, back;
	char			 err[FUZZ_ERRLEN], *text, *again;
	size_t			 len, len2;

	if (icemsg_parse((const char *)data, size, &m, err, sizeof(err)) == -1)
		return 0;
	if ((text = icemsg_encode(&m, &len)) == NULL)
		abort();
	if (icemsg_parse(text, len, &back, err, sizeof(err)) == -1)
		abort();
	if ((again = icemsg_encode(&back, &len2)) == NULL ||
	    len != len2 || memcmp(text, again, len) != 0)
		abort();
	free(again);
	free(text);
	return 0;
}
