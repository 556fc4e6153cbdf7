// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * smbload: an SMB2/SMB3 load generator built on the generated marshallers.
 *
 * It speaks to any SMB2 server (ours, Samba, Windows): SMB 3.1.1 or 2.1,
 * NTLMv2 inside SPNEGO, no encryption, and signing only where 3.1.1
 * demands it (TREE_CONNECT, MS-SMB2 3.3.5.7: AES-CMAC with the key derived
 * from the preauth integrity hash); it stops with a clear message when the
 * server requires signing or encryption of everything. Every request is
 * encoded by a generated *_enc function and every response decoded by a
 * generated *_dec function: this is also a client-side test of the IDL.
 *
 *   smbload --mode randio ...   one connection, one file: fill it, then
 *       random writes for --seconds, random reads for --seconds, each
 *       keeping --depth requests in flight; then read the whole file back.
 *       Every read is compared with what was last written there, so a
 *       lost or misplaced write is an error. The file is opened
 *       delete-on-close: nothing is left behind.
 *   smbload --mode conns ...    --conns connections (negotiate, login,
 *       tree connect) held open; prints "ready N SECONDS"; with --hold
 *       waits for a line on stdin; then every connection opens and closes
 *       one file, all at once; prints "done N SECONDS".
 *
 * Requests in flight are bounded by --depth and by the credits the
 * server grants; every phase has a time limit. Exit status 0 on success,
 * 1 on any error (the reason on stderr).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <nettle/cmac.h>
#include <nettle/hmac.h>
#include <nettle/md4.h>
#include <nettle/sha2.h>

#include "wire.h"
#include "smb2.h"
#include "ntlmssp.h"
#include "security.h"

/* NTSTATUS values this client looks at */
#define ST_SUCCESS		0x00000000U
#define ST_PENDING		0x00000103U
#define ST_MORE_PROCESSING	0xC0000016U

#define NTLM_FLAGS (NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_REQUEST_TARGET | \
		    NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_NTLM | \
		    NTLMSSP_NEGOTIATE_ALWAYS_SIGN | \
		    NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY | \
		    NTLMSSP_NEGOTIATE_TARGET_INFO | NTLMSSP_NEGOTIATE_128 | \
		    NTLMSSP_NEGOTIATE_56)

#define BULK		65536U		/* fill and verify I/O size */
#define CREDITS_ASK	64		/* asked for in every request */
#define MAX_FRAME	(16U << 20)	/* a bigger response is an error */
#define SETUP_TIMEOUT_S	30
#define PHASE_SLACK_S	60		/* a phase's drain may take this long */

static struct {
	const char *host, *share, *user, *password, *domain, *mode, *file;
	int port;
	u16 dialect;
	u64 size;
	u32 bs, depth, seconds, conns, threads;
	int hold;
} opt = {
	.host = "127.0.0.1", .port = 445, .domain = "WORKGROUP", .mode = "randio",
	.file = "smbload.bin", .dialect = SMB2_DIALECT_311, .size = 256ULL << 20,
	.bs = 4096, .depth = 64, .seconds = 5, .conns = 100, .threads = 8,
};

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "smbload: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n, sz);

	if (!p)
		die("out of memory");
	return p;
}

/* -- strings: UTF-8 in, UTF-16LE out (BMP only: names and passwords) -- */

static u32 to_utf16(const char *s, int upper, u8 *out, u32 cap)
{
	const u8 *p = (const u8 *)s;
	u32 n = 0, c;

	while (*p) {
		if (*p < 0x80) {
			c = *p++;
			if (upper && c >= 'a' && c <= 'z')
				c -= 'a' - 'A';
		} else if ((*p & 0xe0) == 0xc0 && (p[1] & 0xc0) == 0x80) {
			c = (u32)(*p & 0x1f) << 6 | (p[1] & 0x3f);
			p += 2;
		} else if ((*p & 0xf0) == 0xe0 && (p[1] & 0xc0) == 0x80 &&
			   (p[2] & 0xc0) == 0x80) {
			c = (u32)(*p & 0x0f) << 12 | (u32)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
			p += 3;
		} else {
			die("'%s': only UTF-8 of the basic plane is supported", s);
		}
		if (n + 2 > cap)
			die("'%s' is too long", s);
		wire_st16(out + n, (u16)c);
		n += 2;
	}
	return n;
}

/* -- NTLMv2 (MS-NLMP 3.3.2) -- */

static void hmac_md5(const u8 key[16], const u8 *a, u32 alen, const u8 *b, u32 blen,
		     u8 out[16])
{
	struct hmac_md5_ctx h;

	hmac_md5_set_key(&h, 16, key);
	hmac_md5_update(&h, alen, a);
	if (blen)
		hmac_md5_update(&h, blen, b);
	hmac_md5_digest(&h, 16, out);
}

/* NTOWFv2: HMAC-MD5(MD4(UTF-16(password)), UTF-16(upper(user) || domain)) */
static void ntowfv2(u8 out[16])
{
	u8 pw[512], who[1024], nt[16];
	struct md4_ctx m;
	u32 n, w;

	n = to_utf16(opt.password, 0, pw, sizeof(pw));
	md4_init(&m);
	md4_update(&m, n, pw);
	md4_digest(&m, 16, nt);
	w = to_utf16(opt.user, 1, who, sizeof(who) / 2);
	w += to_utf16(opt.domain, 0, who + w, sizeof(who) - w);
	hmac_md5(nt, who, w, NULL, 0, out);
}

/* -- SPNEGO (RFC 4178): the two client tokens, and finding the server's -- */

static const u8 oid_spnego[] = { 0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02 };
static const u8 oid_ntlm[] = { 0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82,
			       0x37, 0x02, 0x02, 0x0a };

static u32 der_hdr_len(u32 n)
{
	return n < 0x80 ? 2 : n < 0x100 ? 3 : n < 0x10000 ? 4 : 5;
}

static u8 *der_hdr(u8 *p, u8 tag, u32 n)
{
	*p++ = tag;
	if (n < 0x80) {
		*p++ = (u8)n;
	} else if (n < 0x100) {
		*p++ = 0x81;
		*p++ = (u8)n;
	} else if (n < 0x10000) {
		*p++ = 0x82;
		wire_st16be(p, (u16)n);
		p += 2;
	} else {
		*p++ = 0x83;
		*p++ = (u8)(n >> 16);
		wire_st16be(p, (u16)n);
		p += 2;
	}
	return p;
}

