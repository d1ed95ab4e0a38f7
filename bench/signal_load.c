/*
 * signal_load: the load client of bench/signal.  One process drives N
 * simulated agents through one tern-signal with libevent: each agent
 * has its own node key and source address, completes the handshake,
 * gets its netmap, then bounces sealed signals with its partner; it
 * prints messages per second, latency and the server's RSS per agent.
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <sodium.h>

#include "config.h"
#include "key.h"
#include "monotime.h"
#include "nmsign.h"
#include "seal.h"
#include "sigchan.h"
#include "sigmsg.h"

#define LOAD_AGENTS_MAX		65536	/* source addresses 127.1.0.1 on */
#define LOAD_SRC_BASE		0x7f010001	/* 127.1.0.1, agent 0 */
#define LOAD_INFLIGHT		256	/* handshakes under way at once */
#define LOAD_FD_SPARE		64	/* descriptors besides the agents' */
#define LOAD_CONNECT_S		120	/* all agents online within this */
#define LOAD_DRAIN_S		2	/* in-flight signals may land after */
#define LOAD_SECS_DEFAULT	10	/* length of the exchange */
#define LOAD_SECS_MAX		600
#define LOAD_WINDOW_DEFAULT	1	/* signals in flight per pair */
#define LOAD_WINDOW_MAX		64
#define LOAD_BOX_DEFAULT	256	/* box bytes: about an ICE candidate */
/* Latency samples kept; the count of messages goes on past it. */
#define LOAD_SAMPLES_MAX	(16 * 1024 * 1024)
/* The netmap of a pair is one peer; a little room over that. */
#define LOAD_MSG_MAX		(64 * 1024)
#define LOAD_ERRLEN		256
#define LOAD_US			1000000	/* microseconds per second */
#define LOAD_KB			1024
#define LOAD_PCT_P50		50
#define LOAD_PCT_P99		99
#define LOAD_PCT		100
#define LOAD_STATUS_LINE	256	/* a line of /proc/PID/status */
#define LOAD_STAT_LINE		1024	/* /proc/PID/stat */
#define LOAD_PROC_PATH		32	/* "/proc/4294967295/status" */
#define LOAD_US_PER_MS		1000.0
/* Fields from the state (3) to utime (14) and stime, proc(5). */
#define LOAD_STAT_SKIP		11
#define LOAD_TICK_MS		1	/* open loop: signals go out this often */
#define LOAD_RATE_MAX		1000000	/* offered signals a second */
#define LOAD_MS			1000

enum agent_stage {
	AGENT_IDLE = 0,		/* not started */
	AGENT_CONNECTING,
	AGENT_HANDSHAKE,
	AGENT_WELCOME,		/* hello sent, netmap due */
	AGENT_READY,
	AGENT_DEAD,
};

enum load_phase {
	LOAD_CONNECT = 1,
	LOAD_EXCHANGE,
	LOAD_DRAIN,
};

struct load;

struct agent {
	struct load		*load;
	size_t			 idx;
	enum agent_stage	 stage;
	struct bufferevent	*bev;
	struct sigchan		 ch;
	uint8_t			 priv[KEY_LEN];
	uint8_t			 pub[KEY_LEN];
	/* crypto_box's precomputed key with the partner, both ways. */
	uint8_t			 shared[crypto_box_BEFORENMBYTES];
};

/* What a box carries: the send time; the rest is filler. */
struct load_payload {
	uint64_t		 sent_us;
};

