// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The daemon's SMBD_GENL handlers and the IPC message layer: requests are
 * built with the generated encoders, replies are checked byte by byte at
 * the offsets of netlink-abi.md (written out here, not taken from the
 * generated code), and malformed requests must be refused without a reply
 * and without changing any state.
 *
 * Needs the unix accounts "daemon" (uid 1, gid 1) and "nobody" (65534), as
 * on Debian.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "netlink.h"

#include "config.h"
#include "handlers.h"
#include "ipc.h"
#include "log.h"
#include "userdb.h"

static const uint8_t daemon_hash[16] = {
	0x88, 0x46, 0xf7, 0xea, 0xee, 0x8f, 0xb1, 0x17,
	0xad, 0x06, 0xbd, 0xd8, 0x30, 0xb7, 0x58, 0x6c,
};
static const uint8_t alice_hash[16] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
};

#define NOBODY 65534u

static const char base_conf[] =
	"[global]\n"
	"\tserver mode = user\n"
	"\tguest account = nobody\n"
	"\tmap to guest = never\n"
	"[data]\n"
	"\tpath = /srv/data\n"
	"\tread only = no\n"
	"\tveto files = /*.tmp/secret/\n"
	"\thosts deny = 10.0.0.0/8\n"
	"[plain]\n"
	"\tpath = /srv/plain\n"
	"\tinvalid users = alice\n"
	"[one]\n"
	"\tpath = /srv/one\n"
	"\tmax connections = 1\n"
	"[forced]\n"
	"\tpath = /srv/forced\n"
	"\tforce user = daemon\n"
	"[badforce]\n"
	"\tpath = /srv/bad\n"
	"\tforce user = no-such-user-here\n";

struct world {
	TALLOC_CTX *mem;
	struct handlers *h;
	struct handlers_reply reply;
	unsigned int warnings;
};

static void count_warnings(void *priv, int level, const char *msg)
{
	struct world *w = priv;

	(void)msg;
	if (level <= LOG_WARNING)
		w->warnings++;
}

static struct smbd_config *conf_from(const char *text)
{
	struct smbd_config_diag diag = { 0 };
	struct smbd_config *cfg = smbd_config_load_buffer("test.conf", text,
							  strlen(text), &diag);

	assert_non_null(cfg);
	smbd_config_diag_free(&diag);
	return cfg;
}

static struct userdb *users(void)
{
	struct userdb *db = userdb_new(NULL);

	assert_non_null(db);
	assert_int_equal(userdb_add_hash(db, "daemon", daemon_hash), 0);
	assert_int_equal(userdb_add_hash(db, "alice", alice_hash), 0);
	return db;
}

static int setup(void **state)
{
	struct world *w = calloc(1, sizeof(*w));

	if (!w)
		return -1;
	w->mem = talloc_new(NULL);
	log_init("test", LOG_TO_HOOK_ONLY, LOG_DEBUG);
	log_set_hook(count_warnings, w);
	w->h = handlers_new(w->mem, conf_from(base_conf), users());
	if (!w->h)
		return -1;
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;

	log_set_hook(NULL, NULL);
	talloc_free(w->mem);
	free(w);
	return 0;
}

/* -- byte helpers at netlink-abi.md offsets -------------------------------- */

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void assert_zero(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		assert_int_equal(p[i], 0);
}

/* A fixed string field: the text, then NULs to the end of the field. */
static void assert_field_str(const uint8_t *p, size_t size, const char *s)
{
	size_t n = strlen(s);

	assert_true(n < size);
	assert_memory_equal(p, s, n);
	assert_zero(p + n, size - n);
}

/* -- sending requests ---------------------------------------------------- */

/* A fixed string field; the text may fill it entirely (no NUL then). */
static void set_str(s8 *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size);

	memset(dst, 0, size);
	memcpy(dst, src, n);
}

static int dispatch(struct world *w, uint16_t type, const void *buf,
		    size_t len)
{
	struct handlers_msg msg = {
		.type = type, .data = buf, .len = len, .peer_id = 1,
	};

	return handlers_dispatch(w->h, w->mem, &msg, &w->reply);
}

static size_t enc_login(uint8_t *buf, uint32_t handle, const char *account)
{
	struct smbd_nl_login_request req;
	size_t used = 0;

	memset(&req, 0, sizeof(req));
	req.handle = handle;
	set_str(req.account, sizeof(req.account), account);
	assert_int_equal(smbd_nl_login_request_encode(buf, 116, &req, &used), 0);
	assert_int_equal(used, 116);
	return used;
}

static int login(struct world *w, uint32_t handle, const char *account)
{
	uint8_t buf[116];

	return dispatch(w, SMBD_NL_EVENT_LOGIN_REQUEST, buf,
			enc_login(buf, handle, account));
}

static size_t enc_tcon(uint8_t *buf, uint32_t handle, const char *account,
		       const char *share, const char *peer, uint64_t session,
		       uint64_t connect, uint16_t account_flags)
{
	struct smbd_nl_tree_connect_request req;
	size_t used = 0;

	memset(&req, 0, sizeof(req));
	req.handle = handle;
	req.account_flags = account_flags;
	req.flags = SMBD_NL_TREE_CONN_FLAG_REQUEST_SMB2;
	req.session_id = session;
	req.connect_id = connect;
	set_str(req.account, sizeof(req.account), account);
	set_str(req.share, sizeof(req.share), share);
	set_str(req.peer_addr, sizeof(req.peer_addr), peer);
	assert_int_equal(smbd_nl_tree_connect_request_encode(buf, 264, &req,
							     &used), 0);
	assert_int_equal(used, 264);
	return used;
}

