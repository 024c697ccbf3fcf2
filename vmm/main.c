/* SPDX-License-Identifier: MIT */
/* vmm/main.c: kvm-hello-world's entry point: command line -> config; machine.c does
 * the rest. */
#include <stdio.h>

#include "config.h"
#include "loader.h"
#include "machine.h"
#include "util.h"

int main(int argc, char **argv)
{
	static char *builtin_argv[2];
	struct vmm_config cfg;
	struct mv_err err = { "" };

	switch (config_parse(argc, argv, &cfg, &err)) {
	case CONFIG_HELP: fputs(config_usage, stdout); return VMM_OK;
	case CONFIG_VERSION: printf("kvm-hello-world %s\n", MINIVIRT_VERSION); return VMM_OK;
	case CONFIG_ERROR:
		fprintf(stderr, "%s: %s\n%s", progname, err.msg, config_usage);
		return VMM_USAGE;
	case CONFIG_RUN: break;
	}
	if (!cfg.file && !loader_find(cfg.guest)) {
		fprintf(stderr, "%s: unknown guest '%s' (built-in: %s)\n%s", progname, cfg.guest,
			loader_names(), config_usage);
		return VMM_USAGE;
	}
	if (!cfg.file) { /* a built-in guest gets its name as argv[0] */
		builtin_argv[0] = (char *)cfg.guest;
		cfg.argc = 1;
		cfg.argv = builtin_argv;
	}
	return machine_run(&cfg);
}