struct load {
	struct event_base	*base;
	struct agent		*agents;
	size_t			 n;
	size_t			 next;		/* next agent to start */
	size_t			 inflight;
	size_t			 ready;
	size_t			 online;	/* ready when measured */
	size_t			 dead;
	enum load_phase		 phase;
	struct sockaddr_in	 server;
	uint8_t			 server_key[KEY_LEN];
	int			 secs;
	int			 window;
	long			 rate;		/* open loop; 0: closed loop */
	uint64_t		 offered;	/* open loop: signals sent */
	size_t			 cursor;	/* open loop: next sender */
	struct event		*ev_tick;
	long			 cpu_srv, cpu_self;	/* ticks at the start */
	size_t			 boxlen;
	pid_t			 server_pid;
	uint64_t		 t_start, t_online, t_end;
	long			 rss_before, rss_online;
	uint64_t		 received;	/* within the exchange */
	uint64_t		 errors;
	uint64_t		 bad;
	uint32_t		*samples;	/* latency in microseconds */
	size_t			 nsamples;
	struct event		*ev_deadline;
	char			 errmsg[LOAD_ERRLEN];
};

static __attribute__((noreturn)) void usage(void);
static long	 load_num(const char *, long long, long long);
static long	 load_rss_kb(pid_t);
static long	 load_cpu_ticks(pid_t);
static void	 load_tick_cb(evutil_socket_t, short, void *);
static void	 load_nofile(size_t);
static int	 load_keygen(size_t, const char *);
static void	 load_keys(struct load *, const char *);
static void	 load_start_more(struct load *);
static void	 agent_start(struct agent *);
static void	 agent_die(struct agent *, const char *);
static void	 agent_send(struct agent *, const struct sigmsg *);
static void	 agent_signal(struct agent *);
static void	 agent_recv(struct agent *, const uint8_t *, size_t);
static void	 agent_read_cb(struct bufferevent *, void *);
static void	 agent_event_cb(struct bufferevent *, short, void *);
static void	 load_exchange(struct load *);
static void	 load_deadline_cb(evutil_socket_t, short, void *);
static int	 load_cmp(const void *, const void *);
static double	 load_pct(const struct load *, int);
static void	 load_report(struct load *);

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr,
	    "usage: signal_load -g N FILE\n"
	    "       signal_load [-b boxbytes] [-P server-pid] [-r rate] "
	    "[-t secs] [-w window]\n"
	    "           -k FILE -s serverkey -n N host port\n");
	exit(1);
}

static long
load_num(const char *s, long long min, long long max)
{
	const char	*errstr;
	long long	 n;

	n = strtonum(s, min, max, &errstr);
	if (errstr != NULL)
		errx(1, "number \"%s\" is %s", s, errstr);
	return n;
}

