/* SPDX-License-Identifier: MIT */
/* isolate/mount.h: the container's mount namespace: private propagation, a fresh /proc,
 * and with --root a new root (read-only unless --root-rw) with a minimal /dev; the --bind,
 * --ro-bind and --tmpfs mounts on top. */
#ifndef ISO_MOUNT_H
#define ISO_MOUNT_H

#include "mv_err.h"
#include "options.h"

/* iso_mount_check: run by isolate before the container exists, so a bad path makes
 * nothing: --root's DIR is a folder holding proc/ and dev/; each SRC exists; each DST exists
 * (inside DIR with --root: isolate makes no mount points) and is a folder when SRC is one
 * (a tmpfs's always). Returns 0, or -1 with a reason in err. */
int iso_mount_check(const struct iso_config *cfg, struct mv_err *err);

/* iso_mount_setup: run by the container's process in its new mount namespace: makes every
 * mount under / private (recursively); without --root, mounts a new proc on /proc and the
 * binds and tmpfs on the host's tree; with --root, binds DIR on itself (read-only unless
 * --root-rw), mounts a tmpfs /dev holding the host's null, zero, full, random, urandom
 * and tty, a new /proc, the binds and tmpfs inside DIR, then pivot_root(2)s into it and
 * detaches the old root. *shm gets the id of the host's mount on /dev/shm, for
 * iso_mount_shm (0 with --root). Returns 0, or -1 with a reason in err. */
int iso_mount_setup(const struct iso_config *cfg, unsigned long long *shm, struct mv_err *err);

/* iso_mount_shm: without --root, a tmpfs of the container's own on /dev/shm, unless the
 * user's mounts put something there (it is no longer on the host's mount, host_shm); its
 * root folder is the caller's ids' (the container's root once switched to them). Returns
 * 0, or -1 with a reason in err. */
int iso_mount_shm(unsigned long long host_shm, struct mv_err *err);

/* iso_mount_protect: run by the container's process once its mounts, network and sysctls
 * are set up: makes /proc/sys, /proc/sysrq-trigger, /proc/irq, /proc/bus, /proc/fs and
 * /sys read-only and masks /proc/kcore, /proc/keys, /proc/timer_list, /sys/firmware and
 * the rest of the OCI runtimes' maskedPaths. Returns 0, or -1 with a reason in err. */
int iso_mount_protect(const struct iso_config *cfg, struct mv_err *err);

/* The pieces of iso_mount_protect and of --root's /dev that the OCI front end (oci_rootfs.c)
 * calls with the lists of a bundle's config.json. */

/* iso_mount_readonly: each of the n paths that exists becomes a read-only mount of itself
 * (recursively; with harden also nosuid, nodev, noexec). Returns 0, or -1 with a reason
 * in err. */
int iso_mount_readonly(const char *const *paths, size_t n, bool harden, struct mv_err *err);

/* iso_mount_mask: each of the n paths that exists is masked: a file by /dev/null, a folder
 * by an empty read-only tmpfs. Returns 0, or -1 with a reason in err. */
int iso_mount_mask(const char *const *paths, size_t n, struct mv_err *err);

/* iso_mount_pivot: makes dir (a mount point; opened as dirfd, or -1) the root:
 * pivot_root(".", ".") stacks the old root on it, a lazy unmount detaches that, and the
 * working folder is the new /. label names dir in the reasons ("--root", "root.path").
 * Both front ends enter their root through it. Returns 0, or -1 with a reason in err. */
int iso_mount_pivot(int dirfd, const char *dir, const char *label, struct mv_err *err);

/* iso_mount_dev_nodes: binds the host's null, zero, full, random, urandom and tty onto new
 * empty files of those names in the folder devfd (a /dev being made). Returns 0, or -1
 * with a reason in err. */
int iso_mount_dev_nodes(int devfd, struct mv_err *err);

#endif
