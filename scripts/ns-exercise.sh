#!/bin/sh
# SPDX-License-Identifier: MIT
# scripts/ns-exercise.sh: the namespace exercise's sequence (docs/questions.md, part 2), run
# for real: the "child shell" and "parent shell" columns as two processes kept in step, then
# the minimal form, the order experiments, a deferred map, the capability rule and
# persistent namespaces.
#
# Usage: sh scripts/ns-exercise.sh [sequence|minimal|order|deferred|caps|persist|all]
# Run it as root or as any user (e.g. nobody: setpriv --reuid=65534 --regid=65534
# --clear-groups sh scripts/ns-exercise.sh). As root it first moves into a network and a
# mount namespace of its own (unshare --net --mount), so the veth it makes and the bind
# mount it shows never touch the machine's own (it checks that it is there before it makes
# the veth); as a user it cannot make a veth at all.
# Each step prints the command, as in the exercise, and its real output; "[child ]" lines
# are the child shell's column, "[parent]" lines the parent's.
set -u

ME=$0 # the stages run this file again, from the same folder
if [ -z "${ISOLATE:-}" ]; then # on the PATH (installed, or build/ added), else build/'s
	ISOLATE=$(dirname "$0")/../build/isolate
	! command -v isolate >/dev/null || ISOLATE=isolate
fi
WAIT_TENTHS=${NS_EXERCISE_WAIT:-300} # a step waits at most 30 s for the other column

# --- helpers ------------------------------------------------------------------------------
who=parent
say() { printf '[%-6s] %s\n' "$who" "$*"; }
# run CMD: prints "$ CMD" and CMD's output (stdout and stderr), prefixed with the column
run() {
	say "\$ $*"
	eval "$*" >"$D/out.$$" 2>&1
	rc=$?
	sed "s/^/$(printf '[%-6s] ' "$who")/" "$D/out.$$"
	rm -f "$D/out.$$"
	return $rc
}
# run_lsns ARGS: run "lsns ARGS", again when it fails: lsns reads every process's /proc,
# and one that ends meanwhile can make it print nothing
run_lsns() {
	n=0
	until out=$(lsns "$@" 2>&1) && [ -n "$out" ] || [ $n -ge 20 ]; do
		n=$((n + 1))
		sleep 0.1
	done
	say "\$ lsns $*"
	printf '%s\n' "$out" | sed "s/^/$(printf '[%-6s] ' "$who")/"
}
# flag NAME / await NAME: one column tells the other it may go on (files in $D)
flag() { : >"$D/$1"; }
await() {
	n=0
	while [ ! -e "$D/$1" ]; do
		n=$((n + 1))
		# the parent also stops when the child's column has ended early
		if [ $n -gt "$WAIT_TENTHS" ] || { [ -n "${CHILD:-}" ] && ! kill -0 "$CHILD" 2>/dev/null; }; then
			echo "ns-exercise: $who waited too long for '$1'" >&2
			exit 1
		fi
		sleep 0.1
	done
}
# pid_of COMM: the process of our run whose comm starts with COMM (the exercise's
# `ps -e -o pid,comm | grep`, kept to this run's session so two runs never mix)
pid_of() { ps -s "$SID" -o pid=,comm= | grep "$1" | awk '{ print $1 }' | head -n 1; }
await_comm() {
	n=0
	while [ -z "$(pid_of "$1")" ]; do
		n=$((n + 1))
		[ $n -le "$WAIT_TENTHS" ] || { echo "ns-exercise: no process named $1" >&2; exit 1; }
		sleep 0.1
	done
}
title() { printf '\n== %s ==\n' "$*"; }
# newdir: a folder for this section's flags, open to the other column whatever its uid
newdir() {
	D=$(mktemp -d "$TOP/step.XXXXXX")
	chmod 1777 "$D"
}
# await_child NAME: until a child of process $SID runs NAME (its comm)
await_child() {
	n=0
	until ps --ppid "$SID" -o comm= | grep -qx "$1"; do
		n=$((n + 1))
		[ $n -le "$WAIT_TENTHS" ] || { echo "ns-exercise: no $1 in session $SID" >&2; exit 1; }
		sleep 0.1
	done
}

