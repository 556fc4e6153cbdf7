// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * srvsvc (MS-SRVS) on \PIPE\srvsvc: the shares of the loaded configuration
 * (NetrShareEnum, NetrShareEnumSticky, NetrShareGetInfo) and the server's
 * own description (NetrServerGetInfo).
 *
 * A share is listed when it is available and browseable; NetrShareEnum
 * (opnum 15, what `smbclient -L` asks) includes the hidden ones whose name
 * ends in '$', NetrShareEnumSticky (36) leaves them out, as Samba does.
 * NetrShareGetInfo finds any available share by name.
 */
#include <stdio.h>
#include <string.h>

#include "security.h"
#include "srvsvc.h"

#include "rpc.h"

/* What Windows 7 / Server 2008 R2 report (and Samba with them). */
#define SRV_VERSION_MAJOR	6
#define SRV_VERSION_MINOR	1
#define SRV_TYPE		(SV_TYPE_WORKSTATION | SV_TYPE_SERVER | \
				 SV_TYPE_SERVER_UNIX | SV_TYPE_NT | \
				 SV_TYPE_SERVER_NT)
#define SRV_ANNOUNCE_S		240
#define SRV_ANNDELTA_MS		3000
#define SRV_LICENSES		100000

/* Rights in the share security descriptor of level 502. */
#define SHARE_FULL_ACCESS	SEC_FILE_ALL_ACCESS
#define SHARE_READ_ACCESS	(SEC_FILE_GENERIC_READ | SEC_FILE_GENERIC_EXECUTE)

/* ---------------------------------------------------------------------- */
/* one share as the levels describe it */

static bool share_hidden(const struct smbd_share *s)
{
	size_t n = strlen(s->name);

	return n && s->name[n - 1] == '$';
}

static uint32_t share_type(const struct smbd_share *s)
{
	if (s->is_ipc)
		return STYPE_IPC | STYPE_SPECIAL;
	return STYPE_DISKTREE | (share_hidden(s) ? STYPE_SPECIAL : 0);
}

/* "/srv/data" as Windows writes paths: "C:\srv\data". */
static const char *share_path(TALLOC_CTX *mem, const struct smbd_share *s)
{
	char *p;
	size_t i;

	if (s->is_ipc || !s->abs_path[0])
		return "";
	p = talloc_asprintf(mem, "C:%s", s->abs_path);
	if (!p)
		return NULL;
	for (i = 0; p[i]; i++)
		if (p[i] == '/')
			p[i] = '\\';
	return p;
}

static uint32_t share_max_users(const struct smbd_share *s)
{
	/* 65536 is what an unset "max connections" reads as */
	return s->max_connections && s->max_connections < 65536 ?
	       s->max_connections : 0xFFFFFFFFu;
}

static uint32_t share_users(const struct rpc_call *c, const struct smbd_share *s)
{
	const struct rpc_env *env = c->env;

	return env->share_users ? env->share_users(env->priv, s->name) : 0;
}

/* Everyone gets what the share allows: all, or read and execute. */
static uint8_t *share_sd(TALLOC_CTX *mem, const struct smbd_share *s,
			 uint32_t *len)
{
	struct rpc_ace ace = {
		.sid = { .auth = 1, .n = 1, .sub = { 0 } },	/* S-1-1-0 */
		.mask = s->read_only ? SHARE_READ_ACCESS : SHARE_FULL_ACCESS,
	};

	return rpc_sd_build(mem, NULL, NULL, &ace, 1, len);
}

static bool fill_info2(struct rpc_call *c, const struct smbd_share *s,
		       struct srvsvc_NetShareInfo2 *v)
{
	v->name = s->name;
	v->type = share_type(s);
	v->comment = s->comment;
	v->max_users = share_max_users(s);
	v->current_users = share_users(c, s);
	v->path = share_path(c->mem, s);
	return v->path != NULL;
}

