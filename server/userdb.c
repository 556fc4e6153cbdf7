// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ksmbdpwd.db: reading, editing and atomically rewriting the user database,
 * plus the small pieces it is made of (strict UTF-8 decoding, Base64, the
 * NT hash) which the daemon reuses.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "md4.h"
#include "userdb.h"

/* A ksmbdpwd.db line is at most 47 + 1 + 24 bytes; this is generous. */
#define USERDB_FILE_MAX		(64u << 20)

static void wipe(void *p, size_t len)
{
	memset(p, 0, len);
	/* Keep the compiler from dropping the store as dead. */
	__asm__ __volatile__("" : : "r"(p) : "memory");
}

/* ----------------------------------------------------------------------
 * UTF-8
 * ---------------------------------------------------------------------- */

/*
 * Decode one code point starting at @s (of @len > 0 bytes). Returns the
 * number of bytes used, or 0 if the sequence is not well-formed UTF-8
 * (RFC 3629: shortest form only, no surrogates, nothing above U+10FFFF).
 */
static size_t utf8_decode_one(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t min, c;
	size_t n, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		min = 0x80;
		c = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		min = 0x800;
		c = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		min = 0x10000;
		c = s[0] & 0x07;
	} else {
		return 0;	/* continuation byte or 0xf8..0xff as a lead */
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

bool utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;

	while (len) {
		size_t n = utf8_decode_one(p, len, &cp);

		if (!n)
			return false;
		p += n;
		len -= n;
	}
	return true;
}

static int put_utf16le(uint8_t *out, size_t out_size, size_t *pos, uint16_t unit)
{
	if (out_size - *pos < 2)
		return -ENOSPC;
	out[(*pos)++] = (uint8_t)unit;
	out[(*pos)++] = (uint8_t)(unit >> 8);
	return 0;
}

int utf8_to_utf16le(const char *in, size_t in_len,
		    uint8_t *out, size_t out_size, size_t *out_len)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t pos = 0;
	uint32_t cp;
	int ret;

	while (in_len) {
		size_t n = utf8_decode_one(p, in_len, &cp);

		if (!n)
			return -EILSEQ;
		p += n;
		in_len -= n;
		if (cp < 0x10000) {
			ret = put_utf16le(out, out_size, &pos, (uint16_t)cp);
		} else {
			cp -= 0x10000;
			ret = put_utf16le(out, out_size, &pos,
					  (uint16_t)(0xd800 | (cp >> 10)));
			if (!ret)
				ret = put_utf16le(out, out_size, &pos,
						  (uint16_t)(0xdc00 | (cp & 0x3ff)));
		}
		if (ret)
			return ret;
	}
	*out_len = pos;
	return 0;
}

/* ----------------------------------------------------------------------
 * Base64 (RFC 4648 section 4, padded)
 * ---------------------------------------------------------------------- */

static const char b64_alphabet[64] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

ssize_t base64_encode(const uint8_t *in, size_t len, char *out, size_t out_size)
{
	size_t o = 0, i;

	if (len > (SIZE_MAX - 1) / 4 * 3 - 2 || out_size < BASE64_ENCODED_SIZE(len))
		return -ENOSPC;
	for (i = 0; i + 3 <= len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];

		out[o++] = b64_alphabet[v >> 18];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = b64_alphabet[(v >> 6) & 63];
		out[o++] = b64_alphabet[v & 63];
	}
	if (len - i == 1) {
		uint32_t v = (uint32_t)in[i] << 16;

		out[o++] = b64_alphabet[v >> 18];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = '=';
		out[o++] = '=';
	} else if (len - i == 2) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;

		out[o++] = b64_alphabet[v >> 18];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = b64_alphabet[(v >> 6) & 63];
		out[o++] = '=';
	}
	out[o] = '\0';
	return (ssize_t)o;
}

