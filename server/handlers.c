// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The daemon's side of the SMBD_GENL requests. See handlers.h for what each
 * event gets; netlink-abi.md for the bytes (all of which the generated code
 * reads and writes: nothing here touches a wire offset).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* accept4, pipe2, SO_PEERCRED, getgrouplist */
#endif
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#include "netlink.h"

#include "handlers.h"
#include "hosts.h"
#include "log.h"
#include "policy.h"
#include "rpc.h"

/* getgrouplist() is asked for at most this many groups (Linux NGROUPS_MAX). */
#define GROUPS_LOOKUP_MAX	65536

/* A failed-login counter; only accounts of the user database get one. */
struct login_failures {
	struct login_failures *next;
	char name[USERDB_NAME_MAX + 1];
	unsigned int count;
};

/* A share whose configuration changed at a reload (UPDATE not yet sent). */
struct changed_share {
	struct changed_share *next;
	char *name;
};

/* Sessions with tree connects, per data path connection. */
struct peer_session {
	struct peer_session *next;
	uint64_t peer_id;
	uint64_t session_id;
	unsigned int trees;
};

/* hosts allow / hosts deny of one share, parsed once per configuration. */
struct share_hosts {
	struct hosts_list *allow;
	struct hosts_list *deny;
};

struct handlers {
	struct smbd_config *cfg;
	struct userdb *db;
	TALLOC_CTX *cfg_mem;		/* what is derived from cfg */
	struct share_hosts *hosts;	/* parallel to cfg->shares */
	struct policy_state *policy;
	struct login_failures *failures;
	struct changed_share *changed;
	struct peer_session *sessions;
	struct rpc_server *rpc;		/* the IPC$ pipes, made at first use */
};

/* A unix account: uid, gid and (when asked) its group names. */
struct unix_account {
	uid_t uid;
	gid_t gid;
	gid_t *gids;
	size_t ngids;
	const char **group_names;
	size_t ngroup_names;
};

/* ---------------------------------------------------------------------- */
/* small helpers */

static int refuse(struct handlers_reply *reply, const char *why)
{
	reply->why = why;
	return HANDLERS_DROP;
}

/* The s8 arrays of the ABI are strings: they must end inside the array. */
static bool str_fits(const s8 *field, size_t size)
{
	return memchr(field, 0, size) != NULL;
}

static void copy_str(s8 *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memset(dst, 0, size);
	memcpy(dst, src, n);
}

const char *handlers_event_name(uint16_t type, char *buf, size_t size)
{
	static const char prefix[] = "SMBD_NL_EVENT_";
	size_t i;
	const char *name;

	for (i = 0; i < sizeof(smbd_nl_event_names) / sizeof(smbd_nl_event_names[0]); i++) {
		if (smbd_nl_event_names[i].value != type)
			continue;
		name = smbd_nl_event_names[i].name;
		if (strncmp(name, prefix, sizeof(prefix) - 1) == 0)
			name += sizeof(prefix) - 1;
		return name;
	}
	snprintf(buf, size, "event %u", (unsigned int)type);
	return buf;
}

#define DEFINE_REPLY_ENCODER(kind)						\
static int encode_##kind(TALLOC_CTX *mem, struct handlers_reply *out,		\
			 uint16_t event, const struct smbd_nl_##kind *v)	\
{										\
	long n = smbd_nl_##kind##_size(v);					\
	size_t used = 0;							\
										\
	if (n <= 0 || n > (long)SMBD_NL_DAEMON_MSG_MAX)				\
		return refuse(out, "the reply does not encode");		\
	out->buf = talloc_size(mem, (size_t)n);					\
	if (!out->buf)								\
		return refuse(out, "out of memory");				\
	if (smbd_nl_##kind##_encode(out->buf, (size_t)n, v, &used) ||		\
	    used != (size_t)n) {						\
		TALLOC_FREE(out->buf);						\
		return refuse(out, "the reply does not encode");		\
	}									\
	out->type = event;							\
	out->len = used;							\
	return HANDLERS_REPLY;							\
}

DEFINE_REPLY_ENCODER(login_response)
DEFINE_REPLY_ENCODER(login_response_ext)
DEFINE_REPLY_ENCODER(share_config_parts)
DEFINE_REPLY_ENCODER(tree_connect_response)
DEFINE_REPLY_ENCODER(rpc_command)
DEFINE_REPLY_ENCODER(spnego_authen_response)

/* ---------------------------------------------------------------------- */
/* unix accounts */

static int lookup_groups(TALLOC_CTX *mem, const char *name,
			 struct unix_account *acct)
{
	int n = 32;

	for (;;) {
		int want = n;

		acct->gids = talloc_realloc(mem, acct->gids, gid_t, n);
		if (!acct->gids)
			return -ENOMEM;
		if (getgrouplist(name, acct->gid, acct->gids, &n) >= 0)
			break;
		/* n now holds the size needed; grow once or give up */
		if (n <= want || n > GROUPS_LOOKUP_MAX)
			return -E2BIG;
	}
	acct->ngids = (size_t)n;
	return 0;
}

