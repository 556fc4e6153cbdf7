// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /sys/class/ksmbd-control, what ksmbd.control (ours and ksmbd-tools')
 * drives in kernel mode (spec/netlink-abi.md, "sysfs"):
 *
 *   stats        "<version> <state> <tcp port> <ipc last active>", in the
 *                in-tree module's format (version 2, the state as a word,
 *                seconds), but the daemon's last message counts from boot
 *                (the in-tree jiffies / HZ starts near 2^32 / HZ); 0: never
 *   kill_server  write "hard": stop listening, close every connection
 *   debug        write a component (or "all") to toggle it; read lists
 *                them all, the enabled ones in brackets
 *   status       (ours, root only) the status snapshot of idl/status.idl
 *                that ksmbd.control --status decodes: sessions, tree
 *                connects and open files
 */
#include <linux/device.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "os.h"
#include "smbd.h"
#include "khost.h"

#define STATS_VERSION	2

/* In bit order: component i is SMBD_DEBUG_* bit i. */
static const char *const debug_names[] = {
	"smb", "auth", "vfs", "oplock", "ipc", "conn", "rdma",
};

static DEFINE_MUTEX(debug_lock);

static const char *state_name(enum smbd_server_state s)
{
	switch (s) {
	case SMBD_SERVER_STARTING_UP:
		return "startup";
	case SMBD_SERVER_RUNNING:
		return "running";
	case SMBD_SERVER_RESETTING:
		return "reset";
	default:
		return "shutdown";
	}
}

static ssize_t stats_show(struct class *class, struct class_attribute *attr,
			  char *buf)
{
	unsigned long last = smbd_genl_last_active();

	return sysfs_emit(buf, "%d %s %u %lu\n", STATS_VERSION,
			  state_name(smbd_server_state()), smbd_server_tcp_port(),
			  last ? (last - INITIAL_JIFFIES) / HZ : 0);
}

static ssize_t kill_server_store(struct class *class,
				 struct class_attribute *attr,
				 const char *buf, size_t len)
{
	if (!sysfs_streq(buf, "hard"))
		return -EINVAL;
	pr_info("ksmbd: kill_server: resetting the server\n");
	smbd_server_reset();
	return len;
}

static ssize_t debug_show(struct class *class, struct class_attribute *attr,
			  char *buf)
{
	unsigned int mask = READ_ONCE(smbd_debug_mask);
	unsigned int i;
	int n = 0;

	for (i = 0; i < ARRAY_SIZE(debug_names); i++)
		n += sysfs_emit_at(buf, n, mask & (1U << i) ? "%s[%s]" : "%s%s",
				   i ? " " : "", debug_names[i]);
	n += sysfs_emit_at(buf, n, "\n");
	return n;
}

/* Toggle one component; "all" turns everything off if all is on, else on. */
static ssize_t debug_store(struct class *class, struct class_attribute *attr,
			   const char *buf, size_t len)
{
	unsigned int bit = 0, mask, i;

	if (sysfs_streq(buf, "all")) {
		bit = SMBD_DEBUG_ALL;
	} else {
		for (i = 0; i < ARRAY_SIZE(debug_names); i++)
			if (sysfs_streq(buf, debug_names[i]))
				bit = 1U << i;
	}
	if (!bit)
		return -EINVAL;
	mutex_lock(&debug_lock);
	mask = READ_ONCE(smbd_debug_mask);
	if (bit == SMBD_DEBUG_ALL)
		mask = (mask & SMBD_DEBUG_ALL) == SMBD_DEBUG_ALL ? 0 : SMBD_DEBUG_ALL;
	else
		mask ^= bit;
	WRITE_ONCE(smbd_debug_mask, mask);
	mutex_unlock(&debug_lock);
	return len;
}

/*
 * The status snapshot: built anew by a read at offset 0 and kept, so a
 * reader that takes it in pieces sees one consistent snapshot.
 */
#define STATUS_START	(64U * 1024U)
#define STATUS_MAX	(64U * 1024U * 1024U)

static DEFINE_MUTEX(status_lock);
static void *status_buf;
static u32 status_len;

static int status_build(void)
{
	u32 cap = STATUS_START, len = 0;
	void *buf;
	int rc;

	for (;;) {
		buf = kvmalloc(cap, GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
		rc = smbd_status_encode(buf, cap, &len);
		if (rc != -OS_EMSGSIZE || cap >= STATUS_MAX)
			break;
		kvfree(buf);
		cap *= 2;
	}
	if (rc) {
		kvfree(buf);
		return rc;
	}
	kvfree(status_buf);
	status_buf = buf;
	status_len = len;
	return 0;
}

static ssize_t status_read(struct file *file, struct kobject *kobj,
			   struct bin_attribute *attr, char *out, loff_t off,
			   size_t count)
{
	ssize_t n = 0;
	int rc;

	mutex_lock(&status_lock);
	if (off == 0) {
		rc = status_build();
		if (rc) {
			mutex_unlock(&status_lock);
			return rc;
		}
	}
	if (status_buf && off >= 0 && off < status_len) {
		n = min_t(size_t, count, status_len - off);
		memcpy(out, (u8 *)status_buf + off, n);
	}
	mutex_unlock(&status_lock);
	return n;
}

static BIN_ATTR(status, 0400, status_read, NULL, 0);

static struct bin_attribute *smbd_control_bin_attrs[] = {
	&bin_attr_status,
	NULL,
};

static CLASS_ATTR_RO(stats);
static CLASS_ATTR_WO(kill_server);
static CLASS_ATTR_RW(debug);

static struct attribute *smbd_control_attrs[] = {
	&class_attr_stats.attr,
	&class_attr_kill_server.attr,
	&class_attr_debug.attr,
	NULL,
};
static const struct attribute_group smbd_control_group = {
	.attrs		= smbd_control_attrs,
	.bin_attrs	= smbd_control_bin_attrs,
};

static const struct attribute_group *smbd_control_groups[] = {
	&smbd_control_group,
	NULL,
};

/* Registered with its attributes, so they exist when udev sees the class. */
static struct class smbd_control_class = {
	.name		= "ksmbd-control",
	.owner		= THIS_MODULE,
	.class_groups	= smbd_control_groups,
};

int smbd_sysfs_init(void)
{
	int rc = class_register(&smbd_control_class);

	if (rc)
		pr_err("ksmbd: registering class ksmbd-control failed: %d\n", rc);
	return rc;
}

void smbd_sysfs_exit(void)
{
	class_unregister(&smbd_control_class);
	kvfree(status_buf);
	status_buf = NULL;
}