# --- the child shell's column: one stage per unshare, each a new shell --------------------
# (the exercise's /bin/bash; here sh running this file again, in the namespaces unshare made)
child_stage1() { # line 3: in the new user namespace
	run 'echo "my-user-ns" > /proc/$$/comm'
	run id
	flag named
	await mapped
	run id
	# this shell was exec'd before the maps existed: it has no capabilities; a new exec
	# as the mapped uid 0 gets them all (the capability rule across execve)
	run 'grep CapEff /proc/$$/status'
	run "sh -c 'grep CapEff /proc/self/status'"
	say "\$ unshare --ipc --uts --kill-child /bin/sh"
	unshare --ipc --uts --kill-child sh "$ME" 2
}
child_stage2() { # lines 20-23: new UTS and IPC namespaces
	run 'hostname isolated'
	run hostname
	say "\$ unshare --net --kill-child /bin/sh"
	unshare --net --kill-child sh "$ME" 3
}
child_stage3() { # lines 26-50: a new network namespace
	run 'echo "my-net-ns" > /proc/$$/comm'
	flag netns
	await veth
	run 'ip -brief link'
	run 'ip link set lo up'
	if [ -e "$D/has-veth" ]; then
		run 'ip link set peer0 up'
		run 'ip addr add 10.11.12.14/24 dev peer0'
		run "ping -c 1 -W 2 10.11.12.13 | head -n 2"
	else
		run "ping -c 1 -W 2 127.0.0.1 | head -n 2"
	fi
	say "\$ unshare --pid --mount --fork --kill-child /bin/sh"
	unshare --pid --mount --fork --kill-child sh "$ME" 4
}
child_stage4() { # lines 53-55: new PID and mount namespaces; this shell is PID 1
	run 'mount -t proc proc /proc'
	run 'ps -o pid,ppid,user,args'
	flag pid1
	# PID 1 waits for the parent's look at the tree in `read` (a builtin: no process of
	# its own in the tree, as the exercise's shell waits at its prompt)
	read -r _ <"$D/tree"
}

# --- the parent shell's column -----------------------------------------------------------
parent_sequence() {
	await named
	run "ps -s $SID -o pid,comm | grep my-user-ns"
	P=$(pid_of my-user-ns)
	if [ "$(id -u)" -eq 0 ]; then
		# the exercise's lines 12-13, there run with sudo by uid 1000: `0 1000 1000`, its own
		# uid 1000 (and 999 more) becoming 0 (to 999) inside. Here the creator is root, uid 0:
		run "echo '0 0 1000' > /proc/$P/uid_map"
		run "echo '0 0 1000' > /proc/$P/gid_map"
	else
		# a user may map only its own ids, one line each, and must deny setgroups first
		run "echo deny > /proc/$P/setgroups"
		run "echo '0 $(id -u) 1' > /proc/$P/uid_map"
		run "echo '0 $(id -g) 1' > /proc/$P/gid_map"
	fi
	flag mapped
	await netns
	run "ps -s $SID -o pid,comm | grep my-net-ns"
	N=$(pid_of my-net-ns)
	if [ "$(id -u)" -eq 0 ] && { [ -z "${NS_EXERCISE_HOST_NET:-}" ] ||
		[ "$(readlink /proc/self/ns/net)" = "$NS_EXERCISE_HOST_NET" ]; }; then
		# never a veth in the network namespace the script was started in
		echo "ns-exercise: not in a network namespace of the script's own: no veth" >&2
		kill -s KILL -- "-$SID" # the child column: its process group
		exit 1
	fi
	if run 'ip link add veth0 type veth peer name peer0'; then
		run 'ip link set veth0 up'
		run 'ip addr add 10.11.12.13/24 dev veth0'
		run "ip link set peer0 netns /proc/$N/ns/net"
		flag has-veth
	else
		say "(no veth: a user has no CAP_NET_ADMIN over this network namespace; lo only)"
	fi
	flag veth
	await pid1
	say "the process tree, seen from the parent shell:"
	run "ps -ww --forest -s $SID -o pid,ppid,user,args"
	I=$(ps -s "$SID" -o pid=,args= | awk '$3 ~ /ns-exercise/ && $4 == 4 { print $1 }' | tail -n 1)
	say "PID 1's namespaces, beside the parent's (/proc/PID/ns/TYPE links: type:[inode]):"
	for t in user uts ipc net pid mnt; do
		say "  $(readlink "/proc/$I/ns/$t")  parent: $(readlink "/proc/$$/ns/$t")"
	done
	timeout 10 sh -c "echo go >'$D/tree'"
	wait "$CHILD"
	CHILD=
	say "after the child shell's column has exited:"
	# the kernel tears a dead network namespace down asynchronously, within a few ms: its
	# peer0, and with it veth0 here, go then
	n=0
	while ip link show veth0 >/dev/null 2>&1 && [ $n -lt 50 ]; do
		n=$((n + 1))
		sleep 0.1
	done
	run 'ip link show veth0'
	: "$I"
}

