// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The generated NDR20 marshallers: round trips of built values, Samba's
 * xattr blobs, real DCE/RPC stubs captured from Samba, and malformed
 * stubs that must fail with the right -WIRE_E* code (and never crash).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "srvsvc.h"
#include "lsarpc.h"
#include "samr.h"
#include "xattr.h"

#ifndef FIXTURES_DIR
#define FIXTURES_DIR "tests/fixtures"
#endif

#define STUB_OFFSET 24	/* request/response PDU header without object UUID */

static struct wire_arena arena;

static int setup(void **state)
{
	(void)state;
	wire_arena_init(&arena, 1 << 20);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	wire_arena_free(&arena);
	return 0;
}

static void dec_init(struct wire_dec *d, const void *buf, size_t len)
{
	wire_dec_init(d, buf, len);
	d->arena = &arena;
}

/* Encode with f into a malloc'd buffer; returns its length. */
#define ENCODE(buf, call) ({						\
	struct wire_ndr_enc n_;						\
	wire_ndr_enc_init(&n_, NULL, 0);				\
	assert_int_equal((call), 0);					\
	buf = malloc(n_.e.pos ? n_.e.pos : 1);				\
	assert_non_null(buf);						\
	{								\
		u32 size_ = n_.e.pos;					\
		wire_ndr_enc_init(&n_, buf, size_);			\
		assert_int_equal((call), 0);				\
		assert_int_equal(n_.e.pos, size_);			\
	}								\
	n_.e.pos;							\
})

static u8 *load(const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	u8 *buf = malloc(65536);

	assert_non_null(buf);
	snprintf(path, sizeof(path), "%s/dcerpc/%s.bin", FIXTURES_DIR, name);
	f = fopen(path, "rb");
	if (!f) {
		free(buf);
		return NULL;
	}
	*len = fread(buf, 1, 65536, f);
	fclose(f);
	return buf;
}

/* ---- srvsvc NetrShareEnum, level 1, two shares ---- */

static void test_share_enum_roundtrip(void **state)
{
	struct srvsvc_NetShareInfo1 shares[2] = {
		{ .name = "share", .type = STYPE_DISKTREE, .comment = "a disk" },
		{ .name = "IPC$", .type = STYPE_IPC | STYPE_SPECIAL,
		  .comment = "IPC Service (\xc3\xa9t\xc3\xa9 \xf0\x9f\x98\x80)" },
	};
	struct srvsvc_NetShareCtr1 ctr = { .count = 2, .array = shares };
	u32 resume = 7, total = 2;
	struct srvsvc_NetrShareEnum_in in = {
		.server_unc = "\\\\srv",
		.info_ctr = { .level = 1 },
		.max_buffer = 0xffffffff,
		.resume_handle = &resume,
	};
	struct srvsvc_NetrShareEnum_out out = {
		.info_ctr = { .level = 1 },
		.totalentries = total,
		.resume_handle = NULL,
		.result = WERR_OK,
	};
	struct srvsvc_NetrShareEnum_in in2;
	struct srvsvc_NetrShareEnum_out out2;
	struct wire_dec d;
	u8 *buf, *buf2;
	u32 n, n2;

	(void)state;
	in.info_ctr.ctr.ctr1 = &(struct srvsvc_NetShareCtr1){ .count = 0 };
	out.info_ctr.ctr.ctr1 = &ctr;
	n = ENCODE(buf, srvsvc_NetrShareEnum_in_enc(&n_, &in));
	/* unique server_unc: referent id, then the string at once */
	assert_int_equal(wire_ld32(buf), 0x00020000);
	assert_int_equal(wire_ld32(buf + 4), 6);	/* max_count incl. NUL */
	dec_init(&d, buf, n);
	assert_int_equal(srvsvc_NetrShareEnum_in_dec(&d, &in2), 0);
	assert_int_equal(d.pos, n);
	assert_string_equal(in2.server_unc, "\\\\srv");
	assert_int_equal(in2.info_ctr.level, 1);
	assert_non_null(in2.info_ctr.ctr.ctr1);
	assert_int_equal(in2.info_ctr.ctr.ctr1->count, 0);
	assert_null(in2.info_ctr.ctr.ctr1->array);
	assert_int_equal(in2.max_buffer, 0xffffffff);
	assert_non_null(in2.resume_handle);
	assert_int_equal(*in2.resume_handle, 7);
	free(buf);

	n = ENCODE(buf2, srvsvc_NetrShareEnum_out_enc(&n_, &in, &out));
	dec_init(&d, buf2, n);
	assert_int_equal(srvsvc_NetrShareEnum_out_dec(&d, &in2, &out2), 0);
	assert_int_equal(d.pos, n);
	assert_int_equal(out2.info_ctr.level, 1);
	assert_int_equal(out2.info_ctr.ctr.ctr1->count, 2);
	assert_string_equal(out2.info_ctr.ctr.ctr1->array[0].name, "share");
	assert_string_equal(out2.info_ctr.ctr.ctr1->array[0].comment, "a disk");
	assert_string_equal(out2.info_ctr.ctr.ctr1->array[1].name, "IPC$");
	assert_int_equal(out2.info_ctr.ctr.ctr1->array[1].type, 0x80000003);
	assert_string_equal(out2.info_ctr.ctr.ctr1->array[1].comment, shares[1].comment);
	assert_int_equal(out2.totalentries, 2);
	assert_null(out2.resume_handle);
	assert_int_equal(out2.result, 0);
	/* level, union discriminant, referent of ctr1, count, referent of array */
	assert_int_equal(wire_ld32(buf2 + 0), 1);
	assert_int_equal(wire_ld32(buf2 + 4), 1);
	assert_int_equal(wire_ld32(buf2 + 8), 0x00020000);
	assert_int_equal(wire_ld32(buf2 + 12), 2);
	assert_int_equal(wire_ld32(buf2 + 16), 0x00020004);
	assert_int_equal(wire_ld32(buf2 + 20), 2);	/* max_count of the array */
	/* re-encoding the decoded value gives the same bytes */
	n2 = ENCODE(buf, srvsvc_NetrShareEnum_out_enc(&n_, &in2, &out2));
	assert_int_equal(n2, n);
	assert_memory_equal(buf, buf2, n);
	free(buf);
	free(buf2);
}

