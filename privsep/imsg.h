/* Framed messages with file-descriptor passing over a stream socket. */
#ifndef TERN_IMSG_H
#define TERN_IMSG_H

#include <sys/queue.h>
#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

#define IMSG_MAX_SIZE		16384		/* header and payload */
#define IMSG_READ_BUFSIZE	(2 * IMSG_MAX_SIZE)
#define IMSG_FD_MAX		16		/* received fds waiting for their message */
#define IMSG_OUTQ_MAX		(4 * 1024 * 1024)	/* default bytes queued for one reader */
#define IMSG_WRITE_IOV		64		/* messages per sendmsg() */

#define IMSGF_HASFD		0x0001

struct imsg_hdr {
	uint32_t	 type;
	uint16_t	 len;		/* header included */
	uint16_t	 flags;
	uint32_t	 peerid;
	uint32_t	 pid;
};

#define IMSG_HEADER_SIZE	sizeof(struct imsg_hdr)

struct imsg {
	struct imsg_hdr	 hdr;
	int		 fd;
	void		*data;
};

struct imsg_out {
	TAILQ_ENTRY(imsg_out)	 entry;
	size_t			 len;
	size_t			 off;
	int			 fd;
	unsigned char		 buf[];
};

struct imsgbuf {
	int			 fd;
	pid_t			 pid;
	unsigned char		 rbuf[IMSG_READ_BUFSIZE];
	size_t			 rlen;
	int			 rfds[IMSG_FD_MAX];
	size_t			 nrfds;
	TAILQ_HEAD(, imsg_out)	 outq;
	size_t			 outq_len;
	size_t			 outq_max;
};

void	 imsgbuf_init(struct imsgbuf *, int);
void	 imsgbuf_clear(struct imsgbuf *);
void	 imsgbuf_set_outq_max(struct imsgbuf *, size_t);
ssize_t	 imsgbuf_read(struct imsgbuf *);
int	 imsgbuf_write(struct imsgbuf *);
int	 imsgbuf_flush(struct imsgbuf *);
int	 imsgbuf_queued(const struct imsgbuf *);
ssize_t	 imsg_get(struct imsgbuf *, struct imsg *);
int	 imsg_compose(struct imsgbuf *, uint32_t, uint32_t, pid_t, int,
	    const void *, size_t);
size_t	 imsg_datalen(const struct imsg *);
int	 imsg_get_data(const struct imsg *, void *, size_t);
int	 imsg_expect_empty(const struct imsg *);
int	 imsg_expect_fd_types(const struct imsg *, const uint32_t *, size_t);
void	 imsg_free(struct imsg *);

#endif
