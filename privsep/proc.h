/*
 * Child processes: start with the imsg pipe, stop, reap; and the
 * child's own start-up.
 */
#ifndef TERN_PROC_H
#define TERN_PROC_H

#include <sys/types.h>

#include "sandbox.h"

/* The child finds its end of the socketpair on this descriptor. */
#define PROC_PARENT_FD	3

int	 proc_self_exe(char *, size_t);
pid_t	 proc_start(const char *, char *const [], int *);
pid_t	 proc_start_server(char *, const char *, const char *, int, int,
	    int *);
void	 proc_title_init(int, char **, char **);
void	 proc_title(const char *);
int	 proc_reap(pid_t, int, int *);
void	 proc_stop(const char *, pid_t, int);
void	 proc_log_exit(const char *, pid_t, int);
void	 proc_child_enter(const char *, const char *, const char *,
	    enum sandbox_proc, void (*)(void), int, int);

#endif
