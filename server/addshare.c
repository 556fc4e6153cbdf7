// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ksmbd.addshare: add, update or delete a share in ksmbd.conf, then tell a
 * running ksmbd.mountd to reload.
 *
 * The file is edited as text, so that comments, blank lines, the order of
 * sections and the spelling of untouched parameters survive. The edited
 * text is loaded with the daemon's own parser before anything is written:
 * if it does not load, or if a line this tool wrote draws a warning (an
 * unknown parameter, a global one in a share, a share without a path), the
 * file is left as it was.
 *
 * Exit status: 0 done, 1 usage or bad input, 2 the share already exists
 * (add) or does not exist (update, delete), 3 the configuration could not
 * be read, parsed or written.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <talloc.h>

#include "config.h"
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

#define DEFAULT_CONF	SYSCONFDIR "/ksmbd/ksmbd.conf"
/* ksmbd.mountd's pid file; the daemon holds a lock on it while running. */
#define DEFAULT_LOCK	RUNSTATEDIR "/ksmbd.lock"	/* daemon_lock_path() */
/* The parser refuses bigger files; this is only a sanity bound. */
#define CONF_READ_MAX	(16u << 20)
#define CONF_NEW_MODE	0644

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

enum exit_code {
	EXIT_OK = 0,
	EXIT_USAGE = 1,
	EXIT_SHARE = 2,
	EXIT_IO = 3,
};

enum action { ACT_NONE, ACT_ADD, ACT_UPDATE, ACT_DELETE };

/* One -o "key = value", split and trimmed. */
struct option_kv {
	char *key;
	char *value;
};

struct options {
	enum action action;
	const char *share;
	const char *conf;
	struct option_kv *opts;		/* talloc array */
	size_t nr_opts;
	bool verbose;
};

static const char *prog = "ksmbd.addshare";

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s {-a SHARE | -u SHARE} -o \"KEY = VALUE\" [-o ...] [-C CONF] [-v]\n"
		"       %s -d SHARE [-C CONF] [-v]\n"
		"       %s {-V | -h}\n"
		"\n"
		"  -a SHARE   add SHARE (it must not exist yet)\n"
		"  -u SHARE   set parameters of the existing SHARE\n"
		"  -d SHARE   delete SHARE\n"
		"  -o OPTION  a share parameter, \"KEY = VALUE\"; may be repeated\n"
		"  -C CONF    configuration file (default %s)\n"
		"  -P PWDDB   accepted for compatibility, not needed\n"
		"  -v         say more\n"
		"  -V         print the version\n"
		"  -h         this help\n"
		"\n"
		"Share names are 1-%d bytes of UTF-8 without '[' or ']'; \"global\" and\n"
		"\"IPC$\" are reserved. Comments and other sections are kept. Nothing is\n"
		"written unless the result loads cleanly. A running ksmbd.mountd (pid in\n"
		"%s, or $KSMBD_LOCK_FILE) is sent SIGHUP to reload.\n"
		"Exit status: 0 done, 1 usage, 2 share exists / does not exist, 3 I/O error.\n",
		prog, prog, prog, DEFAULT_CONF, SMBD_SHARE_NAME_MAX, DEFAULT_LOCK);
}

/* ----------------------------------------------------------------------
 * Small string helpers (the parser's rules for names and blanks)
 * ---------------------------------------------------------------------- */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Trim blanks in place; returns the start. */
static char *trim(char *s)
{
	char *end;

	while (is_blank(*s))
		s++;
	end = s + strlen(s);
	while (end > s && is_blank(end[-1]))
		end--;
	*end = '\0';
	return s;
}

/* Collapse runs of blanks to one space. */
static void squeeze_blanks(char *s)
{
	char *out = s;
	bool blank = false;

	for (; *s; s++) {
		if (is_blank(*s)) {
			blank = true;
			continue;
		}
		if (blank)
			*out++ = ' ';
		blank = false;
		*out++ = *s;
	}
	*out = '\0';
}

