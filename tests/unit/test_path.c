// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for the data path's names (kmod/unicode.c, kmod/path.c):
 * strict UTF-16LE <-> UTF-8, Windows-style case-insensitive comparison,
 * the checks a CREATE name goes through (MS-FSCC 2.1.5, MS-SMB2 3.3.5.9),
 * and the case-insensitive walk of smbd_path_resolve over a small
 * in-memory filesystem that stands in for os.h's file functions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smbd.h"

/* ------------------------------------------------------- os.h stand-ins */

void *os_zalloc(size_t n)
{
	return calloc(1, n);
}

void *os_alloc(size_t n)
{
	return malloc(n);
}

void os_free(void *p)
{
	free(p);
}

void os_log(int level, const char *fmt, ...)
{
	(void)level;
	(void)fmt;
}

/* The share: every entry by its full path, directories marked. */
struct entry {
	const char *path;
	int dir;
};

static const struct entry tree[] = {
	{ "Docs", 1 },
	{ "Docs/Report.TXT", 0 },
	{ "Docs/Sub", 1 },
	{ "Docs/Sub/deep.c", 0 },
	{ "file.txt", 0 },
	{ "\xce\xa9mega", 1 },				/* Ωmega */
	{ "\xce\xa9mega/\xd0\x96urnal", 0 },		/* Ωmega/Жurnal */
	{ "locked", 1 },
	{ "locked/Inner", 0 },
};

struct os_fs {
	int unused;
};

struct os_file {
	char path[512];
	u32 flags;
};

static struct os_fs the_fs;
static int open_files;		/* every os_open is closed again */
static int listing_refused;	/* os_open of "locked" for reading: EACCES */

static const struct entry *find(const char *path)
{
	size_t i;

	for (i = 0; i < sizeof(tree) / sizeof(tree[0]); i++)
		if (!strcmp(tree[i].path, path))
			return &tree[i];
	return NULL;
}

/* Like a lookup beneath a root: missing parents ENOENT, file parents ENOTDIR. */
static int lookup(const char *path, int *dir)
{
	char prefix[512];
	const struct entry *e;
	size_t i;

	if (!*path) {
		*dir = 1;
		return 0;
	}
	for (i = 0; path[i]; i++) {
		if (path[i] != '/')
			continue;
		memcpy(prefix, path, i);
		prefix[i] = '\0';
		e = find(prefix);
		if (!e)
			return -OS_ENOENT;
		if (!e->dir)
			return -OS_ENOTDIR;
	}
	e = find(path);
	if (!e)
		return -OS_ENOENT;
	*dir = e->dir;
	return 0;
}

int os_open(struct os_fs *fs, struct os_file *at, const char *path,
	    u32 flags, u32 mode, struct os_file **out, int *created)
{
	struct os_file *f;
	char full[512];
	int dir, rc;

	(void)mode;
	assert_ptr_equal(fs, &the_fs);
	if (created)
		*created = 0;
	full[0] = '\0';
	if (strlen(path) + (at ? strlen(at->path) : 0) + 2 > sizeof(full))
		return -OS_ENAMETOOLONG;
	if (at)
		strcat(full, at->path);
	if (at && at->path[0] && path[0])
		strcat(full, "/");
	strcat(full, path);
	rc = lookup(full, &dir);
	if (rc)
		return rc;
	if ((flags & OS_O_DIR) && !dir)
		return -OS_ENOTDIR;
	if ((flags & OS_O_READ) && listing_refused && !strcmp(full, "locked"))
		return -OS_EACCES;
	f = calloc(1, sizeof(*f));
	assert_non_null(f);
	memcpy(f->path, full, sizeof(f->path) - 1);	/* tree paths are short */
	f->flags = flags;
	*out = f;
	open_files++;
	return 0;
}

void os_close(struct os_file *f)
{
	open_files--;
	free(f);
}

