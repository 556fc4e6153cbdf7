// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * samr (MS-SAMR) on \PIPE\samr (and the other lsass pipe names): a
 * standalone server's two domains.
 *
 *   account domain  named by `netbios name`, SID S-1-5-21-a-b-c from
 *                   ksmbd.subauth; its users are those of ksmbdpwd.db,
 *                   its one group "None" (513) is everybody's primary group
 *   Builtin         S-1-5-32, the aliases Administrators (544), Users
 *                   (545) and Guests (546)
 *
 * Connect, domain and user handles are context handles of the pipe. The
 * account model (RIDs, names) is also what lsarpc translates with.
 */
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#include "lsarpc.h"
#include "samr.h"
#include "security.h"

#include "rpc.h"

/* RIDs from unix ids: 1000 + 2 * uid stays below the hashed range. */
#define RID_UID_BASE		1000
#define RID_UID_MAX		((0x60000000u - RID_UID_BASE) / 2 - 1)
#define RID_HASH_BASE		0x60000000u
#define RID_HASH_SPAN		0x10000000u

#define NONE_GROUP_NAME		"None"
#define BUILTIN_NAME		"Builtin"

/* An OLD_LARGE_INTEGER time that never comes, and one that is now-ish. */
#define TIME_NEVER_LOW		0xFFFFFFFFu
#define TIME_NEVER_HIGH		0x7FFFFFFF
/* A relative time meaning "not limited" (MS-SAMR 2.2.3.5: 0x8000...). */
#define DELTA_NONE_HIGH		((int32_t)0x80000000u)

/* 30 minutes as a negative relative NT time (lockout defaults). */
#define LOCKOUT_30_MIN		(-18000000000LL)

#define USER_ACB		(SAMR_USER_NORMAL_ACCOUNT | \
				 SAMR_USER_DONT_EXPIRE_PASSWORD)
/* The fields level 21 fills (MS-SAMR 2.2.1.8): no passwords, no SD. */
#define USER_ALL_FIELDS		0x00FFFFFFu

#define LOGON_HOURS_UNITS	168	/* hours per week */
#define LOGON_HOURS_BYTES	21

/* Object rights in the security descriptors of QuerySecurityObject. */
#define SERVER_EVERYONE		(LSA_ACCESS_READ_CONTROL | SAMR_SERVER_CONNECT | \
				 SAMR_SERVER_ENUMERATE_DOMAINS | \
				 SAMR_SERVER_LOOKUP_DOMAIN)
#define DOMAIN_EVERYONE		(LSA_ACCESS_READ_CONTROL | \
				 SAMR_DOMAIN_READ_PASSWORD_PARAMETERS | \
				 SAMR_DOMAIN_READ_OTHER_PARAMETERS | \
				 SAMR_DOMAIN_LIST_ACCOUNTS | SAMR_DOMAIN_LOOKUP)
#define USER_EVERYONE		(LSA_ACCESS_READ_CONTROL | \
				 SAMR_USER_READ_GENERAL | \
				 SAMR_USER_READ_PREFERENCES | \
				 SAMR_USER_READ_LOGON | SAMR_USER_READ_ACCOUNT | \
				 SAMR_USER_LIST_GROUPS | \
				 SAMR_USER_READ_GROUP_INFORMATION)
#define USER_SELF		(LSA_ACCESS_READ_CONTROL | \
				 SAMR_USER_WRITE_PREFERENCES | \
				 SAMR_USER_CHANGE_PASSWORD)

/* ---------------------------------------------------------------------- */
/* the account model */

static const struct {
	uint32_t rid;
	const char *name;
} builtin_aliases[] = {
	{ RPC_RID_ADMINS, "Administrators" },
	{ RPC_RID_USERS, "Users" },
	{ RPC_RID_GUESTS, "Guests" },
};

#define NR_ALIASES (sizeof(builtin_aliases) / sizeof(builtin_aliases[0]))

const char *rpc_builtin_alias_name(uint32_t rid)
{
	size_t i;

	for (i = 0; i < NR_ALIASES; i++)
		if (builtin_aliases[i].rid == rid)
			return builtin_aliases[i].name;
	return NULL;
}

uint32_t rpc_builtin_alias_rid(const char *name)
{
	size_t i;

	for (i = 0; i < NR_ALIASES; i++)
		if (rpc_name_equal(builtin_aliases[i].name, name))
			return builtin_aliases[i].rid;
	return 0;
}

/* The unix account of the same name; false if there is none. */
static bool unix_account(const char *name, struct passwd *pw, char *buf,
			 size_t size)
{
	struct passwd *res = NULL;

	return !getpwnam_r(name, pw, buf, size, &res) && res;
}

/* FNV-1a: stable across runs and builds, unlike a seeded hash. */
static uint32_t name_hash(const char *s)
{
	uint32_t h = 0x811c9dc5u;

	for (; *s; s++) {
		h ^= (uint8_t)*s;
		h *= 0x01000193u;
	}
	return h;
}