static int lookup_group_names(TALLOC_CTX *mem, struct unix_account *acct)
{
	size_t i;

	acct->group_names = talloc_zero_array(mem, const char *,
					      acct->ngids + 1);
	if (!acct->group_names)
		return -ENOMEM;
	for (i = 0; i < acct->ngids; i++) {
		struct group *gr = getgrgid(acct->gids[i]);

		if (!gr || !gr->gr_name)
			continue;
		acct->group_names[acct->ngroup_names] =
			talloc_strdup(acct->group_names, gr->gr_name);
		if (!acct->group_names[acct->ngroup_names])
			return -ENOMEM;
		acct->ngroup_names++;
	}
	return 0;
}

/*
 * Look a unix account up by name. With want_groups, also its supplementary
 * groups (ids, and names for the policy's @group entries).
 * Returns 0, -ENOENT or -ENOMEM.
 */
static int unix_account(TALLOC_CTX *mem, const char *name, bool want_groups,
			struct unix_account *acct)
{
	struct passwd *pw;
	int rc;

	memset(acct, 0, sizeof(*acct));
	if (!name || !name[0])
		return -ENOENT;
	errno = 0;
	pw = getpwnam(name);
	if (!pw)
		return -ENOENT;
	acct->uid = pw->pw_uid;
	acct->gid = pw->pw_gid;
	if (!want_groups)
		return 0;
	rc = lookup_groups(mem, name, acct);
	if (rc == -ENOMEM)
		return rc;
	if (rc) {
		/* too many groups to be sure: use the primary group alone */
		pr_warn("user %s: cannot list its groups; using its primary group only",
			name);
		acct->gids[0] = acct->gid;
		acct->ngids = 1;
	}
	return lookup_group_names(mem, acct);
}

static const char *global_guest(const struct handlers *h)
{
	return h->cfg->global.guest_account;
}

/* ---------------------------------------------------------------------- */
/* failed logins */

static struct login_failures *find_failures(const struct handlers *h,
					    const char *account)
{
	struct login_failures *f;

	for (f = h->failures; f; f = f->next)
		if (strcmp(f->name, account) == 0)
			return f;
	return NULL;
}

unsigned int handlers_login_failures(const struct handlers *h,
				     const char *account)
{
	const struct login_failures *f = find_failures(h, account);

	return f ? f->count : 0;
}

static void count_failure(struct handlers *h, const char *account)
{
	struct login_failures *f = find_failures(h, account);

	if (!f) {
		f = talloc_zero(h, struct login_failures);
		if (!f)
			return;
		snprintf(f->name, sizeof(f->name), "%s", account);
		f->next = h->failures;
		h->failures = f;
	}
	if (f->count < UINT32_MAX)
		f->count++;
	if (f->count == SMBD_NL_LOGIN_FAILURES_MAX)
		pr_notice("user %s: %u failed logins; its sessions are now delayed",
			  account, f->count);
}

static void reset_failures(struct handlers *h, const char *account)
{
	struct login_failures **pp;

	for (pp = &h->failures; *pp; pp = &(*pp)->next) {
		struct login_failures *f = *pp;

		if (strcmp(f->name, account) == 0) {
			*pp = f->next;
			talloc_free(f);
			return;
		}
	}
}

/* A reload may delete users: their counters go with them. */
static void forget_deleted_users(struct handlers *h)
{
	struct login_failures **pp = &h->failures;

	while (*pp) {
		struct login_failures *f = *pp;

		if (userdb_find(h->db, f->name)) {
			pp = &f->next;
			continue;
		}
		*pp = f->next;
		talloc_free(f);
	}
}

/* ---------------------------------------------------------------------- */
/* changed shares */

static struct changed_share **find_changed(struct handlers *h,
					   const char *name)
{
	struct changed_share **pp;

	for (pp = &h->changed; *pp; pp = &(*pp)->next)
		if (strcasecmp((*pp)->name, name) == 0)
			return pp;
	return NULL;
}

bool handlers_share_changed(const struct handlers *h, const char *share)
{
	const struct changed_share *c;

	for (c = h->changed; c; c = c->next)
		if (strcasecmp(c->name, share) == 0)
			return true;
	return false;
}

static int mark_changed(struct handlers *h, const char *name)
{
	struct changed_share *c;

	if (find_changed(h, name))
		return 0;
	c = talloc_zero(h, struct changed_share);
	if (!c)
		return -ENOMEM;
	c->name = talloc_strdup(c, name);
	if (!c->name) {
		talloc_free(c);
		return -ENOMEM;
	}
	c->next = h->changed;
	h->changed = c;
	return 1;
}

static void clear_changed(struct handlers *h, const char *name)
{
	struct changed_share **pp = find_changed(h, name);
	struct changed_share *c;

	if (!pp)
		return;
	c = *pp;
	*pp = c->next;
	talloc_free(c);
}

/*
 * Everything the configuration says about a share, as text: the share's
 * parameters printed with one and the same [global] for both sides, plus
 * what [global] contributes to the share (path prefix, guest account).
 */
static char *share_fingerprint(TALLOC_CTX *mem, const struct smbd_config *cfg,
			       const struct smbd_globals *global,
			       struct smbd_share *share)
{
	struct smbd_config one = {
		.source = "",
		.global = *global,
		.shares = &share,
		.nr_shares = 1,
	};
	char *text = NULL, *out;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	if (smbd_config_print(&one, f)) {
		fclose(f);
		free(text);
		return NULL;
	}
	fprintf(f, "abs_path=%s\nguest=%s\n", share->abs_path,
		smbd_share_guest_account(cfg, share));
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	out = talloc_strdup(mem, text);
	free(text);
	return out;
}

