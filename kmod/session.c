// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SESSION_SETUP and LOGOFF (MS-SMB2 3.3.5.5, 3.3.5.6): SPNEGO-wrapped
 * NTLMSSP. The daemon says who the user is and hands over the NT hash;
 * the check of the NTLMv2 response happens here (principle 5).
 *
 * At the end of a setup on a 3.x connection with a cipher the session
 * gets its encryption keys (transform.c); when the server requires
 * encryption, the answer says SMB2_SESSION_FLAG_ENCRYPT_DATA, and a
 * client that cannot encrypt is refused.
 *
 * Not in this slice: Kerberos, anonymous and guest sessions,
 * reauthentication, channel binding. Each is refused, not faked.
 */
#include "smbd.h"
#include "spnego.h"
#include "ntlm.h"
#include "upcall.h"

struct smbd_session *smbd_session_find(struct smbd_conn *conn, u64 id)
{
	struct smbd_session *s;

	for (s = conn->sessions; s; s = s->next)
		if (s->id == id)
			return s;
	return NULL;
}

/*
 * Session ids are unique across the server, not just the connection:
 * the daemon keys its tree connect bookkeeping by session id.
 */
static u64 session_id_next = 0x10001;

static struct smbd_session *session_new(struct smbd_conn *conn)
{
	struct smbd_session *s = os_zalloc(sizeof(*s));

	if (!s)
		return NULL;
	s->id = __atomic_fetch_add(&session_id_next, 1, __ATOMIC_RELAXED);
	s->next_tree_id = 1;
	os_memcpy(s->preauth, conn->preauth, SMBD_PREAUTH_SIZE);
	s->next = conn->sessions;
	conn->sessions = s;
	return s;
}

void smbd_session_destroy(struct smbd_conn *conn, struct smbd_session *s)
{
	struct smbd_session **pp;

	for (pp = &conn->sessions; *pp; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	}
	smbd_tree_destroy_all(s);
	if (s->cred)
		os_cred_free(s->cred);
	os_free_sensitive(s, sizeof(*s));
}

/* Answer with a SPNEGO token in the response body. */
static u32 reply(struct smbd_work *w, enum spnego_state state, int with_mech,
		 const u8 *tok, u32 toklen, u16 session_flags, u32 status)
{
	struct smb2_session_setup_rsp rsp = { .session_flags = session_flags };
	struct wire_enc e;
	u8 spnego[1024];
	u32 len;

	if (spnego_resp_token(state, with_mech, tok, toklen, spnego,
			      sizeof(spnego), &len))
		return STATUS_INSUFFICIENT_RESOURCES;
	rsp.security_buffer.p = spnego;
	rsp.security_buffer.len = len;
	smbd_body_enc(w, &e);
	if (smb2_session_setup_rsp_enc(&e, &rsp))
		return STATUS_INSUFFICIENT_RESOURCES;
	w->rsp_len = e.pos;
	return status;
}

static u32 do_negotiate(struct smbd_work *w, const u8 *tok, u32 len)
{
	u8 challenge[512];
	u32 clen;

	if (ntlm_challenge(w->sess, tok, len, challenge, sizeof(challenge), &clen))
		return STATUS_INVALID_PARAMETER;
	return reply(w, SPNEGO_ACCEPT_INCOMPLETE, 1, challenge, clen, 0,
		     STATUS_MORE_PROCESSING_REQUIRED);
}

/* Ask the daemon for the user and check the response; an NTSTATUS. */
static u32 authenticate(struct smbd_session *s,
			const struct ntlmssp_authenticate_message *am)
{
	struct smbd_nl_login_response lr;
	char user[SMBD_NL_ACCOUNT_NAME_SZ];

	if (ntlm_auth_user(am, user, sizeof(user)))
		return STATUS_LOGON_FAILURE;
	if (smbd_upcall_login(user, &lr))
		return STATUS_LOGON_FAILURE;	/* no daemon, or a bad reply */
	if (!(lr.status & SMBD_NL_USER_FLAG_OK) ||
	    (lr.status & SMBD_NL_USER_FLAG_GUEST_ACCOUNT) ||
	    lr.hash_sz < SMBD_NL_NT_HASH_LEN)
		return STATUS_LOGON_FAILURE;
	if (ntlm_verify(s, am, (const u8 *)lr.hash)) {
		smbd_upcall_logout(user, SMBD_NL_USER_FLAG_BAD_PASSWORD);
		return STATUS_LOGON_FAILURE;
	}
	smbd_strlcpy(s->account, (const char *)lr.account, sizeof(s->account));
	s->uid = lr.uid;
	s->gid = lr.gid;
	s->account_flags = lr.status;
	os_memset(&lr, 0, sizeof(lr));
	/* supplementary groups (LOGIN_REQUEST_EXT) come later: the primary one */
	if (s->cred)
		os_cred_free(s->cred);
	s->cred = os_cred_new(s->uid, s->gid, 1, &s->gid);
	if (!s->cred)
		return STATUS_INSUFFICIENT_RESOURCES;
	return STATUS_SUCCESS;
}

