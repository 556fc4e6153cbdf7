/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hosts allow / hosts deny: parse the lists once, match peers many times.
 *
 * The list syntax is Samba's (hosts_access(5) style):
 *   10.1.2.3  fe80::1  ::ffff:10.1.2.3   one address
 *   10.0.0.0/8  fe80::/10  [fe80::]/10   CIDR prefix
 *   192.168.1.0/255.255.255.0            address and netmask
 *   192.168.                             leading octets (trailing dot)
 *   ALL                                  every peer
 *   LOCAL                                a peer whose name has no dot
 *   localhost                            127.0.0.0/8, ::1, or the name
 *   host.example.com                     the peer's name (case-insensitive)
 *   .example.com                         any name ending in .example.com
 *   pc-*.lab  ws??                       shell wildcards on name or address
 *   a b EXCEPT c d                       a or b, but not c or d
 *
 * No name service lookups happen here: the caller passes the peer's
 * resolved name, or NULL, and name entries only match that name.
 *
 * A malformed entry is reported through the diagnostic callback and then
 * never matches; it still counts as "the list is set", so a list made only
 * of typos fails closed instead of silently allowing everyone.
 */
#ifndef SMBD_SERVER_HOSTS_H
#define SMBD_SERVER_HOSTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <talloc.h>

struct hosts_list;

/* Called once per malformed or unsupported entry while parsing. */
typedef void (*hosts_diag_fn)(void *arg, const char *entry, const char *why);

/*
 * A peer as the data path reports it (netlink tree_connect_request.peer_addr
 * is text: "10.0.0.1", "fe80::1", "::ffff:10.0.0.1"). IPv4-mapped IPv6
 * addresses are stored as IPv4 so that IPv4 entries match them.
 */
struct hosts_peer {
	bool addr_valid;
	int family;			/* AF_INET or AF_INET6 when addr_valid */
	uint8_t addr[16];		/* network byte order; 4 bytes for IPv4 */
	char addr_text[64];		/* canonical text, for wildcard entries */
	char name[256];			/* resolved name without a final dot,
					 * "" when unknown */
};

/*
 * Parse a config value: entries separated by commas, spaces or tabs.
 * NULL or blank gives an empty list. Returns NULL only when out of memory.
 * diag may be NULL: diagnostics then go to stderr.
 */
struct hosts_list *hosts_list_parse(TALLOC_CTX *mem_ctx, const char *value,
				    hosts_diag_fn diag, void *diag_arg);

/* Same, from entries already split by the config parser. */
struct hosts_list *hosts_list_from_tokens(TALLOC_CTX *mem_ctx,
					  const char *const *tokens,
					  size_t ntokens,
					  hosts_diag_fn diag, void *diag_arg);

/* True for NULL or a list with no entries at all (the parameter is unset). */
bool hosts_list_is_empty(const struct hosts_list *list);

/* Number of entries that were rejected while parsing. */
size_t hosts_list_invalid_count(const struct hosts_list *list);

/*
 * Fill *peer from the text address and an optional name. Accepts brackets
 * and a %scope suffix. Returns 0, or -1 when the address does not parse
 * (the peer then only matches ALL and name entries).
 */
int hosts_peer_init(struct hosts_peer *peer, const char *addr,
		    const char *name);

/* Does the peer match the list (with EXCEPT applied)? NULL never matches. */
bool hosts_list_match(const struct hosts_list *list,
		      const struct hosts_peer *peer);

/*
 * The hosts allow / hosts deny decision, as Samba makes it:
 *  - neither list set: allowed;
 *  - 127.0.0.1 and ::1: allowed unless the deny list matches and the allow
 *    list does not;
 *  - only an allow list: allowed if it matches;
 *  - only a deny list: allowed unless it matches;
 *  - both: allowed if the allow list matches, else denied if the deny list
 *    matches, else allowed.
 * A peer whose address did not parse is denied whenever either list is set.
 */
bool hosts_access_allowed(const struct hosts_list *allow,
			  const struct hosts_list *deny,
			  const struct hosts_peer *peer);

#endif /* SMBD_SERVER_HOSTS_H */
