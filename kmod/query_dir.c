// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * QUERY_DIRECTORY (MS-SMB2 3.3.5.18).
 *
 * Placeholder until the command is written: answered honestly as not
 * supported.
 */
#include "smbd.h"

u32 smbd_query_directory(struct smbd_work *w)
{
	(void)w;
	return STATUS_NOT_SUPPORTED;
}
