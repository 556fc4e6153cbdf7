// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tree-connect decision and its counters. The order of the checks and
 * the reasons for it are in policy.h.
 */

#include <string.h>
#include <strings.h>

#include "policy.h"

/* How many tree connects one share has; kept across config reloads. */
struct share_count {
	struct share_count *next;
	char *name;
	unsigned int count;
};

struct tree_rec {
	struct tree_rec *next;
	uint64_t connect_id;
	struct share_count *share;
};

/* A session is active while it holds at least one tree connect. */
struct session_rec {
	struct session_rec *next;
	uint64_t id;
	struct tree_rec *trees;
};

struct policy_state {
	struct share_count *shares;
	struct session_rec *sessions;
	unsigned int nsessions;
};

struct policy_state *policy_state_new(TALLOC_CTX *mem_ctx)
{
	return talloc_zero(mem_ctx, struct policy_state);
}

static struct share_count *find_share(const struct policy_state *state,
				      const char *name)
{
	struct share_count *sc;

	for (sc = state->shares; sc; sc = sc->next)
		if (strcasecmp(sc->name, name) == 0)
			return sc;
	return NULL;
}

static struct session_rec *find_session(const struct policy_state *state,
					uint64_t id)
{
	struct session_rec *s;

	for (s = state->sessions; s; s = s->next)
		if (s->id == id)
			return s;
	return NULL;
}

static struct tree_rec *find_tree(const struct session_rec *sess,
				  uint64_t connect_id)
{
	struct tree_rec *t;

	for (t = sess->trees; t; t = t->next)
		if (t->connect_id == connect_id)
			return t;
	return NULL;
}

unsigned int policy_share_connections(const struct policy_state *state,
				      const char *share_name)
{
	const struct share_count *sc;

	if (!state || !share_name)
		return 0;
	sc = find_share(state, share_name);
	return sc ? sc->count : 0;
}

unsigned int policy_active_sessions(const struct policy_state *state)
{
	return state ? state->nsessions : 0;
}

static bool in_groups(const char *group, const struct policy_identity *who)
{
	size_t i;

	if (!group[0] || !who->groups)
		return false;
	for (i = 0; i < who->ngroups; i++)
		if (who->groups[i] && strcasecmp(who->groups[i], group) == 0)
			return true;
	return false;
}

bool policy_user_in_list(const struct policy_user_list *list,
			 const struct policy_identity *who)
{
	size_t i;

	if (!list || !list->entries || !who)
		return false;
	for (i = 0; i < list->count; i++) {
		const char *e = list->entries[i];

		if (!e || !e[0])
			continue;
		if (e[0] == '@' || e[0] == '+') {
			if (in_groups(e + 1, who))
				return true;
			continue;
		}
		if (e[0] == '&')	/* NIS netgroups: not supported */
			continue;
		if (who->name && strcasecmp(e, who->name) == 0)
			return true;
	}
	return false;
}

static bool refuse(struct policy_result *res, uint16_t status,
		   const char *reason)
{
	res->status = status;
	res->connection_flags = 0;
	res->reason = reason;
	return false;
}

/* Step 0: capacity for a new session, and no reuse of a live tree id. */
static bool check_session(const struct policy_state *state,
			  const struct policy_global *global,
			  const struct policy_request *req,
			  struct policy_result *res)
{
	const struct session_rec *sess;

	if (!state)
		return true;
	sess = find_session(state, req->session_id);
	if (sess && find_tree(sess, req->connect_id))
		return refuse(res, POLICY_STATUS_CONN_EXIST,
			      "tree connect id already in use");
	if (!sess && global->max_active_sessions &&
	    state->nsessions >= global->max_active_sessions)
		return refuse(res, POLICY_STATUS_TOO_MANY_SESSIONS,
			      "max active sessions reached");
	return true;
}

/* Steps 1 and 2. */
static bool check_share(const struct policy_state *state,
			const struct policy_share *share,
			struct policy_result *res)
{
	if (!share || !share->name)
		return refuse(res, POLICY_STATUS_NO_SHARE, "no such share");
	if (share->max_connections &&
	    policy_share_connections(state, share->name) >=
	    share->max_connections)
		return refuse(res, POLICY_STATUS_TOO_MANY_CONNS,
			      "share max connections reached");
	return true;
}

/* Step 3: [global] applies to every share, then the share's own lists. */
static bool check_hosts(const struct policy_global *global,
			const struct policy_share *share,
			const struct policy_request *req,
			struct policy_result *res)
{
	struct hosts_peer peer;