/* ----------------------------------------------------------------------
 * The file as lines, and the statements they hold
 * ---------------------------------------------------------------------- */

struct line {
	char *text;		/* without '\n', with a '\r' if it had one */
	bool ours;		/* written by this run */
};

struct conf_text {
	struct line *lines;	/* talloc array */
	size_t count;
	bool crlf;		/* new lines get a '\r' too */
};

enum stmt_kind { ST_BLANK, ST_COMMENT, ST_SECTION, ST_PARAM, ST_OTHER };

/* One logical line: physical lines [first, last]. */
struct stmt {
	enum stmt_kind kind;
	size_t first, last;
	char *name;		/* section name or parameter name */
	bool in_share;		/* see mark_share() */
};

static int split_lines(TALLOC_CTX *mem, const char *buf, size_t len,
		       struct conf_text *ct)
{
	const char *pos = buf, *end = buf + len;
	size_t n = 0;

	ct->lines = talloc_array(mem, struct line, 0);
	while (ct->lines && pos < end) {
		const char *nl = memchr(pos, '\n', (size_t)(end - pos));
		size_t plen = nl ? (size_t)(nl - pos) : (size_t)(end - pos);
		struct line *grown;

		grown = talloc_realloc(mem, ct->lines, struct line, n + 1);
		if (!grown)
			return -ENOMEM;
		ct->lines = grown;
		ct->lines[n].text = talloc_strndup(ct->lines, pos, plen);
		ct->lines[n].ours = false;
		if (!ct->lines[n].text)
			return -ENOMEM;
		if (n == 0)
			ct->crlf = plen && pos[plen - 1] == '\r';
		n++;
		pos = nl ? nl + 1 : end;
	}
	if (!ct->lines)
		return -ENOMEM;
	ct->count = n;
	return 0;
}

/*
 * Where the comment of a physical line starts, or NULL. As in the parser:
 * in a section line, only after the closing bracket.
 */
static const char *comment_start(const char *s)
{
	while (is_blank(*s))
		s++;
	if (*s == '[') {
		const char *close = strchr(s, ']');

		if (close)
			s = close;
	}
	for (; *s; s++)
		if (*s == ';' || *s == '#')
			return s;
	return NULL;
}

/* The physical line without its '\r' and comment, in a new string. */
static char *line_content(TALLOC_CTX *mem, const char *text, bool *cont)
{
	size_t len = strlen(text);
	const char *cut;
	char *s;

	if (len && text[len - 1] == '\r')
		len--;
	s = talloc_strndup(mem, text, len);
	if (!s)
		return NULL;
	*cont = false;
	cut = comment_start(s);
	if (cut) {
		s[cut - s] = '\0';
	} else {
		char *e = s + strlen(s);

		while (e > s && is_blank(e[-1]))
			e--;
		if (e > s && e[-1] == '\\') {
			e[-1] = '\0';
			*cont = true;
		}
	}
	return s;
}

static enum stmt_kind classify(char *logical, bool had_comment, char **name)
{
	char *s = trim(logical), *close, *eq;

	*name = NULL;
	if (!*s)
		return had_comment ? ST_COMMENT : ST_BLANK;
	if (*s == '[') {
		close = strchr(s, ']');
		if (!close)
			return ST_OTHER;
		*close = '\0';
		*name = trim(s + 1);
		return ST_SECTION;
	}
	eq = strchr(s, '=');
	if (!eq)
		return ST_OTHER;
	*eq = '\0';
	*name = trim(s);
	squeeze_blanks(*name);
	return ST_PARAM;
}

