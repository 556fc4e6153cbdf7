// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Share modes across opens.
 *
 * Placeholder until the command is written: answered honestly as not
 * supported.
 */
#include "smbd.h"

u32 smbd_inode_attach(struct smbd_open *o, const struct os_stat *st)
{
	(void)o;
	(void)st;
	return STATUS_NOT_SUPPORTED;
}

void smbd_inode_detach(struct smbd_open *o)
{
	(void)o;
}

int smbd_inode_delete_pending(struct smbd_inode *ino)
{
	(void)ino;
	return 0;
}

void smbd_inode_set_delete_pending(struct smbd_inode *ino, int on)
{
	(void)ino;
	(void)on;
}
