// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for the named pipes of IPC$ (kmod/pipe.c): which names open,
 * the RPC_REQUEST upcalls each SMB2 operation becomes, and the buffering
 * of response bytes a READ or TRANSCEIVE cannot take (BUFFER_OVERFLOW,
 * then the rest). os_upcall is a scripted daemon that speaks the
 * rpc_command contract of server/rpc.h: WRITE queues an answer, READ
 * hands out the head message in pieces of at most the reply size with
 * MORE_DATA while it is not finished, IOCTL is WRITE then READ.
 *
 * The fake's requests: a WRITE payload "Q<n>,<m>" asks for a response of
 * n bytes cut into messages of at most m bytes (the fragments); any other
 * payload is input that asks for nothing. Response byte i of the whole
 * stream is (u8)(i * 7 + 3), so every byte's place can be checked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smbd.h"
#include "upcall.h"

/* ------------------------------------------------------- os.h stand-ins */

static long live_allocs;

void *os_zalloc(size_t n)
{
	live_allocs++;
	return calloc(1, n);
}

void *os_alloc(size_t n)
{
	live_allocs++;
	return malloc(n);
}

void os_free(void *p)
{
	if (p)
		live_allocs--;
	free(p);
}

void os_close(struct os_file *f)
{
	(void)f;
}

void smbd_inode_detach(struct smbd_open *o)
{
	(void)o;
}

void smbd_inode_set_delete_pending(struct smbd_inode *ino, int on)
{
	(void)ino;
	(void)on;
}

void smbd_body_enc(struct smbd_work *w, struct wire_enc *e)
{
	wire_enc_init(e, w->rsp, w->rsp_cap);
	e->pos = SMB2_HDR_SIZE;
}

static u32 next_handle = 100;

u32 os_upcall_handle(void)
{
	return next_handle++;
}

/* ---------------------------------------------------------- the fake daemon */

#define FAKE_PIPES	512
#define FAKE_MSGS	64
/* The method bits of a request, without INVOKE and RESTRICTED_CONTEXT. */
#define METHOD_BITS	(SMBD_NL_RPC_IOCTL_METHOD | SMBD_NL_RPC_OPEN_METHOD | \
			 SMBD_NL_RPC_WRITE_METHOD | SMBD_NL_RPC_READ_METHOD | \
			 SMBD_NL_RPC_CLOSE_METHOD)

struct fake_pipe {
	u32 handle;
	int open;
	u32 msg_len[FAKE_MSGS];	/* queued messages */
	u32 nmsg;
	u32 head_off;		/* bytes of the head message already read */
	u64 stream;		/* response bytes handed out so far */
};

static struct {
	struct fake_pipe pipes[FAKE_PIPES];
	u32 npipes;
	u32 reply_max;		/* payload bytes per reply */
	u32 open_status;	/* what OPEN answers */
	int fail_next;		/* the next upcall gets no reply: this error */
	u32 calls[256];		/* upcalls by method bits */
	u32 closes;
	u32 last_flags;
	u32 last_len;
	u8 last_payload[SMBD_NL_KERNEL_PAYLOAD_MAX];
	u32 max_write;
} fake;

static void fake_reset(void)
{
	memset(&fake, 0, sizeof(fake));
	fake.reply_max = SMBD_NL_DAEMON_MSG_MAX - 12;
}

static struct fake_pipe *fake_find(u32 handle)
{
	u32 i;

	for (i = 0; i < fake.npipes; i++)
		if (fake.pipes[i].handle == handle && fake.pipes[i].open)
			return &fake.pipes[i];
	return NULL;
}

static u32 fake_open_count(void)
{
	u32 i, n = 0;

	for (i = 0; i < fake.npipes; i++)
		n += fake.pipes[i].open;
	return n;
}

static void fake_write(struct fake_pipe *fp, const u8 *p, u32 len)
{
	char buf[32];
	unsigned int n, m;

	if (len > fake.max_write)
		fake.max_write = len;
	if (len >= sizeof(buf) || !len || p[0] != 'Q')
		return;
	memcpy(buf, p, len);
	buf[len] = 0;
	if (sscanf(buf, "Q%u,%u", &n, &m) != 2 || !m)
		return;
	while (n && fp->nmsg < FAKE_MSGS) {
		fp->msg_len[fp->nmsg++] = n < m ? n : m;
		n -= n < m ? n : m;
	}
}

/* READ: the head message, or the next piece of it. */
static u32 fake_read(struct fake_pipe *fp, u8 *out, u32 *len)
{
	u32 left, n, i;

	*len = 0;
	if (!fp->nmsg)
		return SMBD_NL_RPC_OK;
	left = fp->msg_len[0] - fp->head_off;
	n = left < fake.reply_max ? left : fake.reply_max;
	for (i = 0; i < n; i++)
		out[i] = (u8)((fp->stream + i) * 7 + 3);
	fp->stream += n;
	*len = n;
	fp->head_off += n;
	if (fp->head_off < fp->msg_len[0])
		return SMBD_NL_RPC_EMORE_DATA;
	memmove(fp->msg_len, fp->msg_len + 1, (fp->nmsg - 1) * sizeof(u32));
	fp->nmsg--;
	fp->head_off = 0;
	return SMBD_NL_RPC_OK;
}

