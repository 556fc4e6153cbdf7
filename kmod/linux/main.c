// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ksmbd.ko's life: module init and exit, and the server's state.
 *
 * Loaded, the module waits for ksmbd.mountd (genl.c). Its STARTING_UP
 * carries the [global] settings: smbd_server_start() applies them and
 * starts listening. kill_server (sysfs.c), a daemon that is gone
 * (genl.c) or module exit reset the server: listeners and connections
 * go down, and a later STARTING_UP starts it again.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/printk.h>

#include "smbd.h"
#include "netlink.h"
#include "khost.h"

/* The package's version (configure.ac); ksmbd.control -c shows it. */
#ifndef SMBD_VERSION
#define SMBD_VERSION "0.1.0"
#endif

#define SMBD_DEFAULT_PORT 445

/* Serialises start and reset; state and port are read without it. */
static DEFINE_MUTEX(server_lock);
static enum smbd_server_state server_state = SMBD_SERVER_STARTING_UP;
static u16 server_port;

enum smbd_server_state smbd_server_state(void)
{
	return READ_ONCE(server_state);
}

u16 smbd_server_tcp_port(void)
{
	return READ_ONCE(server_port);
}

int smbd_server_start(const struct smbd_nl_startup_request *req)
{
	u16 port = req->tcp_port ? req->tcp_port : SMBD_DEFAULT_PORT;
	int rc;

	mutex_lock(&server_lock);
	if (server_state == SMBD_SERVER_RUNNING) {
		rc = -EBUSY;
		goto out;
	}
	if (server_state == SMBD_SERVER_SHUTTING_DOWN) {
		rc = -ESHUTDOWN;
		goto out;
	}
	/* before the first connection is accepted (transform.c) */
	smbd_set_global_flags(req->flags);
	rc = smbd_net_start(port);
	if (rc)
		goto out;
	WRITE_ONCE(server_port, port);
	WRITE_ONCE(server_state, SMBD_SERVER_RUNNING);
out:
	mutex_unlock(&server_lock);
	return rc;
}

/* With server_lock held: stop listening and close every connection. */
static void server_stop(enum smbd_server_state after)
{
	if (server_state == SMBD_SERVER_RUNNING) {
		WRITE_ONCE(server_state, SMBD_SERVER_RESETTING);
		smbd_net_stop();
		pr_info("ksmbd: server reset: every connection closed\n");
	}
	WRITE_ONCE(server_port, 0);
	WRITE_ONCE(server_state, after);
}

void smbd_server_reset(void)
{
	mutex_lock(&server_lock);
	if (server_state != SMBD_SERVER_SHUTTING_DOWN)
		server_stop(SMBD_SERVER_STARTING_UP);
	mutex_unlock(&server_lock);
}

static int __init smbd_init(void)
{
	int rc;

	rc = smbd_status_init();
	if (rc)
		return -ENOMEM;
	rc = smbd_crypto_init();
	if (rc)
		goto fail_status;
	rc = smbd_work_init();
	if (rc)
		goto fail_crypto;
	rc = smbd_genl_init();
	if (rc)
		goto fail_work;
	rc = smbd_sysfs_init();
	if (rc)
		goto fail_genl;
	pr_info("ksmbd: smbd-ng %s loaded: waiting for ksmbd.mountd\n", SMBD_VERSION);
	return 0;

fail_genl:
	smbd_genl_exit();
fail_work:
	smbd_work_exit();
fail_crypto:
	smbd_crypto_exit();
fail_status:
	smbd_status_exit();
	smbd_core_exit();
	return rc;
}

static void __exit smbd_exit(void)
{
	/* no connection outlives this, whoever holds one open */
	mutex_lock(&server_lock);
	server_stop(SMBD_SERVER_SHUTTING_DOWN);
	mutex_unlock(&server_lock);
	smbd_sysfs_exit();
	smbd_genl_exit();
	smbd_work_exit();
	smbd_crypto_exit();
	smbd_status_exit();
	smbd_core_exit();
	pr_info("ksmbd: unloaded\n");
}

module_init(smbd_init);
module_exit(smbd_exit);

MODULE_LICENSE("GPL");
MODULE_VERSION(SMBD_VERSION);
MODULE_DESCRIPTION("smbd-ng: SMB3 server data path (ksmbd-compatible)");
