// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SET_INFO (MS-SMB2 3.3.5.21) of file information, with the semantics of
 * MS-FSA 2.1.5.14: times and attributes, rename and hard link, delete
 * pending, position and mode, end of file and allocation.
 *
 * Set of file-system information, security descriptors and quotas is
 * not supported yet, and says so: accepting a descriptor without
 * storing it would tell the client its ACL is in force when it is not.
 *
 * Each open carries its path beneath the share root. A rename updates
 * the path of every open of the renamed file in the same tree, and a
 * directory with opens beneath it in the tree is not renamed (as Windows
 * refuses it): paths held by the opens stay true. An open of the
 * directory the file moves into can refuse the rename by its access and
 * sharing, as if the rename opened that directory itself.
 */
#include "smbd.h"

/* One SET_INFO being applied. */
struct si {
	struct smbd_work *w;
	struct smbd_open *o;
	struct smbd_tree *t;
};

/* -- strings ------------------------------------------------------------ */

static u32 str_len(const char *s)
{
	u32 n = 0;

	while (n < SMBD_PATH_MAX && s[n])
		n++;
	return n;
}

static int str_eq(const char *a, const char *b)
{
	u32 n = str_len(a);

	return n == str_len(b) && !os_memcmp(a, b, n);
}

/* a (alen bytes) and b joined, NUL-terminated; NULL without memory. */
static char *str_join(const char *a, u32 alen, const char *b, u32 blen)
{
	char *s = os_alloc(alen + blen + 1);

	if (!s)
		return NULL;
	os_memcpy(s, a, alen);
	os_memcpy(s + alen, b, blen);
	s[alen + blen] = 0;
	return s;
}

static char *str_dup(const char *s)
{
	return str_join(s, str_len(s), "", 0);
}

/* Length of the directory part of path: up to its last '/', or 0. */
static u32 dir_len(const char *path)
{
	u32 n = str_len(path), i, d = 0;

	for (i = 0; i < n; i++)
		if (path[i] == '/')
			d = i;
	return d;
}

static const char *last_name(const char *path)
{
	u32 d = dir_len(path);

	return d ? path + d + 1 : path;
}

/* -- checks shared by several classes --------------------------------- */

static int has(const struct si *s, u32 access)
{
	return (s->o->access & access) == access;
}

/* A name change needs DELETE on the open and a writable share. */
static u32 may_change_name(const struct si *s)
{
	if (!has(s, SEC_DELETE) || s->t->read_only)
		return STATUS_ACCESS_DENIED;
	if (!s->o->path[0])
		return STATUS_ACCESS_DENIED;	/* the share root */
	return STATUS_SUCCESS;
}

static int count_entry(void *arg, const struct os_dirent *ent)
{
	u32 *n = arg;

	if ((ent->name_len == 1 && ent->name[0] == '.') ||
	    (ent->name_len == 2 && ent->name[0] == '.' && ent->name[1] == '.'))
		return 0;
	(*n)++;
	return 1;	/* one is enough */
}

/*
 * Is o's directory empty? Listed through a handle of its own: o may be
 * a DELETE-only handle that cannot list, and its enumeration state
 * belongs to QUERY_DIRECTORY. A directory the user may not list is let
 * through: its removal at close fails by itself if it is not empty.
 */
static u32 dir_empty(struct smbd_open *o)
{
	struct os_file *dir;
	u64 pos = 0;
	u32 n = 0;
	int rc;

	rc = os_open(o->tree->fs, NULL, o->path, OS_O_READ | OS_O_DIR, 0, &dir, NULL);
	if (rc == -OS_EACCES)
		return STATUS_SUCCESS;
	if (rc)
		return smbd_errno_to_status(rc);
	rc = os_readdir(dir, &pos, count_entry, &n);
	os_close(dir);
	if (rc)
		return smbd_errno_to_status(rc);
	return n ? STATUS_DIRECTORY_NOT_EMPTY : STATUS_SUCCESS;
}

/*
 * Can o's file be deleted (MS-FSA 2.1.5.14.3)? Not when it is read-only
 * (unless the client said to ignore that), not a directory with entries.
 */