static u32 fake_command(const struct smbd_nl_rpc_command *req, u8 *out, u32 *len)
{
	u32 method = req->flags & METHOD_BITS;
	struct fake_pipe *fp;

	*len = 0;
	fake.calls[method]++;
	if (method == SMBD_NL_RPC_OPEN_METHOD) {
		if (fake.open_status || fake.npipes == FAKE_PIPES)
			return fake.open_status;
		fp = &fake.pipes[fake.npipes++];
		memset(fp, 0, sizeof(*fp));
		fp->handle = req->handle;
		fp->open = 1;
		return SMBD_NL_RPC_OK;
	}
	fp = fake_find(req->handle);
	if (!fp)
		return SMBD_NL_RPC_EBAD_FID;
	switch (method) {
	case SMBD_NL_RPC_CLOSE_METHOD:
		fp->open = 0;
		fake.closes++;
		return SMBD_NL_RPC_OK;
	case SMBD_NL_RPC_WRITE_METHOD:
		fake_write(fp, req->payload.p, req->payload.len);
		return SMBD_NL_RPC_OK;
	case SMBD_NL_RPC_READ_METHOD:
		return fake_read(fp, out, len);
	case SMBD_NL_RPC_IOCTL_METHOD:
		fake_write(fp, req->payload.p, req->payload.len);
		return fake_read(fp, out, len);
	default:
		return SMBD_NL_RPC_EINVALID_PARAMETER;
	}
}

int os_upcall(u16 type, const void *req, u32 len, u16 reply_type,
	      void *rsp, u32 cap, u32 *rsp_len)
{
	struct smbd_nl_rpc_command in, out = { 0 };
	static u8 payload[SMBD_NL_DAEMON_MSG_MAX];
	size_t n;
	int rc;

	assert_int_equal(type, SMBD_NL_EVENT_RPC_REQUEST);
	assert_int_equal(smbd_nl_rpc_command_decode(req, len, &in), 0);
	assert_true(in.payload.len <= SMBD_NL_KERNEL_PAYLOAD_MAX);
	fake.last_flags = in.flags;
	fake.last_len = in.payload.len;
	memcpy(fake.last_payload, in.payload.p, in.payload.len);
	if (fake.fail_next) {
		rc = fake.fail_next;
		fake.fail_next = 0;
		return rc;
	}
	out.handle = in.handle;
	out.flags = fake_command(&in, payload, &out.payload_sz);
	out.payload.p = payload;
	out.payload.len = out.payload_sz;
	if (!reply_type)
		return 0;
	assert_int_equal(reply_type, SMBD_NL_EVENT_RPC_RESPONSE);
	assert_int_equal(smbd_nl_rpc_command_encode(rsp, cap, &out, &n), 0);
	*rsp_len = (u32)n;
	return 0;
}

/* ------------------------------------------------------------- the client */

struct env {
	struct smbd_conn conn;
	struct smbd_session sess;
	struct smbd_tree tree;
	struct smbd_work w;
	u8 *rsp;
};

static struct env *env_new(void)
{
	struct env *e = calloc(1, sizeof(*e));

	e->rsp = malloc(SMBD_FRAME_MAX);
	e->tree.share_type = SMB2_SHARE_TYPE_PIPE;
	e->tree.next_volatile_id = 1;
	e->conn.dialect = SMB2_DIALECT_311;
	strcpy(e->sess.account, "alice");
	return e;
}

static struct smbd_work *work(struct env *e)
{
	memset(&e->w, 0, sizeof(e->w));
	e->w.conn = &e->conn;
	e->w.sess = &e->sess;
	e->w.tree = &e->tree;
	e->w.rsp = e->rsp;
	e->w.rsp_cap = SMBD_FRAME_MAX;
	return &e->w;
}

static void env_free(struct env *e)
{
	smbd_open_close_all(&e->tree);
	free(e->rsp);
	free(e);
}

static u32 utf16(const char *s, u8 *out)
{
	u32 i;

	for (i = 0; s[i]; i++) {
		out[2 * i] = (u8)s[i];
		out[2 * i + 1] = 0;
	}
	return 2 * i;
}

static u32 do_create(struct env *e, const char *name, u32 access, struct smbd_open **o)
{
	struct smb2_create_req req = { 0 };
	u8 buf[256];
	u32 status;

	req.impersonation_level = SMB2_IMPERSONATION_IMPERSONATION;
	req.desired_access = access;
	req.share_access = FILE_SHARE_READ | FILE_SHARE_WRITE;
	req.create_disposition = FILE_OPEN;
	req.name.p = buf;
	req.name.len = utf16(name, buf);
	status = smbd_pipe_create(work(e), &req);
	*o = NULL;
	if (status == STATUS_SUCCESS) {
		struct smb2_create_rsp rsp;
		struct wire_dec d;

		wire_dec_init(&d, e->w.rsp, e->w.rsp_len);
		d.pos = SMB2_HDR_SIZE;
		assert_int_equal(smb2_create_rsp_dec(&d, &rsp), 0);
		assert_int_equal(rsp.create_action, FILE_OPENED);
		assert_int_equal(rsp.file_attributes, FILE_ATTRIBUTE_NORMAL);
		*o = e->tree.opens;
		assert_non_null(*o);
		assert_int_equal(rsp.file_id.volatile_id, (*o)->volatile_id);
		assert_int_equal(e->w.used_fid.volatile_id, (*o)->volatile_id);
	}
	return status;
}

