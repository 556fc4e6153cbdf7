// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * UTF-16LE and UTF-8 names.
 *
 * Clients send names in UTF-16LE; Linux keeps them as UTF-8 bytes. Both
 * conversions are strict: an unpaired surrogate, a NUL, an overlong or
 * otherwise malformed sequence is refused rather than repaired, so that
 * two different wire names can never reach the same file by accident.
 *
 * Names compare case-insensitively the way Windows does it (one code
 * point against one code point, no expansion such as "ß" = "ss"), with a
 * folding table small enough to read: ASCII, Latin-1 Supplement, Latin
 * Extended-A, Greek and Cyrillic. Letters outside it compare exactly.
 */
#include "smbd.h"

#define REPLACEMENT_BASE	0x110000U	/* stands for one bad byte */

/* -- UTF-16LE to UTF-8 ---------------------------------------------------- */

static int is_high_surrogate(u32 c)
{
	return c >= 0xD800 && c <= 0xDBFF;
}

static int is_low_surrogate(u32 c)
{
	return c >= 0xDC00 && c <= 0xDFFF;
}

/* Bytes c takes in UTF-8 (c is a valid scalar value). */
static u32 utf8_len(u32 c)
{
	if (c < 0x80)
		return 1;
	if (c < 0x800)
		return 2;
	if (c < 0x10000)
		return 3;
	return 4;
}

static void utf8_put(char *out, u32 c, u32 n)
{
	u8 *p = (u8 *)out;

	switch (n) {
	case 1:
		p[0] = (u8)c;
		break;
	case 2:
		p[0] = (u8)(0xC0 | (c >> 6));
		p[1] = (u8)(0x80 | (c & 0x3F));
		break;
	case 3:
		p[0] = (u8)(0xE0 | (c >> 12));
		p[1] = (u8)(0x80 | ((c >> 6) & 0x3F));
		p[2] = (u8)(0x80 | (c & 0x3F));
		break;
	default:
		p[0] = (u8)(0xF0 | (c >> 18));
		p[1] = (u8)(0x80 | ((c >> 12) & 0x3F));
		p[2] = (u8)(0x80 | ((c >> 6) & 0x3F));
		p[3] = (u8)(0x80 | (c & 0x3F));
		break;
	}
}

/*
 * The UTF-8 length without its NUL, or -OS_EINVAL for an odd length, a
 * NUL or an unpaired surrogate, -OS_ENAMETOOLONG when cap cannot hold it
 * and its NUL.
 */
int smbd_utf16_to_utf8(const u8 *in, u32 len, char *out, u32 cap)
{
	u32 i = 0, o = 0, c, lo, n;

	if (len & 1)
		return -OS_EINVAL;
	while (i < len) {
		c = wire_ld16(in + i);
		i += 2;
		if (c == 0 || is_low_surrogate(c))
			return -OS_EINVAL;
		if (is_high_surrogate(c)) {
			if (i >= len)
				return -OS_EINVAL;
			lo = wire_ld16(in + i);
			if (!is_low_surrogate(lo))
				return -OS_EINVAL;
			i += 2;
			c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
		}
		n = utf8_len(c);
		if (cap - o <= n)	/* o < cap always: room for the NUL too */
			return -OS_ENAMETOOLONG;
		utf8_put(out + o, c, n);
		o += n;
	}
	if (!cap)
		return -OS_ENAMETOOLONG;
	out[o] = '\0';
	return (int)o;
}

/* -- UTF-8 decoding --------------------------------------------------------- */

/*
 * Decode one scalar value at s[*i] (n bytes in s); advance *i. A malformed
 * sequence (bad lead or continuation, overlong form, surrogate, beyond
 * U+10FFFF) consumes one byte and yields REPLACEMENT_BASE + that byte, a
 * value no valid text produces.
 */
