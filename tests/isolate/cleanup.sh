#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/isolate/cleanup.sh: nothing is left behind: after 100 runs in a row, 10 at once, and
# the error paths, the host has the interfaces, mounts and processes it had before.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/iso.inc"

# snapshot: the host's links (once earlier veth pairs have gone, as root), and mounts.
snapshot() {
	if [ "$(id -u)" -eq 0 ]; then links=$(quiet_links); else links=$(host_links); fi
	mounts=$(host_mounts)
}
expect_clean() { # expect_clean MARK
	expect_links "$links" && expect_mounts "$mounts" && expect_no_procs "$1"
}

t_sequential() {
	need_isolate || return 1
	snapshot
	mark="iso-seq-test-$$"
	i=0
	while [ $i -lt 100 ]; do
		"$ISO" sh -c ": $mark; exit 0" || { fail "run $i: exit status $?"; return 1; }
		i=$((i + 1))
	done
	expect_clean "$mark"
}
t "100 runs in a row leave no interface, mount or process" t_sequential

t_concurrent() {
	need_isolate || return 1
	snapshot
	mark="iso-conc-test-$$"
	# as root each has a veth and pings its host end; unprivileged, loopback only (no eth0)
	if [ "$(id -u)" -eq 0 ]; then
		eth="ip link show dev eth0 >/dev/null || exit 8
			a=\$(ip -o -4 addr show dev eth0 | awk '{ print \$4 }')
			ping -c1 -W1 \${a%.14/24}.13 >/dev/null || exit 9; sleep 0.2"
	else
		eth="! ip link show dev eth0 2>/dev/null || exit 7; sleep 0.2"
	fi
	pids=""
	i=0
	while [ $i -lt 10 ]; do
		"$ISO" sh -c ": $mark; $eth" >"$T_TMP/conc.$i" 2>&1 &
		pids="$pids $!"
		i=$((i + 1))
	done
	bad=0
	for p in $pids; do
		wait "$p" || bad=$((bad + 1))
	done
	[ $bad -eq 0 ] || { fail "$bad of 10 concurrent runs failed"; cat "$T_TMP"/conc.*; return 1; }
	expect_clean "$mark"
}
t "10 runs at once (each pinging its host end) leave no interface, mount or process" t_concurrent

t_error_paths() {
	need_isolate || return 1
	snapshot
	run "$ISO" no-such-program-xyz
	expect_rc 127 || return 1
	# error paths delete what they made before returning: no poll
	expect_eq "links right after a failed run" "$(host_links)" "$links" || return 1
	run "$ISO" "$T_TMP"
	expect_rc 126 || return 1
	expect_eq "links right after a failed run" "$(host_links)" "$links" || return 1
	if [ "$(id -u)" -eq 0 ]; then
		# a network namespace of the test's own whose lo has 10.77.2.2 already
		run unshare --net sh -c 'ip link set lo up && ip addr add 10.77.2.2/24 dev lo &&
			exec "$0" --net-addr 10.77.2.2/24,10.77.2.3 true' "$ISO"
		expect_rc 125 && expect_err "10.77.2.2 is already in use" && expect_one_line ||
			return 1
	fi
	expect_clean "no-such-program-xyz"
}
t "failed runs (126, 127, an address in use) leave nothing, with no wait" t_error_paths

done_testing
