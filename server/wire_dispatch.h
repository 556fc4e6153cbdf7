/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef WIRE_DISPATCH_H
#define WIRE_DISPATCH_H

#include "wire.h"

int wire_dump(const char *type, const u8 *buf, u32 len, struct wire_printer *p);
/* One NetBIOS-framed SMB2 message (no framing) from a capture. */
int wire_dump_smb2(const u8 *buf, u32 len, struct wire_printer *p);

/* Decode one message and encode it again: 0 or a negative WIRE_E*. */
int wire_reencode(const char *type, const u8 *buf, u32 len, u8 *out, u32 cap,
		  u32 *used);

#endif
