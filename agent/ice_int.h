/*
 * engine: what ice.c (sessions), ice_cand.c (candidates), ice_check.c
 * (checklist and checks), ice_consent.c (consent) and ice_ping.c
 * (ternctl ping) share.
 */
#ifndef TERND_ICE_INT_H
#define TERND_ICE_INT_H

#include <sys/queue.h>
#include <sys/tree.h>
#include <netinet/in.h>
#include <stdint.h>

#include "ice.h"
#include "stun.h"

#define ICE_RETRY_MIN_MS	1000	/* first wait before a new offer */
#define ICE_REMOTE_MAX		ICEMSG_CANDS_MAX  /* remote candidates */
#define ICE_PAIRS_MAX		40	/* pairs of one session */
#define ICE_PRFLX_MAX		4	/* our peer-reflexive candidates */
#define ICE_RELAYED_MAX		1	/* one allocation */
#define ICE_LOCAL_MAX		(TERN_LOCAL_ADDRS_MAX + ICE_SRFLX_MAX + \
				    ICE_RELAYED_MAX + ICE_PRFLX_MAX)
/* RFC 8445 5.3: at least 24 and 128 random bits; 6 bits per ice-char. */
#define ICE_UFRAG_LEN		8
#define ICE_PWD_LEN		24
#define ICE_LPREF_SHIFT		8	/* RFC 8445 5.1.2.1: 2^8 */
/* RFC 8489 6.1: under the IPv4 reassembly minimum, no fragments. */
#define ICE_STUN_MAX		576

enum ice_state {
	ICE_OFFERED = 1,	/* our offer sent, no remote credentials */
	ICE_CHECKING,		/* checks under way, no pair selected */
	ICE_CONNECTED,		/* a pair is selected */
	ICE_FAILED,		/* gave up; a new offer at s->deadline */
};

/* RFC 8445 6.1.2.6 states of a pair. */
enum ice_pstate {
	ICE_P_FROZEN = 0,
	ICE_P_WAITING,
	ICE_P_INPROGRESS,
	ICE_P_SUCCEEDED,
	ICE_P_FAILED,
};

struct ice_cand {
	struct sockaddr_in6	 addr;		/* v4 as v4-mapped */
	enum cand_type		 type;
	uint32_t		 priority;
	char			 foundation[ICEMSG_FOUNDATION_MAX];
};

struct ice_sess;

struct ice_check {
	RB_ENTRY(ice_check)	 tid_entry;	/* while a request is out */
	struct ice_sess		*sess;
	size_t			 local;		/* index of s->local */
	size_t			 remote;	/* index of s->remote */
	size_t			 valid_local;	/* what the remote saw */
	int			 relayed;	/* sent through our relay */
	uint64_t		 prio;
	enum ice_pstate		 state;
	uint8_t			 tid[STUN_TID_LEN];
	int			 ntx;
	uint64_t		 rto;
	uint64_t		 next_tx;
	int			 in_tree;
	int			 queued;	/* in the triggered queue */
	int			 nominated;	/* by the controlling side */
	int			 valid;		/* it succeeded once */
	uint64_t		 sent_us;	/* its last transmission */
};
RB_HEAD(ice_tid_tree, ice_check);

