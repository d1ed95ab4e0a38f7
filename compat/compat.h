/* Portability: what the BSDs define and Linux with libbsd may not. */
#ifndef TERN_COMPAT_H
#define TERN_COMPAT_H

/* sys/tree.h's RB_GENERATE_STATIC marks its functions __unused. */
#ifndef __unused
#define __unused	__attribute__((__unused__))
#endif

/* libbsd's vis.h: strnvis(3) with OpenBSD's arguments, as tern expects. */
#define LIBBSD_OPENBSD_VIS

#endif
