#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/isolate/root.sh: --root DIR: pivot_root into DIR (read-only unless --root-rw), a
# minimal /dev and a new /proc, nothing else of the host; --bind, --ro-bind and --tmpfs,
# their destinations resolved inside DIR; a Debian root made with debootstrap.
# The first run makes that root (debootstrap, bounded to 900 s): tests/tap-exec.sh's bound is
# time-limit: 1200
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/iso.inc"

# mini_root: $T_TMP/root: empty folders for /usr, /proc, /dev, /tmp, /data, /etc (with a
# marker), merged-/usr symlinks; the host's /usr is bound in read-only.
mini_root() {
	R=$T_TMP/root
	rm -rf "$R" && mkdir -p "$R/usr" "$R/proc" "$R/dev" "$R/tmp" "$R/data" "$R/etc" &&
		echo root-etc >"$R/etc/marker" &&
		ln -s usr/bin "$R/bin" && ln -s usr/lib "$R/lib" && ln -s usr/lib64 "$R/lib64" &&
		ln -s usr/sbin "$R/sbin"
}

t_nothing_of_the_host() {
	need_isolate || return 1
	mini_root || return 1
	echo secret >"$T_TMP/host-secret"
	run "$ISO" --net none --root "$R" --ro-bind /usr sh -c 'ls -A / | tr "\n" " "; echo
		cut -d" " -f5 /proc/self/mountinfo | sort | tr "\n" " "; echo
		cd /../../.. && pwd && ls -A | wc -l
		cat '"$T_TMP"'/host-secret 2>&1; ls -d /work /root /home 2>&1 | wc -l
		ps -e -o pid=,comm='
	expect_rc 0 || return 1
	expect_eq "/" "$(printf '%s\n' "$OUT" | sed -n 1p)" \
		"bin data dev etc lib lib64 proc sbin tmp usr " || return 1
	# the mounts: the root, /dev and its six nodes, /proc (and the masks in it), /usr; not
	# the host's
	expect_eq "mount points" "$(printf '%s\n' "$OUT" | sed -n 2p | tr ' ' '\n' |
		grep -v -e '^/proc/' -e '^$' | tr '\n' ' ')" \
		"/ /dev /dev/full /dev/null /dev/random /dev/tty /dev/urandom /dev/zero /proc /usr " ||
		return 1
	printf '%s\n' "$OUT" | sed -n 2p | grep -q ' /proc/sys ' ||
		{ fail "no read-only /proc/sys"; return 1; }
	# / above /
	expect_eq ".. of /" "$(printf '%s\n' "$OUT" | sed -n '3,4p' | tr '\n' ' ')" "/ 10 " || return 1
	expect_eq "the host's secret file" "$(printf '%s\n' "$OUT" | sed -n 5p)" \
		"cat: $T_TMP/host-secret: No such file or directory" &&
		expect_eq "/work /root /home" "$(printf '%s\n' "$OUT" | sed -n 6p)" 3 || return 1
	# the container's processes only: sh (PID 1) and ps
	expect_eq "processes" "$(printf '%s\n' "$OUT" | sed -n '7,$p' | awk '{ print $2 }' | tr '\n' ' ')" \
		"sh ps " && expect_eq "PID 1" "$(printf '%s\n' "$OUT" | sed -n 7p | tr -d ' ')" 1sh
}
t "--root: / is DIR, nothing of the host but what is bound; .. stays inside" t_nothing_of_the_host

t_read_only() {
	need_isolate || return 1
	mini_root || return 1
	run "$ISO" --net none --root "$R" --ro-bind /usr sh -c 'touch /etc/x 2>&1; echo hi >/tmp/y 2>&1; touch /usr/z 2>&1; true'
	expect_rc 0 && expect_out "touch: cannot touch '/etc/x': Read-only file system" &&
		expect_out "Read-only file system" && expect_out "touch: cannot touch '/usr/z': Read-only file system" ||
		return 1
	[ ! -e "$R/etc/x" ] || { fail "wrote into the read-only root"; return 1; }
	# --root-rw: the container writes where its ids may (as root, an unprivileged slot's:
	# only where others may)
	chmod 1777 "$R/etc"
	run "$ISO" --net none --root "$R" --root-rw --ro-bind /usr sh -c 'echo rw >/etc/x'
	expect_rc 0 && expect_eq "--root-rw wrote" "$(cat "$R/etc/x")" rw
}
t "--root is read-only, its binds too (--ro-bind); --root-rw writes" t_read_only

