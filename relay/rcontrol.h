/* tern-relay parent: the control socket with every server's counts. */
#ifndef TERN_RCONTROL_H
#define TERN_RCONTROL_H

#include <stddef.h>

#include "imsg.h"
#include "super.h"

void	 rcontrol_stats(size_t, struct imsg *);
void	 rcontrol_listen(const char *);
int	 rcontrol_client(const char *);

#endif
