// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The DCE/RPC connection-oriented server behind the IPC$ pipes: the pipe
 * table, the PDU layer (bind / alter_context, request reassembly, response
 * fragmentation, faults, bind_nak), dispatch to the interface services by
 * presentation context and opnum, and the context handles. See rpc.h for
 * what the data path sends and gets back.
 *
 * Each pipe is an independent association: its presentation contexts,
 * input bytes, queued response fragments and context handles belong to it
 * and go with it. Nothing here trusts a length it has not checked: the
 * generated decoders check every PDU, and the fragment layer only slices
 * the input at frag_length once the whole fragment is there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "dcerpc.h"
#include "lsarpc.h"
#include "netlink.h"
#include "security.h"

#include "log.h"
#include "rpc.h"

/* Transfer syntaxes, as on the wire (C706 / MS-RPCE 2.2.4.x). */
static const u8 ndr20_uuid[16] = {
	0x04, 0x5d, 0x88, 0x8a, 0xeb, 0x1c, 0xc9, 0x11,
	0x9f, 0xe8, 0x08, 0x00, 0x2b, 0x10, 0x48, 0x60,
};

/* The first 8 bytes of a bind time feature negotiation UUID. */
static const u8 btfn_prefix[8] = {
	0x2c, 0x1c, 0xb7, 0x6c, 0x12, 0x98, 0x40, 0x45,
};

#define RPC_HDR_LEN		16
#define RPC_RESPONSE_HDR_LEN	24	/* header + alloc_hint, ctx, cancel */
#define RPC_FAULT_ALLOC_HINT	32
#define RPC_PIPE_NAME_MAX	64

/* The method of a request: exactly one of these bits. */
#define RPC_METHOD_MASK	(0x08u | SMBD_NL_RPC_OPEN_METHOD | \
			 SMBD_NL_RPC_WRITE_METHOD | 0x40u | \
			 SMBD_NL_RPC_CLOSE_METHOD)

/* Features we answer in a bind time feature negotiation. */
#define RPC_BIND_FEATURES	(DCERPC_BIND_TIME_SECURITY_CONTEXT_MULTIPLEXING | \
				 DCERPC_BIND_TIME_KEEP_CONNECTION_ON_ORPHAN)

/* ---------------------------------------------------------------------- */
/* endpoints: which interfaces a pipe name offers */

struct rpc_endpoint {
	const char *name;		/* as opened, without "\PIPE\" */
	uint32_t invoke;		/* in-tree ksmbd's *_METHOD_INVOKE bit */
	const char *port;		/* bind_ack secondary address */
	const struct rpc_service *const *services;
};

static const struct rpc_service *const srvsvc_services[] = {
	&rpc_srvsvc_service, NULL,
};

static const struct rpc_service *const wkssvc_services[] = {
	&rpc_wkssvc_service, NULL,
};

/* On Windows samr, lsarpc and lsass are names of one lsass endpoint. */
static const struct rpc_service *const lsass_services[] = {
	&rpc_lsarpc_service, &rpc_dssetup_service, &rpc_samr_service, NULL,
};

static const struct rpc_endpoint endpoints[] = {
	{ "srvsvc", SMBD_NL_RPC_SRVSVC_METHOD_INVOKE, "\\PIPE\\srvsvc",
	  srvsvc_services },
	{ "wkssvc", SMBD_NL_RPC_WKSSVC_METHOD_INVOKE, "\\PIPE\\wkssvc",
	  wkssvc_services },
	{ "samr", SMBD_NL_RPC_SAMR_METHOD_INVOKE, "\\PIPE\\samr",
	  lsass_services },
	{ "lsarpc", SMBD_NL_RPC_LSARPC_METHOD_INVOKE, "\\PIPE\\lsarpc",
	  lsass_services },
	{ "lsass", 0, "\\PIPE\\lsass", lsass_services },
};

#define NR_ENDPOINTS (sizeof(endpoints) / sizeof(endpoints[0]))

/* ---------------------------------------------------------------------- */
/* state */

struct rpc_handle {
	struct rpc_handle *next;
	enum rpc_handle_kind kind;
	struct policy_handle wire;
	void *data;
};

struct rpc_ctx {
	uint16_t id;
	const struct rpc_service *svc;
};

/* One response fragment (a pipe message) waiting to be read. */
struct rpc_frag {
	struct rpc_frag *next;
	uint8_t *buf;
	uint32_t len;
	uint32_t off;		/* bytes already read */
};

struct rpc_pipe {
	struct rpc_pipe *next;
	struct rpc_server *srv;
	uint64_t peer;
	uint32_t handle;
	const struct rpc_endpoint *ep;
	char *account;		/* NULL: not told */

	bool bound;
	uint16_t max_xmit;	/* fragment size we send */
	uint32_t assoc_group;
	struct rpc_ctx ctx[RPC_MAX_CONTEXTS];
	unsigned int nctx;

	uint8_t *in;		/* unparsed input */
	uint32_t in_len;

	/* the request being reassembled */
	bool partial;
	uint32_t call_id;
	uint16_t ctx_id;
	uint16_t opnum;
	uint8_t *stub;
	uint32_t stub_len;

	struct rpc_frag *out_head;
	struct rpc_frag *out_tail;
	uint32_t out_bytes;
	bool out_full_logged;

	struct rpc_handle *handles;
	unsigned int nhandles;
};

struct rpc_server {
	struct rpc_pipe *pipes;
	size_t npipes;
	struct subauth sa;
	bool sa_ready;
	uint64_t buffered;	/* input, reassembly and output bytes held */
	uint32_t next_assoc;
	uint64_t handle_serial;
	uint8_t handle_salt[8];
};

/* What one batch of input is handled with. */
struct rpc_input {
	const struct rpc_env *env;
	bool restricted;
};

struct rpc_server *rpc_server_new(TALLOC_CTX *mem_ctx)
{
	struct rpc_server *srv = talloc_zero(mem_ctx, struct rpc_server);

	if (!srv)
		return NULL;
	/* handles of a restarted daemon must not match old ones */
	if (getrandom(srv->handle_salt, sizeof(srv->handle_salt), 0) !=
	    (ssize_t)sizeof(srv->handle_salt))
		memset(srv->handle_salt, 0x5a, sizeof(srv->handle_salt));
	srv->next_assoc = 0x5000 + (srv->handle_salt[0] << 4);
	return srv;
}

