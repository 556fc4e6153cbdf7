/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DCE/RPC over the IPC$ named pipes (srvsvc, wkssvc, samr, lsarpc/lsass),
 * connection-oriented (C706 ch. 12, MS-RPCE), served by ksmbd.mountd.
 *
 * The data path forwards every pipe operation as one RPC_REQUEST
 * (netlink-abi.md, rpc_command): handle = the pipe's id, flags = the method
 * bits, payload = the bytes. rpc_server_command() answers each one with a
 * status and, for READ and IOCTL, the response bytes:
 *
 *   OPEN   pipe name in the payload ("srvsvc", "\PIPE\lsarpc", NUL
 *          terminated), optionally followed by the session's account name
 *          (NUL terminated, for LsarGetUserName); or, as in-tree ksmbd
 *          sends it, an *_METHOD_INVOKE bit with an empty payload. A name
 *          we do not serve: NOT_IMPLEMENTED.
 *   WRITE  the bytes join the pipe's input; every complete fragment is
 *          handled at once and its answer queued. Fragments may be split
 *          over several WRITEs and a WRITE may hold several fragments.
 *   READ   the next queued fragment, or the rest of it: at most max_out
 *          bytes. MORE_DATA when that fragment is not finished (the next
 *          READ continues it); OK otherwise, even if more fragments wait
 *          (each fragment is one pipe message). Empty when nothing waits.
 *   IOCTL  (FSCTL_PIPE_TRANSCEIVE) WRITE then READ; the input must end on
 *          a fragment boundary.
 *   CLOSE  the pipe and its context handles go.
 *
 * Unknown handle: BAD_FID. Out of memory, too many pipes or the server's
 * buffer budget spent: NOMEM. The *_METHOD_INVOKE bits are only looked at
 * by OPEN. RESTRICTED_CONTEXT (a guest session) matters when `restrict
 * anonymous` is set: such a caller gets no share list or share details,
 * no SAM or LSA policy handle, no server/workstation levels above 101/100.
 *
 * Every PDU field is read with the generated dcerpc_* decoders and every
 * stub with the generated NDR marshallers of the bound interface.
 * Malformed input gets a fault or a bind_nak PDU, never a crash.
 */
#ifndef SMBD_SERVER_RPC_H
#define SMBD_SERVER_RPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <talloc.h>

#include "dcerpc.h"
#include "misc.h"
#include "wire_ndr.h"

#include "config.h"
#include "subauth.h"
#include "userdb.h"

/* Our limits (pipe level). */
#define RPC_MAX_XMIT_FRAG	4280	/* largest fragment we send */
#define RPC_MAX_RECV_FRAG	4280	/* what we announce we receive */
#define RPC_MIN_FRAG		1432	/* C706 MustRecvFragSize */
#define RPC_MAX_REQUEST		(1u << 20)	/* reassembled stub bytes */
#define RPC_MAX_INPUT		(256u << 10)	/* unparsed input bytes */
#define RPC_MAX_OUTPUT		(4u << 20)	/* queued response bytes */
#define RPC_MAX_BUFFERED	(64u << 20)	/* all of the above, all pipes */
#define RPC_MAX_CONTEXTS	16	/* presentation contexts per pipe */
#define RPC_MAX_HANDLES		1024	/* context handles per pipe */
#define RPC_MAX_PIPES		4096	/* open pipes per data path */
#define RPC_ARENA_LIMIT		(8u << 20)	/* decode memory per call */

/* What the services answer from: the daemon's current state. */
struct rpc_env {
	const struct smbd_config *cfg;
	const struct userdb *db;
	/* The local domain SID; NULL: ksmbd.subauth next to cfg->source. */
	const struct subauth *sa;
	/* Current tree connects of a share (NULL: report 0). */
	unsigned int (*share_users)(const void *priv, const char *share);
	const void *priv;
};

struct rpc_server;

struct rpc_server *rpc_server_new(TALLOC_CTX *mem_ctx);

