// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Share modes and delete-pending across every open of one file.
 *
 * One table for the whole server, keyed by (dev, ino): the opens of a
 * file on different connections, which run on different threads, meet
 * here. Everything in the table is touched with table_lock held, and
 * nothing that sleeps is called with it held: allocations happen before
 * taking it, the unlink of a delete-pending file after dropping it.
 *
 * An inode lives while it has opens. When its last open goes and it is
 * delete-pending, it stays in the table marked "unlinking" until the
 * name is gone, so an open racing the delete sees STATUS_DELETE_PENDING
 * instead of a file about to vanish under it.
 *
 * Oplocks live here too, one per open entry (state machine in oplock.c),
 * and so do the CREATEs waiting for a break to end (waiters, async.c's
 * records, linked not owned). Whatever ends a break (acknowledgment,
 * close, timer) wakes every waiter of the inode: each runs again and
 * waits again if it still must. Wake-ups are queued after the lock is
 * dropped (queueing allocates).
 *
 * The file's byte-range locks hang here as well (their rules are in
 * lock.c): lock.c walks the list between smbd_inode_brl_enter() and
 * smbd_inode_brl_leave(), LOCKs waiting for a range share the waiter
 * list with the CREATEs, and an unlock or close wakes them all alike (a
 * waiter woken for nothing just waits again).
 */
#include "smbd.h"
#include "netlink.h"

#define INODE_BUCKETS	256U

/* One open's share-mode footprint (MS-FSA 2.1.1.6 Open.GrantedAccess,
 * Open.SharingMode). */
struct inode_open {
	struct inode_open *next;
	const struct smbd_open *o;
	u32 access;
	u32 share_access;
	struct smbd_oplock op;		/* when not leased */
	struct smbd_lease *lease;	/* shared with the other opens of its key */
};

struct smbd_inode {
	struct smbd_inode *next;	/* in its bucket */
	u64 dev, ino;
	u32 refcount;			/* opens attached */
	struct inode_open *opens;
	int delete_pending;
	int unlinking;			/* last open gone, name being removed */
	struct smbd_async *waiters;	/* CREATEs and LOCKs waiting */
	struct smbd_lease *leases;	/* owned: freed with their last open */
	struct smbd_brl_list brls;	/* byte-range locks (lock.c) */
	/*
	 * A ChangeTime the client set (FileBasicInformation): Linux cannot
	 * set ctime, so it is shown while the file has not changed since
	 * (its ctime is still ctime_seen) and the inode is open.
	 */
	u64 ctime_set;
	u64 ctime_seen;
};

static struct smbd_inode *table[INODE_BUCKETS];
/* Every lease, by key: an acknowledgment names the key only. */
static struct smbd_lease *lease_table[INODE_BUCKETS];

/*
 * Created on first use by whichever thread gets there first: the loser
 * of the compare-and-swap frees its own. Freed by smbd_core_exit(), once
 * every connection (and so every open) is gone.
 */
static struct os_mutex *table_lock;

static struct os_mutex *lock_get(void)
{
	struct os_mutex *m = __atomic_load_n(&table_lock, __ATOMIC_ACQUIRE);
	struct os_mutex *expected = NULL;

	if (m)
		return m;
	m = os_mutex_new();
	if (!m)
		return NULL;
	if (!__atomic_compare_exchange_n(&table_lock, &expected, m, 0,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		os_mutex_free(m);
		return expected;
	}
	return m;
}

static u32 bucket(u64 dev, u64 ino)
{
	u64 h = (ino ^ (dev * 0x9E3779B97F4A7C15ULL)) * 0xFF51AFD7ED558CCDULL;

	return (u32)(h >> 56) % INODE_BUCKETS;
}

static u32 lease_bucket(const u8 key[16])
{
	u64 k = wire_ld64(key) ^ wire_ld64(key + 8);

	return (u32)((k * 0x9E3779B97F4A7C15ULL) >> 56) % INODE_BUCKETS;
}

static struct smbd_lease *lease_find(const struct wire_guid *client, const u8 key[16])
{
	struct smbd_lease *l;

