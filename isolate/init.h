/* SPDX-License-Identifier: MIT */
/* isolate/init.h: --init: a minimal init of isolate's own as the container's PID 1. It
 * forks PROGRAM, passes signals on to it, reaps every process that ends up its child
 * (orphans are re-parented to PID 1), and when PROGRAM ends kills what is left and exits
 * with PROGRAM's status. */
#ifndef ISO_INIT_H
#define ISO_INIT_H

#include <signal.h>
#include <sys/types.h>

/* Sent by isolate to its init to end the container (a limit): init kills and reaps every
 * process, then exits as when PROGRAM ends. Blocked in isolate, which never waits for it. */
#define ISO_INIT_KILL SIGRTMIN

/* iso_init_loop: run by PID 1 once PROGRAM (pid program) is forked, with isolate's
 * forwarded signals and SIGCHLD blocked in its mask (set lists them): waits for them,
 * forwards each signal to PROGRAM, reaps every child; when PROGRAM has ended, sends
 * SIGKILL to every other process of the namespace, reaps them, writes PROGRAM's wait
 * status (an int) to status_fd for isolate and exits with PROGRAM's exit status, or
 * 128+N for a death by signal N. set must hold ISO_INIT_KILL: isolate's request (from
 * outside the namespace only) to do the same at once. */
__attribute__((noreturn)) void iso_init_loop(pid_t program, const sigset_t *set, int status_fd);

#endif
