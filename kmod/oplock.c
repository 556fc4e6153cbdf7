// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Oplocks (MS-SMB2 3.3.1.4, 3.3.4.6, 3.3.5.9, 3.3.5.22.1).
 *
 * The state of one open's oplock, kept in the open's entry of its inode
 * (inode.c) and changed only with the inode table lock held:
 *
 *   NONE ---- CREATE grants II/exclusive/batch ----> HELD
 *   HELD ---- a conflicting open, exclusive/batch --> BREAKING (notified)
 *   HELD ---- a conflicting open or a write, II ----> NONE (notified, no ack)
 *   BREAKING - acknowledgment --------------------> HELD (II) or NONE
 *   BREAKING - close, or 35 s without ack --------> gone / NONE
 *
 * Which opens break, to what, and which must be waited for follows the
 * caching the oplock stands for: batch = read, write and handle caching,
 * exclusive = read and write, Level II = read. A new open takes write
 * caching away (its holder must flush), a sharing violation takes handle
 * caching away (the holder may close its cached handle and end the
 * violation), an overwrite takes everything; an oplock that keeps all
 * it has is not broken (exclusive against a sharing violation). The new
 * open waits only for what it needs: flushed writes, or the handle
 * closed. What remains is sent as Level II (read left) or none.
 *
 * The notification goes to the holder's connection from whichever
 * thread made the break: smbd_conn_send() takes that connection's
 * send_lock, which is below the table lock in the lock order.
 */
#include "smbd.h"
#include "netlink.h"

#define CACHE_R		0x1U
#define CACHE_H		0x2U
#define CACHE_W		0x4U

/* MS-SMB2 3.3.2.1 Oplock Break Acknowledgment Timer: 35 s. */
#define BREAK_TIMEOUT	(35ULL * 10000000ULL)

#define FRAME_LEN	(SMB2_HDR_SIZE + 24U)

static u32 caching(u8 level)
{
	switch (level) {
	case SMB2_OPLOCK_LEVEL_BATCH:
		return CACHE_R | CACHE_W | CACHE_H;
	case SMB2_OPLOCK_LEVEL_EXCLUSIVE:
		return CACHE_R | CACHE_W;
	case SMB2_OPLOCK_LEVEL_II:
		return CACHE_R;
	default:
		return 0;
	}
}

u8 smbd_oplock_grant(const struct smbd_open *o, u8 requested, int others)
{
	if (!o->tree || !(o->tree->share_flags & SMBD_NL_SHARE_FLAG_OPLOCKS) ||
	    o->is_dir)
		return SMB2_OPLOCK_LEVEL_NONE;
	if (requested != SMB2_OPLOCK_LEVEL_II &&
	    requested != SMB2_OPLOCK_LEVEL_EXCLUSIVE &&
	    requested != SMB2_OPLOCK_LEVEL_BATCH)
		return SMB2_OPLOCK_LEVEL_NONE;
	/* exclusive caching only for the one open of the file */
	return others ? SMB2_OPLOCK_LEVEL_II : requested;
}

void smbd_oplock_init(struct smbd_oplock *op, u8 level)
{
	os_memset(op, 0, sizeof(*op));
	op->level = level;
	op->state = level ? SMBD_OPLOCK_HELD : SMBD_OPLOCK_NONE;
}

/* The notification (MS-SMB2 2.2.23.1): unsolicited, MessageId all-ones. */
static void notify(const struct smbd_open *holder, u8 level)
{
	u8 buf[SMB2_TRANSPORT_HDR_SIZE + FRAME_LEN];
	struct smb2_hdr h = {
		.command = SMB2_OPLOCK_BREAK,
		.flags = SMB2_FLAGS_SERVER_TO_REDIR,
		.message_id = 0xFFFFFFFFFFFFFFFFULL,
	};
	struct smb2_oplock_break_ntf n = {
		.oplock_level = level,
		.file_id = {
			.persistent_id = holder->persistent_id,
			.volatile_id = holder->volatile_id,
		},
	};
	u8 *msg = buf + SMB2_TRANSPORT_HDR_SIZE;

	if (!holder->conn)
		return;
	if (smb2_hdr_encode(msg, SMB2_HDR_SIZE, &h, NULL) ||
	    smb2_oplock_break_ntf_encode(msg + SMB2_HDR_SIZE, FRAME_LEN - SMB2_HDR_SIZE,
					 &n, NULL))
		return;
	/* a holder whose peer left closes its opens soon: nothing to do */
	smbd_conn_send(holder->conn, buf, FRAME_LEN);
}

