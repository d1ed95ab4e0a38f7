/*
 * Seeds of the libFuzzer targets whose inputs are C structs
 * (parent_fuzz, ctl_fuzz), written into the directories given: valid
 * messages in this build's layout, so the fuzzers start past the size
 * checks.  Built and run by regress/fuzz/run.sh.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parent.h"
#include "peerport.h"

#define SEED_NOW	1700000000	/* parent_fuzz.c's "now" */
#define SEED_TTL	3600		/* an entry valid an hour past it */
#define SEED_FLAGS_SIGN	3		/* parent_fuzz: sign, and lock-sign */
#define SEED_FLAGS_LEARN 4		/* parent_fuzz: the name resolved */
#define SEED_RTT_US	12345

static FILE	*seed_open(const char *, const char *);
static void	 seed_msg(FILE *, uint8_t, uint8_t, const void *, size_t);
static void	 seed_prefix(struct tern_prefix *, const char *);
static void	 seed_sa(struct sockaddr_storage *, const char *, uint16_t);
static void	 seeds_parent(const char *);
static void	 seeds_ctl(const char *);

static FILE *
seed_open(const char *dir, const char *name)
{
	char	 path[PATH_MAX];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL)
		err(1, "%s", path);
	return f;
}

/* parent_fuzz's record: type, flags, u16 length, payload. */
static void
seed_msg(FILE *f, uint8_t type, uint8_t flags, const void *p, size_t len)
{
	uint8_t	 hdr[4] = { type, flags, len >> 8, len & 0xff };

	fwrite(hdr, 1, sizeof(hdr), f);
	fwrite(p, 1, len, f);
}

static void
seed_prefix(struct tern_prefix *p, const char *text)
{
	const char	*errstr;

	if (prefix_parse(text, p, &errstr) == -1)
		errx(1, "%s: %s", text, errstr);
}

static void
seed_sa(struct sockaddr_storage *ss, const char *host, uint16_t port)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
	} else if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
	} else
		errx(1, "%s: not an address", host);
}

/* parent_fuzz's relay connection: relay as listed, address, port. */
static void
seed_connect(FILE *f, uint8_t flags, const char *relay, const char *host,
    uint16_t port, uint32_t transport)
{
	struct imsg_relay_connect	 rc;
	struct sockaddr_storage		 ss;

	memset(&rc, 0, sizeof(rc));
	strlcpy(rc.addr, relay, sizeof(rc.addr));
	seed_sa(&ss, host, port);
	sockaddr_to_v6((struct sockaddr *)&ss, &rc.sa);
	rc.transport = transport;
	seed_msg(f, IMSG_RELAY_CONNECT, flags, &rc, sizeof(rc));
}

/*
 * The static peer as configured, a signed netmap peer, a relay, and
 * relay connections: a name resolved, a bootstrap literal, a refusal.
 */
static void
seeds_parent(const char *dir)
{
	struct imsg_wg_peer	 wp;
	struct imsg_wg_signed	 ws;
	struct imsg_relay_addr	 ra;
	FILE			*f;

	memset(&wp, 0, sizeof(wp));
	memset(wp.wgkey, 0x5a, KEY_LEN);
	seed_prefix(&wp.allowed[0], "10.77.1.0/24");
	wp.nallowed = 1;
	if (peerport_addr(1, TERND_PEERPORT_DEFAULT, &wp.endpoint) == -1)
		errx(1, "peer port");
	f = seed_open(dir, "static");
	seed_msg(f, IMSG_WG_PEER_SET, 0, &wp, sizeof(wp));
	fclose(f);

	memset(&ws, 0, sizeof(ws));
	memset(ws.entry.node_key, 0x33, KEY_LEN);
	memset(ws.entry.wg_key, 0x44, KEY_LEN);
	seed_prefix(&ws.entry.addrs[0], "10.77.2.1/32");
	seed_prefix(&ws.entry.addrs[1], "fd77::2/128");
	ws.entry.naddrs = 2;
	seed_prefix(&ws.entry.allowed[0], "10.77.3.0/24");
	ws.entry.nallowed = 1;
	ws.entry.serial = 1;
	ws.entry.expires = SEED_NOW + SEED_TTL;
	ws.keepalive = 25;
	ws.endpoint = wp.endpoint;
	f = seed_open(dir, "signed");
	seed_msg(f, IMSG_WG_PEER_SIGNED, SEED_FLAGS_SIGN, &ws, sizeof(ws));
	ws.entry.serial = 2;
	seed_msg(f, IMSG_WG_PEER_SIGNED, SEED_FLAGS_SIGN, &ws, sizeof(ws));
	fclose(f);

	memset(&ra, 0, sizeof(ra));
	strlcpy(ra.addr, "relay.example:3478", sizeof(ra.addr));
	f = seed_open(dir, "relays");
	seed_msg(f, IMSG_RELAY_RESOLVE, 0, &ra, sizeof(ra));
	seed_msg(f, IMSG_RELAY_SAVE, 0, &ra, sizeof(ra));
	strlcpy(ra.addr, "[2001:db8::1]:3478", sizeof(ra.addr));
	seed_msg(f, IMSG_RELAY_SAVE, 0, &ra, sizeof(ra));
	seed_msg(f, IMSG_RELAY_SAVE_END, 0, NULL, 0);
	fclose(f);

	f = seed_open(dir, "connect");
	seed_connect(f, SEED_FLAGS_LEARN, "relay.example:3478",
	    "198.51.100.7", 443, RELAY_TRANSPORT_TLS);
	seed_connect(f, 0, "127.0.0.1:3478", "127.0.0.1", 3478,
	    RELAY_TRANSPORT_TCP);
	seed_connect(f, 0, "[2001:db8::1]:3478", "2001:db8::1", 3478,
	    RELAY_TRANSPORT_TCP);
	seed_connect(f, 0, "relay.example:3478", "10.0.0.1", 22,
	    RELAY_TRANSPORT_TCP);
	seed_msg(f, IMSG_RELAY_CA_REQ, 0, NULL, 0);
	fclose(f);
}

