// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * os.h identity for userspace: a request runs with the filesystem uid,
 * gid and supplementary groups of its user, on its worker thread only.
 *
 * Linux credentials are per thread, but glibc's setgroups() and set*id()
 * broadcast to every thread of the process (POSIX says they must): the
 * raw system calls change only the calling thread, which is what four
 * workers serving four users at once need. Only the fs ids are switched:
 * the real and effective ids stay root, so the thread can switch back.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "os.h"

struct os_cred {
	u32 uid, gid;
	u32 ngroups;
	gid_t groups[];
};

/* What the process ran with before any override: captured once. */
static struct {
	int can_switch;		/* euid 0 */
	gid_t fsgid;
	int ngroups;
	gid_t *groups;
} proc_cred;

static pthread_once_t proc_cred_once = PTHREAD_ONCE_INIT;

/* Handed out by os_cred_override when it switched: revert undoes it. */
static char switched;

/* The calling thread's fsuid/fsgid (an invalid id changes nothing). */
static uid_t cur_fsuid(void)
{
	return (uid_t)syscall(SYS_setfsuid, (uid_t)-1);
}

static gid_t cur_fsgid(void)
{
	return (gid_t)syscall(SYS_setfsgid, (gid_t)-1);
}

/*
 * euid 0 without CAP_SETUID/CAP_SETGID (a container that dropped them)
 * could not switch: find out now, on this thread, and switch back.
 */
static int probe_switch(void)
{
	const uid_t nobody = 65534;
	int ok;

	if (syscall(SYS_setgroups, (size_t)proc_cred.ngroups,
		    proc_cred.groups) < 0)
		return 0;
	syscall(SYS_setfsgid, (gid_t)nobody);
	syscall(SYS_setfsuid, nobody);
	ok = cur_fsuid() == nobody && cur_fsgid() == nobody;
	syscall(SYS_setfsuid, (uid_t)0);
	syscall(SYS_setfsgid, proc_cred.fsgid);
	return ok;
}

static void capture_proc_cred(void)
{
	int n;

	if (geteuid() != 0) {
		os_log(OS_LOG_INFO, "not running as root: file access runs as the server's own user (uid %u), not as each client's user",
		       (unsigned int)geteuid());
		return;
	}
	proc_cred.fsgid = getegid();
	n = getgroups(0, NULL);
	if (n > 0) {
		proc_cred.groups = calloc((size_t)n, sizeof(gid_t));
		if (!proc_cred.groups)
			n = -1;
		else
			n = getgroups(n, proc_cred.groups);
	}
	if (n < 0) {
		/* Without them revert could not be exact: do not switch. */
		os_log(OS_LOG_ERR, "cannot read the server's groups (%s): file access runs as root",
		       strerror(errno));
		free(proc_cred.groups);
		proc_cred.groups = NULL;
		return;
	}
	proc_cred.ngroups = n;
	if (!probe_switch()) {
		os_log(OS_LOG_ERR, "euid 0 but cannot switch fs ids (CAP_SETUID/CAP_SETGID missing?): file access runs as the server's own user");
		return;
	}
	proc_cred.can_switch = 1;
}

struct os_cred *os_cred_new(u32 uid, u32 gid, u32 ngroups, const u32 *groups)
{
	struct os_cred *c;
	u32 i;

	if (ngroups > NGROUPS_MAX || (ngroups && !groups))
		return NULL;
	c = calloc(1, sizeof(*c) + ngroups * sizeof(gid_t));
	if (!c)
		return NULL;
	c->uid = uid;
	c->gid = gid;
	c->ngroups = ngroups;
	for (i = 0; i < ngroups; i++)
		c->groups[i] = groups[i];
	return c;
}

void os_cred_free(struct os_cred *c)
{
	free(c);
}

void *os_cred_override(const struct os_cred *c)
{
	pthread_once(&proc_cred_once, capture_proc_cred);
	if (!c || !proc_cred.can_switch)
		return NULL;

	if (syscall(SYS_setgroups, (size_t)c->ngroups, c->groups) < 0) {
		/* Root's groups must not stay with the user: drop them all. */
		os_log(OS_LOG_ERR, "setgroups for uid %u: %s", c->uid,
		       strerror(errno));
		syscall(SYS_setgroups, (size_t)0, NULL);
	}
	syscall(SYS_setfsgid, (gid_t)c->gid);
	syscall(SYS_setfsuid, (uid_t)c->uid);
	/* setfsuid reports no error: check that it took. */
	if (cur_fsuid() != (uid_t)c->uid)
		os_log(OS_LOG_ERR, "setfsuid(%u) did not take", c->uid);
	return &switched;
}

void os_cred_revert(void *saved)
{
	if (saved != &switched)
		return;
	/* fsuid back to 0 first: it gives the fs capabilities back. */
	syscall(SYS_setfsuid, (uid_t)0);
	syscall(SYS_setfsgid, proc_cred.fsgid);
	if (syscall(SYS_setgroups, (size_t)proc_cred.ngroups,
		    proc_cred.groups) < 0)
		os_log(OS_LOG_ERR, "restoring the server's groups: %s",
		       strerror(errno));
}
