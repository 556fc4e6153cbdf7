// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * os.h crypto on the kernel's crypto API: HMAC-MD5, HMAC-SHA256 and
 * AES-CMAC (shash), SHA-512 and MD5 (shash), RC4 (lib/crypto) and the
 * SMB3 AEAD ciphers AES-CCM and AES-GCM (aead).
 *
 * The transforms are allocated once, at module init. A keyed transform
 * holds its key, so a keyed operation (setkey and the computation) runs
 * under that transform's mutex; the unkeyed hashes share their transform
 * freely (the state lives in the on-stack descriptor). Correct first:
 * per-connection transforms would remove the serialisation if signing or
 * encryption ever shows up in a profile.
 */
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <crypto/aead.h>
#include <crypto/arc4.h>
#include <crypto/hash.h>

#include "os.h"
#include "khost.h"

/* Loaded on demand by the crypto API too; this makes modprobe bring them. */
MODULE_SOFTDEP("pre: ccm gcm cmac hmac md5 sha256 sha512");

struct smbd_shash {
	const char *name;
	struct crypto_shash *tfm;
	struct mutex lock;	/* keyed ones: the key lives in tfm */
};

enum { SH_HMAC_MD5, SH_HMAC_SHA256, SH_CMAC_AES, SH_SHA512, SH_MD5, SH_COUNT };

static struct smbd_shash smbd_shash[SH_COUNT] = {
	[SH_HMAC_MD5] = { .name = "hmac(md5)" },
	[SH_HMAC_SHA256] = { .name = "hmac(sha256)" },
	[SH_CMAC_AES] = { .name = "cmac(aes)" },
	[SH_SHA512] = { .name = "sha512" },
	[SH_MD5] = { .name = "md5" },
};

struct smbd_aead {
	const char *name;
	struct crypto_aead *tfm;
	struct mutex lock;	/* the key lives in tfm */
};

enum { AE_CCM, AE_GCM, AE_COUNT };

static struct smbd_aead smbd_aead[AE_COUNT] = {
	[AE_CCM] = { .name = "ccm(aes)" },
	[AE_GCM] = { .name = "gcm(aes)" },
};

/* -- hashes and MACs ---------------------------------------------------- */

static int shash_run(struct smbd_shash *sh, const u8 *key, u32 keylen,
		     const struct os_iov *iov, u32 n, u8 *out)
{
	SHASH_DESC_ON_STACK(desc, sh->tfm);
	u32 i;
	int rc;

	if (!sh->tfm)
		return -OS_EINVAL;
	desc->tfm = sh->tfm;
	if (key) {
		rc = crypto_shash_setkey(sh->tfm, key, keylen);
		if (rc)
			goto out;
	}
	rc = crypto_shash_init(desc);
	for (i = 0; !rc && i < n; i++)
		if (iov[i].len)
			rc = crypto_shash_update(desc, iov[i].p, iov[i].len);
	if (!rc)
		rc = crypto_shash_final(desc, out);
out:
	shash_desc_zero(desc);
	return rc;
}

int os_mac(enum os_mac alg, const u8 *key, u32 keylen,
	   const struct os_iov *iov, u32 n, u8 *out)
{
	struct smbd_shash *sh;
	int rc;

	switch (alg) {
	case OS_MAC_HMAC_MD5:
		sh = &smbd_shash[SH_HMAC_MD5];
		break;
	case OS_MAC_HMAC_SHA256:
		sh = &smbd_shash[SH_HMAC_SHA256];
		break;
	case OS_MAC_AES_CMAC:
		if (keylen != 16)
			return -OS_EINVAL;
		sh = &smbd_shash[SH_CMAC_AES];
		break;
	default:
		return -OS_EINVAL;
	}
	mutex_lock(&sh->lock);
	rc = shash_run(sh, key, keylen, iov, n, out);
	mutex_unlock(&sh->lock);
	return rc;
}

int os_sha512(const struct os_iov *iov, u32 n, u8 out[64])
{
	return shash_run(&smbd_shash[SH_SHA512], NULL, 0, iov, n, out);
}

int os_md5(const struct os_iov *iov, u32 n, u8 out[16])
{
	return shash_run(&smbd_shash[SH_MD5], NULL, 0, iov, n, out);
}

int os_rc4(const u8 *key, u32 keylen, const u8 *in, u8 *out, u32 len)
{
	struct arc4_ctx *ctx;

	if (keylen < ARC4_MIN_KEY_SIZE || keylen > ARC4_MAX_KEY_SIZE)
		return -OS_EINVAL;
	/* About 1 KiB of state: too much for the stack. */
	ctx = kmalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -OS_ENOMEM;
	arc4_setkey(ctx, key, keylen);
	arc4_crypt(ctx, out, in, len);
	kfree_sensitive(ctx);
	return 0;
}

/* -- AEAD ------------------------------------------------------------------- */

/*
 * Scatterlist entries for len bytes at p. Frames may come from kvmalloc
 * (vmalloc space) and small buffers from the stack (vmalloc space too with
 * VMAP_STACK) or a module's data: anything outside the linear map is
 * mapped page by page. sg == NULL only counts.
 */
static unsigned int sg_fill(struct scatterlist *sg, const void *p, u32 len)
{
	unsigned int n = 0;

	if (!len)
		return 0;
	if (virt_addr_valid(p)) {
		if (sg)
			sg_set_buf(sg, p, len);
		return 1;
	}
	while (len) {
		u32 off = offset_in_page(p);
		u32 chunk = min_t(u32, len, PAGE_SIZE - off);

		if (sg)
			sg_set_page(&sg[n], vmalloc_to_page(p), chunk, off);
		n++;
		p = (const u8 *)p + chunk;
		len -= chunk;
	}
	return n;
}

