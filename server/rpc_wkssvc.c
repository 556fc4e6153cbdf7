// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wkssvc (MS-WKST) on \PIPE\wkssvc: NetrWkstaGetInfo levels 100, 101 and
 * 102, from `netbios name` and `workgroup`. Guest sessions under restrict
 * anonymous only get level 100 (MS-WKST 3.2.4.1 allows anonymous callers
 * that one).
 */
#include <string.h>

#include "wkssvc.h"

#include "rpc.h"

#define WKS_VERSION_MAJOR	6
#define WKS_VERSION_MINOR	1

static uint32_t op_wksta_get_info(struct rpc_call *c, const void *in_,
				  void *out_)
{
	const struct wkssvc_NetrWkstaGetInfo_in *in = in_;
	struct wkssvc_NetrWkstaGetInfo_out *out = out_;
	const struct smbd_globals *g = &c->env->cfg->global;
	struct wkssvc_NetWkstaInfo102 *v;

	if (in->level != 100 && in->level != 101 && in->level != 102) {
		out->result = WERR_INVALID_LEVEL;
		return 0;
	}
	if (c->restricted && in->level != 100) {
		out->result = WERR_ACCESS_DENIED;
		return 0;
	}
	v = talloc_zero(c->mem, struct wkssvc_NetWkstaInfo102);
	if (!v)
		return DCERPC_NCA_S_FAULT_REMOTE_NO_MEMORY;
	v->platform_id = PLATFORM_ID_NT;
	v->server_name = g->netbios_name;
	v->domain_name = g->workgroup;
	v->version_major = WKS_VERSION_MAJOR;
	v->version_minor = WKS_VERSION_MINOR;
	/* lan_root NULL, as servers send it; logged on users: not known */
	switch (in->level) {
	case 100:
		out->info.info100 = talloc_zero(c->mem,
						struct wkssvc_NetWkstaInfo100);
		if (!out->info.info100)
			return DCERPC_NCA_S_FAULT_REMOTE_NO_MEMORY;
		out->info.info100->platform_id = v->platform_id;
		out->info.info100->server_name = v->server_name;
		out->info.info100->domain_name = v->domain_name;
		out->info.info100->version_major = v->version_major;
		out->info.info100->version_minor = v->version_minor;
		break;
	case 101:
		out->info.info101 = talloc_zero(c->mem,
						struct wkssvc_NetWkstaInfo101);
		if (!out->info.info101)
			return DCERPC_NCA_S_FAULT_REMOTE_NO_MEMORY;
		out->info.info101->platform_id = v->platform_id;
		out->info.info101->server_name = v->server_name;
		out->info.info101->domain_name = v->domain_name;
		out->info.info101->version_major = v->version_major;
		out->info.info101->version_minor = v->version_minor;
		break;
	default:
		out->info.info102 = v;
		break;
	}
	out->result = WERR_OK;
	return 0;
}

static const struct rpc_op wkssvc_ops[] = {
	{ 0, op_wksta_get_info },
};

const struct rpc_service rpc_wkssvc_service = {
	.iface = &wkssvc_ndr_iface,
	.ops = wkssvc_ops,
	.nops = sizeof(wkssvc_ops) / sizeof(wkssvc_ops[0]),
};
