// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lsarpc (MS-LSAD, MS-LSAT) and dssetup (MS-DSSP) on the lsass pipes.
 *
 * Policy handles, the policy information a standalone server has (primary
 * domain = workgroup without a SID, account domain = netbios name with the
 * ksmbd.subauth SID, DNS information), and translation between names and
 * SIDs in both directions over:
 *
 *   the account domain     users of ksmbdpwd.db, the group "None"
 *   BUILTIN (S-1-5-32)     Administrators, Users, Guests
 *   well-known SIDs        Everyone, CREATOR OWNER/GROUP, NT AUTHORITY\*
 *   Unix User/Unix Group   S-1-22-1-uid, S-1-22-2-gid: the owner and group
 *                          SIDs the data path puts in file descriptors
 *
 * A lookup answers OK when everything was translated, SOME_NOT_MAPPED when
 * part was, NONE_MAPPED when nothing was.
 */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "dssetup.h"
#include "lsarpc.h"

#include "rpc.h"

/* Windows answers this as the referenced domain list's MaxEntries. */
#define REF_DOMAINS_MAX_SIZE	32
#define REF_DOMAINS_MAX		8	/* kinds of domain we can name */
#define NO_RID			0xFFFFFFFFu

/* ---------------------------------------------------------------------- */
/* the names we know */

static const struct rpc_sid sid_world_dom = { .auth = 1, .n = 0 };
static const struct rpc_sid sid_creator_dom = { .auth = 3, .n = 0 };
static const struct rpc_sid sid_nt_dom = { .auth = 5, .n = 0 };
static const struct rpc_sid sid_unix_users = { .auth = 22, .n = 1, .sub = { 1 } };
static const struct rpc_sid sid_unix_groups = { .auth = 22, .n = 1, .sub = { 2 } };

#define NT_AUTHORITY	"NT AUTHORITY"
#define BUILTIN		"BUILTIN"
#define UNIX_USER	"Unix User"
#define UNIX_GROUP	"Unix Group"

/* Well-known SIDs: domain, RID, name (MS-DTYP 2.4.2.4). */
static const struct well_known {
	const struct rpc_sid *dom;
	uint32_t rid;
	const char *name;
} well_known[] = {
	{ &sid_world_dom, 0, "Everyone" },		/* S-1-1-0 */
	{ &sid_creator_dom, 0, "CREATOR OWNER" },	/* S-1-3-0 */
	{ &sid_creator_dom, 1, "CREATOR GROUP" },	/* S-1-3-1 */
	{ &sid_nt_dom, 2, "NETWORK" },
	{ &sid_nt_dom, 4, "INTERACTIVE" },
	{ &sid_nt_dom, 6, "SERVICE" },
	{ &sid_nt_dom, 7, "ANONYMOUS LOGON" },
	{ &sid_nt_dom, 11, "Authenticated Users" },
	{ &sid_nt_dom, 18, "SYSTEM" },
	{ &sid_nt_dom, 19, "LOCAL SERVICE" },
	{ &sid_nt_dom, 20, "NETWORK SERVICE" },
};

#define NR_WELL_KNOWN (sizeof(well_known) / sizeof(well_known[0]))

/* One translated account. */
struct account {
	uint16_t type;			/* LSA_SID_TYPE_* */
	const char *name;		/* without the domain */
	struct rpc_sid sid;
	struct rpc_sid dom;		/* its referenced domain */
	const char *dom_name;
};

/* The referenced domain list being built for one lookup. */
struct ref_domains {
	struct lsa_RefDomainList *list;
	struct rpc_sid sids[REF_DOMAINS_MAX];
};

static const char *domain_name_of(const struct rpc_call *c,
				  const struct rpc_sid *dom)
{
	struct rpc_sid d;

	rpc_sid_domain(c, &d);
	if (rpc_sid_equal(dom, &d))
		return rpc_domain_name(c);
	rpc_sid_builtin(&d);
	if (rpc_sid_equal(dom, &d))
		return BUILTIN;
	if (rpc_sid_equal(dom, &sid_nt_dom))
		return NT_AUTHORITY;
	if (rpc_sid_equal(dom, &sid_unix_users))
		return UNIX_USER;
	if (rpc_sid_equal(dom, &sid_unix_groups))
		return UNIX_GROUP;
	return "";	/* S-1-1, S-1-3 have no name */
}

