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
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "smbd.h"
#include "host.h"

/*
 * A peer that stops in the middle of a frame, or stops reading our
 * answer, is dropped after this: no worker waits longer for one peer.
 */
#define FRAME_TIMEOUT_S 30
/*
 * Out of file descriptors, the listener stays readable but accept fails:
 * it leaves the epoll set for this long instead of spinning the loop.
 */
#define ACCEPT_PAUSE_MS 200

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
static long long accept_paused_at;	/* ms; 0: the listener is in epfd */
static int fd_starved;			/* said so, not accepted since */
static volatile sig_atomic_t stop_flag;
static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static struct host_conn conns = { .next = &conns, .prev = &conns };

void host_net_stop(void)
{
	stop_flag = 1;
}

static long long now_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec * 1000LL + now.tv_nsec / 1000000;
}

/*
 * Wait until the socket is ready for ev, or the deadline (a monotonic
 * time in ms) passed: 0, or -OS_ETIMEDOUT. Deadlines bound each transfer
 * as a whole, so a peer that trickles a byte now and then cannot hold
 * a worker longer than one that sends nothing.
 */
static int sock_wait(int fd, short ev, long long deadline)
{
	struct pollfd pfd = { .fd = fd, .events = ev };
	long long left;
	int rc;

	do {
		left = deadline - now_ms();
		if (left <= 0)
			return -OS_ETIMEDOUT;
		rc = poll(&pfd, 1, (int)left);
	} while (rc < 0 && errno == EINTR);
	return rc > 0 ? 0 : -OS_ETIMEDOUT;
}

static long long frame_deadline(void)
{
	return now_ms() + FRAME_TIMEOUT_S * 1000LL;
}

/* A failed send or receive: the peer left, or something else broke. */
static int sock_err(void)
{
	if (errno == ECONNRESET || errno == EPIPE)
		return -OS_ECONNRESET;
	return -OS_EIO;
}

int os_sock_recv_exact(struct os_sock *s, void *buf, u32 n)
{
	long long deadline = frame_deadline();
	u8 *p = buf;
	ssize_t got;
	int rc;

	while (n) {
		rc = sock_wait(s->fd, POLLIN, deadline);
		if (rc)
			return rc;
		got = recv(s->fd, p, n, MSG_DONTWAIT);
		if (got == 0)
			return -OS_ECONNRESET;
		if (got < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return sock_err();
		}
		p += got;
		n -= (u32)got;
	}
	return 0;
}

int os_sock_send(struct os_sock *s, const void *buf, u32 n)
{
	long long deadline = frame_deadline();
	const u8 *p = buf;
	ssize_t sent;
	int rc;

	while (n) {
		rc = sock_wait(s->fd, POLLOUT, deadline);
		if (rc)
			return rc;
		sent = send(s->fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (sent < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return sock_err();
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

/*
 * Say once why we hang up on a peer. One that left by itself (end of
 * stream, reset) is no news: a flood of those logs nothing.
 */
static void conn_log_drop(struct host_conn *hc, int rc)
{
	const struct sockaddr_in *a4 = (const void *)&hc->sock.peer;
	const char *why = "i/o error";

	if (rc == -OS_ECONNRESET)
		return;
	if (rc == -OS_ETIMEDOUT)
		why = "stalled mid-frame or not reading its answers";
	else if (rc == -OS_EMSGSIZE)
		why = "frame length out of range";
	else if (rc == -OS_EPROTO)
		why = "protocol violation";
	else if (rc == -OS_ENOMEM)
		why = "out of memory";
	/* sin_port sits at the same place in sockaddr_in6 */
	os_log(OS_LOG_INFO, "peer %s:%u dropped: %s", hc->core->peer,
	       ntohs(a4->sin_port), why);
}

/* A worker job: one frame of one connection. */
static void conn_serve(void *arg)
{
	struct host_conn *hc = arg;
	int rc = stop_flag ? -OS_ECONNRESET : smbd_conn_serve_one(hc->core);

	if (rc < 0) {
		conn_log_drop(hc, rc);
		conn_close(hc);
		return;
	}
	conn_arm(hc, EPOLL_CTL_MOD);
}

/* Out of fds: new peers wait in the backlog for a while, said once. */
static void accept_pause(int lfd, int err)
{
	if (!fd_starved)
		os_log(OS_LOG_ERR, "cannot accept: %s; new connections wait",
		       strerror(err));
	fd_starved = 1;
	epoll_ctl(epfd, EPOLL_CTL_DEL, lfd, NULL);
	accept_paused_at = now_ms();
}

static void accept_resume(int lfd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };

	if (!accept_paused_at || now_ms() - accept_paused_at < ACCEPT_PAUSE_MS)
		return;
	accept_paused_at = 0;
	epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &ev);
}

static void conn_accept(int lfd)
{
	socklen_t alen = sizeof(struct sockaddr_storage);
	struct host_conn *hc = calloc(1, sizeof(*hc));
	int one = 1;

	if (!hc)
		return;
	hc->sock.fd = accept4(lfd, (struct sockaddr *)&hc->sock.peer, &alen,
			      SOCK_CLOEXEC);
	if (hc->sock.fd < 0) {
		if (errno == EMFILE || errno == ENFILE)
			accept_pause(lfd, errno);
		free(hc);
		return;
	}
	if (fd_starved) {
		os_log(OS_LOG_INFO, "file descriptors available again: accepting");
		fd_starved = 0;
	}
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
		accept_resume(lfd);
	}
	host_work_stop();
	close_all();
	close(lfd);
	close(epfd);
	return 0;
}
