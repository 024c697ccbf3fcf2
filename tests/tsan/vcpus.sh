# SPDX-License-Identifier: MIT
# tests/tsan/vcpus.sh: tests/vmm/vcpus.sh again (concurrent: several vCPUs), with the VMM
# built with ThreadSanitizer (tsan.inc).
. "$(dirname "$0")/tsan.inc"
tsan_run vcpus
