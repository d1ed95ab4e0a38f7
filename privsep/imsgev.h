/* imsg channels driven by libevent: read and write events, output queue. */
#ifndef TERN_IMSGEV_H
#define TERN_IMSGEV_H

#include <event.h>

#include "imsg.h"

struct imsgev;
typedef void (*imsgev_dispatch)(struct imsgev *, struct imsg *);
typedef void (*imsgev_closed)(struct imsgev *);

struct imsgev {
	struct imsgbuf	 ibuf;
	struct event	 ev;
	short		 events;
	imsgev_dispatch	 dispatch;
	imsgev_closed	 closed;
	void		*arg;
	int		 dead;
};

void	 imsgev_init(struct imsgev *, int, imsgev_dispatch, imsgev_closed,
	    void *);
void	 imsgev_add(struct imsgev *);
int	 imsgev_compose(struct imsgev *, uint32_t, uint32_t, int,
	    const void *, size_t);
void	 imsgev_shutdown(struct imsgev *);
void	 imsgev_clear(struct imsgev *);

#endif
