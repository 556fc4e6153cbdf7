// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netlink.idl (SMBD_GENL v1, shared/spec/netlink-abi.md): every message is
 * built in C, encoded and compared with an image whose every field sits at
 * the offset computed by hand from the ABI's x86-64 C layout (natural
 * alignment; startup_request packed); then decoded back. Hostile input:
 * truncation at every length of the fixed part, blob lengths past the end,
 * negative counts, and encoding into a buffer one byte short.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "netlink.h"
#include "wire_test.h"

/* -- helpers ------------------------------------------------------------ */

/* A heap copy of exactly n bytes, so that ASan sees any read past it. */

static void put16(u8 *b, size_t at, u16 v)
{
	b[at] = (u8)v;
	b[at + 1] = (u8)(v >> 8);
}

static void put32(u8 *b, size_t at, u32 v)
{
	put16(b, at, (u16)v);
	put16(b, at + 2, (u16)(v >> 16));
}

static void put64(u8 *b, size_t at, u64 v)
{
	put32(b, at, (u32)v);
	put32(b, at + 4, (u32)(v >> 32));
}

/*
 * Encode *vp: T_size() must be the expected length, every smaller capacity
 * must fail with -WIRE_ESPACE, the exact one must give the expected bytes.
 */

/* Decode exactly len bytes (heap copy) and expect rc. */

/* Decode in place (views point into bytes, which must outlive them). */

/* Every length shorter than the fixed part is -WIRE_ETRUNC. */

/* -- heartbeat, shutdown ------------------------------------------------ */

static void test_heartbeat(void **state)
{
	struct smbd_nl_heartbeat v = { .handle = 0xa1b2c3d4 }, o;
	static const u8 exp[4] = { 0xd4, 0xc3, 0xb2, 0xa1 };

	(void)state;
	assert_int_equal(sizeof(exp), 4);
	ENC_CHECK(smbd_nl_heartbeat, &v, exp, sizeof(exp));
	DEC_OK(smbd_nl_heartbeat, exp, sizeof(exp), &o);
	assert_int_equal(o.handle, 0xa1b2c3d4);
	TRUNC_ALL(smbd_nl_heartbeat, exp, 4);
}

static void test_shutdown_request(void **state)
{
	struct smbd_nl_shutdown_request v, o;
	u8 exp[64];

	(void)state;
	memset(&v, 0, sizeof(v));
	memset(exp, 0, sizeof(exp));
	v.reserved[3] = 7;	/* reserved: encoded as zeros */
	ENC_CHECK(smbd_nl_shutdown_request, &v, exp, 64);
	DEC_OK(smbd_nl_shutdown_request, exp, 64, &o);
	TRUNC_ALL(smbd_nl_shutdown_request, exp, 64);
}

/* -- startup_request: packed, 744 bytes + interface list ----------------- */

