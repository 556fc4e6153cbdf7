// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One transport connection: frames in, frames out.
 *
 * Direct TCP (MS-SMB2 2.1) prefixes each message with a 4-byte header:
 * a zero byte and a 24-bit big-endian length. The length is checked
 * against what the connection's state allows before anything is
 * allocated, so a peer cannot make us reserve more than one frame's worth.
 *
 * The host assembles frames (it knows how to wait for a socket without
 * holding a thread): it reads the header, asks smbd_conn_frame_len() how
 * long the frame is, reads that much and hands the complete frame to
 * smbd_conn_handle_frame(), one frame of a connection at a time. A
 * request parked for later (async.c) does not hold the connection: its
 * frame is done once the interim answer is out, and when it is resumed
 * (smbd_conn_run_async) it takes conn->lock like a frame does.
 *
 * Buffers live for one frame only: an idle connection holds none. The
 * response buffer is sized from what the request asks for (a READ's
 * Length, the output limits of QUERY_DIRECTORY, QUERY_INFO, IOCTL and
 * CHANGE_NOTIFY), so small requests do not pay for 1 MiB reads.
 *
 * A frame in a TRANSFORM_HEADER (SMB 3.x encryption, transform.c) is
 * decrypted in place before anything else looks at it; its answer, or any
 * answer the dispatcher decided must be encrypted, is encrypted in place
 * in the response buffer, which keeps room for that header in front.
 */
#include "smbd.h"

/* Room for the answer to a request that names no output size. */
#define RSP_DEFAULT		(64U * 1024U)
/* At least this much for any answer: an error body with some data. */
#define RSP_MIN			1024U
/* The fixed part of a response body in front of its data (IOCTL: 48). */
#define RSP_FIXED		64U
/* Each answer of a chain starts 8-aligned: up to 7 bytes of padding. */
#define RSP_ALIGN_PAD		8U
/* A chain longer than this is refused by the dispatcher anyway. */
#define CHAIN_MAX		32U
/* In front of a response: the transport header, and a transform header. */
#define RSP_HEADROOM		(SMB2_TRANSPORT_HDR_SIZE + SMB2_TRANSFORM_HDR_SIZE)

struct smbd_conn *smbd_conn_new(struct os_sock *sock)
{
	struct smbd_conn *conn = os_zalloc(sizeof(*conn));

	if (!conn)
		return NULL;
	conn->lock = os_mutex_new();
	conn->send_lock = os_mutex_new();
	if (!conn->lock || !conn->send_lock) {
		os_mutex_free(conn->lock);
		os_mutex_free(conn->send_lock);
		os_free(conn);
		return NULL;
	}
	os_ref_init(&conn->ref);
	conn->sock = sock;
	conn->mid_high = 1;	/* one credit before NEGOTIATE */
	conn->next_session_id = 1;
	conn->next_async_id = 1;
	os_sock_peer(sock, conn->peer, sizeof(conn->peer), &conn->peer_ipv6);
	/* listed in the status view; its walker takes conn->lock */
	if (smbd_status_conn_add(conn)) {
		os_mutex_free(conn->lock);
		os_mutex_free(conn->send_lock);
		os_free(conn);
		return NULL;
	}
	return conn;
}

void smbd_conn_put(struct smbd_conn *conn)
{
	if (!os_ref_put(&conn->ref))
		return;
	os_mutex_free(conn->lock);
	os_mutex_free(conn->send_lock);
	os_free(conn);
}

void smbd_conn_free(struct smbd_conn *conn)
{
	if (!conn)
		return;
	/*
	 * Out of the status view first (its walker takes conn->lock under
	 * the registry's lock, so not with conn->lock held here).
	 */
	smbd_status_conn_del(conn);
	os_mutex_lock(conn->lock);
	conn->dead = 1;
	smbd_async_drop_all(conn);
	while (conn->sessions)
		smbd_session_destroy(conn, conn->sessions);
	os_mutex_unlock(conn->lock);
	/* no open of ours is in an inode now: nobody else reaches sock */
	os_mutex_lock(conn->send_lock);
	conn->sock = NULL;
	os_mutex_unlock(conn->send_lock);
	smbd_conn_put(conn);
}

