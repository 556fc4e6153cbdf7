// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The userspace host's status socket (smbd-user --status-socket PATH).
 *
 * An AF_UNIX stream socket, mode 0600: the snapshot names users, client
 * addresses and paths, so only the owner (the daemon's user, root in
 * production) may read it; a peer of another uid is also refused by its
 * credentials.
 *
 * A client sends one request and reads the answer to EOF; the request and
 * the answers are declared in idl/status.idl and read and written only by
 * the generated code:
 *   smbd_status_req     SNAPSHOT: the snapshot (kmod/status.c)
 *                       VERSION: a reply with the data path's version
 *                       DEBUG: a reply with the debug components, enabled
 *                       ones in brackets ("smb [auth] vfs oplock ipc conn
 *                       rdma"), as the kernel module's debug file shows
 *                       them; with an argument (a component or "all")
 *                       that one is toggled first
 * Anything else is answered with a BAD_REQUEST reply. A client that sends
 * no whole request within REQ_TIMEOUT_MS is closed unanswered.
 *
 * A dedicated thread serves it, so the data path's event loop (net.c)
 * does not know it exists. Taking a snapshot waits on each connection's
 * lock in turn; a slow reader is cut off by a send timeout, a silent one
 * by the request timeout (clients are served one at a time).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "smbd.h"
#include "host.h"
#include "status.h"

/* First guess at the snapshot's size, and the most we will build. */
#define SNAP_START	(64U * 1024U)
#define SNAP_MAX	(64U * 1024U * 1024U)
#define SEND_TIMEOUT_S	5
/* The longest request, and how long we wait for it. */
#define REQ_MAX		(SMBD_STATUS_REQ_SIZE + SMBD_STATUS_ARG_MAX)
#define REQ_TIMEOUT_MS	2000

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif


/* In bit order, as the kernel module's debug file names them. */
static const char *const debug_names[] = {
	"smb", "auth", "vfs", "oplock", "ipc", "conn", "rdma",
};
#define DEBUG_ALL	((1U << (sizeof(debug_names) / sizeof(debug_names[0]))) - 1)

static struct {
	int lfd;
	int stop;		/* an eventfd: written once to stop the thread */
	pthread_t thread;
	int running;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
} st = { .lfd = -1, .stop = -1 };

static int peer_allowed(int fd)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len))
		return 0;
	return cr.uid == 0 || cr.uid == geteuid();
}

