// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * READ, WRITE and FLUSH (MS-SMB2 3.3.5.12, 3.3.5.13, 3.3.5.11).
 *
 * Placeholder until the command is written: answered honestly as not
 * supported.
 */
#include "smbd.h"

u32 smbd_read(struct smbd_work *w)
{
	(void)w;
	return STATUS_NOT_SUPPORTED;
}

u32 smbd_write(struct smbd_work *w)
{
	(void)w;
	return STATUS_NOT_SUPPORTED;
}

u32 smbd_flush(struct smbd_work *w)
{
	(void)w;
	return STATUS_NOT_SUPPORTED;
}
