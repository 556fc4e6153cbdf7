// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * os.h crypto with GnuTLS (MACs, SHA-512) and Nettle (RC4, which GnuTLS
 * builds may leave out).
 */
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <nettle/arcfour.h>

#include "os.h"
#include "host.h"

static gnutls_mac_algorithm_t mac_alg(enum os_mac alg)
{
	switch (alg) {
	case OS_MAC_HMAC_MD5:
		return GNUTLS_MAC_MD5;
	case OS_MAC_HMAC_SHA256:
		return GNUTLS_MAC_SHA256;
	case OS_MAC_AES_CMAC:
		return GNUTLS_MAC_AES_CMAC_128;
	}
	return GNUTLS_MAC_UNKNOWN;
}

int os_mac(enum os_mac alg, const u8 *key, u32 keylen,
	   const struct os_iov *iov, u32 n, u8 *out)
{
	gnutls_hmac_hd_t h;
	u32 i;

	if (gnutls_hmac_init(&h, mac_alg(alg), key, keylen) < 0)
		return -OS_EINVAL;
	for (i = 0; i < n; i++)
		if (iov[i].len && gnutls_hmac(h, iov[i].p, iov[i].len) < 0) {
			gnutls_hmac_deinit(h, NULL);
			return -OS_EIO;
		}
	gnutls_hmac_deinit(h, out);
	return 0;
}

int os_sha512(const struct os_iov *iov, u32 n, u8 out[64])
{
	gnutls_hash_hd_t h;
	u32 i;

	if (gnutls_hash_init(&h, GNUTLS_DIG_SHA512) < 0)
		return -OS_EINVAL;
	for (i = 0; i < n; i++)
		if (iov[i].len && gnutls_hash(h, iov[i].p, iov[i].len) < 0) {
			gnutls_hash_deinit(h, NULL);
			return -OS_EIO;
		}
	gnutls_hash_deinit(h, out);
	return 0;
}

int os_rc4(const u8 *key, u32 keylen, const u8 *in, u8 *out, u32 len)
{
	struct arcfour_ctx ctx;

	if (keylen < ARCFOUR_MIN_KEY_SIZE || keylen > ARCFOUR_MAX_KEY_SIZE)
		return -OS_EINVAL;
	arcfour_set_key(&ctx, keylen, key);
	arcfour_crypt(&ctx, len, out, in);
	return 0;
}

int host_crypto_init(void)
{
	static const u8 key[16];
	struct os_iov iov = { key, 16 };
	u8 out[64];

	if (os_mac(OS_MAC_HMAC_MD5, key, 16, &iov, 1, out) ||
	    os_mac(OS_MAC_AES_CMAC, key, 16, &iov, 1, out) ||
	    os_sha512(&iov, 1, out)) {
		os_log(OS_LOG_ERR, "GnuTLS lacks HMAC-MD5, AES-CMAC or SHA-512");
		return -1;
	}
	return 0;
}
