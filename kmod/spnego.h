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

/* negTokenResp with state, the mech on the first answer, and a token. */
int spnego_resp_token(enum spnego_state state, int with_mech,
		      const u8 *tok, u32 toklen, u8 *out, u32 cap, u32 *len);

#endif /* SMBD_SPNEGO_H */
