// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fscc.idl (MS-FSCC 2.4, 2.5, 2.7): every directory information class as a
 * 3-entry chain (8-aligned NextEntryOffset, none after the last entry),
 * basic / standard / all / network-open information, a full EA chain, a
 * FILE_NOTIFY_INFORMATION chain, fs size and attribute information: built
 * in C, encoded, compared with images written from the MS-FSCC layouts,
 * decoded back. The fscc payloads of captured SMB2 responses re-encode byte
 * for byte. Hostile chains: next offset below the entry (ELOOP), past the
 * region (EBOUNDS), misaligned (EALIGN); truncation; bad constant bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fscc.h"
#include "smb2.h"
#include "wire_test.h"

/* -- helpers ------------------------------------------------------------ */

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

/* the same for a union taking a level */
#define UENC_CHECK(T, lvl, vp, exp, explen) do {				\
	long sz_ = T##_size(lvl, vp);						\
	size_t used_ = 0, c_;							\
	u8 *b_;									\
										\
	assert_int_equal(sz_, (long)(explen));					\
	b_ = malloc((size_t)sz_ + 1);						\
	assert_non_null(b_);							\
	for (c_ = 0; c_ < (size_t)sz_; c_++)					\
		assert_int_equal(T##_encode(b_, c_, lvl, vp, &used_), -WIRE_ESPACE); \
	assert_int_equal(T##_encode(b_, (size_t)sz_, lvl, vp, &used_), 0);	\
	assert_int_equal(used_, (size_t)sz_);					\
	assert_memory_equal(b_, exp, (size_t)sz_);				\
	free(b_);								\
} while (0)

#define UDEC_RC(T, lvl, bytes, len, outp, rc) do {				\
	u8 *b_ = dup_exact(bytes, len);						\
	assert_int_equal(T##_decode(b_, len, lvl, outp), rc);			\
	free(b_);								\
} while (0)

/* -- directory classes: 3-entry chains -------------------------------------- */

#define T0 0x01d9a0b0c0d0e0f0ULL

/* UTF-16LE names of 1, 5 and 8 characters */
static const u8 nm0[2] = { 'a', 0 };
static const u8 nm1[10] = { 'f', 0, 'i', 0, 'l', 0, 'e', 0, '1', 0 };
static const u8 nm2[16] = {
	's', 0, 'u', 0, 'b', 0, 'd', 0, 'i', 0, 'r', 0, '_', 0, '2', 0,
};
static const u8 *const names[3] = { nm0, nm1, nm2 };
static const u32 nlen[3] = { 2, 10, 16 };
static const u16 short_nm[12] = { 'F', 'I', 'L', 'E', '1', 0 };

#define FILL_TIMES(e, i) do {							\
	(e)->creation_time = T0 + (i);						\
	(e)->last_access_time = T0 + 0x10 + (i);				\
	(e)->last_write_time = T0 + 0x20 + (i);					\
	(e)->change_time = T0 + 0x30 + (i);					\
	(e)->end_of_file = 100 * (i) + 1;					\
	(e)->allocation_size = 4096 * ((i) + 1);				\
	(e)->file_attributes = (i) == 2 ? 0x10 : 0x20;				\
	(e)->file_index = 0;							\
	(e)->file_name.p = names[i];						\
	(e)->file_name.len = nlen[i];						\
} while (0)

#define FILL_COMMON(e, i) do {							\
	FILL_TIMES(e, i);							\
	(e)->file_name_length = nlen[i];					\
} while (0)

/* offsets 4..63 of every class but names and posix (MS-FSCC 2.4.10) */
static void put_common(u8 *b, size_t at, int i)
{
	put32(b, at + 4, 0);				/* FileIndex */
	put64(b, at + 8, T0 + i);			/* CreationTime */
	put64(b, at + 16, T0 + 0x10 + i);		/* LastAccessTime */
	put64(b, at + 24, T0 + 0x20 + i);		/* LastWriteTime */
	put64(b, at + 32, T0 + 0x30 + i);		/* ChangeTime */
	put64(b, at + 40, 100 * i + 1);			/* EndOfFile */
	put64(b, at + 48, 4096 * (i + 1));		/* AllocationSize */
	put32(b, at + 56, i == 2 ? 0x10 : 0x20);	/* FileAttributes */
	put32(b, at + 60, nlen[i]);			/* FileNameLength */
}

static void put_short(u8 *b, size_t at)
{
	int k;

	b[at] = 10;					/* ShortNameLength */
	for (k = 0; k < 12; k++)
		put16(b, at + 2 + 2 * k, short_nm[k]);
}

/* posix SIDs: S-1-22-1-1000 and S-1-22-2-100 (16 bytes each) */
static const u32 sa_owner[2] = { 1, 1000 };
static const u32 sa_group[2] = { 2, 100 };

static void mk_sid(struct dom_sid *s, const u32 *sa)
{
	memset(s, 0, sizeof(*s));
	s->revision = 1;
	s->identifier_authority[5] = 22;
	s->sub_authority.items = sa;
	s->sub_authority.count = 2;
}

static void put_sid(u8 *b, size_t at, const u32 *sa)
{
	b[at] = 1;
	b[at + 1] = 2;
	b[at + 7] = 22;
	put32(b, at + 8, sa[0]);
	put32(b, at + 12, sa[1]);
}

