// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ECHO (MS-SMB2 3.3.5.12): the client's keep-alive.
 */
#include "smbd.h"

u32 smbd_echo(struct smbd_work *w)
{
	struct smb2_echo_rsp rsp = { 0 };
	struct smb2_echo_req req;
	struct wire_dec d;
	struct wire_enc e;

	smbd_body_dec(w, &d);
	if (smb2_echo_req_dec(&d, &req))
		return STATUS_INVALID_PARAMETER;
	smbd_body_enc(w, &e);
	if (smb2_echo_rsp_enc(&e, &rsp))
		return STATUS_INSUFFICIENT_RESOURCES;
	w->rsp_len = e.pos;
	return STATUS_SUCCESS;
}
