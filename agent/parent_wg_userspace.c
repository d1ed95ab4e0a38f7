/* parent: runs wireguard-go for one interface and waits for it. */
#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <net/if.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "monotime.h"
#include "parent_wg_uapi.h"

/* wireguard-go before 2019 refuses to run on Linux without it. */
#define WG_ENV_USERSPACE	"WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1"
#define WG_ENV_LOGLEVEL		"LOG_LEVEL=error"
/* Else every start prints a kernel-module advertisement box to stderr. */
#define WG_ENV_FOREGROUND	"WG_PROCESS_FOREGROUND=1"
#define WG_POLL_MS		20	/* its socket appears after ~10 ms */
#define WG_EXEC_FAILED		127	/* a failed exec, as sh(1) reports it */
#define WG_MS_PER_SEC		1000
#define WG_NS_PER_MS		1000000

static void	 wg_child(const char *, const char *, pid_t)
		    __attribute__((noreturn));
static void	 wg_sleep_ms(int);
static void	 wg_log_status(const char *, pid_t, int);

/* Between fork and exec: async-signal-safe calls only. */
static void
wg_child(const char *path, const char *ifname, pid_t ppid)
{
	char *const	 argv[] = { (char *)path, "-f", (char *)ifname, NULL };
	char *const	 envp[] = { WG_ENV_USERSPACE, WG_ENV_LOGLEVEL,
	    WG_ENV_FOREGROUND, NULL };
	struct sigaction sa;
	sigset_t	 set;
	int		 fd, sig;

	/* Exec keeps ignored signals and the mask: reset both, mask last. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &sa, NULL);
	sigemptyset(&set);
	(void)sigprocmask(SIG_SETMASK, &set, NULL);

	/*
	 * If ternd dies, so does wireguard-go: an orphan would keep the
	 * interface, and the restarted ternd could not create it again.
	 */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1 || getppid() != ppid)
		_exit(WG_EXEC_FAILED);

	if ((fd = open("/dev/null", O_RDONLY)) == -1 ||
	    dup2(fd, STDIN_FILENO) == -1)
		_exit(WG_EXEC_FAILED);
	closefrom(STDERR_FILENO + 1);
	execve(path, argv, envp);
	_exit(WG_EXEC_FAILED);
}

/* Runs "path -f ifname" in the foreground; its pid, or -1. */
pid_t
wg_userspace_start(const char *path, const char *ifname)
{
	sigset_t	 all, old;
	pid_t		 pid, ppid;
	size_t		 n;

	/* A leading '-' would be read as an option by wireguard-go. */
	n = strnlen(ifname, IFNAMSIZ);
	if (n == 0 || n >= IFNAMSIZ || ifname[0] == '-') {
		log_warnx("wireguard-go: bad interface name");
		return -1;
	}
	/* Else wg_userspace_wait could take another instance for ours. */
	if (uapi_alive(ifname)) {
		log_warnx("wireguard-go: %s already has a UAPI socket that "
		    "answers", ifname);
		return -1;
	}
	ppid = getpid();
	/* Else one of our signal handlers could run in the child. */
	sigfillset(&all);
	if (sigprocmask(SIG_SETMASK, &all, &old) == -1) {
		log_warn("wireguard-go: sigprocmask");
		return -1;
	}
	if ((pid = fork()) == 0)
		wg_child(path, ifname, ppid);
	if (pid == -1)
		log_warn("wireguard-go: fork");
	if (sigprocmask(SIG_SETMASK, &old, NULL) == -1)
		fatal("sigprocmask");
	if (pid == -1)
		return -1;
	log_debug("wireguard-go for %s: pid %ld", ifname, (long)pid);
	return pid;
}

static void
wg_sleep_ms(int ms)
{
	struct timespec	 ts;

	ts.tv_sec = ms / WG_MS_PER_SEC;
	ts.tv_nsec = (long)(ms % WG_MS_PER_SEC) * WG_NS_PER_MS;
	(void)nanosleep(&ts, NULL);
}

static void
wg_log_status(const char *ifname, pid_t pid, int status)
{
	if (WIFEXITED(status))
		log_warnx("wireguard-go for %s (pid %ld) exited with status %d "
		    "before its UAPI socket answered", ifname, (long)pid,
		    WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		log_warnx("wireguard-go for %s (pid %ld) was killed by signal "
		    "%d before its UAPI socket answered", ifname, (long)pid,
		    WTERMSIG(status));
	else
		log_warnx("wireguard-go for %s (pid %ld) stopped before its "
		    "UAPI socket answered", ifname, (long)pid);
}

/*
 * 0 once the UAPI socket of ifname answers.  -1 if the child exited
 * first (it is then reaped) or on timeout (the caller stops it).
 */
int
wg_userspace_wait(const char *ifname, pid_t pid, int timeout_ms)
{
	int64_t	 deadline;
	pid_t	 r;
	int	 status;

	deadline = (int64_t)monotime_ms() + timeout_ms;
	for (;;) {
		if ((r = waitpid(pid, &status, WNOHANG)) == pid) {
			wg_log_status(ifname, pid, status);
			return -1;
		}
		if (r == -1 && errno != EINTR) {
			log_warn("wireguard-go for %s: waitpid", ifname);
			return -1;
		}
		if (uapi_alive(ifname))
			return 0;
		if ((int64_t)monotime_ms() >= deadline) {
			log_warnx("wireguard-go for %s (pid %ld): no UAPI "
			    "socket after %d ms", ifname, (long)pid,
			    timeout_ms);
			return -1;
		}
		wg_sleep_ms(WG_POLL_MS);
	}
}

/*
 * The UDP port WireGuard listens on.  wireguard-go binds it only once
 * its device is up, which it notices on its own time after the link
 * goes up: asked too early it says port 0, so ask until it knows.
 */
int
wg_listen_port(const char *ifname, int timeout_ms, uint16_t *port,
    const char **errstr)
{
	struct wg_device_stats	 dev;
	int64_t			 deadline;

	deadline = (int64_t)monotime_ms() + timeout_ms;
	for (;;) {
		memset(&dev, 0, sizeof(dev));
		if (uapi_get(ifname, &dev, NULL, NULL, errstr) == -1)
			return -1;
		if (dev.listen_port != 0) {
			*port = dev.listen_port;
			return 0;
		}
		if ((int64_t)monotime_ms() >= deadline) {
			*errstr = "no listen port";
			return -1;
		}
		wg_sleep_ms(WG_POLL_MS);
	}
}
