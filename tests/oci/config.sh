#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/oci/config.sh: each config.json field isolate applies, seen from inside the
# container (and from the host where it shows there): process, root, hostname, mounts,
# namespaces, id maps, masked and read-only paths, devices, sysctl, seccomp, hooks,
# annotations, the terminal over --console-socket. Each guarantee with a try to break it.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/oci.inc"

B=$T_TMP/bundle

# orun ARGS...: `isolate run` of the bundle B running ARGS, after the cfg edits made.
orun() { run $OCI run --bundle "$B" "c$T_N"; }

test_process() {
	need_oci || return 1
	make_bundle "$B" sh -c 'id; echo $GREETING; pwd; umask; ulimit -n; cat /proc/self/oom_score_adj; grep -E "^(NoNewPrivs|CapEff|CapBnd)" /proc/self/status' || return 1
	cfg "$B" '.process.user = {uid: 1000, gid: 100, umask: 63, additionalGids: [5, 6]} |
		.process.env += ["GREETING=hello there"] | .process.cwd = "/tmp" |
		.process.rlimits = [{type: "RLIMIT_NOFILE", soft: 77, hard: 88}] |
		.process.oomScoreAdj = 321 | .process.noNewPrivileges = true |
		.process.capabilities = {bounding: ["CAP_KILL", "CAP_CHOWN"], effective: ["CAP_KILL"],
		  permitted: ["CAP_KILL"], inheritable: ["CAP_KILL"], ambient: ["CAP_KILL"]}' || return 1
	orun; expect_rc 0 || return 1
	expect_eq "process" "$OUT" "uid=1000 gid=100 groups=5,6
hello there
/tmp
0077
77
321
CapEff:	0000000000000020
CapBnd:	0000000000000021
NoNewPrivs:	1" || return 1
	nothing_left "$B"
}

# As uid 0 with no capabilities, the container cannot mount, even in its own namespaces.
test_no_caps_no_mount() {
	need_oci || return 1
	make_bundle "$B" sh -c 'mount -t tmpfs none /mnt && echo MOUNTED; grep CapEff /proc/self/status' || return 1
	cfg "$B" '.process.capabilities = {} | .root.readonly = false' || return 1
	orun
	expect_out "CapEff:	0000000000000000" || return 1
	expect_no_out MOUNTED || return 1
	expect_err "mount: permission denied"
}

test_root_hostname() {
	need_oci || return 1
	make_bundle "$B" sh -c 'hostname; touch /written && echo WROTE; ls /' || return 1
	cfg "$B" '.hostname = "box1"' || return 1
	orun
	expect_out box1 || return 1
	expect_err "Read-only file system" || return 1
	expect_no_out WROTE || return 1
	[ ! -e "$B/rootfs/written" ] || { fail "the host's copy changed"; return 1; }
	[ "$(hostname)" != box1 ] || { fail "the host's hostname changed"; return 1; }
	cfg "$B" '.root.readonly = false' || return 1
	orun; expect_out WROTE || return 1
	[ -e "$B/rootfs/written" ] || { fail "root.readonly false: not written"; return 1; }
	# root.path absolute, elsewhere than the bundle
	mv "$B/rootfs" "$T_TMP/elsewhere" && cfg "$B" --arg r "$T_TMP/elsewhere" '.root.path = $r' &&
		orun && expect_out box1
}

test_mounts() {
	need_oci || return 1
	mkdir -p "$T_TMP/share" "$T_TMP/ro" && echo from-host >"$T_TMP/ro/file" && echo f >"$T_TMP/one"
	make_bundle "$B" sh -c 'stat -c "%a" /scratch; grep " /scratch " /proc/mounts | cut -d" " -f3,4 | cut -d, -f1-4; echo inside >/share/new; cat /ro/file; echo x >/ro/file || echo RO; cat /made/deep/one; ls -d /dev/mqueue /dev/pts /dev/shm' || return 1
	cfg "$B" --arg s "$T_TMP/share" --arg r "$T_TMP/ro" --arg o "$T_TMP/one" '.mounts += [
		{destination: "/scratch", type: "tmpfs", source: "tmpfs", options: ["nosuid", "nodev", "mode=1750", "size=1m"]},
		{destination: "/share", type: "bind", source: $s, options: ["rbind", "rw"]},
		{destination: "/ro", source: $r, options: ["bind", "ro"]},
		{destination: "/made/deep/one", source: $o, options: ["bind", "ro"]}] |
		.root.readonly = false' || return 1
	orun; expect_rc 0 || return 1
	expect_eq mounts "$OUT" "1750
