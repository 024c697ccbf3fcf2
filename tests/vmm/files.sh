# SPDX-License-Identifier: MIT
# tests/vmm/files.sh: file hypercalls confined to --dir: the example guests (cat, cp, ls,
# wc) and the hostile guest (tests/guests/fstest.c), whose every escape must fail with
# the documented code while nothing outside the folder changes.
. "$(dirname "$0")/../lib.sh"

# A share with traps: symlinks out (absolute, relative, to /), one inside, a FIFO.
OUTSIDE=$T_TMP/outside.txt
S=$T_TMP/share
mkdir -p "$S/sub"
echo secret >"$OUTSIDE"
printf 'hello file\nsecond line here\n' >"$S/a.txt"
ln -s /etc/passwd "$S/escape"
ln -s / "$S/root"
ln -s ../outside.txt "$S/rel"
ln -s a.txt "$S/inside"
mkfifo "$S/fifo"

fst() { # fst FLAG BITS GROUP [VMM OPTIONS...]
	m=$1 b=$2 g=$3; shift 3
	run "$KHW" "$m" "$@" "$(guest_elf "$b" fstest)" "$g"
}

lines() { # lines "name: value"...: each must be a line of stdout
	for l in "$@"; do
		printf '%s\n' "$OUT" | grep -qxF -- "$l" || { fail "missing line '$l'"; show_output; return 1; }
	done
}

untouched() { # nothing outside the share changed
	[ "$(cat "$OUTSIDE")" = secret ] && [ ! -e "$T_TMP/evil" ] ||
		{ fail "something outside the share changed"; ls -la "$T_TMP" | sed 's/^/#   /'; return 1; }
}

m_escapes() {
	fst "$1" "$2" escapes --dir "$S"
	expect_rc 0 && lines "dotdot: -13" "rooted-dotdot: -13" "sub-dotdot: -13" \
		"abs-symlink: -13" "dir-symlink: -13" "rel-symlink: -13" "inside-symlink: 1" \
		"slash-is-root: 1" "fifo: -13" "mkdir-out: -13" "mkdir-sub-out: -13" \
		"unlink-out: -13" "unlink-dotdot: -22" "rmdir-root: -22" && untouched
}
t_escapes() { need_kvm; each_mode m_escapes; }

t_magic_links() { # /proc/PID of the VMM mounted inside the share (a private mount namespace): its
	need_kvm       # magic links root, exe and fd/N give -ELOOP, its files -EACCES
	mkdir -p "$T_TMP/pshare/p"
	run unshare -m sh -c 'mount --bind /proc/$$ "$1/p" && exec "$2" -l --dir "$1" "$3" magic' \
		sh "$T_TMP/pshare" "$KHW" "$(guest_elf 64 fstest)"
	expect_rc 0 && lines "magic-root: -40" "magic-exe: -40" "magic-fd: -40" \
		"proc-environ: -13" "proc-mem: -13"
}

m_paths() {
	fst "$1" "$2" paths --dir "$S"
	expect_rc 0 && lines "no-nul: -14" "wild-path: -14" "too-long: -36" "bad-flags: -22" \
		"accmode-3: -22" "missing: -2"
}
t_paths() { need_kvm; for mb in -l:64 -s:32; do m_paths "${mb%%:*}" "${mb##*:}" || return 1; done; }

t_readonly() {
	need_kvm
	before=$(ls -la "$S")
	fst -l 64 readonly --dir "$S" --ro
	expect_rc 0 && lines "ro-creat: -30" "ro-write: -30" "ro-trunc: -30" "ro-unlink: -30" \
		"ro-mkdir: -30" "ro-read: 1" && expect_eq "share listing" "$(ls -la "$S")" "$before"
}

t_no_dir() { # without --dir no path is reachable, not even the current directory
	need_kvm
	fst -l 64 readonly
	expect_rc 0 && lines "ro-creat: -13" "ro-unlink: -13" "ro-mkdir: -13" "ro-read: 0"
}

m_fds() {
	fst "$1" "$2" fds --dir "$S"
	expect_rc 0 && lines "never-opened: -9" "negative-fd: -9" "huge-fd: -9" \
		"count-past-memory: -14" "buffer-past-memory: -14" "wild-buffer: -14" \
		"write-readonly-fd: -9" "read-dir: -21" "readdir-file: -20" "readdir-tiny: -22" \
		"seek-console: -29" "seek-bad-whence: -22" "pread-negative: -22" "close: 0" \
		"closed-fd: -9" "close-again: -9" "read-after-all: -21" || return 1
	case $1 in
	-l) lines "huge-count: -22" ;;  # 2^64-1 is not a count
	*) lines "huge-count: -14" ;;   # 2^32-1 bytes are not in memory
	esac
}
t_fds() { need_kvm; for mb in -l:64 -s:32; do m_fds "${mb%%:*}" "${mb##*:}" || return 1; done; }

