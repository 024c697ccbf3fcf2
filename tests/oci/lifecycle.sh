#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/oci/lifecycle.sh: isolate as an OCI runtime: spec and features, then create, start,
# state, kill, delete, run, exec and list on busybox-static bundles, per the runtime
# specification and runc's conventions; different containers apart, one container's
# commands in turn.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/oci.inc"

B=$T_TMP/bundle

test_spec() {
	need_oci || return 1
	mkdir -p "$T_TMP/s" && cd "$T_TMP/s" || return 1
	run "$ISO" spec; expect_rc 0 || return 1
	expect_eq ociVersion "$(jq -r .ociVersion config.json)" 1.0.2 || return 1
	expect_eq namespaces "$(jq -c '[.linux.namespaces[].type]' config.json)" \
		'["pid","network","ipc","uts","mount"]' || return 1
	expect_eq root "$(jq -c .root config.json)" '{"path":"rootfs","readonly":true}' || return 1
	run "$ISO" spec; expect_rc 1 || return 1
	expect_err "config.json: exists already" || return 1
	mkdir r && run "$ISO" spec --rootless --bundle r; expect_rc 0 || return 1
	expect_eq "rootless namespaces" "$(jq -c '[.linux.namespaces[].type]' r/config.json)" \
		'["pid","ipc","uts","mount","user"]' || return 1
	expect_eq "rootless map" "$(jq -c '.linux.uidMappings' r/config.json)" \
		"[{\"containerID\":0,\"hostID\":$(id -u),\"size\":1}]"
}

test_features() {
	need_oci || return 1
	run "$ISO" features; expect_rc 0 || return 1
	expect_eq namespaces "$(echo "$OUT" | jq -c .linux.namespaces)" \
		'["user","pid","network","ipc","uts","mount","cgroup"]' || return 1
	expect_eq seccomp "$(echo "$OUT" | jq .linux.seccomp.enabled)" true || return 1
	expect_eq "cgroup v2" "$(echo "$OUT" | jq .linux.cgroup.v2)" true || return 1
	expect_eq hooks "$(echo "$OUT" | jq -c .hooks)" \
		'["prestart","createRuntime","createContainer","startContainer","poststart","poststop"]'
}

test_create_start() {
	need_oci || return 1
	make_bundle "$B" sleep 1000 || return 1
	run $OCI create --bundle "$B" --pid-file "$T_TMP/pid" c1; expect_rc 0 || return 1
	pid=$(cat "$T_TMP/pid")
	expect_eq "state pid" "$(pid_of c1)" "$pid" || return 1
	expect_eq status "$(state_of c1)" created || return 1
	# the init waits in its new namespaces, not yet the config's process
	[ "$(readlink /proc/$pid/ns/pid)" != "$(readlink /proc/self/ns/pid)" ] ||
		{ fail "the init shares our PID namespace"; return 1; }
	[ "$(readlink /proc/$pid/ns/mnt)" != "$(readlink /proc/self/ns/mnt)" ] ||
		{ fail "the init shares our mount namespace"; return 1; }
	expect_eq "init's program" "$(cat /proc/$pid/comm)" isolate || return 1
	run $OCI state c1; expect_rc 0 || return 1
	expect_eq id "$(echo "$OUT" | jq -r .id)" c1 || return 1
	expect_eq bundle "$(echo "$OUT" | jq -r .bundle)" "$B" || return 1
	expect_eq ociVersion "$(echo "$OUT" | jq -r .ociVersion)" 1.0.2 || return 1
	run $OCI start c1; expect_rc 0 || return 1
	expect_eq status "$(state_of c1)" running || return 1
	expect_eq "the same pid" "$(pid_of c1)" "$pid" || return 1
	poll 50 sh -c "[ \"\$(cat /proc/$pid/comm)\" = sleep ]" || { fail "not sleep: $(cat /proc/$pid/comm)"; return 1; }
	run $OCI start c1; expect_rc 1 || return 1
	expect_err "cannot start container c1: it is running, not created" || return 1
	run $OCI delete c1; expect_rc 1 || return 1
	expect_err "it is running" || return 1
	expect_eq "still running" "$(state_of c1)" running || return 1
	run $OCI delete --force c1; expect_rc 0 || return 1
	[ ! -e /proc/$pid ] || [ "$(awk '{print $3}' /proc/$pid/stat)" = Z ] ||
		{ fail "pid $pid still alive"; return 1; }
	run $OCI state c1; expect_rc 1 || return 1
	expect_err "container c1 does not exist" || return 1
	nothing_left "$B"
}

