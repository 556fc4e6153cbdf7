// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Named pipes on IPC$: the DCE/RPC services of ksmbd.mountd (srvsvc,
 * wkssvc, samr, lsarpc) as SMB2 sees them (MS-SMB2 3.3.5.9, 3.3.5.12,
 * 3.3.5.13, 3.3.5.15.3, 3.3.5.15.4, 3.3.5.15.10).
 *
 * The data path holds no RPC state: each pipe open is a handle, unique
 * across the server and never reused (os_upcall_handle), and every
 * operation becomes one RPC_REQUEST upcall carrying it
 * (spec/netlink-abi.md "Named pipes"):
 *
 *   CREATE                 OPEN, payload the pipe's name
 *   WRITE                  WRITE, at most SMBD_NL_KERNEL_PAYLOAD_MAX bytes
 *                          per upcall: larger writes are split
 *   READ                   READ: the reply carries response bytes, with
 *                          MORE_DATA when the daemon holds more
 *   IOCTL TRANSCEIVE       IOCTL: input in, response out
 *   CLOSE (or the end of   CLOSE, not waited for: nothing depends on it
 *   the tree)
 *
 * Each request also carries the service's INVOKE bit, and guests the
 * RESTRICTED_CONTEXT bit, as ksmbd does, so ksmbd-tools can serve us.
 *
 * The pipes are message pipes to the client. Response bytes that a READ
 * or TRANSCEIVE cannot take stay with the pipe (the daemon's last reply,
 * kept until the next operation) and the answer is STATUS_BUFFER_OVERFLOW
 * with a full buffer; the next READ gets the rest. A READ returns at
 * most one message (the daemon sends each DCE/RPC fragment as one), from
 * as many daemon replies as that message spans.
 *
 * What this path cannot do yet is wait: a READ that finds nothing,
 * neither kept nor from the daemon, answers STATUS_PIPE_EMPTY at once
 * (what a non-blocking pipe answers) where Windows and Samba hold it
 * pending until data comes, or answer STATUS_PIPE_BROKEN when the pipe
 * closes under it (smbtorture rpc.samba3.smb2-pipe-read-*); that needs
 * async responses from the dispatcher. RPC clients only read after
 * writing a request, so they never see it.
 *
 * When an upcall fails (no daemon, no reply in time, a reply that does
 * not decode) the pipe is broken for good: a late reply must never be
 * taken for the answer to a later request on the same handle.
 */
#include "upcall.h"

/* Opens of pipes one tree may hold: each may keep a daemon reply. */
#define PIPES_MAX		256U
/* A daemon reply: the largest message it sends. */
#define REPLY_MAX		SMBD_NL_DAEMON_MSG_MAX
#define CHUNK			SMBD_NL_KERNEL_PAYLOAD_MAX
/* Daemon replies one READ may take: enough for the largest READ. */
#define FILL_TRIES		(SMBD_MAX_TRANS / (REPLY_MAX - 1024U) + 2U)
/* What a pipe answers as its size and buffer quotas (Samba, Windows). */
#define PIPE_ALLOCATION		4096U
#define PIPE_QUOTA		4096U
/* Longest pipe name looked at, in UTF-8 with its NUL. */
#define PIPE_NAME_MAX		64U

#define READ_BITS		(SEC_FILE_READ_DATA)
#define WRITE_BITS		(SEC_FILE_WRITE_DATA | SEC_FILE_APPEND_DATA)
/* Access masks Windows refuses outright (as create.c checks them). */
#define ACCESS_RESERVED		0x0CE0FE00U

struct smbd_pipe {
	u32 handle;		/* the daemon's name for this pipe */
	u32 flags;		/* INVOKE bit of the service, RESTRICTED_CONTEXT */
	int opened;		/* the daemon accepted the OPEN */
	int broken;		/* an upcall failed: no more of them */
	int daemon_gone;	/* ... because the daemon is not answering */
	int more;		/* the daemon said MORE_DATA: it holds more */
	u8 *rx;			/* the daemon's last reply (REPLY_MAX bytes) */
	const u8 *data;		/* its payload, within rx */
	u32 len;		/* payload bytes */
	u32 off;		/* how many the client took */
};