t_exhaustion() {
	need_kvm
	fst -l 64 exhaust --dir "$S" --max-files 8
	expect_rc 0 && lines "opened: 5" "then: -24" || return 1
	fst -l 64 exhaust --dir "$S"
	expect_rc 0 && lines "opened: 61" "then: -24"
}

m_io() {
	fst "$1" "$2" io --dir "$S"
	expect_rc 0 && lines "write: 12" "pwrite: 5" "seek: 0" "read: 12" "data: HELLO, file" \
		"pread: 4" "fstat: 0" "size: 12" "type: 1" "mode: 384" "eof: 0" "close: 0" \
		"mkdir: 0" "mkdir-again: -17" "rmdir: 0" "unlink: 0" "unlink-again: -2" \
		"to stdout" "stdout: 10" "stderr: 10" && expect_eq "stderr" "$ERR" "to stderr" &&
		[ ! -e "$S/rw.txt" ]
}
t_io() { need_kvm; each_mode m_io; }

t_copy_1mib() { # cp through guest memory, byte-identical
	need_kvm
	head -c 1048576 /dev/urandom >"$S/big.bin"
	for mb in $(guest_modes); do
		rm -f "$S/copy.bin"
		run "$KHW" "${mb%%:*}" --dir "$S" "$(guest_elf "${mb##*:}" cp)" big.bin copy.bin
		expect_rc 0 && expect_out "cp: 1048576 bytes" || return 1
		cmp -s "$S/big.bin" "$S/copy.bin" || { fail "${mb%%:*}: copy differs"; return 1; }
	done
}

t_examples() {
	need_kvm
	run "$KHW" --dir "$S" "$(guest_elf 64 cat)" a.txt
	expect_rc 0 && expect_eq "cat" "$OUT" "$(cat "$S/a.txt")" || return 1
	run "$KHW" --dir "$S" "$(guest_elf 64 wc)" a.txt
	expect_rc 0 && expect_eq "wc" "$OUT" "      2       5      28 a.txt" || return 1
	run "$KHW" --dir "$S" "$(guest_elf 64 ls)"
	expect_rc 0 && lines "$(printf 'd %10s sub' "$(stat -c %s "$S/sub")")" "-         28 a.txt" || return 1
	run sh -c "echo piped | \"$KHW\" \"$(guest_elf 64 cat)\""
	expect_rc 0 && expect_eq "stdin" "$OUT" "piped"
}

t_file_stats() {
	need_kvm
	run "$KHW" --stats --dir "$S" "$(guest_elf 64 cat)" a.txt
	expect_rc 0 && expect_out "open 1, close 1, read 2, write 1" &&
		expect_out "files: 28 bytes read, 28 bytes written"
}

t_dir_errors() {
	need_kvm
	run "$KHW" --dir "$T_TMP/nope"
	expect_rc 2 && expect_err "kvm-hello-world: --dir '$T_TMP/nope': No such file or directory" || return 1
	run "$KHW" --dir "$S/a.txt"
	expect_rc 2 && expect_err "Not a directory" || return 1
	run "$KHW" --ro
	expect_rc 2 && expect_err "--ro needs --dir" || return 1
	run "$KHW" --max-files 2
	expect_rc 2 && expect_err "invalid --max-files '2'"
}

t "escapes by .., /, symlinks, mkdir and unlink all refused: -EACCES" t_escapes
t "/proc inside a share: magic links -ELOOP, its files -EACCES" t_magic_links
t "bad paths: no NUL, wild, too long, bad flags" t_paths
t "--ro refuses every change: -EROFS" t_readonly
t "without --dir nothing is reachable" t_no_dir
t "bad fds, counts and buffers" t_fds
t "fd exhaustion: -EMFILE at --max-files" t_exhaustion
t "read, write, pread, pwrite, lseek, fstat, mkdir, rmdir, unlink, console" t_io
t "a 1 MiB copy is byte-identical in every mode" t_copy_1mib
t "example guests cat, wc, ls, and stdin" t_examples
t "--stats counts file calls and bytes" t_file_stats
t "--dir, --ro, --max-files errors" t_dir_errors
done_testing
