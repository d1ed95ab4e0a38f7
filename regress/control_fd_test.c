/*
 * Unit tests: the engine's control socket (agent/control.c) against a
 * client that plays a hostile ternctl.  A request with a descriptor
 * attached closes the connection; the same request without one is
 * answered.
 */
#include <sys/socket.h>
#include <sys/un.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>
#include <event.h>

#include "engine_fixture.h"

#define CTL_PATH	"ctl.sock"	/* in the test's own work directory */
#define TURNS_MAX	200		/* event loop turns for an answer */

static int
client(void)
{
	struct sockaddr_un	 sun;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strlcpy(sun.sun_path, CTL_PATH, sizeof(sun.sun_path));
	ATF_REQUIRE((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0)) !=
	    -1);
	ATF_REQUIRE(connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0);
	return fd;
}

/* Runs the engine until the client has a message or EOF: 1 or 0. */
static int
answer(struct imsgbuf *ib, struct imsg *imsg)
{
	ssize_t	 n;
	int	 i;

	for (i = 0; i < TURNS_MAX; i++) {
		event_loop(EVLOOP_ONCE | EVLOOP_NONBLOCK);
		if ((n = imsg_get(ib, imsg)) > 0)
			return 1;
		ATF_REQUIRE(n == 0);
		if ((n = imsgbuf_read(ib)) == 0)
			return 0;
		ATF_REQUIRE(n > 0 || errno == EAGAIN);
		usleep(5000);
	}
	atf_tc_fail("the engine neither answered nor closed");
}

ATF_TC_WITHOUT_HEAD(fd_closes_client);
ATF_TC_BODY(fd_closes_client, tc)
{
	struct sockaddr_un	 sun;
	struct ctl_wake		 w;
	struct imsgbuf		 ib;
	struct imsg		 imsg;
	int			 lfd, c, p[2], i;

	fixture_engine();
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strlcpy(sun.sun_path, CTL_PATH, sizeof(sun.sun_path));
	ATF_REQUIRE((lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK,
	    0)) != -1);
	ATF_REQUIRE(bind(lfd, (struct sockaddr *)&sun, sizeof(sun)) == 0);
	ATF_REQUIRE(listen(lfd, 4) == 0);
	engine->ctlfd = lfd;
	control_listen(lfd, 0);
	memset(&w, 0, sizeof(w));
	strlcpy(w.name, "nobody", sizeof(w.name));

	for (i = 0; i < 2; i++) {
		c = client();
		imsgbuf_init(&ib, c);
		ATF_REQUIRE(pipe(p) == 0);
		close(p[1]);
		ATF_REQUIRE(imsg_compose(&ib, IMSG_CTL_WAKE, 0, 0,
		    i == 0 ? p[0] : -1, &w, sizeof(w)) == 0);
		ATF_REQUIRE(imsgbuf_flush(&ib) == 0);
		if (i == 0)
			ATF_CHECK_MSG(!answer(&ib, &imsg),
			    "a request with a descriptor was answered");
		else {
			ATF_REQUIRE(answer(&ib, &imsg));
			ATF_CHECK_EQ(imsg.hdr.type, IMSG_CTL_RESULT);
			imsg_free(&imsg);
		}
		imsgbuf_clear(&ib);
		close(c);
		close(p[0]);
	}
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, fd_closes_client);
	return atf_no_error();
}
