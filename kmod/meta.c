// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * File metadata in SMB terms.
 *
 * Placeholder until the command is written: answered honestly as not
 * supported.
 */
#include "smbd.h"

u32 smbd_meta_get(struct smbd_tree *t, struct os_file *f, const char *name,
		  struct smbd_meta *m)
{
	(void)t;
	(void)f;
	(void)name;
	(void)m;
	return STATUS_NOT_SUPPORTED;
}

u32 smbd_meta_set_dos(struct smbd_tree *t, struct os_file *f, u32 attributes,
		      u64 creation_time)
{
	(void)t;
	(void)f;
	(void)attributes;
	(void)creation_time;
	return STATUS_NOT_SUPPORTED;
}
