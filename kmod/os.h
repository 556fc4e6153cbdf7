/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The platform interface of the data path.
 *
 * Core files (the .c files of kmod/) include this header and generated headers only:
 * everything they need from the machine goes through the functions below.
 * kmod/user/ implements them with POSIX threads, sockets and GnuTLS;
 * a kernel host implements the same with kernel APIs. Keeping the list
 * short is the point: each entry is something both hosts can do cheaply.
 *
 * Conventions: functions return 0 or a negative errno-style value (OS_E*),
 * never set a global error. Nothing here may be called with a core lock
 * held unless it says it does not sleep.
 */
#ifndef SMBD_OS_H
#define SMBD_OS_H

#include "wire_port.h"	/* u8..u64, size_t: the generated code's types */

/* Error values, the same numbers as Linux errno so hosts map 1:1. */
#define OS_EPERM	1
#define OS_ENOENT	2
#define OS_EIO		5
#define OS_EBADF	9
#define OS_EAGAIN	11
#define OS_ENOMEM	12
#define OS_EACCES	13
#define OS_EBUSY	16
#define OS_EEXIST	17
#define OS_EXDEV	18
#define OS_ENOTDIR	20
#define OS_EISDIR	21
#define OS_EINVAL	22
#define OS_EMFILE	24
#define OS_EFBIG	27
#define OS_ENOSPC	28
#define OS_EROFS	30
#define OS_EMLINK	31
#define OS_ERANGE	34
#define OS_ENAMETOOLONG	36
#define OS_ENOSYS	38
#define OS_ENOTEMPTY	39
#define OS_ELOOP	40
#define OS_ENODATA	61
#define OS_EPROTO	71
#define OS_EBADMSG	74
#define OS_EOVERFLOW	75
#define OS_EMSGSIZE	90
#define OS_EOPNOTSUPP	95
#define OS_ECONNRESET	104
#define OS_ETIMEDOUT	110
#define OS_EDQUOT	122

#define OS_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* -- memory ------------------------------------------------------------ */

/* Zeroed memory; NULL on failure. May sleep. */
void *os_zalloc(size_t n);
/* Uninitialised memory, for large buffers about to be filled (frames, reads). */
void *os_alloc(size_t n);
void os_free(void *p);
/* Free after wiping: for keys and hashes. */
void os_free_sensitive(void *p, size_t n);

#define os_memcpy(d, s, n) __builtin_memcpy((d), (s), (n))
#define os_memset(d, c, n) __builtin_memset((d), (c), (n))
#define os_memcmp(a, b, n) __builtin_memcmp((a), (b), (n))
/* Compare secrets without leaking where they differ. */
int os_memeq_const(const void *a, const void *b, size_t n);

/* -- reference counts and locks ---------------------------------------- */

struct os_ref {
	int count;
};

void os_ref_init(struct os_ref *r);	/* count = 1 */
void os_ref_get(struct os_ref *r);
/* Drop one reference; true when it was the last. */
int os_ref_put(struct os_ref *r);

/* A sleeping mutex; the host allocates it (its size is host-specific). */
struct os_mutex;
struct os_mutex *os_mutex_new(void);
void os_mutex_free(struct os_mutex *m);
void os_mutex_lock(struct os_mutex *m);
void os_mutex_unlock(struct os_mutex *m);

/* -- work queue ---------------------------------------------------------- */

/* Run fn(arg) later on a worker thread. 0 or -OS_ENOMEM. */
int os_work_queue(void (*fn)(void *arg), void *arg);

/* -- sockets (one accepted transport connection) --------------------------- */

struct os_sock;

