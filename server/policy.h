/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tree-connect decision (netlink-abi.md flow 5) and the counters it
 * needs: connections per share and active sessions.
 *
 * The daemon fills the small input structs below from the configuration and
 * the user database; this module reads nothing else. Checks run in this
 * order, the first refusal wins:
 *
 *  0. max active sessions   a session not seen before, with the table full
 *                           -> TOO_MANY_SESSIONS (ksmbd-tools checks it first)
 *     duplicate connect id  -> CONN_EXIST (keeps the counters honest)
 *  1. share exists          -> NO_SHARE
 *  2. share max connections -> TOO_MANY_CONNS
 *  3. hosts allow/deny      [global] lists, then the share's -> HOST_DENIED
 *  4. restrict anonymous    1 or 2: a guest session is refused on IPC$ and on
 *                           shares that are not guest ok -> ERROR
 *  5. guest ok              a guest session on a disk share that is not
 *                           guest ok -> ERROR
 *  6. guest mapping         map to guest = never and the login failed its
 *                           password -> INVALID_USER; a guest session, or any
 *                           session on a guest only + guest ok share, runs
 *                           as the guest account (GUEST_ACCOUNT); no such
 *                           account, or an unknown user -> NO_USER
 *  7. admin users           member -> ADMIN_ACCOUNT (does NOT skip 8..11 and
 *                           does not imply write: Samba and ksmbd-tools agree)
 *  8. invalid users         member -> INVALID_USER (even if an admin)
 *  9. read list             member -> READ_ONLY
 * 10. write list            member -> WRITABLE (beats read list and read
 *                           only, as smb.conf(5) says)
 * 11. valid users           set and not a member -> INVALID_USER
 *
 * Lists (7..11) are checked against the effective identity (the guest
 * account after mapping) and hold user names, "@group" or "+group" entries;
 * names and groups compare case-insensitively, so a case variant of a name
 * cannot slip past invalid users.
 */
#ifndef SMBD_SERVER_POLICY_H
#define SMBD_SERVER_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <talloc.h>

#include "hosts.h"

/* tree_connect_response.status; values are the SMBD_NL_TREE_CONN_STATUS_*. */
enum policy_status {
	POLICY_STATUS_OK = 0,
	POLICY_STATUS_NOMEM = 1,
	POLICY_STATUS_NO_SHARE = 2,
	POLICY_STATUS_NO_USER = 3,
	POLICY_STATUS_INVALID_USER = 4,
	POLICY_STATUS_HOST_DENIED = 5,
	POLICY_STATUS_CONN_EXIST = 6,
	POLICY_STATUS_TOO_MANY_CONNS = 7,
	POLICY_STATUS_TOO_MANY_SESSIONS = 8,
	POLICY_STATUS_ERROR = 9,
};

/* tree_connect_response.connection_flags (SMBD_NL_TREE_CONN_FLAG_*). */
#define POLICY_CONN_GUEST_ACCOUNT	0x0001
#define POLICY_CONN_READ_ONLY		0x0002
#define POLICY_CONN_WRITABLE		0x0004
#define POLICY_CONN_ADMIN_ACCOUNT	0x0008
#define POLICY_CONN_UPDATE		0x0010

/* tree_connect_request.account_flags bits we read (SMBD_NL_USER_FLAG_*). */
#define POLICY_USER_BAD_PASSWORD	0x0002
#define POLICY_USER_GUEST_ACCOUNT	0x0010

enum policy_map_to_guest {
	POLICY_MAP_TO_GUEST_NEVER = 0,
	POLICY_MAP_TO_GUEST_BAD_USER,
	POLICY_MAP_TO_GUEST_BAD_PASSWORD,
};

/* A user list parameter; count == 0 means "not set". */
struct policy_user_list {
	const char *const *entries;
	size_t count;
};

/* A user (or the guest account) with the groups it belongs to. */
struct policy_identity {
	const char *name;
	const char *const *groups;
	size_t ngroups;
};

/* The effective [global] parameters the decision reads. */
struct policy_global {
	unsigned int restrict_anonymous;	/* 0, 1 or 2 */
	enum policy_map_to_guest map_to_guest;
	unsigned int max_active_sessions;	/* 0: no limit */
	const struct hosts_list *hosts_allow;	/* NULL: unset */
	const struct hosts_list *hosts_deny;
};

/* The effective parameters of one share. */
struct policy_share {
	const char *name;
	bool is_pipe;			/* IPC$ */
	bool read_only;			/* 'read only' after writable & co */
	bool guest_ok;
	bool guest_only;
	bool changed;			/* reloaded since the last connect */
	unsigned int max_connections;	/* 0: no limit */
	const struct hosts_list *hosts_allow;
	const struct hosts_list *hosts_deny;
	struct policy_user_list admin_users;
	struct policy_user_list invalid_users;
	struct policy_user_list read_list;
	struct policy_user_list write_list;
	struct policy_user_list valid_users;
};

/* One TREE_CONNECT_REQUEST, with what the daemon looked up for it. */
struct policy_request {
	uint64_t session_id;
	uint64_t connect_id;
	uint16_t account_flags;			/* POLICY_USER_* bits */
	const char *peer_addr;			/* text, as the data path sent it */
	const char *peer_name;			/* resolved name or NULL */
	const struct policy_identity *user;	/* NULL: not in the user db */
	const struct policy_identity *guest;	/* share's or global guest
						 * account; NULL: none */
};

struct policy_result {
	uint16_t status;		/* enum policy_status */
	uint16_t connection_flags;	/* POLICY_CONN_*, only with OK */
	const char *reason;		/* static text for the log */
};

struct policy_state;

struct policy_state *policy_state_new(TALLOC_CTX *mem_ctx);

/*
 * The decision alone: reads the counters, changes nothing. share may be
 * NULL (no such share). state may be NULL (no limits are counted).
 */
void policy_decide(const struct policy_state *state,
		   const struct policy_global *global,
		   const struct policy_share *share,
		   const struct policy_request *req,
		   struct policy_result *res);

/*
 * Decide and, when the answer is OK, record the tree connect: the share's
 * connection count goes up and the session becomes active. Out of memory
 * turns the answer into NOMEM. Returns res->status.
 */
uint16_t policy_tree_connect(struct policy_state *state,
			     const struct policy_global *global,
			     const struct policy_share *share,
			     const struct policy_request *req,
			     struct policy_result *res);

/*
 * TREE_DISCONNECT_REQUEST: release one tree connect. A session with no tree
 * connect left stops being active. Returns 0, or -1 for an unknown pair
 * (nothing changes: counts never go below zero).
 */
int policy_tree_disconnect(struct policy_state *state, uint64_t session_id,
			   uint64_t connect_id);

/*
 * The session ended (logoff, connection lost): release all its tree
 * connects. Returns how many were released.
 */
size_t policy_session_logout(struct policy_state *state, uint64_t session_id);

/* Current tree connects to a share (name compared case-insensitively). */
unsigned int policy_share_connections(const struct policy_state *state,
				      const char *share_name);

/* Sessions holding at least one tree connect. */
unsigned int policy_active_sessions(const struct policy_state *state);

/* Is the identity in the list (names and @group/+group entries)? */
bool policy_user_in_list(const struct policy_user_list *list,
			 const struct policy_identity *who);

const char *policy_status_name(uint16_t status);

#endif /* SMBD_SERVER_POLICY_H */
