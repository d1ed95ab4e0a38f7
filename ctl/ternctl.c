/* ctl: ternctl, the operator's command line for a running ternd. */
#include <sys/socket.h>
#include <sys/stat.h>
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "imsg.h"
#include "key.h"
#include "ternctl.h"

#define CTL_TIMEOUT_MS	10000	/* a live ternd answers in milliseconds */
/* 4x the engine's 2.5 s STUN query timeout (stunc.c), which ends netcheck. */
#define CTL_NETCHECK_TIMEOUT_MS	10000
/* The engine's longest wait between two answers (agent/ping.c): for a
   path, 10 s, then for the ping, 2 s. */
#define CTL_PING_TIMEOUT_MS	15000

static int	 ctl_result_print(struct imsg *, const char *);

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr,
	    "usage: ternctl [-s socket] status [-d] [-j] "
	    "[idle | connecting | connected]\n"
	    "       ternctl [-s socket] reload\n"
	    "       ternctl [-s socket] wake peer\n"
	    "       ternctl [-s socket] netcheck [-j]\n"
	    "       ternctl [-s socket] ping [-j] [-c count] peer\n"
	    "       ternctl keygen directory\n"
	    "       ternctl lock keygen file\n"
	    "       ternctl lock sign file node-key wg-key addresses "
	    "[allowed-ips]\n");
	exit(1);
}

