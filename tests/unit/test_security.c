// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * security.idl (MS-DTYP 2.4): SIDs, ACEs, ACLs and self-relative security
 * descriptors built in C, encoded, compared with byte images written from
 * the MS-DTYP layouts, decoded back; the MS-DTYP SID fixture re-encoded;
 * hostile input (truncation, sizes past the end, offsets into the header,
 * overlapping parts, huge counts, unknown union level, short buffers).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "security.h"
#include "wire_test.h"

/* -- helpers ------------------------------------------------------------ */

/* Decode, re-encode: the same bytes. */

/* -- values -------------------------------------------------------------- */

static const u32 admins_sa[2] = { 32, 544 };		/* S-1-5-32-544 */
static const u32 user_sa[5] = { 21, 0x11223344, 0x55667788, 0x99aabbcc, 1000 };
static const u32 world_sa[1] = { 0 };			/* S-1-1-0 */
static const u32 high_sa[1] = { 0x3000 };		/* S-1-16-12288 */

#define SID_ADMINS \
	0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, \
	0x20, 0x00, 0x00, 0x00, 0x20, 0x02, 0x00, 0x00
#define SID_USER \
	0x01, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, \
	0x15, 0x00, 0x00, 0x00, 0x44, 0x33, 0x22, 0x11, \
	0x88, 0x77, 0x66, 0x55, 0xcc, 0xbb, 0xaa, 0x99, \
	0xe8, 0x03, 0x00, 0x00
#define SID_WORLD \
	0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00
#define SID_HIGH \
	0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x30, 0x00, 0x00

static void mk_sid(struct dom_sid *s, u8 auth, const u32 *sa, u32 n)
{
	memset(s, 0, sizeof(*s));
	s->revision = 1;
	s->identifier_authority[5] = auth;
	s->sub_authority.items = sa;
	s->sub_authority.count = n;
}

static void mk_allowed(struct security_ace *a, u8 type, u8 flags, u32 mask,
		       u8 auth, const u32 *sa, u32 n)
{
	memset(a, 0, sizeof(*a));
	a->type = type;
	a->flags = flags;
	a->body.allowed.mask = mask;
	mk_sid(&a->body.allowed.sid, auth, sa, n);
}

/* -- SIDs ----------------------------------------------------------------- */

static void test_sid_builtin_admins(void **state)
{
	static const u8 exp[] = { SID_ADMINS };
	struct dom_sid v, o;

	(void)state;
	mk_sid(&v, 5, admins_sa, 2);
	ENC_CHECK(dom_sid, &v, exp, sizeof(exp));
	DEC_OK(dom_sid, exp, sizeof(exp), &o);
	assert_int_equal(o.revision, 1);
	assert_int_equal(o.sub_authority_count, 2);
	assert_int_equal(o.identifier_authority[5], 5);
	assert_int_equal(o.sub_authority.count, 2);
	assert_int_equal(wire_seq_u32(&o.sub_authority, 0), 32);
	assert_int_equal(wire_seq_u32(&o.sub_authority, 1), 544);
	TRUNC_ALL(dom_sid, exp, 8);
	/* sub-authorities missing: every length from 8 to 15 */
	{
		size_t n;

		for (n = 8; n < sizeof(exp); n++)
			DEC_RC(dom_sid, exp, n, &o, -WIRE_ETRUNC);
	}
}

static void test_sid_domain_user(void **state)
{
	static const u8 exp[] = { SID_USER };
	struct dom_sid v, o;

	(void)state;
	mk_sid(&v, 5, user_sa, 5);
	ENC_CHECK(dom_sid, &v, exp, sizeof(exp));
	DEC_OK(dom_sid, exp, sizeof(exp), &o);
	assert_int_equal(o.sub_authority_count, 5);
	assert_int_equal(wire_seq_u32(&o.sub_authority, 1), 0x11223344);
	assert_int_equal(wire_seq_u32(&o.sub_authority, 4), 1000);
}

static void test_sid_fixture(void **state)
{
	u32 len;
	u8 *b = slurp("ms-spec/dtyp_sid_s_1_5_32_544.bin", &len);
	static const u8 exp[] = { SID_ADMINS };

	(void)state;
	/* canonical: a SID has no padding or reserved bits */
	assert_int_equal(len, sizeof(exp));
	assert_memory_equal(b, exp, len);
	REENCODE_SAME(dom_sid, b, len);
	free(b);
}

