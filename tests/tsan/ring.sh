# SPDX-License-Identifier: MIT
# tests/tsan/ring.sh: tests/vmm/ring.sh again (concurrent: the console ring), with the VMM
# built with ThreadSanitizer (tsan.inc).
. "$(dirname "$0")/tsan.inc"
tsan_run ring