#define RW_ACCESS	0x0012019fU	/* what smbclient and Windows ask for */

static struct smbd_open *open_ok(struct env *e, const char *name)
{
	struct smbd_open *o;

	assert_int_equal(do_create(e, name, RW_ACCESS, &o), STATUS_SUCCESS);
	return o;
}

static u32 do_write(struct env *e, struct smbd_open *o, const void *p, u32 len)
{
	struct smb2_write_req req = { 0 };

	req.length = len;
	req.data.p = p;
	req.data.len = len;
	return smbd_pipe_write(work(e), o, &req);
}

static u32 ask(struct env *e, struct smbd_open *o, u32 n, u32 frag)
{
	char q[32];

	snprintf(q, sizeof(q), "Q%u,%u", n, frag);
	return do_write(e, o, q, (u32)strlen(q));
}

/* READ len: the status; the data in *data (valid until the next call). */
static u32 do_read(struct env *e, struct smbd_open *o, u32 len,
		   const u8 **data, u32 *got)
{
	struct smb2_read_req req = { 0 };
	struct smb2_read_rsp rsp;
	struct wire_dec d;
	u32 status;

	req.length = len;
	status = smbd_pipe_read(work(e), o, &req);
	*got = 0;
	*data = NULL;
	if (status != STATUS_SUCCESS && status != STATUS_BUFFER_OVERFLOW)
		return status;
	wire_dec_init(&d, e->w.rsp, e->w.rsp_len);
	d.pos = SMB2_HDR_SIZE;
	assert_int_equal(smb2_read_rsp_dec(&d, &rsp), 0);
	*data = rsp.data.p;
	*got = rsp.data.len;
	return status;
}

/* Bytes [from, from + n) of the response stream are what data holds. */
static void assert_stream(const u8 *data, u32 n, u64 from)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (data[i] != (u8)((from + i) * 7 + 3))
			fail_msg("byte %u (stream %llu) wrong", i,
				 (unsigned long long)(from + i));
}

static u32 do_ioctl(struct env *e, struct smbd_open *o, u32 code, const u8 *in,
		    u32 len, u32 max_out, struct smb2_ioctl_rsp *rsp)
{
	struct smb2_ioctl_req req = { 0 };

	req.ctl_code = code;
	req.max_output_response = max_out;
	if (len) {
		req.input_present = 1;
		req.input.pipe_transceive.p = in;
		req.input.pipe_transceive.len = len;
	}
	memset(rsp, 0, sizeof(*rsp));
	return smbd_pipe_ioctl(work(e), o, &req, rsp);
}

static u32 do_query(struct env *e, struct smbd_open *o, u8 type, u8 cls, u32 cap,
		    struct wire_blob *out)
{
	struct smb2_query_info_req req = { 0 };
	struct smb2_query_info_rsp rsp;
	struct wire_dec d;
	u32 status;

	req.info_type = type;
	req.file_info_class = cls;
	req.output_buffer_length = cap;
	status = smbd_pipe_query_info(work(e), o, &req);
	if (status)
		return status;
	wire_dec_init(&d, e->w.rsp, e->w.rsp_len);
	d.pos = SMB2_HDR_SIZE;
	assert_int_equal(smb2_query_info_rsp_dec(&d, &rsp), 0);
	*out = rsp.buffer;
	return status;
}

static void close_open(struct smbd_open *o)
{
	smbd_pipe_release(o);
	smbd_open_close(o);
}

static int setup(void **state)
{
	(void)state;
	fake_reset();
	live_allocs = 0;
	return 0;
}

/* Everything allocated was freed, and the daemon holds no pipe of ours. */
static int teardown(void **state)
{
	(void)state;
	assert_int_equal(live_allocs, 0);
	assert_int_equal(fake_open_count(), 0);
	return 0;
}

/* ---------------------------------------------------------------- the tests */

static void test_names(void **state)
{
	static const char *const good[] = {
		"srvsvc", "SRVSVC", "Wkssvc", "samr", "lsarpc", "LSASS",
	};
	/* Windows' answers (smbtorture rpc.samba3.smb2-pipe-name) */
	static const char *const bad[] = {
		"__none__", "\\srvsvc", "\\pipe\\srvsvc", "pipe\\srvsvc",
		"\\PIPE\\Wkssvc", "nosuch", "srvsvc2", "", "srvsv", "srvsvc\\",
		"a-very-long-name-that-is-longer-than-anything-the-table-has-in-it",
	};
	struct env *e = env_new();
	struct smbd_open *o;
	u32 i;

	(void)state;
	for (i = 0; i < OS_ARRAY_SIZE(good); i++) {
		o = open_ok(e, good[i]);
		close_open(o);
	}
	assert_int_equal(fake.calls[SMBD_NL_RPC_OPEN_METHOD], OS_ARRAY_SIZE(good));
	assert_int_equal(fake.closes, OS_ARRAY_SIZE(good));
	for (i = 0; i < OS_ARRAY_SIZE(bad); i++)
		assert_int_equal(do_create(e, bad[i], RW_ACCESS, &o),
				 STATUS_OBJECT_NAME_NOT_FOUND);
	/* no upcall for a name that is not ours */
	assert_int_equal(fake.calls[SMBD_NL_RPC_OPEN_METHOD], OS_ARRAY_SIZE(good));
	assert_null(e->tree.opens);
	env_free(e);
}