static void test_sid_hostile(void **state)
{
	u8 b[8 + 16 * 4];
	struct dom_sid o;

	(void)state;
	memset(b, 0, sizeof(b));
	b[0] = 1;
	b[7] = 5;
	/* more sub-authorities than MS-DTYP allows (15): range(0, 15) */
	b[1] = 255;
	DEC_RC(dom_sid, b, sizeof(b), &o, -WIRE_ERANGE);
	b[1] = 16;
	DEC_RC(dom_sid, b, sizeof(b), &o, -WIRE_ERANGE);
	/* 15 is allowed, but its 60 bytes must be there */
	b[1] = 15;
	if (sizeof(b) >= 8 + 60) {
		DEC_OK(dom_sid, b, 8 + 60, &o);
		assert_int_equal(o.sub_authority.count, 15);
	}
	DEC_RC(dom_sid, b, 8 + 59 < sizeof(b) ? 8 + 59 : sizeof(b), &o, -WIRE_ETRUNC);
}

/* -- ACEs ----------------------------------------------------------------- */

static void test_ace_allowed(void **state)
{
	static const u8 exp[] = {
		0x00, 0x03, 0x18, 0x00,		/* ALLOWED, OI|CI, size 24 */
		0xff, 0x01, 0x1f, 0x00,		/* FILE_ALL_ACCESS */
		SID_ADMINS,
	};
	struct security_ace v, o;

	(void)state;
	mk_allowed(&v, SEC_ACCESS_ALLOWED_ACE_TYPE,
		   SEC_OBJECT_INHERIT_ACE | SEC_CONTAINER_INHERIT_ACE,
		   SEC_FILE_ALL_ACCESS, 5, admins_sa, 2);
	ENC_CHECK(security_ace, &v, exp, sizeof(exp));
	DEC_OK(security_ace, exp, sizeof(exp), &o);
	assert_int_equal(o.type, 0);
	assert_int_equal(o.flags, 3);
	assert_int_equal(o.ace_size, 24);
	assert_int_equal(o.body.allowed.mask, 0x1f01ff);
	assert_int_equal(wire_seq_u32(&o.body.allowed.sid.sub_authority, 1), 544);
	TRUNC_ALL(security_ace, exp, 4);
	/* any cut inside the ACE: AceSize is past the end */
	{
		size_t n;

		for (n = 4; n < sizeof(exp); n++)
			DEC_RC(security_ace, exp, n, &o, -WIRE_EBOUNDS);
	}
	/* AceSize smaller than the header */
	{
		u8 b[sizeof(exp)];

		memcpy(b, exp, sizeof(b));
		b[2] = 2;
		DEC_RC(security_ace, b, sizeof(b), &o, -WIRE_EBOUNDS);
		/* AceSize too small for its SID */
		b[2] = 20;
		DEC_RC(security_ace, b, sizeof(b), &o, -WIRE_ETRUNC);
	}
}

static void test_ace_denied_user(void **state)
{
	static const u8 exp[] = {
		0x01, 0x10, 0x24, 0x00,		/* DENIED, INHERITED, size 36 */
		0x16, 0x01, 0x12, 0x00,		/* FILE_GENERIC_WRITE */
		SID_USER,
	};
	struct security_ace v, o;

	(void)state;
	mk_allowed(&v, SEC_ACCESS_DENIED_ACE_TYPE, SEC_INHERITED_ACE,
		   SEC_FILE_GENERIC_WRITE, 5, user_sa, 5);
	ENC_CHECK(security_ace, &v, exp, sizeof(exp));
	DEC_OK(security_ace, exp, sizeof(exp), &o);
	assert_int_equal(o.body.denied.mask, 0x120116);
	assert_int_equal(o.body.denied.sid.sub_authority_count, 5);
}

