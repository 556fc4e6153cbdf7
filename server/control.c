// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ksmbd.control: shut down or reload the server, show its state, toggle
 * the data path's debug output, print the module version.
 *
 * Kernel mode (the ksmbd module's control class exists in sysfs): the
 * module is driven through /sys/class/ksmbd-control/{kill_server,debug,
 * stats} and /sys/module/ksmbd/version; ksmbd.mountd is signalled through
 * the pid in its lock file. User mode (no such class): ksmbd.mountd is
 * signalled the same way; -l, -c and -d ask the data path (smbd-user)
 * on its status socket, one request each (idl/status.idl; see ask).
 * --status (sessions, tree connects, open files; --json) works in both:
 * it reads a snapshot from the data path (see do_status).
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
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "daemon_lock.h"
#include "status.h"

#ifndef RUNSTATEDIR
#define RUNSTATEDIR "/run"
#endif
#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

/* ksmbd.mountd's pid file; the daemon holds a lock on it while running. */
#define DEFAULT_LOCK		RUNSTATEDIR "/ksmbd.lock"
/*
 * smbd-user's status socket: ksmbd.mountd puts it next to its IPC socket
 * (server/supervise.c), RUNSTATEDIR/ksmbd-ipc.sock by default.
 */
#define DEFAULT_STATUS_SOCKET	RUNSTATEDIR "/ksmbd-status.sock"
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
	ACT_STATUS,
};

struct options {
	enum action action;
	const char *component;		/* -d */
	const char *sysfs;		/* the root sysfs is mounted on */
	const char *status_socket;	/* --status-socket */
	bool json;			/* --json */
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
		"       [--status-socket PATH]\n"
		"       %s -S [--json] [--status-socket PATH] [--sysfs-root DIR]\n"
		"       %s {-V | -h}\n"
		"\n"
		"  -s, --shutdown          stop ksmbd.mountd and the server\n"
		"  -r, --reload            make ksmbd.mountd reread its configuration\n"
		"  -l, --list              show the server state\n"
		"  -d, --debug=COMPONENT   toggle debug output of COMPONENT:\n"
		"                          all smb auth vfs oplock ipc conn rdma\n"
		"  -c, --ksmbd-version     print the ksmbd module version (user mode:\n"
		"                          the data path's version)\n"
		"  -S, --status            show sessions, tree connects and open files\n"
		"      --json              with -S: print them as JSON\n"
		"      --status-socket=PATH  with -S, -l, -c, -d: the data path's status\n"
		"                          socket (user mode; default %s)\n"
		"  -v, --verbose           say more\n"
		"      --sysfs-root=DIR    sysfs is mounted on DIR (default %s)\n"
		"  -V, --version           print this tool's version\n"
		"  -h, --help              this help\n"
		"\n"
		"Kernel mode is when DIR%s exists; otherwise the server runs in\n"
		"user mode. ksmbd.mountd's pid is read from %s (or $KSMBD_LOCK_FILE).\n"
		"Exit status: 0 done, 1 usage or not available, 2 no daemon running,\n"
		"3 I/O error.\n",
		prog, prog, prog, DEFAULT_STATUS_SOCKET, DEFAULT_SYSFS,
		CONTROL_CLASS, DEFAULT_LOCK);
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
	fprintf(stderr, "%s: note: sessions, tree connects and open files: %s -S\n",
		prog, prog);
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

/* ----------------------------------------------------------------------
 * --status: the data path's sessions, tree connects and opens
 *
 * The snapshot (idl/status.idl) comes from the data path: in user mode
 * from smbd-user's status socket (mode 0600: run as the daemon's user),
 * in kernel mode from the module's binary attribute. Every byte of it is
 * decoded by the generated decoders and the nesting counts are checked
 * against the header's totals: a malformed snapshot is reported, never
 * printed half.
 * ---------------------------------------------------------------------- */

