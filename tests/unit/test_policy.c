// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tree-connect decision table: one case per rule of netlink-abi.md
 * flow 5 and one per ordering interaction between rules, then the share
 * connection counter and max active sessions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "policy.h"

/* -- fixture ------------------------------------------------------------- */

static const char *const alice_groups[] = { "staff", "Users" };
static const struct policy_identity alice = {
	.name = "alice", .groups = alice_groups, .ngroups = 2,
};
static const struct policy_identity bob = { .name = "bob" };
static const char *const nobody_groups[] = { "nogroup" };
static const struct policy_identity nobody = {
	.name = "nobody", .groups = nobody_groups, .ngroups = 1,
};

/* One test case's world; reset by setup() before every test. */
struct world {
	void *ctx;
	struct policy_state *state;
	struct policy_global global;
	struct policy_share share;
	struct policy_share ipc;
	struct policy_request req;
	struct policy_result res;
};

static int setup(void **state)
{
	struct world *w = calloc(1, sizeof(*w));

	assert_non_null(w);
	w->ctx = talloc_new(NULL);
	w->state = policy_state_new(w->ctx);
	assert_non_null(w->state);

	w->global.map_to_guest = POLICY_MAP_TO_GUEST_BAD_USER;
	w->global.max_active_sessions = 1024;

	w->share.name = "data";
	w->share.read_only = true;		/* the ksmbd.conf default */
	w->share.max_connections = 128;

	w->ipc.name = "IPC$";
	w->ipc.is_pipe = true;
	w->ipc.read_only = true;

	w->req.session_id = 1;
	w->req.connect_id = 1;
	w->req.peer_addr = "192.168.1.10";
	w->req.user = &alice;
	w->req.guest = &nobody;
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;

	talloc_free(w->ctx);
	free(w);
	return 0;
}

static struct policy_user_list list_of(void *ctx, const char *csv)
{
	struct policy_user_list l = { 0 };
	char *copy = talloc_strdup(ctx, csv), *tok, *save = NULL;
	const char **v = NULL;

	for (tok = strtok_r(copy, ", ", &save); tok;
	     tok = strtok_r(NULL, ", ", &save)) {
		v = talloc_realloc(ctx, v, const char *, l.count + 1);
		v[l.count++] = tok;
	}
	l.entries = v;
	return l;
}

static const struct hosts_list *hosts(void *ctx, const char *value)
{
	const struct hosts_list *l = hosts_list_parse(ctx, value, NULL, NULL);

	assert_non_null(l);
	return l;
}

static uint16_t decide_share(struct world *w, const struct policy_share *s)
{
	memset(&w->res, 0xa5, sizeof(w->res));
	policy_decide(w->state, &w->global, s, &w->req, &w->res);
	assert_non_null(w->res.reason);
	if (w->res.status != POLICY_STATUS_OK)
		assert_int_equal(w->res.connection_flags, 0);
	return w->res.status;
}

static uint16_t decide(struct world *w)
{
	return decide_share(w, &w->share);
}

static uint16_t connect_tree(struct world *w, const struct policy_share *s,
			     uint64_t session, uint64_t tree)
{
	w->req.session_id = session;
	w->req.connect_id = tree;
	return policy_tree_connect(w->state, &w->global, s, &w->req, &w->res);
}

#define assert_status(w, expect)					\
	do {								\
		uint16_t got__ = decide(w);				\
		if (got__ != (expect))					\
			fail_msg("status %s (%s), expected %s",		\
				 policy_status_name(got__),		\
				 (w)->res.reason,			\
				 policy_status_name(expect));		\
	} while (0)

#define assert_ok_flags(w, flags)					\
	do {								\
		assert_status(w, POLICY_STATUS_OK);			\
		assert_int_equal((w)->res.connection_flags, (flags));	\
	} while (0)

/* -- one case per rule ----------------------------------------------------- */

static void test_baseline_read_only_share(void **state)
{
	struct world *w = *state;

	assert_ok_flags(w, POLICY_CONN_READ_ONLY);
	assert_string_equal(w->res.reason, "ok");
}

