#!/bin/sh
# SPDX-License-Identifier: MIT
# bench/isolate.sh: `make bench`'s isolate part (bench/run.sh runs it; it also runs alone):
# whole runs of `isolate /bin/true`, with its veth and with --net none, against bubblewrap
# and util-linux unshare around the same /bin/true, as ratios; isolate's peak memory; its
# hardening against --no-harden. Informational only: never pass/fail on timing.
#
# What each one makes, so that the ratios read right:
# - isolate: new user, UTS, IPC, network, PID and mount namespaces; ids mapped to a slot of
#   an unprivileged range (a lock in /run/isolate); lo up; the hostname; a new /proc with the
#   kernel's knobs read-only or masked; no_new_privs, no capabilities, the seccomp filter;
#   and (the first command) a veth pair to the host, addressed on both ends.
# - bwrap --unshare-all --dev-bind / / --proc /proc: new user, IPC, PID, network, UTS and
#   cgroup namespaces and a mount namespace (a tmpfs root with / bound in, pivot_root); lo
#   up; root mapped to root; no_new_privs, no capabilities; no veth, no masks, no filter; its
#   own init as PID 1, which forks /bin/true.
# - unshare --user --map-root-user --uts --ipc --net --pid --fork --mount --mount-proc: the
#   same six namespaces as isolate and a new /proc; root mapped to root; lo stays down; no
#   hardening.
# isolate with its veth is held to bwrap (no veth), isolate --net none to unshare.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/bench.inc"
[ -x "$B/isolate" ] || { echo "bench: isolate: $B/isolate is not built (make)"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/minivirt-bench-isolate.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

un="unshare --user --map-root-user --uts --ipc --net --pid --fork --mount --mount-proc /bin/true"
bw="bwrap --unshare-all --dev-bind / / --proc /proc /bin/true"

# The machine is shared, and a run of isolate is two processes at work at once (isolate
# writes the maps and makes the veth while the child mounts and hardens itself): how much
# others' load costs it depends on whether it gets both CPUs. hyperfine runs one command's
# runs after the other's, so a load that changes meanwhile lands on one command only: on
# this project's 2-core machine consecutive `make bench` runs gave 1.20x to 1.61x for the
# same build. bench/alternate runs the four in turn instead (each round one command further
# on, so that what one leaves the kernel to tear down after it, its namespaces, slows each
# of the others as often), 3 x RUNS runs each and the median of each. As the read bench
# does (bench/run.sh), the runs go twice: as the machine is, and with the CPUs given to them
# (chrt -f 1, real-time priority, for all four commands alike) when chrt may do so; the
# goals are read from the second.
veth="with its veth"
[ "$(id -u)" -eq 0 ] || veth="NO veth: not root, loopback only"
turns=$((3 * RUNS))
echo "bench: isolate /bin/true ($veth) against bwrap and unshare, $turns runs each, in turn (bench/alternate.c)"
# in_turn [PREFIX...]: the four commands' medians, in ms, on one line: isolate, --net none,
# bwrap, unshare.
in_turn() {
	# shellcheck disable=SC2086 # $bw, $un: a command and its arguments
	"$@" "$B/bench/alternate" "$turns" 5 isolate "$B/isolate" /bin/true -- \
		none "$B/isolate" --net none /bin/true -- bwrap $bw -- unshare $un |
		awk '{ t[$1] = $2 * 1000 } END { printf "%.3f %.3f %.3f %.3f\n", t["isolate"], t["none"], t["bwrap"], t["unshare"] }'
}
# show LABEL "ISOLATE NONE BWRAP UNSHARE": one line of figures and ratios.
show() {
	echo "$2" | awk -v l="$1" '{ printf "  %s: isolate %6.3f ms, --net none %6.3f ms, bwrap %6.3f ms, unshare %6.3f ms: %.2fx bwrap, --net none %.2fx unshare\n", l, $1, $2, $3, $4, $1 / $3, $2 / $4 }'
}
show "as the machine is (load $(cut -d' ' -f1 /proc/loadavg))" "$(in_turn)"
if chrt -f 1 true 2>/dev/null; then
	fig=$(in_turn chrt -f 1)
	show "with the CPUs given to them (chrt -f 1)" "$fig"
else
	echo "  (chrt -f 1 is refused here: the goals are read from the runs as the machine is)"
	fig=$(in_turn)
fi
echo "$fig" | awk '{
	printf "goal: isolate (veth) no slower than bwrap: %.2fx (%s)\n", $1 / $3, ($1 / $3 <= 1.0 ? "met" : "NOT met")
	printf "goal: isolate --net none within 1.20x of unshare: %.2fx (%s)\n", $2 / $4, ($2 / $4 <= 1.2 ? "met" : "NOT met")
}'

# Peak memory in KiB (GNU time's maximum RSS, of the command and what it waited for), the
# median of 11 runs each. One run's peak moves by up to 15% with where address-space
# randomization puts the shared libraries against the kernel's 64 KiB fault-around windows
# (with `setarch -R` it is the same at every run): the largest of a few runs measured that
# luck more than the program.
peak() {
	for _ in 1 2 3 4 5 6 7 8 9 10 11; do
		/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1
	done | sort -n | sed -n 6p
}
mi=$(peak "$B/isolate" /bin/true)
mb=$(peak $bw)
mu=$(peak $un)
echo "  peak RSS (the median of 11 runs): isolate $mi KiB, bwrap $mb KiB, unshare $mu KiB"
awk -v i="$mi" -v b="$mb" 'BEGIN { printf "goal: isolate peak memory no more than bwrap'"'"'s: %.2fx (%s)\n", i / b, (i <= b ? "met" : "NOT met") }'

# isolate's sandbox: the default hardening (no_new_privs, no capabilities, the seccomp
# filter, the masks stay) against none of it (--no-harden), with the veth and with --net
# none, in turn as above (with the CPUs given to them when chrt may); then a run with every
# limit, --init and the report, which is not held to a goal (the report is a file written,
# the limits a few setrlimits and a timer).
echo
rt=
chrt -f 1 true 2>/dev/null && rt="chrt -f 1"
echo "bench: isolate's hardening: default against --no-harden, $turns runs each, in turn${rt:+, under $rt}"
# shellcheck disable=SC2086 # $rt: a command and its arguments, or nothing
$rt "$B/bench/alternate" "$turns" 5 hardened "$B/isolate" /bin/true -- \
	no-harden "$B/isolate" --no-harden /bin/true -- \
	none "$B/isolate" --net none /bin/true -- \
	none-no-harden "$B/isolate" --no-harden --net none /bin/true -- \
	sandbox "$B/isolate" --net none --init --wall-time 10 --cpu-time 10 --memory 1G \
	--open-files 256 --report "$tmp/report.json" /bin/true >"$tmp/csv"
awk '{ t[$1] = $2; printf "  %-24s median %7.3f ms  (min %7.3f ms)\n", $1, $2 * 1000, $3 * 1000 }
	END {
		v = t["hardened"] / t["no-harden"]; n = t["none"] / t["none-no-harden"]
		printf "goal: hardened within 1.10x of --no-harden: %.2fx with the veth (%s), %.2fx with --net none (%s)\n",
			v, (v <= 1.1 ? "met" : "NOT met"), n, (n <= 1.1 ? "met" : "NOT met")
		printf "  (--init, four limits and the report: %.2fx the hardened --net none run)\n",
			t["sandbox"] / t["none"]
	}' "$tmp/csv"
