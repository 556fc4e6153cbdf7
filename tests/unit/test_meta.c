// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for kmod/meta.c over the userspace host: user.DOSATTRIB in
 * every form Samba wrote (the blobs below were made with Samba's own
 * marshaller, samba.ndr.ndr_pack of xattr.DOSATTRIB, and the bare hex
 * text of old releases), the attributes a file without one gets, "hide
 * dot files", and the version 4 blob smbd_meta_set_dos writes. The tree
 * lives under /var/tmp (tmpfs /tmp may lack user xattrs); TEST_META_DIR
 * overrides the place.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "smbd.h"
#include "netlink.h"

#define CT	0x01d0000012345678ULL	/* the create time in the blobs */
#define RHA	(FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_ARCHIVE)

static char base[256];
static struct os_fs *fs;
static struct smbd_tree tree;

/* Samba's blobs: attrib 0x23 (R, H, A), create time CT. */
static const u8 v1[] = {
	0x30, 0x78, 0x32, 0x33, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x23, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x78, 0x56, 0x34, 0x12, 0x00, 0x00, 0xd0, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
};

/* version 2 has no valid flags: its create time is not taken */
static const u8 v2[] = {
	0x30, 0x78, 0x32, 0x33, 0x00, 0x00, 0x02, 0x00, 0x02, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x23, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x78, 0x56, 0x34, 0x12, 0x00, 0x00, 0xd0, 0x01,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x61, 0x62, 0x63, 0x00,
};