/* class: fill entry i of a typed array; write entry i's image; fixed size */
struct dircase {
	const char *what;
	u8 level;
	u32 fixed;		/* where the name starts */
	size_t item_size;
	void (*fill)(void *items, int i);
	void (*put)(u8 *b, size_t at, int i);
};

static void f_dir(void *it, int i)
{
	struct fscc_dir_directory_info *e = (struct fscc_dir_directory_info *)it + i;

	FILL_COMMON(e, i);
}

static void p_dir(u8 *b, size_t at, int i)
{
	put_common(b, at, i);
}

static void f_full(void *it, int i)
{
	struct fscc_dir_full_directory_info *e = (struct fscc_dir_full_directory_info *)it + i;

	FILL_COMMON(e, i);
	e->ea_size = 0x11 * (i + 1);
}

static void p_full(u8 *b, size_t at, int i)
{
	put_common(b, at, i);
	put32(b, at + 64, 0x11 * (i + 1));
}

static void f_both(void *it, int i)
{
	struct fscc_dir_both_directory_info *e = (struct fscc_dir_both_directory_info *)it + i;

	FILL_COMMON(e, i);
	e->ea_size = 0x11 * (i + 1);
	e->short_name_length = 10;
	memcpy(e->short_name, short_nm, sizeof(short_nm));
}

static void p_both(u8 *b, size_t at, int i)
{
	put_common(b, at, i);
	put32(b, at + 64, 0x11 * (i + 1));
	put_short(b, at + 68);			/* 68, reserved 69, 70..93 */
}

static void f_names(void *it, int i)
{
	struct fscc_dir_names_info *e = (struct fscc_dir_names_info *)it + i;

	e->file_index = 7 + i;
	e->file_name_length = nlen[i];
	e->file_name.p = names[i];
	e->file_name.len = nlen[i];
}

static void p_names(u8 *b, size_t at, int i)
{
	put32(b, at + 4, 7 + i);
	put32(b, at + 8, nlen[i]);
}

static void f_id_both(void *it, int i)
{
	struct fscc_dir_id_both_directory_info *e = (struct fscc_dir_id_both_directory_info *)it + i;

	FILL_COMMON(e, i);
	e->ea_size = 0x11 * (i + 1);
	e->short_name_length = 10;
	memcpy(e->short_name, short_nm, sizeof(short_nm));
	e->file_id = 0x1000000000000000ULL + i;
}

static void p_id_both(u8 *b, size_t at, int i)
{
	put_common(b, at, i);
	put32(b, at + 64, 0x11 * (i + 1));
	put_short(b, at + 68);
	put64(b, at + 96, 0x1000000000000000ULL + i);	/* Reserved2 94..95 */
}

static void f_id_full(void *it, int i)
{
	struct fscc_dir_id_full_directory_info *e = (struct fscc_dir_id_full_directory_info *)it + i;

	FILL_COMMON(e, i);
	e->ea_size = 0x11 * (i + 1);
	e->file_id = 0x2000000000000000ULL + i;
}

static void p_id_full(u8 *b, size_t at, int i)
{
	put_common(b, at, i);
	put32(b, at + 64, 0x11 * (i + 1));
	put64(b, at + 72, 0x2000000000000000ULL + i);	/* Reserved 68..71 */
}

static void f_id_extd(void *it, int i)
{
	struct fscc_dir_id_extd_directory_info *e = (struct fscc_dir_id_extd_directory_info *)it + i;

	FILL_COMMON(e, i);
	e->ea_size = 0x11 * (i + 1);
	e->reparse_point_tag = i == 1 ? 0xa000000c : 0;
	memset(&e->file_id, 0x30 + i, sizeof(e->file_id));
}

static void p_id_extd(u8 *b, size_t at, int i)
{
	put_common(b, at, i);
	put32(b, at + 64, 0x11 * (i + 1));
	put32(b, at + 68, i == 1 ? 0xa000000c : 0);
	memset(b + at + 72, 0x30 + i, 16);
}

static void f_id64_extd(void *it, int i)
{
	struct fscc_dir_id64_extd_directory_info *e = (struct fscc_dir_id64_extd_directory_info *)it + i;

	FILL_COMMON(e, i);
	e->ea_size = 0x11 * (i + 1);
	e->reparse_point_tag = i == 1 ? 0xa000000c : 0;
	e->file_id = 0x3000000000000000ULL + i;
}

static void p_id64_extd(u8 *b, size_t at, int i)
{
	put_common(b, at, i);
	put32(b, at + 64, 0x11 * (i + 1));
	put32(b, at + 68, i == 1 ? 0xa000000c : 0);
	put64(b, at + 72, 0x3000000000000000ULL + i);
}

static void f_id64_extd_both(void *it, int i)
{
	struct fscc_dir_id64_extd_both_directory_info *e =
		(struct fscc_dir_id64_extd_both_directory_info *)it + i;

	FILL_COMMON(e, i);
	e->ea_size = 0x11 * (i + 1);
	e->reparse_point_tag = i == 1 ? 0xa000000c : 0;
	e->file_id = 0x3000000000000000ULL + i;
	e->short_name_length = 10;
	memcpy(e->short_name, short_nm, sizeof(short_nm));
}

static void p_id64_extd_both(u8 *b, size_t at, int i)
{
	p_id64_extd(b, at, i);
	put_short(b, at + 80);			/* 80, reserved 81, 82..105 */
}

