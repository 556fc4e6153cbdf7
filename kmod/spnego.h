/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The few SPNEGO (RFC 4178) tokens an NTLMSSP-only server exchanges.
 * Hand-written DER: the grammar is tiny and fixed, and the IDL dialect has
 * no ASN.1 back-end (see issue 2). Every length is checked against the
 * bytes present; nothing is allocated.
 */
#ifndef SMBD_SPNEGO_H
#define SMBD_SPNEGO_H

#include "os.h"

enum spnego_state {
	SPNEGO_ACCEPT_COMPLETED = 0,
	SPNEGO_ACCEPT_INCOMPLETE = 1,
	SPNEGO_REJECT = 2,
};

/* negTokenInit offering NTLMSSP: the NEGOTIATE response's security buffer. */
int spnego_init_token(u8 *out, u32 cap, u32 *len);

/*
 * Find the NTLMSSP message in a client token: a negTokenInit's mechToken,
 * a negTokenResp's responseToken, or a raw NTLMSSP message. 0 or < 0.
 */
int spnego_client_token(const u8 *in, u32 len, const u8 **tok, u32 *toklen);

/*
 * The DER encoding (tag and length included) of a negTokenInit's
 * mechTypes: what both mechListMICs sign (RFC 4178 5). 0 or < 0.
 */
int spnego_mech_types(const u8 *in, u32 len, const u8 **types, u32 *types_len);

/* The mechListMIC of a client's negTokenResp. 0, or < 0 when it has none. */
int spnego_client_mic(const u8 *in, u32 len, const u8 **mic, u32 *mic_len);

/*
 * negTokenResp with state, the mech on the first answer, a token and a
 * mechListMIC (either may be empty).
 */
int spnego_resp_token(enum spnego_state state, int with_mech,
		      const u8 *tok, u32 toklen, const u8 *mic, u32 miclen,
		      u8 *out, u32 cap, u32 *len);

#endif /* SMBD_SPNEGO_H */
