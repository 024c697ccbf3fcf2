#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/isolate/exercise.sh: scripts/ns-exercise.sh, the namespace exercise's sequence, runs
# as root and as nobody and shows what docs/questions.md says it shows: the maps, the
# hostname, the veth and its ping (root), the eight-process tree, six new namespaces, the
# minimal form's two processes, the order experiments, the deferred map, the capability
# rule, a namespace kept by a bind mount; and it leaves no veth, mount or folder behind.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/iso.inc"

EX=$T_ROOT/scripts/ns-exercise.sh
export ISOLATE="$ISO"

# the script's output as root and as nobody, made once (each run takes a few seconds)
ex_run() { # ex_run FILE [AS_NOBODY]
	[ -s "$T_TMP/$1" ] && return 0
	# shellcheck disable=SC2086
	TMPDIR=$T_TMP timeout -k 5 240 $2 sh "$EX" all >"$T_TMP/$1" 2>&1
	echo $? >"$T_TMP/$1.rc"
}
# line PATTERN FILE: the section's output holds a line matching the extended regex
has() { grep -qE -- "$1" "$T_TMP/$2" || fail "no line matching /$1/ in the $2 run"; }
lacks() { ! grep -qE -- "$1" "$T_TMP/$2" || fail "a line matches /$1/ in the $2 run"; }
section() { awk -v s="$2" '/^== / { on = index($0, s) > 0 } on' "$T_TMP/$1"; }

t_root_runs() {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
	need_isolate || return 1
	before=$(host_links)
	ex_run root
	expect_eq "status" "$(cat "$T_TMP/root.rc")" 0 || { sed 's/^/#   /' "$T_TMP/root" | tail -n 20; return 1; }
	# its veth lived in a network namespace of its own: none here, before or after
	expect_eq "links here" "$(host_links)" "$before" &&
		! ls "$T_TMP" | grep -q '^ns-exercise\.' || fail "a folder was left behind"
}
t "as root: the script runs to the end, in a network namespace of its own" t_root_runs

t_root_own_netns() { # told it is in a namespace of its own when it is not, it makes no veth
	[ "$(id -u)" -eq 0 ] || skip "needs root"
	before=$(host_links)
	NS_EXERCISE_OWN_NS=1 TMPDIR=$T_TMP run sh "$EX" sequence
	expect_rc 1 && expect_err "ns-exercise: not in a network namespace of the script's own: no veth" &&
		expect_eq "links here" "$(host_links)" "$before"
}
t "as root: the script makes its veth only in the network namespace it made itself" t_root_own_netns

t_root_maps() {
	[ -s "$T_TMP/root" ] || return 1
	has '^\[child \] uid=65534\(nobody\) gid=65534\(nogroup\)' root &&
		has "^\[parent\] +[0-9]+ my-user-ns\?$" root &&
		has "^\[parent\] \\$ echo '0 0 1000' > /proc/[0-9]+/uid_map" root &&
		has '^\[child \] uid=0\(root\) gid=0\(root\)' root &&
		has '^\[child \] isolated$' root
}
t "as root: nobody before the maps, root after, the comm's newline shown as ?, the hostname" t_root_maps

t_root_veth() {
	[ -s "$T_TMP/root" ] || return 1
	has '^\[child \] peer0@if[0-9]+ +DOWN' root &&
		has '^\[child \] 64 bytes from 10\.11\.12\.13: icmp_seq=1' root &&
		has '^\[parent\] Device "veth0" does not exist\.' root
}
t "as root: peer0 arrives in the net namespace, 10.11.12.13 answers, veth0 goes with it" t_root_veth

