/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ksmbd.mountd logging: syslog when running as a daemon, stderr in the
 * foreground (-n) and in tests. Levels are syslog's; messages above the
 * current level are dropped before they are formatted.
 */
#ifndef SMBD_SERVER_LOG_H
#define SMBD_SERVER_LOG_H

#include <stdbool.h>
#include <syslog.h>

enum log_target {
	LOG_TO_STDERR,
	LOG_TO_SYSLOG,
	LOG_TO_HOOK_ONLY,	/* tests: only the hook sees messages */
};

/* Default: stderr, LOG_INFO, ident "ksmbd.mountd". */
void log_init(const char *ident, enum log_target target, int level);
void log_set_level(int level);
int log_get_level(void);
bool log_enabled(int level);

/* Optional sink for tests: gets every message that passes the level. */
typedef void (*log_hook_fn)(void *priv, int level, const char *msg);
void log_set_hook(log_hook_fn fn, void *priv);

void log_msg(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define pr_err(...)	log_msg(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)	log_msg(LOG_WARNING, __VA_ARGS__)
#define pr_notice(...)	log_msg(LOG_NOTICE, __VA_ARGS__)
#define pr_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define pr_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)

#endif /* SMBD_SERVER_LOG_H */
