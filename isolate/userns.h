/* isolate/userns.h: the user namespace's uid/gid maps, written by isolate itself. */
#ifndef ISO_USERNS_H
#define ISO_USERNS_H

#include <sys/types.h>

/* iso_userns_map: maps uid 0 and gid 0 in the user namespace of process pid to uid and gid
 * outside: writes "deny" to /proc/PID/setgroups (the kernel requires it before an
 * unprivileged gid_map), then uid_map and gid_map. Returns 0, or -1 with a reason in err
 * (ISO_ERR_LEN bytes). */
int iso_userns_map(pid_t pid, uid_t uid, gid_t gid, char *err);

#endif
