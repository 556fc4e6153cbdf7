// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dcerpc.idl (C706 12.6, MS-RPCE 2.2.2): bind, bind_ack, request (with and
 * without object UUID and with an auth verifier), response and fault PDUs
 * built in C, encoded and compared with byte images written from C706,
 * decoded back; captured PDUs re-encoded byte for byte; hostile input with
 * the exact WIRE_E* code.
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
#include "wire_test.h"

/* -- helpers ------------------------------------------------------------ */

/* srvsvc 4b324fc8-1670-01d3-1278-5a47bf6ee188 v3.0 */
#define SRVSVC_UUID \
	0xc8, 0x4f, 0x32, 0x4b, 0x70, 0x16, 0xd3, 0x01, \
	0x12, 0x78, 0x5a, 0x47, 0xbf, 0x6e, 0xe1, 0x88
/* NDR20 8a885d04-1ceb-11c9-9fe8-08002b104860 v2 */
#define NDR_UUID \
	0x04, 0x5d, 0x88, 0x8a, 0xeb, 0x1c, 0xc9, 0x11, \
	0x9f, 0xe8, 0x08, 0x00, 0x2b, 0x10, 0x48, 0x60
/* bind time features 6cb71c2c-9812-4540-0300-000000000000 v1 */
#define BTFN_UUID \
	0x2c, 0x1c, 0xb7, 0x6c, 0x12, 0x98, 0x40, 0x45, \
	0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00

static const u8 srvsvc_uuid[16] = { SRVSVC_UUID };
static const u8 ndr_uuid[16] = { NDR_UUID };
static const u8 btfn_uuid[16] = { BTFN_UUID };

static void mk_hdr(struct dcerpc_pdu *v, u8 ptype, u8 flags, u32 call_id)
{
	memset(v, 0, sizeof(*v));
	v->rpc_vers = 5;
	v->ptype = ptype;
	v->pfc_flags = flags;
	v->drep[0] = DCERPC_DREP_LE;
	v->call_id = call_id;
}

/* -- bind ------------------------------------------------------------------ */

static const u8 bind_exp[] = {
	0x05, 0x00, 0x0b, 0x03, 0x10, 0x00, 0x00, 0x00,	/* v5.0 bind, FIRST|LAST, LE */
	0x74, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,	/* frag 116, auth 0, call 2 */
	0xb8, 0x10, 0xb8, 0x10, 0x00, 0x00, 0x00, 0x00,	/* 4280/4280, assoc 0 */
	0x02, 0x00, 0x00, 0x00,				/* 2 contexts */
	0x00, 0x00, 0x01, 0x00, SRVSVC_UUID, 0x03, 0x00, 0x00, 0x00,
	NDR_UUID, 0x02, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x01, 0x00, SRVSVC_UUID, 0x03, 0x00, 0x00, 0x00,
	BTFN_UUID, 0x01, 0x00, 0x00, 0x00,
};

