/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * User mode: ksmbd.mountd starts the userspace data path (smbd-user) as its
 * child and keeps it running.
 *
 * The child is restarted when it dies abnormally (a signal or a non-zero
 * exit status) after a back-off of 1 s, doubled per crash up to 30 s and
 * back to 1 s once a child has lived 60 s. An exit with status 0 means it
 * was stopped on purpose and is not restarted (supervisor_kick() starts it
 * again). supervisor_stop() is the clean shutdown: SIGTERM, up to 5 s of
 * grace, then SIGKILL. Child exits are reaped from the tevent loop
 * (SIGCHLD), so the daemon keeps answering the child's upcalls while the
 * child winds down.
 */
#ifndef SMBD_SERVER_SUPERVISE_H
#define SMBD_SERVER_SUPERVISE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <talloc.h>
#include <tevent.h>

#include "config.h"

/* The longest text supervise_listen_addr() writes (INET6_ADDRSTRLEN). */
#define SUPERVISE_ADDR_MAX 46

struct supervise_cfg {
	const char *path;		/* the data path binary */
	const char *ipc_socket;		/* the daemon's user-mode socket */
	const char *addr;		/* numeric address to listen on */
	unsigned int port;		/* TCP port, 1..65535 */
	/* SMBD_NL_GLOBAL_FLAG_* of [global], as STARTING_UP carries them */
	unsigned int global_flags;
	/*
	 * true: the child's stdout and stderr are read by the daemon and
	 * logged line by line (the daemon logs to syslog); false: the child
	 * shares the daemon's stderr (foreground).
	 */
	bool log_output;
};

struct supervisor;

/*
 * The address the data path listens on, from `bind interfaces only` and
 * `interfaces`: 0.0.0.0 unless both are set; then the first item that is
 * an IPv4 address (a /mask is dropped) or the name of an interface with an
 * IPv4 address. -1 (logged) when bind interfaces only names nothing usable.
 */
int supervise_listen_addr(const struct smbd_globals *g, char *out, size_t cap);

/*
 * Start the first child. The configuration is copied. NULL (logged) when
 * the child cannot be started, e.g. the binary does not execute.
 */
struct supervisor *supervisor_start(TALLOC_CTX *mem, struct tevent_context *ev,
				    const struct supervise_cfg *cfg);

/*
 * Stop for good: no more restarts; SIGTERM to the child, SIGKILL after
 * 5 s. done(priv) runs from the event loop once the child is reaped (or
 * given up on 2 s after SIGKILL), or right away when none runs. Later
 * calls do nothing.
 */
void supervisor_stop(struct supervisor *sv, void (*done)(void *priv),
		     void *priv);

/* Start the child now if none runs and none is scheduled (SIGHUP). */
void supervisor_kick(struct supervisor *sv);

/* The running child, 0 when none. */
pid_t supervisor_pid(const struct supervisor *sv);

#endif /* SMBD_SERVER_SUPERVISE_H */
