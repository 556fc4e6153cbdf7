// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The status view: every live connection's sessions, tree connects and
 * opens, as one snapshot in the format of idl/status.idl (what
 * ksmbd.control --status prints). The host serves the bytes: the
 * userspace host on its status socket, the kernel host as a sysfs
 * attribute.
 *
 * Locking. A connection's lists are only changed under conn->lock: by
 * the frame being handled, by the resumption of a parked request and by
 * smbd_conn_free (connection.c). The walker here takes the registry
 * mutex, then each connection's lock in turn: so it never sees a
 * session, tree or open half made or half freed. Order: registry, then
 * one connection; nothing takes the registry while it holds a
 * connection's lock, so the two cannot deadlock. A connection leaves the
 * registry before its sessions are freed.
 *
 * The data path pays nothing for it (conn->lock is held per frame
 * anyway); a snapshot waits for a connection that is in an upcall
 * (bounded by the upcall's timeout) rather than look at it while it
 * changes.
 */
#include "smbd.h"
#include "netlink.h"
#include "status.h"

/* Transform frames of a connection remember this many session ids. */
#define ENC_SEEN	4U

struct smbd_status_link {
	struct smbd_status_link *next, *prev;	/* in the registry */
	struct smbd_conn *conn;
	u64 connect_time;
	u32 id;
	int registered;
	/*
	 * Sessions a client sent encrypted frames for: a session is shown
	 * encrypted when the server requires it or the client chose it.
	 */
	u64 enc_seen[ENC_SEEN];
	u32 enc_next;
};

static struct {
	struct os_mutex *lock;		/* NULL until smbd_status_init() */
	struct smbd_status_link *head;
	u32 next_id;
	u32 count;
	u64 start;
} reg;

int smbd_status_init(void)
{
	if (reg.lock)
		return 0;
	reg.lock = os_mutex_new();
	if (!reg.lock)
		return -OS_ENOMEM;
	reg.start = os_nttime_now();
	reg.next_id = 1;
	return 0;
}

void smbd_status_exit(void)
{
	/* the host has closed every connection by now */
	if (!reg.lock)
		return;
	os_mutex_free(reg.lock);
	reg.lock = NULL;
}

int smbd_status_conn_add(struct smbd_conn *conn)
{
	struct smbd_status_link *l = os_zalloc(sizeof(*l));

	if (!l)
		return -OS_ENOMEM;
	l->conn = conn;
	l->connect_time = os_nttime_now();
	conn->status = l;
	if (!reg.lock)
		return 0;	/* no registry (fuzzers, tests): not listed */
	os_mutex_lock(reg.lock);
	l->id = reg.next_id++;
	l->next = reg.head;
	if (reg.head)
		reg.head->prev = l;
	reg.head = l;
	reg.count++;
	l->registered = 1;
	os_mutex_unlock(reg.lock);
	return 0;
}

void smbd_status_conn_del(struct smbd_conn *conn)
{
	struct smbd_status_link *l = conn->status;

	if (!l)
		return;
	if (l->registered) {
		os_mutex_lock(reg.lock);
		if (l->prev)
			l->prev->next = l->next;
		else
			reg.head = l->next;
		if (l->next)
			l->next->prev = l->prev;
		reg.count--;
		os_mutex_unlock(reg.lock);
	}
	/* a walker that had it is done with it: it held the registry */
	os_free(l);
	conn->status = NULL;
}

void smbd_status_note_encrypted(struct smbd_conn *conn, u64 session_id)
{
	struct smbd_status_link *l = conn->status;
	u32 i;

	if (!l || !session_id)
		return;
	for (i = 0; i < ENC_SEEN; i++)
		if (l->enc_seen[i] == session_id)
			return;
	l->enc_seen[l->enc_next++ % ENC_SEEN] = session_id;
}

static int enc_seen(const struct smbd_status_link *l, u64 session_id)
{
	u32 i;

	for (i = 0; i < ENC_SEEN; i++)
		if (l->enc_seen[i] == session_id)
			return 1;
	return 0;
}

/* Length of a NUL-terminated string in a fixed buffer, at most max. */
static u16 str_len(const char *s, u32 cap, u32 max)
{
	u32 n = 0;

	if (!s)
		return 0;
	while (n < cap && n < max && s[n])
		n++;
	return (u16)n;
}

static struct wire_blob blob(const char *s, u16 len)
{
	struct wire_blob b = { .p = (const u8 *)s, .len = len };

	return b;
}

/* Running totals, written into the header at the end. */
struct walk {
	struct wire_enc e;
	u32 sessions, trees, opens;
};

static int put_open(struct walk *w, const struct smbd_session *s,
		    const struct smbd_tree *t, const struct smbd_open *o)
{
	struct smbd_status_open r = {
		.kind = o->pipe ? SMBD_STATUS_OPEN_PIPE :
			o->is_dir ? SMBD_STATUS_OPEN_DIR : SMBD_STATUS_OPEN_FILE,
		.tree_id = t->id,
		.session_id = s->id,
		.persistent_id = o->persistent_id,
		.volatile_id = o->volatile_id,
		.access = o->access,
		.share_access = (u16)o->share_access,
	};

	r.path_len = str_len(o->path, SMBD_PATH_MAX, SMBD_STATUS_STR_MAX);
	r.path = blob(o->path, r.path_len);
	w->opens++;
	return smbd_status_open_enc(&w->e, &r);
}

static int put_tree(struct walk *w, const struct smbd_session *s,
		    const struct smbd_tree *t)
{
	struct smbd_status_tree r = {
		.session_id = s->id,
		.tree_id = t->id,
	};
	const struct smbd_open *o;
	int rc;

	if (t->read_only)
		r.flags |= SMBD_STATUS_TREE_READ_ONLY;
	if (t->conn_flags & SMBD_NL_TREE_CONN_FLAG_GUEST_ACCOUNT)
		r.flags |= SMBD_STATUS_TREE_GUEST;
	if (t->share_type == SMB2_SHARE_TYPE_PIPE)
		r.flags |= SMBD_STATUS_TREE_PIPE;
	for (o = t->opens; o; o = o->next)
		r.open_count++;
	r.share_len = str_len(t->share, sizeof(t->share), 255);
	r.share = blob(t->share, r.share_len);
	rc = smbd_status_tree_enc(&w->e, &r);
	w->trees++;
	for (o = t->opens; o && !rc; o = o->next)
		rc = put_open(w, s, t, o);
	return rc;
}

static int put_session(struct walk *w, const struct smbd_status_link *l,
		       const struct smbd_session *s)
{
	const struct smbd_conn *conn = l->conn;
	struct smbd_status_session r = {
		.state = s->state == SMBD_SESSION_VALID ?
			 SMBD_STATUS_SESSION_VALID :
			 SMBD_STATUS_SESSION_IN_PROGRESS,
		.session_id = s->id,
		.uid = s->uid,
		.gid = s->gid,
		.dialect = conn->dialect,
		.connect_time = l->connect_time,
		.conn_id = l->id,
	};
	const struct smbd_tree *t;
	int rc;

	if (s->signing_required)
		r.flags |= SMBD_STATUS_SESSION_SIGNING;
	if (s->encrypt_data)
		r.flags |= SMBD_STATUS_SESSION_ENC_REQUIRED;
	if (s->has_cipher_keys && (s->encrypt_data || enc_seen(l, s->id))) {
		r.flags |= SMBD_STATUS_SESSION_ENCRYPTED;
		r.cipher = conn->cipher;
	}
	if (s->account_flags & SMBD_NL_USER_FLAG_GUEST_ACCOUNT)
		r.flags |= SMBD_STATUS_SESSION_GUEST;
	if (conn->peer_ipv6)
		r.flags |= SMBD_STATUS_SESSION_IPV6;
	for (t = s->trees; t; t = t->next)
		r.tree_count++;
	r.user_len = str_len(s->account, sizeof(s->account), 255);
	r.user = blob(s->account, r.user_len);
	r.client_len = str_len(conn->peer, sizeof(conn->peer), 255);
	r.client = blob(conn->peer, r.client_len);
	rc = smbd_status_session_enc(&w->e, &r);
	w->sessions++;
	for (t = s->trees; t && !rc; t = t->next)
		rc = put_tree(w, s, t);
	return rc;
}

/* One connection's sessions, under its lock. */
static int put_conn(struct walk *w, struct smbd_status_link *l)
{
	const struct smbd_session *s;
	int rc = 0;

	os_mutex_lock(l->conn->lock);	/* its lists: held for each of its frames */
	for (s = l->conn->sessions; s && !rc; s = s->next)
		rc = put_session(w, l, s);
	os_mutex_unlock(l->conn->lock);
	return rc;
}

int smbd_status_encode(void *buf, u32 cap, u32 *len)
{
	struct smbd_status_hdr h = { 0 };
	struct smbd_status_link *l;
	struct walk w = { 0 };
	int rc = 0;

	*len = 0;
	if (!reg.lock)
		return -OS_EINVAL;
	if (cap < SMBD_STATUS_HDR_SIZE)
		return -OS_EMSGSIZE;
	wire_enc_init(&w.e, buf, cap);
	w.e.pos = SMBD_STATUS_HDR_SIZE;	/* the header goes in last */
	os_mutex_lock(reg.lock);
	for (l = reg.head; l && !rc; l = l->next)
		rc = put_conn(&w, l);
	h.n_conns = reg.count;
	h.server_start = reg.start;
	os_mutex_unlock(reg.lock);
	if (rc)
		return rc == -WIRE_ESPACE ? -OS_EMSGSIZE : -OS_EINVAL;
	h.now = os_nttime_now();
	h.n_sessions = w.sessions;
	h.n_trees = w.trees;
	h.n_opens = w.opens;
	if (smbd_status_hdr_encode(buf, SMBD_STATUS_HDR_SIZE, &h, NULL))
		return -OS_EINVAL;
	*len = w.e.pos;
	return 0;
}