tmpfs rw,nosuid,nodev,relatime
from-host
RO
f
/dev/mqueue
/dev/pts
/dev/shm" || return 1
	expect_eq "bind rw, seen on the host" "$(cat "$T_TMP/share/new")" inside || return 1
	expect_eq "bind ro, unchanged" "$(cat "$T_TMP/ro/file")" from-host || return 1
	[ -f "$B/rootfs/made/deep/one" ] || { fail "the mount point was not made"; return 1; }
	nothing_left "$B"
}

# Mount propagation: with rslave, a mount the host makes under a bind's source (after
# create, before start) shows inside; with rprivate, it does not. In a private mount
# namespace of the test's, where the source is a shared tmpfs.
test_propagation() {
	need_oci || return 1
	P=$T_TMP/prop
	mkdir -p "$P"
	make_bundle "$B" sh -c '[ -e /p/sub/mark ] && echo seen || echo not-seen' || return 1
	for prop in rslave rprivate; do
		cfg "$B" --arg s "$P" --arg o "$prop" '.mounts |= map(select(.destination != "/p")) |
			.mounts += [{destination: "/p", source: $s, options: ["rbind", $o]}]' || return 1
		out=$(unshare --mount --propagation private sh -c '
			mount -t tmpfs prop "$1" && mount --make-shared "$1" && mkdir "$1/sub" &&
			$2 create --bundle "$3" "p$4" && mount -t tmpfs sub "$1/sub" &&
			touch "$1/sub/mark" && $2 start "p$4" && n=0 &&
			while [ "$($2 state "p$4" | jq -r .status)" != stopped ] && [ $n -lt 300 ]; do
				sleep 0.1; n=$((n + 1)); done
			$2 delete "p$4"' sh "$P" "$OCI" "$B" "$prop" 2>&1)
		mkdir -p "$B/rootfs/p"
		case $prop in
		rslave) expect_eq "rslave" "$out" seen || return 1 ;;
		rprivate) expect_eq "rprivate" "$out" not-seen || return 1 ;;
		esac
	done
	nothing_left "$B"
}

test_namespaces() {
	need_oci || return 1
	make_bundle "$B" sh -c 'ps -o pid,comm | grep -c . ; ls /sys/class/net; readlink /proc/self/ns/net; readlink /proc/self/ns/ipc' || return 1
	orun; expect_rc 0 || return 1
	# the header, sh (PID 1), ps and grep: nothing of the host's
	expect_eq "ps lines" "$(echo "$OUT" | sed -n 1p)" 4 || return 1
	expect_eq "only lo" "$(echo "$OUT" | sed -n 2p)" lo || return 1
	[ "$(echo "$OUT" | sed -n 3p)" != "$(readlink /proc/self/ns/net)" ] || { fail "shares our net"; return 1; }
	# path: join ours
	cfg "$B" '(.linux.namespaces[] | select(.type == "network")) |= (.path = "/proc/self/ns/net") |
		(.linux.namespaces[] | select(.type == "ipc")) |= (.path = "/proc/self/ns/ipc")' || return 1
	orun; expect_rc 0 || return 1
	expect_eq "joined net" "$(echo "$OUT" | sed -n 3p)" "$(readlink /proc/self/ns/net)" || return 1
	expect_eq "joined ipc" "$(echo "$OUT" | sed -n 4p)" "$(readlink /proc/self/ns/ipc)"
}

# A user namespace with the config's maps: root inside is an unprivileged uid outside.
test_userns() {
	need_oci || return 1
	mkdir -p "$T_TMP/share" && chmod 777 "$T_TMP/share" && chmod 755 "$T_TMP"
	make_bundle "$B" sh -c 'cat /proc/self/uid_map /proc/self/gid_map; id -u; touch /share/mine; echo x > /proc/sys/kernel/hostname 2>/dev/null || echo NO-SYSCTL' || return 1
	cfg "$B" --arg s "$T_TMP/share" '.linux.namespaces += [{type: "user"}] |
		.linux.uidMappings = [{containerID: 0, hostID: 200000, size: 65536}] |
		.linux.gidMappings = [{containerID: 0, hostID: 300000, size: 65536}] |
		.mounts += [{destination: "/share", type: "bind", source: $s, options: ["rbind"]}]' || return 1
	chown -R 200000:300000 "$B/rootfs"
	orun; expect_rc 0 || return 1
	expect_eq maps "$(echo "$OUT" | sed -n '1,3p' | tr -s ' ')" " 0 200000 65536
 0 300000 65536
0" || return 1
	expect_eq "owner on the host" "$(stat -c %u:%g "$T_TMP/share/mine")" 200000:300000
}