/* ---- lsa LookupSids2 ---- */

static void test_lookup_sids2_roundtrip(void **state)
{
	u32 sub[2] = { 32, 544 };
	struct dom_sid2 sid = { .sid_rev_num = 1, .num_auths = 2,
				.id_auth = { 0, 0, 0, 0, 0, 5 }, .sub_auths = sub };
	struct lsa_SidPtr sids[1] = { { .sid = &sid } };
	struct lsa_TrustInformation dom = { .name = { .string = "BUILTIN" }, .sid = &sid };
	struct lsa_RefDomainList domains = { .count = 1, .domains = &dom, .max_size = 32 };
	struct lsa_TranslatedName2 names[1] = {
		{ .sid_type = LSA_SID_TYPE_ALIAS, .name = { .string = "Administrators" },
		  .sid_index = 0, .flags = 0 },
	};
	struct lsa_LookupSids2_in in = {
		.handle = { .handle_type = 0, .uuid = { { 1, 2, 3 } } },
		.sids = { .num_sids = 1, .sids = sids },
		.names = { .count = 0 },
		.level = LSA_LOOKUP_WKSTA,
		.count = 0,
		.lookup_options = 0,
		.client_revision = LSA_CLIENT_REVISION_2,
	};
	struct lsa_LookupSids2_out out = {
		.domains = &domains,
		.names = { .count = 1, .names = names },
		.count = 1,
		.result = NT_STATUS_OK,
	};
	struct lsa_LookupSids2_in in2;
	struct lsa_LookupSids2_out out2;
	struct wire_dec d;
	u8 *buf, *buf2;
	u32 n, n2;

	(void)state;
	n = ENCODE(buf, lsa_LookupSids2_in_enc(&n_, &in));
	dec_init(&d, buf, n);
	assert_int_equal(lsa_LookupSids2_in_dec(&d, &in2), 0);
	assert_int_equal(d.pos, n);
	assert_int_equal(in2.handle.uuid.b[1], 2);
	assert_int_equal(in2.sids.num_sids, 1);
	assert_int_equal(in2.sids.sids[0].sid->num_auths, 2);
	assert_int_equal(in2.sids.sids[0].sid->sub_auths[1], 544);
	assert_int_equal(in2.sids.sids[0].sid->id_auth[5], 5);
	assert_int_equal(in2.level, LSA_LOOKUP_WKSTA);
	assert_int_equal(in2.client_revision, 2);
	assert_null(in2.names.names);
	free(buf);

	n = ENCODE(buf, lsa_LookupSids2_out_enc(&n_, &in, &out));
	dec_init(&d, buf, n);
	assert_int_equal(lsa_LookupSids2_out_dec(&d, &in2, &out2), 0);
	assert_int_equal(d.pos, n);
	assert_non_null(out2.domains);
	assert_int_equal(out2.domains->count, 1);
	assert_string_equal(out2.domains->domains[0].name.string, "BUILTIN");
	assert_int_equal(out2.domains->domains[0].name.length, 14);
	assert_int_equal(out2.domains->domains[0].name.size, 16);	/* StringLarge */
	assert_int_equal(out2.domains->domains[0].sid->sub_auths[0], 32);
	assert_int_equal(out2.domains->max_size, 32);
	assert_int_equal(out2.names.count, 1);
	assert_string_equal(out2.names.names[0].name.string, "Administrators");
	assert_int_equal(out2.names.names[0].sid_type, LSA_SID_TYPE_ALIAS);
	assert_int_equal(out2.count, 1);
	assert_int_equal(out2.result, 0);
	n2 = ENCODE(buf2, lsa_LookupSids2_out_enc(&n_, &in2, &out2));
	assert_int_equal(n2, n);
	assert_memory_equal(buf, buf2, n);
	free(buf);
	free(buf2);
}

