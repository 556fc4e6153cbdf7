// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hosts allow / hosts deny matching. See hosts.h for the syntax.
 */

/* FNM_CASEFOLD is a GNU extension (also in the BSDs and musl). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <arpa/inet.h>
#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "hosts.h"

enum hosts_kind {
	HOSTS_INVALID,		/* rejected while parsing: never matches */
	HOSTS_EXCEPT,		/* separator, not a pattern */
	HOSTS_ALL,
	HOSTS_LOCAL,		/* a name without a dot */
	HOSTS_LOCALHOST,	/* loopback addresses or the name */
	HOSTS_NET,		/* address & mask == net */
	HOSTS_NAME,		/* whole name */
	HOSTS_DOMAIN,		/* ".example.com": name suffix */
	HOSTS_NAME_PREFIX,	/* "host.": name prefix */
	HOSTS_WILDCARD,		/* fnmatch() on name or address text */
};

struct hosts_entry {
	enum hosts_kind kind;
	int family;
	uint8_t net[16];
	uint8_t mask[16];
	char *text;
};

struct hosts_list {
	size_t count;
	size_t invalid;
	struct hosts_entry *entries;
};

struct parse_ctx {
	hosts_diag_fn diag;
	void *diag_arg;
};

static const uint8_t v4_mapped_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

static size_t family_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

static void report(const struct parse_ctx *pc, const char *entry,
		   const char *why)
{
	if (pc->diag)
		pc->diag(pc->diag_arg, entry, why);
	else
		fprintf(stderr, "hosts: ignoring entry '%s': %s\n", entry, why);
}

/*
 * Text to address. An IPv4-mapped IPv6 address becomes IPv4, so that a
 * dual-stack listener's peers and IPv4 entries meet on the same form.
 * *was_mapped tells the caller, who must then shift prefix lengths.
 */
static bool parse_addr(const char *text, int *family, uint8_t *out,
		       bool *was_mapped)
{
	uint8_t buf[16];

	if (was_mapped)
		*was_mapped = false;
	if (inet_pton(AF_INET, text, buf) == 1) {
		*family = AF_INET;
		memcpy(out, buf, 4);
		return true;
	}
	if (inet_pton(AF_INET6, text, buf) != 1)
		return false;
	if (memcmp(buf, v4_mapped_prefix, sizeof(v4_mapped_prefix)) == 0) {
		*family = AF_INET;
		memcpy(out, buf + 12, 4);
		if (was_mapped)
			*was_mapped = true;
		return true;
	}
	*family = AF_INET6;
	memcpy(out, buf, 16);
	return true;
}

static void prefix_to_mask(unsigned int bits, size_t len, uint8_t *mask)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (bits >= 8) {
			mask[i] = 0xff;
			bits -= 8;
		} else {
			mask[i] = (uint8_t)(0xff00 >> bits);
			bits = 0;
		}
	}
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static bool only_digits_and_dots(const char *s)
{
	for (; *s; s++)
		if (!isdigit((unsigned char)*s) && *s != '.')
			return false;
	return true;
}

/* Letters, digits, '-', '_' and '.', plus '*' and '?' when wild is set. */
static bool valid_name_chars(const char *s, bool wild)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || c == '-' || c == '_' || c == '.')
			continue;
		if (wild && (c == '*' || c == '?'))
			continue;
		return false;
	}
	return true;
}

static void apply_mask(struct hosts_entry *e)
{
	size_t i;

	for (i = 0; i < family_len(e->family); i++)
		e->net[i] &= e->mask[i];
}

/* The part after '/': a prefix length or a netmask of the same family. */
static const char *parse_mask(struct hosts_entry *e, const char *text,
			      bool was_mapped)
{
	unsigned int max = e->family == AF_INET ? 32 : 128;
	int mask_family;

	if (all_digits(text)) {
		unsigned long bits;

		if (strlen(text) > 3)
			return "prefix length out of range";
		bits = strtoul(text, NULL, 10);
		if (was_mapped) {
			/* ::ffff:a.b.c.d/104 is a.b.c.d/8 */
			if (bits < 96 || bits > 128)
				return "IPv4-mapped prefix must be /96../128";
			bits -= 96;
		}
		if (bits > max)
			return "prefix length out of range";
		prefix_to_mask((unsigned int)bits, family_len(e->family),
			       e->mask);
		return NULL;
	}
	if (was_mapped)
		return "write an IPv4-mapped network in its IPv4 form";
	if (!parse_addr(text, &mask_family, e->mask, NULL))
		return "netmask is neither a prefix length nor an address";
	if (mask_family != e->family)
		return "netmask family differs from the address";
	return NULL;
}