static int
keygen(const char *dir)
{
	uint8_t	 wg[KEY_LEN], node[KEY_LEN], pub[KEY_LEN];
	char	 path[PATH_MAX], err[PATH_MAX + 64];
	char	 wgb64[KEY_B64LEN], nodeb64[KEY_B64LEN];
	struct stat st;

	if (stat(dir, &st) == -1)
		errx(1, "%s: %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		errx(1, "%s: not a directory", dir);
	key_generate(wg);
	key_generate(node);
	/* Refuse before writing anything if either key exists. */
	snprintf(path, sizeof(path), "%s/%s", dir, KEY_FILE_NODE);
	if (access(path, F_OK) == 0)
		errx(1, "%s exists: refusing to overwrite it", path);
	snprintf(path, sizeof(path), "%s/%s", dir, KEY_FILE_WG);
	if (access(path, F_OK) == 0)
		errx(1, "%s exists: refusing to overwrite it", path);
	if (key_write_file(path, wg, err, sizeof(err)) == -1)
		errx(1, "%s", err);
	snprintf(path, sizeof(path), "%s/%s", dir, KEY_FILE_NODE);
	if (key_write_file(path, node, err, sizeof(err)) == -1)
		errx(1, "%s", err);
	key_public(wg, pub);
	key_to_b64(pub, wgb64);
	key_public(node, pub);
	key_to_b64(pub, nodeb64);
	sodium_memzero(wg, sizeof(wg));
	sodium_memzero(node, sizeof(node));
	printf("wireguard public key: %s\n", wgb64);
	printf("node public key: %s\n", nodeb64);
	return 0;
}

/* Reads one message, waiting at most timeout ms for it. */
static void
ctl_next(struct imsgbuf *ibuf, struct imsg *imsg, int timeout)
{
	struct pollfd	 pfd;
	ssize_t		 n;

	for (;;) {
		if ((n = imsg_get(ibuf, imsg)) == -1)
			err(1, "reading from ternd");
		if (n > 0)
			return;
		pfd.fd = ibuf->fd;
		pfd.events = POLLIN;
		if ((n = poll(&pfd, 1, timeout)) == -1)
			err(1, "poll");
		if (n == 0)
			errx(1, "ternd did not answer within %d s",
			    timeout / 1000);
		if ((n = imsgbuf_read(ibuf)) == -1)
			err(1, "reading from ternd");
		if (n == 0)
			errx(1, "ternd closed the connection");
	}
}

/* A state to filter status by, or -1. */
static int
ctl_state_parse(const char *s)
{
	if (strcmp(s, "idle") == 0)
		return PEER_IDLE;
	if (strcmp(s, "connecting") == 0)
		return PEER_CONNECTING;
	if (strcmp(s, "connected") == 0)
		return PEER_CONNECTED;
	return -1;
}

static int
ctl_status(struct imsgbuf *ibuf, const struct output *out, int filter)
{
	struct ctl_status_hdr	 h;
	struct ctl_status_peer	 p;
	struct imsg		 imsg;

	ctl_next(ibuf, &imsg, CTL_TIMEOUT_MS);
	if (imsg.hdr.type == IMSG_CTL_RESULT)
		return ctl_result_print(&imsg, "status");
	if (imsg.hdr.type != IMSG_CTL_STATUS_HDR ||
	    imsg_get_data(&imsg, &h, sizeof(h)) == -1)
		errx(1, "unexpected answer from ternd");
	imsg_free(&imsg);
	output_clean_hdr(&h);
	out->head(&h);
	for (;;) {
		ctl_next(ibuf, &imsg, CTL_TIMEOUT_MS);
		if (imsg.hdr.type == IMSG_CTL_END)
			break;
		if (imsg.hdr.type != IMSG_CTL_STATUS_PEER ||
		    imsg_get_data(&imsg, &p, sizeof(p)) == -1)
			errx(1, "unexpected answer from ternd");
		imsg_free(&imsg);
		output_clean_peer(&p);
		if (filter == -1 || p.state == filter)
			out->peer(&p);
	}
	imsg_free(&imsg);
	out->tail();
	return 0;
}

/* An IMSG_CTL_RESULT imsg (freed here): what ternd said, and 0 or 1. */
static int
ctl_result_print(struct imsg *imsg, const char *what)
{
	struct ctl_result	 res;

	if (imsg->hdr.type != IMSG_CTL_RESULT ||
	    imsg_get_data(imsg, &res, sizeof(res)) == -1)
		errx(1, "unexpected answer from ternd");
	imsg_free(imsg);
	output_clean(res.msg, sizeof(res.msg));
	if (res.ok) {
		printf("%s succeeded: %s\n", what, res.msg);
		return 0;
	}
	fprintf(stderr, "%s failed: %s\n", what, res.msg);
	return 1;
}

/* The answer to reload or wake; a refused reload's errors come first. */
static int
ctl_result(struct imsgbuf *ibuf, const char *what)
{
	struct ctl_error	 e;
	struct imsg		 imsg;
	size_t			 n = 0;

	for (;;) {
		ctl_next(ibuf, &imsg, CTL_TIMEOUT_MS);
		if (imsg.hdr.type != IMSG_CTL_RELOAD_ERROR)
			break;
		if (n++ >= CTL_RELOAD_ERRORS_MAX ||
		    imsg_get_data(&imsg, &e, sizeof(e)) == -1)
			errx(1, "unexpected answer from ternd");
		imsg_free(&imsg);
		output_clean(e.msg, sizeof(e.msg));
		fprintf(stderr, "%s\n", e.msg);
	}
	return ctl_result_print(&imsg, what);
}

/*
 * netcheck: the header, exactly its count of relays, the end; or a
 * refusal.  0 when it ran, whatever the relays answered.
 */
static int
ctl_netcheck(struct imsgbuf *ibuf, const struct output *out)
{
	struct ctl_netcheck_hdr		 h;
	struct ctl_netcheck_relay	 r;
	struct imsg			 imsg;
	size_t				 i;

	ctl_next(ibuf, &imsg, CTL_NETCHECK_TIMEOUT_MS);
	if (imsg.hdr.type == IMSG_CTL_RESULT)
		return ctl_result_print(&imsg, "netcheck");
	if (imsg.hdr.type != IMSG_CTL_NETCHECK_HDR ||
	    imsg_get_data(&imsg, &h, sizeof(h)) == -1 ||
	    !output_nc_hdr_ok(&h))
		errx(1, "unexpected answer from ternd");
	imsg_free(&imsg);
	out->nc_head(&h);
	for (i = 0;; i++) {
		ctl_next(ibuf, &imsg, CTL_TIMEOUT_MS);
		if (imsg.hdr.type == IMSG_CTL_END && i == h.nrelays)
			break;
		if (imsg.hdr.type != IMSG_CTL_NETCHECK_RELAY ||
		    i >= h.nrelays ||
		    imsg_get_data(&imsg, &r, sizeof(r)) == -1)
			errx(1, "unexpected answer from ternd");
		imsg_free(&imsg);
		output_clean_relay(&r);
		out->nc_relay(&h, i, &r);
	}
	imsg_free(&imsg);
	out->nc_tail(&h);
	return 0;
}

/*
 * ping: a ctl_pong per ping (one without -c), the last followed by the
 * end; or a refusal.  0 if any ping was answered.
 */
static int
ctl_ping(struct imsgbuf *ibuf, const struct output *out, const char *name,
    uint32_t count)
{
	struct ctl_pong	 pong;
	struct imsg	 imsg;
	uint32_t	 n, answered = 0;

	for (n = 0;; n++) {
		ctl_next(ibuf, &imsg, CTL_PING_TIMEOUT_MS);
		if (imsg.hdr.type == IMSG_CTL_RESULT && n == 0)
			return ctl_result_print(&imsg, "ping");
		if (imsg.hdr.type == IMSG_CTL_END && n > 0)
			break;
		if (imsg.hdr.type != IMSG_CTL_PONG ||
		    n >= (count == 0 ? 1 : count) ||
		    imsg_get_data(&imsg, &pong, sizeof(pong)) == -1 ||
		    !output_pong_ok(&pong))
			errx(1, "unexpected answer from ternd");
		imsg_free(&imsg);
		output_clean(pong.relay, sizeof(pong.relay));
		out->pong(name, &pong);
		answered += pong.status == CTL_PONG_REPLY;
	}
	imsg_free(&imsg);
	return answered > 0 ? 0 : 1;
}

int
main(int argc, char *argv[])
{
	const struct output	*out = &output_text;
	struct imsgbuf		 ibuf;
	const char		*sockpath = NULL, *errstr;
	struct ctl_wake		 w;
	struct ctl_ping		 pr;
	const void		*data = NULL;
	size_t			 len = 0;
	uint32_t		 type;
	int			 ch, fd, rv, i, filter = -1;

	if (sodium_init() == -1)
		errx(1, "libsodium initialisation failed");
	while ((ch = getopt(argc, argv, "+s:")) != -1) {
		switch (ch) {
		case 's':
			sockpath = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	if (strcmp(argv[0], "keygen") == 0) {
		if (argc != 2)
			usage();
		return keygen(argv[1]);
	}
	/* Offline: needs no ternd, only the administrator's key file. */
	if (strcmp(argv[0], "lock") == 0) {
		if (sodium_init() == -1)
			errx(1, "libsodium");
		if (argc == 3 && strcmp(argv[1], "keygen") == 0)
			return lock_keygen(argv[2]);
		if (argc >= 2 && strcmp(argv[1], "sign") == 0 &&
		    lock_sign(argc - 2, argv + 2) == 0)
			return 0;
		usage();
	}
	memset(&w, 0, sizeof(w));
	memset(&pr, 0, sizeof(pr));
	if (strcmp(argv[0], "status") == 0) {
		/* status [-d] [-j] [idle | connecting | connected] */
		for (i = 1; i < argc; i++) {
			if (strcmp(argv[i], "-j") == 0)
				out = &output_json;
			else if (strcmp(argv[i], "-d") == 0)
				output_detail = 1;
			else if (filter == -1 &&
			    (filter = ctl_state_parse(argv[i])) != -1)
				continue;
			else
				usage();
		}
		type = IMSG_CTL_STATUS;
	} else if (strcmp(argv[0], "reload") == 0) {
		if (argc != 1)
			usage();
		type = IMSG_CTL_RELOAD;
	} else if (strcmp(argv[0], "wake") == 0) {
		if (argc != 2)
			usage();
		if (strlcpy(w.name, argv[1], sizeof(w.name)) >= sizeof(w.name))
			errx(1, "%s: peer name too long", argv[1]);
		type = IMSG_CTL_WAKE;
		data = &w;
		len = sizeof(w);
	} else if (strcmp(argv[0], "netcheck") == 0) {
		for (i = 1; i < argc; i++) {
			if (strcmp(argv[i], "-j") == 0)
				out = &output_json;
			else
				usage();
		}
		type = IMSG_CTL_NETCHECK;
	} else if (strcmp(argv[0], "ping") == 0) {
		/* ping [-j] [-c count] peer */
		for (i = 1; i < argc; i++) {
			if (strcmp(argv[i], "-j") == 0)
				out = &output_json;
			else if (strcmp(argv[i], "-c") == 0 && i + 1 < argc) {
				pr.count = strtonum(argv[++i], 1,
				    CTL_PING_COUNT_MAX, &errstr);
				if (errstr != NULL)
					errx(1, "count %s is %s (1 to %d)",
					    argv[i], errstr,
					    CTL_PING_COUNT_MAX);
			} else if (pr.name[0] == '\0' && argv[i][0] != '-') {
				if (strlcpy(pr.name, argv[i], sizeof(pr.name)) >=
				    sizeof(pr.name))
					errx(1, "%s: peer name too long",
					    argv[i]);
			} else
				usage();
		}
		if (pr.name[0] == '\0')
			usage();
		type = IMSG_CTL_PING;
		data = &pr;
		len = sizeof(pr);
	} else
		usage();

	/* A refused client is closed at once: read why, not die writing. */
	signal(SIGPIPE, SIG_IGN);
	if (sockpath != NULL)
		fd = unix_connect(sockpath);
	else if ((fd = unix_connect(sockpath = TERND_SOCKET)) == -1 &&
	    errno == EACCES && type == IMSG_CTL_STATUS)
		/* Status is for everyone: the read-only socket serves it. */
		fd = unix_connect(sockpath = TERND_RSOCKET);
	if (fd == -1)
		err(1, "connect %s (is ternd running?)", sockpath);
	imsgbuf_init(&ibuf, fd);
	if (imsg_compose(&ibuf, type, 0, 0, -1, data, len) == -1 ||
	    (imsgbuf_flush(&ibuf) == -1 && errno != EPIPE &&
	    errno != ECONNRESET))
		err(1, "writing to ternd");
	if (type == IMSG_CTL_STATUS)
		rv = ctl_status(&ibuf, out, filter);
	else if (type == IMSG_CTL_NETCHECK)
		rv = ctl_netcheck(&ibuf, out);
	else if (type == IMSG_CTL_PING)
		rv = ctl_ping(&ibuf, out, pr.name, pr.count);
	else
		rv = ctl_result(&ibuf, type == IMSG_CTL_WAKE ? "wake" :
		    "reload");
	imsgbuf_clear(&ibuf);
	close(fd);
	return rv;
}