size_t rpc_server_pipes(const struct rpc_server *srv)
{
	return srv->npipes;
}

uint64_t rpc_server_buffered(const struct rpc_server *srv)
{
	return srv->buffered;
}

/* ---------------------------------------------------------------------- */
/* the pipe table */

static struct rpc_pipe *pipe_find(struct rpc_server *srv, uint64_t peer,
				  uint32_t handle)
{
	struct rpc_pipe *p;

	for (p = srv->pipes; p; p = p->next)
		if (p->peer == peer && p->handle == handle)
			return p;
	return NULL;
}

/* Room for @n more buffered bytes, server-wide? */
static bool budget_ok(const struct rpc_server *srv, uint64_t n)
{
	return n <= RPC_MAX_BUFFERED - srv->buffered;
}

static void pipe_unlink(struct rpc_server *srv, struct rpc_pipe *p)
{
	struct rpc_pipe **pp;

	srv->buffered -= (uint64_t)p->in_len + p->stub_len + p->out_bytes;
	for (pp = &srv->pipes; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			srv->npipes--;
			break;
		}
	}
	talloc_free(p);
}

static size_t peer_pipes(const struct rpc_server *srv, uint64_t peer)
{
	const struct rpc_pipe *p;
	size_t n = 0;

	for (p = srv->pipes; p; p = p->next)
		n += p->peer == peer;
	return n;
}

size_t rpc_server_peer_gone(struct rpc_server *srv, uint64_t peer)
{
	struct rpc_pipe *p, *next;
	size_t n = 0;

	for (p = srv->pipes; p; p = next) {
		next = p->next;
		if (p->peer == peer) {
			pipe_unlink(srv, p);
			n++;
		}
	}
	return n;
}

/* "srvsvc", "\PIPE\srvsvc", "\srvsvc" (any case) name the same pipe. */
static const struct rpc_endpoint *endpoint_by_name(const uint8_t *data,
						   size_t n)
{
	char name[RPC_PIPE_NAME_MAX + 1];
	const char *s = name;
	size_t i;

	if (n == 0 || n > RPC_PIPE_NAME_MAX)
		return NULL;
	memcpy(name, data, n);
	name[n] = 0;
	if (!strncasecmp(s, "\\pipe\\", 6))
		s += 6;
	else if (s[0] == '\\')
		s++;
	for (i = 0; i < NR_ENDPOINTS; i++)
		if (!strcasecmp(s, endpoints[i].name))
			return &endpoints[i];
	return NULL;
}

static const struct rpc_endpoint *endpoint_by_bits(uint32_t flags)
{
	const struct rpc_endpoint *found = NULL;
	size_t i;

	for (i = 0; i < NR_ENDPOINTS; i++) {
		if (!endpoints[i].invoke || !(flags & endpoints[i].invoke))
			continue;
		if (found)
			return NULL;	/* two services: neither */
		found = &endpoints[i];
	}
	return found;
}

/*
 * The OPEN payload, netlink.idl smbd_nl_rpc_open: the service and the
 * account ("" for none), each with its NUL. Also taken, as before that
 * declaration: the service alone, with or without its NUL (test tools and
 * older data paths). The in-tree ksmbd sends nothing; pipe_open() handles
 * that case by the method bits. A view's length leaves the NUL out.
 */
struct open_args {
	const uint8_t *service;
	size_t service_len;
	const uint8_t *account;
	size_t account_len;
};

static int open_args_parse(const uint8_t *data, uint32_t len,
			   struct open_args *a)
{
	struct smbd_nl_rpc_open req;
	const uint8_t *nul;

	memset(a, 0, sizeof(*a));
	if (!smbd_nl_rpc_open_decode(data, len, &req)) {
		/* until(c, 0) succeeded: each sequence ends in its NUL */
		a->service = req.service.p;
		a->service_len = req.service.len - 1;
		a->account = req.account.p;
		a->account_len = req.account.len - 1;
		return 0;
	}
	nul = memchr(data, 0, len);
	if (nul && nul != data + len - 1)
		return -1;	/* a second string without its NUL */
	a->service = data;
	a->service_len = nul ? len - 1 : len;
	return 0;
}

/* No account, or one too long for the user database: the pipe has none. */
static char *open_account(TALLOC_CTX *mem, const struct open_args *a)
{
	if (!a->account_len || a->account_len > USERDB_NAME_MAX)
		return NULL;
	return talloc_strndup(mem, (const char *)a->account, a->account_len);
}

const char *rpc_pipe_account(const struct rpc_pipe *pipe)
{
	return pipe->account;
}

static uint32_t pipe_open(struct rpc_server *srv, uint64_t peer,
			  uint32_t handle, uint32_t flags,
			  const uint8_t *data, uint32_t len)
{
	const struct rpc_endpoint *ep = NULL;
	struct open_args args = { 0 };
	struct rpc_pipe *p;

	if (!len)
		ep = endpoint_by_bits(flags);
	else if (!open_args_parse(data, len, &args))
		ep = endpoint_by_name(args.service, args.service_len);
	if (!ep) {
		pr_debug("rpc: open of pipe %u: not a pipe we serve", handle);
		return SMBD_NL_RPC_ENOTIMPLEMENTED;
	}
	if (pipe_find(srv, peer, handle)) {
		pr_warn("rpc: pipe id %u opened twice", handle);
		return SMBD_NL_RPC_EINVALID_PARAMETER;
	}
	if (peer_pipes(srv, peer) >= RPC_MAX_PIPES)
		return SMBD_NL_RPC_ENOMEM;
	p = talloc_zero(srv, struct rpc_pipe);
	if (!p)
		return SMBD_NL_RPC_ENOMEM;
	p->srv = srv;
	p->peer = peer;
	p->handle = handle;
	p->ep = ep;
	p->account = open_account(p, &args);
	p->max_xmit = RPC_MAX_XMIT_FRAG;
	p->next = srv->pipes;
	srv->pipes = p;
	srv->npipes++;
	pr_debug("rpc: pipe %u opened: %s", handle, ep->name);
	return SMBD_NL_RPC_OK;
}

/* ---------------------------------------------------------------------- */
/* output: response fragments */

