// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * QUERY_DIRECTORY (MS-SMB2 3.3.5.18, MS-FSA 2.1.5.6.3): the entries of an
 * open directory that match a pattern, in one of the MS-FSCC 2.4
 * directory information classes, as many as fit in the client's buffer.
 *
 * The enumeration state lives in the open: the pattern (set by the first
 * query, by SMB2_REOPEN, or by SMB2_RESTART_SCANS with a new one, and
 * otherwise kept, as Windows does), the os_readdir position of the first
 * entry not yet returned, and whether the end was reached. Each request
 * reads the directory in bounded batches (names and positions only: the
 * readdir callback may not call back into os_*), then stats the matching
 * names one by one and encodes them until the next one does not fit.
 * That one is left for the next request, so every entry is read once
 * and a listing costs O(entries) whatever its size.
 *
 * "." and ".." are listed as Windows lists them. At the share root ".."
 * describes the root itself: its real parent is outside the share.
 *
 * SMB2_INDEX_SPECIFIED is accepted and FileIndex ignored, as Windows
 * servers on NTFS do (MS-SMB2 3.3.5.18: resuming from an index is
 * optional); entries carry FileIndex 0, which is what NTFS returns.
 */
#include "smbd.h"
#include "fscc.h"
#include "security.h"
#include "pattern.h"

/* Entries collected per os_readdir call, and the bytes for their names. */
#define QD_BATCH		128U
#define QD_NAME_BYTES		(16U * 1024U)
/* Longest on-disk name listed (Linux allows 255 bytes); longer ones are skipped. */
#define QD_NAME_MAX		1024U
/* A name in UTF-16: at most two bytes per UTF-8 byte. */
#define QD_NAME16_MAX		(2U * QD_NAME_MAX)

/* What emitting one entry gave (or a negative -OS_E* error). */
#define QD_OK		0
#define QD_FULL		1	/* does not fit: left for the next request */
#define QD_SKIP		2	/* gone, or has no SMB name: not listed */

struct qd_ent {
	u64 pos;		/* os_readdir from here yields this entry again */
	u32 off;		/* its NUL-terminated name in names[] */
	u32 len;
};

/* One os_readdir call's worth of names, and room to convert one of them. */
struct qd_batch {
	struct qd_ent ent[QD_BATCH];
	u32 n;
	u32 used;
	int stopped;		/* collect refused an entry: the directory goes on */
	char names[QD_NAME_BYTES];
	u8 name16[QD_NAME16_MAX];
};

typedef int (*qd_enc_fn)(struct wire_enc *e, const struct smbd_meta *m,
			 const struct wire_blob *name);

struct qd_class {
	u8 cls;
	u8 needs_meta;		/* 0: names only, no stat per entry */
	qd_enc_fn enc;
};

/* One request being answered. */
struct qd_query {
	struct smbd_tree *tree;
	struct smbd_open *o;
	const struct qd_class *cls;
	int single;		/* SMB2_RETURN_SINGLE_ENTRY */
	struct wire_enc e;	/* over the output buffer */
	u32 fixed;		/* an entry's size without its name */
	u32 prev;		/* offset of the last entry encoded */
	u32 count;		/* entries encoded */
	struct qd_batch *b;
};

/* -- the information classes (MS-FSCC 2.4) ----------------------------------- */

/*
 * The classes differ only in which of these fields they carry. The fields
 * of FileDirectoryInformation, which all but FileNamesInformation start with:
 */
#define QD_DIRECTORY_FIELDS(m)					\
	.creation_time = (m)->creation_time,			\
	.last_access_time = (m)->last_access_time,		\
	.last_write_time = (m)->last_write_time,		\
	.change_time = (m)->change_time,			\
	.end_of_file = (s64)(m)->end_of_file,			\
	.allocation_size = (s64)(m)->allocation_size,		\
	.file_attributes = (m)->attributes,			\
	.file_index = (m)->dir_index

/* ... and of FileFullDirectoryInformation, which the others extend. */
#define QD_FULL_FIELDS(m)					\
	QD_DIRECTORY_FIELDS(m),					\
	.ea_size = (m)->ea_size