static bool fill_info502(struct rpc_call *c, const struct smbd_share *s,
			 struct srvsvc_NetShareInfo502 *v)
{
	v->name = s->name;
	v->type = share_type(s);
	v->comment = s->comment;
	v->max_users = share_max_users(s);
	v->current_users = share_users(c, s);
	v->path = share_path(c->mem, s);
	v->security_descriptor = share_sd(c->mem, s, &v->sd_size);
	return v->path && v->security_descriptor;
}

/*
 * What one entry costs against PreferedMaximumLength: the fixed part of
 * the level plus its strings in UTF-16, as the NetApi buffer would hold
 * them.
 */
static uint64_t entry_cost(const struct smbd_share *s, uint32_t level)
{
	uint64_t name = 2 * (strlen(s->name) + 1);
	uint64_t comment = 2 * (strlen(s->comment) + 1);
	uint64_t path = 2 * (strlen(s->abs_path) + 3);

	switch (level) {
	case 0:
		return 4 + name;
	case 1:
		return 12 + name + comment;
	case 501:
		return 16 + name + comment;
	case 2:
		return 32 + name + comment + path;
	default:	/* 502 and its descriptor */
		return 40 + name + comment + path + 64;
	}
}

/* ---------------------------------------------------------------------- */
/* NetrShareEnum, NetrShareEnumSticky */

struct share_list {
	const struct smbd_share **v;
	uint32_t n;
};

static bool list_shares(struct rpc_call *c, bool sticky, struct share_list *l)
{
	const struct smbd_config *cfg = c->env->cfg;
	size_t i;

	l->n = 0;
	l->v = talloc_array(c->mem, const struct smbd_share *,
			    cfg->nr_shares ? cfg->nr_shares : 1);
	if (!l->v)
		return false;
	for (i = 0; i < cfg->nr_shares && l->n < SRVSVC_MAX_ENTRIES; i++) {
		const struct smbd_share *s = cfg->shares[i];

		if (!s->available || !s->browseable)
			continue;
		if (sticky && share_hidden(s))
			continue;
		l->v[l->n++] = s;
	}
	return true;
}