static u32 utf8_next(const u8 *s, u32 n, u32 *i)
{
	u32 b = s[*i], c, need, k, min;

	if (b < 0x80) {
		*i += 1;
		return b;
	}
	if (b >= 0xC2 && b <= 0xDF) {
		need = 1;
		c = b & 0x1F;
		min = 0x80;
	} else if (b >= 0xE0 && b <= 0xEF) {
		need = 2;
		c = b & 0x0F;
		min = 0x800;
	} else if (b >= 0xF0 && b <= 0xF4) {
		need = 3;
		c = b & 0x07;
		min = 0x10000;
	} else {
		goto bad;
	}
	if (n - *i <= need)
		goto bad;
	for (k = 1; k <= need; k++) {
		u32 cb = s[*i + k];

		if ((cb & 0xC0) != 0x80)
			goto bad;
		c = (c << 6) | (cb & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		goto bad;
	*i += need + 1;
	return c;
bad:
	*i += 1;
	return REPLACEMENT_BASE + b;
}

/*
 * The UTF-16LE byte count; out may be NULL (with cap 0) to measure.
 * -OS_EINVAL when in is not valid UTF-8 or holds a NUL, -OS_ERANGE when
 * cap is short.
 */
int smbd_utf8_to_utf16(const char *in, u32 len, u8 *out, u32 cap)
{
	const u8 *s = (const u8 *)in;
	u32 i = 0, o = 0, c;

	while (i < len) {
		c = utf8_next(s, len, &i);
		if (c == 0 || c >= REPLACEMENT_BASE)
			return -OS_EINVAL;
		if (c >= 0x10000) {
			if (out && cap - o < 4)
				return -OS_ERANGE;
			c -= 0x10000;
			if (out) {
				wire_st16(out + o, (u16)(0xD800 + (c >> 10)));
				wire_st16(out + o + 2, (u16)(0xDC00 + (c & 0x3FF)));
			}
			o += 4;
		} else {
			if (out && cap - o < 2)
				return -OS_ERANGE;
			if (out)
				wire_st16(out + o, (u16)c);
			o += 2;
		}
		if (o > 0x7FFFFFF0U)
			return -OS_ERANGE;
	}
	return (int)o;
}

/* -- case folding ------------------------------------------------------------- */

/*
 * Letters whose capital and small forms alternate, capital first
 * (parity 0: capital at even code points) or small first in the
 * Latin Extended-A runs where the capital sits at an odd code point.
 */
struct fold_pairs {
	u16 first, last;	/* inclusive, both letters of every pair */
	u8 upper_odd;		/* 1: capitals are the odd code points */
};

static const struct fold_pairs pairs[] = {
	{ 0x0100, 0x012F, 0 },	/* Ā ā .. Į į */
	{ 0x0132, 0x0137, 0 },	/* Ĳ ĳ .. Ķ ķ */
	{ 0x0139, 0x0148, 1 },	/* Ĺ ĺ .. Ň ň */
	{ 0x014A, 0x0177, 0 },	/* Ŋ ŋ .. Ŷ ŷ */
	{ 0x0179, 0x017E, 1 },	/* Ź ź .. Ž ž */
	{ 0x03D8, 0x03EF, 0 },	/* archaic and Coptic letters in Greek */
	{ 0x0460, 0x0481, 0 },	/* Ѡ ѡ .. Ҁ ҁ */
	{ 0x048A, 0x04BF, 0 },	/* Ҋ ҋ .. Ҿ ҿ */
	{ 0x04C1, 0x04CE, 1 },	/* Ӂ ӂ .. Ӎ ӎ */
	{ 0x04D0, 0x052F, 0 },	/* Ӑ ӑ .. Ԯ ԯ */
};

/* A block of capitals that moves by a fixed distance. */
struct fold_shift {
	u16 first, last;
	u16 delta;
};

static const struct fold_shift shifts[] = {
	{ 0x0041, 0x005A, 32 },	/* A-Z */
	{ 0x00C0, 0x00D6, 32 },	/* À-Ö */
	{ 0x00D8, 0x00DE, 32 },	/* Ø-Þ (× at D7 is not a letter) */
	{ 0x0388, 0x038A, 37 },	/* Έ Ή Ί */
	{ 0x038E, 0x038F, 63 },	/* Ύ Ώ */
	{ 0x0391, 0x03A1, 32 },	/* Α-Ρ */
	{ 0x03A3, 0x03AB, 32 },	/* Σ-Ϋ (03A2 is unassigned) */
	{ 0x0400, 0x040F, 80 },	/* Ѐ-Џ */
	{ 0x0410, 0x042F, 32 },	/* А-Я */
};

/* Single letters that fold on their own. */
struct fold_one {
	u16 from, to;
};

static const struct fold_one ones[] = {
	{ 0x00B5, 0x03BC },	/* micro sign: Greek mu */
	{ 0x0178, 0x00FF },	/* Ÿ */
	{ 0x0386, 0x03AC },	/* Ά */
	{ 0x038C, 0x03CC },	/* Ό */
	{ 0x03C2, 0x03C3 },	/* final sigma: sigma */
	{ 0x04C0, 0x04CF },	/* Ӏ */
};

/* c in its folded (small) form. */
static u32 fold(u32 c)
{
	u32 i;

	if (c < 0x80)
		return (c >= 'A' && c <= 'Z') ? c + 32 : c;
	if (c > 0x052F)
		return c;
	for (i = 0; i < OS_ARRAY_SIZE(shifts); i++)
		if (c >= shifts[i].first && c <= shifts[i].last)
			return c + shifts[i].delta;
	for (i = 0; i < OS_ARRAY_SIZE(pairs); i++)
		if (c >= pairs[i].first && c <= pairs[i].last)
			return (c & 1) == pairs[i].upper_odd ?
			       c + 1 : c;
	for (i = 0; i < OS_ARRAY_SIZE(ones); i++)
		if (c == ones[i].from)
			return ones[i].to;
	return c;
}

int smbd_name_casecmp(const char *a, u32 alen, const char *b, u32 blen)
{
	const u8 *sa = (const u8 *)a, *sb = (const u8 *)b;
	u32 i = 0, j = 0, ca, cb;

	while (i < alen && j < blen) {
		ca = fold(utf8_next(sa, alen, &i));
		cb = fold(utf8_next(sb, blen, &j));
		if (ca != cb)
			return ca < cb ? -1 : 1;
	}
	if (i < alen)
		return 1;
	if (j < blen)
		return -1;
	return 0;
}
