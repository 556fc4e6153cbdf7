// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * TREE_CONNECT and TREE_DISCONNECT (MS-SMB2 3.3.5.7, 3.3.5.8). The daemon
 * decides: SHARE_CONFIG says whether the share exists and what it is,
 * TREE_CONNECT whether this user from this address may use it.
 *
 * A disk share's root is opened here and held for the tree's life: every
 * name a client sends is resolved beneath it.
 *
 * Not in this slice: the share config cache and its UPDATE flag (each
 * connect asks the daemon again), tree connect contexts, encryption,
 * the veto list.
 */
#include "smbd.h"
#include "upcall.h"

/* MS-DTYP 2.4.3 access masks answered as MaximalAccess. */
#define ACCESS_ALL	0x001F01FFU
#define ACCESS_READ	0x001200A9U	/* GENERIC_READ | GENERIC_EXECUTE, mapped */

struct smbd_tree *smbd_tree_find(struct smbd_session *s, u32 id)
{
	struct smbd_tree *t;

	for (t = s->trees; t; t = t->next)
		if (t->id == id)
			return t;
	return NULL;
}

/* "force user"/"force group" of the share config: 0xFFFF means none. */
#define FORCE_NONE	0xFFFFU

const struct os_cred *smbd_tree_cred(const struct smbd_session *s,
				     const struct smbd_tree *t)
{
	return t->cred ? t->cred : s->cred;
}

static void tree_free(struct smbd_session *s, struct smbd_tree *t)
{
	smbd_open_close_all(t);
	smbd_upcall_tree_disconnect(s->id, t->id);
	if (t->fs)
		os_fs_close(t->fs);
	if (t->cred)
		os_cred_free(t->cred);
	os_free(t);
}

void smbd_tree_destroy_all(struct smbd_session *s)
{
	struct smbd_tree *t;

	while ((t = s->trees)) {
		const struct os_cred *cred = smbd_tree_cred(s, t);
		void *saved = NULL;

		/* while t is still findable: waiting LOCKs get their answer */
		smbd_lock_tree_end(t);
		s->trees = t->next;
		/*
		 * LOGOFF and the end of a connection run as the server: the
		 * closes below (delete on close) must still be the user's.
		 */
		if (cred)
			saved = os_cred_override(cred);
		tree_free(s, t);
		if (cred)
			os_cred_revert(saved);
	}
}

/* "\\server\share" in UTF-16 → "share" in UTF-8; 0 or < 0. */
static int share_from_path(const struct wire_blob *path, char *out, u32 cap)
{
	char full[512];
	u32 i, start = 0;

	if (!path->len || path->len > 2 * (sizeof(full) - 1))
		return -OS_EINVAL;
	wire_utf16_to_utf8(path->p, path->len, full, sizeof(full));
	for (i = 0; full[i]; i++)
		if (full[i] == '\\')
			start = i + 1;
	if (!full[start] || i - start >= cap)
		return -OS_EINVAL;
	os_memcpy(out, full + start, i - start + 1);
	return 0;
}

static u32 tc_status(u16 st)
{
	switch (st) {
	case SMBD_NL_TREE_CONN_STATUS_OK:
		return STATUS_SUCCESS;
	case SMBD_NL_TREE_CONN_STATUS_NO_SHARE:
		return STATUS_BAD_NETWORK_NAME;
	case SMBD_NL_TREE_CONN_STATUS_NOMEM:
		return STATUS_INSUFFICIENT_RESOURCES;
	default:
		return STATUS_ACCESS_DENIED;
	}
}

/*
 * The reply's payload split by the generated decoder (netlink.idl
 * smbd_nl_share_config_parts: veto list, its NUL, the path): buf holds
 * the reply, len bytes long. 0 or < 0.
 */
static int share_parts(const u8 *buf, u32 len,
		       struct smbd_nl_share_config_parts *parts)
{
	return smbd_nl_share_config_parts_decode(buf, len, parts) ? -OS_EINVAL : 0;
}

/* The share's path: the bytes of the path part up to its NUL. 0 or < 0. */
static int share_path(const struct wire_blob *path, char *out, u32 cap)
{
	u32 i;

	for (i = 0; i < path->len && path->p[i]; i++)
		;
	if (i == path->len || !i || i >= cap)
		return -OS_EINVAL;	/* no NUL, empty, or too long */
	os_memcpy(out, path->p, i + 1);
	return 0;
}

