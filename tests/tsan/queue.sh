# SPDX-License-Identifier: MIT
# tests/tsan/queue.sh: tests/vmm/queue.sh again (concurrent: the I/O queue's thread and the
# vCPU serving one queue), with the VMM built with ThreadSanitizer (tsan.inc).
. "$(dirname "$0")/tsan.inc"
tsan_run queue
