// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for the userspace host's files (kmod/user/vfs.c) and
 * identity switch (kmod/user/cred.c): confinement beneath the share root,
 * open flags, data, directories, xattrs, times, names and per-thread
 * credentials. The tree lives under /var/tmp (tmpfs /tmp may lack user
 * xattrs); TEST_VFS_DIR overrides the place.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "os.h"

#define FT_EPOCH 116444736000000000ULL
#define NFILES 300

static char base[256];	/* the temp dir: outside, root/ */
static char rootdir[300];
static struct os_fs *fs;	/* follows symlinks beneath the root */
static struct os_fs *fs_nosym;	/* OS_FS_NO_SYMLINKS */

/* ------------------------------------------------------------ helpers */

static void put_file(const char *rel, const char *text)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", base, rel);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int exists(const char *rel)
{
	char p[512];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", base, rel);
	return lstat(p, &st) == 0;
}

static void mk_link(const char *target, const char *rel)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", base, rel);
	assert_int_equal(symlink(target, p), 0);
}

static void mk_dir(const char *rel, mode_t mode)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", base, rel);
	assert_int_equal(mkdir(p, mode), 0);
	assert_int_equal(chmod(p, mode), 0);
}

static int is_escape(int r)
{
	return r == -OS_EXDEV || r == -OS_ELOOP;
}

/* Open, read all (up to cap-1 bytes), close; the error or 0. */
static int slurp(struct os_fs *f, const char *path, char *buf, u32 cap)
{
	struct os_file *h;
	u32 got = 0;
	int r;

	r = os_open(f, NULL, path, OS_O_READ, 0, &h, NULL);
	if (r)
		return r;
	r = os_read(h, 0, buf, cap - 1, &got);
	buf[got] = '\0';
	os_close(h);
	return r;
}

