# SPDX-License-Identifier: MIT
# tests/svmbench/queue.sh: for make bench, inside the QEMU/SVM platform: the exits a guest
# makes reading 8 MiB through the I/O queue (--queue) against an exit per read, printed,
# never asserted (the count depends on how the host schedules the queue's thread).
. "$(dirname "$0")/../lib.sh"

t_exits() {
	need_kvm
	mkdir -p "$T_TMP/d"
	head -c 8388608 /dev/zero >"$T_TMP/d/data"
	for c in 4096 65536 1048576; do
		run "$KHW" --queue --stats --mem 4M --dir "$T_TMP/d" "$(guest_elf 64 readbench)" data $c
		expect_rc 0 || return 1
		x=$(printf '%s\n' "$OUT" | sed -n 's/^exits to the VMM: //p')
		echo "# figures: 8 MiB read in $c-byte requests through the queue: $x exits (an exit each: $((8388608 / c + 4)))"
	done
}

t "exits of a file read through the I/O queue (figures only)" t_exits
done_testing
