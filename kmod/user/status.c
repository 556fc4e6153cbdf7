// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The userspace host's status socket (smbd-user --status-socket PATH).
 *
 * An AF_UNIX stream socket, mode 0600: the snapshot names users, client
 * addresses and paths, so only the owner (the daemon's user, root in
 * production) may read it; a peer of another uid is also refused by its
 * credentials. Each connection gets one snapshot (kmod/status.c, format
 * idl/status.idl) and is closed: ksmbd.control reads to EOF.
 *
 * A dedicated thread serves it, so the data path's event loop (net.c)
 * does not know it exists. Taking a snapshot waits on each connection's
 * lock in turn; a slow reader is cut off by a send timeout.
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
#include <unistd.h>

#include "smbd.h"
#include "host.h"

/* First guess at the snapshot's size, and the most we will build. */
#define SNAP_START	(64U * 1024U)
#define SNAP_MAX	(64U * 1024U * 1024U)
#define SEND_TIMEOUT_S	5

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

/* Build the snapshot, growing the buffer while it is too small. */
static void serve_one(int fd)
{
	struct timeval tv = { .tv_sec = SEND_TIMEOUT_S };
	unsigned char *buf = NULL, *nb;
	u32 cap = SNAP_START, len = 0;
	int rc;

	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (!peer_allowed(fd))
		return;
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