/* Value of a Base64 digit, or -1. */
static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int base64_decode(const char *in, size_t len,
		  uint8_t *out, size_t out_size, size_t *out_len)
{
	size_t pad = 0, o = 0, i, need;

	if (len % 4)
		return -EINVAL;
	if (len && in[len - 1] == '=')
		pad = (len >= 2 && in[len - 2] == '=') ? 2 : 1;
	need = len / 4 * 3 - pad;
	if (need > out_size)
		return -ENOSPC;

	for (i = 0; i < len; i += 4) {
		bool last = i + 4 == len;
		size_t digits = last ? 4 - pad : 4;
		uint32_t v = 0;
		size_t k;

		for (k = 0; k < 4; k++) {
			int d = k < digits ? b64_value(in[i + k]) : 0;

			if (d < 0)
				return -EINVAL;
			v = v << 6 | (uint32_t)d;
		}
		/* Canonical form: the bits the padding hides must be zero. */
		if ((digits == 2 && (v & 0xffff)) || (digits == 3 && (v & 0xff)))
			return -EINVAL;
		out[o++] = (uint8_t)(v >> 16);
		if (digits > 2)
			out[o++] = (uint8_t)(v >> 8);
		if (digits > 3)
			out[o++] = (uint8_t)v;
	}
	*out_len = o;
	return 0;
}

/* ----------------------------------------------------------------------
 * Names, passwords, the NT hash
 * ---------------------------------------------------------------------- */

bool userdb_name_valid(const char *name)
{
	size_t len = strlen(name), i;

	if (len < 1 || len > USERDB_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		/* ':' separates the fields; control bytes would break lines. */
		if (c == ':' || c < 0x20 || c == 0x7f)
			return false;
	}
	return utf8_valid(name, len);
}

bool userdb_password_valid(const char *password)
{
	size_t len = strnlen(password, USERDB_PASSWORD_MAX + 1);

	return len <= USERDB_PASSWORD_MAX && utf8_valid(password, len);
}

int nt_hash(const char *password, uint8_t hash[USERDB_HASH_SIZE])
{
	/* Every UTF-8 byte yields at most one UTF-16 code unit. */
	uint8_t utf16[USERDB_PASSWORD_MAX * 2];
	size_t len;
	int ret;

	if (!userdb_password_valid(password))
		return -EINVAL;
	ret = utf8_to_utf16le(password, strlen(password), utf16, sizeof(utf16), &len);
	if (!ret)
		md4_digest(utf16, len, hash);
	wipe(utf16, sizeof(utf16));
	return ret ? -EINVAL : 0;
}

/* ----------------------------------------------------------------------
 * The in-memory database
 * ---------------------------------------------------------------------- */

static int userdb_destructor(struct userdb *db)
{
	if (db->users)
		wipe(db->users, talloc_get_size(db->users));
	return 0;
}

struct userdb *userdb_new(TALLOC_CTX *mem_ctx)
{
	struct userdb *db = talloc_zero(mem_ctx, struct userdb);

	if (db)
		talloc_set_destructor(db, userdb_destructor);
	return db;
}

static void report_to_stderr(void *priv, const char *path, unsigned int line,
			     const char *why)
{
	(void)priv;
	fprintf(stderr, "%s:%u: %s\n", path, line, why);
}

static void report(const struct userdb *db, const char *path,
		   unsigned int line, const char *why)
{
	if (db->report)
		db->report(db->report_priv, path, line, why);
	else
		report_to_stderr(NULL, path, line, why);
}

static struct userdb_user *find_user(const struct userdb *db, const char *name)
{
	size_t i;

	for (i = 0; i < db->count; i++)
		if (!strcmp(db->users[i].name, name))
			return &db->users[i];
	return NULL;
}

const struct userdb_user *userdb_find(const struct userdb *db, const char *name)
{
	return find_user(db, name);
}

/*
 * Make room for one more user. The array is moved by hand rather than with
 * talloc_realloc() so that the old copy of the hashes is wiped, not freed
 * as is.
 */
static int grow(struct userdb *db)
{
	size_t cap = db->users ? talloc_array_length(db->users) : 0;
	struct userdb_user *bigger;

	if (db->count < cap)
		return 0;
	cap = cap ? cap * 2 : 16;
	bigger = talloc_zero_array(db, struct userdb_user, cap);
	if (!bigger)
		return -ENOMEM;
	if (db->users) {
		memcpy(bigger, db->users, db->count * sizeof(*bigger));
		wipe(db->users, talloc_get_size(db->users));
		talloc_free(db->users);
	}
	db->users = bigger;
	return 0;
}

int userdb_add_hash(struct userdb *db, const char *name,
		    const uint8_t hash[USERDB_HASH_SIZE])
{
	struct userdb_user *u;
	int ret;

	if (!userdb_name_valid(name))
		return -EINVAL;
	if (find_user(db, name))
		return -EEXIST;
	ret = grow(db);
	if (ret)
		return ret;
	u = &db->users[db->count++];
	memcpy(u->name, name, strlen(name) + 1);
	memcpy(u->nt_hash, hash, USERDB_HASH_SIZE);
	return 0;
}

