#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/isolate/race.sh: nothing survives isolate: runs SIGKILLed at a random moment 0-30 ms
# after the start (during the setup, as PROGRAM starts, or later) leave no process and no
# veth behind, with the veth and with --net none, with and without --init, as root and as
# nobody. MINIVIRT_RACE_RUNS runs of each (default 100 here; `make stress` runs 2000).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/iso.inc"

RUNS=${MINIVIRT_RACE_RUNS:-100}

# race WHO OPTS...: RUNS runs of isolate OPTS, each SIGKILLed after a random 0-30 ms.
race() {
	_who=$1
	shift
	_pre=
	[ "$_who" = nobody ] && _pre=$AS_NOBODY
	mark="iso-race-$$-$(echo "$_who $*" | tr -c 'a-z0-9\n' '_')"
	before=$(host_links)
	# the moments, drawn at once (one awk, not one a run)
	for d in $(awk -v n="$RUNS" 'BEGIN { srand(); for (i = 0; i < n; i++) printf "%.3f\n", rand() * 0.030 }'); do
		$_pre "$ISO" "$@" sh -c ": $mark; sleep 30" 2>/dev/null &
		pid=$!
		sleep "$d"
		kill -KILL "$pid"
		wait "$pid" 2>/dev/null
	done
	expect_no_procs "$mark" || { fail "$_who $*: after $RUNS runs"; return 1; }
	expect_links "$before" || { fail "$_who $*: after $RUNS runs"; return 1; }
}

t_race_none() {
	need_isolate || return 1
	race root --net none && race root --net none --init
}
t "SIGKILL 0-30 ms after the start, --net none: no process left ($RUNS runs, and with --init)" \
	t_race_none

t_race_veth() {
	need_isolate || return 1
	[ "$(id -u)" -eq 0 ] || skip "needs root: a veth pair needs CAP_NET_ADMIN"
	quiet_links >/dev/null
	race root --net veth && race root --net veth --init
}
t "SIGKILL 0-30 ms after the start, with the veth: no process, no veth left ($RUNS runs, and with --init)" \
	t_race_veth

t_race_nobody() {
	need_isolate || return 1
	race nobody --net none
}
t "SIGKILL 0-30 ms after the start, isolate run by nobody: no process left ($RUNS runs)" \
	t_race_nobody

done_testing
