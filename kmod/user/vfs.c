// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * os.h files for userspace: every name is resolved beneath the share root
 * with openat2(RESOLVE_BENEATH), so that "..", absolute names and symlinks
 * cannot leave it whatever the core hands us. Operations on names (unlink,
 * rename, link, mkdir) open the parent directory beneath the root and act
 * on a single last component relative to it.
 */
#define _GNU_SOURCE	/* statx, renameat2, fallocate, AT_EMPTY_PATH */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "os.h"

struct os_fs {
	int root;		/* O_PATH | O_DIRECTORY */
	u32 flags;		/* OS_FS_* */
	u64 resolve;		/* RESOLVE_* for every lookup beneath root */
};

struct os_file {
	struct os_fs *fs;
	int fd;
	u32 access;		/* OS_O_READ | OS_O_WRITE it was opened for */
	int opath;		/* fd is O_PATH: use the /proc/self/fd name */
	pthread_mutex_t dir_lock;	/* lseek + getdents of os_readdir */
};

#define OS_O_ALL (OS_O_READ | OS_O_WRITE | OS_O_CREATE | OS_O_EXCL | \
		  OS_O_TRUNC | OS_O_DIR | OS_O_NOTDIR | OS_O_APPEND)

/* openat2 may fail with EAGAIN when a rename races a lookup: retry. */
#define OPENAT2_TRIES	8
/* Create-or-open can race with another creator/remover: bounded retries. */
#define CREATE_TRIES	4

/*
 * errno to -OS_E*: the numbers are Linux's, so known values pass as they
 * are and anything os.h does not name becomes -OS_EIO.
 */
static int os_err(int e)
{
	switch (e) {
	case EPERM: case ENOENT: case EIO: case EBADF: case EAGAIN:
	case ENOMEM: case EACCES: case EBUSY: case EEXIST: case EXDEV:
	case ENOTDIR: case EISDIR: case EINVAL: case EMFILE: case EFBIG:
	case ENOSPC: case EROFS: case EMLINK: case ERANGE: case ENAMETOOLONG:
	case ENOSYS: case ENOTEMPTY: case ELOOP: case ENODATA: case EPROTO:
	case EOVERFLOW: case EMSGSIZE: case EOPNOTSUPP: case ECONNRESET:
	case ETIMEDOUT: case EDQUOT:
		return -e;
	case ENFILE:
		return -OS_EMFILE;
	case ETXTBSY:
		return -OS_EBUSY;
	case E2BIG:		/* xattr value larger than the fs takes */
		return -OS_ENOSPC;
	default:
		return -OS_EIO;
	}
}

static int do_openat2(int dirfd, const char *path, u64 flags, u64 mode,
		      u64 resolve)
{
	struct open_how how = {
		.flags = flags | O_CLOEXEC,
		.mode = mode,
		.resolve = resolve,
	};
	int i, fd = -1;

	for (i = 0; i < OPENAT2_TRIES; i++) {
		fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
		if (fd >= 0)
			return fd;
		if (errno != EAGAIN && errno != EINTR)
			break;
	}
	return os_err(errno);
}

/* The root itself is named "" by the core; openat2 wants ".". */
static const char *rel(const char *path)
{
	return *path ? path : ".";
}

/*
 * Split path into its parent (copied to buf) and its last component.
 * The last component must be a real name: not empty, "." or "..".
 */
static int split_path(const char *path, char *buf, size_t cap,
		      const char **last)
{
	const char *slash = strrchr(path, '/');
	size_t plen;

	if (!slash) {
		buf[0] = '\0';
		*last = path;
	} else {
		plen = (size_t)(slash - path);
		if (plen >= cap)
			return -OS_ENAMETOOLONG;
		memcpy(buf, path, plen);
		buf[plen] = '\0';
		*last = slash + 1;
	}
	if (!**last || !strcmp(*last, ".") || !strcmp(*last, ".."))
		return -OS_EINVAL;
	return 0;
}

