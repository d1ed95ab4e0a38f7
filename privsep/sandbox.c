/*
 * seccomp allow-lists built with libseccomp.  The default action kills
 * the whole process, so a compromised engine cannot probe the kernel:
 * one forbidden call and it is gone, and its parent tears down.
 */
#include <errno.h>
#include <string.h>

#include <seccomp.h>

#include "log.h"
#include "sandbox.h"

void
sandbox_apply(const struct sandbox_rule *rules, size_t n)
{
	scmp_filter_ctx	 ctx;
	size_t		 i;
	int		 rc;

	if ((ctx = seccomp_init(SCMP_ACT_KILL_PROCESS)) == NULL)
		fatalx("seccomp_init failed");
	for (i = 0; i < n; i++) {
		uint32_t	 act = rules[i].err ?
		    SCMP_ACT_ERRNO(rules[i].err) : SCMP_ACT_ALLOW;

		if (rules[i].arg0 == SANDBOX_ANY)
			rc = seccomp_rule_add(ctx, act, rules[i].nr, 0);
		else
			rc = seccomp_rule_add(ctx, act, rules[i].nr, 1,
			    SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)rules[i].arg0));
		if (rc < 0) {
			errno = -rc;
			fatal("seccomp_rule_add %d", rules[i].nr);
		}
	}
	if ((rc = seccomp_load(ctx)) < 0) {
		errno = -rc;
		fatal("seccomp_load");
	}
	seccomp_release(ctx);
}
