// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ksmbd.control: shut down or reload the server, show its state, toggle
 * the data path's debug output, print the module version.
 *
 * Kernel mode (the ksmbd module's control class exists in sysfs): the
 * module is driven through /sys/class/ksmbd-control/{kill_server,debug,
 * stats} and /sys/module/ksmbd/version; ksmbd.mountd is signalled through
 * the pid in its lock file. User mode (no such class): only the signals
 * exist so far; what would need to ask the daemon says so and fails.
 *
 * Exit status: 0 done, 1 usage or not available in this mode, 2 nothing
 * to act on (no running daemon), 3 a sysfs file or the daemon could not
 * be read, written or signalled, or the daemon did not stop in time.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "daemon_lock.h"

#ifndef RUNSTATEDIR
#define RUNSTATEDIR "/run"
#endif
#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

/* ksmbd.mountd's pid file; the daemon holds a lock on it while running. */
#define DEFAULT_LOCK		RUNSTATEDIR "/ksmbd.lock"
#define DEFAULT_SYSFS		"/sys"
#define CONTROL_CLASS		"/class/ksmbd-control"
#define MODULE_VERSION_FILE	"/module/ksmbd/version"
/* How long -s waits for ksmbd.mountd to exit after SIGTERM. */
#define SHUTDOWN_WAIT_MS	10000
#define POLL_MS			100

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

enum exit_code {
	EXIT_OK = 0,
	EXIT_USAGE = 1,
	EXIT_NOTHING = 2,
	EXIT_IO = 3,
};

enum action {
	ACT_NONE,
	ACT_SHUTDOWN,
	ACT_RELOAD,
	ACT_LIST,
	ACT_DEBUG,
	ACT_VERSION,
};

struct options {
	enum action action;
	const char *component;		/* -d */
	const char *sysfs;		/* the root sysfs is mounted on */
	bool verbose;
};

/* What the module's debug file takes. */
static const char *const components[] = {
	"all", "smb", "auth", "vfs", "oplock", "ipc", "conn", "rdma",
};

static const char *prog = "ksmbd.control";

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s {-s | -r | -l | -d COMPONENT | -c} [-v] [--sysfs-root DIR]\n"
		"       %s {-V | -h}\n"
		"\n"
		"  -s, --shutdown          stop ksmbd.mountd and the server\n"
		"  -r, --reload            make ksmbd.mountd reread its configuration\n"
		"  -l, --list              show the server state (kernel mode)\n"
		"  -d, --debug=COMPONENT   toggle debug output of COMPONENT (kernel mode):\n"
		"                          all smb auth vfs oplock ipc conn rdma\n"
		"  -c, --ksmbd-version     print the ksmbd module version (kernel mode)\n"
		"  -v, --verbose           say more\n"
		"      --sysfs-root=DIR    sysfs is mounted on DIR (default %s)\n"
		"  -V, --version           print this tool's version\n"
		"  -h, --help              this help\n"
		"\n"
		"Kernel mode is when DIR%s exists; otherwise the server runs in\n"
		"user mode. ksmbd.mountd's pid is read from %s (or $KSMBD_LOCK_FILE).\n"
		"Exit status: 0 done, 1 usage or not available, 2 no daemon running,\n"
		"3 I/O error.\n",
		prog, prog, DEFAULT_SYSFS, CONTROL_CLASS, DEFAULT_LOCK);
}

/* ----------------------------------------------------------------------
 * sysfs
 * ---------------------------------------------------------------------- */

static char *sysfs_path(const struct options *o, const char *rel,
			const char *leaf)
{
	size_t len = strlen(o->sysfs) + strlen(rel) + strlen(leaf) + 2;
	char *path = malloc(len);

	if (path)
		snprintf(path, len, "%s%s%s%s", o->sysfs, rel, *leaf ? "/" : "",
			 leaf);
	return path;
}

static bool kernel_mode(const struct options *o)
{
	char *path = sysfs_path(o, CONTROL_CLASS, "");
	struct stat st;
	bool yes;

	yes = path && !stat(path, &st) && S_ISDIR(st.st_mode);
	free(path);
	return yes;
}

static void report_errno(const char *what, const char *path, int err)
{
	fprintf(stderr, "%s: cannot %s %s: %s%s\n", prog, what, path,
		strerror(err),
		err == EACCES || err == EPERM ? " (run as root)" : "");
}

/* Read a small sysfs file into @buf, without its trailing newline. */
static int read_attr(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		report_errno("read", path, errno);
		return -1;
	}
	do {
		n = read(fd, buf, size - 1);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		report_errno("read", path, errno);
		close(fd);
		return -1;
	}
	close(fd);
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

/* One write(2), as sysfs attributes want; O_TRUNC for plain-file trees. */
static int write_attr(const char *path, const char *value)
{
	size_t len = strlen(value);
	ssize_t n;
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);

	if (fd < 0) {
		report_errno("open", path, errno);
		return -1;
	}
	do {
		n = write(fd, value, len);
	} while (n < 0 && errno == EINTR);
	if (n < 0 || (size_t)n != len) {
		report_errno("write to", path, n < 0 ? errno : EIO);
		close(fd);
		return -1;
	}
	if (close(fd)) {
		report_errno("write to", path, errno);
		return -1;
	}
	return 0;
}

