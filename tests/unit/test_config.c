// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the ksmbd.conf parser (server/config.c): every parameter
 * with a value other than its default, the defaults, synonyms, [global]
 * share defaults, the effective printer, share flags, and every warning
 * and error with its exact message.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config.h"

#ifndef CONF_DATA_DIR
#define CONF_DATA_DIR "tests/unit/data/conf"
#endif

static const char *data_path(const char *name)
{
	static char buf[1024];
	const char *dir = getenv("CONF_DATA_DIR");

	snprintf(buf, sizeof(buf), "%s/%s", dir ? dir : CONF_DATA_DIR, name);
	return buf;
}

/* Load text under the name "t.conf"; the diag is the caller's to free. */
static struct smbd_config *load_text(const char *text,
				     struct smbd_config_diag *diag)
{
	return smbd_config_load_buffer("t.conf", text, strlen(text), diag);
}

/* The load must fail with exactly this message. */
static void expect_error(const char *text, const char *msg)
{
	struct smbd_config_diag diag = { 0 };
	struct smbd_config *cfg = load_text(text, &diag);

	assert_null(cfg);
	assert_non_null(diag.error);
	assert_string_equal(diag.error, msg);
	smbd_config_diag_free(&diag);
}

/* The load must succeed with exactly one warning, this one. */
static struct smbd_config *expect_warning(const char *text, const char *msg)
{
	struct smbd_config_diag diag = { 0 };
	struct smbd_config *cfg = load_text(text, &diag);

	assert_non_null(cfg);
	assert_null(diag.error);
	assert_int_equal(diag.nr_warnings, 1);
	assert_string_equal(diag.warnings[0], msg);
	smbd_config_diag_free(&diag);
	return cfg;
}

static struct smbd_config *load_clean(const char *text)
{
	struct smbd_config_diag diag = { 0 };
	struct smbd_config *cfg = load_text(text, &diag);

	if (!cfg)
		fail_msg("unexpected error: %s", diag.error);
	assert_int_equal(diag.nr_warnings, 0);
	smbd_config_diag_free(&diag);
	return cfg;
}

static void assert_list(const struct smbd_strlist *list, size_t count, ...)
{
	va_list ap;
	size_t i;

	assert_int_equal(list->count, count);
	va_start(ap, count);
	for (i = 0; i < count; i++)
		assert_string_equal(list->items[i], va_arg(ap, const char *));
	va_end(ap);
}

/* ---------------------------------------------------------------------- */