/* The most we read: far above what 64 KiB of connections could need. */
#define STATUS_MAX		(64U << 20)
#define STATUS_TIMEOUT_S	10
/* FILETIME of the Unix epoch, in 100 ns units. */
#define NTTIME_EPOCH		116444736000000000ULL

struct snap {
	struct smbd_status_hdr hdr;
	struct smbd_status_session *sessions;
	struct smbd_status_tree *trees;
	struct smbd_status_open *opens;
	/* for each tree and open: the share and the session they belong to */
	u32 *tree_sess;
	u32 *open_tree;
};

static void snap_free(struct snap *s)
{
	free(s->sessions);
	free(s->trees);
	free(s->opens);
	free(s->tree_sess);
	free(s->open_tree);
}

/* Read fd to EOF (at most STATUS_MAX bytes) into a malloc'ed buffer. */
static int read_all(int fd, const char *what, unsigned char **out, size_t *len)
{
	size_t cap = 64 * 1024, n = 0;
	unsigned char *buf = malloc(cap), *nb;
	ssize_t r;

	while (buf) {
		if (n == cap) {
			if (cap >= STATUS_MAX) {
				fprintf(stderr, "%s: %s: more than %u bytes\n",
					prog, what, STATUS_MAX);
				break;
			}
			nb = realloc(buf, cap * 2);
			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		/*
		 * A status socket that answers without reading our request
		 * (an older data path, a test's stand-in) closes with it
		 * unread, which Linux reports as a reset after the answer:
		 * the end of the answer. A cut snapshot fails to decode.
		 */
		if (r < 0 && errno == ECONNRESET)
			r = 0;
		if (r < 0) {
			report_errno("read", what, errno);
			break;
		}
		if (r == 0) {
			*out = buf;
			*len = n;
			return 0;
		}
		n += (size_t)r;
	}
	free(buf);
	return -1;
}

/*
 * Send the request bytes to the data path's status socket and read the
 * answer to EOF. EXIT_NOTHING when nobody listens there.
 */
static int ask_socket(const char *path, const unsigned char *request,
		      size_t n, unsigned char **buf, size_t *len)
{
	size_t off = 0;
	ssize_t w;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = STATUS_TIMEOUT_S };
	int fd, rc;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "%s: %s: path too long\n", prog, path);
		return EXIT_USAGE;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		report_errno("create a socket for", path, errno);
		return EXIT_IO;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		rc = errno;
		close(fd);
		if (rc == ENOENT || rc == ECONNREFUSED) {
			fprintf(stderr, "%s: no status at %s: %s (is ksmbd.mountd running in user mode?)\n",
				prog, path, strerror(rc));
			return EXIT_NOTHING;
		}
		report_errno("connect to", path, rc);
		return EXIT_IO;
	}
	while (off < n) {
		w = send(fd, request + off, n - off, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		/* closed already: whatever it sent before is still there */
		if (w < 0 && (errno == EPIPE || errno == ECONNRESET))
			break;
		if (w < 0) {
			rc = errno;
			close(fd);
			report_errno("write to", path, rc);
			return EXIT_IO;
		}
		off += (size_t)w;
	}
	rc = read_all(fd, path, buf, len);
	close(fd);
	return rc ? EXIT_IO : EXIT_OK;
}

/*
 * Ask the data path one request (idl/status.idl smbd_status_req: the
 * snapshot, the version, or the debug components after toggling arg when
 * it is not NULL; see kmod/user/status.c) and read the answer to EOF.
 */
static int ask(const char *path, u16 op, const char *arg,
	       unsigned char **buf, size_t *len)
{
	unsigned char req[SMBD_STATUS_REQ_SIZE + SMBD_STATUS_ARG_MAX];
	struct smbd_status_req r = { .op = op };
	size_t n;

	if (arg) {
		r.arg.p = (const u8 *)arg;
		r.arg.len = (u32)strlen(arg);
		r.arg_len = (u16)r.arg.len;
	}
	if ((arg && r.arg.len > SMBD_STATUS_ARG_MAX) ||
	    smbd_status_req_encode(req, sizeof(req), &r, &n)) {
		fprintf(stderr, "%s: cannot encode the request\n", prog);
		return EXIT_USAGE;
	}
	return ask_socket(path, req, n, buf, len);
}