static void test_startup_request(void **state)
{
	static const u8 ifc[] = "eth0\0br0";	/* 9 bytes with the last NUL */
	struct smbd_nl_startup_request v, o;
	u8 exp[744 + sizeof(ifc)];

	(void)state;
	memset(&v, 0, sizeof(v));
	v.flags = SMBD_NL_GLOBAL_FLAG_SMB2_LEASES | SMBD_NL_GLOBAL_FLAG_DURABLE_HANDLE;
	v.signing = SMBD_NL_SIGNING_MANDATORY;
	memcpy(v.min_prot, "SMB2_10", 7);
	memcpy(v.max_prot, "SMB3_11", 7);
	memcpy(v.netbios_name, "FILESRV", 7);
	memcpy(v.work_group, "WORKGROUP", 9);
	memcpy(v.server_string, "smbd", 4);
	v.tcp_port = 445;
	v.ipc_timeout = 30;
	v.deadtime = 15;
	v.file_max = 10000;
	v.smb2_max_write = 0x800000;
	v.smb2_max_read = 0x400000;
	v.smb2_max_trans = 0x100000;
	v.share_fake_fscaps = 0x40;
	v.sub_auth[0] = 0x11111111;
	v.sub_auth[1] = 0x22222222;
	v.sub_auth[2] = 0x33333333;
	v.smb2_max_credits = 8192;
	v.smbd_max_io_size = 0x100000;
	v.max_connections = 128;
	v.bind_interfaces_only = 1;
	v.max_ip_connections = 0x0a0b0c0d;
	v.ifc_list.p = ifc;
	v.ifc_list.len = sizeof(ifc);

	memset(exp, 0, sizeof(exp));
	put32(exp, 0, 0x11);
	put32(exp, 4, 3);
	memcpy(exp + 8, "SMB2_10", 7);
	memcpy(exp + 24, "SMB3_11", 7);
	memcpy(exp + 40, "FILESRV", 7);
	memcpy(exp + 56, "WORKGROUP", 9);
	memcpy(exp + 120, "smbd", 4);
	put16(exp, 184, 445);
	put16(exp, 186, 30);
	put32(exp, 188, 15);
	put32(exp, 192, 10000);
	put32(exp, 196, 0x800000);
	put32(exp, 200, 0x400000);
	put32(exp, 204, 0x100000);
	put32(exp, 208, 0x40);
	put32(exp, 212, 0x11111111);
	put32(exp, 216, 0x22222222);
	put32(exp, 220, 0x33333333);
	put32(exp, 224, 8192);
	put32(exp, 228, 0x100000);
	put32(exp, 232, 128);
	exp[236] = 1;				/* bind_interfaces_only */
	put32(exp, 237, 0x0a0b0c0d);		/* max_ip_connections, unaligned */
	put32(exp, 740, sizeof(ifc));		/* ifc_list_sz */
	memcpy(exp + 744, ifc, sizeof(ifc));

	ENC_CHECK(smbd_nl_startup_request, &v, exp, sizeof(exp));
	DEC_OK(smbd_nl_startup_request, exp, sizeof(exp), &o);
	assert_int_equal(o.signing, 3);
	assert_int_equal(o.tcp_port, 445);
	assert_int_equal(o.sub_auth[2], 0x33333333);
	assert_int_equal(o.bind_interfaces_only, 1);
	assert_int_equal(o.max_ip_connections, 0x0a0b0c0d);
	assert_int_equal(o.ifc_list_sz, sizeof(ifc));
	assert_int_equal(o.ifc_list.len, sizeof(ifc));
	assert_memory_equal(o.ifc_list.p, ifc, sizeof(ifc));
	assert_memory_equal(o.work_group, "WORKGROUP", 9);

	TRUNC_ALL(smbd_nl_startup_request, exp, 744);
	/* the list is shorter than ifc_list_sz */
	DEC_RC(smbd_nl_startup_request, exp, sizeof(exp) - 1, &o, -WIRE_ETRUNC);
	/* empty list: exactly 744 bytes */
	v.ifc_list.p = NULL;
	v.ifc_list.len = 0;
	put32(exp, 740, 0);
	ENC_CHECK(smbd_nl_startup_request, &v, exp, 744);
	DEC_OK(smbd_nl_startup_request, exp, 744, &o);
	assert_int_equal(o.ifc_list.len, 0);
}

/* -- login --------------------------------------------------------------- */

static void test_login_request(void **state)
{
	struct smbd_nl_login_request v, o;
	u8 exp[116];

	(void)state;
	memset(&v, 0, sizeof(v));
	v.handle = 42;
	memcpy(v.account, "alice", 5);
	memset(exp, 0, sizeof(exp));
	put32(exp, 0, 42);
	memcpy(exp + 4, "alice", 5);
	ENC_CHECK(smbd_nl_login_request, &v, exp, 116);
	DEC_OK(smbd_nl_login_request, exp, 116, &o);
	assert_int_equal(o.handle, 42);
	assert_string_equal((const char *)o.account, "alice");
	TRUNC_ALL(smbd_nl_login_request, exp, 116);
	/* a longer attribute (the kernel adds a byte) still decodes */
	{
		u8 big[117];

		memcpy(big, exp, 116);
		big[116] = 0;
		DEC_OK(smbd_nl_login_request, big, 117, &o);
	}
}

