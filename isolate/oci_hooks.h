/* SPDX-License-Identifier: MIT */
/* isolate/oci_hooks.h: a config.json's hooks: each program run with the container's state
 * on its stdin, in order, within its timeout. */
#ifndef ISO_OCI_HOOKS_H
#define ISO_OCI_HOOKS_H

#include "oci_spec.h"

/* oci_hooks_run: runs the hooks of kind k in order, each with state (JSON) on stdin and
 * its own args and env; stops at the first that fails (non-zero exit, a signal, or past
 * its timeout: then killed). Returns 0, or -1 with "hooks.KIND[i] PATH: reason" in err.
 * The caller decides whether a failure is fatal (the spec: yes for
 * prestart, createRuntime, createContainer and startContainer; a warning for poststart
 * and poststop). */
int oci_hooks_run(const struct oci_spec *s, enum oci_hook_kind k, const char *state,
		  struct mv_err *err);

#endif
