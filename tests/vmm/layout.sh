# tests/vmm/layout.sh: --layout figures against independent facts: arithmetic on the
# addresses it prints, the page-table shape each memory size implies, KVM_TRANSLATE.
. "$(dirname "$0")/../lib.sh"

hex() { printf '%s\n' "$1" | sed -n "s/.*$2 0x\([0-9a-f]*\).*/\1/p" | head -n 1; }

t_addresses() { # every region's hva = memory hva + its gpa
	need_kvm
	run "$KHW" --layout
	expect_rc 0 || return 1
	base=$((0x$(hex "$(field "$OUT" 'anonymous mmap at hva')" 'hva')))
	for r in image result 'page tables' gdt xstack args stack; do
		line=$(field "$OUT" "^  $r +gpa")
		gpa=$((0x$(hex "$line" gpa))); hva=$((0x$(hex "$line" hva)))
		[ $((base + gpa)) -eq "$hva" ] || { fail "$r: hva 0x$(hex "$line" hva) != base + gpa"; return 1; }
	done
	expect_out "built-in 'hello' at 0x0-0x" && expect_out "grows down from 0x200000" &&
		expect_out "rip=0x0 rsp=0x200000"
}

# The VMM's regions, from the top: stack 16 KiB, args 4 KiB, xstack 4 KiB, gdt 4 KiB, then
# the tables.
t_default_tables() { # 2 MiB in long mode: PML4, PDPT, PD holding one 2 MiB page
	need_kvm
	run "$KHW" -l --layout
	root=$(printf '0x%x' $((0x200000 - 0x4000 - 0x1000 - 0x1000 - 0x1000 - 3 * 0x1000)))
	expect_rc 0 &&
		expect_out "page tables: 4 levels (PML4 -> PDPT -> PD -> PT), 3 tables, 1 large (2 MiB) + 0 4 KiB pages, root (cr3) $root" &&
		expect_out "PD at gpa $(printf '0x%x' $((root + 0x2000)))" &&
		expect_out "[0-0] 1 x 2 MiB pages: gva 0x0-0x1fffff -> gpa 0x0-0x1fffff  P RW PS"
}

t_sizes_shape_tables() { # the tables follow the size: 4 KiB tail pages, a PD per GiB
	need_kvm
	run "$KHW" -l --layout --mem 3M
	expect_rc 0 && expect_out "4 tables, 1 large (2 MiB) + 256 4 KiB pages" &&
		expect_out "[0-255] 256 x 4 KiB pages: gva 0x200000-0x2fffff" || return 1
	run "$KHW" -l --layout --mem 64K
	expect_rc 0 && expect_out "4 tables, 0 large (2 MiB) + 16 4 KiB pages" &&
		expect_out "PT at gpa $(printf '0x%x' $((0x10000 - 0x7000 - 0x1000))) (hva" || return 1
	run "$KHW" -l --layout --mem 1026M
	expect_rc 0 && expect_out "4 tables, 513 large (2 MiB) + 0 4 KiB pages" &&
		expect_out "2 of 512 entries present" && expect_out "[0-511] 512 x 2 MiB pages: gva 0x0-0x3fffffff"
}

t_translations_agree() { # the software walk and KVM_TRANSLATE give the same gpa
	need_kvm
	for args in "-l" "-l --mem 3M" "-s" "-r"; do
		# shellcheck disable=SC2086
		run "$KHW" $args --layout
		expect_rc 0 || return 1
		n=$(printf '%s\n' "$OUT" | grep -c "KVM_TRANSLATE: gpa 0x[0-9a-f]* (agrees)")
		[ "$n" -eq 3 ] || { fail "$args: $n of 3 translations agree"; show_output; return 1; }
	done
	run "$KHW" -l --mem 3M --layout
	expect_out "stack top  gva 0x2ffff8 -> PML4[0] -> PDPT[0] -> PD[1] -> PT[255] (4 KiB page) -> gpa 0x2ffff8"
}

t_real_mode() {
	need_kvm
	run "$KHW" -r --layout
	expect_rc 0 && expect_out "page tables: none, paging is off" &&
		expect_out "ss: selector 0x0 base 0x0" && expect_out "grows down from 0xf000" &&
		expect_out "rsp=0xf000" && expect_out "16-bit"
}

t_paged32() { # on hardware KVM: PD + one PT, as 2 MiB is less than one 4 MiB page
	need_kvm
	run "$KHW" -p --layout
	if [ "$T_PLATFORM" = pvm ]; then # refused before any layout is shown
		expect_rc 121 && expect_eq "stdout" "$OUT" ""
		return
	fi
	expect_rc 0 && expect_out "2 levels (PD -> PT), 2 tables, 0 large (4 MiB) + 512 4 KiB pages" || return 1
	run "$KHW" -p --layout --mem 8M
	expect_rc 0 && expect_out "1 table, 2 large (4 MiB)"
}

t_kvm_run() {
	need_kvm
	run "$KHW" --layout
	line=$(field "$OUT" "kvm_run area:")
	size=$(printf '%s\n' "$line" | sed -n 's/.*area: \([0-9]*\) bytes.*/\1/p')
	[ -n "$size" ] && [ $((size % 4096)) -eq 0 ] && [ "$size" -ge 8192 ] ||
		{ fail "kvm_run size '$size'"; return 1; }
	expect_out "exit_reason 0 (UNKNOWN), the vCPU has not run yet"
}

t "region addresses: hva = memory hva + gpa" t_addresses
t "default long-mode tables: one 2 MiB page" t_default_tables
t "page tables follow the memory size" t_sizes_shape_tables
t "translations agree with KVM_TRANSLATE" t_translations_agree
t "real mode: stack below 64 KiB with SS = 0, no paging" t_real_mode
t "32-bit paging tables (hardware KVM; refused on kvm_pvm)" t_paged32
t "the kvm_run area is described" t_kvm_run
done_testing
