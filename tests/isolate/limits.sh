#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/isolate/limits.sh: hostile programs against the limits: a fork bomb held to
# --processes and cleaned up, a memory hog stopped at --memory, endless loops stopped by
# --cpu-time and --wall-time, files past --file-size, descriptors past --open-files, a
# recursion past --stack; each named in the report, with figures that fit what it did.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/iso.inc"

R=$T_TMP/report.json

t_forkbomb() {
	need_isolate && need_progs || return 1
	"$ISO" --net none --processes 20 --wall-time 2 --report "$R" "$PROGS/forkbomb" &
	pid=$!
	ns=$(bomb_ns "$pid") || { fail "no container seen under isolate $pid"; return 1; }
	max=$(count_bomb "$pid" "$ns")
	bounded_wait "$pid"
	rc=$?
	expect_eq "status" "$rc" 137 || return 1
	[ "$max" -ge 2 ] && [ "$max" -le 20 ] ||
		{ fail "the host saw $max forkbomb processes at once (limit 20)"; return 1; }
	# gone with its PID 1: nothing left running, at once
	expect_eq "forkbomb processes left" "$(bombs_in "$ns")" 0 || return 1
	expect_jf "$R" .status "wall-time limit" && expect_jf "$R" .limit wall-time &&
		expect_jf "$R" '.limits_hit | join(",")' "wall-time,processes" || return 1
	peak=$(jf "$R" .peak_processes) && in_range "peak_processes" "$peak" 2 20
}
t "a fork bomb stays within --processes 20, the wall-time limit ends it, nothing is left" \
	t_forkbomb

t_nproc_root() {
	need_isolate || return 1
	need_root
	# the kernel exempts the host's root user from RLIMIT_NPROC; as root the container's
	# root is a slot of the unprivileged pool, whose processes it counts, and files it
	# makes are that uid's
	mkdir "$T_TMP/w" && chmod 777 "$T_TMP/w"
	run "$ISO" --net none --processes 10 sh -c "cat /proc/self/uid_map; id -u; touch $T_TMP/w/f"
	expect_rc 0 && expect_slot_map "$(printf '%s\n' "$OUT" | head -n 1)" &&
		expect_eq "uid inside" "$(printf '%s\n' "$OUT" | sed -n 2p)" 0 &&
		expect_eq "owner on the host" "$(stat -c %u "$T_TMP/w/f")" \
			"$(printf '%s\n' "$OUT" | head -n 1 | awk '{ print $2 }')" || return 1
	# nine more processes fit beside sh, the tenth fork fails (dash stops: status 2)
	run "$ISO" --net none --processes 10 sh -c \
		'for i in 1 2 3 4 5 6 7 8 9 10 11 12; do sleep 5 & echo $i; done'
	expect_rc 2 && expect_eq "forks that worked" "$(printf '%s\n' "$OUT" | tr '\n' ' ')" \
		"1 2 3 4 5 6 7 8 9 " && expect_eq "stderr" "$ERR" "sh: 0: Cannot fork" || return 1
	# the host's root would not be counted: refused
	run "$ISO" --net none --map-host-root --processes 10 true
	expect_rc 125 && expect_err "--processes with --map-host-root" && expect_one_line
}
t "as root, --processes counts the container's slot uid (RLIMIT_NPROC spares only root)" \
	t_nproc_root

t_memhog() {
	need_isolate && need_progs || return 1
	run "$ISO" --net none --memory 64M --report "$R" "$PROGS/memhog"
	expect_rc 3 && expect_out "memhog: malloc failed after" || return 1
	expect_jf "$R" .status "memory limit" && expect_jf "$R" .limit memory &&
		expect_jf "$R" .limit_exact false && expect_jf "$R" .exit_code 3 || return 1
	rss=$(jf "$R" .peak_rss_kib) && in_range "peak_rss_kib" "$rss" $((48 * 1024)) $((64 * 1024))
}
t "a memory hog stopped at --memory 64M, reported as a memory limit" t_memhog

t_memory_ok() {
	need_isolate && need_progs || return 1
	# 100 MiB touched: the peak RSS says at least that, under no limit and under 1G
	run "$ISO" --net none --report "$R" "$PROGS/memhog" 100
	expect_rc 0 && expect_jf "$R" .status ok || return 1
	rss=$(jf "$R" .peak_rss_kib) && in_range "peak_rss_kib" "$rss" 102400 $((200 * 1024)) ||
		return 1
	run "$ISO" --net none --memory 1G --report "$R" "$PROGS/memhog" 100
	expect_rc 0 && expect_jf "$R" .status ok && expect_jf "$R" .limit null
}
t "100 MiB allocated and touched: peak RSS >= 100 MiB, status ok" t_memory_ok

t_cpu() {
	need_isolate || return 1
	for init in "" --init; do
		run "$ISO" $init --net none --cpu-time 1 --report "$R" sh -c 'while :; do :; done'
		expect_rc 137 || return 1
		expect_jf "$R" .status "time limit" && expect_jf "$R" .limit cpu-time &&
			expect_jf "$R" .signal_name SIGKILL || return 1
		# rusage's exact time; the kernel killed it at 1 s of ticks, which a loaded
		# machine hands out generously (isolate/outcome.c: half of the limit counts)
		cpu=$(jf "$R" .cpu_time) && in_range "cpu_time $init" "$cpu" 0.5 3 || return 1
	done
}
t "an endless loop stopped by --cpu-time 1: time limit, CPU time about 1 s" t_cpu

