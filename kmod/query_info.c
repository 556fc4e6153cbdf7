// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * QUERY_INFO (MS-SMB2 3.3.5.20): what an open's file, its file system
 * and its security descriptor look like, in the layouts of MS-FSCC 2.4
 * and 2.5 and MS-DTYP 2.4.6, built by the generated encoders.
 *
 * The answer is encoded into a scratch buffer first, then placed in the
 * response. OutputBufferLength is handled as Windows does it
 * (MS-FSA 2.1.5.11, 2.1.5.12):
 *  - below the class's minimum (the size of its C structure, in which a
 *    trailing one-character name rounds up to the structure's
 *    alignment: 104 for FileAllInformation, not 100): the class cannot
 *    be answered at all, STATUS_INFO_LENGTH_MISMATCH;
 *  - a variable-size answer (a name, the stream list) that does not
 *    fit: STATUS_BUFFER_OVERFLOW with as much as fits, the length fields
 *    saying what is there;
 *  - a security descriptor that does not fit: STATUS_BUFFER_TOO_SMALL,
 *    the size it needs in the error response (MS-SMB2 2.2.2.2).
 *
 * The security descriptor is made from the owner, group and mode bits:
 * owner S-1-22-1-uid and group S-1-22-2-gid (Samba's SIDs for Unix ids
 * that map to no domain account), a DACL granting owner, group and
 * Everyone what their rwx bits allow. Stored NT ACLs (security.NTACL)
 * come with SET_INFO of security.
 */
#include "smbd.h"

/* Room for the largest answer: a fixed part and a path in UTF-16. */
#define QI_SCRATCH	(512U + 2U * SMBD_PATH_MAX)

/* One query being answered. */
struct qi {
	struct smbd_work *w;
	struct smbd_open *o;
	const struct smb2_query_info_req *req;
	u32 cap;			/* OutputBufferLength */
	struct wire_enc e;		/* the answer, in the scratch buffer */
	int overflow;			/* cut short: STATUS_BUFFER_OVERFLOW */
	struct smbd_meta m;		/* for classes flagged NEED_META */
	u8 *name;			/* a UTF-16 name being answered */
};

static u32 enc_status(int rc)
{
	/* the scratch buffer holds every answer: failing here is a bug */
	return rc ? STATUS_INTERNAL_ERROR : STATUS_SUCCESS;
}

static u32 str_len(const char *s)
{
	u32 n = 0;

	while (n < SMBD_PATH_MAX && s[n])
		n++;
	return n;
}

/*
 * How many of len name bytes fit after fixed bytes of the answer. When
 * not all do, the answer is cut short at a whole UTF-16 unit.
 */
static u32 fit(struct qi *q, u32 fixed, u32 len)
{
	u32 room = q->cap > fixed ? q->cap - fixed : 0;

	if (len <= room)
		return len;
	q->overflow = 1;
	return room & ~1U;
}

/*
 * A path beneath the root as clients spell names: UTF-16LE, '\'
 * separated, with a leading '\' when lead is set ("\" for the root).
 * Into q->name; the byte count, or < 0.
 */
static int wire_path(struct qi *q, const char *path, int lead)
{
	u32 cap = 2U * SMBD_PATH_MAX + 2U, at = 0, i;
	int n;

	q->name = os_alloc(cap);
	if (!q->name)
		return -OS_ENOMEM;
	if (lead) {
		q->name[0] = '\\';
		q->name[1] = 0;
		at = 2;
	}
	n = smbd_utf8_to_utf16(path, str_len(path), q->name + at, cap - at);
	if (n < 0)
		return n;
	/* '/' is one UTF-16 unit of its own: no other character holds 0x2F 0x00 */
	for (i = at; i + 1 < at + (u32)n; i += 2)
		if (q->name[i] == '/' && q->name[i + 1] == 0)
			q->name[i] = '\\';
	return (int)at + n;
}

/* A path wire_path could not convert: no memory, or not sayable in UTF-16. */
static u32 path_status(int n)
{
	return n == -OS_ENOMEM ? STATUS_NO_MEMORY : STATUS_OBJECT_NAME_INVALID;
}

