// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Decode-and-print of whole messages by kind: picks the generated decoder
 * for an SMB2 header's command and direction (walking compound chains), an
 * NTLMSSP message's type, or a DCE/RPC PDU. Used by smbwire-dump and by the
 * fixture tests.
 */
#include <string.h>

#include "wire_dispatch.h"
#include "smb2.h"
#include "ntlmssp.h"
#include "dcerpc.h"
#include "security.h"

struct body_type {
	const char *name;
	int (*dec)(struct wire_dec *d, void *out);
	int (*enc)(struct wire_enc *e, const void *v);
	void (*print)(struct wire_printer *p, const char *name, const void *v);
};

#define BODY(T)								\
	static int dec_##T(struct wire_dec *d, void *o)			\
	{								\
		return T##_dec(d, o);					\
	}								\
	static int enc_##T(struct wire_enc *e, const void *o)		\
	{								\
		return T##_enc(e, o);					\
	}								\
	static void print_##T(struct wire_printer *p, const char *n,	\
			      const void *o)				\
	{								\
		T##_print(p, n, o);					\
	}								\
	static const struct body_type body_##T = {			\
		#T, dec_##T, enc_##T, print_##T				\
	}

BODY(smb2_negotiate_req);
BODY(smb2_negotiate_rsp);
BODY(smb2_session_setup_req);
BODY(smb2_session_setup_rsp);
BODY(smb2_logoff_req);
BODY(smb2_logoff_rsp);
BODY(smb2_tree_connect_req);
BODY(smb2_tree_connect_rsp);
BODY(smb2_tree_disconnect_req);
BODY(smb2_tree_disconnect_rsp);
BODY(smb2_create_req);
BODY(smb2_create_rsp);
BODY(smb2_close_req);
BODY(smb2_close_rsp);
BODY(smb2_flush_req);
BODY(smb2_flush_rsp);
BODY(smb2_read_req);
BODY(smb2_read_rsp);
BODY(smb2_write_req);
BODY(smb2_write_rsp);
BODY(smb2_lock_req);
BODY(smb2_lock_rsp);
BODY(smb2_ioctl_req);
BODY(smb2_ioctl_rsp);
BODY(smb2_cancel_req);
BODY(smb2_echo_req);
BODY(smb2_echo_rsp);
BODY(smb2_query_directory_req);
BODY(smb2_query_directory_rsp);
BODY(smb2_change_notify_req);
BODY(smb2_change_notify_rsp);
BODY(smb2_query_info_req);
BODY(smb2_query_info_rsp);
BODY(smb2_set_info_req);
BODY(smb2_set_info_rsp);
BODY(smb2_oplock_break_ntf);
BODY(smb2_oplock_break_req);
BODY(smb2_lease_break_ntf);
BODY(smb2_lease_break_req);
BODY(smb2_error_rsp);
BODY(ntlmssp_negotiate_message);
BODY(ntlmssp_challenge_message);
BODY(ntlmssp_authenticate_message);
BODY(dcerpc_pdu);
BODY(dom_sid);
BODY(security_descriptor);