static void queue_frag(struct rpc_pipe *p, uint8_t *buf, uint32_t len)
{
	struct rpc_frag *f;

	/* out_bytes never passes RPC_MAX_OUTPUT: no underflow here */
	if (len > RPC_MAX_OUTPUT - p->out_bytes || !budget_ok(p->srv, len)) {
		if (!p->out_full_logged)
			pr_warn("rpc: pipe %u: client does not read its responses; dropping them",
				p->handle);
		p->out_full_logged = true;
		talloc_free(buf);
		return;
	}
	f = talloc_zero(p, struct rpc_frag);
	if (!f) {
		talloc_free(buf);
		return;
	}
	f->buf = talloc_steal(f, buf);
	f->len = len;
	if (p->out_tail)
		p->out_tail->next = f;
	else
		p->out_head = f;
	p->out_tail = f;
	p->out_bytes += len;
	p->srv->buffered += len;
}

/* Encode one PDU (frag_length computed) and queue it. */
static void queue_pdu(struct rpc_pipe *p, struct dcerpc_pdu *pdu)
{
	long n;
	uint8_t *buf;
	size_t used = 0;

	pdu->rpc_vers = DCERPC_RPC_VERS;
	pdu->rpc_vers_minor = DCERPC_RPC_VERS_MINOR;
	pdu->drep[0] = DCERPC_DREP_LE;
	n = dcerpc_pdu_size(pdu);
	if (n <= 0 || n > 0xffff) {
		pr_err("rpc: a PDU of type %u does not encode (%ld)",
		       pdu->ptype, n);
		return;
	}
	buf = talloc_size(p, (size_t)n);
	if (!buf)
		return;
	if (dcerpc_pdu_encode(buf, (size_t)n, pdu, &used) || used != (size_t)n) {
		talloc_free(buf);
		return;
	}
	queue_frag(p, buf, (uint32_t)n);
}

static void send_fault(struct rpc_pipe *p, uint32_t call_id, uint16_t ctx_id,
		       uint32_t status)
{
	struct dcerpc_pdu pdu;

	memset(&pdu, 0, sizeof(pdu));
	pdu.ptype = DCERPC_PKT_FAULT;
	pdu.pfc_flags = DCERPC_PFC_FIRST_FRAG | DCERPC_PFC_LAST_FRAG |
			DCERPC_PFC_DID_NOT_EXECUTE;
	pdu.call_id = call_id;
	pdu.body.fault.alloc_hint = RPC_FAULT_ALLOC_HINT;
	pdu.body.fault.p_cont_id = ctx_id;
	pdu.body.fault.status = status;
	pr_debug("rpc: pipe %u call %u: fault 0x%08x", p->handle, call_id,
		 status);
	queue_pdu(p, &pdu);
}

static void send_bind_nak(struct rpc_pipe *p, uint32_t call_id,
			  uint16_t reason)
{
	static const struct dcerpc_version v50 = { 5, 0 };
	struct dcerpc_pdu pdu;

	memset(&pdu, 0, sizeof(pdu));
	pdu.ptype = DCERPC_PKT_BIND_NAK;
	pdu.pfc_flags = DCERPC_PFC_FIRST_FRAG | DCERPC_PFC_LAST_FRAG;
	pdu.call_id = call_id;
	pdu.body.bind_nak.reject_reason = reason;
	pdu.body.bind_nak.protocols.items = &v50;
	pdu.body.bind_nak.protocols.count = 1;
	pr_debug("rpc: pipe %u call %u: bind_nak %u", p->handle, call_id,
		 reason);
	queue_pdu(p, &pdu);
}

/*
 * The stub of a response in fragments of at most max_xmit bytes. Each
 * fragment but the last carries a multiple of 8 stub bytes, so that no
 * NDR primitive straddles two fragments.
 */
static void send_response(struct rpc_pipe *p, uint32_t call_id,
			  uint16_t ctx_id, const uint8_t *stub, uint32_t len)
{
	uint32_t room = (uint32_t)(p->max_xmit - RPC_RESPONSE_HDR_LEN) & ~7u;
	uint32_t off = 0;

	if (len > RPC_MAX_OUTPUT - p->out_bytes || !budget_ok(p->srv, len)) {
		send_fault(p, call_id, ctx_id,
			   DCERPC_NCA_S_FAULT_REMOTE_NO_MEMORY);
		return;
	}
	do {
		struct dcerpc_pdu pdu;
		uint32_t chunk = len - off < room ? len - off : room;

		memset(&pdu, 0, sizeof(pdu));
		pdu.ptype = DCERPC_PKT_RESPONSE;
		pdu.call_id = call_id;
		if (off == 0)
			pdu.pfc_flags |= DCERPC_PFC_FIRST_FRAG;
		if (off + chunk == len)
			pdu.pfc_flags |= DCERPC_PFC_LAST_FRAG;
		pdu.body.response.alloc_hint = len - off;
		pdu.body.response.p_cont_id = ctx_id;
		pdu.body.response.stub.p = stub + off;
		pdu.body.response.stub.len = chunk;
		queue_pdu(p, &pdu);
		off += chunk;
	} while (off < len);
}

/* READ: the next fragment, or as much of it as fits. */
static uint32_t pipe_read(struct rpc_pipe *p, uint32_t max_out,
			  TALLOC_CTX *mem, uint8_t **out, uint32_t *out_len)
{
	struct rpc_frag *f = p->out_head;
	uint32_t n;

	if (!f)
		return SMBD_NL_RPC_OK;
	if (!max_out)
		return SMBD_NL_RPC_EINVALID_PARAMETER;
	n = f->len - f->off < max_out ? f->len - f->off : max_out;
	*out = talloc_memdup(mem, f->buf + f->off, n);
	if (!*out)
		return SMBD_NL_RPC_ENOMEM;
	*out_len = n;
	f->off += n;
	p->out_bytes -= n;
	p->srv->buffered -= n;
	if (f->off < f->len)
		return SMBD_NL_RPC_EMORE_DATA;
	p->out_head = f->next;
	if (!p->out_head)
		p->out_tail = NULL;
	talloc_free(f);
	return SMBD_NL_RPC_OK;
}

/* ---------------------------------------------------------------------- */
/* context handles */

