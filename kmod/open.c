// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The open table of a tree.
 *
 * Placeholder until the command is written: answered honestly as not
 * supported.
 */
#include "smbd.h"

struct smbd_open *smbd_open_new(struct smbd_tree *t)
{
	(void)t;
	return NULL;
}

struct smbd_open *smbd_open_find(struct smbd_work *w, const struct smb2_file_id *fid)
{
	(void)w;
	(void)fid;
	return NULL;
}

void smbd_open_close(struct smbd_open *o)
{
	(void)o;
}

void smbd_open_close_all(struct smbd_tree *t)
{
	(void)t;
}
