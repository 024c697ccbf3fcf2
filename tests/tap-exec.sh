# SPDX-License-Identifier: MIT
# tests/tap-exec.sh: runs one test program for tests/run.sh under a hard time limit.
# Usage: sh tests/tap-exec.sh FILE   (FILE: tests/SUITE/NAME.sh, or a unit binary)
# The limit is MINIVIRT_TEST_LIMIT seconds if set, else the "# time-limit: N" line in the
# head of a test file, else 300. The file runs in its own session; at the limit the whole
# session gets SIGTERM, 10 s later SIGKILL (the VMM blocks SIGTERM while it runs a guest),
# and the hang becomes a failing result naming the test that was running. A unit binary
# that is not built is a failing result, never a silent skip; with MINIVIRT_NO_SKIP=1 a unit
# test's skip fails.
f=$1
name=$(basename "$f" .sh)
limit=300
unit=0
case $f in
*.sh)
	l=$(head -n 20 "$f" | sed -n 's/^# time-limit: \([0-9][0-9]*\)$/\1/p' | head -n 1)
	[ -n "$l" ] && limit=$l
	set -- sh "$f" ;;
*)
	if [ ! -x "$f" ]; then
		echo "not ok 1 - $name: $f is not built (make check builds it)"
		echo "1..1"
		exit 1
	fi
	unit=1
	export CMOCKA_MESSAGE_OUTPUT=TAP
	set -- "$f" ;;
esac
limit=${MINIVIRT_TEST_LIMIT:-$limit}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/minivirt-exec.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
# lib.sh's t() writes the description of the running test here
export MINIVIRT_T_CURRENT="$tmp/current"

# signal_session SIG SID: every process of the session (pkill -s; without pkill, as in the
# busybox guest of tests/svm, the session leader's process group)
signal_session() {
	kill -s "$1" -- "-$2" 2>/dev/null
	command -v pkill >/dev/null && pkill "-$1" -s "$2"
}

# run_bounded CMD...: runs CMD as the leader of a new session (setsid execs in place: this
# background job is no process-group leader, so its pid is the session's id), with a
# watchdog that signals the whole session at the limit. Every process the file leaves in
# its session is killed when it ends, so none can hold the output pipe open.
run_bounded() {
	setsid "$@" &
	sid=$!
	(
		trap 'kill "$s" 2>/dev/null; exit 0' TERM
		sleep "$limit" &
		s=$!
		wait "$s" || exit 0
		: >"$tmp/hung"
		signal_session TERM "$sid"
		sleep 10 &
		s=$!
		wait "$s" || exit 0
		signal_session KILL "$sid"
	) >/dev/null 2>&1 &
	wd=$!
	wait "$sid"
	rc=$?
	kill "$wd" 2>/dev/null
	wait "$wd"
	signal_session KILL "$sid"
	echo "$rc" >"$tmp/rc"
}

# stdout through tee, to name the last result if the file hangs; the status through a file
run_bounded "$@" | if [ $unit = 1 ] && [ "${MINIVIRT_NO_SKIP:-0}" = 1 ]; then
	sed -u -E 's/^ok ([0-9]+)(.*) # (SKIP|skip)(.*)$/not ok \1\2 (skipped\4: MINIVIRT_NO_SKIP=1 tolerates no unit test skip)/'
else cat; fi | tee "$tmp/out"
rc=$(cat "$tmp/rc")
if [ -e "$tmp/hung" ]; then
	cur=$(cat "$tmp/current" 2>/dev/null)
	if [ -n "$cur" ]; then what="$cur"
	elif last=$(grep -E '^(not )?ok ' "$tmp/out" | tail -n 1) && [ -n "$last" ]; then
		what="after: $last"
	else what="before its first result"; fi
	echo "not ok - $name: still running after $limit s (killed: a hang) in $what"
elif [ "$rc" -gt 128 ]; then
	echo "# $name: ended by signal $((rc - 128))"
fi
exit "$rc"