static unsigned int mark_changed_shares(struct handlers *h,
					const struct smbd_config *old,
					const struct smbd_config *new)
{
	TALLOC_CTX *tmp = talloc_new(NULL);
	unsigned int marked = 0;
	size_t i;

	for (i = 0; tmp && i < new->nr_shares; i++) {
		struct smbd_share *ns = new->shares[i];
		struct smbd_share *os = smbd_config_share(old, ns->name);
		char *a, *b;

		if (!os)
			continue;	/* the data path has nothing cached */
		a = share_fingerprint(tmp, old, &new->global, os);
		b = share_fingerprint(tmp, new, &new->global, ns);
		/* when in doubt, say it changed: UPDATE only costs a re-read */
		if (!a || !b || strcmp(a, b) != 0) {
			if (mark_changed(h, ns->name) > 0)
				marked++;
		}
	}
	talloc_free(tmp);
	return marked;
}

/* ---------------------------------------------------------------------- */
/* sessions per data path connection */

static struct peer_session *find_peer_session(const struct handlers *h,
					      uint64_t peer_id,
					      uint64_t session_id)
{
	struct peer_session *s;

	for (s = h->sessions; s; s = s->next)
		if (s->peer_id == peer_id && s->session_id == session_id)
			return s;
	return NULL;
}

static void note_tree_connect(struct handlers *h, uint64_t peer_id,
			      uint64_t session_id)
{
	struct peer_session *s = find_peer_session(h, peer_id, session_id);

	if (!s) {
		s = talloc_zero(h, struct peer_session);
		if (!s)
			return;	/* only peer_gone cleanup is lost */
		s->peer_id = peer_id;
		s->session_id = session_id;
		s->next = h->sessions;
		h->sessions = s;
	}
	s->trees++;
}

static void note_tree_disconnect(struct handlers *h, uint64_t peer_id,
				 uint64_t session_id)
{
	struct peer_session **pp;

	for (pp = &h->sessions; *pp; pp = &(*pp)->next) {
		struct peer_session *s = *pp;

		if (s->peer_id != peer_id || s->session_id != session_id)
			continue;
		if (--s->trees == 0) {
			*pp = s->next;
			talloc_free(s);
		}
		return;
	}
}

size_t handlers_peer_gone(struct handlers *h, uint64_t peer_id)
{
	struct peer_session **pp = &h->sessions;
	size_t released = 0;

	while (*pp) {
		struct peer_session *s = *pp;

		if (s->peer_id != peer_id) {
			pp = &s->next;
			continue;
		}
		released += policy_session_logout(h->policy, s->session_id);
		*pp = s->next;
		talloc_free(s);
	}
	if (h->rpc)
		rpc_server_peer_gone(h->rpc, peer_id);
	return released;
}

unsigned int handlers_share_connections(const struct handlers *h,
					const char *share)
{
	return policy_share_connections(h->policy, share);
}

/* ---------------------------------------------------------------------- */
/* configuration */

static void hosts_diag(void *arg, const char *entry, const char *why)
{
	const struct smbd_share *share = arg;

	pr_warn("share [%s]: hosts entry '%s' ignored: %s", share->name, entry,
		why);
}

static struct hosts_list *parse_hosts(TALLOC_CTX *mem,
				      const struct smbd_share *share,
				      const struct smbd_strlist *list)
{
	return hosts_list_from_tokens(mem, (const char *const *)list->items,
				      list->count, hosts_diag, (void *)share);
}

/* Derive what the handlers need from cfg; on failure nothing changes. */
static int install_config(struct handlers *h, struct smbd_config *cfg)
{
	TALLOC_CTX *mem = talloc_new(h);
	struct share_hosts *hosts;
	size_t i;

	if (!mem)
		return -ENOMEM;
	hosts = talloc_zero_array(mem, struct share_hosts,
				  cfg->nr_shares ? cfg->nr_shares : 1);
	if (!hosts)
		goto nomem;
	for (i = 0; i < cfg->nr_shares; i++) {
		const struct smbd_share *s = cfg->shares[i];

		hosts[i].allow = parse_hosts(mem, s, &s->hosts_allow);
		hosts[i].deny = parse_hosts(mem, s, &s->hosts_deny);
		if (!hosts[i].allow || !hosts[i].deny)
			goto nomem;
	}
	talloc_steal(h, cfg);
	if (h->cfg)
		smbd_config_free(h->cfg);
	talloc_free(h->cfg_mem);
	h->cfg = cfg;
	h->cfg_mem = mem;
	h->hosts = hosts;
	return 0;
nomem:
	talloc_free(mem);
	return -ENOMEM;
}

static void install_users(struct handlers *h, struct userdb *db)
{
	talloc_steal(h, db);
	talloc_free(h->db);
	h->db = db;
	forget_deleted_users(h);
}

struct handlers *handlers_new(TALLOC_CTX *mem_ctx, struct smbd_config *cfg,
			      struct userdb *db)
{
	struct handlers *h = talloc_zero(mem_ctx, struct handlers);

	if (!h)
		return NULL;
	h->policy = policy_state_new(h);
	if (!h->policy || install_config(h, cfg)) {
		talloc_free(h);
		return NULL;
	}
	install_users(h, db);
	return h;
}

unsigned int handlers_reload(struct handlers *h, struct smbd_config *cfg,
			     struct userdb *db)
{
	unsigned int marked = 0;

