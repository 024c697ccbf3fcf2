# SPDX-License-Identifier: MIT
# tests/tsan/output.sh: tests/vmm/output.sh again
# (concurrent: the shared console and its failures), with the VMM
# built with ThreadSanitizer (tsan.inc).
. "$(dirname "$0")/tsan.inc"
tsan_run output
