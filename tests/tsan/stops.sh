# SPDX-License-Identifier: MIT
# tests/tsan/stops.sh: tests/vmm/stops.sh again
# (concurrent: the watchdog stopping blocked threads), with the VMM
# built with ThreadSanitizer (tsan.inc).
. "$(dirname "$0")/tsan.inc"
tsan_run stops