/*
 * One rpc_command from data path connection @peer. Returns the status for
 * the reply's flags (SMBD_NL_RPC_*); *out (a child of @mem, or NULL) and
 * *out_len are the reply's payload, at most @max_out bytes.
 */
uint32_t rpc_server_command(struct rpc_server *srv, const struct rpc_env *env,
			    uint64_t peer, uint32_t handle, uint32_t flags,
			    const uint8_t *data, uint32_t len, uint32_t max_out,
			    TALLOC_CTX *mem, uint8_t **out, uint32_t *out_len);

/* The data path connection went away: close its pipes. Returns how many. */
size_t rpc_server_peer_gone(struct rpc_server *srv, uint64_t peer);

/* Open pipes (all peers), and the bytes they hold (tests, limits). */
size_t rpc_server_pipes(const struct rpc_server *srv);
uint64_t rpc_server_buffered(const struct rpc_server *srv);

/* ---------------------------------------------------------------------- */
/* for the services (rpc_srvsvc.c, rpc_wkssvc.c, rpc_samr.c, rpc_lsarpc.c) */

struct rpc_pipe;

/* One request being served. */
struct rpc_call {
	TALLOC_CTX *mem;		/* freed once the response is encoded */
	struct rpc_pipe *pipe;
	const struct rpc_env *env;	/* env->sa is never NULL here */
	bool restricted;		/* guest session under restrict anonymous */
	uint16_t opnum;
	uint32_t *user_rids;		/* RIDs of env->db's users, made at first use */
};

/*
 * A handler reads the decoded request @in (the interface's F_in) and fills
 * @out (F_out, zeroed): 0, or a DCE/RPC fault status (the response is then
 * a fault PDU).
 */
typedef uint32_t (*rpc_handler_fn)(struct rpc_call *call, const void *in,
				   void *out);

struct rpc_op {
	uint16_t opnum;
	rpc_handler_fn fn;
};

struct rpc_service {
	const struct wire_ndr_iface *iface;
	const struct rpc_op *ops;
	size_t nops;
};

extern const struct rpc_service rpc_srvsvc_service;
extern const struct rpc_service rpc_wkssvc_service;
extern const struct rpc_service rpc_samr_service;
extern const struct rpc_service rpc_lsarpc_service;
extern const struct rpc_service rpc_dssetup_service;

/*
 * The account the data path named when it opened the pipe (after the pipe
 * name in the OPEN payload), or NULL when it did not say.
 */
const char *rpc_pipe_account(const struct rpc_pipe *pipe);

/*
 * Allocate (zeroed) what a response points to, from call->mem; a handler
 * that runs out of memory answers with a fault.
 */
#define RPC_NEW(call, ptr)						\
	do {								\
		(ptr) = talloc_zero((call)->mem, __typeof__(*(ptr)));	\
		if (!(ptr))						\
			return DCERPC_NCA_S_FAULT_REMOTE_NO_MEMORY;	\
	} while (0)

#define RPC_NEW_ARRAY(call, ptr, n)					\
	do {								\
		(ptr) = talloc_zero_array((call)->mem, __typeof__(*(ptr)), \
					  (n) ? (n) : 1);		\
		if (!(ptr))						\
			return DCERPC_NCA_S_FAULT_REMOTE_NO_MEMORY;	\
	} while (0)

/* Context handles: typed, per pipe, gone with the pipe. */
enum rpc_handle_kind {
	RPC_HANDLE_SAMR_CONNECT = 1,
	RPC_HANDLE_SAMR_DOMAIN,
	RPC_HANDLE_SAMR_USER,
	RPC_HANDLE_LSA_POLICY,
};

/*
 * A new handle of @kind with @size zeroed bytes of private data (owned by
 * the pipe); *wire gets its 20 bytes. NULL when the pipe has too many.
 */
void *rpc_handle_new(struct rpc_call *call, enum rpc_handle_kind kind,
		     size_t size, struct policy_handle *wire);