static void test_baseline_writable_share(void **state)
{
	struct world *w = *state;

	w->share.read_only = false;
	assert_ok_flags(w, POLICY_CONN_WRITABLE);
}

static void test_rule1_no_share(void **state)
{
	struct world *w = *state;

	assert_int_equal(decide_share(w, NULL), POLICY_STATUS_NO_SHARE);
}

static void test_rule2_max_connections(void **state)
{
	struct world *w = *state;

	w->share.max_connections = 2;
	assert_int_equal(connect_tree(w, &w->share, 1, 1), POLICY_STATUS_OK);
	assert_int_equal(connect_tree(w, &w->share, 2, 1), POLICY_STATUS_OK);
	assert_int_equal(connect_tree(w, &w->share, 3, 1),
			 POLICY_STATUS_TOO_MANY_CONNS);
	assert_int_equal(policy_share_connections(w->state, "data"), 2);
	/* a release makes room again */
	assert_int_equal(policy_tree_disconnect(w->state, 2, 1), 0);
	assert_int_equal(connect_tree(w, &w->share, 3, 1), POLICY_STATUS_OK);
	/* 0 means no limit */
	w->share.max_connections = 0;
	assert_int_equal(connect_tree(w, &w->share, 4, 1), POLICY_STATUS_OK);
	assert_int_equal(policy_share_connections(w->state, "data"), 3);
}

static void test_rule3_share_hosts_deny(void **state)
{
	struct world *w = *state;

	w->share.hosts_deny = hosts(w->ctx, "192.168.1.0/24");
	assert_status(w, POLICY_STATUS_HOST_DENIED);
	w->req.peer_addr = "192.168.2.10";
	assert_status(w, POLICY_STATUS_OK);
}

static void test_rule3_share_hosts_allow(void **state)
{
	struct world *w = *state;

	w->share.hosts_allow = hosts(w->ctx, "10.0.0.0/8 fe80::/10");
	assert_status(w, POLICY_STATUS_HOST_DENIED);
	w->req.peer_addr = "::ffff:10.2.3.4";
	assert_status(w, POLICY_STATUS_OK);
	w->req.peer_addr = "fe80::99";
	assert_status(w, POLICY_STATUS_OK);
	w->req.peer_addr = "2001:db8::1";
	assert_status(w, POLICY_STATUS_HOST_DENIED);
}

static void test_rule3_global_hosts(void **state)
{
	struct world *w = *state;

	/* [global] applies to every share, whatever the share says */
	w->global.hosts_deny = hosts(w->ctx, "192.168.");
	w->share.hosts_allow = hosts(w->ctx, "192.168.1.10");
	assert_status(w, POLICY_STATUS_HOST_DENIED);
	assert_int_equal(decide_share(w, &w->ipc), POLICY_STATUS_HOST_DENIED);
	w->global.hosts_deny = NULL;
	assert_status(w, POLICY_STATUS_OK);
}

static void test_rule3_host_names(void **state)
{
	struct world *w = *state;

	w->share.hosts_allow = hosts(w->ctx, ".corp.example");
	w->req.peer_name = "ws7.corp.example";
	assert_status(w, POLICY_STATUS_OK);
	w->req.peer_name = NULL;
	assert_status(w, POLICY_STATUS_HOST_DENIED);
}

static void test_rule3_bad_peer_address(void **state)
{
	struct world *w = *state;

	w->req.peer_addr = "garbage";
	assert_status(w, POLICY_STATUS_OK);	/* no lists: nothing to check */
	w->share.hosts_deny = hosts(w->ctx, "10.9.9.9");
	assert_status(w, POLICY_STATUS_HOST_DENIED);
	w->req.peer_addr = NULL;
	assert_status(w, POLICY_STATUS_HOST_DENIED);
}

