// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The TCP side of the kernel host: a listener thread per listening
 * socket, and connections without a thread of their own.
 *
 * A connection is driven by one work item (conn->work) on this file's
 * workqueue. The socket's callbacks (data ready, write space, state
 * change) only queue it. A work item never runs concurrently with itself
 * on one workqueue (the workqueue core queues it behind its running
 * instance, unbound queues included), so the work is the connection's
 * only reader and the core sees one frame of a connection at a time
 * (kmod/smbd.h) without a lock of ours.
 *
 * The work reads with MSG_DONTWAIT: the 4-byte header, then the frame
 * into a buffer of exactly its length; hands complete frames to the core,
 * which answers through os_sock_send(). What the socket does not take
 * waits in the connection's out queue, flushed when the socket has room
 * again; meanwhile nothing more is read from that peer. A request the
 * core parks (interim answer) does not hold the work: the next frame is
 * read as soon as smbd_conn_handle_frame() returns.
 *
 * Sending is not the work's alone: the core sends from any thread (an
 * oplock break from another connection's request, a parked request's
 * final answer from a job on the request workqueue), one message at a
 * time per connection (its send_lock). So the out queue and every send
 * on the socket are under out_lock, a mutex never held while waiting for
 * the peer (sends are MSG_DONTWAIT). Bytes a foreign thread leaves queued
 * are the work's to flush: the send queues it, whether or not the peer
 * is sending anything. A send that breaks the stream (an error, or an
 * answer cut short because the queue is full) marks the connection for
 * the work to drop.
 *
 * Lifetime: a connection has one owner, its work. Everyone else (the
 * timeout scan, smbd_net_stop, a foreign send) only sets a bit and
 * queues the work; the work alone decides to drop. Dropping sets CLOSING
 * under out_lock (after which no send queues the work or touches the
 * socket), detaches the callbacks under sk_callback_lock (after which no
 * callback can reach the connection) and hands the rest to a second work
 * item, release, which takes the connection off the list, waits for the
 * first work to be neither running nor pending (cancel_work_sync), calls
 * smbd_conn_free() (after which the core sends nothing more) and only
 * then releases the socket and frees. smbd_net_stop waits until the list
 * is empty.
 *
 * The scan also calls the core's smbd_tick() (oplock break timeouts).
 */
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/tcp.h>
#include <linux/uio.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "smbd.h"
#include "khost.h"

/*
 * A peer that stops in the middle of a frame, or stops reading our
 * answers, is dropped after this. An idle one (between frames) is not.
 */
#define FRAME_TIMEOUT	(30 * HZ)
#define SCAN_PERIOD	HZ
/* Frames one run of a connection's work handles before it yields. */
#define FRAMES_PER_RUN	8
#define HDR_SIZE	SMB2_TRANSPORT_HDR_SIZE
/*
 * The out queue holds at most the rest of one answer and the next one
 * (nothing more is read while it is not empty): a bound on what a peer
 * that does not read can make us keep.
 */
#define OUT_MAX		(2 * (SMBD_FRAME_MAX + SMB2_TRANSFORM_HDR_SIZE + HDR_SIZE))
#define LISTEN_BACKLOG	64
#define ADDR_TEXT	48	/* the longest IPv6 text, and a NUL */

struct os_sock {
	struct socket *sock;
};

/* conn->flags */
enum {
	CONN_CLOSING,	/* callbacks detached: queue nothing more */
	CONN_STOP,	/* smbd_net_stop: drop at the next run */
	CONN_EXPIRED,	/* the scan found it stalled: check and drop */
	CONN_BUSY,	/* the core has one of its frames */
	CONN_BROKEN,	/* a send failed: drop at the next run (send_err) */
};

struct net_conn {
	struct list_head node;		/* conns, under conns_lock */
	struct os_sock s;
	struct smbd_conn *core;
	unsigned long flags;
	struct work_struct work;	/* reads, handles, flushes */
	struct work_struct release;	/* frees, after work is done */
	void (*old_data_ready)(struct sock *sk);
	void (*old_write_space)(struct sock *sk);
	void (*old_state_change)(struct sock *sk);
	/* jiffies when the frame being read or the queued answer began; 0: idle */
	unsigned long since;
	/* out, out_len, out_done, send_err and every send on s.sock */
	struct mutex out_lock;
	int send_err;			/* why CONN_BROKEN was set */
	u8 hdr[HDR_SIZE];
	u32 hdr_got;
	u8 *frame;			/* allocated once hdr is complete */
	u32 frame_len, frame_got;
	u8 *out;			/* what the socket did not take yet */
	u32 out_len, out_done;
	char peer[ADDR_TEXT + 8];	/* for the log: "addr:port" */
};

