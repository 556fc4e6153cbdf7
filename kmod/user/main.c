// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * smbd-user: the data path hosted in a process.
 *
 *   smbd-user --port PORT --ipc-socket PATH [--listen ADDR] [--workers N]
 *             [--global-flags FLAGS] [--status-socket SPATH]
 *
 * Connects to ksmbd.mountd's user-mode socket (PATH), then serves SMB2 on
 * ADDR:PORT (default 127.0.0.1) until SIGTERM or SIGINT. FLAGS are the
 * [global] switches as the kernel module gets them in STARTING_UP: the
 * SMBD_NL_GLOBAL_FLAG_* bitmap (0x2: "smb3 encryption = mandatory", 0x8:
 * "disabled"), decimal or 0x-hex. With SPATH, a snapshot of the sessions,
 * tree connects and opens is served on that AF_UNIX socket (mode 0600) for
 * ksmbd.control --status (status.c).
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "smbd.h"
#include "host.h"

/* status.c (declared here until host.h carries them) */

static const char *status_path;

static void on_signal(int sig)
{
	(void)sig;
	host_net_stop();
}

static void usage(FILE *f)
{
	fprintf(f, "usage: smbd-user --port PORT --ipc-socket PATH "
		"[--listen ADDR] [--workers N] [--global-flags FLAGS]\n"
		"                 [--status-socket PATH]\n");
}

static int parse(int argc, char **argv, struct host_config *cfg)
{
	static const struct option opts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "ipc-socket", required_argument, NULL, 's' },
		{ "listen", required_argument, NULL, 'l' },
		{ "workers", required_argument, NULL, 'w' },
		{ "global-flags", required_argument, NULL, 'g' },
		{ "status-socket", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long u;
	char *end;
	long v;
	int c;

	while ((c = getopt_long(argc, argv, "p:s:l:w:g:S:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			v = strtol(optarg, NULL, 10);
			if (v <= 0 || v > 65535)
				return -1;
			cfg->port = (uint16_t)v;
			break;
		case 's':
			cfg->ipc_path = optarg;
			break;
		case 'l':
			cfg->addr = optarg;
			break;
		case 'w':
			v = strtol(optarg, NULL, 10);
			if (v <= 0 || v > 256)
				return -1;
			cfg->workers = (unsigned int)v;
			break;
		case 'g':
			u = strtoul(optarg, &end, 0);
			if (!*optarg || *end || u > 0xffffffffUL)
				return -1;
			smbd_set_global_flags((u32)u);
			break;
		case 'S':
			status_path = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			return -1;
		}
	}
	return cfg->port && cfg->ipc_path ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct host_config cfg = { .addr = "127.0.0.1", .workers = 4 };
	struct sigaction sa = { .sa_handler = on_signal };
	int rc;

	if (parse(argc, argv, &cfg)) {
		usage(stderr);
		return 2;
	}
	if (host_crypto_init())
		return 1;
	/*
	 * New files get exactly the mode the share's create/directory masks
	 * and force modes compute (kmod/create.c), as in the kernel host.
	 */
	umask(0);
	if (host_ipc_connect(cfg.ipc_path)) {
		os_log(OS_LOG_ERR, "cannot connect to the daemon at %s", cfg.ipc_path);
		return 1;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* a status view we cannot offer is no reason not to serve files */
	if (status_path && host_status_start(status_path))
		os_log(OS_LOG_ERR, "no status view: ksmbd.control --status will not work");
	rc = host_net_run(&cfg);
	host_status_stop();
	host_ipc_close();
	return rc ? 1 : 0;
}
