/* SPDX-License-Identifier: MIT */
/* isolate/supervise.h: isolate's side while PROGRAM runs: the signals it forwards, the
 * wall-clock and CPU limits it enforces, the sampling of tasks and open files, the
 * pseudo-terminal it relays and the seccomp notifications it watches, until PID 1 exits. */
#ifndef ISO_SUPERVISE_H
#define ISO_SUPERVISE_H

#include <signal.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "cgroup.h"
#include "options.h"
#include "outcome.h"
#include "pty_relay.h"
#include "watch.h"

/* What the wait needs beyond the signals: the wall-clock deadline, and what to look at
 * every ISO_SAMPLE_MS (tasks and open files without a cgroup, the cgroup's CPU time). */
struct iso_supervisor {
	const struct iso_config *cfg;
	struct iso_cgroup *cg;
	struct iso_facts *f;
	long long deadline;    /* ms (CLOCK_MONOTONIC) of --wall-time, or 0 */
	long long next_sample; /* ms of the next look, or 0 for none */
	long long grace;       /* ms by which init must have ended the container, or 0 */
	bool tasks, fds;       /* sample these */
	long long cpu_usec;    /* the cgroup's CPU limit in us, or 0 */
	long long kill_at;     /* ms of the SIGKILL that follows a SIGTERM (--kill-after), or 0 */
	struct iso_pty *pty;   /* the container's pseudo-terminal (pty->active), relayed */
	struct iso_watch *wt;  /* PROGRAM's allocations and forks, seen (wt->listener >= 0) */
	int dropped_ints;      /* SIGINTs that PID 1 had no handler for */
	unsigned long long warned; /* 1 << sig: said once that PID 1 drops sig */
};

/* iso_supervise_block: blocks the signals isolate forwards, SIGCHLD, SIGPIPE (a write to
 * a child that died fails with EPIPE instead) and ISO_INIT_KILL (so init inherits it
 * blocked), until the wait takes them; wait_set gets the signals the wait reads (the
 * forwarded ones and SIGCHLD), init_set those and ISO_INIT_KILL, old the mask before. */
void iso_supervise_block(sigset_t *wait_set, sigset_t *init_set, sigset_t *old);

/* iso_supervise_start: PROGRAM runs: arms the --wall-time deadline and the sampling its
 * limits need (cgroup: memory and processes are the cgroup's), with a first look. */
void iso_supervise_start(struct iso_supervisor *w, pid_t child, bool cgroup);

/* iso_supervise_wait: waits for PROGRAM, forwarding signals (read from sfd, a signalfd of
 * wait_set), relaying its pseudo-terminal and watching its limits meanwhile; leaves its
 * PID 1's wait status in *status and the container's resource use in *ru. Returns 0, or
 * -1 when waiting failed. */
int iso_supervise_wait(struct iso_supervisor *w, pid_t child, int sfd, int *status,
		       struct rusage *ru);

#endif