/* Tree connect; returns the status and puts the connection flags in *flags. */
static uint16_t tcon(struct world *w, uint32_t handle, const char *account,
		     const char *share, const char *peer, uint64_t session,
		     uint64_t connect, uint16_t *flags)
{
	uint8_t buf[264];

	assert_int_equal(dispatch(w, SMBD_NL_EVENT_TREE_CONNECT_REQUEST, buf,
				  enc_tcon(buf, handle, account, share, peer,
					   session, connect, 0)),
			 HANDLERS_REPLY);
	assert_int_equal(w->reply.type, SMBD_NL_EVENT_TREE_CONNECT_RESPONSE);
	assert_int_equal(w->reply.len, 72);
	assert_int_equal(le32(w->reply.buf), handle);
	assert_zero(w->reply.buf + 8, 64);
	*flags = le16(w->reply.buf + 6);
	return le16(w->reply.buf + 4);
}

static void tdis(struct world *w, uint64_t session, uint64_t connect)
{
	struct smbd_nl_tree_disconnect_request req;
	uint8_t buf[80];
	size_t used = 0;

	memset(&req, 0, sizeof(req));
	req.session_id = session;
	req.connect_id = connect;
	assert_int_equal(smbd_nl_tree_disconnect_request_encode(buf, sizeof(buf),
								&req, &used), 0);
	assert_int_equal(dispatch(w, SMBD_NL_EVENT_TREE_DISCONNECT_REQUEST, buf,
				  used), HANDLERS_NO_REPLY);
}

static void logout(struct world *w, const char *account, uint32_t flags)
{
	struct smbd_nl_logout_request req;
	uint8_t buf[116];
	size_t used = 0;

	memset(&req, 0, sizeof(req));
	set_str(req.account, sizeof(req.account), account);
	req.account_flags = flags;
	assert_int_equal(smbd_nl_logout_request_encode(buf, sizeof(buf), &req,
						       &used), 0);
	assert_int_equal(used, 116);
	assert_int_equal(dispatch(w, SMBD_NL_EVENT_LOGOUT_REQUEST, buf, used),
			 HANDLERS_NO_REPLY);
}

static int share_config(struct world *w, uint32_t handle, const char *name)
{
	struct smbd_nl_share_config_request req;
	uint8_t buf[132];
	size_t used = 0;

	memset(&req, 0, sizeof(req));
	req.handle = handle;
	set_str(req.share_name, sizeof(req.share_name), name);
	assert_int_equal(smbd_nl_share_config_request_encode(buf, sizeof(buf),
							     &req, &used), 0);
	assert_int_equal(used, 132);
	return dispatch(w, SMBD_NL_EVENT_SHARE_CONFIG_REQUEST, buf, used);
}

/* login_response at its offsets: handle 0, gid 4, uid 8, account 12,
 * status 60, hash_sz 62, hash 64..82, padding 82, reserved 84..148 */
static void assert_login_response(const uint8_t *p, uint32_t handle,
				  uint32_t gid, uint32_t uid,
				  const char *account, uint16_t status,
				  const uint8_t *hash)
{
	assert_int_equal(le32(p + 0), handle);
	assert_int_equal(le32(p + 4), gid);
	assert_int_equal(le32(p + 8), uid);
	assert_field_str(p + 12, 48, account);
	assert_int_equal(le16(p + 60), status);
	if (hash) {
		assert_int_equal(le16(p + 62), 16);
		assert_memory_equal(p + 64, hash, 16);
		assert_zero(p + 80, 2);
	} else {
		assert_int_equal(le16(p + 62), 0);
		assert_zero(p + 64, 18);
	}
	assert_zero(p + 82, 2 + 64);
}

/* -- LOGIN ---------------------------------------------------------------- */

static void test_login_user(void **state)
{
	struct world *w = *state;

	assert_int_equal(login(w, 0xA1B2C3D4, "daemon"), HANDLERS_REPLY);
	assert_int_equal(w->reply.type, SMBD_NL_EVENT_LOGIN_RESPONSE);
	assert_int_equal(w->reply.len, 148);
	assert_login_response(w->reply.buf, 0xA1B2C3D4, 1, 1, "daemon",
			      SMBD_NL_USER_FLAG_OK, daemon_hash);
}

static void test_login_user_without_unix_account(void **state)
{
	struct world *w = *state;

	/* "alice" has no unix account: the guest account's ids */
	assert_int_equal(login(w, 2, "alice"), HANDLERS_REPLY);
	assert_login_response(w->reply.buf, 2, NOBODY, NOBODY, "alice",
			      SMBD_NL_USER_FLAG_OK, alice_hash);
}

static void test_login_unknown_user(void **state)
{
	struct world *w = *state;

	assert_int_equal(login(w, 3, "mallory"), HANDLERS_REPLY);
	assert_int_equal(w->reply.len, 148);
	assert_login_response(w->reply.buf, 3, 0, 0, "mallory",
			      SMBD_NL_USER_FLAG_BAD_USER, NULL);
}

