/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ksmbd.subauth: the three random 32-bit numbers a, b, c that make the
 * server's local domain SID S-1-5-21-a-b-c.
 *
 * The file holds one line of text, "a:b:c" in decimal followed by a
 * newline, as ksmbd-tools writes it, so that a server keeps its SID (and
 * the ACLs that name it) when moving between ksmbd-tools and us. It is
 * created once, on first use, and must never change afterwards.
 *
 * All functions return 0 or a negative errno value.
 */
#ifndef SMBD_SUBAUTH_H
#define SMBD_SUBAUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SUBAUTH_COUNT		3
#define SUBAUTH_FILE_MODE	0644	/* not a secret; readable like ksmbd-tools' */
/* "4294967295:4294967295:4294967295\n" and its NUL */
#define SUBAUTH_TEXT_MAX	34
/* "S-1-5-21-4294967295-4294967295-4294967295" and its NUL */
#define SUBAUTH_SID_STRING_MAX	42

#ifdef SYSCONFDIR
#define SUBAUTH_DEFAULT_PATH	SYSCONFDIR "/ksmbd/ksmbd.subauth"
#endif

struct subauth {
	uint32_t sub[SUBAUTH_COUNT];
};

/*
 * Parse the file contents: "a:b:c", each 1-10 decimal digits no larger than
 * 4294967295, then optionally CR and/or LF and nothing else. -EINVAL if not.
 */
int subauth_parse(const char *buf, size_t len, struct subauth *out);
/* "a:b:c\n" into @buf; returns the length or -ENOSPC. */
int subauth_format(const struct subauth *sa, char *buf, size_t size);
/* Three numbers from getrandom(). */
int subauth_generate(struct subauth *out);

/* -ENOENT if the file does not exist, -EINVAL if it is malformed. */
int subauth_load(const char *path, struct subauth *out);
/* Atomic replace (temporary file, fsync, rename), mode 0644. */
int subauth_save(const char *path, const struct subauth *sa);

/*
 * Load @path, or if it does not exist generate and write new numbers.
 * Creation uses link(), so when two processes race exactly one file wins
 * and both return its numbers. A malformed existing file is an error, not
 * a reason to make a new SID. *@created (may be NULL) says which happened.
 */
int subauth_load_or_create(const char *path, struct subauth *out, bool *created);

/* "S-1-5-21-a-b-c"; returns the length or -ENOSPC. */
int subauth_sid_string(const struct subauth *sa, char *buf, size_t size);

#endif /* SMBD_SUBAUTH_H */
