/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ksmbd.conf: loading, the parameter catalogue and the effective view.
 *
 * The file is Samba-style INI.  smbd_config_load() reads it into a
 * struct smbd_config: the [global] parameters plus one resolved
 * struct smbd_share per share section (share parameters left unset in a
 * share take their value from [global], then from the built-in default).
 * IPC$ always exists and comes first.
 *
 * Memory is talloc: free a configuration with smbd_config_free().
 */
#ifndef SMBD_CONFIG_H
#define SMBD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Share names are 1..63 bytes (64 with the NUL on the netlink wire). */
#define SMBD_SHARE_NAME_MAX 63

/* A list value: "a, b c" -> {"a", "b", "c"}.  "@group" items are kept. */
struct smbd_strlist {
	char **items;
	size_t count;
};

/* Protocol names as ksmbd spells them, lowest first. */
enum smbd_protocol {
	SMBD_PROT_NT1,
	SMBD_PROT_SMB2_02,
	SMBD_PROT_SMB2_10,
	SMBD_PROT_SMB3_00,
	SMBD_PROT_SMB3_02,
	SMBD_PROT_SMB3_11,
};

/* Values are those of startup_request.signing on the netlink wire. */
enum smbd_signing {
	SMBD_SIGNING_DISABLED = 0,
	SMBD_SIGNING_ENABLED = 1,
	SMBD_SIGNING_AUTO = 2,
	SMBD_SIGNING_MANDATORY = 3,
};

enum smbd_encryption {
	SMBD_ENCRYPTION_DISABLED,
	SMBD_ENCRYPTION_AUTO,
	SMBD_ENCRYPTION_MANDATORY,
};

enum smbd_map_to_guest {
	SMBD_MAP_TO_GUEST_NEVER,
	SMBD_MAP_TO_GUEST_BAD_USER,
	SMBD_MAP_TO_GUEST_BAD_PASSWORD,
	SMBD_MAP_TO_GUEST_BAD_UID,
};

/* `server mode`: which data path the daemon drives. */
enum smbd_server_mode {
	SMBD_SERVER_MODE_AUTO,
	SMBD_SERVER_MODE_KERNEL,
	SMBD_SERVER_MODE_USER,
};

/* Global (G) parameters.  Strings are never NULL ("" when unset). */
struct smbd_globals {
	bool bind_interfaces_only;
	uint32_t deadtime;			/* minutes, 0 = never */
	bool durable_handles;
	char *guest_account;
	struct smbd_strlist interfaces;
	uint32_t ipc_timeout;			/* seconds, 0 = no heartbeat */
	char *kerberos_keytab_file;		/* "" = krb5 default keytab */
	char *kerberos_service_name;		/* "" = cifs/<FQDN> */
	bool kerberos_support;
	int map_to_guest;			/* enum smbd_map_to_guest */
	uint32_t max_active_sessions;
	uint32_t max_connections;		/* 0 in the file reads as 65536 */
	uint32_t max_ip_connections;		/* 0 = no per-address limit */
	uint32_t max_open_files;		/* 0 in the file reads as 65536 */
	char *netbios_name;
	uint32_t restrict_anonymous;		/* 0, 1 or 2 */
	char *root_directory;
	int server_max_protocol;		/* enum smbd_protocol */
	int server_min_protocol;		/* enum smbd_protocol */
	int server_mode;			/* enum smbd_server_mode */
	bool server_multi_channel_support;
	int server_signing;			/* enum smbd_signing */
	char *server_string;
	uint32_t share_fake_fscaps;
	bool smb2_leases;
	uint32_t smb2_max_credits;
	uint32_t smb2_max_read;
	uint32_t smb2_max_trans;
	uint32_t smb2_max_write;
	int smb3_encryption;			/* enum smbd_encryption */
	uint32_t smbd_max_io_size;
	uint32_t tcp_port;
	char *workgroup;
};

/* Share (S) parameters, resolved: [share] over [global] over default. */
struct smbd_share {
	char *name;			/* as first written; IPC$ for the pipe share */
	char *abs_path;			/* root directory + path ("" for IPC$) */
	bool is_ipc;
	unsigned int line;		/* first [name] line, 0 if implicit */

	struct smbd_strlist admin_users;
	bool available;
	bool browseable;
	char *comment;
	bool continuous_availability;
	uint32_t create_mask;
	bool crossmnt;
	uint32_t directory_mask;
	bool follow_symlinks;
	uint32_t force_create_mode;
	uint32_t force_directory_mode;
	char *force_group;
	char *force_user;
	char *guest_account;		/* "" = the global guest account */
	bool guest_ok;
	bool guest_only;
	bool hide_dot_files;
	struct smbd_strlist hosts_allow;
	struct smbd_strlist hosts_deny;
	bool inherit_owner;
	struct smbd_strlist invalid_users;
	uint32_t max_connections;	/* 0 in the file reads as 65536 */
	bool oplocks;
	char *path;			/* as written in the file */
	struct smbd_strlist read_list;
	bool read_only;
	bool store_dos_attributes;
	struct smbd_strlist valid_users;
	struct smbd_strlist veto_files;	/* "/a/b*" -> {"a", "b*"} */
	struct smbd_strlist vfs_objects;
	struct smbd_strlist write_list;
};