struct pipe_service {
	const char *name;
	u32 invoke;		/* SMBD_NL_RPC_*_METHOD_INVOKE */
};

static const struct pipe_service services[] = {
	{ "srvsvc", SMBD_NL_RPC_SRVSVC_METHOD_INVOKE },
	{ "wkssvc", SMBD_NL_RPC_WKSSVC_METHOD_INVOKE },
	{ "samr", SMBD_NL_RPC_SAMR_METHOD_INVOKE },
	{ "lsarpc", SMBD_NL_RPC_LSARPC_METHOD_INVOKE },
	{ "lsass", SMBD_NL_RPC_LSARPC_METHOD_INVOKE },
};

static u32 str_len(const char *s)
{
	u32 n = 0;

	while (s[n])
		n++;
	return n;
}

static u32 min_u32(u32 a, u32 b)
{
	return a < b ? a : b;
}

/* -- names ------------------------------------------------------------- */

/*
 * The service a client's name (UTF-16LE) names: "srvsvc", in any case.
 * Only the bare name: "\pipe\srvsvc", "pipe\srvsvc" and "\srvsvc" name
 * nothing on Windows (smbtorture rpc.samba3.smb2-pipe-name), nor here.
 * NULL for any name that is not a service.
 */
static const struct pipe_service *find_service(const struct wire_blob *name)
{
	char buf[PIPE_NAME_MAX];
	u32 i;

	if (!name->len || name->len > 2 * (PIPE_NAME_MAX - 1) ||
	    smbd_utf16_to_utf8(name->p, name->len, buf, sizeof(buf)) < 0)
		return NULL;
	for (i = 0; i < OS_ARRAY_SIZE(services); i++)
		if (!smbd_name_casecmp(buf, str_len(buf), services[i].name,
				       str_len(services[i].name)))
			return &services[i];
	return NULL;
}

/* -- the daemon ---------------------------------------------------------- */

/* The daemon's answer to an OPEN, as CREATE reports it. */
static u32 open_status(u32 rpc)
{
	switch (rpc) {
	case SMBD_NL_RPC_OK:
		return STATUS_SUCCESS;
	case SMBD_NL_RPC_ENOMEM:
		return STATUS_INSUFFICIENT_RESOURCES;
	case SMBD_NL_RPC_EACCESS_DENIED:
		return STATUS_ACCESS_DENIED;
	default:
		return STATUS_OBJECT_NAME_NOT_FOUND;	/* no such service there */
	}
}

/* The daemon's answer to pipe I/O, as READ, WRITE and IOCTL report it. */
static u32 io_status(u32 rpc)
{
	switch (rpc) {
	case SMBD_NL_RPC_OK:
	case SMBD_NL_RPC_EMORE_DATA:
		return STATUS_SUCCESS;
	case SMBD_NL_RPC_ENOMEM:
		return STATUS_INSUFFICIENT_RESOURCES;
	case SMBD_NL_RPC_EACCESS_DENIED:
		return STATUS_ACCESS_DENIED;
	case SMBD_NL_RPC_EBAD_FID:
		return STATUS_INVALID_HANDLE;		/* the daemon lost the pipe */
	case SMBD_NL_RPC_EBAD_FUNC:
	case SMBD_NL_RPC_ENOTIMPLEMENTED:
		return STATUS_NOT_SUPPORTED;
	default:
		return STATUS_INVALID_PARAMETER;	/* BAD_DATA and the like */
	}
}

/* Forget the daemon's last reply (its bytes were taken or are dropped). */
static void drop_reply(struct smbd_pipe *p)
{
	os_free(p->rx);
	p->rx = NULL;
	p->data = NULL;
	p->len = 0;
	p->off = 0;
}

static u32 kept(const struct smbd_pipe *p)
{
	return p->len - p->off;
}

