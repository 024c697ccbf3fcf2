/* SPDX-License-Identifier: MIT */
/* isolate/oci_launch.h: what create, run and exec share to start a container's process:
 * their options, the console socket, the pid file, the preserved fds and the process's
 * last steps before its exec. */
#ifndef ISO_OCI_LAUNCH_H
#define ISO_OCI_LAUNCH_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "mv_err.h"
#include "oci_spec.h"

/* Which command's options are parsed. */
enum oci_launch_cmd {
	OCI_LAUNCH_CREATE,
	OCI_LAUNCH_RUN,
	OCI_LAUNCH_EXEC,
};

/* create's, run's and exec's options (each takes its own: see oci_launch_parse). */
struct oci_launch_opts {
	const char *bundle;         /* create, run: --bundle DIR (default: the current folder) */
	const char *pid_file;       /* --pid-file FILE: the process's host pid */
	const char *console_socket; /* --console-socket PATH: the pty's master goes there */
	int preserve_fds;           /* --preserve-fds N: fds 3..N+2 pass to the process */
	bool detach;                /* run, exec: --detach: return once it runs */
	const char *process;        /* exec: --process FILE, a process object (JSON) */
	bool tty;                   /* exec: -t, --tty: a terminal (with the args form) */
	const char *cwd;            /* exec: --cwd DIR (args form) */
	int id;                     /* argv's index of the container ID */
};

/* The namespaces in the order they are joined (the user namespace first): their
 * /proc/PID/ns names and CLONE_NEW* flags. */
struct oci_ns_info {
	enum oci_ns ns;
	const char *proc;
	int flag;
};
extern const struct oci_ns_info oci_ns_joins[OCI_NS_COUNT];

/* oci_launch_parse: parses cmd's options from argv (argv[0] the command's name) into o, as
 * runc takes them. Returns OCI_OK, or OCI_USAGE / OCI_FAIL after one line on stderr. */
int oci_launch_parse(int argc, char **argv, enum oci_launch_cmd cmd, struct oci_launch_opts *o);

/* oci_console_connect: connects to the --console-socket at path. Returns the socket, or -1
 * with a reason in e. */
int oci_console_connect(const char *path, struct mv_err *e);

/* oci_pid_file_write: writes pid alone into the file name (relative to the folder dirfd,
 * or AT_FDCWD) as runc does: through a temporary file renamed over it. Returns 0, or -1
 * with a reason in e (naming path, the file as the user gave it). */
int oci_pid_file_write(int dirfd, const char *name, const char *path, pid_t pid, struct mv_err *e);

/* oci_launch_prepare: in the process about to become p (in its root already): the console
 * (console_fd >= 0: a pty whose master goes over that socket, closed then), fds 3..2+nfds
 * kept open across the exec, p's program found (into prog, PATH_MAX bytes), then p's
 * rlimits, ids, capabilities and working folder. Returns 0, or -1 with a reason in e. */
int oci_launch_prepare(const struct oci_process *p, int console_fd, int nfds, char *prog,
		       struct mv_err *e);

#endif
