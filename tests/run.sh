#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/run.sh: runs the test suites under prove (TAP::Harness) and ends with "N passed, N failed".
# Usage: tests/run.sh [unit|vmm|...|FILE...]   (default: unit vmm; FILE: one test file or
# unit binary, e.g. tests/vmm/faults.sh, relative to the top of the tree)
# A suite is tests/unit (one cmocka binary per tests/unit/*.c, built by make into $BUILD/tests)
# or a folder tests/NAME holding *.sh files. Each file runs under tests/tap-exec.sh: a hard
# time limit, a hang reported as a failure. prove fails a file for a failing result, a missing
# or wrong plan, a non-zero exit or a signal; a unit binary that is not built fails.
# MINIVIRT_NO_SKIP=1 (CI): a skip is a failure unless tests/lib.sh's T_TOLERATED lists it.
# Without perl's prove (the busybox guest of tests/svm), the same rules are checked here in sh.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${MINIVIRT_BUILD:-$ROOT/build}
export MINIVIRT_BUILD="$BUILD"
cd "$ROOT" || exit 2
suites=${*:-unit vmm}

files=
for s in $suites; do
	if [ -f "$s" ] || [ "${s#*/}" != "$s" ]; then # one file: tests/vmm/faults.sh, build/tests/unit_gva
		files="$files $s"
	elif [ "$s" = unit ]; then
		for c in "$ROOT"/tests/unit/unit_*.c; do
			[ -f "$c" ] && files="$files $BUILD/tests/$(basename "$c" .c)"
		done
	elif [ -d "tests/$s" ]; then
		for f in tests/"$s"/*.sh; do
			[ -f "$f" ] && files="$files $f"
		done
	else
		echo "run.sh: no suite tests/$s" >&2
		exit 2
	fi
done
[ -n "$files" ] || { echo "run.sh: no test files in: $suites" >&2; exit 2; }

if command -v prove >/dev/null 2>&1 && [ "${MINIVIRT_NO_PROVE:-0}" != 1 ]; then
	# shellcheck disable=SC2086
	PERL5LIB="$ROOT/tests/perl${PERL5LIB:+:$PERL5LIB}" prove --verbose --timer \
		--formatter MinivirtFormatter --exec "sh tests/tap-exec.sh" $files
	exit
fi

# --- without prove: the harness's rules, checked per file in sh
echo "# run.sh: no prove here: plans and statuses checked by run.sh itself"
passed=0 failed=0 skipped=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/minivirt-run.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
out=$tmp/out
for f in $files; do
	name=$(basename "$f" .sh)
	t0=$(date +%s)
	{ sh tests/tap-exec.sh "$f"; echo $? >"$tmp/rc"; } | tee "$out"
	rc=$(cat "$tmp/rc")
	echo "# $name: $(($(date +%s) - t0)) s" # as prove --timer says, for where time goes
	ok=$(grep -E '^ok ' "$out" | grep -vc '# SKIP')
	sk=$(grep -cE '^ok .*# SKIP' "$out")
	nok=$(grep -cE '^not ok' "$out")
	plans=$(grep -cE '^1\.\.[0-9]+$' "$out")
	plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$out" | head -n 1)
	why=
	if [ "$plans" -ne 1 ]; then why="$plans plan lines, expected 1"
	elif [ "$plan" -ne $((ok + sk + nok)) ]; then why="plan 1..$plan, but $((ok + sk + nok)) results"
	elif [ "$rc" != 0 ] && [ "$nok" -eq 0 ]; then why="exit status $rc"
	fi
	# as MinivirtFormatter counts: a file's broken plan or status is one failure when no
	# result of its own failed
	if [ -n "$why" ] && [ "$nok" -eq 0 ]; then
		echo "not ok - $name: $why"
		nok=1
	elif [ -n "$why" ]; then
		echo "# $name: $why"
	fi
	passed=$((passed + ok)) failed=$((failed + nok)) skipped=$((skipped + sk))
done
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