static void set_account(const struct rpc_call *c, struct account *a,
			uint16_t type, const char *name,
			const struct rpc_sid *dom, uint32_t rid)
{
	a->type = type;
	a->name = name;
	a->dom = *dom;
	a->dom_name = domain_name_of(c, dom);
	if (rid == NO_RID)
		a->sid = *dom;
	else
		rpc_sid_append(&a->sid, dom, rid);
}

/* S-1-22-1-uid and S-1-22-2-gid through the unix name service. */
static bool unix_sid(struct rpc_call *c, const struct rpc_sid *sid,
		     struct account *a)
{
	char buf[16384];
	uint32_t id;

	if (rpc_sid_in(sid, &sid_unix_users, &id)) {
		struct passwd pw, *res = NULL;

		if (getpwuid_r((uid_t)id, &pw, buf, sizeof(buf), &res) || !res)
			return false;
		set_account(c, a, LSA_SID_TYPE_USER,
			    talloc_strdup(c->mem, pw.pw_name), &sid_unix_users,
			    id);
		return a->name != NULL;
	}
	if (rpc_sid_in(sid, &sid_unix_groups, &id)) {
		struct group gr, *res = NULL;

		if (getgrgid_r((gid_t)id, &gr, buf, sizeof(buf), &res) || !res)
			return false;
		set_account(c, a, LSA_SID_TYPE_GROUP,
			    talloc_strdup(c->mem, gr.gr_name), &sid_unix_groups,
			    id);
		return a->name != NULL;
	}
	return false;
}

static bool account_by_sid(struct rpc_call *c, const struct rpc_sid *sid,
			   struct account *a)
{
	struct rpc_sid dom, builtin;
	const struct userdb_user *u;
	const char *alias;
	uint32_t rid;
	size_t i;

	rpc_sid_domain(c, &dom);
	rpc_sid_builtin(&builtin);
	if (rpc_sid_equal(sid, &dom) || rpc_sid_equal(sid, &builtin)) {
		set_account(c, a, LSA_SID_TYPE_DOMAIN, domain_name_of(c, sid),
			    sid, NO_RID);
		return true;
	}
	for (i = 0; i < NR_WELL_KNOWN; i++) {
		if (rpc_sid_in(sid, well_known[i].dom, &rid) &&
		    rid == well_known[i].rid) {
			set_account(c, a, LSA_SID_TYPE_WELL_KNOWN_GROUP,
				    well_known[i].name, well_known[i].dom, rid);
			return true;
		}
	}
	if (rpc_sid_in(sid, &builtin, &rid) &&
	    (alias = rpc_builtin_alias_name(rid))) {
		set_account(c, a, LSA_SID_TYPE_ALIAS, alias, &builtin, rid);
		return true;
	}
	if (rpc_sid_in(sid, &dom, &rid)) {
		if (rid == RPC_RID_DOMAIN_USERS) {
			set_account(c, a, LSA_SID_TYPE_GROUP, "None", &dom, rid);
			return true;
		}
		u = rpc_user_by_rid(c, rid);
		if (u) {
			set_account(c, a, LSA_SID_TYPE_USER, u->name, &dom, rid);
			return true;
		}
		return false;
	}
	return unix_sid(c, sid, a);
}

/* A name without a domain part: well-known, Builtin, domains, users. */
static bool account_by_bare_name(struct rpc_call *c, const char *name,
				 struct account *a)
{
	struct rpc_sid dom, builtin;
	const struct userdb_user *u;
	uint32_t rid;
	size_t i;