sequence() {
	title "the exercise's sequence, as $(id -un) (uid $(id -u))"
	newdir
	mkfifo -m 666 "$D/tree"
	# the child column in a session of its own, so ps can show just this run's tree
	who=child
	say "\$ unshare -U --kill-child /bin/sh"
	NS_D=$D setsid unshare -U --kill-child sh "$ME" 1 &
	CHILD=$!
	SID=$CHILD
	who=parent
	parent_sequence
	rm -rf "$D"
}

# --- the minimal form --------------------------------------------------------------------
minimal() {
	title "the minimal form: one unshare, every namespace at once, as $(id -un)"
	newdir
	cmd="unshare --user --map-root-user --uts --ipc --net --pid --mount --fork --kill-child --mount-proc sleep 30"
	say "\$ $cmd &"
	setsid $cmd &
	SID=$!
	await_child sleep
	run "ps -ww --forest -p $SID --ppid $SID -o pid,ppid,user,args"
	# unshare --fork ignores SIGTERM while it waits; killed, it takes its child along
	# (--kill-child: the child's parent-death signal), and PID 1's end ends the namespace
	run "kill -KILL $SID"
	wait "$SID" 2>/dev/null
	if command -v "$ISOLATE" >/dev/null; then
		say "and isolate, which clones once into all six:"
		say "\$ isolate --net none sleep 30 &"
		setsid "$ISOLATE" --net none sleep 30 &
		SID=$!
		await_child sleep
		# (PROGRAM has a session of its own: isolate's children are the tree)
		run "ps -ww --forest -p $SID --ppid $SID -o pid,ppid,user,args"
		# sleep, as PID 1, has no handler for SIGTERM: isolate would forward it in vain
		run "kill -KILL $SID"
		wait "$SID" 2>/dev/null
	fi
	rm -rf "$D"
}

# --- the order of creation ---------------------------------------------------------------
order() {
	title "another order: a namespace before the user namespace, as $(id -un)"
	newdir
	run 'unshare --ipc true && echo "unshare --ipc: done"'
	run 'unshare --uts true && echo "unshare --uts: done"'
	if [ "$(id -u)" -eq 0 ]; then
		# root may; but then the UTS and network namespaces belong to the host's user
		# namespace, and the user namespace made afterwards gives no power over them
		run "unshare --uts --net sh -c 'unshare --user --map-root-user sh -c \"hostname isolated; ip link set lo up\"'"
		say "the right order, user namespace first, for comparison:"
		run "unshare --user --map-root-user --uts --net sh -c 'hostname isolated; hostname; ip link set lo up && echo lo up'"
	fi
	rm -rf "$D"
}

# --- a deferred map (the exercise's lines 12-13 late) -----------------------------------
deferred_child() {
	run id
	run 'grep CapEff /proc/$$/status'
	run "unshare --ipc --uts true && echo done"
	flag tried
	await mapped
	run id
	run 'grep CapEff /proc/$$/status'
	run "unshare --ipc --uts sh -c 'hostname isolated; hostname'"
}
deferred() {
	title "the maps written late, as $(id -un)"
	newdir
	who=child
	say "\$ unshare -U --kill-child /bin/sh"
	NS_D=$D setsid unshare -U --kill-child sh "$ME" deferred-child &
	CHILD=$!
	SID=$CHILD
	who=parent
	await tried
	P=$(ps -s "$SID" -o pid=,args= | awk '$2 == "sh" && $4 == "deferred-child" { print $1 }')
	[ "$(id -u)" -eq 0 ] || run "echo deny > /proc/$P/setgroups"
	run "echo '0 $(id -u) 1' > /proc/$P/uid_map"
	run "echo '0 $(id -g) 1' > /proc/$P/gid_map"
	flag mapped
	wait "$CHILD"
	CHILD=
	rm -rf "$D"
}