/* -- file information (SMB2_0_INFO_FILE) --------------------------------- */

static void basic_of(const struct smbd_meta *m, struct fscc_file_basic_info *b)
{
	b->creation_time = m->creation_time;
	b->last_access_time = m->last_access_time;
	b->last_write_time = m->last_write_time;
	b->change_time = m->change_time;
	b->file_attributes = m->attributes;
}

static void standard_of(const struct qi *q, struct fscc_file_standard_info *s)
{
	const struct smbd_meta *m = &q->m;
	int pending = q->o->inode && smbd_inode_delete_pending(q->o->inode);
	u32 nlink = m->nlink;

	/* a directory's link count counts its subdirectories: one name */
	if (m->is_dir && nlink)
		nlink = 1;
	/* a name about to go is no longer counted */
	if (pending && nlink)
		nlink--;
	s->allocation_size = (s64)m->allocation_size;
	s->end_of_file = (s64)m->end_of_file;
	s->number_of_links = nlink;
	s->delete_pending = !!pending;
	s->directory = !!m->is_dir;
}

static u32 q_basic(struct qi *q)
{
	struct fscc_file_basic_info v = { 0 };

	basic_of(&q->m, &v);
	return enc_status(fscc_file_basic_info_enc(&q->e, &v));
}

static u32 q_standard(struct qi *q)
{
	struct fscc_file_standard_info v = { 0 };

	standard_of(q, &v);
	return enc_status(fscc_file_standard_info_enc(&q->e, &v));
}

static u32 q_internal(struct qi *q)
{
	struct fscc_file_internal_info v = { .index_number = q->m.file_id };

	return enc_status(fscc_file_internal_info_enc(&q->e, &v));
}

/* No extended attributes are stored (FileFsAttributeInformation says so). */
static u32 q_ea(struct qi *q)
{
	struct fscc_file_ea_info v = { 0 };

	return enc_status(fscc_file_ea_info_enc(&q->e, &v));
}

static u32 q_access(struct qi *q)
{
	struct fscc_file_access_info v = { .access_flags = q->o->access };

	return enc_status(fscc_file_access_info_enc(&q->e, &v));
}

static u32 q_position(struct qi *q)
{
	struct fscc_file_position_info v = {
		.current_byte_offset = (s64)q->o->position,
	};

	return enc_status(fscc_file_position_info_enc(&q->e, &v));
}

static u32 q_mode(struct qi *q)
{
	struct fscc_file_mode_info v = { .mode = q->o->mode };

	return enc_status(fscc_file_mode_info_enc(&q->e, &v));
}

/* Any byte offset will do for I/O: FILE_BYTE_ALIGNMENT. */
static u32 q_alignment(struct qi *q)
{
	struct fscc_file_alignment_info v = {
		.alignment_requirement = FILE_BYTE_ALIGNMENT,
	};

	return enc_status(fscc_file_alignment_info_enc(&q->e, &v));
}

/* The name from the share root, with its leading '\'. */
static u32 q_name(struct qi *q)
{
	struct fscc_file_name_info v = { 0 };
	int n = wire_path(q, q->o->path, 1);

	if (n < 0)
		return path_status(n);
	v.file_name.p = q->name;
	v.file_name.len = fit(q, 4, (u32)n);
	return enc_status(fscc_file_name_info_enc(&q->e, &v));
}

/* The name relative to the share root, no leading '\' (3.1.1 only). */
static u32 q_normalized_name(struct qi *q)
{
	struct fscc_file_name_info v = { 0 };
	int n;

	if (q->w->conn->dialect < SMB2_DIALECT_311)
		return STATUS_NOT_SUPPORTED;	/* MS-SMB2 3.3.5.20.1 */
	n = wire_path(q, q->o->path, 0);
	if (n < 0)
		return path_status(n);
	v.file_name.p = q->name;
	v.file_name.len = fit(q, 4, (u32)n);
	return enc_status(fscc_file_name_info_enc(&q->e, &v));
}

