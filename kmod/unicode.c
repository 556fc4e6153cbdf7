// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * UTF-16LE and UTF-8 names.
 *
 * Placeholder until the command is written: answered honestly as not
 * supported.
 */
#include "smbd.h"

int smbd_utf16_to_utf8(const u8 *in, u32 len, char *out, u32 cap)
{
	(void)in;
	(void)len;
	(void)out;
	(void)cap;
	return -OS_EINVAL;
}

int smbd_utf8_to_utf16(const char *in, u32 len, u8 *out, u32 cap)
{
	(void)in;
	(void)len;
	(void)out;
	(void)cap;
	return -OS_EINVAL;
}

int smbd_name_casecmp(const char *a, u32 alen, const char *b, u32 blen)
{
	(void)a;
	(void)alen;
	(void)b;
	(void)blen;
	return 1;
}