static int fetch_sysfs(const struct options *o, unsigned char **buf,
		       size_t *len)
{
	char *path = sysfs_path(o, CONTROL_CLASS, "status");
	int fd, rc;

	if (!path)
		return EXIT_IO;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		fprintf(stderr, "%s: --status: the ksmbd module does not provide it (no %s)\n",
			prog, path);
		free(path);
		return EXIT_USAGE;
	}
	if (fd < 0) {
		report_errno("open", path, errno);
		free(path);
		return EXIT_IO;
	}
	rc = read_all(fd, path, buf, len);
	close(fd);
	free(path);
	return rc ? EXIT_IO : EXIT_OK;
}

static const char *wire_err(int rc)
{
	switch (-rc) {
	case WIRE_ETRUNC:
		return "truncated";
	case WIRE_EVALUE:
		return "bad constant (not a status snapshot, or another version)";
	case WIRE_ERANGE:
		return "a length out of range";
	case WIRE_EBOUNDS:
		return "a record's size outside the snapshot";
	default:
		return "malformed";
	}
}

static int bad_snapshot(const char *what, int rc)
{
	fprintf(stderr, "%s: malformed status snapshot: %s: %s\n", prog, what,
		wire_err(rc));
	return EXIT_IO;
}

/*
 * Decode buf as one whole smbd_status_reply (idl/status.idl), its text a
 * line of printable ASCII. 0 or a negative WIRE_E* code.
 */
static int decode_reply(const unsigned char *buf, size_t len,
			struct smbd_status_reply *r)
{
	struct wire_dec d;
	u32 i;
	int rc;

	wire_dec_init(&d, buf, len);
	rc = smbd_status_reply_dec(&d, r);
	if (rc)
		return rc;
	if (d.pos != d.end)
		return -WIRE_ETRAIL;
	for (i = 0; i < r->text.len; i++)
		if (r->text.p[i] < 0x20 || r->text.p[i] >= 0x7f)
			return -WIRE_EVALUE;
	return 0;
}

/*
 * The data path refused the request instead of answering: say so.
 * EXIT_IO when buf is such a refusal, EXIT_OK when it is not one.
 */
static int refused(const char *path, const unsigned char *buf, size_t len)
{
	struct smbd_status_reply r;

	if (decode_reply(buf, len, &r) ||
	    r.result == SMBD_STATUS_RESULT_OK)
		return EXIT_OK;
	fprintf(stderr, "%s: %s: error: %.*s\n", prog, path, (int)r.text.len,
		(const char *)r.text.p);
	return EXIT_IO;
}

/*
 * Decode buf into s, checking that the nesting adds up to the header's
 * totals and that nothing follows. Views in s point into buf.
 */
static int decode_snapshot(const unsigned char *buf, size_t len,
			   struct snap *s)
{
	struct wire_dec d;
	u32 i, j, k, nt = 0, no = 0;
	int rc;