void smbd_tick(void)
{
	smbd_inode_tick();
}

int smbd_conn_send(struct smbd_conn *conn, u8 *frame, u32 len)
{
	struct smb2_transport_hdr th = { .length = len };
	int rc = -OS_ECONNRESET;

	if (smb2_transport_hdr_encode(frame, SMB2_TRANSPORT_HDR_SIZE, &th, NULL))
		return -OS_EMSGSIZE;
	os_mutex_lock(conn->send_lock);
	if (conn->sock)
		rc = os_sock_send(conn->sock, frame, len + SMB2_TRANSPORT_HDR_SIZE);
	os_mutex_unlock(conn->send_lock);
	return rc;
}

u32 smbd_conn_frame_limit(const struct smbd_conn *conn)
{
	return conn->negotiated ? SMBD_FRAME_MAX : SMBD_FRAME_MAX_PRENEG;
}

int smbd_conn_frame_len(const struct smbd_conn *conn,
			const u8 hdr[SMB2_TRANSPORT_HDR_SIZE], u32 *len)
{
	struct smb2_transport_hdr th;

	/* a non-zero first byte (not a session message) is out of range */
	if (smb2_transport_hdr_decode(hdr, SMB2_TRANSPORT_HDR_SIZE, &th))
		return -OS_EPROTO;
	*len = th.length;
	if (*len == 0 || *len > smbd_conn_frame_limit(conn))
		return -OS_EMSGSIZE;
	return 0;
}

static u32 cap_trans(u64 n)
{
	return n > SMBD_MAX_TRANS ? SMBD_MAX_TRANS : (u32)n;
}

/*
 * The body bytes the answer to one element may need. An element that
 * does not decode gets an error answer: RSP_MIN covers it.
 */
static u32 body_room(const u8 *msg, u32 len, u16 cmd)
{
	union {
		struct smb2_read_req read;
		struct smb2_query_directory_req qd;
		struct smb2_query_info_req qi;
		struct smb2_ioctl_req ioctl;
		struct smb2_change_notify_req cn;
	} r;
	struct wire_dec d;
	u32 want = 0;

	wire_dec_init(&d, msg, len);
	d.pos = SMB2_HDR_SIZE;
	switch (cmd) {
	case SMB2_READ:
		if (!smb2_read_req_dec(&d, &r.read))
			want = cap_trans(r.read.length);
		break;
	case SMB2_QUERY_DIRECTORY:
		if (!smb2_query_directory_req_dec(&d, &r.qd))
			want = cap_trans(r.qd.output_buffer_length);
		break;
	case SMB2_QUERY_INFO:
		if (!smb2_query_info_req_dec(&d, &r.qi))
			want = cap_trans(r.qi.output_buffer_length);
		break;
	case SMB2_IOCTL:
		if (!smb2_ioctl_req_dec(&d, &r.ioctl))
			want = cap_trans((u64)r.ioctl.max_output_response +
					 r.ioctl.max_input_response);
		break;
	case SMB2_CHANGE_NOTIFY:
		if (!smb2_change_notify_req_dec(&d, &r.cn))
			want = cap_trans(r.cn.output_buffer_length);
		break;
	default:
		return RSP_DEFAULT;
	}
	want += RSP_FIXED;
	return want > RSP_MIN ? want : RSP_MIN;
}

/*
 * Room for the answers to every element of the chain in msg (the
 * dispatcher walks it again and refuses what is malformed), at most one
 * frame: a chain that needs more fails in the dispatcher, not here.
 */
