// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * READ, WRITE and FLUSH (MS-SMB2 3.3.5.12, 3.3.5.13, 3.3.5.11).
 *
 * Data moves between the file and the frame buffers directly: a READ is
 * read from the file into the place the response encoder will put it, a
 * WRITE goes to the file from the request buffer (the decoded view points
 * into it). SMB2 reads and writes always name their offset; the open's
 * position (FilePositionInformation) still follows them, as Samba and
 * ksmbd keep it (smbtorture smb2.read.position), for clients that ask.
 *
 * Byte-range locks of other opens (and, for WRITE, shared locks of any
 * open) refuse the transfer with FILE_LOCK_CONFLICT (lock.c).
 *
 * Not yet: RDMA channels (any Channel other than NONE is refused),
 * compressed reads (the flag is a hint and is ignored).
 */
#include "smbd.h"

/* MS-SMB2 3.3.5.2.5: one credit pays for 64 KiB of payload. */
#define CREDIT_BYTES		65536U
/* Largest READ/WRITE of 2.0.2, which has no multi-credit requests. */
#define SMB202_MAX_IO		65536U
/*
 * Offsets are signed 64-bit on Windows (MS-FSA LARGE_INTEGER): a range
 * must end at or below OFFSET_MAX, and a write must also end at or below
 * MAXFILESIZE (MS-FSA 2.1.5.3). Both are INVALID_PARAMETER otherwise, as
 * Windows and Samba answer (smbtorture smb2.rw.invalid).
 */
#define OFFSET_MAX		0x7FFFFFFFFFFFFFFFULL
#define MAXFILESIZE		0xFFFFFFF0000ULL
/* WRITE at this offset appends (MS-FSA 2.1.5.3: FILE_WRITE_TO_END_OF_FILE). */
#define OFFSET_EOF		0xFFFFFFFFFFFFFFFFULL
/* os_read may stop short of len before the end of file; retries are bounded. */
#define READ_TRIES		16

/* What NEGOTIATE offered as MaxReadSize and MaxWriteSize. */
static u32 max_io(const struct smbd_conn *conn)
{
	return conn->dialect == SMB2_DIALECT_202 ? SMB202_MAX_IO : SMBD_MAX_TRANS;
}

/*
 * MS-SMB2 3.3.5.2.5: with multi-credit (every dialect after 2.0.2) a
 * request must have paid one credit per started 64 KiB of payload; a
 * CreditCharge of 0 counts as one.
 */
static int charge_covers(const struct smbd_work *w, u64 payload)
{
	u64 charge = w->hdr.credit_charge ? w->hdr.credit_charge : 1;

	if (w->conn->dialect == SMB2_DIALECT_202)
		return 1;
	return payload <= charge * CREDIT_BYTES;
}

/* Fill buf from off; short only at the end of file. */
static int read_full(struct os_file *f, u64 off, u8 *buf, u32 len, u32 *got)
{
	u32 n, i;
	int rc;

	*got = 0;
	for (i = 0; i < READ_TRIES && *got < len; i++) {
		rc = os_read(f, off + *got, buf + *got, len - *got, &n);
		if (rc)
			return rc;
		if (!n)
			break;
		*got += n;
	}
	return 0;
}

/* Is [off, off + len) a range a client may name? */
static int range_valid(u64 off, u32 len)
{
	return off <= OFFSET_MAX && len <= OFFSET_MAX - off;
}

/* The checks READ and WRITE share, after the open was found. */
static u32 check_io(const struct smbd_work *w, const struct smbd_open *o,
		    u32 len, u64 payload, u32 channel)
{
	if (o->is_dir)
		return STATUS_INVALID_DEVICE_REQUEST;
	if (len > max_io(w->conn) || !charge_covers(w, payload))
		return STATUS_INVALID_PARAMETER;
	/* RDMA channels need SMB Direct, which this transport is not */
	if (channel != SMB2_CHANNEL_NONE)
		return STATUS_INVALID_PARAMETER;
	return STATUS_SUCCESS;
}

u32 smbd_read(struct smbd_work *w)
{
	struct smb2_read_rsp rsp = { 0 };
	struct smb2_read_req req;
	struct smbd_open *o;
	struct wire_dec d;
	struct wire_enc e;
	u32 status, got;
	u8 *data;
	int rc;

	smbd_body_dec(w, &d);
	if (smb2_read_req_dec(&d, &req))
		return STATUS_INVALID_PARAMETER;
	o = smbd_open_find(w, &req.file_id);
	if (!o)
		return STATUS_FILE_CLOSED;
	/* a directory answers before any length check (what Samba and smbtorture expect) */
	status = check_io(w, o, req.length,
			  req.length + (u64)req.read_channel_info_length, req.channel);
	if (status)
		return status;
	if (o->pipe)
		return smbd_pipe_read(w, o, &req);	/* IPC$ (pipe.c) */
	/* MS-SMB2 3.3.5.12, MS-FSA 2.1.5.2: read or execute access */
	if (!(o->access & (SEC_FILE_READ_DATA | SEC_FILE_EXECUTE)))
		return STATUS_ACCESS_DENIED;
	if (!range_valid(req.offset, req.length))
		return STATUS_INVALID_PARAMETER;
	status = smbd_lock_check_io(o, req.offset, req.length, 0);
	if (status)
		return status;

	/*
	 * Where the encoder will place the data: measure the response with
	 * no data, then read straight to that spot. Encoding then finds the
	 * bytes already in place (its copy has source == destination).
	 */
	wire_enc_init(&e, NULL, 0);
	e.pos = SMB2_HDR_SIZE;
	if (smb2_read_rsp_enc(&e, &rsp))
		return STATUS_INTERNAL_ERROR;
	if (e.pos > w->rsp_cap || req.length > w->rsp_cap - e.pos)
		return STATUS_INVALID_PARAMETER;	/* a chain asking for more than a frame */
	data = w->rsp + e.pos;

	rc = read_full(o->file, req.offset, data, req.length, &got);
	if (rc)
		return smbd_errno_to_status(rc);
	/* MS-SMB2 3.3.5.12: nothing at all, or less than MinimumCount */
	if ((!got && req.length) || got < req.minimum_count)
		return STATUS_END_OF_FILE;

	o->position = req.offset + got;
	rsp.data.p = data;
	rsp.data.len = got;
	smbd_body_enc(w, &e);
	if (smb2_read_rsp_enc(&e, &rsp))
		return STATUS_INSUFFICIENT_RESOURCES;
	w->rsp_len = e.pos;
	return STATUS_SUCCESS;
}