static void test_defaults(void **state)
{
	struct smbd_config_diag diag = { 0 };
	struct smbd_config *cfg;
	const struct smbd_globals *g;
	const struct smbd_share *s;

	(void)state;
	cfg = smbd_config_load(data_path("defaults.conf"), &diag);
	assert_non_null(cfg);
	assert_int_equal(diag.nr_warnings, 0);
	g = &cfg->global;

	assert_false(g->bind_interfaces_only);
	assert_int_equal(g->deadtime, 0);
	assert_false(g->durable_handles);
	assert_string_equal(g->guest_account, "nobody");
	assert_int_equal(g->interfaces.count, 0);
	assert_int_equal(g->ipc_timeout, 0);
	assert_string_equal(g->kerberos_keytab_file, "");
	assert_string_equal(g->kerberos_service_name, "");
	assert_false(g->kerberos_support);
	assert_int_equal(g->map_to_guest, SMBD_MAP_TO_GUEST_NEVER);
	assert_int_equal(g->max_active_sessions, 1024);
	assert_int_equal(g->max_connections, 128);
	assert_int_equal(g->max_ip_connections, 0);
	assert_int_equal(g->max_open_files, 10000);
	assert_string_equal(g->netbios_name, "KSMBD SERVER");
	assert_int_equal(g->restrict_anonymous, 0);
	assert_string_equal(g->root_directory, "");
	assert_int_equal(g->server_max_protocol, SMBD_PROT_SMB3_11);
	assert_int_equal(g->server_min_protocol, SMBD_PROT_SMB2_10);
	assert_int_equal(g->server_mode, SMBD_SERVER_MODE_AUTO);
	assert_false(g->server_multi_channel_support);
	assert_int_equal(g->server_signing, SMBD_SIGNING_AUTO);
	assert_string_equal(g->server_string, "SMB SERVER");
	assert_int_equal(g->share_fake_fscaps, 64);
	assert_false(g->smb2_leases);
	assert_int_equal(g->smb2_max_credits, 8192);
	assert_int_equal(g->smb2_max_read, 4u << 20);
	assert_int_equal(g->smb2_max_trans, 1u << 20);
	assert_int_equal(g->smb2_max_write, 4u << 20);
	assert_int_equal(g->smb3_encryption, SMBD_ENCRYPTION_AUTO);
	assert_int_equal(g->smbd_max_io_size, 8u << 20);
	assert_int_equal(g->tcp_port, 445);
	assert_string_equal(g->workgroup, "WORKGROUP");
	assert_int_equal(smbd_global_flags(g), 0);

	assert_int_equal(cfg->nr_shares, 2);
	s = cfg->shares[1];
	assert_string_equal(s->name, "share");
	assert_int_equal(s->line, 1);
	assert_false(s->is_ipc);
	assert_int_equal(s->admin_users.count, 0);
	assert_true(s->available);
	assert_true(s->browseable);
	assert_string_equal(s->comment, "");
	assert_false(s->continuous_availability);
	assert_int_equal(s->create_mask, 0744);
	assert_true(s->crossmnt);
	assert_int_equal(s->directory_mask, 0755);
	assert_false(s->follow_symlinks);
	assert_int_equal(s->force_create_mode, 0);
	assert_int_equal(s->force_directory_mode, 0);
	assert_string_equal(s->force_group, "");
	assert_string_equal(s->force_user, "");
	assert_string_equal(s->guest_account, "");
	assert_string_equal(smbd_share_guest_account(cfg, s), "nobody");
	assert_false(s->guest_ok);
	assert_false(s->guest_only);
	assert_true(s->hide_dot_files);
	assert_int_equal(s->hosts_allow.count, 0);
	assert_int_equal(s->hosts_deny.count, 0);
	assert_false(s->inherit_owner);
	assert_int_equal(s->invalid_users.count, 0);
	assert_int_equal(s->max_connections, 128);
	assert_true(s->oplocks);
	assert_string_equal(s->path, "/srv/share");
	assert_string_equal(s->abs_path, "/srv/share");
	assert_int_equal(s->read_list.count, 0);
	assert_true(s->read_only);
	assert_true(s->store_dos_attributes);
	assert_int_equal(s->valid_users.count, 0);
	assert_int_equal(s->veto_files.count, 0);
	assert_int_equal(s->vfs_objects.count, 0);
	assert_int_equal(s->write_list.count, 0);
	assert_int_equal(smbd_share_flags(s),
			 SMBD_SHARE_FLAG_AVAILABLE | SMBD_SHARE_FLAG_BROWSEABLE |
			 SMBD_SHARE_FLAG_READONLY |
			 SMBD_SHARE_FLAG_STORE_DOS_ATTRS |
			 SMBD_SHARE_FLAG_OPLOCKS |
			 SMBD_SHARE_FLAG_HIDE_DOT_FILES |
			 SMBD_SHARE_FLAG_CROSSMNT);

	smbd_config_free(cfg);
	smbd_config_diag_free(&diag);
}

static void test_ipc_implicit(void **state)
{
	struct smbd_config *cfg = load_clean("[a]\npath = /a\n");
	const struct smbd_share *ipc;

	(void)state;
	ipc = cfg->shares[0];
	assert_string_equal(ipc->name, "IPC$");
	assert_true(ipc->is_ipc);
	assert_int_equal(ipc->line, 0);
	assert_string_equal(ipc->comment, "IPC share");
	assert_true(ipc->guest_ok);
	assert_string_equal(ipc->abs_path, "");
	assert_ptr_equal(smbd_config_share(cfg, "ipc$"), ipc);
	assert_int_equal(smbd_share_flags(ipc) & (SMBD_SHARE_FLAG_PIPE |
						  SMBD_SHARE_FLAG_GUEST_OK),
			 SMBD_SHARE_FLAG_PIPE | SMBD_SHARE_FLAG_GUEST_OK);
	smbd_config_free(cfg);

	/* an [ipc$] section tunes the implicit share; [global] does not
	 * override what IPC$ sets for itself */
	cfg = load_clean("[global]\nguest ok = no\ncomment = all\n"
			 "[ipc$]\nhosts allow = 127.0.0.1\n[a]\npath = /\n");
	assert_int_equal(cfg->nr_shares, 2);
	ipc = cfg->shares[0];
	assert_string_equal(ipc->name, "IPC$");
	assert_true(ipc->guest_ok);
	assert_string_equal(ipc->comment, "IPC share");
	assert_list(&ipc->hosts_allow, 1, "127.0.0.1");
	smbd_config_free(cfg);

	cfg = load_clean("[IPC$]\ncomment = pipes\nguest ok = no\n[a]\npath=/\n");
	assert_string_equal(cfg->shares[0]->comment, "pipes");
	assert_false(cfg->shares[0]->guest_ok);
	smbd_config_free(cfg);
}