/* Scan @ct into logical statements (a talloc array of *nr). */
static struct stmt *scan(TALLOC_CTX *mem, const struct conf_text *ct,
			 size_t *nr)
{
	struct stmt *st = talloc_array(mem, struct stmt, ct->count + 1);
	size_t i = 0, n = 0;

	if (!st)
		return NULL;
	while (i < ct->count) {
		char *logical = talloc_strdup(st, "");
		bool cont = true, commented = false;
		size_t first = i;
		char *name;

		while (logical && cont && i < ct->count) {
			char *part = line_content(st, ct->lines[i].text, &cont);

			if (!part)
				goto nomem;
			if (comment_start(ct->lines[i].text))
				commented = true;
			logical = talloc_strdup_append(logical, part);
			talloc_free(part);
			i++;
		}
		if (!logical)
			goto nomem;
		st[n].kind = classify(logical, commented, &name);
		st[n].first = first;
		st[n].last = i - 1;
		st[n].name = name;
		n++;
	}
	*nr = n;
	return st;
nomem:
	talloc_free(st);
	return NULL;
}

/* Insert @text as line @at (0..count). */
static int insert_line(struct conf_text *ct, size_t at, const char *text)
{
	struct line *grown;

	grown = talloc_realloc(NULL, ct->lines, struct line, ct->count + 1);
	if (!grown)
		return -ENOMEM;
	ct->lines = grown;
	memmove(&ct->lines[at + 1], &ct->lines[at],
		(ct->count - at) * sizeof(ct->lines[0]));
	ct->lines[at].text = talloc_asprintf(ct->lines, "%s%s", text,
					     ct->crlf ? "\r" : "");
	ct->lines[at].ours = true;
	ct->count++;
	return ct->lines[at].text ? 0 : -ENOMEM;
}

/* Remove lines [first, last]. */
static void remove_lines(struct conf_text *ct, size_t first, size_t last)
{
	size_t n = last - first + 1, i;

	for (i = first; i <= last; i++)
		talloc_free(ct->lines[i].text);
	memmove(&ct->lines[first], &ct->lines[last + 1],
		(ct->count - last - 1) * sizeof(ct->lines[0]));
	ct->count -= n;
}

static char *join_lines(TALLOC_CTX *mem, const struct conf_text *ct,
			size_t *len)
{
	char *out = talloc_strdup(mem, "");
	size_t i;

	for (i = 0; out && i < ct->count; i++)
		out = talloc_asprintf_append_buffer(out, "%s\n",
						    ct->lines[i].text);
	if (out)
		*len = strlen(out);
	return out;
}

/* ----------------------------------------------------------------------
 * The edits
 * ---------------------------------------------------------------------- */

static bool is_share(const struct stmt *s, const char *share)
{
	return s->kind == ST_SECTION && !strcasecmp(s->name, share);
}

static bool share_exists(const struct stmt *st, size_t nr, const char *share)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if (is_share(&st[i], share))
			return true;
	return false;
}

/* Which statements belong to a section of @share (its header included). */
static void mark_share(struct stmt *st, size_t nr, const char *share)
{
	bool inside = false;
	size_t i;

	for (i = 0; i < nr; i++) {
		if (st[i].kind == ST_SECTION)
			inside = is_share(&st[i], share);
		st[i].in_share = inside;
	}
}

/*
 * Replace statement @s by "KEY = VALUE", keeping the indentation of its
 * first line and the comment of its last.
 */
static int rewrite_param(struct conf_text *ct, const struct stmt *s,
			 const struct option_kv *kv)
{
	const char *last = ct->lines[s->last].text;
	const char *comment = comment_start(last);
	size_t indent = 0, clen = 0;
	char *text;
	int ret;

	while (is_blank(ct->lines[s->first].text[indent]))
		indent++;
	if (comment) {
		clen = strlen(comment);
		if (clen && comment[clen - 1] == '\r')
			clen--;
	}
	text = talloc_asprintf(NULL, "%.*s%s = %s%s%.*s", (int)indent,
			       ct->lines[s->first].text, kv->key, kv->value,
			       comment ? " " : "", (int)clen,
			       comment ? comment : "");
	if (!text)
		return -ENOMEM;
	remove_lines(ct, s->first, s->last);
	ret = insert_line(ct, s->first, text);
	talloc_free(text);
	return ret;
}

