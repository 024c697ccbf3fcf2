/* SPDX-License-Identifier: MIT */
/* isolate/oci_rootfs.h: the container's filesystem from a config.json, made by its init in
 * its new mount namespace: the root, the mounts in order, /dev's nodes and devices, then
 * pivot_root, sysctls, the hostname and the masked and read-only paths. */
#ifndef ISO_OCI_ROOTFS_H
#define ISO_OCI_ROOTFS_H

#include <stdbool.h>

#include "oci_spec.h"

/* oci_rootfs_check: before anything is made: the root is a folder, and each bind source
 * exists. Returns 0, or -1 with a reason in err. */
int oci_rootfs_check(const struct oci_spec *s, const char *rootfs, struct mv_err *err);

/* oci_rootfs_mount: / rslave as runc (or rootfsPropagation), rootfs bound on itself, the mounts
 * (a destination resolved beneath the root: a symbolic link leading out is refused),
 * /dev's default nodes and links when /dev is a new tmpfs, linux.devices. Returns 0, or -1
 * with a reason in err. Run before the createContainer hooks. */
int oci_rootfs_mount(const struct oci_spec *s, const char *rootfs, bool userns, struct mv_err *err);

/* oci_rootfs_enter: pivot_root into rootfs, the old root detached; root.readonly; the
 * sysctls, the hostname, maskedPaths and readonlyPaths. Returns 0, or -1 with a reason. */
int oci_rootfs_enter(const struct oci_spec *s, const char *rootfs, struct mv_err *err);

#endif
