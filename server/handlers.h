/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The daemon's answers to the data path's SMBD_GENL requests
 * (netlink-abi.md), independent of the transport that carried them.
 *
 * A message is an event type and the attribute bytes (the raw struct).
 * Every message is decoded with the generated smbd_nl_*_decode(); every
 * reply is built with the generated encoders and carries the request's
 * handle. A message that does not decode, or whose fixed-size strings are
 * not NUL-terminated, or whose sizes disagree, is refused with a reason and
 * nothing changes: the caller logs it once and drops it.
 *
 *   HEARTBEAT_REQUEST        no reply
 *   LOGIN_REQUEST            LOGIN_RESPONSE: uid/gid, NT hash, status
 *   LOGIN_REQUEST_EXT        LOGIN_RESPONSE_EXT: supplementary groups
 *   SHARE_CONFIG_REQUEST     SHARE_CONFIG_RESPONSE (flags 0: no such share)
 *   TREE_CONNECT_REQUEST     TREE_CONNECT_RESPONSE from policy_tree_connect()
 *   TREE_DISCONNECT_REQUEST  no reply; releases the tree connect
 *   LOGOUT_REQUEST           no reply; counts failed logins per account
 *   RPC_REQUEST              RPC_RESPONSE with status NOT_IMPLEMENTED
 *   SPNEGO_AUTHEN_REQUEST    SPNEGO_AUTHEN_RESPONSE without the OK bit
 *                            (Kerberos is not supported yet)
 *
 * Anything else (replies, STARTING_UP, unknown numbers) is refused.
 */
#ifndef SMBD_SERVER_HANDLERS_H
#define SMBD_SERVER_HANDLERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <talloc.h>

#include "config.h"
#include "userdb.h"

/* Groups sent in one LOGIN_RESPONSE_EXT: it must fit SMBD_NL_DAEMON_MSG_MAX. */
#define HANDLERS_EXT_GROUPS_MAX	((16384 - 136) / 4)

/* force uid / force gid when the share forces nothing (u16 on the wire). */
#define HANDLERS_NO_FORCE_ID	0xFFFFu

struct handlers;

enum handlers_result {
	HANDLERS_DROP = -1,	/* malformed or unexpected: log and drop */
	HANDLERS_NO_REPLY = 0,	/* a one-way notice, handled */
	HANDLERS_REPLY = 1,	/* send reply->type with reply->buf */
};

/* One received message. peer_id tells data path connections apart. */
struct handlers_msg {
	uint16_t type;
	const uint8_t *data;
	size_t len;
	uint64_t peer_id;
};

struct handlers_reply {
	uint16_t type;
	uint8_t *buf;		/* talloc child of the mem_ctx passed in */
	size_t len;
	const char *why;	/* HANDLERS_DROP: static reason for the log */
};

/*
 * The handlers' state: configuration, users, the policy counters, failed
 * logins and the shares changed by a reload. Takes cfg and db over
 * (talloc_steal); both must stay valid until replaced.
 */
struct handlers *handlers_new(TALLOC_CTX *mem_ctx, struct smbd_config *cfg,
			      struct userdb *db);

/*
 * SIGHUP: use a new configuration and user database (taken over; NULL keeps
 * the current one). Peers, tree connects and counters survive. A share
 * whose effective configuration differs from before is marked changed: its
 * next successful tree connect carries the UPDATE connection flag. Returns
 * the number of shares newly marked changed.
 */
unsigned int handlers_reload(struct handlers *h, struct smbd_config *cfg,
			     struct userdb *db);

int handlers_dispatch(struct handlers *h, TALLOC_CTX *mem_ctx,
		      const struct handlers_msg *msg,
		      struct handlers_reply *reply);

/* A data path connection went away: release its sessions' tree connects. */
size_t handlers_peer_gone(struct handlers *h, uint64_t peer_id);

/* Failed logins counted for an account (LOGOUT_REQUEST with BAD_PASSWORD). */
unsigned int handlers_login_failures(const struct handlers *h,
				     const char *account);

/* Is the share (by name) waiting to send UPDATE on its next connect? */
bool handlers_share_changed(const struct handlers *h, const char *share);

/* Current tree connects to a share, as the policy counts them. */
unsigned int handlers_share_connections(const struct handlers *h,
					const char *share);

const struct smbd_config *handlers_config(const struct handlers *h);

/* Event name for logs ("LOGIN_REQUEST", or "event 42"). */
const char *handlers_event_name(uint16_t type, char *buf, size_t size);

#endif /* SMBD_SERVER_HANDLERS_H */
