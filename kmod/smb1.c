// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The SMB1 multi-protocol negotiate (MS-SMB2 3.3.5.3): the one SMB1
 * message this server reads, so that clients which open with it (older
 * Windows, impacket) reach SMB2. SMB1 itself is never spoken.
 *
 * "SMB 2.???" among the dialects gets an SMB2 NEGOTIATE response with the
 * wildcard revision 0x02FF, and the client follows with a real SMB2
 * NEGOTIATE (3.3.5.3.1); "SMB 2.002" alone settles 2.0.2 at once
 * (3.3.5.3.2). Anything else, or an SMB1 frame after the first, ends the
 * connection.
 */
#include "smbd.h"

#define SMB1_DIALECTS_MAX	64	/* more than any client offers */

static const char smb2_wildcard[] = "SMB 2.???";
static const char smb2_002[] = "SMB 2.002";

/* Does the NUL-terminated string at p (n bytes before the NUL) equal s? */
static int str_is(const u8 *p, u32 n, const char *s, u32 slen)
{
	return n == slen && !os_memcmp(p, s, n);
}

/*
 * The SMB2 dialect the strings ask for: the wildcard, 2.0.2, or 0 (none,
 * or malformed). Each string is 0x02, text, NUL (MS-CIFS 2.2.4.52.1).
 */
static u16 pick_dialect(const struct wire_blob *b)
{
	u32 pos = 0, n, i;
	u16 found = 0;

	for (i = 0; i < SMB1_DIALECTS_MAX && pos < b->len; i++) {
		if (b->p[pos] != SMB1_DIALECT_BUFFER_FORMAT)
			return 0;
		pos++;
		for (n = 0; pos + n < b->len && b->p[pos + n]; n++)
			;
		if (pos + n == b->len)
			return 0;	/* no terminating NUL */
		if (str_is(b->p + pos, n, smb2_wildcard, sizeof(smb2_wildcard) - 1))
			found = SMB2_DIALECT_WILDCARD;
		else if (str_is(b->p + pos, n, smb2_002, sizeof(smb2_002) - 1) && !found)
			found = SMB2_DIALECT_202;
		pos += n + 1;
	}
	return pos == b->len ? found : 0;
}

/* The SMB2 header of the answer: message id 0, one credit (3.3.5.3.1). */
static int encode_header(u8 *rsp, u32 cap)
{
	struct smb2_hdr h = {
		.command = SMB2_NEGOTIATE,
		.credit = 1,
		.flags = SMB2_FLAGS_SERVER_TO_REDIR,
	};

	return smb2_hdr_encode(rsp, cap, &h, NULL);
}

int smbd_smb1_dispatch(struct smbd_conn *conn, const u8 *msg, u32 len,
		       u8 *rsp, u32 rsp_cap, u32 *rsp_len)
{
	struct smb1_negotiate_req req;
	struct smbd_work w;
	struct smb1_hdr h;
	struct wire_dec d;
	u16 dialect;

	*rsp_len = 0;
	/* only as the connection's first message: it takes message id 0 */
	if (conn->negotiated || conn->mid_low != 0 ||
	    smb1_hdr_decode(msg, len, &h) || h.command != SMB1_COM_NEGOTIATE)
		return -OS_EPROTO;
	wire_dec_init(&d, msg, len);
	d.pos = SMB1_HDR_SIZE;
	if (smb1_negotiate_req_dec(&d, &req))
		return -OS_EPROTO;
	dialect = pick_dialect(&req.dialects);
	if (!dialect)
		return -OS_EPROTO;	/* SMB1 only: not spoken here */
	os_memset(&w, 0, sizeof(w));
	w.conn = conn;
	w.rsp = rsp;
	w.rsp_cap = rsp_cap;
	w.hdr.command = SMB2_NEGOTIATE;
	if (smbd_negotiate_smb1(&w, dialect) || encode_header(rsp, rsp_cap))
		return -OS_EMSGSIZE;
	/* id 0 used, the one credit granted: the next request is id 1 */
	conn->mid_low = 1;
	conn->mid_high = 2;
	*rsp_len = w.rsp_len;
	return 0;
}
