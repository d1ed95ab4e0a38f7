/* imsg channels driven by libevent: read and write events, output queue. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "imsgev.h"
#include "log.h"

static void	 imsgev_handler(int, short, void *);

/* A control client can break its stream on every connection: limit. */
static struct log_limit	 ll_write, ll_read, ll_get;

/*
 * dispatch is called once per message; the message is freed after it
 * returns.  closed is called once when the channel ends: EOF, an error,
 * a broken stream, or a dispatcher that called imsgev_shutdown().  It
 * owns the channel then and typically calls imsgev_clear() and frees it.
 */
void
imsgev_init(struct imsgev *iev, int fd, imsgev_dispatch dispatch,
    imsgev_closed closed, void *arg)
{
	memset(iev, 0, sizeof(*iev));
	imsgbuf_init(&iev->ibuf, fd);
	iev->dispatch = dispatch;
	iev->closed = closed;
	iev->arg = arg;
	iev->events = EV_READ;
	event_set(&iev->ev, fd, iev->events | EV_PERSIST, imsgev_handler, iev);
	event_add(&iev->ev, NULL);
}

void
imsgev_add(struct imsgev *iev)
{
	short	 events = EV_READ;

	if (iev->dead)
		return;
	if (imsgbuf_queued(&iev->ibuf))
		events |= EV_WRITE;
	if (events == iev->events)
		return;
	event_del(&iev->ev);
	iev->events = events;
	event_set(&iev->ev, iev->ibuf.fd, events | EV_PERSIST, imsgev_handler,
	    iev);
	event_add(&iev->ev, NULL);
}

int
imsgev_compose(struct imsgev *iev, uint32_t type, uint32_t peerid, int fd,
    const void *data, size_t len)
{
	if (iev->dead) {
		if (fd != -1)
			close(fd);
		errno = EPIPE;
		return -1;
	}
	if (imsg_compose(&iev->ibuf, type, peerid, 0, fd, data, len) == -1)
		return -1;
	imsgev_add(iev);
	return 0;
}

/* Asks for the channel to be closed once the current message is done. */
void
imsgev_shutdown(struct imsgev *iev)
{
	iev->dead = 1;
}

void
imsgev_clear(struct imsgev *iev)
{
	event_del(&iev->ev);
	iev->dead = 1;
	imsgbuf_clear(&iev->ibuf);
	close(iev->ibuf.fd);
	iev->ibuf.fd = -1;
}

static void
imsgev_handler(int fd, short event, void *arg)
{
	struct imsgev	*iev = arg;
	struct imsg	 imsg;
	ssize_t		 n;

	if (event & EV_WRITE) {
		if (imsgbuf_write(&iev->ibuf) == -1) {
			if (errno != EPIPE)
				log_limit_warn(&ll_write, "imsg write");
			goto closed;
		}
	}
	if (event & EV_READ) {
		n = imsgbuf_read(&iev->ibuf);
		if (n == -1 && errno != EAGAIN) {
			log_limit_warn(&ll_read, "imsg read");
			goto closed;
		}
		if (n == 0)
			goto closed;
		for (;;) {
			if ((n = imsg_get(&iev->ibuf, &imsg)) == -1) {
				log_limit_warn(&ll_get, "imsg_get");
				goto closed;
			}
			if (n == 0)
				break;
			iev->dispatch(iev, &imsg);
			imsg_free(&imsg);
			if (iev->dead)
				goto closed;
		}
	}
	imsgev_add(iev);
	return;
 closed:
	event_del(&iev->ev);
	iev->dead = 1;
	iev->closed(iev);
}