	for (l = lease_table[lease_bucket(key)]; l; l = l->hnext)
		if (!os_memcmp(l->key, key, 16) &&
		    !os_memcmp(&l->client, client, sizeof(*client)))
			return l;
	return NULL;
}

static void lease_unhash(struct smbd_lease *l)
{
	struct smbd_lease **pp;

	for (pp = &lease_table[lease_bucket(l->key)]; *pp; pp = &(*pp)->hnext) {
		if (*pp == l) {
			*pp = l->hnext;
			break;
		}
	}
	for (pp = &l->ino->leases; *pp; pp = &(*pp)->next) {
		if (*pp == l) {
			*pp = l->next;
			break;
		}
	}
}

static struct smbd_inode *lookup(u64 dev, u64 ino)
{
	struct smbd_inode *n;

	for (n = table[bucket(dev, ino)]; n; n = n->next)
		if (n->dev == dev && n->ino == ino)
			return n;
	return NULL;
}

static void unhash(struct smbd_inode *ino)
{
	struct smbd_inode **pp;

	for (pp = &table[bucket(ino->dev, ino->ino)]; *pp; pp = &(*pp)->next) {
		if (*pp == ino) {
			*pp = ino->next;
			return;
		}
	}
}

/* The access bits share modes are about (MS-FSA 2.1.5.1.2). */
#define READ_BITS	(SEC_FILE_READ_DATA | SEC_FILE_EXECUTE)
#define WRITE_BITS	(SEC_FILE_WRITE_DATA | SEC_FILE_APPEND_DATA)
#define DELETE_BITS	SEC_DELETE
#define SHARED_BITS	(READ_BITS | WRITE_BITS | DELETE_BITS)

/* What an oplock level lets its holder cache, as in oplock.c. */
#define CACHE_R		0x1U

static u32 caching(u8 level)
{
	switch (level) {
	case SMB2_OPLOCK_LEVEL_BATCH:
	case SMB2_OPLOCK_LEVEL_EXCLUSIVE:
		return 0x7U;
	case SMB2_OPLOCK_LEVEL_II:
		return CACHE_R;
	default:
		return 0;
	}
}

/* Does one side's access collide with the other side's share mode? */
static int denied_by(u32 access, u32 share)
{
	return ((access & READ_BITS) && !(share & FILE_SHARE_READ)) ||
	       ((access & WRITE_BITS) && !(share & FILE_SHARE_WRITE)) ||
	       ((access & DELETE_BITS) && !(share & FILE_SHARE_DELETE));
}

/*
 * An open that asks for none of the data, or delete, access conflicts
 * with nobody, and an existing open without them holds nobody off:
 * reading attributes is always possible.
 */
static int conflicts(const struct inode_open *e, u32 access, u32 share)
{
	if (!(e->access & SHARED_BITS) || !(access & SHARED_BITS))
		return 0;
	return denied_by(access, e->share_access) ||
	       denied_by(e->access, share);
}

/* An open for attributes only breaks no oplock (unless it truncates). */
#define STAT_BITS	(SEC_FILE_READ_ATTRIBUTES | SEC_FILE_WRITE_ATTRIBUTES | \
			 SEC_SYNCHRONIZE)

static int is_stat_open(u32 access)
{
	return (access & STAT_BITS) && !(access & ~STAT_BITS);
}

/* Was e opened with the lease the new open asks for? It breaks no such open. */
static int own_lease(const struct inode_open *e, const struct smbd_attach *at)
{
	return e->lease && at->lease && at->client &&
	       !os_memcmp(e->lease->key, at->lease->key, 16) &&
	       !os_memcmp(&e->lease->client, at->client, sizeof(*at->client));
}

/* Break what the new open o contends with; 1 when it must wait. */
static int contend(struct smbd_inode *ino, struct smbd_open *o,
		   const struct smbd_attach *at, int violation, int dry_run)
{
	int overwrite = at->overwrite;
	struct inode_open *e;
	int wait = 0;

	/* attributes only: nothing to break, unless it truncates */
	if (is_stat_open(o->access) && !overwrite)
		return 0;
	for (e = ino->opens; e; e = e->next) {
		if (own_lease(e, at))
			continue;
		if (e->lease)
			wait |= smbd_lease_contend(e->lease, e->o, violation,
						   overwrite, dry_run);
		else
			wait |= smbd_oplock_contend(&e->op, e->o, violation,
						    overwrite, dry_run);
	}
	return wait;
}

