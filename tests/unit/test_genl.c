// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel-mode transport without a kernel: generic netlink framing
 * (built messages checked byte by byte, kernel-style requests parsed,
 * malformed ones refused), the nlctrl family-id reply, and the
 * STARTING_UP message built from a configuration (offsets from
 * netlink-abi.md, written out here).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "netlink.h"

#include "config.h"
#include "ipc.h"
#include "subauth.h"

static uint32_t ld32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t ld16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* A reply as the daemon sends it: every header byte, and the padding. */
static void test_build_exact_bytes(void **state)
{
	static const uint8_t want[32] = {
		32, 0, 0, 0,  0x1a, 0,  1, 0,  7, 0, 0, 0,  0xd2, 0x04, 0, 0,
		5, 1, 0, 0,
		9, 0, 5, 0,  'a', 'b', 'c', 'd', 'e', 0, 0, 0,
	};
	uint8_t out[64];
	long n;

	(void)state;
	memset(out, 0xee, sizeof(out));
	n = ipc_genl_msg_build(out, sizeof(out), 0x1a, SMBD_NLM_F_REQUEST, 7,
			       1234, 5, 1, 5, "abcde", 5);
	assert_int_equal(n, 32);
	assert_memory_equal(out, want, sizeof(want));
	assert_int_equal(out[32], 0xee);	/* nothing written past it */

	/* too small a buffer is refused, not overrun */
	assert_true(ipc_genl_msg_build(out, 31, 0x1a, 1, 7, 1234, 5, 1, 5,
				       "abcde", 5) < 0);
}

/*
 * A LOGIN_REQUEST as the kernel sends it: family 0x1a, the struct (116
 * bytes) plus the one extra byte the kernel allocates, padded to 124.
 */
static size_t kernel_login_request(uint8_t *buf)
{
	memset(buf, 0, 160);
	buf[0] = 144;				/* nlmsg_len = 16 + 4 + 124 */
	buf[4] = 0x1a;				/* family id */
	buf[8] = 3;				/* seq */
	buf[16] = SMBD_NL_EVENT_LOGIN_REQUEST;	/* cmd */
	buf[17] = 1;				/* version */
	buf[20] = 4 + 117;			/* nla_len */
	buf[22] = SMBD_NL_EVENT_LOGIN_REQUEST;	/* nla_type */
	buf[24] = 0x2a;				/* handle 42 */
	memcpy(buf + 28, "alice", 5);		/* account */
	return 144;
}

static void test_parse_kernel_request(void **state)
{
	struct smbd_nl_login_request req;
	struct smbd_nlmsghdr h;
	struct ipc_genl_frame f;
	const char *why = NULL;
	uint8_t buf[160];
	size_t n = kernel_login_request(buf), pos = 0;

	(void)state;
	assert_int_equal(ipc_genl_next(buf, n, &pos, &h, &why), 1);
	assert_int_equal(pos, 144);
	assert_int_equal(h.type, 0x1a);
	assert_int_equal(h.seq, 3);
	assert_int_equal(ipc_genl_frame_parse(&h, &f, &why), 0);
	assert_int_equal(f.event, SMBD_NL_EVENT_LOGIN_REQUEST);
	assert_int_equal(f.len, 117);
	assert_ptr_equal(f.payload, buf + 24);
	assert_int_equal(smbd_nl_login_request_decode(f.payload, f.len, &req), 0);
	assert_int_equal(req.handle, 42);
	assert_string_equal((const char *)req.account, "alice");
	assert_int_equal(ipc_genl_next(buf, n, &pos, &h, &why), 0);
}

/* Two messages in one datagram are both walked. */
static void test_two_messages(void **state)
{
	struct smbd_nlmsghdr h;
	const char *why;
	uint8_t buf[320];
	size_t pos = 0;

	(void)state;
	kernel_login_request(buf);
	kernel_login_request(buf + 144);
	buf[144 + 8] = 4;
	assert_int_equal(ipc_genl_next(buf, 288, &pos, &h, &why), 1);
	assert_int_equal(ipc_genl_next(buf, 288, &pos, &h, &why), 1);
	assert_int_equal(h.seq, 4);
	assert_int_equal(ipc_genl_next(buf, 288, &pos, &h, &why), 0);
}