struct smbd_config {
	char *source;			/* file name used in messages */
	struct smbd_globals global;
	struct smbd_share **shares;	/* shares[0] is IPC$ */
	size_t nr_shares;
};

/*
 * Diagnostics.  Warnings (unknown parameter, ...) do not stop the load;
 * each is "FILE:LINE: text".  On failure `error` holds one such message.
 * `warning`, if set, is also called for each warning as it is found.
 * Zero-initialise, pass to a loader, release with smbd_config_diag_free().
 */
struct smbd_config_diag {
	void (*warning)(const char *msg, void *priv);
	void *priv;
	char **warnings;
	size_t nr_warnings;
	char *error;
	void *mem;			/* private: talloc context of the above */
};

struct smbd_config *smbd_config_load(const char *path,
				     struct smbd_config_diag *diag);
/* Same, from memory; `name` stands for the file name in messages. */
struct smbd_config *smbd_config_load_buffer(const char *name, const char *text,
					    size_t len,
					    struct smbd_config_diag *diag);
void smbd_config_free(struct smbd_config *cfg);
void smbd_config_diag_free(struct smbd_config_diag *diag);

/* Case-insensitive (ASCII) share lookup; "ipc$" finds IPC$. */
struct smbd_share *smbd_config_share(const struct smbd_config *cfg,
				     const char *name);

/* The guest account that applies to a share. */
const char *smbd_share_guest_account(const struct smbd_config *cfg,
				     const struct smbd_share *share);

/* Netlink share_config_response.flags (bit numbers of netlink-abi.md). */
#define SMBD_SHARE_FLAG_AVAILABLE		(1u << 0)
#define SMBD_SHARE_FLAG_BROWSEABLE		(1u << 1)
#define SMBD_SHARE_FLAG_WRITEABLE		(1u << 2)
#define SMBD_SHARE_FLAG_READONLY		(1u << 3)
#define SMBD_SHARE_FLAG_GUEST_OK		(1u << 4)
#define SMBD_SHARE_FLAG_GUEST_ONLY		(1u << 5)
#define SMBD_SHARE_FLAG_STORE_DOS_ATTRS		(1u << 6)
#define SMBD_SHARE_FLAG_OPLOCKS			(1u << 7)
#define SMBD_SHARE_FLAG_PIPE			(1u << 8)
#define SMBD_SHARE_FLAG_HIDE_DOT_FILES		(1u << 9)
#define SMBD_SHARE_FLAG_INHERIT_OWNER		(1u << 10)
#define SMBD_SHARE_FLAG_STREAMS			(1u << 11)
#define SMBD_SHARE_FLAG_FOLLOW_SYMLINKS		(1u << 12)
#define SMBD_SHARE_FLAG_ACL_XATTR		(1u << 13)
#define SMBD_SHARE_FLAG_UPDATE			(1u << 14)
#define SMBD_SHARE_FLAG_CROSSMNT		(1u << 15)
#define SMBD_SHARE_FLAG_CONTINUOUS_AVAILABILITY	(1u << 16)

/* Flags from configuration alone; UPDATE is the caller's business. */
uint32_t smbd_share_flags(const struct smbd_share *share);

/* Netlink startup_request.flags (the global feature switches). */
#define SMBD_GLOBAL_FLAG_SMB2_LEASES		(1u << 0)
#define SMBD_GLOBAL_FLAG_SMB2_ENCRYPTION	(1u << 1)
#define SMBD_GLOBAL_FLAG_SMB3_MULTICHANNEL	(1u << 2)
#define SMBD_GLOBAL_FLAG_SMB2_ENCRYPTION_OFF	(1u << 3)
#define SMBD_GLOBAL_FLAG_DURABLE_HANDLE		(1u << 4)

uint32_t smbd_global_flags(const struct smbd_globals *global);

/* Protocol name ("SMB3_11") of an enum smbd_protocol value. */
const char *smbd_protocol_name(int prot);

/*
 * Do two parameter names name the same parameter? Case and blanks do not
 * count, and synonyms (writable = read only inverted, public = guest ok, ...)
 * name their parameter.
 */
bool smbd_config_same_param(const char *a, const char *b);

/*
 * Effective configuration, like `testparm -s`: [global] with every global
 * parameter, then every share with every share parameter, in catalogue
 * order.  The output loads back into the same configuration.
 */
int smbd_config_print(const struct smbd_config *cfg, FILE *out);

#endif /* SMBD_CONFIG_H */