test_masked_readonly() {
	need_oci || return 1
	make_bundle "$B" sh -c 'wc -c </proc/timer_list; ls /sys/firmware | wc -l; echo 1 >/proc/sys/vm/overcommit_memory || echo RO-SYS; cat /proc/sysrq-trigger; echo DONE' || return 1
	orun
	expect_eq "masked and read-only" "$OUT" "0
0
RO-SYS
DONE" || return 1
	expect_err "Read-only file system" || return 1
	# without them (an empty list), the same paths are the kernel's
	make_bundle "$T_TMP/b2" sh -c '[ "$(wc -c </proc/timer_list)" -gt 0 ] && echo UNMASKED' &&
		cfg "$T_TMP/b2" '.linux.maskedPaths = []' &&
		run $OCI run --bundle "$T_TMP/b2" unmasked && expect_out UNMASKED
}

test_devices_sysctl() {
	need_oci || return 1
	make_bundle "$B" sh -c 'stat -c "%F %t:%T %a %u" /dev/fuse; ls /dev/null /dev/zero /dev/tty >/dev/null && echo NODES; cat /proc/sys/net/ipv4/ip_forward; echo > /dev/null && echo NULL-OK' || return 1
	cfg "$B" '.linux.devices = [{path: "/dev/fuse", type: "c", major: 10, minor: 229, fileMode: 384, uid: 7}] |
		.linux.sysctl = {"net.ipv4.ip_forward": "1"}' || return 1
	before=$(cat /proc/sys/net/ipv4/ip_forward)
	orun; expect_rc 0 || return 1
	expect_eq "device, nodes, sysctl" "$OUT" "character special file a:e5 600 7
NODES
1
NULL-OK" || return 1
	expect_eq "the host's sysctl" "$(cat /proc/sys/net/ipv4/ip_forward)" "$before"
}

test_seccomp() {
	need_oci || return 1
	make_bundle "$B" sh -c 'mkdir /tmp/a 2>&1; mkdir -m 700 /tmp/b 2>&1; ls -d /tmp/b; chmod 755 /tmp; echo CHMOD $?' || return 1
	cfg "$B" '.root.readonly = false | .linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
		architectures: ["SCMP_ARCH_X86_64"],
		syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 13,
		  args: [{index: 1, value: 511, op: "SCMP_CMP_EQ"}]},
		 {names: ["chmod", "fchmodat", "no_such_call_in_this_kernel"], action: "SCMP_ACT_ERRNO"}]}' || return 1
	orun
	expect_out "mkdir: can't create directory '/tmp/a': Permission denied" || return 1
	expect_out "/tmp/b" || return 1
	expect_out "CHMOD 1" || return 1
	expect_err "Operation not permitted"
}

test_hooks() {
	need_oci || return 1
	make_bundle "$B" true || return 1
	H=$T_TMP/hooks
	mkdir -p "$H"
	cat >"$H/hook" <<-EOH
	#!/bin/sh
	cat >"$H/\$1.json"
	echo "\$1 \$HOOKENV" >>"$H/order"
	EOH
	chmod +x "$H/hook"
	# startContainer runs in the container, after pivot_root: a path of its root
	cfg "$B" --arg h "$H/hook" '.annotations = {"org.test.a": "b"} | .root.readonly = false |
		.hooks = {
		prestart: [{path: $h, args: ["hook", "prestart"], env: ["HOOKENV=e1"]}],
		createRuntime: [{path: $h, args: ["hook", "createRuntime"]}],
		createContainer: [{path: $h, args: ["hook", "createContainer"]}],
		startContainer: [{path: "/bin/sh", args: ["sh", "-c", "cat >/tmp/start.json; hostname >/tmp/start.host"]}],
		poststart: [{path: $h, args: ["hook", "poststart"]}],
		poststop: [{path: $h, args: ["hook", "poststop"], timeout: 5}]} |
		.hostname = "hooked"' || return 1
	orun; expect_rc 0 || return 1
	expect_eq "hooks, in order" "$(cat "$H/order")" "prestart e1
createRuntime 
createContainer 
poststart 
poststop " || return 1
	expect_eq "createContainer's state" "$(jq -r .status "$H/createContainer.json")" creating &&
		expect_eq "startContainer's state" "$(jq -r '.id + " " + .status' "$B/rootfs/tmp/start.json")" "c$T_N running" &&
		expect_eq "startContainer runs in the container" "$(cat "$B/rootfs/tmp/start.host")" hooked || return 1
	expect_eq "prestart's state" "$(jq -c '[.id, .status, .bundle, .annotations]' "$H/prestart.json")" \
		"[\"c$T_N\",\"creating\",\"$B\",{\"org.test.a\":\"b\"}]" || return 1
	expect_eq "poststop's state" "$(jq -r .status "$H/poststop.json")" stopped || return 1
	pid=$(jq .pid "$H/prestart.json")
	[ "$pid" -gt 0 ] || { fail "prestart's state has no pid"; return 1; }
	# a failing prestart hook: create fails, nothing is left
	cfg "$B" '.hooks.prestart[0].path = "/bin/false"' || return 1
	run $OCI create --bundle "$B" h2; expect_rc 1 || return 1
	expect_err "hooks.prestart[0] /bin/false: exit status 1" || return 1
	nothing_left "$B"
}