test_kill() {
	need_oci || return 1
	make_bundle "$B" sh -c 'trap "exit 7" TERM; echo ready >/tmp/ready; while :; do sleep 0.1; done' || return 1
	cfg "$B" '.root.readonly = false' || return 1
	oci create --bundle "$B" k1 && oci start k1 || { fail "create/start"; return 1; }
	poll 50 test -e "$B/rootfs/tmp/ready" || { fail "never ready"; return 1; }
	run $OCI kill k1 NOSUCH; expect_rc 1 || return 1
	expect_err "kill: 'NOSUCH' is not a signal" || return 1
	expect_eq "still" "$(state_of k1)" running || return 1
	run $OCI kill k1 15; expect_rc 0 || return 1   # numeric, as podman sends it
	poll 50 sh -c "[ \"\$($ISO --root $OCI_ROOT state k1 2>/dev/null | jq -r .status)\" = stopped ]" ||
		{ fail "SIGTERM did not stop it: $(state_of k1)"; return 1; }
	run $OCI kill k1 KILL; expect_rc 1 || return 1
	expect_err "container k1 is stopped" || return 1
	run $OCI delete k1; expect_rc 0 || return 1
	rm -f "$B/rootfs/tmp/ready"
	# by name, with SIG and without
	oci create --bundle "$B" k2 && oci start k2 || { fail "create/start"; return 1; }
	poll 50 test -e "$B/rootfs/tmp/ready" || { fail "never ready"; return 1; }
	run $OCI kill k2 SIGTERM; expect_rc 0 || return 1
	poll 50 sh -c "[ \"\$($ISO --root $OCI_ROOT state k2 2>/dev/null | jq -r .status)\" = stopped ]" || return 1
	oci delete k2
	nothing_left "$B"
}

# ns_members PID: how many processes share PID's PID namespace.
ns_members() {
	_want=$(readlink /proc/$1/ns/pid) || { echo 0; return; }
	_n=0
	for _p in /proc/[0-9]*; do
		[ "$(readlink "$_p/ns/pid" 2>/dev/null)" = "$_want" ] && _n=$((_n + 1))
	done
	echo $_n
}

test_kill_all() {
	need_oci || return 1
	make_bundle "$B" sh -c 'sleep 1000 & sleep 1000 & touch /tmp/ready; wait' || return 1
	cfg "$B" '.root.readonly = false' || return 1
	oci create --bundle "$B" a1 && oci start a1 || { fail "create/start"; return 1; }
	poll 50 test -e "$B/rootfs/tmp/ready" || { fail "never ready"; return 1; }
	pid=$(pid_of a1)
	expect_eq "processes" "$(ns_members "$pid")" 3 || return 1
	run $OCI kill --all a1 KILL; expect_rc 0 || return 1
	poll 50 sh -c "[ \"\$($ISO --root $OCI_ROOT state a1 2>/dev/null | jq -r .status)\" = stopped ]" || return 1
	oci delete a1 || return 1
	nothing_left "$B"
}

test_delete_created() {
	need_oci || return 1
	make_bundle "$B" true || return 1
	oci create --bundle "$B" --pid-file "$T_TMP/pid" d1 || return 1
	pid=$(cat "$T_TMP/pid")
	run $OCI delete d1; expect_rc 0 || return 1   # as runc: a created one goes without --force
	[ ! -e /proc/$pid ] || [ "$(awk '{print $3}' /proc/$pid/stat)" = Z ] ||
		{ fail "init $pid still alive"; return 1; }
	nothing_left "$B"
}

