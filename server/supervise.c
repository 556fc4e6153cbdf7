// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ksmbd.mountd's supervision of the userspace data path: spawn, reap,
 * restart with back-off, stop. See supervise.h for the rules.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* pipe2, close_range */
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "supervise.h"

#define BACKOFF_MIN_S	1
#define BACKOFF_MAX_S	30
#define STABLE_S	60	/* a child that lived this long resets the back-off */
#define TERM_GRACE_S	5	/* SIGTERM .. SIGKILL */
#define KILL_GRACE_S	2	/* SIGKILL .. giving up on the reap */
#define OUTPUT_LINE_MAX	1024	/* longer lines of the child are split */

struct supervisor {
	struct tevent_context *ev;
	struct supervise_cfg cfg;	/* strings owned by the supervisor */
	char port[8];
	char flags[12];		/* --global-flags, decimal */
	char *status_socket;		/* --status-socket: next to the IPC socket */

	pid_t pid;			/* the running child, 0 when none */
	struct timespec started;	/* when it was started (monotonic) */
	unsigned int backoff;		/* the next restart's delay, s */
	struct tevent_signal *sigchld;
	struct tevent_timer *restart;	/* a scheduled restart */

	bool stopping;
	bool killed;			/* SIGKILL sent while stopping */
	struct tevent_timer *stop_timer;
	void (*done)(void *priv);
	void *done_priv;

	/* log_output: the read end of the child's stdout/stderr */
	int out_fd;
	int out_wfd;			/* its write end, dup'ed into each child */
	struct tevent_fd *out_fde;
	char line[OUTPUT_LINE_MAX + 1];
	size_t line_len;
};

static void schedule_restart(struct supervisor *sv);

/* ---------------------------------------------------------------------- */
/* the listen address */

static bool from_interface(const char *name, char *out, size_t cap)
{
	struct ifaddrs *list, *ifa;
	bool found = false;

	if (getifaddrs(&list)) {
		pr_warn("interfaces: cannot list the network interfaces: %s",
			strerror(errno));
		return false;
	}
	for (ifa = list; ifa && !found; ifa = ifa->ifa_next) {
		const struct sockaddr_in *sin = (const void *)ifa->ifa_addr;

		if (!ifa->ifa_addr || ifa->ifa_addr->sa_family != AF_INET ||
		    strcmp(ifa->ifa_name, name))
			continue;
		found = inet_ntop(AF_INET, &sin->sin_addr, out, (socklen_t)cap);
	}
	freeifaddrs(list);
	return found;
}

/* One `interfaces` item: an IPv4 address, ADDR/MASK or an interface name. */
static bool item_addr(const char *item, char *out, size_t cap)
{
	char text[64];
	struct in_addr a;

	snprintf(text, sizeof(text), "%s", item);
	text[strcspn(text, "/")] = '\0';
	if (inet_pton(AF_INET, text, &a) == 1)
		return inet_ntop(AF_INET, &a, out, (socklen_t)cap);
	if (strchr(text, ':')) {
		pr_warn("interfaces: %s: the user-mode data path listens on IPv4 only; skipped",
			item);
		return false;
	}
	if (from_interface(text, out, cap))
		return true;
	pr_warn("interfaces: %s is neither an IPv4 address nor an interface with one; skipped",
		item);
	return false;
}

int supervise_listen_addr(const struct smbd_globals *g, char *out, size_t cap)
{
	size_t i;

	if (!g->bind_interfaces_only || !g->interfaces.count) {
		snprintf(out, cap, "0.0.0.0");
		return 0;
	}
	for (i = 0; i < g->interfaces.count; i++) {
		if (!item_addr(g->interfaces.items[i], out, cap))
			continue;
		if (i + 1 < g->interfaces.count)
			pr_warn("interfaces: the user-mode data path listens on one address: %s; the other interfaces are not served",
				out);
		return 0;
	}
	pr_err("bind interfaces only = yes, but no item of interfaces gives an IPv4 address to listen on");
	return -1;
}

/* ---------------------------------------------------------------------- */
/* the child's output, when the daemon logs to syslog */

static void output_flush(struct supervisor *sv)
{
	if (!sv->line_len)
		return;
	sv->line[sv->line_len] = '\0';
	log_msg(LOG_NOTICE, "%s", sv->line);
	sv->line_len = 0;
}

/* Log every complete line read so far; a bounded number of reads. */
static void output_read(struct supervisor *sv)
{
	char buf[4096];
	ssize_t n, i;
	int rounds;

	for (rounds = 0; rounds < 16; rounds++) {
		n = read(sv->out_fd, buf, sizeof(buf));
		if (n <= 0)
			return;	/* EAGAIN: all read; EOF cannot happen: we hold out_wfd */
		for (i = 0; i < n; i++) {
			if (buf[i] == '\n') {
				output_flush(sv);
				continue;
			}
			sv->line[sv->line_len++] = buf[i];
			if (sv->line_len == OUTPUT_LINE_MAX)
				output_flush(sv);
		}
	}
}