struct ice_sess {
	RB_ENTRY(ice_sess)	 ufrag_entry;
	RB_ENTRY(ice_sess)	 due_entry;
	TAILQ_ENTRY(ice_sess)	 ready_entry;
	TAILQ_ENTRY(ice_sess)	 entry;		/* all sessions */
	struct peer		*peer;
	const struct ice_env	*env;
	enum ice_state		 state;
	int			 controlling;
	uint64_t		 tie;
	char			 lufrag[ICE_UFRAG_LEN + 1];
	char			 lpwd[ICE_PWD_LEN + 1];
	int			 has_remote;
	char			 rufrag[ICEMSG_UFRAG_MAX];
	char			 rpwd[ICEMSG_PWD_MAX];
	struct ice_cand		 local[ICE_LOCAL_MAX];
	size_t			 nlocal;
	size_t			 nhost;
	size_t			 nprflx_made;
	struct ice_cand		 remote[ICE_REMOTE_MAX];
	size_t			 nremote;
	struct ice_check	 pairs[ICE_PAIRS_MAX];
	size_t			 npairs;
	size_t			 trig[ICE_PAIRS_MAX];	/* FIFO of pairs */
	size_t			 ntrig;
	int			 has_sel;
	struct ice_cand		 sel_local;
	struct ice_cand		 sel_remote;
	uint64_t		 sel_prio;
	int			 sel_nominated;
	struct sockaddr_in6	 sel_base;	/* the host it is sent from */
	int			 sel_base_known; /* else any host of its family */
	size_t			 sel_pair;	/* its check, for consent */
	int			 sel_relayed;	/* through our relay */
	/*
	 * While the path in use is direct, the best relay path that
	 * succeeded is kept alive beside it with consent checks of its
	 * own, so that the engine can move to it at once (path selection).
	 */
	int			 has_alt;
	size_t			 alt_pair;
	struct ice_cand		 alt_remote;
	int			 alt_relayed;
	uint64_t		 alt_prio;
	uint64_t		 alt_consent_at;
	uint64_t		 alt_consent_next;
	uint64_t		 upgrade_at;	/* on a relay: direct again */
	int			 relay_checked;	/* a relay pair went first */
	uint64_t		 consent_at;	/* its last answer */
	uint64_t		 consent_next;	/* the next consent check */
	uint32_t		 rtt_us;	/* its last round trip */
	int			 capped;	/* a cap was hit and logged */
	uint64_t		 deadline;	/* give up, or send a new offer */
	uint64_t		 backoff;
	uint64_t		 due;
	int			 in_due;
	int			 in_ready;
};
RB_HEAD(ice_ufrag_tree, ice_sess);
RB_HEAD(ice_due_tree, ice_sess);
TAILQ_HEAD(ice_ready_head, ice_sess);

RB_PROTOTYPE(ice_ufrag_tree, ice_sess, ufrag_entry, ice_ufrag_cmp)

/* Our sessions by local ufrag: credentials (ice.c), requests (ice_check.c). */
extern struct ice_ufrag_tree	 ice_ufrags;

int	 ice_addr_eq(const struct sockaddr_in6 *,
		    const struct sockaddr_in6 *);
int	 ice_is_v4(const struct sockaddr_in6 *);
void	 ice_to_sa(const struct sockaddr_in6 *,
		    struct sockaddr_storage *);
int	 ice_from_sa(const struct sockaddr_storage *,
		    struct sockaddr_in6 *);
int	 ice_same_foundation(const struct ice_sess *,
		    const struct ice_check *, const struct ice_check *);
size_t	 ice_hosts(const struct ice_env *, struct ice_cand *);
void	 ice_sess_hosts(struct ice_sess *);
int	 ice_srflx_current(const struct ice_env *,
		    const struct ice_cand *);
int	 ice_sess_srflx(struct ice_sess *);
void	 ice_check_untrack(struct ice_check *);
void	 ice_sess_reset_remote(struct ice_sess *);
int	 ice_sess_pick(struct ice_sess *, int);
void	 ice_sess_schedule(struct ice_sess *);
void	 ice_sess_consent(struct ice_sess *, uint64_t);
void	 ice_sess_role(struct ice_sess *, int);
ssize_t	 ice_sess_pair(struct ice_sess *, size_t, int);
int	 ice_relayed_current(const struct ice_env *,
		    const struct ice_cand *);
void	 ice_sess_capped(struct ice_sess *, const char *, int);
ssize_t	 ice_sess_add_remote(struct ice_sess *,
		    const struct sockaddr_in6 *, enum cand_type, uint32_t,
		    const char *);
int	 ice_sess_adopt(struct ice_sess *, const struct icemsg *);
void	 ice_sess_unqueue(struct ice_sess *);
uint64_t	 ice_consent_delay(void);
ssize_t	 ice_request_build(const struct ice_sess *, size_t,
		    const uint8_t *, int, uint8_t *, size_t);
int	 ice_check_send(struct ice_check *, uint64_t);
int	 ice_pair_via_relay(const struct ice_sess *, const struct ice_check *);
int	 ice_sel_via_relay(const struct ice_sess *);
void	 ice_sess_select(struct ice_sess *, struct ice_check *, uint64_t);
void	 ice_sess_alt_consent(struct ice_sess *, uint64_t);
void	 ice_sess_alt_drop(struct ice_sess *);
int	 ice_sess_send(struct ice_sess *, int, const uint8_t *, size_t,
		    const struct sockaddr_in6 *);
/* An answer to no check: 1 if it is a ping's (ice_ping.c), taken. */
int	 ice_ping_input(const struct stun_msg *, int,
		    const struct sockaddr_in6 *);

#endif
