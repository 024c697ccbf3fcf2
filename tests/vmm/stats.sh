# SPDX-License-Identifier: MIT
# tests/vmm/stats.sh: --stats figures against independent facts: the greeting's length,
# and KVM's own per-vCPU counters.
. "$(dirname "$0")/../lib.sh"

t_greeting_exits() {
	need_kvm
	for m in -l -s -r; do
		run "$KHW" "$m" --stats
		expect_rc 0 || return 1
		greeting=$(printf '%s\n' "$OUT" | head -n 1)
		len=$(( $(printf '%s\n' "$greeting" | wc -c) )) # with its newline, as the guest sends it
		expect_eq "$m greeting" "$greeting" "Hello, world!" &&
			expect_out "exits to the VMM: $((len + 1))" &&
			expect_out "console (port 0xE9): $len bytes in $len exits, one exit per byte" &&
			expect_out "HLT              1" || return 1
	done
}

# kvm_pvm counts every exit but not io_exits; hardware KVM counts io_exits; either's
# total also holds exits it handled itself.
t_kvm_agrees() {
	need_kvm
	run "$KHW" --stats
	expect_rc 0 || return 1
	if printf '%s\n' "$OUT" | grep -q "KVM's own counters: not available"; then
		skip "this KVM has no KVM_GET_STATS_FD"
	fi
	expect_out "HLT exits  VMM 1, KVM 1: agree" || return 1
	if printf '%s\n' "$OUT" | grep -q DIFFER; then fail "a counter differs"; show_output; return 1; fi
	case $T_PLATFORM in
	pvm) # KVM's total also counts the exits it handled itself (a host interrupt, more of
		# them on a loaded host): the VMM's 15, and KVM's no fewer ("agree" says so).
		printf '%s\n' "$OUT" | grep -qE '^  all exits  VMM 15, KVM [0-9]+: agree' ||
			{ fail "all exits: not VMM 15 and an agreeing KVM total"; show_output; return 1; } ;;
	*) expect_out "I/O exits  VMM 14, KVM 14: agree" ;;
	esac
}

t_stats_on_failure() { # the figures are printed even when the guest crashes
	need_kvm
	run "$KHW" --guest badport --stats
	expect_rc 122 && expect_out "exits to the VMM: 1" && expect_out "IO               1"
}

t "the greeting takes length+1 exits (one per byte, one HLT) in -l -s -r" t_greeting_exits
t "exit counts agree with KVM_GET_STATS_FD" t_kvm_agrees
t "--stats also after a guest fault" t_stats_on_failure
done_testing
