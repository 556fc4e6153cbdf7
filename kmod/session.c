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
 * The AUTHENTICATE message's MIC is checked, and so is the client's
 * SPNEGO mechListMIC; ours goes back whenever either was sent (MS-SPNG
 * 3.1.5.1), since a client that signs the mech list expects the answer.
 *
 * Guest and anonymous (null) sessions come from the daemon's guest
 * mapping: they have no session key, so they are never signed or
 * encrypted, and say IS_GUEST or IS_NULL in the answer.
 *
 * Not in this slice: Kerberos, reauthentication, channel binding,
 * "map to guest = bad password". Each is refused, not faked.
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

/* The NTLMSSP messages are needed only until the setup ends. */
static void auth_end(struct smbd_session *s)
{
	if (s->auth)
		os_free_sensitive(s->auth, sizeof(*s->auth));
	s->auth = NULL;
}

void smbd_session_destroy(struct smbd_conn *conn, struct smbd_session *s)
{
	struct smbd_session **pp;

	/*
	 * The trees first, while the session can still be found: a LOCK
	 * waiting on one of its opens is answered on it (lock.c).
	 */
	smbd_tree_destroy_all(s);
	for (pp = &conn->sessions; *pp; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	}
	auth_end(s);
	if (s->cred)
		os_cred_free(s->cred);
	os_free_sensitive(s, sizeof(*s));
}

/* Answer with a SPNEGO token (and maybe a mechListMIC) in the body. */
static u32 reply_mic(struct smbd_work *w, enum spnego_state state, int with_mech,
		     const u8 *tok, u32 toklen, const u8 *mic, u32 miclen,
		     u16 session_flags, u32 status)
{
	struct smb2_session_setup_rsp rsp = { .session_flags = session_flags };
	struct wire_enc e;
	u8 spnego[1024];
	u32 len;

	if (w->raw_ntlmssp) {
		/* the client spoke bare NTLMSSP (Linux cifs): answer in kind */
		rsp.security_buffer.p = tok;
		rsp.security_buffer.len = tok ? toklen : 0;
	} else {
		if (spnego_resp_token(state, with_mech, tok, toklen, mic, miclen,
				      spnego, sizeof(spnego), &len))
			return STATUS_INSUFFICIENT_RESOURCES;
		rsp.security_buffer.p = spnego;
		rsp.security_buffer.len = len;
	}
	smbd_body_enc(w, &e);
	if (smb2_session_setup_rsp_enc(&e, &rsp))
		return STATUS_INSUFFICIENT_RESOURCES;
	w->rsp_len = e.pos;
	return status;
}

static u32 reply(struct smbd_work *w, enum spnego_state state, int with_mech,
		 const u8 *tok, u32 toklen, u16 session_flags, u32 status)
{
	return reply_mic(w, state, with_mech, tok, toklen, NULL, 0,
			 session_flags, status);
}

/*
 * Keep NEGOTIATE and CHALLENGE for the AUTHENTICATE MIC, and the client's
 * mechTypes for the mechListMICs. spnego is the whole security buffer.
 */
static u32 do_negotiate(struct smbd_work *w, const u8 *spnego, u32 spnego_len,
			const u8 *tok, u32 len)
{
	struct smbd_session *s = w->sess;
	struct ntlm_auth *a;
	const u8 *types;
	u32 types_len;

	if (len > NTLM_MSG_MAX)
		return STATUS_INVALID_PARAMETER;
	if (!s->auth)
		s->auth = os_zalloc(sizeof(*s->auth));
	a = s->auth;
	if (!a)
		return STATUS_INSUFFICIENT_RESOURCES;
	os_memset(a, 0, sizeof(*a));
	os_memcpy(a->negotiate, tok, len);
	a->negotiate_len = len;
	if (!spnego_mech_types(spnego, spnego_len, &types, &types_len) &&
	    types_len <= sizeof(a->mech_types)) {
		os_memcpy(a->mech_types, types, types_len);
		a->mech_types_len = types_len;
	}
	if (ntlm_challenge(s, tok, len, a->challenge, sizeof(a->challenge),
			   &a->challenge_len))
		return STATUS_INVALID_PARAMETER;
	return reply(w, SPNEGO_ACCEPT_INCOMPLETE, 1, a->challenge,
		     a->challenge_len, 0, STATUS_MORE_PROCESSING_REQUIRED);
}

