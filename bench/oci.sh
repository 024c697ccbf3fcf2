#!/bin/sh
# SPDX-License-Identifier: MIT
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
	# the read-only cgroups, in a mount namespace of this run only
	BENCH_OCI_INNER=1 exec sh "$ROOT/scripts/ro-cgroups.sh" sh "$0" "$@"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/minivirt-bench-oci.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
ISOLATE=$B/isolate sh "$ROOT/scripts/oci-bundle.sh" "$tmp/b"
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
