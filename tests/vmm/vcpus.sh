# SPDX-License-Identifier: MIT
# tests/vmm/vcpus.sh: several vCPUs: N instances each its own VM (output complete,
# isolation in ring 3 and ring 0, own fd tables, exit status rule), --smp, stopping them
# all, bad counts.
. "$(dirname "$0")/../lib.sh"

HC=$(guest_elf 64 hctest)

t_instances_output() { # each instance's complete output, under its own prefix
	need_kvm
	for n in 2 4 8; do
		run "$KHW" --vcpus "$n" "$(guest_elf 64 hypercalls)"
		expect_rc 0 || return 1
		i=0
		while [ $i -lt "$n" ]; do
			c=$(printf '%s\n' "$OUT" | grep -c "^\[vcpu$i\] ")
			expect_eq "$n vCPUs: lines of vcpu$i" "$c" 7 &&
				expect_out "[vcpu$i] hypercalls: long mode, 2048 KiB of memory, vCPU $i," &&
				expect_out "[vcpu$i] display() of 14 bytes took 1 exit(s); byte by byte on port 0xE9: 14 exits" ||
				return 1
			i=$((i + 1))
		done
		expect_eq "$n vCPUs: lines" "$(printf '%s\n' "$OUT" | wc -l)" $((7 * n)) || return 1
	done
}

t_isolation() { # instance 1 writes past its slice: it alone faults; the others finish
	need_kvm
	run "$KHW" --vcpus 3 "$HC" poke 1
	expect_rc 122 && expect_out "[vcpu0] instance 0: done" && expect_out "[vcpu2] instance 2: done" &&
		expect_out "[vcpu1] instance 1: writing to 0x201000" &&
		expect_err "vcpu1: page fault (#PF, vector 14) at rip 0x" &&
		expect_err "in ring 3: write to 0x201000, not mapped (from user mode)" || return 1
	if printf '%s\n' "$OUT" | grep -q "went through"; then fail "the write went through"; return 1; fi
	expect_eq "faults" "$(printf '%s\n' "$ERR" | grep -c 'page fault')" 1
}

# neighbour_at ING SLICE: the guest-physical address instance 0 says it is ING (reading,
# writing): its own mark's offset in the next instance's slice, at or past SLICE (its
# memory's end); where the mark lies moves with the guest's size.
neighbour_at() {
	at=$(printf '%s\n' "$OUT" | sed -n "s/^\[vcpu0\] instance 0: $1 guest-physical \(0x[0-9a-f]*\)$/\1/p")
	[ -n "$at" ] && [ $((at)) -ge $(($2)) ] ||
		{ fail "instance 0 names no address at or past $2 it is $1"; show_output; return 1; }
}

