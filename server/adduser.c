// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ksmbd.adduser: add, update or delete a user in ksmbdpwd.db, then tell a
 * running ksmbd.mountd to reload.
 *
 * Exit status: 0 done, 1 usage or bad input, 2 the user already exists
 * (add) or does not exist (update, delete), 3 the database could not be
 * read or written.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "daemon_lock.h"
#include "userdb.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/usr/local/etc"
#endif
#ifndef RUNSTATEDIR
#define RUNSTATEDIR "/run"
#endif
#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

#define DEFAULT_PWDDB	SYSCONFDIR "/ksmbd/ksmbdpwd.db"
/* ksmbd.mountd's pid file; the daemon holds a lock on it while running. */
#define DEFAULT_LOCK	RUNSTATEDIR "/ksmbd.lock"	/* daemon_lock_path() */

enum exit_code {
	EXIT_OK = 0,
	EXIT_USAGE = 1,
	EXIT_USER = 2,
	EXIT_IO = 3,
};

enum action { ACT_NONE, ACT_ADD, ACT_UPDATE, ACT_DELETE };

struct options {
	enum action action;
	const char *user;
	char *password;		/* our own copy, wiped at exit */
	const char *pwddb;
	const char *conf;	/* accepted for compatibility, not needed */
	bool verbose;
};

static const char *prog = "ksmbd.adduser";

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s {-a USER | -u USER | -d USER} [-p PASS] [-P PWDDB] [-C CONF] [-v]\n"
		"       %s {-V | -h}\n"
		"\n"
		"  -a USER   add USER to the user database\n"
		"  -u USER   change the password of USER\n"
		"  -d USER   delete USER\n"
		"  -p PASS   the password; without it, it is asked on a terminal\n"
		"            (twice, not echoed) or read as one line from stdin\n"
		"  -P PWDDB  user database (default %s)\n"
		"  -C CONF   configuration file (accepted, not needed)\n"
		"  -v        say more\n"
		"  -V        print the version\n"
		"  -h        this help\n"
		"\n"
		"User names are 1-47 bytes of UTF-8 without ':'; passwords 0-128 bytes.\n"
		"A running ksmbd.mountd (pid in %s, or $KSMBD_LOCK_FILE)\n"
		"is sent SIGHUP to reload the users.\n"
		"Exit status: 0 done, 1 usage, 2 user exists / does not exist, 3 I/O error.\n",
		prog, prog, DEFAULT_PWDDB, DEFAULT_LOCK);
}

static void wipe_string(char *s)
{
	if (!s)
		return;
	memset(s, 0, strlen(s));
	__asm__ __volatile__("" : : "r"(s) : "memory");
}

/* ----------------------------------------------------------------------
 * Reading the password
 * ---------------------------------------------------------------------- */

static struct termios saved_termios;
static volatile sig_atomic_t echo_is_off;

/* Put the terminal back before dying of a signal while echo is off. */
static void restore_echo_and_die(int sig)
{
	if (echo_is_off)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_termios);
	signal(sig, SIG_DFL);
	raise(sig);
}

static int echo_off(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	struct termios quiet;
	size_t i;

	if (tcgetattr(STDIN_FILENO, &saved_termios))
		return -errno;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], restore_echo_and_die);
	quiet = saved_termios;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	quiet.c_lflag |= ECHONL;	/* still show the Enter key */
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet))
		return -errno;
	echo_is_off = 1;
	return 0;
}

static void echo_on(void)
{
	if (echo_is_off)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &saved_termios);
	echo_is_off = 0;
}

/*
 * Read one line from stdin into @buf (size USERDB_PASSWORD_MAX + 1),
 * without its CR/LF. -E2BIG if longer than a password may be (the rest of
 * the line is consumed), -ENODATA at end of input with nothing read.
 */
