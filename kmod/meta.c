// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A file in SMB terms: times, sizes and attributes (MS-FSCC 2.4.7, 2.6),
 * built from os_stat and the user.DOSATTRIB xattr.
 *
 * user.DOSATTRIB has Samba's format, so that a share keeps its DOS
 * attributes and creation times when it moves between Samba, ksmbd and
 * us (DESIGN.md principle 6). Every form Samba ever wrote is read: the
 * bare "0x20" hex text of old releases and the NDR blob of versions 1
 * to 5. Version 4 is written: Samba reads 1 to 5 and ksmbd only 3 and 4,
 * so it is the one version every server the share may move to reads.
 * Samba itself writes 5 today; 4 differs from it only by an unused itime.
 *
 * When the share does not store DOS attributes ("store dos attributes =
 * no"), the xattr is neither read nor written, as Samba does.
 */
#include "smbd.h"
#include "netlink.h"
#include "xattr.h"

#define DOSATTRIB_XATTR		"user.DOSATTRIB"
/* Larger than any blob Samba writes (v3: 56 bytes; v2 adds a short name). */
#define DOSATTRIB_MAX		256U
/* Decoding allocates only the hex and name strings of one blob. */
#define DOSATTRIB_ARENA		2048U

/*
 * The attributes kept in user.DOSATTRIB: those a client may set
 * (MS-FSA 2.1.5.14.2) that mean something here. SPARSE, REPARSE_POINT,
 * COMPRESSED and ENCRYPTED describe states this server cannot create,
 * so a value another server stored for them is not passed on.
 */
#define STORED_ATTRS	(FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_HIDDEN | \
			 FILE_ATTRIBUTE_SYSTEM | FILE_ATTRIBUTE_ARCHIVE | \
			 FILE_ATTRIBUTE_TEMPORARY | FILE_ATTRIBUTE_OFFLINE | \
			 FILE_ATTRIBUTE_NOT_CONTENT_INDEXED)

/* What a user.DOSATTRIB value said. */
struct dos_info {
	int present;
	u32 attrib;
	u64 create_time;	/* 0: not stored */
};

static int stores_dos(const struct smbd_tree *t)
{
	return !t || (t->share_flags & SMBD_NL_SHARE_FLAG_STORE_DOS_ATTRS);
}

static u64 udlong(const struct xattr_udlong *v)
{
	return ((u64)v->high << 32) | v->low;
}