int os_readdir(struct os_file *dir, u64 *pos,
	       int (*fn)(void *arg, const struct os_dirent *ent), void *arg)
{
	static const char *dots[] = { ".", ".." };
	size_t plen = strlen(dir->path), i, n = sizeof(tree) / sizeof(tree[0]);
	struct os_dirent ent;

	if (!(dir->flags & OS_O_READ))
		return -OS_EBADF;
	for (i = *pos; i < n + 2; i++) {
		const char *name;

		if (i < 2) {
			name = dots[i];
		} else {
			const char *p = tree[i - 2].path;

			if (plen && (strncmp(p, dir->path, plen) || p[plen] != '/'))
				continue;
			name = plen ? p + plen + 1 : p;
			if (strchr(name, '/'))
				continue;	/* deeper down */
		}
		memset(&ent, 0, sizeof(ent));
		ent.pos = i;
		ent.name = name;
		ent.name_len = (u32)strlen(name);
		if (fn(arg, &ent)) {
			*pos = i;
			return 0;
		}
	}
	*pos = i;
	return 0;
}

/* ------------------------------------------------------------- helpers */

/* ASCII or UTF-8 text as UTF-16LE, with '\' kept: the client's bytes. */
static u32 wire(const char *s, u8 *out, u32 cap)
{
	int n = smbd_utf8_to_utf16(s, (u32)strlen(s), out, cap);

	assert_true(n >= 0);
	return (u32)n;
}

static void expect_path(const char *name, u32 status, const char *want)
{
	u8 buf[20000];
	char *out = (char *)0x1;
	u32 st = smbd_path_from_wire(buf, wire(name, buf, sizeof(buf)), &out);

	if (st != status)
		fail_msg("\"%s\": status 0x%08x, want 0x%08x", name, st, status);
	if (want) {
		assert_non_null(out);
		assert_string_equal(out, want);
		os_free(out);
	} else {
		assert_null(out);
	}
}

static void expect_resolve(const char *path, u32 status, const char *want)
{
	struct smbd_tree t = { .fs = &the_fs };
	char *real = (char *)0x1;
	u32 st = smbd_path_resolve(&t, path, &real);

	if (st != status)
		fail_msg("\"%s\": status 0x%08x, want 0x%08x", path, st, status);
	if (want) {
		assert_non_null(real);
		assert_string_equal(real, want);
		os_free(real);
	} else {
		assert_null(real);
	}
	assert_int_equal(open_files, 0);
}

/* ------------------------------------------------------------- UTF-16 */

static void test_utf16_to_utf8(void **state)
{
	/* "aé€𝄞": 1-, 2-, 3- and 4-byte UTF-8, the last from a pair */
	static const u8 in[] = { 'a', 0, 0xE9, 0, 0xAC, 0x20, 0x34, 0xD8, 0x1E, 0xDD };
	static const char want[] = "a\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e";
	char out[16];
	int n;

	(void)state;
	n = smbd_utf16_to_utf8(in, sizeof(in), out, sizeof(out));
	assert_int_equal(n, 10);
	assert_string_equal(out, want);
	/* exactly enough room (10 + NUL), then one byte short */
	assert_int_equal(smbd_utf16_to_utf8(in, sizeof(in), out, 11), 10);
	assert_int_equal(smbd_utf16_to_utf8(in, sizeof(in), out, 10), -OS_ENAMETOOLONG);
	assert_int_equal(smbd_utf16_to_utf8(in, 0, out, 1), 0);
	assert_string_equal(out, "");
	assert_int_equal(smbd_utf16_to_utf8(in, 0, out, 0), -OS_ENAMETOOLONG);
}

static void test_utf16_to_utf8_bad(void **state)
{
	static const u8 lone_high_end[] = { 'a', 0, 0x34, 0xD8 };
	static const u8 high_then_ascii[] = { 0x34, 0xD8, 'a', 0 };
	static const u8 high_then_high[] = { 0x34, 0xD8, 0x34, 0xD8 };
	static const u8 lone_low[] = { 0x1E, 0xDD, 'a', 0 };
	static const u8 nul[] = { 'a', 0, 0, 0, 'b', 0 };
	static const u8 odd[] = { 'a', 0, 'b' };
	char out[16];

	(void)state;
	assert_int_equal(smbd_utf16_to_utf8(lone_high_end, 4, out, 16), -OS_EINVAL);
	assert_int_equal(smbd_utf16_to_utf8(high_then_ascii, 4, out, 16), -OS_EINVAL);
	assert_int_equal(smbd_utf16_to_utf8(high_then_high, 4, out, 16), -OS_EINVAL);
	assert_int_equal(smbd_utf16_to_utf8(lone_low, 4, out, 16), -OS_EINVAL);
	assert_int_equal(smbd_utf16_to_utf8(nul, 6, out, 16), -OS_EINVAL);
	assert_int_equal(smbd_utf16_to_utf8(odd, 3, out, 16), -OS_EINVAL);
}

