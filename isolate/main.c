/* SPDX-License-Identifier: MIT */
/* isolate/main.c: isolate's entry point: command line -> struct iso_config; run.c does
 * the rest. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "options.h"
#include "oci.h"
#include "run.h"
#include "base.h"

/* Only fds 0-2 reach PROGRAM, and with --preserve-fds N also 3..N+2 (inherited without
 * close-on-exec): anything else the caller left open (a folder outside --root, a socket)
 * is closed before anything runs. A missing 0-2 becomes /dev/null, so that none of
 * isolate's own files takes its number. */
static void keep_fds(int preserve)
{
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd)
			_exit(ISO_SETUP);
	close_range(3u + (unsigned)preserve, ~0u, 0);
	for (int fd = 3; fd < 3 + preserve; fd++) {
		int fl = fcntl(fd, F_GETFD);

		if (fl >= 0)
			fcntl(fd, F_SETFD, fl & ~FD_CLOEXEC);
	}
}

int main(int argc, char **argv)
{
	struct iso_config cfg;
	struct mv_err err = { "" };

	/* `isolate create ...`, `isolate --root DIR state ID`: the OCI runtime's commands */
	if (oci_wants(argc, argv))
		return oci_main(argc, argv);
	switch (iso_config_parse(argc, argv, &cfg, &err)) {
	case ISO_CONFIG_HELP:
		fputs(iso_usage, stdout);
		printf("\n%s", oci_usage);
		return 0;
	case ISO_CONFIG_VERSION: printf("isolate %s\n", MINIVIRT_VERSION); return 0;
	case ISO_CONFIG_ERROR:
		warn_msg("%s", err.msg);
		fputs(iso_usage, stderr);
		return iso_report_failure(&cfg, ISO_USAGE, err.msg);
	case ISO_CONFIG_BAD_VALUE:
		/* a sandbox option's value: one line, no usage, as for a bad path */
		warn_msg("%s", err.msg);
		return iso_report_failure(&cfg, ISO_SETUP, err.msg);
	case ISO_CONFIG_RUN: break;
	}
	keep_fds(cfg.preserve_fds);
	return iso_run(&cfg);
}