t_binds() {
	need_isolate || return 1
	mini_root || return 1
	mkdir "$T_TMP/data" "$T_TMP/ro" && chmod 1777 "$T_TMP/data" && echo ro-data >"$T_TMP/ro/f"
	run "$ISO" --net none --root "$R" --ro-bind /usr --bind "$T_TMP/data:/data" \
		--ro-bind "$T_TMP/ro:/tmp" --tmpfs /etc sh -c 'exec 2>&1; echo made >/data/new; cat /tmp/f
		echo x >/tmp/g 2>&1; ls -A /etc | wc -l; echo t >/etc/t && cat /etc/t'
	expect_rc 0 || return 1
	expect_eq "output" "$(printf '%s\n' "$OUT" | tr '\n' ' ')" \
		"ro-data sh: 2: cannot create /tmp/g: Read-only file system 0 t " || return 1
	expect_eq "the rw bind's file on the host" "$(cat "$T_TMP/data/new")" made &&
		[ ! -e "$T_TMP/ro/g" ] && [ "$(cat "$R/etc/marker")" = root-etc ]
}
t "--bind writes through to the host, --ro-bind does not, --tmpfs is empty and writable" t_binds

t_dev() {
	need_isolate || return 1
	mini_root || return 1
	run "$ISO" --net none --root "$R" --ro-bind /usr --tmpfs /dev/shm sh -c 'exec 2>&1
		ls -A /dev | tr "\n" " "; echo
		echo x >/dev/null && head -c 8 /dev/zero | wc -c && head -c 8 /dev/urandom | wc -c
		head -c 1 /dev/zero >/dev/full; touch /dev/new; echo s >/dev/shm/s && cat /dev/shm/s
		readlink /dev/fd /dev/stdout'
	expect_rc 0 || return 1
	expect_eq "/dev" "$(printf '%s\n' "$OUT" | head -n 1)" \
		"fd full null random shm stderr stdin stdout tty urandom zero " || return 1
	expect_eq "use" "$(printf '%s\n' "$OUT" | sed 1d | tr '\n' ' ')" \
		"8 8 head: write error: No space left on device touch: cannot touch '/dev/new': Read-only file system s /proc/self/fd /proc/self/fd/1 "
}
t "--root's /dev: null, zero, full, random, urandom, tty from the host, read-only" t_dev

t_inside_root() {
	need_isolate || return 1
	mini_root || return 1
	# a symlink in DIR pointing "out" is followed inside DIR: the tmpfs covers DIR's /etc,
	# never the host's
	ln -s /etc "$R/evil" && ln -s ../../../etc "$R/evil2"
	run "$ISO" --net none --root "$R" --ro-bind /usr --tmpfs /evil sh -c 'ls -A /etc | wc -l'
	expect_rc 0 && expect_eq "DIR's /etc under the tmpfs" "$OUT" 0 || return 1
	mkdir "$T_TMP/src" && : >"$T_TMP/src/bound"
	run "$ISO" --net none --root "$R" --ro-bind /usr --ro-bind "$T_TMP/src:/evil2" ls -A /etc
	expect_rc 0 && expect_eq "DIR's /etc under the bind" "$OUT" bound
}
t "--root: a DST through a symlink pointing out lands inside DIR (RESOLVE_IN_ROOT)" t_inside_root

