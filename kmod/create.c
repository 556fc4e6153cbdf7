// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * CREATE (MS-SMB2 3.3.5.9): open or create a file or directory on a disk
 * share, following MS-FSA 2.1.5.1 for what the object store decides.
 *
 * The order matters and is the spec's: the request is checked before
 * anything touches the disk; the name is found (case-insensitively,
 * path.c); the object is opened once, with the data access it needs, so
 * that every later check (type, DOS read-only, share modes) applies to
 * the very object this open holds; only then does an overwrite truncate.
 *
 * Whether the user may read or write is the OS's answer: handlers run as
 * the session's user, and an -OS_EACCES from the open is ACCESS_DENIED.
 * MAXIMUM_ALLOWED asks for the most the file's mode bits and the share
 * allow, and keeps what the open then really gets.
 *
 * Oplocks are granted and broken by the inode (inode.c, oplock.c): when
 * another open's oplock must be broken first, the CREATE is undone and
 * answered STATUS_PENDING, and it runs again from the start once the
 * break ended (async.c). Nothing on disk has changed by then: a CREATE
 * that created the file never waits, and an overwrite truncates only
 * after the inode took the open.
 *
 * Not in this slice: leases and durable handles (requests for them are
 * answered without: no response context), EAs (ExtA), security
 * descriptors (SecD is checked for form and otherwise ignored),
 * snapshots (TWrp), alternate data streams.
 */
#include "smbd.h"

/* Requests Windows refuses outright (MS-SMB2 3.3.5.9; smbtorture's
 * smb2.create.gentest records what Windows answers, bit by bit). */
#define ACCESS_RESERVED		0x0CE0FE00U
#define ATTRS_INVALID		0xFFFF8048U
#define OPTIONS_INVALID		0xFF000000U
#define FILE_CREATE_TREE_CONNECTION	0x00000080U
#define OPTIONS_NOT_SUPPORTED	(FILE_OPEN_BY_FILE_ID | FILE_RESERVE_OPFILTER | \
				 FILE_CREATE_TREE_CONNECTION)
#define SHARE_ALL		(FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)

/* The DOS attributes a create stores (the rest are the filesystem's). */
#define ATTRS_STORED		(FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_HIDDEN | \
				 FILE_ATTRIBUTE_SYSTEM | FILE_ATTRIBUTE_ARCHIVE | \
				 FILE_ATTRIBUTE_TEMPORARY | FILE_ATTRIBUTE_OFFLINE | \
				 FILE_ATTRIBUTE_NOT_CONTENT_INDEXED)

/* What a share grants at most (as tree.c answers MaximalAccess). */
#define TREE_ACCESS_ALL		SEC_FILE_ALL_ACCESS
#define TREE_ACCESS_READ	0x001200A9U

#define READ_BITS		(SEC_FILE_READ_DATA | SEC_FILE_EXECUTE)
#define WRITE_DATA_BITS		(SEC_FILE_WRITE_DATA | SEC_FILE_APPEND_DATA)
/* Everything that changes the file or its name: refused on read-only shares. */
#define WRITE_BITS		(WRITE_DATA_BITS | SEC_FILE_WRITE_EA | \
				 SEC_FILE_WRITE_ATTRIBUTES | SEC_FILE_DELETE_CHILD | \
				 SEC_DELETE | SEC_WRITE_DAC | SEC_WRITE_OWNER)
#define ALWAYS_BITS		(SEC_FILE_READ_ATTRIBUTES | SEC_FILE_READ_EA | \
				 SEC_READ_CONTROL | SEC_SYNCHRONIZE)

/* Opens one tree may hold: each is a descriptor on the host. */
#define TREE_OPENS_MAX		16384U
/* Create-versus-create races retried before giving up. */
#define CREATE_TRIES		3

/* One CREATE being answered. */
struct create {
	struct smbd_work *w;
	struct smbd_tree *t;
	struct smb2_create_req req;
	u32 explicit;		/* desired, generic bits mapped */
	int max_allowed;	/* and as much more as may be had */
	u32 access;		/* what this attempt asks for */
	/* create contexts */
	int want_mxac, want_qfid;
	u64 alloc_size;
	/* the result */
	struct smbd_open *o;
	struct os_stat st;
	struct smbd_meta meta;
	u32 action;
	u32 max_access;		/* for MxAc */
	u8 oplock;		/* the level granted */
	struct smbd_lease_req lease;	/* RqLs asked for, and what it got */
};

