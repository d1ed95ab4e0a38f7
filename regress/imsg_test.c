/* Unit tests of privsep/imsg.c: framing, limits, sizes, fd passing. */
#include <sys/socket.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "imsg.h"

static void
pair(int sp[2], int nonblock)
{
	ATF_REQUIRE(socketpair(AF_UNIX, SOCK_STREAM |
	    (nonblock ? SOCK_NONBLOCK : 0), 0, sp) == 0);
}

/* Reads until one whole message is there. */
static void
get_one(struct imsgbuf *ib, struct imsg *imsg)
{
	ssize_t	 n;
	int	 tries;

	for (tries = 0; tries < 1000; tries++) {
		n = imsg_get(ib, imsg);
		ATF_REQUIRE(n != -1);
		if (n > 0)
			return;
		n = imsgbuf_read(ib);
		ATF_REQUIRE_MSG(n > 0 || (n == -1 && errno == EAGAIN),
		    "read %zd: %s", n, strerror(errno));
	}
	atf_tc_fail("no message after 1000 reads");
}

ATF_TC_WITHOUT_HEAD(roundtrip);
ATF_TC_BODY(roundtrip, tc)
{
	struct imsgbuf	 a, b;
	struct imsg	 imsg;
	uint32_t	 v;
	int		 sp[2], i;

	pair(sp, 0);
	imsgbuf_init(&a, sp[0]);
	imsgbuf_init(&b, sp[1]);
	for (i = 0; i < 10; i++) {
		v = 1000 + i;
		ATF_REQUIRE(imsg_compose(&a, 7, i, 42, -1, &v, sizeof(v)) == 0);
	}
	ATF_REQUIRE(imsg_compose(&a, 8, 0, 0, -1, NULL, 0) == 0);
	ATF_REQUIRE(imsgbuf_flush(&a) == 0);
	for (i = 0; i < 10; i++) {
		get_one(&b, &imsg);
		ATF_CHECK_EQ(imsg.hdr.type, 7);
		ATF_CHECK_EQ(imsg.hdr.peerid, (uint32_t)i);
		ATF_CHECK_EQ(imsg.hdr.pid, 42);
		ATF_REQUIRE(imsg_get_data(&imsg, &v, sizeof(v)) == 0);
		ATF_CHECK_EQ(v, 1000u + i);
		imsg_free(&imsg);
	}
	get_one(&b, &imsg);
	ATF_CHECK_EQ(imsg.hdr.type, 8);
	ATF_CHECK(imsg_expect_empty(&imsg) == 0);
	imsg_free(&imsg);
	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close(sp[0]);
	close(sp[1]);
}

ATF_TC_WITHOUT_HEAD(partial_read);
ATF_TC_BODY(partial_read, tc)
{
	struct imsgbuf	 a, b;
	struct imsg	 imsg;
	struct imsg_out	*o;
	char		 payload[100];
	size_t		 i;
	int		 sp[2];

	pair(sp, 1);
	imsgbuf_init(&a, sp[0]);
	imsgbuf_init(&b, sp[1]);
	memset(payload, 'x', sizeof(payload));
	ATF_REQUIRE(imsg_compose(&a, 3, 0, 0, -1, payload,
	    sizeof(payload)) == 0);
	o = TAILQ_FIRST(&a.outq);
	/* Byte by byte: no message until the last byte is in. */
	for (i = 0; i < o->len; i++) {
		ATF_REQUIRE(write(sp[0], o->buf + i, 1) == 1);
		ATF_REQUIRE(imsgbuf_read(&b) == 1);
		if (i + 1 < o->len)
			ATF_REQUIRE(imsg_get(&b, &imsg) == 0);
	}
	ATF_REQUIRE(imsg_get(&b, &imsg) == (ssize_t)o->len);
	ATF_CHECK_EQ(imsg_datalen(&imsg), sizeof(payload));
	ATF_CHECK(memcmp(imsg.data, payload, sizeof(payload)) == 0);
	imsg_free(&imsg);
	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close(sp[0]);
	close(sp[1]);
}