static int rm_one(const char *p, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static int setup(void **state)
{
	const char *dir = getenv("TEST_VFS_DIR");

	(void)state;
	snprintf(base, sizeof(base), "%s/test_vfs_user.XXXXXX",
		 dir ? dir : "/var/tmp");
	if (!mkdtemp(base)) {
		fprintf(stderr, "mkdtemp %s: %s\n", base, strerror(errno));
		return -1;
	}
	chmod(base, 0755);
	snprintf(rootdir, sizeof(rootdir), "%s/root", base);
	if (mkdir(rootdir, 0755) < 0)
		return -1;
	chmod(rootdir, 0755);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	os_fs_close(fs);
	os_fs_close(fs_nosym);
	nftw(base, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

/* The tree every test starts from (built once, by the first test). */
static void tree(void)
{
	char abs_target[300];

	put_file("outside", "secret outside\n");
	mk_dir("root/a", 0755);
	put_file("root/a/b", "hello\n");
	put_file("root/file", "file\n");
	mk_dir("root/sub", 0755);
	mk_link("a/b", "root/link_in");
	mk_link("../outside", "root/link_out");
	mk_link("/etc/passwd", "root/link_abs");
	mk_link("..", "root/up");
	snprintf(abs_target, sizeof(abs_target), "%s", base);
	mk_link(abs_target, "root/absdir");
	mk_link("../nonexist", "root/link_dangle");

	assert_int_equal(os_fs_open(rootdir, 0, &fs), 0);
	assert_int_equal(os_fs_open(rootdir, OS_FS_NO_SYMLINKS, &fs_nosym), 0);
}

/* ------------------------------------------------------------ tests */

static void test_fs_open(void **state)
{
	struct os_fs *x;
	struct os_statfs st;

	(void)state;
	tree();
	assert_int_equal(os_fs_open("/nonexistent/dir", 0, &x), -OS_ENOENT);
	assert_int_equal(os_fs_open(rootdir, 0x100, &x), -OS_EINVAL);
	assert_int_equal(os_fs_statfs(fs, &st), 0);
	assert_true(st.block_size > 0);
	assert_true(st.blocks > 0);
	assert_true(st.blocks_free >= st.blocks_avail);
	assert_true(st.name_max >= 255);
}

static void test_confined(void **state)
{
	char buf[64];
	struct os_file *h;

	(void)state;
	assert_int_equal(slurp(fs, "a/b", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "hello\n");
	assert_int_equal(slurp(fs_nosym, "a/b", buf, sizeof(buf)), 0);

	assert_true(is_escape(os_open(fs, NULL, "../outside", OS_O_READ, 0, &h, NULL)));
	assert_true(is_escape(os_open(fs, NULL, "/etc/passwd", OS_O_READ, 0, &h, NULL)));
	assert_true(is_escape(os_open(fs, NULL, "link_out", OS_O_READ, 0, &h, NULL)));
	assert_true(is_escape(os_open(fs, NULL, "link_abs", OS_O_READ, 0, &h, NULL)));
	assert_true(is_escape(os_open(fs, NULL, "up/outside", OS_O_READ, 0, &h, NULL)));
	assert_true(is_escape(os_open(fs, NULL, "absdir/outside", 0, 0, &h, NULL)));
	assert_true(is_escape(os_open(fs, NULL, "a/../../outside", 0, 0, &h, NULL)));
	assert_true(is_escape(os_open(fs_nosym, NULL, "link_out", OS_O_READ, 0, &h, NULL)));
	assert_true(is_escape(os_open(fs_nosym, NULL, "../outside", 0, 0, &h, NULL)));

	/* A symlink inside: followed normally, refused with NO_SYMLINKS. */
	assert_int_equal(slurp(fs, "link_in", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "hello\n");
	assert_int_equal(os_open(fs_nosym, NULL, "link_in", OS_O_READ, 0, &h, NULL),
			 -OS_ELOOP);
	assert_int_equal(os_open(fs_nosym, NULL, "link_in", 0, 0, &h, NULL),
			 -OS_ELOOP);

	/* Creating through an escaping symlink creates nothing outside. */
	assert_true(is_escape(os_open(fs, NULL, "link_dangle", OS_O_CREATE | OS_O_WRITE,
				      0644, &h, NULL)));
	assert_int_equal(os_open(fs, NULL, "link_dangle",
				 OS_O_CREATE | OS_O_EXCL | OS_O_WRITE, 0644, &h, NULL),
			 -OS_EEXIST);
	assert_true(is_escape(os_open(fs, NULL, "up/evil", OS_O_CREATE | OS_O_WRITE,
				      0644, &h, NULL)));
	assert_true(is_escape(os_open(fs, NULL, "up/evildir", OS_O_CREATE | OS_O_DIR,
				      0755, &h, NULL)));
	assert_false(exists("nonexist"));
	assert_false(exists("evil"));
	assert_false(exists("evildir"));

	/* The root itself. */
	assert_int_equal(os_open(fs, NULL, "", OS_O_READ | OS_O_DIR, 0, &h, NULL), 0);
	os_close(h);
}

static void test_at(void **state)
{
	struct os_file *a, *m, *h;
	struct os_fs *other;
	char buf[16];
	u32 got;

	(void)state;
	assert_int_equal(os_open(fs, NULL, "a", OS_O_READ | OS_O_DIR, 0, &a, NULL), 0);
	assert_int_equal(os_open(fs, a, "b", OS_O_READ, 0, &h, NULL), 0);
	assert_int_equal(os_read(h, 0, buf, sizeof(buf), &got), 0);
	assert_int_equal(got, 6);
	os_close(h);
	/* Beneath at, not merely beneath the root. */
	assert_int_equal(os_open(fs, a, "../file", OS_O_READ, 0, &h, NULL), -OS_EXDEV);
	assert_int_equal(os_open(fs, a, "", 0, 0, &h, NULL), 0);
	os_close(h);

	/* A metadata-only directory handle works as at too. */
	assert_int_equal(os_open(fs, NULL, "a", OS_O_DIR, 0, &m, NULL), 0);
	assert_int_equal(os_open(fs, m, "b", OS_O_READ, 0, &h, NULL), 0);
	os_close(h);
	os_close(m);

	assert_int_equal(os_fs_open(rootdir, 0, &other), 0);
	assert_int_equal(os_open(other, a, "b", OS_O_READ, 0, &h, NULL), -OS_EINVAL);
	os_fs_close(other);
	os_close(a);
}

static void test_open_flags(void **state)
{
	struct os_file *h;
	char p[512];
	int created = -1;

	(void)state;
	assert_int_equal(os_open(fs, NULL, "sub", OS_O_READ | OS_O_NOTDIR, 0, &h, NULL),
			 -OS_EISDIR);
	assert_int_equal(os_open(fs, NULL, "sub", OS_O_NOTDIR, 0, &h, NULL), -OS_EISDIR);
	assert_int_equal(os_open(fs, NULL, "file", OS_O_READ | OS_O_DIR, 0, &h, NULL),
			 -OS_ENOTDIR);
	assert_int_equal(os_open(fs, NULL, "file", OS_O_DIR, 0, &h, NULL), -OS_ENOTDIR);
	assert_int_equal(os_open(fs, NULL, "sub", OS_O_WRITE, 0, &h, NULL), -OS_EISDIR);
	assert_int_equal(os_open(fs, NULL, "sub", OS_O_WRITE | OS_O_DIR, 0, &h, NULL),
			 -OS_EISDIR);
	assert_int_equal(os_open(fs, NULL, "sub", OS_O_DIR | OS_O_NOTDIR, 0, &h, NULL),
			 -OS_EINVAL);
	assert_int_equal(os_open(fs, NULL, "file", OS_O_TRUNC, 0, &h, NULL), -OS_EINVAL);
	assert_int_equal(os_open(fs, NULL, "missing", OS_O_READ, 0, &h, NULL), -OS_ENOENT);
	assert_int_equal(os_open(fs, NULL, "file", 0x10000, 0, &h, NULL), -OS_EINVAL);
	/* Reading a directory without OS_O_DIR is allowed (readdir). */
	assert_int_equal(os_open(fs, NULL, "sub", OS_O_READ, 0, &h, NULL), 0);
	os_close(h);

	/* Regular files: *created tells which call made it. */
	assert_int_equal(os_open(fs, NULL, "new.txt", OS_O_CREATE | OS_O_WRITE, 0640,
				 &h, &created), 0);
	assert_int_equal(created, 1);
	os_close(h);
	snprintf(p, sizeof(p), "%s/new.txt", rootdir);
	assert_int_equal(access(p, F_OK), 0);
	assert_int_equal(os_open(fs, NULL, "new.txt", OS_O_CREATE | OS_O_WRITE, 0640,
				 &h, &created), 0);
	assert_int_equal(created, 0);
	os_close(h);
	assert_int_equal(os_open(fs, NULL, "new.txt",
				 OS_O_CREATE | OS_O_EXCL | OS_O_WRITE, 0640, &h, &created),
			 -OS_EEXIST);
	assert_int_equal(created, 0);
	assert_int_equal(os_open(fs, NULL, "new2.txt",
				 OS_O_CREATE | OS_O_EXCL | OS_O_READ, 0600, &h, &created), 0);
	assert_int_equal(created, 1);
	os_close(h);
	assert_int_equal(os_open(fs, NULL, "missing/x", OS_O_CREATE | OS_O_WRITE, 0640,
				 &h, &created), -OS_ENOENT);

	/* A metadata-only create: made, but no data access through it. */
	assert_int_equal(os_open(fs, NULL, "meta_new", OS_O_CREATE, 0644, &h, &created), 0);
	assert_int_equal(created, 1);
	{
		char b[4];
		u32 got;

		assert_int_equal(os_read(h, 0, b, sizeof(b), &got), -OS_EBADF);
		assert_int_equal(os_write(h, 0, "x", 1), -OS_EBADF);
	}
	os_close(h);
	assert_int_equal(os_open(fs, NULL, "meta_new", OS_O_CREATE, 0644, &h, &created), 0);
	assert_int_equal(created, 0);
	os_close(h);

	/* A FIFO: refused for data without blocking, fine for metadata. */
	snprintf(p, sizeof(p), "%s/fifo", rootdir);
	assert_int_equal(mkfifo(p, 0644), 0);
	assert_int_equal(os_open(fs, NULL, "fifo", OS_O_READ, 0, &h, NULL), -OS_EACCES);
	assert_int_equal(os_open(fs, NULL, "fifo", 0, 0, &h, NULL), 0);
	os_close(h);
	unlink(p);
}

static void test_mkdir(void **state)
{
	struct os_file *h, *d;
	struct os_stat st;
	int created = -1;

	(void)state;
	assert_int_equal(os_open(fs, NULL, "newdir", OS_O_CREATE | OS_O_DIR, 0750,
				 &h, &created), 0);
	assert_int_equal(created, 1);
	assert_int_equal(os_stat(h, &st), 0);
	assert_int_equal(st.mode & OS_S_IFMT, OS_S_IFDIR);
	os_close(h);
	assert_int_equal(os_open(fs, NULL, "newdir", OS_O_CREATE | OS_O_DIR | OS_O_READ,
				 0750, &h, &created), 0);
	assert_int_equal(created, 0);
	os_close(h);
	assert_int_equal(os_open(fs, NULL, "newdir", OS_O_CREATE | OS_O_DIR | OS_O_EXCL,
				 0750, &h, &created), -OS_EEXIST);
	assert_int_equal(os_open(fs, NULL, "file", OS_O_CREATE | OS_O_DIR, 0750,
				 &h, &created), -OS_ENOTDIR);
	assert_int_equal(os_open(fs, NULL, "", OS_O_CREATE | OS_O_DIR | OS_O_EXCL, 0750,
				 &h, &created), -OS_EEXIST);
	assert_int_equal(os_open(fs, NULL, "newdir/..", OS_O_CREATE | OS_O_DIR, 0750,
				 &h, &created), -OS_EINVAL);

	/* Nested, relative to a directory handle. */
	assert_int_equal(os_open(fs, NULL, "newdir", OS_O_DIR, 0, &d, NULL), 0);
	assert_int_equal(os_open(fs, d, "inner", OS_O_CREATE | OS_O_DIR, 0755,
				 &h, &created), 0);
	assert_int_equal(created, 1);
	os_close(h);
	os_close(d);
	assert_true(exists("root/newdir/inner"));
}

static void test_data(void **state)
{
	static char big[10000], back[200];
	struct os_file *h, *m;
	struct os_stat st;
	u32 got, i;
	int r;

	(void)state;
	for (i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7);
	assert_int_equal(os_open(fs, NULL, "data.bin",
				 OS_O_CREATE | OS_O_READ | OS_O_WRITE, 0644, &h, NULL), 0);
	assert_int_equal(os_write(h, 0, big, sizeof(big)), 0);
	assert_int_equal(os_stat(h, &st), 0);
	assert_int_equal(st.size, sizeof(big));
	assert_int_equal(st.mode & OS_S_IFMT, OS_S_IFREG);
	assert_int_equal(st.nlink, 1);
	assert_true(st.mtime > FT_EPOCH);
	assert_int_equal(os_read(h, 9950, back, sizeof(back), &got), 0);
	assert_int_equal(got, 50);
	assert_memory_equal(back, big + 9950, 50);
	assert_int_equal(os_read(h, 10000, back, sizeof(back), &got), 0);
	assert_int_equal(got, 0);
	assert_int_equal(os_truncate(h, 100), 0);
	assert_int_equal(os_stat(h, &st), 0);
	assert_int_equal(st.size, 100);
	r = os_allocate(h, 1 << 20);
	if (r == -OS_EOPNOTSUPP) {
		fprintf(stderr, "note: fallocate KEEP_SIZE not supported here\n");
	} else {
		assert_int_equal(r, 0);
		assert_int_equal(os_stat(h, &st), 0);
		assert_int_equal(st.size, 100);
		assert_true(st.alloc >= (1 << 20));
	}
	assert_int_equal(os_fsync(h), 0);
	os_close(h);

	/* TRUNC then APPEND. */
	assert_int_equal(os_open(fs, NULL, "data.bin", OS_O_WRITE | OS_O_TRUNC, 0,
				 &h, NULL), 0);
	assert_int_equal(os_write(h, 0, "abc", 3), 0);
	os_close(h);
	assert_int_equal(os_open(fs, NULL, "data.bin", OS_O_WRITE | OS_O_APPEND, 0,
				 &h, NULL), 0);
	assert_int_equal(os_write(h, 0, "def", 3), 0);
	os_close(h);
	assert_int_equal(slurp(fs, "data.bin", back, sizeof(back)), 0);
	assert_string_equal(back, "abcdef");

	/* Read-only and metadata-only handles refuse what they lack. */
	assert_int_equal(os_open(fs, NULL, "data.bin", OS_O_READ, 0, &h, NULL), 0);
	assert_int_equal(os_write(h, 0, "x", 1), -OS_EBADF);
	assert_int_equal(os_truncate(h, 0), -OS_EBADF);
	assert_int_equal(os_allocate(h, 10), -OS_EBADF);
	assert_int_equal(os_fsync(h), 0);
	os_close(h);
	assert_int_equal(os_open(fs, NULL, "data.bin", 0, 0, &m, NULL), 0);
	assert_int_equal(os_read(m, 0, back, 1, &got), -OS_EBADF);
	assert_int_equal(os_write(m, 0, "x", 1), -OS_EBADF);
	assert_int_equal(os_truncate(m, 0), -OS_EBADF);
	assert_int_equal(os_allocate(m, 10), -OS_EBADF);
	assert_int_equal(os_fsync(m), -OS_EBADF);
	assert_int_equal(os_stat(m, &st), 0);
	assert_int_equal(st.size, 6);
	os_close(m);
}

static void test_stat_at(void **state)
{
	struct os_file *d;
	struct os_stat st;

	(void)state;
	assert_int_equal(os_open(fs, NULL, "", OS_O_DIR, 0, &d, NULL), 0);
	assert_int_equal(os_stat_at(d, "link_in", &st), 0);
	assert_int_equal(st.mode & OS_S_IFMT, OS_S_IFLNK);
	assert_int_equal(os_stat_at(d, "link_out", &st), 0);
	assert_int_equal(st.mode & OS_S_IFMT, OS_S_IFLNK);
	assert_int_equal(os_stat_at(d, "sub", &st), 0);
	assert_int_equal(st.mode & OS_S_IFMT, OS_S_IFDIR);
	assert_int_equal(os_stat_at(d, "file", &st), 0);
	assert_int_equal(st.size, 5);
	assert_int_equal(os_stat_at(d, ".", &st), 0);
	assert_int_equal(os_stat_at(d, "..", &st), -OS_EINVAL);
	assert_int_equal(os_stat_at(d, "a/b", &st), -OS_EINVAL);
	assert_int_equal(os_stat_at(d, "/etc", &st), -OS_EINVAL);
	assert_int_equal(os_stat_at(d, "", &st), -OS_EINVAL);
	assert_int_equal(os_stat_at(d, "missing", &st), -OS_ENOENT);
	os_close(d);
}

static void test_names(void **state)
{
	struct os_file *h;
	struct os_stat st;
	char buf[64];

	(void)state;
	/* Escaping parents (or names) change nothing, anywhere. */
	assert_true(is_escape(os_unlink(fs, "../outside", 0)));
	assert_true(is_escape(os_unlink(fs, "up/outside", 0)));
	assert_true(is_escape(os_unlink(fs, "absdir/outside", 0)));
	assert_true(is_escape(os_unlink(fs_nosym, "up/outside", 0)));
	assert_true(is_escape(os_rename(fs, "file", "up/stolen", 1)));
	assert_true(is_escape(os_rename(fs, "up/outside", "got", 1)));
	assert_true(is_escape(os_rename(fs, "absdir/outside", "got", 0)));
	assert_true(is_escape(os_link(fs, "up/outside", "got")));
	assert_true(is_escape(os_link(fs, "file", "absdir/stolen")));
	assert_int_equal(os_unlink(fs, "sub/..", 1), -OS_EINVAL);
	assert_int_equal(os_unlink(fs, "", 1), -OS_EINVAL);
	assert_int_equal(os_unlink(fs, "sub/", 1), -OS_EINVAL);
	assert_int_equal(os_rename(fs, "file", "sub/.", 1), -OS_EINVAL);
	assert_true(exists("outside"));
	assert_true(exists("root/file"));
	assert_false(exists("stolen"));
	assert_false(exists("root/got"));
	assert_int_equal(slurp(fs, "file", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "file\n");

	/* Unlinking a symlink that points outside removes the link only. */
	mk_link("../outside", "root/link_tmp");
	assert_int_equal(os_unlink(fs, "link_tmp", 0), 0);
	assert_false(exists("root/link_tmp"));
	assert_true(exists("outside"));

	/* rename with and without replace. */
	put_file("root/r1", "one");
	put_file("root/r2", "two");
	assert_int_equal(os_rename(fs, "r1", "r2", 0), -OS_EEXIST);
	assert_true(exists("root/r1"));
	assert_int_equal(os_rename(fs, "r1", "r2", 1), 0);
	assert_false(exists("root/r1"));
	assert_int_equal(slurp(fs, "r2", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "one");
	assert_int_equal(os_rename(fs, "r2", "sub/r3", 0), 0);
	assert_true(exists("root/sub/r3"));
	assert_int_equal(os_rename(fs, "missing", "x", 0), -OS_ENOENT);

	/* link and unlink. */
	assert_int_equal(os_link(fs, "sub/r3", "hard"), 0);
	assert_int_equal(os_open(fs, NULL, "hard", 0, 0, &h, NULL), 0);
	assert_int_equal(os_stat(h, &st), 0);
	assert_int_equal(st.nlink, 2);
	os_close(h);
	assert_int_equal(os_link(fs, "sub/r3", "hard"), -OS_EEXIST);
	assert_int_equal(os_unlink(fs, "hard", 0), 0);
	assert_int_equal(os_unlink(fs, "sub/r3", 0), 0);
	assert_int_equal(os_unlink(fs, "sub/r3", 0), -OS_ENOENT);

	/* Directories. */
	assert_int_equal(os_open(fs, NULL, "d1", OS_O_CREATE | OS_O_DIR, 0755, &h, NULL), 0);
	os_close(h);
	put_file("root/d1/x", "");
	assert_int_equal(os_unlink(fs, "d1", 1), -OS_ENOTEMPTY);
	assert_int_equal(os_unlink(fs, "d1/x", 0), 0);
	assert_int_equal(os_unlink(fs, "d1", 0), -OS_EISDIR);
	assert_int_equal(os_unlink(fs, "d1", 1), 0);
	assert_false(exists("root/d1"));
}

/* ------------------------------------------------------------ readdir */

struct seen {
	int count[NFILES];
	int dot, dotdot, other;
	int in_call;		/* entries taken in this os_readdir call */
	int stop_every;		/* 0: never stop */
};

static int collect(void *arg, const struct os_dirent *ent)
{
	struct seen *s = arg;
	char name[256];
	int n;

	if (s->stop_every && s->in_call == s->stop_every)
		return 1;
	s->in_call++;
	if (ent->name_len >= sizeof(name)) {
		s->other++;
		return 0;
	}
	memcpy(name, ent->name, ent->name_len);
	name[ent->name_len] = '\0';
	if (!strcmp(name, "."))
		s->dot++;
	else if (!strcmp(name, ".."))
		s->dotdot++;
	else if (sscanf(name, "f%d", &n) == 1 && n >= 0 && n < NFILES &&
		 ent->type == OS_S_IFREG)
		s->count[n]++;
	else
		s->other++;
	return 0;
}

/* Read dir d completely, stopping every stop_every entries. */
static int read_all(struct os_file *d, struct seen *s, int stop_every)
{
	u64 pos = 0, last = (u64)-1;
	int calls, r;

	memset(s, 0, sizeof(*s));
	s->stop_every = stop_every;
	for (calls = 0; calls < 10000; calls++) {
		s->in_call = 0;
		r = os_readdir(d, &pos, collect, s);
		if (r)
			return r;
		if (s->in_call == 0 && pos == last)
			return 0;	/* nothing more from pos */
		last = pos;
		if (!stop_every || s->in_call < stop_every)
			return 0;	/* the call reached the end */
	}
	return -1;
}

static void make_many(void)
{
	char rel[64];
	int i;

	mk_dir("root/many", 0755);
	for (i = 0; i < NFILES; i++) {
		snprintf(rel, sizeof(rel), "root/many/f%03d", i);
		put_file(rel, "");
	}
}

static void test_readdir(void **state)
{
	struct os_file *d;
	struct seen s;
	u64 pos;
	int i;

	(void)state;
	make_many();
	assert_int_equal(os_open(fs, NULL, "many", OS_O_READ | OS_O_DIR, 0, &d, NULL), 0);
	assert_int_equal(read_all(d, &s, 7), 0);
	for (i = 0; i < NFILES; i++)
		assert_int_equal(s.count[i], 1);
	assert_int_equal(s.dot, 1);
	assert_int_equal(s.dotdot, 1);
	assert_int_equal(s.other, 0);

	/* In one go, then again from the end: nothing more. */
	assert_int_equal(read_all(d, &s, 0), 0);
	for (i = 0; i < NFILES; i++)
		assert_int_equal(s.count[i], 1);
	pos = 0;
	memset(&s, 0, sizeof(s));
	assert_int_equal(os_readdir(d, &pos, collect, &s), 0);
	assert_int_equal(s.in_call, NFILES + 2);
	s.in_call = 0;
	assert_int_equal(os_readdir(d, &pos, collect, &s), 0);
	assert_int_equal(s.in_call, 0);
	os_close(d);

	/* A metadata-only handle cannot list. */
	assert_int_equal(os_open(fs, NULL, "many", OS_O_DIR, 0, &d, NULL), 0);
	pos = 0;
	assert_int_equal(os_readdir(d, &pos, collect, &s), -OS_EBADF);
	os_close(d);
}

/* Four threads, like the host's workers, each on its own handles. */
static void *worker(void *arg)
{
	int *fail = arg;
	struct os_file *d, *h;
	struct os_stat st;
	struct seen *s = calloc(1, sizeof(*s));
	int i, n;

	for (i = 0; s && i < 30; i++) {
		if (os_open(fs, NULL, "many", OS_O_READ | OS_O_DIR, 0, &d, NULL)) {
			(*fail)++;
			continue;
		}
		if (read_all(d, s, 5 + (i % 4)))
			(*fail)++;
		for (n = 0; n < NFILES; n++)
			if (s->count[n] != 1)
				(*fail)++;
		os_close(d);
		if (os_open(fs, NULL, "a/b", 0, 0, &h, NULL) || os_stat(h, &st) ||
		    st.size != 6)
			(*fail)++;
		else
			os_close(h);
	}
	free(s);
	return NULL;
}

static void test_threads(void **state)
{
	pthread_t t[4];
	int fail[4] = { 0 }, i;

	(void)state;
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, worker, &fail[i]), 0);
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(fail[i], 0);
	}
}

/* ------------------------------------------------------------ xattrs */

static void xattr_on(struct os_file *h)
{
	char buf[256];
	u32 len = 0;
	int r;

	r = os_setxattr(h, "user.test", "value", 5);
	if (r == -OS_EOPNOTSUPP) {
		skip();
		return;
	}
	assert_int_equal(r, 0);
	assert_int_equal(os_getxattr(h, "user.test", buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 5);
	assert_memory_equal(buf, "value", 5);
	assert_int_equal(os_getxattr(h, "user.test", buf, 2, &len), -OS_ERANGE);
	assert_int_equal(len, 5);
	assert_int_equal(os_getxattr(h, "user.test", NULL, 0, &len), -OS_ERANGE);
	assert_int_equal(len, 5);
	assert_int_equal(os_setxattr(h, "user.empty", "", 0), 0);
	assert_int_equal(os_getxattr(h, "user.empty", NULL, 0, &len), 0);
	assert_int_equal(len, 0);

	assert_int_equal(os_listxattr(h, buf, sizeof(buf), &len), 0);
	assert_true(len >= sizeof("user.test") + sizeof("user.empty"));
	assert_non_null(memmem(buf, len, "user.test\0", 10));
	assert_non_null(memmem(buf, len, "user.empty\0", 11));
	assert_int_equal(os_listxattr(h, buf, 3, &len), -OS_ERANGE);
	assert_true(len >= 21);

	assert_int_equal(os_removexattr(h, "user.test"), 0);
	assert_int_equal(os_removexattr(h, "user.empty"), 0);
	assert_int_equal(os_getxattr(h, "user.test", buf, sizeof(buf), &len),
			 -OS_ENODATA);
	assert_int_equal(os_removexattr(h, "user.test"), -OS_ENODATA);
}

static void test_xattr(void **state)
{
	struct os_file *h;
	char buf[16];
	u32 len;
	int r;

	(void)state;
	assert_int_equal(os_open(fs, NULL, "file", 0, 0, &h, NULL), 0);
	r = os_setxattr(h, "user.probe", "1", 1);
	if (r == -OS_EOPNOTSUPP) {
		os_close(h);
		fprintf(stderr, "skip: %s has no user xattrs (set TEST_VFS_DIR)\n", base);
		skip();
	}
	assert_int_equal(r, 0);
	assert_int_equal(os_removexattr(h, "user.probe"), 0);
	xattr_on(h);		/* metadata-only (O_PATH) */
	os_close(h);
	assert_int_equal(os_open(fs, NULL, "file", OS_O_READ, 0, &h, NULL), 0);
	xattr_on(h);		/* a data handle */
	os_close(h);
	/* A directory, metadata-only. */
	assert_int_equal(os_open(fs, NULL, "sub", OS_O_DIR, 0, &h, NULL), 0);
	assert_int_equal(os_setxattr(h, "user.d", "x", 1), 0);
	assert_int_equal(os_getxattr(h, "user.d", buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 1);
	os_close(h);
}

/* ------------------------------------------------------------ times */

static u64 ft(long long unix_sec, u32 ticks)
{
	return (u64)(unix_sec * 10000000LL + (long long)FT_EPOCH) + ticks;
}

static void test_times_chmod(void **state)
{
	struct os_file *h;
	struct os_stat before, st;
	u64 t1 = ft(1577934245, 1234567);	/* 2020-01-02 03:04:05.1234567 */
	u64 t2 = ft(1262304000, 9999999);
	u64 t3 = FT_EPOCH - 5000000;		/* 1969-12-31 23:59:59.5 */

	(void)state;
	assert_int_equal(os_open(fs, NULL, "file", 0, 0, &h, NULL), 0);
	assert_int_equal(os_stat(h, &before), 0);
	assert_int_equal(os_set_times(h, 0, t1), 0);
	assert_int_equal(os_stat(h, &st), 0);
	assert_int_equal(st.mtime, t1);
	assert_int_equal(st.atime, before.atime);
	assert_int_equal(os_set_times(h, t2, 0), 0);
	assert_int_equal(os_stat(h, &st), 0);
	assert_int_equal(st.atime, t2);
	assert_int_equal(st.mtime, t1);
	assert_int_equal(os_set_times(h, 0, 0), 0);
	assert_int_equal(os_set_times(h, (u64)-1, 0), -OS_EINVAL);

	assert_int_equal(os_chmod(h, 0604), 0);
	assert_int_equal(os_stat(h, &st), 0);
	assert_int_equal(st.mode & 07777, 0604);
	assert_int_equal(st.mode & OS_S_IFMT, OS_S_IFREG);
	assert_int_equal(os_chmod(h, 0644), 0);
	os_close(h);

	/* Through a data handle; and a time before 1970. */
	assert_int_equal(os_open(fs, NULL, "file", OS_O_READ, 0, &h, NULL), 0);
	assert_int_equal(os_set_times(h, t3, t2), 0);
	assert_int_equal(os_stat(h, &st), 0);
	assert_int_equal(st.mtime, t2);
	assert_int_equal(st.atime, t3);
	assert_int_equal(os_chmod(h, 0600), 0);
	assert_int_equal(os_stat(h, &st), 0);
	assert_int_equal(st.mode & 07777, 0600);
	assert_int_equal(os_chmod(h, 0644), 0);
	os_close(h);
}

/* ------------------------------------------------------------ identity */

#define TEST_UID 12345
#define TEST_GID 12346
#define TEST_GROUP 12347

struct cred_run {
	sem_t overridden, root_done;
	/* Results the user thread reports (cmocka asserts stay on main). */
	int create_r, secret_r, xattr_r, times_r;
	u32 uid, gid, fsuid_after;
	int supp_seen;
};

static void *as_user(void *arg)
{
	struct cred_run *c = arg;
	const u32 groups[1] = { TEST_GROUP };
	struct os_cred *cred = os_cred_new(TEST_UID, TEST_GID, 1, groups);
	struct os_file *h;
	struct os_stat st;
	void *saved;
	gid_t g[8];
	int n, i;

	saved = os_cred_override(cred);
	n = (int)syscall(SYS_getgroups, 8, g);
	for (i = 0; i < n; i++)
		if (g[i] == TEST_GROUP)
			c->supp_seen = 1;
	sem_post(&c->overridden);
	sem_wait(&c->root_done);

	c->create_r = os_open(fs, NULL, "shared/by_user", OS_O_CREATE | OS_O_WRITE,
			      0644, &h, NULL);
	if (!c->create_r) {
		os_stat(h, &st);
		c->uid = st.uid;
		c->gid = st.gid;
		os_close(h);
	}
	c->secret_r = os_open(fs, NULL, "secret", OS_O_READ, 0, &h, NULL);
	if (!c->secret_r)
		os_close(h);
	/* Metadata-only handles go through /proc/self/fd: still allowed. */
	c->xattr_r = os_open(fs, NULL, "shared/by_user", 0, 0, &h, NULL);
	if (!c->xattr_r) {
		c->xattr_r = os_setxattr(h, "user.owner", "u", 1);
		c->times_r = os_set_times(h, 0, ft(1577934245, 0));
		os_close(h);
	}
	os_cred_revert(saved);
	c->fsuid_after = (u32)syscall(SYS_setfsuid, -1);
	os_cred_free(cred);
	return NULL;
}

static void test_cred(void **state)
{
	struct cred_run c;
	struct os_file *h;
	struct os_stat st;
	pthread_t t;
	char p[512];

	(void)state;
	if (geteuid() != 0) {
		fprintf(stderr, "skip: the identity test needs root\n");
		/* Not root: override is a no-op that returns NULL. */
		assert_null(os_cred_override(NULL));
		skip();
	}
	assert_null(os_cred_new(1, 1, 1, NULL));
	mk_dir("root/shared", 0777);
	snprintf(p, sizeof(p), "%s/secret", rootdir);
	put_file("root/secret", "root only");
	assert_int_equal(chmod(p, 0600), 0);

	memset(&c, 0, sizeof(c));
	sem_init(&c.overridden, 0, 0);
	sem_init(&c.root_done, 0, 0);
	assert_int_equal(pthread_create(&t, NULL, as_user, &c), 0);
	sem_wait(&c.overridden);

	/* The other thread is switched; this one is still root. */
	assert_int_equal((int)syscall(SYS_setfsuid, -1), 0);
	assert_int_equal(os_open(fs, NULL, "shared/by_root", OS_O_CREATE | OS_O_WRITE,
				 0644, &h, NULL), 0);
	assert_int_equal(os_stat(h, &st), 0);
	assert_int_equal(st.uid, 0);
	os_close(h);
	assert_int_equal(os_open(fs, NULL, "secret", OS_O_READ, 0, &h, NULL), 0);
	os_close(h);
	sem_post(&c.root_done);
	pthread_join(t, NULL);

	assert_true(c.supp_seen);
	assert_int_equal(c.create_r, 0);
	assert_int_equal(c.uid, TEST_UID);
	assert_int_equal(c.gid, TEST_GID);
	assert_int_equal(c.secret_r, -OS_EACCES);
	if (c.xattr_r != -OS_EOPNOTSUPP)
		assert_int_equal(c.xattr_r, 0);
	assert_int_equal(c.times_r, 0);
	assert_int_equal(c.fsuid_after, 0);
	sem_destroy(&c.overridden);
	sem_destroy(&c.root_done);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fs_open),
		cmocka_unit_test(test_confined),
		cmocka_unit_test(test_at),
		cmocka_unit_test(test_open_flags),
		cmocka_unit_test(test_mkdir),
		cmocka_unit_test(test_data),
		cmocka_unit_test(test_stat_at),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_readdir),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_xattr),
		cmocka_unit_test(test_times_chmod),
		cmocka_unit_test(test_cred),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