/* negTokenInit { mechTypes { NTLMSSP }, mechToken tok } in GSS framing */
static u32 spnego_init(const u8 *tok, u32 n, u8 *out, u32 cap)
{
	u32 octets = der_hdr_len(n) + n;
	u32 mtok = der_hdr_len(octets) + octets;
	u32 mlist = der_hdr_len(sizeof(oid_ntlm)) + sizeof(oid_ntlm);
	u32 mtypes = der_hdr_len(mlist) + mlist;
	u32 seq = mtypes + mtok;
	u32 seqw = der_hdr_len(seq) + seq;
	u32 init = der_hdr_len(seqw) + seqw;
	u32 app = sizeof(oid_spnego) + init;
	u32 total = der_hdr_len(app) + app;
	u8 *p = out;

	if (total > cap)
		die("SPNEGO token too big");
	p = der_hdr(p, 0x60, app);
	memcpy(p, oid_spnego, sizeof(oid_spnego));
	p += sizeof(oid_spnego);
	p = der_hdr(p, 0xa0, seqw);
	p = der_hdr(p, 0x30, seq);
	p = der_hdr(p, 0xa0, mlist);
	p = der_hdr(p, 0x30, sizeof(oid_ntlm));
	memcpy(p, oid_ntlm, sizeof(oid_ntlm));
	p += sizeof(oid_ntlm);
	p = der_hdr(p, 0xa2, octets);
	p = der_hdr(p, 0x04, n);
	memcpy(p, tok, n);
	return (u32)(p + n - out);
}

/* negTokenResp { responseToken tok } */
static u32 spnego_resp(const u8 *tok, u32 n, u8 *out, u32 cap)
{
	u32 octets = der_hdr_len(n) + n;
	u32 rtok = der_hdr_len(octets) + octets;
	u32 seq = der_hdr_len(rtok) + rtok;
	u8 *p = out;

	if (der_hdr_len(seq) + seq > cap)
		die("SPNEGO token too big");
	p = der_hdr(p, 0xa1, seq);
	p = der_hdr(p, 0x30, rtok);
	p = der_hdr(p, 0xa2, octets);
	p = der_hdr(p, 0x04, n);
	memcpy(p, tok, n);
	return (u32)(p + n - out);
}

/* One TLV at p (of len bytes): its tag, content and the bytes it took. */
static int der_tlv(const u8 *p, u32 len, u8 *tag, const u8 **val, u32 *vlen, u32 *used)
{
	u32 n, i, k;

	if (len < 2)
		return -1;
	*tag = p[0];
	if (p[1] < 0x80) {
		n = p[1];
		k = 2;
	} else {
		u32 bytes = p[1] & 0x7f;

		if (!bytes || bytes > 3 || len < 2 + bytes)
			return -1;
		for (n = 0, i = 0; i < bytes; i++)
			n = n << 8 | p[2 + i];
		k = 2 + bytes;
	}
	if (n > len - k)
		return -1;
	*val = p + k;
	*vlen = n;
	*used = k + n;
	return 0;
}

/*
 * The NTLMSSP message in a server token: the OCTET STRING holding it
 * anywhere in the DER tree (negTokenResp.responseToken), or the token
 * itself when it is raw NTLMSSP.
 */
static int find_ntlmssp(const u8 *p, u32 len, int depth, const u8 **tok, u32 *toklen)
{
	const u8 *val;
	u32 vlen, used;
	u8 tag;

	if (len >= 8 && !memcmp(p, "NTLMSSP", 8)) {
		*tok = p;
		*toklen = len;
		return 0;
	}
	if (depth > 8)
		return -1;
	while (len) {
		if (der_tlv(p, len, &tag, &val, &vlen, &used))
			return -1;
		if (tag == 0x04 && vlen >= 8 && !memcmp(val, "NTLMSSP", 8)) {
			*tok = val;
			*toklen = vlen;
			return 0;
		}
		if ((tag & 0x20) && !find_ntlmssp(val, vlen, depth + 1, tok, toklen))
			return 0;
		p += used;
		len -= used;
	}
	return -1;
}

/* -- a connection -- */

struct slot {
	u64 mid;
	u64 tag;		/* the workload's: a block number, a step */
	double t0;
	u16 cmd;
	u8 used;
};

struct sconn {
	int fd;
	u8 preauth[64];		/* 3.1.1 preauth integrity hash (SHA-512) */
	u8 session_key[16];	/* NTLMv2 session base key */
	u8 signing_key[16];
	u64 mid;		/* the next message id */
	u32 credits;		/* granted and not used yet */
	u64 sid;
	u32 tid;
	struct smb2_file_id fid;
	u8 *obuf;
	u32 olen, ooff, ocap;
	u8 *ibuf;
	u32 ilen, icap;
	u8 *rbuf;		/* the last answer of call() */
	u32 rcap;
	struct slot *slots;
	u32 nslots;		/* a power of two */
	u32 inflight;
	u32 state;		/* the workload's */
	int want_out;		/* EPOLLOUT registered */
};

typedef int (*enc_fn)(struct wire_enc *e, const void *body);

/* call() and queue_req() flags */
#define Q_HASH_REQ	1	/* add the request to the preauth hash */
#define Q_HASH_RSP	2	/* add the response to it */
#define Q_SIGN		4	/* sign the request */

static void preauth_add(struct sconn *c, const u8 *msg, u32 len)
{
	struct sha512_ctx h;

	sha512_init(&h);
	sha512_update(&h, sizeof(c->preauth), c->preauth);
	sha512_update(&h, len, msg);
	sha512_digest(&h, sizeof(c->preauth), c->preauth);
}

/* SP800-108 counter mode, HMAC-SHA256, one block, 128 bits (MS-SMB2 3.1.4.2) */
static void kdf(const u8 key[16], const char *label, u32 llen, const u8 *ctx, u32 clen,
		u8 out[16])
{
	static const u8 one[4] = { 0, 0, 0, 1 }, zero = 0, bits[4] = { 0, 0, 0, 128 };
	struct hmac_sha256_ctx h;
	u8 full[32];

	hmac_sha256_set_key(&h, 16, key);
	hmac_sha256_update(&h, 4, one);
	hmac_sha256_update(&h, llen, (const u8 *)label);
	hmac_sha256_update(&h, 1, &zero);
	hmac_sha256_update(&h, clen, ctx);
	hmac_sha256_update(&h, 4, bits);
	hmac_sha256_digest(&h, sizeof(full), full);
	memcpy(out, full, 16);
}

static void buf_reserve(u8 **buf, u32 *cap, u32 need)
{
	u32 c = *cap ? *cap : 4096;

	if (need <= *cap)
		return;
	while (c < need)
		c *= 2;
	*buf = realloc(*buf, c);
	if (!*buf)
		die("out of memory");
	*cap = c;
}

/*
 * Encode one request after what is queued: transport header, SMB2 header
 * and the body by enc; pad zero bytes follow the body (READ's one-byte
 * Buffer). Returns its message id in *mid.
 */
