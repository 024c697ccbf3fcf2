#!/bin/sh
# bench/oci.sh: `make bench`'s OCI part: `isolate run` against `crun run` and `runc run` on
# one busybox-static bundle running /bin/true (the default config of `isolate spec`: new
# pid, network, ipc, uts and mount namespaces), in one hyperfine run, as ratios. Informational
# only. Everything runs in a private mount namespace whose cgroup mounts are read-only and
# without /sys/fs/cgroup/unified (crun does not start with it here): no runtime can write a
# cgroup; crun runs with --cgroup-manager=disabled, runc with --rootless=true (which goes on
# past a cgroup it cannot make).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=${MINIVIRT_BUILD:-$ROOT/build}
RUNS=${BENCH_RUNS:-60}

if [ "${BENCH_OCI_INNER:-}" != 1 ]; then
	[ "$(id -u)" -eq 0 ] || { echo "bench/oci.sh: needs root (skipped)"; exit 0; }
	for c in crun runc hyperfine; do
		command -v $c >/dev/null || { echo "bench/oci.sh: no $c (scripts/deps.sh bench)"; exit 1; }
	done
	BENCH_OCI_INNER=1 exec unshare --mount --propagation private sh "$0" "$@"
fi

# the read-only cgroups, in this mount namespace only
umount /sys/fs/cgroup/unified 2>/dev/null || true
for m in $(awk '$9 ~ /^cgroup/ { print $5 }' /proc/self/mountinfo) /sys/fs/cgroup; do
	mount -o remount,bind,ro "$m" 2>/dev/null || true
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/minivirt-bench-oci.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/b/rootfs/bin" "$tmp/b/rootfs/proc" "$tmp/b/rootfs/dev" "$tmp/b/rootfs/sys" "$tmp/b/rootfs/tmp"
cp /bin/busybox "$tmp/b/rootfs/bin/"
ln -s busybox "$tmp/b/rootfs/bin/true"
(cd "$tmp/b" && "$B/isolate" spec)
jq '.process.args = ["/bin/true"]' "$tmp/b/config.json" >"$tmp/c" && mv "$tmp/c" "$tmp/b/config.json"

echo
echo "bench: OCI runtimes, run of a busybox bundle's /bin/true, $RUNS runs each after 5 warm-ups, in one hyperfine run"
hyperfine -N --style basic --warmup 5 --runs "$RUNS" --export-csv "$tmp/csv" \
	-n "isolate run" "$B/isolate --root $tmp/iso run --bundle $tmp/b bench" \
	-n "crun run" "crun --root $tmp/crun --cgroup-manager=disabled run --bundle $tmp/b bench" \
	-n "runc run" "runc --root $tmp/runc --rootless=true run --bundle $tmp/b bench" \
	>/dev/null 2>"$tmp/err" || { cat "$tmp/err"; exit 1; }
awk -F, 'NR == 1 { next }
	NR == 2 { iso = $4 }
	{ t[$1] = $4; printf "  %-12s median %7.2f ms  (min %7.2f ms)  %5.2fx isolate run\n", $1, $4 * 1000, $7 * 1000, $4 / iso }
	END { printf "goal: isolate run faster than crun run: %.2fx crun'"'"'s time (%s)\n", iso / t["crun run"], (iso < t["crun run"] ? "met" : "NOT met") }' "$tmp/csv"
