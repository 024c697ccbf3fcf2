# SPDX-License-Identifier: MIT
# tests/vmm/attacks_share.sh: what a share may be and hold. --dir refuses kernel
# pseudo-filesystems (procfs, sysfs, devtmpfs, cgroupfs...) by their magic; a FIFO or a
# device inside a share is never opened on the host (a writer blocked on the FIFO stays
# blocked); a GUEST that is a FIFO or a device is refused at once with 126.
. "$(dirname "$0")/../lib.sh"

S=$T_TMP/share
mkdir -p "$S"
G64=$(guest_elf 64 hostile)

t_pseudo_dirs() { # --dir on procfs, sysfs, devtmpfs and (where mounted) cgroupfs: 2
	need_kvm
	cg=$(awk '$0 ~ / - cgroup2? / { print $5; exit }' /proc/self/mountinfo)
	for d in /proc:procfs /proc/self:procfs /proc/self/root/proc:procfs /sys:sysfs \
		/sys/kernel:sysfs /dev:devtmpfs ${cg:+$cg:cgroupfs}; do
		run "$KHW" --dir "${d%%:*}" "$G64" display 0
		expect_rc 2 && expect_err "--dir '${d%%:*}' is on ${d##*:}" &&
			expect_err "a kernel pseudo-filesystem, not a folder to share" || return 1
		[ -z "$OUT" ] || { fail "the guest ran with --dir ${d%%:*}"; return 1; }
	done
	run "$KHW" --dir "$S" "$G64" display 0 # a real folder: fine
	expect_rc 0
}

# blocked_writer FIFO: starts a shell blocked opening FIFO for writing; its pid in $W,
# once the kernel shows it waiting for a reader.
blocked_writer() {
	sh -c 'echo x >"$1"; echo released >"$1.released"' sh "$1" &
	W=$!
	i=0
	while [ "$(cat /proc/$W/wchan 2>/dev/null)" != wait_for_partner ]; do
		i=$((i + 1))
		[ $i -lt 300 ] || { fail "the writer never blocked on $1"; return 1; }
		sleep 0.1
	done
}
release() { # release FIFO: ends the writer, whatever became of it
	kill "$W" 2>/dev/null
	wait "$W" 2>/dev/null
	rm -f "$1"
}

t_fifo_in_share() { # opened with neither O_RDONLY nor O_WRONLY: the writer stays blocked
	need_kvm
	mkfifo "$S/pipe"
	blocked_writer "$S/pipe" || return 1
	run "$KHW" --dir "$S" "$G64" open pipe
	still=$(cat /proc/$W/wchan 2>/dev/null)
	[ -e "$S/pipe.released" ] && still=released
	release "$S/pipe"
	expect_rc 0 && expect_out "open pipe: -13" && expect_out "open-w pipe: -13" || return 1
	[ "$still" = wait_for_partner ] ||
		{ fail "the VMM opened the FIFO: its writer was released"; return 1; }
}

t_device_in_share() { # device nodes: never opened. Major 240 (local/experimental) has no
	need_kvm         # driver: an open would fail with ENXIO, which the guest would see
	mknod "$S/null" c 1 3 && mknod "$S/nodev" c 240 0 || { fail "mknod"; return 1; }
	run "$KHW" --dir "$S" "$G64" open null
	expect_rc 0 && expect_out "open null: -13" && expect_out "open-w null: -13" || return 1
	run "$KHW" --dir "$S" "$G64" open nodev
	expect_rc 0 && expect_out "open nodev: -13" && expect_out "open-w nodev: -13"
}

t_guest_fifo() { # GUEST a FIFO: 126 at once, even with --timeout 0, never opened
	need_kvm
	mkfifo "$T_TMP/guest"
	blocked_writer "$T_TMP/guest" || return 1
	T_TIMEOUT=30 run "$KHW" --timeout 0 "$T_TMP/guest"
	still=$(cat /proc/$W/wchan 2>/dev/null)
	release "$T_TMP/guest"
	expect_rc 126 && expect_err "guest '$T_TMP/guest' is a FIFO, not a regular file" || return 1
	[ "$still" = wait_for_partner ] || { fail "the VMM opened the GUEST FIFO"; return 1; }
}

t_guest_device() { # GUEST a device or a directory: 126
	need_kvm
	run "$KHW" /dev/null
	expect_rc 126 && expect_err "guest '/dev/null' is a character device, not a regular file" ||
		return 1
	run "$KHW" "$S"
	expect_rc 126 && expect_err "is a directory, not a regular file"
}

t "--dir refuses procfs, sysfs, devtmpfs and cgroupfs" t_pseudo_dirs
t "a FIFO in the share is never opened" t_fifo_in_share
t "a device in the share is never opened" t_device_in_share
t "a GUEST FIFO is refused with 126 at once" t_guest_fifo
t "a GUEST device or directory is refused with 126" t_guest_device
done_testing