static void fill_login_response(struct smbd_nl_login_response *v)
{
	static const u8 hash[16] = {
		0x88, 0x46, 0xf7, 0xea, 0xee, 0x8f, 0xb1, 0x17,
		0xad, 0x06, 0xbd, 0xd8, 0x30, 0xb7, 0x58, 0x6c,
	};

	memset(v, 0, sizeof(*v));
	v->handle = 0x01020304;
	v->gid = 100;
	v->uid = 1000;
	memcpy(v->account, "alice", 5);
	v->status = SMBD_NL_USER_FLAG_OK | SMBD_NL_USER_FLAG_EXTENSION;
	v->hash_sz = 16;
	memcpy(v->hash, hash, 16);
}

/* the login_response image at offset at of b */
static void put_login_response(u8 *b, size_t at)
{
	static const u8 hash[16] = {
		0x88, 0x46, 0xf7, 0xea, 0xee, 0x8f, 0xb1, 0x17,
		0xad, 0x06, 0xbd, 0xd8, 0x30, 0xb7, 0x58, 0x6c,
	};

	put32(b, at + 0, 0x01020304);
	put32(b, at + 4, 100);		/* gid */
	put32(b, at + 8, 1000);		/* uid */
	memcpy(b + at + 12, "alice", 5);	/* account[48]: 12..59 */
	put16(b, at + 60, 0x41);	/* status */
	put16(b, at + 62, 16);		/* hash_sz */
	memcpy(b + at + 64, hash, 16);	/* hash[18]: 64..81, pad 82..83 */
	/* reserved[16]: 84..147 */
}

static void test_login_response(void **state)
{
	struct smbd_nl_login_response v, o;
	u8 exp[148];

	(void)state;
	fill_login_response(&v);
	memset(exp, 0, sizeof(exp));
	put_login_response(exp, 0);
	ENC_CHECK(smbd_nl_login_response, &v, exp, 148);
	DEC_OK(smbd_nl_login_response, exp, 148, &o);
	assert_int_equal(o.uid, 1000);
	assert_int_equal(o.gid, 100);
	assert_int_equal(o.status, 0x41);
	assert_int_equal(o.hash_sz, 16);
	assert_memory_equal(o.hash, v.hash, 18);
	TRUNC_ALL(smbd_nl_login_response, exp, 148);
}

static void test_login_response_ext(void **state)
{
	static const u32 gids[3] = { 100, 27, 0x7ffffffe };
	struct smbd_nl_login_response_ext v, o;
	u8 exp[136 + 12];

	(void)state;
	memset(&v, 0, sizeof(v));
	v.handle = 9;
	v.gids.items = gids;
	v.gids.count = 3;
	memset(exp, 0, sizeof(exp));
	put32(exp, 0, 9);
	put32(exp, 4, 3);		/* ngroups, filled by the encoder */
	put32(exp, 136, 100);
	put32(exp, 140, 27);
	put32(exp, 144, 0x7ffffffe);
	ENC_CHECK(smbd_nl_login_response_ext, &v, exp, sizeof(exp));
	DEC_OK(smbd_nl_login_response_ext, exp, sizeof(exp), &o);
	assert_int_equal(o.ngroups, 3);
	assert_int_equal(o.gids.count, 3);
	assert_int_equal(wire_seq_u32(&o.gids, 2), 0x7ffffffe);
	TRUNC_ALL(smbd_nl_login_response_ext, exp, 136);
	/* fewer gids than ngroups */
	DEC_RC(smbd_nl_login_response_ext, exp, sizeof(exp) - 4, &o, -WIRE_ETRUNC);
	/* the most groups Linux allows, with few bytes */
	put32(exp, 4, 65536);
	DEC_RC(smbd_nl_login_response_ext, exp, sizeof(exp), &o, -WIRE_ETRUNC);
	/* above NGROUPS_MAX, or negative: range(0, SMBD_NL_NGROUPS_MAX) */
	put32(exp, 4, 65537);
	DEC_RC(smbd_nl_login_response_ext, exp, sizeof(exp), &o, -WIRE_ERANGE);
	put32(exp, 4, 0x00ffffff);
	DEC_RC(smbd_nl_login_response_ext, exp, sizeof(exp), &o, -WIRE_ERANGE);
	put32(exp, 4, 0xffffffff);
	DEC_RC(smbd_nl_login_response_ext, exp, sizeof(exp), &o, -WIRE_ERANGE);
	put32(exp, 4, 0x80000000);
	DEC_RC(smbd_nl_login_response_ext, exp, sizeof(exp), &o, -WIRE_ERANGE);
}

