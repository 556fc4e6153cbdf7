// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SMB2 NEGOTIATE (MS-SMB2 3.3.5.4): pick a dialect, answer the 3.1.1
 * negotiate contexts, offer SPNEGO with NTLMSSP.
 *
 * What the client said and what we answered is kept in the connection:
 * FSCTL_VALIDATE_NEGOTIATE_INFO (ioctl.c) compares against it.
 *
 * Encryption (transform.c) unless the daemon turned it off: 3.0 and
 * 3.0.2 get AES-128-CCM when the client's capabilities offer it, 3.1.1
 * the cipher its encryption context offers that we like best (GCM before
 * CCM, 128 before 256 bits); no common cipher is answered as cipher 0.
 *
 * The SMB1 multi-protocol negotiate (smb1.c) gets its SMB2 answer here
 * too: the wildcard 0x02FF, or 2.0.2 when that is all it offers.
 *
 * Honest answers of this slice: no compression, no multi-channel, no
 * leases, no DFS. Large MTU (multi-credit requests, 1 MiB reads and
 * writes) from 2.1 on. Signing is enabled, not required.
 */
#include "smbd.h"
#include "spnego.h"

/* Highest first: the first one the client also offers wins. */
static const u16 dialects[] = {
	SMB2_DIALECT_311, SMB2_DIALECT_302, SMB2_DIALECT_300, SMB2_DIALECT_210,
	SMB2_DIALECT_202,
};

/* 2.0.2 has no multi-credit requests: one credit, 64 KiB (MS-SMB2 3.3.5.4). */
#define SMB202_MAX_TRANS	65536U

/*
 * ServerGuid (MS-SMB2 3.3.1.5): one for the server's life, the same in
 * every NEGOTIATE and VALIDATE_NEGOTIATE_INFO answer. Made on first use;
 * each half is set once with a compare-and-swap, so concurrent first
 * negotiates agree without a lock.
 */
static u64 server_guid_half[2];

void smbd_server_guid(struct wire_guid *g)
{
	u64 v, fresh;
	u32 i;

	for (i = 0; i < 2; i++) {
		v = __atomic_load_n(&server_guid_half[i], __ATOMIC_ACQUIRE);
		if (!v) {
			os_random(&fresh, sizeof(fresh));
			fresh |= 1;	/* 0 means "not made yet" */
			v = 0;
			if (__atomic_compare_exchange_n(&server_guid_half[i], &v, fresh,
							0, __ATOMIC_ACQ_REL,
							__ATOMIC_ACQUIRE))
				v = fresh;
		}
		wire_st64(g->b + 8 * i, v);
	}
}

/* Remember the client's list for VALIDATE_NEGOTIATE_INFO (ClientDialects). */
static void record_client_dialects(struct smbd_conn *conn,
				   const struct smb2_negotiate_req *req)
{
	u32 i, n = req->dialects.count;

	/* a longer list than any client sends is kept as its count only */
	conn->client_dialect_count = (u16)n;
	if (n > OS_ARRAY_SIZE(conn->client_dialects))
		n = OS_ARRAY_SIZE(conn->client_dialects);
	for (i = 0; i < n; i++)
		conn->client_dialects[i] = wire_seq_u16(&req->dialects, i);
}

static u16 pick_dialect(const struct smb2_negotiate_req *req)
{
	u32 i, j;

	for (i = 0; i < OS_ARRAY_SIZE(dialects); i++)
		for (j = 0; j < req->dialects.count; j++)
			if (wire_seq_u16(&req->dialects, j) == dialects[i])
				return dialects[i];
	return 0;
}

/* Ours, best first: GCM is faster, and every client has a 128-bit one. */
static const u16 ciphers[] = {
	SMB2_ENCRYPTION_AES128_GCM, SMB2_ENCRYPTION_AES128_CCM,
	SMB2_ENCRYPTION_AES256_GCM, SMB2_ENCRYPTION_AES256_CCM,
};

/* What the client's 3.1.1 contexts asked for. */
struct nego_ask {
	int sha512;		/* preauth integrity offers SHA-512 */
	int encryption;		/* an encryption context was sent */
	u16 cipher;		/* the one we pick from it, 0: none in common */
};