	if (cfg) {
		marked = mark_changed_shares(h, h->cfg, cfg);
		if (install_config(h, cfg)) {
			pr_err("reload: out of memory; keeping the old configuration");
			smbd_config_free(cfg);
		}
	}
	if (db)
		install_users(h, db);
	return marked;
}

const struct smbd_config *handlers_config(const struct handlers *h)
{
	return h->cfg;
}

/* ---------------------------------------------------------------------- */
/* LOGIN_REQUEST, LOGIN_REQUEST_EXT */

/*
 * Who an account logs in as: a user of the database runs as the unix
 * account of the same name, or as the guest account's ids when there is
 * none; an unknown account is the guest under map to guest = bad user.
 */
struct login_identity {
	const char *name;		/* the account the session runs as */
	const struct userdb_user *user;	/* NULL: guest or refused */
	const uint8_t *nt_hash;		/* the password to prove, or NULL */
	const char *unix_name;		/* whose uid/gid/groups apply */
	struct unix_account acct;
	uint16_t status;		/* SMBD_NL_USER_FLAG_* */
};

/*
 * Log in as the guest account: an unknown user under "map to guest = bad
 * user", and the empty account name, the data path's anonymous (null
 * session) login, which runs as the guest whatever "map to guest" says,
 * as Samba's null sessions do; which shares it reaches is the tree
 * connect policy's business (restrict anonymous, guest ok).
 */
static int resolve_as_guest(TALLOC_CTX *mem, struct handlers *h,
			     bool want_groups, struct login_identity *id)
{
	const char *guest = global_guest(h);
	int rc = unix_account(mem, guest, want_groups, &id->acct);

	if (rc == -ENOMEM)
		return rc;
	if (rc || strlen(guest) >= SMBD_NL_ACCOUNT_NAME_SZ) {
		id->status = SMBD_NL_USER_FLAG_BAD_USER;
		return 0;
	}
	id->name = guest;
	id->unix_name = guest;
	id->status = SMBD_NL_USER_FLAG_OK | SMBD_NL_USER_FLAG_GUEST_ACCOUNT;
	return 0;
}

static int resolve_login(TALLOC_CTX *mem, struct handlers *h,
			 const char *account, bool want_groups,
			 struct login_identity *id)
{
	const char *guest = global_guest(h);
	int map = h->cfg->global.map_to_guest;
	int rc;

	memset(id, 0, sizeof(*id));
	id->name = account;
	if (!account[0])
		return resolve_as_guest(mem, h, want_groups, id);
	id->user = userdb_find(h->db, account);
	if (id->user) {
		/* even when it runs as the guest, a user proves its password */
		id->nt_hash = id->user->nt_hash;
		rc = unix_account(mem, account, want_groups, &id->acct);
		if (rc == -ENOMEM)
			return rc;
		id->unix_name = account;
		id->status = SMBD_NL_USER_FLAG_OK;
		if (rc == 0)
			goto delay;
		if (map == SMBD_MAP_TO_GUEST_BAD_UID) {
			id->name = guest;
			id->user = NULL;
			id->status |= SMBD_NL_USER_FLAG_GUEST_ACCOUNT;
		}
		/* no unix account of that name: the guest account's ids */
		rc = unix_account(mem, guest, want_groups, &id->acct);
		if (rc == -ENOMEM)
			return rc;
		id->unix_name = guest;
		if (rc) {
			id->status = SMBD_NL_USER_FLAG_BAD_UID;
			id->unix_name = NULL;
		}
		goto delay;
	}
	if (map != SMBD_MAP_TO_GUEST_BAD_USER) {
		id->status = SMBD_NL_USER_FLAG_BAD_USER;
		return 0;
	}
	return resolve_as_guest(mem, h, want_groups, id);
delay:
	if (handlers_login_failures(h, account) >= SMBD_NL_LOGIN_FAILURES_MAX)
		id->status |= SMBD_NL_USER_FLAG_DELAY_SESSION;
	return 0;
}

static int handle_login(struct handlers *h, TALLOC_CTX *mem,
			const struct handlers_msg *msg,
			struct handlers_reply *reply)
{
	struct smbd_nl_login_request req;
	struct smbd_nl_login_response rsp;
	struct login_identity id;
	int rc = smbd_nl_login_request_decode(msg->data, msg->len, &req);

	if (rc)
		return refuse(reply, wire_strerror(rc));
	if (!str_fits(req.account, sizeof(req.account)))
		return refuse(reply, "account name without NUL");
	if (resolve_login(mem, h, (const char *)req.account, true, &id))
		return refuse(reply, "out of memory");

	memset(&rsp, 0, sizeof(rsp));
	rsp.handle = req.handle;
	rsp.status = id.status;
	copy_str(rsp.account, sizeof(rsp.account), id.name);
	if (id.status & SMBD_NL_USER_FLAG_OK) {
		rsp.uid = id.acct.uid;
		rsp.gid = id.acct.gid;
		/*
		 * Groups beyond the primary one: the data path asks for them
		 * with LOGIN_REQUEST_EXT. Without any the flag stays off, so
		 * peers that predate events 16/17 see the old answer.
		 */
		if (id.unix_name && id.acct.ngids > 1)
			rsp.status |= SMBD_NL_USER_FLAG_EXTENSION;
	}
	if ((id.status & SMBD_NL_USER_FLAG_OK) && id.nt_hash) {
		memcpy(rsp.hash, id.nt_hash, SMBD_NL_NT_HASH_LEN);
		rsp.hash_sz = SMBD_NL_NT_HASH_LEN;
	}
	pr_info("login %s: %s%s%s", (const char *)req.account,
		!(id.status & SMBD_NL_USER_FLAG_OK) ? "refused" :
		(id.status & SMBD_NL_USER_FLAG_GUEST_ACCOUNT) ? "as guest " : "ok",
		(id.status & SMBD_NL_USER_FLAG_GUEST_ACCOUNT) ? id.name : "",
		(id.status & SMBD_NL_USER_FLAG_DELAY_SESSION) ? " (delayed)" : "");
	return encode_login_response(mem, reply, SMBD_NL_EVENT_LOGIN_RESPONSE,
				     &rsp);
}

