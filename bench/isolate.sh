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

# The machine is shared: hyperfine runs one command's runs after the other's, so a load that
# changes meanwhile skews a ratio. The four commands are measured in three rounds, each in
# another order, and the ratio held to a goal is the median of the rounds'. The veth's runs
# come last in each round, and the next round waits a second: the kernel tears their network
# namespaces down in the background for a while after them (a veth's is the slow part),
# which slowed whatever command came next.
veth="with its veth"
[ "$(id -u)" -eq 0 ] || veth="NO veth: not root, loopback only"
echo "bench: isolate /bin/true ($veth) against bwrap and unshare, 3 rounds of $RUNS runs each"
set -- -n "isolate --net none" "$B/isolate --net none /bin/true" -n "bwrap" "$bw" -n "unshare" "$un"
for round in 1 2 3; do
	[ "$round" -eq 1 ] || sleep 1
	hyperfine -N --style basic --warmup 5 --runs "$RUNS" --export-csv "$tmp/csv.$round" "$@" \
		-n "isolate" "$B/isolate /bin/true" >/dev/null 2>"$tmp/err" || { cat "$tmp/err"; exit 1; }
	set -- "$@" "$1" "$2" "$3" && shift 3 # the first command goes last but the veth's next round
done
awk -F, 'FNR == 1 { r++; next }
	{ t[r, $1] = $4; m[r, $1] = $7 }
	END {
		for (i = 1; i <= r; i++) {
			printf "  round %d: isolate %6.3f ms, --net none %6.3f ms, bwrap %6.3f ms, unshare %6.3f ms\n",
				i, t[i, "isolate"] * 1000, t[i, "isolate --net none"] * 1000,
				t[i, "bwrap"] * 1000, t[i, "unshare"] * 1000
			v[i] = t[i, "isolate"] / t[i, "bwrap"]; n[i] = t[i, "isolate --net none"] / t[i, "unshare"]
		}
		# the median of the rounds (three rounds: neither the best nor the worst)
		for (i = 1; i <= r; i++) for (j = i + 1; j <= r; j++) {
			if (v[j] < v[i]) { x = v[i]; v[i] = v[j]; v[j] = x }
			if (n[j] < n[i]) { x = n[i]; n[i] = n[j]; n[j] = x }
		}
		k = int((r + 1) / 2)
		printf "goal: isolate (veth) no slower than bwrap: %.2fx, the median of %d rounds (%s)\n",
			v[k], r, (v[k] <= 1.0 ? "met" : "NOT met")
		printf "goal: isolate --net none within 1.20x of unshare: %.2fx, the median of %d rounds (%s)\n",
			n[k], r, (n[k] <= 1.2 ? "met" : "NOT met")
	}' "$tmp/csv.1" "$tmp/csv.2" "$tmp/csv.3"

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
# none, side by side in one hyperfine run; then a run with every limit, --init and the
# report, which is not held to a goal (the report is a file written, the limits a few
# setrlimits and a timer).
echo
echo "bench: isolate's hardening: default against --no-harden, $RUNS runs each"
hyperfine -N --style basic --warmup 5 --runs "$RUNS" --export-csv "$tmp/csv" \
	-n "hardened" "$B/isolate /bin/true" \
	-n "no-harden" "$B/isolate --no-harden /bin/true" \
	-n "hardened --net none" "$B/isolate --net none /bin/true" \
	-n "no-harden --net none" "$B/isolate --no-harden --net none /bin/true" \
	-n "sandbox --net none" "$B/isolate --net none --init --wall-time 10 --cpu-time 10 --memory 1G --open-files 256 --report $tmp/report.json /bin/true" \
	>/dev/null 2>"$tmp/err" || { cat "$tmp/err"; exit 1; }
awk -F, 'NR == 1 { next }
	{ t[$1] = $4; printf "  %-24s median %7.3f ms  (min %7.3f ms)\n", $1, $4 * 1000, $7 * 1000 }
	END {
		v = t["hardened"] / t["no-harden"]; n = t["hardened --net none"] / t["no-harden --net none"]
		printf "goal: hardened within 1.10x of --no-harden: %.2fx with the veth (%s), %.2fx with --net none (%s)\n",
			v, (v <= 1.1 ? "met" : "NOT met"), n, (n <= 1.1 ? "met" : "NOT met")
		printf "  (--init, four limits and the report: %.2fx the hardened --net none run)\n",
			t["sandbox --net none"] / t["hardened --net none"]
	}' "$tmp/csv"