void *rpc_handle_new(struct rpc_call *call, enum rpc_handle_kind kind,
		     size_t size, struct policy_handle *wire)
{
	struct rpc_pipe *p = call->pipe;
	struct rpc_server *srv = p->srv;
	struct rpc_handle *h;
	uint64_t serial;

	if (p->nhandles >= RPC_MAX_HANDLES)
		return NULL;
	h = talloc_zero(p, struct rpc_handle);
	if (!h)
		return NULL;
	h->data = talloc_zero_size(h, size ? size : 1);
	if (!h->data) {
		talloc_free(h);
		return NULL;
	}
	h->kind = kind;
	serial = ++srv->handle_serial;
	memcpy(h->wire.uuid.b, srv->handle_salt, 8);
	wire_st64(h->wire.uuid.b + 8, serial);
	h->wire.uuid.b[15] = (uint8_t)kind;	/* never all zero */
	h->next = p->handles;
	p->handles = h;
	p->nhandles++;
	*wire = h->wire;
	return h->data;
}

static struct rpc_handle **handle_slot(struct rpc_pipe *p,
				       const struct policy_handle *wire)
{
	struct rpc_handle **hh;

	for (hh = &p->handles; *hh; hh = &(*hh)->next)
		if ((*hh)->wire.handle_type == wire->handle_type &&
		    !memcmp((*hh)->wire.uuid.b, wire->uuid.b, 16))
			return hh;
	return NULL;
}

void *rpc_handle_find(struct rpc_call *call, const struct policy_handle *wire,
		      enum rpc_handle_kind kind, uint32_t *status)
{
	struct rpc_handle **hh = handle_slot(call->pipe, wire);

	if (!hh) {
		*status = NT_STATUS_INVALID_HANDLE;
		return NULL;
	}
	if ((*hh)->kind != kind) {
		*status = NT_STATUS_OBJECT_TYPE_MISMATCH;
		return NULL;
	}
	*status = NT_STATUS_OK;
	return (*hh)->data;
}

uint32_t rpc_handle_close(struct rpc_call *call,
			  const struct policy_handle *wire, uint32_t kinds)
{
	struct rpc_handle **hh = handle_slot(call->pipe, wire);
	struct rpc_handle *h;

	if (!hh)
		return NT_STATUS_INVALID_HANDLE;
	h = *hh;
	if (!(kinds & (1u << h->kind)))
		return NT_STATUS_OBJECT_TYPE_MISMATCH;
	*hh = h->next;
	call->pipe->nhandles--;
	talloc_free(h);
	return NT_STATUS_OK;
}

/* ---------------------------------------------------------------------- */
/* SIDs */

void rpc_sid_builtin(struct rpc_sid *out)
{
	memset(out, 0, sizeof(*out));
	out->auth = 5;
	out->n = 1;
	out->sub[0] = 32;
}

void rpc_sid_domain(const struct rpc_call *call, struct rpc_sid *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	out->auth = 5;
	out->n = 1 + SUBAUTH_COUNT;
	out->sub[0] = 21;
	for (i = 0; i < SUBAUTH_COUNT; i++)
		out->sub[1 + i] = call->env->sa->sub[i];
}

bool rpc_sid_append(struct rpc_sid *sid, const struct rpc_sid *dom,
		    uint32_t rid)
{
	if (dom->n >= RPC_SID_MAX_SUBS)
		return false;
	*sid = *dom;
	sid->sub[sid->n++] = rid;
	return true;
}

bool rpc_sid_equal(const struct rpc_sid *a, const struct rpc_sid *b)
{
	return a->auth == b->auth && a->n == b->n &&
	       !memcmp(a->sub, b->sub, a->n * sizeof(a->sub[0]));
}

bool rpc_sid_in(const struct rpc_sid *sid, const struct rpc_sid *dom,
		uint32_t *rid)
{
	if (sid->auth != dom->auth || sid->n != dom->n + 1 ||
	    memcmp(sid->sub, dom->sub, dom->n * sizeof(dom->sub[0])))
		return false;
	if (rid)
		*rid = sid->sub[dom->n];
	return true;
}

bool rpc_sid_from_ndr(struct rpc_sid *out, const struct dom_sid2 *in)
{
	unsigned int i;

	memset(out, 0, sizeof(*out));
	if (!in || in->sid_rev_num != 1 || in->num_auths > RPC_SID_MAX_SUBS)
		return false;
	for (i = 0; i < 5; i++)
		if (in->id_auth[i])
			return false;
	if (in->num_auths && !in->sub_auths)
		return false;
	out->auth = in->id_auth[5];
	out->n = in->num_auths;
	for (i = 0; i < in->num_auths; i++)
		out->sub[i] = in->sub_auths[i];
	return true;
}

struct dom_sid2 *rpc_sid_to_ndr(TALLOC_CTX *mem, const struct rpc_sid *in)
{
	struct dom_sid2 *s = talloc_zero(mem, struct dom_sid2);
	unsigned int i;

	if (!s)
		return NULL;
	s->sid_rev_num = 1;
	s->num_auths = in->n;
	s->id_auth[5] = in->auth;
	s->sub_auths = talloc_array(s, u32, in->n ? in->n : 1);
	if (!s->sub_auths) {
		talloc_free(s);
		return NULL;
	}
	for (i = 0; i < in->n; i++)
		s->sub_auths[i] = in->sub[i];
	return s;
}