static void test_rule4_restrict_anonymous_ipc(void **state)
{
	struct world *w = *state;

	w->req.account_flags = POLICY_USER_GUEST_ACCOUNT;
	/* 0: guests may use IPC$ */
	assert_int_equal(decide_share(w, &w->ipc), POLICY_STATUS_OK);
	assert_int_equal(w->res.connection_flags,
			 POLICY_CONN_GUEST_ACCOUNT | POLICY_CONN_READ_ONLY);
	w->global.restrict_anonymous = 1;
	assert_int_equal(decide_share(w, &w->ipc), POLICY_STATUS_ERROR);
	w->global.restrict_anonymous = 2;
	assert_int_equal(decide_share(w, &w->ipc), POLICY_STATUS_ERROR);
	/* even an IPC$ marked guest ok */
	w->ipc.guest_ok = true;
	assert_int_equal(decide_share(w, &w->ipc), POLICY_STATUS_ERROR);
	/* a real user is not affected */
	w->req.account_flags = 0;
	assert_int_equal(decide_share(w, &w->ipc), POLICY_STATUS_OK);
}

static void test_rule4_restrict_anonymous_disk(void **state)
{
	struct world *w = *state;

	w->req.account_flags = POLICY_USER_GUEST_ACCOUNT;
	w->global.restrict_anonymous = 2;
	assert_status(w, POLICY_STATUS_ERROR);
	assert_non_null(strstr(w->res.reason, "restrict anonymous"));
	/* a guest ok share still takes guests */
	w->share.guest_ok = true;
	assert_ok_flags(w, POLICY_CONN_GUEST_ACCOUNT | POLICY_CONN_READ_ONLY);
	w->global.restrict_anonymous = 1;
	assert_ok_flags(w, POLICY_CONN_GUEST_ACCOUNT | POLICY_CONN_READ_ONLY);
}

static void test_rule5_guest_ok(void **state)
{
	struct world *w = *state;

	w->req.account_flags = POLICY_USER_GUEST_ACCOUNT;
	assert_status(w, POLICY_STATUS_ERROR);
	assert_non_null(strstr(w->res.reason, "guest ok"));
	w->share.guest_ok = true;
	w->share.read_only = false;
	assert_ok_flags(w, POLICY_CONN_GUEST_ACCOUNT | POLICY_CONN_WRITABLE);
}

static void test_rule6_bad_password_map_never(void **state)
{
	struct world *w = *state;

	w->req.account_flags = POLICY_USER_BAD_PASSWORD;
	w->global.map_to_guest = POLICY_MAP_TO_GUEST_NEVER;
	assert_status(w, POLICY_STATUS_INVALID_USER);
	w->global.map_to_guest = POLICY_MAP_TO_GUEST_BAD_USER;
	assert_status(w, POLICY_STATUS_OK);
}

static void test_rule6_guest_mapping(void **state)
{
	struct world *w = *state;

	/* the guest session runs as the guest account: lists see "nobody" */
	w->req.account_flags = POLICY_USER_GUEST_ACCOUNT;
	w->share.guest_ok = true;
	w->share.valid_users = list_of(w->ctx, "nobody");
	assert_ok_flags(w, POLICY_CONN_GUEST_ACCOUNT | POLICY_CONN_READ_ONLY);
	w->share.valid_users = list_of(w->ctx, "alice");
	assert_status(w, POLICY_STATUS_INVALID_USER);
	/* no guest account configured or known */
	w->share.valid_users = list_of(w->ctx, "");
	w->req.guest = NULL;
	assert_status(w, POLICY_STATUS_NO_USER);
}

static void test_rule6_unknown_user(void **state)
{
	struct world *w = *state;

	w->req.user = NULL;
	assert_status(w, POLICY_STATUS_NO_USER);
}

static void test_rule6_guest_only(void **state)
{
	struct world *w = *state;

	/* guest only without guest ok: no effect (smb.conf(5)) */
	w->share.guest_only = true;
	assert_ok_flags(w, POLICY_CONN_READ_ONLY);
	/* with guest ok: everyone is the guest */
	w->share.guest_ok = true;
	assert_ok_flags(w, POLICY_CONN_GUEST_ACCOUNT | POLICY_CONN_READ_ONLY);
	w->share.invalid_users = list_of(w->ctx, "@nogroup");
	assert_status(w, POLICY_STATUS_INVALID_USER);
}