static void test_login_map_to_guest(void **state)
{
	struct world *w = *state;
	const char *text = "[global]\n\tguest account = nobody\n"
			   "\tmap to guest = bad user\n";

	handlers_reload(w->h, conf_from(text), NULL);
	assert_int_equal(login(w, 4, "mallory"), HANDLERS_REPLY);
	assert_login_response(w->reply.buf, 4, NOBODY, NOBODY, "nobody",
			      SMBD_NL_USER_FLAG_OK |
			      SMBD_NL_USER_FLAG_GUEST_ACCOUNT, NULL);
	/* a known user is still itself */
	assert_int_equal(login(w, 5, "daemon"), HANDLERS_REPLY);
	assert_login_response(w->reply.buf, 5, 1, 1, "daemon",
			      SMBD_NL_USER_FLAG_OK, daemon_hash);
}

/* The empty name is an anonymous login: the guest, whatever map to guest says. */
static void test_login_anonymous(void **state)
{
	struct world *w = *state;

	assert_int_equal(login(w, 20, ""), HANDLERS_REPLY);
	assert_int_equal(w->reply.len, 148);
	assert_login_response(w->reply.buf, 20, NOBODY, NOBODY, "nobody",
			      SMBD_NL_USER_FLAG_OK |
			      SMBD_NL_USER_FLAG_GUEST_ACCOUNT, NULL);
}

/* No guest account on the system: nobody to run an anonymous session as. */
static void test_login_anonymous_without_guest(void **state)
{
	struct world *w = *state;
	const char *text = "[global]\n\tguest account = no-such-unix-user\n";

	handlers_reload(w->h, conf_from(text), NULL);
	assert_int_equal(login(w, 21, ""), HANDLERS_REPLY);
	assert_login_response(w->reply.buf, 21, 0, 0, "",
			      SMBD_NL_USER_FLAG_BAD_USER, NULL);
}

/*
 * map to guest = bad uid: a database user without a unix account runs as
 * the guest, but the data path still gets the hash to prove its password.
 */
static void test_login_bad_uid_keeps_hash(void **state)
{
	struct world *w = *state;
	const char *text = "[global]\n\tguest account = nobody\n"
			   "\tmap to guest = bad uid\n";

	handlers_reload(w->h, conf_from(text), NULL);
	assert_int_equal(login(w, 22, "alice"), HANDLERS_REPLY);
	assert_login_response(w->reply.buf, 22, NOBODY, NOBODY, "nobody",
			      SMBD_NL_USER_FLAG_OK |
			      SMBD_NL_USER_FLAG_GUEST_ACCOUNT, alice_hash);
}

static void test_login_malformed(void **state)
{
	struct world *w = *state;
	uint8_t buf[200];
	size_t n = enc_login(buf, 6, "daemon");

	/* truncated: every length below the struct */
	for (size_t len = 0; len < n; len += 7)
		assert_int_equal(dispatch(w, SMBD_NL_EVENT_LOGIN_REQUEST, buf,
					  len), HANDLERS_DROP);
	assert_non_null(w->reply.why);
	assert_null(w->reply.buf);
	/* 48 account bytes without a NUL */
	memset(buf + 4, 'x', 48);
	assert_int_equal(dispatch(w, SMBD_NL_EVENT_LOGIN_REQUEST, buf, n),
			 HANDLERS_DROP);
	assert_string_equal(w->reply.why, "account name without NUL");
	/* 47 bytes and the NUL: a name (unknown, but well formed) */
	buf[4 + 47] = 0;
	assert_int_equal(dispatch(w, SMBD_NL_EVENT_LOGIN_REQUEST, buf, n),
			 HANDLERS_REPLY);
}

static void test_login_longer_attribute(void **state)
{
	struct world *w = *state;
	uint8_t buf[117];

	/* the kernel allocates one byte more than the struct */
	enc_login(buf, 7, "daemon");
	buf[116] = 0;
	assert_int_equal(dispatch(w, SMBD_NL_EVENT_LOGIN_REQUEST, buf, 117),
			 HANDLERS_REPLY);
	assert_login_response(w->reply.buf, 7, 1, 1, "daemon",
			      SMBD_NL_USER_FLAG_OK, daemon_hash);
}

static void test_login_ext(void **state)
{
	struct world *w = *state;
	uint8_t buf[116];
	gid_t gids[64];
	int n = 64, i;

	assert_int_equal(dispatch(w, SMBD_NL_EVENT_LOGIN_REQUEST_EXT, buf,
				  enc_login(buf, 8, "daemon")), HANDLERS_REPLY);
	assert_int_equal(w->reply.type, SMBD_NL_EVENT_LOGIN_RESPONSE_EXT);
	assert_true(getgrouplist("daemon", 1, gids, &n) >= 0);
	assert_int_equal(w->reply.len, 136 + 4 * (size_t)n);
	assert_int_equal(le32(w->reply.buf), 8);
	assert_int_equal(le32(w->reply.buf + 4), n);
	assert_zero(w->reply.buf + 8, 128);
	for (i = 0; i < n; i++)
		assert_int_equal(le32(w->reply.buf + 136 + 4 * i), gids[i]);
	/* unknown user: no groups */
	assert_int_equal(dispatch(w, SMBD_NL_EVENT_LOGIN_REQUEST_EXT, buf,
				  enc_login(buf, 9, "mallory")), HANDLERS_REPLY);
	assert_int_equal(w->reply.len, 136);
	assert_int_equal(le32(w->reply.buf + 4), 0);
}