static u32 may_delete(struct si *s, int ignore_readonly)
{
	struct smbd_meta m;
	u32 status;

	if (s->t->read_only || !s->o->path[0])
		return STATUS_ACCESS_DENIED;
	status = smbd_meta_get(s->t, s->o->file, s->o->path, &m);
	if (status)
		return status;
	if ((m.attributes & FILE_ATTRIBUTE_READONLY) && !ignore_readonly)
		return STATUS_CANNOT_DELETE;
	return m.is_dir ? dir_empty(s->o) : STATUS_SUCCESS;
}

/* -- FileBasicInformation ------------------------------------------------ */

/*
 * A time from the client: 0 leaves it as it is, -1 asks to stop updating
 * it and -2 to resume: both leave it as it is here. Below -2 is invalid.
 */
static int time_arg(u64 t, u64 *out)
{
	s64 v = (s64)t;

	if (v < -2)
		return -1;
	*out = v > 0 ? t : 0;
	return 0;
}

static u32 check_attributes(const struct si *s, u32 attrs)
{
	if ((attrs & FILE_ATTRIBUTE_DIRECTORY) && !s->o->is_dir)
		return STATUS_INVALID_PARAMETER;
	if ((attrs & FILE_ATTRIBUTE_TEMPORARY) && s->o->is_dir)
		return STATUS_INVALID_PARAMETER;
	return STATUS_SUCCESS;
}

/*
 * Attributes and the creation time live in user.DOSATTRIB. Attributes 0
 * keep the current ones. A share without DOS attributes (or a file
 * system without xattrs) keeps neither: that is its configuration, and
 * the rest of the request still applies, as with Samba and ksmbd.
 */
static u32 store_dos(struct si *s, u32 attrs, u64 ctime)
{
	struct smbd_meta m;
	u32 status;

	if (!attrs && !ctime)
		return STATUS_SUCCESS;
	if (!attrs) {
		status = smbd_meta_get(s->t, s->o->file, s->o->path, &m);
		if (status)
			return status;
		attrs = m.attributes;
	}
	status = smbd_meta_set_dos(s->t, s->o->file, attrs, ctime);
	return status == STATUS_NOT_SUPPORTED ? STATUS_SUCCESS : status;
}

static u32 set_basic(struct si *s, struct wire_dec *d)
{
	struct fscc_file_basic_info v;
	u64 ctime, atime, mtime, chtime;
	struct os_stat st;
	u32 status;
	int rc;

	if (fscc_file_basic_info_dec(d, &v))
		return STATUS_INVALID_PARAMETER;
	if (!has(s, SEC_FILE_WRITE_ATTRIBUTES) || s->t->read_only)
		return STATUS_ACCESS_DENIED;
	if (time_arg(v.creation_time, &ctime) || time_arg(v.last_access_time, &atime) ||
	    time_arg(v.last_write_time, &mtime) || time_arg(v.change_time, &chtime))
		return STATUS_INVALID_PARAMETER;
	status = check_attributes(s, v.file_attributes);
	if (status)
		return status;
	if (atime || mtime) {
		rc = os_set_times(s->o->file, atime, mtime);
		if (rc)
			return smbd_errno_to_status(rc);
	}
	status = store_dos(s, v.file_attributes, ctime);
	/* ChangeTime last: the writes above moved the file's real ctime */
	if (!status && chtime && !os_stat(s->o->file, &st))
		smbd_inode_set_change_time(s->o->inode, chtime, st.ctime);
	return status;
}

/* -- FileRenameInformation, FileLinkInformation ------------------------------ */

/* The client's target name as a path beneath the root (one leading '\' is
 * tolerated: some clients send it). *out is allocated. */
static u32 target_path(const struct wire_blob *name, char **out)
{
	struct wire_blob n = *name;
	u32 status;

	if (n.len >= 2 && n.p[0] == '\\' && n.p[1] == 0) {
		n.p += 2;
		n.len -= 2;
	}
	if (!n.len)
		return STATUS_OBJECT_NAME_INVALID;
	status = smbd_path_from_wire(n.p, n.len, out);
	if (!status && !(*out)[0]) {
		os_free(*out);
		*out = NULL;
		return STATUS_OBJECT_NAME_INVALID;	/* the root */
	}
	return status;
}

