// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ksmbd.conf parser.
 *
 * Reading happens in one pass over the logical lines of the file.  Each
 * value is checked and converted as soon as it is read, so that the first
 * malformed value stops the load with its own file and line.  Share
 * parameters given in [global] are kept in a pseudo-share ("defaults");
 * when the file is done, every share takes from it the parameters it did
 * not set itself.  That is why [global] may come after the shares, and a
 * repeated section simply continues the earlier one.
 *
 * What the file format accepts (facts from smb.conf(5) and ksmbd.conf(5)):
 * - "[name]" opens a section, "name = value" sets a parameter;
 * - ';' or '#' starts a comment that runs to the end of the line (in a
 *   section line, after the closing bracket);
 * - a line ending in '\' continues on the next line (Samba);
 * - parameter names match without regard to case or blanks (Samba);
 * - for a repeated parameter the last value wins (Samba).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <talloc.h>

#include "config.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define CONF_FILE_MAX		(16u << 20)	/* refuse bigger files */
#define CONF_LINE_MAX		65536u		/* longest logical line */
#define CONF_MAX_CONNS		65536u		/* "max connections = 0" */
#define CONF_MAX_OPEN_FILES	65536u		/* "max open files = 0" */

enum ptype {
	PT_BOOL,	/* bool */
	PT_INT,		/* uint32_t, K/M/G/T suffixes, range */
	PT_ENUM,	/* int, one of names[] */
	PT_MODE,	/* uint32_t, octal 0..07777 */
	PT_STRING,	/* char *, at most max bytes if max != 0 */
	PT_LIST,	/* struct smbd_strlist, split on , \t and space */
	PT_VETO,	/* struct smbd_strlist, split on / */
};

struct enum_name {
	const char *name;
	int value;
};

struct param {
	const char *name;
	enum ptype type;
	size_t offset;
	const char *def;
	uint64_t min, max;
	const struct enum_name *names;	/* NULL-terminated */
	uint32_t zero_means;		/* value stored for 0, if not 0 */
};

static const struct enum_name protocol_names[] = {
	{ "NT1", SMBD_PROT_NT1 },
	{ "SMB2_02", SMBD_PROT_SMB2_02 },
	{ "SMB2_10", SMBD_PROT_SMB2_10 },
	{ "SMB3_00", SMBD_PROT_SMB3_00 },
	{ "SMB3_02", SMBD_PROT_SMB3_02 },
	{ "SMB3_11", SMBD_PROT_SMB3_11 },
	{ NULL, 0 },
};

static const struct enum_name signing_names[] = {
	{ "disabled", SMBD_SIGNING_DISABLED },
	{ "enabled", SMBD_SIGNING_ENABLED },
	{ "auto", SMBD_SIGNING_AUTO },
	{ "mandatory", SMBD_SIGNING_MANDATORY },
	{ NULL, 0 },
};

static const struct enum_name encryption_names[] = {
	{ "disabled", SMBD_ENCRYPTION_DISABLED },
	{ "auto", SMBD_ENCRYPTION_AUTO },
	{ "mandatory", SMBD_ENCRYPTION_MANDATORY },
	{ NULL, 0 },
};

static const struct enum_name map_to_guest_names[] = {
	{ "never", SMBD_MAP_TO_GUEST_NEVER },
	{ "bad user", SMBD_MAP_TO_GUEST_BAD_USER },
	{ "bad password", SMBD_MAP_TO_GUEST_BAD_PASSWORD },
	{ "bad uid", SMBD_MAP_TO_GUEST_BAD_UID },
	{ NULL, 0 },
};

static const struct enum_name server_mode_names[] = {
	{ "auto", SMBD_SERVER_MODE_AUTO },
	{ "kernel", SMBD_SERVER_MODE_KERNEL },
	{ "user", SMBD_SERVER_MODE_USER },
	{ NULL, 0 },
};

#define U32 UINT32_MAX

#define G(n, t, f, d, lo, hi, e, z) \
	{ n, t, offsetof(struct smbd_globals, f), d, lo, hi, e, z }
#define GB(n, f, d)		G(n, PT_BOOL, f, d, 0, 0, NULL, 0)
#define GI(n, f, d, lo, hi)	G(n, PT_INT, f, d, lo, hi, NULL, 0)
#define GE(n, f, d, e)		G(n, PT_ENUM, f, d, 0, 0, e, 0)
#define GS(n, f, d, max)	G(n, PT_STRING, f, d, 0, max, NULL, 0)
#define GL(n, f)		G(n, PT_LIST, f, "", 0, 0, NULL, 0)

/*
 * Global parameters, in the order they are printed.  The byte limits of
 * netbios name, workgroup and server string are those of the netlink
 * startup_request (a NUL must fit); ipc timeout is a u16 there.
 */