	rpc_sid_domain(c, &dom);
	rpc_sid_builtin(&builtin);
	for (i = 0; i < NR_WELL_KNOWN; i++) {
		if (rpc_name_equal(name, well_known[i].name)) {
			set_account(c, a, LSA_SID_TYPE_WELL_KNOWN_GROUP,
				    well_known[i].name, well_known[i].dom,
				    well_known[i].rid);
			return true;
		}
	}
	rid = rpc_builtin_alias_rid(name);
	if (rid) {
		set_account(c, a, LSA_SID_TYPE_ALIAS,
			    rpc_builtin_alias_name(rid), &builtin, rid);
		return true;
	}
	if (rpc_name_equal(name, BUILTIN)) {
		set_account(c, a, LSA_SID_TYPE_DOMAIN, BUILTIN, &builtin,
			    NO_RID);
		return true;
	}
	if (rpc_name_equal(name, rpc_domain_name(c))) {
		set_account(c, a, LSA_SID_TYPE_DOMAIN, rpc_domain_name(c), &dom,
			    NO_RID);
		return true;
	}
	if (rpc_name_equal(name, "None")) {
		set_account(c, a, LSA_SID_TYPE_GROUP, "None", &dom,
			    RPC_RID_DOMAIN_USERS);
		return true;
	}
	u = rpc_user_by_name(c, name);
	if (u) {
		set_account(c, a, LSA_SID_TYPE_USER, u->name, &dom,
			    rpc_user_rid(u));
		return true;
	}
	return false;
}

/* "DOMAIN\name", "name", or "DOMAIN\" for the domain itself. */
static bool account_by_name(struct rpc_call *c, const char *full,
			    struct account *a)
{
	const char *slash = full ? strchr(full, '\\') : NULL;
	struct account found;
	char *dom;

	if (!full || !*full)
		return false;
	if (!slash)
		return account_by_bare_name(c, full, a);
	dom = talloc_strndup(c->mem, full, (size_t)(slash - full));
	if (!dom)
		return false;
	if (!slash[1]) {
		/* the domain alone */
		if (!account_by_bare_name(c, dom, &found) ||
		    found.type != LSA_SID_TYPE_DOMAIN)
			return false;
		*a = found;
		return true;
	}
	if (!account_by_bare_name(c, slash + 1, &found))
		return false;
	/* the domain part must name the account's domain */
	if (!rpc_name_equal(dom, found.dom_name) &&
	    !(found.dom_name[0] == 0 && dom[0] == 0))
		return false;
	*a = found;
	return true;
}

/* ---------------------------------------------------------------------- */
/* the referenced domain list */

static bool refs_init(struct rpc_call *c, struct ref_domains *r)
{
	memset(r, 0, sizeof(*r));
	r->list = talloc_zero(c->mem, struct lsa_RefDomainList);
	if (!r->list)
		return false;
	r->list->domains = talloc_zero_array(c->mem, struct lsa_TrustInformation,
					     REF_DOMAINS_MAX);
	r->list->max_size = REF_DOMAINS_MAX_SIZE;
	return r->list->domains != NULL;
}

/* The index of @a's domain in the list, added if new; -1 on failure. */
static int32_t refs_add(struct rpc_call *c, struct ref_domains *r,
			const struct account *a)
{
	struct lsa_TrustInformation *t;
	uint32_t i;

	for (i = 0; i < r->list->count; i++)
		if (rpc_sid_equal(&r->sids[i], &a->dom))
			return (int32_t)i;
	if (r->list->count >= REF_DOMAINS_MAX)
		return -1;
	t = &r->list->domains[r->list->count];
	t->name.string = a->dom_name;
	t->sid = rpc_sid_to_ndr(c->mem, &a->dom);
	if (!t->sid)
		return -1;
	r->sids[r->list->count] = a->dom;
	return (int32_t)r->list->count++;
}

static uint32_t mapped_status(uint32_t mapped, uint32_t total)
{
	if (mapped == total)
		return NT_STATUS_OK;
	return mapped ? NT_STATUS_SOME_NOT_MAPPED : NT_STATUS_NONE_MAPPED;
}

/* ---------------------------------------------------------------------- */
/* policy handles */

struct lsa_policy {
	uint32_t access;
};

static uint32_t open_policy(struct rpc_call *c, uint32_t access,
			    struct policy_handle *h, uint32_t *result)
{
	struct lsa_policy *pol;

	if (c->restricted) {
		*result = NT_STATUS_ACCESS_DENIED;
		return 0;
	}
	pol = rpc_handle_new(c, RPC_HANDLE_LSA_POLICY, sizeof(*pol), h);
	if (!pol) {
		*result = NT_STATUS_INSUFFICIENT_RESOURCES;
		return 0;
	}
	pol->access = access;
	*result = NT_STATUS_OK;
	return 0;
}

static uint32_t op_open_policy(struct rpc_call *c, const void *in_, void *out_)
{
	const struct lsa_OpenPolicy_in *in = in_;
	struct lsa_OpenPolicy_out *out = out_;

	return open_policy(c, in->access_mask, &out->handle, &out->result);
}