static void test_every_parameter(void **state)
{
	struct smbd_config_diag diag = { 0 };
	struct smbd_config *cfg;
	const struct smbd_globals *g;
	const struct smbd_share *s, *pub;

	(void)state;
	cfg = smbd_config_load(data_path("full.conf"), &diag);
	if (!cfg)
		fail_msg("%s", diag.error);
	assert_int_equal(diag.nr_warnings, 0);
	g = &cfg->global;

	assert_true(g->bind_interfaces_only);
	assert_int_equal(g->deadtime, 15);
	assert_true(g->durable_handles);
	assert_string_equal(g->guest_account, "smbguest");
	assert_list(&g->interfaces, 3, "eth0", "eth1", "lo");
	assert_int_equal(g->ipc_timeout, 30);
	assert_string_equal(g->kerberos_keytab_file, "/etc/ksmbd/krb5.keytab");
	assert_string_equal(g->kerberos_service_name, "cifs/files.example.org");
	assert_true(g->kerberos_support);
	assert_int_equal(g->map_to_guest, SMBD_MAP_TO_GUEST_BAD_USER);
	assert_int_equal(g->max_active_sessions, 2048);
	assert_int_equal(g->max_connections, 65536);	/* 0 = the maximum */
	assert_int_equal(g->max_ip_connections, 16);
	assert_int_equal(g->max_open_files, 20000);
	assert_string_equal(g->netbios_name, "FILES");
	assert_int_equal(g->restrict_anonymous, 2);
	assert_string_equal(g->root_directory, "/srv/root/");
	assert_int_equal(g->server_max_protocol, SMBD_PROT_SMB3_02);
	assert_int_equal(g->server_min_protocol, SMBD_PROT_SMB3_00);
	assert_int_equal(g->server_mode, SMBD_SERVER_MODE_USER);
	assert_true(g->server_multi_channel_support);
	assert_int_equal(g->server_signing, SMBD_SIGNING_MANDATORY);
	assert_string_equal(g->server_string, "Test File Server");
	assert_int_equal(g->share_fake_fscaps, 96);
	assert_true(g->smb2_leases);
	assert_int_equal(g->smb2_max_credits, 2000);
	assert_int_equal(g->smb2_max_read, 1u << 20);
	assert_int_equal(g->smb2_max_trans, 512u << 10);
	assert_int_equal(g->smb2_max_write, 2u << 20);
	assert_int_equal(g->smb3_encryption, SMBD_ENCRYPTION_DISABLED);
	assert_int_equal(g->smbd_max_io_size, 16u << 20);
	assert_int_equal(g->tcp_port, 4445);
	assert_string_equal(g->workgroup, "EXAMPLE");
	assert_int_equal(smbd_global_flags(g),
			 SMBD_GLOBAL_FLAG_SMB2_LEASES |
			 SMBD_GLOBAL_FLAG_SMB3_MULTICHANNEL |
			 SMBD_GLOBAL_FLAG_SMB2_ENCRYPTION_OFF |
			 SMBD_GLOBAL_FLAG_DURABLE_HANDLE);

	assert_int_equal(cfg->nr_shares, 3);
	s = smbd_config_share(cfg, "DaTa");
	assert_non_null(s);
	assert_ptr_equal(s, cfg->shares[1]);
	assert_string_equal(s->name, "data");
	assert_int_equal(s->line, 43);
	assert_list(&s->admin_users, 2, "root", "@wheel");
	assert_false(s->available);
	assert_false(s->browseable);
	assert_string_equal(s->comment, "Team data");
	assert_true(s->continuous_availability);
	assert_int_equal(s->create_mask, 0640);
	assert_false(s->crossmnt);
	assert_int_equal(s->directory_mask, 0750);
	assert_true(s->follow_symlinks);
	assert_int_equal(s->force_create_mode, 0600);
	assert_int_equal(s->force_directory_mode, 0700);
	assert_string_equal(s->force_group, "users");
	assert_string_equal(s->force_user, "daemon");
	assert_string_equal(s->guest_account, "visitor");
	assert_string_equal(smbd_share_guest_account(cfg, s), "visitor");
	assert_true(s->guest_ok);
	assert_true(s->guest_only);
	assert_true(s->hide_dot_files);		/* the share overrides [global] */
	assert_list(&s->hosts_allow, 3, "127.0.0.1", "192.168.1.0/24",
		    "host.example.org");	/* continued line */
	assert_list(&s->hosts_deny, 1, "10.0.0.0/8");
	assert_true(s->inherit_owner);
	assert_list(&s->invalid_users, 1, "mallory");
	assert_int_equal(s->max_connections, 12);	/* repeated section */
	assert_false(s->oplocks);
	assert_string_equal(s->path, "/data");
	assert_string_equal(s->abs_path, "/srv/root/data");
	assert_list(&s->read_list, 1, "bob");
	assert_false(s->read_only);
	assert_false(s->store_dos_attributes);
	assert_list(&s->valid_users, 2, "alice", "bob");
	assert_list(&s->veto_files, 3, "*.tmp", ".DS_Store", "Thumbs?.db");
	assert_list(&s->vfs_objects, 2, "acl_xattr", "streams_xattr");
	assert_list(&s->write_list, 2, "alice", "@admins");
	assert_int_equal(smbd_share_flags(s),
			 SMBD_SHARE_FLAG_WRITEABLE | SMBD_SHARE_FLAG_GUEST_OK |
			 SMBD_SHARE_FLAG_GUEST_ONLY |
			 SMBD_SHARE_FLAG_HIDE_DOT_FILES |
			 SMBD_SHARE_FLAG_INHERIT_OWNER |
			 SMBD_SHARE_FLAG_STREAMS |
			 SMBD_SHARE_FLAG_FOLLOW_SYMLINKS |
			 SMBD_SHARE_FLAG_ACL_XATTR |
			 SMBD_SHARE_FLAG_CONTINUOUS_AVAILABILITY);

	/* [global] share parameters are the defaults of the other shares */
	pub = smbd_config_share(cfg, "PUBLIC");
	assert_non_null(pub);
	assert_false(pub->hide_dot_files);
	assert_list(&pub->valid_users, 2, "@staff", "alice");
	assert_string_equal(pub->abs_path, "/srv/root/pub");
	assert_string_equal(smbd_share_guest_account(cfg, pub), "smbguest");
	/* "guest account" and "max connections" in [global] are the
	 * server's own, not share defaults */
	assert_string_equal(pub->guest_account, "");
	assert_int_equal(pub->max_connections, 128);
	assert_false(cfg->shares[0]->hide_dot_files);	/* IPC$ too */

	assert_null(smbd_config_share(cfg, "nope"));
	assert_string_equal(smbd_protocol_name(g->server_max_protocol),
			    "SMB3_02");
	smbd_config_free(cfg);
	smbd_config_diag_free(&diag);
}

