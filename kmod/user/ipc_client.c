// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * os_upcall() over ksmbd.mountd's user-mode socket (server/ipc.h):
 * AF_UNIX SOCK_SEQPACKET, one datagram = smbd_ipc_hdr + one SMBD_GENL
 * payload, framed and unframed with the generated smbd_ipc_hdr code.
 *
 * Upcalls are serialized by one mutex: the daemon answers in order and
 * this slice has few of them (logins and tree connects). Replies are
 * matched by type and handle; anything else that arrives (a late reply
 * of a timed-out call, the daemon's own notices) is dropped.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "os.h"
#include "netlink.h"
#include "host.h"

static int ipc_fd = -1;
static pthread_mutex_t ipc_lock = PTHREAD_MUTEX_INITIALIZER;
static u32 next_handle;

#define IPC_MSG_MAX (SMBD_IPC_HDR_SIZE + SMBD_NL_DAEMON_MSG_MAX)

int host_ipc_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -1;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	ipc_fd = fd;
	return 0;
}

void host_ipc_close(void)
{
	if (ipc_fd >= 0)
		close(ipc_fd);
	ipc_fd = -1;
}

u32 os_upcall_handle(void)
{
	return __atomic_add_fetch(&next_handle, 1, __ATOMIC_RELAXED);
}

static int send_msg(u16 type, const void *req, u32 len)
{
	struct smbd_ipc_hdr h = {
		.event = type,
		.length = len,
		.payload = { req, len },
	};
	u8 out[IPC_MSG_MAX];
	size_t n;

	if (smbd_ipc_hdr_encode(out, sizeof(out), &h, &n))
		return -OS_EMSGSIZE;
	return send(ipc_fd, out, n, MSG_NOSIGNAL) == (ssize_t)n ? 0 : -OS_EIO;
}

static long ms_left(const struct timespec *end)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (end->tv_sec - now.tv_sec) * 1000 +
	       (end->tv_nsec - now.tv_nsec) / 1000000;
}

/* Wait for the reply of type with this handle. */
/*
 * Every SMBD_GENL message starts with its u32 handle (the layout of
 * smbd_nl_heartbeat): the handle, or -1 for a message too short to have one.
 */
static s64 msg_handle(const void *msg, u32 len)
{
	struct smbd_nl_heartbeat hb;

	return smbd_nl_heartbeat_decode(msg, len, &hb) ? -1 : (s64)hb.handle;
}

static int recv_reply(u16 type, u32 handle, void *rsp, u32 cap, u32 *got)
{
	static u8 in[IPC_MSG_MAX];	/* under ipc_lock */
	struct timespec end;
	struct smbd_ipc_hdr h;
	struct pollfd pfd = { .fd = ipc_fd, .events = POLLIN };
	long left;
	ssize_t n;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += SMBD_NL_REPLY_TIMEOUT_S;
	while ((left = ms_left(&end)) > 0) {
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		n = recv(ipc_fd, in, sizeof(in), 0);
		if (n <= 0)
			return -OS_ECONNRESET;
		if (smbd_ipc_hdr_decode(in, (size_t)n, &h) || h.event != type ||
		    msg_handle(h.payload.p, h.payload.len) != (s64)handle)
			continue;	/* not ours: see the header comment */
		if (h.payload.len > cap)
			return -OS_EMSGSIZE;
		memcpy(rsp, h.payload.p, h.payload.len);
		*got = h.payload.len;
		return 0;
	}
	return -OS_ETIMEDOUT;
}

int os_upcall(u16 type, const void *req, u32 len, u16 reply_type,
	      void *rsp, u32 cap, u32 *rsp_len)
{
	int rc;

	if (ipc_fd < 0)
		return -OS_ECONNRESET;
	pthread_mutex_lock(&ipc_lock);
	rc = send_msg(type, req, len);
	if (!rc && reply_type)
		rc = msg_handle(req, len) >= 0 ?
		     recv_reply(reply_type, (u32)msg_handle(req, len), rsp, cap,
				rsp_len) : -OS_EINVAL;
	pthread_mutex_unlock(&ipc_lock);
	if (rc)
		os_log(OS_LOG_ERR, "upcall %u failed: %d", type, rc);
	return rc;
}