static void test_bind(void **state)
{
	struct dcerpc_syntax_id xs[2];
	struct dcerpc_ctx_elem ctx[2];
	struct dcerpc_pdu v, o;
	struct dcerpc_ctx_elem c;
	struct dcerpc_syntax_id s;
	struct wire_seq_iter it, it2;

	(void)state;
	assert_int_equal(sizeof(bind_exp), 116);
	memset(xs, 0, sizeof(xs));
	memcpy(xs[0].if_uuid.b, ndr_uuid, 16);
	xs[0].if_version = 2;
	memcpy(xs[1].if_uuid.b, btfn_uuid, 16);
	xs[1].if_version = 1;
	memset(ctx, 0, sizeof(ctx));
	ctx[0].p_cont_id = 0;
	memcpy(ctx[0].abstract_syntax.if_uuid.b, srvsvc_uuid, 16);
	ctx[0].abstract_syntax.if_version = 3;
	ctx[0].transfer_syntaxes.items = &xs[0];
	ctx[0].transfer_syntaxes.count = 1;
	ctx[1] = ctx[0];
	ctx[1].p_cont_id = 1;
	ctx[1].transfer_syntaxes.items = &xs[1];

	mk_hdr(&v, DCERPC_PKT_BIND, DCERPC_PFC_FIRST_FRAG | DCERPC_PFC_LAST_FRAG, 2);
	v.body.bind.max_xmit_frag = 4280;
	v.body.bind.max_recv_frag = 4280;
	v.body.bind.ctx_list.p_cont_elem.items = ctx;
	v.body.bind.ctx_list.p_cont_elem.count = 2;
	v.frag_length = 116;	/* see test_frag_length_computed */
	ENC_CHECK(dcerpc_pdu, &v, bind_exp, sizeof(bind_exp));

	DEC_OK(dcerpc_pdu, bind_exp, sizeof(bind_exp), &o);
	assert_int_equal(o.ptype, DCERPC_PKT_BIND);
	assert_int_equal(o.frag_length, 116);
	assert_int_equal(o.call_id, 2);
	assert_int_equal(o.body.bind.max_xmit_frag, 4280);
	assert_int_equal(o.body.bind.ctx_list.n_context_elem, 2);
	assert_int_equal(o.body.bind.auth_pad.len, 0);
	wire_seq_iter_init(&it, &o.body.bind.ctx_list.p_cont_elem);
	assert_int_equal(dcerpc_ctx_elem_seq_next(&it, &c), 1);
	assert_memory_equal(c.abstract_syntax.if_uuid.b, srvsvc_uuid, 16);
	assert_int_equal(c.n_transfer_syn, 1);
	assert_int_equal(dcerpc_ctx_elem_seq_next(&it, &c), 1);
	assert_int_equal(c.p_cont_id, 1);
	wire_seq_iter_init(&it2, &c.transfer_syntaxes);
	assert_int_equal(dcerpc_syntax_id_seq_next(&it2, &s), 1);
	assert_memory_equal(s.if_uuid.b, btfn_uuid, 16);
	assert_int_equal(dcerpc_ctx_elem_seq_next(&it, &c), 0);
	TRUNC_ALL(dcerpc_pdu, bind_exp, 16);
}

static void test_bind_hostile(void **state)
{
	u8 b[sizeof(bind_exp)];
	struct dcerpc_pdu o;
	size_t n;

	(void)state;
	/* frag_length beyond the bytes we have */
	for (n = 16; n < sizeof(bind_exp); n++)
		DEC_RC(dcerpc_pdu, bind_exp, n, &o, -WIRE_EBOUNDS);
	/* frag_length below the header */
	memcpy(b, bind_exp, sizeof(b));
	b[8] = 15;
	DEC_RC(dcerpc_pdu, b, sizeof(b), &o, -WIRE_EBOUNDS);
	/* frag_length cutting the body: the context list is truncated */
	memcpy(b, bind_exp, sizeof(b));
	b[8] = 100;
	DEC_RC(dcerpc_pdu, b, sizeof(b), &o, -WIRE_ETRUNC);
	/* wrong rpc_vers */
	memcpy(b, bind_exp, sizeof(b));
	b[0] = 4;
	DEC_RC(dcerpc_pdu, b, sizeof(b), &o, -WIRE_EVALUE);
	/* huge context count with few bytes */
	memcpy(b, bind_exp, sizeof(b));
	b[24] = 0xff;
	DEC_RC(dcerpc_pdu, b, sizeof(b), &o, -WIRE_ETRUNC);
	/* huge transfer syntax count */
	memcpy(b, bind_exp, sizeof(b));
	b[30] = 0xff;
	DEC_RC(dcerpc_pdu, b, sizeof(b), &o, -WIRE_ETRUNC);
	/* auth_length larger than the fragment: the body size goes negative */
	memcpy(b, bind_exp, sizeof(b));
	b[10] = 0xff;
	DEC_RC(dcerpc_pdu, b, sizeof(b), &o, -WIRE_EBOUNDS);
}

/* -- bind_ack ----------------------------------------------------------------- */

