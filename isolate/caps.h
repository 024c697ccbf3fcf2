/* SPDX-License-Identifier: MIT */
/* isolate/caps.h: a container process's capability sets, set the one way both front ends
 * (isolate's hardening, an OCI process.capabilities) do it: the bounding set cut first,
 * while CAP_SETPCAP is still there; then capset(2) and the ambient set. */
#ifndef ISO_CAPS_H
#define ISO_CAPS_H

#include "mv_err.h"

/* The five sets, a bit per capability (1ull << CAP_*). */
struct iso_caps {
	unsigned long long bounding, effective, permitted, inheritable, ambient;
};

/* iso_caps_bound: drops every capability not in keep from the bounding set (up to the
 * kernel's last). Returns 0, or -1 with a reason in e. */
int iso_caps_bound(unsigned long long keep, struct mv_err *e);

/* iso_caps_set: the effective, permitted and inheritable sets of c (capset, without
 * libcap), then the ambient set: cleared, and c->ambient raised (an ambient capability
 * must be permitted and inheritable too; like runc, one that is not is left out). The
 * bounding set is iso_caps_bound's. Returns 0, or -1 with a reason in e. */
int iso_caps_set(const struct iso_caps *c, struct mv_err *e);

#endif
