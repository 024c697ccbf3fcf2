#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/isolate/signals.sh: signals sent to isolate reach PROGRAM (PID 1), the kernel's PID 1
# rule is said, a second SIGINT kills the container, deaths by signal give 128+N, and a
# SIGKILLed isolate takes its container (processes and veth) with it.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/iso.inc"

# A PROGRAM that traps SIG and exits 3 on it, after saying it is ready in $T_TMP/ready.
trapper() {
	echo "trap 'echo caught $1; exit 3' $1; echo ready >$T_TMP/ready; while :; do sleep 0.05; done"
}

# forward_one SIG: isolate gets SIG (from kill, as a user sends it); PROGRAM catches it.
forward_one() {
	rm -f "$T_TMP/ready"
	# env resets SIGINT/SIGQUIT, which sh leaves ignored in background jobs (and an
	# ignored signal cannot be trapped by the sh inside)
	env --default-signal=INT,QUIT "$ISO" sh -c "$(trapper "$1")" >"$T_TMP/fwd.out" 2>&1 &
	pid=$!
	poll 100 test -s "$T_TMP/ready" || { fail "PROGRAM did not start"; kill -9 "$pid"; return 1; }
	kill -s "$1" "$pid"
	bounded_wait "$pid"
	rc=$?
	[ "$rc" -eq 3 ] || { fail "SIG$1: exit status $rc, expected 3"; cat "$T_TMP/fwd.out"; return 1; }
	grep -q "caught $1" "$T_TMP/fwd.out" || { fail "SIG$1 not caught"; return 1; }
}

t_forward_term() {
	need_isolate || return 1
	forward_one TERM
}
t "SIGTERM sent to isolate reaches PROGRAM, which traps it" t_forward_term

t_forward_others() {
	need_isolate || return 1
	for s in HUP INT QUIT USR1 USR2; do
		forward_one "$s" || return 1
	done
}
t "SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2 reach PROGRAM too" t_forward_others

t_kill_pid1() {
	need_isolate || return 1
	"$ISO" sleep 100 2>"$T_TMP/err" &
	pid=$!
	poll 100 sh -c "c=\$(pgrep -P $pid) && [ \"\$(cat /proc/\$c/comm)\" = sleep ]" ||
		{ fail "PROGRAM did not start"; kill -9 "$pid"; return 1; }
	kill -KILL "$(pid1_of "$pid")"
	bounded_wait "$pid"
	rc=$?
	expect_eq "isolate's status when PID 1 dies of SIGKILL" "$rc" 137
}
t "PROGRAM killed by signal 9: isolate exits 128+9" t_kill_pid1

t_no_handler() {
	need_isolate || return 1
	env --default-signal=INT "$ISO" sleep 100 2>"$T_TMP/err" &
	pid=$!
	poll 100 sh -c "c=\$(pgrep -P $pid) && [ \"\$(cat /proc/\$c/comm)\" = sleep ]" ||
		{ fail "PROGRAM did not start"; kill -9 "$pid"; return 1; }
	kill -USR1 "$pid"
	poll 100 grep -q "no handler for SIGUSR1" "$T_TMP/err" ||
		{ fail "no word on the dropped SIGUSR1"; cat "$T_TMP/err"; kill -9 "$pid"; return 1; }
	kill -INT "$pid"
	poll 100 grep -q "no handler for SIGINT" "$T_TMP/err" ||
		{ fail "no word on the dropped SIGINT"; kill -9 "$pid"; return 1; }
	kill -0 "$pid" 2>/dev/null || { fail "the container stopped on a dropped signal"; return 1; }
	kill -INT "$pid"
	bounded_wait "$pid"
	rc=$?
	expect_eq "status after the second SIGINT" "$rc" 137 &&
		grep -q "second SIGINT: killing the container" "$T_TMP/err" ||
		{ fail "no word on the SIGKILL"; cat "$T_TMP/err"; return 1; }
}
t "PID 1 without handlers: isolate says the kernel drops the signal; a second SIGINT kills" \
	t_no_handler

# SIGTERM (or SIGHUP: the terminal is gone) to a PID 1 without a handler: the kernel would
# drop it; its default action would end the program: isolate ends the container at once,
# and says so.
t_term_no_handler() {
	need_isolate || return 1
	for opt in "" "--kill-after 1000" HUP; do
		sig=TERM
		[ "$opt" = HUP ] && sig=HUP && opt=
		rm -f "$T_TMP/err"
		"$ISO" $opt sleep 100 2>"$T_TMP/err" &
		pid=$!
		poll 100 sh -c "c=\$(pgrep -P $pid) && [ \"\$(cat /proc/\$c/comm)\" = sleep ]" ||
			{ fail "PROGRAM did not start"; kill -9 "$pid"; return 1; }
		kill -s "$sig" "$pid"
		bounded_wait "$pid"
		rc=$?
		expect_eq "$opt: status after SIG$sig" "$rc" 137 || { cat "$T_TMP/err"; return 1; }
		grep -q "SIG$sig: PROGRAM, as PID 1, has no handler for it, which the kernel would drop: ending the container" "$T_TMP/err" ||
			{ fail "no word on it"; cat "$T_TMP/err"; return 1; }
	done
}
t "SIGTERM or SIGHUP to a PID 1 without a handler ends the container at once (whatever --kill-after)" \
	t_term_no_handler