/* enc_NAME: one entry of class TYPE (fscc_TYPE, fscc_TYPE_enc) with FIELDS. */
#define QD_ENC(name, type, ...)						\
static int enc_##name(struct wire_enc *e, const struct smbd_meta *m,	\
		      const struct wire_blob *file_name)		\
{									\
	struct fscc_##type v = { __VA_ARGS__, .file_name = *file_name };	\
									\
	return fscc_##type##_enc(e, &v);				\
}

QD_ENC(directory, dir_directory_info, QD_DIRECTORY_FIELDS(m))
QD_ENC(full, dir_full_directory_info, QD_FULL_FIELDS(m))
/* Short (8.3) names are not generated: ShortNameLength 0, as NTFS without them. */
QD_ENC(both, dir_both_directory_info, QD_FULL_FIELDS(m))
QD_ENC(names, dir_names_info, .file_index = m->dir_index)
QD_ENC(id_both, dir_id_both_directory_info, QD_FULL_FIELDS(m), .file_id = m->file_id)
QD_ENC(id_full, dir_id_full_directory_info, QD_FULL_FIELDS(m), .file_id = m->file_id)

/* The 128-bit FileId holds the 64-bit one in its low half. */
QD_ENC(id_extd, dir_id_extd_directory_info, QD_FULL_FIELDS(m),
       .file_id = { .low = m->file_id })

static const struct qd_class qd_classes[] = {
	{ FILE_DIRECTORY_INFORMATION, 1, enc_directory },
	{ FILE_FULL_DIRECTORY_INFORMATION, 1, enc_full },
	{ FILE_BOTH_DIRECTORY_INFORMATION, 1, enc_both },
	{ FILE_NAMES_INFORMATION, 0, enc_names },
	{ FILE_ID_BOTH_DIRECTORY_INFORMATION, 1, enc_id_both },
	{ FILE_ID_FULL_DIRECTORY_INFORMATION, 1, enc_id_full },
	{ FILE_ID_EXTD_DIRECTORY_INFORMATION, 1, enc_id_extd },
};

static const struct qd_class *find_class(u8 cls)
{
	u32 i;

	for (i = 0; i < OS_ARRAY_SIZE(qd_classes); i++)
		if (qd_classes[i].cls == cls)
			return &qd_classes[i];
	return NULL;
}

/* The size of an entry with an empty name: below it nothing can be returned. */
static u32 fixed_size(qd_enc_fn enc)
{
	static const struct smbd_meta zero;
	static const struct wire_blob empty;
	struct wire_enc e;

	wire_enc_init(&e, NULL, 0);
	return enc(&e, &zero, &empty) ? 0 : e.pos;
}

/* -- the pattern and the enumeration state ----------------------------------- */

/*
 * The client's pattern as UTF-8 (allocated): "*" when empty (MS-FSA
 * 2.1.5.6); a path separator or a NUL makes it invalid, as in Samba.
 */
static u32 pattern_from_wire(const struct wire_blob *name, char **out)
{
	char *p;
	int n, i;

	p = os_alloc(SMBD_PATTERN_MAX + 1);
	if (!p)
		return STATUS_NO_MEMORY;
	if (!name->len) {
		p[0] = '*';
		p[1] = '\0';
		*out = p;
		return STATUS_SUCCESS;
	}
	n = smbd_utf16_to_utf8(name->p, name->len, p, SMBD_PATTERN_MAX + 1);
	for (i = 0; i < n; i++)
		if (p[i] == '/' || p[i] == '\\')
			break;
	if (n <= 0 || i < n) {
		os_free(p);
		return STATUS_OBJECT_NAME_INVALID;
	}
	*out = p;
	return STATUS_SUCCESS;
}

/*
 * Start over when this is the first query on the open, a REOPEN or a
 * RESTART (*restart). *first says whether an empty result is
 * NO_SUCH_FILE (a new search) rather than NO_MORE_FILES (MS-FSA
 * 2.1.5.6.3: FirstQuery); Windows and Samba answer a plain RESTART that
 * finds nothing with NO_MORE_FILES.
 */
