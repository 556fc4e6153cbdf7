// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for the user database: MD4, Base64, UTF-8, the NT hash,
 * ksmbdpwd.db parsing/saving, and ksmbd.subauth.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "md4.h"
#include "subauth.h"
#include "userdb.h"

static void hex16(const uint8_t d[16], char out[33])
{
	int i;

	for (i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* ---------------------------------------------------------------- MD4 */

/* RFC 1320, appendix A.5 test suite. */
static const struct {
	const char *in, *hex;
} md4_vectors[] = {
	{ "", "31d6cfe0d16ae931b73c59d7e0c089c0" },
	{ "a", "bde52cb31de33e46245e05fbdbd6fb24" },
	{ "abc", "a448017aaf21d8525fc10ae87aa6729d" },
	{ "message digest", "d9130a8164549fe818874806e1c7014b" },
	{ "abcdefghijklmnopqrstuvwxyz", "d79e1c308aa5bbcdeea8ed63df412da9" },
	{ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
	  "043f8582f241db351ce627e153e7f0e4" },
	{ "1234567890123456789012345678901234567890"
	  "1234567890123456789012345678901234567890",
	  "e33b4ddc9c38f2199c3e7b164fcc0536" },
};

static void test_md4_rfc1320(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(md4_vectors) / sizeof(md4_vectors[0]); i++) {
		uint8_t d[16];
		char hex[33];

		md4_digest(md4_vectors[i].in, strlen(md4_vectors[i].in), d);
		hex16(d, hex);
		assert_string_equal(hex, md4_vectors[i].hex);
	}
}

/* Feeding in pieces of every size gives the one-shot digest. */
static void test_md4_incremental(void **state)
{
	const char *msg = md4_vectors[6].in;
	size_t len = strlen(msg), step;

	(void)state;
	for (step = 1; step <= 70; step++) {
		struct md4_ctx ctx;
		uint8_t d[16];
		char hex[33];
		size_t off;

		md4_init(&ctx);
		for (off = 0; off < len; off += step)
			md4_update(&ctx, msg + off, len - off < step ? len - off : step);
		md4_final(&ctx, d);
		hex16(d, hex);
		assert_string_equal(hex, md4_vectors[6].hex);
	}
}

/* Lengths around the 55/56/64-byte padding boundaries all differ. */
static void test_md4_padding_edges(void **state)
{
	uint8_t buf[130], d[130][16];
	size_t i, j;

	(void)state;
	memset(buf, 'x', sizeof(buf));
	for (i = 0; i < 130; i++)
		md4_digest(buf, i, d[i]);
	for (i = 0; i < 130; i++)
		for (j = i + 1; j < 130; j++)
			assert_memory_not_equal(d[i], d[j], 16);
}

/* ------------------------------------------------------------- Base64 */

/* RFC 4648 section 10. */
static const struct {
	const char *raw, *b64;
} b64_vectors[] = {
	{ "", "" },
	{ "f", "Zg==" },
	{ "fo", "Zm8=" },
	{ "foo", "Zm9v" },
	{ "foob", "Zm9vYg==" },
	{ "fooba", "Zm9vYmE=" },
	{ "foobar", "Zm9vYmFy" },
};

static void test_base64_rfc4648(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(b64_vectors) / sizeof(b64_vectors[0]); i++) {
		const char *raw = b64_vectors[i].raw, *b64 = b64_vectors[i].b64;
		char enc[16];
		uint8_t dec[16];
		size_t dlen = 99;

		assert_int_equal(base64_encode((const uint8_t *)raw, strlen(raw),
					       enc, sizeof(enc)), strlen(b64));
		assert_string_equal(enc, b64);
		assert_int_equal(base64_decode(b64, strlen(b64), dec, sizeof(dec),
					       &dlen), 0);
		assert_int_equal(dlen, strlen(raw));
		assert_memory_equal(dec, raw, dlen);
	}
}

static void test_base64_all_bytes(void **state)
{
	uint8_t raw[256], back[256];
	char enc[BASE64_ENCODED_SIZE(256)];
	size_t len, n, i;

	(void)state;
	for (i = 0; i < 256; i++)
		raw[i] = (uint8_t)(255 - i);
	for (len = 0; len <= 256; len += 1) {
		ssize_t e = base64_encode(raw, len, enc, sizeof(enc));

		assert_int_equal(e, (len + 2) / 3 * 4);
		assert_int_equal(base64_decode(enc, (size_t)e, back, sizeof(back), &n), 0);
		assert_int_equal(n, len);
		assert_memory_equal(back, raw, len);
	}
}

