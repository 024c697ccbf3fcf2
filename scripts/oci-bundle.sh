#!/bin/sh
# SPDX-License-Identifier: MIT
# scripts/oci-bundle.sh: an OCI bundle to try isolate's OCI runtime with: DIR/rootfs, a
# busybox-static root (/bin/busybox and a link per applet, /etc/passwd with root, the
# usual empty mount points), and DIR/config.json as `isolate spec` writes it (running sh).
# DIR is made afresh. Used by docs/oci.md's examples and tests/oci.
# Usage: sh scripts/oci-bundle.sh DIR   (busybox-static at $BUSYBOX or /bin/busybox;
# isolate at $ISOLATE or on the PATH)
set -eu
[ $# -eq 1 ] || { echo "usage: sh scripts/oci-bundle.sh DIR" >&2; exit 2; }
bb=${BUSYBOX:-/bin/busybox}
iso=${ISOLATE:-isolate}
LC_ALL=C ldd "$bb" 2>&1 | grep -q 'not a dynamic executable' ||
	{ echo "oci-bundle.sh: $bb is not busybox-static (apt-get install busybox-static)" >&2; exit 1; }
rm -rf "$1"
mkdir -p "$1/rootfs/bin" "$1/rootfs/proc" "$1/rootfs/dev" "$1/rootfs/sys" "$1/rootfs/tmp" \
	"$1/rootfs/etc" "$1/rootfs/mnt"
cp "$bb" "$1/rootfs/bin/busybox"
for a in $("$bb" --list); do
	[ "$a" = busybox ] || ln -s busybox "$1/rootfs/bin/$a"
done
echo 'root:x:0:0:root:/:/bin/sh' >"$1/rootfs/etc/passwd"
cd "$1" && "$iso" spec
