/* SPDX-License-Identifier: MIT */
/* isolate/oci_init.h: an OCI container's init, the cloned child of create: its filesystem,
 * console, ids and capabilities in its new namespaces, then "ready" to create, the wait for
 * start (the exec FIFO), and the exec of config.json's process. */
#ifndef ISO_OCI_INIT_H
#define ISO_OCI_INIT_H

#include <stdbool.h>

#include "oci_spec.h"
#include "oci_state.h"

/* What the init takes from create across the clone. */
struct oci_init {
	const struct oci_spec *s;
	struct oci_state *st; /* for the createContainer and startContainer hooks */
	const char *rootfs;
	int release_fd; /* read end: create sends the init's host pid once ready */
	int report_fd;  /* write end: struct iso_spawn_msg, failure or ready */
	int fifo_fd;    /* the exec FIFO, read-write: start's byte arrives there */
	int console_fd; /* the connected console socket, or -1 */
	bool userns;    /* a new user namespace */
	int preserve_fds;
};

/* oci_init_main: the init's whole life (see above); any failure before "ready" goes to
 * create on the report pipe. Never returns. */
__attribute__((noreturn)) void oci_init_main(struct oci_init *c);

#endif