static void test_rule7_admin_users(void **state)
{
	struct world *w = *state;

	w->share.admin_users = list_of(w->ctx, "alice");
	/* admin does not imply write: the share stays read only */
	assert_ok_flags(w, POLICY_CONN_ADMIN_ACCOUNT | POLICY_CONN_READ_ONLY);
	w->share.read_only = false;
	assert_ok_flags(w, POLICY_CONN_ADMIN_ACCOUNT | POLICY_CONN_WRITABLE);
	w->req.user = &bob;
	assert_ok_flags(w, POLICY_CONN_WRITABLE);
}

static void test_rule7_admin_by_group(void **state)
{
	struct world *w = *state;

	w->share.admin_users = list_of(w->ctx, "@STAFF");
	assert_ok_flags(w, POLICY_CONN_ADMIN_ACCOUNT | POLICY_CONN_READ_ONLY);
}

static void test_rule8_invalid_users(void **state)
{
	struct world *w = *state;

	w->share.invalid_users = list_of(w->ctx, "mallory, alice");
	assert_status(w, POLICY_STATUS_INVALID_USER);
	w->req.user = &bob;
	assert_status(w, POLICY_STATUS_OK);
}

static void test_rule8_invalid_users_group_and_case(void **state)
{
	struct world *w = *state;

	w->share.invalid_users = list_of(w->ctx, "+users");
	assert_status(w, POLICY_STATUS_INVALID_USER);
	w->share.invalid_users = list_of(w->ctx, "ALICE");
	assert_status(w, POLICY_STATUS_INVALID_USER);
	/* netgroups and a bare "@" match nothing */
	w->share.invalid_users = list_of(w->ctx, "&staff @");
	assert_status(w, POLICY_STATUS_OK);
}

static void test_rule9_read_list(void **state)
{
	struct world *w = *state;

	w->share.read_only = false;
	w->share.read_list = list_of(w->ctx, "alice");
	assert_ok_flags(w, POLICY_CONN_READ_ONLY);
	w->req.user = &bob;
	assert_ok_flags(w, POLICY_CONN_WRITABLE);
}

static void test_rule10_write_list(void **state)
{
	struct world *w = *state;

	w->share.write_list = list_of(w->ctx, "@staff");
	assert_ok_flags(w, POLICY_CONN_WRITABLE);
	w->req.user = &bob;
	assert_ok_flags(w, POLICY_CONN_READ_ONLY);
}

static void test_rule11_valid_users(void **state)
{
	struct world *w = *state;

	w->share.valid_users = list_of(w->ctx, "bob");
	assert_status(w, POLICY_STATUS_INVALID_USER);
	w->share.valid_users = list_of(w->ctx, "bob, @staff");
	assert_status(w, POLICY_STATUS_OK);
	w->share.valid_users = list_of(w->ctx, "Alice");
	assert_status(w, POLICY_STATUS_OK);
	w->share.valid_users = list_of(w->ctx, "");	/* unset: anyone */
	assert_status(w, POLICY_STATUS_OK);
}

/*
 * A guest (or anonymous) session on a guest ok share meets the lists as
 * the guest account, groups included: "@nogroup" lets it in, the name
 * the client typed does not.
 */
static void test_rule11_valid_users_guest_by_group(void **state)
{
	struct world *w = *state;

	w->share.guest_ok = true;
	w->req.account_flags = POLICY_USER_GUEST_ACCOUNT;
	w->share.valid_users = list_of(w->ctx, "alice");
	assert_status(w, POLICY_STATUS_INVALID_USER);
	w->share.valid_users = list_of(w->ctx, "@NoGroup");
	assert_ok_flags(w, POLICY_CONN_GUEST_ACCOUNT | POLICY_CONN_READ_ONLY);
	w->share.write_list = list_of(w->ctx, "+nogroup");
	assert_ok_flags(w, POLICY_CONN_GUEST_ACCOUNT | POLICY_CONN_WRITABLE);
}

static void test_update_flag(void **state)
{
	struct world *w = *state;

	w->share.changed = true;
	assert_ok_flags(w, POLICY_CONN_UPDATE | POLICY_CONN_READ_ONLY);
	w->share.invalid_users = list_of(w->ctx, "alice");
	assert_status(w, POLICY_STATUS_INVALID_USER);	/* flags cleared */
}

