/*
 * Framed messages with file-descriptor passing over a stream socket.
 * Used between parent and engine and between the engine and ternctl.
 */
#include <sys/socket.h>
#include <sys/uio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imsg.h"

void
imsgbuf_init(struct imsgbuf *ibuf, int fd)
{
	memset(ibuf, 0, sizeof(*ibuf));
	ibuf->fd = fd;
	ibuf->pid = getpid();
	ibuf->outq_max = IMSG_OUTQ_MAX;
	TAILQ_INIT(&ibuf->outq);
}

void
imsgbuf_set_outq_max(struct imsgbuf *ibuf, size_t max)
{
	ibuf->outq_max = max;
}

static void
imsg_out_free(struct imsg_out *o)
{
	if (o->fd != -1)
		close(o->fd);
	free(o);
}

void
imsgbuf_clear(struct imsgbuf *ibuf)
{
	struct imsg_out	*o;
	size_t		 i;

	while ((o = TAILQ_FIRST(&ibuf->outq)) != NULL) {
		TAILQ_REMOVE(&ibuf->outq, o, entry);
		imsg_out_free(o);
	}
	ibuf->outq_len = 0;
	for (i = 0; i < ibuf->nrfds; i++)
		close(ibuf->rfds[i]);
	ibuf->nrfds = 0;
	ibuf->rlen = 0;
}

int
imsgbuf_queued(const struct imsgbuf *ibuf)
{
	return !TAILQ_EMPTY(&ibuf->outq);
}

/* Returns bytes read, 0 on EOF, -1 on error (errno EAGAIN: try later). */
ssize_t
imsgbuf_read(struct imsgbuf *ibuf)
{
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(sizeof(int) * IMSG_FD_MAX)];
	} cmsgbuf;
	struct msghdr	 msg;
	struct iovec	 iov;
	struct cmsghdr	*cmsg;
	ssize_t		 n;
	size_t		 i, nfds;
	int		*fds;

	if (ibuf->rlen >= sizeof(ibuf->rbuf)) {
		errno = ENOBUFS;
		return -1;
	}
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = ibuf->rbuf + ibuf->rlen;
	iov.iov_len = sizeof(ibuf->rbuf) - ibuf->rlen;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = &cmsgbuf.buf;
	msg.msg_controllen = sizeof(cmsgbuf.buf);

	while ((n = recvmsg(ibuf->fd, &msg, MSG_CMSG_CLOEXEC)) == -1) {
		if (errno != EINTR)
			return -1;
	}
	for (cmsg = CMSG_FIRSTHDR(&msg); cmsg != NULL;
	    cmsg = CMSG_NXTHDR(&msg, cmsg)) {
		if (cmsg->cmsg_level != SOL_SOCKET ||
		    cmsg->cmsg_type != SCM_RIGHTS)
			continue;
		nfds = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		fds = (int *)CMSG_DATA(cmsg);
		for (i = 0; i < nfds; i++) {
			/* More fds than messages can claim: a broken peer. */
			if (ibuf->nrfds >= IMSG_FD_MAX) {
				close(fds[i]);
				continue;
			}
			ibuf->rfds[ibuf->nrfds++] = fds[i];
		}
	}
	if (msg.msg_flags & MSG_CTRUNC) {
		errno = EBADMSG;
		return -1;
	}
	ibuf->rlen += n;
	return n;
}

/*
 * Returns the length of the message taken (header included), 0 if no
 * whole message is buffered yet, -1 if the stream is broken (errno set).
 */
ssize_t
imsg_get(struct imsgbuf *ibuf, struct imsg *imsg)
{
	struct imsg_hdr	 hdr;
	size_t		 datalen;

	if (ibuf->rlen < IMSG_HEADER_SIZE)
		return 0;
	memcpy(&hdr, ibuf->rbuf, sizeof(hdr));
	if (hdr.len < IMSG_HEADER_SIZE || hdr.len > IMSG_MAX_SIZE) {
		errno = ERANGE;
		return -1;
	}
	if (hdr.len > ibuf->rlen)
		return 0;
	datalen = hdr.len - IMSG_HEADER_SIZE;
	memset(imsg, 0, sizeof(*imsg));
	imsg->hdr = hdr;
	imsg->fd = -1;
	if (datalen > 0) {
		if ((imsg->data = malloc(datalen)) == NULL)
			return -1;
		memcpy(imsg->data, ibuf->rbuf + IMSG_HEADER_SIZE, datalen);
	}
	if (hdr.flags & IMSGF_HASFD) {
		if (ibuf->nrfds == 0) {
			free(imsg->data);
			imsg->data = NULL;
			errno = EBADMSG;
			return -1;
		}
		imsg->fd = ibuf->rfds[0];
		memmove(ibuf->rfds, ibuf->rfds + 1,
		    --ibuf->nrfds * sizeof(int));
	}
	ibuf->rlen -= hdr.len;
	memmove(ibuf->rbuf, ibuf->rbuf + hdr.len, ibuf->rlen);
	return hdr.len;
}

