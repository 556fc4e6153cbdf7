// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * os.h for the kernel: memory, references, mutexes, the request
 * workqueue, time, randomness and logging.
 */
#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/build_bug.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/random.h>
#include <linux/ratelimit.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>
#include <crypto/algapi.h>	/* crypto_memneq */

#include "os.h"
#include "khost.h"

unsigned int smbd_debug_mask;

/* -- memory -------------------------------------------------------------- */

/*
 * kvmalloc: small objects come from the slab, large frames may be
 * vmalloc'ed. crypto.c builds its scatterlists page by page, so the
 * AEAD functions take either kind of buffer.
 */
void *os_zalloc(size_t n)
{
	return kvzalloc(n ? n : 1, GFP_KERNEL);
}

void *os_alloc(size_t n)
{
	return kvmalloc(n ? n : 1, GFP_KERNEL);
}

void os_free(void *p)
{
	kvfree(p);
}

void os_free_sensitive(void *p, size_t n)
{
	if (p)
		kvfree_sensitive(p, n);
}

int os_memeq_const(const void *a, const void *b, size_t n)
{
	return !crypto_memneq(a, b, n);
}

/* -- reference counts ------------------------------------------------------ */

/*
 * struct os_ref is an int so that the core need not know atomic_t; it has
 * atomic_t's layout, so the atomic API works on it directly.
 */
static atomic_t *ref_atomic(struct os_ref *r)
{
	BUILD_BUG_ON(sizeof(atomic_t) != sizeof(r->count));
	return (atomic_t *)&r->count;
}

void os_ref_init(struct os_ref *r)
{
	atomic_set(ref_atomic(r), 1);
}

void os_ref_get(struct os_ref *r)
{
	/* Taking a reference on a dead object is a core bug: say so once. */
	WARN_ONCE(atomic_inc_return(ref_atomic(r)) <= 1,
		  "ksmbd: reference taken on a released object\n");
}

int os_ref_put(struct os_ref *r)
{
	int v = atomic_dec_return(ref_atomic(r));

	WARN_ONCE(v < 0, "ksmbd: reference count underflow\n");
	return v == 0;
}

/* -- mutexes ----------------------------------------------------------------- */

struct os_mutex {
	struct mutex m;
};

struct os_mutex *os_mutex_new(void)
{
	struct os_mutex *m = kzalloc(sizeof(*m), GFP_KERNEL);

	if (m)
		mutex_init(&m->m);
	return m;
}

void os_mutex_free(struct os_mutex *m)
{
	if (!m)
		return;
	mutex_destroy(&m->m);
	kfree(m);
}

void os_mutex_lock(struct os_mutex *m)
{
	mutex_lock(&m->m);
}

void os_mutex_unlock(struct os_mutex *m)
{
	mutex_unlock(&m->m);
}

/* -- the request workqueue --------------------------------------------------- */

static struct workqueue_struct *smbd_wq;

struct smbd_work {
	struct work_struct work;
	void (*fn)(void *arg);
	void *arg;
};

static void smbd_work_run(struct work_struct *work)
{
	struct smbd_work *w = container_of(work, struct smbd_work, work);
	void (*fn)(void *arg) = w->fn;
	void *arg = w->arg;

	/* Free first: fn may take long, and may queue more work. */
	kfree(w);
	fn(arg);
}

int os_work_queue(void (*fn)(void *arg), void *arg)
{
	struct smbd_work *w;

	if (WARN_ON_ONCE(!smbd_wq))
		return -OS_ENOMEM;
	/* Socket callbacks (softirq) may queue work: no sleeping there. */
	w = kmalloc(sizeof(*w), in_task() ? GFP_KERNEL : GFP_ATOMIC);
	if (!w)
		return -OS_ENOMEM;
	INIT_WORK(&w->work, smbd_work_run);
	w->fn = fn;
	w->arg = arg;
	queue_work(smbd_wq, &w->work);
	return 0;
}

int smbd_work_init(void)
{
	/*
	 * Unbound: requests block in the filesystem. MEM_RECLAIM: writeback
	 * to a share must make progress under memory pressure.
	 */
	smbd_wq = alloc_workqueue("ksmbd-work", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	return smbd_wq ? 0 : -ENOMEM;
}

void smbd_work_exit(void)
{
	if (!smbd_wq)
		return;
	flush_workqueue(smbd_wq);
	destroy_workqueue(smbd_wq);
	smbd_wq = NULL;
}

/* -- time and randomness ------------------------------------------------------- */

/* Seconds between 1601-01-01 and 1970-01-01. */
#define NTTIME_UNIX_EPOCH 11644473600ULL

u64 os_nttime_now(void)
{
	struct timespec64 ts;

	ktime_get_real_ts64(&ts);
	return ((u64)ts.tv_sec + NTTIME_UNIX_EPOCH) * 10000000ULL +
	       (u64)ts.tv_nsec / 100;
}

void os_random(void *buf, u32 n)
{
	get_random_bytes(buf, n);
}

/* -- logging --------------------------------------------------------------------- */

/* A client can make the core log errors at will: keep that from flooding. */
static DEFINE_RATELIMIT_STATE(smbd_log_rs, 5 * HZ, 20);

void os_log(int level, const char *fmt, ...)
{
	struct va_format vaf;
	va_list ap;

	if (level >= OS_LOG_DEBUG && !smbd_debug_mask)
		return;
	if (level <= OS_LOG_ERR && !__ratelimit(&smbd_log_rs))
		return;
	va_start(ap, fmt);
	vaf.fmt = fmt;
	vaf.va = &ap;
	if (level <= OS_LOG_ERR)
		pr_err("ksmbd: %pV\n", &vaf);
	else if (level < OS_LOG_DEBUG)
		pr_info("ksmbd: %pV\n", &vaf);
	else
		printk(KERN_DEBUG "ksmbd: %pV\n", &vaf);
	va_end(ap);
}
