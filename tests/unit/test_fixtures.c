// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Real captures decode to the values tshark saw: every tests/fixtures/DIR/
 * NAME.bin is decoded with the generated decoders (through the dispatcher
 * smbwire-dump uses), printed flat ("path.field = value"), and every line of
 * NAME.expect ("field = value  # tshark.field") must match a printed field
 * whose path ends with that field name. Keys under "stub." are NDR values
 * checked by test_ndr; they are skipped here.
 */
#define _GNU_SOURCE
#include <ctype.h>
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

struct lines {
	char **v;
	size_t n, cap;
};

static void collect(void *arg, const char *text)
{
	struct lines *l = arg;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		assert_non_null(l->v);
	}
	l->v[l->n] = strdup(text);
	assert_non_null(l->v[l->n]);
	l->n++;
}

static void lines_free(struct lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static u8 *slurp(const char *path, u32 *len)
{
	FILE *f = fopen(path, "rb");
	u8 *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc(n ? n : 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, n, f), (size_t)n);
	fclose(f);
	*len = (u32)n;
	return buf;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

/* Does the printed path end with key at a component boundary? */
static int path_matches(const char *path, size_t plen, const char *key)
{
	size_t klen = strlen(key);

	if (plen < klen || memcmp(path + plen - klen, key, klen))
		return 0;
	return plen == klen || path[plen - klen - 1] == '.';
}

static void hex_of(const u8 *p, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
	out[2 * n] = 0;
}

/* Compare an expected value with a printed one ("36 (0x24)", "0x3 (A|B)",
 * "[8] 0011..", "\"name\"", a GUID). */
static int value_matches(const char *want, const char *got)
{
	char buf[600];

	if (!strncmp(want, "bytes-prefix:", 13)) {
		/* the field starts with these bytes (NTProofStr in an NTLMv2 response) */
		const char *hex = strchr(got, ']');

		return got[0] == '[' && hex && !strncasecmp(want + 13, hex + 2, strlen(want + 13));
	}
	if (!strncmp(want, "bytes:", 6)) {
		const char *hex = strchr(got, ']');
		size_t n;

		if (got[0] != '[' || !hex)
			return 0;
		hex += 2;
		n = strcspn(hex, ".");
		if (strlen(want + 6) < n)
			return 0;
		return !strncasecmp(want + 6, hex, n) &&
		       (n == strlen(want + 6) || !strcmp(hex + n, "..."));
	}
	if (want[0] == '"') {
		char un[300];
		size_t n = 0;
		const char *q;

		/* the .expect strings are JSON: undo \\ and \" */
		for (q = want; *q && n + 1 < sizeof(un); q++) {
			if (*q == '\\' && q[1])
				q++;
			un[n++] = *q;
		}
		un[n] = 0;
		want = un;

		if (got[0] == '"')
			return !strcmp(want, got);
		if (got[0] == '[' && n >= 2 && n - 2 < 100) {
			/* a byte view of the string: UTF-16LE or 8-bit */
			u8 u16[200];
			size_t i;

			for (i = 0; i < n - 2; i++) {
				u16[2 * i] = (u8)want[1 + i];
				u16[2 * i + 1] = 0;
			}
			hex_of(u16, 2 * (n - 2), buf);
			if (strstr(got, buf) == strchr(got, ']') + 2)
				return 1;
			hex_of((const u8 *)want + 1, n - 2, buf);
			return strstr(got, buf) == strchr(got, ']') + 2;
		}
		return 0;
	}
	if (isdigit((unsigned char)want[0]) && !strchr(want, '-')) {
		char *end;
		unsigned long long w = strtoull(want, &end, 0);

		if (*end)
			return 0;
		return isdigit((unsigned char)got[0]) && strtoull(got, NULL, 0) == w;
	}
	return !strncasecmp(want, got, strlen(want)) &&
	       (got[strlen(want)] == 0 || got[strlen(want)] == ' ');
}

static void check_fixture(void **state)
{
	const char *bin = *state;
	char exp[1024], type[16], line[1024];
	struct lines out = { 0 };
	struct wire_printer pr = { .line = collect, .arg = &out, .flat = 1 };
	const char *slash;
	u32 len;
	u8 *buf = slurp(bin, &len);
	FILE *f;
	int bad = 0, rc;

	slash = strrchr(bin, '/');
	{
		/* the fixture's directory names its kind */
		const char *d = slash - 1;

		while (d > bin && d[-1] != '/')
			d--;
		snprintf(type, sizeof(type), "%.*s", (int)(slash - d), d);
		if (!strcmp(type, "ms-spec"))	/* named after their spec */
			snprintf(type, sizeof(type), "%s",
				 strstr(slash, "dtyp_sid") ? "sid" : "ntlmssp");
	}
	rc = wire_dump(type, buf, len, &pr);
	if (rc) {
		size_t i;

		for (i = 0; i < out.n; i++)
			print_message("%s\n", out.v[i]);
	}
	assert_int_equal(rc, 0);

	snprintf(exp, sizeof(exp), "%.*s.expect", (int)(strlen(bin) - 4), bin);
	f = fopen(exp, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char *hash = strstr(line, "  #"), *eq, *key, *want;
		size_t i;
		int found = 0, ok = 0;

		if (line[0] == '#')
			continue;
		if (hash)
			*hash = 0;
		eq = strchr(line, '=');
		if (!eq)
			continue;
		*eq = 0;
		key = trim(line);
		want = trim(eq + 1);
		if (!strncmp(key, "stub.", 5) || !*key)
			continue;
		for (i = 0; i < out.n && !ok; i++) {
			const char *sep = strstr(out.v[i], " = ");

			if (!sep || !path_matches(out.v[i], sep - out.v[i], key))
				continue;
			found = 1;
			ok = value_matches(want, sep + 3);
		}
		if (!ok) {
			print_message("%s: %s = %s: %s\n", bin, key, want,
				      found ? "value differs" : "no such field");
			bad++;
		}
	}
	fclose(f);
	if (bad) {
		size_t i;

		for (i = 0; i < out.n; i++)
			print_message("  | %s\n", out.v[i]);
	}
	lines_free(&out);
	free(buf);
	assert_int_equal(bad, 0);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct CMUnitTest *)a)->name,
		      ((const struct CMUnitTest *)b)->name);
}