static int send_all(int fd, const unsigned char *p, size_t n)
{
	ssize_t w;

	while (n) {
		w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Read one request into req (its views point into buf). 1: a request;
 * 0: bytes that are not one (answered as a bad request); -1: nothing whole
 * in time, EOF or an error (closed unanswered). One deadline for the
 * whole request: a client that dribbles bytes cannot hold the thread
 * longer. The decoder says whether the bytes so far are a request, could
 * become one (truncated) or never will; a request is at most REQ_MAX bytes.
 */
static int read_request(int fd, u8 buf[REQ_MAX], struct smbd_status_req *req)
{
	long deadline = now_ms() + REQ_TIMEOUT_MS, left;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t n = 0;
	ssize_t r;
	int rc;

	for (;;) {
		left = deadline - now_ms();
		if (left <= 0)
			return -1;
		r = poll(&pfd, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		r = recv(fd, buf + n, REQ_MAX - n, MSG_DONTWAIT);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r <= 0)
			return -1;
		n += (size_t)r;
		rc = smbd_status_req_decode(buf, n, req);
		if (!rc)
			return 1;
		if (rc != -WIRE_ETRUNC || n == REQ_MAX)
			return 0;
	}
}

/* One reply (idl/status.idl smbd_status_reply). */
static void send_reply(int fd, u16 op, u16 result, const char *text)
{
	struct smbd_status_reply r = { .op = op, .result = result };
	u8 buf[SMBD_STATUS_REPLY_SIZE + SMBD_STATUS_TEXT_MAX];
	size_t len = strlen(text);

	if (len > SMBD_STATUS_TEXT_MAX)
		len = SMBD_STATUS_TEXT_MAX;
	r.text_len = (u16)len;
	r.text.p = (const u8 *)text;
	r.text.len = (u32)len;
	if (!smbd_status_reply_encode(buf, sizeof(buf), &r, &len))
		send_all(fd, buf, len);
}

/* "smb [auth] vfs ...": the kernel module's debug file's format. */
static void send_debug(int fd, unsigned int mask)
{
	char line[128];
	size_t i, n = 0;

	for (i = 0; i < sizeof(debug_names) / sizeof(debug_names[0]); i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n,
				      mask & (1U << i) ? "%s[%s]" : "%s%s",
				      i ? " " : "", debug_names[i]);
	send_reply(fd, SMBD_STATUS_OP_DEBUG, SMBD_STATUS_RESULT_OK, line);
}

/* Toggle the component arg names (or "all"). -1: no such component. */
static int toggle_debug(const struct wire_blob *arg, unsigned int *mask)
{
	size_t i;

	if (arg->len == 3 && !memcmp(arg->p, "all", 3)) {
		*mask = host_debug_toggle(DEBUG_ALL, DEBUG_ALL);
		return 0;
	}
	for (i = 0; i < sizeof(debug_names) / sizeof(debug_names[0]); i++) {
		if (arg->len == strlen(debug_names[i]) &&
		    !memcmp(arg->p, debug_names[i], arg->len)) {
			*mask = host_debug_toggle(1U << i, DEBUG_ALL);
			return 0;
		}
	}
	return -1;
}

/* Build the snapshot, growing the buffer while it is too small. */
static void send_snapshot(int fd)
{
	unsigned char *buf = NULL, *nb;
	u32 cap = SNAP_START, len = 0;
	int rc;

	for (;;) {
		nb = realloc(buf, cap);
		if (!nb)
			break;
		buf = nb;
		rc = smbd_status_encode(buf, cap, &len);
		if (rc != -OS_EMSGSIZE || cap >= SNAP_MAX)
			break;
		cap *= 2;
	}
	if (buf && len)
		send_all(fd, buf, len);
	else
		os_log(OS_LOG_ERR, "status: no snapshot (%u bytes tried)", cap);
	free(buf);
}

/*
 * Take what the client sent beyond its request (up to a bound) before
 * we close: closing with it unread would reset the connection, and the
 * client could lose the answer it has not read yet.
 */
static void drain(int fd)
{
	char junk[512];
	unsigned int i;

	for (i = 0; i < 8; i++)
		if (recv(fd, junk, sizeof(junk), MSG_DONTWAIT) <= 0)
			break;
}

/* Serve a decoded request. 0, or -1 when it is refused. */
static int serve_request(int fd, const struct smbd_status_req *req)
{
	unsigned int mask;

	switch (req->op) {
	case SMBD_STATUS_OP_SNAPSHOT:
		if (req->arg_len)
			return -1;
		send_snapshot(fd);
		return 0;
	case SMBD_STATUS_OP_VERSION:
		if (req->arg_len)
			return -1;
		send_reply(fd, req->op, SMBD_STATUS_RESULT_OK, PACKAGE_VERSION);
		return 0;
	case SMBD_STATUS_OP_DEBUG:
		mask = host_debug_mask();
		if (req->arg_len && toggle_debug(&req->arg, &mask))
			return -1;
		send_debug(fd, mask);
		return 0;
	default:
		return -1;
	}
}

static const char *op_name(u16 op)
{
	switch (op) {
	case SMBD_STATUS_OP_SNAPSHOT:
		return "status";
	case SMBD_STATUS_OP_VERSION:
		return "version";
	default:
		return "debug";
	}
}

static void serve_one(int fd)
{
	struct timeval tv = { .tv_sec = SEND_TIMEOUT_S };
	struct smbd_status_req req;
	u8 buf[REQ_MAX];
	int rc;

	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (!peer_allowed(fd))
		return;
	rc = read_request(fd, buf, &req);
	if (rc < 0) {
		os_log(OS_LOG_DEBUG, "status: no request in time, closed");
		return;
	}
	if (!rc || serve_request(fd, &req)) {
		os_log(OS_LOG_DEBUG, "status: unknown request");
		send_reply(fd, rc ? req.op : SMBD_STATUS_OP_NONE,
			   SMBD_STATUS_RESULT_BAD_REQUEST, "unknown request");
		drain(fd);
		return;
	}
	drain(fd);
	/* a known request: its argument is a component's name, ours to print */
	os_log(OS_LOG_DEBUG, "status: served \"%s%s%.*s\" (debug mask 0x%x)",
	       op_name(req.op), req.arg.len ? " " : "", (int)req.arg.len,
	       req.arg.len ? (const char *)req.arg.p : "", host_debug_mask());
}

static void *status_thread(void *arg)
{
	struct pollfd pfd[2] = {
		{ .fd = st.lfd, .events = POLLIN },
		{ .fd = st.stop, .events = POLLIN },
	};
	int fd;

	(void)arg;
	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[1].revents)
			break;
		if (!(pfd[0].revents & POLLIN))
			continue;
		fd = accept4(st.lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		serve_one(fd);
		close(fd);
	}
	return NULL;
}

static int listen_on(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	/* a socket left by a crashed predecessor; we are the one served now */
	unlink(path);
	/* chmod before listen: until then nobody can connect */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    chmod(path, 0600) || listen(fd, 8)) {
		int err = errno;

		close(fd);
		unlink(path);
		errno = err;
		return -1;
	}
	return fd;
}

int host_status_start(const char *path)
{
	int err;

	if (smbd_status_init())
		return -1;
	st.lfd = listen_on(path);
	if (st.lfd < 0) {
		os_log(OS_LOG_ERR, "status socket %s: %s", path, strerror(errno));
		return -1;
	}
	strcpy(st.path, path);
	st.stop = eventfd(0, EFD_CLOEXEC);
	if (st.stop < 0)
		goto fail;
	err = pthread_create(&st.thread, NULL, status_thread, NULL);
	if (err) {
		errno = err;
		goto fail;
	}
	st.running = 1;
	return 0;
fail:
	os_log(OS_LOG_ERR, "status socket %s: %s", path, strerror(errno));
	host_status_stop();
	return -1;
}

void host_status_stop(void)
{
	uint64_t one = 1;
	ssize_t n;

	if (st.running) {
		do {
			n = write(st.stop, &one, sizeof(one));
		} while (n < 0 && errno == EINTR);
		pthread_join(st.thread, NULL);
		st.running = 0;
	}
	if (st.lfd >= 0) {
		close(st.lfd);
		unlink(st.path);
		st.lfd = -1;
	}
	if (st.stop >= 0) {
		close(st.stop);
		st.stop = -1;
	}
	/* main.c calls this after host_net_run: no connection is left */
	smbd_status_exit();
}