static u32 q_all(struct qi *q)
{
	struct fscc_file_all_info v = { 0 };
	int n = wire_path(q, q->o->path, 1);

	if (n < 0)
		return path_status(n);
	basic_of(&q->m, &v.basic);
	standard_of(q, &v.standard);
	v.internal.index_number = q->m.file_id;
	v.access.access_flags = q->o->access;
	v.position.current_byte_offset = (s64)q->o->position;
	v.mode.mode = q->o->mode;
	v.alignment.alignment_requirement = FILE_BYTE_ALIGNMENT;
	v.file_name.p = q->name;
	v.file_name.len = fit(q, 100, (u32)n);
	return enc_status(fscc_file_all_info_enc(&q->e, &v));
}

/* "::$DATA" in UTF-16LE: the one stream a file has here. */
static const u8 data_stream[] = {
	':', 0, ':', 0, '$', 0, 'D', 0, 'A', 0, 'T', 0, 'A', 0,
};

/* A file has its unnamed data stream; a directory has no stream. */
static u32 q_stream(struct qi *q)
{
	struct fscc_file_stream_info v = { 0 };

	if (q->m.is_dir)
		return STATUS_SUCCESS;
	v.stream_size = (s64)q->m.end_of_file;
	v.stream_allocation_size = (s64)q->m.allocation_size;
	v.stream_name.p = data_stream;
	v.stream_name.len = fit(q, 24, sizeof(data_stream));
	return enc_status(fscc_file_stream_info_enc(&q->e, &v));
}

static u32 q_compression(struct qi *q)
{
	struct fscc_file_compression_info v = {
		.compressed_file_size = (s64)q->m.end_of_file,
		.compression_format = COMPRESSION_FORMAT_NONE,
	};

	return enc_status(fscc_file_compression_info_enc(&q->e, &v));
}

static u32 q_network_open(struct qi *q)
{
	const struct smbd_meta *m = &q->m;
	struct fscc_file_network_open_info v = {
		.creation_time = m->creation_time,
		.last_access_time = m->last_access_time,
		.last_write_time = m->last_write_time,
		.change_time = m->change_time,
		.allocation_size = (s64)m->allocation_size,
		.end_of_file = (s64)m->end_of_file,
		.file_attributes = m->attributes,
	};

	return enc_status(fscc_file_network_open_info_enc(&q->e, &v));
}

/* No reparse points here: the tag is 0. */
static u32 q_attribute_tag(struct qi *q)
{
	struct fscc_file_attribute_tag_info v = {
		.file_attributes = q->m.attributes,
	};

	return enc_status(fscc_file_attribute_tag_info_enc(&q->e, &v));
}

static u32 volume_serial(const struct os_statfs *s)
{
	return (u32)(s->fsid ^ (s->fsid >> 32));
}

/* The volume serial FileFsVolumeInformation gives, and the inode number. */
static u32 q_id(struct qi *q)
{
	struct fscc_file_id_info v = { 0 };
	struct os_statfs sfs;
	int rc;

	rc = os_fs_statfs(q->o->tree->fs, &sfs);
	if (rc)
		return smbd_errno_to_status(rc);
	v.volume_serial_number = volume_serial(&sfs);
	v.file_id.low = q->m.file_id;	/* FILE_ID_128: the 64-bit id, widened */
	return enc_status(fscc_file_id_info_enc(&q->e, &v));
}

#define NEED_META	0x1	/* fill q->m first */

struct info_class {
	u8 cls;
	u8 flags;
	u32 min;		/* smallest OutputBufferLength */
	u32 access;		/* access the open must have, MS-FSA 2.1.5.11 */
	u32 (*fill)(struct qi *q);
};