uint32_t rpc_user_rid(const struct userdb_user *u)
{
	struct passwd pw;
	char buf[16384];

	if (unix_account(u->name, &pw, buf, sizeof(buf)) &&
	    pw.pw_uid <= RID_UID_MAX)
		return RID_UID_BASE + 2 * (uint32_t)pw.pw_uid;
	return RID_HASH_BASE + 2 * (name_hash(u->name) % RID_HASH_SPAN);
}

/*
 * The RIDs of all users, computed once per call: a lookup of many SIDs
 * asks the unix name service once per user, not once per SID and user.
 */
static const uint32_t *user_rids(struct rpc_call *call)
{
	const struct userdb *db = call->env->db;
	size_t i;

	if (call->user_rids || !db || !db->count)
		return call->user_rids;
	call->user_rids = talloc_array(call->mem, uint32_t, db->count);
	if (!call->user_rids)
		return NULL;
	for (i = 0; i < db->count; i++)
		call->user_rids[i] = rpc_user_rid(&db->users[i]);
	return call->user_rids;
}

const struct userdb_user *rpc_user_by_rid(struct rpc_call *call, uint32_t rid)
{
	const struct userdb *db = call->env->db;
	const uint32_t *rids;
	size_t i;

	if (rid < RID_UID_BASE || (rid & 1))
		return NULL;
	rids = user_rids(call);
	for (i = 0; rids && i < db->count; i++)
		if (rids[i] == rid)
			return &db->users[i];
	return NULL;
}

const struct userdb_user *rpc_user_by_name(const struct rpc_call *call,
					   const char *name)
{
	const struct userdb *db = call->env->db;
	size_t i;

	if (!db || !name)
		return NULL;
	for (i = 0; i < db->count; i++)
		if (rpc_name_equal(db->users[i].name, name))
			return &db->users[i];
	return NULL;
}

/* The first gecos field of the unix account, or "". */
static const char *full_name(TALLOC_CTX *mem, const char *user)
{
	struct passwd pw;
	char buf[16384];
	size_t n;

	if (!unix_account(user, &pw, buf, sizeof(buf)) || !pw.pw_gecos)
		return "";
	n = strcspn(pw.pw_gecos, ",");
	return talloc_strndup(mem, pw.pw_gecos, n);
}

/* Unix uid 0 (root) is an administrator of the machine. */
static bool user_is_admin(const char *user)
{
	struct passwd pw;
	char buf[16384];

	return unix_account(user, &pw, buf, sizeof(buf)) && pw.pw_uid == 0;
}

static uint32_t user_count(const struct rpc_call *c)
{
	return c->env->db ? (uint32_t)c->env->db->count : 0;
}

/* ---------------------------------------------------------------------- */
/* handles */

struct samr_connect {
	uint32_t access;
};

struct samr_domain {
	bool builtin;
	uint32_t access;
};

struct samr_user {
	uint32_t rid;
	uint32_t access;
};

#define SAMR_KINDS	((1u << RPC_HANDLE_SAMR_CONNECT) | \
			 (1u << RPC_HANDLE_SAMR_DOMAIN) | \
			 (1u << RPC_HANDLE_SAMR_USER))

static struct samr_domain *get_domain(struct rpc_call *c,
				      const struct policy_handle *h,
				      uint32_t *status)
{
	return rpc_handle_find(c, h, RPC_HANDLE_SAMR_DOMAIN, status);
}

/* The user of a user handle; NULL if it left the database since. */
static const struct userdb_user *get_user(struct rpc_call *c,
					  const struct policy_handle *h,
					  uint32_t *status)
{
	struct samr_user *u = rpc_handle_find(c, h, RPC_HANDLE_SAMR_USER,
					      status);
	const struct userdb_user *uu;

	if (!u)
		return NULL;
	uu = rpc_user_by_rid(c, u->rid);
	if (!uu)
		*status = NT_STATUS_NO_SUCH_USER;
	return uu;
}

/* ---------------------------------------------------------------------- */
/* connect, close, security */

static uint32_t new_connect(struct rpc_call *c, uint32_t access,
			    struct policy_handle *h, uint32_t *result)
{
	struct samr_connect *sc;

	if (c->restricted) {
		*result = NT_STATUS_ACCESS_DENIED;
		return 0;
	}
	sc = rpc_handle_new(c, RPC_HANDLE_SAMR_CONNECT, sizeof(*sc), h);
	if (!sc) {
		*result = NT_STATUS_INSUFFICIENT_RESOURCES;
		return 0;
	}
	sc->access = access;
	*result = NT_STATUS_OK;
	return 0;
}

/* SamrConnect (opnum 0), what samrdump and old clients open with. */
static uint32_t op_connect(struct rpc_call *c, const void *in_, void *out_)
{
	const struct samr_Connect_in *in = in_;
	struct samr_Connect_out *out = out_;

	return new_connect(c, in->access_mask, &out->connect_handle,
			   &out->result);
}

