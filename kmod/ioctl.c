// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IOCTL (MS-SMB2 3.3.5.15): the file system controls an SMB server
 * answers itself, and a few that reach the file.
 *
 * Answered here: FSCTL_VALIDATE_NEGOTIATE_INFO (the SMB 3.0/3.0.2 check
 * that NEGOTIATE was not tampered with), server-side copy
 * (SRV_REQUEST_RESUME_KEY, SRV_COPYCHUNK, SRV_COPYCHUNK_WRITE), previous
 * versions (an empty list: no snapshots exist), QUERY_ALLOCATED_RANGES
 * and GET/SET_COMPRESSION (nothing is compressed). The named pipe controls
 * (PIPE_TRANSCEIVE, PIPE_PEEK, PIPE_WAIT) are pipe.c's.
 *
 * Honest refusals: no DFS (FS_DRIVER_REQUIRED, as Windows and Samba
 * without DFS), no multi-channel (QUERY_NETWORK_INTERFACE_INFO), no hole
 * punching in os.h yet (SET_ZERO_DATA), no sparse attribute (meta.c does not keep it, so
 * SET_SPARSE could not be honoured). Any other control is
 * INVALID_DEVICE_REQUEST: what a Windows file system answers for a
 * control it does not implement.
 */
#include "smbd.h"

/* Not in ntstatus.h yet (MS-ERREF 2.3.1). */

/* negotiate.c (its declaration belongs in smbd.h) */

#define FID_NONE		0xFFFFFFFFFFFFFFFFULL
#define OFFSET_MAX		0x7FFFFFFFFFFFFFFFULL
#define CREDIT_BYTES		65536U
#define SMB202_MAX_TRANS	65536U

/*
 * Server-side copy limits (MS-SMB2 3.3.3: ServerSideCopyMaxNumberofChunks,
 * ...MaxChunkSize, ...MaxDataSize), Windows' values.
 */
#define COPY_MAX_CHUNKS		256U
#define COPY_MAX_CHUNK		(1024U * 1024U)
#define COPY_MAX_TOTAL		(16U * 1024U * 1024U)

/* MS-SMB2 3.3.5.15.1: the smallest output of ENUMERATE_SNAPSHOTS */
#define SNAPSHOT_MIN_OUTPUT	16U
/* MS-FSCC 2.3.51: one FILE_ALLOCATED_RANGE_BUFFER */
#define RANGE_BYTES		16U

/* What NEGOTIATE offered as MaxTransactSize. */
static u32 max_trans(const struct smbd_conn *conn)
{
	return conn->dialect == SMB2_DIALECT_202 ? SMB202_MAX_TRANS : SMBD_MAX_TRANS;
}

/* MS-SMB2 3.3.5.2.5: one credit per started 64 KiB of payload. */
static int charge_covers(const struct smbd_work *w, const struct smb2_ioctl_req *req)
{
	u64 charge = w->hdr.credit_charge ? w->hdr.credit_charge : 1;
	u64 in = (u64)req->input_count + req->output_count;
	u64 out = (u64)req->max_input_response + req->max_output_response;

	if (w->conn->dialect == SMB2_DIALECT_202)
		return 1;
	return (in > out ? in : out) <= charge * CREDIT_BYTES;
}

/* Controls addressed to the server, not to an open (MS-SMB2 3.3.5.15). */
static int needs_no_open(u32 code)
{
	return code == FSCTL_DFS_GET_REFERRALS ||
	       code == FSCTL_DFS_GET_REFERRALS_EX ||
	       code == FSCTL_QUERY_NETWORK_INTERFACE_INFO ||
	       code == FSCTL_VALIDATE_NEGOTIATE_INFO ||
	       code == FSCTL_PIPE_WAIT;
}

/* Bytes the output union of rsp encodes to; ~0 when it cannot. */
static u32 output_len(const struct smb2_ioctl_rsp *rsp)
{
	struct wire_enc e;

	wire_enc_init(&e, NULL, 0);
	if (smb2_fsctl_out_enc(&e, rsp->ctl_code, &rsp->output))
		return ~0U;
	return e.pos;
}

/* -- FSCTL_VALIDATE_NEGOTIATE_INFO (MS-SMB2 3.3.5.15.12) ------------------ */

