// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * os.h files for the kernel: every name is resolved beneath the share
 * root with vfs_path_lookup(LOOKUP_BENEATH), so that "..", absolute
 * names and symlinks cannot leave it whatever the core hands us (the
 * kernel's equivalent of kmod/user/vfs.c's openat2 RESOLVE_BENEATH, with
 * the same results). Operations on names (create, unlink, rename, link)
 * look up the parent directory beneath the root and act on a single last
 * component under the parent's lock.
 *
 * Identity: the core calls these between os_cred_override and
 * os_cred_revert, so permission checks see current_cred().
 */
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/err.h>
#include <linux/falloc.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/limits.h>
#include <linux/mount.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/slab.h>
#include <linux/stat.h>
#include <linux/statfs.h>
#include <linux/string.h>
#include <linux/uidgid.h>
#include <linux/xattr.h>

#include "os.h"

/*
 * Exported by fs/namei.c (EXPORT_SYMBOL) but no longer declared in the
 * public headers of Debian's 6.1 (the declaration moved to fs/internal.h
 * with the ksmbd backports).
 */
int vfs_path_lookup(struct dentry *dentry, struct vfsmount *mnt,
		    const char *name, unsigned int flags, struct path *path);

struct os_fs {
	struct path root;
	u32 flags;		/* OS_FS_* */
	unsigned int lookup;	/* LOOKUP_* for every walk beneath root */
};

struct os_file {
	struct os_fs *fs;
	struct path path;	/* always held: metadata works on it */
	struct file *filp;	/* NULL for a metadata-only handle */
	u32 access;		/* OS_O_READ | OS_O_WRITE it was opened for */
	struct mutex dir_lock;	/* seek + iterate of os_readdir */
};

#define OS_O_ALL (OS_O_READ | OS_O_WRITE | OS_O_CREATE | OS_O_EXCL | \
		  OS_O_TRUNC | OS_O_DIR | OS_O_NOTDIR | OS_O_APPEND)

/* A scoped lookup fails with EAGAIN when a rename or mount races it. */
#define LOOKUP_TRIES	8
/* Create-or-open can race with another creator/remover: bounded retries. */
#define CREATE_TRIES	4

/*
 * Kernel errors to -OS_E*: os.h's numbers are errno's, so the values it
 * names pass unchanged; kernel-internal ones (ERESTARTSYS, ENOTSUPP,
 * ESTALE...) and anything else become -OS_EIO or the nearest os.h value.
 */
static int os_err(long e)
{
	if (e >= 0)
		return (int)e;
	switch (-e) {
	case EPERM: case ENOENT: case EIO: case EBADF: case EAGAIN:
	case ENOMEM: case EACCES: case EBUSY: case EEXIST: case EXDEV:
	case ENOTDIR: case EISDIR: case EINVAL: case EMFILE: case EFBIG:
	case ENOSPC: case EROFS: case EMLINK: case ERANGE: case ENAMETOOLONG:
	case ENOSYS: case ENOTEMPTY: case ELOOP: case ENODATA: case EPROTO:
	case EOVERFLOW: case EMSGSIZE: case EOPNOTSUPP: case ECONNRESET:
	case ETIMEDOUT: case EDQUOT:
		return (int)e;
	case ENFILE:
		return -OS_EMFILE;
	case ETXTBSY:
		return -OS_EBUSY;
	case E2BIG:		/* xattr value larger than the fs takes */
		return -OS_ENOSPC;
	case ENOTSUPP:
		return -OS_EOPNOTSUPP;
	default:
		return -OS_EIO;
	}
}

static struct user_namespace *userns(const struct path *p)
{
	return mnt_user_ns(p->mnt);
}

/*
 * Walk name beneath base (a directory at or beneath the share root) with
 * the share's confinement flags plus extra (LOOKUP_FOLLOW, ...). ""
 * names base itself. Names the core should never give (absolute) get
 * what openat2(RESOLVE_BENEATH) answers: -EXDEV.
 */