struct listener {
	struct socket *sock;
	struct task_struct *task;
};

static struct workqueue_struct *conn_wq;
static struct listener listeners[2];	/* IPv4, IPv6 */
static DEFINE_MUTEX(conns_lock);
static LIST_HEAD(conns);
static unsigned int conns_count;	/* under conns_lock */
static DECLARE_WAIT_QUEUE_HEAD(conns_gone);
static bool stopping;			/* under conns_lock */
static struct delayed_work scan_work;

/* -- socket callbacks (softirq; sk_callback_lock) ----------------------------- */

static void conn_kick(struct sock *sk)
{
	struct net_conn *c;

	read_lock_bh(&sk->sk_callback_lock);
	c = sk->sk_user_data;
	if (c && !test_bit(CONN_CLOSING, &c->flags))
		queue_work(conn_wq, &c->work);
	read_unlock_bh(&sk->sk_callback_lock);
}

static void conn_data_ready(struct sock *sk)
{
	conn_kick(sk);
}

static void conn_write_space(struct sock *sk)
{
	/* TCP calls this while SOCK_NOSPACE is set: clear it once there is room */
	if (!sk_stream_is_writeable(sk))
		return;
	if (sk->sk_socket)
		clear_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
	conn_kick(sk);
}

static void conn_state_change(struct sock *sk)
{
	conn_kick(sk);
}

static void conn_attach(struct net_conn *c)
{
	struct sock *sk = c->s.sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	c->old_data_ready = sk->sk_data_ready;
	c->old_write_space = sk->sk_write_space;
	c->old_state_change = sk->sk_state_change;
	sk->sk_user_data = c;
	sk->sk_data_ready = conn_data_ready;
	sk->sk_write_space = conn_write_space;
	sk->sk_state_change = conn_state_change;
	write_unlock_bh(&sk->sk_callback_lock);
}

/* After this no callback reaches c, and none still runs with it. */
static void conn_detach(struct net_conn *c)
{
	struct sock *sk = c->s.sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	set_bit(CONN_CLOSING, &c->flags);
	sk->sk_user_data = NULL;
	sk->sk_data_ready = c->old_data_ready;
	sk->sk_write_space = c->old_write_space;
	sk->sk_state_change = c->old_state_change;
	write_unlock_bh(&sk->sk_callback_lock);
}

/* -- sending -------------------------------------------------------------------- */

static int sock_err(int err)
{
	if (err == -ECONNRESET || err == -EPIPE || err == -ENOTCONN ||
	    err == -ESHUTDOWN)
		return -OS_ECONNRESET;
	return -OS_EIO;
}

/* Send what the socket takes now: the bytes sent, or < 0. */
static long send_some(struct socket *sock, const u8 *buf, u32 n)
{
	struct msghdr msg;
	struct kvec vec;
	u32 done = 0;
	int rc;

	while (done < n) {
		memset(&msg, 0, sizeof(msg));
		msg.msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL;
		vec.iov_base = (void *)(buf + done);
		vec.iov_len = n - done;
		rc = kernel_sendmsg(sock, &msg, &vec, 1, vec.iov_len);
		if (rc == -EAGAIN || rc == 0)
			break;
		if (rc == -EINTR)
			continue;
		if (rc < 0)
			return sock_err(rc);
		done += (u32)rc;
	}
	return done;
}

/* Keep bytes the socket did not take, behind any already waiting. */
static int out_append(struct net_conn *c, const u8 *buf, u32 n)
{
	u32 left = c->out_len - c->out_done;
	u8 *out;

	if ((u64)left + n > OUT_MAX)
		return -OS_ENOMEM;
	out = kvmalloc((size_t)left + n, GFP_KERNEL);
	if (!out)
		return -OS_ENOMEM;
	if (left)
		memcpy(out, c->out + c->out_done, left);
	memcpy(out + left, buf, n);
	kvfree(c->out);
	c->out = out;
	c->out_len = left + n;
	c->out_done = 0;
	return 0;
}

