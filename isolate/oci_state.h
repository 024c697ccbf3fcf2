/* SPDX-License-Identifier: MIT */
/* isolate/oci_state.h: a container's state on disk: --root/ID/ (0700) holding state.json,
 * the exec FIFO its init waits on until `start`, and the lock that serializes the commands
 * on one container. */
#ifndef ISO_OCI_STATE_H
#define ISO_OCI_STATE_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "mv_err.h"

#define OCI_FIFO "exec.fifo"   /* present from create until start */
#define OCI_STATE "state.json" /* what state, kill, delete, exec read */

enum oci_status {
	OCI_CREATING,
	OCI_CREATED,
	OCI_RUNNING,
	OCI_STOPPED
};

struct oci_state {
	char id[256];               /* the container's ID */
	pid_t pid;                  /* its init's host pid (0 while creating) */
	unsigned long long start;   /* the init's start time (/proc/PID/stat field 22): a pid
				      * reused by another process is not the container's */
	char bundle[PATH_MAX];      /* the bundle, absolute */
	char rootfs[PATH_MAX];      /* its root filesystem, absolute */
	char created[40];           /* when, RFC 3339 */
	bool new_pidns;             /* the init has its own PID namespace (kill --all) */
	char cgroup[PATH_MAX + 32]; /* its cgroup v2 folder (linux.resources), or "" */
	void *annotations;          /* the config's "annotations" (a jansson object, owned) */
	bool creating;              /* create has not finished */
};

/* oci_id_check: IDs are 1..255 of [A-Za-z0-9_+.-], not "." or "..", as runc's. Returns 0,
 * or -1 with a reason in err (256 bytes). */
int oci_id_check(const char *id, struct mv_err *err);

/* oci_state_open: the folder --root/ID, made (with --root, 0700) when create, else it must
 * exist; with lock, locked (flock, exclusive) so that the commands that change one
 * container take turns (state and list only read, unlocked). Returns its fd (close-on-exec:
 * a child that does not exec must close it, or it holds the lock), or -1 with a reason in
 * err (256 bytes; "container ID does not exist" or "... already exists"). */
int oci_state_open(const char *id, bool create, bool lock, struct mv_err *err);

/* oci_state_write: state.json (through a temporary file and rename). 0 or -1 + err. */
int oci_state_write(int dirfd, const struct oci_state *st, struct mv_err *err);

/* oci_state_read: state.json into st (st->annotations to free with oci_state_free). */
int oci_state_read(int dirfd, const char *id, struct oci_state *st, struct mv_err *err);

void oci_state_free(struct oci_state *st);

/* oci_state_status: what the container is now: creating, created (its init waits on the
 * FIFO), running, or stopped (its init is gone, a zombie, or another process's pid). */
enum oci_status oci_state_status(int dirfd, const struct oci_state *st);

const char *oci_status_name(enum oci_status s);

/* oci_state_json: the runtime specification's state (ociVersion, id, status, pid, bundle,
 * annotations) as malloc'd JSON text, indented when pretty. */
char *oci_state_json(const struct oci_state *st, enum oci_status s, bool pretty);

/* oci_state_remove: removes --root/ID's files and the folder (dirfd is closed). */
int oci_state_remove(int dirfd, const char *id);

/* oci_proc_start: /proc/PID/stat's start time and whether the process is a zombie. Returns
 * 0, or -1 when there is no such process. */
int oci_proc_start(pid_t pid, unsigned long long *start, bool *zombie);

#endif