/* Open the parent directory of path beneath dirfd; *last names the entry. */
static int open_parent(struct os_fs *fs, int dirfd, const char *path,
		       const char **last)
{
	char parent[PATH_MAX];
	int r;

	r = split_path(path, parent, sizeof(parent), last);
	if (r)
		return r;
	return do_openat2(dirfd, rel(parent), O_PATH | O_DIRECTORY, 0,
			  fs->resolve);
}

int os_fs_open(const char *root, u32 flags, struct os_fs **out)
{
	struct os_fs *fs;
	int fd, probe;

	if (!root || !out || (flags & ~(OS_FS_NO_SYMLINKS | OS_FS_CROSSMNT)))
		return -OS_EINVAL;
	fs = calloc(1, sizeof(*fs));
	if (!fs)
		return -OS_ENOMEM;
	fs->flags = flags;
	fs->resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	if (flags & OS_FS_NO_SYMLINKS)
		fs->resolve |= RESOLVE_NO_SYMLINKS;
	if (!(flags & OS_FS_CROSSMNT))
		fs->resolve |= RESOLVE_NO_XDEV;

	fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		int e = os_err(errno);

		free(fs);
		return e;
	}
	fs->root = fd;

	/* Without openat2 (Linux < 5.6) nothing could be confined: refuse. */
	probe = do_openat2(fd, ".", O_PATH | O_DIRECTORY, 0, fs->resolve);
	if (probe < 0) {
		if (probe == -OS_ENOSYS)
			os_log(OS_LOG_ERR, "openat2 is missing (Linux >= 5.6 needed): no share can be served");
		close(fd);
		free(fs);
		return probe;
	}
	close(probe);
	*out = fs;
	return 0;
}

void os_fs_close(struct os_fs *fs)
{
	if (!fs)
		return;
	close(fs->root);
	free(fs);
}

int os_fs_statfs(struct os_fs *fs, struct os_statfs *st)
{
	struct statfs s;

	if (fstatfs(fs->root, &s) < 0)
		return os_err(errno);
	/* f_blocks and friends count fragments when the fs has them. */
	st->block_size = s.f_frsize ? (u64)s.f_frsize : (u64)s.f_bsize;
	st->blocks = s.f_blocks;
	st->blocks_free = s.f_bfree;
	st->blocks_avail = s.f_bavail;
	st->fsid = (u64)(u32)s.f_fsid.__val[0] |
		   (u64)(u32)s.f_fsid.__val[1] << 32;
	st->name_max = (u32)s.f_namelen;
	return 0;
}

/* -- open ---------------------------------------------------------------- */

static int new_file(struct os_fs *fs, int fd, u32 access, int opath,
		    struct os_file **out)
{
	struct os_file *f = calloc(1, sizeof(*f));

	if (!f) {
		close(fd);
		return -OS_ENOMEM;
	}
	f->fs = fs;
	f->fd = fd;
	f->access = access;
	f->opath = opath;
	pthread_mutex_init(&f->dir_lock, NULL);
	*out = f;
	return 0;
}

/* open(2) flags for an os_open of flags, O_CREAT aside. */
static u64 open_flags(u32 flags)
{
	u64 o;

	switch (flags & (OS_O_READ | OS_O_WRITE)) {
	case OS_O_READ | OS_O_WRITE:
		o = O_RDWR;
		break;
	case OS_O_WRITE:
		o = O_WRONLY;
		break;
	case OS_O_READ:
		o = O_RDONLY;
		break;
	default:
		/* Metadata only: O_PATH takes no other flag but these. */
		return O_PATH | ((flags & OS_O_DIR) ? O_DIRECTORY : 0);
	}
	/*
	 * O_NONBLOCK: opening a FIFO for data must not park a worker
	 * forever; it is cleared again once we know the file is regular.
	 */
	o |= O_NONBLOCK | O_NOCTTY;
	if (flags & OS_O_DIR)
		o |= O_DIRECTORY;
	if (flags & OS_O_APPEND)
		o |= O_APPEND;
	if (flags & OS_O_TRUNC)
		o |= O_TRUNC;
	return o;
}