static void test_base64_rejects(void **state)
{
	static const char *bad[] = {
		"Zg=", "Zg", "Z===", "====", "Zm9", "Zm=v", "Zg==Zg==",
		"Zh==",		/* non-zero bits under the padding */
		"Zm9=",		/* likewise for one '=' */
		"Zm9v!A==", "Zm 9", "Zm\n9",
	};
	uint8_t out[16];
	char small[4];
	size_t n, i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(base64_decode(bad[i], strlen(bad[i]), out,
					       sizeof(out), &n), -EINVAL);
	assert_int_equal(base64_decode("Zm9vYmFy", 8, out, 5, &n), -ENOSPC);
	assert_int_equal(base64_encode((const uint8_t *)"foo", 3, small,
				       sizeof(small)), -ENOSPC);
}

/* ------------------------------------------------------ UTF-8, NT hash */

static void test_utf8_to_utf16le(void **state)
{
	/* 'A', U+00E9, U+20AC, U+1F600 (a surrogate pair) */
	const char *in = "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
	const uint8_t want[] = { 0x41, 0, 0xe9, 0, 0xac, 0x20,
				 0x3d, 0xd8, 0x00, 0xde };
	uint8_t out[32];
	size_t n;

	(void)state;
	assert_int_equal(utf8_to_utf16le(in, strlen(in), out, sizeof(out), &n), 0);
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(out, want, n);
	assert_int_equal(utf8_to_utf16le(in, strlen(in), out, 9, &n), -ENOSPC);
}

static void test_utf8_rejects(void **state)
{
	static const char *bad[] = {
		"\x80",			/* lone continuation */
		"\xc3",			/* truncated */
		"\xe2\x82",		/* truncated */
		"\xc0\xaf",		/* overlong '/' */
		"\xe0\x80\xaf",		/* overlong */
		"\xf0\x80\x80\xaf",	/* overlong */
		"\xed\xa0\x80",		/* U+D800, a surrogate */
		"\xf4\x90\x80\x80",	/* U+110000 */
		"\xf8\x88\x80\x80\x80",	/* 5-byte form */
		"\xff",
		"ok\xc3(",		/* bad continuation */
	};
	uint8_t out[32];
	size_t n, i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(utf8_valid(bad[i], strlen(bad[i])));
		assert_int_equal(utf8_to_utf16le(bad[i], strlen(bad[i]), out,
						 sizeof(out), &n), -EILSEQ);
	}
	assert_true(utf8_valid("\xf4\x8f\xbf\xbf", 4));	/* U+10FFFF */
	assert_true(utf8_valid("\xef\xbf\xbd", 3));	/* U+FFFD */
}