static u32 do_authenticate(struct smbd_work *w, const u8 *tok, u32 len,
			   u8 client_security_mode)
{
	struct ntlmssp_authenticate_message am;
	struct smbd_session *s = w->sess;
	u16 flags = 0;
	u32 status;

	if (s->state != SMBD_SESSION_IN_PROGRESS ||
	    ntlmssp_authenticate_message_decode(tok, len, &am))
		return STATUS_INVALID_PARAMETER;
	status = authenticate(s, &am);
	if (status)
		return status;
	smbd_signing_derive(w->conn, s);
	/* encryption keys, and whether the server requires their use */
	status = smbd_crypt_session_start(w->conn, s, &flags);
	if (status)
		return status;
	s->signing_required = !!(client_security_mode & SMB2_NEGOTIATE_SIGNING_REQUIRED);
	s->state = SMBD_SESSION_VALID;
	return reply(w, SPNEGO_ACCEPT_COMPLETED, 0, NULL, 0, flags, STATUS_SUCCESS);
}

/* The session this request continues, or a new one; an NTSTATUS. */
static u32 find_or_start(struct smbd_work *w)
{
	if (!w->hdr.session_id) {
		w->sess = session_new(w->conn);
		return w->sess ? STATUS_SUCCESS : STATUS_INSUFFICIENT_RESOURCES;
	}
	w->sess = smbd_session_find(w->conn, w->hdr.session_id);
	if (!w->sess)
		return STATUS_USER_SESSION_DELETED;
	if (w->sess->state == SMBD_SESSION_VALID)
		return STATUS_NOT_SUPPORTED;	/* reauthentication: later */
	return STATUS_SUCCESS;
}

u32 smbd_session_setup(struct smbd_work *w)
{
	struct smb2_session_setup_req req;
	struct ntlmssp_negotiate_message nm;
	const u8 *tok;
	struct wire_dec d;
	u32 len, status;

	smbd_body_dec(w, &d);
	if (smb2_session_setup_req_dec(&d, &req))
		return STATUS_INVALID_PARAMETER;
	if (req.flags & SMB2_SESSION_FLAG_BINDING)
		return STATUS_REQUEST_NOT_ACCEPTED;	/* multi-channel: later */
	if (spnego_client_token(req.security_buffer.p, req.security_buffer.len,
				&tok, &len))
		return STATUS_LOGON_FAILURE;	/* Kerberos-only tokens land here */
	status = find_or_start(w);
	if (status) {
		if (status != STATUS_INSUFFICIENT_RESOURCES)
			w->sess = NULL;
		return status;
	}
	if (w->conn->dialect == SMB2_DIALECT_311)
		smbd_preauth_update(w->sess->preauth, w->req, w->req_len);
	if (!ntlmssp_negotiate_message_decode(tok, len, &nm))
		status = do_negotiate(w, tok, len);
	else
		status = do_authenticate(w, tok, len, req.security_mode);
	if (status != STATUS_SUCCESS && status != STATUS_MORE_PROCESSING_REQUIRED) {
		/* a failed setup ends the session (MS-SMB2 3.3.5.5.3) */
		smbd_session_destroy(w->conn, w->sess);
		w->sess = NULL;
	}
	return status;
}

u32 smbd_logoff(struct smbd_work *w)
{
	struct smb2_logoff_rsp rsp = { 0 };
	struct wire_enc e;

	smbd_session_destroy(w->conn, w->sess);
	w->sess = NULL;
	w->tree = NULL;
	smbd_body_enc(w, &e);
	if (smb2_logoff_rsp_enc(&e, &rsp))
		return STATUS_INSUFFICIENT_RESOURCES;
	w->rsp_len = e.pos;
	return STATUS_SUCCESS;
}
