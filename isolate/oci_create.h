/* SPDX-License-Identifier: MIT */
/* isolate/oci_create.h: `isolate create` (and run's first half): a bundle's container made,
 * its init waiting in its namespaces for start. */
#ifndef ISO_OCI_CREATE_H
#define ISO_OCI_CREATE_H

#include <sys/types.h>

#include "oci_launch.h"
#include "oci_spec.h"
#include "oci_state.h"

/* A created container: what run goes on with. */
struct oci_created {
	int dirfd; /* --root/ID, locked */
	pid_t pid; /* the init (our child) */
	struct oci_state st;
	struct oci_spec spec;
};

/* oci_create: creates container id from o's bundle: checks the bundle first (a bad one
 * makes nothing), records the state (creating), clones the init into the new namespaces
 * (joining those given by path), writes the maps, runs the prestart and createRuntime
 * hooks, releases the init and waits for its "ready"; then the state says created and the
 * pid file holds the init's pid. Returns OCI_OK with out filled (oci_created_free), or
 * OCI_FAIL after one line, with nothing left behind. */
int oci_create(const struct oci_launch_opts *o, const char *id, struct oci_created *out);

/* oci_created_free: closes and frees what oci_create filled. */
void oci_created_free(struct oci_created *cr);

#endif
