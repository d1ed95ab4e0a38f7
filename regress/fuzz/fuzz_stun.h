/*
 * libFuzzer targets (regress/fuzz/): addresses, and STUN attributes from
 * the input, for the targets that build messages as a server or a peer
 * would.
 */
#ifndef TERN_FUZZ_STUN_H
#define TERN_FUZZ_STUN_H

#include <sys/socket.h>
#include <netinet/in.h>
#include <stdint.h>

#include "fuzz_input.h"
#include "stun.h"

/* An IPv6 (or v4-mapped) address the target fixes; aborts on a typo. */
void	 fuzz_addr(struct sockaddr_in6 *, const char *, uint16_t);
/* u8 (bit 0: IPv6, else IPv4), the address, u16 port. */
void	 fuzz_stun_addr(struct fuzz_in *, struct sockaddr_storage *);
/* Up to two attributes of any type and contents; -1 if they do not fit. */
int	 fuzz_stun_extra(struct fuzz_in *, struct stun_builder *);

#endif
