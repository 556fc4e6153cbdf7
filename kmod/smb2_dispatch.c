// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * From a received SMB2 message to its response: header, message ids and
 * credits, session and tree lookup, signature check, the command's
 * handler, then the response header and signature.
 *
 * Compound chains (NextCommand) are walked here: each element is answered
 * in turn and the answers are chained with 8-byte padding. Related
 * elements inherit the previous element's session, tree and file id
 * (run_handler hands the id down; smbd_open_find uses it).
 */
#include "smbd.h"
#include "netlink.h"

#define SESSION_ID_RELATED	0xFFFFFFFFFFFFFFFFULL
#define TREE_ID_RELATED		0xFFFFFFFFU

typedef u32 (*smbd_handler)(struct smbd_work *w);

static const smbd_handler handlers[] = {
	[SMB2_NEGOTIATE] = smbd_negotiate,
	[SMB2_SESSION_SETUP] = smbd_session_setup,
	[SMB2_LOGOFF] = smbd_logoff,
	[SMB2_TREE_CONNECT] = smbd_tree_connect,
	[SMB2_TREE_DISCONNECT] = smbd_tree_disconnect,
	[SMB2_ECHO] = smbd_echo,
	[SMB2_CREATE] = smbd_create,
	[SMB2_CLOSE] = smbd_close,
	[SMB2_FLUSH] = smbd_flush,
	[SMB2_READ] = smbd_read,
	[SMB2_WRITE] = smbd_write,
	[SMB2_IOCTL] = smbd_ioctl,
	[SMB2_QUERY_DIRECTORY] = smbd_query_directory,
	[SMB2_QUERY_INFO] = smbd_query_info,
	[SMB2_SET_INFO] = smbd_set_info,
	[SMB2_LOCK] = smbd_lock,
	[SMB2_OPLOCK_BREAK] = smbd_oplock_break,
};

void smbd_body_dec(const struct smbd_work *w, struct wire_dec *d)
{
	/* base(msg) offsets count from the SMB2 header: decode from there */
	wire_dec_init(d, w->req, w->req_len);
	d->pos = SMB2_HDR_SIZE;
}

void smbd_body_enc(struct smbd_work *w, struct wire_enc *e)
{
	wire_enc_init(e, w->rsp, w->rsp_cap);
	e->pos = SMB2_HDR_SIZE;
}

/*
 * The used map is a ring indexed by the id itself: the window
 * [mid_low, mid_high) never spans more than SMBD_CREDITS_MAX ids, so no
 * two ids in it share a bit, and a bit is cleared as mid_low passes it,
 * before the id SMBD_CREDITS_MAX later can be granted.
 */
static u64 *mid_word(struct smbd_conn *conn, u64 id, u64 *mask)
{
	u64 bit = id % SMBD_CREDITS_MAX;

	*mask = 1ULL << (bit % 64);
	return &conn->mid_used[bit / 64];
}

static int mid_is_used(struct smbd_conn *conn, u64 id)
{
	u64 mask;

	return (*mid_word(conn, id, &mask) & mask) != 0;
}

static void mid_set_used(struct smbd_conn *conn, u64 id)
{
	u64 mask;

	*mid_word(conn, id, &mask) |= mask;
}

/* Move the window past its used prefix, freeing each bit it passes. */
static void mid_slide(struct smbd_conn *conn)
{
	u64 mask, *word;

	for (;;) {
		word = mid_word(conn, conn->mid_low, &mask);
		if (!(*word & mask))
			break;
		*word &= ~mask;
		conn->mid_low++;
	}
}

/*
 * Take the ids [id, id + charge) out of the granted window (MS-SMB2
 * 3.3.5.2.3). Each id may be used once; all must have been granted. The
 * window never holds more than SMBD_CREDITS_MAX ids (credits_grant).
 */
static int mid_consume(struct smbd_conn *conn, u64 id, u16 charge)
{
	u64 i;

	/* 2.0.2 has no multi-credit requests: the field is not a charge */
	if (charge == 0 || conn->dialect == SMB2_DIALECT_202)
		charge = 1;
	if (id < conn->mid_low || id + charge > conn->mid_high ||
	    id + charge < id)
		return -1;
	for (i = id; i < id + charge; i++)
		if (mid_is_used(conn, i))
			return -1;
	for (i = id; i < id + charge; i++)
		mid_set_used(conn, i);
	mid_slide(conn);
	return 0;
}

