/*
 * engine: ternctl ping, a Binding request on a peer's selected pair
 * and its answer, timed.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "engine.h"
#include "ice.h"
#include "ice_int.h"
#include "monotime.h"
#include "stun.h"

/*
 * What an answer is checked against is kept with the ping, not looked
 * up in the session: the session may be gone or restarted by then.
 */
struct ice_ping_out {
	int			 used;
	uint8_t			 tid[STUN_TID_LEN];
	char			 rpwd[ICEMSG_PWD_MAX];
	struct sockaddr_in6	 to;
	int			 relayed;
	int			 remote_relayed;
	uint64_t		 sent_us;
	ice_ping_cb		 cb;
	void			*arg;
};

static struct ice_ping_out	 ice_pings[ICE_PINGS_MAX];
static size_t			 ice_npings;

static void
ice_ping_free(struct ice_ping_out *o)
{
	sodium_memzero(o, sizeof(*o));
	ice_npings--;
}

int
ice_ping(struct peer *p, ice_ping_cb cb, void *arg)
{
	struct ice_sess		*s = p->ice;
	struct ice_ping_out	*o = NULL;
	struct ice_check	*k;
	uint8_t			 buf[ICE_STUN_MAX];
	ssize_t			 len;
	size_t			 i;

	/*
	 * As consent does: the pair in use, with the remote's credentials;
	 * the relay path beside the direct one if the datagrams were moved
	 * to it (path selection).
	 */
	if (s == NULL || !s->has_sel || !s->has_remote)
		return -1;
	if (p->on_alt && s->has_alt && s->alt_pair < s->npairs)
		k = &s->pairs[s->alt_pair];
	else if (s->sel_pair < s->npairs) {
		k = &s->pairs[s->sel_pair];
		if (!ice_addr_eq(&s->remote[k->remote].addr,
		    &s->sel_remote.addr))
			return -1;
	} else
		return -1;
	for (i = 0; i < ICE_PINGS_MAX && o == NULL; i++)
		if (!ice_pings[i].used)
			o = &ice_pings[i];
	if (o == NULL)
		return -1;
	randombytes_buf(o->tid, sizeof(o->tid));
	/* No USE-CANDIDATE: a ping asks, it does not nominate. */
	if ((len = ice_request_build(s, k->local, o->tid, 0, buf,
	    sizeof(buf))) == -1)
		return -1;
	o->sent_us = monotime_us();
	if (ice_sess_send(s, s->sel_relayed, buf, len, &s->sel_remote.addr) ==
	    -1)
		return -1;
	o->used = 1;
	strlcpy(o->rpwd, s->rpwd, sizeof(o->rpwd));
	o->to = s->sel_remote.addr;
	o->relayed = s->sel_relayed;
	o->remote_relayed = s->sel_remote.type == CAND_RELAY;
	o->cb = cb;
	o->arg = arg;
	ice_npings++;
	return 0;
}

void
ice_ping_cancel(void *arg)
{
	size_t	 i;

	for (i = 0; i < ICE_PINGS_MAX && ice_npings > 0; i++)
		if (ice_pings[i].used && ice_pings[i].arg == arg)
			ice_ping_free(&ice_pings[i]);
}

/*
 * Only the pair pinged answers, with the remote's credentials; an
 * error answer ends the ping unanswered, to time out.
 */
int
ice_ping_input(const struct stun_msg *m, int relayed,
    const struct sockaddr_in6 *from)
{
	struct ice_ping_out	*o = NULL;
	struct ice_pong		 pong;
	ice_ping_cb		 cb;
	void			*arg;
	uint64_t		 rtt;
	size_t			 i;

	for (i = 0; i < ICE_PINGS_MAX && ice_npings > 0 && o == NULL; i++)
		if (ice_pings[i].used &&
		    memcmp(ice_pings[i].tid, m->tid, STUN_TID_LEN) == 0)
			o = &ice_pings[i];
	if (o == NULL || relayed != o->relayed ||
	    !ice_addr_eq(from, &o->to) ||
	    stun_check_integrity(m, (const uint8_t *)o->rpwd,
	    strlen(o->rpwd)) != 0)
		return 0;
	rtt = monotime_us() - o->sent_us;
	memset(&pong, 0, sizeof(pong));
	/* 0 means unknown elsewhere; no answer takes 2^32 us. */
	pong.rtt_us = rtt == 0 ? 1 : rtt > UINT32_MAX ? UINT32_MAX :
	    (uint32_t)rtt;
	pong.relayed = o->relayed;
	pong.remote_relayed = o->remote_relayed;
	pong.remote = o->to;
	cb = o->cb;
	arg = o->arg;
	ice_ping_free(o);
	if (stun_class(m->type) == STUN_SUCCESS)
		cb(arg, &pong);
	return 1;
}