/* [command] = { request, response } */
static const struct body_type *const smb2_bodies[][2] = {
	[SMB2_NEGOTIATE] = { &body_smb2_negotiate_req, &body_smb2_negotiate_rsp },
	[SMB2_SESSION_SETUP] = { &body_smb2_session_setup_req, &body_smb2_session_setup_rsp },
	[SMB2_LOGOFF] = { &body_smb2_logoff_req, &body_smb2_logoff_rsp },
	[SMB2_TREE_CONNECT] = { &body_smb2_tree_connect_req, &body_smb2_tree_connect_rsp },
	[SMB2_TREE_DISCONNECT] = { &body_smb2_tree_disconnect_req,
				   &body_smb2_tree_disconnect_rsp },
	[SMB2_CREATE] = { &body_smb2_create_req, &body_smb2_create_rsp },
	[SMB2_CLOSE] = { &body_smb2_close_req, &body_smb2_close_rsp },
	[SMB2_FLUSH] = { &body_smb2_flush_req, &body_smb2_flush_rsp },
	[SMB2_READ] = { &body_smb2_read_req, &body_smb2_read_rsp },
	[SMB2_WRITE] = { &body_smb2_write_req, &body_smb2_write_rsp },
	[SMB2_LOCK] = { &body_smb2_lock_req, &body_smb2_lock_rsp },
	[SMB2_IOCTL] = { &body_smb2_ioctl_req, &body_smb2_ioctl_rsp },
	[SMB2_CANCEL] = { &body_smb2_cancel_req, NULL },
	[SMB2_ECHO] = { &body_smb2_echo_req, &body_smb2_echo_rsp },
	[SMB2_QUERY_DIRECTORY] = { &body_smb2_query_directory_req,
				   &body_smb2_query_directory_rsp },
	[SMB2_CHANGE_NOTIFY] = { &body_smb2_change_notify_req,
				 &body_smb2_change_notify_rsp },
	[SMB2_QUERY_INFO] = { &body_smb2_query_info_req, &body_smb2_query_info_rsp },
	[SMB2_SET_INFO] = { &body_smb2_set_info_req, &body_smb2_set_info_rsp },
	[SMB2_OPLOCK_BREAK] = { &body_smb2_oplock_break_req, &body_smb2_oplock_break_ntf },
};

/* Statuses whose responses still carry the command's own body. */
static int status_has_body(u32 command, u32 status)
{
	switch (status) {
	case 0:
		return 1;
	case 0xC0000016:	/* STATUS_MORE_PROCESSING_REQUIRED */
		return command == SMB2_SESSION_SETUP;
	case 0x80000005:	/* STATUS_BUFFER_OVERFLOW */
		return command == SMB2_READ || command == SMB2_IOCTL ||
		       command == SMB2_QUERY_INFO;
	case 0x0000010C:	/* STATUS_NOTIFY_ENUM_DIR */
		return 0;
	default:
		return 0;
	}
}

static struct wire_printer *printer;
static int failures;

static void report(const char *what, int rc)
{
	wire_print_line(printer, "%s: decode error: %s", what, wire_strerror(rc));
	failures++;
}

static void dump_body(const struct body_type *bt, struct wire_dec *d, const char *name)
{
	static union {
		u64 align;
		u8 bytes[1 << 16];
	} obj;
	int rc;

	memset(&obj, 0, sizeof(obj));
	rc = bt->dec(d, &obj);
	if (rc) {
		report(bt->name, rc);
		return;
	}
	bt->print(printer, name, &obj);
}

static const struct body_type *ntlmssp_body(const u8 *p, u32 len)
{
	struct ntlmssp_message_header h;

	if (ntlmssp_message_header_decode(p, len, &h))
		return NULL;
	switch (h.message_type) {
	case NTLMSSP_NEGOTIATE_MESSAGE:
		return &body_ntlmssp_negotiate_message;
	case NTLMSSP_CHALLENGE_MESSAGE:
		return &body_ntlmssp_challenge_message;
	case NTLMSSP_AUTHENTICATE_MESSAGE:
		return &body_ntlmssp_authenticate_message;
	}
	return NULL;
}

/*
 * An AUTHENTICATE message carries a MIC at NTLMSSP_AUTH_MIC_OFFSET when it
 * has a Version and no payload buffer starts before the MIC's end.
 */