static int walk(struct os_fs *fs, const struct path *base, const char *name,
		unsigned int extra, struct path *out)
{
	int i, r = -EAGAIN;

	if (*name == '/')
		return -OS_EXDEV;
	if (!*name) {
		if ((extra & LOOKUP_DIRECTORY) && !d_can_lookup(base->dentry))
			return -OS_ENOTDIR;
		*out = *base;
		path_get(out);
		return 0;
	}
	for (i = 0; i < LOOKUP_TRIES && r == -EAGAIN; i++)
		r = vfs_path_lookup(base->dentry, base->mnt, name,
				    fs->lookup | extra, out);
	return os_err(r);
}

/*
 * Split path into its parent (a kmalloc'ed copy in *parent) and its last
 * component, which must be a real name: not empty, "." or "..".
 */
static int split_path(const char *path, char **parent, const char **last)
{
	const char *slash = strrchr(path, '/');

	*parent = NULL;
	*last = slash ? slash + 1 : path;
	if (!**last || !strcmp(*last, ".") || !strcmp(*last, ".."))
		return -OS_EINVAL;
	if (strlen(*last) > NAME_MAX)
		return -OS_ENAMETOOLONG;
	*parent = kstrndup(path, slash ? (size_t)(slash - path) : 0,
			   GFP_KERNEL);
	return *parent ? 0 : -OS_ENOMEM;
}

/* The parent directory of path beneath base; *last points into path. */
static int walk_parent(struct os_fs *fs, const struct path *base,
		       const char *path, struct path *parent,
		       const char **last)
{
	char *pname;
	int r;

	r = split_path(path, &pname, last);
	if (r)
		return r;
	r = walk(fs, base, pname, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, parent);
	kfree(pname);
	return r;
}

int os_fs_open(const char *root, u32 flags, struct os_fs **out)
{
	struct os_fs *fs;
	int r;

	if (!root || !*root || !out ||
	    (flags & ~(OS_FS_NO_SYMLINKS | OS_FS_CROSSMNT)))
		return -OS_EINVAL;
	fs = kzalloc(sizeof(*fs), GFP_KERNEL);
	if (!fs)
		return -OS_ENOMEM;
	fs->flags = flags;
	fs->lookup = LOOKUP_BENEATH | LOOKUP_NO_MAGICLINKS;
	if (flags & OS_FS_NO_SYMLINKS)
		fs->lookup |= LOOKUP_NO_SYMLINKS;
	if (!(flags & OS_FS_CROSSMNT))
		fs->lookup |= LOOKUP_NO_XDEV;

	r = kern_path(root, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &fs->root);
	if (r) {
		kfree(fs);
		return os_err(r);
	}
	*out = fs;
	return 0;
}

void os_fs_close(struct os_fs *fs)
{
	if (!fs)
		return;
	path_put(&fs->root);
	kfree(fs);
}

int os_fs_statfs(struct os_fs *fs, struct os_statfs *st)
{
	struct kstatfs s;
	int r;

	memset(&s, 0, sizeof(s));
	r = vfs_statfs(&fs->root, &s);
	if (r)
		return os_err(r);
	/* f_blocks and friends count fragments when the fs has them. */
	st->block_size = s.f_frsize ? (u64)s.f_frsize : (u64)s.f_bsize;
	st->blocks = s.f_blocks;
	st->blocks_free = s.f_bfree;
	st->blocks_avail = s.f_bavail;
	st->fsid = (u64)(u32)s.f_fsid.val[0] | (u64)(u32)s.f_fsid.val[1] << 32;
	st->name_max = (u32)s.f_namelen;
	return 0;
}

/* -- open ---------------------------------------------------------------- */

/*
 * Create the regular file last in the directory parent, failing with
 * -EEXIST when something (a dangling symlink included) is there: the
 * O_CREAT | O_EXCL step of create-or-open. *made gets the new entry.
 */