test_run() {
	need_oci || return 1
	make_bundle "$B" sh -c 'echo out; echo err >&2; exit 3' || return 1
	run $OCI run --bundle "$B" r1; expect_rc 3 || return 1
	expect_out out || return 1
	expect_err err || return 1
	nothing_left "$B" || return 1
	# a PID 1 cannot SIGKILL itself: the signal comes from outside, as from an engine
	make_bundle "$B" sleep 1000 || return 1
	oci run --bundle "$B" r2 >/dev/null 2>&1 &
	poll 50 sh -c "[ \"\$($ISO --root $OCI_ROOT state r2 2>/dev/null | jq -r .status)\" = running ]" ||
		{ fail "r2 never ran"; return 1; }
	oci kill r2 KILL || return 1
	wait $!
	expect_eq "run's status after SIGKILL" $? 137 || return 1
	make_bundle "$B" sleep 1000 || return 1
	run $OCI run --detach --bundle "$B" r3; expect_rc 0 || return 1
	expect_eq status "$(state_of r3)" running || return 1
	oci delete --force r3 && nothing_left "$B"
}

# --preserve-fds N: fds 3..N+2 reach the process; nothing else the caller left open past 2
# does (attack: a caller's open fd, a folder say, would be a way out of the root).
test_preserve_fds() {
	need_oci || return 1
	make_bundle "$B" sh -c 'echo via-fd3 >&3 && echo via-fd4 >&4; ls /proc/self/fd | sort -n | tr "\n" " "' || return 1
	run sh -c "$OCI run --preserve-fds 2 --bundle $B p1 3>$T_TMP/fd3 4>$T_TMP/fd4"
	expect_rc 0 || return 1
	expect_eq "fd 3" "$(cat "$T_TMP/fd3")" via-fd3 && expect_eq "fd 4" "$(cat "$T_TMP/fd4")" via-fd4 ||
		return 1
	# ls's own fds: 0-2, 3 and 4, and the one it reads /proc/self/fd through
	expect_eq "fds" "$OUT" "0 1 2 3 4 5 " || return 1
	run sh -c "$OCI run --bundle $B p2 3>$T_TMP/fd3b 7</ 9>$T_TMP/fd9"
	expect_rc 0 && expect_eq "fds" "$OUT" "0 1 2 3 " || return 1
	expect_err "3: Bad file descriptor" && expect_eq "fd 3 unused" "$(cat "$T_TMP/fd3b")" "" || return 1
	# exec: the same
	make_bundle "$B" sleep 1000 && oci run -d --bundle "$B" p3 || return 1
	run sh -c "$OCI exec p3 ls /proc/self/fd 7</ 9>$T_TMP/fd9"
	expect_rc 0 && expect_eq "exec's fds" "$(echo $OUT)" "0 1 2 3" || return 1
	run sh -c "$OCI exec --preserve-fds 1 p3 sh -c 'echo via-exec >&3' 3>$T_TMP/fd3c"
	expect_rc 0 && expect_eq "exec's fd 3" "$(cat "$T_TMP/fd3c")" via-exec || return 1
	oci delete --force p3 && nothing_left "$B"
}

