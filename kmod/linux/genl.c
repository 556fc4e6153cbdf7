// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The generic netlink family SMBD_GENL (spec/netlink-abi.md): the kernel
 * end of the link to ksmbd.mountd, and os_upcall() on top of it.
 *
 * The daemon is whoever sent the STARTING_UP we accepted; requests are
 * unicast to its port id, and its replies are matched to the waiting
 * upcall by (reply type, handle). Many workers upcall at once, so each
 * waits on its own completion, found through one list under nl_lock.
 * The daemon going away (its socket released, or a heartbeat that cannot
 * be delivered) fails the waiters at once rather than after the timeout.
 *
 * Locks: nl_lock (spinlock) guards daemon_portid and the waiter list; it
 * is taken from the netlink notifier, which may not sleep. ctl_lock
 * (mutex) orders adopting a daemon, starting and resetting the server
 * between STARTING_UP and the heartbeat work.
 */
#include <linux/completion.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netlink.h>

#include "os.h"
#include "netlink.h"
#include "khost.h"

#define GENL_FAMILY_NAME	"SMBD_GENL"

/* Struct sizes of the ABI (x86-64), the policy's length bounds. */
#define SZ_HEARTBEAT		4
#define SZ_STARTUP		744
#define SZ_SHUTDOWN		64
#define SZ_LOGIN_REQ		116
#define SZ_LOGIN_RSP		148
#define SZ_LOGIN_RSP_EXT	136
#define SZ_SHARE_REQ		132
#define SZ_SHARE_RSP		536
#define SZ_TCON_REQ		264
#define SZ_TCON_RSP		72
#define SZ_TDIS_REQ		80
#define SZ_LOGOUT_REQ		116
#define SZ_RPC			12
#define SZ_SPNEGO_REQ		8
#define SZ_SPNEGO_RSP		156

/*
 * Seconds an upcall waits for the daemon's answer. ksmbd waits 2 s, and so
 * do we by default; a slow machine (an emulated VM, a daemon paging back in
 * after a cache drop) answers later than that and every login then fails
 * with -ETIMEDOUT, so it can be raised at load time or through sysfs.
 */
static unsigned int upcall_timeout = SMBD_NL_REPLY_TIMEOUT_S;
module_param(upcall_timeout, uint, 0644);
MODULE_PARM_DESC(upcall_timeout,
		 "seconds to wait for ksmbd.mountd's answer to an upcall (1-600, default 2)");

static unsigned long upcall_timeout_jiffies(void)
{
	return clamp_val(READ_ONCE(upcall_timeout), 1U, 600U) * HZ;
}

