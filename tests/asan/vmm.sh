# SPDX-License-Identifier: MIT
# tests/asan/vmm.sh: the whole vmm suite (tests/vmm/*.sh) again, with the VMM built with
# AddressSanitizer and UndefinedBehaviorSanitizer (make build/asan/kvm-hello-world): a
# report ends the binary with status 66, which fails the test that ran it, and the last
# result says whether any run reported anything, with the reports. One TAP stream: the
# files' results renumbered, named "asan-FILE: ...".
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${MINIVIRT_BUILD:-$ROOT/build}
export MINIVIRT_KHW="$BUILD/asan/kvm-hello-world"
export MINIVIRT_T_PREFIX="asan-"
N=0
FAILS=0

emit() { # emit "ok"|"not ok" TEXT
	N=$((N + 1))
	[ "$1" = ok ] || FAILS=$((FAILS + 1))
	echo "$1 $N - $2"
}
if [ ! -x "$MINIVIRT_KHW" ]; then
	emit "not ok" "asan: $MINIVIRT_KHW is not built (make $BUILD/asan/kvm-hello-world)"
	echo "1..$N"
	exit 1
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/minivirt-asan.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
# Some tests run the VMM as nobody: the reports' folder is writable by all, like /tmp.
mkdir "$work/logs" && chmod 1777 "$work/logs" || exit 1
export ASAN_OPTIONS="exitcode=66 detect_leaks=1 log_path=$work/logs/asan"
export UBSAN_OPTIONS="halt_on_error=1 exitcode=66 print_stacktrace=1 log_path=$work/logs/ubsan"

for f in "$ROOT"/tests/vmm/*.sh; do
	name=$(basename "$f" .sh)
	sh "$f" >"$work/out" 2>&1
	rc=$?
	plan=
	results=0
	before=$FAILS
	while IFS= read -r line; do
		case $line in
		"ok "* | "not ok "*)
			st=${line%% [0-9]*}
			rest=${line#"$st "}
			results=$((results + 1))
			emit "$st" "${rest#* - }" ;;
		1..*) plan=${line#1..} ;;
		*) echo "$line" ;;
		esac
	done <"$work/out"
	# as prove judges a file: its plan, its results and its status
	if [ -z "$plan" ]; then
		emit "not ok" "asan-$name: no plan (exit status $rc, $results results)"
	elif [ "$plan" != "$results" ]; then
		emit "not ok" "asan-$name: plan 1..$plan, but $results results (exit status $rc)"
	elif [ $rc -ne 0 ] && [ $FAILS = "$before" ]; then
		emit "not ok" "asan-$name: exited with status $rc and no failing result"
	fi
done

# Every report, also those of runs whose status a test did not look at.
reports=$(find "$work/logs" -type f | sort)
if [ -z "$reports" ]; then
	emit ok "asan: no AddressSanitizer or UBSan report from any run of the vmm suite"
else
	emit "not ok" "asan: $(echo "$reports" | wc -l) run(s) of the vmm suite made a sanitizer report"
	for r in $reports; do
		echo "#  $(basename "$r"):"
		head -n 40 "$r" | sed 's/^/#   /'
	done
fi
echo "1..$N"
[ $FAILS -eq 0 ]