/* Is there an open in o's tree beneath o's directory? */
static int opens_beneath(const struct smbd_open *o)
{
	u32 n = str_len(o->path);
	const struct smbd_open *p;

	for (p = o->tree->opens; p; p = p->next)
		if (p != o && str_len(p->path) > n && p->path[n] == '/' &&
		    !os_memcmp(p->path, o->path, n))
			return 1;
	return 0;
}

/* The type of the existing entry at path: directory or not. An NTSTATUS. */
static u32 stat_path(struct smbd_tree *t, const char *path, int *is_dir)
{
	struct os_file *f;
	struct os_stat st;
	int rc;

	rc = os_open(t->fs, NULL, path, 0, 0, &f, NULL);
	if (rc)
		return smbd_errno_to_status(rc);
	rc = os_stat(f, &st);
	os_close(f);
	if (rc)
		return smbd_errno_to_status(rc);
	*is_dir = (st.mode & OS_S_IFMT) == OS_S_IFDIR;
	return STATUS_SUCCESS;
}

/*
 * An existing target may be replaced when the client asked for it and
 * it is not a directory (MS-FSA 2.1.5.14.11).
 */
static u32 may_replace(struct smbd_tree *t, const char *path, int replace)
{
	int is_dir = 0;
	u32 status;

	if (!replace)
		return STATUS_OBJECT_NAME_COLLISION;
	status = stat_path(t, path, &is_dir);
	if (status)
		return status;
	return is_dir ? STATUS_ACCESS_DENIED : STATUS_SUCCESS;
}

/* After a rename: every open of the old name in the tree takes the new. */
static void repath(struct smbd_tree *t, const char *old, const char *to)
{
	struct smbd_open *p;
	char *copy;

	for (p = t->opens; p; p = p->next) {
		if (p->path == old || !str_eq(p->path, old))
			continue;
		copy = str_dup(to);
		if (!copy) {
			os_log(OS_LOG_ERR, "rename: no memory for an open's new path");
			continue;
		}
		os_free(p->path);
		p->path = copy;
	}
}

/*
 * Where the rename goes: a missing name with its parents as on disk; an
 * existing other file when it may be replaced; or, when the target is
 * the open's own file (the names differ only in case), its name with the
 * last component spelled as the client wrote it.
 */
static u32 rename_target(struct si *s, const char *want, int replace, char **to,
			 int *overwrite)
{
	char *real = NULL;
	u32 status;

	status = smbd_path_resolve(s->t, want, &real);
	*overwrite = 0;
	if (status == STATUS_OBJECT_NAME_NOT_FOUND) {
		*to = real;
		return STATUS_SUCCESS;
	}
	if (status) {
		os_free(real);
		return status;
	}
	if (str_eq(real, s->o->path)) {
		*to = str_join(real, dir_len(real) ? dir_len(real) + 1 : 0,
			       last_name(want), str_len(last_name(want)));
		os_free(real);
		return *to ? STATUS_SUCCESS : STATUS_NO_MEMORY;
	}
	status = may_replace(s->t, real, replace);
	if (status) {
		os_free(real);
		return status;
	}
	*to = real;
	*overwrite = 1;
	return STATUS_SUCCESS;
}

/*
 * A rename changes the entries of the directory it puts the file in, and
 * Windows opens that directory to do so, for writing and sharing read and
 * write: an open of it that holds DELETE, or does not share writing,
 * refuses the rename with STATUS_SHARING_VIOLATION (smbtorture
 * smb2.rename.*_delete_access, smb2.oplock.batch19).
 */
static u32 dest_dir_shared(struct si *s, const char *to)
{
	char *dir = str_join(to, dir_len(to), "", 0);
	struct os_file *f;
	struct os_stat st;
	int rc;

	if (!dir)
		return STATUS_NO_MEMORY;
	rc = os_open(s->t->fs, NULL, dir, 0, 0, &f, NULL);
	os_free(dir);
	if (rc)
		return smbd_errno_to_status(rc);
	rc = os_stat(f, &st);
	os_close(f);
	if (rc)
		return smbd_errno_to_status(rc);
	return smbd_inode_share_check(st.dev, st.ino, s->o, SEC_FILE_WRITE_DATA,
				      FILE_SHARE_READ | FILE_SHARE_WRITE);
}