/* ---- Samba xattr blobs (made with samba.ndr.ndr_pack) ---- */

/* DOSATTRIB v5: attrib 0x20, create_time 0x01d0000012345678 */
static const u8 dosattrib_v5[] = {
	0x00, 0x00, 0x05, 0x00, 0x05, 0x00, 0x00, 0x00,
	0x11, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00,
	0x78, 0x56, 0x34, 0x12, 0x00, 0x00, 0xd0, 0x01,
};

/* SD of O:BA G:BU D:(A;;FA;;;WD), self-relative, 80 bytes; the offsets
 * (owner 20, group 36, dacl 52) are patched by the blob builders. */
static const u8 sd_body[] = {
	0x01, 0x00, 0x04, 0x80, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
	0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05,
	0x20, 0x00, 0x00, 0x00, 0x20, 0x02, 0x00, 0x00,
	0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05,
	0x20, 0x00, 0x00, 0x00, 0x21, 0x02, 0x00, 0x00,
	0x04, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x14, 0x00, 0xff, 0x01, 0x1f, 0x00,
	0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x00,
};

/* Samba puts the SD at `at` and counts its offsets from the blob start. */
static void put_sd(u8 *blob, u32 at)
{
	memcpy(blob + at, sd_body, sizeof(sd_body));
	wire_st32(blob + at + 4, at + 20);
	wire_st32(blob + at + 8, at + 36);
	wire_st32(blob + at + 16, at + 52);
}

static void test_dosattrib_v5(void **state)
{
	struct xattr_DOSATTRIB v;
	u8 out[64];
	size_t used = 0;

	(void)state;
	assert_int_equal(xattr_DOSATTRIB_decode(dosattrib_v5, sizeof(dosattrib_v5),
						&arena, &v), 0);
	assert_string_equal(v.attrib_hex, "");
	assert_int_equal(v.version, 5);
	assert_int_equal(v.info.info5.valid_flags, 0x11);
	assert_int_equal(v.info.info5.attrib, 0x20);
	assert_int_equal(v.info.info5.create_time.low, 0x12345678);
	assert_int_equal(v.info.info5.create_time.high, 0x01d00000);
	assert_int_equal(xattr_DOSATTRIB_encode(out, sizeof(out), &v, &used), 0);
	assert_int_equal(used, sizeof(dosattrib_v5));
	assert_memory_equal(out, dosattrib_v5, used);
	/* version 3 with the hex string: "0x20\0" 00 | 03 00 03 00 | pad | arm */
	v.attrib_hex = "0x20";
	v.version = 3;
	memset(&v.info, 0, sizeof(v.info));
	v.info.info3.valid_flags = 1;
	v.info.info3.attrib = 0x20;
	assert_int_equal(xattr_DOSATTRIB_encode(out, sizeof(out), &v, &used), 0);
	assert_int_equal(used, 56);
	assert_memory_equal(out, "0x20\0\0\3\0\3\0\0\0\1\0\0\0\x20\0\0\0", 20);
}

