// SPDX-License-Identifier: GPL-2.0-or-later
/* Finding ksmbd.mountd through its lock file: see daemon_lock.h. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "daemon_lock.h"

#ifndef RUNSTATEDIR
#define RUNSTATEDIR "/run"
#endif

const char *daemon_lock_path(void)
{
	const char *path = getenv("KSMBD_LOCK_FILE");

	return path && *path ? path : RUNSTATEDIR "/ksmbd.lock";
}

bool daemon_lock_held(int fd)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

	if (flock(fd, LOCK_SH | LOCK_NB) && errno == EWOULDBLOCK)
		return true;
	flock(fd, LOCK_UN);
	/* A daemon may use POSIX record locks instead of flock(). */
	return !fcntl(fd, F_GETLK, &fl) && fl.l_type != F_UNLCK;
}

long daemon_lock_pid(int fd)
{
	char text[32];
	ssize_t n = pread(fd, text, sizeof(text) - 1, 0);
	char *end;
	long pid;

	if (n <= 0)
		return -1;
	text[n] = '\0';
	errno = 0;
	pid = strtol(text, &end, 10);
	if (errno || end == text || (*end && *end != '\n') || pid <= 1)
		return -1;
	return pid;
}

void daemon_reload(const char *prog, bool verbose)
{
	const char *path = daemon_lock_path();
	long pid;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (verbose)
			printf("no ksmbd.mountd running (%s: %s)\n", path,
			       strerror(errno));
		return;
	}
	pid = daemon_lock_pid(fd);
	if (pid < 0) {
		fprintf(stderr, "%s: warning: %s holds no valid pid; daemon not told to reload\n",
			prog, path);
	} else if (!daemon_lock_held(fd)) {
		if (verbose)
			printf("%s is stale (not locked); daemon not told to reload\n",
			       path);
	} else if (kill((pid_t)pid, SIGHUP)) {
		if (errno != ESRCH)
			fprintf(stderr, "%s: warning: cannot signal ksmbd.mountd (pid %ld): %s\n",
				prog, pid, strerror(errno));
	} else if (verbose) {
		printf("told ksmbd.mountd (pid %ld) to reload\n", pid);
	}
	close(fd);
}
