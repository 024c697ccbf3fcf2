/* SPDX-License-Identifier: MIT */
/* vmm/config.h: the command line of kvm-hello-world, parsed into a plan (struct
 * vmm_config) before anything runs. Pure: no KVM, unit-tested. */
#ifndef VMM_CONFIG_H
#define VMM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mv_err.h"
#include "layout.h"

struct vmm_config {
	enum cpu_mode mode; /* -r -s -p -l; long mode by default */
	uint64_t mem_size;  /* --mem: guest memory in bytes */
	const char *guest;  /* --guest: name of the built-in guest (when no file) */
	const char *file;   /* GUEST: a static ELF or flat image to run, or NULL */
	int argc;           /* the guest's arguments: GUEST and what follows it */
	char **argv;
	double timeout;  /* --timeout: seconds before the guest is stopped; 0 = never */
	const char *dir; /* --dir: the host folder shared with the guest, or NULL */
	bool ro;         /* --ro: share it read-only */
	int max_files;   /* --max-files: guest fd table size */
	int vcpus;       /* --vcpus */
	bool smp;        /* --smp: the vCPUs share one address space */
	bool ring;       /* --ring: offer the console ring */
	bool queue;      /* --queue: offer the I/O queue */
	bool khc;        /* --khc: offer in-kernel hypercalls */
	int cpl;         /* --cpl: the guest's privilege level, 0 or 3; -1 = by guest kind */
	bool layout;     /* --layout: print the VM's layout before running it */
	bool stats;      /* --stats: print exit statistics at the end */
	bool classic;    /* --classic: the classic example's layout (tables at 0x2000) */
};

#define CONFIG_MAX_FILES 4096
#define CONFIG_MAX_VCPUS 4096 /* the host KVM's own limit is checked at run time */

enum config_result {
	CONFIG_RUN,
	CONFIG_HELP,
	CONFIG_VERSION,
	CONFIG_ERROR
};

/* config_parse: parses argv into cfg (defaults first). On CONFIG_ERROR, err holds a
 * one-line reason. Resets getopt, so it may be called more than once. */
enum config_result config_parse(int argc, char **argv, struct vmm_config *cfg, struct mv_err *err);

/* config_usage: the --help text. */
extern const char config_usage[];

#endif
