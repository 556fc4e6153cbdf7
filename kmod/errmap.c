// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What a client is told when the filesystem says no. One table, so that
 * every handler answers the same failure with the same status.
 *
 * An escape attempt the host refused (EXDEV from a resolution beneath the
 * root, ELOOP from a refused symlink) reads as access denied: a client
 * learns nothing about what lies outside the share.
 */
#include "smbd.h"

struct errmap {
	int err;
	u32 status;
};

static const struct errmap errmap[] = {
	{ OS_EPERM,		STATUS_ACCESS_DENIED },
	{ OS_EACCES,		STATUS_ACCESS_DENIED },
	{ OS_EXDEV,		STATUS_ACCESS_DENIED },
	{ OS_ELOOP,		STATUS_ACCESS_DENIED },
	{ OS_EROFS,		STATUS_MEDIA_WRITE_PROTECTED },
	{ OS_ENOENT,		STATUS_OBJECT_NAME_NOT_FOUND },
	{ OS_ENOTDIR,		STATUS_NOT_A_DIRECTORY },
	{ OS_EISDIR,		STATUS_FILE_IS_A_DIRECTORY },
	{ OS_EEXIST,		STATUS_OBJECT_NAME_COLLISION },
	{ OS_ENOTEMPTY,		STATUS_DIRECTORY_NOT_EMPTY },
	{ OS_ENAMETOOLONG,	STATUS_NAME_TOO_LONG },
	{ OS_ENOSPC,		STATUS_DISK_FULL },
	{ OS_EDQUOT,		STATUS_DISK_FULL },
	{ OS_EFBIG,		STATUS_DISK_FULL },
	{ OS_EMFILE,		STATUS_TOO_MANY_OPENED_FILES },
	{ OS_ENOMEM,		STATUS_NO_MEMORY },
	{ OS_EBUSY,		STATUS_SHARING_VIOLATION },
	{ OS_EMLINK,		STATUS_FILE_SYSTEM_LIMITATION },
	{ OS_EINVAL,		STATUS_INVALID_PARAMETER },
	{ OS_EBADF,		STATUS_INVALID_HANDLE },
	{ OS_EOPNOTSUPP,	STATUS_NOT_SUPPORTED },
	{ OS_ENOSYS,		STATUS_NOT_SUPPORTED },
	{ OS_ENODATA,		STATUS_NOT_FOUND },
	{ OS_EOVERFLOW,		STATUS_INVALID_PARAMETER },
};

u32 smbd_errno_to_status(int err)
{
	u32 i;

	if (err < 0)
		err = -err;
	for (i = 0; i < OS_ARRAY_SIZE(errmap); i++)
		if (errmap[i].err == err)
			return errmap[i].status;
	return STATUS_IO_DEVICE_ERROR;
}
