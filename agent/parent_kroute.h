/* parent: interface addresses, MTU, link state and routes over rtnetlink. */
#ifndef TERN_PARENT_KROUTE_H
#define TERN_PARENT_KROUTE_H

#include "addr.h"

struct nl_handle;

struct nl_handle *nl_open(void);
void	 nl_close(struct nl_handle *);
int	 nl_ifindex(const char *);
int	 nl_addr(struct nl_handle *, int, const struct tern_prefix *, int);
int	 nl_link_set(struct nl_handle *, int, int, int);
int	 nl_route(struct nl_handle *, int, const struct tern_prefix *, int);
int	 nl_link_del(struct nl_handle *, int);

#endif