/*
 * The host reads frames itself and hands complete ones to the core
 * (smbd_conn_handle_frame()): the core never waits for a peer.
 *
 * Send n bytes without waiting for the peer: what the socket does not
 * take now, the host copies and sends later, and reads no further frame
 * of the connection until it is out. 0, -OS_ECONNRESET (the peer left),
 * -OS_ENOMEM or -OS_EIO.
 *
 * Threading rule: os_sock_send may be called from ANY thread, not only
 * the one handling a frame of that connection: an oplock break is sent
 * to its holder's connection by the request of another connection, and
 * the final answer of a parked request comes from a worker job of its
 * own. The core serialises the calls for one socket (never two at once,
 * each message whole), so the host need only make a send safe against
 * its own use of the socket (its flushing of what was queued, its
 * reading) and, when bytes are left queued on a connection that is idle
 * (waiting for input), make sure they still go out. It never waits for
 * the peer (a host lock or allocation may sleep briefly): the core calls
 * it with its own locks held. The host must call
 * smbd_conn_free() before it closes or frees the socket; once that
 * returns the core never sends to it again.
 *
 * Frames: the host still hands over one frame of a connection at a time
 * and may hand over the next as soon as smbd_conn_handle_frame() returns,
 * even while an earlier request of it is still pending in the core (an
 * interim answer went out; the core finishes it later from a job queued
 * with os_work_queue). The host also calls smbd_tick() about once a
 * second (the core's timers).
 */
int os_sock_send(struct os_sock *s, const void *buf, u32 n);
/* The peer's address as text ("127.0.0.1"), for tree connect policy. */
void os_sock_peer(struct os_sock *s, char *buf, u32 cap, int *ipv6);

/* -- time and randomness ----------------------------------------------------- */

/* Now, in 100 ns units since 1601-01-01 (FILETIME). */
u64 os_nttime_now(void);
/* Cryptographically strong random bytes. */
void os_random(void *buf, u32 n);

/* -- crypto -------------------------------------------------------------- */

/* A piece of a message: MACs and hashes run over several without copying. */
struct os_iov {
	const void *p;
	u32 len;
};

enum os_mac {
	OS_MAC_HMAC_MD5,	/* 16-byte output: NTLMv2 (MS-NLMP 3.3.2) */
	OS_MAC_HMAC_SHA256,	/* 32 bytes: SMB 2.x signing, SP800-108 KDF */
	OS_MAC_AES_CMAC,	/* 16 bytes, 16-byte key: SMB 3.x signing */
};

int os_mac(enum os_mac alg, const u8 *key, u32 keylen,
	   const struct os_iov *iov, u32 n, u8 *out);
/* SHA-512 (64 bytes): SMB 3.1.1 preauth integrity. */
int os_sha512(const struct os_iov *iov, u32 n, u8 out[64]);
/* MD5 (16 bytes): the NTLMSSP signing and sealing keys (MS-NLMP 3.4.5). */
int os_md5(const struct os_iov *iov, u32 n, u8 out[16]);
/* RC4 (MS-NLMP key exchange only); in and out may be the same. */
int os_rc4(const u8 *key, u32 keylen, const u8 *in, u8 *out, u32 len);

/*
 * Authenticated encryption for SMB 3.x (MS-SMB2 3.1.4.3). The key is 16
 * bytes for the AES-128 ciphers and 32 for AES-256; the nonce is 11 bytes
 * for CCM and 12 for GCM; the tag is always 16 bytes.
 */
enum os_aead {
	OS_AEAD_AES128_CCM,
	OS_AEAD_AES128_GCM,
	OS_AEAD_AES256_CCM,
	OS_AEAD_AES256_GCM,
};

#define OS_AEAD_TAG_SIZE	16U

/*
 * Encrypt buf (len bytes) in place and compute the tag over aad (only
 * authenticated) and the data. 0, or < 0 with buf in an undefined state.
 */
int os_aead_encrypt(enum os_aead alg, const u8 *key, const u8 *nonce,
		    const u8 *aad, u32 aad_len, u8 *buf, u32 len,
		    u8 tag[OS_AEAD_TAG_SIZE]);
/*
 * Check tag and decrypt buf in place: 0, or -OS_EBADMSG when the tag
 * does not match (buf is then garbage: the caller drops the message).
 */
int os_aead_decrypt(enum os_aead alg, const u8 *key, const u8 *nonce,
		    const u8 *aad, u32 aad_len, u8 *buf, u32 len,
		    const u8 tag[OS_AEAD_TAG_SIZE]);