t_wall() {
	need_isolate || return 1
	mark="iso-wall-$$"
	run "$ISO" --net none --wall-time 0.5 --report "$R" sh -c "sleep 100; : $mark"
	expect_rc 137 && expect_jf "$R" .status "wall-time limit" &&
		expect_jf "$R" .limit wall-time && expect_jf "$R" .limit_exact true || return 1
	wall=$(jf "$R" .wall_time) && in_range wall_time "$wall" 0.5 5 || return 1
	cpu=$(jf "$R" .cpu_time) && in_range cpu_time "$cpu" 0 0.3 || return 1
	expect_no_procs "$mark" || return 1
	# a busy loop, and its children, all of them: the whole container
	run "$ISO" --init --net none --wall-time 0.5 --report "$R" sh -c \
		"(while :; do :; done) & while :; do :; done; : $mark"
	expect_rc 137 && expect_jf "$R" .status "wall-time limit" || return 1
	# how much CPU the loops got depends on the machine's load; what holds on any machine:
	# they ran, and two loops on at most $(nproc) CPUs used no more than nproc x wall_time
	wall=$(jf "$R" .wall_time) && cpu=$(jf "$R" .cpu_time) || return 1
	in_range "cpu_time of two loops" "$cpu" 0.001 \
		"$(awk -v w="$wall" -v n="$(nproc)" 'BEGIN { print n * w + 0.1 }')" || return 1
	expect_no_procs "$mark"
}
t "--wall-time 0.5 kills the whole container (sleeping or spinning): wall-time limit" t_wall

t_file_size() {
	need_isolate || return 1
	# under --init dd is an ordinary process and dies of SIGXFSZ (as PID 1 it would
	# not: the kernel drops signals a PID 1 has no handler for, and write fails EFBIG)
	run "$ISO" --init --net none --file-size 4K --report "$R" \
		dd if=/dev/zero of="$T_TMP/big" bs=1K count=10
	expect_rc 153 && expect_jf "$R" .signal_name SIGXFSZ && expect_jf "$R" .limit file-size &&
		expect_jf "$R" .limit_exact true || return 1
	expect_eq "file size" "$(stat -c %s "$T_TMP/big")" 4096
}
t "--file-size 4K: a writer past it dies of SIGXFSZ, the file stops at 4 KiB" t_file_size

t_open_files() {
	need_isolate && need_progs || return 1
	run "$ISO" --net none --open-files 50 --report "$R" "$PROGS/fdhog"
	expect_rc 3 && expect_out "fdhog: " || return 1
	# the last descriptor a process may have is 49
	expect_eq "the last fd" "${OUT##* }" 49 || return 1
	expect_jf "$R" .status "runtime error" && expect_jf "$R" .limit open-files &&
		expect_jf "$R" .limit_exact false
}
t "--open-files 50: the 51st open fails (EMFILE); the report names the limit" t_open_files

t_stack() {
	need_isolate && need_progs || return 1
	run "$ISO" --net none --stack 1M "$PROGS/recurse" 512
	expect_rc 0 && expect_out "512 KiB of stack used" || return 1
	run "$ISO" --net none --stack 1M --report "$R" "$PROGS/recurse"
	expect_rc 139 && expect_jf "$R" .signal_name SIGSEGV && expect_jf "$R" .limit stack || return 1
	rss=$(jf "$R" .peak_rss_kib) && in_range peak_rss_kib "$rss" 768 8192 || return 1
	run "$ISO" --net none --stack 4M "$PROGS/recurse" 2048
	expect_rc 0
}
t "--stack 1M: 512 KiB of recursion fit, more is a SIGSEGV the report puts on the stack" t_stack

t_several() {
	need_isolate && need_progs || return 1
	# every limit at once, none reached: status ok, nothing hit
	run "$ISO" --init --net none --cpu-time 5 --wall-time 10 --memory 512M --processes 50 \
		--file-size 1M --open-files 100 --stack 8M --report "$R" sh -c 'echo ok >/dev/null'
	expect_rc 0 && expect_jf "$R" .status ok && expect_jf "$R" .limit null &&
		expect_jf "$R" '.limits_hit | length' 0 &&
		expect_jf "$R" '.limits | keys | join(",")' \
			"cpu-time,file-size,memory,open-files,processes,stack,wall-time"
}
t "every limit at once, none reached: ok, nothing hit" t_several

t_verbose() {
	need_isolate || return 1
	run "$ISO" --verbose --net none --cpu-time 2 --memory 100M --processes 9 --wall-time 5 true
	expect_rc 0 && expect_err "limit --cpu-time: RLIMIT_CPU" &&
		expect_err "limit --memory: RLIMIT_AS" && expect_err "limit --processes: RLIMIT_NPROC" &&
		expect_err "limit --wall-time: isolate's own timer" || return 1
	# without a delegated cgroup v2 (this machine: cgroup v1): none used, said, and what is
	# approximate; with one, it is named (tests/isolate/cgroup.sh has the details)
	if host_has_delegation; then
		expect_err "cgroup v2: delegated cgroup v2 at"
	else
		expect_err "cgroup v2: not used: /sys/fs/cgroup is" &&
			expect_err "approximate: cpu-time, memory, processes"
	fi
}
t "--verbose says what enforces each limit, and whether a cgroup v2 is used" t_verbose

done_testing