/*
 * Create the regular file path (or open it when it exists and EXCL is not
 * asked) and tell which of the two happened. A metadata-only create opens
 * O_RDONLY, the only way to create through open(2); the handle still
 * refuses data access.
 */
static int create_file(struct os_fs *fs, int dirfd, const char *path,
		       u32 flags, u32 mode, int *created)
{
	u64 plain = open_flags(flags);
	u64 creat = (plain & O_PATH) ? (O_RDONLY | O_NONBLOCK | O_NOCTTY) :
		    plain;
	int i, fd = -OS_ENOENT;

	creat |= O_CREAT | O_EXCL;
	for (i = 0; i < CREATE_TRIES; i++) {
		if (!(flags & OS_O_EXCL)) {
			fd = do_openat2(dirfd, path, plain, 0, fs->resolve);
			if (fd != -OS_ENOENT)
				return fd;
		}
		fd = do_openat2(dirfd, path, creat, mode & 07777, fs->resolve);
		if (fd >= 0) {
			*created = 1;
			return fd;
		}
		/* Someone created it between our two tries: open it. */
		if (fd != -OS_EEXIST || (flags & OS_O_EXCL))
			return fd;
	}
	return fd;
}

/* mkdir path (unless it exists and EXCL is not asked), then open it. */
static int create_dir(struct os_fs *fs, int dirfd, const char *path,
		      u32 flags, u32 mode, int *created)
{
	const char *last;
	int pfd, fd;

	if (!*path) {
		/* The root always exists. */
		if (flags & OS_O_EXCL)
			return -OS_EEXIST;
		return do_openat2(dirfd, ".", open_flags(flags), 0,
				  fs->resolve);
	}
	pfd = open_parent(fs, dirfd, path, &last);
	if (pfd < 0)
		return pfd;
	if (mkdirat(pfd, last, mode & 07777) == 0) {
		*created = 1;
	} else if (errno != EEXIST || (flags & OS_O_EXCL)) {
		fd = os_err(errno);
		close(pfd);
		return fd;
	}
	/* Relative to the parent we already hold: no second walk. */
	fd = do_openat2(pfd, last, open_flags(flags), 0, fs->resolve);
	close(pfd);
	return fd;
}

/* What os_open checks once the file is open; 0 or an error (fd kept). */
static int check_opened(int fd, u32 flags, int opath)
{
	struct stat st;
	int fl;

	if (!opath || (flags & OS_O_NOTDIR)) {
		if (fstat(fd, &st) < 0)
			return os_err(errno);
		if ((flags & OS_O_NOTDIR) && S_ISDIR(st.st_mode))
			return -OS_EISDIR;
		/* Data access to FIFOs, sockets and devices: not served. */
		if (!opath && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
			return -OS_EACCES;
	}
	if (!opath) {
		fl = fcntl(fd, F_GETFL);
		if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0)
			return os_err(errno);
	}
	return 0;
}