/* Credits to grant: what was asked for, at least 1, within the window. */
static u16 credits_grant(struct smbd_conn *conn, u16 asked)
{
	u64 outstanding = conn->mid_high - conn->mid_low;
	u64 room = SMBD_CREDITS_MAX > outstanding ? SMBD_CREDITS_MAX - outstanding : 0;
	u16 grant = asked ? asked : 1;

	if (grant > room)
		grant = (u16)room;
	conn->mid_high += grant;
	return grant;
}

/* Which commands need a valid session, and which a tree connect. */
static int needs_session(u16 cmd)
{
	return cmd != SMB2_NEGOTIATE && cmd != SMB2_SESSION_SETUP &&
	       cmd != SMB2_ECHO;
}

static int needs_tree(u16 cmd)
{
	return needs_session(cmd) && cmd != SMB2_LOGOFF &&
	       cmd != SMB2_TREE_CONNECT;
}

/*
 * Requests of a session with keys that must come signed unless they came
 * encrypted: all of them when the session requires signing (MS-SMB2
 * 3.3.5.2.4), and a 3.1.1 TREE_CONNECT always (3.3.5.7), which is what
 * protects the negotiated values against a downgrade. A session's own
 * SESSION_SETUP (reauthentication) is verified by its exchange instead.
 */
static int must_be_signed(const struct smbd_work *w)
{
	u16 cmd = w->hdr.command;

	if (cmd == SMB2_NEGOTIATE || cmd == SMB2_SESSION_SETUP)
		return 0;
	if (cmd == SMB2_TREE_CONNECT && w->conn->dialect == SMB2_DIALECT_311)
		return 1;
	return w->signing_required;
}

/*
 * A session or tree that is not there. LOCK looks for its open first
 * (MS-SMB2 3.3.5.14, <363>: Windows validates the open before the
 * session), and the open went with them: FILE_CLOSED, as Windows answers
 * a LOCK after LOGOFF or TREE_DISCONNECT (smb2.lock.cancel-logoff).
 */
static u32 gone_status(const struct smbd_work *w, u32 status)
{
	return w->hdr.command == SMB2_LOCK ? STATUS_FILE_CLOSED : status;
}

/* Find the session and tree the header names; an NTSTATUS. */
static u32 lookup(struct smbd_work *w, const struct smbd_work *prev)
{
	u64 sid = w->hdr.session_id;
	u32 tid = w->hdr.id.sync.tree_id;
	int related = w->hdr.flags & SMB2_FLAGS_RELATED_OPERATIONS;
	u32 status;

	if (related) {
		/* the first element has nothing to be related to */
		if (!prev)
			return STATUS_INVALID_PARAMETER;
		/* nor has one after an element that found no session */
		if (sid == SESSION_ID_RELATED && !prev->sess)
			return STATUS_INVALID_PARAMETER;
		if (sid == SESSION_ID_RELATED)
			sid = prev->sess->id;
		if (tid == TREE_ID_RELATED)
			tid = prev->tree ? prev->tree->id : 0;
	}
	w->sess = sid ? smbd_session_find(w->conn, sid) : NULL;
	if (needs_session(w->hdr.command) &&
	    (!w->sess || w->sess->state != SMBD_SESSION_VALID))
		return gone_status(w, STATUS_USER_SESSION_DELETED);
	/* encryption required, or the wrong session in an encrypted frame */
	status = smbd_crypt_check(w);
	if (status)
		return status;
	if (w->sess && w->sess->has_key) {
		os_memcpy(w->key, w->sess->signing_key, SMBD_KEY_SIZE);
		w->has_key = 1;
		w->signing_required = w->sess->signing_required;
	}
	/* a decrypted message is authentic already: no signature (3.3.5.2.4) */
	if (w->has_key && (w->hdr.flags & SMB2_FLAGS_SIGNED) &&
	    !w->conn->crypt.rx_session_id &&
	    smbd_verify(w->conn, w->key, w->req, w->req_len))
		return STATUS_ACCESS_DENIED;
	if (w->has_key && !(w->hdr.flags & SMB2_FLAGS_SIGNED) &&
	    !w->conn->crypt.rx_session_id && must_be_signed(w))
		return STATUS_ACCESS_DENIED;
	if (!needs_tree(w->hdr.command))
		return STATUS_SUCCESS;
	w->tree = smbd_tree_find(w->sess, tid);
	return w->tree ? STATUS_SUCCESS :
			 gone_status(w, STATUS_NETWORK_NAME_DELETED);
}

