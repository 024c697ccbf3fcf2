# SPDX-License-Identifier: MIT
# tests/fuzzsuite/hc.sh: a short run of the hypercall fuzzer (tests/fuzz/fuzz_hc.c).
. "$(dirname "$0")/fuzz.inc"
fuzz_suite hc seeds corpus "hypercall dispatcher"