static int queue_req(struct sconn *c, u16 cmd, enc_fn enc, const void *body, u32 pad,
		     u32 flags, u64 *mid)
{
	struct smb2_transport_hdr th = { 0 };
	struct smb2_hdr h = { 0 };
	struct wire_enc e;
	u8 *p;
	u32 len;

	h.credit_charge = 1;
	h.command = cmd;
	h.credit = CREDITS_ASK;
	h.message_id = c->mid;
	h.id.sync.tree_id = c->tid;
	h.session_id = c->sid;
	if (flags & Q_SIGN)
		h.flags = SMB2_FLAGS_SIGNED;
	wire_enc_init(&e, NULL, 0);
	if (smb2_hdr_enc(&e, &h) || enc(&e, body))
		return -1;
	len = e.pos + pad;
	buf_reserve(&c->obuf, &c->ocap, c->olen + 4 + len);
	p = c->obuf + c->olen;
	th.length = len;
	if (smb2_transport_hdr_encode(p, 4, &th, NULL))
		return -1;
	wire_enc_init(&e, p + 4, len);
	if (smb2_hdr_enc(&e, &h) || enc(&e, body))
		return -1;
	memset(p + 4 + e.pos, 0, pad);
	if (flags & Q_SIGN) {
		struct cmac_aes128_ctx m;

		/* the MAC covers the message with a zero signature field */
		cmac_aes128_set_key(&m, c->signing_key);
		cmac_aes128_update(&m, len, p + 4);
		cmac_aes128_digest(&m, 16, h.signature);
		wire_enc_init(&e, p + 4, SMB2_HDR_SIZE);
		if (smb2_hdr_enc(&e, &h))
			return -1;
	}
	if (flags & Q_HASH_REQ)
		preauth_add(c, p + 4, len);
	c->olen += 4 + len;
	*mid = c->mid++;
	if (c->credits)
		c->credits--;
	return 0;
}

/* Send what is queued; blocking sockets send it all, others what fits. */
static int flush_out(struct sconn *c)
{
	while (c->ooff < c->olen) {
		ssize_t n = send(c->fd, c->obuf + c->ooff, c->olen - c->ooff, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return 0;
			return -1;
		}
		c->ooff += (u32)n;
	}
	c->ooff = c->olen = 0;
	return 0;
}

/* Length of the frame at the start of ibuf, 0 when not all there yet. */
static int frame_ready(struct sconn *c, u32 *flen)
{
	struct smb2_transport_hdr th;

	if (c->ilen < 4)
		return 0;
	if (smb2_transport_hdr_decode(c->ibuf, 4, &th) || th.length < SMB2_HDR_SIZE ||
	    th.length > MAX_FRAME)
		return -1;
	if (c->ilen < 4 + th.length) {
		buf_reserve(&c->ibuf, &c->icap, 4 + th.length);
		return 0;
	}
	*flen = th.length;
	return 1;
}

static void frame_consume(struct sconn *c, u32 flen)
{
	memmove(c->ibuf, c->ibuf + 4 + flen, c->ilen - 4 - flen);
	c->ilen -= 4 + flen;
}

/* Read what the socket has (blocking: at least one byte). 0, or -1 at EOF/error. */
static int fill_in(struct sconn *c)
{
	ssize_t n;

	buf_reserve(&c->ibuf, &c->icap, c->ilen + 65536);
	n = recv(c->fd, c->ibuf + c->ilen, c->icap - c->ilen, 0);
	if (n == 0)
		return -1;
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	c->ilen += (u32)n;
	return 0;
}

/* The header of a response; credits it grants are counted. */
static int rsp_hdr(struct sconn *c, const u8 *frame, u32 flen, struct smb2_hdr *h)
{
	if (smb2_hdr_decode(frame, flen, h) || !(h->flags & SMB2_FLAGS_SERVER_TO_REDIR))
		return -1;
	c->credits += h->credit;
	return 0;
}

static int is_interim(const struct smb2_hdr *h)
{
	return h->status == ST_PENDING && (h->flags & SMB2_FLAGS_ASYNC_COMMAND);
}

/*
 * One request and its answer on a blocking connection. The response body
 * decoder starts after the SMB2 header (base(msg) offsets count from it);
 * it points into rbuf, valid until the next call.
 */
static int call(struct sconn *c, u16 cmd, enc_fn enc, const void *body, u32 pad,
		u32 flags, struct smb2_hdr *h, struct wire_dec *d)
{
	u32 flen = 0;
	u64 mid;
	int rc;

	if (queue_req(c, cmd, enc, body, pad, flags, &mid) || flush_out(c))
		return -1;
	for (;;) {
		while ((rc = frame_ready(c, &flen)) == 0)
			if (fill_in(c))
				return -1;
		if (rc < 0 || rsp_hdr(c, c->ibuf + 4, flen, h))
			return -1;
		if (is_interim(h) || h->message_id == UINT64_MAX) {
			frame_consume(c, flen);
			continue;
		}
		if (h->message_id != mid)
			return -1;
		/* a copy: what follows it in ibuf may move */
		buf_reserve(&c->rbuf, &c->rcap, flen);
		memcpy(c->rbuf, c->ibuf + 4, flen);
		frame_consume(c, flen);
		if (flags & Q_HASH_RSP)
			preauth_add(c, c->rbuf, flen);
		wire_dec_init(d, c->rbuf, flen);
		d->pos = SMB2_HDR_SIZE;
		return 0;
	}
}

/* Encoder adapters: the body types differ, the queue takes one shape. */
#define ENC(name) \
static int enc_##name(struct wire_enc *e, const void *b) \
{ \
	return smb2_##name##_enc(e, b); \
}
ENC(negotiate_req)
ENC(session_setup_req)
ENC(tree_connect_req)
ENC(create_req)
ENC(close_req)
ENC(read_req)
ENC(write_req)

/* -- setting a connection up: TCP, NEGOTIATE, SESSION_SETUP x2, TREE_CONNECT -- */

static int tcp_connect(struct sconn *c, char *err, size_t errlen)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(opt.port) };
	struct timeval tv = { .tv_sec = SETUP_TIMEOUT_S };
	int one = 1;

	if (inet_pton(AF_INET, opt.host, &sa.sin_addr) != 1) {
		snprintf(err, errlen, "--host must be an IPv4 address");
		return -1;
	}
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(c->fd, (struct sockaddr *)&sa, sizeof(sa))) {
		snprintf(err, errlen, "connect: %s", strerror(errno));
		return -1;
	}
	c->credits = 1;
	return 0;
}

