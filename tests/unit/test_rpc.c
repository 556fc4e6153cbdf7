// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The DCE/RPC server of ksmbd.mountd (server/rpc*.c), driven the way the
 * data path drives it: rpc_command OPEN / WRITE / READ / IOCTL / CLOSE with
 * PDUs built by the generated dcerpc_* encoders and stubs built by the
 * generated F_in encoders; answers decoded with the generated F_out
 * decoders. One test per handler, then the PDU layer (binds, fragments in
 * both directions, reads that continue) and a malformed-PDU set in which
 * every input must get a fault or a bind_nak, never a crash (run under
 * ASan/UBSan).
 *
 * Needs the unix accounts "daemon" (uid 1) and "nobody" (uid 65534), as on
 * Debian, and no unix account "alice".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dcerpc.h"
#include "dssetup.h"
#include "lsarpc.h"
#include "netlink.h"
#include "samr.h"
#include "security.h"
#include "srvsvc.h"
#include "wire_ndr.h"
#include "wkssvc.h"

#include "config.h"
#include "log.h"
#include "rpc.h"
#include "subauth.h"
#include "userdb.h"

#define PEER		7
#define MAX_OUT		(SMBD_NL_DAEMON_MSG_MAX - 12)
#define RID_DAEMON	1002		/* 1000 + 2 * uid 1 */
#define RID_NOBODY	(1000 + 2 * 65534)

static const char conf_text[] =
	"[global]\n"
	"\tnetbios name = TESTSRV\n"
	"\tworkgroup = TESTGROUP\n"
	"\tserver string = Test Server\n"
	"\tguest account = nobody\n"
	"[data]\n"
	"\tpath = /srv/data\n"
	"\tcomment = Data share\n"
	"\tread only = no\n"
	"[ro]\n"
	"\tpath = /srv/ro\n"
	"\tcomment = Read only\n"
	"\tread only = yes\n"
	"[hidden$]\n"
	"\tpath = /srv/hidden\n"
	"\tcomment = Hidden\n"
	"[nobrowse]\n"
	"\tpath = /srv/nobrowse\n"
	"\tbrowseable = no\n"
	"[gone]\n"
	"\tpath = /srv/gone\n"
	"\tavailable = no\n";

