/* A privileged parent's startup and its one server process. */
#ifndef TERN_SUPER_H
#define TERN_SUPER_H

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <stddef.h>
#include <stdint.h>

#include "imsgev.h"
#include "key.h"

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

/* Daemonizes, starts n servers, handles SIGTERM, SIGINT, SIGHUP, SIGCHLD. */
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
__attribute__((noreturn)) void super_exit(int);

#endif
