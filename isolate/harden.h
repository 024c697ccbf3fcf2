/* SPDX-License-Identifier: MIT */
/* isolate/harden.h: the last steps before PROGRAM runs: no_new_privs, the capabilities it
 * keeps, and a seccomp filter that denies dangerous system calls with EPERM (built with
 * libseccomp when isolate is built: isolate/gen/seccomp_gen.c). */
#ifndef ISO_HARDEN_H
#define ISO_HARDEN_H

#include "mv_err.h"
#include "options.h"

/* The hardening, in two steps, run by the container's PID 1 once its setup (mounts,
 * network) is done: mount and friends are denied after the first.
 * iso_harden_filter: no_new_privs, then the filter (unless --seccomp none). It may come
 * before the ids are switched and the veth end is up: it denies no call of theirs, nor of
 * the steps after it up to PROGRAM's exec.
 * iso_harden_caps: the capability sets (bounding, ambient, inheritable, permitted,
 * effective) cut down to cfg->caps.
 * Each returns 0, or -1 with a reason in err. */
int iso_harden_filter(const struct iso_config *cfg, struct mv_err *err);
int iso_harden_caps(const struct iso_config *cfg, struct mv_err *err);

/* iso_harden_describe: --verbose: what hardening PROGRAM gets. */
void iso_harden_describe(const struct iso_config *cfg);

#endif
