/* parent: the privileged process of ternd. */
#ifndef TERND_PARENT_H
#define TERND_PARENT_H

#include <sys/tree.h>
#include <sys/types.h>

#include "imsgev.h"
#include "ternd.h"

struct parent_opts {
	const char	*conffile;
	const char	*keydir;	/* NULL: from the config */
	const char	*sockpath;
	const char	*statedir;
	const char	*chrootdir;
	int		 debug;
	int		 verbose;
};

/* policy.c */
int	 policy_check_peer(const struct ternd_conf *, const struct imsg_wg_peer *,
	    char *, size_t);
int	 policy_conf_reloadable(const struct ternd_conf *,
	    const struct ternd_conf *, char *, size_t);

/* sigsock.c */
int	 sigsock_connect(const char *, unsigned int, char *, size_t);

/* localaddr.c */
void	 localaddr_list(const char *, struct imsg_local_addrs *);

/* parent.c */
__attribute__((noreturn)) void parent_main(struct parent_opts *,
	    struct ternd_conf *, int, char **);

#endif
