// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SMB 3.x encryption: the TRANSFORM_HEADER (MS-SMB2 2.2.41) in and out.
 *
 * A frame that starts with 0xFD 'S' 'M' 'B' carries one SMB2 message (a
 * compound chain included) encrypted under the EncryptionKey of the
 * client's session. It is checked and decrypted in place (3.3.5.2.1.1),
 * then dispatched like any other frame; every answer to it goes back
 * encrypted as one message (3.3.4.1.4), and so does every answer on a
 * session that requires encryption. Anything wrong with a transform frame
 * drops the connection: the spec says so, and nothing in it can be
 * trusted enough to answer.
 *
 * Nonces: a per-session 64-bit counter followed by random bytes chosen
 * when the session's keys are made. The counter never wraps in practice
 * (2^64 messages), so no nonce repeats under one key.
 */
#include "smbd.h"
#include "netlink.h"

/* The AAD is the transform header from Nonce on (ProtocolId and Signature off). */
#define AAD_OFFSET	(4U + 16U)
#define AAD_LEN		(SMB2_TRANSFORM_HDR_SIZE - AAD_OFFSET)
/* Flags (3.1.1) / EncryptionAlgorithm (3.0, 3.0.2): both say 0x0001. */
#define TRANSFORM_FLAGS	SMB2_TRANSFORM_HEADER_FLAG_ENCRYPTED

static u32 global_flags;

void smbd_set_global_flags(u32 flags)
{
	__atomic_store_n(&global_flags, flags, __ATOMIC_RELEASE);
}

static u32 flags_now(void)
{
	return __atomic_load_n(&global_flags, __ATOMIC_ACQUIRE);
}

int smbd_encryption_offered(void)
{
	return !(flags_now() & SMBD_NL_GLOBAL_FLAG_SMB2_ENCRYPTION_OFF);
}

int smbd_encryption_required(void)
{
	return smbd_encryption_offered() &&
	       (flags_now() & SMBD_NL_GLOBAL_FLAG_SMB2_ENCRYPTION);
}

u32 smbd_cipher_key_len(u16 cipher)
{
	switch (cipher) {
	case SMB2_ENCRYPTION_AES128_CCM:
	case SMB2_ENCRYPTION_AES128_GCM:
		return 16;
	case SMB2_ENCRYPTION_AES256_CCM:
	case SMB2_ENCRYPTION_AES256_GCM:
		return 32;
	}
	return 0;
}

static int cipher_alg(u16 cipher, enum os_aead *alg)
{
	switch (cipher) {
	case SMB2_ENCRYPTION_AES128_CCM:
		*alg = OS_AEAD_AES128_CCM;
		return 0;
	case SMB2_ENCRYPTION_AES128_GCM:
		*alg = OS_AEAD_AES128_GCM;
		return 0;
	case SMB2_ENCRYPTION_AES256_CCM:
		*alg = OS_AEAD_AES256_CCM;
		return 0;
	case SMB2_ENCRYPTION_AES256_GCM:
		*alg = OS_AEAD_AES256_GCM;
		return 0;
	}
	return -OS_EINVAL;
}

/* CCM takes an 11-byte nonce, GCM 12; the rest of the 16 bytes is zero. */
static u32 nonce_len(u16 cipher)
{
	return cipher == SMB2_ENCRYPTION_AES128_GCM ||
	       cipher == SMB2_ENCRYPTION_AES256_GCM ? 12 : 11;
}

int smbd_is_transform(const u8 *buf, u32 len)
{
	return len >= 4 && wire_ld32(buf) == SMB2_TRANSFORM_PROTOCOL_ID;
}

/* Reserve s's next nonce for one message: counter, then the session's salt. */
static void nonce_next(const struct smbd_conn *conn, struct smbd_session *s,
		       u8 nonce[16])
{
	u32 n = nonce_len(conn->cipher);

	os_memset(nonce, 0, 16);
	wire_st64(nonce, s->nonce_count++);
	os_memcpy(nonce + 8, s->nonce_salt, n - 8);
}

/* The answer of the frame in hand goes out encrypted for s (3.3.4.1.4). */
static void plan_encrypt(struct smbd_conn *conn, struct smbd_session *s)
{
	struct smbd_crypt_frame *f = &conn->crypt;

	if (f->encrypt)
		return;		/* the first decision holds for the whole chain */
	f->encrypt = 1;
	f->session_id = s->id;
	os_memcpy(f->key, s->encryption_key, SMBD_CIPHER_KEY_MAX);
	nonce_next(conn, s, f->nonce);
}

