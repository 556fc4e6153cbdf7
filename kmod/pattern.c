// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Search patterns of QUERY_DIRECTORY (MS-FSA 2.1.4.4).
 *
 * The expression runs as a non-deterministic automaton over its
 * character positions: the set of positions reached so far (a bitmap
 * over the pattern's bytes) is carried across the name one character at
 * a time. The cost is pattern length x name length whatever the
 * wildcards, where backtracking would be exponential on "*a*a*a*b".
 *
 * Wildcards:
 *   '*'  any run of characters, empty included
 *   '?'  exactly one character
 *   '<'  DOS_STAR: any run of characters that does not take the name's
 *        last '.', which is left for what follows ("*.txt" as DOS meant it)
 *   '>'  DOS_QM: one character; at a '.' or at the end of the name it
 *        matches nothing instead (so "a>>>" matches "a" and "ab")
 *   '"'  DOS_DOT: a '.', or nothing at the end of the name
 * Other characters compare case-insensitively: ASCII here, the rest with
 * smbd_name_casecmp so that patterns and name lookups agree.
 */
#include "smbd.h"
#include "pattern.h"

#define PSET_WORDS	((SMBD_PATTERN_MAX + 1 + 63) / 64)

/* A set of pattern positions (byte offsets of character starts, and the end). */
struct pset {
	u64 w[PSET_WORDS];
};

static void pset_add(struct pset *s, u32 p)
{
	s->w[p / 64] |= 1ULL << (p % 64);
}

static int pset_has(const struct pset *s, u32 p)
{
	return (s->w[p / 64] >> (p % 64)) & 1;
}

static int pset_empty(const struct pset *s)
{
	u32 i;

	for (i = 0; i < PSET_WORDS; i++)
		if (s->w[i])
			return 0;
	return 1;
}

/* Bytes of the UTF-8 character at s; a stray byte counts as one character. */
static u32 char_len(const char *s, u32 left)
{
	u8 c = (u8)s[0];
	u32 n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4;
	else
		return 1;
	if (n > left)
		return 1;
	for (i = 1; i < n; i++)
		if (((u8)s[i] & 0xC0) != 0x80)
			return 1;
	return n;
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int char_eq(const char *a, u32 alen, const char *b, u32 blen)
{
	if (alen == 1 && blen == 1)
		return ascii_lower(a[0]) == ascii_lower(b[0]);
	if (alen == blen && !os_memcmp(a, b, alen))
		return 1;
	return smbd_name_casecmp(a, alen, b, blen) == 0;
}

static int is_wild(char c)
{
	return c == '*' || c == '?' || c == '<' || c == '>' || c == '"';
}

int smbd_pattern_has_wild(const char *pat, u32 len)
{
	u32 i;

	for (i = 0; i < len; i++)
		if (is_wild(pat[i]))
			return 1;
	return 0;
}

int smbd_pattern_is_all(const char *pat, u32 len)
{
	return (len == 1 && pat[0] == '*') ||
	       (len == 3 && pat[0] == '*' && pat[1] == '.' && pat[2] == '*');
}

/*
 * Follow the wildcards that can match nothing at this point of the name:
 * at_end when the whole name is consumed, next_dot when the next name
 * character is a '.'. Moves only go forward, so one ascending pass
 * reaches every position.
 */
static void closure(const char *pat, u32 plen, struct pset *s, int at_end,
		    int next_dot)
{
	u32 p, n;

	for (p = 0; p < plen; p += n) {
		n = char_len(pat + p, plen - p);
		if (!pset_has(s, p))
			continue;
		switch (pat[p]) {
		case '*':
		case '<':
			pset_add(s, p + 1);
			break;
		case '"':
			if (at_end)
				pset_add(s, p + 1);
			break;
		case '>':
			if (at_end || next_dot)
				pset_add(s, p + 1);
			break;
		default:
			break;
		}
	}
}

/*
 * Consume one name character c (clen bytes) from every position of cur
 * into nxt. last_dot: c is the name's final '.'.
 */
static void step(const char *pat, u32 plen, const struct pset *cur,
		 struct pset *nxt, const char *c, u32 clen, int last_dot)
{
	int dot = clen == 1 && c[0] == '.';
	u32 p, n;

	for (p = 0; p < plen; p += n) {
		n = char_len(pat + p, plen - p);
		if (!pset_has(cur, p))
			continue;
		switch (pat[p]) {
		case '*':
			pset_add(nxt, p);
			break;
		case '?':
			pset_add(nxt, p + 1);
			break;
		case '<':
			if (!last_dot)
				pset_add(nxt, p);
			break;
		case '>':
			if (!dot)
				pset_add(nxt, p + 1);
			break;
		case '"':
			if (dot)
				pset_add(nxt, p + 1);
			break;
		default:
			if (char_eq(pat + p, n, c, clen))
				pset_add(nxt, p + n);
			break;
		}
	}
}

/* Byte offset of the last '.' in name, or len when there is none. */
static u32 last_dot_at(const char *name, u32 len)
{
	u32 i = len;

	while (i--)
		if (name[i] == '.')
			return i;
	return len;
}

int smbd_pattern_match(const char *pat, u32 plen, const char *name, u32 nlen)
{
	struct pset cur = { { 0 } }, nxt;
	u32 i, clen, last_dot;

	if (plen > SMBD_PATTERN_MAX)
		return 0;
	if (!plen || !nlen)
		return !plen && !nlen;
	if (smbd_pattern_is_all(pat, plen))
		return 1;
	if (!smbd_pattern_has_wild(pat, plen))
		return smbd_name_casecmp(pat, plen, name, nlen) == 0;

	last_dot = last_dot_at(name, nlen);
	pset_add(&cur, 0);
	for (i = 0; i < nlen; i += clen) {
		clen = char_len(name + i, nlen - i);
		closure(pat, plen, &cur, 0, name[i] == '.');
		os_memset(&nxt, 0, sizeof(nxt));
		step(pat, plen, &cur, &nxt, name + i, clen, i == last_dot);
		if (pset_empty(&nxt))
			return 0;
		cur = nxt;
	}
	closure(pat, plen, &cur, 1, 0);
	return pset_has(&cur, plen);
}
