// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel-mode transport of the daemon's link to the data path: the
 * generic netlink family SMBD_GENL, spoken on a raw AF_NETLINK socket.
 *
 * The daemon looks the family id up with nlctrl, announces itself with
 * STARTING_UP (the [global] settings the kernel server runs with), and
 * from then on the kernel unicasts its requests to this socket's port id.
 * Each request goes through the same message layer (ipc_receive) as in
 * user mode; replies go back to port 0 (the kernel) with the family id as
 * the netlink message type. All framing is decoded and encoded with the
 * generated code of idl/netlink.idl.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <tevent.h>
#include <time.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "netlink.h"

#include "config.h"
#include "ipc.h"
#include "log.h"
#include "subauth.h"

/* The largest message we send: a reply and the three headers, padded. */
#define GENL_SEND_MAX	(SMBD_NL_DAEMON_MSG_MAX + SMBD_NLMSG_HDRLEN + \
			 SMBD_GENL_HDRLEN + SMBD_NLA_HDRLEN + 4)

struct ipc_genl {
	struct tevent_context *ev;
	struct ipc *ipc;
	int fd;
	uint16_t family;
	uint32_t port_id;
	uint32_t seq;
	struct tevent_fd *fde;
	struct ipc_peer *peer;
	uint8_t *buf;			/* IPC_GENL_RECV_MAX bytes */
	uint8_t *out;			/* GENL_SEND_MAX bytes */
};

static uint32_t align4(uint32_t n)
{
	return (n + 3u) & ~3u;
}

/* ---------------------------------------------------------------------- */
/* framing */

long ipc_genl_msg_build(uint8_t *out, size_t cap, uint16_t family,
			uint16_t flags, uint32_t seq, uint32_t pid,
			uint8_t cmd, uint8_t version, uint16_t attr_type,
			const void *data, uint32_t len)
{
	uint32_t padded = align4(len);
	uint32_t genl_len = SMBD_GENL_HDRLEN + SMBD_NLA_HDRLEN + padded;
	struct smbd_nlattr attr = { .type = attr_type };
	struct smbd_genlmsghdr genl = { .cmd = cmd, .version = version };
	struct smbd_nlmsghdr nh = {
		.type = family, .flags = flags, .seq = seq, .pid = pid,
	};
	uint8_t *genl_buf, *data_buf;
	size_t used = 0;
	int rc;

	if (len > 0xffff - SMBD_NLA_HDRLEN - 3)
		return -WIRE_ESPACE;
	if (cap < SMBD_NLMSG_HDRLEN + (size_t)genl_len)
		return -WIRE_ESPACE;
	/*
	 * Inside out: the attribute data with its zero padding (see the
	 * IDL-GAP on smbd_nlattr), then the genl header around it, then the
	 * netlink header around that.
	 */
	data_buf = talloc_zero_size(NULL, padded ? padded : 1);
	genl_buf = talloc_size(NULL, genl_len);
	if (!data_buf || !genl_buf) {
		talloc_free(data_buf);
		talloc_free(genl_buf);
		return -WIRE_ESPACE;
	}
	if (len)
		memcpy(data_buf, data, len);
	attr.len = (uint16_t)(SMBD_NLA_HDRLEN + len);
	attr.data.p = data_buf;
	attr.data.len = padded;
	genl.attrs.items = &attr;
	genl.attrs.count = 1;
	rc = smbd_genlmsghdr_encode(genl_buf, genl_len, &genl, &used);
	if (!rc) {
		nh.payload.p = genl_buf;
		nh.payload.len = (uint32_t)used;
		rc = smbd_nlmsghdr_encode(out, cap, &nh, &used);
	}
	talloc_free(data_buf);
	talloc_free(genl_buf);
	return rc ? rc : (long)used;
}

int ipc_genl_next(const uint8_t *buf, size_t n, size_t *pos,
		  struct smbd_nlmsghdr *h, const char **why)
{
	struct wire_dec d;
	int rc;

	if (*pos >= n)
		return 0;
	wire_dec_init(&d, buf + *pos, n - *pos);
	rc = smbd_nlmsghdr_dec(&d, h);
	if (rc) {
		*why = rc == -WIRE_ERANGE ? "netlink length below the header size"
					 : "netlink length beyond the datagram";
		return -1;
	}
	*pos += align4(h->len);
	return 1;
}

int ipc_genl_frame_parse(const struct smbd_nlmsghdr *h,
			 struct ipc_genl_frame *f, const char **why)
{
	struct smbd_genlmsghdr genl;
	struct smbd_nlattr attr;
	struct wire_seq_iter it;
	int rc;