/*
 * MS-SPNG 3.1.5.1: with an NTLMSSP MIC (or a client mechListMIC) both
 * sides sign the mechTypes list; check the client's, make ours. An
 * NTSTATUS; *miclen 0 when no mechListMIC goes back.
 */
static u32 mech_list_mic(struct smbd_session *s, u32 flags, int has_mic,
			 const u8 *spnego, u32 spnego_len,
			 u8 mic[NTLM_SIG_SIZE], u32 *miclen)
{
	const struct ntlm_auth *a = s->auth;
	const u8 *cmic;
	u8 want[NTLM_SIG_SIZE];
	u32 cmic_len;
	int sent;

	*miclen = 0;
	sent = !spnego_client_mic(spnego, spnego_len, &cmic, &cmic_len);
	if (!sent && !has_mic)
		return STATUS_SUCCESS;
	if (!a || !a->mech_types_len)
		return sent ? STATUS_LOGON_FAILURE : STATUS_SUCCESS;
	if (sent) {
		if (cmic_len != NTLM_SIG_SIZE ||
		    ntlm_sign(s->session_key, flags, 0, a->mech_types,
			      a->mech_types_len, want) ||
		    !os_memeq_const(want, cmic, NTLM_SIG_SIZE))
			return STATUS_LOGON_FAILURE;
	}
	if (ntlm_sign(s->session_key, flags, 1, a->mech_types,
		      a->mech_types_len, mic))
		return STATUS_INSUFFICIENT_RESOURCES;
	*miclen = NTLM_SIG_SIZE;
	return STATUS_SUCCESS;
}

/*
 * Who file operations run as: the uid and primary gid of the login and,
 * when the daemon flags EXTENSION, the supplementary groups it lists
 * (LOGIN_REQUEST_EXT). A failed or malformed group answer refuses the
 * login rather than running with a guessed group set. An NTSTATUS.
 */
static u32 session_cred(struct smbd_session *s, const char *user, u16 status)
{
	u32 *gids = NULL, n = 1;

	if (status & SMBD_NL_USER_FLAG_EXTENSION) {
		gids = os_alloc(4 * SMBD_UPCALL_GROUPS_MAX);
		if (!gids)
			return STATUS_INSUFFICIENT_RESOURCES;
		if (smbd_upcall_login_ext(user, gids, SMBD_UPCALL_GROUPS_MAX,
					  &n)) {
			os_free(gids);
			return STATUS_LOGON_FAILURE;
		}
	}
	if (s->cred)
		os_cred_free(s->cred);
	s->cred = gids && n ? os_cred_new(s->uid, s->gid, n, gids) :
			      os_cred_new(s->uid, s->gid, 1, &s->gid);
	if (gids)
		os_free(gids);
	return s->cred ? STATUS_SUCCESS : STATUS_INSUFFICIENT_RESOURCES;
}

/*
 * Ask the daemon for the user and check the response; an NTSTATUS.
 *
 * The daemon may answer with its guest account (GUEST_ACCOUNT): an
 * anonymous AUTHENTICATE, which is asked for as the empty account name,
 * or an unknown user under "map to guest = bad user". When it hands over
 * a hash the password is still checked (a known user mapped to the guest
 * for want of a unix account); without one there is nothing to prove and
 * the session is a guest's, with no key. A bad password is never mapped
 * to the guest here: it fails and the daemon counts it.
 */
