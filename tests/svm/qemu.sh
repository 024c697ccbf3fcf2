# SPDX-License-Identifier: MIT
# tests/svm/qemu.sh: runs the vmm tests on real KVM (kvm-amd) in a Debian kernel under QEMU/TCG.
# The host's /dev/kvm may be kvm_pvm, which refuses some modes; QEMU's `-cpu max` emulates AMD SVM,
# so a guest kernel can load kvm-amd and run the same test files against hardware-style KVM.
# Each inner result comes back as its own TAP line ("ok N - svm: modes: ...").
# Knobs: MINIVIRT_SVM_SUITES (default vmm), MINIVIRT_SVM_TIMEOUT (seconds for the whole boot+run).
# The bound tests/tap-exec.sh sets (kernel and headers fetched once, the module and the static
# VMM built, then the boot; a MINIVIRT_SVM_TIMEOUT above 700 needs MINIVIRT_TEST_LIMIT too):
# time-limit: 900
. "$(dirname "$0")/../lib.sh"

SVM=$T_BUILD/svm          # cache: kernel and modules (make clean removes it), last logs
STATIC=$T_BUILD/static    # the static VMM that goes into the initramfs
SUITES=${MINIVIRT_SVM_SUITES:-vmm}
BOUND=${MINIVIRT_SVM_TIMEOUT:-400}
N=0
FAILS=0

emit() { # emit "ok"|"not ok" TEXT
	N=$((N + 1))
	[ "$1" = ok ] || FAILS=$((FAILS + 1))
	echo "$1 $N - svm: $2"
}
tail_of() { # tail_of FILE...: the last lines of each as TAP comments
	for f in "$@"; do
		[ -s "$f" ] || continue
		echo "#  last lines of $(basename "$f"):"
		tr -d '\r' <"$f" | tail -n 20 | sed 's/^/#   /'
	done
}
bail() { # bail REASON [LOG...]: one failing line with the reason and the logs' tails, then stop
	emit "not ok" "$1"
	shift
	tail_of "$@"
	echo "1..$N"
	exit 1
}

# --- host tools: install what is missing when root, else there is nothing we can do
if ! sh "$T_ROOT/scripts/deps.sh" svm >"$T_TMP/deps.log" 2>&1; then
	if [ "$(id -u)" -ne 0 ]; then
		why=$(tail -n 1 "$T_TMP/deps.log")
		if skip_allowed "$why"; then emit ok "vmm tests on kvm-amd under QEMU # SKIP $why"
		else emit "not ok" "vmm tests on kvm-amd under QEMU: skipped ($why), which MINIVIRT_NO_SKIP=1 does not tolerate"; fi
		echo "1..$N"
		exit 0
	fi
	bail "scripts/deps.sh svm could not install the packages" "$T_TMP/deps.log"
fi
command -v qemu-system-x86_64 >/dev/null || bail "qemu-system-x86_64 is missing"

