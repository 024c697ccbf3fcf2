#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/mutate.sh: `make mutate`: do the tests catch real bugs? Plants a fixed list of small
# bugs, one at a time, in a scratch copy of the tree, builds it, runs the suites that should
# see the bug, and prints, for each, whether it was caught (a failing result), missed (every
# result passed) or only hung (killed at the time limit: a hang, not an assertion). The
# same suites run once without any bug first: a result failing then (flaky under load)
# never counts as a catch.
# Not part of make check. Exit status 0 when every bug was caught as a failure.
# Usage: tests/mutate.sh [NAME...]   (default: every bug; names as in the list below)
# The isolate suites run inside `unshare --net` (no veth ever reaches the host's namespace).
ROOT=$(cd "$(dirname "$0")/.." && pwd)
unset MINIVIRT_BUILD MINIVIRT_KHW MINIVIRT_ISOLATE
LIMIT=${MUTATE_LIMIT:-150} # seconds per test file before it counts as a hang
LOGS=$ROOT/build/mutate     # each bug's test run, kept
only=$*

S=$(mktemp -d "${TMPDIR:-/tmp}/minivirt-mutate.XXXXXX") || exit 1
trap 'rm -rf "$S"' EXIT
chmod 755 "$S" # the containers' unprivileged ids run the tree's programs
# The tree as it is now (tracked files, with uncommitted changes), built once; the caches
# the isolate tests make (the Debian root, the VM kernel) shared read-only by link.
(cd "$ROOT" && git ls-files -z | tar --null -T - -cf -) | tar -xf - -C "$S" || exit 1
mkdir -p "$S/build"
for c in isolate-root isolate-vm svm; do
	[ -e "$ROOT/build/$c" ] && ln -s "$ROOT/build/$c" "$S/build/$c"
done
mkdir -p "$LOGS" || exit 1
echo "mutate: building the scratch copy in $S; each run's log goes to $LOGS/NAME.log"
make -C "$S" -s -j2 all >"$S/make.log" 2>&1 || { tail -n 20 "$S/make.log"; exit 1; }
make -C "$S" -s -j2 unit-bins >>"$S/make.log" 2>&1 || { tail -n 20 "$S/make.log"; exit 1; }

# replace FILE OLD NEW: OLD (a fixed string) must occur exactly once in FILE.
replace() {
	perl -e 'my ($f, $o, $n) = @ARGV; local $/; open(my $in, "<", $f) or exit 4;
		my $s = <$in>; my $c = () = $s =~ /\Q$o\E/g; exit 3 if $c != 1;
		$s =~ s/\Q$o\E/$n/; open(my $out, ">", $f) or exit 4; print $out $s;' "$S/$1" "$2" "$3"
}

caught=0 missed=0 total=0
BASE=$S/base-failures # results that fail without any bug (flaky here): never a catch
: >"$BASE"

# run_tests LOG TESTS...: the harness on TESTS (unit_NAME: a unit binary), in a network
# namespace of its own; a unit binary stops at its first failure (CMOCKA_TEST_ABORT: the
# bug may make its later tests loop).
run_tests() {
	log=$1
	shift
	tests=
	for t in "$@"; do
		case $t in unit_*) tests="$tests $S/build/tests/$t" ;; *) tests="$tests $t" ;; esac
	done
	# shellcheck disable=SC2086
	CMOCKA_TEST_ABORT=1 MINIVIRT_TEST_LIMIT=$LIMIT unshare --net sh -c \
		'ip link set lo up && sh "$0"/tests/run.sh "$@"' "$S" $tests >"$log" 2>&1
}
# failures LOG: its failing results (without the number) and unit assertions, not hangs
failures() {
	# (cmocka's error line has no newline of its own: what follows it is cut off)
	grep -E '^not ok|: error: ' "$1" | grep -v '(killed: a hang)' |
		sed -e 's/^not ok [0-9]* *- //' -e 's/\(: error: Failure!\).*/\1/'
}
# mutant NAME FILE OLD NEW TESTS...: TESTS are test files (tests/SUITE/NAME.sh) or unit
# binaries (unit_NAME).
mutant() {
	name=$1 file=$2 old=$3 new=$4
	shift 4
	if [ -n "$only" ]; then case " $only " in *" $name "*) ;; *) return 0 ;; esac; fi
	if [ "$MODE" = collect ]; then # the suites to run once without any bug
		for t in "$@"; do case " $ALL " in *" $t "*) ;; *) ALL="$ALL $t" ;; esac; done
		return 0
	fi
	total=$((total + 1))
	cp "$S/$file" "$S/.orig"
	if ! replace "$file" "$old" "$new"; then
		verdict="STALE (the code to mutate is not in $file as written here)"
	elif ! make -C "$S" -s -j2 all unit-bins >"$S/make.log" 2>&1; then
		verdict="STALE (does not build)"
	else
		run_tests "$S/run.log" "$@"
		cp "$S/run.log" "$LOGS/$name.log"
		fresh=$(failures "$S/run.log" | grep -vxF -f "$BASE")
		hung=$(grep -E '^not ok.*\(killed: a hang\)' "$S/run.log" | head -n 1)
		if [ -n "$fresh" ]; then
			verdict="caught: $(printf '%s\n' "$fresh" | head -n 1)"
		elif [ -n "$hung" ]; then
			verdict="HUNG, not caught as a failure: $hung"
		else
			verdict="MISSED: $(tail -n 1 "$S/run.log")"
		fi
	fi
	cp "$S/.orig" "$S/$file"
	case $verdict in caught*) caught=$((caught + 1)) ;; *) missed=$((missed + 1)) ;; esac
	printf '%-16s %-22s %s\n' "$name" "$file" "$verdict"
}

