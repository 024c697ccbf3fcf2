/* isolate/main.c: isolate's entry point: command line -> struct iso_config; run.c does
 * the rest. */
#include <stdio.h>

#include "config.h"
#include "run.h"
#include "util.h"

int main(int argc, char **argv)
{
	struct iso_config cfg;
	char err[ISO_ERR_LEN];

	switch (iso_config_parse(argc, argv, &cfg, err, sizeof(err))) {
	case ISO_CONFIG_HELP:
		fputs(iso_usage, stdout);
		return 0;
	case ISO_CONFIG_VERSION:
		printf("isolate %s\n", MINIVIRT_VERSION);
		return 0;
	case ISO_CONFIG_ERROR:
		fprintf(stderr, "isolate: %s\n%s", err, iso_usage);
		return iso_report_failure(&cfg, ISO_USAGE, err);
	case ISO_CONFIG_BAD_VALUE:
		/* a sandbox option's value: one line, no usage, as for a bad path */
		fprintf(stderr, "isolate: %s\n", err);
		return iso_report_failure(&cfg, ISO_SETUP, err);
	case ISO_CONFIG_RUN:
		break;
	}
	return iso_run(&cfg);
}