test_exec() {
	need_oci || return 1
	make_bundle "$B" sleep 1000 || return 1
	cfg "$B" '.hostname = "box" | .process.env += ["FROM=config"]' || return 1
	oci run --detach --bundle "$B" e1 || return 1
	run $OCI exec e1 sh -c 'echo $(hostname) $FROM; cat /proc/1/comm; [ $$ != 1 ] && echo not-pid-1'
	expect_rc 0 || return 1
	expect_eq "exec sees" "$OUT" "box config
sleep
not-pid-1" || return 1
	run $OCI exec e1 sh -c 'exit 5'; expect_rc 5 || return 1
	cat >"$T_TMP/proc.json" <<-'EOP'
	{"user": {"uid": 1000, "gid": 1000}, "args": ["sh", "-c", "id; echo $X; pwd"],
	 "env": ["X=from-process", "PATH=/bin"], "cwd": "/tmp"}
	EOP
	run $OCI exec --process "$T_TMP/proc.json" e1; expect_rc 0 || return 1
	expect_eq "--process" "$OUT" "uid=1000 gid=1000
from-process
/tmp" || return 1
	run $OCI exec --detach --pid-file "$T_TMP/epid" e1 sleep 1000; expect_rc 0 || return 1
	epid=$(cat "$T_TMP/epid")
	[ "$(readlink /proc/$epid/ns/pid)" = "$(readlink "/proc/$(pid_of e1)/ns/pid")" ] ||
		{ fail "exec'd process not in the container's PID namespace"; return 1; }
	run $OCI exec e1 nosuchprogram; expect_rc 1 || return 1
	expect_err 'exec: "nosuchprogram": executable file not found in $PATH' || return 1
	oci delete --force e1 || return 1
	[ ! -e /proc/$epid ] || [ "$(awk '{print $3}' /proc/$epid/stat)" = Z ] ||
		{ fail "exec'd process outlived the container"; return 1; }
	run $OCI exec e1 true; expect_rc 1 || return 1
	expect_err "container e1 does not exist" || return 1
	nothing_left "$B"
}

test_list() {
	need_oci || return 1
	make_bundle "$B" sleep 1000 || return 1
	oci create --bundle "$B" l1 && oci run -d --bundle "$B" l2 || return 1
	run $OCI list; expect_rc 0 || return 1
	expect_eq "table" "$(echo "$OUT" | awk 'NR > 1 {print $1, $3}' | sort | tr '\n' ' ')" \
		"l1 created l2 running " || return 1
	run $OCI list -q; expect_eq "-q" "$(echo "$OUT" | sort | tr '\n' ' ')" "l1 l2 " || return 1
	run $OCI list --format json
	expect_eq "json" "$(echo "$OUT" | jq -c 'sort_by(.id) | map([.id, .status])')" \
		'[["l1","created"],["l2","running"]]' || return 1
	oci delete --force l1 && oci delete --force l2 && nothing_left "$B"
}

test_ids() {
	need_oci || return 1
	make_bundle "$B" sleep 1000 || return 1
	oci create --bundle "$B" same || return 1
	run $OCI create --bundle "$B" same; expect_rc 1 || return 1
	expect_err "container same already exists" || return 1
	expect_eq "first untouched" "$(state_of same)" created || return 1
	for bad in ../x a/b . ''; do
		run $OCI create --bundle "$B" "$bad"; expect_rc 1 || return 1
		expect_err "invalid container ID" || return 1
	done
	oci delete same && nothing_left "$B"
}

# Two containers at once never interfere; the commands on one container take turns (its
# lock: while something holds it, start waits; a start of another container does not).
test_concurrent() {
	need_oci || return 1
	make_bundle "$B" sleep 1000 || return 1
	for i in 1 2 3 4; do oci create --bundle "$B" p$i & done
	wait
	for i in 1 2 3 4; do expect_eq "p$i" "$(state_of p$i)" created || return 1; done
	# p1's lock held until the go file appears; the start waits while flock says it holds it
	flock "$OCI_ROOT/p1" sh -c ": >'$T_TMP/held'; while [ ! -e '$T_TMP/go' ]; do sleep 0.05; done" &
	holder=$!
	poll 100 test -e "$T_TMP/held" || { fail "flock never took p1's lock"; kill $holder; return 1; }
	run timeout -k 5 1 "$ISO" --root "$OCI_ROOT" start p1
	expect_rc 124 || { fail "start did not wait for p1's lock"; : >"$T_TMP/go"; return 1; }
	run $OCI start p2; expect_rc 0 || { : >"$T_TMP/go"; return 1; }
	: >"$T_TMP/go"
	wait $holder
	run $OCI start p1; expect_rc 0 || return 1
	for i in 1 2 3 4; do oci delete --force p$i || return 1; done
	nothing_left "$B"
}