int os_open(struct os_fs *fs, struct os_file *at, const char *path,
	    u32 flags, u32 mode, struct os_file **out, int *created)
{
	u32 access = flags & (OS_O_READ | OS_O_WRITE);
	int made = 0, dirfd, fd, r, opath;

	if (created)
		*created = 0;
	if (!fs || !path || !out || (flags & ~OS_O_ALL))
		return -OS_EINVAL;
	if (at && at->fs != fs)
		return -OS_EINVAL;
	if ((flags & OS_O_DIR) && (flags & OS_O_NOTDIR))
		return -OS_EINVAL;
	if ((flags & OS_O_DIR) && (flags & (OS_O_WRITE | OS_O_TRUNC)))
		return -OS_EISDIR;
	/* Truncating is writing: a handle without write access cannot. */
	if ((flags & OS_O_TRUNC) && !(flags & OS_O_WRITE))
		return -OS_EINVAL;

	dirfd = at ? at->fd : fs->root;
	opath = !access;
	if ((flags & OS_O_CREATE) && (flags & OS_O_DIR))
		fd = create_dir(fs, dirfd, path, flags, mode, &made);
	else if (flags & OS_O_CREATE)
		fd = create_file(fs, dirfd, rel(path), flags, mode, &made);
	else
		fd = do_openat2(dirfd, rel(path), open_flags(flags), 0,
				fs->resolve);
	if (fd < 0)
		return fd;
	/*
	 * A metadata-only file create holds the O_RDONLY fd it was made
	 * with (a created directory is opened O_PATH like any other).
	 */
	if (made && opath && !(flags & OS_O_DIR))
		opath = 0;

	r = check_opened(fd, flags, opath);
	if (r) {
		close(fd);
		return r;
	}
	r = new_file(fs, fd, access, opath, out);
	if (!r && created)
		*created = made;
	return r;
}

void os_close(struct os_file *f)
{
	if (!f)
		return;
	pthread_mutex_destroy(&f->dir_lock);
	close(f->fd);
	free(f);
}

/* -- attributes ---------------------------------------------------------- */

/* 100 ns intervals between 1601-01-01 and 1970-01-01. */
#define FILETIME_UNIX_EPOCH 116444736000000000LL

static u64 to_filetime(const struct statx_timestamp *t)
{
	long long v = (long long)t->tv_sec;

	/* Before 1601 (or absurdly late) cannot be said in FILETIME. */
	if (v < -FILETIME_UNIX_EPOCH / 10000000LL)
		return 0;
	if (v > (LLONG_MAX - FILETIME_UNIX_EPOCH) / 10000000LL - 1)
		return (u64)LLONG_MAX;
	return (u64)(v * 10000000LL + t->tv_nsec / 100 + FILETIME_UNIX_EPOCH);
}

static void fill_stat(const struct statx *sx, struct os_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->dev = ((u64)sx->stx_dev_major << 32) | sx->stx_dev_minor;
	st->ino = sx->stx_ino;
	st->size = sx->stx_size;
	st->alloc = sx->stx_blocks * 512;
	st->atime = to_filetime(&sx->stx_atime);
	st->mtime = to_filetime(&sx->stx_mtime);
	st->ctime = to_filetime(&sx->stx_ctime);
	if (sx->stx_mask & STATX_BTIME)
		st->btime = to_filetime(&sx->stx_btime);
	st->mode = sx->stx_mode;
	st->nlink = sx->stx_nlink;
	st->uid = sx->stx_uid;
	st->gid = sx->stx_gid;
}

int os_stat(struct os_file *f, struct os_stat *st)
{
	struct statx sx;

	if (statx(f->fd, "", AT_EMPTY_PATH | AT_STATX_SYNC_AS_STAT,
		  STATX_BASIC_STATS | STATX_BTIME, &sx) < 0)
		return os_err(errno);
	fill_stat(&sx, st);
	return 0;
}

int os_stat_at(struct os_file *dir, const char *name, struct os_stat *st)
{
	struct statx sx;

	/* One component of dir, never its parent: nothing can escape. */
	if (!name || !*name || strchr(name, '/') || !strcmp(name, ".."))
		return -OS_EINVAL;
	if (statx(dir->fd, name, AT_SYMLINK_NOFOLLOW | AT_STATX_SYNC_AS_STAT,
		  STATX_BASIC_STATS | STATX_BTIME, &sx) < 0)
		return os_err(errno);
	fill_stat(&sx, st);
	return 0;
}

/* The name an O_PATH fd is reachable by for calls that take no fd. */
static void fd_path(const struct os_file *f, char *buf, size_t cap)
{
	snprintf(buf, cap, "/proc/self/fd/%d", f->fd);
}

#define FD_PATH_MAX 32

