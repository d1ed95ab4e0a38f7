/* ctl: ternctl's output back ends, text and JSON, behind one interface. */
#ifndef TERNCTL_H
#define TERNCTL_H

#include <stddef.h>

#include "ternd.h"

/*
 * status: head, then peer for each peer shown, then tail.  netcheck:
 * nc_head, nc_relay for each relay of the header's count, nc_tail.
 */
struct output {
	void	(*head)(const struct ctl_status_hdr *);
	void	(*peer)(const struct ctl_status_peer *);
	void	(*tail)(void);
	void	(*nc_head)(const struct ctl_netcheck_hdr *);
	void	(*nc_relay)(const struct ctl_netcheck_hdr *, size_t,
		    const struct ctl_netcheck_relay *);
	void	(*nc_tail)(const struct ctl_netcheck_hdr *);
};

extern const struct output	 output_text;
extern int			 output_detail;	/* status -d */
extern const struct output	 output_json;

/* lock.c: the network lock's offline key */
int	 lock_keygen(const char *);
int	 lock_sign(int, char *[]);

#endif