static u32 response_room(const u8 *msg, u32 len)
{
	struct smb2_hdr h;
	u32 at = 0, n, elem;
	u64 room = 0;

	for (n = 0; n < CHAIN_MAX && at < len; n++) {
		if (smb2_hdr_decode(msg + at, len - at, &h))
			break;
		elem = len - at;
		if (h.next_command && h.next_command < elem)
			elem = h.next_command;
		room += RSP_ALIGN_PAD + SMB2_HDR_SIZE +
			body_room(msg + at, elem, h.command);
		if (!h.next_command || h.next_command >= len - at)
			break;
		at += h.next_command;
	}
	if (room < RSP_ALIGN_PAD + SMB2_HDR_SIZE + RSP_MIN)
		room = RSP_ALIGN_PAD + SMB2_HDR_SIZE + RSP_MIN;	/* SMB1, garbage */
	return room > SMBD_FRAME_MAX ? SMBD_FRAME_MAX : (u32)room;
}

/*
 * Send the len-byte answer at buf + RSP_HEADROOM: in the clear right
 * behind its transport header, or encrypted behind a transform header.
 */
static int send_answer(struct smbd_conn *conn, u8 *buf, u32 len)
{
	int rc;

	if (!conn->crypt.encrypt)
		return smbd_conn_send(conn, buf + SMB2_TRANSFORM_HDR_SIZE, len);
	rc = smbd_encrypt_frame(conn, buf + SMB2_TRANSPORT_HDR_SIZE, len);
	if (rc)
		return rc;
	return smbd_conn_send(conn, buf, SMB2_TRANSFORM_HDR_SIZE + len);
}

static int handle_frame(struct smbd_conn *conn, u8 *frame, u32 len)
{
	u8 *rsp = NULL, *msg = frame;
	u32 cap, msg_len = len, rsp_len = 0;
	int rc;

	/*
	 * conn->lock is held: the status walker (status.c), which takes it
	 * too, sees the lists before or after the frame, never in between.
	 */
	if (smbd_is_transform(frame, len)) {
		rc = smbd_decrypt_frame(conn, frame, len, &msg, &msg_len);
		if (rc)
			goto out;
		smbd_status_note_encrypted(conn, conn->crypt.rx_session_id);
	}
	cap = response_room(msg, msg_len);
	rsp = os_alloc(cap + RSP_HEADROOM);
	if (!rsp) {
		rc = -OS_ENOMEM;
		goto out;
	}
	rc = smbd_dispatch(conn, msg, msg_len, rsp + RSP_HEADROOM, cap, &rsp_len);
	if (rc == 0 && rsp_len)
		rc = send_answer(conn, rsp, rsp_len);
out:
	smbd_crypt_frame_end(conn);
	os_free(rsp);
	return rc;
}

int smbd_conn_handle_frame(struct smbd_conn *conn, u8 *frame, u32 len)
{
	int rc = -OS_ECONNRESET;

	os_mutex_lock(conn->lock);
	if (!conn->dead)
		rc = handle_frame(conn, frame, len);
	os_mutex_unlock(conn->lock);
	return rc;
}

/*
 * The final answer of a parked request, with conn->lock held: between
 * two frames, or inside one (a CANCEL), whose encryption state is kept
 * aside meanwhile. Encrypted as the request came, or as its session
 * wants (transform.c plans it again).
 */
int smbd_conn_run_async(struct smbd_conn *conn, struct smbd_async *a, u32 status)
{
	struct smbd_crypt_frame saved = conn->crypt;
	u32 cap, rsp_len = 0;
	u8 *rsp;
	int rc;

	os_memset(&conn->crypt, 0, sizeof(conn->crypt));
	conn->crypt.rx_session_id = a->rx_session_id;
	cap = response_room(a->req, a->req_len);
	rsp = os_alloc(cap + RSP_HEADROOM);
	rc = rsp ? 0 : -OS_ENOMEM;
	if (rsp)
		rc = smbd_dispatch_async(conn, a, status, rsp + RSP_HEADROOM,
					 cap, &rsp_len);
	if (rc == 0 && rsp_len)
		rc = send_answer(conn, rsp, rsp_len);
	smbd_crypt_frame_end(conn);
	conn->crypt = saved;
	os_free(rsp);
	return rc;
}