# --- capabilities across execve ----------------------------------------------------------
caps() {
	title "capabilities across execve, as $(id -un)"
	newdir
	run "unshare --user sh -c 'id -u; grep CapEff /proc/self/status'"
	run "unshare --user --map-root-user sh -c 'id -u; grep CapEff /proc/self/status'"
	run "unshare --user --map-root-user setpriv --bounding-set=-all sh -c 'id -u; grep CapEff /proc/self/status'"
	if command -v "$ISOLATE" >/dev/null; then
		run "$ISOLATE --net none sh -c 'id -u; grep -E \"CapEff|CapBnd|NoNewPrivs\" /proc/self/status'"
	fi
	rm -rf "$D"
}

# --- joining and persisting namespaces ---------------------------------------------------
persist() {
	title "joining and keeping a namespace, as $(id -un)"
	newdir
	if [ "$(id -u)" -ne 0 ]; then
		say "(as a user: nsenter needs CAP_SYS_ADMIN over the namespace, and a bind mount"
		say " CAP_SYS_ADMIN over the mount namespace: shown as root)"
		run "unshare --user --net sleep 5 & sleep 0.3; nsenter --net -t \$! true; kill \$!"
		rm -rf "$D"
		return 0
	fi
	newdir
	# a veth pair made inside the new network namespace, so the namespace holds something
	unshare --net sh -c "ip link add a0 type veth peer name b0; touch $D/up; exec sleep 30" &
	P=$!
	await up
	run "nsenter --net -t $P ip -brief link"
	run_lsns -t net -p "$P" -o NS,TYPE,NPROCS,COMMAND
	NSID=$(readlink "/proc/$P/ns/net" | tr -dc 0-9)
	run "touch $D/net && mount --bind /proc/$P/ns/net $D/net"
	run "kill $P"
	wait "$P" 2>/dev/null
	say "no process is in it now, but the bind mount keeps it (as ip netns add's /run/netns/NAME do):"
	run "nsenter --net=$D/net ip -brief link"
	say "lsns lists the namespaces of processes only: a kept one is found among the mounts"
	run "lsns -t net -o NS | grep -c $NSID"
	run "findmnt -t nsfs -o TARGET,SOURCE"
	run "umount $D/net"
	run "nsenter --net=$D/net true"
	rm -rf "$D"
}

# --- entry -------------------------------------------------------------------------------
case ${1:-} in # a child column's stage, run by unshare (its folder in NS_D)
[1-4]) who=child D=$NS_D; "child_stage$1"; exit 0 ;;
deferred-child) who=child D=$NS_D; deferred_child; exit 0 ;;
esac
# As root: a network and a mount namespace of the script's own first, so the veth and the
# bind mount live and die there, never in the machine's.
# (NS_EXERCISE_HOST_NET: the namespace it was started in, where it never makes a veth)
if [ "$(id -u)" -eq 0 ] && [ -z "${NS_EXERCISE_OWN_NS:-}" ]; then
	NS_EXERCISE_HOST_NET=$(readlink /proc/self/ns/net) NS_EXERCISE_OWN_NS=1 \
		exec unshare --net --mount sh "$ME" "$@"
fi
TOP=$(mktemp -d "${TMPDIR:-/tmp}/ns-exercise.XXXXXX")
chmod 755 "$TOP"
trap 'rm -rf "$TOP"' EXIT
what=${1:-all}
case $what in
sequence | minimal | order | deferred | caps | persist) "$what" ;;
all) sequence; minimal; order; deferred; caps; persist ;;
*) echo "usage: sh scripts/ns-exercise.sh [sequence|minimal|order|deferred|caps|persist|all]" >&2; exit 2 ;;
esac