/* VmRSS of a process in KiB, -1 if it cannot be read. */
static long
load_rss_kb(pid_t pid)
{
	char	 path[LOAD_PROC_PATH], line[LOAD_STATUS_LINE];
	FILE	*f;
	long	 kb = -1;

	if (pid <= 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* utime + stime of a process in clock ticks, -1 if unknown. */
static long
load_cpu_ticks(pid_t pid)
{
	char		 path[LOAD_PROC_PATH], line[LOAD_STAT_LINE], *p;
	unsigned long	 ut, st;
	FILE		*f;
	int		 i, ok = 0;

	if (pid <= 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	if (fgets(line, sizeof(line), f) != NULL &&
	    (p = strrchr(line, ')')) != NULL) {
		/* Past ") ": the state, then on to utime. */
		p += 2;
		for (i = 0; i < LOAD_STAT_SKIP && p != NULL; i++)
			if ((p = strchr(p, ' ')) != NULL)
				p++;
		ok = p != NULL && sscanf(p, "%lu %lu", &ut, &st) == 2;
	}
	fclose(f);
	return ok ? (long)(ut + st) : -1;
}

/* One descriptor per agent: the soft limit, and the hard one as root. */
static void
load_nofile(size_t n)
{
	struct rlimit	 rl;
	rlim_t		 want = n + LOAD_FD_SPARE;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		err(1, "getrlimit");
	if (rl.rlim_cur >= want)
		return;
	if (rl.rlim_max < want)
		rl.rlim_max = want;
	rl.rlim_cur = want;
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
		err(1, "RLIMIT_NOFILE %llu", (unsigned long long)want);
}

/*
 * N node keys into FILE, one base64 private key a line (mode 0600); on
 * stdout each agent's node public key and a fresh WireGuard public key.
 */
static int
load_keygen(size_t n, const char *path)
{
	uint8_t	 priv[KEY_LEN], pub[KEY_LEN], wg[KEY_LEN];
	char	 b64[KEY_B64LEN], wgb64[KEY_B64LEN];
	FILE	*f;
	size_t	 i;
	int	 fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1 || (f = fdopen(fd, "w")) == NULL)
		err(1, "%s", path);
	for (i = 0; i < n; i++) {
		key_generate(priv);
		key_public(priv, pub);
		key_to_b64(priv, b64);
		fprintf(f, "%s\n", b64);
		key_to_b64(pub, b64);
		key_generate(priv);
		key_public(priv, wg);
		key_to_b64(wg, wgb64);
		printf("%s %s\n", b64, wgb64);
	}
	sodium_memzero(priv, sizeof(priv));
	sodium_memzero(b64, sizeof(b64));
	if (fclose(f) == EOF)
		err(1, "%s", path);
	return 0;
}

static void
load_keys(struct load *L, const char *path)
{
	char	 line[KEY_B64LEN + 2];
	FILE	*f;
	size_t	 i;

	if ((f = fopen(path, "r")) == NULL)
		err(1, "%s", path);
	for (i = 0; i < L->n; i++) {
		if (fgets(line, sizeof(line), f) == NULL)
			errx(1, "%s: %zu keys, want %zu", path, i, L->n);
		line[strcspn(line, "\n")] = '\0';
		if (key_from_b64(line, L->agents[i].priv) == -1)
			errx(1, "%s: line %zu: not a key", path, i + 1);
		key_public(L->agents[i].priv, L->agents[i].pub);
	}
	sodium_memzero(line, sizeof(line));
	fclose(f);
	/* Partners are 2k and 2k + 1; each holds the shared key. */
	for (i = 0; i < L->n; i++)
		if (crypto_box_beforenm(L->agents[i].shared,
		    L->agents[i ^ 1].pub, L->agents[i].priv) != 0)
			errx(1, "agent %zu: bad key pair", i);
}

static void
load_start_more(struct load *L)
{
	while (L->inflight < LOAD_INFLIGHT && L->next < L->n)
		agent_start(&L->agents[L->next++]);
}

static void
agent_start(struct agent *a)
{
	struct load		*L = a->load;
	struct sockaddr_in	 src;
	evutil_socket_t		 fd;
	int			 on = 1;

	L->inflight++;
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1) {
		agent_die(a, "socket");
		return;
	}
	memset(&src, 0, sizeof(src));
	src.sin_family = AF_INET;
	src.sin_addr.s_addr = htonl(LOAD_SRC_BASE + a->idx);
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) == -1 ||
	    bind(fd, (struct sockaddr *)&src, sizeof(src)) == -1) {
		close(fd);
		agent_die(a, "bind");
		return;
	}
	if ((a->bev = bufferevent_socket_new(L->base, fd,
	    BEV_OPT_CLOSE_ON_FREE)) == NULL) {
		close(fd);
		agent_die(a, "bufferevent_socket_new");
		return;
	}
	bufferevent_setcb(a->bev, agent_read_cb, NULL, agent_event_cb, a);
	a->stage = AGENT_CONNECTING;
	if (bufferevent_socket_connect(a->bev, (struct sockaddr *)&L->server,
	    sizeof(L->server)) == -1) {
		agent_die(a, "connect");
		return;
	}
	bufferevent_enable(a->bev, EV_READ | EV_WRITE);
}

