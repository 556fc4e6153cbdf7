// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * os.h identity for the kernel: a struct cred per user (per session, or
 * per tree with forced ids), put in place around a request with
 * override_creds() on the worker running it.
 *
 * The cred starts as a copy of the kernel's own (init_cred: every
 * capability), takes the user's ids and groups, and for any user but
 * root loses the filesystem capabilities from its effective set (what
 * setfsuid() does to a root process in userspace), so that permission
 * checks and ownership are the user's. The other capabilities stay: the
 * NT ACL lives in a security.* xattr, which needs CAP_SYS_ADMIN to write.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/limits.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>

#include "os.h"
#include "khost.h"

struct os_cred *os_cred_new(u32 uid, u32 gid, u32 ngroups, const u32 *groups)
{
	struct group_info *gi;
	struct cred *cred;
	kuid_t kuid = make_kuid(&init_user_ns, uid);
	kgid_t kgid = make_kgid(&init_user_ns, gid);
	u32 i;

	if (!uid_valid(kuid) || !gid_valid(kgid))
		return NULL;
	if (ngroups > NGROUPS_MAX || (ngroups && !groups))
		return NULL;
	gi = groups_alloc((int)ngroups);
	if (!gi)
		return NULL;
	for (i = 0; i < ngroups; i++) {
		gi->gid[i] = make_kgid(&init_user_ns, groups[i]);
		if (!gid_valid(gi->gid[i])) {
			put_group_info(gi);
			return NULL;
		}
	}
	groups_sort(gi);

	cred = prepare_kernel_cred(NULL);
	if (!cred) {
		put_group_info(gi);
		return NULL;
	}
	cred->fsuid = kuid;
	cred->euid = kuid;
	cred->fsgid = kgid;
	cred->egid = kgid;
	set_groups(cred, gi);	/* takes its own reference */
	put_group_info(gi);
	if (!uid_eq(kuid, GLOBAL_ROOT_UID))
		cred->cap_effective = cap_drop_fs_set(cred->cap_effective);
	return (struct os_cred *)cred;
}

void os_cred_free(struct os_cred *c)
{
	if (c)
		put_cred((const struct cred *)c);
}

void *os_cred_override(const struct os_cred *c)
{
	if (!c)
		return NULL;
	return (void *)override_creds((const struct cred *)c);
}

void os_cred_revert(void *saved)
{
	if (saved)
		revert_creds(saved);
}