static int filetime_to_ts(u64 v, struct timespec *ts)
{
	long long d, sec, rem;

	if (!v) {
		ts->tv_sec = 0;
		ts->tv_nsec = UTIME_OMIT;
		return 0;
	}
	if (v > (u64)LLONG_MAX)
		return -OS_EINVAL;
	d = (long long)v - FILETIME_UNIX_EPOCH;
	sec = d / 10000000LL;
	rem = d % 10000000LL;
	if (rem < 0) {
		rem += 10000000LL;
		sec--;
	}
	ts->tv_sec = (time_t)sec;
	ts->tv_nsec = (long)(rem * 100);
	return 0;
}

int os_set_times(struct os_file *f, u64 atime, u64 mtime)
{
	struct timespec ts[2];
	char p[FD_PATH_MAX];
	int r;

	r = filetime_to_ts(atime, &ts[0]);
	if (!r)
		r = filetime_to_ts(mtime, &ts[1]);
	if (r)
		return r;
	if (!atime && !mtime)
		return 0;
	if (f->opath) {
		fd_path(f, p, sizeof(p));
		r = utimensat(AT_FDCWD, p, ts, 0);
	} else {
		r = futimens(f->fd, ts);
	}
	return r < 0 ? os_err(errno) : 0;
}

int os_chmod(struct os_file *f, u32 mode)
{
	char p[FD_PATH_MAX];
	int r;

	if (f->opath) {
		fd_path(f, p, sizeof(p));
		r = chmod(p, mode & 07777);
	} else {
		r = fchmod(f->fd, mode & 07777);
	}
	return r < 0 ? os_err(errno) : 0;
}

/* -- data ---------------------------------------------------------------- */

int os_read(struct os_file *f, u64 off, void *buf, u32 len, u32 *got)
{
	ssize_t n;
	int i;

	*got = 0;
	if (!(f->access & OS_O_READ))
		return -OS_EBADF;
	if (off > (u64)INT64_MAX)
		return -OS_EINVAL;
	for (i = 0; i < 16; i++) {
		n = pread(f->fd, buf, len, (off_t)off);
		if (n >= 0) {
			*got = (u32)n;
			return 0;
		}
		if (errno != EINTR)
			break;
	}
	return os_err(errno);
}

int os_write(struct os_file *f, u64 off, const void *buf, u32 len)
{
	const char *p = buf;
	u32 done = 0;
	ssize_t n;

	if (!(f->access & OS_O_WRITE))
		return -OS_EBADF;
	if (off > (u64)INT64_MAX || len > (u64)INT64_MAX - off)
		return -OS_EFBIG;
	while (done < len) {
		n = pwrite(f->fd, p + done, len - done, (off_t)(off + done));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return os_err(errno);
		}
		/* No progress would loop forever: call it an I/O error. */
		if (n == 0)
			return -OS_EIO;
		done += (u32)n;
	}
	return 0;
}

int os_fsync(struct os_file *f)
{
	if (!f->access)
		return -OS_EBADF;
	return fsync(f->fd) < 0 ? os_err(errno) : 0;
}

int os_truncate(struct os_file *f, u64 size)
{
	if (!(f->access & OS_O_WRITE))
		return -OS_EBADF;
	if (size > (u64)INT64_MAX)
		return -OS_EFBIG;
	return ftruncate(f->fd, (off_t)size) < 0 ? os_err(errno) : 0;
}

int os_allocate(struct os_file *f, u64 size)
{
	if (!(f->access & OS_O_WRITE))
		return -OS_EBADF;
	if (size > (u64)INT64_MAX)
		return -OS_EFBIG;
	if (!size)
		return 0;	/* fallocate refuses an empty range */
	if (fallocate(f->fd, FALLOC_FL_KEEP_SIZE, 0, (off_t)size) < 0)
		return os_err(errno);
	return 0;
}

/* -- directories --------------------------------------------------------- */