/* The first few failures are told; all are counted. */
static void
agent_die(struct agent *a, const char *why)
{
	struct load	*L = a->load;

	if (a->stage == AGENT_DEAD)
		return;
	if (L->dead == 0)
		snprintf(L->errmsg, sizeof(L->errmsg), "agent %zu: %s%s%s",
		    a->idx, why, errno != 0 ? ": " : "",
		    errno != 0 ? strerror(errno) : "");
	if (a->stage == AGENT_READY)
		L->ready--;
	else
		L->inflight--;
	a->stage = AGENT_DEAD;
	L->dead++;
	if (a->bev != NULL)
		bufferevent_free(a->bev);
	a->bev = NULL;
	sigchan_clear(&a->ch);
	if (L->phase == LOAD_CONNECT) {
		load_start_more(L);
		if (L->ready + L->dead == L->n)
			load_exchange(L);
	}
}

static void
agent_send(struct agent *a, const struct sigmsg *m)
{
	char	*text;
	size_t	 len;

	if ((text = sigmsg_encode(m, &len)) == NULL)
		errx(1, "sigmsg_encode failed");
	if (sigchan_write(&a->ch, text, len, bufferevent_get_output(a->bev)) ==
	    -1) {
		free(text);
		errno = 0;
		agent_die(a, "sigchan_write failed");
		return;
	}
	free(text);
}

/* One sealed signal to the partner, stamped with the time. */
static void
agent_signal(struct agent *a)
{
	struct load		*L = a->load;
	struct agent		*p = &L->agents[a->idx ^ 1];
	struct sigmsg		 m;
	uint8_t			 pt[SIGMSG_BOX_MAX];
	struct load_payload	 pl;
	size_t			 ptlen = L->boxlen - SEAL_OVERHEAD;

	if (p->stage != AGENT_READY)
		return;
	memset(&m, 0, sizeof(m));
	m.type = SIGMSG_SIGNAL;
	memcpy(m.u.signal.to, p->pub, KEY_LEN);
	memset(pt, 0, ptlen);
	pl.sent_us = monotime_us();
	memcpy(pt, &pl, sizeof(pl));
	/* seal_box's format (nonce, then the box) with the shared key. */
	randombytes_buf(m.u.signal.box, SEAL_NONCE_LEN);
	if (crypto_box_easy_afternm(m.u.signal.box + SEAL_NONCE_LEN, pt, ptlen,
	    m.u.signal.box, a->shared) != 0)
		errx(1, "crypto_box_easy_afternm failed");
	m.u.signal.boxlen = L->boxlen;
	agent_send(a, &m);
}

static void
agent_recv(struct agent *a, const uint8_t *msg, size_t len)
{
	struct load		*L = a->load;
	struct agent		*p = &L->agents[a->idx ^ 1];
	struct sigmsg		 m;
	struct load_payload	 pl;
	uint8_t			 pt[SIGMSG_BOX_MAX];
	char			 perr[LOAD_ERRLEN];
	const struct sigmsg_signal *s;
	uint64_t		 now;

	if (sigmsg_parse((const char *)msg, len, &m, perr, sizeof(perr)) ==
	    -1) {
		errno = 0;
		agent_die(a, perr);
		return;
	}
	switch (m.type) {
	case SIGMSG_NETMAP:
		if (a->stage != AGENT_WELCOME)
			break;
		if (m.u.netmap.npeers != 1 ||
		    memcmp(m.u.netmap.peers[0].node_key, p->pub, KEY_LEN) != 0) {
			sigmsg_free(&m);
			errno = 0;
			agent_die(a, "netmap does not hold just the partner");
			return;
		}
		a->stage = AGENT_READY;
		L->inflight--;
		L->ready++;
		if (L->phase == LOAD_CONNECT) {
			load_start_more(L);
			if (L->ready + L->dead == L->n)
				load_exchange(L);
		}
		break;
	case SIGMSG_SIGNAL:
		s = &m.u.signal;
		if (!s->has_from || memcmp(s->from, p->pub, KEY_LEN) != 0 ||
		    s->boxlen < SEAL_OVERHEAD + sizeof(pl) ||
		    crypto_box_open_easy_afternm(pt, s->box + SEAL_NONCE_LEN,
		    s->boxlen - SEAL_NONCE_LEN, s->box, a->shared) != 0) {
			L->bad++;
			break;
		}
		memcpy(&pl, pt, sizeof(pl));
		now = monotime_us();
		if (L->phase == LOAD_EXCHANGE) {
			L->received++;
			if (L->nsamples < LOAD_SAMPLES_MAX)
				L->samples[L->nsamples++] = now - pl.sent_us;
			if (L->rate == 0)
				agent_signal(a);
		}
		break;
	case SIGMSG_ERROR:
		L->errors++;
		if (L->errors == 1)
			fprintf(stderr, "agent %zu: error %s: %s\n", a->idx,
			    m.u.error.code, m.u.error.message);
		break;
	default:
		break;
	}
	sigmsg_free(&m);
}

