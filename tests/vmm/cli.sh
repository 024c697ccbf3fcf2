# SPDX-License-Identifier: MIT
# tests/vmm/cli.sh: bad command lines and an unusable /dev/kvm get one clear line and
# a documented status.
. "$(dirname "$0")/../lib.sh"

usage_error() { # usage_error MESSAGE ARGS...: status 2, MESSAGE, then the usage
	msg=$1; shift
	run "$KHW" "$@"
	expect_rc 2 && expect_err "kvm-hello-world: $msg" && expect_err "usage: kvm-hello-world" &&
		expect_eq "stdout" "$OUT" ""
}

t_unknown_short() { usage_error "unknown option '-x'" -x; }
t_unknown_long() { usage_error "unknown option '--bogus'" --bogus; }
t_missing_value() { usage_error "option '--mem' needs a value" --mem; }
t_bad_size() { usage_error "invalid memory size 'lots'" --mem lots; }
t_small_size() { usage_error "memory size 32768 is outside 64 KiB .. 2 GiB" --mem 32K; }
t_large_size() { usage_error "memory size 3221225472 is outside 64 KiB .. 2 GiB" --mem 3G; }
t_unaligned() { usage_error "memory size 5000 is not a multiple of 4 KiB" -m 5000; }
t_overflow() { usage_error "invalid memory size" -m 99999999999999999999G; }
t_bad_timeout() { usage_error "invalid timeout '-1'" --timeout -1; }
t_bad_guest() { usage_error "unknown guest 'nope'" --guest nope; }
t_both_guests() { usage_error "give either --guest hello or a GUEST file ('x.elf')" --guest hello x.elf; }

t_help() {
	run "$KHW" --help
	expect_rc 0 && expect_out "usage: kvm-hello-world" && expect_out "--layout" &&
		expect_out "Exit status"
}
t_version() { run "$KHW" --version; expect_rc 0 && expect_out "kvm-hello-world 0."; }

t_no_kvm() { # /dev hidden by an empty tmpfs in a private mount namespace
	need_kvm
	run unshare -m sh -c "mount -t tmpfs none /dev && exec \"$KHW\""
	expect_rc 120 && expect_err "kvm-hello-world: /dev/kvm not found"
}
t_no_permission() {
	need_kvm
	[ "$(id -u)" -eq 0 ] || skip "needs root to drop to an unprivileged user"
	[ "$(stat -c %a /dev/kvm)" = 600 ] || skip "/dev/kvm is open to others here"
	run $AS_NOBODY "$KHW"
	expect_rc 120 && expect_err "kvm-hello-world: no permission to open /dev/kvm"
}

# --cpl 3 on a guest whose default is ring 0 (the built-in hello): the layout says ring 3,
# and the guest's closing hlt, privileged, is a #GP in ring 3 after its output.
cpl3_builtin() { # cpl3_builtin FLAG MODE-NAME
	need_kvm
	run "$KHW" "$1" --layout
	expect_rc 0 && expect_out "== layout: $2 mode ($1), ring 0, guest: built-in 'hello' ==" ||
		return 1
	run "$KHW" "$1" --cpl 3 --layout
	expect_rc 122 && expect_out "== layout: $2 mode ($1), ring 3, guest: built-in 'hello' ==" &&
		expect_out "Hello, world!" &&
		expect_err "kvm-hello-world: vcpu0: general protection (#GP, vector 13) at rip 0x" &&
		expect_err "in ring 3, error code 0x0"
}
t_cpl3_builtin_l() { cpl3_builtin -l long; }
t_cpl3_builtin_s() { cpl3_builtin -s protected; }

t_bad_cpl() {
	need_kvm
	for v in 1 2 -1 03 3x x ''; do
		run "$KHW" --cpl "$v"
		expect_rc 2 && expect_eq "first line" "$(printf '%s\n' "$ERR" | head -n 1)" \
			"kvm-hello-world: invalid --cpl '$v' (0 or 3)" && expect_err "usage: " || return 1
	done
	run "$KHW" -r --cpl 3
	expect_rc 2 && expect_err "--cpl 3 needs protected or long mode: real mode has no rings"
}

t "unknown short option" t_unknown_short
t "unknown long option" t_unknown_long
t "option without its value" t_missing_value
t "memory size that is not a number" t_bad_size
t "memory size too small for the layout" t_small_size
t "memory size too large" t_large_size
t "memory size not a multiple of 4 KiB" t_unaligned
t "memory size that overflows" t_overflow
t "negative timeout" t_bad_timeout
t "unknown built-in guest" t_bad_guest
t "--guest and a GUEST file together" t_both_guests
t "--help prints the options and exit statuses" t_help
t "--version" t_version
t "--cpl 3 on a guest whose default is ring 0 (-l): it runs in ring 3" t_cpl3_builtin_l
t "--cpl 3 on a guest whose default is ring 0 (-s): it runs in ring 3" t_cpl3_builtin_s
t "bad --cpl values: status 2, the value named" t_bad_cpl
t "no /dev/kvm: status 120, one line" t_no_kvm
t "no permission on /dev/kvm: status 120, one line" t_no_permission
done_testing