ATF_TC_WITHOUT_HEAD(partial_write);
ATF_TC_BODY(partial_write, tc)
{
	struct imsgbuf	 a, b;
	struct imsg	 imsg;
	static char	 payload[IMSG_MAX_SIZE - IMSG_HEADER_SIZE];
	int		 sp[2], i, got = 0, sz = 4096, rounds;
	const int	 count = 64;

	pair(sp, 1);
	ATF_REQUIRE(setsockopt(sp[0], SOL_SOCKET, SO_SNDBUF, &sz,
	    sizeof(sz)) == 0);
	imsgbuf_init(&a, sp[0]);
	imsgbuf_init(&b, sp[1]);
	for (i = 0; i < count; i++) {
		memset(payload, i, sizeof(payload));
		ATF_REQUIRE(imsg_compose(&a, 9, i, 0, -1, payload,
		    sizeof(payload)) == 0);
	}
	/* The socket takes only part of the queue at a time. */
	ATF_REQUIRE(imsgbuf_write(&a) == 0);
	ATF_REQUIRE(imsgbuf_queued(&a));
	for (rounds = 0; got < count && rounds < 100000; rounds++) {
		ATF_REQUIRE(imsgbuf_write(&a) == 0);
		if (imsgbuf_read(&b) == -1)
			ATF_REQUIRE(errno == EAGAIN);
		while (imsg_get(&b, &imsg) > 0) {
			ATF_REQUIRE_EQ(imsg.hdr.peerid, (uint32_t)got);
			ATF_REQUIRE_EQ(imsg_datalen(&imsg), sizeof(payload));
			ATF_REQUIRE(((unsigned char *)imsg.data)[0] ==
			    (unsigned char)got);
			ATF_REQUIRE(((unsigned char *)imsg.data)
			    [sizeof(payload) - 1] == (unsigned char)got);
			imsg_free(&imsg);
			got++;
		}
	}
	ATF_CHECK_EQ(got, count);
	ATF_CHECK(!imsgbuf_queued(&a));
	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close(sp[0]);
	close(sp[1]);
}

ATF_TC_WITHOUT_HEAD(oversized);
ATF_TC_BODY(oversized, tc)
{
	struct imsgbuf	 a, b;
	struct imsg	 imsg;
	struct imsg_hdr	 hdr;
	static char	 big[IMSG_MAX_SIZE];
	int		 sp[2];

	pair(sp, 1);
	imsgbuf_init(&a, sp[0]);
	imsgbuf_init(&b, sp[1]);
	/* One byte over the limit is refused when composing. */
	errno = 0;
	ATF_CHECK(imsg_compose(&a, 1, 0, 0, -1, big,
	    IMSG_MAX_SIZE - IMSG_HEADER_SIZE + 1) == -1);
	ATF_CHECK_EQ(errno, ERANGE);
	ATF_CHECK(imsg_compose(&a, 1, 0, 0, -1, big,
	    IMSG_MAX_SIZE - IMSG_HEADER_SIZE) == 0);

	/* A peer announcing more is a broken stream. */
	memset(&hdr, 0, sizeof(hdr));
	hdr.type = 1;
	hdr.len = IMSG_MAX_SIZE + 1;
	ATF_REQUIRE(write(sp[0], &hdr, sizeof(hdr)) == sizeof(hdr));
	ATF_REQUIRE(imsgbuf_read(&b) == sizeof(hdr));
	errno = 0;
	ATF_CHECK(imsg_get(&b, &imsg) == -1);
	ATF_CHECK_EQ(errno, ERANGE);

	/* So is a length shorter than the header. */
	imsgbuf_clear(&b);
	imsgbuf_init(&b, sp[1]);
	hdr.len = IMSG_HEADER_SIZE - 1;
	ATF_REQUIRE(write(sp[0], &hdr, sizeof(hdr)) == sizeof(hdr));
	ATF_REQUIRE(imsgbuf_read(&b) == sizeof(hdr));
	ATF_CHECK(imsg_get(&b, &imsg) == -1);
	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close(sp[0]);
	close(sp[1]);
}