static int is_overwrite(u32 disposition)
{
	return disposition == FILE_SUPERSEDE || disposition == FILE_OVERWRITE ||
	       disposition == FILE_OVERWRITE_IF;
}

static u32 tree_max(const struct smbd_tree *t)
{
	return t->read_only ? TREE_ACCESS_READ : TREE_ACCESS_ALL;
}

/* MS-DTYP 2.4.3: generic rights as file rights. */
static u32 map_generic(u32 a)
{
	if (a & SEC_GENERIC_READ)
		a |= SEC_FILE_GENERIC_READ;
	if (a & SEC_GENERIC_WRITE)
		a |= SEC_FILE_GENERIC_WRITE;
	if (a & SEC_GENERIC_EXECUTE)
		a |= SEC_FILE_GENERIC_EXECUTE;
	if (a & SEC_GENERIC_ALL)
		a |= SEC_FILE_ALL_ACCESS;
	return a & ~(SEC_GENERIC_READ | SEC_GENERIC_WRITE | SEC_GENERIC_EXECUTE |
		     SEC_GENERIC_ALL | SEC_MAXIMUM_ALLOWED);
}

/* -- request checks --------------------------------------------------------- */

static u32 check_request(struct create *c)
{
	const struct smb2_create_req *r = &c->req;
	u32 opt = r->create_options;

	if (r->impersonation_level > SMB2_IMPERSONATION_DELEGATE)
		return STATUS_BAD_IMPERSONATION_LEVEL;
	/*
	 * Windows looks at the access mask before the attributes: nothing
	 * asked, or reserved bits, is refused. SYNCHRONIZE alone is a
	 * valid (if useless) open (smbtorture smb2.sharemode).
	 */
	if (!r->desired_access || (r->desired_access & ACCESS_RESERVED))
		return STATUS_ACCESS_DENIED;
	if (opt & OPTIONS_INVALID)
		return STATUS_INVALID_PARAMETER;
	if (opt & OPTIONS_NOT_SUPPORTED)
		return STATUS_NOT_SUPPORTED;
	if (r->create_disposition > FILE_OVERWRITE_IF)
		return STATUS_INVALID_PARAMETER;
	if (r->share_access & ~SHARE_ALL)
		return STATUS_INVALID_PARAMETER;
	if (r->file_attributes & ATTRS_INVALID)
		return STATUS_INVALID_PARAMETER;
	if ((opt & FILE_DIRECTORY_FILE) && (opt & FILE_NON_DIRECTORY_FILE))
		return STATUS_INVALID_PARAMETER;
	if ((opt & FILE_DIRECTORY_FILE) && r->create_disposition != FILE_CREATE &&
	    r->create_disposition != FILE_OPEN &&
	    r->create_disposition != FILE_OPEN_IF)
		return STATUS_INVALID_PARAMETER;
	/* SACL access needs a privilege no SMB user has here. */
	if (r->desired_access & SEC_ACCESS_SYSTEM_SECURITY)
		return STATUS_PRIVILEGE_NOT_HELD;

	c->max_allowed = !!(r->desired_access & SEC_MAXIMUM_ALLOWED);
	c->explicit = map_generic(r->desired_access);
	if (c->explicit & ~tree_max(c->t))
		return STATUS_ACCESS_DENIED;	/* e.g. write on a read-only share */
	if ((opt & FILE_DELETE_ON_CLOSE) && !c->max_allowed &&
	    !(c->explicit & SEC_DELETE))
		return STATUS_ACCESS_DENIED;
	if ((opt & FILE_DELETE_ON_CLOSE) && c->t->read_only)
		return STATUS_ACCESS_DENIED;
	if (c->t->read_only && r->create_disposition != FILE_OPEN &&
	    r->create_disposition != FILE_OPEN_IF)
		return STATUS_ACCESS_DENIED;
	return STATUS_SUCCESS;
}

/* -- create contexts (MS-SMB2 2.2.13.2) ------------------------------------- */

/* The 4-byte tag of a context as the IDL's constants spell it; 0 if longer. */
static u32 tag_of(const struct smb2_create_context *cc)
{
	struct smb2_create_context_tag t;

	if (cc->name.len != 4 ||
	    smb2_create_context_tag_decode(cc->name.p, cc->name.len, &t))
		return 0;
	return t.tag;
}