static void test_ace_object(void **state)
{
	static const u8 exp[] = {
		0x05, 0x00, 0x28, 0x00,		/* ALLOWED_OBJECT, size 40 */
		0x00, 0x01, 0x00, 0x00,		/* mask: ADS_RIGHT_DS_CONTROL_ACCESS */
		0x01, 0x00, 0x00, 0x00,		/* ACE_OBJECT_TYPE_PRESENT */
		0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
		0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
		SID_WORLD,
	};
	struct security_ace v, o;
	int i;

	(void)state;
	memset(&v, 0, sizeof(v));
	v.type = SEC_ACCESS_ALLOWED_OBJECT_ACE_TYPE;
	v.body.allowed_object.mask = 0x100;
	v.body.allowed_object.object_flags = SEC_ACE_OBJECT_TYPE_PRESENT;
	for (i = 0; i < 16; i++)
		v.body.allowed_object.types.object_type.b[i] = (u8)(0x10 + i);
	mk_sid(&v.body.allowed_object.sid, 1, world_sa, 1);
	ENC_CHECK(security_ace, &v, exp, sizeof(exp));
	DEC_OK(security_ace, exp, sizeof(exp), &o);
	assert_int_equal(o.body.allowed_object.object_flags, 1);
	assert_memory_equal(o.body.allowed_object.types.object_type.b, exp + 12, 16);
	assert_int_equal(o.body.allowed_object.sid.identifier_authority[5], 1);

	/* both GUIDs (flags 3): 16 more bytes */
	{
		static const u8 exp3[] = {
			0x06, 0x00, 0x38, 0x00,	/* DENIED_OBJECT, size 56 */
			0x00, 0x01, 0x00, 0x00,
			0x03, 0x00, 0x00, 0x00,
			0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
			0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
			0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27,
			0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f,
			SID_WORLD,
		};

		memset(&v, 0, sizeof(v));
		v.type = SEC_ACCESS_DENIED_OBJECT_ACE_TYPE;
		v.body.denied_object.mask = 0x100;
		v.body.denied_object.object_flags = 3;
		for (i = 0; i < 16; i++) {
			v.body.denied_object.types.both.object_type.b[i] = (u8)(0x10 + i);
			v.body.denied_object.types.both.inherited_object_type.b[i] = (u8)(0x20 + i);
		}
		mk_sid(&v.body.denied_object.sid, 1, world_sa, 1);
		ENC_CHECK(security_ace, &v, exp3, sizeof(exp3));
		DEC_OK(security_ace, exp3, sizeof(exp3), &o);
		assert_memory_equal(o.body.denied_object.types.both.inherited_object_type.b,
				    exp3 + 28, 16);
	}
}

static void test_ace_callback_and_label(void **state)
{
	static const u8 exp_cb[] = {
		0x09, 0x00, 0x18, 0x00,		/* ALLOWED_CALLBACK, size 24 */
		0xa9, 0x00, 0x12, 0x00,		/* FILE_GENERIC_READ|EXECUTE */
		SID_WORLD,
		0x61, 0x72, 0x74, 0x78,		/* "artx" conditional expression */
	};
	static const u8 exp_ml[] = {
		0x11, 0x00, 0x14, 0x00,		/* MANDATORY_LABEL, size 20 */
		0x01, 0x00, 0x00, 0x00,		/* NO_WRITE_UP */
		SID_HIGH,
	};
	static const u8 artx[4] = { 0x61, 0x72, 0x74, 0x78 };
	struct security_ace v, o;

	(void)state;
	memset(&v, 0, sizeof(v));
	v.type = SEC_ACCESS_ALLOWED_CALLBACK_ACE_TYPE;
	v.body.allowed_callback.mask = 0x1200a9;
	mk_sid(&v.body.allowed_callback.sid, 1, world_sa, 1);
	v.body.allowed_callback.application_data.p = artx;
	v.body.allowed_callback.application_data.len = 4;
	ENC_CHECK(security_ace, &v, exp_cb, sizeof(exp_cb));
	DEC_OK(security_ace, exp_cb, sizeof(exp_cb), &o);
	assert_int_equal(o.body.allowed_callback.application_data.len, 4);
	assert_memory_equal(o.body.allowed_callback.application_data.p, artx, 4);

	mk_allowed(&v, SEC_SYSTEM_MANDATORY_LABEL_ACE_TYPE, 0,
		   SEC_MANDATORY_LABEL_NO_WRITE_UP, 16, high_sa, 1);
	ENC_CHECK(security_ace, &v, exp_ml, sizeof(exp_ml));
	DEC_OK(security_ace, exp_ml, sizeof(exp_ml), &o);
	assert_int_equal(wire_seq_u32(&o.body.mandatory_label.sid.sub_authority, 0), 0x3000);
}

