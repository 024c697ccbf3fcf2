# SPDX-License-Identifier: MIT
# tests/vmm/faults.sh: crashed, stuck and misbehaving guests are reported with the exit
# reason and registers and a documented status; never a hang.
. "$(dirname "$0")/../lib.sh"

t_triple_fault() {
	need_kvm
	for m in -l -s; do
		run "$KHW" "$m" --guest fault
		expect_rc 122 &&
			expect_err "vcpu0: guest shut down (triple fault) (exit reason 8, KVM_EXIT_SHUTDOWN)" &&
			expect_err "rip=0x" && expect_err "cr0=0x" || return 1
	done
}

# Real mode: hardware KVM shuts the guest down; kvm_pvm's real-mode emulation does not
# check the IDT limit and jumps through the IVT into whatever memory holds, ending in an
# emulation failure or a loop that --timeout stops. Either way: reported, no hang.
t_triple_fault_real() {
	need_kvm
	run "$KHW" -r --guest fault --timeout 1
	if [ "$T_PLATFORM" = pvm ]; then
		case $RC in
		122) expect_err "KVM_EXIT_INTERNAL_ERROR" ;;
		124) expect_err "guest still running after 1 s" ;;
		*) expect_rc 122 ;;
		esac && expect_err "rip=0x"
	else
		expect_rc 122 && expect_err "KVM_EXIT_SHUTDOWN"
	fi
}

t_unhandled_port() {
	need_kvm
	run "$KHW" --guest badport
	expect_rc 122 && expect_err "vcpu0: unhandled I/O: out to port 0x1234, 1 byte(s) x 1" &&
		expect_err "rdx=0x0000000000001234"
}

t_wrong_result() {
	need_kvm
	run "$KHW" --guest wrong
	expect_rc 1 && expect_eq "stdout" "$OUT" "Hello, world!" &&
		expect_eq "stderr" "$ERR" "kvm-hello-world: check failed: guest-physical 0x400 holds 7, expected 42"
}

t_timeout() {
	need_kvm
	run "$KHW" --guest spin --timeout 0.3
	expect_rc 124 && expect_err "vcpu0: guest still running after 0.3 s (--timeout); stopped it" &&
		expect_err "rip=0x"
}

# A stop signal kicks the vCPU out of KVM_RUN: status 128+N, no hang, no thread left.
# The signal goes once the guest runs (vmm_running): the VMM blocks its stop signals
# before it makes its vCPUs, so a signal sent earlier ends it by the default action.
stop_by() { # stop_by SIGNAL NUMBER DESCRIPTION (strsignal's)
	"$KHW" --guest spin --timeout 0 >"$T_TMP/out" 2>"$T_TMP/err" &
	pid=$!
	vmm_running "$pid" 1 || { kill -9 "$pid"; fail "no vCPU within 10 s"; return 1; }
	kill -s "$1" "$pid"
	bounded_exit "$pid" || { fail "still running 10 s after SIG$1"; return 1; }
	OUT=$(cat "$T_TMP/out"); ERR=$(cat "$T_TMP/err")
	expect_rc $((128 + $2)) && expect_eq "stderr" "$(printf '%s\n' "$ERR" | head -n 1)" \
		"kvm-hello-world: stopped by signal $2 ($3)"
}
t_sigterm() { need_kvm; stop_by TERM 15 Terminated; }
t_sighup() { need_kvm; stop_by HUP 1 Hangup; }

# A guest's exceptions reach the VMM's IDT stubs: named, with the faulting rip and the
# registers of the code that took them, on every platform (no triple fault, which AMD SVM
# answers by resetting the vCPU).
m_traps() { # m_traps FLAG BITS CPL
	hc="$(guest_elf "$2" hctest)"
	run "$KHW" "$1" --cpl "$3" "$hc" ud2
	expect_rc 122 && expect_err "invalid opcode (#UD, vector 6) at rip 0x" &&
		expect_err "in ring $3" || return 1
	run "$KHW" "$1" --cpl "$3" "$hc" div0
	expect_rc 122 && expect_err "divide error (#DE, vector 0) at rip 0x" || return 1
	if [ "$1" != -s ]; then # paging: an unmapped read is a page fault
		run "$KHW" "$1" --cpl "$3" "$hc" read 0x30000000
		expect_rc 122 && expect_err "page fault (#PF, vector 14)" &&
			expect_err "read of 0x30000000, not mapped" && expect_err "cr2=0x30000000" || return 1
	fi
}
# traps_in FLAG BITS CPL: one mode and ring. Where the platform has no such mode (32-bit
# paging on kvm_pvm) the refusal is what is checked.
traps_in() {
	need_kvm
	if [ "$1" = -p ] && [ "$T_PLATFORM" = pvm ]; then
		run "$KHW" -p --cpl "$3" "$(guest_elf 32 hctest)" ud2
		expect_rc 121 && expect_eq "stderr" "$ERR" \
			"kvm-hello-world: 32-bit paging (-p) is not supported by this host's KVM; use -l"
		return
	fi
	m_traps "$@"
}
for mb in -l:64 -s:32 -p:32; do
	for cpl in 3 0; do
		f=t_traps_${mb%%:*}_$cpl
		f=$(echo "$f" | tr -d -)
		eval "$f() { traps_in ${mb%%:*} ${mb##*:} $cpl; }"
		if [ "${mb%%:*}" = -p ] && [ "$T_PLATFORM" = pvm ]; then
			t "exceptions in -p ring $cpl: kvm_pvm refuses 32-bit paging, in one line (121)" "$f"
		else
			t "exceptions (#UD, #DE, #PF) in ${mb%%:*} ring $cpl: named, with the faulting rip" "$f"
		fi
	done
done

t "triple fault in -l and -s: KVM_EXIT_SHUTDOWN, registers, status 122" t_triple_fault
t "triple fault in real mode (platform-specific)" t_triple_fault_real
t "unhandled port: named, registers, status 122" t_unhandled_port
t "a wrong result word fails its check with status 1" t_wrong_result
t "--timeout stops a spinning guest: status 124" t_timeout
t "SIGTERM stops a spinning guest: status 143" t_sigterm
t "SIGHUP stops a spinning guest: status 129" t_sighup
done_testing