/*
 * Set @kv in @share. The last line for the same parameter (under any of
 * its names) in the share's sections is the one in effect: it is rewritten
 * in place, and the earlier ones, which no longer mean anything, are
 * removed. Without one, a line is added after the last statement of the
 * share's last section.
 */
static int set_param(struct conf_text *ct, const char *share,
		     const struct option_kv *kv)
{
	struct stmt *st;
	size_t nr, i, found = SIZE_MAX, tail = SIZE_MAX;
	char *text;
	int ret;

	st = scan(NULL, ct, &nr);
	if (!st)
		return -ENOMEM;
	mark_share(st, nr, share);
	for (i = 0; i < nr; i++) {
		if (!st[i].in_share)
			continue;
		if (st[i].kind == ST_SECTION || st[i].kind == ST_PARAM)
			tail = st[i].last;
		if (st[i].kind == ST_PARAM && smbd_config_same_param(st[i].name, kv->key))
			found = i;
	}
	if (tail == SIZE_MAX) {
		ret = -ENOENT;
	} else if (found == SIZE_MAX) {
		text = talloc_asprintf(st, "\t%s = %s", kv->key, kv->value);
		ret = text ? insert_line(ct, tail + 1, text) : -ENOMEM;
	} else {
		ret = rewrite_param(ct, &st[found], kv);
		/* Lines before `found` keep their numbers: go backwards. */
		for (i = found; !ret && i-- > 0;)
			if (st[i].in_share && st[i].kind == ST_PARAM &&
			    smbd_config_same_param(st[i].name, kv->key))
				remove_lines(ct, st[i].first, st[i].last);
	}
	talloc_free(st);
	return ret;
}

/*
 * Remove every section of @share. A section takes with it the comment
 * lines right above its header (they describe it) and leaves the comment
 * lines right above the next header (they describe that one). One run of
 * blank lines is kept between what was before and what comes after.
 */
static int delete_share(struct conf_text *ct, const char *share)
{
	struct stmt *st;
	size_t nr, h, first, end, stop, with_blanks;

	for (;;) {
		st = scan(NULL, ct, &nr);
		if (!st)
			return -ENOMEM;
		for (h = 0; h < nr && !is_share(&st[h], share); h++)
			;
		if (h == nr)
			break;
		first = h;
		while (first > 0 && st[first - 1].kind == ST_COMMENT)
			first--;
		for (end = h + 1; end < nr && st[end].kind != ST_SECTION; end++)
			;
		stop = end;
		if (end < nr) {
			while (stop > h + 1 && st[stop - 1].kind == ST_COMMENT)
				stop--;
			with_blanks = stop;
			while (stop > h + 1 && st[stop - 1].kind == ST_BLANK)
				stop--;
			if (first == 0 || st[first - 1].kind == ST_BLANK)
				stop = with_blanks;
		} else {
			while (first > 0 && st[first - 1].kind == ST_BLANK)
				first--;
		}
		remove_lines(ct, st[first].first, st[stop - 1].last);
		talloc_free(st);
	}
	talloc_free(st);
	return 0;
}

static int add_share(struct conf_text *ct, const char *share)
{
	char *header;
	int ret;

	if (ct->count && ct->lines[ct->count - 1].text[0] != '\0' &&
	    strcmp(ct->lines[ct->count - 1].text, "\r")) {
		ret = insert_line(ct, ct->count, "");
		if (ret)
			return ret;
	}
	header = talloc_asprintf(NULL, "[%s]", share);
	if (!header)
		return -ENOMEM;
	ret = insert_line(ct, ct->count, header);
	talloc_free(header);
	return ret;
}

/* ----------------------------------------------------------------------
 * Checking the result with the daemon's parser
 * ---------------------------------------------------------------------- */