/* -- files, confined beneath a share root ------------------------------------ */

/*
 * A share root is opened once per tree connect; every later name is
 * resolved beneath it by the host (openat2 RESOLVE_BENEATH in userspace,
 * LOOKUP_BENEATH in the kernel), so that neither "..", an absolute name
 * nor a symbolic link can reach outside it. The core validates names
 * before they get here (kmod/path.c); the host's check is the one that
 * holds if the core is wrong.
 *
 * Paths given to these functions are relative to the root, UTF-8,
 * components separated by '/', without empty, "." or ".." components;
 * "" names the root itself. Case is exact: case-insensitive lookup is the
 * core's job (it retries with os_readdir).
 */
struct os_fs;		/* an open share root */
struct os_file;		/* an open file or directory beneath one */

/* os_fs_open flags */
#define OS_FS_NO_SYMLINKS	0x1	/* refuse every symlink ("follow symlinks = no") */
#define OS_FS_CROSSMNT		0x2	/* allow crossing mount points beneath the root */

int os_fs_open(const char *root, u32 flags, struct os_fs **out);
void os_fs_close(struct os_fs *fs);

struct os_statfs {
	u64 block_size;		/* bytes per allocation unit */
	u64 blocks;
	u64 blocks_free;	/* for everyone */
	u64 blocks_avail;	/* for unprivileged users */
	u64 fsid;
	u32 name_max;
};

int os_fs_statfs(struct os_fs *fs, struct os_statfs *st);

/* File types in os_stat.mode and os_dirent.type, with POSIX's values. */
#define OS_S_IFMT	0170000
#define OS_S_IFDIR	0040000
#define OS_S_IFREG	0100000
#define OS_S_IFLNK	0120000

struct os_stat {
	u64 dev;
	u64 ino;
	u64 size;
	u64 alloc;		/* bytes allocated on disk */
	u64 atime, mtime, ctime;	/* FILETIME (100 ns since 1601) */
	u64 btime;		/* birth time, 0 when the filesystem has none */
	u32 mode;		/* type and permission bits */
	u32 nlink;
	u32 uid, gid;
};

/* os_open flags */
#define OS_O_READ	0x001	/* read data */
#define OS_O_WRITE	0x002	/* write data */
#define OS_O_CREATE	0x004	/* create when missing (with OS_O_DIR: a directory) */
#define OS_O_EXCL	0x008	/* with OS_O_CREATE: fail with -OS_EEXIST if present */
#define OS_O_TRUNC	0x010	/* truncate to 0 (regular files) */
#define OS_O_DIR	0x020	/* must be a directory (-OS_ENOTDIR otherwise) */
#define OS_O_NOTDIR	0x040	/* must not be a directory (-OS_EISDIR otherwise) */
#define OS_O_APPEND	0x080	/* writes go to the end */
/*
 * Neither OS_O_READ nor OS_O_WRITE: a handle for metadata only (stat,
 * xattrs, times, rename, delete) that needs no read permission on the
 * file itself. Every function below works on such a handle except
 * os_read, os_write, os_truncate, os_allocate, os_fsync and os_readdir
 * (-OS_EBADF).
 */

/*
 * Open path beneath fs. When at is not NULL the path is relative to that
 * directory handle (which must belong to fs) instead of the root. mode
 * (permission bits) applies to a created file or directory; *created is
 * set to 1 when this call created it (created may be NULL).
 */
int os_open(struct os_fs *fs, struct os_file *at, const char *path,
	    u32 flags, u32 mode, struct os_file **out, int *created);
void os_close(struct os_file *f);

int os_stat(struct os_file *f, struct os_stat *st);
/* Stat the entry name of directory dir without following a final symlink. */
int os_stat_at(struct os_file *dir, const char *name, struct os_stat *st);