static void test_utf8_to_utf16(void **state)
{
	static const char in[] = "a\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e";
	static const u8 want[] = { 'a', 0, 0xE9, 0, 0xAC, 0x20, 0x34, 0xD8, 0x1E, 0xDD };
	u8 out[16];
	char back[16];

	(void)state;
	assert_int_equal(smbd_utf8_to_utf16(in, 10, NULL, 0), 10);	/* measure */
	assert_int_equal(smbd_utf8_to_utf16(in, 10, out, 10), 10);
	assert_memory_equal(out, want, 10);
	assert_int_equal(smbd_utf8_to_utf16(in, 10, out, 9), -OS_ERANGE);
	assert_int_equal(smbd_utf8_to_utf16(in, 10, out, 7), -OS_ERANGE);
	assert_int_equal(smbd_utf16_to_utf8(out, 10, back, sizeof(back)), 10);
	assert_string_equal(back, in);
}

static void test_utf8_to_utf16_bad(void **state)
{
	static const char *bad[] = {
		"\xc0\x80",		/* overlong NUL */
		"\xe0\x80\xaf",		/* overlong '/' */
		"\xed\xa0\x80",		/* a surrogate, encoded */
		"\xf4\x90\x80\x80",	/* beyond U+10FFFF */
		"\xf5\x80\x80\x80",	/* lead byte that never starts anything */
		"\xc3",			/* cut short */
		"\xe2\x82",
		"\x80",			/* a lone continuation */
		"a\xc3" "b",		/* continuation missing mid-string */
	};
	u8 out[16];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(smbd_utf8_to_utf16(bad[i], (u32)strlen(bad[i]),
						    out, sizeof(out)), -OS_EINVAL);
	assert_int_equal(smbd_utf8_to_utf16("a\0b", 3, out, sizeof(out)), -OS_EINVAL);
}

/* ---------------------------------------------------------- case folding */

static int same(const char *a, const char *b)
{
	return smbd_name_casecmp(a, (u32)strlen(a), b, (u32)strlen(b)) == 0;
}

static void test_casecmp(void **state)
{
	(void)state;
	assert_true(same("Report.TXT", "report.txt"));
	assert_true(same("", ""));
	assert_false(same("a", "ab"));
	assert_false(same("ab", "a"));
	assert_false(same("a[", "A{"));		/* no folding past the letters */
	/* Latin-1: ÀÉÎÕÜ / àéîõü, Ø / ø, Þ / þ; × and ÷ are not letters */
	assert_true(same("\xc3\x80\xc3\x89\xc3\x8e\xc3\x95\xc3\x9c",
			 "\xc3\xa0\xc3\xa9\xc3\xae\xc3\xb5\xc3\xbc"));
	assert_true(same("\xc3\x98\xc3\x9e", "\xc3\xb8\xc3\xbe"));
	assert_false(same("\xc3\x97", "\xc3\xb7"));
	assert_true(same("\xc5\xb8", "\xc3\xbf"));		/* Ÿ ÿ */
	assert_true(same("\xc2\xb5", "\xce\xbc"));		/* micro, mu */
	assert_false(same("\xc3\x9f", "ss"));			/* ß: no expansion */
	/* Latin Extended-A: Ā ā (capital even), Ĺ ĺ and Ž ž (capital odd) */
	assert_true(same("\xc4\x80", "\xc4\x81"));
	assert_true(same("\xc4\xb9", "\xc4\xba"));
	assert_true(same("\xc5\xbd", "\xc5\xbe"));
	assert_false(same("\xc4\x81", "\xc4\x82"));		/* ā vs Ă */
	assert_false(same("\xc4\xba", "\xc4\xbb"));		/* ĺ vs Ļ */
	/* Greek: ΣΊΣΥΦΟΣ / σίσυφος with final sigma; Ά ά; Ώ ώ */
	assert_true(same("\xce\xa3\xce\x8a\xce\xa3\xce\xa5\xce\xa6\xce\x9f\xce\xa3",
			 "\xcf\x83\xce\xaf\xcf\x83\xcf\x85\xcf\x86\xce\xbf\xcf\x82"));
	assert_true(same("\xce\x86", "\xce\xac"));
	assert_true(same("\xce\x8f", "\xcf\x8e"));
	/* Cyrillic: ЖУРНАЛ / журнал, Ё ё, Ѣ ѣ, Ӂ ӂ */
	assert_true(same("\xd0\x96\xd0\xa3\xd0\xa0\xd0\x9d\xd0\x90\xd0\x9b",
			 "\xd0\xb6\xd1\x83\xd1\x80\xd0\xbd\xd0\xb0\xd0\xbb"));
	assert_true(same("\xd0\x81", "\xd1\x91"));
	assert_true(same("\xd1\xa2", "\xd1\xa3"));
	assert_true(same("\xd3\x81", "\xd3\x82"));
	/* beyond the table: exact only (Armenian Ա ա) */
	assert_false(same("\xd4\xb1", "\xd5\xa1"));
	assert_true(same("\xd4\xb1", "\xd4\xb1"));
	/* bytes that are not UTF-8 match themselves only, never a letter */
	assert_true(same("a\xff", "A\xff"));
	assert_false(same("\xff", "\xfe"));
	assert_false(same("\xc3", "\xc3\x80"));
	assert_true(smbd_name_casecmp("a", 1, "b", 1) < 0);
	assert_true(smbd_name_casecmp("B", 1, "a", 1) > 0);
}