# the tree: unshare, sh, unshare, sh, unshare, sh, unshare --fork, sh (PID 1), each the
# child of the one before, and PID 1's ps sees only itself and ps
tree_ok() { # tree_ok FILE USER
	tree=$(section "$1" "sequence" | sed -n '/--forest/,/namespaces, beside/p' | grep -E '^\[parent\] +[0-9]+ ')
	expect_eq "processes in the tree" "$(printf '%s\n' "$tree" | wc -l)" 8 || return 1
	expect_eq "commands" "$(printf '%s\n' "$tree" | awk '{ c = $5 == "\\_" ? $6 : $5; printf "%s ", c }')" \
		"unshare sh unshare sh unshare sh unshare sh " || return 1
	printf '%s\n' "$tree" | awk -v u="$2" 'NR > 1 && $3 != prev { bad = 1 } $4 != u { bad = 1 }
		{ prev = $2 } END { exit bad }' || { fail "not a chain of $2's processes: $tree"; return 1; }
	has '^\[child \] +1 +0 root +sh .*ns-exercise\.sh 4$' "$1" &&
		expect_eq "ps in PID 1's namespace" "$(grep -cE '^\[child \] +[0-9]+ +[0-9]+ root ' "$T_TMP/$1")" 2
}
t_root_tree() { [ -s "$T_TMP/root" ] && tree_ok root root; }
t "as root: the tree is the exercise's chain of eight processes; PID 1 sees two" t_root_tree

six_new() { # every one of PID 1's six namespaces differs from the parent's
	lines=$(grep -E '^\[parent\]   (user|uts|ipc|net|pid|mnt):\[' "$T_TMP/$1" | head -n 6)
	expect_eq "namespace lines" "$(printf '%s\n' "$lines" | wc -l)" 6 || return 1
	printf '%s\n' "$lines" | awk '$2 == $4 { exit 1 }' || fail "a namespace is the parent's: $lines"
}
six_new_root() { [ -s "$T_TMP/root" ] && six_new root; }
t "as root: PID 1's six namespaces all differ from the parent's" six_new_root

# the minimal form: one unshare and its one child, then isolate and its one child (PROGRAM)
minimal_ok() { # minimal_ok FILE USER
	section "$1" "minimal form" >"$T_TMP/$1.min"
	rows=$(grep -E '^\[parent\] +[0-9]+ +[0-9]+ ' "$T_TMP/$1.min")
	expect_eq "processes: unshare and its child, isolate and its child" \
		"$(printf '%s\n' "$rows" | awk '{ c = $5 == "\\_" ? $6 : $5; sub(/.*\//, "", c); printf "%s ", c }')" \
		"unshare sleep isolate sleep " || return 1
	# each child's parent is the row above it
	printf '%s\n' "$rows" | awk 'NR % 2 == 0 && $3 != prev { bad = 1 } { prev = $2 } END { exit bad }' ||
		fail "a child is not its unshare's or isolate's: $rows"
}
t_root_minimal() { [ -s "$T_TMP/root" ] && minimal_ok root root; }
t "as root: the minimal form is two processes, unshare and PID 1; isolate too" t_root_minimal

t_root_order() {
	[ -s "$T_TMP/root" ] || return 1
	o=another
	section root "$o" >"$T_TMP/root.order"
	has '^\[parent\] unshare --ipc: done' root.order &&
		has '^\[parent\] hostname: you must be root to change the host name' root.order &&
		has '^\[parent\] RTNETLINK answers: Operation not permitted' root.order &&
		has '^\[parent\] lo up$' root.order
}
t "as root: UTS and net made before the user namespace stay out of its reach" t_root_order

deferred_ok() { # the unshare before the maps fails; the one after works
	section "$1" "maps written late" >"$T_TMP/$1.late"
	has '^\[child \] unshare: unshare failed: Operation not permitted' "$1.late" &&
		has '^\[child \] isolated$' "$1.late" &&
		[ "$(grep -c 'CapEff:.0000000000000000' "$T_TMP/$1.late")" -eq 2 ] ||
		fail "the late-mapped shell should keep CapEff 0 before and after the maps"
}
t_root_deferred() { [ -s "$T_TMP/root" ] && deferred_ok root; }
t "as root: before the maps unshare fails; after them a new exec can" t_root_deferred

