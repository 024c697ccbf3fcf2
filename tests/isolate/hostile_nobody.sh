#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/isolate/hostile_nobody.sh: the hostile-program suite (hostile.inc) with isolate run
# by nobody (as root, the tests drop to uid 65534 with setpriv).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/iso.inc"

if [ "$(id -u)" -eq 0 ]; then
	AS=$AS_NOBODY
else
	AS="" # already unprivileged
fi
. "$(dirname "$0")/hostile.inc"

done_testing
