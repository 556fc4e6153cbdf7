/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel host's own interfaces, between its files (not the core's:
 * the core sees kmod/os.h only).
 *
 *   main.c     module init/exit, server state (started by STARTING_UP)
 *   os_linux.c memory, refs, mutexes, the workqueue, time, randomness, log
 *   crypto.c   os_mac/os_sha512/os_md5/os_rc4/os_aead_* on the crypto API
 *   cred.c     os_cred_* on struct cred (override_creds)
 *   vfs.c      os_fs_* / os_open ... beneath a share root (LOOKUP_BENEATH)
 *   net.c      listener, connections, frames, os_sock_send/os_sock_peer
 *   genl.c     the SMBD_GENL family: STARTING_UP, replies, os_upcall
 *   sysfs.c    /sys/class/ksmbd-control: stats, kill_server, debug
 */
#ifndef SMBD_KHOST_H
#define SMBD_KHOST_H

#include <linux/types.h>

struct smbd_nl_startup_request;

/* main.c: the server's state, as the stats file shows it */
enum smbd_server_state {
	SMBD_SERVER_STARTING_UP,	/* loaded, no daemon yet */
	SMBD_SERVER_RUNNING,		/* a daemon sent STARTING_UP: listening */
	SMBD_SERVER_RESETTING,		/* listeners and connections going down */
	SMBD_SERVER_SHUTTING_DOWN,	/* module exit */
};

/*
 * STARTING_UP from the daemon (genl.c, after decoding it): apply the
 * [global] settings and start listening. 0 or -errno.
 */
int smbd_server_start(const struct smbd_nl_startup_request *req);
/*
 * Stop listening and close every connection (kill_server, or the daemon
 * is gone). Sleeps until they are closed. Safe to call when not running.
 */
void smbd_server_reset(void);
enum smbd_server_state smbd_server_state(void);
u16 smbd_server_tcp_port(void);

/* os_linux.c */
int smbd_work_init(void);	/* the request workqueue */
void smbd_work_exit(void);	/* flushes and destroys it */
/* Debug components toggled through sysfs (SMBD_DEBUG_*): os_log(DEBUG) prints when any is set. */
#define SMBD_DEBUG_SMB		(1U << 0)
#define SMBD_DEBUG_AUTH		(1U << 1)
#define SMBD_DEBUG_VFS		(1U << 2)
#define SMBD_DEBUG_OPLOCK	(1U << 3)
#define SMBD_DEBUG_IPC		(1U << 4)
#define SMBD_DEBUG_CONN		(1U << 5)
#define SMBD_DEBUG_RDMA		(1U << 6)
#define SMBD_DEBUG_ALL		0x7fU
extern unsigned int smbd_debug_mask;

/* crypto.c: allocate the transforms once (at module init). */
int smbd_crypto_init(void);
void smbd_crypto_exit(void);

/* net.c */
int smbd_net_start(u16 port);	/* listen on every address, that port */
void smbd_net_stop(void);	/* stop listening, close connections, wait */

/* genl.c */
int smbd_genl_init(void);
void smbd_genl_exit(void);
/* jiffies of the last message from the daemon (the stats file) */
unsigned long smbd_genl_last_active(void);

/* sysfs.c */
int smbd_sysfs_init(void);
void smbd_sysfs_exit(void);

#endif /* SMBD_KHOST_H */