static int ntlmssp_has_mic(const struct ntlmssp_authenticate_message *m)
{
	const struct { u32 len, off; } bufs[] = {
		{ m->lm_challenge_response_len, m->lm_challenge_response_buffer_offset },
		{ m->nt_challenge_response_len, m->nt_challenge_response_buffer_offset },
		{ m->domain_name_len, m->domain_name_buffer_offset },
		{ m->user_name_len, m->user_name_buffer_offset },
		{ m->workstation_len, m->workstation_buffer_offset },
		{ m->encrypted_random_session_key_len,
		  m->encrypted_random_session_key_buffer_offset },
	};
	u32 i;

	if (!(m->negotiate_flags & NTLMSSP_NEGOTIATE_VERSION))
		return 0;
	for (i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
		if (bufs[i].len && bufs[i].off < NTLMSSP_AUTH_MIC_OFFSET + 16)
			return 0;
	return 1;
}

static void dump_ntlmssp(const struct body_type *bt, const u8 *p, u32 len)
{
	struct ntlmssp_authenticate_message am;
	struct ntlmssp_mic mic;
	struct wire_dec d;

	wire_dec_init(&d, p, len);
	dump_body(bt, &d, "ntlmssp");
	if (bt != &body_ntlmssp_authenticate_message ||
	    ntlmssp_authenticate_message_decode(p, len, &am) || !ntlmssp_has_mic(&am))
		return;
	wire_dec_init(&d, p, len);
	d.pos = NTLMSSP_AUTH_MIC_OFFSET;
	if (!ntlmssp_mic_dec(&d, &mic))
		ntlmssp_mic_print(printer, "ntlmssp", &mic);
}

/* NTLMSSP tokens sit inside SPNEGO; find them by their signature. */
static void dump_embedded_ntlmssp(const u8 *p, u32 len)
{
	u32 i;

	for (i = 0; i + 12 <= len; i++) {
		const struct body_type *bt = ntlmssp_body(p + i, len - i);

		if (!bt)
			continue;
		dump_ntlmssp(bt, p + i, len - i);
		return;
	}
}

static const struct body_type *smb2_body_for(const struct smb2_hdr *h,
					      const u8 *body, u32 len)
{
	int rsp = !!(h->flags & SMB2_FLAGS_SERVER_TO_REDIR);
	struct smb2_body_prefix pre = { 0 };
	u16 ssize;

	smb2_body_prefix_decode(body, len, &pre);	/* too short: 0, no body */
	ssize = pre.structure_size;

	if (h->command >= sizeof(smb2_bodies) / sizeof(smb2_bodies[0]))
		return NULL;
	if (rsp && !status_has_body(h->command, h->status) && ssize == 9)
		return &body_smb2_error_rsp;
	if (h->command == SMB2_OPLOCK_BREAK)
		return ssize == 44 ? &body_smb2_lease_break_ntf :
		       ssize == 36 ? &body_smb2_lease_break_req :
		       smb2_bodies[SMB2_OPLOCK_BREAK][rsp];
	return smb2_bodies[h->command][rsp];
}

/* One SMB2 message or compound chain. */
static void dump_smb2(const u8 *buf, u32 len)
{
	u32 at = 0;
	int n = 0;

	if (!len)
		report("smb2_hdr", -WIRE_ETRUNC);
	while (at < len) {
		const struct body_type *bt;
		struct smb2_hdr h;
		struct wire_dec d;
		u32 end = len;
		char name[32];
		int rc;

		wire_dec_init(&d, buf + at, len - at);
		rc = smb2_hdr_dec(&d, &h);
		if (rc) {
			report("smb2_hdr", rc);
			return;
		}
		if (h.next_command) {
			if (h.next_command < 64 || h.next_command > len - at ||
			    h.next_command % 8) {
				wire_print_line(printer, "bad next_command %u", h.next_command);
				failures++;
				return;
			}
			end = at + h.next_command;
		}
		d.end = d.len = end - at;
		/* a compound chain prints as messages[i].field */
		if (n || h.next_command)
			snprintf(name, sizeof(name), "messages[%d]", n);
		else
			snprintf(name, sizeof(name), "hdr");
		smb2_hdr_print(printer, name, &h);
		bt = smb2_body_for(&h, buf + at + 64, end - at - 64);
		if (bt) {
			if (!n && !h.next_command)
				snprintf(name, sizeof(name), "body");
			dump_body(bt, &d, name);
		}
		if (h.command == SMB2_SESSION_SETUP && !printer->flat)
			dump_embedded_ntlmssp(buf + at + 64, end - at - 64);
		if (!h.next_command)
			break;
		at += h.next_command;
		n++;
	}
}

/*
 * Decode buf as type (smb2, ntlmssp or dcerpc) and print it with p.
 * Returns the number of messages that failed to decode, or -1 for an
 * unknown type.
 */
int wire_dump(const char *type, const u8 *buf, u32 len, struct wire_printer *p)
{
	struct wire_dec d;

	printer = p;
	failures = 0;
	if (!strcmp(type, "smb2")) {
		struct smb2_transport_hdr th;

		/* with its transport header (as captured from TCP): skip it */
		if (!smb2_transport_hdr_decode(buf, len, &th) &&
		    th.length == len - SMB2_TRANSPORT_HDR_SIZE) {
			buf += SMB2_TRANSPORT_HDR_SIZE;
			len -= SMB2_TRANSPORT_HDR_SIZE;
		}
		dump_smb2(buf, len);
	} else if (!strcmp(type, "ntlmssp")) {
		const struct body_type *bt = ntlmssp_body(buf, len);

		if (!bt) {
			report("ntlmssp", -WIRE_EVALUE);
			return failures;
		}
		dump_ntlmssp(bt, buf, len);
	} else if (!strcmp(type, "dcerpc")) {
		wire_dec_init(&d, buf, len);
		dump_body(&body_dcerpc_pdu, &d, "pdu");
	} else if (!strcmp(type, "sid")) {
		wire_dec_init(&d, buf, len);
		dump_body(&body_dom_sid, &d, "sid");
	} else if (!strcmp(type, "sd")) {
		wire_dec_init(&d, buf, len);
		dump_body(&body_security_descriptor, &d, "sd");
	} else {
		return -1;
	}
	return failures;
}

int wire_dump_smb2(const u8 *buf, u32 len, struct wire_printer *p)
{
	printer = p;
	failures = 0;
	dump_smb2(buf, len);
	return failures;
}

static union {
	u64 align;
	u8 bytes[1 << 16];
} reobj;

/*
 * Decode one message (an SMB2 header and body, an NTLMSSP message or a
 * DCE/RPC PDU) and encode it again into out. 0 or a negative WIRE_E*.
 */
int wire_reencode(const char *type, const u8 *buf, u32 len, u8 *out, u32 cap,
		  u32 *used)
{
	const struct body_type *bt = NULL;
	struct wire_dec d;
	struct wire_enc e;
	int rc;

	wire_dec_init(&d, buf, len);
	wire_enc_init(&e, out, cap);
	memset(&reobj, 0, sizeof(reobj));
	if (!strcmp(type, "smb2")) {
		struct smb2_hdr h;

		rc = smb2_hdr_dec(&d, &h);
		if (rc)
			return rc;
		if (h.next_command)
			return -WIRE_ETRAIL;	/* one message at a time */
		bt = smb2_body_for(&h, buf + 64, len - 64);
		if (!bt)
			return -WIRE_ESWITCH;
		rc = smb2_hdr_enc(&e, &h);
		if (rc)
			return rc;
	} else if (!strcmp(type, "ntlmssp")) {
		bt = ntlmssp_body(buf, len);
	} else if (!strcmp(type, "dcerpc")) {
		bt = &body_dcerpc_pdu;
	}
	if (!bt)
		return -WIRE_ESWITCH;
	rc = bt->dec(&d, &reobj);
	if (rc)
		return rc;
	rc = bt->enc(&e, &reobj);
	if (rc)
		return rc;
	*used = e.pos;
	return 0;
}
