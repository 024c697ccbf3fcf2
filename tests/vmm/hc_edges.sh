# SPDX-License-Identifier: MIT
# tests/vmm/hc_edges.sh: the ABI's edges (issue 13, item 11): a readdir buffer that holds
# exactly one record, 32-bit outs to the last hypercall ports, and string I/O (`rep
# outsl`) to a hypercall port, from ring 3 and ring 0.
. "$(dirname "$0")/../lib.sh"

S=$T_TMP/share
mkdir -p "$S/d"
LONG=$(printf 'n%.0s' $(seq 255))
: >"$S/d/$LONG"
: >"$S/d/short"

t_readdir_272() { # 11 + 256 bytes, 272 with padding: the record fits, so it comes back
	need_kvm
	for mb in -l:64 -s:32; do
		run "$KHW" "${mb%%:*}" --dir "$S" "$(guest_elf "${mb##*:}" hostile)" readdir272
		expect_rc 0 && expect_out "readdir272: the 255-byte name, reclen 272" &&
			expect_out "readdir272: 0, 2 names" || return 1
	done
}

t_last_ports() { # 32-bit outs to 0x5fd..0x5ff: unknown hypercalls, from either ring
	need_kvm
	for cpl in 3 0; do
		for p in 0x5fd 0x5fe 0x5ff; do
			run "$KHW" -l --cpl $cpl "$(guest_elf 64 hostile)" port $p
			expect_rc 122 && expect_err "unknown hypercall $((p - 0x500)) (port $p)" ||
				{ fail "ring $cpl, port $p"; return 1; }
		done
	done
}

t_rep_outs() { # rep outsl of two requests to print_val: refused, neither runs
	need_kvm
	for cpl in 3 0; do
		run "$KHW" -l --cpl $cpl "$(guest_elf 64 hostile)" repouts
		expect_rc 122 || { fail "ring $cpl"; return 1; }
		case $ERR in
		*"string I/O (outs) is not a hypercall"* | *"needs one 32-bit out, got an out of 4 byte(s) x 2"*) ;;
		*) fail "ring $cpl: no clear refusal"; show_output; return 1 ;;
		esac
		case $OUT in *1111* | *2222*) fail "ring $cpl: a call ran: $OUT"; return 1 ;; esac
	done
}

t "readdir into 272 bytes returns a 255-byte name" t_readdir_272
t "32-bit outs to ports 0x5fd-0x5ff are unknown hypercalls" t_last_ports
t "rep outsl to a hypercall port runs no call and is refused" t_rep_outs
done_testing