/*
 * The private data of handle @wire: NULL with *status set to
 * NT_STATUS_INVALID_HANDLE (unknown) or NT_STATUS_OBJECT_TYPE_MISMATCH
 * (another kind).
 */
void *rpc_handle_find(struct rpc_call *call, const struct policy_handle *wire,
		      enum rpc_handle_kind kind, uint32_t *status);

/* Close handle @wire of one of the kinds in @kinds (bit 1 << kind). */
uint32_t rpc_handle_close(struct rpc_call *call,
			  const struct policy_handle *wire, uint32_t kinds);

/* ---------------------------------------------------------------------- */
/* SIDs and the accounts behind them (shared by samr and lsarpc) */

#define RPC_SID_MAX_SUBS	15

/* A SID in plain C, for building and comparing. */
struct rpc_sid {
	uint8_t auth;			/* identifier authority (all we use fit 1 byte) */
	uint8_t n;
	uint32_t sub[RPC_SID_MAX_SUBS];
};

/* Well-known RIDs of the account domain and of Builtin (S-1-5-32). */
#define RPC_RID_ADMINISTRATOR	500
#define RPC_RID_DOMAIN_USERS	513	/* the "None" group of a standalone server */
#define RPC_RID_ADMINS		544
#define RPC_RID_USERS		545
#define RPC_RID_GUESTS		546

void rpc_sid_domain(const struct rpc_call *call, struct rpc_sid *out);
void rpc_sid_builtin(struct rpc_sid *out);
/* @dom with @rid appended (false if it would be too long). */
bool rpc_sid_append(struct rpc_sid *sid, const struct rpc_sid *dom,
		    uint32_t rid);
bool rpc_sid_equal(const struct rpc_sid *a, const struct rpc_sid *b);
/* Is @sid = @dom + one RID? */
bool rpc_sid_in(const struct rpc_sid *sid, const struct rpc_sid *dom,
		uint32_t *rid);
/* From / to the NDR form; from fails for authorities above 255. */
bool rpc_sid_from_ndr(struct rpc_sid *out, const struct dom_sid2 *in);
struct dom_sid2 *rpc_sid_to_ndr(TALLOC_CTX *mem, const struct rpc_sid *in);
/* "S-1-5-21-..." into @buf. */
const char *rpc_sid_string(const struct rpc_sid *sid, char *buf, size_t size);

/* One allowed ACE of a security descriptor. */
struct rpc_ace {
	struct rpc_sid sid;
	uint32_t mask;
};

/*
 * A self-relative security descriptor (MS-DTYP 2.4.6) with the given owner
 * and group (NULL: none) and a DACL of @n allowed ACEs; NULL on failure.
 */
uint8_t *rpc_sd_build(TALLOC_CTX *mem, const struct rpc_sid *owner,
		      const struct rpc_sid *group, const struct rpc_ace *aces,
		      unsigned int n, uint32_t *len);

/* The name of the local account domain: the netbios name. */
const char *rpc_domain_name(const struct rpc_call *call);

/*
 * Users of ksmbdpwd.db as SAM accounts. A user's RID is 1000 + 2 * uid of
 * the unix account of the same name (Samba's algorithmic mapping, so it
 * survives restarts and never meets a well-known RID); a user without a
 * unix account gets a RID from a hash of its name in 0x60000000-0x7ffffffe.
 */
uint32_t rpc_user_rid(const struct userdb_user *u);
const struct userdb_user *rpc_user_by_rid(struct rpc_call *call, uint32_t rid);
/* Case-insensitive (ASCII) name match. */
const struct userdb_user *rpc_user_by_name(const struct rpc_call *call,
					   const char *name);

/* Builtin aliases: the name of @rid, or NULL. */
const char *rpc_builtin_alias_name(uint32_t rid);
/* The RID of a Builtin alias by name, 0 if none. */
uint32_t rpc_builtin_alias_rid(const char *name);

/* ASCII case-insensitive compare, as Windows account names compare. */
bool rpc_name_equal(const char *a, const char *b);

#endif /* SMBD_SERVER_RPC_H */
