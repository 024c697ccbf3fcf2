#!/bin/sh
# bench/run.sh: `make bench`: whole-process time of kvm-hello-world against the floor
# (bench/kvm-floor: create a VM, run one HLT, exit), measured side by side in one
# hyperfine run, printed as ratios. Informational only: never pass/fail on timing.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=${MINIVIRT_BUILD:-$ROOT/build}
RUNS=${BENCH_RUNS:-60}
csv=$(mktemp "${TMPDIR:-/tmp}/minivirt-bench.XXXXXX")
trap 'rm -f "$csv"' EXIT

echo "bench: $RUNS runs of each command after 5 warm-ups, in one hyperfine run; ratios of medians to the floor"
hyperfine -N --style basic --warmup 5 --runs "$RUNS" --export-csv "$csv" \
	-n floor "$B/bench/kvm-floor" \
	-n "hello -l" "$B/kvm-hello-world -l" \
	-n "hello -s" "$B/kvm-hello-world -s" \
	-n "hello -r" "$B/kvm-hello-world -r" >/dev/null

# CSV columns: command,mean,stddev,median,user,system,min,max (seconds)
awk -F, 'NR == 1 { next }
	NR == 2 { floor = $4 }
	{ printf "  %-10s median %7.3f ms  (min %7.3f ms)  %5.2fx the floor\n", $1, $4 * 1000, $7 * 1000, $4 / floor }' "$csv"
awk -F, '$1 == "hello -l" { r = $4 } $1 == "floor" { f = $4 }
	END { printf "goal: hello -l within 1.30x of the floor: %.2fx (%s)\n", r / f, r / f <= 1.3 ? "met" : "NOT met" }' "$csv"
