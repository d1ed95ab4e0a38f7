/* ctl: ternctl's output back ends, text and JSON, behind one interface. */
#ifndef TERNCTL_H
#define TERNCTL_H

#include <stddef.h>

#include "ternd.h"

/*
 * status: head, then peer for each peer shown, then tail.  netcheck:
 * nc_head, nc_relay for each relay of the header's count, nc_tail.
 * ping: pong for each answer or timeout of the named peer, as it comes.
 */
struct output {
	void	(*head)(const struct ctl_status_hdr *);
	void	(*peer)(const struct ctl_status_peer *);
	void	(*tail)(void);
	void	(*nc_head)(const struct ctl_netcheck_hdr *);
	void	(*nc_relay)(const struct ctl_netcheck_hdr *, size_t,
		    const struct ctl_netcheck_relay *);
	void	(*nc_tail)(const struct ctl_netcheck_hdr *);
	void	(*pong)(const char *, const struct ctl_pong *);
};

extern const struct output	 output_text;
extern int			 output_detail;	/* status -d */
extern const struct output	 output_json;

/*
 * What ternd answers is checked and cleaned before it is shown:
 * strings are cut to their field and control characters become '?'
 * (output_clean); a netcheck header's relay in use must be one of its
 * relays (output_nc_hdr_ok, 1 if so); a pong's status must be known
 * (output_pong_ok, 1 if so).
 */
void	 output_clean(char *, size_t);
void	 output_clean_hdr(struct ctl_status_hdr *);
void	 output_clean_peer(struct ctl_status_peer *);
void	 output_clean_relay(struct ctl_netcheck_relay *);
int	 output_nc_hdr_ok(const struct ctl_netcheck_hdr *);
int	 output_pong_ok(const struct ctl_pong *);

/* lock.c: the network lock's offline key */
int	 lock_keygen(const char *);
int	 lock_sign(int, char *[]);

#endif