/*
 * RqLs (MS-SMB2 3.3.5.9.8, 3.3.5.9.11): honoured when the oplock level
 * asks for a lease, on 2.1 and later; the v2 form from 3.0 on.
 */
static u32 lease_context(struct create *c, const struct wire_blob *d)
{
	u16 dialect = c->w->conn->dialect;
	struct smbd_lease_req *l = &c->lease;

	if (c->req.requested_oplock_level != SMB2_OPLOCK_LEVEL_LEASE ||
	    dialect < SMB2_DIALECT_210)
		return STATUS_SUCCESS;
	os_memset(l, 0, sizeof(*l));
	if (d->len == 52 && dialect >= SMB2_DIALECT_300) {
		struct smb2_cc_rqls_v2_req v2;

		if (smb2_cc_rqls_v2_req_decode(d->p, d->len, &v2))
			return STATUS_INVALID_PARAMETER;
		l->version = 2;
		os_memcpy(l->key, v2.lease_key, 16);
		l->state = v2.lease_state;
		l->epoch = v2.epoch;
		l->has_parent = !!(v2.lease_flags & SMB2_LEASE_FLAG_PARENT_LEASE_KEY_SET);
		if (l->has_parent)
			os_memcpy(l->parent_key, v2.parent_lease_key, 16);
	} else {
		struct smb2_cc_rqls_v1_req v1;

		if (smb2_cc_rqls_v1_req_decode(d->p, 32, &v1))
			return STATUS_INVALID_PARAMETER;
		l->version = 1;
		os_memcpy(l->key, v1.lease_key, 16);
		l->state = v1.lease_state;
	}
	l->present = 1;
	return STATUS_SUCCESS;
}

static u32 one_context(struct create *c, const struct smb2_create_context *cc)
{
	const struct wire_blob *d = &cc->data;

	/* Tags are at least 4 bytes; longer ones (GUIDs) we do not serve. */
	if (cc->name.len < 4)
		return STATUS_INVALID_PARAMETER;
	if (cc->name.len != 4)
		return STATUS_SUCCESS;
	switch (tag_of(cc)) {
	case SMB2_CREATE_EA_BUFFER: {
		struct smb2_cc_exta_req ea;

		if (smb2_cc_exta_req_decode(d->p, d->len, &ea))
			return STATUS_INVALID_PARAMETER;
		return STATUS_EAS_NOT_SUPPORTED;
	}
	case SMB2_CREATE_SD_BUFFER: {
		struct smb2_cc_secd_req sd;

		/* checked, not applied: new files get the filesystem's modes */
		if (smb2_cc_secd_req_decode(d->p, d->len, &sd))
			return STATUS_INVALID_PARAMETER;
		return STATUS_SUCCESS;
	}
	case SMB2_CREATE_QUERY_MAXIMAL_ACCESS_REQUEST:
		if (d->len != 0 && d->len != 8)
			return STATUS_INVALID_PARAMETER;
		c->want_mxac = 1;
		return STATUS_SUCCESS;
	case SMB2_CREATE_QUERY_ON_DISK_ID:
		c->want_qfid = 1;
		return STATUS_SUCCESS;
	case SMB2_CREATE_ALLOCATION_SIZE: {
		struct smb2_cc_alsi_req al;

		if (d->len != 8 || smb2_cc_alsi_req_decode(d->p, d->len, &al))
			return STATUS_INVALID_PARAMETER;
		c->alloc_size = al.allocation_size;
		return STATUS_SUCCESS;
	}
	case SMB2_CREATE_TIMEWARP_TOKEN:
		if (d->len != 8)
			return STATUS_INVALID_PARAMETER;
		return STATUS_OBJECT_NAME_NOT_FOUND;	/* no snapshots */
	case SMB2_CREATE_DURABLE_HANDLE_RECONNECT:
	case SMB2_CREATE_DURABLE_HANDLE_RECONNECT_V2:
		/* MS-SMB2 3.3.5.9.7: no such durable open (none is kept) */
		return STATUS_OBJECT_NAME_NOT_FOUND;
	case SMB2_CREATE_DURABLE_HANDLE_REQUEST:
		return d->len == 16 ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
	case SMB2_CREATE_DURABLE_HANDLE_REQUEST_V2:
		return d->len == 32 ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
	case SMB2_CREATE_REQUEST_LEASE:
		if (d->len != 32 && d->len != 52)
			return STATUS_INVALID_PARAMETER;
		return lease_context(c, d);
	default:
		return STATUS_SUCCESS;	/* AAPL and unknown tags: ignored */
	}
}