int smbd_oplock_contend(struct smbd_oplock *op, const struct smbd_open *holder,
			int sharing_violation, int overwrite, int dry_run)
{
	u32 cur, to, delay;
	u8 to_level;

	if (op->state == SMBD_OPLOCK_NONE)
		return 0;
	cur = caching(op->level);
	delay = sharing_violation ? CACHE_H : CACHE_W;
	to = cur & ~delay;
	if (overwrite)
		to = 0;
	/* what is left, as an oplock: Level II (read) or none */
	to_level = (to & CACHE_R) ? SMB2_OPLOCK_LEVEL_II : SMB2_OPLOCK_LEVEL_NONE;
	if (op->state == SMBD_OPLOCK_BREAKING)
		return !!(cur & delay);		/* sent already: wait or not */
	if (!(cur & ~to))
		return 0;			/* keeps what it has */
	if (dry_run)
		return !!(cur & delay);
	notify(holder, to_level);
	if (cur & (CACHE_W | CACHE_H)) {
		op->state = SMBD_OPLOCK_BREAKING;
		op->break_to = to_level;
		op->deadline = os_nttime_now() + BREAK_TIMEOUT;
		return !!(cur & delay);
	}
	/* Level II to none: no acknowledgment comes (3.3.4.6) */
	op->level = SMB2_OPLOCK_LEVEL_NONE;
	op->state = SMBD_OPLOCK_NONE;
	return 0;
}

int smbd_oplock_break_level2(struct smbd_oplock *op, const struct smbd_open *holder)
{
	if (op->state != SMBD_OPLOCK_HELD || op->level != SMB2_OPLOCK_LEVEL_II)
		return 0;
	notify(holder, SMB2_OPLOCK_LEVEL_NONE);
	op->level = SMB2_OPLOCK_LEVEL_NONE;
	op->state = SMBD_OPLOCK_NONE;
	return 1;
}

u32 smbd_oplock_ack(struct smbd_oplock *op, u8 level, u8 *held, int *done)
{
	*done = 0;
	*held = op->level;
	if (op->state != SMBD_OPLOCK_BREAKING)
		return STATUS_INVALID_OPLOCK_PROTOCOL;
	*done = 1;
	/* more than the break left it, or not an oplock level at all */
	if ((level != SMB2_OPLOCK_LEVEL_NONE && level != SMB2_OPLOCK_LEVEL_II) ||
	    (level == SMB2_OPLOCK_LEVEL_II &&
	     op->break_to == SMB2_OPLOCK_LEVEL_NONE)) {
		smbd_oplock_init(op, SMB2_OPLOCK_LEVEL_NONE);
		*held = SMB2_OPLOCK_LEVEL_NONE;
		return STATUS_INVALID_OPLOCK_PROTOCOL;
	}
	smbd_oplock_init(op, level);
	*held = level;
	return STATUS_SUCCESS;
}

int smbd_oplock_expire(struct smbd_oplock *op, u64 now)
{
	if (op->state != SMBD_OPLOCK_BREAKING || now < op->deadline)
		return 0;
	/* 3.3.6.1: the client did not answer; it caches nothing now */
	smbd_oplock_init(op, SMB2_OPLOCK_LEVEL_NONE);
	return 1;
}

/* -- leases (MS-SMB2 3.3.4.7, 3.3.5.22.2) ----------------------------------- */

#define LEASE_FRAME_LEN	(SMB2_HDR_SIZE + 44U)

/* The Lease Break Notification (2.2.23.2) to the connection of holder. */
static void lease_notify(const struct smbd_open *holder, const struct smbd_lease *l,
			 u32 to, int ack)
{
	u8 buf[SMB2_TRANSPORT_HDR_SIZE + LEASE_FRAME_LEN];
	struct smb2_hdr h = {
		.command = SMB2_OPLOCK_BREAK,
		.flags = SMB2_FLAGS_SERVER_TO_REDIR,
		.message_id = 0xFFFFFFFFFFFFFFFFULL,
	};
	struct smb2_lease_break_ntf n = {
		.new_epoch = l->version == 2 ? l->epoch : 0,
		.flags = ack ? SMB2_NOTIFY_BREAK_LEASE_FLAG_ACK_REQUIRED : 0,
		.current_lease_state = l->state,
		.new_lease_state = to,
	};
	u8 *msg = buf + SMB2_TRANSPORT_HDR_SIZE;

	if (!holder->conn)
		return;
	os_memcpy(n.lease_key, l->key, sizeof(n.lease_key));
	if (smb2_hdr_encode(msg, SMB2_HDR_SIZE, &h, NULL) ||
	    smb2_lease_break_ntf_encode(msg + SMB2_HDR_SIZE,
					LEASE_FRAME_LEN - SMB2_HDR_SIZE, &n, NULL))
		return;
	smbd_conn_send(holder->conn, buf, LEASE_FRAME_LEN);
}

/*
 * The oplock rule with lease states: a lease can keep read and handle
 * caching, and one that held read caching only breaks to none with no
 * acknowledgment. One notification per lease, however many opens.
 */