mutants() {
# --- the VMM: guest memory bounds, flags, statuses
mutant gva-upper vmm/gva.c 'if (gva >= limit)' 'if (gva > limit)' \
	unit_gva
mutant gmem-bound vmm/gmem.c 'len > g->size - gpa' 'len > g->size - gpa + 1' \
	unit_gmem unit_gva
mutant gva-write vmm/gva.c 'if (write && !w.writable && (v->user || !v->wp_off))' \
	'if (write && !w.writable && (v->user || !v->wp_off) && 0)' unit_gva
mutant fd-alloc vmm/files.c 'for (int i = 3; i < f->max; i++)' \
	'for (int i = 3; i <= f->max; i++)' unit_files tests/vmm/files.sh
mutant skip-close vmm/files.c '		close(e->host);' '		(void)e->host;' \
	unit_files tests/vmm/files.sh
mutant user-flag vmm/pagetable.c '(s->user && !in_kernel(s, va, len) ? PTE_US : 0)' \
	'(s->user && (!in_kernel(s, va, len) || 1) ? PTE_US : 0)' unit_pagetable tests/vmm/vcpus.sh
mutant cpl-ignored vmm/machine.c 'const bool user = cfg->cpl == 3 ||' \
	'const bool user = cfg->cpl == 4 ||' tests/vmm/modes.sh tests/vmm/cli.sh
mutant signal-status vmm/machine.c 'return 128 + sig;' 'return 128;' \
	tests/vmm/faults.sh tests/vmm/vcpus.sh
mutant byte-display vmm/hc_console.c 'fwrite(buf, 1, n, c->out);' 'fwrite(buf, 1, n ? 1 : 0, c->out);' \
	tests/vmm/hypercalls.sh
# --- isolate: maps, seccomp, statuses, limits
mutant skip-uid-map isolate/userns.c 'if (write_map(pid, "uid_map", text, err))' \
	'if (0 && write_map(pid, "uid_map", text, err))' tests/isolate/namespaces.sh
mutant no-seccomp isolate/harden.c 'if (cfg->seccomp && prctl(PR_SET_SECCOMP' \
	'if (0 && cfg->seccomp && prctl(PR_SET_SECCOMP' tests/isolate/harden.sh
mutant exit-status isolate/run.c 'return 128 + WTERMSIG(status);' 'return 128;' \
	tests/isolate/signals.sh tests/isolate/limits.sh
mutant nproc-limit isolate/rlimits.c 'r[n] = (struct iso_rlimit){ li->resource, rlim_of(cfg, l), rlim_of(cfg, l) };' \
	'r[n] = (struct iso_rlimit){ li->resource, rlim_of(cfg, l) + 1, rlim_of(cfg, l) + 1 };' tests/isolate/limits.sh
mutant no-nnp isolate/harden.c 'if (cfg->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS' \
	'if (0 && cfg->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS' tests/isolate/harden.sh
# --- the I/O queue (vmm/vq.c): a chain's length bound, its loop check, the used ring's writability
mutant vq-chain-max vmm/vq.c 'if (c->n == HC_VQ_CHAIN_MAX)' 'if (c->n == HC_VQ_CHAIN_MAX + 1)' \
	unit_vq tests/vmm/queue.sh
mutant vq-no-loop vmm/vq.c 'if (seen[i / 8] & (1u << (i % 8)))' \
	'if (0 && (seen[i / 8] & (1u << (i % 8))))' unit_vq tests/vmm/queue.sh
mutant vq-used-ro vmm/vq.c 'q->used = area(v, r->used, HC_VQ_USED_BYTES(n), true);' \
	'q->used = area(v, r->used, HC_VQ_USED_BYTES(n), false);' unit_vq tests/vmm/queue.sh
# --- isolate's hardening against a hostile program: the masks, the fds, the id pool
mutant no-masks isolate/mount.c 'if (iso_mount_mask(masked_paths, ARRAY_SIZE(masked_paths), err))' \
	'if (0 && iso_mount_mask(masked_paths, ARRAY_SIZE(masked_paths), err))' \
	tests/isolate/hostile_root.sh
mutant fds-ignored isolate/main.c 'close_range(3u + (unsigned)preserve, ~0u, 0);' \
	'close_range(3u, ~0u, 0);' tests/isolate/hostile_root.sh
mutant pool-host-root isolate/userns.c 'ids->uid = (uid_t)(upool.base + (unsigned long long)s * size);' \
	'ids->uid = 0;' tests/isolate/namespaces.sh tests/isolate/hostile_root.sh
}

# The suites the chosen bugs run, first without any bug: what fails then is flaky here.
ALL=
MODE=collect mutants
echo "mutate: the suites without any bug first"
# shellcheck disable=SC2086
run_tests "$LOGS/no-bug.log" $ALL
failures "$LOGS/no-bug.log" >"$BASE"
if [ -s "$BASE" ]; then
	echo "mutate: these fail here without any bug, so they never count as a catch:"
	sed 's/^/  /' "$BASE"
fi
echo "mutate: each bug planted alone, then its suites run (limit ${LIMIT} s a file)"
MODE=run mutants
echo "mutate: $caught of $total caught as failures, $missed not"
[ "$missed" -eq 0 ] && [ "$total" -gt 0 ]