static void test_bind_ack(void **state)
{
	static const u8 exp[] = {
		0x05, 0x00, 0x0c, 0x03, 0x10, 0x00, 0x00, 0x00,
		0x5c, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,	/* frag 92 */
		0xb8, 0x10, 0xb8, 0x10, 0x78, 0x56, 0x34, 0x12,	/* assoc 0x12345678 */
		0x0d, 0x00, '\\', 'P', 'I', 'P', 'E', '\\',
		's', 'r', 'v', 's', 'v', 'c', 0x00,
		0x00,						/* align to 4 */
		0x02, 0x00, 0x00, 0x00,				/* 2 results */
		0x00, 0x00, 0x00, 0x00, NDR_UUID, 0x02, 0x00, 0x00, 0x00,
		0x03, 0x00, 0x03, 0x00,				/* negotiate_ack, 3 */
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	};
	static const u8 port[13] = "\\PIPE\\srvsvc";
	struct dcerpc_result res[2];
	struct dcerpc_pdu v, o;
	struct dcerpc_result r;
	struct wire_seq_iter it;

	(void)state;
	assert_int_equal(sizeof(exp), 92);
	memset(res, 0, sizeof(res));
	res[0].result = DCERPC_ACK_RESULT_ACCEPTANCE;
	memcpy(res[0].transfer_syntax.if_uuid.b, ndr_uuid, 16);
	res[0].transfer_syntax.if_version = 2;
	res[1].result = DCERPC_ACK_RESULT_NEGOTIATE_ACK;
	res[1].reason = DCERPC_BIND_TIME_SECURITY_CONTEXT_MULTIPLEXING |
			DCERPC_BIND_TIME_KEEP_CONNECTION_ON_ORPHAN;
	mk_hdr(&v, DCERPC_PKT_BIND_ACK, DCERPC_PFC_FIRST_FRAG | DCERPC_PFC_LAST_FRAG, 2);
	v.body.bind_ack.max_xmit_frag = 4280;
	v.body.bind_ack.max_recv_frag = 4280;
	v.body.bind_ack.assoc_group_id = 0x12345678;
	v.body.bind_ack.sec_addr.port_spec.p = port;
	v.body.bind_ack.sec_addr.port_spec.len = 13;
	v.body.bind_ack.result_list.results.items = res;
	v.body.bind_ack.result_list.results.count = 2;
	v.frag_length = 92;
	ENC_CHECK(dcerpc_pdu, &v, exp, sizeof(exp));

	DEC_OK(dcerpc_pdu, exp, sizeof(exp), &o);
	assert_int_equal(o.body.bind_ack.sec_addr.length, 13);
	assert_memory_equal(o.body.bind_ack.sec_addr.port_spec.p, port, 13);
	assert_int_equal(o.body.bind_ack.result_list.n_results, 2);
	wire_seq_iter_init(&it, &o.body.bind_ack.result_list.results);
	assert_int_equal(dcerpc_result_seq_next(&it, &r), 1);
	assert_int_equal(r.result, 0);
	assert_int_equal(dcerpc_result_seq_next(&it, &r), 1);
	assert_int_equal(r.result, 3);
	assert_int_equal(r.reason, 3);

	{
		u8 b[sizeof(exp)];

		/* secondary address longer than the PDU */
		memcpy(b, exp, sizeof(b));
		b[24] = 0xff;
		b[25] = 0xff;
		DEC_RC(dcerpc_pdu, b, sizeof(b), &o, -WIRE_ETRUNC);
		/* huge result count */
		memcpy(b, exp, sizeof(b));
		b[40] = 0xff;
		DEC_RC(dcerpc_pdu, b, sizeof(b), &o, -WIRE_ETRUNC);
	}
}

/* -- request / response / fault ---------------------------------------------- */

