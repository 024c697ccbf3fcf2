/* SPDX-License-Identifier: MIT */
/* isolate/watch.h: seeing an rlimit refuse something, without a cgroup. RLIMIT_AS refuses a
 * large allocation at once, and RLIMIT_NPROC a fork, with nothing to sample afterwards: a
 * program that prints "MemoryError" or "Cannot fork" and exits would leave no trace. So
 * PROGRAM gets a seccomp filter that notifies isolate (SECCOMP_RET_USER_NOTIF) of each
 * large mmap/mremap (--memory) and each fork (--processes); isolate looks at the process
 * (its address space, the container's tasks) and lets the kernel carry the call out
 * (SECCOMP_USER_NOTIF_FLAG_CONTINUE): it only observes, the rlimits decide. */
#ifndef ISO_WATCH_H
#define ISO_WATCH_H

#include <stdbool.h>
#include <sys/types.h>

#include "options.h"

/* What isolate saw through the notifications. */
struct iso_watch {
	int listener;              /* the seccomp notification fd, or -1 */
	unsigned long long memory; /* --memory (bytes), or 0: not watched */
	unsigned long long procs;  /* --processes, or 0: not watched */
	bool memory_refused;       /* a request would have taken the address space past --memory */
	bool fork_refused;         /* a fork came with the container at --processes tasks */
	long long peak_tasks;      /* the most tasks seen at a fork, or -1 */
};

/* iso_watch_wanted: whether cfg's limits need the watch (--memory or --processes, without
 * a cgroup, which counts them itself). */
bool iso_watch_wanted(const struct iso_config *cfg, bool cgroup);

/* iso_watch_install: in PROGRAM's process, just before its exec: installs the notifying
 * filter for cfg's limits and sends its listener to isolate over the socket sock (then
 * closed). Without a listener (the kernel refuses: another one is already installed), the
 * limits stay approximate. Never fails the run. */
void iso_watch_install(const struct iso_config *cfg, int sock);

/* iso_watch_start: isolate's side, once PROGRAM runs: takes the listener from sock (closed)
 * into w, for cfg's limits. */
void iso_watch_start(struct iso_watch *w, const struct iso_config *cfg, int sock);

/* iso_watch_handle: one notification is ready on w->listener: looks, records, lets the
 * call go on. pid1 is the container's PID 1 (host pid), whose tree holds its tasks. */
void iso_watch_handle(struct iso_watch *w, pid_t pid1);

/* iso_watch_stop: closes the listener. */
void iso_watch_stop(struct iso_watch *w);

#endif