/* -- LOGOUT and the failed-login counter ------------------------------------ */

static void test_failed_logins_delay(void **state)
{
	struct world *w = *state;
	int i;

	for (i = 0; i < 9; i++)
		logout(w, "daemon", SMBD_NL_USER_FLAG_BAD_PASSWORD);
	assert_int_equal(handlers_login_failures(w->h, "daemon"), 9);
	assert_int_equal(login(w, 10, "daemon"), HANDLERS_REPLY);
	assert_int_equal(le16(w->reply.buf + 60), SMBD_NL_USER_FLAG_OK);

	logout(w, "daemon", SMBD_NL_USER_FLAG_BAD_PASSWORD);
	assert_int_equal(login(w, 11, "daemon"), HANDLERS_REPLY);
	assert_login_response(w->reply.buf, 11, 1, 1, "daemon",
			      SMBD_NL_USER_FLAG_OK |
			      SMBD_NL_USER_FLAG_DELAY_SESSION, daemon_hash);
	/* other users are not affected */
	assert_int_equal(login(w, 12, "alice"), HANDLERS_REPLY);
	assert_int_equal(le16(w->reply.buf + 60), SMBD_NL_USER_FLAG_OK);

	/* a good logout resets the counter */
	logout(w, "daemon", 0);
	assert_int_equal(handlers_login_failures(w->h, "daemon"), 0);
	assert_int_equal(login(w, 13, "daemon"), HANDLERS_REPLY);
	assert_int_equal(le16(w->reply.buf + 60), SMBD_NL_USER_FLAG_OK);
}

static void test_logout_unknown_and_malformed(void **state)
{
	struct world *w = *state;
	uint8_t buf[116];

	logout(w, "mallory", SMBD_NL_USER_FLAG_BAD_PASSWORD);
	assert_int_equal(handlers_login_failures(w->h, "mallory"), 0);
	memset(buf, 'y', sizeof(buf));
	assert_int_equal(dispatch(w, SMBD_NL_EVENT_LOGOUT_REQUEST, buf, 116),
			 HANDLERS_DROP);
	assert_int_equal(dispatch(w, SMBD_NL_EVENT_LOGOUT_REQUEST, buf, 115),
			 HANDLERS_DROP);
}

/* -- SHARE_CONFIG -------------------------------------------------------- */

/* share_config_response: handle 0, flags 4, create_mask 8, directory_mask
 * 10, force_create_mode 12, force_directory_mode 14, force_uid 16,
 * force_gid 18, share_name 20..84, reserved 84..528, payload_sz 528,
 * veto_list_sz 532, payload 536 */
static void test_share_config(void **state)
{
	struct world *w = *state;
	static const char veto[] = "*.tmp\0secret";	/* 12 bytes */
	static const char path[] = "/srv/data";
	const uint8_t *p;
	uint32_t flags = SMBD_NL_SHARE_FLAG_AVAILABLE |
			 SMBD_NL_SHARE_FLAG_BROWSEABLE |
			 SMBD_NL_SHARE_FLAG_WRITEABLE |
			 SMBD_NL_SHARE_FLAG_STORE_DOS_ATTRS |
			 SMBD_NL_SHARE_FLAG_OPLOCKS |
			 SMBD_NL_SHARE_FLAG_HIDE_DOT_FILES |
			 SMBD_NL_SHARE_FLAG_CROSSMNT;

	assert_int_equal(share_config(w, 0x55, "DATA"), HANDLERS_REPLY);
	assert_int_equal(w->reply.type, SMBD_NL_EVENT_SHARE_CONFIG_RESPONSE);
	p = w->reply.buf;
	assert_int_equal(w->reply.len, 536 + 12 + 1 + 9 + 1);
	assert_int_equal(le32(p), 0x55);
	assert_int_equal(le32(p + 4), flags);
	assert_int_equal(le16(p + 8), 0744);
	assert_int_equal(le16(p + 10), 0755);
	assert_int_equal(le16(p + 12), 0);
	assert_int_equal(le16(p + 14), 0);
	assert_int_equal(le16(p + 16), 0xFFFF);
	assert_int_equal(le16(p + 18), 0xFFFF);
	assert_field_str(p + 20, 64, "data");
	assert_zero(p + 84, 444);
	assert_int_equal(le32(p + 528), 12 + 1 + 9 + 1);
	assert_int_equal(le32(p + 532), 12);
	assert_memory_equal(p + 536, veto, 12);
	assert_int_equal(p[536 + 12], 0);
	assert_memory_equal(p + 536 + 13, path, 10);	/* with its NUL */
}

static void test_share_config_no_veto(void **state)
{
	struct world *w = *state;
	const uint8_t *p;

	/* no veto list: the path starts the payload (veto_list_sz 0) */
	assert_int_equal(share_config(w, 1, "plain"), HANDLERS_REPLY);
	p = w->reply.buf;
	assert_int_equal(w->reply.len, 536 + 11);
	assert_int_equal(le32(p + 4) & SMBD_NL_SHARE_FLAG_READONLY,
			 SMBD_NL_SHARE_FLAG_READONLY);
	assert_int_equal(le32(p + 528), 11);
	assert_int_equal(le32(p + 532), 0);
	assert_memory_equal(p + 536, "/srv/plain", 11);
}

