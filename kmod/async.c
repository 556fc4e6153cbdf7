// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Requests answered later (MS-SMB2 3.3.4.2) and CANCEL (3.3.5.16).
 *
 * A CREATE that meets an oplock it must wait for, or a LOCK that meets
 * a locked range, does not keep a worker or its connection: the
 * dispatcher answers STATUS_PENDING with an AsyncId and keeps a copy of
 * the request here, and the connection goes on with its next frames
 * (the break acknowledgment or the unlock is often one of them). When
 * the break ends or a range frees, the request runs again from the
 * start, on a worker, under its connection's lock, and its final answer
 * carries the same AsyncId. A waiting LOCK whose handle closes is
 * answered then (smbd_async_answer_open).
 *
 * States of a record:
 *
 *   made      smbd_async_get(): owned by the request being handled (w->async)
 *   waiting   parked (on conn->pending) and on an inode's waiter list
 *   woken     parked, off the waiter list, a wake-up job queued
 *   running   the job has conn->lock and runs the request again: it
 *             ends answered (freed) or waiting again
 *   cancelled CANCEL or the connection's end: off both lists, freed
 *
 * Ownership: conn->pending owns parked records (conn->lock); an inode's
 * waiter list only links them (table lock) and every path that frees a
 * record takes it off that list first (smbd_inode_unwait). The wake-up
 * token holds a connection reference and the AsyncId, never the record:
 * a record cancelled while its job waits in the queue is simply not
 * found.
 */
#include "smbd.h"

static void record_free(struct smbd_async *a)
{
	if (!a)
		return;
	os_free(a->req);
	os_free(a->token);
	os_free(a);
}

struct smbd_async *smbd_async_get(struct smbd_work *w)
{
	struct smbd_async *a = w->async;

	if (!w->can_async)
		return NULL;
	if (!a) {
		if (w->conn->pending_count >= SMBD_ASYNC_MAX)
			return NULL;
		a = os_zalloc(sizeof(*a));
		if (!a)
			return NULL;
		a->conn = w->conn;
		a->id = w->conn->next_async_id++;
		a->message_id = w->hdr.message_id;
		a->rx_session_id = w->conn->crypt.rx_session_id;
		w->async = a;
	}
	/* a record that waited before gave its token to that wake-up */
	if (!a->token)
		a->token = os_zalloc(sizeof(*a->token));
	return a->token ? a : NULL;
}

u32 smbd_async_park(struct smbd_work *w)
{
	struct smbd_async *a = w->async;
	struct smbd_conn *conn = w->conn;

	if (!a)
		return STATUS_INTERNAL_ERROR;
	/* no wake-up can run before conn->lock is dropped: copy now */
	a->req = os_alloc(w->req_len);
	if (!a->req) {
		smbd_inode_unwait(a);
		w->async = NULL;
		record_free(a);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	os_memcpy(a->req, w->req, w->req_len);
	a->req_len = w->req_len;
	a->parked = 1;
	a->next = conn->pending;
	conn->pending = a;
	conn->pending_count++;
	return STATUS_PENDING;
}

void smbd_async_done(struct smbd_work *w)
{
	/* made but never parked: on no list */
	if (w->async && !w->resumed) {
		record_free(w->async);
		w->async = NULL;
	}
}

static void unlink_pending(struct smbd_async *a)
{
	struct smbd_async **pp;

	for (pp = &a->conn->pending; *pp; pp = &(*pp)->next) {
		if (*pp == a) {
			*pp = a->next;
			a->conn->pending_count--;
			return;
		}
	}
}

/* conn->lock held: answer a (run it again, or with status), unless it waits again. */
static void finish(struct smbd_conn *conn, struct smbd_async *a, u32 status)
{
	int rc;

	a->again = 0;
	rc = smbd_conn_run_async(conn, a, status);
	if (rc == 0 && a->again)
		return;
	if (rc)
		os_log(OS_LOG_DEBUG, "async answer %llu: %d",
		       (unsigned long long)a->id, rc);
	smbd_inode_unwait(a);
	unlink_pending(a);
	record_free(a);
}

static struct smbd_async *find(struct smbd_conn *conn, u64 id, int by_mid)
{
	struct smbd_async *a;

	for (a = conn->pending; a; a = a->next)
		if (by_mid ? a->message_id == id : a->id == id)
			return a;
	return NULL;
}

void smbd_async_wake_take(struct smbd_async *a, struct smbd_wake **list)
{
	struct smbd_wake *k = a->token;

	if (!k)
		return;
	a->token = NULL;
	/* a is parked, so its connection is not freed yet */
	os_ref_get(&a->conn->ref);
	k->conn = a->conn;
	k->id = a->id;
	k->next = *list;
	*list = k;
}

static void wake_job(void *arg)
{
	struct smbd_wake *k = arg;
	struct smbd_conn *conn = k->conn;
	struct smbd_async *a;

	os_mutex_lock(conn->lock);
	a = conn->dead ? NULL : find(conn, k->id, 0);
	if (a)
		finish(conn, a, 0);
	os_mutex_unlock(conn->lock);
	smbd_conn_put(conn);
	os_free(k);
}

void smbd_async_wake_run(struct smbd_wake *list)
{
	struct smbd_wake *k;

	while (list) {
		k = list;
		list = k->next;
		if (os_work_queue(wake_job, k) == 0)
			continue;
		/* it stays parked: a CANCEL or the connection's end answers it */
		os_log(OS_LOG_ERR, "no memory to resume request %llu",
		       (unsigned long long)k->id);
		smbd_conn_put(k->conn);
		os_free(k);
	}
}

void smbd_async_cancel(struct smbd_work *w)
{
	struct smbd_conn *conn = w->conn;
	struct smbd_async *a;

	if (w->hdr.flags & SMB2_FLAGS_ASYNC_COMMAND)
		a = find(conn, w->hdr.id.async_id, 0);
	else
		a = find(conn, w->hdr.message_id, 1);
	if (!a)
		return;		/* answered already, or never ours */
	smbd_inode_unwait(a);
	finish(conn, a, STATUS_CANCELLED);
}

void smbd_async_drop_all(struct smbd_conn *conn)
{
	struct smbd_async *a;

	while (conn->pending) {
		a = conn->pending;
		conn->pending = a->next;
		conn->pending_count--;
		smbd_inode_unwait(a);
		record_free(a);
	}
}

void smbd_async_answer_open(struct smbd_conn *conn, const struct smbd_open *o,
			    u32 status)
{
	u32 sweep = ++conn->async_sweep;
	struct smbd_async *a;

	/*
	 * finish() frees the record or leaves it parked again, and either
	 * may change the list: look from the head each time, skipping the
	 * records this pass has seen.
	 */
	for (;;) {
		for (a = conn->pending; a; a = a->next)
			if (a->lock_open == o && a->sweep != sweep)
				break;
		if (!a)
			return;
		a->sweep = sweep;
		smbd_inode_unwait(a);
		finish(conn, a, status);
	}
}
