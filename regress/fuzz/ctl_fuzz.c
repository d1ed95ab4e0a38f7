/*
 * libFuzzer target for ternctl's reading of ternd's answers
 * (ctl/output.c): status and netcheck answers of any contents, checked
 * and cleaned as ctl/ternctl.c does, shown by the text or the JSON back
 * end to /dev/null.  The input: a selector (bit 0 JSON, bit 1 status
 * -d, bit 2 netcheck, bit 3 ping), then for status and netcheck the
 * header, then for status a u8 before each peer (0 ends the list), for
 * netcheck the header's count of relays as far as the input goes; for
 * ping the pongs as far as the input goes.  Not covered: the imsg reading of
 * ternctl.c itself (lib imsg, exact sizes as elsewhere).
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "ternctl.h"

#define FUZZ_PEERS_MAX	64	/* per input: keeps runs short */
#define FUZZ_PONGS_MAX	64

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_status(struct fuzz_in *in, const struct output *out)
{
	struct ctl_status_hdr	 h;
	struct ctl_status_peer	 p;
	size_t			 n;

	fuzz_take(in, &h, sizeof(h));
	output_clean_hdr(&h);
	out->head(&h);
	for (n = 0; n < FUZZ_PEERS_MAX && fuzz_u8(in) != 0; n++) {
		fuzz_take(in, &p, sizeof(p));
		output_clean_peer(&p);
		out->peer(&p);
	}
	out->tail();
}

static void
fuzz_netcheck(struct fuzz_in *in, const struct output *out)
{
	struct ctl_netcheck_hdr		 h;
	struct ctl_netcheck_relay	 r;
	size_t				 i;

	fuzz_take(in, &h, sizeof(h));
	if (!output_nc_hdr_ok(&h))
		return;
	out->nc_head(&h);
	for (i = 0; i < h.nrelays && in->left > 0; i++) {
		fuzz_take(in, &r, sizeof(r));
		output_clean_relay(&r);
		out->nc_relay(&h, i, &r);
	}
	out->nc_tail(&h);
}

static void
fuzz_ping(struct fuzz_in *in, const struct output *out)
{
	struct ctl_pong	 pong;
	size_t		 n;

	for (n = 0; n < FUZZ_PONGS_MAX && in->left > 0; n++) {
		fuzz_take(in, &pong, sizeof(pong));
		if (!output_pong_ok(&pong))
			return;
		output_clean(pong.relay, sizeof(pong.relay));
		out->pong("peer", &pong);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int	 init;
	struct fuzz_in	 in;
	uint8_t		 sel;

	if (!init) {
		if (freopen("/dev/null", "w", stdout) == NULL)
			abort();
		init = 1;
	}
	fuzz_in_init(&in, data, size);
	sel = fuzz_u8(&in);
	output_detail = (sel & 2) != 0;
	if (sel & 8)
		fuzz_ping(&in, (sel & 1) ? &output_json : &output_text);
	else if (sel & 4)
		fuzz_netcheck(&in, (sel & 1) ? &output_json : &output_text);
	else
		fuzz_status(&in, (sel & 1) ? &output_json : &output_text);
	return 0;
}
