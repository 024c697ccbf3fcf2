# SPDX-License-Identifier: MIT
# tests/fuzzsuite/vq.sh: a short run of the I/O queue parser's fuzzer (tests/fuzz/fuzz_vq.c).
. "$(dirname "$0")/fuzz.inc"
fuzz_suite vq seeds-vq corpus-vq "I/O queue parser"
