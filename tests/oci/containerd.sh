#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/oci/containerd.sh: containerd 1.6 (Debian's) runs containers with isolate as the
# runtime of its runc shim (io.containerd.runc.v2 with isolate as the runc binary), driven
# by ctr: run --rm with an exit status, run -d, exec, kill, task states, delete. containerd
# (scripts/deps.sh installs the package; no service starts without systemd) runs as a
# child of this test, with its own configuration, in the test's network namespace and a
# private mount namespace (a tmpfs on /run, every cgroup mount read-only as
# scripts/ro-cgroups.sh makes them), with its root, state and sockets in the test's folder;
# the image is podman's `save --format oci-archive` of a busybox-static root.
# time-limit: 300
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/oci.inc"

ro_cgroups "$0" "$@"

# the shim's own paths (/run/containerd/...) on a tmpfs of this mount namespace
[ "${MINIVIRT_PRIVATE_MNT:-}" = 1 ] && mount -t tmpfs tmpfs /run

# containerd_cleanup: every task killed and removed, then containerd and the shims it
# started (found by the socket address on their command line) stopped by pid.
containerd_cleanup() {
	[ -S "$T_TMP/containerd.sock" ] || return 0
	for _c in $($C container ls -q 2>/dev/null); do
		$C task kill -s KILL "$_c" >/dev/null 2>&1
		$C task rm -f "$_c" >/dev/null 2>&1
		$C container rm "$_c" >/dev/null 2>&1
	done
	for _p in /proc/[0-9]*; do
		case $({ tr '\0' ' ' <"$_p/cmdline"; } 2>/dev/null) in
		*"$T_TMP/containerd"*) kill "${_p#/proc/}" 2>/dev/null ;;
		esac
	done
}
trap 'containerd_cleanup; oci_cleanup; rm -rf "$T_TMP"' EXIT

C="ctr --address $T_TMP/containerd.sock"
RT="--runtime io.containerd.runc.v2 --runc-binary $ISO"

need_containerd() {
	need_oci || return 1
	[ "${MINIVIRT_PRIVATE_MNT:-}" = 1 ] || skip "needs root: a private mount namespace"
	[ -S "$T_TMP/containerd.sock" ] && return 0
	for _t in containerd ctr containerd-shim-runc-v2 podman; do
		command -v $_t >/dev/null || { fail "no $_t (sh scripts/deps.sh check)"; return 1; }
	done
	cat >"$T_TMP/containerd.toml" <<EOC
version = 2
root = "$T_TMP/cd-root"
state = "$T_TMP/cd-state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.btrfs",
	"io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
	"io.containerd.snapshotter.v1.aufs"]
[grpc]
  address = "$T_TMP/containerd.sock"
[ttrpc]
  address = "$T_TMP/containerd.sock.ttrpc"
EOC
	containerd --config "$T_TMP/containerd.toml" >"$T_TMP/containerd.log" 2>&1 &
	poll 100 test -S "$T_TMP/containerd.sock" ||
		{ fail "containerd did not start:"; tail -n 5 "$T_TMP/containerd.log" | sed 's/^/#   /'; return 1; }
	P="podman --root $T_TMP/storage --runroot $T_TMP/prun --storage-driver vfs --cgroup-manager cgroupfs --events-backend file"
	make_bundle "$T_TMP/img" true &&
		tar -C "$T_TMP/img/rootfs" -c . | $P import - localhost/bb >/dev/null 2>&1 &&
		$P save --format oci-archive -o "$T_TMP/bb.tar" localhost/bb >/dev/null 2>&1 &&
		$C image import "$T_TMP/bb.tar" >/dev/null ||
		{ fail "cannot make and import the image"; return 1; }
}

test_run_rm() {
	need_containerd || return 1
	run $C run --rm $RT localhost/bb:latest c1 sh -c 'echo hello from pid $$; exit 3'
	expect_rc 3 && expect_out "hello from pid 1" || return 1
	run $C run --rm $RT localhost/bb:latest c1b nosuchprogram
	[ "$RC" -ne 0 ] || { fail "a missing program ran"; return 1; }
	expect_err 'OCI runtime create failed: exec: "nosuchprogram": executable file not found in $PATH' || return 1
	expect_eq "containers left" "$($C container ls -q)" ""
}
t "ctr run --rm: the process's output and exit status; a missing program is an error" test_run_rm

test_detached() {
	need_containerd || return 1
	run $C run -d $RT localhost/bb:latest c2 sh -c 'trap "exit 0" TERM; while :; do sleep 0.2; done'
	expect_rc 0 || return 1
	expect_eq "task" "$($C task ls | awk '$1 == "c2" { print $3 }')" RUNNING || return 1
	run $C task exec --exec-id e1 c2 sh -c 'cat /proc/1/cmdline | tr "\0" " "'
	expect_rc 0 && expect_out 'sh -c trap "exit 0" TERM' || return 1
	run $C task exec --exec-id e2 c2 sh -c 'exit 5'
	expect_rc 5 || return 1
	# the trap ends the process with 0 on TERM; the task stops
	run $C task kill c2; expect_rc 0 || return 1
	poll 50 sh -c "$C task ls | grep -q 'c2 .*STOPPED'" ||
		{ fail "task not stopped: $($C task ls)"; return 1; }
	run $C task rm c2; expect_rc 0 || return 1
	run $C container rm c2; expect_rc 0 || return 1
	expect_eq "isolate's containers" "$("$ISO" --root /run/containerd/runc/default list -q)" ""
}
# ctr run -t: the shim passes a console socket; the process gets a pty of the container's
test_tty() {
	need_containerd || return 1
	printf 'tty; [ -t 0 ] && echo stdin-is-a-tty; exit 4\n' >"$T_TMP/in"
	run script -qec "$C run -t --rm $RT localhost/bb:latest c3 sh" /dev/null <"$T_TMP/in"
	expect_rc 4 && expect_out "/dev/pts/0" && expect_out "stdin-is-a-tty" || return 1
	# and through exec (exec --console-socket)
	$C run -d $RT localhost/bb:latest c4 sleep 1000 >/dev/null 2>&1 || return 1
	run script -qec "$C task exec -t --exec-id t1 c4 sh" /dev/null <"$T_TMP/in"
	expect_rc 4 && expect_out "/dev/pts/" && expect_out "stdin-is-a-tty" || return 1
	$C task kill -s KILL c4 >/dev/null 2>&1 && poll 50 sh -c "$C task ls | grep -q 'c4 .*STOPPED'" &&
		$C task rm c4 >/dev/null 2>&1 && $C container rm c4 >/dev/null 2>&1
}
t "ctr run -t and task exec -t: a terminal over the shim's console socket, its exit status" test_tty

t "ctr run -d, task exec (output, exit status), task kill, STOPPED, task rm" test_detached

done_testing