	memset(s, 0, sizeof(*s));
	wire_dec_init(&d, buf, len);
	rc = smbd_status_hdr_dec(&d, &s->hdr);
	if (rc)
		return bad_snapshot("header", rc);
	/* never allocate for more records than the bytes could hold */
	if (s->hdr.n_sessions > len / SMBD_STATUS_SESSION_SIZE ||
	    s->hdr.n_trees > len / SMBD_STATUS_TREE_SIZE ||
	    s->hdr.n_opens > len / SMBD_STATUS_OPEN_SIZE)
		return bad_snapshot("header counts", -WIRE_ETRUNC);
	s->sessions = calloc(s->hdr.n_sessions + 1, sizeof(*s->sessions));
	s->trees = calloc(s->hdr.n_trees + 1, sizeof(*s->trees));
	s->opens = calloc(s->hdr.n_opens + 1, sizeof(*s->opens));
	s->tree_sess = calloc(s->hdr.n_trees + 1, sizeof(u32));
	s->open_tree = calloc(s->hdr.n_opens + 1, sizeof(u32));
	if (!s->sessions || !s->trees || !s->opens || !s->tree_sess ||
	    !s->open_tree) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return EXIT_IO;
	}
	for (i = 0; i < s->hdr.n_sessions; i++) {
		rc = smbd_status_session_dec(&d, &s->sessions[i]);
		if (rc)
			return bad_snapshot("session", rc);
		for (j = 0; j < s->sessions[i].tree_count; j++) {
			if (nt >= s->hdr.n_trees)
				return bad_snapshot("more trees than counted", -WIRE_EVALUE);
			rc = smbd_status_tree_dec(&d, &s->trees[nt]);
			if (rc)
				return bad_snapshot("tree", rc);
			s->tree_sess[nt] = i;
			for (k = 0; k < s->trees[nt].open_count; k++) {
				if (no >= s->hdr.n_opens)
					return bad_snapshot("more opens than counted", -WIRE_EVALUE);
				rc = smbd_status_open_dec(&d, &s->opens[no]);
				if (rc)
					return bad_snapshot("open", rc);
				s->open_tree[no++] = nt;
			}
			nt++;
		}
	}
	if (nt != s->hdr.n_trees || no != s->hdr.n_opens)
		return bad_snapshot("fewer records than counted", -WIRE_ETRUNC);
	if (d.pos != d.end)
		return bad_snapshot("bytes after the last record", -WIRE_EVALUE);
	return EXIT_OK;
}

static const char *dialect_name(u16 d, char *buf, size_t size)
{
	switch (d) {
	case 0x0202: return "2.0.2";
	case 0x0210: return "2.1";
	case 0x0300: return "3.0";
	case 0x0302: return "3.0.2";
	case 0x0311: return "3.1.1";
	case 0:	return "none";
	}
	snprintf(buf, size, "0x%04x", d);
	return buf;
}

static const char *cipher_name(u16 c)
{
	switch (c) {
	case 0: return "-";
	case 1: return "AES-128-CCM";
	case 2: return "AES-128-GCM";
	case 3: return "AES-256-CCM";
	case 4: return "AES-256-GCM";
	}
	return "unknown";
}

static void fmt_time(u64 nt, char *buf, size_t size)
{
	time_t t;
	struct tm tm;

	if (nt < NTTIME_EPOCH) {
		snprintf(buf, size, "-");
		return;
	}
	t = (time_t)((nt - NTTIME_EPOCH) / 10000000ULL);
	if (!gmtime_r(&t, &tm) || !strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, size, "-");
}

/* Length of the valid UTF-8 sequence at p (n bytes left), 0 if invalid. */
static size_t utf8_seq(const u8 *p, size_t n)
{
	size_t len, i;
	u32 c;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0)
		len = 2, c = p[0] & 0x1f;
	else if ((p[0] & 0xf0) == 0xe0)
		len = 3, c = p[0] & 0x0f;
	else if ((p[0] & 0xf8) == 0xf0)
		len = 4, c = p[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) ||
	    (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return len;
}

/* A string of the snapshot for a terminal: control bytes and bad UTF-8 as '?'. */
static void put_text(const struct wire_blob *b, int width)
{
	size_t i = 0, n, shown = 0;

	while (i < b->len) {
		n = utf8_seq(b->p + i, b->len - i);
		if (!n || b->p[i] < 0x20 || b->p[i] == 0x7f) {
			putchar('?');
			i += n ? n : 1;
		} else {
			fwrite(b->p + i, 1, n, stdout);
			i += n;
		}
		shown++;
	}
	for (; width > 0 && shown < (size_t)width; shown++)
		putchar(' ');
	if (!b->len && width <= 0)
		putchar('-');
}