static int handle_login_ext(struct handlers *h, TALLOC_CTX *mem,
			    const struct handlers_msg *msg,
			    struct handlers_reply *reply)
{
	struct smbd_nl_login_request req;
	struct smbd_nl_login_response_ext rsp;
	struct login_identity id;
	uint32_t *gids;
	size_t i, n = 0;
	int rc = smbd_nl_login_request_decode(msg->data, msg->len, &req);

	if (rc)
		return refuse(reply, wire_strerror(rc));
	if (!str_fits(req.account, sizeof(req.account)))
		return refuse(reply, "account name without NUL");
	if (resolve_login(mem, h, (const char *)req.account, true, &id))
		return refuse(reply, "out of memory");

	if ((id.status & SMBD_NL_USER_FLAG_OK) && id.unix_name)
		n = id.acct.ngids;
	if (n > HANDLERS_EXT_GROUPS_MAX) {
		pr_warn("user %s: %zu groups, only the first %u are sent",
			id.name, n, (unsigned int)HANDLERS_EXT_GROUPS_MAX);
		n = HANDLERS_EXT_GROUPS_MAX;
	}
	gids = talloc_array(mem, uint32_t, n ? n : 1);
	if (!gids)
		return refuse(reply, "out of memory");
	for (i = 0; i < n; i++)
		gids[i] = (uint32_t)id.acct.gids[i];

	memset(&rsp, 0, sizeof(rsp));
	rsp.handle = req.handle;
	rsp.ngroups = (s32)n;
	rsp.gids.items = gids;
	rsp.gids.count = (u32)n;
	return encode_login_response_ext(mem, reply,
					 SMBD_NL_EVENT_LOGIN_RESPONSE_EXT, &rsp);
}

/* ---------------------------------------------------------------------- */
/* SHARE_CONFIG_REQUEST */

static int force_ids(const struct smbd_share *share, uint16_t *uid,
		     uint16_t *gid)
{
	*uid = HANDLERS_NO_FORCE_ID;
	*gid = HANDLERS_NO_FORCE_ID;
	if (share->force_user[0]) {
		struct passwd *pw = getpwnam(share->force_user);

		/* u16 on the wire, 0xFFFF meaning "none" */
		if (!pw || pw->pw_uid >= HANDLERS_NO_FORCE_ID ||
		    pw->pw_gid >= HANDLERS_NO_FORCE_ID) {
			pr_err("share [%s]: force user '%s' is not a unix account with an id below 65535; share unavailable",
			       share->name, share->force_user);
			return -1;
		}
		*uid = (uint16_t)pw->pw_uid;
		*gid = (uint16_t)pw->pw_gid;
	}
	if (share->force_group[0]) {
		struct group *gr = getgrnam(share->force_group);

		if (!gr || gr->gr_gid >= HANDLERS_NO_FORCE_ID) {
			pr_err("share [%s]: force group '%s' is not a unix group with an id below 65535; share unavailable",
			       share->name, share->force_group);
			return -1;
		}
		*gid = (uint16_t)gr->gr_gid;
	}
	return 0;
}

/*
 * The payload (netlink.idl smbd_nl_share_config_parts): the veto patterns
 * separated by NULs (veto_list_sz bytes) and a NUL, then the path and its
 * NUL. With no veto pattern the payload is the path alone: readers find the
 * path at veto_list_sz + 1 only when veto_list_sz is not zero. The views
 * point into mem and into share, which outlive the encoding.
 */
static int share_payload(TALLOC_CTX *mem, const struct smbd_share *share,
			 struct smbd_nl_share_config_parts *rsp)
{
	const char *path = share->is_ipc ? "" : share->abs_path;
	size_t veto = 0, path_len = strlen(path), i, at = 0;
	uint8_t *list;

	for (i = 0; i < share->veto_files.count; i++)
		veto += strlen(share->veto_files.items[i]) + 1;
	/* too long anyway; keeps the u32 sums below exact */
	if (veto > SMBD_NL_DAEMON_MSG_MAX || path_len > SMBD_NL_DAEMON_MSG_MAX)
		return -1;
	if (veto) {
		/* veto bytes of patterns and separators, then veto_end */
		list = talloc_zero_size(mem, veto);
		if (!list)
			return -1;
		for (i = 0; i < share->veto_files.count; i++) {
			size_t n = strlen(share->veto_files.items[i]);

			memcpy(list + at, share->veto_files.items[i], n);
			at += n + 1;	/* the NUL is there already */
		}
		rsp->veto_list.p = list;
		rsp->veto_list.len = (uint32_t)(veto - 1);
		rsp->veto_end.p = list + veto - 1;
		rsp->veto_end.len = 1;
	}
	rsp->path.p = (const uint8_t *)path;
	rsp->path.len = (uint32_t)path_len + 1;
	rsp->veto_list_sz = rsp->veto_list.len;
	rsp->payload_sz = rsp->veto_list.len + rsp->veto_end.len +
			  rsp->path.len;
	return 0;
}