/* The body-less answer: SMB2 ERROR with no data (MS-SMB2 2.2.2). */
static u32 encode_error(struct smbd_work *w)
{
	static const u8 zero;
	struct smb2_error_rsp er = {
		.empty_pad = { .p = &zero, .len = 1 },
	};
	struct wire_enc e;

	smbd_body_enc(w, &e);
	if (smb2_error_rsp_enc(&e, &er))
		return 0;
	return e.pos;
}

/*
 * Which answers carry the command's own response body rather than an
 * ERROR body: success, a session setup in progress, and the partial
 * results of MS-SMB2 3.3.4.4 (data that did not fit, BUFFER_OVERFLOW).
 */
static int status_has_body(u16 cmd, u32 status)
{
	if (status == STATUS_SUCCESS)
		return 1;
	if (status == STATUS_MORE_PROCESSING_REQUIRED)
		return cmd == SMB2_SESSION_SETUP;
	if (status == STATUS_BUFFER_OVERFLOW)
		return cmd == SMB2_QUERY_INFO || cmd == SMB2_IOCTL ||
		       cmd == SMB2_READ;
	/* an ERROR body carrying the size needed (MS-SMB2 3.3.5.20.3) */
	if (status == STATUS_BUFFER_TOO_SMALL)
		return cmd == SMB2_QUERY_INFO;
	return 0;
}

static int encode_header(struct smbd_work *w, u32 status, u16 credits)
{
	struct smb2_hdr h = {
		.credit_charge = w->hdr.credit_charge,
		.status = status,
		.command = w->hdr.command,
		.credit = credits,
		.flags = SMB2_FLAGS_SERVER_TO_REDIR |
			 (w->hdr.flags & SMB2_FLAGS_RELATED_OPERATIONS),
		.message_id = w->hdr.message_id,
		.session_id = w->hdr.session_id,
	};

	/*
	 * The request's ids are echoed, the related chain's all-ones
	 * included (clients match answers to requests by them); only the
	 * commands that make a session or a tree connect name the new one.
	 */
	h.id.sync.tree_id = w->hdr.id.sync.tree_id;
	if (w->async && w->async->parked) {
		/* the interim answer and the final one (MS-SMB2 3.3.4.2) */
		h.flags |= SMB2_FLAGS_ASYNC_COMMAND;
		h.id.async_id = w->async->id;
	}
	if (w->hdr.command == SMB2_SESSION_SETUP && w->sess)
		h.session_id = w->sess->id;
	if (w->hdr.command == SMB2_TREE_CONNECT && w->tree)
		h.id.sync.tree_id = w->tree->id;
	if (w->sign)
		h.flags |= SMB2_FLAGS_SIGNED;
	return smb2_hdr_encode(w->rsp, w->rsp_cap, &h, NULL);
}

/* Should this response be signed (MS-SMB2 3.3.4.1.1)? */
static int wants_signature(struct smbd_work *w, u32 status)
{
	if (w->hdr.command == SMB2_SESSION_SETUP && w->sess && w->sess->has_key) {
		/* the final response: key just derived, always signed */
		os_memcpy(w->key, w->sess->signing_key, SMBD_KEY_SIZE);
		return status == STATUS_SUCCESS;
	}
	if (!w->has_key || status == STATUS_USER_SESSION_DELETED)
		return 0;
	/* an encrypted answer carries no signature (3.3.4.1.1) */
	if (w->conn->crypt.encrypt)
		return 0;
	return w->signing_required || (w->hdr.flags & SMB2_FLAGS_SIGNED);
}

/*
 * The command's handler, as the user the session (or the share's force
 * user) maps to, with the file id a related chain hands down.
 */
static u32 run_handler(struct smbd_work *w, const struct smbd_work *prev)
{
	u16 cmd = w->hdr.command;
	const struct os_cred *cred = NULL;
	void *saved = NULL;
	u32 status;

	if ((w->hdr.flags & SMB2_FLAGS_RELATED_OPERATIONS) && prev &&
	    prev->has_used_fid) {
		/* passed on through elements that fail or name no file */
		w->related_fid = prev->used_fid;
		w->has_related_fid = 1;
		w->used_fid = prev->used_fid;
		w->has_used_fid = 1;
	}
	if (cmd > SMB2_OPLOCK_BREAK)
		return STATUS_INVALID_PARAMETER;	/* no such command */
	/*
	 * A related element after a failed CREATE fails the same way: the
	 * file it would work on was never opened (MS-SMB2 3.3.5.2.7.2).
	 */
	if ((w->hdr.flags & SMB2_FLAGS_RELATED_OPERATIONS) && w->chain_create_err)
		return w->chain_create_err;
	/*
	 * CHANGE_NOTIFY always goes async; inside a compound, where the
	 * rest of the chain cannot wait, Windows answers INTERNAL_ERROR
	 * (MS-SMB2 <159>) and so do we.
	 */
	if (cmd == SMB2_CHANGE_NOTIFY && w->hdr.next_command)
		return STATUS_INTERNAL_ERROR;
	if (cmd >= OS_ARRAY_SIZE(handlers) || !handlers[cmd])
		return STATUS_NOT_SUPPORTED;
	/*
	 * A parked request run again from inside another handler (a
	 * teardown granting a waiting LOCK, lock.c) runs as that one does:
	 * a revert here would undo the outer override too.
	 */
	if (w->sess && w->tree && !w->conn->in_handler)
		cred = smbd_tree_cred(w->sess, w->tree);
	if (cred)
		saved = os_cred_override(cred);
	w->conn->in_handler++;
	status = handlers[cmd](w);
	w->conn->in_handler--;
	if (cred)
		os_cred_revert(saved);
	return status;
}