static uint32_t op_open_policy2(struct rpc_call *c, const void *in_,
				void *out_)
{
	const struct lsa_OpenPolicy2_in *in = in_;
	struct lsa_OpenPolicy2_out *out = out_;

	return open_policy(c, in->access_mask, &out->handle, &out->result);
}

static uint32_t op_close(struct rpc_call *c, const void *in_, void *out_)
{
	const struct lsa_Close_in *in = in_;
	struct lsa_Close_out *out = out_;

	out->result = rpc_handle_close(c, &in->handle,
				       1u << RPC_HANDLE_LSA_POLICY);
	if (out->result)
		out->handle = in->handle;
	return 0;
}

static bool check_policy(struct rpc_call *c, const struct policy_handle *h,
			 uint32_t *result)
{
	return rpc_handle_find(c, h, RPC_HANDLE_LSA_POLICY, result) != NULL;
}

/* ---------------------------------------------------------------------- */
/* QueryInformationPolicy(2) */

static uint32_t query_policy(struct rpc_call *c, const struct policy_handle *h,
			     uint16_t level, union lsa_PolicyInformation **info,
			     uint32_t *result)
{
	const struct smbd_globals *g = &c->env->cfg->global;
	union lsa_PolicyInformation *v;
	struct rpc_sid dom;

	if (!check_policy(c, h, result))
		return 0;
	RPC_NEW(c, v);
	rpc_sid_domain(c, &dom);
	switch (level) {
	case LSA_POLICY_PRIMARY_DOMAIN_INFORMATION:
		/* a standalone server: the workgroup, no domain SID */
		v->domain.name.string = g->workgroup;
		break;
	case LSA_POLICY_ACCOUNT_DOMAIN_INFORMATION:
	case LSA_POLICY_LOCAL_ACCOUNT_DOMAIN_INFORMATION:
		v->account_domain.domain_name.string = rpc_domain_name(c);
		v->account_domain.domain_sid = rpc_sid_to_ndr(c->mem, &dom);
		if (!v->account_domain.domain_sid)
			return DCERPC_NCA_S_FAULT_REMOTE_NO_MEMORY;
		break;
	case LSA_POLICY_LSA_SERVER_ROLE_INFORMATION:
		v->role.role = LSA_POLICY_SERVER_ROLE_PRIMARY;
		break;
	case LSA_POLICY_DNS_DOMAIN_INFORMATION:
	case LSA_POLICY_DNS_DOMAIN_INFORMATION_INT:
		/* not in an AD domain: no DNS names, GUID or SID */
		v->dns.name.string = g->workgroup;
		break;
	default:
		*result = NT_STATUS_INVALID_INFO_CLASS;
		return 0;
	}
	*info = v;
	*result = NT_STATUS_OK;
	return 0;
}

static uint32_t op_query_policy(struct rpc_call *c, const void *in_,
				void *out_)
{
	const struct lsa_QueryInformationPolicy_in *in = in_;
	struct lsa_QueryInformationPolicy_out *out = out_;

	return query_policy(c, &in->handle, in->level, &out->info,
			    &out->result);
}

static uint32_t op_query_policy2(struct rpc_call *c, const void *in_,
				 void *out_)
{
	const struct lsa_QueryInformationPolicy2_in *in = in_;
	struct lsa_QueryInformationPolicy2_out *out = out_;

	return query_policy(c, &in->handle, in->level, &out->info,
			    &out->result);
}

/* ---------------------------------------------------------------------- */
/* SIDs to names and names to SIDs */

/* What one SID or name became. */
struct translation {
	struct account a;
	int32_t index;			/* of its domain in the list; -1: not mapped */
	struct dom_sid2 *sid;		/* a.sid in NDR form, when asked for */
};

/*
 * One translation request of any LookupSids/LookupNames variant: the SIDs
 * or the names asked for and the variant's array of answers, @size bytes
 * an entry, each filled by @put.
 */
struct lookup {
	uint32_t num;
	const struct lsa_SidPtr *sids;		/* LookupSids* */
	const struct lsa_String *names;		/* LookupNames* */
	size_t size;
	void (*put)(void *entry, const struct translation *t);
	bool want_sid;				/* put() wants t->sid */
	void *list;				/* [num] answers, the variant's type */
	struct ref_domains refs;
	uint32_t mapped;
};