static int read_password_line(char *buf)
{
	size_t len = 0;
	bool too_long = false, any = false;
	int c;

	while ((c = getchar()) != EOF) {
		any = true;
		if (c == '\n')
			break;
		if (len < USERDB_PASSWORD_MAX + 1)
			buf[len++] = (char)c;
		else
			too_long = true;
	}
	if (len && buf[len - 1] == '\r')
		len--;
	if (len > USERDB_PASSWORD_MAX)
		too_long = true;
	buf[len < USERDB_PASSWORD_MAX ? len : USERDB_PASSWORD_MAX] = '\0';
	if (too_long)
		return -E2BIG;
	if (!any)
		return -ENODATA;
	if (memchr(buf, '\0', len))
		return -EINVAL;
	return 0;
}

/*
 * Echo goes off before the prompt is shown: turning it off flushes pending
 * input, which must not swallow (or have already echoed) what is typed in
 * answer to the prompt.
 */
static int prompt_password(const char *prompt, char *buf)
{
	int ret;

	ret = echo_off();
	if (!ret) {
		fputs(prompt, stderr);
		fflush(stderr);
		ret = read_password_line(buf);
	}
	echo_on();
	return ret;
}

/* The password from the terminal (asked twice) or from one line of stdin. */
static int get_password(struct options *o)
{
	char first[USERDB_PASSWORD_MAX + 2], second[USERDB_PASSWORD_MAX + 2];
	int ret;

	if (!isatty(STDIN_FILENO)) {
		ret = read_password_line(first);
	} else {
		char prompt[128];

		snprintf(prompt, sizeof(prompt), "New password for %s: ", o->user);
		ret = prompt_password(prompt, first);
		if (!ret)
			ret = prompt_password("Retype new password: ", second);
		if (!ret && strcmp(first, second))
			ret = -EBADMSG;
	}
	if (!ret) {
		o->password = strdup(first);
		if (!o->password)
			ret = -ENOMEM;
	}
	memset(first, 0, sizeof(first));
	memset(second, 0, sizeof(second));

	switch (ret) {
	case 0:
		return 0;
	case -E2BIG:
		fprintf(stderr, "%s: password longer than %d bytes\n", prog,
			USERDB_PASSWORD_MAX);
		break;
	case -ENODATA:
		fprintf(stderr, "%s: no password given on stdin\n", prog);
		break;
	case -EBADMSG:
		fprintf(stderr, "%s: passwords do not match\n", prog);
		break;
	default:
		fprintf(stderr, "%s: cannot read the password: %s\n", prog,
			strerror(-ret));
		break;
	}
	return ret;
}

/* ----------------------------------------------------------------------
 * Telling the daemon
 * ---------------------------------------------------------------------- */

/* After an edit, ksmbd.mountd reloads (daemon_lock.c says when it is told). */
static void notify_daemon(const struct options *o)
{
	daemon_reload(prog, o->verbose);
}

/* ----------------------------------------------------------------------
 * The actions
 * ---------------------------------------------------------------------- */

/* Create the database's directory if only its last component is missing. */
static void make_parent_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;

	if (!slash || slash == path)
		return;
	dir = strndup(path, (size_t)(slash - path));
	if (dir)
		(void)mkdir(dir, 0755);	/* failures show up when saving */
	free(dir);
}

static void report_line(void *priv, const char *path, unsigned int line,
			const char *why)
{
	(void)priv;
	fprintf(stderr, "%s: %s:%u: %s\n", prog, path, line, why);
}

static int load_db(struct userdb *db, const char *path)
{
	int ret = userdb_load(db, path);

	if (ret == -ENOENT)
		return 0;	/* a first user creates the file */
	if (ret) {
		fprintf(stderr, "%s: cannot read %s: %s\n", prog, path,
			strerror(-ret));
		return ret;
	}
	if (db->malformed)
		fprintf(stderr, "%s: warning: %u malformed line(s) in %s will be dropped\n",
			prog, db->malformed, path);
	return 0;
}

static int save_db(const struct userdb *db, const char *path)
{
	int ret;

	make_parent_dir(path);
	ret = userdb_save(db, path);
	if (ret)
		fprintf(stderr, "%s: cannot write %s: %s\n", prog, path,
			strerror(-ret));
	return ret;
}

