#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/oci/bad.sh: bad bundles and bad command lines: each is one clear line (exit 1, or 2
# for a usage error), and leaves no state, no process and no mount behind.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/oci.inc"

B=$T_TMP/bundle

# refused WANT: create of B fails with the one line WANT, and nothing is left.
refused() {
	run $OCI create --bundle "$B" bad; expect_rc 1 || return 1
	expect_eq "stderr" "$ERR" "isolate: $1" || return 1
	nothing_left "$B"
}

test_missing_root() {
	need_oci || return 1
	make_bundle "$B" true && rm -rf "$B/rootfs" || return 1
	refused "root.path $B/rootfs: No such file or directory"
}

test_bad_json() {
	need_oci || return 1
	make_bundle "$B" true || return 1
	printf '{"ociVersion": "1.0.2",\n  "root": {"path": "rootfs"\n' >"$B/config.json"
	refused "config.json: not valid JSON: line 3, column 0: '}' expected near end of file" || return 1
	echo '{"ociVersion": "1.0.2", "root": {"path": "rootfs", "readonly": "yes"}}' >"$B/config.json"
	refused "config.json: root.readonly: must be a boolean, not a string" || return 1
	rm "$B/config.json"
	refused "$B/config.json: No such file or directory"
}

test_unknown_namespace() {
	need_oci || return 1
	make_bundle "$B" true || return 1
	cfg "$B" '.linux.namespaces += [{type: "bogus"}]' || return 1
	refused "config.json: linux.namespaces[5].type: unknown namespace type 'bogus' (user, pid, network, ipc, uts, mount, cgroup)" || return 1
	make_bundle "$B" true && cfg "$B" 'del(.linux.namespaces[] | select(.type == "mount"))' || return 1
	refused "config.json: linux.namespaces: isolate needs a new mount namespace (type mount, no path)"
}

# A mount's destination through a symbolic link that leads out of the root: refused, and
# the host's folder it pointed to gets nothing mounted on it (attack).
test_symlink_escape() {
	need_oci || return 1
	mkdir -p "$T_TMP/victim"
	make_bundle "$B" true || return 1
	ln -s ../../../../../../../../..$T_TMP/victim "$B/rootfs/etc/up"
	cfg "$B" '.mounts += [{destination: "/etc/up/x", type: "tmpfs", source: "tmpfs"}]' || return 1
	refused "mounts[6].destination /etc/up/x: a symbolic link on the way leads out of the root (refused)" || return 1
	[ -z "$(ls -A "$T_TMP/victim")" ] || { fail "something was made in the victim folder"; return 1; }
	make_bundle "$B" true || return 1
	ln -s "$T_TMP/victim" "$B/rootfs/etc/abs"
	cfg "$B" '.mounts += [{destination: "/etc/abs", type: "tmpfs", source: "tmpfs"}]' || return 1
	refused "mounts[6].destination /etc/abs: a symbolic link on the way leads out of the root (refused)" || return 1
	! grep -qF "$T_TMP/victim" /proc/self/mountinfo || { fail "the victim got a mount"; return 1; }
}

test_bad_process() {
	need_oci || return 1
	make_bundle "$B" nosuchprogram || return 1
	refused 'exec: "nosuchprogram": executable file not found in $PATH' || return 1
	make_bundle "$B" true && cfg "$B" '.process.args = []' || return 1
	refused "config.json: process.args: empty: at least the program to run" || return 1
	make_bundle "$B" true && cfg "$B" '.process.cwd = "/nonexistent"' || return 1
	refused "process.cwd /nonexistent: No such file or directory" || return 1
	make_bundle "$B" true && cfg "$B" '.mounts += [{destination: "/x", type: "nosuchfs", source: "x"}]' || return 1
	refused "mounts[6] (nosuchfs on /x): fsopen: No such device"
}

test_usage() {
	need_oci || return 1
	run $OCI create; expect_rc 2 || return 1
	expect_err "create: needs exactly one container ID" || return 1
	run $OCI create --nosuch x; expect_rc 2 || return 1
	run $OCI kill; expect_rc 2 || return 1
	run $OCI start nosuch; expect_rc 1 || return 1
	expect_eq stderr "$ERR" "isolate: container nosuch does not exist" || return 1
	run $OCI create --preserve-fds -1 x; expect_rc 1 || return 1
	expect_err "--preserve-fds '-1': not a number 0..1024" || return 1
	run "$ISO" --root relative list; expect_rc 1 || return 1
	expect_err "--root relative: not an absolute path"
}

t "a missing root: one line, nothing left" test_missing_root
t "bad JSON, a bad value, no config.json: one line naming the place, nothing left" test_bad_json
t "an unknown namespace type, no mount namespace: one line, nothing left" test_unknown_namespace
t "a mount through a symbolic link out of the root is refused, nothing mounted outside (attack)" test_symlink_escape
t "a program not found, empty args, a missing cwd, an unknown filesystem: one line, nothing left" test_bad_process
t "usage errors (2) and an unknown container (1)" test_usage
done_testing
