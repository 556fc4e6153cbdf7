// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Client names to paths beneath a share root.
 *
 * smbd_path_from_wire() is pure: it turns the UTF-16 name of a CREATE
 * (MS-SMB2 2.2.13, relative to the share, '\' separated) into the UTF-8,
 * '/' separated path os.h takes, refusing everything MS-FSCC 2.1.5 calls
 * an invalid name before any of it reaches the filesystem. The host's
 * confinement beneath the root (openat2 RESOLVE_BENEATH) is the second
 * wall, not the first.
 *
 * smbd_path_resolve() finds the on-disk spelling: Linux names are case
 * sensitive, SMB names are not. The exact name is tried first (one
 * lookup, the common case); only when it is missing is each component
 * looked up in turn, scanning the directory for a case-insensitive match
 * where the exact one fails.
 */
#include "smbd.h"

/* Longest name component: 255 UTF-16 units (MS-FSCC 2.1.5.2), and
 * 255 bytes on Linux filesystems. */
#define NAME_MAX_UNITS	255U
#define NAME_MAX_BYTES	255U

static u32 slen(const char *s)
{
	u32 n = 0;

	while (s[n])
		n++;
	return n;
}

/* -- from the wire ------------------------------------------------------ */

/* UTF-16 code units of a valid UTF-8 string of n bytes. */
static u32 utf16_units(const char *s, u32 n)
{
	u32 i, units = 0;

	for (i = 0; i < n; i++) {
		u8 b = (u8)s[i];

		if ((b & 0xC0) == 0x80)
			continue;	/* continuation byte */
		units += b >= 0xF0 ? 2 : 1;	/* beyond the BMP: a pair */
	}
	return units;
}

/* Characters MS-FSCC 2.1.5.2 forbids in a name; ':' is handled apart. */
static int bad_char(u8 c)
{
	return c < 0x20 || c == '"' || c == '*' || c == '/' || c == '<' ||
	       c == '>' || c == '?' || c == '|';
}

static int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int equal_nocase(const char *a, u32 n, const char *b)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (!b[i] || ascii_lower((u8)a[i]) != ascii_lower((u8)b[i]))
			return 0;
	return b[n] == '\0';
}

/*
 * A stream name in the last component, "base:stream[:type]". The
 * unnamed data stream ("base::$DATA") is the file itself: *keep is set
 * to the length of base. A named stream gets OBJECT_NAME_NOT_FOUND, as
 * Samba answers on a share without stream support; anything else with a
 * ':' is not a name at all.
 */
static u32 check_stream(const char *c, u32 n, u32 colon, u32 *keep)
{
	const char *rest = c + colon + 1;
	u32 rlen = n - colon - 1, i, stream_len = rlen;
	int typed = 0;

	if (colon == 0)
		return STATUS_OBJECT_NAME_INVALID;	/* no file name */
	for (i = 0; i < rlen; i++) {
		if (rest[i] != ':')
			continue;
		if (typed)
			return STATUS_OBJECT_NAME_INVALID;	/* a third ':' */
		typed = 1;
		stream_len = i;
	}
	if (typed && !equal_nocase(rest + stream_len + 1,
				   rlen - stream_len - 1, "$DATA"))
		return STATUS_OBJECT_NAME_INVALID;	/* an unknown type */
	if (stream_len == 0) {
		if (!typed)
			return STATUS_OBJECT_NAME_INVALID;	/* "base:" */
		*keep = colon;				/* "base::$DATA" */
		return STATUS_SUCCESS;
	}
	return STATUS_OBJECT_NAME_NOT_FOUND;
}

