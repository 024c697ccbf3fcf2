# SPDX-License-Identifier: MIT
# tests/tsan/vcpus.sh: tests/vmm/vcpus.sh again (concurrent: several vCPUs), with the VMM
# built with ThreadSanitizer: any data race it reports makes the binary exit 66, which
# fails the test that ran it. One file per vmm file, so each keeps its own plan.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${MINIVIRT_BUILD:-$ROOT/build}
export MINIVIRT_KHW="$BUILD/tsan/kvm-hello-world"
export MINIVIRT_T_PREFIX="tsan-"
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 report_signal_unsafe=0"
if [ ! -x "$MINIVIRT_KHW" ]; then
	echo "not ok 1 - tsan-vcpus: $MINIVIRT_KHW is not built (make $BUILD/tsan/kvm-hello-world)"
	echo "1..1"
	exit 1
fi
exec sh "$ROOT/tests/vmm/vcpus.sh"