static void test_ntacl_v1_v4(void **state)
{
	u8 v1[8 + sizeof(sd_body)], v4[160 + sizeof(sd_body)], out[512];
	struct xattr_NTACL v;
	size_t used = 0;
	u32 i;

	(void)state;
	/* v1: version, discriminant, referent id, SD at 8 */
	memcpy(v1, "\1\0\1\0\0\0\2\0", 8);
	put_sd(v1, 8);
	assert_int_equal(wire_ld32(v1 + 12), 0x1c);	/* as Samba writes it */
	assert_int_equal(xattr_NTACL_decode(v1, sizeof(v1), &arena, &v), 0);
	assert_int_equal(v.version, 1);
	assert_non_null(v.info.sd);
	assert_int_equal(v.info.sd->offset_owner, 20);	/* rebased to the SD */
	assert_int_equal(v.info.sd->offset_dacl, 52);
	assert_int_equal(v.info.sd->owner_present, 1);
	assert_int_equal(xattr_NTACL_encode(out, sizeof(out), &v, &used), 0);
	assert_int_equal(used, sizeof(v1));
	assert_memory_equal(out, v1, used);

	/* v4 as Samba 4.x writes it: SD at 0xa0 */
	memset(v4, 0, sizeof(v4));
	memcpy(v4, "\4\0\4\0\0\0\2\0\4\0\2\0\1\0", 14);
	memcpy(v4 + 78, "posix_acl", 10);
	wire_st32(v4 + 88, 0x12345678);
	wire_st32(v4 + 92, 0x01d00000);
	for (i = 0; i < 64; i++)
		v4[96 + i] = (u8)i;
	put_sd(v4, 160);
	assert_int_equal(xattr_NTACL_decode(v4, sizeof(v4), &arena, &v), 0);
	assert_int_equal(v.version, 4);
	assert_int_equal(v.info.sd_hs4->hash_type, XATTR_SD_HASH_TYPE_SHA256);
	assert_string_equal(v.info.sd_hs4->description, "posix_acl");
	assert_int_equal(v.info.sd_hs4->time.low, 0x12345678);
	assert_int_equal(v.info.sd_hs4->sys_acl_hash[63], 63);
	assert_non_null(v.info.sd_hs4->sd);
	assert_int_equal(v.info.sd_hs4->sd->offset_group, 36);
	assert_int_equal(xattr_NTACL_encode(out, sizeof(out), &v, &used), 0);
	assert_int_equal(used, sizeof(v4));
	assert_memory_equal(out, v4, used);

	/* an SD offset that points before the SD is refused */
	wire_st32(v1 + 12, 4);
	assert_int_equal(xattr_NTACL_decode(v1, sizeof(v1), &arena, &v), -WIRE_EBOUNDS);
	/* version 5 has no arm */
	v4[0] = v4[2] = 5;
	assert_int_equal(xattr_NTACL_decode(v4, sizeof(v4), &arena, &v), -WIRE_ESWITCH);
}

/* ---- real stubs captured from Samba ---- */

static const u8 *stub(const u8 *pdu, size_t len, u32 *slen)
{
	assert_true(len >= STUB_OFFSET);
	assert_int_equal(wire_ld16(pdu + 8), len);	/* frag_length */
	assert_int_equal(wire_ld16(pdu + 10), 0);	/* no auth trailer */
	*slen = (u32)len - STUB_OFFSET;
	return pdu + STUB_OFFSET;
}

