#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/isolate/namespaces.sh: what each namespace gives the container: uid/gid 0 (user),
# its own hostname (UTS), SysV IPC (IPC), PID 1 and its own /proc (PID), private mounts
# (mount), and six /proc/self/ns links that differ from the host's.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/iso.inc"

t_ids() {
	need_isolate || return 1
	run "$ISO" --net none sh -c 'id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map'
	expect_rc 0 || return 1
	expect_eq "uid, gid inside" "$(printf '%s\n' "$OUT" | head -n 2 | tr '\n' ' ')" "0 0 " ||
		return 1
	if [ "$(id -u)" -eq 0 ]; then
		# root's container root is a slot of the unprivileged pool, never the host's root
		expect_slot_map "$(printf '%s\n' "$OUT" | sed -n 3p)" &&
			expect_slot_map "$(printf '%s\n' "$OUT" | sed -n 4p)"
		return
	fi
	expect_eq "uid_map" "$(printf '%s\n' "$OUT" | sed -n 3p | tr -s ' ')" \
			" 0 $(id -u) 1" &&
		expect_eq "gid_map" "$(printf '%s\n' "$OUT" | sed -n 4p | tr -s ' ')" \
			" 0 $(id -g) 1"
}
t "uid and gid are 0 inside, mapped to the caller's (as root: a slot of the unprivileged pool)" t_ids

t_setgroups() {
	need_isolate || return 1
	run "$ISO" --net none cat /proc/self/setgroups
	# an unprivileged caller's map needs "deny"; root maps a whole slot, within which the
	# container may set its groups (it has no host group to drop: root's went at start)
	if [ "$(id -u)" -eq 0 ]; then
		expect_rc 0 && expect_eq "setgroups" "$OUT" "allow" || return 1
		run "$ISO" --net none sh -c 'grep ^Groups: /proc/self/status'
		expect_eq "groups" "$(echo $OUT)" "Groups:"
	else
		expect_rc 0 && expect_eq "setgroups" "$OUT" "deny"
	fi
}
t "setgroups: denied for an unprivileged caller; as root the container has no host group" t_setgroups

t_hostname() {
	need_isolate || return 1
	before=$(hostname)
	run "$ISO" --net none hostname
	expect_rc 0 && expect_eq "default hostname" "$OUT" "isolated" || return 1
	# sethostname needs CAP_SYS_ADMIN (over the container's UTS namespace), which the
	# default hardening drops
	run "$ISO" --net none --hostname box-1 --cap-add sys_admin sh -c 'hostname; hostname changed-inside; hostname'
	expect_rc 0 && expect_eq "hostnames" "$(printf '%s\n' "$OUT" | tr '\n' ' ')" \
		"box-1 changed-inside " || return 1
	expect_eq "the host's hostname" "$(hostname)" "$before"
}
t "hostname: 'isolated', --hostname NAME, changes inside stay inside" t_hostname

t_pid1() {
	need_isolate || return 1
	run "$ISO" --net none sh -c 'echo $$; ls /proc | grep -E "^[0-9]+$" | sort -n | tr "\n" " "'
	expect_rc 0 || return 1
	expect_eq "PROGRAM's pid" "$(printf '%s\n' "$OUT" | head -n 1)" 1 || return 1
	# PID 1 (sh) and the pipeline it forked: a handful of small pids, nothing else
	pids=$(printf '%s\n' "$OUT" | sed -n 2p)
	for p in $pids; do
		[ "$p" -le 10 ] || { fail "/proc lists pid $p: $pids"; return 1; }
	done
	case " $pids" in *" 1 "*) ;; *) fail "/proc lacks pid 1: $pids"; return 1 ;; esac
	run "$ISO" --net none ps -e -o pid=,comm=
	expect_rc 0 && expect_eq "ps -e inside" "$(printf '%s\n' "$OUT" | tr -s ' ')" " 1 ps"
}
t "PROGRAM is PID 1 and /proc lists only the container's processes" t_pid1