/*
 * One upcall of method with payload (at most CHUNK bytes). With keep,
 * a successful reply replaces the pipe's kept reply; otherwise its
 * payload is ignored. *rpc gets the daemon's status. 0, or < 0 when no
 * usable reply came: the pipe is then broken.
 */
static int call(struct smbd_pipe *p, u32 method, const u8 *payload, u32 len,
		int keep, u32 *rpc)
{
	struct smbd_nl_rpc_command rsp;
	u8 *rx;
	int rc;

	if (p->broken)
		return -OS_EPROTO;
	rx = os_alloc(REPLY_MAX);
	if (!rx)
		return -OS_ENOMEM;
	rc = smbd_upcall_rpc(p->handle, p->flags | method, payload, len,
			     rx, REPLY_MAX, &rsp);
	if (rc) {
		os_free(rx);
		if (rc == -OS_ENOMEM)
			return rc;	/* ours, not the pipe's: it may go on */
		p->broken = 1;
		p->daemon_gone = rc == -OS_ETIMEDOUT || rc == -OS_ECONNRESET;
		p->more = 0;
		return rc;
	}
	*rpc = rsp.flags;
	if (!keep || (rsp.flags != SMBD_NL_RPC_OK &&
		      rsp.flags != SMBD_NL_RPC_EMORE_DATA)) {
		os_free(rx);
		return 0;
	}
	drop_reply(p);
	p->rx = rx;
	p->data = rsp.payload.p;
	p->len = rsp.payload.len;
	p->more = rsp.flags == SMBD_NL_RPC_EMORE_DATA;
	return 0;
}

/* call() as an NTSTATUS for pipe I/O. */
static u32 call_io(struct smbd_pipe *p, u32 method, const u8 *payload, u32 len,
		   int keep)
{
	u32 rpc = 0;
	int rc = call(p, method, payload, len, keep, &rpc);

	if (rc == -OS_ENOMEM)
		return STATUS_INSUFFICIENT_RESOURCES;
	if (rc)
		return STATUS_PIPE_BROKEN;
	return io_status(rpc);
}

/* Send len bytes as WRITE upcalls of at most CHUNK bytes each. */
static u32 send_all(struct smbd_pipe *p, const u8 *data, u32 len)
{
	u32 at, n, status;

	for (at = 0; at < len; at += n) {
		n = min_u32(len - at, CHUNK);
		status = call_io(p, SMBD_NL_RPC_WRITE_METHOD, data + at, n, 0);
		if (status)
			return status;
	}
	return STATUS_SUCCESS;
}

/*
 * Take up to cap response bytes into dst: the kept ones first, then as
 * many daemon replies as the response goes on for. *got may be short of
 * cap when the response ended.
 */
static u32 take(struct smbd_pipe *p, u8 *dst, u32 cap, u32 *got)
{
	u32 i, n, status = STATUS_SUCCESS;

	*got = 0;
	for (i = 0; i < FILL_TRIES && *got < cap; i++) {
		if (!kept(p)) {
			if (*got && !p->more)
				break;		/* the response ended */
			status = call_io(p, SMBD_NL_RPC_READ_METHOD, NULL, 0, 1);
			if (status || !kept(p))
				break;		/* failed, or nothing came */
		}
		n = min_u32(cap - *got, kept(p));
		os_memcpy(dst + *got, p->data + p->off, n);
		p->off += n;
		*got += n;
	}
	if (!*got)
		return status ? status : STATUS_PIPE_EMPTY;
	/* what was read stands; a failure shows on the next operation */
	return kept(p) || p->more ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
}

/* -- CREATE ---------------------------------------------------------------- */

static u32 map_access(u32 a)
{
	if (a & SEC_GENERIC_READ)
		a |= SEC_FILE_GENERIC_READ;
	if (a & SEC_GENERIC_WRITE)
		a |= SEC_FILE_GENERIC_WRITE;
	if (a & SEC_GENERIC_EXECUTE)
		a |= SEC_FILE_GENERIC_EXECUTE;
	if (a & (SEC_GENERIC_ALL | SEC_MAXIMUM_ALLOWED))
		a |= SEC_FILE_ALL_ACCESS;
	return a & ~(SEC_GENERIC_READ | SEC_GENERIC_WRITE | SEC_GENERIC_EXECUTE |
		     SEC_GENERIC_ALL | SEC_MAXIMUM_ALLOWED);
}