/* Our favourite among the ciphers the client's context lists. */
static u16 pick_cipher(const struct smb2_nc_encryption *enc)
{
	u32 i, j;

	if (!smbd_encryption_offered())
		return 0;
	for (i = 0; i < OS_ARRAY_SIZE(ciphers); i++)
		for (j = 0; j < enc->ciphers.count; j++)
			if (wire_seq_u16(&enc->ciphers, j) == ciphers[i])
				return ciphers[i];
	return 0;
}

static int read_contexts(const struct smb2_negotiate_req *req, struct nego_ask *ask)
{
	struct smb2_negotiate_context c;
	struct wire_seq_iter it;
	u32 i;
	int rc;

	wire_seq_iter_init(&it, &req->negotiate_contexts);
	while ((rc = smb2_negotiate_context_seq_next(&it, &c)) > 0) {
		const struct smb2_nc_preauth_integrity *pi = &c.data.preauth_integrity;

		/* only the first of a kind counts (3.3.5.4 refuses repeats) */
		if (c.context_type == SMB2_ENCRYPTION_CAPABILITIES && !ask->encryption) {
			ask->encryption = 1;
			ask->cipher = pick_cipher(&c.data.encryption);
		}
		if (c.context_type != SMB2_PREAUTH_INTEGRITY_CAPABILITIES)
			continue;
		for (i = 0; i < pi->hash_algorithms.count; i++)
			if (wire_seq_u16(&pi->hash_algorithms, i) ==
			    SMB2_PREAUTH_INTEGRITY_SHA512)
				ask->sha512 = 1;
	}
	return rc;
}

/* The 3.1.1 contexts of the response; ctx has room for two. */
static u32 answer_contexts(const struct nego_ask *ask,
			   struct smb2_negotiate_context *ctx,
			   u16 *hash, u16 *cipher, u8 *salt)
{
	u32 n = 0;

	*hash = SMB2_PREAUTH_INTEGRITY_SHA512;
	os_random(salt, 32);
	ctx[n].context_type = SMB2_PREAUTH_INTEGRITY_CAPABILITIES;
	ctx[n].data.preauth_integrity.hash_algorithms.items = hash;
	ctx[n].data.preauth_integrity.hash_algorithms.count = 1;
	ctx[n].data.preauth_integrity.salt.p = salt;
	ctx[n].data.preauth_integrity.salt.len = 32;
	n++;
	if (ask->encryption) {
		/* MS-SMB2 3.3.5.4: no common cipher is answered as cipher 0 */
		*cipher = ask->cipher;
		ctx[n].context_type = SMB2_ENCRYPTION_CAPABILITIES;
		ctx[n].data.encryption.ciphers.items = cipher;
		ctx[n].data.encryption.ciphers.count = 1;
		n++;
	}
	return n;
}

/*
 * What every NEGOTIATE response says whatever the client asked: dialect
 * (or the SMB1 upgrade's wildcard), our GUID and limits, the SPNEGO offer.
 */
static void rsp_common(struct smb2_negotiate_rsp *rsp, u16 dialect,
		       const u8 *spnego, u32 spnego_len)
{
	u32 max_io = SMBD_MAX_TRANS;

	os_memset(rsp, 0, sizeof(*rsp));
	rsp->security_mode = SMB2_NEGOTIATE_SIGNING_ENABLED;
	rsp->dialect_revision = dialect;
	smbd_server_guid(&rsp->server_guid);
	if (dialect == SMB2_DIALECT_202)
		max_io = SMB202_MAX_TRANS;
	else
		rsp->capabilities = SMB2_GLOBAL_CAP_LARGE_MTU |
				    SMB2_GLOBAL_CAP_LEASING;
	rsp->max_transact_size = max_io;
	rsp->max_read_size = max_io;
	rsp->max_write_size = max_io;
	rsp->system_time = os_nttime_now();
	rsp->security_buffer.p = spnego;
	rsp->security_buffer.len = spnego_len;
}