static const struct param global_params[] = {
	GB("bind interfaces only", bind_interfaces_only, "no"),
	GI("deadtime", deadtime, "0", 0, U32),
	GB("durable handles", durable_handles, "no"),
	GS("guest account", guest_account, "nobody", 0),
	GL("interfaces", interfaces),
	GI("ipc timeout", ipc_timeout, "0", 0, 65535),
	GS("kerberos keytab file", kerberos_keytab_file, "", 0),
	GS("kerberos service name", kerberos_service_name, "", 0),
	GB("kerberos support", kerberos_support, "no"),
	GE("map to guest", map_to_guest, "never", map_to_guest_names),
	GI("max active sessions", max_active_sessions, "1024", 1, 65536),
	G("max connections", PT_INT, max_connections, "128", 0, 65536, NULL,
	  CONF_MAX_CONNS),
	GI("max ip connections", max_ip_connections, "0", 0, 65536),
	G("max open files", PT_INT, max_open_files, "10000", 0, 65536, NULL,
	  CONF_MAX_OPEN_FILES),
	GS("netbios name", netbios_name, "KSMBD SERVER", 15),
	GI("restrict anonymous", restrict_anonymous, "0", 0, 2),
	GS("root directory", root_directory, "", 0),
	GE("server max protocol", server_max_protocol, "SMB3_11",
	   protocol_names),
	GE("server min protocol", server_min_protocol, "SMB2_10",
	   protocol_names),
	GE("server mode", server_mode, "auto", server_mode_names),
	GB("server multi channel support", server_multi_channel_support, "no"),
	GE("server signing", server_signing, "auto", signing_names),
	GS("server string", server_string, "SMB SERVER", 63),
	GI("share:fake_fscaps", share_fake_fscaps, "64", 0, U32),
	GB("smb2 leases", smb2_leases, "no"),
	GI("smb2 max credits", smb2_max_credits, "8192", 1, 65535),
	GI("smb2 max read", smb2_max_read, "4M", 1, U32),
	GI("smb2 max trans", smb2_max_trans, "1M", 1, U32),
	GI("smb2 max write", smb2_max_write, "4M", 1, U32),
	GE("smb3 encryption", smb3_encryption, "auto", encryption_names),
	GI("smbd max io size", smbd_max_io_size, "8M", 1, U32),
	GI("tcp port", tcp_port, "445", 1, 65535),
	GS("workgroup", workgroup, "WORKGROUP", 63),
};

#define S(n, t, f, d, lo, hi, z) \
	{ n, t, offsetof(struct smbd_share, f), d, lo, hi, NULL, z }
#define SB(n, f, d)		S(n, PT_BOOL, f, d, 0, 0, 0)
#define SM(n, f, d)		S(n, PT_MODE, f, d, 0, 07777, 0)
#define SS(n, f)		S(n, PT_STRING, f, "", 0, 0, 0)
#define SL(n, f)		S(n, PT_LIST, f, "", 0, 0, 0)

/* Share parameters, in the order they are printed. */
static const struct param share_params[] = {
	SL("admin users", admin_users),
	SB("available", available, "yes"),
	SB("browseable", browseable, "yes"),
	SS("comment", comment),
	SB("continuous availability", continuous_availability, "no"),
	SM("create mask", create_mask, "0744"),
	SB("crossmnt", crossmnt, "yes"),
	SM("directory mask", directory_mask, "0755"),
	SB("follow symlinks", follow_symlinks, "no"),
	SM("force create mode", force_create_mode, "0000"),
	SM("force directory mode", force_directory_mode, "0000"),
	SS("force group", force_group),
	SS("force user", force_user),
	SS("guest account", guest_account),
	SB("guest ok", guest_ok, "no"),
	SB("guest only", guest_only, "no"),
	SB("hide dot files", hide_dot_files, "yes"),
	SL("hosts allow", hosts_allow),
	SL("hosts deny", hosts_deny),
	SB("inherit owner", inherit_owner, "no"),
	SL("invalid users", invalid_users),
	S("max connections", PT_INT, max_connections, "128", 0, 65536,
	  CONF_MAX_CONNS),
	SB("oplocks", oplocks, "yes"),
	SS("path", path),
	SL("read list", read_list),
	SB("read only", read_only, "yes"),
	SB("store dos attributes", store_dos_attributes, "yes"),
	SL("valid users", valid_users),
	S("veto files", PT_VETO, veto_files, "", 0, 0, 0),
	SL("vfs objects", vfs_objects),
	SL("write list", write_list),
};

#define NR_SHARE_PARAMS ARRAY_SIZE(share_params)

/* Other names of share parameters (Samba's and ksmbd's synonyms). */
struct synonym {
	const char *name;
	const char *canonical;
	bool inverse;		/* boolean with the opposite meaning */
};

static const struct synonym synonyms[] = {
	{ "allow hosts", "hosts allow", false },
	{ "browsable", "browseable", false },
	{ "create mode", "create mask", false },
	{ "deny hosts", "hosts deny", false },
	{ "directory mode", "directory mask", false },
	{ "only guest", "guest only", false },
	{ "public", "guest ok", false },
	{ "writable", "read only", true },
	{ "writeable", "read only", true },
	{ "write ok", "read only", true },
};

/* VFS modules a share may name in `vfs objects`. */
static const char *const vfs_modules[] = { "acl_xattr", "streams_xattr" };

/* A share section while the file is read. */
struct slot {
	struct smbd_share *share;
	bool set[NR_SHARE_PARAMS];	/* given in this section */
};

struct parser {
	struct smbd_config *cfg;
	struct smbd_config_diag *diag;
	TALLOC_CTX *tmp;
	const char *file;
	unsigned int line;
	struct slot *defaults;		/* share parameters from [global] */
	struct slot **slots;		/* slots[0] is IPC$ */
	size_t nr_slots;
	struct slot *cur;		/* NULL: in [global] or before */
	bool in_global;
};

/* ---------------------------------------------------------------------- */
/* diagnostics */

static void *diag_mem(struct smbd_config_diag *diag)
{
	if (!diag->mem)
		diag->mem = talloc_named_const(NULL, 0, "smbd_config_diag");
	return diag->mem;
}

