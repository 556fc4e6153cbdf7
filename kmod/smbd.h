/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The data path's objects and their lifetimes.
 *
 * Ownership (principle 4 of DESIGN.md), all in one place:
 *
 *   connection  owned by the host's transport: created by smbd_conn_new()
 *               when a socket is accepted, destroyed by smbd_conn_free()
 *               when the host closes it. Requests of one connection are
 *               handled one at a time (the host never runs two workers on
 *               one connection), so its fields need no lock.
 *   session     owned by its connection's list; LOGOFF or the end of the
 *               connection frees it. A request holds no reference across
 *               a sleep other than an upcall, which is made while the
 *               connection is still exclusively ours.
 *   tree        owned by its session's list; TREE_DISCONNECT, LOGOFF or
 *               the end of the session frees it (and tells the daemon).
 *
 * Channels, opens and leases come with the commands that create them.
 */
#ifndef SMBD_CORE_H
#define SMBD_CORE_H

#include "os.h"
#include "wire.h"
#include "smb2.h"

/* NTSTATUS values this slice answers with (MS-ERREF 2.3.1). */
#define STATUS_SUCCESS			0x00000000U
#define STATUS_PENDING			0x00000103U
#define STATUS_MORE_PROCESSING_REQUIRED	0xC0000016U
#define STATUS_INVALID_PARAMETER	0xC000000DU
#define STATUS_ACCESS_DENIED		0xC0000022U
#define STATUS_LOGON_FAILURE		0xC000006DU
#define STATUS_INSUFFICIENT_RESOURCES	0xC000009AU
#define STATUS_NOT_SUPPORTED		0xC00000BBU
#define STATUS_NETWORK_NAME_DELETED	0xC00000C9U
#define STATUS_BAD_NETWORK_NAME		0xC00000CCU
#define STATUS_REQUEST_NOT_ACCEPTED	0xC00000D0U
#define STATUS_USER_SESSION_DELETED	0xC0000203U

/* Sizes this slice offers: no READ/WRITE yet, so small and honest. */
#define SMBD_MAX_TRANS		65536U
/* Largest frame accepted before negotiate and after it. */
#define SMBD_FRAME_MAX_PRENEG	4096U
#define SMBD_FRAME_MAX		(SMBD_MAX_TRANS + 4096U)
/* Credits outstanding at most: the message-id window is a 64-bit map. */
#define SMBD_CREDITS_MAX	64U

#define SMBD_PREAUTH_SIZE	64U
#define SMBD_KEY_SIZE		16U

struct smbd_tree {
	struct smbd_tree *next;
	u32 id;
	u8 share_type;		/* SMB2_SHARE_TYPE_* */
	u32 share_flags;	/* SMBD_NL_SHARE_FLAG_* from the daemon */
	u16 conn_flags;		/* SMBD_NL_TREE_CONN_FLAG_* */
	char share[64];
};

enum smbd_session_state {
	SMBD_SESSION_IN_PROGRESS,	/* NTLMSSP challenge sent */
	SMBD_SESSION_VALID,
};

struct smbd_session {
	struct smbd_session *next;
	u64 id;
	enum smbd_session_state state;
	u8 server_challenge[8];
	u8 preauth[SMBD_PREAUTH_SIZE];	/* 3.1.1: hash of its setup exchange */
	u8 session_key[SMBD_KEY_SIZE];
	u8 signing_key[SMBD_KEY_SIZE];
	int signing_required;		/* every response is signed */
	int has_key;
	char account[48];
	u32 uid, gid;
	u16 account_flags;		/* SMBD_NL_USER_FLAG_* */
	struct smbd_tree *trees;
	u32 next_tree_id;
};

struct smbd_conn {
	struct os_sock *sock;
	char peer[64];
	int peer_ipv6;
	int negotiated;
	u16 dialect;
	u16 client_security_mode;
	struct wire_guid client_guid;
	u8 preauth[SMBD_PREAUTH_SIZE];	/* 3.1.1: hash after NEGOTIATE */
	/* message ids: every id below mid_low was used; bit i of used is id mid_low + i */
	u64 mid_low;
	u64 mid_high;			/* ids below this were granted */
	u64 mid_used;
	struct smbd_session *sessions;
	u64 next_session_id;
};

/* One request being answered. */
struct smbd_work {
	struct smbd_conn *conn;
	const u8 *req;			/* this message, from its SMB2 header */
	u32 req_len;
	struct smb2_hdr hdr;
	struct smbd_session *sess;	/* looked up from hdr.session_id, or NULL */
	struct smbd_tree *tree;
	u8 *rsp;			/* response, from its SMB2 header */
	u32 rsp_cap;
	u32 rsp_len;			/* header + body once a handler succeeded */
	int sign;			/* sign the response with key */
	int signing_required;
	u8 key[SMBD_KEY_SIZE];		/* sess's signing key, kept: LOGOFF frees sess */
	int has_key;
};

/* connection.c: called by the host */
struct smbd_conn *smbd_conn_new(struct os_sock *sock);
/* Read, handle and answer one frame: 0, or < 0 to close the connection. */
int smbd_conn_serve_one(struct smbd_conn *conn);
void smbd_conn_free(struct smbd_conn *conn);

/* smb2_dispatch.c */
int smbd_dispatch(struct smbd_conn *conn, const u8 *msg, u32 len,
		  u8 *rsp, u32 rsp_cap, u32 *rsp_len);
/* A decoder for the body of w's request (offsets count from the header). */
void smbd_body_dec(const struct smbd_work *w, struct wire_dec *d);
/* An encoder positioned at the body of w's response. */
void smbd_body_enc(struct smbd_work *w, struct wire_enc *e);

/* Command handlers: return an NTSTATUS; on a body-bearing status they
 * encode the body and set w->rsp_len. */
u32 smbd_negotiate(struct smbd_work *w);
u32 smbd_session_setup(struct smbd_work *w);
u32 smbd_logoff(struct smbd_work *w);
u32 smbd_tree_connect(struct smbd_work *w);
u32 smbd_tree_disconnect(struct smbd_work *w);
u32 smbd_echo(struct smbd_work *w);

/* session.c */
struct smbd_session *smbd_session_find(struct smbd_conn *conn, u64 id);
void smbd_session_destroy(struct smbd_conn *conn, struct smbd_session *s);

/* tree.c */
struct smbd_tree *smbd_tree_find(struct smbd_session *s, u32 id);
void smbd_tree_destroy_all(struct smbd_session *s);

/* preauth.c: SMB 3.1.1 preauth integrity */
void smbd_preauth_update(u8 hash[SMBD_PREAUTH_SIZE], const u8 *msg, u32 len);

/* signing.c */
void smbd_signing_derive(struct smbd_conn *conn, struct smbd_session *s);
int smbd_sign(const struct smbd_conn *conn, const u8 key[SMBD_KEY_SIZE],
	      u8 *msg, u32 len);
int smbd_verify(const struct smbd_conn *conn, const u8 key[SMBD_KEY_SIZE],
		const u8 *msg, u32 len);

#endif /* SMBD_CORE_H */
