// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Client names to paths beneath a share root.
 *
 * Placeholder until the command is written: answered honestly as not
 * supported.
 */
#include "smbd.h"

u32 smbd_path_from_wire(const u8 *name, u32 len, char **out)
{
	(void)name;
	(void)len;
	(void)out;
	return STATUS_NOT_SUPPORTED;
}

u32 smbd_path_resolve(struct smbd_tree *t, const char *path, char **real)
{
	(void)t;
	(void)path;
	(void)real;
	return STATUS_NOT_SUPPORTED;
}