static const u8 v3[] = {
	0x30, 0x78, 0x32, 0x33, 0x00, 0x00, 0x03, 0x00, 0x03, 0x00, 0x00, 0x00,
	0x11, 0x00, 0x00, 0x00, 0x23, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x78, 0x56, 0x34, 0x12, 0x00, 0x00, 0xd0, 0x01,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* also exactly what smbd_meta_set_dos(RHA, CT) must write */
static const u8 v4[] = {
	0x00, 0x00, 0x04, 0x00, 0x04, 0x00, 0x00, 0x00, 0x11, 0x00, 0x00, 0x00,
	0x23, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x78, 0x56, 0x34, 0x12, 0x00, 0x00, 0xd0, 0x01,
};

static const u8 v5[] = {
	0x00, 0x00, 0x05, 0x00, 0x05, 0x00, 0x00, 0x00, 0x11, 0x00, 0x00, 0x00,
	0x23, 0x00, 0x00, 0x00, 0x78, 0x56, 0x34, 0x12, 0x00, 0x00, 0xd0, 0x01,
};

/* version 3, ATTRIB valid only, attrib SPARSE|ARCHIVE */
static const u8 v3_no_time[] = {
	0x30, 0x78, 0x32, 0x32, 0x30, 0x00, 0x03, 0x00, 0x03, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x00, 0x00, 0x20, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x78, 0x56, 0x34, 0x12, 0x00, 0x00, 0xd0, 0x01,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* ------------------------------------------------------------ helpers */

static void path_of(const char *name, char *p, size_t cap)
{
	snprintf(p, cap, "%s/%s", base, name);
}

static void make_file(const char *name, const void *blob, size_t len)
{
	char p[512];
	FILE *f;

	path_of(name, p, sizeof(p));
	f = fopen(p, "w");
	assert_non_null(f);
	fputs("data", f);
	fclose(f);
	if (blob)
		assert_int_equal(setxattr(p, "user.DOSATTRIB", blob, len, 0), 0);
}

static struct os_file *open_meta(const char *name)
{
	struct os_file *f = NULL;

	assert_int_equal(os_open(fs, NULL, name, 0, 0, &f, NULL), 0);
	return f;
}

static void get(const char *name, struct smbd_meta *m)
{
	struct os_file *f = open_meta(name);

	assert_int_equal(smbd_meta_get(&tree, f, name, m), STATUS_SUCCESS);
	os_close(f);
}

static ssize_t raw_xattr(const char *name, u8 *buf, size_t cap)
{
	char p[512];

	path_of(name, p, sizeof(p));
	return getxattr(p, "user.DOSATTRIB", buf, cap);
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static int setup(void **state)
{
	const char *dir = getenv("TEST_META_DIR");

	(void)state;
	snprintf(base, sizeof(base), "%s/test_meta.XXXXXX", dir ? dir : "/var/tmp");
	if (!mkdtemp(base))
		return -1;
	if (os_fs_open(base, 0, &fs))
		return -1;
	tree.fs = fs;
	tree.share_flags = SMBD_NL_SHARE_FLAG_STORE_DOS_ATTRS |
			   SMBD_NL_SHARE_FLAG_HIDE_DOT_FILES;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	os_fs_close(fs);
	return nftw(base, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* ------------------------------------------------------------ tests */

static void test_versions(void **state)
{
	static const struct {
		const char *name;
		const u8 *blob;
		size_t len;
		int has_time;
	} cases[] = {
		{ "v1", v1, sizeof(v1), 1 },
		{ "v2", v2, sizeof(v2), 0 },
		{ "v3", v3, sizeof(v3), 1 },
		{ "v4", v4, sizeof(v4), 1 },
		{ "v5", v5, sizeof(v5), 1 },
	};
	struct smbd_meta m;
	u32 i;

	(void)state;
	for (i = 0; i < OS_ARRAY_SIZE(cases); i++) {
		make_file(cases[i].name, cases[i].blob, cases[i].len);
		get(cases[i].name, &m);
		assert_int_equal(m.attributes, RHA);
		if (cases[i].has_time)
			assert_true(m.creation_time == CT);
		else
			assert_true(m.creation_time != CT && m.creation_time != 0);
		assert_int_equal(m.end_of_file, 4);
		assert_int_equal(m.is_dir, 0);
	}
}

static void test_compat_and_bad(void **state)
{
	struct smbd_meta m;

	(void)state;
	make_file("hex", "0x4", 4);		/* "0x4\0": SYSTEM */
	get("hex", &m);
	assert_int_equal(m.attributes, FILE_ATTRIBUTE_SYSTEM);
	make_file("hexnonul", "0x22", 4);	/* no NUL at all */
	get("hexnonul", &m);
	assert_int_equal(m.attributes, FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_ARCHIVE);
	make_file("nothex", "12345\0\0\0\0\0", 10);
	get("nothex", &m);
	assert_int_equal(m.attributes, FILE_ATTRIBUTE_ARCHIVE);	/* as if absent */
	make_file("garbage", "\x01\x02\x03\x04\x05\x06\x07\x08\x09", 9);
	get("garbage", &m);
	assert_int_equal(m.attributes, FILE_ATTRIBUTE_ARCHIVE);
	make_file("v3notime", v3_no_time, sizeof(v3_no_time));
	get("v3notime", &m);
	/* SPARSE is not passed on; the time comes from the inode */
	assert_int_equal(m.attributes, FILE_ATTRIBUTE_ARCHIVE);
	assert_true(m.creation_time != CT && m.creation_time != 0);
}

static void test_defaults(void **state)
{
	struct smbd_meta m;
	struct stat st;
	char p[512];

	(void)state;
	make_file("plain", NULL, 0);
	get("plain", &m);
	assert_int_equal(m.attributes, FILE_ATTRIBUTE_ARCHIVE);
	path_of("plain", p, sizeof(p));
	assert_int_equal(stat(p, &st), 0);
	assert_true(m.file_id == st.st_ino);
	assert_int_equal(m.nlink, 1);

	path_of("dir", p, sizeof(p));
	assert_int_equal(mkdir(p, 0755), 0);
	get("dir", &m);
	assert_int_equal(m.attributes, FILE_ATTRIBUTE_DIRECTORY);
	assert_int_equal(m.is_dir, 1);
	assert_int_equal(m.end_of_file, 0);
	assert_int_equal(m.allocation_size, 0);

	/* a stored 0 reads back as NORMAL; a stored DIRECTORY on a file goes */
	make_file("zero", "\0\0\4\0\4\0\0\0\x11\0\0\0\x10\0\0\0\0\0\0\0\0\0\0\0\1\0\0\0\0\0\0\0",
		  32);
	get("zero", &m);
	assert_int_equal(m.attributes, FILE_ATTRIBUTE_NORMAL);
	assert_true(m.creation_time == 1);
}

static void test_hide_dot(void **state)
{
	struct smbd_meta m;

	(void)state;
	make_file(".dot", NULL, 0);
	get(".dot", &m);
	assert_int_equal(m.attributes, FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_ARCHIVE);
	tree.share_flags &= ~SMBD_NL_SHARE_FLAG_HIDE_DOT_FILES;
	get(".dot", &m);
	assert_int_equal(m.attributes, FILE_ATTRIBUTE_ARCHIVE);
	tree.share_flags |= SMBD_NL_SHARE_FLAG_HIDE_DOT_FILES;
}

static void test_write(void **state)
{
	struct os_file *f;
	struct smbd_meta m;
	u8 buf[128];
	char p[512];

	(void)state;
	make_file("w", NULL, 0);
	f = open_meta("w");
	/* NORMAL and DIRECTORY are not stored for a file */
	assert_int_equal(smbd_meta_set_dos(&tree, f, RHA | FILE_ATTRIBUTE_NORMAL |
					   FILE_ATTRIBUTE_DIRECTORY, CT), STATUS_SUCCESS);
	assert_int_equal(raw_xattr("w", buf, sizeof(buf)), sizeof(v4));
	assert_memory_equal(buf, v4, sizeof(v4));
	/* creation time 0 keeps the stored one */
	assert_int_equal(smbd_meta_set_dos(&tree, f, FILE_ATTRIBUTE_HIDDEN, 0),
			 STATUS_SUCCESS);
	assert_int_equal(smbd_meta_get(&tree, f, "w", &m), STATUS_SUCCESS);
	assert_int_equal(m.attributes, FILE_ATTRIBUTE_HIDDEN);
	assert_true(m.creation_time == CT);
	os_close(f);

	/* a directory keeps DIRECTORY in the blob, as Samba writes it */
	path_of("wd", p, sizeof(p));
	assert_int_equal(mkdir(p, 0755), 0);
	f = open_meta("wd");
	assert_int_equal(smbd_meta_set_dos(&tree, f, FILE_ATTRIBUTE_SYSTEM, CT),
			 STATUS_SUCCESS);
	assert_int_equal(raw_xattr("wd", buf, sizeof(buf)), sizeof(v4));
	assert_int_equal(buf[12], FILE_ATTRIBUTE_SYSTEM | FILE_ATTRIBUTE_DIRECTORY);
	assert_int_equal(smbd_meta_get(&tree, f, "wd", &m), STATUS_SUCCESS);
	assert_int_equal(m.attributes, FILE_ATTRIBUTE_SYSTEM | FILE_ATTRIBUTE_DIRECTORY);
	os_close(f);
}

/* "store dos attributes = no": neither read nor written, as Samba does. */
static void test_no_store(void **state)
{
	struct os_file *f;
	struct smbd_meta m;

	(void)state;
	make_file("ns", v4, sizeof(v4));
	tree.share_flags &= ~SMBD_NL_SHARE_FLAG_STORE_DOS_ATTRS;
	f = open_meta("ns");
	assert_int_equal(smbd_meta_get(&tree, f, "ns", &m), STATUS_SUCCESS);
	assert_int_equal(m.attributes, FILE_ATTRIBUTE_ARCHIVE);
	assert_int_equal(smbd_meta_set_dos(&tree, f, FILE_ATTRIBUTE_HIDDEN, 0),
			 STATUS_NOT_SUPPORTED);
	os_close(f);
	tree.share_flags |= SMBD_NL_SHARE_FLAG_STORE_DOS_ATTRS;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_compat_and_bad),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_hide_dot),
		cmocka_unit_test(test_write),
		cmocka_unit_test(test_no_store),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
