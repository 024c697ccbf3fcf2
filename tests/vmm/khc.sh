# SPDX-License-Identifier: MIT
# tests/vmm/khc.sh: hypercalls answered inside KVM (--khc, the minivirt_khc module): on
# hardware KVM they cost the VMM no exit and KVM's counters see every one; where they hang
# or fault (kvm_pvm) the VMM refuses them in one line instead of running into them.
. "$(dirname "$0")/../lib.sh"

KHC=$(guest_elf 64 khc)

t_not_offered() { # without --khc the SDK never executes the instruction
	need_kvm
	run "$KHW" "$KHC"
	expect_rc 2 && expect_out "khc: not offered (run with --khc)"
}

t_refused_or_answered() {
	need_kvm
	run "$KHW" --khc --stats "$KHC" 1000
	if [ "$T_PLATFORM" = pvm ]; then
		expect_rc 121 && expect_err "kvm-hello-world: --khc: " &&
			expect_eq "stderr lines" "$(printf '%s\n' "$ERR" | wc -l)" 1
		return
	fi
	if [ ! -d /sys/module/minivirt_khc ]; then # hardware KVM without the module: refused
		khc_no_module
		return
	fi
	expect_rc 0 && expect_out "khc: ping 0x6d696e69 (minivirt_khc answered)" &&
		expect_out "khc: 1000 in-kernel hypercalls: exits to the VMM 0, KVM counted 1000 hypercalls" &&
		expect_out "khc: unknown number: -1; KVM's own KVM_HC_VAPIC_POLL_IRQ in ring 3: -1" &&
		expect_out "hypercalls answered inside KVM (vmcall/vmmcall): 100"
}

# khc_no_module: the refusal where the module is not loaded (the last run's), in one line.
# tests/svm loads it, so the answered path runs there.
khc_no_module() {
	expect_rc 121 && expect_err "kvm-hello-world: --khc: KVM answered 0x" &&
		expect_err "the minivirt_khc module is not loaded (insmod minivirt_khc.ko" &&
		expect_eq "stderr lines" "$(printf '%s\n' "$ERR" | wc -l)" 1
}

t_modes() { # 32-bit guests and ring 0; refused as a whole where in-kernel hypercalls are
	need_kvm
	if [ "$T_PLATFORM" = pvm ]; then # the probe refuses before any mode is set up
		run "$KHW" --khc "$KHC" 10
		refusal=$ERR
		expect_rc 121 && expect_err "kvm-hello-world: --khc: " || return 1
		run "$KHW" --khc -s "$(guest_elf 32 khc)" 10
		expect_rc 121 && expect_eq "stderr in -s" "$ERR" "$refusal" || return 1
		run "$KHW" --khc --cpl 0 "$KHC" 10
		expect_rc 121 && expect_eq "stderr in ring 0" "$ERR" "$refusal"
		return
	fi
	run "$KHW" --khc -s "$(guest_elf 32 khc)" 10
	if [ ! -d /sys/module/minivirt_khc ]; then khc_no_module; return; fi
	expect_rc 0 && expect_out "khc: 10 in-kernel hypercalls: exits to the VMM 0, KVM counted 10" ||
		return 1
	# In ring 0 KVM's own numbers work, and an unknown one gets -KVM_ENOSYS (in ring 3,
	# KVM refuses every one of its own with -KVM_EPERM before looking at the number).
	run "$KHW" --khc --cpl 0 "$KHC" 10
	expect_rc 0 && expect_out "khc: unknown number: -1000; KVM's own KVM_HC_VAPIC_POLL_IRQ in ring 0: 0"
}

t "without --khc no vmcall is executed" t_not_offered
t "--khc: refused in one line on kvm_pvm; answered in the kernel elsewhere" t_refused_or_answered
t "--khc in 32-bit mode and in ring 0: answered, or refused in one line as in 64-bit ring 3" t_modes
done_testing