static void test_open_flags(void **state)
{
	struct env *e = env_new();
	struct smbd_open *o;

	(void)state;
	o = open_ok(e, "SrvSvc");
	assert_int_equal(fake.last_flags, SMBD_NL_RPC_OPEN_METHOD |
			 SMBD_NL_RPC_SRVSVC_METHOD_INVOKE);
	/* the canonical name with its NUL, then the account with its NUL */
	assert_int_equal(fake.last_len, 7 + strlen(e->sess.account) + 1);
	assert_memory_equal(fake.last_payload, "srvsvc", 7);
	assert_string_equal((const char *)fake.last_payload + 7, e->sess.account);
	assert_int_equal(ask(e, o, 10, 10), STATUS_SUCCESS);
	assert_int_equal(fake.last_flags, SMBD_NL_RPC_WRITE_METHOD |
			 SMBD_NL_RPC_SRVSVC_METHOD_INVOKE);
	close_open(o);
	assert_int_equal(fake.last_flags, SMBD_NL_RPC_CLOSE_METHOD |
			 SMBD_NL_RPC_SRVSVC_METHOD_INVOKE);

	/* a guest's requests are restricted */
	e->sess.account_flags = SMBD_NL_USER_FLAG_GUEST_ACCOUNT;
	o = open_ok(e, "lsass");
	assert_int_equal(fake.last_flags, SMBD_NL_RPC_OPEN_METHOD |
			 SMBD_NL_RPC_LSARPC_METHOD_INVOKE |
			 SMBD_NL_RPC_RESTRICTED_CONTEXT);
	assert_memory_equal(fake.last_payload, "lsass", 6);
	close_open(o);
	assert_true(fake.last_flags & SMBD_NL_RPC_RESTRICTED_CONTEXT);
	env_free(e);
}

static void test_open_refused(void **state)
{
	struct env *e = env_new();
	struct smbd_open *o;

	(void)state;
	fake.open_status = SMBD_NL_RPC_ENOTIMPLEMENTED;
	assert_int_equal(do_create(e, "samr", RW_ACCESS, &o), STATUS_OBJECT_NAME_NOT_FOUND);
	fake.open_status = SMBD_NL_RPC_ENOMEM;
	assert_int_equal(do_create(e, "samr", RW_ACCESS, &o), STATUS_INSUFFICIENT_RESOURCES);
	fake.open_status = 0;
	fake.fail_next = -OS_ETIMEDOUT;
	assert_int_equal(do_create(e, "samr", RW_ACCESS, &o), STATUS_PIPE_NOT_AVAILABLE);
	/* nothing to close on the daemon's side, nothing left here */
	assert_int_equal(fake.calls[SMBD_NL_RPC_CLOSE_METHOD], 0);
	assert_null(e->tree.opens);
	assert_int_equal(e->tree.open_count, 0);
	/* and requests Windows refuses never reach the daemon */
	assert_int_equal(do_create(e, "samr", 0, &o), STATUS_ACCESS_DENIED);
	assert_int_equal(fake.calls[SMBD_NL_RPC_OPEN_METHOD], 2);	/* + 1 timed out */
	env_free(e);
}

static void test_read_whole(void **state)
{
	struct env *e = env_new();
	struct smbd_open *o = open_ok(e, "srvsvc");
	const u8 *data;
	u32 got;

	(void)state;
	assert_int_equal(ask(e, o, 100, 4280), STATUS_SUCCESS);
	assert_int_equal(do_read(e, o, 4280, &data, &got), STATUS_SUCCESS);
	assert_int_equal(got, 100);
	assert_stream(data, got, 0);
	/* nothing more */
	assert_int_equal(do_read(e, o, 4280, &data, &got), STATUS_PIPE_EMPTY);
	close_open(o);
	env_free(e);
}

static void test_read_pieces(void **state)
{
	struct env *e = env_new();
	struct smbd_open *o = open_ok(e, "srvsvc");
	const u8 *data;
	u32 got, reads = 0;
	u64 at = 0;

	(void)state;
	assert_int_equal(ask(e, o, 1000, 1000), STATUS_SUCCESS);
	/* 1000 bytes read 64 at a time: overflow until the last piece */
	while (at < 1000) {
		u32 status = do_read(e, o, 64, &data, &got);

		assert_stream(data, got, at);
		at += got;
		reads++;
		assert_int_equal(status, at < 1000 ? STATUS_BUFFER_OVERFLOW :
				 STATUS_SUCCESS);
		assert_true(reads <= 16);
	}
	assert_int_equal(at, 1000);
	/* one READ upcall: the rest waited here */
	assert_int_equal(fake.calls[SMBD_NL_RPC_READ_METHOD], 1);
	close_open(o);
	env_free(e);
}

