/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The user database, ksmbdpwd.db.
 *
 * One user per line, "name:hash", the hash being the padded Base64 of the
 * 16-byte NT hash (MD4 of the UTF-16LE password). Names are 1-47 bytes of
 * UTF-8 without ':' or control characters; passwords are 0-128 bytes of
 * UTF-8. The file is read whole, edited in memory and written back
 * atomically (temporary file in the same directory, fsync, rename), mode
 * 0600: it holds password equivalents.
 *
 * All functions return 0 or a negative errno value.
 */
#ifndef SMBD_USERDB_H
#define SMBD_USERDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <talloc.h>

#define USERDB_NAME_MAX		47	/* bytes, without the NUL */
#define USERDB_PASSWORD_MAX	128	/* bytes of UTF-8 */
#define USERDB_HASH_SIZE	16	/* the NT hash */
#define USERDB_HASH_B64_LEN	24	/* its padded Base64 */
#define USERDB_FILE_MODE	0600

/* ----- building blocks, exposed for the daemon and for tests ----- */

/*
 * Strict UTF-8 to UTF-16LE. Rejects overlong forms, surrogate code points,
 * values above U+10FFFF and truncated sequences with -EILSEQ; -ENOSPC when
 * @out (of @out_size bytes) is too small. *@out_len gets the bytes written.
 */
int utf8_to_utf16le(const char *in, size_t in_len,
		    uint8_t *out, size_t out_size, size_t *out_len);

/* True when @s[0..len) is well-formed UTF-8 (same rules as above). */
bool utf8_valid(const char *s, size_t len);

/* Bytes base64_encode() writes for @len input bytes, NUL included. */
#define BASE64_ENCODED_SIZE(len) (((len) + 2) / 3 * 4 + 1)

/*
 * RFC 4648 Base64 with padding. Encode writes a NUL-terminated string and
 * returns its length, or -ENOSPC.
 */
ssize_t base64_encode(const uint8_t *in, size_t len, char *out, size_t out_size);
/*
 * Decode exactly @len characters: a multiple of four, padding only at the
 * end, unused bits zero (canonical form). -EINVAL on anything else,
 * -ENOSPC when @out is too small. *@out_len gets the bytes written.
 */
int base64_decode(const char *in, size_t len,
		  uint8_t *out, size_t out_size, size_t *out_len);

/* NT hash of a NUL-terminated UTF-8 password; -EINVAL if not valid. */
int nt_hash(const char *password, uint8_t hash[USERDB_HASH_SIZE]);

bool userdb_name_valid(const char *name);
bool userdb_password_valid(const char *password);

/* ----- the database ----- */

struct userdb_user {
	char name[USERDB_NAME_MAX + 1];
	uint8_t nt_hash[USERDB_HASH_SIZE];
};

/*
 * Called once for each line that is skipped while loading. @path is the
 * name given to userdb_load()/userdb_parse(), @line counts from 1.
 */
typedef void (*userdb_report_fn)(void *priv, const char *path,
				 unsigned int line, const char *why);

struct userdb {
	struct userdb_user *users;	/* talloc array, in file order */
	size_t count;
	unsigned int malformed;		/* lines skipped by the last load */
	unsigned int duplicates;	/* names seen again by the last load */
	userdb_report_fn report;	/* NULL: print to stderr */
	void *report_priv;
};

/* An empty database; its memory (wiped on free) hangs off @mem_ctx. */
struct userdb *userdb_new(TALLOC_CTX *mem_ctx);

/*
 * Replace the contents of @db with the users in @buf. Malformed lines are
 * reported and skipped; a name seen twice keeps its last hash (and is
 * reported). Blank lines are ignored; a CR before LF is tolerated.
 */
int userdb_parse(struct userdb *db, const char *buf, size_t len,
		 const char *path);

/* userdb_parse() of a file; -ENOENT if it does not exist. */
int userdb_load(struct userdb *db, const char *path);

/* Atomic replacement of @path with the contents of @db, mode 0600. */
int userdb_save(const struct userdb *db, const char *path);

/* Exact (byte-wise) name match; NULL if absent. */
const struct userdb_user *userdb_find(const struct userdb *db, const char *name);

/* -EINVAL bad name or password, -EEXIST already there. */
int userdb_add(struct userdb *db, const char *name, const char *password);
/* Same with a ready hash (the daemon's reload path, tests). */
int userdb_add_hash(struct userdb *db, const char *name,
		    const uint8_t hash[USERDB_HASH_SIZE]);
/* -EINVAL bad password, -ENOENT no such user. */
int userdb_update(struct userdb *db, const char *name, const char *password);
/* -ENOENT no such user. */
int userdb_delete(struct userdb *db, const char *name);

/*
 * Write @len bytes to @path atomically with @mode: a temporary file in the
 * same directory is written, fsynced and renamed over @path, then the
 * directory is fsynced. With @no_replace the final step is link() instead
 * of rename(), so that an existing @path is kept and -EEXIST returned.
 * The temporary file never survives a failure.
 */
int write_file_atomic(const char *path, const void *buf, size_t len,
		      mode_t mode, bool no_replace);

/*
 * Lock @path for a read-modify-replace (flock, retried when the file was
 * replaced meanwhile): the fd to close when done, or -1 when there is no
 * file yet or it cannot be locked.
 */
int lock_file_for_edit(const char *path);

/* Read a whole regular file of at most @max bytes into a talloc buffer. */
int read_small_file(TALLOC_CTX *mem_ctx, const char *path, size_t max,
		    char **buf, size_t *len);

#endif /* SMBD_USERDB_H */