# A hook past its timeout is killed with what it started (its process group), and fails
# by the specification's rules: prestart fails create (nothing left); poststart and
# poststop are warnings (the container runs on; delete goes on).
test_hook_timeout() {
	need_oci || return 1
	make_bundle "$B" sleep 600 || return 1
	mark=$T_TMP/hook-$$ # on the command line of what the hook starts, to look for it
	printf '#!/bin/sh\nsh -c "sleep 300; : %s" &\nwait\n' "$mark" >"$T_TMP/slow" &&
		chmod +x "$T_TMP/slow" || return 1
	left() { grep -l "[s]leep 300; : $mark" /proc/[0-9]*/cmdline 2>/dev/null; }
	cfg "$B" --arg h "$T_TMP/slow" '.hooks = {prestart: [{path: $h, timeout: 1}]}' || return 1
	run $OCI create --bundle "$B" ht1; expect_rc 1 || return 1
	expect_err "hooks.prestart[0] $T_TMP/slow: timed out after 1 s (killed)" || return 1
	expect_eq "the hook's processes left" "$(left)" "" && nothing_left "$B" || return 1
	cfg "$B" --arg h "$T_TMP/slow" '.hooks = {poststart: [{path: $h, timeout: 1}],
		poststop: [{path: $h, timeout: 1}]}' || return 1
	run $OCI run -d --bundle "$B" ht2; expect_rc 0 || return 1
	expect_err "warning: hooks.poststart[0] $T_TMP/slow: timed out after 1 s (killed)" &&
		expect_eq "after poststart's timeout" "$(state_of ht2)" running || return 1
	run $OCI delete --force ht2; expect_rc 0 || return 1
	expect_err "warning: hooks.poststop[0] $T_TMP/slow: timed out after 1 s (killed)" &&
		expect_eq "the hooks' processes left" "$(left)" "" && nothing_left "$B"
}

test_terminal() {
	need_oci || return 1
	[ -x "$RECV" ] || { fail "$RECV is not built (make)"; return 1; }
	make_bundle "$B" sh -c 'tty; stty size; echo hello' || return 1
	cfg "$B" '.process.terminal = true | .process.consoleSize = {height: 25, width: 80}' || return 1
	run $OCI run --bundle "$B" t1; expect_rc 1 || return 1
	expect_err "process.terminal is true: --console-socket is needed" || return 1
	"$RECV" "$T_TMP/console.sock" >"$T_TMP/console.out" 2>"$T_TMP/console.err" &
	poll 50 test -S "$T_TMP/console.sock" || { fail "console_recv never listened"; return 1; }
	run $OCI run --console-socket "$T_TMP/console.sock" --bundle "$B" t2; expect_rc 0 || return 1
	wait $! || { fail "console_recv: $(cat "$T_TMP/console.err")"; return 1; }
	expect_eq "the terminal" "$(tr -d '\r' <"$T_TMP/console.out")" "/dev/pts/0
25 80
hello"
}

t "process: user, groups, umask, env, cwd, rlimits, oomScoreAdj, capabilities, noNewPrivileges" test_process
t "no CAP_SYS_ADMIN: the container cannot mount (attack)" test_no_caps_no_mount
t "root.readonly (a write fails, the host's copy unchanged), hostname, an absolute root.path" test_root_hostname
t "mounts in order: tmpfs with options, bind rw and ro, a file bind with its mount point made" test_mounts
t "mount propagation: rslave sees the host's later mount, rprivate does not" test_propagation
t "namespaces: new pid and network; path joins an existing one" test_namespaces
t "user namespace: the config's maps; root inside is 200000 outside" test_userns
t "maskedPaths and readonlyPaths (timer_list empty, /proc/sys read-only: attacks)" test_masked_readonly
t "devices (mknod, mode, owner), default /dev nodes, sysctl (the host's unchanged)" test_devices_sysctl
t "seccomp from the JSON: errnoRet, argument conditions, unknown calls skipped" test_seccomp
t "hooks: the six in order, the state on stdin, env, startContainer inside; a failing prestart leaves nothing" test_hooks
t "hooks past their timeout: killed with their children; prestart fails, poststart and poststop warn" test_hook_timeout
t "terminal: the pty's master over --console-socket; consoleSize" test_terminal
done_testing
