/*
 * engine: per peer, whether WireGuard datagrams take the direct path or
 * the relay (DESIGN.md "Path selection"), from events and times the
 * caller gives, so the rules are tested without sockets.
 */
#ifndef TERND_PATHSEL_H
#define TERND_PATHSEL_H

#include <stddef.h>
#include <stdint.h>

#define PATHSEL_SILENT_MS	8000	/* DESIGN.md: silent more than 8 s */
#define PATHSEL_SILENT_SENDS	3	/* DESIGN.md: on 3 sends in a row */
#define PATHSEL_UNREACH_MAX	3	/* DESIGN.md: 3 ICMP errors in a row */
#define PATHSEL_RECEIPTS	3	/* DESIGN.md: 3 direct receipts clear */
#define PATHSEL_RELAYED_MAX	4096	/* DESIGN.md: at most 4096 relayed */
#define PATHSEL_WHY_MAX		64	/* the longest reason takes 47 bytes */

/* Why a peer is held on the relay whatever the direct path does. */
#define PATHSEL_PIN_RELAY_ONLY	0x1	/* the netmap flags it relay-only */
#define PATHSEL_PIN_SYMMETRIC	0x2	/* symmetric NAT on both sides */
#define PATHSEL_PIN_ALL		(PATHSEL_PIN_RELAY_ONLY | PATHSEL_PIN_SYMMETRIC)

/* The engine's one count of relayed peers, against PATHSEL_RELAYED_MAX. */
struct pathsel_tally {
	size_t		 relayed;
};

struct pathsel {
	int		 relay;		/* 1: datagrams take the relay */
	int		 refused;	/* wants the relay, the tally is full */
	unsigned int	 pinned;	/* PATHSEL_PIN_* bits */
	uint64_t	 last_recv_ms;	/* last direct receipt, or the start */
	uint32_t	 silent_sends;	/* sends in a row finding it silent */
	uint32_t	 unreach;	/* ICMP unreachable in a row */
	uint32_t	 receipts;	/* direct receipts in a row */
	uint64_t	 flip_ms;	/* when relay last changed */
	char		 why[PATHSEL_WHY_MAX];	/* why it changed, or refused */
};

enum pathsel_flip {
	PATHSEL_SAME,		/* nothing to log */
	PATHSEL_TO_RELAY,	/* direct -> relay, for ps->why */
	PATHSEL_TO_DIRECT,	/* relay -> direct, for ps->why */
	PATHSEL_REFUSED,	/* wants the relay for ps->why, tally full */
};

/*
 * pathsel_init starts a peer on the direct path at time now (ms of
 * monotime_ms); pathsel_release gives back its relayed slot, before the
 * peer is freed or goes idle.  The event functions only count;
 * pathsel_update applies the rules and says what changed, once: a
 * refusal is reported again only after the peer stopped wanting the
 * relay or got it.  pathsel_pin and pathsel_unpin take PATHSEL_PIN_*
 * bits and return -1 for anything else.
 */
void	 pathsel_init(struct pathsel *, uint64_t);
void	 pathsel_release(struct pathsel *, struct pathsel_tally *);
void	 pathsel_sent_direct(struct pathsel *, uint64_t);
void	 pathsel_recv_direct(struct pathsel *, uint64_t, int);
void	 pathsel_icmp_unreach(struct pathsel *);
int	 pathsel_pin(struct pathsel *, unsigned int);
int	 pathsel_unpin(struct pathsel *, unsigned int);
enum pathsel_flip pathsel_update(struct pathsel *, struct pathsel_tally *,
	    uint64_t);

#endif
