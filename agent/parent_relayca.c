/*
 * parent: the CA bundle that the engine verifies relays with over TLS.
 * The engine has no file system, so when it first needs TLS it asks,
 * and the parent reads tls-ca (ternd.conf) as root and sends it in
 * pieces, then an end that says whether they are all of it.  The file
 * is read at each request, so a reload's new path or a renewed bundle
 * is taken the next time; requests are spaced so that the engine
 * cannot make the parent read and queue the file without end.
 */
#include <sys/stat.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "monotime.h"
#include "parent.h"
#include "regfile.h"

/* The engine asks once per TLS setup: a few a minute at most. */
#define RELAYCA_MIN_MS		10000

static int	 relayca_read(const char *, uint8_t **, size_t *, char *,
		    size_t);
static void	 relayca_end(int, size_t, const char *);

/* The whole file, 1 to TERN_CA_MAX bytes: 0, or an errno and why. */
static int
relayca_read(const char *path, uint8_t **buf, size_t *len, char *err,
    size_t errlen)
{
	struct stat	 st;
	const char	*errstr;
	size_t		 off;
	ssize_t		 r;
	int		 fd, error;

	*buf = NULL;
	*len = 0;
	if ((fd = regfile_open(path, 0, &st, &errstr)) == -1) {
		error = errno != 0 ? errno : EINVAL;
		snprintf(err, errlen, "tls-ca %s: %s", path, errstr);
		return error;
	}
	if (st.st_size <= 0 || st.st_size > TERN_CA_MAX) {
		close(fd);
		snprintf(err, errlen, "tls-ca %s: size is not 1 to %d bytes",
		    path, TERN_CA_MAX);
		return EFBIG;
	}
	if ((*buf = malloc(st.st_size)) == NULL)
		fatal("%s", __func__);
	for (off = 0; off < (size_t)st.st_size; off += r)
		if ((r = read(fd, *buf + off, st.st_size - off)) <= 0) {
			error = r == 0 ? EIO : errno;
			close(fd);
			free(*buf);
			*buf = NULL;
			snprintf(err, errlen, "tls-ca %s: %s", path,
			    r == 0 ? "shorter than its size" : strerror(error));
			return error;
		}
	close(fd);
	*len = st.st_size;
	return 0;
}

static void
relayca_end(int error, size_t len, const char *msg)
{
	struct imsg_relay_ca_end	 end;

	memset(&end, 0, sizeof(end));
	end.error = error;
	end.len = len;
	strlcpy(end.msg, msg, sizeof(end.msg));
	if (imsgev_compose(&penv.iev_engine, IMSG_RELAY_CA_END, 0, -1, &end,
	    sizeof(end)) == -1)
		fatal("imsg to engine");
}

/* IMSG_RELAY_CA_REQ: the pieces and the end, or an end saying why not. */
void
relayca_send(void)
{
	static uint64_t		 last_ms;
	static struct imsg_relay_ca piece;
	uint64_t		 now = monotime_ms();
	uint8_t			*buf;
	char			 err[PATH_MAX + CTL_MSG_MAX];
	size_t			 len, off;
	int			 error;

	if (last_ms != 0 && now - last_ms < RELAYCA_MIN_MS) {
		relayca_end(EAGAIN, 0, "CA bundle asked again too soon");
		return;
	}
	last_ms = now;
	if ((error = relayca_read(penv.conf->tls_ca, &buf, &len, err,
	    sizeof(err))) != 0) {
		log_warnx("%s: relays over TLS cannot be verified", err);
		relayca_end(error, 0, err);
		return;
	}
	for (off = 0; off < len; off += piece.len) {
		memset(&piece, 0, sizeof(piece));
		piece.len = len - off < TERN_CA_PIECE ? len - off :
		    TERN_CA_PIECE;
		memcpy(piece.data, buf + off, piece.len);
		if (imsgev_compose(&penv.iev_engine, IMSG_RELAY_CA, 0, -1,
		    &piece, sizeof(piece)) == -1)
			fatal("imsg to engine");
	}
	free(buf);
	log_debug("sent the engine %zu bytes of CA bundle %s", len,
	    penv.conf->tls_ca);
	relayca_end(0, len, "");
}