static int negotiate(struct sconn *c, char *err, size_t errlen)
{
	struct smb2_negotiate_context nc = { 0 };
	struct smb2_negotiate_req req = { 0 };
	struct smb2_negotiate_rsp rsp;
	u16 dialect = opt.dialect, sha512 = SMB2_PREAUTH_INTEGRITY_SHA512;
	struct smb2_hdr h;
	struct wire_dec d;
	u8 salt[32];

	if (getrandom(salt, sizeof(salt), 0) != sizeof(salt) ||
	    getrandom(req.client_guid.b, 16, 0) != 16)
		return -1;
	req.security_mode = SMB2_NEGOTIATE_SIGNING_ENABLED;
	req.dialects.items = &dialect;
	req.dialects.count = 1;
	if (dialect == SMB2_DIALECT_311) {
		nc.context_type = SMB2_PREAUTH_INTEGRITY_CAPABILITIES;
		nc.data.preauth_integrity.hash_algorithms.items = &sha512;
		nc.data.preauth_integrity.hash_algorithms.count = 1;
		nc.data.preauth_integrity.salt.p = salt;
		nc.data.preauth_integrity.salt.len = sizeof(salt);
		req.negotiate_contexts.items = &nc;
		req.negotiate_contexts.count = 1;
	}
	memset(c->preauth, 0, sizeof(c->preauth));
	if (call(c, SMB2_NEGOTIATE, enc_negotiate_req, &req, 0, Q_HASH_REQ | Q_HASH_RSP,
		 &h, &d)) {
		snprintf(err, errlen, "NEGOTIATE: no answer");
		return -1;
	}
	if (h.status || smb2_negotiate_rsp_dec(&d, &rsp)) {
		snprintf(err, errlen, "NEGOTIATE: status 0x%08x", h.status);
		return -1;
	}
	if (rsp.dialect_revision != dialect) {
		snprintf(err, errlen, "NEGOTIATE: dialect 0x%x", rsp.dialect_revision);
		return -1;
	}
	if (rsp.security_mode & SMB2_NEGOTIATE_SIGNING_REQUIRED) {
		snprintf(err, errlen, "the server requires signing: smbload does not sign");
		return -1;
	}
	if (rsp.max_read_size < BULK || rsp.max_write_size < BULK ||
	    rsp.max_read_size < opt.bs || rsp.max_write_size < opt.bs) {
		snprintf(err, errlen, "the server's max read/write is below %u", BULK);
		return -1;
	}
	return 0;
}

/* The AUTHENTICATE message answering a CHALLENGE; its length. */
static u32 ntlm_authenticate(const u8 *chal, u32 clen, u8 *out, u32 cap, u8 skey[16])
{
	struct ntlmssp_challenge_message cm;
	struct ntlmssp_authenticate_message am = { 0 };
	struct ntlmssp_ntlmv2_client_challenge cc = { 0 };
	struct ntlmssp_av_pair av;
	struct wire_seq_iter it;
	u8 key[16], nt[2048], lm[24] = { 0 }, user[512], dom[512], ws[64];
	u8 cchal[8];
	size_t ntlen;
	int have_time = 0, rc;
	size_t used;

	if (ntlmssp_challenge_message_decode(chal, clen, &cm))
		die("the server's NTLMSSP CHALLENGE does not decode");
	if (getrandom(cchal, 8, 0) != 8)
		die("getrandom failed");
	/* the blob's time: the server's MsvAvTimestamp if it sent one */
	cc.timestamp = ((u64)time(NULL) + 11644473600ULL) * 10000000ULL;
	wire_seq_iter_init(&it, &cm.target_info.av_pairs);
	while ((rc = ntlmssp_av_pair_seq_next(&it, &av)) > 0) {
		if (av.av_id == MSV_AV_TIMESTAMP) {
			cc.timestamp = av.value.timestamp;
			have_time = 1;
		}
	}
	if (rc < 0)
		die("the server's target info does not decode");
	ntowfv2(key);
	cc.resp_type = NTLMSSP_NTLMV2_RESP_TYPE;
	cc.hi_resp_type = NTLMSSP_NTLMV2_RESP_TYPE;
	memcpy(cc.challenge_from_client, cchal, 8);
	cc.av_pairs.p = cm.target_info.av_pairs.p;	/* echoed as received */
	cc.av_pairs.len = cm.target_info.av_pairs.len;
	cc.trailer.p = lm;				/* Z(4) */
	cc.trailer.len = 4;
	if (ntlmssp_ntlmv2_client_challenge_encode(nt + 16, sizeof(nt) - 16, &cc, &ntlen))
		die("target info too big");
	/* NTProofStr = HMAC(NTOWFv2, ServerChallenge || blob), then the blob */
	hmac_md5(key, cm.server_challenge, 8, nt + 16, (u32)ntlen, nt);
	ntlen += 16;
	/* SessionBaseKey; no key exchange, so it is the exported session key */
	hmac_md5(key, nt, 16, NULL, 0, skey);
	if (!have_time) {
		/* LMv2: HMAC(NTOWFv2, ServerChallenge || ClientChallenge) || ClientChallenge */
		hmac_md5(key, cm.server_challenge, 8, cchal, 8, lm);
		memcpy(lm + 16, cchal, 8);
	}
	am.negotiate_flags = cm.negotiate_flags & NTLM_FLAGS;
	am.lm_challenge_response.p = lm;
	am.lm_challenge_response.len = 24;
	am.nt_challenge_response.p = nt;
	am.nt_challenge_response.len = (u32)ntlen;
	am.domain_name.p = dom;
	am.domain_name.len = to_utf16(opt.domain, 0, dom, sizeof(dom));
	am.user_name.p = user;
	am.user_name.len = to_utf16(opt.user, 0, user, sizeof(user));
	am.workstation.p = ws;
	am.workstation.len = to_utf16("SMBLOAD", 0, ws, sizeof(ws));
	am.lm_challenge_response_max_len = 24;
	am.nt_challenge_response_max_len = (u16)ntlen;
	am.domain_name_max_len = (u16)am.domain_name.len;
	am.user_name_max_len = (u16)am.user_name.len;
	am.workstation_max_len = (u16)am.workstation.len;
	if (ntlmssp_authenticate_message_encode(out, cap, &am, &used))
		die("AUTHENTICATE does not encode");
	return (u32)used;
}

