// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * os.h crypto with GnuTLS (MACs, SHA-512, the SMB 3.x AEAD ciphers) and
 * Nettle (RC4, which GnuTLS builds may leave out).
 */
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <nettle/arcfour.h>
#include <string.h>

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

static int hash(gnutls_digest_algorithm_t alg, const struct os_iov *iov, u32 n,
		u8 *out)
{
	gnutls_hash_hd_t h;
	u32 i;

	if (gnutls_hash_init(&h, alg) < 0)
		return -OS_EINVAL;
	for (i = 0; i < n; i++)
		if (iov[i].len && gnutls_hash(h, iov[i].p, iov[i].len) < 0) {
			gnutls_hash_deinit(h, NULL);
			return -OS_EIO;
		}
	gnutls_hash_deinit(h, out);
	return 0;
}

int os_sha512(const struct os_iov *iov, u32 n, u8 out[64])
{
	return hash(GNUTLS_DIG_SHA512, iov, n, out);
}

int os_md5(const struct os_iov *iov, u32 n, u8 out[16])
{
	return hash(GNUTLS_DIG_MD5, iov, n, out);
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

struct aead_alg {
	gnutls_cipher_algorithm_t cipher;
	u32 key_len;
	u32 nonce_len;
};

static int aead_alg(enum os_aead alg, struct aead_alg *a)
{
	switch (alg) {
	case OS_AEAD_AES128_CCM:
		*a = (struct aead_alg){ GNUTLS_CIPHER_AES_128_CCM, 16, 11 };
		return 0;
	case OS_AEAD_AES128_GCM:
		*a = (struct aead_alg){ GNUTLS_CIPHER_AES_128_GCM, 16, 12 };
		return 0;
	case OS_AEAD_AES256_CCM:
		*a = (struct aead_alg){ GNUTLS_CIPHER_AES_256_CCM, 32, 11 };
		return 0;
	case OS_AEAD_AES256_GCM:
		*a = (struct aead_alg){ GNUTLS_CIPHER_AES_256_GCM, 32, 12 };
		return 0;
	}
	return -OS_EINVAL;
}

/*
 * One message through GnuTLS's in-place AEAD calls (the v2 ones take the
 * tag separately, so the ciphertext stays where the plaintext was). A
 * handle per message: key setup is cheap next to a message's worth of AES.
 */
static int aead_run(enum os_aead alg, const u8 *key, const u8 *nonce,
		    const u8 *aad, u32 aad_len, u8 *buf, u32 len, u8 *tag,
		    int encrypt)
{
	gnutls_aead_cipher_hd_t h;
	struct aead_alg a;
	gnutls_datum_t k;
	giovec_t ad = { (void *)aad, aad_len };
	giovec_t data = { buf, len };
	size_t tag_len = OS_AEAD_TAG_SIZE;
	int rc;

	if (aead_alg(alg, &a))
		return -OS_EINVAL;
	k.data = (unsigned char *)key;
	k.size = a.key_len;
	if (gnutls_aead_cipher_init(&h, a.cipher, &k) < 0)
		return -OS_EINVAL;
	if (encrypt)
		rc = gnutls_aead_cipher_encryptv2(h, nonce, a.nonce_len, &ad, 1,
						  &data, len ? 1 : 0, tag, &tag_len);
	else
		rc = gnutls_aead_cipher_decryptv2(h, nonce, a.nonce_len, &ad, 1,
						  &data, len ? 1 : 0, tag, tag_len);
	gnutls_aead_cipher_deinit(h);
	if (rc == GNUTLS_E_DECRYPTION_FAILED)
		return -OS_EBADMSG;
	if (rc < 0 || tag_len != OS_AEAD_TAG_SIZE)
		return -OS_EIO;
	return 0;
}

int os_aead_encrypt(enum os_aead alg, const u8 *key, const u8 *nonce,
		    const u8 *aad, u32 aad_len, u8 *buf, u32 len,
		    u8 tag[OS_AEAD_TAG_SIZE])
{
	return aead_run(alg, key, nonce, aad, aad_len, buf, len, tag, 1);
}

int os_aead_decrypt(enum os_aead alg, const u8 *key, const u8 *nonce,
		    const u8 *aad, u32 aad_len, u8 *buf, u32 len,
		    const u8 tag[OS_AEAD_TAG_SIZE])
{
	u8 t[OS_AEAD_TAG_SIZE];

	/* GnuTLS takes the tag as non-const */
	memcpy(t, tag, sizeof(t));
	return aead_run(alg, key, nonce, aad, aad_len, buf, len, t, 0);
}

/* Every cipher round-trips one block, and a flipped tag bit is refused. */
static int aead_selftest(void)
{
	static const enum os_aead algs[] = {
		OS_AEAD_AES128_CCM, OS_AEAD_AES128_GCM,
		OS_AEAD_AES256_CCM, OS_AEAD_AES256_GCM,
	};
	static const u8 key[32], nonce[12], aad[32];
	u8 buf[16] = { 1 }, tag[OS_AEAD_TAG_SIZE];
	u32 i;

	for (i = 0; i < OS_ARRAY_SIZE(algs); i++) {
		buf[0] = 1;
		if (os_aead_encrypt(algs[i], key, nonce, aad, 32, buf, 16, tag) ||
		    os_aead_decrypt(algs[i], key, nonce, aad, 32, buf, 16, tag) ||
		    buf[0] != 1)
			return -1;
		if (os_aead_encrypt(algs[i], key, nonce, aad, 32, buf, 16, tag))
			return -1;
		tag[0] ^= 1;
		if (os_aead_decrypt(algs[i], key, nonce, aad, 32, buf, 16, tag) !=
		    -OS_EBADMSG)
			return -1;
	}
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
	if (aead_selftest()) {
		os_log(OS_LOG_ERR, "GnuTLS lacks AES-128/256-CCM or -GCM (SMB 3 encryption)");
		return -1;
	}
	return 0;
}