static void diag_warn(struct smbd_config_diag *diag, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void diag_warn(struct smbd_config_diag *diag, const char *fmt, ...)
{
	char **list;
	char *msg;
	va_list ap;

	va_start(ap, fmt);
	msg = talloc_vasprintf(diag_mem(diag), fmt, ap);
	va_end(ap);
	if (!msg)
		return;
	list = talloc_realloc(diag->mem, diag->warnings, char *,
			      diag->nr_warnings + 1);
	if (!list)
		return;
	list[diag->nr_warnings++] = msg;
	diag->warnings = list;
	if (diag->warning)
		diag->warning(msg, diag->priv);
}

static void diag_error(struct smbd_config_diag *diag, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void diag_error(struct smbd_config_diag *diag, const char *fmt, ...)
{
	va_list ap;

	if (diag->error)	/* keep the first: it is the cause */
		return;
	va_start(ap, fmt);
	diag->error = talloc_vasprintf(diag_mem(diag), fmt, ap);
	va_end(ap);
}

void smbd_config_diag_free(struct smbd_config_diag *diag)
{
	if (!diag)
		return;
	talloc_free(diag->mem);
	diag->mem = NULL;
	diag->warnings = NULL;
	diag->nr_warnings = 0;
	diag->error = NULL;
}

/* ---------------------------------------------------------------------- */
/* small string helpers */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static char *trim(char *s)
{
	char *end;

	while (is_blank(*s))
		s++;
	end = s + strlen(s);
	while (end > s && is_blank(end[-1]))
		end--;
	*end = '\0';
	return s;
}

static char ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

/* Samba compares parameter names ignoring case and blanks. */
static bool name_equal(const char *a, const char *b)
{
	for (;;) {
		while (is_blank(*a))
			a++;
		while (is_blank(*b))
			b++;
		if (ascii_lower(*a) != ascii_lower(*b))
			return false;
		if (!*a)
			return true;
		a++;
		b++;
	}
}

/* Enum values compare ignoring case, with runs of blanks as one space. */
static bool words_equal(const char *a, const char *b)
{
	for (;;) {
		if (is_blank(*a) && is_blank(*b)) {
			while (is_blank(*a))
				a++;
			while (is_blank(*b))
				b++;
			continue;
		}
		if (ascii_lower(*a) != ascii_lower(*b))
			return false;
		if (!*a)
			return true;
		a++;
		b++;
	}
}

/* Collapse runs of blanks to one space: the name as messages show it. */
static void squeeze_blanks(char *s)
{
	char *out = s;
	bool blank = false;

	for (; *s; s++) {
		if (is_blank(*s)) {
			blank = true;
			continue;
		}
		if (blank)
			*out++ = ' ';
		blank = false;
		*out++ = *s;
	}
	*out = '\0';
}

static bool utf8_valid(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n, k;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (len - i <= n)
			return false;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		/* overlong forms, surrogates, beyond U+10FFFF */
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
			return false;
		i += n + 1;
	}
	return true;
}

/* ---------------------------------------------------------------------- */
/* value conversion: each returns 0, or -1 with the reason in why */

static int parse_bool(const char *v, bool *out, char *why, size_t n)
{
	static const char *const yes[] = { "yes", "true", "on", "1",
					   "enable" };
	static const char *const no[] = { "no", "false", "off", "0",
					  "disable" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcasecmp(v, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(v, no[i])) {
			*out = false;
			return 0;
		}
	}
	snprintf(why, n, "not a boolean (yes/no, true/false, on/off, 1/0)");
	return -1;
}

/* Decimal number with an optional K, M, G, T (P, E) suffix and "B". */
static int parse_int(const char *v, const struct param *p, uint32_t *out,
		     char *why, size_t n)
{
	static const char suffixes[] = "KMGTPE";
	const char *s = v, *sfx;
	uint64_t num = 0;
	bool overflow = false;
	ptrdiff_t shift;

	if (*s < '0' || *s > '9') {
		snprintf(why, n, "not a number");
		return -1;
	}
	for (; *s >= '0' && *s <= '9'; s++) {
		if (num > (UINT64_MAX - 9) / 10)
			overflow = true;
		else
			num = num * 10 + (uint64_t)(*s - '0');
	}
	if (*s) {
		sfx = strchr(suffixes, *s & ~0x20);
		if (!sfx || !*sfx || (s[1] && ((s[1] & ~0x20) != 'B' || s[2]))) {
			snprintf(why, n,
				 "bad number suffix \"%s\" (use K, M, G or T)",
				 s);
			return -1;
		}
		for (shift = 0; shift <= sfx - suffixes; shift++) {
			if (num > (UINT64_MAX >> 10))
				overflow = true;
			num <<= 10;
		}
	}
	if (overflow || num < p->min || num > p->max) {
		snprintf(why, n, "out of range (%llu..%llu)",
			 (unsigned long long)p->min,
			 (unsigned long long)p->max);
		return -1;
	}
	if (num == 0 && p->zero_means)
		num = p->zero_means;
	*out = (uint32_t)num;
	return 0;
}

static int parse_mode(const char *v, uint32_t *out, char *why, size_t n)
{
	const char *s;
	uint32_t mode = 0;

	if (!*v)
		goto bad;
	for (s = v; *s; s++) {
		if (*s < '0' || *s > '7')
			goto bad;
		mode = mode * 8 + (uint32_t)(*s - '0');
		if (mode > 07777)
			goto bad;
	}
	*out = mode;
	return 0;
bad:
	snprintf(why, n, "not an octal mode (0000..7777)");
	return -1;
}

static int parse_enum(const char *v, const struct enum_name *names, int *out,
		      char *why, size_t n)
{
	const struct enum_name *e;
	size_t used;

	for (e = names; e->name; e++) {
		if (words_equal(v, e->name)) {
			*out = e->value;
			return 0;
		}
	}
	used = (size_t)snprintf(why, n, "not one of");
	for (e = names; e->name && used < n; e++)
		used += (size_t)snprintf(why + used, n - used, "%s %s",
					 e == names ? "" : ",", e->name);
	return -1;
}

static bool is_list_sep(char c, enum ptype type)
{
	if (type == PT_VETO)
		return c == '/';
	return c == ',' || c == ' ' || c == '\t';
}

static int parse_list(TALLOC_CTX *mem, const char *v, enum ptype type,
		      struct smbd_strlist *out)
{
	struct smbd_strlist list = { NULL, 0 };
	const char *s = v, *start;

	while (*s) {
		char **items;

		while (*s && is_list_sep(*s, type))
			s++;
		if (!*s)
			break;
		start = s;
		while (*s && !is_list_sep(*s, type))
			s++;
		items = talloc_realloc(mem, list.items, char *,
				       list.count + 1);
		if (!items)
			goto nomem;
		list.items = items;
		items[list.count] = talloc_strndup(items, start,
						   (size_t)(s - start));
		if (!items[list.count])
			goto nomem;
		list.count++;
	}
	talloc_free(out->items);
	*out = list;
	return 0;
nomem:
	talloc_free(list.items);
	return -1;
}

static void list_remove(struct smbd_strlist *list, size_t i)
{
	talloc_free(list->items[i]);
	memmove(&list->items[i], &list->items[i + 1],
		(list->count - i - 1) * sizeof(list->items[0]));
	list->count--;
}

static bool list_has(const struct smbd_strlist *list, const char *item)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		if (!strcasecmp(list->items[i], item))
			return true;
	return false;
}

