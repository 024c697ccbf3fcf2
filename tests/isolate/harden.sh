#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/isolate/harden.sh: the default hardening: a seccomp filter that answers EPERM to
# dangerous system calls, no capabilities, no_new_privs (a set-uid or file-capability
# binary gains nothing), ping still working; --cap-add, --cap-drop, --seccomp none and
# --no-harden turn each off.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/iso.inc"

DENIED="keyctl add_key bpf userfaultfd perf_event_open unshare mount personality kexec_load
	init_module io_uring_setup setns chroot clone_newnet"

# probe ARGS...: runs sysprobe under isolate ARGS; sets P to its "name errno" lines.
probe() { run "$ISO" --net none "$@" "$PROGS/sysprobe" && P=$OUT; }
answer() { printf '%s\n' "$P" | sed -n "s/^$1 //p"; }

t_seccomp() {
	need_isolate && need_progs || return 1
	probe
	expect_rc 0 || return 1
	for c in $DENIED; do
		expect_eq "$c" "$(answer "$c")" EPERM || return 1
	done
	# clone3's flags are out of the filter's sight: ENOSYS, and threads still start
	expect_eq clone3 "$(answer clone3)" ENOSYS && expect_eq getpid "$(answer getpid)" ok &&
		expect_eq pthread "$(answer pthread)" ok || return 1
	# the i386 entry has the same rules; the x32 ABI none: ENOSYS, not a kill
	expect_eq keyctl_i386 "$(answer keyctl_i386)" EPERM &&
		expect_eq getpid_x32 "$(answer getpid_x32)" ENOSYS
}
t "seccomp: keyctl, bpf, userfaultfd, mount, unshare(CLONE_NEWUSER), ... get EPERM" t_seccomp

t_seccomp_none() {
	need_isolate && need_progs || return 1
	probe --seccomp none
	expect_rc 0 || return 1
	# without the filter the kernel answers: keyctl works, unshare makes a user namespace
	expect_eq keyctl "$(answer keyctl)" ok && expect_eq unshare "$(answer unshare)" ok &&
		expect_eq add_key "$(answer add_key)" ok && expect_eq keyctl_i386 "$(answer keyctl_i386)" ok
}
t "--seccomp none: keyctl and unshare(CLONE_NEWUSER) work again" t_seccomp_none

# caps ARGS...: CapInh CapPrm CapEff CapBnd CapAmb NoNewPrivs Seccomp of a shell under
# isolate ARGS, on one line.
STATUS='grep -E "^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp):" /proc/self/status | cut -f2 | tr "\n" " "'
t_caps() {
	need_isolate || return 1
	full=$(printf '%016x' $(((1 << ($(cat /proc/sys/kernel/cap_last_cap) + 1)) - 1)))
	run "$ISO" --net none sh -c "$STATUS"
	expect_rc 0 && expect_eq "default" "$OUT" \
		"0000000000000000 0000000000000000 0000000000000000 0000000000002000 0000000000000000 1 2 " ||
		return 1
	run "$ISO" --net none --cap-add net_admin,CAP_SYS_ADMIN --cap-add kill --cap-drop KILL sh -c "$STATUS"
	expect_rc 0 && expect_eq "--cap-add net_admin,sys_admin" "$OUT" \
		"0000000000000000 0000000000201000 0000000000201000 0000000000203000 0000000000000000 1 2 " ||
		return 1
	run "$ISO" --net none --no-harden sh -c "$STATUS"
	expect_rc 0 && expect_eq "--no-harden" "$OUT" "0000000000000000 $full $full $full 0000000000000000 0 0 " ||
		return 1
	# --init: init is hardened like PROGRAM
	run "$ISO" --init --net none sh -c 'grep -E "^(CapEff|NoNewPrivs|Seccomp):" /proc/1/status | cut -f2 | tr "\n" " "'
	expect_rc 0 && expect_eq "init" "$OUT" "0000000000000000 1 2 "
}
t "capabilities: none kept (bounding: CAP_NET_RAW), no_new_privs, a filter; --cap-add, --no-harden" \
	t_caps

t_need_caps() {
	need_isolate || return 1
	run "$ISO" --net none sh -c 'mount -t tmpfs x /mnt 2>&1; hostname other 2>&1; hostname'
	expect_rc 0 || return 1
	case "$OUT" in *"mount: /mnt: permission denied"*isolated) ;; *) fail "$OUT"; return 1 ;; esac
	run "$ISO" --net none --cap-add sys_admin --seccomp none sh -c \
		'mount -t tmpfs x /mnt && grep -c " /mnt " /proc/self/mountinfo; hostname other; hostname'
	expect_rc 0 && expect_eq "with CAP_SYS_ADMIN and no filter" "$(printf '%s\n' "$OUT" | tr '\n' ' ')" "1 other "
}
t "no mount, no sethostname by default; with --cap-add sys_admin --seccomp none both work" \
	t_need_caps