t_neighbour_ring0() { # attack: a ring-0 instance maps the next gpas itself: outside its VM
	need_kvm
	for op in read:reading write:writing; do
		ing=${op#*:} op=${op%:*}
		run "$KHW" --vcpus 2 --cpl 0 "$(guest_elf 64 neighbour)" "$op"
		expect_rc 122 && expect_out "[vcpu1] instance 1: marked" &&
			neighbour_at "$ing" 0x200000 &&
			expect_err "vcpu0: 4-byte $op at guest-physical $at, outside memory" || return 1
		if printf '%s\n' "$OUT" | grep -q "went through"; then fail "the $op went through"; return 1; fi
	done
	# 32-bit instances without paging reach guest-physical addresses directly
	run "$KHW" -s --vcpus 3 --cpl 0 "$(guest_elf 32 neighbour)" write
	expect_rc 122 && expect_out "[vcpu2] instance 2: marked" && neighbour_at writing 0x400000 &&
		expect_err "vcpu0: 4-byte write at guest-physical $at, outside memory" || return 1
	if [ "$T_PLATFORM" != pvm ]; then # 32-bit paging: a 4 MiB page of its own making
		run "$KHW" -p --vcpus 2 --cpl 0 "$(guest_elf 32 neighbour)" read
		expect_rc 122 && neighbour_at reading 0x400000 &&
			expect_err "vcpu0: 4-byte read at guest-physical $at, outside memory"
	fi
}

t_tables_protected() { # a ring-3 instance cannot write its own page tables
	need_kvm
	run "$KHW" --vcpus 2 "$HC" poke 0 tables
	expect_rc 122 && expect_err "vcpu0: page fault (#PF, vector 14)" &&
		expect_err "write to 0x1f8000, a protection violation (from user mode)" &&
		expect_out "[vcpu1] instance 1: done"
}

t_fd_tables() { # each instance its own table: fd 4 of instance 0 is not instance 1's
	need_kvm
	mkdir -p "$T_TMP/share" && echo data >"$T_TMP/share/a.txt"
	run "$KHW" --vcpus 2 --dir "$T_TMP/share" "$HC" fdtable
	expect_rc 0 && expect_out "[vcpu0] instance 0: opened 3 4, read fd 4: 4" &&
		expect_out "[vcpu1] instance 1: opened 3 -1, read fd 4: -9"
}

t_stress() { # 4 vCPUs x 2000 printf hypercalls: no line lost, torn or out of order
	need_kvm
	run "$KHW" --vcpus 4 "$HC" stress 2000
	expect_rc 0 || return 1
	for i in 0 1 2 3; do
		got=$(printf '%s\n' "$OUT" | grep "^\[vcpu$i\] " | sed -n 's/^\[vcpu[0-9]*\] stress [0-9]* line \([0-9]*\) of 2000$/\1/p' | tr '\n' ' ')
		want=$(seq 0 1999 | tr '\n' ' ')
		[ "$got" = "$want" ] || { fail "vcpu$i: lines missing, torn or out of order"; return 1; }
	done
	expect_eq "lines" "$(printf '%s\n' "$OUT" | wc -l)" 8000
}

t_exit_rule() { # the first non-zero status by vCPU number: instance 1's 11
	need_kvm
	run "$KHW" --vcpus 4 "$HC" exitid
	expect_rc 11
}

t_smp_sum() { # one address space, N vCPUs, atomic adds: the right total
	need_kvm
	for n in 1 2 4 8; do
		run "$KHW" --smp --vcpus "$n" "$(guest_elf 64 smpsum)"
		expect_rc 0 && expect_out "total 2147516416, expected 2147516416: ok" || return 1
		expect_eq "parts" "$(printf '%s\n' "$OUT" | grep -c "vCPU [0-9]* of $n: values")" "$n" || return 1
	done
	run "$KHW" -s --smp --vcpus 2 "$(guest_elf 32 smpsum)"
	expect_rc 0 && expect_out "expected 2147516416: ok"
}

t_paged32() { # -p instances where the platform has 32-bit paging
	need_kvm
	run "$KHW" -p --vcpus 2 "$(guest_elf 32 hypercalls)"
	if [ "$T_PLATFORM" = pvm ]; then
		expect_rc 121 && expect_err "32-bit paging (-p) is not supported"
	else
		expect_rc 0 && expect_out "[vcpu1] hypercalls: paged 32-bit mode"
	fi
}

t_stats_layout() {
	need_kvm
	run "$KHW" --vcpus 2 --stats --layout "$(guest_elf 64 hello)"
	expect_rc 0 && expect_out "== exit statistics, vCPU 1 ==" &&
		expect_out "== all 2 vCPUs: " &&
		expect_out "== layout of instance 1 (vCPU 1): long mode (-l), ring 3" &&
		expect_out "guest-physical 0x0-0x1fffff is all its memory; no guest-physical address reaches another instance's" &&
		expect_eq "VMs" "$(printf '%s\n' "$OUT" | grep -c '^its own VM: ')" 2 &&
		expect_eq "memory slots" "$(printf '%s\n' "$OUT" | grep -c 'registered with KVM as memory slot 0')" 2 &&
		expect_eq "per-VM lines" "$(printf '%s\n' "$OUT" | grep -c '^  in VM [01] (its own)')" 2 || return 1
	h0=$(printf '%s\n' "$OUT" | grep -m1 'one anonymous mmap at hva' | sed 's/.*hva \([^,]*\),.*/\1/')
	h1=$(printf '%s\n' "$OUT" | grep 'one anonymous mmap at hva' | sed -n '2s/.*hva \([^,]*\),.*/\1/p')
	[ -n "$h0" ] && [ "$h0" != "$h1" ] || { fail "the two VMs share memory at $h0"; return 1; }
	run "$KHW" --smp --vcpus 2 --stats "$(guest_elf 64 smpsum)"
	expect_rc 0 && expect_eq "shared VM lines" "$(printf '%s\n' "$OUT" | grep -c '^  in VM 0, shared by the 2 vCPUs (--smp)')" 2
}

t_modes_instances() { # separate VMs need no paging: -s and -r instances too
	need_kvm
	for m in -s -r; do
		run "$KHW" "$m" --vcpus 2
		expect_rc 0 && expect_out "[vcpu0] Hello, world!" && expect_out "[vcpu1] Hello, world!" || return 1
	done
}

t_stop_all() { # SIGTERM and --timeout stop every vCPU: no hang, a clear status
	need_kvm
	run "$KHW" --vcpus 4 --guest spin --timeout 0.5
	expect_rc 124 && expect_eq "timeouts" "$(printf '%s\n' "$ERR" | grep -c 'still running after 0.5 s')" 4 || return 1
	"$KHW" --vcpus 4 --guest spin --timeout 0 >/dev/null 2>"$T_TMP/err" &
	pid=$!
	# once it holds its 4 vCPUs, the VMM handles SIGTERM itself (blocked, then waited for)
	vmm_running "$pid" 4 || { kill -9 "$pid"; fail "no 4 vCPUs within 10 s"; return 1; }
	kill -TERM "$pid"
	bounded_exit "$pid" || { fail "still running 10 s after SIGTERM"; return 1; }
	ERR=$(cat "$T_TMP/err")
	# its own status and line, not the default action's 143 alone
	expect_rc 143 && expect_eq "stderr" "$ERR" "kvm-hello-world: stopped by signal 15 (Terminated)"
}

t_bad_counts() {
	need_kvm
	for v in 0 -1 abc 1.5 ''; do
		run "$KHW" --vcpus "$v"
		expect_rc 2 && expect_err "invalid --vcpus '$v'" || return 1
	done
	run "$KHW" --smp --vcpus 4000 --mem 1G
	expect_rc 2 && expect_err "--vcpus 4000: this host's KVM runs at most" || return 1
	run "$KHW" -r --smp --vcpus 2
	expect_rc 2 && expect_err "--smp needs protected or long mode, not -r"
}

t_fd_budget() { # N x --max-files must fit RLIMIT_NOFILE: the soft limit raised, else refused
	need_kvm
	run sh -c 'ulimit -n 4096 && exec "$@"' sh "$KHW" --vcpus 6 --max-files 4096
	expect_rc 2 && expect_err "6 instances x --max-files 4096 need 24664 file descriptors; this process may have 4096" &&
		expect_eq "lines" "$(printf '%s\n' "$ERR" | wc -l)" 1 && expect_eq "stdout" "$OUT" "" || return 1
	run sh -c 'ulimit -n 1024 && exec "$@"' sh "$KHW" --smp --vcpus 400 --mem 64M
	expect_rc 2 && expect_err "1 instance x --max-files 64 and their vCPUs need 1329 file descriptors" || return 1
	mkdir -p "$T_TMP/fds" && echo x >"$T_TMP/fds/a.txt"
	run sh -c 'ulimit -S -n 256 && exec "$@"' sh "$KHW" --vcpus 2 --max-files 1000 --dir "$T_TMP/fds" \
		"$(guest_elf 64 fstest)" exhaust
	expect_rc 0 && expect_out "[vcpu0] opened: 997" && expect_out "[vcpu1] opened: 997"
}

t "2, 4 and 8 instances each print their complete output" t_instances_output
t "an instance writing outside its slice faults alone" t_isolation
t "attack: a ring-0 instance cannot read or write its neighbour (own VM each)" t_neighbour_ring0
t "ring-3 instances cannot write their page tables" t_tables_protected
t "each instance has its own fd table" t_fd_tables
t "stress: 4 x 2000 hypercalls, no line lost or torn" t_stress
t "exit status: the first non-zero by vCPU number" t_exit_rule
t "--smp: parallel sum with atomics on 1, 2, 4, 8 vCPUs" t_smp_sum
t "-p instances (hardware KVM; refused on kvm_pvm)" t_paged32
t "--stats and --layout per vCPU and per VM" t_stats_layout
t "-s and -r instances (each its own VM)" t_modes_instances
t "timeout and SIGTERM stop every vCPU" t_stop_all
t "bad --vcpus values" t_bad_counts
t "fd budget: --vcpus x --max-files fits RLIMIT_NOFILE or is refused" t_fd_budget
done_testing
