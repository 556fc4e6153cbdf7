// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The TCP side of the userspace host: one epoll loop accepts connections,
 * reads frames and sends what answers did not fit in the socket; the
 * worker pool handles complete frames. No thread ever waits for a peer.
 *
 * A connection belongs to the loop, except while a worker handles its
 * frames (busy): then it is the worker's, it is not in the epoll set,
 * and the loop neither reads it nor drops it. That is what lets the core
 * treat a connection's state as its own, one frame at a time
 * (kmod/smbd.h). The hand-over back to the loop (busy cleared, the socket
 * re-armed) happens under conns_lock, which the loop's timeout scan takes.
 *
 * Reading is non-blocking, into a read-ahead buffer (rbuf) that the
 * connection has only while it has bytes to read or frames to handle:
 * one recv usually brings a frame's header and body, and, with requests
 * queued in the socket, several frames. rbuf starts small (RBUF_SMALL)
 * and grows to RBUF_SIZE once a recv fills it or a frame needs the room;
 * a few big ones are kept for reuse (RBUF_SPARE, per process). Complete
 * frames are handed to the core where they lie in rbuf. A frame that
 * does not fit gets a buffer of exactly its length (frame), which the
 * rest is read into directly. When the connection goes back to waiting on the
 * peer, a partial frame left in rbuf moves to the small representation
 * (its first header bytes in hdr, or the frame buffer) and rbuf is
 * freed: an idle connection holds no buffer, and a peer that stalls
 * mid-frame holds no more than the frame it announced.
 *
 * The worker that has a connection serves it in batches: after each
 * frame it takes the next one from rbuf, or tries one non-blocking recv,
 * and handles it at once; only when the socket has nothing complete does
 * the connection go back to the loop (one epoll_ctl). With many requests
 * in flight that saves the loop's wake-up, the hand-over to a worker and
 * the re-arming for each of them. A batch ends after BATCH_FRAMES frames
 * (the connection then queues itself behind the other work, so one busy
 * peer does not starve the rest) or as soon as an answer waits in out.
 *
 * An answer the socket does not take at once waits in out; the loop sends
 * it when the socket is writable, and no further frame of that peer is
 * handled until it is out (what was read ahead, at most rbuf, waits).
 *
 * Sends may also come from other threads (os.h: an oplock break for this
 * connection, made by a request of another one; the final answer of a
 * parked request): out and since are therefore under out_lock, taken by
 * os_sock_send and by the loop's flush. A send that leaves bytes in out
 * re-arms an idle connection for writing (under conns_lock, and only
 * when no worker has it: a worker re-arms when it is done anyway), and
 * the loop, woken for a busy connection, only flushes. The host calls
 * smbd_conn_free() before it closes the socket: after that the core
 * sends nothing to it.
 */
#define _GNU_SOURCE	/* accept4 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <stdint.h>
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
 * answer, is dropped after this. An idle one (between frames) is not.
 */
#define FRAME_TIMEOUT_MS (30 * 1000LL)
/* How often the loop looks for such peers. */
#define SCAN_PERIOD_MS 1000
/*
 * Out of file descriptors, the listener stays readable but accept fails:
 * it leaves the epoll set for this long instead of spinning the loop.
 */
#define ACCEPT_PAUSE_MS 200
#define HDR_SIZE SMB2_TRANSPORT_HDR_SIZE
/*
 * Read-ahead per connection while it has input: 16 frames of a 4 KiB
 * write, or every small request a client keeps in flight, in one recv.
 */
#define RBUF_SIZE (64 * 1024U)
/*
 * What a connection starts with: a request or two. It moves to RBUF_SIZE
 * once a recv filled it (more is queued) or a frame needs the room, so
 * a burst of one-request peers does not take 64 KiB each.
 */
#define RBUF_SMALL (8 * 1024U)
/* Frames one worker handles for a connection before it lets others run. */
#define BATCH_FRAMES 16
/*
 * Read-ahead buffers kept for reuse when their connection went idle: a
 * peer that sends one request at a time takes one and gives it back for
 * each, and malloc would hand back fresh pages each time (the heap is
 * trimmed once a free leaves more than 128 KiB at its top). Per process,
 * not per connection.
 */
#define RBUF_SPARE 4

struct os_sock {
	int fd;
	struct sockaddr_storage peer;
};