static void test_ace_unknown_type_raw(void **state)
{
	/* type 0x40 has no layout: its body is kept raw and re-encoded as is */
	static const u8 exp[] = { 0x40, 0x00, 0x08, 0x00, 1, 2, 3, 4 };
	struct security_ace o;

	(void)state;
	DEC_OK(security_ace, exp, sizeof(exp), &o);
	assert_int_equal(o.body.raw.len, 4);
	REENCODE_SAME(security_ace, exp, sizeof(exp));
}

static void test_object_ace_types_switch(void **state)
{
	static const u8 b[32] = { 0 };
	union security_object_ace_types t;
	struct wire_dec d;

	(void)state;
	wire_dec_init(&d, b, sizeof(b));
	assert_int_equal(security_object_ace_types_dec(&d, 3, &t), 0);
	wire_dec_init(&d, b, sizeof(b));
	/* no default arm: an unknown level */
	assert_int_equal(security_object_ace_types_dec(&d, 4, &t), -WIRE_ESWITCH);
	wire_dec_init(&d, b, 31);
	assert_int_equal(security_object_ace_types_dec(&d, 3, &t), -WIRE_ETRUNC);
}

/* -- ACL ------------------------------------------------------------------ */

#define ACL_2 \
	0x02, 0x00, 0x44, 0x00,		/* revision 2, size 68 */ \
	0x02, 0x00, 0x00, 0x00,		/* 2 ACEs */ \
	0x00, 0x03, 0x18, 0x00, 0xff, 0x01, 0x1f, 0x00, SID_ADMINS, \
	0x00, 0x00, 0x24, 0x00, 0xa9, 0x00, 0x12, 0x00, SID_USER

static void mk_acl(struct security_acl *acl, struct security_ace aces[2])
{
	mk_allowed(&aces[0], SEC_ACCESS_ALLOWED_ACE_TYPE,
		   SEC_OBJECT_INHERIT_ACE | SEC_CONTAINER_INHERIT_ACE,
		   SEC_FILE_ALL_ACCESS, 5, admins_sa, 2);
	mk_allowed(&aces[1], SEC_ACCESS_ALLOWED_ACE_TYPE, 0,
		   SEC_FILE_GENERIC_READ | SEC_FILE_GENERIC_EXECUTE, 5, user_sa, 5);
	memset(acl, 0, sizeof(*acl));
	acl->revision = SEC_ACL_REVISION;
	acl->aces.items = aces;
	acl->aces.count = 2;
}

static void test_acl(void **state)
{
	static const u8 exp[] = { ACL_2 };
	struct security_ace aces[2], a;
	struct security_acl v, o;
	struct wire_seq_iter it;

	(void)state;
	mk_acl(&v, aces);
	ENC_CHECK(security_acl, &v, exp, sizeof(exp));
	DEC_OK(security_acl, exp, sizeof(exp), &o);
	assert_int_equal(o.acl_size, 68);
	assert_int_equal(o.ace_count, 2);
	assert_int_equal(o.aces.count, 2);
	assert_int_equal(o.slack.len, 0);
	wire_seq_iter_init(&it, &o.aces);
	assert_int_equal(security_ace_seq_next(&it, &a), 1);
	assert_int_equal(a.body.allowed.mask, 0x1f01ff);
	assert_int_equal(security_ace_seq_next(&it, &a), 1);
	assert_int_equal(wire_seq_u32(&a.body.allowed.sid.sub_authority, 4), 1000);
	assert_int_equal(security_ace_seq_next(&it, &a), 0);
	REENCODE_SAME(security_acl, exp, sizeof(exp));
	TRUNC_ALL(security_acl, exp, 8);

	/* empty ACL */
	{
		static const u8 e0[] = { 0x02, 0, 0x08, 0, 0, 0, 0, 0 };

		v.aces.items = NULL;
		v.aces.count = 0;
		ENC_CHECK(security_acl, &v, e0, sizeof(e0));
	}
}

