// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * In-kernel test of vfs.c (os.h files beneath a share root). Loading the
 * module runs every check against root= (a directory prepared by the
 * caller, see tests/vm/k2/run.sh: it holds symlinks pointing out of and
 * into the root, a mount point "mnt" and ../outside/secret next to it)
 * and prints "k2 selftest: PASS|FAIL ..." lines and a summary. The load
 * fails with -EINVAL when a check failed.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uidgid.h>

#include "os.h"

static char *root = "/srv/k2root";
module_param(root, charp, 0444);
MODULE_PARM_DESC(root, "the share root to test in (prepared by run.sh)");

static int n_pass, n_fail;

#define CHECK(cond, fmt, ...) do {					\
	if (cond) {							\
		n_pass++;						\
	} else {							\
		n_fail++;						\
		pr_err("k2 selftest: FAIL line %d: %s " fmt "\n",	\
		       __LINE__, #cond, ##__VA_ARGS__);			\
	}								\
} while (0)

/* os.h's log, for vfs.c's sake should it ever log. */
void os_log(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

struct names {
	char buf[32][64];
	u64 pos[32];
	int n;
	int stop_after;		/* refuse the entry after this many, -1 never */
};

static int collect(void *arg, const struct os_dirent *ent)
{
	struct names *nm = arg;
	u32 len = min_t(u32, ent->name_len, 63);

	if (nm->stop_after >= 0 && nm->n >= nm->stop_after)
		return 1;
	if (nm->n >= 32)
		return 1;
	memcpy(nm->buf[nm->n], ent->name, len);
	nm->buf[nm->n][len] = '\0';
	nm->pos[nm->n] = ent->pos;
	nm->n++;
	return 0;
}

static int has_name(const struct names *nm, const char *s)
{
	int i, c = 0;

	for (i = 0; i < nm->n; i++)
		c += !strcmp(nm->buf[i], s);
	return c;
}

static int open_rc(struct os_fs *fs, const char *path, u32 flags)
{
	struct os_file *f;
	int r = os_open(fs, NULL, path, flags, 0644, &f, NULL);

	if (!r)
		os_close(f);
	return r;
}

static void test_data(struct os_fs *fs)
{
	struct os_file *f, *m;
	struct os_stat st;
	char buf[32];
	int r, made = 0;
	u32 got;

	r = os_open(fs, NULL, "a.txt", OS_O_READ | OS_O_WRITE | OS_O_CREATE |
		    OS_O_EXCL | OS_O_NOTDIR, 0644, &f, &made);
	CHECK(!r && made == 1, "r=%d made=%d", r, made);
	if (r)
		return;
	CHECK(!os_write(f, 0, "hello world", 11), "");
	r = os_read(f, 0, buf, sizeof(buf), &got);
	CHECK(!r && got == 11 && !memcmp(buf, "hello world", 11), "r=%d got=%u", r, got);
	r = os_read(f, 100, buf, sizeof(buf), &got);
	CHECK(!r && got == 0, "r=%d got=%u", r, got);
	r = os_stat(f, &st);
	CHECK(!r && st.size == 11 && (st.mode & OS_S_IFMT) == OS_S_IFREG &&
	      st.nlink == 1 && st.mtime > 116444736000000000ULL && st.btime,
	      "r=%d size=%llu mode=%o btime=%llu", r, st.size, st.mode, st.btime);
	CHECK(!os_truncate(f, 5), "");
	CHECK(!os_allocate(f, 1 << 20), "");
	r = os_stat(f, &st);
	CHECK(!r && st.size == 5 && st.alloc >= (1 << 20), "size=%llu alloc=%llu",
	      st.size, st.alloc);
	CHECK(!os_fsync(f), "");
	/* A write far out: O_LARGEFILE is set (no EFBIG past 2 GiB). */
	CHECK(!os_write(f, 3ULL << 30, "x", 1), "");
	CHECK(!os_truncate(f, 5), "");

	/* xattrs on a data handle */
	CHECK(!os_setxattr(f, "user.test", "v1", 2), "");
	r = os_getxattr(f, "user.test", buf, 0, &got);
	CHECK(r == -OS_ERANGE && got == 2, "r=%d got=%u", r, got);
	r = os_getxattr(f, "user.test", buf, 1, &got);
	CHECK(r == -OS_ERANGE && got == 2, "r=%d got=%u", r, got);
	r = os_getxattr(f, "user.test", buf, sizeof(buf), &got);
	CHECK(!r && got == 2 && !memcmp(buf, "v1", 2), "r=%d got=%u", r, got);
	r = os_listxattr(f, buf, sizeof(buf), &got);
	CHECK(!r && got == 10 && !strcmp(buf, "user.test"), "r=%d got=%u", r, got);
	r = os_listxattr(f, buf, 0, &got);
	CHECK(r == -OS_ERANGE && got == 10, "r=%d got=%u", r, got);
	os_close(f);

	/* create again: EXCL refuses, plain create opens */
	r = os_open(fs, NULL, "a.txt", OS_O_WRITE | OS_O_CREATE | OS_O_EXCL, 0644, &f, &made);
	CHECK(r == -OS_EEXIST, "r=%d", r);
	r = os_open(fs, NULL, "a.txt", OS_O_READ | OS_O_CREATE, 0644, &f, &made);
	CHECK(!r && made == 0, "r=%d made=%d", r, made);
	if (!r)
		os_close(f);
	/* O_TRUNC */
	r = os_open(fs, NULL, "a.txt", OS_O_WRITE | OS_O_TRUNC, 0, &f, NULL);
	CHECK(!r, "r=%d", r);
	if (!r) {
		CHECK(!os_stat(f, &st) && st.size == 0, "size=%llu", st.size);
		CHECK(!os_write(f, 0, "0123456789", 10), "");
		os_close(f);
	}

	/* metadata-only handle */
	r = os_open(fs, NULL, "a.txt", 0, 0, &m, NULL);
	CHECK(!r, "r=%d", r);
	if (r)
		return;
	CHECK(os_read(m, 0, buf, 4, &got) == -OS_EBADF, "");
	CHECK(os_write(m, 0, "x", 1) == -OS_EBADF, "");
	CHECK(os_truncate(m, 0) == -OS_EBADF, "");
	CHECK(os_allocate(m, 10) == -OS_EBADF, "");
	CHECK(os_fsync(m) == -OS_EBADF, "");
	r = os_getxattr(m, "user.test", buf, sizeof(buf), &got);
	CHECK(!r && got == 2, "r=%d", r);
	CHECK(!os_removexattr(m, "user.test"), "");
	r = os_getxattr(m, "user.test", buf, sizeof(buf), &got);
	CHECK(r == -OS_ENODATA, "r=%d", r);
	CHECK(!os_setxattr(m, "user.meta", "m", 1), "");
	/* 2001-01-01 00:00:00 UTC = 12622780800 s after 1601 */
	CHECK(!os_set_times(m, 0, 126227808000000000ULL + 1234500), "");
	CHECK(!os_chmod(m, 0600), "");
	r = os_stat(m, &st);
	CHECK(!r && st.mtime == 126227808000000000ULL + 1234500 &&
	      (st.mode & 07777) == 0600 && st.size == 10,
	      "r=%d mtime=%llu mode=%o", r, st.mtime, st.mode);
	os_close(m);
}

static int test_dirs_with(struct os_fs *fs, struct names *all,
			  struct names *part);

static void test_dirs(struct os_fs *fs)
{
	struct names *all, *part;
	int r;

	all = kzalloc(sizeof(*all), GFP_KERNEL);
	part = kzalloc(sizeof(*part), GFP_KERNEL);
	r = -ENOMEM;
	if (all && part)
		r = test_dirs_with(fs, all, part);
	CHECK(!r, "r=%d", r);
	kfree(all);
	kfree(part);
}

static int test_dirs_with(struct os_fs *fs, struct names *all,
			  struct names *part)
{
	struct os_file *d, *f, *root_dir;
	struct os_stat st;
	u64 pos = 0;
	int r, made = 0, i, tries;

	all->stop_after = -1;

	r = os_open(fs, NULL, "d", OS_O_CREATE | OS_O_DIR, 0755, &d, &made);
	CHECK(!r && made == 1, "r=%d made=%d", r, made);
	if (r)
		return 0;
	r = os_open(fs, d, "f2", OS_O_WRITE | OS_O_CREATE, 0644, &f, &made);
	CHECK(!r && made == 1, "r=%d", r);
	if (!r)
		os_close(f);
	os_close(d);
	CHECK(!open_rc(fs, "d/f2", OS_O_READ), "");
	CHECK(open_rc(fs, "d", OS_O_READ | OS_O_NOTDIR) == -OS_EISDIR, "");
	CHECK(open_rc(fs, "a.txt", OS_O_DIR) == -OS_ENOTDIR, "");
	CHECK(open_rc(fs, "d", OS_O_CREATE | OS_O_DIR | OS_O_EXCL) == -OS_EEXIST, "");
	CHECK(open_rc(fs, "", OS_O_CREATE | OS_O_DIR | OS_O_EXCL) == -OS_EEXIST, "");
	CHECK(open_rc(fs, "nope/x", OS_O_CREATE | OS_O_WRITE) == -OS_ENOENT, "");

	r = os_open(fs, NULL, "", OS_O_READ | OS_O_DIR, 0, &root_dir, NULL);
	CHECK(!r, "r=%d", r);
	if (r)
		return 0;
	r = os_readdir(root_dir, &pos, collect, all);
	CHECK(!r && has_name(all, ".") == 1 && has_name(all, "..") == 1 &&
	      has_name(all, "a.txt") == 1 && has_name(all, "d") == 1 &&
	      has_name(all, "sub") == 1, "r=%d n=%d", r, all->n);
	/* at the end: nothing more */
	part->stop_after = -1;
	r = os_readdir(root_dir, &pos, collect, part);
	CHECK(!r && part->n == 0, "r=%d n=%d", r, part->n);

	/* stop every 2 entries, resume: the same set, each once */
	memset(part, 0, sizeof(*part));
	pos = 0;
	for (tries = 0; tries < 40; tries++) {
		int before = part->n;

		part->stop_after = part->n + 2;
		r = os_readdir(root_dir, &pos, collect, part);
		if (r || part->n == before)
			break;
	}
	CHECK(!r && part->n == all->n, "r=%d n=%d all=%d", r, part->n, all->n);
	for (i = 0; i < all->n; i++)
		CHECK(has_name(part, all->buf[i]) == 1, "%s", all->buf[i]);
	/* each pos gives its entry again */
	if (all->n > 3) {
		memset(part, 0, sizeof(*part));
		part->stop_after = 1;
		pos = all->pos[3];
		r = os_readdir(root_dir, &pos, collect, part);
		CHECK(!r && part->n == 1 && !strcmp(part->buf[0], all->buf[3]),
		      "r=%d %s", r, part->buf[0]);
	}

	/* stat_at: no final symlink followed */
	r = os_stat_at(root_dir, "out_abs", &st);
	CHECK(!r && (st.mode & OS_S_IFMT) == OS_S_IFLNK, "r=%d mode=%o", r, st.mode);
	r = os_stat_at(root_dir, "a.txt", &st);
	CHECK(!r && (st.mode & OS_S_IFMT) == OS_S_IFREG, "r=%d", r);
	CHECK(os_stat_at(root_dir, "..", &st) == -OS_EINVAL, "");
	CHECK(os_stat_at(root_dir, "d/f2", &st) == -OS_EINVAL, "");
	os_close(root_dir);

	/* a metadata-only directory handle cannot be listed */
	r = os_open(fs, NULL, "d", OS_O_DIR, 0, &d, NULL);
	CHECK(!r, "r=%d", r);
	if (!r) {
		pos = 0;
		CHECK(os_readdir(d, &pos, collect, all) == -OS_EBADF, "");
		os_close(d);
	}
	return 0;
}

#define BIG_N 400

struct big {
	u8 seen[BIG_N + 2];	/* [BIG_N] ".", [BIG_N + 1] ".." */
	int n, stop_every, since, bad;
};

static int big_collect(void *arg, const struct os_dirent *ent)
{
	struct big *b = arg;
	char name[16];
	unsigned int k;

	if (b->stop_every && b->since >= b->stop_every) {
		b->since = 0;
		return 1;
	}
	b->since++;
	b->n++;
	if (ent->name_len == 1 && ent->name[0] == '.') {
		b->seen[BIG_N]++;
	} else if (ent->name_len == 2 && !memcmp(ent->name, "..", 2)) {
		b->seen[BIG_N + 1]++;
	} else if (ent->name_len > 5 && ent->name_len < 60 &&
		   !memcmp(ent->name, "file-", 5)) {
		memcpy(name, ent->name + 5, 3);
		name[3] = '\0';
		if (kstrtouint(name, 10, &k) || k >= BIG_N)
			b->bad++;
		else
			b->seen[k]++;
	} else {
		b->bad++;
	}
	return 0;
}

/* A directory larger than a block: ext4 indexes it (htree, hash positions). */
static void test_big_dir(struct os_fs *fs)
{
	struct os_file *d, *f;
	struct big *b;
	char name[64];
	int i, r, ok, rounds;
	u64 pos;

	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return;
	r = os_open(fs, NULL, "big", OS_O_CREATE | OS_O_DIR, 0755, &d, NULL);
	CHECK(!r, "r=%d", r);
	if (r)
		goto out;
	for (i = 0; i < BIG_N; i++) {
		snprintf(name, sizeof(name), "file-%03d-padding-to-fill-blocks-quickly", i);
		r = os_open(fs, d, name, OS_O_WRITE | OS_O_CREATE | OS_O_EXCL, 0644, &f, NULL);
		if (r)
			break;
		os_close(f);
	}
	CHECK(!r, "create %d: r=%d", i, r);
	os_close(d);
	r = os_open(fs, NULL, "big", OS_O_READ | OS_O_DIR, 0, &d, NULL);
	CHECK(!r, "r=%d", r);
	if (r)
		goto out;
	/* stop every 7 entries and resume from *pos, on the same handle */
	b->stop_every = 7;
	pos = 0;
	for (rounds = 0; rounds < 1000; rounds++) {
		int before = b->n;

		r = os_readdir(d, &pos, big_collect, b);
		if (r || b->n == before)
			break;
	}
	ok = !r && b->n == BIG_N + 2 && !b->bad;
	for (i = 0; i < BIG_N + 2; i++)
		ok &= b->seen[i] == 1;
	CHECK(ok, "r=%d n=%d bad=%d rounds=%d", r, b->n, b->bad, rounds);
	/* in one go from 0 */
	memset(b, 0, sizeof(*b));
	pos = 0;
	r = os_readdir(d, &pos, big_collect, b);
	CHECK(!r && b->n == BIG_N + 2 && !b->bad, "r=%d n=%d", r, b->n);
	os_close(d);
	for (i = 0; i < BIG_N; i++) {
		snprintf(name, sizeof(name), "big/file-%03d-padding-to-fill-blocks-quickly", i);
		r = os_unlink(fs, name, 0);
		if (r)
			break;
	}
	CHECK(!r, "unlink %d: r=%d", i, r);
	CHECK(!os_unlink(fs, "big", 1), "");
out:
	kfree(b);
}

static void test_names(struct os_fs *fs)
{
	struct os_file *f;
	struct os_stat st;
	int r;

	CHECK(!os_rename(fs, "a.txt", "b.txt", 0), "");
	CHECK(open_rc(fs, "a.txt", 0) == -OS_ENOENT, "");
	CHECK(!os_link(fs, "b.txt", "d/c.txt"), "");
	r = os_open(fs, NULL, "d/c.txt", 0, 0, &f, NULL);
	CHECK(!r && !os_stat(f, &st) && st.nlink == 2, "r=%d nlink=%u", r, st.nlink);
	if (!r)
		os_close(f);
	CHECK(os_link(fs, "b.txt", "d/c.txt") == -OS_EEXIST, "");
	CHECK(os_rename(fs, "b.txt", "d/c.txt", 0) == -OS_EEXIST, "");
	CHECK(!os_rename(fs, "d/f2", "b.txt", 1), "");
	CHECK(os_rename(fs, "d", "d/sub", 0) == -OS_EINVAL, "");
	CHECK(os_rename(fs, "nope", "x", 0) == -OS_ENOENT, "");
	CHECK(os_unlink(fs, "d", 1) == -OS_ENOTEMPTY, "");
	CHECK(os_unlink(fs, "d", 0) == -OS_EISDIR, "");
	CHECK(os_unlink(fs, "b.txt", 1) == -OS_ENOTDIR, "");
	CHECK(!os_unlink(fs, "d/c.txt", 0), "");
	CHECK(!os_unlink(fs, "d", 1), "");
	CHECK(!os_unlink(fs, "b.txt", 0), "");
	CHECK(os_unlink(fs, "b.txt", 0) == -OS_ENOENT, "");
	CHECK(os_unlink(fs, "", 0) == -OS_EINVAL, "");
	CHECK(os_unlink(fs, "sub/..", 1) == -OS_EINVAL, "");
	CHECK(os_rename(fs, ".", "x", 0) == -OS_EINVAL, "");
}

static void test_confinement(struct os_fs *fs)
{
	struct os_fs *ns, *xm;
	int r;

	CHECK(open_rc(fs, "..", 0) == -OS_EXDEV, "%d", open_rc(fs, "..", 0));
	CHECK(open_rc(fs, "../outside/secret", OS_O_READ) == -OS_EXDEV, "");
	CHECK(open_rc(fs, "sub/../../outside/secret", OS_O_READ) == -OS_EXDEV, "");
	CHECK(open_rc(fs, "/etc/passwd", OS_O_READ) == -OS_EXDEV, "");
	r = open_rc(fs, "out_rel", OS_O_READ);
	CHECK(r == -OS_EXDEV, "r=%d", r);
	r = open_rc(fs, "out_abs", OS_O_READ);
	CHECK(r == -OS_EXDEV, "r=%d", r);
	CHECK(open_rc(fs, "out_abs", 0) == -OS_EXDEV, "");
	CHECK(open_rc(fs, "out_dir/secret", OS_O_READ) == -OS_EXDEV, "");
	CHECK(open_rc(fs, "out_rel", OS_O_WRITE | OS_O_CREATE) == -OS_EXDEV, "");
	CHECK(os_unlink(fs, "../outside/secret", 0) == -OS_EXDEV, "");
	CHECK(os_unlink(fs, "out_dir/secret", 0) == -OS_EXDEV, "");
	CHECK(os_rename(fs, "sub/inner", "../escaped", 0) == -OS_EXDEV, "");
	CHECK(os_link(fs, "../outside/secret", "stolen") == -OS_EXDEV, "");
	/* inside: symlinks work, a mount point is not crossed */
	CHECK(!open_rc(fs, "in_link", OS_O_READ), "%d", open_rc(fs, "in_link", OS_O_READ));
	CHECK(!open_rc(fs, "sub/up/sub/inner", OS_O_READ), "");
	CHECK(!open_rc(fs, "sub/../sub/inner", OS_O_READ), "");
	/* create-or-open through a final symlink out of its parent, inside the root */
	{
		struct os_file *f;
		struct os_stat st;
		int made = 5;

		r = os_open(fs, NULL, "sub/to_root", OS_O_READ | OS_O_CREATE, 0644, &f, &made);
		CHECK(!r && made == 0, "r=%d made=%d", r, made);
		if (!r)
			os_close(f);
		r = os_open(fs, NULL, "", OS_O_DIR, 0, &f, NULL);
		CHECK(!r, "r=%d", r);
		if (!r) {
			/* a mount point is listed (stat) even where not entered */
			r = os_stat_at(f, "mnt", &st);
			CHECK(!r && (st.mode & OS_S_IFMT) == OS_S_IFDIR, "r=%d", r);
			os_close(f);
		}
		/* a new read-only file with TRUNC: made, no EACCES */
		r = os_open(fs, NULL, "ro.txt", OS_O_WRITE | OS_O_TRUNC | OS_O_CREATE | OS_O_EXCL,
			    0444, &f, &made);
		CHECK(!r && made == 1, "r=%d", r);
		if (!r) {
			CHECK(!os_write(f, 0, "abc", 3), "");
			os_close(f);
			CHECK(!os_unlink(fs, "ro.txt", 0), "");
		}
	}
	r = open_rc(fs, "mnt/m.txt", OS_O_READ);
	CHECK(r == -OS_EXDEV, "r=%d", r);
	CHECK(open_rc(fs, "fifo", OS_O_READ) == -OS_EACCES, "");
	CHECK(!open_rc(fs, "fifo", 0), "");

	r = os_fs_open(root, OS_FS_NO_SYMLINKS, &ns);
	CHECK(!r, "r=%d", r);
	if (!r) {
		CHECK(open_rc(ns, "in_link", OS_O_READ) == -OS_ELOOP, "");
		CHECK(open_rc(ns, "sub/up/sub/inner", OS_O_READ) == -OS_ELOOP, "");
		CHECK(!open_rc(ns, "sub/inner", OS_O_READ), "");
		os_fs_close(ns);
	}
	r = os_fs_open(root, OS_FS_CROSSMNT, &xm);
	CHECK(!r, "r=%d", r);
	if (!r) {
		CHECK(!open_rc(xm, "mnt/m.txt", OS_O_READ), "");
		CHECK(open_rc(xm, "out_abs", OS_O_READ) == -OS_EXDEV, "");
		os_fs_close(xm);
	}
}

/* Permission checks are the caller's: run as uid/gid 1000, no capabilities. */
static void test_identity(struct os_fs *fs)
{
	const struct cred *old;
	struct os_file *f;
	struct cred *c;
	int r;

	r = os_open(fs, NULL, "private", OS_O_WRITE | OS_O_CREATE, 0600, &f, NULL);
	CHECK(!r, "r=%d", r);
	if (r)
		return;
	os_close(f);
	c = prepare_creds();
	if (!c)
		return;
	c->fsuid = KUIDT_INIT(1000);
	c->euid = KUIDT_INIT(1000);
	c->fsgid = KGIDT_INIT(1000);
	c->egid = KGIDT_INIT(1000);
	cap_clear(c->cap_effective);
	old = override_creds(c);
	CHECK(open_rc(fs, "private", OS_O_READ) == -OS_EACCES, "");
	CHECK(open_rc(fs, "private", OS_O_WRITE) == -OS_EACCES, "");
	CHECK(!open_rc(fs, "private", 0), "");
	/* the root dir is 0777 (run.sh): the user may create; owner is the user */
	r = os_open(fs, NULL, "userfile", OS_O_WRITE | OS_O_CREATE, 0644, &f, NULL);
	CHECK(!r, "r=%d", r);
	if (!r) {
		struct os_stat st;

		CHECK(!os_stat(f, &st) && st.uid == 1000 && st.gid == 1000,
		      "uid=%u", st.uid);
		CHECK(!os_set_times(f, 126227808000000000ULL, 0), "");
		os_close(f);
	}
	r = os_open(fs, NULL, "private", 0, 0, &f, NULL);
	if (!r) {
		CHECK(os_chmod(f, 0666) == -OS_EPERM, "");
		CHECK(os_set_times(f, 126227808000000000ULL, 0) == -OS_EPERM, "");
		os_close(f);
	}
	CHECK(!os_unlink(fs, "userfile", 0), "");
	revert_creds(old);
	put_cred(c);
	CHECK(!os_unlink(fs, "private", 0), "");
}

static int __init k2_selftest_init(void)
{
	struct os_statfs sf;
	struct os_fs *fs;
	int r;

	CHECK(os_fs_open("/nonexistent-k2", 0, &fs) == -OS_ENOENT, "");
	r = os_fs_open(root, 0, &fs);
	CHECK(!r, "os_fs_open(%s) = %d", root, r);
	if (r)
		return -EINVAL;
	r = os_fs_statfs(fs, &sf);
	CHECK(!r && sf.block_size && sf.blocks && sf.name_max == 255, "r=%d", r);
	test_data(fs);
	test_dirs(fs);
	test_big_dir(fs);
	test_names(fs);
	test_confinement(fs);
	test_identity(fs);
	os_fs_close(fs);
	pr_info("k2 selftest: %s: %d passed, %d failed\n",
		n_fail ? "FAIL" : "PASS", n_pass, n_fail);
	return n_fail ? -EINVAL : 0;
}

static void __exit k2_selftest_exit(void)
{
}

module_init(k2_selftest_init);
module_exit(k2_selftest_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("smbd-ng: self-test of the kernel host's os.h files (vfs.c)");