static int same_dialects(const struct smbd_conn *conn, const struct wire_seq *d)
{
	u32 i;

	if (d->count != conn->client_dialect_count ||
	    d->count > OS_ARRAY_SIZE(conn->client_dialects))
		return 0;
	for (i = 0; i < d->count; i++)
		if (wire_seq_u16(d, i) != conn->client_dialects[i])
			return 0;
	return 1;
}

static u32 validate_negotiate(struct smbd_work *w, const struct smb2_ioctl_req *req,
			      struct smb2_ioctl_rsp *rsp)
{
	const struct smb2_validate_negotiate_info_req *in =
		&req->input.validate_negotiate_info;
	struct smb2_validate_negotiate_info_rsp *out =
		&rsp->output.validate_negotiate_info;
	const struct smbd_conn *conn = w->conn;

	/* 3.1.1 protects NEGOTIATE with preauth integrity instead */
	if (conn->dialect == SMB2_DIALECT_311 || !req->input_present)
		return SMBD_STATUS_DISCONNECT;
	out->capabilities = conn->server_capabilities;
	smbd_server_guid(&out->guid);
	out->security_mode = conn->server_security_mode;
	out->dialect = conn->dialect;
	if (req->max_output_response < output_len(rsp))
		return SMBD_STATUS_DISCONNECT;
	/* a server with 3.1.1 compares the whole list (ClientDialects) */
	if (!same_dialects(conn, &in->dialects) ||
	    os_memcmp(in->guid.b, conn->client_guid.b, sizeof(in->guid.b)) ||
	    in->security_mode != conn->client_security_mode ||
	    in->capabilities != conn->client_capabilities) {
		os_log(OS_LOG_ERR, "%s: VALIDATE_NEGOTIATE_INFO does not match NEGOTIATE: dropped",
		       conn->peer);
		return SMBD_STATUS_DISCONNECT;
	}
	rsp->output_present = 1;
	return STATUS_SUCCESS;
}

/* -- FSCTL_SRV_ENUMERATE_SNAPSHOTS (MS-SMB2 3.3.5.15.1) -------------------- */

static u32 enumerate_snapshots(const struct smb2_ioctl_req *req,
			       struct smb2_ioctl_rsp *rsp)
{
	/* an empty multi-sz: just its terminating UTF-16 NUL */
	static const u8 empty[2];
	struct smb2_srv_snapshot_array *out = &rsp->output.snapshots;

	if (req->max_output_response < SNAPSHOT_MIN_OUTPUT)
		return STATUS_INVALID_PARAMETER;
	/* no snapshot source is configured: no previous versions exist */
	out->number_of_snapshots = 0;
	out->number_of_snapshots_returned = 0;
	out->snapshots.p = empty;
	out->snapshots.len = sizeof(empty);
	rsp->output_present = 1;
	return STATUS_SUCCESS;
}

/* -- server-side copy (MS-SMB2 3.3.5.15.5, 3.3.5.15.6) ---------------------- */

/*
 * A resume key names an open of the caller's session: its file id and
 * its tree id (fscc.idl smbd_resume_key). It is only ever looked up
 * within that session, so a key guessed or taken from someone else names
 * nothing.
 */
static void resume_key_make(const struct smbd_open *o, u8 key[24])
{
	struct smbd_resume_key k = {
		.persistent_id = o->persistent_id,
		.volatile_id = o->volatile_id,
		.tree_id = o->tree->id,
	};

	/* 24 bytes always take it: the IDL checks its fixed size */
	smbd_resume_key_encode(key, 24, &k, NULL);
}

static struct smbd_open *resume_key_find(struct smbd_session *s, const u8 key[24])
{
	struct smbd_resume_key k;
	struct smbd_tree *t;
	struct smbd_open *o;

	if (smbd_resume_key_decode(key, 24, &k))
		return NULL;
	t = smbd_tree_find(s, k.tree_id);
	if (!t)
		return NULL;
	for (o = t->opens; o; o = o->next)
		if (o->persistent_id == k.persistent_id &&
		    o->volatile_id == k.volatile_id)
			return o;
	return NULL;
}

static u32 request_resume_key(const struct smbd_open *o, struct smb2_ioctl_rsp *rsp)
{
	/*
	 * Windows follows the key with 4 zero bytes of Context (MS-SMB2
	 * 2.2.32.3) and clients such as Samba's read 32 bytes: send them.
	 */
	static const u8 context[4];
	struct smb2_srv_request_resume_key_rsp *out = &rsp->output.resume_key;

	resume_key_make(o, out->resume_key);
	out->context.p = context;
	out->context.len = sizeof(context);
	rsp->output_present = 1;
	return STATUS_SUCCESS;
}