struct host_conn {
	struct host_conn *next, *prev;	/* all connections, under conns_lock */
	struct os_sock sock;
	struct smbd_conn *core;
	int busy;			/* a worker has it; under conns_lock */
	pthread_mutex_t out_lock;	/* out, out_len, out_done */
	/* ms when the frame being read or the answer in out began; 0: idle */
	long long since;
	/*
	 * Input not handled yet, in one of three places: rbuf[rpos, rlen)
	 * (any number of frames, the last maybe partial), or the first
	 * bytes of a header in hdr (rbuf NULL), or one frame being read
	 * into its own buffer (rbuf empty or NULL).
	 */
	u8 *rbuf;
	u32 rpos, rlen, rcap;		/* rcap: RBUF_SMALL or RBUF_SIZE */
	u8 hdr[HDR_SIZE];
	u32 hdr_got;
	u8 *frame;			/* exactly frame_len bytes */
	u32 frame_len, frame_got;
	u8 *out;			/* what the socket did not take yet */
	u32 out_len, out_done;
};

static int epfd = -1;
static long long accept_paused_at;	/* ms; 0: the listener is in epfd */
static int fd_starved;			/* said so, not accepted since */
static volatile sig_atomic_t stop_flag;
static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t spare_lock = PTHREAD_MUTEX_INITIALIZER;
static u8 *spare[RBUF_SPARE];		/* under spare_lock */
static unsigned int nspare;
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

/* A failed send or receive: the peer left, or something else broke. */
static int sock_err(void)
{
	if (errno == ECONNRESET || errno == EPIPE)
		return -OS_ECONNRESET;
	return -OS_EIO;
}

static int would_block(void)
{
	return errno == EAGAIN || errno == EWOULDBLOCK;
}

/*
 * Send from buf what the socket takes now: the bytes sent, or < 0. Each
 * round sends something or stops, so the loop ends within n rounds.
 */
