// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * os_work_queue(): a fixed pool of threads taking jobs from one queue.
 * Connections never get a thread of their own (issue 7): the listener
 * queues a job when a connection has bytes, one worker serves it.
 */
#include <pthread.h>
#include <stdlib.h>

#include "os.h"
#include "host.h"

struct job {
	struct job *next;
	void (*fn)(void *arg);
	void *arg;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t more = PTHREAD_COND_INITIALIZER;
static struct job *head, *tail;
static int stopping;
static pthread_t *threads;
static unsigned int nthreads;

int os_work_queue(void (*fn)(void *arg), void *arg)
{
	struct job *j = calloc(1, sizeof(*j));

	if (!j)
		return -OS_ENOMEM;
	j->fn = fn;
	j->arg = arg;
	pthread_mutex_lock(&lock);
	if (tail)
		tail->next = j;
	else
		head = j;
	tail = j;
	pthread_cond_signal(&more);
	pthread_mutex_unlock(&lock);
	return 0;
}

/* Take the next job; NULL once stopping and the queue is drained. */
static struct job *take(void)
{
	struct job *j;

	pthread_mutex_lock(&lock);
	while (!head && !stopping)
		pthread_cond_wait(&more, &lock);
	j = head;
	if (j) {
		head = j->next;
		if (!head)
			tail = NULL;
	}
	pthread_mutex_unlock(&lock);
	return j;
}

static void *worker(void *unused)
{
	struct job *j;

	(void)unused;
	while ((j = take())) {
		j->fn(j->arg);
		free(j);
	}
	return NULL;
}

int host_work_start(unsigned int n)
{
	unsigned int i;

	threads = calloc(n, sizeof(*threads));
	if (!threads)
		return -1;
	for (i = 0; i < n; i++) {
		if (pthread_create(&threads[i], NULL, worker, NULL))
			break;
		nthreads++;
	}
	return nthreads ? 0 : -1;
}

void host_work_stop(void)
{
	unsigned int i;

	pthread_mutex_lock(&lock);
	stopping = 1;
	pthread_cond_broadcast(&more);
	pthread_mutex_unlock(&lock);
	for (i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);
	free(threads);
	threads = NULL;
	nthreads = 0;
}
