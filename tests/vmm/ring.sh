# SPDX-License-Identifier: MIT
# tests/vmm/ring.sh: the console ring (--ring): output identical to one exit per call, in
# order, under load and with several vCPUs; no exits for console output; hostile rings.
. "$(dirname "$0")/../lib.sh"

HC=$(guest_elf 64 hctest)

m_same_output() { # display, print_val, write(1) and port 0xE9, interleaved
	run "$KHW" "$1" "$(guest_elf "$2" hctest)" mixed 500
	expect_rc 0 || return 1
	plain=$OUT
	run "$KHW" --ring "$1" "$(guest_elf "$2" hctest)" mixed 500
	expect_rc 0 && expect_eq "ring output" "$OUT" "$plain" &&
		expect_eq "lines" "$(printf '%s\n' "$OUT" | wc -l)" 2000
}
t_same_output() { need_kvm; each_mode m_same_output; }

t_full_ring_waits() { # 5000 x 64 bytes through a 16 KiB ring (256 records): the guest waits, no loss
	need_kvm
	# -t 60: under QEMU's TCG on a loaded host, the default 10 s is too short
	run "$KHW" -t 60 --ring --stats "$HC" writes 5000
	expect_rc 0 || return 1
	n=$(printf '%s\n' "$OUT" | grep -c '^0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde$')
	expect_eq "lines" "$n" 5000 && expect_out "console ring: set up by the guest; 5000 records, 320000 bytes"
}

t_no_lost_wakeups() { # lines that wait, with no exit, for the thread: polling, giving up, asleep
	need_kvm
	run "$KHW" -t 60 --ring --stats "$HC" ringsync 200
	expect_rc 0 || return 1
	expect_eq "lines" "$(printf '%s\n' "$OUT" | grep -c '^sync [0-9]*$')" 200 &&
		expect_out "sync 199" && expect_out "console ring: set up by the guest; 200 records"
}

t_no_exits() { # console output through the ring costs no exit to the VMM
	need_kvm
	run "$KHW" --ring "$(guest_elf 64 hypercalls)"
	expect_rc 0 && expect_out "display() of 14 bytes took 0 exit(s); byte by byte on port 0xE9: 14 exits"
}

t_vcpus() { # each vCPU its own ring: every instance's output complete and in order
	need_kvm
	run "$KHW" "$HC" mixed 300
	one=$OUT
	run "$KHW" --ring --vcpus 3 "$HC" mixed 300
	expect_rc 0 || return 1
	for i in 0 1 2; do
		got=$(printf '%s\n' "$OUT" | grep "^\[vcpu$i\] " | sed 's/^\[vcpu[0-9]*\] //')
		expect_eq "vcpu$i output" "$got" "$one" || return 1
	done
}

t_smp_no_ring() { # one producer per ring: --smp guests print through exits
	need_kvm
	run "$KHW" --ring --smp --vcpus 2 "$(guest_elf 64 smpsum)"
	expect_rc 0 && expect_out "expected 2147516416: ok"
}

t_setup_errors() {
	need_kvm
	run "$KHW" "$HC" ringbad
	expect_rc 0 && expect_out "no ring: setup -38" || return 1
	run "$KHW" --ring "$HC" ringbad again
	expect_rc 0 && expect_out "setup again: -17"
}

bad_ring() { # bad_ring HOW MESSAGE
	run "$KHW" --ring --timeout 5 "$HC" ringbad "$1"
	expect_rc 122 && expect_err "vcpu0: console ring refused: $2" && expect_err "rip=0x"
}
t_hostile() {
	need_kvm
	bad_ring indices "ring indices out of range: head - tail = 16448 > size 16384" || return 1
	bad_ring len "ring record of 4294967040 bytes, only 24 in the ring" &&
		expect_out "before the damage" || return 1
	bad_ring kind "ring record of unknown kind 99" || return 1
	bad_ring fd "ring write to fd 5 (console fds 1 and 2 only)"
}

t "ring output is identical to an exit per call, in every mode" t_same_output
t "a full ring makes the guest wait, nothing is lost" t_full_ring_waits
t "no record waits unnoticed: doorbells skipped only while the thread polls" t_no_lost_wakeups
t "console output through the ring takes no exit" t_no_exits
t "several vCPUs, a ring each, complete and in order" t_vcpus
t "--smp: no ring offered, output through exits" t_smp_no_ring
t "ring set-up errors: -ENOSYS without --ring, -EEXIST twice" t_setup_errors
t "hostile rings are refused and the guest stopped" t_hostile
done_testing