static u32 read_contexts(struct create *c)
{
	struct smb2_create_context cc;
	struct wire_seq_iter it;
	u32 status;
	int rc;

	wire_seq_iter_init(&it, &c->req.create_contexts);
	while ((rc = smb2_create_context_seq_next(&it, &cc)) > 0) {
		status = one_context(c, &cc);
		if (status)
			return status;
	}
	return rc < 0 ? STATUS_INVALID_PARAMETER : STATUS_SUCCESS;
}

/* -- access ------------------------------------------------------------------- */

/*
 * What the mode bits of st let the session's user do, in access-mask
 * terms: an estimate for MAXIMUM_ALLOWED and MxAc (the open itself is
 * the real check). Root, and a share's forced user, are not guessed at.
 */
static u32 mode_access(const struct create *c, const struct os_stat *st)
{
	const struct smbd_session *s = c->w->sess;
	u32 bits, a = ALWAYS_BITS;

	if (!s || s->uid == 0 || c->t->cred)
		return SEC_FILE_ALL_ACCESS;
	if (st->uid == s->uid) {
		/* the owner may change modes, times and, in the end, delete */
		bits = (st->mode >> 6) & 7;
		a |= SEC_FILE_WRITE_ATTRIBUTES | SEC_FILE_WRITE_EA |
		     SEC_WRITE_DAC | SEC_WRITE_OWNER | SEC_DELETE;
	} else if (st->gid == s->gid) {
		bits = (st->mode >> 3) & 7;
	} else {
		bits = st->mode & 7;
	}
	/* What may be read may be executed: SMB clients page code in. */
	if (bits & 4)
		a |= SEC_FILE_READ_DATA | SEC_FILE_EXECUTE;
	if (bits & 2)
		a |= WRITE_DATA_BITS | SEC_FILE_WRITE_EA |
		     SEC_FILE_WRITE_ATTRIBUTES | SEC_DELETE |
		     SEC_FILE_DELETE_CHILD;
	if (bits & 1)
		a |= SEC_FILE_EXECUTE;
	return a;
}

/* os_open flags for the access an open of a file or directory needs. */
static u32 data_flags(u32 access, int dir, u32 disposition)
{
	u32 f = 0;

	if (dir)
		return OS_O_DIR | ((access & SEC_FILE_LIST_DIRECTORY) ? OS_O_READ : 0);
	if (access & READ_BITS)
		f |= OS_O_READ;
	if ((access & WRITE_DATA_BITS) || is_overwrite(disposition))
		f |= OS_O_WRITE;
	return f | OS_O_NOTDIR;
}

/* Drop from access what a handle opened with flags cannot do. */
static u32 access_for_flags(u32 access, u32 flags, int dir)
{
	if (!(flags & OS_O_READ))
		access &= dir ? ~SEC_FILE_LIST_DIRECTORY : ~READ_BITS;
	if (!dir && !(flags & OS_O_WRITE))
		access &= ~WRITE_DATA_BITS;
	return access;
}

/*
 * Open an existing object with flags; for MAXIMUM_ALLOWED fall back to
 * less data access when the OS refuses (write first, then read), but
 * never below what was asked for by name or an overwrite needs.
 */
static int open_with(struct create *c, const char *path, u32 *flags,
		     struct os_file **f)
{
	int rc = os_open(c->t->fs, NULL, path, *flags, 0, f, NULL);

	if (rc != -OS_EACCES || !c->max_allowed)
		return rc;
	if ((*flags & OS_O_WRITE) && !(c->explicit & WRITE_DATA_BITS) &&
	    !is_overwrite(c->req.create_disposition)) {
		*flags &= ~OS_O_WRITE;
		rc = os_open(c->t->fs, NULL, path, *flags, 0, f, NULL);
		if (rc != -OS_EACCES)
			return rc;
	}
	if ((*flags & OS_O_READ) && !(c->explicit & READ_BITS)) {
		*flags &= ~OS_O_READ;
		rc = os_open(c->t->fs, NULL, path, *flags, 0, f, NULL);
	}
	return rc;
}