static void test_synonyms(void **state)
{
	struct smbd_config *cfg;
	const struct smbd_share *s;

	(void)state;
	cfg = load_clean("[a]\npath = /a\nwritable = yes\nbrowsable = no\n"
			 "public = yes\ncreate mode = 0600\n"
			 "directory mode = 0700\nallow hosts = 127.0.0.1\n"
			 "deny hosts = ALL\nonly guest = yes\n"
			 "[b]\npath = /b\nwriteable = yes\n"
			 "[c]\npath = /c\nwrite ok = yes\n"
			 "[d]\npath = /d\nread only = no\nwrite ok = no\n");
	s = smbd_config_share(cfg, "a");
	assert_false(s->read_only);
	assert_false(s->browseable);
	assert_true(s->guest_ok);
	assert_int_equal(s->create_mask, 0600);
	assert_int_equal(s->directory_mask, 0700);
	assert_list(&s->hosts_allow, 1, "127.0.0.1");
	assert_list(&s->hosts_deny, 1, "ALL");
	assert_true(s->guest_only);
	assert_false(smbd_config_share(cfg, "b")->read_only);
	assert_false(smbd_config_share(cfg, "c")->read_only);
	/* the last of read only / write ok wins */
	assert_true(smbd_config_share(cfg, "d")->read_only);
	assert_int_equal(smbd_share_flags(smbd_config_share(cfg, "d")) &
			 (SMBD_SHARE_FLAG_READONLY | SMBD_SHARE_FLAG_WRITEABLE),
			 SMBD_SHARE_FLAG_READONLY);
	smbd_config_free(cfg);
}

static void test_bool_spellings(void **state)
{
	static const char *const yes[] = { "yes", "YES", "true", "True",
					   "on", "1", "enable" };
	static const char *const no[] = { "no", "No", "false", "FALSE",
					  "off", "0", "disable" };
	char text[128];
	struct smbd_config *cfg;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		snprintf(text, sizeof(text),
			 "[global]\nsmb2 leases = %s\n[a]\npath=/\noplocks = %s\n",
			 yes[i], no[i]);
		cfg = load_clean(text);
		assert_true(cfg->global.smb2_leases);
		assert_false(cfg->shares[1]->oplocks);
		smbd_config_free(cfg);
	}
}

static void test_numbers(void **state)
{
	static const struct {
		const char *text;
		uint32_t value;
	} cases[] = {
		{ "0", 0 }, { "42", 42 }, { "1k", 1024 }, { "1K", 1024 },
		{ "3M", 3u << 20 }, { "3mb", 3u << 20 }, { "2G", 2u << 30 },
		{ "3G", 3u << 30 }, { "4294967295", 4294967295u },
	};
	char text[128];
	struct smbd_config *cfg;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text),
			 "[global]\nshare:fake_fscaps = %s\n[a]\npath=/\n",
			 cases[i].text);
		cfg = load_clean(text);
		assert_int_equal(cfg->global.share_fake_fscaps, cases[i].value);
		smbd_config_free(cfg);
	}
	/* 0 means the maximum for these */
	cfg = load_clean("[global]\nmax open files = 0\n[a]\npath=/\n"
			 "max connections = 0\n");
	assert_int_equal(cfg->global.max_open_files, 65536);
	assert_int_equal(cfg->shares[1]->max_connections, 65536);
	smbd_config_free(cfg);
}