/* --------------------------------------------------------- wire names */

static void test_from_wire_ok(void **state)
{
	(void)state;
	expect_path("", STATUS_SUCCESS, "");
	expect_path("a", STATUS_SUCCESS, "a");
	expect_path("dir\\sub\\file.txt", STATUS_SUCCESS, "dir/sub/file.txt");
	expect_path("dir\\", STATUS_SUCCESS, "dir");		/* trailing separator */
	expect_path("a b\\.hidden\\x..y\\...z", STATUS_SUCCESS, "a b/.hidden/x..y/...z");
	expect_path("\xce\xa9mega\\\xd0\x96", STATUS_SUCCESS, "\xce\xa9mega/\xd0\x96");
	expect_path("f.txt::$DATA", STATUS_SUCCESS, "f.txt");	/* the file itself */
	expect_path("d\\f.txt::$data", STATUS_SUCCESS, "d/f.txt");
}

static void test_from_wire_bad(void **state)
{
	static const char *invalid[] = {
		"a\\\\b", "a\\\\", ".", "..", "a\\.", "a\\..", "..\\a",
		"a\\.\\b", "a\\..\\b", "a*", "a?", "a<", "a>", "a|", "a\"b",
		"a/b", "a\x01", "a\x1f" "b", "dir:x\\f", "f:", ":s", ":",
		"f:s:$FOO", "f:s:$DATA:x", "f:::$DATA", "::$DATA",
	};
	size_t i;

	(void)state;
	expect_path("\\a", STATUS_INVALID_PARAMETER, NULL);
	expect_path("\\", STATUS_INVALID_PARAMETER, NULL);
	for (i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++)
		expect_path(invalid[i], STATUS_OBJECT_NAME_INVALID, NULL);
	/* named streams: a share without them answers as Samba does */
	expect_path("f.txt:s", STATUS_OBJECT_NAME_NOT_FOUND, NULL);
	expect_path("f.txt:s:$DATA", STATUS_OBJECT_NAME_NOT_FOUND, NULL);
}

static void test_from_wire_encoding(void **state)
{
	static const u8 lone[] = { 'a', 0, 0x00, 0xD8 };
	static const u8 nul[] = { 'a', 0, 0, 0 };
	static const u8 odd[] = { 'a', 0, 'b' };
	char *out = NULL;

	(void)state;
	assert_int_equal(smbd_path_from_wire(lone, 4, &out), STATUS_OBJECT_NAME_INVALID);
	assert_null(out);
	assert_int_equal(smbd_path_from_wire(nul, 4, &out), STATUS_OBJECT_NAME_INVALID);
	assert_int_equal(smbd_path_from_wire(odd, 3, &out), STATUS_INVALID_PARAMETER);
	assert_null(out);
}