static u32 begin_query(struct smbd_open *o,
		       const struct smb2_query_directory_req *req, int *first,
		       int *restart)
{
	char *pat;
	u32 st;

	*first = !o->dir_started || (req->flags & SMB2_REOPEN);
	*restart = *first || (req->flags & SMB2_RESTART_SCANS);
	if (!*restart)
		return STATUS_SUCCESS;	/* a pattern sent now is ignored */
	if (*first || req->file_name.len) {
		st = pattern_from_wire(&req->file_name, &pat);
		if (st)
			return st;
		if (o->dir_pattern)
			os_free(o->dir_pattern);
		o->dir_pattern = pat;
	}
	o->dir_started = 1;
	o->dir_pos = 0;
	o->dir_eof = 0;
	o->dir_count = 0;
	return STATUS_SUCCESS;
}

/* -- one entry ------------------------------------------------------------------ */

static int is_dot(const char *name, u32 len)
{
	return len == 1 && name[0] == '.';
}

static int is_dotdot(const char *name, u32 len)
{
	return len == 2 && name[0] == '.' && name[1] == '.';
}

/* The directory above the open one, within the share: the root's is itself. */
static u32 dotdot_meta(struct qd_query *q, struct smbd_meta *m)
{
	const char *path = q->o->path ? q->o->path : "";
	struct os_file *f;
	u32 len = 0, cut = 0, st;
	char *parent;
	int rc;

	while (path[len]) {
		if (path[len] == '/')
			cut = len;
		len++;
	}
	if (!len)
		return smbd_meta_get(q->tree, q->o->file, "..", m);
	parent = os_alloc(cut + 1);
	if (!parent)
		return STATUS_NO_MEMORY;
	os_memcpy(parent, path, cut);
	parent[cut] = '\0';
	rc = os_open(q->tree->fs, NULL, parent, 0, 0, &f, NULL);
	os_free(parent);
	if (rc)
		return smbd_errno_to_status(rc);
	st = smbd_meta_get(q->tree, f, "..", m);
	os_close(f);
	return st;
}

static u32 entry_meta(struct qd_query *q, const char *name, u32 len,
		      struct smbd_meta *m)
{
	struct os_file *f;
	u32 st;
	int rc;

	if (is_dot(name, len))
		return smbd_meta_get(q->tree, q->o->file, name, m);
	if (is_dotdot(name, len))
		return dotdot_meta(q, m);
	/* metadata only: listing needs no read access to the entry itself */
	rc = os_open(q->tree->fs, q->o->file, name, 0, 0, &f, NULL);
	if (rc)
		return smbd_errno_to_status(rc);
	st = smbd_meta_get(q->tree, f, name, m);
	os_close(f);
	return st;
}

/*
 * Append one encoded entry, 8-aligned after the previous one whose
 * NextEntryOffset then points at it (the chain fscc_dir_*_seq_enc
 * writes, built one entry at a time). A failed attempt leaves the
 * buffer as it was.
 */
static int put_entry(struct qd_query *q, const struct smbd_meta *m,
		     const struct wire_blob *name)
{
	struct wire_enc *e = &q->e;
	u32 saved = e->pos, at;
	int rc = 0;

	if (q->count)
		rc = wire_enc_align(e, q->prev, 8);
	at = e->pos;
	if (!rc)
		rc = q->cls->enc(e, m, name);
	if (!rc && q->count)
		rc = wire_enc_patch(e, q->prev, 4, at - q->prev);
	if (rc) {
		e->pos = saved;
		return rc == -WIRE_ESPACE ? QD_FULL : -OS_EIO;
	}
	q->prev = at;
	q->count++;
	return QD_OK;
}

/* Would an entry with a name of len16 bytes fit after the last one? */
static int fits(const struct qd_query *q, u32 len16)
{
	u32 pad = q->count ? (8 - ((q->e.pos - q->prev) & 7)) & 7 : 0;

	return q->e.cap - q->e.pos >= pad + q->fixed + len16;
}