	memset(f, 0, sizeof(*f));
	f->nl_type = h->type;
	rc = smbd_genlmsghdr_decode(h->payload.p, h->payload.len, &genl);
	if (rc) {
		*why = "malformed generic netlink header or attributes";
		return -1;
	}
	if (genl.version != SMBD_NL_GENL_VERSION) {
		*why = "generic netlink version is not 1";
		return -1;
	}
	if (genl.attrs.count != 1) {
		*why = "not exactly one attribute";
		return -1;
	}
	wire_seq_iter_init(&it, &genl.attrs);
	if (smbd_nlattr_seq_next(&it, &attr) != 1) {
		*why = "unreadable attribute";
		return -1;
	}
	if (attr.type != genl.cmd) {
		*why = "attribute type differs from the command";
		return -1;
	}
	f->event = genl.cmd;
	f->payload = attr.data.p;
	f->len = attr.len - SMBD_NLA_HDRLEN;
	return 0;
}

/* The FAMILY_ID attribute of one nlctrl message, or -EBADMSG. */
static int family_id_of(const struct smbd_nlmsghdr *h)
{
	struct smbd_nlctrl_msg msg;
	struct smbd_nlctrl_attr attr;
	struct wire_seq_iter it;

	if (smbd_nlctrl_msg_decode(h->payload.p, h->payload.len, &msg) ||
	    msg.cmd != SMBD_CTRL_CMD_NEWFAMILY)
		return -EBADMSG;
	wire_seq_iter_init(&it, &msg.attrs);
	while (it.idx < msg.attrs.count) {
		if (smbd_nlctrl_attr_seq_next(&it, &attr) != 1)
			return -EBADMSG;
		if (attr.type == SMBD_CTRL_ATTR_FAMILY_ID &&
		    attr.len == SMBD_NLA_HDRLEN + 2 && attr.value.family_id)
			return attr.value.family_id;
	}
	return -EBADMSG;
}

int ipc_genl_family_id_parse(const uint8_t *buf, size_t n)
{
	struct smbd_nlmsghdr h;
	struct smbd_nlmsgerr err;
	const char *why;
	size_t pos = 0;

	while (ipc_genl_next(buf, n, &pos, &h, &why) == 1) {
		if (h.type == SMBD_NLMSG_ERROR) {
			if (smbd_nlmsgerr_decode(h.payload.p, h.payload.len, &err))
				return -EBADMSG;
			if (err.error < 0)
				return err.error;
			continue;	/* an ACK */
		}
		if (h.type == SMBD_GENL_ID_CTRL)
			return family_id_of(&h);
	}
	return -EBADMSG;
}

/* ---------------------------------------------------------------------- */
/* STARTING_UP */

static void put_str(s8 *dst, size_t size, const char *src)
{
	memset(dst, 0, size);
	if (src)
		strncpy((char *)dst, src, size - 1);	/* NUL kept */
}

/* NUL-separated interface names (each with its NUL), as the kernel reads them */
static int fill_interfaces(TALLOC_CTX *mem_ctx, const struct smbd_globals *g,
			   struct smbd_nl_startup_request *out)
{
	size_t i, total = 0, at = 0;
	uint8_t *list;

	if (!g->bind_interfaces_only)
		return 0;
	for (i = 0; i < g->interfaces.count; i++)
		total += strlen(g->interfaces.items[i]) + 1;
	if (!total)
		return 0;
	if (total > SMBD_NL_DAEMON_MSG_MAX - sizeof(*out))
		return -E2BIG;
	list = talloc_size(mem_ctx, total);
	if (!list)
		return -ENOMEM;
	for (i = 0; i < g->interfaces.count; i++) {
		size_t l = strlen(g->interfaces.items[i]) + 1;

		memcpy(list + at, g->interfaces.items[i], l);
		at += l;
	}
	out->ifc_list.p = list;
	out->ifc_list.len = (uint32_t)total;
	out->ifc_list_sz = (uint32_t)total;
	return 0;
}

int ipc_genl_startup_fill(TALLOC_CTX *mem_ctx, const struct smbd_globals *g,
			  const struct subauth *sa,
			  struct smbd_nl_startup_request *out)
{
	int i;

	memset(out, 0, sizeof(*out));
	out->flags = smbd_global_flags(g);
	out->signing = g->server_signing;
	put_str(out->min_prot, sizeof(out->min_prot),
		smbd_protocol_name(g->server_min_protocol));
	put_str(out->max_prot, sizeof(out->max_prot),
		smbd_protocol_name(g->server_max_protocol));
	put_str(out->netbios_name, sizeof(out->netbios_name), g->netbios_name);
	put_str(out->work_group, sizeof(out->work_group), g->workgroup);
	put_str(out->server_string, sizeof(out->server_string),
		g->server_string);
	out->tcp_port = (uint16_t)g->tcp_port;
	out->ipc_timeout = (uint16_t)g->ipc_timeout;
	out->deadtime = g->deadtime;
	out->file_max = g->max_open_files;
	out->smb2_max_write = g->smb2_max_write;
	out->smb2_max_read = g->smb2_max_read;
	out->smb2_max_trans = g->smb2_max_trans;
	out->share_fake_fscaps = g->share_fake_fscaps;
	for (i = 0; i < SUBAUTH_COUNT; i++)
		out->sub_auth[i] = sa ? sa->sub[i] : 0;
	out->smb2_max_credits = g->smb2_max_credits;
	out->smbd_max_io_size = g->smbd_max_io_size;
	out->max_connections = g->max_connections;
	out->bind_interfaces_only = g->bind_interfaces_only ? 1 : 0;
	out->max_ip_connections = g->max_ip_connections;
	return fill_interfaces(mem_ctx, g, out);
}

