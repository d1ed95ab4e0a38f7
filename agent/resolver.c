/*
 * resolver: ternd's process for name lookups.  The parent sends it a
 * host and a port; it answers with getaddrinfo's addresses.  A name
 * server that never answers then holds up this process only, and the
 * C library parses DNS replies here, as the unprivileged user, under
 * no_new_privs and a seccomp list, never as root.
 *
 * It keeps the host's root directory, as a chroot would break it: the
 * C library reads /etc/resolv.conf, /etc/hosts and /etc/nsswitch.conf
 * at every lookup and again whenever they change (DHCP, VPN clients,
 * systemd-resolved, which replace them or make them symlinks into
 * /run).  Copies in a chroot would go stale with every network change.
 * Instead the process holds no secret, may open files only to read
 * them (as a user who owns none), and may not execute, map executable
 * memory, trace or signal anything (SANDBOX_RESOLVER in sandbox.c).
 */
#include <sys/socket.h>
#include <event.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "log.h"
#include "monotime.h"
#include "proc.h"
#include "resolver.h"
#include "sandbox.h"

static void	 resolver_dispatch(struct imsgev *, struct imsg *);
static void	 resolver_parent_closed(struct imsgev *);
static void	 resolver_lookup(const struct imsg_dns_query *,
		    struct imsg_dns_answer *);

static struct imsgev	 iev_parent;

__attribute__((noreturn)) void
resolver_main(int debug, int verbose)
{
	/* SIGTERM keeps its default: it ends a lookup that blocks. */
	proc_child_enter("resolver", TERND_USER, NULL, SANDBOX_RESOLVER, NULL,
	    debug, verbose);
	imsgev_init(&iev_parent, PROC_PARENT_FD, resolver_dispatch,
	    resolver_parent_closed, NULL);
	event_dispatch();
	fatalx("event loop ended");
}

/*
 * One lookup at a time: the parent times out what waits too long.  A
 * lookup it gave up on while an earlier one blocked is skipped, so the
 * backlog behind a name server that never answers drains at once.
 */
static void
resolver_dispatch(struct imsgev *iev, struct imsg *imsg)
{
	struct imsg_dns_query	 q;
	struct imsg_dns_answer	 a;

	switch (imsg->hdr.type) {
	case IMSG_DNS_QUERY:
		if (imsg_get_data(imsg, &q, sizeof(q)) == -1 ||
		    memchr(q.host, '\0', sizeof(q.host)) == NULL)
			fatalx("parent sent a bad lookup");
		if ((int64_t)(monotime_ms() / MONOTIME_MS_PER_S) > q.deadline) {
			log_debug("lookup %u of %s: too late, skipped",
			    imsg->hdr.peerid, q.host);
			break;
		}
		resolver_lookup(&q, &a);
		/* Out now: the next lookup in the buffer may block. */
		if (imsgev_compose(iev, IMSG_DNS_ANSWER, imsg->hdr.peerid, -1,
		    &a, sizeof(a)) == -1 || imsgbuf_flush(&iev->ibuf) == -1)
			fatal("imsg to parent");
		break;
	default:
		fatalx("parent sent unknown message type %u", imsg->hdr.type);
	}
}

static void
resolver_lookup(const struct imsg_dns_query *q, struct imsg_dns_answer *a)
{
	struct addrinfo	 hints, *res, *ai;
	char		 port[sizeof("65535")];
	int		 rv;

	memset(a, 0, sizeof(*a));
	snprintf(port, sizeof(port), "%u", q->port);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	/* One entry per address; the parent uses them for UDP and TCP. */
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICSERV;
	if ((rv = getaddrinfo(q->host, port, &hints, &res)) != 0) {
		a->error = rv;
		return;
	}
	for (ai = res; ai != NULL && a->n < DNS_ANSWER_MAX; ai = ai->ai_next)
		if (ai->ai_family == AF_INET || ai->ai_family == AF_INET6)
			sockaddr_to_v6(ai->ai_addr, &a->sa[a->n++]);
	freeaddrinfo(res);
	if (a->n == 0)
		a->error = EAI_NODATA;
}

static void
resolver_parent_closed(struct imsgev *iev)
{
	/* The parent is gone: nothing is left to look up for. */
	log_debug("parent closed the channel");
	exit(0);
}