ATF_TC_WITHOUT_HEAD(wrong_size);
ATF_TC_BODY(wrong_size, tc)
{
	struct imsgbuf	 a, b;
	struct imsg	 imsg;
	uint64_t	 v = 1, big;
	uint32_t	 small;
	int		 sp[2];

	pair(sp, 0);
	imsgbuf_init(&a, sp[0]);
	imsgbuf_init(&b, sp[1]);
	ATF_REQUIRE(imsg_compose(&a, 1, 0, 0, -1, &v, sizeof(v)) == 0);
	ATF_REQUIRE(imsgbuf_flush(&a) == 0);
	get_one(&b, &imsg);
	errno = 0;
	ATF_CHECK(imsg_get_data(&imsg, &small, sizeof(small)) == -1);
	ATF_CHECK_EQ(errno, EBADMSG);
	ATF_CHECK(imsg_expect_empty(&imsg) == -1);
	ATF_CHECK(imsg_get_data(&imsg, &big, sizeof(big)) == 0);
	ATF_CHECK_EQ(big, 1);
	imsg_free(&imsg);

	ATF_REQUIRE(imsg_compose(&a, 2, 0, 0, -1, NULL, 0) == 0);
	ATF_REQUIRE(imsgbuf_flush(&a) == 0);
	get_one(&b, &imsg);
	ATF_CHECK(imsg_get_data(&imsg, &big, sizeof(big)) == -1);
	ATF_CHECK(imsg_expect_empty(&imsg) == 0);
	imsg_free(&imsg);
	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close(sp[0]);
	close(sp[1]);
}

ATF_TC_WITHOUT_HEAD(fd_passing);
ATF_TC_BODY(fd_passing, tc)
{
	struct imsgbuf	 a, b;
	struct imsg	 imsg;
	char		 buf[8];
	int		 sp[2], p[2], i;

	pair(sp, 0);
	imsgbuf_init(&a, sp[0]);
	imsgbuf_init(&b, sp[1]);
	ATF_REQUIRE(pipe(p) == 0);
	/* Messages around the fd must not steal or shift it. */
	ATF_REQUIRE(imsg_compose(&a, 1, 0, 0, -1, "a", 1) == 0);
	ATF_REQUIRE(imsg_compose(&a, 2, 0, 0, p[1], "b", 1) == 0);
	ATF_REQUIRE(imsg_compose(&a, 3, 0, 0, -1, "c", 1) == 0);
	ATF_REQUIRE(imsgbuf_flush(&a) == 0);
	for (i = 1; i <= 3; i++) {
		get_one(&b, &imsg);
		ATF_REQUIRE_EQ(imsg.hdr.type, (uint32_t)i);
		if (i != 2) {
			ATF_CHECK_EQ(imsg.fd, -1);
			imsg_free(&imsg);
			continue;
		}
		ATF_REQUIRE(imsg.fd != -1);
		ATF_REQUIRE(fcntl(imsg.fd, F_GETFD) & FD_CLOEXEC);
		ATF_REQUIRE(write(imsg.fd, "hello", 5) == 5);
		imsg_free(&imsg);
	}
	ATF_REQUIRE(read(p[0], buf, sizeof(buf)) == 5);
	ATF_CHECK(memcmp(buf, "hello", 5) == 0);
	close(p[0]);
	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close(sp[0]);
	close(sp[1]);
}

ATF_TC_WITHOUT_HEAD(fd_missing);
ATF_TC_BODY(fd_missing, tc)
{
	struct imsgbuf	 b;
	struct imsg	 imsg;
	struct imsg_hdr	 hdr;
	int		 sp[2];

	pair(sp, 1);
	imsgbuf_init(&b, sp[1]);
	/* A message claiming an fd that never came is refused. */
	memset(&hdr, 0, sizeof(hdr));
	hdr.type = 1;
	hdr.len = IMSG_HEADER_SIZE;
	hdr.flags = IMSGF_HASFD;
	ATF_REQUIRE(write(sp[0], &hdr, sizeof(hdr)) == sizeof(hdr));
	ATF_REQUIRE(imsgbuf_read(&b) == sizeof(hdr));
	errno = 0;
	ATF_CHECK(imsg_get(&b, &imsg) == -1);
	ATF_CHECK_EQ(errno, EBADMSG);
	imsgbuf_clear(&b);
	close(sp[0]);
	close(sp[1]);
}

