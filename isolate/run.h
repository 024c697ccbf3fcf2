/* isolate/run.h: runs PROGRAM in its new namespaces, from clone to its exit status. */
#ifndef ISO_RUN_H
#define ISO_RUN_H

#include "config.h"

/* iso_run: clones a child into new user, UTS, IPC, network, PID and mount namespaces, sets
 * them up from both sides, execs cfg->argv there as PID 1, forwards signals to it while it
 * runs and returns isolate's exit status: PROGRAM's own, 128+N for a death by signal N, or
 * ISO_SETUP / ISO_NOEXEC / ISO_NOTFOUND after one line on stderr. */
int iso_run(const struct iso_config *cfg);

#endif