static void
agent_read_cb(struct bufferevent *bev, void *arg)
{
	struct agent	*a = arg;
	const uint8_t	*msg;
	size_t		 len;
	char		 perr[LOAD_ERRLEN];
	struct sigmsg	 hello;
	int		 rv;

	while (a->stage != AGENT_DEAD) {
		rv = sigchan_read(&a->ch, bufferevent_get_input(bev), &msg,
		    &len, perr, sizeof(perr));
		if (rv == 0)
			return;
		if (rv == -1) {
			errno = 0;
			agent_die(a, perr);
			return;
		}
		if (rv == 2) {
			memset(&hello, 0, sizeof(hello));
			hello.type = SIGMSG_HELLO;
			hello.u.hello.version = SIGMSG_PROTO;
			/* Each hello tells the partner a new version. */
			strlcpy(hello.u.hello.software, PACKAGE_VERSION,
			    sizeof(hello.u.hello.software));
			a->stage = AGENT_WELCOME;
			agent_send(a, &hello);
			continue;
		}
		agent_recv(a, msg, len);
	}
}

static void
agent_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct agent	*a = arg;
	struct load	*L = a->load;
	uint8_t		 ts[SIGCHAN_TS_LEN];

	if (what & BEV_EVENT_CONNECTED) {
		a->stage = AGENT_HANDSHAKE;
		sigchan_now(ts);
		if (sigchan_init_initiator(&a->ch, a->priv, L->server_key, ts,
		    FRAME_MAX, LOAD_MSG_MAX, bufferevent_get_output(bev)) ==
		    -1) {
			errno = 0;
			agent_die(a, "handshake setup failed");
		}
		return;
	}
	if (what & BEV_EVENT_EOF)
		errno = 0;
	agent_die(a, what & BEV_EVENT_EOF ? "closed by the server" :
	    "socket error");
}

/* Everyone is in (or out): measure, then set every pair going. */
static void
load_exchange(struct load *L)
{
	struct timeval	 tv;
	size_t		 i;
	int		 w;

	L->t_online = monotime_us();
	L->rss_online = load_rss_kb(L->server_pid);
	L->cpu_srv = load_cpu_ticks(L->server_pid);
	L->cpu_self = load_cpu_ticks(getpid());
	L->online = L->ready;
	L->phase = LOAD_EXCHANGE;
	if (L->rate > 0) {
		tv.tv_sec = 0;
		tv.tv_usec = LOAD_TICK_MS * LOAD_MS;
		evtimer_add(L->ev_tick, &tv);
	} else {
		for (i = 0; i < L->n; i += 2)
			for (w = 0; w < L->window; w++)
				if (L->agents[i].stage == AGENT_READY)
					agent_signal(&L->agents[i]);
	}
	evtimer_del(L->ev_deadline);
	tv.tv_sec = L->secs;
	tv.tv_usec = 0;
	evtimer_add(L->ev_deadline, &tv);
}