const char *rpc_sid_string(const struct rpc_sid *sid, char *buf, size_t size)
{
	size_t used;
	unsigned int i;
	int n = snprintf(buf, size, "S-1-%u", sid->auth);

	if (n < 0 || (size_t)n >= size)
		return buf;
	used = (size_t)n;
	for (i = 0; i < sid->n; i++) {
		n = snprintf(buf + used, size - used, "-%u", sid->sub[i]);
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
	return buf;
}

/* A security.idl SID viewing the numbers of @in (kept in @subs). */
static void sd_sid(struct dom_sid *out, const struct rpc_sid *in, u32 *subs)
{
	unsigned int i;

	memset(out, 0, sizeof(*out));
	out->revision = SEC_SID_REVISION;
	out->sub_authority_count = in->n;
	out->identifier_authority[5] = in->auth;
	for (i = 0; i < in->n; i++)
		subs[i] = in->sub[i];
	out->sub_authority.items = subs;
	out->sub_authority.count = in->n;
}

uint8_t *rpc_sd_build(TALLOC_CTX *mem, const struct rpc_sid *owner,
		      const struct rpc_sid *group, const struct rpc_ace *aces,
		      unsigned int n, uint32_t *len)
{
	u32 subs[2 + 8][RPC_SID_MAX_SUBS];
	struct security_ace ace[8];
	struct security_descriptor sd;
	uint8_t *buf;
	size_t used = 0;
	unsigned int i;
	long size;

	if (n > 8)
		return NULL;
	memset(&sd, 0, sizeof(sd));
	sd.revision = SEC_DESCRIPTOR_REVISION;
	sd.control = SEC_SE_SELF_RELATIVE | SEC_SE_DACL_PRESENT;
	if (owner) {
		sd.owner_present = 1;
		sd_sid(&sd.owner, owner, subs[0]);
	}
	if (group) {
		sd.group_present = 1;
		sd_sid(&sd.group, group, subs[1]);
	}
	memset(ace, 0, sizeof(ace));
	for (i = 0; i < n; i++) {
		ace[i].type = SEC_ACCESS_ALLOWED_ACE_TYPE;
		ace[i].body.allowed.mask = aces[i].mask;
		sd_sid(&ace[i].body.allowed.sid, &aces[i].sid, subs[2 + i]);
	}
	sd.dacl_present = 1;
	sd.dacl.revision = SEC_ACL_REVISION;
	sd.dacl.aces.items = ace;
	sd.dacl.aces.count = n;
	size = security_descriptor_size(&sd);
	if (size <= 0)
		return NULL;
	buf = talloc_size(mem, (size_t)size);
	if (!buf)
		return NULL;
	if (security_descriptor_encode(buf, (size_t)size, &sd, &used) ||
	    used != (size_t)size) {
		talloc_free(buf);
		return NULL;
	}
	*len = (uint32_t)size;
	return buf;
}

const char *rpc_domain_name(const struct rpc_call *call)
{
	return call->env->cfg->global.netbios_name;
}

bool rpc_name_equal(const char *a, const char *b)
{
	return a && b && !strcasecmp(a, b);
}

/* ---------------------------------------------------------------------- */
/* bind and alter_context */

static const struct rpc_service *find_service(const struct rpc_endpoint *ep,
					      const struct dcerpc_syntax_id *as)
{
	uint16_t major = (uint16_t)(as->if_version & 0xffff);
	uint16_t minor = (uint16_t)(as->if_version >> 16);
	size_t i;

	for (i = 0; ep->services[i]; i++) {
		const struct wire_ndr_iface *it = ep->services[i]->iface;

		if (!memcmp(it->uuid, as->if_uuid.b, 16) &&
		    it->ver_major == major && minor <= it->ver_minor)
			return ep->services[i];
	}
	return NULL;
}

static bool is_ndr20(const struct dcerpc_syntax_id *ts)
{
	return !memcmp(ts->if_uuid.b, ndr20_uuid, 16) &&
	       ts->if_version == DCERPC_NDR_SYNTAX_VERSION;
}

static bool is_btfn(const struct dcerpc_syntax_id *ts)
{
	return !memcmp(ts->if_uuid.b, btfn_prefix, sizeof(btfn_prefix)) &&
	       ts->if_version == DCERPC_BIND_TIME_FEATURES_VERSION;
}

static struct rpc_ctx *find_ctx(struct rpc_pipe *p, uint16_t id)
{
	unsigned int i;

	for (i = 0; i < p->nctx; i++)
		if (p->ctx[i].id == id)
			return &p->ctx[i];
	return NULL;
}

/*
 * Bind context @el to its service: true, or false with the reason to
 * refuse it. @ndr: NDR20 is among its transfer syntaxes.
 */
static bool add_ctx(struct rpc_pipe *p, const struct dcerpc_ctx_elem *el,
		    bool ndr, uint16_t *reason)
{
	const struct rpc_service *svc = find_service(p->ep, &el->abstract_syntax);
	struct rpc_ctx *c;

	if (!svc) {
		*reason = DCERPC_ACK_REASON_ABSTRACT_SYNTAX_NOT_SUPPORTED;
		return false;
	}
	/* NDR64 is not generated: a context offering only it is refused */
	if (!ndr) {
		*reason = DCERPC_ACK_REASON_TRANSFER_SYNTAXES_NOT_SUPPORTED;
		return false;
	}
	c = find_ctx(p, el->p_cont_id);
	if (c) {
		*reason = DCERPC_ACK_REASON_NOT_SPECIFIED;
		return c->svc == svc;	/* the same again is fine */
	}
	if (p->nctx >= RPC_MAX_CONTEXTS) {
		*reason = DCERPC_ACK_REASON_LOCAL_LIMIT_EXCEEDED;
		return false;
	}
	c = &p->ctx[p->nctx++];
	c->id = el->p_cont_id;
	c->svc = svc;
	return true;
}

/* The answer to one proposed presentation context. */
static void negotiate_ctx(struct rpc_pipe *p, const struct dcerpc_ctx_elem *el,
			  struct dcerpc_result *res)
{
	struct dcerpc_syntax_id ts;
	struct wire_seq_iter it;
	bool ndr = false;

	memset(res, 0, sizeof(*res));
	wire_seq_iter_init(&it, &el->transfer_syntaxes);
	while (dcerpc_syntax_id_seq_next(&it, &ts) > 0) {
		if (is_btfn(&ts)) {
			/* bits requested are in the UUID's 9th octet */
			res->result = DCERPC_ACK_RESULT_NEGOTIATE_ACK;
			res->reason = ts.if_uuid.b[8] & RPC_BIND_FEATURES;
			return;
		}
		ndr |= is_ndr20(&ts);
	}
	if (!add_ctx(p, el, ndr, &res->reason)) {
		res->result = DCERPC_ACK_RESULT_PROVIDER_REJECTION;
		return;
	}
	res->reason = 0;
	res->result = DCERPC_ACK_RESULT_ACCEPTANCE;
	memcpy(res->transfer_syntax.if_uuid.b, ndr20_uuid, 16);
	res->transfer_syntax.if_version = DCERPC_NDR_SYNTAX_VERSION;
}

/*
 * A bind or alter_context that gets no ack: send its bind_nak (bind) or
 * fault (alter_context) and return true.
 */
static bool bind_refused(struct rpc_pipe *p, const struct dcerpc_pdu *req,
			 const struct dcerpc_bind *b)
{
	bool alter = req->ptype == DCERPC_PKT_ALTER;
	uint32_t fault = 0;
	int nak = -1;

	if (alter && !p->bound) {
		fault = DCERPC_NCA_S_PROTO_ERROR;
	} else if (!alter && p->bound) {
		nak = DCERPC_BIND_NAK_REASON_NOT_SPECIFIED;
	} else if (req->auth_length) {
		/* DCE/RPC authentication is not offered: the SMB session is */
		fault = alter ? DCERPC_NCA_S_FAULT_ACCESS_DENIED : 0;
		nak = DCERPC_BIND_NAK_REASON_AUTHENTICATION_TYPE_NOT_RECOGNIZED;
	} else if (!alter && (b->max_recv_frag < RPC_MIN_FRAG ||
			      b->max_xmit_frag < RPC_MIN_FRAG)) {
		nak = DCERPC_BIND_NAK_REASON_LOCAL_LIMIT_EXCEEDED;
	} else if (!b->ctx_list.n_context_elem) {
		fault = alter ? DCERPC_NCA_S_PROTO_ERROR : 0;
		nak = DCERPC_BIND_NAK_REASON_NOT_SPECIFIED;
	}
	if (fault)
		send_fault(p, req->call_id, 0, fault);
	else if (nak >= 0)
		send_bind_nak(p, req->call_id, (uint16_t)nak);
	return fault || nak >= 0;
}

static void do_bind(struct rpc_pipe *p, const struct dcerpc_pdu *req)
{
	bool alter = req->ptype == DCERPC_PKT_ALTER;
	const struct dcerpc_bind *b = alter ? &req->body.alter : &req->body.bind;
	struct dcerpc_result res[256];
	struct dcerpc_ctx_elem el;
	struct wire_seq_iter it;
	struct dcerpc_pdu ack;
	unsigned int n = 0;

	if (bind_refused(p, req, b))
		return;
	wire_seq_iter_init(&it, &b->ctx_list.p_cont_elem);
	while (n < 256 && dcerpc_ctx_elem_seq_next(&it, &el) > 0)
		negotiate_ctx(p, &el, &res[n++]);

	if (!alter) {
		p->bound = true;
		p->max_xmit = b->max_recv_frag < RPC_MAX_XMIT_FRAG ?
			      b->max_recv_frag : RPC_MAX_XMIT_FRAG;
		p->assoc_group = b->assoc_group_id;
		if (!p->assoc_group)
			p->assoc_group = ++p->srv->next_assoc;
	}

	memset(&ack, 0, sizeof(ack));
	ack.ptype = alter ? DCERPC_PKT_ALTER_RESP : DCERPC_PKT_BIND_ACK;
	ack.pfc_flags = DCERPC_PFC_FIRST_FRAG | DCERPC_PFC_LAST_FRAG;
	ack.call_id = req->call_id;
	ack.body.bind_ack.max_xmit_frag = p->max_xmit;
	ack.body.bind_ack.max_recv_frag = RPC_MAX_RECV_FRAG;
	ack.body.bind_ack.assoc_group_id = p->assoc_group;
	if (!alter) {
		/* the secondary address counts its NUL */
		ack.body.bind_ack.sec_addr.port_spec.p =
			(const u8 *)p->ep->port;
		ack.body.bind_ack.sec_addr.port_spec.len =
			(u32)strlen(p->ep->port) + 1;
	}
	ack.body.bind_ack.result_list.results.items = res;
	ack.body.bind_ack.result_list.results.count = n;
	queue_pdu(p, &ack);
}

/* ---------------------------------------------------------------------- */
/* requests */

static const struct rpc_op *find_op(const struct rpc_service *svc,
				    uint16_t opnum)
{
	size_t i;

	for (i = 0; i < svc->nops; i++)
		if (svc->ops[i].opnum == opnum)
			return &svc->ops[i];
	return NULL;
}

/* The domain SID: the caller's, or ksmbd.subauth next to the config. */
static const struct subauth *server_subauth(struct rpc_server *srv,
					    const struct rpc_env *env)
{
	const char *src = env->cfg->source ? env->cfg->source : "";
	const char *slash = strrchr(src, '/');
	char path[4096];
	int rc;

	if (env->sa)
		return env->sa;
	if (srv->sa_ready)
		return &srv->sa;
	snprintf(path, sizeof(path), "%.*s/ksmbd.subauth",
		 slash ? (int)(slash - src) : 1, slash ? src : ".");
	rc = subauth_load_or_create(path, &srv->sa, NULL);
	if (rc) {
		pr_warn("rpc: %s: %s; using a domain SID that lasts until the daemon stops",
			path, strerror(-rc));
		if (subauth_generate(&srv->sa))
			memset(&srv->sa, 0, sizeof(srv->sa));
	}
	srv->sa_ready = true;
	return &srv->sa;
}

/*
 * Decode the stub of @nc, run @op and encode its answer into *out (a child
 * of call->mem): 0, or the status of the fault to send instead.
 */
static uint32_t run_call(struct rpc_call *call, const struct wire_ndr_call *nc,
			 const struct rpc_op *op, const uint8_t *stub,
			 uint32_t len, uint8_t **out, uint32_t *out_len)
{
	struct wire_arena arena;
	struct wire_ndr_enc n;
	struct wire_dec d;
	uint32_t status;
	void *in, *res;
	u32 size;

	wire_arena_init(&arena, RPC_ARENA_LIMIT);
	in = wire_arena_alloc(&arena, nc->in_size ? nc->in_size : 1);
	res = talloc_zero_size(call->mem, nc->out_size ? nc->out_size : 1);
	status = DCERPC_NCA_S_FAULT_REMOTE_NO_MEMORY;
	if (!in || !res)
		goto out;
	wire_dec_init(&d, stub, len);
	d.arena = &arena;
	status = DCERPC_NCA_S_FAULT_NDR;
	if (nc->in_dec(&d, in)) {
		pr_debug("rpc: %s: bad stub", nc->name);
		goto out;
	}
	status = op->fn(call, in, res);
	if (status)
		goto out;
	/* measure, then encode: the out struct may point into the arena */
	status = DCERPC_NCA_S_FAULT_CANT_PERFORM;
	wire_ndr_enc_init(&n, NULL, 0);
	if (nc->out_enc(&n, in, res)) {
		pr_err("rpc: %s: the response does not encode", nc->name);
		goto out;
	}
	size = n.e.pos;
	*out = talloc_size(call->mem, size ? size : 1);
	if (!*out) {
		status = DCERPC_NCA_S_FAULT_REMOTE_NO_MEMORY;
		goto out;
	}
	wire_ndr_enc_init(&n, *out, size);
	if (nc->out_enc(&n, in, res) || n.e.pos != size)
		goto out;
	*out_len = size;
	status = 0;
out:
	wire_arena_free(&arena);
	return status;
}

/* One whole request: find its interface and operation, answer it. */
static void dispatch(struct rpc_pipe *p, const struct rpc_input *inp,
		     uint32_t call_id, uint16_t ctx_id, uint16_t opnum,
		     const uint8_t *stub, uint32_t len)
{
	struct rpc_ctx *ctx = find_ctx(p, ctx_id);
	const struct wire_ndr_call *nc = NULL;
	const struct rpc_op *op = NULL;
	struct rpc_call call;
	struct rpc_env env;
	uint8_t *out = NULL;
	uint32_t out_len = 0, status;

	if (ctx) {
		nc = wire_ndr_find_call(ctx->svc->iface, opnum);
		op = find_op(ctx->svc, opnum);
	}
	if (!ctx || !nc || !op) {
		send_fault(p, call_id, ctx_id, ctx ? DCERPC_NCA_S_OP_RNG_ERROR :
						     DCERPC_NCA_S_UNK_IF);
		return;
	}
	env = *inp->env;
	env.sa = server_subauth(p->srv, inp->env);
	memset(&call, 0, sizeof(call));
	call.pipe = p;
	call.env = &env;
	call.restricted = inp->restricted;
	call.opnum = opnum;
	call.mem = talloc_new(p);
	status = call.mem ? run_call(&call, nc, op, stub, len, &out, &out_len) :
			    DCERPC_NCA_S_FAULT_REMOTE_NO_MEMORY;
	if (status)
		send_fault(p, call_id, ctx_id, status);
	else
		send_response(p, call_id, ctx_id, out, out_len);
	talloc_free(call.mem);
}

static void drop_partial(struct rpc_pipe *p)
{
	p->srv->buffered -= p->stub_len;
	TALLOC_FREE(p->stub);
	p->stub_len = 0;
	p->partial = false;
}

/* A request fragment that cannot be taken: its call is abandoned. */
static void request_fault(struct rpc_pipe *p, const struct dcerpc_pdu *req,
			  uint16_t ctx_id, uint32_t status)
{
	drop_partial(p);
	send_fault(p, req->call_id, ctx_id, status);
}

/* Append a fragment's stub to the call being reassembled. */
static bool add_fragment(struct rpc_pipe *p, const struct dcerpc_pdu *req,
			 uint16_t ctx_id, const struct wire_blob *stub)
{
	uint8_t *grown;

	if (stub->len > RPC_MAX_REQUEST - p->stub_len) {
		request_fault(p, req, ctx_id, DCERPC_NCA_S_PROTO_ERROR);
		return false;
	}
	if (!budget_ok(p->srv, stub->len)) {
		request_fault(p, req, ctx_id, DCERPC_NCA_S_FAULT_REMOTE_NO_MEMORY);
		return false;
	}
	grown = talloc_realloc(p, p->stub, uint8_t, p->stub_len + stub->len + 1);
	if (!grown) {
		request_fault(p, req, ctx_id, DCERPC_NCA_S_FAULT_REMOTE_NO_MEMORY);
		return false;
	}
	p->stub = grown;
	if (stub->len)
		memcpy(p->stub + p->stub_len, stub->p, stub->len);
	p->stub_len += stub->len;
	p->srv->buffered += stub->len;
	return true;
}

static void do_request(struct rpc_pipe *p, const struct rpc_input *inp,
		       const struct dcerpc_pdu *req)
{
	bool object = req->pfc_flags & DCERPC_PFC_OBJECT_UUID;
	uint16_t ctx_id = object ? req->body.request_object.p_cont_id :
				   req->body.request.p_cont_id;
	uint16_t opnum = object ? req->body.request_object.opnum :
				  req->body.request.opnum;
	const struct wire_blob *stub = object ? &req->body.request_object.stub :
						&req->body.request.stub;
	bool first = req->pfc_flags & DCERPC_PFC_FIRST_FRAG;
	bool last = req->pfc_flags & DCERPC_PFC_LAST_FRAG;

	if (!p->bound || req->auth_length) {
		request_fault(p, req, ctx_id,
			      p->bound ? DCERPC_NCA_S_FAULT_ACCESS_DENIED :
					 DCERPC_NCA_S_PROTO_ERROR);
		return;
	}
	if (first) {
		drop_partial(p);	/* a new call abandons an unfinished one */
		if (last) {
			dispatch(p, inp, req->call_id, ctx_id, opnum, stub->p,
				 stub->len);
			return;
		}
		p->partial = true;
		p->call_id = req->call_id;
		p->ctx_id = ctx_id;
		p->opnum = opnum;
	} else if (!p->partial || req->call_id != p->call_id ||
		   ctx_id != p->ctx_id || opnum != p->opnum) {
		request_fault(p, req, ctx_id, DCERPC_NCA_S_PROTO_ERROR);
		return;
	}
	if (!add_fragment(p, req, ctx_id, stub) || !last)
		return;
	dispatch(p, inp, p->call_id, p->ctx_id, p->opnum, p->stub,
		 p->stub_len);
	drop_partial(p);
}

/* One whole fragment of n bytes. */
static void handle_pdu(struct rpc_pipe *p, const struct rpc_input *inp,
		       const struct dcerpc_hdr *h, const uint8_t *buf,
		       uint32_t n)
{
	struct dcerpc_pdu pdu;

	if (dcerpc_pdu_decode(buf, n, &pdu)) {
		pr_debug("rpc: pipe %u: malformed PDU of type %u", p->handle,
			 h->ptype);
		if (h->ptype == DCERPC_PKT_REQUEST)
			drop_partial(p);
		if (h->ptype == DCERPC_PKT_BIND && !p->bound)
			send_bind_nak(p, h->call_id,
				      DCERPC_BIND_NAK_REASON_NOT_SPECIFIED);
		else
			send_fault(p, h->call_id, 0, DCERPC_NCA_S_PROTO_ERROR);
		return;
	}
	switch (pdu.ptype) {
	case DCERPC_PKT_BIND:
	case DCERPC_PKT_ALTER:
		do_bind(p, &pdu);
		break;
	case DCERPC_PKT_REQUEST:
		do_request(p, inp, &pdu);
		break;
	case DCERPC_PKT_ORPHANED:
		if (p->partial && p->call_id == pdu.call_id)
			drop_partial(p);
		break;
	case DCERPC_PKT_AUTH3:
	case DCERPC_PKT_SHUTDOWN:
	case DCERPC_PKT_CO_CANCEL:
		break;		/* nothing to answer */
	default:
		send_fault(p, pdu.call_id, 0, DCERPC_NCA_S_PROTO_ERROR);
		break;
	}
}

/* Forget all input: after this the stream cannot be resynchronised. */
static void drop_input(struct rpc_pipe *p)
{
	p->srv->buffered -= p->in_len;
	TALLOC_FREE(p->in);
	p->in_len = 0;
	drop_partial(p);
}

/*
 * A header we cannot follow (version, data representation or length):
 * answer it and drop the rest of the stream.
 */
static bool check_hdr(struct rpc_pipe *p, const struct dcerpc_hdr *h)
{
	if (h->rpc_vers != DCERPC_RPC_VERS || h->rpc_vers_minor > 1) {
		if (h->ptype == DCERPC_PKT_BIND)
			send_bind_nak(p, h->call_id,
				      DCERPC_BIND_NAK_REASON_PROTOCOL_VERSION_NOT_SUPPORTED);
		else
			send_fault(p, h->call_id, 0,
				   DCERPC_NCA_RPC_VERSION_MISMATCH);
		return false;
	}
	if ((h->drep[0] & 0xf0) != DCERPC_DREP_LE || h->drep[1] != 0) {
		/* only little-endian, ASCII, IEEE is declared */
		if (h->ptype == DCERPC_PKT_BIND)
			send_bind_nak(p, h->call_id,
				      DCERPC_BIND_NAK_REASON_NOT_SPECIFIED);
		else
			send_fault(p, h->call_id, 0, DCERPC_NCA_S_PROTO_ERROR);
		return false;
	}
	if (h->frag_length < RPC_HDR_LEN) {
		send_fault(p, h->call_id, 0, DCERPC_NCA_S_PROTO_ERROR);
		return false;
	}
	return true;
}

/*
 * Add input bytes and handle every whole fragment. With @whole (IOCTL)
 * the bytes must end on a fragment boundary: a partial fragment left
 * over is a protocol error, as nothing will complete it.
 */
static uint32_t pipe_input(struct rpc_pipe *p, const struct rpc_input *inp,
			   const uint8_t *data, uint32_t len, bool whole)
{
	struct dcerpc_hdr h;
	uint32_t off = 0;

	memset(&h, 0, sizeof(h));
	if (len > RPC_MAX_INPUT - p->in_len) {
		if (p->in_len >= RPC_HDR_LEN &&
		    !dcerpc_hdr_decode(p->in, p->in_len, &h))
			send_fault(p, h.call_id, 0, DCERPC_NCA_S_PROTO_ERROR);
		drop_input(p);
		return SMBD_NL_RPC_OK;
	}
	if (len) {
		uint8_t *grown;

		if (!budget_ok(p->srv, len))
			return SMBD_NL_RPC_ENOMEM;
		grown = talloc_realloc(p, p->in, uint8_t, p->in_len + len);
		if (!grown)
			return SMBD_NL_RPC_ENOMEM;
		p->in = grown;
		memcpy(p->in + p->in_len, data, len);
		p->in_len += len;
		p->srv->buffered += len;
	}
	while (p->in_len - off >= RPC_HDR_LEN) {
		if (dcerpc_hdr_decode(p->in + off, p->in_len - off, &h))
			break;	/* cannot happen: 16 bytes are there */
		if (!check_hdr(p, &h)) {
			drop_input(p);
			return SMBD_NL_RPC_OK;
		}
		if (h.frag_length > p->in_len - off)
			break;	/* wait for the rest */
		handle_pdu(p, inp, &h, p->in + off, h.frag_length);
		off += h.frag_length;
	}
	if (whole && off < p->in_len) {
		/* h: the partial fragment's header, if it has one */
		send_fault(p, p->in_len - off >= RPC_HDR_LEN ? h.call_id : 0, 0,
			   DCERPC_NCA_S_PROTO_ERROR);
		drop_input(p);
		return SMBD_NL_RPC_OK;
	}
	if (off) {
		memmove(p->in, p->in + off, p->in_len - off);
		p->in_len -= off;
		p->srv->buffered -= off;
		if (!p->in_len)
			TALLOC_FREE(p->in);
	}
	return SMBD_NL_RPC_OK;
}

/* ---------------------------------------------------------------------- */

uint32_t rpc_server_command(struct rpc_server *srv, const struct rpc_env *env,
			    uint64_t peer, uint32_t handle, uint32_t flags,
			    const uint8_t *data, uint32_t len, uint32_t max_out,
			    TALLOC_CTX *mem, uint8_t **out, uint32_t *out_len)
{
	uint32_t method = flags & RPC_METHOD_MASK;
	struct rpc_input inp;
	struct rpc_pipe *p;
	uint32_t status;

	*out = NULL;
	*out_len = 0;
	if (len && !data)
		return SMBD_NL_RPC_EINVALID_PARAMETER;
	if (method == SMBD_NL_RPC_OPEN_METHOD)
		return pipe_open(srv, peer, handle, flags, data, len);
	if (!method || (method & (method - 1))) {
		/* RAP (LANMAN) or no single method */
		return (flags & SMBD_NL_RPC_RAP_METHOD) && !method ?
		       SMBD_NL_RPC_ENOTIMPLEMENTED :
		       SMBD_NL_RPC_EINVALID_PARAMETER;
	}
	p = pipe_find(srv, peer, handle);
	if (!p)
		return SMBD_NL_RPC_EBAD_FID;
	inp.env = env;
	inp.restricted = (flags & SMBD_NL_RPC_RESTRICTED_CONTEXT) &&
			 env->cfg->global.restrict_anonymous;
	switch (method) {
	case SMBD_NL_RPC_CLOSE_METHOD:
		pr_debug("rpc: pipe %u closed", handle);
		pipe_unlink(srv, p);
		return SMBD_NL_RPC_OK;
	case SMBD_NL_RPC_WRITE_METHOD:
		return pipe_input(p, &inp, data, len, false);
	case SMBD_NL_RPC_READ_METHOD & RPC_METHOD_MASK:
		return pipe_read(p, max_out, mem, out, out_len);
	default:	/* IOCTL */
		status = pipe_input(p, &inp, data, len, true);
		if (status)
			return status;
		return pipe_read(p, max_out, mem, out, out_len);
	}
}