/* ---------------------------------------------------------------------- */
/* the socket */

static int open_socket(uint32_t *port_id)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	socklen_t len = sizeof(sa);
	int size = SMBD_NL_DAEMON_RCVBUF;
	int fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)))
		pr_warn("netlink receive buffer: %s", strerror(errno));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(fd, (struct sockaddr *)&sa, &len)) {
		int err = -errno;

		close(fd);
		return err;
	}
	*port_id = sa.nl_pid;
	return fd;
}

/* Send one message to the kernel (port 0). */
static int send_to_kernel(int fd, const uint8_t *msg, size_t len)
{
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };
	ssize_t n;

	do {
		n = sendto(fd, msg, len, 0, (struct sockaddr *)&to, sizeof(to));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n == (ssize_t)len ? 0 : -EIO;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* GETFAMILY SMBD_GENL on fd; wait (bounded) for the answer. */
static int resolve_on(int fd, uint32_t port_id)
{
	static const char name[] = IPC_GENL_FAMILY_NAME;
	uint8_t msg[64], *buf;
	long size, deadline = now_ms() + IPC_GENL_TIMEOUT_MS;
	int rc = -ETIMEDOUT;

	size = ipc_genl_msg_build(msg, sizeof(msg), SMBD_GENL_ID_CTRL,
				  SMBD_NLM_F_REQUEST, 1, port_id,
				  SMBD_CTRL_CMD_GETFAMILY, 1,
				  SMBD_CTRL_ATTR_FAMILY_NAME, name, sizeof(name));
	if (size < 0)
		return -EINVAL;
	rc = send_to_kernel(fd, msg, (size_t)size);
	if (rc)
		return rc;
	buf = talloc_size(NULL, IPC_GENL_RECV_MAX);
	if (!buf)
		return -ENOMEM;
	rc = -ETIMEDOUT;
	while (now_ms() < deadline) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, (int)(deadline - now_ms())) <= 0)
			continue;
		n = recv(fd, buf, IPC_GENL_RECV_MAX, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			rc = -errno;
			break;
		}
		rc = ipc_genl_family_id_parse(buf, (size_t)n);
		if (rc != -EBADMSG)
			break;
	}
	talloc_free(buf);
	return rc;
}

int ipc_genl_resolve(void)
{
	uint32_t port_id;
	int fd = open_socket(&port_id);
	int rc;

	if (fd < 0)
		return fd;
	rc = resolve_on(fd, port_id);
	close(fd);
	return rc;
}

static int genl_send(struct ipc_peer *peer, uint16_t type, const void *buf,
		     size_t len)
{
	struct ipc_genl *g = peer->priv;
	long size;

	if (len > SMBD_NL_DAEMON_MSG_MAX || type > 0xff)
		return -EMSGSIZE;
	size = ipc_genl_msg_build(g->out, GENL_SEND_MAX, g->family,
				  SMBD_NLM_F_REQUEST, ++g->seq, g->port_id,
				  (uint8_t)type, SMBD_NL_GENL_VERSION, type,
				  buf, (uint32_t)len);
	if (size < 0)
		return -EINVAL;
	return send_to_kernel(g->fd, g->out, (size_t)size);
}

static const struct ipc_transport_ops genl_ops = {
	.name = "generic netlink",
	.send = genl_send,
};

/* The kernel refused something we sent (an error ack). */
static void kernel_error(struct ipc_genl *g, const struct smbd_nlmsghdr *h)
{
	struct smbd_nlmsgerr err;

	if (smbd_nlmsgerr_decode(h->payload.p, h->payload.len, &err)) {
		ipc_drop(g->peer, -1, h->len, "malformed NLMSG_ERROR");
		return;
	}
	if (err.error < 0)
		pr_warn("kernel rejected our message (type %u, seq %u): %s",
			err.msg_type, err.msg_seq, strerror(-err.error));
}