/* Open loop: what the offered rate owes by now, from agent to agent. */
static void
load_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct load	*L = arg;
	struct timeval	 tv;
	uint64_t	 due, tries;

	if (L->phase != LOAD_EXCHANGE)
		return;
	due = (monotime_us() - L->t_online) * L->rate / LOAD_US;
	for (tries = 0; L->offered < due && tries < L->n; tries++) {
		if (L->agents[L->cursor].stage == AGENT_READY) {
			agent_signal(&L->agents[L->cursor]);
			L->offered++;
			tries = 0;
		}
		L->cursor = (L->cursor + 1) % L->n;
	}
	tv.tv_sec = 0;
	tv.tv_usec = LOAD_TICK_MS * LOAD_MS;
	evtimer_add(L->ev_tick, &tv);
}

static void
load_deadline_cb(evutil_socket_t fd, short what, void *arg)
{
	struct load	*L = arg;
	struct timeval	 tv;

	switch (L->phase) {
	case LOAD_CONNECT:
		fprintf(stderr, "only %zu of %zu agents online after %d s\n",
		    L->ready, L->n, LOAD_CONNECT_S);
		event_base_loopbreak(L->base);
		break;
	case LOAD_EXCHANGE:
		L->t_end = monotime_us();
		if (L->cpu_srv >= 0)
			L->cpu_srv = load_cpu_ticks(L->server_pid) - L->cpu_srv;
		L->cpu_self = load_cpu_ticks(getpid()) - L->cpu_self;
		L->phase = LOAD_DRAIN;
		tv.tv_sec = LOAD_DRAIN_S;
		tv.tv_usec = 0;
		evtimer_add(L->ev_deadline, &tv);
		break;
	case LOAD_DRAIN:
		event_base_loopbreak(L->base);
		break;
	}
}

