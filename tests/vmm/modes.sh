# SPDX-License-Identifier: MIT
# tests/vmm/modes.sh: the built-in hello world in every CPU mode and memory size.
. "$(dirname "$0")/../lib.sh"

greets() { # greets FLAGS...: runs the hello guest, expects the greeting and status 0
	run "$KHW" "$@"
	expect_rc 0 && expect_eq "stdout" "$OUT" "Hello, world!" && expect_eq "stderr" "$ERR" ""
}

t_long() { need_kvm; greets -l; }
t_default_is_long() { need_kvm; run "$KHW" --layout; expect_rc 0 && expect_out "long mode (-l)"; }
t_protected() { need_kvm; greets -s; }
t_real() { need_kvm; greets -r; }

# kvm_pvm refuses 32-bit paging; hardware KVM runs it.
t_paged() {
	need_kvm
	run "$KHW" -p
	if [ "$T_PLATFORM" = pvm ]; then
		expect_rc 121 && expect_eq "stdout" "$OUT" "" &&
			expect_eq "stderr" "$ERR" \
			"kvm-hello-world: 32-bit paging (-p) is not supported by this host's KVM; use -l"
	else
		expect_rc 0 && expect_eq "stdout" "$OUT" "Hello, world!"
	fi
}

t_sizes() { # the layout adapts to the memory size, in every mode the platform runs
	need_kvm
	modes="-l -s -r"
	[ "$T_PLATFORM" = pvm ] || modes="$modes -p"
	for m in $modes; do
		for size in 64K 1M 3M 6M 1028K 1G 2G; do
			run "$KHW" "$m" --mem "$size"
			[ "$RC" -eq 0 ] && [ "$OUT" = "Hello, world!" ] ||
				{ fail "$m --mem $size"; show_output; return 1; }
		done
	done
}

t "long mode (-l) greets, 42 checked" t_long
t "long mode is the default" t_default_is_long
t "protected mode (-s) greets" t_protected
t "real mode (-r) greets" t_real
t "32-bit paging (-p): refused clearly on kvm_pvm, runs on hardware KVM" t_paged
t "64K..2G of memory in every supported mode" t_sizes
done_testing