/* -- the object --------------------------------------------------------------- */

static const char *base_name(const char *path)
{
	const char *b = path, *p;

	for (p = path; *p; p++)
		if (*p == '/')
			b = p + 1;
	return b;
}

/*
 * Fill c->meta; when meta.c cannot, the plain stat still answers: the
 * response must not fail for want of DOS attributes.
 */
static void read_meta(struct create *c, struct os_file *f, const char *path)
{
	struct smbd_meta *m = &c->meta;
	const struct os_stat *st = &c->st;

	if (smbd_meta_get(c->t, f, base_name(path), m) == STATUS_SUCCESS)
		return;
	os_memset(m, 0, sizeof(*m));
	m->is_dir = (st->mode & OS_S_IFMT) == OS_S_IFDIR;
	m->creation_time = st->btime ? st->btime : st->mtime;
	m->last_access_time = st->atime;
	m->last_write_time = st->mtime;
	m->change_time = st->ctime;
	m->end_of_file = m->is_dir ? 0 : st->size;
	m->allocation_size = m->is_dir ? 0 : st->alloc;
	m->attributes = m->is_dir ? FILE_ATTRIBUTE_DIRECTORY : FILE_ATTRIBUTE_ARCHIVE;
	m->file_id = st->ino;
	m->nlink = st->nlink;
}

/* MS-FSA 2.1.5.1.2.1 checks of an existing object against the request. */
static u32 check_existing(struct create *c, int dir, const char *path)
{
	u32 disp = c->req.create_disposition, attrs = c->meta.attributes;
	u32 want = c->req.file_attributes;

	if (dir && is_overwrite(disp))
		return STATUS_INVALID_PARAMETER;
	if (c->req.create_options & FILE_DELETE_ON_CLOSE) {
		if (!path[0])
			return STATUS_ACCESS_DENIED;	/* the share root */
		if (attrs & FILE_ATTRIBUTE_READONLY)
			return STATUS_CANNOT_DELETE;
	}
	if (dir)
		return STATUS_SUCCESS;
	if (attrs & FILE_ATTRIBUTE_READONLY) {
		if (is_overwrite(disp))
			return STATUS_ACCESS_DENIED;
		if (c->max_allowed)
			c->access &= ~WRITE_DATA_BITS;
		else if (c->access & WRITE_DATA_BITS)
			return STATUS_ACCESS_DENIED;
	}
	/* Overwriting may not silently drop HIDDEN or SYSTEM. */
	if (is_overwrite(disp) &&
	    (((attrs & FILE_ATTRIBUTE_HIDDEN) && !(want & FILE_ATTRIBUTE_HIDDEN)) ||
	     ((attrs & FILE_ATTRIBUTE_SYSTEM) && !(want & FILE_ATTRIBUTE_SYSTEM))))
		return STATUS_ACCESS_DENIED;
	return STATUS_SUCCESS;
}

/* Store the DOS attributes a create or overwrite asked for. */
static void store_attrs(struct create *c, struct os_file *f, int dir)
{
	u32 attrs = c->req.file_attributes & ATTRS_STORED;

	attrs |= dir ? FILE_ATTRIBUTE_DIRECTORY : FILE_ATTRIBUTE_ARCHIVE;
	/* A share without xattrs keeps no DOS attributes: not an error. */
	smbd_meta_set_dos(c->t, f, attrs, 0);
}

/* Truncate and re-attribute an existing file (after the share check). */
static u32 overwrite(struct create *c, struct os_file *f)
{
	int rc = os_truncate(f, 0);

	if (rc)
		return smbd_errno_to_status(rc);
	store_attrs(c, f, 0);
	if (c->alloc_size)
		os_allocate(f, c->alloc_size);
	c->action = c->req.create_disposition == FILE_SUPERSEDE ?
		    FILE_SUPERSEDED : FILE_OVERWRITTEN;
	return STATUS_SUCCESS;
}