/* Translate entry @i into @a; false: not mapped. */
static bool lookup_one(struct rpc_call *c, const struct lookup *l, uint32_t i,
		       struct account *a)
{
	struct rpc_sid sid;

	if (l->names)
		return account_by_name(c, l->names[i].string, a);
	if (!l->sids || !rpc_sid_from_ndr(&sid, l->sids[i].sid))
		return false;
	return account_by_sid(c, &sid, a);
}

/*
 * Check the policy handle, translate every entry and fill l->list.
 * Returns a fault (0: answered); *result is the answer's status.
 */
static uint32_t lookup_answer(struct rpc_call *c, const struct policy_handle *h,
			      struct lookup *l, uint32_t *result)
{
	uint32_t i, n = l->num ? l->num : 1;

	if (!check_policy(c, h, result))
		return 0;
	if (!refs_init(c, &l->refs) || n > SIZE_MAX / l->size)
		return DCERPC_NCA_S_FAULT_REMOTE_NO_MEMORY;
	l->list = talloc_zero_size(c->mem, l->size * n);
	if (!l->list)
		return DCERPC_NCA_S_FAULT_REMOTE_NO_MEMORY;
	for (i = 0; i < l->num; i++) {
		struct translation t = { .index = -1 };

		if (lookup_one(c, l, i, &t.a)) {
			t.index = refs_add(c, &l->refs, &t.a);
		} else {
			t.a.type = LSA_SID_TYPE_UNKNOWN;
			t.a.name = "";
		}
		if (t.index >= 0)
			l->mapped++;
		if (t.index >= 0 && l->want_sid) {
			t.sid = rpc_sid_to_ndr(c->mem, &t.a.sid);
			if (!t.sid)
				return DCERPC_NCA_S_FAULT_REMOTE_NO_MEMORY;
		}
		l->put((char *)l->list + i * l->size, &t);
	}
	*result = mapped_status(l->mapped, l->num);
	return 0;
}

/* The RID of a translated name: 0 when not mapped, NO_RID for a domain. */
static uint32_t trans_rid(const struct translation *t)
{
	if (t->index < 0)
		return 0;
	if (t->a.type == LSA_SID_TYPE_DOMAIN || t->a.sid.n == 0)
		return NO_RID;
	return t->a.sid.sub[t->a.sid.n - 1];
}

/* What differs between the variants: the type of one answer. */

static void put_name(void *entry, const struct translation *t)
{
	struct lsa_TranslatedName *e = entry;

	e->sid_type = t->a.type;
	e->name.string = t->a.name;
	e->sid_index = t->index;
}

static void put_name2(void *entry, const struct translation *t)
{
	struct lsa_TranslatedName2 *e = entry;

	e->sid_type = t->a.type;
	e->name.string = t->a.name;
	e->sid_index = t->index;
}

static void put_sid(void *entry, const struct translation *t)
{
	struct lsa_TranslatedSid *e = entry;

	e->sid_type = t->a.type;
	e->rid = trans_rid(t);
	e->sid_index = t->index;
}

static void put_sid2(void *entry, const struct translation *t)
{
	struct lsa_TranslatedSid2 *e = entry;

	e->sid_type = t->a.type;
	e->rid = trans_rid(t);
	e->sid_index = t->index;
}

static void put_sid3(void *entry, const struct translation *t)
{
	struct lsa_TranslatedSid3 *e = entry;

	e->sid_type = t->a.type;
	e->sid_index = t->index;
	e->sid = t->sid;
}

#define LOOKUP_SIDS(in, p)						\
	{ .num = (in)->sids.num_sids, .sids = (in)->sids.sids, .put = (p) }
#define LOOKUP_NAMES(in, p)						\
	{ .num = (in)->num_names, .names = (in)->names, .put = (p),	\
	  .want_sid = (p) == put_sid3 }

/*
 * The op of one variant: TYPE names its _in and _out structs, INIT the
 * lookup it asks for, ARR the out array (an lsa_TransNameArray* or
 * lsa_TransSidArray*) and FIELD that array's list member.
 */