static void test_enums(void **state)
{
	struct smbd_config *cfg;

	(void)state;
	cfg = load_clean("[global]\nserver signing = Enabled\n"
			 "map to guest = bad password\nserver mode = kernel\n"
			 "smb3 encryption = MANDATORY\n"
			 "server min protocol = NT1\nserver max protocol = smb2_10\n"
			 "[a]\npath=/\n");
	assert_int_equal(cfg->global.server_signing, SMBD_SIGNING_ENABLED);
	assert_int_equal(cfg->global.map_to_guest,
			 SMBD_MAP_TO_GUEST_BAD_PASSWORD);
	assert_int_equal(cfg->global.server_mode, SMBD_SERVER_MODE_KERNEL);
	assert_int_equal(cfg->global.smb3_encryption,
			 SMBD_ENCRYPTION_MANDATORY);
	assert_int_equal(cfg->global.server_min_protocol, SMBD_PROT_NT1);
	assert_int_equal(cfg->global.server_max_protocol, SMBD_PROT_SMB2_10);
	assert_int_equal(smbd_global_flags(&cfg->global),
			 SMBD_GLOBAL_FLAG_SMB2_ENCRYPTION);
	smbd_config_free(cfg);

	cfg = load_clean("[global]\nserver signing = disabled\n"
			 "map to guest = BAD UID\nserver min protocol = SMB2_02\n"
			 "[a]\npath=/\n");
	assert_int_equal(cfg->global.server_signing, SMBD_SIGNING_DISABLED);
	assert_int_equal(cfg->global.map_to_guest, SMBD_MAP_TO_GUEST_BAD_UID);
	assert_int_equal(cfg->global.server_min_protocol, SMBD_PROT_SMB2_02);
	smbd_config_free(cfg);
}

static void test_syntax(void **state)
{
	struct smbd_config *cfg;
	const struct smbd_share *s;

	(void)state;
	/* CRLF, names ignoring case and blanks, comments, continuation */
	cfg = load_clean("; comment \\\r\n"
			 "  [ My Share ]  # after the header\r\n"
			 "  PATH=/x\\\r\n"
			 "y\r\n"
			 "\tMax   Connections\t=\t7   \r\n"
			 "maxconnections = 9\n"
			 "comment = a \\   \n"
			 "  b ; c\n"
			 "# comment = ignored\n"
			 "valid users = a,,b ,\tc\n");
	s = cfg->shares[1];
	assert_string_equal(s->name, "My Share");
	assert_string_equal(s->path, "/xy");
	assert_int_equal(s->max_connections, 9);
	assert_string_equal(s->comment, "a   b");
	assert_list(&s->valid_users, 3, "a", "b", "c");
	smbd_config_free(cfg);

	/* '#' and ';' may be part of a share name; UTF-8 names are fine */
	cfg = load_clean("[a#b;c]\npath = /p\n[\xc3\xa9t\xc3\xa9]\npath = /e\n");
	assert_non_null(smbd_config_share(cfg, "A#B;C"));
	assert_non_null(smbd_config_share(cfg, "\xc3\xa9t\xc3\xa9"));
	smbd_config_free(cfg);

	/* 63 bytes is the longest share name; empty strings and lists */
	cfg = load_clean("[global]\nvalid users = x\n"
			 "[123456789012345678901234567890123456789012345678901234567890123]\n"
			 "path = /\nvalid users =\n");
	assert_int_equal(cfg->shares[1]->valid_users.count, 0);
	smbd_config_free(cfg);

	/* no trailing newline, a continuation at the end of the file */
	cfg = load_clean("[a]\npath = /z\\");
	assert_string_equal(cfg->shares[1]->path, "/z");
	smbd_config_free(cfg);
}

static void test_root_directory(void **state)
{
	struct smbd_config *cfg;

	(void)state;
	cfg = load_clean("[global]\nroot directory = /\n[a]\npath = /a\n");
	assert_string_equal(cfg->shares[1]->abs_path, "/a");
	smbd_config_free(cfg);
	cfg = load_clean("[a]\npath = /a\n[global]\nroot directory = /r//\n");
	assert_string_equal(cfg->shares[1]->abs_path, "/r/a");
	assert_string_equal(cfg->shares[1]->path, "/a");
	smbd_config_free(cfg);
}

static void test_veto_files(void **state)
{
	struct smbd_config *cfg;

	(void)state;
	cfg = load_clean("[a]\npath=/\nveto files = /a/b*/c?/\n"
			 "[b]\npath=/\nveto files = //x y//z\n");
	assert_list(&cfg->shares[1]->veto_files, 3, "a", "b*", "c?");
	assert_list(&cfg->shares[2]->veto_files, 2, "x y", "z");
	smbd_config_free(cfg);
}

