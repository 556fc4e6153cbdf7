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
#define OS_EIO		5
#define OS_ENOMEM	12
#define OS_EINVAL	22
#define OS_EPROTO	71
#define OS_EMSGSIZE	90
#define OS_ETIMEDOUT	110
#define OS_ECONNRESET	104

#define OS_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* -- memory ------------------------------------------------------------ */

/* Zeroed memory; NULL on failure. May sleep. */
void *os_zalloc(size_t n);
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

/* Read exactly n bytes; -OS_ECONNRESET on end of stream. */
int os_sock_recv_exact(struct os_sock *s, void *buf, u32 n);
/* Send n bytes (all of them, or an error). */
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
/* RC4 (MS-NLMP key exchange only); in and out may be the same. */
int os_rc4(const u8 *key, u32 keylen, const u8 *in, u8 *out, u32 len);

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