static bool known_vfs_module(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vfs_modules); i++)
		if (!strcasecmp(name, vfs_modules[i]))
			return true;
	return false;
}

/* Unknown modules are dropped with a warning: ksmbd ignores them too. */
static void check_vfs_objects(struct parser *ps, struct smbd_strlist *list)
{
	size_t i = 0;

	while (i < list->count) {
		if (known_vfs_module(list->items[i])) {
			i++;
			continue;
		}
		if (ps)
			diag_warn(ps->diag,
				  "%s:%u: unknown VFS module \"%s\" ignored (known: acl_xattr, streams_xattr)",
				  ps->file, ps->line, list->items[i]);
		list_remove(list, i);
	}
}

/*
 * Convert `v` for parameter `p` into the field at `base + p->offset`.
 * `mem` owns strings and lists; `ps` (may be NULL) receives warnings.
 * Returns 0, -1 with `why` set, or -2 when out of memory.
 */
static int convert(TALLOC_CTX *mem, struct parser *ps, const struct param *p,
		   const char *v, bool inverse, void *base, char *why,
		   size_t n)
{
	void *field = (char *)base + p->offset;
	char *str;
	int ret = 0;

	switch (p->type) {
	case PT_BOOL:
		ret = parse_bool(v, field, why, n);
		if (!ret && inverse)
			*(bool *)field = !*(bool *)field;
		return ret;
	case PT_INT:
		return parse_int(v, p, field, why, n);
	case PT_MODE:
		return parse_mode(v, field, why, n);
	case PT_ENUM:
		return parse_enum(v, p->names, field, why, n);
	case PT_STRING:
		if (p->max && strlen(v) > p->max) {
			snprintf(why, n, "longer than %llu bytes",
				 (unsigned long long)p->max);
			return -1;
		}
		str = talloc_strdup(mem, v);
		if (!str)
			return -2;
		talloc_free(*(char **)field);
		*(char **)field = str;
		return 0;
	case PT_LIST:
	case PT_VETO:
		if (parse_list(mem, v, p->type, field))
			return -2;
		if (!strcmp(p->name, "vfs objects"))
			check_vfs_objects(ps, field);
		return 0;
	}
	return -1;
}

/* Built-in defaults cannot fail to convert; a failure is a table bug. */
static int set_defaults(TALLOC_CTX *mem, const struct param *params,
			size_t count, void *base)
{
	char why[160];
	size_t i;

	for (i = 0; i < count; i++)
		if (convert(mem, NULL, &params[i], params[i].def, false, base,
			    why, sizeof(why)))
			return -1;
	return 0;
}

static int copy_value(TALLOC_CTX *mem, const struct param *p, void *dst,
		      const void *src)
{
	void *to = (char *)dst + p->offset;
	const void *from = (const char *)src + p->offset;
	const struct smbd_strlist *list;
	struct smbd_strlist copy = { NULL, 0 };
	char *str;
	size_t i;

	switch (p->type) {
	case PT_BOOL:
		*(bool *)to = *(const bool *)from;
		return 0;
	case PT_INT:
	case PT_MODE:
		*(uint32_t *)to = *(const uint32_t *)from;
		return 0;
	case PT_ENUM:
		*(int *)to = *(const int *)from;
		return 0;
	case PT_STRING:
		str = talloc_strdup(mem, *(char *const *)from);
		if (!str)
			return -1;
		talloc_free(*(char **)to);
		*(char **)to = str;
		return 0;
	case PT_LIST:
	case PT_VETO:
		list = from;
		if (list->count) {
			copy.items = talloc_array(mem, char *, list->count);
			if (!copy.items)
				return -1;
			for (i = 0; i < list->count; i++) {
				copy.items[i] = talloc_strdup(copy.items,
							      list->items[i]);
				if (!copy.items[i]) {
					talloc_free(copy.items);
					return -1;
				}
			}
			copy.count = list->count;
		}
		talloc_free(((struct smbd_strlist *)to)->items);
		*(struct smbd_strlist *)to = copy;
		return 0;
	}
	return -1;
}