static int run(struct options *o)
{
	struct userdb *db = userdb_new(NULL);
	const char *done = NULL;
	int ret, code = EXIT_OK;
	int lock_fd = lock_file_for_edit(o->pwddb);

	if (!db) {
		fprintf(stderr, "%s: out of memory\n", prog);
		if (lock_fd >= 0)
			close(lock_fd);
		return EXIT_IO;
	}
	db->report = report_line;
	if (load_db(db, o->pwddb)) {
		code = EXIT_IO;
		goto out;
	}

	switch (o->action) {
	case ACT_ADD:
		ret = userdb_add(db, o->user, o->password);
		done = "added";
		break;
	case ACT_UPDATE:
		ret = userdb_update(db, o->user, o->password);
		done = "updated";
		break;
	case ACT_DELETE:
	default:
		ret = userdb_delete(db, o->user);
		done = "deleted";
		break;
	}
	if (ret == -EEXIST || ret == -ENOENT) {
		fprintf(stderr, "%s: user '%s' %s\n", prog, o->user,
			ret == -EEXIST ? "already exists" : "does not exist");
		code = EXIT_USER;
		goto out;
	}
	if (ret) {
		fprintf(stderr, "%s: %s\n", prog, ret == -EINVAL ?
			"password is not valid UTF-8 or is too long" : strerror(-ret));
		code = ret == -EINVAL ? EXIT_USAGE : EXIT_IO;
		goto out;
	}
	if (save_db(db, o->pwddb)) {
		code = EXIT_IO;
		goto out;
	}
	printf("%s: user '%s' %s\n", prog, o->user, done);
	notify_daemon(o);
out:
	if (lock_fd >= 0)
		close(lock_fd);
	talloc_free(db);
	return code;
}

/* ----------------------------------------------------------------------
 * Command line
 * ---------------------------------------------------------------------- */

static int set_action(struct options *o, enum action a, const char *user)
{
	if (o->action != ACT_NONE) {
		fprintf(stderr, "%s: give only one of -a, -u, -d\n", prog);
		return -EINVAL;
	}
	o->action = a;
	o->user = user;
	return 0;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	int c;

	while ((c = getopt(argc, argv, "a:u:d:p:P:C:vVh")) != -1) {
		switch (c) {
		case 'a':
		case 'u':
		case 'd':
			if (set_action(o, c == 'a' ? ACT_ADD :
				       c == 'u' ? ACT_UPDATE : ACT_DELETE, optarg))
				return EXIT_USAGE;
			break;
		case 'p':
			free(o->password);
			o->password = strdup(optarg);
			if (!o->password)
				return EXIT_IO;
			/* Keep it out of ps(1) from now on. */
			wipe_string(optarg);
			break;
		case 'P':
			o->pwddb = optarg;
			break;
		case 'C':
			o->conf = optarg;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'V':
			printf("%s (smbd-ng) %s\n", prog, PACKAGE_VERSION);
			exit(EXIT_OK);
		case 'h':
			usage(stdout);
			exit(EXIT_OK);
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", prog, argv[optind]);
		return EXIT_USAGE;
	}
	if (o->action == ACT_NONE) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!userdb_name_valid(o->user)) {
		fprintf(stderr, "%s: '%s' is not a valid user name (1-%d bytes of UTF-8, no ':' or control characters)\n",
			prog, o->user, USERDB_NAME_MAX);
		return EXIT_USAGE;
	}
	if (o->action == ACT_DELETE && o->password) {
		fprintf(stderr, "%s: -p makes no sense with -d\n", prog);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	struct options o = { .pwddb = DEFAULT_PWDDB };
	int code;

	code = parse_args(argc, argv, &o);
	if (code == EXIT_OK && o.action != ACT_DELETE && !o.password &&
	    get_password(&o))
		code = EXIT_USAGE;
	if (code == EXIT_OK && o.password && !userdb_password_valid(o.password)) {
		fprintf(stderr, "%s: password must be 0-%d bytes of valid UTF-8\n",
			prog, USERDB_PASSWORD_MAX);
		code = EXIT_USAGE;
	}
	if (code == EXIT_OK)
		code = run(&o);
	wipe_string(o.password);
	free(o.password);
	return code;
}
