#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/isolate/net.sh: the container's network: lo, a veth pair to the host (the address
# scheme, --net-addr, --net none), ping to the host end and nowhere else, concurrent
# containers, taken names and addresses, and the pair's removal after isolate returns.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/iso.inc"

# Run inside: prints "lo <flags> <addr>" and "eth0 <flags> <addr>", then the routes.
SHOW='for i in lo eth0; do
	f=$(ip -o link show dev $i | sed -n "s/.*<\(.*\)>.*/\1/p")
	a=$(ip -o -4 addr show dev $i | awk "{ print \$4 }")
	echo "$i $f $a"
done
ip -4 route show | sed "s/ *$//"'

# held ARGS...: starts isolate ARGS... in the background, its PROGRAM waiting on a fifo
# after writing its eth0 address to $T_TMP/held.N; sets HELD (isolate's pid) and HELD_N.
held() {
	HELD_N=1
	while [ -e "$T_TMP/go.$HELD_N" ]; do HELD_N=$((HELD_N + 1)); done
	mkfifo "$T_TMP/go.$HELD_N"
	"$ISO" "$@" sh -c "ip -o -4 addr show dev eth0 | awk '{ print \$4 }' >$T_TMP/held.tmp.$HELD_N &&
		mv $T_TMP/held.tmp.$HELD_N $T_TMP/held.$HELD_N && read x <$T_TMP/go.$HELD_N" &
	HELD=$!
	poll 100 test -s "$T_TMP/held.$HELD_N" || { fail "held container did not start"; return 1; }
}
release() { echo go >"$T_TMP/go.$1"; }

t_links_up() {
	need_isolate || return 1
	need_root
	free=1
	ip -o -4 addr show | awk '{ print $4 }' | grep -q '^10\.11\.12\.' && free=0
	run "$ISO" sh -c "$SHOW"
	expect_rc 0 || return 1
	lo=$(field "$OUT" '^lo ')
	eth=$(field "$OUT" '^eth0 ')
	case "$lo" in "lo LOOPBACK,UP,LOWER_UP 127.0.0.1/8") ;; *) fail "lo: $lo"; return 1 ;; esac
	case "$eth" in
	"eth0 BROADCAST,MULTICAST,UP,LOWER_UP 10.11."*".14/24") ;;
	*) fail "eth0 is not up (with carrier) with 10.11.N.14/24: $eth"; return 1 ;;
	esac
	[ $free = 0 ] || expect_eq "eth0 when 10.11.12.0/24 is free" "$eth" \
		"eth0 BROADCAST,MULTICAST,UP,LOWER_UP 10.11.12.14/24" || return 1
	# the connected route alone: no default route, nothing beyond the host end
	addr=${eth##* }
	expect_eq "routes" "$(printf '%s\n' "$OUT" | grep -v '^lo \|^eth0 ')" \
		"${addr%.14/24}.0/24 dev eth0 proto kernel scope link src ${addr%/24}"
}
t "lo and eth0 up with 127.0.0.1/8 and 10.11.N.14/24; one connected route" t_links_up

t_host_end() {
	need_isolate || return 1
	need_root
	held || return 1
	addr=$(cat "$T_TMP/held.$HELD_N")
	host=$(ip -o -4 addr show dev "iso-$HELD" 2>&1 | awk '{ print $4 }')
	flags=$(ip -o link show dev "iso-$HELD" 2>&1)
	release "$HELD_N"
	wait "$HELD" || { fail "the held container failed"; return 1; }
	expect_eq "host end's address" "$host" "${addr%.14/24}.13/24" || return 1
	case "$flags" in *"<BROADCAST,MULTICAST,UP,LOWER_UP>"*) ;; *) fail "iso-$HELD: $flags"; return 1 ;; esac
}
t "the host end iso-PID is up with 10.11.N.13/24 while the container runs" t_host_end

t_ping() {
	need_isolate || return 1
	need_root
	run "$ISO" sh -c 'a=$(ip -o -4 addr show dev eth0 | awk "{ print \$4 }")
		ping -c1 -W1 ${a%.14/24}.13'
	expect_rc 0 && expect_out "1 received"
}
t "the container pings the host end" t_ping

t_no_route() {
	need_isolate || return 1
	need_root
	# the host's own address on its uplink: not reachable, no route at all
	up=$(ip -o -4 addr show scope global | grep -v ' iso-' | awk '{ print $4 }' | head -n 1)
	[ -n "$up" ] || up=192.0.2.1/24
	fwd=$(cat /proc/sys/net/ipv4/ip_forward)
	run "$ISO" sh -c "ip -4 route get ${up%/*}; ip -4 route get 1.1.1.1; ping -c1 -W1 ${up%/*}"
	[ "$RC" -ne 0 ] || { fail "ping to ${up%/*} worked"; return 1; }
	expect_err "Network is unreachable"
	[ "$(printf '%s\n' "$ERR" | grep -c 'Network is unreachable')" -ge 2 ] ||
		{ fail "a route beyond the host end"; show_output; return 1; }
	expect_eq "the host's ip_forward" "$(cat /proc/sys/net/ipv4/ip_forward)" "$fwd"
}
t "nothing beyond the host end: no default route, the host's uplink unreachable" t_no_route

t_net_none() {
	need_isolate || return 1
	run "$ISO" --net none sh -c 'ip -o link show | cut -d: -f2 | tr -d " "; ip -o -4 addr show'
	expect_rc 0 && expect_eq "links" "$(printf '%s\n' "$OUT" | head -n 1)" "lo" &&
		expect_eq "link count" "$(printf '%s\n' "$OUT" | grep -vc inet)" 1 &&
		expect_out "127.0.0.1/8" && expect_eq "stderr" "$ERR" ""
}
t "--net none: lo alone, up, and nothing said" t_net_none