static void f_id_all_extd(void *it, int i)
{
	struct fscc_dir_id_all_extd_directory_info *e =
		(struct fscc_dir_id_all_extd_directory_info *)it + i;

	FILL_COMMON(e, i);
	e->ea_size = 0x11 * (i + 1);
	e->reparse_point_tag = i == 1 ? 0xa000000c : 0;
	e->file_id = 0x3000000000000000ULL + i;
	memset(&e->file_id_128, 0x40 + i, sizeof(e->file_id_128));
}

static void p_id_all_extd(u8 *b, size_t at, int i)
{
	p_id64_extd(b, at, i);
	memset(b + at + 80, 0x40 + i, 16);
}

static void f_id_all_extd_both(void *it, int i)
{
	struct fscc_dir_id_all_extd_both_directory_info *e =
		(struct fscc_dir_id_all_extd_both_directory_info *)it + i;

	FILL_COMMON(e, i);
	e->ea_size = 0x11 * (i + 1);
	e->reparse_point_tag = i == 1 ? 0xa000000c : 0;
	e->file_id = 0x3000000000000000ULL + i;
	memset(&e->file_id_128, 0x40 + i, sizeof(e->file_id_128));
	e->short_name_length = 10;
	memcpy(e->short_name, short_nm, sizeof(short_nm));
}

static void p_id_all_extd_both(u8 *b, size_t at, int i)
{
	p_id_all_extd(b, at, i);
	put_short(b, at + 96);			/* 96, reserved 97, 98..121 */
}

/* posix: the name length follows the two SIDs (88 + 16 + 16 = 120) */
static void f_posix(void *it, int i)
{
	struct fscc_dir_posix_info *e = (struct fscc_dir_posix_info *)it + i;

	FILL_TIMES(e, i);
	e->inode = 0x5000 + i;
	e->device_id = 0x801;
	e->hard_links = 1 + i;
	e->reparse_tag = 0;
	e->mode = 0644 + i;
	mk_sid(&e->owner, sa_owner);
	mk_sid(&e->group, sa_group);
	e->file_name_length = nlen[i];
}

static void p_posix(u8 *b, size_t at, int i)
{
	put32(b, at + 4, 0);
	put64(b, at + 8, T0 + i);
	put64(b, at + 16, T0 + 0x10 + i);
	put64(b, at + 24, T0 + 0x20 + i);
	put64(b, at + 32, T0 + 0x30 + i);
	put64(b, at + 40, 100 * i + 1);
	put64(b, at + 48, 4096 * (i + 1));
	put32(b, at + 56, i == 2 ? 0x10 : 0x20);
	put64(b, at + 60, 0x5000 + i);		/* Inode */
	put32(b, at + 68, 0x801);		/* DeviceId, Reserved 72 */
	put32(b, at + 76, 1 + i);		/* HardLinks */
	put32(b, at + 80, 0);			/* ReparseTag */
	put32(b, at + 84, 0644 + i);		/* Mode */
	put_sid(b, at + 88, sa_owner);
	put_sid(b, at + 104, sa_group);
	put32(b, at + 120, nlen[i]);
}

static const struct dircase dircases[] = {
	{ "directory", FILE_DIRECTORY_INFORMATION, 64,
	  sizeof(struct fscc_dir_directory_info), f_dir, p_dir },
	{ "full", FILE_FULL_DIRECTORY_INFORMATION, 68,
	  sizeof(struct fscc_dir_full_directory_info), f_full, p_full },
	{ "both", FILE_BOTH_DIRECTORY_INFORMATION, 94,
	  sizeof(struct fscc_dir_both_directory_info), f_both, p_both },
	{ "names", FILE_NAMES_INFORMATION, 12,
	  sizeof(struct fscc_dir_names_info), f_names, p_names },
	{ "id_both", FILE_ID_BOTH_DIRECTORY_INFORMATION, 104,
	  sizeof(struct fscc_dir_id_both_directory_info), f_id_both, p_id_both },
	{ "id_full", FILE_ID_FULL_DIRECTORY_INFORMATION, 80,
	  sizeof(struct fscc_dir_id_full_directory_info), f_id_full, p_id_full },
	{ "id_extd", FILE_ID_EXTD_DIRECTORY_INFORMATION, 88,
	  sizeof(struct fscc_dir_id_extd_directory_info), f_id_extd, p_id_extd },
	{ "id64_extd", FILE_ID_64_EXTD_DIRECTORY_INFORMATION, 80,
	  sizeof(struct fscc_dir_id64_extd_directory_info), f_id64_extd, p_id64_extd },
	{ "id64_extd_both", FILE_ID_64_EXTD_BOTH_DIRECTORY_INFORMATION, 106,
	  sizeof(struct fscc_dir_id64_extd_both_directory_info), f_id64_extd_both,
	  p_id64_extd_both },
	{ "id_all_extd", FILE_ID_ALL_EXTD_DIRECTORY_INFORMATION, 96,
	  sizeof(struct fscc_dir_id_all_extd_directory_info), f_id_all_extd, p_id_all_extd },
	{ "id_all_extd_both", FILE_ID_ALL_EXTD_BOTH_DIRECTORY_INFORMATION, 122,
	  sizeof(struct fscc_dir_id_all_extd_both_directory_info), f_id_all_extd_both,
	  p_id_all_extd_both },
	{ "posix", FILE_POSIX_INFORMATION, 124,
	  sizeof(struct fscc_dir_posix_info), f_posix, p_posix },
};

