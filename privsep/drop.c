/*
 * Dropping privileges, in this order: chroot to an empty root-owned
 * directory, chdir("/"), setgroups, setresgid, setresuid, then
 * PR_SET_NO_NEW_PRIVS.  The caller opened what it needs before, and
 * installs its seccomp filter after.  Any failing step is fatal.
 */
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "drop.h"
#include "log.h"

struct passwd *
drop_getpw(const char *user)
{
	struct passwd	*pw;

	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		if (errno != 0)
			fatal("getpwnam %s", user);
		fatalx("unknown user %s: create it (see README)", user);
	}
	if (pw->pw_uid == 0)
		fatalx("user %s has uid 0: it must be unprivileged", user);
	return pw;
}

/*
 * The chroot must be a directory owned by root, writable by nobody
 * else, and empty: the engine must find nothing in its root.
 */
int
drop_check_chroot(const char *dir, char *err, size_t errlen)
{
	struct stat	 st;
	struct dirent	*de;
	DIR		*d;

	if (stat(dir, &st) == -1) {
		snprintf(err, errlen, "chroot %s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "chroot %s: not a directory", dir);
		return -1;
	}
	if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH))) {
		snprintf(err, errlen, "chroot %s: must be owned by root and "
		    "writable by root only", dir);
		return -1;
	}
	if ((d = opendir(dir)) == NULL) {
		snprintf(err, errlen, "chroot %s: %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		closedir(d);
		snprintf(err, errlen, "chroot %s: not empty", dir);
		return -1;
	}
	closedir(d);
	return 0;
}

void
drop_privileges(const struct passwd *pw, const char *dir)
{
	char	 err[512];

	if (drop_check_chroot(dir, err, sizeof(err)) == -1)
		fatalx("%s", err);
	if (chroot(dir) == -1)
		fatal("chroot %s", dir);
	if (chdir("/") == -1)
		fatal("chdir /");
	drop_user(pw);
}

/* The steps after the chroot, alone for a child that keeps the host's root. */
void
drop_user(const struct passwd *pw)
{
	uid_t	 ruid, euid, suid;
	gid_t	 rgid, egid, sgid;

	if (setgroups(1, &pw->pw_gid) == -1)
		fatal("setgroups");
	if (setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) == -1)
		fatal("setresgid");
	if (setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1)
		fatal("setresuid");
	/* Verify: a silent failure here would leave us root. */
	if (getresgid(&rgid, &egid, &sgid) == -1 || rgid != pw->pw_gid ||
	    egid != pw->pw_gid || sgid != pw->pw_gid)
		fatalx("group id did not change");
	if (getresuid(&ruid, &euid, &suid) == -1 || ruid != pw->pw_uid ||
	    euid != pw->pw_uid || suid != pw->pw_uid)
		fatalx("user id did not change");
	if (setuid(0) != -1)
		fatalx("could regain root after dropping privileges");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		fatal("PR_SET_NO_NEW_PRIVS");
}