/*
 * From any thread, the connection's work included (kmod/os.h). With
 * out_lock: queue the work, which drops the connection or flushes what
 * waits. Not once CLOSING is set (under the same lock): the release work
 * must find the work neither running nor pending for good.
 */
static void conn_kick_locked(struct net_conn *c)
{
	if (!test_bit(CONN_CLOSING, &c->flags))
		queue_work(conn_wq, &c->work);
}

int os_sock_send(struct os_sock *s, const void *buf, u32 n)
{
	struct net_conn *c = container_of(s, struct net_conn, s);
	long sent = 0;
	int rc;

	mutex_lock(&c->out_lock);
	if (test_bit(CONN_CLOSING, &c->flags) || test_bit(CONN_BROKEN, &c->flags)) {
		rc = -OS_ECONNRESET;
		goto out;
	}
	if (!c->out) {
		sent = send_some(s->sock, buf, n);
		if (sent < 0) {
			rc = (int)sent;
			goto broken;
		}
		if ((u32)sent == n) {
			rc = 0;
			goto out;
		}
	}
	if (!c->out)
		WRITE_ONCE(c->since, jiffies | 1);
	rc = out_append(c, (const u8 *)buf + sent, n - (u32)sent);
	if (rc)
		goto broken;
	/*
	 * The socket had no room: flush when it has, even if the peer is
	 * quiet. The work itself flushes before it reads again.
	 */
	if (current_work() != &c->work)
		conn_kick_locked(c);
	goto out;
broken:
	/* part of a message may be out: the stream is lost, drop the peer */
	c->send_err = rc;
	set_bit(CONN_BROKEN, &c->flags);
	conn_kick_locked(c);
out:
	mutex_unlock(&c->out_lock);
	return rc;
}

/*
 * By the work: send what waits in out. 1 when all is out (or nothing
 * waited), 0 when some is left, or < 0.
 */
static int conn_flush(struct net_conn *c)
{
	long sent;
	int rc = 1;

	mutex_lock(&c->out_lock);
	if (!c->out)
		goto out;
	sent = send_some(c->s.sock, c->out + c->out_done,
			 c->out_len - c->out_done);
	if (sent < 0) {
		rc = (int)sent;
		goto out;
	}
	c->out_done += (u32)sent;
	if (c->out_done < c->out_len) {
		rc = 0;
		goto out;
	}
	kvfree(c->out);
	c->out = NULL;
	c->out_len = c->out_done = 0;
	/* unless a frame is being read: then its clock keeps running */
	if (!c->frame && !c->hdr_got)
		WRITE_ONCE(c->since, 0);
out:
	mutex_unlock(&c->out_lock);
	return rc;
}

/* -- the peer's address ------------------------------------------------------------ */

/* A v4-mapped IPv6 peer is shown, and judged, as the IPv4 one it is. */
static void addr_text(const struct sockaddr_storage *ss, char *buf, u32 cap,
		      int *ipv6, u16 *port)
{
	const struct sockaddr_in *a4 = (const void *)ss;
	const struct sockaddr_in6 *a6 = (const void *)ss;

	*ipv6 = 0;
	*port = 0;
	if (ss->ss_family == AF_INET) {
		snprintf(buf, cap, "%pI4", &a4->sin_addr);
		*port = ntohs(a4->sin_port);
	} else if (ss->ss_family == AF_INET6 && ipv6_addr_v4mapped(&a6->sin6_addr)) {
		snprintf(buf, cap, "%pI4", &a6->sin6_addr.s6_addr32[3]);
		*port = ntohs(a6->sin6_port);
	} else if (ss->ss_family == AF_INET6) {
		snprintf(buf, cap, "%pI6c", &a6->sin6_addr);
		*port = ntohs(a6->sin6_port);
		*ipv6 = 1;
	} else {
		snprintf(buf, cap, "?");
	}
}

void os_sock_peer(struct os_sock *s, char *buf, u32 cap, int *ipv6)
{
	struct sockaddr_storage ss = { 0 };
	u16 port;

	*ipv6 = 0;
	if (!cap)
		return;
	if (kernel_getpeername(s->sock, (struct sockaddr *)&ss) < 0) {
		snprintf(buf, cap, "?");
		return;
	}
	addr_text(&ss, buf, cap, ipv6, &port);
}