static void test_malformed_refused(void **state)
{
	struct smbd_nlmsghdr h;
	struct ipc_genl_frame f;
	const char *why;
	uint8_t buf[160];
	size_t n, pos;

	(void)state;
	/* netlink length beyond the datagram */
	n = kernel_login_request(buf);
	pos = 0;
	assert_int_equal(ipc_genl_next(buf, n - 4, &pos, &h, &why), -1);
	/* netlink length below its own header */
	buf[0] = 8;
	pos = 0;
	assert_int_equal(ipc_genl_next(buf, n, &pos, &h, &why), -1);

	/* wrong genl version */
	n = kernel_login_request(buf);
	buf[17] = 2;
	pos = 0;
	assert_int_equal(ipc_genl_next(buf, n, &pos, &h, &why), 1);
	assert_int_equal(ipc_genl_frame_parse(&h, &f, &why), -1);
	assert_string_equal(why, "generic netlink version is not 1");

	/* attribute type differs from the command */
	n = kernel_login_request(buf);
	buf[22] = SMBD_NL_EVENT_SHARE_CONFIG_REQUEST;
	pos = 0;
	assert_int_equal(ipc_genl_next(buf, n, &pos, &h, &why), 1);
	assert_int_equal(ipc_genl_frame_parse(&h, &f, &why), -1);

	/* attribute longer than the message */
	n = kernel_login_request(buf);
	buf[20] = 200;
	pos = 0;
	assert_int_equal(ipc_genl_next(buf, n, &pos, &h, &why), 1);
	assert_int_equal(ipc_genl_frame_parse(&h, &f, &why), -1);

	/* two attributes: shorten the first, add a second */
	n = kernel_login_request(buf);
	buf[20] = 4 + 100;
	buf[24 + 100] = 20;
	buf[24 + 102] = SMBD_NL_EVENT_LOGIN_REQUEST;
	pos = 0;
	assert_int_equal(ipc_genl_next(buf, n, &pos, &h, &why), 1);
	assert_int_equal(ipc_genl_frame_parse(&h, &f, &why), -1);
	assert_string_equal(why, "not exactly one attribute");
}

/* nlctrl NEWFAMILY reply, as captured from Linux 6.1 (ops/groups cut). */
static const uint8_t newfamily_reply[] = {
	68, 0, 0, 0,  0x10, 0,  0, 0,  1, 0, 0, 0,  0x39, 0x30, 0, 0,
	1, 2, 0, 0,				/* NEWFAMILY, version 2 */
	14, 0, 2, 0,  'S', 'M', 'B', 'D', '_', 'G', 'E', 'N', 'L', 0, 0, 0,
	6, 0, 1, 0,  0x1a, 0, 0, 0,		/* FAMILY_ID 0x1a */
	8, 0, 3, 0,  1, 0, 0, 0,		/* VERSION 1 */
	8, 0, 4, 0,  0, 0, 0, 0,		/* HDRSIZE 0 */
	8, 0, 5, 0,  17, 0, 0, 0,		/* MAXATTR 17 */
};

static void test_family_id(void **state)
{
	uint8_t buf[sizeof(newfamily_reply)];
	static const uint8_t enoent[36] = {
		36, 0, 0, 0,  2, 0,  0, 1,  1, 0, 0, 0,  0x39, 0x30, 0, 0,
		0xfe, 0xff, 0xff, 0xff,			/* -ENOENT */
		32, 0, 0, 0, 0x10, 0, 1, 0, 1, 0, 0, 0, 0x39, 0x30, 0, 0,
	};

	(void)state;
	assert_int_equal(sizeof(newfamily_reply), 68);
	assert_int_equal(ipc_genl_family_id_parse(newfamily_reply,
						  sizeof(newfamily_reply)), 0x1a);
	assert_int_equal(ipc_genl_family_id_parse(enoent, sizeof(enoent)),
			 -ENOENT);

	/* no FAMILY_ID attribute: turn it into an unknown attribute 9 */
	memcpy(buf, newfamily_reply, sizeof(buf));
	buf[36 + 2] = 9;
	assert_int_equal(ipc_genl_family_id_parse(buf, sizeof(buf)), -EBADMSG);
	/* an attribute running past the message */
	memcpy(buf, newfamily_reply, sizeof(buf));
	buf[60] = 12;
	assert_int_equal(ipc_genl_family_id_parse(buf, sizeof(buf)), -EBADMSG);
	/* truncated datagram */
	assert_int_equal(ipc_genl_family_id_parse(newfamily_reply, 30), -EBADMSG);
}

