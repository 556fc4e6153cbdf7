/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * MD4 message digest (RFC 1320).
 *
 * MD4 is broken as a general-purpose hash; it is here only because the NT
 * password hash that SMB authentication is built on is MD4 of the UTF-16LE
 * password. Do not use it for anything else.
 */
#ifndef SMBD_MD4_H
#define SMBD_MD4_H

#include <stddef.h>
#include <stdint.h>

#define MD4_DIGEST_SIZE	16
#define MD4_BLOCK_SIZE	64

struct md4_ctx {
	uint32_t state[4];
	uint64_t total_len;		/* bytes fed so far */
	uint8_t block[MD4_BLOCK_SIZE];	/* partial block, total_len % 64 bytes */
};

void md4_init(struct md4_ctx *ctx);
void md4_update(struct md4_ctx *ctx, const void *data, size_t len);
/* Writes the digest and wipes the context. */
void md4_final(struct md4_ctx *ctx, uint8_t digest[MD4_DIGEST_SIZE]);

/* One-shot convenience. */
void md4_digest(const void *data, size_t len, uint8_t digest[MD4_DIGEST_SIZE]);

#endif /* SMBD_MD4_H */