static void test_fixture_share_enum(void **state)
{
	struct srvsvc_NetrShareEnum_in in;
	struct srvsvc_NetrShareEnum_out out;
	struct wire_dec d;
	size_t qlen, slen;
	u8 *q = load("srvsvc_netshareenumall_req", &qlen);
	u8 *s = load("srvsvc_netshareenumall_rsp", &slen);
	const u8 *p;
	u32 n;

	(void)state;
	if (!q || !s) {
		free(q);
		free(s);
		skip();
	}
	assert_int_equal(wire_ld16(q + 22), 15);	/* opnum */
	p = stub(q, qlen, &n);
	dec_init(&d, p, n);
	assert_int_equal(srvsvc_NetrShareEnum_in_dec(&d, &in), 0);
	assert_int_equal(d.pos, n);
	assert_int_equal(in.info_ctr.level, 1);
	p = stub(s, slen, &n);
	dec_init(&d, p, n);
	assert_int_equal(srvsvc_NetrShareEnum_out_dec(&d, &in, &out), 0);
	assert_int_equal(d.pos, n);
	assert_int_equal(out.info_ctr.level, 1);
	assert_int_equal(out.info_ctr.ctr.ctr1->count, 2);
	assert_string_equal(out.info_ctr.ctr.ctr1->array[0].name, "share");
	assert_int_equal(out.info_ctr.ctr.ctr1->array[0].type, 0);
	assert_string_equal(out.info_ctr.ctr.ctr1->array[1].name, "IPC$");
	assert_int_equal(out.info_ctr.ctr.ctr1->array[1].type, 0x80000003);
	assert_int_equal(out.totalentries, 2);
	assert_int_equal(out.result, 0);
	free(q);
	free(s);
}

static void test_fixture_lookup_sids(void **state)
{
	struct lsa_LookupSids_in in;
	struct lsa_LookupSids_out out;
	struct wire_dec d;
	size_t qlen, slen;
	u8 *q = load("lsarpc_lookupsids_req", &qlen);
	u8 *s = load("lsarpc_lookupsids_rsp", &slen);
	const u8 *p;
	u32 n;

	(void)state;
	if (!q || !s) {
		free(q);
		free(s);
		skip();
	}
	assert_int_equal(wire_ld16(q + 22), 15);
	p = stub(q, qlen, &n);
	dec_init(&d, p, n);
	assert_int_equal(lsa_LookupSids_in_dec(&d, &in), 0);
	assert_int_equal(d.pos, n);
	assert_int_equal(in.handle.handle_type, 1);
	assert_int_equal(in.sids.num_sids, 1);
	assert_int_equal(in.sids.sids[0].sid->num_auths, 2);
	assert_int_equal(in.sids.sids[0].sid->sub_auths[0], 32);
	assert_int_equal(in.sids.sids[0].sid->sub_auths[1], 544);
	assert_int_equal(in.names.count, 0);
	assert_int_equal(in.level, 1);
	p = stub(s, slen, &n);
	dec_init(&d, p, n);
	assert_int_equal(lsa_LookupSids_out_dec(&d, &in, &out), 0);
	assert_int_equal(d.pos, n);
	assert_non_null(out.domains);
	assert_int_equal(out.domains->count, 1);
	assert_int_equal(out.domains->domains[0].name.length, 14);
	assert_int_equal(out.domains->domains[0].name.size, 16);
	assert_string_equal(out.domains->domains[0].name.string, "BUILTIN");
	assert_int_equal(out.names.count, 1);
	assert_string_equal(out.names.names[0].name.string, "Administrators");
	assert_int_equal(out.result, 0);
	free(q);
	free(s);
}

/* Every strict prefix of a real request is a truncated stub. */
static void test_truncated(void **state)
{
	static const char *const names[] = {
		"srvsvc_netshareenumall_req", "srvsvc_netsharegetinfo_level502_req",
		"lsarpc_lookupsids_req", "lsarpc_lookupnames_req",
		"samr_lookupnames_req", "samr_connect5_req",
	};
	u32 k, cut, n;

	(void)state;
	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		size_t len;
		u8 *q = load(names[k], &len);
		const struct wire_ndr_iface *it;
		const struct wire_ndr_call *c;
		const u8 *p;

		if (!q)
			continue;
		it = names[k][0] == 's' && names[k][1] == 'r' ? &srvsvc_ndr_iface :
		     names[k][0] == 'l' ? &lsarpc_ndr_iface : &samr_ndr_iface;
		c = wire_ndr_find_call(it, wire_ld16(q + 22));
		assert_non_null(c);
		p = stub(q, len, &n);
		for (cut = 0; cut < n; cut++) {
			void *in = calloc(1, c->in_size);
			struct wire_dec d;
			u8 *copy = malloc(cut ? cut : 1);

			memcpy(copy, p, cut);
			dec_init(&d, copy, cut);
			assert_int_equal(c->in_dec(&d, in), -WIRE_ETRUNC);
			free(copy);
			free(in);
		}
		free(q);
	}
}