# --- kernel and modules, fetched once. The version file is written last: it marks a whole cache.
mod_deps() { # mod_deps FILE.ko: the modules it needs, from its .modinfo strings (no kmod here)
	tr '\0' '\n' <"$1" | sed -n 's/^depends=//p' | tr ',' ' '
}
add_mod() { # add_mod NAME: copies NAME and what it needs into $K, appending to $K/order after its deps
	grep -qx "$1" "$K/order" 2>/dev/null && return 0
	f=$(find "$x/lib/modules" -name "$1.ko*" -o -name "$(echo "$1" | tr _ -).ko*" | head -n 1)
	[ -n "$f" ] || { echo "module $1 is not in $pkg"; return 1; }
	# busybox insmod may not read compressed modules
	case $f in
	*.ko) cp "$f" "$K/$1.ko" ;;
	*.ko.xz) xz -dc "$f" >"$K/$1.ko" ;;
	*.ko.gz) gzip -dc "$f" >"$K/$1.ko" ;;
	*.ko.zst) zstd -qdc "$f" >"$K/$1.ko" ;;
	*) echo "unknown module format: $f"; return 1 ;;
	esac || return 1
	for d in $(mod_deps "$K/$1.ko"); do add_mod "$d" || return 1; done
	echo "$1" >>"$K/order"
}
fetch_kernel() {
	rm -rf "$K" "$SVM/dl" && mkdir -p "$K" "$SVM/dl" || return 1
	# The cloud flavour: small, and has kvm-amd as a module. Take the version the meta package
	# points at now; the -unsigned package holds the same kernel and modules.
	img=$(apt-cache show --no-all-versions linux-image-cloud-amd64 2>/dev/null |
		sed -n 's/^Depends: *\(linux-image-[^ ,]*\).*/\1/p' | head -n 1)
	[ -n "$img" ] || { echo "apt-cache knows no linux-image-cloud-amd64"; return 1; }
	pkg=$img-unsigned
	kver=${img#linux-image-}
	# Stale package lists give 404s: refresh them once when we may.
	(cd "$SVM/dl" && apt-get download "$pkg") ||
		{ [ "$(id -u)" -eq 0 ] && apt-get update -qq && (cd "$SVM/dl" && apt-get download "$pkg"); } ||
		{ echo "cannot fetch $pkg"; return 1; }
	x=$SVM/dl/x
	dpkg -x "$SVM"/dl/*.deb "$x" || return 1
	cp "$x/boot/vmlinuz-$kver" "$K/vmlinuz" || return 1
	add_mod kvm_amd || return 1
	for m in irqbypass kvm kvm_amd; do
		grep -qx "$m" "$K/order" || { echo "$pkg: kvm_amd does not pull in $m"; return 1; }
	done
	rm -rf "$SVM/dl"
	echo "$kver" >"$K/version"
}
K=$SVM/kernel
if [ ! -s "$K/version" ]; then
	fetch_kernel >"$T_TMP/fetch.log" 2>&1 ||
		{ rm -rf "$SVM/dl"; bail "fetching the Debian kernel failed" "$T_TMP/fetch.log"; }
fi
kver=$(cat "$K/version")

# --- the minivirt_khc module (kmod/), built against the Debian headers of exactly this
# kernel, fetched once like it (apt-get download, never installed). A module that does not
# build is a failure of this suite, not a skip.
fetch_headers() {
	rm -rf "$H" && mkdir -p "$H/dl" || return 1
	common=linux-headers-${kver%-cloud-amd64}-common
	kbuild=linux-kbuild-$(echo "$kver" | cut -d. -f1,2)
	(cd "$H/dl" && apt-get download "linux-headers-$kver" "$common" "$kbuild") ||
		{ echo "cannot fetch the headers of $kver"; return 1; }
	for d in "$H"/dl/*.deb; do dpkg -x "$d" "$H/root" || return 1; done
	# The flavour's Makefile includes the common one by absolute path: point it here.
	sed -i "s|include /usr/src/|include $H/root/usr/src/|" \
		"$H/root/usr/src/linux-headers-$kver/Makefile" || return 1
	rm -rf "$H/dl"
	echo "$kver" >"$H/version"
}
H=$SVM/headers
if [ "$(cat "$H/version" 2>/dev/null)" != "$kver" ]; then
	fetch_headers >"$T_TMP/headers.log" 2>&1 ||
		bail "fetching the kernel headers failed" "$T_TMP/headers.log"
fi
KM=$SVM/kmod
rm -rf "$KM" && mkdir -p "$KM" && cp "$T_ROOT"/kmod/*.c "$T_ROOT/kmod/Kbuild" "$KM/" &&
	make -C "$H/root/usr/src/linux-headers-$kver" M="$KM" modules >"$T_TMP/kmod.log" 2>&1 &&
	[ -f "$KM/minivirt_khc.ko" ] || bail "building minivirt_khc.ko against $kver failed" "$T_TMP/kmod.log"

# --- the static VMM. Give make the same BUILD spelling as `make STATIC=1 BUILD=build/static`.
rel=$STATIC
case $STATIC in "$T_ROOT"/*) rel=${STATIC#"$T_ROOT"/} ;; esac
make -C "$T_ROOT" STATIC=1 BUILD="$rel" all >"$T_TMP/make.log" 2>&1 ||
	bail "make STATIC=1 BUILD=$rel failed" "$T_TMP/make.log"
if readelf -l "$STATIC/kvm-hello-world" | grep -q 'program interpreter'; then
	bail "$STATIC/kvm-hello-world is not statically linked"
fi

# --- the initramfs: busybox, init, modules, the tests, and the static build where lib.sh looks
# (MINIVIRT_BUILD): the VMM and the guests the tests run, without intermediate files.
R=$T_TMP/root
mkdir -p "$R/bin" "$R/lib/modules" "$R/minivirt/build" "$R/minivirt/tests"
cp /bin/busybox "$R/bin/busybox" &&
	cp "$T_ROOT/tests/svm/init" "$R/init" && chmod 755 "$R/init" &&
	cp "$K"/*.ko "$K/order" "$KM/minivirt_khc.ko" "$R/lib/modules/" &&
	echo minivirt_khc >>"$R/lib/modules/order" &&
	(cd "$STATIC" && find . -type f ! -name '*.[oda]' | cpio -pdm --quiet "$R/minivirt/build") &&
	cp "$T_ROOT/tests/lib.sh" "$T_ROOT/tests/run.sh" "$T_ROOT/tests/tap-exec.sh" "$R/minivirt/tests/" ||
	bail "cannot fill the initramfs"
# Host tools the tests need where busybox's applet falls short (setpriv: no --reuid), at the same
# path, with their shared libraries. Busybox ash runs its own applet for a bare `setpriv`, so the
# tests name it by path (AS_NOBODY in tests/lib.sh).
TOOLS=/usr/bin/setpriv
for tool in $TOOLS; do
	mkdir -p "$R${tool%/*}" && cp "$tool" "$R$tool" || bail "cannot copy $tool into the initramfs"
	for lib in $(ldd "$tool" | grep -o '/[^ ]*'); do
		mkdir -p "$R${lib%/*}" && cp -L "$lib" "$R$lib" || bail "cannot copy $lib into the initramfs"
	done
done
for s in $SUITES; do
	[ -d "$T_ROOT/tests/$s" ] || bail "no suite tests/$s"
	cp -R "$T_ROOT/tests/$s" "$R/minivirt/tests/" || bail "cannot copy tests/$s"
done
(cd "$R" && find . | cpio -o -H newc -R 0:0 --quiet | gzip -1) >"$SVM/initramfs.gz" ||
	bail "cannot pack the initramfs"

# --- boot. Two files: ttyS0 the kernel console, ttyS1 our status lines and the TAP output.
# One vCPU: with -smp 2 (multi-threaded TCG) the guest kernel wedges after a few hundred VMM
# runs, both vCPUs looping on the int3 of a live code patch in __schedule (the preempt-notifier
# static key KVM flips with each VM); one vCPU never did and is also faster.
con=$T_TMP/console.log
tap=$T_TMP/tap.log
boot() { # boot SECONDS SKIP: one QEMU run, without the test files in SKIP ("suite/name,...")
	args="minivirt.suites=$(echo "$SUITES" | tr ' ' ,) minivirt.skip=$2 minivirt.watchdog=$(($1 - 10))"
	args="$args minivirt.noskip=${MINIVIRT_NO_SKIP:-0}"
	timeout -k 5 "$1" qemu-system-x86_64 -accel tcg -cpu max -smp 1 -m 512M \
		-nodefaults -display none -monitor none -no-reboot \
		-kernel "$K/vmlinuz" -initrd "$SVM/initramfs.gz" \
		-append "console=ttyS0 panic=-1 loglevel=4 $args" \
		-serial "file:$con" -serial "file:$tap" </dev/null >"$T_TMP/qemu.log" 2>&1
	qrc=$?
	tr -d '\r' <"$tap" >"$T_TMP/tap.txt" 2>/dev/null
	# Kept for a look after the run.
	cp "$con" "$SVM/console.log" 2>/dev/null
	cp "$T_TMP/tap.txt" "$SVM/tap.log" 2>/dev/null
	cp "$T_TMP/qemu.log" "$SVM/qemu.log" 2>/dev/null
}

# Every inner TAP line becomes ours, renumbered; its comments are kept. Also notes the file of
# the last result and whether that file's plan line ("1..N") followed, i.e. it had finished.
results() {
	last=
	finished=0
	while IFS= read -r line; do
		case $line in
		"ok "* | "not ok "*)
			# "ok N - file: what", or unnumbered ("not ok - file: ..." from run.sh's checks)
			case $line in "not ok"*) st="not ok" ;; *) st=ok ;; esac
			rest=${line#* - }
			emit "$st" "$rest"
			inner=$((inner + 1))
			last=${rest%%:*}
			finished=0 ;;
		1..*) finished=1 ;;
		"#"*) echo "#  ${line#\#}" ;;
		"svm-init: "*) echo "# guest: ${line#svm-init: }" ;;
		*" passed, "*" failed"*) echo "# inside: $line" ;;
		esac
	done <"$T_TMP/tap.txt"
}

# crashed: sets $c to the test file that was running when QEMU died ("suite/name"), from the
# files not skipped, in run.sh's order, and appends it and those before it to $skip.
crashed() {
	c=
	found=0
	for f in $FILES; do
		case ",$skip," in *",$f,"*) continue ;; esac
		if [ -z "$last" ] || [ $found = 1 ]; then c=$f; break; fi
		[ "${f##*/}" = "$last" ] && { found=1; [ $finished = 1 ] || { c=$f; break; }; }
	done
	for f in $FILES; do
		case ",$skip," in *",$f,"*) continue ;; esac
		skip=$skip,$f
		[ "$f" = "$c" ] && break
	done
}