/* Take every waiter of ino off its list, their wake-ups onto *list. */
static void wake_all(struct smbd_inode *ino, struct smbd_wake **list)
{
	struct smbd_async *a;

	while (ino->waiters) {
		a = ino->waiters;
		ino->waiters = a->wait_next;
		a->wait_next = NULL;
		a->wait_ino = NULL;
		smbd_async_wake_take(a, list);
	}
}

/* The level granted: none while another open still caches writes or handles. */
static u8 grant(struct smbd_inode *ino, struct smbd_open *o, u8 requested)
{
	struct inode_open *e;

	/* no oplock beside a lease that caches handles or writes */
	for (e = ino ? ino->opens : NULL; e; e = e->next)
		if (e->op.state == SMBD_OPLOCK_BREAKING ||
		    (caching(e->op.level) & ~CACHE_R) ||
		    (e->lease && (e->lease->breaking ||
				  (e->lease->state & (SMBD_LEASE_W | SMBD_LEASE_H)))))
			return SMB2_OPLOCK_LEVEL_NONE;
	return smbd_oplock_grant(o, requested, ino && ino->opens);
}

/* The lease states there are: none, R, RH, RW, RWH (H or W without R are none). */
static u32 lease_valid(u32 req)
{
	req &= SMBD_LEASE_R | SMBD_LEASE_H | SMBD_LEASE_W;
	return (req & SMBD_LEASE_R) ? req : 0;
}

/*
 * What may be held beside the other opens of the file (MS-SMB2 3.3.5.9.8):
 * write caching only alone (opens for attributes only do not count), read
 * caching only beside an oplock, and nothing while another open still
 * caches writes or is breaking.
 */
static u32 lease_allowed(struct smbd_inode *ino, struct smbd_lease *l)
{
	u32 allowed = SMBD_LEASE_R | SMBD_LEASE_H | SMBD_LEASE_W;
	struct inode_open *e;

	for (e = ino ? ino->opens : NULL; e; e = e->next) {
		/* an open for attributes only counts when it holds a lease */
		if (e->lease == l || (is_stat_open(e->access) && !e->lease))
			continue;
		allowed &= ~SMBD_LEASE_W;
		/* beside an oplock, read caching only */
		if (!e->lease && e->op.level != SMB2_OPLOCK_LEVEL_NONE)
			allowed &= SMBD_LEASE_R;
		if (e->op.state == SMBD_OPLOCK_BREAKING ||
		    (caching(e->op.level) & ~CACHE_R) ||
		    (e->lease && (e->lease->breaking ||
				  (e->lease->state & SMBD_LEASE_W))))
			allowed = 0;
	}
	return allowed;
}

/*
 * A new lease gets what it asked for that can be shared; a lease held
 * already changes only to a valid, strictly larger state that can be
 * held as a whole (an upgrade), never while breaking.
 */
static void lease_grant(struct smbd_inode *ino, struct smbd_lease *l,
			struct smbd_open *o, u32 req, int fresh)
{
	u32 allowed = lease_allowed(ino, l), want = lease_valid(req);

	if (!o->tree || !(o->tree->share_flags & SMBD_NL_SHARE_FLAG_OPLOCKS))
		return;
	if (fresh) {
		l->state = lease_valid(want & allowed);
		if (l->state)
			l->epoch++;
		return;
	}
	if (l->breaking || want == l->state || (want & l->state) != l->state ||
	    (want & ~allowed))
		return;
	l->state = want;
	l->epoch++;
}

/* The lease o is opened with, found or made from fresh; NULL: refused. */
static struct smbd_lease *lease_take(struct smbd_inode *ino, struct smbd_attach *at,
				     struct smbd_lease **fresh)
{
	struct smbd_lease_req *r = at->lease;
	struct smbd_lease *l = lease_find(at->client, r->key);

