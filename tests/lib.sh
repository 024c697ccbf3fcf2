# SPDX-License-Identifier: MIT
# tests/lib.sh: a small TAP test harness in POSIX sh.
# POSIX sh on purpose: the same test files run under bash on this host and under
# busybox ash inside the QEMU/SVM guest (tests/svm/), where there is no bash.
#
# A test file sources this, defines functions, and calls `t "what it checks" func`, then
# done_testing (the plan). func returns 0 to pass, non-zero to fail, or calls `skip "reason"`.
# Output lines: "ok N - file: what", "not ok N - ...", "ok N - ... # SKIP reason".
# tests/run.sh runs each file under prove with a time limit (tests/tap-exec.sh); a file that
# needs more than its 300 s says so in its head with a line "# time-limit: SECONDS".

T_ROOT=$(cd "$(dirname "$0")/../.." && pwd)  # test files live in tests/SUITE/
T_BUILD=${MINIVIRT_BUILD:-$T_ROOT/build}
T_FILE=${MINIVIRT_T_PREFIX:-}$(basename "$0" .sh)
T_N=0
T_FAILED=0
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/minivirt-test.XXXXXX")
trap 'rm -rf "$T_TMP"' EXIT

# The KVM platform under /dev/kvm: pvm (kvm_pvm), svm (kvm_amd), vmx (kvm_intel),
# none (no usable /dev/kvm) or unknown.
kvm_platform() {
	if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then echo none
	elif [ -d /sys/module/kvm_pvm ]; then echo pvm
	elif [ -d /sys/module/kvm_amd ]; then echo svm
	elif [ -d /sys/module/kvm_intel ]; then echo vmx
	else echo unknown; fi
}
T_PLATFORM=$(kvm_platform)

skip() { echo "$*" >"$T_TMP/skip"; exit 77; }

# The skips CI tolerates: with MINIVIRT_NO_SKIP=1 (.ci/run) every other skip is a failing
# result. One a line: "SUITE/FILE PLATFORMS REASON": the test file (without .sh), the
# platforms (kvm_platform's names, comma-separated, or "any") and how the skip's reason
# begins. Every other case that does not apply on a platform asserts the platform's refusal
# instead (e.g. -p on kvm_pvm, --khc without the minivirt_khc module).
#  - isolate/cgroup, oci/resources: a host that delegates a cgroup v2 to us: isolate uses it,
#    so the tests that it only reads /sys/fs/cgroup do not apply (the cgroup path is tested
#    in their QEMU guests, which have one)
#  - vmm/cli: /dev/kvm open to every user (mode 0666 on some distributions): no user lacks
#    the permission, so the refusal cannot be seen
#  - vmm/stats: kernels before 5.14 have no KVM_GET_STATS_FD to compare with
T_TOLERATED='isolate/cgroup any this host has a delegated cgroup v2
oci/resources any this host has a delegated cgroup v2
vmm/cli any /dev/kvm is open to others here
vmm/stats svm,vmx this KVM has no KVM_GET_STATS_FD'
# The file as tolerations name it: suite/name.
T_ID=$(basename "$(dirname "$0")")/$(basename "$0" .sh)
# skip_allowed REASON: whether this file may skip for REASON here (always, without
# MINIVIRT_NO_SKIP=1).
skip_allowed() {
	[ "${MINIVIRT_NO_SKIP:-0}" = 1 ] || return 0
	printf '%s\n' "$T_TOLERATED" | {
		while read -r file plats why; do
			[ "$file" = "$T_ID" ] || continue
			case ",$plats," in *",$T_PLATFORM,"* | ",any,") ;; *) continue ;; esac
			case $1 in "$why"*) exit 0 ;; esac
		done
		exit 1
	}
}
fail() { echo "# $*"; return 1; }
# fail_list HEADER LIST: passes when LIST (lines, each ending in a newline) is empty, else
# fails with HEADER and LIST's lines beneath it.
fail_list() {
	[ -z "$2" ] && return 0
	fail "$1"
	printf '%s' "$2" | sed 's/^/#   /'
	return 1
}
need_kvm() { [ "$T_PLATFORM" != none ] || skip "no usable /dev/kvm"; }

# run CMD...: runs it with a time bound, leaving stdout in $OUT, stderr in $ERR and the
# status in $RC. A hung binary fails its test instead of hanging the suite.
run() {
	# -k: the VMM blocks SIGTERM while a guest runs; a VMM stuck on the host side ignores it
	timeout -k 5 "${T_TIMEOUT:-60}" "$@" >"$T_TMP/out" 2>"$T_TMP/err"
	RC=$?
	OUT=$(cat "$T_TMP/out")
	ERR=$(cat "$T_TMP/err")
}