static uint32_t op_connect2(struct rpc_call *c, const void *in_, void *out_)
{
	const struct samr_Connect2_in *in = in_;
	struct samr_Connect2_out *out = out_;

	return new_connect(c, in->access_mask, &out->connect_handle,
			   &out->result);
}

static uint32_t op_connect4(struct rpc_call *c, const void *in_, void *out_)
{
	const struct samr_Connect4_in *in = in_;
	struct samr_Connect4_out *out = out_;

	return new_connect(c, in->access_mask, &out->connect_handle,
			   &out->result);
}

static uint32_t op_connect5(struct rpc_call *c, const void *in_, void *out_)
{
	const struct samr_Connect5_in *in = in_;
	struct samr_Connect5_out *out = out_;

	/* the decoder only knows level 1; answer with revision 3 */
	out->level_out = 1;
	out->info_out.v1.revision = 3;
	out->info_out.v1.supported_features = 0;
	return new_connect(c, in->access_mask, &out->connect_handle,
			   &out->result);
}

static uint32_t op_close(struct rpc_call *c, const void *in_, void *out_)
{
	const struct samr_CloseHandle_in *in = in_;
	struct samr_CloseHandle_out *out = out_;

	out->result = rpc_handle_close(c, &in->handle, SAMR_KINDS);
	if (out->result)
		out->handle = in->handle;
	return 0;
}