t_ns_links() {
	need_isolate || return 1
	run "$ISO" sh -c 'for n in user uts ipc net pid mnt; do readlink /proc/self/ns/$n; done'
	expect_rc 0 || return 1
	for n in user uts ipc net pid mnt; do
		host=$(readlink "/proc/self/ns/$n")
		inside=$(printf '%s\n' "$OUT" | grep "^$n:")
		[ -n "$inside" ] || { fail "no $n link inside"; return 1; }
		[ "$inside" != "$host" ] || { fail "$n namespace shared: $host"; return 1; }
	done
}
t "the six /proc/self/ns links (user uts ipc net pid mnt) differ from the host's" t_ns_links

t_ipc() {
	need_isolate || return 1
	id=$(ipcmk -Q | awk '{ print $NF }')
	[ -n "$id" ] || { fail "ipcmk -Q made no queue"; return 1; }
	host=$(ipcs -q | grep -c "^0x")
	run "$ISO" --net none sh -c 'ipcs -q | grep -c "^0x"; ipcmk -Q >/dev/null; ipcs -q | grep -c "^0x"'
	ipcrm -q "$id"
	[ "$host" -ge 1 ] || { fail "the host lists no queue"; return 1; }
	# none of the host's queues inside; one made inside is the container's alone
	expect_eq "queues inside, before and after ipcmk" "$(printf '%s\n' "$OUT" | tr '\n' ' ')" "0 1 "
}
t "IPC: the host's SysV message queue is not visible inside" t_ipc

t_mount_private() {
	need_isolate || return 1
	before=$(host_mounts)
	mark="iso-test-mount-$$"
	mkfifo "$T_TMP/go"
	"$ISO" --net none --no-harden sh -c "mount -t tmpfs $mark /mnt && grep -c ' $mark ' /proc/self/mountinfo >$T_TMP/in && read x <$T_TMP/go" &
	pid=$!
	poll 100 test -s "$T_TMP/in" || { fail "the container did not mount"; kill -9 "$pid"; return 1; }
	# while the container lives, with its tmpfs and its /proc mounted
	during=$(host_mounts)
	echo go >"$T_TMP/go"
	wait "$pid" || { fail "the container failed"; return 1; }
	expect_eq "mounts inside with $mark" "$(cat "$T_TMP/in")" 1 || return 1
	case "$during" in *"$mark"*) fail "$mark shows on the host"; return 1 ;; esac
	expect_eq "host mounts while it ran" "$during" "$before" || return 1
	expect_mounts "$before"
}
t "a mount made inside never shows on the host, nor the container's /proc" t_mount_private

t_propagation() {
	need_isolate || return 1
	need_root
	# a shared mount on the host: a new mount namespace would inherit it as shared (or,
	# owned by a new user namespace, as a slave) unless isolate makes everything private
	mkdir "$T_TMP/shared"
	mount -t tmpfs iso-shared-$$ "$T_TMP/shared" && mount --make-shared "$T_TMP/shared" ||
		{ fail "cannot make a shared mount"; return 1; }
	run "$ISO" --net none sh -c "grep ' $T_TMP/shared ' /proc/self/mountinfo; findmnt -no PROPAGATION /"
	umount "$T_TMP/shared"
	expect_rc 0 || return 1
	line=$(printf '%s\n' "$OUT" | head -n 1)
	case "$line" in
	*iso-shared-$$*) ;;
	*) fail "the container lacks the host's mount: $line"; return 1 ;;
	esac
	case "$line" in
	*" shared:"* | *" master:"*) fail "propagation kept inside: $line"; return 1 ;;
	esac
	expect_eq "/ inside" "$(printf '%s\n' "$OUT" | sed -n 2p)" private
}
t "every mount inside is private (a shared host mount too)" t_propagation

done_testing