/* The expected chain; returns its length; *starts gets each entry's offset. */
static size_t build_chain(const struct dircase *c, u8 *b, size_t cap, u32 starts[3])
{
	size_t at = 0, end = 0;
	int i;

	memset(b, 0, cap);
	for (i = 0; i < 3; i++) {
		size_t size = c->fixed + nlen[i];

		starts[i] = (u32)at;
		c->put(b, at, i);
		memcpy(b + at + c->fixed, names[i], nlen[i]);
		end = at + size;
		if (i < 2) {
			size_t next = (size + 7) & ~(size_t)7;

			put32(b, at, (u32)next);	/* NextEntryOffset */
			at += next;
		}
	}
	assert_true(end <= cap);
	return end;
}

static void test_dir_chains(void **state)
{
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(dircases) / sizeof(dircases[0]); k++) {
		const struct dircase *c = &dircases[k];
		void *items = calloc(3, c->item_size);
		union fscc_dir_info v, o;
		u8 exp[512];
		u32 starts[3];
		size_t len;
		int i;

		print_message("  class %s (%u)\n", c->what, c->level);
		assert_non_null(items);
		for (i = 0; i < 3; i++)
			c->fill(items, i);
		memset(&v, 0, sizeof(v));
		v.directory.items = items;	/* every arm is a struct wire_seq */
		v.directory.count = 3;
		len = build_chain(c, exp, sizeof(exp), starts);
		UENC_CHECK(fscc_dir_info, c->level, &v, exp, len);

		assert_int_equal(fscc_dir_info_decode(exp, len, c->level, &o), 0);
		assert_int_equal(o.directory.count, 3);
		assert_int_equal(o.directory.len, len);
		assert_ptr_equal(o.directory.p, exp);
		/* re-encoding the decoded (raw) sequence: the same bytes */
		UENC_CHECK(fscc_dir_info, c->level, &o, exp, len);

		/* hostile: NextEntryOffset of the first entry */
		{
			u8 b[512];
			union fscc_dir_info h;

			memcpy(b, exp, len);
			put32(b, 0, 8);			/* below the fixed part */
			UDEC_RC(fscc_dir_info, c->level, b, len, &h, -WIRE_ELOOP);
			put32(b, 0, 0x1000);		/* past the region */
			UDEC_RC(fscc_dir_info, c->level, b, len, &h, -WIRE_EBOUNDS);
			put32(b, 0, starts[1] + 4);	/* not a multiple of 8 */
			UDEC_RC(fscc_dir_info, c->level, b, len, &h, -WIRE_EALIGN);
			/* every cut of the last entry: truncated */
			memcpy(b, exp, len);
			UDEC_RC(fscc_dir_info, c->level, b, starts[2] + c->fixed - 1, &h,
				-WIRE_ETRUNC);
			UDEC_RC(fscc_dir_info, c->level, b, len - 1, &h, -WIRE_ETRUNC);
		}
		free(items);
	}
}

static void test_dir_fields(void **state)
{
	struct fscc_dir_id_both_directory_info items[3], e;
	union fscc_dir_info v, o;
	struct wire_seq_iter it;
	u8 exp[512];
	u32 starts[3];
	size_t len;
	int i;

	(void)state;
	for (i = 0; i < 3; i++)
		f_id_both(items, i);
	memset(&v, 0, sizeof(v));
	v.id_both_directory.items = items;
	v.id_both_directory.count = 3;
	len = build_chain(&dircases[4], exp, sizeof(exp), starts);
	assert_int_equal(starts[1], 112);	/* 104 + 2 -> 112 */
	assert_int_equal(starts[2], 232);	/* 112 + 114 -> 232 */
	assert_int_equal(len, 232 + 104 + 16);
	assert_int_equal(fscc_dir_info_decode(exp, len, FILE_ID_BOTH_DIRECTORY_INFORMATION, &o), 0);
	wire_seq_iter_init(&it, &o.id_both_directory);
	for (i = 0; i < 3; i++) {
		assert_int_equal(fscc_dir_id_both_directory_info_seq_next(&it, &e), 1);
		assert_int_equal(e.next_entry_offset, i == 0 ? 112 : i == 1 ? 120 : 0);
		assert_true(e.creation_time == T0 + (u64)i);
		assert_int_equal(e.end_of_file, 100 * i + 1);
		assert_int_equal(e.file_attributes, i == 2 ? 0x10 : 0x20);
		assert_int_equal(e.short_name_length, 10);
		assert_int_equal(e.short_name[4], '1');
		assert_true(e.file_id == 0x1000000000000000ULL + (u64)i);
		assert_int_equal(e.file_name.len, nlen[i]);
		assert_memory_equal(e.file_name.p, names[i], nlen[i]);
	}
	assert_int_equal(fscc_dir_id_both_directory_info_seq_next(&it, &e), 0);

	/* posix: the SIDs inside the entry */
	{
		struct fscc_dir_posix_info px[3], pe;

		for (i = 0; i < 3; i++)
			f_posix(px, i);
		len = build_chain(&dircases[11], exp, sizeof(exp), starts);
		assert_int_equal(fscc_dir_info_decode(exp, len, FILE_POSIX_INFORMATION, &o), 0);
		wire_seq_iter_init(&it, &o.posix);
		assert_int_equal(fscc_dir_posix_info_seq_next(&it, &pe), 1);
		assert_int_equal(pe.mode, 0644);
		assert_int_equal(wire_seq_u32(&pe.owner.sub_authority, 1), 1000);
		assert_int_equal(wire_seq_u32(&pe.group.sub_authority, 1), 100);
		assert_int_equal(pe.file_name_length, 2);
		/* an owner SID claiming 200 sub-authorities (at most 15) */
		exp[89] = 200;
		UDEC_RC(fscc_dir_info, FILE_POSIX_INFORMATION, exp, len, &o, -WIRE_ERANGE);
	}
	/* a single entry alone (NextEntryOffset 0) */
	{
		struct fscc_dir_names_info two[2];

		f_names(two, 1);
		memset(&v, 0, sizeof(v));
		v.names.items = &two[1];
		v.names.count = 1;
		{
			static const u8 e1[] = {
				0, 0, 0, 0, 8, 0, 0, 0, 10, 0, 0, 0,
				'f', 0, 'i', 0, 'l', 0, 'e', 0, '1', 0,
			};

			UENC_CHECK(fscc_dir_info, FILE_NAMES_INFORMATION, &v, e1, sizeof(e1));
		}
	}
}

