// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for QUERY_DIRECTORY's search patterns (kmod/pattern.c,
 * MS-FSA 2.1.4.4): '*', '?', "*.*", the DOS wildcards '<', '>' and '"',
 * case-insensitive literals (ASCII and, through kmod/unicode.c, letters
 * such as É/é), malformed UTF-8, and patterns built to make a
 * backtracking matcher blow up.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "smbd.h"
#include "pattern.h"

static int m(const char *pat, const char *name)
{
	return smbd_pattern_match(pat, (u32)strlen(pat), name, (u32)strlen(name));
}

#define MATCH(p, n)	assert_true(m(p, n))
#define NO_MATCH(p, n)	assert_false(m(p, n))

static void test_star(void **state)
{
	(void)state;
	MATCH("*", "a");
	MATCH("*", ".");
	MATCH("*", "..");
	MATCH("*", "no extension");
	MATCH("*.txt", "a.txt");
	MATCH("*.txt", ".txt");
	MATCH("*.txt", "a.b.txt");
	NO_MATCH("*.txt", "a.txt.bak");
	NO_MATCH("*.txt", "atxt");
	MATCH("a*", "a");
	MATCH("a*b*c", "aXXbYYc");
	MATCH("a*b*c", "abc");
	NO_MATCH("a*b*c", "acb");
	MATCH("**", "x");
	MATCH("*x*", "x");
	NO_MATCH("*x*", "y");
	/* every name here is one the test suites use */
	MATCH("t0*-*.txt", "t003-3.txt");
	NO_MATCH("t1*", "t003-3.txt");
}

static void test_star_dot_star(void **state)
{
	(void)state;
	/* MS-FSA 2.1.4.4 part 1: "*.*" matches every name, dots or not */
	MATCH("*.*", "noext");
	MATCH("*.*", "a.b");
	MATCH("*.*", ".");
	MATCH("*.*", "..");
	assert_true(smbd_pattern_is_all("*", 1));
	assert_true(smbd_pattern_is_all("*.*", 3));
	assert_false(smbd_pattern_is_all("*.", 2));
	assert_false(smbd_pattern_is_all("**", 2));
	/* "*.?" and the like are ordinary expressions: a dot is needed */
	NO_MATCH("*.?", "noext");
	MATCH("*.?", "a.c");
}

static void test_question(void **state)
{
	(void)state;
	MATCH("?", "a");
	NO_MATCH("?", "ab");
	NO_MATCH("?", "");
	MATCH("a?c", "abc");
	MATCH("a?c", "a.c");		/* '?' takes a dot too */
	NO_MATCH("a?c", "ac");
	MATCH("??.txt", "ab.txt");
	NO_MATCH("??.txt", "a.txt");
	MATCH("*?", "x");
	NO_MATCH("?*?", "x");
	/* one character, whatever its UTF-8 length */
	MATCH("?", "\xc3\xa9");			/* é */
	MATCH("?", "\xe2\x82\xac");		/* € */
	MATCH("?", "\xf0\x9f\x98\x80");		/* an emoji: 4 bytes */
	NO_MATCH("??", "\xc3\xa9");
}

static void test_case(void **state)
{
	(void)state;
	MATCH("README.TXT", "readme.txt");
	MATCH("readme.txt", "ReadMe.Txt");
	MATCH("*.TXT", "a.txt");
	MATCH("A?C", "abc");
	NO_MATCH("abd", "abc");
	/* É (U+00C9) and é (U+00E9): through smbd_name_casecmp */
	MATCH("\xc3\x89t\xc3\xa9", "\xc3\xa9T\xc3\x89");
	MATCH("*\xc3\x89*", "caf\xc3\xa9.txt");
	MATCH("caf\xc3\x89.*", "CAF\xc3\xa9.TXT");
	NO_MATCH("caf\xc3\x89", "cafe");
	/* Greek and Cyrillic too */
	MATCH("\xce\xa3*", "\xcf\x83\xce\xbf\xcf\x86");	/* Σ* vs σοφ */
	MATCH("*\xd0\x96", "\xd0\xb6");			/* *Ж vs ж */
}

static void test_dos_star(void **state)
{
	(void)state;
	/* '<' stops before the name's last dot: "<.txt" is DOS "*.txt" */
	MATCH("<.txt", "a.txt");
	MATCH("<.txt", "a.b.txt");
	NO_MATCH("<.txt", "a.txt.bak");
	NO_MATCH("<txt", "a.txt");		/* it cannot take the last '.' */
	MATCH("<", "noext");
	NO_MATCH("<", "a.b");
	MATCH("<.*", "a.b");
	MATCH("<.*", "a.b.c");
	/* '<' '"' is DOS "*.": names without an extension */
	MATCH("<\"", "noext");
	MATCH("<\"", "trailing.");
	NO_MATCH("<\"", "a.txt");
	MATCH("a<", "a");
	MATCH("<b", "ab");
}

