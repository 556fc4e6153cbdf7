// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Byte-range locks: LOCK (MS-SMB2 3.3.5.14) and the checks READ and
 * WRITE make against them (3.3.5.12, 3.3.5.13), with the semantics of
 * MS-FSA 2.1.5.8 (lock), 2.1.5.9 (unlock) and 2.1.4.10 (I/O conflicts).
 *
 * The locks are ours. Each inode keeps one list of them (inode.c holds
 * the head under its table lock), shared by the opens of every
 * connection; an entry belongs to one open (its handle: SMB2 has no
 * per-process lock owners) and goes with it at the latest. Nothing is
 * taken on the underlying file: POSIX and OFD locks merge and split
 * ranges, have no shared-over-own-exclusive stacking and no zero-length
 * ranges, so they could not answer as Windows does; and the data path is
 * the only SMB user of the share's files.
 *
 * The rules, as smbtorture's smb2.lock tests pin them down:
 *
 *   - ranges overlap when they share a byte; a zero-length range at X
 *     overlaps a range that holds X beyond its first byte, and no other
 *     zero-length range;
 *   - an exclusive request conflicts with every overlapping lock, its own
 *     open's included; a shared one with the exclusive locks of other
 *     opens only (locks of one open stack);
 *   - an unlock names one lock exactly (offset and length) of its open,
 *     its exclusive one first;
 *   - READ conflicts with other opens' exclusive locks, WRITE with those
 *     and with every shared lock (its own open's too).
 *
 * One request holds elements of one kind: a series of unlocks, each done
 * at once and kept when a later one fails, or a series of locks, all or
 * nothing. Only a lone lock element without FAIL_IMMEDIATELY waits: the
 * request goes async (async.c) on the inode's waiter list, and whatever
 * frees a range (unlock, close) wakes it to try again from the start.
 *
 * Not done: lock sequence numbers (LockSequenceNumber/Index replay of
 * resilient, durable and persistent handles); the field is ignored.
 */
#include "smbd.h"

/* A LOCK's SMB2_LOCKFLAG_* combinations (MS-SMB2 2.2.26.1). */
#define F_SHARED	SMB2_LOCKFLAG_SHARED_LOCK
#define F_EXCL		SMB2_LOCKFLAG_EXCLUSIVE_LOCK
#define F_UNLOCK	SMB2_LOCKFLAG_UNLOCK
#define F_NOWAIT	SMB2_LOCKFLAG_FAIL_IMMEDIATELY

/*
 * Locks one file may carry at most. Every lock request and every READ
 * and WRITE walks the list under the server-wide table lock, so a client
 * must not be able to make it arbitrarily long.
 */
#define BRL_MAX		4096U

/* Does [off, off + len) stay within 64 bits (MS-FSA 2.1.5.8)? */
static int range_valid(u64 off, u64 len)
{
	return !len || off + (len - 1) >= off;
}

/* Do two ranges (valid ones) share a byte, zero-length rules included? */
static int overlap(u64 ao, u64 al, u64 bo, u64 bl)
{
	if (!al && !bl)
		return 0;
	if (!al)
		return ao > bo && ao - bo < bl;
	if (!bl)
		return bo > ao && bo - ao < al;
	/* inclusive ends cannot overflow: both ranges are valid */
	return ao <= bo + (bl - 1) && bo <= ao + (al - 1);
}

static int lock_conflicts(const struct smbd_brl_list *list,
			  const struct smbd_open *o, u64 off, u64 len, int excl)
{
	const struct smbd_brl *l;

	for (l = list->head; l; l = l->next) {
		if (!overlap(l->offset, l->length, off, len))
			continue;
		if (excl || (l->exclusive && l->owner != o))
			return 1;
	}
	return 0;
}

/* Take o's lock on exactly [off, off + len) off the list, exclusive first. */
static struct smbd_brl *unlink_lock(struct smbd_brl_list *list,
				    const struct smbd_open *o, u64 off, u64 len)
{
	struct smbd_brl **pp, **found = NULL, *l;

	for (pp = &list->head; *pp; pp = &(*pp)->next) {
		l = *pp;
		if (l->owner != o || l->offset != off || l->length != len)
			continue;
		found = pp;
		if (l->exclusive)
			break;
	}
	if (!found)
		return NULL;
	l = *found;
	*found = l->next;
	l->next = NULL;
	list->count--;
	return l;
}

static void free_chain(struct smbd_brl *l)
{
	struct smbd_brl *next;

	for (; l; l = next) {
		next = l->next;
		os_free(l);
	}
}

struct smbd_brl *smbd_brl_take_owner(struct smbd_brl_list *list,
				     const struct smbd_open *o)
{
	struct smbd_brl **pp = &list->head, *l, *taken = NULL;

	while ((l = *pp)) {
		if (l->owner != o) {
			pp = &l->next;
			continue;
		}
		*pp = l->next;
		l->next = taken;
		taken = l;
		list->count--;
	}
	return taken;
}

void smbd_brl_free(struct smbd_brl *chain)
{
	free_chain(chain);
}

/* -- READ and WRITE ---------------------------------------------------------- */

u32 smbd_lock_check_io(struct smbd_open *o, u64 off, u64 len, int write)
{
	struct smbd_brl_list *list;
	const struct smbd_brl *l;
	u32 status = STATUS_SUCCESS;

	/* a zero-length transfer touches no byte (smb2.lock.zerobyteread) */
	if (!o->inode || !len)
		return STATUS_SUCCESS;
	list = smbd_inode_brl_enter(o->inode);
	if (!list)
		return STATUS_SUCCESS;
	for (l = list->head; l; l = l->next) {
		if (!l->length || !overlap(l->offset, l->length, off, len))
			continue;
		if ((l->exclusive && l->owner != o) || (write && !l->exclusive)) {
			status = STATUS_FILE_LOCK_CONFLICT;
			break;
		}
	}
	smbd_inode_brl_leave(o->inode, 0);
	return status;
}

/* -- unlocks ------------------------------------------------------------------ */

/*
 * MS-SMB2 3.3.5.14.1: each element in turn; the first that fails ends
 * the request, and what was unlocked before stays unlocked.
 */
static u32 unlock_all(struct smbd_open *o, const struct smb2_lock_req *req)
{
	struct smb2_lock_element el;
	struct smbd_brl_list *list;
	struct smbd_brl *freed = NULL, *l;
	struct wire_seq_iter it;
	u32 status = STATUS_SUCCESS;
	int rc;

	list = smbd_inode_brl_enter(o->inode);
	if (!list)
		return STATUS_RANGE_NOT_LOCKED;
	wire_seq_iter_init(&it, &req->locks);
	while ((rc = smb2_lock_element_seq_next(&it, &el)) > 0) {
		/* FAIL_IMMEDIATELY too: Windows refuses it (smb2.lock.valid-request) */
		if (el.flags != F_UNLOCK) {
			status = STATUS_INVALID_PARAMETER;
			break;
		}
		if (!range_valid(el.offset, el.length)) {
			status = STATUS_INVALID_LOCK_RANGE;
			break;
		}
		l = unlink_lock(list, o, el.offset, el.length);
		if (!l) {
			status = STATUS_RANGE_NOT_LOCKED;
			break;
		}
		l->next = freed;
		freed = l;
	}
	if (rc < 0)
		status = STATUS_INVALID_PARAMETER;
	/* a freed range may be what a waiting LOCK waits for */
	smbd_inode_brl_leave(o->inode, freed != NULL);
	free_chain(freed);
	return status;
}

/* -- locks -------------------------------------------------------------------- */

static int lock_flags_valid(u32 flags)
{
	switch (flags) {
	case F_SHARED:
	case F_EXCL:
	case F_SHARED | F_NOWAIT:
	case F_EXCL | F_NOWAIT:
		return 1;
	default:
		return 0;
	}
}

/*
 * The elements' own checks, before anything is broken or taken: valid
 * flags (an unlock among locks is refused), ranges within 64 bits, and
 * no waiting when there are several (MS-SMB2 3.3.5.14.2 SHOULD, as
 * Windows since 7 does). The first element that fails names the status.
 */
static u32 check_locks(const struct smb2_lock_req *req)
{
	struct smb2_lock_element el;
	struct wire_seq_iter it;
	int rc;

	wire_seq_iter_init(&it, &req->locks);
	while ((rc = smb2_lock_element_seq_next(&it, &el)) > 0) {
		if (!lock_flags_valid(el.flags) ||
		    (req->lock_count > 1 && !(el.flags & F_NOWAIT)))
			return STATUS_INVALID_PARAMETER;
		if (!range_valid(el.offset, el.length))
			return STATUS_INVALID_LOCK_RANGE;
	}
	return rc < 0 ? STATUS_INVALID_PARAMETER : STATUS_SUCCESS;
}

/* Nodes for the locks of one request, made before the table lock is taken. */
static struct smbd_brl *alloc_nodes(u32 n)
{
	struct smbd_brl *chain = NULL, *l;
	u32 i;

	for (i = 0; i < n; i++) {
		l = os_zalloc(sizeof(*l));
		if (!l) {
			free_chain(chain);
			return NULL;
		}
		l->next = chain;
		chain = l;
	}
	return chain;
}

/* Undo the first added locks of this request: they are the list's head. */
static void roll_back(struct smbd_brl_list *list, u32 added, struct smbd_brl **spare)
{
	struct smbd_brl *l;

	while (added--) {
		l = list->head;
		list->head = l->next;
		list->count--;
		l->next = *spare;
		*spare = l;
	}
}

/*
 * One try at every lock of req, under the table lock. A conflict that
 * may be waited for answers SMBD_STATUS_NEED_WAIT without wait (the
 * caller gets a record and tries again), or parks wait on the inode and
 * answers STATUS_PENDING.
 */
static u32 try_locks(struct smbd_open *o, const struct smb2_lock_req *req,
		     struct smbd_brl **spare, struct smbd_async *wait, int may_wait)
{
	struct smb2_lock_element el;
	struct smbd_brl_list *list;
	struct wire_seq_iter it;
	struct smbd_brl *l;
	u32 status = STATUS_SUCCESS, added = 0;
	int rc, excl;

	list = smbd_inode_brl_enter(o->inode);
	if (!list)
		return STATUS_INSUFFICIENT_RESOURCES;
	wire_seq_iter_init(&it, &req->locks);
	/* the elements passed check_locks() */
	while ((rc = smb2_lock_element_seq_next(&it, &el)) > 0) {
		excl = !!(el.flags & F_EXCL);
		if (lock_conflicts(list, o, el.offset, el.length, excl)) {
			status = STATUS_LOCK_NOT_GRANTED;
			if (!(el.flags & F_NOWAIT) && may_wait) {
				status = wait ? STATUS_PENDING : SMBD_STATUS_NEED_WAIT;
				if (wait)
					smbd_inode_brl_wait(o->inode, wait);
			}
			break;
		}
		if (list->count >= BRL_MAX || !*spare) {
			status = STATUS_INSUFFICIENT_RESOURCES;
			break;
		}
		l = *spare;
		*spare = l->next;
		l->owner = o;
		l->offset = el.offset;
		l->length = el.length;
		l->exclusive = excl;
		l->next = list->head;
		list->head = l;
		list->count++;
		added++;
	}
	if (rc < 0)
		status = STATUS_INVALID_PARAMETER;
	if (status)
		roll_back(list, added, spare);
	smbd_inode_brl_leave(o->inode, 0);
	return status;
}

static u32 lock_all(struct smbd_work *w, struct smbd_open *o,
		    const struct smb2_lock_req *req)
{
	struct smbd_brl *spare;
	struct smbd_async *a;
	u32 status;

	status = check_locks(req);
	if (status)
		return status;
	if (req->lock_count > BRL_MAX)
		return STATUS_INSUFFICIENT_RESOURCES;
	/* MS-FSA 2.1.4.12: a lock request takes read caching from others */
	smbd_inode_lock_break(o);
	spare = alloc_nodes(req->lock_count);
	if (!spare)
		return STATUS_INSUFFICIENT_RESOURCES;
	status = try_locks(o, req, &spare, NULL, req->lock_count == 1);
	if (status == SMBD_STATUS_NEED_WAIT) {
		a = smbd_async_get(w);
		if (a) {
			a->lock_open = o;
			status = try_locks(o, req, &spare, a, 1);
		} else {
			/* in a compound, or too many parked: cannot wait */
			status = STATUS_LOCK_NOT_GRANTED;
		}
	}
	free_chain(spare);
	return status;
}

/* -- the command -------------------------------------------------------------- */

u32 smbd_lock(struct smbd_work *w)
{
	struct smb2_lock_rsp rsp = { 0 };
	struct smb2_lock_element first;
	struct smb2_lock_req req;
	struct wire_seq_iter it;
	struct smbd_open *o;
	struct wire_enc e;
	struct wire_dec d;
	u32 status;

	smbd_body_dec(w, &d);
	if (smb2_lock_req_dec(&d, &req) || !req.lock_count)
		return STATUS_INVALID_PARAMETER;
	o = smbd_open_find(w, &req.file_id);
	if (!o)
		return STATUS_FILE_CLOSED;
	if (o->pipe)
		return STATUS_INVALID_DEVICE_REQUEST;
	/* MS-FSA 2.1.5.8: no byte-range locks on directories */
	if (o->is_dir || !o->inode)
		return STATUS_INVALID_PARAMETER;
	/* the I/O manager's rule: a handle that can neither read nor write locks nothing */
	if (!(o->access & (SEC_FILE_READ_DATA | SEC_FILE_WRITE_DATA)))
		return STATUS_ACCESS_DENIED;
	wire_seq_iter_init(&it, &req.locks);
	if (smb2_lock_element_seq_next(&it, &first) <= 0)
		return STATUS_INVALID_PARAMETER;
	/* the first element says what the request is (3.3.5.14) */
	if (first.flags & F_UNLOCK)
		status = unlock_all(o, &req);
	else
		status = lock_all(w, o, &req);
	if (status)
		return status;
	smbd_body_enc(w, &e);
	if (smb2_lock_rsp_enc(&e, &rsp))
		return STATUS_INSUFFICIENT_RESOURCES;
	w->rsp_len = e.pos;
	return STATUS_SUCCESS;
}

/* -- handles going away --------------------------------------------------------- */

/* Drop every lock of o, waking whoever waits on the file. */
static void release_open(struct smbd_open *o)
{
	struct smbd_brl_list *list;
	struct smbd_brl *taken;

	if (!o->inode)
		return;
	list = smbd_inode_brl_enter(o->inode);
	if (!list)
		return;
	taken = smbd_brl_take_owner(list, o);
	smbd_inode_brl_leave(o->inode, taken != NULL);
	free_chain(taken);
}

void smbd_lock_open_closing(struct smbd_open *o)
{
	/*
	 * A LOCK still waiting on the handle being closed ends with
	 * RANGE_NOT_LOCKED, as Windows answers (smb2.lock.cancel). Its
	 * locks themselves go with the inode entry (smbd_inode_detach).
	 */
	if (o->conn && !o->conn->dead)
		smbd_async_answer_open(o->conn, o, STATUS_RANGE_NOT_LOCKED);
}

void smbd_lock_tree_end(struct smbd_tree *t)
{
	struct smbd_open *o;

	/*
	 * Every handle of the tree is about to close. Windows closes them
	 * in turn, and a LOCK waiting on one of them for a range that only
	 * the tree's other handles held is granted before its own handle
	 * goes (smb2.lock.cancel-tdis, cancel-logoff). So: drop the tree's
	 * locks first, let its waiting LOCKs try once more now, and end
	 * those still waiting as a close would.
	 */
	for (o = t->opens; o; o = o->next)
		release_open(o);
	for (o = t->opens; o; o = o->next)
		if (o->inode && o->conn && !o->conn->dead)
			smbd_async_answer_open(o->conn, o, 0);
	for (o = t->opens; o; o = o->next)
		if (o->inode)
			smbd_lock_open_closing(o);
}