static void test_nt_hash_known(void **state)
{
	static const struct {
		const char *pw, *hex;
	} v[] = {
		{ "password", "8846f7eaee8fb117ad06bdd830b7586c" },
		{ "", "31d6cfe0d16ae931b73c59d7e0c089c0" },
		/* Cross-checked with Samba's samba.crypto.md4_hash_blob. */
		{ "demo-pass", "f971fa7e5ca7c4dffc4cec211f4213e6" },
		/* U+00E4, U+20AC and U+1F600 (a surrogate pair); Samba agrees */
		{ "p\xc3\xa4ss\xe2\x82\xac\xf0\x9f\x98\x80",
		  "7f3da70cc4ba8ba37ae9179d5c931561" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint8_t h[16];
		char hex[33];

		assert_int_equal(nt_hash(v[i].pw, h), 0);
		hex16(h, hex);
		assert_string_equal(hex, v[i].hex);
	}
}

static void test_nt_hash_non_ascii(void **state)
{
	/* NT hash is MD4 over the UTF-16LE form: check that path directly. */
	const char *pw = "p\xc3\xa4ss\xe2\x82\xac\xf0\x9f\x98\x80";
	const uint8_t utf16[] = { 'p', 0, 0xe4, 0, 's', 0, 's', 0, 0xac, 0x20,
				  0x3d, 0xd8, 0x00, 0xde };
	uint8_t h[16], want[16];

	(void)state;
	md4_digest(utf16, sizeof(utf16), want);
	assert_int_equal(nt_hash(pw, h), 0);
	assert_memory_equal(h, want, 16);
}

static void test_name_and_password_limits(void **state)
{
	char name[64], pw[200];
	uint8_t h[16];

	(void)state;
	memset(name, 'n', sizeof(name));
	name[47] = '\0';
	assert_true(userdb_name_valid(name));
	name[47] = 'n';
	name[48] = '\0';
	assert_false(userdb_name_valid(name));
	assert_false(userdb_name_valid(""));
	assert_false(userdb_name_valid("a:b"));
	assert_false(userdb_name_valid("a\nb"));
	assert_false(userdb_name_valid("a\rb"));
	assert_false(userdb_name_valid("a\tb"));
	assert_false(userdb_name_valid("bad\xc3"));
	assert_true(userdb_name_valid("J\xc3\xbcrgen M\xc3\xbcller"));

	memset(pw, 'p', sizeof(pw));
	pw[128] = '\0';
	assert_true(userdb_password_valid(pw));
	assert_int_equal(nt_hash(pw, h), 0);
	pw[128] = 'p';
	pw[129] = '\0';
	assert_false(userdb_password_valid(pw));
	assert_int_equal(nt_hash(pw, h), -EINVAL);
	/* 128 bytes that are 32 four-byte characters: UTF-16 needs 128 units */
	for (int i = 0; i < 32; i++)
		memcpy(pw + 4 * i, "\xf0\x9f\x98\x80", 4);
	pw[128] = '\0';
	assert_int_equal(nt_hash(pw, h), 0);
	assert_int_equal(nt_hash("\xc3", h), -EINVAL);
	assert_int_equal(nt_hash("", h), 0);
}

/* ------------------------------------------------------- the database */

struct tmpdir {
	char path[64];
};

static int make_tmpdir(struct tmpdir *t)
{
	snprintf(t->path, sizeof(t->path), "/tmp/test_userdb.XXXXXX");
	return mkdtemp(t->path) ? 0 : -1;
}

/* Names of the entries in @dir, sorted, one per line. */
static void list_dir(const char *dir, char *out, size_t size)
{
	struct dirent **names;
	int n, i;
	size_t len = 0;

	out[0] = '\0';
	n = scandir(dir, &names, NULL, alphasort);
	assert_true(n >= 0);
	for (i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, ".."))
			len += (size_t)snprintf(out + len, size - len, "%s\n",
						names[i]->d_name);
		free(names[i]);
	}
	free(names);
}

static void remove_tmpdir(struct tmpdir *t)
{
	struct dirent **names;
	char p[512];
	int n, i;

	n = scandir(t->path, &names, NULL, alphasort);
	for (i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "%s/%s", t->path, names[i]->d_name);
		if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, ".."))
			unlink(p);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	rmdir(t->path);
}

static char *slurp(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

struct reports {
	unsigned int lines[16];
	unsigned int count;
};

static void collect_report(void *priv, const char *path, unsigned int line,
			   const char *why)
{
	struct reports *r = priv;

	assert_string_equal(path, "test.db");
	assert_non_null(why);
	if (r->count < 16)
		r->lines[r->count] = line;
	r->count++;
}

static void test_add_update_delete(void **state)
{
	struct userdb *db = userdb_new(NULL);
	const struct userdb_user *u;
	uint8_t h[16];

	(void)state;
	assert_non_null(db);
	assert_int_equal(userdb_add(db, "demo", "demo-pass"), 0);
	assert_int_equal(userdb_add(db, "alice", "password"), 0);
	assert_int_equal(userdb_add(db, "demo", "x"), -EEXIST);
	assert_int_equal(userdb_add(db, "a:b", "x"), -EINVAL);
	assert_int_equal(userdb_add(db, "carol", "\xff"), -EINVAL);
	assert_int_equal(db->count, 2);

	u = userdb_find(db, "alice");
	assert_non_null(u);
	nt_hash("password", h);
	assert_memory_equal(u->nt_hash, h, 16);
	assert_null(userdb_find(db, "Alice"));	/* exact match, like ksmbd-tools */

	assert_int_equal(userdb_update(db, "alice", "new"), 0);
	nt_hash("new", h);
	assert_memory_equal(userdb_find(db, "alice")->nt_hash, h, 16);
	assert_int_equal(userdb_update(db, "nobody", "x"), -ENOENT);

	assert_int_equal(userdb_delete(db, "demo"), 0);
	assert_int_equal(userdb_delete(db, "demo"), -ENOENT);
	assert_int_equal(db->count, 1);
	assert_string_equal(db->users[0].name, "alice");
	talloc_free(db);
}

static void test_many_users(void **state)
{
	struct userdb *db = userdb_new(NULL);
	char name[32];
	int i;

	(void)state;
	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "user%d", i);
		assert_int_equal(userdb_add(db, name, name), 0);
	}
	for (i = 0; i < 1000; i += 2) {
		snprintf(name, sizeof(name), "user%d", i);
		assert_int_equal(userdb_delete(db, name), 0);
	}
	assert_int_equal(db->count, 500);
	assert_non_null(userdb_find(db, "user999"));
	assert_null(userdb_find(db, "user998"));
	talloc_free(db);
}

