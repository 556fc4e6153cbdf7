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
 */
#include "smbd.h"

#define INODE_BUCKETS	256U

/* One open's share-mode footprint (MS-FSA 2.1.1.6 Open.GrantedAccess,
 * Open.SharingMode). */
struct inode_open {
	struct inode_open *next;
	const struct smbd_open *o;
	u32 access;
	u32 share_access;
};

struct smbd_inode {
	struct smbd_inode *next;	/* in its bucket */
	u64 dev, ino;
	u32 refcount;			/* opens attached */
	struct inode_open *opens;
	int delete_pending;
	int unlinking;			/* last open gone, name being removed */
};

static struct smbd_inode *table[INODE_BUCKETS];

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

u32 smbd_inode_attach(struct smbd_open *o, const struct os_stat *st)
{
	struct os_mutex *m = lock_get();
	struct smbd_inode *fresh, *ino;
	struct inode_open *io, *e;
	u32 status = STATUS_SUCCESS;

	if (!m)
		return STATUS_INSUFFICIENT_RESOURCES;
	fresh = os_zalloc(sizeof(*fresh));
	io = os_zalloc(sizeof(*io));
	if (!fresh || !io) {
		os_free(fresh);
		os_free(io);
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
	for (e = ino ? ino->opens : NULL; e; e = e->next) {
		if (conflicts(e, o->access, o->share_access)) {
			status = STATUS_SHARING_VIOLATION;
			goto out;
		}
	}
	if (!ino) {
		ino = fresh;
		fresh = NULL;
		ino->dev = st->dev;
		ino->ino = st->ino;
		ino->next = table[bucket(ino->dev, ino->ino)];
		table[bucket(ino->dev, ino->ino)] = ino;
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
	int last, unlink;

	if (!ino || !m)
		return;
	os_mutex_lock(m);
	for (pp = &ino->opens; *pp; pp = &(*pp)->next) {
		if ((*pp)->o == o) {
			gone = *pp;
			*pp = gone->next;
			ino->refcount--;
			break;
		}
	}
	last = ino->refcount == 0;
	unlink = last && ino->delete_pending;
	if (last && !unlink)
		unhash(ino);
	if (unlink)
		ino->unlinking = 1;
	os_mutex_unlock(m);
	o->inode = NULL;
	os_free(gone);

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
