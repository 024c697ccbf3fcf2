# SPDX-License-Identifier: MIT
# tests/vmm/output.sh: the guests' output: bounded memory per vCPU whatever a guest
# prints (a line longer than 4 KiB goes out in pieces), and lost output is a failure:
# /dev/full, a closed stdout, a reader gone (EPIPE), also with --stats and --layout.
. "$(dirname "$0")/../lib.sh"

FLOOD=$(guest_elf 64 flood)
HELLO=$(guest_elf 64 hello)

t_pieces() { # 1 MiB without a newline from each of 2 vCPUs: 4 KiB pieces, nothing lost
	need_kvm
	run "$KHW" --vcpus 2 "$FLOOD" nonl 1 </dev/null
	expect_rc 0 || return 1
	for i in 0 1; do
		n=$(printf '%s\n' "$OUT" | grep -c "^\[vcpu$i\] x*$")
		expect_eq "vcpu$i pieces" "$n" 256 || return 1
		x=$(printf '%s\n' "$OUT" | grep "^\[vcpu$i\] " | sed 's/^\[vcpu[0-9]\] //' | tr -d '\n' | wc -c)
		expect_eq "vcpu$i bytes" "$x" 1048576 || return 1
	done
	long=$(printf '%s\n' "$OUT" | awk 'length($0) > 4096 + 8' | wc -l)
	expect_eq "lines longer than a piece" "$long" 0
}

# peak_rss MIB: runs 4 vCPUs that each write MIB MiB without a newline and then wait for
# stdin; prints the VMM's peak RSS (VmHWM, kB) read while it still runs.
peak_rss() {
	rm -f "$T_TMP/in" && mkfifo "$T_TMP/in" && exec 7<>"$T_TMP/in" || return 1
	"$KHW" -t 0 --vcpus 4 "$FLOOD" nonl "$1" <"$T_TMP/in" >/dev/null 2>"$T_TMP/err" 7>&- &
	pid=$!
	i=0 # the guests say "done" on stderr, then wait for stdin: the VMM is still there
	while [ "$(grep -c 'flood: done' "$T_TMP/err")" -lt 4 ] && [ $i -lt 1200 ] &&
		kill -0 "$pid" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	sed -n 's/^VmHWM:[^0-9]*\([0-9]*\) kB/\1/p' "/proc/$pid/status" 2>/dev/null
	exec 7>&- # EOF on stdin: the guests end
	wait "$pid"
}

t_bounded_rss() { # 4 vCPUs x 8 MiB without a newline: the peak RSS of 4 x 0 MiB, nearly
	need_kvm
	base=$(peak_rss 0) && big=$(peak_rss 8) || { fail "a run failed"; return 1; }
	[ -n "$base" ] && [ -n "$big" ] || { fail "the VMM ended before its peak RSS could be read"; return 1; }
	echo "# peak RSS ${base} kB with no output, ${big} kB with 32 MiB"
	# Keeping the output would take 32 MiB and more; the cap, 12 MiB over the run without
	# output, is far above what the 4 x 4 KiB buffers need.
	[ "$big" -lt $((base + 12288)) ] || { fail "peak RSS grew by $((big - base)) kB for 32 MiB of output"; return 1; }
}

t_dev_full() { # ENOSPC: one vCPU, several, with --stats, with --layout
	need_kvm
	for opts in "" "--vcpus 3" "--stats" "--layout" "--ring"; do
		timeout -k 5 60 "$KHW" $opts "$HELLO" >/dev/full 2>"$T_TMP/err"
		RC=$?
		ERR=$(cat "$T_TMP/err")
		expect_rc 125 && expect_err "cannot write the guest's output to standard output: No space left on device" &&
			expect_eq "lines on stderr" "$(grep -c . "$T_TMP/err")" 1 || { fail "with '$opts'"; return 1; }
	done
}

t_closed_stdout() { # EBADF: stdout closed, whatever fd the VMM opens next
	need_kvm
	for opts in "" "--vcpus 2" "--stats"; do
		timeout -k 5 60 "$KHW" $opts "$HELLO" >&- 2>"$T_TMP/err"
		RC=$?
		ERR=$(cat "$T_TMP/err")
		expect_rc 125 && expect_err "cannot write the guest's output to standard output: Bad file descriptor" ||
			{ fail "with '$opts'"; return 1; }
	done
}

t_epipe() { # the reader goes away while the guests print forever: EPIPE ends the run
	need_kvm
	for opts in "" "--vcpus 2"; do
		{ timeout -k 5 60 "$KHW" -t 0 $opts "$FLOOD" lines 2>"$T_TMP/err"; echo $? >"$T_TMP/rc"; } | head -n 5 >/dev/null
		RC=$(cat "$T_TMP/rc")
		ERR=$(cat "$T_TMP/err")
		expect_rc 125 && expect_err "cannot write the guest's output to standard output: Broken pipe" &&
			expect_eq "lines on stderr" "$(grep -c . "$T_TMP/err")" 1 || { fail "with '$opts'"; return 1; }
	done
}

t_stderr_full() { # the guest's own writes to fd 2 fail: a failure too (no line can be read)
	need_kvm
	timeout -k 5 60 "$KHW" "$FLOOD" nonl 0 </dev/null >"$T_TMP/out" 2>/dev/full
	RC=$?
	expect_rc 125
}

t "a line without end goes out in 4 KiB pieces, whole" t_pieces
t "bounded memory: 32 MiB without a newline from 4 vCPUs" t_bounded_rss
t "stdout /dev/full (ENOSPC): status 125 and one line" t_dev_full
t "stdout closed (EBADF): status 125 and one line" t_closed_stdout
t "stdout's reader gone (EPIPE): status 125 and one line" t_epipe
t "stderr /dev/full: status 125" t_stderr_full
done_testing