/* ---------------------------------------------------------------------- */
/* catalogue lookup */

static const struct param *find_param(const struct param *params,
				      size_t count, const char *name)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (name_equal(name, params[i].name))
			return &params[i];
	return NULL;
}

static const struct param *find_share_param(const char *name, bool *inverse)
{
	size_t i;

	*inverse = false;
	for (i = 0; i < ARRAY_SIZE(synonyms); i++) {
		if (name_equal(name, synonyms[i].name)) {
			*inverse = synonyms[i].inverse;
			name = synonyms[i].canonical;
			break;
		}
	}
	return find_param(share_params, NR_SHARE_PARAMS, name);
}

/* ---------------------------------------------------------------------- */
/* sections */

static struct slot *new_slot(struct parser *ps, TALLOC_CTX *owner,
			     const char *name)
{
	struct slot *slot = talloc_zero(ps->tmp, struct slot);
	struct smbd_share *share;

	if (!slot)
		return NULL;
	share = talloc_zero(owner, struct smbd_share);
	if (!share)
		return NULL;
	slot->share = share;
	share->name = talloc_strdup(share, name);
	share->abs_path = talloc_strdup(share, "");
	if (!share->name || !share->abs_path ||
	    set_defaults(share, share_params, NR_SHARE_PARAMS, share))
		return NULL;
	share->line = ps->line;
	return slot;
}

static struct slot *add_share_slot(struct parser *ps, const char *name)
{
	struct slot **slots;
	struct slot *slot;

	slot = new_slot(ps, ps->cfg, name);
	if (!slot)
		return NULL;
	slots = talloc_realloc(ps->tmp, ps->slots, struct slot *,
			       ps->nr_slots + 1);
	if (!slots)
		return NULL;
	slots[ps->nr_slots++] = slot;
	ps->slots = slots;
	return slot;
}

static struct slot *find_slot(struct parser *ps, const char *name)
{
	size_t i;

	for (i = 0; i < ps->nr_slots; i++)
		if (!strcasecmp(ps->slots[i]->share->name, name))
			return ps->slots[i];
	return NULL;
}

/* IPC$ exists without a section; a [IPC$] section may still tune it. */
static int add_ipc_share(struct parser *ps)
{
	struct slot *ipc = add_share_slot(ps, "IPC$");
	bool inverse;
	char why[160];

	if (!ipc)
		return -1;
	ipc->share->is_ipc = true;
	if (convert(ipc->share, NULL, find_share_param("comment", &inverse),
		    "IPC share", false, ipc->share, why, sizeof(why)))
		return -1;
	ipc->share->guest_ok = true;
	ipc->set[find_share_param("comment", &inverse) - share_params] = true;
	ipc->set[find_share_param("guest ok", &inverse) - share_params] = true;
	return 0;
}

static int check_share_name(struct parser *ps, const char *name)
{
	size_t len = strlen(name);
	const char *s;

	if (!len) {
		diag_error(ps->diag, "%s:%u: empty section name \"[]\"",
			   ps->file, ps->line);
		return -1;
	}
	if (len > SMBD_SHARE_NAME_MAX) {
		diag_error(ps->diag,
			   "%s:%u: share name \"%s\" is longer than %d bytes",
			   ps->file, ps->line, name, SMBD_SHARE_NAME_MAX);
		return -1;
	}
	if (!utf8_valid((const unsigned char *)name, len)) {
		diag_error(ps->diag, "%s:%u: share name is not valid UTF-8",
			   ps->file, ps->line);
		return -1;
	}
	for (s = name; *s; s++) {
		if (*s == '[' || *s == ']') {
			diag_error(ps->diag,
				   "%s:%u: share name \"%s\" contains '%c'",
				   ps->file, ps->line, name, *s);
			return -1;
		}
	}
	return 0;
}