static u32 authenticate(struct smbd_session *s,
			const struct ntlmssp_authenticate_message *am)
{
	struct smbd_nl_login_response lr;
	char user[SMBD_NL_ACCOUNT_NAME_SZ];
	int anonymous = ntlm_is_anonymous(am), guest, has_hash;

	if (anonymous)
		user[0] = 0;
	else if (ntlm_auth_user(am, user, sizeof(user)))
		return STATUS_LOGON_FAILURE;
	if (smbd_upcall_login(user, &lr))
		return STATUS_LOGON_FAILURE;	/* no daemon, or a bad reply */
	guest = !!(lr.status & SMBD_NL_USER_FLAG_GUEST_ACCOUNT);
	has_hash = lr.hash_sz >= SMBD_NL_NT_HASH_LEN;
	if (!(lr.status & SMBD_NL_USER_FLAG_OK) || (anonymous && !guest) ||
	    (!guest && !has_hash))
		return STATUS_LOGON_FAILURE;
	if (has_hash && !anonymous && ntlm_verify(s, am, (const u8 *)lr.hash)) {
		os_memset(&lr, 0, sizeof(lr));
		smbd_upcall_logout(user, SMBD_NL_USER_FLAG_BAD_PASSWORD);
		return STATUS_LOGON_FAILURE;
	}
	smbd_strlcpy(s->account, (const char *)lr.account, sizeof(s->account));
	s->uid = lr.uid;
	s->gid = lr.gid;
	s->account_flags = lr.status;
	/* a proven password gives a session key even when mapped to guest */
	s->is_guest = guest && !(has_hash && !anonymous);
	s->is_anonymous = anonymous;
	os_memset(&lr, 0, sizeof(lr));
	return session_cred(s, user, s->account_flags);
}

/*
 * The end of a guest or anonymous setup (MS-SMB2 3.3.5.5.3): no key, so
 * no signing and no encryption. A server that requires encryption has
 * nothing to offer such a session. An NTSTATUS.
 */
static u32 finish_keyless(struct smbd_work *w, struct smbd_session *s)
{
	auth_end(s);
	if (smbd_encryption_required())
		return STATUS_ACCESS_DENIED;
	s->signing_required = 0;
	s->state = SMBD_SESSION_VALID;
	return reply(w, SPNEGO_ACCEPT_COMPLETED, 0, NULL, 0,
		     s->is_anonymous ? SMB2_SESSION_FLAG_IS_NULL :
				       SMB2_SESSION_FLAG_IS_GUEST,
		     STATUS_SUCCESS);
}

static u32 do_authenticate(struct smbd_work *w, const u8 *spnego, u32 spnego_len,
			   const u8 *tok, u32 len, u8 client_security_mode)
{
	struct ntlmssp_authenticate_message am;
	struct smbd_session *s = w->sess;
	u8 mic[NTLM_SIG_SIZE];
	u32 status, miclen;
	u16 flags = 0;
	int has_mic;

	if (s->state != SMBD_SESSION_IN_PROGRESS ||
	    ntlmssp_authenticate_message_decode(tok, len, &am))
		return STATUS_INVALID_PARAMETER;
	status = authenticate(s, &am);
	if (status)
		return status;
	/* no session key: neither MIC can be checked, nor one made */
	if (s->is_guest || s->is_anonymous)
		return finish_keyless(w, s);
	if (ntlm_check_mic(s, &am, tok, len, &has_mic))
		return STATUS_LOGON_FAILURE;
	status = mech_list_mic(s, am.negotiate_flags, has_mic, spnego,
			       spnego_len, mic, &miclen);
	auth_end(s);
	if (status)
		return status;
	smbd_signing_derive(w->conn, s);
	/* encryption keys, and whether the server requires their use */
	status = smbd_crypt_session_start(w->conn, s, &flags);
	if (status)
		return status;
	s->signing_required = !!(client_security_mode & SMB2_NEGOTIATE_SIGNING_REQUIRED);
	s->state = SMBD_SESSION_VALID;
	return reply_mic(w, SPNEGO_ACCEPT_COMPLETED, 0, NULL, 0, mic, miclen,
			 flags, STATUS_SUCCESS);
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
	/* a bare NTLMSSP message (no SPNEGO around it) is its own token */
	w->raw_ntlmssp = tok == req.security_buffer.p;
	status = find_or_start(w);
	if (status) {
		if (status != STATUS_INSUFFICIENT_RESOURCES)
			w->sess = NULL;
		return status;
	}
	if (w->conn->dialect == SMB2_DIALECT_311)
		smbd_preauth_update(w->sess->preauth, w->req, w->req_len);
	if (!ntlmssp_negotiate_message_decode(tok, len, &nm))
		status = do_negotiate(w, req.security_buffer.p,
				      req.security_buffer.len, tok, len);
	else
		status = do_authenticate(w, req.security_buffer.p,
					 req.security_buffer.len, tok, len,
					 req.security_mode);
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
