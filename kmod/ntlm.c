// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NTLMSSP server side (MS-NLMP 3.2.5, 3.3.2). Messages are built and read
 * with the generated ntlmssp_* code; only the crypto is here.
 *
 * Not in this slice (said so in the report): NTLMv1 and anonymous
 * logons are refused.
 */
#include "ntlm.h"

/* Our names in UTF-16LE: the NetBIOS name and the workgroup. */
static const u8 name_server[] = { 'S', 0, 'M', 0, 'B', 0, 'D', 0 };
static const u8 name_domain[] = { 'W', 0, 'O', 0, 'R', 0, 'K', 0, 'G', 0,
				  'R', 0, 'O', 0, 'U', 0, 'P', 0 };

#define NTLMV2_BLOB_MIN	28	/* client challenge's fixed part + EOL */

static u32 challenge_flags(u32 asked)
{
	u32 f = NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_REQUEST_TARGET |
		NTLMSSP_NEGOTIATE_NTLM | NTLMSSP_NEGOTIATE_ALWAYS_SIGN |
		NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY |
		NTLMSSP_NEGOTIATE_TARGET_INFO | NTLMSSP_TARGET_TYPE_SERVER;

	/* echo what the client asked for among what we can do */
	f |= asked & (NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL |
		      NTLMSSP_NEGOTIATE_KEY_EXCH | NTLMSSP_NEGOTIATE_128 |
		      NTLMSSP_NEGOTIATE_56 | NTLMSSP_NEGOTIATE_VERSION);
	return f;
}

static void av_name(struct ntlmssp_av_pair *p, u16 id, const u8 *name, u32 len)
{
	p->av_id = id;
	p->value.nb_computer_name.p = name;	/* every name arm is a utf16 view */
	p->value.nb_computer_name.len = len;
}

int ntlm_challenge(struct smbd_session *s, const u8 *neg, u32 neg_len,
		   u8 *out, u32 cap, u32 *len)
{
	struct ntlmssp_negotiate_message nm;
	struct ntlmssp_challenge_message cm;
	struct ntlmssp_av_pair av[6];
	size_t used;
	long info_len;

	if (ntlmssp_negotiate_message_decode(neg, neg_len, &nm))
		return -OS_EINVAL;
	os_memset(&cm, 0, sizeof(cm));
	os_memset(av, 0, sizeof(av));
	os_random(s->server_challenge, sizeof(s->server_challenge));
	av_name(&av[0], MSV_AV_NB_DOMAIN_NAME, name_domain, sizeof(name_domain));
	av_name(&av[1], MSV_AV_NB_COMPUTER_NAME, name_server, sizeof(name_server));
	av_name(&av[2], MSV_AV_DNS_DOMAIN_NAME, name_domain, sizeof(name_domain));
	av_name(&av[3], MSV_AV_DNS_COMPUTER_NAME, name_server, sizeof(name_server));
	av[4].av_id = MSV_AV_TIMESTAMP;
	av[4].value.timestamp = os_nttime_now();
	av[5].av_id = MSV_AV_EOL;
	cm.target_info.av_pairs.items = av;
	cm.target_info.av_pairs.count = OS_ARRAY_SIZE(av);
	info_len = ntlmssp_av_pair_list_size(&cm.target_info);
	if (info_len < 0)
		return (int)info_len;
	cm.negotiate_flags = challenge_flags(nm.negotiate_flags);
	os_memcpy(cm.server_challenge, s->server_challenge, 8);
	cm.target_name.p = name_server;
	cm.target_name.len = sizeof(name_server);
	cm.target_name_max_len = sizeof(name_server);
	cm.target_info_present = 1;
	cm.target_info_max_len = (u16)info_len;
	cm.version.version.product_major_version = 6;
	cm.version.version.product_minor_version = 1;
	cm.version.version.ntlm_revision_current = NTLMSSP_REVISION_W2K3;
	if (ntlmssp_challenge_message_encode(out, cap, &cm, &used))
		return -OS_EMSGSIZE;
	*len = (u32)used;
	return 0;
}

int ntlm_auth_user(const struct ntlmssp_authenticate_message *am,
		   char *user, u32 cap)
{
	if (!am->user_name.len)
		return -OS_EINVAL;	/* anonymous: see ntlm_is_anonymous() */
	wire_utf16_to_utf8(am->user_name.p, am->user_name.len, user, cap);
	return 0;
}

/*
 * MS-NLMP 3.3.1/3.3.2: an anonymous AUTHENTICATE has no user name, no NT
 * response, and an LM response that is empty or a single zero byte.
 */
int ntlm_is_anonymous(const struct ntlmssp_authenticate_message *am)
{
	const struct wire_blob *lm = &am->lm_challenge_response;

	if (am->user_name.len || am->nt_challenge_response.len)
		return 0;
	return !lm->len || (lm->len == 1 && lm->p[0] == 0);
}

