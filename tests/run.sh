#!/bin/sh
# tests/run.sh: runs the test suites and ends with "N passed, N failed".
# Usage: tests/run.sh [unit|vmm|...]   (default: every suite present)
# A suite is tests/unit (cmocka binaries built by make, in $BUILD/tests) or a folder
# tests/NAME holding *.sh files. With MINIVIRT_NO_SKIP=1 (CI), a skip counts as a failure.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${MINIVIRT_BUILD:-$ROOT/build}
suites=${*:-unit vmm}
log=$(mktemp "${TMPDIR:-/tmp}/minivirt-run.XXXXXX")
trap 'rm -f "$log"' EXIT

run_one() { # run_one NAME CMD...: runs one test program, TAP to stdout and the log
	"$@" 2>&1 | tee -a "$log"
}

for s in $suites; do
	if [ "$s" = unit ]; then
		for b in "$BUILD"/tests/unit_*; do
			[ -x "$b" ] || continue
			CMOCKA_MESSAGE_OUTPUT=TAP run_one "$b"
		done
	else
		for f in "$ROOT"/tests/"$s"/*.sh; do
			[ -f "$f" ] || continue
			run_one sh "$f"
		done
	fi
done

passed=$(grep -E '^ok ' "$log" | grep -vc '# SKIP')
skipped=$(grep -E '^ok .*# SKIP' "$log" | wc -l)
failed=$(grep -cE '^not ok ' "$log")
if [ "${MINIVIRT_NO_SKIP:-0}" = 1 ] && [ "$skipped" -gt 0 ]; then
	echo "# MINIVIRT_NO_SKIP=1: $skipped skipped test(s) count as failures"
	failed=$((failed + skipped)); skipped=0
fi
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