static int create_excl(const struct path *parent, const char *last,
		       umode_t mode, int is_dir, struct path *made)
{
	struct user_namespace *ns = userns(parent);
	struct inode *dir = d_inode(parent->dentry);
	struct dentry *d;
	int r;

	r = mnt_want_write(parent->mnt);
	if (r)
		return os_err(r);
	inode_lock_nested(dir, I_MUTEX_PARENT);
	d = lookup_one(ns, last, parent->dentry, (int)strlen(last));
	if (IS_ERR(d)) {
		r = (int)PTR_ERR(d);
		goto out;
	}
	if (d_is_positive(d)) {
		r = -EEXIST;
		dput(d);
		goto out;
	}
	/* As open(2) does: the umask, unless a default ACL decides. */
	if (!IS_POSIXACL(dir))
		mode &= ~current_umask();
	if (is_dir)
		r = vfs_mkdir(ns, dir, d, mode & 07777);
	else
		r = vfs_create(ns, dir, d, (mode & 07777) | S_IFREG, true);
	if (!r && d_really_is_negative(d))
		r = -ENOENT;	/* a filesystem that leaves it unhashed */
	if (r) {
		dput(d);
		goto out;
	}
	made->mnt = mntget(parent->mnt);
	made->dentry = d;
out:
	inode_unlock(dir);
	mnt_drop_write(parent->mnt);
	return os_err(r);
}

/*
 * Create path beneath base (or open it when it exists and EXCL is not
 * asked) and tell which of the two happened, like userspace's
 * create_file/create_dir: look, else create exclusively, and when another
 * creator won the race, look again.
 */
static int create_path(struct os_fs *fs, const struct path *base,
		       const char *path, u32 flags, u32 mode, struct path *out,
		       int *created)
{
	int is_dir = !!(flags & OS_O_DIR);
	unsigned int follow = LOOKUP_FOLLOW | (is_dir ? LOOKUP_DIRECTORY : 0);
	struct path parent;
	const char *last;
	int i, r = -OS_ENOENT;

	if (!*path) {
		/* The root (or the at directory) always exists. */
		if (!is_dir)
			return -OS_EISDIR;
		if (flags & OS_O_EXCL)
			return -OS_EEXIST;
		return walk(fs, base, path, follow, out);
	}
	r = walk_parent(fs, base, path, &parent, &last);
	if (r)
		return r;
	for (i = 0; i < CREATE_TRIES; i++) {
		if (!(flags & OS_O_EXCL)) {
			/*
			 * The whole path from base, as userspace does: a final
			 * symlink may lead anywhere beneath base, not only
			 * beneath the parent.
			 */
			r = walk(fs, base, path, follow, out);
			if (r != -OS_ENOENT)
				break;
		}
		r = create_excl(&parent, last, mode, is_dir, out);
		if (!r) {
			*created = 1;
			break;
		}
		/* Someone created it between our two tries: open it. */
		if (r != -OS_EEXIST || (flags & OS_O_EXCL))
			break;
	}
	path_put(&parent);
	return r;
}

/*
 * What open(2) checks before it opens for data (may_open), as the
 * current user; dentry_open itself checks nothing. A file this call
 * created is opened whatever its mode, as with O_CREAT.
 */
static int may_open_data(const struct path *p, u32 flags, int made)
{
	struct inode *inode = d_inode(p->dentry);
	int mask = MAY_OPEN;

	if (S_ISDIR(inode->i_mode)) {
		if (flags & OS_O_WRITE)
			return -OS_EISDIR;
	} else if (!S_ISREG(inode->i_mode)) {
		/* Data access to FIFOs, sockets and devices: not served. */
		return -OS_EACCES;
	}
	if (flags & OS_O_READ)
		mask |= MAY_READ;
	if (flags & OS_O_WRITE) {
		mask |= MAY_WRITE;
		/* Append-only files take appends only, and no truncation. */
		if (IS_APPEND(inode) &&
		    (!(flags & OS_O_APPEND) || (flags & OS_O_TRUNC)))
			return -OS_EPERM;
	}
	if (made)
		return 0;
	return os_err(inode_permission(userns(p), inode, mask));
}

static struct file *open_data(const struct path *p, u32 flags)
{
	int o = O_LARGEFILE;

	switch (flags & (OS_O_READ | OS_O_WRITE)) {
	case OS_O_READ | OS_O_WRITE:
		o |= O_RDWR;
		break;
	case OS_O_WRITE:
		o |= O_WRONLY;
		break;
	default:
		o |= O_RDONLY;
		break;
	}
	if (flags & OS_O_APPEND)
		o |= O_APPEND;
	if (flags & OS_O_DIR)
		o |= O_DIRECTORY;
	return dentry_open(p, o, current_cred());
}

