/* SPDX-License-Identifier: MIT */
/* isolate/ns_spawn.h: the one clone orchestration of both front ends (`isolate PROGRAM`, the
 * OCI commands): a child in new namespaces (clone3), kept in step with its parent by two
 * pipes: release (parent -> child: the parent's side is set up) and report (child ->
 * parent: why it failed, or that it is ready; closed empty by its exec). */
#ifndef ISO_SPAWN_H
#define ISO_SPAWN_H

#include <stddef.h>
#include <sys/types.h>

#include "mv_err.h"

struct iso_spawn {
	pid_t pid;      /* the child (in the parent), 0 in the child, -1 before the clone */
	int release[2]; /* the child reads [0] once the parent writes [1] */
	int report[2];  /* the child writes a struct iso_spawn_msg on [1]; the parent reads [0] */
};

/* What a child sends its parent on the report pipe: one write, below PIPE_BUF (atomic). */
struct iso_spawn_msg {
	int status;           /* 0: ready; else the status the child exits with */
	char msg[MV_ERR_LEN]; /* the one line the parent prints */
};

/* iso_spawn_init: sp with no pipe and no child, so iso_spawn_close is always safe. */
void iso_spawn_init(struct iso_spawn *sp);

/* iso_spawn_clone: makes both pipes (close-on-exec), then clone3s a child with flags
 * (CLONE_NEW*; 0: a plain fork), started in the cgroup cgroup_fd when >= 0
 * (CLONE_INTO_CGROUP). Both processes return 0: the child with sp->pid 0 and only its ends
 * open (release[0], report[1]), the parent with the child's pid and only its own. Returns
 * -1 with a reason in e when nothing was made (no child). */
int iso_spawn_clone(struct iso_spawn *sp, unsigned long long flags, int cgroup_fd,
		    struct mv_err *e);

/* iso_spawn_fail: in the child: sends status and msg on the report pipe (fd), then exits
 * with status. */
__attribute__((noreturn)) void iso_spawn_fail(int fd, int status, const char *msg);

/* iso_spawn_ready: in the child: tells the parent its setup is done (status 0). Returns 0,
 * or -1 when the parent is gone. */
int iso_spawn_ready(int fd);

/* iso_spawn_release: in the parent: writes the len bytes of data on the release pipe, in
 * one write. Returns 0, or -1 with errno set. */
int iso_spawn_release(struct iso_spawn *sp, const void *data, size_t len);

/* iso_spawn_report: in the parent: waits for the child's report. Returns 1 with m filled
 * (its msg terminated) when one came; 0 when the pipe closed without one (the child
 * exec'd, or died); the report pipe's read end is closed either way. */
int iso_spawn_report(struct iso_spawn *sp, struct iso_spawn_msg *m);

/* iso_spawn_kill: in the parent: SIGKILLs the child and reaps it (when there is one). */
void iso_spawn_kill(struct iso_spawn *sp);

/* iso_spawn_close: closes whatever pipe ends are still open. */
void iso_spawn_close(struct iso_spawn *sp);

#endif