static void test_read_messages(void **state)
{
	struct env *e = env_new();
	struct smbd_open *o = open_ok(e, "srvsvc");
	const u8 *data;
	u32 got;

	(void)state;
	/* three messages of 4280, 4280 and 1440 bytes */
	assert_int_equal(ask(e, o, 10000, 4280), STATUS_SUCCESS);
	/* a big READ stops at the end of the first message */
	assert_int_equal(do_read(e, o, 65536, &data, &got), STATUS_SUCCESS);
	assert_int_equal(got, 4280);
	assert_stream(data, got, 0);
	assert_int_equal(do_read(e, o, 65536, &data, &got), STATUS_SUCCESS);
	assert_int_equal(got, 4280);
	assert_stream(data, got, 4280);
	assert_int_equal(do_read(e, o, 65536, &data, &got), STATUS_SUCCESS);
	assert_int_equal(got, 1440);
	assert_stream(data, got, 8560);
	close_open(o);
	env_free(e);
}

/* A message larger than one daemon reply comes in several (MORE_DATA). */
static void test_read_more_data(void **state)
{
	struct env *e = env_new();
	struct smbd_open *o = open_ok(e, "srvsvc");
	const u8 *data;
	u32 got;
	u64 at = 0;

	(void)state;
	fake.reply_max = 1000;
	assert_int_equal(ask(e, o, 5500, 5000), STATUS_SUCCESS);
	/* the whole 5000-byte message in one READ, from five replies */
	assert_int_equal(do_read(e, o, 65536, &data, &got), STATUS_SUCCESS);
	assert_int_equal(got, 5000);
	assert_stream(data, got, 0);
	assert_int_equal(fake.calls[SMBD_NL_RPC_READ_METHOD], 5);
	/* a READ that ends inside a reply: overflow, the rest follows */
	assert_int_equal(ask(e, o, 3000, 3000), STATUS_SUCCESS);
	assert_int_equal(do_read(e, o, 500, &data, &got), STATUS_SUCCESS);
	assert_int_equal(got, 500);		/* the second message, 500 bytes */
	assert_stream(data, got, 5000);
	at = 5500;
	while (at < 8500) {
		u32 status = do_read(e, o, 700, &data, &got);

		assert_stream(data, got, at);
		at += got;
		assert_int_equal(status, at < 8500 ? STATUS_BUFFER_OVERFLOW :
				 STATUS_SUCCESS);
	}
	close_open(o);
	env_free(e);
}

static void test_write_split(void **state)
{
	struct env *e = env_new();
	struct smbd_open *o = open_ok(e, "samr");
	u8 *big = calloc(1, 10000);

	(void)state;
	assert_int_equal(do_write(e, o, big, 10000), STATUS_SUCCESS);
	assert_int_equal(fake.calls[SMBD_NL_RPC_WRITE_METHOD], 3);
	assert_int_equal(fake.max_write, SMBD_NL_KERNEL_PAYLOAD_MAX);
	assert_int_equal(fake.last_len, 10000 - 2 * 4096);
	/* a zero-length write reaches nobody */
	assert_int_equal(do_write(e, o, big, 0), STATUS_SUCCESS);
	assert_int_equal(fake.calls[SMBD_NL_RPC_WRITE_METHOD], 3);
	/* a 1 MiB write of garbage: bounded, and answered */
	free(big);
	big = calloc(1, SMBD_MAX_TRANS);
	assert_int_equal(do_write(e, o, big, SMBD_MAX_TRANS), STATUS_SUCCESS);
	assert_int_equal(fake.calls[SMBD_NL_RPC_WRITE_METHOD], 3 + 256);
	free(big);
	close_open(o);
	env_free(e);
}

