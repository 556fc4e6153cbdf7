// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * User-mode transport of the daemon's link to the data path: a local
 * SOCK_SEQPACKET unix socket carrying the SMBD_GENL messages, one message
 * per datagram with the 8-byte header documented in ipc.h.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* accept4, pipe2, SO_PEERCRED, getgrouplist */
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <tevent.h>
#include <unistd.h>

#include "netlink.h"

#include "handlers.h"
#include "ipc.h"
#include "log.h"

struct sock_peer {
	struct sock_peer *next;
	struct ipc_sock *sock;
	int fd;
	struct tevent_fd *fde;
	struct ipc_peer *peer;
	uint8_t *buf;			/* IPC_SOCK_RECV_MAX bytes */
};

struct ipc_sock {
	struct tevent_context *ev;
	struct ipc *ipc;
	char *path;
	int fd;
	dev_t dev;			/* of the socket file we created */
	ino_t ino;
	struct tevent_fd *fde;
	struct sock_peer *peers;
	unsigned int npeers;
};

/* ---------------------------------------------------------------------- */
/* framing */

int ipc_sock_frame_parse(const void *buf, size_t n, struct ipc_frame *f,
			 const char **why)
{
	struct smbd_ipc_hdr h;
	struct wire_dec d;
	int rc;

	wire_dec_init(&d, buf, n);
	rc = smbd_ipc_hdr_dec(&d, &h);
	if (n < SMBD_IPC_HDR_SIZE) {
		*why = "shorter than the 8-byte header";
		return -1;
	}
	if (rc == -WIRE_EVALUE) {
		*why = "reserved header bits set";
		return -1;
	}
	if (rc || d.pos != n) {
		*why = "header length differs from the message size";
		return -1;
	}
	f->type = h.event;
	f->payload = h.payload.p;
	f->len = h.payload.len;
	return 0;
}

long ipc_sock_frame_build(uint8_t *out, size_t cap, uint16_t type,
			  const void *payload, uint32_t len)
{
	struct smbd_ipc_hdr h = {
		.event = type,
		.payload = { .p = payload, .len = len },
	};
	size_t used = 0;
	int rc = smbd_ipc_hdr_encode(out, cap, &h, &used);

	return rc ? rc : (long)used;
}

/* ---------------------------------------------------------------------- */
/* peers */

static int sock_send(struct ipc_peer *peer, uint16_t type, const void *buf,
		     size_t len)
{
	struct sock_peer *sp = peer->priv;
	uint8_t *dgram;
	long size;
	ssize_t n;
	int rc = 0;

	if (len > SMBD_NL_DAEMON_MSG_MAX)
		return -EMSGSIZE;
	dgram = talloc_size(sp, SMBD_IPC_HDR_SIZE + len);
	if (!dgram)
		return -ENOMEM;
	size = ipc_sock_frame_build(dgram, SMBD_IPC_HDR_SIZE + len, type, buf,
				    (uint32_t)len);
	if (size < 0) {
		talloc_free(dgram);
		return -EINVAL;
	}
	do {
		/* never block the daemon on a peer that stopped reading */
		n = send(sp->fd, dgram, (size_t)size, MSG_NOSIGNAL | MSG_DONTWAIT);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		rc = -errno;
	else if (n != size)
		rc = -EIO;
	talloc_free(dgram);
	return rc;
}

static const struct ipc_transport_ops sock_ops = {
	.name = "socket",
	.send = sock_send,
};

static int sock_peer_destructor(struct sock_peer *sp)
{
	struct sock_peer **pp;

	TALLOC_FREE(sp->fde);
	TALLOC_FREE(sp->peer);	/* tells the handlers before the fd goes */
	if (sp->fd >= 0)
		close(sp->fd);
	for (pp = &sp->sock->peers; *pp; pp = &(*pp)->next) {
		if (*pp == sp) {
			*pp = sp->next;
			sp->sock->npeers--;
			break;
		}
	}
	return 0;
}

/* Read one datagram. Returns false when the peer must be closed. */
static bool read_one(struct sock_peer *sp)
{
	struct iovec iov = { .iov_base = sp->buf, .iov_len = IPC_SOCK_RECV_MAX };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct ipc_frame frame;
	const char *why;
	ssize_t n;

	n = recvmsg(sp->fd, &mh, MSG_DONTWAIT);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
	if (n == 0)
		return false;	/* orderly close */
	if (mh.msg_flags & MSG_TRUNC) {
		ipc_drop(sp->peer, -1, (size_t)n,
			 "longer than the 64 KiB the daemon accepts");
		return true;
	}
	if (ipc_sock_frame_parse(sp->buf, (size_t)n, &frame, &why)) {
		ipc_drop(sp->peer, -1, (size_t)n, why);
		return true;
	}
	ipc_receive(sp->peer, frame.type, frame.payload, frame.len);
	return true;
}

static void peer_readable(struct tevent_context *ev, struct tevent_fd *fde,
			  uint16_t flags, void *private_data)
{
	struct sock_peer *sp = private_data;

	(void)ev;
	(void)fde;
	if ((flags & TEVENT_FD_READ) && read_one(sp))
		return;
	talloc_free(sp);
}

/* Root, or the daemon's own user: anyone else must not see NT hashes. */
static bool peer_allowed(int fd, char *name, size_t size)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) ||
	    len != sizeof(cred)) {
		snprintf(name, size, "socket (unknown peer)");
		return false;
	}
	snprintf(name, size, "socket pid %ld uid %ld", (long)cred.pid,
		 (long)cred.uid);
	return cred.uid == 0 || cred.uid == geteuid();
}