static void handle_datagram(struct ipc_genl *g, size_t n)
{
	struct smbd_nlmsghdr h;
	struct ipc_genl_frame f;
	const char *why;
	size_t pos = 0;
	int rc;

	while ((rc = ipc_genl_next(g->buf, n, &pos, &h, &why)) == 1) {
		if (h.type == SMBD_NLMSG_ERROR) {
			kernel_error(g, &h);
			continue;
		}
		if (h.type == SMBD_NLMSG_NOOP || h.type == SMBD_NLMSG_DONE)
			continue;
		if (h.type != g->family) {
			ipc_drop(g->peer, -1, h.len, "not an SMBD_GENL message");
			continue;
		}
		if (ipc_genl_frame_parse(&h, &f, &why)) {
			ipc_drop(g->peer, -1, h.len, why);
			continue;
		}
		ipc_receive(g->peer, f.event, f.payload, f.len);
	}
	if (rc < 0)
		ipc_drop(g->peer, -1, n - pos, why);
}

static void genl_readable(struct tevent_context *ev, struct tevent_fd *fde,
			  uint16_t flags, void *private_data)
{
	struct ipc_genl *g = private_data;
	ssize_t n;

	(void)ev;
	(void)fde;
	if (!(flags & TEVENT_FD_READ))
		return;
	n = recv(g->fd, g->buf, IPC_GENL_RECV_MAX, MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0) {
		if (errno == ENOBUFS)
			pr_warn("netlink receive buffer overflowed: requests were lost");
		else if (errno != EAGAIN && errno != EINTR)
			pr_warn("netlink recv: %s", strerror(errno));
		return;
	}
	if (n > IPC_GENL_RECV_MAX) {
		ipc_drop(g->peer, -1, (size_t)n, "longer than the 64 KiB receive buffer");
		return;
	}
	handle_datagram(g, (size_t)n);
}

static int genl_destructor(struct ipc_genl *g)
{
	TALLOC_FREE(g->fde);
	TALLOC_FREE(g->peer);
	if (g->fd >= 0)
		close(g->fd);
	return 0;
}

static int send_startup(struct ipc_genl *g, const struct smbd_globals *gl,
			const struct subauth *sa)
{
	struct smbd_nl_startup_request req;
	TALLOC_CTX *tmp = talloc_new(NULL);
	uint8_t *buf = talloc_size(tmp, SMBD_NL_DAEMON_MSG_MAX);
	size_t used = 0;
	int rc;

	if (!tmp || !buf) {
		talloc_free(tmp);
		return -ENOMEM;
	}
	rc = ipc_genl_startup_fill(tmp, gl, sa, &req);
	if (!rc && smbd_nl_startup_request_encode(buf, SMBD_NL_DAEMON_MSG_MAX,
						  &req, &used))
		rc = -EINVAL;
	if (!rc)
		rc = genl_send(g->peer, SMBD_NL_EVENT_STARTING_UP, buf, used);
	talloc_free(tmp);
	return rc;
}

struct ipc_genl *ipc_genl_start(TALLOC_CTX *mem_ctx,
				struct tevent_context *ev, struct ipc *ipc,
				const struct smbd_globals *gl,
				const struct subauth *sa)
{
	struct ipc_genl *g = talloc_zero(mem_ctx, struct ipc_genl);
	char name[80];
	int rc;

	if (!g)
		return NULL;
	g->ev = ev;
	g->ipc = ipc;
	g->fd = open_socket(&g->port_id);
	talloc_set_destructor(g, genl_destructor);
	if (g->fd < 0) {
		pr_err("generic netlink socket: %s", strerror(-g->fd));
		goto fail;
	}
	rc = resolve_on(g->fd, g->port_id);
	if (rc < 0) {
		pr_err("generic netlink family %s: %s%s", IPC_GENL_FAMILY_NAME,
		       strerror(-rc), rc == -ENOENT ? " (is ksmbd.ko loaded?)" : "");
		goto fail;
	}
	g->family = (uint16_t)rc;
	g->buf = talloc_size(g, IPC_GENL_RECV_MAX);
	g->out = talloc_size(g, GENL_SEND_MAX);
	snprintf(name, sizeof(name), "kernel (%s id %u, port %u)",
		 IPC_GENL_FAMILY_NAME, g->family, g->port_id);
	g->peer = ipc_peer_new(ipc, g, &genl_ops, g, name);
	if (!g->buf || !g->out || !g->peer)
		goto fail;
	rc = send_startup(g, gl, sa);
	if (rc) {
		pr_err("sending STARTING_UP to the kernel: %s", strerror(-rc));
		goto fail;
	}
	g->fde = tevent_add_fd(ev, g, g->fd, TEVENT_FD_READ, genl_readable, g);
	if (!g->fde)
		goto fail;
	pr_info("kernel mode: %s family id %u, serving as port %u",
		IPC_GENL_FAMILY_NAME, g->family, g->port_id);
	return g;
fail:
	talloc_free(g);
	return NULL;
}