static long sock_send_some(int fd, const u8 *buf, u32 n)
{
	u32 done = 0;
	ssize_t sent;

	while (done < n) {
		sent = send(fd, buf + done, n - done, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (sent < 0) {
			if (errno == EINTR)
				continue;
			if (would_block())
				break;
			return sock_err();
		}
		done += (u32)sent;
	}
	return done;
}

/* Keep bytes the socket did not take, behind any already waiting. */
static int out_append(struct host_conn *hc, const u8 *buf, u32 n)
{
	u32 left = hc->out_len - hc->out_done;
	u8 *out;

	if ((u64)left + n > UINT32_MAX)
		return -OS_ENOMEM;
	out = malloc((size_t)left + n);
	if (!out)
		return -OS_ENOMEM;
	if (left)
		memcpy(out, hc->out + hc->out_done, left);
	memcpy(out + left, buf, n);
	free(hc->out);
	hc->out = out;
	hc->out_len = left + n;
	hc->out_done = 0;
	return 0;
}

static void conn_arm(struct host_conn *hc, int op, int ready);

/*
 * Called by the core from any thread, one call per socket at a time (the
 * core's send_lock): never waits. What does not go out now is sent by the
 * loop (conn_flush), and the answer's age counts from here.
 */
int os_sock_send(struct os_sock *s, const void *buf, u32 n)
{
	struct host_conn *hc = (void *)((char *)s - offsetof(struct host_conn, sock));
	long sent = 0;
	int rc = 0, queued;

	pthread_mutex_lock(&hc->out_lock);
	if (!hc->out) {
		sent = sock_send_some(s->fd, buf, n);
		if (sent < 0) {
			pthread_mutex_unlock(&hc->out_lock);
			return (int)sent;
		}
	}
	if ((u32)sent < n) {
		hc->since = now_ms();
		rc = out_append(hc, (const u8 *)buf + sent, n - (u32)sent);
	}
	queued = hc->out != NULL;
	pthread_mutex_unlock(&hc->out_lock);
	if (queued) {
		/* an idle connection waits for input only: wake it for output */
		pthread_mutex_lock(&conns_lock);
		if (!hc->busy)
			conn_arm(hc, EPOLL_CTL_MOD, 0);
		pthread_mutex_unlock(&conns_lock);
	}
	return rc;
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

static u8 *rbuf_get(u32 cap)
{
	u8 *buf = NULL;

	if (cap != RBUF_SIZE)
		return malloc(cap);
	pthread_mutex_lock(&spare_lock);
	if (nspare)
		buf = spare[--nspare];
	pthread_mutex_unlock(&spare_lock);
	return buf ? buf : malloc(RBUF_SIZE);
}

static void rbuf_put(u8 *buf, u32 cap)
{
	if (!buf || cap != RBUF_SIZE) {
		free(buf);
		return;
	}
	pthread_mutex_lock(&spare_lock);
	if (nspare < RBUF_SPARE) {
		spare[nspare++] = buf;
		buf = NULL;
	}
	pthread_mutex_unlock(&spare_lock);
	free(buf);
}

static void conn_unlink(struct host_conn *hc)
{
	hc->prev->next = hc->next;
	hc->next->prev = hc->prev;
}

/*
 * hc is off the list: nobody else can reach it but the core, which
 * stops sending to it in smbd_conn_free(): that comes first.
 */
static void conn_destroy(struct host_conn *hc)
{
	smbd_conn_free(hc->core);
	epoll_ctl(epfd, EPOLL_CTL_DEL, hc->sock.fd, NULL);
	close(hc->sock.fd);
	pthread_mutex_destroy(&hc->out_lock);
	rbuf_put(hc->rbuf, hc->rcap);
	free(hc->frame);
	free(hc->out);
	free(hc);
}

/*
 * Wait for the peer's next bytes, or for room to send what is in out.
 * ready: a complete frame waits in rbuf (it waited for out, which another
 * thread may have emptied since): wake at once if out is empty by now.
 */
static void conn_arm(struct host_conn *hc, int op, int ready)
{
	struct epoll_event ev = { .data.ptr = hc };

	pthread_mutex_lock(&hc->out_lock);
	ev.events = (hc->out || ready ? EPOLLOUT : EPOLLIN | EPOLLRDHUP) | EPOLLONESHOT;
	pthread_mutex_unlock(&hc->out_lock);
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
		why = hc->out ? "not reading its answers" : "stalled mid-frame";
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

/* By its owner (the loop, or the worker that has it busy). */
static void conn_drop(struct host_conn *hc, int rc)
{
	conn_log_drop(hc, rc);
	pthread_mutex_lock(&conns_lock);
	conn_unlink(hc);
	pthread_mutex_unlock(&conns_lock);
	conn_destroy(hc);
}

/* Some input of the peer is not handled yet (a frame, or part of one). */
static int has_input(const struct host_conn *hc)
{
	return hc->frame || hc->hdr_got || (hc->rbuf && hc->rpos < hc->rlen);
}

/* Move what rbuf holds to a buffer of RBUF_SIZE. 0 or -OS_ENOMEM. */
static int rbuf_grow(struct host_conn *hc)
{
	u32 avail = hc->rlen - hc->rpos;
	u8 *big = rbuf_get(RBUF_SIZE);

	if (!big)
		return -OS_ENOMEM;
	memcpy(big, hc->rbuf + hc->rpos, avail);
	rbuf_put(hc->rbuf, hc->rcap);
	hc->rbuf = big;
	hc->rcap = RBUF_SIZE;
	hc->rpos = 0;
	hc->rlen = avail;
	return 0;
}

/*
 * The next frame, if complete: 1 with *p and *len set (in rbuf or in
 * frame), 0 when more has to be read, < 0 when its header is bad. A
 * frame too long for rbuf, or any partial frame when to_frame is set,
 * moves to a buffer of its own; the partial one left in rbuf moves to
 * the start of it, where the rest fits.
 */
static int frame_peek(struct host_conn *hc, int to_frame, u8 **p, u32 *len)
{
	u32 avail = hc->rlen - hc->rpos, n;
	u8 *at;
	int rc;

	if (hc->frame) {
		*p = hc->frame;
		*len = hc->frame_len;
		return hc->frame_got == hc->frame_len;
	}
	if (!hc->rbuf)
		return 0;
	at = hc->rbuf + hc->rpos;
	if (avail >= HDR_SIZE) {
		rc = smbd_conn_frame_len(hc->core, at, &n);
		if (rc)
			return rc;
		if (avail - HDR_SIZE >= n) {
			*p = at + HDR_SIZE;
			*len = n;
			return 1;
		}
		if (!to_frame && n > hc->rcap - HDR_SIZE &&
		    n <= RBUF_SIZE - HDR_SIZE) {
			rc = rbuf_grow(hc);
			if (rc)
				return rc;
			return 0;
		}
		if (to_frame || n > hc->rcap - HDR_SIZE) {
			hc->frame = malloc(n);
			if (!hc->frame)
				return -OS_ENOMEM;
			memcpy(hc->frame, at + HDR_SIZE, avail - HDR_SIZE);
			hc->frame_len = n;
			hc->frame_got = avail - HDR_SIZE;
			hc->rpos = hc->rlen = 0;
			return 0;
		}
	}
	if (hc->rpos) {
		memmove(hc->rbuf, at, avail);
		hc->rpos = 0;
		hc->rlen = avail;
	}
	return 0;
}

/* The frame peeked at was handled: on to the next one. */
static void frame_done(struct host_conn *hc, u32 len)
{
	if (hc->frame) {
		free(hc->frame);
		hc->frame = NULL;
		hc->frame_len = hc->frame_got = 0;
		return;
	}
	hc->rpos += HDR_SIZE + len;
	if (hc->rpos == hc->rlen)
		hc->rpos = hc->rlen = 0;
}

/*
 * The connection goes back to waiting on its peer: give rbuf up unless
 * complete frames wait in it (behind an answer in out). A partial frame
 * moves to hdr or to a frame buffer. 1 when a complete frame waits, 0
 * when not, < 0 to drop the connection.
 */
static int conn_park(struct host_conn *hc)
{
	u32 len;
	u8 *p;
	int rc = frame_peek(hc, 1, &p, &len);

	if (rc < 0 || !hc->rbuf || (rc == 1 && !hc->frame))
		return rc;
	/* rbuf holds less than a header (nothing when a frame buffer took it) */
	hc->hdr_got = hc->rlen - hc->rpos;
	memcpy(hc->hdr, hc->rbuf + hc->rpos, hc->hdr_got);
	rbuf_put(hc->rbuf, hc->rcap);
	hc->rbuf = NULL;
	hc->rpos = hc->rlen = 0;
	return rc;
}

/* Room for the next recv: the frame being read, or rbuf. */
static int read_room(struct host_conn *hc, u8 **at, u32 *want)
{
	if (hc->frame) {
		*at = hc->frame + hc->frame_got;
		*want = hc->frame_len - hc->frame_got;
		return 0;
	}
	if (!hc->rbuf) {
		hc->rbuf = rbuf_get(RBUF_SMALL);
		if (!hc->rbuf)
			return -OS_ENOMEM;
		hc->rcap = RBUF_SMALL;
		memcpy(hc->rbuf, hc->hdr, hc->hdr_got);
		hc->rlen = hc->hdr_got;
		hc->rpos = hc->hdr_got = 0;
	}
	*at = hc->rbuf + hc->rlen;
	*want = hc->rcap - hc->rlen;
	return 0;
}

/*
 * The next complete frame of the peer, reading what the socket has if
 * need be: 1 with *p and *len set, 0 when the rest has yet to come, < 0
 * to drop the connection. Each round reads something or stops; a frame
 * in rbuf always leaves room for its rest (frame_peek), so the loop ends.
 */
static int conn_read(struct host_conn *hc, u8 **p, u32 *len)
{
	ssize_t got;
	u32 want;
	u8 *at;
	int rc;

	for (;;) {
		rc = frame_peek(hc, 0, p, len);
		if (rc)
			return rc;
		rc = read_room(hc, &at, &want);
		if (rc)
			return rc;
		got = recv(hc->sock.fd, at, want, MSG_DONTWAIT);
		if (got == 0)
			return -OS_ECONNRESET;
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return would_block() ? 0 : sock_err();
		}
		if (!hc->since)
			hc->since = now_ms();
		if (hc->frame) {
			hc->frame_got += (u32)got;
			continue;
		}
		hc->rlen += (u32)got;
		/* it took all the room: more is queued, read it in bigger steps */
		if ((u32)got == want && hc->rcap < RBUF_SIZE) {
			rc = rbuf_grow(hc);
			if (rc)
				return rc;
		}
	}
}

/*
 * Send what waits in out: 1 when all is out (or nothing was), 0 when some
 * is left, or < 0. owned: the caller owns the connection (not the loop
 * flushing for a busy one), so its input can be looked at.
 */
static int conn_flush(struct host_conn *hc, int owned)
{
	long sent;
	int rc = 1;

	pthread_mutex_lock(&hc->out_lock);
	if (!hc->out)
		goto out;
	sent = sock_send_some(hc->sock.fd, hc->out + hc->out_done,
			      hc->out_len - hc->out_done);
	if (sent < 0) {
		rc = (int)sent;
		goto out;
	}
	hc->out_done += (u32)sent;
	if (hc->out_done < hc->out_len) {
		rc = 0;
		goto out;
	}
	free(hc->out);
	hc->out = NULL;
	hc->out_len = hc->out_done = 0;
	/* a frame that waited for this answer to go out starts its clock now */
	if (owned)
		hc->since = has_input(hc) ? now_ms() : 0;
out:
	pthread_mutex_unlock(&hc->out_lock);
	return rc;
}

static int has_out(struct host_conn *hc)
{
	int ret;

	pthread_mutex_lock(&hc->out_lock);
	ret = hc->out != NULL;
	pthread_mutex_unlock(&hc->out_lock);
	return ret;
}

/*
 * A worker is done with the connection: the loop waits for its next bytes
 * (or room for out). What is left of its input counts from now.
 */
static void conn_release(struct host_conn *hc)
{
	int ready = conn_park(hc);

	if (ready < 0) {
		conn_drop(hc, ready);
		return;
	}
	pthread_mutex_lock(&hc->out_lock);
	if (!hc->out)
		hc->since = has_input(hc) ? now_ms() : 0;
	pthread_mutex_unlock(&hc->out_lock);
	pthread_mutex_lock(&conns_lock);
	hc->busy = 0;
	conn_arm(hc, EPOLL_CTL_MOD, ready);
	pthread_mutex_unlock(&conns_lock);
}

/*
 * A worker job: a busy connection with a complete frame. Serve it and
 * whatever else the peer has sent meanwhile, up to BATCH_FRAMES.
 */
static void conn_serve(void *arg)
{
	struct host_conn *hc = arg;
	int rc, n = 0;
	u32 len;
	u8 *p;

	for (;;) {
		rc = conn_read(hc, &p, &len);
		if (rc <= 0)
			break;
		rc = -OS_ECONNRESET;
		if (!stop_flag)
			rc = smbd_conn_handle_frame(hc->core, p, len);
		frame_done(hc, len);
		if (rc < 0 || ++n == BATCH_FRAMES || has_out(hc))
			break;
	}
	if (rc < 0) {
		conn_drop(hc, rc);
		return;
	}
	/* more is there: go behind the others' work, keeping the connection */
	if (n == BATCH_FRAMES && !has_out(hc) && frame_peek(hc, 0, &p, &len) == 1 &&
	    !os_work_queue(conn_serve, hc))
		return;
	conn_release(hc);
}

/* The loop: hc is readable, writable or broken. */
static void conn_event(struct host_conn *hc)
{
	int rc, busy;
	u32 len;
	u8 *p;

	pthread_mutex_lock(&conns_lock);
	busy = hc->busy;
	pthread_mutex_unlock(&conns_lock);
	if (busy) {
		/* armed by a send from another thread: its worker re-arms it */
		conn_flush(hc, 0);
		return;
	}
	/* an answer waits (sent from elsewhere, or too big): it goes first */
	rc = conn_flush(hc, 1);
	if (rc == 1) {
		rc = conn_read(hc, &p, &len);
		if (rc == 1)
			goto serve;
	}
	if (rc == 0)
		rc = conn_park(hc);
	if (rc < 0)
		conn_drop(hc, rc);
	else
		conn_arm(hc, EPOLL_CTL_MOD, rc);
	return;
serve:
	pthread_mutex_lock(&conns_lock);
	hc->busy = 1;
	pthread_mutex_unlock(&conns_lock);
	if (os_work_queue(conn_serve, hc)) {
		hc->busy = 0;
		conn_drop(hc, -OS_ENOMEM);
	}
}

/*
 * The loop, now and then: drop the peers whose frame or answer has been
 * in flight too long. A busy connection is its worker's; it is left alone.
 */
static void conns_expire(void)
{
	static long long last;
	struct host_conn *hc, *next, *expired = NULL;
	long long now = now_ms();

	if (now - last < SCAN_PERIOD_MS)
		return;
	last = now;
	pthread_mutex_lock(&conns_lock);
	for (hc = conns.next; hc != &conns; hc = next) {
		next = hc->next;
		if (hc->busy || !hc->since || now - hc->since < FRAME_TIMEOUT_MS)
			continue;
		conn_unlink(hc);
		hc->next = expired;
		expired = hc;
	}
	pthread_mutex_unlock(&conns_lock);
	while (expired) {
		hc = expired;
		expired = hc->next;
		conn_log_drop(hc, -OS_ETIMEDOUT);
		conn_destroy(hc);
	}
}

/* The core's timers (oplock breaks), about once a second. */
static void core_tick(void)
{
	static long long last;
	long long now = now_ms();

	if (now - last < SCAN_PERIOD_MS)
		return;
	last = now;
	smbd_tick();
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
	pthread_mutex_init(&hc->out_lock, NULL);
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
	conn_arm(hc, EPOLL_CTL_ADD, 0);
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
	struct host_conn *hc;

	while (conns.next != &conns) {
		hc = conns.next;
		conn_unlink(hc);
		conn_destroy(hc);
	}
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
			else
				conn_event(evs[i].data.ptr);
		}
		conns_expire();
		core_tick();
		accept_resume(lfd);
	}
	host_work_stop();
	close_all();
	while (nspare)
		free(spare[--nspare]);
	close(lfd);
	close(epfd);
	return 0;
}