/* -- dropping ------------------------------------------------------------------------- */

/*
 * Say once why we hang up on a peer. One that left by itself (end of
 * stream, reset) or a server reset is no news: a flood of those logs
 * nothing.
 */
static void conn_log_drop(struct net_conn *c, int rc, bool out)
{
	const char *why = "i/o error";

	if (rc == -OS_ECONNRESET)
		return;
	if (rc == -OS_ETIMEDOUT)
		why = out ? "not reading its answers" : "stalled mid-frame";
	else if (rc == -OS_EMSGSIZE)
		why = "frame length out of range";
	else if (rc == -OS_EPROTO)
		why = "protocol violation";
	else if (rc == -OS_ENOMEM)
		why = "out of memory";
	pr_info_ratelimited("ksmbd: peer %s dropped: %s\n", c->peer, why);
}

static void conn_destroy(struct net_conn *c)
{
	if (c->core)
		smbd_conn_free(c->core);
	/* no os_sock_send runs or comes now: the socket can go */
	sock_release(c->s.sock);
	kvfree(c->frame);
	kvfree(c->out);
	mutex_destroy(&c->out_lock);
	kfree(c);
}

static void conn_release(struct work_struct *work)
{
	struct net_conn *c = container_of(work, struct net_conn, release);

	mutex_lock(&conns_lock);
	list_del(&c->node);
	mutex_unlock(&conns_lock);
	/*
	 * CLOSING is set: nothing queues c->work any more but the work
	 * itself. A foreign thread may still be in os_sock_send until
	 * smbd_conn_free (in conn_destroy) returns: c and its socket stay.
	 */
	cancel_work_sync(&c->work);
	conn_destroy(c);
	mutex_lock(&conns_lock);
	if (!--conns_count)
		wake_up_all(&conns_gone);
	mutex_unlock(&conns_lock);
}

/* By the connection's work only. */
static void conn_drop(struct net_conn *c, int rc)
{
	bool out;

	/* from here on a send fails at once and queues nothing */
	mutex_lock(&c->out_lock);
	set_bit(CONN_CLOSING, &c->flags);
	out = c->out;
	mutex_unlock(&c->out_lock);
	conn_log_drop(c, rc, out);
	conn_detach(c);
	kernel_sock_shutdown(c->s.sock, SHUT_RDWR);
	INIT_WORK(&c->release, conn_release);
	queue_work(conn_wq, &c->release);
}

/* -- reading --------------------------------------------------------------------------- */

/* The header is complete: make room for the frame it announces. */
static int frame_start(struct net_conn *c)
{
	u32 len;
	int rc = smbd_conn_frame_len(c->core, c->hdr, &len);

	if (rc)
		return rc;
	c->frame = kvmalloc(len, GFP_KERNEL);
	if (!c->frame)
		return -OS_ENOMEM;
	c->frame_len = len;
	c->frame_got = 0;
	return 0;
}

/*
 * Read what the peer has of its current frame, never past its end:
 * 1 when the frame is complete, 0 when the rest has yet to come, < 0 to
 * drop the connection.
 */
static int conn_read(struct net_conn *c)
{
	struct msghdr msg = { 0 };
	struct kvec vec;
	int got, rc;

	while (!c->frame || c->frame_got < c->frame_len) {
		if (!c->frame) {
			vec.iov_base = c->hdr + c->hdr_got;
			vec.iov_len = HDR_SIZE - c->hdr_got;
		} else {
			vec.iov_base = c->frame + c->frame_got;
			vec.iov_len = c->frame_len - c->frame_got;
		}
		got = kernel_recvmsg(c->s.sock, &msg, &vec, 1, vec.iov_len,
				     MSG_DONTWAIT);
		if (got == 0)
			return -OS_ECONNRESET;
		if (got == -EAGAIN)
			return 0;
		if (got == -EINTR)
			continue;
		if (got < 0)
			return sock_err(got);
		if (!c->since)
			WRITE_ONCE(c->since, jiffies | 1);
		if (c->frame) {
			c->frame_got += (u32)got;
			continue;
		}
		c->hdr_got += (u32)got;
		if (c->hdr_got == HDR_SIZE) {
			rc = frame_start(c);
			if (rc)
				return rc;
		}
	}
	return 1;
}

