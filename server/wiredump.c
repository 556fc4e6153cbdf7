// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * smbwire-dump: decode SMB2, NTLMSSP and DCE/RPC bytes with the generated
 * decoders and print them with the generated printers.
 *
 *   smbwire-dump [-t smb2|ntlmssp|dcerpc|sid|sd] [-f] HEX...      bytes given in hex
 *   smbwire-dump [-t ...] [-f] -x FILE                      raw bytes from a file
 *   smbwire-dump [-f] [-p PORT] -r FILE.pcap                SMB2 over TCP in a capture
 *
 * -f prints flat "path.field = value" lines (what the fixture tests compare).
 * The pcap reader handles classic pcap files of Ethernet, Linux cooked (v1)
 * and BSD loopback links, IPv4/IPv6, and TCP streams captured in order (as
 * on loopback); it is a debugging aid, not a general dissector.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smb2.h"
#include "wire_dispatch.h"

static void print_line(void *arg, const char *text)
{
	fprintf(arg, "%s\n", text);
}

static struct wire_printer printer = { .line = print_line };
static int failures;

static void dump_bytes(const char *type, const u8 *buf, u32 len)
{
	int rc = wire_dump(type, buf, len, &printer);

	if (rc < 0) {
		fprintf(stderr, "unknown type %s\n", type);
		exit(2);
	}
	failures += rc;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Hex digits, ignoring blanks, colons and a leading 0x. */
static u8 *parse_hex(int argc, char **argv, u32 *len)
{
	size_t cap = 0, n = 0, i;
	u8 *out = NULL;
	int half = -1, a;

	for (a = 0; a < argc; a++)
		cap += strlen(argv[a]) / 2 + 1;
	out = malloc(cap ? cap : 1);
	if (!out)
		exit(1);
	for (a = 0; a < argc; a++) {
		const char *s = argv[a];

		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
			s += 2;
		for (i = 0; s[i]; i++) {
			int v = hexval(s[i]);

			if (v < 0) {
				if (strchr(" \t\n:-", s[i]))
					continue;
				fprintf(stderr, "not hex: '%c'\n", s[i]);
				exit(2);
			}
			if (half < 0) {
				half = v;
			} else {
				out[n++] = (u8)(half << 4 | v);
				half = -1;
			}
		}
	}
	if (half >= 0) {
		fprintf(stderr, "odd number of hex digits\n");
		exit(2);
	}
	*len = n;
	return out;
}

static u8 *read_file(const char *path, u32 *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n = 0, r;
	u8 *buf = malloc(cap);

	if (!f || !buf) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		exit(2);
	}
	while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			if (cap >= (1u << 30)) {
				fprintf(stderr, "%s: too large\n", path);
				exit(2);
			}
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				exit(1);
		}
	}
	fclose(f);
	*len = n;
	return buf;
}

/* -- pcap: TCP payloads per direction, then NetBIOS framing -- */

struct stream {
	u8 key[40];	/* addresses and ports of one direction */
	u32 keylen;
	u8 *data;
	u32 len, cap, used;
};

#define MAX_STREAMS 64
static struct stream streams[MAX_STREAMS];

static struct stream *stream_for(const u8 *key, u32 keylen)
{
	int i;

	for (i = 0; i < MAX_STREAMS; i++) {
		struct stream *s = &streams[i];

		if (s->keylen == keylen && !memcmp(s->key, key, keylen))
			return s;
		if (!s->keylen) {
			memcpy(s->key, key, keylen);
			s->keylen = keylen;
			return s;
		}
	}
	return NULL;
}

static void stream_append(struct stream *s, const u8 *p, u32 n)
{
	if (s->len + n > s->cap) {
		u32 cap = s->cap ? s->cap : 65536;

		while (cap < s->len + n)
			cap *= 2;
		s->data = realloc(s->data, cap);
		if (!s->data)
			exit(1);
		s->cap = cap;
	}
	memcpy(s->data + s->len, p, n);
	s->len += n;
}

/* Print every complete NetBIOS-framed SMB2 message buffered so far. */
static void stream_drain(struct stream *s, u32 frame)
{
	const u32 hs = SMB2_TRANSPORT_HDR_SIZE;

	while (s->len - s->used >= hs) {
		const u8 *p = s->data + s->used;
		struct smb2_transport_hdr th;
		u32 n;

		if (smb2_transport_hdr_decode(p, hs, &th)) {
			/* not a session message: resync impossible */
			s->used = s->len;
			return;
		}
		n = th.length;
		if (s->len - s->used - hs < n)
			return;
		printf("# frame %u, %u bytes\n", frame, n);
		if (n >= 4 && p[hs] == 0xfe)
			failures += wire_dump_smb2(p + hs, n, &printer);
		else
			printf("(not SMB2: 0x%02x)\n", n ? p[hs] : 0);
		s->used += hs + n;
	}
}

