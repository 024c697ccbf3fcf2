#!/bin/sh
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
	kill -TERM "$pid"
	poll 100 grep -q "no handler for SIGTERM" "$T_TMP/err" ||
		{ fail "no word on the dropped SIGTERM"; cat "$T_TMP/err"; kill -9 "$pid"; return 1; }
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

done_testing