/* The checks of the open file's type os.h asks for. */
static int check_type(const struct path *p, u32 flags)
{
	struct inode *inode = d_inode(p->dentry);

	if ((flags & OS_O_DIR) && !S_ISDIR(inode->i_mode))
		return -OS_ENOTDIR;
	if ((flags & OS_O_NOTDIR) && S_ISDIR(inode->i_mode))
		return -OS_EISDIR;
	return 0;
}

int os_open(struct os_fs *fs, struct os_file *at, const char *path,
	    u32 flags, u32 mode, struct os_file **out, int *created)
{
	u32 access = flags & (OS_O_READ | OS_O_WRITE);
	const struct path *base;
	struct os_file *f;
	struct path p;
	int made = 0, r;

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

	base = at ? &at->path : &fs->root;
	if (flags & OS_O_CREATE)
		r = create_path(fs, base, path, flags, mode, &p, &made);
	else
		r = walk(fs, base, path,
			 LOOKUP_FOLLOW | ((flags & OS_O_DIR) ? LOOKUP_DIRECTORY : 0),
			 &p);
	if (r)
		return r;

	r = check_type(&p, flags);
	if (!r && access)
		r = may_open_data(&p, flags, made);
	if (r)
		goto put;

	r = -OS_ENOMEM;
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		goto put;
	f->fs = fs;
	f->access = access;
	mutex_init(&f->dir_lock);
	if (access) {
		f->filp = open_data(&p, flags);
		if (IS_ERR(f->filp)) {
			r = os_err(PTR_ERR(f->filp));
			kfree(f);
			goto put;
		}
		/* A file made just now is empty (and may be read-only). */
		if ((flags & OS_O_TRUNC) && !made &&
		    S_ISREG(d_inode(p.dentry)->i_mode)) {
			r = os_err(vfs_truncate(&f->filp->f_path, 0));
			if (r) {
				fput(f->filp);
				kfree(f);
				goto put;
			}
		}
	}
	f->path = p;		/* the reference moves to f */
	*out = f;
	if (created)
		*created = made;
	return 0;
put:
	path_put(&p);
	return r;
}

void os_close(struct os_file *f)
{
	if (!f)
		return;
	if (f->filp)
		fput(f->filp);
	path_put(&f->path);
	mutex_destroy(&f->dir_lock);
	kfree(f);
}

/* -- attributes ---------------------------------------------------------- */

/* 100 ns intervals between 1601-01-01 and 1970-01-01. */
#define FILETIME_UNIX_EPOCH 116444736000000000LL
#define FILETIME_PER_SEC 10000000LL

static u64 to_filetime(const struct timespec64 *t)
{
	s64 v = t->tv_sec;

	/* Before 1601 (or absurdly late) cannot be said in FILETIME. */
	if (v < -FILETIME_UNIX_EPOCH / FILETIME_PER_SEC)
		return 0;
	if (v > (S64_MAX - FILETIME_UNIX_EPOCH) / FILETIME_PER_SEC - 1)
		return (u64)S64_MAX;
	return (u64)(v * FILETIME_PER_SEC + t->tv_nsec / 100 +
		     FILETIME_UNIX_EPOCH);
}

static int stat_path(const struct path *p, struct os_stat *st)
{
	struct kstat k;
	int r;

	memset(&k, 0, sizeof(k));
	r = vfs_getattr(p, &k, STATX_BASIC_STATS | STATX_BTIME,
			AT_STATX_SYNC_AS_STAT);
	if (r)
		return os_err(r);
	memset(st, 0, sizeof(*st));
	/* As statx gives it to userspace: major and minor apart. */
	st->dev = (u64)MAJOR(k.dev) << 32 | MINOR(k.dev);
	st->ino = k.ino;
	st->size = (u64)k.size;
	st->alloc = k.blocks * 512;
	st->atime = to_filetime(&k.atime);
	st->mtime = to_filetime(&k.mtime);
	st->ctime = to_filetime(&k.ctime);
	if (k.result_mask & STATX_BTIME)
		st->btime = to_filetime(&k.btime);
	st->mode = k.mode;
	st->nlink = k.nlink;
	st->uid = from_kuid_munged(current_user_ns(), k.uid);
	st->gid = from_kgid_munged(current_user_ns(), k.gid);
	return 0;
}

int os_stat(struct os_file *f, struct os_stat *st)
{
	return stat_path(&f->path, st);
}