/* Handle one element; its response goes to w->rsp. 0, or < 0 to disconnect. */
static int handle_one(struct smbd_work *w, const struct smbd_work *prev)
{
	u16 cmd = w->hdr.command;
	u32 status;
	u16 credits;

	if (cmd == SMB2_CANCEL) {
		/* never answered itself; its target is (async.c) */
		smbd_async_cancel(w);
		return 1;
	}
	if (mid_consume(w->conn, w->hdr.message_id, w->hdr.credit_charge))
		return -OS_EPROTO;
	if (!w->conn->negotiated && cmd != SMB2_NEGOTIATE)
		return -OS_EPROTO;
	if (prev)
		w->chain_create_err = prev->chain_create_err;
	status = lookup(w, prev);
	if (status == STATUS_SUCCESS)
		status = run_handler(w, prev);
	if (status == SMBD_STATUS_DISCONNECT)
		return -OS_EPROTO;
	if (status == STATUS_PENDING)
		status = smbd_async_park(w);	/* the interim answer */
	else
		smbd_async_done(w);
	if (cmd == SMB2_CREATE)
		w->chain_create_err = status;
	/*
	 * An IOCTL may answer an error with its own body (COPYCHUNK's
	 * limits with INVALID_PARAMETER): it sets rsp_len only then.
	 */
	if (!(status_has_body(cmd, status) || (cmd == SMB2_IOCTL && w->rsp_len)) ||
	    !w->rsp_len)
		w->rsp_len = encode_error(w);
	if (!w->rsp_len)
		return -OS_EMSGSIZE;
	credits = credits_grant(w->conn, w->hdr.credit);
	w->sign = wants_signature(w, status);
	if (encode_header(w, status, credits))
		return -OS_EMSGSIZE;
	if (cmd == SMB2_NEGOTIATE && w->conn->dialect == SMB2_DIALECT_311)
		smbd_preauth_update(w->conn->preauth, w->rsp, w->rsp_len);
	if (cmd == SMB2_SESSION_SETUP && w->sess &&
	    status == STATUS_MORE_PROCESSING_REQUIRED &&
	    w->conn->dialect == SMB2_DIALECT_311)
		smbd_preauth_update(w->sess->preauth, w->rsp, w->rsp_len);
	return 0;
}

/* Cut the next element out of the chain at *at; its length, or 0 at the end. */
static u32 next_element(const u8 *msg, u32 len, u32 at, struct smb2_hdr *h)
{
	u32 end = len - at;

	if (at >= len || smb2_hdr_decode(msg + at, len - at, h))
		return 0;
	if (h->next_command) {
		if (h->next_command < SMB2_HDR_SIZE || h->next_command > end ||
		    h->next_command % 8)
			return 0;
		end = h->next_command;
	}
	return end;
}

/* Set NextCommand of the answer at rsp: re-encode its header. */
static int link_answer(u8 *rsp, u32 cap, u32 next)
{
	struct smb2_hdr h;

	if (smb2_hdr_decode(rsp, cap, &h))
		return -OS_EPROTO;
	h.next_command = next;
	return smb2_hdr_encode(rsp, cap, &h, NULL) ? -OS_EMSGSIZE : 0;
}

/* Answers of one chain, kept until the chain is complete so they can be
 * linked and then signed (a signature covers NextCommand). */
#define SMBD_CHAIN_MAX	32

struct chain_answer {
	u32 at, len;
	u8 key[SMBD_KEY_SIZE];
	int sign;
};

