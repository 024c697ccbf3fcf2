#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/isolate/outcome.sh: the run report names what really ended a run, without a cgroup
# (rlimits and isolate's own eyes), as root and as nobody: one large allocation refused by
# --memory, a burst of forks refused by --processes (the program copes and exits 0), a
# double Ctrl-C after the CPU time reached --cpu-time, and a wall-time kill after it.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/iso.inc"

# as WHO: the prefix that runs a command as WHO ("" for root)
as() { [ "$1" = nobody ] && echo "$AS_NOBODY"; }

# memhog once 1000: malloc(1000 MiB) under --memory 256M fails at once, with a few MiB in
# use: nothing near the limit to sample; the report still names the memory limit, exactly.
big_alloc_as() {
	pub_dir && chmod 1777 "$PUB" || return 1
	for opt in "" --init; do
		run $(as "$1") "$ISO" --net none $opt --memory 256M --report "$PUB/r.json" \
			"$PROGS/memhog" once 1000
		expect_rc 3 && expect_out "malloc of 1000 MiB at once failed" || return 1
		expect_jf "$PUB/r.json" .status "memory limit" && expect_jf "$PUB/r.json" .limit memory &&
			expect_jf "$PUB/r.json" .limit_exact true &&
			expect_jf "$PUB/r.json" '.limits_hit | join(",")' memory || { fail "$1 $opt"; return 1; }
		# the control: the same request within the limit is no limit
		run $(as "$1") "$ISO" --net none $opt --memory 256M --report "$PUB/r.json" \
			"$PROGS/memhog" once 100
		expect_rc 0 && expect_jf "$PUB/r.json" .status ok &&
			expect_jf "$PUB/r.json" '.limits_hit | length' 0 || { fail "$1 $opt (100 MiB)"; return 1; }
	done
}
t_big_alloc() { need_isolate && need_progs && big_alloc_as root && big_alloc_as nobody; }
t "one allocation refused by --memory 256M: 'memory limit', exactly (root, nobody; --init)" t_big_alloc

# forkbomb wave 100: children that exit at once, reaped after the burst; at 30 tasks the
# fork fails ("Cannot fork"), the program exits 0: the limit is in limits_hit.
fork_wave_as() {
	pub_dir && chmod 1777 "$PUB" || return 1
	for opt in "" --init; do
		run $(as "$1") "$ISO" --net none $opt --processes 30 --report "$PUB/r.json" \
			"$PROGS/forkbomb" wave 100
		expect_rc 0 && expect_out "forkbomb: Cannot fork" || return 1
		expect_jf "$PUB/r.json" .status ok &&
			expect_jf "$PUB/r.json" '.limits_hit | join(",")' processes &&
			expect_jf "$PUB/r.json" .peak_processes 30 || { fail "$1 $opt"; return 1; }
	done
}
t_fork_wave() { need_isolate && need_progs && fork_wave_as root && fork_wave_as nobody; }
t "a burst of forks refused at --processes 30, the program exits 0: processes in limits_hit (root, nobody; --init)" \
	t_fork_wave

# Two busy children burn their CPU time (each killed at --cpu-time 1), so the container's
# CPU time is past the limit; then Ctrl-C twice (PID 1, sh, has no SIGINT handler): the
# report says "killed by signal", never "time limit".
t_double_int() {
	need_isolate || return 1
	pub_dir && chmod 1777 "$PUB" || return 1 # the container's root writes "burnt" there
	env --default-signal=INT "$ISO" --net none --cpu-time 1 --report "$PUB/r.json" sh -c \
		"(while :; do :; done) & (while :; do :; done) & wait; : >$PUB/burnt; exec sleep 1000" \
		2>"$T_TMP/err" &
	pid=$!
	poll 600 test -e "$PUB/burnt" || { fail "the loops did not end"; cat "$T_TMP/err"; kill -9 "$pid"; return 1; }
	kill -INT "$pid"
	poll 100 grep -q "no handler for SIGINT" "$T_TMP/err" || { fail "no first SIGINT"; kill -9 "$pid"; return 1; }
	kill -INT "$pid"
	bounded_wait "$pid"
	rc=$?
	expect_eq "status" "$rc" 137 || return 1
	expect_jf "$PUB/r.json" .status "killed by signal" && expect_jf "$PUB/r.json" .limit null &&
		expect_jf "$PUB/r.json" '.limits_hit | length' 0 || return 1
	# the case: the CPU time was past the limit
	in_range cpu_time "$(jf "$PUB/r.json" .cpu_time)" 0.95 100
}
t "a double Ctrl-C after the CPU time passed --cpu-time: 'killed by signal', no limit" t_double_int

# The wall-time limit kills a container whose CPU time is past --cpu-time (four children
# burn theirs, each killed at 1 s; --init reaps them, so their CPU time counts):
# limits_hit names the wall-time only.
t_wall_not_cpu() {
	need_isolate || return 1
	pub_dir || return 1
	run "$ISO" --init --net none --cpu-time 1 --wall-time 4 --report "$PUB/r.json" sh -c \
		"for i in 1 2 3 4; do (while :; do :; done) & done; wait; while :; do sleep 0.05; done"
	expect_rc 137 || return 1
	expect_jf "$PUB/r.json" .status "wall-time limit" &&
		expect_jf "$PUB/r.json" '.limits_hit | join(",")' wall-time
}
t "a wall-time kill does not list cpu-time in limits_hit" t_wall_not_cpu

done_testing