	hosts_peer_init(&peer, req->peer_addr, req->peer_name);
	if (!hosts_access_allowed(global->hosts_allow, global->hosts_deny,
				  &peer))
		return refuse(res, POLICY_STATUS_HOST_DENIED,
			      "host refused by [global] hosts allow/deny");
	if (!hosts_access_allowed(share->hosts_allow, share->hosts_deny,
				  &peer))
		return refuse(res, POLICY_STATUS_HOST_DENIED,
			      "host refused by the share's hosts allow/deny");
	return true;
}

static bool is_guest_session(const struct policy_request *req)
{
	return req->account_flags & POLICY_USER_GUEST_ACCOUNT;
}

/* Steps 4 and 5. */
static bool check_guest_access(const struct policy_global *global,
			       const struct policy_share *share,
			       const struct policy_request *req,
			       struct policy_result *res)
{
	if (!is_guest_session(req))
		return true;
	if (global->restrict_anonymous >= 1 &&
	    (share->is_pipe || !share->guest_ok))
		return refuse(res, POLICY_STATUS_ERROR,
			      "restrict anonymous refuses guests here");
	/* IPC$ takes guests (unless restricted above): browsing needs it. */
	if (!share->is_pipe && !share->guest_ok)
		return refuse(res, POLICY_STATUS_ERROR,
			      "share is not guest ok");
	return true;
}

/* Step 6: who the tree connect runs as. */
static bool map_identity(const struct policy_global *global,
			 const struct policy_share *share,
			 const struct policy_request *req,
			 const struct policy_identity **who,
			 uint16_t *flags, struct policy_result *res)
{
	bool as_guest;

	if (global->map_to_guest == POLICY_MAP_TO_GUEST_NEVER &&
	    (req->account_flags & POLICY_USER_BAD_PASSWORD))
		return refuse(res, POLICY_STATUS_INVALID_USER,
			      "bad password and map to guest = never");

	/* smb.conf(5): guest only has no effect without guest ok. */
	as_guest = is_guest_session(req) ||
		   (share->guest_only && share->guest_ok);
	if (as_guest) {
		if (!req->guest || !req->guest->name)
			return refuse(res, POLICY_STATUS_NO_USER,
				      "no guest account");
		*who = req->guest;
		*flags |= POLICY_CONN_GUEST_ACCOUNT;
		return true;
	}
	if (!req->user || !req->user->name)
		return refuse(res, POLICY_STATUS_NO_USER, "unknown user");
	*who = req->user;
	return true;
}

static void set_writable(uint16_t *flags, bool writable)
{
	*flags &= (uint16_t)~(POLICY_CONN_READ_ONLY | POLICY_CONN_WRITABLE);
	*flags |= writable ? POLICY_CONN_WRITABLE : POLICY_CONN_READ_ONLY;
}

/* Steps 7 to 11. */
static bool apply_user_lists(const struct policy_share *share,
			     const struct policy_identity *who,
			     uint16_t *flags, struct policy_result *res)
{
	if (policy_user_in_list(&share->admin_users, who))
		*flags |= POLICY_CONN_ADMIN_ACCOUNT;
	if (policy_user_in_list(&share->invalid_users, who))
		return refuse(res, POLICY_STATUS_INVALID_USER,
			      "user is in invalid users");
	if (policy_user_in_list(&share->read_list, who))
		set_writable(flags, false);
	if (policy_user_in_list(&share->write_list, who))
		set_writable(flags, true);
	if (share->valid_users.count &&
	    !policy_user_in_list(&share->valid_users, who))
		return refuse(res, POLICY_STATUS_INVALID_USER,
			      "user is not in valid users");
	return true;
}

void policy_decide(const struct policy_state *state,
		   const struct policy_global *global,
		   const struct policy_share *share,
		   const struct policy_request *req,
		   struct policy_result *res)
{
	static const struct policy_global no_global;
	const struct policy_identity *who = NULL;
	uint16_t flags = 0;

	if (!global)
		global = &no_global;
	if (!check_session(state, global, req, res) ||
	    !check_share(state, share, res) ||
	    !check_hosts(global, share, req, res) ||
	    !check_guest_access(global, share, req, res))
		return;

	set_writable(&flags, !share->read_only);
	if (share->changed)
		flags |= POLICY_CONN_UPDATE;

	if (!map_identity(global, share, req, &who, &flags, res) ||
	    !apply_user_lists(share, who, &flags, res))
		return;