/* The record getdents64 fills (the kernel's linux_dirent64). */
struct dirent64_rec {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

#define READDIR_BUF	(32 * 1024)

static u32 dtype_to_os(unsigned char t)
{
	switch (t) {
	case DT_DIR:
		return OS_S_IFDIR;
	case DT_REG:
		return OS_S_IFREG;
	case DT_LNK:
		return OS_S_IFLNK;
	default:
		return 0;
	}
}

/*
 * Hand one batch of records to fn. Returns 1 when fn stopped (*pos set
 * to the entry it refused), 0 when the batch is consumed (*pos advanced
 * past it), or an error for a record the kernel should never produce.
 */
static int readdir_batch(const char *buf, size_t n, u64 *pos,
			 int (*fn)(void *arg, const struct os_dirent *ent),
			 void *arg)
{
	const size_t hdr = offsetof(struct dirent64_rec, d_name);
	struct os_dirent ent;
	size_t off = 0;

	while (off < n) {
		const struct dirent64_rec *d = (const void *)(buf + off);

		if (n - off < hdr || d->d_reclen <= hdr ||
		    d->d_reclen > n - off)
			return -OS_EIO;
		ent.ino = d->d_ino;
		ent.pos = *pos;
		ent.type = dtype_to_os(d->d_type);
		ent.name = d->d_name;
		ent.name_len = (u32)strnlen(d->d_name, d->d_reclen - hdr);
		if (fn(arg, &ent))
			return 1;
		*pos = (u64)d->d_off;
		off += d->d_reclen;
	}
	return 0;
}

int os_readdir(struct os_file *dir, u64 *pos,
	       int (*fn)(void *arg, const struct os_dirent *ent), void *arg)
{
	char *buf;
	long n;
	int r = 0;

	if (!(dir->access & OS_O_READ))
		return -OS_EBADF;
	if (*pos > (u64)INT64_MAX)
		return -OS_EINVAL;
	buf = malloc(READDIR_BUF);
	if (!buf)
		return -OS_ENOMEM;

	/* Two calls on one handle must not interleave seek and read. */
	pthread_mutex_lock(&dir->dir_lock);
	if (lseek(dir->fd, (off_t)*pos, SEEK_SET) < 0) {
		r = os_err(errno);
		goto out;
	}
	for (;;) {
		n = syscall(SYS_getdents64, dir->fd, buf, READDIR_BUF);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = os_err(errno);
			break;
		}
		if (n == 0)
			break;
		r = readdir_batch(buf, (size_t)n, pos, fn, arg);
		if (r) {
			if (r > 0)
				r = 0;
			break;
		}
	}
out:
	pthread_mutex_unlock(&dir->dir_lock);
	free(buf);
	return r;
}

/* -- extended attributes -------------------------------------------------- */

/*
 * O_PATH fds take no f*xattr call (before Linux 6.13); their
 * /proc/self/fd name is the object itself.
 */
static ssize_t x_get(struct os_file *f, const char *name, void *buf, size_t n)
{
	char p[FD_PATH_MAX];

	if (!f->opath)
		return fgetxattr(f->fd, name, buf, n);
	fd_path(f, p, sizeof(p));
	return getxattr(p, name, buf, n);
}

static ssize_t x_list(struct os_file *f, char *buf, size_t n)
{
	char p[FD_PATH_MAX];

	if (!f->opath)
		return flistxattr(f->fd, buf, n);
	fd_path(f, p, sizeof(p));
	return listxattr(p, buf, n);
}

/*
 * Shared by get and list: -OS_ERANGE when cap is too small, and *len
 * then tells the size needed.
 */
static int x_result(ssize_t r, u32 cap, u32 *len, ssize_t (*size)(void *),
		    void *ctx)
{
	if (r < 0 && errno == ERANGE) {
		r = size(ctx);
		if (r >= 0) {
			*len = (u32)r;
			return -OS_ERANGE;
		}
	}
	if (r < 0)
		return os_err(errno);
	if (!cap && r > 0) {
		*len = (u32)r;
		return -OS_ERANGE;
	}
	*len = (u32)r;
	return 0;
}

