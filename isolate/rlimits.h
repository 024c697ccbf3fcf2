/* SPDX-License-Identifier: MIT */
/* isolate/rlimits.h: the limits of --cpu-time ... --stack as rlimits, checked against
 * isolate's own before anything runs, set in PROGRAM's process just before its exec; and
 * a sampler that counts the container's tasks and open files while it runs. */
#ifndef ISO_RLIMITS_H
#define ISO_RLIMITS_H

#include <stdbool.h>
#include <sys/types.h>

#include "mv_err.h"
#include "options.h"

/* iso_limits_check: run by isolate before the container exists: each rlimit asked for fits
 * under isolate's own hard limit (no process may raise it: CAP_SYS_RESOURCE counts in the
 * host's user namespace only), --open-files under fs.nr_open. Returns 0, or -1 with a
 * reason in err. */
int iso_limits_check(const struct iso_config *cfg, struct mv_err *err);

/* One rlimit to set: soft and hard values of resource (RLIMIT_*). */
struct iso_rlimit {
	int resource;
	unsigned long long soft, hard;
};

/* iso_rlimits_set: sets the n rlimits of r in the calling process, in order: the one loop
 * of both front ends (isolate's limits, an OCI process.rlimits). Returns 0, or -1 with
 * errno set and the index of the one that failed in *failed. */
int iso_rlimits_set(const struct iso_rlimit *r, size_t n, size_t *failed);

/* iso_limits_apply: run by PROGRAM's process before its exec: sets each rlimit asked for,
 * soft and hard alike (RLIMIT_CPU's hard limit is SIGKILL: a PID 1 would drop the soft
 * limit's SIGXCPU, having no handler for it). With cgroup, memory and processes
 * are the cgroup's (memory.max, pids.max), not RLIMIT_AS and RLIMIT_NPROC. Returns 0, or -1
 * with a reason in err. */
int iso_limits_apply(const struct iso_config *cfg, bool cgroup, struct mv_err *err);

/* iso_limits_describe: --verbose: one line per limit asked for, saying what enforces it. */
void iso_limits_describe(const struct iso_config *cfg, bool cgroup);

/* What one look at the container found. */
struct iso_sample {
	long long tasks;   /* processes and threads (what RLIMIT_NPROC counts) */
	long long max_fds; /* the most open files of one process */
};

/* iso_sample: walks the container's process tree from its PID 1 (host pid pid1) through
 * /proc/PID/task/TID/children; counts open files (/proc/PID/fd) only when fds. */
void iso_sample(pid_t pid1, bool fds, struct iso_sample *s);

#endif