static u32 rename_to(struct si *s, const struct wire_blob *name, int replace)
{
	struct smbd_open *o = s->o;
	char *want = NULL, *to = NULL, *old;
	int overwrite, rc;
	u32 status;

	if (o->is_dir && opens_beneath(o))
		return STATUS_ACCESS_DENIED;
	status = target_path(name, &want);
	if (status)
		return status;
	status = rename_target(s, want, replace, &to, &overwrite);
	os_free(want);
	if (status)
		return status;
	if (str_eq(to, o->path)) {
		os_free(to);		/* to itself: nothing to do */
		return STATUS_SUCCESS;
	}
	status = dest_dir_shared(s, to);
	if (status) {
		os_free(to);
		return status;
	}
	rc = os_rename(s->t->fs, o->path, to, overwrite);
	if (rc) {
		os_free(to);
		return rc == -OS_EEXIST ? STATUS_OBJECT_NAME_COLLISION :
					  smbd_errno_to_status(rc);
	}
	old = o->path;
	repath(s->t, old, to);
	o->path = to;
	os_free(old);
	return STATUS_SUCCESS;
}

static u32 set_rename(struct si *s, struct wire_dec *d)
{
	struct fscc_file_rename_info v;
	u32 status;

	if (fscc_file_rename_info_dec(d, &v))
		return STATUS_INVALID_PARAMETER;
	status = may_change_name(s);
	if (status)
		return status;
	if (v.root_directory)
		return STATUS_INVALID_PARAMETER;	/* MS-FSCC 2.4.41.2 */
	return rename_to(s, &v.file_name, v.replace_if_exists);
}

/* A new name for o's file (MS-FSA 2.1.5.14.6). */
static u32 link_to(struct si *s, const struct wire_blob *name, int replace)
{
	char *want = NULL, *real = NULL;
	u32 status;
	int rc;

	status = target_path(name, &want);
	if (status)
		return status;
	status = smbd_path_resolve(s->t, want, &real);
	os_free(want);
	if (status == STATUS_SUCCESS) {
		if (str_eq(real, s->o->path)) {
			/* its own name: unlinking that first would lose the file */
			status = replace ? STATUS_SUCCESS : STATUS_OBJECT_NAME_COLLISION;
			goto out;
		}
		status = may_replace(s->t, real, replace);
		if (status)
			goto out;
		rc = os_unlink(s->t->fs, real, 0);
		if (rc) {
			status = smbd_errno_to_status(rc);
			goto out;
		}
	} else if (status != STATUS_OBJECT_NAME_NOT_FOUND) {
		goto out;
	}
	rc = os_link(s->t->fs, s->o->path, real);
	status = rc == -OS_EEXIST ? STATUS_OBJECT_NAME_COLLISION :
		 rc ? smbd_errno_to_status(rc) : STATUS_SUCCESS;
out:
	os_free(real);
	return status;
}

static u32 set_link(struct si *s, struct wire_dec *d)
{
	struct fscc_file_link_info v;

	if (fscc_file_link_info_dec(d, &v))
		return STATUS_INVALID_PARAMETER;
	if (s->t->read_only)
		return STATUS_ACCESS_DENIED;
	if (s->o->is_dir)
		return STATUS_FILE_IS_A_DIRECTORY;
	if (v.root_directory)
		return STATUS_INVALID_PARAMETER;
	return link_to(s, &v.file_name, v.replace_if_exists);
}

/* -- FileDispositionInformation(Ex) ----------------------------------------- */

static u32 set_pending(struct si *s, int on, int ignore_readonly)
{
	u32 status;

	if (!s->o->inode)
		return STATUS_INVALID_HANDLE;
	if (on) {
		status = may_delete(s, ignore_readonly);
		if (status)
			return status;
	}
	smbd_inode_set_delete_pending(s->o->inode, on);
	return STATUS_SUCCESS;
}

static u32 set_disposition(struct si *s, struct wire_dec *d)
{
	struct fscc_file_disposition_info v;

	if (fscc_file_disposition_info_dec(d, &v))
		return STATUS_INVALID_PARAMETER;
	if (!has(s, SEC_DELETE))
		return STATUS_ACCESS_DENIED;
	return set_pending(s, v.delete_pending != 0, 0);
}