/* -- ordering interactions -------------------------------------------------- */

static void test_order_sessions_before_share(void **state)
{
	struct world *w = *state;

	w->global.max_active_sessions = 1;
	assert_int_equal(connect_tree(w, &w->share, 1, 1), POLICY_STATUS_OK);
	w->req.session_id = 2;
	assert_int_equal(decide_share(w, NULL),
			 POLICY_STATUS_TOO_MANY_SESSIONS);
}

static void test_order_share_before_hosts(void **state)
{
	struct world *w = *state;

	w->global.hosts_deny = hosts(w->ctx, "ALL");
	assert_int_equal(decide_share(w, NULL), POLICY_STATUS_NO_SHARE);
}

static void test_order_connections_before_hosts(void **state)
{
	struct world *w = *state;

	w->share.max_connections = 1;
	assert_int_equal(connect_tree(w, &w->share, 1, 1), POLICY_STATUS_OK);
	w->share.hosts_deny = hosts(w->ctx, "ALL");
	w->req.session_id = 2;
	assert_status(w, POLICY_STATUS_TOO_MANY_CONNS);
}

static void test_order_hosts_deny_beats_valid_users(void **state)
{
	struct world *w = *state;

	w->share.valid_users = list_of(w->ctx, "alice");
	w->share.admin_users = list_of(w->ctx, "alice");
	w->share.write_list = list_of(w->ctx, "alice");
	w->share.hosts_deny = hosts(w->ctx, "192.168.1.10");
	assert_status(w, POLICY_STATUS_HOST_DENIED);
}

static void test_order_hosts_before_restrict_anonymous(void **state)
{
	struct world *w = *state;

	w->req.account_flags = POLICY_USER_GUEST_ACCOUNT;
	w->global.restrict_anonymous = 2;
	w->share.hosts_deny = hosts(w->ctx, "192.168.1.0/24");
	assert_status(w, POLICY_STATUS_HOST_DENIED);
}

static void test_order_restrict_before_guest_ok(void **state)
{
	struct world *w = *state;

	w->req.account_flags = POLICY_USER_GUEST_ACCOUNT;
	w->global.restrict_anonymous = 1;
	assert_status(w, POLICY_STATUS_ERROR);
	assert_non_null(strstr(w->res.reason, "restrict anonymous"));
}

static void test_order_guest_ok_before_mapping(void **state)
{
	struct world *w = *state;

	/* refused for the share, not for the missing guest account */
	w->req.account_flags = POLICY_USER_GUEST_ACCOUNT;
	w->req.guest = NULL;
	assert_status(w, POLICY_STATUS_ERROR);
}

static void test_order_mapping_before_lists(void **state)
{
	struct world *w = *state;

	w->req.account_flags = POLICY_USER_BAD_PASSWORD;
	w->global.map_to_guest = POLICY_MAP_TO_GUEST_NEVER;
	w->share.admin_users = list_of(w->ctx, "alice");
	w->share.valid_users = list_of(w->ctx, "alice");
	assert_status(w, POLICY_STATUS_INVALID_USER);
	assert_non_null(strstr(w->res.reason, "map to guest"));
}

static void test_order_admin_and_invalid_refused(void **state)
{
	struct world *w = *state;

	w->share.admin_users = list_of(w->ctx, "alice");
	w->share.invalid_users = list_of(w->ctx, "alice");
	assert_status(w, POLICY_STATUS_INVALID_USER);
}

static void test_order_admin_not_in_valid_users(void **state)
{
	struct world *w = *state;

	w->share.admin_users = list_of(w->ctx, "alice");
	w->share.valid_users = list_of(w->ctx, "bob");
	assert_status(w, POLICY_STATUS_INVALID_USER);
}

static void test_order_invalid_beats_valid(void **state)
{
	struct world *w = *state;

	w->share.valid_users = list_of(w->ctx, "alice");
	w->share.invalid_users = list_of(w->ctx, "@staff");
	assert_status(w, POLICY_STATUS_INVALID_USER);
}

