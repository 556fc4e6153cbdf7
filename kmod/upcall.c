// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The data path's side of the daemon protocol (spec/netlink-abi.md).
 */
#include "upcall.h"

void smbd_strlcpy(void *dst, const char *src, u32 cap)
{
	char *d = dst;
	u32 i;

	for (i = 0; i + 1 < cap && src[i]; i++)
		d[i] = src[i];
	d[i] = 0;
}

/* Encode req with enc, send it, and receive the reply into rsp. */
#define UPCALL(type, enc, req, reply_type, rsp, cap, got)		\
	({								\
		u8 out_[1024];						\
		size_t n_;						\
		int rc_ = enc(out_, sizeof(out_), req, &n_);		\
		rc_ ? -OS_EINVAL :					\
		os_upcall(type, out_, (u32)n_, reply_type, rsp, cap, got); \
	})

int smbd_upcall_login(const char *account, struct smbd_nl_login_response *rsp)
{
	struct smbd_nl_login_request req = { .handle = os_upcall_handle() };
	u8 buf[512];
	u32 got;
	int rc;

	smbd_strlcpy(req.account, account, sizeof(req.account));
	rc = UPCALL(SMBD_NL_EVENT_LOGIN_REQUEST, smbd_nl_login_request_encode,
		    &req, SMBD_NL_EVENT_LOGIN_RESPONSE, buf, sizeof(buf), &got);
	if (rc)
		return rc;
	if (smbd_nl_login_response_decode(buf, got, rsp) ||
	    rsp->handle != req.handle)
		return -OS_EPROTO;
	return 0;
}

/* Bytes of a login_response_ext before its gids. */
#define LOGIN_EXT_FIXED	136U

int smbd_upcall_login_ext(const char *account, u32 *gids, u32 max, u32 *n)
{
	struct smbd_nl_login_request req = { .handle = os_upcall_handle() };
	struct smbd_nl_login_response_ext rsp;
	u32 got, i, cap = LOGIN_EXT_FIXED + 4 * SMBD_UPCALL_GROUPS_MAX;
	u8 *buf;
	int rc;

	if (max > SMBD_UPCALL_GROUPS_MAX)
		max = SMBD_UPCALL_GROUPS_MAX;
	smbd_strlcpy(req.account, account, sizeof(req.account));
	/* 4 KiB is too much for a kernel stack */
	buf = os_alloc(cap);
	if (!buf)
		return -OS_ENOMEM;
	rc = UPCALL(SMBD_NL_EVENT_LOGIN_REQUEST_EXT,
		    smbd_nl_login_request_encode, &req,
		    SMBD_NL_EVENT_LOGIN_RESPONSE_EXT, buf, cap, &got);
	if (!rc && (smbd_nl_login_response_ext_decode(buf, got, &rsp) ||
		    rsp.handle != req.handle))
		rc = -OS_EPROTO;
	/* the spec: the size must match ngroups exactly */
	if (!rc && ((u32)rsp.ngroups > max || rsp.gids.count != (u32)rsp.ngroups ||
		    got != LOGIN_EXT_FIXED + 4 * (u32)rsp.ngroups))
		rc = -OS_EPROTO;
	if (!rc) {
		for (i = 0; i < rsp.gids.count; i++)
			gids[i] = wire_seq_u32(&rsp.gids, i);
		*n = rsp.gids.count;
	}
	os_free(buf);
	return rc;
}

void smbd_upcall_logout(const char *account, u32 account_flags)
{
	struct smbd_nl_logout_request req = { .account_flags = account_flags };

	smbd_strlcpy(req.account, account, sizeof(req.account));
	UPCALL(SMBD_NL_EVENT_LOGOUT_REQUEST, smbd_nl_logout_request_encode,
	       &req, 0, NULL, 0, NULL);
}

int smbd_upcall_share_config(const char *share, u8 *buf, u32 cap, u32 *len,
			     struct smbd_nl_share_config_response *rsp)
{
	struct smbd_nl_share_config_request req = { .handle = os_upcall_handle() };
	u32 got;
	int rc;

	smbd_strlcpy(req.share_name, share, sizeof(req.share_name));
	rc = UPCALL(SMBD_NL_EVENT_SHARE_CONFIG_REQUEST,
		    smbd_nl_share_config_request_encode, &req,
		    SMBD_NL_EVENT_SHARE_CONFIG_RESPONSE, buf, cap, &got);
	if (rc)
		return rc;
	if (smbd_nl_share_config_response_decode(buf, got, rsp) ||
	    rsp->handle != req.handle)
		return -OS_EPROTO;
	*len = got;
	return 0;
}

int smbd_upcall_tree_connect(const struct smbd_nl_tree_connect_request *req,
			     struct smbd_nl_tree_connect_response *rsp)
{
	u8 buf[256];
	u32 got;
	int rc;

	rc = UPCALL(SMBD_NL_EVENT_TREE_CONNECT_REQUEST,
		    smbd_nl_tree_connect_request_encode, req,
		    SMBD_NL_EVENT_TREE_CONNECT_RESPONSE, buf, sizeof(buf), &got);
	if (rc)
		return rc;
	if (smbd_nl_tree_connect_response_decode(buf, got, rsp) ||
	    rsp->handle != req->handle)
		return -OS_EPROTO;
	return 0;
}

void smbd_upcall_tree_disconnect(u64 session_id, u64 connect_id)
{
	struct smbd_nl_tree_disconnect_request req = {
		.session_id = session_id,
		.connect_id = connect_id,
	};

	UPCALL(SMBD_NL_EVENT_TREE_DISCONNECT_REQUEST,
	       smbd_nl_tree_disconnect_request_encode, &req, 0, NULL, 0, NULL);
}

/* Bytes of an rpc_command before its payload. */
#define RPC_FIXED	12U

int smbd_upcall_rpc(u32 handle, u32 flags, const u8 *payload, u32 len,
		    u8 *buf, u32 cap, struct smbd_nl_rpc_command *rsp)
{
	struct smbd_nl_rpc_command req = {
		.handle = handle,
		.flags = flags,
		.payload_sz = len,
		.payload = { .p = payload, .len = len },
	};
	u32 got, out_cap = RPC_FIXED + SMBD_NL_KERNEL_PAYLOAD_MAX;
	size_t n;
	u8 *out;
	int rc;

	if (len > SMBD_NL_KERNEL_PAYLOAD_MAX)
		return -OS_EMSGSIZE;
	/* 4 KiB is too much for a kernel stack */
	out = os_alloc(out_cap);
	if (!out)
		return -OS_ENOMEM;
	rc = smbd_nl_rpc_command_encode(out, out_cap, &req, &n) ? -OS_EINVAL :
	     os_upcall(SMBD_NL_EVENT_RPC_REQUEST, out, (u32)n,
		       buf ? SMBD_NL_EVENT_RPC_RESPONSE : 0, buf, cap, &got);
	os_free(out);
	if (rc || !buf)
		return rc;
	if (smbd_nl_rpc_command_decode(buf, got, rsp) || rsp->handle != handle)
		return -OS_EPROTO;
	return 0;
}
