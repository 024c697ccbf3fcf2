# SPDX-License-Identifier: MIT
# tests/vmm/queue.sh: the I/O queue (--queue): reads and writes through a virtqueue in the
# guest's memory (tests/guests/queuetest.c drives it by hand), in every mode and with
# several vCPUs; large reads split between two threads (readcheck); its set-up checks;
# buffers the caller may not use are -HC_EFAULT; and hostile queues stop the guest with a
# report.
. "$(dirname "$0")/../lib.sh"

S=$T_TMP/share
mkdir -p "$S"
printf 'abcdefghijklmnopqrstuvwxyz\n' >"$S/f"
QT=$(guest_elf 64 queuetest)

m_write() {
	run "$KHW" --queue "$1" "$(guest_elf "$2" queuetest)" write one two three
	expect_rc 0 && expect_out "onetwo||three|" && expect_out "used.idx 3; status 5;"
}
t_write() { need_kvm; each_mode m_write; }

m_read() {
	run "$KHW" --queue --dir "$S" "$1" "$(guest_elf "$2" queuetest)" read f
	expect_rc 0 && expect_out "read 5 [abcde]; readv 22 [fgh|ijklmnopqrstuvwxyz" &&
		expect_out "]; used len 13, 30" && expect_out "read fd 99: -9"
}
t_read() { need_kvm; each_mode m_read; }

t_stats() {
	need_kvm
	run "$KHW" --queue --stats "$QT" write a b c d
	expect_rc 0 && expect_out "ab||cd||" &&
		expect_out "I/O queue: set up by the guest; 4 requests (" &&
		expect_out "), 4 bytes; " || return 1
	run "$KHW" --queue --stats # the built-in guest: no SDK, port 0xE9
	expect_rc 0 && expect_out "I/O queue: offered, not used; 0 requests"
}

# tables_addr FLAG BITS: the guest's first page table (in -s, its GDT page): supervisor-only.
tables_addr() {
	run "$KHW" "$1" --layout "$(guest_elf "$2" queuetest)" noqueue
	a=$(printf '%s\n' "$OUT" | sed -n 's/^  page tables  gpa \(0x[0-9a-f]*\)-.*/\1/p')
	[ -n "$a" ] || a=$(printf '%s\n' "$OUT" | sed -n 's/^  gdt  *gpa \(0x[0-9a-f]*\)-.*/\1/p')
	[ -n "$a" ] || { fail "--layout $1 shows no page tables"; return 1; }
	printf '0x%x\n' $((a))
}

m_setup() {
	a=$(tables_addr "$1" "$2") || return 1
	run "$KHW" --queue "$1" "$(guest_elf "$2" queuetest)" setup "$a"
	expect_rc 0 &&
		expect_out "size 3: -22; size 512: -22; desc misaligned: -22; used at $a: -14; desc at it: -14" &&
		expect_out "setup: 0; again: -17"
}
t_used_writable() { # the used ring must be writable with the caller's privilege
	need_kvm
	# ring 3: on a supervisor page (its page tables): refused (m_setup's "used at")
	m_setup -l 64 || return 1
	# ring 0 with CR0.WP: the same page through a read-only alias, then a writable one
	run "$KHW" -l --cpl 0 --queue "$QT" rosetup
	expect_rc 0 && expect_out "used through a read-only alias: -14; through a writable one: 0"
}
t_setup() {
	need_kvm
	run "$KHW" "$QT" noqueue
	expect_rc 0 && expect_out "setup: -38" || return 1
	m_setup -l 64 && m_setup -s 32
}

m_efault() {
	a=$(tables_addr "$1" "$2") || return 1
	run "$KHW" --queue "$1" "$(guest_elf "$2" queuetest)" efault "$a"
	expect_rc 0 && expect_out "read into $a: -14; write from it: -14"
}
t_efault() { need_kvm; m_efault -l 64 && m_efault -s 32; }

