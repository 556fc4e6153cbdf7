// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Message signing (MS-SMB2 3.1.4.1) and the session's keys (3.3.5.5.3,
 * SP800-108 counter-mode KDF with HMAC-SHA256, 3.1.4.2): the signing key
 * and the SMB 3.x encryption and decryption keys.
 */
#include "smbd.h"

/* The signature is the header's last 16 bytes. */
#define SIG_OFFSET	(SMB2_HDR_SIZE - 16)

/*
 * SP800-108 counter mode with HMAC-SHA256 (MS-SMB2 3.1.4.2): one block
 * (i = 1) gives up to 32 bytes; L is the output's length in bits, 128
 * or 256. key is the session key (for NTLM the full key is 16 bytes).
 */
static void kdf(const u8 *key, const char *label, u32 label_len,
		const u8 *context, u32 context_len, u8 *out, u32 out_len)
{
	static const u8 counter[4] = { 0, 0, 0, 1 };	/* i = 1, big-endian */
	static const u8 sep;
	u8 bits[4] = { 0, 0, (u8)((out_len * 8) >> 8), (u8)(out_len * 8) };
	struct os_iov iov[] = {
		{ counter, 4 },
		{ label, label_len },
		{ &sep, 1 },
		{ context, context_len },
		{ bits, 4 },
	};
	u8 mac[32];

	os_mac(OS_MAC_HMAC_SHA256, key, SMBD_KEY_SIZE, iov, OS_ARRAY_SIZE(iov), mac);
	os_memcpy(out, mac, out_len);
	os_memset(mac, 0, sizeof(mac));
}

void smbd_signing_derive(struct smbd_conn *conn, struct smbd_session *s)
{
	/* labels and contexts include their terminating NUL (3.1.4.2) */
	if (conn->dialect == SMB2_DIALECT_311)
		kdf(s->session_key, "SMBSigningKey", 14, s->preauth,
		    SMBD_PREAUTH_SIZE, s->signing_key, SMBD_KEY_SIZE);
	else if (conn->dialect >= SMB2_DIALECT_300)
		kdf(s->session_key, "SMB2AESCMAC", 12, (const u8 *)"SmbSign", 8,
		    s->signing_key, SMBD_KEY_SIZE);
	else
		os_memcpy(s->signing_key, s->session_key, SMBD_KEY_SIZE);
	s->has_key = 1;
}

/*
 * The server's EncryptionKey encrypts what we send, its DecryptionKey
 * what the client sends (3.3.5.5.3). 3.0 and 3.0.2 name the direction in
 * the context ("ServerIn " has a trailing blank); 3.1.1 in the label,
 * with the preauth hash as context. AES-256 keys come from L = 256.
 */
void smbd_cipher_keys_derive(struct smbd_conn *conn, struct smbd_session *s)
{
	u32 n = smbd_cipher_key_len(conn->cipher);

	if (!n || conn->dialect < SMB2_DIALECT_300)
		return;
	if (conn->dialect == SMB2_DIALECT_311) {
		kdf(s->session_key, "SMBS2CCipherKey", 16, s->preauth,
		    SMBD_PREAUTH_SIZE, s->encryption_key, n);
		kdf(s->session_key, "SMBC2SCipherKey", 16, s->preauth,
		    SMBD_PREAUTH_SIZE, s->decryption_key, n);
	} else {
		kdf(s->session_key, "SMB2AESCCM", 11, (const u8 *)"ServerOut", 10,
		    s->encryption_key, n);
		kdf(s->session_key, "SMB2AESCCM", 11, (const u8 *)"ServerIn ", 10,
		    s->decryption_key, n);
	}
	s->has_cipher_keys = 1;
}

/* The signature of msg as if its signature field were zero. */
static int compute(const struct smbd_conn *conn, const u8 *key,
		   const u8 *msg, u32 len, u8 sig[16])
{
	static const u8 zero[16];
	struct os_iov iov[3] = {
		{ msg, SIG_OFFSET },
		{ zero, 16 },
		{ msg + SMB2_HDR_SIZE, len - SMB2_HDR_SIZE },
	};
	u8 mac[32];
	int rc;

	if (len < SMB2_HDR_SIZE)
		return -OS_EINVAL;
	if (conn->dialect >= SMB2_DIALECT_300)
		rc = os_mac(OS_MAC_AES_CMAC, key, SMBD_KEY_SIZE, iov, 3, mac);
	else
		rc = os_mac(OS_MAC_HMAC_SHA256, key, SMBD_KEY_SIZE, iov, 3, mac);
	if (!rc)
		os_memcpy(sig, mac, 16);
	return rc;
}

int smbd_sign(const struct smbd_conn *conn, const u8 key[SMBD_KEY_SIZE],
	      u8 *msg, u32 len)
{
	struct smb2_hdr h;
	int rc;

	rc = smb2_hdr_decode(msg, len, &h);
	if (rc)
		return rc;
	rc = compute(conn, key, msg, len, h.signature);
	if (rc)
		return rc;
	return smb2_hdr_encode(msg, len, &h, NULL);
}

int smbd_verify(const struct smbd_conn *conn, const u8 key[SMBD_KEY_SIZE],
		const u8 *msg, u32 len)
{
	struct smb2_hdr h;
	u8 sig[16];

	if (smb2_hdr_decode(msg, len, &h) || compute(conn, key, msg, len, sig))
		return -OS_EINVAL;
	return os_memeq_const(sig, h.signature, 16) ? 0 : -OS_EINVAL;
}