/* Check one component c of n bytes; *keep gets the bytes to keep. */
static u32 check_component(const char *c, u32 n, int last, u32 *keep)
{
	u32 i, colon = n;

	*keep = n;
	if (n == 0)
		return STATUS_OBJECT_NAME_INVALID;	/* "a\\b" */
	if ((n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
		return STATUS_OBJECT_NAME_INVALID;
	for (i = 0; i < n; i++) {
		if (bad_char((u8)c[i]))
			return STATUS_OBJECT_NAME_INVALID;
		if (c[i] == ':' && colon == n)
			colon = i;
	}
	if (utf16_units(c, n) > NAME_MAX_UNITS)
		return STATUS_OBJECT_NAME_INVALID;
	if (colon != n) {
		if (!last)
			return STATUS_OBJECT_NAME_INVALID;
		return check_stream(c, n, colon, keep);
	}
	/* Windows takes it, Linux cannot store it. */
	if (n > NAME_MAX_BYTES)
		return STATUS_NAME_TOO_LONG;
	return STATUS_SUCCESS;
}

/* Check and rewrite p (n bytes, NUL-terminated) in place: '\' to '/'. */
static u32 check_path(char *p, u32 n)
{
	u32 start = 0, end, keep;
	u32 status;

	if (n && p[n - 1] == '\\')
		p[--n] = '\0';		/* "dir\": the directory */
	if (n == 0)
		return STATUS_SUCCESS;
	for (;;) {
		for (end = start; end < n && p[end] != '\\'; end++)
			;
		status = check_component(p + start, end - start, end == n,
					 &keep);
		if (status)
			return status;
		if (end == n) {
			p[start + keep] = '\0';	/* a "::$DATA" suffix goes */
			return STATUS_SUCCESS;
		}
		p[end] = '/';
		start = end + 1;
	}
}

u32 smbd_path_from_wire(const u8 *name, u32 len, char **out)
{
	char *p;
	int n;
	u32 status;

	*out = NULL;
	if (len & 1)
		return STATUS_INVALID_PARAMETER;
	/* MS-SMB2 3.3.5.9: a name must not begin with a separator. */
	if (len >= 2 && wire_ld16(name) == '\\')
		return STATUS_INVALID_PARAMETER;
	p = os_alloc(SMBD_PATH_MAX);
	if (!p)
		return STATUS_INSUFFICIENT_RESOURCES;
	n = smbd_utf16_to_utf8(name, len, p, SMBD_PATH_MAX);
	if (n < 0) {
		os_free(p);
		return n == -OS_ENAMETOOLONG ? STATUS_NAME_TOO_LONG :
		       STATUS_OBJECT_NAME_INVALID;
	}
	status = check_path(p, (u32)n);
	if (status) {
		os_free(p);
		return status;
	}
	*out = p;
	return STATUS_SUCCESS;
}

/* -- on disk --------------------------------------------------------------- */

/* Looking for one name in a directory, case-insensitively. */
struct scan {
	const char *want;
	u32 want_len;
	char found[NAME_MAX_BYTES + 1];
	int hit;
};

static int scan_one(void *arg, const struct os_dirent *ent)
{
	struct scan *s = arg;

	if (ent->name_len == 0 || ent->name_len > NAME_MAX_BYTES)
		return 0;
	if (ent->name[0] == '.' && (ent->name_len == 1 ||
	    (ent->name_len == 2 && ent->name[1] == '.')))
		return 0;
	if (smbd_name_casecmp(ent->name, ent->name_len, s->want, s->want_len))
		return 0;
	os_memcpy(s->found, ent->name, ent->name_len);
	s->found[ent->name_len] = '\0';
	s->hit = 1;
	return 1;	/* the first match wins */
}

/*
 * Find want in directory dir (NULL: the root) case-insensitively; on a
 * match its spelling is in s->found. A directory we may not list has no
 * match we could know of.
 */
static int scan_dir(struct os_fs *fs, struct os_file *dir, struct scan *s)
{
	struct os_file *d;
	u64 pos = 0;
	int rc;

	rc = os_open(fs, dir, "", OS_O_READ | OS_O_DIR, 0, &d, NULL);
	if (rc)
		return 0;
	rc = os_readdir(d, &pos, scan_one, s);
	os_close(d);
	return rc == 0 && s->hit;
}

/* The resolved path so far: parents as spelled on disk. */
struct walk {
	struct os_fs *fs;
	struct os_file *dir;	/* the current directory; NULL: the root */
	char *real;
	u32 real_len;
	char comp[NAME_MAX_BYTES + 1];
};

static int walk_append(struct walk *wk, const char *c, u32 n)
{
	u32 sep = wk->real_len ? 1 : 0;

	if (wk->real_len + sep + n >= SMBD_PATH_MAX)
		return -1;
	if (sep)
		wk->real[wk->real_len++] = '/';
	os_memcpy(wk->real + wk->real_len, c, n);
	wk->real_len += n;
	wk->real[wk->real_len] = '\0';
	return 0;
}

/* Open component wk->comp beneath wk->dir: exactly, else by a scan. */
static u32 walk_one(struct walk *wk, u32 n, int last, struct os_file **next)
{
	u32 flags = last ? 0 : OS_O_DIR;
	struct scan s = { .want = wk->comp, .want_len = n };
	int rc;

	rc = os_open(wk->fs, wk->dir, wk->comp, flags, 0, next, NULL);
	if (rc == -OS_ENOENT && scan_dir(wk->fs, wk->dir, &s)) {
		n = slen(s.found);
		os_memcpy(wk->comp, s.found, n + 1);
		rc = os_open(wk->fs, wk->dir, wk->comp, flags, 0, next, NULL);
	}
	if (rc == -OS_ENOENT)
		return last ? STATUS_OBJECT_NAME_NOT_FOUND :
			      STATUS_OBJECT_PATH_NOT_FOUND;
	if (rc == -OS_ENOTDIR)
		return STATUS_OBJECT_PATH_NOT_FOUND;
	if (rc)
		return smbd_errno_to_status(rc);
	return STATUS_SUCCESS;
}

static u32 walk(struct walk *wk, const char *path, u32 len)
{
	u32 start = 0, end, n, status;
	struct os_file *next;
	int last;

	for (;;) {
		for (end = start; end < len && path[end] != '/'; end++)
			;
		n = end - start;
		last = end == len;
		if (n == 0 || n > NAME_MAX_BYTES)
			return STATUS_OBJECT_NAME_INVALID;
		os_memcpy(wk->comp, path + start, n);
		wk->comp[n] = '\0';
		next = NULL;
		status = walk_one(wk, n, last, &next);
		if (status == STATUS_SUCCESS || status == STATUS_OBJECT_NAME_NOT_FOUND)
			if (walk_append(wk, wk->comp, slen(wk->comp)))
				status = STATUS_NAME_TOO_LONG;
		if (status) {
			if (next)
				os_close(next);
			return status;
		}
		if (wk->dir)
			os_close(wk->dir);
		wk->dir = next;
		if (last)
			return STATUS_SUCCESS;
		start = end + 1;
	}
}

static char *dup_path(const char *p, u32 n)
{
	char *d = os_alloc(n + 1);

	if (d) {
		os_memcpy(d, p, n);
		d[n] = '\0';
	}
	return d;
}

u32 smbd_path_resolve(struct smbd_tree *t, const char *path, char **real)
{
	struct walk wk = { .fs = t->fs };
	struct os_file *f;
	u32 len, status;
	int rc;

	*real = NULL;
	if (!t->fs)
		return STATUS_INVALID_DEVICE_REQUEST;
	len = slen(path);
	if (len >= SMBD_PATH_MAX)
		return STATUS_NAME_TOO_LONG;
	rc = os_open(t->fs, NULL, path, 0, 0, &f, NULL);
	if (rc == 0) {
		os_close(f);
		*real = dup_path(path, len);
		return *real ? STATUS_SUCCESS : STATUS_INSUFFICIENT_RESOURCES;
	}
	if (rc != -OS_ENOENT && rc != -OS_ENOTDIR)
		return smbd_errno_to_status(rc);

	wk.real = os_alloc(SMBD_PATH_MAX);
	if (!wk.real)
		return STATUS_INSUFFICIENT_RESOURCES;
	wk.real[0] = '\0';
	status = walk(&wk, path, len);
	if (wk.dir)
		os_close(wk.dir);
	if (status == STATUS_SUCCESS || status == STATUS_OBJECT_NAME_NOT_FOUND)
		*real = wk.real;
	else
		os_free(wk.real);
	return status;
}