/* The line number in "NAME:LINE: text", 0 if there is none. */
static unsigned long message_line(const char *msg, const char *name)
{
	size_t n = strlen(name);
	char *end;
	unsigned long line;

	if (strncmp(msg, name, n) || msg[n] != ':')
		return 0;
	line = strtoul(msg + n + 1, &end, 10);
	return *end == ':' ? line : 0;
}

static bool line_is_ours(const struct conf_text *ct, unsigned long line)
{
	return line && line <= ct->count && ct->lines[line - 1].ours;
}

/*
 * Load @buf as the daemon would. Returns EXIT_OK, EXIT_USAGE when a line
 * of ours is at fault, EXIT_IO when the file was broken already.
 */
static int validate(const struct conf_text *ct, const char *buf, size_t len,
		    const char *conf)
{
	struct smbd_config_diag diag = { 0 };
	struct smbd_config *cfg;
	int code = EXIT_OK;
	size_t i;

	cfg = smbd_config_load_buffer(conf, buf, len, &diag);
	if (!cfg) {
		const char *err = diag.error ? diag.error : "cannot be loaded";

		if (line_is_ours(ct, message_line(err, conf))) {
			fprintf(stderr, "%s: refused: %s\n", prog, err);
			code = EXIT_USAGE;
		} else {
			fprintf(stderr, "%s: %s: fix this first: %s\n", prog,
				conf, err);
			code = EXIT_IO;
		}
		goto out;
	}
	for (i = 0; i < diag.nr_warnings; i++) {
		if (!line_is_ours(ct, message_line(diag.warnings[i], conf)))
			continue;
		fprintf(stderr, "%s: refused: %s\n", prog, diag.warnings[i]);
		if (strstr(diag.warnings[i], "has no path"))
			fprintf(stderr, "%s: give it one with -o \"path = DIR\"\n",
				prog);
		code = EXIT_USAGE;
	}
out:
	smbd_config_free(cfg);
	smbd_config_diag_free(&diag);
	return code;
}

/* ----------------------------------------------------------------------
 * Telling the daemon (the same rules as ksmbd.adduser)
 * ---------------------------------------------------------------------- */

/* After an edit, ksmbd.mountd reloads (daemon_lock.c says when it is told). */
static void notify_daemon(const struct options *o)
{
	daemon_reload(prog, o->verbose);
}

/* ----------------------------------------------------------------------
 * Reading, locking and writing the file
 * ---------------------------------------------------------------------- */

/* Create the file's directory if only its last component is missing. */
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

/*
 * Edit through a symbolic link rather than replace it; keep the mode.
 * Returns the path to write (talloc) and sets *mode.
 */
static char *target_path(TALLOC_CTX *mem, const char *conf, mode_t *mode)
{
	char resolved[PATH_MAX];
	struct stat st;

	*mode = CONF_NEW_MODE;
	if (stat(conf, &st))
		return talloc_strdup(mem, conf);
	*mode = st.st_mode & 07777;
	if (!realpath(conf, resolved))
		return talloc_strdup(mem, conf);
	return talloc_strdup(mem, resolved);
}

static int load_text(TALLOC_CTX *mem, const char *conf, struct conf_text *ct,
		     enum action action)
{
	char *buf = NULL;
	size_t len = 0;
	int ret = read_small_file(mem, conf, CONF_READ_MAX, &buf, &len);

	if (ret == -ENOENT && action == ACT_ADD) {
		buf = talloc_strdup(mem, "");	/* a first share makes the file */
		ret = buf ? 0 : -ENOMEM;
	}
	if (ret) {
		fprintf(stderr, "%s: cannot read %s: %s\n", prog, conf,
			ret == -EINVAL ? "not a regular file" :
			ret == -EFBIG ? "file too large" : strerror(-ret));
		return ret;
	}
	if (memchr(buf, '\0', len)) {
		fprintf(stderr, "%s: %s: contains a NUL byte\n", prog, conf);
		return -EINVAL;
	}
	return split_lines(mem, buf, len, ct);
}

