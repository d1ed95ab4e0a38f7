/*
 * A privileged parent's supervision of its children (all three
 * daemons), and tern-signal's and tern-relay's start-up and server
 * processes.
 */
#ifndef TERN_SUPER_H
#define TERN_SUPER_H

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <stddef.h>
#include <stdint.h>

#include "imsgev.h"
#include "key.h"

/*
 * A child the parent watches; the program keeps it and fills in name,
 * iev, stop_ms and exited, with pid -1 until super_add.  Every child is
 * vital: when one exits, its exit is logged, exited runs (pid is -1 by
 * then; it gets the pid the child had and its wait status) and the
 * parent stops: the program's teardown, the other children stopped,
 * exit 1.
 */
struct super_child {
	const char		*name;		/* in the log */
	pid_t			 pid;		/* -1: not running */
	struct imsgev		*iev;		/* closed before SIGTERM, or NULL */
	int			 stop_ms;	/* after SIGTERM, then SIGKILL */
	void			(*exited)(struct super_child *, pid_t, int);
	TAILQ_ENTRY(super_child) entry;
};

/* SIGHUP runs reload; teardown runs once, before the children stop. */
void		 super_init(void (*)(void), void (*)(void));
void		 super_add(struct super_child *, pid_t);
void		 super_stop(struct super_child *);
void		 super_lost(struct super_child *, const char *);
void		 super_teardown(void);
__attribute__((noreturn)) void super_exit(int);

/* What the flags both daemons take set. */
struct super_opts {
	const char	*conffile;
	const char	*chrootdir;
	const char	*user;
	int		 debug;
	int		 verbose;
	int		 noaction;	/* -n: check and print the config */
	int		 server;	/* -S: the re-executed server process */
	const char	*genkey;	/* -G: the key file to create */
};

int		 super_option(struct super_opts *, int, char *);
__attribute__((noreturn)) void super_genkey(const char *,
	    void (*)(const uint8_t [KEY_LEN], uint8_t [KEY_LEN]));
void		 super_prepare(const struct super_opts *);
rlim_t		 super_nofile(rlim_t);
int		 super_socket(const struct sockaddr_storage *, int, int);
void		 super_bind(int, const struct sockaddr_storage *);
#define SUPER_SERVERS_MAX	64	/* server processes of one parent */

/* Daemonizes, starts n servers and supervises them with reload. */
void		 super_start(char *, const struct super_opts *,
		    void (*)(void), size_t);
#define SUPER_ACCEPT_MAX	2	/* message types servers may send */
void		 super_accept(uint32_t, int, void (*)(size_t, struct imsg *));
struct imsgev	*super_iev(void);	/* of the first server */
pid_t		 super_pid(void);	/* of the first server */
size_t		 super_nservers(void);
void		 super_kill(int);
void		 super_compose(uint32_t, int, const void *, size_t);
void		 super_compose_to(size_t, uint32_t, int, const void *, size_t);

#endif