static void test_transceive(void **state)
{
	struct env *e = env_new();
	struct smbd_open *o = open_ok(e, "srvsvc");
	struct smb2_ioctl_rsp rsp;
	const char *q = "Q3000,3000";
	const u8 *data;
	u32 got;
	u8 *big;

	(void)state;
	/* the answer fits */
	assert_int_equal(do_ioctl(e, o, FSCTL_PIPE_TRANSCEIVE, (const u8 *)q,
				  (u32)strlen(q), 4280, &rsp), STATUS_SUCCESS);
	assert_true(rsp.output_present);
	assert_int_equal(rsp.output.pipe_transceive.len, 3000);
	assert_stream(rsp.output.pipe_transceive.p, 3000, 0);
	assert_int_equal(fake.calls[SMBD_NL_RPC_IOCTL_METHOD], 1);
	assert_int_equal(fake.last_flags, SMBD_NL_RPC_IOCTL_METHOD |
			 SMBD_NL_RPC_SRVSVC_METHOD_INVOKE);

	/* it does not: overflow, the rest by READ */
	assert_int_equal(do_ioctl(e, o, FSCTL_PIPE_TRANSCEIVE, (const u8 *)q,
				  (u32)strlen(q), 1024, &rsp), STATUS_BUFFER_OVERFLOW);
	assert_int_equal(rsp.output.pipe_transceive.len, 1024);
	assert_stream(rsp.output.pipe_transceive.p, 1024, 3000);
	/* a transaction while the pipe holds data is refused */
	assert_int_equal(do_ioctl(e, o, FSCTL_PIPE_TRANSCEIVE, (const u8 *)q,
				  (u32)strlen(q), 4280, &rsp), STATUS_PIPE_BUSY);
	assert_int_equal(do_read(e, o, 4280, &data, &got), STATUS_SUCCESS);
	assert_int_equal(got, 3000 - 1024);
	assert_stream(data, got, 4024);

	/* a MaxOutputResponse of 0: all of it kept */
	assert_int_equal(do_ioctl(e, o, FSCTL_PIPE_TRANSCEIVE, (const u8 *)q,
				  (u32)strlen(q), 0, &rsp), STATUS_BUFFER_OVERFLOW);
	assert_int_equal(rsp.output.pipe_transceive.len, 0);
	assert_int_equal(do_read(e, o, 4280, &data, &got), STATUS_SUCCESS);
	assert_int_equal(got, 3000);
	assert_stream(data, got, 6000);

	/* input above 4 KiB: WRITEs, then the IOCTL with the last piece */
	big = calloc(1, 9000);
	assert_int_equal(do_ioctl(e, o, FSCTL_PIPE_TRANSCEIVE, big, 9000, 4280, &rsp),
			 STATUS_SUCCESS);
	assert_int_equal(fake.calls[SMBD_NL_RPC_WRITE_METHOD], 2);
	assert_int_equal(fake.last_len, 9000 - 8192);
	assert_int_equal(rsp.output.pipe_transceive.len, 0);
	free(big);
	close_open(o);
	env_free(e);
}

static void test_peek(void **state)
{
	struct env *e = env_new();
	struct smbd_open *o = open_ok(e, "wkssvc");
	struct smb2_ioctl_rsp rsp;
	const u8 *data;
	u32 got;

	(void)state;
	/* empty */
	assert_int_equal(do_ioctl(e, o, FSCTL_PIPE_PEEK, NULL, 0, 100, &rsp),
			 STATUS_SUCCESS);
	assert_int_equal(rsp.output.pipe_peek.read_data_available, 0);
	assert_int_equal(rsp.output.pipe_peek.named_pipe_state, FILE_PIPE_CONNECTED_STATE);
	assert_int_equal(rsp.output.pipe_peek.data.len, 0);
	assert_int_equal(do_ioctl(e, o, FSCTL_PIPE_PEEK, NULL, 0, 15, &rsp),
			 STATUS_BUFFER_TOO_SMALL);
	/* 200 bytes waiting: peek at 50 of them, twice; then read them all */
	assert_int_equal(ask(e, o, 200, 200), STATUS_SUCCESS);
	assert_int_equal(do_ioctl(e, o, FSCTL_PIPE_PEEK, NULL, 0, 66, &rsp),
			 STATUS_BUFFER_OVERFLOW);
	assert_int_equal(rsp.output.pipe_peek.read_data_available, 200);
	assert_int_equal(rsp.output.pipe_peek.message_length, 200);
	assert_int_equal(rsp.output.pipe_peek.data.len, 50);
	assert_stream(rsp.output.pipe_peek.data.p, 50, 0);
	assert_int_equal(do_ioctl(e, o, FSCTL_PIPE_PEEK, NULL, 0, 1000, &rsp),
			 STATUS_SUCCESS);
	assert_int_equal(rsp.output.pipe_peek.data.len, 200);
	assert_stream(rsp.output.pipe_peek.data.p, 200, 0);
	assert_int_equal(do_read(e, o, 4280, &data, &got), STATUS_SUCCESS);
	assert_int_equal(got, 200);
	assert_stream(data, got, 0);
	/* other controls are not for pipes */
	assert_int_equal(do_ioctl(e, o, FSCTL_SRV_REQUEST_RESUME_KEY, NULL, 0, 100, &rsp),
			 STATUS_INVALID_DEVICE_REQUEST);
	close_open(o);
	env_free(e);
}

static void test_wait(void **state)
{
	struct env *e = env_new();
	struct smb2_ioctl_req req = { 0 };
	u8 name[64];

	(void)state;
	req.ctl_code = FSCTL_PIPE_WAIT;
	req.input_present = 1;
	req.input.pipe_wait.name.p = name;
	req.input.pipe_wait.name.len = utf16("srvsvc", name);
	assert_int_equal(smbd_pipe_wait(work(e), &req), STATUS_SUCCESS);
	req.input.pipe_wait.name.len = utf16("nosuch", name);
	assert_int_equal(smbd_pipe_wait(work(e), &req), STATUS_OBJECT_NAME_NOT_FOUND);
	req.input_present = 0;
	assert_int_equal(smbd_pipe_wait(work(e), &req), STATUS_INVALID_PARAMETER);
	e->tree.share_type = SMB2_SHARE_TYPE_DISK;
	req.input_present = 1;
	assert_int_equal(smbd_pipe_wait(work(e), &req), STATUS_NOT_SUPPORTED);
	assert_int_equal(fake.calls[SMBD_NL_RPC_OPEN_METHOD], 0);
	env_free(e);
}