static void pcap_packet(const u8 *p, u32 n, u32 link, int port, u32 frame)
{
	u8 key[40];
	u32 l3, proto, ihl, th, keylen;
	struct stream *s;

	switch (link) {
	case 1:	/* Ethernet */
		if (n < 14)
			return;
		proto = wire_ld16(p + 12);
		proto = (proto >> 8) | ((proto & 0xff) << 8);
		l3 = 14;
		break;
	case 113:	/* Linux cooked v1 */
		if (n < 16)
			return;
		proto = (u32)p[14] << 8 | p[15];
		l3 = 16;
		break;
	case 0:	/* BSD loopback: host-order family */
		if (n < 4)
			return;
		proto = wire_ld32(p) == 2 ? 0x0800 : 0x86dd;
		l3 = 4;
		break;
	default:
		return;
	}
	if (proto == 0x0800) {
		if (n < l3 + 20 || p[l3 + 9] != 6)
			return;
		ihl = (p[l3] & 15) * 4;
		th = l3 + ihl;
		memcpy(key, p + l3 + 12, 8);
		keylen = 8;
	} else if (proto == 0x86dd) {
		if (n < l3 + 40 || p[l3 + 6] != 6)
			return;
		th = l3 + 40;
		memcpy(key, p + l3 + 8, 32);
		keylen = 32;
	} else {
		return;
	}
	if (n < th + 20)
		return;
	{
		u32 sport = (u32)p[th] << 8 | p[th + 1];
		u32 dport = (u32)p[th + 2] << 8 | p[th + 3];
		u32 doff = (p[th + 12] >> 4) * 4;

		if (port && sport != (u32)port && dport != (u32)port)
			return;
		if (n < th + doff)
			return;
		memcpy(key + keylen, p + th, 4);
		keylen += 4;
		s = stream_for(key, keylen);
		if (!s || n == th + doff)
			return;
		stream_append(s, p + th + doff, n - th - doff);
		stream_drain(s, frame);
	}
}

static void dump_pcap(const char *path, int port)
{
	u32 len, at = 24, frame = 0, link;
	u8 *buf = read_file(path, &len);
	int swap;

	if (len < 24) {
		fprintf(stderr, "%s: not a pcap file\n", path);
		exit(2);
	}
	if (wire_ld32(buf) == 0xa1b2c3d4 || wire_ld32(buf) == 0xa1b23c4d)
		swap = 0;
	else if (wire_ld32(buf) == 0xd4c3b2a1 || wire_ld32(buf) == 0x4d3cb2a1)
		swap = 1;
	else {
		fprintf(stderr, "%s: not a classic pcap file (pcapng: convert with "
			"editcap -F pcap)\n", path);
		exit(2);
	}
#define LD32(p) (swap ? __builtin_bswap32(wire_ld32(p)) : wire_ld32(p))
	link = LD32(buf + 20);
	while (len - at >= 16) {
		u32 incl = LD32(buf + at + 8);

		at += 16;
		if (incl > len - at)
			break;
		frame++;
		pcap_packet(buf + at, incl, link, port, frame);
		at += incl;
	}
#undef LD32
	free(buf);
}

static void usage(void)
{
	fprintf(stderr, "usage: smbwire-dump [-t smb2|ntlmssp|dcerpc|sid|sd] [-f] HEX...\n"
		"       smbwire-dump [-t TYPE] [-f] -x FILE\n"
		"       smbwire-dump [-f] [-p PORT] -r FILE.pcap\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *type = "smb2", *file = NULL, *pcap = NULL;
	int opt, port = 0;
	u32 len;
	u8 *buf;

	printer.arg = stdout;
	while ((opt = getopt(argc, argv, "t:fx:r:p:h")) != -1) {
		switch (opt) {
		case 't':
			type = optarg;
			break;
		case 'f':
			printer.flat = 1;
			break;
		case 'x':
			file = optarg;
			break;
		case 'r':
			pcap = optarg;
			break;
		case 'p':
			port = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (pcap) {
		dump_pcap(pcap, port);
		return failures ? 1 : 0;
	}
	if (file)
		buf = read_file(file, &len);
	else if (optind < argc)
		buf = parse_hex(argc - optind, argv + optind, &len);
	else
		usage();
	dump_bytes(type, buf, len);
	free(buf);
	return failures ? 1 : 0;
}