/* The limits, answered with INVALID_PARAMETER (MS-SMB2 3.3.5.15.6). */
static u32 copy_limits(struct smb2_ioctl_rsp *rsp)
{
	struct smb2_srv_copychunk_rsp *out = &rsp->output.copychunk;

	out->chunks_written = COPY_MAX_CHUNKS;
	out->chunk_bytes_written = COPY_MAX_CHUNK;
	out->total_bytes_written = COPY_MAX_TOTAL;
	rsp->output_present = 1;
	return STATUS_INVALID_PARAMETER;
}

/* Check every chunk before copying any; the largest one's length, or 0. */
static u32 chunks_valid(const struct smb2_srv_copychunk_copy *cc)
{
	struct smb2_srv_copychunk ch;
	struct wire_seq_iter it;
	u64 total = 0;
	u32 largest = 0;
	int rc;

	if (cc->chunk_count > COPY_MAX_CHUNKS)
		return 0;
	wire_seq_iter_init(&it, &cc->chunks);
	while ((rc = smb2_srv_copychunk_seq_next(&it, &ch)) > 0) {
		if (!ch.length || ch.length > COPY_MAX_CHUNK ||
		    ch.source_offset > OFFSET_MAX - ch.length ||
		    ch.target_offset > OFFSET_MAX - ch.length)
			return 0;
		total += ch.length;
		if (ch.length > largest)
			largest = ch.length;
	}
	if (rc < 0 || total > COPY_MAX_TOTAL)
		return 0;
	return largest;
}

static u32 copy_one(struct smbd_open *src, struct smbd_open *dst,
		    const struct smb2_srv_copychunk *ch, u8 *buf)
{
	u32 got;
	int rc;

	rc = os_read(src->file, ch->source_offset, buf, ch->length, &got);
	if (rc)
		return smbd_errno_to_status(rc);
	/* the source range must exist in full (what Windows answers) */
	if (got != ch->length)
		return STATUS_INVALID_VIEW_SIZE;
	rc = os_write(dst->file, ch->target_offset, buf, ch->length);
	return rc ? smbd_errno_to_status(rc) : STATUS_SUCCESS;
}

static u32 copy_chunks(struct smbd_open *src, struct smbd_open *dst,
		       const struct smb2_srv_copychunk_copy *cc, u32 largest,
		       struct smb2_srv_copychunk_rsp *out)
{
	struct smb2_srv_copychunk ch;
	struct wire_seq_iter it;
	u32 status = STATUS_SUCCESS;
	u8 *buf;

	buf = os_alloc(largest);
	if (!buf)
		return STATUS_INSUFFICIENT_RESOURCES;
	wire_seq_iter_init(&it, &cc->chunks);
	while (smb2_srv_copychunk_seq_next(&it, &ch) > 0) {
		status = copy_one(src, dst, &ch, buf);
		if (status)
			break;
		out->chunks_written++;
		out->total_bytes_written += ch.length;
	}
	os_free(buf);
	return status;
}

static u32 copychunk(struct smbd_work *w, const struct smb2_ioctl_req *req,
		     struct smbd_open *dst, struct smb2_ioctl_rsp *rsp)
{
	/* both arms decode the same SRV_COPYCHUNK_COPY */
	const struct smb2_srv_copychunk_copy *cc = &req->input.copychunk;
	struct smb2_srv_copychunk_rsp *out = &rsp->output.copychunk;
	struct smbd_open *src;
	u32 largest, status;

	if (!req->input_present)
		return STATUS_INVALID_PARAMETER;
	if (req->max_output_response < output_len(rsp))
		return STATUS_INVALID_PARAMETER;
	/* plain COPYCHUNK also wants to read the target (MS-SMB2 3.3.5.15.6) */
	if (w->tree->read_only || !(dst->access & SEC_FILE_WRITE_DATA) ||
	    (req->ctl_code == FSCTL_SRV_COPYCHUNK &&
	     !(dst->access & SEC_FILE_READ_DATA)))
		return STATUS_ACCESS_DENIED;
	if (dst->is_dir)
		return STATUS_INVALID_DEVICE_REQUEST;
	src = resume_key_find(w->sess, cc->source_key);
	if (!src)
		return STATUS_OBJECT_NAME_NOT_FOUND;
	/* read or execute access, as for READ */
	if (!(src->access & (SEC_FILE_READ_DATA | SEC_FILE_EXECUTE)))
		return STATUS_ACCESS_DENIED;
	if (src->is_dir || !src->file)		/* a key may name a pipe */
		return STATUS_INVALID_DEVICE_REQUEST;
	largest = chunks_valid(cc);
	if (!cc->chunk_count) {
		rsp->output_present = 1;	/* nothing to copy: all zeros */
		return STATUS_SUCCESS;
	}
	if (!largest)
		return copy_limits(rsp);
	status = copy_chunks(src, dst, cc, largest, out);
	/* a failure still tells how far the copy got */
	rsp->output_present = 1;
	return status;
}

