/* Dropping privileges: chroot, user change, no_new_privs. */
#ifndef TERN_DROP_H
#define TERN_DROP_H

#include <pwd.h>

struct passwd	*drop_getpw(const char *);
void		 drop_privileges(const struct passwd *, const char *);
void		 drop_user(const struct passwd *);
int		 drop_check_chroot(const char *, char *, size_t);

#endif