t_net_addr() {
	need_isolate || return 1
	need_root
	before=$(quiet_links)
	run "$ISO" --net-addr 10.77.0.1/24,10.77.0.2 sh -c "$SHOW; ping -c1 -W1 10.77.0.1"
	expect_rc 0 && expect_out "eth0 BROADCAST,MULTICAST,UP,LOWER_UP 10.77.0.2/24" &&
		expect_out "1 received" || return 1
	expect_links "$before"
}
t "--net-addr 10.77.0.1/24,10.77.0.2: those addresses, and ping works" t_net_addr

t_concurrent_subnets() {
	need_isolate || return 1
	need_root
	before=$(quiet_links)
	held || return 1
	a=$HELD
	an=$HELD_N
	held || { release "$an"; return 1; }
	b=$HELD
	bn=$HELD_N
	run "$ISO" sh -c 'a=$(ip -o -4 addr show dev eth0 | awk "{ print \$4 }")
		echo $a; ping -c1 -W1 ${a%.14/24}.13 >/dev/null && echo pinged'
	release "$an"
	release "$bn"
	wait "$a" && wait "$b" || { fail "a held container failed"; return 1; }
	expect_rc 0 && expect_out pinged || return 1
	s1=$(cat "$T_TMP/held.$an")
	s2=$(cat "$T_TMP/held.$bn")
	s3=$(printf '%s\n' "$OUT" | head -n 1)
	[ "$s1" != "$s2" ] && [ "$s2" != "$s3" ] && [ "$s1" != "$s3" ] ||
		{ fail "subnets collide: $s1 $s2 $s3"; return 1; }
	expect_links "$before"
}
t "three containers at once: three subnets, each pings its host end" t_concurrent_subnets

t_addr_in_use() {
	need_isolate || return 1
	need_root
	before=$(quiet_links)
	held --net-addr 10.77.1.1/24,10.77.1.2 || return 1
	with=$(host_links)
	run "$ISO" --net-addr 10.77.1.1/24,10.77.1.2 true
	now=$(host_links)
	release "$HELD_N"
	wait "$HELD"
	expect_rc 125 && expect_err "10.77.1.1 is already in use" && expect_one_line || return 1
	expect_eq "links after the refused run" "$now" "$with" || return 1
	expect_links "$before"
}
t "--net-addr with the host address in use: one line, 125, no veth made" t_addr_in_use

t_name_in_use() {
	need_isolate || return 1
	need_root
	before=$(quiet_links)
	# exec keeps the pid, so isolate's host end, iso-$$, is taken by another veth
	run sh -c "ip link add iso-\$\$ type veth peer name isotest-\$\$ && exec $ISO true"
	name=$(host_links | grep '^iso-' | grep -vxF "$before" | head -n 1)
	[ -n "$name" ] && ip link del "$name"
	expect_rc 125 && expect_err "cannot create the veth pair $name <-> eth0: File exists (the host has an interface named $name)" &&
		expect_one_line || return 1
	expect_links "$before"
}
t "the interface name taken: one line, 125, nothing left" t_name_in_use

t_teardown_async() {
	need_isolate || return 1
	need_root
	"$ISO" true &
	pid=$!
	wait "$pid" || { fail "isolate true failed"; return 1; }
	# the pair goes with the container's network namespace, a little after isolate returns
	poll 50 sh -c "! ip link show dev iso-$pid >/dev/null 2>&1" ||
		{ fail "iso-$pid still there after 5 s"; return 1; }
}
t "the veth pair goes by itself once isolate has returned (bounded poll)" t_teardown_async

t_wait_teardown() {
	need_isolate || return 1
	need_root
	for i in 1 2 3 4 5; do
		"$ISO" --wait-teardown true &
		pid=$!
		wait "$pid" || { fail "isolate --wait-teardown true failed"; return 1; }
		# no poll: gone when isolate returns
		if ip link show dev "iso-$pid" >/dev/null 2>&1; then
			fail "iso-$pid still there when isolate --wait-teardown returned"
			return 1
		fi
	done
}
t "--wait-teardown: the veth pair is gone when isolate returns" t_wait_teardown

t_wait_teardown_held() {
	need_isolate || return 1
	need_root
	mkfifo "$T_TMP/hold.go"
	"$ISO" --wait-teardown sh -c "echo ready >$T_TMP/hold.ready; read x <$T_TMP/hold.go" \
		2>"$T_TMP/hold.err" &
	pid=$!
	poll 100 test -s "$T_TMP/hold.ready" || { fail "PROGRAM did not start"; kill -9 "$pid"; return 1; }
	# an open namespace file keeps the container's network namespace, and the pair, alive
	exec 3<"/proc/$(pid1_of "$pid")/ns/net"
	echo go >"$T_TMP/hold.go"
	bounded_wait "$pid"
	rc=$?
	left=$(ip -o link show dev "iso-$pid" 2>/dev/null)
	exec 3<&-
	expect_eq "status" "$rc" 0 || return 1
	expect_eq "iso-$pid after isolate returned" "$left" "" || return 1
	grep -q "iso-$pid outlived the container's network namespace: deleted it" "$T_TMP/hold.err" ||
		{ fail "no word on the deletion: $(cat "$T_TMP/hold.err")"; return 1; }
}
t "--wait-teardown with the namespace held open: isolate deletes the pair after 2 s" \
	t_wait_teardown_held

done_testing