/* samr LookupDomainInSamServer: handle, lsa_String {length, size, ptr},
 * then the deferred max_count, offset, actual_count and characters. */
static u32 lookup_domain_stub(u8 *b, u32 max, u32 off, u32 actual)
{
	u32 i;

	memset(b, 0, 64);
	wire_st16(b + 20, 8);
	wire_st16(b + 22, 8);
	wire_st32(b + 24, 0x00020000);
	wire_st32(b + 28, max);
	wire_st32(b + 32, off);
	wire_st32(b + 36, actual);
	for (i = 0; i < 4; i++)
		wire_st16(b + 40 + 2 * i, 'A' + i);
	return 48;
}

static void test_malformed(void **state)
{
	struct samr_LookupDomainInSamServer_in ld;
	struct srvsvc_NetrShareEnum_in se;
	struct srvsvc_NetrShareGetInfo_in gi = { .level = 1 };
	struct srvsvc_NetrShareGetInfo_out go;
	struct lsa_LookupSids_in ls;
	struct wire_dec d;
	u8 b[128];
	u32 n;
	int present;

	(void)state;
	/* well formed first */
	n = lookup_domain_stub(b, 4, 0, 4);
	dec_init(&d, b, n);
	assert_int_equal(samr_LookupDomainInSamServer_in_dec(&d, &ld), 0);
	assert_string_equal(ld.domain_name.string, "ABCD");
	/* length_is > size_is */
	n = lookup_domain_stub(b, 3, 0, 4);
	dec_init(&d, b, n);
	assert_int_equal(samr_LookupDomainInSamServer_in_dec(&d, &ld), -WIRE_EBOUNDS);
	/* non-zero offset of the varying array */
	n = lookup_domain_stub(b, 4, 1, 4);
	dec_init(&d, b, n);
	assert_int_equal(samr_LookupDomainInSamServer_in_dec(&d, &ld), -WIRE_EVALUE);
	/* max_count that disagrees with size / 2 */
	n = lookup_domain_stub(b, 5, 0, 4);
	dec_init(&d, b, n);
	assert_int_equal(samr_LookupDomainInSamServer_in_dec(&d, &ld), -WIRE_EBOUNDS);

	/* huge max_count with few bytes: lsa_SidArray of 20480 SIDs */
	memset(b, 0, sizeof(b));
	wire_st32(b + 20, 20480);
	wire_st32(b + 24, 0x00020000);
	wire_st32(b + 28, 20480);
	dec_init(&d, b, 40);
	assert_int_equal(lsa_LookupSids_in_dec(&d, &ls), -WIRE_ETRUNC);
	/* and one above range() */
	wire_st32(b + 20, 20481);
	dec_init(&d, b, 40);
	assert_int_equal(lsa_LookupSids_in_dec(&d, &ls), -WIRE_ERANGE);

	/* a [string] without its NUL: server_unc "ab" */
	memset(b, 0, sizeof(b));
	wire_st32(b, 0x00020000);
	wire_st32(b + 4, 2);
	wire_st32(b + 12, 2);
	wire_st16(b + 16, 'a');
	wire_st16(b + 18, 'b');
	dec_init(&d, b, 64);
	assert_int_equal(srvsvc_NetrShareEnum_in_dec(&d, &se), -WIRE_EVALUE);
	/* an empty [string] (actual_count 0) */
	wire_st32(b + 4, 0);
	wire_st32(b + 12, 0);
	dec_init(&d, b, 64);
	assert_int_equal(srvsvc_NetrShareEnum_in_dec(&d, &se), -WIRE_EVALUE);

	/* bad union level: level 1, discriminant 2 */
	memset(b, 0, sizeof(b));
	wire_st32(b, 0);		/* server_unc NULL */
	wire_st32(b + 4, 1);		/* level */
	wire_st32(b + 8, 2);		/* discriminant */
	dec_init(&d, b, 32);
	assert_int_equal(srvsvc_NetrShareEnum_in_dec(&d, &se), -WIRE_ESWITCH);
	/* NetrShareGetInfo out: the level comes from the request */
	wire_st32(b, 2);
	wire_st32(b + 4, 0);
	dec_init(&d, b, 12);
	assert_int_equal(srvsvc_NetrShareGetInfo_out_dec(&d, &gi, &go), -WIRE_ESWITCH);
	/* lsa PolicyInformation has no arm for level 2 */
	{
		struct lsa_QueryInformationPolicy_in qi = { .level = 2 };
		struct lsa_QueryInformationPolicy_out qo;

		wire_st32(b, 0x00020000);
		wire_st16(b + 4, 2);
		dec_init(&d, b, 16);
		assert_int_equal(lsa_QueryInformationPolicy_out_dec(&d, &qi, &qo),
				 -WIRE_ESWITCH);
	}

	/* a zero referent id for a [ref] pointer */
	memset(b, 0, 4);
	dec_init(&d, b, 4);
	assert_int_equal(wire_ndr_ptr(&d, 1, &present), -WIRE_EVALUE);
	dec_init(&d, b, 4);
	assert_int_equal(wire_ndr_ptr(&d, 0, &present), 0);
	assert_int_equal(present, 0);

	/* the arena limit */
	{
		struct wire_arena small;

		wire_arena_init(&small, 32);
		n = lookup_domain_stub(b, 4, 0, 4);
		dec_init(&d, b, n);
		d.arena = &small;
		assert_int_equal(samr_LookupDomainInSamServer_in_dec(&d, &ld), -WIRE_ENOMEM);
		wire_arena_free(&small);
	}
}

