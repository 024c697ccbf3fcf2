#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/isolate/cgroup.sh: isolate's cgroup v2 detection reads and never writes. On a host
# without a delegated cgroup v2 (cgroup v1 mounted, or v2 without the memory, pids and cpu
# controllers), isolate says so with --verbose, falls back to rlimits, and, traced with
# strace, touches /sys/fs/cgroup with statfs, read-only opens and access(2) only: no mkdir,
# no write, no rmdir, no clone into a cgroup. The cgroup path itself runs in a QEMU guest
# (a Debian kernel, its own cgroup2 with the controllers enabled), never on this host.
# The kernel may be fetched first, then QEMU boots (bounded to 120 s): tests/tap-exec.sh's bound is
# time-limit: 600
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/iso.inc"

t_detection() {
	need_isolate || return 1
	run "$ISO" --verbose --net none --memory 1G --processes 100 --cpu-time 10 --report - true
	expect_rc 0 || return 1
	if host_has_delegation; then
		expect_err "cgroup v2: delegated cgroup v2 at" && expect_err '"accounting": "cgroup"'
		return
	fi
	expect_err "cgroup v2: not used: " && expect_err "limits by rlimits and sampling" &&
		expect_err '"accounting": "rlimit"' &&
		expect_err '"approximate": ["cpu-time", "memory", "processes"]' || return 1
	if [ "$(stat -f -c %T /sys/fs/cgroup)" != cgroup2fs ]; then
		expect_err "/sys/fs/cgroup is a tmpfs (cgroup v1 hierarchies are mounted under it)" ||
			expect_err "/sys/fs/cgroup is cgroup v1"
	fi
}
t "--verbose says whether a delegated cgroup v2 is used, and what is approximate without" \
	t_detection

t_reads_only() {
	need_isolate || return 1
	command -v strace >/dev/null || { fail "no strace (sh scripts/deps.sh check)"; return 1; }
	host_has_delegation && skip "this host has a delegated cgroup v2: isolate uses it"
	log=$T_TMP/strace.log
	run strace -f -qq -o "$log" -e trace=%file,%desc,clone3 "$ISO" --net none --init \
		--memory 1G --processes 100 --cpu-time 10 --report "$T_TMP/r.json" true
	expect_rc 0 || return 1
	cgroups_only_read "$log"
}
t "without a delegated cgroup v2, isolate only reads /sys/fs/cgroup (strace)" t_reads_only

# The guest's /init: its own cgroup2 at /sys/fs/cgroup with memory, pids and cpu enabled
# for children (the root cgroup may: it is exempt from the no-internal-process rule), then
# isolate against a memory hog, a fork bomb and two busy loops (the one within its limits
# gets 60 s of CPU: TCG under a loaded host counts slowly); each report on ttyS1 after a
# "=== NAME rc=N" line; then what is left in /sys/fs/cgroup.
VM_INIT='#!/bin/busybox sh
/bin/busybox --install -s /bin
'"$VM_SETUP"'
one() { n=$1; shift; isolate --net none --report /tmp/$n.json "$@" >/tmp/$n.out 2>&1
	echo "=== $n rc=$?"; cat /tmp/$n.json; }
one memory --verbose --memory 64M /progs/memhog
one forkbomb --processes 20 --wall-time 1 /progs/forkbomb
one cpu --init --cpu-time 1 sh -c "while :; do :; done & while :; do :; done"
one ok --init --memory 256M --processes 50 --cpu-time 60 /progs/memhog 100
echo "=== verbose"; grep -i "cgroup" /tmp/memory.out
echo "=== left"; ls /sys/fs/cgroup | grep -c isolate-
echo "=== done"
poweroff -f'

t_cgroup_vm() {
	need_isolate && need_progs || return 1
	command -v qemu-system-x86_64 >/dev/null ||
		skip "no qemu-system-x86_64 (sh scripts/deps.sh svm)"
	[ -x /bin/busybox ] || skip "no busybox (sh scripts/deps.sh svm)"
	vm_kernel || return 1
	r=$T_TMP/vm
	mkdir -p "$r/progs" && cp "$PROGS"/* "$r/progs/" &&
		printf '%s\n' "$VM_INIT" >"$r/init" && chmod 755 "$r/init" || return 1
	# the progs need only libc, which isolate's libraries include
	vm_run "$r" 120 /bin/busybox "$ISO" || return 1
	# one file per report
	awk -v d="$T_TMP" '/^=== / { f = d "/" $2 ".json"; next } { print >f }' "$T_TMP/vm.txt"
	section() { sed -n "/^=== $1/,/^=== /p" "$T_TMP/vm.txt" | sed '1d;$d'; }
	# the memory hog: killed by the kernel's OOM killer in the cgroup, known exactly
	expect_jf "$T_TMP/memory.json" .accounting cgroup &&
		expect_jf "$T_TMP/memory.json" .status "memory limit" &&
		expect_jf "$T_TMP/memory.json" .limit_exact true &&
		expect_jf "$T_TMP/memory.json" '.approximate | length' 0 || return 1
	# the fork bomb: pids.max held it, pids.events says so
	expect_jf "$T_TMP/forkbomb.json" .status "wall-time limit" &&
		expect_jf "$T_TMP/forkbomb.json" '.limits_hit | join(",")' "wall-time,processes" || return 1
	# two busy loops: the cgroup's CPU time, the whole container's, reached 1 s
	expect_jf "$T_TMP/cpu.json" .status "time limit" && expect_jf "$T_TMP/cpu.json" .limit_exact true &&
		in_range "cpu_time" "$(jf "$T_TMP/cpu.json" .cpu_time)" 0.95 2.5 || return 1
	# within every limit: ok, 100 MiB seen
	expect_jf "$T_TMP/ok.json" .status ok && expect_jf "$T_TMP/ok.json" .accounting cgroup &&
		in_range peak_rss_kib "$(jf "$T_TMP/ok.json" .peak_rss_kib)" 102400 262144 || return 1
	v=$(section verbose)
	case "$v" in
	*"cgroup v2: delegated cgroup v2 at /sys/fs/cgroup with memory, pids and cpu"*"memory.max = 67108864"*"INTO_CGROUP"*"cgroup: removed"*) ;;
	*) fail "--verbose in the guest: $v"; return 1 ;;
	esac
	expect_eq "cgroups left in the guest" "$(section left)" 0
}
t "in a QEMU guest with a delegated cgroup v2: memory, pids and CPU by the cgroup, exactly" \
	t_cgroup_vm

done_testing