# vmm_running PID N: waits (at most 10 s) until the VMM PID holds N vCPUs (fds
# anon_inode:kvm-vcpu:N; a lone vCPU runs in the main thread, several in threads named
# vcpu-0, ...): it blocks its stop signals before it makes them, so from then on a
# SIGTERM, SIGINT or SIGHUP is its own to handle. Fails when PID ends or 10 s pass.
vmm_running() {
	_n=200
	while [ $_n -gt 0 ] && [ -e "/proc/$1" ]; do
		_v=0
		for _f in /proc/"$1"/fd/*; do
			case $(readlink "$_f" 2>/dev/null) in anon_inode:kvm-vcpu*) _v=$((_v + 1)) ;; esac
		done
		[ "$_v" -ge "$2" ] && return 0
		_n=$((_n - 1))
		sleep 0.05
	done
	return 1
}
# vmm_guarding PID: waits (at most 10 s) until the VMM PID runs its watchdog thread: it
# blocks its stop signals before it starts it, so from then on, in the set-up, the layout or
# the run, a SIGTERM, SIGINT or SIGHUP is its own to handle. Fails when PID ends or 10 s pass.
vmm_guarding() {
	_n=200
	while [ $_n -gt 0 ] && [ -e "/proc/$1" ]; do
		grep -qx watchdog /proc/"$1"/task/*/comm 2>/dev/null && return 0
		_n=$((_n - 1))
		sleep 0.05
	done
	return 1
}
# bounded_exit PID: waits (at most 10 s) for the background PID to end, its status in $RC;
# one still running then is killed (SIGKILL) and fails.
bounded_exit() {
	_n=200
	while kill -0 "$1" 2>/dev/null && [ $_n -gt 0 ]; do sleep 0.05; _n=$((_n - 1)); done
	if kill -0 "$1" 2>/dev/null; then
		kill -9 "$1"
		wait "$1"
		RC=$?
		return 1
	fi
	wait "$1"
	RC=$?
}

# Expectations: each prints a diagnostic and returns 1 when it does not hold.
expect_rc() {
	[ "$RC" -eq "$1" ] && return 0
	fail "exit status $RC, expected $1"; show_output; return 1
}
expect_out() { # fixed string expected in stdout
	printf '%s\n' "$OUT" | grep -qF -- "$1" && return 0
	fail "stdout lacks: $1"; show_output; return 1
}
expect_err() { # fixed string expected in stderr
	printf '%s\n' "$ERR" | grep -qF -- "$1" && return 0
	fail "stderr lacks: $1"; show_output; return 1
}
expect_eq() { # expect_eq WHAT GOT WANT
	[ "$2" = "$3" ] && return 0
	fail "$1: got '$2', expected '$3'"; return 1
}
show_output() {
	printf '%s\n' "$OUT" | tail -n 15 | sed 's/^/#   out: /'
	printf '%s\n' "$ERR" | tail -n 15 | sed 's/^/#   err: /'
}

# t DESCRIPTION FUNC: runs FUNC in a subshell and prints its TAP line.
t() {
	T_N=$((T_N + 1))
	rm -f "$T_TMP/skip"
	# tests/tap-exec.sh names this test if the file hangs here
	[ -z "${MINIVIRT_T_CURRENT:-}" ] || echo "$T_FILE: $1" >"$MINIVIRT_T_CURRENT"
	( set +e; "$2" )
	rc=$?
	[ -z "${MINIVIRT_T_CURRENT:-}" ] || : >"$MINIVIRT_T_CURRENT"
	if [ $rc -eq 77 ]; then
		why=$(cat "$T_TMP/skip")
		if skip_allowed "$why"; then
			echo "ok $T_N - $T_FILE: $1 # SKIP $why"
			return
		fi
		echo "# skipped ($why), which MINIVIRT_NO_SKIP=1 does not tolerate here ($T_PLATFORM)"
	fi
	if [ $rc -eq 0 ]; then echo "ok $T_N - $T_FILE: $1"
	else echo "not ok $T_N - $T_FILE: $1"; T_FAILED=$((T_FAILED + 1)); fi
}

done_testing() { echo "1..$T_N"; [ "$T_FAILED" -eq 0 ]; }

# The hypervisor under test.
KHW=${MINIVIRT_KHW:-$T_BUILD/kvm-hello-world} # MINIVIRT_KHW: e.g. the ThreadSanitizer build

# Prefix that runs a command as uid/gid 65534 with no supplementary groups. util-linux's setpriv,
# by path: busybox ash (tests/svm) would run its own setpriv applet, which lacks --reuid.
AS_NOBODY="/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups"

# field TEXT PATTERN: the first line of TEXT matching the extended regex PATTERN.
field() { printf '%s\n' "$1" | grep -E -m1 -- "$2"; }

# The modes this platform runs, each with the guest build it takes: "flag:bits".
guest_modes() {
	echo "-l:64 -s:32 -r:16"
	[ "$T_PLATFORM" = pvm ] || echo "-p:32"
}
# each_mode FUNC: runs FUNC FLAG BITS for every mode; stops at the first failure.
each_mode() {
	for mb in $(guest_modes); do
		"$1" "${mb%%:*}" "${mb##*:}" || { fail "in mode ${mb%%:*}"; return 1; }
	done
}
# guest_elf BITS NAME: an SDK guest built by make.
guest_elf() { echo "$T_BUILD/guests/$1/$2.elf"; }
