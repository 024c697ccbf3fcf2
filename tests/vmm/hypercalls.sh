# SPDX-License-Identifier: MIT
# tests/vmm/hypercalls.sh: the hypercall ABI end to end, with the SDK test guest
# (tests/guests/hctest.c) in every mode the platform runs.
. "$(dirname "$0")/../lib.sh"

hc() { # hc FLAG BITS ARGS...: runs hctest
	m=$1 b=$2; shift 2
	run "$KHW" "$m" "$(guest_elf "$b" hctest)" "$@"
}

m_display_one_exit() {
	hc "$1" "$2" exits
	expect_rc 0 && expect_out "display: 1 exit(s), bytes: 14 exits" && expect_out "exits ok"
}
t_display_one_exit() { need_kvm; each_mode m_display_one_exit; }

m_args() {
	hc "$1" "$2" args "two words" "" -x
	expect_rc 0 && expect_out "argc=5" && expect_out "argv[1]=<args>" &&
		expect_out "argv[2]=<two words>" && expect_out "argv[3]=<>" && expect_out "argv[4]=<-x>"
}
t_args() { need_kvm; each_mode m_args; }

m_print_val() {
	hc "$1" "$2" printval
	expect_rc 0 && expect_eq "stdout" "$OUT" "$(printf '0\n4294967295')"
}
t_print_val() { need_kvm; each_mode m_print_val; }

m_exit_status() {
	hc "$1" "$2" exit 7 && expect_rc 7 || return 1
	hc "$1" "$2" exit 300 && expect_rc 44 # status & 0xff
}
t_exit_status() { need_kvm; each_mode m_exit_status; }

m_wild() { # bad string pointers come back as -HC_EFAULT (-14), the guest runs on
	hc "$1" "$2" wild
	expect_rc 0 && expect_out "wild: -14" && expect_out "wrap: -14"
}
t_wild() { need_kvm; each_mode m_wild; }

t_no_nul() { # a string running to the end of memory without a NUL: -14, nothing printed
	need_kvm
	for mb in -l:64 -s:32; do
		hc "${mb%%:*}" "${mb##*:}" nonul
		expect_rc 0 && expect_eq "stdout" "$OUT" "nonul: -14" || return 1
	done
}

t_cross_page() { # from a 2 MiB page into a 4 KiB page, one exit
	need_kvm
	run "$KHW" -l --mem 3M "$(guest_elf 64 hctest)" crosspage
	expect_rc 0 && expect_eq "stdout" "$OUT" "$(printf 'across a page boundary\nret: 23')"
}

t_big_string() { # 64 KiB in one display() exit
	need_kvm
	hc -l 64 big 65536
	expect_rc 0 && expect_out "big: 65536 bytes in 1 exit(s)" || return 1
	n=$(printf '%s\n' "$OUT" | head -n 1 | tr -d '\n' | wc -c)
	expect_eq "bytes printed" "$n" 65536
}

m_printf() {
	hc "$1" "$2" printf
	expect_rc 0 &&
		expect_out "[-42|7|3000000000|beef|BEEF|10|z|str|%]" &&
		expect_out "[   42|42   |00042|+42| 42|007]" &&
		expect_out "[-9000000000000000000|18000000000000000000|123456789abcdef]" &&
		expect_out "[      ab|ab      |ab|   9|9   ]" &&
		expect_out "[0xff|010|44|4464|12]" && expect_out "[0x1234]"
}
t_printf() { need_kvm; each_mode m_printf; }

m_assert() {
	hc "$1" "$2" assert
	expect_rc 123 &&
		expect_err "vcpu0: guest assertion failed at tests/guests/hctest.c:" &&
		expect_err "assertion 'argc == 99' failed"
}
t_assert() { need_kvm; each_mode m_assert; }

t_bad_request() { # the request struct itself unmapped: the guest is stopped, reported
	need_kvm
	hc -l 64 badreq
	expect_rc 122 &&
		expect_err "hypercall print_val: request at guest-virtual 0xdead0000 (8 bytes) is not mapped" &&
		expect_err "rip=0x"
}

t_unknown_hypercalls() {
	need_kvm
	hc -l 64 unknown
	expect_rc 122 && expect_err "unknown hypercall 77 (port 0x54d)" || return 1
	hc -l 64 reserved
	expect_rc 122 && expect_err "unknown hypercall 0 (port 0x500)" || return 1
	hc -l 64 inport
	expect_rc 122 && expect_err "needs one 32-bit out, got an in of 4 byte(s)" || return 1
	hc -l 64 byteout
	expect_rc 122 && expect_err "needs one 32-bit out, got an out of 1 byte(s)"
}

t_stats_per_hypercall() {
	need_kvm
	run "$KHW" --stats "$(guest_elf 64 hctest)" exits
	expect_rc 0 && expect_out "hypercalls: " &&
		expect_out "get_num_exits 4" && expect_out "report 1"
}

t_example_guests() { # the examples shipped with the SDK
	need_kvm
	run "$KHW" "$(guest_elf 64 hello)"
	expect_rc 0 && expect_eq "stdout" "$OUT" "Hello, world!" || return 1
	run "$KHW" -s "$(guest_elf 32 hypercalls)"
	expect_rc 0 && expect_out "print_val(42) prints:" &&
		expect_out "display() of 14 bytes took 1 exit(s); byte by byte on port 0xE9: 14 exits"
}

t "display() of 14 bytes is 1 exit, byte by byte 14, in every mode" t_display_one_exit
t "guest arguments reach main(argc, argv)" t_args
t "print_val prints decimal, one per line" t_print_val
t "exit(status) becomes the VMM's status" t_exit_status
t "wild string pointers return -HC_EFAULT" t_wild
t "a string with no NUL before the end of memory: -HC_EFAULT" t_no_nul
t "display() across a 2 MiB / 4 KiB page boundary" t_cross_page
t "a 64 KiB string in one exit" t_big_string
t "printf formats" t_printf
t "MV_ASSERT reports file, line, condition: status 123" t_assert
t "an unmapped request stops the guest with a report" t_bad_request
t "unknown hypercalls and wrong access sizes are reported" t_unknown_hypercalls
t "--stats counts each hypercall" t_stats_per_hypercall
t "example guests: hello and hypercalls" t_example_guests
done_testing
