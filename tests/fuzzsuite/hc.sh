# SPDX-License-Identifier: MIT
# tests/fuzzsuite/hc.sh: a short run of the hypercall fuzzer ($BUILD/fuzz/fuzz_hc, built by
# `make check`; `make fuzz` runs it longer): one test, ok when libFuzzer finds nothing in
# FUZZ_SECONDS (default 10) seconds. Starts from tests/fuzz/seeds and, when present, the
# corpus `make fuzz` grew; a crashing input is kept in $BUILD/fuzz/ to reproduce with
#   build/fuzz/fuzz_hc build/fuzz/crash-...
. "$(dirname "$0")/../lib.sh"
T_FILE=fuzz
FUZZ="$T_BUILD/fuzz/fuzz_hc"
SECS=${FUZZ_SECONDS:-10}
RUNS=0

if [ -x "$FUZZ" ]; then
	mkdir "$T_TMP/corpus"
	set -- "$T_TMP/corpus" "$T_ROOT/tests/fuzz/seeds"
	[ -d "$T_BUILD/fuzz/corpus" ] && set -- "$@" "$T_BUILD/fuzz/corpus"
	export TMPDIR="$T_TMP" # the fuzzer's shared folder goes there, crash or not
	T_TIMEOUT=$((SECS + 120)) run "$FUZZ" -max_total_time="$SECS" -timeout=10 \
		-artifact_prefix="$T_BUILD/fuzz/" "$@"
	RUNS=$(printf '%s\n' "$ERR" | sed -n 's/^Done \([0-9]*\) runs in .*/\1/p')
	echo "# fuzz_hc: ${RUNS:-no} runs in $SECS s, corpus $(ls "$T_TMP/corpus" | wc -l) new inputs"
fi

t_fuzz() {
	[ -x "$FUZZ" ] || skip "$FUZZ is not built (make check builds it)"
	[ "$RC" -eq 0 ] && [ -n "$RUNS" ] && return 0
	fail "fuzz_hc exited with status $RC"
	# The report, without libFuzzer's progress lines and dictionary.
	printf '%s\n' "$ERR" | grep -v -e '^#[0-9]' -e '^"' -e '^###' | tail -n 40 | sed 's/^/#   /'
	return 1
}

t "hypercall dispatcher, ${RUNS:-0} runs" t_fuzz
done_testing