static char *print_to_string(const struct smbd_config *cfg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(smbd_config_print(cfg, f), 0);
	fclose(f);
	return buf;
}

static void test_print(void **state)
{
	struct smbd_config_diag diag = { 0 };
	struct smbd_config *cfg, *again;
	char *first, *second;
	const char *global, *ipc, *data;

	(void)state;
	cfg = smbd_config_load(data_path("full.conf"), &diag);
	assert_non_null(cfg);
	first = print_to_string(cfg);

	global = strstr(first, "\n[global]\n");
	ipc = strstr(first, "\n[IPC$]\n");
	data = strstr(first, "\n[data]\n");
	assert_non_null(global);
	assert_non_null(ipc);
	assert_non_null(data);
	assert_true(global < ipc && ipc < data);
	assert_non_null(strstr(global, "\tbind interfaces only = yes\n"
				       "\tdeadtime = 15\n"));
	assert_non_null(strstr(global, "\tmap to guest = bad user\n"));
	assert_non_null(strstr(global, "\tsmb2 max read = 1048576\n"));
	assert_non_null(strstr(global, "\tserver min protocol = SMB3_00\n"));
	assert_non_null(strstr(global, "\tkerberos service name = cifs/"));
	assert_non_null(strstr(data, "\tcreate mask = 0640\n"));
	assert_non_null(strstr(data, "\tread only = no\n"));
	assert_non_null(strstr(data, "\tveto files = /*.tmp/.DS_Store/Thumbs?.db/\n"));
	assert_non_null(strstr(data, "\twrite list = alice, @admins\n"));
	assert_non_null(strstr(data, "\tmax connections = 12\n"));
	assert_non_null(strstr(ipc, "\tpath =\n"));
	assert_null(strstr(first, "writable"));	/* canonical names only */

	/* the printed configuration loads back into the same one */
	again = smbd_config_load_buffer(cfg->source, first, strlen(first),
					&diag);
	if (!again)
		fail_msg("%s", diag.error);
	second = print_to_string(again);
	assert_string_equal(first, second);
	assert_string_equal(smbd_config_share(again, "data")->abs_path,
			    "/srv/root/data");

	free(first);
	free(second);
	smbd_config_free(cfg);
	smbd_config_free(again);
	smbd_config_diag_free(&diag);
}

/* ---------------------------------------------------------------------- */
/* warnings */

struct seen {
	int calls;
	char last[256];
};

static void on_warning(const char *msg, void *priv)
{
	struct seen *seen = priv;

	seen->calls++;
	snprintf(seen->last, sizeof(seen->last), "%s", msg);
}

static void test_unknown_parameter(void **state)
{
	struct seen seen = { 0 };
	struct smbd_config_diag diag = { .warning = on_warning, .priv = &seen };
	struct smbd_config *cfg;
	char msg[2048];
	const char *path = data_path("unknown.conf");

	(void)state;
	cfg = smbd_config_load(path, &diag);
	assert_non_null(cfg);
	assert_null(diag.error);
	assert_int_equal(diag.nr_warnings, 2);
	snprintf(msg, sizeof(msg),
		 "%s:3: unknown parameter \"frobnicate level\" ignored", path);
	assert_string_equal(diag.warnings[0], msg);
	snprintf(msg, sizeof(msg),
		 "%s:7: unknown parameter \"wide links\" ignored", path);
	assert_string_equal(diag.warnings[1], msg);
	assert_int_equal(seen.calls, 2);
	assert_string_equal(seen.last, msg);
	/* the lines around were read */
	assert_string_equal(cfg->global.workgroup, "HOME");
	assert_string_equal(cfg->shares[1]->path, "/srv/docs");
	smbd_config_free(cfg);
	smbd_config_diag_free(&diag);
	assert_null(diag.warnings);
}

static void test_other_warnings(void **state)
{
	struct smbd_config *cfg;

	(void)state;
	cfg = expect_warning("[a]\npath = /a\n  Frob   Level = X\n",
			     "t.conf:3: unknown parameter \"Frob Level\" ignored");
	smbd_config_free(cfg);
	/* names match ignoring blanks, as in Samba: "Work Group" is known */
	cfg = expect_warning("[a]\npath = /a\n  Work   Group = X\n",
			     "t.conf:3: global parameter \"Work Group\" in share [a] ignored");
	smbd_config_free(cfg);
	cfg = expect_warning("[a]\npath = /a\ntcp port = 1\n",
			     "t.conf:3: global parameter \"tcp port\" in share [a] ignored");
	assert_int_equal(cfg->global.tcp_port, 445);
	smbd_config_free(cfg);
	cfg = expect_warning("[a]\npath = /a\noplocks = no\noplocks =\n",
			     "t.conf:4: empty value for \"oplocks\" ignored");
	assert_false(cfg->shares[1]->oplocks);
	smbd_config_free(cfg);
	cfg = expect_warning("[a]\npath = /a\nvfs objects = fruit streams_xattr\n",
			     "t.conf:3: unknown VFS module \"fruit\" ignored (known: acl_xattr, streams_xattr)");
	assert_list(&cfg->shares[1]->vfs_objects, 1, "streams_xattr");
	smbd_config_free(cfg);
	cfg = expect_warning("\n[nopath]\ncomment = x\n",
			     "t.conf:2: share [nopath] has no path");
	smbd_config_free(cfg);
	cfg = expect_warning("[global]\nworkgroup = W\n",
			     "t.conf: no shares defined, only IPC$");
	smbd_config_free(cfg);
}