t_ping() {
	need_isolate || return 1
	# no CAP_NET_RAW: ICMP datagram sockets (net.ipv4.ping_group_range, this netns only)
	run "$ISO" --net none sh -c 'cat /proc/sys/net/ipv4/ping_group_range; ping -c1 -W1 127.0.0.1'
	expect_rc 0 && expect_out "1 received" && expect_eq "ping_group_range" \
		"$(printf '%s\n' "$OUT" | head -n 1 | tr -s '\t ' ' ')" "0 0"
}
t "ping works without capabilities (ping_group_range in the container's netns)" t_ping

t_setuid() {
	need_isolate && need_progs || return 1
	need_root
	pub_dir || return 1
	cp "$PROGS/whoami" "$PUB/suid" && chown 0:0 "$PUB/suid" && chmod 4755 "$PUB/suid" || return 1
	mkdir "$PUB/w" && chmod 1777 "$PUB/w"
	# the control: run by nobody outside, it really is set-uid root here
	run $AS_NOBODY "$PUB/suid" "$PUB/w/outside"
	expect_rc 0 && expect_eq "outside, as nobody" "$(stat -c %u "$PUB/w/outside")" 0 || return 1
	# as root: uid 0 already, and a set-uid root exec gives no capability back
	run "$ISO" --net none "$PUB/suid"
	expect_rc 0 && expect_eq "inside (root's isolate)" "$OUT" "euid 0 caps 0000000000000000 nnp 1" ||
		return 1
	# --no-harden: the container's root keeps every capability the kernel has, and no
	# no_new_privs
	last=$(cat /proc/sys/kernel/cap_last_cap)
	all=$(printf '%016x' $(((1 << (last + 1)) - 1)))
	run "$ISO" --net none --no-harden "$PUB/suid"
	expect_rc 0 && expect_eq "--no-harden" "$OUT" "euid 0 caps $all nnp 0" || return 1
	# as nobody: the container's root is nobody, and stays nobody: the file it makes is
	# nobody's, not root's
	cp "$ISO" "$PUB/isolate" && chmod 755 "$PUB/isolate"
	run $AS_NOBODY "$PUB/isolate" --net none "$PUB/suid" "$PUB/w/inside"
	expect_rc 0 && expect_eq "inside (nobody's isolate)" "$OUT" "euid 0 caps 0000000000000000 nnp 1" &&
		expect_eq "owner of its file" "$(stat -c %u "$PUB/w/inside")" 65534
}
t "a set-uid root binary gains nothing: no capability, no root outside (no_new_privs)" t_setuid

t_filecaps() {
	need_isolate && need_progs || return 1
	need_root
	command -v setcap >/dev/null || { fail "no setcap (sh scripts/deps.sh check)"; return 1; }
	pub_dir || return 1
	cp "$PROGS/whoami" "$PUB/fcap" && setcap cap_net_raw+ep "$PUB/fcap" || return 1
	run $AS_NOBODY "$PUB/fcap"
	expect_rc 0 && expect_eq "outside, as nobody" "$OUT" "euid 65534 caps 0000000000002000 nnp 0" ||
		return 1
	# CAP_NET_RAW is in the bounding set (such binaries start), no_new_privs grants none
	run "$ISO" --net none "$PUB/fcap"
	expect_rc 0 && expect_eq "inside" "$OUT" "euid 0 caps 0000000000000000 nnp 1"
}
t "a file-capability binary (cap_net_raw+ep) starts, and gets nothing (no_new_privs)" t_filecaps

t_verbose() {
	need_isolate || return 1
	run "$ISO" --verbose --net none true
	expect_rc 0 && expect_err "harden: no_new_privs on; capabilities kept: none" &&
		expect_err "harden: seccomp filter (" && expect_err "48 calls denied with EPERM" || return 1
	run "$ISO" --verbose --net none --seccomp none --cap-add net_raw true
	expect_rc 0 && expect_err "capabilities kept: CAP_NET_RAW" &&
		expect_err "harden: no seccomp filter (--seccomp none)"
}
t "--verbose says what hardening PROGRAM gets" t_verbose

done_testing
