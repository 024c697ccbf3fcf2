# SPDX-License-Identifier: MIT
# tests/vmm/iopl.sh: ring 3 runs with IOPL 0 and reaches exactly the ABI's ports (its TSS's
# I/O bitmap); cli, sti, hlt, any other port and a forged exception report are refused by the
# CPU with a #GP the VMM names (status 122), or by the VMM itself. tests/guests/privtest.c
# tries each; a try the CPU lets through ends in the guest's own failure report (123).
. "$(dirname "$0")/../lib.sh"

# The protected modes this platform runs, as flag:bits (kvm_pvm refuses -p: modes.sh).
prot_modes() {
	echo "-l:64 -s:32"
	[ "$T_PLATFORM" = pvm ] || echo "-p:32"
}
priv() { # priv FLAG BITS ARGS...: privtest in that mode, ring 3 unless ARGS say --cpl
	f=$1 b=$2
	shift 2
	run "$KHW" "$f" "$@"
}
# expect_gp WHAT: the guest tried WHAT and the CPU answered with a #GP in ring 3.
expect_gp() {
	expect_rc 122 && expect_out "trying $1 from ring 3" &&
		expect_err "general protection (#GP, vector 13) at rip 0x" &&
		expect_err "in ring 3, error code 0x0" && expect_err "cs=0x1b"
}

t_starts_iopl0() {
	need_kvm
	for mb in $(prot_modes); do
		m=${mb%%:*} b=${mb##*:}
		run "$KHW" "$m" --layout "$(guest_elf "$b" privtest)" iopl
		expect_rc 0 && expect_out "rflags=0x2 (IOPL 0)" && expect_out "ring 3, IOPL 0" || return 1
		run "$KHW" "$m" "$(guest_elf "$b" privtest)" popf
		expect_rc 0 && expect_eq "$m popf" "$OUT" "IOPL after popf: 0" || return 1
	done
}

t_cli_sti_hlt() {
	need_kvm
	for mb in $(prot_modes); do
		m=${mb%%:*} b=${mb##*:}
		for insn in cli sti hlt; do
			run "$KHW" "$m" "$(guest_elf "$b" privtest)" $insn
			expect_gp "$insn" || { fail "$m $insn"; return 1; }
		done
	done
}

# Ports outside the ABI: the classic attacks (POST codes, PCI configuration, the keyboard
# controller) and those next to each ABI port; wider accesses that start inside the ABI's
# ports and end outside them. (tests/unit/unit_traps.c checks every port and width against
# the bitmap; this is the CPU agreeing.)
t_other_ports() {
	need_kvm
	pt=$(guest_elf 64 privtest)
	for p in 0x80 0xcf8 0xe8 0xea 0x4ef 0x4f4 0x4ff 0x603 0xffff; do
		run "$KHW" "$pt" out $p
		expect_gp "outb $p" || { fail "out $p"; return 1; }
	done
	for p in 0x60 0x4ff 0x603; do
		run "$KHW" "$pt" in $p
		expect_gp "inb $p" || { fail "in $p"; return 1; }
	done
	for ps in 0xe9:2 0x4f2:4 0x602:2 0x4fe:4; do
		p=${ps%%:*} s=${ps##*:}
		run "$KHW" "$pt" out "$p" "$s"
		expect_gp "out$( [ "$s" = 2 ] && echo w || echo l) $p" || { fail "out $p, $s bytes"; return 1; }
	done
}
t_other_ports_32() { # the same bitmap from a 32-bit TSS
	need_kvm
	for mb in $(prot_modes); do
		m=${mb%%:*} b=${mb##*:}
		[ "$b" = 32 ] || continue
		for a in "out 0x80" "in 0x60" "out 0x4ff" "out 0x603"; do
			set -- $a
			run "$KHW" "$m" "$(guest_elf "$b" privtest)" "$1" "$2"
			expect_gp "${1}b $2" || { fail "$m $a"; return 1; }
		done
	done
}

# The exception-report port: ring 3 cannot write to it (not in its bitmap), and a report
# that is not from the VMM's stub in ring 0 is refused, never printed as an exception.
t_forged_report() {
	need_kvm
	for mb in $(prot_modes); do
		m=${mb%%:*} b=${mb##*:}
		pt=$(guest_elf "$b" privtest)
		run "$KHW" "$m" "$pt" out 0xeb
		expect_gp "outb 0xeb" || { fail "$m out 0xeb"; return 1; }
		run "$KHW" "$m" "$pt" forge
		expect_gp "a forged exception report" || { fail "$m forge, ring 3"; return 1; }
		run "$KHW" "$m" --cpl 0 "$pt" forge
		expect_rc 122 && expect_out "trying a forged exception report from ring 0" &&
			expect_err "unhandled I/O: out to the exception-report port 0xeb from ring 0 at rip 0x" &&
			expect_err "not from the VMM's stubs: refused" || { fail "$m forge, ring 0"; return 1; }
		case $ERR in *"page fault"* | *7eadbeef*) fail "$m: the forged report was believed"; return 1 ;; esac
	done
	# Real mode has no stubs at all: every write to the port is refused.
	run "$KHW" -r "$(guest_elf 16 privtest)" forge
	expect_rc 122 && expect_err "out to the exception-report port 0xeb from ring 0 at rip 0x" &&
		expect_err "not from the VMM's stubs: refused" || { fail "-r forge"; return 1; }
}

# The ABI's ports still work from ring 3: the console byte port, display and print_val,
# the doorbell (a 32-bit out that reaches the VMM without --ring), a hypercall number past
# the VMM's (named, not a #GP, up to the last port).
t_abi_ports() {
	need_kvm
	for mb in $(prot_modes); do
		m=${mb%%:*} b=${mb##*:}
		run "$KHW" "$m" "$(guest_elf "$b" hctest)" exits
		expect_rc 0 && expect_out "display: 1 exit(s), bytes: 14 exits" && expect_out "exits ok" ||
			{ fail "$m exits"; return 1; }
		run "$KHW" "$m" "$(guest_elf "$b" privtest)" out 0x4f0 4
		expect_rc 122 && expect_err "unhandled I/O: out to port 0x4f0, 4 byte(s) x 1" ||
			{ fail "$m doorbell"; return 1; }
		run "$KHW" "$m" "$(guest_elf "$b" privtest)" out 0x5ff 4
		expect_rc 122 && expect_err "unknown hypercall 255 (port 0x5ff)" ||
			{ fail "$m out 0x5ff"; return 1; }
	done
}

t "ring 3 starts with IOPL 0 and popf cannot raise it" t_starts_iopl0
t "cli, sti, hlt from ring 3: #GP, named, status 122" t_cli_sti_hlt
t "ports outside the ABI from ring 3 (0x80, 0x60, next to each ABI port): #GP" t_other_ports
t "the same from a 32-bit TSS (-s, -p)" t_other_ports_32
t "a forged exception report: #GP from ring 3, refused from ring 0 and real mode" t_forged_report
t "the ABI's ports work from ring 3 (console, hypercalls, doorbell, 0x5ff)" t_abi_ports
done_testing
