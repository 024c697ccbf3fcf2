/* SPDX-License-Identifier: MIT */
/* isolate/userns.h: the container's ids: which host ids its user namespace maps (a slot of
 * an unprivileged range as root, the caller's own otherwise), and the maps themselves. */
#ifndef ISO_USERNS_H
#define ISO_USERNS_H

#include <stdbool.h>
#include <sys/types.h>

#include "mv_err.h"
#include "options.h"

/* The plan for the container's ids: inside 0..count-1 are uid..uid+count-1 and
 * gid..gid+count-1 outside. */
struct iso_ids {
	uid_t uid;           /* the host uid of the container's uid 0 */
	gid_t gid;           /* the host gid of its gid 0 */
	unsigned count;      /* ids mapped: 1 (the caller's own, or --map-host-root), or a slot */
	int slot;            /* the slot held, or -1 */
	int lock_fd;         /* holds the slot (an OFD lock on byte slot) while isolate runs */
	bool switch_ids;     /* the child's ids are not its mapped 0: it must setresuid to 0 */
	bool deny_setgroups; /* an unprivileged caller: setgroups "deny" before the gid_map */
	const char *source;  /* where the range came from, for --verbose */
};

/* iso_userns_plan: chooses the container's ids for cfg. As root: a free slot of the pool
 * (root's first range in /etc/subuid and /etc/subgid when both have one, else
 * ISO_IDS_DEFAULT_BASE's), held by a lock in /run/isolate until isolate exits; with
 * --map-host-root, host root itself (also as the host's root seen through a user namespace
 * that maps it, unshare -r, which must map the pool, or it is an error). As anyone else,
 * and as a root of a user namespace that is someone else outside (isolate in a
 * container): the caller's own uid and gid.
 * Returns 0, or -1 with a reason in err. */
int iso_userns_plan(const struct iso_config *cfg, struct iso_ids *ids, struct mv_err *err);

/* One range of a map: inside..inside+count-1 are outside..outside+count-1 outside. */
struct iso_idmap {
	unsigned inside, outside, count;
};

/* iso_userns_write_maps: writes the maps of the user namespace of process pid, each file
 * in one write: /proc/PID/setgroups "deny" first when deny_setgroups, then the nu ranges
 * of uids as uid_map and the ng of gids as gid_map. Used by both front ends. Returns 0,
 * or -1 with a reason in err. */
int iso_userns_write_maps(pid_t pid, bool deny_setgroups, const struct iso_idmap *uids, size_t nu,
			  const struct iso_idmap *gids, size_t ng, struct mv_err *err);

/* iso_userns_map: writes the maps of ids into the user namespace of process pid:
 * /proc/PID/setgroups ("deny" when ids->deny_setgroups), uid_map, gid_map. Returns 0, or
 * -1 with a reason in err. */
int iso_userns_map(pid_t pid, const struct iso_ids *ids, struct mv_err *err);

/* iso_userns_release: gives the slot back (closes its lock). */
void iso_userns_release(struct iso_ids *ids);

#endif