static void test_share_config_ipc(void **state)
{
	struct world *w = *state;
	const uint8_t *p;

	assert_int_equal(share_config(w, 2, "ipc$"), HANDLERS_REPLY);
	p = w->reply.buf;
	assert_int_equal(w->reply.len, 537);
	assert_true(le32(p + 4) & SMBD_NL_SHARE_FLAG_PIPE);
	assert_field_str(p + 20, 64, "IPC$");
	assert_int_equal(le32(p + 528), 1);
	assert_int_equal(le32(p + 532), 0);
	assert_int_equal(p[536], 0);
}

static void assert_no_share_reply(struct world *w, uint32_t handle,
				  const char *name)
{
	const uint8_t *p = w->reply.buf;

	assert_int_equal(w->reply.len, 536);
	assert_int_equal(le32(p), handle);
	assert_zero(p + 4, 16);			/* flags 0: no such share */
	assert_field_str(p + 20, 64, name);
	assert_zero(p + 84, 536 - 84);
}

static void test_share_config_unknown(void **state)
{
	struct world *w = *state;

	assert_int_equal(share_config(w, 3, "nosuch"), HANDLERS_REPLY);
	assert_no_share_reply(w, 3, "nosuch");
}

static void test_share_config_force_user(void **state)
{
	struct world *w = *state;

	assert_int_equal(share_config(w, 4, "forced"), HANDLERS_REPLY);
	assert_int_equal(le16(w->reply.buf + 16), 1);
	assert_int_equal(le16(w->reply.buf + 18), 1);
	/* a force user that does not exist: refused, not silently ignored */
	assert_int_equal(share_config(w, 5, "badforce"), HANDLERS_REPLY);
	assert_no_share_reply(w, 5, "badforce");
}

static void test_share_config_malformed(void **state)
{
	struct world *w = *state;
	uint8_t buf[132];

	memset(buf, 's', sizeof(buf));
	assert_int_equal(dispatch(w, SMBD_NL_EVENT_SHARE_CONFIG_REQUEST, buf,
				  sizeof(buf)), HANDLERS_DROP);
	assert_string_equal(w->reply.why, "share name without NUL");
	assert_int_equal(dispatch(w, SMBD_NL_EVENT_SHARE_CONFIG_REQUEST, buf,
				  131), HANDLERS_DROP);
}

/* -- TREE_CONNECT / TREE_DISCONNECT ------------------------------------------ */

static void test_tree_connect_allowed(void **state)
{
	struct world *w = *state;
	uint16_t flags;

	assert_int_equal(tcon(w, 0x77, "daemon", "data", "127.0.0.1", 1, 1,
			      &flags), SMBD_NL_TREE_CONN_STATUS_OK);
	assert_int_equal(flags, SMBD_NL_TREE_CONN_FLAG_WRITABLE);
	assert_int_equal(handlers_share_connections(w->h, "data"), 1);
	assert_int_equal(tcon(w, 0x78, "daemon", "plain", "::1", 1, 2, &flags),
			 SMBD_NL_TREE_CONN_STATUS_OK);
	assert_int_equal(flags, SMBD_NL_TREE_CONN_FLAG_READ_ONLY);
}

static void test_tree_connect_refused(void **state)
{
	struct world *w = *state;
	uint16_t flags;

	assert_int_equal(tcon(w, 1, "daemon", "data", "10.1.2.3", 1, 1, &flags),
			 SMBD_NL_TREE_CONN_STATUS_HOST_DENIED);
	assert_int_equal(flags, 0);
	assert_int_equal(tcon(w, 2, "alice", "plain", "127.0.0.1", 2, 2, &flags),
			 SMBD_NL_TREE_CONN_STATUS_INVALID_USER);
	assert_int_equal(tcon(w, 3, "daemon", "nosuch", "127.0.0.1", 3, 3,
			      &flags), SMBD_NL_TREE_CONN_STATUS_NO_SHARE);
	assert_int_equal(tcon(w, 4, "mallory", "data", "127.0.0.1", 4, 4,
			      &flags), SMBD_NL_TREE_CONN_STATUS_NO_USER);
	assert_int_equal(handlers_share_connections(w->h, "data"), 0);
	assert_int_equal(handlers_share_connections(w->h, "plain"), 0);
}

static void test_tree_connect_malformed(void **state)
{
	struct world *w = *state;
	uint8_t buf[264];
	size_t n = enc_tcon(buf, 5, "daemon", "data", "127.0.0.1", 1, 1, 0);

	/* share name (offset 72, 64 bytes) without a NUL */
	memset(buf + 72, 'S', 64);
	assert_int_equal(dispatch(w, SMBD_NL_EVENT_TREE_CONNECT_REQUEST, buf, n),
			 HANDLERS_DROP);
	assert_string_equal(w->reply.why, "share name without NUL");
	/* peer address (offset 136) without a NUL */
	n = enc_tcon(buf, 5, "daemon", "data", "127.0.0.1", 1, 1, 0);
	memset(buf + 136, '1', 64);
	assert_int_equal(dispatch(w, SMBD_NL_EVENT_TREE_CONNECT_REQUEST, buf, n),
			 HANDLERS_DROP);
	/* account (offset 24) without a NUL */
	n = enc_tcon(buf, 5, "daemon", "data", "127.0.0.1", 1, 1, 0);
	memset(buf + 24, 'a', 48);
	assert_int_equal(dispatch(w, SMBD_NL_EVENT_TREE_CONNECT_REQUEST, buf, n),
			 HANDLERS_DROP);
	/* truncated */
	n = enc_tcon(buf, 5, "daemon", "data", "127.0.0.1", 1, 1, 0);
	assert_int_equal(dispatch(w, SMBD_NL_EVENT_TREE_CONNECT_REQUEST, buf,
				  n - 1), HANDLERS_DROP);
	assert_int_equal(handlers_share_connections(w->h, "data"), 0);
}