/* -- sparse files (MS-FSCC 2.3.51) ---------------------------------------- */

/*
 * os.h has no way to find holes yet, so every byte below the end of file
 * counts as allocated: a superset, which MS-FSCC permits and which only
 * costs a client reading zeros it could have skipped.
 */
static u32 query_allocated_ranges(const struct smb2_ioctl_req *req,
				  struct smbd_open *o, struct smb2_ioctl_rsp *rsp,
				  struct smb2_file_allocated_range_buffer *range)
{
	const struct smb2_file_allocated_range_buffer *in =
		&req->input.query_allocated_ranges;
	struct os_stat st;
	u64 end;
	int rc;

	if (!req->input_present || in->file_offset < 0 || in->length < 0 ||
	    (u64)in->file_offset > OFFSET_MAX - (u64)in->length || o->is_dir)
		return STATUS_INVALID_PARAMETER;
	if (!(o->access & SEC_FILE_READ_DATA))
		return STATUS_ACCESS_DENIED;
	if (req->max_output_response < RANGE_BYTES)
		return STATUS_BUFFER_TOO_SMALL;
	rc = os_stat(o->file, &st);
	if (rc)
		return smbd_errno_to_status(rc);
	end = (u64)in->file_offset + (u64)in->length;
	if (end > st.size)
		end = st.size;
	rsp->output_present = 1;
	if ((u64)in->file_offset >= end)
		return STATUS_SUCCESS;		/* no range: an empty array */
	range->file_offset = in->file_offset;
	range->length = (s64)(end - (u64)in->file_offset);
	rsp->output.allocated_ranges.items = range;
	rsp->output.allocated_ranges.count = 1;
	return STATUS_SUCCESS;
}

/* -- compression (MS-FSCC 2.3.8, 2.3.67) ------------------------------------ */

/*
 * No file is ever compressed here (the file system attributes do not
 * offer it): GET answers NONE, SET accepts NONE and refuses the rest, as
 * Windows does on a file system without compression.
 */
static u32 get_compression(struct smb2_ioctl_rsp *rsp)
{
	rsp->output.compression.compression_state = COMPRESSION_FORMAT_NONE;
	rsp->output_present = 1;
	return STATUS_SUCCESS;
}

static u32 set_compression(struct smbd_work *w, const struct smb2_ioctl_req *req,
			   const struct smbd_open *o)
{
	if (!req->input_present)
		return STATUS_INVALID_PARAMETER;
	if (w->tree->read_only || !(o->access & SEC_FILE_WRITE_DATA))
		return STATUS_ACCESS_DENIED;
	switch (req->input.set_compression.compression_state) {
	case COMPRESSION_FORMAT_NONE:
		return STATUS_SUCCESS;
	case COMPRESSION_FORMAT_DEFAULT:
	case COMPRESSION_FORMAT_LZNT1:
		return STATUS_NOT_SUPPORTED;
	default:
		return STATUS_INVALID_PARAMETER;
	}
}

/*
 * FSCTL_CREATE_OR_GET_OBJECT_ID / FSCTL_GET_OBJECT_ID (MS-FSCC 2.3.7):
 * NTFS keeps a 16-byte object id per file. Ours is not stored: it is made
 * from the device and inode numbers (fscc.idl fscc_id_128), so it is
 * stable for the file's life and unique within the share, which is what
 * clients use it for.
 */
static u32 object_id(const struct smbd_open *o, struct smb2_file_objectid_buffer *out)
{
	struct os_stat st;
	int rc = os_stat(o->file, &st);

	if (rc)
		return smbd_errno_to_status(rc);
	os_memset(out, 0, sizeof(*out));
	out->object_id.low = st.ino;
	out->object_id.high = st.dev;
	out->birth_object_id = out->object_id;
	out->birth_volume_id.low = st.dev;
	return STATUS_SUCCESS;
}