/* -- share config ---------------------------------------------------------- */

static void test_share_config_request(void **state)
{
	struct smbd_nl_share_config_request v, o;
	u8 exp[132];

	(void)state;
	memset(&v, 0, sizeof(v));
	v.handle = 77;
	memcpy(v.share_name, "public", 6);
	memset(exp, 0, sizeof(exp));
	put32(exp, 0, 77);
	memcpy(exp + 4, "public", 6);
	ENC_CHECK(smbd_nl_share_config_request, &v, exp, 132);
	DEC_OK(smbd_nl_share_config_request, exp, 132, &o);
	assert_string_equal((const char *)o.share_name, "public");
	TRUNC_ALL(smbd_nl_share_config_request, exp, 132);
}

static void test_share_config_response(void **state)
{
	/* veto list "*.tmp\0" (6 bytes), the separating NUL, the path */
	static const u8 payload[] = "*.tmp\0\0/srv/public";
	const u32 plen = sizeof(payload);	/* 19 with the path's NUL */
	struct smbd_nl_share_config_response v, o;
	u8 exp[536 + sizeof(payload)];

	(void)state;
	memset(&v, 0, sizeof(v));
	v.handle = 77;
	v.flags = SMBD_NL_SHARE_FLAG_AVAILABLE | SMBD_NL_SHARE_FLAG_BROWSEABLE |
		  SMBD_NL_SHARE_FLAG_WRITEABLE | SMBD_NL_SHARE_FLAG_CONTINUOUS_AVAILABILITY;
	v.create_mask = 0744;
	v.directory_mask = 0755;
	v.force_create_mode = 0;
	v.force_directory_mode = 0;
	v.force_uid = 0xffff;
	v.force_gid = 0xfffe;
	memcpy(v.share_name, "public", 6);
	v.payload_sz = plen;
	v.veto_list_sz = 6;
	v.payload.p = payload;
	v.payload.len = plen;

	memset(exp, 0, sizeof(exp));
	put32(exp, 0, 77);
	put32(exp, 4, 0x10007);
	put16(exp, 8, 0744);
	put16(exp, 10, 0755);
	put16(exp, 16, 0xffff);
	put16(exp, 18, 0xfffe);
	memcpy(exp + 20, "public", 6);	/* share_name 20..83, reserved[111] 84..527 */
	put32(exp, 528, plen);
	put32(exp, 532, 6);
	memcpy(exp + 536, payload, plen);
	ENC_CHECK(smbd_nl_share_config_response, &v, exp, sizeof(exp));
	DEC_OK(smbd_nl_share_config_response, exp, sizeof(exp), &o);
	assert_int_equal(o.flags, 0x10007);
	assert_int_equal(o.force_gid, 0xfffe);
	assert_int_equal(o.payload_sz, plen);
	assert_int_equal(o.veto_list_sz, 6);
	assert_int_equal(o.payload.len, plen);
	assert_memory_equal(o.payload.p, payload, plen);
	TRUNC_ALL(smbd_nl_share_config_response, exp, 536);
	/* old daemons: payload_sz 0, the payload is the rest of the attribute */
	put32(exp, 528, 0);
	DEC_OK(smbd_nl_share_config_response, exp, sizeof(exp), &o);
	assert_int_equal(o.payload_sz, 0);
	assert_int_equal(o.payload.len, plen);
}

