// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SPNEGO tokens, DER by hand (see spnego.h for why).
 */
#include "spnego.h"

/* 1.3.6.1.5.5.2 and 1.3.6.1.4.1.311.2.2.10, content bytes */
static const u8 oid_spnego[] = { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02 };
static const u8 oid_ntlmssp[] = { 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37,
				  0x02, 0x02, 0x0a };
static const u8 ntlmssp_sig[8] = { 'N', 'T', 'L', 'M', 'S', 'S', 'P', 0 };

#define DER_SEQUENCE	0x30
#define DER_OID		0x06
#define DER_OCTETS	0x04
#define DER_ENUM	0x0a
#define DER_APP0	0x60
#define DER_CTX(n)	(0xa0 + (n))

/* -- writing: a cursor that fills a buffer from its end backwards -- */

struct der_w {
	u8 *buf;
	u32 pos;	/* bytes [pos, cap) are written */
	int err;
};

static void der_put(struct der_w *w, const void *p, u32 n)
{
	if (w->err || n > w->pos) {
		w->err = 1;
		return;
	}
	w->pos -= n;
	os_memcpy(w->buf + w->pos, p, n);
}

/* Prefix the tag and length of the content written since mark. */
static void der_wrap(struct der_w *w, u8 tag, u32 mark)
{
	u32 n = mark - w->pos;
	u8 h[4];
	u32 hl;

	if (n < 0x80) {
		h[0] = tag; h[1] = (u8)n; hl = 2;
	} else if (n < 0x100) {
		h[0] = tag; h[1] = 0x81; h[2] = (u8)n; hl = 3;
	} else {
		h[0] = tag; h[1] = 0x82; h[2] = (u8)(n >> 8); h[3] = (u8)n; hl = 4;
	}
	if (n > 0xffff)
		w->err = 1;
	der_put(w, h, hl);
}

static void der_prim(struct der_w *w, u8 tag, const void *p, u32 n)
{
	u32 mark = w->pos;

	der_put(w, p, n);
	der_wrap(w, tag, mark);
}

/* Move the finished token to the start of the buffer. */
static int der_finish(struct der_w *w, u32 cap, u32 *len)
{
	if (w->err)
		return -OS_EMSGSIZE;
	*len = cap - w->pos;
	__builtin_memmove(w->buf, w->buf + w->pos, *len);
	return 0;
}

int spnego_init_token(u8 *out, u32 cap, u32 *len)
{
	struct der_w w = { out, cap, 0 };
	u32 m_app = w.pos, m_init, m_seq, m_types, m_list;

	m_init = w.pos;
	m_seq = w.pos;
	m_types = w.pos;
	m_list = w.pos;
	der_prim(&w, DER_OID, oid_ntlmssp, sizeof(oid_ntlmssp));
	der_wrap(&w, DER_SEQUENCE, m_list);
	der_wrap(&w, DER_CTX(0), m_types);
	der_wrap(&w, DER_SEQUENCE, m_seq);
	der_wrap(&w, DER_CTX(0), m_init);
	der_prim(&w, DER_OID, oid_spnego, sizeof(oid_spnego));
	der_wrap(&w, DER_APP0, m_app);
	return der_finish(&w, cap, len);
}

int spnego_resp_token(enum spnego_state state, int with_mech,
		      const u8 *tok, u32 toklen, const u8 *mic, u32 miclen,
		      u8 *out, u32 cap, u32 *len)
{
	struct der_w w = { out, cap, 0 };
	u32 m_resp = w.pos, m_seq = w.pos, m;
	u8 st = (u8)state;

	if (miclen) {
		m = w.pos;
		der_prim(&w, DER_OCTETS, mic, miclen);
		der_wrap(&w, DER_CTX(3), m);
	}

	if (toklen) {
		m = w.pos;
		der_prim(&w, DER_OCTETS, tok, toklen);
		der_wrap(&w, DER_CTX(2), m);
	}
	if (with_mech) {
		m = w.pos;
		der_prim(&w, DER_OID, oid_ntlmssp, sizeof(oid_ntlmssp));
		der_wrap(&w, DER_CTX(1), m);
	}
	m = w.pos;
	der_prim(&w, DER_ENUM, &st, 1);
	der_wrap(&w, DER_CTX(0), m);
	der_wrap(&w, DER_SEQUENCE, m_seq);
	der_wrap(&w, DER_CTX(1), m_resp);
	return der_finish(&w, cap, len);
}