	if (l)
		return l->ino == ino ? l : NULL;	/* a key names one file */
	l = *fresh;
	*fresh = NULL;
	l->ino = ino;
	l->client = *at->client;
	os_memcpy(l->key, r->key, 16);
	os_memcpy(l->parent_key, r->parent_key, 16);
	l->has_parent = r->has_parent;
	l->version = r->version;
	l->epoch = r->epoch;
	l->next = ino->leases;
	ino->leases = l;
	l->hnext = lease_table[lease_bucket(l->key)];
	lease_table[lease_bucket(l->key)] = l;
	return l;
}

u32 smbd_inode_attach(struct smbd_open *o, const struct os_stat *st,
		      struct smbd_attach *at)
{
	struct os_mutex *m = lock_get();
	struct smbd_lease *fresh_lease = NULL, *l = NULL;
	struct smbd_inode *fresh, *ino;
	struct inode_open *io, *e;
	u32 status = STATUS_SUCCESS;
	int violation = 0;
	u8 level;

	at->oplock_granted = SMB2_OPLOCK_LEVEL_NONE;
	if (at->lease && !at->client)
		at->lease = NULL;
	if (!m)
		return STATUS_INSUFFICIENT_RESOURCES;
	fresh = os_zalloc(sizeof(*fresh));
	io = os_zalloc(sizeof(*io));
	if (at->lease)
		fresh_lease = os_zalloc(sizeof(*fresh_lease));
	if (!fresh || !io || (at->lease && !fresh_lease)) {
		os_free(fresh);
		os_free(io);
		os_free(fresh_lease);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	io->o = o;
	io->access = o->access;
	io->share_access = o->share_access;

	os_mutex_lock(m);
	ino = lookup(st->dev, st->ino);
	if (ino && (ino->delete_pending || ino->unlinking)) {
		status = STATUS_DELETE_PENDING;
		goto out;
	}
	for (e = ino ? ino->opens : NULL; e; e = e->next)
		if (conflicts(e, o->access, o->share_access))
			violation = 1;
	/* oplocks first: a break may end the sharing violation (3.3.5.9) */
	if (at->lease) {
		l = lease_find(at->client, at->lease->key);
		if (l && l->ino != ino) {
			status = STATUS_INVALID_PARAMETER;	/* a key names one file */
			goto out;
		}
		if (o->is_dir)
			at->lease = NULL;	/* no directory leases: none offered */
	}
	if (ino && at->can_wait && !at->wait &&
	    contend(ino, o, at, violation, 1)) {
		status = SMBD_STATUS_NEED_WAIT;
		goto out;
	}
	if (ino && contend(ino, o, at, violation, 0) && at->wait) {
		at->wait->wait_ino = ino;
		at->wait->wait_next = ino->waiters;
		ino->waiters = at->wait;
		status = STATUS_PENDING;
		goto out;
	}
	if (violation) {
		status = STATUS_SHARING_VIOLATION;
		goto out;
	}
	level = at->lease ? SMB2_OPLOCK_LEVEL_NONE : grant(ino, o, at->oplock_req);
	if (!ino) {
		ino = fresh;
		fresh = NULL;
		ino->dev = st->dev;
		ino->ino = st->ino;
		ino->next = table[bucket(ino->dev, ino->ino)];
		table[bucket(ino->dev, ino->ino)] = ino;
	}
	smbd_oplock_init(&io->op, level);
	at->oplock_granted = level;
	if (at->lease) {
		int made = fresh_lease != NULL;

		l = lease_take(ino, at, &fresh_lease);
		lease_grant(ino, l, o, at->lease->state, made && !fresh_lease);
		l->opens++;
		io->lease = l;
		/*
		 * The answer is in the lease's own version, whatever form
		 * this request took (a v1 RqLs on a v2 lease gets a v2
		 * context with the epoch; smbtorture lease.v2_epoch2/3).
		 */
		at->lease->version = l->version;
		at->lease->has_parent = l->has_parent;
		os_memcpy(at->lease->parent_key, l->parent_key, 16);
		at->lease->state = l->state;
		at->lease->epoch = l->epoch;
		at->lease->breaking = l->breaking;
		at->oplock_granted = SMB2_OPLOCK_LEVEL_LEASE;
	}
	io->next = ino->opens;
	ino->opens = io;
	io = NULL;
	ino->refcount++;
	o->inode = ino;
out:
	os_mutex_unlock(m);
	os_free(fresh);
	os_free(io);
	os_free(fresh_lease);
	return status;
}

/*
 * Is path still the file ino is about? A rename by another open could
 * have put a different file there since this open was made.
 */
static int still_same(struct smbd_open *o, const struct smbd_inode *ino)
{
	struct os_file *f;
	struct os_stat st;
	int rc;

	if (!o->path || !o->path[0])
		return 0;	/* the share root is never deleted */
	rc = os_open(o->tree->fs, NULL, o->path, 0, 0, &f, NULL);
	if (rc)
		return 0;
	rc = os_stat(f, &st);
	os_close(f);
	return rc == 0 && st.dev == ino->dev && st.ino == ino->ino;
}

static void remove_name(struct smbd_open *o, struct smbd_inode *ino)
{
	int rc;

	if (!o->tree || !o->tree->fs || !still_same(o, ino))
		return;
	rc = os_unlink(o->tree->fs, o->path, o->is_dir);
	if (rc)
		os_log(OS_LOG_INFO, "delete on close of %s: %d", o->path, rc);
}

void smbd_inode_detach(struct smbd_open *o)
{
	struct smbd_inode *ino = o->inode;
	struct os_mutex *m = __atomic_load_n(&table_lock, __ATOMIC_ACQUIRE);
	struct inode_open **pp, *gone = NULL;
	struct smbd_wake *woken = NULL;
	struct smbd_lease *dead_lease = NULL;
	struct smbd_brl *dead_brls;
	int last, unlink;

	if (!ino || !m)
		return;
	/* LOCKs waiting on this handle are answered before it goes */
	smbd_lock_open_closing(o);
	os_mutex_lock(m);
	/* a waiter may be waiting for this very open: all look again */
	wake_all(ino, &woken);
	dead_brls = smbd_brl_take_owner(&ino->brls, o);
	for (pp = &ino->opens; *pp; pp = &(*pp)->next) {
		if ((*pp)->o == o) {
			gone = *pp;
			*pp = gone->next;
			ino->refcount--;
			break;
		}
	}
	if (gone && gone->lease && --gone->lease->opens == 0) {
		lease_unhash(gone->lease);
		dead_lease = gone->lease;
	}
	last = ino->refcount == 0;
	unlink = last && ino->delete_pending;
	if (last && !unlink)
		unhash(ino);
	if (unlink)
		ino->unlinking = 1;
	os_mutex_unlock(m);
	smbd_async_wake_run(woken);
	o->inode = NULL;
	os_free(gone);
	os_free(dead_lease);
	smbd_brl_free(dead_brls);

	if (!last)
		return;
	if (unlink) {
		remove_name(o, ino);
		os_mutex_lock(m);
		unhash(ino);
		os_mutex_unlock(m);
	}
	os_free(ino);
}

void smbd_inode_set_change_time(struct smbd_inode *ino, u64 value, u64 real_ctime)
{
	struct os_mutex *m = __atomic_load_n(&table_lock, __ATOMIC_ACQUIRE);

	if (!ino || !m)
		return;
	os_mutex_lock(m);
	ino->ctime_set = value;
	ino->ctime_seen = real_ctime;
	os_mutex_unlock(m);
}

u64 smbd_inode_change_time(struct smbd_inode *ino, u64 real_ctime)
{
	struct os_mutex *m = __atomic_load_n(&table_lock, __ATOMIC_ACQUIRE);
	u64 t = real_ctime;

	if (!ino || !m)
		return t;
	os_mutex_lock(m);
	if (ino->ctime_set && ino->ctime_seen == real_ctime)
		t = ino->ctime_set;
	os_mutex_unlock(m);
	return t;
}

int smbd_inode_delete_pending(struct smbd_inode *ino)
{
	struct os_mutex *m = __atomic_load_n(&table_lock, __ATOMIC_ACQUIRE);
	int on;

	if (!ino || !m)
		return 0;
	os_mutex_lock(m);
	on = ino->delete_pending;
	os_mutex_unlock(m);
	return on;
}

/*
 * Would an open of (dev, ino) for access, sharing share, collide with
 * one of the file's opens other than self? Asked for a directory a
 * rename changes (set_info.c): nothing is attached, nothing waits.
 */
u32 smbd_inode_share_check(u64 dev, u64 ino_nr, const struct smbd_open *self,
			   u32 access, u32 share)
{
	struct os_mutex *m = __atomic_load_n(&table_lock, __ATOMIC_ACQUIRE);
	const struct inode_open *e;
	struct smbd_inode *ino;
	u32 status = STATUS_SUCCESS;

	if (!m)
		return STATUS_SUCCESS;	/* nothing was ever opened */
	os_mutex_lock(m);
	ino = lookup(dev, ino_nr);
	for (e = ino ? ino->opens : NULL; e; e = e->next)
		if (e->o != self && conflicts(e, access, share))
			status = STATUS_SHARING_VIOLATION;
	os_mutex_unlock(m);
	return status;
}

void smbd_inode_set_delete_pending(struct smbd_inode *ino, int on)
{
	struct os_mutex *m = __atomic_load_n(&table_lock, __ATOMIC_ACQUIRE);

	if (!ino || !m)
		return;
	os_mutex_lock(m);
	ino->delete_pending = !!on;
	os_mutex_unlock(m);
}

/*
 * The host is going away (module unload) and has freed every connection:
 * no open, and so no inode, is left. Free the table's lock so that
 * nothing of the core outlives the host.
 */
void smbd_core_exit(void)
{
	struct os_mutex *m = __atomic_exchange_n(&table_lock, NULL, __ATOMIC_ACQ_REL);
	u32 i, left = 0;

	for (i = 0; i < INODE_BUCKETS; i++)
		left += table[i] != NULL;
	if (left)
		os_log(OS_LOG_ERR, "inode table not empty at exit (%u buckets)", left);
	os_mutex_free(m);
}

static struct inode_open *entry_of(struct smbd_inode *ino, const struct smbd_open *o)
{
	struct inode_open *e;