static void test_order_invalid_beats_write_list(void **state)
{
	struct world *w = *state;

	w->share.write_list = list_of(w->ctx, "alice");
	w->share.invalid_users = list_of(w->ctx, "alice");
	assert_status(w, POLICY_STATUS_INVALID_USER);
}

static void test_order_read_list_beats_writable_share(void **state)
{
	struct world *w = *state;

	w->share.read_only = false;
	w->share.read_list = list_of(w->ctx, "@users");
	assert_ok_flags(w, POLICY_CONN_READ_ONLY);
}

static void test_order_write_list_beats_read_only_share(void **state)
{
	struct world *w = *state;

	w->share.read_only = true;
	w->share.write_list = list_of(w->ctx, "alice");
	assert_ok_flags(w, POLICY_CONN_WRITABLE);
}

static void test_order_write_list_beats_read_list(void **state)
{
	struct world *w = *state;

	/* smb.conf(5): in both lists -> write access */
	w->share.read_list = list_of(w->ctx, "alice");
	w->share.write_list = list_of(w->ctx, "@staff");
	assert_ok_flags(w, POLICY_CONN_WRITABLE);
	w->share.read_only = false;
	assert_ok_flags(w, POLICY_CONN_WRITABLE);
}

static void test_order_lists_do_not_bypass_valid_users(void **state)
{
	struct world *w = *state;

	w->share.valid_users = list_of(w->ctx, "bob");
	w->share.write_list = list_of(w->ctx, "alice");
	assert_status(w, POLICY_STATUS_INVALID_USER);
	w->share.write_list = list_of(w->ctx, "");
	w->share.read_list = list_of(w->ctx, "alice");
	assert_status(w, POLICY_STATUS_INVALID_USER);
}

static void test_order_guest_restrict2_non_guest_share(void **state)
{
	struct world *w = *state;

	/* a non-guest login is unaffected by restrict anonymous 2 */
	w->global.restrict_anonymous = 2;
	assert_status(w, POLICY_STATUS_OK);
	w->req.account_flags = POLICY_USER_GUEST_ACCOUNT;
	assert_status(w, POLICY_STATUS_ERROR);
}

/* -- counters ------------------------------------------------------------ */

static void test_counter_acquire_release(void **state)
{
	struct world *w = *state;

	assert_int_equal(policy_share_connections(w->state, "data"), 0);
	assert_int_equal(connect_tree(w, &w->share, 1, 1), POLICY_STATUS_OK);
	assert_int_equal(connect_tree(w, &w->share, 1, 2), POLICY_STATUS_OK);
	assert_int_equal(connect_tree(w, &w->ipc, 1, 3), POLICY_STATUS_OK);
	assert_int_equal(policy_share_connections(w->state, "DATA"), 2);
	assert_int_equal(policy_share_connections(w->state, "ipc$"), 1);
	assert_int_equal(policy_active_sessions(w->state), 1);

	assert_int_equal(policy_tree_disconnect(w->state, 1, 2), 0);
	assert_int_equal(policy_share_connections(w->state, "data"), 1);
	/* the same tree twice, an unknown tree, an unknown session */
	assert_int_equal(policy_tree_disconnect(w->state, 1, 2), -1);
	assert_int_equal(policy_tree_disconnect(w->state, 1, 99), -1);
	assert_int_equal(policy_tree_disconnect(w->state, 77, 1), -1);
	assert_int_equal(policy_share_connections(w->state, "data"), 1);

	assert_int_equal(policy_tree_disconnect(w->state, 1, 1), 0);
	assert_int_equal(policy_tree_disconnect(w->state, 1, 3), 0);
	assert_int_equal(policy_share_connections(w->state, "data"), 0);
	assert_int_equal(policy_share_connections(w->state, "IPC$"), 0);
	/* last tree gone: the session is no longer active */
	assert_int_equal(policy_active_sessions(w->state), 0);
	assert_int_equal(policy_tree_disconnect(w->state, 1, 1), -1);
	assert_int_equal(policy_share_connections(w->state, "data"), 0);
}