bad() { # bad HOW MESSAGE [ADDR]
	run "$KHW" --queue --timeout 10 "$QT" bad "$1" ${3:+"$3"}
	expect_rc 122 && expect_err "vcpu0: I/O queue refused: $2" && expect_err "rip=0x"
}
t_hostile() {
	need_kvm
	bad idx "avail.idx 33 is 33 ahead of the VMM, past the 32 descriptors" &&
		bad head "avail.ring[0] = 32, past the 32 descriptors" &&
		bad next "descriptor 1 links to 32, past the 32 descriptors" &&
		bad loop "chain at head 0 loops back to descriptor 1" &&
		bad long "chain at head 0 longer than 16 descriptors" &&
		bad indirect "descriptor 1 is indirect (not offered)" &&
		bad hdrsize "request header of 8 bytes (16, read-only expected)" &&
		bad status "request status of 8 bytes, device-readable (8, writable expected)" &&
		bad op "request of unknown op 7" &&
		bad dir "writable buffer in a write request" &&
		bad one "a chain of one descriptor (header and status needed)" || return 1
	a=$(tables_addr -l 64) || return 1
	bad hdraddr "request header at $a not readable by ring 3" "$a"
}

t_stdin_timeout() { # the queue's thread blocked on a silent stdin: --timeout still ends it
	need_kvm
	# stdin a FIFO opened for reading and writing: never an EOF, however late the VMM starts
	rm -f "$T_TMP/silent" && mkfifo "$T_TMP/silent" || return 1
	run sh -c "'$KHW' -t 1 --queue '$QT' stdin <>'$T_TMP/silent'"
	expect_rc 124 && expect_err "(--timeout); stopped it"
}

t_vcpus() { # a queue per instance, each its own VM; with --smp, a queue per vCPU
	need_kvm
	run "$KHW" --queue --vcpus 3 --stats "$QT" write x y
	expect_rc 0 || return 1
	for i in 0 1 2; do
		expect_out "[vcpu$i] xy||" || return 1
	done
	[ "$(printf '%s\n' "$OUT" | grep -c 'I/O queue: set up by the guest; 2 requests')" = 3 ] ||
		{ fail "three queues with 2 requests each expected"; show_output; return 1; }
	run "$KHW" --queue --smp --vcpus 2 "$QT" write x y
	expect_rc 0 && expect_out "[vcpu0] xy||"
}

t_with_ring() { # the queue and the console ring together: one order, whoever prints
	need_kvm
	run "$KHW" --queue --ring "$QT" write a b c d e
	expect_rc 0 && expect_eq "output" "$(printf '%s\n' "$OUT" | head -n 1)" "ab||cd||e|"
}

m_sdk() { # the SDK's reads, writes, mv_io_submit and printf: the same output either way
	g=$(guest_elf "$2" queuetest)
	run "$KHW" --dir "$S" "$1" "$g" sdk f
	expect_rc 0 || return 1
	plain=$OUT
	run "$KHW" --queue --stats --dir "$S" "$1" "$g" sdk f
	expect_rc 0 && expect_eq "output" "$(printf '%s\n' "$OUT" | head -n 4)" "$plain" &&
		expect_out "I/O queue: set up by the guest; 36 requests (" || return 1
	# no read, write or display hypercall: all went through the queue
	printf '%s\n' "$OUT" | grep '^hypercalls:' | grep -qE ', (read|write|display) [0-9]' &&
		{ fail "a read, write or display made an exit"; show_output; return 1; }
	expect_out "hypercalls: "
}
t_sdk() { need_kvm; each_mode m_sdk; }

m_v1() { # a boot info of version 1, as an older VMM writes: the SDK reads no offer from it
	run "$KHW" --queue --stats "$1" "$(guest_elf "$2" queuetest)" v1
	expect_rc 0 && expect_out "written with version 1" &&
		expect_out "I/O queue: offered, not used; 0 requests"
}
t_v1() { need_kvm; each_mode m_v1; }