static void test_utf(void **state)
{
	/* lone surrogates decode to U+FFFD, bad UTF-8 encodes as U+FFFD */
	static const u8 s16[] = { 0x00, 0xd8, 0x41, 0x00, 0x3d, 0xd8, 0x00, 0xde, 0x00, 0xdc };
	struct wire_ndr_enc n;
	struct wire_dec d;
	const char *out;
	u8 buf[16];

	(void)state;
	dec_init(&d, s16, sizeof(s16));
	assert_int_equal(wire_ndr_utf16(&d, 5, &out), 0);
	assert_string_equal(out, "\xef\xbf\xbd" "A" "\xf0\x9f\x98\x80" "\xef\xbf\xbd");
	assert_int_equal(wire_utf8_utf16_len("\xff" "a" "\xe2\x82"), 3);
	assert_int_equal(wire_utf8_utf16_len("\xf0\x9f\x98\x80"), 2);
	wire_ndr_enc_init(&n, buf, sizeof(buf));
	assert_int_equal(wire_ndr_put_utf16(&n, "\xed\xa0\x80" "b", 2), 0);
	assert_int_equal(wire_ld16(buf), 0xfffd);
	assert_int_equal(wire_ld16(buf + 2), 'b');
	wire_ndr_enc_init(&n, buf, sizeof(buf));
	assert_int_equal(wire_ndr_put_utf16(&n, "abc", 2), -WIRE_EVALUE);
}

static void test_dispatch_table(void **state)
{
	const struct wire_ndr_call *c;

	(void)state;
	/* 4b324fc8-1670-01d3-1278-5a47bf6ee188 in wire order */
	assert_int_equal(srvsvc_ndr_iface.uuid[0], 0xc8);
	assert_int_equal(srvsvc_ndr_iface.uuid[4], 0x70);
	assert_int_equal(srvsvc_ndr_iface.uuid[6], 0xd3);
	assert_int_equal(srvsvc_ndr_iface.uuid[8], 0x12);
	assert_int_equal(srvsvc_ndr_iface.ver_major, 3);
	c = wire_ndr_find_call(&srvsvc_ndr_iface, 16);
	assert_non_null(c);
	assert_string_equal(c->name, "srvsvc_NetrShareGetInfo");
	assert_null(wire_ndr_find_call(&srvsvc_ndr_iface, 17));
	assert_non_null(wire_ndr_find_call(&samr_ndr_iface, 64));
	assert_non_null(wire_ndr_find_call(&lsarpc_ndr_iface, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_share_enum_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lookup_sids2_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dosattrib_v5, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ntacl_v1_v4, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fixture_share_enum, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fixture_lookup_sids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_utf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dispatch_table, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