int os_stat_at(struct os_file *dir, const char *name, struct os_stat *st)
{
	struct path p;
	int i, r = -EAGAIN;

	/* One component of dir, never its parent: nothing can escape. */
	if (!name || !*name || strchr(name, '/') || !strcmp(name, ".."))
		return -OS_EINVAL;
	/*
	 * The entry itself: a final symlink is not followed. A mount point
	 * shows the mounted root, as statx(2) does, even where opening it
	 * is refused (no OS_FS_CROSSMNT): listings must not fail on it.
	 */
	for (i = 0; i < LOOKUP_TRIES && r == -EAGAIN; i++)
		r = vfs_path_lookup(dir->path.dentry, dir->path.mnt, name,
				    dir->fs->lookup & ~LOOKUP_NO_XDEV, &p);
	if (r)
		return os_err(r);
	r = stat_path(&p, st);
	path_put(&p);
	return r;
}

/*
 * notify_change on the handle's inode, as utimensat/fchmod do it: write
 * access to the mount, the inode lock around the change.
 */
static int set_attr(struct os_file *f, struct iattr *ia)
{
	struct dentry *d = f->path.dentry;
	struct inode *inode = d_inode(d);
	int r;

	r = mnt_want_write(f->path.mnt);
	if (r)
		return os_err(r);
	inode_lock(inode);
	r = notify_change(userns(&f->path), d, ia, NULL);
	inode_unlock(inode);
	mnt_drop_write(f->path.mnt);
	return os_err(r);
}

static int filetime_to_ts(u64 v, struct timespec64 *ts)
{
	s64 d, sec, rem;

	if (v > (u64)S64_MAX)
		return -OS_EINVAL;
	d = (s64)v - FILETIME_UNIX_EPOCH;
	sec = div64_s64(d, FILETIME_PER_SEC);
	rem = d - sec * FILETIME_PER_SEC;
	if (rem < 0) {
		rem += FILETIME_PER_SEC;
		sec--;
	}
	ts->tv_sec = sec;
	ts->tv_nsec = (long)(rem * 100);
	return 0;
}

int os_set_times(struct os_file *f, u64 atime, u64 mtime)
{
	struct iattr ia = { .ia_valid = ATTR_CTIME };
	struct inode *inode = d_inode(f->path.dentry);
	int r;

	if (!atime && !mtime)
		return 0;
	if (atime) {
		r = filetime_to_ts(atime, &ia.ia_atime);
		if (r)
			return r;
		ia.ia_atime = timestamp_truncate(ia.ia_atime, inode);
		ia.ia_valid |= ATTR_ATIME | ATTR_ATIME_SET;
	}
	if (mtime) {
		r = filetime_to_ts(mtime, &ia.ia_mtime);
		if (r)
			return r;
		ia.ia_mtime = timestamp_truncate(ia.ia_mtime, inode);
		ia.ia_valid |= ATTR_MTIME | ATTR_MTIME_SET;
	}
	return set_attr(f, &ia);
}

int os_chmod(struct os_file *f, u32 mode)
{
	struct iattr ia = { .ia_valid = ATTR_MODE | ATTR_CTIME };
	struct inode *inode = d_inode(f->path.dentry);

	/* Symlinks have no mode of their own (chmod follows, lchmod fails). */
	if (S_ISLNK(inode->i_mode))
		return -OS_EOPNOTSUPP;
	ia.ia_mode = (umode_t)((mode & S_IALLUGO) | (inode->i_mode & ~S_IALLUGO));
	return set_attr(f, &ia);
}

/* -- data ---------------------------------------------------------------- */

int os_read(struct os_file *f, u64 off, void *buf, u32 len, u32 *got)
{
	loff_t pos = (loff_t)off;
	ssize_t n;

	*got = 0;
	if (!(f->access & OS_O_READ) || !f->filp)
		return -OS_EBADF;
	if (off > (u64)S64_MAX)
		return -OS_EINVAL;
	n = kernel_read(f->filp, buf, len, &pos);
	if (n < 0)
		return os_err(n);
	*got = (u32)n;
	return 0;
}