static void test_counter_refused_connect_takes_nothing(void **state)
{
	struct world *w = *state;

	w->share.invalid_users = list_of(w->ctx, "alice");
	assert_int_equal(connect_tree(w, &w->share, 1, 1),
			 POLICY_STATUS_INVALID_USER);
	assert_int_equal(policy_share_connections(w->state, "data"), 0);
	assert_int_equal(policy_active_sessions(w->state), 0);
	/* policy_decide alone never counts */
	assert_status(w, POLICY_STATUS_INVALID_USER);
	w->share.invalid_users = list_of(w->ctx, "");
	assert_status(w, POLICY_STATUS_OK);
	assert_int_equal(policy_share_connections(w->state, "data"), 0);
}

static void test_counter_logout_releases_all(void **state)
{
	struct world *w = *state;

	assert_int_equal(connect_tree(w, &w->share, 5, 1), POLICY_STATUS_OK);
	assert_int_equal(connect_tree(w, &w->share, 5, 2), POLICY_STATUS_OK);
	assert_int_equal(connect_tree(w, &w->share, 6, 1), POLICY_STATUS_OK);
	assert_int_equal(policy_session_logout(w->state, 5), 2);
	assert_int_equal(policy_share_connections(w->state, "data"), 1);
	assert_int_equal(policy_active_sessions(w->state), 1);
	assert_int_equal(policy_session_logout(w->state, 5), 0);
	assert_int_equal(policy_tree_disconnect(w->state, 5, 1), -1);
	assert_int_equal(policy_share_connections(w->state, "data"), 1);
	assert_int_equal(policy_session_logout(w->state, 6), 1);
	assert_int_equal(policy_share_connections(w->state, "data"), 0);
}

static void test_counter_conn_exist(void **state)
{
	struct world *w = *state;

	assert_int_equal(connect_tree(w, &w->share, 1, 1), POLICY_STATUS_OK);
	assert_int_equal(connect_tree(w, &w->share, 1, 1),
			 POLICY_STATUS_CONN_EXIST);
	assert_int_equal(policy_share_connections(w->state, "data"), 1);
	/* the same connect id in another session is another tree */
	assert_int_equal(connect_tree(w, &w->share, 2, 1), POLICY_STATUS_OK);
}

static void test_max_active_sessions(void **state)
{
	struct world *w = *state;

	w->global.max_active_sessions = 2;
	assert_int_equal(connect_tree(w, &w->share, 1, 1), POLICY_STATUS_OK);
	assert_int_equal(connect_tree(w, &w->share, 2, 1), POLICY_STATUS_OK);
	assert_int_equal(connect_tree(w, &w->share, 3, 1),
			 POLICY_STATUS_TOO_MANY_SESSIONS);
	/* an active session may open more trees */
	assert_int_equal(connect_tree(w, &w->ipc, 2, 2), POLICY_STATUS_OK);
	assert_int_equal(policy_active_sessions(w->state), 2);
	assert_int_equal(policy_session_logout(w->state, 1), 1);
	assert_int_equal(connect_tree(w, &w->share, 3, 1), POLICY_STATUS_OK);
	/* 0 means no limit */
	w->global.max_active_sessions = 0;
	assert_int_equal(connect_tree(w, &w->share, 4, 1), POLICY_STATUS_OK);
	assert_int_equal(policy_active_sessions(w->state), 3);
}

static void test_no_state_and_no_global(void **state)
{
	struct world *w = *state;

	/* no counters: limits are not enforced, nothing crashes */
	policy_decide(NULL, NULL, &w->share, &w->req, &w->res);
	assert_int_equal(w->res.status, POLICY_STATUS_OK);
	assert_int_equal(policy_tree_connect(NULL, NULL, &w->share, &w->req,
					     &w->res), POLICY_STATUS_OK);
	assert_int_equal(policy_tree_disconnect(NULL, 1, 1), -1);
	assert_int_equal(policy_session_logout(NULL, 1), 0);
	assert_int_equal(policy_share_connections(NULL, "data"), 0);
	assert_int_equal(policy_active_sessions(NULL), 0);
	/* NULL global is map to guest = never */
	w->req.account_flags = POLICY_USER_BAD_PASSWORD;
	policy_decide(w->state, NULL, &w->share, &w->req, &w->res);
	assert_int_equal(w->res.status, POLICY_STATUS_INVALID_USER);
}