static void fill_share_config(struct smbd_nl_share_config_parts *rsp,
			      const struct smbd_share *share, uint16_t uid,
			      uint16_t gid)
{
	rsp->flags = smbd_share_flags(share);
	rsp->create_mask = (uint16_t)share->create_mask;
	rsp->directory_mask = (uint16_t)share->directory_mask;
	rsp->force_create_mode = (uint16_t)share->force_create_mode;
	rsp->force_directory_mode = (uint16_t)share->force_directory_mode;
	rsp->force_uid = uid;
	rsp->force_gid = gid;
	copy_str(rsp->share_name, sizeof(rsp->share_name), share->name);
}

static bool share_config_fits(const struct smbd_nl_share_config_parts *rsp)
{
	long n = smbd_nl_share_config_parts_size(rsp);

	return n > 0 && n <= (long)SMBD_NL_DAEMON_MSG_MAX;
}

/* A payload too long for one message: the share is answered as missing. */
static void drop_share_payload(struct smbd_nl_share_config_parts *rsp)
{
	rsp->payload_sz = 0;
	rsp->veto_list_sz = 0;
	memset(&rsp->veto_list, 0, sizeof(rsp->veto_list));
	memset(&rsp->veto_end, 0, sizeof(rsp->veto_end));
	memset(&rsp->path, 0, sizeof(rsp->path));
}

static int handle_share_config(struct handlers *h, TALLOC_CTX *mem,
			       const struct handlers_msg *msg,
			       struct handlers_reply *reply)
{
	struct smbd_nl_share_config_request req;
	struct smbd_nl_share_config_parts rsp;
	const struct smbd_share *share;
	uint16_t uid, gid;
	int rc = smbd_nl_share_config_request_decode(msg->data, msg->len, &req);

	if (rc)
		return refuse(reply, wire_strerror(rc));
	if (!str_fits(req.share_name, sizeof(req.share_name)))
		return refuse(reply, "share name without NUL");

	memset(&rsp, 0, sizeof(rsp));
	rsp.handle = req.handle;
	/* flags 0 (not AVAILABLE) tells the data path there is no such share */
	copy_str(rsp.share_name, sizeof(rsp.share_name),
		 (const char *)req.share_name);
	share = smbd_config_share(h->cfg, (const char *)req.share_name);
	if (!share) {
		pr_info("share config [%s]: no such share",
			(const char *)req.share_name);
	} else if (force_ids(share, &uid, &gid) == 0) {
		if (share_payload(mem, share, &rsp) ||
		    !share_config_fits(&rsp)) {
			drop_share_payload(&rsp);
			pr_err("share [%s]: path and veto files too long for one message",
			       share->name);
		} else {
			fill_share_config(&rsp, share, uid, gid);
			pr_debug("share config [%s]: flags 0x%x path %s",
				 share->name, rsp.flags,
				 share->is_ipc ? "-" : share->abs_path);
		}
	}
	return encode_share_config_parts(mem, reply,
					 SMBD_NL_EVENT_SHARE_CONFIG_RESPONSE,
					 &rsp);
}

/* ---------------------------------------------------------------------- */
/* TREE_CONNECT_REQUEST */

static void user_list(struct policy_user_list *out,
		      const struct smbd_strlist *in)
{
	out->entries = (const char *const *)in->items;
	out->count = in->count;
}

static void fill_policy_share(const struct handlers *h,
			      const struct smbd_share *share,
			      struct policy_share *ps)
{
	size_t idx;

	memset(ps, 0, sizeof(*ps));
	for (idx = 0; idx < h->cfg->nr_shares; idx++)
		if (h->cfg->shares[idx] == share)
			break;
	ps->name = share->name;
	ps->is_pipe = share->is_ipc;
	ps->read_only = share->read_only;
	ps->guest_ok = share->guest_ok;
	ps->guest_only = share->guest_only;
	ps->changed = handlers_share_changed(h, share->name);
	ps->max_connections = share->max_connections;
	if (idx < h->cfg->nr_shares) {
		ps->hosts_allow = h->hosts[idx].allow;
		ps->hosts_deny = h->hosts[idx].deny;
	}
	user_list(&ps->admin_users, &share->admin_users);
	user_list(&ps->invalid_users, &share->invalid_users);
	user_list(&ps->read_list, &share->read_list);
	user_list(&ps->write_list, &share->write_list);
	user_list(&ps->valid_users, &share->valid_users);
}

static void fill_policy_global(const struct handlers *h,
			       struct policy_global *pg)
{
	const struct smbd_globals *g = &h->cfg->global;

	memset(pg, 0, sizeof(*pg));
	pg->restrict_anonymous = g->restrict_anonymous;
	switch (g->map_to_guest) {
	case SMBD_MAP_TO_GUEST_NEVER:
		pg->map_to_guest = POLICY_MAP_TO_GUEST_NEVER;
		break;
	case SMBD_MAP_TO_GUEST_BAD_PASSWORD:
		pg->map_to_guest = POLICY_MAP_TO_GUEST_BAD_PASSWORD;
		break;
	default:	/* bad user, bad uid: guests exist, passwords count */
		pg->map_to_guest = POLICY_MAP_TO_GUEST_BAD_USER;
		break;
	}
	pg->max_active_sessions = g->max_active_sessions;
	/*
	 * hosts allow/deny of [global] are already the default of every
	 * share's (config.c resolves them), so the share's lists are enough.
	 */
}