test_log() {
	need_oci || return 1
	run "$ISO" --root "$OCI_ROOT" --log "$T_TMP/log.json" --log-format=json start nosuch
	expect_rc 1 || return 1
	expect_err "isolate: container nosuch does not exist" || return 1
	expect_eq "log" "$(jq -r '[.level, .msg] | join(" ")' "$T_TMP/log.json")" \
		"error container nosuch does not exist" || return 1
	run "$ISO" --root "$OCI_ROOT" --systemd-cgroup --cgroup-manager cgroupfs list -q
	expect_rc 0 || return 1
	run "$ISO" --root "$OCI_ROOT" --log-format yaml list; expect_rc 2 || return 1
	expect_err "--log-format: 'yaml' is not text or json"
}

# Without root: `spec --rootless`, the state under $XDG_RUNTIME_DIR, a relative pid file
# (the caller's folder, not the bundle's); uid 0 inside is the user outside.
test_rootless() {
	need_oci || return 1
	make_bundle "$T_TMP/rl" true && rm "$T_TMP/rl/config.json" || return 1
	mkdir -p "$T_TMP/xdg" "$T_TMP/here" && chmod 755 "$T_TMP"
	chown -R 65534:65534 "$T_TMP/rl" "$T_TMP/xdg" "$T_TMP/here"
	$AS_NOBODY "$ISO" spec --rootless --bundle "$T_TMP/rl" || { fail "spec --rootless"; return 1; }
	cfg "$T_TMP/rl" '.process.args = ["sh", "-c", "id -u; cat /proc/self/uid_map"]' || return 1
	run sh -c "cd $T_TMP/here && $AS_NOBODY env XDG_RUNTIME_DIR=$T_TMP/xdg $ISO create --bundle $T_TMP/rl --pid-file rel.pid n1"
	expect_rc 0 || return 1
	[ -s "$T_TMP/here/rel.pid" ] || { fail "no pid file in the caller's folder"; return 1; }
	[ -d "$T_TMP/xdg/isolate-oci/n1" ] || { fail "no state under XDG_RUNTIME_DIR"; return 1; }
	run $AS_NOBODY env XDG_RUNTIME_DIR="$T_TMP/xdg" "$ISO" start n1; expect_rc 0 || return 1
	poll 50 sh -c "[ \"\$($AS_NOBODY env XDG_RUNTIME_DIR=$T_TMP/xdg $ISO state n1 2>/dev/null | jq -r .status)\" = stopped ]" ||
		{ fail "never stopped"; return 1; }
	run $AS_NOBODY env XDG_RUNTIME_DIR="$T_TMP/xdg" "$ISO" delete n1; expect_rc 0 || return 1
	[ -z "$(ls -A "$T_TMP/xdg/isolate-oci")" ] || { fail "state left"; return 1; }
	run $AS_NOBODY env XDG_RUNTIME_DIR="$T_TMP/xdg" "$ISO" run --bundle "$T_TMP/rl" n2
	expect_rc 0 || return 1
	expect_eq "rootless ids" "$(echo "$OUT" | tr -s ' ')" "0
 0 65534 1"
}

t "spec writes runc's default config (rootless: a user namespace), never over one" test_spec
t "features: namespaces, hooks, seccomp; cgroup v2 only" test_features
t "create: the pid file holds the init's host pid, waiting in new namespaces; start runs the process; state follows" test_create_start
t "kill: by number and name; a bad signal or a stopped container is one line" test_kill
t "kill --all reaches every process of the container" test_kill_all
t "delete: a created container's init goes with it" test_delete_created
t "run: the process's exit status, 128+N for a signal, --detach" test_run
t "--preserve-fds: fds 3 and 4 reach the process; the caller's others never (attack)" test_preserve_fds
t "exec: in the container's namespaces and root, args or --process, --detach --pid-file" test_exec
t "list: table, -q, json" test_list
t "IDs: one of each, checked" test_ids
t "concurrent containers apart; one container's commands in turn (its lock)" test_concurrent
t "--log --log-format json; cgroup options accepted" test_log
t "without root: spec --rootless, state under XDG_RUNTIME_DIR, a relative pid file, uid 0 is the user" test_rootless
done_testing