/* Read up to len bytes at off; *got is 0 at end of file. */
int os_read(struct os_file *f, u64 off, void *buf, u32 len, u32 *got);
/* Write len bytes at off (all of them, or an error). */
int os_write(struct os_file *f, u64 off, const void *buf, u32 len);
int os_fsync(struct os_file *f);
int os_truncate(struct os_file *f, u64 size);
/* Reserve size bytes without changing the file's size (fallocate KEEP_SIZE). */
int os_allocate(struct os_file *f, u64 size);
/* Set times (FILETIME); a value of 0 leaves that time unchanged. */
int os_set_times(struct os_file *f, u64 atime, u64 mtime);
/* chmod: the permission bits only. */
int os_chmod(struct os_file *f, u32 mode);

/* One directory entry, as os_readdir hands it to its callback. */
struct os_dirent {
	u64 ino;
	u64 pos;		/* os_readdir from here returns this entry again */
	u32 type;		/* OS_S_IF* of the entry, 0 when unknown */
	u32 name_len;
	const char *name;	/* not NUL-terminated; valid during the call only */
};

/*
 * Read directory dir from position *pos (0 = the start), calling
 * fn(arg, ent) for each entry, "." and ".." included. fn returns 0 to go
 * on, non-zero to stop before consuming ent: *pos is then ent->pos, and
 * the next call starts with that entry. At the end *pos is a position
 * that yields no more entries and the function returns 0. fn must not
 * call back into os_* file functions (the kernel holds the directory
 * lock): collect names, then stat them after the call.
 */
int os_readdir(struct os_file *dir, u64 *pos,
	       int (*fn)(void *arg, const struct os_dirent *ent), void *arg);

/*
 * Extended attributes of an open file (any handle, metadata-only ones
 * included). name is the full name ("user.DOSATTRIB"). os_getxattr gives
 * -OS_ENODATA when absent, -OS_ERANGE when cap is too small; *len gets
 * the value's size. os_listxattr fills buf with NUL-separated names.
 */
int os_getxattr(struct os_file *f, const char *name, void *buf, u32 cap, u32 *len);
int os_setxattr(struct os_file *f, const char *name, const void *buf, u32 len);
int os_removexattr(struct os_file *f, const char *name);
int os_listxattr(struct os_file *f, char *buf, u32 cap, u32 *len);

/* Names, relative to the root like os_open's paths. */
int os_unlink(struct os_fs *fs, const char *path, int is_dir);
/* Rename; with replace == 0, -OS_EEXIST when to exists. */
int os_rename(struct os_fs *fs, const char *from, const char *to, int replace);
int os_link(struct os_fs *fs, const char *from, const char *to);

/* -- identity -------------------------------------------------------------- */

/*
 * Who file operations run as. A request of a logged-in user runs between
 * os_cred_override and os_cred_revert on one thread (a worker in
 * userspace, the request's kernel thread), so permissions are checked,
 * and new files owned, as that user. A host that cannot switch (the
 * userspace host not running as root) runs everything as itself and
 * says so once in the log.
 */
struct os_cred;

struct os_cred *os_cred_new(u32 uid, u32 gid, u32 ngroups, const u32 *groups);
void os_cred_free(struct os_cred *c);
/* Returns what to hand to os_cred_revert (may be NULL). */
void *os_cred_override(const struct os_cred *c);
void os_cred_revert(void *saved);

/* -- upcalls to ksmbd.mountd ------------------------------------------------ */

/*
 * Send one SMBD_GENL event (type, payload encoded by the generated
 * smbd_nl_*_enc) to the daemon. When reply_type is not 0, wait (bounded by
 * SMBD_NL_REPLY_TIMEOUT_S) for the reply of that type carrying the same
 * handle (the request's first u32) and copy its payload to rsp: *rsp_len
 * gets its size. The caller decodes it with the generated decoder: the
 * daemon's bytes are input like any other. May sleep.
 */
int os_upcall(u16 type, const void *req, u32 len, u16 reply_type,
	      void *rsp, u32 cap, u32 *rsp_len);
/* A fresh handle for an upcall. */
u32 os_upcall_handle(void);

/* -- logging ------------------------------------------------------------------ */

#define OS_LOG_ERR	3
#define OS_LOG_INFO	6
#define OS_LOG_DEBUG	7

void os_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* SMBD_OS_H */