int smbd_lease_contend(struct smbd_lease *l, const struct smbd_open *holder,
		       int sharing_violation, int overwrite, int dry_run)
{
	u32 cur = l->state, to, delay;
	int ack;

	if (!cur)
		return 0;
	delay = sharing_violation ? CACHE_H : CACHE_W;
	to = cur & ~delay;
	if (overwrite)
		to &= ~(CACHE_R | CACHE_H);
	if (l->breaking)
		return !!(cur & delay);
	if (!(cur & ~to))
		return 0;
	if (dry_run)
		return !!(cur & delay);
	ack = !!(cur & (CACHE_W | CACHE_H));
	if (l->version == 2)
		l->epoch++;
	lease_notify(holder, l, to, ack);
	if (!ack) {
		l->state = to;
		return 0;
	}
	l->breaking = 1;
	l->break_to = to;
	l->deadline = os_nttime_now() + BREAK_TIMEOUT;
	return !!(cur & delay);
}

/*
 * Data written through another lease: read caching, and the handle
 * caching that comes with it, go (MS-FSA 2.1.4.12). R alone breaks at
 * once; RH waits for its acknowledgment, but the write does not.
 */
void smbd_lease_break_read(struct smbd_lease *l, const struct smbd_open *holder)
{
	int ack = !!(l->state & CACHE_H);

	if (l->breaking || !(l->state & CACHE_R) || (l->state & CACHE_W))
		return;
	if (l->version == 2)
		l->epoch++;
	lease_notify(holder, l, 0, ack);
	if (!ack) {
		l->state = 0;
		return;
	}
	l->breaking = 1;
	l->break_to = 0;
	l->deadline = os_nttime_now() + BREAK_TIMEOUT;
}

u32 smbd_lease_ack(struct smbd_lease *l, u32 state)
{
	if (!l->breaking)
		return STATUS_UNSUCCESSFUL;
	/* more than the break left (3.3.5.22.2) */
	if (state & ~l->break_to)
		return STATUS_REQUEST_NOT_ACCEPTED;
	l->state = state;
	l->breaking = 0;
	l->break_to = 0;
	return STATUS_SUCCESS;
}

int smbd_lease_expire(struct smbd_lease *l, u64 now)
{
	if (!l->breaking || now < l->deadline)
		return 0;
	l->state = 0;
	l->breaking = 0;
	l->break_to = 0;
	return 1;
}

/* -- OPLOCK_BREAK acknowledgment (MS-SMB2 3.3.5.22) ----------------------- */

static u32 lease_ack(struct smbd_work *w)
{
	struct smb2_lease_break_rsp rsp = { 0 };
	struct smb2_lease_break_req req;
	struct wire_enc e;
	struct wire_dec d;
	u32 status, held = 0;

	smbd_body_dec(w, &d);
	if (smb2_lease_break_req_dec(&d, &req))
		return STATUS_INVALID_PARAMETER;
	status = smbd_inode_lease_ack(w->conn, req.lease_key, req.lease_state, &held);
	if (status)
		return status;
	os_memcpy(rsp.lease_key, req.lease_key, sizeof(rsp.lease_key));
	rsp.lease_state = held;
	smbd_body_enc(w, &e);
	if (smb2_lease_break_rsp_enc(&e, &rsp))
		return STATUS_INSUFFICIENT_RESOURCES;
	w->rsp_len = e.pos;
	return STATUS_SUCCESS;
}

#define LEASE_ACK_SIZE	36U

u32 smbd_oplock_break(struct smbd_work *w)
{
	struct smb2_oplock_break_rsp rsp = { 0 };
	struct smb2_oplock_break_req req;
	struct smb2_body_prefix p;
	struct smbd_open *o;
	struct wire_enc e;
	struct wire_dec d;
	u32 status;
	u8 held;

	smbd_body_dec(w, &d);
	if (smb2_body_prefix_dec(&d, &p))
		return STATUS_INVALID_PARAMETER;
	if (p.structure_size == LEASE_ACK_SIZE)
		return lease_ack(w);
	smbd_body_dec(w, &d);
	if (smb2_oplock_break_req_dec(&d, &req))
		return STATUS_INVALID_PARAMETER;
	o = smbd_open_find(w, &req.file_id);
	if (!o)
		return STATUS_FILE_CLOSED;
	if (!o->inode)
		return STATUS_INVALID_OPLOCK_PROTOCOL;	/* a pipe */
	status = smbd_inode_oplock_ack(o, req.oplock_level, &held);
	if (status)
		return status;
	rsp.oplock_level = held;
	rsp.file_id = req.file_id;
	smbd_body_enc(w, &e);
	if (smb2_oplock_break_rsp_enc(&e, &rsp))
		return STATUS_INSUFFICIENT_RESOURCES;
	w->rsp_len = e.pos;
	return STATUS_SUCCESS;
}
