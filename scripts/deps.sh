#!/bin/sh
# SPDX-License-Identifier: MIT
# scripts/deps.sh: install the Debian packages minivirt needs, only those missing.
# Usage: scripts/deps.sh [build|check|bench|svm]...  (default: build)
# Runs apt-get only when something is missing, so it is cheap to call before every make.
set -eu

want="gcc make libc6-dev binutils linux-libc-dev libmnl-dev libseccomp-dev libjansson-dev"
for what in "${@:-build}"; do
	case "$what" in
	build) ;;
	check) want="$want perl libcmocka-dev clang libclang-rt-14-dev iputils-ping iproute2 procps man-db groff-base debootstrap jq libcap2-bin strace python3-cram busybox-static podman runc containerd shellcheck cppcheck clang-format clang-tidy" ;; # perl: prove runs the tests; python3-cram: tests/docs; clang + libFuzzer: make fuzz; ping, ip, ps: tests/isolate; man: tests/install; debootstrap (a --root), jq (the report), setcap, strace: tests/isolate; busybox-static, podman, runc, containerd: tests/oci; shellcheck, cppcheck, clang-format, clang-tidy: make lint
	bench) want="$want hyperfine bubblewrap time crun runc jq busybox-static" ;; # crun, runc: bench/oci.sh
	svm) want="$want qemu-system-x86 busybox-static cpio xz-utils libelf1" ;; # libelf1: the kernel headers' objtool
	*) echo "deps.sh: unknown group '$what' (build, check, bench, svm)" >&2; exit 2 ;;
	esac
done

missing=""
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing Debian packages:$missing (run as root, or: sudo apt-get install$missing)" >&2
	exit 1
fi
echo "deps.sh: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