static void test_save_load_round_trip(void **state)
{
	struct userdb *db = userdb_new(NULL), *back = userdb_new(NULL);
	struct tmpdir t;
	char path[128], listing[256];
	struct stat st;
	size_t i;

	(void)state;
	assert_int_equal(make_tmpdir(&t), 0);
	snprintf(path, sizeof(path), "%s/ksmbdpwd.db", t.path);

	assert_int_equal(userdb_add(db, "demo", "demo-pass"), 0);
	assert_int_equal(userdb_add(db, "J\xc3\xbcrgen", ""), 0);
	assert_int_equal(userdb_add(db, "bob", "password"), 0);
	assert_int_equal(userdb_save(db, path), 0);

	assert_string_equal(slurp(path),
			    "demo:+XH6flynxN/8TOwhH0IT5g==\n"
			    "J\xc3\xbcrgen:MdbP4NFq6TG3PFnX4MCJwA==\n"
			    "bob:iEb36u6PsRetBr3YMLdYbA==\n");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);

	/* No temporary file is left next to it. */
	list_dir(t.path, listing, sizeof(listing));
	assert_string_equal(listing, "ksmbdpwd.db\n");

	assert_int_equal(userdb_load(back, path), 0);
	assert_int_equal(back->malformed, 0);
	assert_int_equal(back->count, db->count);
	for (i = 0; i < db->count; i++) {
		assert_string_equal(back->users[i].name, db->users[i].name);
		assert_memory_equal(back->users[i].nt_hash, db->users[i].nt_hash, 16);
	}

	/* Saving again replaces the file, still without leftovers. */
	assert_int_equal(userdb_delete(back, "bob"), 0);
	assert_int_equal(userdb_save(back, path), 0);
	list_dir(t.path, listing, sizeof(listing));
	assert_string_equal(listing, "ksmbdpwd.db\n");
	assert_null(strstr(slurp(path), "bob:"));

	/* An empty database is an empty file. */
	assert_int_equal(userdb_delete(back, "demo"), 0);
	assert_int_equal(userdb_delete(back, "J\xc3\xbcrgen"), 0);
	assert_int_equal(userdb_save(back, path), 0);
	assert_string_equal(slurp(path), "");

	remove_tmpdir(&t);
	talloc_free(db);
	talloc_free(back);
}

static void test_save_failure_leaves_nothing(void **state)
{
	struct userdb *db = userdb_new(NULL);
	struct tmpdir t;
	char path[128], listing[256];

	(void)state;
	assert_int_equal(make_tmpdir(&t), 0);
	assert_int_equal(userdb_add(db, "demo", "demo-pass"), 0);
	/* The target is a directory: rename() fails after the temp file exists. */
	snprintf(path, sizeof(path), "%s/isdir", t.path);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/isdir/sub", t.path);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/isdir", t.path);
	assert_true(userdb_save(db, path) < 0);
	list_dir(t.path, listing, sizeof(listing));
	assert_string_equal(listing, "isdir\n");
	snprintf(path, sizeof(path), "%s/isdir/sub", t.path);
	rmdir(path);
	/* A missing directory fails cleanly. */
	snprintf(path, sizeof(path), "%s/missing/ksmbdpwd.db", t.path);
	assert_int_equal(userdb_save(db, path), -ENOENT);
	remove_tmpdir(&t);
	talloc_free(db);
}

static void test_load_missing(void **state)
{
	struct userdb *db = userdb_new(NULL);

	(void)state;
	assert_int_equal(userdb_load(db, "/nonexistent/ksmbdpwd.db"), -ENOENT);
	assert_int_equal(userdb_load(db, "/tmp"), -EINVAL);	/* not a file */
	talloc_free(db);
}

