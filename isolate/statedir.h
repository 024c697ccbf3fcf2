/* SPDX-License-Identifier: MIT */
/* isolate/statedir.h: /run/isolate, root's folder for isolate's locks (the id slots, the
 * subnet plan): owned by root and writable by root alone, so no other user can hold,
 * replace or redirect a lock in it. */
#ifndef ISO_STATEDIR_H
#define ISO_STATEDIR_H

#include "mv_err.h"

#define ISO_STATE_DIR "/run/isolate"

/* iso_state_lock_open: opens (creating it, mode 0600) the lock file name in ISO_STATE_DIR,
 * which it makes (0755) when missing. Refuses, with a reason in err, a
 * folder or file that is not root's or that a group or others may write, and a symbolic
 * link (O_NOFOLLOW) in either place. Returns the fd (close-on-exec, read-write), or -1. */
int iso_state_lock_open(const char *name, struct mv_err *err);

#endif