static int session_setup(struct sconn *c, char *err, size_t errlen)
{
	struct ntlmssp_negotiate_message nm = { 0 };
	struct smb2_session_setup_req req = { 0 };
	struct smb2_session_setup_rsp rsp;
	u8 ntlm[4096], tok[4200];
	const u8 *chal;
	u32 clen, n;
	struct smb2_hdr h;
	struct wire_dec d;
	size_t used;

	nm.negotiate_flags = NTLM_FLAGS;
	if (ntlmssp_negotiate_message_encode(ntlm, sizeof(ntlm), &nm, &used))
		return -1;
	n = spnego_init(ntlm, (u32)used, tok, sizeof(tok));
	req.security_mode = SMB2_NEGOTIATE_SIGNING_ENABLED;
	req.security_buffer.p = tok;
	req.security_buffer.len = n;
	if (call(c, SMB2_SESSION_SETUP, enc_session_setup_req, &req, 0,
		 Q_HASH_REQ | Q_HASH_RSP, &h, &d) ||
	    h.status != ST_MORE_PROCESSING || smb2_session_setup_rsp_dec(&d, &rsp) ||
	    find_ntlmssp(rsp.security_buffer.p, rsp.security_buffer.len, 0, &chal, &clen)) {
		snprintf(err, errlen, "SESSION_SETUP 1: status 0x%08x", h.status);
		return -1;
	}
	c->sid = h.session_id;
	n = ntlm_authenticate(chal, clen, ntlm, sizeof(ntlm), c->session_key);
	n = spnego_resp(ntlm, n, tok, sizeof(tok));
	req.security_buffer.p = tok;
	req.security_buffer.len = n;
	/* the preauth hash ends with this request, not its answer */
	if (call(c, SMB2_SESSION_SETUP, enc_session_setup_req, &req, 0, Q_HASH_REQ, &h, &d) ||
	    smb2_session_setup_rsp_dec(&d, &rsp)) {
		snprintf(err, errlen, "SESSION_SETUP 2: no answer");
		return -1;
	}
	if (h.status) {
		snprintf(err, errlen, "login as %s failed: status 0x%08x", opt.user, h.status);
		return -1;
	}
	if (rsp.session_flags & (SMB2_SESSION_FLAG_IS_GUEST | SMB2_SESSION_FLAG_IS_NULL)) {
		snprintf(err, errlen, "logged in as guest: wrong password?");
		return -1;
	}
	if (rsp.session_flags & SMB2_SESSION_FLAG_ENCRYPT_DATA) {
		snprintf(err, errlen, "the server requires encryption: smbload does not encrypt");
		return -1;
	}
	if (opt.dialect == SMB2_DIALECT_311)
		kdf(c->session_key, "SMBSigningKey", 14, c->preauth, sizeof(c->preauth),
		    c->signing_key);
	return 0;
}

static int tree_connect(struct sconn *c, char *err, size_t errlen)
{
	struct smb2_tree_connect_req req = { 0 };
	char unc[512];
	u8 path[1024];
	struct smb2_hdr h;
	struct wire_dec d;

	snprintf(unc, sizeof(unc), "\\\\%s\\%s", opt.host, opt.share);
	req.path.p = path;
	req.path.len = to_utf16(unc, 0, path, sizeof(path));
	/* 3.1.1: an unsigned TREE_CONNECT is refused (MS-SMB2 3.3.5.7) */
	if (call(c, SMB2_TREE_CONNECT, enc_tree_connect_req, &req, 0,
		 opt.dialect == SMB2_DIALECT_311 ? Q_SIGN : 0, &h, &d) || h.status) {
		snprintf(err, errlen, "TREE_CONNECT %.200s: status 0x%08x", unc, h.status);
		return -1;
	}
	c->tid = h.id.sync.tree_id;
	return 0;
}

static struct sconn *conn_new(u32 depth)
{
	struct sconn *c = xcalloc(1, sizeof(*c));

	c->fd = -1;
	for (c->nslots = 4; c->nslots < 2 * depth; c->nslots *= 2)
		;
	c->slots = xcalloc(c->nslots, sizeof(*c->slots));
	return c;
}

static int conn_setup(struct sconn *c, char *err, size_t errlen)
{
	return tcp_connect(c, err, errlen) || negotiate(c, err, errlen) ||
	       session_setup(c, err, errlen) || tree_connect(c, err, errlen) ? -1 : 0;
}

static void conn_free(struct sconn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	free(c->obuf);
	free(c->ibuf);
	free(c->rbuf);
	free(c->slots);
	free(c);
}

/* -- synchronous file calls (setup and cleanup) -- */

static int open_file(struct sconn *c, const char *name, u32 access, u32 disposition,
		     u32 options, struct smb2_file_id *fid)
{
	struct smb2_create_req req = { 0 };
	struct smb2_create_rsp rsp;
	struct smb2_hdr h;
	struct wire_dec d;
	u8 uname[1024];

	req.requested_oplock_level = SMB2_OPLOCK_LEVEL_NONE;
	req.impersonation_level = SMB2_IMPERSONATION_IMPERSONATION;
	req.desired_access = access;
	req.file_attributes = 0x80;	/* FILE_ATTRIBUTE_NORMAL */
	req.share_access = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;
	req.create_disposition = disposition;
	req.create_options = options;
	req.name.p = uname;
	req.name.len = to_utf16(name, 0, uname, sizeof(uname));
	if (call(c, SMB2_CREATE, enc_create_req, &req, 0, 0, &h, &d))
		return -1;
	if (h.status || smb2_create_rsp_dec(&d, &rsp)) {
		fprintf(stderr, "smbload: CREATE %s: status 0x%08x\n", name, h.status);
		return -1;
	}
	*fid = rsp.file_id;
	return 0;
}

static int close_file(struct sconn *c, const struct smb2_file_id *fid)
{
	struct smb2_close_req req = { 0 };
	struct smb2_hdr h;
	struct wire_dec d;

	req.file_id = *fid;
	return call(c, SMB2_CLOSE, enc_close_req, &req, 0, 0, &h, &d) || h.status ? -1 : 0;
}

/* -- the event loop: many requests in flight over many connections -- */

struct load {
	/* queue one request on c: 1 queued, 0 nothing to send now, < 0 error */
	int (*issue)(struct load *L, struct sconn *c);
	/* a response to slot s arrived: 0 or < 0 error */
	int (*done)(struct load *L, struct sconn *c, struct slot *s,
		    const struct smb2_hdr *h, struct wire_dec *d);
	int (*finished)(struct load *L);
	u32 depth;
	double deadline;	/* the loop fails after this */
};

static struct slot *slot_of(struct sconn *c, u64 mid)
{
	return &c->slots[mid & (c->nslots - 1)];
}

/* Queue a request from the loop: the slot of its message id records it. */
static int issue_req(struct sconn *c, u16 cmd, enc_fn enc, const void *body, u32 pad,
		     u64 tag)
{
	struct slot *s = slot_of(c, c->mid);
	u64 mid;

	if (s->used || queue_req(c, cmd, enc, body, pad, 0, &mid))
		return -1;
	s->used = 1;
	s->mid = mid;
	s->tag = tag;
	s->cmd = cmd;
	s->t0 = now();
	c->inflight++;
	return 1;
}

static int can_issue(struct load *L, struct sconn *c)
{
	return c->inflight < L->depth && c->credits && !slot_of(c, c->mid)->used;
}