static const struct info_class file_classes[] = {
	{ FILE_BASIC_INFORMATION, NEED_META, 40, SEC_FILE_READ_ATTRIBUTES, q_basic },
	{ FILE_STANDARD_INFORMATION, NEED_META, 24, 0, q_standard },
	{ FILE_INTERNAL_INFORMATION, NEED_META, 8, 0, q_internal },
	{ FILE_EA_INFORMATION, 0, 4, 0, q_ea },
	{ FILE_ACCESS_INFORMATION, 0, 4, 0, q_access },
	{ FILE_NAME_INFORMATION, 0, 8, 0, q_name },
	{ FILE_POSITION_INFORMATION, 0, 8, 0, q_position },
	{ FILE_MODE_INFORMATION, 0, 4, 0, q_mode },
	{ FILE_ALIGNMENT_INFORMATION, 0, 4, 0, q_alignment },
	{ FILE_ALL_INFORMATION, NEED_META, 104, SEC_FILE_READ_ATTRIBUTES, q_all },
	{ FILE_STREAM_INFORMATION, NEED_META, 32, 0, q_stream },
	{ FILE_COMPRESSION_INFORMATION, NEED_META, 16, 0, q_compression },
	{ FILE_NETWORK_OPEN_INFORMATION, NEED_META, 56, SEC_FILE_READ_ATTRIBUTES,
	  q_network_open },
	{ FILE_ATTRIBUTE_TAG_INFORMATION, NEED_META, 8, SEC_FILE_READ_ATTRIBUTES,
	  q_attribute_tag },
	{ FILE_NORMALIZED_NAME_INFORMATION, 0, 8, 0, q_normalized_name },
	{ FILE_ID_INFORMATION, NEED_META, 24, 0, q_id },
};

/* Classes that exist for queries but that this server does not keep. */
static u32 file_class_missing(u8 cls)
{
	switch (cls) {
	case FILE_FULL_EA_INFORMATION:
		return STATUS_EAS_NOT_SUPPORTED;
	case FILE_ALTERNATE_NAME_INFORMATION:
		/* no 8.3 names are made: smbclient and smbtorture take this */
		return STATUS_NOT_IMPLEMENTED;
	case FILE_OBJECT_ID_INFORMATION:
	case FILE_REPARSE_POINT_INFORMATION:
	case FILE_HARD_LINK_INFORMATION:
	case FILE_STANDARD_LINK_INFORMATION:
	case FILE_CASE_SENSITIVE_INFORMATION:
		return STATUS_NOT_SUPPORTED;
	default:
		return STATUS_INVALID_INFO_CLASS;
	}
}

static u32 run_class(struct qi *q, const struct info_class *c)
{
	u32 status;

	if (q->cap < c->min)
		return STATUS_INFO_LENGTH_MISMATCH;
	if (c->access && !(q->o->access & c->access))
		return STATUS_ACCESS_DENIED;
	if (c->flags & NEED_META) {
		status = smbd_meta_get(q->o->tree, q->o->file, q->o->path, &q->m);
		if (status)
			return status;
		q->m.change_time = smbd_inode_change_time(q->o->inode,
							  q->m.change_time);
	}
	return c->fill(q);
}

static u32 file_info(struct qi *q)
{
	u8 cls = q->req->file_info_class;
	u32 i;

	for (i = 0; i < OS_ARRAY_SIZE(file_classes); i++)
		if (file_classes[i].cls == cls)
			return run_class(q, &file_classes[i]);
	return file_class_missing(cls);
}

/* -- file-system information (SMB2_0_INFO_FILESYSTEM) ------------------------ */

static u32 statfs_of(struct qi *q, struct os_statfs *s)
{
	int rc = os_fs_statfs(q->o->tree->fs, s);

	return rc ? smbd_errno_to_status(rc) : STATUS_SUCCESS;
}

/* Allocation units as 512-byte sectors when the block size allows. */
static void units(const struct os_statfs *s, u32 *sectors, u32 *bytes)
{
	u64 bs = s->block_size ? s->block_size : 512;

	if (bs % 512 == 0 && bs / 512 <= 0xFFFFFFFFULL) {
		*bytes = 512;
		*sectors = (u32)(bs / 512);
	} else {
		*bytes = bs <= 0xFFFFFFFFULL ? (u32)bs : 512;
		*sectors = 1;
	}
}

static s64 clamp_s64(u64 v)
{
	return v > 0x7FFFFFFFFFFFFFFFULL ? 0x7FFFFFFFFFFFFFFFLL : (s64)v;
}

