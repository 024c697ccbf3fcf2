/* SPDX-License-Identifier: MIT */
/* isolate/oci_init.c: an OCI container's init, in its new namespaces: root of its user
 * namespace, its filesystem (oci_rootfs.c), the createContainer hooks, the process's
 * console, ids and capabilities (oci_launch.c), then the wait for start and the exec. */
#include "oci_init.h"

#include <grp.h>
#include <stdio.h>
#include <unistd.h>

#include "base.h"
#include "oci_hooks.h"
#include "oci_launch.h"
#include "oci_process.h"
#include "oci_rootfs.h"
#include "ns_spawn.h"

__attribute__((noreturn)) static void init_fail(const struct oci_init *c, const struct mv_err *e)
{
	iso_spawn_fail(c->report_fd, 1, e->msg);
}

/* Runs the hooks of kind k, if any, with the state as status says. */
static int hooks(const struct oci_init *c, enum oci_hook_kind k, enum oci_status status,
		 struct mv_err *e)
{
	cleanup_free char *state = NULL;

	if (!c->s->n_hooks[k])
		return 0;
	state = oci_state_json(c->st, status, false);
	return oci_hooks_run(c->s, k, state, e);
}

/* Waits for create's release, which carries the init's host pid (for the hooks' state);
 * becomes root of a new user namespace, when 0 is mapped (else the ids stay unmapped until
 * process.user, with every capability of this namespace all along); a session of its own. */
static void wait_release(struct oci_init *c)
{
	pid_t host_pid;
	struct mv_err err = { "" };

	if (RETRY_EINTR(read(c->release_fd, &host_pid, sizeof(host_pid))) != sizeof(host_pid))
		_exit(1); /* create failed or died: it cleans up */
	close(c->release_fd);
	c->st->pid = host_pid;
	if (c->userns) {
		if (setresgid(0, 0, 0) == 0)
			setgroups(0, NULL);
		if (setresuid(0, 0, 0)) {
			/* 0 not mapped */
		}
	}
	if (setsid() < 0) {
		mv_seterr(&err, 0, "setsid failed");
		init_fail(c, &err);
	}
}

/* The filesystem (the createContainer hooks see it before the pivot_root), then the
 * process's own setup. */
static int setup(const struct oci_init *c, char *prog, struct mv_err *e)
{
	if (oci_rootfs_mount(c->s, c->rootfs, c->userns, e) ||
	    hooks(c, OCI_HOOK_CREATE_CONTAINER, OCI_CREATING, e) ||
	    oci_rootfs_enter(c->s, c->rootfs, e))
		return -1;
	return oci_launch_prepare(&c->s->process, c->console_fd, c->preserve_fds, prog, e);
}

void oci_init_main(struct oci_init *c)
{
	char prog[PATH_MAX], byte;
	struct mv_err err = { "" };

	wait_release(c);
	if (setup(c, prog, &err))
		init_fail(c, &err);
	if (iso_spawn_ready(c->report_fd))
		_exit(1);
	close(c->report_fd);
	/* start writes one byte into the FIFO; we hold it read-write, so no EOF meanwhile */
	if (RETRY_EINTR(read(c->fifo_fd, &byte, 1)) != 1)
		_exit(1);
	close(c->fifo_fd);
	if (hooks(c, OCI_HOOK_START_CONTAINER, OCI_RUNNING, &err)) {
		fprintf(stderr, "isolate: %s\n", err.msg);
		_exit(1);
	}
	oci_process_finish(&c->s->process, &c->s->seccomp, prog, &err);
	fprintf(stderr, "isolate: %s\n", err.msg);
	_exit(errno == ENOENT ? 127 : 126);
}