static void test_status_names(void **state)
{
	(void)state;
	assert_string_equal(policy_status_name(POLICY_STATUS_OK), "OK");
	assert_string_equal(policy_status_name(5), "HOST_DENIED");
	assert_string_equal(policy_status_name(9), "ERROR");
	assert_string_equal(policy_status_name(10), "UNKNOWN");
	assert_string_equal(policy_status_name(0xffff), "UNKNOWN");
}

/* The wire values are fixed by netlink-abi.md. */
static void test_wire_values(void **state)
{
	(void)state;
	assert_int_equal(POLICY_STATUS_NO_SHARE, 2);
	assert_int_equal(POLICY_STATUS_NO_USER, 3);
	assert_int_equal(POLICY_STATUS_INVALID_USER, 4);
	assert_int_equal(POLICY_STATUS_HOST_DENIED, 5);
	assert_int_equal(POLICY_STATUS_CONN_EXIST, 6);
	assert_int_equal(POLICY_STATUS_TOO_MANY_CONNS, 7);
	assert_int_equal(POLICY_STATUS_TOO_MANY_SESSIONS, 8);
	assert_int_equal(POLICY_CONN_GUEST_ACCOUNT, 1 << 0);
	assert_int_equal(POLICY_CONN_READ_ONLY, 1 << 1);
	assert_int_equal(POLICY_CONN_WRITABLE, 1 << 2);
	assert_int_equal(POLICY_CONN_ADMIN_ACCOUNT, 1 << 3);
	assert_int_equal(POLICY_CONN_UPDATE, 1 << 4);
	assert_int_equal(POLICY_USER_BAD_PASSWORD, 1 << 1);
	assert_int_equal(POLICY_USER_GUEST_ACCOUNT, 1 << 4);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_baseline_read_only_share),
		T(test_baseline_writable_share),
		T(test_rule1_no_share),
		T(test_rule2_max_connections),
		T(test_rule3_share_hosts_deny),
		T(test_rule3_share_hosts_allow),
		T(test_rule3_global_hosts),
		T(test_rule3_host_names),
		T(test_rule3_bad_peer_address),
		T(test_rule4_restrict_anonymous_ipc),
		T(test_rule4_restrict_anonymous_disk),
		T(test_rule5_guest_ok),
		T(test_rule6_bad_password_map_never),
		T(test_rule6_guest_mapping),
		T(test_rule6_unknown_user),
		T(test_rule6_guest_only),
		T(test_rule7_admin_users),
		T(test_rule7_admin_by_group),
		T(test_rule8_invalid_users),
		T(test_rule8_invalid_users_group_and_case),
		T(test_rule9_read_list),
		T(test_rule10_write_list),
		T(test_rule11_valid_users),
		T(test_rule11_valid_users_guest_by_group),
		T(test_update_flag),
		T(test_order_sessions_before_share),
		T(test_order_share_before_hosts),
		T(test_order_connections_before_hosts),
		T(test_order_hosts_deny_beats_valid_users),
		T(test_order_hosts_before_restrict_anonymous),
		T(test_order_restrict_before_guest_ok),
		T(test_order_guest_ok_before_mapping),
		T(test_order_mapping_before_lists),
		T(test_order_admin_and_invalid_refused),
		T(test_order_admin_not_in_valid_users),
		T(test_order_invalid_beats_valid),
		T(test_order_invalid_beats_write_list),
		T(test_order_read_list_beats_writable_share),
		T(test_order_write_list_beats_read_only_share),
		T(test_order_write_list_beats_read_list),
		T(test_order_lists_do_not_bypass_valid_users),
		T(test_order_guest_restrict2_non_guest_share),
		T(test_counter_acquire_release),
		T(test_counter_refused_connect_takes_nothing),
		T(test_counter_logout_releases_all),
		T(test_counter_conn_exist),
		T(test_max_active_sessions),
		T(test_no_state_and_no_global),
		T(test_status_names),
		T(test_wire_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
