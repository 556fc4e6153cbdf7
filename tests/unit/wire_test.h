/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers shared by the per-family marshaller tests: exact-size heap copies
 * (so ASan sees a read past the input), fixture files, and checks that an
 * encoding matches expected bytes at exactly T_size() bytes and fails with
 * WIRE_ESPACE below that.
 */
#ifndef WIRE_TEST_H
#define WIRE_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "wire.h"

#ifndef FIXTURES_DIR
#define FIXTURES_DIR "tests/fixtures"
#endif

static inline u8 *dup_exact(const void *p, size_t n)
{
	u8 *b = malloc(n ? n : 1);

	assert_non_null(b);
	if (n)
		memcpy(b, p, n);
	return b;
}

static inline u8 *slurp(const char *name, u32 *len)
{
	char path[512];
	const char *dir = getenv("FIXTURES_DIR");
	FILE *f;
	u8 *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : FIXTURES_DIR, name);
	f = fopen(path, "rb");
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

#define ENC_CHECK(T, vp, exp, explen) do {					\
	long sz_ = T##_size(vp);						\
	size_t used_ = 0, c_;							\
	u8 *b_;									\
										\
	assert_int_equal(sz_, (long)(explen));					\
	b_ = malloc((size_t)sz_ + 1);						\
	assert_non_null(b_);							\
	for (c_ = 0; c_ < (size_t)sz_; c_++)					\
		assert_int_equal(T##_encode(b_, c_, vp, &used_), -WIRE_ESPACE); \
	assert_int_equal(T##_encode(b_, (size_t)sz_, vp, &used_), 0);		\
	assert_int_equal(used_, (size_t)sz_);					\
	assert_memory_equal(b_, exp, (size_t)sz_);				\
	free(b_);								\
} while (0)

#define DEC_OK(T, bytes, len, outp) \
	assert_int_equal(T##_decode(bytes, len, outp), 0)

#define DEC_RC(T, bytes, len, outp, rc) do {					\
	u8 *b_ = dup_exact(bytes, len);						\
	assert_int_equal(T##_decode(b_, len, outp), rc);			\
	free(b_);								\
} while (0)

#define TRUNC_ALL(T, bytes, fixed) do {						\
	size_t n_;								\
	struct T v_;								\
										\
	for (n_ = 0; n_ < (size_t)(fixed); n_++)				\
		DEC_RC(T, bytes, n_, &v_, -WIRE_ETRUNC);			\
} while (0)

#define REENCODE_SAME(T, bytes, len) do {					\
	struct T v_;								\
	u8 *o_ = malloc((len) + 1);						\
	size_t used_ = 0;							\
										\
	assert_non_null(o_);							\
	assert_int_equal(T##_decode(bytes, len, &v_), 0);			\
	assert_int_equal(T##_size(&v_), (long)(len));				\
	assert_int_equal(T##_encode(o_, len, &v_, &used_), 0);		\
	assert_int_equal(used_, (size_t)(len));					\
	assert_memory_equal(o_, bytes, len);					\
	free(o_);								\
} while (0)

#endif /* WIRE_TEST_H */