/* The open's handle is in place and stat'd: share modes, then the rest. */
static u32 finish_open(struct create *c, struct os_file *f, u32 flags, int dir)
{
	struct smbd_open *o = c->o;
	struct smbd_attach at = {
		.oplock_req = c->req.requested_oplock_level,
		/* a file this CREATE made must not be made twice */
		.can_wait = c->action != FILE_CREATED && c->w->can_async,
		.overwrite = c->action != FILE_CREATED &&
			     is_overwrite(c->req.create_disposition),
		.lease = c->lease.present ? &c->lease : NULL,
		.client = &c->w->conn->client_guid,
	};
	u32 status;

	o->file = f;
	o->conn = c->w->conn;
	o->is_dir = dir;
	o->access = access_for_flags(c->access, flags, dir);
	o->share_access = c->req.share_access;
	o->create_options = c->req.create_options;
	/* MAXIMUM_ALLOWED may have come out without it */
	if ((o->create_options & FILE_DELETE_ON_CLOSE) &&
	    !(o->access & SEC_DELETE))
		return STATUS_ACCESS_DENIED;
	status = smbd_inode_attach(o, &c->st, &at);
	if (status == SMBD_STATUS_NEED_WAIT) {
		at.wait = smbd_async_get(c->w);
		at.can_wait = 0;
		status = smbd_inode_attach(o, &c->st, &at);
	}
	if (status)
		return status;
	c->oplock = at.oplock_granted;
	/* refused by the inode (a directory): answered without a context */
	if (!at.lease)
		c->lease.present = 0;
	if (c->action != FILE_CREATED && is_overwrite(c->req.create_disposition)) {
		status = overwrite(c, f);
		if (status)
			return status;
		if (os_stat(f, &c->st) == 0)
			read_meta(c, f, o->path);
	}
	return STATUS_SUCCESS;
}

/* Open what exists at path; *gone when it vanished since it was found. */
static u32 open_existing(struct create *c, const char *path, int *gone)
{
	u32 opt = c->req.create_options, disp = c->req.create_disposition;
	int dir = !!(opt & FILE_DIRECTORY_FILE), rc;
	struct os_file *f = NULL;
	u32 flags, status;

	*gone = 0;
	if (disp == FILE_CREATE)
		return STATUS_OBJECT_NAME_COLLISION;
	/* MAXIMUM_ALLOWED: try for everything, keep what is had */
	c->access = c->explicit | (c->max_allowed ? tree_max(c->t) : 0);
	flags = data_flags(c->access, dir, disp);
	rc = open_with(c, path, &flags, &f);
	if (rc == -OS_EISDIR && !(opt & FILE_NON_DIRECTORY_FILE)) {
		dir = 1;	/* it is a directory: open it as one */
		flags = data_flags(c->access, dir, disp);
		rc = open_with(c, path, &flags, &f);
	}
	if (rc == -OS_ENOENT) {
		*gone = 1;
		return STATUS_OBJECT_NAME_NOT_FOUND;
	}
	if (rc)
		return smbd_errno_to_status(rc);
	rc = os_stat(f, &c->st);
	if (rc) {
		os_close(f);
		return smbd_errno_to_status(rc);
	}
	if (c->max_allowed)
		c->access = c->explicit | (tree_max(c->t) & mode_access(c, &c->st));
	read_meta(c, f, path);
	status = check_existing(c, dir, path);
	if (status) {
		os_close(f);
		return status;
	}
	c->action = FILE_OPENED;
	return finish_open(c, f, flags, dir);
}

/* Create path. *exists when someone else created it first. */
static u32 create_new(struct create *c, const char *path, int *exists)
{
	int dir = !!(c->req.create_options & FILE_DIRECTORY_FILE), rc;
	struct smbd_tree *t = c->t;
	struct os_file *f = NULL;
	u32 flags, mode;

	*exists = 0;
	if (t->read_only)
		return STATUS_ACCESS_DENIED;
	if ((c->req.create_options & FILE_DELETE_ON_CLOSE) &&
	    (c->req.file_attributes & FILE_ATTRIBUTE_READONLY))
		return STATUS_CANNOT_DELETE;
	/* the creator may do anything the share allows */
	c->access = c->explicit | (c->max_allowed ? tree_max(t) : 0);
	flags = data_flags(c->access, dir, FILE_CREATE) | OS_O_CREATE | OS_O_EXCL;
	if (dir)
		mode = (0777U & t->directory_mask) | t->force_directory_mode;
	else
		mode = (0666U & t->create_mask) | t->force_create_mode;
	rc = os_open(t->fs, NULL, path, flags & ~OS_O_NOTDIR, mode, &f, NULL);
	if (rc == -OS_EEXIST) {
		*exists = 1;
		return STATUS_OBJECT_NAME_COLLISION;
	}
	if (rc == -OS_ENOENT)
		return STATUS_OBJECT_PATH_NOT_FOUND;	/* a parent went away */
	if (rc)
		return smbd_errno_to_status(rc);
	store_attrs(c, f, dir);
	if (!dir && c->alloc_size && (flags & OS_O_WRITE))
		os_allocate(f, c->alloc_size);
	rc = os_stat(f, &c->st);
	if (rc) {
		os_close(f);
		return smbd_errno_to_status(rc);
	}
	read_meta(c, f, path);
	c->action = FILE_CREATED;
	return finish_open(c, f, flags, dir);
}