static uint32_t op_query_security(struct rpc_call *c, const void *in_,
				  void *out_)
{
	const struct samr_QuerySecurityObject_in *in = in_;
	struct samr_QuerySecurityObject_out *out = out_;
	struct rpc_sid admins, system = { .auth = 5, .n = 1, .sub = { 18 } };
	struct rpc_ace ace[3];
	uint32_t status;
	unsigned int n = 0;
	struct samr_user *u;

	rpc_sid_builtin(&admins);
	rpc_sid_append(&admins, &admins, RPC_RID_ADMINS);
	memset(ace, 0, sizeof(ace));
	ace[n].sid = (struct rpc_sid){ .auth = 1, .n = 1 };	/* Everyone */
	if (rpc_handle_find(c, &in->handle, RPC_HANDLE_SAMR_CONNECT, &status)) {
		ace[n++].mask = SERVER_EVERYONE;
		ace[n].sid = admins;
		ace[n++].mask = SAMR_SERVER_ALL_ACCESS;
	} else if (get_domain(c, &in->handle, &status)) {
		ace[n++].mask = DOMAIN_EVERYONE;
		ace[n].sid = admins;
		ace[n++].mask = SAMR_DOMAIN_ALL_ACCESS;
	} else if ((u = rpc_handle_find(c, &in->handle, RPC_HANDLE_SAMR_USER,
					&status))) {
		struct rpc_sid dom;

		ace[n++].mask = USER_EVERYONE;
		ace[n].sid = admins;
		ace[n++].mask = SAMR_USER_ALL_ACCESS;
		rpc_sid_domain(c, &dom);
		rpc_sid_append(&ace[n].sid, &dom, u->rid);
		ace[n++].mask = USER_SELF;
	} else {
		out->result = status;
		return 0;
	}
	RPC_NEW(c, out->sdbuf);
	out->sdbuf->sd = rpc_sd_build(c->mem, &admins, &system, ace, n,
				      &out->sdbuf->length);
	if (!out->sdbuf->sd)
		return DCERPC_NCA_S_FAULT_REMOTE_NO_MEMORY;
	out->result = NT_STATUS_OK;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* domains */

static uint32_t op_lookup_domain(struct rpc_call *c, const void *in_,
				 void *out_)
{
	const struct samr_LookupDomainInSamServer_in *in = in_;
	struct samr_LookupDomainInSamServer_out *out = out_;
	const char *name = in->domain_name.string;
	struct rpc_sid sid;

	if (!rpc_handle_find(c, &in->connect_handle, RPC_HANDLE_SAMR_CONNECT,
			     &out->result))
		return 0;
	if (rpc_name_equal(name, rpc_domain_name(c)))
		rpc_sid_domain(c, &sid);
	else if (rpc_name_equal(name, BUILTIN_NAME))
		rpc_sid_builtin(&sid);
	else {
		out->result = NT_STATUS_NO_SUCH_DOMAIN;
		return 0;
	}
	out->sid = rpc_sid_to_ndr(c->mem, &sid);
	if (!out->sid)
		return DCERPC_NCA_S_FAULT_REMOTE_NO_MEMORY;
	out->result = NT_STATUS_OK;
	return 0;
}

/*
 * How many entries of an enumeration to return from @from on: as many as
 * fit in @max bytes (12 bytes plus the name in UTF-16 each), at least one.
 */
static uint32_t enum_take(const char *const *names, uint32_t total,
			  uint32_t from, uint32_t max)
{
	uint64_t used = 0;
	uint32_t n = 0;

	while (from + n < total) {
		used += 12 + 2 * (uint64_t)strlen(names[from + n]);
		if (n && used > max)
			break;
		n++;
	}
	return n;
}

/* Fill an enumeration answer with names[from..] and their RIDs. */
static uint32_t enum_answer(struct rpc_call *c, const char *const *names,
			    const uint32_t *rids, uint32_t total,
			    uint32_t from, uint32_t max, uint32_t *resume,
			    struct samr_EnumerationBuffer **sam,
			    uint32_t *num, uint32_t *result)
{
	struct samr_EnumerationBuffer *b;
	uint32_t i, n;

	if (from > total)
		from = total;
	n = enum_take(names, total, from, max);
	RPC_NEW(c, b);
	RPC_NEW_ARRAY(c, b->entries, n);
	b->entries_read = n;
	for (i = 0; i < n; i++) {
		b->entries[i].rid = rids[from + i];
		b->entries[i].name.string = names[from + i];
	}
	if (!n)
		b->entries = NULL;
	*sam = b;
	*num = n;
	*resume = from + n;
	*result = from + n < total ? NT_STATUS_MORE_ENTRIES : NT_STATUS_OK;
	return 0;
}

static uint32_t op_enum_domains(struct rpc_call *c, const void *in_,
				void *out_)
{
	const struct samr_EnumerateDomainsInSamServer_in *in = in_;
	struct samr_EnumerateDomainsInSamServer_out *out = out_;
	const char *names[2] = { rpc_domain_name(c), BUILTIN_NAME };
	static const uint32_t rids[2] = { 0, 0 };

	out->resume_handle = in->resume_handle;
	if (!rpc_handle_find(c, &in->connect_handle, RPC_HANDLE_SAMR_CONNECT,
			     &out->result))
		return 0;
	return enum_answer(c, names, rids, 2, in->resume_handle,
			   in->prefered_maximum_length, &out->resume_handle,
			   &out->sam, &out->num_entries, &out->result);
}

static uint32_t op_open_domain(struct rpc_call *c, const void *in_, void *out_)
{
	const struct samr_OpenDomain_in *in = in_;
	struct samr_OpenDomain_out *out = out_;
	struct rpc_sid sid, dom, builtin;
	struct samr_domain *d;

	if (!rpc_handle_find(c, &in->connect_handle, RPC_HANDLE_SAMR_CONNECT,
			     &out->result))
		return 0;
	rpc_sid_domain(c, &dom);
	rpc_sid_builtin(&builtin);
	if (!rpc_sid_from_ndr(&sid, &in->sid) ||
	    (!rpc_sid_equal(&sid, &dom) && !rpc_sid_equal(&sid, &builtin))) {
		out->result = NT_STATUS_NO_SUCH_DOMAIN;
		return 0;
	}
	d = rpc_handle_new(c, RPC_HANDLE_SAMR_DOMAIN, sizeof(*d),
			   &out->domain_handle);
	if (!d) {
		out->result = NT_STATUS_INSUFFICIENT_RESOURCES;
		return 0;
	}
	d->builtin = rpc_sid_equal(&sid, &builtin);
	d->access = in->access_mask;
	out->result = NT_STATUS_OK;
	return 0;
}

static void general_info(struct rpc_call *c, const struct samr_domain *d,
			 struct samr_DomainGeneralInformation *g)
{
	g->force_logoff.high = DELTA_NONE_HIGH;
	g->domain_name.string = d->builtin ? BUILTIN_NAME : rpc_domain_name(c);
	g->domain_modified_count.low = 1;
	g->domain_server_state = SAMR_DOMAIN_SERVER_ENABLED;
	g->domain_server_role = SAMR_DOMAIN_SERVER_ROLE_PRIMARY;
	g->user_count = d->builtin ? 0 : user_count(c);
	g->group_count = d->builtin ? 0 : 1;
	g->alias_count = d->builtin ? NR_ALIASES : 0;
}

static uint32_t query_domain(struct rpc_call *c, const struct policy_handle *h,
			     uint16_t level, union samr_DomainInfo **info,
			     uint32_t *result)
{
	struct samr_domain *d = get_domain(c, h, result);
	union samr_DomainInfo *v;

	if (!d)
		return 0;
	RPC_NEW(c, v);
	switch (level) {
	case SAMR_DOMAIN_PASSWORD_INFORMATION:
		v->password.max_password_age.high = DELTA_NONE_HIGH;
		break;
	case SAMR_DOMAIN_GENERAL_INFORMATION:
		general_info(c, d, &v->general);
		break;
	case SAMR_DOMAIN_LOGOFF_INFORMATION:
		v->logoff.force_logoff.high = DELTA_NONE_HIGH;
		break;
	case SAMR_DOMAIN_OEM_INFORMATION:
	case SAMR_DOMAIN_REPLICATION_INFORMATION:
		break;		/* empty strings */
	case SAMR_DOMAIN_NAME_INFORMATION:
		v->name.domain_name.string = d->builtin ? BUILTIN_NAME :
							  rpc_domain_name(c);
		break;
	case SAMR_DOMAIN_SERVER_ROLE_INFORMATION:
		v->role.domain_server_role = SAMR_DOMAIN_SERVER_ROLE_PRIMARY;
		break;
	case SAMR_DOMAIN_MODIFIED_INFORMATION:
		v->modified.domain_modified_count.low = 1;
		break;
	case SAMR_DOMAIN_STATE_INFORMATION:
		v->state.domain_server_state = SAMR_DOMAIN_SERVER_ENABLED;
		break;
	case SAMR_DOMAIN_GENERAL_INFORMATION2:
		general_info(c, d, &v->general2.general);
		v->general2.lockout_duration = LOCKOUT_30_MIN;
		v->general2.lockout_observation_window = LOCKOUT_30_MIN;
		break;
	case SAMR_DOMAIN_LOCKOUT_INFORMATION:
		v->lockout.lockout_duration = LOCKOUT_30_MIN;
		v->lockout.lockout_observation_window = LOCKOUT_30_MIN;
		break;
	case SAMR_DOMAIN_MODIFIED_INFORMATION2:
		v->modified2.domain_modified_count.low = 1;
		break;
	default:
		*result = NT_STATUS_INVALID_INFO_CLASS;
		return 0;
	}
	*info = v;
	*result = NT_STATUS_OK;
	return 0;
}

static uint32_t op_query_domain(struct rpc_call *c, const void *in_, void *out_)
{
	const struct samr_QueryInformationDomain_in *in = in_;
	struct samr_QueryInformationDomain_out *out = out_;

	return query_domain(c, &in->domain_handle, in->level, &out->info,
			    &out->result);
}

static uint32_t op_query_domain2(struct rpc_call *c, const void *in_,
				 void *out_)
{
	const struct samr_QueryInformationDomain2_in *in = in_;
	struct samr_QueryInformationDomain2_out *out = out_;

	return query_domain(c, &in->domain_handle, in->level, &out->info,
			    &out->result);
}

/* ---------------------------------------------------------------------- */
/* enumerations */

static uint32_t op_enum_users(struct rpc_call *c, const void *in_, void *out_)
{
	const struct samr_EnumerateUsersInDomain_in *in = in_;
	struct samr_EnumerateUsersInDomain_out *out = out_;
	const struct userdb *db = c->env->db;
	const uint32_t *all = user_rids(c);
	struct samr_domain *d;
	const char **names;
	uint32_t *rids;
	uint32_t i, n = 0;

	out->resume_handle = in->resume_handle;
	d = get_domain(c, &in->domain_handle, &out->result);
	if (!d)
		return 0;
	RPC_NEW_ARRAY(c, names, user_count(c));
	RPC_NEW_ARRAY(c, rids, user_count(c));
	/* the filter: accounts with any of the bits (0: all of them) */
	if (!d->builtin && all &&
	    (!in->acct_flags || (in->acct_flags & USER_ACB))) {
		for (i = 0; i < user_count(c); i++) {
			names[n] = db->users[i].name;
			rids[n++] = all[i];
		}
	}
	return enum_answer(c, names, rids, n, in->resume_handle,
			   in->prefered_maximum_length, &out->resume_handle,
			   &out->sam, &out->num_entries, &out->result);
}

static uint32_t op_enum_groups(struct rpc_call *c, const void *in_, void *out_)
{
	const struct samr_EnumerateGroupsInDomain_in *in = in_;
	struct samr_EnumerateGroupsInDomain_out *out = out_;
	static const char *const names[1] = { NONE_GROUP_NAME };
	static const uint32_t rids[1] = { RPC_RID_DOMAIN_USERS };
	struct samr_domain *d;

	out->resume_handle = in->resume_handle;
	d = get_domain(c, &in->domain_handle, &out->result);
	if (!d)
		return 0;
	return enum_answer(c, names, rids, d->builtin ? 0 : 1,
			   in->resume_handle, in->prefered_maximum_length,
			   &out->resume_handle, &out->sam, &out->num_entries,
			   &out->result);
}

static uint32_t op_enum_aliases(struct rpc_call *c, const void *in_,
				void *out_)
{
	const struct samr_EnumerateAliasesInDomain_in *in = in_;
	struct samr_EnumerateAliasesInDomain_out *out = out_;
	const char *names[NR_ALIASES];
	uint32_t rids[NR_ALIASES];
	struct samr_domain *d;
	size_t i;

	out->resume_handle = in->resume_handle;
	d = get_domain(c, &in->domain_handle, &out->result);
	if (!d)
		return 0;
	for (i = 0; i < NR_ALIASES; i++) {
		names[i] = builtin_aliases[i].name;
		rids[i] = builtin_aliases[i].rid;
	}
	return enum_answer(c, names, rids, d->builtin ? NR_ALIASES : 0,
			   in->resume_handle, in->prefered_maximum_length,
			   &out->resume_handle, &out->sam, &out->num_entries,
			   &out->result);
}

/* ---------------------------------------------------------------------- */
/* membership and lookups */

static uint32_t op_alias_membership(struct rpc_call *c, const void *in_,
				    void *out_)
{
	const struct samr_GetAliasMembership_in *in = in_;
	struct samr_GetAliasMembership_out *out = out_;
	bool admins = false, users = false;
	struct samr_domain *d;
	struct rpc_sid dom, sid;
	uint32_t i, rid;

	d = get_domain(c, &in->domain_handle, &out->result);
	if (!d)
		return 0;
	rpc_sid_domain(c, &dom);
	for (i = 0; d->builtin && i < in->sids.num_sids; i++) {
		const struct userdb_user *u;

		if (!in->sids.sids || !rpc_sid_from_ndr(&sid, in->sids.sids[i].sid) ||
		    !rpc_sid_in(&sid, &dom, &rid))
			continue;
		u = rpc_user_by_rid(c, rid);
		if (!u)
			continue;
		users = true;
		admins |= user_is_admin(u->name);
	}
	RPC_NEW_ARRAY(c, out->rids.ids, 2);
	if (admins)
		out->rids.ids[out->rids.count++] = RPC_RID_ADMINS;
	if (users)
		out->rids.ids[out->rids.count++] = RPC_RID_USERS;
	out->result = NT_STATUS_OK;
	return 0;
}

/* A name of one domain: its RID and SID_NAME_USE, false if unknown. */
static bool lookup_in_domain(struct rpc_call *c, const struct samr_domain *d,
			     const char *name, uint32_t *rid, uint32_t *type)
{
	const struct userdb_user *u;

	if (d->builtin) {
		uint32_t alias = rpc_builtin_alias_rid(name);

		if (!alias)
			return false;
		*rid = alias;
		*type = LSA_SID_TYPE_ALIAS;
		return true;
	}
	if (rpc_name_equal(name, NONE_GROUP_NAME)) {
		*rid = RPC_RID_DOMAIN_USERS;
		*type = LSA_SID_TYPE_GROUP;
		return true;
	}
	u = rpc_user_by_name(c, name);
	if (!u)
		return false;
	*rid = rpc_user_rid(u);
	*type = LSA_SID_TYPE_USER;
	return true;
}

/* The name of a RID of one domain, NULL if unknown. */
static const char *name_in_domain(struct rpc_call *c,
				  const struct samr_domain *d, uint32_t rid,
				  uint32_t *type)
{
	const struct userdb_user *u;

	if (d->builtin) {
		*type = LSA_SID_TYPE_ALIAS;
		return rpc_builtin_alias_name(rid);
	}
	if (rid == RPC_RID_DOMAIN_USERS) {
		*type = LSA_SID_TYPE_GROUP;
		return NONE_GROUP_NAME;
	}
	u = rpc_user_by_rid(c, rid);
	*type = LSA_SID_TYPE_USER;
	return u ? u->name : NULL;
}

static uint32_t mapped_status(uint32_t mapped, uint32_t total)
{
	if (mapped == total)
		return NT_STATUS_OK;
	return mapped ? NT_STATUS_SOME_NOT_MAPPED : NT_STATUS_NONE_MAPPED;
}

static uint32_t op_lookup_names(struct rpc_call *c, const void *in_,
				void *out_)
{
	const struct samr_LookupNamesInDomain_in *in = in_;
	struct samr_LookupNamesInDomain_out *out = out_;
	struct samr_domain *d;
	uint32_t i, mapped = 0;

	d = get_domain(c, &in->domain_handle, &out->result);
	if (!d)
		return 0;
	RPC_NEW_ARRAY(c, out->rids.ids, in->num_names);
	RPC_NEW_ARRAY(c, out->types.ids, in->num_names);
	out->rids.count = in->num_names;
	out->types.count = in->num_names;
	for (i = 0; i < in->num_names; i++) {
		out->types.ids[i] = LSA_SID_TYPE_UNKNOWN;
		if (lookup_in_domain(c, d, in->names[i].string,
				     &out->rids.ids[i], &out->types.ids[i]))
			mapped++;
	}
	out->result = mapped_status(mapped, in->num_names);
	return 0;
}

static uint32_t op_lookup_rids(struct rpc_call *c, const void *in_, void *out_)
{
	const struct samr_LookupIdsInDomain_in *in = in_;
	struct samr_LookupIdsInDomain_out *out = out_;
	struct samr_domain *d;
	uint32_t i, mapped = 0;

	d = get_domain(c, &in->domain_handle, &out->result);
	if (!d)
		return 0;
	RPC_NEW_ARRAY(c, out->names.names, in->num_rids);
	RPC_NEW_ARRAY(c, out->types.ids, in->num_rids);
	out->names.count = in->num_rids;
	out->types.count = in->num_rids;
	for (i = 0; i < in->num_rids; i++) {
		const char *name = name_in_domain(c, d, in->rids[i],
						  &out->types.ids[i]);

		if (name) {
			out->names.names[i].string = name;
			mapped++;
		} else {
			out->types.ids[i] = LSA_SID_TYPE_UNKNOWN;
		}
	}
	out->result = mapped_status(mapped, in->num_rids);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* users */

static uint32_t op_open_user(struct rpc_call *c, const void *in_, void *out_)
{
	const struct samr_OpenUser_in *in = in_;
	struct samr_OpenUser_out *out = out_;
	struct samr_domain *d;
	struct samr_user *u;

	d = get_domain(c, &in->domain_handle, &out->result);
	if (!d)
		return 0;
	if (d->builtin || !rpc_user_by_rid(c, in->rid)) {
		out->result = NT_STATUS_NO_SUCH_USER;
		return 0;
	}
	u = rpc_handle_new(c, RPC_HANDLE_SAMR_USER, sizeof(*u),
			   &out->user_handle);
	if (!u) {
		out->result = NT_STATUS_INSUFFICIENT_RESOURCES;
		return 0;
	}
	u->rid = in->rid;
	u->access = in->access_mask;
	out->result = NT_STATUS_OK;
	return 0;
}

/* What every information level says about one user. */
struct user_facts {
	const char *name;
	const char *full_name;
	uint32_t rid;
	struct samr_LogonHours hours;
	struct samr_OldLargeInteger never;
};

static bool user_facts(struct rpc_call *c, const struct userdb_user *u,
		       struct user_facts *f)
{
	static const uint8_t all_hours[LOGON_HOURS_BYTES] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff,
	};

	f->name = u->name;
	f->full_name = full_name(c->mem, u->name);
	f->rid = rpc_user_rid(u);
	f->hours.units_per_week = LOGON_HOURS_UNITS;
	f->hours.bits = talloc_memdup(c->mem, all_hours, sizeof(all_hours));
	f->never.low = TIME_NEVER_LOW;
	f->never.high = TIME_NEVER_HIGH;
	return f->full_name && f->hours.bits;
}

static void user_all(const struct user_facts *f, struct samr_UserAllInformation *v)
{
	v->account_expires = f->never;
	v->password_must_change = f->never;
	v->user_name.string = f->name;
	v->full_name.string = f->full_name;
	v->user_id = f->rid;
	v->primary_group_id = RPC_RID_DOMAIN_USERS;
	v->user_account_control = USER_ACB;
	v->which_fields = USER_ALL_FIELDS;
	v->logon_hours = f->hours;
}

static void user_logon(const struct user_facts *f,
		       struct samr_UserLogonInformation *v)
{
	v->user_name.string = f->name;
	v->full_name.string = f->full_name;
	v->user_id = f->rid;
	v->primary_group_id = RPC_RID_DOMAIN_USERS;
	v->password_must_change = f->never;
	v->logon_hours = f->hours;
	v->user_account_control = USER_ACB;
}

static void user_account(const struct user_facts *f,
			 struct samr_UserAccountInformation *v)
{
	v->user_name.string = f->name;
	v->full_name.string = f->full_name;
	v->user_id = f->rid;
	v->primary_group_id = RPC_RID_DOMAIN_USERS;
	v->logon_hours = f->hours;
	v->account_expires = f->never;
	v->user_account_control = USER_ACB;
}

/* Fill level @level; false if it is not one we answer. */
static bool user_level(const struct user_facts *f, uint16_t level,
		       union samr_UserInfo *v)
{
	switch (level) {
	case SAMR_USER_GENERAL_INFORMATION:
		v->general.user_name.string = f->name;
		v->general.full_name.string = f->full_name;
		v->general.primary_group_id = RPC_RID_DOMAIN_USERS;
		return true;
	case SAMR_USER_PREFERENCES_INFORMATION:
	case SAMR_USER_HOME_INFORMATION:
	case SAMR_USER_SCRIPT_INFORMATION:
	case SAMR_USER_PROFILE_INFORMATION:
	case SAMR_USER_ADMIN_COMMENT_INFORMATION:
	case SAMR_USER_WORKSTATIONS_INFORMATION:
	case SAMR_USER_PARAMETERS_INFORMATION:
		return true;	/* all empty */
	case SAMR_USER_LOGON_INFORMATION:
		user_logon(f, &v->logon);
		return true;
	case SAMR_USER_LOGON_HOURS_INFORMATION:
		v->logon_hours.logon_hours = f->hours;
		return true;
	case SAMR_USER_ACCOUNT_INFORMATION:
		user_account(f, &v->account);
		return true;
	case SAMR_USER_NAME_INFORMATION:
		v->name.user_name.string = f->name;
		v->name.full_name.string = f->full_name;
		return true;
	case SAMR_USER_ACCOUNT_NAME_INFORMATION:
		v->account_name.user_name.string = f->name;
		return true;
	case SAMR_USER_FULL_NAME_INFORMATION:
		v->full_name.full_name.string = f->full_name;
		return true;
	case SAMR_USER_PRIMARY_GROUP_INFORMATION:
		v->primary_group.primary_group_id = RPC_RID_DOMAIN_USERS;
		return true;
	case SAMR_USER_CONTROL_INFORMATION:
		v->control.user_account_control = USER_ACB;
		return true;
	case SAMR_USER_EXPIRES_INFORMATION:
		v->expires.account_expires = f->never;
		return true;
	case SAMR_USER_ALL_INFORMATION:
		user_all(f, &v->all);
		return true;
	default:
		/* internal levels carry password material: never sent */
		return false;
	}
}

static uint32_t query_user(struct rpc_call *c, const struct policy_handle *h,
			   uint16_t level, union samr_UserInfo **info,
			   uint32_t *result)
{
	const struct userdb_user *u = get_user(c, h, result);
	struct user_facts f;
	union samr_UserInfo *v;

	if (!u)
		return 0;
	RPC_NEW(c, v);
	if (!user_facts(c, u, &f))
		return DCERPC_NCA_S_FAULT_REMOTE_NO_MEMORY;
	if (!user_level(&f, level, v)) {
		*result = NT_STATUS_INVALID_INFO_CLASS;
		return 0;
	}
	*info = v;
	*result = NT_STATUS_OK;
	return 0;
}

static uint32_t op_query_user(struct rpc_call *c, const void *in_, void *out_)
{
	const struct samr_QueryInformationUser_in *in = in_;
	struct samr_QueryInformationUser_out *out = out_;

	return query_user(c, &in->user_handle, in->level, &out->info,
			  &out->result);
}

static uint32_t op_query_user2(struct rpc_call *c, const void *in_, void *out_)
{
	const struct samr_QueryInformationUser2_in *in = in_;
	struct samr_QueryInformationUser2_out *out = out_;

	return query_user(c, &in->user_handle, in->level, &out->info,
			  &out->result);
}

static uint32_t op_groups_for_user(struct rpc_call *c, const void *in_,
				   void *out_)
{
	const struct samr_GetGroupsForUser_in *in = in_;
	struct samr_GetGroupsForUser_out *out = out_;

	if (!get_user(c, &in->user_handle, &out->result))
		return 0;
	RPC_NEW(c, out->rids);
	RPC_NEW_ARRAY(c, out->rids->groups, 1);
	out->rids->count = 1;
	out->rids->groups[0].rid = RPC_RID_DOMAIN_USERS;
	out->rids->groups[0].attributes = SAMR_SE_GROUP_MANDATORY |
					  SAMR_SE_GROUP_ENABLED_BY_DEFAULT |
					  SAMR_SE_GROUP_ENABLED;
	out->result = NT_STATUS_OK;
	return 0;
}

/* No password policy is kept: no minimum length, no properties. */
static uint32_t op_user_pw_info(struct rpc_call *c, const void *in_,
				void *out_)
{
	const struct samr_GetUserDomainPasswordInformation_in *in = in_;
	struct samr_GetUserDomainPasswordInformation_out *out = out_;

	if (!get_user(c, &in->user_handle, &out->result))
		return 0;
	out->result = NT_STATUS_OK;
	return 0;
}

static uint32_t op_domain_pw_info(struct rpc_call *c, const void *in_,
				  void *out_)
{
	struct samr_GetDomainPasswordInformation_out *out = out_;

	(void)c;
	(void)in_;
	out->result = NT_STATUS_OK;
	return 0;
}

static const struct rpc_op samr_ops[] = {
	{ 1, op_close },
	{ 3, op_query_security },
	{ 5, op_lookup_domain },
	{ 6, op_enum_domains },
	{ 7, op_open_domain },
	{ 8, op_query_domain },
	{ 11, op_enum_groups },
	{ 13, op_enum_users },
	{ 15, op_enum_aliases },
	{ 16, op_alias_membership },
	{ 17, op_lookup_names },
	{ 18, op_lookup_rids },
	{ 34, op_open_user },
	{ 36, op_query_user },
	{ 39, op_groups_for_user },
	{ 44, op_user_pw_info },
	{ 46, op_query_domain2 },
	{ 47, op_query_user2 },
	{ 56, op_domain_pw_info },
	{ 0, op_connect },
	{ 57, op_connect2 },
	{ 62, op_connect4 },
	{ 64, op_connect5 },
};

const struct rpc_service rpc_samr_service = {
	.iface = &samr_ndr_iface,
	.ops = samr_ops,
	.nops = sizeof(samr_ops) / sizeof(samr_ops[0]),
};
