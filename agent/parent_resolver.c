/*
 * parent: name lookups, sent to the resolver process and answered
 * asynchronously, so that the event loop never waits for a name server
 * and no DNS reply is parsed as root.  Every lookup is answered once:
 * with the resolver's checked answer, or with an error after
 * DNS_TIMEOUT_SEC.  A resolver that dies or sends anything malformed
 * stops ternd, as the engine does.
 */
#include <sys/socket.h>
#include <event.h>
#include <netdb.h>
#include <string.h>

#include "log.h"
#include "monotime.h"
#include "parent.h"
#include "resolver.h"
#include "sigsock.h"
#include "super.h"

/* One try of the C library's resolver (resolv.conf(5) "timeout"). */
#define DNS_TIMEOUT_SEC		5
#define DNS_MS_PER_SEC		1000
/*
 * Lookups under way at once: the relay budget and the signal server's,
 * one per SIGSOCK_MIN_MS for DNS_TIMEOUT_SEC.  Only a bug reaches it.
 */
#define DNS_PENDING_MAX		(RELAYSEL_LIST_MAX + \
	    DNS_TIMEOUT_SEC * DNS_MS_PER_SEC / SIGSOCK_MIN_MS)
#define DNS_STOP_TIMEOUT_MS	1000	/* SIGTERM ends it in a lookup too */

struct dns_pending {
	uint32_t		 id;		/* 0: free */
	uint16_t		 port;
	char			 name[TERN_HOST_MAX];
	dns_cb			 cb;
	struct event		 timeout;
};

static struct dns_pending	 pending[DNS_PENDING_MAX];
static uint32_t			 last_id;
static struct imsgev		 iev_dns;
static struct super_child	 dns_child = {
	.name = "resolver", .pid = -1, .iev = &iev_dns,
	.stop_ms = DNS_STOP_TIMEOUT_MS
};

static void	 dns_dispatch(struct imsgev *, struct imsg *);
static void	 dns_closed(struct imsgev *);
static void	 dns_timeout(int, short, void *);
static void	 dns_done(struct dns_pending *, const struct imsg_dns_answer *,
		    const char *);

void
dns_start(char *argv0)
{
	pid_t	 pid;
	int	 fd;

	if ((pid = parent_start_child(argv0, "-R", &fd)) == -1)
		fatal("starting the resolver");
	imsgev_init(&iev_dns, fd, dns_dispatch, dns_closed, NULL);
	super_add(&dns_child, pid);
}

void
dns_stop(void)
{
	super_stop(&dns_child);
}

/*
 * Looks up host for port; cb gets name (the caller's text for it), the
 * answer and why it failed.  cb may run before this returns.
 */
void
dns_lookup(const char *name, const char *host, uint16_t port, dns_cb cb)
{
	struct imsg_dns_query	 q;
	struct imsg_dns_answer	 a;
	struct dns_pending	*p = NULL;
	struct timeval		 tv = { DNS_TIMEOUT_SEC, 0 };
	size_t			 i;

	for (i = 0; i < DNS_PENDING_MAX && p == NULL; i++)
		if (pending[i].id == 0)
			p = &pending[i];
	if (p == NULL) {
		memset(&a, 0, sizeof(a));
		a.error = EAI_AGAIN;
		cb(name, &a, "too many lookups under way");
		return;
	}
	memset(&q, 0, sizeof(q));
	strlcpy(q.host, host, sizeof(q.host));
	q.port = port;
	q.deadline = monotime_ms() / MONOTIME_MS_PER_S + DNS_TIMEOUT_SEC;
	/* 2^32 ids: at the budget's pace, not used up in 10,000 years. */
	p->id = ++last_id;
	p->port = port;
	strlcpy(p->name, name, sizeof(p->name));
	p->cb = cb;
	evtimer_set(&p->timeout, dns_timeout, p);
	evtimer_add(&p->timeout, &tv);
	if (imsgev_compose(&iev_dns, IMSG_DNS_QUERY, p->id, -1, &q,
	    sizeof(q)) == -1)
		fatal("imsg to resolver");
}

static void
dns_timeout(int fd, short ev, void *arg)
{
	struct dns_pending	*p = arg;
	struct imsg_dns_answer	 a;

	(void)fd;
	(void)ev;
	log_warnx("resolving %s: no answer in %d s", p->name, DNS_TIMEOUT_SEC);
	memset(&a, 0, sizeof(a));
	a.error = EAI_AGAIN;
	dns_done(p, &a, "no answer from the name server in time");
}

/* The slot is free before cb runs: cb may start another lookup. */
static void
dns_done(struct dns_pending *p, const struct imsg_dns_answer *a,
    const char *msg)
{
	char	 name[TERN_HOST_MAX];
	dns_cb	 cb = p->cb;

	strlcpy(name, p->name, sizeof(name));
	evtimer_del(&p->timeout);
	memset(p, 0, sizeof(*p));
	cb(name, a, msg);
}

static __attribute__((noreturn)) void
dns_violation(const struct imsg *imsg, const char *what)
{
	log_warnx("resolver sent %s (type %u, %zu bytes): stopping", what,
	    imsg->hdr.type, imsg_datalen(imsg));
	super_exit(1);
}

/* An error and no address, or addresses of the family and port asked. */
int
dns_answer_ok(const struct imsg_dns_answer *a, uint16_t port)
{
	uint32_t	 i;

	if (a->n > DNS_ANSWER_MAX || (a->error == 0) != (a->n > 0))
		return 0;
	for (i = 0; i < a->n; i++)
		if (a->sa[i].sin6_family != AF_INET6 ||
		    a->sa[i].sin6_port != htons(port))
			return 0;
	return 1;
}

static void
dns_dispatch(struct imsgev *iev, struct imsg *imsg)
{
	struct imsg_dns_answer	 a;
	struct dns_pending	*p = NULL;
	size_t			 i;

	(void)iev;
	if (imsg->hdr.type != IMSG_DNS_ANSWER)
		dns_violation(imsg, "an unknown message");
	if (imsg->fd != -1 || imsg_get_data(imsg, &a, sizeof(a)) == -1)
		dns_violation(imsg, "a malformed answer");
	if (imsg->hdr.peerid == 0 || imsg->hdr.peerid > last_id)
		dns_violation(imsg, "an answer to no lookup");
	for (i = 0; i < DNS_PENDING_MAX && p == NULL; i++)
		if (pending[i].id == imsg->hdr.peerid)
			p = &pending[i];
	/* Answered already, with a timeout. */
	if (p == NULL) {
		log_debug("late answer to lookup %u", imsg->hdr.peerid);
		return;
	}
	if (!dns_answer_ok(&a, p->port))
		dns_violation(imsg, "a malformed answer");
	dns_done(p, &a, a.error != 0 ? gai_strerror(a.error) : "");
}

/* The channel usually closes before SIGCHLD. */
static void
dns_closed(struct imsgev *iev)
{
	(void)iev;
	super_lost(&dns_child, "the resolver");
}
