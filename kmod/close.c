// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * CLOSE (MS-SMB2 3.3.5.10).
 *
 * With SMB2_CLOSE_FLAG_POSTQUERY_ATTRIB the client wants the file's
 * times, sizes and attributes as they stand at the close: they are read
 * before the handle goes (a delete-on-close file has no name after).
 * Without it those fields are zero.
 */
#include "smbd.h"

static const char *base_name(const char *path)
{
	const char *b = path, *p;

	for (p = path; *p; p++)
		if (*p == '/')
			b = p + 1;
	return b;
}

/* Fill the attribute fields of rsp from o; 0, or < 0 when unknown. */
static int post_query(struct smbd_open *o, struct smb2_close_rsp *rsp)
{
	struct smbd_meta m;

	if (!o->file || smbd_meta_get(o->tree, o->file,
				      base_name(o->path ? o->path : ""), &m))
		return -1;
	rsp->creation_time = m.creation_time;
	rsp->last_access_time = m.last_access_time;
	rsp->last_write_time = m.last_write_time;
	rsp->change_time = smbd_inode_change_time(o->inode, m.change_time);
	rsp->allocation_size = m.allocation_size;
	rsp->end_of_file = m.end_of_file;
	rsp->file_attributes = m.attributes ? m.attributes : FILE_ATTRIBUTE_NORMAL;
	return 0;
}

u32 smbd_close(struct smbd_work *w)
{
	struct smb2_close_rsp rsp = { 0 };
	struct smb2_close_req req;
	struct smbd_open *o;
	struct wire_enc e;
	struct wire_dec d;

	smbd_body_dec(w, &d);
	if (smb2_close_req_dec(&d, &req))
		return STATUS_INVALID_PARAMETER;
	o = smbd_open_find(w, &req.file_id);
	if (!o)
		return STATUS_FILE_CLOSED;
	/* The close happens either way: without attributes, say so (flags 0). */
	if ((req.flags & SMB2_CLOSE_FLAG_POSTQUERY_ATTRIB) && !post_query(o, &rsp))
		rsp.flags = SMB2_CLOSE_FLAG_POSTQUERY_ATTRIB;
	smbd_open_close(o);
	smbd_body_enc(w, &e);
	if (smb2_close_rsp_enc(&e, &rsp))
		return STATUS_INSUFFICIENT_RESOURCES;
	w->rsp_len = e.pos;
	return STATUS_SUCCESS;
}