/* Queues a message; the fd, if any, is owned by the queue from now on. */
int
imsg_compose(struct imsgbuf *ibuf, uint32_t type, uint32_t peerid, pid_t pid,
    int fd, const void *data, size_t datalen)
{
	struct imsg_out	*o;
	struct imsg_hdr	 hdr;
	size_t		 len = IMSG_HEADER_SIZE + datalen;

	if (datalen > IMSG_MAX_SIZE - IMSG_HEADER_SIZE) {
		errno = ERANGE;
		goto fail;
	}
	if (ibuf->outq_len + len > ibuf->outq_max) {
		errno = ENOBUFS;
		goto fail;
	}
	if ((o = malloc(sizeof(*o) + len)) == NULL)
		goto fail;
	memset(&hdr, 0, sizeof(hdr));
	hdr.type = type;
	hdr.len = len;
	hdr.flags = fd != -1 ? IMSGF_HASFD : 0;
	hdr.peerid = peerid;
	hdr.pid = pid ? (uint32_t)pid : (uint32_t)ibuf->pid;
	memcpy(o->buf, &hdr, sizeof(hdr));
	if (datalen > 0)
		memcpy(o->buf + IMSG_HEADER_SIZE, data, datalen);
	o->len = len;
	o->off = 0;
	o->fd = fd;
	TAILQ_INSERT_TAIL(&ibuf->outq, o, entry);
	ibuf->outq_len += len;
	return 0;
 fail:
	if (fd != -1)
		close(fd);
	return -1;
}

/*
 * Writes as much of the queue as the socket takes.  A message with an fd
 * goes in its own sendmsg() so that the fd travels with its first byte.
 * Returns 0 (queue may still hold data on EAGAIN) or -1 on error.
 */
int
imsgbuf_write(struct imsgbuf *ibuf)
{
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(sizeof(int))];
	} cmsgbuf;
	struct iovec	 iov[IMSG_WRITE_IOV];
	struct msghdr	 msg;
	struct cmsghdr	*cmsg;
	struct imsg_out	*o;
	ssize_t		 n;
	int		 niov;

	while ((o = TAILQ_FIRST(&ibuf->outq)) != NULL) {
		memset(&msg, 0, sizeof(msg));
		niov = 0;
		if (o->fd != -1 && o->off == 0) {
			iov[niov].iov_base = o->buf;
			iov[niov++].iov_len = o->len;
			memset(&cmsgbuf, 0, sizeof(cmsgbuf));
			msg.msg_control = &cmsgbuf.buf;
			msg.msg_controllen = sizeof(cmsgbuf.buf);
			cmsg = CMSG_FIRSTHDR(&msg);
			cmsg->cmsg_len = CMSG_LEN(sizeof(int));
			cmsg->cmsg_level = SOL_SOCKET;
			cmsg->cmsg_type = SCM_RIGHTS;
			memcpy(CMSG_DATA(cmsg), &o->fd, sizeof(int));
		} else {
			for (; o != NULL && niov < (int)(sizeof(iov) /
			    sizeof(iov[0])); o = TAILQ_NEXT(o, entry)) {
				if (o->fd != -1 && o->off == 0 && niov > 0)
					break;
				iov[niov].iov_base = o->buf + o->off;
				iov[niov++].iov_len = o->len - o->off;
			}
		}
		msg.msg_iov = iov;
		msg.msg_iovlen = niov;
		n = sendmsg(ibuf->fd, &msg, MSG_NOSIGNAL);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == ENOBUFS)
				return 0;
			return -1;
		}
		while (n > 0 && (o = TAILQ_FIRST(&ibuf->outq)) != NULL) {
			size_t	 left = o->len - o->off;

			if ((size_t)n < left) {
				o->off += n;
				/* The fd went with the first byte. */
				if (o->fd != -1) {
					close(o->fd);
					o->fd = -1;
				}
				break;
			}
			n -= left;
			ibuf->outq_len -= o->len;
			TAILQ_REMOVE(&ibuf->outq, o, entry);
			imsg_out_free(o);
		}
	}
	return 0;
}

/* Blocking flush, for short-lived clients and the last words before exit. */
int
imsgbuf_flush(struct imsgbuf *ibuf)
{
	int	 flags;

	if ((flags = fcntl(ibuf->fd, F_GETFL)) == -1)
		return -1;
	if ((flags & O_NONBLOCK) &&
	    fcntl(ibuf->fd, F_SETFL, flags & ~O_NONBLOCK) == -1)
		return -1;
	while (imsgbuf_queued(ibuf))
		if (imsgbuf_write(ibuf) == -1)
			break;
	if ((flags & O_NONBLOCK) && fcntl(ibuf->fd, F_SETFL, flags) == -1)
		return -1;
	return imsgbuf_queued(ibuf) ? -1 : 0;
}

size_t
imsg_datalen(const struct imsg *imsg)
{
	return imsg->hdr.len - IMSG_HEADER_SIZE;
}

/* Copies the payload out; a payload of any other size is refused. */
int
imsg_get_data(const struct imsg *imsg, void *data, size_t len)
{
	if (len == 0 || imsg_datalen(imsg) != len) {
		errno = EBADMSG;
		return -1;
	}
	memcpy(data, imsg->data, len);
	return 0;
}

int
imsg_expect_empty(const struct imsg *imsg)
{
	if (imsg_datalen(imsg) != 0) {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

/*
 * A descriptor on a message of a type that carries none (types lists
 * those that may) is refused: closing it quietly would hide a broken
 * or hostile sender, so dispatchers treat it as they treat a bad size.
 */
int
imsg_expect_fd_types(const struct imsg *imsg, const uint32_t *types,
    size_t ntypes)
{
	size_t	 i;

	if (imsg->fd == -1)
		return 0;
	for (i = 0; i < ntypes; i++)
		if (imsg->hdr.type == types[i])
			return 0;
	errno = EBADMSG;
	return -1;
}

void
imsg_free(struct imsg *imsg)
{
	free(imsg->data);
	imsg->data = NULL;
	if (imsg->fd != -1)
		close(imsg->fd);
	imsg->fd = -1;
}