/* ----------------------------------------------------------------------
 * The daemon, found through its lock file (same rules as ksmbd.adduser)
 * ---------------------------------------------------------------------- */

struct daemon {
	const char *lock_path;
	int fd;			/* the open lock file, or -1 */
	long pid;		/* -1 if not running */
};

/*
 * Find a running ksmbd.mountd. A lock file that nobody holds a lock on
 * is stale: its pid may be an unrelated process by now, never signalled.
 */
static void find_daemon(const struct options *o, struct daemon *d)
{
	const char *path = daemon_lock_path();

	d->lock_path = path;
	d->pid = -1;
	d->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (d->fd < 0) {
		if (o->verbose)
			printf("no ksmbd.mountd running (%s: %s)\n", path,
			       strerror(errno));
		return;
	}
	d->pid = daemon_lock_pid(d->fd);
	if (d->pid < 0) {
		fprintf(stderr, "%s: warning: %s holds no valid pid\n", prog,
			path);
	} else if (!daemon_lock_held(d->fd)) {
		if (o->verbose)
			printf("%s is stale (not locked): no ksmbd.mountd running\n",
			       path);
		d->pid = -1;
	}
}

static void release_daemon(struct daemon *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

static bool daemon_gone(const struct daemon *d)
{
	if (kill((pid_t)d->pid, 0) && errno == ESRCH)
		return true;
	return !daemon_lock_held(d->fd);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int signal_daemon(const struct daemon *d, int sig)
{
	if (kill((pid_t)d->pid, sig)) {
		fprintf(stderr, "%s: cannot signal ksmbd.mountd (pid %ld): %s\n",
			prog, d->pid, strerror(errno));
		return -1;
	}
	return 0;
}

/* SIGTERM, then wait for the lock to be released or the process to go. */
static int stop_daemon(const struct options *o, const struct daemon *d)
{
	long waited;

	if (signal_daemon(d, SIGTERM))
		return EXIT_IO;
	for (waited = 0; waited < SHUTDOWN_WAIT_MS; waited += POLL_MS) {
		if (daemon_gone(d)) {
			if (o->verbose)
				printf("ksmbd.mountd (pid %ld) stopped\n", d->pid);
			return EXIT_OK;
		}
		sleep_ms(POLL_MS);
	}
	fprintf(stderr, "%s: ksmbd.mountd (pid %ld) still running %d s after SIGTERM\n",
		prog, d->pid, SHUTDOWN_WAIT_MS / 1000);
	return EXIT_IO;
}

/* ----------------------------------------------------------------------
 * The actions
 * ---------------------------------------------------------------------- */

static int not_in_user_mode(const struct options *o, const char *what)
{
	char *path = sysfs_path(o, CONTROL_CLASS, "");

	fprintf(stderr, "%s: %s: not available in user mode yet (no %s: the ksmbd module is not loaded)\n",
		prog, what, path ? path : CONTROL_CLASS);
	free(path);
	return EXIT_USAGE;
}

static int do_shutdown(const struct options *o, bool kernel)
{
	struct daemon d;
	char *path;
	int code = EXIT_OK;

	find_daemon(o, &d);
	if (d.pid > 0)
		code = stop_daemon(o, &d);
	else if (!kernel)
		code = EXIT_NOTHING;
	release_daemon(&d);
	if (!kernel) {
		if (code == EXIT_NOTHING)
			fprintf(stderr, "%s: no running ksmbd.mountd (lock file %s)\n",
				prog, d.lock_path);
		else if (code == EXIT_OK)
			printf("%s: server shut down\n", prog);
		return code;
	}
	/* Even with the daemon gone, the module's listeners must stop. */
	path = sysfs_path(o, CONTROL_CLASS, "kill_server");
	if (!path || write_attr(path, "hard"))
		code = EXIT_IO;
	free(path);
	if (code == EXIT_OK)
		printf("%s: server shut down\n", prog);
	return code;
}

static int do_reload(const struct options *o)
{
	struct daemon d;
	int code = EXIT_OK;

	find_daemon(o, &d);
	if (d.pid < 0) {
		fprintf(stderr, "%s: no running ksmbd.mountd (lock file %s)\n",
			prog, d.lock_path);
		code = EXIT_NOTHING;
	} else if (signal_daemon(&d, SIGHUP)) {
		code = EXIT_IO;
	} else {
		printf("%s: ksmbd.mountd (pid %ld) told to reload\n", prog,
		       d.pid);
	}
	release_daemon(&d);
	return code;
}

/*
 * The stats file: "<version> <state> <tcp port> <ipc last active>". Any
 * other shape is shown as it is rather than guessed at.
 */
static int do_list(const struct options *o)
{
	char buf[256], state[64];
	char *path = sysfs_path(o, CONTROL_CLASS, "stats");
	unsigned long ipc_active;
	int ver, port, used = 0;
	struct daemon d;

	if (!path || read_attr(path, buf, sizeof(buf))) {
		free(path);
		return EXIT_IO;
	}
	free(path);
	if (sscanf(buf, "%d %63s %d %lu%n", &ver, state, &port, &ipc_active,
		   &used) == 4 && !buf[used]) {
		printf("mode: kernel\nstate: %s\ntcp port: %d\n", state, port);
		printf("ipc last active: %lu\nstats version: %d\n", ipc_active,
		       ver);
	} else {
		printf("mode: kernel\nstats: %s\n", buf);
	}
	find_daemon(o, &d);
	if (d.pid > 0)
		printf("daemon: ksmbd.mountd, pid %ld\n", d.pid);
	else
		printf("daemon: not running\n");
	release_daemon(&d);
	fprintf(stderr, "%s: note: listing shares and sessions is not available yet\n",
		prog);
	return EXIT_OK;
}

static bool known_component(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(components); i++)
		if (!strcmp(name, components[i]))
			return true;
	return false;
}

/* Toggle, then show what is on now: the module brackets enabled ones. */
static int do_debug(const struct options *o)
{
	char *path = sysfs_path(o, CONTROL_CLASS, "debug");
	char buf[256];
	int code = EXIT_IO;

	if (path && !write_attr(path, o->component) &&
	    !read_attr(path, buf, sizeof(buf))) {
		printf("%s\n", buf);
		code = EXIT_OK;
	}
	free(path);
	return code;
}

static int do_module_version(const struct options *o)
{
	char *path = sysfs_path(o, MODULE_VERSION_FILE, "");
	char buf[128];
	int code = EXIT_IO;

	if (path && !read_attr(path, buf, sizeof(buf))) {
		printf("%s\n", buf);
		code = EXIT_OK;
	}
	free(path);
	return code;
}

static int run(const struct options *o)
{
	bool kernel = kernel_mode(o);

	if (o->verbose)
		printf("%s mode\n", kernel ? "kernel" : "user");
	switch (o->action) {
	case ACT_SHUTDOWN:
		return do_shutdown(o, kernel);
	case ACT_RELOAD:
		return do_reload(o);
	case ACT_LIST:
		return kernel ? do_list(o) : not_in_user_mode(o, "-l");
	case ACT_DEBUG:
		return kernel ? do_debug(o) : not_in_user_mode(o, "-d");
	case ACT_VERSION:
		return kernel ? do_module_version(o) :
				not_in_user_mode(o, "-c");
	case ACT_NONE:
		break;
	}
	return EXIT_USAGE;
}

/* ----------------------------------------------------------------------
 * Command line
 * ---------------------------------------------------------------------- */

enum { OPT_SYSFS_ROOT = 256 };

static const struct option long_options[] = {
	{ "shutdown", no_argument, NULL, 's' },
	{ "reload", no_argument, NULL, 'r' },
	{ "list", no_argument, NULL, 'l' },
	{ "debug", required_argument, NULL, 'd' },
	{ "ksmbd-version", no_argument, NULL, 'c' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "sysfs-root", required_argument, NULL, OPT_SYSFS_ROOT },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int set_action(struct options *o, enum action a)
{
	if (o->action != ACT_NONE) {
		fprintf(stderr, "%s: give only one of -s, -r, -l, -d, -c\n",
			prog);
		return -1;
	}
	o->action = a;
	return 0;
}

static enum action action_of(int c)
{
	switch (c) {
	case 's':
		return ACT_SHUTDOWN;
	case 'r':
		return ACT_RELOAD;
	case 'l':
		return ACT_LIST;
	case 'd':
		return ACT_DEBUG;
	default:
		return ACT_VERSION;
	}
}

/* EXIT_OK to go on, -1 when done (-V, -h), else an exit code. */
static int parse_args(int argc, char **argv, struct options *o)
{
	int c;

	while ((c = getopt_long(argc, argv, "srld:cvVh", long_options,
				NULL)) != -1) {
		switch (c) {
		case 's':
		case 'r':
		case 'l':
		case 'd':
		case 'c':
			if (set_action(o, action_of(c)))
				return EXIT_USAGE;
			if (c == 'd')
				o->component = optarg;
			break;
		case 'v':
			o->verbose = true;
			break;
		case OPT_SYSFS_ROOT:
			o->sysfs = optarg;
			break;
		case 'V':
			printf("%s (smbd-ng) %s\n", prog, PACKAGE_VERSION);
			return -1;
		case 'h':
			usage(stdout);
			return -1;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", prog,
			argv[optind]);
		return EXIT_USAGE;
	}
	if (o->action == ACT_NONE) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (o->action == ACT_DEBUG && !known_component(o->component)) {
		fprintf(stderr, "%s: unknown component '%s' (all smb auth vfs oplock ipc conn rdma)\n",
			prog, o->component);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	struct options o = { .sysfs = DEFAULT_SYSFS };
	int code = parse_args(argc, argv, &o);

	if (code < 0)
		return EXIT_OK;
	if (code != EXIT_OK)
		return code;
	return run(&o);
}