/* "addr/len", "addr/mask", "[v6]/len". */
static const char *parse_network(struct hosts_entry *e, const char *tok)
{
	const char *slash = strchr(tok, '/');
	size_t alen = (size_t)(slash - tok);
	char addr[INET6_ADDRSTRLEN + 2];
	bool was_mapped;
	const char *why;

	if (tok[0] == '[') {
		if (alen < 3 || tok[alen - 1] != ']')
			return "unbalanced '[' in address";
		tok++;
		alen -= 2;
	}
	if (alen == 0 || alen >= sizeof(addr))
		return "bad network address";
	memcpy(addr, tok, alen);
	addr[alen] = '\0';
	if (!parse_addr(addr, &e->family, e->net, &was_mapped))
		return "bad network address";
	why = parse_mask(e, slash + 1, was_mapped);
	if (why)
		return why;
	apply_mask(e);
	e->kind = HOSTS_NET;
	return NULL;
}

static const char *parse_single_addr(struct hosts_entry *e, const char *tok)
{
	char addr[INET6_ADDRSTRLEN + 2];
	size_t len = strlen(tok);

	if (tok[0] == '[') {
		if (len < 3 || tok[len - 1] != ']')
			return "unbalanced '[' in address";
		tok++;
		len -= 2;
	}
	if (len >= sizeof(addr))
		return "bad address";
	memcpy(addr, tok, len);
	addr[len] = '\0';
	if (!parse_addr(addr, &e->family, e->net, NULL))
		return strchr(addr, ':') ? "bad IPv6 address"
					 : "bad IPv4 address";
	prefix_to_mask(e->family == AF_INET ? 32 : 128,
		       family_len(e->family), e->mask);
	e->kind = HOSTS_NET;
	return NULL;
}

/* "192.168." : one to three leading octets of an IPv4 address. */
static const char *parse_octet_prefix(struct hosts_entry *e, const char *tok)
{
	unsigned int octets = 0;
	const char *p = tok;

	e->family = AF_INET;
	memset(e->net, 0, sizeof(e->net));
	while (*p) {
		unsigned int val = 0, digits = 0;

		while (isdigit((unsigned char)*p)) {
			val = val * 10 + (unsigned int)(*p - '0');
			if (++digits > 3)
				return "octet too long";
			p++;
		}
		if (digits == 0 || *p != '.')
			return "empty octet";
		if (val > 255)
			return "octet above 255";
		if (octets == 3)
			return "too many octets before the final dot";
		e->net[octets++] = (uint8_t)val;
		p++;
	}
	prefix_to_mask(octets * 8, 4, e->mask);
	e->kind = HOSTS_NET;
	return NULL;
}

static const char *parse_name_like(struct hosts_entry *e, const char *tok)
{
	size_t len = strlen(tok);

	if (strchr(tok, '*') || strchr(tok, '?')) {
		if (!valid_name_chars(tok, true))
			return "bad character in wildcard";
		e->kind = HOSTS_WILDCARD;
		return NULL;
	}
	if (!valid_name_chars(tok, false))
		return "not an address, network or host name";
	if (tok[0] == '.') {
		if (len < 2 || tok[1] == '.')
			return "empty domain";
		e->kind = HOSTS_DOMAIN;
		return NULL;
	}
	if (strstr(tok, ".."))
		return "empty label in host name";
	e->kind = tok[len - 1] == '.' ? HOSTS_NAME_PREFIX : HOSTS_NAME;
	return NULL;
}

/* Classify one token. Returns NULL, or why it was rejected. */
static const char *parse_entry(struct hosts_entry *e, const char *tok)
{
	if (strcasecmp(tok, "EXCEPT") == 0) {
		e->kind = HOSTS_EXCEPT;
		return NULL;
	}
	if (strcasecmp(tok, "ALL") == 0) {
		e->kind = HOSTS_ALL;
		return NULL;
	}
	if (strcasecmp(tok, "LOCAL") == 0) {
		e->kind = HOSTS_LOCAL;
		return NULL;
	}
	if (strcasecmp(tok, "localhost") == 0) {
		e->kind = HOSTS_LOCALHOST;
		return NULL;
	}
	if (tok[0] == '@')
		return "netgroups are not supported";
	if (strchr(tok, '/'))
		return parse_network(e, tok);
	if (tok[0] == '[' || strchr(tok, ':'))
		return parse_single_addr(e, tok);
	if (only_digits_and_dots(tok)) {
		if (tok[strlen(tok) - 1] == '.')
			return parse_octet_prefix(e, tok);
		return parse_single_addr(e, tok);
	}
	return parse_name_like(e, tok);
}

