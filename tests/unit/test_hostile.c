// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Hostile variants of every real capture in tests/fixtures: each is copied
 * into a heap buffer of exactly its size (so ASan sees any read past it) and
 *  - every prefix is decoded: no fault; prefixes shorter than the fixed
 *    header fail;
 *  - every byte is replaced by 0x00, 0xff and its complement in turn: no
 *    fault, whatever the verdict;
 *  - the message is decoded and encoded again, the result decoded and
 *    encoded again: both encodings must decode, and the second must equal
 *    the first (the encoders are deterministic and agree with the decoders).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "wire_dispatch.h"

#ifndef FIXTURES_DIR
#define FIXTURES_DIR "tests/fixtures"
#endif

struct fixture {
	char *path;
	const char *type;
	u8 *buf;
	u32 len;
	u32 min_len;	/* shortest decodable length: the fixed header */
};

static struct wire_printer quiet;	/* formats nothing */

static int decode(const struct fixture *f, const u8 *buf, u32 len)
{
	u8 *copy = malloc(len ? len : 1);
	int rc;

	assert_non_null(copy);
	memcpy(copy, buf, len);
	rc = wire_dump(f->type, copy, len, &quiet);
	free(copy);
	return rc;
}

static void prefixes(void **state)
{
	const struct fixture *f = *state;
	u32 l;

	assert_int_equal(decode(f, f->buf, f->len), 0);
	for (l = 0; l < f->len; l++) {
		int rc = decode(f, f->buf, l);

		if (l < f->min_len)
			assert_true(rc > 0);
	}
}

static void corruptions(void **state)
{
	const struct fixture *f = *state;
	u8 *m = malloc(f->len);
	static const int kinds = 3;
	u32 i;
	int k;

	assert_non_null(m);
	for (i = 0; i < f->len; i++) {
		for (k = 0; k < kinds; k++) {
			memcpy(m, f->buf, f->len);
			m[i] = k == 0 ? 0x00 : k == 1 ? 0xff : (u8)~f->buf[i];
			decode(f, m, f->len);
		}
	}
	free(m);
}

static void reencode(void **state)
{
	const struct fixture *f = *state;
	u32 cap = f->len * 2 + 4096, n1 = 0, n2 = 0;
	u8 *a = malloc(cap), *b = malloc(cap);
	int rc;

	assert_non_null(a);
	assert_non_null(b);
	rc = wire_reencode(f->type, f->buf, f->len, a, cap, &n1);
	if (rc == -WIRE_ETRAIL) {	/* compound chains are walked, not re-encoded */
		free(a);
		free(b);
		skip();
	}
	assert_int_equal(rc, 0);
	assert_int_equal(decode(f, a, n1), 0);
	assert_int_equal(wire_reencode(f->type, a, n1, b, cap, &n2), 0);
	assert_int_equal(n1, n2);
	assert_memory_equal(a, b, n1);
	if (n1 != f->len || memcmp(a, f->buf, n1))
		print_message("%s: re-encoding is not byte-identical to the capture "
			      "(%u vs %u bytes)\n", f->path, n1, f->len);
	free(a);
	free(b);
}

static u8 *slurp(const char *path, u32 *len)
{
	FILE *fp = fopen(path, "rb");
	u8 *buf;
	long n;

	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = malloc(n ? n : 1);
	if (!buf || fread(buf, 1, n, fp) != (size_t)n)
		exit(1);
	fclose(fp);
	*len = (u32)n;
	return buf;
}

int main(void)
{
	static const struct {
		const char *dir, *type;
		u32 min_len;
	} kinds[] = {
		{ "smb2", "smb2", 64 },
		{ "ntlmssp", "ntlmssp", 32 },
		{ "dcerpc", "dcerpc", 16 },
	};
	const char *root = getenv("FIXTURES_DIR");
	struct CMUnitTest *tests = NULL;
	size_t n = 0, cap = 0, i;

	if (!root)
		root = FIXTURES_DIR;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		char dir[512];
		struct dirent *de;
		DIR *d;

		snprintf(dir, sizeof(dir), "%s/%s", root, kinds[i].dir);
		d = opendir(dir);
		if (!d)
			continue;
		while ((de = readdir(d))) {
			size_t l = strlen(de->d_name);
			struct fixture *f;
			int t;

			if (l < 5 || strcmp(de->d_name + l - 4, ".bin"))
				continue;
			f = calloc(1, sizeof(*f));
			if (!f || asprintf(&f->path, "%s/%s", dir, de->d_name) < 0)
				return 1;
			f->type = kinds[i].type;
			f->min_len = kinds[i].min_len;
			f->buf = slurp(f->path, &f->len);
			if (!f->buf)
				return 1;
			if (n + 3 > cap) {
				cap = cap ? cap * 2 : 256;
				tests = realloc(tests, cap * sizeof(*tests));
				if (!tests)
					return 1;
			}
			for (t = 0; t < 3; t++) {
				static const char *const what[] = { "prefixes", "corruptions",
								    "reencode" };
				static void (*const fn[])(void **) = { prefixes, corruptions,
								       reencode };
				char *name;

				if (asprintf(&name, "%s %s", what[t], f->path) < 0)
					return 1;
				tests[n++] = (struct CMUnitTest){ .name = name,
					.test_func = fn[t], .initial_state = f };
			}
		}
		closedir(d);
	}
	if (n < 300) {
		fprintf(stderr, "only %zu cases under %s\n", n, root);
		return 1;
	}
	return _cmocka_run_group_tests("hostile", tests, n, NULL, NULL);
}