/* The share root's birth time, 0 when the filesystem keeps none. */
static u64 root_btime(struct smbd_tree *t)
{
	struct os_file *root;
	struct os_stat st;
	u64 btime = 0;

	if (os_open(t->fs, NULL, "", 0, 0, &root, NULL))
		return 0;
	if (!os_stat(root, &st))
		btime = st.btime;
	os_close(root);
	return btime;
}

/* The label is the share's name; the serial comes from the fsid. */
static u32 fs_volume(struct qi *q)
{
	struct fscc_fs_volume_info v = { 0 };
	struct smbd_tree *t = q->o->tree;
	struct os_statfs sfs;
	u8 label[2 * sizeof(t->share)];
	u32 status;
	int n;

	status = statfs_of(q, &sfs);
	if (status)
		return status;
	n = smbd_utf8_to_utf16(t->share, str_len(t->share), label, sizeof(label));
	if (n < 0)
		n = 0;
	v.volume_creation_time = root_btime(t);
	v.volume_serial_number = volume_serial(&sfs);
	v.volume_label.p = label;
	v.volume_label.len = fit(q, 18, (u32)n);
	return enc_status(fscc_fs_volume_info_enc(&q->e, &v));
}

static u32 fs_size(struct qi *q)
{
	struct fscc_fs_size_info v = { 0 };
	struct os_statfs sfs;
	u32 status = statfs_of(q, &sfs);

	if (status)
		return status;
	units(&sfs, &v.sectors_per_allocation_unit, &v.bytes_per_sector);
	v.total_allocation_units = clamp_s64(sfs.blocks);
	v.available_allocation_units = clamp_s64(sfs.blocks_avail);
	return enc_status(fscc_fs_size_info_enc(&q->e, &v));
}

static u32 fs_full_size(struct qi *q)
{
	struct fscc_fs_full_size_info v = { 0 };
	struct os_statfs sfs;
	u32 status = statfs_of(q, &sfs);

	if (status)
		return status;
	units(&sfs, &v.sectors_per_allocation_unit, &v.bytes_per_sector);
	v.total_allocation_units = clamp_s64(sfs.blocks);
	v.caller_available_allocation_units = clamp_s64(sfs.blocks_avail);
	v.actual_available_allocation_units = clamp_s64(sfs.blocks_free);
	return enc_status(fscc_fs_full_size_info_enc(&q->e, &v));
}

static u32 fs_device(struct qi *q)
{
	struct fscc_fs_device_info v = {
		.device_type = FILE_DEVICE_DISK,
		.characteristics = FILE_DEVICE_IS_MOUNTED,
	};

	if (q->o->tree->read_only)
		v.characteristics |= FILE_READ_ONLY_DEVICE;
	return enc_status(fscc_fs_device_info_enc(&q->e, &v));
}

/* "NTFS" in UTF-16LE: the name Windows clients expect of a full-featured
 * file system (Samba and ksmbd answer the same). */
static const u8 fs_name[] = { 'N', 0, 'T', 0, 'F', 0, 'S', 0 };

/*
 * Only what this server does: names keep their case and are Unicode,
 * hard links can be made (SET_INFO FileLinkInformation). No case
 * sensitive search (lookups ignore case), no ACLs kept, no sparse
 * files, streams, EAs, quotas or object ids.
 */
static u32 fs_attribute(struct qi *q)
{
	struct fscc_fs_attribute_info v = { 0 };
	struct os_statfs sfs;
	u32 status = statfs_of(q, &sfs);

	if (status)
		return status;
	v.file_system_attributes = FILE_CASE_PRESERVED_NAMES | FILE_UNICODE_ON_DISK |
				   FILE_SUPPORTS_HARD_LINKS;
	if (q->o->tree->read_only)
		v.file_system_attributes |= FILE_READ_ONLY_VOLUME;
	v.maximum_component_name_length = sfs.name_max && sfs.name_max < 0x7FFFFFFF ?
					  (s32)sfs.name_max : 255;
	v.file_system_name.p = fs_name;
	v.file_system_name.len = fit(q, 12, sizeof(fs_name));
	return enc_status(fscc_fs_attribute_info_enc(&q->e, &v));
}