int os_write(struct os_file *f, u64 off, const void *buf, u32 len)
{
	const char *p = buf;
	u32 done = 0;
	loff_t pos;
	ssize_t n;

	if (!(f->access & OS_O_WRITE) || !f->filp)
		return -OS_EBADF;
	if (off > (u64)S64_MAX || len > (u64)S64_MAX - off)
		return -OS_EFBIG;
	while (done < len) {
		pos = (loff_t)(off + done);
		n = kernel_write(f->filp, p + done, len - done, &pos);
		if (n < 0)
			return os_err(n);
		/* No progress would loop forever: call it an I/O error. */
		if (n == 0)
			return -OS_EIO;
		done += (u32)n;
	}
	return 0;
}

int os_fsync(struct os_file *f)
{
	if (!f->filp)
		return -OS_EBADF;
	return os_err(vfs_fsync(f->filp, 0));
}

int os_truncate(struct os_file *f, u64 size)
{
	if (!(f->access & OS_O_WRITE) || !f->filp)
		return -OS_EBADF;
	if (size > (u64)S64_MAX)
		return -OS_EFBIG;
	/*
	 * vfs_truncate checks write permission again (ftruncate does not):
	 * do_truncate, which would not, is not exported.
	 */
	return os_err(vfs_truncate(&f->filp->f_path, (loff_t)size));
}

int os_allocate(struct os_file *f, u64 size)
{
	if (!(f->access & OS_O_WRITE) || !f->filp)
		return -OS_EBADF;
	if (size > (u64)S64_MAX)
		return -OS_EFBIG;
	if (!size)
		return 0;	/* fallocate refuses an empty range */
	return os_err(vfs_fallocate(f->filp, FALLOC_FL_KEEP_SIZE, 0,
				    (loff_t)size));
}

/* -- directories --------------------------------------------------------- */

struct rd_ctx {
	struct dir_context ctx;	/* first: the actor gets &ctx */
	int (*fn)(void *arg, const struct os_dirent *ent);
	void *arg;
	u64 stop_pos;
	int stopped;
	int emitted;
};

static u32 dtype_to_os(unsigned int t)
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
 * One entry from the filesystem. While it is handed over, ctx->pos is
 * the position that yields this entry again (every filesystem sets it
 * before dir_emit and advances it only after); when fn refuses the
 * entry, returning false stops the filesystem without advancing.
 */
static bool rd_actor(struct dir_context *ctx, const char *name, int namlen,
		     loff_t offset, u64 ino, unsigned int d_type)
{
	struct rd_ctx *rd = container_of(ctx, struct rd_ctx, ctx);
	struct os_dirent ent;

	if (namlen <= 0)
		return true;	/* nothing a client could name */
	ent.ino = ino;
	ent.pos = (u64)ctx->pos;
	ent.type = dtype_to_os(d_type);
	ent.name = name;
	ent.name_len = (u32)namlen;
	rd->emitted++;
	if (rd->fn(rd->arg, &ent)) {
		rd->stopped = 1;
		rd->stop_pos = ent.pos;
		return false;
	}
	return true;
}

int os_readdir(struct os_file *dir, u64 *pos,
	       int (*fn)(void *arg, const struct os_dirent *ent), void *arg)
{
	struct rd_ctx rd = { .ctx.actor = rd_actor, .fn = fn, .arg = arg };
	struct file *filp = dir->filp;
	loff_t at;
	int r = 0;

	if (!(dir->access & OS_O_READ) || !filp)
		return -OS_EBADF;
	if (*pos > (u64)S64_MAX)
		return -OS_EINVAL;

	/* Two calls on one handle must not interleave seek and iterate. */
	mutex_lock(&dir->dir_lock);
	/* llseek, not f_pos: ext4's htree keeps its cursor per position. */
	at = vfs_llseek(filp, (loff_t)*pos, SEEK_SET);
	if (at < 0) {
		r = os_err(at);
		goto out;
	}
	/* Some filesystems hand out a batch per call: go on until empty. */
	for (;;) {
		rd.emitted = 0;
		r = iterate_dir(filp, &rd.ctx);
		if (rd.stopped) {
			*pos = rd.stop_pos;
			r = 0;
			break;
		}
		*pos = (u64)filp->f_pos;
		if (r || !rd.emitted)
			break;
	}
	r = os_err(r);
out:
	mutex_unlock(&dir->dir_lock);
	return r;
}