u32 smbd_negotiate_smb1(struct smbd_work *w, u16 dialect)
{
	struct smbd_conn *conn = w->conn;
	struct smb2_negotiate_rsp rsp;
	u8 spnego[64];
	u32 spnego_len;
	struct wire_enc e;

	if (conn->negotiated)
		return STATUS_INVALID_PARAMETER;
	if (spnego_init_token(spnego, sizeof(spnego), &spnego_len))
		return STATUS_INSUFFICIENT_RESOURCES;
	rsp_common(&rsp, dialect, spnego, spnego_len);
	smbd_body_enc(w, &e);
	if (smb2_negotiate_rsp_enc(&e, &rsp))
		return STATUS_INSUFFICIENT_RESOURCES;
	w->rsp_len = e.pos;
	if (dialect == SMB2_DIALECT_WILDCARD)
		return STATUS_SUCCESS;	/* an SMB2 NEGOTIATE follows */
	/* "SMB 2.002" alone: 2.0.2 for real, nothing else was offered */
	conn->dialect = dialect;
	conn->client_dialects[0] = dialect;
	conn->client_dialect_count = 1;
	conn->server_capabilities = rsp.capabilities;
	conn->server_security_mode = rsp.security_mode;
	conn->cipher = 0;
	conn->negotiated = 1;
	return STATUS_SUCCESS;
}

u32 smbd_negotiate(struct smbd_work *w)
{
	struct smbd_conn *conn = w->conn;
	struct smb2_negotiate_context ctx[2];
	struct smb2_negotiate_req req;
	struct smb2_negotiate_rsp rsp;
	struct nego_ask ask = { 0 };
	u8 spnego[64], salt[32];
	u16 hash, cipher;
	u32 spnego_len;
	struct wire_dec d;
	struct wire_enc e;

	if (conn->negotiated)
		return STATUS_INVALID_PARAMETER;	/* 3.3.5.4: a second NEGOTIATE */
	smbd_body_dec(w, &d);
	if (smb2_negotiate_req_dec(&d, &req) || !req.dialect_count)
		return STATUS_INVALID_PARAMETER;
	conn->dialect = pick_dialect(&req);
	if (!conn->dialect)
		return STATUS_NOT_SUPPORTED;
	if (conn->dialect == SMB2_DIALECT_311 &&
	    (read_contexts(&req, &ask) < 0 || !ask.sha512))
		return STATUS_INVALID_PARAMETER;
	if (spnego_init_token(spnego, sizeof(spnego), &spnego_len))
		return STATUS_INSUFFICIENT_RESOURCES;

	os_memset(ctx, 0, sizeof(ctx));
	rsp_common(&rsp, conn->dialect, spnego, spnego_len);
	/* 3.0, 3.0.2: one cipher, offered by capability (3.3.5.4) */
	if ((conn->dialect == SMB2_DIALECT_300 || conn->dialect == SMB2_DIALECT_302) &&
	    (req.capabilities & SMB2_GLOBAL_CAP_ENCRYPTION) &&
	    smbd_encryption_offered()) {
		rsp.capabilities |= SMB2_GLOBAL_CAP_ENCRYPTION;
		ask.cipher = SMB2_ENCRYPTION_AES128_CCM;
	}
	if (conn->dialect == SMB2_DIALECT_311) {
		rsp.negotiate_contexts.items = ctx;
		rsp.negotiate_contexts.count =
			answer_contexts(&ask, ctx, &hash, &cipher, salt);
		/* preauth hash: H(0^64 || request); the response is added by dispatch */
		os_memset(conn->preauth, 0, sizeof(conn->preauth));
		smbd_preauth_update(conn->preauth, w->req, w->req_len);
	}
	smbd_body_enc(w, &e);
	if (smb2_negotiate_rsp_enc(&e, &rsp))
		return STATUS_INSUFFICIENT_RESOURCES;
	w->rsp_len = e.pos;
	conn->client_security_mode = req.security_mode;
	conn->client_guid = req.client_guid;
	conn->client_capabilities = req.capabilities;
	record_client_dialects(conn, &req);
	conn->server_capabilities = rsp.capabilities;
	conn->server_security_mode = rsp.security_mode;
	conn->cipher = ask.cipher;
	conn->negotiated = 1;
	return STATUS_SUCCESS;
}