/*
 * NTOWFv2 = HMAC-MD5(NT hash, UTF-16(Upper(user)) || UTF-16(domain)).
 * Upper-casing covers ASCII letters only in this slice.
 */
static int ntowf_v2(const struct ntlmssp_authenticate_message *am,
		    const u8 nt_hash[16], u8 out[16])
{
	u8 upper[256 * 2];
	struct os_iov iov[2];
	u32 i;

	if (am->user_name.len > sizeof(upper))
		return -OS_EINVAL;
	os_memcpy(upper, am->user_name.p, am->user_name.len);
	for (i = 0; i + 1 < am->user_name.len; i += 2)
		if (upper[i + 1] == 0 && upper[i] >= 'a' && upper[i] <= 'z')
			upper[i] -= 'a' - 'A';
	iov[0].p = upper;
	iov[0].len = am->user_name.len;
	iov[1].p = am->domain_name.p;
	iov[1].len = am->domain_name.len;
	return os_mac(OS_MAC_HMAC_MD5, nt_hash, 16, iov, 2, out);
}

int ntlm_verify(struct smbd_session *s,
		const struct ntlmssp_authenticate_message *am,
		const u8 nt_hash[16])
{
	const struct wire_blob *nt = &am->nt_challenge_response;
	struct ntlmssp_ntlmv2_response v2;
	u8 ntowf[16], proof[16], base[16];
	struct os_iov iov[2];
	int ok;

	/* NTLMv2 only: NTProofStr + a client challenge (decoded to validate it) */
	if (nt->len < 16 + NTLMV2_BLOB_MIN ||
	    ntlmssp_ntlmv2_response_decode(nt->p, nt->len, &v2))
		return -OS_EINVAL;
	if (ntowf_v2(am, nt_hash, ntowf))
		return -OS_EINVAL;
	/* NTProofStr = HMAC-MD5(NTOWFv2, ServerChallenge || blob): raw bytes */
	iov[0].p = s->server_challenge;
	iov[0].len = 8;
	iov[1].p = nt->p + 16;
	iov[1].len = nt->len - 16;
	os_mac(OS_MAC_HMAC_MD5, ntowf, 16, iov, 2, proof);
	ok = os_memeq_const(proof, v2.nt_proof_str, 16);
	if (ok) {
		/* SessionBaseKey = HMAC-MD5(NTOWFv2, NTProofStr) = KeyExchangeKey */
		iov[0].p = proof;
		iov[0].len = 16;
		os_mac(OS_MAC_HMAC_MD5, ntowf, 16, iov, 1, base);
		if ((am->negotiate_flags & NTLMSSP_NEGOTIATE_KEY_EXCH) &&
		    am->encrypted_random_session_key.len == 16)
			os_rc4(base, 16, am->encrypted_random_session_key.p,
			       s->session_key, 16);
		else
			os_memcpy(s->session_key, base, 16);
	}
	os_memset(ntowf, 0, sizeof(ntowf));
	os_memset(base, 0, sizeof(base));
	return ok ? 0 : -OS_EINVAL;
}

/* -- the MIC and message signatures -------------------------------------- */

/* Does the client challenge's MsvAvFlags say a MIC follows? */
static int mic_flagged(const struct ntlmssp_authenticate_message *am)
{
	const struct wire_blob *nt = &am->nt_challenge_response;
	struct ntlmssp_ntlmv2_response v2;
	struct ntlmssp_av_pair av;
	struct wire_seq_iter it;

	if (ntlmssp_ntlmv2_response_decode(nt->p, nt->len, &v2))
		return 0;
	wire_seq_iter_init(&it, &v2.challenge.av_pairs);
	while (ntlmssp_av_pair_seq_next(&it, &av) > 0)
		if (av.av_id == MSV_AV_FLAGS)
			return !!(av.value.flags & MSV_AV_FLAG_MIC_PRESENT);
	return 0;
}

/* Room for a MIC: every payload starts after the 16 bytes at offset 72. */
static int mic_room(const struct ntlmssp_authenticate_message *am)
{
	const struct { u32 len, off; } bufs[] = {
		{ am->lm_challenge_response_len, am->lm_challenge_response_buffer_offset },
		{ am->nt_challenge_response_len, am->nt_challenge_response_buffer_offset },
		{ am->domain_name_len, am->domain_name_buffer_offset },
		{ am->user_name_len, am->user_name_buffer_offset },
		{ am->workstation_len, am->workstation_buffer_offset },
		{ am->encrypted_random_session_key_len,
		  am->encrypted_random_session_key_buffer_offset },
	};
	u32 i;

	for (i = 0; i < OS_ARRAY_SIZE(bufs); i++)
		if (bufs[i].len && bufs[i].off < NTLMSSP_AUTH_MIC_OFFSET + NTLMSSP_MIC_SIZE)
			return 0;
	return 1;
}

