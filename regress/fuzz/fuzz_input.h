/*
 * libFuzzer targets (regress/fuzz/): the input read as a stream of
 * fields.  A field past the end reads as zeros, so every input decodes.
 */
#ifndef TERN_FUZZ_INPUT_H
#define TERN_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

struct fuzz_in {
	const uint8_t	*p;
	size_t		 left;
};

void	 fuzz_in_init(struct fuzz_in *, const uint8_t *, size_t);
/* Copies n bytes into out; -1 if fewer were left (the rest zeroed). */
int	 fuzz_take(struct fuzz_in *, void *, size_t);
uint8_t	 fuzz_u8(struct fuzz_in *);
uint16_t fuzz_u16(struct fuzz_in *);
uint32_t fuzz_u32(struct fuzz_in *);
uint64_t fuzz_u64(struct fuzz_in *);

#endif