static void test_query_info(void **state)
{
	struct env *e = env_new();
	struct smbd_open *o = open_ok(e, "srvsvc");
	struct fscc_file_standard_info st;
	struct fscc_file_pipe_local_info pl;
	struct fscc_file_pipe_info pi;
	struct smb2_ioctl_rsp rsp;
	struct wire_blob b;

	(void)state;
	assert_int_equal(do_query(e, o, SMB2_0_INFO_FILE, FILE_STANDARD_INFORMATION,
				  1024, &b), STATUS_SUCCESS);
	assert_int_equal(b.len, 24);
	assert_int_equal(fscc_file_standard_info_decode(b.p, b.len, &st), 0);
	assert_int_equal(st.allocation_size, 4096);
	assert_int_equal(st.end_of_file, 0);
	assert_int_equal(st.number_of_links, 1);
	assert_int_equal(st.delete_pending, 1);
	assert_int_equal(st.directory, 0);
	assert_int_equal(do_query(e, o, SMB2_0_INFO_FILE, FILE_STANDARD_INFORMATION,
				  23, &b), STATUS_INFO_LENGTH_MISMATCH);
	assert_int_equal(do_query(e, o, SMB2_0_INFO_FILE, FILE_PIPE_INFORMATION,
				  8, &b), STATUS_SUCCESS);
	assert_int_equal(fscc_file_pipe_info_decode(b.p, b.len, &pi), 0);
	assert_int_equal(pi.read_mode, FILE_PIPE_MESSAGE_MODE);
	/* 77 bytes waiting, fetched (not taken) by a PEEK */
	assert_int_equal(ask(e, o, 77, 77), STATUS_SUCCESS);
	assert_int_equal(do_ioctl(e, o, FSCTL_PIPE_PEEK, NULL, 0, 16, &rsp),
			 STATUS_BUFFER_OVERFLOW);
	assert_int_equal(do_query(e, o, SMB2_0_INFO_FILE, FILE_PIPE_LOCAL_INFORMATION,
				  1024, &b), STATUS_SUCCESS);
	assert_int_equal(fscc_file_pipe_local_info_decode(b.p, b.len, &pl), 0);
	assert_int_equal(pl.named_pipe_type, FILE_PIPE_MESSAGE_TYPE);
	assert_int_equal(pl.named_pipe_state, FILE_PIPE_CONNECTED_STATE);
	assert_int_equal(pl.read_data_available, 77);
	assert_int_equal(do_query(e, o, SMB2_0_INFO_FILE, FILE_BASIC_INFORMATION,
				  1024, &b), STATUS_NOT_SUPPORTED);
	assert_int_equal(do_query(e, o, SMB2_0_INFO_FILESYSTEM, 1, 1024, &b),
			 STATUS_NOT_SUPPORTED);
	assert_int_equal(do_query(e, o, SMB2_0_INFO_SECURITY, 0, 1024, &b),
			 STATUS_NOT_SUPPORTED);
	close_open(o);
	env_free(e);
}

static void test_access(void **state)
{
	struct env *e = env_new();
	struct smb2_ioctl_rsp rsp;
	struct smbd_open *o;
	const u8 *data;
	u32 got;

	(void)state;
	assert_int_equal(do_create(e, "srvsvc", SEC_FILE_READ_ATTRIBUTES, &o),
			 STATUS_SUCCESS);
	assert_int_equal(ask(e, o, 10, 10), STATUS_ACCESS_DENIED);
	assert_int_equal(do_read(e, o, 10, &data, &got), STATUS_ACCESS_DENIED);
	assert_int_equal(do_ioctl(e, o, FSCTL_PIPE_TRANSCEIVE, (const u8 *)"x", 1,
				  10, &rsp), STATUS_ACCESS_DENIED);
	assert_int_equal(fake.calls[SMBD_NL_RPC_WRITE_METHOD] +
			 fake.calls[SMBD_NL_RPC_READ_METHOD] +
			 fake.calls[SMBD_NL_RPC_IOCTL_METHOD], 0);
	close_open(o);
	/* GENERIC_READ | GENERIC_WRITE maps to the data rights */
	assert_int_equal(do_create(e, "srvsvc", SEC_GENERIC_READ | SEC_GENERIC_WRITE,
				   &o), STATUS_SUCCESS);
	assert_int_equal(ask(e, o, 10, 10), STATUS_SUCCESS);
	assert_int_equal(do_read(e, o, 10, &data, &got), STATUS_SUCCESS);
	close_open(o);
	env_free(e);
}