static void test_tree_disconnect_releases(void **state)
{
	struct world *w = *state;
	uint16_t flags;
	uint8_t buf[80] = { 0 };

	assert_int_equal(tcon(w, 1, "daemon", "one", "127.0.0.1", 9, 90, &flags),
			 SMBD_NL_TREE_CONN_STATUS_OK);
	assert_int_equal(tcon(w, 2, "daemon", "one", "127.0.0.1", 9, 91, &flags),
			 SMBD_NL_TREE_CONN_STATUS_TOO_MANY_CONNS);
	/* an unknown pair changes nothing */
	tdis(w, 9, 12345);
	assert_int_equal(handlers_share_connections(w->h, "one"), 1);
	/* a truncated notice is dropped */
	assert_int_equal(dispatch(w, SMBD_NL_EVENT_TREE_DISCONNECT_REQUEST, buf,
				  79), HANDLERS_DROP);
	assert_int_equal(handlers_share_connections(w->h, "one"), 1);
	tdis(w, 9, 90);
	assert_int_equal(handlers_share_connections(w->h, "one"), 0);
	assert_int_equal(tcon(w, 3, "daemon", "one", "127.0.0.1", 9, 92, &flags),
			 SMBD_NL_TREE_CONN_STATUS_OK);
}

static void test_peer_gone_releases(void **state)
{
	struct world *w = *state;
	uint16_t flags;

	assert_int_equal(tcon(w, 1, "daemon", "data", "127.0.0.1", 5, 50, &flags),
			 SMBD_NL_TREE_CONN_STATUS_OK);
	assert_int_equal(tcon(w, 2, "daemon", "plain", "127.0.0.1", 5, 51, &flags),
			 SMBD_NL_TREE_CONN_STATUS_OK);
	assert_int_equal(handlers_peer_gone(w->h, 2), 0);	/* other peer */
	assert_int_equal(handlers_peer_gone(w->h, 1), 2);
	assert_int_equal(handlers_share_connections(w->h, "data"), 0);
	assert_int_equal(handlers_share_connections(w->h, "plain"), 0);
}

/* -- reload and UPDATE ------------------------------------------------------ */

static void test_reload_update_flag(void **state)
{
	struct world *w = *state;
	char *text = talloc_strdup(w->mem, base_conf);
	uint16_t flags;
	char *p;

	assert_int_equal(tcon(w, 1, "daemon", "data", "127.0.0.1", 1, 1, &flags),
			 SMBD_NL_TREE_CONN_STATUS_OK);
	/* an identical configuration changes no share */
	assert_int_equal(handlers_reload(w->h, conf_from(base_conf), users()), 0);
	/* data gets another path */
	p = strstr(text, "/srv/data");
	memcpy(p, "/srv/dat2", 9);
	assert_int_equal(handlers_reload(w->h, conf_from(text), NULL), 1);
	assert_true(handlers_share_changed(w->h, "DATA"));
	assert_false(handlers_share_changed(w->h, "plain"));
	/* the counters survived the reload */
	assert_int_equal(handlers_share_connections(w->h, "data"), 1);

	assert_int_equal(tcon(w, 2, "daemon", "data", "127.0.0.1", 1, 2, &flags),
			 SMBD_NL_TREE_CONN_STATUS_OK);
	assert_int_equal(flags, SMBD_NL_TREE_CONN_FLAG_WRITABLE |
				SMBD_NL_TREE_CONN_FLAG_UPDATE);
	assert_int_equal(tcon(w, 3, "daemon", "data", "127.0.0.1", 1, 3, &flags),
			 SMBD_NL_TREE_CONN_STATUS_OK);
	assert_int_equal(flags, SMBD_NL_TREE_CONN_FLAG_WRITABLE);
	assert_int_equal(tcon(w, 4, "daemon", "plain", "127.0.0.1", 1, 4, &flags),
			 SMBD_NL_TREE_CONN_STATUS_OK);
	assert_int_equal(flags, SMBD_NL_TREE_CONN_FLAG_READ_ONLY);

	/* a refused connect does not use the UPDATE up */
	handlers_reload(w->h, conf_from(base_conf), NULL);
	assert_true(handlers_share_changed(w->h, "data"));
	assert_int_equal(tcon(w, 5, "daemon", "data", "10.0.0.1", 1, 5, &flags),
			 SMBD_NL_TREE_CONN_STATUS_HOST_DENIED);
	assert_true(handlers_share_changed(w->h, "data"));
	assert_int_equal(share_config(w, 6, "data"), HANDLERS_REPLY);
	assert_memory_equal(w->reply.buf + 536 + 13, "/srv/data", 10);
}