static int parse_section(struct parser *ps, char *s)
{
	char *close = strchr(s, ']');
	char *name, *rest;

	if (!close) {
		diag_error(ps->diag,
			   "%s:%u: unterminated section header (missing ']')",
			   ps->file, ps->line);
		return -1;
	}
	*close = '\0';
	rest = trim(close + 1);
	if (*rest) {
		diag_error(ps->diag,
			   "%s:%u: unexpected text \"%s\" after section header",
			   ps->file, ps->line, rest);
		return -1;
	}
	name = trim(s + 1);
	if (!strcasecmp(name, "global")) {
		ps->in_global = true;
		ps->cur = NULL;
		return 0;
	}
	if (check_share_name(ps, name))
		return -1;
	ps->in_global = false;
	ps->cur = find_slot(ps, name);
	if (!ps->cur)
		ps->cur = add_share_slot(ps, name);
	if (!ps->cur) {
		diag_error(ps->diag, "%s:%u: out of memory", ps->file,
			   ps->line);
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* parameters */

static bool empty_allowed(const struct param *p)
{
	return p->type == PT_STRING || p->type == PT_LIST ||
	       p->type == PT_VETO;
}

static int assign(struct parser *ps, TALLOC_CTX *mem, const struct param *p,
		  const char *key, const char *val, bool inverse, void *base)
{
	char why[256];
	int ret;

	if (!*val && !empty_allowed(p)) {
		/* ksmbd-tools skips empty values: keep the previous one */
		diag_warn(ps->diag, "%s:%u: empty value for \"%s\" ignored",
			  ps->file, ps->line, key);
		return 1;
	}
	ret = convert(mem, ps, p, val, inverse, base, why, sizeof(why));
	if (ret == -2) {
		diag_error(ps->diag, "%s:%u: out of memory", ps->file,
			   ps->line);
		return -1;
	}
	if (ret) {
		diag_error(ps->diag,
			   "%s:%u: invalid value \"%s\" for parameter \"%s\": %s",
			   ps->file, ps->line, val, key, why);
		return -1;
	}
	return 0;
}

static int set_share_param(struct parser *ps, struct slot *slot,
			   const struct param *p, const char *key,
			   const char *val, bool inverse)
{
	int ret = assign(ps, slot->share, p, key, val, inverse, slot->share);

	if (ret == 0)
		slot->set[p - share_params] = true;
	return ret < 0 ? -1 : 0;
}

static int parse_parameter(struct parser *ps, char *s, char *eq)
{
	const struct param *p;
	char *key, *val;
	bool inverse;

	*eq = '\0';
	key = trim(s);
	val = trim(eq + 1);
	squeeze_blanks(key);
	if (!*key) {
		diag_error(ps->diag,
			   "%s:%u: missing parameter name before '='",
			   ps->file, ps->line);
		return -1;
	}
	if (!ps->in_global && !ps->cur) {
		diag_error(ps->diag,
			   "%s:%u: parameter \"%s\" outside of any section",
			   ps->file, ps->line, key);
		return -1;
	}
	if (ps->in_global) {
		/* Global first: "guest account" and "max connections"
		 * in [global] are the server's, not the shares' default. */
		p = find_param(global_params, ARRAY_SIZE(global_params), key);
		if (p)
			return assign(ps, ps->cfg, p, key, val, false,
				      &ps->cfg->global) < 0 ? -1 : 0;
		p = find_share_param(key, &inverse);
		if (p)
			return set_share_param(ps, ps->defaults, p, key, val,
					       inverse);
	} else {
		p = find_share_param(key, &inverse);
		if (p)
			return set_share_param(ps, ps->cur, p, key, val,
					       inverse);
		if (find_param(global_params, ARRAY_SIZE(global_params),
			       key)) {
			diag_warn(ps->diag,
				  "%s:%u: global parameter \"%s\" in share [%s] ignored",
				  ps->file, ps->line, key,
				  ps->cur->share->name);
			return 0;
		}
	}
	diag_warn(ps->diag, "%s:%u: unknown parameter \"%s\" ignored",
		  ps->file, ps->line, key);
	return 0;
}

static int parse_logical_line(struct parser *ps, char *line)
{
	char *s = trim(line), *eq;

	if (!*s)
		return 0;
	if (*s == '[')
		return parse_section(ps, s);
	eq = strchr(s, '=');
	if (!eq) {
		diag_error(ps->diag,
			   "%s:%u: expected \"[section]\" or \"name = value\", got \"%s\"",
			   ps->file, ps->line, s);
		return -1;
	}
	return parse_parameter(ps, s, eq);
}

/* ---------------------------------------------------------------------- */
/* lines */

/*
 * Where the comment of a physical line starts, or NULL.  In a section
 * line it can only start after the closing bracket, so that share names
 * may hold ';' and '#' as ksmbd allows.
 */
static char *comment_start(char *line, size_t len)
{
	char *s = line, *end = line + len;

	while (s < end && is_blank(*s))
		s++;
	if (s < end && *s == '[') {
		char *close = memchr(s, ']', (size_t)(end - s));

		if (close)
			s = close;
	}
	for (; s < end; s++)
		if (*s == ';' || *s == '#')
			return s;
	return NULL;
}

static int check_bytes(struct parser *ps, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t') || c == 0x7F) {
			diag_error(ps->diag,
				   "%s:%u: invalid control character 0x%02X",
				   ps->file, ps->line, c);
			return -1;
		}
	}
	return 0;
}

static int parse_text(struct parser *ps, const char *text, size_t len)
{
	const char *pos = text, *end = text + len;
	unsigned int phys = 0;
	char *logical = NULL;
	size_t used = 0;
	int ret = 0;

	logical = talloc_array(ps->tmp, char, CONF_LINE_MAX + 1);
	if (!logical)
		return -1;
	while (pos < end) {
		const char *nl = memchr(pos, '\n', (size_t)(end - pos));
		size_t plen = nl ? (size_t)(nl - pos) : (size_t)(end - pos);
		bool cont = false;
		char *seg, *cut;

		phys++;
		if (!used)
			ps->line = phys;
		if (plen && pos[plen - 1] == '\r')	/* CRLF files */
			plen--;
		if (used + plen > CONF_LINE_MAX) {
			diag_error(ps->diag, "%s:%u: line longer than %u bytes",
				   ps->file, ps->line, CONF_LINE_MAX);
			return -1;
		}
		seg = logical + used;
		memcpy(seg, pos, plen);
		seg[plen] = '\0';
		pos = nl ? nl + 1 : end;
		if (check_bytes(ps, seg, plen))
			return -1;
		cut = comment_start(seg, plen);
		if (cut) {
			*cut = '\0';
		} else {
			/* Samba: a trailing backslash joins the next line */
			char *e = seg + plen;

			while (e > seg && is_blank(e[-1]))
				e--;
			if (e > seg && e[-1] == '\\') {
				e[-1] = '\0';
				cont = pos < end;
			}
		}
		used += strlen(seg);
		if (cont)
			continue;
		ret = parse_logical_line(ps, logical);
		used = 0;
		if (ret)
			break;
	}
	talloc_free(logical);
	return ret;
}