/* What a pipe open refuses before any name is looked at. */
static u32 check_create(const struct smb2_create_req *r)
{
	if (r->impersonation_level > SMB2_IMPERSONATION_DELEGATE)
		return STATUS_BAD_IMPERSONATION_LEVEL;
	if (!r->desired_access || (r->desired_access & ACCESS_RESERVED))
		return STATUS_ACCESS_DENIED;
	if (r->create_disposition > FILE_OVERWRITE_IF)
		return STATUS_INVALID_PARAMETER;
	if (r->create_options & FILE_DIRECTORY_FILE)
		return STATUS_NOT_A_DIRECTORY;
	return STATUS_SUCCESS;
}

static int is_guest(const struct smbd_work *w)
{
	return (w->sess && (w->sess->account_flags & SMBD_NL_USER_FLAG_GUEST_ACCOUNT)) ||
	       (w->tree->conn_flags & SMBD_NL_TREE_CONN_FLAG_GUEST_ACCOUNT);
}

/* A C string as the sequence of smbd_nl_char it is on the wire, its NUL included. */
static struct wire_seq cstr_seq(const char *s)
{
	struct wire_seq q = { .p = (const u8 *)s };

	q.len = q.count = str_len(s) + 1;
	return q;
}

/*
 * Ask the daemon to open the service; an NTSTATUS. The payload
 * (netlink.idl smbd_nl_rpc_open) is the service name and then the
 * session's account, each NUL-terminated: the rpc_command carries no
 * session, and LsarGetUserName needs to know who asks (in-tree ksmbd
 * sends no payload; the daemon accepts both).
 */
static u32 open_service(struct smbd_pipe *p, const struct pipe_service *svc,
			const char *account)
{
	/* a service name is short, an account at most 47 bytes and its NUL */
	u8 payload[PIPE_NAME_MAX + SMBD_NL_ACCOUNT_NAME_SZ];
	struct smbd_nl_rpc_open req = {
		.service = cstr_seq(svc->name),
		.account = cstr_seq(account),
	};
	size_t n;
	u32 rpc = 0;
	int rc;

	if (smbd_nl_rpc_open_encode(payload, sizeof(payload), &req, &n))
		return STATUS_INTERNAL_ERROR;
	rc = call(p, SMBD_NL_RPC_OPEN_METHOD, payload, (u32)n, 0, &rpc);
	if (rc == -OS_ENOMEM)
		return STATUS_INSUFFICIENT_RESOURCES;
	if (rc)
		return STATUS_PIPE_NOT_AVAILABLE;
	p->opened = rpc == SMBD_NL_RPC_OK;
	return open_status(rpc);
}

/* The CREATE response of a pipe: no times, a message pipe's quota. */
static u32 create_answer(struct smbd_work *w, const struct smbd_open *o)
{
	struct smb2_create_rsp rsp = { 0 };
	struct wire_enc e;

	rsp.oplock_level = SMB2_OPLOCK_LEVEL_NONE;
	rsp.create_action = FILE_OPENED;
	rsp.allocation_size = PIPE_ALLOCATION;
	rsp.file_attributes = FILE_ATTRIBUTE_NORMAL;
	rsp.file_id.persistent_id = o->persistent_id;
	rsp.file_id.volatile_id = o->volatile_id;
	smbd_body_enc(w, &e);
	if (smb2_create_rsp_enc(&e, &rsp))
		return STATUS_INSUFFICIENT_RESOURCES;
	w->rsp_len = e.pos;
	return STATUS_SUCCESS;
}