static void test_parse_malformed_lines(void **state)
{
	static const char text[] =
		"good1:+XH6flynxN/8TOwhH0IT5g==\r\n"		/* 1 CRLF ok */
		"no-colon-here\n"				/* 2 */
		":+XH6flynxN/8TOwhH0IT5g==\n"			/* 3 empty name */
		"\n"						/* 4 blank: ignored */
		"short:+XH6flynxN/8TOwhH0IT5g=\n"		/* 5 bad base64 */
		"long:+XH6flynxN/8TOwhH0IT5g==AAAA\n"		/* 6 20 bytes */
		"nlines:Zm9vYmFy\n"				/* 7 not 16 bytes */
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:+XH6flynxN/8TOwhH0IT5g==\n" /* 8: 48 bytes */
		"bad\xc3name:+XH6flynxN/8TOwhH0IT5g==\n"	/* 9 bad UTF-8 */
		"good2:iEb36u6PsRetBr3YMLdYbA==\n"		/* 10 */
		"good1:iEb36u6PsRetBr3YMLdYbA==\n"		/* 11 duplicate: wins */
		"tab\tname:iEb36u6PsRetBr3YMLdYbA==\n"		/* 12 control char */
		"nul:iEb36u6PsRetBr3YMLdYbA=\0\n"		/* 13 NUL */
		"last:iEb36u6PsRetBr3YMLdYbA==";		/* 14 no final LF */
	struct userdb *db = userdb_new(NULL);
	struct reports r = { .count = 0 };
	static const unsigned int want[] = { 2, 3, 5, 6, 7, 8, 9, 11, 12, 13 };
	uint8_t h[16];
	size_t i;

	(void)state;
	db->report = collect_report;
	db->report_priv = &r;
	assert_int_equal(userdb_parse(db, text, sizeof(text) - 1, "test.db"), 0);
	assert_int_equal(db->malformed, 9);
	assert_int_equal(db->duplicates, 1);
	assert_int_equal(r.count, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < r.count; i++)
		assert_int_equal(r.lines[i], want[i]);

	assert_int_equal(db->count, 3);
	assert_string_equal(db->users[0].name, "good1");
	assert_string_equal(db->users[1].name, "good2");
	assert_string_equal(db->users[2].name, "last");
	nt_hash("password", h);
	assert_memory_equal(db->users[0].nt_hash, h, 16);	/* line 11 won */

	/* Parsing again replaces, not appends. */
	assert_int_equal(userdb_parse(db, "x:iEb36u6PsRetBr3YMLdYbA==\n", 27,
				      "test.db"), 0);
	assert_int_equal(db->count, 1);
	assert_int_equal(db->malformed, 0);
	talloc_free(db);
}

static void test_parse_limits(void **state)
{
	char line[128];
	struct userdb *db = userdb_new(NULL);
	struct reports r = { .count = 0 };
	int n;

	(void)state;
	db->report = collect_report;
	db->report_priv = &r;
	/* A 47-byte name is the longest accepted. */
	n = snprintf(line, sizeof(line), "%.*s:iEb36u6PsRetBr3YMLdYbA==\n", 47,
		     "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn");
	assert_int_equal(userdb_parse(db, line, (size_t)n, "test.db"), 0);
	assert_int_equal(db->count, 1);
	assert_int_equal(strlen(db->users[0].name), 47);
	assert_int_equal(r.count, 0);
	talloc_free(db);
}

/* --------------------------------------------------------- ksmbd.subauth */

static void test_subauth_parse(void **state)
{
	struct subauth sa;
	char text[SUBAUTH_TEXT_MAX], sid[SUBAUTH_SID_STRING_MAX];

	(void)state;
	assert_int_equal(subauth_parse("1:22:333\n", 9, &sa), 0);
	assert_int_equal(sa.sub[0], 1);
	assert_int_equal(sa.sub[1], 22);
	assert_int_equal(sa.sub[2], 333);
	assert_int_equal(subauth_parse("4294967295:0:7\r\n", 16, &sa), 0);
	assert_int_equal(sa.sub[0], 4294967295u);
	assert_int_equal(subauth_parse("1:2:3", 5, &sa), 0);

	assert_int_equal(subauth_parse("4294967296:0:7\n", 15, &sa), -EINVAL);
	assert_int_equal(subauth_parse("1:2\n", 4, &sa), -EINVAL);
	assert_int_equal(subauth_parse("1:2:3:4\n", 8, &sa), -EINVAL);
	assert_int_equal(subauth_parse("1::3\n", 5, &sa), -EINVAL);
	assert_int_equal(subauth_parse("-1:2:3\n", 7, &sa), -EINVAL);
	assert_int_equal(subauth_parse(" 1:2:3\n", 7, &sa), -EINVAL);
	assert_int_equal(subauth_parse("1:2:3 x\n", 8, &sa), -EINVAL);
	assert_int_equal(subauth_parse("00000000001:2:3\n", 16, &sa), -EINVAL);
	assert_int_equal(subauth_parse("", 0, &sa), -EINVAL);

	sa.sub[0] = 4294967295u;
	sa.sub[1] = 4294967295u;
	sa.sub[2] = 4294967295u;
	assert_int_equal(subauth_format(&sa, text, sizeof(text)), 33);
	assert_string_equal(text, "4294967295:4294967295:4294967295\n");
	assert_int_equal(subauth_sid_string(&sa, sid, sizeof(sid)), 41);
	assert_string_equal(sid, "S-1-5-21-4294967295-4294967295-4294967295");
	assert_int_equal(subauth_sid_string(&sa, sid, 41), -ENOSPC);
}