/*
 * Where a WRITE of len bytes lands. An open with FILE_APPEND_DATA but not
 * FILE_WRITE_DATA never overwrites: its writes go to the end of file,
 * which it may also name as offset 0xFFFFFFFFFFFFFFFF. For any other
 * open that offset is out of range like every offset above OFFSET_MAX.
 */
static u32 write_offset(const struct smbd_open *o, u64 asked, u32 len, u64 *off)
{
	u32 rights = o->access & (SEC_FILE_WRITE_DATA | SEC_FILE_APPEND_DATA);
	struct os_stat st;
	int rc;

	if (rights == SEC_FILE_APPEND_DATA) {
		if (asked != OFFSET_EOF && !range_valid(asked, len))
			return STATUS_INVALID_PARAMETER;
		rc = os_stat(o->file, &st);
		if (rc)
			return smbd_errno_to_status(rc);
		asked = st.size;
	}
	if (!range_valid(asked, len) || (len && asked + len > MAXFILESIZE))
		return STATUS_INVALID_PARAMETER;
	*off = asked;
	return STATUS_SUCCESS;
}

u32 smbd_write(struct smbd_work *w)
{
	struct smb2_write_rsp rsp = { 0 };
	struct smb2_write_req req;
	struct smbd_open *o;
	struct wire_dec d;
	struct wire_enc e;
	u32 status;
	u64 off = 0;
	int rc;

	smbd_body_dec(w, &d);
	if (smb2_write_req_dec(&d, &req))
		return STATUS_INVALID_PARAMETER;
	o = smbd_open_find(w, &req.file_id);
	if (!o)
		return STATUS_FILE_CLOSED;
	status = check_io(w, o, req.length,
			  req.length + (u64)req.write_channel_info_length, req.channel);
	if (status)
		return status;
	if (o->pipe)
		return smbd_pipe_write(w, o, &req);	/* IPC$ (pipe.c) */
	if (w->tree->read_only ||
	    !(o->access & (SEC_FILE_WRITE_DATA | SEC_FILE_APPEND_DATA)))
		return STATUS_ACCESS_DENIED;
	status = write_offset(o, req.offset, req.data.len, &off);
	if (status)
		return status;
	status = smbd_lock_check_io(o, off, req.data.len, 1);
	if (status)
		return status;
	if (req.data.len) {
		/* other opens' Level II caches go stale (MS-SMB2 3.3.4.6) */
		smbd_inode_data_changed(o);
		rc = os_write(o->file, off, req.data.p, req.data.len);
		if (rc)
			return smbd_errno_to_status(rc);
	}
	/* write-through, asked for by this request or by the open */
	if ((req.flags & SMB2_WRITEFLAG_WRITE_THROUGH) ||
	    (o->create_options & FILE_WRITE_THROUGH)) {
		rc = os_fsync(o->file);
		if (rc)
			return smbd_errno_to_status(rc);
	}

	o->position = off + req.data.len;
	rsp.count = req.data.len;
	smbd_body_enc(w, &e);
	if (smb2_write_rsp_enc(&e, &rsp))
		return STATUS_INSUFFICIENT_RESOURCES;
	w->rsp_len = e.pos;
	return STATUS_SUCCESS;
}

u32 smbd_flush(struct smbd_work *w)
{
	struct smb2_flush_rsp rsp = { 0 };
	struct smb2_flush_req req;
	struct smbd_open *o;
	struct wire_dec d;
	struct wire_enc e;
	int rc;

	smbd_body_dec(w, &d);
	if (smb2_flush_req_dec(&d, &req))
		return STATUS_INVALID_PARAMETER;
	o = smbd_open_find(w, &req.file_id);
	if (!o)
		return STATUS_FILE_CLOSED;
	/*
	 * MS-SMB2 3.3.5.11: only an open that may change the data may flush
	 * it. On a directory the same bits are FILE_ADD_FILE and
	 * FILE_ADD_SUBDIRECTORY, and Windows then succeeds without work.
	 */
	if (!(o->access & (SEC_FILE_WRITE_DATA | SEC_FILE_APPEND_DATA)))
		return STATUS_ACCESS_DENIED;
	/* a pipe's writes are with the daemon already */
	if (!o->is_dir && o->file) {
		rc = os_fsync(o->file);
		if (rc)
			return smbd_errno_to_status(rc);
	}

	smbd_body_enc(w, &e);
	if (smb2_flush_rsp_enc(&e, &rsp))
		return STATUS_INSUFFICIENT_RESOURCES;
	w->rsp_len = e.pos;
	return STATUS_SUCCESS;
}
