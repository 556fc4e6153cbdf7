// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Logging for ksmbd.mountd. One line per message; stderr lines carry the
 * program name, pid and level so that a foreground run reads like syslog.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static struct {
	const char *ident;
	enum log_target target;
	int level;
	log_hook_fn hook;
	void *hook_priv;
} log_state = {
	.ident = "ksmbd.mountd",
	.target = LOG_TO_STDERR,
	.level = LOG_INFO,
};

void log_init(const char *ident, enum log_target target, int level)
{
	if (log_state.target == LOG_TO_SYSLOG)
		closelog();
	log_state.ident = ident ? ident : "ksmbd.mountd";
	log_state.target = target;
	log_state.level = level;
	if (target == LOG_TO_SYSLOG)
		openlog(log_state.ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void log_set_level(int level)
{
	log_state.level = level;
}

int log_get_level(void)
{
	return log_state.level;
}

bool log_enabled(int level)
{
	return level <= log_state.level;
}

void log_set_hook(log_hook_fn fn, void *priv)
{
	log_state.hook = fn;
	log_state.hook_priv = priv;
}

static const char *level_name(int level)
{
	switch (level) {
	case LOG_EMERG:
	case LOG_ALERT:
	case LOG_CRIT:
	case LOG_ERR:
		return "error";
	case LOG_WARNING:
		return "warning";
	case LOG_NOTICE:
		return "notice";
	case LOG_INFO:
		return "info";
	default:
		return "debug";
	}
}

void log_msg(int level, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);

	if (log_state.hook)
		log_state.hook(log_state.hook_priv, level, line);
	if (log_state.target == LOG_TO_SYSLOG)
		syslog(level, "%s", line);
	else if (log_state.target == LOG_TO_STDERR)
		fprintf(stderr, "%s[%ld]: %s: %s\n", log_state.ident,
			(long)getpid(), level_name(level), line);
}