/* -- file information ------------------------------------------------------ */

static const u8 basic_exp[40] = {
	0xf0, 0xe0, 0xd0, 0xc0, 0xb0, 0xa0, 0xd9, 0x01,	/* CreationTime */
	0x00, 0xe1, 0xd0, 0xc0, 0xb0, 0xa0, 0xd9, 0x01,	/* LastAccessTime */
	0x10, 0xe1, 0xd0, 0xc0, 0xb0, 0xa0, 0xd9, 0x01,	/* LastWriteTime */
	0x20, 0xe1, 0xd0, 0xc0, 0xb0, 0xa0, 0xd9, 0x01,	/* ChangeTime */
	0x20, 0x00, 0x00, 0x00,				/* ARCHIVE */
	0x00, 0x00, 0x00, 0x00,				/* Reserved */
};

static void mk_basic(struct fscc_file_basic_info *v)
{
	memset(v, 0, sizeof(*v));
	v->creation_time = T0;
	v->last_access_time = T0 + 0x10;
	v->last_write_time = T0 + 0x20;
	v->change_time = T0 + 0x30;
	v->file_attributes = 0x20;
}

static const u8 standard_exp[24] = {
	0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* AllocationSize 4096 */
	0x39, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* EndOfFile 1337 */
	0x02, 0x00, 0x00, 0x00,				/* NumberOfLinks */
	0x01, 0x00,					/* DeletePending, Directory */
	0x00, 0x00,					/* Reserved */
};

static void mk_standard(struct fscc_file_standard_info *v)
{
	memset(v, 0, sizeof(*v));
	v->allocation_size = 4096;
	v->end_of_file = 1337;
	v->number_of_links = 2;
	v->delete_pending = 1;
}

static void test_basic_standard(void **state)
{
	struct fscc_file_basic_info b, bo;
	struct fscc_file_standard_info s, so;

	(void)state;
	mk_basic(&b);
	b.reserved = 0xffffffff;	/* reserved: written as zeros */
	ENC_CHECK(fscc_file_basic_info, &b, basic_exp, 40);
	DEC_OK(fscc_file_basic_info, basic_exp, 40, &bo);
	assert_true(bo.last_write_time == T0 + 0x20);
	assert_int_equal(bo.file_attributes, 0x20);
	TRUNC_ALL(fscc_file_basic_info, basic_exp, 40);

	mk_standard(&s);
	ENC_CHECK(fscc_file_standard_info, &s, standard_exp, 24);
	DEC_OK(fscc_file_standard_info, standard_exp, 24, &so);
	assert_int_equal(so.end_of_file, 1337);
	assert_int_equal(so.delete_pending, 1);
	assert_int_equal(so.directory, 0);
	TRUNC_ALL(fscc_file_standard_info, standard_exp, 24);
}