static void test_acl_hostile(void **state)
{
	static const u8 exp[] = { ACL_2 };
	u8 b[sizeof(exp)];
	struct security_acl o;
	size_t n;

	(void)state;
	/* AclSize past the end of the buffer */
	for (n = 8; n < sizeof(exp); n++)
		DEC_RC(security_acl, exp, n, &o, -WIRE_EBOUNDS);
	/* AclSize below the header */
	memcpy(b, exp, sizeof(b));
	b[2] = 4;
	DEC_RC(security_acl, b, sizeof(b), &o, -WIRE_EBOUNDS);
	/* huge AceCount with few bytes */
	memcpy(b, exp, sizeof(b));
	b[4] = 0xff;
	b[5] = 0xff;
	DEC_RC(security_acl, b, sizeof(b), &o, -WIRE_ETRUNC);
	/* AclSize cuts the second ACE: its AceSize is past the ACL */
	memcpy(b, exp, sizeof(b));
	b[2] = 60;
	DEC_RC(security_acl, b, sizeof(b), &o, -WIRE_EBOUNDS);
	/* ACL larger than its ACEs: the slack is kept */
	{
		u8 s[sizeof(exp) + 4];

		memcpy(s, exp, sizeof(exp));
		memset(s + sizeof(exp), 0, 4);
		s[2] = sizeof(s);
		DEC_OK(security_acl, s, sizeof(s), &o);
		assert_int_equal(o.slack.len, 4);
		REENCODE_SAME(security_acl, s, sizeof(s));
	}
}

/* -- security descriptor ---------------------------------------------------- */

/* owner S-1-5-32-544 at 20, group S-1-5-21-..-1000 at 36, no SACL, DACL at 64 */
static const u8 sd_exp[] = {
	0x01, 0x00, 0x04, 0x80,		/* revision 1, SELF_RELATIVE|DACL_PRESENT */
	0x14, 0x00, 0x00, 0x00,		/* owner 20 */
	0x24, 0x00, 0x00, 0x00,		/* group 36 */
	0x00, 0x00, 0x00, 0x00,		/* SACL absent */
	0x40, 0x00, 0x00, 0x00,		/* DACL 64 */
	SID_ADMINS,
	SID_USER,
	ACL_2,
};

static void test_sd(void **state)
{
	struct security_ace aces[2];
	struct security_descriptor v, o;

	(void)state;
	assert_int_equal(sizeof(sd_exp), 132);
	memset(&v, 0, sizeof(v));
	v.revision = SEC_DESCRIPTOR_REVISION;
	v.control = SEC_SE_SELF_RELATIVE | SEC_SE_DACL_PRESENT;
	v.owner_present = 1;
	mk_sid(&v.owner, 5, admins_sa, 2);
	v.group_present = 1;
	mk_sid(&v.group, 5, user_sa, 5);
	v.dacl_present = 1;
	mk_acl(&v.dacl, aces);
	ENC_CHECK(security_descriptor, &v, sd_exp, sizeof(sd_exp));

	DEC_OK(security_descriptor, sd_exp, sizeof(sd_exp), &o);
	assert_int_equal(o.control, 0x8004);
	assert_int_equal(o.offset_owner, 20);
	assert_int_equal(o.offset_group, 36);
	assert_int_equal(o.offset_sacl, 0);
	assert_int_equal(o.offset_dacl, 64);
	assert_true(o.owner_present);
	assert_true(o.group_present);
	assert_false(o.sacl_present);
	assert_true(o.dacl_present);
	assert_int_equal(wire_seq_u32(&o.owner.sub_authority, 1), 544);
	assert_int_equal(wire_seq_u32(&o.group.sub_authority, 4), 1000);
	assert_int_equal(o.dacl.ace_count, 2);
	REENCODE_SAME(security_descriptor, sd_exp, sizeof(sd_exp));
	TRUNC_ALL(security_descriptor, sd_exp, 20);

	/* header only: everything absent */
	{
		static const u8 e0[20] = { 0x01, 0x00, 0x00, 0x80 };

		memset(&v, 0, sizeof(v));
		v.revision = 1;
		v.control = SEC_SE_SELF_RELATIVE;
		ENC_CHECK(security_descriptor, &v, e0, sizeof(e0));
		DEC_OK(security_descriptor, e0, sizeof(e0), &o);
		assert_false(o.owner_present || o.group_present ||
			     o.sacl_present || o.dacl_present);
	}
}