#define ipc_dbg(fmt, ...)						\
	do {								\
		if (READ_ONCE(smbd_debug_mask) & SMBD_DEBUG_IPC)	\
			pr_info("ksmbd: ipc: " fmt "\n", ##__VA_ARGS__); \
	} while (0)

struct upcall_waiter {
	struct list_head list;		/* on waiters while unanswered */
	u16 type;			/* the reply type awaited */
	u32 handle;
	void *rsp;
	u32 cap;
	u32 len;			/* bytes copied to rsp */
	int result;			/* set by whoever takes it off the list */
	struct completion done;
};

static DEFINE_SPINLOCK(nl_lock);
static LIST_HEAD(waiters);
static u32 daemon_portid;		/* 0: none (0 is the kernel's own) */

static DEFINE_MUTEX(ctl_lock);
static unsigned int hb_timeout_s;	/* STARTING_UP's ipc_timeout; 0: off */
static unsigned long last_active;	/* jiffies of the daemon's last message */
static atomic_t next_handle = ATOMIC_INIT(0);

static void heartbeat_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(heartbeat_work, heartbeat_fn);

static struct genl_family smbd_genl_family;

unsigned long smbd_genl_last_active(void)
{
	return READ_ONCE(last_active);
}

u32 os_upcall_handle(void)
{
	return (u32)atomic_inc_return(&next_handle);
}

/* -- sending ---------------------------------------------------------------- */

/* One event to portid: the genl header (cmd = type) and one attribute (type). */
static int genl_send(u32 portid, u16 type, const void *data, u32 len)
{
	struct sk_buff *skb;
	void *hdr;

	if (len > U16_MAX - NLA_HDRLEN - NLA_ALIGNTO)
		return -EMSGSIZE;
	skb = genlmsg_new(nla_total_size(len), GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	hdr = genlmsg_put(skb, 0, 0, &smbd_genl_family, 0, (u8)type);
	if (!hdr || nla_put(skb, type, len, data)) {
		nlmsg_free(skb);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	/* Consumes skb; -ECONNREFUSED when no socket has that port id. */
	return genlmsg_unicast(&init_net, skb, portid);
}

static int send_heartbeat(u32 portid)
{
	struct smbd_nl_heartbeat hb = { .handle = os_upcall_handle() };
	u8 buf[SZ_HEARTBEAT];
	size_t n;

	if (smbd_nl_heartbeat_encode(buf, sizeof(buf), &hb, &n))
		return -EINVAL;
	return genl_send(portid, SMBD_NL_EVENT_HEARTBEAT_REQUEST, buf, (u32)n);
}

/* -- the daemon ------------------------------------------------------------- */

/* Fail every waiting upcall now (the daemon is gone). Under nl_lock. */
static void fail_waiters_locked(void)
{
	struct upcall_waiter *w, *tmp;

	list_for_each_entry_safe(w, tmp, &waiters, list) {
		list_del_init(&w->list);
		w->result = -ECONNRESET;
		/* Under nl_lock: the waiter cannot return (and free w) before. */
		complete(&w->done);
	}
}

/* Forget portid if it is still the daemon. True if it was. */
static bool forget_daemon(u32 portid)
{
	bool was;

	spin_lock(&nl_lock);
	was = portid && daemon_portid == portid;
	if (was) {
		daemon_portid = 0;
		fail_waiters_locked();
	}
	spin_unlock(&nl_lock);
	return was;
}

static u32 current_daemon(void)
{
	u32 portid;

	spin_lock(&nl_lock);
	portid = daemon_portid;
	spin_unlock(&nl_lock);
	return portid;
}

static void heartbeat_fn(struct work_struct *work)
{
	unsigned long idle;
	u32 portid;

	mutex_lock(&ctl_lock);
	portid = current_daemon();
	if (!portid || !hb_timeout_s)
		goto out;
	idle = READ_ONCE(last_active) + hb_timeout_s * HZ;
	if (time_after_eq(jiffies, idle) && send_heartbeat(portid)) {
		if (forget_daemon(portid)) {
			pr_err("ksmbd: ksmbd.mountd (port %u) is gone: resetting the server\n",
			       portid);
			smbd_server_reset();
		}
		goto out;
	}
	schedule_delayed_work(&heartbeat_work, hb_timeout_s * HZ);
out:
	mutex_unlock(&ctl_lock);
}

/* The daemon's socket is closed: forget it, fail its pending upcalls. May not sleep. */
static int smbd_nl_release(struct notifier_block *nb, unsigned long state, void *ptr)
{
	struct netlink_notify *n = ptr;

	if (state != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !net_eq(n->net, &init_net))
		return NOTIFY_DONE;
	if (forget_daemon(n->portid))
		pr_info("ksmbd: ksmbd.mountd (port %u) closed its socket\n", n->portid);
	return NOTIFY_DONE;
}

static struct notifier_block release_notifier = {
	.notifier_call = smbd_nl_release,
};

/* -- receiving -------------------------------------------------------------- */

/* The payload of a message: its one attribute, of the command's type. */
static const struct nlattr *event_attr(struct genl_info *info)
{
	u8 cmd = info->genlhdr->cmd;

	if (info->genlhdr->version != SMBD_NL_GENL_VERSION) {
		pr_err_ratelimited("ksmbd: SMBD_GENL message of version %u dropped\n",
				   info->genlhdr->version);
		return NULL;
	}
	if (cmd > SMBD_NL_EVENT_MAX || !info->attrs[cmd])
		return NULL;
	return info->attrs[cmd];
}

/* A message from the registered daemon: note the time for the heartbeat. */
static bool from_daemon(struct genl_info *info)
{
	if (!info->snd_portid || info->snd_portid != current_daemon())
		return false;
	WRITE_ONCE(last_active, jiffies);
	return true;
}

/*
 * STARTING_UP: the first daemon is adopted, and a newcomer only if the
 * registered one no longer answers a heartbeat, or the server was reset
 * under it (kill_server): a live daemon is never replaced behind its back.
 */
static int handle_startup(struct sk_buff *skb, struct genl_info *info)
{
	struct smbd_nl_startup_request req;
	const struct nlattr *a = event_attr(info);
	u32 old, portid = info->snd_portid;
	int rc;

	if (!a)
		return -EINVAL;
	if (smbd_nl_startup_request_decode(nla_data(a), nla_len(a), &req)) {
		pr_err("ksmbd: malformed STARTING_UP from port %u dropped\n", portid);
		return -EINVAL;
	}
	mutex_lock(&ctl_lock);
	old = current_daemon();
	if (old && smbd_server_state() == SMBD_SERVER_RUNNING &&
	    !send_heartbeat(old)) {
		pr_err("ksmbd: ksmbd.mountd is running (port %u): port %u refused\n",
		       old, portid);
		rc = -EBUSY;
		goto out;
	}
	if (old)
		forget_daemon(old);
	if (smbd_server_state() == SMBD_SERVER_RUNNING)
		smbd_server_reset();	/* the newcomer's settings apply */
	spin_lock(&nl_lock);
	daemon_portid = portid;
	spin_unlock(&nl_lock);
	WRITE_ONCE(last_active, jiffies);
	hb_timeout_s = req.ipc_timeout;
	pr_info("ksmbd: ksmbd.mountd registered (port %u)\n", portid);
	rc = smbd_server_start(&req);
	if (rc) {
		pr_err("ksmbd: starting the server failed: %d\n", rc);
		forget_daemon(portid);
		goto out;
	}
	if (hb_timeout_s)
		mod_delayed_work(system_wq, &heartbeat_work, hb_timeout_s * HZ);
	else
		cancel_delayed_work(&heartbeat_work);
out:
	mutex_unlock(&ctl_lock);
	return rc;
}

/*
 * A reply: hand it to the upcall waiting for (type, handle). Anything else
 * (a late reply to a timed-out upcall, a stranger's) is dropped without an
 * error ack: ksmbd-tools treats an error ack as fatal.
 */
static int handle_reply(struct sk_buff *skb, struct genl_info *info)
{
	const struct nlattr *a = event_attr(info);
	struct smbd_nl_heartbeat hb;
	struct upcall_waiter *w;
	u8 type = info->genlhdr->cmd;
	u32 len;

	if (!from_daemon(info)) {
		pr_err_ratelimited("ksmbd: reply %u from port %u, not the daemon: dropped\n",
				   type, info->snd_portid);
		return -EPERM;
	}
	if (!a)
		return 0;
	len = nla_len(a);
	if (smbd_nl_heartbeat_decode(nla_data(a), len, &hb))
		return 0;
	spin_lock(&nl_lock);
	list_for_each_entry(w, &waiters, list) {
		if (w->type != type || w->handle != hb.handle)
			continue;
		list_del_init(&w->list);
		if (len > w->cap) {
			w->result = -EMSGSIZE;
		} else {
			memcpy(w->rsp, nla_data(a), len);
			w->len = len;
			w->result = 0;
		}
		complete(&w->done);
		spin_unlock(&nl_lock);
		return 0;
	}
	spin_unlock(&nl_lock);
	ipc_dbg("reply %u handle %u matches no upcall: dropped", type, hb.handle);
	return 0;
}

/* Kernel-to-daemon events (and SHUTTING_DOWN): nothing to do with them here. */
static int handle_unexpected(struct sk_buff *skb, struct genl_info *info)
{
	pr_err_ratelimited("ksmbd: unexpected SMBD_GENL event %u from port %u\n",
			   info->genlhdr->cmd, info->snd_portid);
	return -EOPNOTSUPP;
}

/* -- os_upcall --------------------------------------------------------------- */

static int to_os_err(int err)
{
	switch (err) {
	case -ENOMEM:
		return -OS_ENOMEM;
	case -EMSGSIZE:
		return -OS_EMSGSIZE;
	case -ETIMEDOUT:
		return -OS_ETIMEDOUT;
	case -EINVAL:
		return -OS_EINVAL;
	default:
		return -OS_ECONNRESET;	/* undeliverable: as good as no daemon */
	}
}

static int upcall_wait(u16 type, const void *req, u32 len, u16 reply_type,
		       void *rsp, u32 cap, u32 *rsp_len)
{
	struct upcall_waiter w = {
		.type = reply_type, .rsp = rsp, .cap = cap,
		.result = -ETIMEDOUT,
	};
	struct smbd_nl_heartbeat hb;
	u32 portid;
	int rc;

	if (smbd_nl_heartbeat_decode(req, len, &hb))
		return -EINVAL;		/* no handle to match a reply by */
	w.handle = hb.handle;
	init_completion(&w.done);
	/* Listed before sending: the reply may beat genl_send's return. */
	spin_lock(&nl_lock);
	portid = daemon_portid;
	if (portid)
		list_add_tail(&w.list, &waiters);
	spin_unlock(&nl_lock);
	if (!portid)
		return -ECONNRESET;
	rc = genl_send(portid, type, req, len);
	if (!rc)
		wait_for_completion_timeout(&w.done, upcall_timeout_jiffies());
	spin_lock(&nl_lock);
	if (list_empty(&w.list)) {
		rc = w.result;		/* answered, or failed by the notifier */
	} else {
		list_del(&w.list);
		rc = rc ?: -ETIMEDOUT;
	}
	spin_unlock(&nl_lock);
	if (!rc)
		*rsp_len = w.len;
	return rc;
}

int os_upcall(u16 type, const void *req, u32 len, u16 reply_type,
	      void *rsp, u32 cap, u32 *rsp_len)
{
	u32 portid;
	int rc;

	if (reply_type) {
		rc = upcall_wait(type, req, len, reply_type, rsp, cap, rsp_len);
	} else {
		portid = current_daemon();
		rc = portid ? genl_send(portid, type, req, len) : -ECONNRESET;
	}
	if (rc && rc != -ECONNRESET)
		pr_err_ratelimited("ksmbd: upcall %u failed: %d\n", type, rc);
	else if (rc)
		ipc_dbg("upcall %u: no daemon", type);
	return rc ? to_os_err(rc) : 0;
}

/* -- the family --------------------------------------------------------------- */

/*
 * One attribute per event, its type the event's. Fixed structs have their
 * exact size; variable ones their fixed part up to the largest message of
 * their sender (the kernel's 4 KiB payload plus header, the daemon's 16 KiB).
 */
#define LEN_EXACT(n)		NLA_POLICY_EXACT_LEN(n)
#define LEN_KERNEL(n)		NLA_POLICY_RANGE(NLA_BINARY, n, n + SMBD_NL_KERNEL_PAYLOAD_MAX)
#define LEN_DAEMON(n)		NLA_POLICY_RANGE(NLA_BINARY, n, SMBD_NL_DAEMON_MSG_MAX)

static const struct nla_policy smbd_genl_policy[SMBD_NL_EVENT_MAX + 1] = {
	[SMBD_NL_EVENT_HEARTBEAT_REQUEST]	= LEN_EXACT(SZ_HEARTBEAT),
	[SMBD_NL_EVENT_STARTING_UP]		= LEN_DAEMON(SZ_STARTUP),
	[SMBD_NL_EVENT_SHUTTING_DOWN]		= LEN_EXACT(SZ_SHUTDOWN),
	[SMBD_NL_EVENT_LOGIN_REQUEST]		= LEN_EXACT(SZ_LOGIN_REQ),
	[SMBD_NL_EVENT_LOGIN_RESPONSE]		= LEN_EXACT(SZ_LOGIN_RSP),
	[SMBD_NL_EVENT_SHARE_CONFIG_REQUEST]	= LEN_EXACT(SZ_SHARE_REQ),
	[SMBD_NL_EVENT_SHARE_CONFIG_RESPONSE]	= LEN_DAEMON(SZ_SHARE_RSP),
	[SMBD_NL_EVENT_TREE_CONNECT_REQUEST]	= LEN_EXACT(SZ_TCON_REQ),
	[SMBD_NL_EVENT_TREE_CONNECT_RESPONSE]	= LEN_EXACT(SZ_TCON_RSP),
	[SMBD_NL_EVENT_TREE_DISCONNECT_REQUEST]	= LEN_EXACT(SZ_TDIS_REQ),
	[SMBD_NL_EVENT_LOGOUT_REQUEST]		= LEN_EXACT(SZ_LOGOUT_REQ),
	[SMBD_NL_EVENT_RPC_REQUEST]		= LEN_KERNEL(SZ_RPC),
	[SMBD_NL_EVENT_RPC_RESPONSE]		= LEN_DAEMON(SZ_RPC),
	[SMBD_NL_EVENT_SPNEGO_AUTHEN_REQUEST]	= LEN_KERNEL(SZ_SPNEGO_REQ),
	[SMBD_NL_EVENT_SPNEGO_AUTHEN_RESPONSE]	= LEN_DAEMON(SZ_SPNEGO_RSP),
	[SMBD_NL_EVENT_LOGIN_REQUEST_EXT]	= LEN_EXACT(SZ_LOGIN_REQ),
	[SMBD_NL_EVENT_LOGIN_RESPONSE_EXT]	= LEN_DAEMON(SZ_LOGIN_RSP_EXT),
};

#define OP(ev, fn) {					\
	.cmd = SMBD_NL_EVENT_##ev,			\
	.doit = fn,					\
	.flags = GENL_ADMIN_PERM,			\
	.validate = GENL_DONT_VALIDATE_DUMP,		\
}

/* Every event has an op (cmd == event); only the daemon's do anything. */
static const struct genl_small_ops smbd_genl_ops[] = {
	OP(HEARTBEAT_REQUEST, handle_unexpected),
	OP(STARTING_UP, handle_startup),
	OP(SHUTTING_DOWN, handle_unexpected),
	OP(LOGIN_REQUEST, handle_unexpected),
	OP(LOGIN_RESPONSE, handle_reply),
	OP(SHARE_CONFIG_REQUEST, handle_unexpected),
	OP(SHARE_CONFIG_RESPONSE, handle_reply),
	OP(TREE_CONNECT_REQUEST, handle_unexpected),
	OP(TREE_CONNECT_RESPONSE, handle_reply),
	OP(TREE_DISCONNECT_REQUEST, handle_unexpected),
	OP(LOGOUT_REQUEST, handle_unexpected),
	OP(RPC_REQUEST, handle_unexpected),
	OP(RPC_RESPONSE, handle_reply),
	OP(SPNEGO_AUTHEN_REQUEST, handle_unexpected),
	OP(SPNEGO_AUTHEN_RESPONSE, handle_reply),
	OP(LOGIN_REQUEST_EXT, handle_unexpected),
	OP(LOGIN_RESPONSE_EXT, handle_reply),
};

static struct genl_family smbd_genl_family = {
	.name		= GENL_FAMILY_NAME,
	.version	= SMBD_NL_GENL_VERSION,
	.hdrsize	= 0,
	.maxattr	= SMBD_NL_EVENT_MAX,
	.policy		= smbd_genl_policy,
	.netnsok	= false,
	.module		= THIS_MODULE,
	.small_ops	= smbd_genl_ops,
	.n_small_ops	= ARRAY_SIZE(smbd_genl_ops),
	.resv_start_op	= SMBD_NL_EVENT_MAX + 1,
};

int smbd_genl_init(void)
{
	int rc;

	rc = netlink_register_notifier(&release_notifier);
	if (rc)
		return rc;
	rc = genl_register_family(&smbd_genl_family);
	if (rc) {
		pr_err("ksmbd: registering the %s family failed: %d\n",
		       GENL_FAMILY_NAME, rc);
		netlink_unregister_notifier(&release_notifier);
	}
	return rc;
}

void smbd_genl_exit(void)
{
	genl_unregister_family(&smbd_genl_family);
	netlink_unregister_notifier(&release_notifier);
	cancel_delayed_work_sync(&heartbeat_work);
	forget_daemon(current_daemon());
}