/* Warn about EXCEPT placements that make a segment meaningless. */
static void check_except_layout(const struct hosts_list *list,
				const struct parse_ctx *pc)
{
	bool segment_empty = true;
	size_t i;

	for (i = 0; i < list->count; i++) {
		if (list->entries[i].kind != HOSTS_EXCEPT) {
			segment_empty = false;
			continue;
		}
		if (segment_empty)
			report(pc, "EXCEPT", "nothing before EXCEPT to except from");
		segment_empty = true;
	}
	if (list->count && segment_empty)
		report(pc, "EXCEPT", "EXCEPT at the end of the list");
}

struct hosts_list *hosts_list_from_tokens(TALLOC_CTX *mem_ctx,
					  const char *const *tokens,
					  size_t ntokens,
					  hosts_diag_fn diag, void *diag_arg)
{
	struct parse_ctx pc = { .diag = diag, .diag_arg = diag_arg };
	struct hosts_list *list;
	size_t i;

	list = talloc_zero(mem_ctx, struct hosts_list);
	if (!list)
		return NULL;
	list->entries = talloc_zero_array(list, struct hosts_entry,
					  ntokens ? ntokens : 1);
	if (!list->entries)
		goto nomem;

	for (i = 0; i < ntokens; i++) {
		struct hosts_entry *e = &list->entries[list->count];
		const char *why;

		if (!tokens[i] || !tokens[i][0])
			continue;
		e->text = talloc_strdup(list->entries, tokens[i]);
		if (!e->text)
			goto nomem;
		why = parse_entry(e, e->text);
		if (why) {
			e->kind = HOSTS_INVALID;
			list->invalid++;
			report(&pc, e->text, why);
		}
		list->count++;
	}
	check_except_layout(list, &pc);
	return list;
nomem:
	talloc_free(list);
	return NULL;
}

