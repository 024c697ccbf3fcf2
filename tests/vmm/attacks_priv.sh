# SPDX-License-Identifier: MIT
# tests/vmm/attacks_priv.sh: hypercalls act with the guest's privilege. The hostile guest
# (tests/guests/hostile.c) runs in ring 3 and points each hypercall at the VMM's regions
# (its page tables, GDT, IDT, TSS), which are supervisor-only: every one is refused, as
# the CPU would refuse the access itself; and with --smp a second vCPU flips the end of a
# path while the first hands it to the VMM, which must copy it once.
. "$(dirname "$0")/../lib.sh"

S=$T_TMP/share
mkdir -p "$S"
printf 'sixteen bytes!!\n' >"$S/f"

# The ring-3 modes this platform runs: flag:bits (-s has no paging: the VMM keeps ring 3
# out of its regions by their addresses).
priv_modes() {
	echo "-l:64 -s:32"
	[ "$T_PLATFORM" = pvm ] || echo "-p:32"
}
each_priv_mode() {
	for mb in $(priv_modes); do
		"$1" "${mb%%:*}" "${mb##*:}" || { fail "in mode ${mb%%:*}"; return 1; }
	done
}

# layout_addr FLAG BITS WHAT: the address --layout shows for WHAT: tables (the first page
# table; the GDT page in -s), gdt, idt, tss (the exception-stack page), args.
layout_addr() {
	run "$KHW" "$1" --layout "$(guest_elf "$2" hostile)" none
	case $3 in
	tables) a=$(printf '%s\n' "$OUT" | sed -n 's/^  page tables  gpa \(0x[0-9a-f]*\)-.*/\1/p')
		[ -n "$a" ] || a=$(printf '%s\n' "$OUT" | sed -n 's/^  gdt  *gpa \(0x[0-9a-f]*\)-.*/\1/p') ;;
	gdt) a=$(printf '%s\n' "$OUT" | sed -n 's/^  gdt  *gpa \(0x[0-9a-f]*\)-.*/\1/p') ;;
	idt) a=$(printf '%s\n' "$OUT" | sed -n 's/.*idt: base \(0x[0-9a-f]*\) .*/\1/p') ;;
	tss) a=$(printf '%s\n' "$OUT" | sed -n 's/^  xstack  *gpa \(0x[0-9a-f]*\)-.*/\1/p') ;;
	args) a=$(printf '%s\n' "$OUT" | sed -n 's/^  args  *gpa \(0x[0-9a-f]*\)-.*/\1/p') ;;
	esac
	[ -n "$a" ] || { fail "--layout $1 shows no address for $3"; show_output; return 1; }
	printf '0x%x\n' $((a))
}

hostile() { # hostile FLAG BITS CASE ARGS...: runs the hostile guest in ring 3 over $S
	m=$1 b=$2; shift 2
	run "$KHW" "$m" --dir "$S" "$(guest_elf "$b" hostile)" "$@"
}

m_request_on_tables() { # get_num_exits with its request on the guest's own page table
	a=$(layout_addr "$1" "$2" tables) || return 1
	hostile "$1" "$2" req "$a" 2
	expect_rc 122 && expect_err "hypercall get_num_exits: request at guest-virtual $a" &&
		expect_err "is not mapped writable in guest memory for ring 3" || return 1
	case $OUT in *"came back"*) fail "the guest ran on"; return 1 ;; esac
}
t_request_on_tables() { need_kvm; each_priv_mode m_request_on_tables; }

m_request_on_tss() { # print_val with its request on the TSS page
	a=$(layout_addr "$1" "$2" tss) || return 1
	hostile "$1" "$2" req "$a" 1
	expect_rc 122 && expect_err "hypercall print_val: request at guest-virtual $a"
}
t_request_on_tss() { need_kvm; each_priv_mode m_request_on_tss; }

m_pread_into_idt() { # a DPL-3 gate would come next: nothing may land there
	a=$(layout_addr "$1" "$2" idt) || return 1
	hostile "$1" "$2" pread "$a"
	expect_rc 0 && expect_out "pread: -14" && expect_out "read: -14" || return 1
	a=$(layout_addr "$1" "$2" args) || return 1 # a user page: the same call works
	hostile "$1" "$2" pread $((a + 0x800))
	expect_rc 0 && expect_out "pread: 16"
}
t_pread_into_idt() { need_kvm; each_priv_mode m_pread_into_idt; }

m_sources_on_gdt() { # display, write, pwrite, readdir, open, mkdir, report on the GDT
	a=$(layout_addr "$1" "$2" gdt) || return 1
	hostile "$1" "$2" display "$a"
	expect_rc 0 && expect_eq "stdout" "$OUT" "display: -14" || return 1
	hostile "$1" "$2" write "$a"
	expect_rc 0 && expect_eq "stdout" "$OUT" "$(printf 'write: -14\npwrite: -14')" || return 1
	[ ! -s "$S/out" ] || { fail "the shared file got bytes"; return 1; }
	hostile "$1" "$2" readdir "$a"
	expect_rc 0 && expect_out "readdir: -14" || return 1
	hostile "$1" "$2" path "$a"
	expect_rc 0 && expect_out "open: -14" && expect_out "mkdir: -14" || return 1
	hostile "$1" "$2" report "$a"
	expect_rc 123 && expect_err "guest assertion failed at hostile.c:1: <bad pointer $a>"
}
t_sources_on_gdt() { need_kvm; each_priv_mode m_sources_on_gdt; }

t_ring0_may() { # the same request from ring 0 (--cpl 0) reaches the VMM's page: allowed
	need_kvm
	a=$(layout_addr -l 64 gdt) || return 1
	run "$KHW" -l --cpl 0 "$(guest_elf 64 hostile)" display "$a"
	expect_rc 0 && expect_out "display: " || return 1
	case $OUT in *"display: -14"*) fail "ring 0 was refused"; return 1 ;; esac
}

t_path_race() { # --smp: vCPU 1 flips the NUL ending a 4096-byte path; the VMM copies once
	need_kvm
	run "$KHW" -l --smp --vcpus 2 --dir "$S" "$(guest_elf 64 hostile)" race
	expect_rc 0 && expect_out "race: 2000 too long, 0 other"
}

t "ring 3: a request on its own page table is refused" t_request_on_tables
t "ring 3: a request on the TSS page is refused" t_request_on_tss
t "ring 3: pread and read into the IDT give -EFAULT" t_pread_into_idt
t "ring 3: display, write, readdir, paths and reports from the GDT page are refused" t_sources_on_gdt
t "ring 0: the same page is its own" t_ring0_may
t "--smp: a path changed during the call is copied once" t_path_race
done_testing