/* List one name: QD_OK, QD_FULL, QD_SKIP, or -OS_E* on a failure worth reporting. */
static int emit(struct qd_query *q, const char *name, u32 len)
{
	struct smbd_meta m = { 0 };
	struct wire_blob n16;
	int rc;
	u32 st;

	rc = smbd_utf8_to_utf16(name, len, q->b->name16, sizeof(q->b->name16));
	if (rc <= 0)
		return QD_SKIP;		/* not valid UTF-8: no name to send */
	n16.p = q->b->name16;
	n16.len = (u32)rc;
	if (!fits(q, n16.len))
		return QD_FULL;		/* known before paying for the stat */
	if (q->cls->needs_meta) {
		st = entry_meta(q, name, len, &m);
		if (st == STATUS_NO_MEMORY || st == STATUS_INSUFFICIENT_RESOURCES)
			return -OS_ENOMEM;
		if (st)
			return QD_SKIP;	/* vanished, or out of reach (a symlink leaving the share) */
	}
	/*
	 * FileIndex: the entry's ordinal in this enumeration, from 1. NTFS
	 * leaves it 0 (MS-FSCC: undefined where order is not fixed); a
	 * number lets clients that resume by index (and smbtorture's
	 * smb2.dir.file-index) see one. Resuming by it is not honoured,
	 * as on Windows.
	 */
	m.dir_index = q->o->dir_count + 1;
	rc = put_entry(q, &m, &n16);
	if (rc == QD_OK)
		q->o->dir_count++;
	return rc;
}

/* -- the enumeration ------------------------------------------------------------- */

/* os_readdir's callback: copy names and positions only (no os_* here). */
static int collect(void *arg, const struct os_dirent *d)
{
	struct qd_batch *b = arg;
	struct qd_ent *ent;

	if (!d->name_len || d->name_len >= QD_NAME_MAX)
		return 0;
	if (b->n == QD_BATCH || QD_NAME_BYTES - b->used < d->name_len + 1) {
		b->stopped = 1;
		return 1;
	}
	ent = &b->ent[b->n++];
	ent->pos = d->pos;
	ent->off = b->used;
	ent->len = d->name_len;
	os_memcpy(b->names + b->used, d->name, d->name_len);
	b->names[b->used + d->name_len] = '\0';
	b->used += d->name_len + 1;
	return 0;
}

/*
 * Go through one batch from the open's position. Returns 1 when the
 * request is complete (buffer full, single entry given, or end of the
 * directory), 0 to read another batch, -OS_E* on failure. The position
 * always ends up at the first entry not returned.
 */
static int run_batch(struct qd_query *q, const char *pat, u32 plen)
{
	struct smbd_open *o = q->o;
	struct qd_batch *b = q->b;
	u64 end = o->dir_pos;
	u32 i;
	int rc;

	b->n = 0;
	b->used = 0;
	b->stopped = 0;
	rc = os_readdir(o->file, &end, collect, b);
	if (rc)
		return rc;
	for (i = 0; i < b->n; i++) {
		const char *name = b->names + b->ent[i].off;

		if (!smbd_pattern_match(pat, plen, name, b->ent[i].len))
			continue;
		rc = emit(q, name, b->ent[i].len);
		if (rc < 0 || rc == QD_FULL) {
			o->dir_pos = b->ent[i].pos;
			return rc < 0 ? rc : 1;
		}
		if (rc == QD_OK && q->single) {
			o->dir_pos = i + 1 < b->n ? b->ent[i + 1].pos : end;
			return 1;
		}
	}
	o->dir_pos = end;
	if (!b->stopped) {
		o->dir_eof = 1;
		return 1;
	}
	return 0;
}

/*
 * A pattern without wildcards names one file: look it up directly (a
 * scan of a large directory per lookup would make "does x exist" cost
 * O(entries)); only a name spelled differently on disk needs the scan.
 * 1 when answered, 0 to scan, < 0 on failure.
 */
static int lookup_exact(struct qd_query *q)
{
	const char *pat = q->o->dir_pattern;
	struct os_file *f;
	u32 len = 0;
	int rc;

	while (pat[len])
		len++;
	if (smbd_pattern_has_wild(pat, len) || is_dot(pat, len) ||
	    is_dotdot(pat, len) || len >= QD_NAME_MAX)
		return 0;
	rc = os_open(q->tree->fs, q->o->file, pat, 0, 0, &f, NULL);
	if (rc)
		return 0;
	os_close(f);
	rc = emit(q, pat, len);
	if (rc < 0)
		return rc;
	if (rc == QD_FULL)
		return 1;	/* stays at the start: asked again with more room */
	q->o->dir_eof = 1;
	return 1;
}