# A QEMU bug can abort the emulator in the middle of a test file (seen: "qemu: fatal: invalid tss
# type" when a 32-bit guest left ring 3 through a busy TSS, which hardware accepts; the VMM now
# gives SVM an available one, vmm/traps.c). That file fails; the guest boots again without the
# files already done, so the others still report.
FILES=$(cd "$T_ROOT/tests" && for s in $SUITES; do for f in "$s"/*.sh; do
	[ -f "$f" ] && echo "${f%.sh}"; done; done)
skip=
inner=0
boots=0
start=$(date +%s)
while :; do
	left=$((start + BOUND - $(date +%s)))
	[ $left -gt 15 ] || bail "no finish within ${BOUND}s (MINIVIRT_SVM_TIMEOUT) after $boots boots" "$con"
	boot $left "${skip#,}"
	boots=$((boots + 1))
	results

	# The most specific reason first: what init saw, then what the kernel or QEMU did.
	why=$(sed -n 's/^svm-init: FAIL //p' "$T_TMP/tap.txt" | head -n 1)
	[ -z "$why" ] || bail "$why" "$con"
	panic=$(tr -d '\r' <"$con" 2>/dev/null | grep -m1 -o 'Kernel panic.*')
	[ -z "$panic" ] || bail "the guest kernel panicked: $panic" "$con"
	[ $qrc -eq 124 ] || [ $qrc -eq 137 ] && bail "no finish within ${BOUND}s (MINIVIRT_SVM_TIMEOUT)" "$con"
	grep -q '^svm-init: ready' "$T_TMP/tap.txt" || bail "the guest never reported ready" "$con" "$T_TMP/qemu.log"
	[ $qrc -eq 0 ] && break
	crashed
	[ -n "$c" ] || bail "qemu-system-x86_64 exited with status $qrc after the tests" "$T_TMP/qemu.log"
	emit "not ok" "$c.sh: QEMU died (status $qrc) in this file, whose remaining tests did not run: $(head -n 1 "$T_TMP/qemu.log")"
	echo "#  QEMU's report (the L2 guest's registers, from the emulated SVM):"
	grep -E '^(EAX|ESI|EIP|RAX|RSI|R8|R12|RIP|CS|TR|CR0|EFER)' "$T_TMP/qemu.log" | sed 's/^/#   /'
	[ $boots -lt 10 ] || bail "QEMU died $boots times, giving up"
done
secs=$(($(date +%s) - start))

grep -q '^svm-init: done' "$T_TMP/tap.txt" || bail "the inner run did not finish" "$con"
[ $inner -gt 0 ] || bail "no test results came back" "$T_TMP/tap.txt"
irc=$(sed -n 's/^svm-init: done rc=//p' "$T_TMP/tap.txt")
[ "$irc" = 0 ] || [ $FAILS -gt 0 ] || bail "inner tests/run.sh exited $irc without a failing line" "$T_TMP/tap.txt"
emit ok "linux $kver, kvm_amd under QEMU TCG: $inner inner results, $boots boot(s), ${secs}s"
echo "1..$N"
[ $FAILS -eq 0 ]