/* name and groups of a unix account for the policy; NULL if there is none */
static const struct policy_identity *identity(TALLOC_CTX *mem,
					      const char *name)
{
	struct policy_identity *id;
	struct unix_account acct;
	int rc;

	if (!name || !name[0])
		return NULL;
	id = talloc_zero(mem, struct policy_identity);
	if (!id)
		return NULL;
	id->name = name;
	rc = unix_account(mem, name, true, &acct);
	if (rc == 0) {
		id->groups = acct.group_names;
		id->ngroups = acct.ngroup_names;
	}
	return id;
}

static int handle_tree_connect(struct handlers *h, TALLOC_CTX *mem,
			       const struct handlers_msg *msg,
			       struct handlers_reply *reply)
{
	struct smbd_nl_tree_connect_request req;
	struct smbd_nl_tree_connect_response rsp;
	struct policy_global pg;
	struct policy_share ps;
	struct policy_request pr;
	struct policy_result res = { 0 };
	struct smbd_share *share;
	const char *account, *guest;
	int rc = smbd_nl_tree_connect_request_decode(msg->data, msg->len, &req);

	if (rc)
		return refuse(reply, wire_strerror(rc));
	if (!str_fits(req.account, sizeof(req.account)))
		return refuse(reply, "account name without NUL");
	if (!str_fits(req.share, sizeof(req.share)))
		return refuse(reply, "share name without NUL");
	if (!str_fits(req.peer_addr, sizeof(req.peer_addr)))
		return refuse(reply, "peer address without NUL");
	account = (const char *)req.account;

	fill_policy_global(h, &pg);
	share = smbd_config_share(h->cfg, (const char *)req.share);
	if (share)
		fill_policy_share(h, share, &ps);
	memset(&pr, 0, sizeof(pr));
	pr.session_id = req.session_id;
	pr.connect_id = req.connect_id;
	pr.account_flags = req.account_flags;
	pr.peer_addr = (const char *)req.peer_addr;
	if (userdb_find(h->db, account))
		pr.user = identity(mem, account);
	guest = share ? smbd_share_guest_account(h->cfg, share) :
			global_guest(h);
	if (getpwnam(guest))
		pr.guest = identity(mem, guest);

	policy_tree_connect(h->policy, &pg, share ? &ps : NULL, &pr, &res);
	if (res.status == POLICY_STATUS_OK) {
		note_tree_connect(h, msg->peer_id, req.session_id);
		if (res.connection_flags & POLICY_CONN_UPDATE)
			clear_changed(h, share->name);
	}
	pr_info("tree connect [%s] by %s from %s: %s (%s)",
		(const char *)req.share, account[0] ? account : "-",
		req.peer_addr[0] ? (const char *)req.peer_addr : "-",
		policy_status_name(res.status), res.reason ? res.reason : "");

	memset(&rsp, 0, sizeof(rsp));
	rsp.handle = req.handle;
	rsp.status = res.status;
	rsp.connection_flags = res.status == POLICY_STATUS_OK ?
			       res.connection_flags : 0;
	return encode_tree_connect_response(mem, reply,
					    SMBD_NL_EVENT_TREE_CONNECT_RESPONSE,
					    &rsp);
}

/* ---------------------------------------------------------------------- */
/* one-way notices */

static int handle_tree_disconnect(struct handlers *h,
				  const struct handlers_msg *msg,
				  struct handlers_reply *reply)
{
	struct smbd_nl_tree_disconnect_request req;
	int rc = smbd_nl_tree_disconnect_request_decode(msg->data, msg->len,
							&req);

	if (rc)
		return refuse(reply, wire_strerror(rc));
	if (policy_tree_disconnect(h->policy, req.session_id,
				   req.connect_id)) {
		pr_debug("tree disconnect: session %llu tree %llu not connected",
			 (unsigned long long)req.session_id,
			 (unsigned long long)req.connect_id);
		return HANDLERS_NO_REPLY;
	}
	note_tree_disconnect(h, msg->peer_id, req.session_id);
	return HANDLERS_NO_REPLY;
}

/*
 * The data path sends LOGOUT when a user's session object goes away; with
 * BAD_PASSWORD it was a failed authentication. Tree connects are released
 * by the TREE_DISCONNECT notices that precede it (the message names no
 * session), and by handlers_peer_gone() if the data path dies.
 */
static int handle_logout(struct handlers *h, const struct handlers_msg *msg,
			 struct handlers_reply *reply)
{
	struct smbd_nl_logout_request req;
	const char *account;
	int rc = smbd_nl_logout_request_decode(msg->data, msg->len, &req);

	if (rc)
		return refuse(reply, wire_strerror(rc));
	if (!str_fits(req.account, sizeof(req.account)))
		return refuse(reply, "account name without NUL");
	account = (const char *)req.account;
	if (!userdb_find(h->db, account)) {
		pr_debug("logout of %s: not in the user database", account);
		return HANDLERS_NO_REPLY;
	}
	if (req.account_flags & SMBD_NL_USER_FLAG_BAD_PASSWORD)
		count_failure(h, account);
	else
		reset_failures(h, account);
	return HANDLERS_NO_REPLY;
}