/* Quotas are neither tracked nor enforced: no flags, no limits. */
static u32 fs_control(struct qi *q)
{
	struct fscc_fs_control_info v = {
		.default_quota_threshold = ~0ULL,
		.default_quota_limit = ~0ULL,
	};

	return enc_status(fscc_fs_control_info_enc(&q->e, &v));
}

/*
 * A volume object id that stays the same for the same share on the same
 * file system: the first 16 bytes of SHA-512 over the share's name and
 * the fsid. No extended information.
 */
static u32 fs_object_id(struct qi *q)
{
	struct fscc_fs_object_id_info v = { 0 };
	struct smbd_tree *t = q->o->tree;
	struct os_statfs sfs;
	struct os_iov iov[2];
	u8 fsid[8], hash[64];
	u32 status = statfs_of(q, &sfs);

	if (status)
		return status;
	wire_st64(fsid, sfs.fsid);
	iov[0].p = t->share;
	iov[0].len = str_len(t->share);
	iov[1].p = fsid;
	iov[1].len = sizeof(fsid);
	if (os_sha512(iov, 2, hash))
		return STATUS_INTERNAL_ERROR;
	os_memcpy(v.object_id.b, hash, sizeof(v.object_id.b));
	return enc_status(fscc_fs_object_id_info_enc(&q->e, &v));
}

/* The sector the size classes count in; alignment is not known. */
static u32 fs_sector_size(struct qi *q)
{
	struct fscc_fs_sector_size_info v = { 0 };
	struct os_statfs sfs;
	u32 sectors, bytes;
	u32 status = statfs_of(q, &sfs);

	if (status)
		return status;
	units(&sfs, &sectors, &bytes);
	v.logical_bytes_per_sector = bytes;
	v.physical_bytes_per_sector_for_atomicity = bytes;
	v.physical_bytes_per_sector_for_performance = bytes;
	v.file_system_effective_physical_bytes_per_sector_for_atomicity = bytes;
	v.byte_offset_for_sector_alignment = SSINFO_OFFSET_UNKNOWN;
	v.byte_offset_for_partition_alignment = SSINFO_OFFSET_UNKNOWN;
	return enc_status(fscc_fs_sector_size_info_enc(&q->e, &v));
}

/* Minimums as Windows has them (smbtorture smb2.getinfo.qfs_buffercheck). */
static const struct info_class fs_classes[] = {
	{ FILE_FS_VOLUME_INFORMATION, 0, 24, 0, fs_volume },
	{ FILE_FS_SIZE_INFORMATION, 0, 24, 0, fs_size },
	{ FILE_FS_DEVICE_INFORMATION, 0, 8, 0, fs_device },
	{ FILE_FS_ATTRIBUTE_INFORMATION, 0, 16, 0, fs_attribute },
	{ FILE_FS_CONTROL_INFORMATION, 0, 48, 0, fs_control },
	{ FILE_FS_FULL_SIZE_INFORMATION, 0, 32, 0, fs_full_size },
	{ FILE_FS_OBJECT_ID_INFORMATION, 0, 64, 0, fs_object_id },
	{ FILE_FS_SECTOR_SIZE_INFORMATION, 0, 28, 0, fs_sector_size },
};

static u32 fs_info(struct qi *q)
{
	u8 cls = q->req->file_info_class;
	u32 i;

	for (i = 0; i < OS_ARRAY_SIZE(fs_classes); i++)
		if (fs_classes[i].cls == cls)
			return run_class(q, &fs_classes[i]);
	return STATUS_INVALID_INFO_CLASS;
}

/* -- security descriptor (SMB2_0_INFO_SECURITY) ------------------------------ */

#define SID_AUTHORITY_WORLD	1	/* S-1-1-0, Everyone */
#define SID_AUTHORITY_UNIX	22	/* Samba's S-1-22-1-uid, S-1-22-2-gid */
#define SID_UNIX_USERS		1
#define SID_UNIX_GROUPS		2

