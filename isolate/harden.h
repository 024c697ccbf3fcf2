/* isolate/harden.h: the last steps before PROGRAM runs: no_new_privs, the capabilities it
 * keeps, and a seccomp filter (libseccomp) that denies dangerous system calls with EPERM. */
#ifndef ISO_HARDEN_H
#define ISO_HARDEN_H

#include <seccomp.h>

#include "config.h"

/* The denied system calls (NULL-terminated), for --verbose and the tests; clone, unshare
 * and personality are denied only with some arguments, clone3 with ENOSYS (see harden.c). */
extern const char *const iso_seccomp_denied[];

struct iso_harden {
	scmp_filter_ctx filter;   /* built early (iso_harden_prepare), loaded last */
};

/* iso_harden_prepare: builds the seccomp filter cfg asks for (none with --seccomp none).
 * Run in the container before its setup is done, so the work overlaps isolate's. Returns
 * 0, or -1 with a reason in err (ISO_ERR_LEN bytes). */
int iso_harden_prepare(const struct iso_config *cfg, struct iso_harden *h, char *err);

/* iso_harden_apply: no_new_privs, then the capability sets (bounding, ambient, inheritable,
 * permitted, effective) cut down to cfg->caps, then the filter. Run by the container's
 * PID 1 once its setup (mounts, network) is done: mount and friends are denied after it.
 * Returns 0, or -1 with a reason in err (ISO_ERR_LEN bytes). */
int iso_harden_apply(const struct iso_config *cfg, struct iso_harden *h, char *err);

/* iso_harden_describe: --verbose: what hardening PROGRAM gets. */
void iso_harden_describe(const struct iso_config *cfg);

#endif
