// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The open table of a tree (MS-SMB2 3.3.1.10 Open, 3.3.5.2.7 file ids).
 *
 * A tree's opens are touched only by requests of the tree's own
 * connection, which are handled one at a time: the list needs no lock.
 * What opens of one file share across connections lives in the inode
 * (inode.c), which has its own.
 *
 * Closing runs as whoever the caller runs as: from CLOSE and
 * TREE_DISCONNECT that is the tree's user (the dispatcher switched to
 * it), and the unlink of a delete-on-close file is then checked against
 * that user's permissions.
 */
#include "smbd.h"

#define FID_ANY		0xFFFFFFFFFFFFFFFFULL	/* "the related one" */

struct smbd_open *smbd_open_new(struct smbd_tree *t)
{
	struct smbd_open *o;
	u64 id;

	o = os_zalloc(sizeof(*o));
	if (!o)
		return NULL;
	/* 0 and all-ones are never handed out: all-ones means "related". */
	id = t->next_volatile_id++;
	if (id == 0 || id == FID_ANY) {
		t->next_volatile_id = 2;
		id = 1;
	}
	o->tree = t;
	o->volatile_id = id;
	o->persistent_id = id;
	o->next = t->opens;
	t->opens = o;
	t->open_count++;
	return o;
}

struct smbd_open *smbd_open_find(struct smbd_work *w, const struct smb2_file_id *fid)
{
	struct smb2_file_id id = *fid;
	struct smbd_open *o;

	if (!w->tree)
		return NULL;
	if (id.persistent_id == FID_ANY && id.volatile_id == FID_ANY) {
		/* MS-SMB2 3.3.5.2.7.2: the file of the chain's earlier element */
		if (!w->has_related_fid)
			return NULL;
		id = w->related_fid;
	}
	for (o = w->tree->opens; o; o = o->next) {
		if (o->volatile_id == id.volatile_id &&
		    o->persistent_id == id.persistent_id) {
			w->used_fid = id;
			w->has_used_fid = 1;
			return o;
		}
	}
	return NULL;
}

static void unlink_from_tree(struct smbd_open *o)
{
	struct smbd_tree *t = o->tree;
	struct smbd_open **pp;

	for (pp = &t->opens; *pp; pp = &(*pp)->next) {
		if (*pp == o) {
			*pp = o->next;
			t->open_count--;
			return;
		}
	}
}

void smbd_open_close(struct smbd_open *o)
{
	if (!o)
		return;
	smbd_pipe_release(o);		/* a named pipe: tell the daemon */
	if (o->tree)
		unlink_from_tree(o);
	if (o->inode) {
		/*
		 * MS-FSA 2.1.5.4: closing a delete-on-close open marks the
		 * file delete-pending; the last close of a delete-pending
		 * file removes its name (inode.c).
		 */
		if (o->delete_on_close)
			smbd_inode_set_delete_pending(o->inode, 1);
		smbd_inode_detach(o);
	}
	if (o->file)
		os_close(o->file);
	os_free(o->path);
	os_free(o->dir_pattern);
	os_free(o);
}

void smbd_open_close_all(struct smbd_tree *t)
{
	u32 guard = t->open_count + 1;

	/* Each close unlinks the head: the guard only bounds a corrupt list. */
	while (t->opens && guard--)
		smbd_open_close(t->opens);
}