/* Closing with a response half read: all of it freed, the daemon told. */
static void test_close_mid_response(void **state)
{
	struct env *e = env_new();
	struct smbd_open *o = open_ok(e, "srvsvc");
	const u8 *data;
	u32 got;

	(void)state;
	fake.reply_max = 1000;
	assert_int_equal(ask(e, o, 9000, 9000), STATUS_SUCCESS);
	assert_int_equal(do_read(e, o, 100, &data, &got), STATUS_BUFFER_OVERFLOW);
	close_open(o);
	assert_int_equal(fake.closes, 1);
	/* and the end of the tree with pipes in every state */
	o = open_ok(e, "srvsvc");
	assert_int_equal(ask(e, o, 9000, 9000), STATUS_SUCCESS);
	assert_int_equal(do_read(e, o, 100, &data, &got), STATUS_BUFFER_OVERFLOW);
	o = open_ok(e, "samr");
	assert_int_equal(ask(e, o, 100, 100), STATUS_SUCCESS);
	o = open_ok(e, "lsarpc");
	env_free(e);
	assert_int_equal(fake.closes, 4);
}

static void test_daemon_gone(void **state)
{
	struct env *e = env_new();
	struct smbd_open *o = open_ok(e, "srvsvc");
	struct smb2_ioctl_rsp rsp;
	const u8 *data;
	u32 got, reads;

	(void)state;
	assert_int_equal(ask(e, o, 100, 100), STATUS_SUCCESS);
	fake.fail_next = -OS_ETIMEDOUT;
	assert_int_equal(do_read(e, o, 4280, &data, &got), STATUS_PIPE_BROKEN);
	/* broken for good: no more upcalls, not even CLOSE */
	reads = fake.calls[SMBD_NL_RPC_READ_METHOD];
	assert_int_equal(do_read(e, o, 4280, &data, &got), STATUS_PIPE_BROKEN);
	assert_int_equal(ask(e, o, 100, 100), STATUS_PIPE_BROKEN);
	assert_int_equal(do_ioctl(e, o, FSCTL_PIPE_TRANSCEIVE, (const u8 *)"x", 1,
				  10, &rsp), STATUS_PIPE_BROKEN);
	assert_int_equal(fake.calls[SMBD_NL_RPC_READ_METHOD], reads);
	close_open(o);
	assert_int_equal(fake.calls[SMBD_NL_RPC_CLOSE_METHOD], 0);
	/* the daemon kept it: forget it there, as its restart would */
	fake.pipes[0].open = 0;

	/* a reply that does not decode breaks the pipe, CLOSE still goes */
	o = open_ok(e, "srvsvc");
	fake.fail_next = -OS_EPROTO;
	assert_int_equal(ask(e, o, 100, 100), STATUS_PIPE_BROKEN);
	close_open(o);
	assert_int_equal(fake.calls[SMBD_NL_RPC_CLOSE_METHOD], 1);
	env_free(e);
}

static void test_daemon_errors(void **state)
{
	struct env *e = env_new();
	struct smbd_open *o = open_ok(e, "srvsvc");
	const u8 *data;
	u32 got;

	(void)state;
	/* the daemon lost the pipe */
	fake.pipes[0].open = 0;
	assert_int_equal(ask(e, o, 100, 100), STATUS_INVALID_HANDLE);
	assert_int_equal(do_read(e, o, 100, &data, &got), STATUS_INVALID_HANDLE);
	fake.pipes[0].open = 1;
	close_open(o);
	env_free(e);
}

static void test_many_opens(void **state)
{
	struct env *e = env_new();
	struct smbd_open *o;
	u32 i, ok = 0, refused = 0;

	(void)state;
	for (i = 0; i < 1000; i++) {
		u32 status = do_create(e, i % 2 ? "srvsvc" : "lsarpc", RW_ACCESS, &o);

		if (status == STATUS_SUCCESS)
			ok++;
		else if (status == STATUS_TOO_MANY_OPENED_FILES)
			refused++;
	}
	assert_int_equal(ok, 256);
	assert_int_equal(refused, 1000 - 256);
	assert_int_equal(fake_open_count(), 256);
	env_free(e);
	assert_int_equal(fake.closes, 256);
}

static void test_read_empty(void **state)
{
	struct env *e = env_new();
	struct smbd_open *o = open_ok(e, "srvsvc");
	const u8 *data;
	u32 got, i;

	(void)state;
	/* reads without writes: empty every time, never a hang */
	for (i = 0; i < 100; i++)
		assert_int_equal(do_read(e, o, 4280, &data, &got), STATUS_PIPE_EMPTY);
	/* a zero-length READ asks nobody */
	assert_int_equal(do_read(e, o, 0, &data, &got), STATUS_SUCCESS);
	assert_int_equal(got, 0);
	assert_int_equal(fake.calls[SMBD_NL_RPC_READ_METHOD], 100);
	close_open(o);
	env_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_pieces, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_messages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_more_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_split, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transceive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_peek, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wait, setup, teardown),
		cmocka_unit_test_setup_teardown(test_query_info, setup, teardown),
		cmocka_unit_test_setup_teardown(test_access, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_mid_response, setup, teardown),
		cmocka_unit_test_setup_teardown(test_daemon_gone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_daemon_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_opens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_empty, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
