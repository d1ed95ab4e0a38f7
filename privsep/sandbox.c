/*
 * seccomp allow-lists built with libseccomp, one per sandboxed process:
 * ternd's engine and resolver, tern-signal's server process and
 * tern-relay's server processes each load theirs.  The default action
 * kills the whole process, so a compromised one cannot probe the
 * kernel: one forbidden call and it is gone, and its parent tears down.
 */
#include <sys/mman.h>
#include <sys/socket.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>

#include <seccomp.h>

#include "log.h"
#include "sandbox.h"

/* How a rule looks at the arguments of its call. */
enum sandbox_match {
	SANDBOX_ANY,		/* not at all */
	SANDBOX_ARG0,		/* the first equals arg[0] */
	SANDBOX_ARGS,		/* the first three equal arg[0], arg[1], arg[2] */
	SANDBOX_PROT_RW,	/* the third, a protection, is at most RW */
	SANDBOX_PROT_EXEC,	/* the third, a protection, has PROT_EXEC */
	SANDBOX_OPEN_READ,	/* the third, open flags, neither write nor
				   create */
};

struct sandbox_rule {
	int			 nr;
	enum sandbox_match	 match;
	long			 arg[3];
	int			 err;	/* fails with this errno, does not run */
};

#define SANDBOX_ALLOW(call)	{ SCMP_SYS(call), SANDBOX_ANY, { 0 }, 0 }
#define SANDBOX_ALLOW_RW(call)	{ SCMP_SYS(call), SANDBOX_PROT_RW, { 0 }, 0 }
#define SANDBOX_ALLOW_ARGS(call, a0, a1, a2)				\
	{ SCMP_SYS(call), SANDBOX_ARGS, { (a0), (a1), (a2) }, 0 }
#define SANDBOX_ALLOW_ARG0(call, a0)					\
	{ SCMP_SYS(call), SANDBOX_ARG0, { (a0) }, 0 }
#define SANDBOX_ALLOW_READ(call)					\
	{ SCMP_SYS(call), SANDBOX_OPEN_READ, { 0 }, 0 }
#define SANDBOX_REFUSE(call, e)	{ SCMP_SYS(call), SANDBOX_ANY, { 0 }, (e) }
#define SANDBOX_REFUSE_EXEC(call, e)					\
	{ SCMP_SYS(call), SANDBOX_PROT_EXEC, { 0 }, (e) }
#define SANDBOX_REFUSE_ARG0(call, a0, e)				\
	{ SCMP_SYS(call), SANDBOX_ARG0, { (a0) }, (e) }
#define SANDBOX_NRULES(t)	(sizeof(t) / sizeof((t)[0]))

/* Protection bits a mapping may have: never PROT_EXEC (nor GROWS*). */
#define SANDBOX_PROT_OK		(PROT_READ | PROT_WRITE)
/* Open flags that write, create or truncate (O_TMPFILE needs a write). */
#define SANDBOX_OPEN_WRITES	(O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | \
	    O_APPEND)

static void	 sandbox_add(scmp_filter_ctx, const struct sandbox_rule *,
		    size_t);

/*
 * What every sandboxed process runs on: the imsg channel to its parent,
 * the libevent loop, memory, time, randomness and exit.  Memory is
 * mapped readable or writable, never executable, so an exploit cannot
 * make room for its own code; mremap keeps the protection it finds.
 * No process needs mprotect, which could unprotect read-only relocations.
 * syslog(3) sends with sendto(2), and reconnects with socket() and
 * connect() after syslogd restarts: those fail with EACCES rather than
 * kill (connect in sandbox_no_connect), and the message is lost.
 * Allowing them would let the process reach abstract unix sockets on
 * the host.
 */
