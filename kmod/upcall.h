/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Upcalls to ksmbd.mountd, one function per SMBD_GENL event. Requests are
 * built and replies read with the generated smbd_nl_* code; a reply that
 * does not decode or carries another handle is treated as no reply.
 */
#ifndef SMBD_UPCALL_H
#define SMBD_UPCALL_H

#include "smbd.h"
#include "netlink.h"

int smbd_upcall_login(const char *account, struct smbd_nl_login_response *rsp);
/*
 * Supplementary groups a login carries (LOGIN_REQUEST_EXT), asked for
 * only when the LOGIN_RESPONSE has the EXTENSION flag. At most max gids
 * go to gids; a reply with more, or whose size does not match its
 * ngroups, is refused. 0 with *n set, or < 0.
 */
#define SMBD_UPCALL_GROUPS_MAX	1024U
int smbd_upcall_login_ext(const char *account, u32 *gids, u32 max, u32 *n);
/* After a bad password: lets the daemon count failed logins. */
void smbd_upcall_logout(const char *account, u32 account_flags);
/*
 * The reply's payload view points into buf (cap bytes, caller's); *len is
 * the reply's length, for decoding buf again with another view.
 */
int smbd_upcall_share_config(const char *share, u8 *buf, u32 cap, u32 *len,
			     struct smbd_nl_share_config_response *rsp);
int smbd_upcall_tree_connect(const struct smbd_nl_tree_connect_request *req,
			     struct smbd_nl_tree_connect_response *rsp);
void smbd_upcall_tree_disconnect(u64 session_id, u64 connect_id);
/*
 * One RPC_REQUEST of a named pipe (pipe.c): flags are the method bits,
 * the payload at most SMBD_NL_KERNEL_PAYLOAD_MAX bytes. The reply is
 * decoded into rsp (flags: the daemon's status); its payload view points
 * into buf (cap bytes, caller's). With buf NULL no reply is waited for.
 */
int smbd_upcall_rpc(u32 handle, u32 flags, const u8 *payload, u32 len,
		    u8 *buf, u32 cap, struct smbd_nl_rpc_command *rsp);

/* Copy a C string into a fixed s8[] field, always NUL-terminated. */
void smbd_strlcpy(void *dst, const char *src, u32 cap);

#endif /* SMBD_UPCALL_H */
