#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/isolate/netns.sh: the isolate tests' own network namespace (scripts/netns.sh, through
# iso.inc): a test file runs again under `unshare --net`, so its containers' veths never
# appear in the namespace it ran from; the guard stops one that finds itself in the
# machine's initial namespace, in one line, before any veth; and a file that leaves an iso-*
# link where it ran from fails. Each case runs a small test file (one built here, sourcing
# the real lib.sh, iso.inc and netns.sh) or a real one, from this file's own namespace.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/iso.inc"

# probe MODE: a test file of the suite's shape, in a tree of links to the real helpers.
PROBE=$T_TMP/tree/tests/isolate/probe.sh
mkdir -p "$T_TMP/tree/tests/isolate" "$T_TMP/tree/scripts" &&
	ln -s "$T_ROOT/tests/lib.sh" "$T_TMP/tree/tests/lib.sh" &&
	ln -s "$T_ROOT/tests/isolate/iso.inc" "$T_TMP/tree/tests/isolate/iso.inc" &&
	ln -s "$T_ROOT/scripts/netns.sh" "$T_TMP/tree/scripts/netns.sh" || exit 1
cat >"$PROBE" <<'EOF'
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/iso.inc"
echo "reached"
case $1 in
veth) # a container with its veth, held until its link is seen here and where we came from
	mkfifo "$T_TMP/fifo" && exec 3<>"$T_TMP/fifo"
	"$ISO" --net veth sh -c 'read x' <&3 &
	poll 100 sh -c "ip -o link show | grep -q ' iso-$!'"
	echo "self $(netns_self)"
	echo "outer $(readlink "$MINIVIRT_OUTER_NETNS")"
	echo "here $(netns_links | tr '\n' ' ')"
	echo "there $(netns_outside ip -o link show | grep -c ' iso-')"
	echo go >&3
	bounded_wait $!
	echo "isolate $?" ;;
plain) "$ISO" true; echo "isolate $?" ;;
leak) netns_outside ip link add iso-leak type veth peer name leak-peer && echo made ;;
esac
EOF
export MINIVIRT_BUILD="$T_BUILD"

t_guard() {
	need_isolate && need_root || return 1
	before=$(quiet_links)
	# this namespace stands in for the machine's initial one; MINIVIRT_NETNS says the file
	# is already where netns_own would put it, so only the guard stands between it and a veth
	run env MINIVIRT_NETNS="$(netns_self)" MINIVIRT_INITIAL_NETNS=/proc/$$/ns/net sh "$PROBE" plain
	expect_rc 1 || return 1
	expect_eq "stdout" "$OUT" "not ok 1 - probe: in the machine's initial network namespace ($(netns_self)), where isolate's veth would go: run it inside its own (unshare --net), as make check and make bench do" &&
		expect_eq "stderr" "$ERR" "" && expect_links "$before"
}
t "the guard: a test file in the machine's initial network namespace fails at once, in one line, before any veth" t_guard

t_guard_passes() {
	need_isolate && need_root || return 1
	run env MINIVIRT_NETNS="$(netns_self)" sh "$PROBE" plain
	expect_rc 0 && expect_out "reached" && expect_out "isolate 0"
}
t "the guard lets a test file run in a namespace that is not the initial one" t_guard_passes

t_own_netns() {
	need_isolate && need_root || return 1
	before=$(quiet_links)
	run env -u MINIVIRT_NETNS sh "$PROBE" veth
	expect_rc 0 && expect_out "isolate 0" || return 1
	inner=$(field "$OUT" '^self ' | cut -d' ' -f2)
	expect_eq "the namespace it ran from" "$(field "$OUT" '^outer ' | cut -d' ' -f2)" "$(netns_self)" &&
		[ -n "$inner" ] && [ "$inner" != "$(netns_self)" ] ||
		{ fail "the file ran in $inner, not in a namespace of its own"; return 1; }
	field "$OUT" '^here iso-[0-9]' >/dev/null ||
		{ fail "no iso-* link in the file's own namespace"; show_output; return 1; }
	expect_eq "iso-* links where it ran from, while its container ran" \
		"$(field "$OUT" '^there ' | cut -d' ' -f2)" 0 && expect_links "$before"
}
t "a test file runs under unshare --net: its container's veth is in its own namespace, never where it ran from" t_own_netns

t_leak_fails() {
	need_root || return 1
	run env -u MINIVIRT_NETNS sh "$PROBE" leak
	ip link del iso-leak 2>/dev/null
	expect_out made && expect_rc 1 &&
		expect_eq "stderr" "$ERR" "$PROBE: left iso-* links in the network namespace it ran from: iso-leak"
}
t "a test file that leaves an iso-* link in the namespace it ran from fails, saying which" t_leak_fails

t_suite_leaves_none() {
	need_isolate && need_root || return 1
	before=$(quiet_links)
	run env -u MINIVIRT_NETNS MINIVIRT_T_PREFIX=netns: sh "$T_ROOT/tests/isolate/net.sh"
	expect_rc 0 && expect_out "ok 12 - netns:net: " || return 1
	! printf '%s\n' "$OUT" | grep -q '^not ok' || { fail "net.sh failed here"; show_output; return 1; }
	expect_eq "iso-* links here after net.sh" "$(netns_links)" "" && expect_links "$before"
}
t "after the network tests (net.sh), no iso-* link is left in the namespace they ran from" \
	t_suite_leaves_none

# Every file that runs isolate as root gets its own namespace: the isolate and OCI test files
# (any added later too, or this fails naming it) through iso.inc or oci.inc, the docs'
# examples through netns_own and netns_guard themselves, make bench (run.sh, isolate.sh)
# through bench.inc, which calls them.
t_every_file() {
	bad=
	for f in "$T_ROOT"/tests/isolate/*.sh "$T_ROOT"/tests/oci/*.sh "$T_ROOT"/tests/docs/examples.sh \
		"$T_ROOT"/bench/run.sh "$T_ROOT"/bench/isolate.sh; do
		grep -qE '^\. .*/(iso|oci|bench)\.inc"$' "$f" && continue
		grep -qx 'netns_own "$0" "$@"' "$f" && grep -q '^netns_guard ' "$f" && continue
		bad="$bad ${f#"$T_ROOT"/}"
	done
	[ -z "$bad" ] || fail "no network namespace of their own:$bad"
}
t "every isolate and OCI test file, the docs' examples and make bench run in a network namespace of their own" \
	t_every_file

done_testing
