// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness for the whole data path behind the transport: every
 * input is one SMB2 frame handed to smbd_dispatch() on a connection that
 * has negotiated 3.1.1 and holds a logged-in session (id 1) with a disk
 * tree connect (id 1) on a scratch share in a temporary directory. So the
 * handlers run for real: names are resolved beneath the share root, files
 * are created, read, listed and renamed there.
 *
 * The first input byte is a mode, the rest the frame. Mode bit 0 rewrites
 * every header of the chain to use session 1, tree 1 and fresh message
 * ids, so that mutations reach the handlers instead of dying in the
 * lookup; with it clear the frame is taken as is.
 *
 * The daemon is absent: upcalls fail, so SESSION_SETUP reaches NTLMSSP
 * and SPNEGO parsing but never logs in, and TREE_CONNECT is refused.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "smbd.h"

#define SESSION_ID	1
#define TREE_ID		1

/* -- the parts of the host this harness stands in for ------------------ */

int os_sock_send(struct os_sock *s, const void *buf, u32 n)
{
	(void)s;
	(void)buf;
	(void)n;
	return 0;
}

void os_sock_peer(struct os_sock *s, char *buf, u32 cap, int *ipv6)
{
	(void)s;
	snprintf(buf, cap, "127.0.0.1");
	*ipv6 = 0;
}

int os_upcall(u16 type, const void *req, u32 len, u16 reply_type,
	      void *rsp, u32 cap, u32 *rsp_len)
{
	(void)type;
	(void)req;
	(void)len;
	(void)reply_type;
	(void)rsp;
	(void)cap;
	if (rsp_len)
		*rsp_len = 0;
	return -OS_EIO;		/* no daemon */
}

u32 os_upcall_handle(void)
{
	return 1;
}

int os_work_queue(void (*fn)(void *arg), void *arg)
{
	fn(arg);
	return 0;
}

/* -- the connection under test ------------------------------------------ */

static struct smbd_conn *conn;
/* what the connection's sock points at: never dereferenced (os_sock_send above) */
static char fake_sock;
static char share_root[] = "/tmp/fuzz-dispatch-XXXXXX";
static u8 *rsp;

static void make_share(void)
{
	char path[256];
	FILE *f;

	if (!mkdtemp(share_root))
		abort();
	snprintf(path, sizeof(path), "%s/dir", share_root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/a.txt", share_root);
	f = fopen(path, "w");
	if (f) {
		fputs("0123456789abcdef", f);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/dir/b.txt", share_root);
	f = fopen(path, "w");
	if (f)
		fclose(f);
}

static void remove_share(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", share_root);
	if (system(cmd))
		fprintf(stderr, "fuzz_dispatch: could not remove %s\n", share_root);
}

static void add_tree(struct smbd_session *s)
{
	struct smbd_tree *t = os_zalloc(sizeof(*t));

	if (!t || os_fs_open(share_root, OS_FS_NO_SYMLINKS, &t->fs))
		abort();
	t->id = TREE_ID;
	t->share_type = SMB2_SHARE_TYPE_DISK;
	t->create_mask = 0744;
	t->directory_mask = 0755;
	t->next_volatile_id = 1;
	snprintf(t->share, sizeof(t->share), "fuzz");
	t->next = s->trees;
	s->trees = t;
}

static void add_session(void)
{
	struct smbd_session *s = os_zalloc(sizeof(*s));

	if (!s)
		abort();
	s->id = SESSION_ID;
	s->state = SMBD_SESSION_VALID;
	s->next_tree_id = TREE_ID + 1;
	snprintf(s->account, sizeof(s->account), "fuzz");
	s->next = conn->sessions;
	conn->sessions = s;
}

/* Put back what LOGOFF, TREE_DISCONNECT or SESSION_SETUP changed. */
static void restore_state(void)
{
	struct smbd_session *s;
	int n = 0;

	while (conn->sessions && conn->sessions->id != SESSION_ID)
		smbd_session_destroy(conn, conn->sessions);
	for (s = conn->sessions; s; s = s->next)
		n++;
	if (n > 1)
		abort();	/* only ours can be left after the loop above */
	if (!conn->sessions)
		add_session();
	if (!smbd_tree_find(conn->sessions, TREE_ID))
		add_tree(conn->sessions);
	/* bounded: opens hold descriptors */
	if (smbd_tree_find(conn->sessions, TREE_ID)->open_count > 256)
		smbd_open_close_all(smbd_tree_find(conn->sessions, TREE_ID));
	conn->negotiated = 1;
	conn->dialect = SMB2_DIALECT_311;
	conn->mid_low = 0;
	conn->mid_high = SMBD_CREDITS_MAX;
	memset(conn->mid_used, 0, sizeof(conn->mid_used));
}

static void teardown(void)
{
	smbd_conn_free(conn);
	free(rsp);
	remove_share();
}

static void setup(void)
{
	make_share();
	/* the core's own constructor: locks, reference, status link */
	conn = smbd_conn_new((struct os_sock *)&fake_sock);
	rsp = malloc(SMBD_FRAME_MAX);
	if (!conn || !rsp)
		abort();
	conn->next_session_id = SESSION_ID + 1;
	restore_state();
	atexit(teardown);
}

/* Give every header of the chain our session, tree and a fresh id. */
static void patch_chain(u8 *msg, u32 len)
{
	struct smb2_hdr h;
	u32 at = 0, i;
	u64 mid = 0;

	for (i = 0; i < 32 && at < len; i++) {
		if (smb2_hdr_decode(msg + at, len - at, &h))
			return;
		h.session_id = SESSION_ID;
		h.id.sync.tree_id = TREE_ID;
		h.flags &= ~(u32)SMB2_FLAGS_ASYNC_COMMAND;
		h.message_id = mid;
		mid += h.credit_charge ? h.credit_charge : 1;
		if (smb2_hdr_encode(msg + at, len - at, &h, NULL))
			return;
		if (!h.next_command)
			return;
		at += h.next_command;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u32 len, rsp_len = 0;
	u8 *msg;

	if (!conn)
		setup();
	if (size < 2 || size - 1 > SMBD_FRAME_MAX)
		return 0;
	len = (u32)(size - 1);
	msg = malloc(len);	/* a copy: the patch writes, and ASan sees its end */
	if (!msg)
		abort();
	memcpy(msg, data + 1, len);
	if (data[0] & 1)
		patch_chain(msg, len);
	smbd_dispatch(conn, msg, len, rsp, SMBD_FRAME_MAX, &rsp_len);
	if (rsp_len > SMBD_FRAME_MAX)
		abort();
	free(msg);
	restore_state();
	return 0;
}
