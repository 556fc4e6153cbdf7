// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ksmbd.mountd: the daemon. Loads ksmbd.conf and ksmbdpwd.db, holds the
 * pid/lock file, and answers the data path's requests (login, share
 * config, tree connect, ...) on a tevent loop.
 *
 * Modes (`server mode` in [global]): user mode listens for the userspace
 * data path on a local socket; kernel mode talks to ksmbd.ko over generic
 * netlink SMBD_GENL (see ipc.h); auto uses kernel mode when the SMBD_GENL
 * family resolves (the module is loaded), user mode otherwise.
 *
 * In user mode the daemon also starts the data path (smbd-user, see
 * supervise.h) and restarts it when it crashes, unless --no-data-path.
 *
 * Signals: SIGHUP reloads the configuration and the users without
 * dropping peers (nor restarting the data path); SIGTERM and SIGINT stop
 * the data path, then the daemon.
 *
 * Exit status: 0 success (or daemonized), 1 failure.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* accept4, pipe2, SO_PEERCRED, getgrouplist */
#endif
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <talloc.h>
#include <tevent.h>
#include <unistd.h>

#include "config.h"
#include "handlers.h"
#include "ipc.h"
#include "log.h"
#include "subauth.h"
#include "supervise.h"
#include "userdb.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/usr/local/etc"
#endif
#ifndef RUNSTATEDIR
#define RUNSTATEDIR "/run"
#endif
#ifndef PKGLIBEXECDIR
#define PKGLIBEXECDIR "/usr/local/libexec/smbd-ng"
#endif
#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

#define DEFAULT_CONF	SYSCONFDIR "/ksmbd/ksmbd.conf"
#define DEFAULT_PWDDB	SYSCONFDIR "/ksmbd/ksmbdpwd.db"
/* ksmbd.adduser signals the pid in this file (or $KSMBD_LOCK_FILE). */
#define DEFAULT_LOCK	RUNSTATEDIR "/ksmbd.lock"
#define DEFAULT_SOCKET	RUNSTATEDIR "/ksmbd-ipc.sock"
#define DEFAULT_DATA_PATH PKGLIBEXECDIR "/smbd-user"

static const char *prog = "ksmbd.mountd";

struct options {
	const char *conf;
	const char *pwddb;
	const char *lock_file;
	const char *ipc_socket;
	const char *data_path;
	bool data_path_given;	/* --data-path: a missing binary is an error */
	bool no_data_path;
	long port;		/* 0: from the configuration */
	bool foreground;
	bool check;
	bool verbose;
};

struct daemon_state {
	const struct options *opt;
	struct tevent_context *ev;
	struct handlers *handlers;
	struct ipc *ipc;
	struct ipc_sock *sock;
	struct ipc_genl *genl;
	struct supervisor *sv;	/* user mode: the data path child */
	unsigned int dp_port;	/* the port it was started with */
	int lock_fd;
	bool stopping;		/* SIGTERM seen: waiting for the data path */
	bool stop;		/* leave the loop */
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s [-p PORT] [-n[WAY]] [-C CONF] [-P PWDDB] [-v]\n"
		"          [--ipc-socket PATH] [--lock-file PATH]\n"
		"          [--data-path PATH | --no-data-path]\n"
		"       %s --check [-C CONF]\n"
		"       %s {-V | -h}\n"
		"\n"
		"  -p, --port=PORT       TCP port for the data path (default: tcp port)\n"
		"  -n, --nodetach[=WAY]  stay in the foreground; WAY 1 (default) becomes\n"
		"                        process group leader, WAY 0 detaches after all\n"
		"  -C, --config=CONF     configuration (default %s)\n"
		"  -P, --pwddb=PWDDB     user database (default %s)\n"
		"  -v, --verbose         log debug messages\n"
		"  -V, --version         print the version\n"
		"  -h, --help            this help\n"
		"      --check           print the effective configuration and exit\n"
		"      --ipc-socket=PATH user-mode data path socket (default %s)\n"
		"      --lock-file=PATH  pid/lock file (default %s, or $KSMBD_LOCK_FILE)\n"
		"      --data-path=PATH  user mode: the data path to start and supervise\n"
		"                        (default %s)\n"
		"      --no-data-path    user mode: start none; one connects to the socket\n"
		"\n"
		"SIGHUP reloads the configuration and users; SIGTERM stops.\n"
		"Exit status: 0 success, 1 failure.\n",
		prog, prog, prog, DEFAULT_CONF, DEFAULT_PWDDB, DEFAULT_SOCKET,
		DEFAULT_LOCK, DEFAULT_DATA_PATH);
}