/* The descriptor of one file, with the arrays its views point into. */
struct unix_sd {
	u32 owner_sub[2], group_sub[2], world_sub[1];
	struct dom_sid owner, group, world;
	struct security_ace aces[3];
	struct security_descriptor sd;
};

static void set_sid(struct dom_sid *s, u8 authority, const u32 *sub, u32 n)
{
	os_memset(s, 0, sizeof(*s));
	s->revision = SEC_SID_REVISION;
	s->sub_authority_count = (u8)n;
	s->identifier_authority[5] = authority;
	s->sub_authority.items = sub;
	s->sub_authority.count = n;
}

/* What rwx bits let a user do, as FILE_GENERIC_* rights. */
static u32 rwx_access(u32 rwx, int is_dir)
{
	u32 mask = 0;

	if (rwx & 4)
		mask |= SEC_FILE_GENERIC_READ;
	if (rwx & 2)
		mask |= SEC_FILE_GENERIC_WRITE;
	if (rwx & 1)
		mask |= SEC_FILE_GENERIC_EXECUTE;
	/* write and search on a directory remove its entries */
	if (is_dir && (rwx & 3) == 3)
		mask |= SEC_FILE_DELETE_CHILD;
	return mask;
}

static void add_ace(struct unix_sd *u, u32 *n, const struct dom_sid *sid, u32 mask)
{
	struct security_ace *a = &u->aces[*n];

	if (!mask)
		return;		/* no bits, no entry: nothing is granted */
	os_memset(a, 0, sizeof(*a));
	a->type = SEC_ACCESS_ALLOWED_ACE_TYPE;
	a->body.allowed.mask = mask;
	a->body.allowed.sid = *sid;
	(*n)++;
}

/* Build the parts of st's descriptor that want asks for. */
static void build_sd(struct unix_sd *u, const struct os_stat *st, u32 want)
{
	int is_dir = (st->mode & OS_S_IFMT) == OS_S_IFDIR;
	u32 n = 0;

	os_memset(u, 0, sizeof(*u));
	u->owner_sub[0] = SID_UNIX_USERS;
	u->owner_sub[1] = st->uid;
	u->group_sub[0] = SID_UNIX_GROUPS;
	u->group_sub[1] = st->gid;
	set_sid(&u->owner, SID_AUTHORITY_UNIX, u->owner_sub, 2);
	set_sid(&u->group, SID_AUTHORITY_UNIX, u->group_sub, 2);
	set_sid(&u->world, SID_AUTHORITY_WORLD, u->world_sub, 1);

	u->sd.revision = SEC_DESCRIPTOR_REVISION;
	u->sd.control = SEC_SE_SELF_RELATIVE;
	if (want & SEC_OWNER_SECURITY_INFORMATION) {
		u->sd.owner_present = 1;
		u->sd.owner = u->owner;
	}
	if (want & SEC_GROUP_SECURITY_INFORMATION) {
		u->sd.group_present = 1;
		u->sd.group = u->group;
	}
	if (!(want & SEC_DACL_SECURITY_INFORMATION))
		return;
	add_ace(u, &n, &u->owner, rwx_access((st->mode >> 6) & 7, is_dir));
	add_ace(u, &n, &u->group, rwx_access((st->mode >> 3) & 7, is_dir));
	add_ace(u, &n, &u->world, rwx_access(st->mode & 7, is_dir));
	u->sd.control |= SEC_SE_DACL_PRESENT;
	u->sd.dacl_present = 1;
	u->sd.dacl.revision = SEC_ACL_REVISION;
	u->sd.dacl.aces.items = u->aces;
	u->sd.dacl.aces.count = n;
}