static void test_request_response(void **state)
{
	static const u8 stub[8] = { 0x00, 0x00, 0x02, 0x00, 0x65, 0x00, 0x00, 0x00 };
	static const u8 req_exp[] = {
		0x05, 0x00, 0x00, 0x03, 0x10, 0x00, 0x00, 0x00,
		0x20, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00,	/* frag 32, call 7 */
		0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x0f, 0x00,	/* hint 8, ctx 1, opnum 15 */
		0x00, 0x00, 0x02, 0x00, 0x65, 0x00, 0x00, 0x00,
	};
	static const u8 obj_exp[] = {
		0x05, 0x00, 0x00, 0x83, 0x10, 0x00, 0x00, 0x00,	/* + OBJECT_UUID */
		0x30, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00,	/* frag 48 */
		0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x0f, 0x00,
		SRVSVC_UUID,
		0x00, 0x00, 0x02, 0x00, 0x65, 0x00, 0x00, 0x00,
	};
	static const u8 rsp_exp[] = {
		0x05, 0x00, 0x02, 0x03, 0x10, 0x00, 0x00, 0x00,
		0x20, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00,
		0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,	/* hint, ctx 1, cancel 0 */
		0x00, 0x00, 0x02, 0x00, 0x65, 0x00, 0x00, 0x00,
	};
	struct dcerpc_pdu v, o;

	(void)state;
	mk_hdr(&v, DCERPC_PKT_REQUEST, 3, 7);
	v.body.request.alloc_hint = 8;
	v.body.request.p_cont_id = 1;
	v.body.request.opnum = 15;
	v.body.request.stub.p = stub;
	v.body.request.stub.len = 8;
	v.frag_length = 32;
	ENC_CHECK(dcerpc_pdu, &v, req_exp, sizeof(req_exp));
	DEC_OK(dcerpc_pdu, req_exp, sizeof(req_exp), &o);
	assert_int_equal(o.body.request.opnum, 15);
	assert_int_equal(o.body.request.stub.len, 8);
	assert_memory_equal(o.body.request.stub.p, stub, 8);

	mk_hdr(&v, DCERPC_PKT_REQUEST, 0x83, 7);
	v.body.request_object.alloc_hint = 8;
	v.body.request_object.p_cont_id = 1;
	v.body.request_object.opnum = 15;
	memcpy(v.body.request_object.object.b, srvsvc_uuid, 16);
	v.body.request_object.stub.p = stub;
	v.body.request_object.stub.len = 8;
	v.frag_length = 48;
	ENC_CHECK(dcerpc_pdu, &v, obj_exp, sizeof(obj_exp));
	DEC_OK(dcerpc_pdu, obj_exp, sizeof(obj_exp), &o);
	assert_memory_equal(o.body.request_object.object.b, srvsvc_uuid, 16);
	assert_int_equal(o.body.request_object.stub.len, 8);
	/* the object UUID does not fit: body truncated */
	{
		u8 b[sizeof(obj_exp)];

		memcpy(b, obj_exp, sizeof(b));
		b[8] = 16 + 8 + 8;
		DEC_RC(dcerpc_pdu, b, sizeof(b), &o, -WIRE_ETRUNC);
	}

	mk_hdr(&v, DCERPC_PKT_RESPONSE, 3, 7);
	v.body.response.alloc_hint = 8;
	v.body.response.p_cont_id = 1;
	v.body.response.stub.p = stub;
	v.body.response.stub.len = 8;
	v.frag_length = 32;
	ENC_CHECK(dcerpc_pdu, &v, rsp_exp, sizeof(rsp_exp));
	DEC_OK(dcerpc_pdu, rsp_exp, sizeof(rsp_exp), &o);
	assert_int_equal(o.body.response.stub.len, 8);
	/* body shorter than the 8-byte response header */
	{
		u8 b[sizeof(rsp_exp)];

		memcpy(b, rsp_exp, sizeof(b));
		b[8] = 16 + 7;
		DEC_RC(dcerpc_pdu, b, sizeof(b), &o, -WIRE_ETRUNC);
	}
}