int ntlm_check_mic(const struct smbd_session *s,
		   const struct ntlmssp_authenticate_message *am,
		   const u8 *msg, u32 len, int *present)
{
	static const u8 zero[NTLMSSP_MIC_SIZE];
	const struct ntlm_auth *a = s->auth;
	struct ntlmssp_mic mic;
	struct wire_dec d;
	struct os_iov iov[5];
	u8 want[16];
	int ok;

	*present = mic_flagged(am);
	if (!*present)
		return 0;
	if (!a || !a->negotiate_len || !mic_room(am) ||
	    len < NTLMSSP_AUTH_MIC_OFFSET + NTLMSSP_MIC_SIZE)
		return -OS_EINVAL;
	wire_dec_init(&d, msg, len);
	d.pos = NTLMSSP_AUTH_MIC_OFFSET;
	if (ntlmssp_mic_dec(&d, &mic))
		return -OS_EINVAL;
	/* HMAC-MD5 over the three messages, this one with its MIC zeroed */
	iov[0].p = a->negotiate;
	iov[0].len = a->negotiate_len;
	iov[1].p = a->challenge;
	iov[1].len = a->challenge_len;
	iov[2].p = msg;
	iov[2].len = NTLMSSP_AUTH_MIC_OFFSET;
	iov[3].p = zero;
	iov[3].len = NTLMSSP_MIC_SIZE;
	iov[4].p = msg + NTLMSSP_AUTH_MIC_OFFSET + NTLMSSP_MIC_SIZE;
	iov[4].len = len - NTLMSSP_AUTH_MIC_OFFSET - NTLMSSP_MIC_SIZE;
	if (os_mac(OS_MAC_HMAC_MD5, s->session_key, 16, iov, 5, want))
		return -OS_EINVAL;
	ok = os_memeq_const(want, mic.mic, 16);
	return ok ? 0 : -OS_EINVAL;
}

/* MS-NLMP 3.4.5.2/3.4.5.3 magic constants, their NULs included */
static const char magic_sign_c2s[] =
	"session key to client-to-server signing key magic constant";
static const char magic_sign_s2c[] =
	"session key to server-to-client signing key magic constant";
static const char magic_seal_c2s[] =
	"session key to client-to-server sealing key magic constant";
static const char magic_seal_s2c[] =
	"session key to server-to-client sealing key magic constant";

/* key = MD5(base || magic), with the base cut to base_len bytes */
static int derive(const u8 *base, u32 base_len, const char *magic, u32 magic_len,
		  u8 out[16])
{
	struct os_iov iov[2] = { { base, base_len }, { magic, magic_len } };

	return os_md5(iov, 2, out);
}

/* Extended session security keys only: we never offer anything else. */
int ntlm_sign(const u8 session_key[16], u32 flags, int from_server,
	      const u8 *data, u32 len, u8 sig[NTLM_SIG_SIZE])
{
	struct ntlmssp_message_signature ms = { .version = 1, .seq_num = 0 };
	static const u8 seq0[4];
	u8 sign_key[16], seal_key[16], mac[16];
	struct os_iov iov[2] = { { seq0, 4 }, { data, len } };
	u32 seal_len = 5;	/* 40-bit unless 128 or 56 was negotiated */
	size_t used;
	int rc;

	if (flags & NTLMSSP_NEGOTIATE_128)
		seal_len = 16;
	else if (flags & NTLMSSP_NEGOTIATE_56)
		seal_len = 7;
	rc = derive(session_key, 16, from_server ? magic_sign_s2c : magic_sign_c2s,
		    sizeof(magic_sign_s2c), sign_key);
	rc = rc ?: derive(session_key, seal_len,
			  from_server ? magic_seal_s2c : magic_seal_c2s,
			  sizeof(magic_seal_s2c), seal_key);
	rc = rc ?: os_mac(OS_MAC_HMAC_MD5, sign_key, 16, iov, 2, mac);
	os_memcpy(ms.checksum, mac, 8);
	/* the first use of the direction's RC4 handle: a fresh key stream */
	if (!rc && (flags & NTLMSSP_NEGOTIATE_KEY_EXCH))
		rc = os_rc4(seal_key, 16, ms.checksum, ms.checksum, 8);
	if (!rc && ntlmssp_message_signature_encode(sig, NTLM_SIG_SIZE, &ms, &used))
		rc = -OS_EMSGSIZE;
	os_memset(sign_key, 0, sizeof(sign_key));
	os_memset(seal_key, 0, sizeof(seal_key));
	return rc;
}
