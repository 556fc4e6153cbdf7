/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * NTLMSSP, server side (MS-NLMP): the CHALLENGE message, and NTLMv2
 * verification with the NT hash the daemon hands over.
 */
#ifndef SMBD_NTLM_H
#define SMBD_NTLM_H

#include "smbd.h"
#include "ntlmssp.h"

#define NTLM_MSG_MAX		512
#define NTLM_MECH_TYPES_MAX	256
#define NTLM_SIG_SIZE		16	/* a message signature (MS-NLMP 2.2.2.9.1) */

/*
 * What a session keeps between its NEGOTIATE and AUTHENTICATE rounds: the
 * two messages the AUTHENTICATE MIC covers, and the SPNEGO mechTypes the
 * mechListMICs sign (empty when the client spoke raw NTLMSSP).
 */
struct ntlm_auth {
	u8 negotiate[NTLM_MSG_MAX];
	u32 negotiate_len;
	u8 challenge[NTLM_MSG_MAX];
	u32 challenge_len;
	u8 mech_types[NTLM_MECH_TYPES_MAX];
	u32 mech_types_len;
};

/* CHALLENGE in answer to a NEGOTIATE token; picks s->server_challenge. */
int ntlm_challenge(struct smbd_session *s, const u8 *neg, u32 neg_len,
		   u8 *out, u32 cap, u32 *len);

/* The user an AUTHENTICATE token names, as UTF-8 (for the daemon). */
int ntlm_auth_user(const struct ntlmssp_authenticate_message *am,
		   char *user, u32 cap);

/* An anonymous AUTHENTICATE (a null session)? 1 or 0. */
int ntlm_is_anonymous(const struct ntlmssp_authenticate_message *am);

/*
 * Check the NTLMv2 response against nt_hash; on success fill
 * s->session_key (key exchange applied). 0 or -OS_EINVAL.
 */
int ntlm_verify(struct smbd_session *s,
		const struct ntlmssp_authenticate_message *am,
		const u8 nt_hash[16]);

/*
 * The AUTHENTICATE message's MIC (MS-NLMP 3.2.5.1.2), once ntlm_verify
 * has set s->session_key. *present says whether the client sent one;
 * 0, or -OS_EINVAL when the MIC is malformed or does not match.
 */
int ntlm_check_mic(const struct smbd_session *s,
		   const struct ntlmssp_authenticate_message *am,
		   const u8 *msg, u32 len, int *present);

/*
 * Sign data as the first message (SeqNum 0) of one direction of the
 * NTLMSSP session (MS-NLMP 3.4.4.2): from_server picks the keys.
 */
int ntlm_sign(const u8 session_key[16], u32 flags, int from_server,
	      const u8 *data, u32 len, u8 sig[NTLM_SIG_SIZE]);

#endif /* SMBD_NTLM_H */