/* ----------------------------------------------------------------------
 * The actions
 * ---------------------------------------------------------------------- */

static int edit(struct conf_text *ct, const struct options *o)
{
	struct stmt *st;
	size_t nr = 0, i;
	bool exists;
	int ret;

	st = scan(NULL, ct, &nr);
	if (!st)
		return -ENOMEM;
	exists = share_exists(st, nr, o->share);
	talloc_free(st);
	if (o->action == ACT_ADD ? exists : !exists) {
		fprintf(stderr, "%s: share '%s' %s\n", prog, o->share,
			exists ? "already exists" : "does not exist");
		return -EEXIST;
	}
	if (o->action == ACT_DELETE)
		return delete_share(ct, o->share);
	if (o->action == ACT_ADD) {
		ret = add_share(ct, o->share);
		if (ret)
			return ret;
	}
	for (i = 0; i < o->nr_opts; i++) {
		ret = set_param(ct, o->share, &o->opts[i]);
		if (ret)
			return ret;
	}
	return 0;
}

static int run(const struct options *o)
{
	TALLOC_CTX *mem = talloc_new(NULL);
	struct conf_text ct = { 0 };
	const char *done;
	char *out, *path;
	size_t len = 0;
	mode_t mode;
	int code = EXIT_IO, ret;
	int lock_fd = lock_file_for_edit(o->conf);

	if (!mem)
		goto out;
	path = target_path(mem, o->conf, &mode);
	if (!path || load_text(mem, o->conf, &ct, o->action))
		goto out;
	talloc_steal(mem, ct.lines);
	ret = edit(&ct, o);
	if (ret == -EEXIST) {
		code = EXIT_SHARE;
		goto out;
	}
	out = ret ? NULL : join_lines(mem, &ct, &len);
	if (!out) {
		fprintf(stderr, "%s: out of memory\n", prog);
		goto out;
	}
	code = validate(&ct, out, len, o->conf);
	if (code != EXIT_OK) {
		fprintf(stderr, "%s: %s not changed\n", prog, o->conf);
		goto out;
	}
	make_parent_dir(path);
	ret = write_file_atomic(path, out, len, mode, false);
	if (ret) {
		fprintf(stderr, "%s: cannot write %s: %s\n", prog, path,
			strerror(-ret));
		code = EXIT_IO;
		goto out;
	}
	done = o->action == ACT_ADD ? "added" :
	       o->action == ACT_UPDATE ? "updated" : "deleted";
	printf("%s: share '%s' %s\n", prog, o->share, done);
	notify_daemon(o);
out:
	if (lock_fd >= 0)
		close(lock_fd);
	talloc_free(mem);
	return code;
}

/* ----------------------------------------------------------------------
 * Command line
 * ---------------------------------------------------------------------- */

static bool has_control_char(const char *s)
{
	for (; *s; s++)
		if (((unsigned char)*s < 0x20 && *s != '\t') || *s == 0x7F)
			return true;
	return false;
}

/*
 * The name must read back as itself: the parser trims blanks and takes
 * the first ']' as the end, and "global" is not a share.
 */
static bool share_name_ok(const char *name)
{
	struct smbd_config_diag diag = { 0 };
	struct smbd_config *cfg;
	size_t len = strlen(name);
	char *text;
	bool ok = false;

	if (!len || is_blank(name[0]) || is_blank(name[len - 1]) ||
	    has_control_char(name)) {
		fprintf(stderr, "%s: share name '%s' is empty, has blanks at an end or control characters\n",
			prog, name);
		return false;
	}
	if (!strcasecmp(name, "global") || !strcasecmp(name, "ipc$")) {
		fprintf(stderr, "%s: '%s' is reserved, not a share to edit\n",
			prog, name);
		return false;
	}
	text = talloc_asprintf(NULL, "[%s]\n", name);
	if (!text)
		return false;
	cfg = smbd_config_load_buffer("share name", text, strlen(text), &diag);
	if (cfg) {
		ok = true;
	} else {
		const char *why = diag.error ? diag.error : "not accepted";

		if (!strncmp(why, "share name:1: ", 14))
			why += 14;
		fprintf(stderr, "%s: bad share name '%s': %s\n", prog, name,
			why);
	}
	smbd_config_free(cfg);
	smbd_config_diag_free(&diag);
	talloc_free(text);
	return ok;
}