static void add_peer(struct ipc_sock *sock, int fd)
{
	struct sock_peer *sp;
	char name[80];

	if (!peer_allowed(fd, name, sizeof(name))) {
		pr_warn("refused a data path connection from %s: not root or our user",
			name);
		close(fd);
		return;
	}
	if (sock->npeers >= IPC_SOCK_PEERS_MAX) {
		pr_warn("refused a data path connection from %s: %u already connected",
			name, sock->npeers);
		close(fd);
		return;
	}
	sp = talloc_zero(sock, struct sock_peer);
	if (!sp) {
		close(fd);
		return;
	}
	sp->sock = sock;
	sp->fd = fd;
	sp->next = sock->peers;
	sock->peers = sp;
	sock->npeers++;
	talloc_set_destructor(sp, sock_peer_destructor);
	sp->buf = talloc_size(sp, IPC_SOCK_RECV_MAX);
	sp->peer = ipc_peer_new(sock->ipc, sp, &sock_ops, sp, name);
	if (sp->buf && sp->peer)
		sp->fde = tevent_add_fd(sock->ev, sp, fd, TEVENT_FD_READ,
					peer_readable, sp);
	if (!sp->fde) {
		pr_err("out of memory accepting %s", name);
		talloc_free(sp);
	}
}

static void listener_readable(struct tevent_context *ev, struct tevent_fd *fde,
			      uint16_t flags, void *private_data)
{
	struct ipc_sock *sock = private_data;
	int fd;

	(void)ev;
	(void)fde;
	(void)flags;
	fd = accept4(sock->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
		    errno != ECONNABORTED)
			pr_warn("accept on %s: %s", sock->path, strerror(errno));
		return;
	}
	add_peer(sock, fd);
}

unsigned int ipc_sock_peer_count(const struct ipc_sock *sock)
{
	return sock->npeers;
}

/* ---------------------------------------------------------------------- */
/* the listening socket */

static int sock_destructor(struct ipc_sock *sock)
{
	struct stat st;

	while (sock->peers)
		talloc_free(sock->peers);
	TALLOC_FREE(sock->fde);
	if (sock->fd >= 0) {
		close(sock->fd);
		/* remove the file only if it is still the one we made */
		if (lstat(sock->path, &st) == 0 && st.st_dev == sock->dev &&
		    st.st_ino == sock->ino)
			unlink(sock->path);
	}
	return 0;
}

static int fill_addr(struct sockaddr_un *sun, const char *path)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (!path[0] || strlen(path) >= sizeof(sun->sun_path))
		return -ENAMETOOLONG;
	memcpy(sun->sun_path, path, strlen(path));
	return 0;
}

/* An existing socket file: stale (remove it) or in use (error)? */
static int clear_stale(const struct sockaddr_un *sun, const char *path)
{
	struct stat st;
	int fd, rc;

	if (lstat(path, &st)) {
		if (errno == ENOENT)
			return 0;
		pr_err("%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISSOCK(st.st_mode)) {
		pr_err("%s exists and is not a socket; not touching it", path);
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		pr_err("socket: %s", strerror(errno));
		return -1;
	}
	rc = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	close(fd);
	if (rc == 0) {
		pr_err("%s: another daemon is listening there", path);
		return -1;
	}
	if (errno != ECONNREFUSED) {
		pr_err("%s: %s", path, strerror(errno));
		return -1;
	}
	if (unlink(path) && errno != ENOENT) {
		pr_err("cannot remove the stale socket %s: %s", path,
		       strerror(errno));
		return -1;
	}
	return 0;
}

static int bind_listen(struct ipc_sock *sock, const struct sockaddr_un *sun)
{
	struct stat st;
	mode_t old_mask;
	int rc;

	sock->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK,
			  0);
	if (sock->fd < 0) {
		pr_err("socket: %s", strerror(errno));
		return -1;
	}
	old_mask = umask(0177);		/* the socket file is 0600 */
	rc = bind(sock->fd, (const struct sockaddr *)sun, sizeof(*sun));
	umask(old_mask);
	if (rc) {
		pr_err("bind %s: %s", sock->path, strerror(errno));
		close(sock->fd);
		sock->fd = -1;
		return -1;
	}
	if (lstat(sock->path, &st) == 0) {
		sock->dev = st.st_dev;
		sock->ino = st.st_ino;
	}
	if (listen(sock->fd, IPC_SOCK_PEERS_MAX)) {
		pr_err("listen %s: %s", sock->path, strerror(errno));
		return -1;
	}
	return 0;
}

struct ipc_sock *ipc_sock_listen(TALLOC_CTX *mem_ctx,
				 struct tevent_context *ev, struct ipc *ipc,
				 const char *path)
{
	struct ipc_sock *sock;
	struct sockaddr_un sun;

	if (fill_addr(&sun, path)) {
		pr_err("IPC socket path '%s' is empty or longer than %zu bytes",
		       path, sizeof(sun.sun_path) - 1);
		return NULL;
	}
	if (clear_stale(&sun, path))
		return NULL;
	sock = talloc_zero(mem_ctx, struct ipc_sock);
	if (!sock)
		return NULL;
	sock->ev = ev;
	sock->ipc = ipc;
	sock->fd = -1;
	sock->path = talloc_strdup(sock, path);
	talloc_set_destructor(sock, sock_destructor);
	if (!sock->path || bind_listen(sock, &sun))
		goto fail;
	sock->fde = tevent_add_fd(ev, sock, sock->fd, TEVENT_FD_READ,
				  listener_readable, sock);
	if (!sock->fde)
		goto fail;
	pr_info("listening for the data path on %s", path);
	return sock;
fail:
	talloc_free(sock);
	return NULL;
}