enum {
	OPT_CHECK = 256,
	OPT_IPC_SOCKET,
	OPT_LOCK_FILE,
	OPT_DATA_PATH,
	OPT_NO_DATA_PATH,
};

static const struct option long_options[] = {
	{ "port", required_argument, NULL, 'p' },
	{ "nodetach", optional_argument, NULL, 'n' },
	{ "config", required_argument, NULL, 'C' },
	{ "pwddb", required_argument, NULL, 'P' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "ipc-socket", required_argument, NULL, OPT_IPC_SOCKET },
	{ "lock-file", required_argument, NULL, OPT_LOCK_FILE },
	{ "data-path", required_argument, NULL, OPT_DATA_PATH },
	{ "no-data-path", no_argument, NULL, OPT_NO_DATA_PATH },
	{ NULL, 0, NULL, 0 },
};

static int parse_port(const char *s, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > 65535)
		return -1;
	*out = v;
	return 0;
}

/* Returns -1 to exit 1, 1 to exit 0 (help, version), 0 to run. */
static int parse_options(int argc, char **argv, struct options *o)
{
	const char *env = getenv("KSMBD_LOCK_FILE");
	int c;

	o->conf = DEFAULT_CONF;
	o->pwddb = DEFAULT_PWDDB;
	o->lock_file = env && env[0] ? env : DEFAULT_LOCK;
	o->ipc_socket = DEFAULT_SOCKET;
	o->data_path = DEFAULT_DATA_PATH;
	while ((c = getopt_long(argc, argv, "p:n::C:P:vVh", long_options,
				NULL)) != -1) {
		switch (c) {
		case 'p':
			if (parse_port(optarg, &o->port)) {
				fprintf(stderr, "%s: bad port '%s' (1-65535)\n",
					prog, optarg);
				return -1;
			}
			break;
		case 'n':
			if (optarg && strcmp(optarg, "0") && strcmp(optarg, "1")) {
				fprintf(stderr, "%s: -n takes 0 or 1, not '%s'\n",
					prog, optarg);
				return -1;
			}
			o->foreground = !optarg || strcmp(optarg, "1") == 0;
			break;
		case 'C':
			o->conf = optarg;
			break;
		case 'P':
			o->pwddb = optarg;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'V':
			printf("%s (smbd-ng) %s\n", prog, PACKAGE_VERSION);
			return 1;
		case 'h':
			usage(stdout);
			return 1;
		case OPT_CHECK:
			o->check = true;
			break;
		case OPT_IPC_SOCKET:
			o->ipc_socket = optarg;
			break;
		case OPT_LOCK_FILE:
			o->lock_file = optarg;
			break;
		case OPT_DATA_PATH:
			o->data_path = optarg;
			o->data_path_given = true;
			break;
		case OPT_NO_DATA_PATH:
			o->no_data_path = true;
			break;
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", prog,
			argv[optind]);
		usage(stderr);
		return -1;
	}
	if (o->no_data_path && o->data_path_given) {
		fprintf(stderr, "%s: --data-path and --no-data-path exclude each other\n",
			prog);
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* configuration and users */

static void config_warning(const char *msg, void *priv)
{
	(void)priv;
	pr_warn("%s", msg);
}

static struct smbd_config *load_config(const struct options *o)
{
	struct smbd_config_diag diag = { .warning = config_warning };
	struct smbd_config *cfg = smbd_config_load(o->conf, &diag);

	if (!cfg)
		pr_err("%s", diag.error ? diag.error : "cannot load the configuration");
	else if (o->port)
		cfg->global.tcp_port = (uint32_t)o->port;
	smbd_config_diag_free(&diag);
	return cfg;
}

static void userdb_report(void *priv, const char *path, unsigned int line,
			  const char *why)
{
	(void)priv;
	pr_warn("%s:%u: %s; line skipped", path, line, why);
}

/* A missing database means no users (guests only), not an error. */
static struct userdb *load_users(const struct options *o)
{
	struct userdb *db = userdb_new(NULL);
	int rc;

	if (!db)
		return NULL;
	db->report = userdb_report;
	rc = userdb_load(db, o->pwddb);
	if (rc == -ENOENT) {
		pr_warn("%s does not exist: no users, guest sessions only",
			o->pwddb);
		return db;
	}
	if (rc) {
		pr_err("cannot read %s: %s", o->pwddb, strerror(-rc));
		talloc_free(db);
		return NULL;
	}
	pr_info("%zu users loaded from %s", db->count, o->pwddb);
	return db;
}

/* Which transport: true for kernel mode. -1 when none can be used. */
static int choose_mode(const struct smbd_config *cfg)
{
	int id;

	switch (cfg->global.server_mode) {
	case SMBD_SERVER_MODE_KERNEL:
		pr_info("server mode = kernel");
		return 1;
	case SMBD_SERVER_MODE_AUTO:
		id = ipc_genl_resolve();
		if (id > 0) {
			pr_info("server mode = auto: %s is registered (id %d), using kernel mode",
				IPC_GENL_FAMILY_NAME, id);
			return 1;
		}
		pr_info("server mode = auto: no %s family (%s), using user mode",
			IPC_GENL_FAMILY_NAME, strerror(-id));
		return 0;
	default:
		pr_info("server mode = user");
		return 0;
	}
}

static void reload(struct daemon_state *ds)
{
	struct smbd_config *cfg = load_config(ds->opt);
	struct userdb *db = load_users(ds->opt);
	unsigned int changed;

	if (!cfg)
		pr_err("reload: keeping the old configuration");
	else if (ds->genl)
		pr_info("reload: kernel mode; [global] settings take effect when the daemon restarts");
	else if (ds->sv && cfg->global.tcp_port != ds->dp_port)
		pr_warn("reload: tcp port %u takes effect when the daemon restarts; the data path keeps port %u",
			cfg->global.tcp_port, ds->dp_port);
	if (!db)
		pr_err("reload: keeping the old users");
	changed = handlers_reload(ds->handlers, cfg, db);
	pr_info("reloaded %s%s; %u shares changed", cfg ? "the configuration" : "",
		db ? (cfg ? " and the users" : "the users") : "", changed);
}

/* ---------------------------------------------------------------------- */
/* pid/lock file and daemonizing */

/*
 * A prefix install has no PREFIX/var/run until something makes it (and a
 * fresh tmpfs /run may lack a subdirectory): create the directories above
 * the lock file (mode 0755), as the pid file's natural owner.
 */
static int open_lock_file(const char *path)
{
	char dir[PATH_MAX];
	char *p;
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (fd >= 0 || errno != ENOENT || strlen(path) >= sizeof(dir))
		return fd;
	strcpy(dir, path);
	for (p = strchr(dir + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
}

static int take_lock(const char *path)
{
	int fd = open_lock_file(path);
	char text[32];
	ssize_t n;

	if (fd < 0) {
		pr_err("cannot open the lock file %s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return fd;
	if (errno == EWOULDBLOCK) {
		n = pread(fd, text, sizeof(text) - 1, 0);
		text[n > 0 ? n : 0] = '\0';
		text[strcspn(text, "\n")] = '\0';
		pr_err("another ksmbd.mountd is running (pid %s, lock %s)",
		       text[0] ? text : "?", path);
	} else {
		pr_err("cannot lock %s: %s", path, strerror(errno));
	}
	close(fd);
	return -1;
}

static int write_pid(int fd, const char *path)
{
	char text[32];
	int len = snprintf(text, sizeof(text), "%ld\n", (long)getpid());

	if (ftruncate(fd, 0) || pwrite(fd, text, (size_t)len, 0) != len) {
		pr_err("cannot write the pid to %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Fork; the parent waits until the child says it is ready (one 0 byte on
 * the pipe) so that its exit status tells the truth, then exits. Returns
 * the pipe's write end in the child, -1 on error.
 */
static int daemonize(void)
{
	int pfd[2], null_fd;
	pid_t pid;
	char ok = 1;

	if (pipe2(pfd, O_CLOEXEC)) {
		pr_err("pipe: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		pr_err("fork: %s", strerror(errno));
		return -1;
	}
	if (pid > 0) {
		close(pfd[1]);
		if (read(pfd[0], &ok, 1) != 1 || ok != 0) {
			fprintf(stderr, "%s: the daemon did not start; see the system log\n",
				prog);
			_exit(1);
		}
		_exit(0);
	}
	close(pfd[0]);
	setsid();
	if (chdir("/"))
		pr_warn("chdir /: %s", strerror(errno));
	log_init(prog, LOG_TO_SYSLOG, log_get_level());
	null_fd = open("/dev/null", O_RDWR);
	if (null_fd >= 0) {
		dup2(null_fd, STDIN_FILENO);
		dup2(null_fd, STDOUT_FILENO);
		dup2(null_fd, STDERR_FILENO);
		if (null_fd > STDERR_FILENO)
			close(null_fd);
	}
	return pfd[1];
}

static void tell_parent(int *ready_fd)
{
	char ok = 0;

	if (*ready_fd < 0)
		return;
	if (write(*ready_fd, &ok, 1) != 1)
		pr_warn("cannot tell the parent we are ready: %s", strerror(errno));
	close(*ready_fd);
	*ready_fd = -1;
}

/* ---------------------------------------------------------------------- */
/* the event loop */

static void data_path_gone(void *priv)
{
	struct daemon_state *ds = priv;

	ds->stop = true;
}

static void on_signal(struct tevent_context *ev, struct tevent_signal *se,
		      int signum, int count, void *siginfo, void *private_data)
{
	struct daemon_state *ds = private_data;

	(void)ev;
	(void)se;
	(void)count;
	(void)siginfo;
	if (signum == SIGHUP) {
		pr_info("SIGHUP: reloading");
		reload(ds);
		/* a running data path keeps its clients; a stopped one starts */
		if (ds->sv && !ds->stopping)
			supervisor_kick(ds->sv);
		return;
	}
	if (ds->stopping) {
		pr_info("%s: already shutting down", strsignal(signum));
		return;
	}
	pr_info("%s: shutting down", signum == SIGTERM ? "SIGTERM" : "SIGINT");
	ds->stopping = true;
	/* the loop keeps answering the data path's upcalls while it stops */
	if (ds->sv)
		supervisor_stop(ds->sv, data_path_gone, ds);
	else
		ds->stop = true;
}

static int add_signals(struct daemon_state *ds)
{
	static const int sigs[] = { SIGHUP, SIGTERM, SIGINT };
	size_t i;

	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		if (!tevent_add_signal(ds->ev, ds->ev, sigs[i], 0, on_signal,
				       ds)) {
			pr_err("cannot handle signal %d", sigs[i]);
			return -1;
		}
	}
	return 0;
}

static int start_user_mode(struct daemon_state *ds, struct smbd_config *cfg,
			   struct userdb *db)
{
	ds->handlers = handlers_new(NULL, cfg, db);
	if (!ds->handlers)
		return -1;
	ds->ipc = ipc_new(NULL, ds->handlers);
	if (!ds->ipc)
		return -1;
	ds->sock = ipc_sock_listen(NULL, ds->ev, ds->ipc, ds->opt->ipc_socket);
	return ds->sock ? 0 : -1;
}

/* ksmbd.subauth next to the configuration file, as ksmbd-tools keeps it */
static void load_subauth(const char *conf, struct subauth *sa)
{
	const char *slash = strrchr(conf, '/');
	char path[4096];
	int rc;

	snprintf(path, sizeof(path), "%.*s/ksmbd.subauth",
		 slash ? (int)(slash - conf) : 1, slash ? conf : ".");
	rc = subauth_load_or_create(path, sa, NULL);
	if (!rc)
		return;
	pr_warn("%s: %s; using a domain SID that lasts until the daemon stops",
		path, strerror(-rc));
	if (subauth_generate(sa))
		memset(sa, 0, sizeof(*sa));
}

static int start_kernel_mode(struct daemon_state *ds, struct smbd_config *cfg,
			     struct userdb *db)
{
	struct subauth sa;

	load_subauth(ds->opt->conf, &sa);
	ds->handlers = handlers_new(NULL, cfg, db);
	if (!ds->handlers)
		return -1;
	ds->ipc = ipc_new(NULL, ds->handlers);
	if (!ds->ipc)
		return -1;
	ds->genl = ipc_genl_start(NULL, ds->ev, ds->ipc, &cfg->global, &sa);
	return ds->genl ? 0 : -1;
}

static void stop_daemon(struct daemon_state *ds)
{
	/*
	 * The child first (only error paths find it still alive), then the
	 * peers: they tell the handlers they are gone.
	 */
	TALLOC_FREE(ds->sv);
	TALLOC_FREE(ds->sock);
	TALLOC_FREE(ds->genl);
	TALLOC_FREE(ds->ipc);
	TALLOC_FREE(ds->handlers);
	TALLOC_FREE(ds->ev);
	if (ds->lock_fd >= 0) {
		unlink(ds->opt->lock_file);
		close(ds->lock_fd);
		ds->lock_fd = -1;
	}
}

/* sc: the data path to supervise, NULL for none */
static int run(const struct options *o, struct smbd_config *cfg,
	       struct userdb *db, bool kernel_mode,
	       const struct supervise_cfg *sc)
{
	struct daemon_state ds = { .opt = o, .lock_fd = -1 };
	int ready_fd = -1, rc = 1;

	/* lock before forking so that a second daemon fails on the terminal */
	ds.lock_fd = take_lock(o->lock_file);
	if (ds.lock_fd < 0)
		goto free_inputs;
	if (!o->foreground) {
		ready_fd = daemonize();
		if (ready_fd < 0)
			goto free_inputs;
	} else {
		setpgid(0, 0);	/* fails harmlessly if already a leader */
	}
	if (write_pid(ds.lock_fd, o->lock_file))
		goto free_inputs;
	ds.ev = tevent_context_init(NULL);
	if (!ds.ev || add_signals(&ds))
		goto free_inputs;
	rc = kernel_mode ? start_kernel_mode(&ds, cfg, db) :
			   start_user_mode(&ds, cfg, db);
	cfg = NULL;		/* the handlers own them (on failure we exit) */
	db = NULL;
	if (rc) {
		rc = 1;
		goto out;
	}
	if (sc) {
		/* after the socket exists: the child connects to it first thing */
		ds.sv = supervisor_start(NULL, ds.ev, sc);
		ds.dp_port = sc->port;
		if (!ds.sv) {
			rc = 1;
			goto out;
		}
	}
	pr_info("ksmbd.mountd %s started (pid %ld)", PACKAGE_VERSION,
		(long)getpid());
	tell_parent(&ready_fd);
	while (!ds.stop) {
		if (tevent_loop_once(ds.ev)) {
			pr_err("event loop: %s", strerror(errno));
			rc = 1;
			goto out;
		}
	}
	rc = 0;
out:
	stop_daemon(&ds);
	if (ready_fd >= 0)
		close(ready_fd);
	pr_info("stopped");
	return rc;
free_inputs:
	if (cfg)
		smbd_config_free(cfg);
	talloc_free(db);
	stop_daemon(&ds);
	if (ready_fd >= 0)
		close(ready_fd);
	return 1;
}

/*
 * User mode: what to start, checked before the daemon detaches so that
 * mistakes show on the terminal. sc->path stays NULL for no data path:
 * --no-data-path, or the default binary is not installed (the tests and
 * developers then run one by hand). -1 on error.
 */
static int data_path_cfg(const struct options *o, const struct smbd_config *cfg,
			 struct supervise_cfg *sc, char *addr, size_t cap)
{
	if (o->no_data_path) {
		pr_info("--no-data-path: waiting for a data path to connect to %s",
			o->ipc_socket);
		return 0;
	}
	if (access(o->data_path, X_OK)) {
		if (o->data_path_given) {
			pr_err("--data-path %s: %s", o->data_path, strerror(errno));
			return -1;
		}
		pr_warn("no data path at %s (%s): not starting one; connect one to %s (see --data-path)",
			o->data_path, strerror(errno), o->ipc_socket);
		return 0;
	}
	if (supervise_listen_addr(&cfg->global, addr, cap))
		return -1;
	/* absolute: the daemon runs in / and restarts it from there */
	sc->path = realpath(o->data_path, NULL);
	if (!sc->path) {
		pr_err("%s: %s", o->data_path, strerror(errno));
		return -1;
	}
	sc->ipc_socket = o->ipc_socket;
	sc->addr = addr;
	sc->port = cfg->global.tcp_port;
	/* the same settings the kernel module gets in STARTING_UP */
	sc->global_flags = smbd_global_flags(&cfg->global);
	sc->log_output = !o->foreground;
	return 0;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct supervise_cfg sc = { 0 };
	char addr[SUPERVISE_ADDR_MAX];
	struct smbd_config *cfg;
	struct userdb *db;
	int kernel_mode;
	int rc = parse_options(argc, argv, &o);

	if (rc)
		return rc < 0 ? 1 : 0;
	log_init(prog, LOG_TO_STDERR, o.verbose ? LOG_DEBUG : LOG_INFO);
	if (o.check)
		log_set_level(LOG_WARNING);

	cfg = load_config(&o);
	if (!cfg)
		return 1;
	if (o.check) {
		rc = smbd_config_print(cfg, stdout) || fflush(stdout) ? 1 : 0;
		smbd_config_free(cfg);
		return rc;
	}
	kernel_mode = choose_mode(cfg);
	if (kernel_mode != 1 && data_path_cfg(&o, cfg, &sc, addr, sizeof(addr))) {
		smbd_config_free(cfg);
		return 1;
	}
	db = load_users(&o);
	if (!db) {
		smbd_config_free(cfg);
		free((char *)sc.path);
		return 1;
	}
	rc = run(&o, cfg, db, kernel_mode == 1, sc.path ? &sc : NULL);
	free((char *)sc.path);	/* realpath()'s */
	return rc;
}