t_examples() { # cat, cp and wc, unchanged, through the queue
	need_kvm
	head -c 300000 /dev/urandom | od -An -tx1 >"$S/big"
	run "$KHW" --dir "$S" "$(guest_elf 64 wc)" big
	plain=$OUT
	run "$KHW" --queue --dir "$S" "$(guest_elf 64 wc)" big
	expect_rc 0 && expect_eq "wc" "$OUT" "$plain" || return 1
	run "$KHW" --queue --dir "$S" "$(guest_elf 64 cat)" big
	expect_rc 0 && expect_eq "cat" "$(printf '%s\n' "$OUT" | md5sum)" "$(md5sum <"$S/big")" ||
		return 1
	run "$KHW" --queue --stats --dir "$S" "$(guest_elf 64 cp)" big copy
	expect_rc 0 && cmp -s "$S/big" "$S/copy" ||
		{ fail "cp through the queue: the copy differs"; show_output; return 1; }
	expect_out "hypercalls: " && expect_out "I/O queue: set up by the guest; "
}

t_split() { # large reads, split between the queue's thread and its helper (vmm/split.c)
	need_kvm
	head -c $((3 * 524288 + 12345)) /dev/urandom >"$S/r" # its end inside a page
	want=$(cksum <"$S/r" | cut -d' ' -f1-2)
	run "$KHW" --queue --stats --mem 8M --dir "$S" "$(guest_elf 64 readcheck)" r
	expect_rc 0 && expect_out "reference: $want" && expect_out "readcheck: ok" || return 1
	# Two CPUs or more (the svm suite's QEMU has one): reads were split.
	n=$(printf '%s\n' "$OUT" | sed -n 's/.*, \([0-9]*\) reads split in two .*/\1/p')
	[ "$(nproc)" -lt 2 ] || [ "${n:-0}" -gt 0 ] ||
		{ fail "no read was split in two"; show_output; return 1; }
	run "$KHW" --mem 8M --dir "$S" "$(guest_elf 64 readcheck)" r # an exit each: the same
	expect_rc 0 && expect_out "reference: $want" && expect_out "readcheck: ok"
}

t_smp_sdk() { # --smp: each vCPU finds its own queue
	need_kvm
	run "$KHW" --queue --smp --vcpus 2 --stats --dir "$S" "$(guest_elf 64 wc)" f
	expect_rc 0 && expect_out "[vcpu0]       1       1      27 f" &&
		expect_out "[vcpu1]       1       1      27 f" || return 1
	[ "$(printf '%s\n' "$OUT" | grep -c 'I/O queue: set up by the guest; 3 requests')" = 2 ] ||
		{ fail "two queues with 3 requests each expected"; show_output; return 1; }
}

t "writes through the queue, in every mode" t_write
t "with the console ring too, output keeps its order" t_with_ring
t "reads, vectored reads and errors through the queue, in every mode" t_read
t "--stats counts the queue's requests" t_stats
t "queue set-up: -ENOSYS without --queue, bad size, alignment, a supervisor area, twice" t_setup
t "a used ring the caller may not write (supervisor, read-only) is refused" t_used_writable
t "a buffer the caller may not use is -EFAULT, the guest goes on" t_efault
t "hostile queues are refused and the guest stopped" t_hostile
t "--vcpus and --smp: a queue each" t_vcpus
t "a queued read of a silent stdin does not outlive --timeout" t_stdin_timeout
t "the SDK's reads, writes and batches go through the queue, in every mode" t_sdk
t "cat, cp and wc through the queue, unchanged" t_examples
t "large reads split in two threads: the file's bytes, in order, to its end" t_split
t "--smp: the SDK gives each vCPU its own queue" t_smp_sdk
t "a version 1 boot info (an older VMM's): the SDK sets up no queue" t_v1
done_testing
