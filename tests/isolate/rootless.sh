#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/isolate/rootless.sh: isolate run by an unprivileged user (as root, the tests drop
# to nobody with setpriv): every namespace works, networking is loopback only and says so
# in one line, and nothing is left behind.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/iso.inc"

if [ "$(id -u)" -eq 0 ]; then
	AS="$AS_NOBODY"
	AS_UID=65534
	AS_GID=65534
else
	AS="" # already unprivileged
	AS_UID=$(id -u)
	AS_GID=$(id -g)
fi
# A folder the unprivileged user can use ($T_TMP is root's alone), with a copy of isolate:
# the build folder may be in one nobody cannot enter (a clone under /root).
PUB=$(mktemp -d /tmp/minivirt-rootless.XXXXXX)
chmod 1777 "$PUB"
trap 'rm -rf "$T_TMP" "$PUB"' EXIT
if [ -x "$ISO" ] && [ -n "$AS" ]; then
	cp "$ISO" "$PUB/isolate" && chmod 755 "$PUB/isolate" && ISO=$PUB/isolate
fi

t_ids() {
	need_isolate || return 1
	run $AS "$ISO" --net none sh -c 'id -u; id -g; cat /proc/self/uid_map'
	expect_rc 0 || return 1
	expect_eq "uid gid map" "$(printf '%s\n' "$OUT" | tr -s ' \n' ' ')" "0 0 0 $AS_UID 1 " &&
		expect_eq "gid_map" "$($AS "$ISO" --net none cat /proc/self/gid_map | tr -s ' ')" \
			" 0 $AS_GID 1"
}
t "unprivileged: uid and gid 0 inside, mapped to the user's" t_ids

t_namespaces() {
	need_isolate || return 1
	run $AS "$ISO" sh -c 'for n in user uts ipc net pid mnt; do readlink /proc/self/ns/$n; done
		echo $$; hostname; ps -e -o pid= | wc -l'
	expect_rc 0 || return 1
	for n in user uts ipc net pid mnt; do
		host=$($AS readlink "/proc/self/ns/$n")
		inside=$(printf '%s\n' "$OUT" | grep "^$n:")
		[ -n "$inside" ] && [ "$inside" != "$host" ] ||
			{ fail "$n namespace: inside '$inside', host '$host'"; return 1; }
	done
	expect_eq "pid, hostname, processes" "$(printf '%s\n' "$OUT" | tail -n 3 | tr -s ' \n' ' ')" \
		"1 isolated 3 "
}
t "unprivileged: six new namespaces, PID 1, own hostname, ps shows the container only" \
	t_namespaces

t_loopback_notice() {
	need_isolate || return 1
	before=$(host_links)
	run $AS "$ISO" sh -c 'ip -o link show | cut -d: -f2 | tr -d " "; ping -c1 -W1 127.0.0.1 >/dev/null && echo pinged'
	expect_rc 0 && expect_eq "links, ping" "$(printf '%s\n' "$OUT" | tr '\n' ' ')" "lo pinged " &&
		expect_err "networking is loopback only: a veth pair needs CAP_NET_ADMIN" &&
		expect_one_line || return 1
	expect_eq "host links" "$(host_links)" "$before"
}
t "unprivileged: loopback only (lo up), said in one line on stderr" t_loopback_notice

t_net_none() {
	need_isolate || return 1
	run $AS "$ISO" --net none true
	expect_rc 0 && expect_eq "stderr" "$ERR" ""
}
t "unprivileged --net none: nothing said" t_net_none

t_net_veth() {
	need_isolate || return 1
	run $AS "$ISO" --net veth true
	expect_rc 125 && expect_err "--net veth: a veth pair needs CAP_NET_ADMIN" && expect_one_line
}
t "unprivileged --net veth: one line, exit 125" t_net_veth

t_mount() {
	need_isolate || return 1
	before=$(host_mounts)
	mark="iso-rootless-mount-$$"
	mkfifo "$PUB/go"
	chmod 666 "$PUB/go"
	$AS "$ISO" --net none --no-harden sh -c "mount -t tmpfs $mark /mnt && echo mounted >$PUB/in && read x <$PUB/go" &
	pid=$!
	poll 100 test -s "$PUB/in" || { fail "the container did not mount"; kill -9 "$pid"; return 1; }
	during=$(host_mounts)
	echo go >"$PUB/go"
	wait "$pid" || { fail "the container failed"; return 1; }
	expect_eq "host mounts while it ran" "$during" "$before" && expect_mounts "$before"
}
t "unprivileged: a mount made inside never shows on the host" t_mount

t_signal() {
	need_isolate || return 1
	$AS "$ISO" --net none sh -c "trap 'exit 3' TERM; echo ready >$PUB/ready; while :; do sleep 0.05; done" &
	pid=$!
	poll 100 test -s "$PUB/ready" || { fail "PROGRAM did not start"; kill -9 "$pid"; return 1; }
	# $! is setpriv's pid, which exec'd isolate
	kill -TERM "$pid"
	bounded_wait "$pid"
	expect_eq "status" "$?" 3
}
t "unprivileged: SIGTERM to isolate reaches PROGRAM" t_signal

t_nothing_left() {
	need_isolate || return 1
	before=$(host_links)
	mounts=$(host_mounts)
	mark="iso-rootless-left-$$"
	i=0
	while [ $i -lt 20 ]; do
		$AS "$ISO" sh -c ": $mark" 2>/dev/null || { fail "run $i failed"; return 1; }
		i=$((i + 1))
	done
	$AS "$ISO" sh -c ": $mark; sleep 100; exit" 2>/dev/null &
	pid=$!
	poll 100 sh -c "c=\$(pgrep -P $pid) && pgrep -P \$c sleep >/dev/null" ||
		{ fail "PROGRAM did not start"; kill -9 "$pid"; return 1; }
	kill -KILL "$pid"
	bounded_wait "$pid"
	expect_no_procs "$mark" && expect_mounts "$mounts" &&
		expect_eq "host links" "$(host_links)" "$before"
}
t "unprivileged: 20 runs and a SIGKILLed one leave no process, mount or link" t_nothing_left

t_forkbomb() {
	need_isolate || return 1
	[ -x "$T_BUILD/isolate-progs/forkbomb" ] || { fail "isolate-progs not built (make)"; return 1; }
	cp "$T_BUILD/isolate-progs/forkbomb" "$PUB/forkbomb" && chmod 755 "$PUB/forkbomb"
	# RLIMIT_NPROC counts uid 0 of the container's own user namespace: 20 tasks, whatever
	# else the user runs
	$AS "$ISO" --net none --processes 20 --wall-time 1.5 --report "$PUB/r.json" "$PUB/forkbomb" &
	pid=$!
	ns=$(bomb_ns "$pid") || { fail "no container seen under isolate $pid"; return 1; }
	max=$(count_bomb "$pid" "$ns")
	bounded_wait "$pid"
	expect_eq "status" "$?" 137 || return 1
	[ "$max" -ge 2 ] && [ "$max" -le 20 ] || { fail "$max forkbomb processes at once"; return 1; }
	expect_eq "left" "$(bombs_in "$ns")" 0 &&
		expect_eq "hit" "$(jq -r '.limits_hit | join(",")' "$PUB/r.json")" "wall-time,processes"
}
t "unprivileged: a fork bomb stays within --processes 20 and is cleaned up" t_forkbomb

done_testing