static bool is_separator(char c)
{
	return c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

struct hosts_list *hosts_list_parse(TALLOC_CTX *mem_ctx, const char *value,
				    hosts_diag_fn diag, void *diag_arg)
{
	TALLOC_CTX *tmp = talloc_new(NULL);
	struct hosts_list *list = NULL;
	const char **tokens = NULL;
	size_t n = 0;
	const char *p = value ? value : "";

	if (!tmp)
		return NULL;
	while (*p) {
		const char *start;

		while (is_separator(*p))
			p++;
		if (!*p)
			break;
		start = p;
		while (*p && !is_separator(*p))
			p++;
		tokens = talloc_realloc(tmp, tokens, const char *, n + 1);
		if (!tokens)
			goto out;
		tokens[n] = talloc_strndup(tmp, start, (size_t)(p - start));
		if (!tokens[n])
			goto out;
		n++;
	}
	list = hosts_list_from_tokens(mem_ctx, tokens, n, diag, diag_arg);
out:
	talloc_free(tmp);
	return list;
}

bool hosts_list_is_empty(const struct hosts_list *list)
{
	return !list || list->count == 0;
}

size_t hosts_list_invalid_count(const struct hosts_list *list)
{
	return list ? list->invalid : 0;
}

int hosts_peer_init(struct hosts_peer *peer, const char *addr,
		    const char *name)
{
	char buf[INET6_ADDRSTRLEN + 16];
	size_t len;
	char *pct;

	memset(peer, 0, sizeof(*peer));
	if (name && strlen(name) < sizeof(peer->name)) {
		strcpy(peer->name, name);
		len = strlen(peer->name);
		if (len && peer->name[len - 1] == '.')
			peer->name[len - 1] = '\0';
	}
	if (!addr)
		return -1;
	len = strlen(addr);
	if (len >= sizeof(buf))
		return -1;
	if (addr[0] == '[') {
		if (len < 3 || addr[len - 1] != ']')
			return -1;
		addr++;
		len -= 2;
	}
	memcpy(buf, addr, len);
	buf[len] = '\0';
	pct = strchr(buf, '%');		/* fe80::1%eth0: the zone is local */
	if (pct)
		*pct = '\0';
	if (!parse_addr(buf, &peer->family, peer->addr, NULL))
		return -1;
	if (!inet_ntop(peer->family, peer->addr, peer->addr_text,
		       sizeof(peer->addr_text)))
		return -1;
	peer->addr_valid = true;
	return 0;
}

static bool net_match(const struct hosts_entry *e, const struct hosts_peer *p)
{
	size_t i;

	if (!p->addr_valid || p->family != e->family)
		return false;
	for (i = 0; i < family_len(e->family); i++)
		if ((p->addr[i] & e->mask[i]) != e->net[i])
			return false;
	return true;
}

static bool is_loopback_any(const struct hosts_peer *p)
{
	static const uint8_t v6_loop[16] = { [15] = 1 };

	if (!p->addr_valid)
		return false;
	if (p->family == AF_INET)
		return p->addr[0] == 127;
	return memcmp(p->addr, v6_loop, 16) == 0;
}

static bool suffix_match(const char *name, const char *suffix)
{
	size_t ln = strlen(name), ls = strlen(suffix);

	return ln > ls && strcasecmp(name + ln - ls, suffix) == 0;
}

static bool entry_match(const struct hosts_entry *e,
			const struct hosts_peer *p)
{
	const char *name = p->name;
	bool named = name[0] != '\0';

	switch (e->kind) {
	case HOSTS_ALL:
		return true;
	case HOSTS_LOCAL:
		return named && !strchr(name, '.');
	case HOSTS_LOCALHOST:
		return is_loopback_any(p) ||
		       (named && strcasecmp(name, "localhost") == 0);
	case HOSTS_NET:
		return net_match(e, p);
	case HOSTS_NAME:
		return named && strcasecmp(name, e->text) == 0;
	case HOSTS_DOMAIN:
		return named && suffix_match(name, e->text);
	case HOSTS_NAME_PREFIX:
		return named && strlen(name) > strlen(e->text) &&
		       strncasecmp(name, e->text, strlen(e->text)) == 0;
	case HOSTS_WILDCARD:
		if (named && fnmatch(e->text, name, FNM_CASEFOLD) == 0)
			return true;
		return p->addr_valid && fnmatch(e->text, p->addr_text, 0) == 0;
	case HOSTS_INVALID:
	case HOSTS_EXCEPT:
		break;
	}
	return false;
}

/*
 * "A EXCEPT B EXCEPT C" reads A and not (B and not C), as in
 * hosts_access(5). Walking backwards keeps it one pass with no recursion:
 * each segment's result is "this segment matches and the rest does not".
 */
bool hosts_list_match(const struct hosts_list *list,
		      const struct hosts_peer *peer)
{
	bool rest = false, segment = false;
	size_t i;

	if (!list)
		return false;
	for (i = list->count; i-- > 0;) {
		const struct hosts_entry *e = &list->entries[i];

		if (e->kind == HOSTS_EXCEPT) {
			rest = segment && !rest;
			segment = false;
			continue;
		}
		if (!segment && entry_match(e, peer))
			segment = true;
	}
	return segment && !rest;
}

static bool is_exact_loopback(const struct hosts_peer *p)
{
	static const uint8_t v6_loop[16] = { [15] = 1 };
	static const uint8_t v4_loop[4] = { 127, 0, 0, 1 };

	if (!p->addr_valid)
		return false;
	if (p->family == AF_INET)
		return memcmp(p->addr, v4_loop, 4) == 0;
	return memcmp(p->addr, v6_loop, 16) == 0;
}

bool hosts_access_allowed(const struct hosts_list *allow,
			  const struct hosts_list *deny,
			  const struct hosts_peer *peer)
{
	bool allow_set = !hosts_list_is_empty(allow);
	bool deny_set = !hosts_list_is_empty(deny);

	if (!allow_set && !deny_set)
		return true;
	/* A peer we cannot even parse gets no benefit of the doubt. */
	if (!peer->addr_valid)
		return false;
	/* Samba: the loopback address is allowed unless explicitly denied. */
	if (is_exact_loopback(peer))
		return !(deny_set && hosts_list_match(deny, peer) &&
			 !(allow_set && hosts_list_match(allow, peer)));
	if (!deny_set)
		return hosts_list_match(allow, peer);
	if (!allow_set)
		return !hosts_list_match(deny, peer);
	if (hosts_list_match(allow, peer))
		return true;
	return !hosts_list_match(deny, peer);
}