/* -- tree connect / disconnect, logout ----------------------------------- */

static void test_tree_connect_request(void **state)
{
	struct smbd_nl_tree_connect_request v, o;
	u8 exp[264];

	(void)state;
	memset(&v, 0, sizeof(v));
	v.handle = 5;
	v.account_flags = SMBD_NL_USER_FLAG_GUEST_ACCOUNT;
	v.flags = SMBD_NL_TREE_CONN_FLAG_REQUEST_SMB2 | SMBD_NL_TREE_CONN_FLAG_REQUEST_IPV6;
	v.session_id = 0x1122334455667788ULL;
	v.connect_id = 0x99aabbccddeeff00ULL;
	memcpy(v.account, "guest", 5);
	memcpy(v.share, "IPC$", 4);
	memcpy(v.peer_addr, "::1", 3);
	memset(exp, 0, sizeof(exp));
	put32(exp, 0, 5);
	put16(exp, 4, 0x10);
	put16(exp, 6, 3);
	put64(exp, 8, 0x1122334455667788ULL);
	put64(exp, 16, 0x99aabbccddeeff00ULL);
	memcpy(exp + 24, "guest", 5);	/* account 24..71 */
	memcpy(exp + 72, "IPC$", 4);	/* share 72..135 */
	memcpy(exp + 136, "::1", 3);	/* peer_addr 136..199, reserved 200..263 */
	ENC_CHECK(smbd_nl_tree_connect_request, &v, exp, 264);
	DEC_OK(smbd_nl_tree_connect_request, exp, 264, &o);
	assert_true(o.session_id == 0x1122334455667788ULL);
	assert_true(o.connect_id == 0x99aabbccddeeff00ULL);
	assert_string_equal((const char *)o.share, "IPC$");
	TRUNC_ALL(smbd_nl_tree_connect_request, exp, 264);
}

static void test_tree_connect_response(void **state)
{
	struct smbd_nl_tree_connect_response v, o;
	u8 exp[72];

	(void)state;
	memset(&v, 0, sizeof(v));
	v.handle = 5;
	v.status = SMBD_NL_TREE_CONN_STATUS_HOST_DENIED;
	v.connection_flags = SMBD_NL_TREE_CONN_FLAG_WRITABLE | SMBD_NL_TREE_CONN_FLAG_UPDATE;
	memset(exp, 0, sizeof(exp));
	put32(exp, 0, 5);
	put16(exp, 4, 5);
	put16(exp, 6, 0x14);
	ENC_CHECK(smbd_nl_tree_connect_response, &v, exp, 72);
	DEC_OK(smbd_nl_tree_connect_response, exp, 72, &o);
	assert_int_equal(o.status, 5);
	assert_int_equal(o.connection_flags, 0x14);
	TRUNC_ALL(smbd_nl_tree_connect_response, exp, 72);
}

static void test_tree_disconnect_request(void **state)
{
	struct smbd_nl_tree_disconnect_request v, o;
	u8 exp[80];

	(void)state;
	memset(&v, 0, sizeof(v));
	v.session_id = 0x0102030405060708ULL;
	v.connect_id = 3;
	memset(exp, 0, sizeof(exp));
	put64(exp, 0, 0x0102030405060708ULL);
	put64(exp, 8, 3);
	ENC_CHECK(smbd_nl_tree_disconnect_request, &v, exp, 80);
	DEC_OK(smbd_nl_tree_disconnect_request, exp, 80, &o);
	assert_true(o.session_id == 0x0102030405060708ULL);
	assert_true(o.connect_id == 3);
	TRUNC_ALL(smbd_nl_tree_disconnect_request, exp, 80);
}

