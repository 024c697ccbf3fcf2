/* SPDX-License-Identifier: MIT */
/* isolate/harden.h: the last steps before PROGRAM runs: no_new_privs, the capabilities it
 * keeps, and a seccomp filter that denies dangerous system calls with EPERM (built with
 * libseccomp when isolate is built: isolate/gen/seccomp_gen.c). */
#ifndef ISO_HARDEN_H
#define ISO_HARDEN_H

#include "mv_err.h"
#include "options.h"

/* iso_harden_apply: no_new_privs, the filter (unless --seccomp none), then the capability
 * sets (bounding, ambient, inheritable, permitted, effective) cut down to cfg->caps. Run by
 * the container's PID 1 once its setup (mounts, network) is done: mount and friends are
 * denied after it. Returns 0, or -1 with a reason in err. */
int iso_harden_apply(const struct iso_config *cfg, struct mv_err *err);

/* iso_harden_describe: --verbose: what hardening PROGRAM gets. */
void iso_harden_describe(const struct iso_config *cfg);

#endif
