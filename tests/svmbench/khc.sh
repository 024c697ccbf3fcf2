# SPDX-License-Identifier: MIT
# tests/svmbench/khc.sh: for make bench, inside the QEMU/SVM platform: the cost of an
# in-kernel hypercall against an exit to the VMM, printed, never asserted.
. "$(dirname "$0")/../lib.sh"

t_cost() {
	need_kvm
	run "$KHW" --khc "$(guest_elf 64 khc)" time 2000
	expect_rc 0 || return 1
	printf '%s\n' "$OUT" | sed 's/^/# figures: /'
}

t "in-kernel hypercall against an exit to the VMM (figures only)" t_cost
done_testing