static void on_output(struct tevent_context *ev, struct tevent_fd *fde,
		      uint16_t flags, void *private_data)
{
	(void)ev;
	(void)fde;
	(void)flags;
	output_read(private_data);
}

static int output_open(struct supervisor *sv)
{
	int pfd[2];

	if (pipe2(pfd, O_CLOEXEC)) {
		pr_err("pipe: %s", strerror(errno));
		return -1;
	}
	sv->out_fd = pfd[0];
	sv->out_wfd = pfd[1];
	/* only our end: a child that writes a lot waits for us, not fails */
	if (fcntl(sv->out_fd, F_SETFL, O_NONBLOCK)) {
		pr_err("fcntl: %s", strerror(errno));
		return -1;
	}
	sv->out_fde = tevent_add_fd(sv->ev, sv, sv->out_fd, TEVENT_FD_READ,
				    on_output, sv);
	return sv->out_fde ? 0 : -1;
}

/* ---------------------------------------------------------------------- */
/* spawning */

static double elapsed_s(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - since->tv_sec) +
	       (double)(now.tv_nsec - since->tv_nsec) / 1e9;
}

/* Mark every inherited descriptor but 0..2 close-on-exec. */
static void cloexec_from_3(void)
{
	struct rlimit rl;
	int fd, max = 65536;

#ifdef CLOSE_RANGE_CLOEXEC
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return;
#endif
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)max)
		max = (int)rl.rlim_cur;
	for (fd = 3; fd < max; fd++)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
}

/*
 * In the child between fork and exec: only async-signal-safe calls. Any
 * failure is reported as an errno on err_fd (close-on-exec, so success is
 * its EOF).
 */
static void __attribute__((noreturn))
child_exec(const struct supervisor *sv, char *const argv[], int err_fd,
	   pid_t parent)
{
	static const int sigs[] = { SIGHUP, SIGTERM, SIGINT, SIGCHLD, SIGPIPE };
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t none;
	size_t i;
	int fd, err;

	/* the daemon's tevent handlers and SIGPIPE's SIG_IGN are not ours */
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* the data path is useless without the daemon: go with it */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM))
		goto fail;
	if (getppid() != parent) {	/* it died before prctl */
		errno = ESRCH;
		goto fail;
	}
	/* the daemon alone decides when its child gets signals */
	setpgid(0, 0);
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0 && fd != STDIN_FILENO) {
		dup2(fd, STDIN_FILENO);
		close(fd);
	}
	if (sv->cfg.log_output &&
	    (dup2(sv->out_wfd, STDOUT_FILENO) < 0 ||
	     dup2(sv->out_wfd, STDERR_FILENO) < 0))
		goto fail;
	cloexec_from_3();
	execv(sv->cfg.path, argv);
fail:
	err = errno ? errno : EINVAL;
	if (write(err_fd, &err, sizeof(err)) < 0)
		err = 0;	/* nothing else to do: the exit says it */
	_exit(127);
}

/* Wait for the exec (or its failure). 0, or -errno of the failure. */
static int exec_result(int err_fd, pid_t pid)
{
	ssize_t n;
	int err = 0, status;

	do {
		n = read(err_fd, &err, sizeof(err));
	} while (n < 0 && errno == EINTR);
	close(err_fd);
	if (n != (ssize_t)sizeof(err))
		return 0;	/* EOF: the exec closed it */
	/* it _exits right after writing: reap it here, SIGCHLD finds nothing */
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return -err;
}

/*
 * The data path's status socket (ksmbd.control --status) sits in the
 * directory of the IPC socket: RUNSTATEDIR/ksmbd-status.sock by default,
 * a test's private run directory otherwise. ksmbd.control assumes the
 * default or is told with --status-socket.
 */
#define STATUS_SOCKET_NAME	"ksmbd-status.sock"

static char *status_socket_path(TALLOC_CTX *mem, const char *ipc_socket)
{
	const char *slash = strrchr(ipc_socket, '/');

	if (!slash)
		return talloc_strdup(mem, STATUS_SOCKET_NAME);
	return talloc_asprintf(mem, "%.*s/%s", (int)(slash - ipc_socket),
			       ipc_socket, STATUS_SOCKET_NAME);
}

