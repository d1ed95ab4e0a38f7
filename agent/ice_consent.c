/* engine: ICE consent freshness (RFC 7675) on the selected pair. */
#include <stdint.h>

#include <sodium.h>

#include "ice.h"
#include "ice_int.h"

#define ICE_CONSENT_MS		5000	/* RFC 7675 5.1: a check every 5 s */
#define ICE_CONSENT_JITTER	5	/* RFC 7675 5.1: +/- 20%, 1/5 */

/* RFC 7675 5.1: a check on the pair in use, as a new transaction. */
void
ice_sess_consent(struct ice_sess *s, uint64_t now)
{
	struct ice_check	*k;

	s->consent_next = now + ice_consent_delay();
	if (s->sel_pair >= s->npairs)
		return;
	k = &s->pairs[s->sel_pair];
	if (!ice_addr_eq(&s->remote[k->remote].addr, &s->sel_remote.addr))
		return;
	/* A fresh transaction each time: backoff must not outlast consent. */
	ice_check_untrack(k);
	k->ntx = 0;
	if (ice_check_send(k, now) == -1) {
		ice_check_untrack(k);
		k->state = ICE_P_FAILED;
	}
}

/* The relay path kept beside a direct one: its own consent checks. */
void
ice_sess_alt_consent(struct ice_sess *s, uint64_t now)
{
	struct ice_check	*k;

	s->alt_consent_next = now + ice_consent_delay();
	if (!s->has_alt || s->alt_pair >= s->npairs)
		return;
	k = &s->pairs[s->alt_pair];
	ice_check_untrack(k);
	k->ntx = 0;
	if (ice_check_send(k, now) == -1)
		ice_check_untrack(k);
}

void
ice_sess_alt_drop(struct ice_sess *s)
{
	if (!s->has_alt)
		return;
	s->has_alt = 0;
	peer_path_alt(s->peer, NULL, 0);
}

/* RFC 7675 5.1: randomised so that sessions do not beat in step. */
uint64_t
ice_consent_delay(void)
{
	uint32_t	 j = ICE_CONSENT_MS / ICE_CONSENT_JITTER;

	return ICE_CONSENT_MS - j + randombytes_uniform(2 * j + 1);
}
