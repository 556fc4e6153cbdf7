/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Finding a running ksmbd.mountd from the tools: the daemon writes its pid
 * into its lock file and holds a lock on it for as long as it runs. A lock
 * file that nobody holds a lock on is stale: its pid may belong to an
 * unrelated process by now, and is never signalled.
 */
#ifndef DAEMON_LOCK_H
#define DAEMON_LOCK_H

#include <stdbool.h>

/* $KSMBD_LOCK_FILE, else RUNSTATEDIR/ksmbd.lock. */
const char *daemon_lock_path(void);

/* Does some process hold a lock (flock or POSIX) on fd's file? */
bool daemon_lock_held(int fd);

/* The pid written in the lock file, or -1 when there is none (or <= 1). */
long daemon_lock_pid(int fd);

/*
 * Tell a running daemon to reload (SIGHUP), as ksmbd.adduser and
 * ksmbd.addshare do after an edit. Absent or stale daemons are fine;
 * problems are warnings on stderr prefixed with prog.
 */
void daemon_reload(const char *prog, bool verbose);

#endif /* DAEMON_LOCK_H */
