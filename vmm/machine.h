/* SPDX-License-Identifier: MIT */
/* vmm/machine.h: the whole VM of one run: its guest instances (one per vCPU, each in
 * its own slice of memory, or one shared by every vCPU with --smp), their vCPU threads,
 * and the run from start to exit status. */
#ifndef VMM_MACHINE_H
#define VMM_MACHINE_H

#include "config.h"

/* machine_run: builds the VM cfg describes, runs it to the end and reports; returns the
 * process exit status (see README.md). Dies on setup failures. */
int machine_run(struct vmm_config *cfg);

#endif
