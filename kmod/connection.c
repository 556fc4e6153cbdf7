// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One transport connection: frames in, frames out.
 *
 * Direct TCP (MS-SMB2 2.1) prefixes each message with a 4-byte header:
 * a zero byte and a 24-bit big-endian length. The length is checked
 * against what the connection's state allows before anything is
 * allocated, so a peer cannot make us reserve more than one frame's worth.
 */
#include "smbd.h"

static u32 frame_limit(const struct smbd_conn *conn)
{
	return conn->negotiated ? SMBD_FRAME_MAX : SMBD_FRAME_MAX_PRENEG;
}

struct smbd_conn *smbd_conn_new(struct os_sock *sock)
{
	struct smbd_conn *conn = os_zalloc(sizeof(*conn));

	if (!conn)
		return NULL;
	conn->sock = sock;
	conn->mid_high = 1;	/* one credit before NEGOTIATE */
	conn->next_session_id = 1;
	os_sock_peer(sock, conn->peer, sizeof(conn->peer), &conn->peer_ipv6);
	return conn;
}

void smbd_conn_free(struct smbd_conn *conn)
{
	if (!conn)
		return;
	while (conn->sessions)
		smbd_session_destroy(conn, conn->sessions);
	os_free(conn);
}

/* Read the 4-byte transport header: the frame's length, or < 0. */
static int read_frame_len(struct smbd_conn *conn, u32 *len)
{
	struct smb2_transport_hdr th;
	u8 h[SMB2_TRANSPORT_HDR_SIZE];
	int rc = os_sock_recv_exact(conn->sock, h, sizeof(h));

	if (rc)
		return rc;
	/* a non-zero first byte (not a session message) is out of range */
	if (smb2_transport_hdr_decode(h, sizeof(h), &th))
		return -OS_EPROTO;
	*len = th.length;
	if (*len == 0 || *len > frame_limit(conn))
		return -OS_EMSGSIZE;
	return 0;
}

static int send_frame(struct smbd_conn *conn, u8 *frame, u32 len)
{
	struct smb2_transport_hdr th = { .length = len };

	if (smb2_transport_hdr_encode(frame, SMB2_TRANSPORT_HDR_SIZE, &th, NULL))
		return -OS_EMSGSIZE;
	return os_sock_send(conn->sock, frame, len + SMB2_TRANSPORT_HDR_SIZE);
}

int smbd_conn_serve_one(struct smbd_conn *conn)
{
	u8 *req = NULL, *rsp = NULL;
	u32 len, rsp_len = 0;
	int rc;

	rc = read_frame_len(conn, &len);
	if (rc)
		return rc;
	req = os_zalloc(len);
	/* room for the transport header in front of the response */
	rsp = os_zalloc(SMBD_FRAME_MAX + SMB2_TRANSPORT_HDR_SIZE);
	if (!req || !rsp) {
		rc = -OS_ENOMEM;
		goto out;
	}
	rc = os_sock_recv_exact(conn->sock, req, len);
	if (rc)
		goto out;
	rc = smbd_dispatch(conn, req, len, rsp + SMB2_TRANSPORT_HDR_SIZE,
			   SMBD_FRAME_MAX, &rsp_len);
	if (rc == 0 && rsp_len)
		rc = send_frame(conn, rsp, rsp_len);
out:
	os_free(req);
	os_free(rsp);
	return rc;
}