/*
 * The Ex form: DELETE sets (or, absent, clears) delete pending, ON_CLOSE
 * makes that happen at this handle's close instead. POSIX semantics (the
 * name gone at once, while opens remain) cannot be given here and are
 * refused: the client then falls back to the plain class.
 */
static u32 set_disposition_ex(struct si *s, struct wire_dec *d)
{
	struct fscc_file_disposition_ex_info v;
	int on, ignore_ro;
	u32 status;

	if (fscc_file_disposition_ex_info_dec(d, &v))
		return STATUS_INVALID_PARAMETER;
	if (!has(s, SEC_DELETE))
		return STATUS_ACCESS_DENIED;
	if (v.flags & FILE_DISPOSITION_POSIX_SEMANTICS)
		return STATUS_NOT_SUPPORTED;
	on = !!(v.flags & FILE_DISPOSITION_DELETE);
	ignore_ro = !!(v.flags & FILE_DISPOSITION_IGNORE_READONLY_ATTRIBUTE);
	if (!(v.flags & FILE_DISPOSITION_ON_CLOSE))
		return set_pending(s, on, ignore_ro);
	if (on) {
		status = may_delete(s, ignore_ro);
		if (status)
			return status;
	}
	s->o->delete_on_close = on;
	return STATUS_SUCCESS;
}

/* -- position, mode ------------------------------------------------------------ */

static u32 set_position(struct si *s, struct wire_dec *d)
{
	struct fscc_file_position_info v;

	if (fscc_file_position_info_dec(d, &v) || v.current_byte_offset < 0)
		return STATUS_INVALID_PARAMETER;
	s->o->position = (u64)v.current_byte_offset;
	return STATUS_SUCCESS;
}

/* Write-through and sequential-only may change; the rest is fixed at open. */
#define MODE_SETTABLE	(FSCC_MODE_WRITE_THROUGH | FSCC_MODE_SEQUENTIAL_ONLY)

static u32 set_mode(struct si *s, struct wire_dec *d)
{
	struct fscc_file_mode_info v;

	if (fscc_file_mode_info_dec(d, &v) || (v.mode & ~MODE_SETTABLE))
		return STATUS_INVALID_PARAMETER;
	s->o->mode = (s->o->mode & ~MODE_SETTABLE) | v.mode;
	return STATUS_SUCCESS;
}

/* -- end of file, allocation ----------------------------------------------- */

static u32 may_resize(const struct si *s, s64 size)
{
	if (!has(s, SEC_FILE_WRITE_DATA) || s->t->read_only)
		return STATUS_ACCESS_DENIED;
	if (s->o->is_dir || size < 0)
		return STATUS_INVALID_PARAMETER;
	return STATUS_SUCCESS;
}

static u32 resize_status(int rc)
{
	/* a handle the host opened without write access */
	if (rc == -OS_EBADF)
		return STATUS_ACCESS_DENIED;
	return smbd_errno_to_status(rc);
}

static u32 set_end_of_file(struct si *s, struct wire_dec *d)
{
	struct fscc_file_end_of_file_info v;
	u32 status;
	int rc;

	if (fscc_file_end_of_file_info_dec(d, &v))
		return STATUS_INVALID_PARAMETER;
	status = may_resize(s, v.end_of_file);
	if (status)
		return status;
	smbd_inode_data_changed(s->o);	/* Level II caches go stale */
	rc = os_truncate(s->o->file, (u64)v.end_of_file);
	return rc ? resize_status(rc) : STATUS_SUCCESS;
}

/*
 * Below the end of file the file is cut there (MS-FSA 2.1.5.14.1); above
 * it the space is reserved when the file system can, and otherwise the
 * request is still met: allocation is a hint, the size is what counts.
 */
static u32 set_allocation(struct si *s, struct wire_dec *d)
{
	struct fscc_file_allocation_info v;
	struct os_stat st;
	u32 status;
	int rc;

	if (fscc_file_allocation_info_dec(d, &v))
		return STATUS_INVALID_PARAMETER;
	status = may_resize(s, v.allocation_size);
	if (status)
		return status;
	rc = os_stat(s->o->file, &st);
	if (rc)
		return smbd_errno_to_status(rc);
	smbd_inode_data_changed(s->o);	/* Level II caches go stale */
	if ((u64)v.allocation_size < st.size)
		rc = os_truncate(s->o->file, (u64)v.allocation_size);
	else
		rc = os_allocate(s->o->file, (u64)v.allocation_size);
	if (rc == -OS_EOPNOTSUPP)
		rc = 0;
	return rc ? resize_status(rc) : STATUS_SUCCESS;
}

