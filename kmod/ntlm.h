/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * NTLMSSP, server side (MS-NLMP): the CHALLENGE message, and NTLMv2
 * verification with the NT hash the daemon hands over.
 */
#ifndef SMBD_NTLM_H
#define SMBD_NTLM_H

#include "smbd.h"
#include "ntlmssp.h"

/* CHALLENGE in answer to a NEGOTIATE token; picks s->server_challenge. */
int ntlm_challenge(struct smbd_session *s, const u8 *neg, u32 neg_len,
		   u8 *out, u32 cap, u32 *len);

/* The user an AUTHENTICATE token names, as UTF-8 (for the daemon). */
int ntlm_auth_user(const struct ntlmssp_authenticate_message *am,
		   char *user, u32 cap);

/*
 * Check the NTLMv2 response against nt_hash; on success fill
 * s->session_key (key exchange applied). 0 or -OS_EINVAL.
 */
int ntlm_verify(struct smbd_session *s,
		const struct ntlmssp_authenticate_message *am,
		const u8 nt_hash[16]);

#endif /* SMBD_NTLM_H */