/* ---------------------------------------------------------------------- */
/* finishing */

static char *join_path(TALLOC_CTX *mem, const char *root, const char *path)
{
	size_t rlen = strlen(root);

	if (!*path || !rlen)
		return talloc_strdup(mem, path);
	while (rlen > 1 && root[rlen - 1] == '/')
		rlen--;
	while (*path == '/')
		path++;
	if (rlen == 1 && root[0] == '/')
		return talloc_asprintf(mem, "/%s", path);
	return talloc_asprintf(mem, "%.*s/%s", (int)rlen, root, path);
}

static int finish_share(struct parser *ps, struct slot *slot)
{
	struct smbd_share *share = slot->share;
	size_t i;

	for (i = 0; i < NR_SHARE_PARAMS; i++) {
		if (slot->set[i] || !ps->defaults->set[i])
			continue;
		if (copy_value(share, &share_params[i], share,
			       ps->defaults->share))
			return -1;
	}
	if (share->is_ipc)
		return 0;
	talloc_free(share->abs_path);
	share->abs_path = join_path(share, ps->cfg->global.root_directory,
				    share->path);
	if (!share->abs_path)
		return -1;
	if (!*share->path)
		diag_warn(ps->diag, "%s:%u: share [%s] has no path",
			  ps->file, share->line, share->name);
	return 0;
}

static int finish(struct parser *ps)
{
	struct smbd_config *cfg = ps->cfg;
	size_t i;

	cfg->shares = talloc_array(cfg, struct smbd_share *, ps->nr_slots);
	if (!cfg->shares)
		return -1;
	for (i = 0; i < ps->nr_slots; i++) {
		if (finish_share(ps, ps->slots[i]))
			return -1;
		cfg->shares[i] = ps->slots[i]->share;
	}
	cfg->nr_shares = ps->nr_slots;
	if (cfg->nr_shares == 1)
		diag_warn(ps->diag, "%s: no shares defined, only IPC$",
			  ps->file);
	return 0;
}

static int init_parser(struct parser *ps, const char *name)
{
	struct smbd_config *cfg = ps->cfg;

	ps->file = name;
	cfg->source = talloc_strdup(cfg, name);
	ps->tmp = talloc_new(NULL);
	if (!cfg->source || !ps->tmp)
		return -1;
	if (set_defaults(cfg, global_params, ARRAY_SIZE(global_params),
			 &cfg->global))
		return -1;
	ps->defaults = new_slot(ps, ps->tmp, "global");
	if (!ps->defaults)
		return -1;
	return add_ipc_share(ps);
}

struct smbd_config *smbd_config_load_buffer(const char *name, const char *text,
					    size_t len,
					    struct smbd_config_diag *diag)
{
	struct smbd_config_diag local = { 0 };
	struct parser ps = { 0 };
	int ret;

	ps.diag = diag ? diag : &local;
	ps.cfg = talloc_zero(NULL, struct smbd_config);
	if (!ps.cfg || init_parser(&ps, name)) {
		diag_error(ps.diag, "%s: out of memory", name);
		ret = -1;
	} else {
		ret = parse_text(&ps, text, len);
		if (!ret && finish(&ps)) {
			diag_error(ps.diag, "%s: out of memory", name);
			ret = -1;
		}
	}
	talloc_free(ps.tmp);
	smbd_config_diag_free(&local);
	if (ret) {
		talloc_free(ps.cfg);
		return NULL;
	}
	return ps.cfg;
}