/* -- the command ---------------------------------------------------------- */

struct set_class {
	u8 cls;
	u32 min;		/* the smallest input buffer */
	u32 (*apply)(struct si *s, struct wire_dec *d);
};

static const struct set_class set_classes[] = {
	{ FILE_BASIC_INFORMATION, 40, set_basic },
	{ FILE_RENAME_INFORMATION, 20, set_rename },
	{ FILE_LINK_INFORMATION, 20, set_link },
	{ FILE_DISPOSITION_INFORMATION, 1, set_disposition },
	{ FILE_POSITION_INFORMATION, 8, set_position },
	{ FILE_MODE_INFORMATION, 4, set_mode },
	{ FILE_ALLOCATION_INFORMATION, 8, set_allocation },
	{ FILE_END_OF_FILE_INFORMATION, 8, set_end_of_file },
	{ FILE_DISPOSITION_INFORMATION_EX, 4, set_disposition_ex },
};

/* Classes that can be set elsewhere but not here (yet). */
static u32 set_class_missing(u8 cls)
{
	switch (cls) {
	case FILE_FULL_EA_INFORMATION:
		return STATUS_EAS_NOT_SUPPORTED;
	case FILE_VALID_DATA_LENGTH_INFORMATION:
	case FILE_SHORT_NAME_INFORMATION:
	case FILE_OBJECT_ID_INFORMATION:
	case FILE_RENAME_INFORMATION_EX:
	case FILE_CASE_SENSITIVE_INFORMATION:
	case FILE_PIPE_INFORMATION:
		return STATUS_NOT_SUPPORTED;
	default:
		return STATUS_INVALID_INFO_CLASS;
	}
}

static u32 file_info(struct si *s, u8 cls, const struct wire_blob *buf)
{
	struct wire_dec d;
	u32 i;

	for (i = 0; i < OS_ARRAY_SIZE(set_classes); i++) {
		if (set_classes[i].cls != cls)
			continue;
		if (buf->len < set_classes[i].min)
			return STATUS_INFO_LENGTH_MISMATCH;
		wire_dec_init(&d, buf->p, buf->len);
		return set_classes[i].apply(s, &d);
	}
	return set_class_missing(cls);
}

u32 smbd_set_info(struct smbd_work *w)
{
	struct smb2_set_info_rsp rsp = { 0 };
	struct smb2_set_info_req req;
	struct si s = { .w = w };
	struct wire_blob none = { 0 };
	struct wire_dec d;
	struct wire_enc e;
	u32 status;

	smbd_body_dec(w, &d);
	if (smb2_set_info_req_dec(&d, &req))
		return STATUS_INVALID_PARAMETER;
	if (req.buffer_length > SMBD_MAX_TRANS)
		return STATUS_INVALID_PARAMETER;
	s.o = smbd_open_find(w, &req.file_id);
	if (!s.o)
		return STATUS_FILE_CLOSED;
	if (!s.o->file || !s.o->tree->fs)
		return STATUS_NOT_SUPPORTED;	/* not a file: pipes come later */
	s.t = s.o->tree;
	switch (req.info_type) {
	case SMB2_0_INFO_FILE:
		status = file_info(&s, req.file_info_class,
				   req.buffer_present ? &req.buffer.raw : &none);
		break;
	case SMB2_0_INFO_FILESYSTEM:
	case SMB2_0_INFO_SECURITY:
	case SMB2_0_INFO_QUOTA:
		status = STATUS_NOT_SUPPORTED;
		break;
	default:
		status = STATUS_INVALID_PARAMETER;
		break;
	}
	if (status)
		return status;
	smbd_body_enc(w, &e);
	if (smb2_set_info_rsp_enc(&e, &rsp))
		return STATUS_INSUFFICIENT_RESOURCES;
	w->rsp_len = e.pos;
	return STATUS_SUCCESS;
}