static void test_logout_request(void **state)
{
	struct smbd_nl_logout_request v, o;
	u8 exp[116];

	(void)state;
	memset(&v, 0, sizeof(v));
	memcpy(v.account, "bob", 3);
	v.account_flags = SMBD_NL_USER_FLAG_BAD_PASSWORD;
	memset(exp, 0, sizeof(exp));
	memcpy(exp, "bob", 3);
	put32(exp, 48, 2);
	ENC_CHECK(smbd_nl_logout_request, &v, exp, 116);
	DEC_OK(smbd_nl_logout_request, exp, 116, &o);
	assert_int_equal(o.account_flags, 2);
	TRUNC_ALL(smbd_nl_logout_request, exp, 116);
}

/* -- rpc_command ------------------------------------------------------------ */

static void test_rpc_command(void **state)
{
	static const u8 pdu[] = { 0x05, 0x00, 0x0b, 0x03, 0x10, 0x00, 0x00, 0x00 };
	struct smbd_nl_rpc_command v, o;
	u8 exp[12 + sizeof(pdu)];

	(void)state;
	memset(&v, 0, sizeof(v));
	v.handle = 0x33;
	v.flags = SMBD_NL_RPC_WRITE_METHOD;
	v.payload.p = pdu;
	v.payload.len = sizeof(pdu);
	memset(exp, 0, sizeof(exp));
	put32(exp, 0, 0x33);
	put32(exp, 4, 0x20);
	put32(exp, 8, sizeof(pdu));
	memcpy(exp + 12, pdu, sizeof(pdu));
	ENC_CHECK(smbd_nl_rpc_command, &v, exp, sizeof(exp));
	DEC_OK(smbd_nl_rpc_command, exp, sizeof(exp), &o);
	assert_int_equal(o.payload_sz, sizeof(pdu));
	assert_memory_equal(o.payload.p, pdu, sizeof(pdu));
	TRUNC_ALL(smbd_nl_rpc_command, exp, 12);
	/* payload_sz past the end of the attribute */
	put32(exp, 8, sizeof(pdu) + 1);
	DEC_RC(smbd_nl_rpc_command, exp, sizeof(exp), &o, -WIRE_ETRUNC);
	put32(exp, 8, 0xffffffff);
	DEC_RC(smbd_nl_rpc_command, exp, sizeof(exp), &o, -WIRE_ETRUNC);
}

/* -- SPNEGO ---------------------------------------------------------------- */

static void test_spnego_authen_request(void **state)
{
	static const u8 blob[5] = { 0x60, 0x03, 0x06, 0x01, 0x00 };
	struct smbd_nl_spnego_authen_request v, o;
	/* sizeof(struct) + blob: the C sender's length (blob at 6, inside
	 * the struct's 2 bytes of tail padding) */
	u8 exp[8 + sizeof(blob)];

	(void)state;
	memset(&v, 0, sizeof(v));
	v.handle = 0xcafe;
	v.spnego_blob.p = blob;
	v.spnego_blob.len = sizeof(blob);
	memset(exp, 0, sizeof(exp));
	put32(exp, 0, 0xcafe);
	put16(exp, 4, sizeof(blob));
	memcpy(exp + 6, blob, sizeof(blob));
	/* decoding what the kernel sends (sizeof + len + 1) */
	{
		u8 k[8 + sizeof(blob) + 1];

		memset(k, 0, sizeof(k));
		memcpy(k, exp, sizeof(exp));
		DEC_OK(smbd_nl_spnego_authen_request, k, sizeof(k), &o);
		assert_int_equal(o.handle, 0xcafe);
		assert_int_equal(o.spnego_blob_len, sizeof(blob));
		assert_int_equal(o.spnego_blob.len, sizeof(blob));
		assert_memory_equal(o.spnego_blob.p, blob, sizeof(blob));
	}
	/* the blob starts at offset 6 */
	DEC_OK(smbd_nl_spnego_authen_request, exp, sizeof(exp), &o);
	TRUNC_ALL(smbd_nl_spnego_authen_request, exp, 6);
	/* blob longer than the attribute */
	{
		u8 bad[8 + sizeof(blob)];

		memcpy(bad, exp, sizeof(bad));
		put16(bad, 4, 0xffff);
		DEC_RC(smbd_nl_spnego_authen_request, bad, sizeof(bad), &o, -WIRE_ETRUNC);
	}
	/* encoding: total length sizeof(struct) + len = 8 + len (ABI) */
	ENC_CHECK(smbd_nl_spnego_authen_request, &v, exp, sizeof(exp));
}