/* -- extended attributes -------------------------------------------------- */

static int xattr_name_ok(const char *name)
{
	size_t n;

	if (!name)
		return -OS_EINVAL;
	n = strlen(name);
	if (!n || n > XATTR_NAME_MAX)
		return -OS_ERANGE;	/* what setxattr(2) answers */
	return 0;
}

/*
 * Shared by get and list: -OS_ERANGE when cap is too small (or 0 for a
 * non-empty value), and *len then tells the size needed.
 */
static int x_result(ssize_t r, u32 cap, u32 *len, ssize_t size_needed)
{
	if (r == -ERANGE && size_needed >= 0) {
		*len = (u32)size_needed;
		return -OS_ERANGE;
	}
	if (r < 0)
		return os_err(r);
	*len = (u32)r;
	if (!cap && r > 0)
		return -OS_ERANGE;
	return 0;
}

int os_getxattr(struct os_file *f, const char *name, void *buf, u32 cap,
		u32 *len)
{
	struct user_namespace *ns = userns(&f->path);
	struct dentry *d = f->path.dentry;
	ssize_t r, need = -1;
	int e;

	*len = 0;
	e = xattr_name_ok(name);
	if (e)
		return e == -OS_ERANGE ? -OS_ENODATA : e;
	r = vfs_getxattr(ns, d, name, cap ? buf : NULL, cap);
	if (r == -ERANGE)
		need = vfs_getxattr(ns, d, name, NULL, 0);
	return x_result(r, cap, len, need);
}

int os_listxattr(struct os_file *f, char *buf, u32 cap, u32 *len)
{
	struct dentry *d = f->path.dentry;
	ssize_t r, need = -1;

	*len = 0;
	r = vfs_listxattr(d, cap ? buf : NULL, cap);
	if (r == -ERANGE)
		need = vfs_listxattr(d, NULL, 0);
	return x_result(r, cap, len, need);
}

int os_setxattr(struct os_file *f, const char *name, const void *buf, u32 len)
{
	int r;

	r = xattr_name_ok(name);
	if (r)
		return r;
	if (len > XATTR_SIZE_MAX)
		return -OS_ENOSPC;	/* E2BIG, as userspace maps it */
	r = mnt_want_write(f->path.mnt);
	if (r)
		return os_err(r);
	r = vfs_setxattr(userns(&f->path), f->path.dentry, name, buf, len, 0);
	mnt_drop_write(f->path.mnt);
	return os_err(r);
}

int os_removexattr(struct os_file *f, const char *name)
{
	int r;

	r = xattr_name_ok(name);
	if (r)
		return r;
	r = mnt_want_write(f->path.mnt);
	if (r)
		return os_err(r);
	r = vfs_removexattr(userns(&f->path), f->path.dentry, name);
	mnt_drop_write(f->path.mnt);
	return os_err(r);
}

/* -- names --------------------------------------------------------------- */

int os_unlink(struct os_fs *fs, const char *path, int is_dir)
{
	struct user_namespace *ns;
	struct path parent;
	struct dentry *d;
	struct inode *dir;
	const char *last;
	int r;

	if (!fs || !path)
		return -OS_EINVAL;
	r = walk_parent(fs, &fs->root, path, &parent, &last);
	if (r)
		return r;
	ns = userns(&parent);
	dir = d_inode(parent.dentry);
	r = mnt_want_write(parent.mnt);
	if (r)
		goto put;
	inode_lock_nested(dir, I_MUTEX_PARENT);
	d = lookup_one(ns, last, parent.dentry, (int)strlen(last));
	if (IS_ERR(d)) {
		r = (int)PTR_ERR(d);
		goto unlock;
	}
	if (d_is_negative(d))
		r = -ENOENT;
	else if (is_dir)
		r = vfs_rmdir(ns, dir, d);
	else if (d_is_dir(d))
		r = -EISDIR;
	else
		r = vfs_unlink(ns, dir, d, NULL);
	dput(d);
unlock:
	inode_unlock(dir);
	mnt_drop_write(parent.mnt);
put:
	path_put(&parent);
	return os_err(r);
}

/*
 * The parents of from and to beneath the root: the caller then acts on
 * the two last components relative to them. Both on one mount, or
 * -EXDEV as rename(2) and link(2) say.
 */
