/* A privileged parent's one server process: start, signals, stop. */
#ifndef TERN_SUPER_H
#define TERN_SUPER_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

#include "imsgev.h"

/* After event_init: starts the server, handles SIGTERM, SIGINT, SIGCHLD. */
void		 super_start(char *, const char *, const char *, int, int,
		    void (*)(void));
struct imsgev	*super_iev(void);
pid_t		 super_pid(void);
void		 super_compose(uint32_t, int, const void *, size_t);
__attribute__((noreturn)) void super_exit(int);

#endif
