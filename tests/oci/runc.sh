#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/oci/runc.sh: runc (Debian's) as the reference: the same bundle run by isolate and by
# `runc --rootless=true` (in a private mount namespace with read-only cgroups: runc goes on
# past the cgroup it cannot make) shows the same from inside: ids, groups, umask, cwd, env,
# rlimits, capabilities, no_new_privs, hostname, the masked and read-only paths, /dev, the
# mounts, the exit status.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/oci.inc"
ro_cgroups "$0" "$@"

B=$T_TMP/bundle
PROBE='id; umask; pwd; echo "$GREETING"; ulimit -n; ulimit -u; hostname
grep -E "^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs)" /proc/self/status
cat /proc/self/oom_score_adj
wc -c </proc/timer_list; ls /sys/firmware | wc -l
echo 1 >/proc/sys/vm/overcommit_memory 2>/dev/null || echo proc-sys-ro
touch /rootfile 2>/dev/null || echo root-ro
ls -A /dev | tr "\n" " "; echo
awk "{ print \$2, \$3 }" /proc/mounts | sort
exit 9'

test_same_as_runc() {
	need_oci || return 1
	command -v runc >/dev/null || { fail "no runc (scripts/deps.sh check)"; return 1; }
	[ "${MINIVIRT_PRIVATE_MNT:-}" = 1 ] || skip "needs root: a private mount namespace"
	make_bundle "$B" sh -c "$PROBE" || return 1
	cfg "$B" '.hostname = "ref" | .process.env += ["GREETING=same"] | .process.cwd = "/tmp" |
		.process.user = {uid: 1000, gid: 100, umask: 18, additionalGids: [5]} |
		.process.rlimits += [{type: "RLIMIT_NPROC", soft: 500, hard: 600}] |
		.process.oomScoreAdj = 100 |
		.process.capabilities.inheritable = .process.capabilities.bounding' || return 1
	run $OCI run --bundle "$B" iso1
	expect_rc 9 || return 1
	mine=$OUT
	run runc --root "$T_TMP/runc" --rootless=true run --bundle "$B" runc1
	expect_rc 9 || return 1
	[ "$mine" = "$OUT" ] || {
		printf '%s\n' "$mine" >"$T_TMP/a"; printf '%s\n' "$OUT" >"$T_TMP/b"
		fail "isolate and runc differ (< isolate, > runc):"
		diff "$T_TMP/a" "$T_TMP/b" | sed 's/^/# /'
		return 1
	}
	nothing_left "$B"
}

t "the same bundle: isolate and runc show the same from inside" test_same_as_runc
done_testing
