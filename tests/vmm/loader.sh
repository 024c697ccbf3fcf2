# SPDX-License-Identifier: MIT
# tests/vmm/loader.sh: guests from files: static ELF and flat images, and every way a
# file can be wrong: one clear line and status 126/127 (2 for arguments).
. "$(dirname "$0")/../lib.sh"

E64=$(guest_elf 64 hctest)
E32=$(guest_elf 32 hctest)

# patch FILE OFFSET OCTAL-BYTES: overwrites bytes of a copy in place.
patch() { printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null; }

bad_guest() { # bad_guest STATUS MESSAGE ARGS...
	st=$1 msg=$2; shift 2
	run "$KHW" "$@"
	expect_rc "$st" && expect_err "$msg" && expect_eq "stdout" "$OUT" "" &&
		expect_eq "stderr lines" "$(printf '%s\n' "$ERR" | wc -l)" 1
}

t_missing() { need_kvm; bad_guest 127 "guest '$T_TMP/nope': No such file or directory" "$T_TMP/nope"; }
t_directory() { need_kvm; bad_guest 126 "guest '$T_TMP' is a directory, not a regular file" "$T_TMP"; }
t_empty() { need_kvm; : >"$T_TMP/empty"; bad_guest 126 "the image is empty" "$T_TMP/empty"; }

t_wrong_class() {
	need_kvm
	bad_guest 126 "a 64-bit ELF cannot run in protected mode; use -l" -s "$E64" || return 1
	bad_guest 126 "a 32-bit ELF cannot run in long mode; use -s, -p or -r" -l "$E32"
}

t_wrong_machine() {
	need_kvm
	cp "$E64" "$T_TMP/arm.elf" && patch "$T_TMP/arm.elf" 18 '\050\000' # EM_ARM
	bad_guest 126 "ELF for machine 40, not x86 (x86-64)" "$T_TMP/arm.elf"
}

t_pie() {
	need_kvm
	cp "$E64" "$T_TMP/pie.elf" && patch "$T_TMP/pie.elf" 16 '\003\000' # ET_DYN
	bad_guest 126 "a position-independent ELF: link the guest -static -no-pie" "$T_TMP/pie.elf"
}

t_truncated() {
	need_kvm
	head -c 100 "$E64" >"$T_TMP/short.elf"
	bad_guest 126 "program headers lie outside the file" "$T_TMP/short.elf" || return 1
	head -c 20 "$E64" >"$T_TMP/tiny.elf"
	bad_guest 126 "truncated ELF header" "$T_TMP/tiny.elf"
}

t_entry_outside() {
	need_kvm
	cp "$E64" "$T_TMP/entry.elf" && patch "$T_TMP/entry.elf" 24 '\000\000\377\177\000\000\000\000'
	bad_guest 126 "entry point 0x7fff0000 is outside the loaded segments" "$T_TMP/entry.elf"
}

t_does_not_fit() { # hctest has 64 KiB of bss: not below the tables of a 64 KiB guest
	need_kvm
	bad_guest 126 "does not fit below 0x" --mem 64K "$E64" || return 1
	expect_err "try a larger --mem" || return 1
	head -c 3145728 /dev/zero >"$T_TMP/big.bin"
	bad_guest 126 "the 3145728-byte image does not fit below 0x" "$T_TMP/big.bin"
}

t_args_too_long() {
	need_kvm
	long=$(head -c 5000 /dev/zero | tr '\0' x)
	bad_guest 2 "guest arguments take" "$E64" args "$long"
}

# The classic example's images: flat, at 0, print on 0xE9, 42 at 0x400 and in rax.
t_flat_classic() {
	need_kvm
	for mb in -l:64 -s:32 -r:16; do
		run "$KHW" "${mb%%:*}" "$T_BUILD/guest/hello${mb##*:}.bin"
		expect_rc 0 && expect_eq "stdout" "$OUT" "Hello, world!" || return 1
	done
	run "$KHW" -l "$T_BUILD/guest/wrong64.bin"
	expect_rc 1 && expect_err "check failed: guest-physical 0x400 holds 7, expected 42"
}

t_elf_halt() { # ring 0: HLT ends the guest, status 0, no 42 check; ring 3: a fault
	need_kvm
	run "$KHW" --cpl 0 "$E64" halt
	expect_rc 0 || return 1
	run "$KHW" "$E64" halt
	expect_rc 122 && expect_err "general protection (#GP, vector 13) at rip 0x" &&
		expect_err "in ring 3, error code 0x0" && expect_err "cs=0x1b"
}

t_layout_of_elf() {
	need_kvm
	run "$KHW" --layout "$E64" args
	expect_rc 0 && expect_out "ELF64 file '$E64' at 0x1000-0x" &&
		expect_out "(2 segments), entry 0x1000" && expect_out "boot info  gva 0x"
}

t "missing GUEST file: 127" t_missing
t "a directory as GUEST: 126" t_directory
t "an empty GUEST file: 126" t_empty
t "an ELF of the wrong class for the mode" t_wrong_class
t "an ELF for another machine" t_wrong_machine
t "a position-independent ELF" t_pie
t "truncated ELF files" t_truncated
t "an entry point outside the segments" t_entry_outside
t "segments and images that do not fit memory" t_does_not_fit
t "guest arguments too long for the args page" t_args_too_long
t "flat classic images run unchanged, 42s checked" t_flat_classic
t "HLT: ends a ring-0 ELF guest (status 0), is a #GP in ring 3" t_elf_halt
t "--layout describes a loaded ELF" t_layout_of_elf
done_testing
