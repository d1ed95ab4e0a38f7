/* ctl: ternctl's output back ends, text and JSON, behind one interface. */
#ifndef TERNCTL_H
#define TERNCTL_H

#include "ternd.h"

struct output {
	void	(*head)(const struct ctl_status_hdr *);
	void	(*peer)(const struct ctl_status_peer *);
	void	(*tail)(void);
	void	(*netcheck)(const struct ctl_netcheck_hdr *,
		    const struct ctl_netcheck_relay *, size_t);
};

extern const struct output	 output_text;
extern int			 output_detail;	/* status -d */
extern const struct output	 output_json;

#endif
