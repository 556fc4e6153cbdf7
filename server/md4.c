// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * MD4 message digest, written from the algorithm description in RFC 1320.
 *
 * The message is padded with a single 1 bit and zeros up to 56 bytes modulo
 * 64, followed by the message length in bits as a 64-bit little-endian
 * number. Each 64-byte block is read as sixteen little-endian 32-bit words
 * and mixed into the four-word state by three rounds of sixteen steps.
 */
#include <string.h>

#include "md4.h"

/* The three auxiliary functions of RFC 1320 section 3.4. */
#define MD4_F(x, y, z)	(((x) & (y)) | (~(x) & (z)))
#define MD4_G(x, y, z)	(((x) & (y)) | ((x) & (z)) | ((y) & (z)))
#define MD4_H(x, y, z)	((x) ^ (y) ^ (z))

/* Constants added in rounds 2 and 3: sqrt(2) and sqrt(3) scaled by 2^30. */
#define MD4_ROUND2_K	0x5a827999u
#define MD4_ROUND3_K	0x6ed9eba1u

static inline uint32_t rotl32(uint32_t v, unsigned int s)
{
	return (v << s) | (v >> (32 - s));
}

static inline uint32_t load_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 |
	       (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void store_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/*
 * Each round applies its step to the registers in the rotating order
 * (a,b,c,d), (d,a,b,c), (c,d,a,b), (b,c,d,a), four times. The word index
 * and shift of each step are the only things that differ, so the rounds
 * are driven by small tables instead of 48 written-out lines.
 */
static const uint8_t round1_word[16] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
};
static const uint8_t round2_word[16] = {
	0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15,
};
static const uint8_t round3_word[16] = {
	0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15,
};
static const uint8_t round1_shift[4] = { 3, 7, 11, 19 };
static const uint8_t round2_shift[4] = { 3, 5, 9, 13 };
static const uint8_t round3_shift[4] = { 3, 9, 11, 15 };

static void md4_transform(uint32_t state[4], const uint8_t block[MD4_BLOCK_SIZE])
{
	uint32_t x[16];
	uint32_t r[4];	/* r[0..3] are a, b, c, d */
	unsigned int i;

	for (i = 0; i < 16; i++)
		x[i] = load_le32(block + 4 * i);
	memcpy(r, state, sizeof(r));

	/*
	 * Step i updates register (4 - i % 4) % 4 from the other three taken
	 * in order: for i % 4 == 0 that is a from (b, c, d), for 1 it is d
	 * from (a, b, c), for 2 it is c from (d, a, b), for 3 b from (c, d, a).
	 */
	for (i = 0; i < 16; i++) {
		unsigned int t = (4 - i % 4) % 4;
		uint32_t p = r[(t + 1) % 4], q = r[(t + 2) % 4], s = r[(t + 3) % 4];

		r[t] = rotl32(r[t] + MD4_F(p, q, s) + x[round1_word[i]],
			      round1_shift[i % 4]);
	}
	for (i = 0; i < 16; i++) {
		unsigned int t = (4 - i % 4) % 4;
		uint32_t p = r[(t + 1) % 4], q = r[(t + 2) % 4], s = r[(t + 3) % 4];

		r[t] = rotl32(r[t] + MD4_G(p, q, s) + x[round2_word[i]] +
			      MD4_ROUND2_K, round2_shift[i % 4]);
	}
	for (i = 0; i < 16; i++) {
		unsigned int t = (4 - i % 4) % 4;
		uint32_t p = r[(t + 1) % 4], q = r[(t + 2) % 4], s = r[(t + 3) % 4];

		r[t] = rotl32(r[t] + MD4_H(p, q, s) + x[round3_word[i]] +
			      MD4_ROUND3_K, round3_shift[i % 4]);
	}

	for (i = 0; i < 4; i++)
		state[i] += r[i];
	/* The block may be password material: do not leave it on the stack. */
	memset(x, 0, sizeof(x));
	__asm__ __volatile__("" : : "r"(x) : "memory");
}

void md4_init(struct md4_ctx *ctx)
{
	ctx->state[0] = 0x67452301u;
	ctx->state[1] = 0xefcdab89u;
	ctx->state[2] = 0x98badcfeu;
	ctx->state[3] = 0x10325476u;
	ctx->total_len = 0;
}

void md4_update(struct md4_ctx *ctx, const void *data, size_t len)
{
	const uint8_t *in = data;
	size_t used = ctx->total_len % MD4_BLOCK_SIZE;

	ctx->total_len += len;

	if (used) {
		size_t room = MD4_BLOCK_SIZE - used;

		if (len < room) {
			memcpy(ctx->block + used, in, len);
			return;
		}
		memcpy(ctx->block + used, in, room);
		md4_transform(ctx->state, ctx->block);
		in += room;
		len -= room;
	}
	for (; len >= MD4_BLOCK_SIZE; in += MD4_BLOCK_SIZE, len -= MD4_BLOCK_SIZE)
		md4_transform(ctx->state, in);
	if (len)
		memcpy(ctx->block, in, len);
}

void md4_final(struct md4_ctx *ctx, uint8_t digest[MD4_DIGEST_SIZE])
{
	uint64_t bits = ctx->total_len * 8;
	size_t used = ctx->total_len % MD4_BLOCK_SIZE;
	unsigned int i;

	ctx->block[used++] = 0x80;
	if (used > MD4_BLOCK_SIZE - 8) {
		memset(ctx->block + used, 0, MD4_BLOCK_SIZE - used);
		md4_transform(ctx->state, ctx->block);
		used = 0;
	}
	memset(ctx->block + used, 0, MD4_BLOCK_SIZE - 8 - used);
	store_le32(ctx->block + 56, (uint32_t)bits);
	store_le32(ctx->block + 60, (uint32_t)(bits >> 32));
	md4_transform(ctx->state, ctx->block);

	for (i = 0; i < 4; i++)
		store_le32(digest + 4 * i, ctx->state[i]);

	memset(ctx, 0, sizeof(*ctx));
	__asm__ __volatile__("" : : "r"(ctx) : "memory");
}

void md4_digest(const void *data, size_t len, uint8_t digest[MD4_DIGEST_SIZE])
{
	struct md4_ctx ctx;

	md4_init(&ctx);
	md4_update(&ctx, data, len);
	md4_final(&ctx, digest);
}