int userdb_add(struct userdb *db, const char *name, const char *password)
{
	uint8_t hash[USERDB_HASH_SIZE];
	int ret;

	if (!userdb_name_valid(name))
		return -EINVAL;
	if (find_user(db, name))
		return -EEXIST;
	ret = nt_hash(password, hash);
	if (!ret)
		ret = userdb_add_hash(db, name, hash);
	wipe(hash, sizeof(hash));
	return ret;
}

int userdb_update(struct userdb *db, const char *name, const char *password)
{
	struct userdb_user *u = find_user(db, name);

	if (!u)
		return -ENOENT;
	return nt_hash(password, u->nt_hash);
}

int userdb_delete(struct userdb *db, const char *name)
{
	struct userdb_user *u = find_user(db, name);
	size_t idx;

	if (!u)
		return -ENOENT;
	idx = (size_t)(u - db->users);
	memmove(u, u + 1, (db->count - idx - 1) * sizeof(*u));
	db->count--;
	wipe(&db->users[db->count], sizeof(*u));
	return 0;
}

/* ----------------------------------------------------------------------
 * Parsing and loading
 * ---------------------------------------------------------------------- */

/*
 * Parse one line (without its LF, CR already removed) into @db. Returns
 * NULL on success or the reason it was skipped.
 */
static const char *parse_line(struct userdb *db, const char *line, size_t len,
			      const char *path, unsigned int lineno)
{
	char name[USERDB_NAME_MAX + 1];
	uint8_t hash[USERDB_HASH_SIZE];
	struct userdb_user *old;
	const char *colon;
	size_t name_len, hash_len;

	if (memchr(line, '\0', len))
		return "NUL byte in line, skipped";
	colon = memchr(line, ':', len);
	if (!colon)
		return "no ':' between user name and password hash, skipped";
	name_len = (size_t)(colon - line);
	if (name_len == 0 || name_len > USERDB_NAME_MAX)
		return "user name must be 1 to 47 bytes, skipped";
	memcpy(name, line, name_len);
	name[name_len] = '\0';
	if (!userdb_name_valid(name))
		return "user name is not valid UTF-8 or has control characters, skipped";

	hash_len = len - name_len - 1;
	if (hash_len != USERDB_HASH_B64_LEN ||
	    base64_decode(colon + 1, hash_len, hash, sizeof(hash), &hash_len) ||
	    hash_len != USERDB_HASH_SIZE) {
		wipe(hash, sizeof(hash));
		return "password hash is not the Base64 of 16 bytes, skipped";
	}

	old = find_user(db, name);
	if (old) {
		/* Like an update: the later line wins. */
		memcpy(old->nt_hash, hash, sizeof(hash));
		db->duplicates++;
		report(db, path, lineno, "user listed again; this later line wins");
	} else if (userdb_add_hash(db, name, hash)) {
		wipe(hash, sizeof(hash));
		return "out of memory, skipped";
	}
	wipe(hash, sizeof(hash));
	return NULL;
}

static void clear_users(struct userdb *db)
{
	if (db->users) {
		wipe(db->users, talloc_get_size(db->users));
		talloc_free(db->users);
	}
	db->users = NULL;
	db->count = 0;
	db->malformed = 0;
	db->duplicates = 0;
}

int userdb_parse(struct userdb *db, const char *buf, size_t len, const char *path)
{
	unsigned int lineno = 0;
	size_t pos = 0;

	clear_users(db);
	while (pos < len) {
		const char *line = buf + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t line_len = nl ? (size_t)(nl - line) : len - pos;
		const char *why;

		pos += line_len + (nl ? 1 : 0);
		lineno++;
		if (line_len && line[line_len - 1] == '\r')
			line_len--;
		if (!line_len)
			continue;
		why = parse_line(db, line, line_len, path, lineno);
		if (why) {
			db->malformed++;
			report(db, path, lineno, why);
		}
	}
	return 0;
}