static int handle_frames(struct load *L, struct sconn *c)
{
	struct smb2_hdr h;
	struct wire_dec d;
	struct slot *s;
	u32 flen = 0;
	int rc;

	while ((rc = frame_ready(c, &flen)) > 0) {
		if (rsp_hdr(c, c->ibuf + 4, flen, &h))
			return -1;
		if (!is_interim(&h) && h.message_id != UINT64_MAX) {
			s = slot_of(c, h.message_id);
			if (!s->used || s->mid != h.message_id) {
				fprintf(stderr, "smbload: answer to unknown message %llu\n",
					(unsigned long long)h.message_id);
				return -1;
			}
			wire_dec_init(&d, c->ibuf + 4, flen);
			d.pos = SMB2_HDR_SIZE;
			s->used = 0;
			c->inflight--;
			if (L->done(L, c, s, &h, &d))
				return -1;
		}
		frame_consume(c, flen);
	}
	return rc;
}

static void set_nonblock(struct sconn *c, int on)
{
	int fl = fcntl(c->fd, F_GETFL);

	fcntl(c->fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
}

static int watch(int ep, struct sconn *c, int op)
{
	struct epoll_event ev = { .events = EPOLLIN | (c->want_out ? EPOLLOUT : 0),
				  .data.ptr = c };

	return epoll_ctl(ep, op, c->fd, &ev);
}

static int run_loop(struct load *L, struct sconn **cs, u32 n)
{
	struct epoll_event evs[256];
	int ep = epoll_create1(EPOLL_CLOEXEC), rc = -1, k, i;
	u32 j, busy;

	if (ep < 0)
		return -1;
	for (j = 0; j < n; j++) {
		set_nonblock(cs[j], 1);
		cs[j]->want_out = 0;
		if (watch(ep, cs[j], EPOLL_CTL_ADD))
			goto out;
	}
	for (;;) {
		busy = 0;
		for (j = 0; j < n; j++) {
			struct sconn *c = cs[j];
			int out;

			while (can_issue(L, c)) {
				k = L->issue(L, c);
				if (k < 0)
					goto out;
				if (!k)
					break;
			}
			if (flush_out(c))
				goto out;
			out = c->olen > 0;
			if (out != c->want_out) {
				c->want_out = out;
				if (watch(ep, c, EPOLL_CTL_MOD))
					goto out;
			}
			busy += c->inflight;
		}
		if (!busy && L->finished(L))
			break;
		if (now() > L->deadline) {
			fprintf(stderr, "smbload: time limit: %u requests unanswered\n", busy);
			goto out;
		}
		k = epoll_wait(ep, evs, 256, 100);
		if (k < 0 && errno != EINTR)
			goto out;
		for (i = 0; i < k; i++) {
			struct sconn *c = evs[i].data.ptr;

			if (evs[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
				if (fill_in(c)) {
					fprintf(stderr, "smbload: server closed a connection\n");
					goto out;
				}
				if (handle_frames(L, c) < 0)
					goto out;
			}
			if ((evs[i].events & EPOLLOUT) && flush_out(c))
				goto out;
		}
	}
	rc = 0;
out:
	close(ep);
	for (j = 0; j < n; j++)
		set_nonblock(cs[j], 0);
	return rc;
}

/* -- random I/O -- */

enum { PH_FILL, PH_WRITE, PH_READ, PH_VERIFY };

struct rio {
	struct load L;
	int phase;
	u64 nblocks;
	u32 *gen;		/* generation last written to each block */
	u8 *busy;		/* a request on this block is in flight */
	u64 cursor;		/* fill/verify: next BULK unit */
	u64 units;
	double end;		/* timed phases: stop issuing then */
	u64 ops, bad;
	double lat;
	u64 rng;
	u64 seed;
	u8 *exp;		/* scratch: expected or outgoing data */
};

static u64 mix64(u64 x)
{
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* The content of block b at generation g: a stream no other (b, g) shares. */
static void pattern(const struct rio *r, u64 b, u32 g, u8 *out)
{
	u64 x = mix64(r->seed ^ (b << 24) ^ g);
	u32 i;

	for (i = 0; i < opt.bs; i += 8)
		wire_st64(out + i, mix64(x + i));
}

static int rio_pick(struct rio *r, u64 *b)
{
	int tries;

	for (tries = 0; tries < 16; tries++) {
		r->rng = mix64(r->rng + 0x9e3779b97f4a7c15ULL);
		*b = r->rng % r->nblocks;
		if (!r->busy[*b])
			return 0;
	}
	return -1;
}

static int rio_issue(struct load *L, struct sconn *c)
{
	struct rio *r = (struct rio *)L;
	struct smb2_write_req wr = { 0 };
	struct smb2_read_req rr = { 0 };
	u32 per = BULK / opt.bs, i;
	u64 b;

	switch (r->phase) {
	case PH_FILL:
		if (r->cursor >= r->units)
			return 0;
		for (i = 0; i < per; i++)
			pattern(r, r->cursor * per + i, 0, r->exp + (u64)i * opt.bs);
		wr.offset = r->cursor * BULK;
		wr.file_id = c->fid;
		wr.data.p = r->exp;
		wr.data.len = BULK;
		return issue_req(c, SMB2_WRITE, enc_write_req, &wr, 0, r->cursor++);
	case PH_VERIFY:
		if (r->cursor >= r->units)
			return 0;
		rr.length = BULK;
		rr.offset = r->cursor * BULK;
		rr.file_id = c->fid;
		return issue_req(c, SMB2_READ, enc_read_req, &rr, 1, r->cursor++);
	case PH_WRITE:
		if (now() >= r->end || rio_pick(r, &b))
			return 0;
		r->gen[b]++;
		r->busy[b] = 1;
		pattern(r, b, r->gen[b], r->exp);
		wr.offset = b * opt.bs;
		wr.file_id = c->fid;
		wr.data.p = r->exp;
		wr.data.len = opt.bs;
		return issue_req(c, SMB2_WRITE, enc_write_req, &wr, 0, b);
	default:
		if (now() >= r->end || rio_pick(r, &b))
			return 0;
		r->busy[b] = 1;
		rr.length = opt.bs;
		rr.offset = b * opt.bs;
		rr.file_id = c->fid;
		return issue_req(c, SMB2_READ, enc_read_req, &rr, 1, b);
	}
}

/* Compare n bytes read at block b with what was written last. */
static int rio_check(struct rio *r, u64 b, const u8 *data, u32 n)
{
	u32 i;

	for (i = 0; i < n / opt.bs; i++) {
		pattern(r, b + i, r->gen[b + i], r->exp);
		if (memcmp(data + (u64)i * opt.bs, r->exp, opt.bs)) {
			fprintf(stderr, "smbload: block %llu holds other data than written "
				"(generation %u)\n", (unsigned long long)(b + i), r->gen[b + i]);
			return -1;
		}
	}
	return 0;
}

static int rio_done(struct load *L, struct sconn *c, struct slot *s,
		    const struct smb2_hdr *h, struct wire_dec *d)
{
	struct rio *r = (struct rio *)L;
	struct smb2_write_rsp wrsp;
	struct smb2_read_rsp rrsp;
	u32 want = r->phase == PH_FILL || r->phase == PH_VERIFY ? BULK : opt.bs;
	u64 b = r->phase == PH_FILL || r->phase == PH_VERIFY ? s->tag * (BULK / opt.bs) : s->tag;

	(void)c;
	if (h->status) {
		fprintf(stderr, "smbload: %s at block %llu: status 0x%08x\n",
			s->cmd == SMB2_READ ? "READ" : "WRITE", (unsigned long long)b, h->status);
		return -1;
	}
	if (s->cmd == SMB2_WRITE) {
		if (smb2_write_rsp_dec(d, &wrsp) || wrsp.count != want) {
			fprintf(stderr, "smbload: short write at block %llu\n",
				(unsigned long long)b);
			return -1;
		}
	} else {
		if (smb2_read_rsp_dec(d, &rrsp) || rrsp.data.len != want) {
			fprintf(stderr, "smbload: short read at block %llu\n",
				(unsigned long long)b);
			return -1;
		}
		if (rio_check(r, b, rrsp.data.p, want))
			return -1;
	}
	if (r->phase == PH_WRITE || r->phase == PH_READ)
		r->busy[b] = 0;
	r->ops++;
	r->lat += now() - s->t0;
	return 0;
}

static int rio_finished(struct load *L)
{
	struct rio *r = (struct rio *)L;

	if (r->phase == PH_FILL || r->phase == PH_VERIFY)
		return r->cursor >= r->units;
	return now() >= r->end;
}

static double rio_phase(struct rio *r, struct sconn *c, int phase, u32 depth,
			const char *name)
{
	double t0 = now(), dt;

	r->phase = phase;
	r->cursor = 0;
	r->ops = 0;
	r->lat = 0;
	r->L.depth = depth;
	r->end = t0 + opt.seconds;
	r->L.deadline = t0 + opt.seconds + PHASE_SLACK_S +
			(phase == PH_FILL || phase == PH_VERIFY ? r->units / 20 : 0);
	if (run_loop(&r->L, &c, 1))
		die("%s failed", name);
	dt = now() - t0;
	if (phase == PH_WRITE || phase == PH_READ)
		printf("%s iops %.0f lat_avg_us %.0f ops %llu seconds %.2f\n", name,
		       r->ops / dt, r->ops ? r->lat / r->ops * 1e6 : 0.0,
		       (unsigned long long)r->ops, dt);
	else
		printf("%s MB/s %.0f seconds %.2f\n", name, r->units * (double)BULK / dt / 1e6, dt);
	fflush(stdout);
	return dt;
}

static int mode_randio(void)
{
	struct rio r = { .L = { .issue = rio_issue, .done = rio_done,
				.finished = rio_finished } };
	struct sconn *c = conn_new(opt.depth > 16 ? opt.depth : 16);
	char err[256];

	if (opt.size % BULK || !opt.size || BULK % opt.bs || opt.bs % 8)
		die("--size must be a multiple of %u and --bs divide it", BULK);
	if (conn_setup(c, err, sizeof(err)))
		die("%s", err);
	/* delete-on-close: the file goes away with the handle, also if we die */
	if (open_file(c, opt.file, SEC_FILE_READ_DATA | SEC_FILE_WRITE_DATA | SEC_DELETE,
		      FILE_OVERWRITE_IF, FILE_NON_DIRECTORY_FILE | FILE_DELETE_ON_CLOSE, &c->fid))
		die("cannot create %s", opt.file);
	r.nblocks = opt.size / opt.bs;
	r.units = opt.size / BULK;
	r.gen = xcalloc(r.nblocks, sizeof(*r.gen));
	r.busy = xcalloc(r.nblocks, 1);
	r.exp = xcalloc(1, BULK);
	if (getrandom(&r.seed, sizeof(r.seed), 0) != sizeof(r.seed))
		die("getrandom failed");
	r.rng = r.seed;
	rio_phase(&r, c, PH_FILL, 16, "fill");
	rio_phase(&r, c, PH_WRITE, opt.depth, "randwrite");
	rio_phase(&r, c, PH_READ, opt.depth, "randread");
	rio_phase(&r, c, PH_VERIFY, 16, "verify");
	if (close_file(c, &c->fid))
		die("CLOSE failed");
	printf("verified %llu blocks\n", (unsigned long long)r.nblocks);
	conn_free(c);
	free(r.gen);
	free(r.busy);
	free(r.exp);
	return 0;
}

/* -- many connections -- */

struct setup_job {
	struct sconn **cs;
	u32 n, first, step;
	u32 ok;
	char err[256];
};

static void *setup_thread(void *arg)
{
	struct setup_job *j = arg;
	u32 i;

	for (i = j->first; i < j->n; i += j->step) {
		if (conn_setup(j->cs[i], j->err, sizeof(j->err)))
			break;
		j->ok++;
	}
	return NULL;
}

enum { CS_OPEN, CS_OPENING, CS_CLOSE, CS_CLOSING, CS_DONE };

struct conns {
	struct load L;
	const char *name;
	u32 done;
	u32 n;
};

static int conns_issue(struct load *L, struct sconn *c)
{
	struct conns *k = (struct conns *)L;
	struct smb2_create_req cr = { 0 };
	struct smb2_close_req cl = { 0 };
	static u8 uname[512];
	static u32 ulen;

	if (c->state == CS_OPEN) {
		if (!ulen)
			ulen = to_utf16(k->name, 0, uname, sizeof(uname));
		cr.requested_oplock_level = SMB2_OPLOCK_LEVEL_NONE;
		cr.impersonation_level = SMB2_IMPERSONATION_IMPERSONATION;
		cr.desired_access = SEC_FILE_READ_ATTRIBUTES;
		cr.share_access = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;
		cr.create_disposition = FILE_OPEN;
		cr.create_options = FILE_NON_DIRECTORY_FILE;
		cr.name.p = uname;
		cr.name.len = ulen;
		c->state = CS_OPENING;
		return issue_req(c, SMB2_CREATE, enc_create_req, &cr, 0, 0);
	}
	if (c->state == CS_CLOSE) {
		cl.file_id = c->fid;
		c->state = CS_CLOSING;
		return issue_req(c, SMB2_CLOSE, enc_close_req, &cl, 0, 0);
	}
	return 0;
}

static int conns_done(struct load *L, struct sconn *c, struct slot *s,
		      const struct smb2_hdr *h, struct wire_dec *d)
{
	struct conns *k = (struct conns *)L;
	struct smb2_create_rsp rsp;

	if (h->status) {
		fprintf(stderr, "smbload: %s: status 0x%08x\n",
			s->cmd == SMB2_CREATE ? "CREATE" : "CLOSE", h->status);
		return -1;
	}
	if (s->cmd == SMB2_CREATE) {
		if (smb2_create_rsp_dec(d, &rsp))
			return -1;
		c->fid = rsp.file_id;
		c->state = CS_CLOSE;
	} else {
		c->state = CS_DONE;
		k->done++;
	}
	return 0;
}

static int conns_finished(struct load *L)
{
	struct conns *k = (struct conns *)L;

	return k->done == k->n;
}

static int mode_conns(void)
{
	struct conns k = { .L = { .issue = conns_issue, .done = conns_done,
				  .finished = conns_finished, .depth = 1 } };
	u32 n = opt.conns, t, nt = opt.threads < n ? opt.threads : n, ok = 0;
	struct sconn **cs = xcalloc(n, sizeof(*cs));
	struct setup_job *jobs = xcalloc(nt, sizeof(*jobs));
	pthread_t *th = xcalloc(nt, sizeof(*th));
	struct smb2_file_id fid;
	char name[64], line[64];
	double t0;
	u32 i;

	snprintf(name, sizeof(name), "smbload-conns-%d.tmp", (int)getpid());
	for (i = 0; i < n; i++)
		cs[i] = conn_new(2);
	t0 = now();
	for (t = 0; t < nt; t++) {
		jobs[t] = (struct setup_job){ .cs = cs, .n = n, .first = t, .step = nt };
		if (pthread_create(&th[t], NULL, setup_thread, &jobs[t]))
			die("pthread_create failed");
	}
	for (t = 0; t < nt; t++) {
		pthread_join(th[t], NULL);
		ok += jobs[t].ok;
	}
	printf("ready %u %.3f\n", ok, now() - t0);
	fflush(stdout);
	if (ok != n) {
		for (t = 0; t < nt; t++)
			if (jobs[t].err[0])
				die("%u of %u connections set up; %s", ok, n, jobs[t].err);
		die("%u of %u connections set up", ok, n);
	}
	/* the file every connection opens: made now, removed at the end */
	if (open_file(cs[0], name, SEC_FILE_WRITE_DATA, FILE_OVERWRITE_IF,
		      FILE_NON_DIRECTORY_FILE, &fid) || close_file(cs[0], &fid))
		die("cannot create %s", name);
	if (opt.hold && !fgets(line, sizeof(line), stdin))
		die("stdin closed before go");
	k.name = name;
	k.n = n;
	t0 = now();
	k.L.deadline = t0 + PHASE_SLACK_S + n / 10;
	if (run_loop(&k.L, cs, n))
		die("one open+close on each connection failed (%u of %u done)", k.done, n);
	printf("done %u %.3f\n", k.done, now() - t0);
	fflush(stdout);
	if (open_file(cs[0], name, SEC_DELETE, FILE_OPEN,
		      FILE_NON_DIRECTORY_FILE | FILE_DELETE_ON_CLOSE, &fid) ||
	    close_file(cs[0], &fid))
		die("cannot remove %s", name);
	for (i = 0; i < n; i++)
		conn_free(cs[i]);
	free(cs);
	free(jobs);
	free(th);
	return 0;
}

/* -- options -- */

static u64 number(const char *s, const char *what)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		die("%s: not a number: %s", what, s);
	if (*end == 'k' || *end == 'K')
		v <<= 10, end++;
	else if (*end == 'm' || *end == 'M')
		v <<= 20, end++;
	else if (*end == 'g' || *end == 'G')
		v <<= 30, end++;
	if (*end)
		die("%s: not a number: %s", what, s);
	return v;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: smbload --share NAME --user USER --password PW [--host IPV4] [--port N]\n"
		"               [--domain DOM] [--dialect 3.1.1|2.1]\n"
		"               --mode randio [--file NAME] [--size BYTES] [--bs BYTES]\n"
		"                             [--depth N] [--seconds S]\n"
		"               --mode conns [--conns N] [--threads N] [--hold]\n");
	exit(2);
}

static void parse(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "host", 1, NULL, 'H' }, { "port", 1, NULL, 'p' },
		{ "share", 1, NULL, 's' }, { "user", 1, NULL, 'u' },
		{ "password", 1, NULL, 'P' }, { "domain", 1, NULL, 'D' },
		{ "dialect", 1, NULL, 'd' }, { "mode", 1, NULL, 'm' },
		{ "file", 1, NULL, 'f' }, { "size", 1, NULL, 'S' },
		{ "bs", 1, NULL, 'b' }, { "depth", 1, NULL, 'q' },
		{ "seconds", 1, NULL, 't' }, { "conns", 1, NULL, 'n' },
		{ "threads", 1, NULL, 'T' }, { "hold", 0, NULL, 'h' },
		{ "verify", 0, NULL, 'v' }, { NULL, 0, NULL, 0 },
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (ch) {
		case 'H': opt.host = optarg; break;
		case 'p': opt.port = (int)number(optarg, "--port"); break;
		case 's': opt.share = optarg; break;
		case 'u': opt.user = optarg; break;
		case 'P': opt.password = optarg; break;
		case 'D': opt.domain = optarg; break;
		case 'd':
			if (!strcmp(optarg, "3.1.1"))
				opt.dialect = SMB2_DIALECT_311;
			else if (!strcmp(optarg, "2.1"))
				opt.dialect = SMB2_DIALECT_210;
			else
				usage();
			break;
		case 'm': opt.mode = optarg; break;
		case 'f': opt.file = optarg; break;
		case 'S': opt.size = number(optarg, "--size"); break;
		case 'b': opt.bs = (u32)number(optarg, "--bs"); break;
		case 'q': opt.depth = (u32)number(optarg, "--depth"); break;
		case 't': opt.seconds = (u32)number(optarg, "--seconds"); break;
		case 'n': opt.conns = (u32)number(optarg, "--conns"); break;
		case 'T': opt.threads = (u32)number(optarg, "--threads"); break;
		case 'h': opt.hold = 1; break;
		case 'v': break;	/* reads are always verified */
		default: usage();
		}
	}
	if (!opt.share || !opt.user || !opt.password || optind != argc)
		usage();
	if (!opt.depth || opt.depth > 4096 || !opt.bs || opt.bs > BULK || !opt.conns ||
	    opt.conns > 100000 || !opt.threads || opt.threads > 256 || opt.seconds > 3600)
		die("an option is out of range");
}

int main(int argc, char **argv)
{
	struct rlimit rl;

	parse(argc, argv);
	/* one descriptor per connection */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (!strcmp(opt.mode, "randio"))
		return mode_randio();
	if (!strcmp(opt.mode, "conns"))
		return mode_conns();
	usage();
	return 2;
}
