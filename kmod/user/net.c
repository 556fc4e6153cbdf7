// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The TCP side of the userspace host: one epoll loop accepts connections
 * and notices readable ones; the worker pool serves them.
 *
 * Each connection is registered EPOLLONESHOT: once it fires, no other
 * worker can get the same connection until the serving worker re-arms
 * it. That is what lets the core treat a connection's state as its own
 * (kmod/smbd.h). A connection being served is never freed by the loop:
 * only its worker closes it.
 */
#define _GNU_SOURCE	/* accept4 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "smbd.h"
#include "host.h"

/* A peer that stops in the middle of a frame is dropped after this. */
#define FRAME_TIMEOUT_S 30

struct os_sock {
	int fd;
	struct sockaddr_storage peer;
};

struct host_conn {
	struct host_conn *next, *prev;	/* all connections, under conns_lock */
	struct os_sock sock;
	struct smbd_conn *core;
	int busy;			/* a worker is serving it */
};

static int epfd = -1;
static volatile sig_atomic_t stop_flag;
static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static struct host_conn conns = { .next = &conns, .prev = &conns };

void host_net_stop(void)
{
	stop_flag = 1;
}

int os_sock_recv_exact(struct os_sock *s, void *buf, u32 n)
{
	u8 *p = buf;

	while (n) {
		ssize_t got = recv(s->fd, p, n, 0);

		if (got == 0)
			return -OS_ECONNRESET;
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN ? -OS_ETIMEDOUT : -OS_EIO;
		}
		p += got;
		n -= (u32)got;
	}
	return 0;
}

int os_sock_send(struct os_sock *s, const void *buf, u32 n)
{
	const u8 *p = buf;

	while (n) {
		ssize_t sent = send(s->fd, p, n, MSG_NOSIGNAL);

		if (sent < 0) {
			if (errno == EINTR)
				continue;
			return -OS_EIO;
		}
		p += sent;
		n -= (u32)sent;
	}
	return 0;
}

void os_sock_peer(struct os_sock *s, char *buf, u32 cap, int *ipv6)
{
	const struct sockaddr_in *a4 = (const void *)&s->peer;
	const struct sockaddr_in6 *a6 = (const void *)&s->peer;

	*ipv6 = s->peer.ss_family == AF_INET6;
	if (!inet_ntop(s->peer.ss_family, *ipv6 ? (const void *)&a6->sin6_addr :
		       (const void *)&a4->sin_addr, buf, cap))
		snprintf(buf, cap, "?");
}

static void conn_close(struct host_conn *hc)
{
	pthread_mutex_lock(&conns_lock);
	hc->prev->next = hc->next;
	hc->next->prev = hc->prev;
	pthread_mutex_unlock(&conns_lock);
	epoll_ctl(epfd, EPOLL_CTL_DEL, hc->sock.fd, NULL);
	close(hc->sock.fd);
	smbd_conn_free(hc->core);
	free(hc);
}

static void conn_arm(struct host_conn *hc, int op)
{
	struct epoll_event ev = {
		.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT,
		.data.ptr = hc,
	};

	epoll_ctl(epfd, op, hc->sock.fd, &ev);
}

/* A worker job: one frame of one connection. */
static void conn_serve(void *arg)
{
	struct host_conn *hc = arg;

	if (stop_flag || smbd_conn_serve_one(hc->core) < 0) {
		conn_close(hc);
		return;
	}
	conn_arm(hc, EPOLL_CTL_MOD);
}

static void conn_accept(int lfd)
{
	struct timeval tv = { .tv_sec = FRAME_TIMEOUT_S };
	socklen_t alen = sizeof(struct sockaddr_storage);
	struct host_conn *hc = calloc(1, sizeof(*hc));
	int one = 1;

	if (!hc)
		return;
	hc->sock.fd = accept4(lfd, (struct sockaddr *)&hc->sock.peer, &alen,
			      SOCK_CLOEXEC);
	if (hc->sock.fd < 0) {
		free(hc);
		return;
	}
	setsockopt(hc->sock.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(hc->sock.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	hc->core = smbd_conn_new(&hc->sock);
	if (!hc->core) {
		close(hc->sock.fd);
		free(hc);
		return;
	}
	pthread_mutex_lock(&conns_lock);
	hc->next = conns.next;
	hc->prev = &conns;
	conns.next->prev = hc;
	conns.next = hc;
	pthread_mutex_unlock(&conns_lock);
	conn_arm(hc, EPOLL_CTL_ADD);
}

static int listen_on(const char *addr, uint16_t port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd, one = 1;

	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1)
		return -1;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 64) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* At exit, after the workers stopped: nobody else touches the list. */
static void close_all(void)
{
	while (conns.next != &conns)
		conn_close(conns.next);
}

int host_net_run(const struct host_config *cfg)
{
	struct epoll_event ev = { .events = EPOLLIN }, evs[32];
	int lfd, n, i;

	lfd = listen_on(cfg->addr, cfg->port);
	if (lfd < 0) {
		os_log(OS_LOG_ERR, "cannot listen on %s:%u: %s", cfg->addr,
		       cfg->port, strerror(errno));
		return -1;
	}
	epfd = epoll_create1(EPOLL_CLOEXEC);
	ev.data.ptr = NULL;	/* NULL: the listener */
	if (epfd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &ev) < 0 ||
	    host_work_start(cfg->workers)) {
		close(lfd);
		return -1;
	}
	os_log(OS_LOG_INFO, "listening on %s:%u", cfg->addr, cfg->port);
	while (!stop_flag) {
		n = epoll_wait(epfd, evs, 32, 200);
		for (i = 0; i < n; i++) {
			if (!evs[i].data.ptr)
				conn_accept(lfd);
			else if (os_work_queue(conn_serve, evs[i].data.ptr))
				conn_arm(evs[i].data.ptr, EPOLL_CTL_MOD);
		}
	}
	host_work_stop();
	close_all();
	close(lfd);
	close(epfd);
	return 0;
}