static bool stalled(const struct net_conn *c)
{
	unsigned long since = READ_ONCE(c->since);

	return since && time_after(jiffies, since + FRAME_TIMEOUT);
}

/* Hand the complete frame to the core: 0, or < 0 to drop. */
static int conn_serve(struct net_conn *c)
{
	int rc;

	set_bit(CONN_BUSY, &c->flags);
	rc = smbd_conn_handle_frame(c->core, c->frame, c->frame_len);
	clear_bit(CONN_BUSY, &c->flags);
	kvfree(c->frame);
	c->frame = NULL;
	c->frame_len = c->frame_got = c->hdr_got = 0;
	/* a request the core parked is its own business: we are idle */
	mutex_lock(&c->out_lock);
	if (!c->out)
		WRITE_ONCE(c->since, 0);
	mutex_unlock(&c->out_lock);
	return rc;
}

/* The connection's work: flush, read, handle; a bounded number of frames. */
static void conn_work(struct work_struct *work)
{
	struct net_conn *c = container_of(work, struct net_conn, work);
	int n, rc;

	if (test_bit(CONN_CLOSING, &c->flags))
		return;
	if (test_bit(CONN_STOP, &c->flags)) {
		conn_drop(c, -OS_ECONNRESET);
		return;
	}
	if (test_and_clear_bit(CONN_EXPIRED, &c->flags) && stalled(c)) {
		conn_drop(c, -OS_ETIMEDOUT);
		return;
	}
	for (n = 0; n < FRAMES_PER_RUN; n++) {
		if (test_bit(CONN_BROKEN, &c->flags)) {
			/* set under out_lock, with send_err */
			mutex_lock(&c->out_lock);
			rc = c->send_err;
			mutex_unlock(&c->out_lock);
			goto out;
		}
		rc = conn_flush(c);
		if (rc <= 0)
			goto out;
		rc = conn_read(c);
		if (rc <= 0)
			goto out;
		rc = conn_serve(c);
		if (rc < 0)
			goto out;
	}
	/* more may be waiting: let other connections have their turn first */
	queue_work(conn_wq, &c->work);
	return;
out:
	if (rc < 0)
		conn_drop(c, rc);
}

/*
 * Once a second: the core's timers (outside any lock of ours: it takes
 * its own and sends), then kick the connections stalled mid-frame or
 * mid-answer.
 */
static void conns_scan(struct work_struct *work)
{
	struct net_conn *c;

	smbd_tick();
	mutex_lock(&conns_lock);
	list_for_each_entry(c, &conns, node) {
		if (test_bit(CONN_BUSY, &c->flags) || !stalled(c))
			continue;
		set_bit(CONN_EXPIRED, &c->flags);
		queue_work(conn_wq, &c->work);
	}
	if (!stopping)
		queue_delayed_work(conn_wq, &scan_work, SCAN_PERIOD);
	mutex_unlock(&conns_lock);
}

/* -- accepting ---------------------------------------------------------------------------- */

static void conn_accepted(struct socket *sock)
{
	struct sockaddr_storage ss = { 0 };
	struct net_conn *c;
	char addr[ADDR_TEXT];
	int ipv6;
	u16 port = 0;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c) {
		sock_release(sock);
		return;
	}
	INIT_LIST_HEAD(&c->node);
	INIT_WORK(&c->work, conn_work);
	mutex_init(&c->out_lock);
	c->s.sock = sock;
	tcp_sock_set_nodelay(sock->sk);
	addr[0] = '\0';
	if (kernel_getpeername(sock, (struct sockaddr *)&ss) >= 0)
		addr_text(&ss, addr, sizeof(addr), &ipv6, &port);
	snprintf(c->peer, sizeof(c->peer), "%s:%u", addr, port);
	c->core = smbd_conn_new(&c->s);
	if (!c->core) {
		conn_destroy(c);
		return;
	}
	mutex_lock(&conns_lock);
	if (stopping) {
		mutex_unlock(&conns_lock);
		conn_destroy(c);
		return;
	}
	list_add(&c->node, &conns);
	conns_count++;
	conn_attach(c);
	/* the peer may have sent before the callbacks were in place */
	queue_work(conn_wq, &c->work);
	mutex_unlock(&conns_lock);
}

