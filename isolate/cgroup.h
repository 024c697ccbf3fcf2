/* SPDX-License-Identifier: MIT */
/* isolate/cgroup.h: a delegated cgroup v2 for the container's memory, pids and CPU, when
 * there is one. Detection only reads (statfs, read, access); the cgroup is made, used and
 * removed only when detection found every piece in place. */
#ifndef ISO_CGROUP_H
#define ISO_CGROUP_H

#include <limits.h>
#include <stdbool.h>

#include "mv_err.h"
#include "options.h"
#include "outcome.h"

#define ISO_CGROUP_ROOT "/sys/fs/cgroup"

struct iso_cgroup {
	bool usable;             /* detection: a delegated cgroup v2 with memory, pids, cpu */
	struct mv_err why;       /* detection's finding, for --verbose */
	char own[PATH_MAX];      /* isolate's own cgroup folder (when usable) */
	char dir[PATH_MAX + 32]; /* the container's: own/isolate-PID, once made */
	int fd;                  /* dir's fd for clone3(CLONE_INTO_CGROUP), else -1 */
};

/* iso_cgroup_detect: fills cg by reading only: statfs(/sys/fs/cgroup) must say cgroup2,
 * isolate's own cgroup (/proc/self/cgroup, "0::PATH") must list memory, pids and cpu in
 * both cgroup.controllers and cgroup.subtree_control (so a child cgroup has them), and its
 * folder and cgroup.procs must be writable (access(2)). Never creates or writes anything. */
void iso_cgroup_detect(struct iso_cgroup *cg);

/* iso_cgroup_make: only when cg->usable: makes the empty cgroup own/NAME (cg->dir) and
 * opens it for clone3 (cg->fd). Returns 0, or -1 with a reason in err, having removed what
 * it made. */
int iso_cgroup_make(struct iso_cgroup *cg, const char *name, struct mv_err *err);

/* iso_cgroup_set: writes value into the interface file of the container's cgroup (cg->dir
 * only). Returns 0, or -1 with a reason in err. */
int iso_cgroup_set(const struct iso_cgroup *cg, const char *file, const char *value,
		   struct mv_err *err);

/* iso_cgroup_create: only when cg->usable: makes own/isolate-PID with cfg's memory.max,
 * pids.max (and memory.swap.max 0), and opens it for clone3. Returns 0, or -1 with a
 * reason in err, having removed what it made. */
int iso_cgroup_create(struct iso_cgroup *cg, const struct iso_config *cfg, struct mv_err *err);

/* iso_cgroup_cpu_usec: the container's CPU time so far (cpu.stat usage_usec), or -1. */
long long iso_cgroup_cpu_usec(const struct iso_cgroup *cg);

/* iso_cgroup_collect: once the container is gone: its peak memory, CPU time and events
 * into f (cgroup, cg_oom, cg_pids_max, peak_rss_kib, user, sys). */
void iso_cgroup_collect(const struct iso_cgroup *cg, struct iso_facts *f);

/* iso_cgroup_remove: removes the container's cgroup, if made (it must be empty). */
void iso_cgroup_remove(struct iso_cgroup *cg);

#endif