/* Open the root of a disk share and take its settings. An NTSTATUS. */
static u32 take_share_config(struct smbd_work *w, struct smbd_tree *t,
			     const u8 *buf, u32 len,
			     const struct smbd_nl_share_config_response *sc)
{
	/* the root's name and the split reply: not on a kernel stack */
	struct {
		char root[SMBD_PATH_MAX];
		struct smbd_nl_share_config_parts parts;
	} *tmp;
	u32 fsflags = 0;
	int rc;

	t->share_flags = sc->flags;
	if (sc->flags & SMBD_NL_SHARE_FLAG_PIPE)
		return STATUS_SUCCESS;
	tmp = os_alloc(sizeof(*tmp));
	if (!tmp)
		return STATUS_INSUFFICIENT_RESOURCES;
	if (!(sc->flags & SMBD_NL_SHARE_FLAG_FOLLOW_SYMLINKS))
		fsflags |= OS_FS_NO_SYMLINKS;
	if (sc->flags & SMBD_NL_SHARE_FLAG_CROSSMNT)
		fsflags |= OS_FS_CROSSMNT;
	rc = share_parts(buf, len, &tmp->parts);
	if (!rc)
		rc = share_path(&tmp->parts.path, tmp->root, sizeof(tmp->root));
	if (!rc) {
		rc = os_fs_open(tmp->root, fsflags, &t->fs);
		if (rc)
			os_log(OS_LOG_ERR, "share %s: cannot open %s (%d)",
			       t->share, tmp->root, rc);
	}
	os_free(tmp);
	if (rc)
		return STATUS_BAD_NETWORK_NAME;
	t->create_mask = sc->create_mask;
	t->directory_mask = sc->directory_mask;
	t->force_create_mode = sc->force_create_mode;
	t->force_directory_mode = sc->force_directory_mode;
	if (sc->force_uid != FORCE_NONE || sc->force_gid != FORCE_NONE) {
		u32 uid = sc->force_uid != FORCE_NONE ? sc->force_uid : w->sess->uid;
		u32 gid = sc->force_gid != FORCE_NONE ? sc->force_gid : w->sess->gid;

		t->cred = os_cred_new(uid, gid, 1, &gid);
		if (!t->cred)
			return STATUS_INSUFFICIENT_RESOURCES;
	}
	return STATUS_SUCCESS;
}

/*
 * Writes need the daemon's WRITABLE and no READ_ONLY: a daemon that says
 * neither (or both) gets a read-only tree, so an unclear answer fails
 * closed. ksmbd-tools and ours always set exactly one of them.
 */
static int tree_read_only(u16 conn_flags)
{
	return (conn_flags & SMBD_NL_TREE_CONN_FLAG_READ_ONLY) ||
	       !(conn_flags & SMBD_NL_TREE_CONN_FLAG_WRITABLE);
}

/*
 * A tree the daemon runs as the guest account (GUEST_ACCOUNT: "guest
 * only" shares) for a session that is not the guest already: the guest's
 * ids are what the anonymous login maps to. Without them the tree would
 * run as the user, more than the share allows, so it is refused.
 * A forced user wins, as it does for any session. An NTSTATUS.
 */
static u32 guest_tree_cred(struct smbd_work *w, struct smbd_tree *t)
{
	struct smbd_nl_login_response lr;
	u16 want = SMBD_NL_USER_FLAG_OK | SMBD_NL_USER_FLAG_GUEST_ACCOUNT;

	if (!(t->conn_flags & SMBD_NL_TREE_CONN_FLAG_GUEST_ACCOUNT) || t->cred ||
	    (w->sess->account_flags & SMBD_NL_USER_FLAG_GUEST_ACCOUNT))
		return STATUS_SUCCESS;
	if (smbd_upcall_login("", &lr) || (lr.status & want) != want)
		return STATUS_ACCESS_DENIED;
	t->cred = os_cred_new(lr.uid, lr.gid, 1, &lr.gid);
	return t->cred ? STATUS_SUCCESS : STATUS_INSUFFICIENT_RESOURCES;
}

