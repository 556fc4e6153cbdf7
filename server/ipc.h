/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The link between ksmbd.mountd and the data path: one message layer over
 * several transports.
 *
 * A message is an SMBD_GENL event type (netlink-abi.md) and the bytes of
 * that event's struct: exactly what the generic netlink attribute of the
 * same type carries in kernel mode. Transports only move such messages;
 * the message layer (ipc_receive) hands each one to the handlers, which
 * decode it with the generated decoders, and sends the reply back through
 * the transport it came from. A malformed message (framing, length,
 * undecodable, unknown type, inconsistent sizes) is logged once, naming
 * the peer, and dropped; the peer stays connected.
 *
 * Transports:
 *   - ipc_sock (user mode, this file's second half): a local unix socket;
 *   - ipc_genl (kernel mode): generic netlink family SMBD_GENL on a raw
 *     AF_NETLINK / NETLINK_GENERIC socket (see the end of this file).
 *
 * User-mode framing (ipc_sock). The socket is AF_UNIX SOCK_SEQPACKET, so
 * the kernel keeps message boundaries: one send is one message, never
 * split or merged. Each message is an 8-byte header and the payload, all
 * little-endian:
 *
 *   offset 0  u16 type      the SMBD_GENL event (the genl command and
 *                           attribute type in kernel mode)
 *   offset 2  u16 reserved  0; anything else makes the message malformed
 *   offset 4  u32 length    payload bytes; must equal the datagram size - 8
 *   offset 8  payload       the event's struct, as in the netlink attribute
 *
 * Messages from the data path are at most IPC_SOCK_RECV_MAX bytes with the
 * header (a longer one arrives truncated and is dropped); replies are at
 * most IPC_SOCK_HDR_SIZE + SMBD_NL_DAEMON_MSG_MAX. Replies carry the
 * request's handle, as in kernel mode; the peer matches them by handle and
 * type (request type + 1). Only processes running as root or as the
 * daemon's own user may connect (SO_PEERCRED), and the socket is created
 * mode 0600.
 */
#ifndef SMBD_SERVER_IPC_H
#define SMBD_SERVER_IPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <talloc.h>

#include "netlink.h"

struct handlers;
struct tevent_context;
struct ipc;
struct ipc_peer;

/* What a transport does for the message layer. */
struct ipc_transport_ops {
	const char *name;
	/* Send one message to the peer; 0 or a negative errno value. */
	int (*send)(struct ipc_peer *peer, uint16_t type, const void *buf,
		    size_t len);
};

/* After this many malformed messages a peer's further ones are not logged. */
#define IPC_DROP_LOG_MAX	100

/* One connection to a data path, owned by its transport. */
struct ipc_peer {
	struct ipc *ipc;
	const struct ipc_transport_ops *ops;
	void *priv;			/* the transport's */
	uint64_t id;
	char name[80];			/* for logs: "socket pid 42 uid 0" */
	unsigned long received;
	unsigned long replied;
	unsigned long dropped;
};

struct ipc_stats {
	unsigned long received;
	unsigned long replied;
	unsigned long dropped;
	unsigned int peers;
};

/* The message layer over the handlers (which it does not own). */
struct ipc *ipc_new(TALLOC_CTX *mem_ctx, struct handlers *h);

/*
 * A new peer, a talloc child of mem_ctx. Freeing it tells the handlers
 * the peer is gone (its sessions' tree connects are released).
 */
struct ipc_peer *ipc_peer_new(struct ipc *ipc, TALLOC_CTX *mem_ctx,
			      const struct ipc_transport_ops *ops, void *priv,
			      const char *name);

/*
 * One message from a peer: decode, handle, reply. Returns the
 * enum handlers_result of the message (HANDLERS_DROP when malformed).
 */
int ipc_receive(struct ipc_peer *peer, uint16_t type, const void *data,
		size_t len);

/* Log a malformed message once, with the peer, and count it. */
void ipc_drop(struct ipc_peer *peer, int type, size_t len, const char *why);

void ipc_get_stats(const struct ipc *ipc, struct ipc_stats *out);

/* ---------------------------------------------------------------------- */
/* User-mode transport: the unix socket */

#define IPC_SOCK_HDR_SIZE	SMBD_IPC_HDR_SIZE
#define IPC_SOCK_RECV_MAX	65536

struct ipc_frame {
	uint16_t type;
	const uint8_t *payload;
	uint32_t len;
};

/*
 * Check one received datagram of n bytes and find its payload. Returns 0,
 * or -1 with *why set (short, reserved bits, length mismatch).
 */
int ipc_sock_frame_parse(const void *buf, size_t n, struct ipc_frame *f,
			 const char **why);

/*
 * Encode one datagram (header + payload, declared as smbd_ipc_hdr in
 * idl/netlink.idl) into out: its size, or a negative WIRE_E* code.
 */
long ipc_sock_frame_build(uint8_t *out, size_t cap, uint16_t type,
			  const void *payload, uint32_t len);

struct ipc_sock;

/* Most data path connections accepted at once. */
#define IPC_SOCK_PEERS_MAX	16

/*
 * Listen on path. A stale socket file (nobody accepting) is replaced; a
 * live one or a file that is not a socket is an error. Freeing the result
 * closes every peer and removes the socket file. NULL on error (logged).
 */
struct ipc_sock *ipc_sock_listen(TALLOC_CTX *mem_ctx,
				 struct tevent_context *ev, struct ipc *ipc,
				 const char *path);

unsigned int ipc_sock_peer_count(const struct ipc_sock *sock);


/* ---------------------------------------------------------------------- */
/* Kernel-mode transport: generic netlink SMBD_GENL */

/*
 * Framing (declared in idl/netlink.idl): each datagram holds one or more
 * netlink messages, each an smbd_nlmsghdr (16 bytes) whose type is the
 * SMBD_GENL family id, an smbd_genlmsghdr (cmd = event, version 1) and ONE
 * attribute (type = event) whose data is the event's struct. Everything
 * starts at 4-byte boundaries.
 */
#define IPC_GENL_FAMILY_NAME	"SMBD_GENL"
#define IPC_GENL_RECV_MAX	65536	/* one recv; kernel payloads <= 4 KiB */
#define IPC_GENL_TIMEOUT_MS	2000	/* for the nlctrl family lookup */

struct smbd_globals;
struct subauth;

/*
 * One generic netlink message with one attribute: nlmsghdr(type = family,
 * flags, seq, pid), genlmsghdr(cmd, version), nlattr(attr_type, data,
 * padded to 4). Returns its size or a negative WIRE_E* code.
 */
long ipc_genl_msg_build(uint8_t *out, size_t cap, uint16_t family,
			uint16_t flags, uint32_t seq, uint32_t pid,
			uint8_t cmd, uint8_t version, uint16_t attr_type,
			const void *data, uint32_t len);

/* One SMBD_GENL request found in a datagram. */
struct ipc_genl_frame {
	uint16_t nl_type;	/* nlmsghdr.type */
	uint16_t event;		/* genl cmd == attribute type */
	const uint8_t *payload;	/* the attribute's data (no padding) */
	uint32_t len;
	int error;		/* NLMSG_ERROR: the errno value (<= 0) */
};

/*
 * The netlink message at *pos in a datagram of n bytes. Returns 1 and
 * advances *pos past it (to the next 4-byte boundary), 0 at the end, or
 * -1 with *why set (the rest of the datagram cannot be walked).
 */
int ipc_genl_next(const uint8_t *buf, size_t n, size_t *pos,
		  struct smbd_nlmsghdr *h, const char **why);

/*
 * An SMBD_GENL message (h from ipc_genl_next, its type the family id):
 * version 1, exactly one attribute, attribute type == cmd. 0 and f filled,
 * or -1 with *why set.
 */
int ipc_genl_frame_parse(const struct smbd_nlmsghdr *h,
			 struct ipc_genl_frame *f, const char **why);

/*
 * The family id in an nlctrl reply datagram of n bytes: > 0, the negative
 * errno of an NLMSG_ERROR answer (-ENOENT: no such family), or -EBADMSG.
 */
int ipc_genl_family_id_parse(const uint8_t *buf, size_t n);

/*
 * STARTING_UP from [global] and the domain SID sub-authorities; the
 * interface list (bind interfaces only) is a talloc child of mem_ctx.
 */
int ipc_genl_startup_fill(TALLOC_CTX *mem_ctx, const struct smbd_globals *g,
			  const struct subauth *sa,
			  struct smbd_nl_startup_request *out);

/* Ask nlctrl for SMBD_GENL: its id, -ENOENT when not loaded, -errno. */
int ipc_genl_resolve(void);

struct ipc_genl;

/*
 * Open the socket, resolve SMBD_GENL, send STARTING_UP and serve the
 * kernel's requests through ipc on ev. NULL on error (logged). Freeing the
 * result closes the socket (the kernel notices the daemon is gone).
 */
struct ipc_genl *ipc_genl_start(TALLOC_CTX *mem_ctx,
				struct tevent_context *ev, struct ipc *ipc,
				const struct smbd_globals *g,
				const struct subauth *sa);

#endif /* SMBD_SERVER_IPC_H */