/* Per call: the IV, the tag and a linear copy of the (short) AAD. */
struct aead_scratch {
	u8 iv[16];
	u8 tag[OS_AEAD_TAG_SIZE];
	u8 aad[];
};

static int aead_run(enum os_aead alg, const u8 *key, const u8 *nonce,
		    const u8 *aad, u32 aad_len, u8 *buf, u32 len,
		    u8 *tag, int enc)
{
	struct smbd_aead *ae;
	struct aead_request *req = NULL;
	struct aead_scratch *s;
	struct scatterlist *sg;
	unsigned int nsg, i;
	u32 keylen;
	DECLARE_CRYPTO_WAIT(wait);
	int rc;

	switch (alg) {
	case OS_AEAD_AES128_CCM:
	case OS_AEAD_AES256_CCM:
		ae = &smbd_aead[AE_CCM];
		break;
	case OS_AEAD_AES128_GCM:
	case OS_AEAD_AES256_GCM:
		ae = &smbd_aead[AE_GCM];
		break;
	default:
		return -OS_EINVAL;
	}
	if (!ae->tfm)
		return -OS_EINVAL;
	keylen = alg == OS_AEAD_AES256_CCM || alg == OS_AEAD_AES256_GCM ? 32 : 16;
	if (aad_len > U32_MAX - sizeof(*s) || len > U32_MAX - OS_AEAD_TAG_SIZE)
		return -OS_EINVAL;

	s = kzalloc(sizeof(*s) + aad_len, GFP_KERNEL);
	nsg = 2 + sg_fill(NULL, buf, len);
	sg = kmalloc_array(nsg, sizeof(*sg), GFP_KERNEL);
	if (!s || !sg) {
		rc = -OS_ENOMEM;
		goto out;
	}
	if (ae == &smbd_aead[AE_CCM]) {
		/* RFC 3610 flags byte: L' = L - 1, with L = 15 - 11 = 4. */
		s->iv[0] = 3;
		memcpy(s->iv + 1, nonce, 11);
	} else {
		memcpy(s->iv, nonce, 12);
	}
	if (!enc)
		memcpy(s->tag, tag, OS_AEAD_TAG_SIZE);
	memcpy(s->aad, aad, aad_len);

	/* aad || data || tag, encrypted in place */
	sg_init_table(sg, nsg);
	sg_set_buf(&sg[0], s->aad, aad_len);
	i = 1 + sg_fill(&sg[1], buf, len);
	sg_set_buf(&sg[i], s->tag, OS_AEAD_TAG_SIZE);

	mutex_lock(&ae->lock);
	rc = crypto_aead_setkey(ae->tfm, key, keylen);
	if (!rc)
		rc = crypto_aead_setauthsize(ae->tfm, OS_AEAD_TAG_SIZE);
	if (!rc) {
		req = aead_request_alloc(ae->tfm, GFP_KERNEL);
		if (!req)
			rc = -OS_ENOMEM;
	}
	if (!rc) {
		aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_SLEEP |
					  CRYPTO_TFM_REQ_MAY_BACKLOG,
					  crypto_req_done, &wait);
		aead_request_set_ad(req, aad_len);
		aead_request_set_crypt(req, sg, sg, enc ? len : len + OS_AEAD_TAG_SIZE,
				       s->iv);
		rc = crypto_wait_req(enc ? crypto_aead_encrypt(req) :
					   crypto_aead_decrypt(req), &wait);
	}
	aead_request_free(req);
	mutex_unlock(&ae->lock);
	if (!rc && enc)
		memcpy(tag, s->tag, OS_AEAD_TAG_SIZE);
	else if (rc == -EBADMSG)
		rc = -OS_EBADMSG;
out:
	kfree(sg);
	kfree_sensitive(s);
	return rc;
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
	return aead_run(alg, key, nonce, aad, aad_len, buf, len, (u8 *)tag, 0);
}

/* -- init and exit ------------------------------------------------------------ */

void smbd_crypto_exit(void)
{
	unsigned int i;

	for (i = 0; i < SH_COUNT; i++) {
		if (!IS_ERR_OR_NULL(smbd_shash[i].tfm))
			crypto_free_shash(smbd_shash[i].tfm);
		smbd_shash[i].tfm = NULL;
	}
	for (i = 0; i < AE_COUNT; i++) {
		if (!IS_ERR_OR_NULL(smbd_aead[i].tfm))
			crypto_free_aead(smbd_aead[i].tfm);
		smbd_aead[i].tfm = NULL;
	}
}

int smbd_crypto_init(void)
{
	unsigned int i;
	int rc;

	for (i = 0; i < SH_COUNT; i++) {
		struct crypto_shash *tfm = crypto_alloc_shash(smbd_shash[i].name, 0, 0);

		mutex_init(&smbd_shash[i].lock);
		if (IS_ERR(tfm)) {
			rc = PTR_ERR(tfm);
			pr_err("ksmbd: crypto: no %s (%d)\n", smbd_shash[i].name, rc);
			goto fail;
		}
		smbd_shash[i].tfm = tfm;
	}
	for (i = 0; i < AE_COUNT; i++) {
		struct crypto_aead *tfm = crypto_alloc_aead(smbd_aead[i].name, 0, 0);

		mutex_init(&smbd_aead[i].lock);
		if (IS_ERR(tfm)) {
			rc = PTR_ERR(tfm);
			pr_err("ksmbd: crypto: no %s (%d)\n", smbd_aead[i].name, rc);
			goto fail;
		}
		smbd_aead[i].tfm = tfm;
	}
	return 0;
fail:
	smbd_crypto_exit();
	return rc;
}