static void test_reload_users(void **state)
{
	struct world *w = *state;
	struct userdb *db = userdb_new(NULL);

	logout(w, "alice", SMBD_NL_USER_FLAG_BAD_PASSWORD);
	assert_int_equal(handlers_login_failures(w->h, "alice"), 1);
	assert_int_equal(userdb_add_hash(db, "daemon", daemon_hash), 0);
	handlers_reload(w->h, NULL, db);
	assert_int_equal(login(w, 1, "alice"), HANDLERS_REPLY);
	assert_int_equal(le16(w->reply.buf + 60), SMBD_NL_USER_FLAG_BAD_USER);
	assert_int_equal(handlers_login_failures(w->h, "alice"), 0);
}

/* -- RPC, SPNEGO, heartbeat, other events ------------------------------------ */

static void test_rpc_not_implemented(void **state)
{
	struct world *w = *state;
	struct smbd_nl_rpc_command req;
	uint8_t buf[64];
	static const uint8_t pdu[5] = { 5, 0, 11, 3, 16 };
	size_t used = 0;

	memset(&req, 0, sizeof(req));
	req.handle = 0x99;
	req.flags = SMBD_NL_RPC_OPEN_METHOD;
	req.payload.p = pdu;
	req.payload.len = sizeof(pdu);
	assert_int_equal(smbd_nl_rpc_command_encode(buf, sizeof(buf), &req,
						    &used), 0);
	assert_int_equal(used, 17);
	assert_int_equal(dispatch(w, SMBD_NL_EVENT_RPC_REQUEST, buf, used),
			 HANDLERS_REPLY);
	assert_int_equal(w->reply.type, SMBD_NL_EVENT_RPC_RESPONSE);
	assert_int_equal(w->reply.len, 12);
	assert_int_equal(le32(w->reply.buf), 0x99);
	assert_int_equal(le32(w->reply.buf + 4), 0x40);	/* NOT_IMPLEMENTED */
	assert_int_equal(le32(w->reply.buf + 8), 0);

	/* payload_sz larger than what follows */
	buf[8] = 6;
	assert_int_equal(dispatch(w, SMBD_NL_EVENT_RPC_REQUEST, buf, used),
			 HANDLERS_DROP);
}

static void test_spnego_not_supported(void **state)
{
	struct world *w = *state;
	struct smbd_nl_spnego_authen_request req;
	static const uint8_t blob[4] = { 0x60, 0x02, 0x05, 0x00 };
	uint8_t buf[32];
	size_t used = 0;

	memset(&req, 0, sizeof(req));
	req.handle = 0x42;
	req.spnego_blob.p = blob;
	req.spnego_blob.len = sizeof(blob);
	assert_int_equal(smbd_nl_spnego_authen_request_encode(buf, sizeof(buf),
							      &req, &used), 0);
	assert_int_equal(dispatch(w, SMBD_NL_EVENT_SPNEGO_AUTHEN_REQUEST, buf,
				  used), HANDLERS_REPLY);
	assert_int_equal(w->reply.type, SMBD_NL_EVENT_SPNEGO_AUTHEN_RESPONSE);
	assert_int_equal(w->reply.len, 156);
	assert_int_equal(le32(w->reply.buf), 0x42);
	/* the login inside, at 4: no OK bit */
	assert_login_response(w->reply.buf + 4, 0x42, 0, 0, "", 0, NULL);
	assert_zero(w->reply.buf + 152, 4);	/* no session key, no blob */

	/* blob length beyond the message */
	buf[4] = 200;
	assert_int_equal(dispatch(w, SMBD_NL_EVENT_SPNEGO_AUTHEN_REQUEST, buf,
				  used), HANDLERS_DROP);
}

static void test_heartbeat_and_others(void **state)
{
	struct world *w = *state;
	uint8_t buf[800] = { 0 };

	assert_int_equal(dispatch(w, SMBD_NL_EVENT_HEARTBEAT_REQUEST, buf, 4),
			 HANDLERS_NO_REPLY);
	assert_int_equal(dispatch(w, SMBD_NL_EVENT_HEARTBEAT_REQUEST, buf, 3),
			 HANDLERS_DROP);
	assert_int_equal(dispatch(w, SMBD_NL_EVENT_STARTING_UP, buf, 744),
			 HANDLERS_DROP);
	assert_int_equal(dispatch(w, SMBD_NL_EVENT_LOGIN_RESPONSE, buf, 148),
			 HANDLERS_DROP);
	assert_int_equal(dispatch(w, SMBD_NL_EVENT_UNSPEC, buf, 4),
			 HANDLERS_DROP);
	assert_int_equal(dispatch(w, 18, buf, 4), HANDLERS_DROP);
	assert_int_equal(dispatch(w, 0xFFFF, buf, 4), HANDLERS_DROP);
	assert_string_equal(w->reply.why, "not a request the daemon serves");
}

/* -- the IPC message layer and the socket framing ---------------------------- */

struct fake_sent {
	int calls;
	uint16_t type;
	uint8_t buf[1024];
	size_t len;
};

static int fake_send(struct ipc_peer *peer, uint16_t type, const void *buf,
		     size_t len)
{
	struct fake_sent *s = peer->priv;

	s->calls++;
	s->type = type;
	s->len = len < sizeof(s->buf) ? len : sizeof(s->buf);
	memcpy(s->buf, buf, s->len);
	return 0;
}

static const struct ipc_transport_ops fake_ops = {
	.name = "fake",
	.send = fake_send,
};