t_int_handled() {
	need_isolate || return 1
	out="$T_TMP/ints"
	: >"$out" && chmod 666 "$out" # the container (as root: a slot uid) appends
	env --default-signal=INT "$ISO" --net none sh -c "n=0; trap 'n=\$((n + 1)); echo int \$n >>$out; [ \$n -ge 3 ] && exit 5' INT
		echo ready >>$out; while :; do sleep 0.05; done" 2>"$T_TMP/err" &
	pid=$!
	for i in 1 2 3; do
		poll 100 grep -q "^$( [ $i = 1 ] && echo ready || echo "int $((i - 1))")\$" "$out" ||
			{ fail "PROGRAM did not get SIGINT $((i - 1))"; kill -9 "$pid" 2>/dev/null; return 1; }
		kill -INT "$pid"
	done
	bounded_wait "$pid"
	rc=$?
	expect_eq "status after three handled SIGINTs" "$rc" 5 || { cat "$T_TMP/err"; return 1; }
	if grep -q "second SIGINT\|no handler" "$T_TMP/err"; then
		fail "isolate escalated a handled SIGINT: $(cat "$T_TMP/err")"
		return 1
	fi
}
t "a PROGRAM that handles SIGINT gets every one; no SIGKILL on the second" t_int_handled

t_sigkill_isolate() {
	need_isolate || return 1
	mark="iso-sigkill-test-$$"
	if [ "$(id -u)" -eq 0 ]; then before=$(quiet_links); else before=$(host_links); fi
	"$ISO" sh -c ": $mark; sleep 100; sleep 100" &
	pid=$!
	poll 100 sh -c "c=\$(pgrep -P $pid) && pgrep -P \$c sleep >/dev/null" ||
		{ fail "PROGRAM did not start"; kill -9 "$pid"; return 1; }
	if [ "$(id -u)" -eq 0 ]; then
		ip link show dev "iso-$pid" >/dev/null || { fail "no veth iso-$pid"; return 1; }
	fi
	grandchild=$(pgrep -P "$(pid1_of "$pid")" sleep)
	kill -KILL "$pid"
	bounded_wait "$pid"
	expect_no_procs "$mark" && expect_links "$before" || return 1
	poll 50 sh -c "! kill -0 $grandchild 2>/dev/null" ||
		{ fail "the container's sleep (pid $grandchild) outlived it"; return 1; }
}
t "SIGKILL to isolate: the container's processes and its veth pair go too" t_sigkill_isolate

# start_ready WHO OPTS SCRIPT: isolate OPTS sh -c SCRIPT in the background ($pid), once the
# script has written $PUB/ready (it must); fails when it never does.
start_ready() {
	rm -f "$PUB/ready"
	_pre=
	[ "$1" = nobody ] && _pre=$AS_NOBODY
	# (not through a function: $! must be isolate's pid; setpriv execs it)
	$_pre "$ISO" --net none $2 sh -c "$3" >"$T_TMP/out" 2>"$T_TMP/err" &
	pid=$!
	poll 100 test -e "$PUB/ready" || { fail "$1 $2: PROGRAM did not start"; cat "$T_TMP/err"; kill -9 "$pid"; return 1; }
}
# program_pid ISOLATE_PID OPTS: PROGRAM's host pid (PID 1, or init's child with --init)
program_pid() {
	_p=$(pid1_of "$1")
	case $2 in *--init*) _p=$(pgrep -P "$_p" | head -n 1) ;; esac
	echo "$_p"
}
state_of() { sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null; }

# A stopped PROGRAM (SIGSTOP, from outside) goes on with SIGCONT sent to isolate, and ends.
stop_cont_as() {
	for opt in "" --init; do
		start_ready "$1" "$opt" ": >$PUB/ready; while [ ! -e $PUB/go ]; do sleep 0.05; done; exit 4" || return 1
		prog=$(program_pid "$pid" "$opt")
		kill -STOP "$prog"
		poll 100 sh -c "[ \"\$(sed -n 's/^State:[[:space:]]*\\([A-Z]\\).*/\\1/p' /proc/$prog/status)\" = T ]" ||
			{ fail "$1 $opt: PROGRAM did not stop"; kill -9 "$pid"; return 1; }
		: >"$PUB/go"
		kill -CONT "$pid"
		bounded_wait "$pid"
		rc=$?
		rm -f "$PUB/go"
		expect_eq "$1 $opt: status after SIGCONT" "$rc" 4 || { cat "$T_TMP/err"; return 1; }
	done
}
t_stop_cont() {
	need_isolate && pub_dir && chmod 1777 "$PUB" || return 1
	stop_cont_as root && stop_cont_as nobody
}
t "SIGCONT to isolate continues a stopped PROGRAM (root, nobody; --init)" t_stop_cont