static int finish_chain(struct smbd_conn *conn, u8 *rsp, u32 cap,
			struct chain_answer *a, u32 n)
{
	u32 i;
	int rc;

	for (i = 0; i + 1 < n; i++) {
		/* a non-last answer is signed together with its padding */
		a[i].len = a[i + 1].at - a[i].at;
		rc = link_answer(rsp + a[i].at, cap - a[i].at, a[i].len);
		if (rc)
			return rc;
	}
	for (i = 0; i < n; i++)
		if (a[i].sign && smbd_sign(conn, a[i].key, rsp + a[i].at, a[i].len))
			return -OS_EIO;
	return 0;
}

int smbd_dispatch(struct smbd_conn *conn, const u8 *msg, u32 len,
		  u8 *rsp, u32 rsp_cap, u32 *rsp_len)
{
	struct chain_answer answers[SMBD_CHAIN_MAX];
	struct smbd_work w, prev;
	u32 at = 0, out = 0, n = 0, i;
	int have_prev = 0, rc;

	*rsp_len = 0;
	if (len >= 4 && msg[0] == 0xFF && msg[1] == 'S')
		return smbd_smb1_dispatch(conn, msg, len, rsp, rsp_cap, rsp_len);
	for (i = 0; i < SMBD_CHAIN_MAX; i++) {
		os_memset(&w, 0, sizeof(w));
		w.conn = conn;
		w.req = msg + at;
		w.req_len = next_element(msg, len, at, &w.hdr);
		if (!w.req_len)
			return -OS_EPROTO;
		/* answers in a chain are 8-aligned, the padding zeroed */
		while (out % 8 && out < rsp_cap)
			rsp[out++] = 0;
		if (out >= rsp_cap)
			return -OS_EMSGSIZE;
		w.rsp = rsp + out;
		w.rsp_cap = rsp_cap - out;
		/* only a request alone in its frame waits (MS-SMB2 3.3.4.2) */
		w.can_async = i == 0 && !w.hdr.next_command &&
			      !(w.hdr.flags & SMB2_FLAGS_RELATED_OPERATIONS);
		rc = handle_one(&w, have_prev ? &prev : NULL);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			answers[n].at = out;
			answers[n].len = w.rsp_len;
			os_memcpy(answers[n].key, w.key, SMBD_KEY_SIZE);
			answers[n].sign = w.sign;
			n++;
			out += w.rsp_len;
		}
		prev = w;
		have_prev = 1;
		if (!w.hdr.next_command)
			break;
		at += w.hdr.next_command;
	}
	if (i == SMBD_CHAIN_MAX)
		return -OS_EPROTO;	/* longer chains than any client sends */
	rc = finish_chain(conn, rsp, rsp_cap, answers, n);
	if (rc)
		return rc;
	*rsp_len = out;
	return 0;
}

/*
 * The final answer of a parked request a (async.c): its handler run
 * again, or, with status not 0, that status (CANCELLED). Its ids were
 * consumed and its credits granted by the interim answer: this one
 * grants none. 0 with *rsp_len 0 when it parked again.
 */
int smbd_dispatch_async(struct smbd_conn *conn, struct smbd_async *a, u32 status,
			u8 *rsp, u32 rsp_cap, u32 *rsp_len)
{
	struct smbd_work w;
	u32 st;

	*rsp_len = 0;
	os_memset(&w, 0, sizeof(w));
	w.conn = conn;
	w.req = a->req;
	w.req_len = a->req_len;
	w.rsp = rsp;
	w.rsp_cap = rsp_cap;
	w.async = a;
	w.resumed = 1;
	w.can_async = !status;
	if (smb2_hdr_decode(w.req, w.req_len, &w.hdr))
		return -OS_EPROTO;
	st = lookup(&w, NULL);
	if (st == STATUS_SUCCESS)
		st = status ? status : run_handler(&w, NULL);
	if (st == SMBD_STATUS_DISCONNECT)
		return -OS_EPROTO;
	a->again = st == STATUS_PENDING && !status;
	if (a->again)
		return 0;	/* waits again: still parked */
	if (!(status_has_body(w.hdr.command, st) || w.rsp_len) || !w.rsp_len)
		w.rsp_len = encode_error(&w);
	if (!w.rsp_len)
		return -OS_EMSGSIZE;
	w.sign = wants_signature(&w, st);
	if (encode_header(&w, st, 0))
		return -OS_EMSGSIZE;
	if (w.sign && smbd_sign(conn, w.key, w.rsp, w.rsp_len))
		return -OS_EIO;
	*rsp_len = w.rsp_len;
	return 0;
}
