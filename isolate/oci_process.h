/* SPDX-License-Identifier: MIT */
/* isolate/oci_process.h: a config.json's process applied to the calling process, the last
 * steps before its exec (rlimits, ids, capabilities, no_new_privs, seccomp compiled from
 * the JSON with libseccomp), shared by create's init and exec. */
#ifndef ISO_OCI_PROCESS_H
#define ISO_OCI_PROCESS_H

#include "oci_spec.h"

/* oci_process_find: the program of p->args[0], found as execvpe would (PATH from p->env,
 * else the default), into path (PATH_MAX bytes); checked executable. Returns 0, or -1 with
 * runc's words in err ("exec: \"x\": executable file not found in $PATH"). */
int oci_process_find(const struct oci_process *p, char *path, struct mv_err *err);

/* oci_process_setup: rlimits, umask, the bounding set, supplementary groups, gid and uid
 * (keeping the capabilities asked for), the capability sets, then the working folder.
 * Returns 0, or -1 with a reason in err. */
int oci_process_setup(const struct oci_process *p, struct mv_err *err);

/* oci_process_finish: no_new_privs when asked, the seccomp filter of sc (when set) built
 * now with libseccomp, then the exec of path with p's args and env. Returns only on
 * failure, with a reason in err. */
void oci_process_finish(const struct oci_process *p, const struct oci_seccomp *sc, const char *path,
			struct mv_err *err);

/* oci_send_fd: sends fd over the unix socket sock (SCM_RIGHTS), as the console socket
 * protocol wants (one byte of data with it). Returns 0 or -1 with errno set. */
int oci_send_fd(int sock, int fd);

/* oci_console_open: a pty made in the current /dev/pts: sends its master over sock, sets
 * the size (rows, cols; 0: leave), makes its slave the controlling terminal of a new
 * session and fds 0-2. Returns 0, or -1 with a reason in err. */
int oci_console_open(int sock, unsigned rows, unsigned cols, struct mv_err *err);

#endif