# A stopped PROGRAM with a SIGTERM handler: SIGTERM to isolate reaches it (isolate sends
# SIGCONT after it), and it ends as its handler says.
stopped_term_as() {
	for opt in "" --init; do
		start_ready "$1" "$opt" "trap 'exit 3' TERM; : >$PUB/ready; while :; do sleep 0.05; done" || return 1
		prog=$(program_pid "$pid" "$opt")
		kill -STOP "$prog"
		poll 100 sh -c "[ \"\$(sed -n 's/^State:[[:space:]]*\\([A-Z]\\).*/\\1/p' /proc/$prog/status)\" = T ]" ||
			{ fail "$1 $opt: PROGRAM did not stop"; kill -9 "$pid"; return 1; }
		kill -TERM "$pid"
		bounded_wait "$pid"
		rc=$?
		expect_eq "$1 $opt: status of a stopped PROGRAM after SIGTERM" "$rc" 3 || { cat "$T_TMP/err"; return 1; }
	done
}
t_stopped_term() {
	need_isolate && pub_dir && chmod 1777 "$PUB" || return 1
	stopped_term_as root && stopped_term_as nobody
}
t "a stopped PROGRAM never hangs isolate: SIGTERM reaches its handler (root, nobody; --init)" t_stopped_term

# --kill-after: a PROGRAM that ignores SIGTERM is killed that long after it.
kill_after_as() {
	for opt in "" --init; do
		start_ready "$1" "--kill-after 0.2 $opt" "trap '' TERM; : >$PUB/ready; while :; do sleep 0.05; done" || return 1
		kill -TERM "$pid"
		bounded_wait "$pid"
		rc=$?
		expect_eq "$1 $opt: status" "$rc" 137 || { cat "$T_TMP/err"; return 1; }
		grep -q -- "--kill-after: the container still runs 0.200 s after SIGTERM: SIGKILL" "$T_TMP/err" ||
			{ fail "$1 $opt: no word on the SIGKILL"; cat "$T_TMP/err"; return 1; }
	done
}
t_kill_after() {
	need_isolate && pub_dir && chmod 1777 "$PUB" || return 1
	kill_after_as root && kill_after_as nobody
}
t "SIGTERM to isolate, PROGRAM ignores it: SIGKILL after --kill-after (root, nobody; --init)" t_kill_after

t_kill_after_bad() {
	need_isolate || return 1
	for v in -1 abc 1e3 86401; do
		run "$ISO" --kill-after "$v" true
		expect_rc 125 && expect_one_line && expect_err "--kill-after: '$v' is not a number of seconds" || return 1
	done
	run "$ISO" --help
	expect_out "--kill-after SECS"
}
t "--kill-after: bad values are one line and 125; --help lists it" t_kill_after_bad

# A SIGTERM that comes in the first 30 ms (during the setup, or as PROGRAM starts) is never
# lost: the run never goes on to PROGRAM's own end (status 0).
t_term_early() {
	need_isolate || return 1
	for d in $(awk 'BEGIN { srand(); for (i = 0; i < 20; i++) printf "%.3f\n", rand() * 0.030 }'); do
		for opt in "" --init; do
			"$ISO" --net none $opt sh -c 'sleep 3; exit 0' 2>/dev/null &
			pid=$!
			sleep "$d"
			kill -TERM "$pid"
			bounded_wait "$pid"
			rc=$?
			[ "$rc" -ne 0 ] || { fail "$opt: a SIGTERM $d s after the start was lost (status 0)"; return 1; }
		done
	done
}
t "a SIGTERM in the first 30 ms is never lost (20 runs at random times, with and without --init)" t_term_early

# A signal that comes during the setup (isolate held at the subnet lock, another run's, here
# a flock) waits and is delivered once PROGRAM runs: under --init, PROGRAM dies of it.
t_setup_signal() {
	need_isolate || return 1
	[ "$(id -u)" -eq 0 ] || skip "needs root: the subnet lock is root's"
	flock -o /run/isolate/net.lock sleep 20 &
	holder=$!
	poll 50 sh -c '! flock -n /run/isolate/net.lock true' || { fail "no holder"; kill "$holder"; return 1; }
	"$ISO" --init --net veth sh -c 'sleep 5; echo ran' >"$T_TMP/out" 2>"$T_TMP/err" &
	pid=$!
	poll 50 sh -c "pgrep -P $pid >/dev/null" # the container exists: setup is under way
	kill -USR1 "$pid"
	kill $(pgrep -P "$holder") "$holder" 2>/dev/null
	wait "$holder" 2>/dev/null
	bounded_wait "$pid"
	rc=$?
	expect_eq "status (PROGRAM dead of SIGUSR1)" "$rc" 138 || { cat "$T_TMP/err"; return 1; }
	[ ! -s "$T_TMP/out" ] || { fail "PROGRAM ran to its end: $(cat "$T_TMP/out")"; return 1; }
}
t "a signal sent during the setup is delivered once PROGRAM runs" t_setup_signal

done_testing