/* A JSON string: escaped, bad UTF-8 as U+FFFD. */
static void put_json_str(const struct wire_blob *b)
{
	size_t i = 0, n;
	u8 c;

	putchar('"');
	while (i < b->len) {
		c = b->p[i];
		n = utf8_seq(b->p + i, b->len - i);
		if (!n) {
			fputs("\\ufffd", stdout);
			i++;
		} else if (c == '"' || c == '\\') {
			printf("\\%c", c);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			printf("\\u%04x", c);
			i++;
		} else {
			fwrite(b->p + i, 1, n, stdout);
			i += n;
		}
	}
	putchar('"');
}

static void put_table(const struct snap *s)
{
	char dbuf[16], tbuf[32];
	u32 i;

	printf("\nConn      Session ID          Username             Client            Dialect  Signing  Encryption    Connected at\n");
	printf("-------------------------------------------------------------------------------------------------------------------------\n");
	for (i = 0; i < s->hdr.n_sessions; i++) {
		const struct smbd_status_session *v = &s->sessions[i];

		fmt_time(v->connect_time, tbuf, sizeof(tbuf));
		printf("%-9u 0x%-16llx  ", v->conn_id,
		       (unsigned long long)v->session_id);
		if (v->user_len)
			put_text(&v->user, 20);
		else
			printf("%-20s", v->state == SMBD_STATUS_SESSION_VALID ?
			       "(anonymous)" : "(authenticating)");
		putchar(' ');
		put_text(&v->client, 17);
		printf(" %-8s %-8s %-13s %s\n",
		       dialect_name(v->dialect, dbuf, sizeof(dbuf)),
		       v->flags & SMBD_STATUS_SESSION_SIGNING ? "yes" : "no",
		       v->flags & SMBD_STATUS_SESSION_ENCRYPTED ?
		       cipher_name(v->cipher) : "no", tbuf);
	}
	printf("\nService              Session ID          Tree ID     Flags          Opens\n");
	printf("-------------------------------------------------------------------------\n");
	for (i = 0; i < s->hdr.n_trees; i++) {
		const struct smbd_status_tree *t = &s->trees[i];

		put_text(&t->share, 20);
		printf(" 0x%-16llx  %-10u  %-14s %u\n",
		       (unsigned long long)t->session_id, t->tree_id,
		       t->flags & SMBD_STATUS_TREE_PIPE ? "ipc" :
		       t->flags & SMBD_STATUS_TREE_READ_ONLY ? "read-only" :
		       "read-write", t->open_count);
	}
	printf("\nOpen files:\n\nSession ID          Share                Access      ShareMode  Kind  Name\n");
	printf("------------------------------------------------------------------------------------------\n");
	for (i = 0; i < s->hdr.n_opens; i++) {
		const struct smbd_status_open *f = &s->opens[i];
		static const char *const kinds[] = { "file", "dir", "pipe" };

		printf("0x%-16llx  ", (unsigned long long)f->session_id);
		put_text(&s->trees[s->open_tree[i]].share, 20);
		printf(" 0x%08x  %c%c%c        %-5s ", f->access,
		       f->share_access & 1 ? 'R' : '-',
		       f->share_access & 2 ? 'W' : '-',
		       f->share_access & 4 ? 'D' : '-',
		       f->kind < 3 ? kinds[f->kind] : "?");
		if (f->path_len)
			put_text(&f->path, 0);
		else
			printf("%s", f->kind == SMBD_STATUS_OPEN_PIPE ? "(pipe)" : ".");
		putchar('\n');
	}
	printf("\n%u connection(s), %u session(s), %u tree connect(s), %u open file(s)\n",
	       s->hdr.n_conns, s->hdr.n_sessions, s->hdr.n_trees,
	       s->hdr.n_opens);
}