static char *read_file(const char *path, size_t *len, int *err)
{
	char *buf = NULL, *grown;
	size_t used = 0, cap = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*err = errno;
		return NULL;
	}
	for (;;) {
		if (used == cap) {
			if (cap >= CONF_FILE_MAX) {
				*err = EFBIG;
				goto fail;
			}
			cap = cap ? cap * 2 : 8192;
			grown = talloc_realloc(NULL, buf, char, cap);
			if (!grown) {
				*err = ENOMEM;
				goto fail;
			}
			buf = grown;
		}
		n = read(fd, buf + used, cap - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*err = errno;
			goto fail;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	*len = used;
	return buf;
fail:
	close(fd);
	talloc_free(buf);
	return NULL;
}

struct smbd_config *smbd_config_load(const char *path,
				     struct smbd_config_diag *diag)
{
	struct smbd_config *cfg;
	size_t len = 0;
	int err = 0;
	char *text = read_file(path, &len, &err);

	if (!text) {
		if (diag)
			diag_error(diag, "%s: cannot read: %s", path,
				   strerror(err));
		return NULL;
	}
	cfg = smbd_config_load_buffer(path, text, len, diag);
	talloc_free(text);
	return cfg;
}

void smbd_config_free(struct smbd_config *cfg)
{
	talloc_free(cfg);
}

/* ---------------------------------------------------------------------- */
/* queries */

struct smbd_share *smbd_config_share(const struct smbd_config *cfg,
				     const char *name)
{
	size_t i;

	for (i = 0; i < cfg->nr_shares; i++)
		if (!strcasecmp(cfg->shares[i]->name, name))
			return cfg->shares[i];
	return NULL;
}

const char *smbd_share_guest_account(const struct smbd_config *cfg,
				     const struct smbd_share *share)
{
	if (share->guest_account && *share->guest_account)
		return share->guest_account;
	return cfg->global.guest_account;
}

uint32_t smbd_share_flags(const struct smbd_share *share)
{
	uint32_t flags = 0;

	if (share->available)
		flags |= SMBD_SHARE_FLAG_AVAILABLE;
	if (share->browseable)
		flags |= SMBD_SHARE_FLAG_BROWSEABLE;
	/* exactly one of WRITEABLE and READONLY, as ksmbd-tools sends */
	if (share->read_only)
		flags |= SMBD_SHARE_FLAG_READONLY;
	else
		flags |= SMBD_SHARE_FLAG_WRITEABLE;
	if (share->guest_ok)
		flags |= SMBD_SHARE_FLAG_GUEST_OK;
	if (share->guest_only)
		flags |= SMBD_SHARE_FLAG_GUEST_ONLY;
	if (share->store_dos_attributes)
		flags |= SMBD_SHARE_FLAG_STORE_DOS_ATTRS;
	if (share->oplocks)
		flags |= SMBD_SHARE_FLAG_OPLOCKS;
	if (share->is_ipc)
		flags |= SMBD_SHARE_FLAG_PIPE;
	if (share->hide_dot_files)
		flags |= SMBD_SHARE_FLAG_HIDE_DOT_FILES;
	if (share->inherit_owner)
		flags |= SMBD_SHARE_FLAG_INHERIT_OWNER;
	if (list_has(&share->vfs_objects, "streams_xattr"))
		flags |= SMBD_SHARE_FLAG_STREAMS;
	if (share->follow_symlinks)
		flags |= SMBD_SHARE_FLAG_FOLLOW_SYMLINKS;
	if (list_has(&share->vfs_objects, "acl_xattr"))
		flags |= SMBD_SHARE_FLAG_ACL_XATTR;
	if (share->crossmnt)
		flags |= SMBD_SHARE_FLAG_CROSSMNT;
	if (share->continuous_availability)
		flags |= SMBD_SHARE_FLAG_CONTINUOUS_AVAILABILITY;
	return flags;
}

uint32_t smbd_global_flags(const struct smbd_globals *global)
{
	uint32_t flags = 0;

	if (global->smb2_leases)
		flags |= SMBD_GLOBAL_FLAG_SMB2_LEASES;
	if (global->smb3_encryption == SMBD_ENCRYPTION_MANDATORY)
		flags |= SMBD_GLOBAL_FLAG_SMB2_ENCRYPTION;
	if (global->smb3_encryption == SMBD_ENCRYPTION_DISABLED)
		flags |= SMBD_GLOBAL_FLAG_SMB2_ENCRYPTION_OFF;
	if (global->server_multi_channel_support)
		flags |= SMBD_GLOBAL_FLAG_SMB3_MULTICHANNEL;
	if (global->durable_handles)
		flags |= SMBD_GLOBAL_FLAG_DURABLE_HANDLE;
	return flags;
}

static const char *enum_text(const struct enum_name *names, int value)
{
	const struct enum_name *e;

	for (e = names; e->name; e++)
		if (e->value == value)
			return e->name;
	return "?";
}

const char *smbd_protocol_name(int prot)
{
	return enum_text(protocol_names, prot);
}

/* ---------------------------------------------------------------------- */
/* printing */

static void print_list(FILE *out, const struct smbd_strlist *list,
		       enum ptype type)
{
	size_t i;

	for (i = 0; i < list->count; i++) {
		if (type == PT_VETO)
			fprintf(out, "/%s", list->items[i]);
		else
			fprintf(out, "%s%s", i ? ", " : "", list->items[i]);
	}
	if (type == PT_VETO && list->count)
		fputc('/', out);
}

static void print_param(FILE *out, const struct param *p, const void *base)
{
	const void *field = (const char *)base + p->offset;

	fprintf(out, "\t%s =", p->name);
	switch (p->type) {
	case PT_BOOL:
		fprintf(out, " %s", *(const bool *)field ? "yes" : "no");
		break;
	case PT_INT:
		fprintf(out, " %u", (unsigned int)*(const uint32_t *)field);
		break;
	case PT_MODE:
		fprintf(out, " %04o", (unsigned int)*(const uint32_t *)field);
		break;
	case PT_ENUM:
		fprintf(out, " %s", enum_text(p->names, *(const int *)field));
		break;
	case PT_STRING:
		if (**(char *const *)field)
			fprintf(out, " %s", *(char *const *)field);
		break;
	case PT_LIST:
	case PT_VETO:
		if (((const struct smbd_strlist *)field)->count) {
			fputc(' ', out);
			print_list(out, field, p->type);
		}
		break;
	}
	fputc('\n', out);
}

int smbd_config_print(const struct smbd_config *cfg, FILE *out)
{
	size_t i, j;

	fprintf(out, "# Effective configuration from %s\n[global]\n",
		cfg->source);
	for (i = 0; i < ARRAY_SIZE(global_params); i++)
		print_param(out, &global_params[i], &cfg->global);
	for (j = 0; j < cfg->nr_shares; j++) {
		fprintf(out, "\n[%s]\n", cfg->shares[j]->name);
		for (i = 0; i < NR_SHARE_PARAMS; i++)
			print_param(out, &share_params[i], cfg->shares[j]);
	}
	return ferror(out) ? -1 : 0;
}

bool smbd_config_same_param(const char *a, const char *b)
{
	const struct param *pa, *pb;
	bool inv;

	if (name_equal(a, b))
		return true;
	pa = find_share_param(a, &inv);
	pb = find_share_param(b, &inv);
	if (pa && pa == pb)
		return true;
	pa = find_param(global_params, ARRAY_SIZE(global_params), a);
	return pa && pa == find_param(global_params, ARRAY_SIZE(global_params), b);
}
