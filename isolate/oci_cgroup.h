/* SPDX-License-Identifier: MIT */
/* isolate/oci_cgroup.h: a container's linux.resources applied through a delegated cgroup v2
 * (isolate/cgroup.c's detection and writes), else one log line saying why not. Never a
 * cgroup v1 write: detection only reads, and a cgroup is made only where it found v2. */
#ifndef ISO_OCI_CGROUP_H
#define ISO_OCI_CGROUP_H

#include "cgroup.h"
#include "mv_err.h"
#include "oci_spec.h"

/* oci_cgroup_apply: when r is set: with a delegated cgroup v2, makes OWN/isolate-ID with r's
 * files written and opens it for clone3 (cg->fd, cg->dir), with one warning naming what r
 * holds that is not applied; without one, one warning saying why (cg->dir stays empty).
 * Returns 0, or -1 with a reason in e, having removed what it made. */
int oci_cgroup_apply(const struct oci_resources *r, const char *id, struct iso_cgroup *cg,
		     struct mv_err *e);

/* oci_cgroup_join: moves the calling process into the container's cgroup dir (exec's
 * processes are counted and limited with the container's). Returns 0, or -1 with e. */
int oci_cgroup_join(const char *dir, struct mv_err *e);

/* oci_cgroup_remove: removes the container's cgroup dir once its processes are gone (a
 * path that is not an isolate-* cgroup under /sys/fs/cgroup is left alone). */
void oci_cgroup_remove(const char *dir);

#endif