/*
 * The dispatchers' rule: a descriptor on a type that carries none is
 * refused (the sender is stopped), one on a type that may is taken,
 * and a message without one passes whatever its type.
 */
ATF_TC_WITHOUT_HEAD(fd_unexpected);
ATF_TC_BODY(fd_unexpected, tc)
{
	static const uint32_t	 sock_types[] = { 7, 9 };
	struct imsgbuf		 a, b;
	struct imsg		 imsg;
	int			 sp[2], p[2];

	pair(sp, 0);
	imsgbuf_init(&a, sp[0]);
	imsgbuf_init(&b, sp[1]);
	ATF_REQUIRE(pipe(p) == 0);
	ATF_REQUIRE(imsg_compose(&a, 1, 0, 0, p[0], "a", 1) == 0);
	ATF_REQUIRE(imsg_compose(&a, 9, 0, 0, p[1], NULL, 0) == 0);
	ATF_REQUIRE(imsg_compose(&a, 1, 0, 0, -1, "c", 1) == 0);
	ATF_REQUIRE(imsgbuf_flush(&a) == 0);

	get_one(&b, &imsg);
	ATF_REQUIRE(imsg.fd != -1);
	errno = 0;
	ATF_CHECK_EQ(imsg_expect_fd_types(&imsg, NULL, 0), -1);
	ATF_CHECK_EQ(errno, EBADMSG);
	ATF_CHECK_EQ(imsg_expect_fd_types(&imsg, sock_types, 2), -1);
	imsg_free(&imsg);

	get_one(&b, &imsg);
	ATF_REQUIRE(imsg.fd != -1);
	ATF_CHECK_EQ(imsg_expect_fd_types(&imsg, sock_types, 2), 0);
	ATF_CHECK_EQ(imsg_expect_fd_types(&imsg, NULL, 0), -1);
	imsg_free(&imsg);

	get_one(&b, &imsg);
	ATF_CHECK_EQ(imsg.fd, -1);
	ATF_CHECK_EQ(imsg_expect_fd_types(&imsg, NULL, 0), 0);
	ATF_CHECK_EQ(imsg_expect_fd_types(&imsg, sock_types, 2), 0);
	imsg_free(&imsg);
	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close(sp[0]);
	close(sp[1]);
}

ATF_TC_WITHOUT_HEAD(outq_limit);
ATF_TC_BODY(outq_limit, tc)
{
	struct imsgbuf	 a;
	static char	 payload[IMSG_MAX_SIZE - IMSG_HEADER_SIZE];
	size_t		 queued = 0;
	int		 sp[2];

	pair(sp, 1);
	imsgbuf_init(&a, sp[0]);
	/* A reader that never reads cannot make us buffer without bound. */
	while (imsg_compose(&a, 1, 0, 0, -1, payload, sizeof(payload)) == 0)
		queued += IMSG_MAX_SIZE;
	ATF_CHECK_EQ(errno, ENOBUFS);
	ATF_CHECK(queued <= IMSG_OUTQ_MAX);
	ATF_CHECK(queued > IMSG_OUTQ_MAX - IMSG_MAX_SIZE);
	imsgbuf_clear(&a);
	close(sp[0]);
	close(sp[1]);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, roundtrip);
	ATF_TP_ADD_TC(tp, partial_read);
	ATF_TP_ADD_TC(tp, partial_write);
	ATF_TP_ADD_TC(tp, oversized);
	ATF_TP_ADD_TC(tp, wrong_size);
	ATF_TP_ADD_TC(tp, fd_passing);
	ATF_TP_ADD_TC(tp, fd_missing);
	ATF_TP_ADD_TC(tp, fd_unexpected);
	ATF_TP_ADD_TC(tp, outq_limit);
	return atf_no_error();
}