static int listen_thread(void *arg)
{
	struct listener *l = arg;
	struct socket *sock;
	int rc;

	while (!kthread_should_stop()) {
		rc = kernel_accept(l->sock, &sock, 0);
		if (rc == 0) {
			conn_accepted(sock);
			continue;
		}
		if (kthread_should_stop())
			break;
		/* out of memory, or shut down and about to be stopped: pause */
		schedule_timeout_interruptible(HZ / 5);
	}
	return 0;
}

static int listen_on(struct listener *l, int family, u16 port)
{
	struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(INADDR_ANY) };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons(port),
				   .sin6_addr = IN6ADDR_ANY_INIT };
	struct sockaddr *sa = family == AF_INET ? (void *)&a4 : (void *)&a6;
	int len = family == AF_INET ? sizeof(a4) : sizeof(a6);
	struct socket *sock;
	int rc;

	rc = sock_create_kern(&init_net, family, SOCK_STREAM, IPPROTO_TCP, &sock);
	if (rc)
		return rc;
	sock_set_reuseaddr(sock->sk);
	if (family == AF_INET6) {
		/* the IPv4 socket takes IPv4 peers, with their plain address */
		rc = ip6_sock_set_v6only(sock->sk);
		if (rc)
			goto fail;
	}
	rc = kernel_bind(sock, sa, len);
	if (rc)
		goto fail;
	rc = kernel_listen(sock, LISTEN_BACKLOG);
	if (rc)
		goto fail;
	l->sock = sock;
	l->task = kthread_run(listen_thread, l, "ksmbd-listen%s/%u",
			      family == AF_INET ? "4" : "6", port);
	if (IS_ERR(l->task)) {
		rc = PTR_ERR(l->task);
		l->task = NULL;
		l->sock = NULL;
		goto fail;
	}
	return 0;
fail:
	sock_release(sock);
	return rc;
}

static void listener_stop(struct listener *l)
{
	if (!l->sock)
		return;
	/* wakes the thread out of kernel_accept */
	kernel_sock_shutdown(l->sock, SHUT_RDWR);
	kthread_stop(l->task);
	sock_release(l->sock);
	l->sock = NULL;
	l->task = NULL;
}

/* -- start and stop -------------------------------------------------------------------------- */

int smbd_net_start(u16 port)
{
	int rc;

	if (conn_wq)
		return -EBUSY;
	/*
	 * Unbound: requests block in the filesystem and on the daemon.
	 * MEM_RECLAIM: writeback to a share must make progress.
	 */
	conn_wq = alloc_workqueue("ksmbd-conn", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	if (!conn_wq)
		return -ENOMEM;
	mutex_lock(&conns_lock);
	stopping = false;
	mutex_unlock(&conns_lock);
	INIT_DELAYED_WORK(&scan_work, conns_scan);

	rc = listen_on(&listeners[0], AF_INET, port);
	if (rc) {
		pr_err("ksmbd: cannot listen on 0.0.0.0:%u: %d\n", port, rc);
		destroy_workqueue(conn_wq);
		conn_wq = NULL;
		return rc;
	}
	/* IPv6 is a bonus: a kernel booted without it still serves IPv4 */
	rc = listen_on(&listeners[1], AF_INET6, port);
	if (rc)
		pr_info("ksmbd: not listening on [::]:%u: %d\n", port, rc);
	queue_delayed_work(conn_wq, &scan_work, SCAN_PERIOD);
	pr_info("ksmbd: listening on port %u\n", port);
	return 0;
}

void smbd_net_stop(void)
{
	struct net_conn *c;

	if (!conn_wq)
		return;
	/* no new connections: first the listeners, then late accepts */
	listener_stop(&listeners[1]);
	listener_stop(&listeners[0]);
	mutex_lock(&conns_lock);
	stopping = true;
	mutex_unlock(&conns_lock);
	cancel_delayed_work_sync(&scan_work);

	/* each connection's work drops it at its next run */
	mutex_lock(&conns_lock);
	list_for_each_entry(c, &conns, node) {
		set_bit(CONN_STOP, &c->flags);
		queue_work(conn_wq, &c->work);
	}
	mutex_unlock(&conns_lock);
	wait_event(conns_gone, READ_ONCE(conns_count) == 0);

	destroy_workqueue(conn_wq);
	conn_wq = NULL;
}