/* -- reading: one TLV at a time, within [p, p + len) -- */

struct der_r {
	const u8 *p;
	u32 len;
};

/* Read one element; its tag and content. 0 or -1. */
static int der_next(struct der_r *r, u8 *tag, struct der_r *content)
{
	u32 n, hl = 2;

	if (r->len < 2)
		return -1;
	*tag = r->p[0];
	n = r->p[1];
	if (n == 0x81) {
		if (r->len < 3)
			return -1;
		n = r->p[2];
		hl = 3;
	} else if (n == 0x82) {
		if (r->len < 4)
			return -1;
		n = (u32)r->p[2] << 8 | r->p[3];
		hl = 4;
	} else if (n & 0x80) {
		return -1;	/* longer than any token we accept */
	}
	if (n > r->len - hl)
		return -1;
	content->p = r->p + hl;
	content->len = n;
	r->p += hl + n;
	r->len -= hl + n;
	return 0;
}

/* Enter an element that must have this tag. */
static int der_enter(struct der_r *r, u8 want, struct der_r *content)
{
	u8 tag;

	return der_next(r, &tag, content) || tag != want ? -1 : 0;
}

/* In a SEQUENCE of [n] fields, find the OCTET STRING of field [want]. */
static int der_find_octets(struct der_r seq, u8 want, const u8 **tok, u32 *len)
{
	struct der_r field, octets;
	u8 tag;
	int i;

	for (i = 0; i < 8 && seq.len; i++) {
		if (der_next(&seq, &tag, &field))
			return -1;
		if (tag != DER_CTX(want))
			continue;
		if (der_enter(&field, DER_OCTETS, &octets))
			return -1;
		*tok = octets.p;
		*len = octets.len;
		return 0;
	}
	return -1;
}

/* The SEQUENCE inside a negTokenInit: OID, then [0] SEQUENCE. */
static int init_body(const u8 *in, u32 len, struct der_r *seq)
{
	struct der_r r = { in, len }, app, oid, body;

	if (der_enter(&r, DER_APP0, &app) ||
	    der_enter(&app, DER_OID, &oid) ||
	    oid.len != sizeof(oid_spnego) ||
	    os_memcmp(oid.p, oid_spnego, oid.len) ||
	    der_enter(&app, DER_CTX(0), &body) ||
	    der_enter(&body, DER_SEQUENCE, seq))
		return -1;
	return 0;
}

int spnego_mech_types(const u8 *in, u32 len, const u8 **types, u32 *types_len)
{
	struct der_r seq, field, list;
	const u8 *start;
	u8 tag;

	if (init_body(in, len, &seq) ||
	    der_next(&seq, &tag, &field) || tag != DER_CTX(0))
		return -OS_EINVAL;	/* mechTypes is the first field */
	start = field.p;
	if (der_enter(&field, DER_SEQUENCE, &list))
		return -OS_EINVAL;
	*types = start;
	*types_len = (u32)(list.p + list.len - start);
	return 0;
}

int spnego_client_mic(const u8 *in, u32 len, const u8 **mic, u32 *mic_len)
{
	struct der_r r = { in, len }, resp, seq;

	if (der_enter(&r, DER_CTX(1), &resp) ||
	    der_enter(&resp, DER_SEQUENCE, &seq))
		return -OS_EINVAL;
	return der_find_octets(seq, 3, mic, mic_len) ? -OS_EINVAL : 0;
}

int spnego_client_token(const u8 *in, u32 len, const u8 **tok, u32 *toklen)
{
	struct der_r r = { in, len }, app, seq;
	u8 tag;

	if (len >= 8 && !os_memcmp(in, ntlmssp_sig, 8)) {
		*tok = in;
		*toklen = len;
		return 0;
	}
	if (der_next(&r, &tag, &app))
		return -OS_EINVAL;
	if (tag == DER_APP0) {		/* negTokenInit: OID, then [0] */
		if (init_body(in, len, &seq))
			return -OS_EINVAL;
		return der_find_octets(seq, 2, tok, toklen) ? -OS_EINVAL : 0;
	}
	if (tag == DER_CTX(1)) {	/* negTokenResp */
		if (der_enter(&app, DER_SEQUENCE, &seq))
			return -OS_EINVAL;
		return der_find_octets(seq, 2, tok, toklen) ? -OS_EINVAL : 0;
	}
	return -OS_EINVAL;
}