#define LOOKUP_OP(fn, type, init, arr, field)				\
static uint32_t fn(struct rpc_call *c, const void *in_, void *out_)	\
{									\
	const struct type##_in *in = in_;				\
	struct type##_out *out = out_;					\
	struct lookup l = init;						\
	uint32_t fault;							\
									\
	l.size = sizeof(*out->arr.field);				\
	fault = lookup_answer(c, &in->handle, &l, &out->result);	\
	if (fault || !l.list)						\
		return fault;						\
	out->arr.field = l.list;					\
	out->arr.count = l.num;						\
	out->domains = l.refs.list;					\
	out->count = l.mapped;						\
	return 0;							\
}

LOOKUP_OP(op_lookup_sids, lsa_LookupSids, LOOKUP_SIDS(in, put_name), names, names)
LOOKUP_OP(op_lookup_sids2, lsa_LookupSids2, LOOKUP_SIDS(in, put_name2), names, names)
LOOKUP_OP(op_lookup_names, lsa_LookupNames, LOOKUP_NAMES(in, put_sid), sids, sids)
LOOKUP_OP(op_lookup_names2, lsa_LookupNames2, LOOKUP_NAMES(in, put_sid2), sids, sids)
LOOKUP_OP(op_lookup_names3, lsa_LookupNames3, LOOKUP_NAMES(in, put_sid3), sids, sids)

/* ---------------------------------------------------------------------- */
/* GetUserName */

/*
 * Who is on the pipe: only known when the data path named the account at
 * OPEN (the rpc_command of in-tree ksmbd carries no session).
 */
static uint32_t op_get_user_name(struct rpc_call *c, const void *in_,
				 void *out_)
{
	const struct lsa_GetUserName_in *in = in_;
	struct lsa_GetUserName_out *out = out_;
	const char *who = rpc_pipe_account(c->pipe);

	if (!who) {
		out->result = NT_STATUS_NOT_SUPPORTED;
		return 0;
	}
	RPC_NEW(c, out->account_name);
	out->account_name->string = who;
	if (in->authority_name) {
		RPC_NEW(c, out->authority_name);
		RPC_NEW(c, out->authority_name->string);
		out->authority_name->string->string = rpc_domain_name(c);
	}
	out->result = NT_STATUS_OK;
	return 0;
}

static const struct rpc_op lsarpc_ops[] = {
	{ 0, op_close },
	{ 6, op_open_policy },
	{ 7, op_query_policy },
	{ 14, op_lookup_names },
	{ 15, op_lookup_sids },
	{ 44, op_open_policy2 },
	{ 45, op_get_user_name },
	{ 46, op_query_policy2 },
	{ 57, op_lookup_sids2 },
	{ 58, op_lookup_names2 },
	{ 68, op_lookup_names3 },
};

const struct rpc_service rpc_lsarpc_service = {
	.iface = &lsarpc_ndr_iface,
	.ops = lsarpc_ops,
	.nops = sizeof(lsarpc_ops) / sizeof(lsarpc_ops[0]),
};

/* ---------------------------------------------------------------------- */
/* dssetup: DsRolerGetPrimaryDomainInformation */

static uint32_t op_dsrole_info(struct rpc_call *c, const void *in_, void *out_)
{
	const struct dssetup_DsRolerGetPrimaryDomainInformation_in *in = in_;
	struct dssetup_DsRolerGetPrimaryDomainInformation_out *out = out_;
	union dssetup_DsRoleInfo *v;

	RPC_NEW(c, v);
	switch (in->level) {
	case DsRolePrimaryDomainInfoBasic:
		v->basic.role = DsRole_RoleStandaloneServer;
		v->basic.domain = c->env->cfg->global.workgroup;
		break;
	case DsRoleUpgradeStatus:
		v->upgrade.previous_role = DsRoleServerUnknown;
		break;
	case DsRoleOperationState:
		v->opstatus.status = DsRoleOperationIdle;
		break;
	default:
		out->result = WERR_INVALID_PARAMETER;
		return 0;
	}
	out->info = v;
	out->result = WERR_OK;
	return 0;
}

static const struct rpc_op dssetup_ops[] = {
	{ 0, op_dsrole_info },
};

const struct rpc_service rpc_dssetup_service = {
	.iface = &dssetup_ndr_iface,
	.ops = dssetup_ops,
	.nops = sizeof(dssetup_ops) / sizeof(dssetup_ops[0]),
};
