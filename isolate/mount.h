/* isolate/mount.h: the container's mount namespace: private propagation, then a fresh /proc. */
#ifndef ISO_MOUNT_H
#define ISO_MOUNT_H

/* iso_mount_setup: run by the container's process in its new mount namespace: makes every
 * mount under / private (recursively), then mounts a new proc on /proc for the new PID
 * namespace. Returns 0, or -1 with a reason in err (ISO_ERR_LEN bytes). */
int iso_mount_setup(char *err);

#endif
