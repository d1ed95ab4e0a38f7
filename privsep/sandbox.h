/* seccomp allow-lists: any system call not listed kills the process. */
#ifndef TERN_SANDBOX_H
#define TERN_SANDBOX_H

#include <stddef.h>

#define SANDBOX_ANY	(-1L)

/*
 * A system call allowed always (arg0 SANDBOX_ANY) or for one arg0 value;
 * with err set, it fails with that errno instead of running.
 */
struct sandbox_rule {
	int	 nr;
	long	 arg0;
	int	 err;
};

/* A system call allowed for exactly these first three arguments. */
struct sandbox_call {
	int	 nr;
	long	 arg0;
	long	 arg1;
	long	 arg2;
};

/* Loads the common base list plus these extra rules. */
void	 sandbox_apply(const struct sandbox_rule *, size_t);
void	 sandbox_apply_calls(const struct sandbox_rule *, size_t,
	    const struct sandbox_call *, size_t);

#endif