static void test_subauth_create_and_reload(void **state)
{
	struct subauth first, again, loaded;
	char path[128], listing[256], sid1[64], sid2[64];
	struct tmpdir t;
	bool created = false;
	struct stat st;

	(void)state;
	assert_int_equal(make_tmpdir(&t), 0);
	snprintf(path, sizeof(path), "%s/ksmbd.subauth", t.path);

	assert_int_equal(subauth_load(path, &loaded), -ENOENT);
	assert_int_equal(subauth_load_or_create(path, &first, &created), 0);
	assert_true(created);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, SUBAUTH_FILE_MODE);
	list_dir(t.path, listing, sizeof(listing));
	assert_string_equal(listing, "ksmbd.subauth\n");

	/* A second start finds the file and keeps the same SID. */
	assert_int_equal(subauth_load_or_create(path, &again, &created), 0);
	assert_false(created);
	subauth_sid_string(&first, sid1, sizeof(sid1));
	subauth_sid_string(&again, sid2, sizeof(sid2));
	assert_string_equal(sid1, sid2);
	assert_int_equal(strncmp(sid1, "S-1-5-21-", 9), 0);

	/* The file is the text "a:b:c\n" of those numbers. */
	snprintf(sid2, sizeof(sid2), "%u:%u:%u\n", first.sub[0], first.sub[1],
		 first.sub[2]);
	assert_string_equal(slurp(path), sid2);

	/* save + load round trip */
	loaded.sub[0] = 11;
	loaded.sub[1] = 22;
	loaded.sub[2] = 33;
	assert_int_equal(subauth_save(path, &loaded), 0);
	assert_string_equal(slurp(path), "11:22:33\n");
	memset(&again, 0, sizeof(again));
	assert_int_equal(subauth_load_or_create(path, &again, &created), 0);
	assert_false(created);
	assert_memory_equal(&again, &loaded, sizeof(again));

	/* A damaged file is an error, never silently a new SID. */
	{
		FILE *f = fopen(path, "w");

		fputs("garbage\n", f);
		fclose(f);
	}
	assert_int_equal(subauth_load_or_create(path, &again, &created), -EINVAL);
	assert_string_equal(slurp(path), "garbage\n");

	remove_tmpdir(&t);
}

static void test_subauth_random(void **state)
{
	struct subauth a, b;

	(void)state;
	assert_int_equal(subauth_generate(&a), 0);
	assert_int_equal(subauth_generate(&b), 0);
	/* 96 random bits: equal twice means getrandom() is not being used. */
	assert_memory_not_equal(&a, &b, sizeof(a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_md4_rfc1320),
		cmocka_unit_test(test_md4_incremental),
		cmocka_unit_test(test_md4_padding_edges),
		cmocka_unit_test(test_base64_rfc4648),
		cmocka_unit_test(test_base64_all_bytes),
		cmocka_unit_test(test_base64_rejects),
		cmocka_unit_test(test_utf8_to_utf16le),
		cmocka_unit_test(test_utf8_rejects),
		cmocka_unit_test(test_nt_hash_known),
		cmocka_unit_test(test_nt_hash_non_ascii),
		cmocka_unit_test(test_name_and_password_limits),
		cmocka_unit_test(test_add_update_delete),
		cmocka_unit_test(test_many_users),
		cmocka_unit_test(test_save_load_round_trip),
		cmocka_unit_test(test_save_failure_leaves_nothing),
		cmocka_unit_test(test_load_missing),
		cmocka_unit_test(test_parse_malformed_lines),
		cmocka_unit_test(test_parse_limits),
		cmocka_unit_test(test_subauth_parse),
		cmocka_unit_test(test_subauth_create_and_reload),
		cmocka_unit_test(test_subauth_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