u32 smbd_pipe_create(struct smbd_work *w, const struct smb2_create_req *req)
{
	const struct pipe_service *svc;
	struct smbd_tree *t = w->tree;
	struct smbd_open *o;
	struct smbd_pipe *p;
	u32 status;

	status = check_create(req);
	if (status)
		return status;
	svc = find_service(&req->name);
	if (!svc)
		return STATUS_OBJECT_NAME_NOT_FOUND;
	if (t->open_count >= PIPES_MAX)
		return STATUS_TOO_MANY_OPENED_FILES;
	p = os_zalloc(sizeof(*p));
	if (!p)
		return STATUS_INSUFFICIENT_RESOURCES;
	p->handle = os_upcall_handle();
	p->flags = svc->invoke | (is_guest(w) ? SMBD_NL_RPC_RESTRICTED_CONTEXT : 0);
	o = smbd_open_new(t);
	if (!o) {
		os_free(p);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	o->pipe = p;
	o->access = map_access(req->desired_access);
	o->share_access = req->share_access;
	o->create_options = req->create_options;
	status = open_service(p, svc, w->sess ? w->sess->account : "");
	if (status) {
		smbd_pipe_release(o);
		smbd_open_close(o);
		return status;
	}
	status = create_answer(w, o);
	if (status) {
		smbd_pipe_release(o);
		smbd_open_close(o);
		return status;
	}
	w->used_fid.persistent_id = o->persistent_id;
	w->used_fid.volatile_id = o->volatile_id;
	w->has_used_fid = 1;
	return STATUS_SUCCESS;
}

/* -- READ and WRITE ------------------------------------------------------------ */

u32 smbd_pipe_read(struct smbd_work *w, struct smbd_open *o,
		   const struct smb2_read_req *req)
{
	struct smb2_read_rsp rsp = { 0 };
	struct smbd_pipe *p = o->pipe;
	struct wire_enc e;
	u32 status, got = 0;
	u8 *data;

	if (!(o->access & READ_BITS))
		return STATUS_ACCESS_DENIED;
	if (p->broken)
		return STATUS_PIPE_BROKEN;
	/* read straight into the place the encoder puts the data (read_write.c) */
	wire_enc_init(&e, NULL, 0);
	e.pos = SMB2_HDR_SIZE;
	if (smb2_read_rsp_enc(&e, &rsp))
		return STATUS_INTERNAL_ERROR;
	if (e.pos > w->rsp_cap || req->length > w->rsp_cap - e.pos)
		return STATUS_INVALID_PARAMETER;
	data = w->rsp + e.pos;
	status = STATUS_SUCCESS;
	if (req->length) {
		status = take(p, data, req->length, &got);
		if (status != STATUS_SUCCESS && status != STATUS_BUFFER_OVERFLOW)
			return status;
	}
	if (!kept(p))
		drop_reply(p);		/* copied out: no need to keep it */
	rsp.data.p = data;
	rsp.data.len = got;
	smbd_body_enc(w, &e);
	if (smb2_read_rsp_enc(&e, &rsp))
		return STATUS_INSUFFICIENT_RESOURCES;
	w->rsp_len = e.pos;
	return status;
}

u32 smbd_pipe_write(struct smbd_work *w, struct smbd_open *o,
		    const struct smb2_write_req *req)
{
	struct smb2_write_rsp rsp = { 0 };
	struct smbd_pipe *p = o->pipe;
	struct wire_enc e;
	u32 status;

	if (!(o->access & WRITE_BITS))
		return STATUS_ACCESS_DENIED;
	if (p->broken)
		return STATUS_PIPE_BROKEN;
	/* the reply to this request replaces whatever was left unread */
	if (!kept(p) && !p->more)
		drop_reply(p);
	status = send_all(p, req->data.p, req->data.len);
	if (status)
		return status;
	rsp.count = req->data.len;
	smbd_body_enc(w, &e);
	if (smb2_write_rsp_enc(&e, &rsp))
		return STATUS_INSUFFICIENT_RESOURCES;
	w->rsp_len = e.pos;
	return STATUS_SUCCESS;
}

/* -- IOCTL ------------------------------------------------------------------------ */

/* FSCTL_PIPE_TRANSCEIVE (MS-SMB2 3.3.5.15.3): a write, then a read. */
static u32 transceive(struct smbd_open *o, const struct smb2_ioctl_req *req,
		      struct smb2_ioctl_rsp *rsp)
{
	struct smbd_pipe *p = o->pipe;
	const u8 *in = NULL;
	u32 len = 0, n, status;

	if ((o->access & (READ_BITS | SEC_FILE_WRITE_DATA)) !=
	    (READ_BITS | SEC_FILE_WRITE_DATA))
		return STATUS_ACCESS_DENIED;
	if (p->broken)
		return STATUS_PIPE_BROKEN;
	/* a transaction needs an empty pipe: NPFS refuses it otherwise */
	if (kept(p) || p->more)
		return STATUS_PIPE_BUSY;
	drop_reply(p);
	if (req->input_present) {
		in = req->input.pipe_transceive.p;
		len = req->input.pipe_transceive.len;
	}
	/* all but the last chunk as WRITEs: the IOCTL carries the rest */
	n = len > CHUNK ? len - ((len - 1) % CHUNK + 1) : 0;
	status = send_all(p, in, n);
	if (status)
		return status;
	status = call_io(p, SMBD_NL_RPC_IOCTL_METHOD, in ? in + n : NULL, len - n, 1);
	if (status)
		return status;
	/* the output points into the kept reply, which outlives the encoding */
	n = min_u32(kept(p), req->max_output_response);
	rsp->output.pipe_transceive.p = p->data;
	rsp->output.pipe_transceive.len = n;
	rsp->output_present = 1;
	p->off = n;
	return kept(p) || p->more ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
}

/* FSCTL_PIPE_PEEK (MS-SMB2 3.3.5.15.4; MS-FSCC 2.3.46): never consumes. */
static u32 peek(struct smbd_open *o, const struct smb2_ioctl_req *req,
		struct smb2_ioctl_rsp *rsp)
{
	struct smb2_fsctl_pipe_peek_rsp *out = &rsp->output.pipe_peek;
	struct smbd_pipe *p = o->pipe;
	u32 fixed = 16, n, status;

	if (!(o->access & READ_BITS))
		return STATUS_ACCESS_DENIED;
	if (req->max_output_response < fixed)
		return STATUS_BUFFER_TOO_SMALL;
	if (p->broken)
		return STATUS_PIPE_BROKEN;
	/* what the daemon has is only known by asking: it stays kept here */
	if (!kept(p)) {
		status = call_io(p, SMBD_NL_RPC_READ_METHOD, NULL, 0, 1);
		if (status)
			return status;
	}
	n = min_u32(kept(p), req->max_output_response - fixed);
	out->named_pipe_state = FILE_PIPE_CONNECTED_STATE;
	out->read_data_available = kept(p);
	out->number_of_messages = kept(p) ? 1 : 0;
	out->message_length = kept(p);
	out->data.p = p->data ? p->data + p->off : NULL;
	out->data.len = n;
	rsp->output_present = 1;
	return n < kept(p) ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
}

u32 smbd_pipe_ioctl(struct smbd_work *w, struct smbd_open *o,
		    const struct smb2_ioctl_req *req, struct smb2_ioctl_rsp *rsp)
{
	(void)w;
	switch (req->ctl_code) {
	case FSCTL_PIPE_TRANSCEIVE:
		return transceive(o, req, rsp);
	case FSCTL_PIPE_PEEK:
		return peek(o, req, rsp);
	default:
		return STATUS_INVALID_DEVICE_REQUEST;	/* not for a pipe */
	}
}

/*
 * FSCTL_PIPE_WAIT (MS-SMB2 3.3.5.15.10; MS-FSCC 2.3.49): every service
 * the daemon has takes any number of opens, so a pipe that exists is
 * available at once.
 */
u32 smbd_pipe_wait(struct smbd_work *w, const struct smb2_ioctl_req *req)
{
	if (!w->tree || w->tree->share_type != SMB2_SHARE_TYPE_PIPE)
		return STATUS_NOT_SUPPORTED;
	if (!req->input_present)
		return STATUS_INVALID_PARAMETER;
	return find_service(&req->input.pipe_wait.name) ? STATUS_SUCCESS :
	       STATUS_OBJECT_NAME_NOT_FOUND;
}

/* -- QUERY_INFO ------------------------------------------------------------------ */

/* Encode one class into buf; the bytes used, 0 when the class is not kept. */
static u32 pipe_class(const struct smbd_pipe *p, u8 cls, u8 *buf, u32 cap)
{
	struct wire_enc e;
	int rc;

	wire_enc_init(&e, buf, cap);
	switch (cls) {
	case FILE_STANDARD_INFORMATION: {
		/* Samba's answer, and Windows': a pipe is delete-pending */
		struct fscc_file_standard_info v = {
			.allocation_size = PIPE_ALLOCATION,
			.number_of_links = 1,
			.delete_pending = 1,
		};

		rc = fscc_file_standard_info_enc(&e, &v);
		break;
	}
	case FILE_PIPE_INFORMATION: {
		struct fscc_file_pipe_info v = {
			.read_mode = FILE_PIPE_MESSAGE_MODE,
			.completion_mode = FILE_PIPE_QUEUE_OPERATION,
		};

		rc = fscc_file_pipe_info_enc(&e, &v);
		break;
	}
	case FILE_PIPE_LOCAL_INFORMATION: {
		struct fscc_file_pipe_local_info v = {
			.named_pipe_type = FILE_PIPE_MESSAGE_TYPE,
			.named_pipe_configuration = FILE_PIPE_FULL_DUPLEX,
			.maximum_instances = 0xFFFFFFFFU,	/* unlimited */
			.current_instances = 1,
			.inbound_quota = PIPE_QUOTA,
			.read_data_available = kept(p),
			.outbound_quota = PIPE_QUOTA,
			.write_quota_available = PIPE_QUOTA,
			.named_pipe_state = FILE_PIPE_CONNECTED_STATE,
			.named_pipe_end = FILE_PIPE_CLIENT_END,
		};

		rc = fscc_file_pipe_local_info_enc(&e, &v);
		break;
	}
	default:
		return 0;
	}
	return rc ? 0 : e.pos;
}

u32 smbd_pipe_query_info(struct smbd_work *w, struct smbd_open *o,
			 const struct smb2_query_info_req *req)
{
	struct smb2_query_info_rsp rsp = { 0 };
	struct wire_enc e;
	u8 buf[64];
	u32 n;

	/* what Samba answers for everything else on a pipe */
	if (req->info_type != SMB2_0_INFO_FILE)
		return STATUS_NOT_SUPPORTED;
	n = pipe_class(o->pipe, req->file_info_class, buf, sizeof(buf));
	if (!n)
		return STATUS_NOT_SUPPORTED;
	if (req->output_buffer_length < n)
		return STATUS_INFO_LENGTH_MISMATCH;	/* all fixed-size */
	rsp.buffer.p = buf;
	rsp.buffer.len = n;
	smbd_body_enc(w, &e);
	if (smb2_query_info_rsp_enc(&e, &rsp))
		return STATUS_INSUFFICIENT_RESOURCES;
	w->rsp_len = e.pos;
	return STATUS_SUCCESS;
}

/* -- the end of a pipe ------------------------------------------------------------ */

void smbd_pipe_release(struct smbd_open *o)
{
	struct smbd_pipe *p = o->pipe;

	if (!p)
		return;
	o->pipe = NULL;
	/*
	 * Not waited for: the daemon frees its side either way. A pipe
	 * whose daemon stopped answering is not asked again (each call
	 * would wait out the timeout).
	 */
	if (p->opened && !p->daemon_gone)
		smbd_upcall_rpc(p->handle, p->flags | SMBD_NL_RPC_CLOSE_METHOD,
				NULL, 0, NULL, 0, NULL);
	drop_reply(p);
	os_free(p);
}