/* Ask the daemon; fill t. An NTSTATUS. */
static u32 ask_daemon(struct smbd_work *w, struct smbd_tree *t)
{
	struct smbd_nl_share_config_response sc;
	struct smbd_nl_tree_connect_request tc = { 0 };
	struct smbd_nl_tree_connect_response tr;
	u8 *buf;	/* 16 KiB: too big for a kernel stack */
	u32 len, status;

	buf = os_alloc(SMBD_NL_DAEMON_MSG_MAX);
	if (!buf)
		return STATUS_INSUFFICIENT_RESOURCES;
	if (smbd_upcall_share_config(t->share, buf, SMBD_NL_DAEMON_MSG_MAX,
				     &len, &sc) ||
	    !(sc.flags & SMBD_NL_SHARE_FLAG_AVAILABLE))
		status = STATUS_BAD_NETWORK_NAME;
	else
		status = take_share_config(w, t, buf, len, &sc);
	os_free(buf);	/* sc's views point into it: not used below */
	if (status)
		return status;
	tc.handle = os_upcall_handle();
	tc.account_flags = w->sess->account_flags;
	tc.flags = SMBD_NL_TREE_CONN_FLAG_REQUEST_SMB2 |
		   (w->conn->peer_ipv6 ? SMBD_NL_TREE_CONN_FLAG_REQUEST_IPV6 : 0);
	tc.session_id = w->sess->id;
	tc.connect_id = t->id;
	smbd_strlcpy(tc.account, w->sess->account, sizeof(tc.account));
	smbd_strlcpy(tc.share, t->share, sizeof(tc.share));
	smbd_strlcpy(tc.peer_addr, w->conn->peer, sizeof(tc.peer_addr));
	if (smbd_upcall_tree_connect(&tc, &tr))
		return STATUS_ACCESS_DENIED;
	status = tc_status(tr.status);
	t->conn_flags = tr.connection_flags;
	t->read_only = tree_read_only(tr.connection_flags);
	if (status)
		return status;
	return guest_tree_cred(w, t);
}

static u32 answer(struct smbd_work *w, const struct smbd_tree *t)
{
	struct smb2_tree_connect_rsp rsp = { 0 };
	struct wire_enc e;
	rsp.share_type = t->share_type;
	/* a read-only tree offers no write, delete or attribute-change bits */
	rsp.maximal_access = t->read_only && t->share_type == SMB2_SHARE_TYPE_DISK ?
			     ACCESS_READ : ACCESS_ALL;
	smbd_body_enc(w, &e);
	if (smb2_tree_connect_rsp_enc(&e, &rsp))
		return STATUS_INSUFFICIENT_RESOURCES;
	w->rsp_len = e.pos;
	return STATUS_SUCCESS;
}

u32 smbd_tree_connect(struct smbd_work *w)
{
	struct smb2_tree_connect_req req;
	struct smbd_tree *t;
	struct wire_dec d;
	u32 status;

	smbd_body_dec(w, &d);
	if (smb2_tree_connect_req_dec(&d, &req))
		return STATUS_INVALID_PARAMETER;
	if (req.flags & SMB2_TREE_CONNECT_FLAG_EXTENSION_PRESENT)
		return STATUS_NOT_SUPPORTED;	/* tree connect contexts: later */
	t = os_zalloc(sizeof(*t));
	if (!t)
		return STATUS_INSUFFICIENT_RESOURCES;
	if (share_from_path(&req.path, t->share, sizeof(t->share))) {
		os_free(t);
		return STATUS_BAD_NETWORK_NAME;
	}
	t->id = w->sess->next_tree_id++;
	t->next_volatile_id = 1;
	status = ask_daemon(w, t);
	if (status) {
		if (t->fs)
			os_fs_close(t->fs);
		if (t->cred)
			os_cred_free(t->cred);
		os_free(t);
		return status;
	}
	t->share_type = (t->share_flags & SMBD_NL_SHARE_FLAG_PIPE) ?
			SMB2_SHARE_TYPE_PIPE : SMB2_SHARE_TYPE_DISK;
	t->next = w->sess->trees;
	w->sess->trees = t;
	w->tree = t;
	return answer(w, t);
}

u32 smbd_tree_disconnect(struct smbd_work *w)
{
	struct smb2_tree_disconnect_rsp rsp = { 0 };
	struct smbd_tree **pp;
	struct wire_enc e;

	/* while the tree is still findable: waiting LOCKs get their answer */
	smbd_lock_tree_end(w->tree);
	for (pp = &w->sess->trees; *pp; pp = &(*pp)->next) {
		if (*pp == w->tree) {
			*pp = w->tree->next;
			break;
		}
	}
	tree_free(w->sess, w->tree);
	w->tree = NULL;
	smbd_body_enc(w, &e);
	if (smb2_tree_disconnect_rsp_enc(&e, &rsp))
		return STATUS_INSUFFICIENT_RESOURCES;
	w->rsp_len = e.pos;
	return STATUS_SUCCESS;
}