static const struct sandbox_rule sandbox_runtime[] = {
	SANDBOX_ALLOW(read),
	SANDBOX_ALLOW(write),
	SANDBOX_ALLOW(close),
	SANDBOX_ALLOW(recvmsg),
	SANDBOX_ALLOW(sendmsg),
	/* imsgbuf_flush makes the channel blocking for the last words. */
	SANDBOX_ALLOW(fcntl),
	SANDBOX_ALLOW(epoll_wait),
	SANDBOX_ALLOW(epoll_ctl),
	SANDBOX_ALLOW(clock_gettime),
	SANDBOX_ALLOW(gettimeofday),
	/* syslog(3) with LOG_PID. */
	SANDBOX_ALLOW(getpid),
	SANDBOX_ALLOW(getrandom),
	SANDBOX_ALLOW(brk),
	SANDBOX_ALLOW_RW(mmap),
	SANDBOX_ALLOW(munmap),
	SANDBOX_ALLOW(mremap),
	SANDBOX_ALLOW(madvise),
	SANDBOX_ALLOW(futex),
	SANDBOX_ALLOW(rt_sigreturn),
	SANDBOX_ALLOW(rt_sigprocmask),
	SANDBOX_ALLOW(restart_syscall),
	/* Harmless, and the sanitizer runtimes of the test build need it. */
	SANDBOX_ALLOW(sigaltstack),
	/* stdio's first write to stderr, in the foreground. */
	SANDBOX_ALLOW(newfstatat),
	SANDBOX_ALLOW(fstat),
	SANDBOX_ALLOW(exit),
	SANDBOX_ALLOW(exit_group),
	SANDBOX_ALLOW(sendto),
	SANDBOX_REFUSE_ARG0(socket, AF_UNIX, EACCES),
};

/* All but the resolver, whose socket() makes no AF_UNIX socket to connect. */
static const struct sandbox_rule sandbox_no_connect[] = {
	SANDBOX_REFUSE(connect, EACCES),
};

/*
 * ternd's engine: UDP in batches on the WireGuard and peer-port sockets,
 * STUN answers with their source, and the control socket.
 */
static const struct sandbox_rule sandbox_engine[] = {
	SANDBOX_ALLOW(recvmmsg),
	SANDBOX_ALLOW(sendmmsg),
	SANDBOX_ALLOW(recvfrom),
	SANDBOX_ALLOW(accept4),
	/* The signal client reads the result of its connect (SO_ERROR). */
	SANDBOX_ALLOW(getsockopt),
	/* The signal client reports its local address. */
	SANDBOX_ALLOW(getsockname),
};

/*
 * ternd's resolver: getaddrinfo(3).  It opens its files (resolv.conf,
 * hosts, nsswitch.conf, gai.conf) only to read them, talks to its name
 * servers over UDP or TCP, and connects a UDP socket to each answer to
 * learn the source address RFC 6724 sorting needs.  Refused, and done
 * without: netlink, which that sorting would read interface addresses
 * with; FIONREAD (a reply goes to the largest buffer); an executable
 * mapping, so an NSS module such as mdns fails to load and is skipped;
 * and AF_UNIX sockets (nscd, systemd-resolved's varlink), as above.
 */
static const struct sandbox_rule sandbox_resolver[] = {
	SANDBOX_ALLOW_READ(openat),
	SANDBOX_ALLOW(lseek),
	SANDBOX_ALLOW(poll),
	/* The default search domain. */
	SANDBOX_ALLOW(uname),
	SANDBOX_ALLOW_ARG0(socket, AF_INET),
	SANDBOX_ALLOW_ARG0(socket, AF_INET6),
	SANDBOX_REFUSE_ARG0(socket, AF_NETLINK, EACCES),
	SANDBOX_ALLOW(connect),
	SANDBOX_ALLOW(setsockopt),
	SANDBOX_ALLOW(getsockname),
	SANDBOX_ALLOW(sendmmsg),
	SANDBOX_ALLOW(recvfrom),
	/* DNS over TCP, for a truncated answer. */
	SANDBOX_ALLOW(writev),
	SANDBOX_REFUSE(ioctl, ENOTTY),
	SANDBOX_REFUSE_EXEC(mmap, EACCES),
};

/*
 * tern-signal's server process: agents' TCP connections, accepted from
 * the listeners its parent bound.
 */
static const struct sandbox_rule sandbox_signal[] = {
	SANDBOX_ALLOW(accept4),
	/* libevent's evbuffer_write. */
	SANDBOX_ALLOW(writev),
	/* A closing connection is shut for writing once drained. */
	SANDBOX_ALLOW(shutdown),
};

/*
 * tern-relay's server processes: datagrams in batches, TCP and TLS
 * streams, and the relayed sockets.  socket() is allowed for IPv4 and
 * IPv6 UDP only, with the very flags and protocol (0) turn.c passes, so
 * no UDP-Lite or ping socket either: seccomp sees arguments, not the
 * memory bind() reads, so the port range is the code's to keep; a
 * process of an unprivileged user can bind no port below 1024, and
 * sending UDP anywhere is what a relay does.
 */
