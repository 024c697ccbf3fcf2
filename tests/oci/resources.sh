#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/oci/resources.sh: linux.resources. Where there is no delegated cgroup v2 (this
# machine: cgroup v1 belongs to the supervisor), create says so in one log line and, traced
# with strace, only reads /sys/fs/cgroup: no mkdir, no write, no clone into a cgroup. Where
# there is one (a QEMU guest: a Debian kernel, its own cgroup2 with memory, pids and cpu
# enabled for children), the container's cgroup holds runc's conversions (memory.max,
# memory.swap.max, pids.max, cpu.weight from shares, cpu.max from quota and period), its
# init from the clone on and exec's processes, the limits bite (the kernel's OOM killer, a
# refused fork), and delete --force removes it.
# The kernel may be fetched first, then QEMU boots (bounded to 150 s): tests/tap-exec.sh's bound is
# time-limit: 600
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../isolate/iso.inc"
. "$(dirname "$0")/oci.inc"

B=$T_TMP/bundle
RES='.linux.resources = {memory: {limit: 33554432, swap: 33554432}, pids: {limit: 12},
	cpu: {shares: 512, quota: 20000, period: 100000},
	devices: [{allow: false, access: "rwm"}]}'

t_no_cgroup() {
	need_oci || return 1
	host_has_delegation && skip "this host has a delegated cgroup v2: the QEMU test covers it"
	command -v strace >/dev/null || { fail "no strace (sh scripts/deps.sh check)"; return 1; }
	make_bundle "$B" sh -c 'echo ran' && cfg "$B" "$RES" || return 1
	log=$T_TMP/strace.log
	run strace -f -qq -o "$log" -e trace=%file,%desc,clone3 $OCI --log "$T_TMP/oci.log" \
		run --bundle "$B" r1
	expect_rc 0 && expect_out ran || return 1
	expect_eq "log lines" "$(grep -c 'linux.resources' "$T_TMP/oci.log")" 1 &&
		expect_err "isolate: warning: linux.resources: not applied: /sys/fs/cgroup is " || return 1
	cgroups_only_read "$log" || return 1
	nothing_left "$B"
}
t "no delegated cgroup v2: one log line, and /sys/fs/cgroup only read (strace)" t_no_cgroup

# The guest's /init: cgroup2 at /sys/fs/cgroup with memory, pids and cpu for children (the
# root cgroup is exempt from the no-internal-process rule), then the lifecycle of a
# container with linux.resources (from a tmpfs root: pivot_root cannot leave the
# initramfs); each step's output after a "=== NAME" line on ttyS1, warnings in the log.
VM_INIT='#!/bin/busybox sh
/bin/busybox --install -s /bin
if [ ! -e /.moved ]; then # pivot_root refuses the initramfs as the root it leaves: a tmpfs
	mkdir /n && mount -t tmpfs tmpfs /n && for d in /*; do [ "$d" = /n ] || cp -a "$d" /n/; done
	touch /n/.moved && exec switch_root /n /init
fi
'"$VM_SETUP"'
O="isolate --root /tmp/state"
C=/sys/fs/cgroup/isolate-c1
echo "=== create"; $O --log /tmp/log create --bundle /b --pid-file /tmp/pid c1 2>/dev/null; echo "rc=$?"
echo "=== files"; for f in memory.max memory.swap.max pids.max cpu.weight cpu.max; do
	echo "$f $(cat $C/$f)"; done
echo "=== procs"; [ "$(cat $C/cgroup.procs)" = "$(cat /tmp/pid)" ] && echo "the init"
$O start c1
echo "=== exec"; $O exec c1 cat /proc/self/cgroup
echo "=== oom"; $O exec c1 awk "BEGIN { s = \"x\"; while (1) s = s s }"; echo "rc=$?"
grep oom_kill $C/memory.events
echo "=== pids"; $O exec c1 sh -c "i=0; while [ \$i -lt 20 ]; do sleep 100 >/dev/null 2>&1 & i=\$((i+1)); done" 2>&1 |
	grep -c "can.t fork"; grep "^max" $C/pids.events
$O delete --force c1
echo "=== left"; ls /sys/fs/cgroup | grep -c isolate-
echo "=== none"; $O run --bundle /b2 c2; ls /sys/fs/cgroup | grep -c isolate-
echo "=== log"; cat /tmp/log
echo "=== done"
poweroff -f'

t_cgroup_vm() {
	need_oci || return 1
	command -v qemu-system-x86_64 >/dev/null ||
		skip "no qemu-system-x86_64 (sh scripts/deps.sh svm)"
	vm_kernel || return 1
	r=$T_TMP/vm
	make_bundle "$r/b" sleep 600 && cfg "$r/b" "$RES" && make_bundle "$r/b2" true || return 1
	printf '%s\n' "$VM_INIT" >"$r/init" && chmod 755 "$r/init" || return 1
	vm_run "$r" 150 "$BUSYBOX" "$ISO" || return 1
	section() { sed -n "/^=== $1\$/,/^=== /p" "$T_TMP/vm.txt" | sed '1d;$d'; }
	expect_eq "create" "$(section create)" "rc=0" || return 1
	# runc's conversions: swap = limit is no swap; 1 + (512 - 2) * 9999 / 262142 = 20
	expect_eq "the cgroup's files" "$(section files)" "memory.max 33554432
memory.swap.max 0
pids.max 12
cpu.weight 20
cpu.max 20000 100000" || return 1
	expect_eq "cgroup.procs" "$(section procs)" "the init" &&
		expect_eq "exec's process" "$(section exec)" "0::/isolate-c1" || return 1
	# the memory hog: killed by the kernel (SIGKILL: 128 + 9), counted in memory.events
	case $(section oom) in
	*"rc=137"*"oom_kill "[1-9]*) ;;
	*) fail "the hog in 32 MiB: $(section oom)"; return 1 ;;
	esac
	# 20 sleeps with 12 pids (the init, exec, sh; delete kills the sleeps): forks refused, pids.events counts them
	case $(section pids) in
	[1-9]*"max "[1-9]*) ;;
	*) fail "20 forks under pids.max 12: $(section pids)"; return 1 ;;
	esac
	expect_eq "cgroups left after delete" "$(section left)" 0 &&
		expect_eq "cgroups made without linux.resources" "$(section none)" 0 || return 1
	# applied: no "not applied" line, but one for the device rules it has no cgroup for
	expect_eq "the log" "$(section log)" \
		"warning: linux.resources: not applied (no such cgroup here): devices"
}
t "in a QEMU guest with a delegated cgroup v2: the container's cgroup, its limits, removed by delete" \
	t_cgroup_vm

done_testing