/* Our GETFAMILY request: what resolve sends, byte for byte. */
static void test_getfamily_request(void **state)
{
	uint8_t out[64];
	long n;

	(void)state;
	n = ipc_genl_msg_build(out, sizeof(out), SMBD_GENL_ID_CTRL,
			       SMBD_NLM_F_REQUEST, 1, 77,
			       SMBD_CTRL_CMD_GETFAMILY, 1,
			       SMBD_CTRL_ATTR_FAMILY_NAME, "SMBD_GENL", 10);
	assert_int_equal(n, 16 + 4 + 16);
	assert_int_equal(ld32(out), 36);
	assert_int_equal(ld16(out + 4), 0x10);
	assert_int_equal(out[16], 3);
	assert_int_equal(ld16(out + 20), 14);
	assert_int_equal(ld16(out + 22), 2);
	assert_memory_equal(out + 24, "SMBD_GENL\0\0\0", 12);
}

static const char startup_conf[] =
	"[global]\n"
	"\tnetbios name = TESTNB\n"
	"\tworkgroup = WG\n"
	"\tserver string = hello\n"
	"\ttcp port = 4455\n"
	"\tipc timeout = 9\n"
	"\tmax connections = 7\n"
	"\tmax ip connections = 3\n"
	"\tbind interfaces only = yes\n"
	"\tinterfaces = eth0 lo\n"
	"\tserver min protocol = SMB2_10\n"
	"\tserver signing = mandatory\n"
	"[s]\n"
	"\tpath = /tmp\n";

static void test_startup(void **state)
{
	struct smbd_config_diag diag = { 0 };
	struct smbd_config *cfg;
	struct smbd_nl_startup_request req;
	struct subauth sa = { .sub = { 11, 22, 33 } };
	TALLOC_CTX *tmp = talloc_new(NULL);
	uint8_t buf[1024];
	size_t used = 0;

	(void)state;
	cfg = smbd_config_load_buffer("t.conf", startup_conf,
				      sizeof(startup_conf) - 1, &diag);
	assert_non_null(cfg);
	assert_int_equal(ipc_genl_startup_fill(tmp, &cfg->global, &sa, &req), 0);
	assert_int_equal(smbd_nl_startup_request_encode(buf, sizeof(buf), &req,
							&used), 0);
	assert_int_equal(used, 744 + 8);
	assert_int_equal(ld32(buf + 4), 3);			/* signing */
	assert_string_equal((char *)buf + 8, "SMB2_10");
	assert_string_equal((char *)buf + 24, "SMB3_11");
	assert_string_equal((char *)buf + 40, "TESTNB");
	assert_string_equal((char *)buf + 56, "WG");
	assert_string_equal((char *)buf + 120, "hello");
	assert_int_equal(ld16(buf + 184), 4455);
	assert_int_equal(ld16(buf + 186), 9);
	assert_int_equal(ld32(buf + 212), 11);
	assert_int_equal(ld32(buf + 220), 33);
	assert_int_equal(ld32(buf + 232), 7);
	assert_int_equal(buf[236], 1);
	assert_int_equal(ld32(buf + 237), 3);
	assert_int_equal(ld32(buf + 740), 8);
	assert_memory_equal(buf + 744, "eth0\0lo\0", 8);
	smbd_config_free(cfg);
	smbd_config_diag_free(&diag);
	talloc_free(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_exact_bytes),
		cmocka_unit_test(test_parse_kernel_request),
		cmocka_unit_test(test_two_messages),
		cmocka_unit_test(test_malformed_refused),
		cmocka_unit_test(test_family_id),
		cmocka_unit_test(test_getfamily_request),
		cmocka_unit_test(test_startup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
