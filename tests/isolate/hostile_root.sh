#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/isolate/hostile_root.sh: the hostile-program suite (hostile.inc) with isolate run by
# root, and what only root has: the container's root is an unprivileged slot, the subnet
# lock no other user can hold, the classic address on back-to-back runs.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/iso.inc"

if [ "$(id -u)" -ne 0 ]; then
	skip_not_root() { skip "needs root"; }
	t "hostile programs against root's isolate" skip_not_root
	done_testing
	exit
fi
AS=""
. "$(dirname "$0")/hostile.inc"

# stop_holder PID: ends a background `flock -o FILE sleep N` (the lock goes with flock) and
# its sleep.
stop_holder() {
	kill $(pgrep -P "$1") "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# two_at_once ISOLATE_ARGS CMD: two runs of `isolate ISOLATE_ARGS sh -c CMD` (their output
# in $T_TMP/a and $T_TMP/b) that are both still running when both have printed: each then
# waits for the go file, made once both outputs are there (no sleep to guess the overlap).
two_at_once() {
	rm -f "$T_TMP/go" "$T_TMP/a" "$T_TMP/b"
	hold="n=0; while [ ! -e $T_TMP/go ] && [ \$n -lt 600 ]; do sleep 0.05; n=\$((n + 1)); done"
	# shellcheck disable=SC2086
	"$HISO" $1 sh -c "$2; $hold" >"$T_TMP/a" &
	a=$!
	# shellcheck disable=SC2086
	"$HISO" $1 sh -c "$2; $hold" >"$T_TMP/b" &
	b=$!
	both=0
	poll 300 sh -c "[ -s '$T_TMP/a' ] && [ -s '$T_TMP/b' ]" || both=1
	: >"$T_TMP/go"
	bounded_wait $a && bounded_wait $b || return 1
	[ $both = 0 ] || fail "the two runs did not both print within 30 s"
}

t_slots() {
	need_isolate || return 1
	# two at once: distinct slots, neither the host's root nor any user's
	two_at_once "--net none" 'cat /proc/self/uid_map' || { fail "a run failed"; return 1; }
	ua=$(awk '{ print $2 }' "$T_TMP/a") && ub=$(awk '{ print $2 }' "$T_TMP/b")
	expect_slot_map "$(cat "$T_TMP/a")" && expect_slot_map "$(cat "$T_TMP/b")" || return 1
	[ "$ua" != "$ub" ] || { fail "two runs at once share uid $ua"; return 1; }
	# the lock folder is root's alone
	expect_eq "/run/isolate" "$(stat -c '%u %a' /run/isolate)" "0 755" &&
		expect_eq "ids.lock" "$(stat -c '%u %a' /run/isolate/ids.lock)" "0 600"
}
t "concurrent runs get distinct unprivileged id slots, locked in root's /run/isolate" t_slots

t_userns_root() {
	need_isolate || return 1
	# the host's root seen through `unshare -r` (its 0 is root's 0): no pool to map into,
	# so no run, rather than a container whose root is the host's
	run unshare --user --map-root-user "$HISO" --net none cat /proc/self/uid_map
	expect_rc 125 && expect_one_line &&
		expect_err "the host's root in a user namespace that does not map" || return 1
	# by name, the old mapping
	run unshare --user --map-root-user "$HISO" --net none --map-host-root cat /proc/self/uid_map
	expect_rc 0 && expect_eq "map" "$(echo $OUT)" "0 0 1"
}
t "the host's root through unshare -r: refused in one line (no unprivileged ids), unless --map-host-root" \
	t_userns_root

t_lock_nobody() {
	need_isolate || return 1
	"$HISO" --net veth true || { fail "a first run failed"; return 1; }
	expect_eq "net.lock" "$(stat -c '%u %a %F' /run/isolate/net.lock)" "0 600 regular empty file" ||
		return 1
	# nobody cannot open root's lock, so cannot hold it; the old world-writable path
	# held by nobody stops nothing
	$AS_NOBODY flock -n /run/isolate/net.lock true 2>/dev/null &&
		{ fail "nobody could lock /run/isolate/net.lock"; return 1; }
	$AS_NOBODY flock -o /run/lock/minivirt-isolate.lock sleep 30 &
	holder=$!
	# the old lock really held before isolate starts (else nothing is tested)
	poll 50 sh -c '! flock -n /run/lock/minivirt-isolate.lock true' ||
		{ stop_holder $holder; fail "nobody's holder never held the old lock"; return 1; }
	"$HISO" --net veth true &
	pid=$!
	bounded_wait $pid
	rc=$?
	stop_holder $holder
	expect_eq "status with nobody holding the old lock" "$rc" 0
}
t "the subnet lock: root's file, nobody cannot hold it; the old /run/lock path blocks nothing" \
	t_lock_nobody

t_lock_signal() {
	need_isolate || return 1
	# another isolate stuck holding the lock (simulated; released as soon as the test is
	# done, 20 s at most): a SIGTERM to a waiting isolate ends it at once, with one line
	flock -o /run/isolate/net.lock sleep 20 &
	holder=$!
	poll 50 sh -c '! flock -n /run/isolate/net.lock true' || { fail "no holder"; return 1; }
	"$HISO" --net veth sh -c 'echo ran' >"$T_TMP/out" 2>"$T_TMP/err" &
	pid=$!
	poll 50 sh -c "pgrep -P $pid >/dev/null" # the container exists: setup is under way
	kill -TERM $pid
	bounded_wait $pid
	rc=$?
	stop_holder $holder
	ERR=$(cat "$T_TMP/err")
	[ "$rc" -ne 0 ] && [ ! -s "$T_TMP/out" ] || { fail "it ran (status $rc)"; return 1; }
	expect_err "SIGTERM while waiting for the subnet lock" && expect_one_line
}
t "a SIGTERM while isolate waits for the subnet lock ends it at once, in one line" t_lock_signal

t_unreachable_bind() {
	need_isolate || return 1
	# a folder only root may search: the container's ids, which make the mount, cannot
	mkdir -p "$T_TMP/private/src" && chmod 700 "$T_TMP/private" || return 1
	run "$HISO" --net none --ro-bind "$T_TMP/private/src:/mnt" true
	expect_rc 125 && expect_one_line &&
		expect_err "--ro-bind $T_TMP/private/src:/mnt: Permission denied (the container's ids make the mount" ||
		return 1
	chmod 711 "$T_TMP/private"
	run "$HISO" --net none --ro-bind "$T_TMP/private/src:/mnt" true
	expect_rc 0
}
t "a --bind SRC root alone may reach: one line, 125, saying why; reachable by others, it binds" \
	t_unreachable_bind

t_classic_address() {
	need_isolate || return 1
	quiet_links >/dev/null
	for i in 1 2 3; do
		run "$HISO" sh -c 'ip -4 -o addr show eth0 | awk "{ print \$4 }"; ping -c1 -W2 10.11.12.13 >/dev/null && echo pong'
		expect_rc 0 && expect_eq "run $i: address, ping" "$(echo $OUT)" "10.11.12.14/24 pong" ||
			return 1
	done
	# two at once still get distinct subnets
	two_at_once "" 'ip -4 -o addr show eth0 | awk "{ print \$4 }"' || return 1
	[ -s "$T_TMP/a" ] && [ "$(cat "$T_TMP/a")" != "$(cat "$T_TMP/b")" ] ||
		{ fail "concurrent runs: '$(cat "$T_TMP/a")' and '$(cat "$T_TMP/b")'"; return 1; }
}
t "back-to-back runs each get the classic 10.11.12.14; concurrent ones distinct subnets" \
	t_classic_address

done_testing