/* Fill the output buffer; 0 or -OS_E*. */
static int fill(struct qd_query *q, int restart)
{
	const char *pat = q->o->dir_pattern;
	u32 plen = 0;
	int rc;

	if (restart) {
		rc = lookup_exact(q);
		if (rc)
			return rc < 0 ? rc : 0;
	}
	while (pat[plen])
		plen++;
	/* each batch consumes at least one entry: bounded by the directory */
	while (!q->o->dir_eof) {
		rc = run_batch(q, pat, plen);
		if (rc)
			return rc < 0 ? rc : 0;
	}
	return 0;
}

/* -- the request ---------------------------------------------------------------- */

static u32 check_request(struct smbd_work *w,
			 const struct smb2_query_directory_req *req,
			 struct smbd_open **out, const struct qd_class **cls)
{
	struct smbd_open *o = smbd_open_find(w, &req->file_id);

	if (!o)
		return STATUS_FILE_CLOSED;
	if (!o->is_dir)
		return STATUS_INVALID_PARAMETER;
	if (req->output_buffer_length > SMBD_MAX_TRANS)
		return STATUS_INVALID_PARAMETER;
	if (!(o->access & SEC_FILE_LIST_DIRECTORY) || !o->file)
		return STATUS_ACCESS_DENIED;
	*cls = find_class(req->file_information_class);
	if (!*cls)
		return STATUS_INVALID_INFO_CLASS;
	if (req->output_buffer_length < fixed_size((*cls)->enc))
		return STATUS_INFO_LENGTH_MISMATCH;
	*out = o;
	return STATUS_SUCCESS;
}

static u32 encode_response(struct smbd_work *w, const u8 *out, u32 len)
{
	struct smb2_query_directory_rsp rsp = {
		.buffer = { .p = out, .len = len },
	};
	struct wire_enc e;

	smbd_body_enc(w, &e);
	if (smb2_query_directory_rsp_enc(&e, &rsp))
		return STATUS_INSUFFICIENT_RESOURCES;
	w->rsp_len = e.pos;
	return STATUS_SUCCESS;
}

/* What an empty answer says, or the error that stopped the listing. */
static u32 empty_status(int rc, int first)
{
	if (rc < 0)
		return smbd_errno_to_status(rc);
	return first ? STATUS_NO_SUCH_FILE : STATUS_NO_MORE_FILES;
}

u32 smbd_query_directory(struct smbd_work *w)
{
	struct smb2_query_directory_req req;
	struct qd_query q = { 0 };
	struct wire_dec d;
	u32 cap, st;
	u8 *out;
	int first, restart, rc;

	smbd_body_dec(w, &d);
	if (smb2_query_directory_req_dec(&d, &req))
		return STATUS_INVALID_PARAMETER;
	st = check_request(w, &req, &q.o, &q.cls);
	if (st)
		return st;
	st = begin_query(q.o, &req, &first, &restart);
	if (st)
		return st;
	if (q.o->dir_eof)
		return STATUS_NO_MORE_FILES;

	/* the answer must also fit the response frame after header and body */
	cap = req.output_buffer_length;
	if (w->rsp_cap < SMB2_HDR_SIZE + 8)
		return STATUS_INSUFFICIENT_RESOURCES;
	if (cap > w->rsp_cap - SMB2_HDR_SIZE - 8)
		cap = w->rsp_cap - SMB2_HDR_SIZE - 8;
	out = os_alloc(cap ? cap : 1);
	q.b = os_alloc(sizeof(*q.b));
	if (!out || !q.b) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	q.tree = w->tree;
	q.fixed = fixed_size(q.cls->enc);
	q.single = !!(req.flags & SMB2_RETURN_SINGLE_ENTRY);
	wire_enc_init(&q.e, out, cap);

	rc = fill(&q, restart);
	if (q.count)
		st = encode_response(w, out, q.e.pos);
	else if (rc == 0 && !q.o->dir_eof)
		st = STATUS_INFO_LENGTH_MISMATCH;	/* the next entry alone is too big */
	else
		st = empty_status(rc, first);
out:
	os_free(q.b);
	os_free(out);
	return st;
}