static void test_dos_qm(void **state)
{
	(void)state;
	/* '>' is one character, or nothing at a dot or at the end */
	MATCH("a>>>", "a");
	MATCH("a>>>", "ab");
	MATCH("a>>>", "abcd");
	NO_MATCH("a>>>", "abcde");
	MATCH(">>>.txt", "a.txt");
	MATCH(">>>.txt", "abc.txt");
	NO_MATCH(">>>.txt", "abcd.txt");
	NO_MATCH(">", "..");	/* it never takes a dot */
	MATCH(">", "x");
	MATCH(">\">>>", "a.c");		/* DOS "?.???" with a dot */
	NO_MATCH(">\">>>", "ab.c");
	MATCH("a>\">>>", "a");			/* and without extension */
}

static void test_dos_dot(void **state)
{
	(void)state;
	/* '"' is a dot, or nothing past the end of the name */
	MATCH("a\"b", "a.b");
	NO_MATCH("a\"b", "ab");
	MATCH("a\"", "a");
	MATCH("a\"", "a.");
	NO_MATCH("a\"", "ab");
	MATCH("a\"\"", "a");
}

static void test_literal_and_dots(void **state)
{
	(void)state;
	MATCH(".", ".");
	MATCH("..", "..");
	NO_MATCH(".", "..");
	NO_MATCH("..", ".");
	MATCH("file.txt", "file.txt");
	NO_MATCH("file.txt", "file.txt2");
	NO_MATCH("file", "file.txt");
	assert_false(smbd_pattern_has_wild("file.txt", 8));
	assert_true(smbd_pattern_has_wild("f*", 2));
	assert_true(smbd_pattern_has_wild("f\"", 2));
	assert_true(smbd_pattern_has_wild("<", 1));
	assert_true(smbd_pattern_has_wild(">", 1));
	assert_true(smbd_pattern_has_wild("?", 1));
}

static void test_edges(void **state)
{
	char big[SMBD_PATTERN_MAX + 2];

	(void)state;
	/* empty strings (MS-FSA 2.1.4.4 part 1) */
	assert_true(smbd_pattern_match("", 0, "", 0));
	assert_false(smbd_pattern_match("", 0, "a", 1));
	assert_false(smbd_pattern_match("*", 1, "", 0));
	/* malformed UTF-8 in a name: stray bytes count as characters */
	MATCH("?", "\xff");
	MATCH("a*", "a\xc3");
	MATCH("a?", "a\xc3");
	NO_MATCH("a??", "a\xc3");
	MATCH("*", "\xe2\x82");
	/* lengths are byte counts: no NUL is looked for */
	assert_true(smbd_pattern_match("a*", 2, "abc", 1));
	assert_false(smbd_pattern_match("abc", 2, "abc", 3));
	/* longer than SMBD_PATTERN_MAX: matches nothing */
	memset(big, '*', sizeof(big));
	assert_true(smbd_pattern_match(big, SMBD_PATTERN_MAX, "x", 1));
	assert_false(smbd_pattern_match(big, SMBD_PATTERN_MAX + 1, "x", 1));
}

/* Exponential for a backtracking matcher; linear-ish here. */
static void test_pathological(void **state)
{
	char pat[SMBD_PATTERN_MAX + 1], name[256];
	u32 i, n = 0;

	(void)state;
	for (i = 0; i < 60; i++) {
		pat[n++] = '*';
		pat[n++] = 'a';
	}
	pat[n++] = 'b';
	memset(name, 'a', 255);
	assert_false(smbd_pattern_match(pat, n, name, 255));
	name[254] = 'b';
	assert_true(smbd_pattern_match(pat, n, name, 255));
	/* DOS wildcards in a full-size pattern ('>' matches nothing at the end) */
	for (i = 0; i + 1 < SMBD_PATTERN_MAX; i += 2) {
		pat[i] = '<';
		pat[i + 1] = '>';
	}
	assert_true(smbd_pattern_match(pat, SMBD_PATTERN_MAX, name, 255));
	pat[SMBD_PATTERN_MAX - 1] = 'c';
	assert_false(smbd_pattern_match(pat, SMBD_PATTERN_MAX, name, 255));
	for (i = 0; i < 2000; i++)
		assert_true(m("*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaab"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_star),
		cmocka_unit_test(test_star_dot_star),
		cmocka_unit_test(test_question),
		cmocka_unit_test(test_case),
		cmocka_unit_test(test_dos_star),
		cmocka_unit_test(test_dos_qm),
		cmocka_unit_test(test_dos_dot),
		cmocka_unit_test(test_literal_and_dots),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_pathological),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