int smbd_decrypt_frame(struct smbd_conn *conn, u8 *buf, u32 len,
		       u8 **msg, u32 *msg_len)
{
	struct smb2_transform_hdr th;
	struct smbd_session *s;
	enum os_aead alg;
	u8 *body;
	int rc;

	/* a header alone, or one that does not decode: 3.3.5.2.1.1 */
	if (len <= SMB2_TRANSFORM_HDR_SIZE || smb2_transform_hdr_decode(buf, len, &th))
		return -OS_EPROTO;
	if (!conn->negotiated || conn->dialect < SMB2_DIALECT_300 ||
	    cipher_alg(conn->cipher, &alg))
		return -OS_EPROTO;	/* no cipher was agreed on */
	if (th.flags != TRANSFORM_FLAGS)
		return -OS_EPROTO;
	/* exactly one SMB2 message, no more and no less than the frame holds */
	if (th.original_message_size != th.encrypted_message.len ||
	    th.original_message_size < SMB2_HDR_SIZE)
		return -OS_EPROTO;
	s = smbd_session_find(conn, th.session_id);
	if (!s || !s->has_cipher_keys || s->state != SMBD_SESSION_VALID)
		return -OS_EPROTO;
	body = buf + SMB2_TRANSFORM_HDR_SIZE;	/* the bytes encrypted_message names */
	rc = os_aead_decrypt(alg, s->decryption_key, th.nonce, buf + AAD_OFFSET,
			     AAD_LEN, body, th.original_message_size, th.signature);
	if (rc)
		return -OS_EPROTO;	/* a wrong tag: forged or garbled */
	/* inside is a plain SMB2 message: not another transform, not SMB1 */
	if (wire_ld32(body) != SMB2_PROTOCOL_ID)
		return -OS_EPROTO;
	conn->crypt.rx_session_id = s->id;
	plan_encrypt(conn, s);
	*msg = body;
	*msg_len = th.original_message_size;
	return 0;
}

int smbd_encrypt_frame(struct smbd_conn *conn, u8 *frame, u32 msg_len)
{
	struct smbd_crypt_frame *f = &conn->crypt;
	struct smb2_transform_hdr th = {
		.protocol_id = SMB2_TRANSFORM_PROTOCOL_ID,
		.original_message_size = msg_len,
		.flags = TRANSFORM_FLAGS,
		.session_id = f->session_id,
	};
	enum os_aead alg;
	int rc;

	if (!f->encrypt || cipher_alg(conn->cipher, &alg))
		return -OS_EINVAL;
	os_memcpy(th.nonce, f->nonce, sizeof(th.nonce));
	/* the header first, with a zero signature: the AAD comes from it */
	if (smb2_transform_hdr_encode(frame, SMB2_TRANSFORM_HDR_SIZE, &th, NULL))
		return -OS_EMSGSIZE;
	rc = os_aead_encrypt(alg, f->key, f->nonce, frame + AAD_OFFSET, AAD_LEN,
			     frame + SMB2_TRANSFORM_HDR_SIZE, msg_len, th.signature);
	if (rc)
		return rc;
	if (smb2_transform_hdr_encode(frame, SMB2_TRANSFORM_HDR_SIZE, &th, NULL))
		return -OS_EMSGSIZE;
	return 0;
}

void smbd_crypt_frame_end(struct smbd_conn *conn)
{
	/* conn lives on: this store is not dead, the key copy is gone */
	os_memset(&conn->crypt, 0, sizeof(conn->crypt));
}

u32 smbd_crypt_check(struct smbd_work *w)
{
	struct smbd_conn *conn = w->conn;
	struct smbd_session *s = w->sess;
	u16 cmd = w->hdr.command;
	u64 rx = conn->crypt.rx_session_id;

	if (!s)
		return STATUS_SUCCESS;
	/* every element of an encrypted chain speaks for its session */
	if (rx && s->id != rx)
		return STATUS_ACCESS_DENIED;
	if (!s->encrypt_data || !s->has_cipher_keys)
		return STATUS_SUCCESS;
	/* Session.EncryptData: answers are encrypted, setup ones excepted */
	if (cmd != SMB2_NEGOTIATE && cmd != SMB2_SESSION_SETUP)
		plan_encrypt(conn, s);
	if (!rx && cmd != SMB2_SESSION_SETUP)
		return STATUS_ACCESS_DENIED;	/* 3.3.5.2.9 */
	return STATUS_SUCCESS;
}

u32 smbd_crypt_session_start(struct smbd_conn *conn, struct smbd_session *s,
			     u16 *session_flags)
{
	int can = conn->dialect >= SMB2_DIALECT_300 &&
		  smbd_cipher_key_len(conn->cipher);

	if (can) {
		smbd_cipher_keys_derive(conn, s);
		os_random(s->nonce_salt, sizeof(s->nonce_salt));
		s->nonce_count = 0;
	}
	if (!smbd_encryption_required())
		return STATUS_SUCCESS;
	/*
	 * Server.EncryptData with RejectUnencryptedAccess: a client that
	 * cannot encrypt (2.x, or no cipher agreed on) gets no session.
	 */
	if (!can)
		return STATUS_ACCESS_DENIED;
	s->encrypt_data = 1;
	*session_flags |= SMB2_SESSION_FLAG_ENCRYPT_DATA;
	return STATUS_SUCCESS;
}