/* A time as a JSON value: a quoted UTC time, or null when unknown. */
static void put_json_time(const char *key, u64 nt, const char *sep)
{
	char tbuf[32];

	fmt_time(nt, tbuf, sizeof(tbuf));
	if (strcmp(tbuf, "-"))
		printf("\"%s\": \"%s\"%s", key, tbuf, sep);
	else
		printf("\"%s\": null%s", key, sep);
}

static const char *jbool(int on)
{
	return on ? "true" : "false";
}

static void put_json(const struct snap *s)
{
	char dbuf[16];
	u32 i;

	printf("{\n  \"version\": %u,\n  ", s->hdr.version);
	put_json_time("timestamp", s->hdr.now, ",\n  ");
	put_json_time("server_start", s->hdr.server_start, ",\n");
	printf("  \"connections\": %u,\n", s->hdr.n_conns);
	printf("  \"sessions\": [");
	for (i = 0; i < s->hdr.n_sessions; i++) {
		const struct smbd_status_session *v = &s->sessions[i];

		printf("%s\n    {\"session_id\": %llu, \"connection_id\": %u, \"user\": ",
		       i ? "," : "", (unsigned long long)v->session_id,
		       v->conn_id);
		put_json_str(&v->user);
		printf(", \"uid\": %u, \"gid\": %u, \"client\": ", v->uid, v->gid);
		put_json_str(&v->client);
		printf(", \"dialect\": \"%s\", \"state\": \"%s\", \"signing\": %s, \"encryption\": %s, \"encryption_required\": %s, \"cipher\": ",
		       dialect_name(v->dialect, dbuf, sizeof(dbuf)),
		       v->state == SMBD_STATUS_SESSION_VALID ? "valid" :
		       "in-progress",
		       jbool(v->flags & SMBD_STATUS_SESSION_SIGNING),
		       jbool(v->flags & SMBD_STATUS_SESSION_ENCRYPTED),
		       jbool(v->flags & SMBD_STATUS_SESSION_ENC_REQUIRED));
		if (v->flags & SMBD_STATUS_SESSION_ENCRYPTED)
			printf("\"%s\"", cipher_name(v->cipher));
		else
			printf("null");
		printf(", \"guest\": %s, ",
		       jbool(v->flags & SMBD_STATUS_SESSION_GUEST));
		put_json_time("connected", v->connect_time, "}");
	}
	printf("%s],\n  \"trees\": [", s->hdr.n_sessions ? "\n  " : "");
	for (i = 0; i < s->hdr.n_trees; i++) {
		const struct smbd_status_tree *t = &s->trees[i];

		printf("%s\n    {\"session_id\": %llu, \"tree_id\": %u, \"share\": ",
		       i ? "," : "", (unsigned long long)t->session_id,
		       t->tree_id);
		put_json_str(&t->share);
		printf(", \"read_only\": %s, \"guest\": %s, \"ipc\": %s, \"open_count\": %u}",
		       jbool(t->flags & SMBD_STATUS_TREE_READ_ONLY),
		       jbool(t->flags & SMBD_STATUS_TREE_GUEST),
		       jbool(t->flags & SMBD_STATUS_TREE_PIPE), t->open_count);
	}
	printf("%s],\n  \"open_files\": [", s->hdr.n_trees ? "\n  " : "");
	for (i = 0; i < s->hdr.n_opens; i++) {
		const struct smbd_status_open *f = &s->opens[i];
		static const char *const kinds[] = { "file", "directory", "pipe" };

		printf("%s\n    {\"session_id\": %llu, \"tree_id\": %u, \"share\": ",
		       i ? "," : "", (unsigned long long)f->session_id,
		       f->tree_id);
		put_json_str(&s->trees[s->open_tree[i]].share);
		printf(", \"path\": ");
		put_json_str(&f->path);
		printf(", \"kind\": \"%s\", \"persistent_id\": %llu, \"volatile_id\": %llu, \"access_mask\": %u, \"share_access\": %u}",
		       f->kind < 3 ? kinds[f->kind] : "unknown",
		       (unsigned long long)f->persistent_id,
		       (unsigned long long)f->volatile_id, f->access,
		       f->share_access);
	}
	printf("%s]\n}\n", s->hdr.n_opens ? "\n  " : "");
}