static void test_all_info(void **state)
{
	u8 exp[100 + 10];
	struct fscc_file_all_info v, o;

	(void)state;
	memset(&v, 0, sizeof(v));
	mk_basic(&v.basic);
	mk_standard(&v.standard);
	v.internal.index_number = 0x0011223344556677ULL;
	v.ea.ea_size = 0;
	v.access.access_flags = 0x001f01ff;
	v.position.current_byte_offset = 512;
	v.mode.mode = 0x20;			/* FILE_SYNCHRONOUS_IO_NONALERT */
	v.alignment.alignment_requirement = 0;
	v.file_name_length = 10;
	v.file_name.p = nm1;
	v.file_name.len = 10;

	memset(exp, 0, sizeof(exp));
	memcpy(exp, basic_exp, 40);		/* BasicInformation 0..39 */
	memcpy(exp + 40, standard_exp, 24);	/* StandardInformation 40..63 */
	put64(exp, 64, 0x0011223344556677ULL);	/* InternalInformation */
	put32(exp, 72, 0);			/* EaInformation */
	put32(exp, 76, 0x001f01ff);		/* AccessInformation */
	put64(exp, 80, 512);			/* PositionInformation */
	put32(exp, 88, 0x20);			/* ModeInformation */
	put32(exp, 92, 0);			/* AlignmentInformation */
	put32(exp, 96, 10);			/* FileNameLength */
	memcpy(exp + 100, nm1, 10);
	ENC_CHECK(fscc_file_all_info, &v, exp, sizeof(exp));
	DEC_OK(fscc_file_all_info, exp, sizeof(exp), &o);
	assert_true(o.internal.index_number == 0x0011223344556677ULL);
	assert_int_equal(o.access.access_flags, 0x1f01ff);
	assert_int_equal(o.file_name.len, 10);
	TRUNC_ALL(fscc_file_all_info, exp, 100);
	DEC_RC(fscc_file_all_info, exp, sizeof(exp) - 1, &o, -WIRE_ETRUNC);
	/* odd UTF-16 byte length */
	put32(exp, 96, 9);
	{
		struct fscc_file_all_info h;

		assert_true(fscc_file_all_info_decode(exp, sizeof(exp), &h) < 0);
	}
	/* through the union by class */
	{
		union fscc_file_info u;

		put32(exp, 96, 10);
		memset(&u, 0, sizeof(u));
		u.all = v;
		UENC_CHECK(fscc_file_info, FILE_ALL_INFORMATION, &u, exp, sizeof(exp));
	}
}

static void test_network_open(void **state)
{
	u8 exp[56];
	struct fscc_file_network_open_info v, o;

	(void)state;
	memset(&v, 0, sizeof(v));
	v.creation_time = T0;
	v.last_access_time = T0 + 0x10;
	v.last_write_time = T0 + 0x20;
	v.change_time = T0 + 0x30;
	v.allocation_size = 8192;
	v.end_of_file = 5000;
	v.file_attributes = 0x80;
	memset(exp, 0, sizeof(exp));
	memcpy(exp, basic_exp, 32);
	put64(exp, 32, 8192);
	put64(exp, 40, 5000);
	put32(exp, 48, 0x80);
	ENC_CHECK(fscc_file_network_open_info, &v, exp, 56);
	DEC_OK(fscc_file_network_open_info, exp, 56, &o);
	assert_int_equal(o.allocation_size, 8192);
	assert_int_equal(o.file_attributes, 0x80);
	TRUNC_ALL(fscc_file_network_open_info, exp, 56);
}

/* -- EA and notify chains ---------------------------------------------------- */

static void test_full_ea_chain(void **state)
{
	static const u8 exp[] = {
		/* entry 0 at 0: "user.a" = "xyz": 8 + 6 + 1 + 3 = 18 -> next 20 */
		0x14, 0x00, 0x00, 0x00, 0x00, 0x06, 0x03, 0x00,
		'u', 's', 'e', 'r', '.', 'a', 0x00, 'x', 'y', 'z',
		0x00, 0x00,
		/* entry 1 at 20: "B" (NEED_EA) = "" : 8 + 1 + 1 + 0 = 10 -> 12 */
		0x0c, 0x00, 0x00, 0x00, 0x80, 0x01, 0x00, 0x00,
		'B', 0x00,
		0x00, 0x00,
		/* entry 2 at 32: "user.long" = 5 bytes, last */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x05, 0x00,
		'u', 's', 'e', 'r', '.', 'l', 'o', 'n', 'g', 0x00,
		1, 2, 3, 4, 5,
	};
	static const u8 val2[5] = { 1, 2, 3, 4, 5 };
	struct fscc_file_full_ea_info eas[3], e;
	struct fscc_file_full_ea_list v, o;
	struct wire_seq_iter it;

	(void)state;
	memset(eas, 0, sizeof(eas));
	eas[0].ea_name.p = (const u8 *)"user.a";
	eas[0].ea_name.len = 6;
	eas[0].ea_value.p = (const u8 *)"xyz";
	eas[0].ea_value.len = 3;
	eas[1].flags = 0x80;			/* FILE_NEED_EA */
	eas[1].ea_name.p = (const u8 *)"B";
	eas[1].ea_name.len = 1;
	eas[2].ea_name.p = (const u8 *)"user.long";
	eas[2].ea_name.len = 9;
	eas[2].ea_value.p = val2;
	eas[2].ea_value.len = 5;
	memset(&v, 0, sizeof(v));
	v.entries.items = eas;
	v.entries.count = 3;
	ENC_CHECK(fscc_file_full_ea_list, &v, exp, sizeof(exp));

	DEC_OK(fscc_file_full_ea_list, exp, sizeof(exp), &o);
	assert_int_equal(o.entries.count, 3);
	wire_seq_iter_init(&it, &o.entries);
	assert_int_equal(fscc_file_full_ea_info_seq_next(&it, &e), 1);
	assert_int_equal(e.ea_name_length, 6);
	assert_memory_equal(e.ea_name.p, "user.a", 6);
	assert_int_equal(e.ea_value.len, 3);
	assert_int_equal(fscc_file_full_ea_info_seq_next(&it, &e), 1);
	assert_int_equal(e.flags, 0x80);
	assert_int_equal(e.ea_value.len, 0);
	assert_int_equal(fscc_file_full_ea_info_seq_next(&it, &e), 1);
	assert_memory_equal(e.ea_value.p, val2, 5);
	assert_int_equal(fscc_file_full_ea_info_seq_next(&it, &e), 0);
	REENCODE_SAME(fscc_file_full_ea_list, exp, sizeof(exp));

	{
		u8 b[sizeof(exp)];

		/* the name's NUL is a constant */
		memcpy(b, exp, sizeof(b));
		b[14] = 'X';
		DEC_RC(fscc_file_full_ea_list, b, sizeof(b), &o, -WIRE_EVALUE);
		/* next below the 9-byte fixed part */
		memcpy(b, exp, sizeof(b));
		b[0] = 4;
		DEC_RC(fscc_file_full_ea_list, b, sizeof(b), &o, -WIRE_ELOOP);
		/* next inside the entry (12 < 18 bytes): the entry is cut */
		b[0] = 12;
		DEC_RC(fscc_file_full_ea_list, b, sizeof(b), &o, -WIRE_ETRUNC);
		/* misaligned (chain_align 4) */
		b[0] = 22;
		DEC_RC(fscc_file_full_ea_list, b, sizeof(b), &o, -WIRE_EALIGN);
		/* past the end */
		b[0] = 0xf0;
		DEC_RC(fscc_file_full_ea_list, b, sizeof(b), &o, -WIRE_EBOUNDS);
		/* EaValueLength past the end of the last entry */
		memcpy(b, exp, sizeof(b));
		b[32 + 6] = 0xff;
		DEC_RC(fscc_file_full_ea_list, b, sizeof(b), &o, -WIRE_ETRUNC);
	}
}

