/*
 * test tool: an idle client of ternd's control socket, many times over.
 * It opens count connections, says "held N", sends nothing and waits
 * until ternd has closed every one or seconds have passed, then says
 * "closed N".  Used by control_test.sh.
 */
#include <err.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"

#define CTLHOLD_MAX		256	/* connections one run may hold */
#define CTLHOLD_WAIT_MAX	600	/* seconds it may be asked to wait */
#define CTLHOLD_BUF		4096	/* a refusal, read and thrown away */
#define CTLHOLD_MS		1000	/* milliseconds per second */

static void	 ctlhold_usage(void) __attribute__((noreturn));

static void
ctlhold_usage(void)
{
	fprintf(stderr, "usage: ctlhold socket count seconds\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct pollfd	 pfd[CTLHOLD_MAX];
	char		 buf[CTLHOLD_BUF];
	const char	*errstr;
	time_t		 end;
	int		 count, i, closed = 0, secs;
	ssize_t		 n;

	if (argc != 4)
		ctlhold_usage();
	count = strtonum(argv[2], 1, CTLHOLD_MAX, &errstr);
	if (errstr != NULL)
		errx(2, "count %s: %s", argv[2], errstr);
	secs = strtonum(argv[3], 1, CTLHOLD_WAIT_MAX, &errstr);
	if (errstr != NULL)
		errx(2, "seconds %s: %s", argv[3], errstr);
	for (i = 0; i < count; i++) {
		if ((pfd[i].fd = unix_connect(argv[1])) == -1)
			err(1, "connect %s", argv[1]);
		pfd[i].events = POLLIN;
	}
	printf("held %d\n", count);
	fflush(stdout);
	end = time(NULL) + secs;
	while (closed < count && time(NULL) < end) {
		if (poll(pfd, count, CTLHOLD_MS) == -1 && errno != EINTR)
			err(2, "poll");
		for (i = 0; i < count; i++) {
			if (pfd[i].fd == -1 || pfd[i].revents == 0)
				continue;
			if ((n = read(pfd[i].fd, buf, sizeof(buf))) > 0)
				continue;
			close(pfd[i].fd);
			pfd[i].fd = -1;
			closed++;
		}
	}
	printf("closed %d\n", closed);
	return 0;
}
