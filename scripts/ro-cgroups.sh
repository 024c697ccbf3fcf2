#!/bin/sh
# SPDX-License-Identifier: MIT
# scripts/ro-cgroups.sh: runs CMD in a private mount namespace in which every cgroup mount,
# and /sys/fs/cgroup itself, is read-only and /sys/fs/cgroup/unified is unmounted. That is
# how podman, runc and crun run on this project's machines, where cgroup v1 belongs to the
# supervisor and nothing may write a cgroup (conmon opens a cgroup v1 file for writing even
# with --cgroups disabled; there it gets EROFS). Elsewhere engines need none of this.
# Usage: sh scripts/ro-cgroups.sh CMD [ARGS...]   (as root)
set -eu
[ $# -gt 0 ] || { echo "usage: sh scripts/ro-cgroups.sh CMD [ARGS...]" >&2; exit 2; }
if [ "${RO_CGROUPS_INSIDE:-}" != 1 ]; then
	RO_CGROUPS_INSIDE=1 exec unshare --mount --propagation private sh "$0" "$@"
fi
unset RO_CGROUPS_INSIDE
umount /sys/fs/cgroup/unified 2>/dev/null || true
for m in $(awk '$9 ~ /^cgroup/ { print $5 }' /proc/self/mountinfo) /sys/fs/cgroup; do
	mount -o remount,bind,ro "$m" ||
		{ echo "ro-cgroups.sh: cannot make $m read-only" >&2; exit 1; }
done
exec "$@"