caps_ok() {
	section "$1" "capabilities" >"$T_TMP/$1.caps"
	expect_eq "CapEff: unmapped, mapped root, no bounding set, isolate" \
		"$(grep -o 'CapEff:.*' "$T_TMP/$1.caps" | tr -d '\t' | tr '\n' ' ')" \
		"CapEff:0000000000000000 CapEff:000001ffffffffff CapEff:0000000000000000 CapEff:0000000000000000 " &&
		has '^\[parent\] NoNewPrivs:.1' "$1.caps"
}
t_root_caps() { [ -s "$T_TMP/root" ] && caps_ok root; }
t "as root: capabilities after execve follow the rule (uid 0, bounding set, no_new_privs)" t_root_caps

t_root_persist() {
	[ -s "$T_TMP/root" ] || return 1
	section root "keeping" >"$T_TMP/root.keep"
	# after the only process is killed, nsenter through the bind mount still finds a0/b0;
	# after the umount the namespace is gone
	awk '/\$ kill/ { k = 1 } k && /a0@b0/ { f = 1 } END { exit !f }' "$T_TMP/root.keep" ||
		{ fail "the kept namespace lost its links"; return 1; }
	has '^\[parent\] /.*/net +nsfs\[net:\[[0-9]+\]\]$' root.keep &&
		has '^\[parent\] 0$' root.keep || return 1
	has "reassociate to namespace 'ns/net' failed: Invalid argument" root.keep
}
t "as root: a bind-mounted ns file keeps a namespace with no process; umount ends it" t_root_persist

t_nobody_runs() {
	need_isolate || return 1
	[ "$(id -u)" -eq 0 ] || skip "needs root to become nobody"
	chmod a+rx "$T_TMP"
	mkdir -m 1777 "$T_TMP/nb"
	(T_TMP_OUT=$T_TMP; T_TMP=$T_TMP/nb; [ -s "$T_TMP_OUT/nobody" ] ||
		TMPDIR=$T_TMP timeout -k 5 240 $AS_NOBODY sh "$EX" all >"$T_TMP_OUT/nobody" 2>&1
		echo $? >"$T_TMP_OUT/nobody.rc")
	! ls "$T_TMP/nb" | grep -q . || { fail "a folder was left behind"; return 1; }
	expect_eq "status" "$(cat "$T_TMP/nobody.rc")" 0 || { sed 's/^/#   /' "$T_TMP/nobody" | tail -n 20; return 1; }
	has "^\[parent\] \\$ echo deny > /proc/[0-9]+/setgroups" nobody &&
		has "^\[parent\] \\$ echo '0 65534 1' > /proc/[0-9]+/uid_map" nobody &&
		has '^\[parent\] RTNETLINK answers: Operation not permitted' nobody &&
		lacks '10\.11\.12\.1[34]' nobody
}
t "as nobody: the script runs to the end; the user's own one-line maps; no veth" t_nobody_runs

t_nobody_tree() { [ -s "$T_TMP/nobody" ] && tree_ok nobody nobody && six_new nobody; }
t "as nobody: the same chain of eight processes and six new namespaces" t_nobody_tree

t_nobody_minimal() { [ -s "$T_TMP/nobody" ] && minimal_ok nobody nobody; }
t "as nobody: the minimal form is two processes, unshare and PID 1; isolate too" t_nobody_minimal

t_nobody_order() {
	[ -s "$T_TMP/nobody" ] || return 1
	section nobody another >"$T_TMP/nobody.order"
	expect_eq "refusals" "$(grep -c 'unshare failed: Operation not permitted' "$T_TMP/nobody.order")" 2 &&
		deferred_ok nobody && caps_ok nobody
}
t "as nobody: no namespace before the user namespace; the deferred map; the capability rule" t_nobody_order

done_testing
