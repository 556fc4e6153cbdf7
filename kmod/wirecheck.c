// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * smbd_wirecheck: links the generated marshallers into a kernel module so that
 * `make kmod-check` compiles them with the kernel's own flags. Loading it runs
 * one generated decoder over 64 zero bytes and logs the result.
 */

#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

#include "smb2.h"

static const u8 wirecheck_buf[64];

static int __init wirecheck_init(void)
{
	struct smb2_hdr hdr;
	int rc;

	/* ProtocolId is 0 here, so the decoder must refuse it (WIRE_EVALUE). */
	rc = smb2_hdr_decode(wirecheck_buf, sizeof(wirecheck_buf), &hdr);
	pr_info("smbd_wirecheck: smb2_hdr_decode(64 zero bytes) = %d\n", rc);
	return 0;
}

static void __exit wirecheck_exit(void)
{
}

module_init(wirecheck_init);
module_exit(wirecheck_exit);

MODULE_DESCRIPTION("smbd-ng: compile check of the generated wire marshallers");
MODULE_LICENSE("GPL");