static void test_fault(void **state)
{
	static const u8 exp[] = {
		0x05, 0x00, 0x03, 0x23, 0x10, 0x00, 0x00, 0x00,	/* FIRST|LAST|DID_NOT_EXECUTE */
		0x20, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00,	/* frag 32, call 9 */
		0x20, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,	/* hint 32, ctx 1 */
		0x02, 0x00, 0x01, 0x1c, 0x00, 0x00, 0x00, 0x00,	/* nca_s_op_rng_error */
	};
	struct dcerpc_pdu v, o;

	(void)state;
	mk_hdr(&v, DCERPC_PKT_FAULT, 0x23, 9);
	v.body.fault.alloc_hint = 32;
	v.body.fault.p_cont_id = 1;
	v.body.fault.status = DCERPC_NCA_S_OP_RNG_ERROR;
	v.frag_length = 32;
	ENC_CHECK(dcerpc_pdu, &v, exp, sizeof(exp));
	DEC_OK(dcerpc_pdu, exp, sizeof(exp), &o);
	assert_int_equal(o.body.fault.status, 0x1c010002);
	assert_int_equal(o.body.fault.stub.len, 0);
	TRUNC_ALL(dcerpc_fault, exp + 16, 16);
	{
		u8 b[sizeof(exp)];

		memcpy(b, exp, sizeof(b));
		b[8] = 16 + 15;
		DEC_RC(dcerpc_pdu, b, sizeof(b), &o, -WIRE_ETRUNC);
	}
}

static void test_request_with_verifier(void **state)
{
	static const u8 stub[4] = { 1, 2, 3, 4 };
	static const u8 sig[16] = {
		0x01, 0x00, 0x00, 0x00, 0xaa, 0xbb, 0xcc, 0xdd,
		0xee, 0xff, 0x00, 0x11, 0x02, 0x00, 0x00, 0x00,
	};
	static const u8 exp[] = {
		0x05, 0x00, 0x00, 0x03, 0x10, 0x00, 0x00, 0x00,
		0x40, 0x00, 0x10, 0x00, 0x03, 0x00, 0x00, 0x00,	/* frag 64, auth 16 */
		0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00,	/* opnum 2 */
		0x01, 0x02, 0x03, 0x04,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* auth pad */
		0x00, 0x00, 0x00, 0x00,
		0x0a, 0x05, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00,	/* NTLMSSP, integrity, pad 12 */
		0x01, 0x00, 0x00, 0x00, 0xaa, 0xbb, 0xcc, 0xdd,
		0xee, 0xff, 0x00, 0x11, 0x02, 0x00, 0x00, 0x00,
	};
	static const u8 stub_padded[16] = { 1, 2, 3, 4 };
	struct dcerpc_pdu v, o;

	(void)state;
	assert_int_equal(sizeof(exp), 64);
	mk_hdr(&v, DCERPC_PKT_REQUEST, 3, 3);
	v.auth_length = 16;
	v.body.request.alloc_hint = 4;
	v.body.request.opnum = 2;
	/* the caller pads the stub to 16 (MS-RPCE 2.2.2.11) */
	v.body.request.stub.p = stub_padded;
	v.body.request.stub.len = 16;
	v.auth.auth.auth_type = DCERPC_AUTH_TYPE_NTLMSSP;
	v.auth.auth.auth_level = DCERPC_AUTH_LEVEL_INTEGRITY;
	v.auth.auth.auth_pad_length = 12;
	v.auth.auth.credentials.p = sig;
	v.auth.auth.credentials.len = 16;
	v.frag_length = 64;
	ENC_CHECK(dcerpc_pdu, &v, exp, sizeof(exp));
	DEC_OK(dcerpc_pdu, exp, sizeof(exp), &o);
	assert_int_equal(o.auth_length, 16);
	assert_int_equal(o.body.request.stub.len, 16);
	assert_memory_equal(o.body.request.stub.p, stub, 4);
	assert_int_equal(o.auth.auth.auth_type, 0x0a);
	assert_int_equal(o.auth.auth.auth_pad_length, 12);
	assert_int_equal(o.auth.auth.credentials.len, 16);
	assert_memory_equal(o.auth.auth.credentials.p, sig, 16);
	{
		u8 b[sizeof(exp)];

		/* auth_length pushing the trailer into the header */
		memcpy(b, exp, sizeof(b));
		b[10] = 40;
		DEC_RC(dcerpc_pdu, b, sizeof(b), &o, -WIRE_ETRUNC);
	}
}