static void test_notify_chain(void **state)
{
	static const u8 exp[] = {
		/* ADDED "a": 12 + 2 = 14 -> 16 */
		0x10, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,
		'a', 0, 0, 0,
		/* RENAMED_OLD_NAME "file1": 12 + 10 = 22 -> 24 */
		0x18, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x00,
		'f', 0, 'i', 0, 'l', 0, 'e', 0, '1', 0, 0, 0,
		/* RENAMED_NEW_NAME "subdir_2", last */
		0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00,
		's', 0, 'u', 0, 'b', 0, 'd', 0, 'i', 0, 'r', 0, '_', 0, '2', 0,
	};
	static const u32 actions[3] = { 1, 4, 5 };
	struct fscc_file_notify_info n[3];
	struct fscc_file_notify_list v, o;
	int i;

	(void)state;
	memset(n, 0, sizeof(n));
	for (i = 0; i < 3; i++) {
		n[i].action = actions[i];
		n[i].file_name.p = names[i];
		n[i].file_name.len = nlen[i];
	}
	memset(&v, 0, sizeof(v));
	v.entries.items = n;
	v.entries.count = 3;
	ENC_CHECK(fscc_file_notify_list, &v, exp, sizeof(exp));
	DEC_OK(fscc_file_notify_list, exp, sizeof(exp), &o);
	assert_int_equal(o.entries.count, 3);
	REENCODE_SAME(fscc_file_notify_list, exp, sizeof(exp));
	{
		u8 b[sizeof(exp)];

		memcpy(b, exp, sizeof(b));
		b[0] = 8;
		DEC_RC(fscc_file_notify_list, b, sizeof(b), &o, -WIRE_ELOOP);
		b[0] = 18;
		DEC_RC(fscc_file_notify_list, b, sizeof(b), &o, -WIRE_EALIGN);
		b[0] = 0x80;
		DEC_RC(fscc_file_notify_list, b, sizeof(b), &o, -WIRE_EBOUNDS);
		/* a huge FileNameLength */
		memcpy(b, exp, sizeof(b));
		b[40 + 10] = 0xff;
		DEC_RC(fscc_file_notify_list, b, sizeof(b), &o, -WIRE_ETRUNC);
	}
	TRUNC_ALL(fscc_file_notify_info, exp, 12);
}

/* -- file system information --------------------------------------------------- */

static void test_fs_size_attribute(void **state)
{
	static const u8 size_exp[24] = {
		0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00,	/* 1 Mi units */
		0x00, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* 16 Ki free */
		0x08, 0x00, 0x00, 0x00,				/* 8 sectors/unit */
		0x00, 0x02, 0x00, 0x00,				/* 512 bytes/sector */
	};
	static const u8 ntfs[8] = { 'N', 0, 'T', 0, 'F', 0, 'S', 0 };
	static const u8 attr_exp[] = {
		0x2f, 0x00, 0x0c, 0x00,		/* case sens|case pres|unicode|acls|sparse... */
		0xff, 0x00, 0x00, 0x00,		/* MaximumComponentNameLength 255 */
		0x08, 0x00, 0x00, 0x00,
		'N', 0, 'T', 0, 'F', 0, 'S', 0,
	};
	struct fscc_fs_size_info s, so;
	struct fscc_fs_attribute_info a, ao;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.total_allocation_units = 0x100000;
	s.available_allocation_units = 0x4000;
	s.sectors_per_allocation_unit = 8;
	s.bytes_per_sector = 512;
	ENC_CHECK(fscc_fs_size_info, &s, size_exp, 24);
	DEC_OK(fscc_fs_size_info, size_exp, 24, &so);
	assert_int_equal(so.bytes_per_sector, 512);
	TRUNC_ALL(fscc_fs_size_info, size_exp, 24);

	memset(&a, 0, sizeof(a));
	a.file_system_attributes = 0x000c002f;
	a.maximum_component_name_length = 255;
	a.file_system_name.p = ntfs;
	a.file_system_name.len = 8;
	ENC_CHECK(fscc_fs_attribute_info, &a, attr_exp, sizeof(attr_exp));
	DEC_OK(fscc_fs_attribute_info, attr_exp, sizeof(attr_exp), &ao);
	assert_int_equal(ao.file_system_name_length, 8);
	assert_memory_equal(ao.file_system_name.p, ntfs, 8);
	TRUNC_ALL(fscc_fs_attribute_info, attr_exp, 12);
	DEC_RC(fscc_fs_attribute_info, attr_exp, sizeof(attr_exp) - 1, &ao, -WIRE_ETRUNC);
	/* through the union */
	{
		union fscc_fs_info u;

		memset(&u, 0, sizeof(u));
		u.size = s;
		UENC_CHECK(fscc_fs_info, FILE_FS_SIZE_INFORMATION, &u, size_exp, 24);
	}
}