static void test_from_wire_lengths(void **state)
{
	char name[8192];
	int i;

	(void)state;
	/* 255 UTF-16 units in a component: fine; 256: not a name */
	memset(name, 'x', 255);
	name[255] = '\0';
	expect_path(name, STATUS_SUCCESS, name);
	memset(name, 'x', 256);
	name[256] = '\0';
	expect_path(name, STATUS_OBJECT_NAME_INVALID, NULL);
	/* 128 x "é": a legal Windows name, 256 bytes on Linux: too long */
	for (i = 0; i < 128; i++)
		memcpy(name + 2 * i, "\xc3\xa9", 2);
	name[256] = '\0';
	expect_path(name, STATUS_NAME_TOO_LONG, NULL);
	/* 127 of them (254 bytes) fit */
	name[254] = '\0';
	expect_path(name, STATUS_SUCCESS, name);
	/* 17 components of 255: past SMBD_PATH_MAX */
	for (i = 0; i < 17; i++) {
		memset(name + 256 * i, 'y', 255);
		name[256 * i + 255] = '\\';
	}
	name[256 * 17 - 1] = '\0';
	expect_path(name, STATUS_NAME_TOO_LONG, NULL);
	/* 16 of them: 4095 bytes with separators, and the NUL: just fits */
	name[256 * 16 - 1] = '\0';
	{
		char want[4096 + 256];

		memcpy(want, name, sizeof(want));
		for (i = 0; want[i]; i++)
			if (want[i] == '\\')
				want[i] = '/';
		expect_path(name, STATUS_SUCCESS, want);
	}
}

/* --------------------------------------------------------------- resolve */

static void test_resolve(void **state)
{
	(void)state;
	expect_resolve("", STATUS_SUCCESS, "");
	expect_resolve("Docs/Report.TXT", STATUS_SUCCESS, "Docs/Report.TXT");
	expect_resolve("docs/report.txt", STATUS_SUCCESS, "Docs/Report.TXT");
	expect_resolve("DOCS/sub/DEEP.C", STATUS_SUCCESS, "Docs/Sub/deep.c");
	expect_resolve("FILE.TXT", STATUS_SUCCESS, "file.txt");
	expect_resolve("\xcf\x89MEGA/\xd0\xb6URNAL", STATUS_SUCCESS,
		       "\xce\xa9mega/\xd0\x96urnal");		/* ωMEGA/жURNAL */
	/* the last one missing: parents spelled as on disk, for a create */
	expect_resolve("docs/New.txt", STATUS_OBJECT_NAME_NOT_FOUND, "Docs/New.txt");
	expect_resolve("new", STATUS_OBJECT_NAME_NOT_FOUND, "new");
	/* a parent missing, or not a directory */
	expect_resolve("nodir/x", STATUS_OBJECT_PATH_NOT_FOUND, NULL);
	expect_resolve("docs/nodir/x", STATUS_OBJECT_PATH_NOT_FOUND, NULL);
	expect_resolve("file.txt/x", STATUS_OBJECT_PATH_NOT_FOUND, NULL);
	expect_resolve("FILE.TXT/x", STATUS_OBJECT_PATH_NOT_FOUND, NULL);
	/* a directory that may not be listed: only the exact name is found */
	listing_refused = 1;
	expect_resolve("locked/Inner", STATUS_SUCCESS, "locked/Inner");
	expect_resolve("locked/inner", STATUS_OBJECT_NAME_NOT_FOUND, "locked/inner");
	listing_refused = 0;
	expect_resolve("locked/inner", STATUS_SUCCESS, "locked/Inner");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf16_to_utf8),
		cmocka_unit_test(test_utf16_to_utf8_bad),
		cmocka_unit_test(test_utf8_to_utf16),
		cmocka_unit_test(test_utf8_to_utf16_bad),
		cmocka_unit_test(test_casecmp),
		cmocka_unit_test(test_from_wire_ok),
		cmocka_unit_test(test_from_wire_bad),
		cmocka_unit_test(test_from_wire_encoding),
		cmocka_unit_test(test_from_wire_lengths),
		cmocka_unit_test(test_resolve),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