static void test_spnego_authen_response(void **state)
{
	static const u8 key[16] = {
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
	};
	static const u8 rep[4] = { 0xa1, 0x02, 0x30, 0x00 };
	struct smbd_nl_spnego_authen_response v, o;
	u8 payload[sizeof(key) + sizeof(rep)];
	u8 exp[156 + sizeof(payload)];

	(void)state;
	memcpy(payload, key, sizeof(key));
	memcpy(payload + sizeof(key), rep, sizeof(rep));
	memset(&v, 0, sizeof(v));
	v.handle = 0xcafe;
	fill_login_response(&v.login_response);
	v.session_key_len = sizeof(key);
	v.spnego_blob_len = sizeof(rep);
	v.payload.p = payload;
	v.payload.len = sizeof(payload);

	memset(exp, 0, sizeof(exp));
	put32(exp, 0, 0xcafe);
	put_login_response(exp, 4);	/* login_response 4..151 */
	put16(exp, 152, sizeof(key));
	put16(exp, 154, sizeof(rep));
	memcpy(exp + 156, payload, sizeof(payload));
	ENC_CHECK(smbd_nl_spnego_authen_response, &v, exp, sizeof(exp));
	DEC_OK(smbd_nl_spnego_authen_response, exp, sizeof(exp), &o);
	assert_int_equal(o.login_response.uid, 1000);
	assert_int_equal(o.login_response.hash_sz, 16);
	assert_int_equal(o.session_key_len, 16);
	assert_int_equal(o.spnego_blob_len, 4);
	assert_int_equal(o.payload.len, sizeof(payload));
	assert_memory_equal(o.payload.p, payload, sizeof(payload));
	TRUNC_ALL(smbd_nl_spnego_authen_response, exp, 156);
	DEC_RC(smbd_nl_spnego_authen_response, exp, sizeof(exp) - 1, &o, -WIRE_ETRUNC);
	/* the lengths must add up to the payload on encode */
	v.spnego_blob_len = 3;
	{
		u8 b[256];
		size_t used;

		assert_true(smbd_nl_spnego_authen_response_encode(b, sizeof(b), &v, &used) < 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_heartbeat),
		cmocka_unit_test(test_shutdown_request),
		cmocka_unit_test(test_startup_request),
		cmocka_unit_test(test_login_request),
		cmocka_unit_test(test_login_response),
		cmocka_unit_test(test_login_response_ext),
		cmocka_unit_test(test_share_config_request),
		cmocka_unit_test(test_share_config_response),
		cmocka_unit_test(test_tree_connect_request),
		cmocka_unit_test(test_tree_connect_response),
		cmocka_unit_test(test_tree_disconnect_request),
		cmocka_unit_test(test_logout_request),
		cmocka_unit_test(test_rpc_command),
		cmocka_unit_test(test_spnego_authen_request),
		cmocka_unit_test(test_spnego_authen_response),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
