# SPDX-License-Identifier: MIT
# tests/vmm/stops.sh: --timeout, SIGINT, SIGTERM and SIGHUP end the whole VMM whatever its
# threads are blocked in: stdin with several vCPUs, a full stdout (one vCPU, several, the
# console ring), with the documented status and its line. No timing is asserted: each
# run must end by itself well inside a generous bound, or the test fails.
. "$(dirname "$0")/../lib.sh"

HC=$(guest_elf 64 hctest)
CAT=$(guest_elf 64 cat)
FLOOD=$(guest_elf 64 flood)

# Fresh FIFOs held open read-write by this shell: "in" never gets data nor EOF, "out" is
# never read, so a writer blocks once its buffer (64 KiB) is full.
fifos() {
	exec 7>&- 8>&-
	rm -f "$T_TMP/in" "$T_TMP/out"
	mkfifo "$T_TMP/in" "$T_TMP/out" || return 1
	exec 7<>"$T_TMP/in" 8<>"$T_TMP/out"
}

# ended PID: waits for PID to end by itself (60 s at most, a bound far above the one
# second the VMM promises, so never a timing assertion); its status in RC, its stderr in
# ERR. Fails, killing it, if it is still running.
ended() {
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
	if kill -0 "$1" 2>/dev/null; then
		kill -9 "$1"
		wait "$1"
		fail "still running after 60 s: the stop did not stop it"
		return 1
	fi
	wait "$1"
	RC=$?
	OUT=
	ERR=$(cat "$T_TMP/err")
}

# lines TEXT: how many lines of stderr say TEXT.
lines() { printf '%s\n' "$ERR" | grep -cF -- "$1"; }

t_timeout_stdin() { # two vCPUs blocked reading stdin (--smp and instances)
	need_kvm
	fifos || return 1
	for smp in --smp ""; do
		"$KHW" -t 0.5 $smp --vcpus 2 "$CAT" <"$T_TMP/in" >/dev/null 2>"$T_TMP/err" 7>&- 8>&- &
		ended $! || return 1
		expect_rc 124 && expect_err "guest still running after 0.5 s (--timeout); stopped it" || return 1
	done
}

t_timeout_full_stdout() { # stdout a full pipe: one vCPU, several, and with the ring
	need_kvm
	fifos || return 1
	for opts in "--vcpus 1" "--vcpus 3" "--ring" "--ring --vcpus 2"; do
		"$KHW" -t 0.5 $opts "$FLOOD" lines >"$T_TMP/out" 2>"$T_TMP/err" 7>&- 8>&- &
		ended $! || { fail "with $opts"; return 1; }
		expect_rc 124 && expect_err "guest still running after 0.5 s (--timeout); stopped it" ||
			{ fail "with $opts"; return 1; }
		fifos || return 1 # the next run gets an empty pipe
	done
}

stop_by() { # stop_by SIG NUM OPTS... : SIG while blocked, status 128+NUM and its line
	sig=$1 num=$2
	shift 2
	"$KHW" -t 0 "$@" >"$T_TMP/out" 2>"$T_TMP/err" <"$T_TMP/in" 7>&- 8>&- &
	pid=$!
	# whenever it comes once the VMM handles it (in the set-up, the layout or the run), the
	# signal must stop it; one sent before would end it by the default action, without a line
	vmm_guarding "$pid" || { kill -9 "$pid"; fail "no watchdog thread within 10 s"; return 1; }
	kill -"$sig" "$pid"
	ended "$pid" || return 1
	expect_rc $((128 + num)) && expect_eq "lines" "$(lines "stopped by signal $num")" 1
}

t_signals_blocked() { # SIGINT, SIGTERM, SIGHUP with stdin or stdout blocked
	need_kvm
	fifos || return 1
	stop_by INT 2 --smp --vcpus 2 "$CAT" || return 1
	stop_by TERM 15 --vcpus 2 "$CAT" || return 1
	stop_by HUP 1 --vcpus 2 "$FLOOD" lines || return 1
	fifos || return 1
	stop_by TERM 15 "$FLOOD" lines || return 1
	fifos || return 1
	stop_by INT 2 --ring "$FLOOD" lines
}

t_signal_during_layout() { # stdout full before the guest even starts (--layout of 32 VMs)
	need_kvm
	fifos || return 1
	stop_by TERM 15 --layout --vcpus 32 "$HC" args
}

t "--timeout with two vCPUs blocked reading stdin" t_timeout_stdin
t "--timeout with stdout a full pipe (one vCPU, three, --ring)" t_timeout_full_stdout
t "SIGINT, SIGTERM, SIGHUP with stdin or stdout blocked" t_signals_blocked
t "a signal while --layout blocks on a full stdout" t_signal_during_layout
done_testing