t_bad_input() {
	need_isolate || return 1
	mini_root || return 1
	mounts=$(host_mounts)
	run "$ISO" --root "$T_TMP/nonexistent" true
	expect_rc 125 && expect_err "--root $T_TMP/nonexistent: No such file or directory" &&
		expect_one_line || return 1
	run "$ISO" --root "$R/etc/marker" true
	expect_rc 125 && expect_err "Not a directory" && expect_one_line || return 1
	run "$ISO" --root "$R/usr" true
	expect_rc 125 && expect_err "it has no folder /proc" && expect_one_line || return 1
	run "$ISO" --root "$R" --bind "$T_TMP/nonexistent:/data" true
	expect_rc 125 && expect_err "--bind $T_TMP/nonexistent:/data: No such file or directory" &&
		expect_one_line || return 1
	run "$ISO" --root "$R" --ro-bind /usr --bind /etc:/nope true
	expect_rc 125 && expect_err "/nope does not exist in $R" && expect_one_line || return 1
	run "$ISO" --root "$R" --bind /etc/hostname:/data true
	expect_rc 125 && expect_err "is not a folder, /data is one" && expect_one_line || return 1
	run "$ISO" --tmpfs /etc/hostname true
	expect_rc 125 && expect_err "--tmpfs /etc/hostname: Not a directory" && expect_one_line || return 1
	# nothing was made: not a mount, nor a file in DIR
	expect_mounts "$mounts" &&
		expect_eq "DIR" "$(ls -A "$R" | tr '\n' ' ')" "bin data dev etc lib lib64 proc sbin tmp usr "
}
t "bad --root, --bind, --tmpfs: one line, exit 125, nothing made" t_bad_input

t_rootless() {
	need_isolate || return 1
	[ "$(id -u)" -eq 0 ] || skip "needs root to drop to nobody"
	pub_dir || return 1
	R=$PUB/root
	mkdir -p "$R/usr" "$R/proc" "$R/dev" "$R/tmp" && ln -s usr/bin "$R/bin" &&
		ln -s usr/lib "$R/lib" && ln -s usr/lib64 "$R/lib64" || return 1
	cp "$ISO" "$PUB/isolate" && chmod 755 "$PUB/isolate"
	run $AS_NOBODY "$PUB/isolate" --net none --root "$R" --ro-bind /usr --tmpfs /tmp sh -c \
		'ls -A /dev | wc -l; echo x >/tmp/x && cat /tmp/x; id -u'
	expect_rc 0 && expect_eq "as nobody" "$(printf '%s\n' "$OUT" | tr '\n' ' ')" "11 x 0 "
}
t "--root works for an unprivileged user too" t_rootless

t_debian() {
	need_isolate && need_progs || return 1
	debian_root || return 1
	mark="iso-debian-$$"
	run "$ISO" --init --net none --root "$ROOTFS" --tmpfs /tmp --ro-bind "$PROGS:/opt" \
		--report "$T_TMP/r.json" sh -c ". /etc/os-release; echo \$ID \$VERSION_CODENAME
		id -un; hostname; dpkg-query -W -f='\${Package}\\n' dash coreutils
		ls /work /root 2>&1 | head -n 1; echo x >/tmp/x && cat /tmp/x; /opt/sysprobe | grep '^keyctl '
		/opt/memhog 10 >/dev/null && echo allocated; : $mark"
	expect_rc 0 || return 1
	expect_eq "inside Debian" "$(printf '%s\n' "$OUT" | tr '\n' ' ')" \
		"debian bookworm root isolated coreutils dash ls: cannot access '/work': No such file or directory x keyctl EPERM allocated " ||
		return 1
	expect_jf "$T_TMP/r.json" .status ok || return 1
	# the hostile programs in it too: a fork bomb, bounded and cleaned up
	# (counted in its own PID namespace: another suite's bomb may run beside it)
	"$ISO" --net none --root "$ROOTFS" --ro-bind "$PROGS:/opt" --processes 16 --wall-time 1 \
		--report "$T_TMP/r.json" /opt/forkbomb >/dev/null 2>&1 &
	pid=$!
	ns=$(bomb_ns "$pid") || { fail "no container seen under isolate $pid"; return 1; }
	bounded_wait "$pid"
	RC=$?
	expect_rc 137 && expect_jf "$T_TMP/r.json" .status "wall-time limit" &&
		expect_jf "$T_TMP/r.json" '.limits_hit | join(",")' "wall-time,processes" &&
		expect_eq "forkbombs left" "$(bombs_in "$ns")" 0
}
t "a Debian root made with debootstrap (cached in build/isolate-root) works as --root" t_debian

done_testing