static int hex_digit(u8 c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The compat form: "0x" and up to eight hex digits, n bytes. */
static int parse_hex(const u8 *p, u32 n, u32 *out)
{
	u32 i, v = 0;
	int d;

	if (n < 3 || n > 10 || p[0] != '0' || (p[1] != 'x' && p[1] != 'X'))
		return -OS_EINVAL;
	for (i = 2; i < n; i++) {
		d = hex_digit(p[i]);
		if (d < 0)
			return -OS_EINVAL;
		v = (v << 4) | (u32)d;
	}
	*out = v;
	return 0;
}

/* The decoded NDR blob. Versions 1 and 2 have no valid flags. */
static int from_ndr(const struct xattr_DOSATTRIB *v, struct dos_info *di)
{
	const union xattr_DosInfo *i = &v->info;

	switch (v->version) {
	case 1:
		di->attrib = i->info1.attrib;
		di->create_time = udlong(&i->info1.create_time);
		break;
	case 2:
		di->attrib = i->oldinfo2.attrib;
		break;
	case 3:
		di->attrib = i->info3.attrib;
		if (i->info3.valid_flags & XATTR_DOSINFO_CREATE_TIME)
			di->create_time = udlong(&i->info3.create_time);
		break;
	case 4:
		di->attrib = i->info4.attrib;
		if (i->info4.valid_flags & XATTR_DOSINFO_CREATE_TIME)
			di->create_time = udlong(&i->info4.create_time);
		break;
	case 5:
		di->attrib = i->info5.attrib;
		if (i->info5.valid_flags & XATTR_DOSINFO_CREATE_TIME)
			di->create_time = udlong(&i->info5.create_time);
		break;
	default:
		return -OS_EINVAL;
	}
	di->present = 1;
	return 0;
}

static int decode_blob(const u8 *buf, u32 len, struct dos_info *di)
{
	struct xattr_DOSATTRIB v;
	struct wire_arena a;
	u32 nul;
	int rc;

	for (nul = 0; nul < len && buf[nul]; nul++)
		;
	if (nul + 1 >= len) {
		/* nothing after the text: the compat form of old Samba */
		rc = parse_hex(buf, nul, &di->attrib);
		di->present = !rc;
		return rc;
	}
	wire_arena_init(&a, DOSATTRIB_ARENA);
	rc = xattr_DOSATTRIB_decode(buf, len, &a, &v);
	if (!rc)
		rc = from_ndr(&v, di);
	wire_arena_free(&a);
	return rc ? -OS_EINVAL : 0;
}

/*
 * Read user.DOSATTRIB of f. Anything short of a well-formed value (no
 * xattr, no xattr support, a blob we cannot parse) leaves di absent:
 * the file then gets the attributes its type implies, as it would on a
 * share that never had the xattr.
 */
static void dos_read(struct os_file *f, struct dos_info *di)
{
	u8 buf[DOSATTRIB_MAX];
	u32 len = 0;

	os_memset(di, 0, sizeof(*di));
	if (os_getxattr(f, DOSATTRIB_XATTR, buf, sizeof(buf), &len) ||
	    !len || len > sizeof(buf))
		return;
	if (decode_blob(buf, len, di))
		os_memset(di, 0, sizeof(*di));
}

/*
 * Stored creation time, else the filesystem's birth time, else the
 * earliest time the inode tells of (what a file that predates us can
 * best claim).
 */
static u64 created(const struct os_stat *st, const struct dos_info *di)
{
	u64 t;

	if (di->present && di->create_time)
		return di->create_time;
	if (st->btime)
		return st->btime;
	t = st->mtime;
	if (st->ctime && (!t || st->ctime < t))
		t = st->ctime;
	return t;
}

/* "Hide dot files": a last component starting with '.' ("." and ".." aside). */
static int is_dot_name(const char *name)
{
	const char *last = name;
	const char *p;

	if (!name)
		return 0;
	for (p = name; *p; p++)
		if (*p == '/')
			last = p + 1;
	if (last[0] != '.')
		return 0;
	return !(last[1] == 0 || (last[1] == '.' && last[2] == 0));
}

static u32 attributes(const struct smbd_tree *t, const struct dos_info *di,
		      const char *name, int is_dir)
{
	u32 a;

	if (di->present)
		a = di->attrib & STORED_ATTRS;
	else
		a = is_dir ? 0 : FILE_ATTRIBUTE_ARCHIVE;
	/* the real type wins over whatever was stored */
	if (is_dir)
		a |= FILE_ATTRIBUTE_DIRECTORY;
	if (t && (t->share_flags & SMBD_NL_SHARE_FLAG_HIDE_DOT_FILES) &&
	    is_dot_name(name))
		a |= FILE_ATTRIBUTE_HIDDEN;
	return a ? a : FILE_ATTRIBUTE_NORMAL;
}

u32 smbd_meta_get(struct smbd_tree *t, struct os_file *f, const char *name,
		  struct smbd_meta *m)
{
	struct dos_info di = { 0 };
	struct os_stat st;
	int rc;

	rc = os_stat(f, &st);
	if (rc)
		return smbd_errno_to_status(rc);
	if (stores_dos(t))
		dos_read(f, &di);
	os_memset(m, 0, sizeof(*m));
	m->is_dir = (st.mode & OS_S_IFMT) == OS_S_IFDIR;
	m->creation_time = created(&st, &di);
	m->last_access_time = st.atime;
	m->last_write_time = st.mtime;
	m->change_time = st.ctime;
	if (!m->is_dir) {
		m->end_of_file = st.size;
		m->allocation_size = st.alloc;
	}
	m->attributes = attributes(t, &di, name, m->is_dir);
	m->file_id = st.ino;
	m->nlink = st.nlink;
	return STATUS_SUCCESS;
}

static u32 xattr_status(int rc)
{
	/* no user xattrs on this filesystem: callers carry on without */
	if (rc == -OS_EOPNOTSUPP || rc == -OS_ENOSYS)
		return STATUS_NOT_SUPPORTED;
	return smbd_errno_to_status(rc);
}

/*
 * Write user.DOSATTRIB. A creation_time of 0 keeps the one the file has
 * now (stored, or derived from the inode): once written it stays put,
 * whatever later happens to the inode's times.
 */
u32 smbd_meta_set_dos(struct smbd_tree *t, struct os_file *f, u32 attributes,
		      u64 creation_time)
{
	struct xattr_DOSATTRIB v = { 0 };
	struct dos_info di;
	struct os_stat st;
	u8 buf[DOSATTRIB_MAX];
	size_t used = 0;
	int rc;

	if (!stores_dos(t))
		return STATUS_NOT_SUPPORTED;
	rc = os_stat(f, &st);
	if (rc)
		return smbd_errno_to_status(rc);
	if (!creation_time) {
		dos_read(f, &di);
		creation_time = created(&st, &di);
	}
	attributes &= STORED_ATTRS;
	if ((st.mode & OS_S_IFMT) == OS_S_IFDIR)
		attributes |= FILE_ATTRIBUTE_DIRECTORY;
	v.attrib_hex = "";	/* versions 4 and 5 carry no hex text */
	v.version = 4;
	v.info.info4.valid_flags = XATTR_DOSINFO_ATTRIB | XATTR_DOSINFO_CREATE_TIME;
	v.info.info4.attrib = attributes;
	v.info.info4.create_time.low = (u32)creation_time;
	v.info.info4.create_time.high = (u32)(creation_time >> 32);
	if (xattr_DOSATTRIB_encode(buf, sizeof(buf), &v, &used))
		return STATUS_INTERNAL_ERROR;
	rc = os_setxattr(f, DOSATTRIB_XATTR, buf, (u32)used);
	return rc ? xattr_status(rc) : STATUS_SUCCESS;
}
