/* libFuzzer targets: fields of the input, big-endian integers. */
#include <string.h>

#include "fuzz_input.h"

void
fuzz_in_init(struct fuzz_in *in, const uint8_t *data, size_t size)
{
	in->p = data;
	in->left = size;
}

int
fuzz_take(struct fuzz_in *in, void *out, size_t n)
{
	size_t	 have = n < in->left ? n : in->left;

	memcpy(out, in->p, have);
	memset((uint8_t *)out + have, 0, n - have);
	in->p += have;
	in->left -= have;
	return have == n ? 0 : -1;
}

static uint64_t
fuzz_uint(struct fuzz_in *in, size_t n)
{
	uint8_t		 b[sizeof(uint64_t)];
	uint64_t	 v = 0;
	size_t		 i;

	fuzz_take(in, b, n);
	for (i = 0; i < n; i++)
		v = v << 8 | b[i];
	return v;
}

uint8_t
fuzz_u8(struct fuzz_in *in)
{
	return (uint8_t)fuzz_uint(in, sizeof(uint8_t));
}

uint16_t
fuzz_u16(struct fuzz_in *in)
{
	return (uint16_t)fuzz_uint(in, sizeof(uint16_t));
}

uint32_t
fuzz_u32(struct fuzz_in *in)
{
	return (uint32_t)fuzz_uint(in, sizeof(uint32_t));
}

uint64_t
fuzz_u64(struct fuzz_in *in)
{
	return fuzz_uint(in, sizeof(uint64_t));
}
