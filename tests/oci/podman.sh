#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/oci/podman.sh: podman 4.3 (Debian's) runs containers with isolate as its OCI runtime:
# run --rm with exit codes, run -it (the console socket), exec, stop, kill and ps states,
# on an image made offline by `podman import` of a busybox-static root. podman runs in a
# private mount namespace whose cgroup mounts are all read-only, /sys/fs/cgroup/unified
# unmounted (conmon opens a cgroup v1 file for writing even with --cgroups disabled: it gets
# EROFS; nothing here may write a cgroup), with its storage in the test's folder.
# time-limit: 900
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/oci.inc"

ro_cgroups "$0" "$@"

cat >"$T_TMP/containers.conf" <<EOC
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
runtime = "isolate"
# this podman reads the singular key (its documentation says runtime_supports_nocgroups)
runtime_supports_nocgroup = ["isolate"]
runtime_supports_json = ["isolate"]
events_logger = "file"
cgroup_manager = "cgroupfs"
[engine.runtimes]
isolate = ["$ISO"]
EOC
export CONTAINERS_CONF="$T_TMP/containers.conf"
PODMAN="podman --root $T_TMP/storage --runroot $T_TMP/run --storage-driver vfs --cgroup-manager cgroupfs --events-backend file"
RUNOPTS="--network none --cgroups disabled"
T_TIMEOUT=120

# Every container podman still has goes, and the mounts it made under the test's folder
# (its shm), before the folder is removed.
podman_cleanup() {
	$PODMAN rm -a -f -t 0 >/dev/null 2>&1
	for m in $(awk -v d="$T_TMP" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r); do
		umount -l "$m" 2>/dev/null
	done
}
trap 'podman_cleanup; oci_cleanup; rm -rf "$T_TMP"' EXIT

# state_in NAME: podman's state of the container (running, exited, ...).
state_in() { $PODMAN inspect --format '{{.State.Status}} {{.State.ExitCode}}' "$1"; }

need_podman() {
	need_oci || return 1
	command -v podman >/dev/null || { fail "no podman (scripts/deps.sh check)"; return 1; }
	[ "${MINIVIRT_PRIVATE_MNT:-}" = 1 ] || skip "needs root: a private mount namespace"
	$PODMAN image exists localhost/bb && return 0
	make_bundle "$T_TMP/img" true || return 1
	tar -C "$T_TMP/img/rootfs" -c . | $PODMAN import - localhost/bb >/dev/null 2>&1 ||
		{ fail "podman import failed"; return 1; }
}

test_run_rm() {
	need_podman || return 1
	run $PODMAN run --rm $RUNOPTS localhost/bb sh -c 'echo hello from $(hostname); exit 3'
	expect_rc 3 || return 1
	expect_out "hello from " || return 1
	run $PODMAN run --rm $RUNOPTS localhost/bb nosuchprogram; expect_rc 127 || return 1
	run $PODMAN ps -a -q; expect_eq "containers left" "$OUT" ""
}

test_run_it() {
	need_podman || return 1
	printf 'tty; echo typed-in; exit 5\n' >"$T_TMP/in"
	run script -qec "$PODMAN run -it --rm $RUNOPTS localhost/bb sh" /dev/null <"$T_TMP/in"
	expect_rc 5 || return 1
	expect_out "/dev/pts/0" || return 1
	expect_out "typed-in"
}

test_exec_stop_ps() {
	need_podman || return 1
	run $PODMAN run -d --name web $RUNOPTS localhost/bb sh -c 'trap "exit 0" TERM; while :; do sleep 0.2; done'
	expect_rc 0 || return 1
	run $PODMAN ps --format '{{.Names}}'; expect_eq "ps" "$OUT" "web" || return 1
	expect_eq "state" "$(state_in web)" "running 0" || return 1
	run $PODMAN exec web sh -c 'cat /proc/1/comm; exit 4'; expect_rc 4 || return 1
	expect_eq "exec sees PID 1" "$OUT" "sh" || return 1
	run $PODMAN stop -t 10 web; expect_rc 0 || return 1
	run $PODMAN ps -a --format '{{.Names}} {{.Status}}'
	expect_out "web Exited (0)" || return 1
	expect_eq "state" "$(state_in web)" "exited 0" || return 1
	$PODMAN rm web >/dev/null
}

# podman exec -it: conmon passes exec a console socket; the exec'd process gets a pty of
# the container's (its own /dev/pts), a controlling terminal, and its status comes back.
test_exec_it() {
	need_podman || return 1
	$PODMAN run -d --name ex $RUNOPTS localhost/bb sleep 1000 >/dev/null || return 1
	printf 'tty; [ -t 0 ] && echo stdin-is-a-tty; ps -o pid,comm | grep -c sleep; exit 6\n' >"$T_TMP/in"
	run script -qec "$PODMAN exec -it ex sh" /dev/null <"$T_TMP/in"
	expect_rc 6 || return 1
	expect_out "/dev/pts/" && expect_out "stdin-is-a-tty" || return 1
	# without -t: no terminal
	run $PODMAN exec ex sh -c 'tty; exit 0'; expect_out "not a tty" || return 1
	$PODMAN rm -f -t 0 ex >/dev/null
}

test_kill() {
	need_podman || return 1
	$PODMAN run -d --name k1 $RUNOPTS localhost/bb sleep 1000 >/dev/null || return 1
	run $PODMAN kill k1; expect_rc 0 || return 1
	run $PODMAN wait k1; expect_eq "exit code" "$OUT" 137 || return 1
	expect_eq "state" "$(state_in k1)" "exited 137" || return 1
	$PODMAN rm k1 >/dev/null
	[ -z "$(ls -A "$T_TMP/run/isolate" 2>/dev/null)" ] || { fail "runtime state left"; return 1; }
}

# isolate itself never opens anything under /sys/fs/cgroup (strace of a whole podman run);
# conmon's own attempt fails read-only.
test_no_cgroup_write() {
	need_podman || return 1
	command -v strace >/dev/null || { fail "no strace"; return 1; }
	# -ff: one file per process, so no call is split by another thread's
	run strace -ff -qq -o "$T_TMP/st" -e trace=open,openat,openat2,mkdir,mkdirat,rmdir,unlink,unlinkat,rename,renameat2,truncate,execve \
		$PODMAN run --rm $RUNOPTS localhost/bb true
	expect_rc 0 || return 1
	iso_files=$(grep -l -F "execve(\"$ISO\"" "$T_TMP"/st.*)
	[ -n "$iso_files" ] || { fail "isolate never ran"; return 1; }
	for f in $iso_files; do
		! grep "/sys/fs/cgroup" "$f" || { fail "isolate (${f##*.}) touched /sys/fs/cgroup"; return 1; }
	done
	! cat "$T_TMP"/st.* | grep "/sys/fs/cgroup" | grep -E "O_WRONLY|O_RDWR|O_CREAT|mkdir|rmdir|unlink|rename|truncate" | grep -v "= -1 E" ||
		{ fail "a cgroup write that did not fail"; return 1; }
}

t "podman run --rm: exit codes (3, 127 for a missing program), nothing left" test_run_rm
t "podman run -it: the terminal over the console socket, its exit status" test_run_it
t "podman run -d, ps, exec (its status), stop (SIGTERM), ps -a states" test_exec_stop_ps
t "podman exec -it: a terminal over exec's console socket, its exit status" test_exec_it
t "podman kill: 137, exited" test_kill
t "isolate never touches /sys/fs/cgroup under podman (strace); conmon's try fails read-only" test_no_cgroup_write
done_testing