struct x_ctx {
	struct os_file *f;
	const char *name;
};

static ssize_t x_get_size(void *ctx)
{
	struct x_ctx *c = ctx;

	return x_get(c->f, c->name, NULL, 0);
}

static ssize_t x_list_size(void *ctx)
{
	struct x_ctx *c = ctx;

	return x_list(c->f, NULL, 0);
}

int os_getxattr(struct os_file *f, const char *name, void *buf, u32 cap,
		u32 *len)
{
	struct x_ctx c = { f, name };

	*len = 0;
	if (!name)
		return -OS_EINVAL;
	/* Size 0 asks for the size: keep it for the cap == 0 case. */
	return x_result(x_get(f, name, cap ? buf : NULL, cap), cap, len,
			x_get_size, &c);
}

int os_listxattr(struct os_file *f, char *buf, u32 cap, u32 *len)
{
	struct x_ctx c = { f, NULL };

	*len = 0;
	return x_result(x_list(f, cap ? buf : NULL, cap), cap, len,
			x_list_size, &c);
}

int os_setxattr(struct os_file *f, const char *name, const void *buf, u32 len)
{
	char p[FD_PATH_MAX];
	int r;

	if (!name)
		return -OS_EINVAL;
	if (!f->opath) {
		r = fsetxattr(f->fd, name, buf, len, 0);
	} else {
		fd_path(f, p, sizeof(p));
		r = setxattr(p, name, buf, len, 0);
	}
	return r < 0 ? os_err(errno) : 0;
}

int os_removexattr(struct os_file *f, const char *name)
{
	char p[FD_PATH_MAX];
	int r;

	if (!name)
		return -OS_EINVAL;
	if (!f->opath) {
		r = fremovexattr(f->fd, name);
	} else {
		fd_path(f, p, sizeof(p));
		r = removexattr(p, name);
	}
	return r < 0 ? os_err(errno) : 0;
}

/* -- names --------------------------------------------------------------- */

int os_unlink(struct os_fs *fs, const char *path, int is_dir)
{
	const char *last;
	int pfd, r;

	if (!path)
		return -OS_EINVAL;
	pfd = open_parent(fs, fs->root, path, &last);
	if (pfd < 0)
		return pfd;
	r = unlinkat(pfd, last, is_dir ? AT_REMOVEDIR : 0);
	r = r < 0 ? os_err(errno) : 0;
	close(pfd);
	return r;
}

/*
 * Open the parents of from and to beneath the root: the caller then acts
 * on the two last components relative to them.
 */
static int two_names(struct os_fs *fs, const char *from, const char *to,
		     int *pfrom, const char **lfrom, int *pto,
		     const char **lto)
{
	if (!from || !to)
		return -OS_EINVAL;
	*pfrom = open_parent(fs, fs->root, from, lfrom);
	if (*pfrom < 0)
		return *pfrom;
	*pto = open_parent(fs, fs->root, to, lto);
	if (*pto < 0) {
		close(*pfrom);
		return *pto;
	}
	return 0;
}

int os_rename(struct os_fs *fs, const char *from, const char *to, int replace)
{
	const char *lf, *lt;
	int pf, pt, r;

	r = two_names(fs, from, to, &pf, &lf, &pt, &lt);
	if (r)
		return r;
	r = renameat2(pf, lf, pt, lt, replace ? 0 : RENAME_NOREPLACE);
	r = r < 0 ? os_err(errno) : 0;
	close(pf);
	close(pt);
	return r;
}

int os_link(struct os_fs *fs, const char *from, const char *to)
{
	const char *lf, *lt;
	int pf, pt, r;

	r = two_names(fs, from, to, &pf, &lf, &pt, &lt);
	if (r)
		return r;
	/* Flags 0: a symlink named by from is linked, not followed. */
	r = linkat(pf, lf, pt, lt, 0);
	r = r < 0 ? os_err(errno) : 0;
	close(pf);
	close(pt);
	return r;
}