/* Fill the container of @level with l->v[from .. from + n). */
static bool fill_ctr(struct rpc_call *c, uint32_t level,
		     const struct share_list *l, uint32_t from, uint32_t n,
		     union srvsvc_NetShareCtr *ctr)
{
	uint32_t i;

#define NEW_CTR(k, T)							\
	do {								\
		ctr->ctr##k = talloc_zero(c->mem, struct srvsvc_NetShareCtr##k); \
		if (!ctr->ctr##k)					\
			return false;					\
		ctr->ctr##k->count = n;					\
		ctr->ctr##k->array = talloc_zero_array(c->mem, T, n ? n : 1); \
		if (!ctr->ctr##k->array)				\
			return false;					\
	} while (0)

	switch (level) {
	case 0:
		NEW_CTR(0, struct srvsvc_NetShareInfo0);
		for (i = 0; i < n; i++)
			ctr->ctr0->array[i].name = l->v[from + i]->name;
		return true;
	case 1:
		NEW_CTR(1, struct srvsvc_NetShareInfo1);
		for (i = 0; i < n; i++) {
			const struct smbd_share *s = l->v[from + i];

			ctr->ctr1->array[i].name = s->name;
			ctr->ctr1->array[i].type = share_type(s);
			ctr->ctr1->array[i].comment = s->comment;
		}
		return true;
	case 2:
		NEW_CTR(2, struct srvsvc_NetShareInfo2);
		for (i = 0; i < n; i++)
			if (!fill_info2(c, l->v[from + i], &ctr->ctr2->array[i]))
				return false;
		return true;
	case 501:
		NEW_CTR(501, struct srvsvc_NetShareInfo501);
		for (i = 0; i < n; i++) {
			const struct smbd_share *s = l->v[from + i];

			ctr->ctr501->array[i].name = s->name;
			ctr->ctr501->array[i].type = share_type(s);
			ctr->ctr501->array[i].comment = s->comment;
			ctr->ctr501->array[i].flags = CSC_CACHE_MANUAL_REINT;
		}
		return true;
	default:
		NEW_CTR(502, struct srvsvc_NetShareInfo502);
		for (i = 0; i < n; i++)
			if (!fill_info502(c, l->v[from + i],
					  &ctr->ctr502->array[i]))
				return false;
		return true;
	}
#undef NEW_CTR
}

struct enum_args {
	bool sticky;
	const struct srvsvc_NetShareInfoCtr *in_ctr;
	uint32_t max_buffer;
	const uint32_t *in_resume;
	struct srvsvc_NetShareInfoCtr *out_ctr;
	uint32_t *total;
	uint32_t **out_resume;
	uint32_t *result;
};

static uint32_t share_enum(struct rpc_call *c, const struct enum_args *a)
{
	uint32_t level = a->in_ctr->level;
	uint32_t from = a->in_resume ? *a->in_resume : 0;
	uint64_t budget = 0;
	struct share_list l;
	uint32_t n = 0;

	a->out_ctr->level = level;
	if (a->in_resume) {
		*a->out_resume = talloc_zero(c->mem, uint32_t);
		if (!*a->out_resume)
			return DCERPC_NCA_S_FAULT_REMOTE_NO_MEMORY;
	}
	if (level != 0 && level != 1 && level != 2 && level != 502 &&
	    (level != 501 || a->sticky)) {
		*a->result = WERR_INVALID_LEVEL;
		return 0;
	}
	if (c->restricted) {
		*a->result = WERR_ACCESS_DENIED;
		return 0;
	}
	if (!list_shares(c, a->sticky, &l))
		return DCERPC_NCA_S_FAULT_REMOTE_NO_MEMORY;
	if (from > l.n)
		from = l.n;
	/* at least one entry per call, so that a client always advances */
	while (from + n < l.n) {
		budget += entry_cost(l.v[from + n], level);
		if (n && budget > a->max_buffer)
			break;
		n++;
	}
	if (!fill_ctr(c, level, &l, from, n, &a->out_ctr->ctr))
		return DCERPC_NCA_S_FAULT_REMOTE_NO_MEMORY;
	*a->total = l.n;
	if (from + n < l.n) {
		*a->result = WERR_MORE_DATA;
		if (*a->out_resume)
			**a->out_resume = from + n;
	} else {
		*a->result = WERR_OK;
	}
	return 0;
}

static uint32_t op_share_enum(struct rpc_call *c, const void *in_, void *out_)
{
	const struct srvsvc_NetrShareEnum_in *in = in_;
	struct srvsvc_NetrShareEnum_out *out = out_;
	struct enum_args a = {
		.sticky = false, .in_ctr = &in->info_ctr,
		.max_buffer = in->max_buffer, .in_resume = in->resume_handle,
		.out_ctr = &out->info_ctr, .total = &out->totalentries,
		.out_resume = &out->resume_handle, .result = &out->result,
	};

	return share_enum(c, &a);
}

static uint32_t op_share_enum_sticky(struct rpc_call *c, const void *in_,
				     void *out_)
{
	const struct srvsvc_NetrShareEnumSticky_in *in = in_;
	struct srvsvc_NetrShareEnumSticky_out *out = out_;
	struct enum_args a = {
		.sticky = true, .in_ctr = &in->info_ctr,
		.max_buffer = in->max_buffer, .in_resume = in->resume_handle,
		.out_ctr = &out->info_ctr, .total = &out->totalentries,
		.out_resume = &out->resume_handle, .result = &out->result,
	};

	return share_enum(c, &a);
}

/* ---------------------------------------------------------------------- */
/* NetrShareGetInfo */

static uint32_t op_share_get_info(struct rpc_call *c, const void *in_,
				  void *out_)
{
	const struct srvsvc_NetrShareGetInfo_in *in = in_;
	struct srvsvc_NetrShareGetInfo_out *out = out_;
	union srvsvc_NetShareInfo *info = &out->info;
	const struct smbd_share *s;

	if (c->restricted) {
		out->result = WERR_ACCESS_DENIED;
		return 0;
	}
	s = in->share_name ? smbd_config_share(c->env->cfg, in->share_name) :
			     NULL;
	if (!s || !s->available) {
		out->result = WERR_NERR_NETNAMENOTFOUND;
		return 0;
	}
	switch (in->level) {
	case 0:
		RPC_NEW(c, info->info0);
		info->info0->name = s->name;
		break;
	case 1:
		RPC_NEW(c, info->info1);
		info->info1->name = s->name;
		info->info1->type = share_type(s);
		info->info1->comment = s->comment;
		break;
	case 2:
		RPC_NEW(c, info->info2);
		if (!fill_info2(c, s, info->info2))
			return DCERPC_NCA_S_FAULT_REMOTE_NO_MEMORY;
		break;
	case 501:
		RPC_NEW(c, info->info501);
		info->info501->name = s->name;
		info->info501->type = share_type(s);
		info->info501->comment = s->comment;
		info->info501->flags = CSC_CACHE_MANUAL_REINT;
		break;
	case 502:
		RPC_NEW(c, info->info502);
		if (!fill_info502(c, s, info->info502))
			return DCERPC_NCA_S_FAULT_REMOTE_NO_MEMORY;
		break;
	case 1005:
		/* no DFS, manual caching: no flag is set */
		RPC_NEW(c, info->info1005);
		info->info1005->flags = CSC_CACHE_MANUAL_REINT;
		break;
	default:
		out->result = WERR_INVALID_LEVEL;
		return 0;
	}
	out->result = WERR_OK;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* NetrServerGetInfo */

static uint32_t op_server_get_info(struct rpc_call *c, const void *in_,
				   void *out_)
{
	const struct srvsvc_NetrServerGetInfo_in *in = in_;
	struct srvsvc_NetrServerGetInfo_out *out = out_;
	const struct smbd_globals *g = &c->env->cfg->global;
	struct srvsvc_NetSrvInfo102 *v;

	if (in->level != 100 && in->level != 101 && in->level != 102) {
		out->result = WERR_INVALID_LEVEL;
		return 0;
	}
	/* level 102 is for administrators (MS-SRVS 3.1.4.17) */
	if (c->restricted && in->level == 102) {
		out->result = WERR_ACCESS_DENIED;
		return 0;
	}
	RPC_NEW(c, v);
	v->platform_id = PLATFORM_ID_NT;
	v->server_name = g->netbios_name;
	v->version_major = SRV_VERSION_MAJOR;
	v->version_minor = SRV_VERSION_MINOR;
	v->server_type = SRV_TYPE;
	v->comment = g->server_string;
	v->disc = g->deadtime ? (int32_t)g->deadtime : (int32_t)SV_NODISC;
	v->announce = SRV_ANNOUNCE_S;
	v->anndelta = SRV_ANNDELTA_MS;
	v->licenses = SRV_LICENSES;
	v->userpath = "C:\\";
	switch (in->level) {
	case 100:
		RPC_NEW(c, out->info.info100);
		out->info.info100->platform_id = v->platform_id;
		out->info.info100->server_name = v->server_name;
		break;
	case 101:
		RPC_NEW(c, out->info.info101);
		out->info.info101->platform_id = v->platform_id;
		out->info.info101->server_name = v->server_name;
		out->info.info101->version_major = v->version_major;
		out->info.info101->version_minor = v->version_minor;
		out->info.info101->server_type = v->server_type;
		out->info.info101->comment = v->comment;
		break;
	default:
		out->info.info102 = v;
		break;
	}
	out->result = WERR_OK;
	return 0;
}

static const struct rpc_op srvsvc_ops[] = {
	{ 15, op_share_enum },
	{ 16, op_share_get_info },
	{ 21, op_server_get_info },
	{ 36, op_share_enum_sticky },
};

const struct rpc_service rpc_srvsvc_service = {
	.iface = &srvsvc_ndr_iface,
	.ops = srvsvc_ops,
	.nops = sizeof(srvsvc_ops) / sizeof(srvsvc_ops[0]),
};
