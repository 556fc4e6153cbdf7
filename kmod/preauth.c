// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SMB 3.1.1 preauth integrity (MS-SMB2 3.3.5.4, 3.3.5.5): a SHA-512 chain
 * over the NEGOTIATE and SESSION_SETUP messages, so that the keys derived
 * from it prove both sides saw the same exchange.
 */
#include "smbd.h"

/* hash = SHA-512(hash || msg) */
void smbd_preauth_update(u8 hash[SMBD_PREAUTH_SIZE], const u8 *msg, u32 len)
{
	struct os_iov iov[2] = {
		{ hash, SMBD_PREAUTH_SIZE },
		{ msg, len },
	};
	u8 out[SMBD_PREAUTH_SIZE];

	os_sha512(iov, 2, out);
	os_memcpy(hash, out, SMBD_PREAUTH_SIZE);
}
