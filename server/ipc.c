// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The message layer of the daemon's link to the data path: whatever the
 * transport, a message goes to the handlers and its reply goes back to the
 * peer it came from. Malformed messages are logged here, and only here.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "ipc.h"
#include "log.h"

struct ipc {
	struct handlers *handlers;
	uint64_t next_peer_id;
	unsigned int peers;
	unsigned long received;
	unsigned long replied;
	unsigned long dropped;
};

struct ipc *ipc_new(TALLOC_CTX *mem_ctx, struct handlers *h)
{
	struct ipc *ipc = talloc_zero(mem_ctx, struct ipc);

	if (!ipc)
		return NULL;
	ipc->handlers = h;
	ipc->next_peer_id = 1;
	return ipc;
}

static int peer_destructor(struct ipc_peer *peer)
{
	size_t released = handlers_peer_gone(peer->ipc->handlers, peer->id);

	peer->ipc->peers--;
	pr_info("data path %s disconnected%s", peer->name,
		released ? "; its tree connects were released" : "");
	return 0;
}

struct ipc_peer *ipc_peer_new(struct ipc *ipc, TALLOC_CTX *mem_ctx,
			      const struct ipc_transport_ops *ops, void *priv,
			      const char *name)
{
	struct ipc_peer *peer = talloc_zero(mem_ctx, struct ipc_peer);

	if (!peer)
		return NULL;
	peer->ipc = ipc;
	peer->ops = ops;
	peer->priv = priv;
	peer->id = ipc->next_peer_id++;
	snprintf(peer->name, sizeof(peer->name), "%s", name);
	ipc->peers++;
	talloc_set_destructor(peer, peer_destructor);
	pr_info("data path %s connected", peer->name);
	return peer;
}

void ipc_drop(struct ipc_peer *peer, int type, size_t len, const char *why)
{
	char buf[24];
	const char *event = type < 0 ? "message" :
			    handlers_event_name((uint16_t)type, buf, sizeof(buf));

	peer->dropped++;
	peer->ipc->dropped++;
	if (peer->dropped < IPC_DROP_LOG_MAX)
		pr_warn("data path %s: dropped malformed %s (%zu bytes): %s",
			peer->name, event, len, why);
	else if (peer->dropped == IPC_DROP_LOG_MAX)
		pr_warn("data path %s: dropped malformed %s (%zu bytes): %s; further malformed messages from it are not logged",
			peer->name, event, len, why);
}

int ipc_receive(struct ipc_peer *peer, uint16_t type, const void *data,
		size_t len)
{
	struct ipc *ipc = peer->ipc;
	struct handlers_msg msg = {
		.type = type,
		.data = data,
		.len = len,
		.peer_id = peer->id,
	};
	struct handlers_reply reply;
	TALLOC_CTX *tmp = talloc_new(NULL);
	char buf[24];
	int rc, err;

	peer->received++;
	ipc->received++;
	if (!tmp) {
		ipc_drop(peer, type, len, "out of memory");
		return HANDLERS_DROP;
	}
	pr_debug("data path %s: %s, %zu bytes", peer->name,
		 handlers_event_name(type, buf, sizeof(buf)), len);
	rc = handlers_dispatch(ipc->handlers, tmp, &msg, &reply);
	if (rc == HANDLERS_DROP) {
		ipc_drop(peer, type, len, reply.why ? reply.why : "malformed");
	} else if (rc == HANDLERS_REPLY) {
		err = peer->ops->send(peer, reply.type, reply.buf, reply.len);
		if (err)
			pr_warn("data path %s: cannot send %s: %s", peer->name,
				handlers_event_name(reply.type, buf, sizeof(buf)),
				strerror(-err));
		else {
			peer->replied++;
			ipc->replied++;
		}
	}
	talloc_free(tmp);
	return rc;
}

void ipc_get_stats(const struct ipc *ipc, struct ipc_stats *out)
{
	out->received = ipc->received;
	out->replied = ipc->replied;
	out->dropped = ipc->dropped;
	out->peers = ipc->peers;
}
