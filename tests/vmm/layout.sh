# SPDX-License-Identifier: MIT
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
		expect_out "page tables: 4-level paging (PML4 -> PDPT -> PD -> PT); 3 levels walked (2 MiB pages); 3 table pages: 1 large (2 MiB) + 0 4 KiB pages, root (cr3) $root" &&
		expect_out "PD at gpa $(printf '0x%x' $((root + 0x2000)))" &&
		expect_out "[0-0] 1 x 2 MiB pages: gva 0x0-0x1fffff -> gpa 0x0-0x1fffff  P RW PS"
}

t_sizes_shape_tables() { # the tables follow the size: 4 KiB tail pages, a PD per GiB
	need_kvm
	run "$KHW" -l --layout --mem 3M
	expect_rc 0 && expect_out "3 levels walked to a 2 MiB page, 4 to a 4 KiB page; 4 table pages: 1 large (2 MiB) + 256 4 KiB pages" &&
		expect_out "[0-255] 256 x 4 KiB pages: gva 0x200000-0x2fffff" || return 1
	run "$KHW" -l --layout --mem 64K
	expect_rc 0 && expect_out "4 levels walked (4 KiB pages); 4 table pages: 0 large (2 MiB) + 16 4 KiB pages" &&
		expect_out "PT at gpa $(printf '0x%x' $((0x10000 - 0x7000 - 0x1000))) (hva" || return 1
	run "$KHW" -l --layout --mem 1026M
	expect_rc 0 && expect_out "3 levels walked (2 MiB pages); 4 table pages: 513 large (2 MiB) + 0 4 KiB pages" &&
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

# --classic: dpw/kvm-hello-world's long-mode layout, read back from the live VM: code at 0,
# PML4/PDPT/PD at 0x2000/0x3000/0x4000 with every entry user-accessible as there, one 2 MiB
# page, rsp at 2 MiB, the 8-byte result at 0x400 (its 42 checked as 8 bytes: a 4-byte
# write over other bytes there would fail), and KVM_TRANSLATE agreeing.
t_classic() {
	need_kvm
	run "$KHW" --classic --layout
	expect_rc 0 && expect_out "the classic example's layout (--classic)" &&
		expect_out "built-in 'hello' at 0x0-0x" && expect_out "entry 0x0" &&
		[ -n "$(field "$OUT" '^  image +gpa 0x00000000-0x00001fff ')" ] &&
		[ -n "$(field "$OUT" '^  result +gpa 0x00000400-0x00000407 ')" ] &&
		[ -n "$(field "$OUT" '^  page tables +gpa 0x00002000-0x00004fff .*3 tables of 4 KiB')" ] ||
		{ fail "regions"; show_output; return 1; }
	expect_out "rip=0x0 rsp=0x200000" && expect_out "cr3=0x2000 " &&
		expect_out "3 levels walked (2 MiB pages); 3 table pages: 1 large (2 MiB) + 0 4 KiB pages, root (cr3) 0x2000" &&
		expect_out "PML4 at gpa 0x2000 (hva" && expect_out "[0] -> PDPT at gpa 0x3000  P RW US" &&
		expect_out "[0] -> PD at gpa 0x4000  P RW US" &&
		expect_out "[0-0] 1 x 2 MiB pages: gva 0x0-0x1fffff -> gpa 0x0-0x1fffff  P RW US PS" &&
		expect_out "result     gva 0x400 -> PML4[0] -> PDPT[0] -> PD[0] (2 MiB page) -> gpa 0x400" || return 1
	n=$(printf '%s\n' "$OUT" | grep -c "KVM_TRANSLATE: gpa 0x[0-9a-f]* (agrees)")
	expect_eq "translations that agree" "$n" 3 && expect_out "Hello, world!"
}
t "--classic: the classic example's layout from the live VM (tables 0x2000-0x4fff, rsp 2 MiB, 0x400)" t_classic

t_classic_result_width() { # a flat image that writes 42 as 4 bytes over 0xff bytes: 8 are read
	need_kvm
	# mov eax,42; mov [0x400],eax; hlt, then 0xff up to past 0x408 (64-bit code)
	{ printf '\270\052\000\000\000\211\004\045\000\004\000\000\364'; head -c 2048 /dev/zero | tr '\000' '\377'; } >"$T_TMP/w4.bin"
	run "$KHW" "$T_TMP/w4.bin"
	expect_rc 0 || return 1
	run "$KHW" --classic "$T_TMP/w4.bin"
	expect_rc 1 && expect_err "check failed: guest-physical 0x400 holds 18446744069414584362 (0xffffffff0000002a), expected 42"
}
t "--classic checks the result as the classic example does in long mode: 8 bytes" t_classic_result_width

t_classic_refused() { # one line, the usage, status 2
	need_kvm
	for args in "-s" "-r" "-p" "--vcpus 2" "--smp" "--cpl 3"; do
		# shellcheck disable=SC2086
		run "$KHW" --classic $args
		expect_rc 2 && expect_err "--classic is the classic example's layout: long mode, ring 0, one vCPU" &&
			expect_err "usage:" || { fail "with $args"; return 1; }
	done
	# an image that reaches the tables at 0x2000 does not fit below them
	head -c 12288 /dev/zero >"$T_TMP/big.bin"
	run "$KHW" --classic "$T_TMP/big.bin"
	expect_rc 126
}
t "--classic with another mode, several vCPUs or ring 3 is a usage error; a 12 KiB image does not fit" t_classic_refused

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
	expect_rc 0 && expect_out "2-level paging (PD -> PT); 2 levels walked (4 KiB pages); 2 table pages: 0 large (4 MiB) + 512 4 KiB pages" || return 1
	run "$KHW" -p --layout --mem 8M
	expect_rc 0 && expect_out "1 level walked (4 MiB pages); 1 table page: 2 large (4 MiB)"
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