	for (e = ino->opens; e; e = e->next)
		if (e->o == o)
			return e;
	return NULL;
}

u32 smbd_inode_oplock_ack(struct smbd_open *o, u8 level, u8 *held)
{
	struct os_mutex *m = __atomic_load_n(&table_lock, __ATOMIC_ACQUIRE);
	struct smbd_wake *woken = NULL;
	struct inode_open *e;
	u32 status = STATUS_INVALID_OPLOCK_PROTOCOL;
	int done = 0;

	if (!o->inode || !m)
		return status;
	os_mutex_lock(m);
	e = entry_of(o->inode, o);
	if (e)
		status = smbd_oplock_ack(&e->op, level, held, &done);
	if (done)
		wake_all(o->inode, &woken);
	os_mutex_unlock(m);
	smbd_async_wake_run(woken);
	return status;
}

void smbd_inode_data_changed(struct smbd_open *o)
{
	struct os_mutex *m = __atomic_load_n(&table_lock, __ATOMIC_ACQUIRE);
	struct inode_open *e;

	if (!o->inode || !m)
		return;
	os_mutex_lock(m);
	struct inode_open *self = entry_of(o->inode, o);

	/* the writer's own Level II too: its cache is as stale */
	for (e = o->inode->opens; e; e = e->next) {
		if (!e->lease)
			smbd_oplock_break_level2(&e->op, e->o);
		else if (!self || e->lease != self->lease)
			smbd_lease_break_read(e->lease, e->o);
	}
	os_mutex_unlock(m);
}

void smbd_inode_tick(void)
{
	struct os_mutex *m = __atomic_load_n(&table_lock, __ATOMIC_ACQUIRE);
	struct smbd_wake *woken = NULL;
	struct smbd_inode *ino;
	struct inode_open *e;
	struct smbd_lease *l;
	u64 now = os_nttime_now();
	int expired;
	u32 b;

	if (!m)
		return;
	os_mutex_lock(m);
	for (b = 0; b < INODE_BUCKETS; b++) {
		for (ino = table[b]; ino; ino = ino->next) {
			expired = 0;
			for (e = ino->opens; e; e = e->next)
				expired |= smbd_oplock_expire(&e->op, now);
			for (l = ino->leases; l; l = l->next)
				expired |= smbd_lease_expire(l, now);
			if (expired)
				wake_all(ino, &woken);
		}
	}
	os_mutex_unlock(m);
	smbd_async_wake_run(woken);
}

void smbd_inode_unwait(struct smbd_async *a)
{
	struct os_mutex *m = __atomic_load_n(&table_lock, __ATOMIC_ACQUIRE);
	struct smbd_async **pp;

	if (!m)
		return;
	os_mutex_lock(m);
	if (a->wait_ino) {
		for (pp = &a->wait_ino->waiters; *pp; pp = &(*pp)->wait_next) {
			if (*pp == a) {
				*pp = a->wait_next;
				break;
			}
		}
		a->wait_ino = NULL;
		a->wait_next = NULL;
	}
	os_mutex_unlock(m);
}

u32 smbd_inode_lease_ack(struct smbd_conn *conn, const u8 key[16], u32 state,
			 u32 *held)
{
	struct os_mutex *m = __atomic_load_n(&table_lock, __ATOMIC_ACQUIRE);
	struct smbd_wake *woken = NULL;
	struct smbd_lease *l;
	u32 status = STATUS_OBJECT_NAME_NOT_FOUND;

	if (!m)
		return status;
	os_mutex_lock(m);
	l = lease_find(&conn->client_guid, key);
	if (l)
		status = smbd_lease_ack(l, state);
	if (l && status == STATUS_SUCCESS) {
		*held = l->state;
		wake_all(l->ino, &woken);
	}
	os_mutex_unlock(m);
	smbd_async_wake_run(woken);
	return status;
}

/* -- byte-range locks (lock.c) ------------------------------------------------ */

struct smbd_brl_list *smbd_inode_brl_enter(struct smbd_inode *ino)
{
	struct os_mutex *m = __atomic_load_n(&table_lock, __ATOMIC_ACQUIRE);