static void test_ipc_layer(void **state)
{
	struct world *w = *state;
	struct ipc *ipc = ipc_new(w->mem, w->h);
	struct fake_sent sent = { 0 };
	struct ipc_peer *peer = ipc_peer_new(ipc, w->mem, &fake_ops, &sent,
					     "fake peer");
	struct ipc_stats st;
	uint8_t buf[264];
	unsigned int warnings;

	assert_non_null(peer);
	assert_int_equal(ipc_receive(peer, SMBD_NL_EVENT_LOGIN_REQUEST, buf,
				     enc_login(buf, 0x31, "daemon")),
			 HANDLERS_REPLY);
	assert_int_equal(sent.calls, 1);
	assert_int_equal(sent.type, SMBD_NL_EVENT_LOGIN_RESPONSE);
	assert_int_equal(sent.len, 148);
	assert_login_response(sent.buf, 0x31, 1, 1, "daemon",
			      SMBD_NL_USER_FLAG_OK, daemon_hash);

	/* malformed: no reply, one warning naming the peer, counted */
	warnings = w->warnings;
	assert_int_equal(ipc_receive(peer, SMBD_NL_EVENT_LOGIN_REQUEST, buf, 50),
			 HANDLERS_DROP);
	assert_int_equal(sent.calls, 1);
	assert_int_equal(w->warnings, warnings + 1);
	ipc_get_stats(ipc, &st);
	assert_int_equal(st.received, 2);
	assert_int_equal(st.replied, 1);
	assert_int_equal(st.dropped, 1);
	assert_int_equal(st.peers, 1);

	/* a peer that goes away releases its tree connects */
	assert_int_equal(ipc_receive(peer, SMBD_NL_EVENT_TREE_CONNECT_REQUEST,
				     buf, enc_tcon(buf, 1, "daemon", "data",
						   "127.0.0.1", 7, 70, 0)),
			 HANDLERS_REPLY);
	assert_int_equal(handlers_share_connections(w->h, "data"), 1);
	talloc_free(peer);
	assert_int_equal(handlers_share_connections(w->h, "data"), 0);
	ipc_get_stats(ipc, &st);
	assert_int_equal(st.peers, 0);
}

static void test_ipc_drop_log_is_bounded(void **state)
{
	struct world *w = *state;
	struct ipc *ipc = ipc_new(w->mem, w->h);
	struct fake_sent sent = { 0 };
	struct ipc_peer *peer = ipc_peer_new(ipc, w->mem, &fake_ops, &sent, "x");
	unsigned int warnings = w->warnings;
	uint8_t junk[4] = { 0 };
	int i;

	for (i = 0; i < 3 * IPC_DROP_LOG_MAX; i++)
		ipc_receive(peer, 200, junk, sizeof(junk));
	assert_int_equal(w->warnings - warnings, IPC_DROP_LOG_MAX);
	assert_int_equal(peer->dropped, 3 * IPC_DROP_LOG_MAX);
	assert_int_equal(sent.calls, 0);
}

static void test_sock_framing(void **state)
{
	uint8_t msg[8 + 4] = { 0 };
	struct ipc_frame f;
	const char *why = NULL;

	(void)state;
	assert_int_equal(ipc_sock_frame_build(msg, sizeof(msg),
					      SMBD_NL_EVENT_HEARTBEAT_REQUEST,
					      "\0\0\0\0", 4), 12);
	assert_memory_equal(msg, "\x01\x00\x00\x00\x04\x00\x00\x00", 8);
	assert_int_equal(ipc_sock_frame_parse(msg, sizeof(msg), &f, &why), 0);
	assert_int_equal(f.type, 1);
	assert_int_equal(f.len, 4);
	assert_ptr_equal(f.payload, msg + 8);

	assert_int_equal(ipc_sock_frame_parse(msg, 7, &f, &why), -1);
	assert_int_equal(ipc_sock_frame_parse(msg, 11, &f, &why), -1);
	assert_string_equal(why, "header length differs from the message size");
	msg[3] = 1;
	assert_int_equal(ipc_sock_frame_parse(msg, sizeof(msg), &f, &why), -1);
	assert_string_equal(why, "reserved header bits set");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_login_user),
		T(test_login_user_without_unix_account),
		T(test_login_unknown_user),
		T(test_login_map_to_guest),
		T(test_login_anonymous),
		T(test_login_anonymous_without_guest),
		T(test_login_bad_uid_keeps_hash),
		T(test_login_malformed),
		T(test_login_longer_attribute),
		T(test_login_ext),
		T(test_failed_logins_delay),
		T(test_logout_unknown_and_malformed),
		T(test_share_config),
		T(test_share_config_no_veto),
		T(test_share_config_ipc),
		T(test_share_config_unknown),
		T(test_share_config_force_user),
		T(test_share_config_malformed),
		T(test_tree_connect_allowed),
		T(test_tree_connect_refused),
		T(test_tree_connect_malformed),
		T(test_tree_disconnect_releases),
		T(test_peer_gone_releases),
		T(test_reload_update_flag),
		T(test_reload_users),
		T(test_rpc_not_implemented),
		T(test_spnego_not_supported),
		T(test_heartbeat_and_others),
		T(test_ipc_layer),
		T(test_ipc_drop_log_is_bounded),
		T(test_sock_framing),
#undef T
	};

	if (!getpwnam("daemon") || !getpwnam("nobody")) {
		fprintf(stderr, "test_handlers: needs the unix accounts daemon and nobody; skipped\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