/*
 * frag_length is the size_field: the encoder computes it. dcerpc.idl says
 * the body's size_is(frag_length - ...) is a decode-time bound only, so a
 * PDU built without frag_length must encode (GENERATOR BUG if it does not:
 * dcerpc_pdu_enc compares the body length with v->frag_length and fails
 * with -WIRE_EVALUE).
 */
static void test_frag_length_computed(void **state)
{
	static const u8 exp[] = {
		0x05, 0x00, 0x03, 0x23, 0x10, 0x00, 0x00, 0x00,
		0x20, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00,
		0x20, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
		0x02, 0x00, 0x01, 0x1c, 0x00, 0x00, 0x00, 0x00,
	};
	struct dcerpc_pdu v;

	(void)state;
	mk_hdr(&v, DCERPC_PKT_FAULT, 0x23, 9);
	v.body.fault.alloc_hint = 32;
	v.body.fault.p_cont_id = 1;
	v.body.fault.status = DCERPC_NCA_S_OP_RNG_ERROR;
	v.frag_length = 0;	/* not known before encoding */
	ENC_CHECK(dcerpc_pdu, &v, exp, sizeof(exp));
}

static void test_auth_opt_switch(void **state)
{
	static const u8 b[8] = { 0x0a, 0x05, 0, 0, 0, 0, 0, 0 };
	union dcerpc_auth_opt a;
	struct wire_dec d;

	(void)state;
	wire_dec_init(&d, b, sizeof(b));
	assert_int_equal(dcerpc_auth_opt_dec(&d, 1, &a), 0);
	wire_dec_init(&d, b, sizeof(b));
	assert_int_equal(dcerpc_auth_opt_dec(&d, 2, &a), -WIRE_ESWITCH);
	TRUNC_ALL(dcerpc_auth, b, 8);
}

static void test_hdr(void **state)
{
	struct dcerpc_hdr o;

	(void)state;
	DEC_OK(dcerpc_hdr, bind_exp, 16, &o);
	assert_int_equal(o.frag_length, 116);
	TRUNC_ALL(dcerpc_hdr, bind_exp, 16);
}

/* -- fixtures ------------------------------------------------------------------- */

static void test_fixtures(void **state)
{
	/* canonical: no auth, reserved bytes zero, bind_ack pad zero */
	static const char *const names[] = {
		"dcerpc/srvsvc_bind.bin",
		"dcerpc/srvsvc_bind_ack.bin",
		"dcerpc/srvsvc_netsrvgetinfo_req.bin",
		"dcerpc/srvsvc_netsrvgetinfo_rsp.bin",
		"dcerpc/lsarpc_bind.bin",
		"dcerpc/lsarpc_bind_ack.bin",
		"dcerpc/samr_connect5_req.bin",
		"dcerpc/samr_connect5_rsp.bin",
		"dcerpc/wkssvc_bind.bin",
		"dcerpc/dssetup_bind_ack.bin",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		u32 len;
		u8 *b = slurp(names[i], &len);
		struct dcerpc_pdu o;

		DEC_OK(dcerpc_pdu, b, len, &o);
		assert_int_equal(o.frag_length, len);
		REENCODE_SAME(dcerpc_pdu, b, len);
		free(b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bind),
		cmocka_unit_test(test_bind_hostile),
		cmocka_unit_test(test_bind_ack),
		cmocka_unit_test(test_request_response),
		cmocka_unit_test(test_fault),
		cmocka_unit_test(test_request_with_verifier),
		cmocka_unit_test(test_frag_length_computed),
		cmocka_unit_test(test_auth_opt_switch),
		cmocka_unit_test(test_hdr),
		cmocka_unit_test(test_fixtures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
