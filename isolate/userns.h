/* isolate/userns.h: the user namespace's uid/gid maps, written by isolate itself. */
#ifndef ISO_USERNS_H
#define ISO_USERNS_H

#include <stdbool.h>
#include <sys/types.h>

/* iso_userns_map: maps uid 0 and gid 0 in the user namespace of process pid to uid and gid
 * outside: writes "deny" to /proc/PID/setgroups when deny_setgroups (the kernel requires
 * it before an unprivileged gid_map; root maps another uid than its own without it, so the
 * child can drop root's groups), then uid_map and gid_map. Returns 0, or -1 with a reason
 * in err (ISO_ERR_LEN bytes). */
int iso_userns_map(pid_t pid, uid_t uid, gid_t gid, bool deny_setgroups, char *err);

#endif
