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
	u8 h[4];
	int rc = os_sock_recv_exact(conn->sock, h, sizeof(h));

	if (rc)
		return rc;
	if (h[0] != 0)	/* NetBIOS session messages only; no SMB over NBT keepalive types */
		return -OS_EPROTO;
	*len = (u32)h[1] << 16 | (u32)h[2] << 8 | h[3];
	if (*len == 0 || *len > frame_limit(conn))
		return -OS_EMSGSIZE;
	return 0;
}

static int send_frame(struct smbd_conn *conn, u8 *frame, u32 len)
{
	frame[0] = 0;
	frame[1] = (u8)(len >> 16);
	frame[2] = (u8)(len >> 8);
	frame[3] = (u8)len;
	return os_sock_send(conn->sock, frame, len + 4);
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
	/* 4 bytes of transport header in front of the response */
	rsp = os_zalloc(SMBD_FRAME_MAX + 4);
	if (!req || !rsp) {
		rc = -OS_ENOMEM;
		goto out;
	}
	rc = os_sock_recv_exact(conn->sock, req, len);
	if (rc)
		goto out;
	rc = smbd_dispatch(conn, req, len, rsp + 4, SMBD_FRAME_MAX, &rsp_len);
	if (rc == 0 && rsp_len)
		rc = send_frame(conn, rsp, rsp_len);
out:
	os_free(req);
	os_free(rsp);
	return rc;
}