static const char *status_socket(const struct options *o)
{
	return o->status_socket ? o->status_socket : DEFAULT_STATUS_SOCKET;
}

static int do_status(const struct options *o, bool kernel)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	struct snap s;
	int code;

	/* an explicit socket wins: tests, or a daemon with --ipc-socket */
	if (o->status_socket || !kernel) {
		code = ask(status_socket(o), SMBD_STATUS_OP_SNAPSHOT, NULL,
			   &buf, &len);
		if (code == EXIT_OK)
			code = refused(status_socket(o), buf, len);
	} else {
		code = fetch_sysfs(o, &buf, &len);
	}
	if (code != EXIT_OK) {
		free(buf);
		return code;
	}
	code = decode_snapshot(buf, len, &s);
	if (code == EXIT_OK) {
		if (o->json)
			put_json(&s);
		else
			put_table(&s);
		if (fflush(stdout))
			code = EXIT_IO;
	}
	snap_free(&s);
	free(buf);
	return code;
}

/* ----------------------------------------------------------------------
 * User mode: -l, -c and -d ask the data path on its status socket
 * ---------------------------------------------------------------------- */

/*
 * A reply's text into line (printable ASCII, one line): the answer to a
 * VERSION or DEBUG request.
 */
static int ask_text(const struct options *o, u16 op, const char *arg,
		    char *line, size_t size)
{
	const char *path = status_socket(o);
	struct smbd_status_reply r;
	unsigned char *buf = NULL;
	size_t len = 0;
	int code;

	code = ask(path, op, arg, &buf, &len);
	if (code != EXIT_OK)
		return code;
	code = refused(path, buf, len);
	if (code == EXIT_OK && (decode_reply(buf, len, &r) || r.op != op ||
				!r.text.len || r.text.len >= size)) {
		fprintf(stderr, "%s: %s: no answer or a malformed one to the %s request\n",
			prog, path, op == SMBD_STATUS_OP_VERSION ? "version" : "debug");
		code = EXIT_IO;
	} else if (code == EXIT_OK) {
		memcpy(line, r.text.p, r.text.len);
		line[r.text.len] = '\0';
	}
	free(buf);
	return code;
}

/*
 * The state as the daemon's lock file and the data path's snapshot header
 * tell it. No data path and no daemon: nothing to show (EXIT_NOTHING); a
 * daemon whose data path does not answer: EXIT_IO, after saying so.
 */
static int do_list_user(const struct options *o)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	struct daemon d;
	struct snap s;
	char tbuf[32];
	long pid;
	int code;

	memset(&s, 0, sizeof(s));
	find_daemon(o, &d);
	pid = d.pid;
	release_daemon(&d);
	code = ask(status_socket(o), SMBD_STATUS_OP_SNAPSHOT, NULL, &buf, &len);
	if (code == EXIT_OK)
		code = refused(status_socket(o), buf, len);
	if (code == EXIT_OK)
		code = decode_snapshot(buf, len, &s);
	printf("mode: user\n");
	if (code == EXIT_OK)
		printf("state: running\n");
	else if (code == EXIT_NOTHING && pid < 0)
		printf("state: not running\n");
	else
		printf("state: not answering\n");
	if (pid > 0)
		printf("daemon: ksmbd.mountd, pid %ld\n", pid);
	else
		printf("daemon: not running\n");
	printf("status socket: %s\n", status_socket(o));
	if (code == EXIT_OK) {
		fmt_time(s.hdr.server_start, tbuf, sizeof(tbuf));
		printf("server start: %s\n", tbuf);
		printf("connections: %u\nsessions: %u\n", s.hdr.n_conns,
		       s.hdr.n_sessions);
		printf("tree connects: %u\nopen files: %u\n", s.hdr.n_trees,
		       s.hdr.n_opens);
		fprintf(stderr, "%s: note: sessions, tree connects and open files: %s -S\n",
			prog, prog);
	} else if (code == EXIT_NOTHING && pid > 0) {
		code = EXIT_IO;
	}
	snap_free(&s);
	free(buf);
	return code;
}