/* Find the name, then open or create it. */
static u32 open_path(struct create *c, const char *path)
{
	u32 disp = c->req.create_disposition, status;
	int tries, again;

	for (tries = 0; tries < CREATE_TRIES; tries++) {
		os_free(c->o->path);
		c->o->path = NULL;
		status = smbd_path_resolve(c->t, path, &c->o->path);
		if (status == STATUS_SUCCESS) {
			status = open_existing(c, c->o->path, &again);
		} else if (status == STATUS_OBJECT_NAME_NOT_FOUND) {
			if (disp == FILE_OPEN || disp == FILE_OVERWRITE)
				return status;
			status = create_new(c, c->o->path, &again);
			if (again && disp == FILE_CREATE)
				return status;
		} else {
			return status;
		}
		if (!again)
			return status;
	}
	return status;
}

/* -- the response ----------------------------------------------------------- */

#define RSP_CONTEXTS	3

struct rsp_contexts {
	struct smb2_create_context cc[RSP_CONTEXTS];
	u32 n;
	u8 tags[RSP_CONTEXTS][4];
	u8 mxac[8];
	u8 qfid[32];
	u8 rqls[52];
};

static void add_context(struct rsp_contexts *rc, u32 tag, const u8 *data, u32 len)
{
	struct smb2_create_context *cc = &rc->cc[rc->n];
	struct smb2_create_context_tag t = { .tag = tag };

	/* 4 bytes into 4: cannot fail */
	smb2_create_context_tag_encode(rc->tags[rc->n], sizeof(rc->tags[rc->n]), &t, NULL);
	os_memset(cc, 0, sizeof(*cc));
	cc->name.p = rc->tags[rc->n];
	cc->name.len = 4;
	cc->data.p = data;
	cc->data.len = len;
	rc->n++;
}

/* The RqLs response (MS-SMB2 2.2.14.2.10, 2.2.14.2.11): what the lease has. */
static int lease_rsp(struct create *c, struct rsp_contexts *rc)
{
	const struct smbd_lease_req *l = &c->lease;
	u32 flags = l->breaking ? SMB2_LEASE_FLAG_BREAK_IN_PROGRESS : 0;

	if (l->version == 2) {
		struct smb2_cc_rqls_v2_rsp v2 = {
			.lease_state = l->state,
			.epoch = l->epoch,
		};

		if (l->has_parent) {
			flags |= SMB2_LEASE_FLAG_PARENT_LEASE_KEY_SET;
			os_memcpy(v2.parent_lease_key, l->parent_key, 16);
		}
		v2.lease_flags = flags;
		os_memcpy(v2.lease_key, l->key, 16);
		if (smb2_cc_rqls_v2_rsp_encode(rc->rqls, 52, &v2, NULL))
			return -1;
		add_context(rc, SMB2_CREATE_RESPONSE_LEASE, rc->rqls, 52);
		return 0;
	}
	{
		struct smb2_cc_rqls_v1_rsp v1 = {
			.lease_state = l->state,
			.lease_flags = flags,
		};

		os_memcpy(v1.lease_key, l->key, 16);
		if (smb2_cc_rqls_v1_rsp_encode(rc->rqls, 32, &v1, NULL))
			return -1;
		add_context(rc, SMB2_CREATE_RESPONSE_LEASE, rc->rqls, 32);
	}
	return 0;
}