static int spawn(struct supervisor *sv)
{
	char *argv[] = {
		(char *)sv->cfg.path,
		"--port", sv->port,
		"--ipc-socket", (char *)sv->cfg.ipc_socket,
		"--listen", (char *)sv->cfg.addr,
		"--global-flags", sv->flags,
		"--status-socket", sv->status_socket,
		NULL,
	};
	sigset_t all, old;
	pid_t parent = getpid(), pid;
	int pfd[2], rc;

	if (pipe2(pfd, O_CLOEXEC)) {
		rc = -errno;
		pr_err("data path: pipe: %s", strerror(-rc));
		return rc;
	}
	/* no signal handler of ours may run in the child before the exec */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	pid = fork();
	if (pid == 0)
		child_exec(sv, argv, pfd[1], parent);
	rc = -errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(pfd[1]);
	if (pid < 0) {
		close(pfd[0]);
		pr_err("data path: fork: %s", strerror(-rc));
		return rc;
	}
	rc = exec_result(pfd[0], pid);
	if (rc) {
		pr_err("cannot start the data path %s: %s", sv->cfg.path,
		       strerror(-rc));
		return rc;
	}
	sv->pid = pid;
	clock_gettime(CLOCK_MONOTONIC, &sv->started);
	pr_info("data path %s started (pid %ld), serving %s port %s",
		sv->cfg.path, (long)pid, sv->cfg.addr, sv->port);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* reaping and restarting */

static void describe(int status, char *buf, size_t cap)
{
	if (WIFEXITED(status))
		snprintf(buf, cap, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, cap, "was killed by signal %d (%s)%s",
			 WTERMSIG(status), strsignal(WTERMSIG(status)),
			 WCOREDUMP(status) ? ", core dumped" : "");
	else
		snprintf(buf, cap, "ended with wait status %#x", status);
}

static void stop_done(struct supervisor *sv)
{
	void (*done)(void *priv) = sv->done;

	TALLOC_FREE(sv->stop_timer);
	sv->done = NULL;
	if (done)
		done(sv->done_priv);
}

static void child_exited(struct supervisor *sv, int status)
{
	char how[96];
	long pid = (long)sv->pid;
	double up = elapsed_s(&sv->started);

	sv->pid = 0;
	if (sv->out_fd >= 0) {	/* its last words before its obituary */
		output_read(sv);
		output_flush(sv);
	}
	describe(status, how, sizeof(how));
	if (sv->stopping) {
		pr_info("data path (pid %ld) stopped: %s", pid, how);
		stop_done(sv);
		return;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		/* its answer to a SIGTERM: somebody stopped it on purpose */
		pr_warn("data path (pid %ld) exited with status 0 after %.0f s; not restarting it (SIGHUP does)",
			pid, up);
		return;
	}
	if (up >= STABLE_S)
		sv->backoff = BACKOFF_MIN_S;
	pr_err("data path (pid %ld) %s after %.0f s; restarting in %u s", pid,
	       how, up, sv->backoff);
	schedule_restart(sv);
}

static void on_sigchld(struct tevent_context *ev, struct tevent_signal *se,
		       int signum, int count, void *siginfo, void *private_data)
{
	struct supervisor *sv = private_data;
	int status;
	pid_t r;

	(void)ev;
	(void)se;
	(void)signum;
	(void)count;
	(void)siginfo;
	if (sv->pid <= 0)
		return;
	do {
		r = waitpid(sv->pid, &status, WNOHANG);
	} while (r < 0 && errno == EINTR);
	if (r == sv->pid)
		child_exited(sv, status);
}

static void on_restart(struct tevent_context *ev, struct tevent_timer *te,
		       struct timeval now, void *private_data)
{
	struct supervisor *sv = private_data;

	(void)ev;
	(void)te;
	(void)now;
	sv->restart = NULL;	/* tevent frees a timer once it fired */
	if (sv->stopping || sv->pid)
		return;
	if (spawn(sv) == 0)
		return;
	pr_err("data path: retrying in %u s", sv->backoff);
	schedule_restart(sv);
}

/* In sv->backoff seconds; the delay after it doubles up to the cap. */
static void schedule_restart(struct supervisor *sv)
{
	unsigned int delay = sv->backoff;

	sv->backoff = delay * 2 > BACKOFF_MAX_S ? BACKOFF_MAX_S : delay * 2;
	TALLOC_FREE(sv->restart);
	sv->restart = tevent_add_timer(sv->ev, sv,
				       tevent_timeval_current_ofs(delay, 0),
				       on_restart, sv);
	if (!sv->restart)
		pr_err("data path: out of memory: it will not be restarted");
}

/* ---------------------------------------------------------------------- */
/* stopping */

/* Its whole process group: whatever it started goes with it. */
static void signal_child(const struct supervisor *sv, int sig)
{
	if (kill(-sv->pid, sig))
		kill(sv->pid, sig);
}

static void on_stop_timer(struct tevent_context *ev, struct tevent_timer *te,
			  struct timeval now, void *private_data)
{
	struct supervisor *sv = private_data;

	(void)te;
	(void)now;
	sv->stop_timer = NULL;
	if (!sv->pid)
		return;
	if (sv->killed) {
		pr_err("data path (pid %ld) not gone %d s after SIGKILL; giving up on it",
		       (long)sv->pid, KILL_GRACE_S);
		stop_done(sv);
		return;
	}
	pr_warn("data path (pid %ld) still running %d s after SIGTERM: SIGKILL",
		(long)sv->pid, TERM_GRACE_S);
	signal_child(sv, SIGKILL);
	sv->killed = true;
	sv->stop_timer = tevent_add_timer(ev, sv,
					  tevent_timeval_current_ofs(KILL_GRACE_S, 0),
					  on_stop_timer, sv);
	if (!sv->stop_timer)
		stop_done(sv);
}

void supervisor_stop(struct supervisor *sv, void (*done)(void *priv),
		     void *priv)
{
	if (sv->stopping)
		return;
	sv->stopping = true;
	sv->done = done;
	sv->done_priv = priv;
	TALLOC_FREE(sv->restart);
	if (!sv->pid) {
		stop_done(sv);
		return;
	}
	pr_info("stopping the data path (pid %ld)", (long)sv->pid);
	signal_child(sv, SIGTERM);
	sv->stop_timer = tevent_add_timer(sv->ev, sv,
					  tevent_timeval_current_ofs(TERM_GRACE_S, 0),
					  on_stop_timer, sv);
	if (!sv->stop_timer) {
		signal_child(sv, SIGKILL);
		stop_done(sv);
	}
}

void supervisor_kick(struct supervisor *sv)
{
	if (sv->stopping || sv->pid || sv->restart)
		return;
	sv->backoff = BACKOFF_MIN_S;
	if (spawn(sv))
		schedule_restart(sv);
}

pid_t supervisor_pid(const struct supervisor *sv)
{
	return sv->pid;
}

/* ---------------------------------------------------------------------- */
/* setup and teardown */

/* Last resort (error paths, or a child that outlived supervisor_stop). */
static int supervisor_destructor(struct supervisor *sv)
{
	int i, status;

	if (sv->pid > 0) {
		signal_child(sv, SIGKILL);
		/* bounded: a process stuck in the kernel is left behind */
		for (i = 0; i < 100; i++) {
			if (waitpid(sv->pid, &status, WNOHANG) != 0)
				break;
			usleep(10000);
		}
		sv->pid = 0;
	}
	TALLOC_FREE(sv->out_fde);
	if (sv->out_fd >= 0)
		close(sv->out_fd);
	if (sv->out_wfd >= 0)
		close(sv->out_wfd);
	return 0;
}

struct supervisor *supervisor_start(TALLOC_CTX *mem, struct tevent_context *ev,
				    const struct supervise_cfg *cfg)
{
	struct supervisor *sv = talloc_zero(mem, struct supervisor);

	if (!sv)
		return NULL;
	sv->ev = ev;
	sv->out_fd = -1;
	sv->out_wfd = -1;
	sv->backoff = BACKOFF_MIN_S;
	talloc_set_destructor(sv, supervisor_destructor);
	sv->cfg.path = talloc_strdup(sv, cfg->path);
	sv->cfg.ipc_socket = talloc_strdup(sv, cfg->ipc_socket);
	sv->cfg.addr = talloc_strdup(sv, cfg->addr);
	sv->cfg.port = cfg->port;
	sv->cfg.log_output = cfg->log_output;
	snprintf(sv->port, sizeof(sv->port), "%u", cfg->port);
	snprintf(sv->flags, sizeof(sv->flags), "%u", cfg->global_flags);
	if (!sv->cfg.path || !sv->cfg.ipc_socket || !sv->cfg.addr)
		goto fail;
	sv->status_socket = status_socket_path(sv, sv->cfg.ipc_socket);
	if (!sv->status_socket)
		goto fail;
	/* before the first fork: no exit may go unseen */
	sv->sigchld = tevent_add_signal(ev, sv, SIGCHLD,
					SA_RESTART | SA_NOCLDSTOP, on_sigchld, sv);
	if (!sv->sigchld) {
		pr_err("cannot handle SIGCHLD");
		goto fail;
	}
	if (cfg->log_output && output_open(sv))
		goto fail;
	if (spawn(sv))
		goto fail;
	return sv;
fail:
	talloc_free(sv);
	return NULL;
}