/* -- payloads of captured SMB2 responses ------------------------------------------ */

/* decode the SMB2 header + QUERY_INFO / QUERY_DIRECTORY / CHANGE_NOTIFY response */
static void payload_of(const char *name, int cmd, struct wire_blob *out, u8 **keep)
{
	struct smb2_hdr h;
	struct wire_dec d;
	u32 len;
	u8 *b = slurp(name, &len);

	wire_dec_init(&d, b, len);
	assert_int_equal(smb2_hdr_dec(&d, &h), 0);
	assert_int_equal(h.command, cmd);
	if (cmd == SMB2_QUERY_INFO) {
		struct smb2_query_info_rsp r;

		assert_int_equal(smb2_query_info_rsp_dec(&d, &r), 0);
		*out = r.buffer;
	} else if (cmd == SMB2_QUERY_DIRECTORY) {
		struct smb2_query_directory_rsp r;

		assert_int_equal(smb2_query_directory_rsp_dec(&d, &r), 0);
		*out = r.buffer;
	}
	*keep = b;
}

static void test_fixture_payloads(void **state)
{
	struct wire_blob p;
	u8 *keep;

	(void)state;
	/* FileAllInformation: canonical (fixed part + name, no padding) */
	payload_of("smb2/query_info_rsp_file_all.bin", SMB2_QUERY_INFO, &p, &keep);
	{
		struct fscc_file_all_info a;

		DEC_OK(fscc_file_all_info, p.p, p.len, &a);
		assert_int_equal(a.file_name.len, a.file_name_length);
		REENCODE_SAME(fscc_file_all_info, p.p, p.len);
	}
	free(keep);

	/* FileFsSizeInformation: canonical */
	payload_of("smb2/query_info_rsp_fs_size.bin", SMB2_QUERY_INFO, &p, &keep);
	assert_int_equal(p.len, 24);
	REENCODE_SAME(fscc_fs_size_info, p.p, p.len);
	free(keep);

	/* FileStreamInformation chain */
	payload_of("smb2/query_info_rsp_file_stream.bin", SMB2_QUERY_INFO, &p, &keep);
	{
		union fscc_file_info u;
		size_t used;
		u8 *o = malloc(p.len);

		assert_non_null(o);
		assert_int_equal(fscc_file_info_decode(p.p, p.len, FILE_STREAM_INFORMATION, &u), 0);
		assert_true(u.stream.count >= 1);
		assert_int_equal(fscc_file_info_encode(o, p.len, FILE_STREAM_INFORMATION, &u,
						       &used), 0);
		assert_int_equal(used, p.len);
		assert_memory_equal(o, p.p, p.len);
		free(o);
	}
	free(keep);

	/* QUERY_DIRECTORY output (smbclient asks for FileIdBothDirectoryInformation) */
	payload_of("smb2/query_directory_rsp.bin", SMB2_QUERY_DIRECTORY, &p, &keep);
	{
		union fscc_dir_info u;
		struct fscc_dir_id_both_directory_info e;
		struct wire_seq_iter it;
		u32 n = 0;
		int rc;

		assert_int_equal(fscc_dir_info_decode(p.p, p.len,
						      FILE_ID_BOTH_DIRECTORY_INFORMATION, &u), 0);
		assert_true(u.id_both_directory.count >= 2);
		wire_seq_iter_init(&it, &u.id_both_directory);
		while ((rc = fscc_dir_id_both_directory_info_seq_next(&it, &e)) > 0)
			n++;
		assert_int_equal(rc, 0);
		assert_int_equal(n, u.id_both_directory.count);
		/* raw re-encode copies the validated bytes */
		{
			size_t used;
			u8 *o = malloc(p.len);

			assert_non_null(o);
			assert_int_equal(fscc_dir_info_encode(o, p.len,
					 FILE_ID_BOTH_DIRECTORY_INFORMATION, &u, &used), 0);
			assert_int_equal(used, p.len);
			assert_memory_equal(o, p.p, p.len);
			free(o);
		}
	}
	free(keep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dir_chains),
		cmocka_unit_test(test_dir_fields),
		cmocka_unit_test(test_basic_standard),
		cmocka_unit_test(test_all_info),
		cmocka_unit_test(test_network_open),
		cmocka_unit_test(test_full_ea_chain),
		cmocka_unit_test(test_notify_chain),
		cmocka_unit_test(test_fs_size_attribute),
		cmocka_unit_test(test_fixture_payloads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
