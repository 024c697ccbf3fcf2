#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/isolate/init.sh: --init: isolate's own init is PID 1 and PROGRAM its child; it reaps
# orphans (zombies stay without it), passes signals on, and exits with PROGRAM's status,
# killing what PROGRAM left running.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/iso.inc"

t_pid1() {
	need_isolate || return 1
	run "$ISO" --init --net none sh -c 'echo $$; ps -o pid=,comm= -p 1'
	expect_rc 0 && expect_eq "PROGRAM's pid, PID 1" "$(printf '%s\n' "$OUT" | tr -s ' \n' ' ')" \
		"2 1 isolate "
}
t "--init: PID 1 is isolate's init, PROGRAM is pid 2" t_pid1

t_zombies() {
	need_isolate && need_progs || return 1
	# orphans go to PID 1: PROGRAM itself without --init, which never waits for them
	run "$ISO" --net none "$PROGS/zombies" 5
	expect_rc 0 && expect_eq "without --init" "$OUT" "pid 1, zombies 5" || return 1
	run "$ISO" --init --net none "$PROGS/zombies" 5
	expect_rc 0 && expect_eq "with --init" "$OUT" "pid 2, zombies 0"
}
t "--init reaps orphans (without it, a PID 1 that never waits keeps 5 zombies)" t_zombies

t_term() {
	need_isolate || return 1
	# sleep has no SIGTERM handler: as PID 1 the kernel drops the signal; as init's
	# child it dies of it
	env --default-signal=TERM "$ISO" --init --net none sleep 100 2>"$T_TMP/err" &
	pid=$!
	poll 100 sh -c "c=\$(pgrep -P $pid) && pgrep -P \$c -x sleep >/dev/null" ||
		{ fail "PROGRAM did not start"; kill -9 "$pid"; return 1; }
	kill -TERM "$pid"
	bounded_wait "$pid"
	rc=$?
	expect_eq "status after SIGTERM" "$rc" 143 || return 1
	if grep -q "no handler" "$T_TMP/err"; then fail "$(cat "$T_TMP/err")"; return 1; fi
}
t "--init: SIGTERM to isolate reaches PROGRAM (pid 2), which dies of it: 143" t_term

t_forward_handled() {
	need_isolate || return 1
	rm -f "$T_TMP/ready"
	env --default-signal=INT,QUIT "$ISO" --init --net none sh -c \
		"trap 'echo caught USR1; exit 4' USR1; echo ready >$T_TMP/ready; while :; do sleep 0.05; done" \
		>"$T_TMP/out" 2>&1 &
	pid=$!
	poll 100 test -s "$T_TMP/ready" || { fail "PROGRAM did not start"; kill -9 "$pid"; return 1; }
	kill -USR1 "$pid"
	bounded_wait "$pid"
	rc=$?
	expect_eq "status" "$rc" 4 && grep -q "caught USR1" "$T_TMP/out" ||
		{ fail "SIGUSR1 not caught: $(cat "$T_TMP/out")"; return 1; }
}
t "--init: a signal PROGRAM traps reaches it" t_forward_handled

t_leftovers() {
	need_isolate || return 1
	mark="iso-init-left-$$"
	run "$ISO" --init --net none sh -c "sleep 100 & sleep 101 & : $mark; exit 7"
	expect_rc 7 || return 1
	expect_no_procs "$mark" || return 1
	# nothing of the container is left at once: its sleeps went before isolate returned
	run "$ISO" --init --net none sh -c "(sleep 100; : $mark) & exit 0"
	expect_rc 0 && ! pgrep -f -- "$mark" >/dev/null ||
		{ fail "left running: $(pgrep -af -- "$mark")"; return 1; }
}
t "--init: PROGRAM's exit status is isolate's; what it left running is killed" t_leftovers

t_signal_status() {
	need_isolate || return 1
	run "$ISO" --init --net none sh -c 'kill -SEGV $$'
	expect_rc 139 || return 1
	run "$ISO" --init --report "$T_TMP/r.json" --net none sh -c 'kill -USR2 $$'
	expect_rc 140 && expect_jf "$T_TMP/r.json" .status "killed by signal" &&
		expect_jf "$T_TMP/r.json" .signal_name SIGUSR2
}
t "--init: PROGRAM killed by a signal: 128+N, and the report names the signal" t_signal_status

# sleeps_under_init ISOLATE_PID: init's child (PROGRAM) has a child running sleep.
sleeps_under_init() {
	_init=$(pid1_of "$1") && [ -n "$_init" ] || return 1
	for _p in $(pgrep -P "$_init"); do
		pgrep -x sleep -P "$_p" >/dev/null && return 0
	done
	return 1
}

t_kill_isolate() {
	need_isolate || return 1
	mark="iso-init-kill-$$"
	"$ISO" --init --net none sh -c ": $mark; sleep 100" &
	pid=$!
	# down the tree: isolate, init, PROGRAM's sh, its sleep (by parent, not by the mark,
	# which a poll's own command line would carry too)
	poll 100 sleeps_under_init "$pid" ||
		{ fail "PROGRAM did not start"; kill -9 "$pid"; return 1; }
	kill -KILL "$pid"
	bounded_wait "$pid"
	expect_no_procs "$mark"
}
t "--init: SIGKILL to isolate: init, PROGRAM and its children go" t_kill_isolate

done_testing