int main(void)
{
	static const char *const dirs[] = { "smb2", "ntlmssp", "dcerpc", "ms-spec" };
	struct CMUnitTest *tests = NULL;
	size_t n = 0, cap = 0, i;
	const char *root = getenv("FIXTURES_DIR");

	if (!root)
		root = FIXTURES_DIR;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char path[512];
		struct dirent *de;
		DIR *d;

		snprintf(path, sizeof(path), "%s/%s", root, dirs[i]);
		d = opendir(path);
		if (!d)
			continue;
		while ((de = readdir(d))) {
			size_t l = strlen(de->d_name);
			char *full, exp[600];
			FILE *f;

			if (l < 5 || strcmp(de->d_name + l - 4, ".bin"))
				continue;
			if (strstr(de->d_name, "_values"))
				continue;	/* computed values, not a message */
			if (asprintf(&full, "%s/%s", path, de->d_name) < 0)
				return 1;
			snprintf(exp, sizeof(exp), "%.*s.expect", (int)(strlen(full) - 4), full);
			f = fopen(exp, "r");
			if (!f) {
				free(full);
				continue;	/* a .bin without expectations (seed only) */
			}
			fclose(f);
			if (n == cap) {
				cap = cap ? cap * 2 : 128;
				tests = realloc(tests, cap * sizeof(*tests));
				if (!tests)
					return 1;
			}
			tests[n] = (struct CMUnitTest){ .name = full,
				.test_func = check_fixture, .initial_state = full };
			n++;
		}
		closedir(d);
	}
	if (n < 100) {
		fprintf(stderr, "only %zu fixtures found under %s\n", n, root);
		return 1;
	}
	qsort(tests, n, sizeof(*tests), by_name);
	return _cmocka_run_group_tests("fixtures", tests, n, NULL, NULL);
}