static int do_version_user(const struct options *o)
{
	char line[SMBD_STATUS_TEXT_MAX + 1];
	int code = ask_text(o, SMBD_STATUS_OP_VERSION, NULL, line, sizeof(line));

	if (code == EXIT_OK)
		printf("%s\n", line);
	return code;
}

/* Toggle, then show what is on now, as the module's debug file does. */
static int do_debug_user(const struct options *o)
{
	char line[SMBD_STATUS_TEXT_MAX + 1];
	int code;

	code = ask_text(o, SMBD_STATUS_OP_DEBUG, o->component, line, sizeof(line));
	if (code == EXIT_OK)
		printf("%s\n", line);
	return code;
}

static int run(const struct options *o)
{
	bool kernel = kernel_mode(o);
	/* as with -S, an explicit status socket wins over sysfs */
	bool ask_user = !kernel || o->status_socket;

	if (o->verbose)
		printf("%s mode\n", kernel ? "kernel" : "user");
	switch (o->action) {
	case ACT_SHUTDOWN:
		return do_shutdown(o, kernel);
	case ACT_RELOAD:
		return do_reload(o);
	case ACT_LIST:
		return ask_user ? do_list_user(o) : do_list(o);
	case ACT_DEBUG:
		return ask_user ? do_debug_user(o) : do_debug(o);
	case ACT_VERSION:
		return ask_user ? do_version_user(o) : do_module_version(o);
	case ACT_STATUS:
		return do_status(o, kernel);
	case ACT_NONE:
		break;
	}
	return EXIT_USAGE;
}

/* ----------------------------------------------------------------------
 * Command line
 * ---------------------------------------------------------------------- */

enum { OPT_SYSFS_ROOT = 256, OPT_JSON, OPT_STATUS_SOCKET };

static const struct option long_options[] = {
	{ "shutdown", no_argument, NULL, 's' },
	{ "reload", no_argument, NULL, 'r' },
	{ "list", no_argument, NULL, 'l' },
	{ "debug", required_argument, NULL, 'd' },
	{ "ksmbd-version", no_argument, NULL, 'c' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "sysfs-root", required_argument, NULL, OPT_SYSFS_ROOT },
	{ "status", no_argument, NULL, 'S' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "status-socket", required_argument, NULL, OPT_STATUS_SOCKET },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int set_action(struct options *o, enum action a)
{
	if (o->action != ACT_NONE) {
		fprintf(stderr, "%s: give only one of -s, -r, -l, -d, -c, -S\n",
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
	case 'S':
		return ACT_STATUS;
	default:
		return ACT_VERSION;
	}
}

/* EXIT_OK to go on, -1 when done (-V, -h), else an exit code. */
static int parse_args(int argc, char **argv, struct options *o)
{
	int c;

	while ((c = getopt_long(argc, argv, "srld:cSvVh", long_options,
				NULL)) != -1) {
		switch (c) {
		case 's':
		case 'r':
		case 'l':
		case 'd':
		case 'c':
		case 'S':
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
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_STATUS_SOCKET:
			o->status_socket = optarg;
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
	if (o->json && o->action != ACT_STATUS) {
		fprintf(stderr, "%s: --json goes with -S\n", prog);
		return EXIT_USAGE;
	}
	if (o->status_socket && (o->action == ACT_SHUTDOWN ||
				 o->action == ACT_RELOAD)) {
		fprintf(stderr, "%s: --status-socket goes with -S, -l, -c, -d\n",
			prog);
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