int read_small_file(TALLOC_CTX *mem_ctx, const char *path, size_t max,
		    char **bufp, size_t *lenp)
{
	struct stat st;
	size_t len = 0;
	char *buf;
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		ret = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = -EINVAL;
		goto out;
	}
	/* One byte more than allowed, to notice a file that grew. */
	buf = talloc_array(mem_ctx, char, max + 1);
	if (!buf) {
		ret = -ENOMEM;
		goto out;
	}
	while (len <= max) {
		ssize_t n = read(fd, buf + len, max + 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (!ret && len > max)
		ret = -EFBIG;
	if (ret) {
		wipe(buf, max + 1);
		talloc_free(buf);
		goto out;
	}
	*bufp = buf;
	*lenp = len;
out:
	close(fd);
	return ret;
}

int userdb_load(struct userdb *db, const char *path)
{
	char *buf;
	size_t len;
	int ret;

	ret = read_small_file(db, path, USERDB_FILE_MAX, &buf, &len);
	if (ret)
		return ret;
	ret = userdb_parse(db, buf, len, path);
	wipe(buf, talloc_get_size(buf));
	talloc_free(buf);
	return ret;
}

/* ----------------------------------------------------------------------
 * Saving
 * ---------------------------------------------------------------------- */

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* fsync the directory holding @path, so that the rename itself is durable. */
static int sync_parent_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd, ret = 0;

	if (!slash)
		dir = strdup(".");
	else if (slash == path)
		dir = strdup("/");
	else
		dir = strndup(path, (size_t)(slash - path));
	if (!dir)
		return -ENOMEM;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return -errno;
	/* Some file systems cannot sync a directory; that is not a failure. */
	if (fsync(fd) && errno != EINVAL && errno != EROFS)
		ret = -errno;
	close(fd);
	return ret;
}

int write_file_atomic(const char *path, const void *buf, size_t len,
		      mode_t mode, bool no_replace)
{
	size_t plen = strlen(path);
	char *tmp;
	int fd, ret;

	tmp = malloc(plen + sizeof(".tmp.XXXXXX"));
	if (!tmp)
		return -ENOMEM;
	memcpy(tmp, path, plen);
	memcpy(tmp + plen, ".tmp.XXXXXX", sizeof(".tmp.XXXXXX"));

	/* mkstemp() creates the file 0600, so no one sees it half-written. */
	fd = mkstemp(tmp);
	if (fd < 0) {
		ret = -errno;
		free(tmp);
		return ret;
	}
	ret = write_all(fd, buf, len);
	if (!ret && fchmod(fd, mode))
		ret = -errno;
	if (!ret && fsync(fd))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	if (!ret && no_replace) {
		if (link(tmp, path))
			ret = -errno;
		unlink(tmp);
	} else if (!ret) {
		if (rename(tmp, path))
			ret = -errno;
	}
	if (ret)
		unlink(tmp);
	else
		ret = sync_parent_dir(path);
	free(tmp);
	return ret;
}

int userdb_save(const struct userdb *db, const char *path)
{
	size_t line_max = USERDB_NAME_MAX + 1 + USERDB_HASH_B64_LEN + 1;
	size_t size = db->count * line_max + 1, len = 0, i;
	char *buf;
	int ret;

	buf = talloc_array(NULL, char, size);
	if (!buf)
		return -ENOMEM;
	for (i = 0; i < db->count; i++) {
		const struct userdb_user *u = &db->users[i];
		size_t nlen = strlen(u->name);

		memcpy(buf + len, u->name, nlen);
		len += nlen;
		buf[len++] = ':';
		len += (size_t)base64_encode(u->nt_hash, USERDB_HASH_SIZE,
					     buf + len, size - len);
		buf[len++] = '\n';
	}
	ret = write_file_atomic(path, buf, len, USERDB_FILE_MODE, false);
	wipe(buf, size);
	talloc_free(buf);
	return ret;
}

/*
 * Serialise concurrent edits of a file that is replaced by rename(): lock
 * the current file for the whole read-modify-replace. A waiter may get the
 * lock on an inode that is no longer the file; it then tries again on the
 * new one. Returns the fd to close when done, or -1 when there is no file
 * yet (nothing to lose) or it cannot be locked.
 */
int lock_file_for_edit(const char *path)
{
	int tries;

	for (tries = 0; tries < 100; tries++) {
		struct stat held, now;
		int fd = open(path, O_RDONLY | O_CLOEXEC);

		if (fd < 0)
			return -1;
		if (flock(fd, LOCK_EX) || fstat(fd, &held)) {
			close(fd);
			return -1;
		}
		if (!stat(path, &now) && now.st_dev == held.st_dev &&
		    now.st_ino == held.st_ino)
			return fd;
		close(fd);
	}
	return -1;
}