static void test_empty_file(void **state)
{
	struct smbd_config_diag diag = { 0 };
	struct smbd_config *cfg;
	char msg[2048];
	const char *path = data_path("empty.conf");

	(void)state;
	cfg = smbd_config_load(path, &diag);
	assert_non_null(cfg);
	assert_null(diag.error);
	assert_int_equal(diag.nr_warnings, 1);
	snprintf(msg, sizeof(msg), "%s: no shares defined, only IPC$", path);
	assert_string_equal(diag.warnings[0], msg);
	assert_int_equal(cfg->nr_shares, 1);
	assert_int_equal(cfg->global.tcp_port, 445);
	smbd_config_free(cfg);
	smbd_config_diag_free(&diag);
}

/* ---------------------------------------------------------------------- */
/* errors */

static void test_error_bad_bool_file(void **state)
{
	struct smbd_config_diag diag = { 0 };
	char msg[2048];
	const char *path = data_path("bad-bool.conf");

	(void)state;
	assert_null(smbd_config_load(path, &diag));
	snprintf(msg, sizeof(msg),
		 "%s:6: invalid value \"maybe\" for parameter \"guest ok\": not a boolean (yes/no, true/false, on/off, 1/0)",
		 path);
	assert_string_equal(diag.error, msg);
	smbd_config_diag_free(&diag);
}

static void test_error_values(void **state)
{
	(void)state;
	expect_error("[a]\nwrite ok = sure\n",
		     "t.conf:2: invalid value \"sure\" for parameter \"write ok\": not a boolean (yes/no, true/false, on/off, 1/0)");
	expect_error("[global]\ndeadtime = soon\n",
		     "t.conf:2: invalid value \"soon\" for parameter \"deadtime\": not a number");
	expect_error("[global]\ndeadtime = -1\n",
		     "t.conf:2: invalid value \"-1\" for parameter \"deadtime\": not a number");
	expect_error("[global]\ntcp port = 65536\n",
		     "t.conf:2: invalid value \"65536\" for parameter \"tcp port\": out of range (1..65535)");
	expect_error("[global]\ntcp port = 0\n",
		     "t.conf:2: invalid value \"0\" for parameter \"tcp port\": out of range (1..65535)");
	expect_error("[global]\nrestrict anonymous = 3\n",
		     "t.conf:2: invalid value \"3\" for parameter \"restrict anonymous\": out of range (0..2)");
	expect_error("[global]\nsmb2 max read = 4G\n",
		     "t.conf:2: invalid value \"4G\" for parameter \"smb2 max read\": out of range (1..4294967295)");
	expect_error("[global]\nsmb2 max write = 99999999999999999999999\n",
		     "t.conf:2: invalid value \"99999999999999999999999\" for parameter \"smb2 max write\": out of range (1..4294967295)");
	expect_error("[global]\nsmbd max io size = 1T\n",
		     "t.conf:2: invalid value \"1T\" for parameter \"smbd max io size\": out of range (1..4294967295)");
	expect_error("[global]\nsmb2 max trans = 8X\n",
		     "t.conf:2: invalid value \"8X\" for parameter \"smb2 max trans\": bad number suffix \"X\" (use K, M, G or T)");
	expect_error("[global]\nsmb2 max trans = 8KiB\n",
		     "t.conf:2: invalid value \"8KiB\" for parameter \"smb2 max trans\": bad number suffix \"KiB\" (use K, M, G or T)");
	expect_error("[global]\nsmb2 max credits = 8 K\n",
		     "t.conf:2: invalid value \"8 K\" for parameter \"smb2 max credits\": bad number suffix \" K\" (use K, M, G or T)");
	expect_error("[global]\nserver signing = required\n",
		     "t.conf:2: invalid value \"required\" for parameter \"server signing\": not one of disabled, enabled, auto, mandatory");
	expect_error("[global]\nsmb3 encryption = yes\n",
		     "t.conf:2: invalid value \"yes\" for parameter \"smb3 encryption\": not one of disabled, auto, mandatory");
	expect_error("[global]\nserver max protocol = SMB4\n",
		     "t.conf:2: invalid value \"SMB4\" for parameter \"server max protocol\": not one of NT1, SMB2_02, SMB2_10, SMB3_00, SMB3_02, SMB3_11");
	expect_error("[global]\nmap to guest = always\n",
		     "t.conf:2: invalid value \"always\" for parameter \"map to guest\": not one of never, bad user, bad password, bad uid");
	expect_error("[global]\nserver mode = hybrid\n",
		     "t.conf:2: invalid value \"hybrid\" for parameter \"server mode\": not one of auto, kernel, user");
	expect_error("[a]\npath = /\ncreate mask = 0789\n",
		     "t.conf:3: invalid value \"0789\" for parameter \"create mask\": not an octal mode (0000..7777)");
	expect_error("[a]\ndirectory mode = 17777\n",
		     "t.conf:2: invalid value \"17777\" for parameter \"directory mode\": not an octal mode (0000..7777)");
	expect_error("[a]\nforce create mode = rw-r--r--\n",
		     "t.conf:2: invalid value \"rw-r--r--\" for parameter \"force create mode\": not an octal mode (0000..7777)");
	expect_error("[global]\nnetbios name = ABCDEFGHIJKLMNOP\n",
		     "t.conf:2: invalid value \"ABCDEFGHIJKLMNOP\" for parameter \"netbios name\": longer than 15 bytes");
	/* a malformed share default in [global] is an error too */
	expect_error("[global]\n\n  Guest  OK = perhaps\n",
		     "t.conf:3: invalid value \"perhaps\" for parameter \"Guest OK\": not a boolean (yes/no, true/false, on/off, 1/0)");
}