static const uint8_t some_hash[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

/* NDR20 and bind time feature negotiation, as on the wire */
static const uint8_t ndr20_uuid[16] = {
	0x04, 0x5d, 0x88, 0x8a, 0xeb, 0x1c, 0xc9, 0x11,
	0x9f, 0xe8, 0x08, 0x00, 0x2b, 0x10, 0x48, 0x60,
};
static const uint8_t ndr64_uuid[16] = {
	0x33, 0x05, 0x71, 0x71, 0xba, 0xbe, 0x37, 0x49,
	0x83, 0x19, 0xb5, 0xdb, 0xef, 0x9c, 0xcc, 0x36,
};
static const uint8_t btfn_uuid[16] = {
	0x2c, 0x1c, 0xb7, 0x6c, 0x12, 0x98, 0x40, 0x45,
	0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

struct world {
	TALLOC_CTX *mem;
	struct smbd_config *cfg;
	struct userdb *db;
	struct subauth sa;
	struct rpc_env env;
	struct rpc_server *srv;
	uint32_t next_call;
	uint32_t users_of_data;
	struct wire_arena arena;
};

static unsigned int share_users(const void *priv, const char *share)
{
	const struct world *w = priv;

	return strcmp(share, "data") ? 0 : w->users_of_data;
}

static int setup(void **state)
{
	struct world *w = calloc(1, sizeof(*w));

	assert_non_null(w);
	log_init("test_rpc", LOG_TO_HOOK_ONLY, LOG_DEBUG);
	w->mem = talloc_new(NULL);
	w->cfg = smbd_config_load_buffer("test.conf", conf_text,
					 strlen(conf_text), NULL);
	assert_non_null(w->cfg);
	w->db = userdb_new(w->mem);
	assert_non_null(w->db);
	assert_int_equal(userdb_add_hash(w->db, "daemon", some_hash), 0);
	assert_int_equal(userdb_add_hash(w->db, "nobody", some_hash), 0);
	assert_int_equal(userdb_add_hash(w->db, "alice", some_hash), 0);
	w->sa.sub[0] = 111;
	w->sa.sub[1] = 222;
	w->sa.sub[2] = 333;
	w->env.cfg = w->cfg;
	w->env.db = w->db;
	w->env.sa = &w->sa;
	w->env.share_users = share_users;
	w->env.priv = w;
	w->users_of_data = 3;
	w->srv = rpc_server_new(w->mem);
	assert_non_null(w->srv);
	w->next_call = 1;
	wire_arena_init(&w->arena, 1 << 22);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;

	/* every test closes its pipes: nothing may stay buffered */
	assert_int_equal(rpc_server_pipes(w->srv), 0);
	assert_int_equal(rpc_server_buffered(w->srv), 0);
	wire_arena_free(&w->arena);
	smbd_config_free(w->cfg);
	talloc_free(w->mem);
	free(w);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* the data path's side */

struct reply {
	uint32_t status;
	uint8_t *buf;
	uint32_t len;
};

static struct reply cmd_max(struct world *w, uint32_t handle, uint32_t flags,
			    const void *data, uint32_t len, uint32_t max_out)
{
	struct reply r;

	r.status = rpc_server_command(w->srv, &w->env, PEER, handle, flags,
				      data, len, max_out, w->mem, &r.buf,
				      &r.len);
	assert_true(r.len <= max_out);
	return r;
}

static struct reply cmd(struct world *w, uint32_t handle, uint32_t flags,
			const void *data, uint32_t len)
{
	return cmd_max(w, handle, flags, data, len, MAX_OUT);
}

static void open_pipe(struct world *w, uint32_t handle, const char *name)
{
	struct reply r = cmd(w, handle, SMBD_NL_RPC_OPEN_METHOD, name,
			     (uint32_t)strlen(name) + 1);

	assert_int_equal(r.status, SMBD_NL_RPC_OK);
	assert_int_equal(r.len, 0);
}

static void close_pipe(struct world *w, uint32_t handle)
{
	assert_int_equal(cmd(w, handle, SMBD_NL_RPC_CLOSE_METHOD, NULL, 0).status,
			 SMBD_NL_RPC_OK);
}

static void mk_hdr(struct dcerpc_pdu *v, uint8_t ptype, uint8_t flags,
		   uint32_t call_id)
{
	memset(v, 0, sizeof(*v));
	v->rpc_vers = 5;
	v->ptype = ptype;
	v->pfc_flags = flags;
	v->drep[0] = DCERPC_DREP_LE;
	v->call_id = call_id;
}

/* Encode a PDU into a talloc buffer. */
static uint8_t *pdu_bytes(struct world *w, const struct dcerpc_pdu *v,
			  uint32_t *len)
{
	long n = dcerpc_pdu_size(v);
	size_t used = 0;
	uint8_t *buf;

	assert_true(n > 0);
	buf = talloc_size(w->mem, (size_t)n);
	assert_non_null(buf);
	assert_int_equal(dcerpc_pdu_encode(buf, (size_t)n, v, &used), 0);
	assert_int_equal(used, (size_t)n);
	*len = (uint32_t)n;
	return buf;
}

/* Decode one whole PDU the server sent. */
static void decode_pdu(const struct reply *r, struct dcerpc_pdu *v)
{
	assert_true(r->len >= 16);
	assert_int_equal(wire_ld16(r->buf + 8), r->len);
	assert_int_equal(dcerpc_pdu_decode(r->buf, r->len, v), 0);
}

/* A context proposing @iface with the given transfer syntax UUIDs. */
struct ctx_prop {
	uint16_t id;
	const struct wire_ndr_iface *iface;
	const uint8_t *uuid;	/* overrides iface */
	uint32_t version;
	const uint8_t *xfer[2];
	uint32_t xfer_ver[2];
	unsigned int nxfer;
};

static uint8_t *bind_bytes(struct world *w, uint8_t ptype, uint32_t call_id,
			   uint16_t max_frag, const struct ctx_prop *props,
			   unsigned int n, uint32_t *len)
{
	struct dcerpc_syntax_id xs[8][2];
	struct dcerpc_ctx_elem el[8];
	struct dcerpc_pdu v;
	unsigned int i, j;

	assert_true(n <= 8);
	memset(xs, 0, sizeof(xs));
	memset(el, 0, sizeof(el));
	for (i = 0; i < n; i++) {
		el[i].p_cont_id = props[i].id;
		if (props[i].uuid) {
			memcpy(el[i].abstract_syntax.if_uuid.b, props[i].uuid, 16);
			el[i].abstract_syntax.if_version = props[i].version;
		} else {
			memcpy(el[i].abstract_syntax.if_uuid.b,
			       props[i].iface->uuid, 16);
			el[i].abstract_syntax.if_version =
				props[i].iface->ver_major |
				(uint32_t)props[i].iface->ver_minor << 16;
		}
		for (j = 0; j < props[i].nxfer; j++) {
			memcpy(xs[i][j].if_uuid.b, props[i].xfer[j], 16);
			xs[i][j].if_version = props[i].xfer_ver[j];
		}
		el[i].transfer_syntaxes.items = xs[i];
		el[i].transfer_syntaxes.count = props[i].nxfer;
	}
	mk_hdr(&v, ptype, DCERPC_PFC_FIRST_FRAG | DCERPC_PFC_LAST_FRAG,
	       call_id);
	v.body.bind.max_xmit_frag = max_frag;
	v.body.bind.max_recv_frag = max_frag;
	v.body.bind.ctx_list.p_cont_elem.items = el;
	v.body.bind.ctx_list.p_cont_elem.count = n;
	return pdu_bytes(w, &v, len);
}

static struct ctx_prop ndr_ctx(uint16_t id, const struct wire_ndr_iface *it)
{
	struct ctx_prop p = {
		.id = id, .iface = it, .nxfer = 1,
		.xfer = { ndr20_uuid }, .xfer_ver = { 2 },
	};

	return p;
}

/* Bind @handle to @iface as context 0; returns the bind_ack. */
static void bind_iface(struct world *w, uint32_t handle,
		       const struct wire_ndr_iface *it)
{
	struct ctx_prop p = ndr_ctx(0, it);
	struct dcerpc_pdu ack;
	struct dcerpc_result res;
	struct wire_seq_iter iter;
	uint32_t len;
	uint8_t *b = bind_bytes(w, DCERPC_PKT_BIND, w->next_call++, 4280, &p,
				1, &len);
	struct reply r = cmd(w, handle, SMBD_NL_RPC_IOCTL_METHOD, b, len);

	assert_int_equal(r.status, SMBD_NL_RPC_OK);
	decode_pdu(&r, &ack);
	assert_int_equal(ack.ptype, DCERPC_PKT_BIND_ACK);
	wire_seq_iter_init(&iter, &ack.body.bind_ack.result_list.results);
	assert_int_equal(dcerpc_result_seq_next(&iter, &res), 1);
	assert_int_equal(res.result, DCERPC_ACK_RESULT_ACCEPTANCE);
}

/* Open pipe @name on @handle and bind @it: the start of most tests. */
static void open_bound(struct world *w, uint32_t handle, const char *name,
		       const struct wire_ndr_iface *it)
{
	open_pipe(w, handle, name);
	bind_iface(w, handle, it);
}

/* A request PDU carrying @stub. */
static uint8_t *request_bytes(struct world *w, uint32_t call_id, uint8_t flags,
			      uint16_t ctx, uint16_t opnum,
			      const uint8_t *stub, uint32_t stub_len,
			      uint32_t *len)
{
	struct dcerpc_pdu v;

	mk_hdr(&v, DCERPC_PKT_REQUEST, flags, call_id);
	v.body.request.alloc_hint = stub_len;
	v.body.request.p_cont_id = ctx;
	v.body.request.opnum = opnum;
	v.body.request.stub.p = stub;
	v.body.request.stub.len = stub_len;
	return pdu_bytes(w, &v, len);
}

/* The stub of a call's [in] parameters. */
static uint8_t *stub_of(struct world *w, const struct wire_ndr_call *nc,
			const void *in, uint32_t *len)
{
	struct wire_ndr_enc n;
	uint8_t *buf;

	wire_ndr_enc_init(&n, NULL, 0);
	assert_int_equal(nc->in_enc(&n, in), 0);
	buf = talloc_size(w->mem, n.e.pos ? n.e.pos : 1);
	assert_non_null(buf);
	*len = n.e.pos;
	wire_ndr_enc_init(&n, buf, *len);
	assert_int_equal(nc->in_enc(&n, in), 0);
	return buf;
}

/*
 * Collect a whole answer: the first reply r, then READs until a fragment
 * with LAST_FRAG. Returns 0 and the reassembled stub, or the fault status.
 */
static uint32_t collect(struct world *w, uint32_t handle, struct reply r,
			uint32_t call_id, uint8_t **stub, uint32_t *stub_len)
{
	uint8_t *acc = NULL;
	uint32_t acc_len = 0, frags = 0;

	*stub = NULL;
	*stub_len = 0;
	for (;;) {
		struct dcerpc_pdu v;
		uint8_t *msg = r.buf;
		uint32_t msg_len = r.len;

		/* a fragment may come in several reads (MORE_DATA) */
		while (r.status == SMBD_NL_RPC_EMORE_DATA) {
			r = cmd(w, handle, SMBD_NL_RPC_READ_METHOD, NULL, 0);
			msg = talloc_realloc(w->mem, msg, uint8_t,
					     msg_len + r.len);
			memcpy(msg + msg_len, r.buf, r.len);
			msg_len += r.len;
		}
		assert_int_equal(r.status, SMBD_NL_RPC_OK);
		assert_true(msg_len >= 16);
		assert_int_equal(dcerpc_pdu_decode(msg, msg_len, &v), 0);
		assert_int_equal(v.call_id, call_id);
		assert_true(msg_len <= 4280);
		if (v.ptype == DCERPC_PKT_FAULT)
			return v.body.fault.status;
		assert_int_equal(v.ptype, DCERPC_PKT_RESPONSE);
		assert_int_equal(!!(v.pfc_flags & DCERPC_PFC_FIRST_FRAG),
				 frags == 0);
		frags++;
		acc = talloc_realloc(w->mem, acc, uint8_t,
				     acc_len + v.body.response.stub.len + 1);
		memcpy(acc + acc_len, v.body.response.stub.p,
		       v.body.response.stub.len);
		acc_len += v.body.response.stub.len;
		if (v.pfc_flags & DCERPC_PFC_LAST_FRAG)
			break;
		r = cmd(w, handle, SMBD_NL_RPC_READ_METHOD, NULL, 0);
	}
	*stub = acc;
	*stub_len = acc_len;
	return 0;
}

/*
 * Call @opnum of @it on @handle (context 0): encode @in, transceive,
 * decode into @out. Returns 0 or the fault status.
 */
static uint32_t call(struct world *w, uint32_t handle,
		     const struct wire_ndr_iface *it, uint16_t opnum,
		     const void *in, void *out)
{
	const struct wire_ndr_call *nc = wire_ndr_find_call(it, opnum);
	uint32_t call_id = w->next_call++;
	uint32_t stub_len, len, fault;
	uint8_t *stub, *b, *rstub;
	struct wire_dec d;
	struct reply r;

	assert_non_null(nc);
	stub = stub_of(w, nc, in, &stub_len);
	b = request_bytes(w, call_id, DCERPC_PFC_FIRST_FRAG | DCERPC_PFC_LAST_FRAG,
			  0, opnum, stub, stub_len, &len);
	r = cmd(w, handle, SMBD_NL_RPC_IOCTL_METHOD, b, len);
	fault = collect(w, handle, r, call_id, &rstub, &stub_len);
	if (fault)
		return fault;
	memset(out, 0, nc->out_size);
	wire_dec_init(&d, rstub, stub_len);
	d.arena = &w->arena;
	assert_int_equal(nc->out_dec(&d, in, out), 0);
	assert_int_equal(d.pos, stub_len);
	return 0;
}

/* Call @opnum on pipe 1 with in.level = @lvl: one step of the info level tests. */
#define CALL_AT(w, it, opnum, in, out, lvl)					\
	do {									\
		(in).level = (lvl);						\
		assert_int_equal(call(w, 1, it, opnum, &(in), &(out)), 0);	\
	} while (0)

/* Send raw bytes by IOCTL and decode the one PDU answered. */
static void raw_ioctl(struct world *w, uint32_t handle, const void *b,
		      uint32_t len, struct dcerpc_pdu *v)
{
	struct reply r = cmd(w, handle, SMBD_NL_RPC_IOCTL_METHOD, b, len);

	assert_int_equal(r.status, SMBD_NL_RPC_OK);
	decode_pdu(&r, v);
}

static void expect_fault(struct world *w, uint32_t handle, const void *b,
			 uint32_t len, uint32_t status)
{
	struct dcerpc_pdu v;

	raw_ioctl(w, handle, b, len, &v);
	if (v.ptype != DCERPC_PKT_FAULT)
		print_error("call %u: not a fault\n", v.call_id);
	assert_int_equal(v.ptype, DCERPC_PKT_FAULT);
	assert_int_equal(v.body.fault.status, status);
	/* nothing else is pending */
	assert_int_equal(cmd(w, handle, SMBD_NL_RPC_READ_METHOD, NULL, 0).len, 0);
}

static void expect_nak(struct world *w, uint32_t handle, const void *b,
		       uint32_t len, uint16_t reason)
{
	struct dcerpc_pdu v;

	raw_ioctl(w, handle, b, len, &v);
	assert_int_equal(v.ptype, DCERPC_PKT_BIND_NAK);
	assert_int_equal(v.body.bind_nak.reject_reason, reason);
}

/* ---------------------------------------------------------------------- */
/* pipes */

static void test_open_close(void **state)
{
	struct world *w = *state;
	static const char srvsvc_ksmbd[] = "";

	open_pipe(w, 1, "srvsvc");
	open_pipe(w, 2, "\\PIPE\\lsarpc");
	open_pipe(w, 3, "\\samr");
	open_pipe(w, 4, "LSASS");
	assert_int_equal(rpc_server_pipes(w->srv), 4);
	/* in-tree ksmbd: the service as a method bit, no payload */
	assert_int_equal(cmd(w, 5, SMBD_NL_RPC_OPEN_METHOD |
			     SMBD_NL_RPC_WKSSVC_METHOD_INVOKE, srvsvc_ksmbd, 0).status,
			 SMBD_NL_RPC_OK);
	/* twice the same id, an unknown pipe, no name */
	assert_int_equal(cmd(w, 1, SMBD_NL_RPC_OPEN_METHOD, "srvsvc", 7).status,
			 SMBD_NL_RPC_EINVALID_PARAMETER);
	assert_int_equal(cmd(w, 9, SMBD_NL_RPC_OPEN_METHOD, "spoolss", 8).status,
			 SMBD_NL_RPC_ENOTIMPLEMENTED);
	assert_int_equal(cmd(w, 9, SMBD_NL_RPC_OPEN_METHOD, NULL, 0).status,
			 SMBD_NL_RPC_ENOTIMPLEMENTED);
	assert_int_equal(cmd(w, 9, SMBD_NL_RPC_OPEN_METHOD, "\0\0", 2).status,
			 SMBD_NL_RPC_ENOTIMPLEMENTED);
	/* unknown handles */
	assert_int_equal(cmd(w, 9, SMBD_NL_RPC_READ_METHOD, NULL, 0).status,
			 SMBD_NL_RPC_EBAD_FID);
	assert_int_equal(cmd(w, 9, SMBD_NL_RPC_WRITE_METHOD, "x", 1).status,
			 SMBD_NL_RPC_EBAD_FID);
	assert_int_equal(cmd(w, 9, SMBD_NL_RPC_CLOSE_METHOD, NULL, 0).status,
			 SMBD_NL_RPC_EBAD_FID);
	/* no method, two methods, RAP */
	assert_int_equal(cmd(w, 1, 0, NULL, 0).status,
			 SMBD_NL_RPC_EINVALID_PARAMETER);
	assert_int_equal(cmd(w, 1, SMBD_NL_RPC_READ_METHOD |
			     SMBD_NL_RPC_WRITE_METHOD, NULL, 0).status,
			 SMBD_NL_RPC_EINVALID_PARAMETER);
	assert_int_equal(cmd(w, 1, SMBD_NL_RPC_RAP_METHOD, NULL, 0).status,
			 SMBD_NL_RPC_ENOTIMPLEMENTED);
	/* nothing pending: an empty READ */
	assert_int_equal(cmd(w, 1, SMBD_NL_RPC_READ_METHOD, NULL, 0).len, 0);
	/* the same id from another data path connection is another pipe */
	assert_int_equal(rpc_server_command(w->srv, &w->env, PEER + 1, 1,
					    SMBD_NL_RPC_OPEN_METHOD, (const uint8_t *)"srvsvc",
					    7, MAX_OUT, w->mem, &(uint8_t *){ NULL },
					    &(uint32_t){ 0 }),
			 SMBD_NL_RPC_OK);
	close_pipe(w, 1);
	assert_int_equal(cmd(w, 1, SMBD_NL_RPC_READ_METHOD, NULL, 0).status,
			 SMBD_NL_RPC_EBAD_FID);
	assert_int_equal(rpc_server_pipes(w->srv), 5);
	assert_int_equal(rpc_server_peer_gone(w->srv, PEER), 4);
	assert_int_equal(rpc_server_pipes(w->srv), 1);
	assert_int_equal(rpc_server_peer_gone(w->srv, PEER + 1), 1);
}

/* ---------------------------------------------------------------------- */
/* bind, alter context */

static void test_bind(void **state)
{
	struct world *w = *state;
	struct ctx_prop p[5];
	struct dcerpc_pdu v;
	struct dcerpc_result res;
	struct wire_seq_iter it;
	uint8_t *b;
	uint32_t len;

	open_pipe(w, 1, "srvsvc");
	p[0] = ndr_ctx(0, &srvsvc_ndr_iface);
	/* NDR64 first, then NDR20: NDR20 is taken */
	p[0].nxfer = 2;
	p[0].xfer[0] = ndr64_uuid;
	p[0].xfer_ver[0] = 1;
	p[0].xfer[1] = ndr20_uuid;
	p[0].xfer_ver[1] = 2;
	p[1] = ndr_ctx(1, &srvsvc_ndr_iface);		/* NDR64 only */
	p[1].xfer[0] = ndr64_uuid;
	p[1].xfer_ver[0] = 1;
	p[2] = ndr_ctx(2, &srvsvc_ndr_iface);		/* feature negotiation */
	p[2].xfer[0] = btfn_uuid;
	p[2].xfer_ver[0] = 1;
	p[3] = ndr_ctx(3, &samr_ndr_iface);		/* not on this pipe */
	p[4] = ndr_ctx(4, &srvsvc_ndr_iface);		/* version 2 */
	p[4].uuid = srvsvc_ndr_iface.uuid;
	p[4].version = 2;
	b = bind_bytes(w, DCERPC_PKT_BIND, 3, 5840, p, 5, &len);
	raw_ioctl(w, 1, b, len, &v);
	assert_int_equal(v.ptype, DCERPC_PKT_BIND_ACK);
	assert_int_equal(v.call_id, 3);
	assert_int_equal(v.pfc_flags, DCERPC_PFC_FIRST_FRAG | DCERPC_PFC_LAST_FRAG);
	assert_int_equal(v.body.bind_ack.max_xmit_frag, 4280);
	assert_int_equal(v.body.bind_ack.max_recv_frag, 4280);
	assert_int_not_equal(v.body.bind_ack.assoc_group_id, 0);
	assert_int_equal(v.body.bind_ack.sec_addr.length, 13);
	assert_memory_equal(v.body.bind_ack.sec_addr.port_spec.p,
			    "\\PIPE\\srvsvc", 13);
	assert_int_equal(v.body.bind_ack.result_list.n_results, 5);
	wire_seq_iter_init(&it, &v.body.bind_ack.result_list.results);
	assert_int_equal(dcerpc_result_seq_next(&it, &res), 1);
	assert_int_equal(res.result, DCERPC_ACK_RESULT_ACCEPTANCE);
	assert_memory_equal(res.transfer_syntax.if_uuid.b, ndr20_uuid, 16);
	assert_int_equal(res.transfer_syntax.if_version, 2);
	assert_int_equal(dcerpc_result_seq_next(&it, &res), 1);
	assert_int_equal(res.result, DCERPC_ACK_RESULT_PROVIDER_REJECTION);
	assert_int_equal(res.reason,
			 DCERPC_ACK_REASON_TRANSFER_SYNTAXES_NOT_SUPPORTED);
	assert_int_equal(dcerpc_result_seq_next(&it, &res), 1);
	assert_int_equal(res.result, DCERPC_ACK_RESULT_NEGOTIATE_ACK);
	assert_int_equal(res.reason,
			 DCERPC_BIND_TIME_SECURITY_CONTEXT_MULTIPLEXING |
			 DCERPC_BIND_TIME_KEEP_CONNECTION_ON_ORPHAN);
	assert_int_equal(dcerpc_result_seq_next(&it, &res), 1);
	assert_int_equal(res.result, DCERPC_ACK_RESULT_PROVIDER_REJECTION);
	assert_int_equal(res.reason,
			 DCERPC_ACK_REASON_ABSTRACT_SYNTAX_NOT_SUPPORTED);
	assert_int_equal(dcerpc_result_seq_next(&it, &res), 1);
	assert_int_equal(res.result, DCERPC_ACK_RESULT_PROVIDER_REJECTION);
	assert_int_equal(res.reason,
			 DCERPC_ACK_REASON_ABSTRACT_SYNTAX_NOT_SUPPORTED);

	/* a second bind on the same pipe */
	b = bind_bytes(w, DCERPC_PKT_BIND, 4, 4280, p, 1, &len);
	expect_nak(w, 1, b, len, DCERPC_BIND_NAK_REASON_NOT_SPECIFIED);

	/* alter context: a new context 7, an empty secondary address */
	p[0] = ndr_ctx(7, &srvsvc_ndr_iface);
	b = bind_bytes(w, DCERPC_PKT_ALTER, 5, 4280, p, 1, &len);
	raw_ioctl(w, 1, b, len, &v);
	assert_int_equal(v.ptype, DCERPC_PKT_ALTER_RESP);
	assert_int_equal(v.body.alter_resp.sec_addr.length, 0);
	wire_seq_iter_init(&it, &v.body.alter_resp.result_list.results);
	assert_int_equal(dcerpc_result_seq_next(&it, &res), 1);
	assert_int_equal(res.result, DCERPC_ACK_RESULT_ACCEPTANCE);
	/* context 0 given another interface: refused */
	p[0] = ndr_ctx(0, &wkssvc_ndr_iface);
	b = bind_bytes(w, DCERPC_PKT_ALTER, 6, 4280, p, 1, &len);
	raw_ioctl(w, 1, b, len, &v);
	wire_seq_iter_init(&it, &v.body.alter_resp.result_list.results);
	assert_int_equal(dcerpc_result_seq_next(&it, &res), 1);
	assert_int_equal(res.result, DCERPC_ACK_RESULT_PROVIDER_REJECTION);
	close_pipe(w, 1);

	/* lsarpc offers lsarpc, dssetup and samr */
	open_pipe(w, 2, "lsarpc");
	p[0] = ndr_ctx(0, &lsarpc_ndr_iface);
	p[1] = ndr_ctx(1, &dssetup_ndr_iface);
	p[2] = ndr_ctx(2, &samr_ndr_iface);
	p[3] = ndr_ctx(3, &srvsvc_ndr_iface);
	b = bind_bytes(w, DCERPC_PKT_BIND, 1, 1432, p, 4, &len);
	raw_ioctl(w, 2, b, len, &v);
	assert_int_equal(v.body.bind_ack.max_xmit_frag, 1432);
	wire_seq_iter_init(&it, &v.body.bind_ack.result_list.results);
	assert_int_equal(dcerpc_result_seq_next(&it, &res), 1);
	assert_int_equal(res.result, DCERPC_ACK_RESULT_ACCEPTANCE);
	assert_int_equal(dcerpc_result_seq_next(&it, &res), 1);
	assert_int_equal(res.result, DCERPC_ACK_RESULT_ACCEPTANCE);
	assert_int_equal(dcerpc_result_seq_next(&it, &res), 1);
	assert_int_equal(res.result, DCERPC_ACK_RESULT_ACCEPTANCE);
	assert_int_equal(dcerpc_result_seq_next(&it, &res), 1);
	assert_int_equal(res.result, DCERPC_ACK_RESULT_PROVIDER_REJECTION);
	close_pipe(w, 2);
}

/* ---------------------------------------------------------------------- */
/* srvsvc */

static void test_srvsvc_share_enum(void **state)
{
	struct world *w = *state;
	struct srvsvc_NetrShareEnum_in in;
	struct srvsvc_NetrShareEnum_out out;
	struct srvsvc_NetShareCtr1 ctr1 = { 0 };
	struct srvsvc_NetShareCtr2 ctr2 = { 0 };
	struct srvsvc_NetShareCtr502 ctr502 = { 0 };
	struct srvsvc_NetrShareEnumSticky_in sin;
	struct srvsvc_NetrShareEnumSticky_out sout;
	struct security_descriptor sd;
	uint32_t resume = 0;
	unsigned int i;

	open_bound(w, 1, "srvsvc", &srvsvc_ndr_iface);

	memset(&in, 0, sizeof(in));
	in.server_unc = "\\\\127.0.0.1";
	in.info_ctr.level = 1;
	in.info_ctr.ctr.ctr1 = &ctr1;
	in.max_buffer = 0xFFFFFFFF;
	in.resume_handle = &resume;
	assert_int_equal(call(w, 1, &srvsvc_ndr_iface, 15, &in, &out), 0);
	assert_int_equal(out.result, WERR_OK);
	assert_int_equal(out.totalentries, 4);
	assert_int_equal(out.info_ctr.level, 1);
	assert_int_equal(out.info_ctr.ctr.ctr1->count, 4);
	assert_string_equal(out.info_ctr.ctr.ctr1->array[0].name, "IPC$");
	assert_int_equal(out.info_ctr.ctr.ctr1->array[0].type, 0x80000003);
	assert_string_equal(out.info_ctr.ctr.ctr1->array[0].comment,
			    "IPC share");
	assert_string_equal(out.info_ctr.ctr.ctr1->array[1].name, "data");
	assert_int_equal(out.info_ctr.ctr.ctr1->array[1].type, STYPE_DISKTREE);
	assert_string_equal(out.info_ctr.ctr.ctr1->array[1].comment,
			    "Data share");
	assert_string_equal(out.info_ctr.ctr.ctr1->array[2].name, "ro");
	assert_string_equal(out.info_ctr.ctr.ctr1->array[3].name, "hidden$");
	assert_int_equal(out.info_ctr.ctr.ctr1->array[3].type,
			 STYPE_DISKTREE | STYPE_SPECIAL);
	/* "nobrowse" is not browseable, "gone" not available */
	assert_non_null(out.resume_handle);
	assert_int_equal(*out.resume_handle, 0);

	/* level 0, then 2 and 502 with paths, users and descriptors */
	in.info_ctr.level = 0;
	in.info_ctr.ctr.ctr0 = &(struct srvsvc_NetShareCtr0){ 0 };
	assert_int_equal(call(w, 1, &srvsvc_ndr_iface, 15, &in, &out), 0);
	assert_int_equal(out.info_ctr.ctr.ctr0->count, 4);
	assert_string_equal(out.info_ctr.ctr.ctr0->array[1].name, "data");
	in.info_ctr.level = 2;
	in.info_ctr.ctr.ctr2 = &ctr2;
	assert_int_equal(call(w, 1, &srvsvc_ndr_iface, 15, &in, &out), 0);
	assert_int_equal(out.info_ctr.ctr.ctr2->count, 4);
	assert_string_equal(out.info_ctr.ctr.ctr2->array[1].path,
			    "C:\\srv\\data");
	assert_int_equal(out.info_ctr.ctr.ctr2->array[1].current_users, 3);
	assert_int_equal(out.info_ctr.ctr.ctr2->array[1].max_users, 128);
	assert_string_equal(out.info_ctr.ctr.ctr2->array[0].path, "");
	in.info_ctr.level = 502;
	in.info_ctr.ctr.ctr502 = &ctr502;
	assert_int_equal(call(w, 1, &srvsvc_ndr_iface, 15, &in, &out), 0);
	for (i = 0; i < out.info_ctr.ctr.ctr502->count; i++) {
		const struct srvsvc_NetShareInfo502 *s =
			&out.info_ctr.ctr.ctr502->array[i];

		assert_true(s->sd_size > 20);
		assert_int_equal(security_descriptor_decode(s->security_descriptor,
							    s->sd_size, &sd), 0);
		assert_int_equal(sd.dacl_present, 1);
		assert_int_equal(sd.dacl.ace_count, 1);
	}
	in.info_ctr.level = 501;
	in.info_ctr.ctr.ctr501 = &(struct srvsvc_NetShareCtr501){ 0 };
	assert_int_equal(call(w, 1, &srvsvc_ndr_iface, 15, &in, &out), 0);
	assert_int_equal(out.result, WERR_OK);
	assert_int_equal(out.info_ctr.ctr.ctr501->count, 4);

	/* a small buffer: one entry at a time, WERR_MORE_DATA and resume */
	in.info_ctr.level = 1;
	in.info_ctr.ctr.ctr1 = &ctr1;
	in.max_buffer = 10;
	for (i = 0; i < 4; i++) {
		assert_int_equal(call(w, 1, &srvsvc_ndr_iface, 15, &in, &out), 0);
		assert_int_equal(out.info_ctr.ctr.ctr1->count, 1);
		assert_int_equal(out.totalentries, 4);
		assert_int_equal(out.result, i < 3 ? WERR_MORE_DATA : WERR_OK);
		if (i < 3)
			assert_int_equal(*out.resume_handle, i + 1);
		resume = *out.resume_handle;
	}
	/* a budget for two entries */
	resume = 0;
	in.max_buffer = 100;
	assert_int_equal(call(w, 1, &srvsvc_ndr_iface, 15, &in, &out), 0);
	assert_int_equal(out.info_ctr.ctr.ctr1->count, 2);
	assert_int_equal(out.result, WERR_MORE_DATA);
	/* a resume handle past the end: nothing left */
	resume = 99;
	in.max_buffer = 0xFFFFFFFF;
	assert_int_equal(call(w, 1, &srvsvc_ndr_iface, 15, &in, &out), 0);
	assert_int_equal(out.info_ctr.ctr.ctr1->count, 0);
	assert_int_equal(out.result, WERR_OK);
	/* no resume handle */
	in.resume_handle = NULL;
	assert_int_equal(call(w, 1, &srvsvc_ndr_iface, 15, &in, &out), 0);
	assert_null(out.resume_handle);
	assert_int_equal(out.info_ctr.ctr.ctr1->count, 4);
	/* unknown levels */
	in.info_ctr.level = 503;
	in.info_ctr.ctr.ctr503 = NULL;
	assert_int_equal(call(w, 1, &srvsvc_ndr_iface, 15, &in, &out), 0);
	assert_int_equal(out.result, WERR_INVALID_LEVEL);
	in.info_ctr.level = 7;
	assert_int_equal(call(w, 1, &srvsvc_ndr_iface, 15, &in, &out), 0);
	assert_int_equal(out.result, WERR_INVALID_LEVEL);

	/* sticky: no hidden shares, no level 501 */
	memset(&sin, 0, sizeof(sin));
	sin.info_ctr.level = 1;
	sin.info_ctr.ctr.ctr1 = &ctr1;
	sin.max_buffer = 0xFFFFFFFF;
	assert_int_equal(call(w, 1, &srvsvc_ndr_iface, 36, &sin, &sout), 0);
	assert_int_equal(sout.result, WERR_OK);
	assert_int_equal(sout.info_ctr.ctr.ctr1->count, 2);
	assert_string_equal(sout.info_ctr.ctr.ctr1->array[0].name, "data");
	sin.info_ctr.level = 501;
	sin.info_ctr.ctr.ctr501 = NULL;
	assert_int_equal(call(w, 1, &srvsvc_ndr_iface, 36, &sin, &sout), 0);
	assert_int_equal(sout.result, WERR_INVALID_LEVEL);
	close_pipe(w, 1);
}

static void test_srvsvc_share_get_info(void **state)
{
	struct world *w = *state;
	struct srvsvc_NetrShareGetInfo_in in = { .share_name = "DATA" };
	struct srvsvc_NetrShareGetInfo_out out;
	struct security_descriptor sd;
	struct security_ace ace;
	struct wire_seq_iter it;

	open_bound(w, 1, "srvsvc", &srvsvc_ndr_iface);
	CALL_AT(w, &srvsvc_ndr_iface, 16, in, out, 0);
	assert_int_equal(out.result, WERR_OK);
	assert_string_equal(out.info.info0->name, "data");
	CALL_AT(w, &srvsvc_ndr_iface, 16, in, out, 1);
	assert_string_equal(out.info.info1->comment, "Data share");
	CALL_AT(w, &srvsvc_ndr_iface, 16, in, out, 2);
	assert_string_equal(out.info.info2->path, "C:\\srv\\data");
	assert_int_equal(out.info.info2->current_users, 3);
	assert_null(out.info.info2->password);
	CALL_AT(w, &srvsvc_ndr_iface, 16, in, out, 501);
	assert_int_equal(out.info.info501->flags, 0);
	assert_int_equal(out.info.info501->type, STYPE_DISKTREE);
	CALL_AT(w, &srvsvc_ndr_iface, 16, in, out, 1005);
	assert_int_equal(out.result, WERR_OK);
	assert_non_null(out.info.info1005);
	assert_int_equal(out.info.info1005->flags, 0);

	/* 502: Everyone gets full control on a writable share ... */
	CALL_AT(w, &srvsvc_ndr_iface, 16, in, out, 502);
	assert_int_equal(security_descriptor_decode(out.info.info502->security_descriptor,
						    out.info.info502->sd_size,
						    &sd), 0);
	wire_seq_iter_init(&it, &sd.dacl.aces);
	assert_int_equal(security_ace_seq_next(&it, &ace), 1);
	assert_int_equal(ace.body.allowed.mask, SEC_FILE_ALL_ACCESS);
	assert_int_equal(ace.body.allowed.sid.identifier_authority[5], 1);
	/* ... and read and execute on a read only one */
	in.share_name = "ro";
	assert_int_equal(call(w, 1, &srvsvc_ndr_iface, 16, &in, &out), 0);
	assert_int_equal(security_descriptor_decode(out.info.info502->security_descriptor,
						    out.info.info502->sd_size,
						    &sd), 0);
	wire_seq_iter_init(&it, &sd.dacl.aces);
	assert_int_equal(security_ace_seq_next(&it, &ace), 1);
	assert_int_equal(ace.body.allowed.mask, 0x1200a9);

	/* IPC$, a hidden share, an unavailable one, no such share */
	in.share_name = "ipc$";
	CALL_AT(w, &srvsvc_ndr_iface, 16, in, out, 1);
	assert_int_equal(out.info.info1->type, 0x80000003);
	in.share_name = "nobrowse";
	assert_int_equal(call(w, 1, &srvsvc_ndr_iface, 16, &in, &out), 0);
	assert_int_equal(out.result, WERR_OK);
	in.share_name = "gone";
	assert_int_equal(call(w, 1, &srvsvc_ndr_iface, 16, &in, &out), 0);
	assert_int_equal(out.result, WERR_NERR_NETNAMENOTFOUND);
	in.share_name = "nosuch";
	assert_int_equal(call(w, 1, &srvsvc_ndr_iface, 16, &in, &out), 0);
	assert_int_equal(out.result, WERR_NERR_NETNAMENOTFOUND);
	in.share_name = "data";
	CALL_AT(w, &srvsvc_ndr_iface, 16, in, out, 503);
	assert_int_equal(out.result, WERR_INVALID_LEVEL);
	close_pipe(w, 1);
}

static void test_srvsvc_server_info(void **state)
{
	struct world *w = *state;
	struct srvsvc_NetrServerGetInfo_in in = { .server_unc = "\\\\x" };
	struct srvsvc_NetrServerGetInfo_out out;

	open_bound(w, 1, "srvsvc", &srvsvc_ndr_iface);
	CALL_AT(w, &srvsvc_ndr_iface, 21, in, out, 100);
	assert_int_equal(out.info.info100->platform_id, PLATFORM_ID_NT);
	assert_string_equal(out.info.info100->server_name, "TESTSRV");
	CALL_AT(w, &srvsvc_ndr_iface, 21, in, out, 101);
	assert_string_equal(out.info.info101->comment, "Test Server");
	assert_int_equal(out.info.info101->version_major, 6);
	assert_true(out.info.info101->server_type & SV_TYPE_SERVER);
	CALL_AT(w, &srvsvc_ndr_iface, 21, in, out, 102);
	assert_string_equal(out.info.info102->server_name, "TESTSRV");
	assert_string_equal(out.info.info102->userpath, "C:\\");
	CALL_AT(w, &srvsvc_ndr_iface, 21, in, out, 103);
	assert_int_equal(out.result, WERR_INVALID_LEVEL);
	close_pipe(w, 1);
}

/* ---------------------------------------------------------------------- */
/* wkssvc */

static void test_wkssvc(void **state)
{
	struct world *w = *state;
	struct wkssvc_NetrWkstaGetInfo_in in = { .server_name = "\\\\x" };
	struct wkssvc_NetrWkstaGetInfo_out out;

	open_bound(w, 1, "wkssvc", &wkssvc_ndr_iface);
	CALL_AT(w, &wkssvc_ndr_iface, 0, in, out, 100);
	assert_int_equal(out.result, WERR_OK);
	assert_string_equal(out.info.info100->server_name, "TESTSRV");
	assert_string_equal(out.info.info100->domain_name, "TESTGROUP");
	CALL_AT(w, &wkssvc_ndr_iface, 0, in, out, 101);
	assert_null(out.info.info101->lan_root);
	CALL_AT(w, &wkssvc_ndr_iface, 0, in, out, 102);
	assert_int_equal(out.info.info102->version_major, 6);
	CALL_AT(w, &wkssvc_ndr_iface, 0, in, out, 502);
	assert_int_equal(out.result, WERR_INVALID_LEVEL);
	close_pipe(w, 1);
}

/* ---------------------------------------------------------------------- */
/* samr */

static void dom_sid_of(struct dom_sid2 *s, uint32_t *subs, const uint32_t *v,
		       unsigned int n, uint8_t auth)
{
	memset(s, 0, sizeof(*s));
	s->sid_rev_num = 1;
	s->num_auths = (uint8_t)n;
	s->id_auth[5] = auth;
	memcpy(subs, v, n * sizeof(*v));
	s->sub_auths = subs;
}

static void check_domain_sid(const struct dom_sid2 *s)
{
	assert_non_null(s);
	assert_int_equal(s->num_auths, 4);
	assert_int_equal(s->id_auth[5], 5);
	assert_int_equal(s->sub_auths[0], 21);
	assert_int_equal(s->sub_auths[1], 111);
	assert_int_equal(s->sub_auths[2], 222);
	assert_int_equal(s->sub_auths[3], 333);
}

/* Connect5, open the account domain (or Builtin); the domain handle. */
static void samr_open(struct world *w, uint32_t pipe, bool builtin,
		      struct policy_handle *conn, struct policy_handle *dom)
{
	struct samr_Connect5_in cin = { .system_name = "\\\\x",
					.access_mask = 0x02000000,
					.level_in = 1 };
	struct samr_Connect5_out cout;
	struct samr_OpenDomain_in oin;
	struct samr_OpenDomain_out oout;
	uint32_t subs[4];
	static const uint32_t dom_subs[4] = { 21, 111, 222, 333 };
	static const uint32_t builtin_subs[1] = { 32 };

	cin.info_in.v1.revision = 3;
	assert_int_equal(call(w, pipe, &samr_ndr_iface, 64, &cin, &cout), 0);
	assert_int_equal(cout.result, NT_STATUS_OK);
	assert_int_equal(cout.level_out, 1);
	assert_int_equal(cout.info_out.v1.revision, 3);
	*conn = cout.connect_handle;
	memset(&oin, 0, sizeof(oin));
	oin.connect_handle = *conn;
	oin.access_mask = 0x02000000;
	if (builtin)
		dom_sid_of(&oin.sid, subs, builtin_subs, 1, 5);
	else
		dom_sid_of(&oin.sid, subs, dom_subs, 4, 5);
	assert_int_equal(call(w, pipe, &samr_ndr_iface, 7, &oin, &oout), 0);
	assert_int_equal(oout.result, NT_STATUS_OK);
	*dom = oout.domain_handle;
}

static void test_samr_domains(void **state)
{
	struct world *w = *state;
	struct policy_handle conn, dom, bdom;
	struct samr_EnumerateDomainsInSamServer_in ein;
	struct samr_EnumerateDomainsInSamServer_out eout;
	struct samr_LookupDomainInSamServer_in lin;
	struct samr_LookupDomainInSamServer_out lout;
	struct samr_QueryInformationDomain_in qin;
	struct samr_QueryInformationDomain_out qout;
	struct samr_QueryInformationDomain2_in q2in;
	struct samr_QueryInformationDomain2_out q2out;
	struct samr_Connect2_in c2in = { .access_mask = 1 };
	struct samr_Connect2_out c2out;
	struct samr_Connect4_in c4in = { .client_revision = 2, .access_mask = 1 };
	struct samr_Connect4_out c4out;
	struct samr_CloseHandle_in clin;
	struct samr_CloseHandle_out clout;
	static const uint16_t levels[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13 };
	unsigned int i;

	open_bound(w, 1, "samr", &samr_ndr_iface);
	assert_int_equal(call(w, 1, &samr_ndr_iface, 57, &c2in, &c2out), 0);
	assert_int_equal(c2out.result, NT_STATUS_OK);
	assert_int_equal(call(w, 1, &samr_ndr_iface, 62, &c4in, &c4out), 0);
	assert_int_equal(c4out.result, NT_STATUS_OK);
	samr_open(w, 1, false, &conn, &dom);

	memset(&ein, 0, sizeof(ein));
	ein.connect_handle = conn;
	ein.prefered_maximum_length = 0xFFFFFFFF;
	assert_int_equal(call(w, 1, &samr_ndr_iface, 6, &ein, &eout), 0);
	assert_int_equal(eout.result, NT_STATUS_OK);
	assert_int_equal(eout.num_entries, 2);
	assert_string_equal(eout.sam->entries[0].name.string, "TESTSRV");
	assert_string_equal(eout.sam->entries[1].name.string, "Builtin");
	/* one at a time */
	ein.prefered_maximum_length = 1;
	assert_int_equal(call(w, 1, &samr_ndr_iface, 6, &ein, &eout), 0);
	assert_int_equal(eout.result, NT_STATUS_MORE_ENTRIES);
	assert_int_equal(eout.num_entries, 1);
	ein.resume_handle = eout.resume_handle;
	assert_int_equal(call(w, 1, &samr_ndr_iface, 6, &ein, &eout), 0);
	assert_int_equal(eout.result, NT_STATUS_OK);
	assert_string_equal(eout.sam->entries[0].name.string, "Builtin");

	memset(&lin, 0, sizeof(lin));
	lin.connect_handle = conn;
	lin.domain_name.string = "testsrv";
	assert_int_equal(call(w, 1, &samr_ndr_iface, 5, &lin, &lout), 0);
	assert_int_equal(lout.result, NT_STATUS_OK);
	check_domain_sid(lout.sid);
	lin.domain_name.string = "BUILTIN";
	assert_int_equal(call(w, 1, &samr_ndr_iface, 5, &lin, &lout), 0);
	assert_int_equal(lout.sid->num_auths, 1);
	assert_int_equal(lout.sid->sub_auths[0], 32);
	lin.domain_name.string = "TESTGROUP";
	assert_int_equal(call(w, 1, &samr_ndr_iface, 5, &lin, &lout), 0);
	assert_int_equal(lout.result, NT_STATUS_NO_SUCH_DOMAIN);
	assert_null(lout.sid);

	memset(&qin, 0, sizeof(qin));
	qin.domain_handle = dom;
	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		qin.level = levels[i];
		assert_int_equal(call(w, 1, &samr_ndr_iface, 8, &qin, &qout), 0);
		assert_int_equal(qout.result, NT_STATUS_OK);
		assert_non_null(qout.info);
	}
	CALL_AT(w, &samr_ndr_iface, 8, qin, qout, 2);
	assert_string_equal(qout.info->general.domain_name.string, "TESTSRV");
	assert_int_equal(qout.info->general.user_count, 3);
	assert_int_equal(qout.info->general.group_count, 1);
	assert_int_equal(qout.info->general.domain_server_role, 3);
	CALL_AT(w, &samr_ndr_iface, 8, qin, qout, 10);
	assert_int_equal(qout.result, NT_STATUS_INVALID_INFO_CLASS);
	assert_null(qout.info);
	memset(&q2in, 0, sizeof(q2in));
	q2in.domain_handle = dom;
	CALL_AT(w, &samr_ndr_iface, 46, q2in, q2out, 5);
	assert_string_equal(q2out.info->name.domain_name.string, "TESTSRV");

	/* Builtin */
	samr_open(w, 1, true, &conn, &bdom);
	qin.domain_handle = bdom;
	CALL_AT(w, &samr_ndr_iface, 8, qin, qout, 2);
	assert_string_equal(qout.info->general.domain_name.string, "Builtin");
	assert_int_equal(qout.info->general.alias_count, 3);
	assert_int_equal(qout.info->general.user_count, 0);

	/* the wrong kind of handle, then closing */
	qin.domain_handle = conn;
	assert_int_equal(call(w, 1, &samr_ndr_iface, 8, &qin, &qout), 0);
	assert_int_equal(qout.result, NT_STATUS_OBJECT_TYPE_MISMATCH);
	clin.handle = dom;
	assert_int_equal(call(w, 1, &samr_ndr_iface, 1, &clin, &clout), 0);
	assert_int_equal(clout.result, NT_STATUS_OK);
	assert_memory_equal(&clout.handle, &(struct policy_handle){ 0 },
			    sizeof(clout.handle));
	assert_int_equal(call(w, 1, &samr_ndr_iface, 1, &clin, &clout), 0);
	assert_int_equal(clout.result, NT_STATUS_INVALID_HANDLE);
	qin.domain_handle = dom;
	assert_int_equal(call(w, 1, &samr_ndr_iface, 8, &qin, &qout), 0);
	assert_int_equal(qout.result, NT_STATUS_INVALID_HANDLE);
	close_pipe(w, 1);

	/* handles belong to their pipe */
	open_bound(w, 2, "samr", &samr_ndr_iface);
	qin.domain_handle = bdom;
	assert_int_equal(call(w, 2, &samr_ndr_iface, 8, &qin, &qout), 0);
	assert_int_equal(qout.result, NT_STATUS_INVALID_HANDLE);
	close_pipe(w, 2);
}

static void test_samr_users(void **state)
{
	struct world *w = *state;
	struct policy_handle conn, dom, bdom, user;
	struct samr_EnumerateUsersInDomain_in ein;
	struct samr_EnumerateUsersInDomain_out eout;
	struct samr_LookupNamesInDomain_in lin;
	struct samr_LookupNamesInDomain_out lout;
	struct samr_LookupIdsInDomain_in rin;
	struct samr_LookupIdsInDomain_out rout;
	struct samr_OpenUser_in oin;
	struct samr_OpenUser_out oout;
	struct samr_QueryInformationUser_in qin;
	struct samr_QueryInformationUser_out qout;
	struct samr_QueryInformationUser2_in q2in;
	struct samr_QueryInformationUser2_out q2out;
	struct samr_GetGroupsForUser_in gin;
	struct samr_GetGroupsForUser_out gout;
	struct samr_GetUserDomainPasswordInformation_in pin;
	struct samr_GetUserDomainPasswordInformation_out pout;
	struct samr_GetDomainPasswordInformation_in dpin = { 0 };
	struct samr_GetDomainPasswordInformation_out dpout;
	struct samr_QuerySecurityObject_in sin;
	struct samr_QuerySecurityObject_out sout;
	struct security_descriptor sd;
	struct lsa_String names[4] = {
		{ .string = "DAEMON" }, { .string = "nosuch" },
		{ .string = "None" }, { .string = "alice" },
	};
	uint32_t rids[4] = { RID_DAEMON, 4242, 513, 0 };
	uint32_t alice_rid;
	static const uint16_t levels[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
					   12, 13, 14, 16, 17, 20, 21 };
	unsigned int i;

	open_bound(w, 1, "samr", &samr_ndr_iface);
	samr_open(w, 1, false, &conn, &dom);

	memset(&ein, 0, sizeof(ein));
	ein.domain_handle = dom;
	ein.prefered_maximum_length = 0xFFFF;
	assert_int_equal(call(w, 1, &samr_ndr_iface, 13, &ein, &eout), 0);
	assert_int_equal(eout.result, NT_STATUS_OK);
	assert_int_equal(eout.num_entries, 3);
	assert_string_equal(eout.sam->entries[0].name.string, "daemon");
	assert_int_equal(eout.sam->entries[0].rid, RID_DAEMON);
	assert_string_equal(eout.sam->entries[1].name.string, "nobody");
	assert_int_equal(eout.sam->entries[1].rid, RID_NOBODY);
	assert_string_equal(eout.sam->entries[2].name.string, "alice");
	alice_rid = eout.sam->entries[2].rid;
	/* no unix account: a hashed RID, stable */
	assert_true(alice_rid >= 0x60000000 && alice_rid < 0x80000000);
	assert_int_equal(alice_rid & 1, 0);
	rids[3] = alice_rid;
	/* the account control filter: none is a workstation trust */
	ein.acct_flags = SAMR_USER_WORKSTATION_TRUST_ACCOUNT;
	assert_int_equal(call(w, 1, &samr_ndr_iface, 13, &ein, &eout), 0);
	assert_int_equal(eout.num_entries, 0);
	/* a small buffer: MORE_ENTRIES and a resume handle */
	ein.acct_flags = 0;
	ein.prefered_maximum_length = 30;
	assert_int_equal(call(w, 1, &samr_ndr_iface, 13, &ein, &eout), 0);
	assert_int_equal(eout.result, NT_STATUS_MORE_ENTRIES);
	assert_int_equal(eout.num_entries, 1);
	assert_int_equal(eout.resume_handle, 1);

	memset(&lin, 0, sizeof(lin));
	lin.domain_handle = dom;
	lin.num_names = 4;
	lin.names = names;
	assert_int_equal(call(w, 1, &samr_ndr_iface, 17, &lin, &lout), 0);
	assert_int_equal(lout.result, NT_STATUS_SOME_NOT_MAPPED);
	assert_int_equal(lout.rids.count, 4);
	assert_int_equal(lout.rids.ids[0], RID_DAEMON);
	assert_int_equal(lout.types.ids[0], LSA_SID_TYPE_USER);
	assert_int_equal(lout.types.ids[1], LSA_SID_TYPE_UNKNOWN);
	assert_int_equal(lout.rids.ids[2], 513);
	assert_int_equal(lout.types.ids[2], LSA_SID_TYPE_GROUP);
	assert_int_equal(lout.rids.ids[3], alice_rid);
	lin.num_names = 1;
	lin.names = &names[1];
	assert_int_equal(call(w, 1, &samr_ndr_iface, 17, &lin, &lout), 0);
	assert_int_equal(lout.result, NT_STATUS_NONE_MAPPED);

	memset(&rin, 0, sizeof(rin));
	rin.domain_handle = dom;
	rin.num_rids = 4;
	rin.rids = rids;
	assert_int_equal(call(w, 1, &samr_ndr_iface, 18, &rin, &rout), 0);
	assert_int_equal(rout.result, NT_STATUS_SOME_NOT_MAPPED);
	assert_string_equal(rout.names.names[0].string, "daemon");
	assert_null(rout.names.names[1].string);
	assert_int_equal(rout.types.ids[1], LSA_SID_TYPE_UNKNOWN);
	assert_string_equal(rout.names.names[2].string, "None");
	assert_string_equal(rout.names.names[3].string, "alice");

	memset(&oin, 0, sizeof(oin));
	oin.domain_handle = dom;
	oin.access_mask = 0x02000000;
	oin.rid = 4242;
	assert_int_equal(call(w, 1, &samr_ndr_iface, 34, &oin, &oout), 0);
	assert_int_equal(oout.result, NT_STATUS_NO_SUCH_USER);
	oin.rid = RID_DAEMON;
	assert_int_equal(call(w, 1, &samr_ndr_iface, 34, &oin, &oout), 0);
	assert_int_equal(oout.result, NT_STATUS_OK);
	user = oout.user_handle;

	memset(&qin, 0, sizeof(qin));
	qin.user_handle = user;
	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		qin.level = levels[i];
		assert_int_equal(call(w, 1, &samr_ndr_iface, 36, &qin, &qout), 0);
		assert_int_equal(qout.result, NT_STATUS_OK);
	}
	CALL_AT(w, &samr_ndr_iface, 36, qin, qout, 21);
	assert_string_equal(qout.info->all.user_name.string, "daemon");
	assert_int_equal(qout.info->all.user_id, RID_DAEMON);
	assert_int_equal(qout.info->all.primary_group_id, 513);
	assert_int_equal(qout.info->all.user_account_control & 0x10, 0x10);
	assert_int_equal(qout.info->all.logon_hours.units_per_week, 168);
	assert_int_equal(qout.info->all.logon_hours.bits[20], 0xff);
	assert_int_equal(qout.info->all.nt_password_present, 0);
	/* password material is never sent */
	CALL_AT(w, &samr_ndr_iface, 36, qin, qout, 18);
	assert_int_equal(qout.result, NT_STATUS_INVALID_INFO_CLASS);
	memset(&q2in, 0, sizeof(q2in));
	q2in.user_handle = user;
	CALL_AT(w, &samr_ndr_iface, 47, q2in, q2out, 1);
	assert_string_equal(q2out.info->general.user_name.string, "daemon");

	gin.user_handle = user;
	assert_int_equal(call(w, 1, &samr_ndr_iface, 39, &gin, &gout), 0);
	assert_int_equal(gout.rids->count, 1);
	assert_int_equal(gout.rids->groups[0].rid, 513);
	assert_int_equal(gout.rids->groups[0].attributes, 7);
	pin.user_handle = user;
	assert_int_equal(call(w, 1, &samr_ndr_iface, 44, &pin, &pout), 0);
	assert_int_equal(pout.result, NT_STATUS_OK);
	assert_int_equal(pout.info.min_password_length, 0);
	assert_int_equal(call(w, 1, &samr_ndr_iface, 56, &dpin, &dpout), 0);
	assert_int_equal(dpout.result, NT_STATUS_OK);
	/* a user handle is not a domain handle */
	pin.user_handle = dom;
	assert_int_equal(call(w, 1, &samr_ndr_iface, 44, &pin, &pout), 0);
	assert_int_equal(pout.result, NT_STATUS_OBJECT_TYPE_MISMATCH);

	sin.handle = user;
	sin.security_information = 4;
	assert_int_equal(call(w, 1, &samr_ndr_iface, 3, &sin, &sout), 0);
	assert_int_equal(sout.result, NT_STATUS_OK);
	assert_int_equal(security_descriptor_decode(sout.sdbuf->sd,
						    sout.sdbuf->length, &sd), 0);
	assert_int_equal(sd.dacl.ace_count, 3);
	sin.handle = conn;
	assert_int_equal(call(w, 1, &samr_ndr_iface, 3, &sin, &sout), 0);
	assert_int_equal(sout.result, NT_STATUS_OK);

	/* Builtin: aliases and membership */
	samr_open(w, 1, true, &conn, &bdom);
	{
		struct samr_EnumerateAliasesInDomain_in ain = {
			.domain_handle = bdom, .prefered_maximum_length = 0xFFFF };
		struct samr_EnumerateAliasesInDomain_out aout;
		struct samr_EnumerateGroupsInDomain_in grin = {
			.domain_handle = dom, .prefered_maximum_length = 0xFFFF };
		struct samr_EnumerateGroupsInDomain_out grout;
		struct samr_GetAliasMembership_in min;
		struct samr_GetAliasMembership_out mout;
		struct samr_SidInformation si[2];
		struct dom_sid2 sids[2];
		uint32_t subs[2][5];
		static const uint32_t daemon_subs[5] = { 21, 111, 222, 333,
							 RID_DAEMON };
		static const uint32_t other_subs[5] = { 21, 1, 2, 3, RID_DAEMON };

		assert_int_equal(call(w, 1, &samr_ndr_iface, 15, &ain, &aout), 0);
		assert_int_equal(aout.num_entries, 3);
		assert_string_equal(aout.sam->entries[0].name.string,
				    "Administrators");
		assert_int_equal(aout.sam->entries[1].rid, 545);
		assert_int_equal(call(w, 1, &samr_ndr_iface, 11, &grin, &grout), 0);
		assert_int_equal(grout.num_entries, 1);
		assert_string_equal(grout.sam->entries[0].name.string, "None");

		dom_sid_of(&sids[0], subs[0], daemon_subs, 5, 5);
		dom_sid_of(&sids[1], subs[1], other_subs, 5, 5);
		si[0].sid = &sids[0];
		si[1].sid = &sids[1];
		min.domain_handle = bdom;
		min.sids.num_sids = 2;
		min.sids.sids = si;
		assert_int_equal(call(w, 1, &samr_ndr_iface, 16, &min, &mout), 0);
		assert_int_equal(mout.result, NT_STATUS_OK);
		assert_int_equal(mout.rids.count, 1);
		assert_int_equal(mout.rids.ids[0], 545);
		min.domain_handle = dom;
		assert_int_equal(call(w, 1, &samr_ndr_iface, 16, &min, &mout), 0);
		assert_int_equal(mout.rids.count, 0);

		/* names in Builtin: aliases only */
		names[0].string = "users";
		lin.domain_handle = bdom;
		lin.num_names = 2;
		lin.names = names;
		assert_int_equal(call(w, 1, &samr_ndr_iface, 17, &lin, &lout), 0);
		assert_int_equal(lout.result, NT_STATUS_SOME_NOT_MAPPED);
		assert_int_equal(lout.rids.ids[0], 545);
		assert_int_equal(lout.types.ids[0], LSA_SID_TYPE_ALIAS);
		assert_int_equal(lout.types.ids[1], LSA_SID_TYPE_UNKNOWN);
		rin.domain_handle = bdom;
		rin.num_rids = 2;
		rids[0] = 546;
		rids[1] = RID_DAEMON;
		assert_int_equal(call(w, 1, &samr_ndr_iface, 18, &rin, &rout), 0);
		assert_int_equal(rout.result, NT_STATUS_SOME_NOT_MAPPED);
		assert_string_equal(rout.names.names[0].string, "Guests");
		assert_int_equal(rout.types.ids[0], LSA_SID_TYPE_ALIAS);
		assert_int_equal(rout.types.ids[1], LSA_SID_TYPE_UNKNOWN);
	}
	close_pipe(w, 1);
}

/* ---------------------------------------------------------------------- */
/* lsarpc, dssetup */

static struct policy_handle lsa_open(struct world *w, uint32_t pipe)
{
	struct lsa_OpenPolicy2_in in;
	struct lsa_OpenPolicy2_out out;
	struct lsa_QosInfo qos = { .length = 12, .impersonation_level = 2 };

	memset(&in, 0, sizeof(in));
	in.system_name = "\\\\x";
	in.attr.length = 24;
	in.attr.security_qos = &qos;
	in.access_mask = 0x02000000;
	assert_int_equal(call(w, pipe, &lsarpc_ndr_iface, 44, &in, &out), 0);
	assert_int_equal(out.result, NT_STATUS_OK);
	return out.handle;
}

static void test_lsa_policy(void **state)
{
	struct world *w = *state;
	struct lsa_OpenPolicy_in oin;
	struct lsa_OpenPolicy_out oout;
	struct lsa_QueryInformationPolicy_in qin;
	struct lsa_QueryInformationPolicy_out qout;
	struct lsa_QueryInformationPolicy2_in q2in;
	struct lsa_QueryInformationPolicy2_out q2out;
	struct lsa_Close_in cin;
	struct lsa_Close_out cout;
	struct policy_handle h;
	uint16_t sysname = '\\';

	open_bound(w, 1, "lsarpc", &lsarpc_ndr_iface);
	memset(&oin, 0, sizeof(oin));
	oin.system_name = &sysname;
	assert_int_equal(call(w, 1, &lsarpc_ndr_iface, 6, &oin, &oout), 0);
	assert_int_equal(oout.result, NT_STATUS_OK);
	h = lsa_open(w, 1);

	qin.handle = h;
	CALL_AT(w, &lsarpc_ndr_iface, 7, qin, qout, 3);
	assert_int_equal(qout.result, NT_STATUS_OK);
	assert_string_equal(qout.info->domain.name.string, "TESTGROUP");
	assert_null(qout.info->domain.sid);
	CALL_AT(w, &lsarpc_ndr_iface, 7, qin, qout, 5);
	assert_string_equal(qout.info->account_domain.domain_name.string,
			    "TESTSRV");
	check_domain_sid(qout.info->account_domain.domain_sid);
	CALL_AT(w, &lsarpc_ndr_iface, 7, qin, qout, 12);
	assert_string_equal(qout.info->dns.name.string, "TESTGROUP");
	CALL_AT(w, &lsarpc_ndr_iface, 7, qin, qout, 1);
	assert_int_equal(qout.result, NT_STATUS_INVALID_INFO_CLASS);
	q2in.handle = h;
	CALL_AT(w, &lsarpc_ndr_iface, 46, q2in, q2out, 14);
	check_domain_sid(q2out.info->local_account_domain.domain_sid);

	cin.handle = h;
	assert_int_equal(call(w, 1, &lsarpc_ndr_iface, 0, &cin, &cout), 0);
	assert_int_equal(cout.result, NT_STATUS_OK);
	assert_int_equal(call(w, 1, &lsarpc_ndr_iface, 0, &cin, &cout), 0);
	assert_int_equal(cout.result, NT_STATUS_INVALID_HANDLE);
	assert_int_equal(call(w, 1, &lsarpc_ndr_iface, 7, &qin, &qout), 0);
	assert_int_equal(qout.result, NT_STATUS_INVALID_HANDLE);
	close_pipe(w, 1);
}

static void test_lsa_lookup_sids(void **state)
{
	struct world *w = *state;
	struct lsa_LookupSids_in in;
	struct lsa_LookupSids_out out;
	struct lsa_LookupSids2_in in2;
	struct lsa_LookupSids2_out out2;
	struct dom_sid2 sids[8];
	struct lsa_SidPtr ptrs[8];
	uint32_t subs[8][5];
	static const uint32_t s_user[5] = { 21, 111, 222, 333, RID_DAEMON };
	static const uint32_t s_bad[5] = { 21, 111, 222, 333, 4242 };
	static const uint32_t s_world[1] = { 0 };
	static const uint32_t s_admins[2] = { 32, 544 };
	static const uint32_t s_system[1] = { 18 };
	static const uint32_t s_dom[4] = { 21, 111, 222, 333 };
	static const uint32_t s_unix[2] = { 1, 1 };
	static const uint32_t s_other[5] = { 21, 9, 9, 9, 1000 };
	int i;

	dom_sid_of(&sids[0], subs[0], s_user, 5, 5);
	dom_sid_of(&sids[1], subs[1], s_bad, 5, 5);
	dom_sid_of(&sids[2], subs[2], s_world, 1, 1);
	dom_sid_of(&sids[3], subs[3], s_admins, 2, 5);
	dom_sid_of(&sids[4], subs[4], s_system, 1, 5);
	dom_sid_of(&sids[5], subs[5], s_dom, 4, 5);
	dom_sid_of(&sids[6], subs[6], s_unix, 2, 22);
	dom_sid_of(&sids[7], subs[7], s_other, 5, 5);
	for (i = 0; i < 8; i++)
		ptrs[i].sid = &sids[i];

	open_bound(w, 1, "lsarpc", &lsarpc_ndr_iface);
	in = (struct lsa_LookupSids_in){ .handle = lsa_open(w, 1), .level = 1,
					 .sids = { .num_sids = 8, .sids = ptrs } };
	assert_int_equal(call(w, 1, &lsarpc_ndr_iface, 15, &in, &out), 0);
	assert_int_equal(out.result, NT_STATUS_SOME_NOT_MAPPED);
	assert_int_equal(out.count, 6);
	assert_int_equal(out.names.count, 8);
	assert_string_equal(out.names.names[0].name.string, "daemon");
	assert_int_equal(out.names.names[0].sid_type, LSA_SID_TYPE_USER);
	assert_string_equal(out.domains->domains[out.names.names[0].sid_index]
			    .name.string, "TESTSRV");
	check_domain_sid(out.domains->domains[out.names.names[0].sid_index].sid);
	assert_int_equal(out.names.names[1].sid_type, LSA_SID_TYPE_UNKNOWN);
	assert_int_equal(out.names.names[1].sid_index, -1);
	assert_string_equal(out.names.names[2].name.string, "Everyone");
	assert_int_equal(out.names.names[2].sid_type,
			 LSA_SID_TYPE_WELL_KNOWN_GROUP);
	assert_string_equal(out.domains->domains[out.names.names[2].sid_index]
			    .name.string, "");
	assert_string_equal(out.names.names[3].name.string, "Administrators");
	assert_int_equal(out.names.names[3].sid_type, LSA_SID_TYPE_ALIAS);
	assert_string_equal(out.domains->domains[out.names.names[3].sid_index]
			    .name.string, "BUILTIN");
	assert_string_equal(out.names.names[4].name.string, "SYSTEM");
	assert_string_equal(out.domains->domains[out.names.names[4].sid_index]
			    .name.string, "NT AUTHORITY");
	assert_string_equal(out.names.names[5].name.string, "TESTSRV");
	assert_int_equal(out.names.names[5].sid_type, LSA_SID_TYPE_DOMAIN);
	assert_int_equal(out.names.names[5].sid_index,
			 out.names.names[0].sid_index);
	assert_string_equal(out.names.names[6].name.string, "daemon");
	assert_string_equal(out.domains->domains[out.names.names[6].sid_index]
			    .name.string, "Unix User");
	assert_int_equal(out.names.names[7].sid_type, LSA_SID_TYPE_UNKNOWN);
	assert_int_equal(out.domains->count, 5);

	/* all mapped, none mapped */
	in.sids.num_sids = 1;
	assert_int_equal(call(w, 1, &lsarpc_ndr_iface, 15, &in, &out), 0);
	assert_int_equal(out.result, NT_STATUS_OK);
	in.sids.sids = &ptrs[7];
	assert_int_equal(call(w, 1, &lsarpc_ndr_iface, 15, &in, &out), 0);
	assert_int_equal(out.result, NT_STATUS_NONE_MAPPED);
	assert_int_equal(out.count, 0);

	in2 = (struct lsa_LookupSids2_in){ .handle = in.handle, .level = 1,
					   .sids = { .num_sids = 2, .sids = &ptrs[2] },
					   .client_revision = 2 };
	assert_int_equal(call(w, 1, &lsarpc_ndr_iface, 57, &in2, &out2), 0);
	assert_int_equal(out2.result, NT_STATUS_OK);
	assert_string_equal(out2.names.names[1].name.string, "Administrators");
	close_pipe(w, 1);
}

static void test_lsa_lookup_names(void **state)
{
	struct world *w = *state;
	struct lsa_LookupNames_in in;
	struct lsa_LookupNames_out out;
	struct lsa_LookupNames2_in in2;
	struct lsa_LookupNames2_out out2;
	struct lsa_LookupNames3_in in3;
	struct lsa_LookupNames3_out out3;
	struct lsa_String names[7] = {
		{ .string = "daemon" }, { .string = "TESTSRV\\alice" },
		{ .string = "BUILTIN\\Users" }, { .string = "everyone" },
		{ .string = "NT AUTHORITY\\SYSTEM" }, { .string = "nosuch" },
		{ .string = "OTHER\\daemon" },
	};

	open_bound(w, 1, "lsarpc", &lsarpc_ndr_iface);
	in = (struct lsa_LookupNames_in){ .handle = lsa_open(w, 1), .num_names = 7,
					  .names = names, .level = 1 };
	assert_int_equal(call(w, 1, &lsarpc_ndr_iface, 14, &in, &out), 0);
	assert_int_equal(out.result, NT_STATUS_SOME_NOT_MAPPED);
	assert_int_equal(out.count, 5);
	assert_int_equal(out.sids.sids[0].sid_type, LSA_SID_TYPE_USER);
	assert_int_equal(out.sids.sids[0].rid, RID_DAEMON);
	check_domain_sid(out.domains->domains[out.sids.sids[0].sid_index].sid);
	assert_int_equal(out.sids.sids[1].sid_type, LSA_SID_TYPE_USER);
	assert_int_equal(out.sids.sids[2].rid, 545);
	assert_int_equal(out.sids.sids[2].sid_type, LSA_SID_TYPE_ALIAS);
	assert_int_equal(out.sids.sids[3].rid, 0);
	assert_int_equal(out.sids.sids[3].sid_type,
			 LSA_SID_TYPE_WELL_KNOWN_GROUP);
	assert_int_equal(out.sids.sids[4].rid, 18);
	assert_int_equal(out.sids.sids[5].sid_type, LSA_SID_TYPE_UNKNOWN);
	assert_int_equal(out.sids.sids[5].sid_index, -1);
	assert_int_equal(out.sids.sids[6].sid_type, LSA_SID_TYPE_UNKNOWN);

	in.num_names = 1;
	in.names = &names[5];
	assert_int_equal(call(w, 1, &lsarpc_ndr_iface, 14, &in, &out), 0);
	assert_int_equal(out.result, NT_STATUS_NONE_MAPPED);

	in2 = (struct lsa_LookupNames2_in){ .handle = in.handle, .num_names = 1,
					    .names = names };
	assert_int_equal(call(w, 1, &lsarpc_ndr_iface, 58, &in2, &out2), 0);
	assert_int_equal(out2.result, NT_STATUS_OK);
	assert_int_equal(out2.sids.sids[0].rid, RID_DAEMON);

	in3 = (struct lsa_LookupNames3_in){ .handle = in.handle, .num_names = 3,
					    .names = names };
	assert_int_equal(call(w, 1, &lsarpc_ndr_iface, 68, &in3, &out3), 0);
	assert_int_equal(out3.result, NT_STATUS_OK);
	assert_int_equal(out3.sids.sids[0].sid->num_auths, 5);
	assert_int_equal(out3.sids.sids[0].sid->sub_auths[4], RID_DAEMON);
	assert_int_equal(out3.sids.sids[2].sid->sub_auths[1], 545);
	close_pipe(w, 1);
}

static void test_lsa_get_user_name(void **state)
{
	struct world *w = *state;
	struct lsa_GetUserName_in in;
	struct lsa_GetUserName_out out;
	struct lsa_String acct = { 0 };
	struct lsa_StringPtr auth = { 0 };
	static const char open_with_user[] = "lsarpc\0daemon";

	/* the account given at OPEN */
	assert_int_equal(cmd(w, 1, SMBD_NL_RPC_OPEN_METHOD, open_with_user,
			     sizeof(open_with_user)).status, SMBD_NL_RPC_OK);
	bind_iface(w, 1, &lsarpc_ndr_iface);
	memset(&in, 0, sizeof(in));
	in.account_name = &acct;
	in.authority_name = &auth;
	assert_int_equal(call(w, 1, &lsarpc_ndr_iface, 45, &in, &out), 0);
	assert_int_equal(out.result, NT_STATUS_OK);
	assert_string_equal(out.account_name->string, "daemon");
	assert_string_equal(out.authority_name->string->string, "TESTSRV");
	close_pipe(w, 1);
	/* not given */
	open_bound(w, 1, "lsarpc", &lsarpc_ndr_iface);
	assert_int_equal(call(w, 1, &lsarpc_ndr_iface, 45, &in, &out), 0);
	assert_int_equal(out.result, NT_STATUS_NOT_SUPPORTED);
	close_pipe(w, 1);
}

static void test_dssetup(void **state)
{
	struct world *w = *state;
	struct dssetup_DsRolerGetPrimaryDomainInformation_in in;
	struct dssetup_DsRolerGetPrimaryDomainInformation_out out;

	open_bound(w, 1, "lsarpc", &dssetup_ndr_iface);
	in.level = DsRolePrimaryDomainInfoBasic;
	assert_int_equal(call(w, 1, &dssetup_ndr_iface, 0, &in, &out), 0);
	assert_int_equal(out.result, WERR_OK);
	assert_int_equal(out.info->basic.role, DsRole_RoleStandaloneServer);
	assert_string_equal(out.info->basic.domain, "TESTGROUP");
	assert_null(out.info->basic.dns_domain);
	in.level = DsRoleUpgradeStatus;
	assert_int_equal(call(w, 1, &dssetup_ndr_iface, 0, &in, &out), 0);
	assert_int_equal(out.result, WERR_OK);
	CALL_AT(w, &dssetup_ndr_iface, 0, in, out, 9);
	assert_int_equal(out.result, WERR_INVALID_PARAMETER);
	assert_null(out.info);
	close_pipe(w, 1);
}

/* ---------------------------------------------------------------------- */
/* restrict anonymous */

/*
 * Call @opnum of @it with @in as call @call_id of a guest session (the
 * restricted context): the status the answer's stub ends with.
 */
static uint32_t guest_call(struct world *w, uint32_t handle,
			   const struct wire_ndr_iface *it, uint16_t opnum,
			   uint32_t call_id, const void *in)
{
	const struct wire_ndr_call *nc = wire_ndr_find_call(it, opnum);
	uint32_t stub_len, len;
	uint8_t *stub, *b;
	struct reply r;

	stub = stub_of(w, nc, in, &stub_len);
	b = request_bytes(w, call_id, DCERPC_PFC_FIRST_FRAG | DCERPC_PFC_LAST_FRAG,
			  0, opnum, stub, stub_len, &len);
	r = cmd(w, handle, SMBD_NL_RPC_IOCTL_METHOD | SMBD_NL_RPC_RESTRICTED_CONTEXT,
		b, len);
	assert_int_equal(collect(w, handle, r, call_id, &stub, &stub_len), 0);
	return wire_ld32(stub + stub_len - 4);
}

static void test_restricted(void **state)
{
	struct world *w = *state;
	struct srvsvc_NetrShareEnum_in in;
	struct srvsvc_NetrShareEnum_out out;
	struct samr_Connect2_in cin = { .access_mask = 1 };
	struct samr_Connect2_out cout;
	const struct wire_ndr_call *nc;
	struct dcerpc_pdu v;
	uint32_t stub_len, len;
	uint8_t *stub, *b;

	memset(&in, 0, sizeof(in));
	in.info_ctr.level = 1;
	in.info_ctr.ctr.ctr1 = &(struct srvsvc_NetShareCtr1){ 0 };
	in.max_buffer = 0xFFFFFFFF;
	nc = wire_ndr_find_call(&srvsvc_ndr_iface, 15);
	stub = stub_of(w, nc, &in, &stub_len);
	open_bound(w, 1, "srvsvc", &srvsvc_ndr_iface);

	/* restrict anonymous = 0: guests see the shares */
	b = request_bytes(w, 50, 3, 0, 15, stub, stub_len, &len);
	raw_ioctl(w, 1, b, len, &v);
	assert_int_equal(v.ptype, DCERPC_PKT_RESPONSE);
	assert_int_equal(wire_ld32(v.body.response.stub.p +
				   v.body.response.stub.len - 4), WERR_OK);

	/* restrict anonymous = 1: not for a guest session */
	w->cfg->global.restrict_anonymous = 1;
	assert_int_equal(guest_call(w, 1, &srvsvc_ndr_iface, 15, 51, &in),
			 WERR_ACCESS_DENIED);
	/* an authenticated session on the same pipe is not restricted */
	assert_int_equal(call(w, 1, &srvsvc_ndr_iface, 15, &in, &out), 0);
	assert_int_equal(out.result, WERR_OK);
	close_pipe(w, 1);

	open_bound(w, 2, "samr", &samr_ndr_iface);
	assert_int_equal(guest_call(w, 2, &samr_ndr_iface, 57, 52, &cin),
			 NT_STATUS_ACCESS_DENIED);
	assert_int_equal(call(w, 2, &samr_ndr_iface, 57, &cin, &cout), 0);
	assert_int_equal(cout.result, NT_STATUS_OK);
	close_pipe(w, 2);
	w->cfg->global.restrict_anonymous = 0;
}

/* ---------------------------------------------------------------------- */
/* fragments */

/* Many shares: a response of several fragments, read piece by piece. */
static void test_response_fragments(void **state)
{
	struct world *w = *state;
	struct srvsvc_NetrShareEnum_in in;
	struct srvsvc_NetrShareEnum_out out;
	char text[40000], *t = text;
	struct smbd_config *cfg;
	unsigned int i;

	t += sprintf(t, "[global]\n\tnetbios name = BIG\n");
	for (i = 0; i < 300; i++)
		t += sprintf(t, "[share%03u]\n\tpath = /srv/%u\n\tcomment = "
			     "share number %u of many\n", i, i, i);
	cfg = smbd_config_load_buffer("big.conf", text, strlen(text), NULL);
	assert_non_null(cfg);
	w->env.cfg = cfg;

	open_bound(w, 1, "srvsvc", &srvsvc_ndr_iface);
	memset(&in, 0, sizeof(in));
	in.info_ctr.level = 1;
	in.info_ctr.ctr.ctr1 = &(struct srvsvc_NetShareCtr1){ 0 };
	in.max_buffer = 0xFFFFFFFF;
	/* call() checks FIRST/LAST, call ids and the 4280 fragment size */
	assert_int_equal(call(w, 1, &srvsvc_ndr_iface, 15, &in, &out), 0);
	assert_int_equal(out.info_ctr.ctr.ctr1->count, 301);
	assert_string_equal(out.info_ctr.ctr.ctr1->array[300].name, "share299");
	assert_string_equal(out.info_ctr.ctr.ctr1->array[300].comment,
			    "share number 299 of many");

	/* reads shorter than a fragment: MORE_DATA until it is complete */
	{
		const struct wire_ndr_call *nc = wire_ndr_find_call(&srvsvc_ndr_iface, 15);
		uint32_t stub_len, len, got = 0, frag_len;
		uint8_t *stub = stub_of(w, nc, &in, &stub_len);
		uint8_t *b = request_bytes(w, 77, 3, 0, 15, stub, stub_len, &len);
		struct reply r;

		assert_int_equal(cmd(w, 1, SMBD_NL_RPC_WRITE_METHOD, b, len).status,
				 SMBD_NL_RPC_OK);
		r = cmd_max(w, 1, SMBD_NL_RPC_READ_METHOD, NULL, 0, 100);
		assert_int_equal(r.status, SMBD_NL_RPC_EMORE_DATA);
		assert_int_equal(r.len, 100);
		frag_len = wire_ld16(r.buf + 8);
		assert_int_equal(frag_len, 4280);
		assert_int_equal(r.buf[3], DCERPC_PFC_FIRST_FRAG);
		got = r.len;
		while (r.status == SMBD_NL_RPC_EMORE_DATA) {
			r = cmd_max(w, 1, SMBD_NL_RPC_READ_METHOD, NULL, 0, 1000);
			got += r.len;
		}
		assert_int_equal(got, frag_len);
		/* the rest: whole fragments, the last one flagged */
		for (;;) {
			r = cmd(w, 1, SMBD_NL_RPC_READ_METHOD, NULL, 0);
			assert_int_equal(r.status, SMBD_NL_RPC_OK);
			assert_true(r.len > 24);
			assert_int_equal(wire_ld32(r.buf + 12), 77);
			if (r.buf[3] & DCERPC_PFC_LAST_FRAG)
				break;
		}
		assert_int_equal(cmd(w, 1, SMBD_NL_RPC_READ_METHOD, NULL, 0).len, 0);
	}
	close_pipe(w, 1);

	/* a client that receives only 1432-byte fragments */
	open_pipe(w, 2, "srvsvc");
	{
		struct ctx_prop p = ndr_ctx(0, &srvsvc_ndr_iface);
		struct dcerpc_pdu ack;
		uint32_t len;
		uint8_t *b = bind_bytes(w, DCERPC_PKT_BIND, 1, 1432, &p, 1, &len);
		struct reply r = cmd(w, 2, SMBD_NL_RPC_IOCTL_METHOD, b, len);

		decode_pdu(&r, &ack);
		assert_int_equal(ack.body.bind_ack.max_xmit_frag, 1432);
		uint32_t slen;
		uint8_t *stub = stub_of(w, wire_ndr_find_call(&srvsvc_ndr_iface, 15),
					&in, &slen);

		b = request_bytes(w, 78, 3, 0, 15, stub, slen, &len);
		r = cmd(w, 2, SMBD_NL_RPC_IOCTL_METHOD, b, len);
		for (i = 0; r.len; i++) {
			assert_true(r.len <= 1432);
			assert_int_equal((r.len - 24) % 8 == 0 ||
					 (r.buf[3] & DCERPC_PFC_LAST_FRAG), 1);
			r = cmd(w, 2, SMBD_NL_RPC_READ_METHOD, NULL, 0);
		}
		assert_true(i > 10);
	}
	close_pipe(w, 2);
	w->env.cfg = w->cfg;
	smbd_config_free(cfg);
}

/* A request in three fragments, the bytes split across writes anyhow. */
static void test_request_fragments(void **state)
{
	struct world *w = *state;
	struct lsa_LookupNames_in in;
	struct lsa_String names[200];
	const struct wire_ndr_call *nc = wire_ndr_find_call(&lsarpc_ndr_iface, 14);
	uint8_t *stub, *f[3], *all;
	uint32_t stub_len, flen[3], total, cut[3], i, off;
	struct lsa_LookupNames_out out;
	uint8_t *rstub;
	uint32_t rlen;
	struct reply r;
	struct wire_dec d;

	open_bound(w, 1, "lsarpc", &lsarpc_ndr_iface);
	memset(&in, 0, sizeof(in));
	in.handle = lsa_open(w, 1);
	for (i = 0; i < 200; i++)
		names[i].string = i % 2 ? "daemon" : "BUILTIN\\Guests";
	in.num_names = 200;
	in.names = names;
	stub = stub_of(w, nc, &in, &stub_len);
	assert_true(stub_len > 3000);
	cut[0] = 0;
	cut[1] = 1000;
	cut[2] = 2000;
	for (i = 0; i < 3; i++) {
		uint32_t end = i < 2 ? cut[i + 1] : stub_len;
		uint8_t flags = (i == 0 ? DCERPC_PFC_FIRST_FRAG : 0) |
				(i == 2 ? DCERPC_PFC_LAST_FRAG : 0);

		f[i] = request_bytes(w, 90, flags, 0, 14, stub + cut[i],
				     end - cut[i], &flen[i]);
	}
	total = flen[0] + flen[1] + flen[2];
	all = talloc_size(w->mem, total);
	memcpy(all, f[0], flen[0]);
	memcpy(all + flen[0], f[1], flen[1]);
	memcpy(all + flen[0] + flen[1], f[2], flen[2]);
	/* writes of 7 bytes, then 333, then the rest */
	off = 0;
	assert_int_equal(cmd(w, 1, SMBD_NL_RPC_WRITE_METHOD, all, 7).status,
			 SMBD_NL_RPC_OK);
	off += 7;
	assert_int_equal(cmd(w, 1, SMBD_NL_RPC_WRITE_METHOD, all + off,
			     333).status, SMBD_NL_RPC_OK);
	off += 333;
	assert_int_equal(cmd(w, 1, SMBD_NL_RPC_READ_METHOD, NULL, 0).len, 0);
	r = cmd(w, 1, SMBD_NL_RPC_IOCTL_METHOD, all + off, total - off);
	assert_int_equal(collect(w, 1, r, 90, &rstub, &rlen), 0);
	memset(&out, 0, sizeof(out));
	wire_dec_init(&d, rstub, rlen);
	d.arena = &w->arena;
	assert_int_equal(nc->out_dec(&d, &in, &out), 0);
	assert_int_equal(out.result, NT_STATUS_OK);
	assert_int_equal(out.count, 200);
	assert_int_equal(out.sids.sids[199].rid, RID_DAEMON);
	assert_int_equal(out.sids.sids[0].rid, 546);

	/* a middle fragment of another call: a fault, the call is dropped */
	assert_int_equal(cmd(w, 1, SMBD_NL_RPC_WRITE_METHOD, f[0],
			     flen[0]).status, SMBD_NL_RPC_OK);
	f[1][12] = 91;	/* call id */
	expect_fault(w, 1, f[1], flen[1], DCERPC_NCA_S_PROTO_ERROR);
	/* a last fragment without a first one */
	expect_fault(w, 1, f[2], flen[2], DCERPC_NCA_S_PROTO_ERROR);

	/* a request larger than RPC_MAX_REQUEST: a fault, then nothing */
	{
		static uint8_t big[4000];
		uint8_t *frag;
		uint32_t fl;

		frag = request_bytes(w, 92, DCERPC_PFC_FIRST_FRAG, 0, 14, big,
				     sizeof(big), &fl);
		assert_int_equal(cmd(w, 1, SMBD_NL_RPC_WRITE_METHOD, frag,
				     fl).status, SMBD_NL_RPC_OK);
		frag = request_bytes(w, 92, 0, 0, 14, big, sizeof(big), &fl);
		for (i = 1; i < RPC_MAX_REQUEST / sizeof(big); i++) {
			assert_int_equal(cmd(w, 1, SMBD_NL_RPC_WRITE_METHOD, frag,
					     fl).status, SMBD_NL_RPC_OK);
			assert_int_equal(cmd(w, 1, SMBD_NL_RPC_READ_METHOD,
					     NULL, 0).len, 0);
		}
		expect_fault(w, 1, frag, fl, DCERPC_NCA_S_PROTO_ERROR);
		/* the rest of that call is not taken either */
		frag = request_bytes(w, 92, DCERPC_PFC_LAST_FRAG, 0, 14, big,
				     sizeof(big), &fl);
		expect_fault(w, 1, frag, fl, DCERPC_NCA_S_PROTO_ERROR);
	}
	close_pipe(w, 1);
}

/* ---------------------------------------------------------------------- */
/* malformed PDUs */

static void test_malformed_bind(void **state)
{
	struct world *w = *state;
	struct ctx_prop p = ndr_ctx(0, &srvsvc_ndr_iface);
	struct dcerpc_pdu v;
	uint8_t *b, *c;
	uint32_t len, n;

	open_pipe(w, 1, "srvsvc");
	b = bind_bytes(w, DCERPC_PKT_BIND, 9, 4280, &p, 1, &len);
	c = talloc_memdup(w->mem, b, len);

	/* version 4, minor 2: bind_nak listing 5.0 */
	c[0] = 4;
	raw_ioctl(w, 1, c, len, &v);
	assert_int_equal(v.ptype, DCERPC_PKT_BIND_NAK);
	assert_int_equal(v.call_id, 9);
	assert_int_equal(v.body.bind_nak.reject_reason,
			 DCERPC_BIND_NAK_REASON_PROTOCOL_VERSION_NOT_SUPPORTED);
	assert_int_equal(v.body.bind_nak.n_protocols, 1);
	c[0] = 5;
	c[1] = 2;
	expect_nak(w, 1, c, len,
		   DCERPC_BIND_NAK_REASON_PROTOCOL_VERSION_NOT_SUPPORTED);
	c[1] = 0;
	/* big-endian data representation */
	c[4] = 0;
	expect_nak(w, 1, c, len, DCERPC_BIND_NAK_REASON_NOT_SPECIFIED);
	c[4] = 0x10;
	/* frag_length below the header, beyond the bytes, cutting the body */
	c[8] = 10;
	expect_fault(w, 1, c, len, DCERPC_NCA_S_PROTO_ERROR);
	c[8] = (uint8_t)(len + 1);
	expect_fault(w, 1, c, len, DCERPC_NCA_S_PROTO_ERROR);
	c[8] = 30;
	expect_nak(w, 1, c, 30, DCERPC_BIND_NAK_REASON_NOT_SPECIFIED);
	c[8] = (uint8_t)len;
	/* a huge context count, a huge transfer syntax count */
	c[24] = 0xff;
	expect_nak(w, 1, c, len, DCERPC_BIND_NAK_REASON_NOT_SPECIFIED);
	c[24] = 1;
	c[30] = 0xff;
	expect_nak(w, 1, c, len, DCERPC_BIND_NAK_REASON_NOT_SPECIFIED);
	c[30] = 1;
	/* no contexts */
	c[24] = 0;
	c[8] = 28;
	expect_nak(w, 1, c, 28, DCERPC_BIND_NAK_REASON_NOT_SPECIFIED);
	c[8] = (uint8_t)len;
	c[24] = 1;
	/* fragments too small for the client */
	b = bind_bytes(w, DCERPC_PKT_BIND, 9, 1000, &p, 1, &len);
	expect_nak(w, 1, b, len, DCERPC_BIND_NAK_REASON_LOCAL_LIMIT_EXCEEDED);
	/* an auth verifier: DCE/RPC authentication is not offered */
	{
		struct dcerpc_pdu a;
		static const uint8_t cred[8] = "NTLMSSP";
		struct ctx_prop q = ndr_ctx(0, &srvsvc_ndr_iface);
		struct dcerpc_syntax_id xs;
		struct dcerpc_ctx_elem el;

		memset(&xs, 0, sizeof(xs));
		memcpy(xs.if_uuid.b, ndr20_uuid, 16);
		xs.if_version = 2;
		memset(&el, 0, sizeof(el));
		memcpy(el.abstract_syntax.if_uuid.b, q.iface->uuid, 16);
		el.abstract_syntax.if_version = 3;
		el.transfer_syntaxes.items = &xs;
		el.transfer_syntaxes.count = 1;
		mk_hdr(&a, DCERPC_PKT_BIND, 3, 10);
		a.body.bind.max_xmit_frag = 4280;
		a.body.bind.max_recv_frag = 4280;
		a.body.bind.ctx_list.p_cont_elem.items = &el;
		a.body.bind.ctx_list.p_cont_elem.count = 1;
		a.auth_length = 8;
		a.auth.auth.auth_type = DCERPC_AUTH_TYPE_NTLMSSP;
		a.auth.auth.auth_level = DCERPC_AUTH_LEVEL_CONNECT;
		a.auth.auth.credentials.p = cred;
		a.auth.auth.credentials.len = 8;
		b = pdu_bytes(w, &a, &n);
		expect_nak(w, 1, b, n,
			   DCERPC_BIND_NAK_REASON_AUTHENTICATION_TYPE_NOT_RECOGNIZED);
	}
	/* alter context before a bind */
	b = bind_bytes(w, DCERPC_PKT_ALTER, 9, 4280, &p, 1, &len);
	expect_fault(w, 1, b, len, DCERPC_NCA_S_PROTO_ERROR);
	/* nothing of this bound the pipe: a good bind still works */
	bind_iface(w, 1, &srvsvc_ndr_iface);
	close_pipe(w, 1);
}

static void test_malformed_request(void **state)
{
	struct world *w = *state;
	struct srvsvc_NetrShareGetInfo_in in = { .share_name = "data",
						 .level = 2 };
	const struct wire_ndr_call *nc = wire_ndr_find_call(&srvsvc_ndr_iface, 16);
	uint8_t *stub, *b, *c;
	uint32_t stub_len, len, n;
	struct dcerpc_pdu v;

	stub = stub_of(w, nc, &in, &stub_len);
	open_pipe(w, 1, "srvsvc");
	/* a request before any bind */
	b = request_bytes(w, 1, 3, 0, 16, stub, stub_len, &len);
	expect_fault(w, 1, b, len, DCERPC_NCA_S_PROTO_ERROR);
	bind_iface(w, 1, &srvsvc_ndr_iface);
	/* unknown context, wrong opnums */
	b = request_bytes(w, 2, 3, 5, 16, stub, stub_len, &len);
	expect_fault(w, 1, b, len, DCERPC_NCA_S_UNK_IF);
	b = request_bytes(w, 3, 3, 0, 17, stub, stub_len, &len);
	expect_fault(w, 1, b, len, DCERPC_NCA_S_OP_RNG_ERROR);
	b = request_bytes(w, 3, 3, 0, 0xffff, stub, stub_len, &len);
	expect_fault(w, 1, b, len, DCERPC_NCA_S_OP_RNG_ERROR);
	/* every truncation of the stub */
	for (n = 0; n < stub_len; n++) {
		b = request_bytes(w, 4, 3, 0, 16, stub, n, &len);
		expect_fault(w, 1, b, len, DCERPC_NCA_S_FAULT_NDR);
	}
	/* huge counts: the share name's max_count and actual_count */
	c = talloc_memdup(w->mem, stub, stub_len);
	wire_st32(c + 4 + 8 + 0, 0x7fffffff);	/* no server_unc: name at 4 */
	b = request_bytes(w, 5, 3, 0, 16, c, stub_len, &len);
	expect_fault(w, 1, b, len, DCERPC_NCA_S_FAULT_NDR);
	memcpy(c, stub, stub_len);
	wire_st32(c + 4, 0xffffffff);
	wire_st32(c + 12, 0xffffffff);
	b = request_bytes(w, 5, 3, 0, 16, c, stub_len, &len);
	expect_fault(w, 1, b, len, DCERPC_NCA_S_FAULT_NDR);
	/* a pipe that got a fault still works */
	b = request_bytes(w, 6, 3, 0, 16, stub, stub_len, &len);
	raw_ioctl(w, 1, b, len, &v);
	assert_int_equal(v.ptype, DCERPC_PKT_RESPONSE);
	/* a request with an auth verifier */
	{
		struct dcerpc_pdu a;
		static const uint8_t cred[16];

		mk_hdr(&a, DCERPC_PKT_REQUEST, 3, 7);
		a.body.request.opnum = 16;
		a.body.request.stub.p = stub;
		a.body.request.stub.len = stub_len;
		a.auth_length = 16;
		a.auth.auth.auth_type = DCERPC_AUTH_TYPE_NTLMSSP;
		a.auth.auth.credentials.p = cred;
		a.auth.auth.credentials.len = 16;
		b = pdu_bytes(w, &a, &len);
		expect_fault(w, 1, b, len, DCERPC_NCA_S_FAULT_ACCESS_DENIED);
	}
	/* packets a server never receives */
	mk_hdr(&v, DCERPC_PKT_RESPONSE, 3, 8);
	b = pdu_bytes(w, &v, &len);
	expect_fault(w, 1, b, len, DCERPC_NCA_S_PROTO_ERROR);
	mk_hdr(&v, 99, 3, 8);
	b = pdu_bytes(w, &v, &len);
	expect_fault(w, 1, b, len, DCERPC_NCA_S_PROTO_ERROR);
	/* shutdown, cancel, orphaned, auth3: no answer */
	mk_hdr(&v, DCERPC_PKT_CO_CANCEL, 3, 8);
	b = pdu_bytes(w, &v, &len);
	assert_int_equal(cmd(w, 1, SMBD_NL_RPC_IOCTL_METHOD, b, len).len, 0);
	mk_hdr(&v, DCERPC_PKT_ORPHANED, 3, 8);
	b = pdu_bytes(w, &v, &len);
	assert_int_equal(cmd(w, 1, SMBD_NL_RPC_IOCTL_METHOD, b, len).len, 0);
	/* a partial fragment in an IOCTL: nothing will complete it */
	b = request_bytes(w, 9, 3, 0, 16, stub, stub_len, &len);
	expect_fault(w, 1, b, len - 1, DCERPC_NCA_S_PROTO_ERROR);
	expect_fault(w, 1, b, 5, DCERPC_NCA_S_PROTO_ERROR);
	/* one IOCTL, two requests: two answers in order */
	c = talloc_size(w->mem, 2 * len);
	memcpy(c, b, len);
	memcpy(c + len, b, len);
	wire_st32(c + len + 12, 10);
	raw_ioctl(w, 1, c, 2 * len, &v);
	assert_int_equal(v.call_id, 9);
	{
		struct reply r = cmd(w, 1, SMBD_NL_RPC_READ_METHOD, NULL, 0);

		decode_pdu(&r, &v);
		assert_int_equal(v.call_id, 10);
	}
	close_pipe(w, 1);
}

/* Every call of every interface with a truncated or mangled stub. */
static void test_malformed_stubs(void **state)
{
	static const struct {
		const struct wire_ndr_iface *it;
		const char *pipe;
	} ifaces[] = {
		{ &srvsvc_ndr_iface, "srvsvc" }, { &wkssvc_ndr_iface, "wkssvc" },
		{ &samr_ndr_iface, "samr" }, { &lsarpc_ndr_iface, "lsarpc" },
		{ &dssetup_ndr_iface, "lsarpc" },
	};
	struct world *w = *state;
	unsigned int i, j, k;
	uint8_t junk[256];

	srand(4);
	for (k = 0; k < sizeof(junk); k++)
		junk[k] = (uint8_t)rand();
	for (i = 0; i < sizeof(ifaces) / sizeof(ifaces[0]); i++) {
		open_pipe(w, 1, ifaces[i].pipe);
		bind_iface(w, 1, ifaces[i].it);
		for (j = 0; j < ifaces[i].it->ncalls; j++) {
			uint16_t op = ifaces[i].it->calls[j].opnum;

			for (k = 0; k < 64; k++) {
				uint32_t len;
				uint8_t *b = request_bytes(w, 100 + k, 3, 0, op,
							   junk, k * 4 % 257,
							   &len);
				struct reply r;
				struct dcerpc_pdu v;

				/* a fault or a response, never nothing */
				r = cmd(w, 1, SMBD_NL_RPC_IOCTL_METHOD, b, len);
				assert_int_equal(r.status, SMBD_NL_RPC_OK);
				decode_pdu(&r, &v);
				assert_true(v.ptype == DCERPC_PKT_FAULT ||
					    v.ptype == DCERPC_PKT_RESPONSE);
				while (cmd(w, 1, SMBD_NL_RPC_READ_METHOD,
					   NULL, 0).len)
					;
				junk[(k * 7) % sizeof(junk)] ^= (uint8_t)(k + 1);
			}
		}
		close_pipe(w, 1);
	}
}

/* Send @stub with 1-4 random bytes changed, many times: never a crash. */
static void mutate(struct world *w, uint32_t handle, uint16_t opnum,
		   const uint8_t *stub, uint32_t len, unsigned int rounds)
{
	uint8_t *c = talloc_size(w->mem, len ? len : 1);
	unsigned int i, k;

	for (i = 0; i < rounds; i++) {
		uint32_t blen, n = 1 + (uint32_t)rand() % 4;
		uint8_t *b;
		struct reply r;
		struct dcerpc_pdu v;

		memcpy(c, stub, len);
		for (k = 0; k < n && len; k++)
			c[rand() % len] = (uint8_t)rand();
		b = request_bytes(w, 1000 + i, 3, 0, opnum, c,
				  len - (i % 7 == 0 && len ? 1 : 0), &blen);
		r = cmd(w, handle, SMBD_NL_RPC_IOCTL_METHOD, b, blen);
		assert_int_equal(r.status, SMBD_NL_RPC_OK);
		decode_pdu(&r, &v);
		assert_true(v.ptype == DCERPC_PKT_FAULT ||
			    v.ptype == DCERPC_PKT_RESPONSE);
		while (cmd(w, handle, SMBD_NL_RPC_READ_METHOD, NULL, 0).len)
			;
	}
	talloc_free(c);
}

#define MUTATE(w, h, it, op, in)					\
	do {								\
		uint32_t l_;						\
		uint8_t *s_ = stub_of(w, wire_ndr_find_call(it, op), in, &l_); \
		mutate(w, h, op, s_, l_, 300);				\
	} while (0)

/* Valid requests with valid handles, then bytes changed at random. */
static void test_mutated_stubs(void **state)
{
	struct world *w = *state;
	struct policy_handle conn, dom, bdom, user, pol;
	uint32_t resume = 0;
	struct srvsvc_NetrShareEnum_in se = {
		.info_ctr = { .level = 502 }, .max_buffer = 0xFFFFFFFF,
		.resume_handle = &resume,
	};
	struct srvsvc_NetrShareGetInfo_in sg = { .share_name = "data",
						 .level = 502 };
	struct srvsvc_NetrServerGetInfo_in sv = { .level = 102 };
	struct wkssvc_NetrWkstaGetInfo_in wk = { .level = 102 };
	struct lsa_String names[3] = {
		{ .string = "daemon" }, { .string = "BUILTIN\\Users" },
		{ .string = "x" },
	};
	uint32_t rids[3] = { RID_DAEMON, 513, 7 };
	struct dom_sid2 sids[2];
	struct lsa_SidPtr ptrs[2];
	uint32_t subs[2][5];
	static const uint32_t s_user[5] = { 21, 111, 222, 333, RID_DAEMON };
	static const uint32_t s_admins[2] = { 32, 544 };
	struct samr_OpenUser_in ou = { .access_mask = 0x02000000,
				       .rid = RID_DAEMON };
	struct samr_OpenUser_out ouo;
	unsigned int lvl;

	srand(7);
	se.info_ctr.ctr.ctr502 = &(struct srvsvc_NetShareCtr502){ 0 };
	open_bound(w, 1, "srvsvc", &srvsvc_ndr_iface);
	MUTATE(w, 1, &srvsvc_ndr_iface, 15, &se);
	MUTATE(w, 1, &srvsvc_ndr_iface, 16, &sg);
	MUTATE(w, 1, &srvsvc_ndr_iface, 21, &sv);
	close_pipe(w, 1);
	open_bound(w, 1, "wkssvc", &wkssvc_ndr_iface);
	MUTATE(w, 1, &wkssvc_ndr_iface, 0, &wk);
	close_pipe(w, 1);

	open_bound(w, 1, "samr", &samr_ndr_iface);
	samr_open(w, 1, false, &conn, &dom);
	samr_open(w, 1, true, &conn, &bdom);
	ou.domain_handle = dom;
	assert_int_equal(call(w, 1, &samr_ndr_iface, 34, &ou, &ouo), 0);
	user = ouo.user_handle;
	{
		struct samr_LookupNamesInDomain_in ln = {
			.domain_handle = dom, .num_names = 3, .names = names };
		struct samr_LookupIdsInDomain_in li = {
			.domain_handle = dom, .num_rids = 3, .rids = rids };
		struct samr_EnumerateUsersInDomain_in eu = {
			.domain_handle = dom, .prefered_maximum_length = 100 };
		struct samr_QueryInformationUser_in qu = { .user_handle = user };
		struct samr_QueryInformationDomain_in qd = { .domain_handle = bdom };
		struct samr_GetAliasMembership_in am = { .domain_handle = bdom };
		struct samr_SidInformation si[1];

		dom_sid_of(&sids[0], subs[0], s_user, 5, 5);
		si[0].sid = &sids[0];
		am.sids.num_sids = 1;
		am.sids.sids = si;
		MUTATE(w, 1, &samr_ndr_iface, 17, &ln);
		MUTATE(w, 1, &samr_ndr_iface, 18, &li);
		MUTATE(w, 1, &samr_ndr_iface, 13, &eu);
		MUTATE(w, 1, &samr_ndr_iface, 16, &am);
		for (lvl = 1; lvl <= 21; lvl += 4) {
			qu.level = (uint16_t)lvl;
			MUTATE(w, 1, &samr_ndr_iface, 36, &qu);
			qd.level = (uint16_t)(lvl % 13 + 1);
			MUTATE(w, 1, &samr_ndr_iface, 8, &qd);
		}
	}
	close_pipe(w, 1);

	open_bound(w, 1, "lsarpc", &lsarpc_ndr_iface);
	pol = lsa_open(w, 1);
	{
		struct lsa_LookupSids2_in ls = { .handle = pol, .level = 1 };
		struct lsa_LookupNames3_in ln = { .handle = pol, .num_names = 3,
						  .names = names, .level = 1 };
		struct lsa_QueryInformationPolicy_in qp = { .handle = pol,
							    .level = 5 };

		dom_sid_of(&sids[0], subs[0], s_user, 5, 5);
		dom_sid_of(&sids[1], subs[1], s_admins, 2, 5);
		ptrs[0].sid = &sids[0];
		ptrs[1].sid = &sids[1];
		ls.sids.num_sids = 2;
		ls.sids.sids = ptrs;
		MUTATE(w, 1, &lsarpc_ndr_iface, 57, &ls);
		MUTATE(w, 1, &lsarpc_ndr_iface, 68, &ln);
		MUTATE(w, 1, &lsarpc_ndr_iface, 7, &qp);
	}
	close_pipe(w, 1);
}

/* Random bytes after a valid header: whatever comes, no crash. */
static void test_fuzz_pdus(void **state)
{
	struct world *w = *state;
	uint8_t buf[512];
	unsigned int i, k;

	srand(1);
	open_pipe(w, 1, "lsarpc");
	for (i = 0; i < 3000; i++) {
		uint32_t len = 16 + (uint32_t)rand() % 200;
		struct reply r;

		for (k = 0; k < len; k++)
			buf[k] = (uint8_t)rand();
		buf[0] = 5;
		buf[1] = 0;
		buf[2] = (uint8_t)(rand() % 21);
		buf[3] = 3;
		buf[4] = 0x10;
		buf[5] = 0;
		wire_st16(buf + 8, (uint16_t)len);
		wire_st16(buf + 10, rand() % 4 ? 0 : (uint16_t)(rand() % 64));
		if (i % 50 == 0) {
			/* from time to time a real bind, so requests get in */
			close_pipe(w, 1);
			open_pipe(w, 1, i % 100 ? "lsarpc" : "samr");
			bind_iface(w, 1, i % 100 ? &lsarpc_ndr_iface :
						   &samr_ndr_iface);
		}
		r = cmd(w, 1, rand() % 2 ? SMBD_NL_RPC_IOCTL_METHOD :
					   SMBD_NL_RPC_WRITE_METHOD, buf, len);
		assert_int_equal(r.status, SMBD_NL_RPC_OK);
		while (cmd(w, 1, SMBD_NL_RPC_READ_METHOD, NULL, 0).len)
			;
	}
	close_pipe(w, 1);
}

/* Queued answers nobody reads are bounded; handles per pipe too. */
static void test_limits(void **state)
{
	struct world *w = *state;
	struct samr_Connect2_in cin = { .access_mask = 1 };
	const struct wire_ndr_call *nc = wire_ndr_find_call(&samr_ndr_iface, 57);
	struct samr_Connect2_out cout;
	uint32_t stub_len, len, i;
	uint8_t *stub, *b;

	open_bound(w, 1, "samr", &samr_ndr_iface);
	for (i = 0; i < RPC_MAX_HANDLES; i++) {
		assert_int_equal(call(w, 1, &samr_ndr_iface, 57, &cin, &cout), 0);
		assert_int_equal(cout.result, NT_STATUS_OK);
	}
	assert_int_equal(call(w, 1, &samr_ndr_iface, 57, &cin, &cout), 0);
	assert_int_equal(cout.result, NT_STATUS_INSUFFICIENT_RESOURCES);
	close_pipe(w, 1);

	open_bound(w, 2, "samr", &samr_ndr_iface);
	stub = stub_of(w, nc, &cin, &stub_len);
	b = request_bytes(w, 1, 3, 0, 57, stub, stub_len, &len);
	/* write requests, never read: the queue stops growing at its limit */
	for (i = 0; i < 100000; i++)
		assert_int_equal(cmd(w, 2, SMBD_NL_RPC_WRITE_METHOD, b, len).status,
				 SMBD_NL_RPC_OK);
	assert_true(rpc_server_buffered(w->srv) <= RPC_MAX_OUTPUT);
	assert_true(rpc_server_buffered(w->srv) > RPC_MAX_OUTPUT - 100);
	/* reading drains it */
	for (i = 0; cmd(w, 2, SMBD_NL_RPC_READ_METHOD, NULL, 0).len; i++)
		;
	assert_true(i > 1000);
	assert_int_equal(rpc_server_buffered(w->srv), 0);
	close_pipe(w, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_open_close),
		T(test_bind),
		T(test_srvsvc_share_enum),
		T(test_srvsvc_share_get_info),
		T(test_srvsvc_server_info),
		T(test_wkssvc),
		T(test_samr_domains),
		T(test_samr_users),
		T(test_lsa_policy),
		T(test_lsa_lookup_sids),
		T(test_lsa_lookup_names),
		T(test_lsa_get_user_name),
		T(test_dssetup),
		T(test_restricted),
		T(test_response_fragments),
		T(test_request_fragments),
		T(test_malformed_bind),
		T(test_malformed_request),
		T(test_malformed_stubs),
		T(test_mutated_stubs),
		T(test_fuzz_pdus),
		T(test_limits),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
