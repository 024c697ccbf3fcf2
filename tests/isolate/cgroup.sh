#!/bin/sh
# tests/isolate/cgroup.sh: isolate's cgroup v2 detection reads and never writes. On a host
# without a delegated cgroup v2 (cgroup v1 mounted, or v2 without the memory, pids and cpu
# controllers), isolate says so with --verbose, falls back to rlimits, and, traced with
# strace, touches /sys/fs/cgroup with statfs, read-only opens and access(2) only: no mkdir,
# no write, no rmdir, no clone into a cgroup.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/iso.inc"

# The host's own verdict, the way isolate reaches it, in sh: a cgroup2 at /sys/fs/cgroup
# with memory, pids and cpu in our cgroup's controllers and subtree_control.
host_has_delegation() {
	[ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ] || return 1
	own=/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/self/cgroup)
	for c in memory pids cpu; do
		grep -qw "$c" "$own/cgroup.controllers" && grep -qw "$c" "$own/cgroup.subtree_control" ||
			return 1
	done
}

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
	grep -q 'statfs("/sys/fs/cgroup"' "$log" || { fail "no statfs of /sys/fs/cgroup traced"; return 1; }
	# every call naming /sys/fs/cgroup: statfs, access, a read-only open, nothing else
	bad=$(grep '/sys/fs/cgroup' "$log" | grep -v 'statfs("/sys/fs/cgroup"' |
		grep -v 'access(' | grep -v 'open.*O_RDONLY' || true)
	bad=$bad$(grep '/sys/fs/cgroup' "$log" | grep -E 'O_WRONLY|O_RDWR|O_CREAT|mkdir|rmdir|unlink|rename' || true)
	[ -z "$bad" ] || { fail "isolate changed cgroups: $bad"; return 1; }
	! grep -q 'CLONE_INTO_CGROUP' "$log" || { fail "clone3 into a cgroup"; return 1; }
}
t "without a delegated cgroup v2, isolate only reads /sys/fs/cgroup (strace)" t_reads_only

done_testing
