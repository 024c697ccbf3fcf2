/* SPDX-License-Identifier: MIT */
/* isolate/run.h: runs PROGRAM in its new namespaces, from clone to its exit status. */
#ifndef ISO_RUN_H
#define ISO_RUN_H

#include "options.h"

/* iso_run: clones a child into new user, UTS, IPC, network, PID and mount namespaces, sets
 * them up from both sides, execs cfg->argv there as PID 1, forwards signals to it while it
 * runs (with --init, its own init as PID 1 and PROGRAM its child), enforces the limits,
 * writes cfg->report and returns isolate's exit status: PROGRAM's own, 128+N for a death
 * by signal N, or ISO_SETUP / ISO_NOEXEC / ISO_NOTFOUND after one line on stderr. */
int iso_run(const struct iso_config *cfg);

/* iso_report_failure: a run that never started (a bad option value, a usage error): writes
 * cfg->report, when set and writable, with status "internal error" and msg. Returns
 * status. */
int iso_report_failure(const struct iso_config *cfg, int status, const char *msg);

#endif