static const struct sandbox_rule sandbox_relay[] = {
	SANDBOX_ALLOW(recvmmsg),
	SANDBOX_ALLOW(sendmmsg),
	SANDBOX_ALLOW(recvfrom),
	SANDBOX_ALLOW(accept4),
	SANDBOX_ALLOW(shutdown),
	SANDBOX_ALLOW_ARGS(socket, AF_INET, SANDBOX_RELAY_SOCK_TYPE, 0),
	SANDBOX_ALLOW_ARGS(socket, AF_INET6, SANDBOX_RELAY_SOCK_TYPE, 0),
	SANDBOX_ALLOW(bind),
	/* Relayed sockets: IPV6_V6ONLY and don't-fragment. */
	SANDBOX_ALLOW(setsockopt),
	/* The presence client reads the result of its connect (SO_ERROR). */
	SANDBOX_ALLOW(getsockopt),
};

static void
sandbox_add(scmp_filter_ctx ctx, const struct sandbox_rule *rules, size_t n)
{
	const struct sandbox_rule	*r;
	size_t				 i;
	uint32_t			 act;
	int				 rc = 0;

	for (i = 0; i < n; i++) {
		r = &rules[i];
		act = r->err ? SCMP_ACT_ERRNO(r->err) : SCMP_ACT_ALLOW;
		switch (r->match) {
		case SANDBOX_ANY:
			rc = seccomp_rule_add(ctx, act, r->nr, 0);
			break;
		case SANDBOX_ARG0:
			rc = seccomp_rule_add(ctx, act, r->nr, 1,
			    SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)r->arg[0]));
			break;
		case SANDBOX_ARGS:
			rc = seccomp_rule_add(ctx, act, r->nr, 3,
			    SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)r->arg[0]),
			    SCMP_A1(SCMP_CMP_EQ, (scmp_datum_t)r->arg[1]),
			    SCMP_A2(SCMP_CMP_EQ, (scmp_datum_t)r->arg[2]));
			break;
		case SANDBOX_PROT_RW:
			rc = seccomp_rule_add(ctx, act, r->nr, 1,
			    SCMP_A2(SCMP_CMP_MASKED_EQ,
			    ~(scmp_datum_t)SANDBOX_PROT_OK, 0));
			break;
		case SANDBOX_PROT_EXEC:
			rc = seccomp_rule_add(ctx, act, r->nr, 1,
			    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, PROT_EXEC));
			break;
		case SANDBOX_OPEN_READ:
			rc = seccomp_rule_add(ctx, act, r->nr, 1,
			    SCMP_A2(SCMP_CMP_MASKED_EQ,
			    (scmp_datum_t)SANDBOX_OPEN_WRITES, 0));
			break;
		}
		if (rc < 0) {
			errno = -rc;
			fatal("seccomp_rule_add %d", r->nr);
		}
	}
}

/* Loads the runtime list and the process's own; the rest kill. */
void
sandbox_apply(enum sandbox_proc proc)
{
	scmp_filter_ctx	 ctx;
	int		 rc;

	if ((ctx = seccomp_init(SCMP_ACT_KILL_PROCESS)) == NULL)
		fatalx("seccomp_init failed");
	sandbox_add(ctx, sandbox_runtime, SANDBOX_NRULES(sandbox_runtime));
	if (proc != SANDBOX_RESOLVER)
		sandbox_add(ctx, sandbox_no_connect,
		    SANDBOX_NRULES(sandbox_no_connect));
	switch (proc) {
	case SANDBOX_ENGINE:
		sandbox_add(ctx, sandbox_engine,
		    SANDBOX_NRULES(sandbox_engine));
		break;
	case SANDBOX_RESOLVER:
		sandbox_add(ctx, sandbox_resolver,
		    SANDBOX_NRULES(sandbox_resolver));
		break;
	case SANDBOX_SIGNAL:
		sandbox_add(ctx, sandbox_signal,
		    SANDBOX_NRULES(sandbox_signal));
		break;
	case SANDBOX_RELAY:
		sandbox_add(ctx, sandbox_relay, SANDBOX_NRULES(sandbox_relay));
		break;
	}
	if ((rc = seccomp_load(ctx)) < 0) {
		errno = -rc;
		fatal("seccomp_load");
	}
	seccomp_release(ctx);
}