static int build_contexts(struct create *c, struct rsp_contexts *rc)
{
	rc->n = 0;
	if (c->want_mxac) {
		struct smb2_cc_mxac_rsp mx = {
			.query_status = STATUS_SUCCESS,
			.maximal_access = c->max_access,
		};

		if (smb2_cc_mxac_rsp_encode(rc->mxac, sizeof(rc->mxac), &mx, NULL))
			return -1;
		add_context(rc, SMB2_CREATE_QUERY_MAXIMAL_ACCESS_RESPONSE,
			    rc->mxac, sizeof(rc->mxac));
	}
	if (c->want_qfid) {
		struct smb2_cc_qfid_rsp q = {
			.disk_file_id = c->st.ino,
			.volume_id = c->st.dev,
		};

		if (smb2_cc_qfid_rsp_encode(rc->qfid, sizeof(rc->qfid), &q, NULL))
			return -1;
		add_context(rc, SMB2_CREATE_QUERY_ON_DISK_ID, rc->qfid,
			    sizeof(rc->qfid));
	}
	if (c->lease.present && c->oplock == SMB2_OPLOCK_LEVEL_LEASE)
		return lease_rsp(c, rc);
	return 0;
}

static u32 answer(struct create *c)
{
	struct smb2_create_rsp rsp = { 0 };
	const struct smbd_meta *m = &c->meta;
	struct rsp_contexts rc;
	struct wire_enc e;

	if (build_contexts(c, &rc))
		return STATUS_INTERNAL_ERROR;
	rsp.oplock_level = c->oplock;
	rsp.create_action = c->action;
	rsp.creation_time = m->creation_time;
	rsp.last_access_time = m->last_access_time;
	rsp.last_write_time = m->last_write_time;
	rsp.change_time = m->change_time;
	rsp.allocation_size = m->allocation_size;
	rsp.end_of_file = m->end_of_file;
	rsp.file_attributes = m->attributes ? m->attributes : FILE_ATTRIBUTE_NORMAL;
	rsp.file_id.persistent_id = c->o->persistent_id;
	rsp.file_id.volatile_id = c->o->volatile_id;
	rsp.create_contexts.items = rc.cc;
	rsp.create_contexts.count = rc.n;
	smbd_body_enc(c->w, &e);
	if (smb2_create_rsp_enc(&e, &rsp))
		return STATUS_INSUFFICIENT_RESOURCES;
	c->w->rsp_len = e.pos;
	return STATUS_SUCCESS;
}

/* -- the command ---------------------------------------------------------------- */

static u32 create_disk(struct create *c)
{
	char *path = NULL;
	u32 status;

	status = smbd_path_from_wire(c->req.name.p, c->req.name.len, &path);
	if (status)
		return status;
	if (c->t->open_count >= TREE_OPENS_MAX) {
		os_free(path);
		return STATUS_TOO_MANY_OPENED_FILES;
	}
	c->o = smbd_open_new(c->t);
	if (!c->o) {
		os_free(path);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	status = open_path(c, path);
	os_free(path);
	if (status == STATUS_SUCCESS) {
		c->max_access = (mode_access(c, &c->st) & tree_max(c->t)) |
				c->o->access;
		c->o->delete_on_close =
			!!(c->req.create_options & FILE_DELETE_ON_CLOSE);
		status = answer(c);
	}
	if (status) {
		c->o->delete_on_close = 0;
		smbd_open_close(c->o);
		return status;
	}
	c->w->used_fid.persistent_id = c->o->persistent_id;
	c->w->used_fid.volatile_id = c->o->volatile_id;
	c->w->has_used_fid = 1;
	return STATUS_SUCCESS;
}

u32 smbd_create(struct smbd_work *w)
{
	struct create c = { .w = w, .t = w->tree };
	struct wire_dec d;
	u32 status;

	smbd_body_dec(w, &d);
	if (smb2_create_req_dec(&d, &c.req))
		return STATUS_INVALID_PARAMETER;
	if (c.t->share_type == SMB2_SHARE_TYPE_PIPE)
		return smbd_pipe_create(w, &c.req);	/* IPC$ (pipe.c) */
	if (c.t->share_type != SMB2_SHARE_TYPE_DISK || !c.t->fs)
		return STATUS_NOT_SUPPORTED;
	status = check_request(&c);
	if (status)
		return status;
	status = read_contexts(&c);
	if (status)
		return status;
	return create_disk(&c);
}