static void test_error_syntax(void **state)
{
	(void)state;
	expect_error("[global]\n[1234567890123456789012345678901234567890123456789012345678901234]\n",
		     "t.conf:2: share name \"1234567890123456789012345678901234567890123456789012345678901234\" is longer than 63 bytes");
	expect_error("# top\nworkgroup = X\n",
		     "t.conf:2: parameter \"workgroup\" outside of any section");
	expect_error("[a]\npath = /\njust some words\n",
		     "t.conf:3: expected \"[section]\" or \"name = value\", got \"just some words\"");
	expect_error("[a]\n = value\n",
		     "t.conf:2: missing parameter name before '='");
	expect_error("[a]\npath = /\n[broken\n",
		     "t.conf:3: unterminated section header (missing ']')");
	expect_error("[a] x\n",
		     "t.conf:1: unexpected text \"x\" after section header");
	expect_error("[ ]\n", "t.conf:1: empty section name \"[]\"");
	expect_error("[a[b]\n", "t.conf:1: share name \"a[b\" contains '['");
	expect_error("[\xff\xfe]\n", "t.conf:1: share name is not valid UTF-8");
	expect_error("[a]\npath = /\x01\n",
		     "t.conf:2: invalid control character 0x01");
	/* a continued line reports the line where it starts */
	expect_error("[a]\nguest ok = \\\n  maybe\n",
		     "t.conf:2: invalid value \"maybe\" for parameter \"guest ok\": not a boolean (yes/no, true/false, on/off, 1/0)");
}

static void test_error_embedded_nul(void **state)
{
	static const char text[] = "[a]\npath = /\0x\n";
	struct smbd_config_diag diag = { 0 };

	(void)state;
	assert_null(smbd_config_load_buffer("n.conf", text, sizeof(text) - 1,
					    &diag));
	assert_string_equal(diag.error,
			    "n.conf:2: invalid control character 0x00");
	smbd_config_diag_free(&diag);
}

static void test_error_unreadable(void **state)
{
	struct smbd_config_diag diag = { 0 };
	char msg[2048];
	const char *path;

	(void)state;
	path = data_path("does-not-exist.conf");
	assert_null(smbd_config_load(path, &diag));
	snprintf(msg, sizeof(msg), "%s: cannot read: No such file or directory",
		 path);
	assert_string_equal(diag.error, msg);
	smbd_config_diag_free(&diag);

	/* a directory opens but cannot be read */
	path = data_path("");
	assert_null(smbd_config_load(path, &diag));
	snprintf(msg, sizeof(msg), "%s: cannot read: Is a directory", path);
	assert_string_equal(diag.error, msg);
	smbd_config_diag_free(&diag);

	/* no diag at all is allowed */
	assert_null(smbd_config_load(path, NULL));
	assert_null(smbd_config_load_buffer("x", "[", 1, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_ipc_implicit),
		cmocka_unit_test(test_every_parameter),
		cmocka_unit_test(test_synonyms),
		cmocka_unit_test(test_bool_spellings),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_enums),
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_root_directory),
		cmocka_unit_test(test_veto_files),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_unknown_parameter),
		cmocka_unit_test(test_other_warnings),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_error_bad_bool_file),
		cmocka_unit_test(test_error_values),
		cmocka_unit_test(test_error_syntax),
		cmocka_unit_test(test_error_embedded_nul),
		cmocka_unit_test(test_error_unreadable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