static void test_sd_with_sacl(void **state)
{
	/* owner, SACL with one audit ACE; encoder order owner, group, SACL, DACL */
	static const u8 exp[] = {
		0x01, 0x00, 0x10, 0x80,		/* SELF_RELATIVE|SACL_PRESENT */
		0x14, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00,
		0x24, 0x00, 0x00, 0x00,		/* SACL at 36 */
		0x00, 0x00, 0x00, 0x00,
		SID_ADMINS,
		0x02, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00, 0x00,	/* 28 bytes, 1 ACE */
		0x02, 0xc0, 0x14, 0x00,		/* AUDIT, SUCCESS|FAILED, 20 */
		0x00, 0x00, 0x01, 0x00,		/* DELETE */
		SID_WORLD,
	};
	struct security_ace ace;
	struct security_descriptor v, o;

	(void)state;
	memset(&v, 0, sizeof(v));
	v.revision = 1;
	v.control = SEC_SE_SELF_RELATIVE | SEC_SE_SACL_PRESENT;
	v.owner_present = 1;
	mk_sid(&v.owner, 5, admins_sa, 2);
	v.sacl_present = 1;
	v.sacl.revision = 2;
	mk_allowed(&ace, SEC_SYSTEM_AUDIT_ACE_TYPE,
		   SEC_SUCCESSFUL_ACCESS_ACE_FLAG | SEC_FAILED_ACCESS_ACE_FLAG,
		   SEC_DELETE, 1, world_sa, 1);
	v.sacl.aces.items = &ace;
	v.sacl.aces.count = 1;
	ENC_CHECK(security_descriptor, &v, exp, sizeof(exp));
	DEC_OK(security_descriptor, exp, sizeof(exp), &o);
	assert_true(o.sacl_present);
	assert_false(o.dacl_present);
	assert_false(o.group_present);
	assert_int_equal(o.sacl.ace_count, 1);
}

static void test_sd_hostile(void **state)
{
	u8 b[sizeof(sd_exp)];
	struct security_descriptor o;

	(void)state;
	/* owner offset pointing back into the 20-byte header */
	memcpy(b, sd_exp, sizeof(b));
	b[4] = 8;
	DEC_RC(security_descriptor, b, sizeof(b), &o, -WIRE_EOVERLAP);
	b[4] = 19;
	DEC_RC(security_descriptor, b, sizeof(b), &o, -WIRE_EOVERLAP);
	/* DACL offset at / past the end */
	memcpy(b, sd_exp, sizeof(b));
	b[16] = sizeof(sd_exp);
	DEC_RC(security_descriptor, b, sizeof(b), &o, -WIRE_EBOUNDS);
	b[16] = 0xff;
	b[17] = 0xff;
	b[18] = 0xff;
	b[19] = 0xff;
	DEC_RC(security_descriptor, b, sizeof(b), &o, -WIRE_EBOUNDS);
	/* the DACL's AclSize runs past the descriptor */
	DEC_RC(security_descriptor, sd_exp, sizeof(sd_exp) - 1, &o, -WIRE_EBOUNDS);
	/* group placed inside the owner: two overlapping parts */
	memcpy(b, sd_exp, sizeof(b));
	b[8] = 24;
	DEC_RC(security_descriptor, b, sizeof(b), &o, -WIRE_EOVERLAP);
	/* group == owner */
	b[8] = 20;
	DEC_RC(security_descriptor, b, sizeof(b), &o, -WIRE_EOVERLAP);
	/* DACL overlapping the group */
	memcpy(b, sd_exp, sizeof(b));
	b[16] = 60;
	assert_true(security_descriptor_decode(b, sizeof(b), &o) < 0);
	/* owner SID with a huge SubAuthorityCount (at most 15) */
	memcpy(b, sd_exp, sizeof(b));
	b[21] = 200;
	DEC_RC(security_descriptor, b, sizeof(b), &o, -WIRE_ERANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sid_builtin_admins),
		cmocka_unit_test(test_sid_domain_user),
		cmocka_unit_test(test_sid_fixture),
		cmocka_unit_test(test_sid_hostile),
		cmocka_unit_test(test_ace_allowed),
		cmocka_unit_test(test_ace_denied_user),
		cmocka_unit_test(test_ace_object),
		cmocka_unit_test(test_ace_callback_and_label),
		cmocka_unit_test(test_ace_unknown_type_raw),
		cmocka_unit_test(test_object_ace_types_switch),
		cmocka_unit_test(test_acl),
		cmocka_unit_test(test_acl_hostile),
		cmocka_unit_test(test_sd),
		cmocka_unit_test(test_sd_with_sacl),
		cmocka_unit_test(test_sd_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