static int
load_cmp(const void *a, const void *b)
{
	uint32_t	 x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* A percentile of the sorted samples, in milliseconds. */
static double
load_pct(const struct load *L, int pct)
{
	size_t	 i;

	if (L->nsamples == 0)
		return 0;
	i = L->nsamples * pct / LOAD_PCT;
	if (i >= L->nsamples)
		i = L->nsamples - 1;
	return L->samples[i] / LOAD_US_PER_MS;
}

static void
load_report(struct load *L)
{
	double	 connect_s, run_s, hz = sysconf(_SC_CLK_TCK);
	long	 per_conn = -1;

	qsort(L->samples, L->nsamples, sizeof(L->samples[0]), load_cmp);
	connect_s = (L->t_online - L->t_start) / (double)LOAD_US;
	run_s = L->t_end > L->t_online ?
	    (L->t_end - L->t_online) / (double)LOAD_US : 0;
	if (L->rss_before >= 0 && L->rss_online >= 0 && L->online > 0)
		per_conn = (L->rss_online - L->rss_before) * LOAD_KB /
		    (long)L->online;
	printf("agents %zu online %zu failed %zu connect_s %.2f "
	    "run_s %.2f messages %llu msg_per_s %.0f p50_ms %.3f "
	    "p99_ms %.3f errors %llu bad %llu rss_before_kb %ld "
	    "rss_online_kb %ld rss_per_conn_bytes %ld offered_per_s %ld "
	    "server_cpu_pct %.0f client_cpu_pct %.0f\n",
	    L->n, L->online, L->dead, connect_s, run_s,
	    (unsigned long long)L->received,
	    run_s > 0 ? L->received / run_s : 0,
	    load_pct(L, LOAD_PCT_P50), load_pct(L, LOAD_PCT_P99),
	    (unsigned long long)L->errors, (unsigned long long)L->bad,
	    L->rss_before, L->rss_online, per_conn, L->rate,
	    run_s > 0 && L->cpu_srv >= 0 ? L->cpu_srv / hz / run_s * LOAD_PCT :
	    -1, run_s > 0 ? L->cpu_self / hz / run_s * LOAD_PCT : -1);
	if (L->dead > 0)
		fprintf(stderr, "%zu agents failed; first: %s\n", L->dead,
		    L->errmsg);
}

int
main(int argc, char *argv[])
{
	struct load	 L;
	struct timeval	 tv;
	const char	*keyfile = NULL;
	size_t		 i;
	int		 ch, have_server = 0;
	uint8_t		 pin[KEY_LEN];

	if (sodium_init() == -1)
		errx(1, "sodium_init failed");
	/* A server that closes on us shows as an error, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	memset(&L, 0, sizeof(L));
	L.secs = LOAD_SECS_DEFAULT;
	L.window = LOAD_WINDOW_DEFAULT;
	L.boxlen = LOAD_BOX_DEFAULT;
	while ((ch = getopt(argc, argv, "b:g:k:n:P:r:s:t:w:")) != -1) {
		switch (ch) {
		case 'b':
			L.boxlen = load_num(optarg, SEAL_OVERHEAD +
			    sizeof(struct load_payload), SIGMSG_BOX_MAX);
			break;
		case 'g':
			if (argc - optind != 1)
				usage();
			return load_keygen(load_num(optarg, 1,
			    LOAD_AGENTS_MAX), argv[optind]);
		case 'k':
			keyfile = optarg;
			break;
		case 'n':
			L.n = load_num(optarg, 2, LOAD_AGENTS_MAX);
			break;
		case 'P':
			L.server_pid = load_num(optarg, 1, INT32_MAX);
			break;
		case 'r':
			L.rate = load_num(optarg, 1, LOAD_RATE_MAX);
			break;
		case 's':
			/* The pinned key, as tern-signal -k prints it. */
			if (key_from_b64(optarg, pin) == -1 ||
			    nmsign_noise_public(pin, L.server_key) == -1)
				errx(1, "bad server key %s", optarg);
			have_server = 1;
			break;
		case 't':
			L.secs = load_num(optarg, 1, LOAD_SECS_MAX);
			break;
		case 'w':
			L.window = load_num(optarg, 1, LOAD_WINDOW_MAX);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 2 || keyfile == NULL || !have_server || L.n == 0)
		usage();
	if (L.n % 2 != 0)
		errx(1, "agents come in pairs: -n must be even");
	memset(&L.server, 0, sizeof(L.server));
	L.server.sin_family = AF_INET;
	if (inet_pton(AF_INET, argv[0], &L.server.sin_addr) != 1)
		errx(1, "bad server address %s", argv[0]);
	L.server.sin_port = htons(load_num(argv[1], 1, UINT16_MAX));

	load_nofile(L.n);
	if ((L.agents = calloc(L.n, sizeof(*L.agents))) == NULL ||
	    (L.samples = calloc(LOAD_SAMPLES_MAX, sizeof(*L.samples))) == NULL)
		err(1, "calloc");
	for (i = 0; i < L.n; i++) {
		L.agents[i].load = &L;
		L.agents[i].idx = i;
	}
	load_keys(&L, keyfile);
	if ((L.base = event_base_new()) == NULL ||
	    (L.ev_deadline = evtimer_new(L.base, load_deadline_cb, &L)) ==
	    NULL ||
	    (L.ev_tick = evtimer_new(L.base, load_tick_cb, &L)) == NULL)
		errx(1, "libevent setup failed");

	L.rss_before = load_rss_kb(L.server_pid);
	L.phase = LOAD_CONNECT;
	L.t_start = monotime_us();
	tv.tv_sec = LOAD_CONNECT_S;
	tv.tv_usec = 0;
	evtimer_add(L.ev_deadline, &tv);
	load_start_more(&L);
	event_base_dispatch(L.base);

	if (L.phase == LOAD_CONNECT) {
		L.t_online = L.t_end = monotime_us();
		L.online = L.ready;
		load_report(&L);
		return 1;
	}
	load_report(&L);
	for (i = 0; i < L.n; i++) {
		if (L.agents[i].bev != NULL)
			bufferevent_free(L.agents[i].bev);
		sigchan_clear(&L.agents[i].ch);
	}
	sodium_memzero(L.agents, L.n * sizeof(*L.agents));
	free(L.agents);
	free(L.samples);
	event_free(L.ev_deadline);
	event_free(L.ev_tick);
	event_base_free(L.base);
	return L.dead > 0 ? 1 : 0;
}
