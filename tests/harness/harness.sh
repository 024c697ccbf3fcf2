#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/harness/harness.sh: the harness cannot be fooled: tests/run.sh, given small test files
# that break its rules (no plan, a wrong plan, an exit status, a signal, a hang that ignores
# SIGTERM, a unit binary that is not built, a skip CI does not tolerate), fails each, with
# prove (TAP::Harness) and with its own checks (no prove: the busybox guest of tests/svm).
. "$(dirname "$0")/../lib.sh"

# The test files, in a tree of their own (tests/SUITE/NAME.sh beside a link to lib.sh).
Z=$T_TMP/tree/tests
mkdir -p "$Z/zz" "$Z/isolate" && ln -s "$T_ROOT/tests/lib.sh" "$Z/lib.sh" || exit 1
w() { cat >"$Z/$1.sh"; } # w SUITE/NAME: the file, from stdin
w zz/pass <<'EOF'
. "$(dirname "$0")/../lib.sh"
t_a() { true; }
t "passes" t_a
done_testing
EOF
w zz/noplan <<'EOF'
echo "ok 1 - noplan: a result, and no plan"
EOF
w zz/wrongplan <<'EOF'
echo "ok 1 - wrongplan: one result of the two planned"
echo "1..2"
EOF
w zz/exit3 <<'EOF'
exit 3
EOF
w zz/halfway <<'EOF'
. "$(dirname "$0")/../lib.sh"
t_a() { true; }
t "passes, then the file dies" t_a
exit 3
EOF
w zz/signal <<'EOF'
echo "1..1"
echo "ok 1 - signal: passes, then the file is killed"
kill -9 $$
EOF
w zz/hang <<'EOF'
# time-limit: 1
. "$(dirname "$0")/../lib.sh"
t_a() { true; }
t_hang() { sleep 100; }
t "passes" t_a
t "hangs" t_hang
done_testing
EOF
# deaf to SIGTERM (sleep inherits the ignored signal): SIGKILL 10 s after the limit
w zz/deaf <<'EOF'
# time-limit: 1
. "$(dirname "$0")/../lib.sh"
trap '' TERM
t_a() { true; }
t_hang() { sleep 100; }
t "passes" t_a
t "hangs, deaf to SIGTERM" t_hang
done_testing
EOF
w zz/skip <<'EOF'
. "$(dirname "$0")/../lib.sh"
t_s() { skip "a reason nobody tolerates"; }
t "skips" t_s
done_testing
EOF
# named as a file T_TOLERATED lists, with the reason it lists
w isolate/cgroup <<'EOF'
. "$(dirname "$0")/../lib.sh"
t_s() { skip "this host has a delegated cgroup v2 (a stand-in)"; }
t "skips as CI tolerates" t_s
done_testing
EOF

# harness FILE: tests/run.sh on FILE, with prove or (HARNESS=sh) without, MINIVIRT_NO_SKIP
# as $NOSKIP says; its output in $OUT, its status in $RC
HARNESS=prove
NOSKIP=0
harness() {
	np=0
	[ $HARNESS = sh ] && np=1
	run env -u MINIVIRT_TEST_LIMIT -u CMOCKA_TEST_ABORT MINIVIRT_NO_SKIP=$NOSKIP \
		MINIVIRT_NO_PROVE=$np sh "$T_ROOT/tests/run.sh" "$1"
}
# verdict FILE LAST [LINE]: tests/run.sh FILE ends with the line LAST, status 0 if LAST
# has no failure, else 1; with LINE, a line of the output holds it
verdict() {
	f=$1
	case $f in /*) ;; *) f=$Z/$f.sh ;; esac
	harness "$f"
	st=1
	case $2 in *" 0 failed"*) st=0 ;; esac
	expect_rc $st && expect_eq "last line" "$(printf '%s\n' "$OUT" | tail -n 1)" "$2" &&
		{ [ -z "${3:-}" ] || expect_out "$3"; }
}

t_pass() { verdict zz/pass "1 passed, 0 failed"; }
t_noplan() { verdict zz/noplan "1 passed, 1 failed"; }
t_wrongplan() { verdict zz/wrongplan "1 passed, 1 failed"; }
t_exit() { verdict zz/exit3 "0 passed, 1 failed"; }
t_halfway() { verdict zz/halfway "1 passed, 1 failed"; }
t_signal() { verdict zz/signal "1 passed, 1 failed"; }
t_hang() {
	verdict zz/hang "1 passed, 1 failed" \
		"not ok - hang: still running after 1 s (killed: a hang) in hang: hangs"
}
t_deaf() {
	verdict zz/deaf "1 passed, 1 failed" \
		"not ok - deaf: still running after 1 s (killed: a hang) in deaf: hangs, deaf to SIGTERM"
}
t_unbuilt() {
	verdict "$T_TMP/unit_nosuch" "0 passed, 1 failed" \
		"not ok 1 - unit_nosuch: $T_TMP/unit_nosuch is not built (make check builds it)"
}
t_skip() {
	verdict zz/skip "0 passed, 0 failed, 1 skipped" || return 1
	NOSKIP=1
	verdict zz/skip "0 passed, 1 failed" \
		"# skipped (a reason nobody tolerates), which MINIVIRT_NO_SKIP=1 does not tolerate"
}
t_tolerated() { NOSKIP=1; verdict isolate/cgroup "0 passed, 0 failed, 1 skipped"; }

for HARNESS in prove sh; do
	t "$HARNESS: a file that passes, passes" t_pass
	t "$HARNESS: a file without a plan fails" t_noplan
	t "$HARNESS: a file whose plan does not match its results fails" t_wrongplan
	t "$HARNESS: a file that exits 3 before any result fails" t_exit
	t "$HARNESS: a file that dies after a passing result fails" t_halfway
	t "$HARNESS: a file killed by a signal after its plan fails" t_signal
	t "$HARNESS: a hang is killed at its limit: a failure naming the test" t_hang
	t "$HARNESS: a unit binary that is not built fails" t_unbuilt
	t "$HARNESS: a skip passes, but fails with MINIVIRT_NO_SKIP=1 unless tolerated" t_skip
	t "$HARNESS: a skip T_TOLERATED lists passes with MINIVIRT_NO_SKIP=1" t_tolerated
done
HARNESS=prove # the same kill for both: SIGKILL comes 10 s after SIGTERM
t "a hang deaf to SIGTERM is killed too (SIGKILL), a failure naming the test" t_deaf
done_testing
