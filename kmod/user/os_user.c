// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * os.h for userspace: memory, references, mutexes, time, randomness and
 * logging from libc and POSIX threads.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "os.h"
#include "host.h"

void *os_zalloc(size_t n)
{
	return calloc(1, n ? n : 1);
}

void *os_alloc(size_t n)
{
	return malloc(n ? n : 1);
}

void os_free(void *p)
{
	free(p);
}

void os_free_sensitive(void *p, size_t n)
{
	if (!p)
		return;
	explicit_bzero(p, n);
	free(p);
}

int os_memeq_const(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	unsigned char d = 0;
	size_t i;

	for (i = 0; i < n; i++)
		d |= x[i] ^ y[i];
	return d == 0;
}

void os_ref_init(struct os_ref *r)
{
	__atomic_store_n(&r->count, 1, __ATOMIC_RELEASE);
}

void os_ref_get(struct os_ref *r)
{
	__atomic_add_fetch(&r->count, 1, __ATOMIC_RELAXED);
}

int os_ref_put(struct os_ref *r)
{
	return __atomic_sub_fetch(&r->count, 1, __ATOMIC_ACQ_REL) == 0;
}

struct os_mutex {
	pthread_mutex_t m;
};

struct os_mutex *os_mutex_new(void)
{
	struct os_mutex *m = calloc(1, sizeof(*m));

	if (m)
		pthread_mutex_init(&m->m, NULL);
	return m;
}

void os_mutex_free(struct os_mutex *m)
{
	if (!m)
		return;
	pthread_mutex_destroy(&m->m);
	free(m);
}

void os_mutex_lock(struct os_mutex *m)
{
	pthread_mutex_lock(&m->m);
}

void os_mutex_unlock(struct os_mutex *m)
{
	pthread_mutex_unlock(&m->m);
}

/* Seconds between 1601-01-01 and 1970-01-01. */
#define NTTIME_UNIX_EPOCH 11644473600ULL

u64 os_nttime_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((u64)ts.tv_sec + NTTIME_UNIX_EPOCH) * 10000000ULL +
	       (u64)ts.tv_nsec / 100;
}

void os_random(void *buf, u32 n)
{
	u8 *p = buf;

	while (n) {
		ssize_t got = getrandom(p, n, 0);

		if (got <= 0)
			abort();	/* no entropy: nothing safe to do */
		p += got;
		n -= (u32)got;
	}
}

static int log_level = OS_LOG_INFO;

/*
 * The debug components switched on through the status socket (status.c:
 * ksmbd.control -d), one bit each in the order of the kernel module's
 * debug file. The core's debug messages name no component, so any bit
 * set lets OS_LOG_DEBUG through. Any thread may log while the status
 * thread toggles: an atomic word, no lock.
 */
static _Atomic unsigned int debug_mask;

unsigned int host_debug_mask(void)
{
	return atomic_load_explicit(&debug_mask, memory_order_relaxed);
}

/* Flip @bits; @bits == @all turns all off when all are on, else all on. */
unsigned int host_debug_toggle(unsigned int bits, unsigned int all)
{
	unsigned int old = atomic_load(&debug_mask), new;

	do {
		if (bits == all)
			new = (old & all) == all ? 0 : all;
		else
			new = old ^ bits;
	} while (!atomic_compare_exchange_weak(&debug_mask, &old, new));
	return new;
}

void os_log(int level, const char *fmt, ...)
{
	va_list ap;

	if (level > log_level &&
	    (level != OS_LOG_DEBUG || !host_debug_mask()))
		return;
	va_start(ap, fmt);
	fputs("smbd-user: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}
