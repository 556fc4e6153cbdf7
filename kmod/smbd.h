/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The data path's objects and their lifetimes.
 *
 * Ownership (principle 4 of DESIGN.md), all in one place:
 *
 *   connection  owned by the host's transport: created by smbd_conn_new()
 *               when a socket is accepted; smbd_conn_free() ends it when
 *               the host closes it. Its state is touched only with
 *               conn->lock held: by the frame being handled (the host
 *               hands over one frame at a time) or by the resumption of a
 *               parked request (async.c), so the two never overlap. The
 *               struct itself is freed with its last reference: the
 *               host's, dropped by smbd_conn_free(), and one per queued
 *               resumption. Sends go through smbd_conn_send() under
 *               conn->send_lock, from any thread (an oplock break is sent
 *               by whichever connection's request caused it); after
 *               smbd_conn_free() nothing is sent to the socket any more.
 *               The status walker (status.c) reads the lists under
 *               conn->lock too, taken under its registry lock: never
 *               take the registry lock with a conn->lock held.
 *   session     owned by its connection's list; LOGOFF or the end of the
 *               connection frees it. A request holds no reference across
 *               a sleep other than an upcall, which is made while the
 *               connection is still exclusively ours.
 *   tree        owned by its session's list; TREE_DISCONNECT, LOGOFF or
 *               the end of the session frees it (and tells the daemon).
 *
 *   open        owned by its tree's list; CLOSE, TREE_DISCONNECT, LOGOFF
 *               or the end of the connection closes it (open.c). A request
 *               finds it by file id within its own tree only.
 *   inode       the share-mode state of one file across every open of it,
 *               on every connection (inode.c): the one object shared
 *               between connections, under its own lock, freed with its
 *               last open.
 *   oplock      part of its open's entry in the inode (oplock.c): created
 *               with the open, changed only under the inode table lock
 *               (by a break, an acknowledgment, a close, the timer), gone
 *               with the open.
 *   byte-range lock  one entry of its inode's lock list (lock.c), under
 *               the table lock; it belongs to one open and is freed by
 *               an unlock or with the open (smbd_inode_detach).
 *   async       a request parked until an oplock break ends or a locked
 *               range frees (async.c): owned by its connection's pending
 *               list (conn->lock); an inode's waiter list links it
 *               without owning it (table lock). Resumption finds it by
 *               AsyncId, never by pointer. A waiting LOCK names its open
 *               (lock_open) only to be answered when the open closes.
 *
 * Lock order: conn->lock, then the inode table lock, then any
 * connection's send_lock. Nobody waits for a conn->lock while holding
 * another lock.
 *
 * Channels and leases come with the commands that create them.
 */
#ifndef SMBD_CORE_H
#define SMBD_CORE_H

#include "os.h"
#include "wire.h"
#include "smb2.h"
#include "ntstatus.h"

/*
 * Largest READ/WRITE/transact payload offered in NEGOTIATE (1 MiB: 16
 * credits of 64 KiB each with multi-credit).
 */
#define SMBD_MAX_TRANS		(1024U * 1024U)
/* Largest frame accepted before negotiate and after it. */
#define SMBD_FRAME_MAX_PRENEG	4096U
#define SMBD_FRAME_MAX		(SMBD_MAX_TRANS + 4096U)
/* Credits outstanding at most: the size of the message-id window map. */
#define SMBD_CREDITS_MAX	8192U
#define SMBD_MID_WORDS		(SMBD_CREDITS_MAX / 64U)

#define SMBD_PREAUTH_SIZE	64U
#define SMBD_KEY_SIZE		16U
/* SMB 3.x encryption keys: 16 bytes for AES-128, 32 for AES-256. */
#define SMBD_CIPHER_KEY_MAX	32U

struct smbd_open;
struct smbd_inode;
struct smbd_async;

/* Longest path beneath a share root, in UTF-8 bytes with its NUL. */
#define SMBD_PATH_MAX		4096U

struct smbd_tree {
	struct smbd_tree *next;
	u32 id;
	u8 share_type;		/* SMB2_SHARE_TYPE_* */
	u32 share_flags;	/* SMBD_NL_SHARE_FLAG_* from the daemon */
	u16 conn_flags;		/* SMBD_NL_TREE_CONN_FLAG_* */
	int read_only;		/* no create, write, delete or rename */
	char share[64];
	/* disk shares: from SHARE_CONFIG */
	struct os_fs *fs;	/* the share root, open for the tree's life */
	u16 create_mask, directory_mask;
	u16 force_create_mode, force_directory_mode;
	struct os_cred *cred;	/* "force user"/"force group", else NULL */
	struct smbd_open *opens;
	u32 open_count;
	u64 next_volatile_id;
};

enum smbd_session_state {
	SMBD_SESSION_IN_PROGRESS,	/* NTLMSSP challenge sent */
	SMBD_SESSION_VALID,
};

/*
 * The encryption of the frame a connection is handling (one at a time,
 * transform.c): how it came in and how its answer goes out. The answer's
 * key is a copy, since LOGOFF inside the frame may free the session.
 */
struct smbd_crypt_frame {
	u64 rx_session_id;		/* came in a TRANSFORM_HEADER of it; 0: clear */
	int encrypt;			/* the answer goes out encrypted ... */
	u64 session_id;			/* ... for this session, */
	u8 key[SMBD_CIPHER_KEY_MAX];	/* ... with its EncryptionKey */
	u8 nonce[16];			/* ... and a nonce reserved for it */
};

struct ntlm_auth;

struct smbd_session {
	struct smbd_session *next;
	u64 id;
	enum smbd_session_state state;
	u8 server_challenge[8];
	struct ntlm_auth *auth;		/* NTLMSSP messages until setup ends */
	u8 preauth[SMBD_PREAUTH_SIZE];	/* 3.1.1: hash of its setup exchange */
	u8 session_key[SMBD_KEY_SIZE];
	u8 signing_key[SMBD_KEY_SIZE];
	int signing_required;		/* every response is signed */
	int has_key;
	/*
	 * SMB 3.x encryption (transform.c): keys derived at the end of
	 * SESSION_SETUP when the connection negotiated a cipher. A client
	 * may encrypt on any session that has them; encrypt_data
	 * (Session.EncryptData) makes it a must.
	 */
	u8 encryption_key[SMBD_CIPHER_KEY_MAX];	/* ours: server to client */
	u8 decryption_key[SMBD_CIPHER_KEY_MAX];	/* client to server */
	int has_cipher_keys;
	int encrypt_data;
	u64 nonce_count;		/* messages we encrypted: nonce counter */
	u8 nonce_salt[4];		/* random per session: rest of the nonce */
	char account[48];
	u32 uid, gid;
	u16 account_flags;		/* SMBD_NL_USER_FLAG_* */
	/*
	 * Session.IsGuest / Session.IsAnonymous (MS-SMB2 3.3.1.8): no
	 * password was proven, so no session key, signing or encryption.
	 */
	int is_guest;
	int is_anonymous;
	struct os_cred *cred;		/* who file operations run as */
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
	/* what NEGOTIATE said, kept for FSCTL_VALIDATE_NEGOTIATE_INFO */
	u32 client_capabilities;
	u16 client_dialects[16];
	u16 client_dialect_count;
	u32 server_capabilities;
	u16 server_security_mode;
	u8 preauth[SMBD_PREAUTH_SIZE];	/* 3.1.1: hash after NEGOTIATE */
	u16 cipher;			/* Connection.CipherId (SMB2_ENCRYPTION_*); 0: none */
	struct smbd_crypt_frame crypt;	/* the frame in hand */
	/*
	 * message ids: every id below mid_low was used; mid_used is a ring,
	 * bit (id % SMBD_CREDITS_MAX) for id (smb2_dispatch.c)
	 */
	u64 mid_low;
	u64 mid_high;			/* ids below this were granted */
	u64 mid_used[SMBD_MID_WORDS];
	struct smbd_session *sessions;
	u64 next_session_id;
	struct smbd_status_link *status;	/* status.c: registry, list lock */
	/* threading and lifetime (see the top of this file) */
	struct os_mutex *lock;		/* the connection's state */
	struct os_mutex *send_lock;	/* sock, and the order of sends */
	struct os_ref ref;
	int dead;			/* smbd_conn_free() ran: no more work */
	struct smbd_async *pending;	/* parked requests (async.c) */
	u32 pending_count;		/* at most SMBD_ASYNC_MAX */
	u64 next_async_id;
	u32 async_sweep;		/* smbd_async_answer_open's pass */
	/*
	 * A handler is running: a parked request run again from inside it
	 * (a teardown granting a waiting LOCK) keeps the outer identity.
	 */
	int in_handler;
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
	/*
	 * Compound file-id inheritance (MS-SMB2 3.3.5.2.7.2): the file id
	 * the previous element of a related chain used or created.
	 * smbd_open_find() substitutes it for the all-ones file id.
	 */
	struct smb2_file_id related_fid;
	int has_related_fid;
	struct smb2_file_id used_fid;	/* set by smbd_open_find / CREATE */
	int has_used_fid;
	u32 chain_create_err;		/* the last CREATE of the chain failed so */
	int raw_ntlmssp;		/* SESSION_SETUP without SPNEGO: reply so */
	/*
	 * Going async (async.c): can_async when the request is alone in
	 * its frame and may be parked; async is its record once a handler
	 * asked for one; resumed when this is a parked request running again.
	 */
	int can_async;
	int resumed;
	struct smbd_async *async;
};

/*
 * One open (MS-SMB2 3.3.1.10) of a file or directory on a disk share, or
 * of a named pipe on IPC$: then pipe is set and file, inode and path are
 * NULL (pipe.c).
 */
struct smbd_open {
	struct smbd_open *next;		/* in tree->opens */
	struct smbd_tree *tree;
	struct smbd_conn *conn;		/* where its oplock breaks go */
	struct smbd_inode *inode;	/* share modes, delete pending */
	u64 persistent_id;
	u64 volatile_id;
	struct os_file *file;
	struct smbd_pipe *pipe;		/* a named pipe: its daemon side */
	char *path;			/* beneath the share root; "" = root */
	u32 access;			/* granted access mask, generic bits mapped */
	u32 share_access;		/* FILE_SHARE_* */
	u32 create_options;
	int is_dir;
	int delete_on_close;
	u64 position;			/* FilePositionInformation */
	u32 mode;			/* FileModeInformation */
	/* QUERY_DIRECTORY: where the enumeration stands (query_dir.c) */
	u64 dir_pos;
	char *dir_pattern;
	int dir_started;
	int dir_eof;
	u32 dir_count;			/* entries returned since the (re)start */
};

/*
 * What a file is, in SMB terms: built from os_stat and user.DOSATTRIB
 * (meta.c). Used by CREATE, CLOSE, QUERY_INFO and QUERY_DIRECTORY alike.
 */
struct smbd_meta {
	u64 creation_time, last_access_time, last_write_time, change_time;
	u64 end_of_file, allocation_size;
	u32 attributes;			/* FILE_ATTRIBUTE_* */
	u64 file_id;			/* the inode number */
	u32 nlink;
	int is_dir;
	u32 ea_size;
	u32 dir_index;			/* QUERY_DIRECTORY only: the entry's FileIndex */
};

/* connection.c: called by the host */
struct smbd_conn *smbd_conn_new(struct os_sock *sock);
/* The longest frame the connection's state allows (before NEGOTIATE: 4 KiB). */
u32 smbd_conn_frame_limit(const struct smbd_conn *conn);
/*
 * The frame length in a 4-byte Direct TCP header: 0, -OS_EPROTO (not a
 * session message) or -OS_EMSGSIZE (0, or over smbd_conn_frame_limit()).
 */
int smbd_conn_frame_len(const struct smbd_conn *conn,
			const u8 hdr[SMB2_TRANSPORT_HDR_SIZE], u32 *len);
/*
 * Handle one complete frame (its header stripped; decrypted in place if
 * it is a transform frame) and send its answer with os_sock_send(). One
 * frame of a connection at a time. 0, or < 0 to close the connection.
 */
int smbd_conn_handle_frame(struct smbd_conn *conn, u8 *frame, u32 len);
void smbd_conn_free(struct smbd_conn *conn);
/*
 * Call about once a second, from any thread, no lock held: timers of the
 * core (oplock breaks not acknowledged in 35 s). Never waits long.
 */
void smbd_tick(void);

/* smb2_dispatch.c */
int smbd_dispatch(struct smbd_conn *conn, const u8 *msg, u32 len,
		  u8 *rsp, u32 rsp_cap, u32 *rsp_len);
/* A decoder for the body of w's request (offsets count from the header). */
void smbd_body_dec(const struct smbd_work *w, struct wire_dec *d);
/* An encoder positioned at the body of w's response. */
void smbd_body_enc(struct smbd_work *w, struct wire_enc *e);

/*
 * smb1.c: answer an SMB1 multi-protocol negotiate that offers SMB2 (MS-SMB2
 * 3.3.5.3); 0 with the response in rsp, or < 0: drop the connection.
 */
int smbd_smb1_dispatch(struct smbd_conn *conn, const u8 *msg, u32 len,
		       u8 *rsp, u32 rsp_cap, u32 *rsp_len);

/* negotiate.c: this server's GUID, one per process (VALIDATE_NEGOTIATE_INFO too). */
void smbd_server_guid(struct wire_guid *g);

/* Command handlers: return an NTSTATUS; on a body-bearing status they
 * encode the body and set w->rsp_len. */
u32 smbd_negotiate(struct smbd_work *w);
/*
 * negotiate.c: the SMB2 NEGOTIATE response body to an SMB1 negotiate,
 * for the wildcard 0x02FF or 2.0.2 (which then is the dialect).
 */
u32 smbd_negotiate_smb1(struct smbd_work *w, u16 dialect);
u32 smbd_session_setup(struct smbd_work *w);
u32 smbd_logoff(struct smbd_work *w);
u32 smbd_tree_connect(struct smbd_work *w);
u32 smbd_tree_disconnect(struct smbd_work *w);
u32 smbd_echo(struct smbd_work *w);
u32 smbd_create(struct smbd_work *w);			/* create.c */
u32 smbd_close(struct smbd_work *w);			/* close.c */
u32 smbd_flush(struct smbd_work *w);			/* read_write.c */
u32 smbd_read(struct smbd_work *w);
u32 smbd_write(struct smbd_work *w);
u32 smbd_ioctl(struct smbd_work *w);			/* ioctl.c */
u32 smbd_query_directory(struct smbd_work *w);		/* query_dir.c */
u32 smbd_query_info(struct smbd_work *w);		/* query_info.c */
u32 smbd_set_info(struct smbd_work *w);			/* set_info.c */
u32 smbd_lock(struct smbd_work *w);			/* lock.c */

/* errmap.c: an os.h error (negative) as the NTSTATUS a client expects. */
u32 smbd_errno_to_status(int err);

/* unicode.c: names on the wire are UTF-16LE, on disk UTF-8. */
/* UTF-16LE (len bytes) to NUL-terminated UTF-8; < 0 on invalid or too long. */
int smbd_utf16_to_utf8(const u8 *in, u32 len, char *out, u32 cap);
/* UTF-8 (len bytes) to UTF-16LE; the byte count, or < 0 when cap is short. */
int smbd_utf8_to_utf16(const char *in, u32 len, u8 *out, u32 cap);
/* Compare two UTF-8 names the way Windows does: case-insensitively. 0 = same. */
int smbd_name_casecmp(const char *a, u32 alen, const char *b, u32 blen);

/*
 * path.c: a client's name (UTF-16LE, '\' separated, relative to the
 * share) to a path os.h accepts; an NTSTATUS (OBJECT_NAME_INVALID for
 * "..", wildcards or bad characters; NAME_TOO_LONG; OBJECT_NAME_NOT_FOUND
 * for a named stream, as a share without streams answers; "f::$DATA" is
 * the file itself).
 * *out is allocated (os_free): "" for the root.
 */
u32 smbd_path_from_wire(const u8 *name, u32 len, char **out);
/*
 * Find path beneath t's root, matching each component case-insensitively
 * when the exact name does not exist. On success *real is the on-disk
 * spelling (allocated). When only the last component is missing, the
 * status is OBJECT_NAME_NOT_FOUND and *real holds the path with the
 * parents spelled as on disk (so the caller can create it); a missing
 * parent gives OBJECT_PATH_NOT_FOUND.
 */
u32 smbd_path_resolve(struct smbd_tree *t, const char *path, char **real);

/* open.c */
struct smbd_open *smbd_open_new(struct smbd_tree *t);	/* ids assigned, linked */
/* The open fid names within w's tree (all-ones: the related one); NULL if none. */
struct smbd_open *smbd_open_find(struct smbd_work *w, const struct smb2_file_id *fid);
/* Close one open: delete on close, share modes released, unlinked from its tree. */
void smbd_open_close(struct smbd_open *o);
void smbd_open_close_all(struct smbd_tree *t);

/* inode.c: share modes and delete-pending across all opens of one file */
struct smbd_inode;
/*
 * A lease (MS-SMB2 3.3.1.4): the caching state of one client's lease key
 * on one file, shared by every open made with that key (oplock.c has its
 * state machine). Owned by its inode, under the table lock, counted by
 * its opens and freed with the last of them.
 */
#define SMBD_LEASE_R	0x1U	/* SMB2_LEASE_READ_CACHING */
#define SMBD_LEASE_H	0x2U	/* SMB2_LEASE_HANDLE_CACHING */
#define SMBD_LEASE_W	0x4U	/* SMB2_LEASE_WRITE_CACHING */

struct smbd_lease {
	struct smbd_lease *next;	/* the inode's leases */
	struct smbd_lease *hnext;	/* the lease table's bucket */
	struct smbd_inode *ino;
	struct wire_guid client;	/* ClientGuid of its connection */
	u8 key[16];
	u8 parent_key[16];
	int has_parent;
	u8 version;			/* 1, or 2 (epochs) */
	u16 epoch;
	u32 state;			/* SMBD_LEASE_* */
	int breaking;			/* a break waits for its acknowledgment */
	u32 break_to;
	u64 deadline;
	u32 opens;
};

/* The lease part of a CREATE: in from RqLs, out for the response context. */
struct smbd_lease_req {
	int present;
	u8 version;		/* in: the request's; out: the lease's */
	u8 key[16];
	u8 parent_key[16];	/* in: the request's; out: the lease's */
	int has_parent;
	u32 state;		/* in: requested; out: granted */
	u16 epoch;		/* in: the client's; out: the lease's */
	int breaking;		/* out: SMB2_LEASE_FLAG_BREAK_IN_PROGRESS */
};

/* What CREATE asks of the inode besides share modes: the oplock side. */
struct smbd_attach {
	struct smbd_lease_req *lease;	/* a lease asked for, or NULL */
	const struct wire_guid *client;	/* the opener's ClientGuid */
	u8 oplock_req;		/* SMB2_OPLOCK_LEVEL_* asked for (not LEASE) */
	int can_wait;		/* the request may go async */
	u8 oplock_granted;	/* out: what the open holds */
	int overwrite;		/* the disposition truncates the file */
	/* park here when a break must be waited for; NULL: never wait */
	struct smbd_async *wait;
};
/*
 * Attach o to the inode of st, checking share access (MS-FSA 2.1.5.1.2)
 * and breaking the oplocks of other opens (MS-SMB2 3.3.5.9): an
 * NTSTATUS; STATUS_PENDING when a->wait is now waiting for a break.
 * When a break must be waited for, can_wait is set and wait is NULL,
 * nothing is changed and the answer is SMBD_STATUS_NEED_WAIT: the caller
 * gets a record (smbd_async_get) and tries again, so that CREATEs that
 * never wait allocate nothing for it.
 */
#define SMBD_STATUS_NEED_WAIT	0xFFFFFFFEU
u32 smbd_inode_attach(struct smbd_open *o, const struct os_stat *st,
		      struct smbd_attach *a);
void smbd_inode_detach(struct smbd_open *o);
/* OPLOCK_BREAK acknowledgment of o (level in, held level out): an NTSTATUS. */
u32 smbd_inode_oplock_ack(struct smbd_open *o, u8 level, u8 *held);
/* o changes the file's data: every Level II oplock of the file goes to none. */
void smbd_inode_data_changed(struct smbd_open *o);
/* The break timer: every break older than 35 s is taken as done. */
void smbd_inode_tick(void);
/* async.c: take a from the inode it waits on, if any (table lock). */
void smbd_inode_unwait(struct smbd_async *a);
int smbd_inode_delete_pending(struct smbd_inode *ino);
/*
 * A client-set ChangeTime, kept while the file is open and unchanged
 * (Linux has no way to set ctime): remember it with the file's ctime
 * now, and translate a ctime from os_stat into what to report.
 */
void smbd_inode_set_change_time(struct smbd_inode *ino, u64 value, u64 real_ctime);
u64 smbd_inode_change_time(struct smbd_inode *ino, u64 real_ctime);
void smbd_inode_set_delete_pending(struct smbd_inode *ino, int on);
/* STATUS_SHARING_VIOLATION if such an open of (dev, ino) would collide
 * with one of its opens other than self; nothing is attached. */
u32 smbd_inode_share_check(u64 dev, u64 ino, const struct smbd_open *self,
			   u32 access, u32 share);

/*
 * Byte-range locks (lock.c): one list per inode, kept by inode.c under
 * its table lock and walked only between smbd_inode_brl_enter() and
 * smbd_inode_brl_leave().
 */
struct smbd_brl {
	struct smbd_brl *next;
	const struct smbd_open *owner;	/* identity only: the handle */
	u64 offset, length;
	int exclusive;
};

struct smbd_brl_list {
	struct smbd_brl *head;
	u32 count;
};

/* Take the table lock: ino's locks; NULL (nothing taken) if there is no table. */
struct smbd_brl_list *smbd_inode_brl_enter(struct smbd_inode *ino);
/* Drop it; released: ranges were freed, so the waiters of ino look again. */
void smbd_inode_brl_leave(struct smbd_inode *ino, int released);
/* Between the two: park a on ino's waiter list until a range frees. */
void smbd_inode_brl_wait(struct smbd_inode *ino, struct smbd_async *a);
/* A lock request on o: Level II oplocks and other read leases go to none. */
void smbd_inode_lock_break(struct smbd_open *o);
/* lock.c, for inode.c: unlink o's locks (the chain is freed by smbd_brl_free). */
struct smbd_brl *smbd_brl_take_owner(struct smbd_brl_list *list,
				     const struct smbd_open *o);
void smbd_brl_free(struct smbd_brl *chain);
/* READ (write 0) or WRITE of [off, off + len) by o: FILE_LOCK_CONFLICT or success. */
u32 smbd_lock_check_io(struct smbd_open *o, u64 off, u64 len, int write);
/* o closes (conn->lock held): its waiting LOCKs end RANGE_NOT_LOCKED. */
void smbd_lock_open_closing(struct smbd_open *o);
/*
 * Every open of t is about to close (TREE_DISCONNECT, LOGOFF), t and its
 * session still findable: drop their locks, let their waiting LOCKs try
 * once more, end the rest.
 */
void smbd_lock_tree_end(struct smbd_tree *t);

/* meta.c: os_stat + user.DOSATTRIB → smbd_meta; an NTSTATUS */
u32 smbd_meta_get(struct smbd_tree *t, struct os_file *f, const char *name,
		  struct smbd_meta *m);
/* Store attributes (and creation time when not 0) in user.DOSATTRIB. */
u32 smbd_meta_set_dos(struct smbd_tree *t, struct os_file *f, u32 attributes,
		      u64 creation_time);

/*
 * oplock.c: the oplock state machine of one open (MS-SMB2 3.3.1.4,
 * 3.3.4.6, 3.3.5.22.1), called by inode.c with the table lock held;
 * nothing in it sleeps.
 */
enum smbd_oplock_state {
	SMBD_OPLOCK_NONE,	/* level NONE, nothing in flight */
	SMBD_OPLOCK_HELD,	/* level II, exclusive or batch */
	SMBD_OPLOCK_BREAKING,	/* break sent, acknowledgment awaited */
};

struct smbd_oplock {
	u8 level;		/* SMB2_OPLOCK_LEVEL_* held */
	u8 break_to;		/* while BREAKING: the level asked for */
	u8 state;		/* enum smbd_oplock_state */
	u64 deadline;		/* while BREAKING: FILETIME it times out */
};

/* The level a new open gets (others: other opens of the file exist). */
u8 smbd_oplock_grant(const struct smbd_open *o, u8 requested, int others);
void smbd_oplock_init(struct smbd_oplock *op, u8 level);
/*
 * A new open meets holder's oplock: break it as MS-SMB2 3.3.5.9 wants
 * (sending the notification to holder->conn). 1 when the new open must
 * wait for the acknowledgment.
 */
int smbd_oplock_contend(struct smbd_oplock *op, const struct smbd_open *holder,
			int sharing_violation, int overwrite, int dry_run);
/* Level II to none on a data change; 1 when a break was sent. */
int smbd_oplock_break_level2(struct smbd_oplock *op, const struct smbd_open *holder);
/* An acknowledgment: an NTSTATUS; *held the level now held. 1 via *done when the break ended. */
u32 smbd_oplock_ack(struct smbd_oplock *op, u8 level, u8 *held, int *done);
/* The timer: 1 when op's break timed out now (it is then done, level NONE). */
int smbd_oplock_expire(struct smbd_oplock *op, u64 now);
/* Leases: the same, for a lease (l->breaking is its BREAKING state). */
int smbd_lease_contend(struct smbd_lease *l, const struct smbd_open *holder,
		       int sharing_violation, int overwrite, int dry_run);
/* Data changed: an R lease goes to none at once, an RH one once acknowledged. */
void smbd_lease_break_read(struct smbd_lease *l, const struct smbd_open *holder);
u32 smbd_lease_ack(struct smbd_lease *l, u32 state);
int smbd_lease_expire(struct smbd_lease *l, u64 now);
/* inode.c: LEASE_BREAK acknowledgment by conn's client: an NTSTATUS. */
u32 smbd_inode_lease_ack(struct smbd_conn *conn, const u8 key[16], u32 state,
			 u32 *held);
/* OPLOCK_BREAK request (acknowledgment) handler. */
u32 smbd_oplock_break(struct smbd_work *w);

/*
 * async.c: requests answered later (MS-SMB2 3.3.4.2). A handler that
 * must wait takes a record with smbd_async_get(), links it where the
 * wake-up will come from and returns STATUS_PENDING; the dispatcher then
 * sends the interim response and keeps the request. A wake-up queues a
 * job that runs the request again on its connection: as if it had just
 * come, with its final answer async. CANCEL answers it STATUS_CANCELLED.
 */
struct smbd_async {
	struct smbd_async *next;	/* conn->pending (conn->lock) */
	struct smbd_conn *conn;
	u64 id;				/* AsyncId */
	u64 message_id;
	u64 rx_session_id;		/* it came encrypted for this session */
	u8 *req;			/* a copy of the request, once parked */
	u32 req_len;
	int parked;			/* on conn->pending */
	int again;			/* the last run parked it again */
	/* the wait: under the inode table lock */
	struct smbd_async *wait_next;
	struct smbd_inode *wait_ino;
	struct smbd_wake *token;	/* the wake-up job, handed out once */
	/* a waiting LOCK: its open (compared, never followed) */
	const struct smbd_open *lock_open;
	u32 sweep;			/* smbd_async_answer_open's last pass */
};

/* A wake-up on its way to a worker: a reference and an id, no pointer. */
struct smbd_wake {
	struct smbd_wake *next;
	struct smbd_conn *conn;		/* a reference held */
	u64 id;
};

/*
 * Requests one connection may have parked: each holds a copy of its
 * request, and credits come back with every interim answer, so without
 * a bound a client could make us keep any number. Beyond it a CREATE
 * does not wait (it meets the oplock unbroken, as in a compound).
 */
#define SMBD_ASYNC_MAX	256U

/* w's record, made if needed; NULL when w cannot go async. */
struct smbd_async *smbd_async_get(struct smbd_work *w);
/* Dispatcher: w's handler said PENDING; keep the request. An NTSTATUS. */
u32 smbd_async_park(struct smbd_work *w);
/* Dispatcher: w is answered; drop its record. */
void smbd_async_done(struct smbd_work *w);
/*
 * A waiter taken off its wait list (table lock held): hand out its
 * wake-up. smbd_async_wake_run() queues it once the lock is dropped.
 */
void smbd_async_wake_take(struct smbd_async *a, struct smbd_wake **list);
void smbd_async_wake_run(struct smbd_wake *list);
/* CANCEL (MS-SMB2 3.3.5.16) of w's target. */
void smbd_async_cancel(struct smbd_work *w);
/* The connection ends: drop every parked request unanswered. */
void smbd_async_drop_all(struct smbd_conn *conn);
/*
 * conn->lock held: answer every LOCK of conn waiting on open o with
 * status, or with status 0 run each once more (it may wait again).
 */
void smbd_async_answer_open(struct smbd_conn *conn, const struct smbd_open *o,
			    u32 status);

/* connection.c, for async.c and oplock.c */
/* Send a frame with SMB2_TRANSPORT_HDR_SIZE bytes of room in front (any thread). */
int smbd_conn_send(struct smbd_conn *conn, u8 *frame, u32 len);
/* Answer a parked request (conn->lock held): run it again, or with status. */
int smbd_conn_run_async(struct smbd_conn *conn, struct smbd_async *a, u32 status);
void smbd_conn_put(struct smbd_conn *conn);
/* smb2_dispatch.c: the one element of a parked request, answered async. */
int smbd_dispatch_async(struct smbd_conn *conn, struct smbd_async *a, u32 status,
			u8 *rsp, u32 rsp_cap, u32 *rsp_len);

/* session.c */
struct smbd_session *smbd_session_find(struct smbd_conn *conn, u64 id);
void smbd_session_destroy(struct smbd_conn *conn, struct smbd_session *s);

/* tree.c */
struct smbd_tree *smbd_tree_find(struct smbd_session *s, u32 id);
/* The credentials requests on t run with: force user, else the session's. */
const struct os_cred *smbd_tree_cred(const struct smbd_session *s,
				     const struct smbd_tree *t);
void smbd_tree_destroy_all(struct smbd_session *s);

/* preauth.c: SMB 3.1.1 preauth integrity */
void smbd_preauth_update(u8 hash[SMBD_PREAUTH_SIZE], const u8 *msg, u32 len);

/* signing.c */
void smbd_signing_derive(struct smbd_conn *conn, struct smbd_session *s);
/* EncryptionKey and DecryptionKey of s for conn->cipher (MS-SMB2 3.3.5.5.3). */
void smbd_cipher_keys_derive(struct smbd_conn *conn, struct smbd_session *s);
int smbd_sign(const struct smbd_conn *conn, const u8 key[SMBD_KEY_SIZE],
	      u8 *msg, u32 len);
int smbd_verify(const struct smbd_conn *conn, const u8 key[SMBD_KEY_SIZE],
		const u8 *msg, u32 len);

/*
 * transform.c: SMB 3.x encryption (MS-SMB2 2.2.41, 3.1.4.3, 3.3.5.2.1.1).
 *
 * The server-wide policy, SMBD_NL_GLOBAL_FLAG_* as STARTING_UP carries
 * them (SMB2_ENCRYPTION: required; SMB2_ENCRYPTION_OFF: never offered).
 * The host sets it once, before it accepts connections.
 */
void smbd_set_global_flags(u32 flags);
int smbd_encryption_offered(void);
int smbd_encryption_required(void);
/* Key length of an SMB2_ENCRYPTION_* cipher, 0 if we do not support it. */
u32 smbd_cipher_key_len(u16 cipher);
/* The frame at buf starts with a TRANSFORM_HEADER's ProtocolId. */
int smbd_is_transform(const u8 *buf, u32 len);
/*
 * Decrypt the TRANSFORM frame buf (len bytes) in place: *msg and *msg_len
 * are the SMB2 message inside, and conn->crypt says how it came and that
 * its answer goes out encrypted. < 0: drop the connection.
 */
int smbd_decrypt_frame(struct smbd_conn *conn, u8 *buf, u32 len,
		       u8 **msg, u32 *msg_len);
/*
 * Encrypt the answer of the frame in hand: frame has SMB2_TRANSFORM_HDR_SIZE
 * bytes of room in front of the msg_len bytes of the SMB2 message.
 */
int smbd_encrypt_frame(struct smbd_conn *conn, u8 *frame, u32 msg_len);
/* The frame is done: forget its keys. */
void smbd_crypt_frame_end(struct smbd_conn *conn);
/*
 * For the dispatcher, once w's session is known: a request on a session
 * that requires encryption must have come encrypted (3.3.5.2.9), one that
 * came encrypted must name the session it came under; plans encrypting
 * the answer (3.3.4.1.4). An NTSTATUS.
 */
u32 smbd_crypt_check(struct smbd_work *w);
/* Session setup is complete: keys and Session.EncryptData. An NTSTATUS. */
u32 smbd_crypt_session_start(struct smbd_conn *conn, struct smbd_session *s,
			     u16 *session_flags);

/*
 * pipe.c: named pipes on IPC$ (MS-SMB2 3.3.5.9, 3.3.5.12, 3.3.5.13,
 * 3.3.5.15.3-4, 3.3.5.15.10), each forwarded to the daemon's RPC
 * services with RPC_REQUEST upcalls. The handlers below are called by the
 * command handlers for opens and trees of pipes; each returns an NTSTATUS
 * and encodes its body like them.
 */
struct smbd_pipe;
u32 smbd_pipe_create(struct smbd_work *w, const struct smb2_create_req *req);
u32 smbd_pipe_read(struct smbd_work *w, struct smbd_open *o,
		   const struct smb2_read_req *req);
u32 smbd_pipe_write(struct smbd_work *w, struct smbd_open *o,
		    const struct smb2_write_req *req);
/* FSCTLs on a pipe open: fills rsp for smbd_ioctl to encode. */
u32 smbd_pipe_ioctl(struct smbd_work *w, struct smbd_open *o,
		    const struct smb2_ioctl_req *req, struct smb2_ioctl_rsp *rsp);
/* FSCTL_PIPE_WAIT, which names a pipe rather than an open. */
u32 smbd_pipe_wait(struct smbd_work *w, const struct smb2_ioctl_req *req);
u32 smbd_pipe_query_info(struct smbd_work *w, struct smbd_open *o,
			 const struct smb2_query_info_req *req);
/* Tell the daemon and free the pipe's state (smbd_open_close calls it). */
void smbd_pipe_release(struct smbd_open *o);

/*
 * status.c: the status snapshot (idl/status.idl) of every live
 * connection's sessions, trees and opens. The host calls
 * smbd_status_init() before it accepts connections (without it nothing
 * is listed) and smbd_status_exit() after the last one is gone.
 */
struct smbd_status_link;
int smbd_status_init(void);
void smbd_status_exit(void);
/* connection.c: register/unregister conn (the walker takes conn->lock) */
int smbd_status_conn_add(struct smbd_conn *conn);
void smbd_status_conn_del(struct smbd_conn *conn);
/* A TRANSFORM frame came for session_id: the client encrypts on it. */
void smbd_status_note_encrypted(struct smbd_conn *conn, u64 session_id);
/*
 * Write the snapshot into buf: 0 and *len, -OS_EMSGSIZE when cap is too
 * small (call again with more), -OS_EINVAL without smbd_status_init().
 */
int smbd_status_encode(void *buf, u32 cap, u32 *len);

/* inode.c: free the core's globals at unload, after the last connection. */
void smbd_core_exit(void);

#endif /* SMBD_CORE_H */