	if (!ino || !m)
		return NULL;
	os_mutex_lock(m);
	return &ino->brls;
}

void smbd_inode_brl_leave(struct smbd_inode *ino, int released)
{
	struct os_mutex *m = __atomic_load_n(&table_lock, __ATOMIC_ACQUIRE);
	struct smbd_wake *woken = NULL;

	if (released)
		wake_all(ino, &woken);
	os_mutex_unlock(m);
	smbd_async_wake_run(woken);
}

void smbd_inode_brl_wait(struct smbd_inode *ino, struct smbd_async *a)
{
	a->wait_ino = ino;
	a->wait_next = ino->waiters;
	ino->waiters = a;
}

/*
 * MS-FSA 2.1.4.12, a byte-range lock request: every Level II oplock of
 * the file breaks to none, the requester's own too (smb2.oplock.brl1),
 * and so does every read-caching lease but the requester's
 * (smb2.lease.lock1). Exclusive and batch oplocks only exist beside
 * opens that do not lock, and are left alone. Nothing waits for the
 * acknowledgments.
 */
void smbd_inode_lock_break(struct smbd_open *o)
{
	struct os_mutex *m = __atomic_load_n(&table_lock, __ATOMIC_ACQUIRE);
	struct inode_open *e, *self;

	if (!o->inode || !m)
		return;
	os_mutex_lock(m);
	self = entry_of(o->inode, o);
	for (e = o->inode->opens; e; e = e->next) {
		if (!e->lease)
			smbd_oplock_break_level2(&e->op, e->o);
		else if (!self || e->lease != self->lease)
			smbd_lease_contend(e->lease, e->o, 0, 1, 0);
	}
	os_mutex_unlock(m);
}