/* STATUS_BUFFER_TOO_SMALL, with the size needed as its error data. */
static u32 too_small(struct smbd_work *w, u32 need)
{
	struct smb2_error_buffer_too_small small = { .minimum_buffer_length = need };
	struct smb2_error_rsp er = { 0 };
	struct wire_enc e;
	u8 data[4];

	if (smb2_error_buffer_too_small_encode(data, sizeof(data), &small, NULL))
		return STATUS_BUFFER_TOO_SMALL;	/* 4 into 4: not reached */
	er.error_data.raw.p = data;
	er.error_data.raw.len = sizeof(data);
	smbd_body_enc(w, &e);
	if (!smb2_error_rsp_enc(&e, &er))
		w->rsp_len = e.pos;
	return STATUS_BUFFER_TOO_SMALL;
}

static u32 sec_info(struct qi *q)
{
	u32 want = q->req->additional_information;
	struct unix_sd *u;
	struct os_stat st;
	u32 status = STATUS_SUCCESS;
	int rc;

	if ((want & (SEC_OWNER_SECURITY_INFORMATION | SEC_GROUP_SECURITY_INFORMATION |
		     SEC_DACL_SECURITY_INFORMATION)) &&
	    !(q->o->access & SEC_READ_CONTROL))
		return STATUS_ACCESS_DENIED;
	/* no SACL is kept, but asking for it needs the right all the same */
	if ((want & SEC_SACL_SECURITY_INFORMATION) &&
	    !(q->o->access & SEC_ACCESS_SYSTEM_SECURITY))
		return STATUS_ACCESS_DENIED;
	rc = os_stat(q->o->file, &st);
	if (rc)
		return smbd_errno_to_status(rc);
	u = os_zalloc(sizeof(*u));
	if (!u)
		return STATUS_NO_MEMORY;
	build_sd(u, &st, want);
	if (security_descriptor_enc(&q->e, &u->sd))
		status = STATUS_INTERNAL_ERROR;
	else if (q->e.pos > q->cap)
		status = too_small(q->w, q->e.pos);
	os_free(u);
	return status;
}

/* -- the command ------------------------------------------------------------ */

static u32 answer(struct qi *q, const u8 *data)
{
	struct smb2_query_info_rsp rsp = { 0 };
	struct wire_enc e;

	rsp.buffer.p = data;
	rsp.buffer.len = q->e.pos;
	smbd_body_enc(q->w, &e);
	if (smb2_query_info_rsp_enc(&e, &rsp))
		return STATUS_INSUFFICIENT_RESOURCES;
	q->w->rsp_len = e.pos;
	return q->overflow ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
}

static u32 dispatch(struct qi *q)
{
	switch (q->req->info_type) {
	case SMB2_0_INFO_FILE:
		return file_info(q);
	case SMB2_0_INFO_FILESYSTEM:
		return fs_info(q);
	case SMB2_0_INFO_SECURITY:
		return sec_info(q);
	case SMB2_0_INFO_QUOTA:
		return STATUS_NOT_SUPPORTED;	/* no quotas are kept */
	default:
		return STATUS_INVALID_PARAMETER;
	}
}

u32 smbd_query_info(struct smbd_work *w)
{
	struct smb2_query_info_req req;
	struct qi q = { .w = w, .req = &req };
	struct wire_dec d;
	u8 *scratch;
	u32 status;

	smbd_body_dec(w, &d);
	if (smb2_query_info_req_dec(&d, &req))
		return STATUS_INVALID_PARAMETER;
	if (req.output_buffer_length > SMBD_MAX_TRANS)
		return STATUS_INVALID_PARAMETER;
	q.o = smbd_open_find(w, &req.file_id);
	if (!q.o)
		return STATUS_FILE_CLOSED;
	if (q.o->pipe)
		return smbd_pipe_query_info(w, q.o, &req);	/* IPC$ (pipe.c) */
	if (!q.o->file || !q.o->tree->fs)
		return STATUS_NOT_SUPPORTED;
	q.cap = req.output_buffer_length;
	scratch = os_alloc(QI_SCRATCH);
	if (!scratch)
		return STATUS_INSUFFICIENT_RESOURCES;
	wire_enc_init(&q.e, scratch, QI_SCRATCH);
	status = dispatch(&q);
	if (status == STATUS_SUCCESS)
		status = answer(&q, scratch);
	os_free(q.name);
	os_free(scratch);
	return status;
}
