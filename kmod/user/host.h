/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The userspace host's own interfaces (between its files, not the core).
 */
#ifndef SMBD_USER_HOST_H
#define SMBD_USER_HOST_H

#include <stdint.h>

struct host_config {
	const char *addr;	/* "127.0.0.1" */
	uint16_t port;
	const char *ipc_path;	/* ksmbd.mountd's user-mode socket */
	unsigned int workers;
};

/* crypto.c: check the algorithms exist once, at start. 0 or -1. */
int host_crypto_init(void);

/* ipc_client.c */
int host_ipc_connect(const char *path);
void host_ipc_close(void);

/* net.c: serve until SIGTERM/SIGINT. 0 or -1. */
int host_net_run(const struct host_config *cfg);
/* Stop host_net_run (async-signal-safe). */
void host_net_stop(void);

/*
 * os_user.c: the debug components ksmbd.control -d toggles (bit i =
 * component i of smb auth vfs oplock ipc conn rdma); any set bit lets
 * OS_LOG_DEBUG through. Toggle returns the new mask.
 */
unsigned int host_debug_mask(void);
unsigned int host_debug_toggle(unsigned int bits, unsigned int all);

/* status.c: the status socket (ksmbd.control --status). 0 or -1. */
int host_status_start(const char *path);
void host_status_stop(void);

/* work.c: the fixed worker pool behind os_work_queue. */
int host_work_start(unsigned int n);
void host_work_stop(void);

#endif