static int two_parents(struct os_fs *fs, const char *from, const char *to,
		       struct path *pf, const char **lf, struct path *pt,
		       const char **lt)
{
	int r;

	if (!fs || !from || !to)
		return -OS_EINVAL;
	r = walk_parent(fs, &fs->root, from, pf, lf);
	if (r)
		return r;
	r = walk_parent(fs, &fs->root, to, pt, lt);
	if (r) {
		path_put(pf);
		return r;
	}
	if (pf->mnt != pt->mnt) {
		path_put(pf);
		path_put(pt);
		return -OS_EXDEV;
	}
	return 0;
}

static int do_rename(struct path *pf, const char *lf, struct path *pt,
		     const char *lt, int replace)
{
	struct user_namespace *ns = userns(pf);
	struct renamedata rd;
	struct dentry *trap, *od, *nd;
	int r;

	trap = lock_rename(pt->dentry, pf->dentry);
	if (IS_ERR(trap))
		return (int)PTR_ERR(trap);
	od = lookup_one(ns, lf, pf->dentry, (int)strlen(lf));
	r = PTR_ERR_OR_ZERO(od);
	if (r)
		goto unlock;
	r = -ENOENT;
	if (d_is_negative(od))
		goto put_old;
	/* The source may not be an ancestor of the target's parent. */
	r = -EINVAL;
	if (od == trap)
		goto put_old;
	nd = lookup_one(ns, lt, pt->dentry, (int)strlen(lt));
	r = PTR_ERR_OR_ZERO(nd);
	if (r)
		goto put_old;
	/* The target may not be an ancestor of the source. */
	r = -ENOTEMPTY;
	if (nd == trap)
		goto put_new;
	r = -EEXIST;
	if (!replace && d_is_positive(nd))
		goto put_new;
	memset(&rd, 0, sizeof(rd));
	rd.old_mnt_userns = ns;
	rd.old_dir = d_inode(pf->dentry);
	rd.old_dentry = od;
	rd.new_mnt_userns = ns;
	rd.new_dir = d_inode(pt->dentry);
	rd.new_dentry = nd;
	rd.flags = replace ? 0 : RENAME_NOREPLACE;
	r = vfs_rename(&rd);
put_new:
	dput(nd);
put_old:
	dput(od);
unlock:
	unlock_rename(pt->dentry, pf->dentry);
	return r;
}

int os_rename(struct os_fs *fs, const char *from, const char *to, int replace)
{
	struct path pf, pt;
	const char *lf, *lt;
	int r;

	r = two_parents(fs, from, to, &pf, &lf, &pt, &lt);
	if (r)
		return r;
	r = mnt_want_write(pf.mnt);
	if (!r) {
		r = do_rename(&pf, lf, &pt, lt, replace);
		mnt_drop_write(pf.mnt);
	}
	path_put(&pf);
	path_put(&pt);
	return os_err(r);
}

int os_link(struct os_fs *fs, const char *from, const char *to)
{
	struct user_namespace *ns;
	struct path pf, pt, old;
	const char *lf, *lt;
	struct dentry *nd;
	struct inode *dir;
	int r;

	r = two_parents(fs, from, to, &pf, &lf, &pt, &lt);
	if (r)
		return r;
	/* A symlink named by from is linked, not followed (linkat flags 0). */
	r = walk(fs, &pf, lf, 0, &old);
	if (r)
		goto put;
	r = -EXDEV;
	if (old.mnt != pt.mnt)
		goto put_old;
	ns = userns(&pt);
	dir = d_inode(pt.dentry);
	r = mnt_want_write(pt.mnt);
	if (r)
		goto put_old;
	inode_lock_nested(dir, I_MUTEX_PARENT);
	nd = lookup_one(ns, lt, pt.dentry, (int)strlen(lt));
	r = PTR_ERR_OR_ZERO(nd);
	if (!r) {
		if (d_is_positive(nd))
			r = -EEXIST;
		else
			r = vfs_link(old.dentry, ns, dir, nd, NULL);
		dput(nd);
	}
	inode_unlock(dir);
	mnt_drop_write(pt.mnt);
put_old:
	path_put(&old);
put:
	path_put(&pf);
	path_put(&pt);
	return os_err(r);
}