	res->status = POLICY_STATUS_OK;
	res->connection_flags = flags;
	res->reason = "ok";
}

static struct share_count *get_share_count(struct policy_state *state,
					   const char *name)
{
	struct share_count *sc = find_share(state, name);

	if (sc)
		return sc;
	sc = talloc_zero(state, struct share_count);
	if (!sc)
		return NULL;
	sc->name = talloc_strdup(sc, name);
	if (!sc->name) {
		talloc_free(sc);
		return NULL;
	}
	sc->next = state->shares;
	state->shares = sc;
	return sc;
}

static void unlink_session(struct policy_state *state,
			   struct session_rec *sess)
{
	struct session_rec **pp;

	for (pp = &state->sessions; *pp; pp = &(*pp)->next) {
		if (*pp == sess) {
			*pp = sess->next;
			state->nsessions--;
			break;
		}
	}
	talloc_free(sess);
}

static int record_tree(struct policy_state *state,
		       const struct policy_share *share,
		       const struct policy_request *req)
{
	struct session_rec *sess = find_session(state, req->session_id);
	struct share_count *sc = get_share_count(state, share->name);
	struct tree_rec *tree;
	bool new_session = false;

	if (!sc)
		return -1;
	if (!sess) {
		sess = talloc_zero(state, struct session_rec);
		if (!sess)
			return -1;
		sess->id = req->session_id;
		new_session = true;
	}
	tree = talloc_zero(sess, struct tree_rec);
	if (!tree) {
		if (new_session)
			talloc_free(sess);
		return -1;
	}
	tree->connect_id = req->connect_id;
	tree->share = sc;
	tree->next = sess->trees;
	sess->trees = tree;
	sc->count++;
	if (new_session) {
		sess->next = state->sessions;
		state->sessions = sess;
		state->nsessions++;
	}
	return 0;
}

uint16_t policy_tree_connect(struct policy_state *state,
			     const struct policy_global *global,
			     const struct policy_share *share,
			     const struct policy_request *req,
			     struct policy_result *res)
{
	policy_decide(state, global, share, req, res);
	if (res->status != POLICY_STATUS_OK || !state)
		return res->status;
	if (record_tree(state, share, req) != 0)
		refuse(res, POLICY_STATUS_NOMEM, "out of memory");
	return res->status;
}

static void release_tree(struct tree_rec *tree)
{
	if (tree->share->count > 0)
		tree->share->count--;
	talloc_free(tree);
}

int policy_tree_disconnect(struct policy_state *state, uint64_t session_id,
			   uint64_t connect_id)
{
	struct session_rec *sess;
	struct tree_rec **pp;

	if (!state)
		return -1;
	sess = find_session(state, session_id);
	if (!sess)
		return -1;
	for (pp = &sess->trees; *pp; pp = &(*pp)->next) {
		struct tree_rec *tree = *pp;

		if (tree->connect_id != connect_id)
			continue;
		*pp = tree->next;
		release_tree(tree);
		if (!sess->trees)
			unlink_session(state, sess);
		return 0;
	}
	return -1;
}

size_t policy_session_logout(struct policy_state *state, uint64_t session_id)
{
	struct session_rec *sess;
	size_t released = 0;

	if (!state)
		return 0;
	sess = find_session(state, session_id);
	if (!sess)
		return 0;
	while (sess->trees) {
		struct tree_rec *tree = sess->trees;

		sess->trees = tree->next;
		release_tree(tree);
		released++;
	}
	unlink_session(state, sess);
	return released;
}

const char *policy_status_name(uint16_t status)
{
	static const char *const names[] = {
		[POLICY_STATUS_OK] = "OK",
		[POLICY_STATUS_NOMEM] = "NOMEM",
		[POLICY_STATUS_NO_SHARE] = "NO_SHARE",
		[POLICY_STATUS_NO_USER] = "NO_USER",
		[POLICY_STATUS_INVALID_USER] = "INVALID_USER",
		[POLICY_STATUS_HOST_DENIED] = "HOST_DENIED",
		[POLICY_STATUS_CONN_EXIST] = "CONN_EXIST",
		[POLICY_STATUS_TOO_MANY_CONNS] = "TOO_MANY_CONNS",
		[POLICY_STATUS_TOO_MANY_SESSIONS] = "TOO_MANY_SESSIONS",
		[POLICY_STATUS_ERROR] = "ERROR",
	};

	if (status < sizeof(names) / sizeof(names[0]))
		return names[status];
	return "UNKNOWN";
}