/*
 * A status with two peers, a netcheck of two relays and three pongs,
 * both ends.
 */
static void
seeds_ctl(const char *dir)
{
	struct ctl_status_hdr		 h;
	struct ctl_status_peer		 p;
	struct ctl_netcheck_hdr		 nh;
	struct ctl_netcheck_relay	 r;
	struct ctl_pong			 pong;
	FILE				*f;
	uint8_t				 sel, more = 1, end = 0;

	for (sel = 0; sel < 4; sel++) {
		char	 name[16];

		memset(&h, 0, sizeof(h));
		strlcpy(h.ifname, "tern0", sizeof(h.ifname));
		h.port = 51820;
		h.peerport = TERND_PEERPORT_DEFAULT;
		h.npeers = 2;
		h.sig_state = 1;
		strlcpy(h.sig_server, "signal.example:7443",
		    sizeof(h.sig_server));
		strlcpy(h.relay, "relay.example:3478", sizeof(h.relay));
		memset(&p, 0, sizeof(p));
		strlcpy(p.name, "peer-1", sizeof(p.name));
		seed_sa(&p.endpoint, "::ffff:198.51.100.1", 51820);
		seed_sa(&p.local, "10.0.0.1", 51820);
		p.local_type = CAND_HOST;
		p.remote_type = CAND_SRFLX;
		p.rtt_us = SEED_RTT_US;
		p.idle_in = -1;
		snprintf(name, sizeof(name), "status%u", sel);
		f = seed_open(dir, name);
		fwrite(&sel, 1, 1, f);
		fwrite(&h, 1, sizeof(h), f);
		fwrite(&more, 1, 1, f);
		fwrite(&p, 1, sizeof(p), f);
		p.state = PEER_IDLE;
		seed_sa(&p.endpoint, "2001:db8::1", 51820);
		fwrite(&more, 1, 1, f);
		fwrite(&p, 1, sizeof(p), f);
		fwrite(&end, 1, 1, f);
		fclose(f);

		memset(&nh, 0, sizeof(nh));
		nh.nrelays = 2;
		nh.picked = 1;
		nh.symmetric_v6 = -1;
		memset(&r, 0, sizeof(r));
		strlcpy(r.addr, "relay.example:3478", sizeof(r.addr));
		seed_sa(&r.server, "::ffff:192.0.2.10", 3478);
		seed_sa(&r.mapped, "::ffff:203.0.113.7", 40000);
		r.answered = 1;
		r.rtt_us = SEED_RTT_US;
		snprintf(name, sizeof(name), "netcheck%u", sel);
		f = seed_open(dir, name);
		name[0] = sel | 4;
		fwrite(name, 1, 1, f);
		fwrite(&nh, 1, sizeof(nh), f);
		fwrite(&r, 1, sizeof(r), f);
		memset(&r.mapped, 0, sizeof(r.mapped));
		r.answered = 0;
		strlcpy(r.error, "no answer in time", sizeof(r.error));
		fwrite(&r, 1, sizeof(r), f);
		fclose(f);

		snprintf(name, sizeof(name), "ping%u", sel);
		f = seed_open(dir, name);
		name[0] = sel | 8;
		fwrite(name, 1, 1, f);
		memset(&pong, 0, sizeof(pong));
		pong.status = CTL_PONG_REPLY;
		pong.seq = 1;
		pong.rtt_us = SEED_RTT_US;
		pong.via_relay = 1;
		seed_sa(&pong.remote, "::ffff:198.51.100.1", 51820);
		strlcpy(pong.relay, "relay.example:3478", sizeof(pong.relay));
		fwrite(&pong, 1, sizeof(pong), f);
		pong.via_relay = 0;
		pong.seq = 2;
		fwrite(&pong, 1, sizeof(pong), f);
		memset(&pong, 0, sizeof(pong));
		pong.status = CTL_PONG_LOST;
		pong.seq = 3;
		pong.waited_ms = 2000;
		fwrite(&pong, 1, sizeof(pong), f);
		fclose(f);
	}
}

int
main(int argc, char *argv[])
{
	if (argc != 3) {
		fprintf(stderr, "usage: fuzz_seeds parent-dir ctl-dir\n");
		return 2;
	}
	seeds_parent(argv[1]);
	seeds_ctl(argv[2]);
	return 0;
}