/* -- dispatch ------------------------------------------------------------- */

static u32 run_fsctl(struct smbd_work *w, const struct smb2_ioctl_req *req,
		     struct smbd_open *o, struct smb2_ioctl_rsp *rsp,
		     struct smb2_file_allocated_range_buffer *range)
{
	if (o && o->pipe)
		return smbd_pipe_ioctl(w, o, req, rsp);	/* IPC$ (pipe.c) */
	switch (req->ctl_code) {
	case FSCTL_VALIDATE_NEGOTIATE_INFO:
		return validate_negotiate(w, req, rsp);
	case FSCTL_DFS_GET_REFERRALS:
	case FSCTL_DFS_GET_REFERRALS_EX:
		return STATUS_FS_DRIVER_REQUIRED;	/* no DFS */
	case FSCTL_QUERY_NETWORK_INTERFACE_INFO:
		return STATUS_NOT_SUPPORTED;		/* no multi-channel */
	case FSCTL_PIPE_WAIT:
		return smbd_pipe_wait(w, req);
	case FSCTL_PIPE_PEEK:
	case FSCTL_PIPE_TRANSCEIVE:
		return STATUS_NOT_SUPPORTED;		/* not a pipe */
	case FSCTL_SRV_ENUMERATE_SNAPSHOTS:
		return enumerate_snapshots(req, rsp);
	case FSCTL_SRV_REQUEST_RESUME_KEY:
		return request_resume_key(o, rsp);
	case FSCTL_SRV_COPYCHUNK:
	case FSCTL_SRV_COPYCHUNK_WRITE:
		return copychunk(w, req, o, rsp);
	case FSCTL_QUERY_ALLOCATED_RANGES:
		return query_allocated_ranges(req, o, rsp, range);
	case FSCTL_GET_COMPRESSION:
		return get_compression(rsp);
	case FSCTL_SET_COMPRESSION:
		return set_compression(w, req, o);
	case FSCTL_CREATE_OR_GET_OBJECT_ID:
		rsp->output_present = 1;
		return object_id(o, &rsp->output.object_id);
	case FSCTL_GET_OBJECT_ID:
		rsp->output_present = 1;
		return object_id(o, &rsp->output.get_object_id);
	default:
		return STATUS_INVALID_DEVICE_REQUEST;
	}
}

u32 smbd_ioctl(struct smbd_work *w)
{
	struct smb2_file_allocated_range_buffer range;
	struct smb2_ioctl_req req;
	struct smb2_ioctl_rsp rsp;
	struct smbd_open *o = NULL;
	struct wire_dec d;
	struct wire_enc e;
	u32 status, max = max_trans(w->conn);

	smbd_body_dec(w, &d);
	if (smb2_ioctl_req_dec(&d, &req))
		return STATUS_INVALID_PARAMETER;
	if (req.flags != SMB2_0_IOCTL_IS_FSCTL)
		return STATUS_NOT_SUPPORTED;
	if (needs_no_open(req.ctl_code)) {
		if (req.file_id.persistent_id != FID_NONE ||
		    req.file_id.volatile_id != FID_NONE)
			return STATUS_INVALID_PARAMETER;
	} else {
		o = smbd_open_find(w, &req.file_id);
		if (!o)
			return STATUS_FILE_CLOSED;
	}
	if (req.input_count > max || req.max_input_response > max ||
	    req.max_output_response > max || !charge_covers(w, &req))
		return STATUS_INVALID_PARAMETER;

	os_memset(&rsp, 0, sizeof(rsp));
	rsp.ctl_code = req.ctl_code;
	rsp.file_id = req.file_id;
	status = run_fsctl(w, &req, o, &rsp, &range);
	/* some failures still carry an output (copy limits, copy progress) */
	if (status != STATUS_SUCCESS && !rsp.output_present)
		return status;
	if (rsp.output_present && output_len(&rsp) > req.max_output_response)
		return STATUS_BUFFER_TOO_SMALL;
	smbd_body_enc(w, &e);
	if (smb2_ioctl_rsp_enc(&e, &rsp))
		return STATUS_INSUFFICIENT_RESOURCES;
	w->rsp_len = e.pos;
	return status;
}