static int handle_heartbeat(const struct handlers_msg *msg,
			    struct handlers_reply *reply)
{
	struct smbd_nl_heartbeat req;
	int rc = smbd_nl_heartbeat_decode(msg->data, msg->len, &req);

	if (rc)
		return refuse(reply, wire_strerror(rc));
	pr_debug("heartbeat %u", (unsigned int)req.handle);
	return HANDLERS_NO_REPLY;
}

/* ---------------------------------------------------------------------- */
/* RPC_REQUEST: the IPC$ named pipes (rpc.c) */

/* Payloads the data path may forward in one RPC_REQUEST (a pipe write). */
#define RPC_REQUEST_PAYLOAD_MAX	65536
/* rpc_command before its payload: a reply's payload is the rest of a message */
#define RPC_COMMAND_FIXED	12

static unsigned int rpc_share_users(const void *priv, const char *share)
{
	return handlers_share_connections(priv, share);
}

static int handle_rpc(struct handlers *h, TALLOC_CTX *mem,
		      const struct handlers_msg *msg,
		      struct handlers_reply *reply)
{
	struct smbd_nl_rpc_command req, rsp;
	struct rpc_env env = {
		.cfg = h->cfg, .db = h->db,
		.share_users = rpc_share_users, .priv = h,
	};
	uint8_t *out = NULL;
	uint32_t out_len = 0;
	int rc = smbd_nl_rpc_command_decode(msg->data, msg->len, &req);

	if (rc)
		return refuse(reply, wire_strerror(rc));
	if (req.payload_sz > RPC_REQUEST_PAYLOAD_MAX)
		return refuse(reply, "RPC payload larger than 64 KiB");
	memset(&rsp, 0, sizeof(rsp));
	rsp.handle = req.handle;
	if (!h->rpc)
		h->rpc = rpc_server_new(h);
	if (!h->rpc)
		rsp.flags = SMBD_NL_RPC_ENOMEM;
	else
		rsp.flags = rpc_server_command(h->rpc, &env, msg->peer_id,
					       req.handle, req.flags,
					       req.payload.p, req.payload.len,
					       SMBD_NL_DAEMON_MSG_MAX -
					       RPC_COMMAND_FIXED,
					       mem, &out, &out_len);
	rsp.payload.p = out;
	rsp.payload.len = out_len;
	rc = encode_rpc_command(mem, reply, SMBD_NL_EVENT_RPC_RESPONSE, &rsp);
	talloc_free(out);
	return rc;
}

/* ---------------------------------------------------------------------- */
/* not implemented yet: answered, so that the data path does not wait */

static int handle_spnego(TALLOC_CTX *mem, const struct handlers_msg *msg,
			 struct handlers_reply *reply)
{
	struct smbd_nl_spnego_authen_request req;
	struct smbd_nl_spnego_authen_response rsp;
	int rc = smbd_nl_spnego_authen_request_decode(msg->data, msg->len,
						      &req);

	if (rc)
		return refuse(reply, wire_strerror(rc));
	if (req.spnego_blob_len > SMBD_NL_KERNEL_PAYLOAD_MAX)
		return refuse(reply, "SPNEGO blob larger than 4096 bytes");
	/* no OK bit: the session setup fails instead of timing out */
	pr_info("Kerberos session setup refused: Kerberos is not supported yet");
	memset(&rsp, 0, sizeof(rsp));
	rsp.handle = req.handle;
	rsp.login_response.handle = req.handle;
	return encode_spnego_authen_response(mem, reply,
					     SMBD_NL_EVENT_SPNEGO_AUTHEN_RESPONSE,
					     &rsp);
}

/* ---------------------------------------------------------------------- */

int handlers_dispatch(struct handlers *h, TALLOC_CTX *mem_ctx,
		      const struct handlers_msg *msg,
		      struct handlers_reply *reply)
{
	memset(reply, 0, sizeof(*reply));
	if (!msg->data && msg->len)
		return refuse(reply, "no data");
	switch (msg->type) {
	case SMBD_NL_EVENT_HEARTBEAT_REQUEST:
		return handle_heartbeat(msg, reply);
	case SMBD_NL_EVENT_LOGIN_REQUEST:
		return handle_login(h, mem_ctx, msg, reply);
	case SMBD_NL_EVENT_LOGIN_REQUEST_EXT:
		return handle_login_ext(h, mem_ctx, msg, reply);
	case SMBD_NL_EVENT_SHARE_CONFIG_REQUEST:
		return handle_share_config(h, mem_ctx, msg, reply);
	case SMBD_NL_EVENT_TREE_CONNECT_REQUEST:
		return handle_tree_connect(h, mem_ctx, msg, reply);
	case SMBD_NL_EVENT_TREE_DISCONNECT_REQUEST:
		return handle_tree_disconnect(h, msg, reply);
	case SMBD_NL_EVENT_LOGOUT_REQUEST:
		return handle_logout(h, msg, reply);
	case SMBD_NL_EVENT_RPC_REQUEST:
		return handle_rpc(h, mem_ctx, msg, reply);
	case SMBD_NL_EVENT_SPNEGO_AUTHEN_REQUEST:
		return handle_spnego(mem_ctx, msg, reply);
	default:
		return refuse(reply, "not a request the daemon serves");
	}
}