/*
 * "key = value" -> key, value. What the parser would cut or join is
 * refused here: ';' and '#' start a comment, a trailing '\' continues
 * the line, and a key starting with '[' would be a section.
 */
static int add_option(struct options *o, const char *arg)
{
	struct option_kv *grown;
	char *copy, *eq, *key, *value;
	size_t vlen;

	if (has_control_char(arg) || strpbrk(arg, ";#")) {
		fprintf(stderr, "%s: -o '%s': ';', '#' and control characters cannot be written to ksmbd.conf\n",
			prog, arg);
		return -EINVAL;
	}
	copy = talloc_strdup(o->opts, arg);
	if (!copy)
		return -ENOMEM;
	eq = strchr(copy, '=');
	if (!eq) {
		fprintf(stderr, "%s: -o '%s': expected \"KEY = VALUE\"\n",
			prog, arg);
		return -EINVAL;
	}
	*eq = '\0';
	key = trim(copy);
	value = trim(eq + 1);
	squeeze_blanks(key);
	vlen = strlen(value);
	if (!*key || *key == '[') {
		fprintf(stderr, "%s: -o '%s': missing or bad parameter name\n",
			prog, arg);
		return -EINVAL;
	}
	if (vlen && value[vlen - 1] == '\\') {
		fprintf(stderr, "%s: -o '%s': a value cannot end in '\\'\n",
			prog, arg);
		return -EINVAL;
	}
	grown = talloc_realloc(NULL, o->opts, struct option_kv, o->nr_opts + 1);
	if (!grown)
		return -ENOMEM;
	talloc_steal(grown, copy);
	o->opts = grown;
	o->opts[o->nr_opts].key = key;
	o->opts[o->nr_opts].value = value;
	o->nr_opts++;
	return 0;
}

static int set_action(struct options *o, enum action a, const char *share)
{
	if (o->action != ACT_NONE) {
		fprintf(stderr, "%s: give only one of -a, -u, -d\n", prog);
		return -EINVAL;
	}
	o->action = a;
	o->share = share;
	return 0;
}

static int check_args(const struct options *o)
{
	if (o->action == ACT_NONE) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!share_name_ok(o->share))
		return EXIT_USAGE;
	if (o->action == ACT_DELETE && o->nr_opts) {
		fprintf(stderr, "%s: -o makes no sense with -d\n", prog);
		return EXIT_USAGE;
	}
	if (o->action == ACT_UPDATE && !o->nr_opts) {
		fprintf(stderr, "%s: -u needs at least one -o \"KEY = VALUE\"\n",
			prog);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	int c;

	while ((c = getopt(argc, argv, "a:u:d:o:C:P:vVh")) != -1) {
		switch (c) {
		case 'a':
		case 'u':
		case 'd':
			if (set_action(o, c == 'a' ? ACT_ADD :
				       c == 'u' ? ACT_UPDATE : ACT_DELETE, optarg))
				return EXIT_USAGE;
			break;
		case 'o':
			if (add_option(o, optarg))
				return EXIT_USAGE;
			break;
		case 'C':
			o->conf = optarg;
			break;
		case 'P':
			break;
		case 'v':
			o->verbose = true;
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
	return check_args(o);
}

int main(int argc, char **argv)
{
	struct options o = { .conf = DEFAULT_CONF };
	int code;

	code = parse_args(argc, argv, &o);
	if (code < 0)
		code = EXIT_OK;		/* -V, -h */
	else if (code == EXIT_OK)
		code = run(&o);
	talloc_free(o.opts);
	return code;
}
